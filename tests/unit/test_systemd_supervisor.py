"""A systemd unit of the repository that runs a supervisor (supervisord, circus, a Procfile runner): its
programs run behind the unit's hop, and under the default KillMode=control-group systemd signals them directly
(systemd.kill(5))."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, triples, write_tree

_CONF = """[supervisord]
nodaemon=true

[program:huey]
command=/srv/app/venv/bin/huey_consumer app.huey -w 2 -t 50 {options}
stopsignal={stopsignal}
stopwaitsecs=60
autorestart=true
{user}"""


def _tree(root: Path, service: str, stopsignal: str = "INT", options: str = "", user: str = "") -> None:
    write_tree(root, {
        "deploy/app.service": "[Service]\nUser=app\nRestart=always\n"
                              "ExecStart=/srv/app/venv/bin/supervisord -n -c /srv/app/deploy/supervisord.conf\n"
                              + service,
        "deploy/supervisord.conf": _CONF.format(stopsignal=stopsignal, options=options, user=user),
        "requirements.txt": "huey==3.5.0\n",
    })


@pytest.mark.parametrize("service, stopsignal, options, expected", [
    ("", "INT", "", [("HL101", "deploy/app.service", 4)]),  # control-group: systemd's SIGTERM reaches huey
    ("KillMode=control-group\n", "INT", "", [("HL101", "deploy/app.service", 4)]),
    ("KillSignal=SIGINT\n", "INT", "", []),  # both signals are huey's graceful SIGINT
    ("KillMode=mixed\n", "INT", "", []),  # SIGTERM to supervisord alone
    ("KillMode=process\n", "INT", "", []),
    ("", "TERM", "-g TERM", []),  # -g TERM: systemd's and supervisord's SIGTERM are both graceful
    # supervisord's own stopsignal=TERM and systemd's SIGTERM: two settings to change, each at its line
    ("", "TERM", "", [("HL101", "deploy/app.service", 4), ("HL101", "deploy/supervisord.conf", 6)]),
])
def test_the_units_signal_reaches_the_programs_under_control_group(tmp_path, service, stopsignal, options, expected):
    _tree(tmp_path, service, stopsignal, options)
    assert triples(lint(tmp_path), "HL101") == expected


def test_the_programs_run_as_the_units_user_and_the_config_is_claimed(tmp_path):
    _tree(tmp_path, "KillMode=mixed\n")
    result = lint(tmp_path)
    assert triples(result, "HL701") == []  # no `user=`: the program runs as supervisord, as User=app
    (launch,) = result.project.launches
    assert [hop.name for hop in launch.chain] == ["systemd", "supervisord"]
    assert launch.user is not None and launch.user.value == "app"


def test_a_program_of_its_own_user_root_is_still_root(tmp_path):
    _tree(tmp_path, "KillMode=mixed\n", user="user=root\n")
    assert triples(lint(tmp_path), "HL701") == [("HL701", "deploy/supervisord.conf", 9)]  # at its `user=`


def test_honcho_under_systemd_runs_the_procfile_of_the_repository(tmp_path):
    write_tree(tmp_path, {
        "deploy/app.service": "[Service]\nUser=app\nRestart=always\nWorkingDirectory=/srv/app\n"
                              "ExecStart=/srv/app/venv/bin/honcho start -f Procfile.prod\nKillMode=mixed\n",
        "Procfile.prod": "web: gunicorn app.wsgi\nworker: huey_consumer app.huey -w 2 -g TERM -t 3\n",
        "requirements.txt": "huey==3.5.0\n",
    })
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert launch.platform == "procfile" and [hop.name for hop in launch.chain][:2] == ["systemd", "honcho"]
    assert triples(result, "HL101") == []  # honcho's SIGTERM is the graceful signal with -g TERM


def test_supervisord_restarts_its_programs_honcho_leaves_it_to_the_unit(tmp_path):
    """supervisord restarts a crashed program itself (autorestart=unexpected by default), whatever the unit's
    Restart=; honcho stops every entry and exits when one exits, so the unit's Restart= decides."""
    write_tree(tmp_path, {
        "deploy/sup.service": "[Service]\nUser=app\nKillMode=mixed\n"
                              "ExecStart=/srv/app/venv/bin/supervisord -n -c /srv/app/deploy/supervisord.conf\n",
        "deploy/supervisord.conf": "[program:huey]\ncommand=/srv/app/venv/bin/huey_consumer app.huey -w 2 -t 5\n"
                                   "stopsignal=INT\nstopwaitsecs=30\n",
        "deploy/web.service": "[Service]\nUser=app\nWorkingDirectory=/srv/app\nKillMode=mixed\n"
                              "ExecStart=/srv/app/venv/bin/honcho start -f Procfile.prod\n",
        "Procfile.prod": "worker: huey_consumer app.huey -w 2 -n -g TERM -t 3\n",
        "requirements.txt": "huey==3.5.0\n",
    })
    result = lint(tmp_path)
    assert triples(result, "HL203") == [("HL203", "Procfile.prod", 1)]
    (finding,) = [f for f in result.findings if f.rule == "HL203"]
    assert finding.message.startswith("systemd does not restart `worker` when it exits (systemd default Restart=no)")
    assert finding.message.endswith("Fix: `Restart=on-failure` (or `Restart=always`) with `RestartSec=5`")


