"""Launchers between the platform and the consumer, read as each tool runs its command: the ones that replace
themselves by it (execvp), the ones that fork and wait (flock), and the ones that hand it to another supervisor
(systemd-run)."""

from __future__ import annotations

import pytest

from hueylint.chain import ConsumerHit, Token, resolve
from hueylint.locations import Loc
from hueylint.model import TRANSIENT_UNIT_WHY
from tests.helpers import lint, write_tree

ORIGIN = Loc("deploy/huey.service", 5, 11, 5, 80)
CMD = ["huey_consumer", "app.huey", "-w", "4"]


def run(*words: str) -> list[ConsumerHit]:
    return resolve([Token(w, ORIGIN) for w in words], ORIGIN, None)


@pytest.mark.parametrize("launcher", [
    ["taskset", "0x3"], ["taskset", "-c", "0,1"], ["taskset", "-ac", "0-3"],
    ["chrt", "-f", "10"], ["chrt", "--idle", "0"], ["chrt", "-b"], ["chrt", "-T", "1000", "-d", "5"],
    ["prlimit", "--nofile=1024"], ["prlimit", "--nofile=1024:2048", "--nproc=64"],
    ["numactl", "--cpunodebind=0"], ["numactl", "-N", "0", "-m", "0"], ["numactl", "--interleave", "all"],
    ["cgexec", "-g", "cpu,memory:huey"], ["cgexec", "-g", "cpu:huey", "--sticky"],
    ["flock", "-F", "/run/huey.lock"], ["flock", "--no-fork", "-w", "5", "/run/huey.lock"],
    ["flock", "-nF", "/run/huey.lock"], ["flock", "--fcntl", "--start", "0", "--length", "1", "-F", "/run/huey.lock"],
    ["systemd-cat"], ["systemd-cat", "-t", "huey", "-p", "info"], ["systemd-cat", "--identifier=huey", "--level-prefix=false"],
])
def test_launchers_that_exec_their_command_are_transparent(launcher: list[str]) -> None:
    """util-linux taskset/chrt/prlimit, numactl, libcgroup's cgexec and ``flock -F``: each sets one property of
    its own process and execvp()s the command, so the consumer is the process the platform signals (these were
    HL004 "not a launcher hueylint knows", or silent: ``prlimit --nofile=1024`` hid the consumer's name)."""
    [hit] = run(*launcher, *CMD)
    assert (hit.program, [t.text for t in hit.args]) == ("huey_consumer", CMD[1:])
    assert not hit.wrappers and not hit.unresolved
    assert [(hop.name, hop.passes_signal) for hop in hit.hops] == [(launcher[0], True)]


@pytest.mark.parametrize("words", [["taskset", "-p", "0x3", "1234"], ["chrt", "-p", "10", "1234"]])
def test_taskset_and_chrt_on_a_pid_start_nothing(words: list[str]) -> None:
    assert run(*words) == []


@pytest.mark.parametrize(("words", "inner"), [
    (["flock", "/run/huey.lock", *CMD], []),
    (["flock", "-n", "-E", "0", "/run/huey.lock", *CMD], []),
    (["flock", "-x", "/run/huey.lock", "-c", "exec huey_consumer app.huey -w 4"], ["sh -c", "exec"]),
    (["flock", "/run/huey.lock", "--command", "exec huey_consumer app.huey -w 4"], ["sh -c", "exec"]),
    (["flock", "--timeout=5", "/run/huey.lock", *CMD], []),
    (["flock", "--wait", "5", "--conflict-exit-code", "0", "/run/huey.lock", *CMD], []),
    # util-linux 2.40's --fcntl with its byte range: --start/--length take a value, not the lock file
    (["flock", "--fcntl", "--start", "0", "--length", "1", "/run/huey.lock", *CMD], []),
])
def test_flock_forks_and_waits(words: list[str], inner: list[str]) -> None:
    """util-linux flock forks by default, runs the command (a ``-c`` STRING with ``/bin/sh -c``) in the child
    and waits, with no handler for the stop signal: a ``forks`` wrapper (HL201) whose fix is ``-F``."""
    [hit] = run(*words)
    assert (hit.program, [t.text for t in hit.args]) == ("huey_consumer", CMD[1:])
    assert [(p.kind, p.shell, p.how) for p in hit.wrappers] == [("forks", "`flock`", "no-fork")]
    assert [(hop.name, hop.passes_signal) for hop in hit.hops] == [("flock", False), *((n, True) for n in inner)]


