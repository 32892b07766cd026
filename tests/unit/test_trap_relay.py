"""A script that starts the consumer in the background, traps TERM/INT with a ``kill`` of it and waits for it
relays the stop signal, with the signal its ``kill`` names (SIGTERM when none), the trap set before the ``&`` line
or after it; where the platform signals every process (systemd's default KillMode=control-group, a PaaS dyno)
the platform's own signal reaches the consumer first (fixture script-trap-relays-signal)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

APP = {"requirements.txt": "huey==2.5.0\n", "app/__init__.py": "",
       "app/q.py": "from huey import RedisHuey\nfrom huey.signals import SIGNAL_INTERRUPTED\n"
                   "huey = RedisHuey('a', host='127.0.0.1')\n\n@huey.signal(SIGNAL_INTERRUPTED)\n"
                   "def again(signal, task, *args, **kwargs):\n    huey.enqueue(task)\n",
       "hueylint.toml": 'longest-task = "5s"\n'}
DOCKERFILE = "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nUSER app\n{stop}CMD [\"/srv/run.sh\"]\n"


def _docker(tmp_path: Path, script: str, stop: str = "") -> list[tuple[str, str, int]]:
    write_tree(tmp_path, {**APP, "run.sh": "#!/bin/bash\n" + script,
                          "Dockerfile": DOCKERFILE.format(stop=f"STOPSIGNAL {stop}\n" if stop else "")})
    result = lint(tmp_path)
    return sorted((f.rule, f.loc.path or "", f.loc.line) for f in result.findings)


@pytest.mark.parametrize("script", [
    'huey_consumer app.q.huey &\npid=$!\ntrap \'kill -INT "$pid"\' TERM\nwait "$pid"\n',
    'huey_consumer app.q.huey &\npid=$!\ntrap \'kill -s INT $pid\' SIGTERM\nwait $pid\n',
    'huey_consumer app.q.huey &\npid=$!\ntrap "kill -2 $pid" 15\nwait\n',
    'trap \'kill -SIGINT $pid\' TERM INT\nhuey_consumer app.q.huey &\npid=$!\nwait $pid\n',  # set before the start
])
def test_a_trap_relaying_sigint_stops_the_consumer_gracefully(tmp_path: Path, script: str) -> None:
    assert _docker(tmp_path, script) == []  # graceful, and tasks take 5 s: docker stop's 10 s suffice


def test_kill_without_a_signal_relays_sigterm(tmp_path: Path) -> None:
    found = _docker(tmp_path, 'huey_consumer app.q.huey &\npid=$!\ntrap \'kill $pid\' TERM INT\nwait $pid\n',
                    stop="SIGINT")
    assert found == [("HL101", "run.sh", 4)]


@pytest.mark.parametrize("script", [
    'huey_consumer app.q.huey &\npid=$!\nwait $pid\ntrap \'kill -INT $pid\' TERM\n',  # set after the wait: too late
    'huey_consumer app.q.huey &\npid=$!\ntrap \'echo bye\' TERM\n',  # nothing waits, nothing relayed
])
def test_a_trap_that_relays_nothing_while_waiting_leaves_the_consumer_in_the_background(tmp_path: Path,
                                                                                        script: str) -> None:
    assert ("HL201", "Dockerfile", 5) in _docker(tmp_path, script)


@pytest.mark.parametrize("files, found", [
    ({"w.service": "[Service]\nType=exec\nUser=app\nExecStart=/srv/run.sh\nRestart=always\nTimeoutStopSec=30\n"
                   "ExecReload=/bin/kill -HUP $MAINPID\n"}, [("HL101", "w.service", 4)]),
    ({"w.service": "[Service]\nType=exec\nUser=app\nKillMode=mixed\nExecStart=/srv/run.sh\nRestart=always\n"
                   "TimeoutStopSec=30\nExecReload=/bin/kill -HUP $MAINPID\n"}, []),
    ({"Procfile": "worker: ./run.sh\n", "app.json": "{}\n"}, [("HL101", "Procfile", 1)]),
])
def test_a_platform_that_signals_every_process_reaches_the_consumer_first(tmp_path: Path, files: dict[str, str],
                                                                           found: list) -> None:
    write_tree(tmp_path, {**APP, **files,
                          "run.sh": '#!/bin/bash\nhuey_consumer app.q.huey &\npid=$!\ntrap \'kill -INT $pid\' TERM\n'
                                    'wait $pid\n'})
    assert sorted((f.rule, f.loc.path, f.loc.line) for f in lint(tmp_path).findings if f.severity != "note") == found


def test_a_trap_on_int_alone_passes_the_platform_signal_on(tmp_path: Path) -> None:
    """Every platform stops with SIGTERM unless told otherwise: a trap on INT alone decides nothing of it (field
    test karrioapi/karrio's insiders entrypoint, ``trap 'kill 0' INT`` then two services in the background and
    ``wait -n``): the platform's SIGTERM, fixed where the platform sets it."""
    found = _docker(tmp_path, "trap 'kill 0' INT\nhuey_consumer app.q.huey &\nwait -n\n")
    assert found == [("HL101", "Dockerfile", 5)]
