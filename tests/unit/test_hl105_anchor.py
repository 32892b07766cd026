"""HL105 on an app whose storage no node shows (field tests grouprise, lyfeapp, blockpy-server): the finding
goes where the app is made (djhuey's INSTALLED_APPS entry, the script's ``create_consumer()``) or at the launch,
never at line 1 of ``manage.py``, and the message says the ``HUEY`` settings were not read."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import lint, write_tree

MANAGE = """import os
import sys

if __name__ == '__main__':
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
"""
SERVICE = """[Service]
WorkingDirectory=/srv/app
ExecStart=/srv/app/venv/bin/python manage.py run_huey -g TERM -t 50
ExecReload=/bin/kill -HUP $MAINPID
TimeoutStopSec=60
Restart=on-failure
Type=exec
"""


def hl105(tmp_path: Path, files: dict[str, str]):
    write_tree(tmp_path, files)
    found = [f for f in lint(tmp_path).findings if f.rule == "HL105"]
    return [(f.loc.path, f.loc.line, f.loc.col, f.message) for f in found]


def test_no_huey_setting_points_at_the_djhuey_entry(tmp_path: Path) -> None:
    [(path, line, col, message)] = hl105(tmp_path, {
        "tasks.service": SERVICE, "manage.py": MANAGE, "site_cfg/__init__.py": "",
        "site_cfg/settings.py": "DEBUG = False\nINSTALLED_APPS = [\n    'django.contrib.auth',\n"
                                "    'huey.contrib.djhuey',\n]\n",
    })
    assert (path, line, col) == ("site_cfg/settings.py", 4, 5)
    assert message.startswith("the Django huey app installed here (no `HUEY` setting is read in "
                              "`site_cfg/settings.py`: djhuey's defaults, or one built by code at run time) run by "
                              "systemd `tasks.service` (tasks.service:3) registers no SIGNAL_INTERRUPTED handler")


def test_settings_built_by_code_point_at_the_star_imported_entry(tmp_path: Path) -> None:
    """grouprise's shape: the settings star-import a common module listing djhuey, then a loader fills HUEY."""
    [(path, line, col, _message)] = hl105(tmp_path, {
        "tasks.service": SERVICE, "manage.py": MANAGE, "site_cfg/__init__.py": "",
        "site_cfg/base.py": "INSTALLED_APPS = ['django.contrib.auth', 'huey.contrib.djhuey']\n",
        "site_cfg/loader.py": "def load(target, path):\n    target['HUEY'] = {'huey_class': 'huey.SqliteHuey'}\n",
        "site_cfg/settings.py": "from site_cfg.base import *\nfrom site_cfg.loader import load\n\n"
                                "load(globals(), '/etc/site/settings.yaml')\n",
    })
    assert (path, line, col) == ("site_cfg/base.py", 1, 42)


def test_unreadable_installed_apps_fall_back_to_the_launch(tmp_path: Path) -> None:
    [(path, line, col, message)] = hl105(tmp_path, {
        "tasks.service": SERVICE, "manage.py": MANAGE, "site_cfg/__init__.py": "",
        "site_cfg/settings.py": "from site_cfg.apps_list import build\nINSTALLED_APPS = build()\n",
        "site_cfg/apps_list.py": "def build():\n    return ['huey.contrib.djhuey']\n",
    })
    assert (path, line) == ("tasks.service", 3)
    assert message.startswith("the Django huey app (no `HUEY` setting is read in `site_cfg/settings.py`")


def test_command_not_installed_points_at_the_launch(tmp_path: Path) -> None:
    """lyfeapp's shape: `run_huey` without djhuey in INSTALLED_APPS (HL002 there); the app rule holds either way."""
    [(path, line, col, message)] = hl105(tmp_path, {
        "tasks.service": SERVICE, "manage.py": MANAGE, "site_cfg/__init__.py": "",
        "site_cfg/settings.py": "INSTALLED_APPS = ['django.contrib.auth']\n",
    })
    assert (path, line) == ("tasks.service", 3)
    assert message.startswith("the Django huey app (no `HUEY` setting is read in `site_cfg/settings.py`")


def test_script_building_the_consumer_points_at_the_call(tmp_path: Path) -> None:
    """blockpy-server's shape: a CLI command builds the consumer from an app attribute set by code not read."""
    [(path, line, col, message)] = hl105(tmp_path, {
        "worker.service": SERVICE.replace("manage.py run_huey -g TERM -t 50", "run_worker.py"),
        "run_worker.py": "from web import create_app\n\n\ndef main():\n    app = create_app()\n"
                         "    consumer = app.huey.create_consumer(workers=2)\n    consumer.run()\n\n\n"
                         "if __name__ == '__main__':\n    main()\n",
        "web.py": "def create_app():\n    return object()\n",
    })
    assert (path, line, col) == ("run_worker.py", 6, 16)
    assert message.startswith("the huey app whose consumer is built here (its huey object comes from code not "
                              "read) run by systemd `worker.service` (worker.service:3)")


def test_settings_star_importing_a_module_not_found_say_it_may_set_huey(tmp_path: Path) -> None:
    """ciso-assistant-community's enterprise image: its settings star-import the base project's, which the
    service's own folder does not hold; no handler is anywhere in the repository, so the finding holds, but
    its reason for the missing HUEY is the import, not djhuey's defaults."""
    [(path, line, col, message)] = hl105(tmp_path, {
        "tasks.service": SERVICE, "manage.py": MANAGE, "site_cfg/__init__.py": "",
        "site_cfg/settings.py": "from base_project.settings import *\n\nINSTALLED_APPS.append('site_cfg')\n",
    })
    assert (path, line, col) == ("tasks.service", 3, 36)
    assert message.startswith("the Django huey app (no `HUEY` setting is read in `site_cfg/settings.py`, which "
                              "imports a module not found where it runs from: it may set one) run by systemd "
                              "`tasks.service` (tasks.service:3) registers no SIGNAL_INTERRUPTED handler")
