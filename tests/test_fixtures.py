"""Realistic fixture projects: a tree in, exact findings out.

Each folder under tests/fixtures/ is a project; its ``expected.txt`` lists one
``RULE path:line`` per finding (paths relative to the fixture), compared
exactly, so a new false positive fails as surely as a missed finding. A
``hueylint.toml`` inside the fixture configures the run. Lines starting with
``#`` are comments, except the header every fixture has::

    # launches: 3 (compose 2, systemd 1)

the number of consumer launches the engine must find, in total and per
platform, so a fixture that expects silence also proves the launch was seen
(a platform builder that finds nothing is silent too). The full rendered
output of each project is compared by tests/test_snapshots.py.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import PROJECTS

LAUNCHES = re.compile(r"^#\s*launches:\s*(\d+)\s*(?:\((.*)\))?\s*$")


def expected(project: Path) -> list[str]:
    lines = (project / "expected.txt").read_text(encoding="utf-8").splitlines()
    return sorted(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


def expected_launches(project: Path) -> tuple[int, dict[str, int] | None] | None:
    """The ``# launches: N (platform n, ...)`` header: the total and, when given, the count per platform;
    None when the fixture has no such line."""
    for line in (project / "expected.txt").read_text(encoding="utf-8").splitlines():
        match = LAUNCHES.match(line.strip())
        if match:
            per_platform = None
            if match.group(2):
                per_platform = {}
                for part in match.group(2).split(","):
                    platform, count = part.split()
                    per_platform[platform] = int(count)
            return int(match.group(1)), per_platform
    return None


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_fixture_project(linted, project):
    _, result = linted("fixture", project.name)
    found = sorted(f"{f.rule} {f.loc.path}:{f.loc.line}" for f in result.findings)
    assert found == expected(project), "\n".join(
        f"{f.rule} {f.loc.path}:{f.loc.line}: {f.message}" for f in result.findings)
    launches = Counter(launch.platform for launch in result.project.launches)
    header = expected_launches(project)
    found_header = f"# launches: {sum(launches.values())} ({', '.join(f'{k} {v}' for k, v in sorted(launches.items()))})"
    assert header is not None, f"{project.name}/expected.txt needs its launches line; if correct: {found_header}"
    total, per_platform = header
    names = [f"{launch.platform} {launch.name}" for launch in result.project.launches]
    assert sum(launches.values()) == total, (found_header, names)
    if per_platform is not None:
        assert dict(launches) == per_platform, (found_header, names)
