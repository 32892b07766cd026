"""The pre-commit hook, proven with pre-commit itself.

``pre-commit try-repo`` clones this repository (uncommitted changes to tracked
files included), pip-installs it into a fresh environment as a user's
``.pre-commit-config.yaml`` would, and runs the ``hueylint`` hook of
``.pre-commit-hooks.yaml`` in a throwaway repository. Installing needs the
package index, hence the ``network`` mark; ``.ci/run`` runs it. Outside CI a
missing ``pre-commit`` skips the test; under CI (``CI`` set) it fails.

When the hook runs at all is decided by pre-commit from the manifest's keys
(``files``, ``always_run``, ``pass_filenames``); that part is proven offline:
the manifest's hook, unchanged except that it runs this interpreter's hueylint
(``language: system``), as a local hook of a repository whose commit only
touches an extensionless entrypoint script.
"""

from __future__ import annotations

import os
import re
import shlex
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


def test_manifest_is_valid_and_runs_on_every_commit() -> None:
    pre_commit()  # skips (fails under CI) when pre-commit is not installed
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    # the whole repository is checked, whatever the commit touches: what matters is only known while linking
    assert (hook["id"], hook["entry"], hook["pass_filenames"], hook["always_run"]) == (
        "hueylint", "hueylint check", False, True)
    assert (hook["files"], hook["exclude"], hook["types"], hook["types_or"]) == ("", "^$", ["file"], [])


def test_commit_touching_only_an_extensionless_entrypoint_runs_the_hook(tmp_path: Path, env: dict[str, str]) -> None:
    """``docker/entrypoint`` matches no file-name pattern, yet dropping its ``exec`` loses tasks (HL201)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pre_commit()
    from pre_commit.clientlib import load_manifest
    from ruamel.yaml import YAML

    (hook,) = load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    local = {key: value for key, value in hook.items() if key in (
        "id", "name", "entry", "pass_filenames", "always_run", "files", "exclude", "types", "require_serial")}
    local.update(language="system", entry=hook["entry"].replace(
        "hueylint", f"{shlex.quote(sys.executable)} -I -m hueylint", 1))
    work = tmp_path / "project"
    (work / "docker").mkdir(parents=True)
    git(work, "init", "-q")
    with open(work / ".pre-commit-config.yaml", "w", encoding="utf-8") as config:
        YAML(typ="safe").dump({"repos": [{"repo": "local", "hooks": [local]}]}, config)
    (work / "hueylint.toml").write_text('fail-on = "error"\n', encoding="utf-8")
    (work / "Dockerfile").write_text('FROM python:3.12\nCOPY docker/entrypoint /entrypoint\nSTOPSIGNAL SIGINT\n'
                                     'ENTRYPOINT ["/entrypoint"]\n', encoding="utf-8")
    (work / "docker/entrypoint").write_text("#!/bin/sh\nexec huey_consumer app.huey -w 2\n", encoding="utf-8")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "worker image")
    (work / "docker/entrypoint").write_text("#!/bin/sh\nhuey_consumer app.huey -w 2\n", encoding="utf-8")
    git(work, "add", "docker/entrypoint")
    env = {**env, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    proc = subprocess.run([pre_commit(), "run", "--color", "never"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert re.search(r"hueylint\.+Failed", output), output
    assert "Dockerfile:4:14: HL201 [error]" in output, output


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
