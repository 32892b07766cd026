"""HL503: the consumer logs to a file (``-l``, or a start script's ``>> huey.log 2>&1``) that no logrotate
configuration in the repository rotates."""

from __future__ import annotations

import posixpath
from typing import Iterable

from hueylint.checks import Context, check
from hueylint.checks._logfile import absolute_logfile, covering, log_target, pattern_known
from hueylint.findings import Finding
from hueylint.model import Project


@check("HL503")
def logfile_never_rotated(project: Project, ctx: Context) -> Iterable[Finding]:
    unknown_patterns = any(not pattern_known(p) for stanza in project.logrotate for p in stanza.patterns)
    for launch in project.launches:
        target = log_target(launch)
        if target is None or launch.collects_logs:
            continue
        logfile = target[0]
        path = absolute_logfile(launch, logfile.value)  # type: ignore[arg-type]
        if path is not None:
            if covering(project, path) or unknown_patterns:
                continue
        elif project.logrotate:
            continue  # a relative path with an unknown working directory: a stanza may cover it
        shown = path or logfile.value
        stanza = f"`{shown} {{ weekly rotate 8 compress copytruncate missingok }}`"
        if launch.logfile is None:  # a start script's redirection: the shell opened the file, the consumer holds it
            yield Finding("HL503", (
                f"`{posixpath.basename(logfile.loc.path or '')}` sends the consumer's output to `{logfile.value}` "
                f"({logfile.where()}): no logrotate configuration in the repository "
                f"covers {shown}, and it grows without bound (the consumer holds it open for as long as it runs, "
                f"and nothing rotates it). Fix: add a logrotate stanza {stanza} (copytruncate, because the consumer "
                "keeps the file open), or run the consumer under a supervisor that collects its output"), logfile.loc)
            continue
        yield Finding("HL503", (
            f"`-l {logfile.value}` ({logfile.where()}): no logrotate configuration in the repository covers "
            f"{shown}, and huey's log file grows without bound (huey neither rotates nor re-opens it). "
            f"Fix: add a logrotate stanza {stanza} "
            "(copytruncate, because huey keeps the file open), or log to stderr"), logfile.loc)
