"""Scripts evaluated as the shell evaluates them: variables, defaults, argument loops, unknown parts (HL004)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hueylint.chain import ConsumerHit, Token, resolve
from hueylint.model import Loc
from hueylint.shell import parse_script
from hueylint.sources import SourceFile
from tests.helpers import lint, triples, write_tree

ORIGIN = Loc("deploy/huey.service", 3, 11, 3, 40)


class Scripts:
    """Command words -> in-memory scripts, with an optional launch environment."""

    def __init__(self, scripts: dict[str, str], env: dict[str, str | None] | None = None) -> None:
        self.files = {word: SourceFile(Path(word.lstrip("/")), word.lstrip("/"), text) for word, text in scripts.items()}
        self.shell_env = env or {}

    def script(self, word: str, origin: Loc) -> SourceFile | None:
        return self.files.get(word)


def run(words: list[str], scripts: dict[str, str] | None = None,
        env: dict[str, str | None] | None = None) -> list[ConsumerHit]:
    return resolve([Token(w, ORIGIN) for w in words], ORIGIN, Scripts(scripts or {}, env))


def one(hits: list[ConsumerHit]) -> ConsumerHit:
    assert len(hits) == 1, hits
    return hits[0]


def argv(hit: ConsumerHit) -> list[str]:
    return [t.text for t in hit.args]


# -- variables assigned before the command --------------------------------------------------------

@pytest.mark.parametrize("body", [
    'consumer=/opt/venv/bin/huey_consumer\nexec "$consumer" app.huey -w 4',
    'consumer="${SHOP_VENV:-/opt/venv}/bin/huey_consumer"\nexec "$consumer" app.huey -w 4',
    'export CONSUMER=/opt/venv/bin/huey_consumer\nexec "${CONSUMER}" app.huey -w 4',
    ': "${VENV:=/opt/venv}"\nexec "$VENV/bin/huey_consumer" app.huey -w 4',
    'VENV=/opt/venv\nBIN=$VENV/bin\nexec $BIN/huey_consumer app.huey -w 4',
    'CMD="huey_consumer app.huey -w 4"\nexec $CMD',
    'readonly C=huey_consumer; exec "$C" app.huey -w 4',
    'if [ -n "$X" ]; then echo x; fi\nC=huey_consumer\nexec "$C" app.huey -w 4',
])
def test_unconditional_assignments_are_substituted(body: str) -> None:
    hit = one(run(["/srv/run.sh"], {"/srv/run.sh": f"#!/bin/sh\nset -eu\n{body}\n"}))
    assert hit.program == "huey_consumer" and argv(hit) == ["app.huey", "-w", "4"]
    assert not hit.unresolved and not hit.wrappers


def test_manage_path_in_a_variable_with_forwarded_arguments() -> None:
    script = '#!/bin/sh\nset -eu\nMANAGE_BIN=/usr/share/site/manage.py\nexec python3 "$MANAGE_BIN" "$@"\n'
    hit = one(run(["/usr/bin/sitectl", "run_huey", "-w", "2"], {"/usr/bin/sitectl": script}))
    assert hit.program == "run_huey" and argv(hit) == ["-w", "2"] and not hit.unresolved


def test_value_from_the_launch_environment() -> None:
    script = '#!/bin/sh\nexec "${APP_VENV:-/srv/venv}/bin/huey_consumer" app.huey\n'
    hit = one(run(["/run.sh"], {"/run.sh": script}, env={"APP_VENV": "/opt/app"}))
    assert hit.program == "huey_consumer" and hit.installed_script == "/opt/app/bin/huey_consumer"


def test_default_alternatives_follow_bash() -> None:
    from hueylint.shell_eval import State, substitute

    state: State = State([], {"EMPTY": "", "SET": "x"}, {"ENVVAR": "e", "UNKNOWN": None})
    assert substitute("${NOPE:-d}", state) == "d"
    assert substitute("${EMPTY:-d}|${EMPTY-d}", state) == "d|"
    assert substitute("${SET:+alt}|${NOPE:+alt}", state) == "alt|"
    assert substitute("${ENVVAR:-d}/bin", state) == "e/bin"
    assert substitute("${UNKNOWN:-d}", state) is None
    assert substitute("$NOPE", state) is None
    assert substitute("$(pwd)/x", state) is None
    assert substitute("${#SET}", state) is None


# -- unknown values: a launch with an unknown part (HL004) ----------------------------------------

def test_variable_assigned_in_a_branch_is_unknown() -> None:
    script = '#!/bin/sh\nif [ -d /srv/app ]; then MANAGE=/srv/app/manage.py; fi\nexec python3 "$MANAGE" run_huey -w 4\n'
    hit = one(run(["/run.sh"], {"/run.sh": script}))
    assert hit.program == "run_huey" and argv(hit) == ["-w", "4"] and not hit.options_unknown
    (part,) = hit.unresolved
    assert part.what == "`$MANAGE`" and part.why.startswith("variable not resolvable: `MANAGE` is assigned on some")
    assert (part.loc.path, part.loc.line, part.loc.col) == ("run.sh", 3, 14)
    assert not hit.wrappers  # exec'd: the wrapper judgement still holds


def test_variable_never_assigned_is_unknown_and_named() -> None:
    hit = one(run(["/run.sh"], {"/run.sh": '#!/bin/sh\nexec "$CONSUMER" app.huey -w 4\n'}))
    assert hit.program == "unknown" and hit.options_unknown and hit.args == []
    assert hit.unresolved[0].why == ("variable not resolvable: `CONSUMER` is not assigned in the script nor in "
                                     "the launch's environment")


def test_script_not_in_the_repository_is_unknown() -> None:
    hit = one(run(["/usr/local/bin/run-huey.sh"]))
    assert (hit.program, hit.unresolved[0].what, hit.unresolved[0].why) == (
        "unknown", "script `/usr/local/bin/run-huey.sh`", "not found in the repository")
    hit = one(run(["/usr/bin/sitectl", "run_huey", "-w", "2"]))
    assert hit.program == "run_huey" and hit.options_unknown and hit.args == []
    assert (hit.unresolved[0].what, hit.unresolved[0].why) == (
        "`/usr/bin/sitectl`", "not found in the repository, and not a launcher hueylint knows")


def test_module_not_in_the_repository_is_unknown() -> None:
    hit = one(run(["python", "-m", "shop.huey_worker"]))
    assert (hit.unresolved[0].what, hit.unresolved[0].why) == ("module `shop.huey_worker`",
                                                               "module not in the repository")


@pytest.mark.parametrize("words", [
    ["/usr/local/bin/start-web.sh"],  # mentions no consumer
    ["gunicorn", "app.wsgi"],
    ["python", "manage.py", "help", "run_huey"],  # another subcommand of a known manage.py
    ["/entrypoint.sh"],
])
def test_commands_that_do_not_look_like_a_consumer_stay_quiet(words: list[str]) -> None:
    assert run(words, {"/entrypoint.sh": '#!/bin/sh\nset -e\nexec "$@"\n'}) == []


# -- argument-parsing loops ---------------------------------------------------------------------

WAIT_FOR_IT = (Path(__file__).parents[1] / "fixtures" / "wait-for-it-cli-loop" / "wait.sh").read_text()

ARRAY_LOOP = """#!/bin/sh
while [ -n "$1" ]; do
  case "$1" in
    --timeout=*) T="${1#*=}" ;;
    -q|--quiet) Q=1 ;;
    --) shift; break ;;
  esac
  shift
