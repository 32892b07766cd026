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


def test_shown_is_relative_inside_cwd_and_absolute_outside(tmp_path):
    from hueylint.safeio import shown

    cwd = str(tmp_path / "repo")
    assert shown(str(tmp_path / "repo" / "deploy" / "huey.service"), cwd) == "deploy/huey.service"
    assert shown("deploy/../Procfile", cwd) == "Procfile"
    assert shown(cwd, cwd) == "."
    # a sibling whose name starts with the cwd's name or with `..` is outside, shown absolute
    assert shown(str(tmp_path / "repo2" / "x"), cwd) == str(tmp_path / "repo2" / "x")
    assert shown(str(tmp_path / "..x"), cwd) == str(tmp_path / "..x")


def test_fixes_refuse_a_file_reached_through_a_symlinked_folder(tmp_path):
    from hueylint.findings import Edit, Finding, Fix
    from hueylint.fixes import _fixed_text
    from hueylint.locations import Loc

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "huey.service").write_text("[Service]\nExecStart=huey_consumer app.huey\n")
    root = tmp_path / "repo"
    root.mkdir()
    (root / "deploy").symlink_to(outside, target_is_directory=True)
    (root / "own.service").write_text("[Service]\n")

    def finding(rel: str) -> Finding:
        edit = Edit(rel, 1, 1, 1, 1, "# x\n")
        return Finding("HL101", "m", Loc(rel, 1, 1), fix=Fix("add", (edit,)))

    for rel in ("deploy/huey.service", "../outside/huey.service", "/etc/passwd"):
        assert _fixed_text(root, rel, [finding(rel)]) == ("the file is outside the checked folder", None)
    why, change = _fixed_text(root, "own.service", [finding("own.service")])
    assert why is None and change is not None and change[1] == "# x\n[Service]\n"
    assert (outside / "huey.service").read_text().startswith("[Service]")
