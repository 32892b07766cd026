"""Docker Buildx Bake files read with every value's line and column: HCL (``docker-bake.hcl``, parsed with tree-sitter's
HCL grammar, ``tree-sitter-hcl``) and JSON (``docker-bake.json``).  What the files mean (which images they build,
variables filled in, ``inherits`` resolved) is :mod:`hueylint.platforms.bake`'s; here only what is written: each
``target`` block's attributes read there (``context``, ``dockerfile``, ``target``, ``tags``, ``inherits``), each
``variable`` block's ``default``, the targets with a ``matrix``, and the line of the first thing that is not HCL or
JSON (bake refuses such a file: a notice, not HL001, since it is a build file)."""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from hueylint.locations import Loc
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern

#: the attributes of a target read here
READ = ("context", "dockerfile", "target", "tags", "inherits")


@dataclass(frozen=True, slots=True)
class Value:
    """One attribute's value as written: a string, or a list of strings (``None`` items: not understood); at
    ``loc``; ``unread``: the text of what is not understood (a function call, a conditional), else ``""``."""

    value: str | list[str | None] | None
    loc: Loc
    unread: str = ""


@dataclass(slots=True)
class BakeFile:
    """A bake file's blocks: target name -> attribute -> :class:`Value` (in file order), variable name -> its
    default (None: none, or not a string); ``matrix``: targets with a ``matrix`` (not expanded); ``error``: the
    line of the first thing that is not HCL / JSON (0: none)."""

    targets: dict[str, dict[str, Value]]
    variables: dict[str, str | None]
    matrix: dict[str, Loc]
    error: int = 0
    error_text: str = ""


# -- HCL ------------------------------------------------------------------------------------------

def _parser() -> Any:
    import tree_sitter_hcl
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_hcl.language()))


def parse_hcl(text: str, rel: str) -> BakeFile:
    """The blocks of an HCL bake file (:class:`BakeFile`); a block holding a syntax error is left out."""
    data = text.encode("utf-8", "surrogateescape")
    tree = _parser().parse(data)
    lines = data.split(b"\n")
    result = BakeFile({}, {}, {})

    def loc(node: Any) -> Loc:
        row, column = node.start_point
        line = lines[row] if row < len(lines) else b""
        return Loc(rel, row + 1, len(line[:column].decode("utf-8", "replace")) + 1)

    root = tree.root_node
    if root.has_error:
        first = _first_error(root)
        result.error = first.start_point[0] + 1 if first is not None else 1
        result.error_text = "a syntax error"
    body = next((child for child in root.children if child.type == "body"), None)
    for block in body.children if body is not None else []:
        if block.type != "block" or block.has_error:
            continue
        kind = _text(block.children[0]) if block.children else ""
        labels = [child for child in block.children if child.type == "string_lit"]
        inner = next((child for child in block.children if child.type == "body"), None)
        if kind not in ("target", "variable") or len(labels) != 1 or inner is None:
            continue
        label = _literal(labels[0])
        if label is None:
            continue
        attributes: dict[str, Value] = {}
        for attribute in inner.children:
            if attribute.type != "attribute" or len(attribute.children) < 3:
                continue
            key = _text(attribute.children[0])
            expression = attribute.children[-1]
            if kind == "target" and key == "matrix":
                result.matrix[label] = loc(attribute)
            if kind == "target" and key in READ or kind == "variable" and key == "default":
                value, unread = _value(expression)
                attributes[key] = Value(value, loc(expression), unread)
            elif kind == "target" and key == "dockerfile-inline":
                attributes[key] = Value(None, loc(expression))
        if kind == "target":
            result.targets.setdefault(label, {}).update(attributes)
        else:
            default = attributes.get("default")
            result.variables[label] = default.value if default is not None and isinstance(default.value, str) \
                else None
    return result


