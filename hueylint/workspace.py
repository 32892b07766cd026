"""The files of one run, shared by every platform builder.

Platforms link across files (a compose service to its Dockerfile stage, a
Dockerfile ``ENTRYPOINT`` to the script it copies in), so they need one place
to look files up by repo path, to read referenced scripts on demand, and to
report unparseable input as HL001 without ever raising.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import posixpath
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from hueylint.config import Settings
from hueylint.discovery import (
    BINARY,
    MAX_FOLDER_DEPTH,
    VENV_MARKER,
    WIDE_TEXT,
    Listings,
    Notice,
    classify,
    never_walked,
    read_bytes,
    read_on_demand,
    rel_path,
    stamp_of,
)
from hueylint.findings import Finding
from hueylint.formats import is_dropin
from hueylint.locations import Loc
from hueylint.parsers import ParseError
from hueylint.records import dataclass
from hueylint.safeio import below, inside, read_regular
from hueylint.sources import SourceFile

if TYPE_CHECKING:
    from hueylint.ignores import Rules
    from hueylint.model import Dropped

T = TypeVar("T")


#: formats whose files a symlink to another keeps as files of their own: Python imports a linked module as a
#: module of its own, a script runs by the path a launch names, a folder's dependency file is that folder's
_OWN_BY_PATH = frozenset({"python", "script", "deps"})


@dataclass
class Workspace:
    """The files of one run and their memos: the discovered ``sources`` by repo path, the other walked
    files read on demand (:meth:`file`), the HL001 findings of unreadable files, and every question
    asked of the file system beyond the walk (``probes``, which the run cache asks again)."""

    root: Path
    settings: Settings
    sources: dict[str, SourceFile] = field(default_factory=dict)
    others: dict[str, str] = field(default_factory=dict)  # walked files not read up front: their paths
    gated: list[str] = field(default_factory=list)  # walked Python files the byte gate left out (discovery's)
    findings: list[Finding] = field(default_factory=list)
    # per-file memos of the builders and the app layer, keyed by (what, repo path): parsed documents
    # (:meth:`parsed`), a compose file's services ...; never flags or coordination between builders
    cache: dict[object, object] = field(default_factory=dict)
    # git's ignore rules (discovery's): builders ask :meth:`ignored`, which the run cache asks again
    gitignored: Callable[[str, bool], bool] = field(default=lambda rel, is_dir: False)
    # real paths no read may leave (discovery's checked roots; default: the root) and the run's notices
    roots: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    # what the run itself could not do, said on stderr as ``hueylint: warning: ...`` (a cache folder it refused)
    warnings: list[str] = field(default_factory=list)
    # run options, set by the engine: the Python facts cache (False: --no-cache; the folder: --cache-dir,
    # None: HUEYLINT_CACHE_DIR or the user's cache folder), and the app layer's finder of Python entry
    # points, ``python_entry(resolver, word, origin, args) -> PythonEntry | None``, that
    # :mod:`hueylint.chain` calls for a Python command (None: Python commands are not followed)
    use_cache: bool = True
    cache_dir: str | None = None
    python_entry: Callable[..., Any] | None = None
    # launch candidates the chain considered and dropped (a branch the arguments never take), for
    # ``hueylint inspect`` (:attr:`hueylint.model.Project.dropped`)
    dropped: list[Dropped] = field(default_factory=list)
    # shell scripts a launch followed (:func:`hueylint.script_lookup.checked`: HL001 once per script)
    followed_scripts: set[str] = field(default_factory=set)
    _exists: dict[str, bool] = field(default_factory=dict, init=False, repr=False)  # answers of exists()
    # files read on demand by normalised repo path (None: missing or refused), see :meth:`file`
    _read: dict[str, SourceFile | None] = field(default_factory=dict, init=False, repr=False)
    _by_name: dict[str, list[str]] | None = field(default=None, init=False, repr=False)  # see files_named
    _links: dict[str, str] | None = field(default=None, init=False, repr=False)  # see links
    # the repo path ``--stdin-filename`` names: its text is stdin's, never the file a link there points to
    stdin_rel: str | None = None
    # what the run learnt about the tree beyond the walk (:data:`Probe` -> its answer, see :func:`probe`), for
    # the run cache (:mod:`hueylint.runcache`), which asks the same questions again before replaying a run
    probes: dict[Probe, object] = field(default_factory=dict, init=False, repr=False)
    # the folders the walk and the globs listed (:data:`hueylint.discovery.Listings`): the globs and the
    # ``exists``/``folder`` probes of the run read them (the Django tree's ``**/management/commands/*.py`` glob
    # listed its 3,800 folders again, 0.1 s, and its 15,000 module lookups were a ``stat`` each)
    listings: Listings = field(default_factory=dict, repr=False)
    # every walked file's repo path (:attr:`hueylint.discovery.Discovery.walked`): a tree-wide search of the
    # walked files needs no glob asked of the file system, nor asked again by a replay
    walked: list[str] = field(default_factory=list, repr=False)
    # a run of named paths that holds a deployment file (set by the engine): it is judged with the repository's
    # deployment context, as a run over the whole repository judges it (:meth:`unwalked`, :attr:`context`)
    in_context: bool = False
    # the repo paths of the deployment and dependency files such a run read beyond the named paths (the
    # engine's context): built as in the whole run, but reported only where a launch of the named files reaches
    context: set[str] = field(default_factory=set)
    # the notices of the walk of such a run (the named paths' own): shown whatever the context gives
    walk_notices: list[Notice] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.roots:
            self.roots = [os.path.realpath(self.root)]

    def memo(self, key: tuple[str, ...], compute: Callable[[], T]) -> T:
        """``compute()`` once per run for ``key`` (``(what, repo path...)``, e.g. ``("supervisord-config",
        rel)``): a per-file memo of a builder or the app layer, typed by its caller."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]  # type: ignore[return-value]

    def of_format(self, *formats: str) -> list[SourceFile]:
        """The sources of ``formats`` a platform builds from: a deployment file reached again through a symlink
        to another walked file of the same format (``docker/Dockerfile.prod -> ../Dockerfile``, a unit linked
        into a ``*.wants/`` folder) is left out, so it is judged once, at its own path (:meth:`file` still
        reads the link: a compose ``dockerfile:`` naming it builds from it).  Python modules, scripts and
        dependency files are all kept (:data:`_OWN_BY_PATH`)."""
        aliases = self.links()
        return [src for src in self.sources.values() if src.format in formats and src.rel not in aliases]

    def link_target(self, rel: str) -> str:
        """The repo path of the walked file the deployment file ``rel`` is a symlink to (see :meth:`of_format`),
        else ``rel``: an orchestrator building from the link replaces the target's own launch."""
        return self.links().get(rel, rel)

    def links(self) -> dict[str, str]:
        """:meth:`of_format`'s left-out links, to their targets' repo paths (one ``lstat`` per non-Python
        source, once a run; each link gets a notice that it is checked at its target)."""
        if self._links is None:
            self._links = {}
            real_root = os.path.realpath(self.root)
            for src in self.sources.values():
                if src.format in _OWN_BY_PATH or src.rel == self.stdin_rel or not os.path.islink(src.path) or \
                        (src.format == "systemd" and is_dropin(src.rel)):
                    continue  # (a drop-in linked from a shared file is its own unit's: its folder says which)
                target = os.path.relpath(os.path.realpath(src.path), real_root).replace(os.sep, "/")
                other = self.sources.get(target)
                if other is not None and other.rel != src.rel and other.format == src.format:
                    self._links[src.rel] = target
                    noun = "the unit " if src.format == "systemd" else ""
                    self.notices.append(Notice(src.rel, f"a symlink to {noun}`{target}`: checked there"))
        return self._links

    def unparseable(self, src: SourceFile | str, line: int, col: int, message: str) -> None:
        rel = src.rel if isinstance(src, SourceFile) else src
        text = src.line(line) if isinstance(src, SourceFile) else ""
        self.findings.append(Finding(
            "HL001", f"cannot parse: {message}", Loc(rel, max(line, 1), max(col, 1), max(line, 1), len(text) + 1)))

    def parsed(self, fmt: str, src: SourceFile, parse: Callable[[SourceFile], T]) -> T | None:
        """Parse ``src`` once per run; a :class:`ParseError` becomes HL001 and the result None."""
        key = (fmt, src.rel)
        if key not in self.cache:
            try:
                self.cache[key] = parse(src)
            except ParseError as exc:
                self.unparseable(src, exc.line, exc.col, str(exc))
                self.cache[key] = None
        return self.cache[key]  # type: ignore[return-value]

    def file(self, rel: str, *, candidate: bool = False) -> SourceFile | None:
        """A repo file by relative path: a source of the run (stdin's included, whatever its name), else read
        on demand when discovery did not keep it.  ``candidate``: read only to learn whether it is a script (an
        extensionless file in a ``bin/`` or ``build/`` folder): one without a ``#!`` line (a committed program,
        git objects, data) is not, gives None and no HL001, and is not kept."""
        found = self.sources.get(rel)
        if found is not None:
            return found
        rel = posixpath.normpath(rel).lstrip("/")
        if rel.startswith("../"):
            return None
        found = self.sources.get(rel)
        if found is not None:
            return found
        if rel in self._read:
            return self._read[rel]
        path = Path(self.others[rel]) if rel in self.others else self.root / rel
        if rel not in self.others and rel not in self._gated():
            self._ask("read", rel)  # a walked file's stamp is the walk's; stat before reading (racy writes)
        problems: list[tuple[str, int, int, str]] = []
        source, refusal = read_on_demand(path, rel, self.roots, problems) if self.exists(rel) else (None, None)
        if candidate and (source.text[:2] != "#!" if source is not None else
                          [message for *_, message in problems] in ([BINARY], [WIDE_TEXT])):
            return None  # a committed program or data file, not a script: nothing to report (and not cached)
        if refusal is not None:
            self.say(Notice(rel, refusal))  # (the walk may have said it)
        for _, line, col, message in problems:  # a referenced file hueylint cannot read is HL001, as in discovery
            self.findings.append(Finding("HL001", message, Loc(rel, line, col, line, col + 1)))
        self._read[rel] = source
        return source

    def repository_text(self, rel: str, limit: int = 64 * 1024) -> str | None:
        """The text of a file read for what it says about the repository, not checked (``.git/config``: its
        ``origin``): not a file of the run (not counted or shown), no HL001 or notice for it; None when it is
        missing, not a regular file of at most ``limit`` bytes, not UTF-8, or really outside the checked tree
        (through a link).  Its stamp is a probe of the run, so a replay sees it changed (:meth:`_ask`)."""
        rel = posixpath.normpath(rel).lstrip("/")
        if rel.startswith("../") or self._ask("read", rel) is None:
            return None
        path = self.root / rel
        if not inside(path, self.roots):
            return None
        try:
            return read_regular(path, limit).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def _gated(self) -> frozenset[str]:
        """:attr:`gated` as a set, once a run.  A module the byte gate left out is a walked file: its stamp is the
        walk's, so reading it on demand (an import closure's module that never mentions huey) asks no ``read``
        question; what the run takes from it is its ledger's readings (:func:`hueylint.python_edits.ledgers`),
        which the run cache's early cutoff judges again when it is edited, as it does a discovered module's."""
        return self.memo(("gated-set", str(len(self.gated))), lambda: frozenset(self.gated))

    def unreadable_stdin(self, rel: str) -> None:
        """Stdin named ``rel`` (``--stdin-filename``) could not be read (HL001): :meth:`file` gives None for it,
        never the file of that name on disk (whose lines code frames would show as the text checked)."""
        self._read[rel] = None

    def not_read_outside(self, at: Loc, reference: str, consequence: str) -> None:
        """Say (a notice, once) that the reference ``reference`` written at ``at`` (``extends: file: ../base.yml``)
        leads outside the checked tree, which no run reads, and what stays unknown for it (``consequence``)."""
        self.say(Notice(at.path or "", f"line {at.line}: {reference} leads outside the checked tree, which hueylint "
                                       f"never reads: {consequence}"))

    def excluded(self, rel: str) -> bool:
        """Whether the configured exclusion (``exclude``, ``extend-exclude``, ``--exclude`` ...) covers the repo
        path ``rel``, as it keeps the walk from it: for a file read on demand in the walk's place (a named unit's
        drop-ins, a named compose file's base), which a run over the whole repository would not read either."""
        return self._exclusion().covers(rel)

    def _exclusion(self) -> Rules:
        """The configured exclusion of the run's root (:meth:`Settings.exclusion`), built once a run."""
        return self.memo(("exclusion",), lambda: self.settings.exclusion(self.root))

    def say(self, notice: Notice) -> None:
        """Add ``notice`` to the run's notices, once (a builder may meet the same file or line again)."""
        if notice not in self.notices:
            self.notices.append(notice)

    def drop(self, item: Dropped) -> None:
        """Add ``item`` to the launch candidates considered and dropped (``inspect``), once."""
        if item not in self.dropped:
            self.dropped.append(item)

    def read_on_demand(self) -> dict[str, SourceFile]:
        """The files :meth:`file` read beyond the discovered sources (scripts a launch runs, app modules),
        by repo path, in the order they were read."""
        return {rel: src for rel, src in self._read.items() if src is not None}

    def inputs(self) -> list[Path]:
        """Every file of the tree this run read: discovered sources and scripts read on demand."""
        return [src.path for src in (*self.sources.values(), *self.read_on_demand().values())]

    def dependency_files_above(self, folders: list[str], known: set[str]) -> list[SourceFile]:
        """The dependency files of ``folders`` (:func:`named_folders`: the ones between the named paths and the
        root, which the walk skipped) and of their ``requirements*/`` subfolders, read on demand, with the
        ``-r``/``-c`` files they include: ``hueylint check deploy/huey.service`` judges the huey the
        repository's ``requirements.txt`` pins, as a run over the whole repository does.  Dockerfiles too, as in
        that run: a Dockerfile's ``pip install huey==...`` is its image's huey and its folder's
        (:func:`hueylint.versions.folder_versions`); left out, ``hueylint check docker-compose.yml`` took the
        service that builds it for the newest huey and ``--fix`` wrote ``-t`` for a huey 2.5 consumer.  A broken
        one gives no pins and no HL001 (it is outside the checked paths)."""
        from hueylint import versions  # below this layer: its parsers and file kinds

        candidates: list[str] = []
        for folder in folders:
            for name in self.list_folder(folder, links=False) or []:
                rel = posixpath.join(folder, name) if folder else name
                if name.lower().startswith("requirements") and self.is_folder(rel):
                    candidates += [posixpath.join(rel, sub) for sub in self.list_folder(rel, links=False) or []]
                else:
                    candidates.append(rel)
        found = []
        while candidates:
            rel = candidates.pop(0)
            if rel in known or versions.filekinds.file_kind(rel) == "" or not self.exists(rel):
                continue
            known.add(rel)
            src = self.file(rel)
            if src is not None:
                found.append(src)
                candidates += versions.includes(src)
        return found

    def files_named(self, name: str) -> list[str]:
        """Repo paths (sources, then other walked files) whose last part is ``name``; the index is built once."""
        return self.names().get(name, [])

    def names(self) -> dict[str, list[str]]:
        """Every walked file by its last part (``{"Makefile": ["Makefile", "svc/Makefile"], ...}``: sources,
        then other walked files, then, for a run of named paths judged in context, the repository's other files:
        :meth:`unwalked`), built once a run: a builder that looks for files by name reads the names,
        not every path of the tree (Django's 7,000 files were split four times a run)."""
        if self._by_name is None:
            self._by_name = {}
            for rel in dict.fromkeys([*self.sources, *self.others, *self.unwalked()]):  # (a context source is both)
                self._by_name.setdefault(posixpath.basename(rel), []).append(rel)
        return self._by_name

    def unwalked(self) -> list[str]:
        """For a run of named paths judged in context (:attr:`in_context`): the repository's files the walk did not
        reach, sorted (as a run over the whole repository walks them: not in a folder the walk never enters or git
        ignores, not covered by the configured exclusion; a git-ignored file among them is no file for
        :meth:`exists`).  Listed once, on demand (one listing per folder of the tree), and recorded as a probe,
        which the run cache asks again; [] for any other run (the walk listed them, or nothing needs them)."""
        if not self.in_context:
            return []

        def listed() -> list[str]:
            exclusion = self._exclusion()
            return [rel for rel in self._ask("tree", "") if rel not in self.sources and rel not in self.others
                    and not exclusion.covers_file(rel)]

        return self.memo(("unwalked",), listed)

    def context_source(self, rel: str, kind: str) -> SourceFile | None:
        """The unwalked file ``rel`` (:meth:`unwalked`) as discovery keeps it when its name gives ``kind``
        (:func:`hueylint.formats.name_format`): of the format its content decides
        (:func:`hueylint.discovery.classify`), None when none does, it is git-ignored or it cannot be read
        (nothing is reported: it lies outside the named paths).  Its stamp is recorded as a probe: the run cache
        replays the run only while it is unchanged."""
        path = self.root / rel
        if not self.exists(rel) or self._ask("read", rel) is None or not inside(path, self.roots):
            return None
        data = read_bytes(path, rel, kind)[0]
        return classify(data, path, rel, kind, gate=False)[0] if data is not None else None

    def exists(self, rel: str) -> bool:
        """A file of the repository: walked, or on disk and not git-ignored (a path outside the checked
        folders still counts; an untracked ``local.py`` override does not, CI never has it)."""
        known = self._exists.get(rel)
        if known is None:  # module resolution asks the same candidates many times: answer each once per run
            path = posixpath.normpath(rel).lstrip("/")
            if path in self.sources or path in self.others:
                known = True
            else:
                known = self._ask("exists", path)
            self._exists[rel] = known
        return known

    def _ask(self, kind: str, arg: str) -> Any:
        """:func:`probe` ``(kind, arg)``, answered once per run and recorded in :attr:`probes`."""
        key = (kind, arg)
        if key not in self.probes:
            self.probes[key] = probe(self.root, self.gitignored, kind, arg, self.listings)
        return self.probes[key]

    def is_folder(self, rel: str) -> bool:
        """Is ``rel`` (joined to the root) a folder on disk: answered once per run, recorded in :attr:`probes`."""
        return self._ask("folder", rel)

    def list_folder(self, rel: str, links: bool = True) -> list[str] | None:
        """The sorted names in the folder ``rel`` (None: not a listable folder), recorded in :attr:`probes`.
        ``links=False``: None when ``rel`` or its parent folder is a symlink, and no symlinked entry."""
        return self._ask("list" if links else "list-no-links", rel)

    def ignored(self, rel: str, is_dir: bool = False) -> bool:
        """Do git's ignore rules cover ``rel`` (a folder: ``is_dir``), recorded in :attr:`probes`: about a
        path the walk did not reach (an excluded or empty folder), only this answer shows a change of
        ``.git/info/exclude`` or of an ignore file outside the walk."""
        return self._ask("ignored-dir" if is_dir else "ignored", rel)

    def glob_files(self, pattern: str) -> list[str]:
        """The repo paths of the regular files on disk that the glob ``pattern`` (relative to the root, as
        :meth:`Path.glob`) matches, sorted; recorded in :attr:`probes`."""
        return self._ask("glob", pattern)


