"""A consumer uWSGI runs as a daemon attached to its master (``--attach-daemon CMD`` and its other spellings): a
launch not followed (HL004), stopped by the master rather than by the platform, its user uWSGI's ``--uid``."""

from __future__ import annotations

import pytest

from hueylint.model import UWSGI_DAEMON_WHY
from tests.helpers import lint, write_tree

DOCKERFILE = "FROM python:3.12\nWORKDIR /app\nCOPY . .\n{env}CMD {cmd}\n"
MANAGE = "import sys\nfrom django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n"


def _launches(tmp_path, cmd, env=""):
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE.format(env=env, cmd=cmd), "manage.py": MANAGE,
                          "requirements.txt": "huey==2.5.2\n"})
    result = lint(tmp_path)
    return result, result.project.launches


@pytest.mark.parametrize(("cmd", "written", "workers"), [
    ('["uwsgi", "--master", "--attach-daemon", "python manage.py run_huey -w 3", "--module", "app.wsgi"]',
     "--attach-daemon", "3"),
    ('["uwsgi", "--attach-daemon=python manage.py run_huey -w 3"]', "--attach-daemon", "3"),
    ('["uwsgi", "--smart-attach-daemon", "/tmp/huey.pid python manage.py run_huey -w 3"]', "--smart-attach-daemon", "3"),
    ('["uwsgi", "--attach-daemon2", "cmd=python manage.py run_huey -w 3,freq=5"]', "--attach-daemon2", "3"),
    ('["uwsgi", "--attach-daemon", "cd /app && python manage.py run_huey -w 3 &"]', "--attach-daemon", "3"),
])
def test_every_spelling_of_an_attached_daemon_is_a_launch_not_followed(tmp_path, cmd, written, workers):
    result, launches = _launches(tmp_path, cmd)
    assert [(launch.consumer.program.value, [u.what for u in launch.unresolved]) for launch in launches] == [
        ("run_huey", [f"uWSGI `{written}`"])]
    assert launches[0].unresolved[0].why == UWSGI_DAEMON_WHY
    assert launches[0].options["workers"].value == int(workers)
    assert not launches[0].stop_signal.known and not launches[0].deadline.known
    # no USER, no --uid: root; the daemon's own shell (`&` included) is no HL201: the master stands between anyway
    assert sorted(f.rule for f in result.findings) == ["HL004", "HL701"]


def test_the_environment_spelling_and_uwsgis_uid_are_read(tmp_path):
    env = 'ENV UWSGI_ATTACH_DAEMON="python manage.py run_huey"\n'
    result, launches = _launches(tmp_path, '["uwsgi", "--uid", "app", "--module", "app.wsgi"]', env)
    assert [u.what for launch in launches for u in launch.unresolved] == ["uWSGI `UWSGI_ATTACH_DAEMON`"]
    assert launches[0].user.value == "app"
    finding = next(f for f in result.findings if f.rule == "HL004")
    assert (finding.loc.line, finding.loc.col) == (5, 7)
    assert finding.message.endswith("Its restart policy is checked, not its stop signal and deadline; its options "
                                    "were read from the command line as written. Fix: run the consumer as a service "
                                    "of its own (a compose service, a supervisord program, a systemd unit) with SIGINT "
                                    "or `-g TERM` and a deadline above your longest task, not as a uWSGI daemon")
    assert [f.rule for f in result.findings] == ["HL004"]


@pytest.mark.parametrize("cmd", [
    '["uwsgi", "--master", "--module", "app.wsgi"]',
    '["uwsgi", "--attach-daemon", "memcached -p 11311", "--module", "app.wsgi"]',
    '["uwsgi", "--attach-daemon2", "freq=5"]',
])
def test_a_uwsgi_without_a_consumer_daemon_is_no_launch(tmp_path, cmd):
    _, launches = _launches(tmp_path, cmd)
    assert launches == []


def test_a_uwsgi_ini_daemon_line_naming_the_consumer_gets_a_uwsgi_notice(tmp_path):
    ini = ("[uwsgi]\nmodule = app.wsgi\n; attach-daemon = python manage.py run_huey\n"
           "smart-attach-daemon = /run/huey.pid python manage.py run_huey\n")
    write_tree(tmp_path, {"uwsgi.ini": ini, "other.ini": "[app]\nworker = python manage.py run_huey\n"})
    assert [(notice.rel, notice.reason) for notice in lint(tmp_path).notices] == [
        ("other.ini", "mentions `run_huey` but is not a supervisord, circus or systemd config hueylint recognises: "
         "not checked"),
        ("uwsgi.ini", "line 4: `run_huey` is run by uWSGI as a daemon attached to its master, a supervisor hueylint "
         "does not model: its stop signal, deadline and restart are not checked (the master stops a daemon without a "
         "pidfile with SIGTERM, then SIGKILL after `reload-mercy`, 3 s by default, when it stops or reloads; uWSGI "
         "takes SIGTERM as a brutal reload unless `die-on-term`)")]


def test_a_systemd_unit_running_uwsgi_with_a_daemon_is_a_launch_not_followed(tmp_path):
    unit = "[Service]\nExecStart=/usr/bin/uwsgi --master --attach-daemon 'huey_consumer app.huey -w 2'\n"
    write_tree(tmp_path, {"requirements.txt": "huey==2.5.0\n", "deploy/x.service": unit})
    result = lint(tmp_path)
    assert [(launch.platform, [u.what for u in launch.unresolved]) for launch in result.project.launches] == [
        ("systemd", ["uWSGI `--attach-daemon`"])]
    assert "HL101" not in {f.rule for f in result.findings}  # the master, not systemd, stops the daemon
