"""A repository Python program running huey's consumer in-process, ``consumer_main()``
(hueylint.pyapp.consumer_main): what it does to ``sys.argv`` first, and the launch the chain makes of it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hueylint.pyapp.consumer_main import consumer_main
from hueylint.sources import SourceFile
from tests.helpers import lint, triples, write_tree


def _read(code: str):
    return consumer_main(SourceFile(Path("run.py"), "run.py", textwrap.dedent(code)))


def _texts(words) -> list[str]:
    return [word[0] for word in words]


@pytest.mark.parametrize("change, before, after, keeps", [
    ("sys.argv.extend(['-w', '4', '--delay', 0.5])", [], ["-w", "4", "--delay", "0.5"], True),
    ("sys.argv.append('app.huey')", [], ["app.huey"], True),
    ("sys.argv += ('-k', 'thread')", [], ["-k", "thread"], True),
    ("sys.argv.insert(1, 'app.huey'); sys.argv.insert(1, '-q')", ["-q", "app.huey"], [], True),
    ("sys.argv = [sys.argv[0], 'app.huey', '-w', '2']", [], ["app.huey", "-w", "2"], False),
    ("sys.argv[1:] = ['app.huey']", [], ["app.huey"], False),
    # any program name first (optparse reads sys.argv[1:]): aa-blinov/whisper-bot's literal one
    ("sys.argv = ['huey_consumer.py', 'app.huey']", [], ["app.huey"], False),
    ("sys.argv = (os.path.basename(__file__), 'app.huey', '-w', '2')", [], ["app.huey", "-w", "2"], False),
    ("sys.argv[:] = ['huey_consumer', 'app.huey']", [], ["app.huey"], False),
    ("pass", [], [], True),
])
def test_the_words_added_to_sys_argv_before_the_call(change, before, after, keeps):
    found = _read(f"""\
        import sys
        from huey.bin.huey_consumer import consumer_main
        if __name__ == "__main__":
            {change}
            consumer_main()
        """)
    assert found is not None and found.known
    assert (_texts(found.before), _texts(found.after), found.keeps_args) == (before, after, keeps)
    assert found.line == 5


@pytest.mark.parametrize("code", [
    # the module imported, under an alias or by its full dotted name; the call in a function called from main
    "import sys\nimport huey.bin.huey_consumer as hc\nsys.argv.append('a.huey')\nhc.consumer_main()\n",
    "import sys, huey.bin.huey_consumer\nsys.argv.append('a.huey')\nhuey.bin.huey_consumer.consumer_main()\n",
    "import sys\nfrom huey.bin import huey_consumer\ndef run():\n    sys.argv.append('a.huey')\n"
    "    huey_consumer.consumer_main()\nif __name__ == '__main__':\n    try:\n        run()\n"
    "    except KeyboardInterrupt:\n        pass\n",
    "import sys\nfrom huey.bin.huey_consumer import consumer_main as start\nsys.argv.append('a.huey')\nstart()\n",
    # the call as another call's argument, evaluated first (field test: onllm-dev/4DPocket), a raise's, an
    # assignment's value
    "import sys\nfrom huey.bin.huey_consumer import consumer_main\nif __name__ == '__main__':\n"
    "    sys.argv.append('a.huey')\n    sys.exit(consumer_main())\n",
    "import sys\nfrom huey.bin.huey_consumer import consumer_main\nsys.argv.append('a.huey')\n"
    "raise SystemExit(consumer_main())\n",
    "import sys\nfrom huey.bin.huey_consumer import consumer_main\nsys.argv.append('a.huey')\ncode = consumer_main()\n",
    "import sys\nfrom huey.bin import huey_consumer\ndef main():\n    sys.argv.append('a.huey')\n"
    "    return huey_consumer.consumer_main()\nif __name__ == '__main__':\n    sys.exit(main())\n",
    # Python 3.14's `except A, B:` (PEP 758) elsewhere in the script
    "import sys\nfrom huey.bin.huey_consumer import consumer_main\nsys.argv.append('a.huey')\ntry:\n"
    "    consumer_main()\nexcept KeyboardInterrupt, SystemExit:\n    pass\n",
])
def test_the_forms_of_the_call(code):
    found = consumer_main(SourceFile(Path("run.py"), "run.py", code))
    assert found is not None and found.known and _texts(found.after) == ["a.huey"]


@pytest.mark.parametrize("code", [
    # defined, never called when run as a script
    "from huey.bin.huey_consumer import consumer_main\ndef run():\n    consumer_main()\n",
    # another consumer_main, not huey's
    "from mytool import consumer_main\nimport huey_consumer\nconsumer_main()\n",
    # under a branch that is not the script's main
    "import os\nfrom huey.bin.huey_consumer import consumer_main\nif os.environ.get('W'):\n    consumer_main()\n",
    # not Python
    "from huey.bin.huey_consumer import consumer_main\nconsumer_main(\n",
    # passed along, never called: a reference is no call
    "import sys\nfrom huey.bin.huey_consumer import consumer_main\nrun_later(consumer_main)\n",
])
def test_what_is_no_in_process_consumer(code):
    assert consumer_main(SourceFile(Path("run.py"), "run.py", code)) is None


@pytest.mark.parametrize("change", [
    "sys.argv.extend(options)",  # built at run time
    "sys.argv.append(os.environ['APP'])",
    "sys.argv = ['run'] + options",
    "sys.argv = ['run', os.environ['APP']]",  # a word built at run time
    "sys.argv = []",  # no program name, no app: nothing read
    "sys.argv[:2] = ['run', 'app.huey']",
    "sys.argv.pop()",
])
def test_a_change_not_read_makes_the_command_line_unknown(change):
    found = _read(f"""\
        import os, sys
        from huey.bin.huey_consumer import consumer_main
        options = os.environ.get('OPTS', '').split()
        {change}
        consumer_main()
        """)
    assert found is not None and not found.known


TASKS = ("from huey import RedisHuey, signals\nhuey = RedisHuey('w', host='localhost')\n"
         "@huey.task()\ndef work():\n    return None\n"
         "@huey.signal(signals.SIGNAL_INTERRUPTED)\ndef again(signal, task, exc=None):\n    huey.enqueue(task)\n")
UNIT = ("[Unit]\nDescription=w\n[Service]\nType=exec\nUser=app\nWorkingDirectory=/srv/w\n"
        "ExecStart=/srv/w/venv/bin/python {command}\nKillSignal=SIGINT\nTimeoutStopSec=60\n"
        "Restart=on-failure\nExecReload=/bin/kill -HUP $MAINPID\n[Install]\nWantedBy=multi-user.target\n")


@pytest.mark.parametrize("command, script, expected", [
    # the launch's words and the script's: -t 90 is above systemd's 60 s, at the script's line
    ("/srv/w/worker.py tasks.huey", "import sys\nfrom huey.bin.huey_consumer import consumer_main\n"
     "sys.argv.extend(['-t', '90'])\nconsumer_main()\n", [("HL103", "worker.py", 3)]),
    # the script replaced the launch's words: its own -t 30 is what huey reads, the unit's `tasks.huey -t 90`
    # never reaches huey, which HL002 says at the unit's words (field test: onllm-dev/4DPocket)
    ("/srv/w/worker.py tasks.huey -t 90", "import sys\nfrom huey.bin.huey_consumer import consumer_main\n"
     "sys.argv = [sys.argv[0], 'tasks.huey', '-t', '30']\nconsumer_main()\n", [("HL002", "deploy/w.service", 7)]),
    # `python -m` of the script's module runs the same
    ("-m worker tasks.huey -t 30", "from huey.bin.huey_consumer import consumer_main\nconsumer_main()\n", []),
])
def test_a_unit_running_the_script_is_a_consumer_launch(tmp_path, command, script, expected):
    write_tree(tmp_path, {
        "deploy/w.service": UNIT.format(command=command),
        "worker.py": script,
        "tasks.py": TASKS,
        "requirements.txt": "huey==3.5.4\nredis==6.2.0\n",
    })
    result = lint(tmp_path)
    assert len(result.project.launches) == 1 and result.project.launches[0].program == "huey_consumer"
    assert triples(result) == expected


def test_an_argv_not_read_leaves_the_options_unknown(tmp_path):
    write_tree(tmp_path, {
        "deploy/w.service": UNIT.format(command="/srv/w/worker.py tasks.huey"),
        "worker.py": "import os, sys\nfrom huey.bin.huey_consumer import consumer_main\n"
                     "sys.argv.extend(os.environ['HUEY_OPTS'].split())\nconsumer_main()\n",
        "tasks.py": TASKS,
        "requirements.txt": "huey==3.5.4\nredis==6.2.0\n",
    })
    result = lint(tmp_path)
    assert [t[0] for t in triples(result)] == ["HL004"]


def test_the_modules_the_program_imports_are_the_consumers(tmp_path):
    """The program is ``__main__``: the task modules it imports before ``consumer_main()`` are loaded in the
    consumer's process, though the app module does not import them (field test: onllm-dev/4DPocket)."""
    write_tree(tmp_path, {
        "deploy/w.service": UNIT.format(command="/srv/w/worker.py"),
        "worker.py": "import sys\nimport jobs\nfrom huey.bin.huey_consumer import consumer_main\n"
                     "sys.argv = ['huey_consumer', 'tasks.huey']\nsys.exit(consumer_main())\n",
        "tasks.py": TASKS,
        "jobs.py": "from tasks import huey\n\n@huey.task()\n@huey.lock_task('nightly')\ndef nightly():\n    return None\n",
        "requirements.txt": "huey==3.5.4\nredis==6.2.0\n",
    })
    result = lint(tmp_path)
    [launch] = result.project.launches
    [app] = [app for app in result.project.apps if app.key == launch.app_key.value]
    assert {"worker.py", "jobs.py", "tasks.py"} <= set(app.modules)
    assert ("HL303", "jobs.py", 4) in triples(result)


def test_words_the_program_throws_away_are_said_and_the_launch_still_runs(tmp_path):
    """The launch passes options the program's `sys.argv = [...]` discards: HL002 quotes them at the launch's
    line and the program's line; the consumer still starts, so its stop rules still judge it."""
    write_tree(tmp_path, {
        "Procfile": "worker: python worker.py --workers 4 -n\n",
        "worker.py": "import sys\nfrom huey.bin.huey_consumer import consumer_main\n"
                     "sys.argv = ['huey_consumer', 'tasks.huey']\nsys.exit(consumer_main())\n",
        "tasks.py": TASKS,
        "requirements.txt": "huey==3.5.4\nredis==6.2.0\n",
    })
    result = lint(tmp_path)
    [launch] = result.project.launches
    assert not launch.refused and launch.periodic.value is not False  # `-n` never reached huey
    [found] = [f for f in result.findings if f.rule == "HL002"]
    assert (found.loc.path, found.loc.line) == ("Procfile", 1)
    assert found.message.startswith("`--workers 4 -n` never reaches huey: the program replaces `sys.argv` "
                                    "(worker.py:4) before `consumer_main()`")
    assert "HL101" in {f.rule for f in result.findings}  # the PaaS's SIGTERM: judged all the same
