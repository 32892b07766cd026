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
    """The one child the program starts, or None."""
    children = _children(code)
    assert len(children) <= 1
    return children[0] if children else None


def _children(code: str):
    return spawned(SourceFile(Path("prog.py"), "prog.py", textwrap.dedent(code)))


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
    ("os.kill(child.pid, 2)", "INT"),  # by number (signal(7))
    ("child.send_signal(15)", "TERM"),
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
#: an app whose interrupted tasks are re-enqueued (no HL105 in the trees below)
TASKS = ("from huey import SqliteHuey, signals\nhuey = SqliteHuey(filename='/srv/q.db')\n"
         "@huey.task()\ndef work():\n    return None\n"
         "@huey.signal(signals.SIGNAL_INTERRUPTED)\ndef again(signal, task, exc=None):\n    huey.enqueue(task)\n")
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
        "tasks.py": TASKS,
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


@pytest.mark.parametrize("stop", [
    "child.send_signal(signum)",  # a handler relays the signal it received
    "os.kill(child.pid, signum)",
])
def test_a_handler_that_relays_its_signal_forwards_it(stop):
    child = _spawn("import os, signal, subprocess\nchild = subprocess.Popen(['huey_consumer', 'app.huey'])\n"
                   f"def stop(signum, frame):\n    {stop}\n")
    assert child is not None and child.forwards and child.sends is None
    assert child.sends_at is not None and child.sends_at[1:] == (4, 5)


def test_a_lambda_relaying_its_signal_forwards_it_and_sys_executable_is_python():
    child = _spawn("import os, signal, sys\nfrom subprocess import run as start\n"
                   "signal.signal(signal.SIGTERM, lambda received, frame: os.kill(0, received))\n"
                   "start([sys.executable, '-m', 'huey.bin.huey_consumer', 'app.huey'], check=True)\n")
    # `-m huey.bin.huey_consumer` is huey's own consumer, read as a Python program's child (the chain knows it)
    assert child is not None and child.forwards
    child = _spawn("import os, signal, sys\nfrom subprocess import run as start\n"
                   "signal.signal(signal.SIGTERM, lambda received, frame: os.kill(0, received))\n"
                   "start([sys.executable, 'manage.py', 'run_huey'], check=True)\n")
    assert child is not None and child.forwards
    assert child.words == (("python", 4, 8), ("manage.py", 4, 24), ("run_huey", 4, 37))


def test_a_name_that_is_no_parameter_is_not_a_relay():
    """``send_signal(SIG)`` of a module-level name holding who knows what: no signal read (then terminate())."""
    child = _spawn("import subprocess\nSIG = 2\nchild = subprocess.Popen(['huey_consumer', 'app.huey'])\n"
                   "def stop(signum, frame):\n    child.send_signal(SIG)\n    child.terminate()\n")
    assert child is not None and not child.forwards and child.sends == "TERM"


def test_a_positional_wait_timeout_is_the_deadline():
    child = _spawn("import signal, subprocess\nchild = subprocess.Popen(['huey_consumer', 'app.huey'])\n"
                   "def stop(signum, frame):\n    child.send_signal(signal.SIGINT)\n"
                   "    try:\n        child.wait(25)\n    except subprocess.TimeoutExpired:\n        child.kill()\n")
    assert child is not None and (child.sends, child.deadline, child.deadline_at[1:]) == ("INT", 25.0, (6, 9))


@pytest.mark.parametrize("stop, expected", [
    # relays what it receives: the image's SIGINT, graceful; docker's 10 s deadline
    ("child.send_signal(signum)", [("HL102", "Dockerfile", 7)]),
    # relays what it receives and kills 5 s later: that deadline, at the wait, before docker's
    ("child.send_signal(signum)\n    try:\n        child.wait(5)\n    except subprocess.TimeoutExpired:\n"
     "        child.kill()", [("HL102", "runner.py", 6)]),
])
def test_a_relaying_program_is_a_hop_that_passes_the_signal(tmp_path, stop, expected):
    write_tree(tmp_path, {
        "Dockerfile": DOCKERFILE,
        "runner.py": RUNNER.format(command='["huey_consumer", "tasks.huey"]', stop=stop),
        "tasks.py": TASKS,
    })
    found = [t for t in triples(lint(tmp_path)) if t[0] != "HL104"]
    assert found == expected


