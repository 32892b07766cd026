"""Each hop of a chain judged on its own, and supervisors daemonized by scripts nothing runs (HL201)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import lint, triples, write_tree

# -- each hop judged on its own ---------------------------------------------------------------------

SUPERVISOR_CONF = """[supervisord]
logfile=/tmp/supervisord.log

[program:worker]
command=python manage.py run_huey
"""


@pytest.mark.parametrize("start", [
    "supervisord -c /app/supervisor/worker.conf &\nexec gunicorn shop.wsgi",
    "supervisord -c /app/supervisor/worker.conf\nexec gunicorn shop.wsgi",
])
def test_supervisor_below_a_broken_script_is_judged_on_its_own_settings(tmp_path: Path, start: str) -> None:
    write_tree(tmp_path, {
        "Dockerfile": 'FROM python:3.12\nCOPY . /app\nSTOPSIGNAL SIGINT\nCMD ["/app/start.sh"]\n',
        "start.sh": f"#!/bin/sh\nset -e\n{start}\n",
        "supervisor/worker.conf": SUPERVISOR_CONF,
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    found = triples(lint(tmp_path))
    assert ("HL201", "Dockerfile", 4) in found
    assert ("HL101", "supervisor/worker.conf", 5) in found and ("HL102", "supervisor/worker.conf", 5) in found


def test_consumer_backgrounded_directly_keeps_its_stop_rules_quiet(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "Dockerfile": 'FROM python:3.12\nCOPY . /app\nCMD ["/app/start.sh"]\n',
        "start.sh": "#!/bin/sh\npython manage.py run_huey &\nexec gunicorn shop.wsgi\n",
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    found = triples(lint(tmp_path))
    assert ("HL201", "Dockerfile", 3) in found
    assert not [item for item in found if item[0] in ("HL101", "HL102")]


@pytest.mark.parametrize(("script", "line"), [
    ("#!/bin/sh\nsupervisord -c supervisord.conf\nexec gunicorn shop.wsgi\n", 2),
    ("#!/bin/bash\nservice supervisor start\npython manage.py migrate\nexec uwsgi --ini uwsgi.ini\n", 2),
])
def test_unlaunched_script_daemonizing_a_repo_supervisor(tmp_path: Path, script: str, line: int) -> None:
    write_tree(tmp_path, {"docker/entrypoint.sh": script,
                          "supervisord.conf": SUPERVISOR_CONF + "stopsignal=INT\nstopwaitsecs=60\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    # the program's own stopsignal/stopwaitsecs are right: only the script is wrong (and notes: -t, root)
    assert triples(lint(tmp_path)) == [("HL104", "supervisord.conf", 5), ("HL201", "docker/entrypoint.sh", line),
                                       ("HL701", "supervisord.conf", 5)]


def test_script_in_the_foreground_or_run_by_a_launch_is_not_reported_twice(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "Dockerfile": 'FROM python:3.12\nCOPY . /app\nCMD ["/app/entrypoint.sh"]\n',
        "entrypoint.sh": "#!/bin/sh\nsupervisord -c /app/supervisord.conf\nexec gunicorn shop.wsgi\n",
        "tools/foreground.sh": "#!/bin/sh\nexec supervisord -n -c /app/supervisord.conf\n",
        "supervisord.conf": SUPERVISOR_CONF + "stopsignal=INT\nstopwaitsecs=60\n",
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert triples(lint(tmp_path), "HL201") == [("HL201", "Dockerfile", 3)]
