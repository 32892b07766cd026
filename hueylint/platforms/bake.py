"""Images a Docker Buildx Bake file builds: ``target "worker" { dockerfile = "docker/Dockerfile" tags = [...] }``.

``docker buildx bake`` builds the targets of a bake file (Docker's "Bake file reference"): HCL
(``docker-bake.hcl``, ``docker-bake.override.hcl``) or JSON (``docker-bake.json``, ``docker-bake.override.json``),
looked up in the folder it runs in, the files of one folder merged in that order (an override file's attributes
replace the others' for a target of the same name).  A ``target`` block names what one build does:

- ``context`` (default ``.``), relative to the folder bake runs in (buildx issue 1028: a file given with
  ``--file dir/docker-bake.hcl`` keeps the paths relative to where the command runs); a URL, ``target:NAME`` or
  ``docker-image://`` context is no folder of this repository;
- ``dockerfile`` (default ``Dockerfile``), relative to the context (docker/docs issue 22199);
- ``target``, the stage; ``tags``, the image names; ``inherits``, the targets whose attributes it starts from
  (in order, its own last);
- ``variable "NAME" { default = "..." }``: ``${NAME}`` in a string is the default (the environment may set
  another: an image name holding a variable without a default is unknown); a default naming other variables
  (``"${REGISTRY}/shop"``) is filled in as bake evaluates it, a cycle is unknown (:func:`resolved_variables`).

Since the folder bake runs in is not written, a path is taken below the bake file's own folder (where its
default lookup finds it), then below the repository's root (``docker buildx bake -f docker/docker-bake.hcl``
there).  ``group`` blocks only name targets to build together: every target with tags is an image built here.
A function call, a conditional or a ``matrix`` target is not evaluated: the value is unknown and a notice says
so; a file that is not HCL (or JSON) gets a notice, not HL001 (it is a build file, not a deployment file: bake
refuses it, nothing hueylint judges is broken).  The compose files of the folder, which bake reads first, give
targets too (:func:`compose_targets`): a bake file's target of a service's name completes its build
(``target "worker" { tags = ["ghcr.io/acme/worker"] }`` for a service building ``docker/Dockerfile``).

HCL is parsed with tree-sitter's HCL grammar (``tree-sitter-hcl``), which keeps each value's line and column.
"""

from __future__ import annotations

import bisect
import json
import posixpath
import re
from typing import Any

from hueylint.discovery import Notice
from hueylint.formats import BAKE_FILES
from hueylint.locations import Loc
from hueylint.platforms.docker import ImageSource, image_key
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.words import clipped
from hueylint.workspace import Workspace, leads_outside

_TEMPLATE = lazy_pattern(r"\$\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}")
#: the attributes of a target read here
_READ = ("context", "dockerfile", "target", "tags", "inherits")


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


def bake_images(ws: Workspace) -> list[ImageSource]:
    """Every image the repository's bake files tag, with its Dockerfile and stage (read once per run)."""
    return ws.memo(("bake-images",), lambda: _bake_images(ws))


def bake_files(ws: Workspace) -> dict[str, list[str]]:
    """Folder -> the bake files there, in bake's merge order (:data:`BAKE_FILES`)."""
    folders: dict[str, list[str]] = {}
    for name in BAKE_FILES:
        for rel in ws.names().get(name, []):
            if not ws.excluded(rel):
                folders.setdefault(posixpath.dirname(rel), []).append(rel)
    return folders


#: the compose files bake reads first in a folder ("Bake file reference": they come before the bake files)
COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")


