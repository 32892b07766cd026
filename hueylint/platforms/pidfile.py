"""Consumers a start script runs by hand in the background, with its PID kept in a file for a stop script.

The shape (``start.sh``: ``nohup python manage.py run_huey > huey.log 2>&1 &`` then ``echo $! > huey.pid``;
``stop.sh``: ``kill -9 `cat huey.pid```) is a host deployment without a supervisor.  What bash and kill(1)
do with it:

* ``CMD &`` runs the consumer in the background and ``$!`` is its PID; when the script ends the consumer
  lives on (reparented to init; ``nohup`` only makes it ignore SIGHUP until huey installs its own handler).
  Nobody restarts it when it exits or crashes (``restart`` is false), and nobody collects its output.
* It is stopped by whatever ``kill`` reads that PID file: kill's default signal is SIGTERM; ``-9``,
  ``-KILL``, ``-s KILL``, ``-SIGKILL`` send SIGKILL, which nothing can handle (running tasks die at once,
  no SIGNAL_INTERRUPTED, ``lock_task`` locks stay held).  Nothing sends a SIGKILL after a graceful signal
  unless the stop script does: the deadline is unbounded then.  No such ``kill`` in the repository: the
  stop signal is unknown.
* Its output goes where the command's redirections send it (bash(1) "REDIRECTION", read left to right):
  standard error into a file with ``> FILE 2>&1`` / ``>> FILE 2>&1`` (``2>&1`` after the file: before it, standard
  error is the terminal's), ``&> FILE`` / ``&>> FILE``, ``2> FILE`` / ``2>> FILE``; the consumer holds that file
  open while it runs, as it holds a ``-l`` file: ``Launch.stderr_file`` (HL502, HL503).  A name assigned once in
  the script (``LOG_FILE="huey.log"``, then ``>> "$LOG_FILE"``) is read through the assignment.
* The user is whoever runs the script: unknown, never claimed.

A script counts only when no platform of the repository runs it (``ws.followed_scripts``), so it runs after
every builder (:data:`hueylint.platforms.FOLLOW_UPS`).
"""

from __future__ import annotations

import math
import posixpath
import re

from hueylint.chain import Token, resolve
from hueylint.hueyfacts import CONSUMER_WORD
from hueylint.launches import make_launch, unfollowed_background_start
from hueylint.locations import Loc
from hueylint.model import Hop, Project, Val
from hueylint.platforms.scripts import only_script
from hueylint.regexes import lazy_pattern
from hueylint.script_lookup import DEV_SERVER, is_shell_script
from hueylint.signals import normalize_signal
from hueylint.sources import SourceFile
from hueylint.workspace import Workspace

_PID_SAVED = lazy_pattern(r"""\$!["']?\s*>>?\s*["']?([^\s"';|&]+)""")
_KILL = lazy_pattern(r"\bkill\b((?:\s+-[-\w]+(?:\s+[A-Za-z0-9]+)?)*)")


def _pid_file(src: SourceFile, start: int, end: int) -> tuple[str, int] | None:
    """(the PID file's name, the line) of the ``echo $! > FILE`` that saves the PID of the background command
    written on lines ``start``-``end``: the first ``$!`` after it, before another command is put in the background."""
    lines = src.text.splitlines()
    for number in range(start, len(lines) + 1):
        line = lines[number - 1]
        match = _PID_SAVED.search(line)
        if match:
            return posixpath.basename(_assigned(src.text, match.group(1))), number
        if number > end and re.search(r"(?<![&>])&\s*(#.*)?$", line):
            return None  # `$!` now names another background job
    return None


#: a line's end that sends its command to the background: a lone ``&`` (not ``&&``, ``>&``, ``|&``), maybe a comment
_BACKGROUNDED = lazy_pattern(r"(?<![&>|])&\s*(?:#.*)?$")


#: a lone ``&`` sending a command to the background, wherever on its line (``run_huey & disown``), not ``&&``, ``&>``,
#: ``>&`` or ``|&``
_BACKGROUND_OPERATOR = lazy_pattern(r"(?<![&>|<])&(?![&>])")


#: a program that starts its command detached (``screen -dm``, ``tmux new -d``, ``setsid -f``, ``pm2 start``: the
#: chain's :func:`~hueylint.chain._detached_start` tells), on a line naming a consumer
_DETACHER = lazy_pattern(r"\b(?:screen\s|tmux\s|setsid\s|pm2\s+start\b)")


def _background_consumer(text: str) -> bool:
    """``text`` may run a consumer command in the background: a consumer word before any ``#`` of its line, and a
    lone ``&`` after it, on its line or a later one (``python manage.py run_huey -w 2 &``, ``... & disown``, or a
    subshell or group around it, ``( ... ) &`` on a later line): a cheap test before :func:`follow_up` resolves
    the script to know.  Line by line, each searched once (one pattern over the whole text went back over a long
    line from each consumer word: quadratic, minutes for a 200 KB line of them)."""
    consumer = False
    for line in text.splitlines():
        word = None if consumer else CONSUMER_WORD.search(line.partition("#")[0])
        consumer = consumer or word is not None
        if consumer and _BACKGROUND_OPERATOR.search(line, word.end() if word is not None else 0):
            return True
        if word is not None and _DETACHER.search(line):
            return True
    return False


