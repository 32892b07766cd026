"""Cost linear in the size of every input (issue 14): a giant repository or a hostile pull request of a few
megabytes is checked in time and memory proportional to it. Each test lints one input at two sizes, asserts
the findings users see at both, and that four times the input costs less than four times the memory
(linear, with what every run holds anyway)."""

from __future__ import annotations

import ast
import tracemalloc
import warnings
from pathlib import Path

import pytest

import hueylint
from hueylint.pyapp import chunked
from tests.helpers import lint, triples, write_tree


def _peak(root: Path):
    """The findings and the peak of Python memory of one lint of ``root``."""
    tracemalloc.start()
    try:
        result = lint(root, {"longest-task": "20s"})
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _helm_chart(root: Path, count: int) -> None:
    helpers = "".join(f'{{{{- define "c.name{i}" -}}}}\nw{i}\n{{{{- end }}}}\n' for i in range(count))
    docs = "---\n".join(
        f'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{{{ include "c.name{i}" . }}}}\n'
        f'spec:\n  replicas: {{{{ .Values.r{i} }}}}\n  template:\n    spec:\n      containers:\n'
        f'      - name: huey\n        image: app\n        command: ["huey_consumer", "app.huey", "-n", "-t", "20"]\n'
        for i in range(count))
    write_tree(root, {"chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
                      "chart/values.yaml": "".join(f"r{i}: 1\n" for i in range(count)),
                      "chart/templates/_helpers.tpl": helpers, "chart/templates/deploy.yaml": docs})


def test_helm_template_of_many_documents_in_linear_memory(tmp_path: Path) -> None:
    """Each document of a template kept its own copy of the whole template's placeholders: 1,600 documents
    in one file took 420 MB."""
    peaks = []
    for count in (200, 800):
        root = tmp_path / str(count)
        _helm_chart(root, count)
        result, peak = _peak(root)
        lines = [line for _, _, line in triples(result, "HL101")]
        assert lines == [13 * i + 10 for i in range(count)]  # each container's `- name:` line
        assert {path for _, path, _ in triples(result, "HL101")} == {"chart/templates/deploy.yaml"}
        peaks.append(peak)
    assert peaks[1] < 4 * peaks[0]  # before: 12 MB, then 70 MB


def test_a_long_shell_form_cmd_is_followed_once(tmp_path: Path, monkeypatch) -> None:
    """The image's command was resolved twice (once for the stage's launch, again only to learn whether PID 1
    is a supervisor, its consumers thrown away): twice the time and memory of a CMD of 550,000 words."""
    from hueylint import chain

    followed = []
    real = chain._run
    monkeypatch.setattr(chain, "_run", lambda unit, *rest: followed.append(unit.title) or real(unit, *rest))
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.13\nUSER app\nCMD huey_consumer app.huey -t 5 " + "-v " * 20000 + "\n"})
    # -t 5 below the longest task (HL102); the shell stays (HL201)
    assert triples(lint(tmp_path)) == [("HL101", "Dockerfile", 3), ("HL102", "Dockerfile", 3), ("HL201", "Dockerfile", 3)]
    assert followed.count("the shell-form CMD (/bin/sh -c)") == 1


CHUNK_CASES = [
    'X = """\nY = 1\n"""\nZ = 2\n',  # a boundary inside a string
    "x = 1 + \\\ny\ny = 2\n",  # after a backslash continuation
    "@d\ndef f():\n    pass\nclass A:\n    x = (\n1)\n",  # after a decorator, inside brackets
    "if a:\n    pass\nelse:\n    pass\nelse_x = 1\n",
    "try:\n    pass\nexcept E:\n    pass\nfinally:\n    pass\n",
    "for i in x:\n    pass\nelse:\n    y = 1\n",
    "x = 1\nfrom __future__ import annotations\n",  # refused by ast.parse: refused the same
    '"""doc"""\nfrom __future__ import annotations\nx = 1\n',
    "def f():\n    return 1\nreturn 2\n",
    'x = 1\r\ny = 2\r\nz = """a\r\nb"""\r\n',
    "x = 1\ry = 2\n",  # a lone carriage return is a line break for Python
    "match x:\n    case 1:\n        pass\ncase = 3\n",
    'x = f"""{\ny}"""\nz = 1\n',
    "x = 1\n\x0cy = 2\n",
    "def f():\n    x = 1\ny = 2\n    z = 3\n",  # an indentation error
]


def _dump(parse, text: str) -> str:
    try:
        return ast.dump(parse(text), include_attributes=True)
    except SyntaxError as exc:
        return f"{type(exc).__name__}: {exc}"


@pytest.mark.parametrize("text", CHUNK_CASES + [
    path.read_text(encoding="utf-8") for path in sorted(Path(hueylint.__file__).parent.rglob("*.py"))[::7]])
def test_large_modules_parsed_in_runs_give_ast_parse_s_tree_and_errors(text: str, monkeypatch) -> None:
    """Every boundary a run of its own (the hardest case): the same tree, positions and errors as ast.parse."""
    monkeypatch.setattr(chunked, "LARGE", 0)
    monkeypatch.setattr(chunked, "CHUNK", 1)
    assert _dump(chunked.parse, text) == _dump(ast.parse, text)


def test_a_large_settings_module_is_parsed_in_about_half_the_memory() -> None:
    """ast.parse held its parser's tables for the whole text: a settings module of 80,000 lines (1.7 MB) peaked
    at 435 MB RSS in the parse worker, now 223 MB (the tree itself is 170 MB)."""
    text = "import os\n" + "".join(f'S{i} = [{i}, "x"]\nif os.getenv("X{i}"):\n    D{i} = {{"a": {i}}}\n'
                                   for i in range(6000))
    peaks = []
    for parse in (ast.parse, chunked.parse):
        tracemalloc.start()
        try:
            tree = parse(text)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        assert len(tree.body) == 12001 and tree.body[-1].lineno == 18000  # the last `if`, one line above the end
    assert peaks[1] < 0.6 * peaks[0]


def test_the_parser_s_warnings_about_scanned_text_are_not_printed() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # DeprecationWarning (3.11) / SyntaxWarning (3.12+): invalid escape
        assert isinstance(chunked.parse('X = "\\d\x1b[2J"\n').body[0], ast.Assign)


def test_a_setup_py_with_an_invalid_escape_is_read_without_a_warning() -> None:
    """ast.parse warns of `"\\d"` (a SyntaxWarning printed on Python 3.12+; as an error under -W error it
    was a SyntaxError, and the setup.py was read as holding no setup() call)."""
    from hueylint.versions.setuppy import read_setup_py

    text = 'import re\nPATTERN = "\\d+"\nsetup(name="x", install_requires=["huey>=2.5"])\n'
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = read_setup_py(text)
    assert [[item.value for item in found.strings(call["install_requires"])] for call in found.calls] == [["huey>=2.5"]]
