"""A chart's values override files (``values-prod.yaml``) are ways it is deployed (``helm upgrade -f``): the
largest replica count any of them gives a workload is its instance count (HL301), as kustomize overlays'."""

from __future__ import annotations

import pytest

from hueylint.parsers.helm import merged
from tests.helpers import PERIODIC_APP, lint, write_tree

WORKER = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  replicas: {{ .Values.worker.replicas | default 1 }}
  template:
    spec:
      terminationGracePeriodSeconds: 60
      containers:
        - name: worker
          image: shop:1
          command: ["huey_consumer", "app.huey"]
"""


def _lint(tmp_path, overrides: dict[str, str], others: dict[str, str] | None = None):
    """The chart with ``overrides`` (files of the chart folder) and ``others`` (files of the repository)."""
    write_tree(tmp_path, {"app.py": PERIODIC_APP, "requirements.txt": "huey==2.5.3\n",
                          "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
                          "chart/values.yaml": "worker:\n  replicas: 1\n  image: shop\n",
                          "chart/templates/worker.yaml": WORKER,
                          **{f"chart/{name}": text for name, text in overrides.items()}, **(others or {})})
    return lint(tmp_path)


def test_an_override_file_that_scales_the_worker_makes_several_enqueuers(tmp_path) -> None:
    result = _lint(tmp_path, {"values-production.yaml": "worker:\n  replicas: 3\n", "values.staging.yaml": "{}\n"})
    (launch,) = result.project.launches
    assert launch.instances.value == 3
    (finding,) = [f for f in result.findings if f.rule == "HL301"]
    assert finding.message.startswith(
        "`deployment/worker/worker` runs 3 instances (chart/templates/worker.yaml:6 (templated "
        "`{{ .Values.worker.replicas | default 1 }}`, judged with 3 from chart/values-production.yaml:2)) without")


@pytest.mark.parametrize("overrides", [
    {},  # values.yaml alone: one replica
    {"values-dev.yaml": "worker:\n  replicas: 1\n"},  # never lower, never the same raised
    {"values.schema.json": '{"type": "object"}\n', "my-values.yaml": "worker:\n  replicas: 5\n"},  # not overrides
])
def test_no_override_raises_the_count(tmp_path, overrides: dict[str, str]) -> None:
    result = _lint(tmp_path, overrides)
    assert [launch.instances.value for launch in result.project.launches] == [1]
    assert not any(f.rule == "HL301" for f in result.findings)


def test_values_are_merged_as_helm_coalesces_them() -> None:
    base = {"worker": {"replicas": 1, "image": "shop"}, "web": {"replicas": 2}, "debug": True}
    override = {"worker": {"replicas": 4}, "web": None, "debug": False}
    assert merged(base, override) == {"worker": {"replicas": 4, "image": "shop"}, "debug": False}


@pytest.mark.parametrize("replicas, times", [("1", "2"), ("3", "4"), ('"{{ .Values.unknown }}"', "at least 2")])
def test_the_duplicate_count_adds_every_instance(tmp_path, replicas: str, times: str) -> None:
    """Two Deployments without `-n` in one chart: every replica of each enqueues the periodic tasks."""
    write_tree(tmp_path, {"app.py": PERIODIC_APP, "requirements.txt": "huey==2.5.3\n",
                          "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
                          "chart/values.yaml": "worker:\n  replicas: 1\n",
                          "chart/templates/worker.yaml": WORKER,
                          "chart/templates/beat.yaml": WORKER.replace("name: worker", "name: beat").replace(
                              "{{ .Values.worker.replicas | default 1 }}", replicas)})
    messages = [f.message for f in lint(tmp_path).findings if f.rule == "HL301" and "both run the consumer" in f.message]
    assert len(messages) == 1 and f"is enqueued {times} times" in messages[0], messages


@pytest.mark.parametrize("runner, text, replicas", [
    # a CI workflow deploys the chart with a values file outside the chart folder
    (".github/workflows/deploy.yml", "jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
     "      - run: helm upgrade --install shop ./chart -f deploy/prod.yaml --namespace shop\n", 4),
    ("bin/deploy.sh", "#!/bin/sh\nhelm upgrade shop chart --values=deploy/prod.yaml --set worker.replicas=6\n", 6),
    ("Makefile", "deploy:\n\thelm template shop ./chart --set worker.replicas=2 | kubectl apply -f -\n", 2),
    # a values file only the run knows, or a chart from a repository: not used
    ("bin/deploy.sh", "#!/bin/sh\nhelm upgrade shop chart -f \"$VALUES\"\n", 1),
    ("bin/deploy.sh", "#!/bin/sh\nhelm upgrade shop bitnami/redis -f deploy/prod.yaml\n", 1),
])
def test_releases_in_scripts_and_ci_raise_the_count(tmp_path, runner: str, text: str, replicas: int) -> None:
    result = _lint(tmp_path, {}, {"deploy/prod.yaml": "worker:\n  replicas: 4\n", runner: text})
    (launch,) = result.project.launches
    assert launch.instances.value == replicas
