"""HL201 chains: launchers, ``sh -c`` strings and repo scripts, in the shapes real repositories use."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.chain import ConsumerHit, Token, resolve, shell_string, split_command_line, supervisor_invocation
from hueylint.locations import Loc
from hueylint.sources import SourceFile

ORIGIN = Loc("Dockerfile", 12, 1, 12, 40)


class DictResolver:
    """Maps command words to in-memory scripts (``/entrypoint`` -> ``compose/entrypoint``)."""

    def __init__(self, scripts: dict[str, tuple[str, str]]) -> None:
        self.files = {word: SourceFile(Path(rel), rel, text) for word, (rel, text) in scripts.items()}

    def script(self, word: str, origin: Loc) -> SourceFile | None:
        return self.files.get(word)


def toks(*words: str, loc: Loc = ORIGIN) -> list[Token]:
    return [Token(w, loc) for w in words]


def run(words: list[str], scripts: dict[str, tuple[str, str]] | None = None) -> list[ConsumerHit]:
    return resolve(toks(*words), ORIGIN, DictResolver(scripts or {}))


def quiet(hits: list[ConsumerHit]) -> bool:
    return not any(h.wrappers for h in hits)


COOKIECUTTER_ENTRYPOINT = """#!/bin/bash

set -o errexit
set -o pipefail
set -o nounset

if [ -z "${POSTGRES_USER}" ]; then
    base_postgres_image_default_user='postgres'
    export POSTGRES_USER="${base_postgres_image_default_user}"
fi
export DATABASE_URL="postgres://${POSTGRES_USER}:${POSTGRES_PASSWORD}@${POSTGRES_HOST}:${POSTGRES_PORT}/${POSTGRES_DB}"

python << END
import sys
import psycopg
while True:
    try:
        psycopg.connect(dbname="${POSTGRES_DB}")
        break
    except psycopg.OperationalError:
        sys.stderr.write("Waiting for PostgreSQL to become available...\\n")
END

>&2 echo 'PostgreSQL is available'

exec "$@"
"""

START_HUEY = """#!/bin/bash

set -o errexit
set -o nounset

python manage.py migrate --noinput
exec python manage.py run_huey --workers 4 -k thread
"""

BACKGROUND = """#!/bin/bash
python manage.py collectstatic --noinput
python manage.py run_huey &
exec gunicorn config.wsgi --bind 0.0.0.0:$PORT
"""

ROLE_IF = """#!/usr/bin/env bash
set -euo pipefail
if [[ "$ROLE" == "worker" ]]; then
  echo "starting worker"
  python manage.py run_huey --workers "${HUEY_WORKERS:-4}"
elif [[ $ROLE == web ]]; then
  exec gunicorn app.wsgi
fi
"""

ROLE_CASE = """#!/bin/sh
set -e
case "$1" in
  worker)
    huey_consumer app.huey -w 2 -k process
    ;;
  web)
    exec gunicorn app:wsgi
    ;;
  *)
    exec "$@"
    ;;
esac
"""


def test_cookiecutter_entrypoint_forwards_cmd_silently() -> None:
    scripts = {"/entrypoint": ("compose/production/django/entrypoint", COOKIECUTTER_ENTRYPOINT)}
    hits = run(["/entrypoint", "python", "manage.py", "run_huey", "-w", "2"], scripts)
    assert [h.program for h in hits] == ["run_huey"]
    assert [t.text for t in hits[0].args] == ["-w", "2"]
    assert quiet(hits)
    script_hop = hits[0].hops[0]
    assert (script_hop.kind, script_hop.name, script_hop.passes_signal) == \
        ("script", "compose/production/django/entrypoint", True)
    assert script_hop.loc.line == 26  # the `exec "$@"` line
    assert hits[0].loc == ORIGIN  # the consumer is written in the Dockerfile CMD


def test_start_huey_script_ending_in_exec_is_silent() -> None:
    hits = run(["/start-huey"], {"/start-huey": ("compose/production/django/start-huey", START_HUEY)})
    assert [h.program for h in hits] == ["run_huey"]
    assert quiet(hits)
    assert hits[0].loc == Loc("compose/production/django/start-huey", 7, 13, 7, 22)  # manage.py
    assert [t.text for t in hits[0].args] == ["--workers", "4", "-k", "thread"]


def test_background_consumer_then_exec_gunicorn_is_severe_and_names_both_lines() -> None:
    hits = run(["./start.sh"], {"./start.sh": ("docker/start.sh", BACKGROUND)})
    assert len(hits) == 1
    (problem,) = hits[0].wrappers
    assert problem.severe
    assert (problem.kind, problem.shell, problem.then) == ("background", "script `docker/start.sh`",
                                                           "`exec gunicorn config.wsgi --bind ...`")
    assert problem.locs[0][0] == ORIGIN
    assert [(loc.path, loc.line) for loc, _ in problem.locs[1:]] == [("docker/start.sh", 3), ("docker/start.sh", 4)]
    assert hits[0].hops[0].passes_signal is False


def test_role_if_worker_branch_without_exec_names_the_branch() -> None:
    hits = run(["/app/run.sh"], {"/app/run.sh": ("scripts/run.sh", ROLE_IF)})
    assert len(hits) == 1  # the web branch starts no consumer
    hit = hits[0]
    assert hit.branch == 'if [[ "$ROLE" == "worker" ]]'
    (problem,) = hit.wrappers
    assert not problem.severe and problem.branch == hit.branch
    assert (problem.kind, problem.how, problem.starts) == ("stays", "last", "the consumer")
    assert problem.locs[-1][0].line == 5


def test_role_case_worker_branch_and_forwarded_default() -> None:
    scripts = {"/entrypoint.sh": ("docker/entrypoint.sh", ROLE_CASE)}
    worker = run(["/entrypoint.sh", "worker"], scripts)
    assert [h.branch for h in worker] == ['case "$1" in worker)']
    assert worker[0].wrappers and worker[0].wrappers[0].branch == 'case "$1" in worker)'
    forwarded = [h for h in run(["/entrypoint.sh", "huey_consumer", "app.huey"], scripts) if h.branch.endswith("*)")]
    assert len(forwarded) == 1 and not forwarded[0].wrappers


def test_dispatch_shift_then_forward() -> None:
    script = """#!/bin/sh
