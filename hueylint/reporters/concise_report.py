"""Concise text: one line a finding, ``path:line:col: HL101 [error] message``, then the text summary.

No code frame, no rule name and no related locations: a line per finding for ``grep``, editors' quickfix
lists and logs (ruff's ``concise``). Scanned text is escaped as in the text format
(:func:`hueylint.terminal.printable`), so a finding can never span two lines.
"""

from __future__ import annotations

from hueylint.findings import Severity
from hueylint.reporters import ReportOptions, display_path
from hueylint.reporters.text_report import STYLE, summary
from hueylint.terminal import Printer, printable


def render(result, out, options: ReportOptions) -> None:
    console = Printer(out, options.color_mode)
    if not options.quiet and not options.statistics:  # --statistics: the counts instead of the list (ruff)
        for finding in result.findings:
            severity = finding.severity or Severity.WARNING
            loc = finding.loc
            path = printable(display_path(result, loc.path or "", options.cwd))
            console.print((f"{path}:{loc.line}:{loc.col or 1}:", "bold"), " ", (finding.rule, STYLE[severity]), " ",
                          (f"[{severity.label}]", "dim"), " ", printable(finding.message))
    summary(console, result, options)
