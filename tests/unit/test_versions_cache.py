"""Each dependency file's huey facts (pins, includes, HL001 error) cached by content: a warm run reads no
lock file again and still reports a broken one; a bad entry is a miss; ``--no-cache`` writes nothing."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from hueylint.cli import main
from hueylint.sources import SourceFile
from hueylint.versions import cache as cache_module
from hueylint.versions.cache import DependencyCache, decode, encode, read_facts
from tests.helpers import write_tree
from tests.unit.test_versions import POETRY_LOCK, UV_LOCK

FILES = {
    "uv.lock": UV_LOCK,
    "b/poetry.lock": POETRY_LOCK,
    "c/pyproject.toml": '[tool.poetry.dependencies]\nhuey = {version = "^2.5", extras = ["redis"], python = "<3.12"}\n',
    "d/requirements.txt": "-r requirements-base.txt\n-c constraints.txt\nhuey[redis]>=2.0 ; python_version > '3.8'  # ok\n",
    "d/requirements-base.txt": "huey==${HUEY}\n",
    "e/Pipfile.lock": '{"default": {"huey": {"version": "==2.4.5"}}}',
    "f/uv.lock": '[[package]]\nname = "huey\n',
    "g/Dockerfile": "FROM python:3.12\nRUN pip install 'huey~=2.5' gunicorn\n",
}


def source(rel: str, text: str) -> SourceFile:
    return SourceFile(Path(rel), rel, textwrap.dedent(text).lstrip("\n"))


@pytest.mark.parametrize("rel", sorted(FILES))
def test_the_entry_keeps_every_fact(rel):
    facts = read_facts(source(rel, FILES[rel]))
    assert decode(json.loads(json.dumps(encode(facts)))) == facts
    assert facts.pins or facts.includes or facts.error  # each file says something


def test_a_warm_run_reads_no_dependency_file_and_keeps_hl001(tmp_path, monkeypatch, capsys):
    write_tree(tmp_path, {**{rel: textwrap.dedent(text).lstrip("\n") for rel, text in FILES.items()},
                          "d/compose.yaml": "services:\n  w:\n    build: .\n    command: huey_consumer app.huey\n"})
    read: list[str] = []
    real = cache_module.read_facts
    monkeypatch.setattr(cache_module, "read_facts", lambda src: read.append(src.rel) or real(src))
    cache = tmp_path.parent / f"{tmp_path.name}-cache"
    args = ["check", "--no-color", "--output-format", "json", "--cache-dir", str(cache), str(tmp_path)]
    cold = (main(args), capsys.readouterr().out)
    assert sorted(read) == sorted(FILES)
    # another file changed: the run is not replayed (hueylint.runcache), the pins come from their cache
    compose = tmp_path / "d/compose.yaml"
    compose.write_text(compose.read_text() + "# touched\n")
    warm = (main(args), capsys.readouterr().out)
    assert sorted(read) == sorted(FILES) and warm == cold
    assert ("HL001", "f/uv.lock") in {(f["rule"], f["path"]) for f in json.loads(warm[1])["findings"]}
    entries = sorted(cache.rglob("versions-*/*.json"))
    assert len(entries) == len(FILES)
    for entry in entries:  # a damaged entry is read again and rewritten
        entry.write_text('{"pins": [{"spec": 1}], "includes": [], "error": null}')
    compose.write_text(compose.read_text() + "# again\n")
    assert (main(args), capsys.readouterr().out) == cold and len(read) == 2 * len(FILES)
    assert all(decode(json.loads(entry.read_text())) is not None for entry in entries)
    compose.write_text(compose.read_text() + "# and again\n")
    assert (main(args), capsys.readouterr().out) == cold and len(read) == 2 * len(FILES)


@pytest.mark.parametrize("data", [
    None, [], {"pins": [], "includes": [3], "error": None}, {"pins": [], "includes": [], "error": [1, 1]},
    {"pins": [{"spec": "", "version": None, "loc": ["a", 1, 1, 1, 1], "locked": False, "minimum": False,
               "name": "huey", "marker": "", "extras": [], "allowed": None}], "includes": [], "error": None},
])
def test_data_of_another_shape_is_a_miss(data):
    assert decode(data) is None


def test_no_cache_reads_every_file_and_writes_nothing(tmp_path):
    folder = tmp_path.parent / f"{tmp_path.name}-cache"
    cache = DependencyCache(tmp_path, enabled=False, cache_dir=folder)
    lock = source("uv.lock", UV_LOCK)
    assert cache.facts(lock) == cache.facts(lock) == read_facts(lock)
    assert (cache.hits, cache.misses) == (0, 2) and not folder.exists()
