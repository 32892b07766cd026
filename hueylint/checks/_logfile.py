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

from hueylint.model import Launch, LogrotateStanza, Project, Val


def judged_logfile(launch: Launch) -> Val[str] | None:
    logfile = launch.logfile
    if logfile is None or not logfile.known or not isinstance(logfile.value, str) or launch.dev:
        return None
    if logfile.value.startswith(("/dev/", "/proc/")) or any(mark in logfile.value for mark in ("{{", "$", "%(")):
        return None
    return logfile


def log_target(launch: Launch) -> tuple[Val[str], str] | None:
    """The file the consumer's log lands in, with what puts it there for a message: its ``-l`` file (``"the
    consumer's `-l` file"``), else the file a start script's shell redirects its standard error to, or a systemd
    unit's ``StandardError=append:PATH`` (``Launch.stderr_file``: ``"the file `start.sh` sends the consumer's output
    to"``); None when neither is a
    file judged (a stream such as ``/dev/null``, a name not known here, a development launch)."""
    logfile = judged_logfile(launch)
    if logfile is not None:
        return logfile, "the consumer's `-l` file"
    redirected = launch.stderr_file
    if redirected is None or launch.logfile is not None or launch.dev or not redirected.known \
            or not isinstance(redirected.value, str):
        return None
    if redirected.value.startswith(("/dev/", "/proc/")) or any(mark in redirected.value for mark in ("{{", "$", "%(")):
        return None
    if launch.platform == "systemd":
        return redirected, f"the file `{launch.name}` writes the consumer's output to"
    if supervisord_maxbytes(launch) is not None:
        return redirected, f"the file supervisord writes `{launch.name}`'s output to"
    script = posixpath.basename(redirected.loc.path or "") or "the start script"
    return redirected, f"the file `{script}` sends the consumer's output to"


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


def supervisord_maxbytes(launch: Launch) -> tuple[str, Val[str]] | None:
    """``("stdout_logfile_maxbytes", 0 at its line)`` when the launch's output file (``Launch.stderr_file``) is a
    supervisord program log it never rotates (:func:`hueylint.platforms.supervisord.unrotated_output_file`);
    None otherwise."""
    facts = launch.supervisord
    if facts is None or launch.stderr_file is None or launch.logfile is not None:
        return None
    logfile, maxbytes = facts.output_files
    if logfile is None or maxbytes is None or logfile.loc != launch.stderr_file.loc:
        return None
    return f"{facts.output_stream}_logfile_maxbytes", maxbytes
