"""HL304: a ``with huey.lock_task(...)`` lock is unknown to ``-f`` at start: the consumer also needs ``-L name``
(a computed name needs ``ttl=``)."""

from __future__ import annotations

from typing import Any, Iterable

from hueylint.appmodel import App
from hueylint.checks import Context, check, fixing
from hueylint.checks._app import app_version, consumer_loc, launch_title, running_apps
from hueylint.checks._locks import flags_known, flushed_at_start, late_lock, lock_text, startup_flushes, ttl_set
from hueylint.findings import Finding, Fix, Related
from hueylint.hueyfacts import LOCK_TTL_SINCE
from hueylint.model import Launch, Project


def _extra_locks(launch: Launch) -> set[str] | None:
    val = launch.options.get("extra_locks")
    if val is None:
        return set()
    if not val.known or not isinstance(val.value, str):
        return None
    return {name.strip() for name in val.value.split(",") if name.strip()}


@check("HL304")
def context_lock_not_flushed(project: Project, ctx: Context) -> Iterable[Finding]:
    for app in running_apps(project):
        for lock in app.locks:
            if not late_lock(lock) or ttl_set(lock):
                continue
            name = lock.literal_name
            if flushed_at_start(app, name):
                continue  # huey.flush() / flush_locks(name) when the consumer starts
            if name is None:  # computed
                yield from _computed_lock(project, app, lock)
                continue
            missing = []
            flush = next((f for f in startup_flushes(app) if f.kind == "locks"), None)  # like -f (not named: above)
            for launch in app.launches:
                extra = _extra_locks(launch)
                if extra is None or not launch.runs_tasks or not flags_known(launch) or \
                        not (launch.flushes_locks or flush is not None):
                    continue  # unknown flags, or no flush at all (HL303)
                if name not in extra:
                    missing.append(launch)
            if not missing:
                continue
            launch = missing[0]
            how = "`-f` on" if launch.flushes_locks or flush is None else \
                f"`flush_locks()` at start ({flush.loc.path}:{flush.loc.line}) for"
            if launch.program == "script":
                how = "`flush_locks=True` for"
            advice = fixing.code_options(launch, ["-L", name]) or f"add `-L {name}` (`--extra-locks`) to the consumer"
            yield Finding(
                "HL304",
                f"`with ...{lock_text(lock)}` is only known to huey after it first runs, so {how} "
                f"{launch_title(launch)} ({consumer_loc(launch)}) does not flush it at start: a lock left by a killed "
                f"consumer stays held. Fix: {advice}",
                lock.loc,
                related=[Related(consumer_loc(other), "consumer with -f but without -L") for other in missing],
                fix=_extra_locks_fix(missing, ctx, name))


def _extra_locks_fix(missing: list[Launch], ctx: Context, name: str) -> Fix | None:
    """`-L name` added to each consumer command, or `,name` appended to the `-L` it has."""
    fixes = []
    for launch in missing:
        val = launch.options.get("extra_locks")
        fixes.append(fixing.command_fix(launch, ctx, ["-L", name], "") if val is None
                     else fixing.option_value_fix(val, ctx, f"{val.value},{name}", ""))
    return fixing.all_of(f"add `{name}` to `-L`", fixes)


def _computed_lock(project: Project, app: App, lock: Any) -> Iterable[Finding]:
    """A context lock whose name is computed at run time: no consumer flag can flush it."""
    launches = [launch for launch in app.launches if launch.runs_tasks and flags_known(launch)]
    if not launches:
        return
    launch = next((item for item in launches if not item.dev), launches[0])
    ttl = "give it `ttl=` (huey 3.4+, Redis storages) or " if app_version(project, app).at_least(*LOCK_TTL_SINCE) else ""
    yield Finding(
        "HL304",
        f"`{lock_text(lock)}` takes a lock whose name is computed at run time: `-f` flushes only the locks known "
        f"when the consumer starts and `-L` cannot list this one, so a consumer of {launch_title(launch)} "
        f"({consumer_loc(launch)}) killed while it is held leaves it held forever, and every later run with that "
        f"name fails with TaskLockedException. Fix: {ttl}delete these locks at consumer start (an "
        "`@huey.on_startup()` hook)",
        lock.loc, related=[Related(consumer_loc(other), "consumer") for other in launches])
