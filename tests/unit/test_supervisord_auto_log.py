"""supervisord's AUTO program log (`*_logfile` unset, whose default is AUTO, or `AUTO`) holding the consumer's
output with `*_logfile_maxbytes=0`: supervisord never rotates it (HL503, at the maxbytes), as for a named file.
NONE/OFF write no file; the default rotation (50MB) and a stream not holding the consumer's output stay quiet."""

from __future__ import annotations

import pytest

from tests.helpers import lint, write_tree

JOBS = ("from huey import RedisHuey\nfrom huey.signals import SIGNAL_INTERRUPTED\n\nhuey = RedisHuey('jobs')\n\n"
        "@huey.signal(SIGNAL_INTERRUPTED)\ndef again(signal, task, *args, **kwargs):\n    huey.enqueue(task)\n")
PROGRAM = ("[program:worker]\ncommand=/srv/venv/bin/huey_consumer jobs.huey -w 2 -t 50\ndirectory=/srv\n"
           "stopsignal=INT\nstopwaitsecs=60\nuser=app\nautorestart=true\n")


def _hl503(tmp_path, options: str, head: str = "[supervisord]\nlogfile=/var/log/supervisord.log\n",
           extra: dict[str, str] | None = None):
    write_tree(tmp_path, {"jobs.py": JOBS, "requirements.txt": "huey==3.5.4\n",
                          "supervisord.conf": head + PROGRAM + options, **(extra or {})})
    return [f for f in lint(tmp_path).findings if f.rule == "HL503"]


@pytest.mark.parametrize(("options", "line", "part"), [
    ("stderr_logfile_maxbytes=0\n", 10, "(no `stderr_logfile=`, whose default is `AUTO`), `worker-stderr---"),
    ("stderr_logfile=AUTO\nstderr_logfile_maxbytes=0\n", 11, "(`stderr_logfile=AUTO` at supervisord.conf:10)"),
    ("stderr_logfile=auto\nstderr_logfile_maxbytes=0MB\n", 11, "`stderr_logfile_maxbytes=0MB`: unlimited"),
    ("stdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\nstderr_logfile_maxbytes=0\n", 12,
     "`stderr_logfile=/dev/stderr` with `stderr_logfile_maxbytes=0`"),
    ("redirect_stderr=true\nstdout_logfile_maxbytes=0\n", 11, "`worker-stdout---supervisor-*.log`"),
    ("process_name=huey\nstderr_logfile_maxbytes=0\n", 11, "`huey-stderr---supervisor-*.log`"),
])
def test_an_auto_log_never_rotated(tmp_path, options, line, part):
    [finding] = _hl503(tmp_path, options)
    assert (finding.loc.path, finding.loc.line) == ("supervisord.conf", line)
    assert part in finding.message
    assert "supervisord's temporary directory (`/tmp` unless `TMPDIR` says otherwise" in finding.message


@pytest.mark.parametrize("options", [
    "stderr_logfile=NONE\nstderr_logfile_maxbytes=0\n",  # no file
    "stderr_logfile=off\nstderr_logfile_maxbytes=0\n",  # supervisor's logfile_name: `off` is no file too
    "stderr_logfile=/dev/stderr\nstderr_logfile_maxbytes=0\n",
    "stdout_logfile_maxbytes=0\n",  # the consumer's output is on stderr, whose AUTO log keeps the default
    "redirect_stderr=true\nstderr_logfile_maxbytes=0\n",  # stderr goes to the stdout log (default rotation)
    "stderr_logfile_maxbytes=50MB\n",
    "stderr_logfile_maxbytes=%(ENV_LOG_MAX)s\n",  # not known
    "stderr_logfile=%(ENV_LOG)s\nstderr_logfile_maxbytes=0\n",  # not known: neither AUTO nor a file judged
])
def test_quiet(tmp_path, options):
    assert _hl503(tmp_path, options) == []


def test_the_childlogdir_is_named_and_a_covering_stanza_silences(tmp_path):
    head = "[supervisord]\nlogfile=/var/log/supervisord.log\nchildlogdir=/var/log/supervisor\n"
    [finding] = _hl503(tmp_path, "stderr_logfile_maxbytes=0\n", head)
    assert finding.message == (
        "supervisord writes `worker`'s output to its AUTO log file (no `stderr_logfile=`, whose default is `AUTO`), "
        "`worker-stderr---supervisor-*.log` in `childlogdir=/var/log/supervisor` (supervisord.conf:3), and never "
        "rotates it (`stderr_logfile_maxbytes=0`: unlimited), and no logrotate configuration in the repository covers "
        "it: it grows without bound until supervisord starts again (which deletes AUTO logs). Fix: drop "
        "`stderr_logfile_maxbytes=` (supervisord's default rotates at 50MB and keeps 10 backups) or set a size; in a "
        "container, send it to the platform's log collector instead (`stderr_logfile=/dev/stderr` with "
        "`stderr_logfile_maxbytes=0`)")
    rotate = {"logrotate.d/supervisor": "/var/log/supervisor/*.log {\n    weekly\n    copytruncate\n}\n"}
    assert _hl503(tmp_path, "stderr_logfile_maxbytes=0\n", head, rotate) == []


def test_a_consumer_logging_to_its_own_file_is_judged_there(tmp_path):
    """`-l`: huey's log goes to that file, not stderr; the AUTO log holds nothing of it."""
    write_tree(tmp_path, {"jobs.py": JOBS, "requirements.txt": "huey==3.5.4\n", "supervisord.conf": (
        "[supervisord]\n" + PROGRAM.replace("-t 50", "-t 50 -l /var/log/huey.log") + "stderr_logfile_maxbytes=0\n")})
    assert [(f.rule, f.loc.line) for f in lint(tmp_path).findings if f.rule == "HL503"] == [("HL503", 3)]  # the `-l` file, at the command