def test_a_command_bound_once_to_a_name_is_read_there():
    child = _spawn("import subprocess\nCMD = ['python', 'manage.py', 'run_huey']\n"
                   "child = subprocess.Popen(CMD)\nchild.terminate()\n")
    assert child is not None and child.words == (("python", 2, 8), ("manage.py", 2, 18), ("run_huey", 2, 31))
    shell = _spawn("import subprocess\nline = 'exec huey_consumer app.huey'\nsubprocess.run(line, shell=True)\n")
    assert shell is not None and shell.shell and shell.words == (("exec huey_consumer app.huey", 2, 8),)


@pytest.mark.parametrize("code", [
    "import subprocess\nCMD = ['huey_consumer', 'app.huey']\nCMD += ['-w', '4']\nsubprocess.Popen(CMD)\n",
    "import subprocess\nCMD = ['huey_consumer', 'app.huey']\nif X:\n    CMD = ['true']\nsubprocess.Popen(CMD)\n",
    "import subprocess\ndef start(CMD=None):\n    subprocess.Popen(CMD)\nCMD = ['huey_consumer', 'app.huey']\n",
])
def test_a_name_bound_more_than_once_is_not_read(code):
    assert _spawn(code) is None


@pytest.mark.parametrize("code, words", [
    ("os.execvp('python', ['python', 'manage.py', 'run_huey'])", ["python", "manage.py", "run_huey"]),
    ("os.execv('/venv/bin/huey_consumer', ('huey_consumer', 'app.huey', '-w', '2'))",
     ["/venv/bin/huey_consumer", "app.huey", "-w", "2"]),
    ("os.execlp('huey_consumer', 'huey_consumer', 'app.huey')", ["huey_consumer", "app.huey"]),
    ("os.execle(sys.executable, 'python', 'manage.py', 'run_huey', os.environ)", ["python", "manage.py", "run_huey"]),
])
def test_a_program_that_execs_the_consumer_is_replaced_by_it(code, words):
    child = _spawn(f"import os, sys\n{code}\n")
    assert child is not None and child.replaces and [word[0] for word in child.words] == words
    assert (child.sends, child.forwards) == (None, False)


@pytest.mark.parametrize("stopsignal, expected", [
    # the consumer replaced the program: it gets the image's signal itself (the fix HL201 suggests)
    ("STOPSIGNAL SIGINT\n", []),
    ("", [("HL101", "Dockerfile", 6)]),
])
def test_a_program_replaced_by_the_consumer_passes_the_platform_signal(tmp_path, stopsignal, expected):
    write_tree(tmp_path, {
        "Dockerfile": DOCKERFILE.replace("STOPSIGNAL SIGINT\n", stopsignal),
        "runner.py": "import os\nos.execvp('huey_consumer', ['huey_consumer', 'tasks.huey'])\n",
        "tasks.py": TASKS,
    })
    found = [t for t in triples(lint(tmp_path)) if t[0] not in ("HL102", "HL104")]
    assert found == expected


@pytest.mark.parametrize("handlers, sends, line", [
    # SIGHUP passed on to reload the consumer (huey's restart) is not what the program sends when stopped
    ("def reload(signum, frame):\n    child.send_signal(signal.SIGHUP)\n"
     "def stop(signum, frame):\n    child.send_signal(signal.SIGINT)\n"
     "signal.signal(signal.SIGHUP, reload)\nsignal.signal(signal.SIGTERM, stop)\n", "INT", 6),
    ("signal.signal(signal.SIGUSR1, lambda n, f: child.send_signal(signal.SIGHUP))\n"
     "signal.signal(signal.SIGTERM, lambda n, f: child.terminate())\n", "TERM", 4),
    # one handler for HUP and TERM: what it sends is sent on stop too
    ("def both(signum, frame):\n    child.send_signal(signal.SIGHUP)\n"
     "signal.signal(signal.SIGHUP, both)\nsignal.signal(signal.SIGTERM, both)\n", "HUP", 4),
])
def test_what_a_handler_of_another_signal_sends_is_not_the_stop(handlers, sends, line):
    child = _spawn("import signal, subprocess\nchild = subprocess.Popen(['huey_consumer', 'app.huey'])\n" + handlers)
    assert child is not None and (child.sends, child.sends_at[1]) == (sends, line)


