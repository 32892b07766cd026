"""ruff-style text: ``path:line:col: HL101 message``, the source line with a marker, a summary.

Every piece of scanned text (paths, messages quoting commands, source lines)
goes through :func:`hueylint.terminal.printable`: control characters are shown
as escapes, never written raw.
"""

from __future__ import annotations

import os
from collections import Counter

from hueylint.catalog import rule_names
from hueylint.findings import Severity
from hueylint.reporters import (
    ReportOptions,
    by_rule,
    display_path,
    internal_errors,
    notice_line,
    relative_paths,
    rewrites,
    shown_text,
)
from hueylint.terminal import Part, Printer, cells, printable

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}


def _source_line(result, rel: str, line: int) -> str:
    """The line as hueylint analysed it (stdin text included), else as it is on disk."""
    if getattr(result, "line_of", None) is not None:
        return result.line_of(rel, line)
    try:
        with open(result.root / rel, encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, start=1):
                if number == line:
                    return text.rstrip("\r\n")
    except (OSError, ValueError):
        return ""
    return ""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def shown_message(result, text: str, cwd: str) -> str:
    """A message with the files it names (relative to the run root, as in the machine formats) shown as the
    finding's own path is, relative to the current folder (:func:`hueylint.reporters.shown_text`); the run's
    files, relative to its root, computed once a result."""
    root = os.path.abspath(str(result.root))
    if not rewrites(root, text, cwd):
        return text
    read = getattr(result, "_read_rels", None)
    if read is None:
        read = relative_paths(result.inputs, root)
        try:
            result._read_rels = read
        except AttributeError:
            pass
    return shown_text(root, read, text, cwd)


def headline(result, finding, options: ReportOptions) -> list[Part]:
    """A finding's first line in the text and concise formats: ``path:line:col: HL101 [error] message``."""
    severity = finding.severity or Severity.WARNING
    loc = finding.loc
    path = printable(display_path(result, loc.path or "", options.cwd))
    message = shown_message(result, finding.message, options.cwd)
    return [(f"{path}:{loc.line}:{loc.col or 1}:", "bold"), " ", (finding.rule, STYLE[severity]), " ",
            (f"[{severity.label}]", "dim"), " ", printable(message)]


def render(result, out, options: ReportOptions) -> None:
    console = Printer(out, options.color_mode)
    names = rule_names()
    if not options.statistics:  # --statistics: the counts instead of the list (ruff); -q keeps the list (ruff)
        for finding in result.findings:
            severity = finding.severity or Severity.WARNING
            loc = finding.loc
            name = names.get(finding.rule, "")
            console.print(*headline(result, finding, options), " ", (f"({name})", "dim"))
            source = _source_line(result, loc.path or "", loc.line).replace("\t", " ") \
                if loc.path and loc.line else ""
            if source:
                gutter = str(loc.line)
                pad = " " * len(gutter)
                start = min(max((loc.col or 1) - 1, 0), len(source))
                width = (loc.end_col - loc.col) if loc.end_line == loc.line and loc.end_col > loc.col else \
                    max(len(source) - start, 1)
                source, start, width = elide(source, start, width)
                # the marker sits under the escaped text, so it lines up however many escapes precede it
                offset = cells(printable(source[:start]))
                marker = max(cells(printable(source[start:start + width])), 1)
                console.print((f"{pad} |", "blue"))
                console.print((f"{gutter} |", "blue"), " ", printable(source))
                console.print((f"{pad} |", "blue"), " " + " " * offset, ("^" * marker, STYLE[severity]))
            for related in finding.related:
                where = display_path(result, related.loc.path or "", options.cwd)
                console.print("  ", ("= related:", "dim"), f" {printable(where)}:{related.loc.line}: "
                              f"{printable(shown_message(result, related.message, options.cwd))}")
            console.print()
    summary(console, result, options)


