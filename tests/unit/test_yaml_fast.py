"""YAML composed from libyaml's events is the tree ruamel's round-trip loader gives: same values, same
positions, same merges, same document numbering; what the fast path does not build goes to ruamel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml.scanner import ScannerError

from hueylint.parsers import yamlcache, yamldocs, yamlfast
from hueylint.parsers.yamldocs import MAX_DEPTH, MAX_EXPANDED, YamlError, load_all_quietly
from hueylint.sources import SourceFile
from tests.helpers import EXAMPLES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def source(rel: str, text: str) -> SourceFile:
    return SourceFile(path=Path(rel), rel=rel, text=text, format="yaml")


def ruamel_form(text: str) -> str:
    """ruamel's documents of ``text`` in the cache encoding (JSON text), the reference."""
    documents = load_all_quietly(text)
    return json.dumps([yamlcache.encode([(i, d) for i, d in enumerate(documents) if d is not None]), len(documents)])


def fast_form(text: str) -> str | None:
    found = yamlfast.compose(text, MAX_DEPTH, MAX_EXPANDED)
    return None if found is None else json.dumps([yamlcache.encode(found[0]), found[1]])


SAME = {
    "empty value, end of text": "a:\n  b:\n",
    "empty value, end of text without a newline": "a:\n  b:",
    "empty value, next key": "a:\nb: 1\n",
    "empty value, dedent": "a:\n  b:\nc: 1\n",
    "empty value, comment on its line": "a:  # x\nb: 1\n",
    "empty value, comment on its line, end of text": "a: #c\n",
    "empty value, comment on its line, end of text without a newline": "a: #c",
    "empty value, comment on its line, dedent": "a:\n  b:  # x\n  # y\nc: 1\n",
    "empty value, comment on its line, next item": "- a: #c\n- b\n",
    "empty value, comment on its line, before ---": "a: #c\n---\nb: 1\n",
    "empty value, explicit key next (of its mapping, of the parent)": "a:\n? b\n: v\nc:\n  d:\n? e\n",
    "empty value, explicit key next, CRLF": "a:\r\n\r\n? b\r\n: v\r\n",
    "empty explicit value, comment on its line": "? a\n: #c\n",
    "anchored empty value, flow": "{a: &x , b: *x}\n",
    "anchored empty value, flow pair": "[a: &x, b]\n",
    "anchored empty items, flow sequence": "a: [&x , *x]\nb: [c, &y ]\n",
    "empty value, comment lines after": "a:\n  # one\n\n  # two\nb: 1\n",
    "empty value, trailing spaces": "a:   \nb: 1\n",
    "empty value, end comment": "a:\n  b:\n# end\n",
    "empty value, in a sequence item": "x:\n- a:\n- b\n",
    "empty value, before ---": "a:\n---\nb:\n...\n",
    "empty value, CRLF": "a:\r\n  b: 1\r\nc:\r\nd: 2\r\n",
    "empty value, BOM": "\ufeffa:\n  # c\n  b: 1\nc:\n",
    "empty value, flow": "{a: , b: 1}\n",
    "empty value, flow at the end": "x: {a:   ,\n  b: }\n",
    "flow key without value": "{a, b: 1}\n",
    "explicit key without value": "? a\nb: 1\n",
    "explicit key without value, end of text without a newline": "a: 1\n? b",
    "explicit empty key, end of text without a newline, BOM": "\ufeff?",
    "anchored empty value": "a: &x\nb: *x\n",
    "empty sequence items": "- \n- a\n-\n",
    "merge": "base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n",
    "merge of a list": "a: &a {x: 1}\nb: &b {y: 2, x: 0}\nc:\n  <<: [*a, *b]\n  z: 1\n",
    "merge of an empty list": "a:\n  <<: []\n  b: 1\n",
    "repeated key": "a: 1\nb: 2\na: 3\n",
    "YAML 1.2 scalars": ("a: 0o17\nb: 0x1F\nc: 010\nd: -5\ne: +3\nf: 1.5\ng: .inf\nh: -.INF\ni: .nan\nj: 1e3\n"
                         "k: on\nl: yes\nm: True\nn: ~\no: 0b11\np: 3.\nq: .5\nr: 1E+3\ns: 'true'\nt: NULL\nu: 0x\n"),
    "anchored scalars": "a: &t true\nb: *t\nc: &n 5\nd: &s text\ne: *s\n",
    "keys of every type": "1: a\ntrue: b\nnull: c\n1.5: d\n'2': e\n=: f\n",
    "alias positions": "a: &x [1]\nb:\n- *x\n- c\n",
    "an anchor reused inside its own node": "a: &x\n  b: &x 1\nc: *x\nd: &y [&y {z: 1}]\ne:\n  <<: *y\n",
    "block scalars": "a: |\n  x\n  y\nb: >-\n  p\n\n  q\nc: |+\n  keep\n\n",
    "documents": "---\n---\na: 1\n---\n# only a comment\n",
    "comments only": "# hi\n",
    "nothing": "",
    "multi-line plain": "a: foo\n  bar\n  baz\n",
    "escapes": 'a: "x\\ty\\u00e9\\/\\x41"\nb: \'it\'\'s\'\n',
    "empty collections": "a: {}\nb: []\nc: [{}]\n",
    "unicode columns": "x: \U0001F600 é\nb:\n  \nc: [日本, 'y']\n",
    "a date": "d: 2024-01-31\n",
    "a JSON document": '{"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "w"}]}}\n',
}


