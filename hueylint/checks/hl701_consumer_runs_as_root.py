"""HL701: the consumer runs as root."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check, running_name, setting_finding
from hueylint.findings import Finding
from hueylint.model import Project

FIX = {
    "systemd": "`User=appuser` (or `DynamicUser=yes`) in [Service]",
    "supervisord": "`user=appuser` in the [program:...] section",
    "docker": "a `USER appuser` line in the final stage",
    "compose": "`user: appuser` on the service, or `USER` in the image",
    "kubernetes": "`securityContext.runAsNonRoot: true` and `runAsUser`",
    "circus": "`uid = appuser` in the watcher",
}


@check("HL701")
def consumer_runs_as_root(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        user = launch.user
        if user is None or not user.known or launch.dev:
            continue
        value = user.value.strip() if isinstance(user.value, str) else user.value
        if value not in (None, "root", "0", "0:0", "root:root"):
            continue
        what = running_name(launch)
        shown = f"user {value}" if value else "root"
        message = (f"{what} runs as {shown} ({user.where()}): every task, and anything that can write to the "
                   "queue (tasks are pickled), runs with root privileges. "
                   f"Fix: {FIX.get(launch.platform, 'run it as an unprivileged user')}")
        yield setting_finding("HL701", message, user, launch)
