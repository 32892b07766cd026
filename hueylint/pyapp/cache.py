"""Module facts cached by content hash in a per-user cache folder (like ruff's and mypy's caches).

Parsing Python is the slowest step of a run; facts depend only on a file's
path and text (and on hueylint's own code), so a second run over an unchanged
tree parses nothing.

Where: ``--cache-dir DIR``, else ``$HUEYLINT_CACHE_DIR``, else the user's cache
folder (platformdirs: ``$XDG_CACHE_HOME/hueylint``, ``~/.cache/hueylint`` on
Linux, ``~/Library/Caches/hueylint`` on macOS, ``%LOCALAPPDATA%\\hueylint\\Cache`` on
Windows), then one folder per project root and one per hueylint version and
extractor code: ``<cache>/<root name>-<sha256(real root)[:16]>/<version>-<code hash>/``.

Safety, because the scanned tree is untrusted (a pull request):

* the cache never lives in the scanned tree, so a checkout cannot ship entries
  (keys are a plain hash of path and text anyone can compute): a ``.hueylint_cache/``
  in the tree is neither read nor written, and a cache folder inside the
  checked tree (named with ``--cache-dir``/``HUEYLINT_CACHE_DIR``, or
  ``XDG_CACHE_HOME`` pointing into a CI workspace) is refused;
* a cache folder (or any folder below it) that is a symlink, that belongs to
  another user, or that already holds other files and no hueylint
  ``CACHEDIR.TAG`` is refused: the run goes on without a cache and says why
  (never ``CACHEDIR.TAG`` or ``.gitignore`` written into a folder hueylint did
  not create; both live inside the cache folder itself);
* entries are JSON, decoded into a fixed set of fact classes only (no pickle),
  read with ``O_NOFOLLOW`` and a size limit;
* writes go to a temporary file that is atomically renamed into place, so a
  concurrent run never reads half an entry; an entry that does not decode
  (corrupt, truncated, another schema) is ignored and rewritten.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from hueylint import __version__
from hueylint import appmodel as _facts
from hueylint import hueyfacts as _hueyfacts
from hueylint.model import Loc, Val
from hueylint.safeio import atomic_write, inside, read_regular
from hueylint.sources import SourceFile

ENV_VAR = "HUEYLINT_CACHE_DIR"
TAG_NAME = "CACHEDIR.TAG"
#: https://bford.info/cachedir/ - backup tools skip a folder holding this file
TAG_TEXT = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by hueylint.\n"
MAX_ENTRY_BYTES = 64 * 1024 * 1024
#: Uncached Python files are parsed in worker processes only when there are at least PARALLEL_MIN of them
#: holding at least PARALLEL_MIN_CHARS characters: forking the pool and shipping the facts back costs about
#: 0.15 s, and ``ast`` reads about 3 MB a second (measured cold on the 2-core VM: 260 K characters in 41
#: files were 0.09 s slower in the pool, 120 K in 69 files 0.06 s slower, 1.5 M in 34 files 0.3 s faster).
PARALLEL_MIN = 2
PARALLEL_MIN_CHARS = 512 * 1024
MAX_WORKERS = 8
#: Bumped when the JSON layout or the extractor changes within one hueylint version (development builds):
#: 2 = facts from the stdlib ``ast`` (1 was libcst's extraction).
SCHEMA = 2

#: The modules whose code decides the facts of a file (their source is part of the cache folder's name).
_EXTRACTOR_MODULES = ("extract.py", "fstrings.py", "collector.py", "positions.py", "fallback.py", "instances.py", "tasks.py",
                      "signals.py", "branches.py", "consumers.py", "settings.py", "patches.py", "values.py")

_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (Loc, Val, *[obj for obj in vars(_facts).values()
                            if isinstance(obj, type) and dataclasses.is_dataclass(obj)])
}


def _code_fingerprint() -> str:
    """The schema and the extractor's own source: facts from an older extractor are never reused."""
    digest = hashlib.sha256(str(SCHEMA).encode())
    folder = Path(__file__).parent
    # the extractor's modules, the fact types (hueylint.appmodel) and the huey knowledge it applies
    for path in (*(folder / name for name in _EXTRACTOR_MODULES), Path(_facts.__file__), Path(_hueyfacts.__file__)):
        try:
            digest.update(path.read_bytes())
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