done
exec "$@"
"""


@pytest.mark.parametrize(("script", "words"), [
    (WAIT_FOR_IT, ["redis:6379", "--", "python", "manage.py", "run_huey", "-w", "2"]),
    (WAIT_FOR_IT, ["-t", "30", "db:5432", "--", "python", "manage.py", "run_huey", "-w", "2"]),
    (ARRAY_LOOP, ["-q", "--timeout=5", "--", "python", "manage.py", "run_huey", "-w", "2"]),
])
def test_argument_loops_forward_what_follows_the_separator(script: str, words: list[str]) -> None:
    hit = one(run(["/wait.sh", *words], {"/wait.sh": script}))
    assert hit.program == "run_huey" and argv(hit) == ["-w", "2"]
    assert not hit.wrappers and not hit.unresolved


def test_argument_loop_that_exits_on_an_unknown_argument_starts_nothing_literal() -> None:
    hits = run(["/wait.sh", "--bogus", "--", "python", "manage.py", "run_huey"], {"/wait.sh": WAIT_FOR_IT})
    assert all(hit.program != "run_huey" or hit.unresolved for hit in hits)


def test_quoted_capture_of_all_arguments_is_one_word() -> None:
    script = '#!/bin/sh\nCLI="$@"\nexec "$CLI"\n'
    hit = one(run(["/w.sh", "huey_consumer", "app.huey"], {"/w.sh": script}))
    # bash looks for a program named "huey_consumer app.huey": not the consumer, and said so
    assert hit.program == "unknown" and hit.unresolved[0].what == "`huey_consumer app.huey`"


# -- what bash accepts is never a syntax error ----------------------------------------------------

@pytest.mark.parametrize("text", [
    'say() { if [ -n "$V" ]; then echo "$@" >&2; fi }\nsay hi\nexec huey_consumer app.huey\n',
    'loop() { while false; do :; done }\nloop\nexec huey_consumer app.huey\n',
    'pick() { case "$1" in a) echo a;; esac }\npick a\nexec huey_consumer app.huey\n',
    'outer() { { echo x; } }\nouter\nexec huey_consumer app.huey\n',
])
def test_closing_brace_right_after_a_compound_is_accepted(text: str) -> None:
    script = parse_script("#!/bin/sh\n" + text)
    assert script.errors == ()
    assert script.commands[-1].words[1].text == "huey_consumer"
    assert script.commands[-1].line == 4 and script.commands[-1].col == 1  # positions unchanged


def test_brace_after_an_argument_named_like_a_keyword_stays_an_error() -> None:
    assert parse_script("#!/bin/sh\nf() { echo done }\n").errors != ()


def _fixture_scripts() -> list[Path]:
    root = Path(__file__).parents[1] / "fixtures"
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in ("", ".sh", ".bash"):
            continue
        head = path.read_bytes()[:64]
        if path.suffix in (".sh", ".bash") or (head.startswith(b"#!") and any(
                shell in head.split(b"\n")[0] for shell in (b"sh", b"bash"))):
            found.append(path)
    return found


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_every_fixture_script_tree_sitter_rejects_bash_rejects_too() -> None:
    """`bash -n` only parses (it runs nothing): a script bash accepts must never be HL001."""
    scripts = _fixture_scripts()
    assert scripts
    for path in scripts:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        if parse_script(text).errors:
            checked = subprocess.run(["bash", "-n", str(path)], capture_output=True, timeout=10)
            assert checked.returncode != 0, f"{path}: bash accepts it, tree-sitter-bash does not"


# -- through the whole engine ---------------------------------------------------------------------

def test_unit_script_found_by_its_unique_file_name(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "deploy/huey.service": "[Service]\nExecStart=/usr/local/bin/start-worker.sh\nRestart=always\n",
        "ops/bin/start-worker.sh": "#!/bin/sh\nexec /srv/venv/bin/huey_consumer app.huey\n",
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert ("HL101", "deploy/huey.service", 2) in triples(lint(tmp_path))
    assert triples(lint(tmp_path), "HL004") == []


def test_two_scripts_of_that_name_are_not_guessed(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "deploy/huey.service": "[Service]\nExecStart=/usr/local/bin/start-huey.sh\nRestart=always\n",
        "a/start-huey.sh": "#!/bin/sh\nexec /srv/venv/bin/huey_consumer app.huey\n",
        "b/start-huey.sh": "#!/bin/sh\nexec /srv/venv/bin/huey_consumer other.huey\n",
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = lint(tmp_path)
    assert triples(result, "HL004") == [("HL004", "deploy/huey.service", 2)]
    # the rules that do not need the script still run; the ones that need its options stay silent
    assert triples(result, "HL101") == [("HL101", "deploy/huey.service", 2)]
    assert triples(result, "HL104") == []
    (launch,) = result.project.launches
    assert launch.program == "unknown" and launch.unresolved[0].what == "script `/usr/local/bin/start-huey.sh`"


RUN_WITH_APP = '#!/bin/sh\nexec "$APP/venv/bin/huey_consumer" shop.huey -t 50\n'


@pytest.mark.parametrize("config", [
    {"deploy/huey.service": ("[Service]\nEnvironment=APP=/srv/shop\nExecStart=/srv/shop/deploy/run.sh\n"
                             "Restart=always\nKillSignal=SIGINT\nTimeoutStopSec=60\nUser=shop\n"
                             "ExecReload=/bin/kill -HUP $MAINPID\n")},
    {"deploy/huey.conf": ("[program:huey]\ncommand=/srv/shop/deploy/run.sh\nenvironment=APP=\"/srv/shop\"\n"
                          "stopsignal=INT\nstopwaitsecs=60\nuser=shop\n")},
], ids=["systemd-Environment", "supervisord-environment"])
def test_launch_environment_reaches_the_script(tmp_path: Path, config: dict[str, str]) -> None:
    write_tree(tmp_path, {**config, "deploy/run.sh": RUN_WITH_APP})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert launch.program == "huey_consumer" and not launch.unresolved and triples(result) == []


def test_branch_not_taken_is_listed_as_dropped(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: [\"/entrypoint.sh\", \"web\"]\n",
        "Dockerfile": "FROM python:3.12\nCOPY entrypoint.sh /entrypoint.sh\n",
        "entrypoint.sh": ('#!/bin/sh\ncase "$1" in\n  worker) exec python manage.py run_huey ;;\n'
                          '  web) exec gunicorn app.wsgi ;;\nesac\n'),
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = lint(tmp_path)
    assert result.project.launches == []
    (dropped,) = result.project.dropped
    assert (dropped.loc.path, dropped.loc.line) == ("entrypoint.sh", 3)
    assert dropped.why == "in branch `case \"$1\" in worker)`, which the arguments of this launch never take"


# -- each hop judged on its own ---------------------------------------------------------------------

SUPERVISOR_CONF = """[supervisord]
logfile=/tmp/supervisord.log

