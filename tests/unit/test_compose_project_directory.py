"""Compose resolves a project's relative paths (``build:``, ``env_file:``, bind mounts) against its project
directory: the folder of the first compose file, or the ``--project-directory`` it is run with.  A compose file
the repository's scripts run with one ``--project-directory`` is read so; a build context or Dockerfile that is
not in the repository is a notice (the image, so the consumer it may start, stays unknown), never silence."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, triples, write_tree

DOCKERFILE = "FROM python:3.12\nRUN pip install huey==2.5.2\nCOPY . /srv\nWORKDIR /srv\nUSER 1000\n" \
             'CMD ["huey_consumer", "jobs.huey"]\n'
APP = "from huey import SqliteHuey\nhuey = SqliteHuey(filename='/data/q.db')\n"
COMPOSE = "services:\n  worker:\n    build: ./app\n    restart: always\n"


def _compose_launches(result) -> list[str]:
    return [launch.name for launch in result.project.launches if launch.platform == "compose"]


def _notices(result) -> list[str]:
    return [f"{notice.rel}: {notice.reason}" for notice in result.notices if "build context" in notice.reason
            or "Dockerfile `" in notice.reason]


@pytest.mark.parametrize("script", [
    "#!/bin/sh\ndocker compose --project-directory . -f deploy/base.yml up -d\n",
    "#!/bin/sh\ndocker-compose --project-directory=. --file deploy/base.yml up -d\n",
    # options gathered in a variable first (crazyarms' compose.sh)
    "#!/bin/bash\nARGS='--project-directory .'\nARGS=\"$ARGS -f deploy/base.yml\"\ndocker-compose $ARGS \"$@\"\n",
    # a variable in the path: any compose file there (`for CONF in ...; do ARGS="$ARGS -f deploy/$CONF.yml"`)
    "#!/bin/bash\nfor CONF in base; do ARGS=\"$ARGS -f deploy/${CONF}.yml\"; done\n"
    "docker compose --project-directory . $ARGS up\n",
])
def test_a_project_directory_given_by_a_script(tmp_path: Path, script: str) -> None:
    write_tree(tmp_path, {"app/Dockerfile": DOCKERFILE, "app/jobs.py": APP, "deploy/base.yml": COMPOSE,
                          "run.sh": script})
    result = lint(tmp_path)
    assert _compose_launches(result) == ["worker"]
    assert ("HL101", "deploy/base.yml", 2) in triples(result)
    assert _notices(result) == []


@pytest.mark.parametrize("script", [
    "",  # no script: compose's default, the compose file's folder
    "#!/bin/sh\ndocker compose --project-directory \"$ROOT\" -f deploy/base.yml up\n",  # not known
    # two project directories in one file: neither is taken
    "#!/bin/sh\ndocker compose --project-directory . -f deploy/base.yml up\n"
    "docker compose --project-directory deploy -f deploy/base.yml config\n",
    "#!/bin/sh\necho --project-directory . -f deploy/base.yml\n",  # no compose call
])
def test_otherwise_the_compose_file_folder_and_a_notice(tmp_path: Path, script: str) -> None:
    files = {"app/Dockerfile": DOCKERFILE, "app/jobs.py": APP, "deploy/base.yml": COMPOSE}
    if script:
        files["run.sh"] = script
    write_tree(tmp_path, files)
    result = lint(tmp_path)
    assert _compose_launches(result) == []
    assert _notices(result) == [
        "deploy/base.yml: line 3: the build context `deploy/app` of service `worker` is not in the repository "
        "(compose resolves `./app` against the project directory `deploy`): the image it builds (its command, "
        "STOPSIGNAL, USER) is unknown"]


def test_a_missing_dockerfile_is_a_notice(tmp_path: Path) -> None:
    compose = "services:\n  worker:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile.worker\n"
    write_tree(tmp_path, {"jobs.py": APP, "docker-compose.yml": compose, "requirements.txt": "huey==2.5.2\n"})
    assert _notices(lint(tmp_path)) == [
        "docker-compose.yml: line 4: the Dockerfile `docker/Dockerfile.worker` of service `worker` is not in the "
        "repository (compose resolves `docker/Dockerfile.worker` against the build context `.`): the image it builds "
        "(its command, STOPSIGNAL, USER) is unknown"]


@pytest.mark.parametrize("service, command, noticed", [
    ("db", "", False), ("postgres-main", "", False), ("shop_redis", "", False), ("nginx", "", False),
    ("web", "", True), ("worker", "", True), ("ui-backend", "", True),  # the app's image: it may run the consumer
    ("db", "    command: huey_consumer jobs.huey\n", True),  # named for a server, runs the consumer
    ("redis", "    entrypoint: [\"/srv/start.sh\"]\n", False),
    ("redis", "    entrypoint: [\"python\", \"-m\", \"huey.bin.huey_consumer\", \"jobs.huey\"]\n", True),
    ("redis", "    command: ${REDIS_COMMAND}\n", True),  # not known: it may run the consumer
])
def test_a_missing_build_of_a_server_beside_huey_is_no_notice(tmp_path: Path, service, command, noticed) -> None:
    """A service named for a server a deployment runs beside huey (its database, broker, cache, proxy) runs that
    server from the image it builds, never the consumer, unless its own command says otherwise: a Dockerfile of
    it the repository lacks hides no launch (field: a sample compose file's `postgres`, `redis`, `nginx`)."""
    compose = (f"services:\n  {service}:\n    build:\n      context: .\n      dockerfile: docker/{service}/Dockerfile\n"
               f"{command}")
    write_tree(tmp_path, {"jobs.py": APP, "docker-compose.yml": compose, "requirements.txt": "huey==2.5.2\n"})
    assert _notices(lint(tmp_path)) == ([
        f"docker-compose.yml: line 4: the Dockerfile `docker/{service}/Dockerfile` of service `{service}` is not in "
        f"the repository (compose resolves `docker/{service}/Dockerfile` against the build context `.`): the image it "
        "builds (its command, STOPSIGNAL, USER) is unknown"] if noticed else [])


def test_an_existing_build_says_nothing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app/Dockerfile": DOCKERFILE, "app/jobs.py": APP, "docker-compose.yml": COMPOSE})
    result = lint(tmp_path)
    assert _compose_launches(result) == ["worker"] and _notices(result) == []


@pytest.mark.parametrize(("files", "launches"), [
    ({"dockerfile": DOCKERFILE}, ["worker"]),  # Docker's fallback to the lowercase name
    ({"Dockerfile": DOCKERFILE, "dockerfile": "FROM python:3.12\nCMD [\"gunicorn\", \"app:wsgi\"]\n"}, ["worker"]),
    ({"DockerFile": DOCKERFILE}, []),  # no other spelling: a notice
])
def test_a_lowercase_dockerfile_is_built_when_there_is_no_dockerfile(tmp_path: Path, files: dict[str, str],
                                                                    launches: list[str]) -> None:
    """docker build, BuildKit and buildx build `dockerfile` when the default `Dockerfile` is missing (moby/moby#10858,
    moby/buildkit#1816, docker/buildx#444): its CMD is what the service runs."""
    write_tree(tmp_path, {**{f"app/{name}": text for name, text in files.items()}, "app/jobs.py": APP,
                          "docker-compose.yml": COMPOSE})
    result = lint(tmp_path)
    assert _compose_launches(result) == launches
    assert bool(_notices(result)) == (not launches)
