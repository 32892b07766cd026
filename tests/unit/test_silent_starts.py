"""Commands that start a consumer and were dropped without a trace (no launch, no HL004, no candidate for
``inspect``): each is now a launch (followed, or HL004 for what is not), or a dropped candidate; commands that
only name huey stay quiet (fixture silent-consumer-starts)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hueylint.chain import PYTHON_CODE_WHY
from tests.helpers import lint, write_tree
from tests.unit.chain_scripts import argv, one, run


@pytest.mark.parametrize("code", [
    "from huey.bin.huey_consumer import consumer_main; consumer_main()",
    "import huey.bin.huey_consumer as c; c.consumer_main()",
    "import django; django.setup(); from django.core.management import call_command; call_command('run_huey')",
    "from app import huey; huey.create_consumer(workers=2).run()",
])
def test_python_code_starting_a_consumer_is_a_launch_not_followed(code: str) -> None:
    hit = one(run(["python3", "-c", code, "app.huey"]))
    assert (hit.program, hit.options_unknown, [p.why for p in hit.unresolved]) == ("unknown", True, [PYTHON_CODE_WHY])


@pytest.mark.parametrize("code", ["import huey; print(huey.__version__)", "from app import huey; huey.flush()",
                                  "import app.wsgi"])
def test_python_code_using_huey_is_no_launch(code: str) -> None:
    assert run(["python3", "-c", code]) == []


@pytest.mark.parametrize("words", [["busybox", "sh", "-c", "exec huey_consumer app.huey -w 2"],
                                   ["/bin/busybox", "env", "huey_consumer", "app.huey", "-w", "2"]])
def test_busybox_runs_its_applet(words: list[str]) -> None:
    hit = one(run(words))
    assert (hit.program, argv(hit), hit.unresolved) == ("huey_consumer", ["app.huey", "-w", "2"], [])


def test_a_sourced_script_named_for_huey_that_is_not_committed() -> None:
    hit = one(run(["./start.sh"], {"./start.sh": "#!/bin/sh\nset -e\n. ./bin/run-huey.sh\n"}))
    assert [(p.what, p.why) for p in hit.unresolved] == [("sourced script `./bin/run-huey.sh`",
                                                          "not found in the repository")]


@pytest.mark.parametrize("script", [
    "#!/bin/sh\n. ./huey-env.sh\nexec huey_consumer app.huey\n",  # its environment, beside the consumer
    "#!/bin/sh\n. /etc/default/huey\nexec gunicorn app.wsgi\n",  # an env file of the host
    "#!/bin/sh\n. ./web-env.sh\nexec gunicorn app.wsgi\n",
])
def test_a_sourced_file_beside_the_start_is_no_launch_of_its_own(script: str) -> None:
    assert [hit.unresolved for hit in run(["./start.sh"], {"./start.sh": script})] in ([], [[]])


@pytest.mark.parametrize("shebang", ["#!/srv/venv/bin/python3 -u", "#!/usr/bin/env python3", "#!/usr/bin/env -S python3.12 -u",
                                     "#! /usr/bin/env PYTHONUNBUFFERED=1 python"])
def test_a_python_program_found_by_its_shebang(tmp_path: Path, shebang: str) -> None:
    write_tree(tmp_path, {"requirements.txt": "huey==2.5.0\n", "app.py": "from huey import RedisHuey\nhuey = RedisHuey()\n",
                          "scripts/worker": f"{shebang}\nimport subprocess\n\n"
                                            "subprocess.Popen(['huey_consumer', 'app.huey']).wait()\n",
                          "Procfile": "worker: scripts/worker\n", "tools/notes": "#!/usr/bin/env ruby\nputs 'huey'\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (launch,) = lint(tmp_path).project.launches
    assert [hop.name for hop in launch.chain][-1:] == ["python worker"] and launch.unresolved == []


@pytest.mark.parametrize("command", ["/usr/bin/supervisorctl start 'huey_consumer app.huey'",
                                     "/usr/bin/uwsgi --daemonize 'huey_consumer app.huey'"])
def test_a_consumer_inside_one_word_is_a_dropped_candidate(tmp_path: Path, command: str) -> None:
    write_tree(tmp_path, {"requirements.txt": "huey==2.5.0\n", "deploy/x.service": f"[Service]\nExecStart={command}\n"})
    result = lint(tmp_path)
    assert result.project.launches == [] and [(d.loc.path, d.loc.line) for d in result.project.dropped] == [
        ("deploy/x.service", 2)]


@pytest.mark.parametrize(("words", "what"), [
    (["python", "manage.py", "$HUEY_COMMAND"], "`$HUEY_COMMAND`"),
    (["./manage.py", "--settings=site.prod", "${WORKER_CMD:-run_huey}", "-w", "2"], "`${WORKER_CMD:-run_huey}`"),
])
def test_a_django_command_in_a_variable_mentioning_huey_is_a_launch_not_followed(words: list[str], what: str) -> None:
    hit = one(run(words))
    assert (hit.program, [p.what for p in hit.unresolved]) == ("unknown", [what])


@pytest.mark.parametrize("words", [["python", "manage.py", "$CMD"], ["python", "manage.py", "migrate"]])
def test_a_django_command_that_names_no_consumer_is_no_launch(words: list[str]) -> None:
    assert run(words) == []


def test_an_exec_wrapper_of_manage_py_stays_quiet_without_arguments() -> None:
    assert run(["./start.sh"], {"./start.sh": '#!/bin/sh\nexec python manage.py "$@"\n'}) == []


@pytest.mark.parametrize("words", [["/usr/bin/env", "-S", "huey_consumer app.huey -w 2"],
                                   ["env", "-i", "--split-string=PYTHONUNBUFFERED=1 huey_consumer app.huey -w 2"],
                                   ["env", "-S-i huey_consumer app.huey -w 2"]])
def test_env_split_string_runs_its_words(words: list[str]) -> None:
    hit = one(run(words))
    assert (hit.program, argv(hit), hit.unresolved) == ("huey_consumer", ["app.huey", "-w", "2"], [])


DOCKERFILE = "FROM python:3.11\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"/app/entrypoint.sh\"]\nCMD {cmd}\n"
APP = {"tasks.py": "from huey import RedisHuey\nhuey = RedisHuey()\n",
       "run_worker.py": "from huey.consumer import Consumer\nfrom tasks import huey\nConsumer(huey, workers=2).run()\n"}


@pytest.mark.parametrize(("cmd", "program"), [('["python", "run_worker.py"]', "script"),
                                              ('["huey_consumer", "tasks.huey", "-w", "2"]', "huey_consumer"),
                                              ('["./run_worker.py"]', "script")])
def test_a_command_given_to_an_entrypoint_not_in_the_repository_is_a_launch_not_followed(tmp_path: Path, cmd: str,
                                                                                          program: str) -> None:
    """An ENTRYPOINT script the image writes with `RUN echo` (or its base image brings) runs the CMD most often
    with `exec "$@"`: the consumer the CMD starts is a launch with the script not followed (HL004 at the
    ENTRYPOINT, options unknown), as a consumer named in the CMD already was (newcl/mytube: `python
    run_huey.py` starting a Consumer was silence)."""
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE.format(cmd=cmd), **APP})
    result = lint(tmp_path)
    assert [(launch.program, [u.what for u in launch.unresolved]) for launch in result.project.launches] == [
        (program, ["script `/app/entrypoint.sh`"])]
    assert [(f.rule, f.loc.line, f.loc.col) for f in result.findings if f.rule == "HL004"] == [("HL004", 4, 14)]
    assert "script `/app/entrypoint.sh` cannot be followed: not found in the repository" in result.findings[0].message


@pytest.mark.parametrize("cmd", ['["--workers", "4"]', '["web"]', '["gunicorn", "app:app"]'])
def test_an_entrypoint_not_in_the_repository_given_no_consumer_command_is_no_launch(tmp_path: Path, cmd: str) -> None:
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE.format(cmd=cmd), **APP, "app.py": "app = object()\n"})
    result = lint(tmp_path)
    assert result.project.launches == [] and not [f for f in result.findings if f.rule == "HL004"]


@pytest.mark.parametrize(("cmd", "inner", "col"), [('["python", "run_huey.py"]', "script `run_huey.py`", 17),
                                                   ('["./run-huey.sh"]', "script `./run-huey.sh`", 7)])
def test_a_launch_not_followed_given_to_an_entrypoint_not_in_the_repository_stays_one(tmp_path: Path, cmd: str,
                                                                                       inner: str, col: int) -> None:
    """The command given to an entrypoint script not in the repository is followed as the command it runs: one that
    is itself a launch not followed (`python run_huey.py`, a file the repository lacks: HL004 without the
    entrypoint) was dropped behind it, silence for every container running the image."""
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE.format(cmd=cmd), "tasks.py": APP["tasks.py"]})
    result = lint(tmp_path)
    assert [[u.what for u in launch.unresolved] for launch in result.project.launches] == [
        ["script `/app/entrypoint.sh`", inner]]
    assert [(f.rule, f.loc.line, f.loc.col) for f in result.findings if f.rule == "HL004"] == [
        ("HL004", 4, 14), ("HL004", 5, col)]  # each part not followed, where it is written


def test_entrypoint_scripts_not_in_the_repository_each_given_the_next_are_followed_to_a_bound() -> None:
    """A hostile CMD of thousands of scripts not in the repository, each given the next (`/w0.sh /w1.sh ... python
    run_huey.py`): each was followed as `exec "$@"` one Python call deeper, until RecursionError (an internal error,
    exit 2, the docker platform's results lost). Each is now a level of the chain: past MAX_DEPTH the rest is not
    followed, HL004 when it mentions huey."""
    from hueylint.chain import MAX_DEPTH

    hit = one(run([f"/w{i}.sh" for i in range(5000)] + ["python", "run_huey.py"]))
    assert [u.why for u in hit.unresolved] == ["not found in the repository"] * MAX_DEPTH + [
        f"scripts nested deeper than {MAX_DEPTH}, each running the next"]


@pytest.mark.parametrize("launcher", [["flock", "/run/huey.lock"], ["xvfb-run"], ["busybox"], ["systemd-run"],
                                      ["runuser", "-u", "app", "--"]])
def test_launchers_nested_thousands_deep_are_followed_to_a_bound(launcher: list[str]) -> None:
    """A hostile command of thousands of launchers, each running the next (`flock F flock F ... huey_consumer`):
    each was followed one Python call deeper, until RecursionError (an internal error, the platform's results
    lost). Past MAX_NESTED launchers the rest is not followed: HL004, as it mentions huey."""
    from hueylint.chain import MAX_NESTED

    hit = one(run(launcher * 3000 + ["huey_consumer", "app.huey"]))
    assert (hit.program, [u.why for u in hit.unresolved][-1]) == (
        "unknown", f"launchers nested deeper than {MAX_NESTED}, each running the next")
