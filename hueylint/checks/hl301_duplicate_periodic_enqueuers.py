"""HL301: more than one consumer instance in one deployment unit enqueues periodic tasks (no ``-n``)."""

from __future__ import annotations

from typing import Any, Iterable

from hueylint.checks import Context, check, launch_name
from hueylint.checks._app import options_loc
from hueylint.checks._periodic import app_declares_periodic, app_text, unit_groups
from hueylint.findings import Finding, Related, Severity
from hueylint.locations import Loc
from hueylint.model import Choices, Launch, Project, exclusive


def _scaled(launch: Launch) -> tuple[str, Any] | None:
    """How this launch runs several instances ("3 instances", "scalable"), or None for one."""
    instances = launch.instances
    if not instances.known:
        return None
    value = instances.value
    if value == "scalable":
        kind = " as a template unit (`systemctl start name@1 name@2 ...`)" if launch.platform == "systemd" else ""
        return f"any number of instances{kind}", instances
    if isinstance(value, int) and not isinstance(value, bool) and value > 1:
        return f"{value} instances", instances
    return None


def _enqueues(launch: Launch) -> bool:
    """The consumer starts (huey accepts its command line; at least one instance: compose ``scale: 0`` and
    Kubernetes ``replicas: 0`` start none) and enqueues periodic tasks."""
    if launch.refused or (launch.instances.known and launch.instances.value == 0):
        return False
    periodic = launch.periodic
    return periodic.known and periodic.value is not False


def _periodic_clause(declares: bool | None, launch: Launch, outcome: str) -> str:
    """What happens to the periodic tasks: "each periodic task `app` declares <outcome>", or, when the
    app's code is not known, the same under an explicit "if"."""
    if declares:
        return f"each periodic task {app_text(launch)} declares {outcome}"
    return (f"if {app_text(launch)} declares periodic tasks (its code is not in the repo or not linked), "
            f"each one {outcome}")


def _run(launch: Launch) -> Loc:
    """Where the platform starts the run ``launch`` comes from (a compose service, a unit, a Procfile entry):
    the clauses one script takes are alternatives only within one run of it; two services starting the same
    entrypoint with other arguments (`server`, `worker`) both run."""
    return launch.chain[0].loc if launch.chain else launch.loc


class _PathIndex:
    """The launches of one group indexed by the run they come from and the script branches they took
    (``Launch.choices``), so that "which launches run together with this one" costs one step per distinct path
    of its own run, not per launch: a compose file of 3,000 services has 3,000 runs of one path each (no
    branches), summed once."""

    def __init__(self, launches: list[Launch]) -> None:
        # run -> choices -> (index of the first launch, consumer processes, whether a count is only a lower bound)
        self.runs: dict[Loc, dict[Choices, tuple[int, int, bool]]] = {}
        for index, launch in enumerate(launches):
            paths = self.runs.setdefault(_run(launch), {})
            first, count, more = paths.get(launch.choices, (index, 0, False))
            processes, bound = _processes(launch)
            paths[launch.choices] = (first, count + processes, more or bound)
        # each run's totals, and over all runs: processes, runs with a lower bound, the two smallest first indexes
        self.totals = {run: (min(p[0] for p in paths.values()), sum(p[1] for p in paths.values()),
                             any(p[2] for p in paths.values())) for run, paths in self.runs.items()}
        self.count = sum(total[1] for total in self.totals.values())
        self.bounded = sum(1 for total in self.totals.values() if total[2])
        self.firsts = sorted((total[0], index) for index, total in enumerate(self.totals.values()))[:2]
        self.order = {run: index for index, run in enumerate(self.totals)}

    def together(self, launch: Launch) -> tuple[str, int]:
        """How many consumer processes run together with ``launch`` (its own instances included: "3", or "at
        least 3" when a count is not known), and the index of the first launch: every other run's, and those of
        its own run's paths that are not an alternative to its own."""
        run = _run(launch)
        own_first, own_count, own_bound = self.totals[run]
        count, more = self.count - own_count, self.bounded - (1 if own_bound else 0) > 0
        first = next((start for start, index in self.firsts if index != self.order[run]), -1)
        for choices, (start, number, bound) in self.runs[run].items():
            if choices == launch.choices or not exclusive(choices, launch.choices):
                count, more = count + number, more or bound
                first = start if first < 0 else min(first, start)
        return f"at least {count}" if more else str(count), first


def _processes(launch: Launch) -> tuple[int, bool]:
    """The consumer processes ``launch`` runs (its instance count) and whether that is only a lower bound."""
    value = launch.instances.value if launch.instances.known else None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value, False
    return 1, True


@check("HL301")
def duplicate_periodic_enqueuers(project: Project, ctx: Context) -> Iterable[Finding]:
    reported: set[int] = set()
    for launch in project.launches:
        if not _enqueues(launch):
            continue
        scaled = _scaled(launch)
        if scaled is None:
            continue
        declares = app_declares_periodic(project, launch)
        if declares is False:
            continue
        count, instances = scaled
        what = launch_name(launch)
        message = (f"{what} runs {count} ({instances.where()}) without `-n/--no-periodic`: each instance "
                   f"enqueues every periodic task, so {_periodic_clause(declares, launch, 'runs once per instance')}. "
                   "Fix: add `-n` here and run a single separate consumer without `-n` for the "
                   "periodic tasks")
        related = [] if instances.loc.is_default else [Related(instances.loc, "the instance count")]
        reported.add(id(launch))
        yield Finding("HL301", message, options_loc(launch), related=related,
                      severity=Severity.ERROR if declares else Severity.WARNING)
    for (unit, _key), launches in unit_groups(project).items():
        enqueuing = [launch for launch in launches if _enqueues(launch)]
        if len(enqueuing) < 2:
            continue
        declares = app_declares_periodic(project, enqueuing[0])
        if declares is False:
            continue
        paths = _PathIndex(enqueuing)
        for index, launch in enumerate(enqueuing[1:], 1):
            if id(launch) in reported:
                continue
            # launches in different clauses of one script `if`/`case` are alternatives, never together
            together, first_index = paths.together(launch)
            if first_index >= index:
                continue
            first = enqueuing[first_index]
            what = launch_name(launch, "this consumer")
            other = launch_name(first, "another consumer")
            message = (f"{what} and {other} ({first.loc}) both run the consumer for {app_text(launch)} without "
                       f"`-n/--no-periodic` in one deployment unit ({unit}): "
                       f"{_periodic_clause(declares, launch, f'is enqueued {together} times')}. Fix: add `-n` to all but one of them")
            reported.add(id(launch))  # once, also when an unresolved launch sits in several groups
            yield Finding("HL301", message, options_loc(launch),
                          related=[Related(options_loc(first), "also enqueues periodic tasks")],
                          severity=Severity.ERROR if declares else Severity.WARNING)
