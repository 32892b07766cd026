"""What every platform does once it found a consumer: one place, so platforms agree.

A platform supplies its own stop behaviour as the first :class:`Hop` of the
chain (signal and deadline, explicit or default); the chain layer supplies
the launchers, shells and scripts after it.  The consumer finally receives
the signal of the innermost hop that sends one (a supervisor re-sends its own
configured signal), and gets the smallest deadline along the chain.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from typing import Any

from hueylint.chain import APP_MODULE_RUNS, ConsumerHit
from hueylint.consumer_cli import parse_consumer
from hueylint.discovery import Notice
from hueylint.hueyfacts import CONSUMER_SCRIPT_DROPPED
from hueylint.locations import Loc
from hueylint.model import (
    CONTAINER_WHY,
    MAKE_WHY,
    TASK_RUNNER_WHY,
    TRANSIENT_UNIT_WHY,
    UWSGI_DAEMON_WHY,
    Dropped,
    Hop,
    HueyVersion,
    Launch,
    Problem,
    Project,
    RandomNameBranch,
    Val,
)
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.shell_eval import State, substitute


def rewritten(chain: list[Hop]) -> list[Hop]:
    """The chain with each hop that rewrites signals (``dumb-init --rewrite 15:2``) sending what it makes of the
    signal it receives from above (SIGTERM from ``docker stop``: SIGINT, at the option); unchanged otherwise."""
    if not any(hop.rewrites for hop in chain):
        return chain
    result: list[Hop] = []
    signal: Val[str] | None = None
    for hop in chain:
        mapped = dict(hop.rewrites)
        if hop.sends is None and signal is not None and signal.known and signal.value in mapped:
            hop = replace(hop, sends=Val(mapped[str(signal.value)], hop.loc))
        signal = hop.sends if hop.sends is not None else signal
        result.append(hop)
    return result


def final_signal(chain: list[Hop]) -> Val[str] | None:
    signal: Val[str] | None = None
    for hop in chain:
        if hop.sends is not None:
            signal = hop.sends
    return signal


def smallest_deadline(chain: list[Hop]) -> Val[float] | None:
    best: Val[float] | None = None
    for hop in chain:
        deadline = hop.deadline
        if deadline is None:
            continue
        if best is None or (deadline.known and (not best.known or (deadline.value or 0) < (best.value or 0))):
            best = deadline
    return best


def launch_version(project: Project, chain: list[Hop], hit: ConsumerHit, origin: Loc,
                   workdir: Val[str] | None = None, service_dir: str | None = None) -> HueyVersion:
    """The huey a launch runs: the dependency files nearest to its service folder.

    The folders tried, most specific first: the Dockerfile the launch's image is built from (its own
    ``pip install huey==...``), the service folder (the image's build context), the scripts of the chain and the Python script the consumer runs, then the file
    declaring the launch (a unit in ``services/a/``); the repository-wide version when no folder on
    those paths has dependency files (:meth:`Project.version_for`).
    """
    paths = [workdir.loc.path if workdir is not None else None, None if service_dir is None else f"{service_dir}/"]
    paths += [hop.loc.path for hop in reversed(chain) if hop.kind == "script"]
    script = hit.script_path if hit.script_path and "/" in hit.script_path else None  # not a bare `huey_consumer`
    paths += [script, origin.path]
    return project.version_for(*paths)


def make_launch(
    project: Project,
    platform_hop: Hop,
    hit: ConsumerHit,
    *,
    platform: str,
    name: str,
    unit: str,
    origin: Loc,
    outer: list[Hop] | None = None,
    **extra: Any,
) -> Launch:
    """Build the :class:`Launch` for one consumer found in a platform's command."""
    chain = rewritten([*(outer or []), platform_hop, *hit.hops])
    version = launch_version(project, chain, hit, origin, extra.get("workdir"), extra.get("service_dir"))
    parsed = parse_consumer(hit.program, [t.text for t in hit.args], hit.loc,
                            locs=[t.loc for t in hit.args], version=version,
                            unsure={index: t.why for index, t in enumerate(hit.args) if t.why and "$" not in t.text},
                            runtime=[index for index, t in enumerate(hit.args) if t.runtime])
    launch = Launch(
        platform=platform,
        name=name,
        unit=unit,
        loc=origin,
        program=hit.program,
        argv=tuple(t.text for t in hit.args),
        options=parsed.options,
        # an unknown command line (a launcher not followed) is not one huey refuses: its arguments are unseen
        problems=[*hit.problems, *([] if hit.options_unknown else parsed.problems)],
        app=parsed.app,
        chain=chain,
        wrappers=list(hit.wrappers),
        branch=hit.branch,
        choices=hit.choices,
        dev=hit.dev,
        huey_version=version,
        script_env=dict(hit.env),
        **extra,
    )
    if hit.chdir is not None:
        launch.chdir = hit.chdir
    if hit.user is not None:  # a launcher on the way (``gosu app``) runs the consumer as another user
        launch.user = hit.user
    elected = next((hop for hop in chain if hop.elected is not None), None)
    if elected is not None and elected.elected is not None:  # a leader election: one consumer at a time
        launch.instances = Val.default(1, f"one at a time: `{elected.name}` runs the consumer only while it holds "
                                          f"the Kubernetes Lease it takes at {elected.elected.path}:"
                                          f"{elected.elected.line} (leader election), however many replicas run it")
    if hit.unresolved:
        launch.unresolved = list(hit.unresolved)
        if hit.options_unknown:
            _options_unknown(launch, hit)
    launch.consumer.set_command_options(parsed.extra)
    launch.consumer.program = Val(hit.program, hit.loc)
    last = hit.args[-1].loc if hit.args else hit.subcommand
    # a wrapper's `"$@"`: the caller's command line writes the consumer's words (not a program's code, such as a
    # `sys.argv = [...]` a Python entry point sets, whose words its callers do not give)
    if not hit.options_unknown and last is not None and last.path and hit.loc.path and last.path != hit.loc.path \
            and not last.is_default and not last.path.endswith(".py") and not hit.loc.path.endswith(".py"):
        launch.consumer.options_at = last
    if not hit.options_unknown:  # ``CMD ["huey_consumer", "app.huey", "-w", "$WORKERS"]``: huey gets `$WORKERS`
        launch.problems += [Problem(token.loc, kind="exec-form-variable", option=token.text)
                            for token in hit.args if token.verbatim and "$" in token.text]
    if posixpath.basename(hit.installed_script) == "huey_consumer.py" and version.at_least(*CONSUMER_SCRIPT_DROPPED):
        launch.problems.append(Problem(hit.loc, kind="script-not-installed", option=hit.installed_script,
                                       huey=version.describe()))
    if hit.script_path:
        launch.consumer.script = Val(hit.script_path, hit.loc)  # the app layer reads Python entries
    launch.stop_signal = final_signal(chain)
    launch.deadline = smallest_deadline(chain)
    container = next((part for part in hit.unresolved
                      if part.why in (CONTAINER_WHY, TRANSIENT_UNIT_WHY, MAKE_WHY, TASK_RUNNER_WHY, UWSGI_DAEMON_WHY)),
                     None)
    if container is not None:  # the container engine (docker stop, --sig-proxy), systemd's transient unit, make or
        # the uWSGI master stops the consumer, not the platform
        reason = f"{container.what} stands between: {container.why}"
        launch.stop_signal = Val.unknown_at(container.loc, reason)
        launch.deadline = Val.unknown_at(container.loc, reason)
    return launch


#: options rules read, set to unknown when the consumer's command line is not known, so that every rule
#: needing them stays silent (the graceful signal keeps huey's default: the stop-signal rule still runs)
UNKNOWN_OPTIONS = ("shutdown_timeout", "periodic", "flush_locks", "extra_locks", "logfile", "worker_type", "workers")


def _options_unknown(launch: Launch, hit: ConsumerHit) -> None:
    part = hit.unresolved[0]
    reason = f"{part.what} is not followed ({part.why})"
    for key in UNKNOWN_OPTIONS:
        launch.options.setdefault(key, Val.unknown_at(part.loc, reason))


#: options with which the consumer's command line parser prints and exits at once (optparse's and argparse's
#: ``-h/--help``; Django's ``--version`` for run_huey, an unknown option for huey_consumer): no consumer runs
EXITS_AT_ONCE = frozenset({"-h", "--help", "--version"})


def runs_to_completion(ws: Any, hits: list[ConsumerHit], step: str, at: Loc, why: str) -> bool:
    """Say that ``step`` (a Dockerfile ``RUN``, a Kubernetes init container, a PaaS release phase), written at
    ``at``, starts the consumers ``hits`` although the platform waits for it to exit before it deploys
    anything: ``why`` says what follows.  No launch is built (nothing runs the consumer as a service, nothing
    stops it); ``inspect`` lists each as dropped and ``check`` shows a notice, never silence.  True when a
    consumer was there.  ``ws`` is the run's :class:`~hueylint.workspace.Workspace`."""
    consumers = [hit for hit in hits if hit.program != "script" and not EXITS_AT_ONCE & {arg.text for arg in hit.args}]
    for hit in consumers:
        ws.drop(Dropped(f"{step} at {at}", f"it starts `{hit.program}` ({hit.loc}), but {why}", hit.loc))
    if consumers:
        shown = ", ".join(f"`{hit.program}` ({hit.loc})" for hit in consumers[:3])
        ws.say(Notice(at.path or "", f"line {at.line}: {step} starts the consumer {shown}, but {why}: "
                                     "no consumer launch, not checked"))
    return bool(consumers)


def unfollowed_background_start(ws: Any, hit: ConsumerHit, script: str, tool: str = "") -> None:
    """Say that the start script ``script``, run by hand (nothing in the repository runs it), starts the
    consumer ``hit`` in the background without keeping its PID in a file (``HUEY_PID=$!`` for the script's
    own ``trap``, or nothing at all), or detached with ``tool`` (```screen -dm```, ```pm2 start```): how that
    consumer is stopped (the script's trap, a ``pkill``, a reboot, the pm2 daemon) is not modelled, so its stop
    is not judged.  ``inspect`` lists it as dropped and ``check`` shows a notice,
    never silence (field test: e-p-armstrong/augmentoolkit's ``linux.sh``)."""
    at = hit.loc
    why = ("starts the consumer in the background and keeps its PID in no file: how it is stopped (the script's "
           "own `trap`, a `pkill`, the end of the session) is not modelled") if not tool else \
        (f"starts the consumer detached with {tool}, in a session of its own: how it is stopped and restarted "
         "there is not modelled")
    ws.drop(Dropped(f"start script `{script}`", f"{why}: its stop is not judged", at))
    ws.say(Notice(at.path or "", f"line {at.line}: start script `{script}` {why}: no consumer launch, not checked"))


#: ``huey`` as a word of a name (``huey``, ``app-huey``, ``huey_worker``, ``systemd.huey.service``, "huey worker")
_HUEY_WORD = lazy_pattern(r"(?<![a-z0-9])huey(?![a-z0-9])", re.I)
#: the servers a deployment runs beside huey from their own images (its Redis or another broker, store or cache,
#: a proxy), as names of services say them
_SERVERS = r"redis|valkey|keydb|dragonfly|rabbitmq|memcache|postgres|mysql|mariadb|mongo|nginx|traefik|caddy|haproxy"
#: a name of a service around huey rather than its consumer (a server of :data:`_SERVERS`, a monitor or dashboard,
#: the web app)
_AROUND_HUEY = lazy_pattern(_SERVERS + r"|monitor|dashboard|flower|exporter|(?<![a-z0-9])(?:db|ui|web)(?![a-z0-9])",
                            re.I)


#: a name of a server a deployment runs beside huey from its own image (:data:`_SERVERS`, a database): a service
#: so named runs that server, never the consumer; not ``web`` or ``ui`` (the app's image, which may start a
#: supervisor running the consumer too)
_SERVER = lazy_pattern(_SERVERS + r"|(?<![a-z0-9])(?:db|database)(?![a-z0-9])", re.I)


def names_a_server(name: str) -> bool:
    """``name`` (a compose service's) says it runs a server beside huey (:data:`_SERVER`: ``postgres``,
    ``redis``, ``nginx``, ``db``), not the consumer."""
    return _SERVER.search(name) is not None


def named_for_huey(*names: str | None) -> bool:
    """One of ``names`` (a unit's file name or ``Description=``, a compose service, a supervisord program, a
    Procfile process type) says it runs huey: ``huey`` as a word of its own, in no name of a service around
    huey (``huey-redis``, ``huey-monitor``)."""
    return any(name and _HUEY_WORD.search(name) and not _AROUND_HUEY.search(name) for name in names)


def unfollowed_named_launch(ws: Any, what: str, words: list[str], at: Loc) -> None:
    """Say that ``what`` (``systemd unit `app-huey.service```, ``compose service `huey```), named for huey
    (:func:`named_for_huey`), runs the command ``words`` (its first six are shown), written at ``at``, which is no
    consumer command nor a repository script hueylint can follow (a zipapp's ``worker`` subcommand, a program installed from elsewhere): its
    stop cannot be judged.  ``inspect`` lists it as dropped and ``check`` shows a notice, never silence (field
    test: yunity/yuca's ``karrot-backend.pyz worker``).  ``ws`` is the run's
    :class:`~hueylint.workspace.Workspace`."""
    shown = " ".join(words[:6]) + (" ..." if len(words) > 6 else "")
    if words and _UNRESOLVED.match(words[0]):  # ``ExecStart=${RUNNER}``: not a program hueylint read, a value unknown
        _unfollowed(ws, what, f"named for huey, but runs `{shown}`, a program named by a variable whose value is not "
                              "known before it runs (set outside the files read, or computed when it runs), so what "
                              "it starts cannot be followed", at)
        return
    _unfollowed(ws, what, f"named for huey, but runs `{shown}`, which is no consumer command nor a script of the "
                          "repository hueylint can follow", at)


#: a command's first word that is a variable's value, not a program's name as written (``$RUNNER``, ``${CMD}``)
_UNRESOLVED = lazy_pattern(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$")


def unbuilt_named_image(ws: Any, what: str, image: str, at: Loc) -> None:
    """Say that ``what`` (``compose service `huey```, a Kubernetes container), named for huey
    (:func:`named_for_huey`), writes no command and runs the image ``image``'s own (``image:`` at ``at``), an
    image no Dockerfile of the repository is known to build (no compose ``build:``, skaffold artifact, build
    script or workflow tags it; :func:`hueylint.platforms.kubernetes.image_source`): what runs in it, and how it
    stops, cannot be judged, so ``check`` shows a notice, never silence (field test: newcl/mytube's Helm chart
    ran ``ghcr.io/newcl/mytube-backend-huey``, tagged by its Drone pipeline only).  Nothing for an image named for a
    service around huey (``redis:7``, ``rabbitmq:3``, ``bitnami/redis``, ``valkey/valkey``): a broker or cache
    named ``huey-queue`` runs its server, not the consumer, and no Dockerfile of the repository builds it."""
    if _AROUND_HUEY.search(image.split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0]):
        return
    _unfollowed(ws, what, f"named for huey, but runs the command of image `{image or 'unknown'}`, which no "
                          "Dockerfile of the repository is known to build", at)


def _unfollowed(ws: Any, what: str, why: str, at: Loc) -> None:
    """``what`` dropped (``inspect``) and a notice at ``at`` (``check``): ``why`` its launch is not checked.
    Nothing where the chain already said why no consumer runs (a module of the huey app run as a program:
    :data:`hueylint.chain.APP_MODULE_RUNS`), nor where HL001 is at that line (a command string the shell refuses:
    the notice repeated it as "no consumer command" though the line names the consumer)."""
    if (at.path, at.line) in ws.memo((APP_MODULE_RUNS,), set):
        return
    findings = getattr(ws, "findings", None)
    if isinstance(findings, list) and any(finding.rule == "HL001" and finding.loc.path == at.path and
                                          finding.loc.line == at.line for finding in findings):
        return  # the shell refuses the command there, or systemd ignores the line: HL001 said why nothing runs
    ws.drop(Dropped(what, f"{why}: its stop is not judged", at))
    ws.say(Notice(at.path or "", f"line {at.line}: {what} is {why}: no consumer launch, not checked"))


#: a script test comparing a variable with a word (``[ "$INDEX" = "1" ]``, ``[[ $DYNO != worker.1 ]]``,
#: ``[ "$INDEX" -eq 1 ]``, ``test "$CONTAINER" == worker-1``, ``[ "${HOSTNAME##*-}" = "0" ]``: an expansion of the
#: variable that keeps a part of it), as a launch's branch names it: the variable, the expansion's operator and
#: pattern, the test, the word
_IF_TEST = lazy_pattern(r'(?:\[\[?|\btest)\s+"?\$(?:\{(\w+)([#%/:][^}]*)?\}|(\w+))"?\s*(==?|!=|-eq|-ne)\s*'
                        r'["\']?([\w.-]+)["\']?')
#: a ``case`` clause on a variable (``case "$DYNO" in worker.1)``, ``*)``)
_CASE_TEST = lazy_pattern(r'\bcase\s+"?\$\{?(\w+)([#%/:][^}]*)?\}?"?\s+in\s+([^)]*)\)')


@dataclass(frozen=True)
class InstanceNames:
    """What a platform sets a variable to in each instance of a replicated process (:func:`one_instance_branches`).

    ``values``: each instance's value, when the platform's naming rule gives them (a StatefulSet's ``NAME-0`` ...,
    a Docker Swarm task's slot ``1`` ...); a part the platform draws at random is written with :data:`RANDOM`, which
    no word of a script equals (a Deployment's ``NAME-HASH-XXXXX``).  None: one distinct value per instance, not
    known here (Heroku's ``worker.1``, a systemd template's instance names).  ``rule``: the naming rule, as a notice
    of a branch no instance takes says it.  ``drawn``: when the names have a part drawn at random, the workload's
    (kind, name, pattern) (``("Deployment", "huey", "huey-HASH-XXXXX")``), else None."""

    values: tuple[str, ...] | None = None
    rule: str = ""
    drawn: tuple[str, str, str] | None = None


#: characters no word of a script holds: the parts of an instance's name the platform draws at random, and those
#: not known here (a name from a template): a value read through an expansion that keeps an unknown part is unknown
RANDOM = "\x00"
UNKNOWN_PART = "\x01"


class _Test:
    """A launch's branch on an instance-name test: its variable, whether it is the side taken when the variable
    equals ``word`` (else the side taken when it does not), and the expansion it reads (``##*-``)."""

    def __init__(self, name: str, one: bool, word: str, modifier: str) -> None:
        self.name, self.one, self.word, self.modifier = name, one, word, modifier


def _instance_test(branch: str) -> _Test | None:
    """The first instance-name test of ``branch`` (:class:`_Test`); None when no branch is such a test."""
    for part in branch.split("; "):
        negated = part.startswith("else (not ")
        test = _IF_TEST.search(part)
        if test:
            return _Test(test.group(1) or test.group(3), (test.group(4) in ("=", "==", "-eq")) != negated,
                         test.group(5), test.group(2) or "")
        case = _CASE_TEST.search(part)
        if case:
            pattern = case.group(3).strip().strip("\"'")
            if pattern == "*":
                return _Test(case.group(1), False, "", case.group(2) or "")
            if not any(char in pattern for char in "*?[|"):
                return _Test(case.group(1), True, pattern, case.group(2) or "")
    return None


def _instance_source(name: str, names: dict[str, InstanceNames], texts: list[str]) -> tuple[str, str | None] | None:
    """(the platform's variable ``name`` holds, the expansion of it ``name`` is: "" the whole value, ``##*-`` a
    part, None not known) when ``name`` holds the instance's own name: it is one of ``names``, or a script on the
    way assigns it from one (``INDEX="${CONTAINER##*-}"``); else None."""
    if name in names:
        return name, ""
    alternatives = "|".join(map(re.escape, names))
    assigned = re.compile(rf"(?m)(?:^|[\s;]){re.escape(name)}=[^\n]*\$\{{?({alternatives})\b")
    exact = re.compile(rf"(?m)(?:^|[\s;]){re.escape(name)}=([\"']?)\$(?:\{{({alternatives})([#%/:][^}}]*)?\}}|"
                       rf"({alternatives})\b)\1(?=[\s;]|$)")
    for text in texts:
        found = exact.search(text)
        if found:
            return found.group(2) or found.group(4), found.group(3) or ""
    for text in texts:
        found = assigned.search(text)
        if found:
            return found.group(1), None
    return None


def _matches(test: _Test, source: tuple[str, str | None], spec: InstanceNames) -> int | None:
    """How many instances take the equal side of ``test`` (whose variable holds ``source``, named by ``spec``):
    those whose value, read through the test's expansion, is its word; None when that is not known."""
    variable, assigned = source
    if spec.values is None or assigned is None or (assigned and test.modifier) or not test.word:
        return None
    modifier = assigned or test.modifier
    count = 0
    for value in spec.values:
        seen = substitute(f"${{X{modifier}}}", State([], {"X": value})) if modifier else value
        if seen is None or UNKNOWN_PART in seen:
            return None
        count += seen == test.word
    return count


def one_instance_branches(ws: Any, launches: list[Launch], names: dict[str, InstanceNames], texts: list[str]) -> None:
    """Launches of one replicated process that take the branches of a test on the instance's own name
    (``names``: the variables the platform sets to it, one value per instance: Heroku's ``$DYNO``, Scalingo's
    ``$CONTAINER``, a StatefulSet pod's ``$HOSTNAME``, a Docker Swarm task's ``{{.Task.Slot}}``, a systemd template's
    ``%i``), read in the scripts on their way and ``texts`` (the platform's own command): the branch taken when it
    equals a word runs on the instances so named (one, when the names are not known: each is distinct; none, when
    the word names no instance, as for a Deployment's pods, named at random), the other branches on the rest (field
    shape: a start script running ``run_huey`` on container 1 and ``run_huey --no-periodic`` on the others); a
    template unit's instance so named is one, the others stay any number.  Only when the branches differ in
    enqueuing periodic tasks: the checks take branches of one run as alternatives, which the instances of a
    formation are not.  A branch no instance takes gets a notice."""
    tests: list[tuple[Launch, _Test, int | None, InstanceNames]] = []
    for launch in launches:
        test = _instance_test(launch.branch)
        if test is None:
            continue
        scripts = [src.text for hop in launch.chain if hop.kind == "script"
                   for src in [ws.file(hop.loc.path or "")] if src is not None]
        source = _instance_source(test.name, names, [*texts, *scripts])
        if source is not None:
            tests.append((launch, test, _matches(test, source, names[source[0]]), names[source[0]]))
    if not any(test.one for _launch, test, _k, _spec in tests):
        return
    # the selected instance and the others run at once, not as alternatives: when both enqueue periodic tasks
    # (or may), every instance does, and the whole count stays on each
    if len({test.one for launch, test, _k, _spec in tests
            if not (launch.periodic.known and launch.periodic.value is False)}) > 1:
        return
    # a `case` clause `*)` names no word: the others are those the equal clauses do not take
    taken = max((k for _launch, test, k, _spec in tests if test.one and k is not None), default=None)
    for launch, test, matched, spec in tests:
        count = launch.instances
        where = count.where()
        if count.known and count.value == "scalable":  # a template unit: one instance has that name, or none yet
            if test.one:
                launch.instances = Val.default(1, f"the one instance of {where} named so: `{launch.branch}` selects "
                                                  "it by its own name")
            continue
        if not count.known or not isinstance(count.value, int) or isinstance(count.value, bool) or \
                count.value < (1 if matched is not None else 2):
            continue
        k = matched if matched is not None else taken if not test.one and not test.word and taken is not None else 1
        k = min(k, count.value)
        if test.one:
            launch.instances = Val.default(k, f"one of the {count.value} instances of {where}: `{launch.branch}` "
                                              "selects it by its own name" if k == 1 else
                                              f"{k} of the {count.value} instances of {where}: `{launch.branch}` "
                                              "selects them by their own name" if k else
                                              f"none of the {count.value} instances of {where}: `{launch.branch}` "
                                              f"names none of them ({spec.rule})")
        else:
            launch.instances = Val.default(count.value - k, f"all but one of the {count.value} instances of {where}: "
                                                            f"`{launch.branch}` is the others' branch" if k == 1 else
                                           f"all {count.value} instances of {where}: `{launch.branch}` is the "
                                           f"branch of every one ({spec.rule})" if k == 0 else
                                           f"{count.value - k} of the {count.value} instances of {where}: "
                                           f"`{launch.branch}` is the others' branch")
        if launch.instances.value == 0:
            at = launch.consumer.program.loc if launch.consumer.program is not None else launch.loc
            ws.say(Notice(at.path or "", f"line {at.line}: `{launch.branch}` is taken by no instance of {where} "
                                         f"({spec.rule}): this consumer never runs"))
            if test.one and matched == 0 and spec.drawn is not None:
                unpicked = RandomNameBranch(launch.branch, at, *spec.drawn, periodic=not (
                    launch.periodic.known and launch.periodic.value is False))
                for other, _test, _k, _spec in tests:
                    if other is not launch and other.random_name_branch is None:
                        other.random_name_branch = unpicked
