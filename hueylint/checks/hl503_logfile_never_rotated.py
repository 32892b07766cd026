"""HL503: the consumer logs to a file (``-l``) that no logrotate configuration in the repository rotates."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check
from hueylint.checks._logfile import absolute_logfile, covering, judged_logfile, pattern_known
from hueylint.findings import Finding
from hueylint.model import Project


@check("HL503")
def logfile_never_rotated(project: Project, ctx: Context) -> Iterable[Finding]:
    unknown_patterns = any(not pattern_known(p) for stanza in project.logrotate for p in stanza.patterns)
    for launch in project.launches:
        logfile = judged_logfile(launch)
        if logfile is None or launch.collects_logs:
            continue
        path = absolute_logfile(launch, logfile.value)  # type: ignore[arg-type]
        if path is not None:
            if covering(project, path) or unknown_patterns:
                continue
        elif project.logrotate:
            continue  # a relative path with an unknown working directory: a stanza may cover it
        shown = path or logfile.value
        yield Finding("HL503", (
            f"`-l {logfile.value}` ({logfile.where()}): no logrotate configuration in the repository covers "
            f"{shown}, and huey's log file grows without bound (huey neither rotates nor re-opens it). "
            f"Fix: add a logrotate stanza `{shown} {{ weekly rotate 8 compress copytruncate missingok }}` "
            "(copytruncate, because huey keeps the file open), or log to stderr"), logfile.loc)