def test_flock_without_a_command_starts_nothing() -> None:
    assert run("flock", "-n", "9") == [] and run("flock", "/run/huey.lock") == []


@pytest.mark.parametrize(("words", "what", "user"), [
    (["systemd-run", "--scope", *CMD], "`systemd-run --scope`", None),
    (["systemd-run", "--unit", "huey", "-p", "KillSignal=SIGINT", "--uid=app", *CMD], "`systemd-run`", "app"),
    (["systemd-run", "-u", "huey", "--wait", *CMD], "`systemd-run`", ""),
])
def test_systemd_run_is_a_launch_in_a_unit_of_its_own(words: list[str], what: str, user: str | None) -> None:
    """systemd-run(1): the consumer runs in a transient unit systemd stops with that unit's settings: a launch
    not followed (HL004, its options as written), the user ``--uid`` (a transient service's otherwise unknown; a
    scope keeps the caller's)."""
    [hit] = run(*words)
    assert (hit.program, [t.text for t in hit.args], hit.options_unknown) == ("huey_consumer", CMD[1:], False)
    assert [(u.what, u.why) for u in hit.unresolved] == [(what, TRANSIENT_UNIT_WHY)]
    if user is None:
        assert hit.user is None
    else:
        assert hit.user is not None and (hit.user.value == user if user else not hit.user.known)


def test_an_unknown_program_before_an_option_holding_its_value_is_a_launch_not_followed() -> None:
    """``--opt=value`` holds its own value, so the consumer's name after it is the program an unknown launcher
    runs (HL004), not an option's value (it was dropped without a word)."""
    [hit] = run("/usr/local/bin/cpulimit", "--limit=50", *CMD)
    assert hit.program == "huey_consumer" and [u.what for u in hit.unresolved] == ["`/usr/local/bin/cpulimit`"]
    assert run("logger", "-t", "huey_consumer", "app.huey") == []


@pytest.mark.parametrize("flag", ["--deep", "-x"])
def test_an_unknown_launcher_with_a_flag_before_the_consumer_and_its_app_is_a_launch_not_followed(flag) -> None:
    """``authbind --deep huey_consumer app.huey -w 4``: the flag may take no value, and a consumer given a Python app
    path after it is the program the launcher runs (HL004, its options read); before, the consumer's name was taken
    for the flag's value and the launch dropped ("no consumer launch found"). A name an image or a tag is given
    stays a value: the word after it is no dotted import path, or the program only names processes."""
    [hit] = run("authbind", flag, *CMD)
    assert (hit.program, [t.text for t in hit.args], hit.options_unknown) == ("huey_consumer", CMD[1:], False)
    assert [u.what for u in hit.unresolved] == ["`authbind`"]
    assert run("logger", flag, "huey_consumer", "app.huey") == []
    assert run("pkill", flag, "huey_consumer", "app.huey") == []


@pytest.mark.parametrize("words", [
    ["mywrap", "--flag", "python", "-m", "huey.bin.huey_consumer"],
    ["mywrap", "--", "/venv/bin/python3", "-u", "-m", "huey.bin.huey_consumer"],
])
def test_an_unknown_launcher_running_the_consumer_module_is_a_launch_not_followed(words) -> None:
    """``mywrap python -m huey.bin.huey_consumer app.huey``: the module is the consumer a Python interpreter runs
    under the launcher (HL004, its options read); before, nothing was said at all (no launch, no dropped one)."""
    [hit] = run(*words, *CMD[1:])
    assert (hit.program, [t.text for t in hit.args], hit.options_unknown) == ("huey_consumer", CMD[1:], False)
    assert [u.what for u in hit.unresolved] == ["`mywrap`"]


