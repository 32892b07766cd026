"""A repository Python program that starts the consumer as its child process (hueylint.pyapp.spawns): the
child's command, the signal the program sends it when stopped and its deadline, as the chain uses them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hueylint.pyapp.spawns import spawned
from hueylint.sources import SourceFile
from tests.helpers import lint, triples, write_tree


def _spawn(code: str):
    text = textwrap.dedent(code)
    return spawned(SourceFile(Path("prog.py"), "prog.py", text))


def test_the_child_command_signal_and_deadline_are_read():
    child = _spawn("""\
        import subprocess
        proc = subprocess.Popen(["python", "manage.py", "run_huey", "-w", "2"])

        def stop(grace=45):
            proc.terminate()
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                proc.kill()
        """)
    assert child is not None
    assert [word[0] for word in child.words] == ["python", "manage.py", "run_huey", "-w", "2"]
    assert (child.words[0][1], child.words[0][2]) == (2, 26)
    assert (child.sends, child.sends_at[1]) == ("TERM", 5)
    assert (child.deadline, child.deadline_at[1]) == (45.0, 7)


@pytest.mark.parametrize("stop, sends", [
    ("child.send_signal(signal.SIGINT)\n    child.terminate()", "INT"),  # the signal named first wins
    ("os.kill(child.pid, signal.SIGINT)", "INT"),
    ("os.killpg(os.getpgid(child.pid), signal.SIGTERM)", "TERM"),
    ("child.terminate()", "TERM"),  # Popen.terminate(): SIGTERM on POSIX
    ("child.kill()", "KILL"),
    ("pass", None),  # nothing: the child never gets a signal from the program
])
def test_the_signal_the_program_sends(stop, sends):
    child = _spawn("import os, signal, subprocess\nchild = subprocess.Popen(('huey_consumer', 'app.huey'))\n"
                   f"def stop():\n    {stop}\n")
    assert child is not None and child.sends == sends
    assert child.deadline is None  # no wait(timeout=...) before a kill()


@pytest.mark.parametrize("code", [
    "import subprocess\nsubprocess.run(cmd)\n",  # built at run time: not read
    "import subprocess\nsubprocess.run(['python', 'manage.py', 'migrate'])\n",  # no consumer
    "import subprocess\nsubprocess.run('python manage.py run_huey')\n",  # a string without shell=True: no shell
    "import subprocess\nsubprocess.run(['run_huey'\n",  # not Python
])
def test_what_is_no_spawned_consumer(code):
    assert _spawn(code) is None


def test_a_string_run_by_the_shell_and_popen_imported_by_name():
    child = _spawn("from subprocess import Popen\np = Popen('exec huey_consumer app.huey -w 4', shell=True)\n")
    assert child is not None and child.shell and child.words[0][0] == "exec huey_consumer app.huey -w 4"


DOCKERFILE = "FROM python:3.12\nRUN pip install huey==2.5.2\nCOPY . /srv\nWORKDIR /srv\nUSER app\n" \
             "STOPSIGNAL SIGINT\nCMD [\"python\", \"runner.py\"]\n"
RUNNER = ("import signal, subprocess, sys\n"
          "child = subprocess.Popen({command})\n"
          "def stop(signum, frame):\n"
          "    {stop}\n"
          "    sys.exit(0)\n"
          "signal.signal(signal.SIGINT, stop)\n"
          "child.wait()\n")


@pytest.mark.parametrize("command, stop, expected", [
    # forwards SIGTERM: huey's "stop now", at the program's call
    ('["huey_consumer", "tasks.huey"]', "child.terminate()", [("HL101", "runner.py", 4)]),
    # forwards SIGINT and waits: graceful
    ('["huey_consumer", "tasks.huey"]', "child.send_signal(signal.SIGINT); child.wait()", []),
    # forwards nothing: the consumer is never signalled (HL201 at the launch)
    ('["huey_consumer", "tasks.huey"]', "pass", [("HL201", "Dockerfile", 7)]),
    # the string form with shell=True: `sh -c` runs it; `exec` makes it the child the program signals
    ('"exec huey_consumer tasks.huey", shell=True', "child.send_signal(signal.SIGINT); child.wait()", []),
])
def test_a_program_run_by_the_image_is_a_hop_of_the_chain(tmp_path, command, stop, expected):
    write_tree(tmp_path, {
        "Dockerfile": DOCKERFILE,
        "runner.py": RUNNER.format(command=command, stop=stop),
        "tasks.py": "from huey import SqliteHuey, signals\nhuey = SqliteHuey(filename='/srv/q.db')\n"
                    "@huey.task()\ndef work():\n    return None\n"
                    "@huey.signal(signals.SIGNAL_INTERRUPTED)\ndef again(signal, task, exc=None):\n"
                    "    huey.enqueue(task)\n",
    })
    found = [t for t in triples(lint(tmp_path)) if t[0] not in ("HL102", "HL104")]
    assert found == expected


def test_a_program_in_another_folder_is_found_from_the_script_that_runs_it(tmp_path):
    """Field test (bcgov/DriveBC.ca): a chart's container runs ``/start-worker.sh`` (the image's copy of
    ``docker/start-worker.sh``), which runs ``exec python /leader.py``: the program is looked up from the
    script's folder, not only from the chart's."""
    write_tree(tmp_path, {
        "chart/Chart.yaml": "apiVersion: v2\nname: w\nversion: 1.0.0\n",
        "chart/values.yaml": "image: registry.example.com/w:1\n",
        "chart/templates/w.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n"
                                  "  template:\n    spec:\n      containers:\n        - name: w\n"
                                  "          image: {{ .Values.image }}\n          command: [\"/start-worker.sh\"]\n",
        "docker/Dockerfile": "FROM python:3.12\nCOPY start-worker.sh leader.py /\n",
        "docker/start-worker.sh": "#!/bin/sh\nexec python /leader.py\n",
        "docker/leader.py": RUNNER.format(command='["huey_consumer", "tasks.huey"]', stop="child.terminate()"),
    })
    assert ("HL101", "docker/leader.py", 4) in triples(lint(tmp_path))


def test_under_systemd_the_program_is_the_units_main_process(tmp_path):
    """systemd signals every process of the unit (KillMode=control-group): the consumer gets the stop signal
    anyway, what the program breaks is `$MAINPID` (reload's SIGHUP hits the program) and it says so."""
    write_tree(tmp_path, {
        "app.service": "[Service]\nUser=app\nExecStart=/srv/venv/bin/python runner.py\nRestart=always\n"
                       "KillSignal=SIGINT\nTimeoutStopSec=60\nExecReload=/bin/kill -HUP $MAINPID\n",
        "runner.py": "import subprocess\nchild = subprocess.Popen(['huey_consumer', 'tasks.huey'])\nchild.wait()\n",
        "tasks.py": "from huey import SqliteHuey\nhuey = SqliteHuey(filename='/srv/q.db')\n",
    })
    [found] = [f for f in lint(tmp_path).findings if f.rule == "HL201"]
    assert found.message.startswith("`python runner.py` runs the consumer as its child and waits for it: under "
                                    "systemd `$MAINPID` is `python runner.py`, not huey, so `systemctl reload` "
                                    "(SIGHUP) hits `python runner.py` instead of huey's graceful restart")


def test_the_deadline_is_the_default_of_the_function_that_waits():
    """``wait(timeout=t)``: ``t`` is the parameter of the function making the call, not a same-named parameter
    of another function of the program."""
    child = _spawn("""\
        import subprocess
        proc = subprocess.Popen(["huey_consumer", "app.huey"])

        def probe(t=5):
            return t

        def stop(t=45):
            proc.terminate()
            proc.wait(timeout=t)
            proc.kill()
        """)
    assert child is not None and child.deadline == 45.0
