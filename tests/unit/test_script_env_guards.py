"""An entrypoint's tests of the variables the container gives it decide whether it runs a development server
(field test: deepseekcoder2/ayechef, ``case "$1" in web) if [ "$FLASK_DEBUG" = "1" ]; then exec flask run
--reload``, with ``FLASK_DEBUG=1`` in the compose service's ``environment:``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.script_lookup import DEV_SERVER, always_runs
from hueylint.sources import SourceFile

ENTRY = ('#!/bin/bash\ncase "$1" in\n  web)\n    if [ "$APP_DEBUG" = "1" ]; then\n'
         '      exec flask run --reload\n    fi\n    exec gunicorn app:app\n    ;;\n  *)\n    exec "$@"\n    ;;\nesac\n')


def served(text: str, args: list[str] | None, env: dict[str, str | None] | None) -> int | None:
    found = always_runs(SourceFile(Path("entrypoint.sh"), "entrypoint.sh", text), DEV_SERVER, args, env)
    return found.loc.line if found is not None else None


@pytest.mark.parametrize("args, env, expected", [
    (["web"], {"APP_DEBUG": "1"}, 5),
    (["web"], {"APP_DEBUG": "0"}, None),
    (["web"], {}, None),  # not set by the container (it may come from elsewhere): not known
    (["web"], {"APP_DEBUG": None}, None),  # set to a value not known
    (["worker"], {"APP_DEBUG": "1"}, None),  # the first argument chooses another branch
    (None, {"APP_DEBUG": "1"}, None),  # the arguments are not known: `case "$1"` decides nothing
])
def test_a_variable_the_container_sets_chooses_the_branch(args, env, expected) -> None:
    assert served(ENTRY, args, env) == expected


def test_a_variable_the_script_sets_itself_is_not_the_containers() -> None:
    script = ENTRY.replace('case "$1" in', 'APP_DEBUG=0\ncase "$1" in')
    assert served(script, ["web"], {"APP_DEBUG": "1"}) is None


@pytest.mark.parametrize("env, expected", [
    ({"APP_DEBUG": ""}, 5),  # `:-` takes the default for an empty value
    ({"APP_DEBUG": "0"}, None),
    ({}, None),  # unset or set elsewhere: not known
])
def test_a_default_is_expanded_as_bash_does(env, expected) -> None:
    assert served(ENTRY.replace('"$APP_DEBUG"', '"${APP_DEBUG:-1}"'), ["web"], env) == expected


@pytest.mark.parametrize("env, expected", [
    ({"STAGE": "production"}, None),  # the earlier `exec gunicorn` ends the script on that path
    ({"STAGE": "dev"}, 3),
])
def test_an_earlier_exec_the_environment_takes_ends_the_script(env, expected) -> None:
    script = '#!/bin/sh\n[ "$STAGE" = production ] && exec gunicorn app:app\nexec python manage.py runserver\n'
    assert served(script, [], env) == expected


@pytest.mark.parametrize("debug, expected", [("1", []), ("0", ["HL101", "HL102"])])
def test_a_compose_service_command_script_reads_the_services_variables(tmp_path: Path, debug: str,
                                                                        expected: list) -> None:
    """`command: ./start.sh web` with `DEBUG` in the service's `environment:`: the script's `if [ "$DEBUG" = 1 ]`
    branch runs `runserver` (a development stack: no platform findings), else gunicorn (production)."""
    from tests.helpers import git_init, lint, write_tree

    start = ('#!/bin/sh\ncase "$1" in\n  web)\n    if [ "$DEBUG" = 1 ]; then exec python manage.py runserver; fi\n'
             '    exec gunicorn app:app\n    ;;\nesac\n')
    compose = (f"services:\n  web:\n    build: .\n    command: ./start.sh web\n    environment:\n      DEBUG: '{debug}'\n"
               "  worker:\n    build: .\n    command: huey_consumer app.huey -t 5\n    restart: always\n")
    write_tree(tmp_path, {"start.sh": start, "compose.yaml": compose, "requirements.txt": "huey==3.5.4\n",
                          "Dockerfile": "FROM python:3.12\nUSER 1000\nCOPY . /app\n",
                          "app.py": "from huey import RedisHuey, signals\nhuey = RedisHuey('a', host='127.0.0.1', "
                                    "results=False)\n\n@huey.signal(signals.SIGNAL_INTERRUPTED)\n"
                                    "def again(signal, task, exc=None):\n    huey.enqueue(task)\n"})
    git_init(tmp_path)
    assert sorted(f.rule for f in lint(tmp_path).findings) == expected


@pytest.mark.parametrize("subject, value, expected", [
    ('"${APP_DEBUG,,}" = "true"', "True", 5),  # bash 4 case modification: every character lowered
    ('"${APP_DEBUG,,}" = "true"', "False", None),
    ('"${APP_DEBUG^^}" = "TRUE"', "true", 5),  # raised
    ('"${APP_DEBUG,}" = "true"', "True", 5),  # only the first character
    ('"${APP_DEBUG^}" = "True"', "true", 5),
    ('"${APP_DEBUG,}" = "true"', "TRUE", None),  # `tRUE`
])
def test_a_case_modified_variable_is_tested_as_bash_expands_it(subject, value, expected) -> None:
    """kobotoolbox/reports' ``run.sh``: ``if [ "${DEBUG,,}" == 'true' ]`` with ``DEBUG=True`` (field test)."""
    script = ENTRY.replace('"$APP_DEBUG" = "1"', subject)
    assert served(script, ["web"], {"APP_DEBUG": value}) == expected
