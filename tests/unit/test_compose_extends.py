"""compose's ``extends:``: a service takes the extended service's definition (this file's, or ``file:``'s), its
own keys on top (compose file reference, "extends")."""

from __future__ import annotations

import pytest

from tests.helpers import lint, triples, write_tree

APP = ("from huey import RedisHuey\nfrom huey.signals import SIGNAL_INTERRUPTED\n"
       "huey = RedisHuey(url='redis://redis')\n\n@huey.task()\ndef work():\n    pass\n\n"
       "@huey.signal(SIGNAL_INTERRUPTED)\ndef requeue(signal, task, exc=None):\n    huey.enqueue(task)\n")
BASE = "    build: .\n    restart: always\n    stop_signal: SIGINT\n    stop_grace_period: 90s\n"


def _lint(tmp_path, files: dict[str, str]):
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.12\nCOPY . /app\nWORKDIR /app\nUSER app\n", "app.py": APP,
                          "requirements.txt": "huey==2.5.3\n", **files})
    return lint(tmp_path)


@pytest.mark.parametrize("files", [
    {"compose.yml": f"services:\n  base:\n{BASE}    profiles: [never]\n  worker:\n    extends: base\n"
                    "    command: huey_consumer app.huey -w 2\n"},
    {"compose.yml": f"services:\n  base:\n{BASE}  worker:\n    extends:\n      service: base\n"
                    "    command: huey_consumer app.huey -w 2\n"},
    {"common.yml": f"services:\n  base:\n{BASE}",
     "compose.yml": "services:\n  worker:\n    extends:\n      file: common.yml\n      service: base\n"
                    "    command: huey_consumer app.huey -w 2\n"},
    # two levels: worker extends mid, which extends base in another file
    {"common.yml": f"services:\n  base:\n{BASE}",
     "compose.yml": "services:\n  mid:\n    extends: {file: common.yml, service: base}\n    command: 'true'\n"
                    "  worker:\n    extends: mid\n    command: huey_consumer app.huey -w 2\n"},
])
def test_the_extended_service_gives_stop_settings_and_restart(tmp_path, files: dict[str, str]) -> None:
    result = _lint(tmp_path, files)
    workers = [launch for launch in result.project.launches if launch.name == "worker"]
    assert [(launch.stop_signal.value, launch.deadline.value) for launch in workers] == [("INT", 90.0)]
    assert [f for f in triples(result) if f[0] in ("HL101", "HL102", "HL203")] == []


def test_the_service_own_keys_win(tmp_path) -> None:
    result = _lint(tmp_path, {"compose.yml": f"services:\n  base:\n{BASE}  worker:\n    extends: base\n"
                                             "    stop_grace_period: 5s\n    command: huey_consumer app.huey\n"})
    (launch,) = [launch for launch in result.project.launches if launch.name == "worker"]
    assert (launch.stop_signal.value, launch.deadline.value, launch.deadline.loc.line) == ("INT", 5.0, 9)


@pytest.mark.parametrize("extends", ["missing", "${BASE}", "worker"])
def test_an_unknown_or_cyclic_base_gives_nothing(tmp_path, extends: str) -> None:
    result = _lint(tmp_path, {"compose.yml": f"services:\n  worker:\n    build: .\n    extends: {extends}\n"
                                             "    command: huey_consumer app.huey\n"})
    (launch,) = result.project.launches
    assert launch.stop_signal.loc.is_default


def test_a_base_outside_the_tree_leaves_what_it_may_set_unknown(tmp_path) -> None:
    """``extends: {file: ../outside.yml}`` is never read (nothing outside the checked tree is): the stop settings
    and restart policy the service does not set itself may come from it, so they are unknown, and HL004 says the
    launch depends on a file not read (before: compose's defaults, HL101/HL102/HL203 that may be false)."""
    result = _lint(tmp_path, {"compose.yml": "services:\n  worker:\n    build: .\n    extends: {file: ../outside.yml, "
                                             "service: base}\n    stop_grace_period: 5s\n"
                                             "    command: huey_consumer app.huey\n"})
    (launch,) = result.project.launches
    assert not launch.stop_signal.known and launch.stop_signal.loc.line == 4
    assert (launch.deadline.value, launch.deadline.loc.line) == (5.0, 5)  # its own key
    assert [(p.what, p.loc.line) for p in launch.unresolved] == [("`extends: file: ../outside.yml`", 4)]
    assert [f for f in triples(result) if f[0] in ("HL101", "HL203", "HL004")] == [("HL004", "compose.yml", 4)]
    assert result.notices == []  # the launch's HL004 says it


@pytest.mark.parametrize(("services", "expected"), [
    ("  worker:\n    build: .\n    extends: worker\n    command: huey_consumer app.huey\n",
     [("compose.yml", 4, 5, "extends: a cycle (worker -> worker)")]),
    ("  worker:\n    extends: base\n    command: huey_consumer app.huey\n  base:\n    extends:\n      service: worker\n",
     [("compose.yml", 3, 5, "extends: a cycle (worker -> base -> worker)"),
      ("compose.yml", 6, 5, "extends: a cycle (base -> worker -> base)")]),
    # a service extending into a cycle it is not part of: the cycle's services say it, once each
    ("  web:\n    extends: a\n  a:\n    extends: b\n  b:\n    extends: a\n    command: huey_consumer app.huey\n",
     [("compose.yml", 5, 5, "extends: a cycle (a -> b -> a)"), ("compose.yml", 7, 5, "extends: a cycle (b -> a -> b)")]),
    # `file:` naming the declaring file itself is a service of that file (compose tracks file and service)
    ("  worker:\n    extends:\n      file: ./compose.yml\n      service: worker\n    command: huey_consumer app.huey\n",
     [("compose.yml", 3, 5, "extends: a cycle (worker -> worker)")]),
    ("  worker:\n    extends:\n      file: base.yml\n      service: worker\n    command: huey_consumer app.huey\n", []),
])
def test_an_extends_cycle_is_hl001_as_compose_refuses_the_project(tmp_path, services: str, expected) -> None:
    """`docker compose` refuses a project whose services extend each other in a cycle ("circular reference");
    hueylint took the cycle silently as "no base"."""
    result = _lint(tmp_path, {"compose.yml": f"services:\n{services}"})
    assert [(f.loc.path, f.loc.line, f.loc.col, f.message) for f in result.findings if f.rule == "HL001"] == [
        (path, line, col, f"cannot parse: {text}: docker compose refuses the project")
        for path, line, col, text in expected]


def test_a_chain_too_deep_is_hl001_never_an_internal_error(tmp_path) -> None:
    """Each service's chain was followed recursively: 1,000 services extending the next were a RecursionError
    (an internal error, exit 2) and quadratic before. Past MAX_EXTENDS (64) the chain is HL001, not followed."""
    services = "".join(f"  s{i}:\n    extends: s{i + 1}\n" for i in range(1000))
    result = _lint(tmp_path, {"compose.yml": f"services:\n{services}  s1000:\n{BASE}"
                                             "    command: huey_consumer app.huey -n\n"})
    assert result.internal_errors == []
    too_deep = [(f.loc.line, f.loc.col, f.message) for f in result.findings if f.rule == "HL001"]
    assert len(too_deep) == 1000 - 64 and too_deep[0] == (
        3, 5, "cannot parse: extends: a chain more than 64 services deep: not followed")
    s936 = next(launch for launch in result.project.launches if launch.name == "s936")  # 64 services deep
    assert (s936.stop_signal.value, s936.deadline.value) == ("INT", 90.0)
    assert "s935" not in {launch.name for launch in result.project.launches}
