"""The per-user cache folder every cache of hueylint keeps its entries in (like ruff's and mypy's caches).

Where: ``--cache-dir DIR``, else ``$HUEYLINT_CACHE_DIR``, else the user's cache folder (platformdirs:
``$XDG_CACHE_HOME/hueylint``, ``~/.cache/hueylint`` on Linux, ``~/Library/Caches/hueylint`` on macOS,
``%LOCALAPPDATA%\\hueylint\\Cache`` on Windows); inside it one folder per project root, and inside that one
folder per kind of entry, hueylint version and code:
``<cache>/<root name>-<sha256(real root)[:16]>/<kind>-<version>-<code hash>/``.  The code hash covers the
modules that compute the kind's entries, so entries of an older computation are never reused.

Safety, because the scanned tree is untrusted (a pull request):

* the cache never lives in the scanned tree, so a checkout cannot ship entries (keys are plain hashes
  anyone can compute): a ``.hueylint_cache/`` in the tree is neither read nor written, and a cache folder
  inside the checked tree (named with ``--cache-dir``/``HUEYLINT_CACHE_DIR``, or ``XDG_CACHE_HOME``
  pointing into a CI workspace) is refused;
* a cache folder (or any folder below it) that is a symlink, that belongs to another user, or that already
  holds other files and no hueylint ``CACHEDIR.TAG`` is refused: the run goes on without a cache and says
  why (never ``CACHEDIR.TAG`` or ``.gitignore`` written into a folder hueylint did not create; both live
  inside the cache folder itself);
* entries are JSON (never pickle), read with ``O_NOFOLLOW`` and a size limit, and decoded by their kind's
  own code into a fixed set of types;
* writes go to a temporary file that is atomically renamed into place, so a concurrent run never reads half
  an entry; an entry that does not decode (corrupt, truncated, another schema) is ignored and rewritten.
"""

from __future__ import annotations

import functools
import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any, Callable, Iterable

from hueylint import __version__
from hueylint.locations import Loc
from hueylint.safeio import atomic_write, inside, read_regular

ENV_VAR = "HUEYLINT_CACHE_DIR"
TAG_NAME = "CACHEDIR.TAG"
#: https://bford.info/cachedir/ - backup tools skip a folder holding this file
TAG_TEXT = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by hueylint.\n"
MAX_ENTRY_BYTES = 64 * 1024 * 1024


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
    import hashlib  # here and below: a run without cache (--no-cache) never hashes

    real = os.path.realpath(root)
    name = re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(real))[:40] or "root"
    return home / f"{name}-{hashlib.sha256(os.fsencode(real)).hexdigest()[:16]}"


def refusal(home: Path, root: Path, checked: Iterable[str] = ()) -> str | None:
    """Why ``home`` must not be used as the cache folder for the project at ``root``, or None.  ``checked``:
    the real paths of the other checked folders (paths named on the command line outside ``root``), whose
    content is as untrusted as the root's."""
    try:
        info = os.lstat(home)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        return f"cache folder {home} cannot be used ({exc.strerror or exc})"
    if info is not None and stat.S_ISLNK(info.st_mode):
        return f"cache folder {home} is a symlink"
    if inside(home, [os.path.realpath(root), *checked]):  # also XDG_CACHE_HOME pointing into a CI workspace
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


#: The hueylint package folder (:func:`package_files`).
PACKAGE = Path(__file__).parent
#: Modules every kind imports that compute nothing an entry holds (the storage, the version: in the folder name).
INFRASTRUCTURE = ("__init__.py", "cachestore.py", "safeio.py")


def package_files(*names: str) -> list[Path]:
    """The files of the hueylint package named by ``names`` (``"model.py"``, ``"pyapp/extract.py"``)."""
    return [PACKAGE / name for name in names]


def library_files(*names: str) -> list[Path]:
    """The files that carry the version of the libraries ``names`` (``"ruamel.yaml/__init__.py"``,
    ``"libcst/_version.py"``: a library's module path and the file in it), found where Python would import
    them from without importing them; a library that is missing is left out."""
    import importlib.util

    files: list[Path] = []
    for name in names:
        module, _, file = name.rpartition("/")
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            spec = None
        for place in (spec.submodule_search_locations or ()) if spec is not None else ():
            files.append(Path(place) / file)
    return files


def code_fingerprint(schema: object, files: Iterable[str | os.PathLike[str]]) -> str:
    """A short hash of ``schema``, the Python version (its ``ast`` parses the texts) and the
    source of ``files``: every module that computes a kind's entries, the hueylint modules they import
    included (``tests/test_cache_fingerprints.py`` checks the lists against the imports)."""
    import hashlib

    digest = hashlib.sha256(f"{schema}\0{sys.version}".encode())
    for path in files:
        try:
            digest.update(Path(path).read_bytes())
        except OSError:
            pass
    return digest.hexdigest()[:12]


