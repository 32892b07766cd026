"""Each launch and app runs the huey of the dependency files nearest to its service folder."""

from __future__ import annotations

import pytest

from hueylint.hueyfacts import CONFIG_KEYS_BY_VERSION, SPECS, option_since
from tests.helpers import lint, write_tree

UNIT = """[Service]
User=app
Restart=always
ExecReload=/bin/kill -HUP $MAINPID
KillSignal=SIGINT
TimeoutStopSec=60
ExecStart=/v/huey_consumer {app}.huey -w 2 {options}
"""


def test_a_pin_in_another_service_does_not_judge_this_one(git_repo):
    write_tree(git_repo, {
        "requirements.txt": "huey==3.0.0\n",  # the repository's own: the services' files are nearer
        "a/requirements.txt": "huey==2.5.0\n",
        "a/huey-a.service": UNIT.format(app="app_a", options="-t 50"),
        "a/app_a/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('a')\n",
        "b/requirements.txt": "huey==3.5.4\n",
        "b/huey-b.service": UNIT.format(app="app_b", options="-g INT -t 50"),
        "b/app_b/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('b')\n",
    })
    result = lint(git_repo)
    problems = [(f.rule, f.loc.path, f.message) for f in result.findings if f.rule == "HL002"]
    assert problems == [("HL002", "a/huey-a.service",
                         "`-t/--shutdown-timeout` needs huey 3.4.0 or newer, but this launch runs huey 2.5.0 "
                         "(pinned in a/requirements.txt:1). Fix: upgrade huey to 3.4.0 or newer where the launch's "
                         "version comes from, or drop `-t/--shutdown-timeout`")]
    versions = {launch.name: launch.huey_version.describe() for launch in result.project.launches}
    assert versions == {"huey-a.service": "huey 2.5.0 (pinned in a/requirements.txt:1)",
                        "huey-b.service": "huey 3.5.4 (pinned in b/requirements.txt:1)"}


@pytest.mark.parametrize(("files", "message"), [
    pytest.param({  # no dependency file in deploy/: the repository's, a range read as pip reads it
        "requirements.txt": "huey>=2.0,<3\n",
        "deploy/huey.service": UNIT.format(app="app", options="-g TERM"),
        "app/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('a')\n",
    }, "`-g/--graceful-signal` needs huey 3.4.0 or newer, but this launch runs huey 2.6.0 "
       "(the newest release `huey>=2.0,<3` allows, requirements.txt:1)", id="repository-fallback"),
    pytest.param({  # the compose service's build context has its own requirements
        "requirements.txt": "huey==3.5.4\n",  # the web app's, at the root
        "compose.yaml": "services:\n  worker:\n    build: worker/\n    restart: always\n"
                        "    stop_grace_period: 60s\n",
        "worker/Dockerfile": 'FROM python:3.12\nCOPY . /app\nSTOPSIGNAL SIGINT\n'
                             'CMD ["huey_consumer", "tasks.huey", "-t", "50"]\n',
        "worker/requirements.txt": "huey~=2.5.0\n",
        "worker/tasks.py": "from huey import RedisHuey\nhuey = RedisHuey('w')\n",
    }, "`-t/--shutdown-timeout` needs huey 3.4.0 or newer, but this launch runs huey 2.5.5 "
       "(the newest release `huey~=2.5.0` allows, worker/requirements.txt:1)", id="build-context"),
    pytest.param({  # the image installs its own huey: the Dockerfile's pip install is the nearest
        "requirements.txt": "huey==3.5.4\n",
        "worker/Dockerfile": 'FROM python:3.12\nRUN pip install "huey[redis]==2.6.0"\nSTOPSIGNAL SIGINT\n'
                             'CMD ["huey_consumer", "tasks.huey", "-g", "INT"]\n',
        "worker/tasks.py": "from huey import RedisHuey\nhuey = RedisHuey('w')\n",
    }, "`-g/--graceful-signal` needs huey 3.4.0 or newer, but this launch runs huey 2.6.0 "
       "(pinned in worker/Dockerfile:2)", id="dockerfile-pip-install"),
    pytest.param({  # a configured version applies everywhere and is named as configured, not as a pin
        "hueylint.toml": 'huey-version = "3.3"\n',
        "b/requirements.txt": "huey==3.5.4\n",
        "b/huey-b.service": UNIT.format(app="app_b", options="-t 50"),
        "b/app_b/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('b')\n",
    }, "`-t/--shutdown-timeout` needs huey 3.4.0 or newer, but this launch runs huey 3.3 "
       "(configured `huey-version`)", id="configured"),
])
def test_hl002_names_where_the_version_comes_from(git_repo, files, message):
    write_tree(git_repo, files)
    fix = f". Fix: upgrade huey to 3.4.0 or newer where the launch's version comes from, or drop `{message.split('`')[1]}`"
    assert [f.message for f in lint(git_repo).findings if f.rule == "HL002"] == [message + fix]


def test_app_rules_read_the_version_of_the_app_folder(git_repo):
    # SignedSerializer exists since 2.1.1: the old service gets no HL402, the new one does
    app = "import os\nfrom huey import RedisHuey\nhuey = RedisHuey('x', host=os.getenv('REDIS'))\n"
    write_tree(git_repo, {
        "old/requirements.txt": "huey==2.0.1\n",
        "old/huey.service": UNIT.format(app="old_app", options=""),
        "old/old_app/__init__.py": app,
        "new/requirements.txt": "huey>=2.0\n",
        "new/huey.service": UNIT.format(app="new_app", options=""),
        "new/new_app/__init__.py": app,
    })
    result = lint(git_repo)
    assert sorted(f.loc.path for f in result.findings if f.rule == "HL402") == ["new/new_app/__init__.py"]


def test_option_history_has_one_source():
    assert dict(CONFIG_KEYS_BY_VERSION)["shutdown_timeout"] == option_since("shutdown_timeout") == (3, 4, 0)
    assert {key for key, _ in CONFIG_KEYS_BY_VERSION} == {spec.dest for spec in SPECS if spec.until is None}
