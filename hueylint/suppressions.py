"""Inline suppressions, in each format's comment syntax.

``# hueylint: ignore[HL101]`` (or ``; hueylint: ...`` in INI files) on the
finding's line, or alone on the line before; ``hueylint: ignore-file[HL201]``
in the first lines of a file.  Like ruff's strict noqa, a suppression must
name its rules: a bare ``ignore`` is refused with a finding (HL009), so a
blanket comment can never hide a future, unrelated problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import field

from hueylint.findings import Finding
from hueylint.locations import Loc
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile, note, paused

FILE_HEADER_LINES = 20
_DIRECTIVE = lazy_pattern(
    r"(?:^|\s|[#;])(?P<mark>#|;|//)\s*hueylint:\s*(?P<kind>ignore-file|ignore)\b(?:\[(?P<ids>[^\]]*)\])?",
    re.IGNORECASE,
)
_COMMENT_ONLY = lazy_pattern(r"^\s*(?:#|;|//)")
# ruff's and flake8's noqa comment naming hueylint's ids, written by habit in a deployment file: not hueylint's
# syntax, so it suppresses nothing (HL009); in Python files noqa comments are ruff's and flake8's business
_NOQA = lazy_pattern(r"(?:^|\s)(?P<mark>#|;)\s*noqa\s*:\s*(?P<ids>HL\d{3}(?:[\s,]+HL\d{3})*)", re.IGNORECASE)
# hueylint's ids behind another tool's suppression form (hadolint's `# hadolint ignore=DL3006`, shellcheck's and
# pylint's `disable=`, eslint's `disable-next-line`, a dash or no colon): meant as a suppression, read as none, so said (HL009), as noqa is
_FOREIGN = lazy_pattern(r"(?:^|\s)(?P<mark>#|;|//)\s*hueylint\s*[-:]?\s*(?P<verb>ignore-file|ignore|disable-next-line|disable-line|disable|noqa|skip)"
                      r"\b\s*[=:]?\s*\[?\s*(?P<ids>HL\d{3}(?:[\s,]+HL\d{3})*)\]?", re.IGNORECASE)
# hueylint's ids in another tool's own directive (`# hadolint ignore=DL3008,HL101`, `# shellcheck disable=HL201`):
# that tool reads no HL id and hueylint reads no other tool's directive, so it suppresses nothing (HL009)
_OTHER_TOOL = lazy_pattern(r"(?:^|\s)(?P<mark>#|;)\s*(?P<tool>hadolint|shellcheck)\s+(?:ignore|disable)\s*=\s*"
                           r"(?P<ids>[A-Za-z]+\d+(?:\s*,\s*[A-Za-z]+\d+)*)", re.IGNORECASE)
_OTHER_TOOLS = ("hadolint", "shellcheck")
_ID = lazy_pattern(r"^HL\d{3}$")
# Formats whose comments are whole lines only: the characters that start one (after indentation), and
# what becomes of a trailing ``# hueylint: ...`` there instead (systemd.syntax(7): lines starting with
# `#` or `;` are comments; Dockerfile reference: a line starting with `#` is a comment, elsewhere `#`
# is an argument; circus: configparser without inline_comment_prefixes).  Such a text suppresses nothing and is reported as HL009.
WHOLE_LINE_COMMENTS = {
    "systemd": ("#;", "systemd has no trailing comments, this text is part of the value "
                      "(on an Exec line systemd passes it to the command)"),
    "dockerfile": ("#", "a Dockerfile comment is a whole line, this text is part of the instruction"),
    # circus reads its INI with configparser's defaults: no inline comments (see parsers/circus.py)
    "circus": ("#;", "circus has no trailing comments, this text is part of the value"),
}


@dataclass
class Directive:
    """One ``hueylint:`` comment of a file (or another tool's form, which suppresses nothing) at its
    1-based ``line`` and ``col``; ``used`` collects the rule ids it suppressed (HL008 reports the unused)."""

    line: int
    col: int
    kind: str  # ignore | ignore-file | annotation | noqa (ruff's syntax) | foreign (another tool's): the last two suppress nothing
    ids: tuple[str, ...]
    standalone: bool  # the comment is alone on its line
    used: set[str] = field(default_factory=set)
    misplaced: str = ""  # why this is not a comment in its format (it then suppresses nothing)
    span: tuple[int, int] | None = None  # an annotation: the lines of the workload it covers
    mark: str = "#"  # the comment character written (``;`` in an INI file whose inline comments need it)
    meant: str = ""  # a foreign form: the directive it stands for (``ignore`` or ``ignore-file``), for HL009


def parse_ids(text: str) -> tuple[str, ...]:
    """Rule ids separated by commas and/or whitespace, upper-cased (``HL101, hl104 HL201``)."""
    return tuple(part.upper() for part in re.split(r"[,\s]+", text) if part)


def annotation(line: int, col: int, text: str, span: tuple[int, int]) -> Directive:
    """A platform's suppression annotation (Kubernetes ``hueylint/ignore``) at ``line``:``col``, covering
    the lines ``span``; its ids are read like a comment's, and HL008/HL009 apply the same way."""
    return Directive(line, col, "annotation", parse_ids(text), standalone=False, span=span)


@dataclass
class FileSuppressions:
    """The directives of one file (``rel``, a repo path), in source order."""

    rel: str
    directives: list[Directive]

    def suppresses(self, finding: Finding) -> bool:
        line = finding.loc.line
        for directive in self.directives:
            if not directive.ids or directive.misplaced or directive.kind in ("noqa", "foreign"):
                continue
            if directive.span is not None:
                applies = directive.span[0] <= line <= directive.span[1]
            elif directive.kind == "ignore-file":
                applies = True
            else:
                applies = directive.line == line or (directive.standalone and directive.line == line - 1)
            if applies and finding.rule in directive.ids:
                directive.used.add(finding.rule)
                return True
        return False


def may_hold_directives(text: str) -> bool:
    """Could ``text`` hold a suppression :func:`parse_directives` reads (a substring test: most files hold none),
    in any case: its patterns ignore case, as ruff's noqa does (``# HUEYLINT: ignore[HL101]`` was skipped)."""
    lower = text.lower()
    return "hueylint" in lower or ("hl" in lower and ("noqa" in lower or any(tool in lower for tool in _OTHER_TOOLS)))


def source_directives(src: SourceFile) -> FileSuppressions | None:
    """The suppressions of a source file (:func:`parse_directives` in its format), None when its text holds
    none (:func:`may_hold_directives`); noted for the run cache's early cutoff (:func:`hueylint.sources.note`:
    :mod:`hueylint.python_edits` reads an edited Python file's directives again and compares)."""
    with paused():
        found = parse_directives(src.rel, src.lines, src.format) if may_hold_directives(src.text) else None
    note(src, "directives", None if found is None or not found.directives else [
        [d.line, d.col, d.kind, list(d.ids), d.standalone, d.misplaced, d.mark, d.meant] for d in found.directives])
    return found


def parse_directives(rel: str, lines: list[str], fmt: str = "") -> FileSuppressions:
    """The suppressions of one file; ``fmt`` (a :func:`hueylint.formats.name_format` format) decides
    where a comment can stand (:data:`WHOLE_LINE_COMMENTS`)."""
    comment_chars, not_a_comment = WHOLE_LINE_COMMENTS.get(fmt, ("", ""))
    directives: list[Directive] = []
    for number, text in enumerate(lines, start=1):
        lower = text.lower()
        match = _DIRECTIVE.search(text) if "hueylint:" in lower else None
        # another tool's form, or ids beside a bare `hueylint: ignore` (`ignore=HL101`, `ignore HL101`)
        foreign = _FOREIGN.search(text) if "hueylint" in lower and (match is None or not match.group("ids")) \
            else None
        if foreign is not None:
            alone = bool(_COMMENT_ONLY.match(text))
            kind = "ignore-file" if foreign.group("verb").lower() == "ignore-file" else "ignore"
            directives.append(Directive(number, foreign.start("mark") + 1, "foreign", parse_ids(foreign.group("ids")),
                                        alone, mark=foreign.group("mark"), meant=kind,
                                        misplaced=foreign.group(0).strip()))  # what was written, for HL009
            continue
        other = _other_tool(text, number) if "hl" in lower and fmt != "python" and "hueylint" not in lower and \
            any(tool in lower for tool in _OTHER_TOOLS) else None
        if other is not None:
            directives.append(other)
            continue
        if "hueylint:" not in lower:
            noqa = _NOQA.search(text) if "noqa" in lower and fmt != "python" else None
            if noqa is not None:
                alone = bool(_COMMENT_ONLY.match(text))
                directives.append(Directive(number, noqa.start("mark") + 1, "noqa", parse_ids(noqa.group("ids")),
                                            alone, misplaced=not_a_comment if comment_chars and not alone else "",
                                            mark=noqa.group("mark")))
            continue
        if not match:
            continue
        kind = match.group("kind").lower()
        ids = parse_ids(match.group("ids") or "")
        standalone = bool(_COMMENT_ONLY.match(text))
        col = match.start("kind") + 1
        misplaced = ""
        if kind == "ignore-file" and number > FILE_HEADER_LINES:  # (it was skipped without a word: HL101 stayed)
            directives.append(Directive(number, col, kind, ids, standalone, misplaced=(
                f"`hueylint: ignore-file` is read only in the first {FILE_HEADER_LINES} lines of a file")))
            continue
        if comment_chars and not (standalone and text.lstrip()[:1] in comment_chars):
            misplaced, standalone, col = not_a_comment, False, match.start("mark") + 1
        span = _block_scalar_lines(lines, number) if fmt in _BLOCK_SCALAR_FORMATS and kind == "ignore" else None
        directives.append(Directive(number, col, kind, ids, standalone, misplaced=misplaced, span=span))
    return FileSuppressions(rel, directives)


def _other_tool(text: str, number: int) -> Directive | None:
    """hueylint's ids in hadolint's or shellcheck's own directive on ``text``, line ``number`` (``# hadolint
    ignore=HL101``), as a ``foreign`` :class:`Directive` (it suppresses nothing: HL009 names hueylint's form);
    None when the line holds no such directive or it names none of hueylint's ids."""
    match = _OTHER_TOOL.search(text)
    if match is None:
        return None
    ids = tuple(code.strip().upper() for code in match.group("ids").split(",") if _ID.match(code.strip().upper()))
    if not ids:
        return None
    alone = bool(_COMMENT_ONLY.match(text))
    return Directive(number, match.start("mark") + 1, "foreign", ids, alone, mark=match.group("mark"), meant="ignore",
                     misplaced=match.group(0).strip())


#: the YAML formats whose commands may be YAML block scalars (``- |`` and the script below it): a comment on
#: the block's header line covers the block, whose lines, a string's, cannot hold a YAML comment of their own
_BLOCK_SCALAR_FORMATS = frozenset({"compose", "kubernetes", "helm", "render", "platformsh", "heroku", "cloudfoundry", "kamal",
                                   "ecs"})  # (a CloudFormation template in YAML)
_BLOCK_HEADER = lazy_pattern(r"^(?P<lead>[ \t]*(?:-[ \t]+)*)(?P<key>[^\s#][^#]*?:[ \t]+)?[|>][1-9+-]{0,2}[ \t]+#")


def _block_scalar_lines(lines: list[str], number: int) -> tuple[int, int] | None:
    """The lines ``(first, last)`` of the block scalar whose header (``- |``, ``command: >-``) is line ``number``
    (1-based), header included: the lines below it indented deeper than its key or list dash (blank ones inside
    it); None when the line is no block scalar's header, or nothing follows it."""
    header = _BLOCK_HEADER.match(lines[number - 1])
    if header is None:
        return None
    lead = header.group("lead")
    parent = len(lead) if header.group("key") else len(lead.rstrip()) - 1  # the key's column, or the last dash's
    last = number
    for index in range(number, len(lines)):
        text = lines[index]
        if not text.strip():
            continue
        if len(text) - len(text.lstrip(" ")) <= parent:
            break
        last = index + 1
    return (number, last) if last > number else None


def directive_findings(files: list[FileSuppressions], known: set[str], show_unused: bool,
                       enabled: Callable[[str], bool] = lambda rule: True,
                       reported: Sequence[Finding] = ()) -> list[Finding]:
    """HL009 for bare or unknown suppressions; HL008 for unused ones when asked (only rules ``enabled``
    in this run: a rule that did not run cannot tell whether its suppression is still needed).  An unused
    suppression of a rule ``reported`` elsewhere in its file says where (a compose service's HL101 sits at the
    service's key, not at the `command:` line its comment was written on)."""
    where_reported: dict[tuple[str, str], set[int]] = {}
    for finding in reported:
        if finding.loc.path:
            where_reported.setdefault((finding.loc.path, finding.rule), set()).add(finding.loc.line)
    findings: list[Finding] = []
    for suppressions in files:
        for directive in suppressions.directives:
            loc = Loc(suppressions.rel, directive.line, directive.col)
            if directive.kind == "noqa":
                where = f" alone on the line before: {directive.misplaced}" if directive.misplaced else ""
                findings.append(Finding(
                    "HL009", f"`noqa` is ruff's and flake8's syntax and suppresses nothing here: write "
                    f"`{directive.mark} hueylint: ignore[{','.join(directive.ids)}]`{where}", loc))
                continue
            if directive.kind == "foreign":
                findings.append(Finding(
                    "HL009", f"`{directive.misplaced}` is not hueylint's suppression syntax and suppresses nothing "
                    "(hadolint's `ignore=` and shellcheck's `disable=` forms are not read): write "
                    f"`{directive.mark} hueylint: {directive.meant}[{','.join(directive.ids)}]`", loc))
                continue
            if directive.misplaced:
                where = f"on a line of its own in the first {FILE_HEADER_LINES} lines" \
                    if directive.kind == "ignore-file" else "alone on the line before"
                findings.append(Finding(
                    "HL009", f"misplaced suppression (suppresses nothing): {directive.misplaced}; put "
                    f"`# hueylint: {directive.kind}[{','.join(directive.ids) or 'HL101'}]` {where}", loc))
                continue
            if not directive.ids and directive.kind == "annotation":
                findings.append(Finding(
                    "HL009", "the `hueylint/ignore` annotation names no rule ids and suppresses nothing: name the "
                    "rules, e.g. `hueylint/ignore: \"HL101,HL301\"`", loc))
                continue
            if not directive.ids:
                findings.append(Finding(
                    "HL009", f"`hueylint: {directive.kind}` without rule ids is refused: name the rules, "
                    f"e.g. `hueylint: {directive.kind}[HL101]`", loc))
                continue
            bad = [rule for rule in directive.ids if not _ID.match(rule) or rule not in known]
            if bad:
                prefixes = [rule for rule in bad if any(known_id.startswith(rule) for known_id in known)]
                hint = (f" ({', '.join(prefixes)}: a suppression names full rule ids, not prefixes)"
                        if prefixes else "")
                findings.append(Finding("HL009", f"unknown rule id(s) in suppression: {', '.join(bad)}{hint}", loc))
            if show_unused:
                unused = [rule for rule in directive.ids
                          if rule not in directive.used and rule not in bad and enabled(rule)]
                if unused:
                    where = "in this workload" if directive.kind == "annotation" else \
                        "in this block" if directive.span is not None else "here"
                    # the nearest line above it the rule is reported at in this file (the key of the service or
                    # section the comment sits in), else the nearest below: the finding it was most likely meant for
                    elsewhere = [f"{rule} is reported at line "
                                 f"{max(above) if (above := [n for n in lines if n < directive.line]) else min(lines)}"
                                 for rule in unused
                                 if (lines := where_reported.get((suppressions.rel, rule), set()) - {directive.line})]
                    hint = (f" ({', '.join(elsewhere)} of this file: a suppression covers only its own line, or the "
                            "next one when it stands alone on its line)") if elsewhere and \
                        directive.kind == "ignore" and directive.span is None else ""
                    findings.append(Finding("HL008", f"unused suppression: {', '.join(unused)} "
                                            f"reported nothing {where}{hint}", loc))
    return findings
