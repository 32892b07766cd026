"""HL303: a ``lock_task`` lock without ``ttl=`` and a consumer started without ``-f``: a crash leaves the lock
held forever."""

from __future__ import annotations

from typing import Any, Iterable

from hueylint.checks import Context, check, fixing
from hueylint.checks._app import app_version, consumer_loc, launch_title, running_apps
from hueylint.checks._locks import flags_known, late_lock, lock_text, startup_flushes, ttl_set
from hueylint.findings import SAFE, UNSAFE, Finding, Fix, Related
from hueylint.hueyfacts import LOCK_TTL_SINCE
from hueylint.model import Launch, Project


@check("HL303")
def lock_without_flush(project: Project, ctx: Context) -> Iterable[Finding]:
    for app in running_apps(project):
        unflushed = [launch for launch in app.launches
                     if launch.runs_tasks and flags_known(launch) and not launch.flushes_locks]
        # a development stack's consumer (a Procfile.dev entry under a reloader) is not judged beside production's,
        # also when every production consumer flushes (then it would be the one named)
        if any(not launch.dev for launch in app.launches):
            unflushed = [launch for launch in unflushed if not launch.dev]
        if not unflushed or startup_flushes(app):
            continue  # huey.flush() / flush_locks() when the consumer starts: like -f
        for lock in app.locks:
            if ttl_set(lock) or (late_lock(lock) and lock.computed):
                continue  # a computed context-lock name is HL304's: neither -f nor -L can flush it
            ttl = " or give it `ttl=` (huey 3.4+, Redis storages)" if app_version(project, app).at_least(*LOCK_TTL_SINCE) else ""
            name = lock.literal_name if late_lock(lock) else None  # a literal name here: computed ones went on
            launch = unflushed[0]
            words = ["-L", name] if name is not None else ["-f"]
            advice = fixing.code_options(launch, words)
            flag = f"`-L {name}` (it implies `-f`)" if name is not None else "`-f`"
            flag = f"start the consumer with {flag}" if advice is None else advice
            yield Finding(
                "HL303",
                f"`{lock_text(lock)}` has no `ttl=` and {launch_title(launch)} ({consumer_loc(launch)}) starts the "
                "consumer without `-f/--flush-locks`: a consumer killed while the task holds the lock leaves it held "
                f"forever, and every later run fails with TaskLockedException. Fix: {flag}{ttl}",
                lock.loc, related=[Related(consumer_loc(other), "consumer without -f") for other in unflushed],
                fix=_flush_fix(app, unflushed, ctx, words))


def _flush_fix(app: Any, unflushed: list[Launch], ctx: Context, words: list[str]) -> Fix | None:
    """`-f` (or `-L name`) added to every consumer command without it; unsafe when several consumers share
    the storage (one starting flushes the locks another one's running task holds)."""
    running = [launch for launch in app.launches if not launch.dev] or app.launches
    single = len(running) == 1 and running[0].instances.known and running[0].instances.value == 1
    return fixing.all_of(f"add `{' '.join(words)}` to the consumer command",
                         [fixing.command_fix(launch, ctx, words, "") for launch in unflushed], SAFE if single else UNSAFE)
