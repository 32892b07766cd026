"""YAML documents composed from libyaml's events: ruamel's round-trip trees, built 6 to 25 times faster.

ruamel.yaml's round-trip loader is pure Python: it was most of a cold run on repositories with many compose
files and manifests (0.26 s of ciso-assistant-community's builders).  PyYAML's binding to libyaml (the C
parser of ``yaml.CSafeLoader``) scans and parses in C and hands over events that carry the same 0-based
``line``/``column`` marks.  :func:`compose` builds from them the tree :mod:`hueylint.parsers.yamlcache`
defines, with ruamel's semantics, so that nothing downstream can tell which parser read a file (measured on
the compose files and charts of the benchmark repositories: 6 times faster on small files, 25 on large ones):

* YAML 1.2 resolution of plain scalars as ruamel's ``VersionedResolver`` does it (``on``/``yes`` stay
  strings, ``true``/``True``/``TRUE`` are booleans, ``0o17``/``0x1F``/``0b1`` and leading-zero decimals are
  ints, ``.inf``/``.nan`` floats, ``~``/``null``/empty are None, ``2024-01-31`` a date);
* ruamel's round-trip construction: an anchored boolean is its ``ScalarBoolean`` (an int), a repeated key
  keeps its last value and position (:func:`hueylint.parsers.yamldocs.yaml_loader`), ``<<`` merges (a mapping, an alias to one or
  a sequence of them) add the keys the mapping does not have, in order, after its own, and list the sources
  in ``merge``; an empty collection has no positions and no style;
* ruamel's positions (``lc``): a node starts where its anchor or content does, an alias where its anchored
  node does; an empty value (``key:``) is marked after the colon when a comment follows on its line and the
  mapping goes on, else at the end of the next token beyond blank and comment lines (libyaml marks the
  colon): see :meth:`_Composer.empty_value_mark`.

Anything else returns None and the caller reads the text with ruamel as before: explicit tags (``!Ref``,
``!!str``), ``%YAML``/``%TAG`` directives, timestamps with a time, ints and floats spelled with ``_``, ``=``
and ``<<`` as values, collections as keys, aliases to an unfinished collection, a ``<<`` merge of an empty or
null value, an anchor or alias followed by a colon (``&a:``, ``*a:``, which ruamel reads as the name ``a:``),
an empty key in a flow mapping (``{? : v}``), YAML 1.1's extra line breaks, texts beyond the loader's bounds,
and every text libyaml rejects (ruamel then words the error, so HL001 reads as before).  One difference is
kept: libyaml accepts tabs as separation within a line (``key:<TAB># note``, ``key:<TAB>value``,
``|<TAB># note``, a tab at a line's end or inside a plain scalar), which YAML allows and ruamel refuses.
``tests/unit/test_yaml_fast.py`` compares both parsers on every YAML file of the fixtures and the rule
catalog's examples.

PyYAML is a dependency (libcst needs it too); a build without libyaml (no ``yaml.CSafeLoader``) sends every
text to ruamel.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

from hueylint.parsers.yamlcache import Format, LineCol, YamlMap, YamlSeq
from hueylint.regexes import lazy_pattern

#: ruamel's YAML 1.2 implicit resolvers for plain scalars (``ruamel.yaml.resolver``), in its order
_BOOL = lazy_pattern(r"true|True|TRUE|false|False|FALSE")
_FLOAT = lazy_pattern(r"""[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
                       |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
                       |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
                       |[-+]?\.(?:inf|Inf|INF)
                       |\.(?:nan|NaN|NAN)""", re.X)
_INT = lazy_pattern(r"[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+")
_NULL = lazy_pattern(r"~|null|Null|NULL|")
_TIMESTAMP = lazy_pattern(r"""[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                           |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
                            (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
                            (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?""", re.X)
_DATE = lazy_pattern(r"[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]")
_NUMBER_START = frozenset("-+0123456789.")
#: what ruamel steps over to the token after an empty value: separation, comments, line breaks
_SPACES = lazy_pattern(r"[ \t]*")
_BLANK_LINES = lazy_pattern(r"(?:[ \t\r\n]|#[^\r\n]*)*+")  # possessive: no backtracking state kept per line

class _Mark:
    """A 0-based position, as libyaml's marks give it."""

    __slots__ = ("line", "column")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


class _Frame:
    """A collection being composed: its ``entries`` so far (``(node, position)`` of a sequence, ``(key, value,
    positions)`` of a mapping), the values it expands to (``size``, for the alias-bomb bound), a mapping's
    ``key`` waiting for its value (``_MISSING`` when none) with its mark, its ``<<`` value, its anchor and
    where it starts."""

    __slots__ = ("collection", "entries", "size", "key", "key_mark", "merged", "anchor", "mark")

    def __init__(self, collection: Any, anchor: str | None, mark: Any) -> None:
        self.collection = collection
        self.entries: list[Any] = []
        self.size = 1
        self.key: Any = _MISSING
        self.key_mark: Any = None
        self.merged: Any = None
        self.anchor = anchor
        self.mark = mark


class _Unsupported(Exception):
    """Outside the subset :func:`compose` builds: the text goes to ruamel."""


_MISSING = object()  # no key pending in a mapping frame
_MERGE = object()  # a plain `<<` key


def _plain(value: str, anchored: bool) -> Any:
    """A plain scalar's value as ruamel's round-trip constructor builds it (YAML 1.2)."""
    first = value[:1]
    if first in "tTfF" and first and _BOOL.fullmatch(value):
        truth = value[0] in "tT"
        return int(truth) if anchored else truth  # ScalarBoolean encodes as an int
    if first in _NUMBER_START and first:
        if _FLOAT.fullmatch(value):
            return _float(value)
        if _INT.fullmatch(value):
            return _int(value)
        if _TIMESTAMP.fullmatch(value):
            if not _DATE.fullmatch(value):
                raise _Unsupported("a timestamp with a time")  # ruamel's TimeStamp: not in the tree's types
            try:
                return datetime.date(int(value[:4]), int(value[5:7]), int(value[8:10]))
            except ValueError:
                raise _Unsupported("an impossible date") from None
        return value
    if first in ("~", "n", "N", "") and _NULL.fullmatch(value):
        return None
    if value == "=" or value == "<<":
        raise _Unsupported(f"a {value!r} scalar")
    return value


def _skip(pattern: re.Pattern[str], text: str, at: int) -> int:
    """Where ``pattern`` (which matches the empty string too) stops matching from ``at``."""
    found = pattern.match(text, at)
    return at if found is None else found.end()


def _int(value: str) -> int:
    if "_" in value:
        raise _Unsupported("an int with underscores")
    sign = -1 if value[0] == "-" else 1
    digits = value[1:] if value[0] in "+-" else value
    try:
        for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
            if digits.startswith(prefix):
                return sign * int(digits[2:], base)
        return sign * int(digits)
    except ValueError:  # beyond Python's limit on digits (sys.get_int_max_str_digits)
        raise _Unsupported("an int too long to convert") from None


def _float(value: str) -> float:
    if "_" in value:
        raise _Unsupported("a float with underscores")
    lowered = value.lower()
    sign = -1.0 if lowered[0] == "-" else 1.0
    digits = lowered[1:] if lowered[0] in "+-" else lowered
    if digits == ".inf":
        return sign * math.inf
    if digits == ".nan":
        return math.nan
    return sign * float(digits)


def _parser_class() -> Any:
    """PyYAML's libyaml loader class, None when PyYAML was built without libyaml."""
    try:
        from yaml import CSafeLoader
    except ImportError:
        return None
    return CSafeLoader


def compose(text: str, max_depth: int, max_expanded: int) -> tuple[list[tuple[int, Any]], int] | None:
    """``([(index, document), ...], number of documents)`` of ``text`` as ruamel's round-trip loader with
    :mod:`hueylint.parsers.yamldocs`' settings reads it (empty documents counted, not listed), built as
    :mod:`hueylint.parsers.yamlcache` trees; None when the text is outside the subset described above or beyond
    the loader's bounds: collections nested ``max_depth`` deep, more than ``max_expanded`` values once aliases
    are expanded (the caller's ruamel composer then words the error)."""
    loader_class = _parser_class()
    if loader_class is None:
        return None
    from yaml import YAMLError

    if text.find("\ufeff", 1) != -1 or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return None  # a BOM inside the text, YAML 1.1's extra line breaks: marks counted differently
    try:
        loader = loader_class(text)  # libyaml reads the text encoded as UTF-8
    except UnicodeEncodeError:
        return None  # a lone surrogate (a text decoded with surrogateescape): ruamel words the error
    try:
        return _Composer(loader, text, max_depth, max_expanded).stream()
    except (_Unsupported, YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()


def refuses(text: str) -> bool:
    """Whether libyaml's parser rejects ``text`` (a YAML syntax error; False without libyaml, or for a text
    it cannot be handed): every event is read, in C, and nothing is built."""
    loader_class = _parser_class()
    if loader_class is None:
        return False
    from yaml import YAMLError

    try:
        loader = loader_class(text)
    except UnicodeEncodeError:
        return False
    try:
        while loader.get_event() is not None:
            pass
    except YAMLError:
        return True
    finally:
        loader.dispose()
    return False


class _Composer:
    """One pass over libyaml's events with an explicit stack (no recursion on nesting)."""

    def __init__(self, loader: Any, text: str, max_depth: int, max_expanded: int) -> None:
        self.get, self.peek = loader.get_event, loader.peek_event
        self.max_depth, self.max_expanded = max_depth, max_expanded
        self.text = text
        self.shift = 1 if text.startswith("\ufeff") else 0  # libyaml's index leaves out a leading BOM

    def empty_value_mark(self, mapping: Any, mark: Any) -> Any:
        """Where ruamel places an empty value (``key:`` and nothing): libyaml's mark is after the colon, as
        ruamel's is when a comment follows it on the line and the mapping goes on; otherwise ruamel marks the
        end of the next token (the next key, after the ``?`` of an explicit one; the dedented line, ``---``,
        the end of the text), beyond blank and comment lines."""
        if type(mapping) is not YamlMap:
            return mark
        text, at = self.text, mark.index + self.shift
        if mapping.fa.flow_style():  # libyaml marks the next token, ruamel the end of the colon
            colon = at - 1
            while colon >= 0 and text[colon] in " \t\r\n":
                if text[colon] in "\r\n":
                    raise _Unsupported("an empty flow value before a line break")
                colon -= 1
            if colon < 0 or text[colon] != ":":
                return mark
            return _Mark(mark.line, mark.column - (at - colon - 1))
        if text[at - 1:at] != ":":  # `? key` without a value: both mark the next token, ...
            if at >= len(text) and text[-1:] not in ("\n", "\r"):  # ... ruamel the end of a text without a
                breaks = text.count("\n") + text.count("\r") - text.count("\r\n")  # last line break
                last = max(text.rfind("\n"), text.rfind("\r"))
                return _Mark(breaks, len(text) - last - 1 - (self.shift if last < 0 else 0))
            return mark
        start = _skip(_SPACES, text, at)
        ends = isinstance(self.peek(), self.ev.MappingEndEvent)
        if text[start:start + 1] == "#" and not ends:
            return mark
        at = _skip(_BLANK_LINES, text, start)
        if not ends and text[at:at + 1] == "?" and text[at + 1:at + 2] in ("", " ", "\t", "\r", "\n"):
            at += 1  # ruamel marks the end of an explicit key's `?` token
        breaks = text.count("\n", start, at) + text.count("\r", start, at) - text.count("\r\n", start, at)
        if not breaks:
            return _Mark(mark.line, mark.column + (at - mark.index - self.shift))
        return _Mark(mark.line + breaks, at - max(text.rfind("\n", start, at), text.rfind("\r", start, at)) - 1)

    def check_anchor(self, anchor: str, mark: Any) -> None:
        """Raise :class:`_Unsupported` for an anchor followed by a colon (``&a: x``), which ruamel reads as the
        anchor ``a:`` (libyaml as the anchor ``a`` on an empty key)."""
        text = self.text
        at = text.find("&" + anchor, mark.index + self.shift) + 1 + len(anchor)
        if text[at:at + 1] == ":":
            raise _Unsupported("an anchor followed by a colon")

    def stream(self) -> tuple[list[tuple[int, Any]], int]:
        import yaml.events as ev

        self.ev = ev
        event = self.get()
        if not isinstance(event, ev.StreamStartEvent):
            raise _Unsupported("no stream start")
        docs: list[tuple[int, Any]] = []
        count = 0
        while True:
            event = self.get()
            if isinstance(event, ev.StreamEndEvent):
                return docs, count
            if not isinstance(event, ev.DocumentStartEvent) or event.version is not None or event.tags:
                raise _Unsupported("a directive")
            data = self.document()
            if not isinstance(self.get(), ev.DocumentEndEvent):
                raise _Unsupported("no document end")
            if data is not None:
                docs.append((count, data))
            count += 1

    def document(self) -> Any:
        """The document's root, built from its events."""
        ev = self.ev
        scalar, alias = ev.ScalarEvent, ev.AliasEvent
        map_start, seq_start, map_end, seq_end = (ev.MappingStartEvent, ev.SequenceStartEvent,
                                                  ev.MappingEndEvent, ev.SequenceEndEvent)
        # anchor -> (node, expanded size or None while the collection is open, start mark)
        anchors: dict[str, tuple[Any, int | None, Any]] = {}
        stack: list[_Frame] = []
        while True:
            event = self.get()
            kind = type(event)
            size: int | None
            if kind is scalar:
                if event.tag is not None:
                    raise _Unsupported("a tagged scalar")
                mark, value = event.start_mark, event.value
                if not value and not event.style and event.anchor is None and stack and stack[-1].key is not _MISSING:
                    mark = self.empty_value_mark(stack[-1].collection, mark)
                if event.anchor is not None:
                    self.check_anchor(event.anchor, mark)
                a_key = bool(stack) and stack[-1].key is _MISSING and type(stack[-1].collection) is YamlMap
                if event.style:
                    node: Any = value
                elif a_key and value in ("<<", "="):
                    if event.anchor is not None:
                        raise _Unsupported("an anchored merge key")
                    node = _MERGE if value == "<<" else value  # ruamel reads a `=` key as a string
                else:
                    node = _plain(value, event.anchor is not None)
                    if not value and a_key and stack[-1].collection.fa.flow_style():
                        raise _Unsupported("an empty key in a flow collection")  # ruamel marks the `?`
                size = 1
                if event.anchor is not None:
                    anchors[event.anchor] = (node, 1, mark)
            elif kind is alias:
                try:
                    node, size, mark = anchors[event.anchor]
                except KeyError:
                    raise _Unsupported("an undefined alias") from None
                if self.text[event.end_mark.index + self.shift:event.end_mark.index + self.shift + 1] == ":":
                    raise _Unsupported("an alias followed by a colon")  # ruamel reads `*a:` as the alias `a:`
                if size is None:
                    raise _Unsupported("an alias to an unfinished collection")
            elif kind is map_start or kind is seq_start:
                if event.tag is not None:
                    raise _Unsupported("a tagged collection")
                if len(stack) >= self.max_depth:
                    raise _Unsupported("nested too deeply")
                collection: Any = YamlMap() if kind is map_start else YamlSeq()
                collection.lc = LineCol(event.start_mark.line, event.start_mark.column, None)
                collection.fa = Format(bool(event.flow_style))
                if kind is map_start:
                    collection.merge = []
                if event.anchor is not None:
                    self.check_anchor(event.anchor, event.start_mark)
                    anchors[event.anchor] = (collection, None, event.start_mark)
                stack.append(_Frame(collection, event.anchor, event.start_mark))
                continue
            elif kind is map_end or kind is seq_end:
                frame = stack.pop()
                node, size, mark = frame.collection, frame.size, frame.mark
                if kind is map_end:
                    _finish_mapping(node, frame.entries, frame.merged)
                else:
                    _finish_sequence(node, frame.entries)
                if frame.anchor is not None and anchors[frame.anchor][0] is node:  # unless a node inside took the name
                    anchors[frame.anchor] = (node, size, mark)
            else:
                raise _Unsupported(f"an unexpected {kind.__name__}")
            if not stack:
                return node
            _add(stack[-1], node, size, mark)
            if stack[-1].size > self.max_expanded:
                raise _Unsupported("an alias bomb")


def _add(frame: _Frame, node: Any, size: int, mark: Any) -> None:
    """Hand a finished node (with the mark of where it starts) to the collection being built; only the
    position is kept, as ruamel's list (libyaml's marks are large objects: a 2 MB flow list held 260 MB)."""
    frame.size += size
    if isinstance(frame.collection, YamlSeq):
        frame.entries.append((node, [mark.line, mark.column]))
        return
    if frame.key is _MISSING:
        if isinstance(node, (YamlMap, YamlSeq)):
            raise _Unsupported("a collection as a key")
        frame.key, frame.key_mark = node, mark
        return
    key, key_mark = frame.key, frame.key_mark
    frame.key = _MISSING
    if key is _MERGE:
        if node is None:
            raise _Unsupported("a merge of nothing")  # ruamel refuses `<<:` with an empty or null value
        if frame.merged is not None:
            raise _Unsupported("a second merge key")
        frame.merged = node
        return
    frame.entries.append((key, node, [key_mark.line, key_mark.column, mark.line, mark.column]))


def _finish_sequence(seq: YamlSeq, items: list[tuple[Any, list[int]]]) -> None:
    seq.extend(node for node, _ in items)
    if items:
        seq.lc.data = {index: position for index, (_, position) in enumerate(items)}
    else:
        seq.fa = Format(None)


def _finish_mapping(mapping: YamlMap, pairs: list[tuple[Any, Any, list[int]]], merged: Any) -> None:
    data: dict[Any, list[int]] = {}
    for key, value, positions in pairs:
        try:
            hash(key)
        except TypeError:
            raise _Unsupported("an unhashable key") from None
        mapping[key] = value  # a repeated key keeps its last value and position, in its first place (as ruamel's
        # loader of yamldocs does; kubectl and Helm's sigs.k8s.io/yaml keep the last value too)
        data[key] = positions
    if data:
        mapping.lc.data = data
    if merged is not None:
        sources = merged if isinstance(merged, YamlSeq) else [merged]
        if not all(isinstance(source, YamlMap) for source in sources):
            raise _Unsupported("a merge of something other than mappings")
        mapping.merge = list(sources)
        for source in sources:
            for key, value in source.items():
                if key not in mapping:
                    mapping[key] = value
    if not mapping:
        mapping.fa = Format(None)
