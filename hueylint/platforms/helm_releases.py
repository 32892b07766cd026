"""The values a repository's own scripts and CI deploy a chart with: ``helm upgrade --install shop ./chart -f
deploy/values-prod.yaml --set worker.replicas=3``.

Helm merges the chart's ``values.yaml``, then each ``-f/--values`` file in order, then each ``--set``
(helm(1) "helm install": "the last (right-most) file specified will take precedence", "--set ... override
values in a file").  ``helm install``/``upgrade`` take ``RELEASE CHART``, ``helm template`` ``[NAME] CHART``;
a chart is used when its path (relative to the file that runs helm, else the repository root) is a chart
folder of the repository, a values file when it is a repository file.  A path or ``--set`` holding a
variable or an expression is unknown and the release is not used.  ``--set`` keys are dotted paths; values
are typed as Helm's strvals parser types them (``3`` an integer, ``true``/``false`` a boolean and ``null`` none
in any case; anything else, ``007`` and ``1.5`` too, a string); lists and escaped dots are not read.  Nothing
runs.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from hueylint.formats import HELMFILE_NAMES
from hueylint.locations import Loc
from hueylint.parsers.helm import merged
from hueylint.platforms.runners import runner_files
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.words import clipped, split
from hueylint.workspace import Workspace, leads_outside

_HELM_CALL = lazy_pattern(r"\bhelm(?:3)?\s+(upgrade|install|template)\b")
_COMMAND_END = lazy_pattern(r"&&|\|\||[;|]")
#: helm options that take a value (helm install/upgrade/template --help), the values ones apart
_VALUED = frozenset({"-n", "--namespace", "--version", "--timeout", "--kube-context", "--kubeconfig", "-o",
                     "--output", "--description", "--repo", "--username", "--password", "--ca-file", "--cert-file",
                     "--key-file", "--post-renderer", "--post-renderer-args", "--api-versions", "-a", "--kube-version",
                     "--show-only", "-s", "--output-dir", "--name-template", "--history-max", "--set-file",
                     "--set-json", "--set-literal", "--registry-config", "--repository-cache", "--repository-config",
                     "--max-history", "--labels", "-l", "--release-name"})


@dataclass(frozen=True)
class Release:
    """One ``helm install/upgrade/template`` of a repository chart: its values files (repository paths, in
    order) and ``--set`` assignments, written at ``loc``; or a release a GitOps tool deploys (:func:`gitops_releases`),
    whose inline ``values`` (a mapping) come before its ``sets`` (its parameters)."""

    chart: str
    files: tuple[str, ...]
    sets: tuple[tuple[str, str, bool], ...]  # (dotted key, value as written, --set-string: kept a string)
    loc: Loc
    values: Any = None
    tool: str = "`helm --set`"

    @property
    def label(self) -> str:
        return f"{self.tool} at {self.loc.path}:{self.loc.line}"

    def given(self) -> tuple[dict[str, Any], str] | None:
        """The values the release gives besides its files (inline values, then ``--set``), and where; None
        when it gives none."""
        if not self.sets and not isinstance(self.values, dict):
            return None
        inline = _plain(self.values) if isinstance(self.values, dict) else {}
        return merged(inline, set_values(self.sets)), self.label


def _plain(value: Any) -> Any:
    """``value`` without its YAML positions (plain dicts and lists): a value is then said to come from the
    release's own line, as a ``--set`` one, not from a line number of another file."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def chart_releases(ws: Workspace, charts: set[str]) -> list[Release]:
    """Every release of one of the repository's ``charts`` (chart folders) its runner files deploy with values
    of their own (values files or ``--set``); releases with only the chart's defaults are left out."""
    if not charts:
        return []
    found: list[Release] = []
    for src in runner_files(ws, lambda text: "helm" in text):
        lines = src.text.replace("\\\n", " ").split("\n")
        for number, line in enumerate(lines, 1):
            for match in _HELM_CALL.finditer(line):
                cut = _COMMAND_END.search(line, match.end())
                release = _release(ws, charts, src.rel, match.group(1), line[match.end():cut.start() if cut else None],
                                   Loc(src.rel, number, match.start() + 1))
                if release is not None and release not in found:
                    found.append(release)
    return found


