"""A file a launch reads without the walk having found it (the Dockerfile a named compose file builds) gives the
same columns as in a run over the whole repository.  Before, `hueylint check compose.yaml` placed the words of
the image's `CMD` at the instruction (`Dockerfile:3:1`), since their columns were looked up among the walked
files only, while `hueylint check .` placed them at the consumer's name (`Dockerfile:3:7`)."""

from __future__ import annotations

import pytest

from tests.helpers import write_tree
from tests.test_cli import run_cli

COMPOSE = """\
services:
  worker:
    build: .
    stop_signal: SIGINT
    stop_grace_period: 60s
    restart: always
"""

NOTE = ("HL104 [note] no `-t/--shutdown-timeout` (huey version unknown, newest assumed): a stuck task holds the "
        "shutdown until SIGKILL and is lost without SIGNAL_INTERRUPTED. Fix: add `-t 55` (a few seconds below the "
        "kill deadline)")
SHELL_FORM = ("HL201 [error] the shell-form CMD (/bin/sh -c) stays between the supervisor and the consumer: the "
              "consumer is not started with `exec`, so the shell receives the stop signal and does not pass it on. "
              "Fix: `exec` the consumer as the last command, use the exec (JSON) form, or drop the wrapper")

CASES = {
    # exec form: each word at its own column, after its quote
    "exec": ('CMD ["huey_consumer", "app.huey", "-w", "2"]\n', 0, [f"svc/Dockerfile:3:7: {NOTE}"]),
    # exec form over two lines: the consumer's name on the second
    "exec-continued": ('CMD [ \\\n     "huey_consumer", "app.huey"]\n', 0, [f"svc/Dockerfile:4:7: {NOTE}"]),
    # shell form on one line: the command text, after `CMD `
    "shell": ("CMD huey_consumer app.huey -w 2\n", 1, [f"svc/Dockerfile:3:5: {NOTE}", f"svc/Dockerfile:3:5: {SHELL_FORM}"]),
}


def _findings(out: str) -> list[str]:
    return [line for line in out.splitlines() if ": HL" in line]


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_named_compose_file_places_its_dockerfile_words_as_the_whole_run(git_repo, capsys, case):
    cmd, code, expected = CASES[case]
    write_tree(git_repo, {"svc/compose.yaml": COMPOSE, "svc/Dockerfile": f"FROM python:3.12\nUSER app\n{cmd}"})
    outputs = {}
    for named in ([], ["svc"], ["svc/compose.yaml"]):
        exit_code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", *named)
        outputs[" ".join(named) or "."] = (exit_code, _findings(out))
    assert outputs == {key: (code, expected) for key in outputs}


UNIT = ("[Service]\nType=exec\nUser=app\nRestart=always\nExecReload=/bin/kill -HUP $MAINPID\n"
        "ExecStart=/srv/venv/bin/huey_consumer app.huey -g TERM -t 50\nKillSignal=SIGTERM\nTimeoutStopSec=60\n")
#: the drop-in systemd merges after the unit: its ExecStart= replaces the unit's, whose `-t` it lacks
DROPIN = "[Service]\nExecStart=\nExecStart=/srv/venv/bin/huey_consumer app.huey -w 4 \\\n    -g TERM\n"


def test_a_named_unit_is_judged_with_its_drop_ins(git_repo, capsys):
    """`hueylint check deploy/huey.service` read the unit without `huey.service.d/*.conf` (they were looked up
    among the walked files only) and judged the unit's own ExecStart= (`-t 50`: quiet), while a run over the
    folder judged the drop-in's, which systemd runs (no `-t`: HL104).  Now the drop-ins of a named unit are
    read as in the whole run (not a git-ignored one), and both give the same output; the cached run replays it."""
    write_tree(git_repo, {"deploy/huey.service": UNIT, "deploy/huey.service.d/override.conf": DROPIN,
                          "deploy/huey.service.d/local.conf": "[Service]\nKillSignal=SIGKILL\n",
                          ".gitignore": "local.conf\n"})
    expected = [
        "deploy/huey.service.d/override.conf:3:11: HL104 [note] no `-t/--shutdown-timeout` (huey version unknown, "
        "newest assumed): a stuck task holds the shutdown until SIGKILL and is lost without SIGNAL_INTERRUPTED. Fix: "
        "add `-t 55` (a few seconds below the kill deadline)"]
    for named in ([], ["deploy"], ["deploy/huey.service"]):
        code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", *named)
        assert (code, _findings(out)) == (0, expected), named
    for _ in range(2):
        code, out, _ = run_cli(capsys, "check", "--output-format", "concise", "deploy/huey.service")
        assert (code, _findings(out)) == (0, expected)


