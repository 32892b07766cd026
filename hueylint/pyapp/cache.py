"""Module facts cached by content hash in the per-user cache folder (:mod:`hueylint.cachestore`, kind
``facts``).

Parsing Python is the slowest step of a run; facts depend only on a file's path and text (and on
hueylint's own code: the extractor's modules are the entries' code fingerprint), so a second run over an
unchanged tree parses nothing.  Entries are JSON decoded into a fixed set of fact classes only (no pickle);
where the folder lives and why a checkout cannot plant or poison entries: :mod:`hueylint.cachestore`.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from pathlib import Path
from typing import Any, Callable

from hueylint import appmodel as _facts
from hueylint.cachestore import CacheStore, code_fingerprint, library_files, package_files, text_key
from hueylint.locations import Loc
from hueylint.model import Val
from hueylint.sources import SourceFile, note, paused, plain_text, watch_imports

#: Uncached Python files are parsed in worker processes only when there are at least PARALLEL_MIN of them
#: holding at least PARALLEL_MIN_CHARS characters: forking the pool and shipping the facts back costs about
#: 0.15 s, and ``ast`` reads about 3 MB a second (measured cold on the 2-core VM: 260 K characters in 41
#: files were 0.09 s slower in the pool, 120 K in 69 files 0.06 s slower, 1.5 M in 34 files 0.3 s faster).
PARALLEL_MIN = 2
PARALLEL_MIN_CHARS = 512 * 1024
#: Below that, one worker shares the work with the run, which parses the rest meanwhile: the verdicts of the
#: files kept only for their task call sites (:meth:`FactsCache.parses`: a yes or no, nothing to ship back)
#: and modules until its share is half, from SHARED_MIN_CHARS characters of work on.  A verdict is
#: VERDICT_SHARE of an extraction's work per character (measured cold on the 2-core VM: OneSilaHeadless's
#: worker judges 656 K characters while the run extracts 260 K; tubesync, 169 K of modules and 118 K of
#: such files, is 4 % faster shared; shipping 45 modules' facts back costs the run 0.01 s).
SHARED_MIN_CHARS = 128 * 1024
VERDICT_SHARE = 0.4
MAX_WORKERS = 8
#: Bumped when the JSON layout or the extractor changes within one hueylint version (development builds):
#: 2 = facts from the stdlib ``ast`` (1 was libcst's extraction); 3 = storage values imported from another
#: module (``StorageLocation.ref``) and a module's values for its importers (``ModuleFacts.values``).
#: 4 = an imported ``SignedSerializer`` secret (``SerializerFact.ref``); 5 = an imported ``immediate``
#: (``HueyArgs.immediate_ref``); 6 = an environment ``immediate``'s value while unset (``EnvVal``); 7 = its
#: formula (``EnvVal.formula``, evaluated under a launch's environment); 8 = a signal handler's django-huey
#: queue (``SignalHandler.queue``); 9 = a huey constructor's ``**`` splats not read where written
#: (``HueyArgs.splats``, ``rest_complete``) and a module's dicts for its importers (``ModuleFacts.dicts``);
#: 10 = a splat's role and star-imported name (``SplatFact.role``, ``STAR_REF``), a Django ``HUEY`` dict's
#: splats, and a module's dicts read as ``HUEY`` dicts (``ModuleFacts.configs``).
SCHEMA = 10

#: The modules whose code decides the facts of a file (their source is part of the cache folder's name): the
#: extractor's, the fact types (hueylint.appmodel), the huey knowledge it applies and what they import.
CODE = ("pyapp/__init__.py", "pyapp/extract.py", "pyapp/fstrings.py", "pyapp/collector.py", "pyapp/positions.py",
        "pyapp/fallback.py", "pyapp/instances.py", "pyapp/tasks.py", "pyapp/signals.py", "pyapp/branches.py",
        "pyapp/consumers.py", "pyapp/settings.py", "pyapp/patches.py", "pyapp/values.py", "pyapp/cache.py",
        "pyapp/excepts.py", "pyapp/chunked.py", "pyapp/imports.py", "pyapp/exports.py", "appmodel.py", "hueyfacts.py", "model.py", "locations.py", "records.py", "regexes.py", "launch_facts.py", "sources.py",
        "pyapp_gate.py", "workers.py", "words.py")

_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (Loc, Val, *[obj for obj in vars(_facts).values()
                            if isinstance(obj, type) and dataclasses.is_dataclass(obj)])
}


def _code_fingerprint() -> str:
    """The schema, the extractor's own source and libcst's version (the parser of files ``ast`` refuses):
    facts from an older extractor are never reused."""
    return code_fingerprint(SCHEMA, [*package_files(*CODE), *library_files("libcst/_version.py")])


def content_key(rel: str, text: str) -> str:
    """The cache key of one file: its path (facts hold it) and its text (through :func:`_text_digest`)."""
    return text_key(rel, _text_digest(text))


@functools.lru_cache(maxsize=1024)
def _text_digest(text: str) -> str:
    """The SHA-256 of ``text``, hashed once a run however many keys name it (facts, the ``parses`` verdict,
    the ``imports`` and ``values`` readings: 4 hashes of each of OneSilaHeadless's modules were 11 ms); the
    lookup costs Python's own string hash, computed once per text."""
    return text_key(text)


class FactsCache:
    """Read-through cache of :class:`~hueylint.appmodel.ModuleFacts`; ``enabled=False`` parses every time.

    ``root`` is the project root (one cache per project), ``cache_dir`` the ``--cache-dir`` option.
    ``problem`` says why a cache folder was refused (the run then goes on without a cache).
    """

    def __init__(self, root: Path, enabled: bool = True, cache_dir: str | os.PathLike[str] | None = None) -> None:
        self.store = CacheStore(Path(root), "facts", _code_fingerprint, enabled=enabled, cache_dir=cache_dir)
        self.hits = 0
        self.misses = 0
        self._memo: dict[str, _facts.ModuleFacts] = {}
        self._parses: dict[str, bool] = {}  # parses()'s verdicts of this run

    @property
    def enabled(self) -> bool:
        return self.store.enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        self.store.enabled = value

    @property
    def problem(self) -> str | None:
        return self.store.problem

    @property
    def folder(self) -> Path:
        return self.store.folder

    def facts(self, src: SourceFile) -> _facts.ModuleFacts:
        """The facts of ``src``: from the cache when its content was seen before, else extracted (and stored).
        The run cache's early cutoff redoes this reading of an edited file (:func:`note`), and learns which of
        its imports the run read (:func:`watch_imports`)."""
        found = self._stored_or_extracted(src)
        watch_imports(src, "facts", found)
        return found

    def _stored_or_extracted(self, src: SourceFile) -> _facts.ModuleFacts:
        key = content_key(src.rel, plain_text(src))
        note(src, "facts", key)
        if key in self._memo:
            return self._memo.pop(key)
        if self.enabled:
            found = self._read(key)
            if found is not None and found.rel == src.rel:
                self.hits += 1
                return found
        from hueylint.pyapp import extract as extract_module  # only when something must be parsed

        self.misses += 1
        with paused():
            result = extract_module.extract(src)
        if self.enabled:
            self._write(key, result)
        return result

    def parses(self, src: SourceFile) -> bool:
        """True when Python's own parser (``ast.parse``) accepts ``src``'s text; the verdict is cached by
        content like facts (a warm run parsed OneSilaHeadless's 38 caller-only files again: 70 ms)."""
        key = content_key(f"{src.rel}\0parses", plain_text(src))
        verdict = self._parses.get(key)
        if verdict is None:
            found = self.store.read(key)
            if isinstance(found, bool):
                self._parses[key] = verdict = found
            else:
                verdict = text_parses(plain_text(src))
                self._remember_verdict(key, verdict)
        note(src, "parses", verdict)
        return verdict

    def _remember_verdict(self, key: str, verdict: bool) -> None:
        self.store.write(key, verdict)
        self._parses[key] = verdict

    def unjudged(self, sources: list[SourceFile]) -> list[tuple[str, str, SourceFile]]:
        """``(verdict key, facts key, source)`` of the ``sources`` whose :meth:`parses` verdict is not known yet
        (neither this run's nor stored)."""
        todo = []
        for src in sources:
            text = plain_text(src)
            key = content_key(f"{src.rel}\0parses", text)
            if key not in self._parses and not (self.enabled and self.store.has(key)):
                todo.append((key, content_key(src.rel, text), src))
        return todo

    def derived(self, src: SourceFile, purpose: str, compute: Callable[[], _facts.ModuleFacts],
                valid: Callable[[_facts.ModuleFacts], bool]) -> _facts.ModuleFacts:
        """Another reading of ``src`` than its full facts (``purpose``: ``imports``, ``values``), stored as an
        entry of its own keyed by path, text and purpose: the stored one when ``valid`` accepts it, else
        ``compute()`` (then stored).  A warm run reads no such module again."""
        key = content_key(f"{src.rel}\0{purpose}", plain_text(src))
        note(src, purpose, key)
        found = self._read(key) if self.enabled else None
        if found is None or not valid(found):
            with paused():
                found = compute()
            if self.enabled:
                self._write(key, found)
        watch_imports(src, purpose, found)
        return found

    def uncached(self, sources: list[SourceFile]) -> list[tuple[str, SourceFile]]:
        """``(cache key, source)`` of the ``sources`` whose facts are not stored (all of them without a cache)."""
        todo = [(content_key(src.rel, plain_text(src)), src) for src in sources]
        return [(key, src) for key, src in todo if not self.store.has(key)] if self.enabled else todo

    def prefetch(self, sources: list[SourceFile]) -> None:
        """Parse many uncached files in parallel processes (parsing is CPU-bound; threads would not help);
        :meth:`start_prefetch` and wait for it (from the pool's size on only: below, one worker would share the
        work with a caller that waits for it instead of parsing its own part meanwhile)."""
        started = self.start_prefetch(sources, shared=False)
        if started is not None:
            started.wait()

    def start_prefetch(self, sources: list[SourceFile], callers: list[SourceFile] | tuple[()] = (),
                       shared: bool = True) -> Prefetch | None:
        """Start parsing the uncached ``sources`` in worker processes and return at once (the caller goes on
        with other work, the platform builders say, while they parse); :meth:`Prefetch.wait` stores their facts
        for :meth:`facts`.  The ``callers`` (files kept only for their task call sites) get :meth:`parses`'s
        verdict there too, and the facts of those ``ast`` refuses.

        From ``PARALLEL_MIN`` files and ``PARALLEL_MIN_CHARS`` characters of ``sources`` on, one process per
        core parses them all; below, from ``SHARED_MIN_CHARS`` of work on, one worker takes the verdicts and
        the first ``sources`` until its share is half, and the caller extracts the others meanwhile (those
        :meth:`Prefetch.parsing` does not name).  None when nothing was started: small batches are parsed
        in-process by :meth:`facts` as usual (starting a process costs more than it saves), and so is
        everything where processes cannot be forked or the machine is busy (:func:`hueylint.workers.busy`).  ``shared=False``: no worker below the pool's size (a
        caller that parses nothing meanwhile: :meth:`prefetch`).
        """
        todo = self.uncached(sources)
        checks = self.unjudged(list(callers))
        workers = min(os.cpu_count() or 1, MAX_WORKERS)
        if workers < 2:
            return None
        chars = sum(len(plain_text(src)) for _, src in todo)
        if len(todo) < PARALLEL_MIN or chars < PARALLEL_MIN_CHARS:  # shared with the run: one worker
            work = chars + VERDICT_SHARE * sum(len(plain_text(src)) for _, _, src in checks)
            if not shared or work < SHARED_MIN_CHARS:
                return None
            share, load = 0, work - chars
            while share < len(todo) and load < work / 2:
                load += len(plain_text(todo[share][1]))
                share += 1
            todo, workers = todo[:share], 1
        from hueylint.workers import busy, fork_pool

        if busy(os.cpu_count() or 1):  # every processor taken by other work: a worker would only take turns
            return None
        from hueylint.pyapp import extract as extract_module  # imported before forking: children share it

        del extract_module
        chunk = max(1, (len(todo) + len(checks)) // (workers * 4))
        pool = fork_pool(workers)
        if pool is None:  # no fork on this platform, no processes available: parse in-process
            return None
        try:
            results = pool.map(_extract_encoded, [src for _, src in todo], chunksize=chunk)
            verdicts = pool.map(_judge_encoded, [src for _, _, src in checks], chunksize=chunk)
        except (OSError, RuntimeError):  # the pool broke while taking the work: in-process, its workers stopped
            pool.shutdown(wait=True, cancel_futures=True)
            return None
        started = Prefetch(self, [key for key, _ in todo], pool, results, chunk)
        started.judging = ([(verdict, key) for verdict, key, _ in checks], verdicts)
        return started

    # -- storage ---------------------------------------------------------------------
    def _read(self, key: str) -> _facts.ModuleFacts | None:
        data = self.store.read(key)
        if data is None:
            return None
        try:
            value = decode(data)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return None
        return value if isinstance(value, _facts.ModuleFacts) else None

    def _write(self, key: str, value: _facts.ModuleFacts) -> None:
        try:
            data = encode(value)
        except (TypeError, RecursionError):
            return
        self.store.write(key, data)


class Prefetch:
    """Facts being parsed in worker processes (:meth:`FactsCache.start_prefetch`)."""

    def __init__(self, cache: FactsCache, keys: list[str], pool: Any, results: Any, chunk: int) -> None:
        self._cache, self._pool, self._chunk = cache, pool, chunk
        self._batches: list[tuple[list[str], Any]] = [(keys, results)]
        self._parsing = frozenset(keys)
        self._done = False
        #: the callers being judged: ((verdict key, facts key) of each, their results in that order)
        self.judging: tuple[list[tuple[str, str]], Any] = ([], iter(()))

    def parsing(self, src: SourceFile) -> bool:
        """Whether a worker extracts ``src``'s facts (:meth:`wait` hands them to the cache)."""
        return content_key(src.rel, plain_text(src)) in self._parsing

    def close(self) -> None:
        """Stop the workers without waiting for their facts (a run that failed before reading them)."""
        if not self._done:
            self._done = True
            self._pool.shutdown(wait=True, cancel_futures=True)

    def wait(self) -> None:
        """Wait for the workers and hand their facts to the cache (memo and storage); the files a worker could
        not parse (no process left, a pool that broke) are parsed in-process later.  Calling it again does
        nothing."""
        if self._done:
            return
        self._done = True
        cache, collected = self._cache, False
        try:
            for keys, results in self._batches:
                try:
                    encoded = list(results)
                except (OSError, RuntimeError):  # the pool broke (BrokenProcessPool is a RuntimeError)
                    encoded = []
                for key, data in zip(keys, encoded):
                    self._collect(key, data)
            pairs, judged = self.judging
            try:
                verdicts = list(judged)
            except (OSError, RuntimeError):  # the pool broke: these are judged in-process later
                verdicts = []
            for (verdict_key, key), data in zip(pairs, verdicts):
                cache._remember_verdict(verdict_key, data is True)
                if data is not True:  # ast refused it: its facts (HL001, or libcst's) came back instead
                    self._collect(key, data)
            collected = True
        finally:  # interrupted (Ctrl-C) or failed: the files no worker started are not parsed for nothing
            self._pool.shutdown(cancel_futures=not collected)

    def _collect(self, key: str, data: Any) -> None:
        """A worker's encoded facts, handed to the cache (memo and storage)."""
        cache = self._cache
        value = decode(data)
        if isinstance(value, _facts.ModuleFacts):
            cache.misses += 1
            cache._memo[key] = value
            if cache.enabled:
                cache._write(key, value)


def _extract_encoded(src: SourceFile) -> Any:
    """Worker-process side of :meth:`FactsCache.prefetch`: facts as plain JSON data (safe to send back)."""
    from hueylint.pyapp import extract as extract_module

    return encode(extract_module.extract(src))


def _judge_encoded(src: SourceFile) -> Any:
    """Worker-process side of the callers of :meth:`FactsCache.start_prefetch`: True when ``ast`` parses the
    file, else its facts as :func:`_extract_encoded` gives them (the run extracts such a file anyway)."""
    return True if text_parses(src.text) else _extract_encoded(src)


def text_parses(text: str) -> bool:
    """Does Python's own parser (``ast.parse``) accept ``text``, Python 3.14's ``except A, B:`` read as the
    extractor reads it (:func:`hueylint.pyapp.excepts.parse_module`)?"""
    from hueylint.pyapp import excepts

    return excepts.module_or_none(text) is not None


# -- JSON encoding of the fact classes -------------------------------------------------


def encode(value: Any) -> Any:
    """Dataclasses, tuples, bytes and dicts as tagged JSON (decoded only into known classes)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"$c": type(value).__name__,
                "f": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return {"$t": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {"$d": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, bytes):
        return {"$b": value.decode("latin-1")}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    raise TypeError(f"cannot cache {type(value).__name__}")


def decode(data: Any) -> Any:
    if isinstance(data, list):
        return [decode(item) for item in data]
    if isinstance(data, dict):
        if "$c" in data:
            cls = _CLASSES[data["$c"]]
            fields = {name: decode(item) for name, item in data["f"].items()}
            return cls(**fields)
        if "$t" in data:
            return tuple(decode(item) for item in data["$t"])
        if "$d" in data:
            return {_hashable(decode(k)): decode(v) for k, v in data["$d"]}
        if "$b" in data:
            return data["$b"].encode("latin-1")
        raise ValueError("unknown cache entry")
    return data


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
