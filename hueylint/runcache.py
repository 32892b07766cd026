"""The run cache: when nothing a previous ``hueylint check`` read has changed, replay its result.

Like a build system's up-to-date check (make, ninja, mypy's "no changes" path), a run is a function of its
inputs, and when every input is as it was, its result is too:

* hueylint's own code: its version, the stamps of every file of the package and of the rule catalog, the
  Python version and the stamps of the ``site-packages`` folders Python imports from (installing,
  upgrading or removing a dependency changes its folder): :func:`code_stamp`, the name of the entries'
  folder;
* the resolved settings (the configuration file's values, and the command line's ``--select``, ``--ignore``,
  ``--fail-on``, ``--exclude``, ...), the options that change findings (``--show-unused-ignores``), the
  environment variables the run reads (``HUEYLINT_DEBUG``; ``GITHUB_WORKSPACE`` decides the root), the
  paths named, the current folder and the run root: the entry's *slot* (:attr:`RunCache.slot`), so the
  cache holds one entry per project and invocation and stays small;
* the walked files: every file's path and stamp (size, mtime_ns, ctime_ns, inode, device:
  :data:`hueylint.discovery.Stamp`), the walk's notices and the checked roots (:attr:`RunCache.digest`).
  Equal stamps mean unchanged content, as git's index and ruff's cache assume: a checkout or an editor
  cannot write a file without the kernel setting its ``ctime``;
* whatever the run learnt about the tree beyond the walk (:attr:`hueylint.workspace.Workspace.probes`):
  files read outside the walk (an excluded app module a launch names: their stamps and real paths), and the answers of
  file, folder, listing, glob and git-ignore probes (a module looked up in an excluded folder).  Replaying asks each
  question again (:func:`hueylint.workspace.probe`) and compares the answers.

The walk always runs (it is the cheap part, and it gives the stamps); on a hit nothing else is read, parsed
or built.  A file written in the 2 seconds before the run started (or during the run) could still change
within the file system's timestamp granularity without changing its stamp (git's "racy" files), so such a
run is not stored (:data:`RACY_NS`).

Entries are JSON with a fixed schema, decoded only into :class:`~hueylint.findings.Finding`,
:class:`~hueylint.discovery.Notice` and :class:`Replay`; anything else is a miss.  They live in the cache
folder (:mod:`hueylint.cachestore`, kind ``runs``), with its safety rules: never inside the checked tree,
never a folder of another user or a symlink.  ``--no-cache`` neither reads nor writes them.  A project keeps
one entry per invocation (settings, options, paths) of the current hueylint code, at most
:data:`MAX_ENTRIES`: a run over a changed tree replaces its entry, the oldest entries beyond the limit are
removed, and the first entry of new code removes those of the older one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import time
from array import array
from dataclasses import field, replace
from itertools import chain
from pathlib import Path
from typing import Any, Callable, TypeVar

from hueylint import __version__
from hueylint.cachestore import CacheStore, json_loc, loc_json, text_key
from hueylint.discovery import Notice, Walked
from hueylint.findings import Edit, Finding, Fix, Related, Severity
from hueylint.locations import Loc
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.workspace import probe

KIND = "runs"
#: Bumped when the entries' JSON layout changes.
SCHEMA = 1
#: A run that saw a file changed less than this before it started (ctime or mtime; a FAT or HFS+ timestamp
#: is rounded to 1-2 s), or during it, is not stored: a write within the same timestamp tick would keep
#: the stamp the entry was made with.
RACY_NS = 2_000_000_000
#: The entries a project keeps (one per invocation: settings, options, paths), the most recently used.
MAX_ENTRIES = 32
#: Environment variables that change what a run reports (HUEYLINT_DEBUG re-raises internal errors).
ENVIRONMENT = ("HUEYLINT_DEBUG",)

_CODE: str | None = None


def code_stamp() -> str:
    """A hash of hueylint's version and code: the stamps of the package's files and the rule catalog's,
    the Python version, the stamps of the ``site-packages`` folders on ``sys.path`` (a dependency
    installed, upgraded or removed changes its folder) and of the folder each dependency is imported from
    (:func:`_dependency_folders`: also on ``PYTHONPATH`` or installed in editable mode).  Computed once per
    process (about 3 ms: 190 stat calls, no reads)."""
    global _CODE
    if _CODE is None:
        from hueylint.catalog import CatalogError, catalog_dir

        digest = hashlib.sha256(f"{SCHEMA}\0{__version__}\0{sys.version}\0{sys.prefix}".encode())
        package = Path(__file__).resolve().parent
        folders = [str(package)]
        try:
            folders.append(str(catalog_dir()))
        except CatalogError:
            pass
        for top in folders:
            for folder, subfolders, files in os.walk(top):
                subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
                for name in sorted(files):
                    digest.update(_stamp_text(os.path.join(folder, name)))
        for entry in sys.path:  # the folders packages are installed in (not the current or the script's folder)
            if os.path.basename(entry) in ("site-packages", "dist-packages"):
                digest.update(_stamp_text(entry))
        for folder in _dependency_folders():
            digest.update(_stamp_text(folder))
        _CODE = digest.hexdigest()[:16]
    return _CODE


#: The import names of hueylint's dependencies (pyproject.toml), whose code decides results too.
DEPENDENCIES = ("libcst", "ruamel.yaml", "yaml", "dockerfile_parse", "rich", "platformdirs", "pathspec", "tree_sitter",
                "tree_sitter_bash", "tree_sitter_hcl", "packaging", "tomli")


def _dependency_folders() -> list[str]:
    """The folders Python would import each of :data:`DEPENDENCIES` from, found on ``sys.path`` without
    importing it (a dependency on ``PYTHONPATH`` or installed in editable mode lives outside
    ``site-packages``; reinstalling or upgrading one re-creates its folder, which changes its stamp)."""
    from importlib.machinery import PathFinder

    folders: list[str] = []
    for name in DEPENDENCIES:
        top, _, rest = name.partition(".")
        try:
            spec = PathFinder.find_spec(top, sys.path)
        except (ImportError, ValueError, OSError):
            spec = None
        if spec is None:
            folders.append(f"<no {name}>")
            continue
        places = list(spec.submodule_search_locations or ()) or [spec.origin or ""]
        folders.extend(os.path.join(place, rest) if rest else place for place in places)
    return folders


def _stamp_text(path: str) -> bytes:
    try:
        info = os.stat(path)
    except OSError:
        return f"{path}\0-\n".encode("utf-8", "surrogateescape")
    return f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}\n".encode(
        "utf-8", "surrogateescape")


@dataclass(frozen=True)
class Kept:
    """The early cutoff's verdict on one edited Python module that gives every reading the stored run took
    from it (:func:`hueylint.python_edits.unchanged`): ``lines`` maps each old line number whose text is still
    in the module to its new number when lines moved (a line missing from it was changed or removed), None
    when no line moved."""

    lines: dict[int, int] | None = None
    #: the module's ledger as a run of its present text would note it (:func:`hueylint.python_edits.ledgers`):
    #: its positions and line hashes those of the present lines, its facts readings' keys those of the present
    #: text; :meth:`RunCache.renew` stores it
    ledger: Any = None
    #: the questions the verdict asked of the tree beyond the walk, (kind, argument, answer) as
    #: :func:`hueylint.workspace.probe` answers them (an import added that resolves to no module of the
    #: repository): :meth:`RunCache.renew` stores them with the run's own, so a module created later under that
    #: name is a full run
    probes: tuple[tuple[str, str, Any], ...] = ()


@dataclass
class Replay:
    """What the reporters and the CLI read of a run's :class:`hueylint.engine.Result` (never the model):
    the findings (with severity, related locations, fix and fingerprint), the notices, the counts, the
    warnings for stderr, the files read (``-o`` never overwrites one) and the source lines the text format
    shows (``lines[(path, line)]``, the analysed text of each finding's line)."""

    findings: list[Finding]
    notices: list[Notice]
    files_checked: int
    suppressed: int = 0
    warnings: list[str] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    lines: dict[tuple[str, int], str] = field(default_factory=dict)
    extra: dict[str, int | str] = field(default_factory=dict)


class RunCache:
    """The run cache of one invocation on the tree at ``root`` (see the module's documentation).

    ``walked``: the run's :func:`hueylint.discovery.walk_tree`; ``settings``: the resolved
    :class:`hueylint.config.Settings`; ``options``: the other values that change the findings
    (``{"show_unused_ignores": ...}``); ``enabled=False`` (``--no-cache``) neither reads nor writes."""

    def __init__(self, root: Path, paths: list[Path], settings: object, walked: Walked,
                 options: dict[str, object], enabled: bool = True, cache_dir: str | None = None) -> None:
        self.root = root
        self.walked = walked
        self.store = CacheStore(root, KIND, code_stamp, enabled=enabled, cache_dir=cache_dir)
        self.slot = text_key(  # Settings is a dataclass of plain values: its repr is its content
            repr(settings), json.dumps(options, sort_keys=True), str(root), os.getcwd(),
            "\0".join(os.path.abspath(path) for path in paths),
            "\0".join(f"{name}={os.environ.get(name)}" for name in ENVIRONMENT))
        self.digest = _walk_digest(walked)
        #: what :meth:`renew` stores after a replay through the early cutoff: the stored probes, the result
        #: replayed and the edited modules' present ledgers
        self._renewal: tuple[list[Any], Replay, dict[str, Any]] | None = None
        #: the early cutoff's entry as :meth:`_cut_off` read it, for :meth:`renew` (a Django tree's is 0.7 MB of JSON)
        self._edits: dict[str, Any] | None = None

    @property
    def enabled(self) -> bool:
        return self.store.enabled

    def replay(self, unchanged: Callable[[str, object], Kept | None] | None = None) -> Replay | None:
        """The stored result when the walk's digest and every probe's answer are as stored, else None.

        ``unchanged(rel, ledger)``: the early cutoff (:mod:`hueylint.python_edits`): when the walk differs
        from the stored run's only in the stamps of Python modules, the stored result is replayed if
        ``unchanged`` keeps each changed module with what the stored run took from it (its ledger, given to
        :meth:`save`); the positions in a module whose lines moved are moved with them (:func:`moved`)."""
        entry = self.store.read(self.slot)
        if not isinstance(entry, dict) or entry.get("schema") != SCHEMA:
            return None
        moves: dict[str, dict[int, int]] = {}
        renewed: dict[str, Any] | None = None
        asked: dict[tuple[str, str], Any] = {}
        if entry.get("digest") != self.digest:
            cut = self._cut_off(entry, unchanged) if unchanged is not None else None
            if cut is None:
                return None
            moves, renewed, asked = cut
        try:
            probes = entry["probes"]
            if not isinstance(probes, list):
                return None
            listings = self.walked.listings  # what the walk listed, and the globs' listings, as in the run
            for kind, arg, answer in probes:
                if not isinstance(kind, str) or not isinstance(arg, str) or \
                        probe(self.root, self.walked.gitignored, kind, arg, listings) != answer:
                    return None
            replay = decode(entry["result"])
        except (KeyError, TypeError, ValueError):
            return None
        if moves:
            moved_replay = moved(replay, moves)
            if moved_replay is None:
                return None
            replay = moved_replay
        _touch(self.store.path(self.slot))  # used now: the entries kept are the most recently used (_keep_newest)
        if renewed is not None:
            known = {(kind, arg) for kind, arg, _ in entry["probes"]}
            self._renewal = ([*entry["probes"], *([kind, arg, answer] for (kind, arg), answer in asked.items()
                                                   if (kind, arg) not in known)], replay, renewed)
        return replay

    def renew(self, started_ns: int) -> bool:
        """After :meth:`replay` gave a stored result through the early cutoff, store it as the result of the
        tree as it is now (its places moved, the edited modules' ledgers those of their present text: the
        :attr:`Kept.ledger` of each), as a full run over it would: the next run replays it at once, and its
        early cutoff compares an edited module with this text, so the modules edited since the last full run
        are not judged again at every run.  Not when a file changed since ``started_ns`` - :data:`RACY_NS`
        (see :meth:`save`); returns whether it stored."""
        if self._renewal is None:
            return False
        probes, replay, renewed = self._renewal
        self._renewal = None
        edits = self._edits if self._edits is not None else self.store.read(self._edits_slot)
        if not isinstance(edits, dict) or not isinstance(edits.get("ledgers"), dict):
            return False
        ledgers = {**edits["ledgers"], **renewed}
        return self.save(replay, {(kind, arg): answer for kind, arg, answer in probes}, started_ns, ledgers)

    def _cut_off(self, entry: dict[str, Any], unchanged: Callable[[str, object], Kept | None]
                 ) -> tuple[dict[str, dict[int, int]], dict[str, Any], dict[tuple[str, str], Any]] | None:
        """Is the walk the stored run's (``entry``) but for Python modules ``unchanged`` keeps (see
        :meth:`replay`)?  None when not, else the line moves of each kept module whose lines moved (by repo
        path: old line number to new), the ledger of each kept module's present text (:attr:`Kept.ledger`) and
        the questions the verdicts asked beyond the walk with their answers (:attr:`Kept.probes`).
        The modules' ledgers must be that run's own (an entry written without them, or a run stopped between
        the two writes, leaves an older run's beside it)."""
        edits = self.store.read(self._edits_slot)
        if not isinstance(edits, dict) or edits.get("schema") != SCHEMA or edits.get("run") != entry.get("digest"):
            return None
        self._edits = edits
        stamps, ledgers = edits.get("stamps"), edits.get("ledgers")
        if not isinstance(stamps, dict) or not isinstance(ledgers, dict) or \
                edits.get("digest") != _walk_digest(self.walked, set(stamps)):
            return None
        changed = [rel for rel, stamp in stamps.items() if self.walked.stamps.get(rel) != tuple(stamp or ())]
        if not changed:
            return None
        moves: dict[str, dict[int, int]] = {}
        renewed: dict[str, Any] = {}
        asked: dict[tuple[str, str], Any] = {}
        for rel in changed:
            kept = unchanged(rel, stored_ledger(ledgers, rel))
            if kept is None:
                return None
            if kept.lines is not None:
                moves[rel] = kept.lines
            renewed[rel] = kept.ledger
            asked.update(((kind, arg), answer) for kind, arg, answer in kept.probes)
        return moves, renewed, asked

    @property
    def _edits_slot(self) -> str:
        """The key of the entry :meth:`save` keeps for the early cutoff beside the run's own (read only when
        the walk changed)."""
        return text_key(self.slot, "python-edits")

    def save(self, replay: Replay, probes: dict[tuple[str, str], object], started_ns: int,
             ledgers: dict[str, object] | None = None) -> bool:
        """Store ``replay`` with the run's ``probes`` (:attr:`hueylint.workspace.Workspace.probes`); not
        when a file the run read changed since ``started_ns`` - :data:`RACY_NS` (returns whether it did).
        ``ledgers``: what the run took from each walked Python module (:func:`hueylint.python_edits.ledgers`),
        for the early cutoff of :meth:`replay`."""
        if not self.store.enabled:
            return False
        # a time set by hand far in the future (an archive's mtime) is no write during the run
        since, until = started_ns - RACY_NS, time.time_ns() + RACY_NS
        stamps = [*self.walked.stamps.values(),
                  *(answer for (kind, _), answer in probes.items() if kind == "read" and answer)]
        if any(since <= stamp[1] <= until or since <= stamp[2] <= until for stamp in stamps):  # type: ignore[index]
            return False
        fresh = not os.path.isdir(self.store.folder)
        self.store.write(self.slot, {
            "schema": SCHEMA, "digest": self.digest,
            "probes": [[kind, arg, answer] for (kind, arg), answer in probes.items()],
            "result": encode(replay)})
        if ledgers:
            modules = {rel for rel in ledgers if rel}  # (the "" entry holds what all left-out modules share)
            self.store.write(self._edits_slot, {
                "schema": SCHEMA, "run": self.digest, "digest": _walk_digest(self.walked, modules),
                "stamps": {rel: self.walked.stamps.get(rel) for rel in modules}, "ledgers": ledgers})
        _touch(self.store.path(self.slot))
        if fresh:
            _prune(self.store.folder)
        else:
            _keep_newest(self.store.folder, MAX_ENTRIES)
        return True


def _touch(path: Path) -> None:
    """Mark an entry used now, with the clock's own nanoseconds: the kernel stamps a write or a bare ``utime``
    with its coarse clock (a few milliseconds a tick), so two uses in one tick would tie and
    :func:`_keep_newest` could drop the newer one."""
    now = time.time_ns()
    try:
        os.utime(path, ns=(now, now))
    except OSError:
        pass


def _keep_newest(folder: Path, count: int) -> None:
    """Remove all but the ``count`` most recently used entries of ``folder`` (written or replayed: a replay
    touches its entry; pre-commit names other files at every commit, each list of paths an invocation)."""
    try:
        with os.scandir(folder) as files:
            entries = [(entry.stat(follow_symlinks=False).st_mtime_ns, entry.path) for entry in files
                       if entry.name.endswith(".json") and entry.is_file(follow_symlinks=False)]
    except OSError:
        return
    for _, path in sorted(entries, reverse=True)[count:]:
        try:
            os.unlink(path)
        except OSError:
            pass


def _prune(folder: Path) -> None:
    """Remove the project's entries of other hueylint versions or code (the folders ``runs-*`` beside
    ``folder``): the cache keeps one generation of runs, so it stays small however often hueylint changes."""
    try:
        with os.scandir(folder.parent) as entries:
            stale = [entry.path for entry in entries if entry.name.startswith(f"{KIND}-") and entry.name != folder.name
                     and entry.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)


#: the stamp hashed for a ``loose`` file by :func:`_walk_digest` (no file has a negative size)
_LOOSE_STAMP = (-1, -1, -1, -1, -1)


def _walk_digest(walked: Walked, loose: set[str] | frozenset[str] = frozenset()) -> str:
    """A hash of what the walk found: the roots and notices, every file's repo path, and the stamp of every file
    that has one (but for the ``loose`` files: their paths only).  The stamps are hashed as one array of 64-bit
    integers, not as JSON text (the Django tree's 8,430: 18 -> 5 ms on the VM under load; a run computes this once,
    an early cutoff twice), each part after its length, so no two walks give the same bytes; a stamp beyond 64 bits
    (an inode number on some file systems) has them hashed as JSON instead."""
    digest = hashlib.sha256()

    def part(data: bytes) -> None:
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)

    part(json.dumps([walked.roots, [[notice.rel, notice.reason] for notice in walked.notices]]).encode())
    part("\0".join([rel for _, rel in walked.candidates]).encode("utf-8", "surrogatepass"))
    stamps = walked.stamps
    part("\0".join(stamps).encode("utf-8", "surrogatepass"))
    values = [_LOOSE_STAMP if rel in loose else stamp for rel, stamp in stamps.items()] if loose else stamps.values()
    try:
        part(b"q" + array("q", chain.from_iterable(values)).tobytes())
    except OverflowError:
        part(b"j" + json.dumps(list(values)).encode())
    return digest.hexdigest()


