"""The run cache's early cutoff: an edit of a Python module that changes nothing a run took from it.

A build system with early cutoff (Shake, Bazel's action cache, ninja's ``restat``) rebuilds what an edited
input feeds and stops where a rebuilt output comes out unchanged.  A hueylint run takes from each Python
module only some readings, each a function of the module's path and text alone (the run records them on
its :class:`~hueylint.sources.WatchedSource`):

* ``decoded``: discovery's decoding (the format, the HL001 of a first bad byte, a byte order mark), and whether its gate
  keeps the module (a module gated out and never read stays gated out);
* ``facts``, ``imports``, ``values``: the app layer's fact readings, by their facts cache key
  (:mod:`hueylint.pyapp.cache`), compared by their stored JSON;
* ``stars``: a settings module's star imports (line, module), which the app layer follows; ``binds-settings``:
  whether a settings module's text may bind ``INSTALLED_APPS`` (:func:`hueylint.pyapp.resolve.may_bind_settings`);
* ``parses``, ``caller-only``, ``mentions`` (with the names asked), ``dates-huey``, ``directives``: verdicts and suppressions;
* the lines a finding, a fingerprint or a column showed (``shown``).

Anything else that read a module's whole text (a launch's script, a settings module's star imports, a fix)
made it ``opaque``.  :func:`ledgers` gives what the run cache stores of each walked module; when only
Python modules changed since a stored run (their stamps), :func:`unchanged` reads each again, redoes every
reading the stored run made and compares: all equal, and the stored result is this tree's result, which the
run cache replays (:meth:`hueylint.runcache.RunCache.replay`).  An opaque module, a reading that differs or
one this module does not know is a full run.

An edit that adds or removes lines moves every fact below it, so a module's positions are compared through
its moved lines, as ``git blame`` follows a line: the ledger keeps a hash of each line of a module whose
readings hold positions (:func:`line_hashes`), the lines of the old and new text that stayed as they were
are paired (:class:`difflib.SequenceMatcher`: the longest matching blocks, in order) and each position in
the stored readings is moved to its line's new number (:func:`_moved_positions`) before comparing.  All
equal, and the stored result is replayed with its positions in that module moved the same way
(:func:`hueylint.runcache.moved`); a reading on a line that changed, or suppression directives in a module
whose lines moved (a directive may govern the line below it), is a full run.  Typical pre-commit edits (a
function body of a module in an app's import closure, a comment, a function added above a task) are
replayed so; an edit that changes a fact is not.

A module the byte gate leaves out that the run read on demand (a module of an app's import closure that never
mentions huey: ``views.py``, ``utils/urls.py``) is a walked file like any other: :meth:`Workspace.file
<hueylint.workspace.Workspace.file>` asks no ``read`` question of its stamp (the walk's is compared), and its
ledger (kind ``read``: its import scan, whatever the closure took from it) is judged as a discovered module's is;
the gate's verdict is compared too (one now kept, a huey name added, is a full run), and when the run searched
left-out modules for task calls, one that now holds a searched pair is a full run.  A module read on demand
from outside the walk (one the configuration excludes) stays a ``read`` question: its edit is a full run.

An import added or removed changes a facts reading only in its ``imports`` (bound name -> dotted import),
when it changes no other fact.  Such a reading is the same reading (:meth:`_ImportEdits.unseen`) when no
reader of the run could tell the two apart: the run records every read of a module's imports
(:class:`hueylint.sources.WatchedImports`: each name looked up, by any module's reader; an import closure's
and django-split-settings' uses of the dotted imports by name; any other read makes every import count), so
a name bound differently that was looked up, or one a fact of the module names, is a full run, and each dotted
import added or removed must be absolute, no ``__future__`` import, and resolve to no module of the
repository from each set of source roots a closure resolved the module's imports from, as the closure
resolves it (:class:`Resolver`: the walk, and the file system beyond it, whose answers are stored with the
replayed result: a module created later under that name is a full run).  ``import logging``, ``from typing
import Any`` or ``import requests`` added to a module of an app's import closure are so replayed.
"""

