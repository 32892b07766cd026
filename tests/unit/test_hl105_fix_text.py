"""HL105's fix names the decorator the app's kind registers a handler with: a huey app its instance's
``@NAME.signal(SIGNAL_INTERRUPTED)``; a djhuey app ``from huey.contrib.djhuey import signal`` (huey 3.5.4
``huey/contrib/djhuey/__init__.py``: ``signal = HUEY.signal``); a django-huey queue ``from django_huey import
signal`` with ``queue=`` (django-huey 1.3.1 ``django_huey/__init__.py``: ``signal(*args, queue=None)``).  Before,
every app was told ``@huey.signal(SIGNAL_INTERRUPTED)``, a name a Django app has none of."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import lint, write_tree

SERVICE = """[Service]
WorkingDirectory=/srv/app
ExecStart=/srv/app/venv/bin/{command} -g TERM -t 50
ExecReload=/bin/kill -HUP $MAINPID
TimeoutStopSec=60
Restart=on-failure
Type=exec
"""
MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n"
DJHUEY = "INSTALLED_APPS = ['huey.contrib.djhuey', 'shop']\nHUEY = {'name': 's', 'immediate': False}\n"
HANDLER = ("from huey.signals import SIGNAL_INTERRUPTED\n{imports}\n\n\n@signal(SIGNAL_INTERRUPTED{queue})\n"
           "def requeue(signal, task, *args, **kwargs):\n    enqueue(task{queue})\n")


def fixes(tmp_path: Path, files: dict[str, str]) -> list[str]:
    write_tree(tmp_path, files)
    return [f.message.split(" Fix: ", 1)[1] for f in lint(tmp_path).findings if f.rule == "HL105"]


def test_a_huey_app_is_told_its_instance_s_name(tmp_path: Path) -> None:
    [fix] = fixes(tmp_path, {"huey.service": SERVICE.format(command="huey_consumer my_app.main.queue"),
                             "my_app/__init__.py": "",
                             "my_app/main.py": "from huey import RedisHuey\nqueue = RedisHuey('my_app')\n"})
    assert fix == ("register `@queue.signal(SIGNAL_INTERRUPTED)` in a module the consumer imports and re-enqueue the "
                   "task there (`queue.enqueue(task)`; make tasks idempotent)")


def test_a_djhuey_app_is_told_djhuey_s_signal(tmp_path: Path) -> None:
    files = {"huey.service": SERVICE.format(command="python manage.py run_huey"), "manage.py": MANAGE,
             "site_cfg/__init__.py": "", "site_cfg/settings.py": DJHUEY, "shop/__init__.py": ""}
    [fix] = fixes(tmp_path / "a", files)
    assert fix == ("in an installed app's `tasks.py` (`run_huey` imports it), register `@signal(SIGNAL_INTERRUPTED)` "
                   "(`from huey.contrib.djhuey import signal, enqueue`) and re-enqueue the task there "
                   "(`enqueue(task)`; make tasks idempotent)")
    # doing what it says is read as the handler: no finding
    handler = HANDLER.format(imports="from huey.contrib.djhuey import enqueue, signal", queue="")
    assert fixes(tmp_path / "b", {**files, "shop/tasks.py": handler}) == []


def test_a_huey_instance_in_djhuey_s_settings_is_still_djhuey_s_signal(tmp_path: Path) -> None:
    """``HUEY = RedisHuey(...)`` in the settings: djhuey's ``signal`` is that instance's, and the settings module
    is no place the handler's name is known by."""
    settings = ("from huey import RedisHuey\nINSTALLED_APPS = ['huey.contrib.djhuey', 'shop']\n"
                "HUEY = RedisHuey('s')\n")
    [fix] = fixes(tmp_path, {"huey.service": SERVICE.format(command="python manage.py run_huey"),
                             "manage.py": MANAGE, "site_cfg/__init__.py": "", "site_cfg/settings.py": settings,
                             "shop/__init__.py": ""})
    assert "`@signal(SIGNAL_INTERRUPTED)` (`from huey.contrib.djhuey import signal, enqueue`)" in fix


def test_a_django_huey_queue_is_told_django_huey_s_signal_with_its_queue(tmp_path: Path) -> None:
    settings = ("INSTALLED_APPS = ['django_huey', 'shop']\nDJANGO_HUEY = {'default': 'main', 'queues': {\n"
                "    'main': {'huey_class': 'huey.RedisHuey', 'immediate': False},\n"
                "    'mail': {'huey_class': 'huey.RedisHuey', 'immediate': False},\n}}\n")
    procfile = ("main: python manage.py djangohuey --queue main -t 25\n"
                "mail: python manage.py djangohuey --queue mail -t 25\n")
    files = {"Procfile": procfile, "manage.py": MANAGE, "site_cfg/__init__.py": "",
             "site_cfg/settings.py": settings, "shop/__init__.py": ""}
    found = fixes(tmp_path, files)
    assert sorted(found) == [
        f"in an installed app's `tasks.py` (`djangohuey` imports it), register `@signal(SIGNAL_INTERRUPTED, "
        f"queue='{queue}')` (`from django_huey import signal, enqueue`) and re-enqueue the task there (`enqueue(task, "
        f"queue='{queue}')`; make tasks idempotent)" for queue in ("mail", "main")]
