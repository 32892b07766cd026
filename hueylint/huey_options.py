"""What follows from huey's option table without parsing a command: release numbers as messages say
them, and the Django ``HUEY['consumer']`` keys huey ignores (HL002).

The table itself (every option spelling with the release that introduced or renamed it, the
``ConsumerConfig`` keys by release) is huey knowledge and lives in :mod:`hueylint.hueyfacts`.  Versions are
tuples (``(3, 4, 0)``); ``NEWEST`` stands for an unknown version (the newest release is assumed).
"""

from __future__ import annotations

from hueylint.hueyfacts import CONFIG_KEYS_BY_VERSION, REMOVED_CONFIG_KEYS, Version
from hueylint.locations import Loc
from hueylint.model import HueyVersion, Problem

NEWEST: Version = (99,)


def release_number(version: HueyVersion | Version | None) -> Version:
    """The release as a tuple; unknown (None, an unknown :class:`HueyVersion`) is the newest (``NEWEST``)."""
    if isinstance(version, HueyVersion):
        version = version.value
    return tuple(version) if version else NEWEST


def runs_text(version: HueyVersion | Version | None) -> str:
    """``huey 2.5.0 (pinned in a/requirements.txt:1)``: the version and where it came from, for messages."""
    if isinstance(version, HueyVersion):
        return version.describe()
    return f"huey {version_text(release_number(version))}"


def version_text(version: Version | None) -> str:
    """``(3, 4, 0)`` -> ``3.4.0``; ``(newest)`` for an unknown or the newest release."""
    if not version or version == NEWEST:
        return "(newest)"
    return ".".join(str(part) for part in version)


def check_config_keys(keys: dict[str, Loc], version: HueyVersion | Version | None) -> list[Problem]:
    """Django ``HUEY['consumer']`` keys that huey silently ignores (HL002); ``version`` is the app's huey."""
    runs = runs_text(version)
    version = release_number(version)
    known = {key: since for key, since in CONFIG_KEYS_BY_VERSION}
    hints = {"no_periodic": "periodic: False", "delay": "initial_delay", "loglevel": "verbose",
             "worker-type": "worker_type", "flush-locks": "flush_locks", "extra-locks": "extra_locks"}
    problems = []
    for key, loc in keys.items():
        since = known.get(key)
        if since is None and version < REMOVED_CONFIG_KEYS.get(key, (0,)):
            continue  # a key of the old release the app runs (`utc` before huey 2.0)
        if since is None:
            problems.append(Problem(loc, kind="unknown-setting", option=key, hint=hints.get(key, "")))
        elif version < since:
            problems.append(Problem(loc, kind="setting-needs-version", option=key, since=version_text(since),
                                    huey=runs))
    return problems
