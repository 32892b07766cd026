"""HL101 for a `-g TERM` consumer that the platform stops with SIGINT: the fix names the setting to drop as
it is written.  Before, a Kubernetes container's said "drop `STOPSIGNAL SIGINT in the image`" (prose
inside the backticks) even when the manifest's `lifecycle.stopSignal: SIGINT` sent it."""

from __future__ import annotations

import pytest

from tests.helpers import write_tree
from tests.test_cli import run_cli

WHY = ("the consumer's graceful signal is SIGTERM ({graceful}): with `-g TERM`, SIGINT is huey's *immediate* "
       "signal: running tasks are interrupted. Fix: drop {setting} so the platform sends SIGTERM, or drop `-g TERM`")
POD = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: w
spec:
  template:
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: huey
          image: {image}
          command: ["huey_consumer", "app.huey", "-g", "TERM", "-t", "5"]
          securityContext:
            runAsUser: 1000
"""


def _hl101(capsys) -> list[str]:
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--select", "HL101", "--output-format", "concise")
    assert code == 1
    return [line for line in out.splitlines() if ": HL101 " in line]


LIFECYCLE = POD.replace("          securityContext:", "          lifecycle:\n            stopSignal: SIGINT\n"
                                                       "          securityContext:")
IMAGE = {"Dockerfile": "FROM python:3.12\nRUN pip install huey==3.5.0\nUSER 1000\nSTOPSIGNAL SIGINT\n"
                       'CMD ["huey_consumer", "app.huey"]\n',
         "build.sh": "docker build -t registry.example.com/app:1 .\n"}


@pytest.mark.parametrize(("files", "where", "setting"), [
    ({"k8s/worker.yaml": LIFECYCLE.format(image="example/app")}, "k8s/worker.yaml:14:25",
     "`lifecycle.stopSignal: SIGINT`"),
    ({**IMAGE, "k8s/worker.yaml": POD.format(image="registry.example.com/app:1")}, "Dockerfile:4:1",
     "`STOPSIGNAL SIGINT` from the image"),
])
def test_kubernetes_names_where_sigint_comes_from(git_repo, capsys, files, where, setting):
    write_tree(git_repo, {"requirements.txt": "huey==3.5.0\n", **files})
    assert _hl101(capsys) == [
        f"{where}: HL101 [error] kubernetes stops `deployment/w/huey` with SIGINT ({where.rsplit(':', 1)[0]}); "
        + WHY.format(graceful="k8s/worker.yaml:12", setting=setting)]


def test_compose_and_supervisord_keep_their_settings(git_repo, capsys):
    write_tree(git_repo, {
        "requirements.txt": "huey==3.5.0\n",
        "compose.yaml": "services:\n  worker:\n    image: example/app\n    command: huey_consumer app.huey -g TERM -t 5\n"
                        "    stop_signal: SIGINT\n    stop_grace_period: 30s\n    restart: unless-stopped\n    user: app\n",
        "sv/supervisord.conf": "[program:huey]\ncommand=huey_consumer app.huey -g TERM -t 5\nstopsignal=INT\n"
                               "stopwaitsecs=30\nautorestart=true\nuser=app\n"})
    assert _hl101(capsys) == [
        "compose.yaml:5:18: HL101 [error] compose stops `worker` with SIGINT (compose.yaml:5); "
        + WHY.format(graceful="compose.yaml:4", setting="`stop_signal: SIGINT`"),
        "sv/supervisord.conf:3:12: HL101 [error] supervisord stops `huey` with SIGINT (sv/supervisord.conf:3); "
        + WHY.format(graceful="sv/supervisord.conf:2", setting="`stopsignal=INT`")]


@pytest.mark.parametrize(("options", "advice"), [
    ('"-t", "25"', "Fix: add `-g TERM` to the consumer command, or set stop_signal: SIGINT"),
    ('"-w", "2"', "Fix: add `-g TERM -t 25` to the consumer command, or set stop_signal: SIGINT"),
])
def test_the_g_term_advice_adds_t_only_when_the_command_has_none(git_repo, capsys, options, advice):
    """A consumer already run with `-t` is told to add `-g TERM` only (before: `-g TERM -t 25` for a command that
    has `-t 25`: the same option twice); HL103 judges the `-t` it has."""
    write_tree(git_repo, {"requirements.txt": "huey==3.5.0\n", "docker-compose.yml": (
        "services:\n  w:\n    image: registry.example.com/a:1\n    restart: always\n    stop_signal: SIGTERM\n"
        f"    stop_grace_period: 30s\n    command: [\"huey_consumer\", \"app.huey\", {options}]\n")})
    [line] = _hl101(capsys)
    assert line.endswith(advice)