def leads_outside(path: str) -> bool:
    """A repository-relative path (normalised or not) that climbs above the root (``../x.yml``, ``a/../../x``)."""
    path = posixpath.normpath(path) if path else path
    return path == ".." or path.startswith("../")


#: what :func:`probe` answers of a path out of the root, by kind: nothing there
_OUTSIDE: dict[str, Any] = {"exists": False, "read": None, "folder": False, "list": None, "list-no-links": None,
                            "glob": []}

#: A question a run asked of the file system beyond the walk: (kind, argument), see :func:`probe`.
Probe = tuple[str, str]

def probe(root: Path, gitignored: Callable[[str, bool], bool], kind: str, arg: str,
          listings: Listings | None = None) -> Any:
    """The answer to a :data:`Probe` about the tree at ``root`` now, JSON-compatible (so the run cache can
    store it and ask again: :mod:`hueylint.runcache`):

    * ``exists``: a regular file (links followed) that is not git-ignored (``gitignored(rel, is_dir)``); no
      file when a folder on its path that ``listings`` holds has no entry of that name (names compare exactly,
      as on Linux, where deployments run: no ``stat`` for the thousands of module candidates that are not
      there);
    * ``read``: the :data:`hueylint.discovery.Stamp` of the file and its real path (a list), None when it
      cannot be stat'ed: a link re-pointed to the same inode elsewhere (a hard link outside the tree) keeps
      the stamp, but whether the file may be read depends on where it really is;
    * ``folder``: a folder (links followed); ``list``: its sorted names, None when it cannot be listed or is
      out of the root through a link (a drop-in folder or ``.woodpecker`` linked to ``/etc``: its names are no
      file of the repository, and naming them in a notice shows what is outside);
      ``list-no-links``: the same without symlinked entries, None when the folder or its parent is a link;
    * ``ignored``/``ignored-dir``: whether git's ignore rules (``gitignored``) cover the file or folder;
    * ``tree``: the sorted repo paths of every regular file below the root a walk reaches (:func:`_tree`);
    * ``glob``: the sorted repo paths of the regular files the glob pattern matches (:func:`_glob`; its folder
      listings kept in ``listings`` when given, for the run's next globs: the tree is taken as unchanged
      during a run, as every memo of :class:`Workspace` takes it).

    Paths come from scanned text: nothing here raises (a name too long for the file system is no file), and a
    path out of the root (``../x``, ``/etc``) is no file or folder of the repository: the file system is not
    asked (a ``COPY ../x`` was stat'ed, a folder outside the tree could be listed).
    Strings, not :class:`Path`: a replay asks thousands of these questions."""
    if kind in _OUTSIDE and (arg.startswith("/") or (".." in arg and leads_outside(arg))):
        return _OUTSIDE[kind]
    if kind in ("exists", "folder") and listings and _unlisted(arg, listings):
        return False
    path = os.path.join(root, arg)
    if kind == "exists":
        return os.path.isfile(path) and not gitignored(arg, False)
    if kind == "read":
        try:
            return [*stamp_of(os.stat(path)), os.path.realpath(path)]
        except (OSError, ValueError):
            return None
    if kind == "folder":
        return os.path.isdir(path)
    if kind in ("list", "list-no-links"):
        try:
            if kind == "list":  # through links, but never a folder out of the root (a link to `/etc`)
                return sorted(os.listdir(path)) if below(os.path.realpath(path), os.path.realpath(root)) else None
            if os.path.islink(path) or os.path.islink(os.path.dirname(path)):
                return None
            with os.scandir(path) as entries:
                return sorted(entry.name for entry in entries if not entry.is_symlink())
        except (OSError, ValueError):
            return None
    if kind in ("ignored", "ignored-dir"):
        return gitignored(arg, kind == "ignored-dir")
    if kind == "glob":
        try:
            return sorted(_glob(str(root), arg, listings, gitignored))
        except (ValueError, OSError):
            return []
    if kind == "tree":
        return _tree(str(root), gitignored)
    raise ValueError(f"unknown probe {kind!r}")