def test_a_relay_registered_for_sighup_only_relays_no_stop_signal():
    child = _spawn("import signal, subprocess\nchild = subprocess.Popen(['huey_consumer', 'app.huey'])\n"
                   "def relay(signum, frame):\n    child.send_signal(signum)\n"
                   "signal.signal(signal.SIGHUP, relay)\nchild.wait()\n")
    assert child is not None and (child.sends, child.forwards) == (None, False)


def test_a_reload_handler_is_not_reported_as_the_stop_signal(tmp_path):
    """The program passes SIGHUP on to reload the consumer and SIGINT to stop it: quiet (was: HL101 "stops
    `Dockerfile` with SIGHUP" at the reload handler's call)."""
    write_tree(tmp_path, {
        "Dockerfile": DOCKERFILE,
        "runner.py": "import signal, subprocess, sys\nchild = subprocess.Popen(['huey_consumer', 'tasks.huey'])\n"
                     "def reload(signum, frame):\n    child.send_signal(signal.SIGHUP)\n"
                     "def stop(signum, frame):\n    child.send_signal(signal.SIGINT)\n    child.wait()\n    sys.exit(0)\n"
                     "signal.signal(signal.SIGHUP, reload)\nsignal.signal(signal.SIGINT, stop)\nchild.wait()\n",
        "tasks.py": TASKS,
    })
    assert [t for t in triples(lint(tmp_path)) if t[0] not in ("HL102", "HL104")] == []


@pytest.mark.parametrize("start, handler, words, shell, sends", [
    ("await asyncio.create_subprocess_exec(sys.executable, 'manage.py', 'run_huey')",
     "loop.add_signal_handler(signal.SIGTERM, proc.send_signal, signal.SIGINT)",
     ["python", "manage.py", "run_huey"], False, "INT"),
    ("await asyncio.create_subprocess_shell('exec huey_consumer app.huey')",
     "loop.add_signal_handler(signal.SIGTERM, proc.terminate)", ["exec huey_consumer app.huey"], True, "TERM"),
    # a handler for a signal that does not stop the program, or none: nothing sent on stop
    ("await asyncio.create_subprocess_exec('huey_consumer', 'app.huey')",
     "loop.add_signal_handler(signal.SIGHUP, proc.send_signal, signal.SIGHUP)", ["huey_consumer", "app.huey"],
     False, None),
])
def test_an_asyncio_program_starts_and_signals_its_child(start, handler, words, shell, sends):
    child = _spawn("import asyncio, signal, sys\nasync def main():\n    loop = asyncio.get_running_loop()\n"
                   f"    proc = {start}\n    {handler}\n    await proc.wait()\nasyncio.run(main())\n")
    assert child is not None and [word[0] for word in child.words] == words
    assert (child.shell, child.sends) == (shell, sends)
    if sends is not None:
        assert child.sends_at is not None and child.sends_at[1:] == (5, 5)


def test_a_program_with_python_3_14_except_clauses_is_read():
    """PEP 758's `except A, B:` (Python 3.14) in the program: read as the extractor reads it, not refused."""
    child = _spawn("""\
        import subprocess
        proc = subprocess.Popen(["python", "manage.py", "run_huey"])
        try:
            proc.wait()
        except KeyboardInterrupt, SystemExit:
            proc.terminate()
        """)
    assert child is not None and [word[0] for word in child.words] == ["python", "manage.py", "run_huey"]
    assert child.sends == "TERM"


# -- os.system / os.popen: the string is run by /bin/sh -c (system(3)) (BoredHackerBlog/flask-huey) ----------------


