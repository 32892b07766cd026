"""HL103: ``-t`` is not at least 2 seconds below the kill deadline."""

from __future__ import annotations

import math
from typing import Iterable

from hueylint.checks import Context, check, fixing
from hueylint.checks._stop import judged, stop_view
from hueylint.findings import Finding, Related
from hueylint.hueyfacts import joinable_timeout
from hueylint.model import Project, format_seconds


@check("HL103")
def shutdown_timeout_not_below_deadline(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        view = stop_view(launch)
        if view is None or not judged(launch):
            continue
        timeout, deadline = launch.shutdown_timeout, view[1]
        if timeout is None or not timeout.known or timeout.value is None or not joinable_timeout(timeout.value):
            continue  # a -t no join can wait is HL002
        if deadline is None or not deadline.known or deadline.value is None or deadline.value == math.inf:
            continue
        if timeout.value <= deadline.value - 2:
            continue
        target = max(int(deadline.value) - 5, 1)
        message = (f"`-t {timeout.value:g}` is not at least 2s below the kill deadline of "
                   f"{format_seconds(deadline.value)} ({deadline.where()}): SIGKILL arrives before huey "
                   f"interrupts stragglers and emits SIGNAL_INTERRUPTED. Fix: `-t {target}`, or raise the deadline")
        related = [] if deadline.loc.is_default else [Related(deadline.loc, "the kill deadline")]
        edit = fixing.deadline_fix(launch, ctx, deadline, fixing.grace_for(0, timeout.value))
        if edit is None and not launch.deadline_configurable:
            edit = fixing.option_value_fix(timeout, ctx, str(target), f"lower `-t` to {target}")
        yield Finding("HL103", message, timeout.loc, related=related, fix=edit)