def _tree(root: str, gitignored: Callable[[str, bool], bool]) -> list[str]:
    """The repo paths of the regular files below ``root`` (links to files included: a read checks where they lead),
    sorted, in the folders a walk enters: not one it never enters (:func:`hueylint.discovery.never_walked`), a
    virtualenv, a symlinked folder or one git ignores, no deeper than :data:`MAX_FOLDER_DEPTH`.  One listing per
    folder, the entries' types from it (no ``stat`` but for a link)."""
    found: list[str] = []
    todo = [""]
    while todo:
        folder = todo.pop()
        try:
            with os.scandir(os.path.join(root, folder) if folder else root) as listing:
                entries = list(listing)
        except (OSError, ValueError):
            continue
        if folder and any(entry.name == VENV_MARKER for entry in entries):
            continue
        for entry in entries:
            rel = f"{folder}/{entry.name}" if folder else entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if (rel.count("/") < MAX_FOLDER_DEPTH and not never_walked(folder or ".", entry.name)
                            and not gitignored(rel, True)):
                        todo.append(rel)
                elif entry.is_file():
                    found.append(rel)
            except OSError:
                continue
    return sorted(found)


def _unlisted(rel: str, listings: Listings) -> bool:
    """A part of the repo path ``rel`` is missing from the listing of the folder above
    it, a folder ``listings`` holds: no such file or folder.  False when no listed folder says so, or when
    ``rel`` has a ``..`` part (the file system answers: ``app/sub/../tasks.py`` is ``app/tasks.py``)."""
    if ".." in rel:
        return False
    folder, _, name = rel.rpartition("/")
    if name not in ("", "."):
        names = _listed_names(folder, listings)
        if names is not None:  # its folder was listed, so the folders above it are there
            return name not in names
    folder = ""
    for part in rel.split("/"):
        if part in ("", "."):
            continue
        names = _listed_names(folder, listings)
        if names is None:
            return False  # not listed (a folder the walk skipped, a symlink): the file system answers
        if part not in names:
            return True
        folder = f"{folder}/{part}" if folder else part
    return False


