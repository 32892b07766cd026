"""From a launch's command to the consumer: launchers, shells and scripts.

Every platform hands its command here as a list of :class:`Token` (with
positions).  :func:`resolve` unwraps signal-transparent launchers (``env``,
``tini``, ``gosu`` ...), recognises the consumer program, and records every
shell that stays between the supervisor and the consumer (HL201).  The result
is one :class:`ConsumerHit` per consumer the command can start (scripts that
choose a branch by environment variable can start several).

Shell code (``sh -c`` strings and repo scripts) is read by
:mod:`hueylint.shell` (tree-sitter, loaded on the first parse).
A script is judged per path: the consumer must run in the script's own
process, be ``exec``ed, and not be backgrounded.  ``exec "$@"`` continues the
chain with the script's arguments (Docker ``CMD`` after ``ENTRYPOINT``); every
word is expanded as the shell would at that point (:mod:`hueylint.shell_eval`).

Nothing that looks like a consumer launch is dropped silently: a command that
names a consumer (or a script, variable or module mentioning huey) that cannot
be followed is a hit with :class:`~hueylint.model.Unresolved` parts (HL004),
and candidates ruled out (a branch the arguments never take) are recorded as
:class:`~hueylint.model.Dropped` for ``hueylint inspect``.
"""

from __future__ import annotations

import os
import posixpath
import re
from bisect import bisect_left
from dataclasses import field, replace
from typing import Callable, Protocol, Sequence

from hueylint.discovery import Notice
from hueylint.findings import Finding
from hueylint.hueyfacts import CONSUMER_MODULE, CONSUMER_SCRIPTS, DJANGO_COMMANDS, DJANGO_OTHER_COMMANDS
from hueylint.locations import Loc
from hueylint.model import (
    CONTAINER_WHY,
    DETACHES,
    MAKE_WHY,
    OPTIONS_WHY,
    TASK_RUNNER_WHY,
    TRANSIENT_UNIT_WHY,
    UWSGI_DAEMON_WHY,
    Dropped,
    Hop,
    Problem,
    Unresolved,
    Val,
    WrapperProblem,
    exclusive,
)
from hueylint.numerals import whole_number
from hueylint.parsers.yamlscalar import Spots
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.script_lookup import candidates, repo_file
from hueylint.script_lookup import parse_script as _parse
from hueylint.shell import FORWARD_FORMS, Command, Guard, Script, Word
from hueylint.shell_eval import (
    QUOTED,
    UNSET,
    Captured,
    Evaluator,
    Sourced,
    State,
    as_written,
    branches_taken,
    computed,
    may_be_taken,
    partial_words,
    substitute,
    tested_value,
    unknown_reason,
)
from hueylint.signals import normalize_signal
from hueylint.sourced_files import sourced_file
from hueylint.sources import SourceFile
from hueylint.uid_tests import uid_subject, uid_test_passes
from hueylint.words import SHELLS, clipped, shell_option_words, shell_string_index, split, templated


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a command line as hueylint read it: its ``text`` (expanded where the shell's value is
    known) and where it is written; ``why`` says why a word is not a known value."""

    text: str
    loc: Loc
    why: str = ""  # for a word a script could not expand, or may not pass: why (``$MANAGE`` is assigned on
    # some paths only; ``--no-periodic`` is added to the options array on some paths only)
    # where each character of ``text`` is written, when it is a YAML string scalar over several lines or with
    # escapes (a ``sh -c`` string written as ``- |``): a ``-c`` string's words are placed by it
    spots: Spots | None = field(default=None, compare=False, repr=False)
    # the word reaches the program exactly as written, with no variable substituted in it (a Dockerfile exec
    # form: Docker runs no shell), so a ``$WORKERS`` in it is that text, not a run-time value
    verbatim: bool = field(default=False, compare=False, repr=False)
    # the word's value is set where the command runs, not written here (a systemd template unit's instance name,
    # ``-w %i``): an option it gives is unknown, never a value huey refuses
    runtime: bool = field(default=False, compare=False, repr=False)
    # a word not known only because it holds the output of command substitutions the script runs on every path to
    # the command (``"$MANAGE"`` after ``MANAGE=$(find /app -name manage.py)``, ``"$(pwd)/manage.py"``): it is
    # surely there, unlike a variable assigned on some paths only (:func:`hueylint.shell_eval.computed`)
    computed: bool = field(default=False, compare=False, repr=False)

    @property
    def literal(self) -> bool:
        # (a run-time word is not its text: a script's test of `$1` given `%i` is not decided by the text `%i`)
        return not self.why and not self.runtime and "$" not in self.text and not templated(self.text)


@dataclass
class ConsumerHit:
    """One consumer a platform's command starts, as the chain followed it there.

    ``program`` and ``args`` are the consumer command as reached (each :class:`Token` at the text it came
    from: the platform's line, a script's line); ``loc`` is where the consumer command is written.  ``hops``
    are the programs between the platform and the consumer (launchers, shells, scripts), each with what it
    does with the stop signal; ``wrappers`` the ways they keep it from the consumer (HL201); ``branch`` and
    ``choices`` the script branches taken to get there; ``problems`` HL002 facts about the platform's line
    itself; ``unresolved`` what could not be followed (HL004).  :func:`hueylint.launches.make_launch` turns a
    hit into a :class:`~hueylint.model.Launch`.
    """

    program: str  # huey_consumer | run_huey | djangohuey | script
    args: list[Token]  # everything after the program
    loc: Loc  # where the consumer command is written
    hops: list[Hop] = field(default_factory=list)
    wrappers: list[WrapperProblem] = field(default_factory=list)
    branch: str = ""
    dev: bool = False
    script_path: str | None = None
    installed_script: str = ""  # the consumer script as installed by pip (on PATH or in a venv's bin/)
    choices: tuple = ()  # ((script, statement), clause) of every branch on the way (shell.exclusive)
    problems: list[Problem] = field(default_factory=list)  # the platform's line itself is broken (HL002)
    unresolved: list[Unresolved] = field(default_factory=list)  # what could not be followed (HL004)
    options_unknown: bool = False  # the consumer's own options are not known (``args`` is then empty)
    # the user a privilege-dropping launcher on the way runs the consumer as (``gosu app``, ``setpriv
    # --reuid=app``, ``su app -c``; the innermost wins): it replaces the user the platform gives the launch
    # (None: no such launcher; a Val without value: a user the launcher takes from an unknown variable)
    user: Val[str] | None = None
    # what the scripts on the way export to the consumer (``export DJANGO_SETTINGS_MODULE=shop.settings.prod``),
    # each at its assignment; the innermost script's value wins
    env: dict[str, Val[str]] = field(default_factory=dict)
    # the folder the scripts on the way ``cd`` into before the consumer runs (``cd backend && huey_consumer
    # app.huey``), at the last ``cd``: relative to the folder the platform starts them in unless absolute;
    # None when no script changes folder, a value unknown when a ``cd`` goes where the code does not say
    chdir: Val[str] | None = None
    # the Django management command's own word (``run_huey``), where it is written: a wrapper's ``exec python
    # manage.py "$@"`` takes it from its caller's line (None: not a Django command)
    subcommand: Loc | None = None


@dataclass
class SupervisorStart:
    """A process supervisor (supervisord, circus, s6) a command or script starts.

    Its programs are launches of its own config file (``config``, when given on the command line);
    ``wrappers`` say whether the script in between lets the stop signal reach it (severe when it
    daemonizes and the script goes on to run something else).
    """

    kind: str  # supervisord | circus | s6 | procfile (a Procfile runner: forego, honcho, foreman)
    config: Token | None
    foreground: bool
    loc: Loc
    argv: tuple[str, ...] = ()  # the supervisor's own words, from its program on (a runner's options and names)
    words: tuple[Token, ...] = ()  # the same words as written (s6-overlay's ``/init CMD...``: the CMD it runs)
    hops: list[Hop] = field(default_factory=list)
    wrappers: list[WrapperProblem] = field(default_factory=list)
    branch: str = ""
    choices: tuple = ()


class Resolver(Protocol):
    def script(self, word: str, origin: Loc) -> SourceFile | None:
        """The repo file a command word runs (``/entrypoint.sh`` -> ``docker/entrypoint.sh``)."""

    # Optional: ``ws`` (the run's Workspace): commands that looked like a consumer launch and were
    # dropped are recorded in ``ws.dropped`` (a list of :class:`~hueylint.model.Dropped`) for
    # ``hueylint inspect``.  Optional: ``shell_env`` (dict name -> value or None): the environment the
    # launch gives the scripts it runs.  Optional: ``launch_user`` (str or None): the user the launch
    # starts its command as, when known (``root`` for an image without USER), for the scripts' uid tests.

    # Optional: ``compiled_program(word, origin) -> str | None``: how the image compiled the program a word
    # runs (``go build -o huey``), for a word that only mentions huey in its name (a native program, no launch).
    # Optional: ``python_script(word, origin, args) -> PythonEntry | None`` maps a Python entry point
    # (``worker.py``, ``-m pkg.cli``, a console script) to a repo module that starts a consumer;
    # resolvers without it use their workspace's ``ws.python_entry(resolver, word, origin, args)``, which
    # the engine sets to the app layer's :func:`hueylint.pyapp.entry.python_script` (this layer sits
    # below the app layer, so it is handed the finder instead of importing it).


@dataclass(frozen=True)
class PythonEntry:
    """A Python module in the repo that starts a consumer (app layer hook).

    ``kind`` is ``vendored`` (a copy of huey's consumer script: its arguments are consumer
    arguments), ``django`` (Django's ``execute_from_command_line``: the arguments name a management
    command, as for ``manage.py``), ``run_huey``/``djangohuey`` (a project management command subclassing
    that command: its arguments are that command's) or ``script`` (options come from the code: ``create_consumer(...)`` keywords or a
    ``call_command("run_huey", ...)``, read by the app layer from ``rel``).
    """

    rel: str
    kind: str
    children: tuple[SpawnedChild, ...] = ()  # ``spawns``: the consumers the program starts as child processes
    argv: ConsumerArgv | None = None  # ``consumer_main``: what the program does to ``sys.argv`` first
    app: str = ""  # ``app-module``: the module's huey instance, when one name is known (no consumer starts)


@dataclass(frozen=True)
class ConsumerArgv:
    """A Python program running huey's consumer in-process, ``consumer_main()`` (kind ``consumer_main`` of
    :class:`PythonEntry`, read by :mod:`hueylint.pyapp.consumer_main`): huey parses ``sys.argv[1:]``, that is
    the ``before`` words the program inserts, the launch's own words (unless ``keeps_args`` is False: the
    program replaced them) and the ``after`` words it appends, each (text, line, column) in the program;
    ``known`` False when it changes ``sys.argv`` in a way not read.  ``line``/``col``: the call."""

    before: tuple[tuple[str, int, int], ...]
    after: tuple[tuple[str, int, int], ...]
    keeps_args: bool
    known: bool
    line: int
    col: int


@dataclass(frozen=True)
class SpawnedChild:
    """A Python program's child consumer (kind ``spawns`` of :class:`PythonEntry`, read by
    :mod:`hueylint.pyapp.spawns`): its command ``words`` (text, line, column), one string run by ``sh -c``
    when ``shell``; ``sends`` the signal the program sends it when stopped (``TERM`` for ``terminate()``;
    None: none) at ``sends_at``; ``deadline`` the seconds before the program's ``kill()`` at ``deadline_at``;
    ``forwards`` when it sends the child the signal it receives itself (``send_signal(signum)`` in its handler,
    at ``sends_at``)."""

    words: tuple[tuple[str, int, int], ...]
    shell: bool
    sends: str | None
    sends_at: tuple[str, int, int] | None
    deadline: float | None
    deadline_at: tuple[str, int, int] | None
    forwards: bool = False
    replaces: bool = False  # ``os.execvp(...)``: no child, the consumer replaces the program (its PID, signals)
    elected: tuple[str, int, int] | None = None  # the Kubernetes Lease call of a leader election, when it holds one
    # ``[sys.executable, "-m", "app.worker"]``: a Python program of the repository, a consumer only when the app
    # layer finds one in it (:func:`hueylint.pyapp.entry.python_script` keeps it then)
    python_program: bool = False


class NoScripts:
    def script(self, word: str, origin: Loc) -> SourceFile | None:
        return None


WATCHFILES_VALUED = frozenset({"--filter", "--ignore-paths", "--target-type", "--args", "--sigint-timeout",
                               "--sigkill-timeout", "--grace-period"})
PYTHONS = ("python", "python2", "python3")
MAX_DEPTH = 8

#: Procfile runners (``forego start``, ``honcho start``, ``foreman start``): option -> what it sets ("" for the
#: options whose value is not read), each with the long form it also takes.  forego (start.go): Go flags, one
#: or two dashes, ``-t`` the shutdown grace time; honcho (command.py, argparse): options before or after
#: ``start``; foreman (Thor): ``-t/--timeout``, ``-m/--formation`` its concurrency.
_RUNNER_OPTIONS: dict[str, dict[str, str]] = {
    "forego": {"-f": "procfile", "-t": "timeout", "-c": "concurrency", "-e": "", "-p": ""},
    # honcho reads the Procfile in its app root (``-d``: honcho/command.py joins it to ``-f``)
    "honcho": {"-f": "procfile", "--procfile": "procfile", "-c": "concurrency", "--concurrency": "concurrency",
               "-e": "", "--env": "", "-d": "root", "--app-root": "root", "-p": "", "--port": "", "-q": "",
               "--quiet": ""},
    "foreman": {"-f": "procfile", "--procfile": "procfile", "-t": "timeout", "--timeout": "timeout",
                "-m": "concurrency", "--formation": "concurrency", "-e": "", "--env": "", "-d": "", "--root": "",
                "-p": "", "--port": ""},
}
PROCFILE_RUNNERS = frozenset(_RUNNER_OPTIONS)


@dataclass(frozen=True)
class ProcfileRun:
    """A Procfile runner's ``start``: which file, which entries (``names``; empty: all of them), and the
    ``timeout`` (``-t``) and ``concurrency`` (forego/honcho ``-c``, foreman ``-m``) values as written."""

    runner: str
    procfile: str = "Procfile"
    names: tuple[str, ...] = ()
    timeout: str | None = None
    concurrency: str | None = None


def procfile_run(words: list[str] | tuple[str, ...]) -> ProcfileRun | None:
    """``forego start -t 10 worker`` read as the runner reads it; None when the words are no runner's ``start``."""
    runner = base(words[0]) if words else ""
    options = _RUNNER_OPTIONS.get(runner)
    if options is None:
        return None
    found: dict[str, str] = {}
    positional: list[str] = []
    index = 1
    while index < len(words):
        word = words[index]
        if word == "--":
            positional += words[index + 1:]
            break
        if word.startswith("-") and word != "-":
            key, eq, value = word.partition("=")
            if runner == "forego":
                key = "-" + key.lstrip("-")  # Go's flag package takes one dash or two
            if key not in options and key[:2] in options and not key.startswith("--"):
                key, value, eq = key[:2], word[2:], "="  # ``-fProcfile.prod``
            if key in options and not eq and index + 1 < len(words):
                value, index = words[index + 1], index + 1
            if options.get(key):
                found[options[key]] = value
        else:
            positional.append(word)
        index += 1
    if not positional or positional[0] != "start":
        return None
    procfile = found.get("procfile") or "Procfile"
    if found.get("root") and not procfile.startswith("/"):
        procfile = posixpath.join(found["root"], procfile)
    return ProcfileRun(runner, procfile, tuple(positional[1:]), found.get("timeout"), found.get("concurrency"))

#: :attr:`Hop.detail` of an init that forwards the stop signal to its child's whole process group
GROUP_SIGNAL = "signals the child's whole process group"


def _signals_group(word: str, options: list[Token]) -> bool:
    """dumb-init forwards what it receives to its child's process group unless ``-c``/``--single-child`` (its
    setsid mode, the default: dumb-init(1)); tini only to its child unless ``-g`` (tini's README)."""
    flags = [token.text for token in options]
    short = [flag[1:] for flag in flags if flag.startswith("-") and not flag.startswith("--")]
    if word == "dumb-init":
        return "--single-child" not in flags and not any("c" in letters for letters in short)
    if word in ("tini", "tini-static"):
        return any("g" in letters for letters in short)
    return False


def _rewrites(options: list[Token]) -> tuple[tuple[str, str], ...]:
    """dumb-init's ``-r s:r``/``--rewrite s:r``/``--rewrite=s:r`` (signal numbers, dumb-init(1)): each received
    signal ``s`` is sent on as ``r``; ``r`` 0 drops it (not modelled: left out)."""
    found: list[tuple[str, str]] = []
    for index, token in enumerate(options):
        text = token.text
        if text in ("-r", "--rewrite"):
            value = options[index + 1].text if index + 1 < len(options) else ""
        elif text.startswith("--rewrite="):
            value = text.partition("=")[2]
        elif text.startswith("-r") and not text.startswith("--"):
            value = text[2:]
        else:
            continue
        received, _, sent = value.partition(":")
        names = normalize_signal(received), normalize_signal(sent)
        if names[0] is not None and names[1] is not None:
            found.append((names[0], names[1]))
    return tuple(found)


# launcher -> (options that take a value, positional arguments to skip before the command)
LAUNCHERS: dict[str, tuple[frozenset[str], int]] = {
    "exec": (frozenset({"-a"}), 0),
    "tini": (frozenset({"-s", "-e", "-p"}), 0),
    "tini-static": (frozenset({"-s", "-e", "-p"}), 0),
    "dumb-init": (frozenset({"-r", "--rewrite"}), 0),
    "gosu": (frozenset(), 1),
    "su-exec": (frozenset(), 1),
    "chpst": (frozenset({"-u", "-U", "-b", "-e", "-/", "-n", "-l", "-L", "-m", "-d", "-o", "-p", "-f", "-c"}), 0),
    "setpriv": (frozenset({"--reuid", "--regid", "--groups", "--inh-caps", "--ambient-caps",
                            "--bounding-set", "--securebits", "--pdeathsig", "--selinux-label",
                            "--apparmor-profile"}), 0),
    "nice": (frozenset({"-n", "--adjustment"}), 0),
    "ionice": (frozenset({"-c", "-n", "-p", "--class", "--classdata"}), 0),
    "nohup": (frozenset(), 0),
    "s6-setuidgid": (frozenset(), 1),
    # daemontools (cr.yp.to/daemontools): each sets up one thing and execs its child; s6's counterparts
    "setuidgid": (frozenset(), 1),  # setuidgid ACCOUNT CHILD
    "envuidgid": (frozenset(), 1),  # sets $UID/$GID, keeps the user
    "envdir": (frozenset(), 1),  # envdir DIR CHILD: a variable per file of DIR
    "softlimit": (frozenset({"-m", "-d", "-s", "-l", "-a", "-o", "-p", "-f", "-c", "-r", "-t"}), 0),
    "setlock": (frozenset(), 1),  # setlock [-nNxX] FILE CHILD: holds the lock while the child runs
    "pgrphack": (frozenset(), 0),
    "s6-envdir": (frozenset(), 1),
    "s6-envuidgid": (frozenset({"-D"}), 1),
    "s6-softlimit": (frozenset({"-a", "-c", "-d", "-f", "-l", "-m", "-o", "-p", "-r", "-s", "-t"}), 0),
    "s6-setlock": (frozenset({"-t"}), 1),
    "with-contenv": (frozenset(), 0),
    "ddtrace-run": (frozenset(), 0),
    "opentelemetry-instrument": (frozenset(), 0),
    "newrelic-admin": (frozenset(), 1),  # newrelic-admin run-program CMD
    "stdbuf": (frozenset({"-i", "-o", "-e"}), 0),
    # systemd-cat(1) [OPTIONS] CMD: connects its output to the journal, then execvp()s the command (systemd cat.c)
    "systemd-cat": (frozenset({"-t", "--identifier", "-p", "--priority", "--stderr-priority", "--namespace"}), 0),
    "timeout": (frozenset({"-s", "--signal", "-k", "--kill-after"}), 1),
    # chroot(1) [--userspec=U:G] NEWROOT CMD: followed only into ``/`` (another root holds other files)
    "chroot": (frozenset({"--userspec", "--groups"}), 1),
    # util-linux schedutils and friends: each sets one property of its own process, then execvp()s the command
    "taskset": (frozenset(), 1),  # taskset [-a] [-c] MASK|LIST CMD (``-p PID`` acts on a running process instead)
    "chrt": (frozenset({"-T", "--sched-runtime", "-P", "--sched-period", "-D", "--sched-deadline"}), 0),  # + PRIORITY
    "prlimit": (frozenset({"-p", "--pid", "-o", "--output"}), 0),  # prlimit --nofile=1024 CMD
    "numactl": (frozenset({"-i", "--interleave", "-w", "--weighted-interleave", "-m", "--membind", "-p",
                           "--preferred", "-N", "--cpunodebind", "-C", "--physcpubind", "-P", "--preferred-many"}), 0),
    "cgexec": (frozenset({"-g"}), 0),  # libcgroup: cgexec -g CONTROLLERS:PATH CMD
    # `direnv exec DIR CMD`: loads DIR's .envrc, then execve()s the command (direnv's cmd_exec.go: syscall.Exec)
    "direnv": (frozenset(), 2),
    # util-linux setsid(1) [-c] [-w] CMD: setsid() then execvp() when it leads no process group (a command of a
    # script: the shell leads the group); with -f/--fork it always forks and returns at once (:func:`_detached_start`)
    "setsid": (frozenset(), 0),
    # sudo relays the signals it receives to the command (``sudo -u app run_huey``)
    "sudo": (frozenset({"-u", "-g", "-C", "-D", "-p", "-r", "-t", "-U", "-T", "-h", "--user", "--group",
                        "--close-from", "--chdir", "--prompt", "--role", "--type", "--other-user",
                        "--command-timeout", "--host"}), 0),
}

#: launchers that may give the command variables (``env NAME=value``, chpst's ``-e DIR``, a project tool's
#: ``.env`` / ``--env-file`` / configured environment, sudo's env_reset and env_keep): its environment is not the
#: platform's alone
ENV_LAUNCHERS = frozenset({"env", "chpst", "sudo", "poetry run", "pipenv run", "uv run", "pdm run", "hatch run",
                           "dotenv run", "envdir", "s6-envdir", "envuidgid", "s6-envuidgid", "direnv", "uvx",
                           "uv tool run", "rye run", "pixi run"})

# launcher -> the options that name the user it runs the command as (gosu, su-exec and s6-setuidgid take it
# as their first argument instead); ``user:group`` and chpst's ``:uid:gid`` name the user by their first part
USER_OPTIONS: dict[str, tuple[str, ...]] = {
    "setpriv": ("--reuid",), "chpst": ("-u",), "chroot": ("--userspec",),
    "sudo": ("-u", "--user"),
}
USER_ARGUMENT = frozenset({"gosu", "su-exec", "s6-setuidgid", "setuidgid"})

# programs that run the command as their own child and wait for it, passing no stop signal on: the stop
# signal ends (or, as a container's PID 1, is ignored by) the wrapper and the consumer is killed later, never
# stopped gracefully.  program -> options that take a value.
# xvfb-run (xvfb-run(1), a sh script): starts Xvfb in the background, runs "$@" in the foreground without
# `exec`, then kills Xvfb; it sets no trap that relays TERM/INT to the command.
FORKING_LAUNCHERS: dict[str, frozenset[str]] = {
    "xvfb-run": frozenset({"-e", "-f", "-n", "-p", "-s", "-w", "--error-file", "--auth-file", "--server-num",
                           "--xauth-protocol", "--server-args", "--wait"}),
}

Labels = tuple[tuple[Loc, str], ...]
Placer = Callable[[int, int, int, int], Loc]  # (line, col, end_line, end_col) in the code -> file Loc
HopMaker = Callable[[Loc, bool], Hop]  # (where, passes_signal) -> the hop this code adds


@dataclass(frozen=True)
class _Ctx:
    """Where the resolution stands: the launch origin, the files passed so far, the scripts on the stack."""

    origin: Loc
    resolver: Resolver
    depth: int = 0
    nested: int = 0  # launchers passed within one command (``flock F flock F ... CMD``): :func:`_launcher_ctx`
    trail: Labels = ()  # (loc, label) of every file passed before this level
    stack: tuple[str, ...] = ()  # script paths being followed (recursion guard)
    sink: list[SupervisorStart] | None = None  # collects supervisors when asked for
    script_args: tuple[Token, ...] = ()  # the arguments the script being followed was given (its "$@")
    user: Val[str] | None = None  # the user a privilege-dropping launcher set for this command (None: none)
    reran: tuple[tuple[str, str | None], ...] = ()  # (script, user or None: unknown) of every script re-run
    uid_taken: bool = False  # the command is in branches taken by tests of the current user (_uid_taken)
    # variables the shell code on the way may have set and exported to this command (``export ROLE=worker; exec
    # ./start.sh``, ``ROLE=worker ./start.sh``): unknown in the code it runs; None: any (a sourced file, eval)
    passed: tuple[str, ...] | None = ()
    # the launch's command mentions huey or a consumer (:func:`mentions_consumer`), and the shell code on the way
    # (scripts, ``-c`` strings): what tells a chain cut at MAX_DEPTH a launch not followed (HL004, :func:`_too_deep`)
    hinted: bool = False
    units: tuple["_Unit", ...] = ()
    # what the command reads on its standard input: a here-document's body or a here-string (``bash -s <<EOF``),
    # with the code it is written in (made a token only when a shell reads it: :func:`_stdin_token`)
    stdin: tuple["_Unit", Word] | None = None
    # the folder the shell code on the way ``cd``ed into (:func:`_chdir`): a relative script path is looked up there
    cwd: Val[str] | None = None
    # an init above this command that signals the child's whole process group (dumb-init by default, ``tini -g``),
    # as written (:data:`GROUP_SIGNAL`): a shell that stays in between dies on the signal, and the init exits with it
    group_init: str = ""
    # the command runs as a process that leads its process group: the one the platform starts (systemd's, runc's
    # setsid(), supervisord's and tini's setpgid), or one shell code replaced by it (``exec CMD`` in a script the
    # platform runs, or the last command ``bash -c`` execs); a command a shell forks without job control is in the
    # shell's group (util-linux setsid(1) forks only as a group leader: :func:`_detached_start`)
    leader: bool = True

    @property
    def in_shell_group(self) -> bool:
        """The command is a child of shell code, in the shell's process group: it leads none."""
        return bool(self.units) and not self.leader

    def head(self) -> Labels:
        """The chain so far, launch first: what a WrapperProblem found here must name."""
        return self.trail or ((self.origin, "launch"),)

    def deeper(self, loc: Loc, label: str, script: str = "") -> "_Ctx":
        return replace(self, depth=self.depth + 1, trail=_join(self.head(), ((loc, label),)),
                       stack=self.stack + ((script,) if script else ()))


def _join(first: Labels, more: Labels) -> Labels:
    """Concatenate location labels; a location on the same line as the previous one replaces it."""
    out = list(first)
    for loc, label in more:
        if out and out[-1][0].path == loc.path and out[-1][0].line == loc.line:
            out[-1] = (loc, label)
        else:
            out.append((loc, label))
    return tuple(out)


def base(word: str) -> str:
    return os.path.basename(word.strip())


def _skip_options(tokens: list[Token], index: int, valued: frozenset[str]) -> int:
    while index < len(tokens):
        text = tokens[index].text
        if text == "--":
            return index + 1
        if not text.startswith("-") or text == "-":
            return index
        name = text.split("=", 1)[0]
        cluster = _cluster(text, valued)
        index += 2 if (name in valued and "=" not in text) or (cluster is not None and cluster[1] is None) else 1
    return index


def _cluster(text: str, valued: frozenset[str]) -> tuple[str, str | None] | None:
    """getopt's clustered short options (``sudo -Eu app``, ``-iuapp``): the first letter that takes a value,
    as ``-u``, with the rest of the word as its value (None: the value is the next word); None when the word
    is no cluster of several letters or none of its letters takes a value."""
    if text.startswith("--") or len(text) < 3 or not text.startswith("-"):
        return None
    for at, letter in enumerate(text[1:], start=1):
        if f"-{letter}" in valued:
            return f"-{letter}", text[at + 1:] or None
    return None


