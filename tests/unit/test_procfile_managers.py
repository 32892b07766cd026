"""honcho and foreman run a Procfile inside a container (``CMD ["honcho", "start"]``; forego too:
tests/unit/test_procfile.py): its entries are the container's launches (SIGTERM to each process group,
SIGKILL 5 s later), never PaaS process types."""

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
    # honcho's -f is below -d (environ.py Env.procfile): deploy/Procfile.docker, not the root's
    ('["honcho", "-d", "deploy", "-f", "Procfile.docker", "start"]',
     {"deploy/Procfile.docker": PROCFILE, "Procfile.docker": "web: gunicorn app:wsgi\n"}, ["procfile worker compose -> honcho"]),
    ('["foreman", "start", "-t", "30"]', None, ["procfile worker compose -> foreman"]),
    # honcho reads the Procfile's name from PROCFILE (honcho/command.py map_from)
    ('["honcho", "start"]\nENV PROCFILE=deploy/Procfile.docker', {"deploy/Procfile.docker": PROCFILE},
     ["procfile worker compose -> honcho"]),
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


@pytest.mark.parametrize("cmd, instances", [
    ('["foreman", "start", "-m", "all=2"]', {"web": 2, "worker": 2}),
    ('["foreman", "start", "-m", "web=1"]', {"web": 1, "worker": 0}),  # an entry -m does not name: none
    ('["foreman", "start", "-m", "worker=3,all=1"]', {"web": 1, "worker": 3}),
    ('["foreman", "start", "-c", "worker"]', {"worker": 1}),  # foreman's -c is --color; `start NAME`: NAME=1 alone
    ('["honcho", "start", "-c", "all=2"]', {"web": 1, "worker": 1}),  # honcho: `all` is no process
])
def test_foreman_formation_counts_every_entry(tmp_path, cmd: str, instances: dict[str, int]) -> None:
    """foreman's `-m` (engine.rb parse_formation): `all=N` for the entries it does not name, else 0 of them."""
    procfile = "web: huey_consumer app.huey -n\nworker: huey_consumer app.huey -w 2\n"
    result = _tree(tmp_path, cmd, {"Procfile": procfile})
    assert {launch.name: launch.instances.value for launch in result.project.launches} == instances


@pytest.mark.parametrize("entry, hl201", [
    ("huey_consumer app.huey -w 2", False),  # no shell syntax: foreman spawns the consumer itself
    ("cd /srv && huey_consumer app.huey -w 2", True),  # /bin/sh -c gets the SIGTERM, not its child
    ("./worker.sh", True),  # the script stays in between (no exec)
    ("cd /srv && exec huey_consumer app.huey -w 2", False),
])
def test_foreman_signals_the_process_it_spawned_not_its_group(tmp_path, entry: str, hl201: bool) -> None:
    """foreman 0.87-0.90 (engine.rb ``kill_children``): `Process.kill "SIGTERM", *pids`, no process group; honcho
    signals the group (the same entries under honcho have no HL201)."""
    files = {"Procfile": f"worker: {entry}\n", "worker.sh": "#!/bin/sh\nhuey_consumer app.huey -w 2\n"}
    assert (("HL201", "Procfile", 1) in triples(_tree(tmp_path / "f", '["foreman", "start"]', files))) == hl201
    assert ("HL201", "Procfile", 1) not in triples(_tree(tmp_path / "h", '["honcho", "start"]', files))
    message = next(f.message for f in _tree(tmp_path / "m", '["foreman", "start"]', files).findings if f.rule == "HL101")
    assert "(foreman: SIGTERM to each process it started, whatever stops it)" in message


def test_a_shell_in_front_of_honcho_is_named_for_honcho(tmp_path) -> None:
    """`CMD honcho start` (shell form): /bin/sh -c stays in between and keeps compose's SIGTERM from honcho."""
    result = _tree(tmp_path, "honcho start")
    (message,) = [f.message for f in result.findings if f.rule == "HL201"]
    assert message.startswith("`sh -c` stays between the supervisor and `honcho`: `honcho` is not started with `exec`")


def test_a_procfile_a_paas_also_runs_keeps_its_paas_launches(tmp_path) -> None:
    """Heroku's app.json beside the Procfile: the PaaS runs it as well as the container's honcho."""
    result = _tree(tmp_path, '["honcho", "start"]', {"Procfile": PROCFILE, "app.json": '{"name": "shop"}\n'})
    assert _launches(result) == ["procfile worker PaaS (Procfile) -> Procfile command (sh -c)",
                                 "procfile worker compose -> honcho"]


def test_processes_named_by_an_unknown_variable_may_be_any_entry(tmp_path) -> None:
    """`exec honcho start $PROCESSES` with PROCESSES from the deployer: any entry may run, the worker too."""
    files = {"Procfile": PROCFILE, "run.sh": '#!/bin/sh\nexec honcho start $PROCESSES\n'}
    result = _tree(tmp_path, '["/srv/run.sh"]', files)
    assert _launches(result) == ["procfile worker compose -> run.sh"]  # compose -> run.sh -> honcho -> sh -c
