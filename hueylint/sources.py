"""Source files as hueylint reads them: decoded once, addressed by repo path."""

from __future__ import annotations

import codecs
from contextlib import contextmanager
from dataclasses import field
from pathlib import Path
from typing import Any, Iterator

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



class ImportReads:
    """What a run asked of the ``imports`` of one reading of a watched module (:func:`watch_imports`), for the
    early cutoff of an edit that only adds or removes imports (:mod:`hueylint.python_edits`): the ``names``
    looked up (``get``, ``in``, ``[]``: the answer for any other name was never asked), the ``uses`` of every
    dotted import by a reader the cutoff can judge again (:func:`import_targets`), and ``whole`` when anything
    else read the mapping (iterated, measured, compared, copied or changed it): then every difference counts."""

    __slots__ = ("names", "uses", "whole")

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.uses: set[str] = set()
        self.whole = False

    def json(self) -> dict[str, object]:
        return {"names": sorted(self.names), "uses": sorted(self.uses), "whole": self.whole}


class WatchedImports(dict[str, str]):
    """A module's ``imports`` (bound name -> dotted import) handed to the app layer, recording every read in
    its :class:`ImportReads`: a lookup of a name records that name, any other read of the mapping (iteration,
    ``len``, equality, copies, changes) records ``whole``.  Reads made by Python's C code on a ``dict`` without
    calling these methods do not exist for a subclass that overrides ``__iter__`` and ``keys`` (``dict(m)``,
    ``{**m}``, ``json.dumps`` call them)."""

    __slots__ = ("reads",)

    def __init__(self, items: Any = (), reads: ImportReads | None = None) -> None:
        super().__init__(items)
        self.reads = reads if reads is not None else ImportReads()  # (a copy made by its type: asdict)

    def _name(self, name: object) -> None:
        if isinstance(name, str):
            self.reads.names.add(name)
        else:
            self.reads.whole = True

    def __getitem__(self, name: str) -> str:
        self._name(name)
        return dict.__getitem__(self, name)

    def get(self, name: str, default: object = None) -> object:  # type: ignore[override]
        self._name(name)
        return dict.get(self, name, default)

    def __contains__(self, name: object) -> bool:
        self._name(name)
        return dict.__contains__(self, name)

    def __reduce_ex__(self, protocol: object) -> tuple[type, tuple[dict[str, str]]]:  # copy, deepcopy, pickle
        self.reads.whole = True
        return dict, (dict(dict.items(self)),)


def _whole_read(method: Any) -> Any:
    """``dict``'s ``method``, recording a read of the whole mapping."""
    def read(self: WatchedImports, *args: Any, **kwargs: Any) -> Any:
        self.reads.whole = True
        return method(self, *args, **kwargs)
    read.__name__ = method.__name__
    return read


# every other method of a dict that reads or changes it (``__bool__`` is ``__len__``; ``str`` is ``__repr__``)
for _method in ("__iter__", "keys", "values", "items", "__len__", "__eq__", "__ne__", "__repr__", "__reversed__",
                "__or__", "__ror__", "__ior__", "__setitem__", "__delitem__", "pop", "popitem", "setdefault",
                "update", "clear", "copy"):
    setattr(WatchedImports, _method, _whole_read(getattr(dict, _method)))


def watch_imports(src: SourceFile, reading: str, facts: Any) -> None:
    """Hand ``facts`` (a :class:`~hueylint.appmodel.ModuleFacts` of ``src`` by ``reading``, which :func:`note`
    recorded) to the app layer with its ``imports`` recording every read (:class:`WatchedImports`) in the
    module's ``import-reads`` of that reading; nothing for a file that is not watched."""
    if isinstance(src, WatchedSource):
        reads = src.__dict__.setdefault("import-reads", {}).setdefault(reading, ImportReads())
        if isinstance(facts.imports, WatchedImports):
            if facts.imports.reads is reads:
                return
            facts.imports.reads.whole = reads.whole = True  # (one mapping handed out for two readings)
            return
        facts.imports = WatchedImports(facts.imports, reads)


def import_targets(imports: dict[str, str], use: str) -> list[str]:
    """The dotted imports of a module's ``imports`` for one ``use`` the early cutoff knows how to judge again
    for a dotted import added or removed (:func:`hueylint.python_edits.unchanged`): ``closure\\0ROOT...`` (an
    import closure resolving each from those source roots), ``split-settings`` (whether one is of
    django-split-settings).  Recorded in the mapping's :class:`ImportReads` instead of a read of the whole."""
    if isinstance(imports, WatchedImports):
        imports.reads.uses.add(use)
        return list(dict.values(imports))
    return list(imports.values())


def bom_decoded(data: bytes) -> str | None:
    """The text of bytes that start with a UTF-32 or UTF-16 byte order mark, decoded as pip's
    ``pip._internal.utils.encoding.auto_decode`` decodes requirements files; None without such a BOM or
    when the bytes are not valid in that encoding (then read as any other file).  PowerShell reads a script so
    too (a BOM decides its encoding: :func:`hueylint.formats.sniff_bytes`)."""

    for bom, encoding in ((codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le")):
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                return None
            return None if "\x00" in text else text
    return None