def _unwrap_env(tokens: list[Token], index: int, assigned: dict[str, Val[str]] | None = None) -> int:
    """env(1)'s words from ``tokens[index]`` (``env`` itself): the index of the program it runs.  Into
    ``assigned`` go the variables its ``NAME=value`` words set for the program (``-u NAME`` removes one)."""
    index += 1
    while index < len(tokens):
        token = tokens[index]
        text = token.text
        if text in ("-u", "--unset", "-C", "--chdir", "-S", "--split-string"):
            if assigned is not None and text in ("-u", "--unset") and index + 1 < len(tokens):
                assigned.pop(tokens[index + 1].text, None)
            index += 2
        elif text.startswith("-"):
            index += 1
        elif "=" in text and not text.startswith("="):
            if assigned is not None:
                name, _, value = text.partition("=")
                assigned[name] = Val(value, token.loc) if token.literal else \
                    Val.unknown_at(token.loc, token.why or f"`{text}`")
            index += 1
        else:
            break
    return index


#: ``uvx`` / ``uv tool run`` options that take a value (uv's ToolRunArgs with the installer, index and resolver
#: options it flattens in)
_UV_TOOL_VALUED = frozenset({"--from", "--with", "--with-editable", "--with-requirements", "-w", "--python", "-p",
                             "--env-file", "--directory", "--project", "--index", "--default-index", "--index-url",
                             "-i", "--extra-index-url", "--find-links", "-f", "--constraints", "-c", "--overrides",
                             "--build-constraints", "-b", "--cache-dir", "--config-file", "--color", "--prerelease",
                             "--resolution", "--exclude-newer", "--link-mode", "--keyring-provider", "--index-strategy",
                             "--config-setting", "-C", "--refresh-package", "--reinstall-package", "--upgrade-package",
                             "-P", "--no-build-package", "--no-binary-package", "--allow-insecure-host",
                             "--python-platform", "--torch-backend"})
#: runners of a project's or a tool's environment that hand the stop signal to the command: (words) -> (the hop's
#: name, the options that take a value).  Each was read in its source:
#: - ``uvx`` / ``uv tool run``: the child waited for by uv's run_to_completion, as ``uv run``'s (the signals relayed
#:   alike, crates/uv/src/commands/run.rs), so a launcher as ``uv run`` is;
#: - ``rye run``: rye/src/cli/run.rs invoke_script ends in utils::exec_spawn, ``Command::exec`` on Unix: rye replaces
#:   itself by the command (options ``--pyproject``, ``--venv``, ``-l``);
#: - ``pipx run``: commands/run.py -> Venv.run_app -> util.exec_app, ``os.execvpe`` on POSIX: pipx replaces itself;
#: - ``pixi run``: the command runs in deno_task_shell as pixi's child; recent releases forward the signals pixi
#:   receives to it (listen_and_forward_all_signals), older ones only ignore SIGINT and relay nothing: a launcher
#:   with a notice (:func:`_say_unverified`).
_TOOL_RUNNERS: dict[tuple[str, ...], tuple[str, frozenset[str]]] = {
    ("uvx",): ("uvx", _UV_TOOL_VALUED),
    ("uv", "tool", "run"): ("uv tool run", _UV_TOOL_VALUED),
    ("rye", "run"): ("rye run", frozenset({"--pyproject", "--venv"})),
    ("pipx", "run"): ("pipx run", frozenset({"--spec", "--python", "--pip-args", "--index-url", "-i"})),
    ("pixi", "run"): ("pixi run", frozenset({"-e", "--environment", "--manifest-path", "--auth-file", "--color",
                                             "--pypi-keyring-provider", "--concurrent-solves",
                                             "--concurrent-downloads"})),
}


def _tool_runner(tokens: list[Token], index: int) -> tuple[str, int, frozenset[str]] | None:
    """(the hop's name, the index after the runner's words, its valued options) when ``tokens[index:]`` starts with
    one of :data:`_TOOL_RUNNERS` (``uvx``, ``uv tool run``, ``rye run``, ``pipx run``, ``pixi run``), else None."""
    for words, (name, valued) in _TOOL_RUNNERS.items():
        end = index + len(words)
        if end <= len(tokens) and base(tokens[index].text) == words[0] and \
                all(tokens[index + at].text == word for at, word in enumerate(words[1:], start=1)):
            return name, end, valued
    return None


def _dotenv_run(tokens: list[Token], index: int) -> int | None:
    """The index of ``run`` in ``dotenv [-f FILE] [-q MODE] [-e BOOL] run ...``, or None for another command."""
    at = index + 1
    while at < len(tokens) and tokens[at].text.startswith("-"):
        at += 2 if tokens[at].text in ("-f", "--file", "-q", "--quote", "-e", "--export") else 1
    return at if at < len(tokens) and tokens[at].text == "run" else None


def _is_manage_py(word: str) -> bool:
    return base(word) in ("manage.py", "django-admin", "django-admin.py")


def _unwrap(tokens: list[Token], shell: bool = True) -> tuple[int, list[Hop], bool, Val[str] | None] | None:
    """Skip signal-transparent launchers: (index of the program, launcher hops, dev reloader, the user the
    innermost privilege-changing launcher runs the program as).  ``shell``: a shell runs the command (``setsid``
    then leads no process group and replaces itself by its command; see :func:`_detached_start`)."""
    hops: list[Hop] = []
    dev = False
    user: Val[str] | None = None
    index = 0
    while index < len(tokens):
        word = base(tokens[index].text)
        if word == "env":
            hops.append(Hop("launcher", "env", tokens[index].loc))
            index = _unwrap_env(tokens, index)
            continue
        run_at = _dotenv_run(tokens, index) if word == "dotenv" else None
        if run_at is not None:
            # python-dotenv's `dotenv [-f FILE] run [--override] [--] CMD` replaces itself by CMD (cli.py
            # run_command: os.execvpe, since 1.1.0; before, Popen and wait: a notice, :func:`_resolve`) with the
            # file's variables
            hops.append(Hop("launcher", "dotenv run", tokens[index].loc))
            index = _skip_options(tokens, run_at + 1, frozenset())
            if index < len(tokens) and tokens[index].text == "--":
                index += 1
            continue
        if word in ("poetry", "pipenv", "uv", "pdm", "hatch") and index + 1 < len(tokens) and \
                tokens[index + 1].text == "run":
            hops.append(Hop("launcher", f"{word} run", tokens[index].loc, detail=UV_DETAIL if word == "uv" else ""))
            index = _skip_options(tokens, index + 2, frozenset({"--with", "--python", "-p", "--env-file",
                                                                  "--directory", "--project", "-e"}))
            continue
        runner = _tool_runner(tokens, index)
        if runner is not None:
            name, at, valued = runner
            hops.append(Hop("launcher", name, tokens[index].loc, detail=UV_DETAIL if name in UV_RUNNERS else ""))
            index = _skip_options(tokens, at, valued)
            continue
        if word == "entr" and index + 1 < len(tokens):
            # eradman/entr: `entr [-acdnprsz] utility [argument ...]` runs the utility (again on every change of
            # the files listed on its stdin; `-r` restarts a persistent one): a development auto-reloader; with
            # `-s` the utility is a string for $SHELL -c, not followed here
            at = index + 1
            while at < len(tokens) and re.fullmatch(r"-[acdnprsz]+", tokens[at].text):
                if "s" in tokens[at].text:
                    return None
                at += 1
            if at >= len(tokens):
                return None
            dev = True
            hops.append(Hop("launcher", "entr", tokens[index].loc, detail="development auto-reloader"))
            index = at
            continue
        if word == "watchmedo":
            dev = True
            try:
                index = next(i for i in range(index, len(tokens)) if tokens[i].text == "--") + 1
            except StopIteration:
                return None
            hops.append(Hop("launcher", "watchmedo auto-restart", tokens[index - 1].loc,
                            detail="development auto-reloader"))
            continue
        if word in LAUNCHERS and _launcher_at(tokens, index, word, shell):
            valued, positional = LAUNCHERS[word]
            after = _skip_options(tokens, index + 1, valued)
            hops.append(Hop("launcher", word, tokens[index].loc,
                            deadline=_kill_after(tokens, index, after) if word == "timeout" else None,
                            detail=GROUP_SIGNAL if _signals_group(word, tokens[index + 1:after]) else "",
                            rewrites=_rewrites(tokens[index + 1:after]) if word == "dumb-init" else ()))
            user = _user_set(tokens, index, after, word) or user
            if word == "chrt" and after < len(tokens) and tokens[after].text.isdigit():
                after += 1  # chrt [options] [PRIORITY] CMD: the priority may be left out for the policies without one
            index = after + positional
            continue
        break
    return index, hops, dev, user


_TIMEOUT_DURATION = lazy_pattern(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)")


def _kill_after(tokens: list[Token], index: int, after: int) -> Val[float] | None:
    """``timeout -k DURATION``: coreutils timeout relays the signal it receives to the command and, with
    ``-k``, arms a SIGKILL DURATION later (timeout.c cleanup: any signal, not only its own expiry), so the
    consumer is killed that long after the platform's stop signal; None without ``-k``."""
    found = _option_value(tokens, index + 1, after, ("-k", "--kill-after"), LAUNCHERS["timeout"][0])
    if found is None:
        return None
    match = _TIMEOUT_DURATION.fullmatch(found.text) if found.literal else None
    if match is None:
        return Val.unknown_at(found.loc, f"`timeout -k {clipped(found.text)}`")
    seconds = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    return Val(seconds, found.loc)


def _launcher_at(tokens: list[Token], index: int, word: str, shell: bool = True) -> bool:
    """``chroot`` is a launcher only into ``/`` (the same files); ``taskset``/``chrt`` not with ``-p`` (they then
    act on a running process, the words are no command)."""
    if word in ("taskset", "chrt"):
        after = _skip_options(tokens, index + 1, LAUNCHERS[word][0])
        return not any(t.text in ("-p", "--pid") or (t.text[:1] == "-" and t.text[1:2] != "-" and "p" in t.text)
                       for t in tokens[index + 1:after])
    if word == "chroot":
        after = _skip_options(tokens, index + 1, LAUNCHERS[word][0])
        return after < len(tokens) and tokens[after].text.rstrip("/") == ""
    if word == "direnv":  # only ``direnv exec DIR CMD`` runs a command
        return index + 1 < len(tokens) and tokens[index + 1].text == "exec"
    if word == "setsid":  # ``setsid -f``, or setsid leading its group: it forks, the command runs detached (or a
        # child it waits for, with ``-w``)
        return _detached_start(tokens[index:], shell) is None and not _setsid_waits(tokens[index:], shell)
    return True


def _user_set(tokens: list[Token], index: int, after: int, word: str) -> Val[str] | None:
    """The user the launcher at ``index`` (its options end at ``after``) runs its command as, or None when it
    keeps the user; a user written as a variable hueylint cannot expand is an unknown value."""
    if word in USER_ARGUMENT:
        named = tokens[after] if after < len(tokens) else None
    else:
        named = _option_value(tokens, index + 1, after, USER_OPTIONS.get(word, ()), LAUNCHERS[word][0])
    if named is None:
        return None
    if not named.literal:
        return Val.unknown_at(named.loc, f"{word} runs it as `{named.text}`, a user hueylint cannot expand")
    user = named.text.lstrip(":").split(":", 1)[0]
    if word == "sudo" and user.startswith("#"):
        user = user[1:]  # sudo(8): ``-u '#0'`` names the user by its uid
    return Val(user, named.loc) if user else None


def _option_value(tokens: list[Token], start: int, end: int, names: tuple[str, ...],
                  valued: frozenset[str] = frozenset()) -> Token | None:
    """The value of the last of the options ``names`` among ``tokens[start:end]`` (``-u X``, ``-uX``,
    ``--user X``, ``--user=X``, and in a cluster of short options ``-Eu X``, when ``valued`` names the short
    options that take a value), as a token at the value's place."""
    found: Token | None = None
    index = start
    while index < end and index < len(tokens):
        text = tokens[index].text
        cluster = _cluster(text, valued)
        if cluster is not None and cluster[0] in names and not text.startswith(cluster[0]):
            if cluster[1] is not None:
                found = Token(cluster[1], tokens[index].loc)
            elif index + 1 < len(tokens):
                found = tokens[index + 1]
                index += 1
            index += 1
            continue
        for name in names:
            if text == name and index + 1 < len(tokens):
                found = tokens[index + 1]
                index += 1
            elif name.startswith("--") and text.startswith(name + "="):
                found = Token(text[len(name) + 1:], tokens[index].loc)
            elif not name.startswith("--") and text.startswith(name) and len(text) > len(name) and \
                    not text.startswith("--"):
                found = Token(text[len(name):], tokens[index].loc)
        index += 1
    return found


def resolve(tokens: list[Token], origin: Loc, resolver: Resolver | None = None, *,
            depth: int = 0) -> list[ConsumerHit]:
    """The consumers the command ``tokens`` starts (its words, each with its location, as the platform
    runs them), followed through launchers (``env``, ``gosu``, ``tini`` ...), ``sh -c`` strings and the
    repository scripts ``resolver`` finds (None: scripts are not followed); ``origin`` is where the command
    is written, ``depth`` how many scripts deep this command is (the caller's, for nested scripts).

    One hit per consumer started (several when script branches start different ones); an empty list when it
    starts none, and a command that names a consumer but starts none is recorded in ``ws.dropped`` (for
    ``hueylint inspect``) when the resolver has a workspace.  What cannot be followed (a script not in the
    repository, a variable with no known value) is an ``unresolved`` entry of the hit, not an exception.
    """
    ctx = _Ctx(origin, resolver or NoScripts(), depth, hinted=mentions_consumer(tokens))
    hits = _resolve(tokens, ctx)
    if not hits and tokens and any(_names_consumer(piece) for token in tokens for piece in token.text.split()) \
            and not _s6_cmd(tokens):
        _drop(ctx, f"`{' '.join(clipped(t.text) for t in tokens[:6])}{' ...' if len(tokens) > 6 else ''}`", tokens[0].loc,
              "names a consumer but starts none hueylint recognises (another subcommand, a supervisor, "
              "`python -c` ...)")
    return hits


def _s6_cmd(tokens: list[Token]) -> bool:
    """s6-overlay's ``/init`` with arguments (behind launchers): it runs them as the container's CMD, which the
    container platforms follow as a launch of their own (:func:`hueylint.platforms.s6.supervised_launches`)."""
    unwrapped = _unwrap(tokens)
    return unwrapped is not None and len(tokens) > unwrapped[0] + 1 and tokens[unwrapped[0]].text == "/init"


def _split_env_string(tokens: list[Token]) -> list[Token]:
    """``env -S 'huey_consumer app.huey'`` (env(1) ``-S``/``--split-string``, as a shebang's ``env -S`` uses it):
    the string's words in its place, the command they make read as any other."""
    if not tokens or base(tokens[0].text) != "env":
        return tokens
    for at in range(1, len(tokens)):
        text = tokens[at].text
        if text in ("-S", "--split-string") and at + 1 < len(tokens):
            value, end = tokens[at + 1], at + 2
        elif text.startswith(("--split-string=", "-S")) and text not in ("-S", "--split-string"):
            value, end = Token(text.split("=", 1)[1] if text.startswith("--") else text[2:], tokens[at].loc), at + 1
        elif text.startswith("-") and text != "-":
            continue
        else:
            return tokens
        if not value.literal:
            return tokens
        return [*tokens[:at], *split_command_line(value.text, value.loc), *tokens[end:]]
    return tokens


