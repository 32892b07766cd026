"""Supervisors hueylint does not model (runit, daemontools and s6 service directories outside s6-overlay's
layout, SysV init, OpenRC, Upstart): a file of one that starts the consumer gets a notice at the line
naming the consumer command, saying which supervisor runs it; never silence."""

from __future__ import annotations

import pytest

from hueylint.formats import name_format
from tests.helpers import lint, write_tree
from tests.helpers import notices_without_launches as _notices

RUNIT = "#!/bin/sh\nexec 2>&1\nexec chpst -u app /srv/venv/bin/huey_consumer app.huey -w 4\n"
NOT_CHECKED = "a supervisor hueylint does not model: its stop signal, deadline and restart are not checked"


@pytest.mark.parametrize(("rel", "fmt"), [
    ("sv/huey/run", "?service"), ("etc/service/huey/run", "?service"), ("deploy/services/worker/run", "?service"),
    ("runit/huey/run", "?service"), ("docker/runit/queue/run", "?service"), ("daemontools/huey/run", "?service"),
    ("etc/s6-rc.d/huey/run", "s6"), ("rootfs/etc/services.d/huey/run", "s6"),  # s6-overlay: modelled
    ("scripts/run", None), ("bin/run", None), ("deploy/scripts/run", None), ("sv/huey/finish", None),
    ("deploy/init.d/huey", "?init"), ("etc/init.d/huey.sh", "?init"), ("debian/huey.init", "?init"),
    ("files/huey.initd", "?init"), ("contrib/init/huey.openrc", "?init"),
    ("deploy/com.example.huey.plist", "?launchd"), ("init/huey.conf", "?ini"),  # Upstart jobs are INI-like `.conf` files: their content decides
])
def test_files_of_unmodelled_supervisors_are_recognised_by_their_path(rel, fmt):
    assert name_format(rel) == fmt



def test_a_runit_run_script_gets_a_notice_at_the_consumer_line(tmp_path):
    assert _notices(tmp_path, {"sv/huey/run": RUNIT, "sv/huey/log/run": "#!/bin/sh\nexec svlogd -tt ./main\n"}) == [
        ("sv/huey/run", "line 3: `huey_consumer` is run by this service directory's `run` script (runit), "
         f"{NOT_CHECKED} (`sv down` sends SIGTERM then SIGCONT and no SIGKILL; `sv force-stop` sends SIGKILL "
         "after 7 s, `-w`; huey takes SIGTERM as \"stop now\" unless the consumer runs with `-g TERM`)")]


@pytest.mark.parametrize(("rel", "text", "supervisor"), [
    ("service/huey/run", "#!/bin/sh\nexec setuidgid app huey_consumer app.huey\n", "daemontools"),
    ("service/huey/run", "#!/bin/execlineb -P\ns6-setuidgid app\nhuey_consumer app.huey\n", "s6"),
    ("service/huey/run", "#!/bin/sh\nexec huey_consumer app.huey\n", "runit, daemontools or s6"),
    ("etc/sv/huey/run", "#!/bin/sh\nexec huey_consumer app.huey\n", "runit"),
])
def test_the_notice_names_the_supervisor_its_tools_or_folder_show(tmp_path, rel, text, supervisor):
    [(where, reason)] = _notices(tmp_path, {rel: text})
    assert where == rel
    assert f"`run` script ({supervisor}), a supervisor" in reason


@pytest.mark.parametrize("files", [
    {"sv/web/run": "#!/bin/sh\nexec gunicorn app.wsgi\n"},  # no consumer
    {"sv/huey/run": "#!/bin/sh\n# was: huey_consumer app.huey\nexec gunicorn app.wsgi\n"},  # only in a comment
    {"init.d/web": "#!/bin/sh\nstart-stop-daemon --start --exec /usr/bin/gunicorn\n"},
    {"scripts/run": RUNIT},  # a `run` script that is no service directory's: a start script like any other
])
def test_files_that_start_no_consumer_get_no_notice(tmp_path, files):
    assert _notices(tmp_path, files) == []