from __future__ import annotations

import os
import re
import struct
import zlib
from base64 import b64decode, b64encode
from pathlib import Path
from typing import Any

from hueylint.runcache import Kept
from hueylint.sources import SourceFile, WatchedSource, plain_text

#: what :func:`ledgers` stores for a walked module whose whole text the run used
OPAQUE = "opaque"

#: the readings of the facts cache (:mod:`hueylint.pyapp.cache`), noted by their cache key
CACHED = ("facts", "imports", "values")

#: the readings whose stored values hold line numbers of the module
POSITIONED = (*CACHED, "stars", "test-only")


def ledgers(sources: dict[str, SourceFile], read: dict[str, SourceFile], walked: list[str],
            scanned: list[list[str]] | None = None) -> dict[str, Any]:
    """What the run took from each walked Python module (``walked``: repo paths), by repo path: None for one it
    never read (discovery's gate left it out; when the run searched such modules' bytes for task calls, the
    ``[module's last name, task name]`` pairs it searched for, ``scanned``, are the ``""`` entry's
    ``"gated-needles"``, once for all: :meth:`hueylint.pyapp.link._Linker.gated_callers`, and
    :func:`hueylint.runcache.stored_ledger` gives each such module ``{"kind": "gated", "needles": ...}``),
    :data:`OPAQUE` for one whose whole text it used, else
    ``{"kind": "source" | "read", "readings": {...}, "shown": {line: text}}`` (JSON data), with ``"lines"``
    (:func:`line_hashes`) when a reading holds positions.  ``sources`` are the run's discovered sources,
    ``read`` the files read on demand."""
    found: dict[str, Any] = {}
    for rel in walked:
        src = sources.get(rel)
        kind = "source"
        if src is None:
            src, kind = read.get(rel), "read"
        if src is None:
            found[rel] = None
        elif not isinstance(src, WatchedSource) or src.__dict__.get("opaque"):
            found[rel] = OPAQUE
        else:
            readings = dict(src.__dict__.get("readings", {}))
            found[rel] = {"kind": kind, "readings": readings,
                          "shown": {str(number): text for number, text in src.__dict__.get("shown", {}).items()}}
            if any(name in readings for name in POSITIONED):
                found[rel]["lines"] = line_hashes(plain_text(src))
            reads = src.__dict__.get("import-reads")
            if reads:
                found[rel]["import-reads"] = {name: record.json() for name, record in reads.items()
                                              if name in readings}
    if scanned:
        found[""] = {"gated-needles": scanned}  # ("" is no repo path)
    return found


def line_hashes(text: str) -> str:
    """A hash of each line of ``text`` (its :meth:`str.splitlines`, as :meth:`SourceFile.line` numbers them):
    the CRC-32 of each, 4 bytes big-endian, one base64 text (a 300-line module: 1.6 KB)."""
    crc32 = zlib.crc32
    hashes = [crc32(line.encode("utf-8", "surrogatepass")) for line in text.splitlines()]
    return b64encode(struct.pack(f">{len(hashes)}I", *hashes)).decode("ascii")  # (one pack: 30% faster)


