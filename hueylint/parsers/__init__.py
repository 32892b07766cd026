"""One parser module per format; each raises :class:`ParseError` on input it cannot read."""

from __future__ import annotations


class ParseError(Exception):
    """Input a parser cannot read: reported as HL001 at ``line``/``col`` (1-based), never raised further."""

    def __init__(self, message: str, line: int, col: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
