"""Digit runs from scanned files: a number longer than Python converts (4,300 digits) or written in other digits
(``²``) is no count hueylint can use, never an internal error (``HUEYLINT_DEBUG`` is set: one would raise here)."""

from __future__ import annotations

import pytest

from hueylint.numerals import MAX_DIGITS, digit_run, whole_number
from tests.helpers import lint, write_tree

LONG = "9" * 5000


@pytest.mark.parametrize(("text", "number"), [
    ("0", 0), ("42", 42), ("9" * MAX_DIGITS, int("9" * MAX_DIGITS)), ("9" * (MAX_DIGITS + 1), None), (LONG, None),
    ("", None), ("+3", None), ("-1", None), (" 2", None), ("²", None), ("①", None), ("٣", None)])
def test_whole_number_takes_ascii_digit_runs_a_count_can_have(text, number):
    assert whole_number(text) == number


def test_digit_run_is_any_ascii_run():
    assert digit_run(LONG) and not digit_run("²") and not digit_run("")


@pytest.mark.parametrize("files", [
    # COPY --from=<stage index>
    {"Dockerfile": f"FROM python:3.12 AS base\nFROM python:3.12\nCOPY --from={LONG} /x /y\n"
                   'CMD ["huey_consumer", "app.huey"]\n'},
    {"Dockerfile": 'FROM python:3.12 AS base\nFROM python:3.12\nCOPY --from=² /x /y\nCMD ["huey_consumer", "app.huey"]\n'},
    # a script's `shift N` and `shift $((N - 1))`
    {"start.sh": f"#!/bin/sh\nshift {LONG}\nexec huey_consumer app.huey\n",
     "Dockerfile": 'FROM python:3.12\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n'},
    {"start.sh": f"#!/bin/sh\nN={LONG}\nshift $((N - 1))\nexec huey_consumer app.huey\n",
     "Dockerfile": 'FROM python:3.12\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n'},
    # Dokku's DOKKU_SCALE beside a Procfile, and a Procfile runner's -c counts
    {"Procfile": "worker: huey_consumer app.huey\n", "DOKKU_SCALE": f"worker={LONG}\n"},
    {"Procfile": "worker: huey_consumer app.huey\n",
     "Dockerfile": f'FROM python:3.12\nCMD ["honcho", "start", "-c", "worker={LONG}"]\n'},
    # Cloud Foundry instances from a variable, s6-overlay's S6_CMD_RECEIVE_SIGNALS and a timeout-down file
    {"manifest.yml": "applications:\n- name: w\n  instances: ((n))\n  command: huey_consumer app.huey\n",
     "vars.yml": f"n: '{LONG}'\n"},
    {"Dockerfile": f'FROM python:3.12\nENV S6_CMD_RECEIVE_SIGNALS={LONG}\nENTRYPOINT ["/init"]\n'
                   'CMD ["huey_consumer", "app.huey"]\n'},
    {"rootfs/etc/s6-overlay/s6-rc.d/huey/type": "longrun\n",
     "rootfs/etc/s6-overlay/s6-rc.d/huey/run": "#!/command/execlineb -P\nhuey_consumer app.huey\n",
     "rootfs/etc/s6-overlay/s6-rc.d/huey/timeout-down": f"{LONG}\n"},
    # a systemd KillSignal= number
    {"huey.service": f"[Service]\nExecStart=/srv/venv/bin/huey_consumer app.huey\nKillSignal={LONG}\n"},
    # a script's `[ "$X" -eq N ]`, `${N}` and `${ARR[N]}`, and pm2's --kill-timeout
    {"start.sh": f'#!/bin/sh\nif [ "$ROLE" -eq {LONG} ]; then exec huey_consumer app.huey; fi\n'
                 "exec huey_consumer app.huey -n\n",
     "Dockerfile": 'FROM python:3.12\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n'},
    {"start.sh": f'#!/bin/bash\nexec huey_consumer app.huey "${{{LONG}}}" "${{BASH_ARGV[{LONG}]}}"\n',
     "Dockerfile": 'FROM python:3.12\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n'},
    {"Dockerfile": f'FROM python:3.12\nCMD ["pm2-runtime", "start", "huey_consumer app.huey", "--kill-timeout", "{LONG}"]\n'},
], ids=["copy-from-long", "copy-from-superscript", "shift", "shift-arithmetic", "dokku-scale", "honcho-concurrency",
        "cloudfoundry-instances", "s6-receive-signals", "s6-timeout-down", "systemd-killsignal", "test-eq",
        "positional-and-element", "pm2-kill-timeout"])
def test_a_number_too_long_to_convert_is_no_internal_error(tmp_path, files):
    write_tree(tmp_path, files)
    result = lint(tmp_path)
    assert not result.internal_errors
    assert result.findings  # each tree still has its consumer launch judged


def test_a_python_int_literal_python_refuses_is_hl001(tmp_path):
    """Python 3.11+ refuses to compile an int literal of more than 4,300 digits (SyntaxError "Exceeds the limit"):
    libcst reads the file, and its conversion to ``ast`` raised the same error (an internal error); HL001 now."""
    write_tree(tmp_path, {
        "proj/settings.py": f"INSTALLED_APPS = ['huey.contrib.djhuey']\nHUEY = {{'consumer': {{'workers': {LONG}}}}}\n",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n"
                     "from django.core.management import execute_from_command_line\nexecute_from_command_line()\n",
        "huey.service": "[Service]\nExecStart=/srv/venv/bin/python manage.py run_huey\nKillSignal=SIGINT\n"})
    result = lint(tmp_path)
    assert not result.internal_errors
    assert [(f.rule, f.loc.path, f.loc.line, f.message[:60]) for f in result.findings if f.rule == "HL001"] == [
        ("HL001", "proj/settings.py", 2, "cannot parse: Python syntax error: Exceeds the limit (4300 d")]
