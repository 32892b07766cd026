"""Every example in the rule catalog is a test: bad ones fire exactly where they say (rule, path, line,
and the column and message text where the example states them), good ones are clean of every rule.

A good example is what ``hueylint explain`` and the SARIF help show as the right way, so it must be right
in full: no error and no warning from ANY rule, not only from its own (notes, hueylint's advice, may
remain). The complete output of every example is pinned by tests/test_snapshots.py.
"""

from __future__ import annotations

import pytest

from hueylint.catalog import load_catalog
from hueylint.findings import Severity
from tests.helpers import EXAMPLES, triples


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_catalog_example(linted, name):
    doc, example = EXAMPLES[name]
    _, result = linted("example", name)
    own = [f for f in result.findings if f.rule == doc.id]
    shown = [f"{f.rule} {f.loc.path}:{f.loc.line}:{f.loc.col}: {f.message}" for f in result.findings]
    if example.kind == "bad":
        expected = sorted((doc.id, item.path, item.line) for item in example.expect)
        assert triples(result, doc.id) == expected, shown
        for item in example.expect:
            at = [f for f in own if (f.loc.path, f.loc.line) == (item.path, item.line)]
            if item.column is not None:
                assert [f.loc.col for f in at] == [item.column], shown
            if item.message is not None:
                assert any(item.message in f.message for f in at), (item.message, shown)
    else:
        assert own == [], shown
        assert [f for f in result.findings if f.severity in (Severity.ERROR, Severity.WARNING)] == [], shown


def test_every_rule_has_bad_and_good_examples():
    for doc in load_catalog().values():
        kinds = {example.kind for example in doc.examples}
        assert kinds == {"bad", "good"}, doc.id
        for fmt in doc.formats():
            assert {e.kind for e in doc.examples if e.format == fmt} == {"bad", "good"}, (doc.id, fmt)


def test_catalog_file_names_match_ids_and_names():
    for doc in load_catalog().values():
        assert doc.path.name == f"{doc.id}-{doc.name}.toml"
