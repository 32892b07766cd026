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

from hueylint.locations import Loc
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
    order) and ``--set`` assignments, written at ``loc``."""

    chart: str
    files: tuple[str, ...]
    sets: tuple[tuple[str, str, bool], ...]  # (dotted key, value as written, --set-string: kept a string)
    loc: Loc

    @property
    def label(self) -> str:
        return f"`helm --set` at {self.loc.path}:{self.loc.line}"


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
    if not text.startswith("0") and re.fullmatch(r"[+-]?[0-9]+", text) and -2 ** 63 <= int(text) < 2 ** 63:
        return int(text)
    return text
