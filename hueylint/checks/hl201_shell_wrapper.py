"""HL201: shells between the supervisor and the consumer.

The chain layer (:mod:`hueylint.chain`) and the platform builders record each such shell as a
:class:`~hueylint.model.WrapperProblem` (what the shell does, the shell, what it starts, the branch, the
script lines); :func:`describe` writes its message.
"""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check, fixing
from hueylint.findings import SAFE, UNSAFE, Edit, Finding, Fix, Related
from hueylint.model import Launch, Project, WrapperProblem
from hueylint.signals import normalize_signal
from hueylint.words import series

HOW = {  # WrapperProblem.how: why a shell stays between the supervisor and what it starts
    "pipeline": "runs in a pipeline (`|`)",
    "subshell": "runs in a subshell `( ... )`",
    "loop": "runs inside a loop",
    "last": "is not started with `exec`",
    "not-last": "is not the last command and is not started with `exec`",
}
# a daemonizing supervisor started by a script no launch of the repository runs (WrapperProblem.outside)
ORPHAN = " (no launch in this repository runs the script)"


def _runs(problem: WrapperProblem) -> str:
    """What the shell runs without ``exec``: ``the consumer``, or the hop it runs that leads there, named as written
    (``sh -c ". /env && /app/start.sh"``: ```/app/start.sh` (which leads to the consumer)``), the hop whose
    ``exec`` is missing here."""
    if problem.subject == problem.starts:
        return problem.starts
    return f"{problem.subject} (which leads to {problem.starts})"


