"""Tasks declared through the repository's own decorators: a function decorated by a repository function that
applies a huey decorator by a call to what it returns (``return huey.task()(fn)``, directly or from a decorator
factory's inner decorator) is a task of that kind, found where the decorator is defined."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

COMPOSE = ("services:\n  worker:\n    build: .\n"
           "    command: [\"huey_consumer\", \"app.tasks.huey\", \"-w\", \"2\", \"-g\", \"TERM\", \"-t\", \"20\"]\n"
           "    stop_grace_period: 30s\n    restart: always\n    deploy:\n      replicas: 2\n")
DOCKERFILE = "FROM python:3.12-slim\nRUN useradd -m app\nWORKDIR /app\nCOPY . .\nUSER app\n"
QUEUE = ("from huey import RedisHuey, crontab, signals\nhuey = RedisHuey('app')\n\n\n"
         "@huey.signal(signals.SIGNAL_INTERRUPTED)\ndef again(signal, task, *a, **k):\n    huey.enqueue(task)\n")
FACTORY = ("from app.queue import huey, crontab\n\n\ndef every_hour(name=None):\n    def deco(fn):\n"
           "        return huey.periodic_task(crontab(minute='0'), name=name)(fn)\n    return deco\n\n\n"
           "def plain(fn):\n    return huey.periodic_task(crontab(minute='0'))(fn)\n\n\n"
           "def logged(fn):\n    return fn\n")
TASK = "\n\ndef sweep():\n    pass\n"


def rules(root: Path, tasks: str, **modules: str) -> list[tuple[str, str, int]]:
    files = {"docker-compose.yml": COMPOSE, "Dockerfile": DOCKERFILE, "requirements.txt": "huey>=3.4,<4\n",
             "app/__init__.py": "", "app/queue.py": QUEUE, "app/deco.py": FACTORY, "app/tasks.py": tasks}
    files.update({f"app/{name}.py": text for name, text in modules.items()})
    write_tree(root, files)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return sorted((f.rule, f.loc.path or "", f.loc.line) for f in lint(root).findings)


HL301 = [("HL301", "docker-compose.yml", 4)]


@pytest.mark.parametrize("tasks", [
    "from app.queue import huey\nfrom app.deco import every_hour\n\n\n@every_hour(name='sweep')" + TASK,
    "from app.queue import huey\nfrom app.deco import plain\n\n\n@plain" + TASK,
    "from app.queue import huey\nfrom .deco import every_hour\n\n\n@every_hour()" + TASK,
    "from app.queue import huey\nfrom app import deco\n\n\n@deco.every_hour()" + TASK,
    "from app.queue import huey\nimport app.deco as d\n\n\n@d.plain" + TASK,
    # re-exported by a package module
    "from app.queue import huey\nfrom app.lib import plain\n\n\n@plain" + TASK,
    # defined in the module itself
    "from app.queue import huey, crontab\n\n\ndef hourly(fn):\n    return huey.periodic_task(crontab())(fn)\n"
    "\n\n@hourly" + TASK,
    # the decorator applied by a call
    "from app.queue import huey, crontab\n" + TASK + "\n\nhourly_sweep = huey.periodic_task(crontab())(sweep)\n",
], ids=["factory", "decorator", "relative", "module-attribute", "module-alias", "re-exported", "local", "call"])
def test_each_form_declares_the_periodic_task(tmp_path: Path, tasks: str) -> None:
    assert rules(tmp_path, tasks, lib="from app.deco import plain\n") == HL301


@pytest.mark.parametrize("tasks", [
    # a repository decorator that hands the function back unchanged
    "from app.queue import huey\nfrom app.deco import logged\n\n\n@logged" + TASK,
    # a decorator from outside the repository
    "from app.queue import huey\nimport functools\n\n\n@functools.lru_cache" + TASK,
    "from app.queue import huey\nfrom vendor.sched import hourly\n\n\n@hourly" + TASK,
    # the huey decorator applied to something that is not returned
    "from app.queue import huey, crontab\n\n\ndef hourly(fn):\n    huey.periodic_task(crontab())(print)\n"
    "    return fn\n\n\n@hourly" + TASK,
], ids=["returns-the-function", "stdlib", "outside-the-repo", "not-returned"])
def test_other_decorators_declare_no_task(tmp_path: Path, tasks: str) -> None:
    assert rules(tmp_path, tasks) == []
