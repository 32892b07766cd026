"""HL501-HL503: where the consumer's ``-l`` log file goes, and whether anything rotates it.

huey's ``-l`` opens a plain ``logging.FileHandler``: no rotation and no
re-open on a signal.  Under a platform that collects stderr the file is
redundant and invisible to the platform's tooling (HL501); elsewhere it must
be rotated by logrotate with ``copytruncate`` (HL502), or at least rotated
(HL503).  ``-l /dev/stdout`` and friends are streams, not files.
"""

from __future__ import annotations

import fnmatch
import posixpath
from typing import Iterable

from hueylint.checks import Context, check, fixing
from hueylint.findings import Edit, Finding, Fix, Related
from hueylint.fix_edits import logrotate_add
from hueylint.model import Launch, Loc, LogrotateStanza, Project, Val

RESTARTS = "postrotate:restarts"
COLLECTOR = {
    "systemd": "systemd collects its stderr in the journal (`journalctl -u {name}`)",
    "docker": "Docker collects its stderr (`docker logs`)",
    "compose": "compose collects its stderr (`docker compose logs`)",
    "kubernetes": "Kubernetes collects its stderr (`kubectl logs`)",
    "procfile": "the PaaS collects its stderr (the platform's log stream, e.g. `heroku logs`)",
}


def _logfile(launch: Launch) -> Val[str] | None:
    logfile = launch.logfile
    if logfile is None or not logfile.known or not isinstance(logfile.value, str) or launch.dev:
        return None
    if logfile.value.startswith(("/dev/", "/proc/")) or any(mark in logfile.value for mark in ("{{", "$", "%(")):
        return None
    return logfile


def absolute_logfile(launch: Launch, path: str) -> str | None:
    """The log file's absolute path, using the working directory for relative paths; None if unknown."""
    if path.startswith("/"):
        return posixpath.normpath(path)
    workdir = launch.workdir
    if workdir is not None and workdir.known and isinstance(workdir.value, str) and workdir.value.startswith("/") \
            and "$" not in workdir.value and "{{" not in workdir.value:
        return posixpath.normpath(posixpath.join(workdir.value, path))
    return None


def pattern_known(pattern: str) -> bool:
    return not any(mark in pattern for mark in ("{{", "$", "~", "%"))


def glob_match(path: str, pattern: str) -> bool:
    """glob(3) semantics as logrotate uses them: wildcards never cross ``/``."""
    path_parts = posixpath.normpath(path).split("/")
    pattern_parts = posixpath.normpath(pattern).split("/")
    return len(path_parts) == len(pattern_parts) and all(
        fnmatch.fnmatchcase(part, glob) for part, glob in zip(path_parts, pattern_parts))


def covering(project: Project, path: str) -> list[LogrotateStanza]:
    return [stanza for stanza in project.logrotate
            if any(pattern_known(p) and glob_match(path, p) for p in stanza.patterns)]


@check("HL501")
def logfile_under_log_collector(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        logfile = _logfile(launch)
        if logfile is None or not launch.collects_logs:
            continue
        collector = COLLECTOR.get(launch.platform, "the platform collects its stderr").format(name=launch.name)
        what = f"`{launch.name}`" if launch.name else "the consumer"
        yield Finding("HL501", (
            f"`-l {logfile.value}` ({logfile.where()}) sends {what}'s log to a file although {collector}: the "
            "file is invisible to the platform's log tooling, never rotated or re-opened by huey, and fills the "
            "disk. Fix: drop `-l` so huey logs to stderr"), logfile.loc, fix=_drop_logfile(launch, ctx, logfile))


@check("HL502")
def logrotate_without_copytruncate(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        logfile = _logfile(launch)
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


@check("HL503")
def logfile_never_rotated(project: Project, ctx: Context) -> Iterable[Finding]:
    unknown_patterns = any(not pattern_known(p) for stanza in project.logrotate for p in stanza.patterns)
    for launch in project.launches:
        logfile = _logfile(launch)
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


def _drop_logfile(launch: Launch, ctx: Context, logfile: Val[str]) -> Fix | None:
    """`-l FILE` removed from the consumer command (a command hueylint saw)."""
    span = fixing.option_words(logfile, ctx) if not launch.unresolved else None
    if span is None or logfile.loc.path is None:
        return None
    line, start, end = span
    return Fix("drop `-l` so huey logs to stderr", (Edit(logfile.loc.path, line, start, line, end, ""),))


def _copytruncate(ctx: Context, loc: Loc) -> Fix | None:
    text = ctx.text(loc.path or "") if loc.path else None
    edit = logrotate_add(loc.path, text, loc.line, "copytruncate", "nocopytruncate") if text and loc.path else None
    return Fix("add `copytruncate` to the stanza", (edit,)) if edit is not None else None
