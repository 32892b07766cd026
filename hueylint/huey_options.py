"""huey's consumer options as data: the option table and what follows from it without parsing a command.

One history of every option spelling (``SPECS``, copied from huey's ``consumer_options.py``, each with the
release that introduced or renamed it), the keys of huey's ``ConsumerConfig`` (Django's
``HUEY['consumer']``) by release, and the checks that need only the table.  :mod:`hueylint.consumer_cli`
builds real parsers from it; the app layer and the rules read it directly.  Versions are tuples
(``(3, 4, 0)``); ``NEWEST`` stands for an unknown version (the newest release is assumed).
"""

from __future__ import annotations

from dataclasses import dataclass

from hueylint.model import HueyVersion, Loc, Problem

Version = tuple[int, ...]


@dataclass(frozen=True)
class OptionSpec:
    """One consumer option of huey's table: its spellings, argparse/optparse ``dest`` and kind, and the
    releases that introduced it (``since``) and renamed its long spelling (``renamed``, before it ``old_long``)."""

    short: str
    long: str
    dest: str
    kind: str  # int | float | str | choice | store_true | store_false
    choices: tuple[str, ...] = ()
    since: Version = (0,)
    old_long: str = ""  # spelling before ``renamed``
    renamed: Version = (0,)


SPECS: tuple[OptionSpec, ...] = (
    OptionSpec("-l", "--logfile", "logfile", "str"),
    OptionSpec("-v", "--verbose", "verbose", "store_true"),
    OptionSpec("-q", "--quiet", "verbose", "store_false"),
    OptionSpec("-S", "--simple", "simple_log", "store_true", since=(2, 0, 0)),
    OptionSpec("-w", "--workers", "workers", "int"),
    OptionSpec("-k", "--worker-type", "worker_type", "choice", ("thread", "greenlet", "process")),
    OptionSpec("-d", "--delay", "initial_delay", "float"),
    OptionSpec("-m", "--max-delay", "max_delay", "float"),
    OptionSpec("-b", "--backoff", "backoff", "float"),
    OptionSpec("-c", "--health-check-interval", "health_check_interval", "float",
               old_long="--health_check_interval", renamed=(2, 5, 1)),
    OptionSpec("-C", "--disable-health-check", "check_worker_health", "store_false",
               old_long="--disable_health_check", renamed=(2, 5, 1)),
    OptionSpec("-f", "--flush-locks", "flush_locks", "store_true"),
    OptionSpec("-L", "--extra-locks", "extra_locks", "str", since=(2, 4, 2),
               old_long="--extra_locks", renamed=(2, 5, 1)),
    OptionSpec("-M", "--max-tasks", "max_tasks", "int", since=(3, 0, 0),
               old_long="--max_tasks", renamed=(3, 0, 1)),
    OptionSpec("-t", "--shutdown-timeout", "shutdown_timeout", "float", since=(3, 4, 0)),
    OptionSpec("-g", "--graceful-signal", "graceful_signal", "choice", ("INT", "TERM"), since=(3, 4, 0)),
    OptionSpec("-s", "--scheduler-interval", "scheduler_interval", "int"),
    OptionSpec("-n", "--no-periodic", "periodic", "store_false"),
)

NEWEST: Version = (99,)
#: keys huey's ``ConsumerConfig`` accepts (the Django ``HUEY['consumer']`` dict): the dests of the command
#: line options, each since the release that introduced its option (SPECS is huey's one option history)
CONFIG_KEYS_BY_VERSION: tuple[tuple[str, Version], ...] = tuple({spec.dest: spec.since for spec in SPECS}.items())


def option_since(dest: str) -> Version:
    """The huey release that introduced the option setting ``dest`` (``shutdown_timeout`` -> ``(3, 4, 0)``)."""
    return next(spec.since for spec in SPECS if spec.dest == dest)


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
