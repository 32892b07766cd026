"""Which manager the repository installs a systemd unit into: the user's own (``systemctl --user``) or not; and
the name a Debian package installs a unit of its ``debian/`` folder under (:func:`debian_unit_name`).

A unit kept in a ``systemd/user/`` folder is a user unit by its path (:func:`hueylint.platforms.systemd.is_user_unit`).
Many repositories keep theirs elsewhere (``systemd/app-worker.service``, ``deploy/worker.service``) and their
own installer puts it into ``~/.config/systemd/user/`` and runs it with ``systemctl --user``: the user's
service manager runs it as that user, never as root, and a ``User=`` line there is not what decides it
(systemd.exec(5): the user manager cannot switch users).  A file of the repository installs a unit so when
it names the unit file (``app-worker.service``; or, for a copy of a whole folder, ``systemd/*.service``; in
a script or Makefile on the line that says it, where the unit's name without ``.service`` counts too) and says
the user manager (the unit's own comments count, ``# Install: copy to ~/.config/systemd/user/x.service``, each
line naming the unit as a script's command does): ``systemctl --user`` (also as an argument list,
``["systemctl", "--user", ...]``), the user unit folder ``.config/systemd/user`` (also built from parts,
``Path.home() / ".config" / "systemd" / "user"``, ``os.path.join(..., "systemd", "user")``).  A file that also
names a system unit folder (``/etc/systemd/system``, ``/lib/systemd/system``, ``/usr/lib/systemd/system``) is
not evidence either way.

Read: the repository's shell scripts and Makefiles (as :mod:`hueylint.platforms.buildscripts` finds them) and the
Python files discovery kept (those naming huey, such as an installer naming ``app-huey.service``), only when a
unit has no ``User=`` of its own (the only question this answers is who runs it).  Not read: Ansible playbooks
(an ``ansible.builtin.systemd`` task's ``scope: user``), YAML files the walk does not keep; such a unit stays
root's, as systemd's default says.  Nothing runs.
"""

from __future__ import annotations

import posixpath
import re

from hueylint.formats import strip_template_suffix
from hueylint.locations import Loc
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile, note, plain_text
from hueylint.workspace import Workspace

_USER_MANAGER = lazy_pattern(
    r"""systemctl\s+(?:-\S+\s+)*--user\b"""  # systemctl --user enable x.service (also after other options)
    r"""|["']systemctl["']\s*,\s*(?:["']-[^"']*["']\s*,\s*)*["']--user["']"""  # ["systemctl", "--user", ...]
    r"""|\.config/systemd/user\b"""  # cp x.service ~/.config/systemd/user/
    r"""|["']systemd["']\s*[/,]\s*["']user["']""")  # Path.home() / ".config" / "systemd" / "user"
_SYSTEM_MANAGER = lazy_pattern(r"/(?:usr/)?(?:etc|lib)/systemd/system\b")
#: the folders whose extensionless files with a ``#!`` line are scripts: those the build-script reader reads
#: (:mod:`hueylint.platforms.buildscripts`), so a run reads no file more for this
_SCRIPT_FOLDERS = frozenset({"bin", "scripts", "script", "tools", "ci", "build"})
_MAKEFILES = frozenset({"makefile", "gnumakefile"})
#: a file larger than this is not read for an installer (a generated or vendored one installs nothing of ours)
_MAX_CHARS = 512 * 1024
#: the words a Python installer of a user unit holds (sorted: the run cache's "mentions" reading)
_PYTHON_MARKS = ("--user", "systemd")


def user_manager_install(ws: Workspace, unit_rel: str) -> Loc | None:
    """Where a repository file installs the unit ``unit_rel`` (its path in the repository) into the user's own
    service manager (see the module), or None."""
    return ws.memo(("systemd-user-install", unit_rel), lambda: _user_install(ws, unit_rel))


def _user_install(ws: Workspace, unit_rel: str) -> Loc | None:
    name = strip_template_suffix(posixpath.basename(unit_rel))  # huey.service.j2 is installed as huey.service
    if not name.endswith(".service"):
        return None
    folder = posixpath.dirname(unit_rel)
    names = [name] + ([folder + "/*.service"] if folder else [])
    # a command names the unit on its own line: its file name, its folder's units, or its name without the
    # suffix as a word of its own (`systemctl --user enable app-worker`)
    stem = re.compile(r"(?<![\w.@-])" + re.escape(name[:-len(".service")]) + r"(?![\w@-])")
    own = ws.file(unit_rel)
    # the unit's own comments: ``# Install: copy to ~/.config/systemd/user/app-worker.service``
    comments = [(unit_rel, "\n".join(line if line.lstrip().startswith(("#", ";")) else "" for line in
                                     own.text.split("\n")))] if own is not None and "user" in own.text else []
    for rel, text in [*comments, *_installers(ws)]:
        if not any(word in text for word in names) and stem.search(text) is None:
            continue
        if _SYSTEM_MANAGER.search(text):
            continue  # a file installing units for the system manager too: not evidence either way
        if rel.endswith(".py"):  # an installer of data: the unit in a list, the folder and the command apart
            said = _USER_MANAGER.search(text)
        else:  # a script's or Makefile's command names what it installs
            said = next((match for match in _USER_MANAGER.finditer(text) if _names_unit(
                _line_at(text, match.start()), names, stem)), None)
        if said is None:
            continue
        line = text.count("\n", 0, said.start()) + 1
        col = said.start() - (text.rfind("\n", 0, said.start()) + 1) + 1
        return Loc(rel, line, col)
    return None


