"""An ``immediate`` written as Django's ``DEBUG`` in a settings module reads the ``DEBUG`` of its own line.

``HUEY = {'immediate': DEBUG}`` (also ``HUEY['immediate'] = DEBUG`` and ``HUEY = RedisHuey(immediate=DEBUG)``)
is evaluated when the line runs: below ``DEBUG = True`` it is True for good (a later ``DEBUG = False``, here or in
a settings module star-importing this one, does not change the dict), so ``run_huey`` refuses to start: an error
naming that line; below ``DEBUG = False`` (also one star-imported above it) it is False: no finding.  A value that
only mentions DEBUG (``DEBUG and X``) or a DEBUG set conditionally stays HL401's warning.  Field test:
Princeprem76/rework.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

IMAGE = ("FROM python:3.12-slim\nWORKDIR /app\nRUN pip install django==5.1 huey==3.5.4 redis\nCOPY . .\nUSER nobody\n"
         "STOPSIGNAL SIGINT\nCMD [\"python\", \"manage.py\", \"run_huey\"]\n")
MANAGE = ("import os\nimport sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_conf.{module}')\n"
          "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n")
TASKS = ("from huey.contrib.djhuey import signal, enqueue, task\nfrom huey.signals import SIGNAL_INTERRUPTED\n\n"
         "@signal(SIGNAL_INTERRUPTED)\ndef requeue(sig, task_obj, *args, **kwargs):\n    enqueue(task_obj)\n")
APPS = "INSTALLED_APPS = ['huey.contrib.djhuey', 'jobs']\n"
DICT = "HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': DEBUG, 'connection': {'host': 'localhost'}}\n"


def _lint(tmp_path: Path, settings: dict[str, str], module: str = "settings") -> list[tuple[str, int, str]]:
    files = {"Dockerfile": IMAGE, "manage.py": MANAGE.format(module=module), "site_conf/__init__.py": "",
             "jobs/__init__.py": "", "jobs/tasks.py": TASKS}
    files.update({f"site_conf/{name}": text for name, text in settings.items()})
    write_tree(tmp_path, files)
    return [(f.loc.path or "", f.loc.line, f"{f.severity.name.lower()} {f.message}")
            for f in lint(tmp_path).findings if f.rule == "HL401"]


@pytest.mark.parametrize("settings", [
    {"settings.py": "DEBUG = True\n" + APPS + DICT},
    {"settings.py": "DEBUG = True\n" + APPS + "HUEY = {'huey_class': 'huey.RedisHuey'}\nHUEY['immediate'] = DEBUG\n"},
    {"settings.py": "from huey import RedisHuey\nDEBUG = True\n" + APPS + "HUEY = RedisHuey('site', immediate=DEBUG)\n"},
], ids=["dict", "update", "instance"])
def test_debug_true_above_the_line_is_an_error(tmp_path: Path, settings: dict[str, str]) -> None:
    found = _lint(tmp_path, settings)
    assert len(found) == 1, found
    path, _line, message = found[0]
    assert path == "site_conf/settings.py"
    assert message.startswith("error ")
    assert "`DEBUG = True` is written above it (site_conf/settings.py:" in message


def test_a_later_debug_false_does_not_turn_it_off(tmp_path: Path) -> None:
    """base.py builds the dict with DEBUG True; prod.py star-imports it and sets DEBUG = False: still on."""
    found = _lint(tmp_path, {"base.py": "DEBUG = True\n" + APPS + DICT,
                             "prod.py": "from .base import *\nDEBUG = False\n"}, module="prod")
    assert [(path, line) for path, line, _ in found] == [("site_conf/base.py", 3)]
    assert found[0][2].startswith("error ")


@pytest.mark.parametrize("settings", [
    {"settings.py": "DEBUG = False\n" + APPS + DICT},
    {"base.py": "DEBUG = False\n", "settings.py": "from .base import *\n" + APPS + DICT},
    {"settings.py": "DEBUG = False\n" + APPS + "HUEY = {'huey_class': 'huey.RedisHuey'}\nHUEY['immediate'] = DEBUG\n"},
], ids=["written", "star-imported", "update"])
def test_debug_false_above_the_line_is_quiet(tmp_path: Path, settings: dict[str, str]) -> None:
    assert _lint(tmp_path, settings) == []


@pytest.mark.parametrize("settings", [
    # only mentions DEBUG; DEBUG set on a branch; DEBUG from the environment: still the warning "bound to DEBUG"
    {"settings.py": "DEBUG = True\n" + APPS + DICT.replace("'immediate': DEBUG", "'immediate': DEBUG and True")},
    {"settings.py": "import os\nif os.getenv('PROD'):\n    DEBUG = False\nelse:\n    DEBUG = True\n" + APPS + DICT},
    {"settings.py": "import os\nDEBUG = os.getenv('DEBUG') == '1'\n" + APPS + DICT},
], ids=["expression", "conditional", "environment"])
def test_debug_not_known_there_stays_a_warning(tmp_path: Path, settings: dict[str, str]) -> None:
    found = _lint(tmp_path, settings)
    assert len(found) == 1, found
    assert found[0][2].startswith("warning ")
    assert "bound to DEBUG" in found[0][2]


@pytest.mark.parametrize(("settings", "module", "severity"), [
    # the one settings module ends with DEBUG = True: djhuey's default `immediate` is True, the consumer stops
    ({"settings.py": "DEBUG = True\n" + APPS + "HUEY = {'huey_class': 'huey.RedisHuey'}\n"}, "settings", "error"),
    # production star-imports a base with DEBUG on and turns it off: the default follows the final DEBUG
    ({"base.py": "DEBUG = True\n" + APPS + "HUEY = {'huey_class': 'huey.RedisHuey'}\n",
      "prod.py": "from .base import *\nDEBUG = False\n"}, "prod", None),
    # not known: the warning
    ({"settings.py": "import os\nDEBUG = os.getenv('DEBUG') == '1'\n" + APPS
      + "HUEY = {'huey_class': 'huey.RedisHuey'}\n"}, "settings", "warning"),
], ids=["debug-true", "turned-off-after", "environment"])
def test_a_missing_immediate_key_follows_the_final_debug(tmp_path: Path, settings: dict[str, str], module: str,
                                                         severity: str | None) -> None:
    found = _lint(tmp_path, settings, module=module)
    if severity is None:
        assert found == []
        return
    assert len(found) == 1, found
    assert found[0][2].startswith(severity + " the `HUEY` dict has no `'immediate'` key")
    assert ("end with `DEBUG = True` (site_conf/settings.py:1)" in found[0][2]) == (severity == "error")


def test_no_immediate_key_under_default_settings_a_launch_may_replace(tmp_path: Path) -> None:
    """A ``HUEY`` dict without ``'immediate'``: the settings manage.py defaults to end with ``DEBUG = True``.  When
    the consumer's launch names no settings itself and sets none in the repository, those run: an error.  When it
    reads variables from a file the repository lacks (a cookiecutter-django production env file, git-ignored),
    that file may name other settings (``config.settings.production``): the warning, naming both."""
    base = APPS + "HUEY = {'huey_class': 'huey.RedisHuey', 'connection': {'host': 'localhost'}}\n"
    settings = {"base.py": base, "local.py": "from .base import *\nDEBUG = True\n",
                "production.py": "from .base import *\nDEBUG = False\n"}
    compose = ("services:\n  worker:\n    build: .\n    restart: always\n    stop_grace_period: 30s\n"
               "    env_file: ./.envs/.production/.django\n")
    write_tree(tmp_path / "unread", {"docker-compose.yml": compose})
    [(path, line, message)] = _lint(tmp_path / "unread", settings, module="local")
    assert (path, line) == ("site_conf/base.py", 2)
    assert message.startswith("warning the `HUEY` dict has no `'immediate'` key, so djhuey uses `settings.DEBUG`: "
                              "with DEBUG on, tasks run inline in memory and `run_huey` refuses to start (the settings "
                              "it would run end with `DEBUG = True`, site_conf/local.py:2, unless compose `worker` "
                              "names others in `env_file: ./.envs/.production/.django`, which the repository does not "
                              "hold)")
    write_tree(tmp_path / "read", {"docker-compose.yml": compose, ".envs/.production/.django": "REDIS_URL=x\n"})
    [(path, line, message)] = _lint(tmp_path / "read", settings, module="local")
    assert message.startswith("error the `HUEY` dict has no `'immediate'` key, so djhuey uses `settings.DEBUG`, and "
                              "the settings that run end with `DEBUG = True` (site_conf/local.py:2)")
    write_tree(tmp_path / "named", {"docker-compose.yml": compose + "    environment:\n      "
                                    "DJANGO_SETTINGS_MODULE: site_conf.production\n"})
    assert _lint(tmp_path / "named", settings, module="local") == []
