"""HL401 on an ``immediate`` read from the environment, judged with the variables each launch of the app sets
(:attr:`hueylint.model.Launch.environment`): every launch setting them to values that turn it off is no finding;
a launch setting them to a value that turns it on is named with its setting; a launch whose value is not known,
or that sets none of them, keeps the message about the default (tests/unit/test_hl401_env_default.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

APP = {"my_app/__init__.py": "",
       "my_app/main.py": "import os\nfrom huey import RedisHuey\n"
                         "huey = RedisHuey('my_app', immediate=os.environ.get('DJANGO_ENV', 'development') != "
                         "'production')\n"}
UNIT = """[Service]
WorkingDirectory=/srv/app
{line}ExecStart={start}
ExecReload=/bin/kill -HUP $MAINPID
TimeoutStopSec=60
Restart=on-failure
Type=exec
"""
CONSUMER = "/srv/app/venv/bin/huey_consumer my_app.main.huey -g TERM -t 50"
COMPOSE = """services:
  worker:
    build: .
    command: huey_consumer my_app.main.huey -t 50
    stop_signal: SIGINT
    stop_grace_period: 60s
    restart: always
{env}"""
KUBERNETES = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  selector:
    matchLabels: {{app: worker}}
  template:
    metadata:
      labels: {{app: worker}}
    spec:
      terminationGracePeriodSeconds: 60
      containers:
        - name: worker
          image: registry.example.com/app:1
          command: ["huey_consumer", "my_app.main.huey", "-t", "50"]
          env:
            - name: DJANGO_ENV
              value: "{value}"
"""


def _systemd(value: str) -> dict[str, str]:
    return {"huey.service": UNIT.format(line=f"Environment=DJANGO_ENV={value}\n", start=CONSUMER)}


def _environment_file(value: str) -> dict[str, str]:
    return {"huey.service": UNIT.format(line="EnvironmentFile=/srv/app/deploy/app.env\n", start=CONSUMER),
            "deploy/app.env": f"# settings\nDJANGO_ENV={value}\n"}


def _compose(value: str) -> dict[str, str]:
    return {"docker-compose.yml": COMPOSE.format(env=f"    environment:\n      DJANGO_ENV: {value}\n"),
            "Dockerfile": "FROM python:3.12\nCOPY . /app\n"}


def _compose_env_file(value: str) -> dict[str, str]:
    return {"docker-compose.yml": COMPOSE.format(env="    env_file: worker.env\n"),
            "worker.env": f"DJANGO_ENV={value}\n", "Dockerfile": "FROM python:3.12\nCOPY . /app\n"}


def _kubernetes(value: str) -> dict[str, str]:
    return {"k8s/worker.yaml": KUBERNETES.format(value=value)}


def _dockerfile(value: str) -> dict[str, str]:
    return {"Dockerfile": f"FROM python:3.12\nCOPY . /app\nENV DJANGO_ENV={value}\n"
                          'STOPSIGNAL SIGINT\nCMD ["huey_consumer", "my_app.main.huey", "-t", "8"]\n'}


def _script(value: str) -> dict[str, str]:
    return {"huey.service": UNIT.format(line="", start="/srv/app/run-worker.sh"),
            "run-worker.sh": f"#!/bin/sh\nexport DJANGO_ENV={value}\nexec {CONSUMER}\n"}


FORMS = {"systemd Environment=": (_systemd, "huey.service:3"),
         "systemd EnvironmentFile=": (_environment_file, "deploy/app.env:2"),
         "compose environment:": (_compose, "docker-compose.yml:9"),
         "compose env_file:": (_compose_env_file, "worker.env:1"),
         "kubernetes env:": (_kubernetes, "k8s/worker.yaml:19"),
         "Dockerfile ENV": (_dockerfile, "Dockerfile:3"),
         "script export": (_script, "run-worker.sh:2")}


def hl401(root: Path, files: dict[str, str]) -> list[tuple[str, int, str, list[str]]]:
    write_tree(root, {**APP, **files})
    return [(f.loc.path or "", f.loc.line, f.message, [str(r.loc) for r in f.related])
            for f in lint(root).findings if f.rule == "HL401"]


@pytest.mark.parametrize("form", list(FORMS))
def test_each_launch_form(tmp_path: Path, form: str) -> None:
    make, where = FORMS[form]
    # the launch sets the value that turns it off: no finding
    assert hl401(tmp_path / "off", make("production")) == []
    # a value that turns it on: the finding names the launch's setting
    [(path, line, message, related)] = hl401(tmp_path / "on", make("staging"))
    assert (path, line) == ("my_app/main.py", 3)
    assert "`RedisHuey(immediate=...)` is read from environment variable `DJANGO_ENV`, and " in message
    assert f"sets `DJANGO_ENV=staging` ({where}), which makes it true: tasks run inline" in message
    assert "Fix: set `DJANGO_ENV` there to a value that turns it off" in message
    assert related == [where]


