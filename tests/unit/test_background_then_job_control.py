"""HL201's "then" for a consumer started in the background: the command the shell runs instead of waiting for it.
A closing job-control builtin (`fg`, `bg`, `jobs`, `disown`) starts nothing, so the command before it is named
(field test Dartt0n/Follow-My-Reading: `huey_consumer ... &`, `uvicorn main:app`, `fg`)."""

from __future__ import annotations

import pytest

from tests.helpers import lint, write_tree

APP = "from huey import RedisHuey\nhuey = RedisHuey('app')\n"
DOCKERFILE = 'FROM python:3.12-slim\nCOPY . /srv\nWORKDIR /srv\nUSER app\nCMD ["sh", "/srv/start.sh"]\n'


@pytest.mark.parametrize("tail, then", [
    ("uvicorn web:app\nfg\n", "`uvicorn web:app`"),
    ("gunicorn web:app; jobs\n", "`gunicorn web:app`"),
    ("gunicorn web:app &\nfg\n", ""),  # everything in the background, then `fg`: nothing keeps the shell busy
    ("exec gunicorn web:app\n", "`exec gunicorn web:app`"),  # as before: the first exec
    ("gunicorn web:app\n", "`gunicorn web:app`"),  # as before: the last command
])
def test_then_names_the_command_that_keeps_the_shell(tmp_path, tail, then):
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "app.py": APP, "requirements.txt": "huey==3.5.4\n",
                          "start.sh": "#!/bin/sh\nhuey_consumer app.huey -w 2 &\n" + tail})
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL201"]
    assert (f"and then runs {then}:" in finding.message) if then else ("and then runs" not in finding.message)
