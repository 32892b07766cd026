"""A shell that reads its commands from its standard input (``bash -s``, or no operand) given a here-document or a
here-string (field test: PurplShip/purplship-server's ``bash -c "bash -s <<EOF ... EOF"`` compose entrypoint):
the document is the shell's script (bash(1) INVOCATION)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.chain import Token, resolve
from hueylint.locations import Loc
from hueylint.shell import parse_script
from tests.helpers import git_init, lint, write_tree

ORIGIN = Loc("start.sh", 1, 1)


def stdin_of(source: str) -> list[tuple[str, str | None, int | None]]:
    """(command name, its standard input's text, the text's first line) of each command of ``source``."""
    parsed = parse_script(source)
    return [(c.name, c.stdin.text if c.stdin else None, c.stdin.line if c.stdin else None) for c in parsed.commands]


def test_a_here_document_or_here_string_is_the_commands_standard_input() -> None:
    assert stdin_of("cd /srv && bash -s <<EOF\nexec huey_consumer app.huey\nEOF\nsh <<< 'echo x'\necho done\n") == [
        ("cd", "exec huey_consumer app.huey\n", 2), ("bash", "exec huey_consumer app.huey\n", 2),
        ("sh", "echo x", 4), ("echo", None, None)]


@pytest.mark.parametrize("code, wrappers", [
    # the document's last command execs the consumer, the shell is exec'd: nothing in between
    ("exec bash -s <<'EOF'\nexec huey_consumer app.huey\nEOF\n", []),
    # no operand: stdin is the script too; `-e -s` with positional parameters after it
    ("exec sh <<EOF\nexec huey_consumer app.huey\nEOF\n", []),
    ("exec bash -e -s worker <<EOF\nexec huey_consumer app.huey\nEOF\n", []),
    # a here-string
    ("exec sh -s <<< 'exec huey_consumer app.huey'\n", []),
    # the document runs the consumer without exec: the shell reading it stays
    ("exec bash -s <<EOF\ncd /srv\nhuey_consumer app.huey\nEOF\n", [("stays", "`bash -s`")]),
])
def test_a_shell_reading_a_here_document_runs_it(code: str, wrappers: list) -> None:
    hits = resolve([Token("sh", ORIGIN), Token("-c", ORIGIN), Token(code, ORIGIN)], ORIGIN)
    assert [hit.program for hit in hits] == ["huey_consumer"]
    assert [(w.kind, w.shell) for w in hits[0].wrappers] == wrappers


def test_a_shell_with_a_script_operand_does_not_read_its_standard_input() -> None:
    """`bash run.sh <<EOF`: the here-document is run.sh's input, not bash's commands."""
    hits = resolve([Token("sh", ORIGIN), Token("-c", ORIGIN),
                    Token("exec bash run.sh <<EOF\nexec huey_consumer app.huey\nEOF\n", ORIGIN)], ORIGIN)
    assert hits == [] or all(hit.program != "huey_consumer" for hit in hits)


def test_the_compose_entrypoint_runs_its_here_document(tmp_path: Path) -> None:
    compose = ("services:\n  worker:\n    build: .\n    restart: always\n    stop_grace_period: 30s\n    entrypoint: |\n"
               "      bash -c \"bash -s <<EOF\n      cd /app &&\n      huey_consumer app.huey -g TERM -t 25\n      EOF\"\n")
    write_tree(tmp_path, {"compose.yaml": compose, "Dockerfile": "FROM python:3.12\nRUN pip install huey==3.5.4\n"
                          "USER 1000\nCOPY . /app\n", "app.py": "from huey import RedisHuey\n"
                          "huey = RedisHuey('app', host='127.0.0.1', results=False)\n"})
    git_init(tmp_path)
    result = lint(tmp_path)
    assert [" > ".join(hop.name for hop in launch.chain) for launch in result.project.launches] == \
        ["compose > bash -c > bash -s"]
    # the consumer is placed where the here-document writes it (line 9), the shells where they are: one finding
    # for the two shells of line 7 (nested-shells-one-line), `bash -s` and the consumer related
    assert [(f.rule, f.loc.line, [(r.loc.line) for r in f.related]) for f in result.findings if f.rule == "HL201"] == \
        [("HL201", 7, [7, 9])]
