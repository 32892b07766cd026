"""A compose restart value the deploying tool refuses: `docker compose up` hands `restart:` (or a written
`deploy.restart_policy.condition`, which it applies over `restart:`) to the engine, which refuses an unknown
policy; `docker stack deploy` refuses an unknown `restart:` itself and the engine an unknown Swarm condition.
HL203 at the value, naming it and the values the tool knows; valid values in every spelling stay quiet."""

from __future__ import annotations

import pytest

from tests.helpers import lint, write_tree

APP = ("from huey import RedisHuey\nfrom huey.signals import SIGNAL_INTERRUPTED\nhuey = RedisHuey('app', host='localhost')\n\n"
       "@huey.signal(SIGNAL_INTERRUPTED)\ndef requeue(signal, task, *args, **kwargs):\n    huey.enqueue(task)\n")
IMAGE = ("FROM python:3.12-slim\nRUN pip install huey==3.5.4 redis\nCOPY . /app\nWORKDIR /app\nUSER nobody\n"
         'CMD ["huey_consumer", "app.huey", "-w", "2", "-g", "TERM", "-t", "25"]\n')
HEAD = "services:\n  worker:\n    image: registry.example.com/app:latest\n    build: .\n    stop_grace_period: 30s\n"
STACK = "#!/bin/sh\nset -e\ndocker stack deploy -c docker-compose.yml app\n"
UP = "#!/bin/sh\nset -e\ndocker compose -f docker-compose.yml up -d\n"


def _hl203(tmp_path, service: str, deploy: str):
    write_tree(tmp_path, {"app/__init__.py": APP, "Dockerfile": IMAGE, "deploy/release.sh": deploy,
                          "docker-compose.yml": HEAD + service})
    return [f for f in lint(tmp_path).findings if f.rule == "HL203"]


@pytest.mark.parametrize(("service", "deploy", "line", "col", "part"), [
    # docker compose up: the engine refuses what mapRestartPolicyCondition does not map
    ("    restart: on_failure\n", UP, 6, 14, "`restart: on_failure` is not a restart policy Docker knows"),
    ("    restart: on-fail\n", UP, 6, 14, "`restart: on-fail`"),
    ("    restart: alway\n", UP, 6, 14, "`restart: alway`"),
    ("    restart: Always\n", UP, 6, 14, "`restart: Always`"),  # the names are case-sensitive
    ("    restart: on_failure:3\n", UP, 6, 14, "`restart: on_failure:3`"),
    ("    restart: 'unless_stopped'\n", UP, 6, 14, "`restart: unless_stopped`"),
    ("    deploy:\n      restart_policy:\n        condition: on_failure\n", UP, 8, 20,
     "`deploy.restart_policy.condition: on_failure` is not a restart policy Docker knows"),
    # the condition wins over restart: under compose up, so it is the one judged
    ("    restart: unless-stopped\n    deploy:\n      restart_policy:\n        condition: on-failure:3\n", UP, 9,
     20, "`deploy.restart_policy.condition: on-failure:3`"),
    # docker stack deploy: restart: read when no restart_policy (convertRestartPolicy), unknown names refused
    ("    restart: on_failure\n", STACK, 6, 14, "`docker stack deploy` refuses the file"),
    ("    restart: any\n", STACK, 6, 14, "`restart: any`"),  # compose maps `any`, Swarm's restart: does not
    ("    restart: on-failure:x\n", STACK, 6, 14, "`restart: on-failure:x`"),  # a count not an integer
    # Swarm conditions: none, on-failure, any (moby restartPolicyToGRPC); `no` is refused
    ("    deploy:\n      restart_policy:\n        condition: \"no\"\n", STACK, 8, 20,
     "the Docker engine refuses the Swarm service (\"invalid RestartCondition\")"),
    ("    deploy:\n      restart_policy:\n        condition: always\n", STACK, 8, 20,
     "`deploy.restart_policy.condition: always`"),
])
def test_a_refused_restart_value_is_reported_at_the_value(tmp_path, service, deploy, line, col, part):
    [finding] = _hl203(tmp_path, service, deploy)
    assert (finding.loc.path, finding.loc.line, finding.loc.col) == ("docker-compose.yml", line, col)
    assert part in finding.message
    assert finding.fix is None  # what the user meant is theirs to say


