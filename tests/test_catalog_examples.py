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


def test_rule_severity_reads_what_the_whole_file_says(tmp_path, monkeypatch):
    """Every run reads its findings' default severities from the rules' heads (the keys before the first
    table); a head that does not parse alone is read with the whole file."""
    from hueylint import catalog

    for doc in load_catalog().values():
        assert catalog.rule_severity(doc.id) == doc.severity, doc.id
    assert catalog.rule_severity("HL999") is None and catalog.rule_severity("bogus") is None
    head = 'id = "HL998"\nname = "cut"\nsummary = "s"\nrationale = """\n[Service]\nKillSignal=INT\n"""\n'
    (tmp_path / "HL998-cut.toml").write_text(head + 'severity = "error"\n[[examples]]\nkind = "good"\n'
                                             '[examples.files]\n"a" = "b"\n', encoding="utf-8")
    monkeypatch.setattr(catalog, "catalog_dir", lambda: tmp_path)
    try:
        assert catalog.rule_severity("HL998") == Severity.ERROR  # cut inside the rationale: the whole file
    finally:
        catalog.rule_severity.cache_clear()
        catalog.rule_doc.cache_clear()
