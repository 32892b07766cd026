"""A consumer command that an app server receives as its arguments (an image's ``ENTRYPOINT`` is a web server and
its ``CMD``, a compose ``command:`` or a Kubernetes ``args:`` names the consumer) never runs: the server refuses
the extra words.  No launch, a notice and a dropped candidate, never the findings of a consumer that runs
(fixture field-server-given-consumer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.chain import SERVER_ARGUMENTS_WHY
from tests.helpers import lint, write_tree

PIN = {"requirements.txt": "huey==2.5.0\n", "app/__init__.py": "",
       "app/tasks.py": "from huey import RedisHuey\nhuey = RedisHuey('app', host='127.0.0.1')\n"}


def _said(result) -> list[tuple[str, str]]:
    return [(notice.rel, notice.reason) for notice in result.notices]


@pytest.mark.parametrize("entrypoint, server", [
    ('["uvicorn", "app.main:app", "--host", "0.0.0.0"]', "uvicorn"),
    ('["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "app.main:app"]', "gunicorn"),
    ('["/usr/local/bin/daphne", "-b", "0.0.0.0", "app.asgi:application"]', "daphne"),
    ('["hypercorn", "app.main:app"]', "hypercorn"),
])
@pytest.mark.parametrize("cmd, shown", [
    ('["huey_consumer", "app.tasks.huey", "-w", "2"]', "huey_consumer app.tasks.huey"),
    ('["huey_consumer.py", "app.tasks.huey"]', "huey_consumer.py app.tasks.huey"),
    ('["python", "manage.py", "run_huey"]', "manage.py run_huey"),
])
def test_an_image_cmd_after_a_server_entrypoint_is_no_launch(tmp_path: Path, entrypoint: str, server: str,
                                                             cmd: str, shown: str) -> None:
    write_tree(tmp_path, {**PIN, "Dockerfile": f"FROM python:3.12\nCOPY . .\nENTRYPOINT {entrypoint}\nCMD {cmd}\n"})
    result = lint(tmp_path)
    assert (result.project.launches, result.findings) == ([], [])
    assert _said(result) == [("Dockerfile", f"line 4: the consumer command `{shown}` is given to `{server}` "
                                            f"(Dockerfile:3) as its arguments, but {SERVER_ARGUMENTS_WHY}: "
                                            "no consumer launch, not checked")]
    assert [(str(item.loc), item.what) for item in result.project.dropped][:1] == [("Dockerfile:4", f"`{shown}`")]


def test_a_compose_command_on_a_server_entrypoint_is_no_launch(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PIN, "Dockerfile": "FROM python:3.12\nCOPY . .\nENTRYPOINT [\"gunicorn\", \"app.wsgi\"]\n",
                          "compose.yaml": "services:\n  web:\n    build: .\n  worker:\n    build: .\n"
                                          "    command: huey_consumer app.tasks.huey -w 4\n"})
    result = lint(tmp_path)
    assert (result.project.launches, result.findings) == ([], [])
    assert [(rel, reason.split(" is given")[0]) for rel, reason in _said(result)] == \
        [("compose.yaml", "line 6: the consumer command `huey_consumer app.tasks.huey`")]


def test_a_kubernetes_args_on_a_server_image_is_no_launch(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PIN, "Dockerfile": "FROM python:3.12\nCOPY . .\nENTRYPOINT [\"uvicorn\", \"app.main:app\"]\n",
                          "build.sh": "docker build -t acme/shop .\n",
                          "k8s/worker.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n"
                                             "  template:\n    spec:\n      containers:\n        - name: worker\n"
                                             "          image: acme/shop\n"
                                             "          args: [\"huey_consumer\", \"app.tasks.huey\"]\n"})
    result = lint(tmp_path)
    assert (result.project.launches, result.findings) == ([], [])
    assert [rel for rel, _ in _said(result)] == ["k8s/worker.yaml"]


@pytest.mark.parametrize("entrypoint", [
    '["watchexec", "-r", "--", "huey_consumer", "app.tasks.huey"]',  # a launcher hueylint does not model: HL004
    '["/usr/local/bin/sitectl", "huey_consumer", "app.tasks.huey"]',
])
def test_other_programs_before_the_consumer_stay_launches_not_followed(tmp_path: Path, entrypoint: str) -> None:
    write_tree(tmp_path, {**PIN, "Dockerfile": f"FROM python:3.12\nCOPY . .\nENTRYPOINT {entrypoint}\n"})
    result = lint(tmp_path)
    assert [launch.program for launch in result.project.launches] == ["huey_consumer"]
    assert "HL004" in {finding.rule for finding in result.findings}
    assert _said(result) == []


def test_a_server_entrypoint_replaced_by_compose_is_the_consumer(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PIN, "Dockerfile": "FROM python:3.12\nCOPY . .\nENTRYPOINT [\"uvicorn\", \"app.main:app\"]\n",
                          "compose.yaml": "services:\n  worker:\n    build: .\n    entrypoint: []\n"
                                          "    command: huey_consumer app.tasks.huey\n"})
    result = lint(tmp_path)
    assert [launch.program for launch in result.project.launches] == ["huey_consumer"]
    assert _said(result) == []
