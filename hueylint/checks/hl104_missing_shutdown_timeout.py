"""HL104: huey 3.4+ and no ``-t``: a stuck task holds the shutdown until SIGKILL (forever when none comes)."""

from __future__ import annotations

import math
from typing import Iterable

from hueylint.checks import Context, check, fixing
from hueylint.checks._app import consumer_loc, options_loc
from hueylint.checks._stop import command_deadlines, judged, others_deadline, stop_view
from hueylint.findings import Finding, Related
from hueylint.hueyfacts import option_since
from hueylint.model import Project


@check("HL104")
def missing_shutdown_timeout(project: Project, ctx: Context) -> Iterable[Finding]:
    shared = command_deadlines(project)
    for launch in project.launches:
        view = stop_view(launch)
        if launch.shutdown_timeout is not None or view is None or not judged(launch):
            continue
        if not launch.huey_version.at_least(*option_since("shutdown_timeout")):
            continue
        deadline = view[1]
        # a wrapper passing on its caller's words (`"$@"`): the finding is at the caller's line, the wrapper related
        related = [Related(consumer_loc(launch), "the consumer command")] if launch.consumer.options_at else []
        version = launch.huey_version
        pinned = f"({version.describe()})" if version.value is None else f"with {version.describe()}"
        if deadline is None or not deadline.known:
            # a value chosen blind may sit above the real deadline (`docker stop`'s 10 s under a container
            # runner): the finding says what bounds it and offers no edit
            why = f" (not known here: {deadline.unknown})" if deadline is not None else ""
            message = (f"no `-t/--shutdown-timeout` {pinned}: a stuck task holds the shutdown until SIGKILL and "
                       f"is lost without SIGNAL_INTERRUPTED. Fix: add `-t SECONDS`, a few seconds below the kill "
                       f"deadline{why}")
            yield Finding("HL104", message, options_loc(launch), related=related)
            continue
        hint = "55"
        if deadline.value and deadline.value != math.inf:
            hint = str(max(int(min(deadline.value, others_deadline(shared, launch))) - 5, 1))
        # the value the message gives, below the deadline as it is (and below those of the other launches running
        # the same command): when HL102's fix raises the deadline in the same pass, HL102 raises this `-t` with it
        # in the next one (`--select HL104` alone stays below it)
        seconds = int(hint)
        advice = fixing.code_options(launch, ["-t", hint]) or f"add `-t {hint}`"
        if deadline.value == math.inf:
            # no SIGKILL ever comes: systemd `TimeoutStopSec=infinity` or `0` (the stop job waits for the consumer as
            # long as it runs), `KillMode=none` (the unit stops, the consumer is left running), a start script's
            # lone `kill`
            message = (f"no `-t/--shutdown-timeout` {pinned}: nothing kills the consumer after a stop signal (no "
                       f"kill deadline: {deadline.where()}), so a stuck task keeps it from exiting, forever. Fix: "
                       f"{advice} (huey then interrupts the running tasks, with SIGNAL_INTERRUPTED, and exits)")
        else:
            message = (f"no `-t/--shutdown-timeout` {pinned}: a stuck task holds the shutdown until SIGKILL and "
                       f"is lost without SIGNAL_INTERRUPTED. Fix: {advice} (a few seconds below the kill deadline)")
        edit = fixing.command_fix(launch, ctx, ["-t", str(seconds)], f"add `-t {seconds}` to the consumer command")
        yield Finding("HL104", message, options_loc(launch), related=related, fix=edit)
