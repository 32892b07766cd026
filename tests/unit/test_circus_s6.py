"""circus watchers and s6-overlay services: the model, the rules on them, nested supervision."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint import overlaps
from hueylint.config import Settings
from hueylint.discovery import discover
from hueylint.locations import Loc
from hueylint.model import Hop, Project, Val
from hueylint.parsers.circus import expand
from hueylint.platforms import circus, s6
from hueylint.workspace import Workspace
from tests.helpers import lint, triples, write_tree


def workspace(root: Path) -> Workspace:
    found = discover([root], root, [])
    ws = Workspace(root=root, settings=Settings(root=root.resolve()), others=found.others)
    for item in found.sources:
        ws.sources[item.rel] = item
    return ws


def run(root: Path, files: dict[str, str], config: dict | None = None):
    write_tree(root, files)
    return lint(root, config)


DOCKER = Hop("platform", "docker", Loc("Dockerfile", 12), sends=Val.default("TERM", "Docker default"),
             deadline=Val(60.0, Loc("compose.yaml", 8)))


# -- circus --------------------------------------------------------------------------------------

def test_circus_expansions() -> None:
    assert expand("-w $(circus.env.HUEY_WORKERS)", None) == ("-w ${HUEY_WORKERS}", ["HUEY_WORKERS"])
    assert expand("-w $(circus.env.huey_workers)", {"HUEY_WORKERS": "3"}) == ("-w 3", [])
    assert expand("--id ((circus.wid))", None, wid=2) == ("--id 2", [])


def test_circus_watcher_defaults(tmp_path: Path) -> None:
    result = run(tmp_path, {"circus.ini": "[watcher:huey]\ncmd = huey_consumer\nargs = app.huey -w 2\n"})
    [launch] = result.project.launches
    assert (launch.platform, launch.name, launch.unit) == ("circus", "huey", "circus.ini")
    assert launch.stop_signal.where() == "circus default stop_signal" and launch.stop_signal.value == "TERM"
    assert launch.deadline.value == 30 and launch.deadline.loc.is_default
    assert launch.instances.value == 1 and launch.restart.value is True
    assert launch.options["workers"] == Val(2, Loc("circus.ini", 3, 17, 3, 19))
    assert triples(result, "HL101") == [("HL101", "circus.ini", 2)]
    assert triples(result, "HL102") == []


def test_circus_settings(tmp_path: Path) -> None:
    result = run(tmp_path, {"circus.ini": (
        "[watcher:huey]\ncmd = huey_consumer app.huey -w $(circus.env.WORKERS)\nstop_signal = SIGINT\n"
        "graceful_timeout = 12\nnumprocesses = 2\nrespawn = false\nuid = app\n")}, {"select": ["HL1"]})
    [launch] = result.project.launches
    assert launch.stop_signal == Val("INT", Loc("circus.ini", 3, 15, 3, 21))
    assert launch.deadline.value == 12 and launch.instances.value == 2
    assert launch.restart.value is False and launch.user.value == "app"
    assert not launch.options["workers"].known
    assert triples(result) == [("HL102", "circus.ini", 4), ("HL104", "circus.ini", 2)]


def test_circus_shell_true_is_a_wrapper(tmp_path: Path) -> None:
    result = run(tmp_path, {"circus.ini": (
        "[watcher:huey]\ncmd = cd /srv && huey_consumer app.huey -g TERM -t 25\nshell = True\n")})
    assert triples(result, "HL201") == [("HL201", "circus.ini", 2)]


def test_circus_bad_number_is_hl001(tmp_path: Path) -> None:
    result = run(tmp_path, {"circus.ini": "[watcher:huey]\ncmd = huey_consumer a.huey\ngraceful_timeout = soon\n"})
    assert triples(result, "HL001") == [("HL001", "circus.ini", 3)]


def test_circus_under_a_container(tmp_path: Path) -> None:
    write_tree(tmp_path, {"deploy/circus.ini": "[watcher:huey]\ncmd = huey_consumer a.huey\nstop_signal = INT\n"})
    ws = workspace(tmp_path)
    config = circus.find_config(ws, "/etc/circus/circus.ini")
    assert config is not None and config.rel == "deploy/circus.ini"
    supervised = circus.supervised_launches(ws, Project(str(tmp_path)), config.rel, [DOCKER], "Dockerfile", {})
    [launch] = supervised.launches
    assert [hop.name for hop in launch.chain] == ["docker", "circus"]
    assert launch.stop_signal.value == "INT" and launch.deadline.value == 30
    assert supervised.claims == {"deploy/circus.ini"}
    host = circus.build(ws, Project(str(tmp_path)))
    assert [len(unit.launches()) for unit in host.hosts] == [1]  # built alone, it runs on a host
    assert overlaps.resolve([supervised, host]).launches == [launch]  # claimed: not reported again as a host


# -- s6-overlay ---------------------------------------------------------------------------------

RC = "rootfs/etc/s6-overlay/s6-rc.d/huey/"
RUN_EXEC = "#!/command/with-contenv sh\ncd /app\nexec s6-setuidgid app huey_consumer app.huey -w 4\n"


def test_s6_down_signal_sigint_is_silent(tmp_path: Path) -> None:
    result = run(tmp_path, {RC + "type": "longrun\n", RC + "down-signal": "SIGINT\n", RC + "run": RUN_EXEC},
                 {"longest-task": "2s"})
    assert [f for f in result.findings if f.severity.value in ("error", "warning")] == []
    [launch] = result.project.launches
    assert launch.stop_signal == Val("INT", Loc(RC + "down-signal", 1, 1, 1, 7))
    assert (launch.platform, launch.name, launch.unit) == ("s6", "huey", "rootfs/etc/s6-overlay/s6-rc.d")
    assert launch.loc.path == RC + "run" and launch.loc.line == 3
    assert "the image ENV is not known here" in launch.deadline.where()


def test_s6_without_down_signal_is_hl101_at_the_consumer_line(tmp_path: Path) -> None:
    result = run(tmp_path, {RC + "type": "longrun\n", RC + "run": RUN_EXEC})
    assert triples(result, "HL101") == [("HL101", RC + "run", 3)]
    assert triples(result, "HL102") == [("HL102", RC + "run", 3)]  # 3 s S6_SERVICES_GRACETIME default


def test_s6_run_without_exec_is_hl201_at_its_command(tmp_path: Path) -> None:
    result = run(tmp_path, {RC + "type": "longrun\n", RC + "down-signal": "SIGINT\n",
                            RC + "run": "#!/usr/bin/with-contenv bash\ncd /app\npython manage.py run_huey\n"})
    assert triples(result, "HL201") == [("HL201", RC + "run", 3)]


def test_s6_execline_run_and_legacy_services_d(tmp_path: Path) -> None:
    result = run(tmp_path, {
        RC + "type": "longrun\n", RC + "down-signal": "2\n",
        RC + "run": ("#!/command/execlineb -P\n# comment\nwith-contenv\nimportas -D 4 WORKERS WORKERS\ncd /app\n"
                     "s6-setuidgid app\nhuey_consumer app.huey -w ${WORKERS}\n"),
        "root/etc/services.d/beat/run": "#!/usr/bin/with-contenv bash\nexec huey_consumer app.huey\n",
        "root/etc/services.d/beat/down-signal": "INT\n",
    }, {"longest-task": "2s"})
    names = sorted((launch.name, launch.s6.kind.value, launch.loc.line) for launch in result.project.launches)
    assert names == [("beat", "legacy", 2), ("huey", "s6-rc", 7)]
    assert [f for f in result.findings if f.severity.value in ("error", "warning")] == []
    huey = next(launch for launch in result.project.launches if launch.name == "huey")
    assert [hop.name for hop in huey.chain] == ["s6-overlay", "with-contenv", "s6-setuidgid"]


def test_s6_oneshot_is_not_a_launch_and_bad_files_are_hl001(tmp_path: Path) -> None:
    result = run(tmp_path, {
        "s6-rc.d/migrate/type": "oneshot\n", "s6-rc.d/migrate/run": "#!/bin/sh\nexec huey_consumer a.huey\n",
        "s6-rc.d/huey/down-signal": "SIGNOPE!\n", "s6-rc.d/huey/timeout-down": "soon\n",
        "s6-rc.d/huey/run": "#!/bin/sh\nexec huey_consumer a.huey\n",
    })
    assert [launch.name for launch in result.project.launches] == ["huey"]
    assert triples(result, "HL001") == [("HL001", "s6-rc.d/huey/down-signal", 1),
                                        ("HL001", "s6-rc.d/huey/timeout-down", 1)]
    assert triples(result, "HL101") == []  # an unknown signal: silence


def test_s6_timeout_down_bounds_the_deadline(tmp_path: Path) -> None:
    result = run(tmp_path, {RC + "down-signal": "SIGINT\n", RC + "timeout-down": "1500\n", RC + "run": RUN_EXEC})
    [launch] = result.project.launches
    assert launch.deadline == Val(1.5, Loc(RC + "timeout-down", 1, 1, 1, 5))


@pytest.mark.parametrize(("env", "graceful", "seconds", "where"), [
    ({}, "", 3.0, "S6_SERVICES_GRACETIME=3000 (s6-overlay default)"),
    ({"S6_SERVICES_GRACETIME": "45000"}, "", 45.0, "S6_SERVICES_GRACETIME=45000 in the image ENV"),
    ({"S6_SERVICES_GRACETIME": "45000"}, " -g TERM", 48.0,
     "S6_SERVICES_GRACETIME=45000 in the image ENV + S6_KILL_GRACETIME=3000"),
])
def test_s6_under_a_container_reads_the_image_env(tmp_path: Path, env: dict, graceful: str, seconds: float,
                                                   where: str) -> None:
    write_tree(tmp_path, {RC + "down-signal": "SIGINT\n", RC + "run": RUN_EXEC.replace("-w 4", "-w 4" + graceful)})
    ws = workspace(tmp_path)
    supervised = s6.supervised_launches(ws, Project(str(tmp_path)), "rootfs", [DOCKER], "Dockerfile", env)
    [launch] = supervised.launches
    assert [hop.name for hop in launch.chain][:2] == ["docker", "s6-overlay"]
    assert launch.stop_signal.value == "INT"
    supervisor = launch.chain[1]
    assert supervisor.deadline.value == seconds and supervisor.deadline.where().startswith(where)
    assert launch.deadline.value == min(seconds, 60.0)
    assert supervised.claims == {RC + "run"}
    assert overlaps.resolve([supervised, s6.build(ws, Project(str(tmp_path)))]).launches == [launch]
