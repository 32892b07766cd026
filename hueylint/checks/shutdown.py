"""HL101-HL104: does a stop let running tasks finish?"""

from __future__ import annotations

import math
from typing import Iterable

from hueylint.checks import Context, check, fixing
from hueylint.consumer_cli import option_since
from hueylint.findings import Finding, Fix, Related
from hueylint.model import Launch, Loc, Project, Val, format_seconds, signal_name

GRACEFUL_SHUTDOWN_SINCE = (1, 4, 0)  # huey's first release with a graceful (SIGINT) shutdown

STOP_SETTING = {
    "systemd": "KillSignal=SIGINT",
    "supervisord": "stopsignal=INT",
    "docker": "STOPSIGNAL SIGINT",
    "compose": "stop_signal: SIGINT",
    "kubernetes": "STOPSIGNAL SIGINT in the image",
    "circus": "stop_signal = INT",
    "s6": "a `down-signal` file containing SIGINT",
    "s6-overlay": "a `down-signal` file containing SIGINT",
}
DEADLINE_SETTING = {
    "systemd": "TimeoutStopSec=",
    "supervisord": "stopwaitsecs=",
    "docker": "`docker stop -t` / compose stop_grace_period",
    "compose": "stop_grace_period:",
    "kubernetes": "terminationGracePeriodSeconds:",
    "circus": "graceful_timeout =",
    "s6": "S6_SERVICES_GRACETIME / timeout-down",
    "s6-overlay": "S6_SERVICES_GRACETIME / timeout-down",
}


def _owner(launch: Launch, value: object, attr: str) -> str:
    """The name of the hop a value came from (the supervisor inside a container, say), else the platform."""
    for hop in launch.chain:
        if getattr(hop, attr) is value:
            for key in (hop.name, hop.name.split(" ")[0]):
                if key in STOP_SETTING or key in DEADLINE_SETTING:
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


def _stopper(launch: Launch, value: object = None, attr: str = "sends") -> str:
    """Who stops the consumer: the platform, or the supervisor inside it that owns ``value``."""
    platform = launch.chain[0].name if launch.chain else launch.platform
    who = platform
    for hop in launch.chain[1:]:
        if value is not None and getattr(hop, attr) is value and hop.kind == "supervisor":
            who = f"{hop.name} (inside {platform})"
    return f"{who} stops `{launch.name}`" if launch.name else f"{who} stops the consumer"


