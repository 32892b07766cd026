"""HL201 names the hop that swallows the stop signal: when a shell's last command is not the consumer but a script,
a nested shell or a program that leads to it (bcgov/DriveBC.ca's Helm chart:
`sh -c ". /vault/secrets/secrets.env && /start_tasks_openshift.sh"`, the script then `exec`s the consumer), the
message and the fix name that command, and the `--fix` edit puts `exec` before it, in the shell's own line."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import fix_tree, lint, write_tree

APP = "from huey import SqliteHuey\nhuey = SqliteHuey(filename='/data/q.db')\n"
EXECS = "#!/bin/sh\ncd /srv\nexec huey_consumer jobs.huey -w 2\n"  # the script itself is fine
PLAIN = "#!/bin/sh\ncd /srv\nhuey_consumer jobs.huey -w 2\n"  # the script keeps a shell too


def _compose(command: str) -> str:
    return ("services:\n  worker:\n    image: python:3.12\n    restart: always\n    volumes: ['.:/srv']\n"
            f"    command: {command}\n")


def hl201(root: Path) -> list:
    return [f for f in lint(root).findings if f.rule == "HL201"]


def test_and_list_names_the_script_not_the_consumer(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "start.sh": EXECS,
                          "docker-compose.yml": _compose('sh -c ". /srv/env && /srv/start.sh"')})
    [finding] = hl201(tmp_path)
    assert finding.message == (
        "`sh -c` stays between the supervisor and the consumer: `/srv/start.sh` (which leads to the consumer) is not "
        "started with `exec`, so the shell receives the stop signal and does not pass it on. Fix: `exec` "
        "`/srv/start.sh` as the last command, use the exec (JSON) form, or drop the wrapper")
    assert finding.fix is not None and finding.fix.description == "`exec` /srv/start.sh"
    fix_tree(tmp_path, {"select": ["HL201"]})
    assert 'sh -c ". /srv/env && exec /srv/start.sh"' in (tmp_path / "docker-compose.yml").read_text()
    assert hl201(tmp_path) == []


def test_semicolon_list_names_the_script(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "start.sh": EXECS,
                          "docker-compose.yml": _compose('sh -c ". /srv/env; /srv/start.sh --queue a"')})
    [finding] = hl201(tmp_path)
    assert "`/srv/start.sh --queue a` (which leads to the consumer) is not started with `exec`" in finding.message
    fix_tree(tmp_path, {"select": ["HL201"]})
    assert 'sh -c ". /srv/env; exec /srv/start.sh --queue a"' in (tmp_path / "docker-compose.yml").read_text()


def test_a_script_without_exec_behind_the_shell_names_each_hop(tmp_path: Path) -> None:
    """`sh -c` runs the script without exec and the script runs the consumer without exec: each shell names what
    it runs, and the fix `exec`s both."""
    write_tree(tmp_path, {"jobs.py": APP, "run.sh": PLAIN,
                          "docker-compose.yml": _compose('sh -c ". /srv/env && /srv/run.sh"')})
    [finding] = hl201(tmp_path)
    assert finding.message.startswith(
        "`sh -c` stays between the supervisor and the consumer: `/srv/run.sh` (which leads to the consumer) is not "
        "started with `exec`, so the shell receives the stop signal and does not pass it on; and inside it, script "
        "`run.sh` stays between the supervisor and the consumer: the consumer is not started with `exec`")
    assert finding.message.endswith("Fix: `exec` `/srv/run.sh` and the consumer, each as the last command of its "
                                    "shell, use the exec (JSON) form, or drop the wrappers")
    fix_tree(tmp_path, {"select": ["HL201"]})
    assert "exec /srv/run.sh" in (tmp_path / "docker-compose.yml").read_text()
    assert "exec huey_consumer" in (tmp_path / "run.sh").read_text()
    assert hl201(tmp_path) == []


def test_a_script_running_a_script_names_the_inner_script(tmp_path: Path) -> None:
    """supervisord's `bash -c` runs `entry.sh`, which runs `start.sh` without exec (start.sh execs the consumer)."""
    write_tree(tmp_path, {"jobs.py": APP, "start.sh": EXECS, "entry.sh": "#!/bin/sh\nset -e\n/srv/start.sh\n",
                          "supervisord.conf": "[program:huey]\ncommand=/bin/bash -c \"source /srv/env && "
                          "/srv/entry.sh\"\nstopwaitsecs=60\nuser=app\n"})
    [finding] = hl201(tmp_path)
    assert finding.message.startswith("`bash -c` runs `/srv/entry.sh` (which leads to the consumer) without `exec` "
                                      "as the last command of its string")
    assert "write `exec` so `/srv/entry.sh` is the process the supervisor signals" in finding.message
    assert "; and inside it, script `entry.sh` stays between the supervisor and the consumer: `/srv/start.sh` " \
        "(which leads to the consumer) is not started with `exec`" in finding.message
    assert "Fix: `exec` `/srv/entry.sh` and `/srv/start.sh`, each as the last command of its shell" in finding.message