def test_a_sysv_init_script_gets_a_notice_at_the_line_naming_the_daemon(tmp_path):
    script = ("#!/bin/sh\n### BEGIN INIT INFO\n# Short-Description: huey_consumer\n### END INIT INFO\n"
              "DAEMON=/srv/venv/bin/huey_consumer\n"
              "start-stop-daemon --start --background --exec $DAEMON -- app.huey\n")
    assert _notices(tmp_path, {"etc/init.d/huey": script}) == [
        ("etc/init.d/huey", "line 5: `huey_consumer` is started by this SysV init script (start-stop-daemon), "
         f"{NOT_CHECKED} (`start-stop-daemon --stop` sends SIGTERM unless `--signal`/`--retry` say otherwise; "
         "nothing restarts a consumer that exits)")]


def test_an_openrc_script_is_told_from_a_sysv_one_by_its_interpreter(tmp_path):
    script = '#!/sbin/openrc-run\ncommand="/srv/venv/bin/huey_consumer"\ncommand_args="app.huey"\n'
    assert _notices(tmp_path, {"init.d/huey": script}) == [
        ("init.d/huey", f"line 2: `huey_consumer` is started by this OpenRC service script, {NOT_CHECKED} "
         "(start-stop-daemon sends SIGTERM unless `retry=` says otherwise; nothing restarts the consumer without "
         "`supervisor=supervise-daemon`)")]


def test_an_upstart_job_gets_a_notice_naming_upstart_at_its_exec_line(tmp_path):
    job = "description \"huey\"\nstart on runlevel [2345]\nrespawn\n\nexec huey_consumer app.huey -w 2\n"
    assert _notices(tmp_path, {"init/huey.conf": job, "worker.ini": "[worker]\ncommand = huey_consumer x.huey\n"}) == [
        ("init/huey.conf", "line 5: `huey_consumer` is started by this Upstart job, a supervisor hueylint does not "
         "model: its stop signal (`kill signal`, SIGTERM by default), deadline (`kill timeout`, 5 s by default) "
         "and restart (`respawn`) are not checked"),
        # an INI file that is no Upstart job keeps the general notice
        ("worker.ini", "mentions `huey_consumer` but is not a supervisord, circus or systemd config hueylint "
         "recognises: not checked")]


def test_a_service_run_script_read_from_stdin_gets_the_notice_too(tmp_path):
    from hueylint.discovery import stdin_source

    source, notice, bad = stdin_source(RUNIT.encode(), "sv/huey/run", tmp_path / "sv/huey/run")
    assert source is None and bad is None
    assert notice is not None and notice.reason.startswith("line 3: `huey_consumer` is run by this service")


@pytest.mark.parametrize(("copy", "target"), [
    ("COPY deploy/huey.sh /etc/service/huey/run", "/etc/service/huey/run"),
    ("COPY deploy/run /etc/sv/huey/", "/etc/sv/huey/run"),  # into the folder, under its own name
])
def test_a_script_an_image_copies_to_a_service_run_file_gets_the_notice(tmp_path, copy, target):
    script = "#!/bin/sh\ncd /srv\nexec /sbin/setuser app huey_consumer app.huey -w 2\n"
    rel = copy.split()[1]
    dockerfile = f"FROM phusion/baseimage:jammy-1.0.1\n{copy}\nCMD [\"/sbin/my_init\"]\n"
    [(where, reason)] = _notices(tmp_path, {"Dockerfile": dockerfile, rel: script})
    assert where == rel
    assert reason.startswith(f"line 3: `huey_consumer` is run by `{target}`, the `run` script of a service directory "
                             "(runit) this file is copied to (Dockerfile:2), " + NOT_CHECKED)


