"""Reading TOML dependency files: loading without raising, nested keys, and where a key or a
string value sits in the text (``tomli`` gives no positions)."""

from __future__ import annotations

import re
from typing import Any

from hueylint.locations import Loc
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile
from hueylint.versions.specifiers import is_huey
from hueylint.versions.text import file_loc, line_starts, offset_loc, strip_comment


def load_toml(src: SourceFile) -> dict[str, Any]:
    """The parsed document, ``{}`` when it does not parse (:func:`hueylint.versions.parse_error` says why)."""
    try:
        return parse_toml(src.text)
    except (ValueError, TypeError, RecursionError):  # tomli.TOMLDecodeError is a ValueError
        return {}


def parse_toml(text: str) -> dict[str, Any]:
    """``tomli.loads(text)`` (raising what it raises), parsed once per text for the run: the HL001 check
    (:func:`hueylint.versions.parse_error`) and the pins read the same dependency files, and a 400 KB
    ``uv.lock`` takes 30 ms to parse.  The document is shared: callers only read it."""
    found = _PARSED.get(text)
    if found is None:
        import tomli  # here: a run that reads no TOML never imports the parser

        try:
            found = (tomli.loads(text), None)
        except (ValueError, TypeError, RecursionError) as exc:  # tomli.TOMLDecodeError is a ValueError
            found = ({}, exc.with_traceback(None))
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[text] = found
    data, error = found
    if error is not None:
        raise error
    return data


#: parsed documents by text, oldest dropped first (a run reads a few dozen dependency files)
_PARSED: dict[str, tuple[dict[str, Any], Exception | None]] = {}
_PARSED_MAX = 64


def toml_get(data: Any, *keys: str) -> Any:
    """``data[k1][k2]...``, None when a key is missing or a level is not a table."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


class StringFinder:
    """Locate the n-th occurrence of a quoted TOML string value in the text."""

    def __init__(self, src: SourceFile) -> None:
        self.src = src
        self.starts = line_starts(src.text)
        self.seen: dict[str, int] = {}

    def find(self, value: str) -> Loc:
        text = self.src.text
        hits: list[int] = []
        for quote in ('"', "'"):
            needle = f"{quote}{value}{quote}"
            index = text.find(needle)
            while index >= 0:
                hits.append(index + 1)
                index = text.find(needle, index + 1)
        hits.sort()
        count = self.seen.get(value, 0)
        self.seen[value] = count + 1
        if not hits:
            return file_loc(self.src)
        start = hits[min(count, len(hits) - 1)]
        return offset_loc(self.src, self.starts, start, start + len(value))


_HEADER_RE = lazy_pattern(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY_RE = lazy_pattern(r"""^(\s*)(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_.-]+))\s*=""")


def _split_header(header: str) -> tuple[str, ...]:
    parts = re.findall(r""""([^"]*)"|'([^']*)'|([^.\s]+)""", header)
    return tuple(a or b or c for a, b, c in parts)


def key_locs(src: SourceFile, tables: Any) -> list[tuple[tuple[str, ...], Loc]]:
    """``(table path, loc)`` of each line declaring the huey key in a table accepted by ``tables(path)``.

    Also matches a ``[<table>.huey]`` sub-table header.
    """
    locs: list[tuple[tuple[str, ...], Loc]] = []
    table: tuple[str, ...] = ()
    for number, line in enumerate(src.lines, 1):
        header = _HEADER_RE.match(line)
        if header and not line.lstrip().startswith("[["):
            table = _split_header(header.group(1))
            if table and is_huey(table[-1]) and tables(table[:-1]):
                loc = src.loc(number, len(line) - len(line.lstrip()) + 1, number, len(line.rstrip()) + 1)
                locs.append((table[:-1], loc))
            continue
        key = _KEY_RE.match(line)
        if key and tables(table):
            name = key.group(2) or key.group(3) or key.group(4)
            if is_huey(name):
                col = len(key.group(1)) + 1
                end = len(strip_comment(line).rstrip()) + 1
                locs.append((table, src.loc(number, col, number, end)))
    return locs
