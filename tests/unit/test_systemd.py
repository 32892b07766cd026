"""systemd: time spans, KillSignal forms, drop-ins, templates, user units, placeholders, and HL106/HL202/HL203/HL701."""

from __future__ import annotations

import math

import pytest

from hueylint.checks.hl106_reload_not_graceful import reload_signal
from hueylint.formats import TEMPLATE_SUFFIXES
from tests.helpers import lint, triples, write_tree
from tests.test_cli import run_cli

START = "ExecStart=/srv/app/venv/bin/huey_consumer my_app.huey -w 4 -g TERM -t 55\n"
COMPLETE = "[Service]\nType=exec\nUser=app\nRestart=on-failure\nExecReload=/bin/kill -HUP $MAINPID\n" + START


def only(tmp_path, files):
    write_tree(tmp_path, files)
    result = lint(tmp_path)
    return result, result.project.launches


@pytest.mark.parametrize("setting, seconds", [
    ("TimeoutStopSec=90", 90.0),
    ("TimeoutStopSec=1min 30s", 90.0),
    ("TimeoutStopSec=1m30s", 90.0),
    ("TimeoutStopSec=5min", 300.0),
    ("TimeoutStopSec=500ms", 0.5),
    ("TimeoutStopSec=infinity", math.inf),
    ("TimeoutStopSec=0", math.inf),
    ("TimeoutSec=2h", 7200.0),
    ("TimeoutSec=30\nTimeoutStopSec=45", 45.0),
    ("TimeoutStopSec=45\nTimeoutSec=30", 30.0),
    # an empty TimeoutStopSec= is ignored (parse_time(""): -EINVAL, "Failed to parse ..., ignoring"): 45 s stays
    ("TimeoutStopSec=45\nTimeoutStopSec=", 45.0),
    ("TimeoutSec=45\nTimeoutSec=", 45.0),
    ("TimeoutStopSec=", 90.0),
])
def test_time_spans(tmp_path, setting, seconds):
    _, (launch,) = only(tmp_path, {"huey.service": COMPLETE + setting + "\n"})
    assert launch.deadline.value == seconds


@pytest.mark.parametrize("start", [
    "ExecStart=/srv/app/venv/bin/huey_consumer \\\n    my_app.huey -w 4 \\\n    --bogus -t 55\n",
    "ExecStart=/srv/app/venv/bin/huey_consumer \\\n    my_app.huey -w 4 \\\n# a comment\n; another\n    --bogus -t 55\n",
    "ExecStart=\\\n  /srv/app/venv/bin/huey_consumer my_app.huey -w 4 \\\n    --bogus -t 55\n",
], ids=["continued", "comment-block-inside", "program-on-the-next-line"])
def test_continued_exec_start_words_are_placed_on_their_own_lines(tmp_path, start):
    """``\\`` continues a value on the next line, across a block of comment lines (systemd.syntax(7): "the
    comment block is ignored, so the continued line is concatenated with whatever follows the comment
    block"); each word's finding points at the line it is written on."""
    result, (launch,) = only(tmp_path, {"huey.service": COMPLETE.replace(START, start) + "KillSignal=SIGINT\n"})
    lines = start.splitlines()
    program_line = next(i for i, line in enumerate(lines, 6) if "huey_consumer" in line)
    assert launch.argv == ("my_app.huey", "-w", "4", "--bogus", "-t", "55")
    assert launch.consumer.program.loc.line == program_line
    assert [(rule, line, col) for rule, _path, line, col in
            ((f.rule, f.loc.path, f.loc.line, f.loc.col) for f in result.findings)] == [
        ("HL002", 5 + len(lines), 5)]


def test_bad_time_span_is_hl001_and_unknown(tmp_path):
    result, (launch,) = only(tmp_path, {"huey.service": COMPLETE + "TimeoutStopSec=soon\n"})
    assert not launch.deadline.known
    assert triples(result) == [("HL001", "huey.service", 7)]


@pytest.mark.parametrize("value, signal", [("SIGINT", "INT"), ("INT", "INT"), ("2", "INT"), ("sigterm", "TERM"),
                                           ("15", "TERM")])
def test_kill_signal_forms(tmp_path, value, signal):
    _, (launch,) = only(tmp_path, {"huey.service": COMPLETE + f"KillSignal={value}\n"})
    assert launch.stop_signal.value == signal


@pytest.mark.parametrize("value, takes", [
    ("SIGINT", True), ("INT", True), ("2", True), ("64", True), ("SIGRTMIN", True), ("RTMIN+3", True),
    ("SIGRTMIN+30", True), ("RTMAX-2", True), ("SIGRTMAX", True),
    ("0", False), ("65", False), ("sigint", False), ("Int", False), ("INTERRUPT", False), ("SIGFOO", False),
    ('"SIGINT"', False), ("RTMIN+31", False), ("RTMIN-1", False), ("SIGIOT", False), ("", False)])
def test_systemd_takes_the_signals_signal_from_string_takes(value, takes):
    """systemd's signal_from_string (src/basic/signal-util.c): a number 1-64, a name of its table in capitals
    with or without SIG, RTMIN/RTMIN+n and RTMAX/RTMAX-n (n <= 30); config_parse_signal ignores anything else."""
    from hueylint.platforms.systemd import _systemd_takes_signal

    assert _systemd_takes_signal(value) is takes


@pytest.mark.parametrize("lines, signal, line", [
    ("KillSignal=INTERRUPT\n", "TERM", 7), ("KillSignal=SIGINT\nKillSignal=SIGFOO\n", "INT", 7),
    ("KillSignal=SIGINT\nKillSignal=\nKillSignal=sigint\n", "INT", 7), ("KillSignal=\n", "TERM", 7),
    ("KillSignal=sigint\nKillSignal=\n", "TERM", 8)])
def test_a_kill_signal_systemd_cannot_parse_is_ignored(tmp_path, lines, signal, line):
    """An ignored KillSignal= ("Failed to parse signal name, ignoring"), an empty one included (config_parse_signal
    resets nothing), is HL001 at its line, and the value before it (or systemd's default SIGTERM) applies; the
    default is placed at the last ignored line, where a fix writes the signal."""
    result, (launch,) = only(tmp_path, {"huey.service": COMPLETE + lines})
    assert launch.stop_signal.value == signal
    assert (launch.stop_signal.loc.path, launch.stop_signal.loc.line) == ("huey.service", line)
    ignored = 6 + lines.count("\n")
    assert ("HL001", "huey.service", ignored) in triples(result)


def test_dropins_merge_in_file_name_order(tmp_path):
    _, (launch,) = only(tmp_path, {
        "deploy/huey.service": COMPLETE + "TimeoutStopSec=60\nKillSignal=SIGINT\n",
        "deploy/huey.service.d/20-later.conf": "[Service]\nTimeoutStopSec=2min\n",
        "deploy/huey.service.d/10-first.conf": "[Service]\nTimeoutStopSec=30\nKillSignal=\n",
    })
    assert launch.deadline.value == 120.0 and launch.deadline.loc.path == "deploy/huey.service.d/20-later.conf"
    # the drop-in's empty `KillSignal=` is ignored (it resets nothing): the unit's SIGINT applies
    assert (launch.stop_signal.value, str(launch.stop_signal.loc)) == ("INT", "deploy/huey.service:8")
    assert launch.systemd.dropins.value == ("deploy/huey.service.d/10-first.conf",
                                                     "deploy/huey.service.d/20-later.conf")


