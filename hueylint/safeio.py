"""Reading and writing files whose names come from an untrusted tree.

The scanned repository decides what its paths are: a ``Procfile`` may be a
FIFO (``open`` blocks forever), a link to ``/dev/zero`` (``read`` never ends),
a link to ``/etc/shadow`` or to the runner's credentials (its text must never
be read, let alone printed).  Every read of such a path goes through
:func:`read_regular`, which opens without blocking, checks on the open
descriptor that it is a regular file of bounded size, and only then reads.

Writes (reports, cache entries, baselines) go through :func:`atomic_write`:
a temporary file in the target folder renamed over the target, so a failed
write leaves the old file (or nothing), never half a file, and a symlink at
the target is replaced rather than written through.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # POSIX; Windows has no O_NOFOLLOW (and no FIFOs)


class NotRegularFile(OSError):
    """The path names a FIFO, socket, device or folder (``str()`` is the reason shown to users)."""


class TooLarge(OSError):
    """The file holds more than the limit the caller allows."""


def inside(path: str | os.PathLike[str], roots: list[str]) -> bool:
    """Is the real path of ``path`` (symlinks resolved) one of ``roots`` or below one of them?

    ``roots`` are real paths (:func:`os.path.realpath`).  A path that cannot be resolved is outside.
    """
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return False
    return any(below(real, root) for root in roots)


def below(path: str, folder: str) -> bool:
    """Is ``path`` the ``folder`` itself or a path under it (both absolute, compared as text)?"""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def shown(full: str, cwd: str) -> str:
    """``full`` (an absolute path, or one relative to ``cwd``) as users typed it: relative to ``cwd`` when it
    is ``cwd`` or below it (``deploy/huey.service``), else absolute and normalised."""
    full = os.path.normpath(os.path.join(cwd, full))
    base = os.path.normpath(os.path.abspath(cwd))
    return os.path.relpath(full, base) if below(full, base) else full


def read_regular(path: str | os.PathLike[str], limit: int, follow: bool = True) -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes.

    Opened with ``O_NONBLOCK`` (a FIFO does not block the open) and checked with ``fstat`` on the
    descriptor (no race between the check and the read); ``follow=False`` refuses a symlink
    (``O_NOFOLLOW``).  Raises :class:`NotRegularFile`, :class:`TooLarge` or the ``OSError`` of the
    open (``FileNotFoundError``, ``PermissionError``, ``ELOOP`` ...).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | (0 if follow else NOFOLLOW)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile("a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file")
        if info.st_size > limit:
            raise TooLarge(f"larger than {_size(limit)}")
        chunks: list[bytes] = []
        total = 0
        while True:  # the size may grow while reading: never read past the limit
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise TooLarge(f"larger than {_size(limit)}")
        return b"".join(chunks)
    finally:
        os.close(fd)


#: the largest file ``--fix`` rewrites
MAX_FIXED_BYTES = 16 * 1024 * 1024


def read_fixable(path: Path) -> tuple[str, bool, int] | None:
    """(text without BOM, had a BOM, permission bits) of a file ``--fix`` may rewrite: a regular UTF-8 file
    (not a symlink) of at most :data:`MAX_FIXED_BYTES`; None otherwise."""
    try:
        if path.is_symlink():
            return None
        data = read_regular(path, MAX_FIXED_BYTES, follow=False)
        mode = stat.S_IMODE(os.stat(path, follow_symlinks=False).st_mode)
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    bom = text.startswith("\ufeff")
    return (text[1:] if bom else text), bom, mode


#: what :meth:`str.splitlines` (fix edits) counts as a line break besides ``\n``/``\r``, and Python's ast,
#: bash, systemd or YAML 1.2 do not: a finding's line and the fix's line could be different lines
ODD_LINE_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def unfixable(root: Path, rel: str) -> str | None:
    """Why ``--fix`` never writes the file ``rel`` (relative to the run root ``root``): it is outside the
    checked folder (absolute, ``..``, below a symlinked folder), not a regular UTF-8 file
    (:func:`read_fixable`), holds one of :data:`ODD_LINE_BREAKS`, or the user may not write it or its folder
    (``os.access``); None when it may."""
    if Path(rel).is_absolute() or not inside(root / rel, [os.path.realpath(root)]):
        return "the file is outside the checked folder"
    read = read_fixable(root / rel)
    if read is None:
        return "not a regular UTF-8 file"
    if any(char in read[0] for char in ODD_LINE_BREAKS):
        return "the file holds a form feed or another character some tools count as a line break: line numbers differ"
    if not os.access(root / rel, os.W_OK):
        return "the file is read-only"  # a rename over it would get past its permissions: as an editor, refuse
    if not os.access((root / rel).parent, os.W_OK | os.X_OK):
        return "its folder is read-only"
    return None


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"


def too_large(limit: int) -> str:
    """The reason :class:`TooLarge` gives for a file over ``limit`` bytes (``larger than 2 MiB``)."""
    return f"larger than {_size(limit)}"


def bounded(data: bytes, limit: int) -> bytes:
    """``data`` (read from a stream, at most ``limit + 1`` bytes) when it holds at most ``limit`` bytes;
    raises :class:`TooLarge` with :func:`read_regular`'s message otherwise."""
    if len(data) > limit:
        raise TooLarge(f"larger than {_size(limit)}")
    return data


def atomic_write(path: str | os.PathLike[str], text: str, mode: int | None = None) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file renamed into place.

    ``mode`` defaults to what a plain ``open(path, "w")`` would give (0o666 minus the umask; the
    temporary file itself is created 0o600).  Raises ``OSError``; the target is then untouched.
    """
    target = Path(path)
    import tempfile  # only runs that write import it (a warm run writes nothing)

    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        wanted = mode if mode is not None else 0o666 & ~_umask()
        if (mode is not None or hasattr(os, "fchmod")) and wanted != 0o600:  # mkstemp's own mode: no chmod
            os.chmod(tmp, wanted)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_output(path: str | os.PathLike[str], text: str, tree: str | os.PathLike[str]) -> None:
    """Write a report the user asked for: atomically (:func:`atomic_write`, missing folders created), except
    to an existing link, FIFO or device outside the checked ``tree`` (``-o /dev/stdout``, ``-o >(gzip >
    r.gz)``), which is the user's own stream and written in place. Inside the tree every target is
    replaced, never written through: a ``hueylint.sarif -> ~/.bashrc`` link planted there stays harmless."""
    absolute = os.path.abspath(path)
    in_tree = any(absolute.startswith(base.rstrip(os.sep) + os.sep)
                  for base in (os.path.abspath(tree), os.path.realpath(tree)))
    try:
        mode = os.lstat(absolute).st_mode
    except OSError:
        mode = 0
    if not in_tree and mode and not stat.S_ISREG(mode):
        with open(absolute, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        return
    if in_tree and not below(os.path.realpath(os.path.dirname(absolute)), os.path.realpath(tree)):
        # `-o reports/r.sarif` with a planted `reports -> ~/somewhere`: neither the file nor a folder goes there
        raise OSError(errno.EPERM, "a folder on the way is a symbolic link leading outside the checked tree")
    Path(absolute).parent.mkdir(parents=True, exist_ok=True)
    atomic_write(absolute, text)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
