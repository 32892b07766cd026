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


@pytest.mark.parametrize(("files", "expected"), [
    ({"render.yaml": "services:\n  - type: worker\n    name: huey\n    runtime: python\n    startCommand: >-\n"
                     "      cd app &&\n      huey_consumer app.huey -w 2 -t 45\n"},
     ["render.yaml:5:19: HL201", "render.yaml:7:7: HL101", "render.yaml:7:35: HL103"]),
    ({"manifest.yml": "applications:\n  - name: shop\n    processes:\n      - type: worker\n        command: |\n"
                      "          cd app\n          huey_consumer app.huey -w 2 -t 45\n"},
     ["manifest.yml:5:18: HL201", "manifest.yml:7:11: HL101", "manifest.yml:7:11: HL102", "manifest.yml:7:39: HL103"]),
    ({"k8s/worker.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n"
                         "      containers:\n        - name: w\n          image: shop:1\n          command: [sh, -c]\n"
                         "          args:\n            - >-\n              cd /srv &&\n"
                         "              exec huey_consumer app.huey -w 2 -t 45\n"},
     ["k8s/worker.yaml:9:11: HL101", "k8s/worker.yaml:15:48: HL103"]),
], ids=["render", "cloudfoundry", "kubernetes"])
def test_platform_commands_written_over_several_lines(git_repo, capsys, files, expected):
    """Render's `startCommand`, a Cloud Foundry process `command` and Kubernetes `args` written over several
    lines: the consumer's findings at its own line (HL101, HL102 at the consumer command; HL103 at `-t`)."""
    write_tree(git_repo, files)
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--select", "HL101,HL102,HL103,HL201", "--output-format",
                        "concise", "--exit-zero")
    assert [line.split(" [")[0] for line in out.splitlines() if " HL" in line] == expected


def test_a_suppression_on_a_block_scalars_header_covers_its_lines(git_repo, capsys):
    """The lines of a block scalar are a string's (a `#` there is the shell's): a `# hueylint: ignore[...]` on its
    header line (`- |  # ...`), where the findings inside it were placed before, covers the whole block; the
    lines after the block are not covered, and an unused one says "in this block"."""
    command = ("    command:\n      - sh\n      - -c\n      - |  # hueylint: ignore[HL103]\n        cd /srv\n"
               "        exec huey_consumer app.huey -t 45\n")
    write_tree(git_repo, {"docker-compose.yml": SERVICE + command})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--select", "HL103", "--output-format", "concise")
    assert (code, "HL103" in out) == (0, False)
    write_tree(git_repo, {"docker-compose.yml": SERVICE + command.replace("HL103", "HL104")})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--select", "HL103,HL104,HL008", "--show-unused-ignores",
                           "--output-format", "concise")
    assert [line.split(" [")[0] for line in out.splitlines() if " HL" in line] == [
        "docker-compose.yml:10:24: HL008", "docker-compose.yml:12:37: HL103"]
    assert "HL104 reported nothing in this block" in out
