"""SARIF 2.1.0 for GitHub code scanning.

Written against the OASIS schema and GitHub's documented subset
(docs.github.com, "SARIF support for code scanning"):

- ``tool.driver`` names every rule of the catalog with its help (text and the
  same Markdown page ``hueylint explain`` renders), tags, precision and, for the
  security rules, ``security-severity`` so GitHub ranks them as security alerts.
- Every result has one physical location whose URI is relative to the
  repository root (``uriBaseId: %SRCROOT%``). Paths in findings are already
  repo-relative, so the URI is the same whether hueylint ran from a subfolder
  or with absolute paths, and GitHub can map it onto the checkout.
- ``partialFingerprints.primaryLocationLineHash`` comes from
  :mod:`hueylint.fingerprints`, so alerts survive lines inserted above them.
- Files hueylint skipped or could not read become ``toolExecutionNotifications``, and so do the run's
  warnings (what it could not look at: no deployment file analysed, a configuration that did not apply), at
  level ``warning`` with the descriptor ``run-warning``: GitHub shows an invocation's notifications on the
  tool status page, where a run that checked nothing must not look clean.
"""

from __future__ import annotations

import json
import os
import posixpath
from pathlib import Path
from urllib.parse import quote

from hueylint import __version__
from hueylint.catalog import RuleDoc, load_catalog
from hueylint.findings import Finding, Fix, Severity
from hueylint.locations import Loc
from hueylint.reporters import ReportOptions, internal_errors, notice_line, report_path
from hueylint.terminal import printable

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/hueylint/hueylint"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}
SRCROOT = "%SRCROOT%"
# GitHub's ``problem.severity`` for non-security alerts knows error, warning and recommendation.
PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "recommendation"}

# GitHub ranks alerts of rules tagged "security" by a CVSS-like score (>= 9 critical, >= 7 high, >= 4 medium):
# the catalog's `[security]` table gives it (with CWE ids); any other rule the catalog tags "security" gets a
# score from its default severity.
SECURITY_BY_SEVERITY = {Severity.ERROR: "7.0", Severity.WARNING: "5.0", Severity.NOTE: "3.0"}


def _uri(path: str, root: Path | None = None) -> tuple[str, str | None]:
    """A URI reference for a root-relative path, and its base id; a file outside the run root (an
    absolute path, or ``../`` from ``root``) gets an absolute ``file:`` URI and no base. Names are
    percent-encoded from their raw bytes (a non-UTF-8 name, decoded with surrogateescape, keeps its
    bytes: ``d%E9ploiement``)."""
    path = path.replace("\\", "/")
    if path.startswith("../") or path == "..":
        path = report_path(root if root is not None else Path.cwd(), path)
    if path.startswith("/"):
        return Path(posixpath.normpath(path)).as_uri(), None
    return quote(os.fsencode(posixpath.normpath(path)), safe="/"), SRCROOT


def _artifact(path: str, root: Path | None = None) -> dict:
    uri, base = _uri(path, root)
    return {"uri": uri, "uriBaseId": base} if base else {"uri": uri}


