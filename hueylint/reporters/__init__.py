"""Reporters turn findings into text, JSON, SARIF or GitHub workflow commands.

Each reporter is a module with ``render(result, out, options) -> None``;
they are imported lazily so the formats nobody asked for cost nothing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass
class ReportOptions:
    color: bool | None = None  # None: only on a terminal
    quiet: bool = False
    statistics: bool = False
    cwd: str = "."
    fail_on: str = "warning"
    sarif_category: str | None = None
    invocation_ok: bool = True


def render(fmt: str, result, out, options: ReportOptions) -> None:
    module = importlib.import_module(f"hueylint.reporters.{fmt}_report")
    module.render(result, out, options)


def display_path(result, rel: str, cwd: str) -> str:
    """Paths as the user typed them: relative to the current folder when possible."""
    import os

    if not rel:
        return rel
    full = os.path.join(str(result.root), rel)
    relative = os.path.relpath(full, cwd)
    return relative if not relative.startswith("..") else full
