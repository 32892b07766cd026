"""ruff-style text: ``path:line:col: HL101 message``, the source line with a marker, a summary."""

from __future__ import annotations

from collections import Counter

from hueylint.catalog import load_catalog
from hueylint.findings import Severity
from hueylint.reporters import ReportOptions, display_path

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


def _source_line(result, rel: str, line: int) -> str:  # noqa: ANN001
    path = result.root / rel
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, start=1):
                if number == line:
                    return text.rstrip("\n").replace("\t", " ")
    except OSError:
        return ""
    return ""


def render(result, out, options: ReportOptions) -> None:  # noqa: ANN001
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, no_color=options.color is False, force_terminal=options.color or None,
                      highlight=False, soft_wrap=True, emoji=False)
    catalog = load_catalog()
    if not options.quiet:
        for finding in result.findings:
            severity = finding.severity or Severity.WARNING
            loc = finding.loc
            path = display_path(result, loc.path or "", options.cwd)
            name = catalog[finding.rule].name if finding.rule in catalog else ""
            console.print(f"[bold]{escape(path)}:{loc.line}:{loc.col or 1}:[/] "
                          f"[{STYLE[severity]}]{finding.rule}[/] [dim]\\[{severity.label}][/] "
                          f"{escape(finding.message)} [dim]({name})[/]")
            source = _source_line(result, loc.path or "", loc.line) if loc.path and loc.line else ""
            if source:
                gutter = str(loc.line)
                pad = " " * len(gutter)
                start = max((loc.col or 1) - 1, 0)
                width = (loc.end_col - loc.col) if loc.end_line == loc.line and loc.end_col > loc.col else \
                    max(len(source) - start, 1)
                source, start, width = elide(source, start, width)
                console.print(f"[blue]{pad} |[/]")
                console.print(f"[blue]{gutter} |[/] {escape(source)}")
                console.print(f"[blue]{pad} |[/] {' ' * start}[{STYLE[severity]}]{'^' * max(width, 1)}[/]")
            for related in finding.related:
                where = display_path(result, related.loc.path or "", options.cwd)
                console.print(f"  [dim]= related:[/] {escape(where)}:{related.loc.line}: {escape(related.message)}")
            console.print()
    counts = Counter(f.severity for f in result.findings)
    if options.statistics and result.findings:
        by_rule = Counter(f.rule for f in result.findings)
        for rule, count in sorted(by_rule.items(), key=lambda item: (-item[1], item[0])):
            name = catalog[rule].name if rule in catalog else ""
            console.print(f"{count:>5}  {rule}  {name}")
        console.print()
    if result.findings:
        parts = [f"{counts[s]} {s.label}{'s' if counts[s] != 1 else ''}" for s in
                 (Severity.ERROR, Severity.WARNING, Severity.NOTE) if counts[s]]
        total = len(result.findings)
        console.print(f"[bold]Found {total} finding{'s' if total != 1 else ''}[/] ({', '.join(parts)}) "
                      f"in {result.files_checked} file{'s' if result.files_checked != 1 else ''} checked.")
    elif not options.quiet:
        console.print(f"[green]All checks passed![/] ({result.files_checked} files checked)")
    if result.suppressed and not options.quiet:
        console.print(f"[dim]{result.suppressed} finding(s) suppressed.[/]")
    if "baseline_stale" in result.extra:
        matched, stale = result.extra.get("baseline_matched", 0), result.extra["baseline_stale"]
        if not options.quiet or stale:
            note = (f"; {stale} baseline entr{'y' if stale == 1 else 'ies'} stale (fixed or changed): "
                    "rewrite it with --write-baseline" if stale else "")
            console.print(f"[dim]{matched} finding(s) hidden by the baseline{escape(note)}.[/]")
    if result.notices and not options.quiet:
        for notice in result.notices:
            where = f"skipped {escape(notice.rel)}: " if notice.rel else ""  # engine internal errors name no file
            console.print(f"[dim]{where}{escape(notice.reason)}[/]")


#: longest source text a code frame shows; a longer line is cut around the marker, ruff-style, with `...`
FRAME_WIDTH = 120
FRAME_CONTEXT = 30  # characters kept before the marker when the line is cut


def elide(source: str, start: int, width: int, limit: int = FRAME_WIDTH) -> tuple[str, int, int]:
    """``(text, start, width)`` of a code frame line at most ``limit`` characters of ``source`` long (plus
    ``...`` on a cut side), the marker (0-based ``start``, ``width`` characters) moved and clipped to fit."""
    if len(source) <= limit:
        return source, start, width
    left = max(0, min(start - FRAME_CONTEXT, len(source) - limit))
    right = left + limit
    prefix = "..." if left else ""
    suffix = "..." if right < len(source) else ""
    return prefix + source[left:right] + suffix, start - left + len(prefix), max(1, min(width, right - start))