def _listed_names(folder: str, listings: Listings) -> frozenset[str] | None:
    """The names in ``folder`` (repo path) when ``listings`` holds its listing, as a set made once per folder (a
    replay asks thousands of :func:`_unlisted` questions, the Django tree 12,700, and a large folder's list of
    names was scanned for each); None when it was not listed."""
    names = listings.get((folder, "names"))
    if names is None:
        listed = listings.get((folder, "scan"))
        if listed is None:
            return None
        names = listings[folder, "names"] = frozenset(listed[0])
    return names


def _glob(root: str, pattern: str, listings: Listings | None = None,
          gitignored: Callable[[str, bool], bool] | None = None) -> set[str]:
    """The repo paths of the regular files below ``root`` that ``pattern`` matches, as :meth:`Path.glob` (``*``,
    ``?``, ``[...]`` within a name, dot files included, case-sensitive; ``**`` any folders, itself too, symlinked
    ones not entered, nor those the walk never enters or git ignores: :func:`_repository_folder`), but never
    through a symlinked folder leading outside ``root`` and no deeper than the walk goes
    (:data:`MAX_FOLDER_DEPTH`): ``d/*/*.conf`` with ``d -> /home`` listed folders outside the tree (their files
    named in notices), and pathlib's recursive ``**`` raised RecursionError in a tree 1,000 folders deep.
    A file found through a folder link is named by its real folder.  A pattern with ``..`` or an absolute one
    finds nothing."""
    parts, real = [part for part in pattern.split("/") if part not in ("", ".")], os.path.realpath(root)
    if not parts or ".." in parts or pattern.startswith("/"):
        return set()
    found: set[str] = set()
    todo, seen = [("", 0)], set()
    while todo:
        folder, index = todo.pop()
        if (folder, index) in seen:
            continue
        seen.add((folder, index))
        part, last = parts[index], index == len(parts) - 1
        deep = folder.count("/") + 1 if folder else 0
        if part == "**":  # as the last part it matches folders only: no file
            if not last:
                todo.extend((sub, index + 1) for sub in _below(root, folder, listings, gitignored))
            continue
        names = _scan(root, folder, listings)[0]
        # a literal part is looked up in its folder's names (listed once): asking the file system whether
        # each folder holds `management` made the Django tree's `**/management/...` globs stat 3,800 paths
        for name in names if glob.has_magic(part) else [part] if part in names else []:
            if name in (".", "..") or not fnmatch.fnmatchcase(name, part):
                continue
            rel = posixpath.join(folder, name)
            if last:
                path = os.path.join(root, rel)
                if os.path.isfile(path):  # by its own folder, not a linked one: the same file once
                    place = os.path.relpath(os.path.realpath(os.path.dirname(path)), real).replace(os.sep, "/")
                    found.add(posixpath.normpath(posixpath.join(place, name)))
            elif deep < MAX_FOLDER_DEPTH and _enters(root, rel, real, listings):
                todo.append((rel, index + 1))
    return found


