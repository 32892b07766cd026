"""systemd substitutes the unit's environment in ``ExecStart=`` (systemd.service(5), "Command lines"): ``$NAME``
as a word of its own is split at whitespace into zero or more words, ``${NAME}`` anywhere in a word is replaced by
the exact value (one word, whitespace kept), ``$$`` is a dollar; a variable whose value is not known here stays
unknown (fixture systemd-exec-environment); a template unit's instance name (``%i``) is set per instance
(fixture systemd-template-instance-option)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.chain import Token
from hueylint.locations import Loc
from hueylint.model import Val
from hueylint.platforms.systemd import expand_exec_tokens
from tests.helpers import lint, write_tree

AT = Loc("x.service", 3, 11)


def _words(line: str, env: dict[str, str | None]) -> list[str]:
    tokens = [Token(word, AT) for word in line.split()]
    known = {name: (Val(value, AT) if value is not None else Val.unknown_at(AT, f"env:{name}"))
             for name, value in env.items()}
    return [token.text for token in expand_exec_tokens(tokens, known)]


@pytest.mark.parametrize("line, env, words", [
    ("huey_consumer app.huey $OPTS", {"OPTS": "-w 4 -k process"}, ["huey_consumer", "app.huey", "-w", "4", "-k", "process"]),
    ("huey_consumer app.huey ${OPTS}", {"OPTS": "-w 4 -k process"}, ["huey_consumer", "app.huey", "-w 4 -k process"]),
    ("huey_consumer ${APP}.huey -w ${W}", {"APP": "shop", "W": "2"}, ["huey_consumer", "shop.huey", "-w", "2"]),
    ("huey_consumer app.huey $OPTS", {"OPTS": ""}, ["huey_consumer", "app.huey"]),  # zero words
    ("huey_consumer app.huey $OPTS", {"OPTS": "-l '/var/log/my huey.log'"}, ["huey_consumer", "app.huey", "-l",
                                                                           "/var/log/my huey.log"]),
    ("huey_consumer app.huey $OPTS", {}, ["huey_consumer", "app.huey", "$OPTS"]),  # not set here: unknown
    ("huey_consumer app.huey ${OPTS}", {"OPTS": None}, ["huey_consumer", "app.huey", "${OPTS}"]),  # value unknown
    ("huey_consumer ${APP}.${ATTR}", {"APP": "shop"}, ["huey_consumer", "${APP}.${ATTR}"]),  # one unknown: kept
    ("huey_consumer app.huey -l /tmp/$$x a$OPTS", {"OPTS": "-n"}, ["huey_consumer", "app.huey", "-l", "/tmp/$x",
                                                                    "a$OPTS"]),  # $NAME inside a word: as written
])
def test_words_as_systemd_substitutes_them(line: str, env: dict[str, str | None], words: list[str]) -> None:
    assert _words(line, env) == words


def test_expanded_words_keep_the_position_of_their_word() -> None:
    word = Token("$OPTS", Loc("x.service", 3, 40, 3, 45))
    assert {token.loc for token in expand_exec_tokens([word], {"OPTS": Val("-w 2", AT)})} == {word.loc}


UNIT = """[Service]
Type=exec
User=app
{env}
ExecStart=/srv/venv/bin/huey_consumer {args} -g TERM -t 80
ExecReload=/bin/kill -HUP $MAINPID
Restart=always
"""
APP = {"requirements.txt": "huey==3.5.4\n", "app/__init__.py": "",
       "app/q.py": "from huey import RedisHuey\nhuey = RedisHuey('a', host='127.0.0.1')\n"}


def test_the_app_and_options_of_the_unit_environment_are_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {**APP, "w.service": UNIT.format(env='Environment=APP=app.q.huey "OPTS=-w 3 -f"',
                                                          args="${APP} $OPTS")})
    (launch,) = lint(tmp_path).project.launches
    assert (launch.app.value, launch.options["workers"].value, launch.options["flush_locks"].value) == \
        ("app.q.huey", 3, True)


def test_an_environment_file_of_the_repository_is_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {**APP, "deploy/huey.env": "HUEY_OPTS=-w 5\n",
                          "deploy/w.service": UNIT.format(env="EnvironmentFile=/srv/app/deploy/huey.env",
                                                          args="app.q.huey $HUEY_OPTS")})
    (launch,) = lint(tmp_path).project.launches
    assert launch.options["workers"].value == 5


def test_braced_options_are_one_argument_huey_refuses(tmp_path: Path) -> None:
    write_tree(tmp_path, {**APP, "w.service": UNIT.format(env='Environment="OPTS=-w 3 -f"', args="app.q.huey ${OPTS}")})
    result = lint(tmp_path)
    assert [(f.rule, f.loc.line, f.loc.col, f.message) for f in result.findings] == [
        ("HL002", 5, 50, "huey would refuse this command line: option -w: invalid integer value: ' 3 -f'. Fix: give `-w` a "
         "number")]


def test_a_variable_set_elsewhere_stays_unknown(tmp_path: Path) -> None:
    write_tree(tmp_path, {**APP, "w.service": UNIT.format(env="EnvironmentFile=-/etc/default/huey",
                                                          args="app.q.huey $HUEY_OPTS")})
    (launch,) = lint(tmp_path).project.launches
    assert not launch.options["workers"].known


@pytest.mark.parametrize("args, workers", [
    ("app.q.huey -w %i", None),  # each instance's name: unknown here, never refused
    ("app.q.huey --workers=%I", None),
    ("app.q.huey -w %%i", "refused"),  # `%%` is a literal percent sign: huey gets `%i`
    ("app.q.huey -w 4", 4),
])
def test_a_template_instance_name_is_set_per_instance(tmp_path: Path, args: str, workers: object) -> None:
    write_tree(tmp_path, {**APP, "w@.service": UNIT.format(env="", args=args)})
    result = lint(tmp_path)
    (launch,) = result.project.launches
    if workers == "refused":
        assert [f.rule for f in result.findings if f.rule == "HL002"] == ["HL002"]
        return
    assert [f.rule for f in result.findings if f.rule == "HL002"] == []
    assert launch.options["workers"].value == workers


def test_a_plain_unit_has_no_instance_name(tmp_path: Path) -> None:
    """``%i`` is empty outside a template (systemd.unit(5)): `-w` gets no number, huey refuses it."""
    write_tree(tmp_path, {**APP, "w.service": UNIT.format(env="", args="app.q.huey -w %i")})
    assert [f.rule for f in lint(tmp_path).findings if f.rule == "HL002"] == ["HL002"]
