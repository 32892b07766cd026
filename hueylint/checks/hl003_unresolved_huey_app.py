"""HL003: the app path a launch names does not resolve to a module and attribute in the repository."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check
from hueylint.checks._app import launch_title
from hueylint.findings import Finding
from hueylint.model import Project


@check("HL003")
def unresolved_app(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        why = launch.app_unresolved
        if why is None or launch.app is None:
            continue
        yield Finding("HL003", f"{launch_title(launch)} runs `{launch.app.value}`, but {why.value}: the consumer exits "
                      "at start with an import error. Fix: point the consumer at the module and variable that "
                      "hold the Huey instance (`package.module.huey`), relative to its working directory",
                      why.loc)