set -e
if [ "${1#-}" != "$1" ]; then
\tset -- huey_consumer "$@"
fi
case "$1" in
  worker)
    shift
    exec python manage.py run_huey "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
"""
    hits = run(["/docker-entrypoint.sh", "worker", "-w", "8"], {"/docker-entrypoint.sh": ("entry.sh", script)})
    worker = [h for h in hits if "worker" in h.branch]
    assert [t.text for t in worker[0].args] == ["-w", "8"]
    assert quiet(hits)


@pytest.mark.parametrize("line", ['exec "$@"', 'exec "${@}"', "exec $@", 'CMD="$@"\nexec $CMD',
                                  'ARGS=("$@")\nexec "${ARGS[@]}"', 'exec gosu app "$@"'])
def test_forwarding_forms_are_silent(line: str) -> None:
    hits = run(["/e.sh", "huey_consumer", "app.huey"], {"/e.sh": ("e.sh", f"#!/bin/sh\nset -e\n{line}\n")})
    assert [h.program for h in hits] == ["huey_consumer"] and quiet(hits)


def test_sh_c_migrate_then_exec_consumer_is_silent() -> None:
    hits = run(["sh", "-c", "python manage.py migrate && exec huey_consumer app.huey"])
    assert [h.program for h in hits] == ["huey_consumer"] and quiet(hits)
    assert hits[0].hops[0].kind == "shell" and hits[0].hops[0].passes_signal


def test_sh_c_without_exec_is_a_problem() -> None:
    hits = run(["sh", "-c", "huey_consumer app.huey"])
    (problem,) = hits[0].wrappers
    assert (problem.kind, problem.shell, problem.how) == ("stays", "`sh -c`", "last") and not problem.severe
    assert problem.locs[0][0].path == "Dockerfile"


def test_sh_c_background_is_severe() -> None:
    hits = run(["bash", "-c", "huey_consumer app.huey & exec gunicorn app:wsgi"])
    assert hits[0].wrappers[0].severe


def test_su_c_bash_c_reports_su() -> None:
    hits = run(["su", "app", "-c", "bash -c 'huey_consumer app.huey -w 2'"])
    assert [t.text for t in hits[0].args] == ["app.huey", "-w", "2"]
    # bash execs the sole command of its -c string itself, but the spec's HL201 still asks for an
    # explicit exec (the message says why); su stays in between either way
    assert [(p.kind, p.shell) for p in hits[0].wrappers] == [("no-exec", "`bash -c`"), ("su", "`su -c`")]
    assert [(hop.name, hop.passes_signal) for hop in hits[0].hops] == [("su -c", False), ("bash -c", False)]
    execed = run(["su", "app", "-c", "exec huey_consumer app.huey"])
    assert [p.kind for p in execed[0].wrappers] == ["su"]  # su forks even when the string execs


def test_xvfb_run_forks_and_passes_no_signal() -> None:
    """Field test (g3w-suite/g3w-suite-docker): xvfb-run (a sh script) runs its command as a child and relays no
    signal, so it is a wrapper problem of its own; its options (valued ones too) are skipped, what follows is
    resolved as any command (launchers, manage.py), and `exec` before it changes nothing."""
    hits = run(["/usr/bin/xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", "python3", "manage.py", "run_huey", "-w", "2"])
    assert [(h.program, [t.text for t in h.args]) for h in hits] == [("run_huey", ["-w", "2"])]
    assert [(p.kind, p.shell, p.severe) for p in hits[0].wrappers] == [("forks", "`xvfb-run`", False)]
    assert [(hop.name, hop.passes_signal) for hop in hits[0].hops] == [("xvfb-run", False)]
    long_form = run(["xvfb-run", "--auto-servernum", "--server-args=-screen 0 1024x768x24", "--error-file", "/dev/stdout",
                     "gosu", "app", "huey_consumer", "app.huey"])
    assert [h.program for h in long_form] == ["huey_consumer"]
    assert [(hop.name, hop.passes_signal) for hop in long_form[0].hops] == [("xvfb-run", False), ("gosu", True)]
    scripts = {"/start.sh": ("docker/start.sh", "#!/bin/sh\ncd /app\nexec xvfb-run -a huey_consumer app.huey\n")}
    execed = run(["/start.sh"], scripts)
    assert [p.kind for p in execed[0].wrappers] == ["forks"]  # the script execs; xvfb-run still forks
    assert execed[0].wrappers[0].locs[-1] == (Loc("docker/start.sh", 3, 6, 3, 6 + len("xvfb-run")), "xvfb-run")
    assert run(["xvfb-run", "-a"]) == [] and run(["xvfb-run", "-a", "gunicorn", "app:wsgi"]) == []


def test_sh_c_columns_point_into_the_string() -> None:
    loc = Loc("Procfile", 2, 9, 2, 9 + len("'exec huey_consumer app.huey'"))
    hits = shell_string(Token("exec huey_consumer app.huey", loc), Token("sh", loc), loc, DictResolver({}), 0)
    assert hits[0].loc.col == 9 + 1 + len("exec ")
    assert hits[0].args[0].loc.col == 9 + 1 + len("exec huey_consumer ")


def test_tini_entrypoint_forwarding_is_silent() -> None:
    scripts = {"/entrypoint.sh": ("docker/entrypoint.sh", "#!/bin/sh\nset -e\nexec \"$@\"\n")}
    hits = run(["tini", "--", "/entrypoint.sh", "huey_consumer", "app.huey"], scripts)
    assert [h.program for h in hits] == ["huey_consumer"] and quiet(hits)
    assert [hop.name for hop in hits[0].hops][:2] == ["tini", "docker/entrypoint.sh"]


def test_bash_script_argument_and_shebang_interpreters() -> None:
    scripts = {"scripts/run.sh": ("scripts/run.sh", "#!/bin/bash\nexec huey_consumer app.huey\n"),
               "./tool": ("tool", "#!/usr/bin/env python3\nprint('huey_consumer')\n")}
    assert quiet(run(["bash", "scripts/run.sh"], scripts)) and run(["bash", "scripts/run.sh"], scripts)
    assert run(["./tool"], scripts) == []


def test_broken_script_does_not_crash() -> None:
    broken = "#!/bin/sh\nset -e\nif [ \"$1\" = worker ; then\n  echo \"oops\nfi\nexec huey_consumer app.huey\n"
    assert run(["/e.sh"], {"/e.sh": ("e.sh", broken)}) == []
    unclosed = "#!/bin/sh\nstart() {\n  huey_consumer a.b\n"
    assert run(["/e.sh"], {"/e.sh": ("e.sh", unclosed)}) == []  # bash would refuse to run it: no claim


def test_commented_out_consumer_is_nothing() -> None:
    script = "#!/bin/sh\n# huey_consumer app.huey -w 4 &\n#exec python manage.py run_huey\nexec gunicorn app\n"
    assert run(["/e.sh"], {"/e.sh": ("e.sh", script)}) == []


def test_function_called_in_background_is_severe_and_names_the_call() -> None:
    script = """#!/bin/bash
