"""A ``manage.py`` that is no Django command line but the project's own program (click, argparse), field test
blockpy-edu/blockpy-server: ``python manage.py huey`` runs the consumer its ``huey`` sub-command builds; the
other sub-commands, and a Django manage.py's commands, are no consumer launches."""

from __future__ import annotations

import pytest

from tests.helpers import lint, write_tree

QUEUE = "from huey import RedisHuey\nhuey = RedisHuey('a', host='redis')\n"
CLICK = ("import click\nfrom queue_app import huey\n\n@click.group()\ndef cli():\n    pass\n\n"
         "@cli.command({name})\ndef {function}():\n    huey.create_consumer().run()\n\n"
         "@cli.command()\ndef seed():\n    pass\n\nif __name__ == '__main__':\n    cli()\n")
ARGPARSE = ("import argparse\nfrom queue_app import huey\n\nparser = argparse.ArgumentParser()\n"
            "parser.add_argument('command')\nargs = parser.parse_args()\nif args.command == 'worker':\n"
            "    huey.create_consumer().run()\n")
DJANGO = ("import os, sys\nif __name__ == '__main__':\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 's.settings')\n"
          "    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n")


def _launches(tmp_path, manage: str, command: str):
    write_tree(tmp_path, {"manage.py": manage, "queue_app.py": QUEUE, "requirements.txt": "huey==3.5.4\n",
                          "Procfile": f"worker: {command}\n"})
    return lint(tmp_path).project.launches


@pytest.mark.parametrize(("manage", "command", "program"), [
    (CLICK.format(name="'huey'", function="run_worker"), "python manage.py huey", "script"),  # the name given
    (CLICK.format(name="", function="worker"), "python manage.py worker", "script"),  # the function's name
    (CLICK.format(name="'huey'", function="run_worker"), "./manage.py huey", "script"),  # run by its `#!` line
    (ARGPARSE, "python3 manage.py worker", "script"),  # a branch testing the word
])
def test_the_selected_sub_command_runs_the_consumer(tmp_path, manage, command, program):
    assert [launch.program for launch in _launches(tmp_path, manage, command)] == [program]


@pytest.mark.parametrize(("manage", "command"), [
    (CLICK.format(name="'huey'", function="run_worker"), "python manage.py seed"),  # another sub-command
    (CLICK.format(name="'huey'", function="run_worker"), "python manage.py"),  # none: click prints its help
    (ARGPARSE, "python manage.py web"),
    (DJANGO, "python manage.py migrate"),  # Django's own command line, no consumer command named
])
def test_other_command_lines_are_no_consumer_launch(tmp_path, manage, command):
    assert _launches(tmp_path, manage, command) == []
