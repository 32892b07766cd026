"""HL302: the app declares periodic tasks but every consumer of it in a deployment unit runs with ``-n``."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check
from hueylint.checks._periodic import app_declares_periodic, app_text, unit_groups
from hueylint.findings import Finding, Related
from hueylint.model import Project


@check("HL302")
def periodic_tasks_never_enqueued(project: Project, ctx: Context) -> Iterable[Finding]:
    for (unit, _key), launches in unit_groups(project).items():
        if not launches or app_declares_periodic(project, launches[0]) is not True:
            continue
        flags = [launch.periodic for launch in launches]
        if not all(flag.known and flag.value is False for flag in flags):
            continue
        first = launches[0]
        message = (f"{app_text(first)} declares periodic tasks, but every consumer of it in {unit} runs with "
                   f"`-n/--no-periodic` ({', '.join(flag.where() for flag in flags)}): the periodic tasks are "
                   "never enqueued. Fix: drop `-n` from exactly one single-instance consumer")
        related = [Related(flag.loc, "also `-n`") for flag in flags[1:] if not flag.loc.is_default]
        loc = flags[0].loc if not flags[0].loc.is_default else first.loc
        yield Finding("HL302", message, loc, related=related)
