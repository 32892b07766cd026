"""GitHub Actions workflow commands: annotations on the pull request diff."""

from __future__ import annotations

from hueylint.catalog import load_catalog
from hueylint.findings import Severity
from hueylint.reporters import ReportOptions

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result, out, options: ReportOptions) -> None:
    catalog = load_catalog()
    for finding in result.findings:
        loc = finding.loc
        name = catalog[finding.rule].name if finding.rule in catalog else ""
        props = [f"file={escape_property(loc.path or '')}"]
        if loc.line:
            props.append(f"line={loc.line}")
            props.append(f"col={loc.col or 1}")
            if loc.end_line:
                props.append(f"endLine={loc.end_line}")
            if loc.end_col and loc.end_line == loc.line:
                props.append(f"endColumn={loc.end_col}")
        props.append(f"title={escape_property(f'{finding.rule} {name}'.strip())}")
        level = LEVEL[finding.severity or Severity.WARNING]
        out.write(f"::{level} {','.join(props)}::{escape_data(f'{finding.rule} {finding.message}')}\n")
