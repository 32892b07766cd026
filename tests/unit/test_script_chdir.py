"""The folder a script's ``cd`` moves to before the consumer: huey_consumer imports the app from its working
directory, so ``cd backend && huey_consumer app.tasks.huey`` runs ``backend/app/tasks.py`` (field test
mariusandra/frameos: `cd backend && ... huey_consumer.py app.huey.huey` in the image's start script and the
Procfile; the app was not found, so HL105 and HL402 on it were missed)."""

from __future__ import annotations

import pytest

from tests.helpers import lint, triples, write_tree

APP = ("from huey import RedisHuey\n\nhuey = RedisHuey('shop', host='redis')\n\n\n"
       "@huey.task()\ndef ping():\n    print('pong')\n")
BASE = {"backend/app/__init__.py": "", "backend/app/tasks.py": APP, "requirements.txt": "huey==2.5.3\n"}
DOCKERFILE = "FROM python:3.12\nWORKDIR /srv/shop\nCOPY . .\nCMD [\"./start.sh\"]\n"


def launch_of(tmp_path, files):
    write_tree(tmp_path, {**BASE, **files})
    result = lint(tmp_path)
    [launch] = result.project.launches
    return result, launch


def chdir(launch):
    value = launch.chdir
    return None if value is None else (value.value, value.loc.path, value.loc.line) if value.known else \
        ("unknown", value.unknown)


@pytest.mark.parametrize("files, expected", [
    # a Procfile entry's `sh -c`
    ({"Procfile": "worker: cd backend && huey_consumer app.tasks.huey -w 2\n"}, ("backend", "Procfile", 1)),
    # a start script, relative to the image's WORKDIR; `cd` lines add up
    ({"Dockerfile": DOCKERFILE, "start.sh": "#!/bin/sh\ncd backend\ncd app/..\nexec huey_consumer app.tasks.huey\n"},
     ("backend", "start.sh", 3)),
    # an absolute folder replaces what came before, mapped into the repository by its tail
    ({"Dockerfile": DOCKERFILE, "start.sh": "#!/bin/sh\ncd /tmp\npushd /srv/shop/backend\n"
                                           "exec huey_consumer app.tasks.huey\n"}, ("/srv/shop/backend", "start.sh", 3)),
    # a script run from the folder another script moved to
    ({"Procfile": "worker: cd backend && ./run.sh\n", "backend/run.sh": "#!/bin/sh\nexec huey_consumer app.tasks.huey\n"},
     ("backend", "Procfile", 1)),
])
def test_the_app_is_imported_from_the_folder_cd_moved_to(tmp_path, files, expected):
    result, launch = launch_of(tmp_path, files)
    assert chdir(launch) == expected
    assert launch.app_key is not None and ":backend/app/tasks.py:" in launch.app_key.value
    assert ("HL105", "backend/app/tasks.py", 3) in triples(result)


@pytest.mark.parametrize("script", [
    "#!/bin/sh\n(cd frontend && npm run build)\nexec huey_consumer app.tasks.huey\n",  # a subshell's own folder
    "#!/bin/sh\ncd frontend | cat\nexec huey_consumer app.tasks.huey\n",  # a pipeline's part runs in a subshell
    "#!/bin/sh\nbuild() {\n  cd frontend\n}\nexec huey_consumer app.tasks.huey\n",  # a function never called
])
def test_a_cd_in_another_shell_does_not_count(tmp_path, script):
    _result, launch = launch_of(tmp_path, {"Dockerfile": DOCKERFILE, "start.sh": script})
    assert launch.chdir is None


def test_a_cd_in_another_clause_does_not_count(tmp_path):
    script = ('#!/bin/sh\nif [ "$ROLE" = web ]; then\n  cd frontend\n  exec gunicorn shop.wsgi\nelse\n'
              '  cd backend\n  exec huey_consumer app.tasks.huey\nfi\n')
    _result, launch = launch_of(tmp_path, {"Dockerfile": DOCKERFILE, "start.sh": script})
    assert chdir(launch) == ("backend", "start.sh", 6)


@pytest.mark.parametrize("move, why", [
    ('cd "$APP_HOME"', '`cd $APP_HOME` goes to a folder the code does not write'),
    ("cd", "`cd` goes to a folder the code does not write"),
    ("cd ~/shop", "`cd ~/shop` goes to a folder the code does not write"),
    ("pushd backend >/dev/null\npopd", "`popd` goes to a folder the code does not write"),
])
def test_a_folder_the_code_does_not_write_is_unknown(tmp_path, move, why):
    script = f"#!/bin/sh\n{move}\nexec huey_consumer app.tasks.huey\n"
    _result, launch = launch_of(tmp_path, {"Dockerfile": DOCKERFILE, "start.sh": script})
    assert chdir(launch) == ("unknown", why)


def test_an_absolute_cd_after_an_unknown_one_is_known_again(tmp_path):
    script = '#!/bin/sh\ncd "$HOME"\ncd /srv/shop/backend\nexec huey_consumer app.tasks.huey\n'
    _result, launch = launch_of(tmp_path, {"Dockerfile": DOCKERFILE, "start.sh": script})
    assert chdir(launch) == ("/srv/shop/backend", "start.sh", 3)


@pytest.mark.parametrize("move", ['cd "$(dirname "$0")"', "cd `dirname $0`", 'cd "$(dirname -- "${BASH_SOURCE[0]}")"'])
def test_a_script_that_goes_to_its_own_folder(tmp_path, move):
    """``cd "$(dirname "$0")"``: the folder of the script as it was run (``$0``), where the app is imported from
    (field test isoboroff/submit-system's start script; the folder was unknown before)."""
    dockerfile = DOCKERFILE.replace('CMD ["./start.sh"]', 'CMD ["/srv/shop/backend/run.sh"]')
    script = f"#!/bin/bash\nset -e\n{move}\nexec huey_consumer app.tasks.huey -w 2\n"
    result, launch = launch_of(tmp_path, {"Dockerfile": dockerfile, "backend/run.sh": script})
    assert chdir(launch) == ("/srv/shop/backend", "backend/run.sh", 3)
    assert launch.app_key is not None and ":backend/app/tasks.py:" in launch.app_key.value
    assert ("HL105", "backend/app/tasks.py", 3) in triples(result)