@pytest.mark.parametrize(("service", "deploy"), [
    ("    restart: on-failure\n", UP),
    ("    restart: on-failure:5\n", UP),
    ("    restart: always\n", UP),
    ("    restart: unless-stopped\n", UP),
    ("    restart: any\n", UP),  # compose maps `any` to `always`
    ("    restart: \"no\"\n    deploy:\n      restart_policy:\n        condition: any\n", UP),
    ("    restart: \"no\"\n    deploy:\n      restart_policy:\n        condition: unless-stopped\n", UP),
    ("    restart: on_failure\n    deploy:\n      restart_policy:\n        condition: on-failure\n", UP),  # replaced
    ("    restart: ${RESTART_POLICY}\n", UP),  # a variable: not known
    ("    restart: on-failure:3\n", STACK),
    ("    restart: always\n", STACK),
    ("    restart: \"no\"\n", STACK),  # no policy: Swarm's default `any`
    ("    restart: on_failure\n    deploy:\n      restart_policy:\n        condition: any\n", STACK),  # ignored
    ("    deploy:\n      restart_policy:\n        condition: on-failure\n", STACK),
])
def test_valid_restart_values_stay_quiet(tmp_path, service, deploy):
    assert _hl203(tmp_path, service, deploy) == []


@pytest.mark.parametrize(("service", "deploy"), [
    ("    restart: none\n", UP),  # compose maps `none` to the engine's `no`
    ("    restart: \"no\"\n", UP),
    ("    deploy:\n      restart_policy:\n        condition: \"no\"\n", UP),
])
def test_compose_up_no_restart_spellings(tmp_path, service, deploy):
    [finding] = _hl203(tmp_path, service, deploy)
    assert "does not restart `worker` when it exits" in finding.message


def test_the_message_names_the_value_and_the_known_ones(tmp_path):
    [finding] = _hl203(tmp_path, "    restart: on_failure\n", UP)
    assert finding.message == (
        "`restart: on_failure` is not a restart policy Docker knows (docker-compose.yml:6): `docker compose up` "
        "passes it to the Docker engine, which refuses to create the container (\"invalid restart policy\"), so "
        "`worker` does not start and has no restart policy until the value is fixed. It knows `no`, `always`, "
        "`on-failure[:N]` and `unless-stopped` (case-sensitive). Fix: `restart: unless-stopped` (or `on-failure`)")


@pytest.mark.parametrize(("written", "shown"), [
    ("false", "`false`"), ("true", "`true`"), ("5", "`5`"), ("[always]", "a list"), ("{policy: always}", "a mapping"),
])
def test_a_restart_that_is_no_string_is_a_project_compose_refuses(tmp_path, written, shown):
    """compose-go's schema: "services.worker.restart must be a string" (issues of many projects: `restart: no`
    read as YAML 1.1's false, `restart: [always]`): HL001 at the value, and no HL203 (the project never runs,
    so "does not restart" would be a second, wrong reading); before, `false` was HL203 and the others silent."""
    for deploy in (UP, STACK):
        assert _hl203(tmp_path, f"    restart: {written}\n", deploy) == []
        [found] = [f for f in lint(tmp_path).findings if f.rule == "HL001"]
        assert (found.loc.path, found.loc.line, found.loc.col) == ("docker-compose.yml", 6, 14)
        assert found.message == (f"cannot parse: `restart:` holds {shown}, no string: compose refuses the project "
                                 "(services.worker.restart must be a string: `\"no\"`, `always`, `on-failure` or "
                                 "`unless-stopped`)")
