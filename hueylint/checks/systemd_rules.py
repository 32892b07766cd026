"""HL106 and HL202: systemd settings that only make sense for other kinds of daemons."""

from __future__ import annotations

import posixpath
import shlex
from typing import Iterable

from hueylint.checks import Context, anchor, check, fixing
from hueylint.findings import Finding, Fix, Related, Severity
from hueylint.fix_edits import replace_at
from hueylint.model import Launch, Project, Val, signal_name
from hueylint.platforms.common import normalize_signal

KILLS = ("kill",)
MAINPID = ("$MAINPID", "${MAINPID}")

WRONG_TYPES = {
    "forking": ("systemd waits for the started process to fork and exit, but huey_consumer stays in the "
                "foreground: `systemctl start` hangs until TimeoutStartSec (90s by default), then the unit is "
                "killed and marked failed"),
    "notify": ("systemd waits for a READY=1 notification that huey never sends: `systemctl start` hangs until "
               "TimeoutStartSec (90s by default), then the consumer is killed and the unit fails"),
    "notify-reload": ("systemd waits for a READY=1 notification that huey never sends: `systemctl start` hangs "
                      "until TimeoutStartSec (90s by default), then the consumer is killed and the unit fails"),
    "oneshot": ("systemd waits for the process to exit before the unit counts as started, and the consumer "
                "never exits: the unit stays `activating`, `systemctl start` blocks, units ordered after it "
                "never start, and `Restart=always` is refused for oneshot units"),
}


def _systemd(project: Project) -> Iterable[Launch]:
    return (launch for launch in project.launches if launch.platform == "systemd" and not launch.dev)


def reload_signal(command: str) -> tuple[str | None, bool]:
    """``(signal, targets $MAINPID)`` for a ``kill`` command line; ``(None, False)`` when it is something else."""
    text = command.lstrip("-@:+!|")
    try:
        words = shlex.split(text, posix=True)
    except ValueError:
        return None, False
    if not words or posixpath.basename(words[0]) not in KILLS:
        return None, False
    signal = "TERM"
    targets = False
    index = 1
    while index < len(words):
        word = words[index]
        if word in ("-s", "--signal", "-n") and index + 1 < len(words):
            signal = normalize_signal(words[index + 1]) or "?"
            index += 2
            continue
        if word.startswith("--signal="):
            signal = normalize_signal(word.split("=", 1)[1]) or "?"
        elif word.startswith("-") and len(word) > 1 and word != "--":
            signal = normalize_signal(word[1:]) or "?"
        elif word in MAINPID:
            targets = True
        index += 1
    return signal, targets


@check("HL106")
def reload_not_graceful(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in _systemd(project):
        reload = launch.facts.get("systemd.ExecReload")
        if reload is None:
            yield Finding("HL106", (
                f"systemd unit `{launch.name}` has no `ExecReload=`: `systemctl reload {launch.name}` fails, "
                "so code and config changes need a full restart (stop, then start) instead of huey's graceful "
                "restart on SIGHUP (finish running tasks, re-exec in place with the same PID). "
                "Fix: add `ExecReload=/bin/kill -HUP $MAINPID`"), anchor(launch),
                related=[Related(launch.loc, "the consumer command")], fix=_reload_fix(launch, ctx, None))
            continue
        if not reload.known or not isinstance(reload.value, str) or "{{" in reload.value:
            continue
        signal, targets = reload_signal(reload.value)
        if signal is None or signal == "?" or not targets or signal == "HUP":
            continue
        graceful = launch.graceful_signal.value if launch.graceful_signal.known else "INT"
        if signal == graceful:
            effect = "huey shuts down gracefully and exits instead of restarting in place"
        elif signal in ("INT", "TERM"):
            effect = "huey shuts down immediately, interrupting running tasks, and exits"
        else:
            effect = f"huey does not handle {signal_name(signal)}, so the consumer is terminated mid-task"
        yield Finding("HL106", (
            f"`ExecReload={reload.value}` ({reload.where()}) sends {signal_name(signal)} to the consumer: "
            f"{effect}; huey's graceful restart (finish running tasks, re-exec in place) is SIGHUP. "
            "Fix: `ExecReload=/bin/kill -HUP $MAINPID`"), reload.loc, fix=_reload_fix(launch, ctx, reload))


@check("HL202")
def systemd_wrong_type(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in _systemd(project):
        kind = launch.facts.get("systemd.Type")
        if kind is None or not kind.known or not isinstance(kind.value, str):
            continue
        value = kind.value.strip().lower()
        if value in WRONG_TYPES:
            yield Finding("HL202", (
                f"`Type={kind.value}` ({kind.where()}) for a huey consumer: {WRONG_TYPES[value]}. "
                "Fix: `Type=exec` (the consumer neither forks nor notifies)"), kind.loc,
                related=[Related(launch.loc, "the consumer command")], fix=_type_exec(launch, ctx, kind))
        elif value == "simple":
            yield Finding("HL202", (
                f"`Type=simple` ({kind.where()}): systemd reports the unit as started before the consumer "
                "binary was even executed, so a wrong path or a missing virtualenv shows up only as a later "
                "crash. Fix: `Type=exec`, which makes `systemctl start` fail when the consumer cannot be "
                "started"), kind.loc, severity=Severity.NOTE, fix=_type_exec(launch, ctx, kind))


def _type_exec(launch: Launch, ctx: Context, kind: Val) -> Fix | None:
    edit = fixing.set_setting(launch, ctx, kind, "Type", "exec")
    return Fix("set `Type=exec`", (edit,)) if edit is not None else None


def _reload_fix(launch: Launch, ctx: Context, reload: Val | None) -> Fix | None:
    """``ExecReload=/bin/kill -HUP $MAINPID`` added to ``[Service]``, or the written command replaced (one line)."""
    command = "/bin/kill -HUP $MAINPID"
    if reload is None:
        edit = fixing.set_setting(launch, ctx, None, "ExecReload", command)
    elif reload.loc.path and reload.loc.line == reload.loc.end_line and not (ctx.text(reload.loc.path) or "") \
            .splitlines()[reload.loc.line - 1].rstrip().endswith("\\"):
        edit = replace_at(reload.loc, command)
    else:
        edit = None
    return Fix(f"set `ExecReload={command}`", (edit,)) if edit is not None else None
