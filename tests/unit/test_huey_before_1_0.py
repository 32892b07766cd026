"""Code written for huey before 1.0 (``huey.backends`` queue objects, ``huey.djhuey``): the huey it runs when
no dependency file names huey, and the rules that depend on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.sources import SourceFile
from hueylint.versions import code_version
from tests.helpers import lint, triples, write_tree


def _src(rel: str, text: str) -> SourceFile:
    return SourceFile(Path(rel), rel, text)


@pytest.mark.parametrize("text, module, line, col", [
    ("import os\nfrom huey.backends.sqlite_backend import SqliteQueue\n", "huey.backends", 2, 6),
    ("import huey.djhuey\n", "huey.djhuey", 1, 8),
    ("INSTALLED_APPS = [\n    'django.contrib.admin',\n    'huey.djhuey',\n]\n", "huey.djhuey", 3, 6),
])
def test_the_modules_only_huey_before_1_0_has(text, module, line, col):
    found = code_version([_src("b.py", "import huey\n"), _src("a/settings.py", text)])
    assert found is not None and found.value == (0, 4, 9) and found.basis == "code"
    assert (found.spec, found.loc.path, found.loc.line, found.loc.col) == (module, "a/settings.py", line, col)
    assert found.describe() == f"huey <1.0 (the code imports `{module}`, which huey 1.0 removed: a/settings.py:{line})"


@pytest.mark.parametrize("text", [
    "INSTALLED_APPS = ['huey.contrib.djhuey']\n",  # huey 1.0 and later
    "from huey.contrib.djhuey import task\n",
    "# from huey.backends.redis_backend import RedisBlockingQueue  (before the upgrade)\n",
    "from huey.storage import RedisStorage\n",
])
def test_what_does_not_date_the_code(text):
    assert code_version([_src("app.py", text)]) is None


UNIT = ("[Service]\nType=exec\nUser=app\nRestart=on-failure\nExecStart=/srv/env/bin/huey_consumer.py app.huey\n"
        "[Install]\nWantedBy=multi-user.target\n")
OLD_APP = ("from huey.api import Huey\nfrom huey.backends.redis_backend import RedisBlockingQueue, RedisDataStore\n"
           "huey = Huey(RedisBlockingQueue('q'), RedisDataStore('q'))\n"
           "@huey.task()\ndef work():\n    print('work')\n")


def test_a_pin_wins_over_the_code(tmp_path):
    """A dependency file naming huey decides: the code dating it is only asked when none does."""
    write_tree(tmp_path, {"deploy/w.service": UNIT, "app.py": OLD_APP, "requirements.txt": "huey==3.5.4\n"})
    result = lint(tmp_path)
    assert result.project.huey_version.value == (3, 5, 4)
    assert ("HL002", "deploy/w.service", 5) in triples(result)  # the pinned huey has no huey_consumer.py


def test_queue_objects_passed_inline_are_the_0x_signature(tmp_path):
    write_tree(tmp_path, {"deploy/w.service": UNIT, "app.py": OLD_APP})
    result = lint(tmp_path)
    assert result.project.huey_version.basis == "code"
    assert triples(result) == []


def test_a_second_positional_argument_of_a_named_huey_is_still_reported(tmp_path):
    write_tree(tmp_path, {"app.py": "from huey import RedisHuey\nhuey = RedisHuey('app', 'redis.internal')\n",
                          "requirements.txt": "huey==3.5.4\n"})
    assert triples(lint(tmp_path), "HL407") == [("HL407", "app.py", 2)]


@pytest.mark.parametrize("pin, expected", [
    ("huey==1.5.1", []),  # SIGHUP still ends the consumer: no graceful restart to ask systemd for
    ("huey==1.5.2", [("HL106", "deploy/w.service", 1)]),
])
def test_the_graceful_restart_exists_from_1_5_2(tmp_path, pin, expected):
    unit = "[Service]\nType=exec\nUser=app\nRestart=on-failure\nKillSignal=SIGINT\n" \
           "ExecStart=/srv/env/bin/huey_consumer.py app.huey\n[Install]\nWantedBy=multi-user.target\n"
    write_tree(tmp_path, {"deploy/w.service": unit, "requirements.txt": pin + "\n",
                          "app.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n"})
    assert triples(lint(tmp_path), "HL106") == expected