def _first_error(node: Any) -> Any:
    """The first error or missing node below ``node`` in document order (iterative: nesting of any depth)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_error or current.is_missing:
            return current
        stack += [child for child in reversed(current.children) if child.has_error or child.is_missing]
    return None


def _text(node: Any) -> str:
    return bytes(node.text or b"").decode("utf-8", "replace")


def _literal(node: Any) -> str | None:
    """A quoted string's text (``$${`` and ``%%{`` unescaped, ``${NAME}`` kept as written), None when it holds
    anything else (a function call inside ``${...}``, a directive)."""
    parts: list[str] = []
    for child in node.children:
        if child.type in ("quoted_template_start", "quoted_template_end"):
            continue
        if child.type == "template_literal":
            parts.append(_text(child).replace("$${", "${").replace("%%{", "%{").replace('\\"', '"')
                         .replace("\\\\", "\\"))
        elif child.type == "template_interpolation":
            inner = [grand for grand in child.children if grand.type == "expression"]
            variable = inner[0].children[0] if len(inner) == 1 and inner[0].children else None
            if variable is None or variable.type != "variable_expr":
                return None
            parts.append("${" + _text(variable).strip() + "}")
        else:
            return None
    return "".join(parts)


def _value(expression: Any, item: bool = False) -> tuple[str | list[str | None] | None, str]:
    """(a string or a list of strings, the text of what is not understood); ``item``: a list's item, read as a
    string only (a list in a list is no string: never descended into, so nesting of any depth costs nothing)."""
    node = expression.children[0] if expression.type == "expression" and expression.children else expression
    if node.type == "literal_value" and node.children and node.children[0].type == "string_lit":
        text = _literal(node.children[0])
        return text, "" if text is not None else _text(node)
    if node.type == "template_expr" and node.children and node.children[0].type == "quoted_template":
        text = _literal(node.children[0])
        return text, "" if text is not None else _text(node)
    if node.type == "collection_value" and node.children and node.children[0].type == "tuple" and not item:
        items: list[str | None] = []
        unread: list[str] = []
        for element in node.children[0].children:
            if element.type != "expression":
                continue
            value, not_read = _value(element, True)
            items.append(value if isinstance(value, str) else None)
            if not isinstance(value, str):
                unread.append(not_read or _text(element))
        return items, ", ".join(unread)
    return None, _text(node)


# -- JSON -----------------------------------------------------------------------------------------

def parse_json(text: str, rel: str) -> BakeFile:
    """The blocks of a JSON bake file (``{"variable": {...}, "group": {...}, "target": {...}}``); each value's
    line is that of its first string as written, else its key's, else its target's (JSON keeps no positions:
    :class:`_JsonPlaces` finds them, in time linear in the file)."""
    result = BakeFile({}, {}, {})
    try:
        data = json.loads(text)
    except ValueError as exc:
        result.error, result.error_text = getattr(exc, "lineno", 1), "not JSON"
        return result
    except RecursionError:  # (Python's json module refuses nesting deeper than its recursion limit)
        result.error, result.error_text = 1, "JSON nested too deeply to read"
        return result
    if not isinstance(data, dict):
        result.error, result.error_text = 1, "not a JSON object"
        return result

    places = _JsonPlaces(text)

    def loc(value: object, after: str, key: str = "") -> Loc:
        index = places.of(after, key, value if isinstance(value, str) else next(
            (item for item in value if isinstance(item, str)), None) if isinstance(value, list) else None)
        line = bisect.bisect_right(places.lines, index)
        return Loc(rel, line, index - places.lines[line - 1] + 1)

    variables = data.get("variable")
    for name, block in (variables.items() if isinstance(variables, dict) else []):
        default = block.get("default") if isinstance(block, dict) else None
        result.variables[str(name)] = default if isinstance(default, str) else None
    targets = data.get("target")
    for name, block in (targets.items() if isinstance(targets, dict) else []):
        if not isinstance(block, dict):
            continue
        attributes: dict[str, Value] = {}
        for key in (*READ, "dockerfile-inline"):
            if key not in block:
                continue
            raw = block[key]
            value: str | list[str | None] | None = raw if isinstance(raw, str) else \
                [item if isinstance(item, str) else None for item in raw] if isinstance(raw, list) else None
            attributes[key] = Value(value if key != "dockerfile-inline" else None, loc(raw, str(name), key))
        if "matrix" in block:
            result.matrix[str(name)] = loc(None, str(name))
        result.targets[str(name)] = attributes
    return result


#: a JSON string as written (escapes kept), and the colon that makes one a key
_JSON_STRING = lazy_pattern(r'"(?:[^"\\\n]|\\.)*"')
_JSON_COLON = lazy_pattern(r"\s*:")


class _JsonPlaces:
    """Where the strings of a JSON bake file are written, read once: each string's (offset, decoded text, whether
    it is a key, the depth of the object or list holding it: 1 for the top object's keys), the offsets where
    lines start, and for each key of the top ``"target"`` object (a target's name) the range of strings of its
    block.  Every lookup scans one target's block at most, so a file of thousands of targets is read in linear
    time (searching the text from its start for each value was quadratic: 16 s for 8,000 targets)."""

    def __init__(self, text: str) -> None:
        self.lines = [0, *(match.end() for match in re.finditer("\n", text))]
        self.strings: list[tuple[int, str, bool, int]] = []
        depth, last = 0, 0
        for match in _JSON_STRING.finditer(text):
            gap = text[last:match.start()]
            depth += gap.count("{") + gap.count("[") - gap.count("}") - gap.count("]")
            last = match.end()
            try:
                decoded = json.loads(match.group())
            except ValueError:
                continue
            self.strings.append((match.start(), decoded, _JSON_COLON.match(text, match.end()) is not None, depth))
        self.blocks: dict[str, tuple[int, int]] = {}
        section = next((number for number, (_, decoded, key, depth) in enumerate(self.strings)
                        if key and depth == 1 and decoded == "target"), len(self.strings))
        starts = [number for number in range(section + 1, len(self.strings)) if self.strings[number][3] >= 2]
        starts = starts[:next((at for at, number in enumerate(starts) if number != starts[0] + at), len(starts))]
        names = [number for number in starts if self.strings[number][2] and self.strings[number][3] == 2]
        for at, number in enumerate(names):
            self.blocks.setdefault(self.strings[number][1], (number, names[at + 1] if at + 1 < len(names)
                                                             else (starts[-1] + 1 if starts else number + 1)))

    def of(self, target: str, key: str, value: str | None) -> int:
        """The offset of the string ``value`` in ``target``'s attribute ``key`` (the key's when ``value`` is
        None or not found there; the target's name when ``key`` is empty or not found; 0 when the target is not)."""
        start, end = self.blocks.get(target, (-1, -1))
        if start < 0 or not key:
            return self.strings[start][0] if start >= 0 else 0
        found = start
        for number in range(start + 1, end):
            offset, decoded, is_key, depth = self.strings[number]
            if found == start and key and is_key and depth == 3 and decoded == key:
                found = number
                if value is None:
                    break
            elif found != start and (is_key and depth == 3 or decoded == value):
                found = number if decoded == value and not is_key else found
                break
        return self.strings[found][0]
