"""A huey before 1.4.0 has no graceful shutdown: its consumer exits at once on SIGTERM or SIGINT and the daemon
worker threads die with it (1.3.1 ``Consumer.run``). No stop signal or kill deadline changes that: HL101 says
to upgrade (once per launch, for a huey a dependency file gives), HL102 says nothing."""

from __future__ import annotations

import pytest

from tests.helpers import lint, triples, write_tree

APP = "from huey import RedisHuey\nhuey = RedisHuey('lab', host='127.0.0.1')\n\n@huey.task()\ndef work():\n    pass\n"
COMPOSE = ("services:\n  tasks:\n    build: .\n    command: huey_consumer.py lab.huey -w 2\n"
           "    restart: always\n    stop_grace_period: 5s\n")
DOCKERFILE = "FROM python:3.6\nCOPY . /srv\nWORKDIR /srv\nRUN pip install -r requirements.txt\nUSER nobody\n"


@pytest.mark.parametrize("requirement, text", [
    ("huey==1.3.1", "huey 1.3.1 (pinned in requirements.txt:1)"),
    ("huey<1.4", "huey 1.3.1 (the newest release `huey<1.4` allows, requirements.txt:1)"),
    ("huey==1.2.0", "huey 1.2.0 (pinned in requirements.txt:1)"),
])
def test_an_old_huey_is_told_to_upgrade(tmp_path, requirement, text):
    write_tree(tmp_path, {"compose.yaml": COMPOSE, "Dockerfile": DOCKERFILE, "lab.py": APP, "requirements.txt": requirement + "\n"})
    result = lint(tmp_path)
    assert triples(result) == [("HL101", "compose.yaml", 2)]
    [finding] = result.findings
    assert finding.message.startswith("compose stops `tasks` with SIGTERM (compose default: no stop_signal, and no "
                                      f"STOPSIGNAL in the image), and {text} has no graceful shutdown")
    assert "Fix: upgrade huey to 1.4 or later" in finding.message
    assert [(r.loc.path, r.loc.line, r.message) for r in finding.related] == [
        ("compose.yaml", 4, "the consumer command"), ("requirements.txt", 1, "the huey version")]


def test_from_1_4_the_stop_signal_and_deadline_are_judged(tmp_path):
    write_tree(tmp_path, {"compose.yaml": COMPOSE, "Dockerfile": DOCKERFILE, "lab.py": APP, "requirements.txt": "huey==1.4.0\n"})
    assert triples(lint(tmp_path)) == [("HL101", "compose.yaml", 2), ("HL102", "compose.yaml", 6)]


def test_a_development_stack_is_not_told(tmp_path):
    write_tree(tmp_path, {"docker-compose.dev.yml": COMPOSE, "Dockerfile": DOCKERFILE, "lab.py": APP, "requirements.txt": "huey==1.3.1\n"})
    assert triples(lint(tmp_path)) == []


def test_inspect_says_there_is_no_graceful_signal(tmp_path, capsys, monkeypatch):
    """`inspect` said "vs graceful SIGINT [huey default]  ✗ running tasks are interrupted", as for a huey whose
    platform only needs another setting; for 1.3.1 no signal is graceful."""
    from hueylint.cli import main

    write_tree(tmp_path, {"compose.yaml": COMPOSE, "Dockerfile": DOCKERFILE, "lab.py": APP,
                          "requirements.txt": "huey==1.3.1\n"})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    main(["inspect", "--no-color", "--no-cache"])
    out = " ".join(capsys.readouterr().out.split())
    assert ("vs graceful none ✗ huey 1.3.1 has no graceful shutdown (1.4.0+): any stop interrupts running tasks"
            in out)
