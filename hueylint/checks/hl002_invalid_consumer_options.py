"""HL002: consumer command lines huey would refuse or misread, and Django consumer settings keys it does not
know."""

from __future__ import annotations

from typing import Iterable

from hueylint.checks import Context, check
from hueylint.checks._app import _settings_configs
from hueylint.findings import Finding
from hueylint.model import Project


@check("HL002")
def consumer_settings_keys(project: Project, ctx: Context) -> Iterable[Finding]:
    from hueylint.consumer_cli import check_config_keys

    for rel, config, _loc, _setting in _settings_configs(project):
        if not config.consumer:
            continue
        keys = {key: val.loc for key, val in config.consumer.items()}
        for problem in check_config_keys(keys, project.version_for(rel)):
            yield Finding("HL002", f"HUEY['consumer']: {problem.message}. Fix: use a ConsumerConfig key "
                          "(`workers`, `worker_type`, `periodic`, `flush_locks`, ...) or remove it", problem.loc)


@check("HL002")
def invalid_consumer_options(project: Project, ctx: Context) -> Iterable[Finding]:
    for launch in project.launches:
        for problem in launch.problems:
            yield Finding("HL002", problem.message, problem.loc)
