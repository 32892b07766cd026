"""HL407: a second positional argument to a Huey class sets ``results``, not the storage host."""

from __future__ import annotations

from typing import Iterable

from hueylint.appmodel import Repo
from hueylint.checks import Context, check
from hueylint.findings import Finding
from hueylint.model import Project


@check("HL407")
def positional_storage_argument(project: Project, ctx: Context) -> Iterable[Finding]:
    for facts in (project.repo or Repo()).modules.values():
        for inst in facts.instances:
            if inst.second_positional is None:
                continue
            yield Finding("HL407", f"the second positional argument of `{inst.written_class}(...)` sets `results`, "
                          "not the storage host: the consumer connects to the default (localhost) and results "
                          "are stored or not by accident. Fix: pass it by keyword (`host=...`, `url=...`, "
                          "`filename=...`)", inst.second_positional)