class Image:
    """An image holding ``/entrypoint.sh``."""

    def __init__(self, script: str) -> None:
        from pathlib import Path

        from hueylint.sources import SourceFile
        self.file = SourceFile(Path("docker/entrypoint.sh"), "docker/entrypoint.sh", script)

    def script(self, word: str, origin: Loc) -> object:
        return self.file if word == "/entrypoint.sh" else None


def entry(script: str, *cmd: str) -> list[ConsumerHit]:
    words = ["/entrypoint.sh", *cmd]
    return resolve([Token(w, ORIGIN) for w in words], ORIGIN, Image("#!/bin/sh\n" + script))  # type: ignore[arg-type]


@pytest.mark.parametrize(("script", "wrapped"), [
    ('CMD="huey_consumer app.huey -w 4"\neval "exec $CMD"\n', []),
    ('eval exec "$@"\n', []),
    ('eval "exec huey_consumer app.huey -w 4"\n', []),
    ('CMD="huey_consumer app.huey -w 4"\neval "$CMD"\n', ["stays"]),
    ('eval "$@"\necho done\n', ["stays"]),
])
def test_eval_of_known_words_runs_them_as_bash_does(script: str, wrapped: list[str]) -> None:
    """bash joins eval's words with spaces and reads them again as a command of the script's own process: an
    ``exec`` in the string replaces the script, a command without it leaves the script in between (HL201).
    These were dropped without a word (``eval`` was "not a launcher hueylint knows" with the arguments)."""
    [hit] = entry(script, *CMD)
    assert (hit.program, [t.text for t in hit.args]) == ("huey_consumer", CMD[1:])
    assert not hit.unresolved and [p.kind for p in hit.wrappers] == wrapped


def test_eval_words_keep_their_places_when_they_read_back_as_themselves() -> None:
    [hit] = entry('eval exec "$@"\n', *CMD)
    assert [t.loc for t in hit.args] == [ORIGIN] * 3  # the Dockerfile's words, not the eval line
    [split] = entry('CMD="huey_consumer app.huey -w 4"\neval "exec $CMD"\n')
    assert {t.loc.path for t in split.args} == {"docker/entrypoint.sh"} and split.loc.line == 3


@pytest.mark.parametrize(("script", "what", "wrapped"), [
    ('eval "exec $WORKER_CMD"\n', "`eval exec $WORKER_CMD`", []),
    ('eval "$WORKER_CMD"\n', "`eval $WORKER_CMD`", ["stays"]),
    ('eval "exec huey_consumer $OPTS"\n', "`eval exec huey_consumer $OPTS`", []),
    ("eval \"cd /app && exec huey_consumer app.huey\"\n", "`eval cd /app && exec huey_consumer app.huey`", ["stays"]),
])
def test_eval_of_a_string_not_known_is_a_launch_not_followed(script: str, what: str, wrapped: list[str]) -> None:
    """An eval hueylint cannot read again, in a launch that names the consumer: HL004 naming the eval."""
    [hit] = entry(script, *CMD)
    assert hit.options_unknown and [u.what for u in hit.unresolved] == [what]
    assert hit.unresolved[0].why.startswith("eval runs a string hueylint cannot read again: ")
    assert [p.kind for p in hit.wrappers] == wrapped


def test_eval_that_sets_variables_is_no_launch() -> None:
    """``eval "$(ssh-agent)"`` before ``exec "$@"``: the consumer is the one exec'd; the eval is no candidate."""
    [hit] = entry('eval "$(ssh-agent -s)"\nexec "$@"\n', *CMD)
    assert not hit.unresolved and not hit.wrappers


MAKEFILE = """PYTHON ?= python
.PHONY: web worker

web:
\tgunicorn app.wsgi

worker: migrate
\t@echo starting
\t-$(PYTHON) manage.py run_huey \\
\t    -w 4 -f
beat:
\thuey_consumer app.huey -w 1 &
"""


