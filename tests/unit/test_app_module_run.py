"""A launch that runs a module of the huey app as a program (``python -m app.jobs``, ``python app/jobs.py``)
whose top level only imports, defines and assigns: the process imports it and exits, no consumer runs (field
test A3lxq/AI_BRAIN).  A notice says so at the command, and what to run instead; a module that may start
something when run (a ``__main__`` block, a call of its own) is no such claim."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hueylint.pyapp.entry import _starts_nothing
from tests.helpers import lint, write_tree

JOBS = ("from huey import RedisHuey\n\nhuey = RedisHuey('jobs', host='localhost')\n\n\n"
        "@huey.task()\ndef job():\n    pass\n")
UNIT = "[Service]\nType=exec\nUser=app\nRestart=always\nExecStart=/srv/venv/bin/python {command}\n"


def notices(root: Path, files: dict[str, str]) -> tuple[list[str], int]:
    write_tree(root, {"requirements.txt": "huey==3.5.4\n", "app/__init__.py": "", **files})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    result = lint(root)
    return [notice.reason for notice in result.notices], len(result.project.launches)


@pytest.mark.parametrize("deploy, command", [
    ("deploy/worker.service", "-m app.jobs"),
    ("deploy/worker.service", "app/jobs.py"),
    ("deploy/huey.service", "-m app.jobs"),  # named for huey: one notice, the precise one
])
def test_a_unit_running_the_app_module_starts_no_consumer(tmp_path, deploy, command):
    said, count = notices(tmp_path, {"app/jobs.py": JOBS, deploy: UNIT.format(command=command)})
    assert count == 0
    (notice,) = said
    assert "the huey app's module `app/jobs.py`, which starts no consumer when run" in notice
    assert ("start `huey_consumer app.jobs.huey` instead" in notice) == command.startswith("-m")


def test_compose_and_procfile_forms(tmp_path):
    said, count = notices(tmp_path, {
        "app/jobs.py": JOBS, "Procfile": "worker: python -m app.jobs\n",
        "Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY . .\nUSER app\n",
        "docker-compose.yml": "services:\n  worker:\n    build: .\n    command: python app/jobs.py\n    restart: always\n"})
    assert count == 0
    assert sorted(reason.split(":")[0] for reason in said) == ["line 1", "line 4"]  # Procfile, compose
    assert all("starts no consumer when run" in reason for reason in said)


@pytest.mark.parametrize("tail", [
    "\n\nif __name__ == '__main__':\n    huey.create_consumer().run()\n",  # a consumer: a launch
    "\n\nif __name__ == '__main__':\n    main()\n",  # a __main__ block: not claimed
    "\nstart()\n",  # a call of its own at the top level: not claimed
])
def test_a_module_that_may_start_something_is_not_claimed(tmp_path, tail):
    said, count = notices(tmp_path, {"app/jobs.py": JOBS + tail,
                                     "deploy/worker.service": UNIT.format(command="-m app.jobs")})
    assert not any("starts no consumer when run" in reason for reason in said)


def test_a_module_without_huey_is_not_claimed(tmp_path):
    said, count = notices(tmp_path, {"app/jobs.py": "X = 1\n", "app/tasks.py": JOBS,
                                     "deploy/worker.service": UNIT.format(command="-m app.jobs")})
    assert count == 0 and not any("starts no consumer" in reason for reason in said)


@pytest.mark.parametrize("text, inert", [
    ('"""doc"""\nimport os\nfrom x import y\nA = f()\nB: int = 1\nC += 1\n', True),
    ("def f():\n    run()\n\n\nclass K:\n    go()\n", True),  # bodies run only when called / at class creation
    ("try:\n    import gevent\nexcept ImportError:\n    gevent = None\nelse:\n    pass\nfinally:\n    pass\n", True),
    ("if DEBUG:\n    A = 1\nelse:\n    A = 2\n", True),
    ("if __name__ == '__main__':\n    A = 1\n", False),
    ("run()\n", False),
    ("with open('x') as f:\n    pass\n", False),
    ("for x in y:\n    pass\n", False),
    ("try:\n    run()\nexcept Exception:\n    pass\n", False),
    ("def broken(:\n", False),
])
def test_starts_nothing(text, inert):
    assert _starts_nothing(text) is inert
