"""What the stop rules (HL101-HL104) share: does a stop let running tasks finish?"""

from __future__ import annotations

import math

from hueylint.checks import running_name
from hueylint.model import Launch, Project, Val

STOP_SETTING = {
    "systemd": "KillSignal=SIGINT",
    "supervisord": "stopsignal=INT",
    "docker": "STOPSIGNAL SIGINT",
    "compose": "stop_signal: SIGINT",
    "kubernetes": "STOPSIGNAL SIGINT in the image",
    "circus": "stop_signal = INT",
    "s6": "a `down-signal` file containing SIGINT",
    "s6-overlay": "a `down-signal` file containing SIGINT",
    # the CMD of an s6-overlay `/init` (:mod:`hueylint.platforms.s6`): stopped by /init itself unless it relays
    "/init": "`ENV S6_CMD_RECEIVE_SIGNALS=1` in the image (the CMD then gets the container's stop signal) and "
             "the container's stop signal set to SIGINT",
    "fly": "`kill_signal = \"SIGINT\"` (Fly.io's default)",
    "kamal": "`options: {stop-signal: SIGINT}` on the role (or STOPSIGNAL SIGINT in the image)",
    "ecs": "STOPSIGNAL SIGINT in the image (ECS sends the image's STOPSIGNAL; a task definition has no signal setting)",
    "pidfile": "`kill -INT` on the PID in the stop script (and wait for the process to exit)",
    # an init that rewrites the stop signal before passing it on (chain: Hop.rewrites)
    "dumb-init": "dumb-init's `--rewrite 15:2` (the container's SIGTERM passed on as SIGINT)",
    # a repository Python program that starts the consumer as its child (:mod:`hueylint.pyapp.spawns`)
    "python": "the program's stop call to `send_signal(signal.SIGINT)` (and wait for the consumer to exit)",
    # a script's ``trap`` that relays a signal of its own to the consumer it waits for (chain._trap_relay)
    "trap": "`kill -INT` in the script's trap",
}

#: platforms whose stop signal cannot be changed (a Procfile PaaS is ``launch.paas``): huey 3.4+'s `-g TERM` is the fix
FIXED_SIGNAL = ("render", "platformsh")
#: Procfile runners inside a container: SIGTERM to each entry whatever signal stops them (:mod:`procfile`)
RUNNER_SIGNAL = ("forego", "honcho", "foreman")

DEADLINE_SETTING = {
    "systemd": "TimeoutStopSec=",
    "supervisord": "stopwaitsecs=",
    "docker": "`docker stop -t` / compose stop_grace_period",
    "compose": "stop_grace_period:",
    "kubernetes": "terminationGracePeriodSeconds:",
    "circus": "graceful_timeout =",
    "s6": "S6_SERVICES_GRACETIME / timeout-down",
    "s6-overlay": "S6_SERVICES_GRACETIME / timeout-down",
    "/init": "S6_KILL_GRACETIME (or `S6_CMD_RECEIVE_SIGNALS=1`: the container's deadline)",
    "fly": "`kill_timeout`",
    "render": "`maxShutdownDelaySeconds:`",
    "kamal": "`stop_timeout:` (the role's or the root's)",
    "ecs": "the container's `stopTimeout` (seconds; at most 120 on Fargate)",
    "forego": "forego's `-t` (shutdown grace time)",
    "foreman": "foreman's `-t/--timeout`",
    "pidfile": "the stop script's wait before any `kill -9`",
    "timeout": "`timeout -k` (its SIGKILL delay after the stop signal it relays)",
    "pm2-runtime": "pm2's `--kill-timeout` (milliseconds; `kill_timeout` in an ecosystem file)",
    "pm2-docker": "pm2's `--kill-timeout` (milliseconds; `kill_timeout` in an ecosystem file)",
    "pm2": "pm2's `--kill-timeout` (milliseconds; `kill_timeout` in an ecosystem file)",
}


