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

from hueylint.hueyfacts import DJANGO_COMMANDS
from hueylint.model import Launch, Project

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
        if key is None:
            continue
        ident = (launch.unit, key, launch.loc.path, launch.loc.line)
        if ident in seen:
            continue  # the same command in another branch: an alternative, not another consumer
        seen.add(ident)
        groups.setdefault((launch.unit, key), []).append(launch)
    return {split_key: part for group_key, launches in groups.items()
            for split_key, part in _by_resolved_app(group_key, launches).items()}


def _resolved(launch: Launch) -> str | None:
    """The app the launch was resolved to in the repository (``Launch.app_key``: its module file), if any."""
    found = launch.app_key
    return str(found.value) if found is not None and found.known and found.value else None


def _by_resolved_app(group_key: tuple[str, AppKey], launches: list[Launch]
                     ) -> dict[tuple[str, AppKey], list[Launch]]:
    """One import path naming different apps (two services of one compose project, each running its own
    ``tasks.huey`` from its own folder) is several apps: one group per resolved app.  A launch whose app was
    not resolved may run any of them and joins each group."""
    resolved = sorted({key for key in map(_resolved, launches) if key is not None})
    if len(resolved) < 2:
        return {group_key: launches}
    unit, key = group_key
    return {(unit, (*key, app)): [launch for launch in launches if _resolved(launch) in (app, None)]
            for app in resolved}
