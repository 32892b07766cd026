"""HL201: shells between the supervisor and the consumer."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check, fixing
from hueylint.findings import Finding, Related
from hueylint.model import Project


@check("HL201")
def shell_wrapper(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        if launch.dev:
            continue  # a development reloader stack (watchfiles, watchmedo, Procfile.dev): nothing to lose on stop
        for problem in launch.wrappers:
            if not problem.locs:
                continue
            primary, _label = problem.locs[0]
            # the chain's messages already name the branch they are in; say it once
            branch = f" [branch: {problem.branch}]" if problem.branch and problem.branch not in problem.message else ""
            fix = ("Fix: start it in the foreground as the last command with `exec`, or run it as its own "
                   "service/container" if problem.severe else
                   f"Fix: `exec` {problem.subject} as the last command, use the exec (JSON) form, or drop the wrapper")
            related = [Related(loc, label) for loc, label in problem.locs[1:]]
            edit = None
            if not problem.severe and problem.subject == "the consumer":
                edit = fixing.exec_form_fix(launch, ctx) or fixing.exec_fix(launch, ctx)
            yield Finding("HL201", f"{problem.message}{branch}. {fix}", primary, related=related, fix=edit)
