"""HL302: the app declares periodic tasks but every consumer of it in a deployment unit runs with ``-n``."""

from __future__ import annotations

from typing import Any, Iterable

from hueylint.checks import Context, check
from hueylint.checks._periodic import app_declares_periodic, app_text, unit_groups
from hueylint.findings import Finding, Related
from hueylint.model import Project, RandomNameBranch, Val


@check("HL302")
def periodic_tasks_never_enqueued(project: Project, ctx: Context) -> Iterable[Finding]:
    """One finding a place: the deployment units whose consumers are the same launches (a compose base file's
    project and the project of the base with an override that leaves its consumers alone, field test
    BeepBoopRun/holding-tight) are named together at the `-n` they share, not told twice."""
    found: dict[tuple[Any, ...], tuple[list[str], Any]] = {}
    for unit, loc, head, tail, related in _claims(project):
        units, _ = found.setdefault((loc, head, tail), ([], related))
        if unit not in units:
            units.append(unit)
    for (loc, head, tail), (units, related) in found.items():
        yield Finding("HL302", f"{head}{' and '.join(units)}{tail}", loc, related=related)


def _claims(project: Project) -> Iterable[tuple[str, Any, str, str, list[Related]]]:
    """Each unit's claim: (unit, location, the message before the unit, the message after it, related)."""
    for (unit, _key), launches in unit_groups(project).items():
        if not launches or app_declares_periodic(project, launches[0]) is not True:
            continue
        flags = [launch.periodic for launch in launches]
        if not all(flag.known and flag.value is False for flag in flags):
            continue
        first = launches[0]
        settings = [_setting_of(project, flag) for flag in flags]
        written = next((name for name in settings if name is not None), None)
        unpicked = next((launch.random_name_branch for launch in launches if launch.random_name_branch is not None
                         and launch.random_name_branch.periodic), None)
        if written is None:  # every consumer has -n on its command line
            how = f"`-n/--no-periodic` ({', '.join(flag.where() for flag in flags)})"
            fix = "drop `-n` from exactly one single-instance consumer" if unpicked is None else _random_names(unpicked)
        else:
            # the consumer options of Django's settings: run_huey's options default to None and `-n` only sets
            # False, so no command line turns periodic tasks back on (huey-facts: run_huey's consumer options)
            flagged = [flag.where() for flag, name in zip(flags, settings) if name is None]
            how = f"`'periodic': False` in {written} ({flags[settings.index(written)].where()})" + (
                f" or `-n/--no-periodic` ({', '.join(flagged)})" if flagged else "")
            fix = f"remove `'periodic': False` from {written} (no command-line option turns periodic tasks back on)"
            if len(launches) > 1:
                fix += ", then pass `-n` to every consumer but one single-instance consumer"
        head = f"{app_text(first)} declares periodic tasks, but every consumer of it in "
        tail = f" runs with {how}: the periodic tasks are never enqueued. Fix: {fix}"
        loc = flags[0].loc if not flags[0].loc.is_default else first.loc
        seen = {loc}  # the settings value every consumer of them shares is one place to change
        related = []
        for flag, name in zip(flags[1:], settings[1:]):
            if not flag.loc.is_default and flag.loc not in seen:
                seen.add(flag.loc)
                related.append(Related(flag.loc, "also `-n`" if name is None else f"also {written}"))
        if written is None and unpicked is not None:
            related.append(Related(unpicked.loc, f"`{unpicked.branch}`: taken by no pod, so this consumer never runs"))
        yield unit, loc, head, tail, related


def _random_names(unpicked: RandomNameBranch) -> str:
    """The fix when the consumer that would enqueue the periodic tasks sits in a branch that picks a pod by a fixed
    name of a workload whose pods are named at random (a Deployment's): that branch never runs."""
    how = "a random suffix" if unpicked.kind == "ReplicaSet" else "its ReplicaSet's hash and a random suffix"
    return (f"a {unpicked.kind}'s pod names are random (`{unpicked.pattern}`: {how}), so "
            f"`{unpicked.branch}` ({unpicked.loc}), which picks one pod by a fixed name, never runs as intended and "
            "its consumer without `-n` never starts: run the periodic-task scheduler in a StatefulSet (stable pod names "
            f"`{unpicked.workload}-0`, `{unpicked.workload}-1`, ...) or in a separate Deployment with `replicas: 1` "
            "and no `-n`")


def _setting_of(project: Project, flag: Val[Any]) -> str | None:
    """``HUEY['consumer']`` (or ``DJANGO_HUEY['queues']['mail']['consumer']``) when ``flag`` is the
    ``periodic`` value of a Django app's consumer settings (the linker hands the launch that very value,
    :meth:`hueylint.pyapp.link._Linker.merge_consumer`); None when a command line's ``-n`` set it."""
    for app in project.apps:
        config = getattr(app, "config", None)
        consumer = getattr(config, "consumer", None) or {}
        if consumer.get("periodic") is flag:
            setting = getattr(app, "setting", None)
            name = getattr(setting, "name", "HUEY")
            queue = getattr(app, "queue", None)
            return f"{name}['queues']['{queue}']['consumer']" if name == "DJANGO_HUEY" and queue else \
                f"{name}['consumer']"
    return None