def _below(root: str, folder: str, listings: Listings | None,
           gitignored: Callable[[str, bool], bool] | None) -> list[str]:
    """The folders ``**`` stands for from ``folder`` (repo path): itself and every folder below it that
    :func:`_repository_folder` lets a glob enter, no deeper than the walk goes.  ``listings``: worked out once
    per folder, and each folder's subfolders judged once, kept there (a replay of the Django tree asks six
    ``**/...`` globs, which judged its 3,977 folders each); a subfolder the walk entered is not judged again
    (its ignore rules asked of 3,977 folders were a third of the Django tree's replayed globs)."""
    known = listings.get((folder, "below")) if listings is not None else None
    if known is not None:
        return known
    found: list[str] = []
    todo = [folder]
    while todo:
        current = todo.pop()
        found.append(current)
        if (current.count("/") + 1 if current else 0) < MAX_FOLDER_DEPTH:
            subfolders = listings.get((current, "below-next")) if listings is not None else None
            if subfolders is None:
                prefix = f"{current}/" if current else ""
                subfolders = []
                for name in _scan(root, current, listings)[1]:
                    sub = prefix + name  # a folder the walk entered is one (Listings' "walked"): not judged again
                    if (listings is not None and (sub, "walked") in listings) or \
                            _repository_folder(root, current, name, sub, listings, gitignored):
                        subfolders.append(sub)
                if listings is not None:
                    listings[current, "below-next"] = subfolders
            todo.extend(subfolders)
    if listings is not None:
        listings[folder, "below"] = found
    return found


