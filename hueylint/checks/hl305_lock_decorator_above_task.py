"""HL305: ``@lock_task`` written above the task decorator guards the enqueue, not the execution."""

from __future__ import annotations

from typing import Iterable

from hueylint.appmodel import Repo
from hueylint.checks import Context, check, fixing
from hueylint.findings import Finding, Related
from hueylint.model import Project


@check("HL305")
def lock_decorator_above_task(project: Project, ctx: Context) -> Iterable[Finding]:
    for facts in (project.repo or Repo()).modules.values():
        for lock in facts.locks:
            if not lock.above_task:
                continue
            related = [Related(lock.task_loc, "the task decorator")] if lock.task_loc else []
            yield Finding(
                "HL305",
                f"`@lock_task` on `{lock.function}` is written above the task decorator: it wraps the call that "
                "enqueues the task, not the task's execution, so runs can overlap. Fix: put `@lock_task(...)` below "
                "`@huey.task()`/`@huey.periodic_task(...)`, directly above the function",
                lock.loc, related=related, fix=fixing.swap_lines_fix(ctx, lock.loc, lock.task_loc, "swap the decorators")
                if lock.task_loc else None)
