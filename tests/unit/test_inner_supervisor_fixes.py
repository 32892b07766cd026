"""HL101's and HL102's fixes for a supervisord program or circus watcher inside a container: the setting is
edited in the supervisor's own file (a written value replaced, else the key added to the program's section),
since the supervisor, not the container, sends the consumer its stop signal and SIGKILL.  Before, the
finding said "Fix: set stopsignal=INT" but offered no fix (the platform's own settings only)."""

from __future__ import annotations

import pytest

from tests.helpers import write_tree
from tests.test_cli import run_cli

DOCKERFILE = ('FROM python:3.11\nRUN pip install huey==2.5.2 supervisor && useradd app\nCOPY {conf} /etc/{conf}\n'
              'CMD [{cmd}]\n')
COMPOSE = "services:\n  worker:\n    build: .\n    stop_grace_period: 90s\n    restart: unless-stopped\n"
PROGRAM = "[supervisord]\nnodaemon=true\n\n[program:huey]\ncommand=huey_consumer app.huey -w 4\nuser=app\n"


@pytest.mark.parametrize(("conf", "cmd", "text", "fixed"), [
    # written: replaced where it is
    ("supervisord.conf", '"supervisord", "-c", "/etc/supervisord.conf"',
     PROGRAM + "stopsignal=TERM\nstopwaitsecs=60\nautorestart=true\n",
     PROGRAM + "stopsignal=INT\nstopwaitsecs=60\nautorestart=true\n"),
    # not written (supervisord's defaults TERM and 10 s): added to the program's own section, before the next one
    ("supervisord.conf", '"supervisord", "-c", "/etc/supervisord.conf"',
     PROGRAM + "autorestart=true\n\n[program:web]\ncommand=gunicorn app:wsgi\n",
     PROGRAM + "autorestart=true\nstopsignal=INT\nstopwaitsecs=25\n\n[program:web]\ncommand=gunicorn app:wsgi\n"),
    ("circus.ini", '"circusd", "/etc/circus.ini"', "[circus]\n\n[watcher:huey]\ncmd = huey_consumer app.huey -w 2\nuid = app\n",
     "[circus]\n\n[watcher:huey]\ncmd = huey_consumer app.huey -w 2\nuid = app\nstop_signal = INT\n"),
])
def test_fix_edits_the_supervisor_inside_the_container(git_repo, capsys, conf, cmd, text, fixed):
    write_tree(git_repo, {"Dockerfile": DOCKERFILE.format(conf=conf, cmd=cmd), "compose.yaml": COMPOSE, conf: text})
    assert run_cli(capsys, "check", "--no-cache", "--select", "HL1", "--fix")[0] == 0
    assert (git_repo / conf).read_text() == fixed
    assert run_cli(capsys, "check", "--no-cache", "--select", "HL1", "--fix")[:2] == (
        0, "All checks passed! (3 files checked)\n")  # nothing left, nothing changed
    assert (git_repo / conf).read_text() == fixed


def test_a_templated_setting_is_not_rewritten(git_repo, capsys):
    write_tree(git_repo, {"Dockerfile": DOCKERFILE.format(conf="supervisord.conf",
                                                         cmd='"supervisord", "-c", "/etc/supervisord.conf"'),
                          "compose.yaml": COMPOSE,
                          "supervisord.conf": PROGRAM + "stopsignal=%(ENV_STOP)s\nautorestart=true\n"})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--select", "HL101", "--output-format", "concise")
    assert (code, out) == (0, "All checks passed! (3 files checked)\n")  # an unknown signal: no claim, no edit