@pytest.mark.parametrize("code", [
    "import os\nos.system('huey_consumer tasks.huey &')\n",
    "import os\nos.popen('huey_consumer tasks.huey -w 2')\n",
    "import os\nLINE = 'exec huey_consumer tasks.huey'\nos.system(LINE)\n",
])
def test_a_string_run_by_os_system_is_a_shell_child(code):
    child = _spawn(code)
    assert child is not None and child.shell
    assert "huey_consumer tasks.huey" in child.words[0][0]


@pytest.mark.parametrize("code", [
    "import os\nos.system(command)\n",  # built elsewhere
    "import os\nos.system('echo started')\n",  # no consumer
    "import system\nsystem.os('huey_consumer tasks.huey')\n",  # another module's function
])
def test_what_os_system_does_not_start(code):
    assert _spawn(code) is None


@pytest.mark.parametrize("line, expected", [
    # the string backgrounds the consumer: system() returns at once and the consumer is orphaned (one HL201)
    ("os.system('huey_consumer tasks.huey &')", [("HL201", "Dockerfile", 7)]),
    # in the foreground: system() waits for it, and the program passes no signal on (HL201 for the program),
    # and `sh -c` runs it without `exec` (as for `subprocess.run(string, shell=True)`): one HL201 for the launch
    # line naming both (nested-shells-one-line)
    ("os.system('huey_consumer tasks.huey')", [("HL201", "Dockerfile", 7)]),
])
def test_a_consumer_started_by_os_system_is_followed(tmp_path, line, expected):
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "runner.py": f"import os\n{line}\nprint('serving')\n",
                          "tasks.py": TASKS})
    result = lint(tmp_path)
    found = [t for t in triples(result) if t[0] not in ("HL102", "HL104")]
    assert found == expected
    assert [launch.program for launch in result.project.launches] == ["huey_consumer"]
    messages = [f.message for f in result.findings if f.rule == "HL201"]
    assert any("in the background" in message for message in messages) == line.endswith("&')")
    assert any("waits for it" in message for message in messages) == (not line.endswith("&')"))


# -- a word computed at run time; a web server whose app module spawns the consumer (field: os-climate/crrf-det)

def test_a_word_computed_at_run_time_is_an_unknown_word():
    child = _spawn("import subprocess\nworkers = 4\n"
                   "p = subprocess.Popen(['huey_consumer.py', 'det.huey', '-k', 'process', '-w', str(workers)])\n")
    assert child is not None
    assert [word[0] for word in child.words] == ["huey_consumer.py", "det.huey", "-k", "process", "-w", "${PYTHON}"]


@pytest.mark.parametrize("code", [
    "import subprocess\nsubprocess.Popen([program, 'det.huey'])\n",  # the program itself unknown
    "import subprocess\nsubprocess.Popen(['huey_consumer', *args])\n",  # words spread at run time
])
def test_an_unknown_program_or_spread_words_are_not_read(code):
    assert _spawn(code) is None


SERVER_APP = """\
import subprocess
from sanic import Sanic

from tasks import huey

app = Sanic("det")


@app.main_process_start
async def start_consumers(app):
    workers = 2
    subprocess.Popen(["huey_consumer", "tasks.huey", "-w", str(workers)])
"""


@pytest.mark.parametrize("command", [
    "sanic det.app --host=0.0.0.0 --workers=2", "sanic det:app", "gunicorn -b 0.0.0.0:8000 -w 2 det:app",
    "uvicorn det:app --host 0.0.0.0", "hypercorn det:app",
    # an option's value shaped like an app and no repository module: the app comes later
    "sanic --host my.example.org --port 8000 det.app", "gunicorn -c python:gunicorn_conf det:app",
])
def test_a_server_whose_app_module_spawns_the_consumer_is_hl201(tmp_path, command):
    write_tree(tmp_path, {"det.py": SERVER_APP, "tasks.py": "from huey import RedisHuey\nhuey = RedisHuey('d')\n",
                          "requirements.txt": "huey==3.5.4\n",
                          "compose.yaml": f"services:\n  be:\n    build: .\n    command: {command}\n"
                                          "    restart: unless-stopped\n    user: app\n",
                          "Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . /srv/\nUSER app\n"})
    result = lint(tmp_path)
    assert [(launch.program, launch.argv) for launch in result.project.launches] == [
        ("huey_consumer", ("tasks.huey", "-w", "${PYTHON}"))]
    found = [f for f in result.findings if f.rule == "HL201"]
    assert len(found) == 1 and (found[0].loc.path, found[0].loc.line) == ("compose.yaml", 4)
    assert found[0].message.startswith(f"`{command.split()[0]} ") and "starts the consumer as a child process of the " \
        "server: no stop signal is passed on to it" in found[0].message
    assert found[0].message.endswith("Fix: run the consumer as its own service or container, not from the web app's code")