def test_template_units_are_scalable_and_their_dropins_apply(tmp_path):
    _, (launch,) = only(tmp_path, {
        "worker@.service": COMPLETE.replace("-w 4", "-n -w 4"),
        "worker@.service.d/stop.conf": "[Service]\nTimeoutStopSec=75\n",
    })
    assert launch.instances.value == "scalable" and launch.deadline.value == 75.0


@pytest.mark.parametrize("suffix", TEMPLATE_SUFFIXES)
def test_dropins_apply_to_unit_templates_of_every_kind(tmp_path, suffix):
    """A config-management template (``huey.service.erb``, ``.j2``, ...) takes ``huey.service.d/`` like the
    unit it renders: one list of template suffixes (formats.TEMPLATE_SUFFIXES) serves discovery and drop-ins."""
    result, (launch,) = only(tmp_path, {
        f"deploy/huey.service{suffix}": COMPLETE.replace(" -g TERM", "") + "TimeoutStopSec=60\n",
        "deploy/huey.service.d/stop.conf": "[Service]\nKillSignal=SIGINT\n",
    })
    assert launch.stop_signal.value == "INT" and launch.stop_signal.loc.path == "deploy/huey.service.d/stop.conf"
    assert triples(result) == []


def test_template_unit_without_n_is_hl301(tmp_path):
    result, _ = only(tmp_path, {"worker@.service": COMPLETE})
    assert triples(result) == [("HL301", "worker@.service", 6)]
    assert "any number of instances" in result.findings[0].message


@pytest.mark.parametrize("start, scalable", [
    ("/srv/venv/bin/python manage.py djangohuey --queue %i -w 2", False),
    ("/srv/venv/bin/huey_consumer %i.tasks.huey -w 2", False),
    ("/srv/venv/bin/python manage.py run_huey --settings=shop.settings_%I", False),
    ("/srv/venv/bin/huey_consumer app.huey -w 2 -l /var/log/huey-%i.log", True),
    ("/srv/venv/bin/python manage.py djangohuey --queue main", True),
    ("/srv/venv/bin/python manage.py djangohuey --queue %N -w 2", False),  # the unit name: worker@database
    ("/srv/venv/bin/python manage.py djangohuey --queue %%i -w 2", True),  # `%%` is a literal %: queue `%i`
    ("/srv/venv/bin/python manage.py djangohuey --queue q%%%i -w 2", False),  # `%%` then the instance name
], ids=["djangohuey-queue", "app-path", "django-settings", "log-file-only", "fixed-queue", "unit-name",
        "escaped-percent", "escaped-then-instance"])
def test_a_template_unit_whose_instance_name_chooses_the_queue_runs_one_consumer_per_name(tmp_path, start, scalable):
    """``name@.service`` with ``%i`` in what the consumer runs (its app, django-huey's queue, the settings) is
    one consumer per instance name (field: community-scripts/ProxmoxVED's tubesync-worker@database ...
    @network): no HL301 for copies that are not copies; ``%i`` elsewhere leaves it scalable."""
    unit = COMPLETE.replace(COMPLETE[COMPLETE.index("ExecStart="):], f"ExecStart={start}\n")
    result, (launch,) = only(tmp_path, {"deploy/worker@.service": unit, "requirements.txt": "huey==2.5.3\n"})
    assert (launch.instances.value == "scalable") is scalable
    assert any(rule == "HL301" for rule, _path, _line in triples(result)) is scalable


@pytest.mark.parametrize("junk, hl001_lines, kept", [
    ("this line has no equals sign\n", [1, 3], True),  # Missing '=', ignoring line.
    ("", [1], True),
    ("[Service\n", [3], False),  # an unterminated section header fails the whole unit
], ids=["missing-equals", "clean", "bad-section-header"])
def test_lines_systemd_skips_are_hl001_and_the_unit_is_still_read(tmp_path, junk, hl001_lines, kept):
    """systemd's config parser skips a line without ``=`` and an assignment before any section (line 1 here)
    with a warning and loads the rest of the unit; only a broken section header fails it."""
    unit = "Description=before any section\n[Unit]\n" + junk + COMPLETE
    result, launches = only(tmp_path, {"huey.service": unit})
    assert [line for rule, _path, line in triples(result) if rule == "HL001"] == hl001_lines
    assert bool(launches) is kept


def test_lines_systemd_skips_in_a_unit_of_another_program_are_not_reported(tmp_path):
    """A stray line in a unit that runs no consumer (field: ProxmoxVE's go2rtc unit, first line `echo "[Unit]`)
    changes nothing a huey linter reads: no HL001; the consumer unit beside it is judged as usual."""
    other = 'echo "[Unit]\nDescription=camera streams\n[Service]\nExecStart=/opt/go2rtc/go2rtc\n'
    result, launches = only(tmp_path, {"go2rtc.service": other, "huey.service": COMPLETE})
    assert [launch.name for launch in launches] == ["huey.service"]
    assert [found for found in triples(result) if found[0] == "HL001"] == []


def test_user_units_run_as_their_user(tmp_path):
    result, (launch,) = only(tmp_path, {"home/.config/systemd/user/huey.service": COMPLETE.replace("User=app\n", "")})
    assert launch.user.value and launch.user.loc.is_default
    assert triples(result, "HL701") == []


ROOTLESS = COMPLETE.replace("User=app\n", "")


@pytest.mark.parametrize("installer, text", [
    ("scripts/install.sh", "cp deploy/app-worker.service ~/.config/systemd/user/\nsystemctl --user enable app-worker\n"),
    ("scripts/install.sh", "install -D deploy/app-worker.service \"$HOME/.config/systemd/user/app-worker.service\"\n"),
    ("Makefile", "install:\n\tcp deploy/*.service $(HOME)/.config/systemd/user/\n"),
    ("bin/setup", "#!/bin/bash\nsystemctl --user --now enable app-worker.service\n"),
    ("scripts/enable.sh", "systemctl --user daemon-reload\nsystemctl --user enable --now app-worker\n"),
    # a Python installer discovery keeps (it names huey): the manager's folder built from parts, argv lists
    ("app/installer.py", 'UNITS = ("app-worker.service",)  # huey consumer\n'
                         'USER_DIR = Path.home() / ".config" / "systemd" / "user"\n'),
    ("app/installer.py", 'UNIT = "app-worker.service"  # huey\nsubprocess.run(["systemctl", "--user", "enable", UNIT])\n'),
    ("app/installer.py", 'UNIT = "app-worker.service"  # huey\nDIR = os.path.join(HOME, ".config", "systemd", "user")\n'),
])
def test_units_a_repository_installs_for_the_user_manager_run_as_that_user(tmp_path, installer, text):
    """Field test (bioedcam/Yeliztli): a unit outside any systemd/user/ folder that the repository's own installer
    puts into ~/.config/systemd/user or runs with `systemctl --user` is run by the user's manager, not root."""
    result, (launch,) = only(tmp_path, {"deploy/app-worker.service": ROOTLESS, installer: text})
    assert launch.user.value == "(the user's own account)" and launch.user.loc.is_default
    assert installer in launch.user.loc.default
    assert triples(result, "HL701") == []


