"""The HL201 and HL002 rules write their messages from the facts the lower layers record."""

from __future__ import annotations

import pytest

from hueylint.checks.hl201_shell_wrapper import describe
from hueylint.locations import Loc
from hueylint.model import HueyVersion, WrapperProblem

LOCS = ((Loc("Dockerfile", 5, 1), "the launch"),)


@pytest.mark.parametrize(("problem", "message"), [
    (WrapperProblem("stays", "script `docker/start.sh`", LOCS, how="not-last"),
     "script `docker/start.sh` stays between the supervisor and the consumer: the consumer is not the last command "
     "and is not started with `exec`, so the shell receives the stop signal and does not pass it on"),
    (WrapperProblem("stays", "`sh -c`", LOCS, branch='case "$1" in worker)', how="pipeline"),
     "`sh -c` stays between the supervisor and the consumer (branch `case \"$1\" in worker)`): the consumer runs in "
     "a pipeline (`|`), so the shell receives the stop signal and does not pass it on"),
    (WrapperProblem("no-exec", "`bash -c`", LOCS),
     "`bash -c` runs the consumer without `exec`: bash 5 happens to replace itself by a lone command, but that is "
     "an optimisation, not a contract (`sh`/dash, a trap, or a second command keeps the shell in between, and the "
     "shell does not pass the stop signal on); write `exec` so the consumer is the process the supervisor signals"),
    (WrapperProblem("background", "script `run`", LOCS, severe=True, then="`exec gunicorn app:wsgi`"),
     "script `run` starts the consumer in the background (`&`) and then runs `exec gunicorn app:wsgi`: the consumer "
     "never receives the stop signal and is killed without a graceful shutdown"),
    (WrapperProblem("background", "script `run`", LOCS, severe=True),
     "script `run` starts the consumer in the background (`&`): the consumer never receives the stop signal and is "
     "killed without a graceful shutdown"),
    (WrapperProblem("daemonizes", "script `start.sh`", LOCS, severe=True, starts="`supervisord`", then="`exec nginx`",
                    outside=True),
     "script `start.sh` starts `supervisord`, which daemonizes, and then runs `exec nginx` (no launch in this "
     "repository runs the script): the stop signal goes to that program, so the consumers `supervisord` supervises "
     "never receive it; run `supervisord` in the foreground (`-n`/`--nodaemon`) with `exec` as the last command, or "
     "each program in its own container"),
    (WrapperProblem("su", "`su -c`", LOCS),
     "`su -c` runs the consumer in a child of su and a shell: whatever signal stops it, it sends that child "
     "SIGTERM and SIGKILL 2 s later, so the consumer never gets a graceful stop; use `gosu`/`su-exec`/`setpriv` or "
     "the platform's user setting"),
    (WrapperProblem("su", "`runuser -c`", LOCS),
     "`runuser -c` runs the consumer in a child of runuser and a shell: whatever signal stops it, it sends that child "
     "SIGTERM and SIGKILL 2 s later, so the consumer never gets a graceful stop; use `gosu`/`su-exec`/`setpriv` or "
     "the platform's user setting"),
    (WrapperProblem("su", "`runuser -u`", LOCS, how="same-session"),
     "`runuser -u` runs the consumer as a child of runuser, which waits for it: on SIGTERM it sends that child "
     "SIGTERM and SIGKILL 2 s later, and SIGINT never passes through it (runuser blocks it), so the consumer never "
     "gets a graceful stop; use `gosu`/`su-exec`/`setpriv` or the platform's user setting"),
    (WrapperProblem("forks", "`flock`", LOCS, how="no-fork"),
     "`flock` runs the consumer as its child and waits for it: it does not pass the stop signal on, so the "
     "consumer never receives it: it is killed without a graceful shutdown when its container stops, and where "
     "only `flock` is signalled (supervisord) it is left running, still holding the lock, and `exec` before `flock` "
     "cannot help"),
    (WrapperProblem("forks", "`xvfb-run`", LOCS),
     "`xvfb-run` runs the consumer as its child and waits for it: it does not pass the stop signal on, so the "
     "consumer is killed without a graceful shutdown, and `exec` before `xvfb-run` cannot help"),
    (WrapperProblem("background", "`sh -c`", LOCS, branch="if [ -n \"$A\" ]", platform="procfile"),
     "the Procfile entry starts the consumer in the background (`&`) (branch `if [ -n \"$A\" ]`): the platform "
     "supervises only the foreground program, so a crashed consumer is never restarted and it is stopped whenever "
     "that program exits; give the consumer its own process type (`worker: huey_consumer ...`)"),
    (WrapperProblem("stays", "script `bin/run`", LOCS, how="last", platform="systemd-control-group"),
     "script `bin/run` stays between the supervisor and the consumer: under systemd `$MAINPID` is the shell, not "
     "huey, so `systemctl reload` (SIGHUP) hits the shell instead of huey's graceful restart and the unit tracks the "
     "shell's life, not the consumer's (the stop signal still reaches every process of the unit with the default "
     "KillMode=control-group)"),
])
def test_hl201_message_of_each_kind(problem: WrapperProblem, message: str) -> None:
    assert describe(problem) == message