@pytest.mark.parametrize(("launch", "expected"), [
    ("worker: make worker\n", [("run_huey", "`make worker`", [])]),
    ("worker: make -f Makefile beat\n", [("huey_consumer", "`make -f Makefile beat`", ["background"])]),
    ("web: make web\n", []),
])
def test_a_make_target_recipe_that_starts_the_consumer(tmp_path, launch: str, expected: list) -> None:
    """``worker: make worker``: make runs the recipe as its child and stays (GNU make passes SIGTERM on, not
    SIGINT): a launch not followed (HL004) whose options come from the recipe (a make variable as the program:
    the consumer's name after it still says what runs); a recipe backgrounding it is HL201 too.  It was silent."""
    from tests.helpers import lint, write_tree
    write_tree(tmp_path, {"Procfile": launch, "Makefile": MAKEFILE,
                          "app/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n"})
    result = lint(tmp_path)
    found = [(launch.consumer.program.value, [u.what for u in launch.unresolved], [p.kind for p in launch.wrappers])
             for launch in result.project.launches]
    assert found == [(program, [what], kinds) for program, what, kinds in expected]
    if expected:
        assert any(f.rule == "HL004" and f.loc.path == "Procfile" and "make runs the target's recipe" in f.message
                   for f in result.findings)
        assert not any(f.rule in ("HL101", "HL102") for f in result.findings)  # make stands between


@pytest.mark.parametrize(("makefile", "launch", "expected"), [
    ("include common.mk\nweb:\n\tgunicorn app.wsgi\n", "worker: make worker\n", ["`make worker`"]),
    ("-include $(ENV).mk mk/common.mk\n", "worker: make -C . worker\n", ["`make -C . worker`"]),
    ("include common.mk\nweb:\n\tgunicorn app.wsgi\n", "web: make web\n", []),
])
def test_a_make_target_in_an_included_makefile(tmp_path, makefile: str, launch: str, expected: list) -> None:
    """GNU make reads the files ``include`` names as part of the Makefile: ``make worker`` whose rule is in
    ``common.mk`` is the same launch not followed (HL004) as one in the Makefile itself (before: no launch found,
    only the "no consumer launch" warning)."""
    from tests.helpers import lint, write_tree
    rule = "worker:\n\thuey_consumer app.huey -w 2\n"
    write_tree(tmp_path, {"Procfile": launch, "Makefile": makefile, "common.mk": rule, "mk/common.mk": rule,
                          "app/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n"})
    result = lint(tmp_path)
    assert [u.what for launch in result.project.launches for u in launch.unresolved] == expected
    assert [f.loc.path for f in result.findings if f.rule == "HL004"] == ["Procfile"] * len(expected)


@pytest.mark.parametrize(("words", "seconds"), [
    (["timeout", "-k", "5", "1d"], 5.0), (["timeout", "--kill-after=2m", "-s", "INT", "3600"], 120.0),
    (["timeout", "-k5s", "--foreground", "1h"], 5.0), (["timeout", "1d"], None),
])
def test_timeout_relays_the_signal_and_kill_after_is_a_deadline(words: list[str], seconds: float | None) -> None:
    """coreutils timeout relays the signal it receives to the command; with ``-k`` it arms SIGKILL that long after
    any signal: a launcher hop that passes the signal on, with that deadline."""
    [hit] = run(*words, *CMD)
    assert not hit.wrappers and not hit.unresolved
    [hop] = hit.hops
    assert (hop.name, hop.passes_signal) == ("timeout", True)
    assert (hop.deadline.value if hop.deadline is not None else None) == seconds


TASKS = '''from invoke import task


@task
def web(c):
    c.run("gunicorn app.wsgi")


@task
def run_worker(c, workers=4):
    c.run(
        f"huey_consumer app.huey -w {workers}",
    )
'''