def line_moves(old: str, text: str) -> dict[int, int] | None:
    """The new number of each line of the module whose hashes were ``old`` (:func:`line_hashes`) that is still
    in ``text``, by old number: the lines before and after the edited ones, and between them the matching
    blocks of :class:`difflib.SequenceMatcher` (no junk heuristic: blank lines pair too; quadratic, so only
    on the edited middle); None when the lines are the same."""
    new = line_hashes(text)
    if new == old:
        return None
    from difflib import SequenceMatcher

    def split(hashes: str) -> list[bytes]:
        data = b64decode(hashes)
        return [data[at:at + 4] for at in range(0, len(data), 4)]

    before, after = split(old), split(new)
    shorter = min(len(before), len(after))
    head = next((at for at in range(shorter) if before[at] != after[at]), shorter)
    tail = next((at for at in range(shorter - head) if before[-1 - at] != after[-1 - at]), shorter - head)
    moves = {line: line for line in range(1, head + 1)}
    moves.update((len(before) - at, len(after) - at) for at in range(tail))
    middle = SequenceMatcher(None, before[head:len(before) - tail], after[head:len(after) - tail], autojunk=False)
    for start, end, size in middle.get_matching_blocks():
        moves.update((head + start + offset + 1, head + end + offset + 1) for offset in range(size))
    return moves


def unchanged(root: Path, rel: str, ledger: Any, cache_dir: str | None, resolver: Resolver | None = None
              ) -> Kept | None:
    """Does the module ``rel`` as it is now give every reading ``ledger`` (from :func:`ledgers`) recorded, its
    positions moved with their lines?  The verdict (:class:`~hueylint.runcache.Kept`, with the line moves when
    lines moved), or None for an opaque module, a module no longer readable, or any reading that differs.
    A facts reading that differs only in imports the run never asked about, each resolving to no module of the
    repository from the roots the run resolved them from (``resolver``: :meth:`Resolver.imports_nothing`), is
    the same reading (:meth:`_ImportEdits.unseen`); the questions that took are the verdict's ``probes``."""
    from hueylint import discovery

    if ledger == OPAQUE:
        return None
    path = Path(os.path.join(root, rel))
    data, notice, bad = discovery.read_bytes(path, rel, "python")
    if data is None or notice is not None or bad is not None:
        return None
    kept = discovery.content_verdict(data, rel, "python")[0] == "python"
    if ledger is None:  # gated out and never read: only the gate could bring it in
        return None if kept else Kept()
    if isinstance(ledger, dict) and ledger.get("kind") == "gated":  # searched for task calls too: none then
        if kept or _searched_pair(ledger.get("needles"), data):
            return None
        return Kept()
    if not isinstance(ledger, dict) or kept != (ledger.get("kind") == "source"):
        return None
    needles = ledger.get("needles")  # a module read on demand, also searched for task calls: none now
    if needles is not None and _searched_pair(needles, data):
        return None
    readings, shown = ledger.get("readings"), ledger.get("shown")
    if not isinstance(readings, dict) or not isinstance(shown, dict):
        return None
    decoded = readings.get("decoded")
    if not isinstance(decoded, list) or len(decoded) != 3:
        return None
    src, notice, bad = discovery.classify(data, path, rel, decoded[0], gate=False)
    if src is None or notice is not None or [decoded[0], list(bad) if bad else None, src.bom] != decoded:
        return None
    try:
        old_lines = ledger.get("lines")
        moves = line_moves(old_lines, plain_text(src)) if isinstance(old_lines, str) else None
        if moves is not None and readings.get("directives") is not None:
            return None  # a directive may govern the line below it: moved apart, it governs another
        now: dict[str, Any] = {"decoded": decoded}
        reads = ledger.get("import-reads")
        judge = _ImportEdits(reads, resolver) if isinstance(reads, dict) and resolver is not None else None
        for name, value in readings.items():
            if name != "decoded":
                found = _same(src, name, value, root, cache_dir, moves, judge)
                if found is _DIFFERS:
                    return None
                now[name] = found
        moved_shown = {str(_at(int(number), moves)): text for number, text in shown.items()}
        if any(src.line(int(number)) != text for number, text in moved_shown.items()):
            return None
    except (ValueError, TypeError, KeyError, RecursionError):  # a stored ledger of another shape, a line gone
        return None
    again: dict[str, Any] = {"kind": ledger["kind"], "readings": now, "shown": moved_shown}
    if any(name in now for name in POSITIONED):
        again["lines"] = line_hashes(plain_text(src))
    if "import-reads" in ledger:  # a run of this text asks its imports the same (every answer it got is the same)
        again["import-reads"] = ledger["import-reads"]
    probes = resolver.asked() if judge is not None and judge.resolved and resolver is not None else ()
    return Kept(moves, again, probes)


