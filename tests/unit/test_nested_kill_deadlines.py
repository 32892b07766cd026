"""HL102 under nested supervisors: compose (or Kubernetes, systemd) SIGKILLs on its own clock and the supervisord
inside it SIGKILLs its program `stopwaitsecs` after passing the stop signal on, both from the same stop. Every
deadline shorter than the longest task is named in one finding and fixed together (:func:`fixing.deadline_fix`: the
supervisor's raised to what the task needs, the platform's a few seconds above it), so raising one does not just move
the finding to the next run."""

from __future__ import annotations

import pytest

from tests.helpers import fix_tree, lint, write_tree

DOCKERFILE = ("FROM python:3.12-slim\nCOPY . /srv\nWORKDIR /srv\nRUN pip install -r requirements.txt\nUSER app\n"
              'CMD ["supervisord", "-n", "-c", "/srv/supervisord.conf"]\n')
APP = ("from huey import RedisHuey, signals\nhuey = RedisHuey('app', host='127.0.0.1')\n\n"
       "@huey.signal(signals.SIGNAL_INTERRUPTED)\ndef again(signal, task, *a, **k):\n    huey.enqueue(task)\n")


def _tree(tmp_path, program: str, service: str) -> None:
    write_tree(tmp_path, {
        "Dockerfile": DOCKERFILE, "app.py": APP, "requirements.txt": "huey==3.5.4\n",
        "supervisord.conf": f"[supervisord]\nnodaemon=true\n\n[program:worker]\n{program}",
        "compose.yaml": f"services:\n  worker:\n    build: .\n    restart: always\n{service}",
    })


def _hl102(tmp_path) -> list[str]:
    return [f.message for f in lint(tmp_path).findings if f.rule == "HL102"]


def test_both_default_deadlines_are_named(tmp_path):
    _tree(tmp_path, "command=huey_consumer app.huey -w 2\nstopsignal=INT\n", "")
    [message] = _hl102(tmp_path)
    assert message.startswith("compose stops `worker` after 10s (compose default stop_grace_period) and "
                              "supervisord (inside compose) after the same 10s (supervisord default stopwaitsecs): ")
    assert message.endswith("Fix: raise stopwaitsecs= above your longest task (and keep `-t` a few seconds below it), "
                            "and stop_grace_period: a few seconds above it: compose kills supervisord and its programs "
                            "together")


@pytest.mark.parametrize("program, service, named", [
    # the platform's raised: supervisord's alone is left, and the fix sets it
    ("command=huey_consumer app.huey -w 2\nstopsignal=INT\n", "    stop_grace_period: 2m\n",
     "supervisord (inside compose) stops `worker` after 10s (supervisord default stopwaitsecs)"),
    # supervisord's raised: compose's alone is left
    ("command=huey_consumer app.huey -w 2\nstopsignal=INT\nstopwaitsecs=90\n", "",
     "compose stops `worker` after 10s (compose default stop_grace_period)"),
])
def test_a_deadline_long_enough_is_not_named(tmp_path, program, service, named):
    _tree(tmp_path, program, service)
    [message] = _hl102(tmp_path)
    assert message.startswith(named + ": ")


def test_both_long_enough_is_quiet(tmp_path):
    _tree(tmp_path, "command=huey_consumer app.huey -w 2\nstopsignal=INT\nstopwaitsecs=60\n",
          "    stop_grace_period: 70s\n")
    assert _hl102(tmp_path) == []


def test_shutdown_timeout_branch_names_every_deadline_below_the_raised_timeout(tmp_path):
    """`-t 8`: the fix raises `-t`, and then every kill deadline must stay a few seconds above it."""
    _tree(tmp_path, "command=huey_consumer app.huey -w 2 -g TERM -t 8\n", "")
    [message] = _hl102(tmp_path)
    assert message.endswith("Fix: raise `-t` above your longest task, and stop_grace_period: and stopwaitsecs= a "
                            "few seconds above `-t`")


def test_the_fix_sets_the_one_short_deadline_left(tmp_path):
    _tree(tmp_path, "command=huey_consumer app.huey -w 2\nstopsignal=INT\n", "    stop_grace_period: 2m\n")
    fix_tree(tmp_path)
    assert "stopwaitsecs=25" in (tmp_path / "supervisord.conf").read_text()
    assert _hl102(tmp_path) == []


def test_one_program_run_by_two_services_gets_a_timeout_below_both_deadlines(tmp_path):
    """One supervisord program that two compose services run is one command line: `-t` is below the shorter of their
    deadlines (HL104's value), and HL102 raises a shared `-t` only together with the deadline of each service it
    would pass (the short service's stop_grace_period goes up with it), so `--fix` never ends in HL103."""
    write_tree(tmp_path, {
        "Dockerfile": DOCKERFILE, "app.py": APP, "requirements.txt": "huey==3.5.4\n",
        "supervisord.conf": "[supervisord]\nnodaemon=true\n\n[program:worker]\ncommand=huey_consumer app.huey -w 2\n"
                            "stopsignal=INT\nstopwaitsecs=60\n",
        "compose.yaml": "services:\n  short:\n    build: .\n    restart: always\n    stop_grace_period: 12s\n"
                        "  long:\n    build: .\n    restart: always\n    stop_grace_period: 2m\n",
    })
    hl104 = {f.message for f in lint(tmp_path).findings if f.rule == "HL104"}
    assert len(hl104) == 1 and "Fix: add `-t 7`" in hl104.pop()
    fix_tree(tmp_path)
    assert "huey_consumer app.huey -w 2 -t 20\n" in (tmp_path / "supervisord.conf").read_text()
    assert "  short:\n    build: .\n    restart: always\n    stop_grace_period: 25s\n" in \
        (tmp_path / "compose.yaml").read_text()
    assert [f.rule for f in lint(tmp_path).findings if f.rule in ("HL102", "HL103", "HL104")] == []


@pytest.mark.parametrize("program, service, first, then", [
    # supervisord binds first: compose's deadline is named once, as the next one, and not again in the fix
    ("command=huey_consumer app.huey -w 2\nstopsignal=INT\nstopwaitsecs=5\n", "    stop_grace_period: 8s\n",
     "supervisord (inside compose) stops `worker` after 5s (supervisord.conf:7)",
     "compose after 8s (compose.yaml:5)"),
    # compose binds first
    ("command=huey_consumer app.huey -w 2\nstopsignal=INT\nstopwaitsecs=5\n", "    stop_grace_period: 3s\n",
     "compose stops `worker` after 3s (compose.yaml:5)",
     "supervisord (inside compose) after 5s (supervisord.conf:7)"),
])
def test_each_short_deadline_is_said_once_binding_first(tmp_path, program, service, first, then):
    _tree(tmp_path, program, service)
    [message] = _hl102(tmp_path)
    assert message.startswith(f"{first} and, were that raised, {then}: a task running longer is killed")
    assert message.count("8s" if "8s" in service else "3s") == 1 and message.count("5s") == 1
    assert message.endswith("and stop_grace_period: a few seconds above it: compose kills supervisord and its "
                            "programs together")
