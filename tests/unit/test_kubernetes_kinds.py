"""Kubernetes kinds beyond the core workloads: Argo Rollouts' ``Rollout`` and OpenShift's ``DeploymentConfig`` run
and stop their pods as a Deployment does (launches, their ``replicas`` counted); any other kind whose containers
run a consumer is a notice, never silence (fixture kubernetes-workload-kinds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, triples, write_tree

APP = "from huey import RedisHuey, crontab\n\nhuey = RedisHuey()\n\n\n@huey.periodic_task(crontab())\ndef beat():\n    pass\n"


def _manifest(api: str, kind: str, replicas: str = "3", command: str = '["huey_consumer", "app.huey"]') -> str:
    return (f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: worker\nspec:\n  replicas: {replicas}\n"
            "  template:\n    spec:\n      terminationGracePeriodSeconds: 60\n      containers:\n"
            f"        - name: worker\n          image: shop:1\n          command: {command}\n")


@pytest.mark.parametrize(("api", "kind"), [("argoproj.io/v1alpha1", "Rollout"), ("apps.openshift.io/v1", "DeploymentConfig"),
                                           ("apps/v1", "Deployment")])
def test_deployment_shaped_kinds_are_workloads_with_their_replicas(tmp_path: Path, api: str, kind: str) -> None:
    write_tree(tmp_path, {"app.py": APP, "requirements.txt": "huey==2.5.0\n", "k8s/worker.yaml": _manifest(api, kind)})
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert (launch.name, launch.instances.value) == (f"{kind.lower()}/worker/worker", 3)
    assert ("HL301", "k8s/worker.yaml", 13) in triples(result)  # three replicas enqueue the periodic task


@pytest.mark.parametrize(("api", "kind", "noticed"), [
    ("serving.knative.dev/v1", "Service", True),
    ("keda.sh/v1alpha1", "ScaledJob", True),
    ("v1", "ConfigMap", False),  # no containers: a script in its data is run by a workload, or by nothing
])
def test_other_kinds_running_a_consumer_are_a_notice(tmp_path: Path, api: str, kind: str, noticed: bool) -> None:
    text = _manifest(api, kind) if kind != "ConfigMap" else \
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scripts\ndata:\n  run.sh: exec huey_consumer app.huey\n"
    write_tree(tmp_path, {"app.py": APP, "requirements.txt": "huey==2.5.0\n", "k8s/worker.yaml": text})
    result = lint(tmp_path)
    assert result.project.launches == []
    expected = [("k8s/worker.yaml", f"line 2: kind `{kind}` ({api}) runs a consumer command but is no workload "
                                    "hueylint models: not checked")] if noticed else []
    assert [(n.rel, n.reason) for n in result.notices if "kind" in n.reason] == expected


def test_another_kind_without_a_consumer_says_nothing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": APP, "requirements.txt": "huey==2.5.0\n",
                          "k8s/web.yaml": _manifest("serving.knative.dev/v1", "Service", command='["gunicorn", "app"]')})
    assert [n for n in lint(tmp_path).notices if "kind" in n.reason] == []