def _shell_problem(problem: WrapperProblem, signal: str | None = None) -> str:
    """What the shell does to the stop signal (``signal``, normalised, when known), as the chain found it."""
    shell, noun = problem.shell, problem.starts
    runs = _runs(problem)
    where = f" (branch `{problem.branch}`)" if problem.branch else ""
    if problem.kind == "su" and problem.how == "same-session":
        # su-common.c without -c (``runuser -u USER CMD``, ``su -s SHELL USER -- ARGS``): the same watching parent,
        # which keeps the caller's session and so leaves SIGINT and SIGQUIT blocked: only SIGTERM reaches its handler
        program = shell.strip("`").split()[0]
        return (f"{shell} runs the consumer as a child of {program}, which waits for it: on SIGTERM it sends that "
                f"child SIGTERM and SIGKILL 2 s later, and SIGINT never passes through it ({program} blocks it), so "
                "the consumer never gets a graceful stop; use `gosu`/`su-exec`/`setpriv` or the platform's user "
                "setting")
    if problem.kind == "su":
        # util-linux su-common.c (su, runuser) and shadow's su: on SIGTERM (SIGINT, SIGQUIT unless ignored) the
        # waiting parent prints "Session terminated, killing shell...", sends its child SIGTERM, sleeps 2 s, then
        # SIGKILL (checked with util-linux 2.38.1)
        return (f"{shell} runs the consumer in a child of {shell.strip('`').split()[0]} and a shell: whatever signal "
                "stops it, it sends that child SIGTERM and SIGKILL 2 s later, so the consumer never gets a graceful "
                "stop; use `gosu`/`su-exec`/`setpriv` or the platform's user setting")
    if problem.kind == "forks" and problem.how == "server":  # a web server whose app module spawns the consumer
        return (f"{shell} starts {noun} as a child process of the server{where}: no stop signal is passed on to it, "
                f"so {noun} is killed without a graceful shutdown when the server stops, and nothing restarts it")
    if problem.kind == "forks" and problem.how == "no-fork":  # util-linux flock.c: fork, then waitpid only
        return (f"{shell} runs {noun} as its child and waits for it{where}: it does not pass the stop signal on, so "
                f"{noun} never receives it: it is killed without a graceful shutdown when its container stops, and "
                f"where only {shell} is signalled (supervisord) it is left running, still holding the lock, and "
                f"`exec` before {shell} cannot help")
    if problem.kind == "forks" and problem.how == "micromamba":  # libmamba run_in_environment (reproc)
        return (f"{shell} runs {noun} as its child and waits for it{where}: on SIGTERM it sends {noun} SIGTERM and "
                "SIGKILL 3 s later, and SIGINT is not passed on (micromamba dies on it), so "
                f"{noun} never gets a graceful stop, and `exec` before {shell} cannot help")
    if problem.kind == "forks" and problem.how == "uv":  # crates/uv/src/commands/run.rs run_to_completion
        return (f"{shell} runs {noun} as its child and waits for it{where}: it passes SIGTERM on, but not a first "
                f"SIGINT, which it takes for a terminal's Ctrl-C that reached its whole process group; sent to uv "
                f"alone, SIGINT never reaches {noun}, which is killed without a graceful shutdown")
    if problem.kind == "forks":
        return (f"{shell} runs {noun} as its child and waits for it{where}: it does not pass the stop signal on, so "
                f"{noun} is killed without a graceful shutdown, and `exec` before {shell} cannot help")
    if problem.kind == "stays" and problem.group_init:  # (a lone command bash execs: its own message, below)
        init = problem.group_init
        if signal == "INT" and problem.shell_waits_on_int and problem.how != "loop":  # no HL201 (inspect shows it)
            return (f"{shell} stays between {init} and {noun}{where}: {init} passes SIGINT to the whole process group, "
                    f"{noun} included, and bash waits for its foreground command on SIGINT: {noun}'s graceful "
                    "shutdown ends before the container stops")
        if signal == "INT" and problem.shell_waits_on_int:
            return (f"{shell} stays between {init} and {noun}{where}: {init} passes the stop signal to the whole "
                    f"process group, {noun} included, and bash waits for it on SIGINT, but then starts it again in "
                    "its loop, so the container stops only when the deadline's SIGKILL ends it, with the restarted "
                    "consumer's tasks")
        dies = "dies on SIGINT at once (dash, the usual `sh`; bash waits)" if signal == "INT" else \
            "dies on SIGTERM at once"
        return (f"{shell} stays between {init} and {noun}{where}: {init} passes the stop signal to the whole process "
                f"group, {noun} included, but a shell without a trap {dies} and {init} exits with its "
                f"child, so the container's last processes, {noun} among them, are killed before a graceful shutdown "
                "ends")
    if problem.kind == "no-exec" and problem.how == "list":
        return (f"{shell} runs {runs} without `exec` as the last command of its string{where}: bash 5.1 and later "
                "happen to replace themselves by it, but that is an optimisation, not a contract (`sh`/dash, an "
                "older bash, or a trap keeps the shell in between, and the shell does not pass the stop signal on); "
                f"write `exec` so {problem.subject} is the process the supervisor signals")
    if problem.kind == "no-exec":
        return (f"{shell} runs {runs} without `exec`{where}: bash 5 happens to replace itself by a lone command, but "
                "that is an optimisation, not a contract (`sh`/dash, a trap, or a second command keeps the shell in "
                "between, and the shell does not pass the stop signal on); write `exec` so "
                f"{problem.subject} is the process the supervisor signals")
    if problem.kind == "background" and problem.how == "detached":
        then = f" and then runs {problem.then}" if problem.then else ""
        tool = f" with {problem.tool}" if problem.tool and problem.tool != shell else ""
        if problem.tool == "`setsid`":  # without -f: it forks because it leads its process group
            tool += (" (the process the platform started, or one that took its place by `exec`, setsid leads its "
                     "process group, so it forks, runs the consumer in the child and returns at once)")
        return (f"{shell} starts {noun} detached{tool}{then}{where}: it runs in a session of its own, so the stop "
                f"signal never reaches it: it is killed without a graceful shutdown when its container stops, or left "
                "running after the service has stopped")
    if problem.kind == "background":
        then = f" and then runs {problem.then}" if problem.then else ""
        if problem.group_init:
            init = problem.group_init
            return (f"{shell} starts {noun} in the background (`&`){then}{where}: {init} passes the stop signal to "
                    f"the whole process group, {noun} included, but exits as soon as its own child does, so {noun} is "
                    "killed with the container before a graceful shutdown ends")
        return (f"{shell} starts {noun} in the background (`&`){then}{where}: the consumer never receives the stop "
                "signal and is killed without a graceful shutdown")
    if problem.kind == "blocked":
        return (f"{shell} runs {problem.then} in the foreground before {noun}{where}: {noun} starts only when that "
                "server exits, so while the service runs no task is executed")
    if problem.kind == "daemonizes":
        orphan = ORPHAN if problem.outside else ""
        return (f"{shell} starts {noun}, which daemonizes, and then runs {problem.then}{where}{orphan}: the stop "
                f"signal goes to that program, so the consumers {noun} supervises never receive it; run {noun} in the "
                "foreground (`-n`/`--nodaemon`) with `exec` as the last command, or each program in its own container")
    return (f"{shell} stays between the supervisor and {noun}{where}: {runs} {HOW[problem.how]}, so the shell "
            "receives the stop signal and does not pass it on")