@pytest.mark.parametrize(("launch", "files", "what"), [
    ("worker: invoke run-worker\n", {"tasks.py": TASKS}, "`invoke run-worker` (tasks.py)"),
    ("worker: inv -c ops run_worker\n", {"ops/__init__.py": TASKS}, "`inv -c ops run_worker` (ops/__init__.py)"),
    ("worker: fab run-worker\n", {"fabfile.py": TASKS}, "`fab run-worker` (fabfile.py)"),
    ("web: invoke web\n", {"tasks.py": TASKS}, None),
    ("worker: invoke run-worker\n", {}, None),
])
def test_an_invoke_task_that_mentions_huey_is_a_launch_not_followed(tmp_path, launch, files, what) -> None:
    """``worker: invoke run-worker`` runs the repository's Python task, whose commands are Python values run as the
    runner's children: HL004 naming the task's file (it was silent); a task that never mentions huey, or a
    collection not in the repository, is no candidate."""
    from tests.helpers import lint, write_tree
    write_tree(tmp_path, {"Procfile": launch, **files,
                          "app/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n"})
    result = lint(tmp_path)
    found = [[u.what for u in launch.unresolved] for launch in result.project.launches]
    assert found == ([[what]] if what else [])
    if what:
        assert [f.rule for f in result.findings if f.loc.path == "Procfile"] == ["HL004"]


UNIT = ("[Service]\nExecStart=/srv/start.sh\nKillSignal=SIGINT\nTimeoutStopSec=60\nRestart=on-failure\nUser=app\n"
        "ExecReload=/bin/kill -HUP $MAINPID\nWorkingDirectory=/srv\nType=exec\n")


@pytest.mark.parametrize(("line", "expected"), [
    # the shell's `command` builtin runs its command as written, without the script's functions: `command exec`
    # replaces the shell as `exec` does (was HL004 "`command` cannot be followed" and HL201 "stays between")
    ("command exec huey_consumer app.huey -t 30", []),
    ("command -p exec huey_consumer app.huey -t 30", []),
    ("huey_consumer() { echo stub; }\ncommand exec huey_consumer app.huey -t 30", []),
    # without exec the shell stays between, as for the bare command
    ("command huey_consumer app.huey -t 30", [("HL201", "huey.service", 2, 11)]),
    # `command -v` only says where the program is: no launch, nothing to follow
    ("command -v huey_consumer >/dev/null || exit 1\nexec huey_consumer app.huey -t 30", []),
])
def test_the_command_builtin_runs_its_command(tmp_path, line: str, expected: list) -> None:
    from tests.helpers import lint, write_tree

    write_tree(tmp_path, {"huey.service": UNIT, "start.sh": f"#!/bin/sh\n{line}\n", "requirements.txt": "huey==3.5.0\n",
                          "app/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('x')\n"})
    result = lint(tmp_path, {"ignore": ["HL105"]})
    assert [(f.rule, f.loc.path, f.loc.line, f.loc.col) for f in result.findings] == expected
    assert len(result.project.launches) == 1


def test_exec_is_written_after_the_command_builtin(tmp_path) -> None:
    """The HL201 fix wrote `exec command huey_consumer ...`: exec then looks for a program named `command`, which
    Linux does not have (`exec: command: not found`); `command exec huey_consumer ...` is what replaces the shell."""
    from tests.helpers import lint, write_tree

    write_tree(tmp_path, {"huey.service": UNIT, "start.sh": "#!/bin/sh\ncommand -p huey_consumer app.huey -t 30\n"})
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL201"]
    assert finding.fix is not None and [(e.path, e.line, e.col, e.replacement) for e in finding.fix.edits] == [
        ("start.sh", 2, 12, "exec ")]


FLOCK_PROGRAM = ("[program:huey]\ncommand=flock -n /var/lock/huey.lock /srv/venv/bin/huey_consumer app.huey -w 2\n"
                 "user=app\nstopwaitsecs=60\n")