@pytest.mark.parametrize("text", SAME.values(), ids=SAME.keys())
def test_fast_tree_is_ruamels(text: str) -> None:
    assert fast_form(text) == ruamel_form(text)


TO_RUAMEL = {
    "a tag": "a: !Ref x\n",
    "a standard tag": "a: !!str 5\n",
    "a tagged collection": "a: !!set {x, y}\n",
    "a directive": "%YAML 1.1\n---\na: yes\n",
    "an int with underscores": "a: 1_000\n",
    "an int too long to convert": "a: " + "1" * 5000 + "\nb: 0x" + "f" * 5000 + "\n",
    "a timestamp with a time": "a: 2024-01-31T10:00:00Z\n",
    "an impossible date": "a: 2024-13-31\n",
    "= as a value": "a: =\n",
    "a collection as a key": "? [a]\n: 1\n",
    "an alias to an unfinished collection": "a: &a\n  b: *a\n",
    "a second merge key": "a: &a {x: 1}\nb:\n  <<: *a\n  <<: *a\n",
    "a merge of a scalar": "a: &a 1\nb:\n  <<: *a\n",
    "a merge of nothing": "b:\n  <<:\n  y: 2\n",
    "a merge of null": "b:\n  <<: ~\n  y: 2\n",
    "a merge of an anchored empty value": "a: &a\nb:\n  <<: *a\n",
    "an alias followed by a colon": "a: &k x\nb: {*k: 1}\n",
    "an anchor followed by a colon": "services:\n  &worker:\n    build: .\n",
    "an empty key in a flow mapping": "{a: 1, ? }\n",
    "an empty flow value before a line break": "{a:\n , b: 1}\n",
    "invalid YAML": "a: [1, 2\n",
    "a line separator": "a: x\u2028y\n",
    "a lone surrogate": "a: x\udcff\n",
}


@pytest.mark.parametrize("text", TO_RUAMEL.values(), ids=TO_RUAMEL.keys())
def test_outside_the_subset_goes_to_ruamel(text: str) -> None:
    assert fast_form(text) is None


def test_bounds_go_to_ruamel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond ruamel's bounds the text goes to ruamel's bounded composer, which words the error; both count
    the same expanded size (a + 3 keys + 5 + 21 + 85 = 115 values)."""
    deep = "".join(" " * level + f"k{level}:\n" for level in range(MAX_DEPTH + 1)) + " " * (MAX_DEPTH + 1) + "v\n"
    assert yamlfast.compose(deep, MAX_DEPTH, MAX_EXPANDED) is None
    assert yamlfast.compose(deep, MAX_DEPTH + 2, MAX_EXPANDED) is not None
    bomb = "a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n"
    assert yamlfast.compose(bomb, MAX_DEPTH, 114) is None
    assert yamlfast.compose(bomb, MAX_DEPTH, 115) is not None
    monkeypatch.setattr(yamlfast, "_parser_class", lambda: None)
    monkeypatch.setattr(yamldocs, "MAX_EXPANDED", 114)
    with pytest.raises(YamlError, match="alias bomb"):
        yamldocs.load_text(source("a.yaml", bomb))
    monkeypatch.setattr(yamldocs, "MAX_EXPANDED", 115)
    assert yamldocs.load_text(source("a.yaml", bomb))


def test_libyaml_reads_a_tab_before_a_comment() -> None:
    """The one kind of text seen where the parsers disagree: ruamel refuses a tab before a comment, which
    YAML (and libyaml) allow as separation; hueylint now reads it."""
    text = "services:\n  worker:\t# the consumer\n    image: app\n"
    with pytest.raises(ScannerError):
        load_all_quietly(text)
    assert fast_form(text) is not None


def yaml_texts() -> list[tuple[str, str]]:
    """``(name, text)`` of every YAML file of the fixtures and of the rule catalog's examples."""
    suffixes = (".yml", ".yaml", ".json", ".j2")
    texts = [(str(p), p.read_text(encoding="utf-8", errors="replace"))
             for p in sorted(FIXTURES.rglob("*")) if p.is_file() and p.name.endswith(suffixes)]
    for name, (_, example) in EXAMPLES.items():
        texts += [(f"{name}:{rel}", text) for rel, text in example.files.items() if rel.endswith(suffixes)]
    return texts


