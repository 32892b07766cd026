"""Parsed YAML cached by content: the tree keeps every value and position ruamel gives the builders, a warm
run parses nothing and prints the same bytes, a bad entry is a miss, ``--no-cache`` writes nothing."""

from __future__ import annotations

import datetime
import json
import math
from pathlib import Path

import pytest

from hueylint import __version__
from hueylint.cachestore import CacheStore
from hueylint.cli import main
from hueylint.parsers import yamlcache, yamldocs
from hueylint.parsers.yamldocs import Doc, YamlError, load_all_quietly, load_text
from hueylint.sources import SourceFile
from tests.helpers import write_tree

TEXT = """\
x-common: &common
  image: "me/app:1"
  stop_grace_period: 5s
  environment: &env
    - 'A=1'
    - B=2
services:
  worker:
    <<: *common
    command: [huey_consumer, "app.huey", -w, 4]
    environment: *env
    deploy: {replicas: 0x10, resources: {}}
  beat:
    <<: [*common, {user: app}]
    flags: |
      literal
      block
    folded: >
      folded
      text
    ratio: 1.50
    big: .inf
    anchored: &yes true
    again: *yes
    nothing: ~
    empty: []
    when: 2024-01-31
    1: one
    true: yes-key
---
---
apiVersion: v1
kind: List
items:
- kind: Deployment
  metadata: {name: "w", annotations: {hueylint/ignore: HL101}}
  spec:
    template: {spec: {containers: [{name: w, command: ["huey_consumer"]}]}}
"""


def same(raw, tree, pairs: dict[int, int]) -> None:
    """``tree`` holds what ruamel's ``raw`` holds, everything the builders read of it, and aliases stay shared."""
    if isinstance(raw, (dict, list)):
        if id(raw) in pairs:
            assert pairs[id(raw)] == id(tree)
            return
        pairs[id(raw)] = id(tree)
        assert type(tree) is (yamlcache.YamlMap if isinstance(raw, dict) else yamlcache.YamlSeq)
        assert (tree.lc.line, tree.lc.col, tree.lc.data) == (raw.lc.line, raw.lc.col, raw.lc.data)
        assert tree.fa.flow_style() == raw.fa.flow_style() and repr(tree) == repr(raw) and tree == raw
        if isinstance(raw, dict):
            assert list(tree) == list(raw) and len(tree) == len(raw)
            for key in raw:
                for what in ("key", "value"):
                    try:
                        expected = getattr(raw.lc, what)(key)
                    except KeyError:
                        with pytest.raises(KeyError):
                            getattr(tree.lc, what)(key)
                    else:
                        assert getattr(tree.lc, what)(key) == expected
                same(raw[key], tree[key], pairs)
            assert len(tree.merge) == len(raw.merge)
            for source, tree_source in zip(raw.merge, tree.merge):
                same(source, tree_source, pairs)
        else:
            assert len(tree) == len(raw)
            for index, item in enumerate(raw):
                assert tree.lc.item(index) == raw.lc.item(index)
                same(item, tree[index], pairs)
        return
    builtin = next(kind for kind in (bool, int, float, str, datetime.date, type(None)) if isinstance(raw, kind))
    assert type(tree) is builtin
    assert str(tree) == str(raw) and repr(tree) == repr(raw) and f"{tree}" == f"{raw}"
    assert tree == raw or (isinstance(raw, float) and math.isnan(raw) and math.isnan(tree))


def source(text: str, rel: str = "compose.yaml") -> SourceFile:
    return SourceFile(path=Path(rel), rel=rel, text=text, format="yaml")