def describe(problem: WrapperProblem, signal: str | None = None) -> str:
    """The problem's message, without its fix: what the shell does, as the platform lets it matter (``signal``: the
    stop signal, normalised, when known)."""
    message = _shell_problem(problem, signal)
    if problem.platform == "systemd-forking":  # `Type=forking` with `ExecStart=/usr/bin/screen -dmS huey ...`
        head = message.split(": it runs in a session", 1)[0]
        return (f"{head}: `Type=forking` expects that, and systemd's stop signal still reaches the consumer through the "
                f"unit's control group, but `$MAINPID` is {problem.tool}'s process, not huey: `systemctl reload` "
                f"(SIGHUP) misses huey's graceful restart, and the unit follows {problem.tool}, not the consumer")
    if problem.how == "detached" and not problem.then and problem.platform in ("systemd-control-group", "procfile"):
        head = message.split(": it runs in a session", 1)[0]
        if problem.platform == "procfile":
            return (f"{head}: that command is the dyno's process and it exits at once, so the platform takes the "
                    "dyno as crashed and restarts it, killing the consumer every time: it never keeps running")
        return (f"{head}: that command is the unit's main process and it exits at once, so systemd takes the service "
                "as exited and stops what is left of its control group, the consumer included, right after it "
                "started (then starts it again if `Restart=` says so): the consumer never keeps running")
    if problem.platform == "procfile":
        started = f"detached with {problem.tool}" if problem.how == "detached" and problem.tool else \
            "in the background (`&`)"
        return (f"the Procfile entry starts the consumer {started}"
                + (f" (branch `{problem.branch}`)" if problem.branch else "")
                + ": the platform supervises only the foreground program, so a crashed consumer is never "
                "restarted and it is stopped whenever that program exits; give the consumer its own "
                "process type (`worker: huey_consumer ...`)")
    if problem.platform == "systemd-control-group" and problem.kind != "su":  # su's SIGTERM and SIGKILL come anyway
        # a Python program starting it, or flock
        between = problem.shell if problem.how in ("program", "server", "no-fork") else "the shell"
        return (f"{message.split(':', 1)[0]}: under systemd `$MAINPID` is {between}, not huey, so "
                f"`systemctl reload` (SIGHUP) hits {between} instead of huey's graceful restart and the unit "
                f"tracks {'the program' if problem.how in ('program', 'server') else between}'s life, not the consumer's (the stop "
                "signal still reaches every process of the unit with the default KillMode=control-group)")
    return message


