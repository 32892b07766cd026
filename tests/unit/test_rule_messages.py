"""The HL201 and HL002 rules write their messages from the facts the lower layers record."""

from __future__ import annotations

import pytest

from hueylint.checks.hl201_shell_wrapper import describe
from hueylint.model import Loc, WrapperProblem

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
     "`su -c` runs the consumer in a child of su and a shell, which do not pass the stop signal on; use "
     "`gosu`/`su-exec`/`setpriv` or the platform's user setting"),
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