@pytest.mark.parametrize("installer, text", [
    # the system manager's folder in the same file: no evidence either way (root, as systemd's default)
    ("scripts/install.sh", "cp deploy/app-worker.service /etc/systemd/system/\n"
                           "cp deploy/app-worker.service ~/.config/systemd/user/\n"),
    # the user manager for another unit
    ("scripts/install.sh", "systemctl --user enable other.service\n"),
    # a script's user manager line names another unit; the unit's own line no user manager
    ("scripts/install.sh", "systemctl --user start podman.socket\nsudo systemctl enable --now app-worker\n"),
    ("scripts/install.sh", "systemctl --user enable app-worker-web\n# app-worker.service is installed by hand\n"),
    # the unit named, no user manager
    ("scripts/install.sh", "sudo cp deploy/app-worker.service /lib/systemd/system/\nsudo systemctl enable app-worker\n"),
    # a Python file discovery left out (no huey in it) is not read for this
    ("tools/installer.py", 'UNIT = "app-worker.service"\nsubprocess.run(["systemctl", "--user", "enable", UNIT])\n'),
])
def test_units_not_shown_installed_for_the_user_manager_run_as_root(tmp_path, installer, text):
    result, (launch,) = only(tmp_path, {"deploy/app-worker.service": ROOTLESS, installer: text})
    assert launch.user.value is None
    assert triples(result, "HL701") == [("HL701", "deploy/app-worker.service", 1)]


def test_placeholders_are_unknown_values_never_a_crash(tmp_path):
    unit = ("[Service]\n{% if worker_user %}\nUser={{ worker_user }}\n{% endif %}\n"
            "ExecStart={{ venv }}/bin/huey_consumer {{ app }}.huey -w {{ workers }} -l {{ log }}\n"
            "KillSignal={{ signal }}\nTimeoutStopSec={{ timeout }}\nRestart={{ restart }}\nType={{ type }}\n"
            "ExecReload={{ reload }}\n")
    result, (launch,) = only(tmp_path, {"templates/huey.service.j2": unit})
    assert launch.name == "huey.service"
    assert not launch.stop_signal.known and not launch.deadline.known and not launch.user.known
    assert not launch.restart.known and not launch.app.known
    # only HL104 (no -t) can be said of this template
    assert triples(result) == [("HL104", "templates/huey.service.j2", 5)]


@pytest.mark.parametrize("text", [
    "", "[Service]\n", "[Service]\nExecStart=\n", "[Service]\nExecStart=-@\n", "[Service]\nExecStart='unterminated\n",
    "[Service]\nExecStart=/bin/sh -c\n", "[Service]\nExecStart=huey_consumer\nKillSignal=\n", "\\\n",
    "[Service]\nExecStart=huey_consumer app.huey \\\n", "[Service]\nKillSignal=SIG\x00\n",
])
def test_garbage_never_crashes(tmp_path, text):
    write_tree(tmp_path, {"x.service": text})
    lint(tmp_path)


# -- HL106 ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command, expected", [
    ("/bin/kill -HUP $MAINPID", ("HUP", True)),
    ("/bin/kill -s HUP $MAINPID", ("HUP", True)),
    ("kill -s SIGHUP ${MAINPID}", ("HUP", True)),
    ("/usr/bin/kill -1 $MAINPID", ("HUP", True)),
    ("-/bin/kill --signal=HUP $MAINPID", ("HUP", True)),
    ("/bin/kill $MAINPID", ("TERM", True)),
    ("/bin/kill -USR1 $MAINPID", ("USR1", True)),
    ("/bin/kill -HUP $(cat /run/huey.pid)", ("HUP", False)),
    ("/bin/systemctl restart huey", (None, False)),
])
def test_reload_signal(command, expected):
    assert reload_signal(command) == expected


@pytest.mark.parametrize("reload, rule_line", [
    ("ExecReload=/bin/kill -HUP $MAINPID", None),
    ("ExecReload=/bin/kill -s HUP $MAINPID", None),
    ("ExecReload=/bin/kill -1 $MAINPID", None),
    ("ExecReload=/opt/app/bin/reload.sh", None),
    ("ExecReload=/bin/kill -INT $MAINPID", 5),
    ("ExecReload=/bin/kill $MAINPID", 5),
    ("ExecReload=/bin/kill -USR1 $MAINPID", 5),
    ("ExecReload=/bin/kill -HUP $MAINPID\nExecReload=", 1),  # an empty assignment resets the list
])
def test_hl106(tmp_path, reload, rule_line):
    unit = "[Service]\nType=exec\nUser=app\nRestart=always\n" + reload + "\n" + START
    write_tree(tmp_path, {"huey.service": unit})
    result = lint(tmp_path)
    assert triples(result, "HL106") == ([("HL106", "huey.service", rule_line)] if rule_line else [])


def test_hl106_message_names_what_the_signal_does(tmp_path):
    write_tree(tmp_path, {"huey.service": COMPLETE.replace("-HUP", "-INT")})
    (finding,) = [f for f in lint(tmp_path).findings if f.rule == "HL106"]
    assert "SIGINT" in finding.message and "interrupting running tasks" in finding.message  # -g TERM: INT is immediate


def test_hl106_names_an_instance_of_a_template_unit(tmp_path):
    """`systemctl reload worker@.service` is refused (no instance name): a template's instance is named
    (field test community-scripts/ProxmoxVED, `tubesync-worker@.service`)."""
    unit = "[Service]\nType=exec\nUser=app\nRestart=always\n" + START.replace("my_app.huey", "my_app.huey -w %i")
    write_tree(tmp_path, {"worker@.service": unit})
    (finding,) = [f for f in lint(tmp_path).findings if f.rule == "HL106"]
    assert "`systemctl reload worker@INSTANCE.service` fails" in finding.message


# -- HL202 / HL203 / HL701 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, severity", [("forking", "error"), ("notify", "error"), ("oneshot", "error"),
                                            ("notify-reload", "error"), ("simple", "note"), ("exec", None),
                                            ("idle", None)])
def test_hl202(tmp_path, kind, severity):
    write_tree(tmp_path, {"huey.service": COMPLETE.replace("Type=exec", f"Type={kind}")})
    found = [f.severity.label for f in lint(tmp_path).findings if f.rule == "HL202"]
    assert found == ([severity] if severity else [])


@pytest.mark.parametrize("restart, expected", [
    ("", [("HL203", "huey.service", 1)]),
    ("Restart=no\n", [("HL203", "huey.service", 6)]),
    ("Restart=on-failure\n", []),
    ("Restart=always\n", []),
])
def test_hl203(tmp_path, restart, expected):
    unit = COMPLETE.replace("Restart=on-failure\n", "") + restart
    write_tree(tmp_path, {"huey.service": unit})
    assert triples(lint(tmp_path), "HL203") == expected


