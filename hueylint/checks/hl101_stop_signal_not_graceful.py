"""HL101: the platform stops the consumer with a signal huey treats as "interrupt running tasks now"."""

from __future__ import annotations

import math
import re
from typing import Iterable

from hueylint.checks import Context, check, fixing, launch_name
from hueylint.checks._stop import FIXED_SIGNAL, RUNNER_SIGNAL, STOP_SETTING, hop_owner, judged, stop_view, stopper_text
from hueylint.findings import Finding, Fix, Related
from hueylint.hueyfacts import DEFAULT_GRACEFUL_SIGNAL, GRACEFUL_SHUTDOWN_SINCE, option_since
from hueylint.model import Launch, Project, Val, signal_name


@check("HL101")
def stop_signal_not_graceful(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        if not launch.huey_version.at_least(*GRACEFUL_SHUTDOWN_SINCE):
            # huey before 1.4.0 has no graceful shutdown at all: no signal is "the graceful one", so no stop
            # setting helps; a huey a dependency file gives (not one the code's age suggests) is worth upgrading
            found = _no_graceful_shutdown(launch)
            if found is not None:
                yield found
            continue
        killed = _killed(launch)  # (None whenever stop_view has a view)
        view = stop_view(launch) or killed
        if view is None or not (judged(launch) or killed is not None):
            continue
        signal = view[0]
        if signal is None or not signal.known:
            continue
        graceful = launch.graceful_signal
        if not graceful.known or signal.value == graceful.value:
            continue
        consumer = launch.consumer.program
        if graceful.value == "TERM" and signal.value == "INT":
            why = "with `-g TERM`, SIGINT is huey's *immediate* signal: running tasks are interrupted"
            fix = f"drop {_sigint_setting(launch, signal)} so the platform sends SIGTERM, or drop `-g TERM`"
            if signal.loc.is_default:  # SIGINT is the platform's own default (Fly.io): nothing to drop
                fix = f"make the platform send SIGTERM{TERM_SETTING.get(launch.platform, '')}, or drop `-g TERM`"
            # systemd's own default is SIGTERM: a SIGINT it sends by default comes from ExecStop= commands that
            # send it and wait for the consumer, so a KillSignal= line would change nothing: no edit
            edit = None if signal.loc.is_default and launch.platform == "systemd" else \
                fixing.stop_signal_fix(launch, ctx, signal, "TERM")
        elif signal.value == "KILL":
            why = ("SIGKILL cannot be handled: running tasks die mid-way, without SIGNAL_INTERRUPTED, and "
                   "`lock_task` locks stay held")
            fix = f"send {signal_name(graceful.value)} instead: " + \
                STOP_SETTING.get(hop_owner(launch, signal, "sends"), "the stop signal setting")
            edit = fixing.stop_signal_fix(launch, ctx, signal, str(graceful.value))
        else:
            why = "huey treats it as \"stop now\" and interrupts running tasks"
            fix = _fix_text(launch, signal, view[1])
            edit = _graceful_fix(launch, ctx, signal)
        where = f"{signal_name(signal.value)} ({signal.where()})"
        message = (f"{stopper_text(launch, signal)} with {where}; the consumer's graceful signal is "
                   f"{signal_name(graceful.value)} ({graceful.where()}): {why}. Fix: {fix}")
        if launch.dev:
            continue
        loc = signal.loc if not signal.loc.is_default else launch.loc
        related = []
        if consumer is not None and consumer.loc != loc:
            related.append(Related(consumer.loc, "the consumer command"))
        if not graceful.loc.is_default and graceful.loc != loc:
            related.append(Related(graceful.loc, "the graceful signal (`-g`)"))
        yield Finding("HL101", message, loc, related=related, fix=edit)
    for launch in project.launches:
        found = _group_signal(launch) or _never_signalled(launch)
        if found is not None:
            yield found


def _no_graceful_shutdown(launch: Launch) -> Finding | None:
    """A huey before 1.4.0 (pinned, locked, configured or the newest a range allows), which exits at once on any
    stop signal (1.3.1 ``Consumer.run``: the loop breaks, the worker threads are daemons): whatever the platform
    sends, running tasks are interrupted; only an upgrade gives the consumer a graceful signal."""
    version = launch.huey_version
    if version.basis == "code" or version.value is None or launch.dev or not judged(launch):
        return None
    view = stop_view(launch)
    signal = view[0] if view is not None else None
    if signal is None or not signal.known:
        return None
    message = (f"{stopper_text(launch, signal)} with {signal_name(signal.value)} ({signal.where()}), and "
               f"{version.describe()} has no graceful shutdown (SIGINT finishes running tasks from huey 1.4.0): on "
               "any stop signal the consumer exits at once and interrupts running tasks, whatever the platform sends "
               "or waits. Fix: upgrade huey to 1.4 or later, then stop the consumer with SIGINT (or, from 3.4, "
               "run it with `-g TERM -t N`)")
    loc = signal.loc if not signal.loc.is_default else launch.loc
    consumer = launch.consumer.program
    related = [Related(consumer.loc, "the consumer command")] if consumer is not None and consumer.loc != loc else []
    if not version.loc.is_default:
        related.append(Related(version.loc, "the huey version"))
    return Finding("HL101", message, loc, related=related)


def _kills_nothing(launch: Launch) -> bool:
    """Whether the launch's systemd unit applies ``KillMode=none``: no process is killed when it stops, only its
    ExecStop= commands run (systemd.kill(5))."""
    kill_mode = launch.systemd.kill_mode if launch.systemd is not None else None
    return kill_mode is not None and (kill_mode.value or "").strip() == "none"


def _never_signalled(launch: Launch) -> Finding | None:
    """A systemd unit with ``KillMode=none`` whose ExecStop= signals nothing: stopping it sends no signal and kills
    no process (systemd.kill(5)), so the consumer outlives its unit; a restart starts a second one beside it,
    and the system's shutdown ends it with SIGTERM, huey's "stop now"."""
    facts, platform = launch.systemd, launch.chain[0] if launch.chain else None
    if not _kills_nothing(launch) or facts is None or facts.kill_mode is None or platform is None or \
            platform.name != "systemd" or platform.sends is not None or launch.dev or launch.refused or \
            not launch.runs_tasks:
        return None
    graceful = launch.graceful_signal
    name = signal_name(graceful.value) if graceful.known else "the consumer's graceful signal"
    supervisor = next((hop for hop in launch.chain[1:] if hop.kind == "supervisor"), None)
    if supervisor is not None:  # systemd's signal goes to the supervisor, which stops the consumer its own way
        target = f"{supervisor.name} (which runs the consumer), so the consumer"
        fix = (f"set `KillMode=mixed`, so systemd signals {supervisor.name} alone and it stops the consumer with its "
               f"own stop signal (`KillMode=control-group`, the default, would signal the consumer directly too)")
    else:
        target = "the consumer, so it"
        fix = (f"remove `KillMode=none` (or set `KillMode=mixed`) and set KillSignal=SIG"
               f"{graceful.value if graceful.known else 'INT'} so systemd stops the consumer with {name}")
    message = (f"{stopper_text(launch)} with no signal at all: `KillMode=none` ({facts.kill_mode.where()}) kills no "
               f"process and no ExecStop= signals {target} keeps running after the unit stopped (with "
               "the old code after a deploy), a restart starts a second consumer beside it, and the system's shutdown "
               f"ends it with SIGTERM, which huey treats as \"stop now\". Fix: {fix}")
    return Finding("HL101", message, facts.kill_mode.loc, related=[Related(launch.loc, "the consumer command")])


def _group_signal(launch: Launch) -> Finding | None:
    """The signal systemd sends every process of the unit (``KillMode=control-group``, the default) when the
    unit runs a supervisor: the consumer receives it directly, whatever the supervisor's own stop signal
    (systemd.kill(5)); ``KillMode=mixed`` sends it to the supervisor alone, SIGKILL to all at the deadline."""
    signal = launch.group_signal
    if signal is None or not signal.known or launch.dev or not judged(launch) or \
            not launch.huey_version.at_least(*GRACEFUL_SHUTDOWN_SINCE):
        return None
    graceful = launch.graceful_signal
    if not graceful.known or signal.value == graceful.value:
        return None
    final = launch.stop_signal
    if final is not None and final.value == signal.value and hop_owner(launch, final, "sends") in RUNNER_SIGNAL:
        return None  # honcho sends the same SIGTERM whatever stops it: the finding at its hop says what helps
    if signal.value == "KILL":
        why = "SIGKILL cannot be handled: running tasks die mid-way, without SIGNAL_INTERRUPTED"
    elif graceful.value == "TERM" and signal.value == "INT":
        why = "with `-g TERM`, SIGINT is huey's *immediate* signal: running tasks are interrupted"
    else:
        why = "huey treats it as \"stop now\" and interrupts running tasks"
    platform = launch.chain[0] if launch.chain else None
    supervisor = next((hop.name for hop in launch.chain[1:] if hop.kind == "supervisor"), "its supervisor")
    message = (f"systemd sends {signal_name(signal.value)} ({signal.where()}) to every process of the unit "
               f"(KillMode=control-group, the default): {launch_name(launch)} receives it directly, past "
               f"{supervisor}; the consumer's graceful signal is {signal_name(graceful.value)} ({graceful.where()}): "
               f"{why}. Fix: set `KillMode=mixed` in [Service] (systemd then signals {supervisor} alone, which "
               f"stops its programs with their own stop signal, and SIGKILLs what is left after TimeoutStopSec)")
    loc = signal.loc if not signal.loc.is_default else (platform.loc if platform is not None else launch.loc)
    return Finding("HL101", message, loc, related=[Related(launch.loc, "the consumer command")])


def _killed(launch: Launch) -> tuple[Val[str] | None, Val[float] | None] | None:
    """A launch whose platform (or a supervisor on the way) stops it with SIGKILL, when a wrapper keeps the
    signal from the consumer (HL201): fixing the wrapper would not save a task, so the SIGKILL is reported
    as well (basedosdados/backend: ``STOPSIGNAL SIGKILL`` in the image of a script that backgrounds run_huey)."""
    if launch.dev or launch.refused or not launch.runs_tasks or stop_view(launch) is not None:
        return None
    for hop in launch.chain:
        if hop.sends is not None and hop.sends.known and hop.sends.value == "KILL":
            return hop.sends, None
    return None


#: how a platform whose default stop signal is SIGINT is told to send SIGTERM
TERM_SETTING = {"fly": ' (`kill_signal = "SIGTERM"`)',
                # the SIGINT of ExecStop= commands that send it and wait (systemd's own default is SIGTERM)
                "systemd": " from ExecStop= (`/bin/kill -TERM $MAINPID`)"}


def _graceful_fix(launch: Launch, ctx: Context, signal: Val[str]) -> Fix | None:
    """The platform sends huey's default graceful SIGINT; where it cannot change its signal (a PaaS),
    `-g TERM` on the consumer's command (huey 3.4+, a command hueylint saw).  On a plain Kubernetes manifest
    (never a Helm template), `-g TERM` too when the kubelet sends SIGTERM (it works on every cluster), as on ECS (whose
    task definitions set no signal); else,
    when no `lifecycle.stopSignal` is written, the unsafe `lifecycle.stopSignal: SIGINT` (Kubernetes 1.33+ with its feature gate, `spec.os.name`)."""
    if launch.platform == "kubernetes":
        if launch.kubernetes is None or launch.kubernetes.pod_key is None:
            return None  # a Helm template, or a manifest hueylint does not edit
        written = not signal.loc.is_default and signal.loc.path == launch.loc.path
        if signal.value == "TERM" and launch.huey_version.at_least(*option_since("graceful_signal")):
            fix = fixing.command_fix(launch, ctx, ["-g", "TERM"], "add `-g TERM` to the consumer command")
            if fix is not None:
                return fix
        return None if written else fixing.k8s_stop_signal_fix(launch, ctx, DEFAULT_GRACEFUL_SIGNAL)
    if launch.platform == "ecs":  # a task definition has no signal setting (the image's STOPSIGNAL, else SIGTERM)
        if signal.value == "TERM" and launch.huey_version.at_least(*option_since("graceful_signal")):
            return fixing.command_fix(launch, ctx, ["-g", "TERM"], "add `-g TERM` to the consumer command")
        return None
    if launch.paas or launch.platform in FIXED_SIGNAL or hop_owner(launch, signal, "sends") in RUNNER_SIGNAL or \
            not launch.deadline_configurable and launch.platform not in fixing.SIGNAL_KEYS:
        if launch.huey_version.at_least(*option_since("graceful_signal")):
            return fixing.command_fix(launch, ctx, ["-g", "TERM"], "add `-g TERM` to the consumer command")
        return None
    return fixing.stop_signal_fix(launch, ctx, signal, DEFAULT_GRACEFUL_SIGNAL)


#: the setting that makes each platform send SIGINT, as written, for HL101's "drop ..." when the consumer
#: runs with `-g TERM` (a Kubernetes container's: the image's STOPSIGNAL or its `lifecycle.stopSignal`)
SIGINT_SETTING = {
    "systemd": "`KillSignal=SIGINT`",
    "supervisord": "`stopsignal=INT`",
    "docker": "`STOPSIGNAL SIGINT`",
    "compose": "`stop_signal: SIGINT`",
    "circus": "`stop_signal = INT`",
    "s6": "the `down-signal` file",
    "s6-overlay": "the `down-signal` file",
    "fly": '`kill_signal = "SIGINT"`',
    "pidfile": "`kill -INT` from the stop script",
    "python": "the program's `send_signal(signal.SIGINT)`",
    "dumb-init": "dumb-init's `--rewrite 15:2`",
}


def _sigint_setting(launch: Launch, signal: Val[str]) -> str:
    """The setting that sends SIGINT (``signal``, written at ``signal.loc``), in backticks when it is text to
    delete: ``drop `STOPSIGNAL SIGINT` so the platform sends SIGTERM``."""
    owner = hop_owner(launch, signal, "sends")
    if owner == "kubernetes":
        in_manifest = signal.loc.path == launch.loc.path
        return "`lifecycle.stopSignal: SIGINT`" if in_manifest else "`STOPSIGNAL SIGINT` from the image"
    if owner == "ecs":  # a task definition sets no signal: it is the image's
        return "`STOPSIGNAL SIGINT` from the image"
    return SIGINT_SETTING.get(owner, "the stop signal setting")


def _fix_text(launch: Launch, signal: Val[str], kill: Val[float] | None) -> str:
    recipe = _recipe(launch, signal, kill)
    if launch.shutdown_timeout is not None:  # the command has its `-t` already (HL103 judges its value)
        recipe = re.sub(r"`-g TERM -t \d+`", "`-g TERM`", recipe)
    return recipe


def _recipe(launch: Launch, signal: Val[str], kill: Val[float] | None) -> str:
    owner = hop_owner(launch, signal, "sends")
    if launch.paas and owner not in RUNNER_SIGNAL:  # a runner in the dyno: its own grace time below
        # a consumer the program builds itself takes them as keyword arguments (fixing.code_options)
        recipe = fixing.code_options(launch, ["-g", "TERM", "-t", "25"]) or \
            "add `-g TERM -t 25` to the consumer command"
        if not launch.huey_version.at_least(*option_since("graceful_signal")):  # pinned below 3.4: no -g yet
            return f"the platform's signal cannot be changed: upgrade to huey 3.4+ and {recipe}"
        return f"{recipe} (huey 3.4+): the platform's signal cannot be changed"
    deadline = kill.value if kill and kill.known else None
    timeout = max(int(deadline) - 5, 1) if deadline and deadline != math.inf else 55
    if owner in RUNNER_SIGNAL:  # forego/honcho/foreman send SIGTERM whatever signal the container gets
        recipe = fixing.code_options(launch, ["-g", "TERM", "-t", str(timeout)]) or \
            f"add `-g TERM -t {timeout}` to the consumer command"
        if not launch.huey_version.at_least(*option_since("graceful_signal")):
            recipe = f"upgrade to huey 3.4+ and {recipe}"
        return f"{owner} sends SIGTERM whatever signal stops it: {recipe}"
    setting = STOP_SETTING.get(owner)
    if owner == "systemd" and _kills_nothing(launch):  # the signal is ExecStop='s: systemd sends no KillSignal=
        setting = "`ExecStop=/bin/kill -INT $MAINPID` (under `KillMode=none` systemd never sends KillSignal=)"
    if launch.huey_version.at_least(*option_since("graceful_signal")):
        recipe = fixing.code_options(launch, ["-g", "TERM", "-t", str(timeout)]) or \
            f"add `-g TERM -t {timeout}` to the consumer command"
        return f"{recipe}, or set {setting}" if setting else recipe
    if setting:
        return f"set {setting}"
    recipe = fixing.code_options(launch, ["-g", "TERM", "-t", str(timeout)]) or \
        f"add `-g TERM -t {timeout}` to the consumer command"
    return f"the platform's signal cannot be changed: upgrade to huey 3.4+ and {recipe}"