def compose_targets(ws: Workspace, folder: str) -> dict[str, dict[str, Value]]:
    """The targets bake makes of the compose files of ``folder`` (one per service with a ``build:``: its
    ``context``, ``dockerfile``, ``target``, and as tags its ``image``, ``build.tags`` and ``build.x-bake.tags``),
    which a bake file's target of the same name completes or overrides (``target "worker" { tags = [...] }``).
    A value written with compose variables (``${TAG}``) is unknown there: an image name holding one is not used."""
    from hueylint.parsers.yamldocs import YamlError, load_text, yaml_store

    targets: dict[str, dict[str, Value]] = {}
    for name in COMPOSE_FILES:
        rel = posixpath.join(folder, name) if folder else name
        src = ws.file(rel) if ws.exists(rel) else None
        try:
            docs = load_text(src, cache=yaml_store(ws)) if src is not None else []
        except YamlError:
            continue  # (the compose builder reports it)
        for doc in docs:
            services = doc.data.get("services") if isinstance(doc.data, dict) else None
            for service, spec in services.items() if isinstance(services, dict) else []:
                build = spec.get("build") if isinstance(spec, dict) else None
                if not isinstance(build, (str, dict)):
                    continue
                here = doc.value_loc(spec, "build")
                attributes: dict[str, Value] = {}
                if isinstance(build, str):
                    attributes["context"] = Value(build, here)
                else:
                    for key in ("context", "dockerfile", "target"):
                        if isinstance(build.get(key), str):
                            attributes[key] = Value(build[key], doc.value_loc(build, key))
                    bake = build.get("x-bake")
                    for tags in (build.get("tags"), bake.get("tags") if isinstance(bake, dict) else None):
                        if isinstance(tags, list):
                            attributes["tags"] = Value([*(attributes["tags"].value if "tags" in attributes
                                                          and isinstance(attributes["tags"].value, list) else []),
                                                        *(tag if isinstance(tag, str) else None for tag in tags)], here)
                image = spec.get("image")
                if isinstance(image, str):
                    earlier = attributes["tags"].value if "tags" in attributes else []
                    attributes["tags"] = Value([image, *(earlier if isinstance(earlier, list) else [])], here)
                targets.setdefault(str(service), {}).update(attributes)
    return targets


def _bake_images(ws: Workspace) -> list[ImageSource]:
    found: list[ImageSource] = []
    for folder, rels in sorted(bake_files(ws).items()):
        merged: dict[str, dict[str, Value]] = compose_targets(ws, folder)
        variables: dict[str, str | None] = {}
        matrix: dict[str, Loc] = {}
        for rel in rels:
            src = ws.file(rel)
            if src is None:
                continue
            parsed = parse_json(src.text, rel) if rel.endswith(".json") else parse_hcl(src.text, rel)
            if parsed.error:
                ws.say(Notice(rel, f"line {parsed.error}: {parsed.error_text}: not understood as a bake file there; "
                                   "the images its targets from there on tag are unknown"))
            for name, attributes in parsed.targets.items():
                merged.setdefault(name, {}).update(attributes)
            variables.update(parsed.variables)
            matrix.update(parsed.matrix)
        for name, loc in matrix.items():
            ws.say(Notice(loc.path or "", f"line {loc.line}: target `{name}` has a `matrix`, which hueylint does "
                                          "not expand: the images it tags are unknown"))
        filled = resolved_variables(variables)
        memo: dict[str, dict[str, Value]] = {}
        for name in merged:
            if name not in matrix:
                found += _target_images(ws, folder, name, merged, filled, memo)
    return found


def _resolved(name: str, targets: dict[str, dict[str, Value]],
              memo: dict[str, dict[str, Value]]) -> dict[str, Value]:
    """A target's attributes with those it inherits: each parent's, in order, then its own.

    As buildx's ``Config.target`` resolves ``inherits`` (bake/bake.go): a target met again while it is being
    resolved gives nothing (its ``visited`` entry is nil: an ``inherits`` cycle is skipped, not refused), one
    resolved already gives its result.  buildx keeps ``visited`` for one top-level target (``local`` here);
    ``memo`` keeps, for the whole folder, the results no cycle touched (the same for every top-level target), so
    a diamond of ``inherits`` (``["a", "a"]`` at every level) resolves each target once, not once per path
    (2^depth), and thousands of targets in time linear in the file.  Iterative: a chain of any length."""
    if name in memo:
        return memo[name]
    local: dict[str, dict[str, Value]] = {}

    def parents(target: str) -> list[str]:
        inherits = targets.get(target, {}).get("inherits")
        written = inherits.value if inherits is not None and isinstance(inherits.value, list) else []
        return [parent for parent in reversed(written) if parent is not None and parent in targets]

    # frames: (target, its parents still to merge, last first; its result so far; [whether a cycle touched it])
    frames: list[tuple[str, list[str], dict[str, Value], list[bool]]] = [(name, parents(name), {}, [False])]
    active = {name}
    while True:
        current, pending, result, cyclic = frames[-1]
        while pending:
            parent = pending.pop()
            known = memo.get(parent, local.get(parent))
            if known is not None:
                result.update(known)
            elif parent in active:
                cyclic[0] = True
            else:
                frames.append((parent, parents(parent), {}, [False]))
                active.add(parent)
                break
        else:
            result.update(targets.get(current, {}))
            frames.pop()
            active.discard(current)
            (local if cyclic[0] else memo)[current] = result
            if not frames:
                return result
            frames[-1][2].update(result)
            frames[-1][3][0] = frames[-1][3][0] or cyclic[0]


#: the longest string a variable's substitution builds (an image name is far shorter): longer is unknown, so
#: defaults doubling one another (``"${A}${A}"``) cannot grow without bound
_MAX_FILLED = 4096