def _repository_folder(root: str, folder: str, name: str, rel: str, listings: Listings | None,
                       gitignored: Callable[[str, bool], bool] | None) -> bool:
    """May ``**`` go into the folder ``name`` of ``folder`` (``rel``: its repo path): not one the walk never enters
    (``.git``, ``node_modules``, a build output, a virtualenv: :func:`hueylint.discovery.never_walked`), nor
    one git ignores.  A repository's own files are what a glob looks for (a Django project's management
    commands): every run that followed one listed ``.git/objects``, and a monorepo's ``node_modules``."""
    return not (never_walked(folder, name) or VENV_MARKER in _scan(root, rel, listings)[0]
                or (gitignored is not None and gitignored(rel, True)))


def _enters(root: str, rel: str, real: str, listings: Listings | None) -> bool:
    """Whether a glob goes into ``rel`` (repo path) below ``root`` (``real``: its real path): a folder, reached
    through no symlink leading outside ``root``.  ``listings``: answered once per path, kept there."""
    if listings is not None:
        known = listings.get((rel, "enter"))
        if known is None:
            known = listings[rel, "enter"] = _enters(root, rel, real, None)
        return bool(known)
    path = os.path.join(root, rel)
    return os.path.isdir(path) and (not os.path.islink(path) or below(os.path.realpath(path), real))