start_worker() {
  huey_consumer app.huey -w "$WORKERS" -k process
}
start_worker &
exec uwsgi --ini uwsgi.ini
"""
    hits = run(["/start"], {"/start": ("bin/start", script)})
    (problem,) = hits[0].wrappers
    assert problem.severe and (problem.kind, problem.then) == ("background", "`exec uwsgi --ini uwsgi.ini`")
    assert [loc.line for loc, _ in problem.locs[1:]] == [5, 3, 6]


def test_trap_forwarding_and_wait_is_silent() -> None:
    script = """#!/bin/bash
term_handler() {
  kill -INT "$pid"
  wait "$pid"
}
trap term_handler SIGTERM
huey_consumer app.huey &
pid=$!
wait "$pid"
"""
    assert quiet(run(["/run"], {"/run": ("run", script)}))


def test_pipeline_and_loop_are_problems() -> None:
    piped = run(["/r"], {"/r": ("r", "#!/bin/sh\nexec huey_consumer app.huey 2>&1 | tee /var/log/h.log\n")})
    assert piped[0].wrappers[0].how == "pipeline"
    looped = run(["/r"], {"/r": ("r", "#!/bin/sh\nwhile true; do\n  huey_consumer app.huey\n  sleep 5\ndone\n")})
    assert looped[0].wrappers[0].how == "loop"


def test_script_calling_itself_terminates() -> None:
    hits = run(["/e.sh", "x"], {"/e.sh": ("e.sh", "#!/bin/sh\nexec /e.sh \"$@\"\n")})
    assert hits == []


def test_nested_script_names_every_file() -> None:
    scripts = {"/entrypoint": ("docker/entrypoint", "#!/bin/sh\nexec /start-worker\n"),
               "/start-worker": ("docker/start-worker", "#!/bin/sh\ncd /app\nhuey_consumer app.huey\n")}
    hits = run(["/entrypoint"], scripts)
    (problem,) = hits[0].wrappers
    assert [loc.path for loc, _ in problem.locs] == ["Dockerfile", "docker/entrypoint", "docker/start-worker"]
    assert [hop.kind for hop in hits[0].hops][:2] == ["script", "launcher"]


@pytest.mark.parametrize(("line", "expected"), [
    ("supervisord -n -c /etc/supervisor/conf.d/app.conf", ("supervisord", "/etc/supervisor/conf.d/app.conf", True)),
    ("/usr/bin/supervisord -c /etc/supervisord.conf", ("supervisord", "/etc/supervisord.conf", False)),
    ("exec supervisord --nodaemon --configuration=/x.conf", ("supervisord", "/x.conf", True)),
    ("circusd circus.ini", ("circus", "circus.ini", True)),
    ("/init", ("s6", None, True)),
    ("service supervisor start", ("supervisord", None, False)),
    ("huey_consumer app.huey", None),
    # Python handed a supervisor: the module run as a script, or the console script pip installed
    ("python -m supervisor.supervisord -n -c /srv/s.conf", ("supervisord", "/srv/s.conf", True)),
    ("python .venv/bin/supervisord -c supervisord.conf", ("supervisord", "supervisord.conf", False)),
    ("/usr/bin/python3.12 -u /usr/local/bin/supervisord -c /etc/s.conf", ("supervisord", "/etc/s.conf", False)),
    ("python3 /opt/venv/bin/circusd --daemon circus.ini", ("circus", "circus.ini", False)),
    # ... and not: another module or file, or the supervisor's client
    ("python -m supervisor.supervisorctl -c /srv/s.conf status", None),
    ("python supervisord.py -c /srv/s.conf", None),
    ("python -m huey.bin.huey_consumer app.huey", None),
])
def test_supervisor_invocation(line: str, expected: tuple[str, str | None, bool] | None) -> None:
    tokens = split_command_line(line, ORIGIN)
    assert supervisor_invocation(tokens) == expected
    if expected is not None:
        assert resolve(tokens, ORIGIN) == []


def test_launchers_still_unwrap() -> None:
    hits = run(["env", "A=1", "gosu", "app", "python", "-m", "huey.bin.huey_consumer", "app.huey"])
    assert [h.program for h in hits] == ["huey_consumer"]
    assert [hop.name for hop in hits[0].hops] == ["env", "gosu"]


SUPERVISOR_THEN_NGINX = """#!/bin/bash
cat > /etc/supervisor/conf.d/app.conf <<EOF
[program:huey]
command=huey_consumer app.huey
EOF
declare -a opts=(-w 4 -k thread)
[[ -n "$DEBUG" ]] && opts+=(-v)
supervisord -c /etc/supervisor/supervisord.conf
exec nginx -g 'daemon off;'
"""


def test_daemonizing_supervisor_then_exec_is_severe() -> None:
    from hueylint.chain import supervisor_starts

    resolver = DictResolver({"/start.sh": ("docker/start.sh", SUPERVISOR_THEN_NGINX)})
    assert resolve(toks("/start.sh"), ORIGIN, resolver) == []  # the heredoc is not a command
    (started,) = supervisor_starts(toks("/start.sh"), ORIGIN, resolver)
    assert (started.kind, started.config.text if started.config else None, started.foreground) == \
        ("supervisord", "/etc/supervisor/supervisord.conf", False)
    (problem,) = started.wrappers
    assert problem.severe and (problem.kind, problem.starts) == ("daemonizes", "`supervisord`")
    assert problem.then.startswith("`exec nginx")
    assert [(loc.path, loc.line) for loc, _ in problem.locs] == [("Dockerfile", 12), ("docker/start.sh", 8),
                                                                  ("docker/start.sh", 9)]


@pytest.mark.parametrize(("script", "severe"), [
    ("#!/bin/sh\nset -e\nexec supervisord -n -c /etc/supervisor/conf.d/app.conf\n", None),
    ("#!/bin/sh\nservice supervisor start && exec gunicorn app:wsgi\n", True),
    ("#!/bin/sh\nsupervisord -n -c /etc/supervisord.conf\n", False),
])
def test_supervisor_starts_through_scripts(script: str, severe: bool | None) -> None:
    from hueylint.chain import supervisor_starts

    (started,) = supervisor_starts(toks("/run"), ORIGIN, DictResolver({"/run": ("run", script)}))
    assert [p.severe for p in started.wrappers] == ([] if severe is None else [severe])
    assert started.hops[0].kind == "script"


def test_branches_ruled_out_by_the_launch_arguments_are_not_launches() -> None:
    scripts = {"/entrypoint.sh": ("docker/entrypoint.sh", ROLE_CASE)}
    assert run(["/entrypoint.sh", "web"], scripts) == []  # the web service shares the entrypoint
    assert len(run(["/entrypoint.sh", "$SERVICE"], scripts)) == 1  # unknown argument: every branch counts
    chooser = """#!/bin/sh