[program:worker]
command=python manage.py run_huey
"""


@pytest.mark.parametrize("start", [
    "supervisord -c /app/supervisor/worker.conf &\nexec gunicorn shop.wsgi",
    "supervisord -c /app/supervisor/worker.conf\nexec gunicorn shop.wsgi",
])
def test_supervisor_below_a_broken_script_is_judged_on_its_own_settings(tmp_path: Path, start: str) -> None:
    write_tree(tmp_path, {
        "Dockerfile": 'FROM python:3.12\nCOPY . /app\nSTOPSIGNAL SIGINT\nCMD ["/app/start.sh"]\n',
        "start.sh": f"#!/bin/sh\nset -e\n{start}\n",
        "supervisor/worker.conf": SUPERVISOR_CONF,
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    found = triples(lint(tmp_path))
    assert ("HL201", "Dockerfile", 4) in found
    assert ("HL101", "supervisor/worker.conf", 5) in found and ("HL102", "supervisor/worker.conf", 5) in found


def test_consumer_backgrounded_directly_keeps_its_stop_rules_quiet(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "Dockerfile": 'FROM python:3.12\nCOPY . /app\nCMD ["/app/start.sh"]\n',
        "start.sh": "#!/bin/sh\npython manage.py run_huey &\nexec gunicorn shop.wsgi\n",
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    found = triples(lint(tmp_path))
    assert ("HL201", "Dockerfile", 3) in found
    assert not [item for item in found if item[0] in ("HL101", "HL102")]


@pytest.mark.parametrize(("script", "line"), [
    ("#!/bin/sh\nsupervisord -c supervisord.conf\nexec gunicorn shop.wsgi\n", 2),
    ("#!/bin/bash\nservice supervisor start\npython manage.py migrate\nexec uwsgi --ini uwsgi.ini\n", 2),
])
def test_unlaunched_script_daemonizing_a_repo_supervisor(tmp_path: Path, script: str, line: int) -> None:
    write_tree(tmp_path, {"docker/entrypoint.sh": script,
                          "supervisord.conf": SUPERVISOR_CONF + "stopsignal=INT\nstopwaitsecs=60\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    # the program's own stopsignal/stopwaitsecs are right: only the script is wrong (and notes: -t, root)
    assert triples(lint(tmp_path)) == [("HL104", "supervisord.conf", 5), ("HL201", "docker/entrypoint.sh", line),
                                       ("HL701", "supervisord.conf", 5)]


def test_script_in_the_foreground_or_run_by_a_launch_is_not_reported_twice(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "Dockerfile": 'FROM python:3.12\nCOPY . /app\nCMD ["/app/entrypoint.sh"]\n',
        "entrypoint.sh": "#!/bin/sh\nsupervisord -c /app/supervisord.conf\nexec gunicorn shop.wsgi\n",
        "tools/foreground.sh": "#!/bin/sh\nexec supervisord -n -c /app/supervisord.conf\n",
        "supervisord.conf": SUPERVISOR_CONF + "stopsignal=INT\nstopwaitsecs=60\n",
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert triples(lint(tmp_path), "HL201") == [("HL201", "Dockerfile", 3)]


# -- said on stderr ---------------------------------------------------------------------------------

def _cli(root: Path) -> subprocess.CompletedProcess[str]:
    import sys

    return subprocess.run([sys.executable, "-m", "hueylint", "check", str(root)], capture_output=True, text=True,
                          cwd=root, timeout=60)


def test_no_deployment_file_is_said_on_stderr_without_failing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "huey==2.5.2\n", "app.py": "from huey import RedisHuey\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    done = _cli(tmp_path)
    assert done.returncode == 0
    assert done.stderr.startswith("hueylint: warning: no deployment file found under the given path(s)")


def test_huey_project_without_a_launch_is_said_on_stderr(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "huey[redis]>=2.4\n", "Procfile": "web: gunicorn app.wsgi\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    done = _cli(tmp_path)
    assert done.returncode == 0
    assert done.stderr == ("hueylint: warning: the project depends on huey, but no consumer launch (huey_consumer, "
                           "run_huey, djangohuey) was found in its deployment files or the scripts they run; "
                           "`hueylint inspect` lists what was considered\n")


def test_a_project_with_a_launch_says_nothing_on_stderr(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "huey==2.5.2\n", "Procfile": "worker: huey_consumer app.huey\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert _cli(tmp_path).stderr == ""


def test_unknown_interpreter_before_manage_py_keeps_the_options() -> None:
    hit = one(run(["/run.sh"], {"/run.sh": '#!/bin/sh\nexec $PYTHON manage.py run_huey -w 4 -t 50\n'}))
    assert hit.program == "run_huey" and argv(hit) == ["-w", "4", "-t", "50"] and not hit.options_unknown
    assert hit.unresolved[0].what == "`$PYTHON`"



def test_repo_file_that_is_not_followed_says_so(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "Procfile": "worker: python run_huey_worker.py\n",
        "run_huey_worker.py": "import os\nos.execvp('huey_consumer', ['huey_consumer', 'app.huey'])\n",
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert launch.program == "unknown"
    assert launch.unresolved[0].why == ("`run_huey_worker.py` is not a shell script, and no consumer start was "
                                        "found in it as Python")
    assert triples(result, "HL004") == [("HL004", "Procfile", 1)]


MIXED = """#!/bin/sh
A=1
if [ "$1" = worker ]; then
  B=/opt/venv; shift
  echo "$B"
  C="$B/bin"