@pytest.mark.parametrize("files", [
    {"Dockerfile": "FROM python:3.12\nCOPY huey.sh /srv/huey.sh\nCMD [\"sh\", \"/srv/huey.sh\"]\n"},  # a launch, no notice
    {"Dockerfile": "FROM python:3.12\nCOPY web.sh /etc/service/web/run\n"},  # no consumer in it
])
def test_other_copies_get_no_service_notice(tmp_path, files):
    write_tree(tmp_path, {**files, "huey.sh": "#!/bin/sh\nexec huey_consumer app.huey\n", "web.sh": "exec gunicorn x\n"})
    assert [notice for notice in lint(tmp_path).notices if "service directory" in notice.reason] == []


PLIST = ("<plist version=\"1.0\">\n<dict>\n  <key>Label</key>\n  <string>com.example.huey</string>\n"
         "  <key>ProgramArguments</key>\n  <array>\n    <string>huey_consumer</string>\n"
         "    <string>app.huey</string>\n  </array>\n</dict>\n</plist>\n")


def test_a_launchd_job_gets_a_notice_at_its_program_argument(tmp_path):
    assert _notices(tmp_path, {"deploy/com.example.huey.plist": PLIST}) == [
        ("deploy/com.example.huey.plist", "line 7: `huey_consumer` is started by this launchd job (macOS), a "
         "supervisor hueylint does not model: its stop signal, deadline and restart are not checked (launchd "
         "stops a job with SIGTERM, then SIGKILL after `ExitTimeOut`, 20 s by default; `KeepAlive` restarts it)")]


def test_a_property_list_that_is_no_launchd_job_gets_no_notice(tmp_path):
    info = "<plist>\n<dict>\n  <key>CFBundleName</key>\n  <string>huey_consumer docs</string>\n</dict>\n</plist>\n"
    assert _notices(tmp_path, {"Info.plist": info}) == []


def test_a_run_script_a_launch_runs_itself_is_judged_there_without_a_notice(tmp_path):
    """An image whose command is the service directory's `run` script (no runsvdir in between): the docker
    launch follows it, so it was checked; no notice that it was not."""
    dockerfile = 'FROM python:3.12\nCOPY sv/huey/run /etc/service/huey/run\nCMD ["/etc/service/huey/run"]\n'
    write_tree(tmp_path, {"Dockerfile": dockerfile, "sv/huey/run": RUNIT})
    result = lint(tmp_path)
    assert [launch.platform for launch in result.project.launches] == ["docker"]
    assert result.notices == []


ECOSYSTEM = ("// pm2 start ecosystem.config.js\nmodule.exports = {\n  apps: [\n    {\n      name: 'web',\n"
             "      script: 'gunicorn',\n      args: 'shop.wsgi',\n    },\n    {\n      name: 'huey',\n"
             "      script: 'python',\n      // was: huey_consumer shop.huey\n      args: 'manage.py run_huey -w 2',\n"
             "      interpreter: 'none',\n    },\n  ],\n};\n")
PM2_STOP = ("(PM2 stops an app with SIGINT, its `kill_signal`, and sends SIGKILL after `kill_timeout`, 1600 ms by "
            "default: a running task is killed unless `kill_timeout` outlasts it; `autorestart` restarts it; every "
            "one of `instances` enqueues the periodic tasks unless run with `--no-periodic`)")


@pytest.mark.parametrize("rel", ["ecosystem.config.js", "deploy/ecosystem.config.cjs", "ecosystem.prod.config.js",
                                 "pm2.config.js", "ecosystem.json", "deploy/ecosystem.yml"])
def test_pm2_ecosystem_files_are_recognised_by_their_name(rel):
    assert name_format(rel) == "?pm2"


@pytest.mark.parametrize("rel", ["ecosystem.md", "pm2-notes.txt", "src/ecosystemconfig.js", "app/ecosystem.py"])
def test_other_files_are_no_pm2_ecosystem_files(rel):
    assert name_format(rel) != "?pm2"