def text_key(*parts: str) -> str:
    """A content key: the SHA-256 of ``parts`` (paths, texts), NUL-separated."""
    import hashlib

    digest = hashlib.sha256()
    for index, part in enumerate(parts):
        if index:
            digest.update(b"\0")
        digest.update(part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def loc_json(loc: Loc) -> list[object]:
    """``loc`` as JSON data, ``[path, line, col, end_line, end_col, default]`` (:func:`json_loc` reads it)."""
    return [loc.path, loc.line, loc.col, loc.end_line, loc.end_col, loc.default]


def json_loc(data: Any) -> Loc:
    """The :class:`~hueylint.locations.Loc` :func:`loc_json` wrote; ``ValueError`` for anything else (an entry's
    values are checked: a cache file is read back, never trusted)."""
    if type(data) is not list or len(data) != 6:
        raise ValueError("not a location")
    path, line, col, end_line, end_col, default = data
    if not (path is None or type(path) is str) or not all(type(n) is int for n in (line, col, end_line, end_col)) \
            or type(default) is not str:
        raise ValueError("not a location")
    return Loc(path, line, col, end_line, end_col, default)


class CacheStore:
    """One kind of entry of one project: ``read(key)``/``write(key, data)`` of JSON data by content key.

    ``root`` is the project root, ``cache_dir`` the ``--cache-dir`` option, ``kind`` names the entries
    (``facts``, ``yaml``, ...) and ``fingerprint`` is :func:`code_fingerprint` of the code computing them (or a
    function returning it, called only when an entry is read or written).
    ``enabled=False`` (``--no-cache``) reads and writes nothing; ``problem`` says why a cache folder was
    refused (the run then goes on without a cache).  Nothing here raises on a bad or missing entry.
    """

    def __init__(self, root: Path, kind: str, fingerprint: str | Callable[[], str], enabled: bool = True,
                 cache_dir: str | os.PathLike[str] | None = None) -> None:
        self.enabled = enabled
        self.problem: str | None = None
        self._root, self._kind, self._fingerprint, self._cache_dir = Path(root), kind, fingerprint, cache_dir
        if enabled:
            self.problem = refusal(self.home, self._root)
            self.enabled = self.problem is None
        self._prepared = False

    @functools.cached_property
    def home(self) -> Path:
        """The cache folder (:func:`cache_home`); found only when asked (a disabled store never asks: finding
        the per-user folder imports platformdirs)."""
        return cache_home(self._cache_dir)

    @functools.cached_property
    def folder(self) -> Path:
        """This kind's folder: ``<home>/<project>/<kind>-<version>-<fingerprint>``; ``fingerprint`` given as a
        function is called here, once (a disabled store never hashes the code)."""
        fingerprint = self._fingerprint if isinstance(self._fingerprint, str) else self._fingerprint()
        return project_folder(self.home, self._root) / f"{self._kind}-{__version__}-{fingerprint}"

    def path(self, key: str) -> Path:
        """Where ``key``'s entry lives: one folder for the kind, no subfolders (a first run writes about 200
        entries, and creating a subfolder for each cost 35 ms of that run on the VM's disk)."""
        return self.folder / f"{key}.json"

    def has(self, key: str) -> bool:
        return self.enabled and self.path(key).is_file()

    def read(self, key: str) -> Any:
        """The JSON data stored under ``key``, or None (disabled, missing, unreadable or not JSON)."""
        if not self.enabled:
            return None
        try:
            return json.loads(read_regular(self.path(key), MAX_ENTRY_BYTES, follow=False))
        except (OSError, ValueError, RecursionError):
            return None

    def write(self, key: str, data: Any) -> None:
        """Store JSON ``data`` under ``key`` (atomically); a cache that cannot be written only costs time."""
        if not self.enabled or not self._prepare():
            return
        try:
            atomic_write(self.path(key), json.dumps(data, separators=(",", ":")), mode=0o600)
        except (OSError, ValueError, TypeError, RecursionError):
            pass

    def _prepare(self) -> bool:
        """Create the cache folder (markers inside it) and this project's folders, refusing symlinks."""
        if self._prepared:
            return True
        try:
            create_home(self.home)
            _mkdir_private(self.folder.parent)
            _mkdir_private(self.folder)
        except OSError:
            self.enabled = False  # read-only or refused: run without a cache (only time is lost)
            return False
        self._prepared = True
        return True


def create_home(home: Path) -> None:
    """Create the cache folder ``home`` (0o700, its parents as needed) with its ``CACHEDIR.TAG`` and
    ``.gitignore``, or accept it as it is; ``OSError`` when it cannot be created (a read-only or missing
    parent, a file in the way, a symlink)."""
    if not os.path.lexists(home):
        home.parent.mkdir(parents=True, exist_ok=True)
        _mkdir_private(home)
    for name, text in ((TAG_NAME, TAG_TEXT), (".gitignore", "# Automatically created by hueylint.\n*\n")):
        _create_new(home / name, text)


def creation_problem(home: Path) -> str | None:
    """Why the cache folder ``home`` cannot be created (:func:`create_home`, which this runs), or None."""
    try:
        create_home(home)
    except OSError as exc:
        return f"cache folder {home} cannot be created ({exc.strerror or exc})"
    return None


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