# --- JSON: a fixed layout, decoded into known classes only (anything else raises ValueError) ---


def _finding(finding: Finding) -> dict[str, object]:
    fix = finding.fix
    return {
        "rule": finding.rule, "message": finding.message, "loc": loc_json(finding.loc),
        "severity": int(finding.severity) if finding.severity is not None else None,
        "related": [[loc_json(related.loc), related.message] for related in finding.related],
        "fix": None if fix is None else [fix.description, fix.safety, [
            [edit.path, edit.line, edit.col, edit.end_line, edit.end_col, edit.replacement] for edit in fix.edits]],
        "fingerprint": finding.fingerprint,
    }


def encode(replay: Replay) -> dict[str, object]:
    """``replay`` as JSON data (:func:`decode` reads it back)."""
    return {
        "findings": [_finding(finding) for finding in replay.findings],
        "notices": [[notice.rel, notice.reason] for notice in replay.notices],
        "files_checked": replay.files_checked, "suppressed": replay.suppressed,
        "warnings": list(replay.warnings), "inputs": list(replay.inputs),
        "lines": [[path, line, text] for (path, line), text in replay.lines.items()],
        "extra": dict(replay.extra),
    }


def _of(kind: type | tuple[type, ...], value: Any) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise ValueError(f"{type(value).__name__} where {kind} was expected")
    return value


