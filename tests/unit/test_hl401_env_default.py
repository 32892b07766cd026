"""HL401 on an ``immediate`` read from the environment: its message says what the value is while the variable is
unset, from the default written in the read (field test: gustavop-dev/projectapp, ``immediate=not IS_PRODUCTION``
with ``DJANGO_ENV`` defaulting to ``'development'``: immediate mode is on wherever the variable is not set)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

SERVICE = """[Service]
WorkingDirectory=/srv/app
ExecStart=/srv/app/venv/bin/huey_consumer my_app.main.huey -g TERM -t 50
ExecReload=/bin/kill -HUP $MAINPID
TimeoutStopSec=60
Restart=on-failure
Type=exec
"""
ON = "and true while it is unset ("
OFF = "and false while it is unset ("


def hl401(tmp_path: Path, head: str, immediate: str) -> list[tuple[int, str]]:
    write_tree(tmp_path, {
        "huey.service": SERVICE, "my_app/__init__.py": "",
        "my_app/main.py": f"import os\nfrom huey import RedisHuey\n{head}\n"
                          f"huey = RedisHuey('my_app', immediate={immediate})\n",
    })
    return [(f.loc.line, f.message) for f in lint(tmp_path).findings if f.rule == "HL401"]


@pytest.mark.parametrize(("head", "immediate", "said"), [
    # the standard library: the default is the value while unset
    ("", 'os.environ.get("APP_ENV", "development") != "production"',
     'environment variable `APP_ENV` and true while it is unset (its default `"development"` makes it so): '
     "wherever `APP_ENV` is not set (the repository sets it for none of: systemd `huey.service` (huey.service:3)), tasks run inline"),
    ('IS_PRODUCTION = os.getenv("APP_ENV", "dev").lower() == "prod"', "not IS_PRODUCTION", ON),
    ("", 'os.getenv("HUEY_IMMEDIATE") == "1"', f"{OFF}no default: `None`): with a true value tasks run inline"),
    ("", 'os.environ.get("APP_ENV", "prod") in ("dev", "test")', OFF),
    # django-environ: the default is returned as written
    ("import environ\nenv = environ.Env()", 'env.bool("HUEY_IMMEDIATE", default=True)', ON),
    ("import environ\nenv = environ.Env()", 'env.bool("HUEY_IMMEDIATE", default=False)', OFF),
    ("import environ\nenv = environ.Env()", 'env("HUEY_IMMEDIATE", default=0)', OFF),
    # python-decouple: cast=bool applies to the default, by decouple's words
    ("from decouple import config", 'config("HUEY_IMMEDIATE", default="true", cast=bool)', ON),
    ("from decouple import config", 'config("HUEY_IMMEDIATE", default="off", cast=bool)', OFF),
    ("from decouple import config", 'config("HUEY_IMMEDIATE", False, cast=bool)', OFF),
    # the variable's text: true once set, and the string default "False" is true too
    ("", 'os.environ.get("HUEY_IMMEDIATE", "False")',
     "even to `False` or `0` (huey tests `if immediate`), and true while it is unset too (its default `\"False\"`"),
])
def test_the_message_says_what_the_default_makes_it(tmp_path: Path, head: str, immediate: str, said: str) -> None:
    [(line, message)] = hl401(tmp_path, head, immediate)
    assert line == 4 + head.count("\n")
    assert said in message
    if "true while it is unset" in said:
        assert "(and give the variable a default that turns it off)" in message
    else:
        assert "wherever" not in message and "default that turns it off" not in message


@pytest.mark.parametrize(("head", "immediate"), [
    ("", 'os.environ["APP_ENV"] != "production"'),  # KeyError while unset: no value
    ("import environ\nenv = environ.Env(HUEY_IMMEDIATE=(bool, True))", 'env.bool("HUEY_IMMEDIATE")'),  # schema
    ("from decouple import config", 'config("HUEY_IMMEDIATE", cast=bool)'),  # UndefinedValueError while unset
    ("from decouple import config", 'config("HUEY_IMMEDIATE", default="maybe", cast=bool)'),  # ValueError
])
def test_an_unknown_unset_value_keeps_the_plain_message(tmp_path: Path, head: str, immediate: str) -> None:
    [(_line, message)] = hl401(tmp_path, head, immediate)
    assert "while it is unset" not in message and "with a true value tasks run inline" in message


def test_assignment_and_settings_dict_forms(tmp_path: Path) -> None:
    write_tree(tmp_path / "a", {
        "huey.service": SERVICE, "my_app/__init__.py": "",
        "my_app/main.py": "import os\nfrom huey import RedisHuey\nhuey = RedisHuey('my_app')\n"
                          "huey.immediate = os.environ.get('STAGE', 'local') == 'local'\n",
    })
    [message] = [f.message for f in lint(tmp_path / "a").findings if f.rule == "HL401"]
    assert message.startswith("`huey.immediate` is read from environment variable `STAGE` and true while it is "
                              "unset (its default `'local'` makes it so): wherever `STAGE` is not set (the repository sets it for none of: systemd `huey.service` "
                                  "(huey.service:3)), tasks run")
    write_tree(tmp_path / "b", {
        "huey.service": SERVICE.replace("huey_consumer my_app.main.huey", "python manage.py run_huey"),
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n",
        "site_cfg/__init__.py": "",
        "site_cfg/settings.py": "from decouple import config\nINSTALLED_APPS = ['huey.contrib.djhuey']\n"
                                "HUEY = {'name': 's', 'immediate': config('EAGER', default=True, cast=bool)}\n",
    })
    [message] = [f.message for f in lint(tmp_path / "b").findings if f.rule == "HL401"]
    assert message.startswith("`HUEY['immediate']` is read from environment variable `EAGER` and true while it is "
                              "unset (its default `True` makes it so): wherever `EAGER` is not set (the repository sets it for none of: systemd "
                              "`huey.service` (huey.service:3)), tasks run inline and `run_huey` refuses to start")


def test_several_variables_are_named_with_their_defaults(tmp_path: Path) -> None:
    """A default that depends on another variable: the value holds while both are unset, and both are named."""
    [(_line, message)] = hl401(tmp_path, 'DEBUG = os.environ.get("APP_DEBUG", "1") == "1"',
                               'os.environ.get("INLINE", "1" if DEBUG else "") == "1"')
    assert "`INLINE` and true while `INLINE` and `APP_DEBUG` are unset (their defaults as written: " \
           '`"1" if DEBUG else ""`, `"1"`): wherever `INLINE` and `APP_DEBUG` are not set (the repository sets them for none of: systemd `huey.service` (huey.service:3)), tasks ' \
           'run inline' in message