def _scan(root: str, folder: str, listings: Listings | None = None) -> tuple[list[str], list[str]]:
    """(the names in ``folder`` (repo path) below ``root``, the names of its folders that are no symlinks), from
    one listing (the entries' types come with it: no ``stat``); empty when it cannot be listed.
    ``listings``: listed once per folder, kept there."""
    if listings is not None:
        known = listings.get((folder, "scan"))
        if known is None:
            known = listings[folder, "scan"] = _scan(root, folder)
        return known
    names: list[str] = []
    folders: list[str] = []
    try:
        with os.scandir(os.path.join(root, folder) if folder else root) as entries:
            for entry in entries:
                names.append(entry.name)
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.name)
    except (OSError, ValueError):
        return [], []
    return names, folders


def named_folders(paths: list[Path], root: Path, stdin_name: str | None) -> list[str]:
    """The folders (repo paths, ``""`` the root) from each path named on the command line (a file's own
    folder, the ``--stdin-filename``'s) up to the root that the walk did not cover: no named path is that
    folder or above it.  Empty when the root itself is named (``hueylint check .``); paths outside the root
    give none."""
    named = [rel_path(path, root) for path in [*paths, *([Path(stdin_name)] if stdin_name else [])]]
    walked = {"" if rel == "." else rel for rel, path in zip(named, paths) if path.is_dir()}
    folders: list[str] = []
    for rel in named:
        folder = posixpath.dirname(rel)  # a named folder is walked: its parents are not
        if rel.startswith("../") or os.path.isabs(rel):
            continue
        while True:
            covered = any(folder == done or folder.startswith(done + "/") or done == "" for done in walked)
            if covered or folder in folders:
                break
            folders.append(folder)
            if not folder:
                break
            folder = posixpath.dirname(folder)
    return folders
