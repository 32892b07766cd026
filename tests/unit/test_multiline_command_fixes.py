"""A consumer command written over several lines (a YAML folded or literal block, a plain or double-quoted
scalar continued on the next lines, a ``\\`` continuation in a ``sh -c`` block or a systemd unit) gets the fixes
that add an option (HL104's ``-t``) at the end of its last line, as YAML and the shell read it.  Before, the
options were looked for on the consumer's own line only, so these findings came without a fix."""

from __future__ import annotations

import io

import pytest
from ruamel.yaml import YAML

from tests.helpers import fix_tree, git_init, lint, write_tree

SERVICE = "services:\n  worker:\n    image: ghcr.io/me/app:1.0\n    restart: always\n    user: app\n    command: {}\n"

CASES = {
    # the folded block joins its lines with spaces: `huey_consumer app.huey -w 4 -g TERM\n`
    "folded": (">\n      huey_consumer app.huey\n      -w 4\n      -g TERM", (7, 7), 9, "-g TERM -t 5"),
    # a blank line in a block is a line break of the value, a space to the words
    "folded-blank-line": (">-\n      huey_consumer app.huey\n\n      -g TERM", (7, 7), 9, "-g TERM -t 5"),
    # compose splits the string into words as a shell does: a literal block's new lines are spaces too
    "literal": ("|\n      huey_consumer app.huey\n      -g TERM", (7, 7), 8, "-g TERM -t 5"),
    "plain": ("huey_consumer app.huey\n      -g TERM", (6, 14), 7, "-g TERM -t 5"),
    "double-quoted": ("\"huey_consumer app.huey\n      -g TERM\"", (6, 15), 7, "-g TERM -t 5\""),
    "sh-c-continuation": ("\n      - sh\n      - -c\n      - |\n        exec huey_consumer app.huey \\\n"
                          "          -g TERM", (10, 14), 11, "-g TERM -t 5"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hl104_adds_t_at_the_end_of_a_command_over_several_lines(tmp_path, case):
    command, (line, col), last, ending = CASES[case]
    write_tree(tmp_path, {"compose.yaml": SERVICE.format(command)})
    git_init(tmp_path)
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL104"]
    assert (finding.loc.path, finding.loc.line, finding.loc.col, finding.fix is not None) == \
        ("compose.yaml", line, col, True)
    fix_tree(tmp_path, {"select": ["HL104"]})
    text = (tmp_path / "compose.yaml").read_text()
    assert text.splitlines()[last - 1].strip() == ending
    command_value = YAML(typ="safe").load(io.StringIO(text))["services"]["worker"]["command"]
    words = " ".join(command_value).split() if isinstance(command_value, list) else command_value.split()
    assert words[-2:] == ["-t", "5"] and words[words.index("app.huey") - 1] == "huey_consumer"
    assert [f.rule for f in lint(tmp_path).findings if f.rule == "HL104"] == []


def test_a_systemd_continuation_line(tmp_path):
    unit = ("[Service]\nType=exec\nUser=app\nRestart=always\nExecReload=/bin/kill -HUP $MAINPID\n"
            "ExecStart=/srv/venv/bin/huey_consumer app.huey \\\n    -g TERM\n")
    write_tree(tmp_path, {"huey.service": unit})
    git_init(tmp_path)
    assert [(f.rule, f.loc.line, f.loc.col) for f in lint(tmp_path).findings] == [("HL104", 6, 11)]
    fix_tree(tmp_path)
    assert (tmp_path / "huey.service").read_text() == unit.replace("    -g TERM\n", "    -g TERM -t 85\n")



FLOW_CASES = {
    # one quoted item a line: the words are new items after the last one, never after its closing quote
    # (`"app.huey" -t 5` is no YAML)
    "quoted-items-over-lines": ("\n      [\n        \"huey_consumer\",\n        \"-g\",\n        \"TERM\",\n"
                                "        \"app.huey\"\n      ]", 11, "\"app.huey\", \"-t\", \"5\""),
    "quoted-items-two-lines": ("[\"huey_consumer\", \"-g\", \"TERM\",\n      \"app.huey\"]", 7,
                               "\"app.huey\", \"-t\", \"5\"]"),
    # a plain item: ` -t 5` glued to it would be one argument, `app.huey -t 5`
    "plain-items-over-lines": ("[\n      huey_consumer, -g, TERM,\n      app.huey\n    ]", 8, "app.huey, \"-t\", \"5\""),
    "plain-items-one-line": ("[ huey_consumer, -g, TERM, app.huey ]", 6,
                             "command: [ huey_consumer, -g, TERM, app.huey, \"-t\", \"5\" ]"),
}


@pytest.mark.parametrize("case", sorted(FLOW_CASES))
def test_hl104_adds_items_to_a_flow_sequence(tmp_path, case):
    command, last, ending = FLOW_CASES[case]
    write_tree(tmp_path, {"compose.yaml": SERVICE.format(command)})
    git_init(tmp_path)
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL104"]
    assert finding.fix is not None
    fix_tree(tmp_path, {"select": ["HL104"]})
    text = (tmp_path / "compose.yaml").read_text()
    assert text.splitlines()[last - 1].strip() == ending
    command_value = YAML(typ="safe").load(io.StringIO(text))["services"]["worker"]["command"]
    assert command_value == ["huey_consumer", "-g", "TERM", "app.huey", "-t", "5"]
    assert [f.rule for f in lint(tmp_path).findings if f.rule == "HL104"] == []


def test_a_dockerfile_exec_form_continued_with_a_backslash(tmp_path):
    dockerfile = 'FROM python:3.12\nUSER app\nSTOPSIGNAL SIGINT\nCMD ["huey_consumer", \\\n     "app.huey"]\n'
    compose = "services:\n  worker:\n    build: .\n    restart: always\n    stop_grace_period: 30s\n"
    write_tree(tmp_path, {"Dockerfile": dockerfile, "compose.yaml": compose})
    git_init(tmp_path)
    assert [(f.rule, f.loc.path, f.loc.line, f.fix is not None) for f in lint(tmp_path).findings] == \
        [("HL104", "Dockerfile", 4, True)]
    fix_tree(tmp_path)
    assert (tmp_path / "Dockerfile").read_text() == dockerfile.replace('"app.huey"]', '"app.huey", "-t", "25"]')
    assert lint(tmp_path).findings == []