else
  B=/srv/venv
fi
for f in a b; do D=$f; echo "$D"; done
echo "$A $B $C $D"
set -- extra "$@"
exec "$B/bin/huey_consumer" "$@"
"""


@pytest.mark.parametrize("script", [MIXED, WAIT_FOR_IT])
def test_incremental_evaluation_matches_a_replay_from_the_start(script: str) -> None:
    from hueylint.shell_eval import Evaluator, state_at

    parsed = parse_script(script)
    args = [Token(w, ORIGIN) for w in ("worker", "redis:1", "--", "app.huey", "-w", "2")]

    def expand(word, state):  # noqa: ANN001, ANN202
        return list(state.args) if word.text in ("$@", "${@}") else [Token(word.text, ORIGIN)]

    evaluator = Evaluator(parsed, args, expand)
    for position in range(len(parsed.commands)):
        fresh = state_at(parsed, position, args, expand)
        again = evaluator.at(position)
        assert (again.args, again.vars) == (fresh.args, fresh.vars), position


# the shape of the widely copied wait-for-it.sh: host:port split into an array, options with values,
# a usage function that exits, and the command kept as an array after `--`
WAIT_FOR_IT_ARRAY = """#!/usr/bin/env bash
usage()
{
    echo "Usage: $0 host:port [-t timeout] [-- command args]" >&2
    exit 1
}
while [[ $# -gt 0 ]]
do
    case "$1" in
        *:* )
        HOSTPORT=(${1//:/ })
        HOST=${HOSTPORT[0]}
        PORT=${HOSTPORT[1]}
        shift 1
        ;;
        -q | --quiet)
        QUIET=1
        shift 1
        ;;
        -h)
        HOST="$2"
        if [[ $HOST == "" ]]; then break; fi
        shift 2
        ;;
        --timeout=*)
        TIMEOUT="${1#*=}"
        shift 1
        ;;
        --)
        shift
        CLI=("$@")
        break
        ;;
        --help)
        usage
        ;;
        *)
        echo "Unknown argument: $1" >&2
        usage
        ;;
    esac
