"""GitLab Code Quality: the JSON list a ``artifacts:reports:codequality`` artifact holds.

One object per finding, the subset of the Code Climate issue GitLab reads
(https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format)::

    {"description": "HL101 message", "check_name": "HL101", "fingerprint": "...",
     "severity": "critical", "location": {"path": "deploy/huey.service", "lines": {"begin": 11, "end": 11}}}

``severity`` maps hueylint's three levels onto GitLab's five (info, minor, major, critical, blocker):
error -> critical (a deployment that loses tasks), warning -> major, note -> info; ``blocker`` is left
unused. ``fingerprint`` is the finding's stable fingerprint (:mod:`hueylint.fingerprints`: rule, path and
line text, unique per file), so GitLab tells new findings from moved ones between the source and target
branches. Paths are relative to the run root (the repository's checkout), as GitLab resolves them.
Internal errors are not issues: the CLI reports them on stderr and exits 2, which fails the job.
"""

from __future__ import annotations

import hashlib
import json

from hueylint.findings import Finding, Severity
from hueylint.reporters import ReportOptions, report_path
from hueylint.terminal import printable

SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.NOTE: "info"}


def _fingerprint(finding: Finding, path: str) -> str:
    """The finding's fingerprint; one computed from what is shown when it has none (a hand-built result)."""
    if finding.fingerprint:
        return finding.fingerprint
    loc = finding.loc
    key = "\0".join((finding.rule, path, str(loc.line), str(loc.col), finding.message))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def issue(finding: Finding, root: str) -> dict:
    """One Code Quality issue for ``finding`` (paths as :func:`report_path` gives them)."""
    loc = finding.loc
    path = report_path(root, loc.path or "")
    begin = max(loc.line or 1, 1)
    return {
        "description": printable(f"{finding.rule} {finding.message}"),
        "check_name": finding.rule,
        "fingerprint": _fingerprint(finding, path),
        "severity": SEVERITY[finding.severity or Severity.WARNING],
        "location": {"path": path, "lines": {"begin": begin, "end": max(loc.end_line or begin, begin)}},
    }


def render(result, out, options: ReportOptions) -> None:
    json.dump([issue(finding, str(result.root)) for finding in result.findings], out, indent=2)
    out.write("\n")
