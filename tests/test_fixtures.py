"""Realistic fixture projects: a tree in, exact findings out.

Each folder under tests/fixtures/ is a project; its ``expected.txt`` lists one
``RULE path:line`` per finding (paths relative to the fixture), compared
exactly, so a new false positive fails as surely as a missed finding. A
``hueylint.toml`` inside the fixture configures the run. Lines starting with
``#`` are comments.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import lint

FIXTURES = Path(__file__).parent / "fixtures"
PROJECTS = sorted(p for p in FIXTURES.iterdir() if (p / "expected.txt").is_file()) if FIXTURES.is_dir() else []


def expected(project: Path) -> list[str]:
    lines = (project / "expected.txt").read_text(encoding="utf-8").splitlines()
    return sorted(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_fixture_project(tmp_path, project):
    root = tmp_path / project.name
    shutil.copytree(project, root, symlinks=True, ignore=shutil.ignore_patterns("expected.txt"))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    result = lint(root)
    found = sorted(f"{f.rule} {f.loc.path}:{f.loc.line}" for f in result.findings)
    assert found == expected(project), "\n".join(
        f"{f.rule} {f.loc.path}:{f.loc.line}: {f.message}" for f in result.findings)
