"""A module helper that builds the storage's connection dict from its parameters (carlos18bp/kore_project:
`'connection': _huey_connection_from_url(config('HUEY_REDIS_URL', ...))`): the helper is read for the call, its
parameters being the call's arguments and its locals their values, so the host's provenance (a literal, the
environment) is known; shapes it does not follow stay unknown (no claim)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, triples, write_tree

UNIT = ("[Service]\nType=exec\nUser=app\nExecStart=/srv/venv/bin/python manage.py run_huey\nKillSignal=SIGINT\n"
        "ExecReload=/bin/kill -HUP $MAINPID\nRestart=always\n")
MANAGE = ("import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_settings')\n"
          "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n")
HEAD = "import os\nfrom urllib.parse import urlparse\nINSTALLED_APPS = ['huey.contrib.djhuey']\n"
TAIL = "HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': False, 'results': False, 'connection': CONNECTION}\n"


def hl402(tmp_path: Path, helper: str, connection: str) -> list[str]:
    write_tree(tmp_path, {"huey.service": UNIT, "manage.py": MANAGE, "requirements.txt": "huey==2.5.2\n",
                          "site_settings.py": HEAD + helper + f"CONNECTION = {connection}\n" + TAIL})
    return [f.message for f in lint(tmp_path).findings if f.rule == "HL402"]


GUARDED = ("def conn(url, db=0):\n    parsed = urlparse(url)\n    if not parsed.hostname:\n        return {}\n"
           "    options = {'host': parsed.hostname, 'db': db}\n    if parsed.password:\n"
           "        options['password'] = parsed.password\n    return options\n")


@pytest.mark.parametrize(("helper", "connection", "variable"), [
    (GUARDED, "conn(os.environ['REDIS_URL'], db=1)", "REDIS_URL"),
    (GUARDED, "conn(url=os.environ.get('QUEUE_URL', 'redis://localhost'), db=2)", "QUEUE_URL"),
    ("def conn(host):\n    return {'host': host, 'port': 6379}\n", "conn(os.getenv('REDIS_HOST'))", "REDIS_HOST"),
])
def test_a_host_from_the_environment_through_a_helper(tmp_path: Path, helper: str, connection: str,
                                                      variable: str) -> None:
    [message] = hl402(tmp_path, helper, connection)
    assert f"comes from environment variable `{variable}`" in message


def test_a_literal_host_through_a_helper_is_placed_and_judged(tmp_path: Path) -> None:
    helper = "def conn(host):\n    return {'host': host, 'port': 6379}\n"
    assert hl402(tmp_path, helper, "conn('127.0.0.1')") == []
    [message] = hl402(tmp_path / "b", helper, "conn('cache.internal')")
    assert "`host` points at `cache.internal`" in message


@pytest.mark.parametrize("helper", [
    # two dicts returned: which one is not known
    "def conn(url):\n    if url:\n        return {'host': urlparse(url).hostname}\n    return {'host': 'redis'}\n",
    # a local bound twice
    "def conn(url):\n    host = 'localhost'\n    host = urlparse(url).hostname\n    return {'host': host}\n",
    # *args
    "def conn(*urls):\n    return {'host': urlparse(urls[0]).hostname}\n",
])
def test_shapes_not_followed_make_no_claim(tmp_path: Path, helper: str) -> None:
    assert hl402(tmp_path, helper, "conn(os.environ['REDIS_URL'])") == []


def test_a_parameter_left_to_its_default_is_not_followed(tmp_path: Path) -> None:
    helper = "def conn(url='redis://cache.internal'):\n    return {'host': urlparse(url).hostname}\n"
    assert hl402(tmp_path, helper, "conn()") == []
    assert triples(lint(tmp_path), "HL001") == []