@pytest.mark.parametrize("autorestart, restart, expected", [
    ("", "", []),  # supervisord's default autorestart=unexpected restarts a crashed program, whatever Restart=
    ("", "Restart=always\n", []),
    ("autorestart=false\n", "Restart=always\n", [("HL203", "deploy/supervisord.conf", 6)]),
])
def test_supervisords_own_restart_decides_under_the_unit(tmp_path, autorestart, restart, expected):
    write_tree(tmp_path, {
        "deploy/app.service": f"[Service]\nUser=app\nKillMode=mixed\n{restart}"
                              "ExecStart=/srv/app/venv/bin/supervisord -n -c /srv/app/deploy/supervisord.conf\n",
        "deploy/supervisord.conf": "[supervisord]\nnodaemon=true\n\n[program:huey]\n"
                                   f"command=/srv/app/venv/bin/huey_consumer app.huey -w 2 -t 50\n{autorestart}",
        "requirements.txt": "huey==3.5.0\n",
    })
    assert triples(lint(tmp_path), "HL203") == expected


def test_honcho_under_a_unit_without_restart_leaves_the_consumer_down(tmp_path):
    write_tree(tmp_path, {  # honcho stops every entry when one exits: only the unit's Restart= starts it again
        "deploy/app.service": "[Service]\nUser=app\nWorkingDirectory=/srv/app\nKillMode=mixed\n"
                              "ExecStart=/srv/app/venv/bin/honcho start -f Procfile.prod\n",
        "Procfile.prod": "worker: huey_consumer app.huey -w 2 -g TERM -t 3\n",
        "requirements.txt": "huey==3.5.0\n",
    })
    assert triples(lint(tmp_path), "HL203") == [("HL203", "Procfile.prod", 1)]


@pytest.mark.parametrize("service, expected", [
    # systemd compares KillMode= as written: `Mixed` is ignored ("Failed to parse kill mode, ignoring"), so the
    # default control-group applies and SIGTERM reaches huey
    ("KillMode=Mixed\n", [("HL001", "deploy/app.service", 5), ("HL101", "deploy/app.service", 4)]),
    ("KillMode=mixd\n", [("HL001", "deploy/app.service", 5), ("HL101", "deploy/app.service", 4)]),
    # an ignored value leaves the earlier one in force
    ("KillMode=mixed\nKillMode=Process\n", [("HL001", "deploy/app.service", 6)]),
    # an empty one is ignored too (DEFINE_CONFIG_PARSE_ENUM finds no value in it): mixed stays
    ("KillMode=mixed\nKillMode=\n", [("HL001", "deploy/app.service", 6)]),
])
def test_a_kill_mode_systemd_ignores_leaves_the_one_before(tmp_path, service, expected):
    _tree(tmp_path, service)
    assert [found for found in triples(lint(tmp_path)) if found[0] in ("HL001", "HL101")] == expected


@pytest.mark.parametrize("restart, expected", [
    ("Restart=always\n", []),
    ("Restart=Always\n", [("HL001", "huey.service", 4), ("HL203", "huey.service", 1)]),  # ignored: Restart=no
    ("Restart=yes\n", [("HL001", "huey.service", 4), ("HL203", "huey.service", 1)]),
    ("Restart=always\nRestart=sometimes\n", [("HL001", "huey.service", 5)]),  # the earlier value stays
])
def test_a_restart_systemd_ignores_leaves_the_one_before(tmp_path, restart, expected):
    write_tree(tmp_path, {
        "huey.service": "[Service]\nExecStart=/srv/venv/bin/huey_consumer app.huey -w 2 -g TERM -t 50\n"
                        f"User=app\n{restart}TimeoutStopSec=60\n",
        "requirements.txt": "huey==3.5.0\n",
    })
    assert [found for found in triples(lint(tmp_path)) if found[0] in ("HL001", "HL203")] == expected


def test_an_ignored_value_is_reported_over_its_text(tmp_path):
    write_tree(tmp_path, {
        "huey.service": "[Service]\nExecStart=/srv/venv/bin/huey_consumer app.huey -w 2 -g TERM -t 50\n"
                        "User=app\nRestart=Always\nTimeoutStopSec=60\n",
        "requirements.txt": "huey==3.5.0\n",
    })
    (found,) = [finding for finding in lint(tmp_path).findings if finding.rule == "HL001"]
    assert (found.loc.line, found.loc.col, found.loc.end_line, found.loc.end_col) == (4, 9, 4, 15)
    assert found.message == ("cannot parse: systemd ignores `Restart=Always` (it takes no, on-success, on-failure, "
                             "on-abnormal, on-watchdog, on-abort, always, as written): the value before it, or the "
                             "default, applies")
