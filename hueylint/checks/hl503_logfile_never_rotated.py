"""HL503: the consumer logs to a file (``-l``, or a start script's ``>> huey.log 2>&1``) that no logrotate
configuration in the repository rotates."""

from __future__ import annotations

import posixpath
from typing import Iterable

from hueylint.checks import Context, check
from hueylint.checks._logfile import absolute_logfile, covering, log_target, pattern_known, supervisord_maxbytes
from hueylint.findings import Finding, Related
from hueylint.model import Launch, Project


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
        unrotated = supervisord_maxbytes(launch)
        if unrotated is not None:  # supervisord's own rotation turned off
            key, maxbytes = unrotated
            yield Finding("HL503", (
                f"supervisord writes `{launch.name}`'s output to `{logfile.value}` ({logfile.where()}) and never "
                f"rotates it (`{key}={str(maxbytes.value).strip()}`: unlimited), and no logrotate configuration in the "
                f"repository covers {shown}: it grows without bound. Fix: drop `{key}=` (supervisord's default "
                f"rotates at 50MB and keeps 10 backups) or set a size, or add a logrotate stanza {stanza}"),
                maxbytes.loc, related=[Related(logfile.loc, "the program's log file")])
            continue
        if launch.logfile is None:  # a start script's redirection: the shell opened the file, the consumer holds it
            yield Finding("HL503", (
                f"{_writer(launch, logfile.loc.path)} the consumer's output to `{logfile.value}` "
                f"({logfile.where()}): no logrotate configuration in the repository "
                f"covers {shown}, and it grows without bound (the consumer holds it open for as long as it runs, "
                f"and nothing rotates it). Fix: add a logrotate stanza {stanza} (copytruncate, because the consumer "
                f"keeps the file open), or {_collected(launch)}"), logfile.loc)
            continue
        yield Finding("HL503", (
            f"`-l {logfile.value}` ({logfile.where()}): no logrotate configuration in the repository covers "
            f"{shown}, and huey's log file grows without bound (huey neither rotates nor re-opens it). "
            f"Fix: add a logrotate stanza {stanza} "
            "(copytruncate, because huey keeps the file open), or log to stderr"), logfile.loc)


def _writer(launch: Launch, path: str | None) -> str:
    """Who puts the consumer's output into the file, as a sentence's start: a systemd unit's ``StandardError=``, a
    start script's redirection."""
    if launch.platform == "systemd":
        return f"systemd `{launch.name}` writes"
    return f"`{posixpath.basename(path or '')}` sends"


def _collected(launch: Launch) -> str:
    """How the consumer's output is collected instead of written to a file nobody rotates."""
    if launch.platform == "systemd":
        return "drop the unit's `StandardOutput=`/`StandardError=` file setting so the journal collects it"
    return "run the consumer under a supervisor that collects its output"
