"""Rule implementations.  Each reads the deployment model, never raw files.

A check is a function registered with :func:`check`; the catalog file of the
same id (``rules/HL101-*.toml``) carries its documentation and examples.
Modules are imported on demand by :func:`all_checks`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable, Iterable

from hueylint.config import Settings
from hueylint.findings import Finding
from hueylint.model import Project

CheckFn = Callable[[Project, "Context"], Iterable[Finding]]
_REGISTRY: dict[str, CheckFn] = {}
MODULES = ("shutdown", "supervision", "periodic", "appconfig", "logging_", "workers", "hygiene", "options")


@dataclass
class Context:
    settings: Settings

    @property
    def longest_task(self) -> float:
        return self.settings.longest_task


def check(rule_id: str) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        _REGISTRY[rule_id] = fn
        return fn
    return register


def all_checks() -> dict[str, CheckFn]:
    for name in MODULES:
        try:
            importlib.import_module(f"hueylint.checks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"hueylint.checks.{name}":
                raise
    return dict(_REGISTRY)
