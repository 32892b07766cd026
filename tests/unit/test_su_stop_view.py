"""`su -c`/`runuser` answer any stop signal with their own SIGTERM and SIGKILL 2 s later: outside a systemd
control group the platform's signal and deadline never reach the consumer, so HL101/HL102/HL103 (whose fixes
would change nothing) are not reported for the hops above su; under systemd, the unit's KillSignal reaches every
process, and they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, triples, write_tree

APP = ("from huey import SqliteHuey\nfrom huey.signals import SIGNAL_INTERRUPTED\n"
       "huey = SqliteHuey(filename='/data/q.db')\n\n@huey.signal(SIGNAL_INTERRUPTED)\n"
       "def again(signal, task, *args, **kwargs):\n    huey.enqueue(task)\n")


@pytest.mark.parametrize("cmd", [
    'CMD ["su", "app", "-c", "exec huey_consumer jobs.huey -t 25"]',
    'CMD ["runuser", "app", "-c", "huey_consumer jobs.huey -t 25"]',
    'CMD ["runuser", "-u", "app", "--", "huey_consumer", "jobs.huey", "-t", "25"]',
])
def test_su_in_a_container_is_a_break(tmp_path: Path, cmd: str) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "requirements.txt": "huey==3.5.0\n",
                          "Dockerfile": f"FROM python:3.12\nCOPY . /srv\nWORKDIR /srv\n{cmd}\n"})
    assert triples(lint(tmp_path)) == [("HL201", "Dockerfile", 4)]


def test_without_su_the_same_image_is_judged(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "requirements.txt": "huey==3.5.0\n", "Dockerfile":
                          'FROM python:3.12\nCOPY . /srv\nWORKDIR /srv\nUSER 1000\nCMD ["huey_consumer", "jobs.huey", "-t", "25"]\n'})
    assert [t[0] for t in triples(lint(tmp_path))] == ["HL101", "HL102", "HL103"]


def test_su_in_a_compose_service_is_a_break(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "docker-compose.yml":
                          "services:\n  worker:\n    image: python:3.12\n    restart: always\n"
                          "    command: [\"su\", \"app\", \"-c\", \"huey_consumer jobs.huey -t 5\"]\n"})
    assert [t[0] for t in triples(lint(tmp_path))] == ["HL201"]


def test_su_under_systemd_is_no_break(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "huey.service":
                          "[Service]\nType=exec\nExecStart=/usr/bin/su app -c 'huey_consumer jobs.huey -t 25'\n"
                          "ExecReload=/bin/kill -HUP $MAINPID\nRestart=always\n"})
    assert [t[0] for t in triples(lint(tmp_path))] == ["HL101", "HL201"]