@pytest.mark.parametrize(("extra", "expected"), [
    # flock forks and relays nothing: supervisord's SIGTERM ends flock, never reaches the consumer; HL101 (its fix
    # `-g TERM` or stopsignal=INT, which flock swallows too), HL102 and HL104 are not reported above that break
    ("", [("HL201", 2, 9)]),
    ("stopsignal=INT\n", [("HL201", 2, 9)]),
    # stopasgroup: supervisord signals flock's process group, the consumer included: no break, HL101 and HL104
    ("stopasgroup=true\n", [("HL101", 2, 9), ("HL104", 2, 38)]),
])
def test_flock_breaks_the_stop_signal_outside_systemd(tmp_path, extra: str, expected) -> None:
    write_tree(tmp_path, {"deploy/supervisord.conf": FLOCK_PROGRAM + extra})
    result = lint(tmp_path)
    assert [(f.rule, f.loc.line, f.loc.col) for f in result.findings] == expected
    [launch] = result.project.launches
    assert (launch.stop_view() is None) == (not extra.startswith("stopasgroup"))


WORKER = "#!/bin/sh\ncd /srv\nhuey_consumer app.huey -w 2\n"


@pytest.mark.parametrize(("init", "group_init"), [
    (["dumb-init", "--"], "`dumb-init`"),  # setsid mode: the child's whole process group
    (["dumb-init", "-v", "--"], "`dumb-init`"),
    (["dumb-init", "-c", "--"], ""),  # --single-child: the shell only
    (["dumb-init", "--single-child", "--"], ""),
    (["dumb-init", "-vc", "--"], ""),
    (["tini", "--"], ""),  # tini signals its child only...
    (["tini", "-g", "--"], "`tini`"),  # ... unless -g
    (["tini", "-sg", "--"], "`tini`"),
])
def test_a_shell_under_an_init_that_signals_the_process_group_still_stays(init: list[str], group_init: str) -> None:
    """dumb-init (by default) and ``tini -g`` pass the stop signal to the child's process group, the consumer behind
    a shell included, but exit as soon as their child, the shell, dies on it (dumb-init.c sends the group SIGTERM
    and exits): the consumer is killed with the container all the same. HL201 stays, saying so (``group_init``)."""
    from tests.unit.test_chain import DictResolver

    [hit] = resolve([Token(w, ORIGIN) for w in [*init, "/worker.sh"]], ORIGIN,
                    DictResolver({"/worker.sh": ("docker/worker.sh", WORKER)}))
    assert [(p.kind, p.group_init) for p in hit.wrappers] == [("stays", group_init)]


def test_a_background_consumer_under_dumb_init_is_a_background_problem() -> None:
    from tests.unit.test_chain import DictResolver

    script = "#!/bin/sh\nhuey_consumer app.huey &\nexec gunicorn app:wsgi\n"
    [hit] = resolve([Token(w, ORIGIN) for w in ["dumb-init", "--", "/start.sh"]], ORIGIN,
                    DictResolver({"/start.sh": ("docker/start.sh", script)}))
    assert [(p.kind, p.group_init) for p in hit.wrappers] == [("background", "`dumb-init`")]


@pytest.mark.parametrize("words", [
    ["mywrap", "python", "-m", "django", "run_huey", "-w", "4"],
    ["mywrap", "--flag", "/venv/bin/python3", "-u", "-m", "django", "run_huey", "-w", "4"],
])
def test_an_unknown_launcher_running_django_as_a_module_is_a_launch_not_followed(words) -> None:
    """``mywrap python -m django run_huey``: django's __main__ is django-admin, so run_huey is the program the
    interpreter runs under the launcher (HL004, its options read); before, nothing was said at all."""
    [hit] = run(*words)
    assert (hit.program, [t.text for t in hit.args], hit.options_unknown) == ("run_huey", ["-w", "4"], False)
    assert [u.what for u in hit.unresolved] == ["`mywrap`"]


@pytest.mark.parametrize("words", [
    ["echo", "huey_consumer", "app.huey"], ["echo", "-e", "huey_consumer", "app.huey"],
    ["/bin/echo", "run_huey"], ["printf", "--", "huey_consumer", "app.huey"], ["logger", "huey_consumer", "app.huey"],
    ["ls", "-l", "huey_consumer", "app.huey"], ["killall", "-s", "INT", "huey_consumer", "app.huey"],
    ["cp", "-v", "huey_consumer", "app.bak"], ["which", "-a", "huey_consumer", "app.huey"],
])
def test_a_program_that_only_names_the_consumer_runs_no_launch(words) -> None:
    """``echo huey_consumer app.huey``, ``killall -s INT huey_consumer app.huey``: the program prints, lists,
    copies or signals something by that name, it runs no command (before: a launch under an unknown launcher,
    HL004, with every rule judging a consumer that never starts)."""
    assert run(*words) == []


