"""HL101 for a `-g TERM` consumer that the platform stops with SIGINT: the fix names the setting to drop as
it is written.  Before, a Kubernetes container's said "drop `STOPSIGNAL SIGINT in the image`" (prose
inside the backticks) even when the manifest's `lifecycle.stopSignal: SIGINT` sent it."""

from __future__ import annotations

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


def test_kubernetes_lifecycle_stop_signal(git_repo, capsys):
    pod = POD.replace("          securityContext:", "          lifecycle:\n            stopSignal: SIGINT\n"
                                                     "          securityContext:")
    write_tree(git_repo, {"requirements.txt": "huey==3.5.0\n", "k8s/worker.yaml": pod.format(image="example/app")})
    assert _hl101(capsys) == [
        "k8s/worker.yaml:14:25: HL101 [error] kubernetes stops `deployment/w/huey` with SIGINT (k8s/worker.yaml:14); "
        + WHY.format(graceful="k8s/worker.yaml:12", setting="`lifecycle.stopSignal: SIGINT`")]


def test_kubernetes_image_stopsignal(git_repo, capsys):
    write_tree(git_repo, {
        "requirements.txt": "huey==3.5.0\n",
        "Dockerfile": "FROM python:3.12\nRUN pip install huey==3.5.0\nUSER 1000\nSTOPSIGNAL SIGINT\n"
                      'CMD ["huey_consumer", "app.huey"]\n',
        "build.sh": "docker build -t registry.example.com/app:1 .\n",
        "k8s/worker.yaml": POD.format(image="registry.example.com/app:1")})
    assert _hl101(capsys) == [
        "Dockerfile:4:1: HL101 [error] kubernetes stops `deployment/w/huey` with SIGINT (Dockerfile:4); "
        + WHY.format(graceful="k8s/worker.yaml:12", setting="`STOPSIGNAL SIGINT` from the image")]


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
