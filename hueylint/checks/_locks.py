"""What HL303 and HL304 both read of a ``lock_task`` lock and of a consumer's flush flags."""

from __future__ import annotations

from typing import Any

from hueylint.model import Launch


def flags_known(launch: Launch) -> bool:
    """The launch's flush options are all known (an unknown `-f`/`-L` or settings dict: stay silent)."""
    for key in ("flush_locks", "extra_locks"):
        val = launch.options.get(key)
        if val is not None and not val.known:
            return False
    return launch.consumer.settings_incomplete is None


def ttl_set(lock: Any) -> bool:
    return lock.ttl is not None and not (lock.ttl.known and lock.ttl.value is None)


def lock_text(lock: Any) -> str:
    """The lock as written: ``lock_task('x')``, ``lock_task(dataset)``, ``lock_task(f"import-{key}")``."""
    return f"lock_task({lock.name_text})" if lock.name_text else "lock_task"


def late_lock(lock: Any) -> bool:
    """A lock created when its code first runs (``with huey.lock_task(...)`` in a function): unknown to ``-f``."""
    return not lock.import_time and lock.form != "decorator"


def startup_flushes(app: Any) -> list[Any]:
    """The lock flushes that run when the app's consumers start (:class:`~hueylint.appmodel.LockFlush`): an
    ``@huey.on_startup()`` hook in any of its modules, and for a consumer built by a Python script, a flush in
    the function of that script which builds it."""
    entry = getattr(app.entry, "rel", None) if app.kind == "script" else None
    return [flush for facts in app.modules.values() for flush in facts.lock_flushes
            if flush.where == "startup" or facts.rel == entry]


def flushed_at_start(app: Any, name: str | None) -> bool:
    """True when a flush at consumer start deletes the lock ``name`` (None: a computed name): ``flush()``
    deletes every lock, ``flush_locks(*names)`` the known ones and those named (unknown names: taken to)."""
    for flush in startup_flushes(app):
        if flush.kind == "all" or (name is not None and (flush.names is None or name in flush.names)):
            return True
    return False