@pytest.mark.parametrize("cached", [False, True])
def test_the_tree_keeps_every_value_and_position(tmp_path, cached):
    store = CacheStore(tmp_path, "yaml", "test", cache_dir=tmp_path.parent / f"{tmp_path.name}-cache")
    src = source(TEXT)
    if cached:
        load_text(src, cache=store)  # fills the entry; the tree below is decoded from it
    docs = load_text(src, cache=store)
    raw = [(index, data) for index, data in enumerate(load_all_quietly(TEXT)) if data is not None]
    assert [doc.index for doc in docs] == [index for index, _ in raw] == [0, 2]
    pairs: dict[int, int] = {}
    for doc, (_, data) in zip(docs, raw):
        same(data, doc.data, pairs)
    worker, beat = docs[0].data["services"]["worker"], docs[0].data["services"]["beat"]
    assert worker["environment"] is docs[0].data["x-common"]["environment"]  # an alias is the same object
    assert worker.merge == [docs[0].data["x-common"]] and worker.merge[0] is docs[0].data["x-common"]
    assert (worker["deploy"]["replicas"], beat["ratio"], beat["anchored"], beat["when"]) == (
        16, 1.5, 1, datetime.date(2024, 1, 31))
    assert type(beat["anchored"]) is int  # ruamel's ScalarBoolean for an anchored true is an int, not a bool
    # the locations a finding points at, through Doc, as from ruamel's own objects
    for data, doc in ((raw[0][1], docs[0]), (raw[1][1], docs[1])):
        plain = Doc(src, data, 0)
        for mapping, tree in zip(yamldocs.walk_mappings(data), yamldocs.walk_mappings(doc.data)):
            for key in mapping:
                assert doc.key_loc(tree, key) == plain.key_loc(mapping, key)
                assert doc.value_loc(tree, key) == plain.value_loc(mapping, key)
                assert doc.node_loc(tree) == plain.node_loc(mapping)
    items = docs[0].data["services"]["worker"]["command"]
    assert Doc(src, None, 0).item_loc(items, 1) == Doc(src, None, 0).item_loc(raw[0][1]["services"]["worker"]["command"], 1)


def test_a_warm_run_parses_nothing_and_prints_the_same_bytes(tmp_path, monkeypatch, capsys):
    write_tree(tmp_path, {
        "compose.yaml": "services:\n  worker:\n    image: me/app\n    command: huey_consumer app.huey\n"
                        "    stop_grace_period: 5s\n",
        "k8s/app.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  containers:\n"
                        "  - name: w\n    command: [huey_consumer, app.huey]\n",
        "broken/compose.yaml": "services:\n  w: [\n",
        "requirements.txt": "huey==2.5.0\n",
    })
    parsed: list[str] = []
    real = yamldocs._parse
    monkeypatch.setattr(yamldocs, "_parse", lambda text: parsed.append(text) or real(text))
    cache = tmp_path.parent / f"{tmp_path.name}-cache"
    args = ["check", "--no-color", "--output-format", "json", "--cache-dir", str(cache), str(tmp_path)]
    cold = (main(args), capsys.readouterr().out)
    assert len(parsed) == 3
    # another file changed: the run is not replayed (hueylint.runcache), the YAML comes from its cache
    (tmp_path / "requirements.txt").write_text("huey==2.5.0\n# touched\n")
    warm = (main(args), capsys.readouterr().out)
    assert len(parsed) == 3 and warm == cold  # the broken file's HL001 came from the cache too
    assert {f["rule"] for f in json.loads(cold[1])["findings"]} >= {"HL001", "HL101"}
    entries = sorted(cache.rglob("yaml-*/*.json"))
    assert len(entries) == 3 and all(json.loads(entry.read_text()) for entry in entries)  # JSON, never pickle
    # a changed file alone is parsed again
    (tmp_path / "compose.yaml").write_text((tmp_path / "compose.yaml").read_text() + "# changed\n")
    assert main(args) == cold[0] and len(parsed) == 4
    capsys.readouterr()


@pytest.mark.parametrize("damage", [
    '{"docs": [[0, ["m", 0, 0, 0, false, ["services"',   # truncated
    '{"docs": [[0, ["pickle", "gASVCAAAAAAAAACMBHRlc3SULg=="]]]}',  # a tag of no schema of ours
    '{"docs": [[0, ["m", 0, 0, 0, false, ["a", ["r", 7]], null, []]]]}',  # a reference to nothing
    '{"docs": [[0, ["m", 0, 0, 0, false, ["a", 1], [0, 0], []]]]}',  # positions that do not fit
    '{"docs": [[0, ["m", 0, 0, 0, false, [["s", 1, 0, 0, true, [], null], 1], null, []]]]}',  # a list as a key
    '{"error": ["invalid", "1", 1]}',
    '[1, 2]',
])
def test_a_bad_entry_is_a_miss_and_is_rewritten(tmp_path, damage):
    store = CacheStore(tmp_path, "yaml", "test", cache_dir=tmp_path.parent / f"{tmp_path.name}-cache")
    src = source("services:\n  w: {image: x}\n")
    first = load_text(src, cache=store)
    [entry] = store.folder.rglob("*.json")
    good = entry.read_text()
    entry.write_text(damage)
    again = load_text(src, cache=store)
    assert repr([doc.data for doc in again]) == repr([doc.data for doc in first])
    assert again[0].data["services"]["w"].lc.data == first[0].data["services"]["w"].lc.data
    assert entry.read_text() == good


