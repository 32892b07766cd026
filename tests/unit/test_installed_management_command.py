"""A Django management command named for huey that neither huey nor django-huey provides and the repository does not
define (a third-party app's `run_hueyx`): a notice naming it, never silence; not a finding, no launch."""

from __future__ import annotations

import pytest

from tests.helpers import lint, write_tree

MANAGE = ("import os, sys\nif __name__ == '__main__':\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n"
          "    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n")
FLASK = ("import click\nfrom app import create_app\n\n@click.group()\ndef cli():\n    pass\n\n"
         "@cli.command('huey_stats')\ndef huey_stats():\n    print(create_app())\n\nif __name__ == '__main__':\n    cli()\n")


def _unit(exec_start: str) -> str:
    return f"[Service]\nUser=app\nType=exec\nWorkingDirectory=/srv/app\nExecStart={exec_start}\nRestart=on-failure\n"


def _notices(tmp_path, files):
    write_tree(tmp_path, files)
    result = lint(tmp_path)
    assert [f.rule for f in result.findings] == []
    return [(notice.rel, notice.reason) for notice in result.notices]


@pytest.mark.parametrize(("exec_start", "shown"), [
    ("/srv/venv/bin/python manage.py run_hueyx --workers 4", "manage.py run_hueyx --workers 4"),
    ("/srv/venv/bin/python manage.py --settings=site.prod huey_worker -q mail", "manage.py huey_worker -q mail"),
    ("/srv/venv/bin/django-admin run_hueyx", "django-admin run_hueyx"),
    ("/srv/venv/bin/python -m django run_hueyx", "python -m django run_hueyx"),
])
def test_an_installed_command_named_for_huey_gets_a_notice(tmp_path, exec_start, shown):
    name = shown.split()[1] if not shown.startswith("python -m") else "run_hueyx"
    assert _notices(tmp_path, {"manage.py": MANAGE, "worker.service": _unit(exec_start)}) == [(
        "worker.service",
        f"line 5: runs `{shown}`, the management command `{name}`, which neither huey (`run_huey`) nor django-huey "
        f"(`djangohuey`) provides and no app of this repository defines (no `management/commands/{name}.py`): a "
        "command of an installed package, not read, so whether it starts a consumer, and its options, were not "
        "checked: no consumer launch")]


def test_a_unit_named_for_huey_gets_that_notice_only(tmp_path):
    """The unit's name would have given "named for huey, but runs ...": the one notice says more."""
    notices = _notices(tmp_path, {"manage.py": MANAGE, "huey.service": _unit("/srv/venv/bin/python manage.py run_hueyx")})
    assert [(rel, reason.split(",")[0]) for rel, reason in notices] == [
        ("huey.service", "line 5: runs `manage.py run_hueyx`")]


@pytest.mark.parametrize(("files", "exec_start"), [
    ({}, "/srv/venv/bin/python manage.py create_huey_tables"),  # huey's own (3.5.4 djhuey), no consumer
    ({}, "/srv/venv/bin/python manage.py migrate"),  # not named for huey
    # the project's own command: the app layer read it, and it starts no consumer
    ({"site/management/commands/run_hueyx.py": "from django.core.management.base import BaseCommand\n"
      "class Command(BaseCommand):\n    def handle(self, **o):\n        print('huey')\n"},
     "/srv/venv/bin/python manage.py run_hueyx"),
    ({"manage.py": FLASK, "app.py": "def create_app():\n    return 1\n"},  # a click program: no management command
     "/srv/venv/bin/python manage.py huey_stats"),
])
def test_quiet_where_the_command_is_known(tmp_path, files, exec_start):
    assert _notices(tmp_path, {"manage.py": MANAGE, **files, "worker.service": _unit(exec_start)}) == []
