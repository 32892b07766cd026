"""An app instance handed out by the repository's own code: ``huey = make_huey()`` (a function that returns
the instance) and ``huey = App().huey`` (a class whose method sets ``self.huey``).  The linker follows the
name into that function or class, through imports and re-exports, and the rules judge the instance where
its call is written, as for ``huey = RedisHuey(...)``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

COMPOSE = ("services:\n  redis:\n    image: redis:7\n  worker:\n    build: .\n"
           "    command: [\"huey_consumer\", \"app.tasks.huey\", \"-w\", \"2\", \"-f\"]\n"
           "    stop_signal: SIGINT\n    stop_grace_period: 60s\n")
DOCKERFILE = "FROM python:3.12-slim\nRUN useradd -m app\nWORKDIR /app\nCOPY . .\nUSER app\n"
CALL = 'RedisHuey("app", url=os.environ["REDIS_URL"])'
MESSAGE = ("the huey storage is reached over the network (`url` comes from environment variable `REDIS_URL`) and "
           "messages are unsigned pickles: whoever can write to the queue runs code in the consumer. Fix: pass "
           "`serializer=SignedSerializer(secret=...)` with a secret read from the environment")
HEAD = "import os\nfrom huey import RedisHuey\n"
FACTORY = f"{HEAD}\n\ndef make():\n    return {CALL}\n"  # the call on line 6
CLASS = f"{HEAD}\n\nclass Queue:\n    def __init__(self):\n        self.huey = {CALL}\n"  # line 7


def run(root: Path, tasks: str, **modules: str):
    files = {"docker-compose.yml": COMPOSE, "Dockerfile": DOCKERFILE, "requirements.txt": "huey==2.5.2\n",
             "app/__init__.py": "", "app/tasks.py": tasks}
    files.update({f"app/{name}.py": text for name, text in modules.items()})
    write_tree(root, files)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return lint(root)


def hl402(result) -> list[tuple[str, int, str]]:
    return [(f.loc.path or "", f.loc.line, f.message) for f in result.findings if f.rule == "HL402"]


def test_a_module_level_instance_is_the_reference(tmp_path: Path) -> None:
    assert hl402(run(tmp_path, f"{HEAD}huey = {CALL}\n")) == [("app/tasks.py", 3, MESSAGE)]


@pytest.mark.parametrize(("tasks", "modules", "where"), [
    (f"{FACTORY}\n\nhuey = make()\n", {}, ("app/tasks.py", 6)),
    # a local name the function binds, configures and returns
    (f"{HEAD}\n\ndef make(name):\n    queue = {CALL}\n    queue.immediate = False\n    return queue\n\n\n"
     "huey = make('app')\n", {}, ("app/tasks.py", 6)),
    ("from app.queue import make\n\nhuey = make()\n", {"queue": FACTORY}, ("app/queue.py", 6)),
    ("from .queue import make\n\nhuey = make()\n", {"queue": FACTORY}, ("app/queue.py", 6)),
    ("from app import queue\n\nhuey = queue.make()\n", {"queue": FACTORY}, ("app/queue.py", 6)),
    ("import app.queue\n\nhuey = app.queue.make()\n", {"queue": FACTORY}, ("app/queue.py", 6)),
    ("from app.queue import make as build\n\nhuey = build()\n", {"queue": FACTORY}, ("app/queue.py", 6)),
    # re-exported by a package and by a second module
    ("from app.lib import make\n\nhuey = make()\n",
     {"lib/__init__": "from .impl import make\n", "lib/impl": "from app.queue import make\n", "queue": FACTORY},
     ("app/queue.py", 6)),
    (f"{CLASS}\n\nhuey = Queue().huey\n", {}, ("app/tasks.py", 7)),
    ("from app.queue import Queue\n\nhuey = Queue().huey\n", {"queue": CLASS}, ("app/queue.py", 7)),
    # a class that delegates its attributes to an instance of a class nested in it
    (f"{HEAD}\n\nclass Queue:\n    class _Inner:\n        def __init__(this):\n            this.huey = {CALL}\n\n"
     "    def __getattr__(self, name):\n        return getattr(Queue._Inner(), name)\n\n\nhuey = Queue().huey\n",
     {}, ("app/tasks.py", 8)),
], ids=["factory", "local-name", "imported", "relative", "module-attribute", "dotted", "alias", "re-exported",
        "class-attribute", "imported-class", "nested-class"])
def test_each_form_gives_the_instance(tmp_path: Path, tasks: str, modules: dict[str, str],
                                      where: tuple[str, int]) -> None:
    assert hl402(run(tmp_path, tasks, **modules)) == [(*where, MESSAGE)]


@pytest.mark.parametrize("tasks", [
    # the function hands out something else (a wrapper around the instance)
    f"{HEAD}\n\ndef make():\n    queue = {CALL}\n    return wrap(queue)\n\n\nhuey = make()\n",
    # another attribute than the one the method sets
    f"{CLASS}\n\nhuey = Queue().other\n",
    # a static method's first parameter is no instance
    f"{HEAD}\n\nclass Queue:\n    @staticmethod\n    def build(self):\n        self.huey = {CALL}\n\n\n"
    "huey = Queue().huey\n",
    # a function of that name nested in another one is not the module's
    f"{HEAD}\n\ndef outer():\n    def make():\n        return {CALL}\n    return make\n\n\nhuey = make()\n",
    # rebound to an unknown value after the factory call
    f"{FACTORY}\n\nhuey = make()\nhuey = load_queue()\n",
    f"{FACTORY}\n\nhuey = make()\nfrom vendor.queues import huey\n",
], ids=["wrapped", "other-attribute", "staticmethod", "nested-function", "rebound", "rebound-by-import"])
def test_what_is_not_the_instance(tmp_path: Path, tasks: str) -> None:
    assert hl402(run(tmp_path, tasks)) == []
