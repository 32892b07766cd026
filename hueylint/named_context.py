"""The deployment context of a run of named paths (``hueylint check deploy/huey.service``, what pre-commit
runs on the files of a commit): the repository's other deployment files, scripts and dependency files read as
``hueylint check .`` reads them (:func:`read_context`), and what such a run shows of the model it builds: the
launches reaching a named file and the findings and notices at the places they reach (:func:`named_scope`).
"""

from __future__ import annotations

import dataclasses
import posixpath
from typing import TYPE_CHECKING

from hueylint.discovery import Notice, marks_repository
from hueylint.formats import UNREAD_KINDS, is_dropin, name_format, template_of
from hueylint.locations import Loc
from hueylint.records import dataclass
from hueylint.workspace import Workspace

if TYPE_CHECKING:
    from hueylint.model import Launch, Project


def read_context(ws: Workspace, folders: list[str], files: list[str]) -> None:
    """A run of named paths holding a deployment file or a shell script (``hueylint check deploy/huey.service``,
    what pre-commit runs on the files of a commit) gets the deployment context a run over the whole repository
    has: the repository's other deployment files (a compose override in a folder below a named base, the
    Dockerfile or compose file whose container runs a named supervisord configuration or entrypoint, the
    orchestrator that replaces a named Dockerfile's own launch), shell scripts (a start script run by hand, whose
    PID file a named stop script kills) and dependency files (the huey each folder runs, read once: on demand,
    folder by folder, the context's launches computed every folder's version again for each) become sources
    (:attr:`Workspace.context`), and every file of the repository is known by its name
    (:meth:`Workspace.unwalked`: a build script tagging an image, a script found by its name), as in that run.
    Read on demand inside the root, not a file the configured exclusion or git's ignore rules cover.  What the
    context alone gives is not reported (:func:`named_scope`).  A run over the whole repository, or of named
    paths with neither (Python modules alone), reads nothing more.  The dependency files of ``folders`` (the
    folders above the named paths: :func:`hueylint.workspace.named_folders`) are left to
    :meth:`Workspace.dependency_files_above`, which reads them (and their includes) as the named paths' own.
    ``files``: the files named themselves (repo paths), among which a script without an extension
    (``deploy/sitectl``, a ``#!`` line) that discovery does not read by its name."""
    from hueylint.platforms import BUILDERS

    deployment = {fmt for formats in BUILDERS.values() for fmt in formats} - {"script"}
    # (a named script: the launches that run it, an entrypoint's container, are the context's)
    if ("", "scan") in ws.listings or not (
            any(src.format in deployment or src.format == "script" for src in ws.sources.values())
            or any(rel in ws.others and ws.file(rel, candidate=True) is not None for rel in files)):
        return
    if not marks_repository(ws.root):
        # (a run from a folder of many projects, $HOME: its whole tree is no repository to read)
        ws.say(Notice("", "the named files are judged alone, without the deployment context a run over the whole "
                          "repository gives them: the run's root (the current folder) is neither a git checkout nor "
                          "a project folder (pyproject.toml, requirements.txt ...); run hueylint from the project's "
                          "folder"))
        return
    ws.in_context = True
    ws.walk_notices = list(ws.notices)
    for rel in ws.unwalked():
        kind = name_format(rel)
        if not kind or (kind == "python" and posixpath.basename(rel) != "setup.py") or kind in UNREAD_KINDS:
            continue  # (a setup.py declares the console scripts a launch may run: hueylint.pyapp.entry)
        if kind == "deps" and posixpath.dirname(rel) in folders:
            continue
        src = ws.context_source(rel, kind)
        if src is not None and (src.format in deployment or src.format in ("deps", "script")):
            ws.sources[rel] = src
            ws.context.add(rel)


