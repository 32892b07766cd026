"""HL201's `exec` fix for a consumer that is the last command on its path but not the script's last line: a
`case` arm (also written on one line, `worker) huey_consumer ... ;;`), an `if` branch, a function called last,
a command whose arguments come from the launch (`--queue "$2"`).  Before, the fix was offered only when no line
followed the command, so the usual entrypoint (`case "$1" in worker) ... ;; *) exec "$@" ;; esac`) got none."""

from __future__ import annotations

import pytest

from tests.helpers import write_tree
from tests.test_cli import run_cli

DOCKERFILE = ('FROM python:3.12\nRUN pip install huey==3.5.0\nUSER app\nSTOPSIGNAL SIGINT\nCOPY start.sh /start.sh\n'
              'ENTRYPOINT ["/start.sh"]\nCMD ["worker", "emails"]\n')
CASES = [
    ('case "$1" in\n  worker)\n    huey_consumer app.huey -w 2\n    ;;\n  *)\n    exec "$@"\n    ;;\nesac\n',
     'case "$1" in\n  worker)\n    exec huey_consumer app.huey -w 2\n    ;;\n  *)\n    exec "$@"\n    ;;\nesac\n'),
    ('case "$1" in\n  worker) cd /srv && huey_consumer app.huey -w 2 ;;  # the worker\n  *) exec "$@" ;;\nesac\n',
     'case "$1" in\n  worker) cd /srv && exec huey_consumer app.huey -w 2 ;;  # the worker\n  *) exec "$@" ;;\nesac\n'),
    ('case "$1" in\n  (worker) huey_consumer app.huey --queue "$2" ;;\nesac\n',
     'case "$1" in\n  (worker) exec huey_consumer app.huey --queue "$2" ;;\nesac\n'),
    ('if [ "$1" = worker ]; then\n  huey_consumer app.huey -w 2\nelse\n  exec "$@"\nfi\n',
     'if [ "$1" = worker ]; then\n  exec huey_consumer app.huey -w 2\nelse\n  exec "$@"\nfi\n'),
    ('run() {\n  huey_consumer app.huey -w 2\n}\nrun\n', 'run() {\n  exec huey_consumer app.huey -w 2\n}\nrun\n'),
]


@pytest.mark.parametrize(("script", "fixed"), CASES)
def test_exec_added_where_the_consumer_is_last_on_its_path(git_repo, capsys, script, fixed):
    write_tree(git_repo, {"Dockerfile": DOCKERFILE, "start.sh": "#!/bin/sh\n" + script})
    assert run_cli(capsys, "check", "--no-cache", "--select", "HL201", "--fix")[0] == 0
    assert (git_repo / "start.sh").read_text() == "#!/bin/sh\n" + fixed
    assert run_cli(capsys, "check", "--no-cache", "--select", "HL201", "--fix")[:2] == (
        0, "All checks passed! (2 files checked)\n")  # idempotent: nothing left, nothing changed
    assert (git_repo / "start.sh").read_text() == "#!/bin/sh\n" + fixed


@pytest.mark.parametrize("script", [
    'run() {\n  huey_consumer app.huey -w 2\n}\nrun\necho stopped\n',  # not last: the shell runs echo after it
    'case "$1" in\n  worker|w) huey_consumer app.huey -w 2 ;;\nesac\n',  # a pattern with `|`: not rewritten
    'if [ "$1" = worker ]; then huey_consumer app.huey -w 2; fi\n',  # after `then` on the line: not rewritten
])
def test_no_exec_fix_where_it_is_not_proven_or_not_placed_safely(git_repo, capsys, script):
    write_tree(git_repo, {"Dockerfile": DOCKERFILE, "start.sh": "#!/bin/sh\n" + script})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--select", "HL201", "--output-format", "concise")
    assert code == 1 and "HL201 [error]" in out and "fixable" not in out


def test_no_exec_fix_at_a_yaml_block_scalar_indicator(git_repo, capsys):
    """A compose `sh -c` string written as a block scalar (`- |`, the command on the next line): the consumer's
    place is the `|`, so `exec` would land before the list item's dash (`exec - |`, a YAML file compose refuses):
    HL201 without a fix (field test: ciso-assistant-community's compose templates)."""
    compose = ("services:\n  huey:\n    image: shop:1\n    restart: always\n    stop_signal: SIGINT\n"
               "    entrypoint:\n      - /bin/sh\n      - -c\n      - |\n        python manage.py run_huey -w 2\n")
    write_tree(git_repo, {"docker-compose.yml": compose})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--select", "HL201", "--output-format", "concise")
    assert (code, out.splitlines()[0].split(" [")[0]) == (1, "docker-compose.yml:7:9: HL201")
    assert "fixable" not in out
    assert run_cli(capsys, "check", "--no-cache", "--select", "HL201", "--fix")[0] == 1
    assert (git_repo / "docker-compose.yml").read_text() == compose
