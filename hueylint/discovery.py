"""Find the files that can matter and read them safely.

Walking honours ``.gitignore`` files (via pathspec, as git reads them), the
configured ``exclude``/``extend-exclude`` globs (checked on entries found
while walking, like ruff: a path named on the command line is always read),
and skips version-control folders, virtualenvs and ``node_modules``.  Bad
input never raises: binary and huge files are skipped with a notice, symlink
loops are detected by real path, unreadable files become a notice.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from hueylint.formats import matches_any, name_format, sniff
from hueylint.sources import SourceFile

MAX_BYTES = 2 * 1024 * 1024
SNIFF_BYTES = 8192
ALWAYS_SKIP = {".git", ".hg", ".svn", "node_modules", "__pycache__"}


@dataclass
class Notice:
    """A file hueylint did not read, and why (SARIF toolExecutionNotifications)."""

    rel: str
    reason: str


@dataclass
class Discovery:
    sources: list[SourceFile] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    undecodable: list[tuple[str, int, int, str]] = field(default_factory=list)  # rel, line, col, why
    others: dict[str, Path] = field(default_factory=dict)  # files not read up front (scripts on demand)


def project_root(first: Path) -> Path:
    """The repository root: the nearest folder with ``.git``, else the checked folder."""
    start = first.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def rel_path(path: Path, root: Path) -> str:
    """Repo-relative POSIX path, without resolving symlinks (a linked file keeps the name it has here)."""
    absolute = os.path.abspath(path)
    for base in (str(root), os.path.realpath(root)):
        if absolute == base:
            return "."
        if absolute.startswith(base.rstrip(os.sep) + os.sep):
            return Path(absolute[len(base.rstrip(os.sep)) + 1:]).as_posix()
    try:
        return Path(os.path.relpath(os.path.realpath(absolute), os.path.realpath(root))).as_posix()
    except (OSError, ValueError):
        return Path(absolute).as_posix()


class _GitIgnore:
    """Nested .gitignore files, each applying below its folder."""

    def __init__(self) -> None:
        self._specs: dict[Path, object] = {}

    def load(self, folder: Path) -> None:
        gitignore = folder / ".gitignore"
        if folder in self._specs:
            return
        spec = None
        try:
            if gitignore.is_file():
                import pathspec

                lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
                spec = pathspec.GitIgnoreSpec.from_lines(lines)
        except OSError:
            spec = None
        self._specs[folder] = spec

    def ignored(self, path: Path, is_dir: bool) -> bool:
        for folder, spec in self._specs.items():
            if spec is None:
                continue
            try:
                rel = path.relative_to(folder).as_posix()
            except ValueError:
                continue
            if spec.match_file(rel + ("/" if is_dir else "")):  # type: ignore[attr-defined]
                return True
        return False


def _is_venv(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file()


def walk(paths: list[Path], root: Path, exclude: list[str]) -> tuple[list[tuple[Path, str]], list[Notice]]:
    """Every candidate file under ``paths`` with its repo-relative path."""
    found: list[tuple[Path, str]] = []
    notices: list[Notice] = []
    seen_real: set[str] = set()
    seen_files: set[str] = set()
    gitignore = _GitIgnore()
    for folder in [root, *root.parents][:1]:
        gitignore.load(folder)

    def visit_dir(folder: Path, explicit: bool) -> None:
        try:
            real = os.path.realpath(folder)
        except OSError:
            return
        if real in seen_real:
            notices.append(Notice(rel_path(folder, root), "symlink loop or repeated folder: skipped"))
            return
        seen_real.add(real)
        gitignore.load(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            notices.append(Notice(rel_path(folder, root), f"cannot list folder: {exc.strerror or exc}"))
            return
        for entry in entries:
            path = Path(entry.path)
            rel = rel_path(path, root)
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                continue
            if not is_dir and not is_file:
                if entry.is_symlink():
                    notices.append(Notice(rel, "broken symlink or symlink loop: skipped"))
                continue
            if is_dir:
                if entry.name in ALWAYS_SKIP or matches_any(rel, exclude) or _is_venv(path):
                    continue
                if gitignore.ignored(path, True):
                    continue
                visit_dir(path, False)
            else:
                if matches_any(rel, exclude) or gitignore.ignored(path, False):
                    continue
                add_file(path, rel)

    def add_file(path: Path, rel: str) -> None:
        if rel in seen_files:
            return
        seen_files.add(rel)
        found.append((path, rel))

    for path in paths:
        if path.is_dir():
            visit_dir(path, True)
        elif path.is_file():
            add_file(path, rel_path(path, root))
        elif path.is_symlink():
            notices.append(Notice(rel_path(path, root), "broken symlink: skipped"))
        else:
            notices.append(Notice(str(path), "no such file or folder"))
    return found, notices


def _read(path: Path, rel: str) -> tuple[SourceFile | None, Notice | None, tuple | None]:
    fmt = name_format(rel)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, Notice(rel, f"larger than {MAX_BYTES // (1024 * 1024)} MiB: skipped"), None
        with open(path, "rb") as handle:
            data = handle.read()
    except PermissionError:
        return None, Notice(rel, "permission denied: not read"), None
    except OSError as exc:
        return None, Notice(rel, f"cannot read: {exc.strerror or exc}"), None
    if b"\x00" in data[:SNIFF_BYTES]:
        return None, Notice(rel, "binary file: skipped"), None
    if fmt == "python":
        from hueylint import pyapp_gate

        if not pyapp_gate.might_matter(data, rel):
            return None, None, None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start]
        line = prefix.count(b"\n") + 1
        col = exc.start - (prefix.rfind(b"\n") + 1) + 1
        return None, None, (rel, line, col, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})")
    if fmt and fmt.startswith("?"):
        fmt = sniff(fmt, text[:SNIFF_BYTES], rel)
        if fmt is None:
            return None, None, None
    return SourceFile(path=path, rel=rel, text=text, format=fmt or ""), None, None


def discover(paths: list[Path], root: Path, exclude: list[str]) -> Discovery:
    candidates, notices = walk(paths, root, exclude)
    result = Discovery(notices=notices)
    relevant = [(path, rel) for path, rel in candidates if name_format(rel)]
    for path, rel in candidates:
        if not name_format(rel):
            result.others[rel] = path
    workers = min(8, (os.cpu_count() or 2) * 2)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for source, notice, bad in pool.map(lambda item: _read(*item), relevant):
            if source is not None:
                result.sources.append(source)
            if notice is not None:
                result.notices.append(notice)
            if bad is not None:
                result.undecodable.append(bad)
    return result


def read_on_demand(path: Path, rel: str) -> SourceFile | None:
    """A script referenced by a launch: read it now (same safety checks, no format gate)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if b"\x00" in data[:SNIFF_BYTES]:
        return None
    try:
        return SourceFile(path=path, rel=rel, text=data.decode("utf-8-sig"), format="script")
    except UnicodeDecodeError:
        return None
