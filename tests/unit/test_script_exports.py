"""What a script exports (``export NAME=value``, ``declare -x``) reaches the consumer it runs: the app layer
reads the Django settings module from it, over ``manage.py``'s ``os.environ.setdefault``."""

from __future__ import annotations

import pytest

from hueylint.shell import parse_script
from tests.helpers import lint, write_tree

MANAGE = ('import os\nimport sys\n\nif __name__ == "__main__":\n'
          '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.base")\n'
          '    from django.core.management import execute_from_command_line\n\n'
          '    execute_from_command_line(sys.argv)\n')
PROD = 'from .base import *\n\nHUEY = {"name": "shop", "immediate": False}\n'


def _lint(tmp_path, start: str):
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY . /app\nUSER app\nSTOPSIGNAL SIGINT\n"
                      'ENTRYPOINT ["/app/start.sh"]\n',
        "start.sh": start, "manage.py": MANAGE, "requirements.txt": "huey==2.5.3\nDjango==5.1\n",
        "shop/__init__.py": "", "shop/settings/__init__.py": "",
        "shop/tasks.py": "from huey.contrib.djhuey import db_task\n\n\n@db_task()\ndef ship(order):\n    pass\n",
        "shop/settings/base.py": 'INSTALLED_APPS = ["huey.contrib.djhuey", "shop"]\n'
                                 'HUEY = {"name": "shop", "immediate": True}\n',
        "shop/settings/prod.py": PROD})
    return lint(tmp_path)


@pytest.mark.parametrize("lines", [
    "export DJANGO_SETTINGS_MODULE=shop.settings.prod",
    "DJANGO_SETTINGS_MODULE=shop.settings.prod\nexport DJANGO_SETTINGS_MODULE",
    "declare -x DJANGO_SETTINGS_MODULE=shop.settings.prod",
    "SETTINGS=prod\nexport DJANGO_SETTINGS_MODULE=shop.settings.$SETTINGS",
])
def test_an_exported_settings_module_is_the_consumer_s(tmp_path, lines: str) -> None:
    result = _lint(tmp_path, f"#!/bin/bash\n{lines}\nexec python manage.py run_huey -w 2\n")
    (launch,) = result.project.launches
    found = launch.environment["DJANGO_SETTINGS_MODULE"]
    assert (found.value, found.loc.path) == ("shop.settings.prod", "start.sh")
    assert launch.app_key is not None and launch.app_key.value == "django:shop/settings/prod.py"


@pytest.mark.parametrize("lines", [
    "DJANGO_SETTINGS_MODULE=shop.settings.prod",  # not exported: python never sees it
    "export DJANGO_SETTINGS_MODULE=shop.settings.prod\nunset DJANGO_SETTINGS_MODULE",
    "if [ -n \"$X\" ]; then export DJANGO_SETTINGS_MODULE=shop.settings.prod; fi",  # maybe: unknown
])
def test_a_settings_module_not_surely_exported_is_not_the_consumer_s(tmp_path, lines: str) -> None:
    result = _lint(tmp_path, f"#!/bin/bash\n{lines}\nexec python manage.py run_huey -w 2\n")
    (launch,) = result.project.launches
    found = launch.environment.get("DJANGO_SETTINGS_MODULE")
    assert found is None or not found.known
    if found is None:  # manage.py's default (an unknown value leaves the choice to the app layer)
        assert launch.app_key is not None and launch.app_key.value == "django:shop/settings/base.py"


def test_exports_are_recorded_by_the_shell_parser() -> None:
    script = parse_script("export A=1 B\nC=2\ndeclare -x D=3\nlocal -x E=4\nf() { local F=5; }\n")
    assert [(a.name, a.exported) for a in script.assignments] == [
        ("A", True), ("B", True), ("C", False), ("D", True), ("E", True)]


def test_without_an_export_manage_py_s_default_is_the_consumer_s(tmp_path) -> None:
    (launch,) = _lint(tmp_path, "#!/bin/bash\nexec python manage.py run_huey -w 2\n").project.launches
    assert launch.app_key is not None and launch.app_key.value == "django:shop/settings/base.py"


@pytest.mark.parametrize("line", [
    "DJANGO_SETTINGS_MODULE=shop.settings.prod exec python manage.py run_huey -w 2",
    "SETTINGS=prod\nDJANGO_SETTINGS_MODULE=\"shop.settings.$SETTINGS\" python manage.py run_huey -w 2",
    "DJANGO_SETTINGS_MODULE='shop.settings.prod' exec python manage.py run_huey -w 2",
])
def test_a_command_s_own_assignment_reaches_it(tmp_path, line: str) -> None:
    (launch,) = _lint(tmp_path, f"#!/bin/bash\n{line}\n").project.launches
    assert launch.environment["DJANGO_SETTINGS_MODULE"].value == "shop.settings.prod"
    assert launch.app_key is not None and launch.app_key.value == "django:shop/settings/prod.py"


@pytest.mark.parametrize("line, expected", [
    ("exec env DJANGO_SETTINGS_MODULE=shop.settings.prod python manage.py run_huey -w 2", "prod"),
    ("exec env -u X DJANGO_SETTINGS_MODULE=shop.settings.prod PYTHONUNBUFFERED=1 python manage.py run_huey", "prod"),
    ("export DJANGO_SETTINGS_MODULE=shop.settings.base\nexec env DJANGO_SETTINGS_MODULE=shop.settings.prod "
     "python manage.py run_huey", "prod"),
    ("exec env -u DJANGO_SETTINGS_MODULE python manage.py run_huey", None),
])
def test_env_launcher_assignments_reach_the_program(tmp_path, line: str, expected: str | None) -> None:
    (launch,) = _lint(tmp_path, f"#!/bin/bash\n{line}\n").project.launches
    found = launch.environment.get("DJANGO_SETTINGS_MODULE")
    assert (found.value if found is not None else None) == (f"shop.settings.{expected}" if expected else None)


@pytest.mark.parametrize("cmd, hop, passes", [
    ('["dotenv", "run", "--", "huey_consumer", "app.huey", "-w", "2"]', "dotenv run", True),
    ('["dotenv", "-f", "/app/.env.prod", "run", "--no-override", "huey_consumer", "app.huey"]', "dotenv run", True),
    # honcho run: Popen and wait, SIGINT ignored and nothing forwarded (honcho/command.py command_run)
    ('["honcho", "run", "huey_consumer", "app.huey"]', "honcho run", False),
    ('["honcho", "-e", "prod.env", "run", "--", "huey_consumer", "app.huey"]', "honcho run", False),
])
def test_env_file_runners_before_the_consumer(tmp_path, cmd: str, hop: str, passes: bool) -> None:
    write_tree(tmp_path, {"Dockerfile": f"FROM python:3.12\nWORKDIR /app\nCOPY . /app\nUSER app\nCMD {cmd}\n",
                          "app.py": "from huey import RedisHuey\nhuey = RedisHuey()\n",
                          "requirements.txt": "huey==2.5.3\n"})
    result = lint(tmp_path)
    (launch,) = result.project.launches
    (found,) = [h for h in launch.chain if h.name == hop]
    assert found.passes_signal is passes
    assert (("HL201", "Dockerfile", 5) in [(f.rule, f.loc.path, f.loc.line) for f in result.findings]) is not passes