@check("HL101")
def stop_signal_not_graceful(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        if not launch.huey_version.at_least(*GRACEFUL_SHUTDOWN_SINCE):
            continue  # huey before 1.4.0 has no graceful shutdown at all: no signal is "the graceful one"
        view = stop_view(launch)
        if view is None or not judged(launch):
            continue
        signal = view[0]
        if signal is None or not signal.known:
            continue
        graceful = launch.graceful_signal
        if not graceful.known or signal.value == graceful.value:
            continue
        consumer = launch.facts.get("consumer.loc")
        if graceful.value == "TERM" and signal.value == "INT":
            why = "with `-g TERM`, SIGINT is huey's *immediate* signal: running tasks are interrupted"
            fix = f"drop `{_setting_text(launch, signal)}` so the platform sends SIGTERM, or drop `-g TERM`"
            edit = fixing.stop_signal_fix(launch, ctx, signal, "TERM")
        else:
            why = "huey treats it as \"stop now\" and interrupts running tasks"
            fix = _fix_text(launch, signal, view[1])
            edit = _graceful_fix(launch, ctx, signal)
        where = f"{signal_name(signal.value)} ({signal.where()})"
        message = (f"{_stopper(launch, signal)} with {where}; the consumer's graceful signal is "
                   f"{signal_name(graceful.value)} ({graceful.where()}): {why}. Fix: {fix}")
        if launch.dev:
            continue
        loc = signal.loc if not signal.loc.is_default else launch.loc
        related = []
        if consumer is not None and consumer.loc != loc:
            related.append(Related(consumer.loc, "the consumer command"))
        if not graceful.loc.is_default and graceful.loc != loc:
            related.append(Related(graceful.loc, "the graceful signal (`-g`)"))
        yield Finding("HL101", message, loc, related=related, fix=edit)


def _graceful_fix(launch: Launch, ctx: Context, signal: Val[str]) -> Fix | None:
    """The platform sends huey's default graceful SIGINT; where it cannot change its signal (a PaaS),
    `-g TERM` on the consumer's command (huey 3.4+, a command hueylint saw).  On a plain Kubernetes manifest
    (never a Helm template), `-g TERM` too when the kubelet sends SIGTERM (it works on every cluster); else,
    when no `lifecycle.stopSignal` is written, the unsafe `lifecycle.stopSignal: SIGINT` (Kubernetes 1.33+ with its feature gate, `spec.os.name`)."""
    if launch.platform == "kubernetes":
        if "kubernetes.pod_key" not in launch.facts:
            return None  # a Helm template, or a manifest hueylint does not edit
        written = not signal.loc.is_default and signal.loc.path == launch.loc.path
        if signal.value == "TERM" and launch.huey_version.at_least(*option_since("graceful_signal")):
            fix = fixing.command_fix(launch, ctx, ["-g", "TERM"], "add `-g TERM` to the consumer command")
            if fix is not None:
                return fix
        return None if written else fixing.k8s_stop_signal_fix(launch, ctx, "INT")
    if launch.paas or not launch.deadline_configurable and launch.platform not in fixing.SIGNAL_KEYS:
        if launch.huey_version.at_least(*option_since("graceful_signal")):
            return fixing.command_fix(launch, ctx, ["-g", "TERM"], "add `-g TERM` to the consumer command")
        return None
    return fixing.stop_signal_fix(launch, ctx, signal, "INT")


def _setting_text(launch: Launch, signal: Val[str]) -> str:
    return STOP_SETTING.get(_owner(launch, signal, "sends"), "the stop signal setting")


def _fix_text(launch: Launch, signal: Val[str], kill: Val[float] | None) -> str:
    if launch.paas:
        return "add `-g TERM -t 25` to the consumer command (huey 3.4+): the platform's signal cannot be changed"
    deadline = kill.value if kill and kill.known else None
    timeout = max(int(deadline) - 5, 1) if deadline and deadline != math.inf else 55
    setting = STOP_SETTING.get(_owner(launch, signal, "sends"))
    if launch.huey_version.at_least(*option_since("graceful_signal")):
        recipe = f"add `-g TERM -t {timeout}` to the consumer command"
        return f"{recipe}, or set {setting}" if setting else recipe
    return f"set {setting}" if setting else "make the platform send SIGINT"


def _available(launch: Launch, deadline: Val[float] | None) -> tuple[float, str, Loc] | None:
    """The time a running task gets on stop: the kill deadline, or ``-t`` when smaller."""
    if deadline is None or not deadline.known or deadline.value is None:
        return None
    seconds, why, loc = deadline.value, f"{format_seconds(deadline.value)} ({deadline.where()})", deadline.loc
    timeout = launch.shutdown_timeout
    if timeout is not None and timeout.known and timeout.value is not None and timeout.value < seconds:
        seconds, why, loc = timeout.value, f"`-t {timeout.value:g}` ({timeout.where()})", timeout.loc
    return seconds, why, loc


@check("HL102")
def stop_deadline_too_short(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        view = stop_view(launch)
        if launch.paas or not launch.deadline_configurable or view is None or not judged(launch):
            continue
        deadline = view[1]
        available = _available(launch, deadline)
        if available is None:
            continue
        seconds, why, loc = available
        if seconds >= ctx.longest_task:
            continue
        setting = DEADLINE_SETTING.get(_owner(launch, deadline, "deadline"), "the stop timeout")
        longest = format_seconds(ctx.longest_task)
        timeout = launch.shutdown_timeout
        if why.startswith("`-t"):  # huey's own shutdown timeout is the limit, not the platform's kill
            raised = fixing.grace_for(ctx.longest_task) - 5
            edit = fixing.option_value_fix(timeout, ctx, str(raised), f"raise `-t` to {raised}") \
                if timeout is not None else None
            what = f"`{launch.name}`" if launch.name else "the consumer"
            source = f"`-t {timeout.value:g}`, {timeout.where()}" if timeout is not None else why
            message = (f"{what} interrupts running tasks {format_seconds(seconds)} after the stop signal ({source}): "
                       f"a task running longer is interrupted; longest-task is {longest}. Fix: raise `-t` above "
                       f"your longest task, and {setting} a few seconds above `-t`")
        else:
            known_t = timeout.value if timeout is not None and timeout.known else None
            edit = fixing.deadline_fix(launch, ctx, deadline, fixing.grace_for(ctx.longest_task, known_t))
            message = (f"{_stopper(launch, deadline, 'deadline')} after {why}: a task running longer is "
                       f"killed; longest-task is {longest}. Fix: raise {setting} above your longest task "
                       "(and keep `-t` a few seconds below it)")
        primary = loc if not loc.is_default else launch.loc
        yield Finding("HL102", message, primary, fix=edit)


@check("HL103")
def shutdown_timeout_not_below_deadline(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        view = stop_view(launch)
        if view is None or not judged(launch):
            continue
        timeout, deadline = launch.shutdown_timeout, view[1]
        if timeout is None or not timeout.known or timeout.value is None:
            continue
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


@check("HL104")
def missing_shutdown_timeout(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        view = stop_view(launch)
        if launch.shutdown_timeout is not None or view is None or not judged(launch):
            continue
        if not launch.huey_version.at_least(*option_since("shutdown_timeout")):
            continue
        deadline = view[1]
        hint = "55"
        if deadline is not None and deadline.known and deadline.value and deadline.value != math.inf:
            hint = str(max(int(deadline.value) - 5, 1))
        seconds = int(hint)
        if seconds < ctx.longest_task and not launch.paas \
                and fixing.deadline_fix(launch, ctx, deadline, fixing.grace_for(ctx.longest_task)) is not None:
            seconds = fixing.grace_for(ctx.longest_task) - 5  # HL102's fix raises the deadline to fit the longest task
        version = launch.huey_version
        pinned = f"({version.describe()})" if version.value is None else f"with {version.describe()}"
        message = (f"no `-t/--shutdown-timeout` {pinned}: a stuck task holds the shutdown until SIGKILL and "
                   f"is lost without SIGNAL_INTERRUPTED. Fix: add `-t {hint}` (a few seconds below the kill deadline)")
        consumer = launch.facts.get("consumer.loc")
        edit = fixing.command_fix(launch, ctx, ["-t", str(seconds)], f"add `-t {seconds}` to the consumer command")
        yield Finding("HL104", message, consumer.loc if consumer else launch.loc, fix=edit)