def _sigint_past_su(launch: Launch, problem: WrapperProblem) -> bool:
    """A same-session su/runuser (``runuser -u app -- huey_consumer``) in a systemd unit whose KillSignal is SIGINT,
    huey's graceful signal: systemd's default KillMode=control-group sends SIGINT to the consumer itself, and su,
    which blocks SIGINT in that form, only waits for it to exit: the stop is graceful, nothing to report."""
    if problem.kind != "su" or problem.how != "same-session" or problem.platform != "systemd-control-group":
        return False
    sent = next((hop.sends for hop in launch.chain if hop.kind == "platform" and hop.sends is not None), None)
    graceful = launch.graceful_signal
    return sent is not None and sent.known and graceful.known and \
        normalize_signal(str(sent.value)) == normalize_signal(str(graceful.value)) == "INT"


def _bash_waits_on_sigint(launch: Launch, problem: WrapperProblem) -> bool:
    """bash left between an init that signals the whole process group (dumb-init, ``tini -g``) and a consumer it
    runs in the foreground, when the stop signal is SIGINT, huey's graceful signal: the init sends it to the
    consumer too, and bash waits for its foreground command before it decides to exit (it exits only if that
    command died of SIGINT), so the init and the container stay until the consumer's graceful shutdown ends.  In
    a pipeline or a subshell bash waits for all of it; in a loop it would start the consumer again; dash dies at once
    (:attr:`WrapperProblem.shell_waits_on_int`)."""
    if problem.kind != "stays" or not problem.group_init or not problem.shell_waits_on_int or problem.how == "loop":
        return False
    graceful = launch.graceful_signal
    return stop_signal_of(launch) == "INT" and graceful.known and normalize_signal(str(graceful.value)) == "INT"


def _uv_passes_it_on(launch: Launch, problem: WrapperProblem) -> bool:
    """uv's runner between the platform and the consumer loses only a SIGINT sent to uv alone
    (:attr:`WrapperProblem.drops_first_sigint`): any other stop signal, or one that is not known, passes (an unknown
    one is no verdict)."""
    return problem.kind == "forks" and problem.how == "uv" and not (
        problem.drops_first_sigint and stop_signal_of(launch) == "INT")


def stop_signal_of(launch: Launch) -> str | None:
    """The signal that stops the consumer (normalised, ``INT``), None when unknown."""
    sent = launch.stop_signal
    return normalize_signal(str(sent.value)) if sent is not None and sent.known and sent.value else None


def _fix_text(problem: WrapperProblem) -> str:
    """The fix of ``problem``'s finding, as it is written after the message."""
    return ("Fix: run the consumer as its own service or container, not from the web app's code"
            if problem.kind == "forks" and problem.how == "server" else
            "Fix: make the program send the consumer SIGINT when it is stopped (`send_signal(signal.SIGINT)` "
            "in its SIGTERM handler, then wait for it), or let the consumer replace it (`os.execvp`)"
            if problem.kind == "forks" and problem.how == "program" else
            f"Fix: start it in the foreground, without {problem.tool}, as the last command with `exec`, or run it "
            "as its own service/container" if problem.severe and problem.how == "detached" and problem.tool else
            f"Fix: run the consumer itself in `ExecStart=`, without {problem.tool}, with `Type=exec`"
            if problem.platform == "systemd-forking" else
            "Fix: start it in the foreground as the last command with `exec`, or run it as its own "
            "service/container" if problem.severe else
            f"Fix: add `-F` (`--no-fork`) to {problem.shell}: it then replaces itself by the consumer, which "
            "keeps holding the lock" if problem.kind == "forks" and problem.how == "no-fork" else
            f"Fix: drop `--forward-signals=false` from {problem.shell}: it then passes the signals it receives on to "
            "the consumer" if problem.kind == "forks" and problem.how == "forward-signals" else
            f"Fix: run the environment's own program without {problem.shell} (`/opt/conda/envs/NAME/bin/huey_consumer`, "
            "or `exec` it after `conda activate NAME` in a script)" if problem.kind == "forks" and problem.how == "conda" else
            f"Fix: run the environment's own program without {problem.shell} (the consumer in the environment's "
            "`bin/` folder), or `exec` it after activating the environment in a script"
            if problem.kind == "forks" and problem.how == "micromamba" else
            f"Fix: run the consumer from the project's environment without {problem.shell} (`.venv/bin/huey_consumer`, "
            "which `uv sync` installs), or start uv under an init that signals the whole process group (`dumb-init`)"
            if problem.kind == "forks" and problem.how == "uv" else
            f"Fix: drop {problem.shell} and `exec` the consumer: a process the platform starts is already in a "
            "session of its own" if problem.kind == "forks" and problem.how == "setsid" else
            f"Fix: drop {problem.shell}: start what it provides on its own (`Xvfb :99 &`, then "
            "`DISPLAY=:99`) and `exec` the consumer" if problem.kind == "forks" else
            # `exec` inside the string cannot help: su forks whatever its command does
            f"Fix: drop {problem.shell} and set the user where the platform starts the consumer (supervisord "
            "`user=`, systemd `User=`, Docker `USER`), or `exec gosu USER` the consumer"
            if problem.kind == "su" else
            _EXEC_FIX.format(problem.subject))


