"""HL203: a crashed consumer stays down.

Every platform builder states in ``launch.restart`` whether the platform
restarts a crashed consumer (a ``Val[bool]`` with where that came from), or
None when the question does not apply (a PaaS or orchestrator always
restarts).  This check reads only that, so it covers systemd, supervisord,
compose and whatever comes next.
"""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check, fixing, running_name, setting_finding
from hueylint.findings import Finding
from hueylint.model import Project, Restart

FIX = {
    "systemd": "`Restart=on-failure` (or `Restart=always`) with `RestartSec=5`",
    "supervisord": "`autorestart=true` (or `unexpected`)",
    "compose": "`restart: unless-stopped` (or `deploy.restart_policy.condition: any`)",
    "ecs": "`\"restartPolicy\": {\"enabled\": true}` on the container (or `\"essential\": true`, so that its exit stops "
           "the task and the ECS service replaces it)",
    "circus": "`respawn = true`",
    "fly": "`[[restart]] policy = \"on-failure\"` (Fly.io's default) or `\"always\"`",
    "pidfile": "run the consumer under a supervisor (a systemd unit with `Restart=on-failure`, or supervisord) "
               "instead of in the background of a start script",
}

#: a Swarm stack's restart policy (``docker stack deploy`` reads ``deploy.restart_policy``, never ``restart:``)
SWARM_FIX = "`deploy.restart_policy.condition: any` (Swarm's default) or `on-failure`"
#: a compose service whose ``deploy.restart_policy.condition`` says ``none``, or whose ``deploy.restart_policy`` has
#: no ``condition`` (``docker compose up``: no restart): the policy wins over ``restart:``
CONDITION_FIX = "`deploy.restart_policy.condition: any` or `on-failure`"


@check("HL203")
def no_restart_policy(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        restart = launch.restart
        if restart is None or not restart.known or restart.value is not False or launch.dev:
            continue
        platform = launch.chain[0].name if launch.chain else launch.platform
        what = running_name(launch)
        # a Procfile runner's entries (honcho under systemd or compose) are restarted by what runs the runner
        fix = FIX.get(platform if launch.platform == "procfile" else launch.platform, "a restart policy")
        stack = launch.compose.stack if launch.compose is not None else None
        if stack is not None:
            platform = "Docker Swarm"
            fix = (f"{SWARM_FIX} (the file is deployed with `docker stack deploy` at {stack}, which ignores "
                   "`restart:`)")
        elif fixing.restart_setting(restart) == "condition":
            fix = f"{CONDITION_FIX} (`docker compose up` applies `deploy.restart_policy` over `restart:`)"
        elif fixing.restart_setting(restart) == "policy":
            fix = ("`condition: any` (or `on-failure`) in `deploy.restart_policy`: without a `condition`, `docker "
                   "compose up` gives the container no restart policy, whatever `restart:` says (it applies "
                   "`deploy.restart_policy` over `restart:`)")
        if isinstance(restart, Restart) and restart.refused:
            yield setting_finding("HL203", _refused(restart, stack is not None, what), restart, launch)
            continue
        message = (f"{platform} does not restart {what} when it exits ({restart.where()}): after a crash, an "
                   "OOM kill or a lost Redis connection no task runs until someone notices and starts it by "
                   f"hand. Fix: {fix}")
        finding = setting_finding("HL203", message, restart, launch)
        finding.fix = fixing.restart_fix(launch, ctx, restart)
        yield finding


def _refused(restart: Restart, stack: bool, what: str) -> str:
    """The message for a compose restart value the deploying tool refuses (``restart.refused``, as written): which
    tool, what it says, the values it knows."""
    written = restart.refused
    if restart.setting == "condition":
        key, known, fix = (f"`deploy.restart_policy.condition: {written}`", "`any`, `on-failure` and `none`",
                           "`condition: any` (or `on-failure`)")
        refusal = ("the Docker engine refuses the Swarm service (\"invalid RestartCondition\")" if stack else
                   "`docker compose up` passes it to the Docker engine as the container's restart policy, which it "
                   "refuses (\"invalid restart policy\")")
    else:
        key, known, fix = (f"`restart: {written}`", "`no`, `always`, `on-failure[:N]` and `unless-stopped`",
                           "`restart: unless-stopped` (or `on-failure`)")
        refusal = ("`docker stack deploy` refuses the file (\"unknown restart policy\")" if stack else
                   "`docker compose up` passes it to the Docker engine, which refuses to create the container "
                   "(\"invalid restart policy\")")
    return (f"{key} is not a restart policy Docker knows ({restart.where()}): {refusal}, so {what} does not "
            f"start and has no restart policy until the value is fixed. It knows {known} (case-sensitive). "
            f"Fix: {fix}")
