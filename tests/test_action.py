"""action.yml: the composite action's shell step, run locally with its inputs as environment variables.

The install step is observed through a stand-in virtualenv, so the whole script
runs offline: its ``python`` logs ``pip`` calls instead of reaching PyPI (and,
with the flags the script gave, imports what pip imports first, so a module of
the checked-out repository shadowing the standard library would run), runs the
real interpreter for everything else; its ``hueylint`` is a console script like
the one pip writes (``sys.path`` starts at the venv's ``bin``), importing
hueylint from this checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import write_tree

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "action-run.sh"

BROKEN = {"deploy/huey.service": "[Service]\nExecStart=/srv/venv/bin/huey_consumer app.huey -w 2\n"}

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


@pytest.fixture
def fake_venv(tmp_path: Path) -> tuple[Path, Path]:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    log = tmp_path / "pip.log"
    python = venv / "bin" / "python"
    python.write_text(
        "#!/usr/bin/env bash\n"
        'flags=(); while [ "${1:-}" != -m ] && [ "${1:-}" != -c ] && [ $# -gt 0 ]; do flags+=("$1"); shift; done\n'
        f'if [ "${{1:-}} ${{2:-}}" = "-m pip" ]; then printf "%s\\n" "${{flags[*]}} $*" >> "{log}"\n'
        f'  exec "{sys.executable}" "${{flags[@]}}" -c "import re, json, email, csv"; fi\n'
        f'exec "{sys.executable}" "${{flags[@]}}" "$@"\n')
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    script = venv / "bin" / "hueylint"
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(1, {str(REPO)!r})\n"
                      "from hueylint.cli import main\nsys.exit(main())\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return venv, log


def run_action(cwd: Path, venv: Path, **inputs: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("INPUT_", "GITHUB_"))}
    env.update({f"INPUT_{key.upper()}": value for key, value in inputs.items()})
    env["HUEYLINT_VENV"] = str(venv)
    env["GITHUB_OUTPUT"] = str(cwd / "github_output.txt")
    env["NO_COLOR"] = "1"
    return subprocess.run(["bash", str(SCRIPT)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_action_yml_passes_every_input_to_the_script() -> None:
    from ruamel.yaml import YAML

    action = YAML(typ="safe").load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert {"paths", "format", "args", "version"} <= set(action["inputs"])
    (step,) = action["runs"]["steps"]
    assert step["shell"] == "bash" and "scripts/action-run.sh" in step["run"]
    assert "$GITHUB_ACTION_PATH" in step["run"]
    for name in action["inputs"]:
        assert step["env"][f"INPUT_{name.upper()}"] == f"${{{{ inputs.{name} }}}}"
    assert os.access(SCRIPT, os.X_OK)


def test_github_annotations_and_failing_exit_code(tmp_path: Path, fake_venv) -> None:
    venv, log = fake_venv
    write_tree(tmp_path / "repo", BROKEN)
    proc = run_action(tmp_path / "repo", venv, paths=".", format="github", args="", version="")
    assert proc.returncode == 1, proc.stderr
    assert "::error file=deploy/huey.service,line=2" in proc.stdout
    assert "title=HL101" in proc.stdout
    # No version: the action installs its own checkout.
    assert log.read_text().split("\n")[0] == f"-I -m pip install --disable-pip-version-check --quiet --upgrade {REPO}"
    # the command that ran, as it ran (the venv's console script, not `python -m` in the checkout)
    assert f"{venv}/bin/hueylint check --format github -- ." in proc.stderr
    assert "exit-code=1" in (tmp_path / "repo" / "github_output.txt").read_text()


def test_version_input_installs_from_pypi(tmp_path: Path, fake_venv) -> None:
    venv, log = fake_venv
    write_tree(tmp_path / "repo", {"README.md": "nothing to lint\n"})
    for version, spec in (("0.1.0", "hueylint==0.1.0"), ("v0.1.0", "hueylint==0.1.0"), ("latest", "hueylint")):
        proc = run_action(tmp_path / "repo", venv, version=version, format="text")
        assert proc.returncode == 0, proc.stderr
        assert log.read_text().strip().split("\n")[-1].endswith(f"--upgrade {spec}")


def test_sarif_with_extra_args_and_quoted_paths(tmp_path: Path, fake_venv) -> None:
    venv, _ = fake_venv
    repo = tmp_path / "repo"
    write_tree(repo, {"my deploy/huey.service": BROKEN["deploy/huey.service"], "other/huey.service": "[Service]\n"})
    (repo / ".git").mkdir()  # a checkout: URIs are relative to its root, not to the checked folder
    proc = run_action(repo, venv, paths="'my deploy'", format="sarif", args="--exit-zero --sarif-category 'workers'")
    assert proc.returncode == 0, proc.stderr
    sarif = json.loads((repo / "hueylint.sarif").read_text())
    run = sarif["runs"][0]
    assert run["automationDetails"]["id"] == "workers/"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"my%20deploy/huey.service"}
    outputs = (repo / "github_output.txt").read_text()
    assert "sarif-file=hueylint.sarif" in outputs and "exit-code=0" in outputs


@pytest.mark.parametrize("fmt", ["concise", "gitlab"])
def test_every_output_format_passes_through(tmp_path: Path, fake_venv, fmt: str) -> None:
    """action.yml and the README: `format` takes any `--output-format`, concise and gitlab too."""
    venv, _ = fake_venv
    write_tree(tmp_path / "repo", BROKEN)
    proc = run_action(tmp_path / "repo", venv, format=fmt, output="report.out")
    assert proc.returncode == 1, proc.stderr
    report = (tmp_path / "repo" / "report.out").read_text()
    if fmt == "gitlab":
        assert {issue["check_name"] for issue in json.loads(report)} >= {"HL101"}
    else:
        assert "\ndeploy/huey.service:2:11: HL101 [error] systemd stops `huey.service` with SIGTERM" in report


def test_args_are_not_evaluated(tmp_path: Path, fake_venv) -> None:
    venv, _ = fake_venv
    write_tree(tmp_path / "repo", {"README.md": "x\n"})
    proc = run_action(tmp_path / "repo", venv, format="json", args="--exit-zero --huey-version '$(touch pwned)'")
    assert proc.returncode == 2  # the argument reached hueylint verbatim and was refused as a version
    assert not (tmp_path / "repo" / "pwned").exists()


def test_usage_errors_pass_through(tmp_path: Path, fake_venv) -> None:
    venv, _ = fake_venv
    (tmp_path / "repo").mkdir()
    proc = run_action(tmp_path / "repo", venv, paths="missing-folder", format="text")
    assert proc.returncode == 2
    assert "missing-folder: no such file or folder" in proc.stderr


def test_repository_code_never_runs(tmp_path: Path, fake_venv) -> None:
    """A pull request's own ``hueylint/`` package and modules shadowing the standard library (``re.py``,
    ``json.py``, which pip and hueylint import) never run: nothing is imported from the working directory."""
    venv, _ = fake_venv
    repo = tmp_path / "repo"
    marker = tmp_path / "MARKER"
    payload = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
    write_tree(repo, {**BROKEN, "hueylint/__init__.py": payload, "hueylint/__main__.py": payload,
                      "hueylint/cli.py": payload + "def main():\n    return 0\n",
                      "re.py": payload, "json.py": payload, "venv.py": payload})
    proc = run_action(repo, venv, format="text", args="--no-color")
    assert not marker.exists(), marker.read_text()
    assert proc.returncode == 1, proc.stderr
    assert "deploy/huey.service:2:11: HL101 [error]" in proc.stdout


@pytest.mark.parametrize(("name", "value"), [("args", "--exit-zero --select 'HL1"), ("paths", "deploy 'docker")])
def test_malformed_input_fails_the_step(tmp_path: Path, fake_venv, name: str, value: str) -> None:
    """An unbalanced quote is an error naming the input, not a run without the input (or with paths=.)."""
    venv, log = fake_venv
    write_tree(tmp_path / "repo", BROKEN)
    proc = run_action(tmp_path / "repo", venv, format="text", **{name: value})
    assert proc.returncode == 2
    assert proc.stdout == (f"::error title=hueylint::input `{name}` is not valid shell-style words "
                           f"(No closing quotation): {value!r}\n")
    assert "Traceback" not in proc.stderr and "hueylint check" not in proc.stderr
    assert not log.exists()  # failed before installing anything


@pytest.mark.network
def test_real_install_of_the_action_checkout(tmp_path: Path) -> None:
    """No stand-in: the script creates its virtualenv and pip-installs this checkout (needs the index)."""
    repo = tmp_path / "repo"
    write_tree(repo, BROKEN)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("INPUT_", "GITHUB_"))}
    env.update({"INPUT_FORMAT": "json", "INPUT_ARGS": "--exit-zero", "HUEYLINT_VENV": str(tmp_path / "venv"),
                "HUEYLINT_BASE_PYTHON": sys.executable})
    proc = subprocess.run(["bash", str(SCRIPT)], cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    assert any(f["rule"] == "HL101" for f in json.loads(proc.stdout)["findings"])
