"""Where each character of a YAML string scalar's value is written in its file.

A command written as a YAML scalar (``- |`` and the lines below it, ``>-``, a plain or quoted scalar over
several lines) is the text the shell runs; its words must be reported at their own line and column, not
at the scalar's first character.  :func:`locate` reads the scalar again from its first character as YAML
1.2 defines its content (chapter 7, flow scalars: plain, single- and double-quoted, with line folding and
escapes; chapter 8.1, block scalars: literal ``|`` and folded ``>``, chomping ``-``/``+``, indentation
indicators ``|2``) and checks what it reads against the value the parser gave: any difference (a form
not read here) gives None, and the caller keeps the scalar's start.

A character made by the scalar's form rather than written (a folded line break's space or newline, a
literal block's line feed) has no spot; an escape (``\\t``, ``''``) has the span of its escape sequence.
"""

from __future__ import annotations

import re
from typing import Iterator, Sequence

from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern

#: (1-based line, 1-based column, end column exclusive) of the text one character of a value comes from
Spot = tuple[int, int, int]

_BLOCK_HEADER = lazy_pattern(r"([|>])([1-9][+-]?|[+-][1-9]?|)(?:[ \t]+(?:#.*)?)?$")
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
            "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028",
            "P": "\u2029"}
_HEX = {"x": 2, "u": 4, "U": 8}
_Chars = Iterator[tuple[str, Spot | None]]



@dataclass(frozen=True)
class Spots:
    """The spot of every character of a value (None: made by the scalar's form, not written)."""

    spots: tuple[Spot | None, ...]

    def span(self, start: int, end: int) -> tuple[int, int, int, int] | None:
        """``(line, col, end_line, end_col)`` of the value's characters ``start`` to ``end`` (exclusive), from
        the first one's spot to the last one's; None when either has no spot or the range is empty."""
        if not 0 <= start < end <= len(self.spots):
            return None
        first, last = self.spots[start], self.spots[end - 1]
        if first is None or last is None:
            return None
        return first[0], first[1], last[0], last[2]

    def offset(self, line: int, col: int) -> int | None:
        """The value offset of the character written at ``line``:``col`` (its spot starts there), or None."""
        for index, spot in enumerate(self.spots):
            if spot is not None and spot[0] == line and spot[1] == col:
                return index
        return None

    def written(self, index: int) -> bool:
        """The character at ``index`` is written as itself, one character of the file (no escape, no fold)."""
        spot = self.spots[index] if 0 <= index < len(self.spots) else None
        return spot is not None and spot[2] == spot[1] + 1


def locate(lines: Sequence[str], line0: int, col0: int, value: str) -> Spots | None:
    """The spots of ``value``, the string scalar whose node starts at 0-based ``line0``:``col0`` of ``lines``
    (the parsed text's lines; the position the parser recorded, which may be the node's anchor or tag);
    None when the text there does not read as ``value``."""
    if not 0 <= line0 < len(lines) or col0 < 0:
        return None
    text = lines[line0]
    at = col0
    while at < len(text) and text[at] in "&!":  # node properties: `&anchor`, `!tag`
        while at < len(text) and text[at] not in " \t":
            at += 1
        while at < len(text) and text[at] in " \t":
            at += 1
    if not 0 <= at < len(text):
        return None
    first = text[at]
    if first in "|>":
        header = _BLOCK_HEADER.match(text, at)
        if header is None:
            return None
        for indent in _indents(lines, line0, header.group(2)):
            found = _match(_block(lines, line0, indent, header.group(1) == "|", header.group(2)), value)
            if found is not None:
                return found
        return None
    if first == "'":
        return _match(_quoted(lines, line0, at, double=False), value)
    if first == '"':
        return _match(_quoted(lines, line0, at, double=True), value)
    return _match(_plain(lines, line0, at), value)


def _match(chars: _Chars, value: str) -> Spots | None:
    spots: list[Spot | None] = []
    for char, spot in chars:
        if len(spots) == len(value):
            break
        if char != value[len(spots)]:
            return None
        spots.append(spot)
    return Spots(tuple(spots)) if len(spots) == len(value) else None


def _indents(lines: Sequence[str], line0: int, indicators: str) -> list[int]:
    """The content indentations to try: the first non-empty line's (YAML's auto-detection) first; with an
    indentation indicator (relative to the parent node's indentation, not known here) every smaller one."""
    for text in lines[line0 + 1:]:
        if text.strip(" "):
            auto = len(text) - len(text.lstrip(" "))
            if not any(char.isdigit() for char in indicators):
                return [auto] if auto else []
            return list(range(auto, 0, -1))
    return []


