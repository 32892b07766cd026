"""A compose file the repository deploys as a Docker Swarm stack restarts its tasks by default."""

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