def test_nested_shells_name_the_inner_shell(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "start.sh": EXECS,
                          "docker-compose.yml": _compose("bash -c \"cd /srv && sh -c '/srv/start.sh'\"")})
    [finding] = hl201(tmp_path)
    assert finding.message.startswith("`bash -c` runs `sh -c '/srv/start.sh'` (which leads to the consumer) "
                                      "without `exec`")
    assert "; and inside it, `sh -c` stays between the supervisor and the consumer: `/srv/start.sh` (which leads " \
        "to the consumer) is not started with `exec`" in finding.message
    fix_tree(tmp_path, {"select": ["HL201"]})
    assert "bash -c \"cd /srv && exec sh -c 'exec /srv/start.sh'\"" in (tmp_path / "docker-compose.yml").read_text()


def test_systemd_fix_names_the_script(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "start.sh": EXECS, "huey.service":
                          "[Service]\nExecStart=/bin/sh -c '. /srv/env; /srv/start.sh'\nTimeoutStopSec=60\n"
                          "Type=exec\nUser=app\n"})
    [finding] = hl201(tmp_path)
    assert finding.message.endswith("Fix: `exec` `/srv/start.sh` as the last command, use the exec (JSON) form, or "
                                    "drop the wrapper")


def test_shell_form_cmd_names_the_script(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "start.sh": EXECS,
                          "Dockerfile": "FROM python:3.12\nCOPY . /srv\nCMD . /srv/env && /srv/start.sh\n"})
    [finding] = hl201(tmp_path)
    assert "`/srv/start.sh` (which leads to the consumer) is not started with `exec`" in finding.message
    fix_tree(tmp_path, {"select": ["HL201"]})
    assert "CMD . /srv/env && exec /srv/start.sh\n" in (tmp_path / "Dockerfile").read_text()


def test_su_inside_keeps_its_own_fix_only(tmp_path: Path) -> None:
    """`su -c` inside a shell-form CMD: su's fix (`exec gosu USER` the consumer) replaces the hop; no `exec su`."""
    write_tree(tmp_path, {"jobs.py": APP, "Dockerfile": "FROM python:3.12\nCOPY . /srv\n"
                          "CMD su app -c \"huey_consumer jobs.huey -w 2\"\n"})
    [finding] = hl201(tmp_path)
    assert "Fix: drop `su -c`" in finding.message and "`exec` `su" not in finding.message
    assert finding.fix is None


def test_exec_everywhere_and_exec_args_wrappers_stay_quiet(tmp_path: Path) -> None:
    write_tree(tmp_path, {"jobs.py": APP, "start.sh": EXECS,
                          "entrypoint.sh": "#!/bin/sh\nset -e\n[ -f /srv/env ] && . /srv/env\nexec \"$@\"\n",
                          "Dockerfile": "FROM python:3.12\nCOPY . /srv\nENTRYPOINT [\"/srv/entrypoint.sh\"]\n"
                          "CMD [\"sh\", \"-c\", \". /srv/env && exec /srv/start.sh\"]\n",
                          "docker-compose.yml": _compose('sh -c ". /srv/env && exec /srv/start.sh"')})
    assert hl201(tmp_path) == []


def test_a_script_in_a_pipeline_or_before_another_command_is_named_without_an_edit(tmp_path: Path) -> None:
    """The other ways a shell stays: the script in a pipeline, or not the last command. The message names the
    script; `exec` before it would not help there (a pipeline's subshell, a command after it), so no edit."""
    write_tree(tmp_path, {"jobs.py": APP, "start.sh": EXECS, "docker-compose.yml":
                          "services:\n  a:\n    image: python:3.12\n    restart: always\n    volumes: ['.:/srv']\n"
                          "    command: sh -c \"/srv/start.sh | tee /tmp/log\"\n"
                          "  b:\n    image: python:3.12\n    restart: always\n    volumes: ['.:/srv']\n"
                          "    command: sh -c \"/srv/start.sh -n; echo done\"\n"})
    first, second = sorted(hl201(tmp_path), key=lambda f: f.loc.line)
    assert "`/srv/start.sh` (which leads to the consumer) runs in a pipeline (`|`)" in first.message
    assert "`/srv/start.sh -n` (which leads to the consumer) is not the last command and is not started with " \
        "`exec`" in second.message
    assert first.fix is None and second.fix is None
