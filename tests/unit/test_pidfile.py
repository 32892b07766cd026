"""Consumers a start script runs in the background with a PID file (field tests: isoboroff/submit-system,
tomcounsell/ai): the launch, the stop signal of the script that kills the PID, the forms that are not one."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from hueylint.platforms.pidfile import kill_signal
from tests.helpers import lint, triples, write_tree

START = "#!/bin/bash\ncd \"$(dirname \"$0\")\"\nnohup python manage.py run_huey > huey.log 2>&1 &\necho $! > huey.pid\n"
SETTINGS = {"manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
            "shop/__init__.py": "", "requirements.txt": "huey==2.5.3\n",
            "shop/settings.py": "INSTALLED_APPS = ['huey.contrib.djhuey']\nHUEY = {'immediate': False, "
                                "'huey_class': 'huey.RedisHuey', 'connection': {'host': '127.0.0.1'}}\n"}


@pytest.mark.parametrize(("line", "signal"), [
    ("kill $(cat huey.pid)", "TERM"),  # kill's default
    ("kill -9 `cat huey.pid`", "KILL"),
    ("cat huey.pid | xargs kill -9", "KILL"),
    ("kill -KILL $PID", "KILL"),
    ("kill -SIGINT $PID", "INT"),
    ("kill -s INT $PID", "INT"),
    ("kill --signal TERM $PID", "TERM"),
    ("kill -2 $PID", "INT"),
    ("pkill -f huey_consumer", None),  # not kill(1) on the PID
    ("echo skill", None),
])
def test_kill_signal(line: str, signal: str | None) -> None:
    assert kill_signal(line) == signal


def _launches(tmp_path: Path, files: dict[str, str]):
    write_tree(tmp_path, {**SETTINGS, **files})
    result = lint(tmp_path)
    return result, [launch for launch in result.project.launches if launch.platform == "pidfile"]


@pytest.mark.parametrize(("stop", "signal", "deadline"), [
    ("#!/bin/sh\nkill -9 `cat huey.pid`\n", "KILL", None),
    ("#!/bin/sh\nPID=$(cat huey.pid)\nif ps -p $PID > /dev/null; then\n    kill $PID\nfi\n", "TERM", math.inf),
    ("#!/bin/sh\nkill -INT \"$(cat /srv/shop/huey.pid)\"\n", "INT", math.inf),
])
def test_the_stop_script_that_kills_the_pid(tmp_path: Path, stop: str, signal: str, deadline: float | None) -> None:
    result, (launch,) = _launches(tmp_path, {"bin/start.sh": START, "bin/stop.sh": stop})
    platform = launch.chain[0]
    assert platform.sends is not None and platform.sends.value == signal
    assert platform.sends.loc.path == "bin/stop.sh"
    assert platform.deadline is not None and (platform.deadline.value if platform.deadline.known else None) == deadline
    assert launch.restart is not None and launch.restart.value is False
    assert ("HL203", "bin/start.sh", 4) in triples(result)
    assert [f.loc.path for f in result.findings if f.rule == "HL101"] == ([] if signal == "INT" else ["bin/stop.sh"])


def test_without_a_stop_script_the_signal_is_unknown(tmp_path: Path) -> None:
    result, (launch,) = _launches(tmp_path, {"start.sh": START})
    assert not launch.chain[0].sends.known
    assert "no script of the repository kills the PID kept in `huey.pid`" in launch.chain[0].sends.unknown
    assert [f.rule for f in result.findings if f.rule in ("HL101", "HL102", "HL201")] == []
    assert triples(result, "HL203") == [("HL203", "start.sh", 4)]


@pytest.mark.parametrize("files", [
    # the consumer in the foreground: a script some supervisor outside the repository runs
    {"start.sh": "#!/bin/bash\nexec python manage.py run_huey\n"},
    # `$!` names the job started after the consumer
    {"start.sh": "#!/bin/bash\npython manage.py run_huey &\ngunicorn shop.wsgi &\necho $! > web.pid\n"},
    # a platform of the repository runs the script: judged as that platform's launch
    {"start.sh": START, "deploy/shop.service": "[Service]\nExecStart=/srv/shop/start.sh\nRestart=always\n"},
])
def test_not_a_pid_file_launch(tmp_path: Path, files: dict[str, str]) -> None:
    _, launches = _launches(tmp_path, files)
    assert launches == []


def test_a_development_start_script_is_development(tmp_path: Path) -> None:
    """Field test (isoboroff/submit-system): `http-dev.sh` starts the consumer next to `uwsgi --py-auto-reload`."""
    dev = START + "nohup uwsgi --http localhost:5000 --py-auto-reload --ini uwsgi.ini &\n"
    for name, text in (("http-dev.sh", START), ("run.sh", dev), ("ci/start-services.sh", START),
                       ("scripts/e2e_start.sh", START)):
        result, (launch,) = _launches(tmp_path / name.replace("/", "_"), {name: text, "stop.sh": "kill -9 `cat huey.pid`\n"})
        assert launch.dev, name
        assert [f.rule for f in result.findings if f.rule in ("HL101", "HL203")] == [], name


def test_python_runs_the_repositorys_own_huey_consumer_py(tmp_path: Path) -> None:
    """Field test (tomcounsell/ai): `python huey_consumer.py app.huey -w 4 -l x.log` runs the repository's own
    `huey_consumer.py` (python does not search PATH), which builds `Consumer(huey)` and ignores the options."""
    own = ("from huey.consumer import Consumer\nfrom tasks import huey\n\nif __name__ == '__main__':\n"
           "    Consumer(huey).run()\n")
    files = {"start.sh": "#!/bin/bash\npython huey_consumer.py tasks.huey -w 4 -l logs/huey.log &\necho $! > huey.pid\n",
             "tasks.py": "from huey import SqliteHuey\nhuey = SqliteHuey(filename='/var/lib/app/huey.db')\n",
             "huey_consumer.py": own}
    result, (launch,) = _launches(tmp_path, files)
    assert launch.program == "script" and launch.consumer.script is not None
    assert [f.rule for f in result.findings if f.rule in ("HL501", "HL503")] == []  # no `-l`: the script ignores it
    del files["huey_consumer.py"]  # huey's own script (2.x installed it on PATH): its options count
    result, (launch,) = _launches(tmp_path / "huey", files)
    assert launch.program == "huey_consumer"
    assert [f.rule for f in result.findings if f.rule == "HL503"] == ["HL503"]


def test_sigkill_as_the_stop_signal_is_said_for_what_it_is(tmp_path: Path) -> None:
    """SIGKILL is no "stop now" signal huey handles: nothing runs, not even SIGNAL_INTERRUPTED (any platform)."""
    write_tree(tmp_path, {"h.conf": "[program:h]\ncommand=huey_consumer app.huey -w 2\nstopsignal=KILL\nuser=app\n",
                          "app.py": "from huey import RedisHuey\nhuey = RedisHuey('x')\n"})
    [found] = [f for f in lint(tmp_path).findings if f.rule == "HL101"]
    assert found.message == (
        "supervisord stops `h` with SIGKILL (h.conf:3); the consumer's graceful signal is SIGINT (huey default): "
        "SIGKILL cannot be handled: running tasks die mid-way, without SIGNAL_INTERRUPTED, and `lock_task` locks "
        "stay held. Fix: send SIGINT instead: stopsignal=INT")
    assert found.fix is not None and found.fix.description == "set `stopsignal=INT`"


def test_a_script_run_by_hand_with_a_start_argument(tmp_path: Path) -> None:
    """`./huey.sh start` / `./huey.sh stop` in one script: the arguments are not in the repository, so the
    branch the first argument selects may run (lotrekagency/cody's older `huey.sh` had this shape)."""
    script = ('#!/bin/bash\nif [ "$1" = "stop" ]; then\n    cat huey.pid | xargs kill -9\n    rm huey.pid\nfi\n'
              'if [ "$1" = "start" ]; then\n    python manage.py run_huey &\n    echo $! > huey.pid\nfi\n')
    result, (launch,) = _launches(tmp_path, {"huey.sh": script})
    assert launch.branch == 'if [ "$1" = "start" ]'
    assert launch.chain[0].sends.value == "KILL" and launch.chain[0].sends.loc.line == 3
    assert ("HL101", "huey.sh", 3) in triples(result)


def test_the_pid_file_named_by_a_variable(tmp_path: Path) -> None:
    start = ('#!/bin/bash\ncd "$(dirname "$0")"\nLOG_FILE="huey.log"\nPID_FILE="run/huey.pid"\n'
             'nohup python manage.py run_huey >> "$LOG_FILE" 2>&1 &\necho $! > "${PID_FILE}"\n')
    stop = '#!/bin/bash\nkill -s INT "$(cat run/huey.pid)"\n'
    _, (launch,) = _launches(tmp_path, {"start.sh": start, "stop.sh": stop})
    assert launch.chain[0].sends.value == "INT" and launch.chain[0].sends.loc.path == "stop.sh"


_VARIABLE_START = ('#!/bin/bash\nPID_FILE="run/huey.pid"\nnohup python manage.py run_huey > huey.log 2>&1 &\n'
                   'echo $! > "$PID_FILE"\n')


@pytest.mark.parametrize(("files", "line"), [
    # field test (sandyddeveloper/Nextbin.in): the file's name in a variable, the PID read into another one
    ({"stop.sh": 'PID_FILE="run/huey.pid"\nPID=$(cat "$PID_FILE")\nkill "$PID"\n'}, ("stop.sh", 3)),
    ({"stop.sh": 'export PID_FILE=/srv/shop/run/huey.pid\nkill `cat ${PID_FILE}`\n'}, ("stop.sh", 2)),
    ({"stop.sh": 'PID_FILE="run/huey.pid"\nread -r PID < "$PID_FILE"\nkill $PID\n'}, ("stop.sh", 3)),
    ({"stop.sh": 'PID_FILE="run/huey.pid"\nPID=$(< "$PID_FILE")\nkill $PID\n'}, ("stop.sh", 3)),
    ({"stop.sh": 'PID=$(cat run/huey.pid)\nkill $PID\n'}, ("stop.sh", 2)),
    # in the start script's own trap handler, after a `kill -0` probe (which sends no signal)
    ({"start.sh": ('#!/bin/bash\nPID_FILE="run/huey.pid"\nstop() {\n    local P=$(cat "$PID_FILE")\n'
                   '    if kill -0 "$P"; then\n        kill "$P"\n    fi\n}\ntrap stop INT TERM\n'
                   'nohup python manage.py run_huey > huey.log 2>&1 &\necho $! > "$PID_FILE"\n'
                   'while kill -0 "$(cat "$PID_FILE")"; do sleep 5; done\n')},
     ("start.sh", 6)),
])
def test_the_kill_of_a_pid_read_through_variables(tmp_path: Path, files: dict[str, str],
                                                  line: tuple[str, int]) -> None:
    result, (launch,) = _launches(tmp_path, {"start.sh": _VARIABLE_START, **files})
    assert launch.chain[0].sends.known and launch.chain[0].sends.value == "TERM"
    assert ("HL101", *line) in triples(result)


def test_a_variable_for_another_pid_file_is_not_that_pid(tmp_path: Path) -> None:
    """`WEB_PID_FILE` holds web.pid: its `kill` stops gunicorn, not the consumer kept in huey.pid."""
    stop = 'WEB_PID_FILE="run/web.pid"\nWPID=$(cat "$WEB_PID_FILE")\nkill $WPID\nrm -f run/huey.pid\n'
    _, (launch,) = _launches(tmp_path, {"start.sh": _VARIABLE_START, "stop.sh": stop})
    assert not launch.chain[0].sends.known


_NO_PID_FILE = "starts the consumer in the background and keeps its PID in no file"


@pytest.mark.parametrize("files, line", [
    # `$!` in a variable for the script's own trap (field test: augmentoolkit's linux.sh)
    ({"run.sh": "#!/bin/bash\ntrap 'kill -TERM $W' INT TERM\nhuey_consumer app.huey &\nW=$!\nwait\n"}, 3),
    # `$!` names the job started after the consumer
    ({"start.sh": "#!/bin/bash\npython manage.py run_huey &\ngunicorn shop.wsgi &\necho $! > web.pid\n"}, 2),
    # no `$!` at all: the consumer in the background, then the web server as the script's last command
    ({"start.sh": "#!/bin/sh\npython manage.py run_huey -w 2 &\nexec gunicorn shop.wsgi\n"}, 2),
    # a subshell around it sent to the background on a later line, no `$!` (it was silence)
    ({"run.sh": "#!/bin/bash\n(\n  cd /srv/app\n  python manage.py run_huey\n) &\nwait\n"}, 4),
    # the `&` before another command on the line (it was silence too)
    ({"start.sh": "#!/bin/bash\nnohup python manage.py run_huey > huey.log 2>&1 & disown\n"}, 2),
    ({"start.sh": "#!/bin/bash\npython manage.py run_huey & sleep 1; echo started\n"}, 2),
])
def test_a_background_consumer_without_a_pid_file_is_a_notice(tmp_path: Path, files: dict[str, str],
                                                               line: int) -> None:
    write_tree(tmp_path, files)
    result = lint(tmp_path)
    assert result.project.launches == []
    [notice] = [n for n in result.notices if _NO_PID_FILE in n.reason]
    assert (notice.rel, notice.reason.split(":")[0]) == (next(iter(files)), f"line {line}")


@pytest.mark.parametrize("files", [
    {"start.sh": "#!/bin/bash\nexec python manage.py run_huey\n"},  # in the foreground
    {"start.sh": "#!/bin/bash\npython manage.py run_huey &\nexec gunicorn shop.wsgi\n",  # a platform runs it
     "deploy/shop.service": "[Service]\nExecStart=/srv/shop/start.sh\nRestart=always\n"},
    {"dev-start.sh": "#!/bin/bash\npython manage.py run_huey &\npython manage.py runserver\n"},  # development
])
def test_no_notice_for_a_foreground_a_platform_run_or_a_development_script(tmp_path: Path,
                                                                            files: dict[str, str]) -> None:
    write_tree(tmp_path, files)
    assert [n for n in lint(tmp_path).notices if _NO_PID_FILE in n.reason] == []


def test_a_long_line_of_consumer_words_is_searched_in_linear_time() -> None:
    """A hostile start script with one long line naming the consumer thousands of times and no `&` at its end:
    the search for a backgrounded consumer went back over the line from each consumer word (quadratic: 80 s
    for 180 KB); each line is now searched once from its first consumer word."""
    import time

    from hueylint.platforms.pidfile import _background_consumer

    started = time.perf_counter()
    assert not _background_consumer("#!/bin/sh\n" + "run_huey " * 20000 + "\n")
    assert time.perf_counter() - started < 0.5
    assert _background_consumer("#!/bin/sh\nnohup python manage.py run_huey -w 2 >log 2>&1 & # bg\n")
    assert _background_consumer("#!/bin/sh\n{\n  run_huey\n} &\n")
    assert _background_consumer("#!/bin/sh\nrun_huey & disown\n")
    assert not _background_consumer("#!/bin/sh\n# python manage.py run_huey &\nrun_huey && x\necho run_huey >&2\n")


@pytest.mark.parametrize("redirections, expected", [
    (">> /var/log/huey.log 2>&1", "/var/log/huey.log"),
    ("> /var/log/huey.log 2>&1", "/var/log/huey.log"),
    ("1>>/var/log/huey.log 2>&1", "/var/log/huey.log"),
    ("&> /var/log/huey.log", "/var/log/huey.log"),
    ("&>>/var/log/huey.log", "/var/log/huey.log"),
    ("2> /var/log/huey.err", "/var/log/huey.err"),
    ("2>>/var/log/huey.err", "/var/log/huey.err"),
    ("> /var/log/out.log 2> /var/log/huey.err", "/var/log/huey.err"),
    # the name a variable assigned once holds, quoted or not
    ('>> "$LOG" 2>&1', "/srv/app/huey.log"),
    (">> ${LOG} 2>&1", "/srv/app/huey.log"),
    # standard error left on the terminal: `2>&1` before the file, standard output alone, none at all
    ("2>&1 > /var/log/huey.log", None),
    ("> /var/log/huey.out", None),
    ("", None),
])
def test_the_file_a_start_script_sends_the_consumer_output_to(tmp_path: Path, redirections: str,
                                                               expected: str | None) -> None:
    start = ("#!/bin/sh\nLOG=/srv/app/huey.log\n"
             f"nohup huey_consumer app.huey -w 2 {redirections} &\necho $! > huey.pid\n")
    _, launches = _launches(tmp_path, {"start.sh": start, "stop.sh": "#!/bin/sh\nkill -INT $(cat huey.pid)\n"})
    found = launches[0].stderr_file
    assert (found.value if found is not None else None) == expected
    if found is not None:
        assert (found.loc.path, found.loc.line) == ("start.sh", 3)


def test_an_output_file_nothing_rotates_is_hl503_and_one_rotated_without_copytruncate_hl502(tmp_path: Path) -> None:
    start = "#!/bin/sh\nnohup huey_consumer app.huey -w 2 -t 20 >> /srv/app/logs/huey.log 2>&1 &\necho $! > huey.pid\n"
    files = {"start.sh": start, "stop.sh": "#!/bin/sh\nkill -INT $(cat huey.pid)\n",
             "app.py": "from huey import SqliteHuey\nhuey = SqliteHuey(results=False)\n"}
    write_tree(tmp_path, files)
    assert ("HL503", "start.sh", 2) in triples(lint(tmp_path))
    write_tree(tmp_path, {"logrotate.d/app": "/srv/app/logs/*.log {\n  weekly\n}\n"})
    found = triples(lint(tmp_path))
    assert ("HL502", "logrotate.d/app", 1) in found and not any(rule == "HL503" for rule, _, _ in found)
    write_tree(tmp_path, {"logrotate.d/app": "/srv/app/logs/*.log {\n  weekly\n  copytruncate\n}\n"})
    assert not any(rule in ("HL502", "HL503") for rule, _, _ in triples(lint(tmp_path)))