def hop_owner(launch: Launch, value: object, attr: str) -> str:
    """The name of the hop a value came from (the supervisor inside a container, say), else the platform."""
    for hop in launch.chain:
        if getattr(hop, attr) is value:
            if attr == "sends" and hop.kind in ("script", "shell"):  # its trap's `kill` (chain._trap_relay)
                return "trap"
            if hop.kind == "supervisor" and (hop.loc.path or "").endswith(".py"):
                # a repository Python program starting the consumer as its child, also one an app server
                # imports (`uvicorn app.main:app`, whose lifespan starts it): its own stop call, not the server's
                return "python"
            for key in (hop.name, hop.name.split(" ")[0]):
                if key in STOP_SETTING or key in DEADLINE_SETTING or key in RUNNER_SIGNAL:
                    return key
    return launch.platform


def judged(launch: Launch) -> bool:
    """Launches whose stop behaviour means something: not dev tools, a command line huey accepts,
    a consumer that executes tasks (`-w 0` runs only the scheduler), and a stop signal that can reach it
    (from the platform, or from a supervisor below the wrapper that loses the platform's, see :func:`stop_view`)."""
    return not launch.dev and not launch.refused and launch.runs_tasks and stop_view(launch) is not None


def stop_view(launch: Launch) -> tuple[Val[str] | None, Val[float] | None] | None:
    """(signal, kill deadline) from the hops that can still stop the consumer (see :meth:`Launch.stop_view`)."""
    return launch.stop_view()


def stopper_who(launch: Launch, value: object = None, attr: str = "sends") -> str:
    """Who stops the consumer: the platform, or the supervisor inside it that owns ``value``."""
    platform = launch.chain[0].name if launch.chain else launch.platform
    who = platform
    for hop in launch.chain[1:]:
        if value is not None and getattr(hop, attr) is value and hop.kind in ("supervisor", "launcher"):
            who = f"{hop.name} (inside {platform})"
        elif value is not None and getattr(hop, attr) is value and hop.kind in ("script", "shell"):
            who = f"the trap of {hop.name} (inside {platform})"
    return who


def stopper_text(launch: Launch, value: object = None, attr: str = "sends") -> str:
    """Who stops the consumer, as a sentence's start: ``supervisord (inside compose) stops `worker```."""
    return f"{stopper_who(launch, value, attr)} stops {running_name(launch)}"


def command_key(launch: Launch) -> tuple[str | None, int, int] | None:
    """Where the launch's consumer command is written (one supervisord program run by several compose services is
    one command; a wrapper's ``"$@"`` run by two callers is two, each caller's line: ``ConsumerFacts.options_at``),
    or None when it has no place."""
    consumer = launch.consumer.program
    at = launch.consumer.options_at or (consumer.loc if consumer is not None else None)
    return (at.path, at.line, at.col) if at is not None else None


def command_deadlines(project: Project) -> dict[tuple[str | None, int, int], list[tuple[Launch, float]]]:
    """The known, finite kill deadline of each launch, by the consumer command it runs (by where it is written): one
    supervisord program that two compose services run takes one `-t`, which must stay below both deadlines (a `-t`
    chosen for one launch alone may sit above the other's: HL103 after the fix)."""
    shared: dict[tuple[str | None, int, int], list[tuple[Launch, float]]] = {}
    for launch in project.launches:
        view = stop_view(launch)
        key = command_key(launch)
        if key is None or view is None or not judged(launch):
            continue
        deadline = view[1]
        if deadline is None or not deadline.known or not deadline.value or deadline.value == math.inf:
            continue
        shared.setdefault(key, []).append((launch, deadline.value))
    return shared


def others_deadline(shared: dict[tuple[str | None, int, int], list[tuple[Launch, float]]], launch: Launch) -> float:
    """The smallest deadline of the other launches running ``launch``'s consumer command (infinity when none)."""
    key = command_key(launch)
    found = [value for other, value in shared.get(key, []) if other is not launch] if key is not None else []
    return min(found, default=math.inf)
