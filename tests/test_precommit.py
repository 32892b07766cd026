"""The pre-commit hook, proven with pre-commit itself.

``pre-commit try-repo`` clones this repository (uncommitted changes to tracked
files included), pip-installs it into a fresh environment as a user's
``.pre-commit-config.yaml`` would, and runs the ``hueylint`` hook of
``.pre-commit-hooks.yaml`` in a throwaway repository. Installing needs the
package index, hence the ``network`` mark; ``.ci/run`` runs it. Outside CI a
missing ``pre-commit`` skips the test; under CI (``CI`` set) it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

BROKEN = 'services:\n  worker:\n    image: x\n    command: ["huey_consumer", "app.huey"]\n'
FIXED = ('services:\n  worker:\n    image: x\n    command: ["huey_consumer", "app.huey", "-g", "TERM", "-t", "25"]\n'
         "    stop_grace_period: 30s\n    restart: unless-stopped\n")


def pre_commit() -> str:
    beside = Path(sys.executable).parent / "pre-commit"
    found = shutil.which("pre-commit") or (str(beside) if beside.is_file() else None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("pre-commit is not installed (pip install -e '.[test]'); CI must run this test")
        pytest.skip("pre-commit is not installed")
    return found


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"GIT_AUTHOR_NAME": "hueylint tests", "GIT_AUTHOR_EMAIL": "tests@example.invalid",
                "GIT_COMMITTER_NAME": "hueylint tests", "GIT_COMMITTER_EMAIL": "tests@example.invalid",
                "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never"})
    env.pop("PRE_COMMIT", None)
    return env


def try_repo(workdir: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([pre_commit(), "try-repo", str(REPO), "hueylint", "--all-files", "--color", "never"],
                          cwd=workdir, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.network
def test_hook_fails_on_a_broken_compose_file_and_passes_when_fixed(tmp_path: Path, env: dict[str, str]) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    work = tmp_path / "project"
    work.mkdir()
    git(work, "init", "-q")
    (work / "compose.yaml").write_text(BROKEN, encoding="utf-8")
    git(work, "add", "compose.yaml")

    broken = try_repo(work, env)
    output = broken.stdout + broken.stderr
    assert broken.returncode == 1, output
    assert re.search(r"hueylint\.+Failed", output), output
    assert "compose.yaml:2:3: HL101" in output, output

    (work / "compose.yaml").write_text(FIXED, encoding="utf-8")
    git(work, "add", "compose.yaml")
    fixed = try_repo(work, env)
    output = fixed.stdout + fixed.stderr
    assert fixed.returncode == 0, output
    assert re.search(r"hueylint\.+Passed", output), output