def _release(ws: Workspace, charts: set[str], rel: str, verb: str, text: str, loc: Loc) -> Release | None:
    try:
        words = split(text)
    except ValueError:
        return None
    positional: list[str] = []
    files: list[str] = []
    sets: list[tuple[str, str, bool]] = []
    index = 0
    while index < len(words):
        word = words[index]
        name, eq, value = word.partition("=") if word.startswith("--") else (word, "", "")
        if name in ("-f", "--values", "--set", "--set-string"):
            if not eq:
                if index + 1 >= len(words):
                    return None
                value, index = words[index + 1], index + 1
            if "$" in value or "{{" in value:
                return None  # a file or a value only the run knows: the release is not used
            if name in ("-f", "--values"):
                files += value.split(",")
            else:
                for item in value.split(","):
                    key, equal, setting = item.partition("=")
                    if not equal or "[" in key or "\\" in key:
                        return None
                    sets.append((key, setting, name == "--set-string"))
        elif word.startswith("-"):
            if word in _VALUED and not eq:
                index += 1
        else:
            positional.append(word)
        index += 1
    chart_word = positional[1] if verb != "template" or len(positional) > 1 else (positional[0] if positional else None)
    if verb != "template" and len(positional) < 2 or chart_word is None or "$" in chart_word:
        return None
    folder = posixpath.dirname(rel)
    chart = _existing(chart_word, folder, lambda path: path in charts)
    resolved = [_existing(path, folder, ws.exists) for path in files]
    for path, found in zip(files, resolved):
        if chart is not None and found is None and all(leads_outside(posixpath.join(base, path)) for base in (folder, "")):
            ws.not_read_outside(loc, f"`helm {verb} ... -f {clipped(path)}`",
                                f"this release of `{chart}` is not used (the values it sets, such as replicas, are unknown)")
    if chart is None or any(path is None for path in resolved) or not (resolved or sets):
        return None
    return Release(chart, tuple(path for path in resolved if path is not None), tuple(sets), loc)


def _existing(word: str, folder: str, exists: Any) -> str | None:
    """``word`` as a repository path, relative to ``folder`` first, then the root; None when neither is."""
    for base in (folder, ""):
        path = posixpath.normpath(posixpath.join(base, word)) if base else posixpath.normpath(word)
        path = "" if path == "." else path
        if not path.startswith("../") and exists(path):
            return path
    return None


def set_values(sets: tuple[tuple[str, str, bool], ...]) -> dict[str, Any]:
    """``--set a.b=3,c=x`` as the nested values Helm makes of it (a YAML scalar each: ``3`` an int; a
    ``--set-string`` value stays a string)."""
    values: dict[str, Any] = {}
    for key, text, string in sets:
        node = values
        parts = key.split(".")
        for part in parts[:-1]:
            child = node.get(part)
            node[part] = child = child if isinstance(child, dict) else {}
            node = child
        node[parts[-1]] = text if string else _scalar(text)
    return values


def _scalar(text: str) -> Any:
    """A ``--set`` value as helm's strvals ``typedVal`` makes it (pkg/strvals/parser.go): ``true``/``false``/
    ``null`` in any case, ``0``, a base-10 64-bit integer not starting with ``0`` (``+5``, ``-05``), else the text."""
    lowered = text.lower()
    if lowered in ("true", "false", "null"):
        return None if lowered == "null" else lowered == "true"
    if text == "0":
        return 0
    if not text.startswith("0") and re.fullmatch(r"[+-]?[0-9]{1,19}", text) and -2 ** 63 <= int(text) < 2 ** 63:
        return int(text)
    return text


_ARGO = "argoproj.io/"
_FLUX = "helm.toolkit.fluxcd.io/"


def gitops_releases(ws: Workspace, charts: set[str]) -> list[Release]:
    """The releases of the repository's ``charts`` that GitOps tools deploy, read from their own files as each
    documents them:

    - an Argo CD ``Application`` (``argoproj.io``): each ``spec.source``/``spec.sources`` item whose ``path`` is
      a chart of the repository, with ``helm.valueFiles`` (relative to that path), ``helm.valuesObject`` or
      ``helm.values`` (a YAML string) and ``helm.parameters`` (``name``/``value``, ``forceString``);
    - a Flux ``HelmRelease`` (``helm.toolkit.fluxcd.io``) whose ``spec.chart.spec.chart`` is a chart path of the
      repository (a ``GitRepository`` source): ``spec.chart.spec.valuesFiles`` (from the repository root) and
      ``spec.values``;
    - a ``helmfile.yaml`` (also ``helmfile.d/*.yaml``): each of its ``releases`` whose ``chart`` is a path to a
      repository chart (relative to the helmfile), with its ``values`` (file paths or inline mappings) and
      ``set`` (``name``/``value``).

    A values file that is not in the repository or holds an expression, and a file that is not YAML (a
    helmfile template), leave that release out; nothing runs."""
    if not charts:
        return []
    from hueylint.parsers.yamldocs import load_text, yaml_store

    found: list[Release] = []
    for src in ws.of_format("kubernetes"):
        if _ARGO in src.text or _FLUX in src.text:
            found += [release for release in _manifest_releases(ws, charts, src, load_text, yaml_store)
                      if release not in found]
    helmfiles = [rel for name, rels in ws.names().items() for rel in rels
                 if name in HELMFILE_NAMES or rel.endswith((".yaml", ".yml")) and "/helmfile.d/" in f"/{rel}"]
    for rel in sorted(set(helmfiles)):
        helmfile = ws.file(rel)
        if helmfile is not None and "releases" in helmfile.text:
            found += [release for release in _helmfile_releases(ws, charts, helmfile, load_text, yaml_store)
                      if release not in found]
    return found