def _region(loc: Loc) -> dict:
    """1-based region; ``endColumn`` is exclusive, as in :class:`Loc`. Whole-file locations cover line 1."""
    start_line = max(loc.line, 1)
    start_col = max(loc.col, 1)
    end_line = max(loc.end_line, start_line)
    end_col = loc.end_col if loc.end_col >= 1 else start_col
    if end_line == start_line:
        end_col = max(end_col, start_col)
    return {"startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col}


def _location(loc: Loc, message: str | None = None, root: Path | None = None) -> dict | None:
    if not loc.path:
        return None
    location: dict = {"physicalLocation": {"artifactLocation": _artifact(loc.path, root), "region": _region(loc)}}
    if message:
        location["message"] = {"text": printable(message)}
    return location


def rule_descriptor(doc: RuleDoc) -> dict:
    from hueylint.explain import markdown, plain

    tags = list(doc.tags)
    properties: dict = {"precision": doc.precision, "problem.severity": PROBLEM_SEVERITY[doc.severity]}
    security = doc.security
    if security is not None or "security" in tags:
        score = f"{security.score:.1f}" if security is not None else SECURITY_BY_SEVERITY[doc.severity]
        extra_tags = [f"external/cwe/cwe-{cwe}" for cwe in security.cwe] if security is not None else []
        properties["security-severity"] = score
        tags = (["security"] if "security" not in tags else []) + tags + [t for t in extra_tags if t not in tags]
    properties["tags"] = tags
    return {
        "id": doc.id,
        "name": doc.name,
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": doc.rationale},
        "help": {"text": plain(doc), "markdown": markdown(doc)},
        "helpUri": doc.help_uri,
        "defaultConfiguration": {"level": LEVEL[doc.severity]},
        "properties": properties,
    }


def _bare_descriptor(finding: Finding) -> dict:
    severity = finding.severity or Severity.WARNING
    level = LEVEL[severity]
    text = f"hueylint rule {finding.rule} (no catalog page yet)"
    return {"id": finding.rule, "name": finding.rule, "shortDescription": {"text": text},
            "fullDescription": {"text": text}, "help": {"text": text, "markdown": text},
            "helpUri": INFORMATION_URI, "defaultConfiguration": {"level": level},
            "properties": {"precision": "medium", "problem.severity": PROBLEM_SEVERITY[severity], "tags": []}}


def _fixes(fix: Fix, root: Path | None = None) -> list[dict]:
    changes: dict[str, list[dict]] = {}
    for edit in fix.edits:
        region = {"startLine": max(edit.line, 1), "startColumn": max(edit.col, 1),
                  "endLine": max(edit.end_line, edit.line, 1), "endColumn": max(edit.end_col, 1)}
        changes.setdefault(edit.path, []).append(
            {"deletedRegion": region, "insertedContent": {"text": edit.replacement}})
    if not changes:
        return []
    return [{
        "description": {"text": fix.description},
        "artifactChanges": [{"artifactLocation": _artifact(path, root), "replacements": replacements}
                            for path, replacements in changes.items()],
    }]


def result_object(finding: Finding, index: dict[str, int], root: Path | None = None) -> dict:
    """One SARIF result; ``root`` is the run root (``../`` paths are resolved against it)."""
    item: dict = {"ruleId": finding.rule}
    if finding.rule in index:
        item["ruleIndex"] = index[finding.rule]
    item["level"] = LEVEL[finding.severity or Severity.WARNING]
    item["message"] = {"text": printable(finding.message)}  # scanned text: no control character
    primary = _location(finding.loc, root=root)
    located = [(r, _location(r.loc, r.message, root)) for r in finding.related]
    related = [(r, loc) for r, loc in located if loc is not None]
    if primary is None and related:
        # A finding about a platform default: point at the first file that takes part in it.
        primary = {"physicalLocation": related[0][1]["physicalLocation"]}
    item["locations"] = [primary] if primary is not None else []
    if related:
        item["relatedLocations"] = [dict(loc, id=number) for number, (_, loc) in enumerate(related, start=1)]
    if finding.fingerprint:
        item["partialFingerprints"] = {"primaryLocationLineHash": finding.fingerprint}
    if finding.fix is not None:
        fixes = _fixes(finding.fix, root)
        if fixes:
            item["fixes"] = fixes
    return item


def _notifications(result, root: Path) -> list[dict]:
    notes = []
    for notice in result.notices:
        unreadable = any(word in notice.reason for word in ("cannot", "denied", "no such"))
        note: dict = {
            "level": "warning" if unreadable else "note",
            "message": {"text": printable(f"{notice.rel}: {notice.reason}" if notice.rel else notice.reason)},
            "descriptor": {"id": "file-not-read" if unreadable else "file-skipped"},
        }
        if notice.reason.startswith("internal error"):  # engine._internal_error: a hueylint bug
            note["level"], note["descriptor"] = "error", {"id": "internal-error"}
        if notice.rel and not Path(notice.rel).is_absolute():
            line, _ = notice_line(notice.reason)  # a notice about one line (`line 5: ...`) is located at it
            note["locations"] = [{"physicalLocation": {"artifactLocation": _artifact(notice.rel, root),
                                                       **({"region": {"startLine": line}} if line else {})}}]
        notes.append(note)
    notes += [{"level": "warning", "message": {"text": printable(warning)}, "descriptor": {"id": "run-warning"}}
              for warning in getattr(result, "warnings", ())]
    return notes


def category_id(category: str) -> str:
    """GitHub takes the part of ``automationDetails.id`` before the last ``/`` as the category."""
    category = category.strip()
    return category if "/" in category else category + "/"


def document(result, options: ReportOptions) -> dict:
    catalog = load_catalog()
    rules = [rule_descriptor(doc) for doc in catalog.values()]
    for finding in result.findings:  # a rule without a catalog page yet still gets a descriptor
        if finding.rule not in catalog and all(rule["id"] != finding.rule for rule in rules):
            rules.append(_bare_descriptor(finding))
    index = {rule["id"]: number for number, rule in enumerate(rules)}
    root = Path(result.root).resolve()
    run: dict = {
        "tool": {"driver": {
            "name": "hueylint",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }},
        "invocations": [{
            "executionSuccessful": bool(options.invocation_ok) and not internal_errors(result),
            "toolExecutionNotifications": _notifications(result, root),
            "workingDirectory": {"uri": Path(options.cwd).resolve().as_uri() + "/"},
        }],
        "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [result_object(finding, index, root) for finding in result.findings],
    }
    if options.sarif_category:
        run["automationDetails"] = {"id": category_id(options.sarif_category)}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result, out, options: ReportOptions) -> None:
    text = json.dumps(document(result, options), indent=2, ensure_ascii=False)
    # a non-UTF-8 file name quoted in a message (surrogateescape) as a JSON \\udcXX escape, not a crash
    out.write(text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n")
