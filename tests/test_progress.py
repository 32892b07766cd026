"""The transient status line: drawn only for a person at a terminal, erased when the run ends."""

from __future__ import annotations

import io
import time

import pytest

from hueylint import progress
from hueylint.cli import main


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in progress._CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def test_wanted_only_on_a_terminal_for_the_text_report(no_ci: None) -> None:
    assert progress.wanted(True, False, "auto", Terminal())
    assert not progress.wanted(True, False, "auto", io.StringIO())  # a pipe or a file
    assert not progress.wanted(True, True, "auto", Terminal())  # -q
    assert not progress.wanted(False, False, "auto", Terminal())  # json, sarif, github
    assert not progress.wanted(True, False, "never", Terminal())  # --no-color / NO_COLOR: no escapes at all


@pytest.mark.parametrize("variable", ["CI", "GITHUB_ACTIONS", "GITLAB_CI"])
def test_never_in_ci_logs(no_ci: None, monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, "true")
    assert not progress.wanted(True, False, "auto", Terminal())


def test_never_on_a_dumb_terminal(no_ci: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    assert not progress.wanted(True, False, "auto", Terminal())


def test_status_shows_the_latest_stage_after_the_delay_and_erases_it(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    monkeypatch.setenv("FORCE_COLOR", "1")
    with progress.Status(True, delay=0.0) as status:
        status("reading 3,844 files: building deployments from 12...")
        deadline = time.monotonic() + 5
        while "3,844" not in screen.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
        status("checking 4 launches...")
    drawn = screen.getvalue()
    assert "reading 3,844 files: building deployments from 12..." in drawn
    assert "checking 4 launches..." in drawn
    # transient: the cursor is shown again and the status line erased (up one line, clear it)
    assert drawn.endswith("\x1b[?25h\r\x1b[1A\x1b[2K")


def test_a_disabled_status_draws_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    with progress.Status(False, delay=0.0) as status:
        status("reading files...")
        time.sleep(0.05)
    assert screen.getvalue() == ""


def test_a_fast_run_draws_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    with progress.Status(True, delay=30.0) as status:
        status("reading files...")
    assert screen.getvalue() == ""


def test_check_in_a_pipe_writes_no_status(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Procfile").write_text("worker: python manage.py run_huey\n")
    main(["check", str(tmp_path), "--no-cache"])
    assert "\x1b" not in capsys.readouterr().err
