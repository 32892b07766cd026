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
from hueylint.findings import Finding, Related
from hueylint.model import Launch, Loc, Project, Val

CheckFn = Callable[[Project, "Context"], Iterable[Finding]]
_REGISTRY: dict[str, CheckFn] = {}


@dataclass
class Context:
    """What a check may read besides the model: the settings, and ``text(path)`` the analysed text of a
    repository file (None when unknown), used only to compute the exact edits of fixes."""

    settings: Settings
    text: Callable[[str], str | None] = lambda path: None

    @property
    def longest_task(self) -> float:
        return self.settings.longest_task


def check(rule_id: str) -> Callable[[CheckFn], CheckFn]:
    """Register ``fn`` for ``rule_id``; several modules may check one rule (HL002: command lines and settings)."""
    def register(fn: CheckFn) -> CheckFn:
        previous = _REGISTRY.get(rule_id)
        if previous is None or previous is fn:
            _REGISTRY[rule_id] = fn
        else:
            def combined(project: Project, ctx: Context, _first: CheckFn = previous, _then: CheckFn = fn
                         ) -> Iterable[Finding]:
                yield from _first(project, ctx)
                yield from _then(project, ctx)
            _REGISTRY[rule_id] = combined
        return fn
    return register


def all_checks() -> dict[str, CheckFn]:
    """Import every module of this package (each registers its checks) and return the registry."""
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return dict(sorted(_REGISTRY.items()))


def anchor(launch: Launch) -> Loc:
    """Where a finding about a setting the launch *lacks* goes: the section that should hold it
    (systemd ``[Service]``, when the builder recorded it as the ``launch.section`` fact), else the launch."""
    section = launch.facts.get("launch.section")
    return section.loc if section is not None and section.loc.path else launch.loc


def setting_finding(rule: str, message: str, value: Val, launch: Launch) -> Finding:
    """A finding about a launch setting: at the setting when it is written, else where it should be."""
    loc = anchor(launch) if value.loc.is_default else value.loc
    command = launch.facts.get("launch.command")  # a Kubernetes container's `command:`/`args:` line
    return Finding(rule, message, loc, related=[Related(command.loc if command is not None else launch.loc,
                                                        "the consumer command")])
