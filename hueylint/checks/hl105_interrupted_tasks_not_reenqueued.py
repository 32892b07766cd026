"""HL105: the app registers no SIGNAL_INTERRUPTED handler, so tasks interrupted at shutdown are lost."""

from __future__ import annotations

from typing import Any, Iterable

from hueylint.appmodel import App, Repo
from hueylint.checks import Context, check
from hueylint.checks._app import app_version, consumer_loc, launch_title, running_apps
from hueylint.checks._storage import only_in_memory
from hueylint.findings import Finding, Related, Severity
from hueylint.hueyfacts import INTERRUPTED_SIGNAL_SINCE
from hueylint.locations import Loc
from hueylint.model import Launch, Project


@check("HL105")
def interrupted_not_reenqueued(project: Project, ctx: Context) -> Iterable[Finding]:
    repo = project.repo or Repo()
    # one app defined at one place but loaded twice (the base settings imported by a development stack's
    # settings and by production's) is one finding, naming their launches together; django-huey queues
    # declared in one dict stay one finding each
    pending: dict[tuple[str | None, int, int, str | None], tuple[Loc, list[tuple[App, list[Launch], list[Any]]]]] = {}
    for app, launches, elsewhere in _lacking(project, repo):
        loc = _where(app, launches)
        pending.setdefault((loc.path, loc.line, loc.col, app.queue), (loc, []))[1].append((app, launches, elsewhere))
    for at, group in pending.values():
        working = list({id(launch): launch for _app, launches, _e in group for launch in launches}.values())
        launches = [launch for launch in working if not launch.dev] or working
        app, _launches, elsewhere = group[0]
        yield _finding(app, launches, elsewhere, at)


def _lacking(project: Project, repo: Repo) -> Iterable[tuple[App, list[Launch], list[Any]]]:
    """Each running app that registers no SIGNAL_INTERRUPTED handler, with its launches that execute tasks
    and the handlers defined in modules its consumer does not import."""
    for app in running_apps(project):
        if not app_version(project, app).at_least(*INTERRUPTED_SIGNAL_SINCE):
            continue
        if any(h.handles_interrupted for h in app.signal_handlers):
            continue
        if only_in_memory(app):
            continue  # a task re-enqueued into the consumer's own memory dies with it: the fix cannot help
        elsewhere = [h for facts in repo.modules.values() if facts.rel not in app.modules
                     and not _other_app(facts, app) for h in facts.signal_handlers
                     if h.handles_interrupted and app.on_queue(h)]
        if any(_in_package(h.loc.path or "", app.packages) for h in elsewhere):
            continue  # an installed Django app's module: Django may import it (AppConfig.ready) unseen
        if elsewhere and not app.complete:
            continue  # the consumer may import it through a path hueylint did not follow
        working = [launch for launch in app.launches if launch.runs_tasks]  # `-w 0` executes no task
        if working:
            yield app, working, elsewhere


def _where(app: App, launches: list[Launch]) -> Loc:
    """Where the finding goes: the app's storage; a django-huey queue's own entry of ``DJANGO_HUEY['queues']``
    (``"reports": {``), where HL402 speaks of its storage too, not the ``DJANGO_HUEY`` line every queue shares;
    with no storage node, what makes the app (:attr:`App.anchor`: ``'huey.contrib.djhuey'`` in INSTALLED_APPS, a
    script's ``create_consumer()``); with none of those, the first consumer launch, never line 1 of
    ``manage.py``."""
    if app.queue is not None and app.config is not None and app.config.loc.path:
        return app.config.loc
    if app.loc is not None:
        return app.loc
    return consumer_loc(launches[0])


def _which(app: App) -> str:
    """How the message names the app when no storage node was read (:func:`_where` points elsewhere)."""
    if app.instances or app.setting is not None or app.setting_written is not None:
        return "the huey app"
    if app.kind == "django":
        settings = ", ".join(f"`{rel}`" for rel in app.settings_rels[:2])
        installed = " installed here" if app.anchor is not None else ""
        if app.setting_lazy is not None:  # a module __getattr__ (PEP 562) whose __dir__ Django reads
            return (f"the Django huey app{installed} (no `HUEY` setting is written in {settings}, whose module "
                    f"`__getattr__` (line {app.setting_lazy.line}) may compute one at run time)")
        if app.setting_unseen:  # a star import not found (a base settings module another image copies in) may set it
            return (f"the Django huey app{installed} (no `HUEY` setting is read in {settings}, which imports a "
                    "module not found where it runs from: it may set one)")
        return (f"the Django huey app{installed} (no `HUEY` setting is read in {settings}: djhuey's defaults, or "
                "one built by code at run time)")
    if app.kind == "script" and app.anchor is not None:
        return "the huey app whose consumer is built here (its huey object comes from code not read)"
    return "the huey app"