if [ "$1" = "worker" ]; then
  shift
  exec huey_consumer app.huey "$@"
elif [ "$1" = "beat" ]; then
  exec huey_consumer app.huey -n
else
  huey_consumer app.huey
fi
"""
    resolver = {"/e": ("e", chooser)}
    (worker,) = run(["/e", "worker", "-w", "4"], resolver)
    assert [t.text for t in worker.args] == ["app.huey", "-w", "4"] and not worker.wrappers
    (other,) = run(["/e"], resolver)
    assert other.branch.startswith("else") and other.wrappers


@pytest.mark.parametrize(("words", "hops", "user"), [
    # field test (st-tu-dresden/inloop): a systemd unit's `envdir DIR setuidgid huey django-admin run_huey`
    (["/usr/bin/envdir", "/home/app/env", "setuidgid", "huey", "django-admin", "run_huey", "--workers=2"],
     ["envdir", "setuidgid"], "huey"),
    (["softlimit", "-m", "500000000", "-o", "256", "envuidgid", "app", "huey_consumer", "app.huey", "-w", "2"],
     ["softlimit", "envuidgid"], None),  # envuidgid only sets $UID/$GID
    (["setlock", "-n", "/run/huey.lock", "pgrphack", "huey_consumer", "app.huey", "-w", "2"],
     ["setlock", "pgrphack"], None),
    (["s6-envdir", "/etc/s6/env", "s6-softlimit", "-m", "400000000", "s6-setlock", "-t", "5000", "/run/lock",
      "s6-envuidgid", "-D", "1000:1000", "app", "huey_consumer", "app.huey", "-w", "2"],
     ["s6-envdir", "s6-softlimit", "s6-setlock", "s6-envuidgid"], None),
])
def test_daemontools_launchers_exec_their_child(words: list[str], hops: list[str], user: str | None) -> None:
    """daemontools' envdir, setuidgid, envuidgid, softlimit, setlock, pgrphack (and s6's counterparts) each
    set one thing up and exec their child: the consumer after them gets the stop signal itself."""
    hits = run(words)
    assert [h.program for h in hits] in (["huey_consumer"], ["run_huey"]) and quiet(hits)
    assert [hop.name for hop in hits[0].hops] == hops
    assert [t.text for t in hits[0].args] == (["--workers=2"] if hits[0].program == "run_huey" else
                                              ["app.huey", "-w", "2"])
    assert (hits[0].user.value if hits[0].user is not None else None) == user


def test_sudo_is_a_signal_relaying_launcher() -> None:
    """Field test (opengenomebrowser shape): `sudo -u user --preserve-env cmd` relays signals to cmd."""
    hits = run(["sudo", "-u", "app", "--preserve-env", "python", "manage.py", "run_huey", "-w", "2"])
    assert len(hits) == 1 and hits[0].program == "run_huey" and quiet(hits)
    assert [hop.name for hop in hits[0].hops] == ["sudo"]
    assert [t.text for t in hits[0].args] == ["-w", "2"]


def test_bash_c_execs_its_sole_command_but_sh_c_does_not() -> None:
    """Field test (measured: bash 5.2 replaces itself by the only command of `-c`; dash 0.5.12 forks).

    The spec still reports `bash -c` without `exec` (HL201); the message says bash's exec is an
    optimisation that an explicit `exec` turns into a guarantee.
    """
    lone = run(["bash", "-c", "python manage.py run_huey -w 2"])
    assert lone[0].wrappers[0].kind == "no-exec"
    assert not quiet(run(["sh", "-c", "python manage.py run_huey -w 2"]))
    assert not quiet(run(["bash", "-c", "trap 'echo bye' TERM; huey_consumer app.huey"]))


@pytest.mark.parametrize(("string", "kind"), [
    ("cd /app && python manage.py run_huey", ("no-exec", "list")),
    ("python manage.py migrate --no-input; python manage.py run_huey", ("no-exec", "list")),
    ("test -f .env || python manage.py run_huey", ("no-exec", "list")),
    ("trap 'echo bye' TERM; cd /app && huey_consumer app.huey", ("stays", "last")),
    ("cd /app && { echo start; huey_consumer app.huey; }", ("stays", "last")),
    ("if [ -d /app ]; then huey_consumer app.huey; fi", ("stays", "last")),
    ("cd /app && huey_consumer app.huey | tee /tmp/log", ("stays", "pipeline")),
    ("start() { huey_consumer app.huey; }; start", ("stays", "last")),
    # redirections on the command, or a command sent to the background before it, keep bash in between
    ("cd /app && huey_consumer app.huey 2>&1", ("stays", "last")),
    ("huey_consumer app.huey >> /var/log/huey.log 2>&1", ("stays", "last")),
    ("redis-server & huey_consumer app.huey", ("stays", "last")),
    # a trap that ignores (``''``) or resets (``-``) a signal runs nothing: bash still replaces itself
    ("trap '' HUP; huey_consumer app.huey", ("no-exec", "list")),
    ("trap - TERM; cd /app && huey_consumer app.huey", ("no-exec", "list")),
])
def test_bash_c_execs_the_last_command_of_its_list(string: str, kind: tuple[str, str]) -> None:
    """Field test (mdbenjam/puzzlehunt_server: `bash -c "python manage.py migrate --no-input && python
    manage.py run_huey --quiet"`).  Measured with bash 5.2: bash replaces itself by the last command of
    its `-c` string's list (`&&`, `||`, `;`), but not inside `if`/`case`, a `{ }` group or a function, nor
    after a `trap`; HL201 stays (an optimisation, not a contract), with a message that says so."""
    (hit,) = run(["bash", "-c", string])
    assert [(problem.kind, problem.how) for problem in hit.wrappers] == [kind]
    assert not quiet(run(["sh", "-c", string]))


def test_watchfiles_runs_its_command_string_as_a_dev_reloader() -> None:
    hits = run(["watchfiles", "--filter", "python", "python manage.py run_huey -w 2", "app"])
    assert len(hits) == 1 and hits[0].program == "run_huey" and hits[0].dev
    assert [t.text for t in hits[0].args] == ["-w", "2"]


def test_console_script_with_django_command_line_runs_run_huey(tmp_path):
    """Field test (karrio): ``karrio run_huey`` where ``karrio`` is a monorepo package's console script
    whose target calls Django's ``execute_from_command_line``: a run_huey launch, as ``manage.py run_huey``."""
    from tests.helpers import lint, write_tree

    main = ("import os\nimport sys\n\n\ndef main():\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"
            "    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n")
    write_tree(tmp_path, {
        "apps/api/pyproject.toml": '[project]\nname = "shop"\n[project.scripts]\nshop = "shop.__main__:main"\n',
        "apps/api/shop/__init__.py": "", "apps/api/shop/__main__.py": main,
        "deploy/worker.service": "[Service]\nUser=app\nRestart=always\nExecStart=/srv/venv/bin/shop run_huey -w 2\n",
        "deploy/web.service": "[Service]\nUser=app\nExecStart=/srv/venv/bin/shop migrate\n",
    })
    (launch,) = lint(tmp_path).project.launches
    assert launch.name == "worker.service"
    assert launch.consumer.program.loc.path == "deploy/worker.service"


