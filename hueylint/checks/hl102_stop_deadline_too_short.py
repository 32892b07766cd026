"""HL102: running tasks get less time to finish on stop than the longest task needs."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check, fixing, launch_name
from hueylint.checks._stop import (
    DEADLINE_SETTING,
    command_deadlines,
    hop_owner,
    judged,
    other_short_deadlines,
    others_deadline,
    stop_view,
    stopper_text,
    stopper_who,
)
from hueylint.findings import Finding
from hueylint.hueyfacts import GRACEFUL_SHUTDOWN_SINCE, option_since
from hueylint.locations import Loc
from hueylint.model import Launch, Project, Val, format_seconds


def _available(launch: Launch, deadline: Val[float] | None) -> tuple[float, str, Loc] | None:
    """The time a running task gets on stop: the kill deadline, or ``-t`` when smaller."""
    if deadline is None or not deadline.known or deadline.value is None:
        return None
    seconds, why, loc = deadline.value, f"{format_seconds(deadline.value)} ({deadline.where()})", deadline.loc
    timeout = launch.shutdown_timeout
    if timeout is not None and timeout.known and timeout.value is not None and timeout.value < seconds:
        seconds, why, loc = timeout.value, f"`-t {timeout.value:g}` ({timeout.where()})", timeout.loc
    return seconds, why, loc


def _settings(launch: Launch, deadlines: list[Val[float]]) -> list[str]:
    """The settings that raise ``deadlines``, each named by the hop it belongs to."""
    return [DEADLINE_SETTING.get(hop_owner(launch, other, "deadline"), "the stop timeout") for other in deadlines]


@check("HL102")
def stop_deadline_too_short(project: Project, ctx: Context) -> Iterable[Finding]:
    shared = command_deadlines(project)
    for launch in project.launches:
        view = stop_view(launch)
        if launch.paas or view is None or not judged(launch):
            continue
        if not launch.huey_version.at_least(*GRACEFUL_SHUTDOWN_SINCE):
            continue  # huey before 1.4.0 stops at once on any signal: no deadline lets a running task finish
        deadline = view[1]
        available = _available(launch, deadline)
        if available is None:
            continue
        seconds, why, loc = available
        if seconds >= ctx.longest_task:
            continue
        setting = DEADLINE_SETTING.get(hop_owner(launch, deadline, "deadline"), "the stop timeout")
        longest = format_seconds(ctx.longest_task)
        timeout = launch.shutdown_timeout
        if deadline is not None and deadline.value is not None and not launch.deadline_configurable \
                and deadline.value < ctx.longest_task:  # a platform's kill deadline no setting changes
            target = max(int(deadline.value) - 5, 1)
            below = timeout is not None and timeout.known and timeout.value is not None and \
                timeout.value <= deadline.value - 2
            since = "(huey 3.4+)" if launch.huey_version.at_least(*option_since("graceful_signal")) \
                else f"(huey {launch.huey_version.text} has neither: upgrade to 3.4+)"
            stop = "" if below else \
                f", stop with `-g TERM -t {target}` {since} so huey interrupts stragglers before SIGKILL,"
            message = (f"{stopper_text(launch, deadline, 'deadline')} after {format_seconds(deadline.value)} "
                       f"({deadline.where()}): a task running longer is killed; longest-task is {longest}. Fix: the "
                       "deadline cannot be raised: keep each task below it (split long tasks, make them resumable)"
                       f"{stop} and re-enqueue interrupted tasks from SIGNAL_INTERRUPTED")
            yield Finding("HL102", message, deadline.loc if not deadline.loc.is_default else launch.loc)
            continue
        if why.startswith("`-t"):  # huey's own shutdown timeout is the limit, not the platform's kill
            raised = fixing.grace_for(ctx.longest_task) - 5
            edit = fixing.option_value_fix(timeout, ctx, str(raised), f"raise `-t` to {raised}") \
                if timeout is not None else None
            if edit is not None and deadline is not None and deadline.value is not None \
                    and raised > deadline.value - 2:  # `-t` alone above the kill deadline: HL103 after the fix
                above = fixing.deadline_fix(launch, ctx, deadline, fixing.grace_for(ctx.longest_task, raised))
                edit = fixing.all_of(f"raise `-t` to {raised} and {above.description}", [edit, above]) \
                    if above is not None else None
            # nested supervisors: each kill deadline below the raised `-t` must rise with it
            others = other_short_deadlines(launch, deadline, raised + 2) if deadline is not None else []
            if others:
                grace = fixing.grace_for(ctx.longest_task, raised)
                edits = [edit, *(fixing.deadline_fix(launch, ctx, other, grace) for other in others)]
                edit = fixing.all_of(" and ".join(e.description for e in edits if e is not None), edits)
                setting = " and ".join(dict.fromkeys([setting, *_settings(launch, others)]))
            if others_deadline(shared, launch) < raised + 2:
                edit = None  # another launch runs this command with a shorter deadline: the raised `-t` passes it
            what = launch_name(launch)
            source = f"`-t {timeout.value:g}`, {timeout.where()}" if timeout is not None else why
            message = (f"{what} interrupts running tasks {format_seconds(seconds)} after the stop signal ({source}): "
                       f"a task running longer is interrupted; longest-task is {longest}. Fix: raise `-t` above "
                       f"your longest task, and {setting} a few seconds above `-t`")
        else:
            known_t = timeout.value if timeout is not None and timeout.known else None
            grace = fixing.grace_for(ctx.longest_task, known_t)
            edit = fixing.deadline_fix(launch, ctx, deadline, grace)
            others = other_short_deadlines(launch, deadline, ctx.longest_task) if deadline is not None else []
            if others:  # nested supervisors: every short deadline must go, or the fix moves the finding to the next
                edits = [edit, *(fixing.deadline_fix(launch, ctx, other, grace) for other in others)]
                edit = fixing.all_of(" and ".join(e.description for e in edits if e is not None), edits)
                setting = " and ".join(dict.fromkeys([setting, *_settings(launch, others)]))
                why += "".join(f", and {stopper_who(launch, other, 'deadline')} after {format_seconds(other.value)} "
                               f"({other.where()})" for other in others if other.value is not None)
            keep = " (and keep `-t` a few seconds below it)" \
                if launch.huey_version.at_least(*option_since("shutdown_timeout")) else ""  # no -t before 3.4
            if launch.program == "script":  # a consumer built in code: its keyword, when its huey has one
                keep = " (and keep `shutdown_timeout` a few seconds below it)" \
                    if launch.huey_version.at_least(*option_since("shutdown_timeout")) else ""
            message = (f"{stopper_text(launch, deadline, 'deadline')} after {why}: a task running longer is "
                       f"killed; longest-task is {longest}. Fix: raise {setting} above your longest task{keep}")
        primary = loc if not loc.is_default else launch.loc
        yield Finding("HL102", message, primary, fix=edit)
