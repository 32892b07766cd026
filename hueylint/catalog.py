"""The rule catalog: one TOML file per rule in ``rules/``.

The same files feed ``hueylint rules``, ``hueylint explain``, SARIF rule help
and the example tests, so documentation and behaviour cannot drift apart.
A file is named ``HL101-stop-signal-not-graceful.toml`` and holds::

    id, name, severity, summary, guide, rationale, fix, autofix, tags, precision
    [security] score = 8.1, cwe = [502]
    [[examples]] kind = "bad" | "good", title, format, files = {path = text},
                 expect = [{path, line, column?, message?}], config = {...}, fixed = {path = text}

``autofix`` says what ``hueylint check --fix`` does for the rule: ``"safe"`` (``--fix`` applies it),
``"unsafe"`` (only with ``--unsafe-fixes``) or ``"none"`` (the default: no automatic fix).  ``fixed`` gives
the text of each file the rule's fixes change in a bad example (a test runs ``--fix`` on the example with
only that rule selected and compares).

The optional ``[security]`` table (written before the first ``[[examples]]``) is the rule's security
metadata, as :class:`Security` holds it: ``score``, a CVSS-like number from 0.0 to 10.0 by which GitHub code
scanning ranks the alert (one decimal, as CVSS; >= 9 critical, >= 7 high, >= 4 medium, else low), and ``cwe``, the ids of the CWE
weaknesses it reports (``[502]``: deserialization of untrusted data).  The SARIF reporter publishes them as
the rule's ``security-severity`` and ``external/cwe/cwe-N`` tags; a rule tagged ``security`` without the table
gets a score from its severity.

``column`` (1-based) and ``message`` (a part of the rendered message) are optional: the example tests
check them where an example states them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import field
from pathlib import Path

from hueylint.findings import Severity
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern

RULE_ID = lazy_pattern(r"^HL\d{3}$")


@dataclass(frozen=True)
class Expect:
    """Where a bad example of the catalog must fire: a repo path, a 1-based line, optionally the column
    and a part of the message."""

    path: str
    line: int
    column: int | None = None  # 1-based; None: not checked
    message: str | None = None  # a substring of the finding's message; None: not checked


@dataclass(frozen=True)
class Example:
    """A bad or good example of a rule (``docs/rules/HLxxx.md``): its files by path, the findings it
    must give, the configuration it runs with, and the files after ``--fix``."""

    kind: str  # "bad" | "good"
    title: str
    format: str
    files: dict[str, str]
    expect: tuple[Expect, ...] = ()
    config: dict = field(default_factory=dict)
    fixed: dict[str, str] = field(default_factory=dict)  # path -> text after `--fix` (the rule's fixes only)


AUTOFIX = ("safe", "unsafe", "none")


@dataclass(frozen=True)
class Security:
    """A security rule's ``[security]`` table: ``score`` (CVSS-like, 0.0-10.0) and ``cwe`` (CWE ids)."""

    score: float
    cwe: tuple[int, ...] = ()


@dataclass(frozen=True)
class RuleDoc:
    """One rule of the catalog (``docs/rules/HLxxx.md``): its id, name, default severity, the guide's
    section it enforces, why, the fix, its examples and what ``--fix`` does (``autofix``)."""

    id: str
    name: str
    severity: Severity
    summary: str
    guide: str
    rationale: str
    fix: str
    tags: tuple[str, ...]
    precision: str
    examples: tuple[Example, ...]
    path: Path
    autofix: str = "none"  # safe | unsafe | none: what `check --fix` does for this rule
    security: Security | None = None  # the `[security]` table: score and CWE ids (SARIF security-severity)

    @property
    def help_uri(self) -> str:
        return f"https://github.com/hueylint/hueylint/blob/main/rules/{self.path.name}"

    def formats(self) -> list[str]:
        seen: list[str] = []
        for example in self.examples:
            if example.format not in seen:
                seen.append(example.format)
        return seen


class CatalogError(Exception):
    pass