FUNCTION_DISPATCH = """#!/bin/sh
start_worker() {
  if [ "${MODE}" = "development" ]; then
    exec watchmedo auto-restart -d app -- huey_consumer app.huey
  else
    exec huey_consumer app.huey -w 2
  fi
}
start_in() {
  case "$1" in
    worker) exec huey_consumer app.huey ;;
  esac
}
if [ "$1" = "worker" ]; then
  start_worker
elif [ "$1" = "pinned" ]; then
  MODE=production
  start_worker
elif [ "$1" = "role" ]; then
  start_in "$ROLE"
fi
exec "$@"
"""


class EnvResolver(DictResolver):
    def __init__(self, scripts: dict[str, tuple[str, str]], env: dict[str, str | None]) -> None:
        super().__init__(scripts)
        self.shell_env = env


def test_function_bodies_run_under_the_tests_around_their_call() -> None:
    """A function's commands are pruned by the script's ``$1`` tests around the call and by variable tests in
    the body (the launch's environment, or a value the script set before the call); never by the function's
    own ``$1``, whose value is what the call passed."""
    scripts = {"/e": ("e", FUNCTION_DISPATCH)}

    def launches(args: list[str], env: dict[str, str | None]) -> list[str]:
        hits = resolve(toks("/e", *args), ORIGIN, EnvResolver(scripts, env))
        return sorted(" ".join(t.text for t in hit.args) for hit in hits)

    assert launches(["web"], {"MODE": "development"}) == []  # `web` never calls start_worker
    assert launches(["worker"], {"MODE": "development"}) == ["app.huey"]  # the reloader's branch only
    assert launches(["worker"], {"MODE": "production"}) == ["app.huey -w 2"]
    assert launches(["worker"], {}) == ["app.huey", "app.huey -w 2"]  # MODE unknown: both branches
    assert launches(["pinned"], {"MODE": "development"}) == ["app.huey -w 2"]  # set before the call
    assert launches(["role"], {}) == ["app.huey"]  # the function's own `$1`: not the script's `role`


