"""Helpers of the rules on the huey app read from Python sources: HL002 (Django consumer keys), HL003,
HL105, HL303-HL305, HL401-HL408, HL601.

Two scopes, on purpose.  Rules about code that is wrong wherever it runs (HL305 lock order, HL401
``immediate=True``, HL403 literal secrets, HL407, HL408) read every module of the deployed code
(:class:`~hueylint.appmodel.Repo`: tests and fixtures excluded), so a library gets them too.
Rules that depend on how the app is run (results kept, storage reached from another process, locks
and flags, greenlets, interrupted tasks) need a launch that runs the app
(:func:`~hueylint.appmodel.app_for`) and stay silent otherwise.
"""

from __future__ import annotations

from typing import Iterable

from hueylint.appmodel import App, DjangoHueySetting, HueyArgs, HueyConfig, Repo
from hueylint.locations import Loc
from hueylint.model import HueyVersion, Launch, Project


def consumer_loc(launch: Launch) -> Loc:
    consumer = launch.consumer.program
    return consumer.loc if consumer is not None and consumer.loc.path else launch.loc


def options_loc(launch: Launch) -> Loc:
    """Where an option is added to the consumer's command line: the caller's line when a wrapper script takes the
    command's words from it (``exec python3 manage.py "$@"`` run as ``ExecStart=/usr/bin/shopctl run_huey``:
    ``ConsumerFacts.options_at``), else the consumer's own word (:func:`consumer_loc`).  A wrapper several launches
    share is then not told to take an option one of them needs."""
    return launch.consumer.options_at or consumer_loc(launch)


def launch_title(launch: Launch) -> str:
    """``compose `worker```; a development launch says why it is one (``(development: ...)``)."""
    what = f"{launch.platform} `{launch.name}`" if launch.name else launch.platform
    dev = launch.dev_reason if launch.dev else None
    return f"{what} (development: {dev.value})" if dev is not None else what


def app_version(project: Project, app: App) -> HueyVersion:
    """The huey an app runs: the dependency files nearest to its entry module; else the oldest huey
    its launches run (their service folders); else the repository-wide version."""
    nearest = project.nearest_version(app.entry.rel) if app.entry is not None else None
    if nearest is not None or project.huey_version.basis == "configured":
        return project.version_for(app.entry.rel if app.entry is not None else None)
    launched = [launch.huey_version for launch in app.launches if launch.huey_version.value is not None]
    return min(launched, key=lambda version: version.value or ()) if launched else project.huey_version


def running_apps(project: Project) -> list[App]:
    """Apps some launch runs (dev-only launches included: the code is still run by a consumer)."""
    return [app for app in project.apps if app.launches]


def judged_apps(project: Project) -> list[App]:
    """Apps whose configuration is judged: those some launch runs, and Django settings without a launch in
    the tree (their consumer is started elsewhere, e.g. on the hosting platform)."""
    return [app for app in project.apps if app.launches or app.kind == "django"]


def settings_configs(project: Project) -> Iterable[tuple[str, HueyConfig, Loc, DjangoHueySetting]]:
    """Every ``HUEY`` dict / django-huey queue dict of the deployed settings modules, with its setting."""
    for facts in (project.repo or Repo()).settings_modules():
        for setting in facts.django_settings:
            if setting.config is not None:
                yield facts.rel, setting.config, setting.loc, setting
            for config in setting.queues.values():
                yield facts.rel, config, config.loc, setting


def all_huey_args(project: Project) -> Iterable[tuple[str, HueyArgs, Loc, str]]:
    """(rel, arguments, where, description) of every Huey instance and settings dict of the deployed code."""
    for facts in (project.repo or Repo()).modules.values():
        for inst in facts.instances:
            yield facts.rel, inst, inst.loc, f"`{inst.written_class}(...)`"
        written = {inst.loc for inst in facts.instances}  # the linker may have read their imported values
        for setting in facts.django_settings:
            if setting.instance is not None and setting.instance.loc not in written:
                yield facts.rel, setting.instance, setting.instance.loc, f"`{setting.instance.written_class}(...)`"
    for rel, config, loc, _setting in settings_configs(project):
        yield rel, config, loc, "the `HUEY` settings dict"