def test_a_value_not_known_keeps_the_default_s_message(tmp_path: Path) -> None:
    files = {"docker-compose.yml": COMPOSE.format(env="    environment:\n      DJANGO_ENV: ${STAGE}\n"),
             "Dockerfile": "FROM python:3.12\nCOPY . /app\n"}
    [(_path, _line, message, _related)] = hl401(tmp_path, files)
    assert "and true while it is unset (its default `'development'` makes it so)" in message


def test_every_launch_counts(tmp_path: Path) -> None:
    """Two launches: one turning it off and one setting nothing is the default's message; both off, none."""
    off = UNIT.format(line="Environment=DJANGO_ENV=production\n", start=CONSUMER)
    bare = UNIT.format(line="", start=CONSUMER)
    [(_path, _line, message, _related)] = hl401(tmp_path / "a", {"a.service": off, "b.service": bare})
    assert "wherever `DJANGO_ENV` is not set (the repository sets it for none of: systemd `b.service` (b.service:3)), tasks run inline" in message
    assert hl401(tmp_path / "b", {"a.service": off, "b.service": off}) == []
    staging = UNIT.format(line="Environment=DJANGO_ENV=staging\n", start=CONSUMER)
    [(_path, _line, message, _related)] = hl401(tmp_path / "c", {"a.service": off, "b.service": staging})
    assert "systemd `b.service` sets `DJANGO_ENV=staging` (b.service:3)" in message


@pytest.mark.parametrize(("immediate", "off", "on"), [
    # python-decouple's cast=bool reads the launch's text by its words
    ("config('HUEY_IMMEDIATE', default=True, cast=bool)", "off", "yes"),
    # django-environ's env.bool: int(text) != 0, else its true words
    ("env.bool('HUEY_IMMEDIATE', default=True)", "0", "on"),
    # the variable's text itself: any value set is true, "False" included
    ("os.environ.get('HUEY_IMMEDIATE', '')", None, "False"),
    # a string method and a comparison
    ("os.getenv('HUEY_IMMEDIATE', 'no').lower() in ('1', 'yes')", "No", "YES"),
])
def test_each_reader_parses_the_launch_s_text(tmp_path: Path, immediate: str, off: str | None, on: str) -> None:
    head = "import os\nimport environ\nfrom decouple import config\nfrom huey import RedisHuey\nenv = environ.Env()\n"
    main = {"my_app/main.py": f"{head}huey = RedisHuey('my_app', immediate={immediate})\n"}
    unit = UNIT.format(line="Environment=HUEY_IMMEDIATE={}\n", start=CONSUMER)
    if off is not None:
        assert hl401(tmp_path / "off", {**main, "huey.service": unit.format(off)}) == []
    [(_path, line, message, _related)] = hl401(tmp_path / "on", {**main, "huey.service": unit.format(on)})
    assert line == 6 and f"sets `HUEY_IMMEDIATE={on}` (huey.service:3), which makes it true" in message


def test_django_settings_and_assignment_forms(tmp_path: Path) -> None:
    settings = ("from decouple import config\nINSTALLED_APPS = ['huey.contrib.djhuey']\n"
                "HUEY = {'name': 's', 'immediate': config('EAGER', default=True, cast=bool)}\n")
    files = {"manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n",
             "site_cfg/__init__.py": "", "site_cfg/settings.py": settings}
    start = "/srv/app/venv/bin/python manage.py run_huey -g TERM -t 50"
    assert hl401(tmp_path / "a", {**files, "huey.service": UNIT.format(line="Environment=EAGER=false\n",
                                                                           start=start)}) == []
    [(path, line, message, _r)] = hl401(tmp_path / "b", {**files, "huey.service": UNIT.format(
        line="Environment=EAGER=1\n", start=start)})
    assert (path, line) == ("site_cfg/settings.py", 3)
    assert message.startswith("`HUEY['immediate']` is read from environment variable `EAGER`, and systemd "
                              "`huey.service` sets `EAGER=1` (huey.service:3), which makes it true: tasks run inline "
                              "and `run_huey` refuses to start")
    main = ("import os\nfrom huey import RedisHuey\nhuey = RedisHuey('my_app')\n"
            "huey.immediate = os.environ.get('STAGE', 'local') == 'local'\n")
    assert hl401(tmp_path / "c", {"my_app/main.py": main, "huey.service": UNIT.format(
        line="Environment=STAGE=live\n", start=CONSUMER)}) == []
    [(_p, line, message, _r)] = hl401(tmp_path / "d", {"my_app/main.py": main, "huey.service": UNIT.format(
        line="Environment=STAGE=local\n", start=CONSUMER)})
    assert line == 4 and message.startswith("`huey.immediate` is read from environment variable `STAGE`, and systemd")