def test_a_named_drop_in_is_judged_with_its_unit_and_the_other_drop_ins(git_repo, capsys):
    """`hueylint check deploy/huey.service.d/override.conf` (or the drop-in folder) named a drop-in whose unit the
    walk never listed: no unit was built, so the drop-in's HL104 was lost ('All checks passed!').  Now the unit
    beside the drop-in folder is read on demand with every drop-in of its folder (not a git-ignored one), as in
    the whole run; an instance's drop-in (`w@2.service.d/`) takes its template `w@.service`."""
    write_tree(git_repo, {"deploy/huey.service": UNIT, "deploy/huey.service.d/override.conf": DROPIN,
                          "deploy/huey.service.d/stop.conf": "[Service]\nTimeoutStopSec=5\n",
                          "deploy/huey.service.d/local.conf": "[Service]\nKillSignal=SIGKILL\n",
                          "deploy/w@.service": UNIT, "deploy/w@2.service.d/nice.conf": "[Service]\nNice=5\n",
                          ".gitignore": "local.conf\n"})
    huey = [
        "deploy/huey.service.d/override.conf:3:11: HL104 [note] no `-t/--shutdown-timeout` (huey version unknown, "
        "newest assumed): a stuck task holds the shutdown until SIGKILL and is lost without SIGNAL_INTERRUPTED. Fix: "
        "add `-t 1` (a few seconds below the kill deadline)",
        "deploy/huey.service.d/stop.conf:2:16: HL102 [warning] systemd stops `huey.service` after 5s "
        "(deploy/huey.service.d/stop.conf:2): a task running longer is killed; longest-task is 20s. Fix: raise "
        "TimeoutStopSec= above your longest task (and keep `-t` a few seconds below it)"]
    for named in (["deploy/huey.service"], ["deploy/huey.service.d/override.conf"], ["deploy/huey.service.d"],
                  ["deploy/huey.service.d/stop.conf"]):
        code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", *named)
        assert (code, _findings(out)) == (1, huey), named
    template = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "deploy/w@.service")
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "deploy/w@2.service.d")
    assert _findings(out) == _findings(template[1]) and [line[:24] for line in _findings(out)] == [
        "deploy/w@.service:6:11: "]  # the template's HL301


BASE = ("services:\n  worker:\n    build: .\n    command: huey_consumer app.huey -w 2 -t 50\n    restart: always\n"
        "    stop_signal: SIGINT\n    stop_grace_period: 60s\n")
ALTERNATIVE = "services:\n  other:\n    build: .\n    command: huey_consumer app.huey -t 50\n    restart: always\n"


def test_a_named_compose_file_is_judged_with_the_files_compose_merges_with_it(git_repo, capsys):
    """`hueylint check docker-compose.yml` read the base file without the `docker-compose.override.yml` compose
    merges by itself (quiet), and `hueylint check docker-compose.override.yml` read the override without its
    base ('All checks passed!'), while `hueylint check .` judged the two merged (HL101 in the override).  Now the
    base and the files of its folder that override it are read on demand with either, as in the whole run; an
    alternative stack of the folder is not, and a production override still makes the base alone the local stack."""
    write_tree(git_repo, {"Dockerfile": "FROM python:3.12\nUSER app\n", "docker-compose.yml": BASE,
                          "docker-compose.override.yml": "services:\n  worker:\n    stop_signal: SIGTERM\n",
                          "docker-compose.alt.yml": ALTERNATIVE, "docker-compose.override.example.yml": "services:\n  worker:\n    stop_signal: SIGKILL\n"})
    hl101 = ("docker-compose.override.yml:3:18: HL101 [error] compose stops `worker` with SIGTERM "
             "(docker-compose.override.yml:3); the consumer's graceful signal is SIGINT (huey default): huey treats it as "
             "\"stop now\" and interrupts running tasks. Fix: add `-g TERM` to the consumer command, or set stop_signal: SIGINT")
    for named in (["docker-compose.yml"], ["docker-compose.override.yml"]):
        code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", *named)
        assert (code, _findings(out)) == (1, [hl101]), named
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", ".")
    assert [line for line in _findings(out) if "docker-compose.alt.yml" not in line] == [hl101]
    write_tree(git_repo, {"docker-compose.prod.yml": "services:\n  worker:\n    stop_grace_period: 5s\n"})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", ".")
    whole = [line for line in _findings(out) if "docker-compose.alt.yml" not in line]
    # production is base + docker-compose.prod.yml: the base with its override alone is the local stack
    assert [line[:37] for line in whole] == ["docker-compose.prod.yml:3:24: HL102 [", "docker-compose.yml:4:42: HL103 [error"]
    for named in (["docker-compose.yml"], ["docker-compose.prod.yml"]):
        code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", *named)
        assert (code, _findings(out)) == (1, whole), named
    # the override is merged only into the local stack, which is not judged: nothing at it, as in the whole run,
    # and nothing of production's launch, which does not read it
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "docker-compose.override.yml")
    assert (code, _findings(out)) == (0, [])


