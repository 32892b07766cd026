"""Branches of a start script on the instance's own name (hueylint.launches.one_instance_branches), on the
platforms that name their instances: Docker Swarm's task slot, a systemd template's instance name, a Kubernetes
Deployment's pods (named at random) beside a StatefulSet's (numbered)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

TASKS = "from huey import RedisHuey, crontab\nhuey = RedisHuey('a')\n\n@huey.periodic_task(crontab())\ndef tick():\n    pass\n"
SPLIT = ('if [ {test} ]; then exec huey_consumer tasks.huey; else exec huey_consumer tasks.huey -n; fi')


def _counts(tmp_path: Path, files: dict[str, str]) -> tuple[list[object], list[str]]:
    write_tree(tmp_path, {"tasks.py": TASKS, **files})
    result = lint(tmp_path)
    found = sorted(result.project.launches, key=lambda launch: (launch.loc.line, launch.loc.col))
    return [launch.instances.value for launch in found], sorted(finding.rule for finding in result.findings
                                                                 if finding.rule.startswith("HL30"))


def _stack(environment: str, test: str, replicas: int = 3, extra: str = "") -> dict[str, str]:
    return {"docker-stack.yml": f"services:\n  worker:\n    build: .\n{extra}    environment:\n      {environment}\n"
                                f"    deploy:\n      replicas: {replicas}\n",
            "Dockerfile": "FROM python:3.12\nCOPY . /app\nENTRYPOINT [\"/app/start.sh\"]\n",
            "start.sh": "#!/bin/sh\n" + SPLIT.format(test=test) + "\n"}


@pytest.mark.parametrize(("environment", "test", "counts", "rules"), [
    # Swarm numbers the slots 1..replicas: one task takes the periodic branch
    ('SLOT: "{{.Task.Slot}}"', '"$SLOT" = "1"', [1, 2], []),
    ('- SLOT={{ .Task.Slot }}', '"$SLOT" -eq 3', [1, 2], []),
    ('TASK: "worker-{{.Task.Slot}}"', '"$TASK" = "worker-2"', [1, 2], []),
    # no slot 0: no task enqueues the periodic tasks
    ('SLOT: "{{.Task.Slot}}"', '"$SLOT" = "0"', [0, 3], ["HL302"]),
    # another placeholder beside the slot: which task matches is not known, one is taken to
    ('NAME: "{{.Node.Hostname}}-{{.Task.Slot}}"', '"$NAME" = "a-1"', [1, 2], []),
    # no template: every container has the same value, the test is decided (all three enqueue)
    ('SLOT: "1"', '"$SLOT" = "1"', [3], ["HL301"]),
])
def test_swarm_task_slot_branches(tmp_path, environment, test, counts, rules):
    assert _counts(tmp_path, _stack(environment, test)) == (counts, rules)


def test_swarm_hostname_template_names_each_task(tmp_path):
    files = _stack("LANG: C", '"$HOSTNAME" = "w-1"', extra='    hostname: "w-{{.Task.Slot}}"\n')
    assert _counts(tmp_path, files) == ([1, 2], [])


def test_swarm_slot_of_a_global_service_is_not_read(tmp_path):
    files = _stack('SLOT: "{{.Task.Slot}}"', '"$SLOT" = "1"')
    files["docker-stack.yml"] = files["docker-stack.yml"].replace("replicas: 3", "mode: global")
    assert _counts(tmp_path, files)[0] == ["scalable", "scalable"]


def _unit(environment: str, exec_start: str, script: str) -> dict[str, str]:
    return {"deploy/huey@.service": f"[Service]\n{environment}\nExecStart={exec_start}\nKillSignal=SIGINT\n",
            "deploy/start.sh": "#!/bin/sh\n" + script + "\n"}


@pytest.mark.parametrize(("environment", "exec_start", "test", "counts", "rules"), [
    ("Environment=INSTANCE=%i", "/srv/deploy/start.sh", '"$INSTANCE" = "1"', [1, "scalable"], []),
    # the periodic branch is every instance but `main`: any number of them enqueue
    ("Environment=INSTANCE=%I", "/srv/deploy/start.sh", '"$INSTANCE" != "main"', ["scalable", 1], ["HL301"]),
    ("", "/srv/deploy/start.sh %i", '"$1" = "1"', [1, "scalable"], []),
    # not the instance name: every instance takes both branches (alternatives of one run)
    ("Environment=INSTANCE=1", "/srv/deploy/start.sh", '"$INSTANCE" = "1"', ["scalable"], ["HL301"]),
    ("Environment=LOG=/var/log/%i.log", "/srv/deploy/start.sh", '"$LOG" = "x"', ["scalable", "scalable"], ["HL301"]),
])
def test_systemd_template_instance_name_branches(tmp_path, environment, exec_start, test, counts, rules):
    assert _counts(tmp_path, _unit(environment, exec_start, SPLIT.format(test=test))) == (counts, rules)


def _workload(kind: str, test: str, replicas: int = 3, spec: str = "") -> dict[str, str]:
    script = SPLIT.format(test=test).replace('"', '\\"')
    return {"k8s/worker.yaml": f"apiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: worker\nspec:\n"
                               f"  replicas: {replicas}\n  template:\n    spec:\n{spec}      containers:\n"
                               f"        - name: w\n          image: x/app:1\n"
                               f"          command: [\"/bin/sh\", \"-c\", \"{script}\"]\n"}


@pytest.mark.parametrize(("kind", "test", "counts", "rules"), [
    ("StatefulSet", '"$HOSTNAME" = "worker-0"', [1, 2], []),
    ("StatefulSet", '"${HOSTNAME##*-}" = "2"', [1, 2], []),
    ("StatefulSet", '"$HOSTNAME" = "worker-3"', [0, 3], ["HL302"]),  # replicas 3: worker-0 to worker-2
    # a Deployment's (ReplicaSet's) pods are named at random: no fixed name matches one
    ("Deployment", '"$HOSTNAME" = "worker-0"', [0, 3], ["HL302"]),
    ("Deployment", '"${HOSTNAME##*-}" = "0"', [0, 3], ["HL302"]),
    ("ReplicaSet", '"$HOSTNAME" != "worker-0"', [3, 0], ["HL301"]),
    # the name without its random parts is the Deployment's own: every pod matches
    ("Deployment", '"${HOSTNAME%%-*}" = "worker"', [3, 0], ["HL301"]),
])
def test_kubernetes_pod_name_branches(tmp_path, kind, test, counts, rules):
    assert _counts(tmp_path, _workload(kind, test)) == (counts, rules)


def test_a_pod_spec_hostname_names_every_pod(tmp_path):
    files = _workload("Deployment", '"$HOSTNAME" = "mail"', spec="      hostname: mail\n")
    assert _counts(tmp_path, files) == ([3, 0], ["HL301"])


def test_a_branch_no_pod_takes_gets_a_notice(tmp_path):
    write_tree(tmp_path, {"tasks.py": TASKS, **_workload("Deployment", '"$HOSTNAME" = "worker-0"')})
    notices = [notice.reason for notice in lint(tmp_path).notices]
    assert any(reason.startswith('line 12: `if [ "$HOSTNAME" = "worker-0" ]` is taken by no instance of '
                                 "k8s/worker.yaml:6 (a Deployment's pods are named `worker-HASH-XXXXX`, with a random "
                                 "suffix, so no fixed name matches one): this consumer never runs")
               for reason in notices), notices


def _hl302(tmp_path: Path, files: dict[str, str]):
    write_tree(tmp_path, {"tasks.py": TASKS, **files})
    [finding] = [finding for finding in lint(tmp_path).findings if finding.rule == "HL302"]
    return finding


@pytest.mark.parametrize(("kind", "how"), [
    ("Deployment", "`worker-HASH-XXXXX`: its ReplicaSet's hash and a random suffix"),
    ("ReplicaSet", "`worker-XXXXX`: a random suffix"),
])
def test_hl302_says_why_a_name_picked_branch_never_runs(tmp_path, kind, how):
    """HL302's fix on a workload whose pods are named at random: the scheduler branch picked by a fixed pod name never
    runs, so it says to use a StatefulSet or a one-replica Deployment (not "drop `-n` from one single-instance
    consumer": there is none), with the branch related."""
    finding = _hl302(tmp_path, _workload(kind, '"$HOSTNAME" = "worker-0"'))
    assert (finding.loc.path, finding.loc.line, finding.loc.col) == ("k8s/worker.yaml", 12, 147)  # the `-n`
    assert finding.message.endswith(
        f"the periodic tasks are never enqueued. Fix: a {kind}'s pod names are random ({how}), so "
        '`if [ "$HOSTNAME" = "worker-0" ]` (k8s/worker.yaml:12), which picks one pod by a fixed name, never runs as '
        "intended and its consumer without `-n` never starts: run the periodic-task scheduler in a StatefulSet (stable "
        "pod names `worker-0`, `worker-1`, ...) or in a separate Deployment with `replicas: 1` and no `-n`")
    assert [(r.loc.path, r.loc.line, r.message) for r in finding.related] == [
        ("k8s/worker.yaml", 12, '`if [ "$HOSTNAME" = "worker-0" ]`: taken by no pod, so this consumer never runs')]


def test_hl302_keeps_its_fix_where_names_are_not_random(tmp_path):
    """A StatefulSet's `worker-3` beyond its 3 replicas, or a Deployment whose `hostname:` names every pod, is not a
    random name: the usual fix."""
    finding = _hl302(tmp_path, _workload("StatefulSet", '"$HOSTNAME" = "worker-3"'))
    assert finding.message.endswith("Fix: drop `-n` from exactly one single-instance consumer")
    assert finding.related == []
    other = tmp_path / "other"
    finding = _hl302(other, _workload("Deployment", '"$HOSTNAME" != "mail"', spec="      hostname: mail\n"))
    assert finding.message.endswith("Fix: drop `-n` from exactly one single-instance consumer")