def _launch_places(value: object, found: set[tuple[str, int]], seen: set[int]) -> None:
    """Add to ``found`` (repo path, line) of every :class:`Loc` in ``value`` (a launch: its chain, settings, facts;
    a unit's drop-ins at line 0: applied even when they set nothing read)."""
    if isinstance(value, Loc):
        if value.path:
            found.add((value.path, value.line))
        return
    if value is None or isinstance(value, (str, int, float, bool, bytes)) or id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, dict):
        for item in value.values():
            _launch_places(item, found, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _launch_places(item, found, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for spec in dataclasses.fields(value):
            _launch_places(getattr(value, spec.name, None), found, seen)
        applied = getattr(getattr(value, "dropins", None), "value", None)  # (a Val of repo paths)
        if isinstance(applied, tuple):
            found.update((rel, 0) for rel in applied if isinstance(rel, str))


@dataclass
class Scope:
    """What a run of named paths judged in context (:func:`read_context`) shows of its model: the launches
    reaching a named file (a walked one), and where the findings, notices and dropped candidates only the
    context gives lie (:meth:`shows`)."""

    launches: list[Launch]
    walked: set[str]  # the named files (a named drop-in stands for its unit too)
    hidden: set[str]  # context files no launch of the named files reaches, files only the other launches reach
    reached: set[tuple[str, int]]  # (path, line) the launches of the named files reach
    others: set[tuple[str, int]]  # (path, line) only the other launches reach
    kept: set[str]  # the files the launches of the named files reach

    def shows(self, path: str | None, line: int = 0) -> bool:
        """Whether a finding (a notice, a dropped candidate: ``line`` 0) at ``path``:``line`` is shown: at a named
        file, at a line a launch of the named files reaches, not at a file or line only the context reaches."""
        if not path or path in self.walked or (path, line) in self.reached:
            return True
        return path not in self.hidden and (path, line) not in self.others

    def says(self, path: str) -> bool:
        """Whether a notice at ``path`` is shown: at a named file, or a file a launch of the named files reaches
        (one only the context's launches read, such as the script a context Dockerfile runs, is not)."""
        return not path or path in self.walked or path in self.kept


def _named_files(ws: Workspace) -> set[str]:
    """The files of the named paths (the walked ones, not the context's); a named drop-in stands for its unit
    too (an instance's ``w@2.service.d/``: the template's)."""
    walked = (set(ws.sources) - ws.context) | set(ws.others)
    for rel in list(walked):
        if is_dropin(rel) and rel.endswith(".conf"):
            unit = posixpath.dirname(rel)[:-2]
            template = template_of(unit)
            walked.update([unit] if template is None else [unit, template])
    return walked


def near_named(ws: Workspace, launches: list[Launch]) -> list[Launch]:
    """The launches of a run judged in context whose apps the app layer links: those reaching a named file, those
    of their deployment units (HL301 counts a unit's consumers of one app) and those that may run one of their
    apps (the same app path, or Django's command, whose app the settings give): a rule about an app weighs all of
    its consumers (HL303's `-f` is an unsafe fix when another consumer shares the storage, HL105 names them all),
    as in the whole run; the others' apps would only give findings :class:`Scope` leaves out (40 services of a
    monorepo, 0.1 s)."""
    named = _named_files(ws)
    units = set()
    apps = set()
    for launch in launches:
        places: set[tuple[str, int]] = set()
        _launch_places(launch, places, set())
        if any(path in named for path, _ in places):
            units.add(launch.unit)
            apps.add(_app_of(launch))
    apps.discard(None)
    return [launch for launch in launches if launch.unit in units or _app_of(launch) in apps]


def _app_of(launch: Launch) -> str | None:
    """What tells the app a launch runs before the app layer links it: its app path as written
    (``app.tasks.huey``), Django's command (``run_huey``: the settings name the app), else None."""
    if launch.app is not None and launch.app.known and launch.app.value:
        return launch.app.value
    return launch.program if launch.program in ("run_huey", "djangohuey") else None


def named_scope(ws: Workspace, project: Project) -> Scope | None:
    """For a run of named paths judged in context (:func:`read_context`): what it shows of the model
    (:class:`Scope`); None for any other run, which shows it all.  A launch reaches a named file when one of its
    places (every :class:`Loc` it holds, its unit's drop-ins) is in it; the findings at the lines such a launch
    reaches are shown, and at the other lines of the files it reaches (a unit's `[Service]`, its Dockerfile, its
    app's modules), unless only the other launches reach that line (another service of the compose file); the
    context files no such launch reaches, and the files only the other launches (and their apps) reach, are not
    shown.  A development launch (not judged) reaches without showing the other launches' findings."""
    if not ws.context:
        return None
    walked = _named_files(ws)
    reaching: list[Launch] = []
    reached: set[tuple[str, int]] = set()
    others: set[tuple[str, int]] = set()
    for launch in project.launches:
        places: set[tuple[str, int]] = set()
        _launch_places(launch, places, set())
        if any(path in walked for path, _ in places):
            reaching.append(launch)
            if not launch.dev:  # a development launch is not judged: its lines show no finding of another's
                reached |= places
        elif not launch.dev:
            others |= places
    kept = {path for path, _ in reached}
    other = {path for path, _ in others}
    ids = {id(launch) for launch in reaching}
    for app in project.apps:
        modules = {*app.modules, *app.settings_rels}
        if not app.launches or any(id(launch) in ids for launch in app.launches):
            walked |= modules  # the app of a launch of the named files: its modules' findings are the launch's
        else:
            other |= modules
    return Scope(reaching, walked, (other | ws.context) - kept - walked, reached, others, kept)
