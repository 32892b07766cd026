"""The repository script a command runs: lookup by path and by name, shell-script detection, parsing.

A unit runs ``/srv/app/bin/start-huey.sh``, a Procfile runs
``bin/worker``: the repo holds ``bin/start-huey.sh``.  We try the path as
written (relative to the launching file and the repo root), then the longest
trailing part of an absolute path that exists in the repo.  Only shell
scripts are returned: a Python entry point is the app's business.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from functools import lru_cache
from typing import Container, Mapping, Sequence

from hueylint import shell
from hueylint.findings import Finding
from hueylint.locations import Loc
from hueylint.model import Val, exclusive
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.shell import Script, case_modified
from hueylint.sources import SourceFile
from hueylint.words import SCRIPT_SHEBANGS, templated
from hueylint.workspace import Workspace


def is_shell_script(src: SourceFile) -> bool:
    if src.rel.endswith((".sh", ".bash")):
        return True
    first = src.text.split("\n", 1)[0]
    if not first.startswith("#!"):
        return False
    words = first[2:].split()
    if not words:
        return False
    program = posixpath.basename(words[0])
    if program == "env" and len(words) > 1:
        program = posixpath.basename(words[1] if words[1] != "-S" or len(words) < 3 else words[2])
    return program in SCRIPT_SHEBANGS


def _ancestors(folder: str) -> list[str]:
    """``a/b/c`` -> ``["a/b/c", "a/b", "a", ""]``."""
    result = []
    while folder:
        result.append(folder)
        folder = posixpath.dirname(folder)
    return result + [""]


def candidates(word: str, origin: Loc, workdir: str = "") -> list[str]:
    """Repo-relative paths ``word`` may refer to, most likely first."""
    if not word or "$" in word or templated(word) or word.startswith("-"):
        return []
    found: list[str] = []
    base_dir = posixpath.dirname(origin.path or "")
    if not word.startswith("/"):
        found.append(posixpath.normpath(posixpath.join(base_dir, word)))
        found.append(posixpath.normpath(word))
        if workdir and workdir.startswith("/"):
            word = posixpath.join(workdir, word)
    if word.startswith("/"):
        # /srv/app/bin/start.sh -> bin/start.sh below the launching file's folders (monorepos keep a
        # service's unit and scripts together), then below the repo root; longest tails first.
        parts = [part for part in word.split("/") if part]
        bases = _ancestors(base_dir)
        for start in range(len(parts)):
            tail = "/".join(parts[start:])
            for base in bases if start < len(parts) - 1 else bases[:1] + [""]:
                found.append(posixpath.join(base, tail) if base else tail)
    seen: list[str] = []
    for item in found:
        if item and not item.startswith("..") and item not in seen:
            seen.append(item)
    return seen


@lru_cache(maxsize=256)
def parse_script(text: str) -> Script | None:
    """The shell code ``text`` (a script or a ``-c`` string), parsed once per text; None when tree-sitter
    (loaded on the first parse) is missing: claim nothing rather than guess."""
    try:
        return shell.parse_script(text)
    except ImportError:
        return None


#: a development server or reloader in a command line or script: Django's ``runserver`` (``runserver_plus``),
#: ``flask run`` (also ``flask --app x run`` and an exec-form list ``["flask", "run"]``), ``--reload``
#: (uvicorn, gunicorn; sanic's ``--auto-reload``), sanic's ``--dev`` (debug and auto-reload, sanic/cli/app.py),
#: uWSGI's ``--py-autoreload``, watchdog's ``watchmedo``, ``watchfiles`` and eradman's ``entr``: the one
#: pattern the platform builders tell a development stack by (:func:`always_runs` takes it)
#: (django-tailwind's ``manage.py tailwind dev`` runs the Django development server and the Tailwind watcher
#: together through honcho: its documentation, "Usage"; django-tailwind-cli's ``tailwind runserver`` is a
#: runserver already)
DEV_SERVER = lazy_pattern(r"\brunserver|\btailwind['\", ]+dev\b|\bflask\b(?:\s+--?[\w-]+(?:[= ][^\s-]\S*)?)*\s+run\b|flask['\", ]+run"
                        r"|--reload\b|--auto-reload\b|\bsanic\b[^\n;&|]*?[\s'\",]--dev\b"
                        r"|--py-auto-?reload\b|\bwatchmedo\b|\bwatchfiles\b|(?<![\w.-])entr(?:['\", ]+-[acdnprz]+)*['\", ]+[\w./]")

def always_runs(src: SourceFile, pattern: re.Pattern[str], args: Sequence[str] | None = None,
                env: Mapping[str, str | None] | None = None) -> Val[str] | None:
    """Where the shell script ``src`` runs a command matching ``pattern`` (a development server) on every
    path, as ``(`runserver` in `path`)`` at that command; None when it does not.  A command the script may
    end before (an ``exec PROGRAM`` or a successful ``exit`` earlier, on a branch that does not exclude it) is not on every
    path, nor are the words ``echo``/``printf`` print.

    Without ``args`` only a command outside every ``if``/``case`` and function counts (a loop that restarts
    it too): a production entrypoint with a development branch is not one.  With the script's literal
    arguments (``./bin/run.sh web-dev``) a command also counts when every branch around it (and around the
    call of the function it is in) is a test of ``$1`` the first argument passes (``case $1 in web-dev)``,
    ``if [ "${1:-prod}" = dev ]``: :func:`first_argument`), as bash would choose it.  With ``env``, the variables
    the container gives the script (None: a value not known), a test of one of them the script does not set
    itself decides its branch too (``if [ "$FLASK_DEBUG" = "1" ]; then exec flask run --reload``, with
    ``FLASK_DEBUG=1`` in the compose service's ``environment:``).
    """
    script = parse_script(src.text)
    if script is None:
        return None
    names = _first_argument_names(script) if args is not None or env is not None else {}
    given = _Given(args, env or {}, names)
    enders = [command for command in script.commands if _may_end(command, given)]
    for command in script.commands:
        if command.name in _PRINTS:  # `echo "use manage.py runserver locally"` runs no server
            continue
        match = pattern.search(" ".join(shell.command_words(command)))
        if not match:
            continue
        if any(ender.seq < command.seq and not exclusive(ender.choices, command.choices) for ender in enders):
            continue  # `[ "$ENV" = prod ] && exec gunicorn ...` before it: a path that never reaches it
        if command.conditions or command.function:
            if (args is None and env is None) or (command.function and command.call_site is None) or \
                    len(command.guards) != len(command.conditions) or \
                    not all(given.passes(guard, command.seq) for guard in command.guards):
                continue
        return Val(f"`{match.group()}` in `{src.rel}`", Loc(src.rel, command.line, command.col))
    return None


#: commands that print their words and run none of them
_PRINTS = frozenset({"echo", "printf", ":"})


@dataclass(frozen=True)
class _Given:
    """What the script is run with: its literal arguments (None: not known), the variables its environment
    sets (a value of None: not known), and what its top level assigns (:func:`_first_argument_names`)."""

    args: Sequence[str] | None
    env: Mapping[str, str | None]
    names: dict[str, list[tuple[int, str | None]]]

    def value(self, guard: shell.Guard, seq: int) -> str | None:
        """The value the test ``guard`` (of the command at ``seq``) reads: the first argument's (also through a
        variable set from it), or an environment variable's the script does not assign before; None when
        neither is known."""
        named = _named(guard, self.names, seq)
        if self.args is not None and not named.function and not named.level:
            found = first_argument(named.subject, self.args)
            if found is not None:
                return found
        match = re.fullmatch(_ENV_SUBJECT, guard.subject)
        if match is None:
            return None
        name = match.group("plain") or match.group("braced") or match.group("name") or match.group("cased")
        if any(step_seq < seq for step_seq, _subject in self.names.get(name, [])):
            return None  # the script sets it itself first
        found = self.env.get(name)
        if match.group("name") and (found is None or (match.group("colon") and not found)):
            return match.group("word") if name in self.env and found is not None else None
        if match.group("cased") and found is not None:
            return case_modified(found, match.group("op"))
        return found

    def passes(self, guard: shell.Guard, seq: int) -> bool:
        value = self.value(guard, seq)
        return value is not None and guard.decides(value) and guard.admits(value)

    def refuses(self, guard: shell.Guard, seq: int) -> bool:
        value = self.value(guard, seq)
        return value is not None and guard.decides(value) and not guard.admits(value)


#: a test of a variable: ``$NAME``, ``${NAME}``, ``${NAME:-word}``/``${NAME-word}``, ``${NAME,,}``/``${NAME^^}``/``${NAME,}``/
#: ``${NAME^}`` (bash(1) "Parameter Expansion");
#: compiled on first use (``re``'s own cache), not at import
_ENV_SUBJECT = (r"""\$(?P<plain>[A-Za-z_]\w*)|\$\{(?P<braced>[A-Za-z_]\w*)\}|"""
                r"""\$\{(?P<name>[A-Za-z_]\w*)(?P<colon>:?)-(?P<quote>["']?)(?P<word>[\w./@%+,:-]*)(?P=quote)\}|"""
                r"""\$\{(?P<cased>[A-Za-z_]\w*)(?P<op>,,|\^\^|,|\^)\}""")


def _may_end(command: shell.Command, given: _Given) -> bool:
    """Whether the script may end at ``command`` (``exec PROGRAM``, ``exit`` or ``exit 0`` of the script's own shell, not
    in a subshell, pipeline, background job or function), on a branch the script's arguments and environment
    (``given``) may take (a ``case $1`` clause the first argument does not match is never taken)."""
    if command.subshell or command.pipeline or command.background or command.function:
        return False
    words = shell.command_words(command)
    if not ((command.exec and command.argv) or (words[:1] == ["exit"] and words[1:2] in ([], ["0"]))):
        return False  # `exit 1` after a usage test is a failure, not another way the script runs
    return not any(given.refuses(guard, command.seq) for guard in command.guards)


def _first_argument_names(script: Script) -> dict[str, list[tuple[int, str | None]]]:
    """The variables the script's own top level sets, each as ``(seq, subject)`` in order: ``subject`` is
    the first-argument expansion assigned (``MODE=${1:-web}``, ``ROLE="$1"``), None for any other value or
    for an assignment that may not run (in a branch, loop or function: the value is then not known).  A
    ``shift``, ``getopts`` or ``set -- ...`` before makes ``$1`` another word: nothing is recorded after one
    (``set -e`` changes no argument)."""
    stops = [command.seq for command in script.commands if not command.function and (
        command.name in ("shift", "getopts") or (command.name == "set" and any(
            word == "--" or not word.startswith(("-", "+")) for word in shell.command_words(command)[1:])))]
    stop = min(stops) if stops else None
    found: dict[str, list[tuple[int, str | None]]] = {}
    for step in script.assignments:
        value = step.value.text if step.value is not None and step.items is None and not step.append else ""
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        certain = not (step.conditions or step.function or step.loops or step.maybe or not step.same_process)
        subject = value if certain and (stop is None or step.seq < stop) and \
            first_argument(value, ["x"]) is not None else None
        found.setdefault(step.name, []).append((step.seq, subject))
    return found


def _named(guard: shell.Guard, names: dict[str, list[tuple[int, str | None]]], seq: int) -> shell.Guard:
    """``guard`` testing a variable the script set from its first argument (``case "$MODE" in``, after
    ``MODE=${1:-web}``) as a test of that expansion; ``guard`` itself otherwise."""
    match = re.fullmatch(r"\$(\w+)|\$\{(\w+)\}", guard.subject)
    steps = names.get(match.group(1) or match.group(2), []) if match else []
    before = [subject for step_seq, subject in steps if step_seq < seq]
    return dataclasses.replace(guard, subject=before[-1]) if before and before[-1] is not None else guard


#: the first positional parameter with a default, as bash expands it (bash(1) "Parameter Expansion"):
#: ``${1:-word}`` / ``${1:=word}`` use ``word`` when $1 is unset or empty, ``${1-word}`` / ``${1=word}`` only
#: when it is unset; a literal ``word`` only (quotes around it removed), anything else is not evaluated here
_FIRST_WITH_DEFAULT = lazy_pattern(r"""^\$\{1(?P<colon>:?)[-=](?P<quote>["']?)(?P<word>[\w./@%+,:-]*)(?P=quote)\}$""")


def first_argument(subject: str, args: Sequence[str]) -> str | None:
    """The value a test subject that reads the script's first argument has when the script runs with the
    literal arguments ``args``: ``$1``/``${1}`` (empty without one), ``${1:-prod}`` (``prod`` without one, or
    with an empty one); None for any other subject."""
    first = args[0] if args else None
    if subject in ("$1", "${1}"):
        return first or ""
    match = _FIRST_WITH_DEFAULT.match(subject)
    if match is None:
        return None
    if first is None or (match.group("colon") and not first):
        return match.group("word")
    return first


def carriage_return(text: str) -> tuple[int, int, str] | None:
    """Where a script's Windows line endings break it: (line, column of the first ``\\r`` before a line feed,
    both 1-based, and why, for HL001), None for a script with LF line endings.  A ``#!`` line ending in
    ``\\r`` names an interpreter that does not exist (``/bin/sh\\r``: execve fails with ENOENT, Docker's
    "exec ... no such file or directory"); any other line's ``\\r`` is part of its last word for the shell
    (``set -e\\r``: an illegal option; shellcheck SC1017); a comment line's ``\\r`` is part of the comment."""
    index = text.find("\r\n")
    while index >= 0:
        start = text.rfind("\n", 0, index) + 1
        if not text[start:index].lstrip().startswith("#") or (start == 0 and text.startswith("#!")):
            break
        index = text.find("\r\n", index + 2)  # ``# note\r``: the shell skips the comment, \r and all
    if index < 0:
        return None
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    first = text[:index]
    if line == 1 and first.startswith("#!"):
        why = (f"`{first}` ends in a carriage return (Windows line endings, CRLF): the kernel looks for the "
               f"interpreter `{first[2:].split()[0] if first[2:].split() else ''}\\r`, which does not exist, so the "
               "script fails to start (`no such file or directory`)")
    else:
        why = (f"line {line} ends in a carriage return (Windows line endings, CRLF): the shell reads the `\\r` as "
               "part of each line's last word (`set -e\\r`: an illegal option; `cd /srv\\r`: no such folder)")
    return line, col, (f"{why}. Fix: save the file with LF line endings (`dos2unix`, or `*.sh text eol=lf` in "
                       ".gitattributes so that checkouts keep them)")


def bom_before_shebang(first: str) -> str:
    """Why a script whose ``#!`` line ``first`` follows a UTF-8 byte order mark (a Windows editor's "UTF-8 with
    BOM") is HL001: execve(2) recognises a script only by ``#!`` as its first two bytes, so a platform running
    the script itself fails with ENOEXEC (Docker: "exec format error"; systemd, supervisord: the start fails),
    and a shell running it reads the mark as part of its first command (shellcheck SC1082)."""
    return (f"a UTF-8 byte order mark stands before `{first.rstrip()}`: the kernel finds no `#!` line, so a platform "
            "that runs the script itself (an exec-form ENTRYPOINT, ExecStart=, command=) fails to start it (`exec "
            "format error`), and a shell that runs it takes the mark for part of its first command. Fix: save the "
            "file as UTF-8 without BOM")


def checked(ws: Workspace, src: SourceFile) -> SourceFile:
    """Report a followed script's shell syntax error once (HL001): the chain reads only what bash would run;
    Windows line endings too (:func:`carriage_return`), which break the script before bash runs anything."""
    if src.rel not in ws.followed_scripts:
        ws.followed_scripts.add(src.rel)
        crlf = carriage_return(src.text)
        if crlf is not None:
            line, col, why = crlf
            ws.findings.append(Finding("HL001", why, Loc(src.rel, line, col, line, col + 1)))
        if src.bom and src.text.startswith("#!"):
            ws.findings.append(Finding("HL001", bom_before_shebang(src.line(1)), Loc(src.rel, 1, 1, 1, 2)))
        script = parse_script(src.text)
        if script is not None and script.too_deep is not None:
            line, col = script.too_deep
            ws.unparseable(src, line, col, "nested too deeply for hueylint to follow (the shell would run it)")
        elif script is not None and script.error is not None:
            line, col = script.error
            ws.unparseable(src, line, col, "shell syntax error: bash stops running the script here")
    return src


def find_script(ws: Workspace, word: str, origin: Loc, workdir: str = "") -> SourceFile | None:
    """The repo shell script ``word`` runs: by path (:func:`candidates`), else by its unique file name."""
    for rel in candidates(word, origin, workdir):
        if ws.exists(rel):
            src = ws.file(rel)
            if src is not None and is_shell_script(src):
                return checked(ws, src)
    found = by_name(ws, word)
    if found is not None and _other_service(ws, found.rel, origin.path or ""):
        return None  # another image's script (microstack: dramatiq's compose file and huey/worker.sh)
    return found


def find_file(ws: Workspace, word: str, origin: Loc, workdir: str = "") -> str | None:
    """The repository file a path on a host names (a supervisor's ``-c``/``-f`` configuration): by path, as
    :func:`find_script` looks (:func:`candidates`), else the repository's only file of that name; any file,
    not only a shell script."""
    for rel in candidates(word, origin, workdir):
        if ws.exists(rel):
            return rel
    found = _same_name(ws, word)
    return found[0] if len(found) == 1 else None


def _other_service(ws: Workspace, rel: str, origin: str) -> bool:
    """``rel`` and the launching file each lie in a different service folder (a folder with its own
    Dockerfile: a build context): the script of another service, whatever its name.  A launching file
    outside every service folder (``deploy/compose.yaml``) may run any service's image."""
    owners = image_folders(ws)
    mine, theirs = nearest_folder(origin, owners), nearest_folder(rel, owners)
    return bool(mine and theirs and mine != theirs)


def image_folders(ws: Workspace) -> frozenset[str]:
    """The folders holding a Dockerfile (an image's build context), the root excluded; once per run."""
    return ws.memo(("image-folders",),
                   lambda: frozenset(posixpath.dirname(src.rel) for src in ws.of_format("dockerfile")) - {""})


def nearest_folder(rel: str, folders: Container[str]) -> str:
    """The nearest of ``folders`` above the repository file ``rel``; ``""`` when none holds it."""
    folder = posixpath.dirname(rel)
    while folder and folder not in folders:
        folder = posixpath.dirname(folder)
    return folder


def repo_file(ws: Workspace, word: str, origin: Loc) -> str | None:
    """The repository file (of any kind) a command word names, by path or unique file name; None if none."""
    for rel in candidates(word, origin):
        if ws.exists(rel):
            return rel
    found = _same_name(ws, word)
    return found[0] if len(found) == 1 else None


def _same_name(ws: Workspace, word: str) -> list[str]:
    """Repository files named like ``word``'s last part (absolute paths and bare names only)."""
    if not word or "$" in word or templated(word) or word.startswith("-") or ("/" in word and not word.startswith("/")):
        return []
    name = posixpath.basename(word)
    if not name or name in (".", ".."):
        return []
    return ws.files_named(name)


def by_name(ws: Workspace, word: str) -> SourceFile | None:
    """A script installed to an absolute path (``/usr/local/bin/start-worker.sh``) or run by name from PATH
    is the repository's only file of that name, wherever it lives (``deploy/bin/start-worker.sh``).

    Relative paths (``./start.sh``) are not looked up this way: they name a place.  None when no file or
    several files have that name, or when it is not a shell script.
    """
    found = _same_name(ws, word)
    if len(found) != 1:
        return None
    src = ws.file(found[0])
    return checked(ws, src) if src is not None and is_shell_script(src) else None