def catalog_dir() -> Path:
    """Installed wheels carry the catalog inside the package; a checkout has it at the top."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise CatalogError("rule catalog not found (expected hueylint/rules or rules/)")


def _example(data: dict, where: str) -> Example:
    files = data.get("files") or {}
    if not isinstance(files, dict) or not files:
        raise CatalogError(f"{where}: example needs a non-empty 'files' table")
    first = next(iter(files))
    expect = tuple(
        Expect(item.get("path", first), int(item["line"]),
               int(item["column"]) if "column" in item else None, item.get("message"))
        for item in data.get("expect", [])
    )
    kind = data.get("kind", "")
    if kind not in ("bad", "good"):
        raise CatalogError(f"{where}: example kind must be 'bad' or 'good', not {kind!r}")
    if kind == "bad" and not expect:
        raise CatalogError(f"{where}: a bad example must say where it fails ('expect')")
    return Example(
        kind=kind,
        title=data.get("title", ""),
        format=data.get("format", ""),
        files=dict(files),
        expect=expect,
        config=dict(data.get("config", {})),
        fixed=dict(data.get("fixed", {})),
    )


def load_rule(path: Path) -> RuleDoc:
    """The rule of one catalog file (``rules/HL101-stop-signal-not-graceful.toml``, the fields of the module
    docstring).  :class:`CatalogError` naming the file when it cannot be read, is no valid TOML, its ``id``
    does not match the file name, an example is malformed (no files, a kind other than bad/good, a bad example
    without ``expect``), or ``autofix`` / ``[security]`` hold values they cannot; ``KeyError`` when ``name``,
    ``severity``, ``summary`` or ``rationale`` is missing."""
    import tomli  # here and below: a replayed run reads no rule file (4 ms of its start-up)

    try:
        data = tomli.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomli.TOMLDecodeError) as exc:
        raise CatalogError(f"{path.name}: {exc}") from None
    rule_id = data.get("id", "")
    if not RULE_ID.match(rule_id) or not path.name.startswith(rule_id + "-"):
        raise CatalogError(f"{path.name}: id {rule_id!r} does not match the file name")
    if "name" in data and path.name != f"{rule_id}-{data['name']}.toml":
        raise CatalogError(f"{path.name}: name {data['name']!r} does not match the file name "
                           f"({rule_id}-{data['name']}.toml)")
    examples = tuple(
        _example(item, f"{path.name} example {index + 1}")
        for index, item in enumerate(data.get("examples", []))
    )
    return RuleDoc(
        id=rule_id,
        name=data["name"],
        severity=Severity.parse(data["severity"]),
        summary=data["summary"].strip(),
        guide=data.get("guide", "").strip(),
        rationale=data["rationale"].strip(),
        fix=data.get("fix", "").strip(),
        tags=tuple(data.get("tags", [])),
        precision=data.get("precision", "high"),
        examples=examples,
        path=path,
        autofix=_autofix(data, path),
        security=_security(data, path),
    )


def _autofix(data: dict, path: Path) -> str:
    value = data.get("autofix", "none")
    if value not in AUTOFIX:
        raise CatalogError(f"{path.name}: autofix must be one of {', '.join(AUTOFIX)}, not {value!r}")
    return value


def _security(data: dict, path: Path) -> Security | None:
    """The ``[security]`` table, checked; None when the rule has none."""
    table = data.get("security")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise CatalogError(f"{path.name}: security must be a table (`[security]` with score and cwe)")
    unknown = sorted(set(table) - {"score", "cwe"})
    if unknown:
        raise CatalogError(f"{path.name}: [security] has unknown keys: {', '.join(unknown)}")
    score, cwe = table.get("score"), table.get("cwe", [])
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 10 \
            or round(score, 1) != score:
        raise CatalogError(f"{path.name}: [security] needs a score from 0.0 to 10.0 with one decimal, not {score!r}")
    if not isinstance(cwe, list) or not all(isinstance(item, int) and not isinstance(item, bool) and item > 0
                                            for item in cwe):
        raise CatalogError(f"{path.name}: [security] cwe must be a list of CWE ids (numbers), not {cwe!r}")
    return Security(float(score), tuple(cwe))


@functools.cache
def load_catalog() -> dict[str, RuleDoc]:
    """Every rule of the catalog (:func:`catalog_dir`), ``{id: RuleDoc}`` in id order, parsed once per process;
    :class:`CatalogError` from the first file :func:`load_rule` refuses."""
    rules: dict[str, RuleDoc] = {}
    for path in sorted(catalog_dir().glob("HL*.toml")):
        doc = load_rule(path)
        rules[doc.id] = doc
    return rules


def rule_ids() -> list[str]:
    """The catalog's rule ids, sorted, read from its file names (``HL101-stop-signal.toml`` -> ``HL101``)
    without parsing the rules: every run needs the ids, few need a rule's text. A name without a valid
    id is a :class:`CatalogError`, as :func:`load_rule` says."""
    return list(_ids())


@functools.cache
def _ids() -> tuple[str, ...]:
    return tuple(rule_names())


@functools.cache
def rule_names() -> dict[str, str]:
    """``{id: name}`` of every rule, read from the catalog's file names (``HL101-stop-signal-not-graceful.toml``;
    :func:`load_rule` refuses a file whose ``name`` differs) without parsing a rule: what the text, JSON,
    GitHub and baseline formats print beside a finding (parsing the 34 rules took 19 ms of every run)."""
    names: dict[str, str] = {}
    for path in sorted(catalog_dir().glob("HL*.toml")):
        rule_id, _, name = path.name.removesuffix(".toml").partition("-")
        if not RULE_ID.match(rule_id):
            raise CatalogError(f"{path.name}: the file name does not start with a rule id (HL123-name.toml)")
        names[rule_id] = name
    return names


#: a TOML table header at a line start: the file's top-level keys (id, name, severity...) all come before it
_TABLE_HEADER = lazy_pattern(r"^[ \t]*\[", re.M)


@functools.cache
def rule_severity(rule_id: str) -> Severity | None:
    """A rule's default severity (None: no such rule), what every run needs for each rule that found
    something: read from the part of its file before the first table (``[[examples]]``), where TOML keeps
    every top-level key, not from the whole file (parsing the 34 rules' examples took 17 ms a run; their
    heads, 3 ms).  A head that does not parse alone (a header-like line inside a multi-line string cuts
    a value short) is read with the whole file (:func:`rule_doc`)."""
    import tomli

    for path in sorted(catalog_dir().glob(f"{rule_id}-*.toml")) if RULE_ID.match(rule_id) else ():
        try:
            text = path.read_text(encoding="utf-8")
            header = _TABLE_HEADER.search(text)
            return Severity.parse(tomli.loads(text[:header.start()] if header else text)["severity"])
        except (OSError, tomli.TOMLDecodeError, KeyError, ValueError, AttributeError):
            doc = rule_doc(rule_id)  # the whole file: its CatalogError, or its severity
            return doc.severity if doc is not None else None
    return None


@functools.cache
def rule_doc(rule_id: str) -> RuleDoc | None:
    """One rule's documentation, parsing only its own file (None: no such rule)."""
    for path in sorted(catalog_dir().glob(f"{rule_id}-*.toml")) if RULE_ID.match(rule_id) else ():
        return load_rule(path)
    return None
