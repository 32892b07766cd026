"""HL501: ``-l/--logfile`` under a platform that already collects stderr."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check, fixing, running_name
from hueylint.checks._logfile import judged_logfile
from hueylint.findings import Edit, Finding, Fix
from hueylint.model import Launch, Project, Val

COLLECTOR = {
    "systemd": "systemd collects its stderr in the journal (`journalctl -u {name}`)",
    "docker": "Docker collects its stderr (`docker logs`)",
    "compose": "compose collects its stderr (`docker compose logs`)",
    "kubernetes": "Kubernetes collects its stderr (`kubectl logs`)",
    "procfile": "the PaaS collects its stderr (the platform's log stream, e.g. `heroku logs`)",
    "fly": "Fly.io collects its stderr (`fly logs`)",
    "render": "Render collects its stderr (the service's logs)",
    "kamal": "Docker collects its stderr (`kamal app logs`)",
    "ecs": "the task definition's `logConfiguration` collects its stdout and stderr (`awslogs`: CloudWatch Logs)",
    "cloudfoundry": "Cloud Foundry collects its stdout and stderr (Loggregator, `cf logs`)",
}


@check("HL501")
def logfile_under_log_collector(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        logfile = judged_logfile(launch)
        if logfile is None or not launch.collects_logs:
            continue
        collector = COLLECTOR.get(launch.platform, "the platform collects its stderr").format(name=launch.name)
        what = running_name(launch)
        yield Finding("HL501", (
            f"`-l {logfile.value}` ({logfile.where()}) sends {what}'s log to a file although {collector}: the "
            "file is invisible to the platform's log tooling, never rotated or re-opened by huey, and fills the "
            "disk. Fix: drop `-l` so huey logs to stderr"), logfile.loc, fix=_drop_logfile(launch, ctx, logfile))


def _drop_logfile(launch: Launch, ctx: Context, logfile: Val[str]) -> Fix | None:
    """`-l FILE` removed from the consumer command (a command hueylint saw)."""
    span = fixing.option_words(logfile, ctx) if not launch.unresolved else None
    if span is None or logfile.loc.path is None:
        return None
    line, start, end = span
    return Fix("drop `-l` so huey logs to stderr", (Edit(logfile.loc.path, line, start, line, end, ""),))
