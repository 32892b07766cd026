"""Source files as hueylint reads them: decoded once, addressed by repo path."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import field
from pathlib import Path
from typing import Iterator

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


class WatchedSource(SourceFile):
    """A Python module (a walked ``*.py`` file) whose uses the run records, for the run cache's early cutoff
    (:mod:`hueylint.python_edits`: a later edit none of these uses sees replays the run).

    ``readings`` maps each reading hueylint can redo from the path and text alone (:func:`note`: the facts
    cache's key of its facts, a gate's verdict, its suppression directives) to what it gave; ``shown`` maps
    each line number :meth:`line` gave (code frames, fingerprints, columns) to its text; ``opaque`` turns True
    when anything reads the whole text outside :func:`paused` (a launch's script read by the chain, a fix's
    edit): a run that used the text so is replayed only when the file is unchanged.  Kept in ``__dict__``,
    beside the text, so a pickled copy (a parsing worker) carries them and the fields compare as before."""

    @property
    def text(self) -> str:
        if not _PAUSED[0]:
            self.__dict__["opaque"] = True
        return self.__dict__["_text"]

    @text.setter
    def text(self, value: str) -> None:
        self.__dict__["_text"] = value

    @property
    def lines(self) -> list[str]:
        if not _PAUSED[0]:
            self.__dict__["opaque"] = True
        return _split(self)

    def line(self, number: int) -> str:
        lines = _split(self)
        text = lines[number - 1] if 1 <= number <= len(lines) else ""
        self.__dict__.setdefault("shown", {})[number] = text
        return text


def _split(src: SourceFile) -> list[str]:
    if src._lines is None:
        src._lines = plain_text(src).splitlines()
    return src._lines


#: how many :func:`paused` blocks are open (one process reads one run at a time)
_PAUSED = [0]


@contextmanager
def paused() -> Iterator[None]:
    """A reading that records what it gave (:func:`note`): reads of a :class:`WatchedSource`'s text inside it
    do not make the file ``opaque``."""
    _PAUSED[0] += 1
    try:
        yield
    finally:
        _PAUSED[0] -= 1


def plain_text(src: SourceFile) -> str:
    """``src.text`` without marking a :class:`WatchedSource` ``opaque`` (for readers that :func:`note`)."""
    return src.__dict__["_text"] if isinstance(src, WatchedSource) else src.text


def note(src: SourceFile, reading: str, value: object) -> None:
    """Record that the run took ``value`` from ``src`` by ``reading`` (a name :mod:`hueylint.python_edits`
    can redo, e.g. ``"facts"`` with the facts cache's key); nothing for a file that is not watched."""
    if isinstance(src, WatchedSource):
        src.__dict__.setdefault("readings", {})[reading] = value


def new_source(path: Path, rel: str, text: str, format: str = "", bom: bool = False) -> SourceFile:
    """A :class:`SourceFile`, a :class:`WatchedSource` for a ``.py`` file."""
    if rel.endswith(".py"):
        return WatchedSource(path=path, rel=rel, text=text, format=format, bom=bom)
    return SourceFile(path=path, rel=rel, text=text, format=format, bom=bom)


def position(text: str | bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text`` (columns count characters of a ``str``, bytes of
    ``bytes``)."""
    newline = "\n" if isinstance(text, str) else b"\n"
    return text.count(newline, 0, offset) + 1, offset - text.rfind(newline, 0, offset)  # type: ignore[arg-type]