@pytest.mark.parametrize("user, expected", [
    ("", [("HL701", "huey.service", 1)]),
    ("User=root\n", [("HL701", "huey.service", 6)]),
    ("User=0\n", [("HL701", "huey.service", 6)]),
    ("User=huey\n", []),
    ("DynamicUser=yes\n", []),
    ("DynamicUser=no\n", [("HL701", "huey.service", 1)]),
    ("User=%i\n", []),
])
def test_hl701(tmp_path, user, expected):
    unit = COMPLETE.replace("User=app\n", "") + user
    write_tree(tmp_path, {"huey.service": unit})
    assert triples(lint(tmp_path), "HL701") == expected


def test_complete_unit_is_silent(tmp_path):
    write_tree(tmp_path, {"huey.service": COMPLETE + "TimeoutStopSec=60\n"})
    assert triples(lint(tmp_path)) == []


def test_units_of_one_folder_are_one_deployment_unit(tmp_path):
    write_tree(tmp_path, {"deploy/a.service": COMPLETE, "deploy/b.service": COMPLETE.replace("-w 4", "-w 2"),
                          "other/c.service": COMPLETE})
    assert triples(lint(tmp_path), "HL301") == [("HL301", "deploy/b.service", 6)]


INSTALLED_UNIT = "[Service]\nUser=app\nRestart=always\nExecStart=/usr/local/bin/start_consumer.sh\n"
INSTALLED_SCRIPT = "#!/bin/sh\nexec /opt/venv/bin/huey_consumer app.huey -w 2\n"


def test_installed_script_found_by_unique_name(tmp_path):
    """Field test (Pioreactor): an installer copies packaging/bash/X.sh to /usr/local/bin/X.sh."""
    _, (launch,) = only(tmp_path, {"deploy/systemd/huey.service": INSTALLED_UNIT,
                                   "deploy/bash/start_consumer.sh": INSTALLED_SCRIPT})
    assert launch.consumer.program.loc.path == "deploy/bash/start_consumer.sh"


def test_installed_script_not_guessed_between_two_files(tmp_path):
    _, launches = only(tmp_path, {"deploy/systemd/huey.service": INSTALLED_UNIT,
                                  "deploy/a/start_consumer.sh": INSTALLED_SCRIPT,
                                  "deploy/b/start_consumer.sh": INSTALLED_SCRIPT})
    assert launches == []


def test_installed_script_supervisord(tmp_path):
    conf = "[program:huey]\ncommand=/usr/local/bin/start_consumer.sh\nstopsignal=INT\nstopwaitsecs=60\n"
    _, (launch,) = only(tmp_path, {"etc/supervisor/huey.conf": conf, "scripts/bash/start_consumer.sh": INSTALLED_SCRIPT})
    assert launch.platform == "supervisord"
    assert launch.consumer.program.loc.path == "scripts/bash/start_consumer.sh"


@pytest.mark.parametrize(("file", "text", "script_at"), [
    # field test (pegasus430/Django-Ecommerce): a supervisord program template rendered by the deploy tool
    ("deploy/templates/huey.conf",
     "[program:huey]\ncommand = {{ home }}/{{ project_dir }}/start_consumer.sh\nstopsignal=INT\n", "scripts/start_consumer.sh"),
    # a variable systemd or the environment fills: the unit's own folder first, else the only file of that name
    ("deploy/huey.service", "[Service]\nExecStart=${APP_HOME}/bin/start_consumer.sh\n", "deploy/bin/start_consumer.sh"),
    ("deploy/huey.service", "[Service]\nExecStart=$APP_HOME/start_consumer.sh --fast\n", "scripts/start_consumer.sh"),
    ("deploy/huey.service.j2", "[Service]\nExecStart={{ app_root }}/releases/{{ release }}/start_consumer.sh\n",
     "scripts/start_consumer.sh"),
])
def test_script_below_an_unknown_folder_found_by_its_literal_tail(tmp_path, file, text, script_at):
    _, (launch,) = only(tmp_path, {file: text, script_at: INSTALLED_SCRIPT, "deploy/bin/other.sh": "#!/bin/sh\n"})
    assert launch.consumer.program.loc.path == script_at
    assert launch.unresolved == []


@pytest.mark.parametrize("command", [
    "{{ app_dir }}/{{ script_name }}",  # the file name itself is filled at run time
    "${APP_HOME}/start_consumer.sh",  # two files of that name: not guessed
])
def test_script_below_an_unknown_folder_not_guessed(tmp_path, command):
    files = {"deploy/huey.conf": f"[program:huey]\ncommand = {command} app.huey\nstopsignal=INT\n",
             "a/start_consumer.sh": INSTALLED_SCRIPT, "b/start_consumer.sh": INSTALLED_SCRIPT}
    result, (launch,) = only(tmp_path, files)
    assert [f.rule for f in result.findings if f.rule == "HL004"] == ["HL004"]
    assert launch.consumer.program.value == "unknown"


def test_xvfb_run_under_the_default_control_group(tmp_path):
    """Field test (g3w-suite/g3w-suite-docker): systemd's default KillMode=control-group signals xvfb-run's child
    too, so what `xvfb-run` breaks under systemd is `$MAINPID` (reload, the unit's state), not the stop."""
    write_tree(tmp_path, {
        "deploy/huey.service": "[Service]\nType=exec\nUser=app\nRestart=on-failure\nKillSignal=SIGINT\n"
                               "ExecStart=/usr/bin/xvfb-run -a /srv/venv/bin/huey_consumer app.huey -w 2\n",
        "requirements.txt": "huey==2.5.0\n",
    })
    [wrapper] = [f for f in lint(tmp_path).findings if f.rule == "HL201"]
    assert (wrapper.loc.path, wrapper.loc.line) == ("deploy/huey.service", 6)
    assert wrapper.message.startswith("`xvfb-run` runs the consumer as its child and waits for it: under systemd "
                                      "`$MAINPID` is the shell, not huey")


def test_options_a_script_may_add_at_run_time_are_not_claimed_absent(tmp_path):
    """`exec huey_consumer app.huey $ARGS` with ARGS assigned on some paths only: `-t` may be in it, so no HL104
    (it was "no -t" though every path sets `-t 50`); a script whose line is literal still gets it."""
    unit = COMPLETE.replace(START, "ExecStart=/srv/start.sh\n") + "KillSignal=SIGINT\nTimeoutStopSec=60\n"
    script = ('#!/bin/bash\nARGS="-w 4 -t 50"\nif [ -n "$X" ]; then ARGS="$ARGS -n"; fi\n'
              "exec /srv/venv/bin/huey_consumer app.huey {args}\n")
    for args, found in (("$ARGS", []), ("-w 4", [("HL104", "start.sh", 4)])):
        root = tmp_path / args.strip("$ -")
        write_tree(root, {"huey.service": unit, "start.sh": script.format(args=args)})
        assert triples(lint(root), "HL104") == found, args


