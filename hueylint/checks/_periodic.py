"""HL301 and HL302: exactly one consumer per deployment unit should enqueue periodic tasks.

Instances are counted within one deployment unit (``launch.unit``: one
Procfile, one compose project, the systemd units of one folder ...), never
across alternative descriptions of the same app.  Launches written on the
same line (alternative branches of one script) count once.

Whether the app declares periodic tasks comes from the app facts through
:func:`app_declares_periodic`; until the app layer links apps to launches it
answers None ("not known") and HL301 is a warning.
"""

from __future__ import annotations

import posixpath
from typing import Any

from hueylint.hueyfacts import DJANGO_COMMANDS
from hueylint.model import Launch, Project, Val

AppKey = tuple[str, ...]


def app_declares_periodic(project: Project, launch: Launch) -> bool | None:
    """True when the launch's app is known to declare periodic tasks, False when known not to, else None.

    Reads the app facts in ``project.apps`` (filled by the app layer): an app object that lists this
    launch in ``launches`` (or, failing that, whose ``module`` is the module the launch imports)
    answers with its ``periodic_tasks``.  "No periodic task" is only believed when the app says its
    module set is ``complete`` (no unresolved star or dynamic import): the consumer registers only
    the tasks its import graph defines, so a complete graph without one proves there are none.
    """
    module = _app_module(launch)
    found = None
    for app in project.apps:
        if any(other is launch for other in getattr(app, "launches", ()) or ()):
            found = app
            break
        if found is None and module is not None and getattr(app, "module", None) == module \
                and hasattr(app, "periodic_tasks"):
            found = app
    if found is None:
        return None
    if getattr(found, "periodic_tasks", None):
        return True
    return False if getattr(found, "complete", False) else None


def _app_module(launch: Launch) -> str | None:
    app = launch.app
    if app is None or not app.known or not isinstance(app.value, str):
        return None
    path = app.value
    if ":" in path:
        return path.split(":", 1)[0]
    return path.rsplit(".", 1)[0] if "." in path else path


def app_key(launch: Launch) -> AppKey | None:
    """Which huey app a launch runs; None when it cannot be known (launches are then not compared)."""
    if launch.program in DJANGO_COMMANDS:
        parts: list[str] = [launch.program]
        for val in (launch.consumer.django_settings, launch.consumer.queue):
            if val is not None and not val.known:
                return None
            parts.append(str(val.value) if val is not None else "")
        return tuple(parts)
    app = launch.app
    if app is None or not app.known or app.value is None:
        return None
    return ("app", str(app.value))


def app_text(launch: Launch) -> str:
    if launch.app is not None and launch.app.known and launch.app.value:
        return f"`{launch.app.value}`"
    queue = launch.consumer.queue
    if queue is not None and queue.known and queue.value:
        return f"queue `{queue.value}`"
    return "the Django app" if launch.program in DJANGO_COMMANDS else "the app"


def unit_groups(project: Project) -> dict[tuple[str, AppKey], list[Launch]]:
    groups: dict[tuple[str, AppKey], list[Launch]] = {}
    seen: set[tuple[str, AppKey, str | None, int]] = set()
    for launch in project.launches:
        key = app_key(launch)
        if key is None or (launch.instances.known and launch.instances.value == 0):
            continue  # (no instance starts it: compose `scale: 0`, a branch no instance's own name takes)
        ident = (launch.unit, key, launch.loc.path, launch.loc.line)
        if ident in seen:
            continue  # the same command in another branch: an alternative, not another consumer
        seen.add(ident)
        groups.setdefault((launch.unit, key), []).append(launch)
    queues = _django_queues(project)
    return {split_key: part for group_key, launches in groups.items()
            for split_key, part in _by_resolved_app(group_key, launches, queues).items()}


def _resolved(launch: Launch, queues: dict[str, str]) -> str | None:
    """The app the launch was resolved to in the repository (``Launch.app_key``: its module file), if any; a
    Django settings module as the queue it configures (:func:`_django_queues`)."""
    found = launch.app_key
    key = str(found.value) if found is not None and found.known and found.value else None
    return queues.get(key, key) if key is not None else None


def _plain(value: Any) -> Any:
    """A settings value without its provenance (nested ``Val``s unwrapped), to compare two settings dicts."""
    if isinstance(value, Val):
        return _plain(value.value) if value.known else _UNKNOWN
    if isinstance(value, dict):
        return tuple(sorted((str(key), _plain(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_plain(item) for item in value)
    return value


_UNKNOWN = object()


def _django_queues(project: Project) -> dict[str, str]:
    """Django apps (settings modules) of one project folder whose huey settings differ in ``'consumer'`` only
    (a worker's settings module star-importing the scheduler's, giving ``'periodic': False``): one queue their
    consumers share, so the same app for HL301 and HL302; every other setting written and known."""
    queues: dict[str, str] = {}
    for app in project.apps:
        config = app.config
        if app.kind != "django" or config is None or not config.complete or not app.settings_rels:
            continue
        storage = _plain({key: val for key, val in config.entries.items() if key != "consumer"})
        if _contains_unknown(storage):
            continue
        folder = posixpath.dirname(app.settings_rels[0])
        queues[app.key] = f"django-queue:{folder}:{app.queue or ''}:{storage!r}"
    return queues


def _contains_unknown(value: Any) -> bool:
    return value is _UNKNOWN or isinstance(value, tuple) and any(_contains_unknown(item) for item in value)


def _by_resolved_app(group_key: tuple[str, AppKey], launches: list[Launch], queues: dict[str, str]
                     ) -> dict[tuple[str, AppKey], list[Launch]]:
    """One import path naming different apps (two services of one compose project, each running its own
    ``tasks.huey`` from its own folder) is several apps: one group per resolved app.  A launch whose app was
    not resolved may run any of them and joins each group."""
    resolved = sorted({key for key in (_resolved(launch, queues) for launch in launches) if key is not None})
    if len(resolved) < 2:
        return {group_key: launches}
    unit, key = group_key
    return {(unit, (*key, app)): [launch for launch in launches if _resolved(launch, queues) in (app, None)]
            for app in resolved}
