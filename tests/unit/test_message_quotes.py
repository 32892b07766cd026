"""What a launch not followed quotes (HL004's ``what`` and ``why``, ``inspect``'s dropped candidates): a word of
any size shows its start and ``...``, at most :data:`hueylint.words.QUOTE_LIMIT` characters, never kilobytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.words import QUOTE_LIMIT, clipped
from tests.helpers import lint, write_tree
from tests.unit.chain_scripts import one, run

DEEP = "$(echo " * 400 + "x" + ")" * 400  # 3.6 KB in one word
LONG = "A" * 3000


def test_clipped_keeps_the_start_and_marks_the_cut() -> None:
    assert clipped("short") == "short"
    assert clipped("x" * QUOTE_LIMIT) == "x" * QUOTE_LIMIT
    assert clipped("x" * (QUOTE_LIMIT + 1)) == "x" * (QUOTE_LIMIT - 3) + "..."
    assert len(clipped(DEEP)) == QUOTE_LIMIT and clipped(DEEP).startswith("$(echo $(echo")


@pytest.mark.parametrize(("words", "what", "why"), [
    (["sh", "-c", f"exec {DEEP} run_huey"], f"`{DEEP[:77]}...`",
     "variable not resolvable: the output of a command substitution (`$(echo ...)`), known only when the script runs"),
    (["sh", "-c", f"exec ${{{LONG}}} run_huey"], f"`${{{LONG[:75]}...`",
     f"variable not resolvable: `{LONG[:77]}...` is not assigned in the script nor in the launch's environment"),
    (["python", "-m", f"{LONG}.huey"], f"module `{LONG[:77]}...`", "module not in the repository"),
    ([f"/srv/{LONG}/run-huey.sh"], f"script `/srv/{LONG[:72]}...`", "not found in the repository"),
    (["-u", LONG, "--", "manage", "run_huey"], "the program that receives `-u`", None),
    ([f"-{LONG}", "--", "manage", "run_huey"], f"the program that receives `-{LONG[:76]}...`", None),
])
def test_a_long_word_is_quoted_by_its_start(words: list[str], what: str, why: str | None) -> None:
    [part] = one(run(words)).unresolved
    assert part.what == what
    assert why is None or part.why == why


def test_a_sourced_script_with_a_long_name(tmp_path: Path) -> None:
    name = "s" * 240 + ".sh"  # (a file name has at most 255 bytes)
    write_tree(tmp_path, {"deploy/tasks.service": f"[Service]\nExecStart=/bin/sh -c '. ./{name}; exec true'\n",
                          name: "exec huey_consumer app.huey\n", "requirements.txt": "huey==2.5.0\n"})
    [part] = [f.message for f in lint(tmp_path).findings if f.rule == "HL004"]
    assert f"sourced script `./{name[:75]}...` cannot be followed" in part


def test_a_dropped_candidate_quotes_each_word_by_its_start(tmp_path: Path) -> None:
    write_tree(tmp_path, {"deploy/tasks.service": f"[Service]\nExecStart=/usr/bin/python3 -c {LONG} run_huey\n",
                          "requirements.txt": "huey==2.5.0\n"})
    result = lint(tmp_path)
    assert [item.what for item in result.project.dropped] == [f"`/usr/bin/python3 -c {LONG[:77]}... run_huey`"]
