"""GitHub Actions workflow commands: annotations on the pull request diff.

Values are escaped as the runner expects (``%25``, ``%0D``, ``%0A``, and
``%3A``/``%2C`` in properties), so every finding stays one command on one
line; other control characters are shown as backslash escapes
(:func:`hueylint.terminal.printable`), never written raw into the log.  What was not checked (a skipped
file, a manifest hueylint does not recognise: the run's notices) is a ``::notice``, as the text format
lists it after its summary.
"""

from __future__ import annotations

from hueylint.catalog import rule_names
from hueylint.findings import Severity
from hueylint.reporters import ReportOptions, internal_errors, notice_line, report_path
from hueylint.terminal import printable

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result, out, options: ReportOptions) -> None:
    names = rule_names()
    for finding in result.findings:
        loc = finding.loc
        name = names.get(finding.rule, "")
        props = [f"file={escape_property(report_path(result.root, loc.path or ''))}"]
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
    errors = internal_errors(result)
    for notice in getattr(result, "notices", []):  # what was not checked and why, as the text format lists it
        if notice not in errors:
            props = [f"file={escape_property(notice.rel)}"] if notice.rel and not notice.rel.startswith("/") else []
            line, reason = notice_line(notice.reason)
            if props and line:  # a notice about one line (`line 5: ...`) is shown at it, not at the file's top
                props.append(f"line={line}")
            props.append("title=not checked")
            # the text format's `path:line:` (the word `notice` is the command's)
            where = f"{notice.rel}{f':{line}' if line else ''}: " if notice.rel else ""
            out.write(f"::notice {','.join(props)}::{escape_data(where + (reason if notice.rel else notice.reason))}\n")
    for notice in errors:  # a hueylint bug: the results are incomplete
        props = [f"file={escape_property(notice.rel)}"] if notice.rel else []
        props.append("title=hueylint internal error")
        out.write(f"::error {','.join(props)}::{escape_data(notice.reason)}\n")
