"""Every example in the rule catalog is a test: bad ones fire exactly where they say, good ones never."""

from __future__ import annotations

import subprocess

import pytest

from hueylint.catalog import load_catalog
from tests.helpers import lint, triples, write_tree

CASES = [
    pytest.param(doc, example, id=f"{doc.id}-{example.kind}-{index}-{example.format}")
    for doc in load_catalog().values()
    for index, example in enumerate(doc.examples)
]


@pytest.mark.parametrize(("doc", "example"), CASES)
def test_catalog_example(tmp_path, doc, example):
    write_tree(tmp_path, example.files)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = lint(tmp_path, example.config)
    found = triples(result, doc.id)
    if example.kind == "bad":
        expected = sorted((doc.id, item.path, item.line) for item in example.expect)
        assert found == expected, [f.message for f in result.findings if f.rule == doc.id]
    else:
        assert found == [], [f.message for f in result.findings if f.rule == doc.id]


def test_every_rule_has_bad_and_good_examples():
    for doc in load_catalog().values():
        kinds = {example.kind for example in doc.examples}
        assert kinds == {"bad", "good"}, doc.id
        for fmt in doc.formats():
            assert {e.kind for e in doc.examples if e.format == fmt} == {"bad", "good"}, (doc.id, fmt)


def test_catalog_file_names_match_ids_and_names():
    for doc in load_catalog().values():
        assert doc.path.name == f"{doc.id}-{doc.name}.toml"