@pytest.mark.parametrize(("options", "rewrites"), [
    (["--rewrite", "15:2"], (("TERM", "INT"),)),
    (["-r", "15:2", "-r", "1:15"], (("TERM", "INT"), ("HUP", "TERM"))),
    (["--rewrite=15:2", "--single-child"], (("TERM", "INT"),)),
    (["-r15:2"], (("TERM", "INT"),)),
    (["-r", "15:0"], ()),  # 0 drops the signal: not modelled
    ([], ()),
])
def test_dumb_init_rewrites_are_read(options, rewrites) -> None:
    """``dumb-init --rewrite 15:2``: a received SIGTERM is passed on as SIGINT (dumb-init(1), numbered signals)."""
    [hit] = run("dumb-init", *options, "--", *CMD)
    assert [(hop.name, hop.rewrites) for hop in hit.hops] == [("dumb-init", rewrites)]


def test_a_rewriting_hop_sends_what_it_makes_of_the_signal_above() -> None:
    from hueylint.launches import final_signal, rewritten
    from hueylint.model import Hop, Val

    platform = Hop("platform", "docker", ORIGIN, sends=Val.default("TERM", "Docker default"))
    init = Hop("launcher", "dumb-init", Loc("Dockerfile", 3, 14), rewrites=(("TERM", "INT"),))
    signal = final_signal(rewritten([platform, init]))
    assert (signal.value, signal.loc) == ("INT", Loc("Dockerfile", 3, 14))
    quit_ = Hop("platform", "docker", ORIGIN, sends=Val("QUIT", ORIGIN))
    assert final_signal(rewritten([quit_, init])).value == "QUIT"  # a signal it does not rewrite passes as it is


def test_hl201_under_dumb_init_says_the_consumer_is_signalled_then_killed(tmp_path) -> None:
    """What HL201 tells a user whose image runs dumb-init (the signal does reach the consumer: what kills it is
    dumb-init exiting with its own child)."""
    write_tree(tmp_path, {
        "requirements.txt": "huey==3.5.0\n",
        "start.sh": "#!/bin/sh\nhuey_consumer app.huey -w 2 &\nexec gunicorn app:wsgi\n",
        "worker.sh": "#!/bin/sh\ncd /app\nhuey_consumer app.huey -w 2 -g TERM -t 5\n",
        "Dockerfile": "FROM python:3.11\nCOPY . /app\nUSER nobody\nENTRYPOINT [\"dumb-init\", \"--\"]\nCMD [\"/app/start.sh\"]\n",
        "Dockerfile.worker": "FROM python:3.11\nCOPY . /app\nUSER nobody\nENTRYPOINT [\"dumb-init\", \"--\"]\n"
                             "CMD [\"/app/worker.sh\"]\n",
    })
    messages = sorted(f.message for f in lint(tmp_path).findings if f.rule == "HL201")
    assert messages == [
        "script `start.sh` starts the consumer in the background (`&`) and then runs `exec gunicorn app:wsgi`: "
        "`dumb-init` passes the stop signal to the whole process group, the consumer included, but exits as soon as "
        "its own child does, so the consumer is killed with the container before a graceful shutdown ends. Fix: start "
        "it in the foreground as the last command with `exec`, or run it as its own service/container",
        "script `worker.sh` stays between `dumb-init` and the consumer: `dumb-init` passes the stop signal to the whole "
        "process group, the consumer included, but a shell without a trap dies on SIGTERM at once and `dumb-init` exits "
        "with its child, so the container's last processes, the consumer among them, are killed before a graceful "
        "shutdown ends. Fix: `exec` the consumer as the last command, use the exec (JSON) form, or drop the wrapper",
    ]
