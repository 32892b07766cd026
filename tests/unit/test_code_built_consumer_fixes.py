"""Fixes for a consumer a Python program builds itself name the keyword arguments of that call.

``python run_worker.py`` running ``Consumer(huey, ...).run()`` or ``huey.create_consumer(...).run()`` reads no
huey command line: ``-g TERM -t 25``, ``-f`` and ``-L name`` are ``graceful_signal="TERM",
shutdown_timeout=25``, ``flush_locks=True`` and ``extra_locks="name"`` there (huey/consumer_options.py).
Field test: Dabnabbit/MediaParser.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.checks.fixing import code_options
from hueylint.locations import Loc
from hueylint.model import Launch, Val
from tests.helpers import lint, write_tree


def _launch(program: str, script: str | None) -> Launch:
    launch = Launch(platform="compose", name="worker", unit="compose:.", loc=Loc("compose.yaml", 5, 3), program=program)
    launch.consumer.script = Val(script, Loc("compose.yaml", 7, 21)) if script is not None else None
    return launch


@pytest.mark.parametrize(("words", "expected"), [
    (["-g", "TERM", "-t", "25"], 'pass `graceful_signal="TERM", shutdown_timeout=25` to the consumer `run.py` builds'),
    (["-t", "5"], "pass `shutdown_timeout=5` to the consumer `run.py` builds"),
    (["-f"], "pass `flush_locks=True` to the consumer `run.py` builds"),
    # -L implies -f on the command line; in code the flush is its own keyword
    (["-L", "nightly"], 'pass `flush_locks=True, extra_locks="nightly"` to the consumer `run.py` builds'),
    (["-f", "-L", "a,b"], 'pass `flush_locks=True, extra_locks="a,b"` to the consumer `run.py` builds'),
    # an option with no keyword here: not told
    (["-w", "4"], None),
], ids=["signal-and-timeout", "timeout", "flush", "extra-locks", "flush-and-extra-locks", "other-option"])
def test_options_become_keywords_of_the_call(words: list[str], expected: str | None) -> None:
    assert code_options(_launch("script", "run.py"), words) == expected


@pytest.mark.parametrize("program", ["huey_consumer", "run_huey", "djangohuey"])
def test_command_line_launches_keep_their_options(program: str) -> None:
    # a consumer with a command line (huey's script run in-process with its argv included) takes the words
    assert code_options(_launch(program, "run.py"), ["-t", "5"]) is None


IMAGE = "FROM python:3.12-slim\nWORKDIR /app\nRUN pip install huey==3.5.4\nCOPY . .\nUSER nobody\n"
COMPOSE = ("services:\n  worker:\n    build: .\n    command: python run_worker.py\n    stop_signal: SIGINT\n"
           "    stop_grace_period: 60s\n    restart: always\n")
QUEUE = ("from huey import RedisHuey\nfrom huey.signals import SIGNAL_INTERRUPTED\n"
         "huey = RedisHuey('media', host='localhost')\n\n@huey.signal(SIGNAL_INTERRUPTED)\n"
         "def requeue(signal, task, *args, **kwargs):\n    huey.enqueue(task)\n\n@huey.task()\ndef crop(path):\n"
         "    with huey.lock_task('crop'):\n        print(path)\n")


@pytest.mark.parametrize("builder", [
    "from huey.consumer import Consumer\nfrom queue_app import huey\n"
    "Consumer(huey, workers=2, flush_locks=True).run()\n",
    "from queue_app import huey\nhuey.create_consumer(workers=2, flush_locks=True).run()\n",
], ids=["Consumer", "create_consumer"])
def test_a_context_lock_is_named_in_the_call(tmp_path: Path, builder: str) -> None:
    write_tree(tmp_path, {"Dockerfile": IMAGE, "compose.yaml": COMPOSE, "queue_app.py": QUEUE,
                          "run_worker.py": builder})
    found = [f for f in lint(tmp_path).findings if f.rule in ("HL303", "HL304")]
    assert [(f.rule, f.loc.path, f.loc.line) for f in found] == [("HL304", "queue_app.py", 11)]
    assert "`flush_locks=True` for compose `worker`" in found[0].message
    assert found[0].message.endswith('Fix: pass `flush_locks=True, extra_locks="crop"` to the consumer '
                                     '`run_worker.py` builds')


@pytest.mark.parametrize(("huey", "command", "keep"), [
    ("3.5.4", "python run_worker.py", " (and keep `shutdown_timeout` a few seconds below it)"),
    ("3.0.0", "python run_worker.py", ""),  # no shutdown timeout before huey 3.4
    ("3.5.4", "huey_consumer queue_app.huey", " (and keep `-t` a few seconds below it)"),
], ids=["code-3.5", "code-3.0", "command-line"])
def test_the_deadline_fix_names_the_consumers_own_setting(tmp_path: Path, huey: str, command: str, keep: str) -> None:
    write_tree(tmp_path, {
        "Dockerfile": IMAGE.replace("3.5.4", huey), "queue_app.py": QUEUE,
        "run_worker.py": "from queue_app import huey\nhuey.create_consumer(workers=2).run()\n",
        "compose.yaml": f"services:\n  worker:\n    build: .\n    command: {command}\n    restart: always\n",
    })
    found = [f for f in lint(tmp_path).findings if f.rule == "HL102"]
    assert len(found) == 1
    assert found[0].message.endswith(f"Fix: raise stop_grace_period: above your longest task{keep}")
