"""Positions in a dependency file's text, comments, and pip's logical lines."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from hueylint.model import Loc
from hueylint.sources import SourceFile


def line_starts(text: str) -> list[int]:
    """The offset at which each line starts (``\n``, ``\r\n`` and ``\r`` end lines)."""
    starts = [0]
    for match in re.finditer(r"\r\n|\r|\n", text):
        starts.append(match.end())
    return starts


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


_COMMENT_LINE = re.compile(r"\s*#")


def logical_lines(src: SourceFile) -> Iterator[Logical]:
    """pip's preprocessing: join ``\\`` continuations, then drop comments."""
    text = src.text
    pieces: list[str] = []
    starts: list[int] = []
    files: list[int] = []
    length = 0
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        if match.start() == len(text) and not match.group():
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
