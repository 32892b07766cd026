"""Which symlinks found while walking get a notice (:func:`hueylint.discovery.link_refusal`).

Field: an Ansible repository (`playbooks/*/roles -> ../../roles`) got one "symlink to a folder: not followed"
per playbook though the roles are walked at their own path, and a Django project's static files linked to a
`node_modules` the checkout lacks got "broken symlink" notices for `.js` and `.css` files hueylint never reads.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hueylint.discovery import walk_tree
from tests.helpers import write_tree

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symlinks as on POSIX")
OUTSIDE = "symlink to a folder outside the checked tree: not followed, its files are not checked"
BROKEN = "broken symlink or symlink loop: skipped"


def _notices(tmp_path: Path, links: dict[str, str]) -> list[tuple[str, str]]:
    repo = tmp_path / "repo"
    write_tree(repo, {"roles/app/templates/huey.service.j2": "[Service]\nExecStart=/v/huey_consumer app.huey\n",
                      "static/site.css": "body {}\n", "deploy/.keep": "", "playbooks/web/site.yml": "- hosts: all\n"})
    (tmp_path / "elsewhere").mkdir()
    for link, target in links.items():
        os.symlink(target, repo / link)
    walked = walk_tree([repo], repo, [], stamped=False)
    return [(notice.rel, notice.reason) for notice in walked.notices]


def test_a_link_to_a_folder_of_the_tree_needs_no_notice(tmp_path):
    assert _notices(tmp_path, {"playbooks/web/roles": "../../roles", "current": "deploy"}) == []


def test_a_link_to_a_folder_outside_the_tree_is_a_notice(tmp_path):
    assert _notices(tmp_path, {"system": str(tmp_path / "elsewhere"), "up": ".."}) == [
        ("system", OUTSIDE), ("up", OUTSIDE)]


def test_a_broken_link_is_a_notice_when_its_name_is_read(tmp_path):
    links = {"deploy/huey.service": "/nowhere/huey.service", "deploy/start.sh": "../missing.sh",
             "deploy/compose.yaml": "compose.yaml", "deploy/settings.py": "/nowhere/settings.py"}
    assert _notices(tmp_path, links) == [
        ("deploy/compose.yaml", BROKEN), ("deploy/huey.service", BROKEN), ("deploy/settings.py", BROKEN),
        ("deploy/start.sh", BROKEN)]


def test_a_broken_link_named_as_no_file_hueylint_reads_needs_no_notice(tmp_path):
    links = {"static/alpine.js": "../node_modules/alpinejs/cdn.min.js", "static/simple.css": "/nowhere/simple.css",
             "static/base": "../build/static/", "playbooks/old": "/home/someone/roles"}
    assert _notices(tmp_path, links) == []


def test_a_link_to_a_folder_outside_the_named_folder_is_a_notice(tmp_path):
    """`hueylint check playbooks`: the roles the link leads to are in the repository but not walked in this run."""
    repo = tmp_path / "repo"
    write_tree(repo, {"roles/app/templates/huey.service.j2": "[Service]\nExecStart=/v/huey_consumer app.huey\n",
                      "playbooks/web/site.yml": "- hosts: all\n", "pyproject.toml": "[project]\nname = 'x'\n"})
    os.symlink("../../roles", repo / "playbooks/web/roles")
    walked = walk_tree([repo / "playbooks"], repo, [], stamped=False)
    assert [(notice.rel, notice.reason) for notice in walked.notices] == [
        ("playbooks/web/roles", "symlink to a folder outside the checked tree: not followed, its files are not checked")]
