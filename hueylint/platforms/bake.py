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

The files are read by :mod:`hueylint.parsers.bake` (HCL with tree-sitter's HCL grammar, ``tree-sitter-hcl``, which
keeps each value's line and column; JSON with the positions of its strings).
"""

from __future__ import annotations

import posixpath
import re

from hueylint.discovery import Notice
from hueylint.formats import BAKE_FILES
from hueylint.locations import Loc
from hueylint.parsers.bake import Value, parse_hcl, parse_json
from hueylint.platforms.docker import ImageSource, image_key
from hueylint.regexes import lazy_pattern
from hueylint.words import clipped
from hueylint.workspace import Workspace, leads_outside

_TEMPLATE = lazy_pattern(r"\$\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}")


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