def _block(lines: Sequence[str], line0: int, indent: int, literal: bool, indicators: str) -> _Chars:
    """A literal or folded block scalar's characters, its content indented ``indent`` spaces (8.1)."""
    rows: list[int | None] = []  # each line of the scalar: its number, or None for an empty line
    for number in range(line0 + 1, len(lines)):
        text = lines[number]
        lead = len(text) - len(text.lstrip(" "))
        if not text.strip(" ") and lead <= indent:
            rows.append(None)
        elif lead >= indent:
            rows.append(number)
        else:
            break
    content = [index for index, row in enumerate(rows) if row is not None]
    chomp = "+" if "+" in indicators else "-" if "-" in indicators else ""
    last = content[-1] if content else -1
    previous: int | None = None  # the last content line read
    empties = 0
    for index in range(last + 1):
        row = rows[index]
        if row is None:
            empties += 1
            continue
        number, text = row, lines[row]
        if previous is None:
            yield from (("\n", None) for _ in range(empties))
        elif literal:
            yield from (("\n", None) for _ in range(empties + 1))
        else:
            spaced = text[indent:indent + 1] in (" ", "\t") or lines[previous][indent:indent + 1] in (" ", "\t")
            breaks = empties + 1 if spaced else empties
            yield from (("\n", None) for _ in range(breaks)) if breaks else iter(((" ", None),))
        for col in range(indent, len(text)):
            yield text[col], (number + 1, col + 1, col + 2)
        previous, empties = number, 0
    if content and chomp != "-":
        yield "\n", None
    if chomp == "+":
        yield from (("\n", None) for _ in range(len(rows) - last - 1))


def _plain(lines: Sequence[str], line0: int, at: int) -> _Chars:
    """A plain scalar's characters: each line's text (up to a comment), lines folded (7.3.3)."""
    number, start = line0, at
    while True:
        text = lines[number]
        comment = re.search(r"[ \t]#", text[start:])
        end = start + comment.start() if comment else len(text)
        while end > start and text[end - 1] in " \t":
            end -= 1
        for col in range(start, end):
            yield text[col], (number + 1, col + 1, col + 2)
        if comment:
            return
        number, empties = _next_content_line(lines, number)
        if number >= len(lines):
            return
        text = lines[number]
        start = len(text) - len(text.lstrip(" \t"))
        if text[start] == "#":
            return
        yield from (("\n", None) for _ in range(empties)) if empties else iter(((" ", None),))


def _next_content_line(lines: Sequence[str], number: int) -> tuple[int, int]:
    """The index of the first line after ``number`` holding more than white space (``len(lines)`` when none),
    and how many empty lines lie between: each folds to a line break in a continued scalar (7.3.1)."""
    number, empties = number + 1, 0
    while number < len(lines) and not lines[number].strip(" \t"):
        number, empties = number + 1, empties + 1
    return number, empties


def _quoted(lines: Sequence[str], line0: int, at: int, *, double: bool) -> _Chars:
    """A single- or double-quoted scalar's characters: escapes (``''``; ``\\`` sequences in double quotes)
    and line folding, the white space around each line break dropped (7.3.1, 7.3.2)."""
    quote = '"' if double else "'"
    number, col = line0, at + 1
    while True:
        text = lines[number]
        blanks: list[tuple[str, Spot | None]] = []  # white space written before a line break: dropped there
        escaped_break = False
        while col < len(text):
            char = text[col]
            spot = (number + 1, col + 1, col + 2)
            if char in " \t":
                blanks.append((char, spot))
                col += 1
                continue
            yield from blanks
            blanks = []
            if char == quote:
                if not double and text[col + 1:col + 2] == "'":
                    yield "'", (number + 1, col + 1, col + 3)
                    col += 2
                    continue
                return
            if double and char == "\\":
                code = text[col + 1:col + 2]
                if not code:
                    escaped_break = True
                    break
                if code in _ESCAPES:
                    yield _ESCAPES[code], (number + 1, col + 1, col + 3)
                    col += 2
                    continue
                width = _HEX.get(code, 0)
                digits = text[col + 2:col + 2 + width]
                if not width or len(digits) != width or not re.fullmatch(r"[0-9A-Fa-f]+", digits):
                    return
                yield chr(int(digits, 16)), (number + 1, col + 1, col + 3 + width)
                col += 2 + width
                continue
            yield char, spot
            col += 1
        number, empties = _next_content_line(lines, number)
        if number >= len(lines):
            return
        text = lines[number]
        col = len(text) - len(text.lstrip(" \t"))
        if escaped_break:
            yield from (("\n", None) for _ in range(empties))
        else:
            yield from (("\n", None) for _ in range(empties)) if empties else iter(((" ", None),))
