"""supervisord rotates a program's log files itself (``*_logfile_maxbytes``, default 50MB, ``*_logfile_backups``,
default 10: http://supervisord.org/configuration.html); ``*_logfile_maxbytes=0`` turns that off ("unlimited log
size").  When the consumer's output goes to such a file (huey logs to standard error; ``redirect_stderr=true`` sends
it to the stdout log), the file grows without bound unless logrotate covers it (HL503), and a logrotate stanza
covering it needs ``copytruncate`` or a ``postrotate`` SIGUSR2 to supervisord, which keeps it open (HL502)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

APP = "from huey import SqliteHuey\nhuey = SqliteHuey(filename='/data/q.db')\n"
PROGRAM = ("[program:huey]\ncommand=/srv/venv/bin/huey_consumer jobs.huey -w 2 -t 50\nstopsignal=INT\n"
           "stopwaitsecs=60\nuser=app\n")


def _logs(root: Path) -> list:
    return [(f.rule, f.loc.path, f.loc.line, f.message) for f in lint(root).findings if f.rule.startswith("HL50")]


def _tree(tmp_path: Path, settings: str, logrotate: str | None = None) -> Path:
    files = {"jobs.py": APP, "supervisord.conf": PROGRAM + settings}
    if logrotate is not None:
        files["logrotate.d/huey"] = logrotate
    write_tree(tmp_path, files)
    return tmp_path


def test_redirected_stderr_to_an_unlimited_stdout_log(tmp_path: Path) -> None:
    root = _tree(tmp_path, "redirect_stderr=true\nstdout_logfile=/var/log/huey.log\nstdout_logfile_maxbytes=0\n")
    [(rule, path, line, message)] = _logs(root)
    assert (rule, path, line) == ("HL503", "supervisord.conf", 8)  # the maxbytes line
    assert message == (
        "supervisord writes `huey`'s output to `/var/log/huey.log` (supervisord.conf:7) and never rotates it "
        "(`stdout_logfile_maxbytes=0`: unlimited), and no logrotate configuration in the repository covers "
        "/var/log/huey.log: it grows without bound. Fix: drop `stdout_logfile_maxbytes=` (supervisord's default "
        "rotates at 50MB and keeps 10 backups) or set a size, or add a logrotate stanza `/var/log/huey.log { weekly "
        "rotate 8 compress copytruncate missingok }`")


@pytest.mark.parametrize("size", ["0", "0MB", "0kb", " 0GB"])
def test_an_unlimited_stderr_log_in_any_unit(tmp_path: Path, size: str) -> None:
    root = _tree(tmp_path, f"stderr_logfile=/var/log/huey.err\nstderr_logfile_maxbytes={size}\n")
    [(rule, _path, line, message)] = _logs(root)
    assert (rule, line) == ("HL503", 7) and "`stderr_logfile_maxbytes=" in message


@pytest.mark.parametrize("settings", [
    "redirect_stderr=true\nstdout_logfile=/var/log/huey.log\n",  # supervisord's default 50MB rotation
    "redirect_stderr=true\nstdout_logfile=/var/log/huey.log\nstdout_logfile_maxbytes=10MB\n",
    "stdout_logfile=/var/log/huey.out\nstdout_logfile_maxbytes=0\n",  # the consumer's log is stderr, not stdout
    "redirect_stderr=true\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\n",  # a stream (Docker)
    # (`stderr_logfile=AUTO` with maxbytes=0, supervisord's own file in childlogdir: HL503, test_supervisord_auto_log.py)
    "stderr_logfile=NONE\nstderr_logfile_maxbytes=0\n",
    "stderr_logfile=/var/log/%(program_name)s.err\nstderr_logfile_maxbytes=0\n",  # a name not known here
    "stderr_logfile=/var/log/huey.err\nstderr_logfile_maxbytes=%(ENV_MAX)s\n",  # a size not known here
])
def test_rotated_or_not_a_file_is_quiet(tmp_path: Path, settings: str) -> None:
    assert _logs(_tree(tmp_path, settings)) == []


def test_a_logrotate_stanza_without_copytruncate(tmp_path: Path) -> None:
    root = _tree(tmp_path, "stderr_logfile=/var/log/huey.err\nstderr_logfile_maxbytes=0\n",
                 "/var/log/huey.err {\n    weekly\n    rotate 4\n}\n")
    [(rule, path, line, message)] = _logs(root)
    assert (rule, path, line) == ("HL502", "logrotate.d/huey", 1)
    assert "supervisord (which re-opens it only on SIGUSR2 or when it restarts the program) keeps writing into the " \
        "rotated-away file" in message
    assert message.endswith("Fix: add `copytruncate` to the stanza (or a `postrotate` script sending supervisord "
                            "SIGUSR2: `kill -USR2 $(cat /var/run/supervisord.pid)`)")


@pytest.mark.parametrize("stanza", [
    "/var/log/huey.err {\n    weekly\n    copytruncate\n}\n",
    "/var/log/huey.err {\n    weekly\n    postrotate\n        kill -USR2 $(cat /var/run/supervisord.pid)\n"
    "    endscript\n}\n",
    "/var/log/*.err {\n    weekly\n    postrotate\n        kill -s SIGUSR2 `cat /run/supervisord.pid`\n"
    "    endscript\n}\n",
])
def test_a_stanza_that_works_with_supervisord_is_quiet(tmp_path: Path, stanza: str) -> None:
    root = _tree(tmp_path, "stderr_logfile=/var/log/huey.err\nstderr_logfile_maxbytes=0\n", stanza)
    assert _logs(root) == []


def test_usr2_does_not_reopen_huey_s_own_l_file(tmp_path: Path) -> None:
    """`-l` is huey's FileHandler, which SIGUSR2 to supervisord does not re-open: HL502 stays."""
    write_tree(tmp_path, {"jobs.py": APP, "supervisord.conf": PROGRAM.replace("-t 50", "-t 50 -l /var/log/huey.log"),
                          "logrotate.d/huey": "/var/log/huey.log {\n    weekly\n    postrotate\n"
                          "        kill -USR2 $(cat /var/run/supervisord.pid)\n    endscript\n}\n"})
    assert [rule for rule, *_ in _logs(tmp_path)] == ["HL502"]
