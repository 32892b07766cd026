"""A transient status line on stderr for runs that take longer than a second, like ruff's and pip's.

Shown only to a person watching a terminal: stderr is a TTY, the report is the text format without
``-q``, colour is not turned off (``--no-color``/``NO_COLOR``: no escape sequence at all), ``TERM`` is
not ``dumb`` and no CI variable is set (``CI``, ``GITHUB_ACTIONS``, ...: a CI log records every frame).
Nothing is drawn during the first second, and the line is erased when the run ends, so a fast run and
every pipe, log and machine-readable format look exactly as without it.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any, Callable

DELAY = 1.0  # seconds before the status appears
_CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "JENKINS_URL", "TF_BUILD", "TEAMCITY_VERSION")


def wanted(text_format: bool, quiet: bool, color: str, stream: Any = None) -> bool:
    """A status line may be drawn on ``stream`` (default stderr) for a run with these options."""
    stream = stream if stream is not None else sys.stderr
    if not text_format or quiet or color == "never" or os.environ.get("TERM") == "dumb":
        return False
    if any(os.environ.get(name) for name in _CI_VARIABLES):
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class Status:
    """``status("reading files...")`` records the stage; a timer draws it (rich's spinner) once
    :data:`DELAY` has passed, later stages update it, :meth:`close` erases it. Disabled: a no-op."""

    def __init__(self, enabled: bool, delay: float = DELAY) -> None:
        self._text = ""
        self._lock = threading.Lock()
        self._live: Any = None
        self._closed = False
        self._timer = threading.Timer(delay, self._show) if enabled else None
        if self._timer is not None:
            self._timer.daemon = True
            self._timer.start()

    def __call__(self, text: str) -> None:
        with self._lock:
            self._text = text
            if self._live is not None:
                self._live.update(text)

    def _show(self) -> None:
        from rich.console import Console

        with self._lock:
            if self._closed:
                return
            console = Console(file=sys.stderr, highlight=False)
            self._live = console.status(self._text or "working...", spinner="dots")
            self._live.start()

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._live is not None:
                self._live.stop()  # transient: the line is erased
                self._live = None

    def __enter__(self) -> "Status":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def noop(text: str) -> None:
    """The progress callback when none is shown."""


ProgressCallback = Callable[[str], None]
