"""HL204: ``$VAR`` in a supervisord ``command``/``environment`` is passed on literally."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check
from hueylint.findings import Finding, Related
from hueylint.model import Project


@check("HL204")
def supervisord_shell_expansion(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        found = launch.supervisord.command_vars if launch.supervisord is not None else None
        if found is None or not found.value:
            continue
        names = list(dict.fromkeys(found.value))
        locs = launch.supervisord.command_var_locs if launch.supervisord is not None else None
        extra = list(locs.value[1:]) if locs is not None and locs.value else []
        shown = ", ".join(f"`{name}`" for name in names)
        first = names[0].strip("${}").split(":")[0].split("-")[0]
        message = (f"supervisord passes {shown} literally to `{launch.name}`: it runs the command itself, "
                   "without a shell, and does no `$VAR` expansion, so the consumer receives the text "
                   f"`{names[0]}` instead of the value. Fix: write `%(ENV_{first})s` (expanded from "
                   "supervisord's environment), or set the value in the file")
        related = [Related(loc, "also passed literally") for loc in extra]
        yield Finding("HL204", message, found.loc, related=related)
