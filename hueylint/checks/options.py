"""HL002: consumer command lines huey would refuse or misread."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check
from hueylint.findings import Finding
from hueylint.model import Project


@check("HL002")
def invalid_consumer_options(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        for problem in launch.problems:
            yield Finding("HL002", problem.message, problem.loc)