done
if [[ "$HOST" == "" || "$PORT" == "" ]]; then
    usage
fi
if [[ $CLI != "" ]]; then
    exec "${CLI[@]}"
else
    exit 0
fi
"""

WHILE_TRUE = """#!/bin/sh
while :; do
  case "$1" in
    -v) VERBOSE=1; shift ;;
    --) shift; break ;;
    *) break ;;
  esac
done
exec "$@"
"""


@pytest.mark.parametrize(("script", "words"), [
    (WAIT_FOR_IT_ARRAY, ["db:5432", "-q", "--timeout=30", "--", "python", "manage.py", "run_huey", "-w", "2"]),
    (WHILE_TRUE, ["-v", "--", "python", "manage.py", "run_huey", "-w", "2"]),
    (WHILE_TRUE, ["python", "manage.py", "run_huey", "-w", "2"]),
])
def test_argument_loop_shapes(script: str, words: list[str]) -> None:
    hits = run(["/wait.sh", *words], {"/wait.sh": script})
    consumers = [hit for hit in hits if hit.program == "run_huey"]
    assert consumers and all(argv(hit) == ["-w", "2"] and not hit.unresolved for hit in consumers)
    assert all(not hit.wrappers for hit in consumers)


def test_argument_loop_reaching_a_function_that_exits_is_not_simulated() -> None:
    hits = run(["/wait.sh", "--help", "--", "python", "manage.py", "run_huey"], {"/wait.sh": WAIT_FOR_IT_ARRAY})
    # CLI is then unknown, and the launch's arguments name the consumer: an unknown part, not a silent drop
    hit = one(hits)
    assert hit.program == "run_huey" and hit.options_unknown
    assert hit.unresolved[0].what == "`${CLI[@]}`"
    assert hit.unresolved[0].why.startswith("variable not resolvable: `CLI` is assigned on some paths only")


@pytest.mark.parametrize("line", [". /etc/default/shop", "source ./env.sh", "eval \"$(cat env)\"",
                                  "export $(grep -v '^#' .env | xargs)", "set -a"])
def test_sourced_files_make_unassigned_variables_unknown(line: str) -> None:
    script = f'#!/bin/bash\n{line}\nexec "${{RUNNER:-/srv/venv/bin/huey_consumer}}" shop.huey -w 4\n'
    hit = one(run(["/run.sh"], {"/run.sh": script}))
    assert hit.program == "unknown" and hit.unresolved[0].what == "`${RUNNER:-/srv/venv/bin/huey_consumer}`"
    assert hit.unresolved[0].why == ("variable not resolvable: `RUNNER` may be set by a file the script sources "
                                     "(`.`/`source`), `eval` or `export $(...)`")


def test_quiet_keeps_stderr_empty(tmp_path: Path) -> None:
    import sys

    write_tree(tmp_path, {"requirements.txt": "huey==2.5.2\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    done = subprocess.run([sys.executable, "-m", "hueylint", "check", "-q", str(tmp_path)], capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
