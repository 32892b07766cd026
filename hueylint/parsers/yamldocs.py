"""YAML documents with a position for every value (ruamel.yaml round-trip semantics).

Compose files and Kubernetes manifests are read as ruamel's round-trip loader
reads them because it keeps the line and column of every mapping key, mapping
value and sequence item: a finding must point at ``stop_grace_period: 5s``, not
at the file.  Most texts are composed from libyaml's events into the same tree
(:mod:`hueylint.parsers.yamlfast`, about 30 times faster); ruamel reads the rest
and words every error.  Keys merged in with ``<<: *anchor`` are located at the anchor's
definition.  ``kind: List`` documents are flattened by the Kubernetes
builder, not here.  A parse error becomes :class:`YamlError` with the
parser's own line and column (HL001).

Helm templates reuse this module: :data:`MARKER` strings stand for template
placeholders (``{{ ... }}``) and become unknown values, and resolved
``.Values`` lookups carry a note so messages can say the value was templated.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import field, replace
from pathlib import Path
from typing import Any, Iterator

from hueylint.cachestore import CacheStore, code_fingerprint, library_files, package_files, text_key
from hueylint.locations import Loc
from hueylint.model import Val
from hueylint.parsers import yamlcache, yamlfast
from hueylint.parsers.yamlscalar import Spot, Spots, locate
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile, position
from hueylint.words import Jinja

#: a template placeholder replaced by a plain scalar that still parses as YAML
MARKER = "__hueylint_tpl_"
_MARKER_RE = lazy_pattern(r"__hueylint_tpl_(\d+)__")


class YamlError(Exception):
    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.line = line
        self.col = col


@dataclass(frozen=True, slots=True)
class TemplatedLoc(Loc):
    """A location whose value came from a template lookup; ``str()`` says so in every message."""

    note: str = ""

    def __str__(self) -> str:
        base = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{base} ({self.note})" if self.note else base


@dataclass
class Doc:
    """One YAML document of a file.  ``placeholders`` maps marker numbers to the template text;
    ``notes`` maps 1-based line numbers to "templated ..." notes for resolved lookups."""

    src: SourceFile
    data: Any
    index: int
    placeholders: dict[int, str] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)
    template: str = "Helm"  # which template language the placeholders are written in
    # 1-based lines of template actions whose output was not rendered (``{{- include ... | nindent 12 }}``,
    # ``{{- toYaml .Values.env | nindent 12 }}``): what stands there is not known
    dropped: frozenset[int] = frozenset()
    # the text the document was parsed from when it is not the file's (a template read with placeholders):
    # positions are in it, and :meth:`spots` moves them to the file's lines
    parsed_text: str | None = field(default=None, repr=False, compare=False)

    @property
    def rel(self) -> str:
        return self.src.rel

    # -- locations ------------------------------------------------------------------------------
    def loc(self, line0: int, col0: int, length: int = 0) -> Loc:
        """A 0-based ruamel position as a :class:`Loc` (templated lines carry their note)."""
        line, col = line0 + 1, col0 + 1
        end = col + length if length else len(self.src.line(line)) + 1
        note = self.notes.get(line)
        if note:
            return TemplatedLoc(self.src.rel, line, col, line, end, note=note)
        return Loc(self.src.rel, line, col, line, end)

    def node_loc(self, node: Any) -> Loc:
        lc = getattr(node, "lc", None)
        if lc is None:
            return Loc(self.src.rel, 1, 1)
        return self.loc(lc.line, lc.col)

    def key_loc(self, mapping: Any, key: str) -> Loc:
        pos = _pos(mapping, key, "key")
        return self.loc(*pos, len(str(key))) if pos else self.node_loc(mapping)

    def value_loc(self, mapping: Any, key: str) -> Loc:
        pos = _pos(mapping, key, "value")
        if pos is None:
            return self.node_loc(mapping)
        value = mapping.get(key)
        length = len(str(value)) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else 0
        text = self.src.line(pos[0] + 1)
        if length and text[pos[1]:pos[1] + 1] in ("'", '"'):
            length += 2
        return self._scalar_loc(*pos, length, value)

    def item_loc(self, seq: Any, index: int) -> Loc:
        lc = getattr(seq, "lc", None)
        try:
            line0, col0 = lc.item(index)  # type: ignore[union-attr]
        except (AttributeError, KeyError, IndexError, TypeError):
            return self.node_loc(seq)
        value = seq[index]
        length = len(str(value)) if isinstance(value, (str, int, float)) else 0
        text = self.src.line(line0 + 1)
        if length and text[col0:col0 + 1] in ("'", '"'):
            length += 2
        return self._scalar_loc(line0, col0, length, value)

    def _scalar_loc(self, line0: int, col0: int, length: int, value: Any) -> Loc:
        """The loc of a scalar starting at ``line0``:``col0`` that spans ``length`` characters when written on
        one line; a string that does not fit its first line (a block scalar, a scalar over several lines) ends
        where its last character is written, when that is known."""
        loc = self.loc(line0, col0, length)
        if not isinstance(value, str) or not value or col0 + length <= len(self.src.line(line0 + 1)):
            return loc
        spots = self.spots_at(line0, col0, value)
        last = max((spot for spot in spots.spots if spot is not None), default=None) if spots else None
        if last is None or last[0] == loc.line:
            return loc
        return replace(loc, end_line=last[0], end_col=last[2])

    def command_text(self, mapping: Any, key: str) -> tuple[str, Loc, Spots | None] | None:
        """A command string under ``key`` (a PaaS's ``start:``/``command:``), where it starts (inside its quotes:
        the first word's column) and where each of its characters is written (:meth:`value_spots`); None when
        the value is no string or blank."""
        value = mapping.get(key) if isinstance(mapping, dict) else None
        if not isinstance(value, str) or not value.strip():
            return None
        loc = self.value_loc(mapping, key)
        if self.src.line(loc.line)[loc.col - 1:loc.col] in ("'", '"'):
            loc = Loc(loc.path, loc.line, loc.col + 1, loc.end_line, max(loc.end_col - 1, loc.col + 1))
        return value, loc, self.value_spots(mapping, key)

    # -- where a string scalar's characters are written -------------------------------------------
    def value_spots(self, mapping: Any, key: str) -> Spots | None:
        """Where each character of the string under ``key`` is written in the file (None: not a string, or
        not known: :func:`~hueylint.parsers.yamlscalar.locate`)."""
        pos = _pos(mapping, key, "value") if isinstance(mapping, dict) else None
        value = mapping.get(key) if pos is not None else None
        return self.spots_at(*pos, value) if pos is not None and isinstance(value, str) else None

    def item_spots(self, seq: Any, index: int) -> Spots | None:
        """:meth:`value_spots` of a sequence item."""
        try:
            line0, col0 = seq.lc.item(index)
            value = seq[index]
        except (AttributeError, KeyError, IndexError, TypeError):
            return None
        return self.spots_at(line0, col0, value) if isinstance(value, str) else None

    def spots_at(self, line0: int, col0: int, value: str) -> Spots | None:
        """The spots of the string ``value`` whose node starts at the parsed text's 0-based ``line0``:``col0``,
        in the file's lines (a template's placeholders moved back: a character of a rendered placeholder
        spans the placeholder's text in the file)."""
        if self.parsed_text is None:
            return locate(self.src.lines, line0, col0, value)
        rendered = _lines(self.parsed_text)
        found = locate(rendered, line0, col0, value)
        if found is None:
            return None
        changes: dict[int, tuple[int, int, int, int] | None] = {}
        moved: list[Spot | None] = []
        for spot in found.spots:
            if spot is not None:
                if spot[0] not in changes:
                    changes[spot[0]] = _change(rendered[spot[0] - 1], self.src.line(spot[0]))
                spot = _moved(spot, changes[spot[0]])
            moved.append(spot)
        return Spots(tuple(moved))

    # -- values ---------------------------------------------------------------------------------
    def val(self, mapping: Any, key: str) -> Val[Any] | None:
        """The value under ``key`` with its location; None when absent; unknown when templated."""
        if not isinstance(mapping, dict) or key not in mapping:
            return None
        return self.wrap(mapping[key], self.value_loc(mapping, key))

    def wrap(self, value: Any, loc: Loc) -> Val[Any]:
        text = self.unknown_text(value)
        if text:
            return Val.unknown_at(loc, text)
        return Val(plain(value), loc)

    def unknown_text(self, value: Any) -> str:
        """Why a scalar cannot be known: the template placeholder it holds, else ``""``."""
        if isinstance(value, str) and MARKER in value:
            found = [self.placeholders.get(int(n), "{{ ... }}") for n in _MARKER_RE.findall(value)]
            return f"{self.template} template " + ", ".join(f"`{text}`" for text in found)
        return ""

    def restore(self, value: str) -> str:
        """The text as the user wrote it (placeholders put back), for messages."""
        return _MARKER_RE.sub(lambda m: self.placeholders.get(int(m.group(1)), "{{ ... }}"), value)


_lines_memo: dict[int, tuple[str, list[str]]] = {}


def _lines(text: str) -> list[str]:
    """``text.splitlines()`` of the template texts last asked for (one per id: a chart's documents share one)."""
    found = _lines_memo.get(id(text))
    if found is None or found[0] is not text:
        if len(_lines_memo) > 16:
            _lines_memo.clear()
        found = _lines_memo[id(text)] = (text, text.splitlines())
    return found[1]


def _change(rendered: str, written: str) -> tuple[int, int, int, int] | None:
    """How a template line was changed by rendering: ``(common prefix, common suffix, rendered length, written
    length)``; None when it was not."""
    if rendered == written:
        return None
    prefix, most = 0, min(len(rendered), len(written))
    while prefix < most and rendered[prefix] == written[prefix]:
        prefix += 1
    suffix = 0
    while suffix < most - prefix and rendered[-1 - suffix] == written[-1 - suffix]:
        suffix += 1
    return prefix, suffix, len(rendered), len(written)


def _moved(spot: Spot, change: tuple[int, int, int, int] | None) -> Spot:
    """``spot`` on a rendered template line moved to the same line as written (:func:`_change`): before or after
    the part the rendering changed it keeps its place (counted from the line's end after it); inside it, the
    whole part."""
    if change is None:
        return spot
    prefix, suffix, rendered, written = change
    line, col, end = spot
    if end - 1 <= prefix:
        return spot
    if col - 1 >= rendered - suffix:
        shift = written - rendered
        return line, col + shift, end + shift
    return line, prefix + 1, max(written - suffix + 1, prefix + 2)


def _pos(mapping: Any, key: str, what: str) -> tuple[int, int] | None:
    """Position of a key or value, looking into ``<<`` merge sources for merged keys."""
    lc = getattr(mapping, "lc", None)
    if lc is None:
        return None
    try:
        found = lc.key(key) if what == "key" else lc.value(key)
        return int(found[0]), int(found[1])
    except (KeyError, TypeError, IndexError):
        pass
    for source in _merge_sources(mapping):
        pos = _pos(source, key, what)
        if pos is not None:
            return pos
    return None


def _merge_sources(mapping: Any) -> list[Any]:
    merged = getattr(mapping, "merge", None) or []
    sources = []
    for item in merged:
        sources.append(item[1] if isinstance(item, tuple) and len(item) == 2 else item)
    return sources


def plain(value: Any) -> Any:
    """ruamel's scalar subclasses as plain Python values (ScalarFloat -> float ...)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


def yaml_loader():  # ruamel is imported lazily
    """ruamel's round-trip loader, bounded (:func:`_bounded_composer`); a key a mapping repeats keeps its last
    value and position, as kubectl and Helm read manifests and values (sigs.k8s.io/yaml over yaml.v2, and
    PyYAML too); the tools that refuse a repeated key are told by :mod:`hueylint.parsers.yamlkeys`."""
    from ruamel.yaml import YAML

    loader = YAML(typ="rt")
    loader.allow_duplicate_keys = True
    loader.Composer = _bounded_composer()
    loader.Constructor = _last_value_constructor()
    return loader


def _last_value_constructor():  # ruamel is imported lazily
    from ruamel.yaml.constructor import RoundTripConstructor

    class LastValueConstructor(RoundTripConstructor):
        def check_mapping_key(self, node, key_node, mapping, key, value):
            return True  # set again: the later value and position replace the earlier ones

    return LastValueConstructor


def load_all_quietly(text: str) -> list:
    """Every document of ``text`` as :func:`yaml_loader` reads it, ruamel's warnings (ReusedAnchorWarning)
    silenced; raises whatever ruamel raises."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(yaml_loader().load_all(text))


#: nesting deeper than this is refused before it is built (ruamel composes recursively; real manifests,
#: CRD schemas included, stay far below it)
MAX_DEPTH = 100
#: values a document may hold once its aliases are expanded: a 2 MiB file without aliases stays below
#: it, a "billion laughs" alias bomb does not (YAML shares aliased nodes, but every reader of the data,
#: hueylint's walks included, visits each occurrence)
MAX_EXPANDED = 1_000_000


def _bounded_composer():  # ruamel is imported lazily
    """ruamel's composer with bounds, checked while composing so nothing unbounded is ever built.

    Each node's expanded size (itself plus its children, an alias counting as the whole aliased node) is
    recorded when the node is complete, so the check is linear in the file; an alias to a collection still
    being composed (a recursive alias) counts what is composed so far.
    """
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.events import AliasEvent, ScalarEvent
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    class BoundedComposer(Composer):
        def compose_document(self):
            self.hueylint_depth = 0
            self.hueylint_sizes: dict[int, int] = {}
            return super().compose_document()

        def compose_node(self, parent, index):
            if self.parser.check_event(AliasEvent):
                return super().compose_node(parent, index)
            self.hueylint_depth += 1
            if self.hueylint_depth > MAX_DEPTH and not self.parser.check_event(ScalarEvent):  # a collection
                mark = self.parser.peek_event().start_mark
                raise YamlError(f"nested too deeply (more than {MAX_DEPTH} levels)", mark.line + 1, mark.column + 1)
            try:
                node = super().compose_node(parent, index)
            finally:
                self.hueylint_depth -= 1
            sizes = self.hueylint_sizes
            if isinstance(node, SequenceNode):
                children = node.value
            elif isinstance(node, MappingNode):
                children = [part for pair in node.value for part in pair]
            else:
                children = []
            size = 1 + sum(sizes.get(id(child), 0) for child in children)
            sizes[id(node)] = size
            if size > MAX_EXPANDED:
                mark = node.start_mark
                raise YamlError(f"YAML aliases expand this to more than {MAX_EXPANDED:,} values (an alias bomb)",
                                mark.line + 1, mark.column + 1)
            return node

    return BoundedComposer


#: what the flow-depth pre-check steps over: quoted scalars (opening after a space or an indicator) and
#: comments; what is left are the brackets that open and close flow collections
_FLOW_TOKENS = lazy_pattern(r"""(?:(?<=[\s\[{,:])|^)(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|#[^\n]*)|[\[\]{}]""", re.M)


def _flow_too_deep(text: str) -> tuple[int, int] | None:
    """Where flow brackets (``[[[[...``) nest beyond :data:`MAX_DEPTH`, found before ruamel reads them.

    ruamel's scanner looks ahead over every open flow level for each token (quadratic: 5,000 ``[`` take
    seconds before the composer could refuse them), so flow nesting is bounded on the text, in one linear
    pass that only runs when there are enough brackets to matter.  Block nesting needs indentation and
    is bounded by the composer.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for match in _FLOW_TOKENS.finditer(text):
        char = match.group(0)
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return position(text, match.start())
        elif char in "]}":
            depth = max(depth - 1, 0)
    return None


def load_text(src: SourceFile, text: str | None = None, cache: CacheStore | None = None) -> list[Doc]:
    """Every document of ``text`` (default: the file's text); raises :class:`YamlError`.

    The documents are :mod:`~hueylint.parsers.yamlcache` trees, read from ``cache`` (:func:`yaml_store`)
    when this path and text were parsed before, else parsed by ruamel and stored (a YAML error too).
    """
    text = src.text if text is None else text
    key = text_key(src.rel, text)
    store = cache if cache is not None and cache.enabled else None
    entry = store.read(key) if store is not None else None
    found = _from_entry(entry)
    if found is None:
        entry, found = _parsed_entry(text)
        if store is not None and entry is not None:
            store.write(key, entry)
    if entry is not None:
        _remember(key, entry, len(text))
    if isinstance(found, YamlError):
        message = str(found)
        if src.rel.lower().endswith(".json") and message.startswith("invalid YAML"):
            # a JSON file is read as YAML, its superset: the error is said in the file's own language
            raise YamlError("invalid JSON" + message[len("invalid YAML"):], found.line, found.col)
        raise found
    parsed = None if text is src.text or text == src.text else text
    return [Doc(src, data, index, parsed_text=parsed) for index, data in found[0]]


def all_documents(rel: str, text: str) -> list[Any] | None:
    """Every document of the file ``rel`` with ``text`` (None for an empty one) as :func:`load_text` reads
    them, a fresh tree on each call (the edits of fixes read it); None when the text is not YAML.

    The documents this process loaded or parsed here last (up to :data:`REMEMBERED_CHARS` of text) are decoded
    again rather than parsed again, and so are those in the run's YAML cache while its checks run
    (:func:`documents_cached_in`), where a text parsed here is stored.
    """
    key = text_key(rel, text)
    remembered = _recent.get(key)
    found = _from_entry(remembered[0]) if remembered is not None else None
    store = _checks_store[0]
    if found is None and store is not None:
        found = _from_entry(store.read(key))
    if found is None and _read_as_jinja(rel, text):
        return None  # a template (:func:`load` read it as one): no ruamel to refuse it
    if found is None:
        entry, found = _parsed_entry(text)
        if store is not None and entry is not None:
            store.write(key, entry)
        if entry is not None:  # (without a cache, `--no-cache`: one Helm template's text read again for each
            _remember(key, entry, len(text))  # of its 20 findings' fixes was refused by ruamel 20 times)
    if isinstance(found, YamlError):
        return None
    pairs, count = found
    documents: list[Any] = [None] * count
    for index, data in pairs:
        documents[index] = data
    return documents


#: the run's YAML cache (:func:`yaml_store`) while its checks run (:func:`documents_cached_in`), else None
_checks_store: list[CacheStore | None] = [None]


@contextmanager
def documents_cached_in(store: CacheStore) -> Iterator[None]:
    """While the checks of one run read YAML texts for their fixes (:mod:`hueylint.fix_edits`: a file the
    builders did not load as YAML, such as a Helm template, and each edited text, read again to prove the
    edit), :func:`all_documents` reads and writes their documents in ``store``, the run's YAML cache, as the
    builders' loads do (same key: path and text): the Django tree's 21 Helm templates were refused by ruamel
    again on every run, 0.18 s.  A disabled store (``--no-cache``) is not used."""
    previous = _checks_store[0]
    _checks_store[0] = store if store.enabled else None
    try:
        yield
    finally:
        _checks_store[0] = previous


#: how much text the encoded documents :func:`all_documents` may decode again stand for
REMEMBERED_CHARS = 4_000_000
_recent: dict[str, tuple[Any, int]] = {}  # text key -> (entry, characters of text), oldest first
_remembered = [0]  # the characters of text _recent stands for


def _remember(key: str, entry: Any, size: int) -> None:
    """Keep ``entry`` for :func:`all_documents`, dropping the oldest beyond :data:`REMEMBERED_CHARS`."""
    previous = _recent.pop(key, None)
    _remembered[0] += size - (previous[1] if previous is not None else 0)
    _recent[key] = (entry, size)
    while _remembered[0] > REMEMBERED_CHARS and len(_recent) > 1:
        _remembered[0] -= _recent.pop(next(iter(_recent)))[1]


_Found = tuple[list[tuple[int, Any]], int]


def _parsed_entry(text: str) -> tuple[Any, _Found | YamlError]:
    """``(cache entry, (documents, count) or the YamlError)`` of ``text`` parsed by ruamel; the entry is
    None when a value has no encoding (a ``!tag``, a timestamp ...: ruamel's own objects, parsed every run)."""
    try:
        parsed, count = _parse(text)
    except YamlError as exc:
        return {"error": [str(exc), exc.line, exc.col]}, exc
    try:
        entry = {"docs": yamlcache.encode(parsed), "count": count}
    except yamlcache.Unsupported:
        return None, (parsed, count)
    found = _from_entry(entry)
    if found is None:  # cannot happen: an entry encode wrote always decodes
        raise AssertionError("YAML entry does not decode")
    return entry, found


def _from_entry(entry: Any) -> _Found | YamlError | None:
    """A cache entry as ``(documents, count)`` or the YamlError it recorded; None when it is missing or
    does not decode."""
    if not isinstance(entry, dict):
        return None
    try:
        if "error" in entry:
            message, line, col = entry["error"]
            if type(message) is str and type(line) is int and type(col) is int:
                return YamlError(message, line, col)
            return None
        documents, count = yamlcache.decode(entry["docs"]), entry["count"]
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None
    indexes = [index for index, _ in documents]
    if type(count) is not int or indexes != sorted(set(indexes)) or any(not 0 <= i < count for i in indexes):
        return None
    return documents, count


def yaml_store(ws) -> CacheStore:  # ws: a Workspace (a layer above the parsers: not imported)
    """The run's cache of parsed YAML (kind ``yaml``; ``--no-cache``: reads and writes nothing)."""
    return ws.memo(("yaml-store",), lambda: CacheStore(Path(ws.root), "yaml", _fingerprint,
                                                       enabled=ws.use_cache, cache_dir=ws.cache_dir))


#: The modules whose code decides an entry (this one, the encoding and what they import).
CODE = ("parsers/__init__.py", "parsers/yamldocs.py", "parsers/yamlcache.py", "parsers/yamlfast.py",
        "parsers/yamlscalar.py", "model.py", "locations.py", "records.py", "regexes.py", "launch_facts.py",
        "hueyfacts.py", "appmodel.py", "sources.py", "words.py")


def _fingerprint() -> str:
    """The encoding, this module (the loader's bounds and errors) and the versions of ruamel and PyYAML:
    entries another parser wrote are never reused."""
    return code_fingerprint(yamlcache.SCHEMA, [*package_files(*CODE),
                                               *library_files("ruamel.yaml/__init__.py", "yaml/__init__.py")])


def _parse(text: str) -> tuple[list[tuple[int, Any]], int]:
    """ruamel's ``(index, document)`` pairs of every non-empty document of ``text`` and the number of
    documents; raises :class:`YamlError`.  A stream of JSON objects (``{...}{...}`` or one per line, what
    ``kubectl apply -f`` reads as one document each, though YAML needs ``---`` between them) is read one
    object at a time, and each object's positions are moved to where it starts in ``text``."""
    try:
        return _parse_yaml(text)
    except YamlError as exc:
        objects = _json_objects(text)
        if objects is None:
            raise
        error = exc
    docs: list[tuple[int, Any]] = []
    for index, (start, end) in enumerate(objects):
        line0 = text.count("\n", 0, start)
        col0 = start - (text.rfind("\n", 0, start) + 1)
        try:
            found, _ = _parse_yaml(text[start:end])
        except YamlError:  # ruamel refuses JSON that Python's json module took: the whole text's error
            raise error from None
        for _, data in found:
            _shift(data, line0, col0, set())
            docs.append((index, data))
    return docs, len(objects)


def _shift(node: Any, lines: int, cols: int, seen: set[int]) -> None:
    """Move the positions ruamel recorded in ``node`` (and below it) ``lines`` down, and those on its text's
    first line ``cols`` right: where a substring that started at (lines, cols) sits in the whole text."""
    lc = getattr(node, "lc", None)
    if lc is None or id(node) in seen:
        return
    seen.add(id(node))
    if lc.line is not None:
        if lc.line == 0 and lc.col is not None:
            lc.col += cols
        lc.line += lines
    for where in (getattr(lc, "data", None) or {}).values():
        for at in range(0, len(where) - 1, 2):
            if where[at] == 0:
                where[at + 1] += cols
            where[at] += lines
    for child in (node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()):
        _shift(child, lines, cols, seen)


def _json_objects(text: str) -> list[tuple[int, int]] | None:
    """The (start, end) offsets of each object of a stream of two or more JSON objects filling ``text``
    (whitespace between them), else None."""
    import json

    decoder = json.JSONDecoder()
    spans: list[tuple[int, int]] = []
    at = len(text) - len(text.lstrip())
    while at < len(text):
        if text[at] != "{":
            return None
        try:
            _, end = decoder.raw_decode(text, at)
        except (ValueError, RecursionError):
            return None
        spans.append((at, end))
        at = end + len(text[end:]) - len(text[end:].lstrip())
    return spans if len(spans) > 1 else None


def _parse_yaml(text: str) -> tuple[list[tuple[int, Any]], int]:
    """:func:`_parse` of one YAML stream."""
    deep = _flow_too_deep(text)
    if deep is not None:
        raise YamlError(f"nested too deeply (more than {MAX_DEPTH} levels)", *deep)
    fast = yamlfast.compose(text, MAX_DEPTH, MAX_EXPANDED)
    if fast is not None:
        return fast
    from ruamel.yaml.error import MarkedYAMLError, YAMLError  # ruamel is imported only for the texts it reads

    loader = yaml_loader()
    docs: list[tuple[int, Any]] = []
    count = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ruamel's ReusedAnchorWarning would reach the user's terminal
            for index, data in enumerate(loader.load_all(text)):
                count += 1
                if data is not None:
                    docs.append((index, data))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1) if mark is not None else 1
        col = (mark.column + 1) if mark is not None else 1
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.context}: {exc.problem}"
        raise YamlError(f"invalid YAML: {problem}", line, col) from None
    except (YAMLError, ValueError, TypeError, NotImplementedError) as exc:  # ruamel's assorted errors on odd input
        # (NotImplementedError: "overlap in comment", a comment after `key:` before a multi-paragraph scalar)
        raise YamlError(f"invalid YAML: {exc}".splitlines()[0], 1, 1) from None
    except (AttributeError, KeyError, IndexError, AssertionError) as exc:  # ruamel internals
        line, col = _recursive_merge(loader, text) or (1, 1)
        raise YamlError("invalid YAML: a `<<` merge refers to a mapping that contains it"
                        if "add_referent" in str(exc) else f"invalid YAML: {type(exc).__name__}: {exc}", line, col) from None
    except RecursionError:  # ruamel's scanner and composer recurse once per nesting level
        line, col = _deepest(text)
        raise YamlError("invalid YAML: nested too deeply to read", line, col) from None
    return docs, count


def _recursive_merge(loader, text: str) -> tuple[int, int] | None:  # ruamel YAML
    """Where ``<<: *a`` sits inside the mapping anchored ``&a`` (ruamel then fails with an AttributeError)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    def walk(node, parents: list) -> tuple[int, int] | None:
        if id(node) in {id(p) for p in parents}:
            return None
        if isinstance(node, MappingNode):
            for key, value in node.value:
                targets = value.value if isinstance(value, SequenceNode) else [value]
                if getattr(key.tag, "value", key.tag) == "tag:yaml.org,2002:merge" and any(t is p for t in targets for p in parents + [node]):
                    return key.start_mark.line + 1, key.start_mark.column + 1
                found = walk(value, parents + [node])
                if found:
                    return found
        elif isinstance(node, SequenceNode):
            for item in node.value:
                found = walk(item, parents + [node])
                if found:
                    return found
        return None

    try:
        for doc in loader.compose_all(text):
            found = walk(doc, []) if doc is not None else None
            if found:
                return found
    except Exception:  # noqa: BLE001 - only a better position is at stake
        return None
    return None


def _deepest(text: str) -> tuple[int, int]:
    """Where nesting gets deepest (flow brackets, else block indentation): the place to point at when
    ruamel gives up with a RecursionError and so has no mark of its own."""
    best, where, depth = -1, (1, 1), 0
    for number, line in enumerate(text.splitlines(), 1):
        indent = len(line) - len(line.lstrip(" "))
        for col, char in enumerate(line, 1):
            if char in "[{":
                depth += 1
                if depth > best:
                    best, where = depth, (number, col)
            elif char in "]}":
                depth = max(depth - 1, 0)
        if line.strip() and indent // 2 > best:
            best, where = indent // 2, (number, indent + 1)
    return where


def load(ws, src: SourceFile) -> list[Doc] | None:  # ws: a Workspace (a layer above the parsers: not imported)
    """Cached :func:`load_text` that reports HL001 once and returns None on malformed YAML.

    A Jinja template (``docker-compose.yml.j2`` with ``{% if %}`` lines) is read like the spec's other
    templates: its tags are dropped and each ``{{ x }}`` becomes an unknown value; HL001 only when
    even that is not YAML.
    """
    def read() -> list[Doc] | None:
        store = yaml_store(ws)
        if _read_as_jinja(src.rel, src.text):
            # a template whose tags make it no YAML: read as a template at once (ruamel, imported for 40 ms,
            # would refuse the text as libyaml did; it still words the error when the template is no YAML)
            docs = jinja_docs(src, store)
            if docs is not None:
                return docs
        try:
            return load_text(src, cache=store)
        except YamlError as exc:
            docs = jinja_docs(src, store) if ("{%" in src.text or "{{" in src.text) else None
            if docs is None:
                ws.unparseable(src, exc.line, exc.col, str(exc))
            return docs

    return ws.memo(("yaml", src.rel), read)


#: the name endings of Jinja templates (Ansible's ``template:``, Salt, cookiecutter: ``compose.yml.j2``)
_JINJA_NAMES = (".j2", ".jinja", ".jinja2")


def _read_as_jinja(rel: str, text: str) -> bool:
    """Whether the builders read the file ``rel`` with ``text`` as a Jinja template (:func:`jinja_docs`): one
    whose ``{% %}`` tags make it no YAML, or a file named as a Jinja template (``docker-compose.yml.j2``) that
    holds a tag or placeholder, even when its text is YAML as well: ``command: run_huey -w {{ workers }}`` is
    a string to YAML, but Jinja renders it before compose reads it (the placeholder is one unknown value, not
    the words ``{{``, ``workers``, ``}}``)."""
    return _template_not_yaml(text) or (rel.lower().endswith(_JINJA_NAMES) and ("{{" in text or "{%" in text))


def _template_not_yaml(text: str) -> bool:
    """A Jinja template whose ``{% %}`` tags make it no YAML (libyaml refuses it, as ruamel would): read as a
    template at once (:func:`load`), and no YAML for the fixes (:func:`all_documents`)."""
    return "{%" in text and yamlfast.refuses(text)


#: a template's tags (or placeholders) replaced in a text: ``sub(text, repl)``, ``repl(tag, start)`` giving
#: each one's replacement (linear in the text: a lazy ``<%.*?%>`` or ``\{%.*?%\}`` searched by :meth:`re.sub`
#: scans to the end of the text from each opening never closed, quadratic: ``{%{%{%...`` or ``<%<%<%...``)
_Sub = Callable[[str, Callable[[str, int], str]], str]


def _jinja(**kinds: bool) -> _Sub:
    """Jinja's tags of ``kinds`` (:class:`~hueylint.words.Jinja`) replaced."""
    return lambda text, repl: Jinja(text, **kinds).sub(lambda span, start, _end: repl(span, start))


def _closed(pattern: re.Pattern[str], close: str) -> _Sub:
    """The matches of ``pattern``, an opening, a lazy ``.*?`` (``re.S``) and ``close``, replaced: searched only up
    to the last ``close`` (an opening after it is never closed), so each search ends at a closing."""
    def sub(text: str, repl: Callable[[str, int], str]) -> str:
        cut = text.rfind(close)
        if cut < 0:
            return text
        cut += len(close)
        return pattern.sub(lambda match: repl(match.group(0), match.start()), text[:cut]) + text[cut:]
    return sub


#: Jinja's tags and comments (over lines), its placeholders, and its ``{% if %}``/``{% for %}`` blocks inside one
#: line (what one renders is one unknown value)
_JINJA_TAG = _jinja(blocks=False, lines=False)
_JINJA_VAR = _jinja(blocks=False, tags=False, comments=False, variables=True, lines=False)
_JINJA_BLOCK = _jinja(tags=False, comments=False)


def jinja_docs(src: SourceFile, cache: CacheStore | None = None) -> list[Doc] | None:
    """The documents of a Jinja template with every line where it was, or None when still not YAML.

    Control tags and comments become nothing (their newlines stay), so both branches of an ``{% if %}``
    written on lines of their own are read; a ``{{ x }}`` becomes a marker, an unknown value whose messages
    quote the placeholder, and so does a block inside a value on one line (``run_huey {% if w %}-w {{ w }}{%
    endif %}``: the options it may add are unknown, none of them is taken as written; one that starts its line
    may write YAML, ``{% if tls %}- TLS=1{% endif %}``, and is read as the lines of its own are).
    """
    return _template_docs(src, cache, _JINJA_TAG, _JINJA_VAR, "Jinja", _JINJA_BLOCK)


#: ERB (what Kamal renders ``config/deploy.yml`` with before reading it as YAML): ``<% code %>`` and
#: ``<%# comment %>`` print nothing, ``<%= expression %>`` prints a value (``-%>`` trims, ``<%%`` is a literal)
_ERB_TAG = _closed(lazy_pattern(r"<%(?![=%]).*?%>", re.S), "%>")
_ERB_VAR = _closed(lazy_pattern(r"<%=.*?%>", re.S), "%>")


def erb_docs(src: SourceFile, cache: CacheStore | None = None) -> list[Doc] | None:
    """The documents of an ERB template, as :func:`jinja_docs` reads a Jinja one (``<%= x %>`` an unknown
    value, ``<% if %>`` lines nothing), or None when still not YAML."""
    return _template_docs(src, cache, _ERB_TAG, _ERB_VAR, "ERB")


def jinja_rendered(text: str) -> tuple[str, dict[int, str]]:
    """The YAML :func:`jinja_docs` reads of a Jinja template's ``text``, and its placeholders by marker number."""
    return _rendered(text, _JINJA_TAG, _JINJA_VAR, _JINJA_BLOCK)


def _rendered(text: str, tag: _Sub, variable: _Sub, block: _Sub | None = None) -> tuple[str, dict[int, str]]:
    placeholders: dict[int, str] = {}

    def var(found: str, _start: int) -> str:
        placeholders[len(placeholders) + 1] = " ".join(found.split())
        return f"{MARKER}{len(placeholders)}__"

    def inline(found: str, start: int) -> str:  # inside a value; at a line's start it may write YAML (`- item`)
        line_start = text.rfind("\n", 0, start) + 1
        return var(found, start) if text[line_start:start].strip() else found

    if block is not None and "{%" in text:
        text = block(text, inline)
    text = tag(text, lambda found, _start: "\n" * found.count("\n"))
    return variable(text, var), placeholders


def _template_docs(src: SourceFile, cache: CacheStore | None, tag: _Sub, variable: _Sub,
                   language: str, block: _Sub | None = None) -> list[Doc] | None:
    text, placeholders = _rendered(src.text, tag, variable, block)
    try:
        docs = load_text(src, text, cache)
    except YamlError:
        return None
    for doc in docs:
        doc.placeholders = placeholders  # shared by the file's documents (read only): a copy each is quadratic
        doc.template = language
    return docs


def load_erb(ws, src: SourceFile) -> list[Doc] | None:  # ws: a Workspace (see :func:`load`)
    """:func:`load` of a file rendered with ERB first (a Kamal configuration): without ``<%`` the YAML itself;
    HL001 once when even the template is not YAML (the error of the text with its ERB read as values)."""
    if "<%" not in src.text:
        return load(ws, src)

    def read() -> list[Doc] | None:
        docs = erb_docs(src, yaml_store(ws))
        if docs is None:
            placeholders = _ERB_VAR(_ERB_TAG(src.text, lambda tag, _start: "\n" * tag.count("\n")), lambda *_: "x")
            try:
                load_text(src, placeholders)
            except YamlError as exc:
                ws.unparseable(src, exc.line, exc.col, str(exc))
        return docs

    return ws.memo(("yaml-erb", src.rel), read)


def walk_mappings(node: Any) -> Iterator[Any]:
    """Every mapping below ``node`` (for searches such as ``hueylint/ignore`` annotations)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk_mappings(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk_mappings(value)
