"""s6-overlay's ``/init`` with arguments runs them as the container's CMD (field test: asharma-ror/yolo, an image
with ``ENTRYPOINT ["/init"]`` whose compose services give ``python manage.py run_huey`` as the command): the CMD
is a launch behind ``/init``, which stops it itself (SIGTERM once its services are down, SIGKILL
``S6_KILL_GRACETIME`` later) unless ``S6_CMD_RECEIVE_SIGNALS`` passes it the container's signals."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

DOCKERFILE = ("FROM python:3.12-slim\nRUN pip install huey==3.5.4 redis\nWORKDIR /srv\nCOPY . .\n{env}"
              "USER 1000\nENTRYPOINT [\"/init\"]\n{cmd}")
APP = "from huey import RedisHuey\nhuey = RedisHuey('app', host='127.0.0.1')\n"
HANDLER = ("from huey import signals\n\n@huey.signal(signals.SIGNAL_INTERRUPTED)\n"
           "def requeue(signal, task, exc=None):\n    huey.enqueue(task)\n")


def run(tmp_path: Path, files: dict[str, str]):
    write_tree(tmp_path, {"app.py": APP + HANDLER, **files})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return lint(tmp_path)


def stop(result) -> list[tuple[str, str, object, object]]:
    """(platform, chain, stop signal, kill deadline) of each launch."""
    return [(launch.platform, " > ".join(hop.name for hop in launch.chain), launch.stop_signal.value,
             launch.deadline.value) for launch in result.project.launches]


def test_the_cmd_of_an_init_image_is_a_launch_stopped_by_init(tmp_path: Path) -> None:
    result = run(tmp_path, {"Dockerfile": DOCKERFILE.format(env="", cmd='CMD ["huey_consumer", "app.huey", "-t", "1"]\n')})
    assert stop(result) == [("s6", "docker > /init (s6-overlay)", "TERM", 3.0)]
    assert [(f.rule, f.loc.line) for f in result.findings if f.rule in ("HL101", "HL102")] == \
        [("HL101", 7), ("HL102", 7)]
    assert result.project.dropped == []  # followed: no "names a consumer but starts none"


@pytest.mark.parametrize("env, expected", [
    # the image's S6_KILL_GRACETIME is the deadline /init gives its CMD (the container's 10 s still bound it)
    ("ENV S6_KILL_GRACETIME=8000\n", ("s6", "docker > /init (s6-overlay)", "TERM", 8.0)),
    ("ENV S6_KILL_GRACETIME=60000\n", ("s6", "docker > /init (s6-overlay)", "TERM", 10.0)),
    # the container's signals go to the CMD: the image's STOPSIGNAL and the container's deadline
    ("ENV S6_CMD_RECEIVE_SIGNALS=1\nSTOPSIGNAL SIGINT\n", ("s6", "docker > /init (s6-overlay)", "INT", 10.0)),
    ("ENV S6_CMD_RECEIVE_SIGNALS=0\nSTOPSIGNAL SIGINT\n", ("s6", "docker > /init (s6-overlay)", "TERM", 3.0)),
])
def test_the_images_environment_decides_how_init_stops_its_cmd(tmp_path: Path, env: str, expected: tuple) -> None:
    result = run(tmp_path, {"Dockerfile": DOCKERFILE.format(env=env, cmd='CMD ["huey_consumer", "app.huey"]\n')})
    assert stop(result) == [expected]


def test_a_compose_service_gives_the_init_image_its_cmd(tmp_path: Path) -> None:
    """The compose command replaces the image's CMD and keeps its ENTRYPOINT: `/init huey_consumer ...`, a launch
    named for the service; the service's environment reaches /init."""
    compose = ("services:\n  worker:\n    build: .\n    command: huey_consumer app.huey -w 4\n    restart: always\n"
               "  relayed:\n    build: .\n    command: huey_consumer app.huey -n -g TERM -t 20\n"
               "    environment:\n      S6_CMD_RECEIVE_SIGNALS: '1'\n    stop_grace_period: 30s\n    restart: always\n")
    result = run(tmp_path, {"Dockerfile": DOCKERFILE.format(env="", cmd='CMD ["gunicorn", "app:wsgi"]\n'),
                            "compose.yaml": compose})
    assert sorted((launch.name, launch.stop_signal.value, launch.deadline.value)
                  for launch in result.project.launches) == [("relayed", "TERM", 30.0), ("worker", "TERM", 3.0)]
    assert sorted((f.rule, f.loc.line) for f in result.findings) == [("HL101", 4), ("HL102", 4), ("HL104", 4)]


def test_init_without_arguments_runs_no_cmd(tmp_path: Path) -> None:
    """`/init` alone (services only): nothing to follow but its service tree, and no launch here."""
    result = run(tmp_path, {"Dockerfile": DOCKERFILE.format(env="", cmd="")})
    assert result.project.launches == []