def _searched_pair(needles: Any, data: bytes) -> bool:
    """Does the module's text ``data`` hold both names of a pair the run searched left-out modules for (``needles``:
    ``[[name, name], ...]``, :func:`hueylint.runcache.stored_ledger`), or are the stored needles not of that shape?
    Either way only a full run can judge the module."""
    return not isinstance(needles, list) or any(
        not isinstance(needle, list) or len(needle) != 2 or (str(needle[0]).encode() in data
                                                             and str(needle[1]).encode() in data)
        for needle in needles)


def _at(number: int, moves: dict[int, int] | None) -> int:
    """The line now numbered where old line ``number`` was (KeyError: that line changed or was removed)."""
    return number if moves is None or not number else moves[number]


#: what :func:`_same` returns for a reading that differs
_DIFFERS = object()


def _same(src: SourceFile, name: str, old: Any, root: Path, cache_dir: str | None,
          moves: dict[int, int] | None = None, judge: _ImportEdits | None = None) -> Any:
    """Does reading ``name`` of ``src`` give what the stored run noted (``old``), its positions moved by
    ``moves`` (see :func:`line_moves`)?  The reading's value as a run of the module as it is now notes it
    (``old`` with its positions moved; a facts cache reading's key of the present text), else
    :data:`_DIFFERS`."""
    text = plain_text(src)
    if name in CACHED:
        key = _same_facts(src, name, old, root, cache_dir, moves, judge)
        return _DIFFERS if key is None else key
    if name == "stars":
        from hueylint.pyapp.resolve import star_import_lines

        now = [[line, target] for line, target in star_import_lines(text)]
        return now if now == [[_at(line, moves), target] for line, target in old] else _DIFFERS
    if name == "test-only":
        from hueylint.pyapp.resolve import runner_only_lines

        try:
            moved = [_at(line, moves) for line in old]
        except KeyError:
            return _DIFFERS
        lines = runner_only_lines(text)
        return lines if lines == moved else _DIFFERS
    if name == "binds-settings":
        from hueylint.pyapp.resolve import may_bind_settings

        same = may_bind_settings(text) is old
    elif name == "parses":
        from hueylint.pyapp.cache import text_parses

        same = text_parses(text) is old
    elif name == "caller-only":
        from hueylint import pyapp_gate

        same = pyapp_gate.caller_only(text, src.rel) is old
    elif name == "mentions" or name.startswith("mentions\0"):
        same = any(word in text for word in name.split("\0")[1:]) is old
    elif name == "dates-huey":
        from hueylint.versions.project import dating

        same = dating(text) == old
    elif name == "directives":
        from hueylint.suppressions import source_directives

        source_directives(src)
        same = bool(src.__dict__["readings"]["directives"] == old)
    else:
        same = False  # a reading this module cannot redo: the run is not replayed
    return old if same else _DIFFERS


def _same_facts(src: SourceFile, name: str, old_key: Any, root: Path, cache_dir: str | None,
                moves: dict[int, int] | None = None, judge: _ImportEdits | None = None) -> str | None:
    """Does the facts cache reading ``name`` of ``src`` give what the stored run's (stored under ``old_key``)
    gave, its positions moved by ``moves``?  Compared as the cache's JSON; a stored reading no longer in the
    cache is a difference, and so is any other but imports ``judge`` finds the run never saw
    (:meth:`_ImportEdits.unseen`).  The reading of the present text is stored there under its key, as a run
    would store it; that key when it gives the same, else None."""
    from hueylint.pyapp import cache as facts_cache

    text = plain_text(src)
    purpose = src.rel if name == "facts" else f"{src.rel}\0{name}"
    key = facts_cache.content_key(purpose, text)
    if key == old_key:
        return key
    store = facts_cache.FactsCache(root, cache_dir=cache_dir).store
    stored = store.read(str(old_key))
    if stored is None:
        return None
    old = facts_cache.decode(stored)
    now = facts_cache.encode(_redo(name, src, old))
    # stored as a run of the present text stores it, even when it differs: the full run that follows reads
    # it instead of extracting the module again (a rebuild after an import added to tubesync's huey module)
    store.write(key, now)
    if moves is not None:
        stored = _moved_positions(stored, src.rel, moves)
    if now == stored or (judge is not None and judge.unseen(name, stored, now)):
        return key
    return None


