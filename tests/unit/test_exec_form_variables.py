"""Docker substitutes no variable in a Dockerfile exec form (JSON) ``CMD``/``ENTRYPOINT``: a ``$NAME`` word there
reaches the consumer as that text (HL002), also through an entrypoint's ``exec "$@"``; a shell form, a ``sh -c``
string and a compose ``command:`` (compose interpolates its file) are not such words (fixture
dockerfile-exec-form-variable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.checks.hl002_invalid_consumer_options import MESSAGES
from tests.helpers import lint, write_tree

APP = {"requirements.txt": "huey==3.5.4\n", "app/__init__.py": "",
       "app/q.py": "from huey import RedisHuey\nhuey = RedisHuey('a', host='127.0.0.1')\n"}
HEAD = "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nENV W=4 APP=app.q.huey\nUSER app\nSTOPSIGNAL SIGINT\n"


def _hl002(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int, int, str]]:
    write_tree(tmp_path, {**APP, **files})
    return [(f.loc.path or "", f.loc.line, f.loc.col, f.message) for f in lint(tmp_path).findings if f.rule == "HL002"]


@pytest.mark.parametrize("command, word", [
    ('CMD ["huey_consumer", "app.q.huey", "-w", "$W"]', "$W"),
    ('CMD ["huey_consumer", "app.q.huey", "--workers=${W}"]', "--workers=${W}"),
    ('CMD ["huey_consumer", "${APP}", "-w", "2"]', "${APP}"),
    ('ENTRYPOINT ["python", "manage.py", "run_huey", "-w", "$W"]', "$W"),
])
def test_a_variable_in_an_exec_form_reaches_huey_as_written(tmp_path: Path, command: str, word: str) -> None:
    col = command.index(f'"{word}"') + 2  # the word, inside its quotes
    assert _hl002(tmp_path, {"Dockerfile": HEAD + command + "\n"}) == \
        [("Dockerfile", 7, col, MESSAGES["exec-form-variable"].format(option=word))]


def test_passed_on_by_exec_dollar_at_it_is_still_as_written(tmp_path: Path) -> None:
    found = _hl002(tmp_path, {"entrypoint.sh": "#!/bin/sh\nset -e\nexec \"$@\"\n",
                              "Dockerfile": HEAD + 'ENTRYPOINT ["/srv/entrypoint.sh"]\n'
                                                   'CMD ["huey_consumer", "app.q.huey", "-w", "$W"]\n'})
    assert [(path, line) for path, line, _col, _message in found] == [("Dockerfile", 8)]


@pytest.mark.parametrize("files", [
    {"Dockerfile": HEAD + "CMD exec huey_consumer app.q.huey -w $W\n"},  # shell form: /bin/sh substitutes it
    {"Dockerfile": HEAD + 'CMD ["sh", "-c", "exec huey_consumer app.q.huey -w $W"]\n'},
    {"Dockerfile": HEAD, "compose.yaml": "services:\n  w:\n    build: .\n"
                                         "    command: [\"huey_consumer\", \"app.q.huey\", \"-w\", \"$W\"]\n"},
    {"Dockerfile": HEAD + 'CMD ["huey_consumer", "app.q.huey", "-w", "4"]\n'},
])
def test_words_a_shell_or_compose_substitutes_are_not_said(tmp_path: Path, files: dict[str, str]) -> None:
    assert _hl002(tmp_path, files) == []