def test_yaml_errors_are_cached_with_their_position(tmp_path, monkeypatch):
    store = CacheStore(tmp_path, "yaml", "test", cache_dir=tmp_path.parent / f"{tmp_path.name}-cache")
    src = source("a: 1\nb: [\n")
    with pytest.raises(YamlError) as cold:
        load_text(src, cache=store)
    monkeypatch.setattr(yamldocs, "_parse", lambda text: pytest.fail("parsed again"))
    with pytest.raises(YamlError) as warm:
        load_text(src, cache=store)
    assert (str(warm.value), warm.value.line, warm.value.col) == (str(cold.value), cold.value.line, cold.value.col)


def test_no_cache_writes_nothing_and_uses_the_same_tree(tmp_path):
    folder = tmp_path.parent / f"{tmp_path.name}-cache"
    store = CacheStore(tmp_path, "yaml", "test", enabled=False, cache_dir=folder)
    docs = load_text(source(TEXT), cache=store)
    assert not folder.exists() and isinstance(docs[0].data, yamlcache.YamlMap)
    write_tree(tmp_path, {"compose.yaml": "services:\n  w:\n    command: huey_consumer app.huey\n"})
    assert main(["check", "-q", "--no-cache", "--cache-dir", str(folder), str(tmp_path)]) == 1
    assert not folder.exists()


def test_values_the_encoding_has_no_form_for_stay_ruamel_objects_and_uncached(tmp_path):
    store = CacheStore(tmp_path, "yaml", "test", cache_dir=tmp_path.parent / f"{tmp_path.name}-cache")
    text = "run: !Ref worker\nat: 2024-01-31 10:00:00\n"
    docs = load_text(source(text), cache=store)
    assert str(docs[0].data["run"]) == "worker" and str(docs[0].data["at"]) == "2024-01-31 10:00:00"
    assert type(docs[0].data).__name__ == "CommentedMap" and not store.folder.exists()


def test_fix_edits_read_the_documents_the_builders_loaded(tmp_path, monkeypatch):
    """A fix's YAML edit decodes the documents this process loaded again instead of parsing the file again;
    the empty documents count (an edit needs exactly one document) as in ruamel's ``load_all``."""
    text = "services:\n  w:\n    image: x\n"
    load_text(source(text))
    monkeypatch.setattr(yamldocs, "_parse", lambda text: pytest.fail("parsed again"))
    [document] = yamldocs.all_documents("compose.yaml", text)
    assert document == {"services": {"w": {"image": "x"}}} and document["services"].lc.key("w") == (1, 2)
    assert document is not yamldocs.all_documents("compose.yaml", text)[0]  # a fresh tree for each caller
    monkeypatch.undo()
    for other in ("a: 1\n---\n", "# nothing\n", "", "---\n---\na: 1\n", "a: [\n"):
        expected = None if other == "a: [\n" else [data for data in load_all_quietly(other)]
        found = yamldocs.all_documents("x.yaml", other)
        assert found == expected and repr(found) == repr(expected)


def test_a_text_the_fixes_parse_is_parsed_once_a_process(monkeypatch):
    """A text :func:`yamldocs.all_documents` parsed itself (no builder loaded it, no cache: ``--no-cache``) is
    decoded again for the next caller, a text ruamel refuses too: a Helm template read for each of its 20
    findings' fixes was parsed 20 times."""
    parsed: list[str] = []
    real = yamldocs._parse
    monkeypatch.setattr(yamldocs, "_parse", lambda text: parsed.append(text) or real(text))
    monkeypatch.setattr(yamldocs, "_recent", {})  # (nothing this process read before)
    for text in ("services:\n  w:\n    image: x\n", "a:\n  b: [\n  __tpl__\n"):
        first = yamldocs.all_documents("chart/templates/w.yaml", text)
        assert yamldocs.all_documents("chart/templates/w.yaml", text) == first
        assert parsed.count(text) == 1
    assert first is None  # (not YAML)


_FIXED_TREE = {
    # HL201's fix proof reads the compose file with `exec` written into its folded scalar (an edited text)
    "compose.yaml": 'services:\n  worker:\n    image: me/app\n    command: >\n      sh -c "python manage.py migrate &&\n'
                    '      huey_consumer app.huey"\n',
    # a Helm template, which the builders read as a template, is read as YAML by the fixes (ruamel refuses it)
    "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
    "chart/values.yaml": "image: x\n",
    "chart/templates/worker.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-w\n"
                                   "spec:\n  template:\n    spec:\n      containers:\n      - name: w\n"
                                   "        image: {{ .Values.image }}\n        command: [\"/bin/sh\"]\n"
                                   "        args: [\"-c\", \"huey_consumer app.huey -w 4\"]\n"
                                   "        {{- with .Values.resources }}\n        resources:\n"
                                   "          {{- toYaml . | nindent 10 }}\n        {{- end }}\n",
    "requirements.txt": "huey==2.5.0\n",
}


