"""Source files as hueylint reads them: decoded once, addressed by repo path."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path

from hueylint.locations import Loc
from hueylint.records import dataclass


@dataclass
class SourceFile:
    """A decoded text file.  ``rel`` is the repo-relative POSIX path used in every message."""

    path: Path
    rel: str
    text: str
    format: str = ""
    bom: bool = False  # the bytes started with a UTF-8 byte order mark, which ``text`` leaves out
    _lines: list[str] | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    def line(self, number: int) -> str:
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return ""

    def loc(self, line: int, col: int = 1, end_line: int = 0, end_col: int = 0) -> Loc:
        if not end_line:
            end_line = line
        if not end_col:
            end_col = len(self.line(line)) + 1 if line else 0
        return Loc(self.rel, line, col, end_line, end_col)


def position(text: str | bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text`` (columns count characters of a ``str``, bytes of
    ``bytes``)."""
    newline = "\n" if isinstance(text, str) else b"\n"
    return text.count(newline, 0, offset) + 1, offset - text.rfind(newline, 0, offset)  # type: ignore[arg-type]

