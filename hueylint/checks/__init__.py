"""Rule implementations.  Each reads the deployment model, never raw files.

A check is a function registered with :func:`check`; the catalog file of the
same id (``rules/HL101-*.toml``) carries its documentation and examples.
Modules are imported on demand by :func:`all_checks`.

Checks import only the model layer (:mod:`hueylint.model` with :mod:`hueylint.launch_facts`,
:mod:`hueylint.appmodel`, :mod:`hueylint.huey_options`, :mod:`hueylint.hueyfacts`, :mod:`hueylint.signals`), :mod:`hueylint.findings`,
:mod:`hueylint.config`, the text edit builders of :mod:`hueylint.fix_edits` and each other: whatever a rule
needs from the platforms, the shell or the app layer is computed by them before the checks run and stored
in the model.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from hueylint.config import Settings
from hueylint.findings import Finding, Related
from hueylint.model import Launch, Loc, Project, Val

CheckFn = Callable[[Project, "Context"], Iterable[Finding]]
_REGISTRY: dict[str, CheckFn] = {}
_MODULES: dict[str, list[str]] = {}  # rule id -> the modules of its registered checks, in registration order

# The catalog's rules that no check reports: the engine and its input layers emit them while reading the tree
# or applying suppressions.  rule id -> the modules that build the finding (a test holds both in step).
EMITTED_ELSEWHERE: dict[str, tuple[str, ...]] = {
    # a file that cannot be read or parsed: engine.build_project (stdin too large, binary or not UTF-8; the files
    # discovery could not read), Workspace.unparseable / Workspace.file (a parser's error, a referenced file)
    "HL001": ("hueylint.engine", "hueylint.workspace"),
    "HL008": ("hueylint.suppressions",),  # an unused suppression: suppressions.directive_findings
    "HL009": ("hueylint.suppressions",),  # an invalid suppression: suppressions.directive_findings
}


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
        _MODULES.setdefault(rule_id, []).append(fn.__module__)
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


def check_modules() -> dict[str, tuple[str, ...]]:
    """rule id -> the modules its checks were registered from (``hueylint.checks.hl101_...``), in
    registration order; every module is imported first, as by :func:`all_checks`."""
    all_checks()
    return {rule_id: tuple(dict.fromkeys(modules)) for rule_id, modules in sorted(_MODULES.items())}


def anchor(launch: Launch) -> Loc:
    """Where a finding about a setting the launch *lacks* goes: the section that should hold it
    (systemd ``[Service]``, when the builder recorded it as ``Launch.section``), else the launch."""
    section = launch.section
    return section.loc if section is not None and section.loc.path else launch.loc


def setting_finding(rule: str, message: str, value: Val[Any], launch: Launch) -> Finding:
    """A finding about a launch setting: at the setting when it is written, else where it should be."""
    loc = anchor(launch) if value.loc.is_default else value.loc
    command = launch.command  # a Kubernetes container's `command:`/`args:` line
    return Finding(rule, message, loc, related=[Related(command.loc if command is not None else launch.loc,
                                                        "the consumer command")])