def _finding(app: App, launches: list[Launch], elsewhere: list[Any], at: Loc) -> Finding:
    """The finding at ``at`` (:func:`_where` of the group's first app) naming ``launches``."""
    paas = [launch for launch in launches if launch.paas]
    # one name per launch as written (two compose projects may run one service of one image)
    named = dict.fromkeys(f"{launch_title(launch)} ({consumer_loc(launch)})" for launch in launches)
    where = ", ".join(list(named)[:3]) + (f" and {len(named) - 3} more" if len(named) > 3 else "")
    extra = ""
    if elsewhere:
        extra = (f" (the handler in {elsewhere[0].loc.path} is in a module the consumer does not import, so "
                 "it never runs there)")
    other = _other_queue(app)
    if other is not None:  # no `queue=`: django-huey's default queue
        name = other.queue.value if other.queue is not None else app.default_queue
        extra += (f" (the handler at {other.loc} is registered on queue {name!r} only)" if name else "")
    platform = " On a PaaS every deploy and daily restart stops the consumer." if paas else ""
    message = (f"{_which(app)} run by {where} registers no SIGNAL_INTERRUPTED handler{extra}: a task still "
               "running when the shutdown timeout or the kill deadline expires is lost, never retried."
               f"{platform} Fix: {_fix(app)}")
    related = [Related(loc, "consumer launch") for loc in dict.fromkeys(consumer_loc(launch) for launch in launches)
               if loc != at]
    related += [Related(h.loc, "handler not imported by the consumer") for h in elsewhere[:1]]
    if other is not None:
        related.append(Related(other.loc, "handler of another queue"))
    return Finding("HL105", message, at, severity=Severity.ERROR if paas else None, related=related)


def _other_queue(app: App) -> Any:
    """The first SIGNAL_INTERRUPTED handler the consumer imports that is registered on another django-huey
    queue (:attr:`SignalHandler.queue`): the user may think it covers this queue too."""
    return next((h for m in app.modules.values() for h in m.signal_handlers
                 if h.handles_interrupted and not app.on_queue(h)), None)


def _fix(app: App) -> str:
    """The registration the app's kind takes (huey 3.5.4 ``huey/contrib/djhuey/__init__.py``: ``signal =
    HUEY.signal``, ``enqueue = HUEY.enqueue``; django-huey 1.3.1 ``django_huey/__init__.py``: ``signal(*args,
    queue=None)`` and ``enqueue(*args, queue=None)`` on ``get_queue(queue)``, the default queue without one; both
    commands import each installed app's ``tasks`` module, ``autodiscover_modules("tasks")``).  A huey app: the
    decorator of its instance, by the name it is assigned to (``huey`` when not a plain assignment)."""
    idempotent = "; make tasks idempotent)"
    if app.kind == "django" and (app.queue is not None or (app.setting is not None
                                                           and app.setting.name == "DJANGO_HUEY")):
        queue = f", queue={app.queue!r}" if app.queue is not None else ", queue=..."
        return (f"in an installed app's `tasks.py` (`djangohuey` imports it), register `@signal(SIGNAL_INTERRUPTED"
                f"{queue})` (`from django_huey import signal, enqueue`) and re-enqueue the task there (`enqueue(task"
                f"{queue})`{idempotent}")
    if app.kind == "django":
        return ("in an installed app's `tasks.py` (`run_huey` imports it), register `@signal(SIGNAL_INTERRUPTED)` "
                "(`from huey.contrib.djhuey import signal, enqueue`) and re-enqueue the task there (`enqueue(task)`"
                f"{idempotent}")
    name = next((inst.var for inst in app.judged_instances or app.instances if inst.var), None) or "huey"
    return (f"register `@{name}.signal(SIGNAL_INTERRUPTED)` in a module the consumer imports and re-enqueue the task "
            f"there (`{name}.enqueue(task)`{idempotent}")


def _other_app(facts: Any, app: App) -> bool:
    """True when the module makes a huey instance of its own that is none of ``app``'s (a monorepo's other
    service, ``services/billing/queue.py``): its ``@huey.signal`` registers on that instance, so its handler is
    another app's, neither one this app's consumer misses nor one it may import unseen."""
    own = {instance.loc for instance in app.instances}
    made = [instance for instance in facts.instances if not instance.in_function]
    return bool(made) and not any(instance.loc in own for instance in made)


def _in_package(path: str, packages: list[str]) -> bool:
    return any(path.startswith(f"{folder}/") for folder in packages if folder)
