"""HL201 reports the shells nested on one line as one finding: `su -c` inside a shell-form CMD, `sh -c` inside
`bash -c`.  Each shell is still named, outermost first, with its own reason and fix; shells on different lines
(a compose command that runs a script without exec) stay separate findings."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import fix_tree, lint, write_tree

APP = "from huey import SqliteHuey\nhuey = SqliteHuey(filename='/data/q.db')\n"


def hl201(root: Path) -> list:
    return [f for f in lint(root).findings if f.rule == "HL201"]


def test_su_inside_a_shell_form_cmd_is_one_finding(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "Dockerfile": "FROM python:3.12\nCOPY . /srv\n"
                          "CMD su app -c \"huey_consumer jobs.huey -w 2\"\n"})
    [finding] = hl201(tmp_path)
    assert (finding.loc.path, finding.loc.line, finding.loc.col) == ("Dockerfile", 3, 5)
    shell_form, su = finding.message.index("the shell-form CMD"), finding.message.index("`su -c` runs")
    assert shell_form < su  # the outer shell first
    assert "; and inside it, `su -c`" in finding.message
    assert "drop `su -c` and set the user" in finding.message  # su's own fix is kept


def test_sh_inside_bash_c_is_one_finding_with_one_fix_text(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "docker-compose.yml":
                          "services:\n  worker:\n    image: python:3.12\n    restart: always\n"
                          "    command: bash -c \"cd /srv && sh -c 'huey_consumer jobs.huey'\"\n"})
    [finding] = hl201(tmp_path)
    assert (finding.loc.line, finding.loc.col) == (5, 34)  # `sh`, the command bash runs last
    # bash runs `sh -c` without exec, not the consumer: each shell names the hop it should exec
    assert finding.message.startswith("`bash -c` runs `sh -c 'huey_consumer jobs.huey'` (which leads to the "
                                      "consumer) without `exec`")
    assert "; and inside it, `sh -c` stays between the supervisor and the consumer: the consumer is not started " \
        "with `exec`" in finding.message
    assert finding.message.count("Fix:") == 1 and finding.message.count("each as the last command") == 1
    assert "Fix: `exec` `sh -c 'huey_consumer jobs.huey'` and the consumer, each as the last command of its " \
        "shell" in finding.message
    assert [(r.loc.line, r.loc.col) for r in finding.related] == [(5, 41)]  # the consumer, once


def test_the_merged_finding_keeps_the_exec_fix(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "docker-compose.yml":
                          "services:\n  worker:\n    image: python:3.12\n    restart: always\n"
                          "    command: bash -c \"cd /srv && sh -c 'huey_consumer jobs.huey'\"\n"})
    fix_tree(tmp_path, {"select": ["HL201"]})
    assert "exec sh -c 'exec huey_consumer jobs.huey'" in (tmp_path / "docker-compose.yml").read_text()


def test_a_script_behind_a_shell_is_named_in_the_same_finding(tmp_path: Path) -> None:
    """`sh -c "sh /srv/run.sh"` and the script that runs the consumer without exec: one finding for the line, each
    shell naming what it runs without exec (`sh -c` the script, the script the consumer), with the script's line
    related and both `exec` edits offered."""
    write_tree(tmp_path, {"jobs.py": APP, "run.sh": "#!/bin/sh\ncd /srv\nhuey_consumer jobs.huey\n",
                          "docker-compose.yml": "services:\n  worker:\n    image: python:3.12\n"
                          "    restart: always\n    volumes: ['.:/srv']\n    command: sh -c \"sh /srv/run.sh\"\n"})
    [finding] = hl201(tmp_path)
    assert (finding.loc.path, finding.loc.line) == ("docker-compose.yml", 6)
    assert finding.message.startswith("`sh -c` stays between the supervisor and the consumer: `sh /srv/run.sh` "
                                      "(which leads to the consumer) is not started with `exec`, so the shell "
                                      "receives the stop signal and does not pass it on; and inside it, script "
                                      "`run.sh` stays between the supervisor and the consumer: the consumer is not "
                                      "started with `exec`")
    assert "Fix: `exec` `sh /srv/run.sh` and the consumer, each as the last command of its shell" in finding.message
    assert ("run.sh", 3) in [(r.loc.path, r.loc.line) for r in finding.related]
    assert finding.fix is not None and [(e.path, e.line) for e in finding.fix.edits] == [
        ("docker-compose.yml", 6), ("run.sh", 3)]


def test_launches_on_different_lines_stay_separate(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "docker-compose.yml":
                          "services:\n  a:\n    image: python:3.12\n    restart: always\n"
                          "    command: sh -c \"cd /srv; huey_consumer jobs.huey\"\n"
                          "  b:\n    image: python:3.12\n    restart: always\n"
                          "    command: sh -c \"cd /srv; huey_consumer jobs.huey -n\"\n"})
    assert sorted(f.loc.line for f in hl201(tmp_path)) == [5, 9]
