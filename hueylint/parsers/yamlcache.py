"""Parsed YAML documents as a tree of hueylint's own, encoded as JSON for the per-user cache.

Parsing YAML was the slowest part of reading compose files, manifests and workflows; its result depends only
on the text, so it is cached by content (:mod:`hueylint.cachestore`, kind ``yaml``).  Every document, composed
from libyaml's events (:mod:`hueylint.parsers.yamlfast`), parsed by ruamel or read from the cache, is the same
tree of these classes:

* :class:`YamlMap` (a ``dict``) and :class:`YamlSeq` (a ``list``) keep what the builders read of ruamel's
  ``CommentedMap``/``CommentedSeq``: ``lc.line``/``lc.col`` (0-based start), ``lc.key(k)``/``lc.value(k)``
  and ``lc.item(i)`` (0-based ``(line, col)``), ``lc.data`` (ruamel's raw position lists), ``fa.flow_style()``
  (True for ``{...}``/``[...]``), and a mapping's ``merge`` (the mappings of its ``<<`` keys, whose keys it
  also holds, as ruamel does).  Aliased nodes stay one shared object.
* scalars are the builtin type ruamel's value is an instance of, with its value (``ScalarFloat`` -> float,
  ``ScalarInt``/``ScalarBoolean`` -> int, ``LiteralScalarString`` -> str, a plain ``bool``, ``None``, a
  ``datetime.date``): YAML 1.2 resolution happened when ruamel constructed them, so nothing is re-resolved.

Anything else ruamel can build (a ``!tag``-ged scalar or collection, a timestamp with a time, ``!!set``, ``!!binary``, a
mapping used as a key) makes :func:`encode` raise :class:`Unsupported`: such a file keeps ruamel's own objects
and is parsed on every run.  Entries are JSON decoded only into the classes above (never unpickled); an
entry that does not decode is a cache miss.

Encoding (JSON): a str, int, float, bool or null is itself; ``["m", n, line, col, flow, [k0, v0, k1, v1 ...],
positions, [merged ...]]`` a mapping (positions: null, ``[kl, kc, vl, vc, ...]`` aligned with the keys, or
``{"p": [[key, [...]], ...]}``); ``["s", n, line, col, flow, [items], positions]`` a sequence (aligned
``[l, c, ...]`` or the ``{"p": ...}`` form); ``["r", n]`` the n-th collection again (an alias); ``["d",
"2024-01-31"]`` a date; ``["f", "inf"]`` a float JSON cannot spell.
"""

from __future__ import annotations

import datetime
import functools
import math
from typing import Any, NamedTuple

#: bumped when the encoding or the tree classes change
SCHEMA = 1


class Unsupported(Exception):
    """A value the encoding has no form for (the file is then read by ruamel on every run)."""


class LineCol:
    """ruamel's ``LineCol``: 0-based start ``line``/``col`` of a collection and ``data``, ruamel's position
    lists (``key -> [key line, key col, value line, value col]``; ``index -> [line, col]``), None when
    ruamel recorded none (an empty collection)."""

    __slots__ = ("line", "col", "data")

    def __init__(self, line: int | None, col: int | None, data: dict[Any, list[int]] | None) -> None:
        self.line = line
        self.col = col
        self.data = data

    def key(self, k: Any) -> tuple[int, int] | None:
        """``(line, col)`` of mapping key ``k``; KeyError when it has none (a merged key)."""
        if self.data is None:
            return None
        found = self.data[k]
        return found[0], found[1]

    def value(self, k: Any) -> tuple[int, int] | None:
        """``(line, col)`` of the value of mapping key ``k``; KeyError when it has none."""
        if self.data is None:
            return None
        found = self.data[k]
        return found[2], found[3]

    def item(self, index: int) -> tuple[int, int] | None:
        """``(line, col)`` of sequence item ``index``; KeyError when it has none."""
        if self.data is None:
            return None
        found = self.data[index]
        return found[0], found[1]

    def __repr__(self) -> str:
        return f"LineCol({self.line}, {self.col})"


class Format:
    """ruamel's ``Format``: ``flow_style()`` is True for a flow collection, False for a block one."""

    __slots__ = ("_flow_style",)

    def __init__(self, flow_style: bool | None) -> None:
        self._flow_style = flow_style

    def flow_style(self, default: Any = None) -> Any:
        return default if self._flow_style is None else self._flow_style