def _manifest_releases(ws: Workspace, charts: set[str], src: Any, load_text: Any, yaml_store: Any) -> list[Release]:
    try:
        docs = load_text(src, cache=yaml_store(ws))
    except Exception:  # noqa: BLE001 - a manifest hueylint cannot read deploys nothing it can see
        return []
    found: list[Release] = []
    for doc in docs:
        data = doc.data
        if not isinstance(data, dict) or not isinstance(data.get("spec"), dict):
            continue
        api, kind, spec = str(data.get("apiVersion", "")), data.get("kind"), data["spec"]
        if api.startswith(_ARGO) and kind == "Application":
            sources = ([spec["source"]] if isinstance(spec.get("source"), dict) else []) + \
                [item for item in spec.get("sources") or [] if isinstance(item, dict)]
            for source in sources:
                release = _argo_release(ws, charts, doc, source)
                if release is not None:
                    found.append(release)
        elif api.startswith(_FLUX) and kind == "HelmRelease":
            release = _flux_release(ws, charts, doc, spec)
            if release is not None:
                found.append(release)
    return found


def _argo_release(ws: Workspace, charts: set[str], doc: Any, source: dict) -> Release | None:
    path = source.get("path")
    chart = _existing(str(path), "", lambda rel: rel in charts) if isinstance(path, str) and "$" not in path else None
    given = source.get("helm")
    helm: dict = given if isinstance(given, dict) else {}
    if chart is None:
        return None
    files = [value for value in helm.get("valueFiles") or [] if isinstance(value, str)]
    resolved = [_existing(value, chart, ws.exists) if "$" not in value else None for value in files]
    if any(rel is None for rel in resolved):
        return None
    values = helm.get("valuesObject")
    if not isinstance(values, dict) and isinstance(helm.get("values"), str):
        values = _yaml_mapping(helm["values"])
    sets = tuple((str(item.get("name")), str(item.get("value")), bool(item.get("forceString")))
                 for item in helm.get("parameters") or [] if isinstance(item, dict) and item.get("name"))
    return Release(chart, tuple(rel for rel in resolved if rel is not None), sets, doc.key_loc(source, "path"),
                   values if isinstance(values, dict) else None, "Argo CD Application")


def _flux_release(ws: Workspace, charts: set[str], doc: Any, spec: dict) -> Release | None:
    chart_spec = spec.get("chart", {}).get("spec") if isinstance(spec.get("chart"), dict) else None
    if not isinstance(chart_spec, dict) or not isinstance(chart_spec.get("chart"), str):
        return None
    source = chart_spec.get("sourceRef")
    if isinstance(source, dict) and source.get("kind") not in (None, "GitRepository", "Bucket"):
        return None  # a HelmRepository chart is a name, not a path of this repository
    chart = _existing(chart_spec["chart"], "", lambda rel: rel in charts) if "$" not in chart_spec["chart"] else None
    if chart is None:
        return None
    files = [value for value in chart_spec.get("valuesFiles") or [] if isinstance(value, str)]
    resolved = [_existing(value, "", ws.exists) if "$" not in value else None for value in files]
    if any(rel is None for rel in resolved):
        return None
    values = spec.get("values") if isinstance(spec.get("values"), dict) else None
    return Release(chart, tuple(rel for rel in resolved if rel is not None), (), doc.key_loc(chart_spec, "chart"),
                   values, "Flux HelmRelease")


def _helmfile_releases(ws: Workspace, charts: set[str], src: Any, load_text: Any, yaml_store: Any) -> list[Release]:
    try:
        docs = load_text(src, cache=yaml_store(ws))
    except Exception:  # noqa: BLE001 - a helmfile template that is no YAML until helmfile renders it
        return []
    folder = posixpath.dirname(src.rel)
    found: list[Release] = []
    for doc in docs:
        releases = doc.data.get("releases") if isinstance(doc.data, dict) else None
        for entry in releases if isinstance(releases, list) else []:
            chart_word = entry.get("chart") if isinstance(entry, dict) else None
            if not isinstance(chart_word, str) or "$" in chart_word or "{{" in chart_word:
                continue
            chart = _existing(chart_word, folder, lambda rel: rel in charts)
            if chart is None:
                continue
            files: list[str] = []
            values: Any = None
            for item in entry.get("values") or []:
                if isinstance(item, dict):
                    values = merged(values or {}, item)
                elif isinstance(item, str) and "$" not in item and "{{" not in item:
                    rel = _existing(item, folder, ws.exists)
                    if rel is None:
                        break
                    files.append(rel)
                else:
                    break
            else:
                sets = tuple((str(item.get("name")), str(item.get("value")), False)
                             for item in entry.get("set") or [] if isinstance(item, dict) and item.get("name"))
                found.append(Release(chart, tuple(files), sets, doc.key_loc(entry, "chart"), values,
                                     "helmfile release"))
    return found


def _yaml_mapping(text: str) -> dict | None:
    """Argo CD's ``helm.values``, a YAML string: the mapping it holds, or None (no position is needed)."""
    import yaml  # PyYAML, a dependency; lazy as the other YAML readers

    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError, ValueError):  # values Argo CD would refuse: not used
        return None
    return data if isinstance(data, dict) else None
