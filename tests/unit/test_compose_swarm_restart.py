"""Docker Swarm stacks: a compose file deployed with `docker stack deploy` restarts its tasks by default, and a
consumer no task starts is not judged."""

from __future__ import annotations

import pytest

from tests.helpers import lint, triples, write_tree

APP = ("from huey import RedisHuey\nfrom huey.signals import SIGNAL_INTERRUPTED\nhuey = RedisHuey('app', host='localhost')\n\n"
       "@huey.signal(SIGNAL_INTERRUPTED)\ndef requeue(signal, task, *args, **kwargs):\n    huey.enqueue(task)\n")
IMAGE = ("FROM python:3.12-slim\nRUN pip install huey==3.5.4 redis\nCOPY . /app\nWORKDIR /app\nUSER nobody\n"
         'CMD ["huey_consumer", "app.huey", "-w", "2", "-g", "TERM", "-t", "25"]\n')


@pytest.mark.parametrize(("service", "deploy", "hl203"), [
    ("", "docker stack deploy -c docker-stack.yml app", False),  # Swarm's default condition: any
    ("", "docker compose -f docker-stack.yml up -d", True),  # compose's default: no restart
    ("    restart: \"no\"\n", "docker stack deploy --compose-file docker-stack.yml app", False),  # ignored by Swarm
    ("    deploy:\n      restart_policy:\n        condition: none\n", "docker stack deploy -c docker-stack.yml app",
     True),
    # `docker compose up` applies deploy.restart_policy over restart: (compose getRestartPolicy): the condition decides
    ("    restart: unless-stopped\n    deploy:\n      restart_policy:\n        condition: none\n",
     "docker compose -f docker-stack.yml up -d", True),
    ("    restart: \"no\"\n    deploy:\n      restart_policy:\n        condition: on-failure\n",
     "docker compose -f docker-stack.yml up -d", False),
    # a policy without a condition: the engine policy "" (no restart), over restart: (compose mapRestartPolicyCondition)
    ("    restart: \"no\"\n    deploy:\n      restart_policy:\n        max_attempts: 3\n",
     "docker compose -f docker-stack.yml up -d", True),
    ("    restart: unless-stopped\n    deploy:\n      restart_policy:\n        max_attempts: 3\n",
     "docker compose -f docker-stack.yml up -d", True),
    ("    deploy:\n      restart_policy:\n        delay: 5s\n", "docker compose -f docker-stack.yml up -d", True),
    ("    restart: always\n    deploy:\n      restart_policy: {}\n", "docker compose -f docker-stack.yml up -d", True),
    ("    restart: always\n    deploy:\n      restart_policy:\n        condition: \"\"\n",
     "docker compose -f docker-stack.yml up -d", True),  # an empty condition: the same
    # Swarm: an empty or missing condition is `any` (moby restartPolicyToGRPC)
    ("    deploy:\n      restart_policy:\n        max_attempts: 3\n", "docker stack deploy -c docker-stack.yml app",
     False),
    ("    deploy:\n      restart_policy:\n        condition: \"\"\n", "docker stack deploy -c docker-stack.yml app",
     False),
    ("    restart: always\n    deploy:\n      restart_policy:\n        condition: ${RESTART_CONDITION}\n",
     "docker compose -f docker-stack.yml up -d", False),  # a variable: not known, assumed to restart
])
def test_a_stack_deployed_service_restarts_unless_its_policy_says_none(tmp_path, service, deploy, hl203):
    """`docker stack deploy` ignores `restart:` and restarts a task whose `deploy.restart_policy` gives no
    condition (`any`, the Compose deploy specification): no HL203, which compose's own default (no restart) gets."""
    write_tree(tmp_path, {
        "app/__init__.py": APP, "Dockerfile": IMAGE, "deploy/release.sh": f"#!/bin/sh\nset -e\n{deploy}\n",
        "docker-stack.yml": ("services:\n  worker:\n    image: registry.example.com/app:latest\n    build: .\n"
                             f"    stop_grace_period: 30s\n{service}"),
    })
    found = [(rule, path) for rule, path, _line in triples(lint(tmp_path)) if rule == "HL203"]
    assert found == ([("HL203", "docker-stack.yml")] if hl203 else [])


def test_a_consumer_no_instance_starts_is_not_judged(tmp_path):
    """A branch no Swarm task takes (`[ "$SLOT" -eq 0 ]`: slots start at 1) starts a consumer that never runs: the
    notice says so and no rule judges its command (it had HL104 for a missing `-t`); the one every task runs is
    judged as before."""
    import shutil
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "field-swarm-task-slot-branch"
    for name in ("Dockerfile", "jobs.py", "requirements.txt"):
        shutil.copy(fixture / name, tmp_path / name)
    shutil.copytree(fixture / "zero", tmp_path / "zero")
    script = tmp_path / "zero" / "start-worker.sh"
    script.write_text(script.read_text().replace("exec huey_consumer jobs.huey -g TERM -t 50",
                                                 "exec huey_consumer jobs.huey -g TERM"))
    result = lint(tmp_path)
    assert [(rule, path, line) for rule, path, line in triples(result) if path.startswith("zero/")] == [
        ("HL302", "zero/start-worker.sh", 6)]
    assert any("is taken by no instance" in notice.reason for notice in result.notices)
    script.write_text(script.read_text().replace("-n -g TERM -t 50", "-n -g TERM"))
    assert ("HL104", "zero/start-worker.sh", 6) in triples(lint(tmp_path))