def summary(console: Printer, result, options: ReportOptions) -> None:
    """What follows the findings in the text and concise formats: ``--statistics``, the counts, the
    suppressed and baselined findings, the run's notices and internal errors."""
    names = rule_names()
    counts = Counter(f.severity for f in result.findings)
    if options.statistics and result.findings:
        rows = by_rule(result.findings)
        # ruff's marks: `[*]` a rule with a finding --fix would fix, `[ ]` the others (none when nothing is fixable)
        marks = {rule: "[*] " if any(f.fixable() for f in found) else "[ ] " for rule, found in rows}
        if "[*] " not in marks.values():
            marks = dict.fromkeys(marks, "")
        for rule, found in rows:
            console.print(f"{len(found):>5}  {rule}  {marks[rule]}{names.get(rule, '')}")
        if not options.quiet:
            console.print()
    checked = _plural(result.files_checked, "file")
    errors = internal_errors(result)
    told = [notice for notice in result.notices if notice not in errors]  # what was not checked, and why
    fixed = result.extra.get("fixed", 0)  # --fix: the findings it fixed, the others are listed
    if fixed and not options.quiet:  # ruff's `Found 14 errors (8 fixed, 6 remaining).`
        parts = [_plural(counts[s], s.label) for s in (Severity.ERROR, Severity.WARNING, Severity.NOTE) if counts[s]]
        console.print((f"Found {_plural(fixed + len(result.findings), 'finding')}", "bold"),
                      f" ({fixed} fixed, {len(result.findings)} remaining{': ' if parts else ''}{', '.join(parts)}) "
                      f"in {checked} checked.")
    elif result.findings:
        if not options.quiet:  # -q: the findings (or the counts) and nothing else, as ruff's
            parts = [_plural(counts[s], s.label) for s in (Severity.ERROR, Severity.WARNING, Severity.NOTE)
                     if counts[s]]
            console.print((f"Found {_plural(len(result.findings), 'finding')}", "bold"),
                          f" ({', '.join(parts)}) in {checked} checked.")
    elif errors:
        console.print(f"No findings in {checked} checked, but the check is incomplete (see the error below).")
    elif not options.quiet:
        # silence must mean "checked and fine": the notices below say what was not (ruff's line, pointing at them)
        below = f"; {_plural(len(grouped_notices(told)), 'notice')} below on what was not checked" if told else ""
        console.print(("All checks passed!", "green"), f" ({checked} checked{below})")
    fixable = _fixable(result.findings) if not options.quiet else None
    if fixable:
        console.print(fixable)
    if result.suppressed and not options.quiet:
        console.print((f"{result.suppressed} finding(s) suppressed.", "dim"))
    if "baseline_stale" in result.extra:
        matched, stale = result.extra.get("baseline_matched", 0), result.extra["baseline_stale"]
        if not options.quiet or stale:
            note = (f"; {stale} baseline entr{'y' if stale == 1 else 'ies'} stale (fixed or changed): "
                    "rewrite it with --write-baseline" if stale else "")
            console.print((f"{matched} finding(s) hidden by the baseline{printable(note)}.", "dim"))
    if not options.quiet:
        for where, reason in grouped_notices(told):
            console.print((notice_text(result, where, reason, options.cwd), "dim"))
    for notice in errors:  # never quiet: the results are incomplete
        where = f"{printable(_notice_where(result, notice.rel, options.cwd))}: " if notice.rel else ""
        console.print(("error:", "bold red"), f" {where}{printable(notice.reason)}")


def notice_text(result, where: str, reason: str, cwd: str) -> str:
    """A notice as the text and concise formats print it, in the findings' ``path:line:`` form (grep, editors'
    quickfix lists: Vim's ``%f:%l: %m``) with the word ``notice:`` where a finding has its rule id:
    ``docker-compose.yml:5: notice: compose web runs ...``; a notice about a whole file or a folder has no line
    (``railway.toml: notice: mentions ...``), one about the run none of either (``notice: ...``)."""
    line, reason = notice_line(reason)
    where = _notice_where(result, where, cwd)
    reason = printable(shown_message(result, reason, cwd))
    if not where:
        return f"notice: {reason}"
    return f"{printable(where)}{f':{line}' if line else ''}: notice: {reason}"


def _notice_where(result, where: str, cwd: str) -> str:
    """A notice's file or folder (relative to the run root) shown as the findings' paths are, relative to the
    current folder: run from ``examples/broken`` of a repository, ``docker-compose.yml:5: notice: ...`` (it read
    ``examples/broken/docker-compose.yml``, beside findings at ``Dockerfile:10:5``)."""
    if not where or os.path.abspath(cwd) == os.path.abspath(str(result.root)):
        return where
    if where.endswith("/"):  # a folder of grouped notices
        return display_path(result, where.rstrip("/"), cwd).rstrip("/") + "/"
    return display_path(result, where, cwd)


#: more notices than this with one reason in one folder are said in one line (a committed coverage cache: a hundred
#: "larger than 2 MiB: skipped" lines nobody acts on one by one)
GROUPED_NOTICES = 3


def grouped_notices(notices) -> list[tuple[str, str]]:
    """(where, reason) lines for ``notices`` in order: those sharing a reason and a folder, when there are more
    than :data:`GROUPED_NOTICES`, as one line at the folder (``frontend/coverage/: 92 files larger than 2 MiB:
    skipped (coverage-0a.json, coverage-0b.json, ...)``) where the first of them stood; the JSON and SARIF
    reports keep every notice."""
    groups: dict[tuple[str, str], list[str]] = {}
    for notice in notices:
        if notice.rel:
            folder, _, name = notice.rel.rpartition("/")
            groups.setdefault((folder, notice.reason), []).append(name)
    lines: list[tuple[str, str]] = []
    said: set[tuple[str, str]] = set()
    for notice in notices:
        folder, _, _name = (notice.rel or "").rpartition("/")
        names = groups.get((folder, notice.reason), []) if notice.rel else []
        if len(names) <= GROUPED_NOTICES:
            lines.append((notice.rel or "", notice.reason))
        elif (folder, notice.reason) not in said:
            said.add((folder, notice.reason))
            shown = ", ".join(names[:2])
            lines.append((f"{folder}/" if folder else ".", f"{len(names)} files {notice.reason} ({shown}, ...)"))
    return lines


def _fixable(findings) -> str | None:
    """ruff's line on what ``--fix`` would do: ``[*] 2 fixable with the `--fix` option.``, with the fixes only
    ``--unsafe-fixes`` applies counted apart; None when no finding has a fix."""
    safe = sum(1 for f in findings if f.fixable())
    hidden = sum(1 for f in findings if f.fixable(unsafe=True)) - safe
    if not safe and not hidden:
        return None
    more = f"{hidden} hidden fix{'' if hidden == 1 else 'es'} can be enabled with the `--unsafe-fixes` option"
    if not safe:
        return f"No fixes available ({more})."
    return f"[*] {safe} fixable with the `--fix` option" + (f" ({more})." if hidden else ".")


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
