"""HL202: ``Type=forking``, ``notify``, ``dbus`` or ``oneshot`` for a huey consumer, which neither forks, notifies
nor takes a D-Bus name (``Type=simple``, also systemd's default when no ``Type=`` is written, is a note)."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, anchor, check, fixing
from hueylint.checks._systemd import systemd_launches
from hueylint.findings import Finding, Fix, Related, Severity
from hueylint.model import DETACHES, Launch, Project, Val

WRONG_TYPES = {
    "forking": ("systemd waits for the started process to fork and exit, but huey_consumer stays in the "
                "foreground: `systemctl start` hangs until TimeoutStartSec (90s by default), then the unit is "
                "killed and marked failed"),
    "notify": ("systemd waits for a READY=1 notification that huey never sends: `systemctl start` hangs until "
               "TimeoutStartSec (90s by default), then the consumer is killed and the unit fails"),
    "notify-reload": ("systemd waits for a READY=1 notification that huey never sends: `systemctl start` hangs "
                      "until TimeoutStartSec (90s by default), then the consumer is killed and the unit fails"),
    "dbus": ("systemd waits for the service to take its `BusName=` on D-Bus, which huey never does: `systemctl "
             "start` hangs until TimeoutStartSec (90s by default), then the consumer is killed and the unit fails"),
    "oneshot": ("systemd waits for the process to exit before the unit counts as started, and the consumer "
                "never exits: the unit stays `activating`, `systemctl start` blocks, units ordered after it "
                "never start, and `Restart=always` is refused for oneshot units"),
}


@check("HL202")
def systemd_wrong_type(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in systemd_launches(project):
        kind = launch.systemd.type if launch.systemd is not None else None
        if kind is None or not kind.known or not isinstance(kind.value, str):
            continue
        value = kind.value.strip().lower()
        # an unset Type= is systemd's default (simple, or dbus with BusName=): the finding goes where `Type=exec`
        # is to be added, the unit's [Service] section, with the consumer command related
        written = not kind.loc.is_default
        loc = kind.loc if written else anchor(launch)
        shown = f"`Type={kind.value}` ({kind.where()})" if written else f"no `Type=`: `Type={kind.value}` ({kind.where()})"
        related = [Related(launch.loc, "the consumer command")]
        if value == "forking" and _started_detached(launch):
            continue  # ``ExecStart=/usr/bin/screen -dmS huey huey_consumer ...``: that command does fork and exit
        if value in WRONG_TYPES:
            yield Finding("HL202", (
                f"{shown} for a huey consumer: {WRONG_TYPES[value]}. "
                "Fix: `Type=exec` (the consumer neither forks nor notifies)"), loc,
                related=related, fix=_type_exec(launch, ctx, kind))
        elif value == "simple":
            yield Finding("HL202", (
                f"{shown}: systemd reports the unit as started before the consumer "
                "binary was even executed, so a wrong path or a missing virtualenv shows up only as a later "
                "crash. Fix: `Type=exec`, which makes `systemctl start` fail when the consumer cannot be "
                "started"), loc, severity=Severity.NOTE, related=[] if written else related,
                fix=_type_exec(launch, ctx, kind))


def _started_detached(launch: Launch) -> bool:
    """The unit's command starts the consumer detached and returns (``setsid``, ``screen -dm``: a launcher hop that
    detaches, with no shell in between)."""
    return any(hop.detail == DETACHES for hop in launch.chain[:2])


def _type_exec(launch: Launch, ctx: Context, kind: Val[str]) -> Fix | None:
    edit = fixing.set_setting(launch, ctx, kind, "Type", "exec")
    return Fix("set `Type=exec`", (edit,)) if edit is not None else None
