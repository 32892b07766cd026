"""Positions in a dependency file's text, comments, and pip's logical lines."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import accumulate

from hueylint.locations import Loc
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile


def line_starts(text: str) -> list[int]:
    """The offset at which each line starts (``\n``, ``\r\n`` and ``\r`` end lines)."""
    if "\r" not in text:  # the usual file: each line's length plus its newline, summed in C
        return list(accumulate((len(line) + 1 for line in text.split("\n")[:-1]), initial=0))
    return [0, *(match.end() for match in re.finditer(r"\r\n|\r|\n", text))]


def offset_loc(src: SourceFile, starts: list[int], start: int, end: int) -> Loc:
    """The 1-based :class:`Loc` spanning offsets ``start``..``end`` of ``src`` (``starts`` from :func:`line_starts`)."""
    def pos(offset: int) -> tuple[int, int]:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - starts[lo] + 1

    line, col = pos(start)
    end_line, end_col = pos(max(end, start))
    return Loc(src.rel, line, col, end_line, end_col)


def file_loc(src: SourceFile) -> Loc:
    """Fallback: the first line mentioning huey, else the whole file."""
    for number, text in enumerate(src.lines, 1):
        match = re.search(r"(?<![\w-])huey(?![\w-])", text, re.IGNORECASE)
        if match:
            return Loc(src.rel, number, match.start() + 1, number, match.end() + 1)
    return Loc(src.rel)


def strip_comment(line: str) -> str:
    """``line`` without a ``#`` comment that starts the line or follows whitespace (pip's rule)."""
    if "#" not in line:  # most lines (the regex tries each position of a hash-pinned requirement's)
        return line
    match = re.search(r"(^|\s)#", line)
    return line[: match.start()] if match else line


@dataclass(frozen=True, slots=True)
class Offsets:
    """The file offset of each character of a logical line (``offsets[i]``), kept per joined physical line:
    ``starts[k]`` is where the k-th piece starts in the logical text, ``files[k]`` its first character's offset
    in the file (one entry per character made hash-pinned requirements files, thousands of lines joined by
    ``\\``, cost more than the rest of a run)."""

    starts: tuple[int, ...]
    files: tuple[int, ...]

    def __getitem__(self, index: int) -> int:
        piece = bisect_right(self.starts, index) - 1
        return self.files[piece] + index - self.starts[piece]


@dataclass(frozen=True, slots=True)
class Logical:
    """One of pip's logical lines: continuations joined, comment dropped."""

    text: str
    offsets: Offsets  # absolute file offset of each character of text


_COMMENT_LINE = lazy_pattern(r"\s*#")


_CONTINUATION = lazy_pattern(r"\\(?:\r\n|\r|\n)")
_PHYSICAL = lazy_pattern(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def logical_lines(src: SourceFile, start: int = 0, end: int | None = None) -> Iterator[Logical]:
    """pip's preprocessing: join ``\\`` continuations, then drop comments; of the text from offset ``start``
    (a logical line's first) to ``end`` (the end of one; default the end of the file)."""
    text = src.text
    end = len(text) if end is None else end
    pieces: list[str] = []
    starts: list[int] = []
    files: list[int] = []
    length = 0
    for match in _PHYSICAL.finditer(text, start, end):
        if match.start() == end and not match.group():
            break
        raw = match.group().rstrip("\r\n")
        continued = raw.endswith("\\") and not _COMMENT_LINE.match(raw)
        piece = raw[:-1] if continued else raw
        pieces.append(piece)
        starts.append(length)
        files.append(match.start())
        length += len(piece)
        if continued:
            continue
        yield Logical(strip_comment("".join(pieces)), Offsets(tuple(starts), tuple(files)))
        pieces, starts, files, length = [], [], [], 0
    if length:  # the file ends in a continuation
        yield Logical(strip_comment("".join(pieces)), Offsets(tuple(starts), tuple(files)))


def logical_lines_naming(src: SourceFile, word: str) -> Iterator[Logical]:
    """The logical lines (:func:`logical_lines`) that hold ``word`` (lower case) in any case, reading only the
    physical lines around each mention: a hash-pinned requirements file holds thousands of lines for one
    huey.  A name a continuation may split (``hu\\`` then ``ey``) makes every logical line read, and so does
    a text that lower case lengthens (``İ`` is two characters lowered): its mentions' offsets are not the text's."""
    lowered = src.text.lower()
    if len(lowered) != len(src.text) or (
            "\\" in lowered and _CONTINUATION.sub("", lowered).count(word) != lowered.count(word)):  # one is split
        found: Iterator[Logical] = logical_lines(src)
    else:
        found = logical_lines_around(src, (match.start() for match in re.finditer(re.escape(word), lowered)))
    return (logical for logical in found if word in logical.text.lower())


#: from one offset in this many lines on, :func:`logical_lines_around` walks the whole text: looking back for
#: each offset's line start costs more than reading every line (a 2 MB file naming huey on each line: 1.3 s
#: around the mentions, 0.55 s in one walk)
DENSE = 8


def logical_lines_around(src: SourceFile, offsets: Iterable[int]) -> Iterator[Logical]:
    """The logical line (:func:`logical_lines`) holding each of the ascending ``offsets``, once each, in file
    order, reading only their physical lines; where the offsets are :data:`DENSE`, every logical line of the
    text instead (the callers keep the lines they look for)."""
    offsets = list(offsets)
    if len(offsets) * DENSE > src.text.count("\n") + src.text.count("\r") + 1:
        yield from logical_lines(src)
        return
    done = 0
    for at in offsets:
        if at < done:
            continue
        first, done = _logical_span(src.text, at)
        yield from logical_lines(src, first, done)


def _logical_span(text: str, at: int) -> tuple[int, int]:
    """Where the logical line holding offset ``at`` starts and ends (its line end included): physical lines
    joined while one ends in ``\\`` and is no comment line, as :func:`logical_lines` joins them."""
    first = _line_start(text, at)
    while first > 0:
        before = _line_start(text, first - 1 - (text[first - 2:first] == "\r\n"))
        raw = text[before:first].rstrip("\r\n")
        if not raw.endswith("\\") or _COMMENT_LINE.match(raw):
            break
        first = before
    last = first
    while True:
        line = _PHYSICAL.match(text, last)
        assert line is not None  # the pattern matches the empty string
        raw = line.group().rstrip("\r\n")
        last = line.end()
        if last >= len(text) or not raw.endswith("\\") or _COMMENT_LINE.match(raw):
            return first, last


def _line_start(text: str, at: int) -> int:
    """The offset of the first character of the physical line holding ``at`` (``\n``, ``\r\n``, ``\r``).
    Searched in windows growing back from ``at``: the nearest line end of either kind is found in about the
    line's length (one ``rfind`` to the file's start for the kind a file never uses made a file of one
    mention per line quadratic: a 2 MB one took 7 s)."""
    width = 256
    while True:
        low = max(0, at - width)
        found = max(text.rfind("\n", low, at), text.rfind("\r", low, at))
        if found >= 0 or low == 0:
            return found + 1
        width *= 4