_TARGET = r"""["']?(?P<{0}>[^\s"';|&<>()]+)["']?"""
#: a redirection of standard error into a file (bash(1) "REDIRECTION"): standard output into a file, then ``2>&1``;
#: ``&>``/``&>>``; ``2>``/``2>>`` (not ``2>&1`` before the file, which keeps the terminal's)
_STDERR_FILE = lazy_pattern(
    r"(?<![\d&>])1?>>?\s*" + _TARGET.format("out") + r"(?:\s+\d?>>?\s*[^\s&]+)*\s+2>&1"
    r"|&>>?\s*" + _TARGET.format("both") + r"|(?<![\d&>])2>>?(?!&)\s*" + _TARGET.format("err"))


def _stderr_file(src: SourceFile, line: int, col: int, end: int) -> Val[str] | None:
    """The file the command written from ``line``:``col`` to line ``end`` sends its standard error to (see the
    module), at its redirection; None when it sends it nowhere written there (the terminal, ``nohup.out``)."""
    for number in range(line, end + 1):
        text = src.line(number)
        start = col - 1 if number == line else 0
        found = None
        for match in _STDERR_FILE.finditer(text.partition(" #")[0], start):
            found = match  # the last redirection of standard error wins
        if found is not None:
            name = next(group for group in found.groups() if group is not None)
            return Val(_assigned(src.text, name), Loc(src.rel, number, found.start() + 1, number, found.end() + 1))
    return None


def _backgrounded(src: SourceFile, start: int, end: int) -> bool:
    """The command written on lines ``start``-``end`` is sent to the background (a line of it ends in ``&``)."""
    return any(_BACKGROUNDED.search(src.line(number)) for number in range(start, end + 1))

_DEV_NAME = lazy_pattern(r"(^|[-_.])(dev|develop|development|local|test|tests|testing|ci|e2e|smoke)([-_.]|$)")


def _development(src: SourceFile) -> bool:
    """A development or test start script: named for it, or in a folder named for it (``http-dev.sh``,
    ``ci/start-services.sh``), or starting a development server next to the consumer (``runserver``,
    ``--reload``, uWSGI's ``--py-autoreload``)."""
    return any(_DEV_NAME.search(part) for part in src.rel.lower().split("/")) or bool(DEV_SERVER.search(src.text))


def _assigned(text: str, word: str) -> str:
    """``$PID_FILE``/``${PID_FILE}`` -> the value the script assigns it (``PID_FILE="huey.pid"``), else the word."""
    name = re.fullmatch(r"\$\{?([A-Za-z_]\w*)\}?", word)
    if name is None:
        return word
    found = re.findall(rf"(?m)^\s*(?:export\s+|readonly\s+|local\s+)?{name.group(1)}=[\"']?([^\"'\s;]+)", text)
    return found[-1] if len(set(found)) == 1 else word


def kill_signal(line: str) -> str | None:
    """The signal a ``kill`` command on ``line`` sends: ``kill PID`` -> ``TERM`` (kill's default),
    ``kill -9``/``-KILL``/``-s KILL``/``--signal KILL`` -> ``KILL``; None when the line runs no ``kill``."""
    match = _KILL.search(line)
    if match is None:
        return None
    words = match.group(1).split()
    for index, word in enumerate(words):
        if word in ("-s", "--signal", "-n") and index + 1 < len(words):
            return normalize_signal(words[index + 1])
        if word.startswith("-") and not word.startswith("--") and word not in ("-l", "-L"):
            return normalize_signal(word[1:])
    return "TERM"


#: ``NAME=VALUE`` whose value names a file (``PID_FILE="$RUN/huey.pid"``, also after ``export``/``local``/``readonly``)
_FILE_ASSIGNED = r"\b([A-Za-z_]\w*)=[\"']?[^\"'\s;]*{}(?![\w.])"
#: the PID read from a file into a variable: ``PID=$(cat F)``, ``PID=`cat F```, ``PID=$(< F)``, ``read -r PID < F``
_PID_READ = lazy_pattern(r"\b([A-Za-z_]\w*)=[\"']?(?:\$\(|`)|\bread\s+(?:-\w+\s+)*([A-Za-z_]\w*)\s*<")


def _expands(line: str, name: str) -> bool:
    """``line`` expands the shell variable ``name`` (``$NAME``, ``${NAME}``, ``"$NAME"``)."""
    return re.search(rf"\$\{{?{name}\b", line) is not None


