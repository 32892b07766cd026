"""Procfiles: ``name: command`` lines, as Heroku, honcho and foreman read them.

Heroku's (and honcho's) grammar is one process type per line matching
``^([A-Za-z0-9_-]+):\\s*(.+)$``; ``#`` starts a comment line.  A line that
is neither blank, a comment nor an entry is reported (HL001) with its
position instead of being skipped silently, since it usually is a typo that
makes the platform ignore a process type.
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


def parse(src: SourceFile) -> list[Entry]:
    """Every entry in file order; raises :class:`ParseError` at the first malformed line."""
    entries: list[Entry] = []
    for number, raw in enumerate(src.text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip())
        match = _ENTRY.match(raw.lstrip())
        if match is None:
            raise ParseError(f"expected `name: command`, found {stripped[:40]!r}", number, indent + 1)
        name, command = match.group(1), match.group(2)
        if not command:
            raise ParseError(f"process type `{name}` has no command", number, indent + 1)
        col = indent + match.start(2) + 1
        entries.append(Entry(name, command, number, col))
    return entries
