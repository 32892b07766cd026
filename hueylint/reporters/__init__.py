"""Reporters turn findings into text, JSON, SARIF or GitHub workflow commands.

Each reporter is a module with ``render(result, out, options) -> None``;
they are imported lazily so the formats nobody asked for cost nothing.
"""

from __future__ import annotations

import importlib
import os

from hueylint.records import dataclass


@dataclass
class ReportOptions:
    """How a report is written: colour (``auto``, ``always``, ``never``), ``--quiet``, ``--statistics``,
    the folder paths are shown relative to, ``--fail-on`` and the SARIF run's category."""

    color_mode: str = "auto"  # auto (a terminal, FORCE_COLOR), always, never (no escape sequence at all)
    quiet: bool = False
    statistics: bool = False
    cwd: str = "."
    fail_on: str = "warning"
    sarif_category: str | None = None
    invocation_ok: bool = True


def render(fmt: str, result, out, options: ReportOptions) -> None:
    """Write ``result`` (an :class:`hueylint.engine.Result`) to the text stream ``out`` in the format ``fmt``
    (``text``, ``concise``, ``json``, ``sarif``, ``github``, ``gitlab``: the module
    ``hueylint/reporters/<fmt>_report.py``); ``ModuleNotFoundError`` for another name (the CLI offers only
    these).  The text and concise formats show paths relative to ``options.cwd``; the machine formats
    (JSON, SARIF, GitHub, GitLab) use paths relative to ``result.root``."""
    module = importlib.import_module(f"hueylint.reporters.{fmt}_report")
    module.render(result, out, options)


def by_rule(findings: list) -> list[tuple[str, list]]:
    """``--statistics``: (rule id, its findings) for each rule that found something, most frequent first,
    then by id (ruff's order)."""
    grouped: dict[str, list] = {}
    for finding in findings:
        grouped.setdefault(finding.rule, []).append(finding)
    return sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0]))


def internal_errors(result) -> list:
    """The run's internal-error notices (``engine.Result.internal_errors``; none for a hand-built result)."""
    return list(getattr(result, "internal_errors", []))


def report_path(root: object, rel: str) -> str:
    """A path for machine-readable reports: root-relative, or absolute for a file outside the run
    root (a second checkout named on the command line), never ``../``."""
    import posixpath
    from pathlib import Path

    if rel and (rel == ".." or rel.startswith("../")):
        return posixpath.normpath(posixpath.join(Path(str(root)).as_posix(), rel))
    return rel


def display_path(result, rel: str, cwd: str) -> str:
    """Paths as the user typed them: relative to the current folder when possible."""
    from hueylint.safeio import shown

    if not rel:
        return rel
    return shown(os.path.join(os.path.abspath(str(result.root)), rel), cwd)
