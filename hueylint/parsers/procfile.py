"""Procfiles: ``name: command`` lines, as Heroku, honcho and foreman read them.

Heroku's (and honcho's) grammar is one process type per line matching
``^([A-Za-z0-9_-]+):\\s*(.+)$``; ``#`` starts a comment line.  A line that
is neither blank, a comment nor an entry is skipped by the platform, the
other lines still run: it is reported (HL001) with its position instead of
being skipped silently, since it usually is a typo that makes the platform
ignore a process type, and the other entries are still read.
"""

from __future__ import annotations

from hueylint.parsers import ParseError
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile

_ENTRY = lazy_pattern(r"^([A-Za-z0-9_-]+)[ \t]*:[ \t]*(.*?)\s*$")


@dataclass(frozen=True)
class Entry:
    """One process type: ``worker: huey_consumer my_app.huey``."""

    name: str
    command: str
    line: int
    col: int  # 1-based column where the command starts


def parse(src: SourceFile) -> tuple[list[Entry], list[ParseError]]:
    """Every entry in file order, and each malformed line the platform skips as a :class:`ParseError` (its line,
    column and why)."""
    entries: list[Entry] = []
    skipped: list[ParseError] = []
    for number, raw in enumerate(src.text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip())
        match = _ENTRY.match(raw.lstrip())
        if match is None or not match.group(2):
            why = f"expected `name: command`, found {stripped[:40]!r}" if match is None else \
                f"process type `{match.group(1)}` has no command"
            skipped.append(ParseError(f"{why}: the platform skips this line", number, indent + 1))
            continue
        name, command = match.group(1), match.group(2)
        col = indent + match.start(2) + 1
        entries.append(Entry(name, command, number, col))
    return entries, skipped