# the fix of a shell that stays: `exec` what it runs (the consumer, or the hop that leads there)
_EXEC_FIX = "Fix: `exec` {} as the last command, use the exec (JSON) form, or drop the wrapper"


def _fixes_text(problems: list[WrapperProblem]) -> str:
    """The fix of one finding's shells (outermost first), each said once; the `exec` of several nested shells as one
    sentence naming what each runs (``sh -c`` runs the script, the script the consumer)."""
    texts = list(dict.fromkeys(_fix_text(problem) for problem in problems))
    execs = [problem.subject for problem in problems if _fix_text(problem) == _EXEC_FIX.format(problem.subject)]
    execs = list(dict.fromkeys(execs))
    if len(execs) > 1:
        first = texts.index(_EXEC_FIX.format(execs[0]))
        texts = [text for text in texts if text not in {_EXEC_FIX.format(subject) for subject in execs[1:]}]
        texts[first] = (f"Fix: `exec` {series(execs)}, each as the last command of its shell, "
                        "use the exec (JSON) form, or drop the wrappers")
    return "Fix: " + "; and ".join(text.removeprefix("Fix: ") for text in texts)


def _edit(launch: Launch, problem: WrapperProblem, ctx: Context) -> Fix | None:
    """The ``--fix`` edit of ``problem``: `exec` (or the exec form) for a shell that stays, else None."""
    if problem.severe or problem.starts != "the consumer" or problem.kind in ("forks", "su") or \
            problem.how == "detached":
        return None
    image_command = problem.shell.startswith("the shell-form ")
    if problem.subject != problem.starts:  # `exec` before the hop the shell runs (`sh -c ". /env && /app/start.sh"`)
        here = next((loc for loc, label in problem.locs if label.startswith("started without exec: ")), None)
        if here is None:
            return None
        edit = fixing.exec_fix(launch, ctx, instruction=image_command, command=here)
        return edit if edit is not None and all(e.path == here.path and e.line == here.line for e in edit.edits) \
            else None
    # a Dockerfile's shell-form CMD/ENTRYPOINT (also run by a compose service or a container):
    # its exec form, or `exec` after its last `&&`/`;`, never `exec` before the instruction
    edit = (fixing.exec_form_fix(launch, ctx, image_command=image_command)
            or fixing.exec_fix(launch, ctx, instruction=image_command,
                               last_on_path=problem.kind == "stays" and problem.how == "last"))
    lines = {(loc.path, loc.line) for loc, _ in problem.locs}
    if edit is not None and any((e.path, e.line) not in lines for e in edit.edits):
        return None  # the consumer's line is another shell's (a script this one runs without exec)
    return edit


