"""HL002 ``command-not-installed``: ``manage.py run_huey`` (``djangohuey``) while the settings' INSTALLED_APPS
list neither the app the command comes from nor a repository app with a command of that name (field test
MartinParf/lyfeapp: Django exits with "Unknown command: 'run_huey'")."""

from __future__ import annotations

import pytest

from tests.helpers import lint, triples, write_tree

MANAGE = ("import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n"
          "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n")
SETTINGS = "INSTALLED_APPS = ['django.contrib.auth', 'shop']\nHUEY = {'immediate': False}\n"
TASKS = "from huey.contrib.djhuey import db_task\n\n@db_task()\ndef ship(order):\n    print(order)\n"


def tree(tmp_path, files, settings=SETTINGS):
    write_tree(tmp_path, {"manage.py": MANAGE, "proj/__init__.py": "", "proj/settings.py": settings,
                          "shop/__init__.py": "", "shop/tasks.py": TASKS, "requirements.txt": "huey==2.5.3\n",
                          **files})
    return [(path, line) for _rule, path, line in triples(lint(tmp_path), "HL002")]


@pytest.mark.parametrize("files, where", [
    ({"deploy/huey.service": "[Service]\nUser=app\nKillSignal=SIGINT\nRestart=always\n"
                             "ExecStart=/srv/venv/bin/python /srv/manage.py run_huey -w 2\n"},
     ("deploy/huey.service", 5)),
    ({"deploy/huey.conf": "[program:huey]\ncommand=python manage.py run_huey\nstopsignal=INT\nuser=app\n"},
     ("deploy/huey.conf", 2)),
    ({"Procfile": "web: gunicorn proj.wsgi\nworker: python manage.py run_huey -w 4\n"}, ("Procfile", 2)),
    ({"Dockerfile": "FROM python:3.12\nCOPY . /app\nUSER app\nSTOPSIGNAL SIGINT\n"
                    "CMD [\"python\", \"manage.py\", \"run_huey\"]\n"}, ("Dockerfile", 5)),
])
def test_run_huey_without_djhuey_installed_is_refused(tmp_path, files, where):
    assert tree(tmp_path, files) == [where]
    message = next(f.message for f in lint(tmp_path).findings if f.rule == "HL002")
    assert message.startswith("`run_huey` is a management command of `huey.contrib.djhuey`, which the "
                              "INSTALLED_APPS of `proj/settings.py` do not list")


PROCFILE = {"Procfile": "worker: python manage.py run_huey -w 4\n"}


@pytest.mark.parametrize("settings, extra", [
    (SETTINGS.replace("'shop']", "'shop', 'huey.contrib.djhuey']"), {}),
    # huey before 1.0: its Django app, and run_huey, were huey.djhuey (field: pipermerriam/mozy, J4LP/fwmazon)
    (SETTINGS.replace("'shop']", "'shop', 'huey.djhuey']"), {}),
    # through a star import of the base settings, extended there
    ("from proj.base import *\nINSTALLED_APPS += ['shop']\n",
     {"proj/base.py": "INSTALLED_APPS = ['huey.contrib.djhuey']\nHUEY = {'immediate': False}\n"}),
    # the project's own command of that name
    (SETTINGS, {"shop/management/__init__.py": "", "shop/management/commands/__init__.py": "",
                "shop/management/commands/run_huey.py": "from huey.contrib.djhuey.management.commands.run_huey "
                                                         "import Command\n"}),
    # INSTALLED_APPS built by code: not known in full
    ("import os\nINSTALLED_APPS = ['shop'] + os.environ['EXTRA_APPS'].split(',')\nHUEY = {'immediate': False}\n",
     {}),
    # added by a method call or a slice assignment (the latter not followed: not known in full)
    (SETTINGS + "INSTALLED_APPS.append('huey.contrib.djhuey')\n", {}),
    (SETTINGS + "INSTALLED_APPS.extend(['huey.contrib.djhuey'])\n", {}),
    (SETTINGS + "INSTALLED_APPS.insert(0, 'huey.contrib.djhuey')\n", {}),
    (SETTINGS.replace("[", "(", 1).replace("]", ")", 1) + "INSTALLED_APPS += ('huey.contrib.djhuey',)\n", {}),
    (SETTINGS + "INSTALLED_APPS[0:0] = ['huey.contrib.djhuey']\n", {}),
    (SETTINGS + "if True:\n    INSTALLED_APPS = [*INSTALLED_APPS, 'huey.contrib.djhuey']\n", {}),
])
def test_run_huey_with_its_app_or_unknown_apps_is_not_reported(tmp_path, settings, extra):
    assert tree(tmp_path, {**PROCFILE, **extra}, settings) == []


def test_djangohuey_needs_django_huey(tmp_path):
    settings = ("INSTALLED_APPS = ['huey.contrib.djhuey', 'shop']\n"
                "DJANGO_HUEY = {'default': 'main', 'queues': {'main': {'immediate': False}}}\n")
    procfile = {"Procfile": "worker: python manage.py djangohuey --queue main\n"}
    assert tree(tmp_path, procfile, settings) == [("Procfile", 1)]
    assert tree(tmp_path, procfile, settings.replace("'shop']", "'shop', 'django_huey']")) == []
