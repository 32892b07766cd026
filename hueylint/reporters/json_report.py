"""JSON: a stable, documented object (see README "JSON output").

Paths are data (exactly the file's name, so a tool can open it); messages are text for people, with
control characters escaped (:func:`hueylint.terminal.printable`) like every other format."""

from __future__ import annotations

import json

from hueylint import __version__
from hueylint.catalog import rule_names
from hueylint.findings import Finding, Severity
from hueylint.locations import Loc
from hueylint.reporters import ReportOptions, by_rule, internal_errors, notice_line, report_path
from hueylint.terminal import printable

SCHEMA_VERSION = 1


def _loc(loc: Loc, root: str = ".") -> dict:
    return {"path": report_path(root, loc.path) if loc.path else loc.path, "line": loc.line, "column": loc.col or 1,
            "end_line": loc.end_line or loc.line, "end_column": loc.end_col or (loc.col or 1)}


def finding_dict(finding: Finding, root: str = ".") -> dict:
    """One finding; paths relative to ``root``, absolute outside it (:func:`report_path`)."""
    names = rule_names()
    data = {
        "rule": finding.rule,
        "name": names.get(finding.rule, ""),
        "severity": (finding.severity or Severity.WARNING).label,
        "message": printable(finding.message),
        **_loc(finding.loc, root),
        "related": [{**_loc(r.loc, root), "message": printable(r.message)} for r in finding.related],
        "fix": None,
        "fingerprint": finding.fingerprint or None,
    }
    if finding.fix is not None:
        data["fix"] = {"description": finding.fix.description,
                       "edits": [{"path": report_path(root, e.path), "line": e.line, "column": e.col, "end_line": e.end_line,
                                  "end_column": e.end_col, "replacement": e.replacement} for e in finding.fix.edits]}
    return data


def render(result, out, options: ReportOptions) -> None:
    errors = internal_errors(result)
    counts = {s.label: sum(1 for f in result.findings if f.severity == s) for s in Severity}
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "hueylint", "version": __version__},
        "root": str(result.root),
        "findings": [finding_dict(f, str(result.root)) for f in result.findings],
        "summary": {"errors": counts["error"], "warnings": counts["warning"], "notes": counts["note"],
                    "files_checked": result.files_checked, "suppressed": result.suppressed,
                    **{k: v for k, v in result.extra.items() if isinstance(v, (int, str))}},
        # `line`: the line a notice is about (its reason says `line N: ` first), null for a whole file or folder
        "skipped": [{"path": report_path(result.root, n.rel), "line": notice_line(n.reason)[0],
                     "reason": printable(n.reason)} for n in result.notices if n not in errors],
        # hueylint bugs (the CLI exits 2): the results of what they name are missing
        "internal_errors": [{"path": report_path(result.root, n.rel), "message": printable(n.reason)} for n in errors],
        # what the run could not look at, as stderr's `hueylint: warning:` lines say it (a run that analysed no
        # deployment file, a configuration that did not apply): a report read without stderr still says it
        "warnings": [printable(warning) for warning in getattr(result, "warnings", ())],
    }
    if options.statistics:  # ruff's --statistics: one entry per rule, most frequent first
        names = rule_names()
        document["statistics"] = [
            {"rule": rule, "name": names.get(rule, ""), "count": len(found),
             "fixable": sum(1 for f in found if f.fixable())}  # what --fix fixes, as the text `[*]` and ruff
            for rule, found in by_rule(result.findings)]
    json.dump(document, out, indent=2, sort_keys=False)
    out.write("\n")
