"""A compose file named for production that overrides the folder's base file: production runs base + that file,
so the base alone (what `docker compose up` runs on a developer's machine) is not judged as a deployment; and a
file that only swaps the base's build for a registry image, leaving the commands to the base, is such an
override, never a stack of its own."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import lint, triples, write_tree

APP = "from huey import SqliteHuey\nhuey = SqliteHuey(filename='/data/q.db')\n"
DOCKERFILE = "FROM python:3.12\nRUN pip install huey==2.5.2\nCOPY . /srv\nWORKDIR /srv\nUSER 1000\n"
BASE = ("services:\n  web:\n    build: .\n    command: gunicorn app:wsgi\n"
        "  worker:\n    build: .\n    command: huey_consumer jobs.huey\n")
PARTIAL = "services:\n  worker:\n    restart: always\n    stop_signal: SIGINT\n    stop_grace_period: 60s\n"
STOP_RULES = {"HL101", "HL102", "HL203"}


def projects(result) -> dict[str, bool]:
    """Each compose launch's project (how its files were combined) -> whether it is a development launch."""
    return {launch.compose.project.value: launch.dev for launch in result.project.launches if launch.compose}


def rules(result) -> set[str]:
    return {rule for rule, _path, _line in triples(result)}


def test_a_partial_production_override_supersedes_the_base_alone(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "Dockerfile": DOCKERFILE, "docker-compose.yml": BASE,
                          "docker-compose.prod.yml": PARTIAL})
    result = lint(tmp_path)
    assert not rules(result) & STOP_RULES
    assert sorted(projects(result).values()) == [False, True]  # base + prod judged, the base alone local


def test_an_override_not_named_for_production_leaves_the_base_alone_judged(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "Dockerfile": DOCKERFILE, "docker-compose.yml": BASE,
                          "docker-compose.swarm.yml": PARTIAL})
    assert rules(lint(tmp_path)) >= STOP_RULES  # the base alone, with compose's defaults


def test_a_script_running_the_base_alone_keeps_it_judged(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "Dockerfile": DOCKERFILE, "docker-compose.yml": BASE,
                          "docker-compose.prod.yml": PARTIAL,
                          "deploy.sh": "#!/bin/sh\ndocker compose -f docker-compose.yml up -d\n"})
    assert rules(lint(tmp_path)) >= STOP_RULES


def test_a_script_combining_base_and_prod_supersedes_the_base_alone(tmp_path: Path) -> None:
    """A production file with services of its own (an nginx): the repository's deploy script combines it."""
    prod = PARTIAL + "  nginx:\n    image: nginx:1.27\n"
    write_tree(tmp_path, {"jobs.py": APP, "Dockerfile": DOCKERFILE, "docker-compose.yml": BASE,
                          "docker-compose.prod.yml": prod,
                          "deploy.sh": "#!/bin/sh\ndocker compose -f docker-compose.yml -f docker-compose.prod.yml up -d\n"})
    assert not rules(lint(tmp_path)) & STOP_RULES


def test_an_image_swapping_file_is_an_override(tmp_path: Path) -> None:
    prod = ("services:\n  web:\n    image: registry.example.com/app\n  worker:\n    image: registry.example.com/app\n"
            "    restart: always\n    stop_signal: SIGINT\n    stop_grace_period: 60s\n")
    write_tree(tmp_path, {"jobs.py": APP, "Dockerfile": DOCKERFILE, "docker-compose.yml": BASE,
                          "docker-compose.prod.yml": prod})
    result = lint(tmp_path)
    assert any("leaves their commands to it" in how for how in projects(result))
    assert not rules(result) & STOP_RULES


def test_a_production_file_that_builds_is_a_stack_of_its_own(tmp_path: Path) -> None:
    """compose.prod.yaml with `build: .` and no command runs the image's own CMD: an alternative stack, judged
    alone (the base's development command does not leak into it)."""
    prod = "services:\n  worker:\n    build: .\n    restart: always\n"
    write_tree(tmp_path, {"jobs.py": APP, "Dockerfile": DOCKERFILE + 'CMD ["huey_consumer", "jobs.huey"]\n',
                          "docker-compose.yml": BASE, "docker-compose.prod.yml": prod})
    result = lint(tmp_path)
    assert "a compose file of its own (an alternative project)" in projects(result)


