"""The deployment model every rule reads.

Parsers turn files into launches and app facts; rules only ever look at the
objects defined here, so a rule written once covers systemd, supervisord,
Docker, compose, Kubernetes and the PaaS alike.  Every value carries a
:class:`Loc` saying where it came from (a file position, or a platform
default), because a finding is only actionable when it can say *why* hueylint
believes the value.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from hueylint.launch_facts import (
    CircusFacts,
    ComposeFacts,
    ConsumerFacts,
    DockerFacts,
    KubernetesFacts,
    ProcfileFacts,
    S6Facts,
    SupervisordFacts,
    SystemdFacts,
)
from hueylint.records import dataclass

if TYPE_CHECKING:
    from hueylint.appmodel import App, Repo

from hueylint.hueyfacts import DEFAULT_GRACEFUL_SIGNAL, DEFAULT_PERIODIC, DEFAULT_WORKER_TYPE
from hueylint.locations import Loc

T = TypeVar("T")

INFINITY = math.inf
#: the script branches a path took: ``((script, statement), clause)`` per ``if``/``case`` on the way (the
#: shell layer's keys: any hashable identifying the statement), see :func:`exclusive`
Choices = tuple[tuple[object, int], ...]

@dataclass(frozen=True, slots=True)
class Val(Generic[T]):
    """A value with provenance.

    ``unknown`` is non-empty when the value cannot be known statically (a
    template placeholder, an environment variable); rules must then stay
    silent or say so, never guess.
    """

    value: T | None
    loc: Loc
    unknown: str = ""

    @property
    def known(self) -> bool:
        return not self.unknown

    @classmethod
    def default(cls, value: T | None, origin: str) -> "Val[T]":
        return cls(value, Loc.platform_default(origin))

    @classmethod
    def unknown_at(cls, loc: Loc, reason: str) -> "Val[Any]":
        return cls(None, loc, reason)

    def where(self) -> str:
        """Short provenance for messages: ``deploy/huey.service:12`` or ``systemd default``."""
        return str(self.loc)


@dataclass(frozen=True, slots=True)
class Restart(Val[bool]):
    """Whether the platform starts the consumer again when it exits (``Launch.restart``), decided by a setting
    other than the platform's usual restart key, which ``setting`` names for a message and a fix that must edit it
    rather than add that key: ``"condition"``: compose's ``deploy.restart_policy.condition`` as written, at its
    value (``docker compose up`` applies ``deploy.restart_policy`` over ``restart:``, a Docker Swarm stack reads it
    alone); ``"policy"``: a ``deploy.restart_policy`` without a ``condition``, at its key (no restart under
    ``docker compose up``, whatever ``restart:`` says).  ``refused``: the value as written when the tool that
    deploys it refuses it (compose ``restart: on_failure``, a Swarm ``condition: no``; ``setting`` says which key),
    the verdict then False: no restart policy works until it is fixed.  Any other verdict is a plain :class:`Val`."""

    setting: str = ""
    refused: str = ""


def signal_name(value: str | None) -> str:
    """Render a normalised signal (``INT``) the way users write it (``SIGINT``)."""
    return f"SIG{value}" if value else "?"


def format_seconds(value: float | None) -> str:
    if value is None:
        return "?"
    if value == INFINITY:
        return "infinity"
    if float(value).is_integer():
        return f"{int(value)}s"
    return f"{value:g}s"


@dataclass(frozen=True, slots=True)
class HueyVersion:
    """The huey version a launch or app runs, and why hueylint believes it.

    ``value`` is the release as a tuple padded to three parts (``(3, 5, 4)``), None when nothing says
    (then the newest is assumed).  ``basis`` says where it comes from: ``"pin"`` (an exact ``==``),
    ``"lock"`` (a lock file's resolved version), ``"range"`` (the newest huey release the constraints
    ``spec`` allow: ``huey>=2.0`` is no pin, pip installs the newest), ``"configured"`` (the
    ``huey-version`` setting, ``spec`` as written), ``"code"`` (no dependency file names huey, but the code
    imports ``spec``, a module only huey before 1.0 has: 0.4.9 at most) or ``"assumed"`` (nothing found).  ``loc`` is the
    deciding requirement line (a platform default for the last two).  Shaped like :class:`Val` (``value``,
    ``loc``, ``known``, ``where()``) so it can stand where one was read.
    """

    value: tuple[int, ...] | None
    loc: Loc
    basis: str = "pin"
    spec: str = ""

    known = True
    unknown = ""

    def where(self) -> str:
        return str(self.loc)

    def at_least(self, *wanted: int) -> bool:
        """True when this huey is at least ``wanted`` (unknown means newest)."""
        return not self.value or tuple(self.value) >= wanted

    @property
    def text(self) -> str:
        """``3.5.4`` (``3.5`` as configured), or ``(newest)`` when unknown."""
        if self.basis == "configured" and self.spec:
            return self.spec
        if self.basis == "code" and self.value:
            return "<1.0"
        return ".".join(map(str, self.value)) if self.value else "(newest)"

    def describe(self) -> str:
        """``huey 2.5.0 (pinned in a/requirements.txt:1)`` and the like, for messages."""
        if self.value is None:
            return "huey version unknown, newest assumed"
        how = {"pin": f"pinned in {self.loc}", "lock": f"locked in {self.loc}",
               "configured": "configured `huey-version`",
               "range": f"the newest release `{self.spec}` allows, {self.loc}",
               "code": f"the code imports `{self.spec}`, which huey 1.0 removed: {self.loc}",
               }.get(self.basis, str(self.loc))
        return f"huey {self.text} ({how})"


ASSUMED_VERSION = HueyVersion(None, Loc.platform_default("unknown huey version: newest assumed"), "assumed")


@dataclass(frozen=True, slots=True)
class Hop:
    """One process between the platform and the consumer.

    The chain of a launch starts with the platform (systemd, Docker, ...), may
    pass through supervisors (supervisord inside a container), scripts and
    launchers, and ends at the consumer.  ``sends`` is the signal this hop
    sends downward when it is stopped and ``deadline`` the seconds it waits
    before SIGKILL; ``passes_signal`` is False when the stop signal cannot
    reach the consumer through this hop (a shell that did not ``exec``).
    """

    kind: str  # "platform" | "supervisor" | "script" | "shell" | "launcher"
    name: str
    loc: Loc
    sends: Val[str] | None = None
    deadline: Val[float] | None = None
    passes_signal: bool = True
    detail: str = ""
    max_deadline: float | None = None  # the largest deadline the platform accepts (Fly.io, Render: 300 s)
    #: a program that runs the consumer only while it holds a lock shared by every instance (a Kubernetes
    #: Lease: leader election), where it takes it: one consumer at a time, however many instances run
    elected: Loc | None = None
    #: signals this hop rewrites before passing them on (``dumb-init --rewrite 15:2``: SIGTERM arrives as SIGINT),
    #: as (received, sent) names; :func:`hueylint.launches.make_launch` turns them into :attr:`sends`
    rewrites: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class WrapperProblem:
    """Why a shell between the supervisor and the consumer loses the stop signal (HL201), as facts: the HL201
    rule (:mod:`hueylint.checks.hl201_shell_wrapper`) writes the message.

    ``kind`` is what the shell does: ``"stays"`` (it stays in between; ``how`` says why: ``"pipeline"``,
    ``"subshell"``, ``"loop"``, ``"last"`` (the last command, without ``exec``) or ``"not-last"``),
    ``"no-exec"`` (bash runs its lone command, or the last command of its ``-c`` string's list (``how`` is
    ``"list"``: bash 5.1+), without ``exec``: it replaces itself today, by optimisation),
    ``"background"`` (``&``, then the shell runs ``then``), ``"daemonizes"`` (``starts``, a supervisor,
    daemonizes, then the shell runs ``then``), ``"su"`` (``su -c`` forks a shell for the command) or
    ``"forks"`` (a launcher such as ``xvfb-run`` runs the command as its child and relays no signal; ``how``
    ``"program"``: a repository Python program starting the consumer as its child, severe: it signals it never) or
    ``"blocked"`` (a server runs in the foreground before it, ``then`` names it: reached only when it exits).
    ``shell`` names the shell as written (``script `docker/start.sh```, ```sh -c```, ```su -c```);
    ``starts`` what it starts (``the consumer``, ```supervisord```); ``then`` the command it runs next
    (its first four words, in code quotes; "" when none).  ``locs`` lists every file of the broken chain,
    primary first (the launch line), then the script lines.  ``branch`` names the environment condition
    when the problem is inside one branch of a script.  ``platform`` says how the platform changes the
    outcome: ``"systemd-control-group"`` (systemd signals every process of the unit: what breaks is
    ``$MAINPID``), ``"procfile"`` (a Procfile entry's background consumer is not supervised), ``"container"``
    (a shell in a container the platform's command runs: its stop is the engine's), else "".
    """

    kind: str
    shell: str
    locs: tuple[tuple[Loc, str], ...]
    branch: str = ""
    severe: bool = False  # the consumer receives no stop signal at all (backgrounded / daemonised)
    # what the shell runs without exec, for the message and the fix: "the consumer" (or "`supervisord`"), or, when
    # that command leads there through another hop (a script, a nested shell, a program), the command as written
    # (```/app/start.sh```): that hop is the one the shell should `exec`
    subject: str = "the consumer"
    starts: str = "the consumer"  # what the shell starts, as the message names it
    how: str = ""  # "stays": why the shell stays in between
    then: str = ""  # "background" / "daemonizes": what the shell runs next
    platform: str = ""  # "systemd-control-group" | "procfile" | "container" (inside one a platform runs) | ""
    # the shell is not a hop of the launch's chain (a script nothing in the repository runs daemonizes the
    # supervisor of this launch): the chain's own hops still stop the consumer
    outside: bool = False
    # "stays" and "background" (and "no-exec", recorded alike) under an init that signals the whole process group
    # (``dumb-init`` by default, ``tini -g``), as written: the consumer gets the signal too, but the shell dies on it
    # and the init exits with its child (dumb-init.c: on its child's exit it sends the group SIGTERM and exits; the
    # container's last processes are then killed), so the consumer's graceful shutdown is cut short all the same
    group_init: str = ""
    # "stays": the shell is bash (a script with a bash shebang, a ``bash -c`` string), which on SIGINT waits for its
    # foreground command and exits only if that command died of SIGINT (bash's "wait and cooperative exit",
    # jobs.c wait_sigint_handler); dash 0.5.11+ (Debian 11 on) exits at once (error.c onint: exception EXINT, and a
    # non-interactive shell ends on it), even while it waits for a foreground command
    shell_waits_on_int: bool = False
    # "background" with ``how`` "detached": the program that detached the consumer, as written (```screen -dm```,
    # ```tmux new-session -d```, ```setsid -f```, ```pm2 start```): it runs in a session of its own
    tool: str = ""

    @property
    def substitutes_signal(self) -> bool:
        """``su -c``, ``runuser USER -c`` or ``runuser -u USER CMD`` outside a systemd control group: on the stop
        signal su's waiting parent sends its child SIGTERM and SIGKILL 2 s later (util-linux su-common.c), so
        neither the platform's signal nor its deadline (docker, compose, Kubernetes, supervisord) is what the
        consumer gets: the hops above it are judged like those above a background ``&``.  Under systemd every
        process of the unit gets the unit's KillSignal as well, so it is no break there."""
        return self.kind == "su" and self.platform != "systemd-control-group"

    @property
    def relays_nothing(self) -> bool:
        """A launcher that forks, runs the consumer as its child and waits, relaying no signal (``flock`` without
        ``-F``: util-linux flock.c forks, then only ``waitpid``s, with the default action for SIGTERM and SIGINT;
        ``xvfb-run``, ``honcho run``), outside a systemd control group: the platform's stop signal ends that
        launcher (or, as a container's PID 1, is ignored until SIGKILL) and never reaches the consumer, so the
        hops above it are judged like those above a background ``&`` (HL101's ``-g TERM`` or stop signal, HL102's
        deadline change nothing until HL201's fix).  Under systemd every process of the unit gets KillSignal."""
        return self.kind == "forks" and self.how != "uv" and self.platform != "systemd-control-group"

    @property
    def drops_first_sigint(self) -> bool:
        """``uv run`` (``uvx``, ``uv tool run``) between the platform and the consumer: uv passes SIGTERM on, and a
        SIGINT only when it comes a second time, taking the first as a terminal's Ctrl-C that reached its whole
        process group (crates/uv/src/commands/run.rs, run_to_completion).  It breaks the stop only when SIGINT is
        sent to uv alone: not under an init that signals the whole group (``group_init``) nor under systemd's
        default KillMode=control-group, which signals every process of the unit (HL201 then has nothing to say)."""
        return self.kind == "forks" and self.how == "uv" and not self.group_init and \
            self.platform != "systemd-control-group"


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A part of a consumer launch hueylint could not follow (HL004), and why.

    ``what`` names it as written (``script `/usr/local/bin/start-worker.sh```, ```$MANAGE```, ``module
    `tasks.worker```); ``why`` is one of the reasons the chain gives (``not found in the repository``,
    ``variable not resolvable: ...``, ``module not in the repository``); ``loc`` is where it is written;
    ``computed``: the part is a value the script computes by a command substitution on every path to the command
    (``"$MANAGE"`` after ``MANAGE=$(find ...)``), which only a run knows (HL004's fix then says to write it literally).
    """

    what: str
    why: str
    loc: Loc
    computed: bool = False


#: :attr:`Unresolved.why` of a consumer a container runner starts (``docker run IMAGE python manage.py run_huey``
#: in a systemd unit): the container engine stands between the platform and the consumer
CONTAINER_WHY = ("it runs the consumer in a container, stopped by the container engine (the signals the client "
                 "forwards, or `docker stop`/`podman stop` with the container's stop signal and a 10 s deadline), "
                 "which is not followed")
#: :attr:`Unresolved.why` of a consumer ``systemd-run`` starts (systemd-run(1): a transient ``.service`` the service
#: manager starts, or with ``--scope`` a ``.scope`` unit): systemd stops it with that unit's settings, not the launch's
TRANSIENT_UNIT_WHY = ("it runs the consumer in a transient systemd unit of its own (`systemd-run`), stopped by systemd "
                      "with that unit's KillSignal and TimeoutStopSec (its `-p` properties, else systemd's defaults: "
                      "SIGTERM, 90 s), which is not followed")
#: :attr:`Unresolved.why` of a consumer uWSGI runs as a daemon attached to its master (``--attach-daemon CMD``, the
#: ``smart`` and ``attach-daemon2`` forms, ``UWSGI_ATTACH_DAEMON``).  uWSGI 2.0 core/daemons.c: a daemon's
#: ``stop_signal`` is SIGTERM unless ``attach-daemon2``'s ``stopsignal=N``; ``uwsgi_detach_daemons`` (the master
#: stopping or reloading) sends it to a daemon without a pidfile every second and SIGKILL once ``reload-mercy``
#: (3 s when unset) has passed; a ``smart`` daemon (pidfile) is left running.  "Managing the uWSGI server": the
#: master takes SIGTERM as a brutal reload unless ``--die-on-term``.
UWSGI_DAEMON_WHY = ("uWSGI runs it as a daemon attached to its master, which stops it with SIGTERM (`attach-daemon2`'s "
                    "`stopsignal`) and SIGKILL 3 s later (`reload-mercy`) when the master stops or reloads, whatever "
                    "signal the platform sends the master (SIGTERM reloads uWSGI unless `--die-on-term`); a `smart` "
                    "daemon with a pidfile is left running; which is not followed")
#: :attr:`Unresolved.why` of a consumer a make target's recipe starts (``worker: make worker``): GNU make runs each
#: recipe line as its child and waits (commands.c fatal_error_signal: SIGTERM is sent on to the children, SIGINT
#: is not), so the launch's stop signal and deadline are not the consumer's
MAKE_WHY = ("make runs the target's recipe as its child and stays its parent (GNU make passes SIGTERM on to its "
            "children and waits for them, never SIGINT), which is not followed")
#: :attr:`Unresolved.why` of an invoke/fabric task that mentions huey (``worker: invoke worker``): the task's Python code
#: runs its commands (``c.run(...)``, each through a shell) as children of the invoke process
TASK_RUNNER_WHY = ("it runs a Python task of the repository whose commands (`c.run(...)`, each through a shell) run as "
                   "children of the task runner, which is not followed")
#: :attr:`Hop.detail` of a program that starts its command detached from itself, in a session of its own
#: (``screen -dm``, ``tmux new-session -d``, ``setsid``, ``pm2 start``: :func:`hueylint.chain._detaching`)
DETACHES = "starts the command detached, in a session of its own; passes no signal on"
#: :attr:`Unresolved.why` of a reference leading outside the checked tree (compose ``extends: file: ../base.yml``):
#: nothing outside it is read, so what it gives the launch (command, stop settings) is unknown
OUTSIDE_WHY = "it leads outside the checked tree, which hueylint never reads (what it sets for the launch is unknown)"
#: :attr:`Unresolved.why` of a command whose first word is an option (``CMD ["-u", "app", "--", "manage",
#: "run_huey"]``): the words are arguments of a program the repository does not hold
OPTIONS_WHY = ("an option where the program belongs: a program not in the repository (an image's ENTRYPOINT?) "
               "receives these words")

#: :attr:`Unresolved.why` of a consumer built from a subclass of huey's ``Consumer`` that defines signal handling of
#: its own (``_handle_stop_signal``, ``_set_signal_handlers``, ``_signal_actions``): which signal stops it gracefully
#: is that code's, not huey's default, so the stop signal is not judged
SIGNALS_WHY = ("the consumer class replaces huey's signal handling with code of its own, so which signal stops it "
               "gracefully is not known")

@dataclass(frozen=True, slots=True)
class RandomNameBranch:
    """A branch beside a launch's that picks an instance by a fixed name none has, because the platform names its
    instances at random (a Deployment's pods ``NAME-HASH-XXXXX``): no instance ever runs it
    (:func:`hueylint.launches.one_instance_branches`).  ``branch``: the test as written; ``loc``: its consumer;
    ``kind``/``workload``: the workload (``Deployment``, ``huey``); ``pattern``: how its instances are named
    (``huey-HASH-XXXXX``); ``periodic``: whether its consumer would enqueue periodic tasks."""

    branch: str
    loc: Loc
    kind: str
    workload: str
    pattern: str
    periodic: bool


@dataclass(frozen=True, slots=True)
class Dropped:
    """A command that looked like a consumer launch and is not one, and why (listed by ``inspect``)."""

    what: str
    why: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Problem:
    """A consumer command line or setting huey would refuse or misread (HL002), as facts: the HL002 rule
    (:mod:`hueylint.checks.hl002_invalid_consumer_options`) writes the message.

    ``kind`` says what huey does with it; the fields it uses:

    - ``"refused"``: huey's own parser refuses the command line; ``said`` is its error text, verbatim.
    - ``"needs-version"``: ``option`` (``-g/--graceful-signal``) needs huey ``since`` or newer; ``huey``.
    - ``"removed"``: ``option`` (``-u/--utc``) was removed in huey ``since``; ``huey``.
    - ``"renamed"``: ``option`` was renamed ``to`` in huey ``since``; ``huey`` refuses the old spelling.
    - ``"old-spelling"``: ``huey`` spells ``option`` the old way, ``to`` (``option`` arrived in ``since``).
    - ``"not-an-option"`` / ``"positional"``: ``option`` (a word as written) is refused by ``program``'s argparse.
    - ``"no-app"``: no import path to the Huey instance.
    - ``"backoff"``, ``"scheduler-interval"``, ``"negative-timeout"``: ``value`` of ``-b``/``-s``/``-t`` out of range.
    - ``"join-refuses-timeout"``: ``value`` of ``-t`` is more than the workers' join can wait
      (:data:`hueylint.hueyfacts.JOIN_TIMEOUT_MAX`, NaN); ``said``: the error Python raises.
    - ``"max-tasks-without-health"``: ``-M`` with ``-C``.
    - ``"script-not-installed"``: ``option`` runs ``huey_consumer.py``, which ``huey`` (3.0+) no longer installs.
    - ``"unknown-setting"``: ``option``, a ``HUEY['consumer']`` key, is no ConsumerConfig key (``hint``: the one
      meant, or "").
    - ``"setting-needs-version"``: ``option``, a ``HUEY['consumer']`` key, needs huey ``since``; ``huey``.
    - ``"exec-not-json"``: a Dockerfile ``option`` (``ENTRYPOINT`` or ``CMD``) written like an exec form is no
      JSON (``said``: why), so Docker runs its text, ``program``, with ``/bin/sh -c``; ``hint`` is that
      text's first word (no command, or the test command ``[``), ``to`` the exec form meant, as JSON.
    - ``"command-not-installed"``: ``option``, the Django command (``run_huey``), comes from the app ``to``
      (``huey.contrib.djhuey``), which the INSTALLED_APPS of the settings module ``said`` do not list.
    - ``"module-not-consumer"``: ``option`` (``python -m huey_consumer``) runs a module named for huey that starts no
      consumer (``said``: what Python does with it); ``to`` is the module that does, ``huey.bin.huey_consumer``.
    - ``"colon-app-path"``: ``option``, the app path, is written ``module:attribute``; ``to`` is the dotted
      path huey's consumer imports.
    - ``"exec-form-variable"``: ``option``, a word of a Dockerfile exec form that reaches the consumer, names a
      variable (``$WORKERS``), which Docker does not substitute there: huey gets that text.
    - ``"args-replaced"``: ``option``, the words the launch passes a repository program running huey's consumer
      in-process, never reach huey: the program replaces ``sys.argv`` (at ``said``, path:line) before
      ``consumer_main()``.

    ``huey`` describes the huey the launch or app runs, with where that came from (``huey 2.5.0 (pinned in
    requirements.txt)``); ``since`` is a version text (``3.4``).  ``maybe`` says when the word at ``loc`` is
    passed on some paths of a script only (``added by `opts+=(...)` (line 4) only on some paths``): huey
    refuses the command line on those paths.
    """

    loc: Loc
    kind: str = ""
    option: str = ""
    value: float | None = None
    to: str = ""
    since: str = ""
    huey: str = ""
    said: str = ""
    program: str = ""
    hint: str = ""
    maybe: str = ""


@dataclass
class Launch:
    """One place that starts a huey consumer, with everything a rule needs.

    ``options`` holds the consumer options that were set (huey ``dest`` names,
    e.g. ``workers``, ``periodic``, ``graceful_signal``), each with its
    location; options that were not set are absent and rules use huey's
    defaults through the helper properties below.

    ``env`` (every platform) is ``Val(dict[str, Val[str]], loc)``: the environment the launch's own
    configuration sets (systemd ``Environment=``/``EnvironmentFile=``, supervisord ``environment=`` over the
    container's, Dockerfile ``ENV``, compose ``env_file:``/``environment:``, Kubernetes ``env:``), at the
    first place that sets some; a variable set to a value hueylint cannot know is an unknown Val.  None when
    the launch sets none (see :mod:`hueylint.environment`; :attr:`environment` reads it).

    ``consumer`` and the per-platform facts (``systemd``, ``compose``, ...) are described in
    :mod:`hueylint.launch_facts`.
    """

    platform: str  # systemd | supervisord | docker | compose | kubernetes | procfile | circus | s6
    name: str
    unit: str  # deployment unit key: instances are counted within one unit
    loc: Loc  # the line that starts the consumer
    program: str  # huey_consumer | run_huey | djangohuey | script | unknown (see ``unresolved``)
    argv: tuple[str, ...] = ()
    options: dict[str, Val[Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    app: Val[str] | None = None
    stop_signal: Val[str] | None = None  # signal the consumer finally receives
    # a signal the platform sends every process of the launch directly, past a supervisor in between: systemd's
    # KillSignal under the default KillMode=control-group above supervisord or honcho (systemd.kill(5)); the
    # consumer receives it besides its supervisor's ``stop_signal``
    group_signal: Val[str] | None = None
    deadline: Val[float] | None = None  # smallest kill deadline along the chain
    chain: list[Hop] = field(default_factory=list)
    instances: Val[Any] = field(default_factory=lambda: Val.default(1, "single instance"))
    restart: Val[bool] | None = None  # None: platform restarts by itself / not applicable
    user: Val[str] | None = None  # None: not applicable to this platform
    wrappers: list[WrapperProblem] = field(default_factory=list)
    # the consumer's command line beyond huey's options, and what the app layer adds
    consumer: ConsumerFacts = field(default_factory=ConsumerFacts)
    env: Val[dict[str, Val[str]]] | None = None  # see above
    # what the scripts between the platform and the consumer export (``export DJANGO_SETTINGS_MODULE=...``), each
    # at its assignment: over ``env`` in :attr:`environment` (the scripts run after the platform set it)
    script_env: dict[str, Val[str]] = field(default_factory=dict)
    # the sources of variables the launch's configuration names that neither the repository nor a template of
    # theirs holds (a git-ignored compose ``env_file: .env.prod``, systemd ``EnvironmentFile=/etc/default/huey``,
    # a Kubernetes ``envFrom`` Secret made elsewhere), each as written at its key: what they set is unknown, so a
    # claim that the repository sets a variable for none of the launches names them (hueylint.environment)
    env_unread: list[Val[str]] = field(default_factory=list)
    dev_reason: Val[str] | None = None  # why ``dev`` (a compose development project), shown by ``inspect``
    # hueylint's own `hueylint/ignore` annotations on a Kubernetes workload: (line, column, text as written) of
    # each; the Val's loc spans the workload (the engine reads the ids like a comment's)
    suppress: Val[tuple[tuple[int, int, str], ...]] | None = None
    # where findings about a setting the launch lacks go: a systemd unit's `[Service]` header (value "Service")
    section: Val[str] | None = None
    # the line that starts the consumer in a Kubernetes container (value: the container's name) or a compose
    # service (value: the service's name): the consumer word, else the `command:` that reaches it
    command: Val[str] | None = None
    # the app layer (hueylint.pyapp.link): the key of the App the launch runs, at the app path; why the app
    # path does not resolve to a module of the repository (HL003)
    app_key: Val[str] | None = None
    app_unresolved: Val[str] | None = None
    # the facts of the platform(s) the launch comes from (hueylint.launch_facts); None: not from that platform
    systemd: SystemdFacts | None = None
    supervisord: SupervisordFacts | None = None
    docker: DockerFacts | None = None
    compose: ComposeFacts | None = None
    kubernetes: KubernetesFacts | None = None
    circus: CircusFacts | None = None
    s6: S6Facts | None = None
    procfile: ProcfileFacts | None = None
    workdir: Val[str] | None = None
    # the folder a script on the way ``cd``s into before the consumer (``cd backend && huey_consumer app.huey``):
    # relative to ``workdir`` (else to the launching file's folder) unless absolute; the app is imported from it
    chdir: Val[str] | None = None
    paas: bool = False
    dev: bool = False
    deadline_configurable: bool = True
    collects_logs: bool = False  # the platform collects stderr (systemd, Docker, k8s, PaaS)
    # the file a start script's shell sends the consumer's standard error to (``>> huey.log 2>&1``, ``&> huey.log``,
    # ``2> huey.log``; :mod:`hueylint.platforms.pidfile`), or a systemd unit's ``StandardError=append:PATH`` (or
    # ``StandardOutput=`` it inherits), at that line: a log file as ``-l``'s is (HL502, HL503); None: neither
    stderr_file: Val[str] | None = None
    branch: str = ""
    # a branch beside this one (of the same script) that no instance runs: it picks one by a name the platform draws
    # at random (a Deployment's pods); set on the launches that do run
    random_name_branch: RandomNameBranch | None = None
    # the script branches (if/case clauses) taken to reach the consumer; launches that took different
    # clauses of one statement are alternatives, never both running (:func:`exclusive`)
    choices: Choices = ()
    # the huey this launch runs: the dependency files nearest to its service folder (Project.version_for)
    huey_version: HueyVersion = ASSUMED_VERSION
    # the repository folder of the launch's service: its image's build context ("" the root), None unknown
    service_dir: str | None = None
    # what could not be followed (HL004): ``program`` is then ``unknown`` when the consumer command itself
    # is not known, and the options are unknown Vals so rules that need them stay silent
    unresolved: list[Unresolved] = field(default_factory=list)

    # -- huey defaults, so rules never repeat them -------------------------
    @property
    def graceful_signal(self) -> Val[str]:
        return self.options.get("graceful_signal") or Val.default(DEFAULT_GRACEFUL_SIGNAL, "huey default")

    @property
    def shutdown_timeout(self) -> Val[float] | None:
        return self.options.get("shutdown_timeout")

    @property
    def periodic(self) -> Val[bool]:
        return self.options.get("periodic") or Val.default(DEFAULT_PERIODIC, "huey default")

    @property
    def flushes_locks(self) -> bool:
        flush = self.options.get("flush_locks")
        return bool((flush and flush.value) or self.options.get("extra_locks"))

    @property
    def logfile(self) -> Val[str] | None:
        return self.options.get("logfile")

    @property
    def worker_type(self) -> Val[str]:
        return self.options.get("worker_type") or Val.default(DEFAULT_WORKER_TYPE, "huey default")

    @property
    def environment(self) -> dict[str, Val[str]]:
        """The variables the consumer starts with: what the launch's own configuration sets (``env``), then what
        the scripts on the way export (``script_env``); a new dict, {} when none."""
        own = dict(self.env.value) if self.env is not None and self.env.value is not None else {}
        return {**own, **self.script_env} if self.script_env else own

    @property
    def runs_tasks(self) -> bool:
        """False for `-w 0`: huey starts no worker and the consumer only runs its scheduler (it enqueues
        periodic tasks but executes none), so no task can be interrupted or hold a lock there."""
        workers = self.options.get("workers")
        return workers is None or not workers.known or not isinstance(workers.value, int) or workers.value > 0

    @property
    def refused(self) -> bool:
        """huey refuses this command line (HL002): the consumer never starts, so its stop behaviour is moot.
        Words that never reach huey (``args-replaced``) are no refusal: the consumer starts without them."""
        return any(problem.kind != "args-replaced" for problem in self.problems)

    @property
    def title(self) -> str:
        return f"{self.platform} {self.name}".strip()

    def _broken(self) -> bool:
        """Does a wrapper break the chain (see :meth:`stop_view`)?"""
        return any((problem.severe or problem.substitutes_signal or problem.relays_nothing) and not problem.outside
                   for problem in self.wrappers)

    def stopping_hops(self) -> list[Hop]:
        """The hops that can still stop the consumer: the whole chain, or, when a wrapper breaks it (see
        :meth:`stop_view`), the hops below the last one that passes no signal (none when no hop does)."""
        if not self._broken():
            return list(self.chain)
        broken = [index for index, hop in enumerate(self.chain) if not hop.passes_signal]
        return self.chain[broken[-1] + 1:] if broken else []

    def stop_view(self) -> tuple[Val[str] | None, Val[float] | None] | None:
        """(signal, kill deadline) the consumer gets from the hops that can still stop it.

        Each hop is judged on its own: when a wrapper daemonizes or backgrounds (a severe problem), the
        hops above it never reach the consumer, but a supervisor below it (``supervisord`` daemonized by a
        script) still stops its programs with its own stop signal and deadline (``supervisorctl stop``,
        its own shutdown); so does ``su -c`` (:attr:`WrapperProblem.substitutes_signal`), which answers any stop
        signal with its own SIGTERM and SIGKILL.  A forking launcher that relays nothing (``flock`` without ``-F``:
        :attr:`WrapperProblem.relays_nothing`) breaks the chain too.  None when no hop below the break sends a signal.  Without a severe problem:
        ``(stop_signal, deadline)``.
        """
        if not self._broken():
            return self.stop_signal, self.deadline
        below = self.stopping_hops()
        if not below:
            return None
        signal = next((hop.sends for hop in reversed(below) if hop.sends is not None), None)
        if signal is None:
            return None
        deadlines = [hop.deadline for hop in below if hop.deadline is not None]
        known = [deadline for deadline in deadlines if deadline.known]
        return signal, (min(known, key=lambda d: d.value or 0) if known else (deadlines[0] if deadlines else None))


def exclusive(a: Choices, b: Choices) -> bool:
    """Two paths that took different clauses of one ``if``/``case``: they never both run."""
    taken = dict(a)
    return any(key in taken and taken[key] != clause for key, clause in b)


#: the pseudo directive of a logrotate stanza whose script restarts or HUPs a service (huey re-opens its log file
#: when it re-executes on SIGHUP, so such a stanza rotates correctly): :meth:`hueylint.parsers.logrotate.Stanza.effective`
LOGROTATE_RESTARTS = "postrotate:restarts"
#: the pseudo directive of a stanza whose script sends SIGUSR2, on which supervisord closes and re-opens its own and
#: its programs' log files (supervisord.org, "Signals")
LOGROTATE_REOPENS_SUPERVISORD = "postrotate:usr2"


@dataclass(frozen=True, slots=True)
class LogrotateStanza:
    """One logrotate stanza of the repository: its path ``patterns`` (globs as written), the
    ``directives`` in force (:meth:`hueylint.parsers.logrotate.Stanza.effective`, with the pseudo directives
    :data:`LOGROTATE_RESTARTS` and :data:`LOGROTATE_REOPENS_SUPERVISORD`) and where it starts."""

    patterns: tuple[str, ...]
    directives: frozenset[str]
    loc: Loc


@dataclass
class Project:
    """Everything hueylint learnt about one repository."""

    root: str
    launches: list[Launch] = field(default_factory=list)
    # the repository-wide huey: used where no dependency file lies on a launch's or app's folders
    huey_version: HueyVersion = ASSUMED_VERSION
    logrotate: list[LogrotateStanza] = field(default_factory=list)
    # the app layer's findings (hueylint.pyapp.link fills them; hueylint.appmodel holds the types): every module
    # of the deployed code (None until the app layer ran, or when it failed), and one App per application a
    # launch runs
    repo: Repo | None = None
    apps: list[App] = field(default_factory=list)
    # folder ("" for the root, "services/api") -> the huey its own dependency files give (hueylint.versions)
    folder_versions: dict[str, HueyVersion] = field(default_factory=dict)
    # a run of named paths: reads the dependency files of a path's folders (and the ones above) that its walk did not
    # cover, into folder_versions (hueylint.engine._versions_on_demand); None in a run over the whole repository
    read_versions: Callable[[str], None] | None = None
    dropped: list[Dropped] = field(default_factory=list)  # candidates considered and dropped (inspect)

    def nearest_version(self, path: str | None) -> HueyVersion | None:
        """The huey of the dependency files in the folder of ``path`` (a repo-relative file, or a folder
        written with a trailing ``/``, ``/`` alone for the root) or the nearest parent folder that has some;
        None when none has."""
        if not path or (path.startswith("/") and path != "/"):
            return None  # a path inside an image rather than the repository
        if self.read_versions is not None:
            self.read_versions(path)
        if not path.endswith("/") and path in self.folder_versions:
            return self.folder_versions[path]  # a Dockerfile's own `pip install huey...` (versions.folder_versions)
        folder = path.replace("\\", "/").strip("/")
        folder = folder if path.endswith("/") else folder.rpartition("/")[0]
        while True:
            if folder in self.folder_versions:
                return self.folder_versions[folder]
            if not folder:
                return None
            folder = folder.rpartition("/")[0]

    def version_for(self, *paths: str | None) -> HueyVersion:
        """The huey of the first of ``paths`` (most specific first) that has a :meth:`nearest_version`;
        else the repository-wide version.  A configured ``huey-version`` applies everywhere."""
        if self.huey_version.basis == "configured":
            return self.huey_version
        for path in paths:
            found = self.nearest_version(path)
            if found is not None:
                return found
        return self.huey_version
