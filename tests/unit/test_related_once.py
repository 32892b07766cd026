"""A finding names each related place once. One supervisord program that two compose projects run (a production
file and an alternative stack, both `supervisord -c` on the same image file) is two launches with one consumer
command: the app rules listed `related: supervisord.conf:5: consumer` twice (field test
kokoalberti/postgis-baselayers, HL304)."""

from __future__ import annotations

from tests.helpers import lint, write_tree

DOCKERFILE = ("FROM python:3.12-slim\nCOPY . /srv\nWORKDIR /srv\nRUN pip install -r requirements.txt\nUSER app\n"
              'CMD ["supervisord", "-n", "-c", "/srv/supervisord.conf"]\n')
APP = ("from huey import RedisHuey\nhuey = RedisHuey('app', host='127.0.0.1')\n\n"
       "@huey.task()\ndef rebuild(key):\n    with huey.lock_task(key):\n        pass\n")
STACK = "services:\n  app:\n    build: .\n    restart: always\n    stop_grace_period: 1m\n"


def test_one_consumer_command_of_two_projects_is_one_related_place(tmp_path):
    write_tree(tmp_path, {
        "Dockerfile": DOCKERFILE, "app.py": APP, "requirements.txt": "huey==3.5.4\n",
        "supervisord.conf": ("[supervisord]\nnodaemon=true\n\n[program:worker]\n"
                             "command=huey_consumer app.huey -w 2 -g TERM -t 25\nstopwaitsecs=30\n"),
        "docker-compose.yml": STACK, "docker-compose-standalone.yml": STACK,
    })
    result = lint(tmp_path)
    assert len(result.project.launches) == 2
    [finding] = [f for f in result.findings if f.rule == "HL304"]
    assert [(r.loc.path, r.loc.line, r.message) for r in finding.related] == [("supervisord.conf", 5, "consumer")]
