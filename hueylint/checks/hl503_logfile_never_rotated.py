"""HL503: the consumer logs to a file (``-l``, or a start script's ``>> huey.log 2>&1``) that no logrotate
configuration in the repository rotates, or to a supervisord program log whose rotation is off
(``*_logfile_maxbytes=0``): a file named by ``*_logfile=``, or supervisord's ``AUTO`` file in ``childlogdir``
(``launch.supervisord.auto_unrotated``)."""

from __future__ import annotations

import posixpath
from typing import Iterable

from hueylint.checks import Context, check
from hueylint.checks._logfile import absolute_logfile, covering, log_target, pattern_known, supervisord_maxbytes
from hueylint.findings import Finding, Related
from hueylint.model import Launch, Project

#: where supervisord puts ``AUTO`` program logs without ``childlogdir=``: Python's ``tempfile.gettempdir()``
#: (``$TMPDIR``, else ``/tmp``; supervisord.org configuration, ``childlogdir`` default)
TEMPDIR = "/tmp"


@check("HL503")
def logfile_never_rotated(project: Project, ctx: Context) -> Iterable[Finding]:
    unknown_patterns = any(not pattern_known(p) for stanza in project.logrotate for p in stanza.patterns)
    for launch in project.launches:
        auto = _auto_log(project, launch, unknown_patterns)
        if auto is not None:
            yield auto
            continue
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
            "(copytruncate, because huey keeps the file open), or log to stderr" + _stderr_kept(launch)), logfile.loc)


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


def _auto_log(project: Project, launch: Launch, unknown_patterns: bool) -> Finding | None:
    """HL503 for the consumer's output in supervisord's ``AUTO`` program log with ``*_logfile_maxbytes=0``
    (:attr:`hueylint.launch_facts.SupervisordFacts.auto_unrotated`): the file
    ``{childlogdir}/{process}-{stream}---supervisor-*.log``, unless a logrotate stanza of the repository covers it
    (or one whose pattern is not known might); None for every other launch."""
    facts = launch.supervisord
    if facts is None or facts.auto_unrotated is None or launch.logfile is not None or launch.dev:
        return None
    maxbytes = facts.auto_unrotated
    stream = facts.output_stream
    logfile = facts.stdout_logfile if stream == "stdout" else facts.stderr_logfile
    process = facts.process_name.value.strip() if facts.process_name is not None and isinstance(
        facts.process_name.value, str) and "%(" not in facts.process_name.value else launch.name
    name = f"{process}-{stream}---supervisor-*.log"
    folder = facts.childlogdir
    written = str(folder.value or "").strip() if folder is not None else ""
    if folder is not None and written:
        folder_said = f"`childlogdir={written}` ({folder.where()})"
        if not written.startswith("/") or any(mark in written for mark in ("%(", "$", "{{")):
            if project.logrotate:
                return None  # a folder not known here: a stanza may cover it
        elif covering(project, posixpath.join(written, name)) or unknown_patterns:
            return None
    else:
        folder_said = f"supervisord's temporary directory (`{TEMPDIR}` unless `TMPDIR` says otherwise: no `childlogdir=`)"
        if covering(project, posixpath.join(TEMPDIR, name)) or unknown_patterns:
            return None
    how = (f"`{stream}_logfile={str(logfile.value or '').strip()}` at {logfile.where()}" if logfile is not None else
           f"no `{stream}_logfile=`, whose default is `AUTO`")
    key = f"{stream}_logfile_maxbytes"
    return Finding("HL503", (
        f"supervisord writes `{launch.name}`'s output to its AUTO log file ({how}), `{name}` in {folder_said}, and "
        f"never rotates it (`{key}={str(maxbytes.value).strip()}`: unlimited), and no logrotate configuration in the "
        f"repository covers it: it grows without bound until supervisord starts again (which deletes AUTO logs). "
        f"Fix: drop `{key}=` (supervisord's default rotates at 50MB and keeps 10 backups) or set a size; in a "
        f"container, send it to the platform's log collector instead (`{stream}_logfile=/dev/{stream}` with "
        f"`{key}=0`)"), maxbytes.loc,
        related=[Related(logfile.loc, "the program's log file") if logfile is not None else
                 Related(launch.loc, "the program's command")])


def _stderr_kept(launch: Launch) -> str:
    """What logging to stderr also takes where the unit throws stderr away (``StandardError=null``): that entry
    dropped, so the journal gets it; else nothing."""
    discarded = launch.systemd.discarded if launch.systemd is not None else None
    if discarded is None:
        return ""
    return f" and drop `{discarded.value}` ({discarded.where()}), which throws stderr away, so the journal collects it"
