"""HL004: a place that looks like a consumer launch that hueylint cannot follow all the way.

The chain layer (:mod:`hueylint.chain`) keeps such a place as a launch with ``launch.unresolved``
parts instead of dropping it: a script not found in the repository, a variable it cannot resolve, a
module not in the repository.  The rules that do not need the missing part (stop signal, grace period,
restart policy, wrappers above it) run on the launch as usual; this rule says what was not followed,
so that silence means "checked and fine", never "not understood".
"""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check
from hueylint.findings import Finding, Related
from hueylint.hueyfacts import option_since
from hueylint.model import (
    CONTAINER_WHY,
    MAKE_WHY,
    OPTIONS_WHY,
    OUTSIDE_WHY,
    SIGNALS_WHY,
    TASK_RUNNER_WHY,
    TRANSIENT_UNIT_WHY,
    UWSGI_DAEMON_WHY,
    Launch,
    Project,
    Unresolved,
)

FIX = {
    "not found in the repository": "commit the script with the deployment, or run the consumer command directly",
    "not found in the repository, and not a launcher hueylint knows":
        "commit the script it runs with the deployment, or run the consumer command directly",
    "Python file not found in the repository": "commit the file, or run the consumer command directly",
    "module not in the repository": "run `huey_consumer APP` or `manage.py run_huey` directly, or commit the module",
    CONTAINER_WHY: "give the consumer the signal the container receives as its graceful one (`-g TERM` for "
                   "docker's default SIGTERM) and stop the container with a deadline above the consumer's `-t` "
                   "(`docker stop -t 90 NAME`, or `docker run --stop-timeout 90`)",
    TRANSIENT_UNIT_WHY: "run the consumer as the unit's own command (`ExecStart=`), or give the transient unit its "
                        "stop settings (`systemd-run -p KillSignal=SIGINT -p TimeoutStopSec=90 ...`)",
    MAKE_WHY: "run the consumer command itself in the launch (`exec huey_consumer ...`), not through make, so the "
              "platform's stop signal reaches it",
    TASK_RUNNER_WHY: "run the consumer command itself in the launch (`exec huey_consumer ...`), not through a "
                     "task runner, so the platform's stop signal reaches it",
    UWSGI_DAEMON_WHY: "run the consumer as a service of its own (a compose service, a supervisord program, a "
                      "systemd unit) with SIGINT or `-g TERM` and a deadline above your longest task, not as a uWSGI "
                      "daemon",
    OPTIONS_WHY: "commit the entrypoint that receives them, or write the consumer command whole",
    OUTSIDE_WHY: "check from the folder that holds the file too (the repository's root), or write the service's "
                 "command and stop settings in the checked tree",
    SIGNALS_WHY: "make sure the platform's stop signal is the one that code treats as graceful (huey's own handlers: "
                 "SIGINT, or SIGTERM with `graceful_signal=\"TERM\"` from huey 3.4), and give it a deadline above "
                 "your longest task",
}
#: the container fix for a huey without ``-g``/``-t`` (before 3.4): SIGINT is its only graceful signal
CONTAINER_FIX_BEFORE_3_4 = ("stop the container with SIGINT, the consumer's graceful signal (`docker run --stop-signal "
                            "SIGINT`, or `STOPSIGNAL SIGINT` in the image), and a deadline above your longest task "
                            "(`docker stop -t 90 NAME`, or `docker run --stop-timeout 90`)")


def _fix(part: Unresolved, launch: Launch) -> str:
    if part.why == CONTAINER_WHY and not launch.huey_version.at_least(*option_since("graceful_signal")):
        return CONTAINER_FIX_BEFORE_3_4  # ``-g TERM`` and ``-t`` would make huey before 3.4 refuse to start
    if part.computed:  # assigned on every path already: the value, not the assignment, is what is not known
        return ("write the value literally in the command, not as a command substitution's output (hueylint runs "
                "no command to learn it)")
    if part.why.startswith("variable not resolvable"):
        return "assign the variable unconditionally before the command, or write the value literally"
    if part.why.startswith("scripts nested deeper than"):  # (hueylint.chain.MAX_DEPTH)
        return "start the consumer from fewer nested scripts (`exec` it from a script nearer the launch)"
    return FIX.get(part.why, "write the consumer command where hueylint can read it")


@check("HL004")
def launch_not_understood(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        if launch.dev:
            continue
        for part in launch.unresolved:
            skipped = "the rules that need the consumer's options are skipped" if "shutdown_timeout" in \
                launch.options and not launch.options["shutdown_timeout"].known else \
                "its options were read from the call that builds the consumer" if part.why == SIGNALS_WHY else \
                "its options were read from the command line as written"
            checked = "Its restart policy is checked, not its stop signal and deadline" \
                if part.why in (CONTAINER_WHY, MAKE_WHY, TASK_RUNNER_WHY, UWSGI_DAEMON_WHY) \
                else "Its stop signal, deadline and restart policy are not checked" if part.why == TRANSIENT_UNIT_WHY \
                else "Its deadline and restart policy are checked, not its stop signal" if part.why == SIGNALS_WHY \
                else "The stop signal, deadline and restart policy it sets itself are checked" \
                if part.why == OUTSIDE_WHY else "Its stop signal, deadline and restart policy are checked"
            message = (f"{launch.title} looks like a consumer launch, but {part.what} cannot be followed: {part.why}. "
                       f"{checked}; {skipped}. Fix: {_fix(part, launch)}")
            related = [] if launch.loc == part.loc else [Related(launch.loc, "the launch")]
            yield Finding("HL004", message, part.loc, related=related)
