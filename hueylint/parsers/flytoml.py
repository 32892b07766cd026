"""Fly.io's ``fly.toml``: the values ``tomli`` reads, each with the place it is written.

``tomli`` gives no positions, so the text is scanned once more, line by line: table headers
(``[build]``, ``[[restart]]``) and ``key = value`` lines, each value's position and, for a string or an
array of strings, the position of each string's content.  Keys written inside an inline table
(``build = { image = "x" }``) or a dotted key get the line of the key that holds them.  A document
``tomli`` refuses raises :class:`ParseError` at the line and column it names (HL001).
"""

from __future__ import annotations

import re
from dataclasses import field
from typing import Any

import tomli

from hueylint.parsers import ParseError
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile

_HEADER = lazy_pattern(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = lazy_pattern(r"""^(\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.-]+(?:\s*\.\s*[A-Za-z0-9_-]+)*)\s*=\s*""")
_STRING = lazy_pattern(r'"((?:[^"\\\n]|\\.)*)"|\'([^\'\n]*)\'')
_SCALAR = lazy_pattern(r"[^\s#,\]}]+")
_ERROR_AT = lazy_pattern(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class Spot:
    """Where something is written: 1-based ``line``, ``col`` of its first character, ``end_col`` exclusive."""

    line: int
    col: int
    end_col: int


@dataclass
class Written:
    """One ``key = value`` line: the key's spot, the value's (a string with its quotes, a bare scalar; an array
    or inline table up to the end of its first line), and the contents of its strings in order."""

    key: Spot
    value: Spot
    strings: list[tuple[str, Spot]] = field(default_factory=list)


@dataclass
class FlyToml:
    """A parsed ``fly.toml``: ``data`` as ``tomli`` reads it, and ``written[(table, index, key)]`` where each
    key is written (``table`` the dotted header path, ``""`` at the top; ``index`` counts the ``[[table]]``
    entries, 0 for a plain table)."""

    data: dict[str, Any]
    written: dict[tuple[str, int, str], Written]
    headers: dict[tuple[str, int], Spot]

    def spot(self, table: str, key: str, index: int = 0) -> Written | None:
        return self.written.get((table, index, key))


def parse(src: SourceFile) -> FlyToml:
    """The document with its positions; raises :class:`ParseError` when TOML refuses it."""
    try:
        data = tomli.loads(src.text)
    except tomli.TOMLDecodeError as exc:
        where = _ERROR_AT.search(str(exc))
        line, col = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
        raise ParseError(f"not TOML: {_ERROR_AT.sub('', str(exc)).strip()}", line, col) from None
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"not TOML: {exc}", 1, 1) from None
    return FlyToml(data, *_positions(src))


def _positions(src: SourceFile) -> tuple[dict[tuple[str, int, str], Written], dict[tuple[str, int], Spot]]:
    written: dict[tuple[str, int, str], Written] = {}
    headers: dict[tuple[str, int], Spot] = {}
    counts: dict[str, int] = {}
    table, index = "", 0
    lines = src.text.splitlines()
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            table = re.sub(r"\s*\.\s*", ".", header.group(2).strip())
            if header.group(1) == "[[":
                index = counts.get(table, -1) + 1
                counts[table] = index
            else:
                index = 0
            start = len(line) - len(line.lstrip()) + 1
            headers.setdefault((table, index), Spot(number, start, len(line.rstrip()) + 1))
            continue
        key = _KEY.match(line)
        if key is None or line.lstrip().startswith("#"):
            continue
        name = key.group(2).strip()
        quoted = name[0] in "\"'"
        name = name[1:-1] if quoted else re.sub(r"\s*\.\s*", ".", name)
        key_spot = Spot(number, len(key.group(1)) + 1, len(key.group(1)) + len(key.group(2).rstrip()) + 1)
        rest = line[key.end():]
        value_start = key.end() + 1
        strings: list[tuple[str, Spot]] = []
        if rest.startswith("["):  # an array: its strings up to the closing bracket, over several lines
            strings, end_line, _end = _array_strings(lines, number, key.end())
            number = max(number, end_line)
        value = Spot(key_spot.line, value_start, len(line.rstrip()) + 1)
        quotes = rest[:3] if rest[:3] in ('"""', "'''") else ""
        if quotes:  # a multi-line string: its lines are not keys or headers (its content is placed when on one line)
            close = _closing(rest, quotes, 3)
            if close >= 0:
                value = Spot(number, value_start, value_start + close + 3)
                strings.append((rest[3:close], Spot(number, value_start + 3, value_start + close)))
            while close < 0 and number < len(lines):
                number += 1
                close = _closing(lines[number - 1], quotes, 0)
        elif not rest.startswith("["):
            string = _STRING.match(rest)
            first = string or _SCALAR.match(rest)
            if first is not None:  # the value's own token: a quoted string with its quotes, or a bare scalar
                value = Spot(number, value_start, key.end() + first.end() + 1)
            if string is not None:
                content = string.group(1) if string.group(1) is not None else string.group(2)
                strings.append((content, Spot(number, key.end() + 2, key.end() + string.end())))
        full = f"{table}.{name}" if table else name
        owner, _, leaf = (table, "", name) if quoted else full.rpartition(".")
        written.setdefault((owner, index if owner == table else 0, leaf), Written(key_spot, value, strings))
    return written, headers


def _closing(text: str, quotes: str, start: int) -> int:
    """Where the multi-line string delimited by ``quotes`` (three double or single quotes) closes in ``text``
    (searched from ``start``; a basic string's quote after an odd run of backslashes is escaped), -1 when not
    on this line.  Up to two quotes may end its content."""
    at = start
    while True:
        at = text.find(quotes, at)
        if at < 0:
            return -1
        backslashes = len(text[:at]) - len(text[:at].rstrip("\\"))
        if quotes == "'''" or backslashes % 2 == 0:
            while text[at + 3:at + 4] == quotes[0] and at + 3 < len(text):
                at += 1
            return at
        at += 1


def _array_strings(lines: list[str], number: int, at: int) -> tuple[list[tuple[str, Spot]], int, int]:
    """The strings of the array that starts at ``lines[number - 1][at]`` (a ``[``), each with its spot, and
    where the array ends (line, column after its ``]``)."""
    strings: list[tuple[str, Spot]] = []
    depth, row = 0, number
    while row <= len(lines):
        text = lines[row - 1]
        while at < len(text):
            char = text[at]
            if char in "\"'":
                match = _STRING.match(text, at)
                if match is None:
                    break
                content = match.group(1) if match.group(1) is not None else match.group(2)
                strings.append((content, Spot(row, at + 2, match.end())))
                at = match.end()
                continue
            if char == "#":
                break
            if char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
                if depth <= 0:
                    return strings, row, at + 2
            at += 1
        row, at = row + 1, 0
    return strings, len(lines), 1
