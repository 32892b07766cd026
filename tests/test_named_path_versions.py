"""A file or folder named on the command line is judged with the huey the repository pins, as in a run over
the whole repository: the dependency files between the named path and the root (and the requirement files
they include) are read although the walk does not cover them.  Before, `hueylint check deploy/huey.service`
assumed the newest huey and offered `-t` (huey 3.4+) to a huey 2.5 consumer, which then refused to start."""

from __future__ import annotations

import io
import sys

from tests.helpers import write_tree
from tests.test_cli import run_cli

UNIT = """\
[Service]
User=app
ExecStart=/srv/app/venv/bin/huey_consumer app.huey -w 4
ExecReload=/bin/kill -HUP $MAINPID
Restart=always
Type=exec
"""
#: what every form below must print: huey 2.5.2 has no `-g`/`-t`, so no HL104 and HL101's fix is KillSignal
EXPECTED = (
    "deploy/systemd/huey.service:3:11: HL101 [error] systemd stops `huey.service` with SIGTERM (systemd default "
    "KillSignal); the consumer's graceful signal is SIGINT (huey default): huey treats it as \"stop now\" and "
    "interrupts running tasks. Fix: set KillSignal=SIGINT\n"
)


def _tree(root, requirements: dict[str, str]) -> None:
    write_tree(root, {"deploy/systemd/huey.service": UNIT, **requirements})


def _findings(out: str) -> str:
    return "".join(line + "\n" for line in out.splitlines() if ": HL" in line)


def test_named_file_reads_the_roots_requirements(git_repo, capsys):
    _tree(git_repo, {"requirements.txt": "huey==2.5.2\nredis\n"})
    whole = run_cli(capsys, "check", "--no-cache", "--output-format", "concise")
    assert _findings(whole[1]) == EXPECTED
    for named in (["deploy/systemd/huey.service"], ["deploy"], ["deploy/systemd", "deploy/systemd/huey.service"]):
        code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", *named)
        assert (code, _findings(out)) == (1, EXPECTED), named
    # the second run replays the cached result: still huey 2.5.2
    run_cli(capsys, "check", "--output-format", "concise", "deploy/systemd/huey.service")
    assert _findings(run_cli(capsys, "check", "--output-format", "concise", "deploy/systemd/huey.service")[1]) \
        == EXPECTED


def test_named_file_from_a_subfolder_and_on_stdin(git_repo, capsys, monkeypatch):
    _tree(git_repo, {"requirements.txt": "huey==2.5.2\n"})
    monkeypatch.chdir(git_repo / "deploy")
    here = EXPECTED.replace("deploy/", "", 1)  # paths as ruff shows them: relative to the current folder
    assert _findings(run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "systemd")[1]) == here
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(UNIT.encode())))
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise",
                           "--stdin-filename", "systemd/huey.service", "-")
    assert (code, _findings(out)) == (1, here)


def test_requirements_folder_and_includes_are_followed(git_repo, capsys):
    _tree(git_repo, {"requirements/prod.txt": "-r ../shared/requirements/base.txt\n",
                     "shared/requirements/base.txt": "huey>=2.0,<2.6\n"})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "deploy/systemd/huey.service")
    assert (code, _findings(out)) == (1, EXPECTED)  # the newest 2.5 release: no -t either


def test_a_pin_in_a_sibling_folder_dates_the_named_file_as_in_the_whole_run(git_repo, capsys):
    """No folder of the unit pins huey, another service's requirements do: the whole run judges the unit with the
    repository's oldest pin (huey 2.5.2: no HL104, HL101's fix is KillSignal).  The named unit was judged with the
    newest huey (HL104, `-t 85` offered to a huey 2.5 consumer); now with the repository's dependency files, read as
    its deployment context (named_context.read_context), as the whole run."""
    _tree(git_repo, {"services/other/requirements.txt": "huey==2.5.2\n"})
    for named in ([], ["deploy/systemd/huey.service"]):
        code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", *named)
        assert (code, _findings(out)) == (1, EXPECTED), named


def test_a_dockerfile_pin_dates_a_named_path_as_in_the_whole_run(git_repo, capsys):
    """A Dockerfile's `RUN pip install huey==2.5.2` is its image's huey and its folder's in a run over the
    whole repository; a named path left Dockerfiles out, took huey for the newest and `--diff`/`--fix` wrote
    `-t 85` (the unit) and `-t 55` (the compose service building that Dockerfile) for consumers huey 2.5.2 runs,
    which refuse the option and never start."""
    _tree(git_repo, {"Dockerfile": 'FROM python:3.12\nRUN pip install huey==2.5.2 redis\nCMD ["huey_consumer", "app.huey"]\n',
                     "docker-compose.yml": "services:\n  worker:\n    build: .\n    user: app\n"
                                           "    restart: unless-stopped\n    stop_signal: SIGINT\n"
                                           "    stop_grace_period: 60s\n"})
    whole = run_cli(capsys, "check", "--no-cache", "--output-format", "concise")
    assert (whole[0], _findings(whole[1])) == (1, EXPECTED)
    for named in (["deploy/systemd/huey.service"], ["docker-compose.yml"], ["deploy", "docker-compose.yml"]):
        code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", *named)
        assert (code, _findings(out)) == ((1, EXPECTED) if "docker-compose.yml" != named[-1] or len(named) > 1
                                          else (0, "")), named
        code, out, _ = run_cli(capsys, "check", "--no-cache", "--diff", *named)
        assert "-t" not in "".join(line for line in out.splitlines() if line.startswith("+")), named


def test_a_named_compose_file_reads_the_pins_of_the_folder_its_service_builds(git_repo, capsys):
    """`build: ./worker` beside `worker/requirements.txt` (huey 2.5.2): the named compose file's folders are the
    root only, so its service's build context was never read and the newest huey assumed; `--diff` wrote
    `-t 55`, and `-g TERM` in the command was no HL002.  The folders a launch's version is looked up in are now
    read when the walk did not cover them."""
    write_tree(git_repo, {
        "worker/Dockerfile": 'FROM python:3.12\nRUN pip install -r requirements.txt\nUSER app\n'
                             'CMD ["huey_consumer", "app.huey"]\n',
        "worker/requirements.txt": "huey==2.5.2\n",
        "docker-compose.yml": "services:\n  worker:\n    build: ./worker\n    restart: unless-stopped\n"
                              "    stop_signal: SIGINT\n    stop_grace_period: 60s\n"
                              "  other:\n    build: ./worker\n    restart: unless-stopped\n"
                              "    command: [\"huey_consumer\", \"app.huey\", \"-g\", \"TERM\", \"-t\", \"50\"]\n"
                              "    stop_grace_period: 60s\n"})
    whole = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "-q")
    assert whole[0] == 1 and "HL002" in whole[1] and "HL104" not in whole[1]
    named = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "-q", "docker-compose.yml")
    assert named[:2] == whole[:2]
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--diff", "--select", "HL104", "docker-compose.yml")
    assert (code, out) == (0, "")