def test_function_called_with_the_scripts_arguments_reads_them() -> None:
    """``main "$@"``: the function's ``$1`` is the script's, so `web` never reaches the consumer; a function
    called with other words keeps its own ``$1`` (not followed: both branches may run)."""
    main = """#!/bin/sh
main() {
  case "$1" in
    worker) shift; exec huey_consumer app.huey "$@" ;;
    web) exec gunicorn app:wsgi ;;
  esac
}
main "$@"
"""
    scripts = {"/e": ("e", main)}
    assert run(["/e", "web"], scripts) == []
    (worker,) = run(["/e", "worker", "-w", "2"], scripts)
    assert [t.text for t in worker.args] == ["app.huey", "-w", "2"] and not worker.wrappers
    pinned = {"/e": ("e", main.replace('main "$@"', 'main "$ROLE"'))}
    assert len(run(["/e", "web"], pinned)) == 1  # `$ROLE` is not the script's `web`


@pytest.mark.parametrize("words", [
    ["bash", "-c", "-e", "exec huey_consumer app.huey -w 2"],
    ["sh", "-c", "-o", "errexit", "--", "exec huey_consumer app.huey -w 2"],
    ["sh", "-ec", "exec huey_consumer app.huey -w 2"],
    ["bash", "-o", "pipefail", "-c", "+x", "exec huey_consumer app.huey -w 2"],
])
def test_shell_options_may_follow_c_before_the_string(words) -> None:
    """POSIX sh: `sh -c [-abCefhimnuvx] [-o option]... command_string [command_name [argument...]]`: the
    string is the first operand, after any options, also those written after -c (`bash -c -e 'cmd'` found
    no consumer: the `-e` was taken for the string)."""
    [hit] = run(words)
    assert hit.program == "huey_consumer" and [t.text for t in hit.args] == ["app.huey", "-w", "2"]
    assert quiet([hit])


@pytest.mark.parametrize(("script", "blocked"), [
    # field (marcoBLotrek/checkmyserver): the image's CMD ends in `&& gunicorn ... && python manage.py run_huey`
    ("python manage.py migrate && gunicorn app.wsgi -b 0.0.0.0:9000 && python manage.py run_huey", "gunicorn"),
    ("gunicorn app.wsgi\nexec python manage.py run_huey", "gunicorn"),
    ("nice -n 5 uvicorn app:api || true\nexec huey_consumer app.huey", "nice"),  # `nice -n 5 uvicorn` as written
    ("python -m daphne app.asgi:application\nexec huey_consumer app.huey", "python"),
    ("python manage.py runserver 0.0.0.0:8000\nexec python manage.py run_huey", "python"),
    ("gunicorn app.wsgi --daemon\nexec huey_consumer app.huey", None),  # detaches
    ("gunicorn app.wsgi &\nexec huey_consumer app.huey", None),  # in the background: a different problem
    ('[ "$ROLE" = web ] && gunicorn app.wsgi\nexec huey_consumer app.huey', None),  # may not run at all
    ('if [ "$ROLE" = web ]; then gunicorn app.wsgi; else exec huey_consumer app.huey; fi', None),
    ("python manage.py migrate\nexec huey_consumer app.huey", None),
])
def test_a_server_in_the_foreground_before_the_consumer_blocks_it(script, blocked):
    """The shell reaches the consumer only once the server exits: while the service runs no task runs."""
    hits = run(["bash", "-c", script])
    problems = [p for hit in hits if hit.program in ("huey_consumer", "run_huey") for p in hit.wrappers
                if p.kind == "blocked"]
    assert [p.then.strip("`").split()[0] for p in problems] == ([blocked] if blocked else [])
    assert all(p.severe for p in problems)


@pytest.mark.parametrize("words", [
    ["python", "-m", "django", "run_huey", "--settings=shop.settings", "-w", "2"],
    ["/venv/bin/python3", "-u", "-m", "django", "run_huey", "--settings=shop.settings", "-w", "2"],
])
def test_python_m_django_is_django_admin(words: list[str]) -> None:
    """``python -m django`` runs django/__main__.py, django-admin's management utility: its ``run_huey`` is the
    consumer, as after ``django-admin`` (before: an unfollowed module, HL004, options unknown)."""
    (hit,) = run(words)
    assert (hit.program, [t.text for t in hit.args]) == ("run_huey", ["--settings=shop.settings", "-w", "2"])
    assert quiet([hit])
    assert run(["python", "-m", "django", "check"]) == []


@pytest.mark.parametrize(("words", "said"), [
    (["python", "-m", "huey_consumer", "app.huey", "-w", "2"], "huey installs no module `huey_consumer`"),
    (["python3", "-m", "huey_consumer.py", "app.huey"], "a module name takes no `.py`"),
    (["python", "-m", "huey", "app.huey"], "`huey` is a package with no `__main__` module"),
    (["python", "-u", "-m", "huey.consumer", "app.huey"], "of huey's modules only `huey.bin.huey_consumer`"),
])
def test_python_running_a_huey_module_that_starts_no_consumer_is_refused(words: list[str], said: str) -> None:
    # field shape: a PaaS guide's `python -m huey_consumer APP`; Python exits before any consumer runs
    hits = run(words)
    assert [h.program for h in hits] == ["huey_consumer"]
    (problem,) = hits[0].problems
    assert (problem.kind, problem.to) == ("module-not-consumer", "huey.bin.huey_consumer")
    assert problem.option == f"{words[0]} -m {words[words.index('-m') + 1]}"
    assert problem.said.startswith(said)
    assert [t.text for t in hits[0].args] == words[words.index("-m") + 2:]  # read as huey_consumer's options
    assert not hits[0].unresolved