@pytest.mark.parametrize("app", [
    "from tasks import huey\napp = object()\n",  # the app only imports the huey app: no consumer
    "import subprocess\napp = object()\nsubprocess.run(['python', 'manage.py', 'migrate'])\n",  # spawns no consumer
])
def test_a_server_app_that_starts_no_consumer_is_no_launch(tmp_path, app):
    write_tree(tmp_path, {"det.py": app, "tasks.py": "from huey import RedisHuey\nhuey = RedisHuey('d')\n",
                          "compose.yaml": "services:\n  be:\n    build: .\n    command: gunicorn det:app\n",
                          "Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . /srv/\n"})
    assert lint(tmp_path).project.launches == []


@pytest.mark.parametrize("call, elected", [
    ("api.create_namespaced_lease(namespace='ns', body=lease)", ("create_namespaced_lease", 4, 5)),
    ("api.replace_namespaced_lease('lock', 'ns', lease)", ("replace_namespaced_lease", 4, 5)),
    ("client.CoordinationV1Api().patch_namespaced_lease('lock', 'ns', {})", ("patch_namespaced_lease", 4, 5)),
    ("LeaderElection(config).run()", ("LeaderElection", 4, 5)),
    ("api.read_namespaced_lease('lock', 'ns')", None),  # reading it takes nothing: no election
    ("api.create_namespaced_config_map('ns', body)", None),
])
def test_a_program_taking_a_kubernetes_lease_is_a_leader_election(call, elected):
    """Field test (bcgov/DriveBC.ca): only the pod holding the Lease runs its child consumer."""
    child = _spawn(f"""\
        import subprocess
        proc = subprocess.Popen(["python", "manage.py", "run_huey"])
        if True:
            {call}
        """)
    assert child is not None and child.elected == elected


def test_a_leader_election_counts_one_instance_whatever_the_replicas(tmp_path):
    """The Deployment runs 3 replicas of the program; one of them at a time runs the consumer: no HL301, and
    `instances` says why."""
    write_tree(tmp_path, {
        "requirements.txt": "huey==2.5.2\n",
        "app.py": ("from huey import RedisHuey, crontab\nhuey = RedisHuey(url='redis://redis')\n\n"
                   "@huey.periodic_task(crontab())\ndef beat():\n    pass\n"),
        "elect.py": ("import signal, subprocess\nfrom kubernetes import client\napi = client.CoordinationV1Api()\n"
                     "api.create_namespaced_lease('ns', body=None)\n"
                     "proc = subprocess.Popen(['huey_consumer', 'app.huey'])\n"
                     "signal.signal(signal.SIGTERM, lambda *a: proc.send_signal(signal.SIGINT))\n"),
        "deploy.yaml": ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  replicas: 3\n"
                        "  template:\n    spec:\n      terminationGracePeriodSeconds: 60\n      containers:\n"
                        "        - name: w\n          image: shop:1\n          command: [python, elect.py]\n"),
    })
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert (launch.instances.value, str(launch.instances.loc)) == (1, (
        "one at a time: `python elect.py` runs the consumer only while it holds the Kubernetes Lease it takes at "
        "elect.py:4 (leader election), however many replicas run it"))
    assert triples(result, "HL301") == []