# -- units written inline by provisioning code (field tests: stribny/sidewinder, NooRMaseR/BdayaTeam) ----

UNIT = "[Unit]\nDescription=worker\n\n[Service]\nUser=app\nExecStart=/srv/app/venv/bin/huey_consumer app.huey -w 2\n"


def _indented(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line if line else "\n" for line in text.splitlines(keepends=True))


@pytest.mark.parametrize("script, dest", [
    (f"cat > /etc/systemd/system/app-worker.service <<EOF\n{UNIT}EOF\n", "/etc/systemd/system/app-worker.service"),
    (f"cat <<'EOF' >/etc/systemd/system/app-worker.service\n{UNIT}EOF\n", "/etc/systemd/system/app-worker.service"),
    (f"cat <<EOF | sudo tee /etc/systemd/system/w.service >/dev/null\n{UNIT}EOF\n", "/etc/systemd/system/w.service"),
    (f"sudo tee -a \"$UNIT_DIR/w.service\" <<\"END\"\n{UNIT}END\n", "$UNIT_DIR/w.service"),
    ("if true; then\n\tcat <<-EOF > /lib/systemd/system/w.service\n"
     + "".join("\t" + line for line in UNIT.splitlines(keepends=True)) + "\tEOF\nfi\n", "/lib/systemd/system/w.service"),
], ids=["redirect-first", "quoted-delimiter", "tee-pipe", "tee-append-quoted", "tab-stripped"])
def test_a_unit_in_a_shell_here_document(tmp_path, script, dest):
    """A unit an install script writes with a here-document (``> path``, ``| tee path``, ``<<-`` with tabs)
    is a systemd launch at the script's own lines; the unit is named by the path it is written to."""
    result, launches = only(tmp_path, {"install.sh": "#!/bin/bash\nset -e\n" + script + "systemctl daemon-reload\n",
                                      "app.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n"})
    assert [(launch.platform, launch.name) for launch in launches] == [("systemd", dest.rsplit("/", 1)[-1])]
    start = ("install.sh", script.splitlines().index(next(line for line in script.splitlines()
                                                          if "ExecStart" in line)) + 3)
    assert (launches[0].loc.path, launches[0].loc.line) == start
    assert ("HL101", *start) in triples(result)


@pytest.mark.parametrize("before", [
    'source /dev/stdin <<<"$FUNCTIONS_FILE_PATH"\n',
    "read -r major _ <<< \"$(python3 --version)\"\n",
    "grep -q bookworm <<<EOF\n",
    "tr a b <<<'EOF'; cat <<< $HOME\n",
], ids=["quoted-expansion", "spaced-substitution", "bare-word", "quoted-word-then-spaced"])
def test_a_here_string_is_no_here_document(tmp_path, before):
    """bash's ``<<<`` (a here-string: one word on stdin) reads no following line, so it neither hides the
    here-document after it (field: community-scripts/ProxmoxVE's ``source /dev/stdin <<<"$X"`` first line)
    nor is one itself, whatever its word looks like."""
    script = before + f"cat <<EOF >/etc/systemd/system/w.service\n{UNIT}EOF\n"
    _, launches = only(tmp_path, {"install.sh": "#!/bin/bash\n" + script,
                                  "app.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n"})
    assert [(launch.name, launch.loc.line) for launch in launches] == [("w.service", before.count("\n") + 8)]


@pytest.mark.parametrize("script", [
    f"cat <<EOF | sudo tee -a /etc/sysctl.conf\n{UNIT}EOF\n",  # not a unit path
    "cat > /etc/systemd/system/w.service <<EOF\n[Unit]\nDescription=w\nEOF\n",  # no [Service]
    f"# cat > /etc/systemd/system/w.service <<EOF\n{UNIT.replace('[', '#[')}# EOF\n",  # commented out
], ids=["other-file", "no-service-section", "comment"])
def test_here_documents_that_write_no_unit(tmp_path, script):
    _, launches = only(tmp_path, {"install.sh": "#!/bin/bash\n" + script,
                                  "app.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n"})
    assert launches == []


@pytest.mark.parametrize("playbook, dest_line", [
    ("- hosts: all\n  tasks:\n    - name: unit\n      copy:\n        content: |\n" + _indented(UNIT, 10)
     + "        dest: /etc/systemd/system/{{ app }}-worker.service\n", 11),
    ("- name: unit\n  ansible.builtin.copy:\n    dest: /etc/systemd/system/w.service\n    mode: '0644'\n"
     "    content: |-\n" + _indented(UNIT, 6) + "  notify: restart\n", 11),
    ("/etc/systemd/system/w.service:\n  file.managed:\n    - user: root\n    - contents: |\n"
     + _indented(UNIT, 8) + "    - mode: '0644'\n", 10),
    ("worker-unit:\n  file.managed:\n    - name: /etc/systemd/system/w.service\n    - contents: |\n"
     + _indented(UNIT, 8), 10),
    ("#cloud-config\nwrite_files:\n  - path: /etc/systemd/system/w.service\n    permissions: '0644'\n"
     "    content: |\n" + _indented(UNIT, 6) + "  - path: /etc/app.env\n    content: |\n      A=1\n", 11),
    ("variant: fcos\nversion: 1.3.0\nsystemd:\n  units:\n    - name: w.service\n      enabled: true\n"
     "      contents: |\n" + _indented(UNIT, 8), 13),
], ids=["ansible-dest-after", "ansible-dest-before", "salt-state-id", "salt-name", "cloud-init", "butane"])
def test_a_unit_in_a_yaml_content_block(tmp_path, playbook, dest_line):
    """An Ansible ``copy:`` task's ``content: |`` block (``dest:`` before or after it) or a Salt
    ``file.managed`` ``contents: |`` block (the state ID or ``- name:`` is the path) is the unit systemd
    reads: a launch at its ``ExecStart=`` line in the YAML file, the block's indentation kept."""
    name = "site.yml" if "hosts" in playbook else "salt/worker.sls" if "file.managed" in playbook \
        else "roles/app/tasks/main.yml"
    result, launches = only(tmp_path, {name: playbook,
                                       "app.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n"})
    assert [(launch.platform, launch.loc.path, launch.loc.line) for launch in launches] == [
        ("systemd", name, dest_line)]
    assert launches[0].name.endswith("-worker.service") or launches[0].name == "w.service"
    assert ("HL101", name, dest_line) in triples(result)


def test_a_folded_block_or_another_files_content_is_no_unit(tmp_path):
    playbook = ("- copy:\n    content: >\n" + _indented(UNIT, 6) + "    dest: /etc/systemd/system/w.service\n"
                "- copy:\n    content: |\n" + _indented(UNIT, 6) + "    dest: /etc/app/worker.conf\n")
    _, launches = only(tmp_path, {"site.yml": playbook,
                                  "app.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n"})
    assert launches == []