def _moved_positions(data: Any, rel: str, moves: dict[int, int]) -> Any:
    """The facts cache's JSON ``data`` with the line of every position in ``rel`` (a tagged
    :class:`~hueylint.locations.Loc`) moved by ``moves`` (KeyError: a position on a line that changed).
    Line numbers held other than in a position stay as they were, so a moved one differs: a full run."""
    if isinstance(data, list):
        return [_moved_positions(item, rel, moves) for item in data]
    if not isinstance(data, dict):
        return data
    fields = data.get("f")
    if data.get("$c") == "Loc" and isinstance(fields, dict) and fields.get("path") == rel:
        return {"$c": "Loc", "f": {**fields, "line": _at(fields["line"], moves),
                                   "end_line": _at(fields["end_line"], moves)}}
    return {key: _moved_positions(value, rel, moves) for key, value in data.items()}


def _redo(name: str, src: SourceFile, old: Any) -> Any:
    """The facts cache reading ``name`` of ``src`` now, with the arguments the stored one (``old``) was made with."""
    if name == "facts":
        from hueylint.pyapp import extract

        return extract.extract(src)
    if name == "imports":
        from hueylint.pyapp import imports

        return imports.scan_entry(src, old.module, old.is_settings)
    from hueylint.pyapp import exports

    return exports.read(src)


class Resolver:
    """Resolves dotted imports as the app layer's import closure does (:func:`hueylint.pyapp.resolve.imported_module`),
    over the tree as it is now: the walk of this run (``walked``, the same for every file but the edited
    Python modules' stamps, which the early cutoff allows) and the file system beyond it, every question asked
    beyond the walk recorded as a run records it (:attr:`hueylint.workspace.Workspace.probes`), so the run
    cache replays the result only while each answer stays the same (a module created later under the name is
    a full run: walked, it changes the walk; outside it, the answer)."""

    def __init__(self, root: Path, walked: Any, settings: Any) -> None:
        self._args = (root, walked, settings)
        self._ws: Any = None

    def _workspace(self) -> Any:
        if self._ws is None:
            from hueylint.workspace import Workspace

            root, walked, settings = self._args
            # every walked file is a file of the repository (a run's sources and others; a module the byte gate
            # left out is asked of the file system there, which answers the same)
            self._ws = Workspace(root=root, settings=settings, others={rel: path for path, rel in walked.candidates},
                                 gitignored=walked.gitignored, listings=walked.listings, roots=list(walked.roots))
        return self._ws

    def imports_nothing(self, target: str, roots: list[str]) -> bool:
        """Does an import closure seen from ``roots`` follow the absolute import ``target`` to no module?"""
        from hueylint.pyapp import resolve

        return resolve.imported_module(self._workspace(), target, roots) is None

    def asked(self) -> tuple[tuple[str, str, Any], ...]:
        """The questions asked beyond the walk, with their answers: (kind, argument, answer)."""
        return tuple((kind, arg, answer) for (kind, arg), answer in self._workspace().probes.items())


