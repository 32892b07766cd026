"""A file over discovery's size limit whose content decides whether it matters (Python, YAML, JSON, INI-like)
gets a notice only when its content could matter (:func:`hueylint.discovery._too_large`).

Field: a shipping API's generated schema modules (9 Python files over 2 MiB), a Django app's JSON fixtures and
a compliance library's YAML files each got "larger than 2 MiB: skipped", though a smaller file of the same
content is dropped without a word (no huey marker, no clue of a deployment format).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint import discovery
from tests.helpers import write_tree

SKIPPED = "larger than 64 bytes: skipped"


@pytest.fixture(autouse=True)
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discovery, "MAX_BYTES", 64)
    monkeypatch.setattr(discovery, "MAX_SNIFFED_BYTES", 1024)


def _notices(root: Path, files: dict[str, str]) -> list[tuple[str, str]]:
    write_tree(root, files)
    result = discovery.discover([root], root, [])
    return [(notice.rel, notice.reason) for notice in result.notices]


def test_content_that_cannot_matter_gets_no_notice(tmp_path):
    assert _notices(tmp_path, {
        "schemas/book_pickup.py": "class Pickup:\n    pass\n" * 10,  # no huey marker
        "fixtures/companies.json": '[{"model": "companies.company", "pk": 1}]\n' * 5,
        "library/framework.yaml": "urn: x\nname: y\n" * 10,
        "setup.cfg.d/tool.ini": "[tool]\nline_length = 120\n" * 5}) == []


def test_content_that_could_matter_gets_the_notice(tmp_path):
    assert _notices(tmp_path, {
        "app/tasks.py": "from huey.contrib.djhuey import db_task\n" * 5,
        "settings/base.py": "DEBUG = False\nHUEY = {}\n" * 10,  # a settings module: parsed whatever it holds
        "k8s/all.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: huey-worker}\n" * 5,
        "deploy/ecs.json": '{"containerDefinitions": [{"name": "Huey", "image": "app"}]}' + " " * 64}) == [
        ("app/tasks.py", SKIPPED), ("deploy/ecs.json", SKIPPED), ("k8s/all.yaml", SKIPPED),
        ("settings/base.py", SKIPPED)]


def test_content_that_never_names_huey_is_dropped_before_the_clue_searches(tmp_path):
    """Megabytes of YAML (a compliance library) are searched for huey's name first: without it no launch or app
    of huey is written there, and the searches for each format's clues (0.1 s of a cold run on
    ciso-assistant-community's four such files) are not made."""
    assert _notices(tmp_path, {
        "settings/base.py": "DEBUG = False\n" * 10,
        "k8s/all.yaml": "apiVersion: apps/v1\nkind: Deployment\n" * 5}) == []


def test_a_file_too_large_to_tell_gets_the_notice(tmp_path):
    assert _notices(tmp_path, {"schemas/huge.py": "x = 1\n" * 200}) == [("schemas/huge.py", SKIPPED)]


def test_content_naming_a_consumer_in_a_form_not_followed_gets_that_notice(tmp_path):
    small = _notices(tmp_path / "small", {"ops/run.yaml": "job:\n  cmd: huey_consumer app.huey\n"})
    large = _notices(tmp_path / "large", {"ops/run.yaml": "job:\n  cmd: huey_consumer app.huey\n" + "# x\n" * 20})
    assert small and [reason for _, reason in large] == [reason for _, reason in small]