def test_a_broken_inline_unit_is_hl001_at_its_line(tmp_path):
    """A line of the block systemd cannot read is HL001 at that line of the playbook, never a crash."""
    playbook = "- copy:\n    content: |\n" + _indented(UNIT + "not a setting\n", 6) + \
        "    dest: /etc/systemd/system/w.service\n"
    result, _ = only(tmp_path, {"site.yml": playbook})
    assert ("HL001", "site.yml", 9) in triples(result)


def test_a_line_the_shell_expands_is_not_read_as_a_setting(tmp_path):
    """``cat <<EOF`` (unquoted) expands ``${EXTRA}`` before systemd reads the unit: a line that is only an
    expansion is unknown, not HL001; with a quoted delimiter (``<<'EOF'``) bash writes it as is."""
    unit = UNIT + "${EXTRA_SETTINGS}\n"
    script = "#!/bin/bash\ncat > /etc/systemd/system/w.service <<EOF\n" + unit + "EOF\n"
    result, launches = only(tmp_path / "unquoted", {"install.sh": script})
    assert len(launches) == 1 and not [t for t in triples(result) if t[0] == "HL001"]
    result, _ = only(tmp_path / "quoted", {"install.sh": script.replace("<<EOF", "<<'EOF'")})
    assert ("HL001", "install.sh", 9) in triples(result)


def test_a_symlink_to_a_unit_of_the_tree_is_that_unit(tmp_path):
    """An enablement link (`multi-user.target.wants/huey.service -> ../huey.service`) or an alias is the same unit
    to systemd: it was judged a second time, every finding twice; a link to a file that is no unit of the run
    is still judged as the unit it names."""
    unit = "[Service]\nExecStart=/srv/venv/bin/huey_consumer app.huey -g TERM -t 50\nUser=app\nRestart=always\n"
    write_tree(tmp_path, {"etc/systemd/system/huey.service": unit, "etc/systemd/system/raw.txt": unit})
    wants = tmp_path / "etc/systemd/system/multi-user.target.wants"
    wants.mkdir()
    (wants / "huey.service").symlink_to("../huey.service")
    (tmp_path / "etc/systemd/system/worker.service").symlink_to("huey.service")
    (tmp_path / "etc/systemd/system/other.service").symlink_to("raw.txt")
    result = lint(tmp_path)
    assert sorted(launch.loc.path for launch in result.project.launches) == [
        "etc/systemd/system/huey.service", "etc/systemd/system/other.service"]
    assert triples(result, "HL106") == [("HL106", "etc/systemd/system/huey.service", 1),
                                        ("HL106", "etc/systemd/system/other.service", 1)]
    assert [(n.rel, n.reason) for n in result.notices] == [
        ("etc/systemd/system/multi-user.target.wants/huey.service",
         "a symlink to the unit `etc/systemd/system/huey.service`: checked there"),
        ("etc/systemd/system/worker.service", "a symlink to the unit `etc/systemd/system/huey.service`: checked there")]


def test_the_drop_ins_of_an_alias_apply_to_its_unit(tmp_path):
    """systemd reads the drop-in folders of every name of a unit: `worker.service.d/stop.conf` beside the alias
    `worker.service -> huey.service` sets huey.service's KillSignal and ExecReload (was: HL101 and HL106 at the
    unit, once the alias was no unit of its own); an enablement link's name is no alias."""
    unit = "[Service]\nExecStart=/srv/venv/bin/huey_consumer app.huey -t 50\nUser=app\nRestart=always\nType=exec\n"
    write_tree(tmp_path, {"etc/systemd/system/huey.service": unit,
                          "etc/systemd/system/worker.service.d/stop.conf":
                              "[Service]\nKillSignal=SIGINT\nExecReload=/bin/kill -HUP $MAINPID\n"})
    (tmp_path / "etc/systemd/system/worker.service").symlink_to("huey.service")
    result = lint(tmp_path)
    [launch] = result.project.launches
    assert launch.systemd is not None and launch.systemd.dropins.value == (
        "etc/systemd/system/worker.service.d/stop.conf",)
    assert triples(result) == []


# -- a unit named for huey that runs a program hueylint cannot follow (field test: yunity/yuca) ----------

OPAQUE = "[Unit]\nDescription={}\n\n[Service]\nUser=app\nExecStart=/srv/app/app.pyz worker\nRestart=always\n"


@pytest.mark.parametrize(("rel", "description"), [
    ("deploy/app-huey.service", "app worker"),
    ("roles/app/templates/systemd.huey.service.j2", "{{ site }} worker"),
    ("deploy/app-worker.service", "{{ site }} | Huey worker"),
])
def test_a_unit_named_for_huey_running_an_unknown_program_is_listed_as_dropped(tmp_path, rel, description):
    write_tree(tmp_path, {rel: OPAQUE.format(description)})
    result = lint(tmp_path)
    assert result.project.launches == [] and triples(result) == []
    assert [(d.loc.path, d.loc.line, d.why) for d in result.project.dropped] == [(
        rel, 6, "named for huey, but runs `/srv/app/app.pyz worker`, which is no consumer command nor a script of the "
                "repository hueylint can follow: its stop is not judged")]


@pytest.mark.parametrize(("rel", "text"), [
    ("deploy/app-worker.service", OPAQUE.format("app worker")),  # nothing says huey
    ("deploy/huey.service", "[Service]\nExecStart=/srv/venv/bin/huey_consumer app.huey\n"),  # a consumer: a launch
])
def test_other_units_are_not_listed(tmp_path, rel, text):
    write_tree(tmp_path, {rel: text})
    assert lint(tmp_path).project.dropped == []


DROPIN_RESET = {
    "deploy/huey.service": ("[Service]\nUser=app\nRestart=always\nExecReload=/bin/kill -HUP $MAINPID\n"
                            "KillSignal=SIGINT\nTimeoutStopSec=60\nExecStart=/srv/venv/bin/huey_consumer app.huey -t 50\nType=exec\n"),
    "deploy/huey.service.d/reset.conf": "[Service]\nKillSignal=\n",
}


HL001_EMPTY = (
    "deploy/huey.service.d/reset.conf:2:12: HL001 [warning] cannot parse: an empty `KillSignal=` does not reset it: "
    "systemd ignores it (\"Failed to parse ..., ignoring\"; it takes a signal's name in capitals with or without "
    "`SIG`, its number, or `RTMIN+n`), so the value before it, or the default, applies")


def test_a_dropins_empty_kill_signal_keeps_the_units_signal(git_repo, capsys):
    """A drop-in's empty `KillSignal=` resets nothing (config_parse_signal: "Failed to parse signal name,
    ignoring"): the unit's SIGINT still applies, so no HL101, and the empty assignment is HL001 at its line."""
    write_tree(git_repo, DROPIN_RESET)
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise")
    assert (code, out.splitlines()) == (1, [HL001_EMPTY, "Found 1 finding (1 warning) in 2 files checked."])


