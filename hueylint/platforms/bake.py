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
  another: an image name holding a variable without a default is unknown).

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
from hueylint.workspace import Workspace, leads_outside

_TEMPLATE = lazy_pattern(r"\$\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}")
#: the attributes of a target read here
_READ = ("context", "dockerfile", "target", "tags", "inherits")
_MAX_INHERITS = 32


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
        for name in merged:
            if name not in matrix:
                found += _target_images(ws, folder, name, merged, variables)
    return found


def _resolved(name: str, targets: dict[str, dict[str, Value]], depth: int = 0) -> dict[str, Value]:
    """A target's attributes with those it inherits (each parent's, in order, then its own)."""
    own = targets.get(name, {})
    inherits = own.get("inherits")
    result: dict[str, Value] = {}
    if inherits is not None and isinstance(inherits.value, list) and depth < _MAX_INHERITS:
        for parent in inherits.value:
            if parent is not None and parent != name and parent in targets:
                result.update(_resolved(parent, targets, depth + 1))
    result.update(own)
    return result


def substitute(text: str, variables: dict[str, str | None]) -> str | None:
    """``text`` with each ``${NAME}`` replaced by the variable's default; None when one has none (or is no
    variable of the file)."""
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        known = variables.get(match.group(1))
        if known is None:
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
                   variables: dict[str, str | None]) -> list[ImageSource]:
    attributes = _resolved(name, targets)
    tags = attributes.get("tags")
    if tags is None:
        return []
    items = [tags.value] if isinstance(tags.value, str) else tags.value if isinstance(tags.value, list) else [None]
    if tags.unread:
        ws.say(Notice(tags.loc.path or "", f"line {tags.loc.line}: the `tags` of target `{name}` hold "
                                           f"`{tags.unread}`, which hueylint does not evaluate: those images are unknown"))
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
    if node.is_error or node.is_missing:
        return node
    for child in node.children:
        if child.has_error or child.is_missing:
            found = _first_error(child)
            if found is not None:
                return found
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


def _value(expression: Any) -> tuple[str | list[str | None] | None, str]:
    """(a string or a list of strings, the text of what is not understood)."""
    node = expression.children[0] if expression.type == "expression" and expression.children else expression
    if node.type == "literal_value" and node.children and node.children[0].type == "string_lit":
        text = _literal(node.children[0])
        return text, "" if text is not None else _text(node)
    if node.type == "template_expr" and node.children and node.children[0].type == "quoted_template":
        text = _literal(node.children[0])
        return text, "" if text is not None else _text(node)
    if node.type == "collection_value" and node.children and node.children[0].type == "tuple":
        items: list[str | None] = []
        unread: list[str] = []
        for item in node.children[0].children:
            if item.type != "expression":
                continue
            value, not_read = _value(item)
            items.append(value if isinstance(value, str) else None)
            if not isinstance(value, str):
                unread.append(not_read or _text(item))
        return items, ", ".join(unread)
    return None, _text(node)


# -- JSON -----------------------------------------------------------------------------------------

def parse_json(text: str, rel: str) -> BakeFile:
    """The blocks of a JSON bake file (``{"variable": {...}, "group": {...}, "target": {...}}``); each value's
    line is that of its first string as written (JSON keeps no positions)."""
    result = BakeFile({}, {}, {})
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        result.error, result.error_text = getattr(exc, "lineno", 1), "not JSON"
        return result
    if not isinstance(data, dict):
        result.error, result.error_text = 1, "not a JSON object"
        return result

    def loc(value: object, after: str) -> Loc:
        start = text.find(json.dumps(after))
        needle = json.dumps(value if isinstance(value, str) else next(
            (item for item in value if isinstance(item, str)), "") if isinstance(value, list) else "")
        index = text.find(needle, max(start, 0)) if needle != '""' else -1
        index = index if index >= 0 else max(start, 0)
        line = text.count("\n", 0, index) + 1
        return Loc(rel, line, index - (text.rfind("\n", 0, index) + 1) + 1)

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
            attributes[key] = Value(value if key != "dockerfile-inline" else None, loc(raw, str(name)))
        if "matrix" in block:
            result.matrix[str(name)] = loc(None, str(name))
        result.targets[str(name)] = attributes
    return result