def test_every_fixture_reads_the_same() -> None:
    """Every YAML file of the fixtures and catalog examples: where ruamel builds an encodable tree, the fast
    path builds the same one or hands the text to ruamel; it hands over few."""
    compared = handed_over = 0
    for name, text in yaml_texts():
        try:
            reference = ruamel_form(text)
        except Exception:  # noqa: BLE001 - ruamel refuses it (HL001) or it has no encoding
            continue
        fast = fast_form(text)
        if fast is None:
            handed_over += 1
            continue
        assert fast == reference, name
        compared += 1
    assert compared > 120
    assert handed_over <= compared // 50


def test_load_text_without_libyaml_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PyYAML built without libyaml: every text goes to ruamel, and the documents are the same."""
    src = source("compose.yaml", SAME["merge of a list"] + "d:\n  e:\n")
    fast = [json.dumps(yamlcache.encode([(d.index, d.data)])) for d in yamldocs.load_text(src)]
    monkeypatch.setattr(yamlfast, "_parser_class", lambda: None)
    assert [json.dumps(yamlcache.encode([(d.index, d.data)])) for d in yamldocs.load_text(src)] == fast


def test_ruamel_still_words_the_errors() -> None:
    with pytest.raises(YamlError) as caught:
        yamldocs.load_text(source("compose.yaml", "a: [1, 2\n"))
    assert (str(caught.value), caught.value.line, caught.value.col) == (
        "invalid YAML: while parsing a flow sequence: expected ',' or ']', but got '<stream end>'", 2, 1)


def test_a_text_ruamel_cannot_read_is_hl001_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """ruamel raises NotImplementedError ("overlap in comment") on a comment after `key:` followed by a
    plain scalar of several paragraphs (a Helm Chart.yaml's description); libyaml reads it, and without
    libyaml it is HL001, not a traceback."""
    text = "a: 1\nd: # c\n  A b\n  c d.\n\n  S e\n  f.\n\nh: 1\n"
    docs = yamldocs.load_text(source("Chart.yaml", text))
    assert docs[0].data["d"] == "A b c d.\nS e f."
    monkeypatch.setattr(yamlfast, "_parser_class", lambda: None)
    with pytest.raises(YamlError, match="overlap in comment"):
        yamldocs.load_text(source("Chart.yaml", text))


@pytest.mark.parametrize(("text", "refused"), [
    ("services:\n{% if worker %}\n  worker:\n    image: app\n{% endif %}\n", True),
    ("a: [1, 2\n", True),
    ("a: 1\nb: '{% raw %}'\n", False),
    ("script: |\n  {% if x %}\n  run\n  {% endif %}\n", False),  # a block scalar's text is no tag
])
def test_refuses_is_libyamls_verdict(text: str, refused: bool) -> None:
    assert yamlfast.refuses(text) is refused


def test_a_jinja_template_is_read_without_ruamel(tmp_path: Path) -> None:
    """A template whose `{% %}` tags make it no YAML is read as a template at once, fixes included: ruamel
    (40 ms to import) is never asked to refuse it, and the findings are the fixture's."""
    import shutil
    import subprocess
    import sys

    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "field-compose-jinja-template", project)
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "hueylint", "check", ".", "--no-cache",
                          "--format", "concise"], cwd=project, capture_output=True, text=True, check=False)
    assert "ruamel" not in run.stderr
    assert [line.split(" [")[0] for line in run.stdout.splitlines() if ": HL" in line] == [
        "deploy/docker-compose.yml.j2:9:3: HL101"]


def test_a_file_named_as_a_jinja_template_is_read_through_jinja_even_when_it_is_yaml(tmp_path: Path) -> None:
    """`command: run_huey -w {{ workers }}` is YAML too, but Jinja renders it before compose reads it: the
    placeholder is one unknown value (it was the words `{{`, `workers`, `}}`: HL002), and a block inside the
    value (`{% if flush %}-f{% endif %}`) is one unknown word; the same text in a plain `.yml` is read as YAML."""
    from hueylint.parsers.yamldocs import _read_as_jinja
    from tests.helpers import lint, triples, write_tree

    compose = ("services:\n  worker:\n    image: shop\n    command: python manage.py run_huey -w {{ workers }} "
               "{% if flush %}-f{% endif %}\n    stop_signal: SIGINT\n    stop_grace_period: 60s\n    restart: always\n")
    write_tree(tmp_path, {"deploy/docker-compose.yml.j2": compose, "requirements.txt": "huey==2.5.2\n"})
    result = lint(tmp_path)
    assert triples(result) == []
    (launch,) = result.project.launches
    assert launch.options["workers"].known is False
    assert "{{ workers }}" in launch.options["workers"].unknown
    assert _read_as_jinja("deploy/docker-compose.yml.j2", compose)
    assert not _read_as_jinja("deploy/docker-compose.yml", compose)
    assert not _read_as_jinja("deploy/docker-compose.yml.j2", "services: {}\n")
