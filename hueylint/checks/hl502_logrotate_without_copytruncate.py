"""HL502: a logrotate stanza covers the consumer's ``-l`` file without ``copytruncate``."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check
from hueylint.checks._logfile import absolute_logfile, covering, judged_logfile
from hueylint.findings import Finding, Fix, Related
from hueylint.fix_edits import logrotate_add
from hueylint.locations import Loc
from hueylint.model import Project

RESTARTS = "postrotate:restarts"


@check("HL502")
def logrotate_without_copytruncate(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        logfile = judged_logfile(launch)
        if logfile is None:
            continue
        path = absolute_logfile(launch, logfile.value)  # type: ignore[arg-type]
        if path is None:
            continue
        for stanza in covering(project, path):
            if "copytruncate" in stanza.directives or RESTARTS in stanza.directives:
                continue
            yield Finding("HL502", (
                f"this logrotate stanza rotates {path}, the consumer's `-l` file ({logfile.where()}), without "
                "`copytruncate`: logrotate renames the file, and huey (which never re-opens its log file) keeps "
                "writing into the rotated-away file, so new log lines land in the old file and the new one "
                "stays empty. Fix: add `copytruncate` to the stanza"),
                stanza.loc, related=[Related(logfile.loc, "the consumer's log file")], fix=_copytruncate(ctx, stanza.loc))


def _copytruncate(ctx: Context, loc: Loc) -> Fix | None:
    text = ctx.text(loc.path or "") if loc.path else None
    edit = logrotate_add(loc.path, text, loc.line, "copytruncate", "nocopytruncate") if text and loc.path else None
    return Fix("add `copytruncate` to the stanza", (edit,)) if edit is not None else None
