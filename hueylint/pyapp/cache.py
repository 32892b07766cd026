"""Module facts cached by content hash in ``<root>/.hueylint_cache/`` (like ruff's cache).

Parsing Python with libcst is the slowest step of a run; facts depend only on
a file's path and text (and on hueylint's own code), so a second run over an
unchanged tree parses nothing.

Safety, because the cache lives in the checked repository:

* entries are JSON, decoded into a fixed set of fact classes only: a cache
  directory committed by someone else can at worst produce wrong facts for
  files whose hash it guesses, never run code (no pickle);
* the directory is versioned by hueylint's version (facts of another release
  are never read) and holds a ``.gitignore`` with ``*`` so it is not committed;
* writes go to a temporary file that is atomically renamed into place, so a
  concurrent run never reads half an entry; an entry that does not decode
  (corrupt, truncated, another schema) is ignored and rewritten.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hueylint import __version__
from hueylint.model import Loc, Val
from hueylint.pyapp import facts as _facts
from hueylint.sources import SourceFile

CACHE_DIR = ".hueylint_cache"
PARALLEL_MIN = 24  # uncached Python files below which parsing in-process is faster
MAX_WORKERS = 8
#: Bumped when the JSON layout changes within one hueylint version (development builds).
SCHEMA = 1

_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (Loc, Val, *[obj for obj in vars(_facts).values()
                            if isinstance(obj, type) and dataclasses.is_dataclass(obj)])
}


def _code_fingerprint() -> str:
    """The schema and the extractor's own source: facts from an older extractor are never reused."""
    digest = hashlib.sha256(str(SCHEMA).encode())
    folder = Path(__file__).parent
    for name in ("extract.py", "facts.py"):
        try:
            digest.update((folder / name).read_bytes())
        except OSError:
            pass
    return digest.hexdigest()[:12]


def content_key(rel: str, text: str) -> str:
    """The cache key of one file: its path (facts hold it) and its text."""
    digest = hashlib.sha256()
    digest.update(rel.encode("utf-8", "surrogatepass"))
    digest.update(b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class FactsCache:
    """Read-through cache of :class:`~hueylint.pyapp.facts.ModuleFacts`; ``enabled=False`` parses every time."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.enabled = enabled
        self.folder = Path(root) / CACHE_DIR / f"{__version__}-{_code_fingerprint()}"
        self.hits = 0
        self.misses = 0
        self._prepared = False
        self._memo: dict[str, _facts.ModuleFacts] = {}

    def facts(self, src: SourceFile) -> _facts.ModuleFacts:
        """The facts of ``src``: from the cache when its content was seen before, else extracted (and stored)."""
        key = content_key(src.rel, src.text)
        if key in self._memo:
            return self._memo.pop(key)
        if self.enabled:
            found = self._read(key)
            if found is not None and found.rel == src.rel:
                self.hits += 1
                return found
        from hueylint.pyapp import extract as extract_module  # libcst: only when something must be parsed

        self.misses += 1
        result = extract_module.extract(src)
        if self.enabled:
            self._write(key, result)
        return result

    def prefetch(self, sources: list[SourceFile]) -> None:
        """Parse many uncached files in parallel processes (libcst is CPU-bound; threads would not help).

        Small batches are parsed in-process by :meth:`facts` as usual: starting processes costs more
        than it saves below ``PARALLEL_MIN`` files.
        """
        todo = [(content_key(src.rel, src.text), src) for src in sources]
        if self.enabled:
            todo = [(key, src) for key, src in todo if not self._path(key).is_file()]
        workers = min(os.cpu_count() or 1, MAX_WORKERS)
        if len(todo) < PARALLEL_MIN or workers < 2:
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from hueylint.pyapp import extract as extract_module  # imported before forking: children share it

        del extract_module
        try:
            context = multiprocessing.get_context("fork")
        except ValueError:  # no fork on this platform: parse in-process
            return
        chunk = max(1, len(todo) // (workers * 4))
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                encoded = list(pool.map(_extract_encoded, [src for _, src in todo], chunksize=chunk))
        except (OSError, RuntimeError):  # no processes available: parse in-process
            return
        for (key, _src), data in zip(todo, encoded):
            value = decode(data)
            if isinstance(value, _facts.ModuleFacts):
                self.misses += 1
                self._memo[key] = value
                if self.enabled:
                    self._write(key, value)

    # -- storage ---------------------------------------------------------------------
    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key[2:]}.json"

    def _read(self, key: str) -> _facts.ModuleFacts | None:
        try:
            data = self._path(key).read_text(encoding="utf-8")
            value = decode(json.loads(data))
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return None
        return value if isinstance(value, _facts.ModuleFacts) else None

    def _prepare(self) -> bool:
        if self._prepared:
            return True
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder.parent / ".gitignore"
            if not ignore.exists():
                _atomic_write(ignore, "# Automatically created by hueylint.\n*\n")
            tag = self.folder.parent / "CACHEDIR.TAG"
            if not tag.exists():
                _atomic_write(tag, "Signature: 8a477f597d28d172789f06886806bc55\n# hueylint cache\n")
        except OSError:
            self.enabled = False  # read-only checkout: run without a cache
            return False
        self._prepared = True
        return True

    def _write(self, key: str, value: _facts.ModuleFacts) -> None:
        if not self._prepare():
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(path, json.dumps(encode(value), separators=(",", ":")))
        except (OSError, ValueError, TypeError):
            pass  # a cache that cannot be written only costs time


def _extract_encoded(src: SourceFile) -> Any:
    """Worker-process side of :meth:`FactsCache.prefetch`: facts as plain JSON data (safe to send back)."""
    from hueylint.pyapp import extract as extract_module

    return encode(extract_module.extract(src))


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


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
