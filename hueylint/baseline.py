"""Baselines: adopt hueylint on a repository that already has findings.

``hueylint check --write-baseline FILE`` records today's findings by
fingerprint (:mod:`hueylint.fingerprints`), never by line number, so the
baseline survives unrelated edits. ``hueylint check --baseline FILE`` then
reports only findings that are not in it. Entries that match nothing any more
(the finding was fixed, or its line changed) are *stale*: they are counted in
``result.extra["baseline_stale"]`` so the summary can say "rewrite me".

The file is sorted, indented JSON with one small object per finding and no
line numbers or messages (both move when lines are inserted, and messages may
quote secrets), so it diffs well in review::

    {
      "findings": [
        {"fingerprint": "3f0c...:1", "name": "stop-signal-not-graceful", "path": "deploy/huey.service",
         "rule": "HL101"}
      ],
      "fingerprint_version": "1",
      "hueylint_baseline": 1
    }
"""

from __future__ import annotations

import json
import shlex
from collections import Counter
from pathlib import Path

from hueylint import fingerprints
from hueylint.findings import Finding
from hueylint.safeio import read_regular, write_output

FORMAT_VERSION = 1
MAX_BASELINE_BYTES = 64 * 1024 * 1024  # about 300,000 entries


class BaselineError(Exception):
    """A baseline file that cannot be read, parsed or written (the CLI exits 2)."""


def _key(rule: str, path: str, fingerprint: str) -> tuple[str, str, str]:
    return (rule, path, fingerprint)


def _ensure_fingerprints(result) -> None:
    """Findings built outside the engine may lack fingerprints: compute them from the files."""
    if all(f.fingerprint for f in result.findings):
        return

    def line_of(path: str, number: int) -> str:
        try:
            lines = (Path(result.root) / path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return lines[number - 1] if 1 <= number <= len(lines) else ""

    fingerprints.compute(result.findings, line_of)


def entries(findings: list[Finding]) -> list[dict[str, str]]:
    from hueylint.catalog import rule_names

    names = rule_names()
    rows = [{"fingerprint": f.fingerprint, "name": names.get(f.rule, ""),
             "path": f.loc.path or "", "rule": f.rule} for f in findings]
    return sorted(rows, key=lambda row: (row["path"], row["rule"], row["fingerprint"]))


def dumps(findings: list[Finding]) -> str:
    document = {"hueylint_baseline": FORMAT_VERSION, "fingerprint_version": fingerprints.VERSION,
                "findings": entries(findings)}
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    # a non-UTF-8 path (surrogateescape) as a JSON \\udcXX escape: it loads back as the same str
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def write(result, path: Path) -> int:
    """Record every finding of ``result`` in ``path``; returns how many."""
    _ensure_fingerprints(result)
    try:
        write_output(path, dumps(result.findings), result.root)  # never through a planted folder link
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
    return len(result.findings)


def load(path: Path) -> list[dict[str, str]]:
    try:
        text = read_regular(path, MAX_BASELINE_BYTES).decode("utf-8")
    except FileNotFoundError as exc:  # the first run of a new adopter: say how to make one
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc} (record the current findings "
                            f"with `--write-baseline {shlex.quote(str(path))}`)") from None
    except OSError as exc:  # also a FIFO, device or oversize file (safeio): never a hang or a MemoryError
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise BaselineError(f"{path}: cannot read baseline: not UTF-8 ({exc.reason})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}:{exc.colno}: not a baseline (invalid JSON: {exc.msg})") from None
    except RecursionError:  # the decoder recurses once per nested array or object
        raise BaselineError(f"{path}: not a baseline (invalid JSON: nested too deeply)") from None
    if not isinstance(document, dict) or document.get("hueylint_baseline") != FORMAT_VERSION:
        raise BaselineError(f"{path}: not a hueylint baseline (version {FORMAT_VERSION}); "
                            "write one with --write-baseline")
    rows = document.get("findings")
    if not isinstance(rows, list) or not all(
            isinstance(row, dict) and all(isinstance(row.get(k), str) for k in ("rule", "path", "fingerprint"))
            for row in rows):
        raise BaselineError(f"{path}: 'findings' must be a list of objects with rule, path and fingerprint")
    return rows


def apply(result, path: Path) -> None:
    """Drop the findings recorded in the baseline; count matched and stale entries in ``result.extra``.

    An entry matches at most one finding (same rule, path and fingerprint).
    Entries written with another fingerprint recipe can never match: they all
    count as stale, which tells the user to rewrite the baseline.
    """
    rows = load(path)
    _ensure_fingerprints(result)
    kept, remaining = _unmatched(result.findings, rows)
    result.extra["baseline_matched"] = len(result.findings) - len(kept)
    result.findings = kept
    result.extra["baseline_stale"] = sum(remaining.values())


def unmatched(findings: list[Finding], rows: list[dict[str, str]]) -> list[Finding]:
    """The findings the baseline entries ``rows`` (:func:`load`) do not hide, in their order: what
    ``--baseline`` reports, and the only findings ``--fix --baseline`` fixes (findings carry the engine's
    fingerprints)."""
    return _unmatched(findings, rows)[0]


def _unmatched(findings: list[Finding], rows: list[dict[str, str]]
               ) -> tuple[list[Finding], Counter[tuple[str, str, str]]]:
    """(the findings no entry matches, the entries left unmatched: stale); an entry matches one finding."""
    remaining = Counter(_key(row["rule"], row["path"], row["fingerprint"]) for row in rows)
    kept: list[Finding] = []
    for finding in findings:
        key = _key(finding.rule, finding.loc.path or "", finding.fingerprint)
        if remaining[key] > 0:
            remaining[key] -= 1
            continue
        kept.append(finding)
    return kept, remaining
