"""Steps a platform runs to completion before it deploys anything (a Dockerfile ``RUN``, a PaaS ``release``
entry, Fly's ``release_command``, a Kubernetes init container) start no consumer service: a consumer there is
no launch, and it is said (a notice, a dropped candidate for ``inspect``), never silence and never the
findings of a running process (fixtures field-build-step-consumer, field-release-phase-consumer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.platforms.docker import BUILD_STEP_WHY
from hueylint.platforms.fly import RELEASE_COMMAND_WHY
from hueylint.platforms.kubernetes import INIT_CONTAINER_WHY, SIDECAR_WHY
from hueylint.platforms.procfile import RELEASE_PHASE_WHY
from tests.helpers import lint, write_tree

PIN = {"requirements.txt": "huey==2.5.0\n"}


def _said(result) -> list[tuple[str, str]]:
    return [(notice.rel, notice.reason) for notice in result.notices]


@pytest.mark.parametrize("run, script", [
    ("RUN python manage.py run_huey", None),
    ("RUN bash start.sh", "huey_consumer app.huey -w 2\n"),  # no shebang, no slash: bash opens it in the WORKDIR
    ("RUN [\"/bin/sh\", \"start.sh\"]", "#!/bin/sh\nexec huey_consumer app.huey\n"),
])
def test_a_consumer_a_run_starts_is_no_launch_and_is_said(tmp_path: Path, run: str, script: str | None) -> None:
    files = {**PIN, "Dockerfile": f"FROM python:3.12\nWORKDIR /srv\nCOPY . .\n{run}\nCMD [\"gunicorn\", \"app:app\"]\n"}
    if script is not None:
        files["start.sh"] = script
    write_tree(tmp_path, files)
    result = lint(tmp_path)
    where = "Dockerfile:4" if script is None else "start.sh:" + str(1 if not script.startswith("#!") else 2)
    program = "run_huey" if script is None else "huey_consumer"
    assert (result.project.launches, result.findings) == ([], [])
    assert _said(result) == [("Dockerfile", f"line 4: `RUN` starts the consumer `{program}` ({where}), but "
                                            f"{BUILD_STEP_WHY}: no consumer launch, not checked")]
    assert [(str(item.loc), item.what) for item in result.project.dropped] == [(where, "`RUN` at Dockerfile:4")]


def test_runs_that_start_no_consumer_are_quiet(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PIN, "install.sh": "#!/bin/sh\npip install -r requirements.txt\n",
                          "Dockerfile": "FROM python:3.12\nCOPY . .\nRUN sh install.sh && python manage.py migrate\n"
                                        "CMD [\"python\", \"manage.py\", \"run_huey\"]\n"})
    result = lint(tmp_path)
    assert ([launch.platform for launch in result.project.launches], _said(result)) == (["docker"], [])


def test_bash_opens_a_bare_script_name_in_the_working_folder_first(tmp_path: Path) -> None:
    """bash(1): a script name without a slash is looked for in the working folder, then on PATH.  Here the
    repository has two files of that name and a folder COPY over `/` (which puts no such file on PATH):
    only the working folder tells which one runs."""
    write_tree(tmp_path, {**PIN, "docker/worker.sh": "exec huey_consumer app.huey\n",
                          "deploy/worker.sh": "exec gunicorn app:app\n", "src/app.py": "",
                          "Dockerfile": "FROM python:3.12\nCOPY src/ ./\nCOPY docker/worker.sh ./\n"
                                        "CMD [\"bash\", \"worker.sh\"]\n"})
    (launch,) = lint(tmp_path).project.launches
    assert (launch.program, launch.unresolved, [hop.kind for hop in launch.chain]) == \
        ("huey_consumer", [], ["platform", "script", "launcher"])


def test_workdir_dot_keeps_the_working_folder(tmp_path: Path) -> None:
    from hueylint.parsers.dockerfile import parse
    from hueylint.sources import SourceFile

    text = "FROM python:3.12\nWORKDIR /srv\nWORKDIR .\nWORKDIR ./app/..\nFROM python:3.12\nWORKDIR .\n"
    stages = parse(SourceFile(tmp_path / "Dockerfile", "Dockerfile", text)).stages
    assert [stage.workdir for stage in stages] == ["/srv", "/"]


def test_a_release_entry_is_no_process_of_the_app(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PIN, "app.json": "{}\n",
                          "Procfile": "release: python manage.py migrate && python manage.py run_huey\n"
                                      "worker: python manage.py run_huey -n\n"})
    result = lint(tmp_path)
    assert [(launch.name, launch.loc.line) for launch in result.project.launches] == [("worker", 2)]
    assert [(f.rule, f.loc.line) for f in result.findings] == [("HL101", 2)]
    assert _said(result) == [("Procfile", "line 1: the `release` entry starts the consumer `run_huey` (Procfile:1), "
                                          f"but {RELEASE_PHASE_WHY}: no consumer launch, not checked")]


def test_a_release_entry_that_starts_no_consumer_changes_nothing(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PIN, "app.json": "{}\n", "Procfile": "release: python manage.py migrate\n"
                                                                 "worker: python manage.py run_huey -n\n"})
    result = lint(tmp_path)
    assert ([launch.name for launch in result.project.launches], _said(result)) == (["worker"], [])


def test_a_release_command_is_no_machine_of_the_app(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PIN, "fly.toml": "app = 'shop'\n[build]\n  image = 'reg/shop:1'\n[deploy]\n"
                                             "  release_command = 'python manage.py run_huey'\n"})
    result = lint(tmp_path)
    assert [launch.platform for launch in result.project.launches] == []  # (the image's own command is unknown)
    assert _said(result) == [("fly.toml", "line 5: `release_command` starts the consumer `run_huey` (fly.toml:5), "
                                          f"but {RELEASE_COMMAND_WHY}: no consumer launch, not checked")]


def test_init_containers_and_sidecars_are_said(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PIN, "deploy.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  template:\n    spec:\n"
        "      initContainers:\n"
        "        - name: migrate\n          image: shop:1\n          command: [python, manage.py, migrate]\n"
        "        - name: queue\n          image: shop:1\n          command: [python, manage.py, run_huey]\n"
        "        - name: side\n          image: shop:1\n          restartPolicy: Always\n"
        "          args: [huey_consumer, app.huey]\n"
        "      containers:\n        - name: web\n          image: shop:1\n          command: [gunicorn, app:app]\n")})
    result = lint(tmp_path)
    assert (result.project.launches, result.findings) == ([], [])
    assert _said(result) == [
        ("deploy.yaml", "line 12: init container `queue` starts the consumer `run_huey` (deploy.yaml:14), but "
                        f"{INIT_CONTAINER_WHY}: no consumer launch, not checked"),
        ("deploy.yaml", "line 15: sidecar container `side` starts the consumer `huey_consumer` (deploy.yaml:18), but "
                        f"{SIDECAR_WHY}: no consumer launch, not checked")]


@pytest.mark.parametrize("key", ["preDeployCommand", "buildCommand"])
def test_render_build_and_pre_deploy_commands_are_said(tmp_path: Path, key: str) -> None:
    from hueylint.platforms.render import STEP_WHY

    write_tree(tmp_path, {**PIN, "render.yaml": f"services:\n  - type: web\n    name: shop\n    runtime: python\n"
                                                f"    {key}: python manage.py run_huey -w 2\n"
                                                "    startCommand: gunicorn shop.wsgi\n"})
    result = lint(tmp_path)
    column = len(f"    {key}: ") + 1
    assert (result.project.launches, result.findings) == ([], [])
    assert _said(result) == [("render.yaml", f"line 5: `{key}` starts the consumer `run_huey` (render.yaml:5), but "
                                             f"{STEP_WHY}: no consumer launch, not checked")]
    assert [(item.loc.line, item.loc.col) for item in result.project.dropped] == [(5, column + len("python "))]  # (at `manage.py`)


def test_a_run_that_asks_the_consumer_for_its_help_is_quiet(tmp_path: Path) -> None:
    """`--help` (and Django's `--version`) print and exit: a check that the consumer is installed, no consumer."""
    write_tree(tmp_path, {**PIN, "Dockerfile": "FROM python:3.12\nRUN huey_consumer --help\n"
                                               "RUN python manage.py run_huey --version\nCMD [\"gunicorn\", \"app:app\"]\n"})
    result = lint(tmp_path)
    assert (result.project.launches, _said(result), result.project.dropped) == ([], [], [])