def resolved_variables(variables: dict[str, str | None]) -> dict[str, str | None]:
    """Each variable's default with the variables it names filled in, as bake evaluates a default (an HCL
    expression: ``default = "${REGISTRY}/shop"``); None for one naming a variable without a default or no
    variable, in a cycle (``A`` -> ``B`` -> ``A``: bake refuses the file, "variable cycle not allowed"), or longer
    than :data:`_MAX_FILLED`.  Iterative (a chain of thousands of variables), each variable filled once."""
    done: dict[str, str | None] = {}
    for start in variables:
        stack, active = [start], {start}
        while stack:
            name = stack[-1]
            if name in done:
                stack.pop()
                active.discard(name)
                continue
            default = variables.get(name)
            names = [] if default is None else [ref for ref in dict.fromkeys(_TEMPLATE.findall(default))
                                                if ref not in done and ref in variables]
            if default is not None and not any(ref in active for ref in names) and names:
                stack.append(names[0])
                active.add(names[0])
                continue
            done[name] = None if default is None or names else substitute(default, done)
            stack.pop()
            active.discard(name)
    return done


def substitute(text: str, variables: dict[str, str | None]) -> str | None:
    """``text`` with each ``${NAME}`` replaced by the variable's default; None when one has none (or is no
    variable of the file), or when the result would be longer than :data:`_MAX_FILLED`."""
    missing = False
    length = len(text)

    def value(match: re.Match[str]) -> str:
        nonlocal missing, length
        known = variables.get(match.group(1))
        length += len(known) if known is not None else 0
        if known is None or length > _MAX_FILLED:
            missing = True
            return ""
        return known

    filled = _TEMPLATE.sub(value, text)
    return None if missing or "${" in filled else filled


def _string(attributes: dict[str, Value], key: str, variables: dict[str, str | None]) -> tuple[str | None, bool]:
    """(the attribute's string with variables filled in, known); absent: (None, True)."""
    found = attributes.get(key)
    if found is None:
        return None, True
    if not isinstance(found.value, str):
        return None, False
    filled = substitute(found.value, variables)
    return filled, filled is not None


def _target_images(ws: Workspace, folder: str, name: str, targets: dict[str, dict[str, Value]],
                   variables: dict[str, str | None], memo: dict[str, dict[str, Value]]) -> list[ImageSource]:
    attributes = _resolved(name, targets, memo)
    tags = attributes.get("tags")
    if tags is None:
        return []
    items = [tags.value] if isinstance(tags.value, str) else tags.value if isinstance(tags.value, list) else [None]
    if tags.unread:
        ws.say(Notice(tags.loc.path or "", f"line {tags.loc.line}: the `tags` of target `{name}` hold "
                                           f"`{clipped(tags.unread)}`, which hueylint does not evaluate: those images are unknown"))
    names: list[str] = []
    for item in items:
        filled = substitute(item, variables) if item is not None else None
        if filled is None and item is not None and ":" in item:  # `org/app:${TAG}`: the name is known
            head, _, tail = item.rpartition(":")
            filled = head if "/" not in tail and substitute(head, variables) is not None else None
            filled = substitute(filled, variables) if filled is not None else None
        if filled and image_key(filled) and "$" not in image_key(filled):
            names.append(filled)
    if not names:
        return []
    context, known_context = _string(attributes, "context", variables)
    dockerfile, known_file = _string(attributes, "dockerfile", variables)
    stage, known_stage = _string(attributes, "target", variables)
    if not (known_context and known_file and known_stage) or "dockerfile-inline" in attributes:
        return []
    context = context if context is not None else "."
    if "://" in context or context.startswith(("target:", "git@")) or posixpath.isabs(context):
        return []  # (a remote context, another target's result, an image: no Dockerfile of this repository)
    path = posixpath.normpath(posixpath.join(context, dockerfile or "Dockerfile"))
    if posixpath.isabs(dockerfile or ""):
        return []
    base = next((start for start in dict.fromkeys([folder, ""])
                 if not leads_outside(posixpath.join(start, path))
                 and ws.exists(posixpath.normpath(posixpath.join(start, path)))), None)
    if base is None:
        return []
    full_context = posixpath.normpath(posixpath.join(base, context))
    return [ImageSource(posixpath.normpath(posixpath.join(base, path)), stage or None,
                        "" if full_context == "." else full_context, tags.loc, image) for image in names]


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
            if kind == "target" and key in _READ or kind == "variable" and key == "default":
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
        for key in (*_READ, "dockerfile-inline"):
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
