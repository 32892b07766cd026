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
