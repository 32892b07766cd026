"""HL201's `exec` fix for a consumer that is the last command on its path but not the script's last line: a
`case` arm (also written on one line, `worker) huey_consumer ... ;;`), an `if` branch, a function called last,
a command whose arguments come from the launch (`--queue "$2"`).  Before, the fix was offered only when no line
followed the command, so the usual entrypoint (`case "$1" in worker) ... ;; *) exec "$@" ;; esac`) got none."""

from __future__ import annotations

import json

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


SERVICE = "services:\n  huey:\n    image: shop:1\n    restart: always\n    stop_signal: SIGINT\n"
SCALAR_CASES = [
    # literal block (ciso-assistant-community's compose files and templates): before, the consumer was placed at
    # the `|` and `exec` landed before the list item's dash (`exec - |`); the fix was then withheld
    ("    entrypoint:\n      - /bin/sh\n      - -c\n      - |\n        python manage.py run_huey -w 2\n",
     "    entrypoint:\n      - /bin/sh\n      - -c\n      - |\n        exec python manage.py run_huey -w 2\n",
     "docker-compose.yml:10:9"),
    # folded: the value is one line, `cd /srv && python ...`; `exec` after the `&&` of the line above
    ("    entrypoint:\n      - /bin/sh\n      - -c\n      - >-\n        cd /srv &&\n        python manage.py run_huey\n",
     "    entrypoint:\n      - /bin/sh\n      - -c\n      - >-\n        cd /srv &&\n        exec python manage.py run_huey\n",
     "docker-compose.yml:11:9"),
    # folded after a launcher: `nice python ...` is one command, `exec` goes before `nice`, on the line above
    ("    entrypoint:\n      - /bin/sh\n      - -c\n      - >\n        nice\n        python manage.py run_huey\n",
     "    entrypoint:\n      - /bin/sh\n      - -c\n      - >\n        exec nice\n        python manage.py run_huey\n",
     "docker-compose.yml:10:9"),
    # a plain scalar and a double-quoted one (with an escape) continued on the next line
    ("    entrypoint:\n      - /bin/sh\n      - -c\n      - cd /srv;\n        python manage.py run_huey\n",
     "    entrypoint:\n      - /bin/sh\n      - -c\n      - cd /srv;\n        exec python manage.py run_huey\n",
     "docker-compose.yml:10:9"),
    ('    entrypoint: ["/bin/sh", "-c", "cd \\"/srv\\";\n      python manage.py run_huey"]\n',
     '    entrypoint: ["/bin/sh", "-c", "cd \\"/srv\\";\n      exec python manage.py run_huey"]\n',
     "docker-compose.yml:7:7"),
    # a compose command string folded over two lines, its `sh -c` string in shell quotes
    ('    command: >\n      sh -c "cd /srv &&\n      python manage.py run_huey"\n',
     '    command: >\n      sh -c "cd /srv &&\n      exec python manage.py run_huey"\n',
     "docker-compose.yml:8:7"),
    # compose's `$$` (a literal `$`) before the consumer: its words keep their places (before: placed at the `|`,
    # no fix), a `$` made of `$$` spanning both characters
    ("    entrypoint:\n      - /bin/sh\n      - -c\n      - |\n        cd $$HOME/srv && python manage.py run_huey\n",
     "    entrypoint:\n      - /bin/sh\n      - -c\n      - |\n        cd $$HOME/srv && exec python manage.py run_huey\n",
     "docker-compose.yml:10:26"),
    ("    command: sh -c 'cd $$HOME &&\n      python manage.py run_huey'\n",
     "    command: sh -c 'cd $$HOME &&\n      exec python manage.py run_huey'\n",
     "docker-compose.yml:7:7"),
]


@pytest.mark.parametrize(("command", "fixed", "place"), SCALAR_CASES)
def test_exec_fix_inside_a_yaml_string_over_several_lines(git_repo, capsys, command, fixed, place):
    """The consumer written in a YAML string over several lines is placed at its own line and column (the
    related location says so), and `exec` is written where it lands in the string's value, the script the shell
    runs: the file stays YAML, the value is the script with `exec` before the command; a second run has
    nothing to fix."""
    write_tree(git_repo, {"docker-compose.yml": SERVICE + command})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--select", "HL201", "--output-format", "json")
    assert code == 1
    related = json.loads(out)["findings"][0]["related"][-1]
    assert related["message"].startswith("started without exec")
    assert f"{related['path']}:{related['line']}:{related['column']}" == place
    assert run_cli(capsys, "check", "--no-cache", "--select", "HL201", "--fix")[0] == 0
    assert (git_repo / "docker-compose.yml").read_text() == SERVICE + fixed
    assert run_cli(capsys, "check", "--no-cache", "--select", "HL201", "--fix")[0] == 0
    assert (git_repo / "docker-compose.yml").read_text() == SERVICE + fixed


def test_no_exec_fix_where_a_yaml_string_line_continues_the_one_above(git_repo, capsys):
    """A literal block whose consumer line continues a shell line ending in `\\` (`nice \\`): the command
    starts on the line above, `exec` at the consumer's line would run `nice \\ exec python`: no fix."""
    compose = SERVICE + ("    entrypoint:\n      - /bin/sh\n      - -c\n      - |\n        nice \\\n"
                         "        python manage.py run_huey -w 2\n")
    write_tree(git_repo, {"docker-compose.yml": compose})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--select", "HL201", "--output-format", "concise")
    assert (code, out.splitlines()[0].split(" [")[0]) == (1, "docker-compose.yml:7:9: HL201")
    assert "fixable" not in out
    assert run_cli(capsys, "check", "--no-cache", "--select", "HL201", "--fix")[0] == 1
    assert (git_repo / "docker-compose.yml").read_text() == compose


def test_no_exec_fix_in_a_block_scalar_of_a_template_that_is_no_yaml(git_repo, capsys):
    """A Helm template that reads neither as YAML nor as a template of it (an `{{- if }}` line between keys):
    where its strings start and end is not known, so a consumer on a line of its own (maybe a folded string's)
    gets no `exec`; a `-c` string on one line, quoted, still does."""
    template = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\n{{- if .Values.on }}\nspec:\n"
                "  template:\n    spec:\n      containers:\n        - name: w\n          image: shop:1\n"
                "          command:\n            - sh\n            - -c\n            - |\n              cd /srv\n"
                "              python manage.py run_huey -w 2\n        - name: v\n          image: shop:1\n"
                '          args: ["sh", "-c", "cd /srv && python manage.py run_huey -w 2"]\n{{- end }}\n')
    write_tree(git_repo, {"chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
                          "chart/values.yaml": "on: true\n", "chart/templates/w.yaml": template})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--select", "HL201", "--output-format", "concise")
    assert [line.split(" [")[0] for line in out.splitlines() if " HL" in line] == [
        "chart/templates/w.yaml:13:15: HL201", "chart/templates/w.yaml:20:42: HL201"]
    assert run_cli(capsys, "check", "--no-cache", "--select", "HL201", "--fix")[0] == 1
    assert (git_repo / "chart/templates/w.yaml").read_text() == template.replace(
        "cd /srv && python", "cd /srv && exec python")
