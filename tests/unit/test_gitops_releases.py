"""Releases of a repository chart that GitOps tools deploy (Argo CD Application, Flux HelmRelease, helmfile):
their values files and inline values raise a workload's replica count, as `helm -f`/`--set` releases do."""

from __future__ import annotations

import pytest

from hueylint.config import Settings
from hueylint.engine import build_project
from hueylint.platforms.helm_releases import gitops_releases
from tests.helpers import PERIODIC_APP, lint, write_tree

WORKER = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  replicas: {{ .Values.worker.replicas }}
  template:
    spec:
      terminationGracePeriodSeconds: 60
      containers:
        - name: worker
          image: shop:1
          command: ["huey_consumer", "app.huey"]
"""
ARGO = """apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop
spec:
  destination:
    namespace: shop
  source:
    repoURL: https://git.example.com/shop.git
    path: deploy/chart
    helm:
      valueFiles:
        - values-live.yaml
{helm}
"""


def _tree(tmp_path, files: dict[str, str]) -> None:
    write_tree(tmp_path, {"app.py": PERIODIC_APP, "requirements.txt": "huey==2.5.3\n",
                          "deploy/chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
                          "deploy/chart/values.yaml": "worker:\n  replicas: 1\n",
                          "deploy/chart/templates/worker.yaml": WORKER,
                          "deploy/chart/live/values-live.yaml": "worker:\n  replicas: 9\n",  # not a values file of it
                          **files})


@pytest.mark.parametrize("helm, replicas, where", [
    ("", 1, "deploy/chart/values.yaml:2"),  # the live values file does not raise it: 1 (no variant)
    ("      parameters:\n        - name: worker.replicas\n          value: '4'\n", 4, "Argo CD Application at gitops/shop.yaml:10"),
    ("      valuesObject:\n        worker:\n          replicas: 3\n", 3, "Argo CD Application at gitops/shop.yaml:10"),
    ("      values: |\n        worker:\n          replicas: 2\n", 2, "Argo CD Application at gitops/shop.yaml:10"),
])
def test_an_argo_cd_application_deploys_the_chart_with_its_values(tmp_path, helm, replicas, where):
    _tree(tmp_path, {"deploy/chart/values-live.yaml": "worker:\n  replicas: 1\n",
                     "gitops/shop.yaml": ARGO.format(helm=helm)})
    (launch,) = lint(tmp_path).project.launches
    assert launch.instances.value == replicas and where in str(launch.instances.loc)


def test_a_flux_helmrelease_and_a_helmfile_release_deploy_it_too(tmp_path):
    flux = """apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: shop
spec:
  chart:
    spec:
      chart: ./deploy/chart
      sourceRef:
        kind: GitRepository
        name: shop
      valuesFiles:
        - deploy/prod.yaml
  values:
    worker:
      replicas: 5
"""
    helmfile = ("releases:\n  - name: shop\n    chart: ../deploy/chart\n    values:\n      - ../deploy/prod.yaml\n"
                "      - worker:\n          replicas: 6\n    set:\n      - name: other\n        value: x\n")
    _tree(tmp_path, {"flux/shop.yaml": flux, "ops/helmfile.yaml": helmfile,
                     "deploy/prod.yaml": "worker:\n  replicas: 2\n"})
    ws, _project, _ = build_project([tmp_path], Settings(root=tmp_path))
    releases = gitops_releases(ws, {"deploy/chart"})
    assert [(r.tool, r.chart, r.files, r.values, r.sets, r.loc.path, r.loc.line) for r in releases] == [
        ("Flux HelmRelease", "deploy/chart", ("deploy/prod.yaml",), {"worker": {"replicas": 5}}, (),
         "flux/shop.yaml", 8),
        ("helmfile release", "deploy/chart", ("deploy/prod.yaml",), {"worker": {"replicas": 6}},
         (("other", "x", False),), "ops/helmfile.yaml", 3)]
    (launch,) = lint(tmp_path).project.launches
    assert launch.instances.value == 6


@pytest.mark.parametrize("files", [
    # a chart from a Helm repository, a path that is no chart, a values file not in the repository, a templated
    # helmfile that is no YAML: nothing is used
    {"flux/shop.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  chart:\n    spec:\n"
                       "      chart: deploy/chart\n      sourceRef:\n        kind: HelmRepository\n  values:\n"
                       "    worker:\n      replicas: 7\n"},
    {"gitops/shop.yaml": ARGO.replace("deploy/chart", "deploy/other").format(helm="")},
    {"gitops/shop.yaml": ARGO.format(helm="").replace("values-live.yaml", "$values/live.yaml")},
    {"helmfile.yaml": "releases:\n  - name: shop\n    chart: deploy/chart\n    values:\n"
                      "      - {{ requiredEnv \"ENV\" }}.yaml\n"},
])
def test_releases_hueylint_cannot_follow_are_not_used(tmp_path, files):
    _tree(tmp_path, files)
    ws, _project, _ = build_project([tmp_path], Settings(root=tmp_path))
    assert gitops_releases(ws, {"deploy/chart"}) == []
    assert [launch.instances.value for launch in lint(tmp_path).project.launches] == [1]