def test_the_texts_fixes_read_again_come_from_the_cache(tmp_path, monkeypatch, capsys):
    """The YAML texts the checks' fixes read (an edited compose file, a Helm template) are stored in the run's
    YAML cache: a run after another file changed parses no YAML, and prints the same; --no-cache writes none."""
    from hueylint import fix_edits

    write_tree(tmp_path, _FIXED_TREE)
    parsed: list[str] = []
    real = yamldocs._parse
    monkeypatch.setattr(yamldocs, "_parse", lambda text: parsed.append(text) or real(text))

    def fresh_process() -> None:
        yamldocs._recent.clear()
        fix_edits._yaml_documents.cache_clear()
        fix_edits._yaml_strings.cache_clear()

    cache = tmp_path.parent / f"{tmp_path.name}-cache"
    args = ["check", "--no-color", "--output-format", "concise", "--cache-dir", str(cache), str(tmp_path)]
    fresh_process()
    cold = (main(args), capsys.readouterr().out)
    assert "compose.yaml:5:14: HL201" in cold[1] and "worker.yaml:11:19: HL201" in cold[1]
    edited_and_templates = [text for text in parsed if "exec" in text or "{{" in text]
    assert edited_and_templates and len(parsed) > 3  # besides the three files the builders load
    (tmp_path / "requirements.txt").write_text("huey==2.5.0\n# touched\n")  # no replay of the run
    fresh_process()
    parsed.clear()
    assert (main(args), capsys.readouterr().out) == cold and parsed == []
    fresh_process()
    folder = tmp_path.parent / f"{tmp_path.name}-none"
    assert (main([*args[:-3], "--no-cache", "--cache-dir", str(folder), str(tmp_path)]),
            capsys.readouterr().out) == cold
    assert not folder.exists() and len(parsed) > 3


def test_a_mapping_answers_get_with_an_unhashable_key_as_ruamel_does():
    """``services.get(name)`` with a name read from the file (``depends_on: [[a]]``) is absent, not a crash."""
    [doc] = load_text(source("services: {a: 1}\nx: [[a]]\n"))
    [raw] = load_all_quietly("services: {a: 1}\nx: [[a]]\n")
    key = doc.data["x"][0]
    assert doc.data["services"].get(key) is raw["services"].get(raw["x"][0]) is None
    assert doc.data["services"].get("b", 2) == raw["services"].get("b", 2) == 2
    assert doc.data["services"].get("a") == 1


def test_remembered_documents_stay_within_their_bound(monkeypatch):
    monkeypatch.setattr(yamldocs, "_recent", {})
    monkeypatch.setattr(yamldocs, "_remembered", [0])
    monkeypatch.setattr(yamldocs, "REMEMBERED_CHARS", 40)
    texts = [f"a: {n}\nb: {'x' * 11}\n" for n in range(5)]  # 20 characters each
    for text in texts:
        load_text(source(text))
    assert len(yamldocs._recent) == 2 and yamldocs._remembered == [40]
    load_text(source(texts[-1]))  # loaded again: counted once
    assert len(yamldocs._recent) == 2 and yamldocs._remembered == [40]


def test_a_disabled_store_never_finds_its_folder_nor_hashes_the_code(tmp_path, monkeypatch):
    """``--no-cache``: the store neither asks for the per-user folder (platformdirs) nor calls the
    fingerprint; an enabled store calls it once, when an entry is first written or read."""
    from hueylint import cachestore

    calls: list[str] = []
    monkeypatch.setattr(cachestore, "cache_home", lambda explicit=None: calls.append("home") or tmp_path / "c")

    def fingerprint() -> str:
        calls.append("fingerprint")
        return "f1"

    disabled = CacheStore(tmp_path / "p", "yaml", fingerprint, enabled=False)
    disabled.write("k", [1])
    assert disabled.read("k") is None and calls == []
    enabled = CacheStore(tmp_path / "p", "yaml", fingerprint)
    enabled.write("k", [1])
    assert enabled.read("k") == [1] and enabled.folder.name == f"yaml-{__version__}-f1"
    assert calls == ["home", "fingerprint"]