def _pinned(version: str) -> HueyVersion:
    return HueyVersion(tuple(int(part) for part in version.split(".")), Loc("requirements.txt", 1, 1))


def _hl002(args: list[str], version: str, program: str = "huey_consumer") -> list[tuple[str, str]]:
    from hueylint.checks.hl002_invalid_consumer_options import describe as hl002
    from hueylint.consumer_cli import parse_consumer

    parsed = parse_consumer(program, args, Loc("huey.service", 3, 11), version=_pinned(version))
    return [(problem.kind, hl002(problem)) for problem in parsed.problems]


@pytest.mark.parametrize(("args", "version", "program", "expected"), [
    (["app.huey", "-w=4"], "2.5.0", "huey_consumer",
     [("refused", "huey would refuse this command line: option -w: invalid integer value: '=4'. Fix: `-w 4` (huey's "
       "optparse takes `=4` as the value)")]),
    (["app.huey", "-g", "TERM"], "2.5.0", "huey_consumer",
     [("needs-version", "`-g/--graceful-signal` needs huey 3.4.0 or newer, but this launch runs huey 2.5.0 (pinned "
       "in requirements.txt:1). Fix: upgrade huey to 3.4.0 or newer where the launch's version comes from, or drop "
       "`-g/--graceful-signal`")]),
    (["app.huey", "--localtime"], "2.0.0", "huey_consumer",
     [("removed", "`-o/--localtime` was removed in huey 2.0.0, and this launch runs huey 2.0.0 (pinned in "
       "requirements.txt:1): the consumer refuses to start. Fix: drop `-o/--localtime`")]),
    (["app.huey", "-u", "-w", "2"], "1.10.3", "huey_consumer", []),  # field-hosts era: huey 1.x had -u/--utc
    (["app.huey", "--extra_locks", "a"], "2.5.1", "huey_consumer",
     [("renamed", "`--extra_locks` was renamed `--extra-locks` in huey 2.5.1; huey 2.5.1 (pinned in "
       "requirements.txt:1) refuses the old spelling. Fix: write `--extra-locks`")]),
    (["app.huey", "--extra-locks", "a"], "2.5.0", "huey_consumer",
     [("old-spelling", "huey 2.5.0 (pinned in requirements.txt:1) spells it `--extra_locks` (`--extra-locks` arrived "
       "in 2.5.1). Fix: write `--extra_locks`, or upgrade huey to 2.5.1 or newer")]),
    (["--workers", "2", "--nope"], "2.5.0", "run_huey",
     [("not-an-option", "`--nope` is not an option of run_huey: Django refuses the command. Fix: drop `--nope`, or "
       "write the option as `manage.py run_huey --help` lists it")]),
    (["extra", "-w", "2"], "2.5.0", "run_huey",
     [("positional", "`extra`: run_huey takes no positional argument (Django refuses it). Fix: drop `extra` (the "
       "command runs the app of the `HUEY` setting) or give it the option it belongs to")]),
    (["-w", "2"], "2.5.0", "huey_consumer",
     [("no-app", "no import path to the Huey instance: huey exits at start. Fix: name it as the first argument, "
       "`huey_consumer my_app.huey` (module and attribute)")]),
    (["app.huey", "-b", "0.5", "-t", "-2"], "3.5.0", "huey_consumer",
     [("backoff", "`-b 0.5`: the backoff must be at least 1. Fix: `-b 1` or more (huey's default is 1.15)"),
      ("negative-timeout", "`-t -2`: the shutdown timeout cannot be negative. Fix: `-t` a few seconds below the kill "
       "deadline")]),
    (["app.huey", "-s", "7"], "2.5.0", "huey_consumer",
     [("scheduler-interval", "`-s 7`: the scheduler interval must divide 60. Fix: one of 1, 2, 3, 4, 5, 6, 10, 12, 15, "
       "20, 30 or 60 (huey's default is 1)")]),
    (["app.huey", "-M", "5", "-C"], "3.5.0", "huey_consumer",
     [("max-tasks-without-health", "`-M` with `-C`: max_tasks recycles workers through the health check, which `-C` "
       "disables (huey refuses to start). Fix: drop `-C`, or `-M`")]),
])
def test_hl002_message_of_each_kind(args: list[str], version: str, program: str,
                                    expected: list[tuple[str, str]]) -> None:
    assert _hl002(args, version, program) == expected