def test_every_distinct_consumer_a_program_starts_is_a_child_and_a_restart_is_not():
    """crrf-det's shape: one consumer per huey app, started one after the other; a watchdog starting the same
    command again restarts that consumer. The stop facts are the program's, the same for each child."""
    children = _children("""\
        import subprocess
        def start(workers):
            a = subprocess.Popen(["huey_consumer.py", "det.huey_translate", "-w", str(workers)])
            b = subprocess.Popen(["huey_consumer.py", "det.huey_common", "-w", str(workers)])
            return a, b
        def watchdog(workers):
            return subprocess.Popen(["huey_consumer.py", "det.huey_common", "-w", str(workers)])
        def stop(children):
            for child in children:
                child.terminate()
        """)
    assert [[word[0] for word in child.words][:2] for child in children] == [
        ["huey_consumer.py", "det.huey_translate"], ["huey_consumer.py", "det.huey_common"]]
    assert [(child.words[0][1], child.sends, child.sends_at[1]) for child in children] == [(3, "TERM", 10),
                                                                                             (4, "TERM", 10)]


def test_each_consumer_a_served_program_starts_is_a_launch(tmp_path):
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.11\nRUN pip install 'huey==2.5.2' redis\nCOPY . /app\nWORKDIR /app\n"
                      "CMD [\"python\", \"prog.py\"]\n",
        "apps.py": "from huey import RedisHuey\nfirst = RedisHuey('first')\nsecond = RedisHuey('second')\n",
        "prog.py": "import subprocess\n"
                   "a = subprocess.Popen(['huey_consumer', 'apps.first', '-w', '2'])\n"
                   "b = subprocess.Popen(['huey_consumer', 'apps.second', '-w', '2'])\n",
    })
    result = lint(tmp_path)
    assert result.project is not None
    assert [launch.app.value if launch.app else None for launch in result.project.launches] == [
        "apps.first", "apps.second"]
    # one HL201 for the program that passes neither consumer a signal (one fix), an HL105 for each app
    assert sorted(triples(result)) == [("HL105", "apps.py", 2), ("HL105", "apps.py", 3), ("HL201", "Dockerfile", 5),
                                       ("HL701", "Dockerfile", 5)]


MP_COMMAND = '''from multiprocessing import Process
import multiprocessing as mp
from django.core.management import call_command


def queue(debug=False):
    if debug:
        call_command("run_huey", "--workers", "1", "-v")
    else:
        call_command("run_huey", "--workers", "4")


def other():
    call_command("migrate")


class Command:
    def handle(self, *args, **options):
        child = Process(target=queue)
        child.start()
        mp.Process(target=other).start()
        {stop}
'''


def _mp_spawned(text):
    from pathlib import Path

    from hueylint.pyapp.spawns import spawned
    from hueylint.sources import SourceFile

    rel = "shop/management/commands/serve.py"
    return spawned(SourceFile(Path(rel), rel, text))


def test_a_process_target_running_call_command_is_a_spawned_consumer():
    (child,) = _mp_spawned(MP_COMMAND.format(stop="child.join()"))
    assert [word[0] for word in child.words] == ["python", "manage.py", "run_huey", "--workers", "1", "-v"]
    assert child.words[2][1:] == (8, 22)  # the command name where the call writes it (the first call, in source order)
    assert (child.sends, child.shell, child.replaces) == (None, False, False)


def test_a_process_target_the_program_terminates_gets_sigterm():
    (child,) = _mp_spawned(MP_COMMAND.format(stop="child.terminate()"))
    assert (child.sends, child.sends_at[1:]) == ("TERM", (22, 9))


@pytest.mark.parametrize("text", [
    MP_COMMAND.replace('call_command("run_huey", "--workers", "1", "-v")', 'call_command("run_huey", workers=1)')
    .replace('call_command("run_huey", "--workers", "4")', 'call_command("run_huey", workers=4)'),
    MP_COMMAND.replace("target=queue", "target=lambda: queue()"),
    MP_COMMAND.replace("Process(target=queue)", "Thread(target=queue)"),
])
def test_targets_not_read_start_no_consumer(text):
    assert _mp_spawned(text.format(stop="pass")) == ()