def test_the_launches_leaving_it_unset_are_named(tmp_path: Path) -> None:
    """The default turns it on: the message names each launch that sets none of the variables (at the line
    that starts it, where its environment is set), the first three then a count, for the three forms."""
    off = UNIT.format(line="Environment=DJANGO_ENV=production\n", start=CONSUMER)
    bare = UNIT.format(line="", start=CONSUMER)
    units = {"a.service": off, **{f"{name}.service": bare for name in "bcde"}}
    [(_path, _line, message, _related)] = hl401(tmp_path / "a", units)
    assert ("wherever `DJANGO_ENV` is not set (the repository sets it for none of: systemd `b.service` (b.service:3), systemd `c.service` "
            "(c.service:3), systemd `d.service` (d.service:3) and 1 more), tasks run inline") in message
    main = ("import os\nfrom huey import RedisHuey\nhuey = RedisHuey('my_app')\n"
            "huey.immediate = os.environ.get('STAGE', '1') == '1'\n")
    [(_p, line, message, _r)] = hl401(tmp_path / "b", {"my_app/main.py": main, "huey.service": bare})
    assert line == 4 and "wherever `STAGE` is not set (the repository sets it for none of: systemd `huey.service` (huey.service:3)), tasks" in message
    settings = ("import environ\nenv = environ.Env()\nINSTALLED_APPS = ['huey.contrib.djhuey']\n"
                "HUEY = {'name': 's', 'immediate': env.bool('HUEY_IMMEDIATE', default=True)}\n")
    files = {"manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n",
             "site_cfg/__init__.py": "", "site_cfg/settings.py": settings,
             "docker-compose.yml": COMPOSE.replace("huey_consumer my_app.main.huey", "python manage.py run_huey")
             .format(env=""), "Dockerfile": "FROM python:3.12\nCOPY . /app\n"}
    [(_p, line, message, _r)] = hl401(tmp_path / "c", files)
    assert line == 4 and ("wherever `HUEY_IMMEDIATE` is not set (the repository sets it for none of: compose `worker` (docker-compose.yml:2)), "
                          "tasks run inline and `run_huey` refuses to start") in message


def test_no_launch_no_list(tmp_path: Path) -> None:
    """Django settings without a launch in the tree: the default's message as before, no launch named."""
    settings = ("import environ\nenv = environ.Env()\nINSTALLED_APPS = ['huey.contrib.djhuey']\n"
                "HUEY = {'name': 's', 'immediate': env.bool('HUEY_IMMEDIATE', default=True)}\n")
    files = {"manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n",
             "site_cfg/__init__.py": "", "site_cfg/settings.py": settings}
    [(_p, _line, message, _r)] = hl401(tmp_path, files)
    assert "wherever `HUEY_IMMEDIATE` is not set, tasks run inline" in message


def test_the_unset_launches_are_related_locations(tmp_path: Path) -> None:
    off = UNIT.format(line="Environment=DJANGO_ENV=production\n", start=CONSUMER)
    bare = UNIT.format(line="", start=CONSUMER)
    [(_path, _line, _message, related)] = hl401(tmp_path, {"a.service": off, "b.service": bare, "c.service": bare})
    assert related == ["b.service:3", "c.service:3"]


UNREAD_FORMS = {
    "compose env_file:": ({"docker-compose.yml": COMPOSE.format(env="    env_file: deploy/worker.env\n"),
                           "Dockerfile": "FROM python:3.12\nCOPY . /app\n"},
                          "; its `env_file: deploy/worker.env` is not in the repository", "docker-compose.yml:8"),
    "systemd EnvironmentFile=": ({"huey.service": UNIT.format(line="EnvironmentFile=-/etc/app/huey.env\n",
                                                              start=CONSUMER)},
                                 "; its `EnvironmentFile=-/etc/app/huey.env` is not in the repository",
                                 "huey.service:3"),
    "kubernetes envFrom:": ({"k8s/worker.yaml": KUBERNETES.split("          env:\n")[0] +
                             "          envFrom:\n            - configMapRef: {name: app-config}\n"
                             "            - secretRef: {name: app-secrets}\n"},
                            "; its `envFrom: ConfigMap app-config` and `envFrom: Secret app-secrets` are not in the "
                            "repository", "k8s/worker.yaml:19"),
}


@pytest.mark.parametrize("form", list(UNREAD_FORMS))
def test_a_launch_s_variables_kept_out_of_the_repository_are_named(tmp_path: Path, form: str) -> None:
    """The default turns it on and the launch sets none of the variables in the repository, but reads variables
    from a source the repository lacks (a git-ignored env file, a host's EnvironmentFile=, a Secret made with
    kubectl): the finding stays (the default is the mistake) and names that source after the launch's place, with
    a related location at it."""
    files, said, where = UNREAD_FORMS[form]
    [(_path, _line, message, related)] = hl401(tmp_path, files)
    assert said + ")), tasks run inline" in message
    assert where in related
    # a template of the env file in the repository lists its names: what it sets is known to be the deployer's
    if form == "compose env_file:":
        [(_path, _line, message, related)] = hl401(tmp_path / "templated", {
            **files, "deploy/worker.env.example": "REDIS_URL=\n"})
        assert "(docker-compose.yml:2)), tasks run inline" in message and where not in related
