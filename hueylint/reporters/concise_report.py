"""Concise text: one line a finding, ``path:line:col: HL101 [error] message``, then the text summary.

No code frame, no rule name and no related locations: a line per finding for ``grep``, editors' quickfix
lists and logs (ruff's ``concise``). Scanned text is escaped as in the text format
(:func:`hueylint.terminal.printable`), so a finding can never span two lines.
"""

from __future__ import annotations

from hueylint.reporters import ReportOptions
from hueylint.reporters.text_report import headline, summary
from hueylint.terminal import Printer


def render(result, out, options: ReportOptions) -> None:
    console = Printer(out, options.color_mode)
    if not options.statistics:  # --statistics: the counts instead of the list (ruff); -q keeps the list (ruff)
        for finding in result.findings:
            console.print(*headline(result, finding, options))
    summary(console, result, options)