@pytest.mark.parametrize("words", [
    ["python", "-m", "huey.bin.huey_consumer", "app.huey"],  # the consumer's own module
])
def test_the_consumer_module_is_no_refused_launch(words: list[str]) -> None:
    hits = run(words)
    assert [h.program for h in hits] == ["huey_consumer"] and not hits[0].problems


def test_another_module_stays_a_launch_not_followed() -> None:
    # `hueyworker` is not a name of huey's: a module of the app hueylint cannot see (HL004), no HL002
    hits = run(["python", "-m", "hueyworker", "app.huey"])
    assert not any(h.problems for h in hits)
    assert [part.why for h in hits for part in h.unresolved] == ["module not in the repository"]


@pytest.mark.parametrize(("words", "tool", "program"), [
    (["screen", "-dmS", "huey", "huey_consumer", "app.huey"], "screen -dm", "huey_consumer"),
    (["screen", "-d", "-m", "-L", "-Logfile", "q.log", "python", "manage.py", "run_huey"], "screen -dm", "run_huey"),
    (["tmux", "new-session", "-d", "-s", "q", "python manage.py run_huey -w 2"], "tmux new-session -d", "run_huey"),
    (["tmux", "-L", "ops", "new", "-ds", "q", "huey_consumer", "app.huey"], "tmux new-session -d", "huey_consumer"),
    (["tmux", "send-keys", "-t", "app", "cd /srv && huey_consumer app.huey", "Enter"], "tmux send-keys",
     "huey_consumer"),  # typed into a pane's shell
    (["setsid", "-f", "huey_consumer", "app.huey"], "setsid -f", "huey_consumer"),
    (["setsid", "huey_consumer", "app.huey"], "setsid", "huey_consumer"),  # started by the platform: it forks
    (["pm2", "start", "--name", "q", "python manage.py run_huey -w 4"], "pm2 start", "run_huey"),
    (["pm2", "start", "manage.py", "--name", "q", "--", "run_huey"], "pm2 start", "run_huey"),
    (["pm2", "start", "huey_consumer", "--interpreter", "none", "--", "app.huey"], "pm2 start", "huey_consumer"),
])
def test_a_program_that_starts_the_consumer_detached_is_a_severe_background(words, tool, program) -> None:
    hits = run(words)
    assert [h.program for h in hits] == [program]
    (problem,) = hits[0].wrappers
    assert (problem.kind, problem.how, problem.severe, problem.tool) == ("background", "detached", True, f"`{tool}`")
    assert not hits[0].unresolved
    assert not hits[0].hops[0].passes_signal


@pytest.mark.parametrize("words", [
    ["screen", "-DmS", "huey", "huey_consumer", "app.huey"],  # -D -m: screen stays in the foreground
    ["screen", "-S", "huey", "huey_consumer", "app.huey"],  # attached: not detached (needs a terminal)
    ["tmux", "new-session", "-s", "q", "huey_consumer app.huey"],  # no -d
    ["setsid", "-f", "-w", "huey_consumer", "app.huey"],  # waits for it
    ["pm2", "start", "app.py", "--no-daemon"],
    ["pm2", "start", "ecosystem.config.js"],
])
def test_no_detached_start(words) -> None:
    assert not any(problem.how == "detached" for hit in run(words) for problem in hit.wrappers)


SETSID_IN_A_SCRIPT = """#!/bin/sh
setsid huey_consumer app.huey -w 2 &
exec gunicorn app.wsgi
"""


def test_setsid_run_by_a_shell_is_a_launcher() -> None:
    # a command of a shell keeps the shell's process group: setsid does not fork, it execs the consumer
    hits = run(["/start.sh"], {"/start.sh": ("start.sh", SETSID_IN_A_SCRIPT)})
    assert [h.program for h in hits] == ["huey_consumer"]
    assert [(p.kind, p.how) for p in hits[0].wrappers] == [("background", "")]  # the `&`, nothing else
    assert not hits[0].unresolved


@pytest.mark.parametrize(("script", "kind", "how", "tool"), [
    # `exec` keeps the script's process, which the platform started: setsid leads its process group and forks
    ("#!/bin/sh\nexec setsid huey_consumer app.huey\n", "background", "detached", "`setsid`"),
    ("#!/bin/sh\nset -e\nexec setsid --ctty huey_consumer app.huey\n", "background", "detached", "`setsid`"),
    # ... and with -w it waits for the child it forks, relaying no signal
    ("#!/bin/sh\nexec setsid -w huey_consumer app.huey\n", "forks", "setsid", ""),
    ("#!/bin/sh\nexec /usr/bin/setsid --wait huey_consumer app.huey\n", "forks", "setsid", ""),
    # `bash -c` replaces itself by its lone command: the same
    ("#!/bin/sh\nexec bash -c 'setsid huey_consumer app.huey'\n", "background", "detached", "`setsid`"),
])
def test_setsid_that_replaced_the_platforms_process_forks(script, kind, how, tool) -> None:
    hits = run(["/start.sh"], {"/start.sh": ("start.sh", script)})
    assert [(p.kind, p.how, p.tool) for h in hits for p in h.wrappers] == [(kind, how, tool)]


@pytest.mark.parametrize("script", [
    "#!/bin/sh\n(setsid huey_consumer app.huey)\n",  # a subshell: the script's group
    "#!/bin/sh\nsetsid -w huey_consumer app.huey\necho done\n",  # a child of the script: -w waits for nothing
    "#!/bin/sh\nexec sh -c 'setsid huey_consumer app.huey; echo done'\n",  # dash forks it
])
def test_setsid_a_shell_forks_does_not_fork(script) -> None:
    hits = run(["/start.sh"], {"/start.sh": ("start.sh", script)})
    assert [h.program for h in hits] == ["huey_consumer"]
    assert not any(p.how in ("detached", "setsid") for h in hits for p in h.wrappers)


