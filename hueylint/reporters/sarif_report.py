"""SARIF 2.1.0 for GitHub code scanning (first version; see issue on SARIF)."""

from __future__ import annotations

import json

from hueylint import __version__
from hueylint.catalog import load_catalog
from hueylint.findings import Severity
from hueylint.model import Loc
from hueylint.reporters import ReportOptions

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def _location(loc: Loc, message: str | None = None) -> dict:
    region = {"startLine": max(loc.line, 1), "startColumn": max(loc.col, 1)}
    if loc.end_line:
        region["endLine"] = loc.end_line
    if loc.end_col:
        region["endColumn"] = loc.end_col
    location: dict = {"physicalLocation": {"artifactLocation": {"uri": loc.path or "", "uriBaseId": "%SRCROOT%"},
                                           "region": region}}
    if message:
        location["message"] = {"text": message}
    return location


def render(result, out, options: ReportOptions) -> None:  # noqa: ANN001
    catalog = load_catalog()
    ids = list(catalog)
    rules = [{
        "id": doc.id, "name": doc.name,
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": doc.rationale},
        "help": {"text": f"{doc.rationale}\n\nFix: {doc.fix}", "markdown": f"{doc.rationale}\n\n**Fix:** {doc.fix}"},
        "helpUri": doc.help_uri,
        "defaultConfiguration": {"level": LEVEL[doc.severity]},
        "properties": {"tags": list(doc.tags), "precision": doc.precision},
    } for doc in catalog.values()]
    results = []
    for finding in result.findings:
        item = {
            "ruleId": finding.rule,
            "ruleIndex": ids.index(finding.rule) if finding.rule in ids else -1,
            "level": LEVEL[finding.severity or Severity.WARNING],
            "message": {"text": finding.message},
            "locations": [_location(finding.loc)],
        }
        if finding.related:
            item["relatedLocations"] = [dict(_location(r.loc, r.message), id=i) for i, r in enumerate(finding.related)]
        results.append(item)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "hueylint", "version": __version__, "semanticVersion": __version__,
                                "informationUri": "https://github.com/hueylint/hueylint", "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": result.root.as_uri() + "/"}},
            "results": results,
        }],
    }
    json.dump(document, out, indent=2)
    out.write("\n")
