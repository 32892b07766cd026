"""Durations in the syntaxes the formats use, all in seconds (``math.inf`` for infinity).

One module so that ``--longest-task 5m``, systemd's ``1min 30s``, compose's
``1m30s`` and Kubernetes' plain integers are read the same way.
"""

from __future__ import annotations

import math
import re

from hueylint.regexes import lazy_pattern

_UNITS = {
    "ns": 1e-9, "nsec": 1e-9,  # systemd.time(7) and Go's time.ParseDuration (compose) both take nanoseconds
    "us": 1e-6, "usec": 1e-6, "µs": 1e-6, "μs": 1e-6,  # micro sign U+00B5 and Greek mu U+03BC, as in Go
    "ms": 1e-3, "msec": 1e-3,
    "s": 1.0, "sec": 1.0, "second": 1.0, "seconds": 1.0,
    "m": 60.0, "min": 60.0, "minute": 60.0, "minutes": 60.0,
    "h": 3600.0, "hr": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "d": 86400.0, "day": 86400.0, "days": 86400.0,
    "w": 604800.0, "week": 604800.0, "weeks": 604800.0,
}
_PART = lazy_pattern(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-zµμ]*)", re.IGNORECASE)


class DurationError(ValueError):
    pass


def parse_duration(text: str | int | float, default_unit: str = "s") -> float:
    """Parse ``45``, ``"45s"``, ``"5m"``, ``"1min 30s"``, ``"1m30s"``, ``"infinity"``.

    ``default_unit`` applies to bare numbers (systemd and compose: seconds).
    """
    if isinstance(text, bool):
        raise DurationError(f"not a duration: {text!r}")
    if isinstance(text, (int, float)):
        return float(text) * _UNITS[default_unit]
    value = text.strip().lower()
    if value in ("infinity", "inf"):
        return math.inf
    if not value:
        raise DurationError("empty duration")
    total = 0.0
    pos = 0
    while pos < len(value):
        match = _PART.match(value, pos)
        if not match or match.end() == pos:
            raise DurationError(f"not a duration: {_quoted(text)}")
        number, unit = match.groups()
        unit = unit or default_unit
        if unit not in _UNITS:
            raise DurationError(f"unknown time unit {_quoted(unit)} in {_quoted(text)}")
        total += float(number) * _UNITS[unit]
        pos = match.end()
        while pos < len(value) and value[pos] == " ":
            pos += 1
    return total


def _quoted(text: str) -> str:
    """``text`` as an error quotes it: ``repr`` of at most 60 characters (its start and ``...``), so a value of
    kilobytes in a configuration file cannot fill the one-line error."""
    return repr(text if len(text) <= 60 else text[:57] + "...")
