"""HL106: a systemd unit without an ``ExecReload=`` sending SIGHUP to the consumer, or with one that sends
another signal."""

from __future__ import annotations

import posixpath
from typing import Iterable

from hueylint.checks import Context, anchor, check, fixing, instance_unit
from hueylint.checks._systemd import systemd_launches
from hueylint.findings import Finding, Fix, Related
from hueylint.fix_edits import replace_at
from hueylint.hueyfacts import DEFAULT_GRACEFUL_SIGNAL, RESTART_SIGNAL, RESTART_SIGNAL_SINCE, STOP_SIGNALS
from hueylint.model import Launch, Project, Val, signal_name
from hueylint.signals import normalize_signal
from hueylint.words import shell_words

KILLS = ("kill",)

MAINPID = ("$MAINPID", "${MAINPID}")


def reload_signal(command: str) -> tuple[str | None, bool]:
    """``(signal, targets $MAINPID)`` for a ``kill`` command line; ``(None, False)`` when it is something else."""
    text = command.lstrip("-@:+!|")
    words = shell_words(text)  # systemd splits the POSIX shell's way and refuses an unterminated quote
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
    for launch in systemd_launches(project):
        if not launch.huey_version.at_least(*RESTART_SIGNAL_SINCE):
            continue  # before 1.5.2 SIGHUP ends the consumer at once: there is no graceful restart to ask for
        reload = launch.systemd.exec_reload if launch.systemd is not None else None
        if reload is None:
            # a template unit is reloaded by an instance's name (`systemctl reload worker@.service` is refused:
            # the instance name is missing, systemd.unit(5))
            unit = instance_unit(launch.name)
            yield Finding("HL106", (
                f"systemd unit `{launch.name}` has no `ExecReload=`: `systemctl reload {unit}` fails, "
                "so code and config changes need a full restart (stop, then start) instead of huey's graceful "
                "restart on SIGHUP (finish running tasks, re-exec in place with the same PID). "
                "Fix: add `ExecReload=/bin/kill -HUP $MAINPID`"), anchor(launch),
                related=[Related(launch.loc, "the consumer command")], fix=_reload_fix(launch, ctx, None))
            continue
        if not reload.known or not isinstance(reload.value, str) or "{{" in reload.value:
            continue
        signal, targets = reload_signal(reload.value)
        if signal is None or signal == "?" or not targets or signal == RESTART_SIGNAL:
            continue
        graceful = launch.graceful_signal.value if launch.graceful_signal.known else DEFAULT_GRACEFUL_SIGNAL
        if signal == graceful:
            effect = "huey shuts down gracefully and exits instead of restarting in place"
        elif signal in STOP_SIGNALS:
            effect = "huey shuts down immediately, interrupting running tasks, and exits"
        else:
            effect = f"huey does not handle {signal_name(signal)}, so the consumer is terminated mid-task"
        yield Finding("HL106", (
            f"`ExecReload={reload.value}` ({reload.where()}) sends {signal_name(signal)} to the consumer: "
            f"{effect}; huey's graceful restart (finish running tasks, re-exec in place) is SIGHUP. "
            "Fix: `ExecReload=/bin/kill -HUP $MAINPID`"), reload.loc, fix=_reload_fix(launch, ctx, reload))


def _reload_fix(launch: Launch, ctx: Context, reload: Val[str] | None) -> Fix | None:
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
