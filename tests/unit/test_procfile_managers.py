"""honcho and foreman run a Procfile inside a container (forego too: tests/unit/test_procfile.py) (``CMD ["honcho", "start"]``): its entries are the
container's launches (SIGTERM to each process group, SIGKILL 5 s later), never PaaS process types."""

from __future__ import annotations

import pytest

from tests.helpers import lint, triples, write_tree

APP = ("from huey import RedisHuey, crontab\nfrom huey.signals import SIGNAL_INTERRUPTED\n"
       "huey = RedisHuey(url='redis://redis')\n\n@huey.periodic_task(crontab())\ndef beat():\n    pass\n\n"
       "@huey.signal(SIGNAL_INTERRUPTED)\ndef requeue(signal, task, exc=None):\n    huey.enqueue(task)\n")
PROCFILE = "web: gunicorn app:wsgi\nworker: huey_consumer app.huey -w 2\n"


def _tree(tmp_path, cmd: str, files: dict[str, str] | None = None, huey: str = "2.5.3"):
    write_tree(tmp_path, {
        "Dockerfile": f"FROM python:3.12\nWORKDIR /srv\nCOPY . /srv\nUSER app\nCMD {cmd}\n",
        "compose.yaml": "services:\n  app:\n    build: .\n    restart: always\n    stop_grace_period: 60s\n",
        "app.py": APP, "requirements.txt": f"huey=={huey}\nhoncho==2.0.0\n", **(files or {"Procfile": PROCFILE})})
    return lint(tmp_path)


def _launches(result) -> list[str]:
    return sorted(f"{launch.platform} {launch.name} {' -> '.join(hop.name for hop in launch.chain[:2])}"
                  for launch in result.project.launches)


def test_honcho_in_the_image_runs_the_procfile(tmp_path) -> None:
    result = _tree(tmp_path, '["honcho", "start"]')
    assert _launches(result) == ["procfile worker compose -> honcho"]
    (launch,) = result.project.launches
    assert (launch.stop_signal.value, launch.deadline.value, launch.paas) == ("TERM", 5.0, False)
    # SIGTERM whatever compose sends, and honcho's 5 s (not compose's 60 s): no PaaS wording
    assert triples(result) == [("HL101", "Procfile", 2), ("HL102", "Procfile", 2), ("HL402", "app.py", 3)]
    message = next(f.message for f in result.findings if f.rule == "HL101")
    assert message.startswith("honcho (inside compose) stops `worker` with SIGTERM (honcho sends SIGTERM to each "
                              "entry's process group)")


@pytest.mark.parametrize("cmd, files, launches", [
    ('["honcho", "start", "web"]', None, []),  # only web: the worker entry never starts
    ('["honcho", "start", "web", "worker"]', None, ["procfile worker compose -> honcho"]),
    ('["honcho", "-f", "deploy/Procfile.docker", "start"]',
     {"deploy/Procfile.docker": PROCFILE, "Procfile": "web: gunicorn app:wsgi\n"}, ["procfile worker compose -> honcho"]),
    ('["honcho", "start", "-d", "deploy"]', {"deploy/Procfile": PROCFILE}, ["procfile worker compose -> honcho"]),
    ('["foreman", "start", "-t", "30"]', None, ["procfile worker compose -> foreman"]),
])
def test_processes_and_procfile_chosen_by_the_command(tmp_path, cmd, files, launches) -> None:
    result = _tree(tmp_path, cmd, files)
    assert _launches(result) == launches
    assert not any(launch.paas for launch in result.project.launches)


def test_foreman_timeout_is_the_deadline(tmp_path) -> None:
    result = _tree(tmp_path, '["foreman", "start", "-t", "30"]', huey="3.5.0")
    (launch,) = result.project.launches
    assert (launch.deadline.value, launch.deadline.loc.path, launch.deadline_configurable) == (30.0, "Dockerfile", True)


def test_concurrency_runs_several_periodic_enqueuers(tmp_path) -> None:
    result = _tree(tmp_path, '["honcho", "start", "-c", "worker=2"]')
    (launch,) = result.project.launches
    assert launch.instances.value == 2
    assert ("HL301", "Procfile", 2) in triples(result)
    assert not any(f.rule == "HL301" for f in _tree(tmp_path / "zero", '["honcho", "start", "-c", "worker=0"]').findings)


@pytest.mark.parametrize("cmd", ['["gunicorn", "app:wsgi"]', '["honcho", "run", "gunicorn", "app:wsgi"]'])
def test_a_procfile_no_container_runs_stays_a_paas_procfile(tmp_path, cmd: str) -> None:
    """`honcho run CMD` runs one command with the Procfile's environment, not its processes."""
    result = _tree(tmp_path, cmd)
    assert _launches(result) == ["procfile worker PaaS (Procfile) -> Procfile command (sh -c)"]
    assert result.project.launches[0].paas
