"""Helm chart templates read without the helm binary.

Most Kubernetes deployments of huey apps live in charts, whose ``templates/*.yaml`` are not YAML
until rendered.  We make them YAML while keeping every line where it was:

* control lines (``{{- if }}``, ``{{- else }}``, ``{{- end }}``, ``{{- with }}``, ``{{- range }}``,
  ``{{- define }}``, ``{{- include ... | nindent N }}``, comments) become empty lines; an ``if`` on a
  simple ``.Values`` path is decided from ``values.yaml`` (the other branch is blanked), an
  undecidable one keeps its first branch;
* a simple lookup ``{{ .Values.a.b }}`` (optionally ``| quote``, ``| default x``, ``| int``) is
  replaced by its ``values.yaml`` default and the line remembers it was templated (messages say so);
* any other placeholder becomes a marker string, which the model turns into an unknown value.

A template whose ``Chart.yaml`` is not among the checked files is still a chart template (its chart is
the folder above ``templates/``); without a ``values.yaml`` every ``.Values`` lookup is unknown and every
``if`` on one keeps its first branch.  Only a template that still is not YAML after that gets an HL001,
one per chart, which says how to lint the rendered output instead.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import field
from typing import Any, Callable, Sequence

from hueylint.parsers.yamldocs import MARKER, Doc, YamlError, load_text, yaml_store
from hueylint.parsers.yamldocs import load as load_yaml
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile

RENDER_HINT = "helm template . | hueylint check --stdin-filename rendered.yaml -"
_ACTION = lazy_pattern(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
_VALUES_PATH = lazy_pattern(r"^\$?\.Values((?:\.[A-Za-z_][\w-]*)+)$")
# one action, then a YAML comment: the action's text and nothing else (no second action, no quote in the comment)
_HELPER_CALL = lazy_pattern(r'^(?:include|template)\s+"([^"]+)"\s+[.$]$')
_OVERRIDE_HELPER = lazy_pattern(r'\{\{-?\s*define\s+"([^"]+)"\s*-?\}\}\s*\{\{-?\s*if\s+\.Values\.fullnameOverride\s*-?\}\}'
                              r'\s*\{\{-?\s*\.Values\.fullnameOverride\s*\|\s*trunc\s+63\s*\|\s*trimSuffix\s+"-"\s*-?\}\}')
_RAW_STRING_ACTION = lazy_pattern(r"\{\{[ \t]*`([^`]*)`[ \t]*\}\}")
_COMMENTED_ACTION = lazy_pattern(r"^(\{\{(?:(?!\}\}).)*\}\})[ \t]+#[^{}\"'`]*$")


@dataclass
class Chart:
    """One Helm chart: its folder (repo path), the parsed ``values.yaml`` and the YAML documents of its
    templates, rendered with those values; ``error``: the first template that is not YAML (rel, line,
    col, why)."""

    root: str  # repo-relative chart folder
    values: Any = None
    values_src: SourceFile | None = None
    docs: list[Doc] = field(default_factory=list)
    error: tuple[str, int, int, str] | None = None  # first template that is not YAML: rel, line, col, why
    #: a subchart its parent's values switch off (the dependency's ``condition`` is false): why, else ""
    disabled: str = ""


@dataclass(frozen=True)
class ParentChart:
    """The chart a subchart (``PARENT/charts/NAME/``) is a dependency of, as Helm renders it ("Charts",
    "Subcharts and Global Values"): the parent's values under ``key`` (the dependency's ``alias``, else the
    subchart's ``name``) override the subchart's ``values.yaml``, and the parent's ``global:`` is the
    subchart's ``.Values.global`` too; the dependency's ``condition`` (YAML paths, comma-separated) switches
    it off when the first of them the parent's values hold is false; without such a path, its ``tags`` decide
    from the parent's ``tags:`` values ("Tags and Condition Resolution": on when any of its tags is true, off
    when none is and one is false).  ``root``: the parent chart's folder; ``condition_at``: where the
    dependency is written (``Chart.yaml`` or Helm 2's ``requirements.yaml``)."""

    root: str
    key: str
    condition: tuple[str, ...] = ()
    condition_at: str = ""
    tags: tuple[str, ...] = ()  # the dependency's ``tags``: on when any is true, off when none is and one is false


def parent_chart(ws, root: str) -> ParentChart | None:  # ws: a Workspace
    """The parent of the chart at ``root`` when ``root`` is ``PARENT/charts/NAME`` and ``PARENT`` holds a
    ``Chart.yaml``; None otherwise (one level: a grandparent's values are not read)."""
    parts = root.split("/") if root else []
    if len(parts) < 2 or parts[-2] != "charts":
        return None
    parent = "/".join(parts[:-2])
    meta = _mapping(ws, posixpath.join(parent, "Chart.yaml") if parent else "Chart.yaml")
    if meta is None:
        return None
    own = _mapping(ws, posixpath.join(root, "Chart.yaml"))
    name = str(own.get("name") or parts[-1]) if own is not None else parts[-1]
    where = posixpath.join(parent, "Chart.yaml") if parent else "Chart.yaml"
    dependencies = meta.get("dependencies")
    if not isinstance(dependencies, list):  # Helm 2 (apiVersion v1) lists them in requirements.yaml
        where = posixpath.join(parent, "requirements.yaml") if parent else "requirements.yaml"
        requirements = _mapping(ws, where)
        dependencies = requirements.get("dependencies") if requirements is not None else None
    for dependency in dependencies if isinstance(dependencies, list) else []:
        if isinstance(dependency, dict) and str(dependency.get("name", "")) == name:
            condition = dependency.get("condition")
            paths = tuple(path.strip() for path in condition.split(",") if path.strip()) \
                if isinstance(condition, str) else ()
            tags = dependency.get("tags")
            labels = tuple(str(tag) for tag in tags if isinstance(tag, str)) if isinstance(tags, list) else ()
            return ParentChart(parent, str(dependency.get("alias") or name), paths, where, labels)
    return ParentChart(parent, name)


def parent_layers(ws, parent: ParentChart, files: Sequence[str] = (),  # ws: a Workspace
                  sets: tuple[dict[str, Any], str] | None = None) -> list[tuple[Any, str]]:
    """The subchart's share of the parent's values (its ``values.yaml``, then ``files``, the values files a
    release of the parent is deployed with, then its ``--set`` values), as ``(values, where)`` layers over
    the subchart's own: the section under ``parent.key`` and, apart, ``{"global": ...}`` (each layer keeps
    its own YAML nodes, so a value's line is still known)."""
    layers: list[tuple[Any, str]] = []
    sources: list[tuple[Any, str]] = []
    for rel in (posixpath.join(parent.root, "values.yaml") if parent.root else "values.yaml", *files):
        data = _mapping(ws, rel)
        if data is not None:
            sources.append((data, rel))
    if sets is not None:
        sources.append(sets)
    for data, where in sources:
        section = data.get(parent.key) if isinstance(data, dict) else None
        if isinstance(section, dict):
            layers.append((section, where))
        shared = data.get("global") if isinstance(data, dict) else None
        if isinstance(shared, dict):
            layers.append(({"global": shared}, where))
    return layers


def parent_disables(ws, parent: ParentChart, files: Sequence[str] = (),  # ws: a Workspace
                    sets: tuple[dict[str, Any], str] | None = None) -> str:
    """Why the parent's values (``values.yaml``, then ``files`` and ``sets`` as a release gives them) switch the
    subchart off (``"condition `worker.enabled` is false (deploy/values.yaml:3)"``), or "" when they do not:
    the first condition path they hold decides, and a path they do not hold, or a value that is no
    boolean, leaves the subchart on (Helm prints a warning and renders it)."""
    if not parent.condition and not parent.tags:
        return ""
    paths = (*parent.condition, *(f"tags.{tag}" for tag in parent.tags))
    values: Any = {}
    where: dict[str, str] = {}
    for rel in (posixpath.join(parent.root, "values.yaml") if parent.root else "values.yaml", *files):
        data = _mapping(ws, rel)
        if data is not None:
            values = merged(values, data)
            where.update({path: rel for path in paths if lookup(data, path)[0]})
    if sets is not None:
        values = merged(values, sets[0])
        where.update({path: sets[1] for path in paths if lookup(sets[0], path)[0]})
    for path in parent.condition:
        found, value = lookup(values, path)
        if found and isinstance(value, bool):
            if value:
                return ""
            return f"its condition `{path}` ({parent.condition_at}) is false in {where.get(path, 'the values')}"
    tagged = [(path, value) for path in paths[len(parent.condition):]
              for found, value in (lookup(values, path),) if found and isinstance(value, bool)]
    if tagged and not any(value for _path, value in tagged):
        path = tagged[0][0]
        return f"its tag `{path[5:]}` ({parent.condition_at}) is false in {where.get(path, 'the values')}"
    return ""


def _mapping(ws, rel: str) -> dict | None:  # ws: a Workspace
    """The first YAML document of repository file ``rel`` when it is a mapping; None otherwise."""
    src = ws.file(rel)
    docs = load_yaml(ws, src) if src is not None else None
    return docs[0].data if docs and isinstance(docs[0].data, dict) else None


def chart_root(rel: str, chart_roots: set[str]) -> str | None:
    """The chart folder a template belongs to (``chart/templates/x.yaml`` -> ``chart``)."""
    parts = rel.split("/")
    for index in range(len(parts) - 1, -1, -1):
        candidate = "/".join(parts[:index])
        if candidate in chart_roots and "templates" in parts[index:-1]:
            return candidate
    return None


def template_chart_root(rel: str) -> str:
    """The chart folder of a template by Helm's layout alone (``chart/templates/x.yaml`` -> ``chart``), for a
    template whose ``Chart.yaml`` is not among the checked files (a partial checkout, a template named on
    the command line); the template's own folder when no ``templates/`` folder holds it."""
    parts = rel.split("/")[:-1]
    if "templates" not in parts:
        return "/".join(parts)
    return "/".join(parts[:len(parts) - 1 - parts[::-1].index("templates")])


def lookup(values: Any, path: str) -> tuple[bool, Any]:
    node = values
    for part in path.strip(".").split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False, None
    return True, node


def _value_line(values: Any, path: str) -> int:
    parts = path.strip(".").split(".")
    node = values
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    lc = getattr(node, "lc", None)
    try:
        return int(lc.key(parts[-1])[0]) + 1  # type: ignore[union-attr]
    except (AttributeError, KeyError, TypeError):
        return 0


def merged(base: Any, override: Any) -> Any:
    """The values ``helm -f override.yaml`` renders with: maps merged key by key, any other value replaced, a
    null deleting the key (Helm coalesces values so); the override's own nodes are kept, with their positions."""
    if not isinstance(base, dict) or not isinstance(override, dict):
        return override
    result = dict(base)
    for key, value in override.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merged(base.get(key), value) if isinstance(value, dict) else value
    return result


#: a chart's values files beside ``values.yaml`` (``values-prod.yaml``, ``values.staging.yaml``): each is a way
#: the chart is deployed (``helm upgrade -f values-prod.yaml``)
OVERRIDE_NAME = lazy_pattern(r"^values[-._].+[.]ya?ml$", re.I)


def override_files(ws, root: str) -> list[str]:  # ws: a Workspace
    """The repository paths of the chart's values override files (:data:`OVERRIDE_NAME`), sorted."""
    names = ws.list_folder(root or ".") or []
    return [posixpath.join(root, name) if root else name for name in names
            if OVERRIDE_NAME.match(name) and name.lower() not in ("values.yaml", "values.yml")]


class _Renderer:
    def __init__(self, values: Any, values_rel: str, values_known: bool = True,
                 overrides: Sequence[tuple[Any, str]] = (), override_names: frozenset[str] = frozenset(),
                 skip: frozenset[int] = frozenset()) -> None:
        self.values = values
        # helpers (``define "app.fullname"``) that print ``.Values.fullnameOverride`` when it is set, as
        # ``helm create``'s _helpers.tpl does: :func:`override_helpers`
        self.override_names = override_names
        self.values_rel = values_rel
        # (values, where they come from) of each override, in order: a value is shown from the last one giving it
        self.overrides = list(overrides)
        self.values_known = values_known  # False: no values.yaml, so an `if .Values.x` is undecidable
        self.placeholders: dict[int, str] = {}
        self.notes: dict[int, str] = {}
        self.dropped: set[int] = set()  # lines of actions whose YAML output is not rendered (Doc.dropped)
        self.dot: str | None = None  # inside `{{ with .Values.x }}`: ".Values.x", what `.y` is relative to
        self.expanded: list[int] = []  # lines where a `toYaml` value was written (:meth:`yaml_value`)
        self.skip = skip  # lines whose `toYaml` is not written: its flow form was no YAML there (:func:`load_chart`)

    def marker(self, text: str) -> str:
        number = len(self.placeholders) + 1
        self.placeholders[number] = text
        return f"{MARKER}{number}__"

    def pipeline(self, expr: str) -> tuple[bool, Any, str, bool] | None:
        """``(found, value, values path, quoted)`` of a pipeline on one ``.Values`` lookup (``default``,
        ``quote``, ``int`` and the like after it, or as calls around it), None when it is no such pipeline."""
        stages = _as_pipeline([part.strip() for part in expr.split("|")], self.absolute)
        match = _VALUES_PATH.match(stages[0]) if stages else None
        if match is None:
            return None
        found, value = lookup(self.values, match.group(1))
        quote = False
        for stage in stages[1:]:
            words = stage.split(None, 1)
            if words and words[0] == "default" and len(words) == 2:
                if not found or value in (None, "", 0, False):
                    literal = words[1].strip()
                    try:
                        value, found = json.loads(literal), True
                    except (ValueError, RecursionError):
                        return None
            elif words and words[0] in ("quote", "squote"):
                quote = True
            elif words and (words[0] in ("int", "int64", "toString", "trim", "lower", "upper")
                            or words[0] == "required" and len(words) == 2):  # `required`: the value, or no render
                continue
            else:
                return None
        return found, value, match.group(1), quote

    def scalar(self, expr: str, original: str, line: int) -> str:
        """One inline placeholder: its values.yaml default, or a marker."""
        result = self.pipeline(expr)
        helper = _HELPER_CALL.match(expr.strip())
        if result is None and helper is not None and helper.group(1) in self.override_names:
            result = self.pipeline(".Values.fullnameOverride")  # set: the helper prints it (trunc 63, no "-" end)
            if result is not None and isinstance(result[1], str) and result[1]:
                name = result[1][:63]
                result = (result[0], name[:-1] if name.endswith("-") else name, result[2], False)  # one "-"
            else:
                result = None  # unset: `<release>-<chart>`, the release name is not known
        if result is None:
            return self.marker(original)
        found, value, path, quote = result
        if not found or isinstance(value, (dict, list)) or value is None:
            return self.marker(original)
        shown = "true" if value is True else "false" if value is False else str(value)
        self._note(line, original, path, shown)
        text = shown
        return json.dumps(text) if quote else text

    def _note(self, line: int, original: str, path: str, shown: str) -> None:
        """Remember that ``line`` prints the value at ``path`` (``shown``), and which values file gave it."""
        own, rel = next(((values, where) for values, where in reversed(self.overrides) if lookup(values, path)[0]),
                        (self.values, self.values_rel))
        where = _value_line(own, path)
        source = f"{rel}:{where}" if where else rel
        judged = f"its default {shown}" if rel == self.values_rel else shown  # an override file's value: no default
        note = f"templated `{original.strip()}`, judged with {judged} from {source}"
        self.notes[line] = note if line not in self.notes else self.notes[line] + "; " + note

    def yaml_value(self, expr: str, original: str, line: int) -> str | None:
        """The text of ``toYaml X | nindent N`` (or ``toJson X``, or ``X | toYaml``) on a ``.Values`` lookup X (also ``.`` or ``.y``
        inside a ``with`` block) whose value values.yaml gives, as the one-line flow form YAML reads the same
        (JSON), and its note; None for any other action, an unknown value or one holding template text.  The
        caller writes it only where it is a key's whole value (the line above ends with ``key:``), so the
        template keeps its lines; :func:`load_chart` leaves it unrendered where the result is no YAML."""
        if line in self.skip:
            return None
        stages = [part.strip() for part in expr.split("|")]
        words = stages[0].split() if stages else []
        if len(words) == 1 and len(stages) > 1 and stages[1] in ("toYaml", "toJson"):
            words, stages = [stages[1], words[0]], stages[1:]  # `.Values.x | toYaml`: the same call
        if len(words) != 2 or words[0] not in ("toYaml", "toJson") or any(
                not re.fullmatch(r"nindent\s+\d+", stage) for stage in stages[1:]):
            return None
        match = _VALUES_PATH.match(self.absolute(words[1]))
        if match is None:
            return None
        found, value = lookup(self.values, match.group(1))
        if not found or value is None or (isinstance(value, (dict, list)) and not value):
            return None
        try:
            text = json.dumps(value)
        except (TypeError, ValueError, RecursionError):
            return None
        if "{{" in text:
            return None
        self._note(line, original, match.group(1), text)
        self.expanded.append(line)
        return text

    def condition(self, expr: str) -> bool | None:
        """An ``if``'s truth from values.yaml, as Go templates judge it: ``.Values.x``, ``not``, ``and`` /
        ``or`` over such operands (every one decided, else None), ``eq`` / ``ne`` of a lookup and a literal;
        an operand may be a parenthesised pipeline on a lookup (``eq (default "single" .Values.mode) "ha"``)."""
        words = _TOKEN.findall(expr)
        negate = False
        if words and words[0] == "not":
            negate, words = True, words[1:]
        if len(words) >= 2 and words[0] in ("and", "or"):
            truths = [self._truth(word) for word in words[1:]]
            if any(truth is None for truth in truths):
                return None
            truth = all(truths) if words[0] == "and" else any(truths)
        elif len(words) == 3 and words[0] in ("eq", "ne"):
            found, value = self._lookup(words[1])
            literal = _literal(words[2])
            if found is None or literal is None:
                return None
            truth = found and value == literal[0]
            truth = truth if words[0] == "eq" else not truth
        elif len(words) == 1:
            decided = self._truth(words[0])
            if decided is None:
                return None
            truth = decided
        else:
            return None
        return (not truth) if negate else truth

    def absolute(self, word: str) -> str:
        """``word`` with the dot a ``with .Values.x`` block binds made explicit: ``.y`` -> ``.Values.x.y``,
        ``.`` -> ``.Values.x``; other words as they are."""
        if self.dot is None or _VALUES_PATH.match(word):
            return word
        if word == ".":
            return self.dot
        if _FIELD_PATH.match(word) and word.split(".")[1] not in _BUILT_INS:
            return self.dot + word
        return word

    def _lookup(self, word: str) -> tuple[bool | None, Any]:
        """``(found, value)`` of a ``.Values`` path; found is None when the word is no such path or there is
        no values.yaml to look it up in."""
        if word.startswith("(") and word.endswith(")"):  # a sub-pipeline: `(default "x" .Values.mode)`
            result = self.pipeline(word[1:-1].strip())
            if result is None:
                return None, None
            found, value = result[0], result[1]
        else:
            match = _VALUES_PATH.match(self.absolute(word))
            if match is None:
                return None, None
            found, value = lookup(self.values, match.group(1))
        if not found and not self.values_known:
            return None, None
        return found, value

    def _truth(self, word: str) -> bool | None:
        found, value = self._lookup(word)
        if found is None:
            return None
        return bool(value) if found else False

    def render(self, text: str) -> str:
        # an action that prints a Go raw string (``{{`{{- with secret "x" }}`}}``, a Vault agent template in an
        # annotation) outputs its text verbatim, over several lines too: its braces are no actions of this
        # template (they were read as `range`/`end` lines, and the template was no YAML)
        text = _RAW_STRING_ACTION.sub(lambda m: m.group(1).replace("{{", "{ {").replace("}}", "} }"), text)
        lines = text.split("\n")
        out: list[str] = []
        # stack of (keep this branch?, a branch was already taken)
        stack: list[tuple[bool, bool]] = []
        dots: list[str | None] = []  # the dot outside each open block
        for number, line in enumerate(lines, start=1):
            stripped = line.strip()
            control = self._control(stripped)
            if control is not None:
                kind, expr = control
                if kind in ("if", "with", "range"):
                    decided = self.condition(expr) if kind != "range" else True
                    keep = True if decided is None else decided
                    stack.append((keep, keep))
                    dots.append(self.dot)
                    if kind == "with":  # the block's dot is the value; `range` binds each item: unknown
                        target = self.absolute(expr.strip())
                        self.dot = target if _VALUES_PATH.match(target) else None
                    elif kind == "range":
                        self.dot = None
                elif kind == "else" and stack:
                    _keep, taken = stack[-1]
                    cond = expr[2:].strip() if expr.startswith("if") else ""
                    self.dot = dots[-1]  # a `with`'s else branch runs with the outer dot
                    decided = (self.condition(cond) if cond else True) if not taken else False
                    keep = bool(decided) if decided is not None else False
                    stack[-1] = (keep, taken or keep)
                elif kind == "end" and stack:
                    stack.pop()
                    self.dot = dots.pop()
                elif kind == "define":
                    stack.append((False, True))
                    dots.append(self.dot)
                elif kind == "emit" and all(keep for keep, _ in stack):
                    above = next((text for text in reversed(out) if text.strip()), "")
                    body = _ACTION.fullmatch(stripped)
                    shown = self.yaml_value(body.group(1), stripped, number) \
                        if body is not None and above.rstrip().endswith(":") else None
                    indent = _NINDENT.search(stripped)
                    if shown is not None and indent is not None:
                        out.append(" " * int(indent.group(1)) + shown)  # the key's value, on the action's line
                        continue
                    self.dropped.add(number)  # YAML the template emits here is not rendered
                out.append("")
                continue
            if stack and not all(keep for keep, _ in stack):
                out.append("")
                continue

            def placeholder(m: re.Match[str], line_no: int = number, text: str = line) -> str:
                if text[:m.start()].rstrip().endswith(":"):  # `command: {{- toYaml .Values.x | nindent 12 }}`
                    shown = self.yaml_value(m.group(1), m.group(0), line_no)
                    if shown is not None:
                        return " " + shown
                return self.scalar(m.group(1), m.group(0), line_no)

            out.append(_ACTION.sub(placeholder, line))
        return "\n".join(out)

    @staticmethod
    def _control(stripped: str) -> tuple[str, str] | None:
        """``(kind, expression)`` when the whole line is one template action that emits no YAML, also followed by a
        YAML comment (``{{- if .Values.clone }} # when cloning``: helm leaves `` # when cloning``, a comment)."""
        if not stripped.startswith("{{"):
            return None
        if not stripped.endswith("}}"):
            commented = _COMMENTED_ACTION.match(stripped)
            if commented is None:
                return None
            stripped = commented.group(1)
        match = _ACTION.fullmatch(stripped)
        if match is None:
            return None
        body = match.group(1).strip()
        if body.startswith("/*") or body.startswith("- /*"):
            return "comment", ""
        word = body.split(None, 1)[0] if body else ""
        rest = body[len(word):].strip()
        if word in ("if", "with", "range", "else", "end", "define", "block"):
            return word, rest
        if word in ("include", "template", "toYaml", "tpl", "fail") or "nindent" in body or "indent" in body or \
                re.match(r"^\$[\w]*\s*:?=", body):
            return "emit", rest
        return None


_FIELD_PATH = lazy_pattern(r"^(?:\.[A-Za-z_][\w-]*)+$")
_NINDENT = lazy_pattern(r"\|\s*nindent\s+(\d+)\s*-?\}\}$")
_BUILT_INS = ("Values", "Release", "Chart", "Capabilities", "Template", "Files")
_TOKEN = lazy_pattern(r'\([^()]*\)|"(?:\\.|[^"\\])*"|`[^`]*`|\S+')
# functions whose last argument is the value they work on (`f a .Values.x` is `.Values.x | f a` in Go
# templates), by their number of arguments
_PIPED_FUNCTIONS = {"default": 2, "required": 2, "quote": 1, "squote": 1, "int": 1, "int64": 1, "toString": 1,
                    "trim": 1, "lower": 1, "upper": 1}


def _as_pipeline(stages: list[str], absolute: Callable[[str], str]) -> list[str]:
    """A first stage written as a call, ``default 1 .Values.x`` or ``quote .Values.x``, as the pipeline Go
    templates make of it (the piped value is a function's last argument): ``[".Values.x", "default 1"]``;
    ``absolute`` makes a lookup relative to a ``with`` block's dot explicit."""
    if not stages:
        return stages
    words = _TOKEN.findall(stages[0])
    if words and len(words) == _PIPED_FUNCTIONS.get(words[0], -1) + 1 and _VALUES_PATH.match(absolute(words[-1])):
        return [absolute(words[-1]), " ".join(words[:-1]), *stages[1:]]
    return [absolute(stages[0]), *stages[1:]]


def _literal(word: str) -> tuple[Any] | None:
    """A Go template literal (a quoted string, a number, true/false) as a one-tuple, else None."""
    if word.startswith("`") and word.endswith("`") and len(word) >= 2:
        return (word[1:-1],)
    try:
        return (json.loads(word),)
    except (ValueError, RecursionError):
        return None


def override_helpers(ws, root: str) -> frozenset[str]:  # ws: a Workspace
    """The chart's named templates (``templates/_helpers.tpl``) that print ``.Values.fullnameOverride`` when
    it is set, before anything else (``{{- define "app.fullname" -}}{{- if .Values.fullnameOverride }}{{-
    .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}``, as ``helm create`` writes them): ``{{ include
    "app.fullname" . }}`` is then that value (a helper printing anything else there stays unknown)."""
    found: set[str] = set()
    folder = posixpath.join(root, "templates") if root else "templates"
    for rel in ws.glob_files(posixpath.join(folder, "_*.tpl")):
        src = ws.file(rel)
        for match in _OVERRIDE_HELPER.finditer(src.text if src is not None else ""):
            found.add(match.group(1))
    return frozenset(found)


def load_chart(ws, root: str, templates: list[SourceFile], overrides: Sequence[str] = (),  # ws: a Workspace
               sets: tuple[dict[str, Any], str] | None = None, parent_files: Sequence[str] = (),
               parent_sets: tuple[dict[str, Any], str] | None = None) -> Chart:
    """Values and every template of the chart at ``root``, rendered as described above; with ``overrides``
    (repository values files: :func:`override_files`, a release's ``-f``) and ``sets`` (``--set`` values and
    where they are written) as ``helm -f ... --set ...`` renders it.  A subchart (:func:`parent_chart`) gets
    its parent's values first (:func:`parent_layers`: the parent's ``values.yaml``, then ``parent_files`` and
    ``parent_sets``, a release of the parent), and ``disabled`` says when they switch it off."""
    chart = Chart(root)
    values_rel = posixpath.join(root, "values.yaml") if root else "values.yaml"
    values_src = ws.file(values_rel)
    if values_src is not None:
        docs = load_yaml(ws, values_src)
        chart.values = docs[0].data if docs else {}
        chart.values_src = values_src
    extra: list[tuple[Any, str]] = []
    parent = parent_chart(ws, root)
    if parent is not None:
        extra += parent_layers(ws, parent, parent_files, parent_sets)
        chart.disabled = parent_disables(ws, parent, parent_files, parent_sets)
    for override in overrides:
        override_src = ws.file(override)
        found = load_yaml(ws, override_src) if override_src is not None else None
        extra.append((found[0].data if found and isinstance(found[0].data, dict) else {}, override))
    if sets is not None:
        extra.append(sets)
    for values, _where in extra:
        chart.values = merged(chart.values or {}, values)
    fullname = chart.values.get("fullnameOverride") if isinstance(chart.values, dict) else None
    helpers = override_helpers(ws, root) if isinstance(fullname, str) and fullname else frozenset()
    for src in sorted(templates, key=lambda s: s.rel):
        renderer = _Renderer(chart.values or {}, values_rel, values_src is not None or bool(extra), extra, helpers)
        rendered = renderer.render(src.text) if "{{" in src.text else src.text
        skip: set[int] = set()
        while True:
            try:
                docs = load_text(src, rendered, yaml_store(ws))
                break
            except YamlError as exc:
                error, docs = exc, None
            # a `toYaml` value written in flow form that is no YAML there (more keys or items follow it under the
            # same key): that action as unrendered, the nearest one above the error first, and again
            expanded = sorted(set(renderer.expanded) - skip)
            if not expanded:
                break
            skip.add(max((line for line in expanded if line <= error.line + 1), default=expanded[-1]))
            renderer = _Renderer(chart.values or {}, values_rel, values_src is not None or bool(extra), extra,
                                 helpers, skip=frozenset(skip))
            rendered = renderer.render(src.text)
        if docs is None:
            if chart.error is None:
                chart.error = (src.rel, error.line, error.col, str(error))
            continue
        # one copy per template, shared by its documents (read only): a copy each was quadratic in memory,
        # 1,600 documents of one file held 2.6 million placeholder entries (380 MB)
        placeholders, notes, dropped = dict(renderer.placeholders), dict(renderer.notes), frozenset(renderer.dropped)
        for doc in docs:
            doc.placeholders, doc.notes, doc.dropped = placeholders, notes, dropped
            chart.docs.append(doc)
    return chart
