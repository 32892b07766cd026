"""Kustomize overlays' ``replicas:`` field, read without the kustomize binary.

A kustomization (``kustomization.yaml``, ``kustomization.yml`` or ``Kustomization`` in a folder) builds the
manifests its ``resources:`` (and the older ``bases:``, and ``components:``) name: a file, or a folder
whose own kustomization is built the same way; a remote URL is not followed.  Its ``replicas:`` list
(``- name: worker`` / ``count: 3``) sets ``spec.replicas`` of every Deployment, StatefulSet or ReplicaSet
of that name among them (kustomize's ``replicas`` transformer, by the resource's original name).

Each overlay is a deployment of its own: a workload runs, in some deployment, the largest count any
overlay gives it, and a message names that overlay's line.  ``patches:`` are not read (a patch that
changes ``replicas``, the command or the grace period is not seen), but the manifests an overlay with patches
builds are known to be patched (:func:`patched_manifests`: a patch may add a container's variables).
Its ``configMapGenerator``/``secretGenerator`` make the ConfigMaps and Secrets a container's ``envFrom`` names
(:func:`generated_env`).
"""

from __future__ import annotations

import posixpath
from collections import deque
from typing import Any

from hueylint.environment import read_repo_env_file
from hueylint.model import Val
from hueylint.parsers.yamldocs import Doc, TemplatedLoc, load
from hueylint.workspace import Workspace

NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
SCALED_KINDS = ("Deployment", "StatefulSet", "ReplicaSet")
_LISTS = ("resources", "bases", "components")


def _kustomization_in(ws: Workspace, folder: str) -> str | None:
    for name in NAMES:
        rel = posixpath.join(folder, name) if folder else name
        if ws.exists(rel):
            return rel
    return None


def _mapping(ws: Workspace, rel: str) -> tuple[Any, Any] | None:
    """``(doc, data)`` of a kustomization file when it is one YAML mapping, else None."""
    src = ws.file(rel)
    docs = load(ws, src) if src is not None else None
    if not docs or not isinstance(docs[0].data, dict):
        return None
    return docs[0], docs[0].data


#: the deepest nesting of kustomizations followed (overlays are a few levels deep; a committed chain of
#: 1,500, each naming the next, was a RecursionError, and quadratic)
MAX_DEPTH = 32


def _manifests(ws: Workspace, rel: str) -> set[str]:
    """The manifest files the kustomization ``rel`` builds, through the kustomizations of its folders, at most
    :data:`MAX_DEPTH` deep (deeper: HL001 at the kustomization whose resources are not followed)."""
    seen: set[str] = set()
    pending = deque([(rel, 0)])  # breadth first: each kustomization at its least depth
    files: set[str] = set()
    while pending:
        current, depth = pending.popleft()
        if current in seen:
            continue
        seen.add(current)
        found = _mapping(ws, current)
        if found is None:
            continue
        doc, data = found
        if depth == MAX_DEPTH:
            ws.unparseable(doc.src, 1, 1, f"kustomization nested more than {MAX_DEPTH} deep under `{rel}`: its "
                                          "resources are not followed")
            continue
        folder = posixpath.dirname(current)
        for key in _LISTS:
            entries = data.get(key)
            if not isinstance(entries, list):
                continue
            for entry in entries:
                if not isinstance(entry, str) or "://" in entry or entry.startswith(("github.com/", "git@")):
                    continue
                path = posixpath.normpath(posixpath.join(folder, entry))
                if path.startswith("../") or path == "..":
                    continue
                inner = _kustomization_in(ws, "" if path == "." else path)
                if inner is not None and not path.endswith((".yaml", ".yml", ".json")):
                    pending.append((inner, depth + 1))
                elif ws.exists(path):
                    files.add(path)
    return files


def raises(new: Val[Any], old: Val[Any] | None) -> bool:
    """``new`` replica count is the one to keep over ``old``: there is no ``old``, or ``new`` is a known number
    that ``old`` is not, or a larger one (an overlay, a values file: the variant running the most replicas)."""
    if old is None:
        return True
    number = new.value if new.known and isinstance(new.value, int) and not isinstance(new.value, bool) else None
    return number is not None and (not old.known or not isinstance(old.value, int) or number > old.value)


def replica_counts(ws: Workspace) -> dict[tuple[str, str], Val[Any]]:
    """``(manifest path, workload name) -> count`` from every kustomization's ``replicas:``: the largest
    count any overlay gives that workload, located at that overlay's ``count`` (an unknown count stays
    unknown and is kept only when no overlay gives a number)."""
    counts: dict[tuple[str, str], Val[Any]] = {}
    for name in NAMES:
        for rel in ws.files_named(name):
            found = _mapping(ws, rel)
            if found is None or not isinstance(found[1].get("replicas"), list):
                continue
            doc, data = found
            files = _manifests(ws, rel)
            for entry in data["replicas"]:
                if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                    continue
                count = doc.val(entry, "count")
                if count is None:
                    continue
                number = count.value if isinstance(count.value, int) and not isinstance(count.value, bool) else None
                loc = count.loc
                where = TemplatedLoc(loc.path, loc.line, loc.col, loc.end_line, loc.end_col,
                                     note=f"kustomize `replicas:` of this overlay for `{entry['name']}`")
                value = Val(number, where) if number is not None else Val.unknown_at(
                    where, f"kustomize replicas count {count.value!r}")
                for path in files:
                    key = (path, entry["name"])
                    if raises(value, counts.get(key)):
                        counts[key] = value
    return counts


