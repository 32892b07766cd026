"""Storage values a Huey module builds from a parsed URL, a ``**`` splat of a dict, a name it binds again from
its own value, or a settings object of its own (HL402 reads where the host comes from).

Python evaluates module statements in order: ``rconn = urlparse(URL)`` then ``rconn = {'host': rconn.hostname}``
leaves the dict, whose host is the URL's; ``RedisHuey(**rconn)`` passes the dict's keys as arguments; the
standard library's ``urlsplit(...).hostname`` is the host of a literal URL.  Field test: nikolaik/p2coffee.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.appmodel import ENVIRONMENT, LITERAL, LOOPBACK, UNKNOWN
from tests.helpers import lint, triples, write_tree
from tests.unit.test_pyapp import facts


def storage(code: str) -> list[tuple[str, str, str]]:
    """(key, kind, host or reason) of the module's one Huey instance."""
    (inst,) = facts("import os\nfrom urllib.parse import urlparse, urlsplit\nfrom huey import RedisHuey\n" + code).instances
    return [(s.key, s.kind, s.host or s.value.unknown) for s in inst.storage]


@pytest.mark.parametrize(("code", "expected"), [
    # a name bound again from its own value, then spread into the call (p2coffee)
    ("rconn = urlparse(os.environ.get('REDISTOGO_URL', 'redis://localhost'))\n"
     "rconn = {'host': rconn.hostname, 'port': rconn.port}\nh = RedisHuey('a', **rconn)\n",
     [("host", ENVIRONMENT, "env:REDISTOGO_URL")]),
    ("u = urlparse(os.environ['REDIS_URL'])\nconn = dict(host=u.hostname, port=u.port)\nh = RedisHuey('a', **conn)\n",
     [("host", ENVIRONMENT, "env:REDIS_URL")]),
    # a literal URL's parts, as urllib.parse gives them (hostname lower-cased)
    ("u = urlsplit('redis://Cache.Internal:6379/0')\nh = RedisHuey('a', host=u.hostname, port=u.port)\n",
     [("host", LITERAL, "cache.internal")]),
    ("u = urlparse('redis://127.0.0.1:6379/0')\nh = RedisHuey('a', host=u.hostname)\n",
     [("host", LOOPBACK, "127.0.0.1")]),
    ("h = RedisHuey('a', host=urlparse('redis://redis:6379').hostname)\n", [("host", LITERAL, "redis")]),
    # a parse of something else, or a malformed port: not told
    ("import mylib\nu = mylib.urlparse('redis://redis')\nh = RedisHuey('a', host=u.hostname)\n",
     [("host", UNKNOWN, "expression")]),
    # read in between, or rebound under a condition: which value holds is not told
    ("c = {'host': 'redis'}\nprint(c)\nc = {'host': c['host']}\nh = RedisHuey('a', **c)\n", []),
    ("c = {'host': 'redis'}\nif os.environ.get('LOCAL'):\n    c = {**c, 'host': 'localhost'}\nh = RedisHuey('a', **c)\n",
     []),
    # `X += ...` after `X = ...` is one value from there on
    ("URL = 'redis://redis:6379'\nURL += '/0'\nh = RedisHuey('a', url=URL)\n", [("url", LITERAL, "redis")]),
], ids=["rebound-splat", "dict-call-splat", "literal-url-parts", "loopback-url-parts", "inline-parse",
        "other-parser", "read-between", "conditional-rebinding", "augmented"])
def test_storage_from_parsed_url_and_splat(code: str, expected: list[tuple[str, str, str]]) -> None:
    assert storage(code) == expected


def test_splat_that_is_not_read_leaves_the_arguments_incomplete() -> None:
    (inst,) = facts("from huey import RedisHuey\nfrom app.conf import OPTIONS\nh = RedisHuey('a', **OPTIONS)\n").instances
    assert inst.complete is False
    (inst,) = facts("from huey import RedisHuey\nh = RedisHuey('a', **{'host': 'redis'})\n").instances
    assert inst.complete is True and inst.storage[0].host == "redis"


APP = "from huey import RedisHuey\n"


@pytest.mark.parametrize(("module", "expected"), [
    # pydantic-settings in the Huey module: env_prefix + field name, through FastAPI's cached factory
    ("from functools import lru_cache\nfrom pydantic_settings import BaseSettings\n"
     "class S(BaseSettings):\n    redis_host: str = 'localhost'\n"
     "@lru_cache\ndef get_settings():\n    return S()\nsettings = get_settings()\n"
     "huey = RedisHuey('a', host=settings.redis_host)\n", [("HL402", "app/tasks.py", 10)]),
    ("from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    redis_url: str = 'redis://x'\n"
     "settings = S()\nhuey = RedisHuey('a', url=settings.redis_url)\n", [("HL402", "app/tasks.py", 6)]),
    # a configuration class of the module
    ("import os\nclass Config:\n    HOST = os.getenv('REDIS_HOST', 'localhost')\n"
     "huey = RedisHuey('a', host=Config.HOST)\n", [("HL402", "app/tasks.py", 5)]),
    ("class Config:\n    HOST = 'localhost'\nhuey = RedisHuey('a', host=Config.HOST)\n", []),
    # a factory taking arguments, or an attribute the module sets afterwards: not told, no claim
    ("from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    redis_host: str = 'localhost'\n"
     "def get_settings(env):\n    return S()\nsettings = get_settings('prod')\n"
     "huey = RedisHuey('a', host=settings.redis_host)\n", []),
    ("import os\nclass Config:\n    HOST = os.getenv('REDIS_HOST')\nConfig.HOST = 'localhost'\n"
     "huey = RedisHuey('a', host=Config.HOST)\n", []),
], ids=["cached-factory", "instance", "config-class", "config-class-loopback", "factory-arguments", "set-after"])
def test_settings_object_of_the_huey_module(tmp_path: Path, module: str, expected: list[tuple[str, str, int]]) -> None:
    write_tree(tmp_path, {"requirements.txt": "huey==3.5.4\npydantic-settings==2.3.0\n", "app/__init__.py": "",
                          "Procfile": "worker: huey_consumer app.tasks.huey -g TERM -t 25\n",
                          "app/tasks.py": APP + module})
    assert triples(lint(tmp_path), "HL402") == expected