def test_a_pm2_ecosystem_file_gets_a_notice_at_the_consumer_line(tmp_path):
    """Field find (a ciso-assistant fork deployed by PM2 whose snapshot is not stored): PM2 runs `run_huey` from
    its ecosystem file, silence before; a notice now, at the first consumer word outside a `//` comment."""
    assert _notices(tmp_path, {"ecosystem.config.js": ECOSYSTEM}) == [
        ("ecosystem.config.js", "line 13: `run_huey` is run by PM2 (this ecosystem file), a supervisor hueylint "
         f"does not model: its stop signal, deadline, restart and instances are not checked {PM2_STOP}")]
    assert _notices(tmp_path / "none", {"ecosystem.config.js": ECOSYSTEM.replace("run_huey", "runserver")
                                        .replace("huey_consumer", "nothing")}) == []


@pytest.mark.parametrize(("rel", "fmt"), [
    ("deploy/crontab", "?cron"), ("crontab.txt", "?cron"), ("ops/huey.crontab", "?cron"), ("etc/jobs.cron", "?cron"),
    ("deploy/cron.d/queue", "?cron"), ("var/spool/cron/crontabs/app", "?cron"),
    ("scripts/install-crontab.sh", "script"), ("docs/crontab.md", None),
])
def test_crontabs_are_recognised_by_their_path(rel, fmt):
    assert name_format(rel) == fmt


CRON_NOT_CHECKED = ("a supervisor hueylint does not model: its stop signal, deadline, restart and instances are "
                    "not checked")


def test_a_crontab_starting_the_consumer_at_boot_gets_a_notice(tmp_path):
    # field shape: `@reboot cd /srv/app && venv/bin/huey_consumer ...` on a hobby host; before: silence
    text = "# m h dom mon dow command\n@reboot cd /srv/app && venv/bin/huey_consumer app.huey -w 2\n"
    assert _notices(tmp_path, {"deploy/crontab": text}) == [
        ("deploy/crontab", f"line 2: `huey_consumer` is started by this crontab, {CRON_NOT_CHECKED} (cron starts it "
         "once at boot and forgets it: nothing restarts it when it exits, and only the system's shutdown stops it "
         "(SIGTERM, huey's \"stop now\" unless the consumer runs with `-g TERM`))")]


def test_a_crontab_schedule_starting_the_consumer_says_they_pile_up(tmp_path):
    text = "*/10 * * * * app cd /srv/app && venv/bin/python manage.py run_huey\n"
    [(where, reason)] = _notices(tmp_path, {"etc/cron.d/queue": text})
    assert where == "etc/cron.d/queue"
    assert "cron starts another one at every match of `*/10 * * * *`, beside those still running" in reason


@pytest.mark.parametrize("text", [
    "0 3 * * * /srv/venv/bin/python manage.py clearsessions\n",  # no consumer
    "# huey_consumer runs under systemd\n0 3 * * * backup.sh\n",  # only in a comment
    "SHELL=/bin/bash\nMAILTO=huey_consumer@example.org\n",  # no crontab line names it
])
def test_crontabs_that_start_no_consumer_get_no_notice(tmp_path, text):
    assert _notices(tmp_path, {"deploy/crontab": text}) == []


# -- crontabs a script or a Dockerfile installs (hueylint.platforms.crontabs) ----------------------------------

BOOT = ("cron starts it once at boot and forgets it: nothing restarts it when it exits, and only the system's shutdown "
        "stops it (SIGTERM, huey's \"stop now\" unless the consumer runs with `-g TERM`)")


