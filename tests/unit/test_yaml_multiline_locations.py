"""Findings about the words of a command written as a YAML string over several lines are reported at those
words, in every output format: before, each word of a block scalar (`- |`), a folded one (`>-`), a plain or
quoted scalar continued on the next lines was placed at the scalar's first character (the `|`), so the
line:column, the caret and the SARIF region pointed there (ciso-assistant-community's compose files)."""

from __future__ import annotations

import json

import pytest

from tests.helpers import write_tree
from tests.test_cli import run_cli

SERVICE = ("services:\n  worker:\n    image: shop:1\n    restart: always\n    stop_signal: SIGINT\n"
           "    stop_grace_period: 30s\n")
# (the command as written, where `-t` (HL103: 45 s is not below the 30 s deadline) is: line, column)
FORMS = [
    ("    command:\n      - sh\n      - -c\n      - |\n        cd /srv\n        exec huey_consumer app.huey -t 45\n",
     (12, 37)),
    ("    command:\n      - sh\n      - -c\n      - |+\n        cd /srv\n        exec huey_consumer app.huey -t 45\n\n",
     (12, 37)),
    ("    command:\n      - sh\n      - -c\n      - |2-\n            cd /srv\n          exec huey_consumer app.huey -t 45\n",
     (12, 39)),
    ("    command:\n      - sh\n      - -c\n      - >-\n        cd /srv &&\n        exec huey_consumer app.huey\n"
     "        -w 2 -t 45\n", (13, 14)),
    ("    command:\n      - sh\n      - -c\n      - >\n        cd /srv\n\n        exec huey_consumer app.huey -t 45\n",
     (13, 37)),
    ("    command:\n      - sh\n      - -c\n      - cd /srv &&\n        exec huey_consumer app.huey -t 45\n",
     (11, 37)),
    ("    command:\n      - sh\n      - -c\n      - 'cd /srv &&\n        exec huey_consumer ''app.huey'' -t 45'\n",
     (11, 41)),
    ('    command: ["sh", "-c", "cd /srv &&\\\n      exec huey_consumer app.huey\\t-t 45"]\n', (8, 36)),
    # the compose command as a string (compose splits it), folded over two lines
    ("    command: >\n      huey_consumer app.huey\n      -w 2 -t 45\n", (9, 12)),
]


@pytest.mark.parametrize(("command", "place"), FORMS, ids=range(len(FORMS)))
def test_each_scalar_form_reports_the_word_at_its_own_line_and_column(git_repo, capsys, command, place):
    write_tree(git_repo, {"docker-compose.yml": SERVICE + command})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--select", "HL103", "--output-format", "concise")
    assert code == 1
    assert out.splitlines()[0].split(" [")[0] == f"docker-compose.yml:{place[0]}:{place[1]}: HL103"


def test_every_output_format_shows_the_word_in_a_block_scalar(git_repo, capsys):
    command = "    command:\n      - sh\n      - -c\n      - |\n        cd /srv\n        exec huey_consumer app.huey -t 45\n"
    write_tree(git_repo, {"docker-compose.yml": SERVICE + command})
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--select", "HL103")
    assert out.splitlines()[:4] == [
        out.splitlines()[0],
        "   |",
        "12 |         exec huey_consumer app.huey -t 45",
        "   |" + " " * 37 + "^^",  # under `-t`, column 37
    ]
    assert out.splitlines()[0].startswith("docker-compose.yml:12:37: HL103")
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--select", "HL103", "--output-format", "json")
    finding = json.loads(out)["findings"][0]
    assert [finding[key] for key in ("line", "column", "end_line", "end_column")] == [12, 37, 12, 39]
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--select", "HL103", "--output-format", "sarif")
    region = json.loads(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "startColumn": 37, "endLine": 12, "endColumn": 39}


def test_a_word_across_a_folded_break_keeps_the_scalar_start(git_repo, capsys):
    """A word whose characters come from two lines joined by folding (a shell-quoted `'-t 45'` split by a folded
    break) has a start and an end: it spans both lines, from its first character to its last."""
    command = "    command:\n      - sh\n      - -c\n      - >-\n        exec huey_consumer app.huey '-t\n        45'\n"
    write_tree(git_repo, {"docker-compose.yml": SERVICE + command})
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--select", "HL103", "--output-format", "json")
    finding = json.loads(out)["findings"][0]
    assert [finding[key] for key in ("line", "column", "end_line", "end_column")] == [11, 37, 12, 12]
