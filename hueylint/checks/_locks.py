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