@pytest.mark.parametrize(("script", "line", "written", "at"), [
    # a here-document (tree-sitter drops the `-` before `<<`: crontab reads its standard input either way)
    ("crontab - <<EOF\n@reboot huey_consumer app.huey\nEOF\n", 3, "crontab", 2),
    ("crontab <<'EOF'\n# jobs\n@reboot huey_consumer app.huey\nEOF\n", 4, "crontab", 2),
    ("crontab -u app - <<< '@reboot huey_consumer app.huey'\n", 2, "crontab -u app -", 2),
    # what a pipeline writes
    ("echo '@reboot huey_consumer app.huey' | crontab -\n", 2, "crontab -", 2),
    ("echo -e 'MAILTO=\"\"\\n@reboot huey_consumer app.huey' | crontab -\n", 2, "crontab -", 2),
    ("(crontab -l 2>/dev/null; echo \"@reboot python manage.py run_huey\") | crontab -\n", 2, "crontab -", 2),
    ("{ crontab -l; printf '%s\\n' '@reboot huey_consumer app.huey'; } | sort -u | crontab -\n", 2, "crontab -", 2),
    ("cat <<EOF | crontab -\n@reboot huey_consumer app.huey\nEOF\n", 3, "crontab -", 2),
])
def test_a_crontab_a_script_installs_gets_the_crontab_notice_at_the_script_line(tmp_path, script, line, written, at):
    assert _notices(tmp_path, {"deploy/setup.sh": "#!/bin/sh\n" + script}) == [
        ("deploy/setup.sh", f"line {line}: `{'run_huey' if 'run_huey' in script else 'huey_consumer'}` is started by "
         f"a crontab installed by `{written}` (line {at}), {CRON_NOT_CHECKED} ({BOOT})")]


def test_a_repository_file_a_script_installs_as_a_crontab_gets_the_crontab_notice(tmp_path):
    files = {"deploy/setup.sh": "#!/bin/sh\ncrontab -u app /srv/app/deploy/jobs.txt\n",
             "deploy/jobs.txt": "@reboot huey_consumer app.huey\n"}
    assert _notices(tmp_path, files) == [
        ("deploy/jobs.txt", "line 1: `huey_consumer` is started by this crontab (installed by `crontab -u app "
         f"/srv/app/deploy/jobs.txt` in deploy/setup.sh line 2), {CRON_NOT_CHECKED} ({BOOT})")]


def test_a_file_a_dockerfile_copies_into_cron_d_gets_the_crontab_notice(tmp_path):
    files = {"Dockerfile": "FROM python:3.12\nCOPY jobs /etc/cron.d/jobs\nCMD [\"cron\", \"-f\"]\n",
             "jobs": "@reboot app huey_consumer app.huey\n"}
    assert _notices(tmp_path, files) == [
        ("jobs", "line 1: `huey_consumer` is started by this crontab (copied to `/etc/cron.d/jobs` by Dockerfile "
         f"line 2), {CRON_NOT_CHECKED} ({BOOT})")]


def test_a_dockerfile_run_that_pipes_a_crontab_line_gets_the_notice_at_its_line(tmp_path):
    files = {"Dockerfile": "FROM python:3.12\nRUN apt-get install -y cron && \\\n    echo '@reboot huey_consumer "
                           "app.huey' | crontab -\nCMD [\"cron\", \"-f\"]\n"}
    assert _notices(tmp_path, files) == [
        ("Dockerfile", f"line 3: `huey_consumer` is started by a crontab installed by `crontab -` (line 2), "
         f"{CRON_NOT_CHECKED} ({BOOT})")]


@pytest.mark.parametrize("script", [
    "crontab -l\n",  # lists
    "crontab -r\n",
    "crontab -l | grep -v huey_consumer | crontab -\n",  # removes the consumer's line
    "echo '0 3 * * * python manage.py clearsessions' | crontab -\n",  # no consumer
    "echo '# huey_consumer runs under systemd now' | crontab -\n",  # a comment
    "echo '@reboot huey_consumer app.huey' > /tmp/x\ncrontab -l\n",  # not piped into crontab
    "crontab \"$CRONTAB_FILE\"\n",  # a file not known
    "crontab deploy/backups\n",  # a file without a consumer
])
def test_crontab_commands_that_install_no_consumer_get_no_notice(tmp_path, script):
    files = {"deploy/setup.sh": "#!/bin/sh\n" + script, "deploy/backups": "0 2 * * * /srv/bin/backup\n"}
    assert _notices(tmp_path, files) == []