def test_an_override_in_a_folder_below_the_base_is_combined_with_it(tmp_path: Path) -> None:
    """`deploy/docker-compose.prod.yml` with services compose cannot run alone (no image, no build), all of them the
    root base file's: `-f docker-compose.yml -f deploy/docker-compose.prod.yml`, never a project of its own."""
    write_tree(tmp_path, {"jobs.py": APP, "Dockerfile": DOCKERFILE, "docker-compose.yml": BASE,
                          "deploy/docker-compose.prod.yml": PARTIAL})
    result = lint(tmp_path)
    assert not rules(result) & STOP_RULES
    assert sorted(projects(result).items()) == [
        ("`deploy/docker-compose.prod.yml` only extends services of `docker-compose.yml` (compose cannot run it "
         "alone)", False), ("compose default: the base file", True)]


def test_a_partial_file_whose_services_the_base_above_lacks_stays_alone(tmp_path: Path) -> None:
    other = "services:\n  beat:\n    restart: always\n    command: huey_consumer jobs.huey\n"
    write_tree(tmp_path, {"jobs.py": APP, "Dockerfile": DOCKERFILE, "docker-compose.yml": BASE,
                          "deploy/docker-compose.prod.yml": other})
    assert "a compose file of its own (an alternative project)" in projects(lint(tmp_path))


def test_a_test_stack_named_for_production_data_leaves_the_base_alone_judged(tmp_path: Path) -> None:
    """`.circleci/docker-compose.test-prod-db.yaml` (netsec-ethz/scionlab), combined with the base by the CI
    configuration, says "prod" but is a test stack: the base alone stays a deployment."""
    write_tree(tmp_path, {"jobs.py": APP, "Dockerfile": DOCKERFILE, "docker-compose.yml": BASE,
                          "docker-compose.test-prod-db.yml": PARTIAL,
                          "deploy.sh": "#!/bin/sh\ndocker compose -f docker-compose.yml -f docker-compose.test-prod-db.yml up\n"})
    assert rules(lint(tmp_path)) >= STOP_RULES


def test_an_override_in_a_dev_container_folder_is_development(tmp_path: Path) -> None:
    """`.devcontainer/docker-compose.vscode.yml` over the root base (AngellusMortis/boundlexx): VS Code's Dev
    Containers stack is development, whatever its services run."""
    vscode = "services:\n  web2:\n    command: sleep infinity\n  worker:\n    environment:\n      DEBUG: '1'\n"
    write_tree(tmp_path, {"jobs.py": APP, "Dockerfile": DOCKERFILE, "docker-compose.yml": BASE.replace(
        "  worker:", "  web2:\n    build: .\n    command: python manage.py runserver\n  worker:"),
        ".devcontainer/docker-compose.vscode.yml": vscode})
    dev = {project: launch_dev for project, launch_dev in projects(lint(tmp_path)).items() if "vscode" in project}
    assert list(dev.values()) == [True]


def test_an_override_merges_its_build_keys_into_the_base_build(tmp_path: Path) -> None:
    """compose merges `build:` key by key: an override that sets only `target:` (and `cache_from:`) builds the
    base file's context and Dockerfile at that stage, whose CMD starts the consumer (yolo's swarm override).
    Before, the override's mapping alone was read, as `context: .` and `Dockerfile`, which the repository lacks."""
    dockerfile = ("FROM python:3.12 AS development\nRUN pip install huey==2.5.2\nCOPY . /srv\nWORKDIR /srv\n"
                  'CMD ["sleep", "infinity"]\n\nFROM development AS production\nUSER 1000\n'
                  'CMD ["huey_consumer", "jobs.huey"]\n')
    base = ("services:\n  worker:\n    build:\n      context: ./app\n      dockerfile: ../docker/Dockerfile\n"
            "      target: development\n")
    prod = ("services:\n  worker:\n    build:\n      target: production\n      cache_from:\n        - registry/app\n"
            "    restart: always\n")
    deploy = "#!/bin/sh\ndocker compose -f docker-compose.yml -f docker-compose.prod.yml up -d\n"
    write_tree(tmp_path, {"app/jobs.py": APP, "docker/Dockerfile": dockerfile, "docker-compose.yml": base,
                          "docker-compose.prod.yml": prod, "deploy.sh": deploy})
    result = lint(tmp_path)
    assert [launch.name for launch in result.project.launches if launch.compose] == ["worker"]
    assert ("HL101", "docker-compose.yml", 2) in triples(result)
    assert not [notice for notice in result.notices if "not in the repository" in notice.reason]
