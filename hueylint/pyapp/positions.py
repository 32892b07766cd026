"""Positions and source text of :mod:`ast` nodes, in the character columns findings show.

``ast`` gives ``lineno``/``end_lineno`` (1-based, lines broken at ``\\n``, ``\\r\\n`` and ``\\r`` as Python
counts them) and ``col_offset``/``end_col_offset`` as UTF-8 *byte* offsets in the line; a finding's column
counts characters, so a line with non-ASCII text before a node is decoded up to the node.  Trees made by
the libcst fallback (:mod:`hueylint.pyapp.fallback`) already carry character columns (``byte_columns``
False).  The source of a node (:meth:`Source.code`) includes the parentheses written around it, as
libcst's code for a node does (``if (DEBUG):`` reads ``(DEBUG)``), and a ``def``/``class`` name, which
``ast`` does not place, is found after its keyword.
"""

from __future__ import annotations

import ast
import bisect

from hueylint.locations import Loc
from hueylint.regexes import lazy_pattern

_LINE = lazy_pattern(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_NAME_AFTER = lazy_pattern(r"(?:async\s+)?(?:def|class)(?:\s|\\\r?\n)+(\w+)")
# words after which ``(`` opens a parenthesised expression, not a call's argument list
_KEYWORDS = frozenset({"and", "as", "assert", "async", "await", "del", "elif", "else", "except", "for", "from",
                       "if", "import", "in", "is", "lambda", "not", "or", "return", "while", "with", "yield",
                       "raise", "case", "match"})


class Source:
    """The text of one module, for the positions of its ``ast`` nodes."""

    def __init__(self, rel: str, text: str, byte_columns: bool = True) -> None:
        self.rel = rel
        self.text = text
        self.lines = _LINE.findall(text)
        self.byte_columns = byte_columns and not text.isascii()
        self._starts: list[int] | None = None

    def column(self, line: int, col: int) -> int:
        """The 0-based character column of ``col`` (a byte offset when the tree is ``ast``'s) in ``line``."""
        if not self.byte_columns or not 0 < line <= len(self.lines):
            return col
        text = self.lines[line - 1]
        if text.isascii():
            return col
        return len(text.encode("utf-8", "surrogatepass")[:col].decode("utf-8", "replace"))

    def loc(self, node: ast.AST) -> Loc:
        """Where ``node`` is written (1-based columns, end exclusive), parentheses around it not included."""
        line, end = node.lineno, node.end_lineno or node.lineno  # type: ignore[attr-defined]
        return Loc(self.rel, line, self.column(line, node.col_offset) + 1,  # type: ignore[attr-defined]
                   end, self.column(end, node.end_col_offset or 0) + 1)  # type: ignore[attr-defined]

    def span(self, first: ast.AST, last: ast.AST) -> Loc:
        a, b = self.loc(first), self.loc(last)
        return Loc(self.rel, a.line, a.col, b.end_line, b.end_col)

    def name_loc(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> Loc:
        """Where the name of a ``def``/``class`` is written (``ast`` places only the statement)."""
        start = self.offset(node.lineno, self.column(node.lineno, node.col_offset))
        match = _NAME_AFTER.match(self.text, start)
        if match is None:  # not what ``ast`` parsed (never expected): the statement's start
            return self.loc(node)
        line, col = self.position(match.start(1))
        return Loc(self.rel, line, col + 1, line, col + 1 + len(match.group(1)))

    # -- offsets --------------------------------------------------------------------
    def offset(self, line: int, col: int) -> int:
        """Character offset in the text of a (1-based line, 0-based character column)."""
        if self._starts is None:
            starts, total = [], 0
            for text in self.lines:
                starts.append(total)
                total += len(text)
            starts.append(total)
            self._starts = starts
        return self._starts[min(max(line, 1), len(self._starts)) - 1] + col

    def position(self, offset: int) -> tuple[int, int]:
        """(1-based line, 0-based character column) of a character offset."""
        self.offset(1, 0)
        starts = self._starts or [0]
        index = max(bisect.bisect_right(starts, offset) - 1, 0)
        return index + 1, offset - starts[index]

    def code(self, node: ast.AST) -> str:
        """The source of ``node`` as written, with the parentheses around it."""
        loc = self.loc(node)
        start, end = self.offset(loc.line, loc.col - 1), self.offset(loc.end_line, loc.end_col - 1)
        text = self.text
        while True:
            before, after = self._before(start), self._after(end)
            if before < 0 or after >= len(text) or text[before] != "(" or text[after] != ")" or self._opens_call(before):
                return text[start:end]
            start, end = before, after + 1

    def _before(self, index: int) -> int:
        """Index of the last significant character before ``index`` (spaces, line breaks, continuation
        backslashes and comments skipped), -1 when none."""
        text = self.text
        index -= 1
        while index >= 0:
            char = text[index]
            if char in " \t\f\\":
                index -= 1
            elif char in "\r\n":
                index -= 1
                line_start = max(text.rfind("\n", 0, index + 1), text.rfind("\r", 0, index + 1)) + 1
                comment = _comment_start(text[line_start:index + 1])
                if comment >= 0:
                    index = line_start + comment - 1
            else:
                return index
        return -1

    def _after(self, index: int) -> int:
        """Index of the first significant character at or after ``index``."""
        text = self.text
        while index < len(text):
            char = text[index]
            if char in " \t\f\\\r\n":
                index += 1
            elif char == "#":
                while index < len(text) and text[index] not in "\r\n":
                    index += 1
            else:
                return index
        return index

    def _opens_call(self, paren: int) -> bool:
        """True when the ``(`` at ``paren`` opens a call's arguments, a ``def``'s parameters or a class's bases
        (it follows a name that is not a keyword, a closing bracket or a string)."""
        before = self._before(paren)
        if before < 0:
            return False
        char = self.text[before]
        if char in ")]}\"'":
            return True
        if not (char.isalnum() or char == "_"):
            return False
        start = before
        while start > 0 and (self.text[start - 1].isalnum() or self.text[start - 1] == "_"):
            start -= 1
        return self.text[start:before + 1] not in _KEYWORDS


def _comment_start(line: str) -> int:
    """Index of the ``#`` that starts a comment on one line (quotes on the line followed), -1 when none."""
    if "#" not in line:
        return -1
    quote = ""
    index = 0
    while index < len(line):
        char = line[index]
        if quote:
            if char == "\\":
                index += 1
            elif line.startswith(quote, index):
                index += len(quote) - 1
                quote = ""
        elif char in "\"'":
            quote = line[index:index + 3] if line[index:index + 3] in ('"""', "'''") else char
            index += len(quote) - 1
        elif char == "#":
            return index
        index += 1
    return -1
