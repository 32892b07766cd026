"""Stable finding fingerprints, in the spirit of GitHub's ``primaryLocationLineHash``.

A fingerprint must survive the edits that do not touch a finding: lines
inserted or removed above it, hueylint run from another folder, with absolute
or relative paths.  So it hashes only what identifies the finding itself:

    rule id + repo-relative path + the finding's source line, whitespace-normalised

and appends ``:N``, the occurrence number of that same hash in the file (in
line order), so two identical lines with the same finding stay distinct.
Line numbers and messages are left out on purpose: messages quote positions
("huey.service:4") that move whenever a line is inserted.  Baselines
(:mod:`hueylint.baseline`) and SARIF ``partialFingerprints`` both use it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable, Protocol

from hueylint.findings import Finding

VERSION = "1"  # bump when the recipe changes: old baselines then report every entry as stale


class _Lines(Protocol):
    def line(self, number: int) -> str: ...


def normalise(text: str) -> str:
    """Whitespace-insensitive line text: re-indenting or retabbing a line keeps its fingerprint."""
    return " ".join(text.split())


def line_hash(rule: str, path: str, text: str) -> str:
    import hashlib  # imported by the first finding: a clean run never loads OpenSSL's binding

    # surrogateescape: a file name that is not UTF-8 hashes its raw bytes (valid UTF-8 hashes as before)
    digest = hashlib.sha256("\0".join((VERSION, rule, path, normalise(text))).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:16]


def compute(findings: Iterable[Finding], line_of: Callable[[str, int], str]) -> None:
    """Set ``finding.fingerprint`` on every finding.

    ``line_of(path, line)`` returns the text of a repo file's line ("" when
    unknown). Findings are numbered in (path, line, col) order so the
    occurrence counter does not depend on the order rules ran in.
    """
    ordered = sorted(findings, key=lambda f: (f.loc.path or "", f.loc.line, f.loc.col, f.rule, f.message))
    seen: dict[str, int] = defaultdict(int)
    for finding in ordered:
        path = finding.loc.path or ""
        text = line_of(path, finding.loc.line) if path and finding.loc.line else ""
        if not path:
            # A platform default has no line of its own: the message is all that identifies it.
            text = f"{finding.loc.default}\0{finding.message}"
        base = line_hash(finding.rule, path, text)
        seen[base] += 1
        finding.fingerprint = f"{base}:{seen[base]}"


def assign(findings: list[Finding], ws) -> list[Finding]:
    """Fingerprint findings using the workspace's files (stdin sources included); returns them."""

    def line_of(path: str, number: int) -> str:
        src: _Lines | None = ws.file(path)
        return src.line(number) if src is not None else ""

    compute(findings, line_of)
    return findings