@pytest.mark.parametrize(("script", "line", "how", "at"), [
    # written into a file cron reads: the system crontab, a cron.d file (their lines name the user)
    ("echo '@reboot root huey_consumer app.huey' >> /etc/crontab\n", 2, "writing `/etc/crontab`", 2),
    ("cat > /etc/cron.d/huey <<EOF\n@reboot app huey_consumer app.huey\nEOF\n", 3, "writing `/etc/cron.d/huey`", 2),
    ("{\n  echo 'SHELL=/bin/sh'\n  echo '@reboot app huey_consumer app.huey'\n} > /etc/cron.d/huey\n", 4,
     "writing `/etc/cron.d/huey`", 4),
    ("echo '@reboot root huey_consumer app.huey' | sudo tee -a /etc/crontab > /dev/null\n", 2,
     "writing `/etc/crontab`", 2),
    ("sudo -u app crontab - <<EOF\n@reboot huey_consumer app.huey\nEOF\n", 3, "`crontab`", 2),
])
def test_a_crontab_a_script_writes_gets_the_crontab_notice(tmp_path, script, line, how, at):
    assert _notices(tmp_path, {"deploy/setup.sh": "#!/bin/sh\n" + script}) == [
        ("deploy/setup.sh", f"line {line}: `huey_consumer` is started by a crontab installed by {how} (line {at}), "
         f"{CRON_NOT_CHECKED} ({BOOT})")]


@pytest.mark.parametrize("script", [
    "echo '@reboot huey_consumer app.huey' > /tmp/crontab.txt\n",  # not a file cron reads
    "echo '@reboot huey_consumer app.huey' 2> /etc/cron.d/huey\n",  # standard error
    "grep huey_consumer /etc/crontab > /dev/null\n",
])
def test_writing_elsewhere_gets_no_crontab_notice(tmp_path, script):
    assert _notices(tmp_path, {"deploy/setup.sh": "#!/bin/sh\n" + script}) == []


@pytest.mark.parametrize(("text", "says"), [
    ("- ansible.builtin.cron:\n    name: huey\n    special_time: reboot\n    job: huey_consumer app.huey\n",
     f"line 4: `huey_consumer` is started by a crontab line this Ansible `cron` task installs (line 1), "
     f"{CRON_NOT_CHECKED} ({BOOT})"),
    ("- name: q\n  cron: name=q minute=*/5 job=\"cd /srv && venv/bin/python manage.py run_huey\"\n",
     "line 2: `run_huey` is started by a crontab line this Ansible `cron` task installs (line 2), "
     f"{CRON_NOT_CHECKED} (cron starts another one at every match of `*/5 * * * *`, beside those still running, "
     "unless the command guards against it (`flock -n`): each enqueues the periodic tasks, and nothing stops them "
     "gracefully)"),
])
def test_an_ansible_cron_task_starting_the_consumer_gets_the_crontab_notice(tmp_path, text, says):
    assert _notices(tmp_path, {"roles/app/tasks/main.yml": text}) == [("roles/app/tasks/main.yml", says)]


@pytest.mark.parametrize("text", [
    "- cron:\n    name: huey\n    state: absent\n    job: huey_consumer app.huey\n",  # removes the line
    "- cron:\n    name: huey\n    disabled: true\n    job: huey_consumer app.huey\n",  # comments it out
    "- cron:\n    name: backup\n    job: /srv/bin/backup\n- debug:\n    msg: huey_consumer\n",  # another task names it
])
def test_ansible_cron_tasks_that_start_no_consumer_get_no_crontab_notice(tmp_path, text):
    assert not any("Ansible `cron` task" in reason for _, reason in _notices(tmp_path, {"roles/x/tasks/main.yml": text}))