class _ImportEdits:
    """Judges a facts reading of an edited module that differs from the stored run's only in its ``imports``
    (bound name -> dotted import), from what the stored run asked of them (``reads``: by reading, the JSON of
    :class:`hueylint.sources.ImportReads`, recorded by :class:`hueylint.sources.WatchedImports` on every read
    after the facts cache handed the reading out)."""

    def __init__(self, reads: dict[str, Any], resolver: Resolver) -> None:
        self.reads, self.resolver = reads, resolver
        self.resolved = False  # whether a dotted import was resolved (its probes then go with the verdict)

    def unseen(self, name: str, old: Any, now: Any) -> bool:
        """Are the stored reading ``old`` and the present ``now`` (the facts cache's JSON of a
        :class:`~hueylint.appmodel.ModuleFacts`) the same but for imports no reader of the run could tell apart?
        Every other field equal; no name bound differently (added, removed or re-pointed) was looked up; the
        mapping was never read whole; and each dotted import added or removed is one every recorded use takes
        for nothing: for an import closure (:data:`hueylint.pyapp.resolve.CLOSURE_USE`), absolute, no
        ``__future__`` import and resolving to no module from each set of roots it was resolved from
        (:meth:`Resolver.imports_nothing`); for django-split-settings, none of its modules.  A relative import,
        or a use this module does not know, is a difference."""
        reads = self.reads.get(name)
        if not isinstance(reads, dict) or reads.get("whole") is not False or not isinstance(old, dict) or \
                not isinstance(now, dict) or old.get("$c") != "ModuleFacts" or now.get("$c") != "ModuleFacts":
            return False
        before, after = old.get("f"), now.get("f")
        if not isinstance(before, dict) or not isinstance(after, dict) or set(before) != set(after) or \
                any(before[field] != after[field] for field in before if field != "imports"):
            return False
        from hueylint.pyapp import cache as facts_cache
        from hueylint.pyapp.resolve import CLOSURE_USE
        from hueylint.pyapp.split_settings import SPLIT_SETTINGS_USE, splits_settings

        was, is_now = facts_cache.decode(before["imports"]), facts_cache.decode(after["imports"])
        names, uses = reads.get("names"), reads.get("uses")
        if not isinstance(was, dict) or not isinstance(is_now, dict) or not isinstance(names, list) or \
                not isinstance(uses, list):
            return False
        changed = {bound for bound in {*was, *is_now} if was.get(bound) != is_now.get(bound)}
        if changed & set(names) or _named(before, {bound.split(".")[0] for bound in changed}):
            return False
        targets = {imports[bound] for imports in (was, is_now) for bound in changed if bound in imports}
        for target in targets:
            if not isinstance(target, str) or target.startswith(".") or target.split(".")[0] == "__future__":
                return False
            for use in uses:
                kind, *roots = str(use).split("\0")
                if kind == CLOSURE_USE:
                    self.resolved = True
                    if not self.resolver.imports_nothing(target, roots):
                        return False
                elif kind != SPLIT_SETTINGS_USE or splits_settings(target):
                    return False
        return True


def _named(fields: dict[str, Any], names: set[str]) -> bool:
    """Does a text of the facts ``fields`` (the facts cache's JSON, but for ``imports``, the module's own path and
    name, and the paths of positions) name one of ``names`` as a word (``huey = newmod.huey`` noted as ``newmod.huey``, a decorator ``@newmod.task``)?  Whatever
    the run asked of the imports, a fact that names a name an import now binds otherwise is judged again."""
    if not names:
        return False
    word = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(name) for name in sorted(names)) + r")(?!\w)")

    def texts(data: Any) -> Any:  # every string value but a position's path and a class's tag
        if isinstance(data, str):
            yield data
        elif isinstance(data, list):
            for item in data:
                yield from texts(item)
        elif isinstance(data, dict) and data.get("$c") != "Loc":
            for key, value in data.items():
                if key != "$c":
                    yield from texts(value)

    return any(word.search(text) for field, value in fields.items() if field not in ("imports", "rel", "module")
               for text in texts(value))
