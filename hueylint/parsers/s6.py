"""s6-overlay service directories: s6-rc ``s6-rc.d/NAME/{run,type,down-signal,timeout-down}``
and legacy ``services.d/NAME/run`` (+ ``finish``).

Each file is tiny; what matters is reading it the way s6 does (the first word
of ``type``/``down-signal``, an integer of milliseconds in ``timeout-down``)
and keeping the line it came from.  The ``run`` script itself is judged by
:mod:`hueylint.chain` (shell) or :func:`execline_words` (execline).
"""

from __future__ import annotations

import posixpath
from typing import Callable

from hueylint.locations import Loc
from hueylint.parsers import ParseError as BaseParseError
from hueylint.records import dataclass
from hueylint.sources import SourceFile
from hueylint.words import split_with_spans


class ParseError(BaseParseError):
    """An s6 service spans several files: the error names the one at fault."""

    def __init__(self, message: str, rel: str, line: int, col: int = 1) -> None:
        super().__init__(message, line, col)
        self.rel = rel


@dataclass(frozen=True)
class Word:
    """A word of an s6 service file (``type``, ``down-signal``, ``timeout-down``) and where it is written."""

    text: str
    loc: Loc


@dataclass
class Service:
    """One s6 service (an s6-rc service or a legacy ``services.d`` one): its folder, ``run`` script, and
    the stop settings written beside it (``down-signal``, ``timeout-down`` in milliseconds, ``finish``)."""

    name: str
    folder: str  # repo-relative service directory
    kind: str  # "s6-rc" | "legacy"
    run: SourceFile
    type: Word | None = None
    down_signal: Word | None = None
    timeout_down: Word | None = None
    finish: SourceFile | None = None

    @property
    def parent(self) -> str:
        """The ``s6-rc.d`` / ``services.d`` folder: one set of services run by one ``/init``."""
        return posixpath.dirname(self.folder) or "."

    @property
    def longrun(self) -> bool:
        return self.kind == "legacy" or self.type is None or self.type.text == "longrun"


def first_word(src: SourceFile) -> Word | None:
    """The first word of a one-value file (``SIGINT\\n``) with its position."""
    for number, line in enumerate(src.lines, start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            word = stripped.split()[0]
            col = line.find(word) + 1
            return Word(word, Loc(src.rel, number, col, number, col + len(word)))
    return None


def service_of(run: SourceFile, read: Callable[[str], SourceFile | None]) -> Service | None:
    """The service whose ``run`` file is ``run`` (``read`` fetches sibling files by repo path)."""
    folder = posixpath.dirname(run.rel)
    parent = posixpath.basename(posixpath.dirname(folder))
    if parent == "s6-rc.d":
        kind = "s6-rc"
    elif parent == "services.d":
        kind = "legacy"
    else:
        return None

    def sibling(name: str) -> SourceFile | None:
        return read(posixpath.join(folder, name))

    service = Service(posixpath.basename(folder), folder, kind, run)
    for name, attr in (("type", "type"), ("down-signal", "down_signal"), ("timeout-down", "timeout_down")):
        src = sibling(name)
        if src is not None:
            setattr(service, attr, first_word(src))
    service.finish = sibling("finish")
    return service


def is_execline(run: SourceFile) -> bool:
    first = run.text.split("\n", 1)[0]
    parts = first[2:].split() if first.startswith("#!") else []
    return any(posixpath.basename(part) == "execlineb" for part in parts[:2])


def execline_words(run: SourceFile) -> list[Word]:
    """The words of an execline script, in order, comments and the shebang dropped.

    execline chain-loads: every command execs into the rest of the line and the
    next lines, so ``with-contenv`` / ``s6-setuidgid app`` / ``huey_consumer ...``
    read as one command line.
    """
    words: list[Word] = []
    for number, line in enumerate(run.lines, start=1):
        if number == 1 and line.startswith("#!"):
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        for text, start, end in split_with_spans(line):
            if text.startswith("#") and start > 0 and line[start - 1].isspace():
                break
            words.append(Word(text, Loc(run.rel, number, start + 1, number, end + 1)))
    return words