class YamlMap(dict):
    """A YAML mapping with its positions (``lc``), style (``fa``) and ``<<`` sources (``merge``)."""

    __slots__ = ("lc", "fa", "merge")
    lc: LineCol
    fa: Format
    merge: list[YamlMap]

    def get(self, key: Any, default: Any = None) -> Any:
        """``dict.get``, and ``default`` for an unhashable key (a list read from the file), as ruamel's
        ``CommentedMap.get`` answers."""
        try:
            return dict.get(self, key, default)
        except TypeError:
            return default


class YamlSeq(list):
    """A YAML sequence with its positions (``lc``) and style (``fa``)."""

    __slots__ = ("lc", "fa")
    lc: LineCol
    fa: Format


# -- ruamel's documents -> JSON ---------------------------------------------------------------------------

class _Ruamel(NamedTuple):
    """ruamel's collection types and the attributes holding their positions and style."""

    map: type
    seq: type
    lc_attr: str
    fa_attr: str


@functools.cache
def _ruamel() -> _Ruamel:
    """ruamel's classes, imported the first time a ruamel document is encoded (libyaml's trees need none)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.comments import Format as RuamelFormat
    from ruamel.yaml.comments import LineCol as RuamelLineCol

    return _Ruamel(CommentedMap, CommentedSeq, RuamelLineCol.attrib, RuamelFormat.attrib)


def encode(documents: list[tuple[int, Any]]) -> list[list[Any]]:
    """``[[index, encoded document], ...]`` of ruamel's ``(index in the file, document)`` pairs; raises
    :class:`Unsupported` for a value with no encoding."""
    def attributes(node: Any) -> tuple[Any, Any]:
        """``(lc, fa)`` of a collection of either tree (ruamel's are read without creating them)."""
        if isinstance(node, (YamlMap, YamlSeq)):
            return node.lc, node.fa
        ruamel = _ruamel()
        return getattr(node, ruamel.lc_attr, None), getattr(node, ruamel.fa_attr, None)

    seen: dict[int, int] = {}

    def positions(node: Any, keys: list[Any], width: int) -> Any:
        lc = attributes(node)[0]
        data = getattr(lc, "data", None)
        if data is None:
            return None
        entries = list(data.items())
        if [k for k, _ in entries] == keys and all(type(p) is list and len(p) == width
                                                  and all(type(n) is int for n in p) for _, p in entries):
            return [n for _, p in entries for n in p]
        pairs = []
        for k, p in entries:
            if type(p) is not list or not all(type(n) is int for n in p):
                raise Unsupported(f"a position {p!r}")
            pairs.append([value(k), p])
        return {"p": pairs}

    def head(tag: str, node: Any) -> list[Any]:
        seen[id(node)] = len(seen)
        lc, fa = attributes(node)
        line, col = getattr(lc, "line", None), getattr(lc, "col", None)
        if not (line is None or type(line) is int) or not (col is None or type(col) is int):
            raise Unsupported(f"a position {line!r}:{col!r}")
        flow = fa.flow_style() if fa is not None else None
        return [tag, seen[id(node)], line, col, flow if flow is None else bool(flow)]

    def value(node: Any) -> Any:
        if node is None or type(node) is bool or type(node) is str:
            return node
        if isinstance(node, (YamlMap, YamlSeq)) or (isinstance(node, (dict, list))
                                                    and isinstance(node, (_ruamel().map, _ruamel().seq))):
            if id(node) in seen:
                return ["r", seen[id(node)]]
            if getattr(getattr(node, "tag", None), "value", None) is not None:
                raise Unsupported("a tagged collection")  # compose's `deploy: !reset {}`: the tag is read
            if isinstance(node, YamlMap) or (not isinstance(node, YamlSeq) and isinstance(node, _ruamel().map)):
                out = head("m", node)
                mapping: Any = node  # a YamlMap or ruamel's CommentedMap (whose keys() view mypy cannot see here)
                keys = list(mapping.keys())
                flat: list[Any] = []
                for key in keys:
                    flat.append(value(key))
                    flat.append(value(node[key]))
                merged = getattr(node, "merge", None) or []
                sources = [item[1] if isinstance(item, tuple) and len(item) == 2 else item for item in merged]
                return out + [flat, positions(node, keys, 4), [value(source) for source in sources]]
            out = head("s", node)
            return out + [[value(item) for item in node], positions(node, list(range(len(node))), 2)]
        if isinstance(node, bool):
            return bool(node)
        if isinstance(node, int):  # ScalarInt, ScalarBoolean (an int, not a bool)
            return int(node)
        if isinstance(node, float):
            number = float(node)
            return number if math.isfinite(number) else ["f", repr(number)]
        if isinstance(node, str) and not hasattr(node, "lc"):  # LiteralScalarString ...: not a TaggedScalar
            return str(node)
        if type(node) is datetime.date:
            return ["d", node.isoformat()]
        raise Unsupported(type(node).__name__)

    return [[index, value(document)] for index, document in documents]


# -- JSON -> the tree -------------------------------------------------------------------------------------

def decode(entry: Any) -> list[tuple[int, Any]]:
    """The ``(index, document)`` pairs of :func:`encode`'s output as :class:`YamlMap`/:class:`YamlSeq` trees;
    raises ValueError (or TypeError, KeyError, IndexError, RecursionError) on anything else."""
    nodes: list[Any] = []

    def number(raw: Any) -> int | None:
        if raw is None or (type(raw) is int):
            return raw
        raise ValueError(f"not a position: {raw!r}")

    def attach(node: Any, raw: list[Any], flow: Any) -> None:
        if raw[1] != len(nodes):
            raise ValueError("collections out of order")
        if flow is not None and type(flow) is not bool:
            raise ValueError("not a flow style")
        nodes.append(node)
        node.fa = Format(flow)

    def table(raw: Any, keys: list[Any], width: int) -> dict[Any, list[int]] | None:
        if raw is None:
            return None
        if type(raw) is list:
            if len(raw) != width * len(keys) or not all(type(n) is int for n in raw):
                raise ValueError("positions do not fit")
            return {key: raw[i * width:(i + 1) * width] for i, key in enumerate(keys)}
        pairs = raw["p"]
        found: dict[Any, list[int]] = {}
        for key, pos in pairs:
            if type(pos) is not list or not all(type(n) is int for n in pos):
                raise ValueError("not a position list")
            found[value(key)] = pos
        return found

    def value(raw: Any) -> Any:
        kind = type(raw)
        if kind is str or kind is int or kind is float or kind is bool or raw is None:
            return raw
        if kind is not list or not raw or type(raw[0]) is not str:
            raise ValueError(f"not an encoded value: {raw!r}")
        tag = raw[0]
        if tag == "m":
            _, _, line, col, flow, flat, pos, merged = raw
            mapping = YamlMap()
            attach(mapping, raw, flow)
            keys = []
            for i in range(0, len(flat) - 1, 2):
                key = value(flat[i])
                keys.append(key)
                mapping[key] = value(flat[i + 1])
            if len(flat) % 2:
                raise ValueError("a key without a value")
            mapping.lc = LineCol(number(line), number(col), table(pos, keys, 4))
            sources = [value(item) for item in merged]
            if not all(isinstance(source, YamlMap) for source in sources):
                raise ValueError("a merge source that is not a mapping")
            mapping.merge = sources
            return mapping
        if tag == "s":
            _, _, line, col, flow, items, pos = raw
            seq = YamlSeq()
            attach(seq, raw, flow)
            seq.extend(value(item) for item in items)
            seq.lc = LineCol(number(line), number(col), table(pos, list(range(len(seq))), 2))
            return seq
        if tag == "r":
            _, index = raw
            if type(index) is not int or not 0 <= index < len(nodes):
                raise ValueError("a reference to nothing")
            return nodes[index]
        if tag == "d":
            return datetime.date.fromisoformat(raw[1])
        if tag == "f" and raw[1] in ("inf", "-inf", "nan"):
            return float(raw[1])
        raise ValueError(f"unknown tag {tag!r}")

    documents = []
    for index, document in entry:
        if type(index) is not int:
            raise ValueError("not a document index")
        documents.append((index, value(document)))
    return documents
