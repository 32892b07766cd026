"""Signal names as huey, supervisors and ``kill`` write them, normalised to one spelling (``INT``)."""

from __future__ import annotations

import re

#: signal numbers as ``kill -2`` and supervisors accept them -> the name
SIGNAL_NUMBERS = {"1": "HUP", "2": "INT", "3": "QUIT", "9": "KILL", "10": "USR1", "12": "USR2", "15": "TERM",
                  "28": "WINCH"}


def normalize_signal(text: str) -> str | None:
    """``SIGINT``, ``INT``, ``sigint``, ``2`` -> ``INT``; None when it is not a signal."""
    value = text.strip().strip("\"'").upper()
    if value in SIGNAL_NUMBERS:
        return SIGNAL_NUMBERS[value]
    if value.startswith("SIG"):
        value = value[3:]
    return value if re.fullmatch(r"[A-Z][A-Z0-9+-]*", value) else None