@pytest.mark.parametrize(("args", "program", "fix"), [
    (["app.huey", "-k", "gevent"], "huey_consumer", "`-k greenlet` (huey's name for gevent workers)"),
    (["-k", "gevent"], "run_huey", "`-k greenlet` (huey's name for gevent workers)"),
    (["app.huey", "-g", "HUP"], "huey_consumer", "one of the choices listed"),
    (["app.huey", "-t", "abc"], "huey_consumer", "give `-t` a number"),
    (["-w", "x"], "run_huey", "give `--workers/-w` a number"),
    (["app.huey", "-w"], "huey_consumer", "give `-w` its value"),
    (["-w"], "run_huey", "give `--workers/-w` its value"),
    (["app.huey", "--no-periodic=1"], "huey_consumer", "write `--no-periodic` alone: it is a flag"),
    (["app.huey", "--work", "4"], "huey_consumer", "write the whole option name (`--worker-type` or `--workers`)"),
    (["--work", "3"], "run_huey", "write the whole option name (`--workers` or `--worker-type`)"),
    (["app.huey", "--foo"], "huey_consumer", "drop `--foo`, or write the option as the consumer's `--help` lists it"),
])
def test_hl002_every_refusal_of_the_parsers_has_a_fix(args: list[str], program: str, fix: str) -> None:
    """huey's own parser error was the whole message, the one HL002 form without a "Fix:" (as every other rule's
    messages have); each parser error now says what to write instead."""
    [(kind, message)] = _hl002(args, "3.5.0", program)
    assert kind == "refused" and message.startswith("huey would refuse this command line: ")
    assert message.endswith(f". Fix: {fix}")


def test_hl002_every_message_form_has_a_fix() -> None:
    from hueylint.checks.hl002_invalid_consumer_options import MESSAGES, refused_fix

    assert [kind for kind, text in MESSAGES.items() if "Fix: " not in text] == []
    assert refused_fix("something huey has not said before") == "write the options as the consumer's `--help` lists them"


def test_hl002_settings_keys() -> None:
    from hueylint.checks.hl002_invalid_consumer_options import describe as hl002
    from hueylint.huey_options import check_config_keys

    problems = check_config_keys({"no_periodic": Loc("settings.py", 4, 5), "bogus": Loc("settings.py", 5, 5),
                                  "shutdown_timeout": Loc("settings.py", 6, 5)}, _pinned("2.5.0"))
    assert [hl002(problem) for problem in problems] == [
        "`no_periodic` is not a consumer setting: huey silently ignores it (did you mean `periodic: False`?). Fix: use "
        "a ConsumerConfig key (`workers`, `worker_type`, `periodic`, `flush_locks`, ...) or remove it",
        "`bogus` is not a consumer setting: huey silently ignores it. Fix: use a ConsumerConfig key (`workers`, "
        "`worker_type`, `periodic`, `flush_locks`, ...) or remove it",
        "`shutdown_timeout` needs huey 3.4.0 or newer, but the app runs huey 2.5.0 (pinned in requirements.txt:1): it "
        "is silently ignored. Fix: upgrade huey to 3.4.0 or newer, or remove it"]


def test_hl002_module_colon_attribute_app_path(tmp_path) -> None:
    from tests.helpers import lint, write_tree

    write_tree(tmp_path, {"huey.service": "[Service]\nExecStart=/srv/venv/bin/huey_consumer tasks:huey -g TERM\n"
                                          "TimeoutStopSec=60\n",
                          "tasks.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n"})
    found = [(f.loc.line, f.loc.col, f.message) for f in lint(tmp_path).findings if f.rule == "HL002"]
    assert found == [(2, 39, "`tasks:huey`: huey's consumer imports `module.attribute` (dots only); a "
                             "`module:attribute` path fails at start with an import error. Fix: write `tasks.huey`")]