def test_a_stack_whose_policy_says_none_is_fixed_in_its_restart_policy(tmp_path):
    """Swarm ignores `restart:`, so the fix of a stack's `condition: none` replaces the condition (`restart:
    unless-stopped` added beside it changed nothing) and the message says why: the finding is at `none`."""
    from tests.helpers import fix_tree

    stack = ("services:\n  worker:\n    image: registry.example.com/app:latest\n    build: .\n"
             "    stop_grace_period: 30s\n    deploy:\n      restart_policy:\n        condition: none\n"
             "        delay: 5s\n")
    write_tree(tmp_path, {
        "app/__init__.py": APP, "Dockerfile": IMAGE, "docker-stack.yml": stack,
        "deploy/release.sh": "#!/bin/sh\nset -e\ndocker stack deploy -c docker-stack.yml app\n",
    })
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL203"]
    assert (finding.loc.path, finding.loc.line, finding.loc.col) == ("docker-stack.yml", 8, 20)
    assert finding.message == (
        "Docker Swarm does not restart `worker` when it exits (docker-stack.yml:8): after a crash, an OOM kill or a "
        "lost Redis connection no task runs until someone notices and starts it by hand. Fix: "
        "`deploy.restart_policy.condition: any` (Swarm's default) or `on-failure` (the file is deployed with "
        "`docker stack deploy` at deploy/release.sh:3, which ignores `restart:`)")
    assert finding.fix is not None and finding.fix.description == "set `deploy.restart_policy.condition` to `any`"
    fix_tree(tmp_path, {"select": ["HL203"]})
    assert (tmp_path / "docker-stack.yml").read_text() == stack.replace("condition: none", "condition: any")
    assert [f for f in lint(tmp_path).findings if f.rule == "HL203"] == []


def test_compose_up_keeps_its_restart_fix(tmp_path):
    """The same file run by `docker compose up` (no stack deploy) keeps compose's wording and fix."""
    write_tree(tmp_path, {
        "app/__init__.py": APP, "Dockerfile": IMAGE,
        "docker-compose.yml": ("services:\n  worker:\n    image: registry.example.com/app:latest\n    build: .\n"
                               "    stop_grace_period: 30s\n"),
    })
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL203"]
    assert finding.message.startswith("compose does not restart `worker` when it exits")
    assert finding.message.endswith("Fix: `restart: unless-stopped` (or `deploy.restart_policy.condition: any`)")
    assert finding.fix is not None and finding.fix.description == "set `restart` to `unless-stopped`"


def test_compose_up_fixes_a_condition_none_in_the_condition(tmp_path):
    """Under `docker compose up` too, a written `deploy.restart_policy.condition: none` wins over `restart:`
    (docker/compose getRestartPolicy): HL203 at the condition, which its fix replaces (before: no finding beside
    `restart: unless-stopped`, and without it a fix adding `restart:` that changed nothing)."""
    from tests.helpers import fix_tree

    compose = ("services:\n  worker:\n    image: registry.example.com/app:latest\n    build: .\n"
               "    stop_grace_period: 30s\n    restart: unless-stopped\n    deploy:\n      restart_policy:\n"
               "        condition: none\n")
    write_tree(tmp_path, {"app/__init__.py": APP, "Dockerfile": IMAGE, "docker-compose.yml": compose})
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL203"]
    assert (finding.loc.path, finding.loc.line, finding.loc.col) == ("docker-compose.yml", 9, 20)
    assert finding.message == (
        "compose does not restart `worker` when it exits (docker-compose.yml:9): after a crash, an OOM kill or a lost "
        "Redis connection no task runs until someone notices and starts it by hand. Fix: "
        "`deploy.restart_policy.condition: any` or `on-failure` (`docker compose up` applies `deploy.restart_policy` "
        "over `restart:`)")
    fix_tree(tmp_path, {"select": ["HL203"]})
    assert (tmp_path / "docker-compose.yml").read_text() == compose.replace("condition: none", "condition: any")