def test_fix_writes_the_signal_at_a_dropins_empty_kill_signal(git_repo, capsys):
    """Without a signal in the unit, SIGTERM applies from the drop-in's ignored empty `KillSignal=`: HL101 is
    placed there and its fix writes the value there.  Appended to the unit's [Service] instead, the drop-in's line
    would come after it (and, were it a reset, undo it: `--fix` once added the line 10 times)."""
    files = dict(DROPIN_RESET)
    files["deploy/huey.service"] = files["deploy/huey.service"].replace("KillSignal=SIGINT\n", "")
    write_tree(git_repo, files)
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise")
    assert (code, out.splitlines()[:2]) == (1, [HL001_EMPTY, (
        "deploy/huey.service.d/reset.conf:2:12: HL101 [error] systemd stops `huey.service` with SIGTERM "
        "(deploy/huey.service.d/reset.conf:2); the consumer's graceful signal is SIGINT (huey default): huey treats "
        "it as \"stop now\" and interrupts running tasks. Fix: add `-g TERM` to the consumer command, or set "
        "KillSignal=SIGINT")])
    code, out, err = run_cli(capsys, "check", "--no-cache", "--fix")
    assert (code, err) == (0, "hueylint: fixed 1 finding in 1 file\n")
    assert (git_repo / "deploy/huey.service.d/reset.conf").read_text() == "[Service]\nKillSignal=SIGINT\n"
    assert (git_repo / "deploy/huey.service").read_text() == files["deploy/huey.service"]


def test_fix_never_adds_a_key_the_section_already_sets(git_repo, capsys):
    """A key the unit's [Service] already sets is never added again: the value that applies comes from
    elsewhere (a drop-in), where a second line in the section changes nothing."""
    from hueylint.fix_edits import ini_set

    text = "[Service]\nKillSignal=SIGINT\nExecStart=/x\n"
    assert ini_set("u.service", text, 3, "KillSignal", "SIGINT") is None
    assert ini_set("u.service", text, 3, "TimeoutStopSec", "60") is not None


def test_an_exec_line_of_a_jinja_template_is_split_as_jinja_renders_it() -> None:
    """A block is one word whose options are unknown, a comment renders to nothing (no positional argument
    run_huey would refuse), a placeholder stays one word."""
    from hueylint.platforms.systemd import _split

    line = "{{ venv }}/bin/python manage.py run_huey {% if w %}-w {{ w }}{% endif %} -f {# crashed locks #}"
    assert _split(line) == ["{{ venv }}/bin/python", "manage.py", "run_huey", "{% if w %}-w {{ w }}{% endif %}", "-f"]
    assert _split('run_huey -w{# two #}2 ""') == ["run_huey", "-w2", ""]


def test_settings_holding_a_jinja_statement_are_set_when_the_template_is_rendered(tmp_path) -> None:
    """`Restart={% if r %}always{% endif %}` is a value Jinja writes, as `Restart={{ r }}` is: unknown, never
    'systemd ignores it' (HL001) with the default Restart=no after it (HL203); so for `User=`,
    `TimeoutStopSec=` and a `{# comment #}` in one."""
    write_tree(tmp_path, {
        "huey.service.j2": "[Service]\nType=exec\nUser={% if u %}app{% else %}web{% endif %}\n"
                           "ExecStart=/v/bin/huey_consumer app.huey -w 2\nKillSignal=SIGINT\n"
                           "TimeoutStopSec={# seconds #}60\nRestart={% if r %}always{% endif %}\n"
                           "ExecReload=/bin/kill -HUP $MAINPID\n",
        "requirements.txt": "huey==2.5.2\n"})
    result = lint(tmp_path)
    assert triples(result) == []
    (launch,) = result.project.launches
    assert launch.restart is not None and not launch.restart.known
    assert launch.user is not None and not launch.user.known
    assert launch.deadline is not None and not launch.deadline.known


def test_many_units_in_one_folder_look_up_their_drop_ins_in_one_index(tmp_path, monkeypatch):
    """Each unit's drop-ins (``x.service.d/*.conf``) are found in an index of the walked systemd files by folder,
    built once a run: before, every unit listed every systemd file again (units x files)."""
    from hueylint.workspace import Workspace

    unit = "[Service]\nType=exec\nUser=app\nExecStart=/v/bin/huey_consumer a.huey -w 2 -t 25\n"
    files = {f"deploy/w{i}.service": unit for i in range(40)}
    files["deploy/w7.service.d/10-stop.conf"] = "[Service]\nKillSignal=SIGINT\n"
    files["requirements.txt"] = "huey==3.5.0\n"
    write_tree(tmp_path, files)
    calls = []
    real = Workspace.of_format
    monkeypatch.setattr(Workspace, "of_format", lambda self, *formats: calls.append(formats) or real(self, *formats))
    result = lint(tmp_path)
    assert calls.count(("systemd",)) < 10
    hl101 = sorted(f.loc.path for f in result.findings if f.rule == "HL101")
    assert len(hl101) == 39 and "deploy/w7.service" not in hl101  # the drop-in's KillSignal=SIGINT is read


def test_a_jinja_block_ending_on_a_later_line_is_one_unknown_word_to_the_end_of_its_line(tmp_path):
    """``ExecStart=... run_huey -t 20 {% if w %}-w {{ w }}{% else %}-w 2 -f`` with ``{% endif %}`` on the next line:
    what the rest of the line renders depends on the block. Before, the tag glued to its text was one word and the
    ``2`` after ``{% else %}-w`` a literal positional argument (HL002 "run_huey takes no positional argument")."""
    unit = ("[Service]\nType=exec\nUser=app\nKillSignal=SIGINT\nTimeoutStopSec=30\nRestart=always\n"
            "ExecReload=/bin/kill -HUP $MAINPID\n"
            "ExecStart=/srv/venv/bin/python manage.py run_huey -t 20 {% if w %}-w {{ w }}{% else %}-w 2 -f\n"
            "{% endif %}\n")
    result, (launch,) = only(tmp_path, {"huey.service.j2": unit, "requirements.txt": "huey==3.5.0\n"})
    assert triples(result) == [] and launch.problems == []
    assert launch.options["shutdown_timeout"].value == 20 and not launch.options["periodic"].known
    assert launch.argv[-1] == "{% if w %}-w {{ w }}{% else %}-w 2 -f"


@pytest.mark.parametrize("unit_line, key", [("Restart=always\n", "Restart"), ("KillMode=none\n", "KillMode")])
def test_an_empty_enum_assignment_in_a_dropin_resets_nothing(tmp_path, unit_line, key):
    """`KillMode=` and `Restart=` are parsed by DEFINE_CONFIG_PARSE_ENUM (src/shared/conf-parser.h), which finds no
    value in "" and ignores it: the unit's own value stays in force (no HL203 for `Restart=always`; `KillMode=none`
    still kills nothing: an infinite deadline), and the empty line is HL001."""
    unit = (COMPLETE.replace("Restart=on-failure\n", "") if key == "Restart" else COMPLETE) + unit_line
    result, (launch,) = only(tmp_path, {"deploy/huey.service": unit,
                                        "deploy/huey.service.d/override.conf": f"[Service]\n{key}=\n"})
    found = triples(result)
    assert ("HL001", "deploy/huey.service.d/override.conf", 2) in found
    assert not any(rule == "HL203" for rule, _, _ in found)
    if key == "KillMode":
        assert launch.deadline.value == math.inf


