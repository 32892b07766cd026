"""HL102: running tasks get less time to finish on stop than the longest task needs."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check, fixing, running_name
from hueylint.checks._stop import (
    DEADLINE_SETTING,
    command_deadlines,
    hop_owner,
    judged,
    others_deadline,
    stop_view,
    stopper_text,
    stopper_who,
)
from hueylint.findings import Finding
from hueylint.hueyfacts import GRACEFUL_SHUTDOWN_SINCE, option_since
from hueylint.locations import Loc
from hueylint.model import Hop, Launch, Project, Val, format_seconds


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
            if others_deadline(shared, launch) < raised + 2:
                edit = None  # another launch runs this command with a shorter deadline: the raised `-t` passes it
            setting = _nested_settings(launch, deadline, raised + 2) or setting
            what = running_name(launch)
            source = f"`-t {timeout.value:g}`, {timeout.where()}" if timeout is not None else why
            message = (f"{what} interrupts running tasks {format_seconds(seconds)} after the stop signal ({source}): "
                       f"a task running longer is interrupted; longest-task is {longest}. Fix: raise `-t` above "
                       f"your longest task, and {setting} a few seconds above `-t`")
        else:
            known_t = timeout.value if timeout is not None and timeout.known else None
            target = fixing.grace_for(ctx.longest_task, known_t)
            edit = fixing.deadline_fix(launch, ctx, deadline, target)
            other = _other_deadline(launch, deadline, ctx.longest_task)
            why += other
            keep = " (and keep `-t` a few seconds below it)" \
                if launch.huey_version.at_least(*option_since("shutdown_timeout")) else ""  # no -t before 3.4
            if launch.program == "script":  # a consumer built in code: its keyword, when its huey has one
                keep = " (and keep `shutdown_timeout` a few seconds below it)" \
                    if launch.huey_version.at_least(*option_since("shutdown_timeout")) else ""
            fix_text = _nested_text(launch, deadline, target, keep, said=bool(other)) or \
                f"raise {setting} above your longest task{keep}"
            message = (f"{stopper_text(launch, deadline, 'deadline')} after {why}: a task running longer is "
                       f"killed; longest-task is {longest}. Fix: {fix_text}")
        primary = loc if not loc.is_default else launch.loc
        yield Finding("HL102", message, primary, fix=edit)


def _binding_first(launch: Launch, binding: Val[float] | None) -> tuple[Hop, Hop] | None:
    """The two hops of a supervisor inside a platform (:func:`fixing.nested_deadlines`), the one whose kill deadline
    is ``binding`` (the one the message names) first; None for any other chain, or when ``binding`` is neither."""
    nested = fixing.nested_deadlines(launch)
    if nested is None or binding not in (nested[0].deadline, nested[1].deadline):
        return None
    return (nested[1], nested[0]) if nested[1].deadline is binding and nested[0].deadline is not binding else nested


def _nested_settings(launch: Launch, binding: Val[float] | None, need: float) -> str | None:
    """``stop_grace_period: and stopwaitsecs=``: the settings of both kill deadlines of a supervisor inside a platform
    (:func:`_binding_first`) when both are below ``need`` seconds (the one the message names first); None
    otherwise."""
    hops = _binding_first(launch, binding)
    if hops is None or any(hop.deadline is None or hop.deadline.value is None or hop.deadline.value >= need
                           for hop in hops):
        return None
    return " and ".join(DEADLINE_SETTING.get(hop_owner(launch, hop.deadline, "deadline"), "the stop timeout")
                        for hop in hops)


def _other_deadline(launch: Launch, binding: Val[float] | None, longest: float) -> str:
    """`` and, were that raised, compose after 10s (...)``: the other kill deadline of a supervisor inside a
    platform (:func:`_binding_first`) when it is short too, each SIGKILLing on its own clock from the same stop
    (raising the one named alone moved the finding to the other on the next run): the message names the binding one
    first and this one once, as the one that kills next; empty otherwise."""
    hops = _binding_first(launch, binding)
    other = hops[1].deadline if hops is not None else None
    if other is None or other.value is None or other.value >= longest:
        return ""
    who = stopper_who(launch, other, "deadline")
    if binding is not None and binding.value == other.value:  # both SIGKILL at the same moment
        return f" and {who} after the same {format_seconds(other.value)} ({other.where()})"
    return f" and, were that raised, {who} after {format_seconds(other.value)} ({other.where()})"


def _nested_text(launch: Launch, binding: Val[float] | None, target: int, keep: str, *,
                 said: bool = False) -> str | None:
    """The fix's text for a supervisor inside a platform (:func:`fixing.nested_raises`: supervisord run as a
    container's command, say) when the platform's deadline (``stop_grace_period``, Docker's 10 s,
    ``terminationGracePeriodSeconds``), which kills the supervisor and its programs together, must rise too: raising
    the supervisor's alone would leave it to kill the task (:func:`fixing.deadline_fix` edits both, or the
    supervisor's alone where no file sets the platform's).  None where the usual text is whole.  ``binding``: the
    deadline the message names (the smaller one); ``said``: the message already names the platform's deadline
    (:func:`_other_deadline`), so the fix does not repeat it."""
    nested = fixing.nested_raises(launch, target)
    if nested is None or not nested[3] or binding not in (nested[0].deadline, nested[1].deadline):
        return None  # the platform waits long enough: the supervisor's deadline is the only one to raise
    outer, inner, raise_inner, _wanted = nested
    outer_setting = DEADLINE_SETTING.get(outer.name, "the platform's stop timeout")
    if not raise_inner:
        return f"raise {outer_setting} above your longest task{keep}"
    assert outer.deadline is not None  # (nested_deadlines)
    supervisor = inner.name.split(" ")[0]
    inner_setting = DEADLINE_SETTING.get(supervisor, "the supervisor's stop timeout")
    when = "" if binding is outer.deadline or said else \
        f" after {format_seconds(outer.deadline.value)} ({outer.deadline.where()})"  # (said when it binds)
    return (f"raise {inner_setting} above your longest task{keep}, and {outer_setting} a few seconds above it: "
            f"{outer.name} kills {supervisor} and its programs together{when}")