NSSM_STOP = ("(NSSM stops it with a Control-C event, which Python takes as SIGINT, huey's graceful stop, and ends it "
             "with TerminateProcess when it has not exited `AppStopMethodConsole` milliseconds later, 1500 by "
             "default: a running task is killed unless `nssm set NAME AppStopMethodConsole MS` outlasts it; NSSM "
             "restarts an application that exits)")
NSSM_BATCH = ("@echo off\nREM was: nssm install Queue python.exe huey_consumer shop.huey\n"
              "nssm.exe install Queue C:\\srv\\venv\\Scripts\\python.exe manage.py run_huey -w 2\n"
              "nssm set Queue AppDirectory C:\\srv\\app\n")


@pytest.mark.parametrize(("rel", "fmt"), [
    ("service_install.ps1", "?nssm"), ("deploy/install-services.bat", "?nssm"), ("scripts/Install.CMD", "?nssm"),
    ("tools/Services.psm1", "?nssm"), ("deploy/install.sh", "script"), ("docs/nssm.md", None),
])
def test_windows_scripts_are_read_for_nssm_services(rel, fmt):
    assert name_format(rel) == fmt


def test_a_batch_script_installing_the_consumer_with_nssm_gets_a_notice(tmp_path):
    """`nssm install NAME PROGRAM ARGS` naming the consumer: a notice at that line, not at a `REM` comment's."""
    assert _notices(tmp_path, {"deploy/install.bat": NSSM_BATCH}) == [
        ("deploy/install.bat", "line 3: `run_huey` is run as a Windows service by NSSM (`nssm install`/`nssm set` in "
         f"this script), a supervisor hueylint does not model: its stop signal, deadline, restart and instances "
         f"are not checked {NSSM_STOP}")]


@pytest.mark.parametrize("text", [
    "cd backend\n.\\venv\\Scripts\\python.exe manage.py run_huey\n",  # a development script: no NSSM
    "nssm install Web C:\\srv\\venv\\Scripts\\python.exe manage.py runserver\n",  # NSSM, but no consumer
    "# nssm install Queue python manage.py run_huey\nWrite-Host 'see the README'\n",  # a comment's words
])
def test_windows_scripts_without_an_nssm_consumer_get_no_notice(tmp_path, text):
    assert _notices(tmp_path, {"scripts/dev.ps1": text}) == []


@pytest.mark.parametrize(("encoding", "bom"), [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                               ("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-8", b"\xef\xbb\xbf")])
def test_a_powershell_script_saved_with_a_byte_order_mark_is_read_as_powershell_reads_it(tmp_path, encoding, bom):
    """Windows PowerShell's `>` and `Out-File` write UTF-16 ("Unicode") by default, and PowerShell reads a script
    by its BOM: such an install script gets the notice as a UTF-8 one does (before: silent, its bytes never
    held `run_huey` as ASCII).  A batch file is not so read (cmd.exe reads bytes), nor is a BOM-less file."""
    text = NSSM_BATCH.replace("@echo off\nREM", "#").replace("\n", "\r\n")
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy/install.ps1").write_bytes(bom + text.encode(encoding))
    (tmp_path / "deploy/install.bat").write_bytes(b"\xff\xfe" + NSSM_BATCH.encode("utf-16-le"))
    assert _notices(tmp_path, {}) == [
        ("deploy/install.ps1", "line 2: `run_huey` is run as a Windows service by NSSM (`nssm install`/`nssm set` in "
         f"this script), a supervisor hueylint does not model: its stop signal, deadline, restart and instances "
         f"are not checked {NSSM_STOP}")]


WINSW_STOP = ("a supervisor hueylint does not model: its stop signal, deadline, restart and instances are not "
              "checked (WinSW stops it with a Ctrl+C event, which Python takes as SIGINT, huey's graceful stop, and "
              "terminates it when it has not exited `<stoptimeout>` later, 15 s by default: a running task is killed "
              "unless `<stoptimeout>` outlasts it; `<onfailure action=\"restart\"/>` restarts it when it fails; every "
              "service installed from it enqueues the periodic tasks unless run with `--no-periodic`)")
