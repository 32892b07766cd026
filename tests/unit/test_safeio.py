"""safeio: reads that cannot hang or run away, writes that cannot leave half a file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from hueylint.safeio import NotRegularFile, TooLarge, atomic_write, inside, read_regular


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc files report size 0")
def test_the_limit_holds_when_the_size_lies() -> None:
    """A file whose stat size is 0 but whose read never ends early (/proc) stops at the limit."""
    assert os.stat("/proc/self/status").st_size == 0
    with pytest.raises(TooLarge, match="larger than 10 bytes"):
        read_regular("/proc/self/status", 10)
    assert read_regular("/proc/self/status", 1 << 20).startswith(b"Name:")


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and O_NOFOLLOW")
def test_fifo_and_links(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(NotRegularFile, match="^not a regular file$"):
        read_regular(tmp_path / "fifo", 100)  # no writer: a plain open would block forever
    (tmp_path / "real").write_text("x")
    os.symlink("real", tmp_path / "link")
    assert read_regular(tmp_path / "link", 100) == b"x"
    with pytest.raises(OSError):
        read_regular(tmp_path / "link", 100, follow=False)
    assert inside(tmp_path / "link", [os.path.realpath(tmp_path)])
    assert not inside(tmp_path / "link", [os.path.realpath(tmp_path / "sub")])


def test_atomic_write_mode_and_no_leftovers(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    atomic_write(target, "{}\n")
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.read_text() == "{}\n" and (target.stat().st_mode & 0o777) == 0o666 & ~umask
    atomic_write(target, "secret\n", mode=0o600)
    assert (target.stat().st_mode & 0o777) == 0o600 and os.listdir(tmp_path) == ["report.json"]