def _resolve(tokens: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    tokens = _split_env_string(tokens)
    unwrapped = _unwrap(tokens, shell=ctx.in_shell_group)
    if unwrapped is None:
        return []
    index, hops, dev, user = unwrapped
    rest = tokens[index:]
    if not rest:
        return []
    if user is not None:
        ctx = replace(ctx, user=user)
    if any(hop.name in ENV_LAUNCHERS for hop in hops):
        ctx = replace(ctx, passed=None)  # `env ROLE=worker ./start.sh`, `uv run --env-file prod.env ...`
    dotenv = next((hop for hop in hops if hop.name == "dotenv run"), None)
    grouping = next((hop for hop in hops if hop.detail == GROUP_SIGNAL), None)
    if grouping is not None:
        ctx = replace(ctx, group_init=f"`{grouping.name}`")
    before = len(ctx.sink) if ctx.sink is not None else 0
    if base(rest[0].text) == "watchfiles":  # `watchfiles "cmd args" paths`: a dev reloader running a command string
        at = _skip_options(rest, 1, WATCHFILES_VALUED)
        if at >= len(rest):
            return []
        command = rest[at]
        hops = [*hops, Hop("launcher", "watchfiles", rest[0].loc, detail="development auto-reloader")]
        rest, dev = split_command_line(command.text, command.loc), True
        if not rest:
            return []
    hits = _program(rest, ctx)
    if dotenv is not None and hits:
        _say_unverified("dotenv run", "dotenv", dotenv.loc, ctx)
    pixi = next((hop for hop in hops if hop.name == "pixi run"), None)
    if pixi is not None and hits:
        _say_unverified("pixi run", "pixi", pixi.loc, ctx)
    assigned = _env_launcher_assignments(tokens[:index])
    uv = next((hop for hop in hops if hop.name in UV_RUNNERS), None)
    for hit in hits:
        if uv is not None:
            hit.wrappers.append(WrapperProblem("forks", f"`{uv.name}`", _join(ctx.head(), ((uv.loc, uv.name),)),
                                               branch=hit.branch, how="uv", group_init=ctx.group_init))
        hit.hops[:0] = hops
        hit.dev = hit.dev or dev
        hit.user = hit.user or user
        if assigned:
            hit.env = {**assigned, **hit.env}
    for started in (ctx.sink or [])[before:]:
        started.hops[:0] = hops
    return hits


#: uv's runners: the command is uv's child, waited for by run_to_completion (crates/uv/src/commands/run.rs, since
#: uv 0.5), which passes every SIGTERM on but not a first SIGINT while the child is in uv's own process group: it
#: assumes a terminal's Ctrl-C reached the whole group (a second SIGINT is passed on).  A stop signal sent to uv
#: alone (a container's PID 1, a supervisord program) that is SIGINT never reaches the consumer: the ``forks``
#: wrapper problem with ``how`` ``"uv"``, which HL201 reports only then (:attr:`WrapperProblem.drops_first_sigint`)
UV_RUNNERS = frozenset({"uv run", "uvx", "uv tool run"})
#: the detail of a uv runner's launcher hop
UV_DETAIL = "runs the command as its child; passes SIGTERM on, and SIGINT only when it comes twice"


def _env_launcher_assignments(launchers: list[Token]) -> dict[str, Val[str]]:
    """The variables ``env NAME=value ... program`` sets for the program (env(1), :func:`_unwrap_env`)."""
    found: dict[str, Val[str]] = {}
    index = 0
    while index < len(launchers):
        index = _unwrap_env(launchers, index, found) if base(launchers[index].text) == "env" else index + 1
    return found


def supervisor_starts(tokens: list[Token], origin: Loc, resolver: Resolver | None = None) -> list[SupervisorStart]:
    """Every supervisor this command starts, following scripts like :func:`resolve` does.

    For container platforms: ``ENTRYPOINT ["/start.sh"]`` whose script runs ``supervisord -c x.conf``
    and then ``exec nginx`` hides the supervisor from :func:`supervisor_invocation`.
    """
    found: list[SupervisorStart] = []
    _resolve(tokens, _Ctx(origin, resolver or NoScripts(), sink=found))
    return found


#: ``$(which NAME)``, ``$(command -v NAME)``, ``$(type -P NAME)`` and their backquoted forms: NAME's path on PATH
_PATH_LOOKUP = lazy_pattern(r"^(?:\$\(|`)\s*(?:which|command\s+-v|type\s+-[Pp])\s+([\w.+-]+)\s*(?:\)|`)$")


def _found_on_path(token: Token) -> Token:
    """``$(which huey_consumer.py)`` as the program or script word: the file the bare name finds on PATH, which
    is what running the bare name runs (its exact folder stays unknown, its name is what says what it is)."""
    match = _PATH_LOOKUP.match(token.text)
    if match is None or (token.text[0] == "`") != (token.text[-1] == "`"):
        return token
    return Token(match.group(1), token.loc)


def _program(rest: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    if rest and not rest[0].literal:
        rest = [_found_on_path(rest[0]), *rest[1:]]
    word = base(rest[0].text)
    if word == "busybox" and len(rest) > 1 and not rest[1].text.startswith("-"):
        inner = _launcher_ctx(rest, ctx)  # a multi-call binary: `busybox sh -c ...` runs its `sh` applet
        return _resolve(rest[1:], inner) if isinstance(inner, _Ctx) else inner
    if word in CONSUMER_SCRIPTS:
        return [ConsumerHit("huey_consumer", rest[1:], rest[0].loc, script_path=word,
                            installed_script=rest[0].text if "/" not in rest[0].text or "/bin/" in rest[0].text
                            else "")]
    if word.startswith(PYTHONS) and word.rstrip("0123456789.") in PYTHONS and _supervisor(rest) is None:
        return _python(rest, ctx)  # (one that runs a supervisor's script is that supervisor, below)
    if _is_manage_py(word):
        return _manage(rest[0], rest[1:], ctx)
    if word in SHELLS:
        return _shell(rest, ctx)
    if word in ("su", "runuser"):  # runuser's ``runuser USER -c`` form is su's (util-linux su-common.c)
        return _su(rest, ctx)
    if word in FORKING_LAUNCHERS or (word == "honcho" and _honcho_run(rest) is not None) or _conda_run(rest) is not None:
        return _forking(rest, ctx)
    if word == "setsid" and _setsid_waits(rest, ctx.in_shell_group):
        return _forking(rest, ctx)
    detached = _detached_start(rest, shell=ctx.in_shell_group)
    if detached is not None:
        return _detaching(rest, *detached, ctx)
    pm2 = _pm2_foreground(rest)
    if pm2 is not None:
        return _pm2_supervised(rest, *pm2, ctx)
    if word == "flock":
        return _flock(rest, ctx)
    if word == "systemd-run":
        return _systemd_run(rest, ctx)
    if word == "uwsgi":
        daemons = _uwsgi_daemons(rest, ctx)
        if daemons:
            return daemons  # else: the server itself (an app module that starts the consumer, below)
    if word in ("make", "gmake"):
        return _make(rest, ctx)
    if word in ("invoke", "inv", "fab"):
        return _task_runner(rest, ctx)
    if word in SECRET_RUNNERS:
        runs = _secret_runner(rest, ctx)
        if runs is not None:
            return runs
    supervisor = _supervisor(rest)
    if supervisor is not None:
        if ctx.sink is not None:
            kind, config, foreground = supervisor
            probe = getattr(ctx.resolver, "supervisor_foreground", None)  # ``nodaemon=true`` in its config
            if not foreground and probe is not None and (config is None or "$" not in config):
                foreground = bool(probe(kind, config))
            token = _config_token(rest, config)
            if token is None and kind == "procfile" and config is not None:
                # the runner's default ./Procfile; honcho takes the name from PROCFILE when set (honcho/command.py
                # map_from), below its app root (-d)
                named = _env(ctx).get("PROCFILE") if base(rest[0].text) == "honcho" else None
                if named:
                    run = procfile_run([t.text for t in rest])
                    root = posixpath.dirname(run.procfile) if run is not None else ""
                    config = posixpath.join(root, named) if root and not named.startswith("/") else named
                token = Token(config, rest[0].loc)
            ctx.sink.append(SupervisorStart(kind, token, foreground, rest[0].loc, tuple(t.text for t in rest),
                                            words=tuple(rest)))
        return []  # its programs are launches of the supervisor's config, not of this command
    script = _find_script(rest[0], ctx)
    parsed = _parse(script.text) if script is not None else None
    if script is not None and (parsed is None or parsed.is_shell):
        return _script(script, rest, ctx)
    # (a repository file that is no shell script: a Python program with a `#!` line, or something else, which
    # _unresolved names when it mentions huey)
    return _python_entry_hit(rest[0], rest[1:], ctx) or _served_app(rest, ctx) or _installed_django(rest, ctx) or \
        _unresolved(rest, 0, ctx)


#: command-line programs of installed packages that are Django's management utility for the project they run in,
#: so their sub-commands are management commands (``otree run_huey``): program -> what says so
INSTALLED_DJANGO_CLIS = {
    # oTree 2.x-3.x (the releases with huey): the `otree` console script is otree.management.cli's
    # execute_from_command_line, which sets DJANGO_SETTINGS_MODULE=settings and runs Django's ManagementUtility
    # (oTree 5 dropped Django and huey: no `otree run_huey` there)
    "otree": "oTree's command line (Django's management utility, oTree 2-3)",
}


def _installed_django(rest: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    """An installed package's Django command line (:data:`INSTALLED_DJANGO_CLIS`), not the repository's own program
    of that name (:func:`_python_entry_hit` asks first): its words read as ``manage.py``'s."""
    if base(rest[0].text) not in INSTALLED_DJANGO_CLIS:
        return []
    return _manage(rest[0], rest[1:], ctx)


#: servers that import a repository module to serve its app object: ``gunicorn``/``uvicorn``/``hypercorn``/
#: ``daphne``/``granian``/``waitress-serve`` take ``module:attr``, ``sanic`` also ``module.attr`` (their CLIs)
APP_SERVERS = frozenset({"gunicorn", "uvicorn", "hypercorn", "daphne", "granian", "waitress-serve", "sanic"})
_APP_COLON = lazy_pattern(r"[A-Za-z_][\w.]*:[A-Za-z_][\w.]*(?:\(.*\))?")
_APP_DOTTED = lazy_pattern(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")


def _served_app(rest: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    """A server that imports a repository module whose code starts the consumer as its child process
    (``sanic det.app``, where det.py's ``@app.main_process_start`` listener runs ``subprocess.Popen(["huey_consumer.py",
    ...])``; field test: os-climate/crrf-det): that child, behind the server as its program (:func:`_spawned`).
    Only a spawned child: a module that merely defines the huey app is no consumer."""
    program = base(rest[0].text)
    if program not in APP_SERVERS or ctx.depth >= MAX_DEPTH:
        return []
    finder = _entry_finder(ctx)
    if finder is None:
        return []
    if program == "gunicorn":
        hooks = _gunicorn_config_spawns(rest, ctx, finder)
        if hooks:
            return hooks
    for token in rest[1:]:
        if not token.literal or token.text.startswith("-"):
            continue
        if _APP_COLON.fullmatch(token.text):
            module = token.text.partition(":")[0]
        elif program == "sanic" and _APP_DOTTED.fullmatch(token.text):
            module = token.text.rpartition(".")[0]
        else:
            continue
        entry = finder(f"-m {module}", ctx.origin, [])
        if entry is None:  # no repository module: an option's value (``--host my.example.org``), or an installed app
            continue
        if entry.kind == "spawns" and entry.children:
            return [hit for child in entry.children
                    for hit in _spawned(entry.rel, child, token, ctx, name=f"{program} {token.text}", how="server")]
        return []
    return []


#: gunicorn options that take a value (``gunicorn --help``), skipped when looking for its config file
_GUNICORN_VALUED = frozenset({"-c", "--config", "-b", "--bind", "-w", "--workers", "-k", "--worker-class", "-t",
                              "--timeout", "--log-level", "--access-logfile", "--error-logfile", "-e", "--env",
                              "--chdir", "--pythonpath", "-u", "--user", "-g", "--group", "-n", "--name",
                              "--threads", "--max-requests", "--graceful-timeout", "--keep-alive", "-p", "--pid"})


def _gunicorn_config_spawns(rest: list[Token], ctx: _Ctx, finder) -> list[ConsumerHit]:
    """gunicorn's configuration file, a Python module it executes (``-c FILE``, ``-c python:MODULE``, else
    ``./gunicorn.conf.py`` when there is one, gunicorn 20's default), whose server hooks start the consumer as a
    child of the master (``def on_starting(server): subprocess.Popen(["huey_consumer", ...])``, and what its
    ``on_exit`` sends it): that child, behind the server as its program (:func:`_spawned`); nothing when the
    configuration starts none."""
    named = _option_value(rest, 1, len(rest), ("-c", "--config"), _GUNICORN_VALUED)
    if named is not None and not named.literal:
        return []
    if named is None:
        word, where = "gunicorn.conf.py", rest[0]
    elif named.text.startswith("python:"):
        word, where = f"-m {named.text[len('python:'):]}", named
    else:
        word, where = named.text, named
    entry = finder(word, ctx.origin, [])
    if entry is None or entry.kind != "spawns" or not entry.children:
        return []
    name = f"gunicorn (its configuration `{entry.rel}`)"
    return [hit for child in entry.children for hit in _spawned(entry.rel, child, where, ctx, name=name, how="server")]


def _entry_finder(ctx: _Ctx):
    """The app layer's finder of the repository Python module a word runs (see :func:`_python_entry_hit`)."""
    finder = getattr(ctx.resolver, "python_script", None)
    if finder is not None:
        return finder
    python_entry = getattr(getattr(ctx.resolver, "ws", None), "python_entry", None)
    if python_entry is None:  # no workspace, or no app layer: a Python command is not followed
        return None
    return lambda word, origin, words: python_entry(ctx.resolver, word, origin, words)


def _consumer_word(tokens: list[Token], start: int) -> int | None:
    """Index of the first word from ``start`` on that names a consumer (``huey_consumer``, ``run_huey`` ...)."""
    for index in range(start, len(tokens)):
        if _names_consumer(tokens[index].text):
            return index
    return None


def _names_consumer(text: str) -> bool:
    """``text`` is a consumer's name: huey's consumer script (any path) or a Django management command."""
    return base(text) in CONSUMER_SCRIPTS or text in DJANGO_COMMANDS


def mentions_consumer(tokens: list[Token]) -> bool:
    """The command names a consumer or huey somewhere (what makes it a launch candidate)."""
    return _consumer_word(tokens, 0) is not None or any("huey" in token.text.lower() for token in tokens)


def _unresolved(rest: list[Token], at: int, ctx: _Ctx, module: str = "") -> list[ConsumerHit]:
    """A command that looks like a consumer launch but whose ``rest[at]`` cannot be followed.

    It looks like one when a later word names a consumer (``"$MANAGE" run_huey``; right after a literal
    program: ``/usr/bin/sitectl run_huey``), when the word itself mentions huey (``/usr/local/bin/run-huey.sh`` not in the repo), or
    when it is an unknown variable and a later word mentions huey (``"$CONSUMER" app.huey``).  The result is
    one hit with an :class:`Unresolved` part (HL004): its program is the named consumer, else ``unknown``;
    its options are known only when the unknown word is the program right before the consumer's name
    (``python3 "$MANAGE" run_huey -w 4``: the variable holds manage.py's path).
    """
    if at >= len(rest):
        return []
    target = rest[at]
    # a container runner's own options, their values (``--name huey_consumer``) and the image are not its command;
    # with an option not known here, each reading of it (a flag, or taking the next word) puts the image elsewhere:
    # the consumer must be the container's program in one of them
    starts = _container_command_starts(rest, at) if target.literal and base(target.text) in CONTAINER_RUNNERS \
        else None
    found = [(start, *_placed_consumer(rest, at, start)) for start in starts or (None,)]
    start, consumer, in_place = next((item for item in found if item[1] is not None and item[1] == item[0]), None) \
        or next((item for item in found if item[2] is not None), found[0])
    placed = in_place is not None
    consumer = in_place if in_place is not None else consumer
    if placed and consumer is not None and target.literal and base(target.text) in APP_SERVERS:
        return _server_arguments(rest, at, consumer, ctx)
    if not placed and target.literal and base(target.text) in CONTAINER_RUNNERS:
        inner = _container_entrypoint(rest, at) or _container_shell(rest, at, ctx)
        if inner:
            return inner
    if target.literal and consumer is not None and consumer != at + 1 and not placed:
        consumer = None  # ``logger -t run_huey ...``: a known program with the name as an argument, not a launch
    if target.literal and base(target.text) in _NAMES_PROCESSES:
        consumer = None  # ``echo huey_consumer app.huey``, ``pkill huey_consumer``: names it, runs nothing
    # an unknown word may hold the arguments the script was given (``exec "${CLI[@]}"``): they count too
    passed = [] if target.literal else list(ctx.script_args)
    if consumer is None and "huey" not in target.text.lower() and \
            (target.literal or not any("huey" in token.text.lower() for token in [*rest[at + 1:], *passed])):
        return _through_unfound_script(rest, at, ctx)
    probe = getattr(ctx.resolver, "compiled_program", None)
    if consumer is None and target.literal and not module and probe is not None and \
            not any("huey" in token.text.lower() for token in rest[at + 1:]):
        built = probe(target.text, ctx.origin)
        if built:  # ``./huey`` that ``go build -o huey`` made: its name mentions huey, it is no Python consumer
            _drop(ctx, f"`{clipped(target.text)}`", target.loc, f"a program the image compiles ({built}), not a huey consumer")
            return []
    if not module and consumer is not None and _computed_manage(rest, at, consumer, ctx):
        return _django(rest[consumer:], rest[consumer - 1].loc, ctx)
    if module:
        what, why = f"module `{clipped(module)}`", "module not in the repository"
    elif not target.literal:
        what = f"`{clipped(target.text)}`"
        why = "variable not resolvable" + (f": {target.why}" if target.why else
                                           ": its value is not written in the repository")
    else:
        script = target.text.endswith((".sh", ".bash", ".py")) or ("/" in target.text and
                                                                    not target.text.startswith("/"))
        what = f"script `{clipped(target.text)}`" if script else f"`{clipped(target.text)}`"
        held = _repo_file(ctx, target.text)
        if held is not None:
            why = f"`{held}` is not a shell script, and no consumer start was found in it as Python"
        elif target.text.endswith(".py"):
            why = "Python file not found in the repository"
        elif script:
            why = "not found in the repository"
        elif base(target.text) in CONTAINER_RUNNERS and placed:
            what, why = _runner_what(rest, at, consumer) or what, CONTAINER_WHY
        elif base(target.text) == "chroot" and placed:  # ``chroot /srv/jail huey_consumer ...`` (see _unwrap)
            why = "it runs the consumer under another root directory, whose files are not the repository's"
        elif target.text.startswith("-") and placed:  # ``CMD ["-u", "app", "--", "manage", "run_huey"]``
            what = f"the program that receives `{clipped(target.text)}`"
            why = OPTIONS_WHY
        else:  # ``/usr/bin/sitectl``: an installed program or a launcher not modelled
            why = "not found in the repository, and not a launcher hueylint knows"
    # ``"$MANAGE" run_huey -w 4`` / ``$PYTHON manage.py run_huey -w 4``: the unknown word is only the program
    known = placed or (not target.literal and not module and consumer is not None and
                       (consumer == at + 1 or (consumer == at + 2 and _is_manage_py(rest[at + 1].text))))
    named = _consumer_word(passed, 0) if consumer is None else None
    if consumer is not None:
        word = rest[consumer]
        program = "huey_consumer" if base(word.text) in CONSUMER_SCRIPTS or word.text == CONSUMER_MODULE else word.text
        args, loc = (rest[consumer + 1:] if known else []), word.loc
    elif named is not None:
        word = passed[named]
        program = "huey_consumer" if base(word.text) in CONSUMER_SCRIPTS else word.text
        args, loc = [], target.loc
    else:
        program, args, loc = "unknown", [], target.loc
    user = _container_user(target.loc) if why == CONTAINER_WHY else None
    if base(target.text) == "chroot" and placed:  # ``chroot --userspec=app:app /srv/jail ...`` runs it as app
        user = _user_set(rest, at, _skip_options(rest, at + 1, LAUNCHERS["chroot"][0]), "chroot")
    return [ConsumerHit(program, list(args), loc, unresolved=[Unresolved(what, why, target.loc, target.computed)],
                        options_unknown=not known, user=user)]


def _computed_manage(rest: list[Token], at: int, consumer: int, ctx: _Ctx) -> bool:
    """Is the command ``rest[at:]``, not known because of its ``rest[at]``, Django's command line with a computed
    path: the word before the consumer's name is a script path held by the output of a command substitution run on
    every path to it (:attr:`Token.computed`: ``MANAGE=$(find /app -name manage.py | head -n 1)``), run by the
    interpreter (``python "$MANAGE" run_huey``; also ``$PYTHON "$MANAGE"`` and ``$PYTHON manage.py`` with PYTHON
    computed too) or itself (``"$MANAGE" run_huey``), and the name is a Django management command
    (:data:`~hueylint.hueyfacts.DJANGO_COMMANDS`: only a Django command line takes it as its sub-command), with
    the repository holding exactly one ``manage.py`` outside test folders, a Django one (:func:`_sole_django_manage`):
    the path the script finds is that file.  Not with several (a monorepo: which one runs is not known), none, a
    variable assigned on some paths only (it may be empty: the launch may not start), nor another program word
    (those stay HL004)."""
    if rest[consumer].text not in DJANGO_COMMANDS or not rest[at].computed:
        return False
    # ``"$MANAGE" run_huey``, ``python "$MANAGE" run_huey`` (the caller is python's); ``$PYTHON "$MANAGE" run_huey`` /
    # ``$PYTHON manage.py run_huey``: both computed, or a manage.py
    script = rest[consumer - 1]
    if consumer != at + 1 and (consumer != at + 2 or
                               not (script.computed or script.literal and base(script.text) == "manage.py")):
        return False
    return _sole_django_manage(ctx) is not None


#: a folder that holds test suites or test environments (``tests/``, ``e2e/``, ``scripts/test-environments/``): a
#: ``manage.py`` there is a test's, not the project's (:func:`_sole_django_manage`); a compose file or Dockerfile there
#: is a test stack (:mod:`hueylint.platforms.docker`, :mod:`hueylint.platforms.compose`)
TEST_FOLDER = lazy_pattern(r"^(?:tests?|testing|e2e|integration[-_]tests?|test[-_]environments?)$")


def _sole_django_manage(ctx: _Ctx) -> str | None:
    """The repository's only ``manage.py`` outside test folders (:data:`TEST_FOLDER`), when it is Django's (its file
    mentions Django, as :func:`_django_program` asks); None when there are several, none, or it is no Django one."""
    ws = getattr(ctx.resolver, "ws", None)
    if ws is None or not hasattr(ws, "files_named"):
        return None
    found = [rel for rel in ws.files_named("manage.py")
             if not any(TEST_FOLDER.match(part) for part in rel.lower().split("/")[:-1])]
    if len(found) != 1:
        return None
    src = ws.file(found[0])
    return found[0] if src is not None and "django" in src.text.lower() else None


def _placed_consumer(rest: list[Token], at: int, start: int | None) -> tuple[int | None, int | None]:
    """(the first consumer's name after ``rest[at]``, or from the container's command ``start``; that name, or a
    later one, in a program's place, or None)."""
    consumer = _consumer_word(rest, at + 1 if start is None else start)
    # several words in, the first consumer's name in a program's place (``docker run --name run_huey IMAGE python
    # manage.py run_huey``: an option's value, then the program)
    in_place = None if consumer is None or consumer == at + 1 else consumer if consumer == start else next(
        (index for index in range(consumer, len(rest)) if _names_consumer(rest[index].text)
         and _in_program_place(rest, index)), None)
    if consumer is None:  # ``mywrap --flag python -m huey.bin.huey_consumer app.huey``: the module is the consumer
        in_place = _consumer_module(rest, at + 1 if start is None else start)
    return consumer, in_place


#: what a consumer command given to an app server as its arguments comes to (gunicorn's argparse and uvicorn's
#: click refuse words they do not take; none of them runs a command it is given)
SERVER_ARGUMENTS_WHY = ("an app server serves its app and runs no command it is given: it refuses the extra "
                        "arguments, and the consumer never starts (an image's `ENTRYPOINT` comes before its `CMD`, "
                        "and before a compose `command:` or a Kubernetes `args:`)")


def _server_arguments(rest: list[Token], at: int, consumer: int, ctx: _Ctx) -> list[ConsumerHit]:
    """``rest[at]`` is an app server (:data:`APP_SERVERS`) and the consumer's command comes after it as its
    arguments (``ENTRYPOINT ["uvicorn", "app.main:app"]`` with ``CMD ["huey_consumer", "app.tasks.huey"]``, or a
    compose worker's ``command: huey_consumer ...`` on an image whose entrypoint is gunicorn): the container runs
    the server, which refuses them; the consumer never runs.  No launch: a dropped candidate (``inspect``) and a
    notice (``check``), never a launch whose stop is judged as if the consumer ran."""
    server, word = rest[at], rest[consumer]
    first = consumer - 1 if consumer - 1 > at and _is_manage_py(rest[consumer - 1].text) else consumer
    last = consumer + 1 if consumer + 1 < len(rest) and not rest[consumer + 1].text.startswith("-") else consumer
    shown = " ".join(clipped(token.text) for token in rest[first:last + 1])
    _drop(ctx, f"`{shown}`", word.loc, f"given to `{base(server.text)}` ({server.loc}) as its arguments: "
          + SERVER_ARGUMENTS_WHY)
    say = getattr(getattr(ctx.resolver, "ws", None), "say", None)
    if say is not None and word.loc.path:
        say(Notice(word.loc.path, f"line {word.loc.line}: the consumer command `{shown}` is given to "
                                  f"`{base(server.text)}` ({server.loc}) as its arguments, but {SERVER_ARGUMENTS_WHY}: "
                                  "no consumer launch, not checked"))
    return []


def _through_unfound_script(rest: list[Token], at: int, ctx: _Ctx) -> list[ConsumerHit]:
    """A script not in the repository given a command as its arguments (an image's ``ENTRYPOINT
    ["/app/entrypoint.sh"]``, written by a ``RUN echo`` line or brought by the base image, with ``CMD ["python",
    "run_huey.py"]``): such a wrapper most often ends with ``exec "$@"``, so its arguments are followed as the
    command it runs.  A consumer they start is a launch with the script not followed (HL004) and its options
    unknown (the script may change them); a launch they start that is itself not followed (``python run_huey.py``,
    a file not in the repository) is that launch, the script's part first; nothing when they start none, or when
    the first is an option (``/app/start.sh --workers 4``).  Each such script is a level of the chain: past
    :data:`MAX_DEPTH` of them the rest is not followed (:func:`_not_followed`; thousands of them, each given the
    next, went as deep as Python's stack).  Field test: newcl/mytube, whose base image writes its entrypoint with
    ``RUN echo``: the consumer that ``python run_huey.py`` starts was silence."""
    target = rest[at]
    if not target.literal or at + 1 >= len(rest) or rest[at + 1].text.startswith("-") or \
            not _wrapper_script(target.text) or _repo_file(ctx, target.text):
        return []
    if ctx.depth >= MAX_DEPTH:  # `/a.sh /b.sh ... python run.py`: each script one level, as a script followed is
        leads = _hinted(ctx) or any("huey" in token.text.lower() for token in rest[at:])
        return _not_followed(f"script `{clipped(target.text)}`", target, ctx, leads)
    hits = _resolve(rest[at + 1:], replace(ctx, depth=ctx.depth + 1))
    # the arguments as a command of their own: a consumer, or a launch not followed (``python run_huey.py`` not in
    # the repository) as it is without the script before it; nothing when they start none (``supervisorctl status
    # huey_consumer``)
    for hit in hits:
        hit.unresolved.insert(0, Unresolved(f"script `{clipped(target.text)}`", "not found in the repository",
                                            target.loc))
        hit.args, hit.options_unknown = [], True
    return hits


#: the folders of the system's own programs (an installed tool there, ``/usr/bin/supervisorctl``, is no wrapper that
#: runs its arguments)
_SYSTEM_BIN = ("/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/")


def _wrapper_script(path: str) -> bool:
    """A program path that reads as a script of the image's own (``/app/entrypoint.sh``, ``/docker-entrypoint``,
    ``./start``), not a system program (``/usr/bin/supervisorctl``) nor a bare command name."""
    name = base(path).lower()
    return path.endswith((".sh", ".bash")) or "entrypoint" in name or \
        ("/" in path and not path.startswith(_SYSTEM_BIN))


def _runner_what(rest: list[Token], at: int, end: int | None) -> str:
    """The container runner ``rest[at]`` as typed with its sub-command before ``rest[end]`` (```docker compose
    run```, ```podman exec```), or "" without one."""
    sub = next((t.text for t in rest[at + 1:end] if t.text in CONTAINER_COMMANDS), "")
    runner = f"{base(rest[at].text)} compose" if at + 1 < len(rest) and rest[at + 1].text == "compose" \
        else base(rest[at].text)
    return f"`{runner} {sub}`" if sub else ""


def _container_entrypoint(rest: list[Token], at: int) -> list[ConsumerHit]:
    """``docker run --entrypoint huey_consumer IMAGE app.huey -w 4`` (or ``--entrypoint=huey_consumer``): the
    consumer is the container's program, its arguments the words after the image, which is not told apart from
    the runner's options here: a launch behind the runner whose options are unknown.  Empty without one."""
    start = _container_command_start(rest, at)  # the container's own command: its words are no client options
    for index in range(at + 1, len(rest) if start is None else start):
        text = rest[index].text
        if text == "--entrypoint" and index + 1 < len(rest):
            word, loc = rest[index + 1].text, rest[index + 1].loc
        elif text.startswith("--entrypoint="):
            word, loc = text.partition("=")[2], rest[index].loc
        else:
            continue
        if base(word) not in CONSUMER_SCRIPTS:
            return []
        part = Unresolved(_runner_what(rest, at, index) or f"`{base(rest[at].text)}`", CONTAINER_WHY, rest[at].loc)
        return [ConsumerHit("huey_consumer", [], loc, unresolved=[part], options_unknown=True,
                            user=_container_user(rest[at].loc))]
    return []


def _container_shell(rest: list[Token], at: int, ctx: _Ctx) -> list[ConsumerHit]:
    """``docker run [options] IMAGE sh -c "STRING"`` (``docker exec``, ``podman run``...): the shell string the
    container runs, followed as any ``sh -c`` string, behind the container runner ``rest[at]`` (its stop is the
    engine's: :data:`~hueylint.model.CONTAINER_WHY`; its user the container's).  Empty without such a shell."""
    sub = next((index for index in range(at + 1, len(rest)) if rest[index].text in CONTAINER_COMMANDS), None)
    if sub is None:
        return []
    start = _container_command_start(rest, at)  # the shell is the container's program, after the image
    shell = next((index for index in range(sub + 2 if start is None else start, len(rest) - 1)
                  if base(rest[index].text) in SHELLS and
                  not rest[index - 1].text.startswith("-") and rest[index + 1].text[:1] == "-" and
                  rest[index + 1].text[1:2] != "-" and "c" in rest[index + 1].text), None)
    if shell is None:
        return []
    hits = _shell(rest[shell:], ctx)
    what = _runner_what(rest, at, shell)
    for hit in hits:
        hit.unresolved.insert(0, Unresolved(what, CONTAINER_WHY, rest[at].loc))
        hit.user = _container_user(rest[at].loc)
        # the shell is the container's PID 1: not in the platform's process group or control group
        hit.wrappers = [replace(problem, platform="container") for problem in hit.wrappers]
    return hits


#: programs that run a command in a container (``docker run [options] IMAGE COMMAND...``): the consumer runs
#: there, stopped by the container engine (docker run forwards the signals it receives, ``--sig-proxy``;
#: ``docker stop`` sends the container's stop signal, then SIGKILL after 10 s), which hueylint does not model
CONTAINER_RUNNERS = frozenset({"docker", "podman", "nerdctl", "docker-compose", "podman-compose"})
#: their sub-commands that run a command in a container (``docker compose -f x.yml run --rm worker CMD``)
CONTAINER_COMMANDS = frozenset({"run", "exec"})


#: the options of ``docker``/``podman``/``nerdctl run`` (and ``create``) that take a value (the Docker CLI
#: reference of ``docker container run``, podman-run(1), nerdctl's run flags); every other option is a flag
#: (``--rm``, ``-d``, ``-it``, ``--init``; a boolean with a value is written ``--sig-proxy=false``)
CONTAINER_RUN_VALUED = frozenset({
    "--add-host", "--annotation", "-a", "--attach", "--blkio-weight", "--blkio-weight-device", "--cap-add",
    "--cap-drop", "--cgroup-parent", "--cgroupns", "--cidfile", "--cpu-count", "--cpu-percent", "--cpu-period",
    "--cpu-quota", "--cpu-rt-period", "--cpu-rt-runtime", "-c", "--cpu-shares", "--cpus", "--cpuset-cpus",
    "--cpuset-mems", "--detach-keys", "--device", "--device-cgroup-rule", "--device-read-bps",
    "--device-read-iops", "--device-write-bps", "--device-write-iops", "--dns", "--dns-opt", "--dns-option",
    "--dns-search", "--domainname", "--entrypoint", "-e", "--env", "--env-file", "--expose", "--gpus",
    "--group-add", "--health-cmd", "--health-interval", "--health-retries", "--health-start-interval",
    "--health-start-period", "--health-timeout", "-h", "--hostname", "--io-maxbandwidth", "--io-maxiops", "--ip",
    "--ip6", "--ipc", "--isolation", "--kernel-memory", "-l", "--label", "--label-file", "--link",
    "--link-local-ip", "--log-driver", "--log-opt", "--mac-address", "-m", "--memory", "--memory-reservation",
    "--memory-swap", "--memory-swappiness", "--mount", "--name", "--net", "--network", "--net-alias",
    "--network-alias", "--oom-score-adj", "--pid", "--pids-limit", "--platform", "-p", "--publish", "--pull",
    "--restart", "--runtime", "--security-opt", "--shm-size", "--stop-signal", "--stop-timeout", "--storage-opt",
    "--sysctl", "--tmpfs", "--ulimit", "-u", "--user", "--userns", "--uts", "-v", "--volume", "--volume-driver",
    "--volumes-from", "-w", "--workdir",
    # podman-run(1)'s own
    "--arch", "--authfile", "--cert-dir", "--cgroup-conf", "--cgroups", "--chrootdirs", "--conmon-pidfile",
    "--creds", "--decryption-key", "--env-merge", "--gidmap", "--group-entry", "--hostuser", "--image-volume",
    "--init-path", "--os", "--passwd-entry", "--personality", "--pidfile", "--pod", "--pod-id-file",
    "--preserve-fds", "--rdt-class", "--requires", "--sdnotify", "--seccomp-policy", "--secret", "--shm-size-systemd",
    "--subgidname", "--subuidname", "--timeout", "--tz", "--uidmap", "--umask", "--unsetenv", "--variant",
    "--hooks-dir", "--retry", "--retry-delay", "--systemd", "--preserve-fd", "--health-on-failure",
    "--health-startup-cmd", "--health-startup-interval", "--health-startup-retries", "--health-startup-success",
    "--health-startup-timeout", "--health-log-destination", "--health-max-log-count", "--health-max-log-size",
})
#: the options of ``run``/``create`` (and ``exec``) that take no value: Docker's, podman-run(1)'s, nerdctl's
#: (``--sig-proxy=false`` is one with its value); an option in neither table is not known here, and where the
#: image ends is then not known either
CONTAINER_RUN_FLAGS = frozenset({
    "--rm", "-d", "--detach", "-i", "--interactive", "-t", "--tty", "--init", "--privileged", "-P", "--publish-all",
    "--read-only", "--no-healthcheck", "--oom-kill-disable", "--sig-proxy", "-q", "--quiet",
    "--disable-content-trust", "--help", "--use-api-socket",
    # podman-run(1)'s, nerdctl run's
    "--env-host", "--http-proxy", "--no-hosts", "--read-only-tmpfs", "--replace", "--rootfs", "--tls-verify",
    "--unsetenv-all", "--passwd", "--rmi", "--latest", "-l", "--insecure-registry",
})
#: ``docker exec``/``podman exec``'s options that take a value
CONTAINER_EXEC_VALUED = frozenset({"-e", "--env", "--env-file", "-u", "--user", "-w", "--workdir", "--detach-keys",
                                   "--preserve-fds"})
#: the container client's global options before its sub-command that take a value (``docker -H HOST``,
#: ``docker --context X``, ``podman --root DIR``, ``nerdctl --namespace k8s.io``)
CONTAINER_GLOBAL_VALUED = frozenset({
    "-H", "--host", "--config", "-c", "--context", "-l", "--log-level", "--tlscacert", "--tlscert", "--tlskey",
    "--root", "--runroot", "--storage-driver", "--storage-opt", "--url", "--connection", "--identity",
    "--cgroup-manager", "--events-backend", "--runtime", "--network-cmd-path", "--tmpdir", "--conmon",
    "--namespace", "-n", "--address", "-a", "--snapshotter", "--cni-path", "--cni-netconfpath", "--data-root",
    "--hosts-dir", "--module",
})
#: ``docker compose``/``docker-compose``'s global options that take a value, and those of its ``run``/``exec``
COMPOSE_GLOBAL_VALUED = frozenset({"-f", "--file", "-p", "--project-name", "--project-directory", "--env-file",
                                   "--profile", "--ansi", "--progress", "--parallel", "-H", "--host", "--context",
                                   "--log-level"})
COMPOSE_RUN_VALUED = frozenset({"-e", "--env", "-l", "--label", "--name", "-p", "--publish", "-u", "--user", "-v",
                                "--volume", "-w", "--workdir", "--entrypoint", "--cap-add", "--cap-drop", "--pull",
                                "--index", "--env-from-file"})
#: the global options that take no value (``docker -D``, ``--tls``; ``podman --remote``; compose's
#: ``--compatibility``), and compose run/exec's (``--rm``, ``--no-deps``, ``-T``)
CONTAINER_GLOBAL_FLAGS = frozenset({"-D", "--debug", "--tls", "--tlsverify", "-v", "--version", "--help", "-r",
                                    "--remote", "--syslog", "--debug-full", "--experimental",
                                    "--insecure-registry", "--compatibility", "--dry-run", "--all-resources",
                                    "--verbose", "--no-ansi"})
COMPOSE_RUN_FLAGS = frozenset({"--rm", "-d", "--detach", "--no-deps", "-T", "--no-TTY", "--service-ports",
                               "--use-aliases", "--build", "--quiet-pull", "--remove-orphans", "-P", "-i",
                               "--interactive", "-t", "--tty", "--privileged", "--no-tty", "--help",
                               "--quiet-build"})


def _container_command_start(rest: list[Token], at: int) -> int | None:
    """Where the command the container runner ``rest[at]`` runs in the container begins: the word after the
    image of ``docker run [options] IMAGE`` (``podman``/``nerdctl``, ``docker container run``, ``create``), after
    the container of ``docker exec [options] CONTAINER``, after the service of ``docker compose [options]
    run|exec [options] SERVICE``, read with each client's options that take a value (an option's value, ``--name
    huey_consumer``, is neither the image nor the program); ``len(rest)`` when it gives none (the image's own
    command runs); None for another sub-command or a word not known here."""
    starts = _container_command_starts(rest, at)  # (one reading: every option before the command is known)
    return starts[0] if starts is not None and len(starts) == 1 else None


def _container_command_starts(rest: list[Token], at: int) -> tuple[int, ...] | None:
    """Where the container's command may begin (:func:`_container_command_start`), one place per reading of the
    client's options: an option not known here before a word is a flag or takes that word as its value, so each
    such option gives two readings (at most :data:`_READINGS_CAP` options are read so; more: None).  A reading
    whose command would begin with an option (``--name``) or a value of one is no command at all and is left out
    while another reading remains."""
    runner = base(rest[at].text)
    compose = runner in ("docker-compose", "podman-compose")
    start = at + 1
    index = _skip_options(rest, start, COMPOSE_GLOBAL_VALUED if compose else CONTAINER_GLOBAL_VALUED)
    if not _options_known(rest, start, index, COMPOSE_GLOBAL_VALUED if compose else CONTAINER_GLOBAL_VALUED,
                          CONTAINER_GLOBAL_FLAGS):
        return None
    if not compose and index < len(rest) and rest[index].text == "compose":
        compose = True
        start = index + 1
        index = _skip_options(rest, start, COMPOSE_GLOBAL_VALUED)
        if not _options_known(rest, start, index, COMPOSE_GLOBAL_VALUED, CONTAINER_GLOBAL_FLAGS):
            return None
    if not compose and index < len(rest) and rest[index].text == "container":
        index += 1
    if index >= len(rest) or not rest[index].literal or rest[index].text not in ("run", "exec", "create"):
        return None
    sub = rest[index].text
    valued = COMPOSE_RUN_VALUED if compose else CONTAINER_EXEC_VALUED if sub == "exec" else CONTAINER_RUN_VALUED
    ends = _option_ends(rest, index + 1, valued, COMPOSE_RUN_FLAGS if compose else CONTAINER_RUN_FLAGS, _READINGS_CAP)
    if not ends:
        return None
    # (the image, or the container or service, is the word where the options end)
    readings = sorted({min(end + 1, len(rest)) for end in ends
                       if all(token.literal for token in rest[at:end + 1])})  # a variable may hold several words
    if len(readings) != len(ends) or not readings:
        return None
    plain = tuple(start for start in readings if start >= len(rest) or not rest[start].text.startswith("-"))
    return plain or tuple(readings)


#: how many options not known here one command may hold and still be read both ways (a flag, or one taking the
#: next word): each doubles the readings
_READINGS_CAP = 3


def _option_ends(rest: list[Token], index: int, valued: frozenset[str], flags: frozenset[str],
                 budget: int) -> set[int]:
    """Where the client's options starting at ``rest[index]`` may end (the index of the first word that is no
    option nor an option's value), read as :func:`_options_known` reads them; an option in neither ``valued`` nor
    ``flags`` before a word is read both ways while ``budget`` lasts (empty set: too many)."""
    while index < len(rest):
        text = rest[index].text
        if text == "--":
            return {index + 1}
        if not text.startswith("-") or text == "-":
            return {index}
        name = text.split("=", 1)[0]
        if name in valued:
            index += 1 if "=" in text else 2
            continue
        if name in flags or "=" in text or _bare_flag(rest, index):
            index += 1
            continue
        step = _cluster_step(text, valued, flags)
        if step is not None:
            index += step
            continue
        if budget <= 0:
            return set()
        flag = _option_ends(rest, index + 1, valued, flags, budget - 1)
        taking = _option_ends(rest, index + 2, valued, flags, budget - 1)
        if not flag or not taking:
            return set()
        return flag | taking
    return {index}


def _cluster_step(text: str, valued: frozenset[str], flags: frozenset[str]) -> int | None:
    """How many words a cluster of known short options takes (``-it``: 1, ``-dp 8080:80``: 2, ``-eA=1``: 1); None
    when ``text`` is no such cluster."""
    if text.startswith("--") or len(text) < 3:
        return None
    for at, letter in enumerate(text[1:], start=1):
        if f"-{letter}" in valued:
            return 1 if text[at + 1:] else 2
        if f"-{letter}" not in flags:
            return None
    return 1


def _options_known(rest: list[Token], start: int, end: int, valued: frozenset[str], flags: frozenset[str]) -> bool:
    """Whether every option among ``rest[start:end]`` (a client's options, values skipped) is one of ``valued`` or
    ``flags`` (``--name=x``, ``--sig-proxy=false`` by its name; a cluster of short ones, ``-it``, ``-dp``, letter by
    letter up to one that takes a value), or followed by another option: an option of neither before a word may
    take that word as its value or not, so the words after it are not told apart."""
    index = start
    while index < end:
        text = rest[index].text
        if text == "--" or not text.startswith("-") or text == "-":
            index += 1
            continue
        name = text.split("=", 1)[0]
        if name in valued:
            index += 1 if "=" in text else 2
            continue
        if name in flags or "=" in text or _bare_flag(rest, index):
            index += 1
            continue
        step = _cluster_step(text, valued, flags)  # -it, -dit, -dp 8080:80, -eA=1
        if step is None:
            return False
        index += step
    return True


def _bare_flag(rest: list[Token], index: int) -> bool:
    """Whether the option ``rest[index]``, not known here, can only be a flag: another option follows it (or
    nothing), so no word can be its value."""
    return index + 1 >= len(rest) or rest[index + 1].text.startswith("-")


def _container_user(loc: Loc) -> Val[str]:
    """The user a container runner's consumer runs as: the container's (the image's ``USER``, or ``docker run
    --user``), unknown here, never the user the platform runs the container client as."""
    return Val.unknown_at(loc, "the container's user")


def _in_program_place(tokens: list[Token], index: int) -> bool:
    """``tokens[index]`` (a consumer's name) stands where a program does, several words after the one
    that runs it: after ``manage.py``/``manage``/``django-admin`` (``docker run IMAGE python manage.py
    run_huey``, ``-- manage run_huey``), or a ``huey_consumer`` given an app path, not an option's value
    (``docker run IMAGE huey_consumer app.huey``, ``watchexec -r -- huey_consumer app.huey``; not ``logger -t
    run_huey``, ``supervisorctl restart huey_consumer``)."""
    before = tokens[index - 1].text
    after = tokens[index + 1].text if index + 1 < len(tokens) else ""
    if before.startswith("-") and before != "--" and "=" not in before:  # `--` ends the options: a program follows
        # an option's value it is (unless the option holds its own: ``--nofile=1024 huey_consumer``), or the program
        # of a launcher whose flag takes no value, given a Python app path (``authbind --deep huey_consumer
        # app.tasks.huey``: an image ``--name huey_consumer ghcr.io/x/app`` is no dotted path of identifiers)
        return base(tokens[index].text) in CONSUMER_SCRIPTS and _APP_PATH.fullmatch(after) is not None and \
            not _names_only(tokens, index)
    if _is_manage_py(before) or base(before) == "manage":
        return True
    if before == "django" and index >= 2 and tokens[index - 2].text == "-m":
        return True  # ``mywrap python -m django run_huey``: django's __main__ is django-admin
    return base(tokens[index].text) in CONSUMER_SCRIPTS and "." in after and not after.startswith("-") and \
        not _names_only(tokens, index)


def _names_only(tokens: list[Token], index: int) -> bool:
    """A program before ``tokens[index]`` only names it, runs no command (``killall -s INT huey_consumer``,
    ``echo huey_consumer app.huey``, ``ls -l huey_consumer app.huey``)."""
    return any(base(token.text) in _NAMES_PROCESSES for token in tokens[:index])


#: programs that take a process's, a log's or a file's name as an argument and run no command (``logger -t
#: huey_consumer``, ``pkill -f huey_consumer``, ``supervisorctl -c x.conf restart huey_consumer``, ``echo -e
#: huey_consumer app.huey``, ``ls -l huey_consumer``)
_NAMES_PROCESSES = frozenset({"logger", "pkill", "pgrep", "killall", "pidof", "kill", "ps", "systemctl", "service",
                              "supervisorctl", "journalctl", "grep", "echo", "printf", "which",
                              "whereis", "cat", "ls", "ln", "cp", "mv", "chmod", "chown", "rm", "touch", "tail",
                              "head", "stat", "readlink", "realpath"})
#: a Python import path of a huey instance as ``huey_consumer`` takes it (``app.tasks.huey``): identifiers and dots
_APP_PATH = lazy_pattern(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")


def _consumer_module(tokens: list[Token], start: int) -> int | None:
    """Index of ``huey.bin.huey_consumer`` run as a module by a Python interpreter from ``start`` on (``python3 -u
    -m huey.bin.huey_consumer app.huey`` after a launcher hueylint does not know), else None."""
    for index in range(start + 2, len(tokens)):
        if tokens[index].text == CONSUMER_MODULE and tokens[index - 1].text == "-m":
            # the interpreter among the words before it (a launcher's option values, python's own -u, -X dev)
            return index if any(base(token.text).startswith("python") for token in tokens[start:index - 1]) else None
    return None


def _repo_file(ctx: _Ctx, word: str) -> str | None:
    """The repository file ``word`` names when the resolver has a workspace (see :class:`Resolver`)."""
    ws = getattr(ctx.resolver, "ws", None)
    if ws is None:
        return None
    return repo_file(ws, word, ctx.origin)


def _drop(ctx: _Ctx, what: str, loc: Loc, why: str) -> None:
    """Record a launch candidate that was considered and dropped (see :class:`Resolver`)."""
    dropped = getattr(getattr(ctx.resolver, "ws", None), "dropped", None)
    if isinstance(dropped, list):
        item = Dropped(what, why, loc)
        if item not in dropped:
            dropped.append(item)


def _python_entry_hit(target: Token, args: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    """A Python entry point that starts a consumer in code (the app layer decides), else nothing."""
    if not target.literal:
        return []
    finder = _entry_finder(ctx)
    if finder is None:
        return []
    words = [t.text for t in args]
    entry = finder(target.text, ctx.origin, words)
    if entry is None and target.loc.path and target.loc.path != ctx.origin.path and \
            target.loc.path.rpartition("/")[0] != (ctx.origin.path or "").rpartition("/")[0]:
        # written in a script of another folder (``exec python /leader.py`` in ``compose/backend/start.sh``,
        # run by a chart's manifest): also looked up from the script, as its ``COPY`` puts them side by side
        entry = finder(target.text, target.loc, words)
    if entry is None:
        return []
    if entry.kind == "vendored":
        return [ConsumerHit("huey_consumer", args, target.loc, script_path=entry.rel)]
    if entry.kind == "django":  # a Django command line (``execute_from_command_line``) under another name
        found = _django(args, target.loc, ctx)
        if found or target.text.startswith(CLI_PROGRAM_PREFIX):  # (a manage.py: :func:`_manage` says it)
            return found
        return _installed_command(args, ctx, clipped(target.text[3:] if target.text.startswith("-m ") else target.text))
    if entry.kind in DJANGO_COMMANDS:  # a project command subclassing ``run_huey``: run_huey's own options
        return [ConsumerHit(entry.kind, args, target.loc)]
    if entry.kind == "spawns" and entry.children:
        if ctx.depth >= MAX_DEPTH:  # the commands it starts would be one level deeper: not followed
            leads = _hinted(ctx) or any("huey" in word[0].lower() for child in entry.children for word in child.words)
            return _not_followed(f"`{clipped(target.text)}`", target, ctx, leads)
        name = f"manage.py {target.text[len(DJANGO_COMMAND_PREFIX):]}" \
            if target.text.startswith(DJANGO_COMMAND_PREFIX) else ""  # the project's own management command
        return [hit for child in entry.children for hit in _spawned(entry.rel, child, target, ctx, name=name)]
    if entry.kind == "consumer_main" and entry.argv is not None:
        return [_consumer_main_hit(entry.rel, entry.argv, target, args)]
    if entry.kind == "app-module":
        _app_module_run(entry, target, ctx)
        return []
    return [ConsumerHit("script", [], target.loc, script_path=entry.rel)]


#: the memo of the repo lines where a launch runs a module of the huey app that starts no consumer, or a management
#: command of an installed package (a notice said why: :func:`hueylint.launches.unfollowed_named_launch` says nothing
#: more there)
APP_MODULE_RUNS = "app-module-runs"


def _app_module_run(entry: PythonEntry, target: Token, ctx: _Ctx) -> None:
    """Say that the command runs ``entry.rel``, a module of the huey app that starts nothing when run (the app
    layer's ``app-module``): the process imports it and exits, so no consumer runs; a notice (``check``) and a
    dropped candidate (``inspect``) at the word, never silence."""
    ws = getattr(ctx.resolver, "ws", None)
    if ws is None or not hasattr(ws, "say"):
        return
    module = target.text[3:].strip() if target.text.startswith("-m ") else ""
    shown = f"python -m {module}" if module else f"python {clipped(target.text)}"
    consumer = f"`huey_consumer {module}.{entry.app}`" if module and entry.app else \
        f"a consumer of its instance `{entry.app}`" if entry.app else "a consumer of its huey instance"
    why = (f"runs `{shown}`, the huey app's module `{entry.rel}`, which starts no consumer when run (it only "
           f"imports, defines and assigns: no `if __name__ == \"__main__\":` block, no call of its own): the "
           f"process imports it and exits, so no task runs; start {consumer} instead")
    for loc in (target.loc, ctx.origin):
        if loc.path:
            ws.memo((APP_MODULE_RUNS,), set).add((loc.path, loc.line))
    _drop(ctx, f"`{shown}`", target.loc, why)
    ws.say(Notice(target.loc.path or ctx.origin.path or "", f"line {target.loc.line or ctx.origin.line}: {why}: "
                  "no consumer launch"))


def _consumer_main_hit(rel: str, argv: ConsumerArgv, target: Token, args: list[Token]) -> ConsumerHit:
    """A program running huey's consumer in-process (``consumer_main()``): ``huey_consumer`` with the words
    huey reads from ``sys.argv`` (the launch's, with what the program inserts or appends, each at its place);
    unknown options when the program changes ``sys.argv`` in a way not read."""
    def words(found: tuple[tuple[str, int, int], ...]) -> list[Token]:
        return [Token(text, Loc(rel, line, col)) for text, line, col in found]

    if not argv.known:
        at = Loc(rel, argv.line, argv.col)
        return ConsumerHit("huey_consumer", [], target.loc, script_path=rel, options_unknown=True,
                           unresolved=[Unresolved(f"`sys.argv` of `{rel}`", "changed at run time before "
                                                  "`consumer_main()`", at)])
    own = args if argv.keeps_args else []
    # the launch's own words, which the program's `sys.argv = [...]` throws away before huey parses it
    dropped = [] if argv.keeps_args or not args else [
        Problem(args[0].loc, kind="args-replaced", option=clipped(" ".join(token.text for token in args)),
                said=f"{rel}:{argv.line}")]
    return ConsumerHit("huey_consumer", [*words(argv.before), *own, *words(argv.after)], target.loc, script_path=rel,
                       problems=dropped)


def _spawned(rel: str, child: SpawnedChild, target: Token, ctx: _Ctx, name: str = "",
             how: str = "program") -> list[ConsumerHit]:
    """The consumer a repository Python program starts as its child process (``subprocess.Popen([...])``):
    followed from the program's call, behind a hop for the program.  When it sends its child a signal on
    stop (``terminate()``: SIGTERM), that is the signal the consumer gets (a supervisor's, like
    supervisord's ``stopsignal``), and a ``wait(timeout=N)`` before its ``kill()`` the deadline; when it
    sends none, it passes no signal on (a ``forks`` wrapper: HL201)."""
    first = child.words[0]
    at = Loc(rel, first[1], first[2])
    name = name or f"python {posixpath.basename(rel)}"
    inner = ctx.deeper(target.loc, name, rel)
    if child.shell:
        hits = _shell_string(Token(first[0], at), Token("sh", at), replace(inner, origin=at), "", [])
    else:
        hits = _resolve([Token(text, Loc(rel, line, col)) for text, line, col in child.words], inner)
    deadline = None if child.deadline is None or child.deadline_at is None else \
        Val(child.deadline, Loc(rel, child.deadline_at[1], child.deadline_at[2]))
    forks = False
    if child.replaces:  # ``os.execvp``: the consumer is the program's process, as after a shell's ``exec``
        hop = Hop("launcher", name, at, detail="replaces itself with the consumer (`os.exec*`)")
    elif child.forwards and child.sends_at is not None:  # a handler relays what it receives, as a shell's trap
        hop = Hop("launcher", name, at, deadline=deadline, detail="starts the consumer as its child process and "
                  f"forwards it the signal it receives (`{child.sends_at[0]}`)")
    elif child.sends is not None and child.sends_at is not None:
        sends = Val(child.sends, Loc(rel, child.sends_at[1], child.sends_at[2]))
        hop = Hop("supervisor", name, at, sends=sends, deadline=deadline,
                  detail=f"starts the consumer as its child process and sends it `{child.sends_at[0]}` when stopped")
    else:  # severe: nothing ever signals the consumer (the program dies, its child is killed with the container)
        hop, forks = Hop("launcher", name, at, passes_signal=False,
                         detail="starts the consumer as its child process; sends it no signal when stopped"), True
    if child.elected is not None:  # it starts the consumer only while it holds the Lease: one pod at a time
        hop = replace(hop, elected=Loc(rel, child.elected[1], child.elected[2]))
    for hit in hits:
        hit.hops.insert(0, hop)  # (hops are frozen: one serves every hit)
        if forks and not any(problem.kind == "background" for problem in hit.wrappers):
            # (a command string that backgrounds the consumer, `os.system("huey_consumer app.huey &")`, returns at
            # once: the consumer is orphaned whatever the program does, which the background problem says)
            hit.wrappers.append(WrapperProblem("forks", f"`{name}`", _join(ctx.head(), ((at, name),)),
                                               branch=hit.branch, severe=True, how=how))
    return hits


def _config_token(rest: list[Token], config: str | None) -> Token | None:
    if config is None:
        return None
    for token in rest[1:]:
        if token.text == config or token.text.endswith("=" + config) or token.text.endswith(config):
            return Token(config, token.loc)
    return None


_FILLED_AT_RUN_TIME = lazy_pattern(r"[$`{}()*?\[\]]")


def _known_tail(text: str) -> str | None:
    """``{{ home }}/{{ app }}/run_huey.sh`` (a template's placeholders), ``${APP_DIR}/bin/start.sh`` (a variable
    hueylint cannot know): the literal path after the last part filled at run time, as an absolute path whose
    leading folders are unknown (``/run_huey.sh``, ``/bin/start.sh``), looked up as such (by the tail's place
    below the launching file's folders, else the repository's only file of that name).  None when the file name
    itself is not literal, or the word shows no unknown part (a value assigned on some paths only)."""
    if "$" not in text and not templated(text):
        return None
    parts = text.split("/")
    unknown = [index for index, part in enumerate(parts) if _FILLED_AT_RUN_TIME.search(part)]
    tail = parts[unknown[-1] + 1:] if unknown else []
    if not tail or any(part in ("", ".", "..") for part in tail):
        return None
    return "/" + "/".join(tail)


def _find_script(word: Token, ctx: _Ctx) -> SourceFile | None:
    """Ask the resolver with the launch origin (it knows the image layout), then with the script line.  Also
    beyond :data:`MAX_DEPTH`: :func:`_script` says where following stops, never silently."""
    if not word.literal:
        tail = _known_tail(word.text)
        if tail is None:
            return None
        word = Token(tail, word.loc)
    cwd = ctx.cwd
    found = None
    if cwd is not None and cwd.known and isinstance(cwd.value, str) and not word.text.startswith("/"):
        # `cd backend && ./run.sh`: the shell looks the relative path up in the folder it moved to
        found = ctx.resolver.script(posixpath.normpath(posixpath.join(cwd.value, word.text)), ctx.origin)
    found = found or ctx.resolver.script(word.text, ctx.origin)
    if found is None and ctx.trail and ctx.trail[-1][0] != ctx.origin:
        found = ctx.resolver.script(word.text, ctx.trail[-1][0])
    return found


def _python(rest: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    index = 1
    while index < len(rest) and rest[index].text.startswith("-"):
        flag = rest[index].text
        if flag == "-m" and index + 1 < len(rest):
            module = rest[index + 1].text
            if module == CONSUMER_MODULE:
                return [ConsumerHit("huey_consumer", rest[index + 2:], rest[0].loc)]
            if module == "django":  # django/__main__.py: django-admin's management utility (`python -m django run_huey`)
                return _django(rest[index + 2:], rest[index + 1].loc, ctx, "django-admin") or \
                    _installed_command(rest[index + 2:], ctx, "python -m django")
            return _python_entry_hit(Token(f"-m {module}", rest[index + 1].loc), rest[index + 2:], ctx) or \
                _huey_module(rest, index + 1) or _unresolved(rest, index + 1, ctx, module=module)
        if flag == "-c":
            return _python_code(rest, index, ctx)
        index += 2 if flag in ("-W", "-X") else 1
    if index >= len(rest):
        return []
    target = _found_on_path(rest[index])
    if _is_manage_py(target.text):
        return _manage(target, rest[index + 1:], ctx)
    if base(target.text) in CONSUMER_SCRIPTS:
        # `python huey_consumer.py` runs the file at that path (python does not search PATH): the repository's
        # own script of that name when there is one (a copy of huey's, or code of its own ignoring the options);
        # else the one pip installed (under a `bin/` folder, or found on PATH by `$(which ...)`)
        return _python_entry_hit(target, rest[index + 1:], ctx) or \
            [ConsumerHit("huey_consumer", rest[index + 1:], target.loc, script_path=target.text,
                         installed_script=target.text if _installed(target, rest[index], ctx) else "")]
    if target.text.endswith(".py"):
        return _python_entry_hit(target, rest[index + 1:], ctx) or _unresolved(rest, index, ctx)
    return _unresolved(rest, index, ctx) if not target.literal else []


def _huey_module(rest: list[Token], at: int) -> list[ConsumerHit]:
    """``python -m huey_consumer app.huey`` (``-m huey``, ``-m huey.consumer``, ``-m huey_consumer.py``): a module
    named for huey that the repository does not hold (the caller asked first) and that is not
    :data:`CONSUMER_MODULE`, the only module of huey that starts a consumer when run (huey 3.5.4: the only
    ``if __name__ == '__main__'`` of the package, ``huey/bin/huey_consumer.py``; ``huey_consumer`` is a console
    script, no module).  Python exits at once (no such module, a package it cannot run, or a module that starts
    nothing), so no consumer ever runs: one launch whose command line is refused (HL002, which says why), its
    options read as ``huey_consumer``'s, as the fix would run them.  Else nothing."""
    module = rest[at].text
    top = module.split(".")[0]
    if top not in ("huey", "huey_consumer") and module != "huey_consumer.py":
        return []
    if module.endswith(".py"):
        said = f"a module name takes no `.py`, so Python finds no module `{module}` and exits"
    elif top == "huey_consumer":
        said = (f"huey installs no module `{module}` (`huey_consumer` is its console script, a program on PATH), so "
                f"Python exits with \"No module named {module}\"")
    elif module == "huey":
        said = "`huey` is a package with no `__main__` module: Python exits (\"cannot be directly executed\")"
    else:
        said = (f"of huey's modules only `{CONSUMER_MODULE}` starts a consumer when run, so Python exits at once "
                f"(`{module}` is a package it cannot run, a module that starts nothing, or no module of huey)")
    problem = Problem(rest[at].loc, kind="module-not-consumer", option=f"{base(rest[0].text)} -m {module}",
                      said=said, to=CONSUMER_MODULE)
    return [ConsumerHit("huey_consumer", rest[at + 1:], rest[0].loc, problems=[problem])]


def _python_code(rest: list[Token], at: int, ctx: _Ctx) -> list[ConsumerHit]:
    """``python -c CODE [args]``: the code is not read as Python; when it starts a consumer by the look of it
    (:data:`_CONSUMER_CODE`: ``from huey.bin.huey_consumer import consumer_main; consumer_main()``,
    ``call_command("run_huey")``) it is a launch not followed (HL004), else nothing (``import huey; huey.flush()``
    in an entrypoint is no launch)."""
    code = rest[at + 1] if at + 1 < len(rest) else None
    if code is None or not _CONSUMER_CODE.search(code.text):
        return []
    what = f"`{base(rest[0].text)} -c {clipped(code.text, 40)}`"
    return [ConsumerHit("unknown", [], code.loc, unresolved=[Unresolved(what, PYTHON_CODE_WHY, code.loc)],
                        options_unknown=True)]


#: Python code that starts a consumer: huey's consumer entry points, the consumer class, Django's commands
_CONSUMER_CODE = lazy_pattern(r"consumer_main|create_consumer|\bConsumer\(|huey_consumer|\brun_huey\b|\bdjangohuey\b")
#: :attr:`Unresolved.why` of ``python -c CODE`` that starts a consumer
PYTHON_CODE_WHY = "Python code given on the command line is not read"


def _installed(target: Token, written: Token, ctx: _Ctx) -> bool:
    """``python /usr/local/bin/huey_consumer.py`` / ``python $(which huey_consumer.py)``: the script pip installed
    (in a ``bin/`` folder, or found on PATH), not a copy the repository vendors (none is named so)."""
    if target is written and "/bin/" not in target.text:
        return False
    ws = getattr(ctx.resolver, "ws", None)
    files_named = getattr(ws, "files_named", None)
    return files_named is None or not files_named(base(target.text))


def _django(args: list[Token], loc: Loc, ctx: _Ctx | None = None, manage: str = "") -> list[ConsumerHit]:
    """A Django command line (``manage.py``, ``django-admin``): ``run_huey``/``djangohuey``, or one of the
    project's own management commands (``app/management/commands/NAME.py``) whose code starts a consumer
    (a copy of ``run_huey`` building ``Consumer(...)``, ``call_command("run_huey")``: the app layer reads it).
    ``manage``: the manage.py path as written; one in another folder (``python /app/site/manage.py``) is the
    hit's script, whose folder Python puts first on ``sys.path`` (the app layer imports the settings from it)."""
    script = manage if base(manage) == "manage.py" and posixpath.dirname(manage) not in ("", ".") else None
    for position, token in enumerate(args):
        if token.text in DJANGO_COMMANDS:
            return [ConsumerHit(token.text, args[:position] + args[position + 1:], loc, script_path=script,
                                subcommand=token.loc)]
        if not token.text.startswith("-"):
            if ctx is not None and not token.literal:  # ``manage.py "$HUEY_COMMAND"``: HL004 when it mentions huey
                return _unresolved(args, position, ctx)
            if ctx is None or "/" in token.text:
                return []
            return _python_entry_hit(Token(f"{DJANGO_COMMAND_PREFIX}{token.text}", token.loc), args[position + 1:], ctx)
    return []


def _manage(target: Token, args: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    """``manage.py ARGS`` (``django-admin``): a Django command line (:func:`_django`), else the project's own
    click/argparse program of that name (:func:`_cli_program`), else a notice for a management command named for huey
    that neither is (:func:`_installed_command`)."""
    found = _django(args, target.loc, ctx, target.text) or _cli_program(target, args, ctx)
    if found or not _django_program(target, ctx):
        return found
    return _installed_command(args, ctx, base(target.text))


def _django_program(target: Token, ctx: _Ctx) -> bool:
    """Is the ``manage.py`` ``target`` Django's command line: ``django-admin``, or a ``manage.py`` whose file mentions
    Django (the one the launch runs, else, when that is not found here, any of the repository's; with none in the
    repository it is taken for Django's, as its name says)?  A Flask or click ``manage.py`` is a program of its own,
    whose sub-commands are no management commands."""
    if base(target.text) != "manage.py":
        return True
    found = _find_script(target, ctx) if target.literal else None
    if found is not None:
        return "django" in found.text.lower()
    ws = getattr(ctx.resolver, "ws", None)  # not found from the launch (a unit's /srv/app): the repository's own
    files = [ws.file(rel) for rel in ws.files_named("manage.py")] if ws is not None and hasattr(ws, "files_named") \
        else []
    return not files or any(src is not None and "django" in src.text.lower() for src in files)


def _installed_command(args: list[Token], ctx: _Ctx, program: str) -> list[ConsumerHit]:
    """A Django command line whose management command is named for huey (``run_hueyx``, ``huey_worker``) but is
    neither huey's nor django-huey's (:data:`~hueylint.hueyfacts.DJANGO_COMMANDS`,
    :data:`~hueylint.hueyfacts.DJANGO_OTHER_COMMANDS`) nor one of the repository (no
    ``management/commands/NAME.py`` here): a command of an installed third-party app, not read.  A notice says that
    whether it starts a consumer, and its options, were not checked (never silence), and ``inspect`` lists it as a
    dropped candidate; no launch, no finding.  Always ``[]``."""
    command = next((token for token in args if not token.text.startswith("-")), None)
    ws = getattr(ctx.resolver, "ws", None)
    if command is None or not command.literal or "huey" not in command.text.lower() or \
            command.text in (*DJANGO_COMMANDS, *DJANGO_OTHER_COMMANDS) or ws is None or not hasattr(ws, "say"):
        return []
    name = command.text
    if "/" in name or any(posixpath.dirname(rel).endswith("management/commands")
                          for rel in ws.files_named(f"{name}.py")):
        return []  # the project's own command: the app layer read it (it starts no consumer)
    shown = " ".join([program, name, *(token.text for token in args[args.index(command) + 1:])])
    why = (f"runs `{clipped(shown)}`, the management command `{name}`, which neither huey (`run_huey`) nor django-huey "
           f"(`djangohuey`) provides and no app of this repository defines (no `management/commands/{name}.py`): a "
           "command of an installed package, not read, so whether it starts a consumer, and its options, were not "
           "checked")
    at = command.loc if command.loc.path else ctx.origin
    for loc in (command.loc, ctx.origin):
        if loc.path:
            ws.memo((APP_MODULE_RUNS,), set).add((loc.path, loc.line))
    _drop(ctx, f"`{clipped(shown)}`", at, why)
    ws.say(Notice(at.path or "", f"line {at.line}: {why}: no consumer launch"))
    return []


#: how :func:`_django` asks the app layer's ``python_entry`` hook for the project's management command ``NAME``
DJANGO_COMMAND_PREFIX = "django-command:"
#: how :func:`_cli_program` asks it for a ``manage.py`` that is no Django command line: the consumer counts only
#: in the sub-command the launch's words select
CLI_PROGRAM_PREFIX = "cli-program:"


def _cli_program(target: Token, args: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    """A ``manage.py`` no Django command runs the consumer of: the project's own click/argparse program of that
    name (Flask's ``manage.py huey`` whose ``@cli.command('huey')`` builds ``huey.create_consumer()``; field test:
    blockpy-edu/blockpy-server), a consumer launch when the sub-command its words select starts one."""
    if not target.literal or not any(token.literal and not token.text.startswith("-") for token in args):
        return []
    return _python_entry_hit(Token(f"{CLI_PROGRAM_PREFIX}{target.text}", target.loc), args, ctx)


def _shell(rest: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    """``sh -c 'string' [$0 args...]`` or ``bash [-e] script.sh args...``."""
    index = 1
    if _reads_profiles(rest):
        ctx = replace(ctx, passed=None)  # a login or interactive shell runs profile files first: any variable
    at = shell_string_index([token.text for token in rest])
    if at is not None:
        if at >= len(rest):
            return []
        # `sh -c 'string' NAME ARGS...`: NAME is the string's `$0` (without it, the shell's own name)
        zero = rest[at + 1] if at + 1 < len(rest) else rest[0]
        return _shell_string(rest[at], rest[0], ctx, "", rest[at + 2:], name=zero.text if zero.literal else None)
    while index < len(rest) and rest[index].text[:1] in ("-", "+") and rest[index].text not in ("-", "+"):
        index += shell_option_words(rest[index].text)
    if ctx.stdin is not None and (index >= len(rest) or any(
            t.text.startswith("-") and not t.text.startswith("--") and "s" in t.text for t in rest[1:index])):
        # bash(1) INVOCATION: no operand, or `-s`: the commands are read from the standard input, here the
        # here-document or here-string the command is given (`bash -s <<EOF ... EOF`); the operands after `-s`
        # are its positional parameters
        name = base(rest[0].text)
        return _shell_string(_stdin_token(*ctx.stdin), rest[0], replace(ctx, stdin=None), f"{name} -s",
                             list(rest[index:]))
    if index < len(rest):
        word = rest[index]
        # bash(1) INVOCATION: a script name without a slash is opened in the working folder first, and looked up
        # on PATH only when no file there has that name (`RUN bash run_huey.sh` after `COPY run_huey.sh ./`)
        script = _find_script(Token("./" + word.text, word.loc), ctx) if word.literal and "/" not in word.text \
            else None
        script = script or _find_script(word, ctx)
        if script is not None:
            return _script(script, rest[index:], ctx)
        return _unresolved(rest, index, ctx)
    return []


def _reads_profiles(rest: list[Token]) -> bool:
    """``bash -l``/``--login``/``-i``/``--rcfile F`` (bash(1) INVOCATION): the shell sources profile or rc files
    before the command, so they may set any variable.  Only the options before the first operand count."""
    for word in rest[1:]:
        text = word.text
        if not text.startswith("-") or text in ("-", "--"):
            return False
        if text in ("--login", "--rcfile", "--init-file") or (not text.startswith("--") and ("l" in text or "i" in text)):
            return True
    return False


#: su(1)/runuser(1) options that take a value (util-linux su-common.c, getopt "c:fg:G:lmpPs:u:hVw:")
SU_VALUED = frozenset({"-c", "--command", "--session-command", "-g", "--group", "-G", "--supp-group", "-s", "--shell",
                       "-u", "--user", "-w", "--whitelist-environment"})


@dataclass(frozen=True)
class _SuWords:
    """``su``/``runuser`` as util-linux reads its words: getopt permutes, so options may follow the user."""

    command: Token | None = None  # ``-c``/``--command``/``--session-command`` STRING
    shell: Token | None = None  # ``-s``/``--shell``
    user: Token | None = None  # ``runuser -u USER``, else the first operand (after a lone ``-``)
    uopt: bool = False  # ``runuser -u``: the operands are the command itself, run without a shell
    login: bool = False  # ``-``, ``-l``, ``--login``
    operands: tuple[Token, ...] = ()  # after the user: the shell's arguments (``runuser -u``: the command)


def _su_words(rest: list[Token]) -> _SuWords:
    found: dict[str, Token] = {}
    login, operands, index = False, [], 1
    while index < len(rest):
        token, text = rest[index], rest[index].text
        if text == "--":
            operands += rest[index + 1:]
            break
        if text.startswith("--") and "=" in text:
            name, _, value = text.partition("=")
            found[name] = Token(value, token.loc)
        elif text in SU_VALUED:
            if index + 1 < len(rest):
                found[text] = rest[index + 1]
            index += 1
        elif text.startswith("-") and not text.startswith("--") and len(text) > 1:
            cluster = _cluster(text, frozenset(v for v in SU_VALUED if not v.startswith("--")))
            login = login or "l" in (text[1:] if cluster is None else text[1:text.index(cluster[0][1])])
            if cluster is not None:
                given = Token(cluster[1], token.loc) if cluster[1] is not None else \
                    (rest[index + 1] if index + 1 < len(rest) else None)
                if given is not None:
                    found[cluster[0]] = given
                index += 1 if cluster[1] is None else 0
        elif text == "--login":
            login = True
        elif not text.startswith("-") or text == "-":
            operands.append(token)
        index += 1
    if operands and operands[0].text == "-":
        login, operands = True, operands[1:]

    def pick(*names: str) -> Token | None:
        return next((found[name] for name in names if name in found), None)

    runuser = base(rest[0].text) == "runuser"
    uopt = runuser and pick("-u", "--user") is not None
    user = pick("-u", "--user") if uopt else (operands[0] if operands else None)
    return _SuWords(pick("-c", "--command", "--session-command"), pick("-s", "--shell"), user, uopt, login,
                    tuple(operands if uopt else operands[1:]))


def _su(rest: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    """``su USER -c STRING``, ``su -s SHELL USER -- ARGS`` and ``runuser -u USER [--] CMD``: util-linux builds
    su and runuser from su-common.c, which always forks (``create_watching_parent``): the command runs in a
    child that su waits for, whatever ``exec`` it holds, so each hit gets a launcher hop that passes no signal
    on and an ``su`` wrapper problem (HL201).  Without ``-c`` the child runs SHELL (``-s``, else the user's
    login shell from the password database, unknown here: not followed) with ARGS; ``runuser -u`` runs the
    command itself.  The user is the named one (su's default: root)."""
    words = _su_words(rest)
    name = base(rest[0].text)
    user = _su_user(words, name)
    if user is not None:
        ctx = replace(ctx, user=user)
    if words.login:
        ctx = replace(ctx, passed=None)  # `su - app -c`: a login shell, whose profile files may set any variable
    if words.command is not None and not words.uopt:
        runner = f"{name} -c"
        args = list(words.operands)
        hits = _shell_string(words.command, rest[0], ctx, runner, args[1:],
                             name=args[0].text if args and args[0].literal else None)
        for hit in hits:
            hit.user = hit.user or user
            hit.wrappers = [p for p in hit.wrappers if p.shell != f"`{runner}`"]
            hit.hops[0] = replace(hit.hops[0], passes_signal=False)
            hit.wrappers.append(WrapperProblem("su", f"`{runner}`", _join(ctx.head(), ((rest[0].loc, runner),)),
                                               branch=hit.branch))
        return hits
    runner = f"{name} -u" if words.uopt else name
    if words.uopt:
        inner = list(words.operands)
    elif words.shell is not None and words.operands:
        inner = [words.shell, *words.operands]
    elif words.operands and mentions_consumer(list(words.operands)):
        # ``su app -- -c "huey_consumer ..."``: the user's login shell, which the repository does not say
        what = f"`{' '.join(clipped(t.text) for t in rest[:3])}`"
        return [ConsumerHit("unknown", [], rest[0].loc, user=user, options_unknown=True, unresolved=[Unresolved(
            what, f"{name} runs the user's login shell (from the password database) with these arguments, "
                  "which is not followed", rest[0].loc)])]
    else:
        return []
    if not inner:
        return []
    deeper = _launcher_ctx(rest, ctx)
    if not isinstance(deeper, _Ctx):
        return deeper
    hits = _resolve(inner, deeper)
    for hit in hits:
        hit.user = hit.user or user
        hit.hops.insert(0, Hop("launcher", runner, rest[0].loc, passes_signal=False,
                               detail="a watching parent: SIGTERM to its child, SIGKILL 2 s later"))
        hit.wrappers.append(WrapperProblem("su", f"`{runner}`", _join(ctx.head(), ((rest[0].loc, runner),)),
                                           branch=hit.branch, how="same-session"))
    return hits


def _su_user(words: _SuWords, name: str) -> Val[str] | None:
    """The user su/runuser runs the command as (None: not named, su's default is root)."""
    token = words.user
    if token is None:
        return None
    if not token.literal:
        return Val.unknown_at(token.loc, f"{name} runs it as `{token.text}`, a user hueylint cannot expand")
    return Val(token.text, token.loc)


def _forking(rest: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    """``xvfb-run -a CMD ...``: the consumers CMD starts, each behind a launcher hop that passes no signal on
    and a ``forks`` wrapper problem (HL201), since ``exec`` before the wrapper cannot help."""
    word = base(rest[0].text)
    how = ""
    if word == "honcho":  # `honcho run CMD`: Popen, wait; SIGINT ignored, nothing forwarded (honcho/command.py)
        word, index = "honcho run", _honcho_run(rest) or len(rest)
        ctx = replace(ctx, passed=None)  # with the variables of its .env file
    elif word in ("conda", "mamba"):  # `conda run -n ENV CMD`: a child (through a script it writes), TERM not relayed
        word, index, how = f"{word} run", _conda_run(rest) or len(rest), "conda"
        ctx = replace(ctx, passed=None)  # with the environment's activation variables
    elif word == "micromamba":  # a child: SIGTERM passed on with SIGKILL 3 s later, SIGINT not (:func:`_conda_run`)
        word, index, how = "micromamba run", _conda_run(rest) or len(rest), "micromamba"
        ctx = replace(ctx, passed=None)  # with the environment's activation variables and its `-e` ones
    elif word == "setsid":  # `setsid -w` that forks (:func:`_setsid_waits`)
        word, index, how = "setsid -w", _skip_options(rest, 1, frozenset()), "setsid"
    else:
        index = _skip_options(rest, 1, FORKING_LAUNCHERS[word])
    if index >= len(rest):
        return []
    deeper = _launcher_ctx(rest, ctx)
    if not isinstance(deeper, _Ctx):
        return deeper
    hits = _resolve(rest[index:], deeper)
    for hit in hits:
        _behind_child_runner(hit, word, rest[0].loc, ctx, how, detail=(
            "runs the command as its child; passes SIGTERM on with SIGKILL 3 s later, not SIGINT"
            if how == "micromamba" else CHILD_NO_RELAY))
    return hits


#: a launcher hop's detail: it runs the command as its child and passes on none of the signals it receives
CHILD_NO_RELAY = "runs the command as its child; passes no signal on"


def _behind_child_runner(hit: ConsumerHit, name: str, loc: Loc, ctx: _Ctx, how: str = "",
                         detail: str = CHILD_NO_RELAY) -> None:
    """Put ``hit`` behind ``name`` (written at ``loc``), a launcher that runs the command as its child and keeps the
    stop signal from it: the launcher hop that breaks the chain (``detail``: what it does) and the ``forks`` wrapper
    problem HL201 reports (``how``: which kind, for its message and fix)."""
    hit.hops.insert(0, Hop("launcher", name, loc, passes_signal=False, detail=detail))
    hit.wrappers.append(WrapperProblem("forks", f"`{name}`", _join(ctx.head(), ((loc, name),)), branch=hit.branch,
                                       how=how))


#: screen(1) options that take a value (``-S NAME``, also as the last letter of a cluster: ``-dmS NAME``)
_SCREEN_VALUED = "ScehpstT"
#: tmux(1) options of ``new-session`` that take a value, and tmux's own before the command name
_TMUX_NEW_VALUED = frozenset({"-s", "-n", "-c", "-x", "-y", "-e", "-F", "-t", "-f"})
_TMUX_VALUED = frozenset({"-L", "-S", "-f", "-T"})
#: key names ``tmux send-keys`` types rather than text: the ones that end a command line
_TMUX_KEYS = frozenset({"Enter", "C-m", "KPEnter", "C-j"})
#: pm2(1) ``start`` options that take a value (pm2's commander definitions in bin/pm2 and lib/binaries/CLI.js)
_PM2_VALUED = frozenset({"-n", "--name", "-i", "--instances", "--interpreter", "--interpreter-args", "--node-args",
                         "--cwd", "-o", "--output", "-e", "--error", "-l", "--log", "--log-date-format", "--log-type",
                         "--max-memory-restart", "-c", "--cron", "--cron-restart", "--kill-timeout", "--listen-timeout",
                         "--restart-delay", "--exp-backoff-restart-delay", "--max-restarts", "--namespace", "--env",
                         "-p", "--pid", "--ignore-watch", "--wait-ready", "--source-map-support", "--filter-env",
                         "--instance-var", "--uid", "--gid", "--merge-logs", "--shutdown-with-message"})


def _detached_start(rest: list[Token], shell: bool = True) -> tuple[str, list[Token]] | None:
    """(the program as the message names it, the command it starts) when ``rest`` starts its command detached from
    itself, in a session of its own, and returns (or lives on apart): GNU ``screen -dm`` (``-d -m``: "start screen
    in detached mode", screen(1); ``-D -m`` stays in the foreground, not this), ``tmux new-session -d`` (its
    command, one word, is a string for the default shell), util-linux ``setsid`` (without ``-w``: with it setsid
    waits) when it forks: with ``-f``/``--fork``, or when it leads its process group, as a process a platform starts
    does (systemd's, runc's and the container's setsid(), supervisord's and tini's setpgid for their child), unlike
    a command of a shell (``shell``) without job control, which keeps the shell's group and is exec'd (setsid.c:
    ``if (getpgrp() == getpid())`` fork), and ``pm2 start`` (the command is handed to the pm2 daemon, which runs
    and restarts it; ``--no-daemon`` keeps pm2 in the foreground, not followed here).  None for anything else."""
    word = base(rest[0].text)
    if word == "screen":
        flags: set[str] = set()
        index = 1
        while index < len(rest) and rest[index].text.startswith("-") and rest[index].text != "-":
            text = rest[index].text
            if text in ("-Logfile", "-logfile"):
                index += 2
                continue
            for at, letter in enumerate(text[1:], start=1):
                flags.add(letter)
                if letter in _SCREEN_VALUED:
                    index += 0 if text[at + 1:] else 1
                    break
            index += 1
        if not {"d", "m"} <= flags or "D" in flags or index >= len(rest):
            return None
        return "screen -dm", rest[index:]
    if word == "tmux":
        at = _skip_options(rest, 1, _TMUX_VALUED)
        if at < len(rest) and rest[at].text in ("send-keys", "send"):
            # ``tmux send-keys -t app 'python manage.py run_huey' Enter``: the words are typed into the shell of a
            # pane; the key names end the line, the rest is the command line that shell runs
            start = _skip_options(rest, at + 1, frozenset({"-t", "-N"}))
            typed = [token for token in rest[start:] if token.text not in _TMUX_KEYS]
            if not typed:
                return None
            line = " ".join(token.text for token in typed)
            return "tmux send-keys", [Token("/bin/sh", typed[0].loc), Token("-c", typed[0].loc), Token(line, typed[0].loc)]
        if at >= len(rest) or rest[at].text not in ("new-session", "new"):
            return None
        start = _skip_options(rest, at + 1, _TMUX_NEW_VALUED)
        options = [t.text for t in rest[at + 1:start]]
        if not any(text.startswith("-") and not text.startswith("--") and "d" in text[1:]
                   and text not in _TMUX_NEW_VALUED for text in options) or start >= len(rest):
            return None
        inner = rest[start:]
        if len(inner) == 1:  # one word: a command string for the default shell
            inner = [Token("/bin/sh", inner[0].loc), Token("-c", inner[0].loc), inner[0]]
        return "tmux new-session -d", inner
    if word == "setsid":
        start, forks, waits = _setsid_options(rest)
        if not (forks or not shell) or waits or start >= len(rest):
            return None
        return "setsid -f" if forks else "setsid", rest[start:]
    if word == "pm2" and len(rest) > 2 and rest[1].text == "start":
        started = _pm2_started(rest, 2)
        if started is None or started[1]:
            return None  # (``--no-daemon``: pm2 in the foreground, :func:`_pm2_foreground`)
        return "pm2 start", started[0]
    return None


def _setsid_options(rest: list[Token]) -> tuple[int, bool, bool]:
    """(where util-linux ``setsid``'s command starts, whether it always forks (``-f``/``--fork``), whether it waits for
    it (``-w``/``--wait``))."""
    start = _skip_options(rest, 1, frozenset())
    written = [t.text for t in rest[1:start]]
    letters = "".join(text[1:] for text in written if not text.startswith("--"))
    return start, "f" in letters or "--fork" in written, "w" in letters or "--wait" in written


def _setsid_waits(rest: list[Token], shell: bool = True) -> bool:
    """``setsid -w CMD`` that forks (with ``-f``, or leading its process group: not ``shell``, see
    :func:`_detached_start`): the parent waits for the child and returns its exit status, and relays no signal
    (setsid.c: ``wait(&status)`` only); as a container's PID 1 it ignores SIGTERM, which it has no handler for.
    Without forking it execs the command, as without ``-w``."""
    if base(rest[0].text) != "setsid":
        return False
    start, forks, waits = _setsid_options(rest)
    return waits and (forks or not shell) and start < len(rest)


def _pm2_started(rest: list[Token], at: int) -> tuple[list[Token], bool] | None:
    """(the command pm2 starts, whether ``--no-daemon`` keeps pm2 in the foreground) from pm2's ``start`` words at
    ``at`` on: its target, a command line (``"python manage.py run_huey"``) or a script run by its interpreter
    (``--interpreter``, python for a ``.py``, ``none`` for a binary), with the words after ``--``; None without
    a target."""
    given: list[Token] = []
    target: Token | None = None
    args: list[Token] = []
    index = at
    while index < len(rest):
        token = rest[index]
        if token.text == "--":
            args = rest[index + 1:]
            break
        if token.text.startswith("-"):
            given.append(token)
            index += 2 if token.text in _PM2_VALUED else 1
            continue
        if target is None:
            target = token
        index += 1
    if target is None:
        return None
    interpreter = _option_value(rest, at, len(rest), ("--interpreter",), _PM2_VALUED)
    if any(ch.isspace() for ch in target.text):  # ``pm2 start "python manage.py run_huey"``: a command line
        inner = split_command_line(target.text, target.loc)
    elif interpreter is not None and interpreter.text != "none":  # `--interpreter none`: run as a binary
        inner = [interpreter, target]
    elif target.text.endswith(".py") and interpreter is None:  # pm2 runs a .py file with python
        inner = [Token("python", target.loc), target]
    else:
        inner = [target]
    return [*inner, *args], any(t.text == "--no-daemon" for t in given)


#: PM2's stop of an app (its "Graceful Stop" page): SIGINT, then SIGKILL after ``kill_timeout`` (1600 ms by default)
PM2_DEFAULT_KILL_TIMEOUT = 1.6


def _pm2_foreground(rest: list[Token]) -> tuple[list[Token], Token | None] | None:
    """(the command, the ``--kill-timeout`` value as written or None) when pm2 runs it in the foreground: the
    container form ``pm2-runtime [start] TARGET`` (``pm2-docker``, its former name) or ``pm2 start ... --no-daemon``;
    None otherwise (an ecosystem file is no command: :mod:`hueylint.unmodelled_supervisors` says so)."""
    word = base(rest[0].text)
    if word in ("pm2-runtime", "pm2-docker"):
        at = 2 if len(rest) > 1 and rest[1].text == "start" else 1
    elif word == "pm2" and len(rest) > 2 and rest[1].text == "start":
        at = 2
    else:
        return None
    started = _pm2_started(rest, at)
    if started is None or (word == "pm2" and not started[1]):
        return None
    inner = started[0]
    if inner and re.search(r"(?:^|[./-])(?:ecosystem|pm2)[\w.-]*\.(?:c?js|mjs|json|ya?ml)$", inner[-1].text) and len(inner) == 1:
        return None
    return inner, _option_value(rest, at, len(rest), ("--kill-timeout",), _PM2_VALUED)


def _pm2_supervised(rest: list[Token], inner: list[Token], timeout: Token | None, ctx: _Ctx) -> list[ConsumerHit]:
    """``pm2-runtime start "python manage.py run_huey"``: pm2 in the foreground as the platform's process, which on
    SIGINT/SIGTERM stops its apps the way ``pm2 stop`` does: SIGINT, then SIGKILL after ``kill_timeout``
    (``--kill-timeout MS``, 1600 ms by default; PM2's "Graceful Stop" page).  The consumers behind that supervisor hop."""
    deeper = _launcher_ctx(rest, ctx)
    if not isinstance(deeper, _Ctx):
        return deeper
    if timeout is None:
        deadline: Val[float] = Val.default(PM2_DEFAULT_KILL_TIMEOUT, "PM2 default kill_timeout: 1600 ms")
    elif timeout.literal and whole_number(timeout.text) is not None:
        deadline = Val(int(timeout.text) / 1000, timeout.loc)
    else:
        deadline = Val.unknown_at(timeout.loc, f"`--kill-timeout {clipped(timeout.text)}`")
    name = base(rest[0].text) if base(rest[0].text) != "pm2" else "pm2 --no-daemon"
    hop = Hop("supervisor", name, rest[0].loc, sends=Val.default("INT", "PM2 stops an app with SIGINT"),
              deadline=deadline, detail="stops its apps with SIGINT, then SIGKILL after kill_timeout")
    hits = _resolve(inner, deeper)
    for hit in hits:
        hit.hops.insert(0, hop)
    return hits


def _detaching(rest: list[Token], tool: str, inner: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    """``screen -dmS huey python manage.py run_huey`` (:func:`_detached_start`): the consumers the detached command
    starts, behind a launcher hop that passes no signal on and a severe ``background`` wrapper problem (HL201,
    ``how`` "detached"): the stop signal of whatever runs ``tool`` never reaches them (in a container they are
    killed when it stops; elsewhere they live on).  A script's own line replaces the problem by one that names
    the script and what it runs next (:func:`_judge`)."""
    if not inner:
        return []
    deeper = _launcher_ctx(rest, ctx)
    if not isinstance(deeper, _Ctx):
        return deeper
    hits = _resolve(inner, deeper)
    for hit in hits:
        hit.hops.insert(0, Hop("launcher", tool, rest[0].loc, passes_signal=False, detail=DETACHES))
        # a shell inside the session (tmux's command string) changes nothing while no signal gets there
        hit.wrappers = [problem for problem in hit.wrappers if problem.how == "detached"]
        hit.wrappers.append(WrapperProblem("background", f"`{tool}`", _join(ctx.head(), ((rest[0].loc, tool),)),
                                           branch=hit.branch, severe=True, how="detached", tool=f"`{tool}`"))
    return hits


# Secret managers' launch commands: each fetches secrets, puts them in the environment and runs the command.
# program -> (its launch sub-command, the options (its own and the tool's global ones) that take a value)
SECRET_RUNNERS: dict[str, tuple[str, frozenset[str]]] = {
    # Doppler CLI pkg/cmd/run.go (cobra): `doppler run [flags] [--] CMD` or `--command STRING`
    "doppler": ("run", frozenset({"-p", "--project", "-c", "--config", "--command", "--name-transformer",
                                  "--dynamic-ttl", "--fallback", "--passphrase", "--fallback-passphrase", "-t",
                                  "--token", "--api-host", "--dashboard-host", "--configuration", "--scope",
                                  "--timeout", "--attempts", "--mount", "--mount-format", "--mount-template",
                                  "--mount-max-reads", "--only-secrets", "--watch-interval",
                                  # pkg/cmd/root.go's persistent (global) flags that take a value
                                  "--config-dir", "--dns-resolver-address", "--dns-resolver-proto",
                                  "--dns-resolver-timeout"})),
    # 1Password CLI: `op run [--env-file FILE] [--no-masking] -- CMD` (closed source)
    "op": ("run", frozenset({"--env-file", "--account", "--config", "--session", "--encoding", "--format",
                             "--environment"})),
    # Infisical cli/packages/cmd/run.go (cobra): `infisical run [flags] -- CMD` or `--command STRING`
    "infisical": ("run", frozenset({"-e", "--env", "-c", "--command", "--projectId", "--token", "--path", "-t",
                                    "--tags", "--watch-interval", "--domain", "--log-level", "--project-config-dir"})),
    # aws-vault cli/exec.go (kingpin): `aws-vault [global] exec [flags] PROFILE [--] CMD`
    "aws-vault": ("exec", frozenset({"--backend", "--prompt", "--keychain", "--secret-service-collection",
                                     "--pass-dir", "--pass-cmd", "--pass-prefix", "--file-dir", "-d", "--duration",
                                     "--region", "-t", "--mfa-token"})),
    # chamber cmd/exec.go (cobra): `chamber exec SERVICE... -- CMD` (the `--` is required)
    "chamber": ("exec", frozenset({"-r", "--retries", "-b", "--backend", "--kms-key-alias", "--backend-s3-bucket",
                                   "--backend-s3-kms-key-alias", "--min-throttle-delay", "--strict-value"})),
    # berglas (cobra): `berglas exec [--local] -- CMD`
    "berglas": ("exec", frozenset({"--project"})),
    # sops (urfave/cli): `sops exec-env [flags] FILE COMMAND`, `sops exec-file [flags] FILE COMMAND`
    "sops": ("exec-env", frozenset({"--user", "--config", "--filename", "--input-type", "--output-type"})),
    # envconsul (Go flag package, no sub-command): `envconsul [-flag value | -flag=value]... CMD`
    "envconsul": ("", frozenset()),
}

#: envconsul's flags that take no value (Go flag booleans); every other flag takes one (``-prefix x``)
ENVCONSUL_FLAGS = frozenset({"once", "v", "version", "sanitize", "upcase", "pristine", "no-prefix", "ssl",
                             "ssl-verify", "syslog", "consul-ssl", "consul-ssl-verify", "consul-retry",
                             "vault-renew-token", "vault-ssl", "vault-ssl-verify", "vault-unwrap-token",
                             "vault-retry", "exec-kill-signal-group", "log-json", "h", "help"})

#: what each runs the command as (how the stop signal reaches the consumer), and where that was read
_FORWARDS = "runs the command as its child and passes the signals it receives on to it"
_EXECS = "replaces itself by the command"


def _go_flags_end(rest: list[Token], index: int) -> int:
    """The index after envconsul's flags (Go's flag package: ``-name``/``--name``, ``-name=value``, a value in the
    next word unless the flag is a boolean; parsing stops at the first word that is no flag, or after ``--``)."""
    while index < len(rest):
        text = rest[index].text
        if text == "--":
            return index + 1
        if not text.startswith("-") or text == "-":
            return index
        name = text.lstrip("-")
        index += 1 if "=" in name or name in ENVCONSUL_FLAGS else 2
    return index


def _secret_runner(rest: list[Token], ctx: _Ctx) -> list[ConsumerHit] | None:
    """A secret manager's launch command (:data:`SECRET_RUNNERS`): the consumers the command it runs starts, behind
    a launcher hop as the tool runs it; None when ``rest`` is another command of the tool (``doppler secrets``).

    - ``doppler run`` and ``infisical run`` run it as their child and relay every signal they receive (Doppler
      pkg/cmd/run.go: ``--forward-signals``, true by default when its output is no terminal, as under a platform;
      Infisical cli/packages/cmd/run.go execCmd); ``doppler run --forward-signals=false`` relays none (HL201).
      Their ``--command STRING`` runs STRING with ``sh -c``.
    - ``aws-vault exec`` replaces itself by it on Linux (cli/exec.go execSyscall; with ``--server``/``--ecs-server``
      it runs it as its child and relays every signal); ``chamber exec`` replaces itself by it (cmd/exec_unix.go;
      older releases relayed SIGINT/SIGTERM to their child); ``berglas exec`` relays every signal to its child.
    - ``sops exec-env``/``exec-file`` run COMMAND with ``/bin/sh -c``: with ``--same-process`` sops replaces itself
      by that shell; without it, its child, which sops releases relay the stop signal to or not (a notice).
    - ``op run`` (1Password, closed source) and ``envconsul`` (its ``kill_signal``, its restarts) run it as their
      child in a way not followed here: the stop is judged as if the signal were relayed, with a notice.
    """
    word = base(rest[0].text)
    sub, valued = SECRET_RUNNERS[word]
    if word == "envconsul":
        name, sub_at, at = "envconsul", 0, _go_flags_end(rest, 1)
        command = None  # `-exec STRING` / `-exec=STRING`: the command to run, as one string
        for index in range(1, at):
            flag, _, value = rest[index].text.partition("=")
            if flag in ("-exec", "--exec"):
                command = Token(value, rest[index].loc) if value else rest[index + 1] if index + 1 < at else None
    else:
        sub_at = _skip_options(rest, 1, valued)
        subs = ("exec-env", "exec-file") if word == "sops" else (sub,)
        if sub_at >= len(rest) or rest[sub_at].text not in subs:
            return None
        name = f"{word} {rest[sub_at].text}"
        at = _skip_options(rest, sub_at + 1, valued)
        command = _option_value(rest, sub_at + 1, at, ("-c", "--command") if word == "infisical" else ("--command",),
                                valued) if word in ("doppler", "infisical") else None
    options = rest[sub_at + 1:at]
    flags = [token.text for token in options]
    if word == "chamber":  # the services, then `--`: chamber refuses a command without it
        dash = next((index for index in range(sub_at + 1, len(rest)) if rest[index].text == "--"), None)
        if dash is None:
            _say(ctx, rest[0].loc, f"`{name}` has no `--` between its services and the command: chamber refuses to "
                                   "run it (\"please separate services and command with '--'\"), so no consumer "
                                   "starts here")
            return []
        at = dash + 1
    elif word == "aws-vault":  # the profile, then (after more options or `--`) the command
        at = _skip_options(rest, at + 1, valued) if at < len(rest) else at
    elif word == "sops":  # the encrypted file, then COMMAND: one string for /bin/sh -c
        if at + 1 >= len(rest):
            return []
        command = rest[at + 1]
    if command is not None:
        inner = [Token("/bin/sh", command.loc), Token("-c", command.loc), command]
    elif at < len(rest):
        inner = rest[at:]
    else:
        return []
    if word in _INTERSPERSED and command is None and rest[at - 1].text != "--":
        # cobra parses flags among the arguments up to a `--`: the command's own options are the tool's
        stolen = next((token for token in rest[at + 1:] if token.text == "--" or token.text.startswith("-")), None)
        if stolen is not None and stolen.text != "--":
            _say(ctx, stolen.loc, f"`{name}` has no `--` before the command, so it parses `{stolen.text}` and the "
                                  f"options after it as its own (cobra): {word} refuses one it does not know, and "
                                  "takes one it knows from the command; the command is judged as written. Fix: "
                                  f"`{name} [options] -- COMMAND`")
    deeper = _launcher_ctx(rest, ctx)
    if not isinstance(deeper, _Ctx):
        return deeper
    hits = _resolve(inner, replace(deeper, passed=None))  # with the secrets' variables
    loc = rest[0].loc
    false = ("false", "0", "f", "F", "FALSE", "False")
    if word == "doppler" and any(flag.partition("=")[2] in false for flag in flags
                                 if flag.startswith("--forward-signals=")):
        for hit in hits:
            _behind_child_runner(hit, name, loc, ctx, "forward-signals")
        return hits
    unverified = word in ("op", "envconsul") or (word == "sops" and "--same-process" not in flags)
    detail = (_EXECS if word in ("aws-vault", "chamber") and not any(
        flag in ("-s", "--server", "--ec2-server", "--ecs-server") for flag in flags) else
              _EXECS if word == "sops" and not unverified else
              "runs the command as its child" if unverified else _FORWARDS)
    user = _option_value(rest, sub_at + 1, at, ("--user",), valued) if word == "sops" else None
    for hit in hits:
        hit.hops.insert(0, Hop("launcher", name, loc, detail=detail))
        if user is not None:
            hit.user = Val(user.text, user.loc) if user.literal else \
                Val.unknown_at(user.loc, f"sops runs it as `{user.text}`, a user hueylint cannot expand")
    if unverified and hits:
        _say_unverified(name, word, loc, ctx)
    return hits


#: the secret managers whose option parser (cobra's) reads flags among the arguments up to a `--` (Doppler
#: pkg/cmd/run.go, Infisical cli/packages/cmd/run.go: neither turns cobra's interspersed flags off)
_INTERSPERSED = frozenset({"doppler", "infisical"})


def _say(ctx: _Ctx, loc: Loc, text: str) -> None:
    """A notice at ``loc``'s line: what of a launch command is not followed, or makes it start nothing."""
    say = getattr(getattr(ctx.resolver, "ws", None), "say", None)
    if say is not None and loc.path:
        say(Notice(loc.path, f"line {loc.line}: {text}"))


def _say_unverified(name: str, word: str, loc: Loc, ctx: _Ctx) -> None:
    """The notice for a launcher whose relaying of the stop signal to its child is not followed."""
    say = getattr(getattr(ctx.resolver, "ws", None), "say", None)
    if say is None or not loc.path:
        return
    how = {"op": "runs the consumer as its child process; 1Password's CLI does not document whether it passes the "
                 "stop signal on to it",
           "envconsul": "runs the consumer as its child process; it stops its child with its own `kill_signal` (and "
                        "restarts it when its keys change), which is not followed",
           "sops": "runs the consumer as its child process; sops releases differ in whether they pass the stop "
                   "signal on to it (`--same-process` makes sops replace itself by the command)",
           # python-dotenv CHANGELOG 1.1.0 (#523): run_command switched from Popen-and-wait to os.execvpe
           "dotenv": "replaces itself by the consumer in python-dotenv 1.1.0 and later; older releases run it as "
                     "their child and pass no signal on to it (the installed release is not followed)",
           # pixi's run.rs: deno_task_shell runs the command as pixi's child; listen_and_forward_all_signals in
           # recent releases, a SIGINT-ignoring handler only (nothing relayed) in older ones
           "pixi": "runs the consumer as its child process; recent releases pass the signals they receive on to it, "
                   "older ones ignore SIGINT and pass no signal on (the installed release is not followed)"}[word]
    say(Notice(loc.path, f"line {loc.line}: `{name}` {how}: the consumer's stop is judged as if the platform's "
                         "stop signal reached it unchanged"))


#: flock(1) options that take a value (util-linux flock.c: getopt "+sexnoFuw:E:hV?" and the long --start/--length
#: of --fcntl; options end at the file)
FLOCK_VALUED = frozenset({"-w", "--wait", "--timeout", "-E", "--conflict-exit-code", "--start", "--length"})


def _flock(rest: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    """``flock [options] FILE CMD ...`` / ``flock [options] FILE -c STRING`` (util-linux flock.c): flock forks, runs
    the command (a STRING with ``/bin/sh -c``) in the child and waits for it, with no handler for the stop
    signal: the consumer behind it is a ``forks`` wrapper (HL201) whose fix is ``-F``/``--no-fork``, with which
    flock replaces itself by the command (it keeps the lock).  ``flock FD`` (no command) starts nothing."""
    at = _skip_options(rest, 1, FLOCK_VALUED)
    options = rest[1:at]
    execs = any(t.text in ("-F", "--no-fork") or (t.text[:1] == "-" and t.text[1:2] != "-" and "F" in t.text)
                for t in options)
    if at + 1 >= len(rest):
        return []
    inner = rest[at + 1:]
    if inner[0].text in ("-c", "--command"):
        if len(inner) < 2:
            return []
        inner = [Token("/bin/sh", inner[0].loc), Token("-c", inner[0].loc), inner[1]]
    deeper = _launcher_ctx(rest, ctx)
    if not isinstance(deeper, _Ctx):
        return deeper
    hits = _resolve(inner, deeper)
    for hit in hits:
        if execs:
            hit.hops.insert(0, Hop("launcher", "flock", rest[0].loc))
            continue
        _behind_child_runner(hit, "flock", rest[0].loc, ctx, "no-fork")
    return hits


#: systemd-run(1) options that take a value (the ``--opt=value`` form needs no entry)
SYSTEMD_RUN_VALUED = frozenset({"-u", "--unit", "-p", "--property", "--description", "--slice", "-E", "--setenv",
                                "--uid", "--gid", "--nice", "--working-directory", "-H", "--host", "-M", "--machine",
                                "--service-type", "--path-property", "--socket-property", "--timer-property",
                                "--on-active", "--on-boot", "--on-startup", "--on-unit-active", "--on-unit-inactive",
                                "--on-calendar", "--expand-environment", "--json", "--root-directory", "--background"})


def _systemd_run(rest: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    """``systemd-run [options] CMD``: the command runs in a transient unit of its own (a ``.service`` the
    service manager starts, or with ``--scope`` a ``.scope`` systemd-run runs it in), stopped by systemd with that
    unit's settings (``-p KillSignal=...``, its defaults), not by whatever runs systemd-run: a launch not followed
    (HL004: :data:`~hueylint.model.TRANSIENT_UNIT_WHY`), its options read as written, its user ``--uid`` when
    given (a transient service's otherwise: unknown here; a scope keeps the caller's)."""
    at = _skip_options(rest, 1, SYSTEMD_RUN_VALUED)
    if at >= len(rest):
        return []
    deeper = _launcher_ctx(rest, ctx)
    if not isinstance(deeper, _Ctx):
        return deeper
    hits = _resolve(rest[at:], deeper)
    if not hits and mentions_consumer(rest[at:]):
        return []  # a name in an argument only: resolve() records the drop
    scope = any(t.text == "--scope" for t in rest[1:at])
    what = f"`systemd-run{' --scope' if scope else ''}`"
    uid = _option_value(rest, 1, at, ("--uid",), SYSTEMD_RUN_VALUED)
    for hit in hits:
        hit.unresolved.insert(0, Unresolved(what, TRANSIENT_UNIT_WHY, rest[0].loc))
        if uid is not None:
            hit.user = Val(uid.text, uid.loc) if uid.literal else \
                Val.unknown_at(uid.loc, f"systemd-run runs it as `{uid.text}`, a user hueylint cannot expand")
        elif not scope:  # a service of the system manager runs as root, of the user manager (--user) as that user
            hit.user = Val.unknown_at(rest[0].loc, "the transient unit's user")
    return hits


#: uWSGI options that attach a daemon to the master (uWSGI "Managing external daemons/services"), with how many words
#: of their value come before the command (the ``smart`` forms start with the pidfile: ``PIDFILE COMMAND``)
UWSGI_DAEMON_OPTIONS = {"attach-daemon": 0, "attach-control-daemon": 0, "smart-attach-daemon": 1,
                        "smart-attach-daemon2": 1, "attach-daemon2": 0}


def _uwsgi_daemon_command(option: str, value: str) -> str:
    """The command of one daemon option's value: after the pidfile of a ``smart`` form, the ``cmd=``/``command=``/
    ``exec=`` key of ``attach-daemon2``'s ``key=value,...`` list; the value itself otherwise."""
    if option == "attach-daemon2":
        for part in value.split(","):
            key, _, rest = part.partition("=")
            if key.strip() in ("cmd", "command", "exec"):
                return rest
        return ""
    skip = UWSGI_DAEMON_OPTIONS[option]
    return value.split(None, skip)[skip] if len(value.split(None, skip)) > skip else ""


def _uwsgi_option(rest: list[Token], ctx: _Ctx, name: str) -> Token | None:
    """The last value of uWSGI option ``--NAME`` on the command line (``--NAME V``, ``--NAME=V``), else its
    environment spelling ``UWSGI_NAME`` in the launch's environment; None when neither is given."""
    value: Token | None = None
    for index, token in enumerate(rest[1:], start=1):
        if token.text == f"--{name}" and index + 1 < len(rest):
            value = rest[index + 1]
        elif token.text.startswith(f"--{name}="):
            value = Token(token.text.split("=", 1)[1], token.loc, token.why)
    env = _env(ctx).get("UWSGI_" + name.upper().replace("-", "_")) if value is None else None
    return Token(env, rest[0].loc) if env else value


def _uwsgi_daemons(rest: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    """``uwsgi ... --attach-daemon 'python manage.py run_huey'`` (also ``--attach-daemon=CMD``, the ``smart`` and
    ``attach-daemon2`` forms, and uWSGI's environment spelling of any option, ``UWSGI_ATTACH_DAEMON=CMD``, in the
    launch's environment): the master runs each daemon's command through a shell and stops it when it stops or
    reloads, so a consumer there is a launch not followed (HL004: :data:`~hueylint.model.UWSGI_DAEMON_WHY`), its
    options read as written, its user uWSGI's ``--uid`` when given (the master drops to it before it spawns its
    daemons).  An ``--ini`` file's ``attach-daemon`` is not read (the file gets its own notice)."""
    found: list[tuple[str, Token, str]] = []  # (option, its value, how it is written)
    index = 1
    while index < len(rest):
        text = rest[index].text
        name, eq, value = text[2:].partition("=") if text.startswith("--") else ("", "", "")
        if name in UWSGI_DAEMON_OPTIONS:
            if eq:
                found.append((name, Token(value, rest[index].loc, rest[index].why), f"--{name}"))
            elif index + 1 < len(rest):
                found.append((name, rest[index + 1], f"--{name}"))
                index += 1
        index += 1
    for name in UWSGI_DAEMON_OPTIONS:
        variable = "UWSGI_" + name.upper().replace("-", "_")
        setting = _env(ctx).get(variable)
        if setting:
            found.append((name, Token(setting, rest[0].loc), variable))
    uid = _uwsgi_option(rest, ctx, "uid")  # the master drops to it before it spawns its daemons
    hits: list[ConsumerHit] = []
    for name, token, written in found:
        command = _uwsgi_daemon_command(name, token.text)
        if not command:
            continue
        string = token if command == token.text else Token(command, token.loc, token.why)
        for hit in _shell_string(string, Token("/bin/sh", token.loc), ctx, f"uWSGI `{written}`", []):
            hit.unresolved.insert(0, Unresolved(f"uWSGI `{written}`", UWSGI_DAEMON_WHY, token.loc))
            hit.wrappers = []  # the master stands between whatever the daemon's shell does: HL004 says so
            if uid is not None and hit.user is None:
                hit.user = Val(uid.text, uid.loc) if uid.literal else \
                    Val.unknown_at(uid.loc, f"uWSGI runs it as `{uid.text}`, a user hueylint cannot expand")
            hits.append(hit)
    return hits


#: GNU make options that take a value (``-f FILE``, ``-C DIR`` ...; the ``--opt=value`` form needs no entry)
MAKE_VALUED = frozenset({"-f", "--file", "--makefile", "-C", "--directory", "-I", "--include-dir", "-j", "--jobs",
                         "-l", "--load-average", "-o", "--old-file", "--assume-old", "-W", "--what-if", "--new-file",
                         "--assume-new", "-O", "--output-sync"})
_MAKE_RULE = lazy_pattern(r"^([^\t#:=\s][^:=#]*?)\s*::?(?!=)(.*)$")
_MAKE_VARIABLE = lazy_pattern(r"^(?:override\s+|export\s+)?([A-Za-z_][\w.-]*)\s*(\?|:{1,3}|\+)?=(.*)$")
_MAKE_REFERENCE = lazy_pattern(r"(?<!\$)\$[({]([A-Za-z_][\w.-]*)[)}]")


def _make_value(match: re.Match[str], variables: dict[str, str]) -> str:
    """``$(NAME)`` as make expands it from the Makefile's own plain assignment (``NAME = python``, ``?=`` taken
    as written: the environment's value is unknown anyway); left as written (unknown to the shell) otherwise."""
    value = variables.get(match.group(1))
    return value if value is not None and "$" not in value else match.group(0)


def _make(rest: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    """``make [options] [TARGET...]`` (``gmake``): the recipes of the targets (the first rule's without one) in the
    repository's Makefile (``-f FILE``, ``-C DIR``, else ``GNUmakefile``/``makefile``/``Makefile``), each line a
    ``sh -c`` string make starts as its child.  A consumer one starts is a launch not followed (HL004:
    :data:`~hueylint.model.MAKE_WHY`), its options read from the recipe; the recipe's shell staying in between is
    make's business (it runs a simple line without a shell), only a consumer sent to the background is said
    (HL201).  Nothing when the Makefile is not in the repository or no recipe starts a consumer."""
    files: list[str] = []
    folder, targets, index = "", [], 1
    while index < len(rest):
        text = rest[index].text
        name, eq, value = text.partition("=")
        if text.startswith("-") and name in MAKE_VALUED and not eq and index + 1 < len(rest):
            value, index = rest[index + 1].text, index + 1
        if name in ("-f", "--file", "--makefile"):
            files.append(value)
        elif name in ("-C", "--directory"):
            folder = posixpath.join(folder, value)
        elif text.startswith("-f") and len(text) > 2 and not text.startswith("--"):
            files.append(text[2:])
        elif text.startswith("-C") and len(text) > 2:
            folder = posixpath.join(folder, text[2:])
        elif not text.startswith("-") and "=" not in text:
            targets.append(text)
        index += 1
    names = files or ["GNUmakefile", "makefile", "Makefile"]
    rel = next((found for found in (_repo_file(ctx, posixpath.join(folder, n) if folder else n) for n in names)
                if found is not None), None)
    ws = getattr(ctx.resolver, "ws", None)
    src = ws.file(rel) if ws is not None and rel is not None else None
    if src is None:
        return []
    # GNU make reads the files an `include` line names (relative to its working folder) as part of the Makefile:
    # a target named on the command line may be a rule of one of them (`include common.mk`)
    included = [found for name in _make_includes(src.text) for found in
                [_repo_file(ctx, posixpath.join(folder, name) if folder else name)] if found is not None] \
        if targets and ws is not None else []
    sources = [src, *(inc for inc in map(ws.file, included) if inc is not None)] if ws is not None else [src]
    if not any("huey" in source.text.lower() for source in sources):
        return []
    recipes = [recipe for source in sources for recipe in _recipes(source, targets)]
    hits: list[ConsumerHit] = []
    what = f"`{' '.join(clipped(t.text) for t in rest[:4])}{' ...' if len(rest) > 4 else ''}`"
    for line, loc in recipes:
        if "huey" not in line.lower():
            continue
        for hit in _shell_string(Token(line, loc), Token("/bin/sh", loc), ctx, "make recipe", []):
            hit.wrappers = [p for p in hit.wrappers if p.severe or p.shell != "the make recipe"]
            hit.hops.insert(0, Hop("launcher", "make", rest[0].loc, passes_signal=False,
                                   detail="runs the recipe as its child: SIGTERM passed on, SIGINT not"))
            hit.unresolved.insert(0, Unresolved(what, MAKE_WHY, rest[0].loc))
            hits.append(hit)
    return hits


def _task_runner(rest: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    """``invoke [-c MODULE] TASK`` / ``inv`` / ``fab TASK`` (fabric 2): a task of the repository's collection
    (``tasks.py`` or ``tasks/__init__.py``, ``-c NAME``; fabric: ``fabfile.py``), a Python function whose name is
    the task's (``run-worker`` is ``def run_worker``).  When its body mentions huey it is a launch not followed
    (HL004: :data:`~hueylint.model.TASK_RUNNER_WHY`; its commands are Python values, never run); nothing
    otherwise, nor when the collection is not in the repository."""
    runner = base(rest[0].text)
    valued = frozenset({"-c", "--collection", "-r", "--search-root", "-f", "--config", "-H", "--hosts", "-i",
                        "-S", "--ssh-config"})
    at = _skip_options(rest, 1, valued)
    if at >= len(rest) or not rest[at].literal:
        return []
    task = rest[at].text.split(":")[0]
    collection = _option_value(rest, 1, at, ("-c", "--collection"), valued)
    module = collection.text if collection is not None else ("fabfile" if runner == "fab" else "tasks")
    ws = getattr(ctx.resolver, "ws", None)
    src = None
    for name in (f"{module}.py", f"{module}/__init__.py"):
        rel = _repo_file(ctx, name)
        src = ws.file(rel) if ws is not None and rel is not None else None
        if src is not None:
            break
    if src is None:
        return []
    match = re.search(rf"^([ \t]*)(?:async\s+)?def\s+{re.escape(task.replace('-', '_'))}\s*\(", src.text, re.M)
    if match is None:
        return []
    indent = len(match.group(1))
    body = []
    for line in src.text[match.end():].splitlines()[1:]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent and not line.lstrip().startswith((")", "#")):
            break
        body.append(line)
    if "huey" not in "\n".join(body).lower():
        return []
    what = f"`{' '.join(clipped(t.text) for t in rest[:at + 1])}`"
    return [ConsumerHit("unknown", [], rest[0].loc, options_unknown=True,
                        unresolved=[Unresolved(f"{what} ({src.rel})", TASK_RUNNER_WHY, rest[0].loc)])]


_MAKE_INCLUDE = lazy_pattern(r"^(?:-|s)?include[ \t]+([^#]*)")


def _make_includes(text: str) -> list[str]:
    """The files a Makefile's ``include``/``-include``/``sinclude`` lines name, in order (GNU make 3.3); a name
    holding a variable or a wildcard is left out (not known here)."""
    return [name for line in text.splitlines() for match in [_MAKE_INCLUDE.match(line)] if match is not None
            for name in match.group(1).split() if not any(char in name for char in "$*?[")]


def _recipes(src: SourceFile, targets: list[str]) -> list[tuple[str, Loc]]:
    """The recipe lines of ``targets`` in the Makefile ``src`` (the first rule's when none is named), each with
    its place: tab-indented lines after the rule, joined over backslash-newlines, without make's ``@``/``-``/``+``
    prefixes, ``$$`` made ``$`` (what the shell receives); a make variable stays ``$(NAME)``: unknown to the
    shell reading."""
    found: list[tuple[str, Loc]] = []
    lines = src.text.splitlines()
    variables = {m.group(1): m.group(3).strip() for m in map(_MAKE_VARIABLE.match, lines) if m is not None}
    current: bool | None = None  # in a wanted rule's recipe
    first = not targets
    number = 0
    while number < len(lines):
        text = lines[number]
        number += 1
        if text.startswith("\t"):
            if not current:
                continue
            start, body = number, text[1:]
            while body.endswith("\\") and number < len(lines):
                body = body[:-1] + " " + lines[number].lstrip("\t")
                number += 1
            body = _MAKE_REFERENCE.sub(lambda m: _make_value(m, variables), body.lstrip("@-+ ")).replace("$$", "$")
            if body.strip():
                found.append((body, Loc(src.rel, start, 2, start, len(text) + 1)))
            continue
        match = _MAKE_RULE.match(text)
        if match is None or text.startswith(("export ", "override ", "define ", "include ", "-include ")):
            if text.strip() and not text.lstrip().startswith("#"):
                current = False if match is None and "=" in text else current
            continue
        names = match.group(1).split()
        if all(name.startswith(".") for name in names):  # .PHONY: and the other special targets
            current = False
            continue
        current = any(name in targets for name in names) or first
        first = False
    return found


#: ``conda run`` options that take a value (conda/cli/main_run.py): the environment, the prefix, the folder
_CONDA_RUN_VALUED = frozenset({"-n", "--name", "-p", "--prefix", "--cwd"})
#: ``micromamba run`` options that take a value (mamba-org/mamba micromamba/src/run.cpp set_run_command, with
#: init_prefix_options): the environment, the prefix, the root prefix, the streams, the folder, a variable, a label
_MICROMAMBA_RUN_VALUED = frozenset({"-n", "--name", "-p", "--prefix", "-r", "--root-prefix", "-a", "--attach",
                                    "--cwd", "-e", "--env", "--label"})


def _conda_run(rest: list[Token]) -> int | None:
    """The index of the command in ``conda [global options] run [options] CMD ...`` (also ``mamba run``, which is
    conda's, and ``micromamba run``), or None for another sub-command.  ``conda run`` writes a script that activates
    the environment and runs the command, starts it as its child and waits for it; it relays no signal
    (conda/conda#10351, open: "conda run does not forward TERM signal to subprocess"), ``--no-capture-output``
    included.  ``micromamba run`` (libmamba's run_in_environment, src/core/run.cpp) starts the activation script,
    which ``exec``s the command, as its child (reproc) and waits for it: on SIGTERM it stops that child with
    SIGTERM, then SIGKILL 3 s later (reproc stop actions terminate 3000 ms, kill 3000 ms); SIGINT has no handler,
    so micromamba dies on it and passes nothing on."""
    if base(rest[0].text) not in ("conda", "mamba", "micromamba"):
        return None
    at = _skip_options(rest, 1, frozenset())
    if at >= len(rest) or rest[at].text != "run":
        return None
    valued = _MICROMAMBA_RUN_VALUED if base(rest[0].text) == "micromamba" else _CONDA_RUN_VALUED
    at = _skip_options(rest, at + 1, valued)
    return at if at < len(rest) else None


def _honcho_run(rest: list[Token]) -> int | None:
    """The index of the command in ``honcho [-e FILE] [-d DIR] run [--] CMD ...``, or None for another task."""
    at = _skip_options(rest, 1, frozenset({"-e", "--env", "-d", "--app-root", "-f", "--procfile"}))
    if at >= len(rest) or rest[at].text != "run":
        return None
    at = _skip_options(rest, at + 1, frozenset({"-e", "--env", "-d", "--app-root", "-f", "--procfile"}))
    return at + 1 if at < len(rest) and rest[at].text == "--" else at


def shell_string(command: Token, shell: Token, origin: Loc, resolver: Resolver, depth: int,
                 runner: str = "") -> list[ConsumerHit]:
    """A ``-c`` string: the consumer must be its last command, under ``exec``."""
    return _shell_string(command, shell, _Ctx(origin, resolver, depth), runner, [])


def _shell_string(command: Token, shell: Token, ctx: _Ctx, runner: str,
                  args: list[Token], name: str | None = None) -> list[ConsumerHit]:
    runner = runner or f"{base(shell.text)} -c"
    parsed = _parse(command.text)
    if parsed is None:
        return []
    place = _string_placer(command)
    _refused_string(parsed, place, ctx)
    # code (`sh -c`, `bash -s` reading a here-document), or a description
    title = f"`{runner}`" if runner in (f"{base(shell.text)} -c", f"{base(shell.text)} -s") else f"the {runner}"
    unit = _Unit(parsed, args, place, title, lambda loc, ok: Hop("shell", runner, shell.loc, passes_signal=ok),
                 execs_sole_command=runner == "bash -c", env=_env(ctx), name=name, identity=_identity(ctx),
                 bash=base(shell.text) == "bash")
    unit.sourced = _sourced_files(parsed, ctx.origin, ctx, place)
    unit.env_complete = _env_complete(ctx)
    unit.group_init = ctx.group_init
    return _run(unit, _join(ctx.head(), ((command.loc, runner),)), ctx)


def _refused_string(parsed: Script, place: Placer, ctx: _Ctx) -> None:
    """HL001 at the syntax error of a ``-c`` string (a Procfile line, a shell-form ``CMD``, ``sh -c '...'``) that
    names the consumer: the shell refuses the string there (``sh: 1: Syntax error: Unterminated quoted string``)
    and runs nothing of the line holding it (:func:`hueylint.shell.parse_script` marks those commands
    ``recovered``: dropped candidates, no launch), so the consumer never starts; a followed script file's error
    is :func:`hueylint.script_lookup.checked`'s."""
    ws = getattr(ctx.resolver, "ws", None)
    findings = getattr(ws, "findings", None)
    if parsed.error is None or parsed.too_deep is not None or not isinstance(findings, list):
        return
    if not any(mentions_consumer([Token(word.text, ctx.origin) for word in command.argv]) for command in parsed.commands):
        return
    line, col = parsed.error
    loc = place(line, col, line, col + 1)
    finding = Finding("HL001", _REFUSED_STRING, loc)
    # (one string may be followed more than once, by paths that place its characters or only the string)
    same = next((index for index, other in enumerate(findings)
                 if other.message == _REFUSED_STRING and other.loc.path == loc.path and other.loc.line == loc.line), None)
    if same is None:
        findings.append(finding)
    elif _width(loc) == 1 and _width(findings[same].loc) != 1:
        findings[same] = finding


_REFUSED_STRING = ("cannot parse: shell syntax error: the shell refuses this command string here and runs nothing of "
                   "its line, so the consumer it names never starts")


def _width(loc: Loc) -> int:
    return loc.end_col - loc.col if loc.end_line == loc.line else -1


def _script(script: SourceFile, rest: list[Token], ctx: _Ctx) -> list[ConsumerHit]:
    """Follow a repo shell script: every path is judged; ``"$@"`` continues with ``rest[1:]``."""
    identity = _identity(ctx)
    if script.rel in ctx.stack:
        # the script re-run by itself as another user in a branch a test of the current user took (``if [
        # "$(id -u)" = 0 ]; then exec gosu app "$0" "$@"``): followed once more as that user, whose uid tests
        # take the other branch; any other re-run is not followed again
        # (as a user hueylint cannot expand, ``gosu "$APP_USER"``, too: the uid tests then decide nothing there)
        if ctx.user is None or not ctx.uid_taken or (script.rel, identity) in ctx.reran:
            return []
        ctx = replace(ctx, reran=ctx.reran + ((script.rel, identity),))
    if ctx.depth >= MAX_DEPTH:
        return _too_deep(script, rest[0], ctx)
    parsed = _parse(script.text)
    if parsed is None or not parsed.is_shell:
        return []
    rel = script.rel

    def place(line: int, col: int, end_line: int, end_col: int) -> Loc:
        return Loc(rel, line, col, end_line, end_col)

    name = rest[0].text if rest[0].literal else None
    env = _env(ctx)
    if parsed.interpreter == "bash" and name is not None:
        env["BASH_SOURCE"] = name  # bash sets it to the script as invoked (docker-library's `exec gosu x "$BASH_SOURCE"`)
    shown = getattr(script, "shown", "") or rel  # a file the image build writes: its path there
    unit = _Unit(parsed, rest[1:], place, f"script `{shown}`",
                 lambda loc, ok: Hop("script", shown, loc, passes_signal=ok), rel, env=env, name=name,
                 identity=identity, bash=parsed.interpreter == "bash")
    unit.sourced = _sourced_files(parsed, Loc(rel, 1, 1), ctx, place)
    unit.env_complete = _env_complete(ctx)
    unit.group_init = ctx.group_init
    ws = getattr(ctx.resolver, "ws", None)
    if ws is not None:  # the same script run with the same arguments and environment by another launch
        key = ("shell-evaluator", rel, script.text, unit.name, tuple(unit.args), tuple(sorted(unit.env.items())),
               unit.identity, tuple(sorted(unit.sourced.items())), unit.env_complete)
        unit.evaluator = ws.memo(key, lambda: _evaluator(unit))
    return _run(unit, ctx.head(), ctx)


def _sourced_files(parsed: Script, origin: Loc, ctx: _Ctx, place: Placer) -> dict[int, Sourced]:
    """What each ``. FILE`` / ``source FILE`` of the code at ``origin`` sets, for the files hueylint can read
    (:func:`hueylint.sourced_files.sourced_file`); a command missing here makes every later variable unknown.
    A relative FILE leading outside the checked tree wherever it is looked up from is a notice (not read)."""
    ws = getattr(ctx.resolver, "ws", None)
    found: dict[int, Sourced] = {}
    if ws is None:
        return found
    mounted = getattr(ctx.resolver, "mount_source", None)
    copied = getattr(ctx.resolver, "repo_path", None)
    for command in parsed.commands:
        argv = command.argv
        if len(argv) < 2 or argv[0].text not in (".", "source") or not argv[1].literal:
            continue
        covered, source = mounted(argv[1].text) if mounted is not None else (False, "")
        if covered and not source:
            continue  # a volume or host file hueylint cannot read: any variable
        if not covered and copied is not None:  # the repo file the image's COPY puts there (`COPY deploy/prod.env .env`)
            source = copied(argv[1].text) or ""
            covered = bool(source)
        # a bind mount over the path: the container reads the mount's source (`./deploy/worker.env:/app/role.env`)
        known = sourced_file(ws, source, len(argv) > 2, Loc("", 1, 1)) if covered else \
            sourced_file(ws, argv[1].text, len(argv) > 2, origin)
        if known is not None:
            found[command.seq] = known
        elif not covered and argv[1].text[:1] not in ("/", "-") and not candidates(argv[1].text, origin) and \
                hasattr(ws, "not_read_outside"):
            word = argv[1]
            ws.not_read_outside(place(word.line, word.col, word.end_line, word.end_col),
                                f"`{argv[0].text} {clipped(word.text)}`",
                                "the variables it sets are unknown to the commands after it")
    return found


def _too_deep(script: SourceFile, word: Token, ctx: _Ctx) -> list[ConsumerHit]:
    """A script nested deeper than :data:`MAX_DEPTH` is not followed, but never silently: a launch with an
    unknown part (HL004) at the word that runs it when the chain looks like a consumer launch (:func:`_hinted`,
    or this script or one it runs, looked up :data:`LOOK_AHEAD` scripts further, mentions huey), else a
    dropped candidate (``inspect``)."""
    leads = _hinted(ctx) or _reaches_huey(script, ctx)
    return _not_followed(f"script `{clipped(script.rel)}`", word, ctx, leads)


def _not_followed(what: str, word: Token, ctx: _Ctx, leads: bool, why: str = "") -> list[ConsumerHit]:
    """Where following stops at :data:`MAX_DEPTH` (``word`` runs what is not followed; ``why``: another bound):
    HL004 when the chain ``leads`` to a consumer, else a dropped candidate."""
    why = why or f"scripts nested deeper than {MAX_DEPTH}, each running the next"
    if not leads:
        _drop(ctx, what, word.loc, why)
        return []
    return [ConsumerHit("unknown", [], word.loc, unresolved=[Unresolved(what, why, word.loc)], options_unknown=True)]


#: launchers one command runs through, each running the next (``flock F flock F ... CMD``, ``xvfb-run``, ``su -c``,
#: ``systemd-run``, ``busybox``), followed before the rest is not (a hostile one of thousands went as deep as
#: Python's stack: RecursionError, the platform's results lost)
MAX_NESTED = 64


def _launcher_ctx(rest: list[Token], ctx: _Ctx) -> _Ctx | list[ConsumerHit]:
    """The context for the command the launcher ``rest[0]`` runs, one launcher deeper; past :data:`MAX_NESTED`
    what it runs is not followed (:func:`_not_followed`: HL004 when it mentions huey, else a dropped candidate)."""
    if ctx.nested < MAX_NESTED:
        return replace(ctx, nested=ctx.nested + 1)
    leads = _hinted(ctx) or any("huey" in token.text.lower() for token in rest)
    return _not_followed(f"`{clipped(rest[0].text)}`", rest[0], ctx, leads,
                         f"launchers nested deeper than {MAX_NESTED}, each running the next")


#: how many more scripts :func:`_reaches_huey` reads past :data:`MAX_DEPTH` (only to tell whether they mention huey)
LOOK_AHEAD = 32


def _hinted(ctx: _Ctx) -> bool:
    """The chain so far looks like a consumer launch: the launch's command mentions huey or a consumer, or a
    command the shell code on the way may run for this launch does (:func:`_names_huey`; not the commands of
    a branch its arguments rule out: a dispatching entrypoint's ``worker)`` branch does not make ``web)`` one)."""
    return ctx.hinted or any(_names_huey(command) and _possible(unit, position) for unit in ctx.units
                             for position, command in enumerate(unit.parsed.commands))


def _names_huey(command: Command) -> bool:
    """The command's words name huey (``huey_consumer``, ``run_huey``, an app ``tasks.huey``, a script
    ``start-huey.sh``); ``echo``, ``export`` and the other commands that never start one are not read."""
    return bool(command.argv) and base(command.argv[0].text) not in _BUILTINS and \
        any("huey" in word.text.lower() for word in command.argv)


def _reaches_huey(script: SourceFile, ctx: _Ctx) -> bool:
    """``script``, or a repository script it runs (a command's program or a word that looks like a path, at most
    :data:`LOOK_AHEAD` scripts in all), mentions huey (:func:`_names_huey`): read, never followed."""
    todo, seen = [script], {script.rel}
    while todo:
        parsed = _parse(todo.pop().text)
        if parsed is None or not parsed.is_shell:
            continue
        if any(_names_huey(command) for command in parsed.commands):
            return True
        for command in parsed.commands:
            for at, word in enumerate(command.argv):  # the program, and the words that look like a path
                runs = word.literal and (at == 0 or "/" in word.text or word.text.endswith((".sh", ".bash")))
                found = _find_script(Token(word.text, ctx.origin), ctx) if runs else None
                if found is not None and found.rel not in seen and len(seen) < LOOK_AHEAD:
                    seen.add(found.rel)
                    todo.append(found)
    return False


def _identity(ctx: _Ctx) -> str | None:
    """The user the code being followed runs as: the one a launcher on the way switched to, else the user
    the launch starts as (the resolver's optional ``launch_user``); None when not known."""
    user = (ctx.user.value if ctx.user.known else None) if ctx.user is not None else \
        getattr(ctx.resolver, "launch_user", None)
    name = user.lstrip(":").split(":", 1)[0] if isinstance(user, str) else ""  # ``1000:1000``: the user part
    return name or None


def _env(ctx: _Ctx) -> dict[str, str | None]:
    """The environment the launch gives its scripts, when the resolver knows it (optional ``shell_env``), with
    the variables the shell code on the way may have exported (:attr:`_Ctx.passed`), their values unknown."""
    env = getattr(ctx.resolver, "shell_env", None)
    return {**(env or {}), **dict.fromkeys(ctx.passed or (), None)}


def _env_complete(ctx: _Ctx) -> bool:
    """The launch's environment is the process's whole one (optional ``shell_env_complete`` of the resolver), and
    the shell code on the way exported nothing hueylint cannot name (:attr:`_Ctx.passed`)."""
    return ctx.passed is not None and bool(getattr(ctx.resolver, "shell_env_complete", False))


def _passed(outer: tuple[str, ...] | None, state: State, command: Command) -> tuple[str, ...] | None:
    """The variables a command of shell code may get from it (:attr:`_Ctx.passed`): those the code before it set
    (exported or not: not tracked), its ``NAME=value`` prefixes and what the code itself was passed."""
    if outer is None or state.opaque:
        return None
    return tuple(sorted({*outer, *state.vars, *(item.split("=", 1)[0] for item in command.assignments)}))


def _stdin_token(unit: "_Unit", word: Word) -> Token:
    """A here-document body or here-string as a token: for text written as itself (a here-document's body, an
    unquoted here-string), each character's spot where the unit places it, so the commands ``bash -s`` reads
    from it are placed where they are written."""
    if word.quoted:
        return Token(word.text, unit.loc(word))
    spots: list[tuple[int, int, int] | None] = []
    line, col = word.line, word.col
    for char in word.text:
        place = unit.place(line, col, line, col + 1)
        spots.append((place.line, place.col, place.end_col) if place.line and place.end_line == place.line else None)
        line, col = (line + 1, 1) if char == "\n" else (line, col + 1)
    return Token(word.text, unit.loc(word), spots=Spots(tuple(spots)))


def _string_placer(command: Token) -> Placer:
    """Map positions inside a ``-c`` string to the file: through the string's spots when it is a YAML scalar
    whose characters are located (a block scalar, a scalar over several lines), else exact columns when it
    sits on one line; else (or for a word whose first or last character is not written as itself, such as
    a folded line break) the string's own loc."""
    loc = command.loc
    spots = command.spots
    if spots is not None and len(spots.spots) == len(command.text):
        starts = [0]
        for index, char in enumerate(command.text):
            if char == "\n":
                starts.append(index + 1)

        def place_spotted(line: int, col: int, end_line: int, end_col: int) -> Loc:
            if not (1 <= line <= len(starts) and 1 <= end_line <= len(starts)):
                return loc
            found = spots.span(starts[line - 1] + col - 1, starts[end_line - 1] + end_col - 1)
            return Loc(loc.path, *found) if found is not None else loc

        return place_spotted
    one_line = "\n" not in command.text and loc.line and loc.col and loc.end_line in (0, loc.line)
    width = (loc.end_col - loc.col) if loc.end_line in (0, loc.line) and loc.end_col else -1
    offset = 1 if width == len(command.text) + 2 else 0  # the token's loc includes its quotes

    def place(line: int, col: int, end_line: int, end_col: int) -> Loc:
        if not one_line or (width >= 0 and width not in (len(command.text), len(command.text) + 2)):
            return loc
        start = loc.col + offset - 1
        return Loc(loc.path, loc.line, start + col, loc.line, start + end_col)

    return place


@dataclass
class _Unit:
    """A piece of shell code being followed: a script file or a ``-c`` string."""

    parsed: Script
    args: list[Token]
    place: Placer
    title: str  # "script `docker/start.sh`" / "`sh -c`"
    hop: HopMaker
    rel: str = ""
    # ``bash -c 'cmd'``: bash execs the only simple command of its string itself (dash, the usual
    # /bin/sh, does not). Still HL201 as the spec says, with a message that tells the truth: the
    # hop passes the signal today, and an explicit ``exec`` makes that hold for every shell
    execs_sole_command: bool = False
    env: dict[str, str | None] = field(default_factory=dict)  # the launch's environment (None: unknown value)
    evaluator: Evaluator[Token] | None = None  # created on first use (hueylint.shell_eval)
    name: str | None = None  # ``$0``: the word that ran the script, or a ``-c`` string's name (None: unknown)
    identity: str | None = None  # the user the code runs as (a name or a uid; None: unknown), for uid tests
    # ``. FILE`` commands (Command.seq) whose file hueylint can read: what each sets (:mod:`hueylint.sourced_files`)
    sourced: dict[int, Sourced] = field(default_factory=dict)
    env_complete: bool = False  # ``env`` is the process's whole environment (see shell_eval.State.env_complete)
    # the positions of its ``exit`` and ``exec`` commands, the only ones :func:`_after_exec` looks at before a
    # command (created on first use; every earlier command, for each command, was quadratic)
    enders: list[int] | None = None
    uid_tested: bool | None = None  # :func:`_tests_uid`, asked for each command (created on first use)
    movers: list[int] | None = None  # the positions of its ``cd``/``pushd``/``popd`` commands (:func:`_chdir`)
    group_init: str = ""  # an init above that signals the whole process group (_Ctx.group_init)
    bash: bool = False  # the code runs in bash (its shebang, or ``bash -c``): WrapperProblem.shell_waits_on_int

    def loc(self, word: Word) -> Loc:
        return self.place(word.line, word.col, word.end_line, word.end_col)

    def command_loc(self, command: Command) -> Loc:
        first, last = command.words[0], command.words[-1]
        return self.place(first.line, first.col, last.end_line, last.end_col)


def _run(unit: _Unit, head: Labels, ctx: _Ctx) -> list[ConsumerHit]:
    """Resolve every command of the code; judge each consumer it starts."""
    hits: list[ConsumerHit] = []
    commands = unit.parsed.commands
    for position, command in enumerate(commands):
        argv = command.argv
        if len(argv) > 1 and argv[0].text in (".", "source") and not command.recovered and _possible(unit, position):
            hits += _sourced(unit, position, command, ctx)
            continue
        if not argv or base(argv[0].text) in _BUILTINS:
            continue
        if command.recovered or not _possible(unit, position):
            words = [Token(word.text, unit.loc(word)) for word in argv]
            if mentions_consumer(words):
                why = "after a shell syntax error: the shell stops before it" if command.recovered else \
                    f"in branch `{command.branch}`, which this launch never takes (its arguments and environment " \
                    "decide the test)"
                _drop(ctx, f"{unit.title}: {_short(unit, command)}", unit.command_loc(command), why)
            continue
        state = _state_at(unit, position)
        tokens = _tokens(unit, command, state)
        judged = command
        if base(argv[0].text) == "eval" and not command.exec:
            evaluated = _evaluated(unit, command, tokens)
            if evaluated is None:
                hits += _eval_not_followed(unit, position, tokens, head, ctx)
                continue
            tokens, judged = evaluated
        label = f"{_short(unit, command)}"
        inner = replace(ctx, trail=head, script_args=tuple(unit.args), units=ctx.units + (unit,), uid_taken=_uid_taken(unit, command) or (
            not command.conditions and unit.identity is not None and _tests_uid(unit)),
            leader=ctx.leader and _replaces_shell(unit, command),
            passed=_passed(ctx.passed, state, command),
            stdin=(unit, command.stdin) if command.stdin is not None else None)
        moved = _chdir(unit, position)
        if moved is not None:
            inner = replace(inner, cwd=_inside(ctx.cwd, moved))
        inner = inner.deeper(unit.command_loc(command), label, unit.rel)
        before = len(ctx.sink) if ctx.sink is not None else 0
        found = _resolve(tokens, inner)
        exports = _exports(unit, command, state) if found else {}
        for hit in found:
            _judge(unit, position, hit, head, judged)
            hit.env = {**exports, **hit.env}
            hit.chdir = _inside(moved, hit.chdir)
            hits.append(hit)
        if not found and (ctx.sink is None or len(ctx.sink) == before) and \
                any(_names_consumer(piece) for token in tokens for piece in token.text.split()):
            _drop(ctx, f"{unit.title}: {_short(unit, command)}", unit.command_loc(command),
                  "names a consumer, but in a form hueylint does not follow (`eval`, another subcommand, a string)")
        for started in (ctx.sink or [])[before:]:
            _judge(unit, position, started, head)
    return hits


#: what ``eval`` would read as more than word splitting: operators, redirections, substitutions, quoting
_EVAL_SYNTAX = lazy_pattern(r"[;&|<>()`$\\'\"\n#*?\[{]")


def _evaluated(unit: _Unit, command: Command, tokens: list[Token]) -> tuple[list[Token], Command] | None:
    """``eval WORDS`` as bash runs it when the words are known: their text joined with spaces and read again as one
    simple command in the script's own process (``eval "exec $CMD"`` with ``CMD="huey_consumer app.huey"`` is
    ``exec huey_consumer app.huey``, which replaces the script).  The words the command then has (each at its own
    place when the joined text splits back into the same words, else at the ``eval`` command), and the command
    judged as written with the ``exec`` the string holds; None when a word is unknown or the text holds more than
    words (operators, quotes, expansions: a second reading would change them)."""
    words = tokens[1:]
    if not words or not all(token.literal for token in words):
        return None
    text = " ".join(token.text for token in words)
    if _EVAL_SYNTAX.search(text):
        return None
    if all(token.text and token.text.split() == [token.text] for token in words):
        again = list(words)  # each word reads back as itself
    else:
        again = split_command_line(text, unit.command_loc(command))
    if not again:
        return None
    return again, replace(command, exec=again[0].text == "exec")


def _eval_not_followed(unit: _Unit, position: int, tokens: list[Token], head: Labels, ctx: _Ctx) -> list[ConsumerHit]:
    """``eval`` of a string hueylint cannot read again (an unknown variable, operators or quotes inside): a launch not
    followed (HL004) when it names a consumer or huey, or when it ``exec``s what it holds (or is the script's last
    command) in a chain that leads to a consumer (``eval "exec $WORKER_CMD"``); otherwise nothing (``eval "$(ssh-agent)"`` sets variables, which make
    the later ones unknown)."""
    command = unit.parsed.commands[position]
    words = tokens[1:]
    text = " ".join(token.text for token in words)
    execs = text.lstrip().startswith("exec ")
    if not words or not (mentions_consumer(words) or ((execs or command.last) and _hinted(ctx))):
        return []
    consumer = next((t for t in words for piece in t.text.split() if _names_consumer(piece)), None)
    program = "unknown" if consumer is None else \
        "huey_consumer" if any(base(p) in CONSUMER_SCRIPTS for p in consumer.text.split()) else \
        next(p for p in consumer.text.split() if _names_consumer(p))
    why = next((t.why for t in words if t.why), "") or ("its words hold shell syntax a second reading would change"
                                                        if all(t.literal for t in words) else
                                                        "its value is not written in the repository")
    loc = unit.command_loc(command)
    hit = ConsumerHit(program, [], loc, options_unknown=True, unresolved=[Unresolved(
        f"`eval {clipped(text)}`", f"eval runs a string hueylint cannot read again: {why}", loc)])
    _judge(unit, position, hit, head, replace(command, exec=execs))
    return [hit]


#: the commands that change the shell's folder: ``cd DIR``, ``pushd DIR`` (``popd`` goes back to a folder kept
#: on the stack: not followed)
CHDIR_COMMANDS = frozenset({"cd", "pushd", "popd"})


def _chdir(unit: _Unit, position: int) -> Val[str] | None:
    """The folder the script's own shell is in when the command at ``position`` runs, from the ``cd DIR`` /
    ``pushd DIR`` before it (``cd backend && huey_consumer app.huey``; huey_consumer and ``manage.py`` import
    the app from that folder): each relative one joined to the one before, an absolute one replacing it; None
    when no ``cd`` runs before it.  A ``cd`` that cannot be the same shell's (in a subshell, a pipeline or the
    background while the command is not, in another function, or in another clause of a branch the command
    took) does not count.  A folder not written in the code (``cd "$APP_DIR"``, ``cd`` alone: ``$HOME``,
    ``cd -``, ``popd``) is an unknown value, until an absolute ``cd`` after it."""
    commands = unit.parsed.commands
    if unit.movers is None:
        unit.movers = [index for index, move in enumerate(commands)
                       if move.argv and base(move.argv[0].text) in CHDIR_COMMANDS and not move.recovered]
    command = commands[position]
    folder: str | None = ""  # "" the folder the script starts in; None a folder not known
    where: Loc | None = None
    why = ""
    for index in unit.movers:
        if index >= position:
            break
        move = commands[index]
        argv = move.argv
        if move.function != command.function or ((move.subshell or move.pipeline or move.background) and
                                                  not command.subshell) or exclusive(move.choices, command.choices):
            continue
        if not _possible(unit, index):
            continue
        words = [token for token in _tokens(unit, move, _state_at(unit, index))[1:]
                 if not (token.literal and token.text.startswith("-") and token.text != "-")]
        where = unit.command_loc(move)
        target = words[0].text if len(words) == 1 and words[0].literal else ""
        if base(argv[0].text) == "popd" or not target or target == "-" or target.startswith("~"):
            folder = None
            written = " ".join([argv[0].text, *(token.text for token in words)])
            why = f"`{clipped(written)}` goes to a folder the code does not write"
        elif target.startswith("/"):
            folder = posixpath.normpath(target)
        elif folder is not None:
            folder = posixpath.normpath(posixpath.join(folder, target))
    if where is None:
        return None
    return Val(folder, where) if folder is not None else Val.unknown_at(where, why)


def _inside(outer: Val[str] | None, inner: Val[str] | None) -> Val[str] | None:
    """The folder a consumer runs in when a script that moved to ``outer`` runs the script that moved to
    ``inner`` (a relative ``inner`` is below ``outer``)."""
    if outer is None or inner is None:
        return inner if inner is not None else outer
    if not inner.known or (isinstance(inner.value, str) and inner.value.startswith("/")):
        return inner
    if not outer.known:
        return Val.unknown_at(inner.loc, outer.unknown or "")
    return Val(posixpath.normpath(posixpath.join(str(outer.value), str(inner.value))), inner.loc)


def _exports(unit: _Unit, command: Command, state: State[Token]) -> dict[str, Val[str]]:
    """The variables the script has exported when ``command`` runs (``state``: the state there), with their
    values (unknown when not known statically), each at the line of its last assignment before the command."""
    if not state.exported and not command.assignments:
        return {}
    found: dict[str, Val[str]] = {}
    last: dict[str, tuple[int, int]] = {}  # each name: (seq, line) of its last assignment before the command
    for step in unit.parsed.assignments:   # (one pass: a scan per exported name was quadratic)
        if step.seq < command.seq and step.name in state.exported and step.seq >= last.get(step.name, (-1, 0))[0]:
            last[step.name] = (step.seq, step.line)
    for name in sorted(state.exported):
        line = last[name][1] if name in last else command.line
        loc = unit.place(line or command.line, 1, line or command.line, 0)
        value = state.lookup(name)
        if value is UNSET:
            continue  # ``export NAME`` of a name never set: nothing is passed
        found[name] = Val(value, loc) if isinstance(value, str) else \
            Val.unknown_at(loc, unknown_reason(f"${name}", state))
    here = unit.command_loc(command)
    for text in command.assignments:  # ``DJANGO_SETTINGS_MODULE=x exec python manage.py ...``: this command's
        name, _, raw = text.partition("=")
        quoted = QUOTED.fullmatch(raw)
        text_value = quoted.group(2) if quoted is not None and quoted.group(1) == "'" else \
            substitute(quoted.group(2) if quoted is not None else raw, state)
        found[name] = Val(text_value, here) if text_value is not None else \
            Val.unknown_at(here, unknown_reason(raw, state))
    return found



def _sourced(unit: _Unit, position: int, command: Command, ctx: _Ctx) -> list[ConsumerHit]:
    """``. ./worker.sh`` / ``source worker.sh``: the repo script's commands run in this shell.  They are not
    followed; a sourced script that starts a consumer is one hit with an unknown part (HL004), never silence.
    The hop of this shell is not judged: whether the consumer replaces it is decided in the sourced script."""
    target = _tokens(unit, command, _state_at(unit, position))[1]
    script = _find_script(target, ctx)
    parsed = _parse(script.text) if script is not None else None
    what, why = f"sourced script `{clipped(target.text)}`", "hueylint does not follow `.`/`source` (the script runs " \
        "in the shell that sources it)"
    if script is None and target.literal and "huey" in base(target.text).lower() and \
            target.text.endswith((".sh", ".bash")) and command.seq not in unit.sourced and \
            not any(_names_consumer(word.text) for inner in unit.parsed.commands for word in inner.argv):
        # `. ./run-huey.sh`, a script the repository does not hold, where nothing else of the code starts a
        # consumer (beside an `exec huey_consumer`, a sourced `huey.sh` sets its environment)
        consumer: str | None = "unknown"
        why = "not found in the repository"
    elif parsed is None or not parsed.is_shell:
        return []
    else:
        consumer = next((word.text for inner in parsed.commands for word in inner.argv
                         if _names_consumer(word.text)), None)
    if consumer is None:
        return []
    here = unit.command_loc(command)
    hit = ConsumerHit("huey_consumer" if base(consumer) in CONSUMER_SCRIPTS else consumer, [], target.loc,
                      unresolved=[Unresolved(what, why, target.loc)], options_unknown=True, branch=command.branch)
    hit.hops.insert(0, unit.hop(here, True))
    return [hit]


# Commands that never start a consumer: not resolved (saves resolver look-ups on every line of a script).
_BUILTINS = frozenset({
    "set", "shift", "trap", "wait", "exit", "export", "echo", "printf", "cd", "sleep", "true", "false", ":",
    "test", "[", "source", ".", "umask", "ulimit", "declare", "local", "readonly", "unset", "alias", "read",
    "cat", "mkdir", "chown", "chmod", "cp", "mv", "rm", "ln", "touch", "sed", "awk", "grep", "curl", "wget",
    "apt-get", "apk", "pip", "envsubst", "until", "kill", "pgrep",
})


def _short(unit: _Unit, command: Command) -> str:
    """The first four words as written (quotes kept: `exec "$@"` is not `exec $@`), in code quotes."""
    words = command.words[:4]
    text = " ".join(w.text for w in words)
    first, last = words[0], words[-1]
    if first.line == last.line:
        lines = unit.parsed.lines
        if first.line <= len(lines):
            text = lines[first.line - 1][first.col - 1:last.end_col - 1] or text
    return f"`{text}{' ...' if len(command.words) > 4 else ''}`"


def _possible(unit: _Unit, position: int) -> bool:
    """False when a branch test on ``$1`` (or on a variable with a known value) rules the command out for the
    arguments and environment this launch gives.

    ``docker-entrypoint.sh web`` never reaches ``case "$1" in worker)``: without this, every
    service sharing a dispatching entrypoint would count as a consumer launch.  Only literal
    arguments are compared.  A command in a function body is pruned by the tests around its call
    (``case "$1" in worker) run_worker ;;``) and by tests of variables inside the body
    (``if [ "$ENVIRONMENT" = development ]``), never by a test of the function's own ``$1``.
    """
    command = unit.parsed.commands[position]
    for guard in command.guards:
        if _uid_test(unit, guard) is False:
            return False
        if guard.subject in ("$1", "${1}"):
            if guard.function:
                continue  # the function's own argument: what the call passed is not followed
            args = _args_at(unit, position, guard.level)
            if args and not args[0].literal:
                continue
            first = args[0].text if args else ""
            if guard.decides(first) and not guard.admits(first):
                return False
        elif "$" in guard.subject:
            # ``ROLE=${1:-web}; case "$ROLE" in worker)``, or ROLE from the launch's environment: a value the
            # script fixes before the test decides the branch like an argument does
            # the value when the test ran, from the one replay up to the command (a replay of the steps
            # outside the test's branch, for each test, gave the same value at a replay's cost each)
            value = tested_value(guard, _state_at(unit, position))
            if value is not None and guard.decides(value) and not guard.admits(value):
                return False
    return not _after_exec(unit, position)


def _uid_test(unit: _Unit, guard: Guard) -> bool | None:
    """Whether a test of the current user (``[ "$(id -u)" = 0 ]``) passes where the code runs as
    ``unit.identity``; None for any other test, or when the user is not known."""
    kind = uid_subject(guard.subject, unit.parsed.interpreter)
    if kind is None or unit.identity is None:
        return None
    return uid_test_passes(guard, kind, unit.identity)


def _after_exec(unit: _Unit, position: int) -> bool:
    """True when an earlier ``exec`` on the way to the command always runs first and replaces the shell:
    ``if [ "$(id -u)" = 0 ]; then exec gosu app "$0" "$@"; fi`` run as root never reaches what follows.
    Only branches decided by a test of the current user count (the user is known for the whole run).  An
    ``exit`` in branches the launch's arguments or environment decide ends the script before it too
    (``[ "$1" = web ] && exit 0`` run with ``web``)."""
    commands = unit.parsed.commands
    command = commands[position]
    if unit.enders is None:
        unit.enders = [index for index, each in enumerate(commands) if each.name == "exit" or each.exec]
    for index in unit.enders[:bisect_left(unit.enders, position)]:
        earlier = commands[index]
        if (earlier.name == "exit" or _replaces(unit, index)) and earlier.same_process and not earlier.loop and \
                earlier.seq < command.seq and earlier.function == command.function and \
                earlier.call_site == command.call_site and may_be_taken(earlier, command) and \
                branches_taken(earlier, command, _state_at(unit, index)):
            return True
        if not (earlier.exec and earlier.argv and earlier.same_process and not earlier.background) or \
                earlier.loop or earlier.function != command.function or earlier.call_site != command.call_site or \
                earlier.seq >= command.seq or \
                not _compatible(earlier, command) or len(earlier.conditions) <= len(command.conditions):
            continue
        if _uid_taken(unit, earlier, len(command.conditions)) and _known_program(unit, index):
            return True
    return False


def _replaces(unit: _Unit, position: int) -> bool:
    """The command at ``position`` is ``exec PROGRAM ...`` of a known program other than the script itself
    (``exec gosu app "$0" "$@"`` runs the script again: what follows may run in that second run)."""
    command = unit.parsed.commands[position]
    return command.exec and bool(command.argv) and not command.background and \
        not any(re.search(r"\$\{?(?:0\b|BASH_SOURCE)", word.text) for word in command.words) and \
        _known_program(unit, position)


def _known_program(unit: _Unit, position: int) -> bool:
    """The program the command at ``position`` runs (after its launchers) is a word hueylint can read, or its
    words name a consumer (an unknown program is then reported with them, HL004).  An ``exec gosu app
    "$(readlink -f "$0")"`` followed by none leaves what comes after it possible: hueylint knows nothing better,
    and cutting it off was silence (no launch at all)."""
    tokens = _tokens(unit, unit.parsed.commands[position], _state_at(unit, position))
    unwrapped = _unwrap(tokens)
    if unwrapped is None or unwrapped[0] >= len(tokens):
        return False
    return tokens[unwrapped[0]].literal or any(_names_consumer(token.text) for token in tokens)


def _tests_uid(unit: _Unit) -> bool:
    """The script tests the current user somewhere, and that user is known: its way through those tests is
    decided, so an unconditional ``exec gosu app "$0" "$@"`` after ``if [ "$(id -u)" != 0 ]; then exec "$@";
    fi`` is the one way on for root (followed once more as app, as one taken in a branch is)."""
    if unit.uid_tested is None:  # (every command's guards, for each command, was quadratic)
        unit.uid_tested = any(_uid_test(unit, guard) is not None for command in unit.parsed.commands
                              for guard in command.guards)
    return unit.uid_tested


def _uid_taken(unit: _Unit, command: Command, start: int = 0) -> bool:
    """Every branch around ``command`` from the ``start``-th on is taken by a passing test of the current
    user (and there is at least one): ``exec gosu app "$0" "$@"`` in ``if [ "$(id -u)" = 0 ]`` run as root."""
    decided = {guard.level for guard in command.guards if _uid_test(unit, guard) is True}
    levels = range(start, len(command.conditions))
    return bool(levels) and all(level in decided for level in levels)


def _args_at(unit: _Unit, position: int, level: int | None = None) -> list[Token]:
    """The script's ``$@`` when ``position`` runs: ``shift`` / ``set --`` / argument loops on the same path.

    ``level`` limits this to commands outside the command's innermost branches (a test's own view).
    """
    return _state_at(unit, position, level).args


def _evaluator(unit: _Unit) -> Evaluator[Token]:
    """The states of ``unit``'s commands (:mod:`hueylint.shell_eval`).  It depends only on the code, the
    arguments, the environment and the file the words' locations point into, so a script file's evaluator
    serves every launch that runs it the same way (:func:`_script` shares it through the run's memo)."""
    return Evaluator(unit.parsed, unit.args, lambda word, state: _expand(unit, word, state), unit.env, unit.name,
                     taken=lambda command, start: _uid_taken(unit, command, start),
                     unsure=lambda token, why: Token(token.text, token.loc, why=why), sourced=unit.sourced,
                     env_complete=unit.env_complete)


def _state_at(unit: _Unit, position: int, level: int | None = None) -> State[Token]:
    if unit.evaluator is None:
        unit.evaluator = _evaluator(unit)
    return unit.evaluator.at(position, level)


_VAR = lazy_pattern(r"^\$\{?([A-Za-z_][A-Za-z0-9_]*)(\[[@*]\])?\}?$")


def _expand(unit: _Unit, word: Word, state: State[Token]) -> list[Token]:
    """One word as the shell expands it at this point of the script.

    ``"$@"`` (or a variable that captured it) becomes the forwarded arguments; a variable the script set
    before (``consumer=/opt/venv/bin/huey_consumer; exec "$consumer"``) or a default
    (``${VENV:-/opt/venv}/bin/...``) is replaced by its value, split into words when unquoted; anything
    else stays as written (not literal: unknown).
    """
    loc = unit.loc(word)
    if word.text in FORWARD_FORMS:
        if word.quoted and "*" in word.text:  # "$*": the arguments joined into one word
            return _joined(word, loc, state.args)
        return list(state.args) if word.quoted else _resplit(state.args)
    match = _VAR.match(word.text)
    if match:
        value = state.vars.get(match.group(1))
        if isinstance(value, Captured):
            if word.quoted and not value.array and not match.group(2):  # "$CLI" with CLI="$@": one word
                joined = substitute(word.text, state)
                return [Token(joined if joined is not None else word.text, loc)]
            if value.array and not match.group(2):  # "$ARGS" of an array: its first word (bash)
                return list(value.items[:1])
            if not word.quoted:  # ${ARGS[@]} unquoted: each known word split again
                return _resplit(value.items)
            if match.group(2) == "[*]":  # "${ARGS[*]}": one word
                return _joined(word, loc, value.items)
            return list(value.items)
        if match.group(1) not in state.vars and match.group(1) in unit.parsed.forward_vars:
            return list(state.args)
        words = None if word.quoted or match.group(2) else partial_words(value)
        if words is not None:  # ``exec $CMD`` with CMD="./manage.py run_huey --workers $N": its known words
            return [Token(piece, loc, why=why, computed=bool(why) and computed(piece, state) is not None)
                    for piece, why in words]
    if word.literal or "$" not in word.text:
        return [Token(word.text, loc)]
    value_text = substitute(word.text, state)
    if value_text is not None and word.quoted and _several_words(word.text, state):
        value_text = None  # "x${ARGS[@]}y", "${ARGS[@]:-d}": a word per item, not one joined word
    if value_text is None:
        # ``"$PYTHON"`` after ``PYTHON="${APP_DIR}/venv/bin/python"`` (APP_DIR computed): read as that text, what
        # is literal in it (the program's name, a script's path below the unknown folder) as if written in place
        written = as_written(match.group(1), state) if match and word.quoted and not match.group(2) else None
        return [Token(written if written is not None and "$" in written else word.text, loc,
                      why=unknown_reason(word.text, state), computed=computed(word.text, state) is not None)]
    if word.quoted:
        return [Token(value_text, loc)]
    return [Token(piece, loc) for piece in value_text.split()]


def _resplit(items: Sequence[Token]) -> list[Token]:
    """Unquoted ``$@`` / ``${ARGS[@]}``: each known word split again at blanks (bash's word splitting)."""
    return [token for item in items for token in
            ([Token(piece, item.loc, item.why) for piece in item.text.split()] if item.literal or item.why else [item])]


def _joined(word: Word, loc: Loc, items: Sequence[Token]) -> list[Token]:
    """``"$*"`` / ``"${ARGS[*]}"``: the words joined by a space into one (bash, default ``IFS``)."""
    if any(not item.literal for item in items):
        return [Token(word.text, loc, why="joins words that are not known statically into one")]
    return [Token(" ".join(item.text for item in items), loc)]


_SEVERAL = lazy_pattern(r"\$(?:@|\{@[^}]*\}|\{([A-Za-z_][A-Za-z0-9_]*)\[@\][^}]*\})")


def _several_words(text: str, state: State[Token]) -> bool:
    """``text`` (a quoted word) holds ``$@`` or ``${ARGS[@]}`` inside more text or with an operator, and
    that expands to other than one word: bash makes a word of each (never one joined word)."""
    for match in _SEVERAL.finditer(text):
        value = state.lookup(match.group(1) or "@")
        if isinstance(value, Captured) and len(value.items) > 1:
            return True
    return False


def _tokens(unit: _Unit, command: Command, state: State[Token]) -> list[Token]:
    return [token for word in command.words for token in _expand(unit, word, state)]


def _judge(unit: _Unit, position: int, hit: ConsumerHit | SupervisorStart, head: Labels,
           judged: Command | None = None) -> None:
    """Add the hop for this code and, when the shell stays in between, the HL201 problem (``judged``: the command
    as it runs, when ``eval`` reads it again, else the one at ``position``)."""
    command = judged or unit.parsed.commands[position]
    here = unit.command_loc(command)
    if isinstance(hit, SupervisorStart):
        noun = f"`{base(hit.argv[0]) if hit.kind == 'procfile' and hit.argv else hit.kind}`"  # honcho, not procfile
        problem = _daemonized(unit, position, head, here, noun) if not hit.foreground else \
            _problem(unit, position, head, here, noun)
    else:
        detached = _detached_here(hit, here)
        # the command leads to the consumer through another hop (a script, a shell, a program): that hop is what this
        # shell runs, and what its `exec` belongs before (``sh -c ". /env && /app/start.sh"``)
        through = _short(unit, command) if any(h.kind != "launcher" for h in hit.hops) else ""
        problem = _problem(unit, position, head, here, "the consumer", command, through) if detached is None else \
            _detached(unit, position, head, here, detached)
        if detached is not None:
            hit.wrappers.remove(detached)
    hop = unit.hop(here, problem is None)
    relay = _trap_relay(unit, position)[1] if command.background and problem is None else None
    if relay is not None:  # ``trap 'kill -INT "$pid"' TERM``: what the consumer receives is what the trap sends
        hop = replace(hop, sends=relay, detail=f"its trap sends the consumer {relay.value} (`kill`) when stopped")
    hit.hops.insert(0, hop)
    hit.branch = "; ".join(b for b in (command.branch, hit.branch) if b)
    where = (unit.rel, "" if unit.rel else str(unit.place(1, 1, 1, 1)))  # a file, or one `-c` string
    hit.choices = tuple(((where, key), clause) for key, clause in command.choices) + hit.choices
    if problem is not None:
        hit.wrappers.append(problem)


def _problem(unit: _Unit, position: int, head: Labels, here: Loc, noun: str,
             judged: Command | None = None, through: str = "") -> WrapperProblem | None:
    """The HL201 problem of the shell running ``command``, which starts ``noun`` (the consumer, or a supervisor);
    ``through``: the command as written when it starts ``noun`` through another hop (a script, a nested shell, a
    program), which is then what the shell runs without ``exec`` (:attr:`WrapperProblem.subject`); None when the shell
    replaces itself by it."""
    command = judged or unit.parsed.commands[position]
    subject = through or noun
    site = _call_site(unit, command)
    blocker = _server_before(unit, position)
    if blocker is not None:  # ``gunicorn app.wsgi && python manage.py run_huey``: reached only when it exits
        labels = site + ((unit.command_loc(blocker), f"runs in the foreground: {_short(unit, blocker)}"),
                         (here, f"starts only after it exits: {_short(unit, command)}"))
        return WrapperProblem("blocked", unit.title, _join(head, labels), branch=command.branch, severe=True,
                              starts=noun, then=_short(unit, blocker))
    if command.background:
        if _trap_relay(unit, position)[0]:
            return None
        return _background(unit, position, head, here, site, noun)
    if command.same_process and command.exec and not command.loop:
        return None
    if unit.execs_sole_command and command.same_process and command.last and not command.loop \
            and _bash_execs_last(unit, command):
        return WrapperProblem(
            "no-exec", unit.title, _join(head, site + ((here, f"started without exec: {_short(unit, command)}"),)),
            branch=command.branch, subject=subject, starts=noun, how="" if len(unit.parsed.commands) == 1 else "list",
            group_init=unit.group_init)
    return WrapperProblem(
        "stays", unit.title, _join(head, site + ((here, f"started without exec: {_short(unit, command)}"),)),
        branch=command.branch, subject=subject, starts=noun, how=_how(command), group_init=unit.group_init,
        shell_waits_on_int=unit.bash)


def _replaces_shell(unit: _Unit, command: Command) -> bool:
    """The shell's own process runs ``command`` (``exec CMD``, or the last command ``bash -c`` execs), so it keeps the
    shell's place: its process group, which it leads when the shell did."""
    if not command.same_process or command.loop:
        return False
    return command.exec or (unit.execs_sole_command and command.last and _bash_execs_last(unit, command))


def _bash_execs_last(unit: _Unit, command: Command) -> bool:
    """True when bash replaces itself by ``command``, the last one of its ``-c`` string: its only command
    (bash 5), or the last of the string's own list (``a && b``, ``a; b``, ``a || b``: bash 5.1 and later);
    never inside ``if``/``case``, a ``{ ...; }`` group or a function, nor with redirections (``cmd 2>&1``), nor
    after a command sent to the background (``a & cmd``) or a ``trap`` that runs something (``trap '' TERM``
    and ``trap - TERM`` do not count) (checked with bash 5.2)."""
    return not (command.conditions or command.grouped or command.function or command.redirected) \
        and not any(other.background or (other.name == "trap" and _trap_runs(other)) for other in unit.parsed.commands)


def _trap_runs(command: Command) -> bool:
    """``trap ACTION SIGNAL...`` sets an action that runs code (not ``''`` ignore, nor ``-`` reset)."""
    words = [word.text for word in command.words[1:] if word.text != "--"]
    return not words or words[0] not in ("", "-") or len(words) == 1


def _how(command: Command) -> str:
    """Why the shell stays in between (:attr:`WrapperProblem.how`)."""
    if command.pipeline:
        return "pipeline"
    if command.subshell:
        return "subshell"
    if command.loop:
        return "loop"
    if command.last:
        return "last"
    return "not-last"


def _call_site(unit: _Unit, command: Command) -> Labels:
    if command.call_site is None:
        return ()
    return ((unit.loc(command.call_site), f"calls `{command.function}`"),)


def _background(unit: _Unit, position: int, head: Labels, here: Loc, site: Labels, noun: str) -> WrapperProblem:
    """The worst case: ``run_huey &`` then the shell runs (or becomes) something else."""
    command = unit.parsed.commands[position]
    after = _next_foreground(unit, position)
    then = ""
    labels = site + ((here, f"started in the background: {_short(unit, command)} &"),)
    if after is not None:
        then = _short(unit, after)
        labels += ((unit.command_loc(after), f"then {_short(unit, after)}"),)
    return WrapperProblem("background", unit.title, _join(head, labels), branch=command.branch, severe=True,
                          starts=noun, then=then, group_init=unit.group_init)


def _detached_here(hit: ConsumerHit, here: Loc) -> WrapperProblem | None:
    """The ``detached`` problem a program of the command at ``here`` gave the hit (``screen -dm ...``), else None."""
    for problem in hit.wrappers:
        if problem.how == "detached" and problem.locs:
            loc = problem.locs[-1][0]
            if loc.path == here.path and here.line <= loc.line <= (here.end_line or here.line):
                return problem
    return None


def _detached(unit: _Unit, position: int, head: Labels, here: Loc, found: WrapperProblem) -> WrapperProblem:
    """A script's command that starts the consumer detached (``screen -dmS huey ...``), then runs something else:
    the script's own ``background`` problem, naming what it runs next, as for ``&`` (:func:`_background`)."""
    command = unit.parsed.commands[position]
    after = _next_foreground(unit, position)
    labels = _call_site(unit, command) + ((here, f"started detached: {_short(unit, command)}"),)
    then = ""
    if after is not None:
        then = _short(unit, after)
        labels += ((unit.command_loc(after), f"then {_short(unit, after)}"),)
    return WrapperProblem("background", unit.title, _join(head, labels), branch=command.branch, severe=True,
                          starts="the consumer", then=then, how="detached", tool=found.tool)


def _daemonized(unit: _Unit, position: int, head: Labels, here: Loc, noun: str) -> WrapperProblem | None:
    """``supervisord -c x.conf`` (daemonizes) then ``exec nginx``: nobody stops the supervised consumer.

    Without a following command the script simply ends; that is a different failure (the container
    exits at once) which users notice themselves, so nothing is said.
    """
    command = unit.parsed.commands[position]
    after = _next_foreground(unit, position)
    if after is None:
        return None
    labels = _call_site(unit, command) + ((here, f"daemonizes: {_short(unit, command)}"),
                                          (unit.command_loc(after), f"then {_short(unit, after)}"))
    return WrapperProblem("daemonizes", unit.title, _join(head, labels), branch=command.branch, severe=True,
                          starts=noun, then=_short(unit, after))


#: servers that run in the foreground until stopped, and the words that make one detach instead
_FOREGROUND_SERVERS = {"gunicorn": ("-D", "--daemon"), "uvicorn": (), "daphne": (), "hypercorn": (),
                       "waitress-serve": (), "granian": (), "uwsgi": ("-d", "--daemonize", "--daemonize2")}


def _server_before(unit: _Unit, position: int) -> Command | None:
    """A server started in the foreground before the command at ``position``, on every path to it (``gunicorn ... &&
    run_huey``, ``manage.py runserver`` then ``run_huey``): the shell reaches the command only once it exits."""
    command = unit.parsed.commands[position]
    for earlier in unit.parsed.commands[:position]:
        if earlier.background or earlier.conditions != command.conditions[:len(earlier.conditions)] or \
                earlier.choices != command.choices[:len(earlier.choices)]:
            continue  # not on every path to the command (``if [ "$ROLE" = web ]; then gunicorn ...; exit; fi``)
        if earlier.maybe and earlier.op_after != "&&":
            continue  # ``[ "$ROLE" = web ] && gunicorn ...; run_huey``: the server may not run at all
        if _foreground_server([word.text for word in earlier.argv]):
            return earlier
    return None


def _foreground_server(words: list[str]) -> bool:
    """``words`` run a web or app server that stays in the foreground (:data:`_FOREGROUND_SERVERS`, also as
    ``python -m NAME``), or Django's ``runserver`` / ``flask run``; launchers before it (``nice``, ``env``) skipped."""
    unwrapped = _unwrap([Token(word, Loc()) for word in words])
    words = words[unwrapped[0]:] if unwrapped is not None else words
    if not words:
        return False
    name = base(words[0])
    if name.startswith(PYTHONS) and name.rstrip("0123456789.") in PYTHONS and len(words) > 1:
        if words[1] == "-m" and len(words) > 2:
            words, name = words[2:], words[2]
        elif _is_manage_py(words[1]):
            return any(word in ("runserver", "runserver_plus") for word in words[2:3])
    if _is_manage_py(name):
        return any(word in ("runserver", "runserver_plus") for word in words[1:2])
    if name == "flask":
        return "run" in words[1:]
    detach = _FOREGROUND_SERVERS.get(name)
    return detach is not None and not any(word.split("=", 1)[0] in detach for word in words[1:])


def _compatible(a: Command, b: Command) -> bool:
    """Both commands can run on one path: one's branch conditions extend the other's."""
    n = min(len(a.conditions), len(b.conditions))
    return a.conditions[:n] == b.conditions[:n]


#: job-control builtins, which start nothing (a script has no job control: ``fg`` fails with "no job control")
_JOB_CONTROL = frozenset({"fg", "bg", "jobs", "disown"})


def _next_foreground(unit: _Unit, position: int) -> Command | None:
    """What the shell runs after backgrounding the consumer: the first ``exec``, else the last command (the one
    before a closing job-control builtin: ``uvicorn main:app; fg`` runs the server)."""
    command = unit.parsed.commands[position]
    later = [c for c in unit.parsed.commands[position + 1:]
             if c.same_process and _compatible(command, c) and c.name not in ("wait", "exit", "echo")]
    for candidate in later:
        if candidate.exec and candidate.argv:
            return candidate
    finals = [c for c in later if c.last]
    if finals and finals[-1].name in _JOB_CONTROL:
        started = [c for c in later if c.name not in _JOB_CONTROL and not c.background]
        return started[-1] if started else None
    return finals[-1] if finals else None


#: ``kill``'s signal as a trap's handler writes it (``kill -INT``, ``kill -2``, ``kill -s SIGINT``, ``kill -n 2``);
#: none written is SIGTERM, kill's default
_KILL_SIGNAL = lazy_pattern(r"\bkill\s+(?:-[sn]\s+|-)(?:SIG)?([A-Za-z]+|\d+)\b", re.I)
_SIGNAL_NUMBERS = {"1": "HUP", "2": "INT", "3": "QUIT", "9": "KILL", "15": "TERM"}


def group_reaches(hop: Hop, who: str) -> Hop:
    """``hop`` where the platform signals every process of the launch (``who``: systemd's default
    ``KillMode=control-group``, a PaaS dyno): a script or shell whose trap relays another signal
    (:func:`_trap_relay`) no longer decides what the consumer receives, the platform's signal reaches it first."""
    if hop.kind not in ("shell", "script") or hop.sends is None:
        return hop
    return replace(hop, sends=None, detail=f"its trap sends {hop.sends.value}, but {who} signals the consumer too")


def _trap_relay(unit: _Unit, position: int) -> tuple[bool, Val[str] | None]:
    """Whether a ``trap`` on TERM/INT that runs ``kill`` relays the stop signal to the consumer started in the
    background at ``position``, which the shell then waits for (``consumer & pid=$!; trap 'kill -INT "$pid"' TERM;
    wait "$pid"``; the trap set before the start or after it, as long as before the ``wait``: bash runs it once
    the signal arrives during ``wait``), and the signal it sends when it traps SIGTERM, every platform's default
    stop signal: the one its ``kill`` names, else SIGTERM (kill's default), at the trap.  A trap on INT alone
    relays what it receives as far as is modelled (None: the platform's signal goes on unchanged)."""
    commands = unit.parsed.commands
    waits = [c for c in commands[position + 1:] if c.name == "wait" and c.same_process]
    if not waits:
        return False, None
    relays, sends = False, None
    for command in commands:
        if command.seq >= waits[0].seq:
            break
        words = [w.text.upper().removeprefix("SIG") for w in command.words]
        if command.name != "trap" or len(words) < 3 or not {"TERM", "INT", "15", "2"} & set(words[2:]):
            continue
        handler = command.words[1].text
        body = handler if "kill" in handler else \
            unit.parsed.text if handler in unit.parsed.functions and "kill" in unit.parsed.text else ""
        relays, sends = bool(body), None  # a later trap replaces the earlier one
        if body and {"TERM", "15"} & set(words[2:]):
            found = _KILL_SIGNAL.search(body)
            name = "TERM" if found is None else _SIGNAL_NUMBERS.get(found.group(1), found.group(1).upper())
            sends = Val(name, unit.command_loc(command))
    return relays, sends


# -- supervisors started by a command -------------------------------------------------------------

def supervisor_invocation(tokens: list[Token]) -> tuple[str, str | None, bool] | None:
    """``(kind, config path or None, runs in the foreground)`` when the command starts a supervisor.

    ``supervisord -n -c /etc/supervisor/conf.d/app.conf`` -> ``("supervisord", "/etc/...", True)``;
    ``circusd circus.ini`` -> ``("circus", "circus.ini", True)``; s6-overlay ``/init`` ->
    ``("s6", None, True)``; ``service supervisor start`` -> ``("supervisord", None, False)``.
    Launchers (``exec``, ``tini``, ``gosu`` ...) are skipped first.  The container and supervisor
    platforms link the config file; :func:`resolve` returns no consumer for these commands.
    """
    unwrapped = _unwrap(tokens)
    if unwrapped is None:
        return None
    return _supervisor(tokens[unwrapped[0]:])


def _supervisor(rest: list[Token]) -> tuple[str, str | None, bool] | None:
    if not rest:
        return None
    words = _interpreted_supervisor([t.text for t in rest])
    name = base(words[0])
    if name == "supervisord":
        return "supervisord", _option(words[1:], ("-c", "--configuration")), _nodaemon(words[1:])
    if name == "circusd":
        positional = [w for w in words[1:] if not w.startswith("-")]
        return "circus", positional[0] if positional else None, "--daemon" not in words
    run = procfile_run(words)
    if run is not None:  # forego/honcho/foreman run the entries of ./Procfile (``-f`` another) in the foreground
        return "procfile", run.procfile, True
    if words[0] == "/init" or name in ("s6-svscan",):
        return "s6", (words[1] if name == "s6-svscan" and len(words) > 1 else None), True
    if name == "service" and len(words) > 2 and words[1] in ("supervisor", "supervisord") and words[2] in (
            "start", "restart"):
        return "supervisord", None, False
    if words[0] in ("/etc/init.d/supervisor", "/etc/init.d/supervisord") and len(words) > 1 and \
            words[1] in ("start", "restart"):
        return "supervisord", None, False
    return None


#: the supervisors whose installed entry script Python can be given to run (``python .venv/bin/supervisord``)
_PYTHON_RUN_SUPERVISORS = ("supervisord", "circusd")


def _interpreted_supervisor(words: list[str]) -> list[str]:
    """The supervisor's own command line when Python runs it: ``python -m supervisor.supervisord ARGS`` (the
    module runs ``main()`` when run as a script) and ``python [-u ...] PATH/supervisord ARGS`` (the console script
    pip installed, given to the interpreter as a file) are ``supervisord ARGS``; likewise a path to ``circusd``.
    Any other command line is returned as it is."""
    name = base(words[0]) if words else ""
    if not (name.startswith(PYTHONS) and name.rstrip("0123456789.") in PYTHONS):
        return words
    index = 1
    while index < len(words) and words[index].startswith("-") and words[index] not in ("-m", "-c"):
        index += 2 if words[index] in ("-W", "-X") else 1
    if index + 1 < len(words) and words[index] == "-m" and words[index + 1] == "supervisor.supervisord":
        return ["supervisord", *words[index + 2:]]
    if index < len(words) and base(words[index]) in _PYTHON_RUN_SUPERVISORS:
        return words[index:]
    return words


def _nodaemon(words: list[str]) -> bool:
    """``-n``/``--nodaemon``, also inside a getopt cluster such as ``-nc file``."""
    for word in words:
        if word == "--nodaemon":
            return True
        if word.startswith("-") and not word.startswith("--"):
            for letter in word[1:]:
                if letter == "n":
                    return True
                if letter in "cudlyzeijkqt":  # options that take a value end the cluster
                    break
    return False


def _option(words: list[str], names: tuple[str, ...]) -> str | None:
    for index, word in enumerate(words):
        for name in names:
            if word == name and index + 1 < len(words):
                return words[index + 1]
            if name.startswith("--") and word.startswith(name + "="):
                return word[len(name) + 1:]
            if not name.startswith("--") and word.startswith(name) and len(word) > len(name):
                return word[len(name):]
    return None


def split_command_line(text: str, loc: Loc) -> list[Token]:
    """Split a command line the POSIX way (systemd and supervisord are close enough for the slice)."""
    return [Token(word, loc) for word in split(text)]
