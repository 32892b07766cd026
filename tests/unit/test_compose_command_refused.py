"""A compose `command:`/`entrypoint:` string compose cannot split into words: compose-go's transformShellCommand
splits it with go-shellwords, which fails on a quote never closed or a trailing backslash ("invalid command line
string"), so `docker compose up` loads no project and the consumer never starts.  Before, the words up to the
quote were judged as a running consumer (HL101, HL104 ... on a service that never runs)."""

from __future__ import annotations

import pytest

from tests.helpers import lint, triples, write_tree

APP = "from huey import RedisHuey\nhuey = RedisHuey('x')\n"


@pytest.mark.parametrize(("key", "value", "col"), [
    ("command", 'huey_consumer app.huey -w 2 "', 14),
    ("command", "\"huey_consumer app.huey -w 2 '\"", 14),
    ("entrypoint", "huey_consumer app.huey -w 2 \\", 17),
])
def test_a_command_string_compose_cannot_split_is_hl001_and_no_launch(git_repo, key, value, col):
    write_tree(git_repo, {"app.py": APP, "compose.yaml": f"services:\n  w:\n    image: python\n    {key}: {value}\n"})
    result = lint(git_repo)
    assert triples(result) == [("HL001", "compose.yaml", 4)]
    (finding,) = result.findings
    assert (finding.loc.col, finding.message) == (col, (
        f"cannot parse: compose cannot split service `w`'s `{key}:` into words (a quote never closed, or a `\\` at "
        "its end: \"invalid command line string\"), so it loads no service of the project and the consumer never "
        "starts"))
    assert result.project.launches == []


def test_a_quote_closed_or_a_list_is_read_as_before(git_repo):
    write_tree(git_repo, {"app.py": APP, "compose.yaml": (
        "services:\n  w:\n    image: python\n    stop_signal: SIGINT\n    stop_grace_period: 30s\n"
        "    restart: always\n    command: huey_consumer app.huey -w 2 -t 25 --logfile \"/dev/stderr\"\n"
        "  v:\n    image: python\n    stop_signal: SIGINT\n    stop_grace_period: 30s\n    restart: always\n"
        "    command: [\"huey_consumer\", \"app.huey\", \"-t\", \"25\", \"'\"]\n")})
    result = lint(git_repo)
    assert "HL001" not in {rule for rule, _, _ in triples(result)}
    assert sorted(launch.name for launch in result.project.launches) == ["v", "w"]