#: the fields of a kustomization that may change a manifest's containers (their ``env:`` among them)
PATCH_KEYS = ("patches", "patchesStrategicMerge", "patchesJson6902", "replacements", "transformers", "components")


def patched_manifests(ws: Workspace) -> set[str]:
    """The manifest files some kustomization that patches builds (``patches:`` ... :data:`PATCH_KEYS`): the
    containers they define may get variables the manifest does not show (``env:`` added by an overlay)."""
    files: set[str] = set()
    for name in NAMES:
        for rel in ws.files_named(name):
            found = _mapping(ws, rel)
            if found is not None and any(found[1].get(key) for key in PATCH_KEYS):
                files |= _manifests(ws, rel)
    return files


#: (kind, name) -> [(the manifests a kustomization builds, the variables its generator of that name makes)]
Generated = dict[tuple[str, str], list[tuple[frozenset[str], dict[str, Val[str]]]]]
_GENERATORS = (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret"))


def generated_env(ws: Workspace) -> Generated:
    """The ConfigMaps and Secrets every kustomization's ``configMapGenerator``/``secretGenerator`` makes for the
    manifests it builds (kustomize renames them with a hash suffix and rewrites the references to them): each
    ``literals:`` ``KEY=VALUE`` (one pair of quotes around the value removed, as kustomize does), each line of
    its ``envs:`` files (and the older ``env:``; read as :func:`hueylint.environment.read_repo_env_file` reads an
    env file, a name alone taking the value kustomize's own environment gives), and the keys its ``files:`` make
    (their values, the files' text, not known here).  A Secret's values are not known here."""
    found: Generated = {}
    for name in NAMES:
        for rel in ws.files_named(name):
            mapping = _mapping(ws, rel)
            if mapping is None:
                continue
            doc, data = mapping
            files: frozenset[str] | None = None
            for key, kind in _GENERATORS:
                entries = data.get(key)
                for entry in entries if isinstance(entries, list) else []:
                    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                        continue
                    if files is None:
                        files = frozenset(_manifests(ws, rel))
                    variables = _generator_env(ws, doc, entry)
                    if kind == "Secret":
                        variables = {variable: Val.unknown_at(value.loc, f"Secret `{entry['name']}`")
                                     for variable, value in variables.items()}
                    found.setdefault((kind, entry["name"]), []).append((files, variables))
    return found


def _generator_env(ws: Workspace, doc: Doc, entry: dict) -> dict[str, Val[str]]:
    env: dict[str, Val[str]] = {}
    sources = entry.get("envs")
    sources = [sources] if isinstance(sources, str) else sources if isinstance(sources, list) else []
    if isinstance(entry.get("env"), str):
        sources = [entry["env"], *sources]
    for path in sources:
        if isinstance(path, str):
            origin = doc.key_loc(entry, "envs" if "envs" in entry else "env")
            read = read_repo_env_file(ws, path, origin, inherit=True)
            env.update(read if read is not None else {})
    for key, unknown in (("files", "the text of a file"), ("literals", "")):
        items = entry.get(key)
        for index, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, str):
                continue
            loc = doc.item_loc(items, index)
            variable, sep, value = item.partition("=")
            if key == "files":
                variable = variable if sep else posixpath.basename(item)
                env[variable] = Val.unknown_at(loc, unknown)
            elif sep and variable:
                if len(value) >= 2 and value[0] in "\"'" and value[-1] == value[0]:
                    value = value[1:-1]
                env[variable] = Val(value, loc)
    return env


def generated_for(generated: Generated, kind: str, name: str, manifest: str) -> dict[str, Val[str]] | None:
    """The variables of the generated ConfigMap or Secret ``name`` a container of ``manifest`` reads; None when
    no kustomization building that manifest generates it.  When several do (a base and its overlays, one per
    environment), a variable they all set alike is that value, one set differently (or by some only) unknown."""
    made = [variables for files, variables in generated.get((kind, name), []) if manifest in files]
    if not made:
        return None
    merged: dict[str, Val[str]] = {}
    for variable in dict.fromkeys(key for variables in made for key in variables):
        vals = [variables.get(variable) for variables in made]
        first = vals[0] if vals[0] is not None else next(val for val in vals if val is not None)
        same = all(val is not None and val.known and first.known and val.value == first.value for val in vals)
        merged[variable] = first if same or len(made) == 1 else Val.unknown_at(
            first.loc, f"{kind} `{name}` generated differently by the kustomizations that build `{manifest}`")
    return merged
