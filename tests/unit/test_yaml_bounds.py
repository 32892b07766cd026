"""YAML read within bounds: alias expansion and nesting are refused (HL001) before anything unbounded is built,
and a code frame on a very long line is cut around its marker."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.parsers import yamldocs
from hueylint.parsers.yamldocs import MAX_DEPTH, MAX_EXPANDED, YamlError, load_text
from hueylint.reporters.text_report import FRAME_WIDTH, elide
from hueylint.sources import SourceFile
from tests.helpers import lint, write_tree


def _src(text: str, rel: str = "compose.yaml") -> SourceFile:
    return SourceFile(Path(rel), rel, text)


def _laughs(levels: int, indent: str = "    ") -> str:
    """A billion-laughs ladder: level n is nine aliases of level n-1."""
    lines = [f'{indent}x-a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels + 1):
        lines.append(f"{indent}x-a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_in_compose_is_hl001_at_the_first_collection_too_big(tmp_path):
    write_tree(tmp_path, {"docker-compose.yml": "services:\n  worker:\n    image: app\n"
                          "    command: [\"huey_consumer\", \"app.huey\"]\n" + _laughs(8) +
                          "    environment:\n      BOMB: *a8\n"})
    result = lint(tmp_path)
    assert [(f.rule, f.loc.path, f.loc.line, f.loc.col) for f in result.findings] == [
        ("HL001", "docker-compose.yml", 11, 11)]  # x-a6: 9**6 * 10 values > MAX_EXPANDED
    assert result.findings[0].message == (
        f"cannot parse: YAML aliases expand this to more than {MAX_EXPANDED:,} values (an alias bomb)")
    assert result.notices == []


def test_alias_bomb_in_a_kubernetes_manifest(tmp_path):
    write_tree(tmp_path, {"k8s/w.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nx:\n" + _laughs(8, "  ") +
                          "spec:\n  containers:\n  - name: w\n    image: app\n    command: [huey_consumer]\n"
                          "    args: *a8\n"})
    assert [(f.rule, f.loc.line, f.loc.col) for f in lint(tmp_path).findings] == [("HL001", 12, 9)]


def test_expansion_is_counted_once_per_node_not_per_path(monkeypatch):
    """The budget is checked from sizes recorded when each node is complete: a file whose expansion stays
    under the budget is read, and the work is linear (each node's size is summed once, never re-walked)."""
    ladder = _laughs(4)  # 9**4 * 10 = 65,610 values once expanded: under the budget
    [doc] = load_text(_src("x:\n" + ladder))
    assert len(doc.data["x"]["x-a4"]) == 9
    monkeypatch.setattr(yamldocs, "MAX_EXPANDED", 60_000)
    with pytest.raises(YamlError, match="aliases expand"):
        load_text(_src("x:\n" + ladder))


def test_ordinary_anchors_and_merge_keys_are_fine():
    text = ("x-env: &env\n  A: '1'\n  B: '2'\nservices:\n  a:\n    environment: *env\n"
            "  b:\n    <<: {image: app}\n    environment:\n      <<: *env\n      C: '3'\n")
    [doc] = load_text(_src(text))
    assert dict(doc.data["services"]["b"]["environment"]) == {"A": "1", "B": "2", "C": "3"}


def test_recursive_alias_is_hl001_not_a_crash(tmp_path):
    write_tree(tmp_path, {"compose.yaml": "services:\n  w:\n    image: app\n    x: &a\n      y: *a\n"
                          "    command: [huey_consumer, app.huey]\n",
                          "k8s.yaml": "x: &a\n  <<: *a\n"})
    lint(tmp_path)  # neither hangs nor raises


def test_deep_flow_nesting_is_refused_before_ruamel_reads_it(monkeypatch):
    """ruamel's scanner is quadratic in open flow levels: the text is checked first, the loader never made."""
    def no_loader():
        raise AssertionError("the YAML loader must not run on this text")

    monkeypatch.setattr(yamldocs, "yaml_loader", no_loader)
    text = "services:\n  w:\n    x: " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(YamlError) as caught:
        load_text(_src(text))
    assert (str(caught.value), caught.value.line, caught.value.col) == (
        f"nested too deeply (more than {MAX_DEPTH} levels)", 3, len("    x: ") + MAX_DEPTH + 1)  # the 101st `[`


@pytest.mark.parametrize("text", [
    "a: " + "{x: " * 60 + "1" + "}" * 60 + "\n",  # deep enough to pass the cheap count, within the bound
    "script: |\n" + "  echo '[[[[[[[[[[[[[[[[[[[[[['\n" * 10 + "list: [1, 2]\n",  # brackets in quotes
    "# " + "[" * 300 + "\nkind: x\n",  # and in comments
])
def test_brackets_that_do_not_nest_deeply_are_read(text):
    assert load_text(_src(text))


def test_deep_block_nesting_is_refused_by_the_composer():
    text = "".join(" " * level + f"k{level}:\n" for level in range(MAX_DEPTH + 20)) + " " * (MAX_DEPTH + 20) + "v\n"
    with pytest.raises(YamlError, match="nested too deeply") as caught:
        load_text(_src(text))
    assert caught.value.line == MAX_DEPTH + 1


def test_code_frame_of_a_long_line_is_cut_around_the_marker():
    source = "x" * 500 + "MARK" + "y" * 500
    text, start, width = elide(source, 500, 4)
    assert text.startswith("...") and text.endswith("...") and len(text) == FRAME_WIDTH + 6
    assert text[start:start + width] == "MARK"
    text, start, width = elide(source, 500, 5000)  # a marker longer than the window is clipped
    assert text[start:].startswith("MARK") and start + width == FRAME_WIDTH + 3
    assert elide("short line", 2, 3) == ("short line", 2, 3)
    text, start, width = elide(source, 2, 3)  # near the start: cut on the right only
    assert text == source[:FRAME_WIDTH] + "..." and (start, width) == (2, 3)


def test_a_json_file_that_does_not_parse_is_said_to_be_invalid_json(tmp_path):
    """A JSON file is read as YAML, its superset; its error names JSON, the language the file is written in."""
    write_tree(tmp_path, {"Procfile": "worker: huey_consumer app.huey -n\n", "app.json": '{"formation": {\n'})
    result = lint(tmp_path)
    assert [(f.rule, f.loc.path, f.message) for f in result.findings if f.rule == "HL001"] == [
        ("HL001", "app.json", "cannot parse: invalid JSON: while parsing a flow node: expected the node content, "
                              "but found '<stream end>'")]
    with pytest.raises(YamlError, match="^invalid YAML: "):
        load_text(_src('{"a": [\n', "compose.yaml"))