def _str(value: Any) -> str:
    return _of(str, value)


def _int(value: Any) -> int:
    return _of(int, value)


def _list(value: Any, item: Callable[[Any], Any]) -> list[Any]:
    return [item(element) for element in _of(list, value)]


def _decode_edit(data: Any) -> Edit:
    path, line, col, end_line, end_col, replacement = _of(list, data)
    return Edit(_str(path), _int(line), _int(col), _int(end_line), _int(end_col), _str(replacement))


def _decode_related(data: Any) -> Related:
    loc, message = _of(list, data)
    return Related(json_loc(loc), _str(message))


def _decode_finding(data: Any) -> Finding:
    data = _of(dict, data)
    severity = data["severity"]
    fix = data["fix"]
    if fix is not None:
        description, safety, edits = _of(list, fix)
        fix = Fix(_str(description), tuple(_list(edits, _decode_edit)), _str(safety))
    return Finding(_str(data["rule"]), _str(data["message"]), json_loc(data["loc"]),
                   None if severity is None else Severity(_int(severity)),
                   _list(data["related"], _decode_related), fix, _str(data["fingerprint"]))


def _decode_notice(data: Any) -> Notice:
    rel, reason = _of(list, data)
    return Notice(_str(rel), _str(reason))


def _decode_line(data: Any) -> tuple[tuple[str, int], str]:
    path, line, text = _of(list, data)
    return (_str(path), _int(line)), _str(text)


