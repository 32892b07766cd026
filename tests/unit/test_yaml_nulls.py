"""A YAML null in a manifest (`stopSignal: null`, `runAsUser: null`, `instances: null`) is read as the tool reads
it: Kubernetes' API server and the cf CLI store it as a field not set (the default applies); a null whose
meaning is not known (Render, Kamal) is an unknown value that says `null`.  Before, Python's None was
stringified: `stopSignal: null` was the signal "SIGNONE" (HL101 at the null), `runAsUser: null` root (HL701
beside `runAsNonRoot: true`), and unknown values read "numInstances None"."""

from __future__ import annotations

import json

from tests.helpers import write_tree
from tests.test_cli import run_cli

POD = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: w
spec:
  replicas: null
  template:
    spec:
      terminationGracePeriodSeconds: null
      containers:
        - name: huey
          image: registry.example.com/app:1
          command: ["huey_consumer", "app.huey", "-n", "-t", "25"]
          lifecycle:
            stopSignal: null
          securityContext:
            runAsUser: null
            runAsNonRoot: true
"""
IMAGE = {"Dockerfile": 'FROM python:3.12\nRUN pip install huey==3.5.0\nCMD ["huey_consumer", "app.huey"]\n',
         "build.sh": "docker build -t registry.example.com/app:1 .\n"}


def _launches(capsys) -> dict[str, dict]:
    code, out, _ = run_cli(capsys, "inspect", "--no-cache", "--output-format", "json")
    assert code == 0
    return {launch["platform"]: launch for launch in json.loads(out)["launches"]}


def test_kubernetes_null_fields_are_not_set(git_repo, capsys):
    write_tree(git_repo, {**IMAGE, "k8s/w.yaml": POD})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise")
    assert (code, out.splitlines()[:-2]) == (1, [
        "k8s/w.yaml:11:11: HL101 [error] kubernetes stops `deployment/w/huey` with SIGTERM (Kubernetes default: no "
        "stopSignal, and no STOPSIGNAL in the image); the consumer's graceful signal is SIGINT (huey default): huey "
        "treats it as \"stop now\" and interrupts running tasks. Fix: add `-g TERM` to the consumer command, or set "
        "STOPSIGNAL SIGINT in the image"])
    launch = _launches(capsys)["kubernetes"]
    assert (launch["instances"]["value"], launch["deadline"]["value"]) == (1, 30.0)
    assert launch["deadline"]["from"] == "Kubernetes default terminationGracePeriodSeconds"


def test_cloud_foundry_null_instances_is_the_default(git_repo, capsys):
    write_tree(git_repo, {"manifest.yml": (
        "applications:\n  - name: shop\n    processes:\n      - type: worker\n"
        "        command: huey_consumer app.huey -g TERM -t 5\n        instances: null\n")})
    launch = _launches(capsys)["cloudfoundry"]
    assert launch["instances"] == {"value": 1, "from": "Cloud Foundry default instances", "unknown": None}


def test_render_and_kamal_nulls_are_unknown_and_say_null(git_repo, capsys):
    write_tree(git_repo, {
        "render.yaml": ("services:\n  - type: worker\n    name: huey\n    runtime: python\n"
                        "    startCommand: huey_consumer app.huey -g TERM -t 5\n"
                        "    maxShutdownDelaySeconds: null\n    numInstances: null\n"),
        "config/deploy.yml": ("service: shop\nimage: acme/shop\nstop_timeout: null\nservers:\n  workers:\n"
                              "    hosts: [1.2.3.4]\n    cmd: huey_consumer app.huey -g TERM -t 5\n"
                              "    options:\n      stop-signal: null\n")})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise")
    assert (code, "NONE" in out, "None" in out) == (0, False, False)  # before: HL101 "with SIGNONE"
    launches = _launches(capsys)
    render, kamal = launches["render"], launches["kamal"]
    assert render["instances"] == {"value": None, "from": "render.yaml:7", "unknown": "`numInstances: null`"}
    assert render["deadline"]["unknown"] == "`maxShutdownDelaySeconds: null`"
    assert kamal["stop_signal"] == {"value": None, "from": "config/deploy.yml:9", "unknown": "`stop-signal: null`"}
    assert kamal["deadline"] == {"value": None, "from": "config/deploy.yml:3", "unknown": "`stop_timeout: null`"}
