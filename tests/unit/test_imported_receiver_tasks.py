"""Tasks decorated by the app's instance imported under a name that does not say huey, in a module that
imports nothing of huey (``from . import run``; ``@run.task()``): tasks when the imported name is a Huey
instance where it is defined, never when it is something else (Celery's ``app``, a function) (fixture
field-task-on-imported-instance)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

SUPERVISOR = "[program:queue]\ncommand=huey_consumer app.queue.run -w 2\nstopsignal=INT\nuser=app\n"


def _app(tmp_path: Path, jobs: str, extra: dict[str, str] | None = None) -> list[tuple[str, str, bool]]:
    write_tree(tmp_path, {"requirements.txt": "huey==2.5.2\n", "supervisord.conf": SUPERVISOR,
                          "app/__init__.py": "from app.queue import jobs\n",
                          "app/queue/__init__.py": "from huey import RedisHuey\nrun = RedisHuey('w')\n",
                          "app/queue/jobs.py": jobs, **(extra or {})})
    result = lint(tmp_path)
    (app,) = result.project.apps
    return sorted((task.name, task.kind, task.periodic) for task in app.tasks)


@pytest.mark.parametrize("imported", ["from . import run", "from app.queue import run", "import app.queue as q"])
def test_a_task_of_the_imported_instance_is_a_task(tmp_path: Path, imported: str) -> None:
    receiver = "q.run" if imported.startswith("import") else "run"
    jobs = f"{imported}\n\n\n@{receiver}.task()\ndef watch(course):\n    return course\n\n\n" \
           f"@{receiver}.periodic_task(validate_datetime)\ndef digest():\n    pass\n"
    assert _app(tmp_path, jobs) == [("digest", "periodic_task", True), ("watch", "task", False)]


@pytest.mark.parametrize("module, binding", [
    ("app/queue/celery.py", "from celery import Celery\napp = Celery('w')\n"),  # Celery's `@app.task`
    ("app/queue/celery.py", "def app():\n    pass\napp.task = lambda *a, **k: (lambda f: f)\n"),
])
def test_a_task_method_of_another_imported_object_is_no_task(tmp_path: Path, module: str, binding: str) -> None:
    jobs = "from .celery import app\n\n\n@app.task()\ndef watch(course):\n    return course\n"
    assert _app(tmp_path, jobs, {module: binding}) == []
