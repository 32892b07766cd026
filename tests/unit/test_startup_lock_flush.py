"""Locks deleted when the consumer starts, by the app's own code: ``huey.flush()`` (the whole storage, every lock)
or ``huey.flush_locks(*names)`` (the locks huey knows, plus those named) in an ``@huey.on_startup()`` hook or
in the function that builds and runs the consumer, before it does.  HL303 and HL304 then stay quiet for the
locks that flush deletes, as they do for ``-f`` and ``-L``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import lint, triples, write_tree

COMPOSE = ("services:\n  w:\n    build: .\n    command: [\"huey_consumer\", \"app.tasks.huey\", \"-g\", \"TERM\", \"-t\", \"20\"]\n"
           "    stop_grace_period: 30s\n    restart: always\n")
SCRIPT_COMPOSE = ("services:\n  w:\n    build: .\n    command: [\"python\", \"run.py\"]\n"
                  "    stop_signal: SIGINT\n    stop_grace_period: 30s\n    restart: always\n")
DOCKERFILE = "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nUSER nobody\n"
TASKS = ("from huey import RedisHuey, signals\nhuey = RedisHuey('app')\n\n\n"
         "@huey.signal(signals.SIGNAL_INTERRUPTED)\ndef again(signal, task, *a, **k):\n    huey.enqueue(task)\n\n\n"
         "@huey.task()\n@huey.lock_task('nightly')\ndef nightly():\n    pass\n\n\n"
         "@huey.task()\ndef report(day):\n    with huey.lock_task('report'):\n        pass\n\n\n"
         "@huey.task()\ndef fetch(code):\n    with huey.lock_task(f'fetch-{code}'):\n        pass\n")
HOOK = "\n\n@huey.on_startup()\ndef clean():\n    {call}\n"
RUN = "from app.tasks import huey\n\n\ndef main():\n    {call}\n    huey.create_consumer(workers=2).run()\n\n\nmain()\n"


def rules(root: Path, tasks: str, run: str | None = None) -> list[tuple[str, int]]:
    files = {"Dockerfile": DOCKERFILE, "requirements.txt": "huey==3.5.4\n", "app/__init__.py": "", "app/tasks.py": tasks,
             "docker-compose.yml": COMPOSE if run is None else SCRIPT_COMPOSE}
    if run is not None:
        files["run.py"] = run
    write_tree(root, files)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return sorted((f.rule, f.loc.line) for f in lint(root).findings if f.rule in ("HL303", "HL304"))


ALL = [("HL303", 11), ("HL303", 18), ("HL304", 24)]  # no -f: the decorator and `report` locks; `fetch`'s name


def test_without_a_flush_every_lock_is_reported(tmp_path: Path) -> None:
    assert rules(tmp_path, TASKS) == ALL


@pytest.mark.parametrize(("tasks", "run", "expected"), [
    # flush_locks() deletes the locks huey knows at start, as -f does: not the context lock `report`
    (TASKS + HOOK.format(call="huey.flush_locks()"), None, [("HL304", 18), ("HL304", 24)]),
    (TASKS + HOOK.format(call="huey.flush_locks('report')"), None, [("HL304", 24)]),
    (TASKS + HOOK.format(call="huey.flush()"), None, []),
    (TASKS, RUN.format(call="huey.flush()"), []),
    (TASKS, RUN.format(call="huey.flush_locks('report')"), [("HL304", 24)]),
    (TASKS, RUN.format(call="huey.flush_locks()"), [("HL304", 18), ("HL304", 24)]),
    (TASKS, RUN.format(call="huey.flush_locks(*NAMES)"), [("HL304", 24)]),
], ids=["hook-flush-locks", "hook-named", "hook-flush-all", "script-flush-all", "script-named", "script-known-only",
                                                                     "script-unknown-names"])
def test_a_flush_at_start_deletes_what_it_deletes(tmp_path: Path, tasks: str, run: str | None,
                                                  expected: list[tuple[str, int]]) -> None:
    assert rules(tmp_path, tasks, run) == expected


@pytest.mark.parametrize(("tasks", "run"), [
    # after the consumer has run (it returns at shutdown), or in a function that builds no consumer
    (TASKS, "from app.tasks import huey\n\n\ndef main():\n    huey.create_consumer().run()\n    huey.flush()\n\n\nmain()\n"),
    (TASKS + "\n\ndef reset():\n    huey.flush()\n", None),
    # another hook than on_startup
    (TASKS + "\n\n@huey.on_shutdown()\ndef bye():\n    huey.flush()\n", None),
], ids=["after-run", "plain-function", "on-shutdown"])
def test_other_flushes_change_nothing(tmp_path: Path, tasks: str, run: str | None) -> None:
    assert rules(tmp_path, tasks, run) == ALL


def test_the_message_names_the_flush_that_misses_the_context_lock(tmp_path: Path) -> None:
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "requirements.txt": "huey==3.5.4\n", "app/__init__.py": "",
                          "app/tasks.py": TASKS + HOOK.format(call="huey.flush_locks()"), "docker-compose.yml": COMPOSE})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL304" and f.loc.line == 18]
    assert finding.message == (
        "`with ...lock_task('report')` is only known to huey after it first runs, so `flush_locks()` at start "
        "(app/tasks.py:30) for compose `w` (docker-compose.yml:4) does not flush it at start: a lock left by a killed "
        "consumer stays held. Fix: add `-L report` (`--extra-locks`) to the consumer")


def test_a_development_consumer_beside_production_leaves_the_flush_fix_whole_and_safe(tmp_path: Path) -> None:
    """A Procfile.dev entry under a reloader (a development launch, not judged, its launcher not followed) is
    not one of the consumers HL303 names or fixes: production's single consumer gets `-f`, a safe fix."""
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "requirements.txt": "huey==3.5.4\n", "app/__init__.py": "",
                          "app/tasks.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n\n\n"
                                          "@huey.task()\n@huey.lock_task('nightly')\ndef nightly():\n    pass\n",
                          "docker-compose.yml": COMPOSE,
                          "Procfile.dev": "worker: PYTHONUNBUFFERED=1 watchexec -r -e py -- huey_consumer app.tasks.huey -w 2\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL303"]
    assert [(r.loc.path, r.loc.line) for r in finding.related] == [("docker-compose.yml", 4)]
    assert finding.fix is not None and finding.fix.safety == "safe"
    assert [(e.path, e.line, e.replacement) for e in finding.fix.edits] == [("docker-compose.yml", 4, ', "-f"')]


def test_a_development_consumer_is_not_named_when_production_flushes(tmp_path: Path) -> None:
    """Production's consumer starts with -f: the Procfile.dev consumer under a reloader is not judged in its
    place (before, HL303 named it once production was fixed, and --fix then added -f to it too)."""
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "requirements.txt": "huey==3.5.4\n", "app/__init__.py": "",
                          "app/tasks.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n\n\n"
                                          "@huey.task()\n@huey.lock_task('nightly')\ndef nightly():\n    pass\n",
                          "docker-compose.yml": COMPOSE.replace('"20"]', '"20", "-f"]'),
                          "Procfile.dev": "worker: watchexec -r -e py -- huey_consumer app.tasks.huey -w 2\n"})
    assert triples(lint(tmp_path), "HL303") == []


def test_a_development_consumer_alone_is_still_judged(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "huey==3.5.4\n", "app/__init__.py": "",
                          "app/tasks.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n\n\n"
                                          "@huey.task()\n@huey.lock_task('nightly')\ndef nightly():\n    pass\n",
                          "Procfile.dev": "worker: watchexec -r -e py -- huey_consumer app.tasks.huey -w 2\n"})
    assert triples(lint(tmp_path), "HL303") == [("HL303", "app/tasks.py", 6)]