def decode(data: Any) -> Replay:
    """The :class:`Replay` :func:`encode` wrote; ``ValueError`` (or ``KeyError``/``TypeError``) for
    anything else."""
    data = _of(dict, data)
    extra = _of(dict, data["extra"])
    return Replay(
        findings=_list(data["findings"], _decode_finding),
        notices=_list(data["notices"], _decode_notice),
        files_checked=_int(data["files_checked"]), suppressed=_int(data["suppressed"]),
        warnings=_list(data["warnings"], _str), inputs=_list(data["inputs"], _str),
        lines=dict(_list(data["lines"], _decode_line)),
        extra={_str(key): _of((int, str), value) for key, value in extra.items()})


_Place = TypeVar("_Place", Loc, Edit)


def moved(replay: Replay, moves: dict[str, dict[int, int]]) -> Replay | None:
    """``replay`` with every position in a module whose lines moved (``moves``: by repo path, old line number
    to new) moved with its line: the findings' places, related places and fix edits, the positions messages,
    notices and warnings quote (``path:line``, as :class:`~hueylint.locations.Loc` prints them) and the lines
    shown.  None when one of them is on a line that no longer exists as it was, or on a first line that
    moved: a module's first line is also where a place without a line of its own is put (an app defined by its
    entry module, ``hueylint.appmodel.App.loc``), which stays there (a full run then)."""
    def line(path: str | None, number: int) -> int:
        if path not in moves or not number:
            return number
        new = moves[path].get(number)
        if new is None or (number == 1 and new != 1):
            raise LookupError(f"{path}:{number}")
        return new

    def shifted(place: _Place) -> _Place:  # a Loc or an Edit: both have path, line and end_line
        if place.path not in moves:
            return place
        return replace(place, line=line(place.path, place.line), end_line=line(place.path, place.end_line))

    quoted = re.compile("|".join(rf"(?<![\w./-]){re.escape(path)}:(\d+)" for path in sorted(moves)))

    def text(value: str) -> str:
        if not any(path in value for path in moves):
            return value

        def one(match: re.Match[str]) -> str:
            path, _, number = match.group(0).rpartition(":")
            return f"{path}:{line(path, int(number))}"

        return quoted.sub(one, value)

    try:
        findings = [replace(finding, loc=shifted(finding.loc), message=text(finding.message),
                            related=[Related(shifted(item.loc), text(item.message)) for item in finding.related],
                            fix=None if finding.fix is None else replace(
                                finding.fix, description=text(finding.fix.description),
                                edits=tuple(shifted(change) for change in finding.fix.edits)))
                    for finding in replay.findings]
        return replace(replay, findings=findings,
                       notices=[Notice(notice.rel, text(_notice_line(notice, line))) for notice in replay.notices],
                       warnings=[text(warning) for warning in replay.warnings],
                       lines={(path, line(path, number)): shown for (path, number), shown in replay.lines.items()})
    except LookupError:
        return None