@pytest.mark.parametrize("words", [
    ["conda", "run", "-n", "app", "huey_consumer", "app.huey"],
    ["/opt/conda/bin/conda", "run", "--no-capture-output", "--name", "app", "python", "manage.py", "run_huey"],
    ["mamba", "run", "-p", "/opt/env", "huey_consumer", "app.huey"],
])
def test_conda_run_forks_and_relays_no_signal(words) -> None:
    # conda/conda#10351: conda run starts the command as its child and does not forward SIGTERM
    hits = run(words)
    assert len(hits) == 1 and not hits[0].unresolved
    assert [(p.kind, p.shell, p.how) for p in hits[0].wrappers] == [("forks", f"`{base_name(words[0])} run`", "conda")]


def base_name(word: str) -> str:
    return word.rsplit("/", 1)[-1]


@pytest.mark.parametrize("words", [
    ["micromamba", "run", "-n", "base", "huey_consumer", "app.huey"],
    ["/usr/bin/micromamba", "run", "-r", "/opt/conda", "-p", "/opt/env", "-e", "MODE=prod", "--label", "worker",
     "-a", "stdout,stderr", "--cwd", "/app", "huey_consumer", "app.huey"],
])
def test_micromamba_run_forks_and_stops_its_child_with_sigterm_then_sigkill(words) -> None:
    # libmamba run_in_environment: a reproc child; SIGTERM -> SIGTERM, SIGKILL 3 s later; SIGINT not relayed
    hits = run(words)
    assert [h.program for h in hits] == ["huey_consumer"] and not hits[0].unresolved
    assert [(p.kind, p.shell, p.how) for p in hits[0].wrappers] == [("forks", "`micromamba run`", "micromamba")]
    assert not hits[0].hops[0].passes_signal


@pytest.mark.parametrize(("words", "hop"), [
    (["uvx", "--from", "huey==3.5.0", "--with", "redis", "-p", "3.12", "huey_consumer", "app.huey"], "uvx"),
    (["uv", "tool", "run", "--from", "huey", "--env-file", ".env", "huey_consumer", "app.huey"], "uv tool run"),
    (["rye", "run", "--pyproject", "pyproject.toml", "--venv", ".venv", "huey_consumer", "app.huey"], "rye run"),
    (["pipx", "run", "--spec", "huey==3.5.0", "--python", "3.12", "huey_consumer", "app.huey"], "pipx run"),
    (["pixi", "run", "-e", "prod", "--frozen", "huey_consumer", "app.huey"], "pixi run"),
])
def test_tool_runners_are_launchers(words, hop) -> None:
    # rye run and pipx run exec the command; uvx/uv tool run wait for it as uv run does (a launcher that keeps a
    # first SIGINT: the wrapper problem below); pixi run: a launcher (notice)
    hits = run(words)
    assert [h.program for h in hits] == ["huey_consumer"] and not hits[0].unresolved
    assert [h.name for h in hits[0].hops] == [hop] and hits[0].hops[0].passes_signal
    assert [(p.kind, p.shell, p.how) for p in hits[0].wrappers] == (
        [("forks", f"`{hop}`", "uv")] if hop in ("uvx", "uv tool run") else [])


@pytest.mark.parametrize(("words", "group_init"), [
    (["uv", "run", "--no-sync", "huey_consumer", "app.huey"], ""),
    (["dumb-init", "--", "uv", "run", "huey_consumer", "app.huey"], "`dumb-init`"),
    (["tini", "-g", "--", "uv", "run", "huey_consumer", "app.huey"], "`tini`"),
])
def test_uv_run_keeps_a_first_sigint_sent_to_it_alone(words, group_init) -> None:
    # crates/uv/src/commands/run.rs run_to_completion: SIGTERM passed on; a first SIGINT only when the child left
    # uv's process group; under an init that signals the whole group the consumer gets it anyway
    hits = run(words)
    (problem,) = hits[0].wrappers
    assert (problem.kind, problem.shell, problem.how, problem.group_init) == ("forks", "`uv run`", "uv", group_init)
    assert problem.drops_first_sigint is (not group_init) and not problem.relays_nothing
    assert [hop.name for hop in hits[0].hops][-1] == "uv run" and hits[0].hops[-1].passes_signal


def test_direnv_exec_is_a_launcher() -> None:
    hits = run(["direnv", "exec", "/srv/app", "huey_consumer", "app.huey"])
    assert [h.program for h in hits] == ["huey_consumer"] and not hits[0].wrappers and not hits[0].unresolved
    assert [hop.name for hop in hits[0].hops] == ["direnv"]


@pytest.mark.parametrize(("words", "deadline", "program"), [
    (["pm2-runtime", "start", "huey_consumer app.huey -w 2"], 1.6, "huey_consumer"),
    (["pm2-runtime", "manage.py", "--kill-timeout", "30000", "--", "run_huey"], 30.0, "run_huey"),
    (["pm2", "start", "huey_consumer", "--interpreter", "none", "--no-daemon", "--", "app.huey"], 1.6, "huey_consumer"),
])
def test_pm2_in_the_foreground_stops_its_app_with_sigint_and_its_kill_timeout(words, deadline, program) -> None:
    hits = run(words)
    assert [h.program for h in hits] == [program] and not hits[0].wrappers and not hits[0].unresolved
    hop = hits[0].hops[0]
    assert (hop.kind, hop.sends.value, hop.deadline.value) == ("supervisor", "INT", deadline)


def test_pm2_runtime_with_an_ecosystem_file_is_no_command() -> None:
    assert run(["pm2-runtime", "start", "ecosystem.config.js"]) == []