def _line_at(text: str, index: int) -> str:
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return text[start:] if end < 0 else text[start:end]


def _names_unit(line: str, names: list[str], stem: re.Pattern[str]) -> bool:
    return any(word in line for word in names) or stem.search(line) is not None


def _mentions_a_manager(src: SourceFile) -> bool:
    """Does a Python module name ``--user`` or ``systemd`` at all, noted for the run cache's early cutoff
    (:mod:`hueylint.python_edits` asks an edited module again; only one that does is read whole)."""
    text = plain_text(src)
    found = len(text) <= _MAX_CHARS and any(word in text for word in _PYTHON_MARKS)
    note(src, "mentions" + "".join(f"\0{word}" for word in _PYTHON_MARKS), found)
    return found


def _installers(ws: Workspace) -> list[tuple[str, str]]:
    """The texts of the repository files that may install a unit (see the module), read once per run and
    only those that name the user manager's spellings at all (most files are skipped after one ``find``)."""
    def compute() -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for name, rels in sorted(ws.names().items()):
            lower = name.lower()
            plain = lower.endswith((".sh", ".bash")) or lower in _MAKEFILES or lower.endswith(".mk")
            for rel in sorted(rels):
                if lower.endswith(".py"):  # the Python files discovery kept (they name huey): never read on demand
                    src = ws.sources.get(rel)
                    if src is not None and src.format == "python" and _mentions_a_manager(src):
                        found.append((rel, src.text))  # (the whole text: an edit of it is no longer replayed)
                    continue
                extensionless = "." not in name and bool(set(rel.split("/")[:-1]) & _SCRIPT_FOLDERS)
                if not (plain or extensionless):
                    continue
                src = ws.file(rel, candidate=extensionless)
                if src is None or len(src.text) > _MAX_CHARS:
                    continue
                if "--user" in src.text or "systemd" in src.text and "user" in src.text:
                    found.append((rel, src.text))
        return found

    return ws.memo(("systemd-user-installers",), compute)


#: the unit types whose files debhelper installs from ``debian/`` under a name of their own (dh_installsystemd(1))
_DEBIAN_UNIT_SUFFIXES = (".service", ".socket", ".timer", ".target", ".path", ".mount")
_CONTROL_PACKAGE = lazy_pattern(r"^Package:[ \t]*(\S+)", re.MULTILINE | re.IGNORECASE)


def debian_unit_name(ws: Workspace, unit_rel: str) -> str | None:
    """The name systemd knows a unit of a Debian package's ``debian/`` folder by, when it differs from the file's
    own: ``debian/PACKAGE.NAME.service`` is installed as ``lib/systemd/system/NAME.service`` (``dh_installsystemd
    --name=NAME``, dh_installsystemd(1) "FILES" and ``--name``; ``PACKAGE`` a binary package of the folder's
    ``control`` file), so ``debian/grouprise.grouprise-tasks.service`` is ``grouprise-tasks.service``, what
    ``systemctl`` and the package's scripts name; ``debian/PACKAGE.service`` keeps its name.  None when the file
    is not in a ``debian/`` folder with a ``control`` file naming its package (the longest such prefix wins:
    package names may hold dots), or when it keeps its own name."""
    folder, base = posixpath.split(unit_rel)
    if posixpath.basename(folder) != "debian" or not base.endswith(_DEBIAN_UNIT_SUFFIXES):
        return None
    control = ws.file(posixpath.join(folder, "control"))
    if control is None:
        return None
    packages = sorted({match.group(1) for match in _CONTROL_PACKAGE.finditer(control.text)}, key=len, reverse=True)
    for package in packages:
        rest = base[len(package) + 1:]
        if base.startswith(package + ".") and rest.endswith(_DEBIAN_UNIT_SUFFIXES) and "." in rest and \
                not rest.startswith("."):
            return rest
    return None