WINSW_XML = ("<service>\n  <id>queue</id>\n  <executable>%BASE%\\venv\\Scripts\\huey_consumer.exe</executable>\n"
             "  <arguments>shop.tasks.huey -w 4</arguments>\n</service>\n")


def _winsw(line: int, word: str) -> str:
    return (f"line {line}: `{word}` is run as a Windows service by WinSW (its `<service>` configuration), "
            f"{WINSW_STOP}")


@pytest.mark.parametrize(("rel", "fmt"), [
    ("deploy/huey-queue.xml", "?winsw"), ("winsw/Queue.XML", "?winsw"), ("deploy/install.bat", "?nssm"),
])
def test_xml_files_are_read_for_winsw_services(rel, fmt):
    assert name_format(rel) == fmt


@pytest.mark.parametrize(("rel", "text", "line", "word"), [
    ("deploy/queue.xml", WINSW_XML, 3, "huey_consumer"),  # the consumer as the executable
    # the consumer's word on a later line of a multi-line <arguments>, not the display name's
    ("deploy/queue.xml", "<service>\n  <name>run_huey queue</name>\n  <executable>python</executable>\n"
     "  <arguments>\n    manage.py\n    run_huey -w 2\n  </arguments>\n</service>\n", 6, "run_huey"),
    ("deploy/queue.xml", "<service>\n  <executable>python.exe</executable>\n"  # WinSW 2's start/stop form
     "  <startarguments>manage.py djangohuey --queue mail</startarguments>\n"
     "  <stopexecutable>taskkill</stopexecutable>\n</service>\n", 3, "djangohuey"),
    # a batch script echoing the configuration (cmd.exe's `^<` escapes), its REM line skipped
    ("deploy/install.bat", "@echo off\nREM echo ^<arguments^>manage.py run_huey^</arguments^>\n(\n"
     "  echo ^<service^>\n  echo   ^<executable^>python.exe^</executable^>\n"
     "  echo   ^<arguments^>manage.py run_huey^</arguments^>\n  echo ^</service^>\n) > queue.xml\n"
     "WinSW.exe install queue.xml\n", 6, "run_huey"),
    # a PowerShell here-string written next to the renamed WinSW.exe
    ("deploy/install.ps1", "@\"\n<service>\n  <id>queue</id>\n  <executable>$venv\\python.exe</executable>\n"
     "  <arguments>-m huey.bin.huey_consumer app.huey</arguments>\n</service>\n\"@ | Out-File queue.xml\n"
     "& .\\queue.exe install\n", 5, "huey_consumer"),
])
def test_a_winsw_service_running_the_consumer_gets_a_notice(tmp_path, rel, text, line, word):
    """WinSW is not modelled (Ctrl+C, then termination after `<stoptimeout>`): its configuration, in an XML file
    or written by a Windows script, gets a notice at the consumer's word inside the command's elements."""
    assert _notices(tmp_path, {rel: text}) == [(rel, _winsw(line, word))]


@pytest.mark.parametrize(("rel", "text"), [
    ("deploy/web.xml", "<service>\n  <executable>python</executable>\n  <arguments>manage.py runserver</arguments>\n"
     "  <description>the web side; the queue is run_huey's own service</description>\n</service>\n"),
    ("pom.xml", "<project>\n  <description>huey_consumer client</description>\n</project>\n"),  # no <service>
    ("deploy/queue.xml", "<service>\n  <!-- <arguments>manage.py run_huey</arguments> -->\n"
     "  <executable>python</executable>\n</service>\n"),  # a commented-out command
])
def test_xml_files_that_run_no_consumer_under_winsw_get_no_notice(tmp_path, rel, text):
    assert _notices(tmp_path, {rel: text}) == []