@pytest.mark.parametrize(("program", "kept"), [
    # field test (onllm-dev/4DPocket): a repository module running huey's consumer in-process, started with
    # the running Python (`sys` imported as `_sys`)
    ("[_sys.executable, '-m', 'app.worker']", True),
    ("['python3', 'app/worker.py']", True),
    # a repository program that is no consumer, or one not in the repository: not a child that runs one
    ("[_sys.executable, '-m', 'app.mailer']", False),
    ("[_sys.executable, '-m', 'celery', 'worker']", False),
])
def test_a_python_program_the_server_starts_is_a_child_when_it_runs_a_consumer(tmp_path, program, kept):
    worker = ("import sys\nfrom huey.bin.huey_consumer import consumer_main\nif __name__ == '__main__':\n"
              "    sys.argv = ['huey_consumer', 'app.queue.huey']\n    sys.exit(consumer_main())\n")
    main = ("import subprocess\nimport sys as _sys\n\nasync def lifespan(app):\n"
            f"    child = subprocess.Popen({program})\n    yield\n    child.terminate()\n\n"
            "async def api(scope, receive, send):\n    pass\n")
    write_tree(tmp_path, {
        "Procfile": "web: uvicorn app.main:api --port $PORT\n",
        "app/__init__.py": "", "app/main.py": main, "app/worker.py": worker,
        "app/mailer.py": "print('mail')\n",
        "app/queue.py": "from huey import SqliteHuey\nhuey = SqliteHuey(filename='/tmp/q.db')\n",
        "requirements.txt": "huey==3.5.4\n",
    })
    result = lint(tmp_path)
    assert [launch.program for launch in result.project.launches] == (["huey_consumer"] if kept else [])
    if kept:  # terminate(): SIGTERM (a PaaS signals every process of the dyno anyway: its fix is -g TERM)
        assert ("HL101", "app/main.py", 7) in triples(result)


def test_a_program_starting_itself_is_not_followed_forever(tmp_path):
    main = ("import subprocess, sys\nif __name__ == '__main__':\n"
            "    subprocess.Popen([sys.executable, '-m', 'app.main'])\n")
    write_tree(tmp_path, {"Procfile": "web: python -m app.main\n", "app/__init__.py": "", "app/main.py": main,
                          "requirements.txt": "huey==3.5.4\n"})
    assert lint(tmp_path).project.launches == []


GUNICORN_HOOKS = """\
import subprocess

consumer = None


def on_starting(server):
    global consumer
    consumer = subprocess.Popen(["huey_consumer", "app.huey", "-w", "2"])


def on_exit(server):
    consumer.terminate()
"""


@pytest.mark.parametrize(("command", "config"), [
    ('["gunicorn", "app.wsgi"]', "gunicorn.conf.py"),  # gunicorn 20's default configuration file
    ('["gunicorn", "-c", "conf/gunicorn.py", "app.wsgi"]', "conf/gunicorn.py"),
    ('["gunicorn", "--config=conf/gunicorn.py", "app.wsgi"]', "conf/gunicorn.py"),
    ('["gunicorn", "-c", "python:conf.gunicorn", "app.wsgi"]', "conf/gunicorn.py"),
])
def test_a_consumer_started_by_a_gunicorn_configuration_hook_is_a_launch(tmp_path, command, config):
    write_tree(tmp_path, {
        "Dockerfile": f"FROM python:3.12\nWORKDIR /srv\nCOPY . .\nUSER app\nCMD {command}\n",
        config: GUNICORN_HOOKS, "conf/__init__.py": "", "app.py": "from huey import RedisHuey\nhuey = RedisHuey('a')\n",
        "requirements.txt": "huey==3.5.4\n"})
    result = lint(tmp_path)
    assert [launch.program for launch in result.project.launches] == ["huey_consumer"]
    assert ("HL101", config, 12) in triples(result)  # on_exit's terminate(): SIGTERM


def test_a_gunicorn_configuration_without_a_consumer_is_no_launch(tmp_path):
    write_tree(tmp_path, {"Dockerfile": 'FROM python:3.12\nCMD ["gunicorn", "app.wsgi"]\n',
                          "gunicorn.conf.py": "import subprocess\nbind = '0.0.0.0:80'\n"
                                              "def on_starting(server):\n    subprocess.run(['python', 'manage.py', 'migrate'])\n"})
    assert lint(tmp_path).project.launches == []