def test_compose_up_policy_without_condition_is_no_restart(tmp_path):
    """`docker compose up` replaces `restart:` with `deploy.restart_policy`, and a policy that writes no
    `condition` is the engine's policy "" (no restart; compose-go sets no default condition, the Compose
    specification's `any` is Swarm's): HL203 at `restart_policy`, whose fix adds `condition: any` there (a `restart:`
    would change nothing). Before: taken for a restart."""
    from hueylint.config import Settings
    from hueylint.engine import build_project
    from hueylint.model import Restart
    from tests.helpers import fix_tree

    compose = ("services:\n  worker:\n    image: registry.example.com/app:latest\n    build: .\n"
               "    stop_grace_period: 30s\n    restart: unless-stopped\n    deploy:\n      restart_policy:\n"
               "        max_attempts: 3\n        delay: 5s\n")
    write_tree(tmp_path, {"app/__init__.py": APP, "Dockerfile": IMAGE, "docker-compose.yml": compose})
    [launch] = build_project([tmp_path], Settings(root=tmp_path))[1].launches
    assert isinstance(launch.restart, Restart) and (launch.restart.value, launch.restart.setting) == (False, "policy")
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL203"]
    assert (finding.loc.path, finding.loc.line, finding.loc.col) == ("docker-compose.yml", 8, 7)
    assert finding.message == (
        "compose does not restart `worker` when it exits (docker-compose.yml:8): after a crash, an OOM kill or a lost "
        "Redis connection no task runs until someone notices and starts it by hand. Fix: `condition: any` (or "
        "`on-failure`) in `deploy.restart_policy`: without a `condition`, `docker compose up` gives the container no "
        "restart policy, whatever `restart:` says (it applies `deploy.restart_policy` over `restart:`)")
    assert finding.fix is not None and finding.fix.description == "add `condition: any` to `deploy.restart_policy`"
    fix_tree(tmp_path, {"select": ["HL203"]})
    assert (tmp_path / "docker-compose.yml").read_text() == compose.replace(
        "      restart_policy:\n", "      restart_policy:\n        condition: any\n")
    assert [f for f in lint(tmp_path).findings if f.rule == "HL203"] == []
    [launch] = build_project([tmp_path], Settings(root=tmp_path))[1].launches
    assert isinstance(launch.restart, Restart) and (launch.restart.value, launch.restart.setting) == (True, "condition")


@pytest.mark.parametrize(("override", "hl203"), [
    ("      restart_policy:\n        max_attempts: 5\n", None),  # merged with the base's condition
    ("      restart_policy:\n        condition: null\n", None),  # a null keeps the base's
    ("      restart_policy:\n        condition: !reset null\n        max_attempts: 5\n", 4),  # deleted: none left
    ("      restart_policy: !override\n        max_attempts: 5\n", 4),  # replaced whole
    ("      restart_policy: !reset {}\n", 2),  # no policy: `restart:` unset, compose's default
])
def test_the_condition_is_merged_over_the_files(tmp_path, override, hl203):
    """compose-go merges `deploy.restart_policy` key by key over a project's files (`!reset`, `!override` and a
    null as for any key): the base file's `condition` holds when the override only adds a limit."""
    write_tree(tmp_path, {
        "app/__init__.py": APP, "Dockerfile": IMAGE,
        "compose.yaml": ("services:\n  worker:\n    image: registry.example.com/app:latest\n    build: .\n"
                         "    stop_grace_period: 30s\n    deploy:\n      restart_policy:\n        condition: any\n"),
        "compose.override.yaml": f"services:\n  worker:\n    deploy:\n{override}",
    })
    found = [(path, line) for rule, path, line in triples(lint(tmp_path)) if rule == "HL203"]
    assert found == ([] if hl203 is None else [("compose.override.yaml" if hl203 == 4 else "compose.yaml", hl203)])


def test_a_shared_policy_is_reported_but_not_edited(tmp_path):
    """A policy without a condition that an `&anchor` shares with another service: HL203 on each consumer, no fix
    (adding the condition in the anchor changes every service that merges it)."""
    compose = ("x-deploy: &deploy\n  restart_policy:\n    max_attempts: 3\nservices:\n  worker:\n"
               "    image: registry.example.com/app:latest\n    build: .\n    stop_grace_period: 30s\n"
               "    restart: always\n    deploy: *deploy\n")
    write_tree(tmp_path, {"app/__init__.py": APP, "Dockerfile": IMAGE, "docker-compose.yml": compose})
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL203"]
    assert (finding.loc.path, finding.loc.line) == ("docker-compose.yml", 2)
    assert finding.fix is None


def test_an_anchor_written_in_the_service_is_not_edited(tmp_path):
    """`deploy: &deploy` written in the consumer's service and merged by another one: no fix either."""
    compose = ("services:\n  worker:\n    image: registry.example.com/app:latest\n    build: .\n"
               "    stop_grace_period: 30s\n    deploy: &deploy\n      restart_policy:\n        max_attempts: 3\n"
               "  beat:\n    image: registry.example.com/app:latest\n    deploy: *deploy\n")
    write_tree(tmp_path, {"app/__init__.py": APP, "Dockerfile": IMAGE, "docker-compose.yml": compose})
    found = [f for f in lint(tmp_path).findings if f.rule == "HL203"]
    assert [(f.loc.path, f.loc.line, f.loc.col) for f in found] == [("docker-compose.yml", 7, 7)] * 2  # both services
    assert [f.fix for f in found] == [None, None]
