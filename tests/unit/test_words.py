"""hueylint.words: the one word splitter and the shell names every layer uses."""

from __future__ import annotations

import re

from hueylint.chain import Token, resolve
from hueylint.model import Loc
from hueylint.words import SCRIPT_SHEBANGS, SHEBANG_SHELLS, SHELLS, shell_words, split, split_with_spans

ORIGIN = Loc("deploy/huey.service", 7, 11)


def test_split_as_the_shell_and_at_whitespace_when_it_would_refuse() -> None:
    assert split("""huey_consumer "my app.huey" -w\\ 2 '# not a comment'""") == \
        ["huey_consumer", "my app.huey", "-w 2", "# not a comment"]
    assert shell_words("echo 'unterminated") is None
    assert split("echo 'unterminated x") == ["echo", "'unterminated", "x"]
    assert shell_words("[ -f /x ] # check", comments=True) == ["[", "-f", "/x", "]"]


def test_placeholders_stay_in_one_word() -> None:
    placeholder = re.compile(r"\{\{.*?\}\}")
    assert split("{{ venv }}/bin/huey_consumer {{ app | quote }}.huey", whole=placeholder) == \
        ["{{ venv }}/bin/huey_consumer", "{{ app | quote }}.huey"]
    assert [word for word, _start, _end in split_with_spans("{{ venv }}/bin/x 'a b' \"c\\\"d\"")] == \
        ["{{venv}}/bin/x", "a b", 'c"d']


def test_shell_names_and_the_shebang_only_ones() -> None:
    assert {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"} == SHELLS
    assert SHEBANG_SHELLS - SHELLS == {"busybox"}
    assert SCRIPT_SHEBANGS - SHELLS == {"with-contenv", "execlineb"}


def test_every_shell_runs_a_dash_c_string() -> None:
    for shell in sorted(SHELLS):
        [hit] = resolve([Token(shell, ORIGIN), Token("-c", ORIGIN), Token("exec huey_consumer app.huey", ORIGIN)],
                        ORIGIN)
        assert (hit.program, [token.text for token in hit.args]) == ("huey_consumer", ["app.huey"])