def cache_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The cache folder: ``explicit`` (``--cache-dir``), else ``$HUEYLINT_CACHE_DIR``, else the platform's
    per-user cache folder for hueylint (platformdirs, which honours ``XDG_CACHE_HOME``)."""
    named = explicit or os.environ.get(ENV_VAR)
    if named:
        return Path(os.path.abspath(os.path.expanduser(os.fspath(named))))
    import platformdirs

    return Path(platformdirs.user_cache_dir("hueylint", appauthor=False))


def project_folder(home: Path, root: Path) -> Path:
    """The folder of one project's entries: the root's name (for people) and a hash of its real path."""
    real = os.path.realpath(root)
    name = re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(real))[:40] or "root"
    return home / f"{name}-{hashlib.sha256(os.fsencode(real)).hexdigest()[:16]}"


def refusal(home: Path, root: Path) -> str | None:
    """Why ``home`` must not be used as the cache folder for the project at ``root``, or None."""
    try:
        info = os.lstat(home)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        return f"cache folder {home} cannot be used ({exc.strerror or exc})"
    if info is not None and stat.S_ISLNK(info.st_mode):
        return f"cache folder {home} is a symlink"
    if inside(home, [os.path.realpath(root)]):  # also XDG_CACHE_HOME pointing into a CI workspace
        return f"cache folder {home} is inside the checked tree, whose content the checkout decides"
    if info is None:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return f"cache folder {home} is not a folder"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return f"cache folder {home} belongs to another user"
    try:
        if not os.path.isfile(home / TAG_NAME) and any(os.scandir(home)):
            return f"{home} is not a hueylint cache folder (it holds other files and no {TAG_NAME})"
    except OSError as exc:
        return f"cache folder {home} cannot be used ({exc.strerror or exc})"
    return None


class FactsCache:
    """Read-through cache of :class:`~hueylint.appmodel.ModuleFacts`; ``enabled=False`` parses every time.

    ``root`` is the project root (one cache per project), ``cache_dir`` the ``--cache-dir`` option.
    ``problem`` says why a cache folder was refused (the run then goes on without a cache).
    """

    def __init__(self, root: Path, enabled: bool = True, cache_dir: str | os.PathLike[str] | None = None) -> None:
        self.enabled = enabled
        self.problem: str | None = None
        self.home = cache_home(cache_dir)
        self.folder = project_folder(self.home, Path(root)) / f"{__version__}-{_code_fingerprint()}"
        if enabled:
            self.problem = refusal(self.home, Path(root))
            self.enabled = self.problem is None
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
        from hueylint.pyapp import extract as extract_module  # only when something must be parsed

        self.misses += 1
        result = extract_module.extract(src)
        if self.enabled:
            self._write(key, result)
        return result

    def prefetch(self, sources: list[SourceFile]) -> None:
        """Parse many uncached files in parallel processes (parsing is CPU-bound; threads would not help).

        Small batches are parsed in-process by :meth:`facts` as usual: starting processes costs more
        than it saves below ``PARALLEL_MIN`` files or ``PARALLEL_MIN_CHARS`` characters of Python.
        """
        todo = [(content_key(src.rel, src.text), src) for src in sources]
        if self.enabled:
            todo = [(key, src) for key, src in todo if not self._path(key).is_file()]
        workers = min(os.cpu_count() or 1, MAX_WORKERS)
        if len(todo) < PARALLEL_MIN or workers < 2 or sum(len(src.text) for _, src in todo) < PARALLEL_MIN_CHARS:
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
            data = read_regular(self._path(key), MAX_ENTRY_BYTES, follow=False)
            value = decode(json.loads(data))
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return None
        return value if isinstance(value, _facts.ModuleFacts) else None

    def _prepare(self) -> bool:
        """Create the cache folder (markers inside it) and this project's folders, refusing symlinks."""
        if self._prepared:
            return True
        try:
            if not os.path.lexists(self.home):
                self.home.parent.mkdir(parents=True, exist_ok=True)
                _mkdir_private(self.home)
            for name, text in ((TAG_NAME, TAG_TEXT), (".gitignore", "# Automatically created by hueylint.\n*\n")):
                _create_new(self.home / name, text)
            _mkdir_private(self.folder.parent)
            _mkdir_private(self.folder)
        except OSError:
            self.enabled = False  # read-only or refused: run without a cache (only time is lost)
            return False
        self._prepared = True
        return True

    def _write(self, key: str, value: _facts.ModuleFacts) -> None:
        if not self._prepare():
            return
        path = self._path(key)
        try:
            _mkdir_private(path.parent)
            atomic_write(path, json.dumps(encode(value), separators=(",", ":")), mode=0o600)
        except (OSError, ValueError, TypeError):
            pass  # a cache that cannot be written only costs time


def _extract_encoded(src: SourceFile) -> Any:
    """Worker-process side of :meth:`FactsCache.prefetch`: facts as plain JSON data (safe to send back)."""
    from hueylint.pyapp import extract as extract_module

    return encode(extract_module.extract(src))


def _mkdir_private(folder: Path) -> None:
    """Create ``folder`` (0o700) or accept an existing real folder; a symlink raises ``OSError``."""
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            raise NotADirectoryError(f"{folder}: a symlink or a file, not a cache folder") from None


def _create_new(path: Path, text: str) -> None:
    """Write a marker file unless something (a file, or a link: never followed) is already there."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


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
