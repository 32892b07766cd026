"""huey's consumer options as data: the option table and what follows from it without parsing a command.

The option table itself (every spelling with the release that introduced or renamed it, ``SPECS``; the keys
of huey's ``ConsumerConfig``, Django's ``HUEY['consumer']``, by release) is :mod:`hueylint.hueyfacts`, re-exported
here; this module holds what follows from it: version arithmetic for messages and the checks that need only
the table.  :mod:`hueylint.consumer_cli`
builds real parsers from it; the app layer and the rules read it directly.  Versions are tuples
(``(3, 4, 0)``); ``NEWEST`` stands for an unknown version (the newest release is assumed).
"""

from __future__ import annotations

from hueylint.hueyfacts import (  # noqa: F401  re-exported: huey's option table is one of hueyfacts' facts
    CONFIG_KEYS_BY_VERSION,
    SPECS,
    OptionSpec,
    Version,
    option_since,
)
from hueylint.model import HueyVersion, Loc, Problem

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
        if since is None:
            problems.append(Problem("", loc, kind="unknown-setting", option=key, hint=hints.get(key, "")))
        elif version < since:
            problems.append(Problem("", loc, kind="setting-needs-version", option=key, since=version_text(since),
                                    huey=runs))
    return problems
