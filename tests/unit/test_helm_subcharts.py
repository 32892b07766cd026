"""A subchart (``PARENT/charts/NAME``) rendered as Helm renders it: its parent's values under its key (the
dependency's alias, else its name) over its own, the parent's ``global:`` as ``.Values.global``, and nothing
when the dependency's ``condition`` is false however the repository deploys the parent."""

from __future__ import annotations

import pytest

from hueylint.config import Settings
from hueylint.engine import build_project
from hueylint.parsers.helm import ParentChart, parent_chart, parent_disables, parent_layers
from tests.helpers import PERIODIC_APP, lint, triples, write_tree

WORKER = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  replicas: {{ .Values.replicas }}
  template:
    spec:
      terminationGracePeriodSeconds: {{ .Values.global.grace }}
      containers:
        - name: worker
          image: shop:1
          command: ["huey_consumer", "app.huey"]
"""


def _tree(tmp_path, parent_values: str, dependencies: str = "", extra: dict[str, str] | None = None):
    write_tree(tmp_path, {
        "app.py": PERIODIC_APP, "requirements.txt": "huey==2.5.3\n",
        "shop/Chart.yaml": f"apiVersion: v2\nname: shop\nversion: 1.0.0\n{dependencies}",
        "shop/values.yaml": parent_values,
        "shop/charts/worker/Chart.yaml": "apiVersion: v2\nname: worker\nversion: 1.0.0\n",
        "shop/charts/worker/values.yaml": "replicas: 1\nglobal:\n  grace: 60\n",
        "shop/charts/worker/templates/worker.yaml": WORKER,
        **(extra or {}),
    })


def _workspace(tmp_path):
    ws, _project, _ = build_project([tmp_path], Settings(root=tmp_path))
    return ws


def test_the_parents_section_and_global_override_the_subcharts_values(tmp_path):
    _tree(tmp_path, "global:\n  grace: 5\nworker:\n  replicas: 3\n")
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert (launch.instances.value, str(launch.instances.loc)) == (3, (
        "shop/charts/worker/templates/worker.yaml:6 (templated `{{ .Values.replicas }}`, judged with 3 from "
        "shop/values.yaml:4)"))
    assert launch.deadline.value == 5
    assert (triples(result, "HL102"), triples(result, "HL301")) == (
        [("HL102", "shop/charts/worker/templates/worker.yaml", 9)],
        [("HL301", "shop/charts/worker/templates/worker.yaml", 13)])


def test_an_alias_names_the_section_and_helm_2_requirements_list_the_dependencies(tmp_path):
    _tree(tmp_path, "jobs:\n  replicas: 2\nworker:\n  replicas: 7\n",
          extra={"shop/Chart.yaml": "apiVersion: v1\nname: shop\nversion: 1.0.0\n",
                 "shop/requirements.yaml": "dependencies:\n  - name: worker\n    alias: jobs\n"
                                           "    condition: jobs.on,worker.enabled\n"})
    ws = _workspace(tmp_path)
    assert parent_chart(ws, "shop/charts/worker") == ParentChart("shop", "jobs", ("jobs.on", "worker.enabled"),
                                                                 "shop/requirements.yaml")
    assert [launch.instances.value for launch in lint(tmp_path).project.launches] == [2]


def test_a_subchart_no_dependency_lists_reads_its_name_and_a_chart_outside_charts_has_no_parent(tmp_path):
    _tree(tmp_path, "worker:\n  replicas: 2\n")
    ws = _workspace(tmp_path)
    assert parent_chart(ws, "shop/charts/worker") == ParentChart("shop", "worker")
    assert parent_chart(ws, "shop") is None
    layers = parent_layers(ws, ParentChart("shop", "worker"), sets=({"worker": {"replicas": 4}, "global": {"a": 1}},
                                                                    "`helm --set` at deploy.sh:1"))
    assert [(dict(values), where) for values, where in layers] == [
        ({"replicas": 2}, "shop/values.yaml"), ({"replicas": 4}, "`helm --set` at deploy.sh:1"),
        ({"global": {"a": 1}}, "`helm --set` at deploy.sh:1")]


@pytest.mark.parametrize("values, off", [
    ("worker:\n  enabled: false\n", "its condition `worker.enabled` (shop/Chart.yaml) is false in shop/values.yaml"),
    ("worker:\n  enabled: true\n", ""),
    ("{}\n", ""),  # no path the values hold: no effect
    ("worker:\n  enabled: 'no'\n", ""),  # not a boolean: Helm warns and renders it
    ("tags:\n  workers: false\nworker:\n  enabled: true\n", ""),  # tags are not conditions
])
def test_the_first_condition_path_the_values_hold_decides(tmp_path, values, off):
    _tree(tmp_path, values, "dependencies:\n  - name: worker\n    condition: worker.enabled\n")
    parent = parent_chart(_workspace(tmp_path), "shop/charts/worker")
    assert parent is not None and parent_disables(_workspace(tmp_path), parent) == off


def test_a_subchart_switched_off_renders_nothing_unless_a_values_file_switches_it_on(tmp_path):
    dependencies = "dependencies:\n  - name: worker\n    condition: worker.enabled\n"
    _tree(tmp_path, "worker:\n  enabled: false\n", dependencies)
    result = lint(tmp_path)
    assert result.project.launches == []
    assert [notice.reason for notice in result.notices if notice.rel == "shop/charts/worker"] == [
        "subchart not rendered: its condition `worker.enabled` (shop/Chart.yaml) is false in shop/values.yaml, "
        "and no values file or release of `shop` switches it on"]
    _tree(tmp_path, "worker:\n  enabled: false\n", dependencies,
          {"shop/values-prod.yaml": "worker:\n  enabled: true\n  replicas: 2\n"})
    result = lint(tmp_path)
    assert [launch.instances.value for launch in result.project.launches] == [2]


def test_a_release_of_the_parent_raises_the_subcharts_replicas(tmp_path):
    _tree(tmp_path, "worker:\n  replicas: 1\n", extra={
        "deploy.sh": "#!/bin/sh\nhelm upgrade --install shop ./shop --set worker.replicas=5\n"})
    (launch,) = lint(tmp_path).project.launches
    assert (launch.instances.value, launch.instances.loc.line) == (5, 6)


def test_a_values_file_renaming_the_workload_still_raises_its_replicas(tmp_path):
    """`fullnameOverride: prod-...` in values-prod.yaml renames the Deployment: the workload at the same
    template line is the one the file scales (DriveBC.ca's values files rename every workload)."""
    write_tree(tmp_path, {
        "app.py": PERIODIC_APP, "requirements.txt": "huey==2.5.3\n",
        "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
        "chart/values.yaml": "name: worker\nreplicas: 1\nglobal:\n  grace: 60\n",
        "chart/values-prod.yaml": "name: prod-worker\nreplicas: 3\n",
        "chart/templates/worker.yaml": WORKER.replace("name: worker\nspec", "name: {{ .Values.name }}\nspec"),
    })
    (launch,) = lint(tmp_path).project.launches
    assert launch.instances.value == 3


@pytest.mark.parametrize("values, off", [
    ("tags:\n  async: false\n", "its tag `async` (shop/Chart.yaml) is false in shop/values.yaml"),
    ("tags:\n  async: false\n  jobs: true\n", ""),  # any of its tags true: on
    ("tags:\n  async: false\nworker:\n  enabled: true\n", ""),  # a condition the values hold wins
    ("{}\n", ""),  # no tag set: on
])
def test_tags_decide_when_no_condition_path_does(tmp_path, values, off):
    _tree(tmp_path, values, "dependencies:\n  - name: worker\n    condition: worker.enabled\n"
                            "    tags: [async, jobs]\n")
    ws = _workspace(tmp_path)
    parent = parent_chart(ws, "shop/charts/worker")
    assert parent is not None and parent.tags == ("async", "jobs") and parent_disables(ws, parent) == off


def test_a_parent_that_cannot_be_read_leaves_the_subchart_its_own_values(tmp_path):
    """A parent `Chart.yaml` that is no YAML (helm refuses the chart: HL001 says so) or values whose section or
    `global:` is no mapping: the subchart is judged with its own values, never a crash."""
    _tree(tmp_path, "worker: [1, 2]\nglobal: 3\n", extra={"shop/Chart.yaml": "apiVersion: v2\nname: [shop\n"})
    result = lint(tmp_path)
    assert [launch.instances.value for launch in result.project.launches] == [1]
    assert triples(result, "HL001") == [("HL001", "shop/Chart.yaml", 3)]
    _tree(tmp_path, "worker: [1, 2]\nglobal: 3\n", extra={"shop/Chart.yaml": "apiVersion: v2\nname: shop\n"})
    result = lint(tmp_path)
    assert [launch.instances.value for launch in result.project.launches] == [1] and not triples(result, "HL001")
