"""A key a YAML mapping repeats: the documents keep the last value (kubectl's and Helm's sigs.k8s.io/yaml over
yaml.v2, PyYAML), both parsers alike; compose, whose yaml.v3 refuses it, gets HL001 at the repetition."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.parsers import yamlfast
from hueylint.parsers.yamldocs import load_all_quietly
from hueylint.parsers.yamlkeys import RepeatedKey, repeated_keys
from tests.helpers import lint, write_tree


@pytest.mark.parametrize(("text", "expected"), [
    ("a: 1\nb: 2\na: 3\n", [RepeatedKey("a", 3, 1, 1)]),
    ("x:\n  a: 1\n  'a': 2\n", [RepeatedKey("a", 3, 3, 2)]),  # quoted or plain, the same string
    ("a: 1\n'1': x\n1: y\n", []),  # the string "1" and the int 1 are two keys
    ("base: &b {x: 1}\nc:\n  <<: *b\n  <<: *b\n  x: 2\n", []),  # merge keys, and a key over a merged one
    ("a: &x {b: 1, b: 2}\nc: *x\n", [RepeatedKey("b", 1, 14, 1)]),  # an alias is the anchored mapping, once
    ("- {a: 1}\n- {a: 2}\n---\na: 1\n", []),  # other mappings, other documents
    ("a: {{ x }}\na: 2\n", []),  # a template: not YAML as written
    ("a: [\n", []),  # not YAML: the document reader reports it
])
def test_repeated_keys(text: str, expected: list[RepeatedKey]) -> None:
    assert repeated_keys(text) == expected


def test_both_parsers_keep_the_last_value_and_its_position() -> None:
    text = "a: 1\nb: 2\na: 3\n"
    ruamel = load_all_quietly(text)[0]
    fast = yamlfast.compose(text, 100, 10**6)
    assert fast is not None
    (_, tree), = fast[0]
    assert dict(ruamel) == dict(tree) == {"a": 3, "b": 2}
    assert ruamel.lc.key("a") == tree.lc.key("a") == (2, 0)


COMPOSE = "services:\n  worker:\n    image: app\n    command: huey_consumer app.huey\n"


@pytest.mark.parametrize(("name", "extra", "expected"), [
    ("compose.yaml", "    stop_signal: SIGINT\n    stop_signal: SIGTERM\n",
     [("HL001", 6, 5, "cannot parse: `stop_signal` is already defined at line 5 of this mapping: compose refuses "
       "the project (a YAML mapping's keys are unique)")]),
    ("compose.yaml", "  worker:\n    image: other\n",
     [("HL001", 5, 3, "cannot parse: `worker` is already defined at line 2 of this mapping: compose refuses the "
       "project (a YAML mapping's keys are unique)")]),
    ("compose.yaml", "    stop_signal: SIGINT\n", []),
])
def test_compose_refuses_a_repeated_key(tmp_path: Path, name: str, extra: str,
                                         expected: list[tuple[str, int, int, str]]) -> None:
    write_tree(tmp_path, {name: COMPOSE + extra, "app.py": "from huey import RedisHuey\nhuey = RedisHuey()\n",
                          "requirements.txt": "huey==2.5.0\n"})
    found = [(f.rule, f.loc.line, f.loc.col, f.message) for f in lint(tmp_path).findings if f.rule == "HL001"]
    assert found == expected


def test_a_ci_file_with_job_services_is_no_compose_file(tmp_path: Path) -> None:
    """Taken for compose only by a top-level ``services:`` list: its repeated keys are not compose's."""
    write_tree(tmp_path, {".gitlab-ci.yml": "services:\n  - redis\ntest:\n  script: a\n  script: b\n",
                          "requirements.txt": "huey==2.5.0\n"})
    assert [f for f in lint(tmp_path).findings if f.rule == "HL001"] == []
