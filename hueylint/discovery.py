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
from typing import Callable

from hueylint.formats import compile_globs, name_format, sniff
from hueylint.sources import SourceFile

MAX_BYTES = 2 * 1024 * 1024
SNIFF_BYTES = 8192
READ_CHUNK = 128
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
    # is a repo path git-ignored (``local.py`` overrides, ``.env``): not part of what is deployed from the repo
    gitignored: Callable[[str, bool], bool] = field(default=lambda rel, is_dir: False)


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
    """Nested .gitignore files, each applying below its folder (keyed by repo-relative folder)."""

    def __init__(self) -> None:
        self._loaded: set[str] = set()
        self._specs: list[tuple[str, object]] = []  # only folders that have a .gitignore

    def load(self, folder: Path, rel: str) -> None:
        if rel in self._loaded:
            return
        self._loaded.add(rel)
        gitignore = folder / ".gitignore"
        try:
            if gitignore.is_file():
                import pathspec

                lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
                self._specs.append((rel, pathspec.GitIgnoreSpec.from_lines(lines)))
        except OSError:
            pass

    def ignored(self, rel: str, is_dir: bool) -> bool:
        for folder, spec in self._specs:
            if folder == ".":
                below = rel
            elif rel.startswith(folder + "/"):
                below = rel[len(folder) + 1:]
            else:
                continue
            if spec.match_file(below + ("/" if is_dir else "")):  # type: ignore[attr-defined]
                return True
        return False


def _is_venv(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "pyvenv.cfg"))


def _child(rel_dir: str, name: str) -> str:
    return name if rel_dir == "." else f"{rel_dir}/{name}"


def walk(paths: list[Path], root: Path, exclude: list[str],
         gitignore: "_GitIgnore | None" = None) -> tuple[list[tuple[Path, str]], list[Notice]]:
    """Every candidate file under ``paths`` with its repo-relative path.

    Paths are carried as strings while walking (pathlib per entry dominated the
    run time on large trees); exclusion applies to entries below an explicit path.
    """
    found: list[tuple[Path, str]] = []
    notices: list[Notice] = []
    seen_real: set[str] = set()
    seen_files: set[str] = set()
    gitignore = gitignore if gitignore is not None else _GitIgnore()
    gitignore.load(root, ".")
    excluded = compile_globs(exclude)

    def visit_dir(folder: str, rel_dir: str) -> None:
        real = os.path.realpath(folder)
        if real in seen_real:
            notices.append(Notice(rel_dir, "symlink loop or repeated folder: skipped"))
            return
        seen_real.add(real)
        gitignore.load(Path(folder), rel_dir)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            notices.append(Notice(rel_dir, f"cannot list folder: {exc.strerror or exc}"))
            return
        for entry in entries:
            rel = _child(rel_dir, entry.name)
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                continue
            if not is_dir and not is_file:
                if entry.is_symlink():
                    notices.append(Notice(rel, "broken symlink or symlink loop: skipped"))
                continue
            if excluded(rel) or gitignore.ignored(rel, is_dir):
                continue
            if is_dir:
                if entry.name not in ALWAYS_SKIP and not _is_venv(entry.path):
                    visit_dir(entry.path, rel)
            else:
                add_file(Path(entry.path), rel)

    def add_file(path: Path, rel: str) -> None:
        if rel not in seen_files:
            seen_files.add(rel)
            found.append((path, rel))

    for path in paths:
        if path.is_dir():
            visit_dir(os.path.abspath(path), rel_path(path, root))
        elif path.is_file():
            add_file(path, rel_path(path, root))
        elif path.is_symlink():
            notices.append(Notice(rel_path(path, root), "broken symlink: skipped"))
        else:
            notices.append(Notice(str(path), "no such file or folder"))
    return found, notices


def _read(path: Path, rel: str, fmt: str) -> tuple[SourceFile | None, Notice | None, tuple | None]:
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
        sniffed = sniff(fmt, text, rel)
        if sniffed is None:
            from hueylint.formats import unrecognised

            why = unrecognised(fmt, text)
            return None, (Notice(rel, why) if why else None), None
        fmt = sniffed
    return SourceFile(path=path, rel=rel, text=text, format=fmt or ""), None, None


def discover(paths: list[Path], root: Path, exclude: list[str]) -> Discovery:
    gitignore = _GitIgnore()
    candidates, notices = walk(paths, root, exclude, gitignore)
    result = Discovery(notices=notices, gitignored=gitignore.ignored)
    relevant: list[tuple[Path, str, str]] = []
    for path, rel in candidates:
        fmt = name_format(rel)
        if fmt:
            relevant.append((path, rel, fmt))
        else:
            result.others[rel] = path
    # Reading is I/O: threads overlap it on cold caches and network file systems. Files go to the
    # threads in chunks, because one task per small file costs more in locking than it saves.
    chunks = [relevant[i:i + READ_CHUNK] for i in range(0, len(relevant), READ_CHUNK)]
    workers = min(8, (os.cpu_count() or 2) * 2, max(len(chunks), 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for chunk in pool.map(lambda items: [_read(*item) for item in items], chunks):
            for source, notice, bad in chunk:
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
