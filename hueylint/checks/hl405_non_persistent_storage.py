"""HL405: ``MemoryHuey``/``BlackHoleHuey`` used by an app that a separate consumer runs: the consumer never sees
the tasks."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check
from hueylint.checks._app import _consumer_loc, _running, _what
from hueylint.checks._storage import _storages
from hueylint.findings import Finding, Related
from hueylint.hueyfacts import IN_MEMORY_CLASSES
from hueylint.model import Project


@check("HL405")
def non_persistent_storage(project: Project, ctx: Context) -> Iterable[Finding]:
    for app in _running(project):
        for storage in _storages(app):
            cls = storage.cls
            if cls is None or not cls.known or cls.value not in IN_MEMORY_CLASSES:
                continue
            launches = [launch for launch in app.launches if not launch.dev] or app.launches
            launch = launches[0]
            yield Finding("HL405", storage.when(
                f"the app uses `{cls.value}`, but {_what(launch)} ({_consumer_loc(launch)}) runs a separate consumer "
                "process: in-memory storage is private to each process, so the consumer never sees the tasks the "
                "application enqueues. Fix: use RedisHuey, SqliteHuey (one host) or another persistent storage"),
                cls.loc, severity=storage.severity,
                related=[Related(_consumer_loc(other), "separate consumer") for other in launches])
