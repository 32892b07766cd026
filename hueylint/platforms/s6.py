"""s6-overlay: longrun services (``s6-rc.d/NAME/run`` or legacy ``services.d/NAME/run``).

On stop, s6-supervise sends the service's ``down-signal`` (SIGTERM when the file
is absent) to the ``run`` process, which must therefore ``exec`` the consumer.
s6-overlay then waits ``S6_SERVICES_GRACETIME`` ms (3000 by default; a smaller
non-zero ``timeout-down`` ends the wait earlier), sends SIGTERM to every process
that is left and SIGKILL ``S6_KILL_GRACETIME`` ms (3000) later.  A running task
therefore gets ``S6_SERVICES_GRACETIME``, plus ``S6_KILL_GRACETIME`` when SIGTERM
is the consumer's graceful signal (``-g TERM``).  The ``S6_*`` values come from the
image's ``ENV``, known only when a container platform calls
:func:`supervised_launches`; on its own the defaults are used and said to be.

``/init`` with arguments (``ENTRYPOINT ["/init"]`` and a ``CMD``) also runs them as the container's main program,
the CMD, after starting its services (s6-overlay's README, "CMD" and ``S6_CMD_RECEIVE_SIGNALS``): on
``docker stop`` the CMD is "among the last processes to be killed, only when every other service is down": the
SIGTERM s6-overlay sends every process left, then SIGKILL ``S6_KILL_GRACETIME`` ms later.  With
``S6_CMD_RECEIVE_SIGNALS`` set to a non-zero number, the signals the container gets are passed to the CMD instead,
and the shutdown begins when it exits: the container's own stop signal and deadline apply.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace
from functools import partial

from hueylint.chain import Resolver, Token, resolve
from hueylint.launch_facts import S6Facts
from hueylint.launches import make_launch, named_for_huey, smallest_deadline, unfollowed_named_launch
from hueylint.locations import Loc
from hueylint.model import Hop, Launch, Project, Val
from hueylint.numerals import digit_run, whole_number
from hueylint.parsers.s6 import Service, Word, execline_words, is_execline, service_of
from hueylint.platforms import Built, HostUnit
from hueylint.script_lookup import find_script
from hueylint.signals import normalize_signal
from hueylint.sources import SourceFile
from hueylint.workspace import Workspace

DEFAULT_GRACE_MS = 3000
#: execline chain-loaders that run the rest of the line: name -> number of arguments they take
EXECLINE_PREFIXES = {"cd": 1, "s6-envdir": 1, "export": 2, "importas": 2, "fdmove": 2, "redirfd": 2,
                     "emptyenv": 0, "fdclose": 1, "umask": 1, "s6-notifyoncheck": 0, "multisubstitute": 0}

#: launchers kept in the chain: name -> number of arguments
EXECLINE_LAUNCHERS = {"with-contenv": 0, "s6-setuidgid": 1, "s6-envuidgid": 1}


def services(ws: Workspace) -> list[Service]:
    """Every s6 service directory in the repository with a ``run`` file."""
    def found() -> list[Service]:
        services: list[Service] = []
        for src in sorted(ws.of_format("s6"), key=lambda s: s.rel):
            if posixpath.basename(src.rel) != "run":
                continue
            service = service_of(src, ws.file)
            if service is not None:
                _validate(ws, service)
                services.append(service)
        return services

    return ws.memo(("s6-services",), found)


def _validate(ws: Workspace, service: Service) -> None:
    """HL001 for files s6 would refuse (s6-rc-compile fails on them)."""
    if service.down_signal is not None and normalize_signal(service.down_signal.text) is None:
        loc = service.down_signal.loc
        ws.unparseable(loc.path or "", loc.line, loc.col, f"down-signal `{service.down_signal.text}` is not a signal")
    if service.timeout_down is not None and not service.timeout_down.text.isdigit():
        loc = service.timeout_down.loc
        ws.unparseable(loc.path or "", loc.line, loc.col,
                       f"timeout-down `{service.timeout_down.text}` is not a number of milliseconds")
    if service.type is not None and service.type.text not in ("longrun", "oneshot", "bundle"):
        loc = service.type.loc
        ws.unparseable(loc.path or "", loc.line, loc.col,
                       f"type `{service.type.text}` is not longrun, oneshot or bundle")


def _signal(service: Service) -> Val[str]:
    if service.down_signal is None:
        return Val.default("TERM", "s6 default: no down-signal file")
    signal = normalize_signal(service.down_signal.text)
    if signal is None:
        return Val.unknown_at(service.down_signal.loc, f"down-signal {service.down_signal.text}")
    return Val(signal, service.down_signal.loc)


def _grace(env: dict[str, str] | None, name: str) -> tuple[float | None, str]:
    """(seconds, where) of an ``S6_*`` grace time; None seconds when the value is not a number."""
    if env is not None and name in env:
        text = env[name].strip()
        return _seconds(text), f"{name}={text} in the image ENV"
    return DEFAULT_GRACE_MS / 1000.0, f"{name}={DEFAULT_GRACE_MS}"


def _seconds(text: str) -> float | None:
    """Milliseconds written as ASCII digits, in seconds (None otherwise: ``①`` passes ``str.isdigit``
    but not ``int``; a 400-digit number is too big for a float and never comes: infinity)."""
    if not digit_run(text):
        return None
    number = whole_number(text)
    return number / 1000.0 if number is not None else float("inf")


def _default_note(env: dict[str, str] | None) -> str:
    return "s6-overlay default" if env is not None else "s6-overlay default; the image ENV is not known here"


def _deadline(service: Service, env: dict[str, str] | None, graceful_term: bool) -> Val[float]:
    """The time a running task gets: ``S6_SERVICES_GRACETIME`` (or a smaller ``timeout-down``),
    plus ``S6_KILL_GRACETIME`` when the SIGTERM s6-overlay then sends everyone is graceful too."""
    seconds, where = _grace(env, "S6_SERVICES_GRACETIME")
    parts = [where]
    loc: Loc | None = None
    timeout = service.timeout_down
    down = _seconds(timeout.text) if timeout is not None else None
    if timeout is not None and down is not None and down > 0 and (seconds is None or down < seconds):
        seconds, loc = down, timeout.loc
    if seconds is None:
        return Val.unknown_at(Loc.platform_default(where), where)
    if graceful_term:
        extra, kill_where = _grace(env, "S6_KILL_GRACETIME")
        if extra is None:
            return Val.unknown_at(Loc.platform_default(kill_where), kill_where)
        seconds += extra
        parts.append(kill_where)
        loc = None
    if loc is None:
        defaulted = not any("image ENV" in part for part in parts)
        text = " + ".join(parts)
        loc = Loc.platform_default(f"{text} ({_default_note(env)})" if defaulted else text)
    return Val(seconds, loc)


def _cmd_hop(env: dict[str, str] | None, loc: Loc) -> Hop:
    """``/init`` between the container and its CMD (see the module): it relays the container's signals when
    ``S6_CMD_RECEIVE_SIGNALS`` is a non-zero number, else it stops the CMD itself, last, with SIGTERM and
    SIGKILL ``S6_KILL_GRACETIME`` later."""
    relay = (env or {}).get("S6_CMD_RECEIVE_SIGNALS", "").strip()
    if digit_run(relay) and relay.strip("0"):  # a number above 0, however long
        return Hop("launcher", "/init (s6-overlay)", loc,
                   detail=f"runs the CMD and passes it the container's signals (S6_CMD_RECEIVE_SIGNALS={relay})")
    seconds, where = _grace(env, "S6_KILL_GRACETIME")
    note = where if "image ENV" in where else f"{where} ({_default_note(env)})"
    deadline = Val(seconds, Loc.platform_default(note)) if seconds is not None else \
        Val.unknown_at(Loc.platform_default(where), where)
    sends = Val.default("TERM", "s6-overlay: SIGTERM to every process left once its services are down "
                                "(no S6_CMD_RECEIVE_SIGNALS)")
    return Hop("supervisor", "/init (s6-overlay)", loc, sends=sends, deadline=deadline,
               detail="runs the CMD; on stop it brings its services down, then sends SIGTERM to every process left "
                      "and SIGKILL S6_KILL_GRACETIME later")


class _RunResolver:
    """The ``run`` file itself by its repo path, other scripts as the supervisor platforms find them."""

    def __init__(self, ws: Workspace, run: SourceFile) -> None:
        self.ws = ws
        self.run = run

    def script(self, word: str, origin: Loc) -> SourceFile | None:
        if word == self.run.rel:
            return self.run
        return find_script(self.ws, word, origin)


def _execline_tokens(words: list[Word]) -> list[Token]:
    """The command an execline script finally becomes.

    Chain-loaders that only set up the process (``cd``, ``importas``, ``fdmove``,
    ``foreground { ... }``) are dropped; launchers the chain layer knows
    (``with-contenv``, ``s6-setuidgid USER``) are kept so they show in the chain.
    """
    out: list[Token] = []
    index = 0
    while index < len(words):
        name = posixpath.basename(words[index].text)
        if name in ("foreground", "background", "if") and index + 1 < len(words) and words[index + 1].text == "{":
            depth, index = 0, index + 1
            while index < len(words):
                depth += {"{": 1, "}": -1}.get(words[index].text, 0)
                index += 1
                if depth == 0:
                    break
            continue
        if name in EXECLINE_LAUNCHERS:
            count = EXECLINE_LAUNCHERS[name] + 1
            out += [Token(word.text, word.loc) for word in words[index:index + count]]
            index += count
            continue
        if name not in EXECLINE_PREFIXES:
            break
        index += 1
        while index < len(words) and words[index].text.startswith("-"):
            index += 2 if words[index].text in ("-D",) else 1
        index += EXECLINE_PREFIXES[name]
    return out + [Token(word.text, word.loc) for word in words[index:]]


def service_launches(ws: Workspace, project: Project, service: Service, outer: list[Hop], unit: str,
                     env: dict[str, str] | None) -> list[Launch]:
    if not service.longrun:
        return []
    run = service.run
    origin = Loc(run.rel, 1, 1, 1, len(run.line(1)) + 1)
    if is_execline(run):
        tokens = _execline_tokens(execline_words(run))
        hits = resolve(tokens, origin, _RunResolver(ws, run))
        words, at = [token.text for token in tokens], tokens[0].loc if tokens else origin
    else:
        hits = resolve([Token(run.rel, origin)], origin, _RunResolver(ws, run))
        # what the script runs last (its service process), for the notice below
        last = next((number for number in range(len(run.lines), 0, -1)
                     if run.line(number).strip() and not run.line(number).lstrip().startswith("#")), 1)
        words, at = run.line(last).split(), Loc(run.rel, last, 1)
        words = words[1:] if words[:1] == ["exec"] else words
    if not hits and words and named_for_huey(service.name):
        unfollowed_named_launch(ws, f"s6 service `{service.name}`", words, at)
    launches: list[Launch] = []
    for hit in hits:
        hit.wrappers = [_without_origin(problem, origin) for problem in hit.wrappers]
        hop = Hop("supervisor", "s6-overlay", origin, sends=_signal(service), deadline=_deadline(service, env, False))
        launch = make_launch(project, hop, hit, platform="s6", name=service.name, unit=unit, origin=hit.loc,
                             outer=outer, collects_logs=False)
        if launch.graceful_signal.value == "TERM" and launch.graceful_signal.known:
            longer = replace(hop, deadline=_deadline(service, env, True))
            launch.chain = [longer if item is hop else item for item in launch.chain]
            launch.deadline = smallest_deadline(launch.chain)
        launch.s6 = S6Facts(kind=Val(service.kind, origin), service=Val(service.folder, origin),
                            finish=Val(service.finish.rel, Loc(service.finish.rel, 1, 1))
                            if service.finish is not None else None)
        launches.append(launch)
    return launches


def _without_origin(problem, origin: Loc):  # WrapperProblem in, WrapperProblem out
    """The run file is the launch: name its command line first, not its shebang."""
    locs = problem.locs
    if len(locs) > 1 and locs[0][0] == origin:
        return replace(problem, locs=locs[1:])
    return problem


def supervised_launches(ws: Workspace, project: Project, config_rel: str | None, outer: list[Hop], unit: str,
                        env: dict[str, str] | None = None, cmd: tuple[Token, ...] = (), resolver: Resolver | None = None,
                        name: str = "") -> Built:
    """The services an s6-overlay ``/init`` runs under a container platform (``outer``: its hops), and the CMD
    it runs (``cmd``: the words after ``/init``, resolved with the container's ``resolver``; a launch named
    ``name``, the container's name, else ``CMD``).

    ``config_rel`` is a repo folder holding the image's service tree (the build context, a ``rootfs``
    folder, or the ``s6-rc.d`` folder itself); None means every service in the repository.  ``env``
    is the image's ``ENV`` (``S6_SERVICES_GRACETIME``, ``S6_KILL_GRACETIME``, ``S6_CMD_RECEIVE_SIGNALS``).
    The ``run`` files used are claimed: the engine builds no host launches from them (:func:`build`).
    """
    prefix = "" if not config_rel or config_rel == "." else config_rel.rstrip("/") + "/"
    built = Built()
    if cmd:
        hop = _cmd_hop(env, cmd[0].loc)
        for hit in resolve(list(cmd), cmd[0].loc, resolver):
            built.launches.append(make_launch(project, hop, hit, platform="s6", name=name or "CMD", unit=unit,
                                              origin=hit.loc, outer=outer, collects_logs=False))
    for service in services(ws):
        if prefix and not service.run.rel.startswith(prefix):
            continue
        built.claims.add(service.run.rel)
        built.launches += service_launches(ws, project, service, list(outer), unit, dict(env or {}))
    return built


def build(ws: Workspace, project: Project) -> Built:
    """Every service as a host unit of its ``run`` file and folder (not built when a container runs it)."""
    return Built(hosts=[HostUnit(frozenset({service.run.rel, service.folder}),
                                 partial(service_launches, ws, project, service, [], service.parent, None))
                        for service in services(ws)])