def _overlap(a: Edit, b: Edit) -> bool:
    """``a`` and ``b`` replace or touch the same text (:mod:`hueylint.fixes` would not apply both at once)."""
    return a.path == b.path and (a.line, a.col) <= (b.end_line, b.end_col) and \
        (b.line, b.col) <= (a.end_line, a.end_col)


def _merged_fix(fixes: list[Fix]) -> Fix | None:
    """One fix of the edits of ``fixes`` (outermost shell first) that do not overlap an earlier one's: the rest
    wait for ``--fix``'s next pass, which re-lints the line."""
    taken: list[Fix] = []
    for fix in fixes:
        if not any(_overlap(a, b) for other in taken for a in other.edits for b in fix.edits):
            taken.append(fix)
    if not taken:
        return None
    if len(taken) == 1:
        return taken[0]
    return Fix("; ".join(dict.fromkeys(fix.description for fix in taken)),
               tuple(edit for fix in taken for edit in fix.edits),
               UNSAFE if any(fix.safety == UNSAFE for fix in taken) else SAFE)


@check("HL201")
def shell_wrapper(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        if launch.dev:
            continue  # a development reloader stack (watchfiles, watchmedo, Procfile.dev): nothing to lose on stop
        # the shells written on one line (`su -c` in a shell-form CMD, `sh -c` inside `bash -c`) are one finding:
        # the chain records the innermost first, so the outer shell leads (by column, then in reverse)
        on_line: dict[tuple[str | None, int], list[WrapperProblem]] = {}
        for problem in reversed(launch.wrappers):
            if not problem.locs or _sigint_past_su(launch, problem) or _bash_waits_on_sigint(launch, problem) or \
                    _uv_passes_it_on(launch, problem):
                continue
            primary = problem.locs[0][0]
            on_line.setdefault((primary.path, primary.line), []).append(problem)
        for problems in on_line.values():
            problems.sort(key=lambda problem: problem.locs[0][0].col)
            yield _finding(launch, problems, ctx)


def _finding(launch: Launch, problems: list[WrapperProblem], ctx: Context) -> Finding:
    """One HL201 finding for the shells of one line (``problems``, outermost first)."""
    first = problems[0]
    primary = first.locs[0][0]
    # shells that lose the signal for the same reason are named together ("each of `bash -c`, `bash -s` and
    # script `start.sh` stays between ..."), in the order they run
    reasons: dict[str, list[str]] = {}
    for problem in problems:
        message = describe(problem, stop_signal_of(launch))
        # the chain's messages already name the branch they are in; say it once
        branch = f" [branch: {problem.branch}]" if problem.branch and problem.branch not in message else ""
        reason = (message + branch).replace(problem.shell, "\0", 1) if problem.shell in message else message + branch
        reasons.setdefault(reason, []).append(problem.shell)
    messages = []
    for reason, shells in reasons.items():
        named = shells[0] if len(shells) == 1 else "each of " + series(shells)
        messages.append(reason.replace("\0", named, 1))
    text = "; and inside it, ".join(messages)
    # `su -c` or a launcher that forks, inside a shell on the same line: its own fix (`exec gosu USER` the consumer,
    # drop the launcher) replaces the hop the outer shell would `exec`
    replaced = any(problem.kind in ("su", "forks") for problem in problems)
    fixing_problems = [problem for problem in problems if not (replaced and problem.subject != problem.starts)]
    fix_text = _fixes_text(fixing_problems)
    related: list[Related] = []
    for problem in problems:
        for loc, label in problem.locs[1:] if problem is first else problem.locs:
            if loc != primary and all(r.loc != loc for r in related):
                related.append(Related(loc, label))
    fixes = [fix for fix in (_edit(launch, problem, ctx) for problem in fixing_problems) if fix is not None]
    return Finding("HL201", f"{text}. {fix_text}", primary, related=related, fix=_merged_fix(fixes))
