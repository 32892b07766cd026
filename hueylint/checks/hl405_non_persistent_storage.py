"""HL405: ``MemoryHuey``/``BlackHoleHuey`` used by an app that a separate consumer runs: the consumer never sees
the tasks.  Not when the program that makes the storage runs the consumer itself, in-process (field test:
GetWellClinic/ai-moa)."""

from __future__ import annotations

from typing import Iterable

from hueylint.appmodel import App
from hueylint.checks import Context, check
from hueylint.checks._app import consumer_loc, launch_title, running_apps
from hueylint.checks._storage import storages_of
from hueylint.findings import Finding, Related
from hueylint.hueyfacts import IN_MEMORY_CLASSES
from hueylint.locations import Loc
from hueylint.model import Project


@check("HL405")
def non_persistent_storage(project: Project, ctx: Context) -> Iterable[Finding]:
    for app in running_apps(project):
        for storage in storages_of(app):
            cls = storage.cls
            if cls is None or not cls.known or cls.value not in IN_MEMORY_CLASSES:
                continue
            if _in_process(app, cls.loc):
                continue
            launches = [launch for launch in app.launches if not launch.dev] or app.launches
            launch = launches[0]
            yield Finding("HL405", storage.when(
                f"the app uses `{cls.value}`, but {launch_title(launch)} ({consumer_loc(launch)}) runs a separate "
                "consumer process: in-memory storage is private to each process, so the consumer never sees the "
                "tasks the application enqueues. Fix: use RedisHuey, SqliteHuey (one host) or another persistent "
                "storage"),
                cls.loc, severity=storage.severity,
                related=[Related(consumer_loc(other), "separate consumer") for other in launches])


def _in_process(app: App, loc: Loc) -> bool:
    """The storage is made in the very program that runs the consumer in-process (``huey = MemoryHuey(...)``
    then ``Consumer(huey).run()`` in its ``__main__``): the process that enqueues (its periodic tasks, its own
    calls) is the consumer's, so the memory is shared."""
    return app.kind == "script" and app.entry is not None and loc.path == app.entry.rel