def test_a_named_override_below_its_base_is_judged_with_the_base_above(git_repo, capsys):
    """`deploy/prod/docker-compose.prod.yml` overrides the root's base file (`-f docker-compose.yml -f
    deploy/prod/docker-compose.prod.yml`, compose._base_above): named alone, or its folder, it was a project of its
    own without the base ('All checks passed!'); now the nearest base above it is read on demand, as the whole run."""
    write_tree(git_repo, {"Dockerfile": "FROM python:3.12\nUSER app\n", "docker-compose.yml": BASE,
                          "deploy/prod/docker-compose.prod.yml": "services:\n  worker:\n    stop_signal: SIGTERM\n"})
    expected = [
        "deploy/prod/docker-compose.prod.yml:3:18: HL101 [error] compose stops `worker` with SIGTERM "
        "(deploy/prod/docker-compose.prod.yml:3); the consumer's graceful signal is SIGINT (huey default): huey treats "
        "it as \"stop now\" and interrupts running tasks. Fix: add `-g TERM` to the consumer command, or set "
        "stop_signal: SIGINT"]
    for named in ([], ["deploy"], ["deploy/prod"], ["deploy/prod/docker-compose.prod.yml"]):
        code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", *named)
        assert (code, _findings(out)) == (1, expected), named


def test_a_named_units_drop_in_folder_linked_out_of_the_tree_is_not_listed(git_repo, capsys, tmp_path_factory):
    """A hostile tree links `deploy/huey.service.d` to a folder outside it: the whole run does not follow the
    link ("symlink to a folder: not followed"), but `hueylint check deploy/huey.service` listed the folder outside
    on demand and named what it holds in a notice (`deploy/huey.service.d/evil.conf: symlink leading outside`).
    A listing now never crosses the root through a link: the named run lists nothing there, as the whole run."""
    outside = tmp_path_factory.mktemp("outside")
    (outside / "evil.conf").write_text("[Service]\nExecStart=\nExecStart=/usr/bin/huey_consumer secret.huey\n")
    write_tree(git_repo, {"deploy/huey.service": UNIT})
    (git_repo / "deploy/huey.service.d").symlink_to(outside, target_is_directory=True)
    for named in ([], ["deploy/huey.service"]):
        code, out, err = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", *named)
        assert "evil.conf" not in out + err and "secret" not in out + err, named


def test_a_drop_in_linked_to_a_shared_file_is_its_units_in_every_run(git_repo, capsys):
    """`deploy/huey.service.d/stop.conf -> ../../common/stop.conf` (a shared drop-in linked into the unit's folder,
    as systemd reads it): the whole run took the link for an alias of its target ("a symlink to the unit
    `common/stop.conf`: checked there") and lost the drop-in, where naming the unit or its folder read it (HL102). A
    drop-in keeps its own path, like a script: its folder says which unit it extends."""
    write_tree(git_repo, {"deploy/huey.service": UNIT, "common/stop.conf": "[Service]\nTimeoutStopSec=5\n"})
    (git_repo / "deploy/huey.service.d").mkdir()
    (git_repo / "deploy/huey.service.d/stop.conf").symlink_to("../../common/stop.conf")
    outputs = {}
    for named in ([], ["deploy"], ["deploy/huey.service"]):
        _code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", *named)
        outputs[" ".join(named) or "."] = [line.split(" [")[0] for line in _findings(out)]
    assert outputs == {key: ["deploy/huey.service:6:56: HL103", "deploy/huey.service.d/stop.conf:2:16: HL102"]
                       for key in outputs}
