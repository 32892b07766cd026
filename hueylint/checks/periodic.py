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

from typing import Any, Iterable

from hueylint.checks import Context, check
from hueylint.findings import Finding, Related, Severity
from hueylint.model import DJANGO_COMMANDS, Launch, Project
from hueylint.shell import exclusive

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
        for key in ("consumer.django_settings", "consumer.queue"):
            val = launch.facts.get(key)
            if val is not None and not val.known:
                return None
            parts.append(str(val.value) if val is not None else "")
        return tuple(parts)
    app = launch.app
    if app is None or not app.known or app.value is None:
        return None
    return ("app", str(app.value))


def _app_text(launch: Launch) -> str:
    if launch.app is not None and launch.app.known and launch.app.value:
        return f"`{launch.app.value}`"
    queue = launch.facts.get("consumer.queue")
    if queue is not None and queue.known and queue.value:
        return f"queue `{queue.value}`"
    return "the Django app" if launch.program in DJANGO_COMMANDS else "the app"


def _scaled(launch: Launch) -> tuple[str, Any] | None:
    """How this launch runs several instances ("3 instances", "scalable"), or None for one."""
    instances = launch.instances
    if not instances.known:
        return None
    value = instances.value
    if value == "scalable":
        kind = " as a template unit (`systemctl start name@1 name@2 ...`)" if launch.platform == "systemd" else ""
        return f"any number of instances{kind}", instances
    if isinstance(value, int) and not isinstance(value, bool) and value > 1:
        return f"{value} instances", instances
    return None


def _groups(project: Project) -> dict[tuple[str, AppKey], list[Launch]]:
    groups: dict[tuple[str, AppKey], list[Launch]] = {}
    seen: set[tuple] = set()
    for launch in project.launches:
        key = app_key(launch)
        if key is None:
            continue
        ident = (launch.unit, key, launch.loc.path, launch.loc.line)
        if ident in seen:
            continue  # the same command in another branch: an alternative, not another consumer
        seen.add(ident)
        groups.setdefault((launch.unit, key), []).append(launch)
    return groups


def _enqueues(launch: Launch) -> bool:
    """The consumer starts (huey accepts its command line) and enqueues periodic tasks."""
    if launch.refused:
        return False
    periodic = launch.periodic
    return periodic.known and periodic.value is not False


def _periodic_clause(declares: bool | None, launch: Launch, outcome: str) -> str:
    """What happens to the periodic tasks: "each periodic task `app` declares <outcome>", or, when the
    app's code is not known, the same under an explicit "if"."""
    if declares:
        return f"each periodic task {_app_text(launch)} declares {outcome}"
    return (f"if {_app_text(launch)} declares periodic tasks (its code is not in the repo or not linked), "
            f"each one {outcome}")


def _consumer_loc(launch: Launch):
    consumer = launch.facts.get("consumer.loc")
    return consumer.loc if consumer is not None and consumer.loc.path else launch.loc


class _PathIndex:
    """The launches of one group indexed by the script branches they took (``Launch.choices``), so that
    "which launches run together with this one" costs one step per distinct path, not per launch: a compose
    file of 3,000 services has 3,000 launches but one path (no branches)."""

    def __init__(self, launches: list[Launch]) -> None:
        self.paths: dict[tuple, tuple[int, int]] = {}  # choices -> (index of the first launch, launches)
        for index, launch in enumerate(launches):
            first, count = self.paths.get(launch.choices, (index, 0))
            self.paths[launch.choices] = (first, count + 1)

    def together(self, launch: Launch) -> tuple[int, int]:
        """How many launches run together with ``launch`` (itself included), and the index of the first."""
        count, first = 0, -1
        for choices, (start, number) in self.paths.items():
            if choices == launch.choices or not exclusive(choices, launch.choices):
                count += number
                first = start if first < 0 else min(first, start)
        return count, first


@check("HL301")
def duplicate_periodic_enqueuers(project: Project, ctx: Context) -> Iterable[Finding]:
    reported: set[int] = set()
    for launch in project.launches:
        if not _enqueues(launch):
            continue
        scaled = _scaled(launch)
        if scaled is None:
            continue
        declares = app_declares_periodic(project, launch)
        if declares is False:
            continue
        count, instances = scaled
        what = f"`{launch.name}`" if launch.name else "the consumer"
        message = (f"{what} runs {count} ({instances.where()}) without `-n/--no-periodic`: each instance "
                   f"enqueues every periodic task, so {_periodic_clause(declares, launch, 'runs once per instance')}. "
                   "Fix: add `-n` here and run a single separate consumer without `-n` for the "
                   "periodic tasks")
        related = [] if instances.loc.is_default else [Related(instances.loc, "the instance count")]
        reported.add(id(launch))
        yield Finding("HL301", message, _consumer_loc(launch), related=related,
                      severity=Severity.ERROR if declares else Severity.WARNING)
    for (unit, _key), launches in _groups(project).items():
        enqueuing = [launch for launch in launches if _enqueues(launch)]
        if len(enqueuing) < 2:
            continue
        declares = app_declares_periodic(project, enqueuing[0])
        if declares is False:
            continue
        paths = _PathIndex(enqueuing)
        for index, launch in enumerate(enqueuing[1:], 1):
            if id(launch) in reported:
                continue
            # launches in different clauses of one script `if`/`case` are alternatives, never together
            together, first_index = paths.together(launch)
            if first_index >= index:
                continue
            first = enqueuing[first_index]
            what = f"`{launch.name}`" if launch.name else "this consumer"
            other = f"`{first.name}`" if first.name else "another consumer"
            message = (f"{what} and {other} ({first.loc}) both run the consumer for {_app_text(launch)} without "
                       f"`-n/--no-periodic` in one deployment unit ({unit}): "
                       f"{_periodic_clause(declares, launch, f'is enqueued {together} times')}. Fix: add `-n` to all but one of them")
            yield Finding("HL301", message, _consumer_loc(launch),
                          related=[Related(_consumer_loc(first), "also enqueues periodic tasks")],
                          severity=Severity.ERROR if declares else Severity.WARNING)


@check("HL302")
def periodic_tasks_never_enqueued(project: Project, ctx: Context) -> Iterable[Finding]:
    for (unit, _key), launches in _groups(project).items():
        if not launches or app_declares_periodic(project, launches[0]) is not True:
            continue
        flags = [launch.periodic for launch in launches]
        if not all(flag.known and flag.value is False for flag in flags):
            continue
        first = launches[0]
        message = (f"{_app_text(first)} declares periodic tasks, but every consumer of it in {unit} runs with "
                   f"`-n/--no-periodic` ({', '.join(flag.where() for flag in flags)}): the periodic tasks are "
                   "never enqueued. Fix: drop `-n` from exactly one single-instance consumer")
        related = [Related(flag.loc, "also `-n`") for flag in flags[1:] if not flag.loc.is_default]
        loc = flags[0].loc if not flags[0].loc.is_default else first.loc
        yield Finding("HL302", message, loc, related=related)
