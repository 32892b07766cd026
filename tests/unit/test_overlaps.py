"""Builders do not depend on their order: the engine's overlap pass (hueylint.overlaps) decides.

A compose service or Kubernetes container built from a repository Dockerfile replaces that image's own
launch; a supervisor configuration a container runs is that container's, not a host's.  Running the
builders in reverse order gives the same launches and the same findings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint import platforms
from tests.helpers import FIXTURES, copy_project, git_init, lint, write_tree

OVERLAPPING = ["compose-alternatives-merged", "daemon-supervisor-inner-config", "field-compose-supervisord-image-user",
               "field-entrypoint-alternative-supervisors", "field-script-supervisord-nodaemon", "helm-sidecar",
               "k8s-manifest-styles", "guide-newest"]


def _outcome(root: Path):
    result = lint(root)
    launches = sorted((launch.platform, launch.name, launch.unit, str(launch.loc)) for launch in result.project.launches)
    findings = [(f.rule, f.loc.path, f.loc.line, f.loc.col, f.message) for f in result.findings]
    return launches, findings


def _reverse_builders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platforms, "BUILDERS", dict(reversed(list(platforms.BUILDERS.items()))))


@pytest.mark.parametrize("name", OVERLAPPING)
def test_builder_order_does_not_change_a_fixture(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(FIXTURES / name, tmp_path)
    in_order = _outcome(root)
    _reverse_builders(monkeypatch)
    assert _outcome(root) == in_order


FILES = {
    "Dockerfile": "FROM python:3.12\nCOPY . /app\nCMD [\"huey_consumer\", \"app.huey\"]\n",
    "compose.yaml": "services:\n  worker:\n    build: .\n    stop_grace_period: 60s\n",
    "sup/Dockerfile": "FROM python:3.12\nCOPY supervisord.conf /etc/supervisord.conf\n"
                      "CMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisord.conf\"]\n",
    "sup/supervisord.conf": "[supervisord]\nnodaemon=true\n[program:huey]\ncommand=huey_consumer app.huey\n",
    "host/supervisord.conf": "[supervisord]\n[program:other]\ncommand=huey_consumer other.huey\n",
}


@pytest.mark.parametrize("order", ["as listed", "reversed"])
def test_replaced_images_and_claimed_configs(order: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, FILES)
    git_init(tmp_path)
    if order == "reversed":
        _reverse_builders(monkeypatch)
    launches = sorted((launch.platform, launch.name, [hop.name for hop in launch.chain][:2])
                      for launch in lint(tmp_path).project.launches)
    assert launches == [
        # the compose service replaces `docker run` of the root Dockerfile
        ("compose", "worker", ["compose"]),
        # sup/Dockerfile's supervisord runs sup/supervisord.conf: built once, under docker, not as a host
        ("supervisord", "huey", ["docker", "supervisord"]),
        # nothing runs host/supervisord.conf: a host supervisord
        ("supervisord", "other", ["supervisord"]),
    ]
