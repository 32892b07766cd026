"""A Django ``HUEY`` dict's ``**`` splats of another dict (the settings relative of redraw/iss-notify's
``RedisHuey('iss', **settings.REDIS)``): ``HUEY = {**BASE_HUEY, 'name': 'x'}``, ``dict(**HUEY_DEFAULTS)``,
``'connection': {**REDIS}`` / ``'connection': REDIS``, the dict in the same module, a star-imported base or
imported.  They are read as djhuey reads the dict (huey 3.5.4 ``huey/contrib/djhuey/__init__.py``: ``name``,
``huey_class``, ``connection``, ``consumer`` popped, the connection's keys over the top), and one not read is
a notice.  An imported ``host=`` whose module is not in the repository is a notice too, never a finding."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

COMPOSE = ("services:\n  redis:\n    image: redis:7\n  worker:\n    build: .\n"
           "    command: [\"python\", \"manage.py\", \"run_huey\", \"-w\", \"2\", \"-f\"]\n"
           "    stop_signal: SIGINT\n    stop_grace_period: 60s\n    restart: unless-stopped\n")
DOCKERFILE = "FROM python:3.12-slim\nRUN useradd -m app\nWORKDIR /app\nCOPY . .\nUSER app\n"
MANAGE = ("import os\nimport sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_conf.settings')\n"
          "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n")
APPS = "DEBUG = False\nINSTALLED_APPS = ['huey.contrib.djhuey', 'jobs']\n"
BASE = "BASE_HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': False, 'connection': {'host': 'cache'}}\n"


def run(root: Path, compose: str = COMPOSE, **settings: str):
    files = {"docker-compose.yml": compose, "Dockerfile": DOCKERFILE, "manage.py": MANAGE,
             "site_conf/__init__.py": "", "jobs/__init__.py": "", "jobs/tasks.py": "from huey.contrib.djhuey import task\n"}
    files.update({f"site_conf/{name}.py": text for name, text in settings.items()})
    write_tree(root, files)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return lint(root)


def hl402(result) -> list[tuple[str, int, str, list[str]]]:
    return [(f.loc.path or "", f.loc.line, f.message.split("(", 1)[1].split(") and messages", 1)[0],
             [f"{r.loc.path}:{r.loc.line}" for r in f.related if r.loc.path != "docker-compose.yml"])
            for f in result.findings if f.rule == "HL402"]


def notices(result) -> list[str]:
    return [n.reason for n in result.notices if "huey storage" in n.reason]


@pytest.mark.parametrize(("settings", "key", "related"), [
    ({"base": BASE, "settings": "from .base import *\n" + APPS + "HUEY = {**BASE_HUEY, 'name': 'x'}\n"},
     "host", ["site_conf/base.py:1"]),
    ({"base": BASE, "settings": "from .base import BASE_HUEY\n" + APPS + "HUEY = {**BASE_HUEY, 'name': 'x'}\n"},
     "host", ["site_conf/base.py:1"]),
    ({"redis": "REDIS = {'host': 'cache', 'port': 6379}\n", "settings": "from .redis import REDIS\n" + APPS
      + "HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': False, 'connection': {**REDIS}}\n"},
     "host", ["site_conf/redis.py:1"]),
    ({"redis": "REDIS = {'host': 'cache', 'port': 6379}\n", "settings": "from .redis import REDIS\n" + APPS
      + "HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': False, 'connection': REDIS}\n"},
     "host", ["site_conf/redis.py:1"]),
    ({"defaults": "HUEY_DEFAULTS = {'immediate': False, 'url': 'redis://cache:6379/0'}\n",
      "settings": "from .defaults import HUEY_DEFAULTS\n" + APPS + "HUEY = dict(**HUEY_DEFAULTS)\n"},
     "url", ["site_conf/defaults.py:1"]),
], ids=["star-imported-base", "imported-base", "connection-splat", "connection-name", "dict-call"])
def test_splatted_storage_is_judged(tmp_path: Path, settings: dict[str, str], key: str, related: list[str]) -> None:
    found = hl402(run(tmp_path, **settings))
    assert [(path, message, rel) for path, _line, message, rel in found] == [
        ("site_conf/settings.py", f"`{key}` points at `cache`", related)]
    assert notices(run(tmp_path, **settings)) == []


@pytest.mark.parametrize(("settings", "found"), [
    # the connection's keys beat the top level's, whichever comes first
    ({"base": "B = {'host': 'localhost'}\n", "settings": "from .base import B\n" + APPS
      + "HUEY = {'immediate': False, 'host': 'cache', 'connection': {**B}}\n"}, []),
    ({"base": "B = {'host': 'cache'}\n", "settings": "from .base import B\n" + APPS
      + "HUEY = {'immediate': False, 'host': 'localhost', 'connection': B}\n"}, [4]),
    # a connection written after the splat replaces the base's whole connection
    ({"base": BASE, "settings": "from .base import BASE_HUEY\n" + APPS
      + "HUEY = {**BASE_HUEY, 'connection': {'url': 'redis://localhost:6379/0'}}\n"}, []),
    ({"base": BASE, "settings": "from .base import BASE_HUEY\n" + APPS
      + "HUEY = {'connection': {'url': 'redis://localhost:6379/0'}, **BASE_HUEY}\n"}, [4]),
])
def test_djhuey_precedence(tmp_path: Path, settings: dict[str, str], found: list[int]) -> None:
    assert [line for _path, line, _m, _r in hl402(run(tmp_path, **settings))] == found


def test_base_immediate_and_class_are_read(tmp_path: Path) -> None:
    base = "BASE_HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': True}\n"
    result = run(tmp_path, base=base, settings="from .base import *\n" + APPS + "HUEY = {**BASE_HUEY, 'name': 'x'}\n")
    assert [(f.rule, f.loc.path) for f in result.findings if f.rule == "HL401"] == [("HL401", "site_conf/base.py")]


@pytest.mark.parametrize(("settings", "notice"), [
    ({"settings": "from vendor_conf import BASE\n" + APPS + "HUEY = {**BASE, 'immediate': False}\n"},
     "line 4: the huey storage's arguments `**BASE` are not read (`vendor_conf` is no module of the repository)"),
    ({"settings": "from vendor_conf import REDIS\n" + APPS + "HUEY = {'immediate': False, 'connection': REDIS}\n"},
     "line 4: the huey storage's arguments `REDIS` of `'connection'` are not read (`vendor_conf` is no module of "
     "the repository)"),
    ({"settings": "from vendor_conf import *\n" + APPS + "HUEY = {**BASE, 'immediate': False}\n"},
     "line 4: the huey storage's arguments `**BASE` are not read (`BASE` comes from `from vendor_conf import *`, "
     "and `vendor_conf` is no module of the repository)"),
])
def test_unread_settings_splat_is_a_notice(tmp_path: Path, settings: dict[str, str], notice: str) -> None:
    result = run(tmp_path, **settings)
    assert hl402(result) == []
    assert [n.split(":", 2)[0] + ":" + n.split(":", 2)[1] for n in notices(result)] == [notice]


@pytest.mark.parametrize("settings", [
    {"settings": "from vendor_conf import REDIS_HOST\n" + APPS
     + "HUEY = {'immediate': False, 'connection': {'host': REDIS_HOST}}\n"},
    {"settings": "import vendor_conf\n" + APPS + "HUEY = {'immediate': False, 'url': vendor_conf.REDIS_URL}\n"},
], ids=["from-import", "module-attribute"])
def test_imported_host_outside_the_repository_is_a_notice(tmp_path: Path, settings: dict[str, str]) -> None:
    result = run(tmp_path, **settings)
    assert hl402(result) == []
    found = notices(result)
    assert len(found) == 1 and found[0].startswith("line 4: the huey storage's `") and "imported from `vendor_conf`, " \
        "no module of the repository: it is not followed, so the storage's host is unknown and HL402" in found[0]


def test_imported_host_of_a_constructor_outside_the_repository(tmp_path: Path) -> None:
    files = {"docker-compose.yml": COMPOSE.replace('"python", "manage.py", "run_huey"', '"huey_consumer", "app.tasks.huey"'),
             "Dockerfile": DOCKERFILE, "app/__init__.py": "",
             "app/tasks.py": "from huey import RedisHuey\nfrom vendor_conf import REDIS_HOST\n"
                            "huey = RedisHuey('app', host=REDIS_HOST)\n"}
    write_tree(tmp_path, files)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = lint(tmp_path)
    assert hl402(result) == []
    assert notices(result) == ["line 3: the huey storage's `host` is `vendor_conf.REDIS_HOST`, imported from "
                               "`vendor_conf`, no module of the repository: it is not followed, so the storage's host "
                               "is unknown and HL402 (unsigned pickles over the network) is not judged for it"]


def test_django_huey_queue_splat(tmp_path: Path) -> None:
    """django-huey's ``DJANGO_HUEY = {'queues': {name: {...}}}``: each queue's dict is read as a ``HUEY`` dict."""
    apps = "DEBUG = False\nINSTALLED_APPS = ['django_huey', 'jobs']\n"
    settings = ("from .base import BASE_HUEY\n" + apps + "DJANGO_HUEY = {'default': 'first', "
                "'queues': {'first': {**BASE_HUEY, 'name': 'first'}}}\n")
    compose = COMPOSE.replace('"run_huey"', '"djangohuey", "--queue", "first"')
    found = hl402(run(tmp_path, compose, base=BASE, settings=settings))
    assert [(path, message, rel) for path, _line, message, rel in found] == [
        ("site_conf/settings.py", "`host` points at `cache`", ["site_conf/base.py:1"])]


def test_missing_submodule_of_a_repository_package(tmp_path: Path) -> None:
    """``from site_conf.secrets import REDIS_HOST`` with no ``site_conf/secrets.py`` (an untracked file)."""
    settings = ("from site_conf.secrets import REDIS_HOST\n" + APPS
                + "HUEY = {'immediate': False, 'connection': {'host': REDIS_HOST}}\n")
    result = run(tmp_path, settings=settings)
    assert hl402(result) == []
    assert notices(result) == ["line 4: the huey storage's `host` is `site_conf.secrets.REDIS_HOST`, imported from "
                               "`site_conf.secrets`, no module of the repository: it is not followed, so the storage's "
                               "host is unknown and HL402 (unsigned pickles over the network) is not judged for it"]


def test_imported_host_of_a_repository_module_is_no_notice(tmp_path: Path) -> None:
    """A value a module of the repository binds (read there, or not: another matter) is not this notice."""
    result = run(tmp_path, conf="import os\nREDIS_HOST = os.environ['REDIS_HOST']\n",
                 settings="from .conf import REDIS_HOST\n" + APPS
                 + "HUEY = {'immediate': False, 'connection': {'host': REDIS_HOST}}\n")
    assert notices(result) == []


def test_django_setting_read_through_django_conf(tmp_path: Path) -> None:
    """``from django.conf import settings`` then ``RedisHuey(host=settings.REDIS_HOST)``: Django's settings object,
    read from the settings module at run time: the notice names the setting, not the ``django`` package."""
    files = {"docker-compose.yml": COMPOSE.replace('"python", "manage.py", "run_huey"', '"huey_consumer", "app.tasks.huey"'),
             "Dockerfile": DOCKERFILE, "app/__init__.py": "",
             "app/tasks.py": "from django.conf import settings\nfrom huey import RedisHuey\n"
                             "huey = RedisHuey('app', host=settings.REDIS_HOST)\n"}
    write_tree(tmp_path, files)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert notices(lint(tmp_path)) == [
        "line 3: the huey storage's `host` is the Django setting `REDIS_HOST` (`django.conf.settings`): it is not "
        "followed, so the storage's host is unknown and HL402 (unsigned pickles over the network) is not judged for it"]


def test_base_consumer_options_are_read(tmp_path: Path) -> None:
    """A star-imported base's ``'consumer'`` dict fills what ``run_huey``'s command line leaves unset, as a
    ``consumer`` written in the dict itself does (its ``worker_type``); ``-w 2`` of the command line wins."""
    base = ("BASE_HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': False, 'connection': {'host': 'localhost'},"
            " 'consumer': {'workers': 4, 'worker_type': 'thread'}}\n")
    settings = "from .base import *\n" + APPS + "HUEY = {**BASE_HUEY, 'name': 'x'}\n"
    launches = run(tmp_path, base=base, settings=settings).project.launches
    assert [(launch.options["worker_type"].value, launch.options["worker_type"].loc.path,
             launch.options["workers"].value) for launch in launches] == [("thread", "site_conf/base.py", 2)]


def test_a_module_of_the_repository_outside_the_source_roots_is_not_called_absent(tmp_path: Path) -> None:
    """A script run from its own folder imports its siblings (``server/task.py``: ``from config.database import
    REDIS_HOST``, ``server/config/database.py`` reading the environment), a folder hueylint may not take for a
    source root: the value stays unknown, but no notice says ``config`` is no module of the repository (field
    trees 0xbug/Hawkeye and Adesoji1/python-fastapi-huey-redis said so before)."""
    write_tree(tmp_path, {
        "server/config/__init__.py": "",
        "server/config/database.py": "import os\nif os.environ.get('REDIS_HOST'):\n"
                                     "    REDIS_HOST = os.environ.get('REDIS_HOST')\nelse:\n    REDIS_HOST = 'localhost'\n",
        "server/task.py": "from huey import RedisHuey\nfrom config.database import REDIS_HOST\n"
                          "huey = RedisHuey('x', host=REDIS_HOST)\n",
        "huey.service": "[Service]\nExecStart=/srv/venv/bin/huey_consumer task.huey\nWorkingDirectory=/srv/server\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert [reason for reason in notices(lint(tmp_path)) if "no module of the repository" in reason] == []
