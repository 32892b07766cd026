"""HL502: a logrotate stanza covers the consumer's ``-l`` file (or the file a start script sends its output to)
without ``copytruncate``."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check
from hueylint.checks._logfile import absolute_logfile, covering, log_target, supervisord_maxbytes
from hueylint.findings import Finding, Fix, Related
from hueylint.fix_edits import logrotate_add
from hueylint.locations import Loc
from hueylint.model import LOGROTATE_REOPENS_SUPERVISORD, LOGROTATE_RESTARTS, Project


@check("HL502")
def logrotate_without_copytruncate(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        target = log_target(launch)
        if target is None:
            continue
        logfile, what = target
        supervisord = supervisord_maxbytes(launch) is not None
        writer = "huey (which never re-opens its log file)" if launch.logfile is not None else \
            "supervisord (which re-opens it only on SIGUSR2 or when it restarts the program)" if supervisord else \
            "the consumer (which holds the file systemd opened for it)" if launch.platform == "systemd" else \
            "the consumer (which holds the file its shell opened)"
        path = absolute_logfile(launch, logfile.value)  # type: ignore[arg-type]
        if path is None:
            continue
        for stanza in covering(project, path):
            if "copytruncate" in stanza.directives or LOGROTATE_RESTARTS in stanza.directives or (
                    LOGROTATE_REOPENS_SUPERVISORD in stanza.directives and supervisord):
                continue
            yield Finding("HL502", (
                f"this logrotate stanza rotates {path}, {what} ({logfile.where()}), without "
                f"`copytruncate`: logrotate renames the file, and {writer} keeps "
                "writing into the rotated-away file, so new log lines land in the old file and the new one "
                "stays empty. Fix: add `copytruncate` to the stanza"
                + (" (or a `postrotate` script sending supervisord SIGUSR2: `kill -USR2 $(cat /var/run/supervisord.pid)`)"
                   if supervisord else "")),
                stanza.loc, related=[Related(logfile.loc, "the consumer's log file")], fix=_copytruncate(ctx, stanza.loc))


def _copytruncate(ctx: Context, loc: Loc) -> Fix | None:
    text = ctx.text(loc.path or "") if loc.path else None
    edit = logrotate_add(loc.path, text, loc.line, "copytruncate", "nocopytruncate") if text and loc.path else None
    return Fix("add `copytruncate` to the stanza", (edit,)) if edit is not None else None