def test_no_kill_signal_edit_for_the_sigint_a_waiting_exec_stop_sends(git_repo, capsys):
    """SIGINT sent by ExecStop= commands that wait for the consumer reaches a `-g TERM` consumer whatever
    KillSignal= says: HL101 names ExecStop= in its fix and offers no edit (it added `KillSignal=SIGTERM`, which
    changed nothing, and the finding stayed)."""
    write_tree(git_repo, {"deploy/huey.service": (
        "[Service]\nType=exec\nUser=app\nRestart=always\nExecReload=/bin/kill -HUP $MAINPID\nTimeoutStopSec=60\n"
        "ExecStart=/srv/venv/bin/huey_consumer app.huey -g TERM -t 50\nExecStop=/bin/kill -INT $MAINPID\n"
        "ExecStop=/usr/bin/tail --pid=$MAINPID -f /dev/null\n")})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--select", "HL101")
    assert (code, out.splitlines()) == (1, [
        "deploy/huey.service:7:11: HL101 [error] systemd stops `huey.service` with SIGINT (`ExecStop=/bin/kill -INT "
        "$MAINPID` (deploy/huey.service:8) sends it and ExecStop= waits for the consumer to exit); the consumer's "
        "graceful signal is SIGTERM (deploy/huey.service:7): with `-g TERM`, SIGINT is huey's *immediate* signal: "
        "running tasks are interrupted. Fix: make the platform send SIGTERM from ExecStop= (`/bin/kill -TERM "
        "$MAINPID`), or drop `-g TERM`", "Found 1 finding (1 error) in 1 file checked."])
    code, out, err = run_cli(capsys, "check", "--no-cache", "--diff", "--select", "HL101")
    assert "KillSignal" not in out


def test_a_template_units_running_instance_is_named_as_one(tmp_path):
    """A finding about what a running consumer does or undergoes (stopped, not restarted, runs as root, logs to a
    file) names a template unit by an instance, `worker@INSTANCE.service`, as HL106 names the unit `systemctl
    reload` takes (systemctl refuses `worker@.service`); HL301 speaks of the template and keeps its file's name."""
    write_tree(tmp_path, {
        "requirements.txt": "huey==3.5.4\n",
        "app.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n\n@huey.periodic_task(lambda dt: True)\ndef tick():\n    pass\n",
        "worker@.service": "[Service]\nExecStart=/srv/venv/bin/huey_consumer app.huey -l /var/log/huey.log\n"
                           "KillSignal=SIGINT\nTimeoutStopSec=5\n",
    })
    messages = {finding.rule: finding.message for finding in lint(tmp_path).findings}
    assert messages["HL203"].startswith("systemd does not restart `worker@INSTANCE.service` when it exits")
    assert messages["HL701"].startswith("`worker@INSTANCE.service` runs as root")
    assert messages["HL102"].startswith("systemd stops `worker@INSTANCE.service` after")
    assert "sends `worker@INSTANCE.service`'s log to a file" in messages["HL501"]
    assert "`systemctl reload worker@INSTANCE.service` fails" in messages["HL106"]
    assert messages["HL301"].startswith("`worker@.service` runs any number of instances as a template unit")


CONTROL = "Source: shop\n\nPackage: shop\nArchitecture: all\n\nPackage: shop.extras\nArchitecture: all\n"


@pytest.mark.parametrize("files, expected", [
    # dh_installsystemd(1): debian/PACKAGE.NAME.service is installed as NAME.service (--name=NAME)
    ({"debian/control": CONTROL, "debian/shop.shop-worker.service": COMPLETE}, "shop-worker.service"),
    # a template unit keeps its `@`: debian/PACKAGE.NAME@.service is NAME@.service
    ({"debian/control": CONTROL, "debian/shop.worker@.service": COMPLETE}, "worker@.service"),
    # the longest package prefixing the name: `shop.extras`, not `shop`
    ({"debian/control": CONTROL, "debian/shop.extras.reports.service": COMPLETE}, "reports.service"),
    # debian/PACKAGE.service is PACKAGE.service, its own name
    ({"debian/control": CONTROL, "debian/shop.service": COMPLETE}, "shop.service"),
    # a prefix naming no package of the control file, or no control file at all: the file's own name
    ({"debian/control": CONTROL, "debian/other.worker.service": COMPLETE}, "other.worker.service"),
    ({"debian/shop.shop-worker.service": COMPLETE}, "shop.shop-worker.service"),
    # not a `debian/` folder: the file's own name
    ({"deploy/control": CONTROL, "deploy/shop.shop-worker.service": COMPLETE}, "shop.shop-worker.service"),
    # a package folder nested in the repository (`packaging/debian/`) is one too
    ({"packaging/debian/control": CONTROL, "packaging/debian/shop.huey.service": COMPLETE}, "huey.service"),
])
def test_debian_packaged_units_take_their_installed_name(tmp_path, files, expected):
    _, launches = only(tmp_path, {"my_app.py": "from huey import RedisHuey\nhuey = RedisHuey()\n", **files})
    assert [launch.name for launch in launches] == [expected]


@pytest.mark.parametrize("settings, expected", [
    # systemd.exec(5): StandardError= defaults to inherit, the same as StandardOutput=
    ("StandardOutput=append:/var/log/app/huey.log\n", "/var/log/app/huey.log"),
    ("StandardOutput=truncate:/var/log/app/huey.log\nStandardError=inherit\n", "/var/log/app/huey.log"),
    ("StandardError=file:/var/log/app/huey.err\n", "/var/log/app/huey.err"),
    ("StandardOutput=append:/var/log/app/out.log\nStandardError=append:/var/log/app/huey.err\n", "/var/log/app/huey.err"),
    # the journal (or a stream) keeps huey's log: stderr goes there
    ("StandardOutput=append:/var/log/app/out.log\nStandardError=journal\n", None),
    ("StandardOutput=journal\n", None),
    ("", None),
    # /dev/null: no file, and nothing collects it either (tests/unit/test_systemd_output_discarded.py)
    ("StandardError=null\n", None),
    # a path with a specifier is known only per unit instance: not judged
    ("StandardOutput=append:/var/log/app/%n.log\n", None),
])
def test_output_files_a_unit_writes_the_consumer_log_into(tmp_path, settings, expected):
    _, launches = only(tmp_path, {"huey.service": COMPLETE + settings})
    found = launches[0].stderr_file
    assert (found.value if found is not None else None) == expected
    assert launches[0].collects_logs is (expected is None and "null" not in settings)


def test_a_unit_output_file_nothing_rotates_is_hl503_and_one_rotated_without_copytruncate_hl502(tmp_path):
    unit = COMPLETE + "StandardOutput=append:/var/log/app/huey.log\n"
    result, _ = only(tmp_path, {"huey.service": unit})
    assert ("HL503", "huey.service", 7) in triples(result)
    result, _ = only(tmp_path, {"logrotate.d/app": "/var/log/app/*.log {\n  daily\n}\n"})
    assert ("HL502", "logrotate.d/app", 1) in triples(result) and ("HL503", "huey.service", 7) not in triples(result)
