"""Rule implementations.  Each reads the deployment model, never raw files.

A rule is found from its id: the check of HL101 and the text of its messages live in
``hueylint/checks/hl101_stop_signal_not_graceful.py``, named by the id in lower case and the catalog's
rule name (``rules/HL101-stop-signal-not-graceful.toml``, which carries its documentation, examples and
security metadata).  Rules that share most of their code may share one module named with all their ids
(``hl501_hl503_logfile.py``); one module per rule is the rule.  Helpers several rules use live in small
modules named for what they hold, with a leading underscore (``_app.py``: the apps launches run and the
huey they use; ``_storage.py``: the storages an app may run with; ``_locks.py``, ``_stop.py``,
``_periodic.py``, ``_logfile.py``, ``_systemd.py``), in :mod:`hueylint.checks.fixing` (the edits of
``--fix``) or here.

A check is a function ``(project, ctx) -> Iterable[Finding]`` registered with :func:`check`.
:func:`all_checks` imports every module of this package (sorted by name, so registration order is
stable) and returns ``{rule id: check}``; a rule with several checks (HL002: Django settings keys, then
command lines, in the order their module defines them) runs them in registration order.  The catalog's
rules that no check reports (HL001, HL008, HL009) are built by the engine's layers: see
:data:`EMITTED_ELSEWHERE`.  ``tests/unit/test_registry.py`` holds the registry, the module names and the
catalog in step.

Checks import only the model layer (:mod:`hueylint.model` with :mod:`hueylint.launch_facts`,
:mod:`hueylint.appmodel`, :mod:`hueylint.huey_options`, :mod:`hueylint.hueyfacts`, :mod:`hueylint.signals`), :mod:`hueylint.findings`,
:mod:`hueylint.config`, the text edit builders of :mod:`hueylint.fix_edits` and each other: whatever a rule
needs from the platforms, the shell or the app layer is computed by them before the checks run and stored
in the model.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable, Iterable

from hueylint.config import Settings
from hueylint.findings import Finding, Related
from hueylint.locations import Loc
from hueylint.model import Launch, Project, Val
from hueylint.records import dataclass

CheckFn = Callable[[Project, "Context"], Iterable[Finding]]
_REGISTRY: dict[str, CheckFn] = {}
_MODULES: dict[str, list[str]] = {}  # rule id -> the modules of its registered checks, in registration order

# The catalog's rules that no check reports: the engine and its input layers emit them while reading the tree
# or applying suppressions.  rule id -> the modules that build the finding (a test holds both in step).
EMITTED_ELSEWHERE: dict[str, tuple[str, ...]] = {
    # a file that cannot be read or parsed: engine.build_project (the files discovery, or its stdin classifier,
    # could not read), Workspace.unparseable / Workspace.file (a parser's error, a referenced file)
    "HL001": ("hueylint.engine", "hueylint.workspace"),
    "HL008": ("hueylint.suppressions",),  # an unused suppression: suppressions.directive_findings
    "HL009": ("hueylint.suppressions",),  # an invalid suppression: suppressions.directive_findings
}


@dataclass
class Context:
    """What a check may read besides the model: the run's settings (``longest_task``: the longest task
    in seconds, from ``longest-task``, 20 by default), and ``text(path)``, the analysed text of
    a repository file by its repo-relative path (None when unknown), used only to compute the exact edits of
    fixes."""

    settings: Settings
    text: Callable[[str], str | None] = lambda path: None

    @property
    def longest_task(self) -> float:
        return self.settings.longest_task


def check(rule_id: str) -> Callable[[CheckFn], CheckFn]:
    """Decorator: register ``fn``, a ``(project, ctx) -> Iterable[Finding]``, as a check of ``rule_id`` (an
    ``HLnnn`` id of the catalog; ``tests/unit/test_registry.py`` holds the two in step).  Several functions
    may check one rule (HL002: command lines and settings): they run in registration order, as one check.
    A check reads only the model and yields findings with the rule's own id; it must not raise on any model
    (the engine turns an exception into an internal-error notice naming the rule)."""
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
    """``{rule id: check}``, sorted by id: every module of this package imported (in name order, so a
    rule's checks register in a stable order), each registering its checks with :func:`check`."""
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return dict(sorted(_REGISTRY.items()))


def check_modules() -> dict[str, tuple[str, ...]]:
    """rule id -> the modules its checks were registered from (``hueylint.checks.hl101_...``), in
    registration order; every module is imported first, as by :func:`all_checks`."""
    all_checks()
    return {rule_id: tuple(dict.fromkeys(modules)) for rule_id, modules in sorted(_MODULES.items())}


def launch_name(launch: Launch, nameless: str = "the consumer") -> str:
    """How a message names a launch: ```worker``` (its unit, program, service or container), else ``nameless``."""
    return f"`{launch.name}`" if launch.name else nameless


def instance_unit(unit: str) -> str:
    """A systemd template unit's name (``worker@.service``) as one of its instances is named
    (``worker@INSTANCE.service``): what runs, and what ``systemctl`` takes (it refuses the template's own name,
    systemd.unit(5)); any other name as it is."""
    return unit.replace("@.", "@INSTANCE.", 1) if "@." in unit else unit


def running_name(launch: Launch, nameless: str = "the consumer") -> str:
    """How a message about what a running consumer does or undergoes (it is stopped, exits, runs as a user, logs)
    names the launch: :func:`launch_name`, a systemd template unit by an instance (:func:`instance_unit`), as
    HL106 names the unit ``systemctl reload`` takes; a message about the template itself (HL301's instance count)
    keeps :func:`launch_name`."""
    if launch.platform == "systemd" and launch.name:
        return f"`{instance_unit(launch.name)}`"
    return launch_name(launch, nameless)


def anchor(launch: Launch) -> Loc:
    """Where a finding about a setting the launch *lacks* goes: the section that should hold it
    (systemd ``[Service]``, when the builder recorded it as ``Launch.section``), else the launch."""
    section = launch.section
    return section.loc if section is not None and section.loc.path else launch.loc


def setting_finding(rule: str, message: str, value: Val[Any], launch: Launch) -> Finding:
    """A finding about a launch setting: at the setting when it is written, else where it should be; related to
    the line that starts the consumer: a Kubernetes container's `command:`/`args:` line or a compose service's
    `command:`, else (a container or service that writes no command: the image's CMD runs it) the consumer word
    itself, wherever it is written (``Dockerfile:9``), never the container or service line again (a command
    line that is the finding's own, a supervisord ``command=``, stays whole)."""
    loc = anchor(launch) if value.loc.is_default else value.loc
    command = launch.command.loc if launch.command is not None else launch.loc
    program = launch.consumer.program
    if command == loc and program is not None and not program.loc.is_default and program.loc.path and (
            program.loc.path, program.loc.line) != (loc.path, loc.line):
        command = program.loc
    return Finding(rule, message, loc, related=[Related(command, "the consumer command")])