#: the place a notice gives of its own file: ``line N: ...`` at the start of its reason (``path:N: notice: ...``
#: as it prints)
_NOTICE_LINE = lazy_pattern(r"^line (\d+)(?=:)")


def _notice_line(notice: Notice, line: Callable[[str | None, int], int]) -> str:
    """The reason of ``notice`` with its leading ``line N`` (a place in its own file, :attr:`Notice.rel`) moved by
    ``line`` (:func:`moved`'s: a module whose lines moved; LookupError for a line that is gone)."""
    found = _NOTICE_LINE.match(notice.reason)
    if found is None:
        return notice.reason
    return f"line {line(notice.rel, int(found.group(1)))}{notice.reason[found.end():]}"


def stored_ledger(ledgers: dict[str, Any], rel: str) -> Any:
    """The stored ledger of the module ``rel`` (:func:`hueylint.python_edits.ledgers`); for a module the run never
    read, when it searched such modules' bytes for task calls, ``{"kind": "gated", "needles": [...]}`` with the
    pairs it searched for (stored once, as the ledgers' ``""`` entry); a module read on demand (``{"kind": "read"}``,
    left out by the gate and read by an import closure) gets them as its ``"needles"`` too."""
    ledger = ledgers.get(rel)
    shared = ledgers.get("")
    if isinstance(shared, dict) and shared.get("gated-needles"):
        if ledger is None:
            return {"kind": "gated", "needles": shared["gated-needles"]}
        if isinstance(ledger, dict) and ledger.get("kind") == "read":  # searched too, unless it was a source
            return {**ledger, "needles": shared["gated-needles"]}
    return ledger