def _pid_names(lines: list[str], pid_name: str) -> set[str]:
    """The variables of a script that stand for the PID file ``pid_name`` or for the PID read from it: the file's
    name kept in a variable (``WORKER_PID_FILE="data/worker.pid"``), then the PID read from the file, named
    directly or through such a variable (``PID=$(cat "$WORKER_PID_FILE")``, ``read -r PID < huey.pid``), so that
    ``kill "$PID"`` (in the script's own trap handler too) is the ``kill`` of that PID."""
    files = {match.group(1) for line in lines if pid_name in line
             for match in re.finditer(_FILE_ASSIGNED.format(re.escape(pid_name)), line)}
    return files | {name for line in lines if pid_name in line or any(_expands(line, known) for known in files)
                    for match in _PID_READ.finditer(line) for name in match.groups() if name}


def _stop(ws: Workspace, pid_name: str) -> tuple[str, Loc] | None:
    """The signal the repository's scripts send to the PID in ``pid_name`` (the first ``kill`` reading it)."""
    for rel in sorted({src.rel for src in ws.of_format("script")} | {rel for rel in ws.others if rel.endswith(".sh")}):
        src = ws.file(rel)
        if src is None or pid_name not in src.text:
            continue
        lines = src.text.splitlines()
        names = _pid_names(lines, pid_name)
        for number, line in enumerate(lines, 1):
            if line.lstrip().startswith("#"):
                continue
            if pid_name in line or any(_expands(line, name) for name in names):
                signal = kill_signal(line)
                if signal is not None:
                    at = line.find("kill")
                    return signal, Loc(rel, number, at + 1, number, at + 5)
    return None


def _platform_hop(ws: Workspace, src: SourceFile, pid: tuple[str, int]) -> Hop:
    name, line = pid
    origin = Loc(src.rel, line, 1, line, len(src.line(line)) + 1)
    stop = _stop(ws, name)
    if stop is None:
        sends = Val.unknown_at(origin, f"no script of the repository kills the PID kept in `{name}`")
        deadline = Val.unknown_at(origin, "who stops it is not in the repository")
    else:
        signal, where = stop
        sends = Val(signal, where)
        deadline = Val.unknown_at(where, "SIGKILL itself: no time to finish") if signal == "KILL" else \
            Val(math.inf, Loc.platform_default(f"no SIGKILL follows the `kill` of {where.path}:{where.line}"))
    return Hop("platform", "start script (PID file)", origin, sends=sends, deadline=deadline,
               detail=f"runs the consumer in the background and keeps its PID in `{name}`; restarted by nobody")


def follow_up(ws: Workspace, project: Project, claimed: set[str]) -> None:
    """Add the launches of the repository's unlaunched scripts that background the consumer and keep its PID."""
    for rel in sorted({src.rel for src in ws.of_format("script")}):
        if rel in ws.followed_scripts:
            continue  # a platform runs it: judged on that platform's launch
        src = ws.file(rel)
        if src is None or not is_shell_script(src):
            continue
        if "$!" not in src.text and (not _background_consumer(src.text) or _development(src)):
            continue  # without `$!` only the notice of a consumer written with `&` could come of it
        origin = Loc(src.rel, 1, 1, 1, len(src.line(1)) + 1)
        # run by hand: with arguments the repository does not show (`./huey.sh start`)
        anything = Token("$@", origin, why="the arguments it is run with by hand are not in the repository")
        for hit in resolve([Token(src.rel, origin), anything], origin, only_script(ws, src)):
            if hit.loc.path != src.rel:
                continue
            end = max([hop.loc.end_line for hop in hit.hops if hop.loc.path == src.rel] + [hit.loc.line])
            # a consumer a deployment script backgrounds, whose stop hueylint cannot follow, gets a notice
            noted = hit.program != "script" and not (hit.dev or _development(src))
            detached = next((problem for problem in hit.wrappers if problem.how == "detached"), None)
            if detached is not None:  # `screen -dmS huey ...`: the session or daemon it lives in is not modelled
                if noted:
                    unfollowed_background_start(ws, hit, src.rel, detached.tool)
                continue
            if not any(problem.kind == "background" for problem in hit.wrappers):
                # `CMD &` with a trap that relays the signals (`trap cleanup INT TERM`, `kill -TERM $PID`): no
                # wrapper problem, but the script is no supervisor hueylint models
                if noted and _backgrounded(src, hit.loc.line, end):
                    unfollowed_background_start(ws, hit, src.rel)
                continue
            pid = _pid_file(src, hit.loc.line, end)
            if pid is None:
                if noted:
                    unfollowed_background_start(ws, hit, src.rel)
                continue
            hit.wrappers = [problem for problem in hit.wrappers if problem.kind != "background"]
            hit.dev = hit.dev or _development(src)
            hop = _platform_hop(ws, src, pid)
            launch = make_launch(
                project, hop, hit, platform="pidfile", name=posixpath.basename(rel), unit=rel, origin=hit.loc,
                instances=Val.default(1, "one background process per run of the script"),
                restart=Val(False, hop.loc), deadline_configurable=True)
            launch.stderr_file = _stderr_file(src, hit.loc.line, hit.loc.col, end)
            project.launches.append(launch)

