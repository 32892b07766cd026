"""Inline suppressions, in each format's comment syntax.

``# hueylint: ignore[HL101]`` (or ``; hueylint: ...`` in INI files) on the
finding's line, or alone on the line before; ``hueylint: ignore-file[HL201]``
in the first lines of a file.  Like ruff's strict noqa, a suppression must
name its rules: a bare ``ignore`` is refused with a finding (HL009), so a
blanket comment can never hide a future, unrelated problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from hueylint.findings import Finding
from hueylint.model import Loc

FILE_HEADER_LINES = 20
_DIRECTIVE = re.compile(
    r"(?:^|\s|[#;])(?:#|;|//)\s*hueylint:\s*(?P<kind>ignore-file|ignore)\b(?:\[(?P<ids>[^\]]*)\])?",
    re.IGNORECASE,
)
_COMMENT_ONLY = re.compile(r"^\s*(?:#|;|//)")
_ID = re.compile(r"^HL\d{3}$")


@dataclass
class Directive:
    line: int
    col: int
    kind: str  # ignore | ignore-file
    ids: tuple[str, ...]
    standalone: bool  # the comment is alone on its line
    used: set[str] = field(default_factory=set)


@dataclass
class FileSuppressions:
    rel: str
    directives: list[Directive]

    def suppresses(self, finding: Finding) -> bool:
        line = finding.loc.line
        for directive in self.directives:
            if not directive.ids:
                continue
            if directive.kind == "ignore-file":
                applies = True
            else:
                applies = directive.line == line or (directive.standalone and directive.line == line - 1)
            if applies and finding.rule in directive.ids:
                directive.used.add(finding.rule)
                return True
        return False


def parse_directives(rel: str, lines: list[str]) -> FileSuppressions:
    directives: list[Directive] = []
    for number, text in enumerate(lines, start=1):
        if "hueylint:" not in text.lower():
            continue
        match = _DIRECTIVE.search(text)
        if not match:
            continue
        kind = match.group("kind").lower()
        if kind == "ignore-file" and number > FILE_HEADER_LINES:
            continue
        raw_ids = match.group("ids")
        ids = tuple(part.strip().upper() for part in raw_ids.split(",") if part.strip()) if raw_ids else ()
        directives.append(Directive(number, match.start("kind") + 1, kind, ids, bool(_COMMENT_ONLY.match(text))))
    return FileSuppressions(rel, directives)


def directive_findings(files: list[FileSuppressions], known: set[str], show_unused: bool,
                       enabled: Callable[[str], bool] = lambda rule: True) -> list[Finding]:
    """HL009 for bare or unknown suppressions; HL008 for unused ones when asked (only rules ``enabled``
    in this run: a rule that did not run cannot tell whether its suppression is still needed)."""
    findings: list[Finding] = []
    for suppressions in files:
        for directive in suppressions.directives:
            loc = Loc(suppressions.rel, directive.line, directive.col)
            if not directive.ids:
                findings.append(Finding(
                    "HL009", f"`hueylint: {directive.kind}` without rule ids is refused: name the rules, "
                    f"e.g. `hueylint: {directive.kind}[HL101]`", loc))
                continue
            bad = [rule for rule in directive.ids if not _ID.match(rule) or rule not in known]
            if bad:
                findings.append(Finding("HL009", f"unknown rule id(s) in suppression: {', '.join(bad)}", loc))
            if show_unused:
                unused = [rule for rule in directive.ids
                          if rule not in directive.used and rule not in bad and enabled(rule)]
                if unused:
                    findings.append(Finding("HL008", f"unused suppression: {', '.join(unused)} "
                                            "reported nothing here", loc))
    return findings
