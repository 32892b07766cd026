"""Scripts evaluated as the shell evaluates them: variables, defaults, argument loops, what bash accepts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hueylint.chain import Token
from hueylint.shell import parse_script
from tests.unit.chain_scripts import ORIGIN, argv, one, run

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


@pytest.mark.parametrize("self_call", [
    'timeout "$LIMIT" "$0" --probe &\n    wait $!',  # wait-for-it's timeout wrapper, in a function
    "timeout 15 ${0} --probe &\n    wait $!",
    "$0 --probe",
])
def test_dollar_zero_is_the_script_itself(self_call: str) -> None:
    """Field test (axiom-data-science/sci-wms): `$0` is the word that ran the script, also inside a function;
    re-running it is the script again (followed once), never an unknown program that may be the consumer."""
    script = ("#!/bin/bash\nname=$(basename $0)\nwrapper() {\n    " + self_call + "\n}\n"
              'if [ "$1" = --probe ]; then exit 0; fi\nLIMIT=15\nwrapper\nshift\nexec "$@"\n')
    hit = one(run(["/wait.sh", "--", "python", "manage.py", "run_huey", "-w", "2"], {"/wait.sh": script}))
    assert (hit.program, argv(hit)) == ("run_huey", ["-w", "2"])
    assert not hit.unresolved and not hit.wrappers
    # `sh -c 'string' NAME args`: NAME is the string's `$0` (`exec "$0" "$@"` hands the command on); without
    # NAME it is the shell itself
    handed = one(run(["sh", "-c", 'cd /srv/app && exec "$0" "$@"', "python", "manage.py", "run_huey", "-w", "2"]))
    assert (handed.program, argv(handed), handed.unresolved, handed.wrappers) == ("run_huey", ["-w", "2"], [], [])
    assert run(["sh", "-c", "exec $0 --probe"]) == []


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
    assert substitute("${#SET}|${#EMPTY}", state) == "1|0"  # the length
    assert substitute("${#UNKNOWN}", state) is None


@pytest.mark.parametrize(("path", "printed"), [
    ("/srv/app/start.sh", "/srv/app"), ("start.sh", "."), ("./bin/run", "./bin"), ("a/b/", "a"), ("/a", "/"),
    ("/", "/"), ("a//b", "a"), ("", "."), ("../x", ".."),
])
def test_dirname_is_evaluated_as_coreutils_prints_it(path: str, printed: str) -> None:
    """``$(dirname WORD)`` is a deterministic command: evaluated (``cd "$(dirname "$0")"`` goes to the script's
    folder), with the output of coreutils' ``dirname`` (checked against it where installed); any other command
    substitution, or a WORD not known, stays unknown."""
    from hueylint.shell_eval import State, substitute

    state: State = State([], {"P": path, "BASH_SOURCE": path}, {"UNKNOWN": None})
    assert substitute("$(dirname $P)", state) == printed or path == ""  # (an empty unquoted word is no argument)
    assert substitute("$(dirname \"$P\")/x", state) == f"{printed}/x"
    assert substitute("`dirname -- \"${BASH_SOURCE[0]}\"`", state) == printed
    if shutil.which("dirname"):
        assert subprocess.run(["dirname", path], capture_output=True, text=True).stdout == printed + "\n"
    assert substitute("$(dirname \"$UNKNOWN\")", state) is None
    assert substitute("$(dirname \"$(readlink -f \"$P\")\")", state) is None
    assert substitute("$(dirname $P)$(pwd)", state) is None


@pytest.mark.parametrize(("text", "value"), [
    ("${DYNO%%.*}", "worker"), ("${DYNO%.*}", "worker"), ("${DYNO#*.}", "2"),
    ("${TARGET%:*}|${TARGET#*:}", "db|5432"), ("${ARG#*=}", "30"), ("${ARG##*-}", "timeout=30"),
    ("${BIN##*/}|${BIN%/*}", "huey_consumer|/opt/app/bin"), ("${GLOB#\"a*\"}|${GLOB#a*}", "b|*b"),
    ("${ARG#$DASHES}", "timeout=30"), ("${DYNO%x}", "worker.2"),
    # not read as bash reads them: unknown, never a guess
    ("${DYNO/w/W}", None), ("${ARG#[^-]}", None), ("${ARG#@(--)}", None), ("${NOPE%x}", None),
])
def test_prefix_and_suffix_removal_follow_bash(text: str, value: str | None) -> None:
    """``${X#p}`` ``${X##p}`` ``${X%p}`` ``${X%%p}`` remove the shortest / longest prefix or suffix matching
    the glob (the values bash 5.2 prints for these words)."""
    from hueylint.shell_eval import State, substitute

    state: State = State([], {"DYNO": "worker.2", "TARGET": "db:5432", "ARG": "--timeout=30", "DASHES": "--",
                              "BIN": "/opt/app/bin/huey_consumer", "GLOB": "a*b"}, {})
    assert substitute(text, state) == value


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
    rejected = [path for path in _fixture_scripts()
                if parse_script(path.read_text(encoding="utf-8", errors="surrogateescape")).errors]
    assert rejected, "the fixtures hold at least one broken script (shell-syntax-error)"
    for path in rejected:
        checked = subprocess.run(["bash", "-n", str(path)], capture_output=True, timeout=10)
        assert checked.returncode != 0, f"{path}: bash accepts it, tree-sitter-bash does not"


def test_unknown_interpreter_before_manage_py_keeps_the_options() -> None:
    hit = one(run(["/run.sh"], {"/run.sh": '#!/bin/sh\nexec $PYTHON manage.py run_huey -w 4 -t 50\n'}))
    assert hit.program == "run_huey" and argv(hit) == ["-w", "4", "-t", "50"] and not hit.options_unknown
    assert hit.unresolved[0].what == "`$PYTHON`"


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

    def expand(word, state):
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
                                  "export $(grep -v '^#' .env | xargs)", "set -a; . ./env.sh; set +a"])
def test_sourced_files_make_unassigned_variables_unknown(line: str) -> None:
    script = f'#!/bin/bash\n{line}\nexec "${{RUNNER:-/srv/venv/bin/huey_consumer}}" shop.huey -w 4\n'
    hit = one(run(["/run.sh"], {"/run.sh": script}))
    assert hit.program == "unknown" and hit.unresolved[0].what == "`${RUNNER:-/srv/venv/bin/huey_consumer}`"
    assert hit.unresolved[0].why == ("variable not resolvable: `RUNNER` may be set by a file the script sources "
                                     "(`.`/`source`), `eval` or `export $(...)`")


def test_set_a_alone_sets_no_variable() -> None:
    """``set -a`` only exports what is assigned after it: the sourced file that usually follows is what may set
    variables, not the option itself."""
    script = '#!/bin/bash\nset -a\nexec "${RUNNER:-/srv/venv/bin/huey_consumer}" shop.huey -w 4\n'
    hit = one(run(["/run.sh"], {"/run.sh": script}))
    assert hit.program == "huey_consumer" and not hit.unresolved


@pytest.mark.parametrize("script", [
    'main() {\n  local consumer=/opt/venv/bin/huey_consumer\n  exec "$consumer" app.huey -w 4\n}\nmain "$@"\n',
    'setup() { CONSUMER=/opt/venv/bin/huey_consumer; }\nsetup\nexec "$CONSUMER" app.huey -w 4\n',
])
def test_variables_set_in_functions(script: str) -> None:
    hit = one(run(["/run.sh"], {"/run.sh": "#!/bin/bash\n" + script}))
    assert hit.program == "huey_consumer" and argv(hit) == ["app.huey", "-w", "4"] and not hit.unresolved


def test_local_variable_does_not_leak_out_of_its_function() -> None:
    script = '#!/bin/bash\nsetup() { local C=/opt/venv/bin/huey_consumer; }\nsetup\nexec "$C" app.huey -w 4\n'
    hit = one(run(["/run.sh"], {"/run.sh": script}))
    assert hit.program == "unknown" and hit.unresolved[0].what == "`$C`"


GETOPTS = """#!/bin/sh
while getopts "w:q" opt; do
  case $opt in
    w) WORKERS=$OPTARG ;;
    q) QUIET=1 ;;
  esac
done
shift $((OPTIND - 1))
exec "$@"
"""


@pytest.mark.parametrize("words", [
    ["python", "manage.py", "run_huey", "-w", "2"],
    ["-q", "-w", "8", "python", "manage.py", "run_huey", "-w", "2"],
    ["-qw8", "--", "python", "manage.py", "run_huey", "-w", "2"],
])
def test_getopts_loop_then_shift_by_optind(words: list[str]) -> None:
    hit = one(run(["/entry.sh", *words], {"/entry.sh": GETOPTS}))
    assert hit.program == "run_huey" and argv(hit) == ["-w", "2"] and not hit.unresolved


ROLE_DISPATCH = """#!/bin/sh
ROLE="${1:-web}"
case "$ROLE" in
  worker) exec python manage.py run_huey -w 2 ;;
  *) exec gunicorn shop.wsgi ;;
esac
"""

ENV_DISPATCH = """#!/bin/sh
if [ "$SERVICE_ROLE" = "worker" ]; then
  exec python manage.py run_huey -w 2
fi
exec gunicorn shop.wsgi
"""


@pytest.mark.parametrize(("script", "words", "env", "consumers"), [
    (ROLE_DISPATCH, ["worker"], {}, 1),
    (ROLE_DISPATCH, ["web"], {}, 0),
    (ROLE_DISPATCH, [], {}, 0),  # the default role
    (ENV_DISPATCH, [], {"SERVICE_ROLE": "worker"}, 1),
    (ENV_DISPATCH, [], {"SERVICE_ROLE": "web"}, 0),
    (ENV_DISPATCH, [], {"SERVICE_ROLE": None}, 1),  # a value not known statically: the branch stays possible
    (ENV_DISPATCH, [], {}, 1),  # not set where hueylint can see: possible
])
def test_branches_on_variables_with_known_values(script: str, words: list[str], env: dict, consumers: int) -> None:
    hits = run(["/entry.sh", *words], {"/entry.sh": script}, env=env)
    assert len([hit for hit in hits if hit.program == "run_huey"]) == consumers


FLAG_SCRIPT = """#!/bin/bash
set -o errexit
MODE=0
while [[ $# -gt 0 ]];
do
    key="$1"
    case $key in
        -d|--django)
        MODE=1
        shift
        ;;
    esac
done
if [ $MODE -eq 1 ]; then
    python ./manage.py run_huey -w 2
else
    huey_consumer app.huey -w 2
fi
popd
"""


@pytest.mark.parametrize(("words", "programs"), [
    ([], ["huey_consumer"]),  # the loop over the arguments runs zero times: MODE stays 0
    (["-d"], ["huey_consumer", "run_huey"]),  # a body read through `key="$1"` is not simulated: both
])
def test_integer_test_after_an_argument_loop_that_never_runs(words: list[str], programs: list[str]) -> None:
    """Field test (boundlexx): ``start-huey-consumer`` sets ``DJANGO=1`` in a ``while [[ $# -gt 0 ]]`` loop
    (``key="$1"; case $key in -d|--django)``) and tests ``[ $DJANGO -eq 1 ]``; the compose service passes no
    argument.  A loop on ``$#`` runs zero times without arguments, and ``-eq``/``-ne`` with an integer are
    guards: only the ``else`` branch launches."""
    hits = run(["/start.sh", *words], {"/start.sh": FLAG_SCRIPT})
    assert sorted(hit.program for hit in hits) == programs


@pytest.mark.parametrize(("value", "then"), [("0", False), ("1", True), ("01", True), ("+1", True), (" 1", True),
                                             ("-1", False), ("one", False), ("10", False)])
def test_integer_equality_is_a_guard(value: str, then: bool) -> None:
    script = parse_script("#!/bin/sh\nif [ \"$N\" -eq 1 ]; then\n  a\nelse\n  b\nfi\n"
                          "if [ $N -ne 1 ]; then\n  c\nfi\n")
    (eq,), (otherwise,), (ne,) = (command.guards for command in script.commands)
    assert eq.admits(value) is then and otherwise.admits(value) is not then
    # test(1): a value that is no integer fails `-ne` too ("integer expression expected"): the branch never runs
    assert ne.admits(value) is (not then and value != "one")
    (ne_else,) = parse_script('#!/bin/sh\nif [ "$N" -ne 1 ]; then a; else b; fi\n').commands[1].guards
    assert ne_else.admits(value) is (then or value == "one")


@pytest.mark.parametrize(("line", "words", "consumers"), [
    ('[ "$1" = worker ] && set -- huey_consumer app.huey -w 2', ["worker"], 1),
    ('[ "$1" = worker ] && set -- huey_consumer app.huey -w 2', ["web"], 0),
    ('[ "$1" != worker ] || set -- huey_consumer app.huey -w 2', ["worker"], 1),
    ('if [ "$1" = worker ]; then set -- huey_consumer app.huey -w 2; fi', ["worker"], 1),
    ('[ "$#" -eq 0 ] && set -- huey_consumer app.huey -w 2', [], 1),
    ('[ "$#" -eq 0 ] && set -- huey_consumer app.huey -w 2', ["gunicorn"], 0),
    ('case "$1" in worker) set -- huey_consumer app.huey -w 2 ;; esac', ["worker"], 1),
])
def test_positional_change_in_a_branch_the_arguments_take(line: str, words: list[str], consumers: int) -> None:
    """``[ "$1" = worker ] && set -- huey_consumer ...; exec "$@"``: a ``set --`` in a branch whose simple test
    passes for the launch's known values applies (the ``&&`` form, a branch since lists are, lost the consumer)."""
    hits = run(["/entry.sh", *words], {"/entry.sh": f'#!/bin/sh\nset -e\n{line}\nexec "$@"\n'})
    assert len([hit for hit in hits if hit.program == "huey_consumer"]) == consumers


@pytest.mark.parametrize(("script", "words", "programs"), [
    ('run() { set -- huey_consumer app.huey; }\nrun worker\nexec "$@"', ["gunicorn"], []),
    ('run() { [ "$1" = worker ] && set -- huey_consumer app.huey; }\nrun worker\nexec "$@"', ["worker"], []),
    ('run() { shift; exec "$@"; }\nrun "$@"', ["x", "huey_consumer", "app.huey"], ["huey_consumer"]),
    ('set -- huey_consumer app.huey\nmain() { exec "$@"; }\nmain "$@"', [], ["huey_consumer"]),
])
def test_positional_changes_in_a_function_are_that_calls_own(script: str, words: list[str],
                                                            programs: list[str]) -> None:
    """bash: ``set --``/``shift`` in a function body set the function's arguments; the script's ``"$@"`` after
    the call is unchanged (a function's ``set -- huey_consumer ...`` made the script's ``exec "$@"`` a consumer)."""
    hits = run(["/e.sh", *words], {"/e.sh": f"#!/bin/sh\n{script}\n"})
    assert [hit.program for hit in hits] == programs


# -- arrays: NAME=(...), NAME+=(...), "${NAME[@]}" -------------------------------------------------

@pytest.mark.parametrize(("body", "words"), [
    ('opts=(-w 4 -k thread)\nexec huey_consumer app.huey "${opts[@]}"', ["-w", "4", "-k", "thread"]),
    ('opts=(-w 4)\nopts+=(-k thread)\nexec huey_consumer app.huey "${opts[@]}"', ["-w", "4", "-k", "thread"]),
    ('opts+=(-w 4)\nexec huey_consumer app.huey "${opts[@]}"', ["-w", "4"]),  # an unset name starts an array
    ('declare -a opts=(\n  -w 4  # workers\n  "-k" \'thread\'\n)\nexec huey_consumer app.huey "${opts[@]}"',
     ["-w", "4", "-k", "thread"]),
    ('W=4\nopts=(-w "$W" -k "${KIND:-thread}")\nexec huey_consumer app.huey "${opts[@]}"', ["-w", "4", "-k", "thread"]),
    ('opts=("-w 4")\nexec huey_consumer app.huey ${opts[@]}', ["-w", "4"]),  # unquoted: split again
    ('opts=("-w 4")\nexec huey_consumer app.huey "${opts[@]}"', ["-w 4"]),  # quoted: one word each
    ('opts=(-w 4 -k thread)\nexec huey_consumer app.huey "$opts"', ["-w"]),  # "$NAME": the first word only
    ('opts=(-w 4)\nopts+=("$@")\nexec huey_consumer app.huey "${opts[@]}"', ["-w", "4", "-f"]),  # forwarded
    ('opts=()\nexec huey_consumer app.huey "${opts[@]}"', []),
    ('LOG=/var/log\nLOG+=/huey.log\nexec huey_consumer app.huey -l "$LOG"', ["-l", "/var/log/huey.log"]),
    ('cmd=(huey_consumer app.huey -w 2)\nexec "${cmd[@]}"', ["-w", "2"]),  # the program in the array
    ('start() {\n  local -a opts=(-w 3)\n  exec huey_consumer app.huey "${opts[@]}"\n}\nstart', ["-w", "3"]),
    ('opts=(-w 2)\nset -- "${opts[@]}" -k thread\nexec huey_consumer app.huey "$@"', ["-w", "2", "-k", "thread"]),
])
def test_arrays_expand_to_their_words(body: str, words: list[str]) -> None:
    """bash arrays, as bash builds and expands them: each item a word (quotes removed, variables and defaults
    substituted), ``+=`` adding words (``"$@"`` among them), ``"${NAME[@]}"`` one word per item, unquoted
    split again, ``"$NAME"`` the first item only."""
    hit = one(run(["/srv/run.sh", "-f"], {"/srv/run.sh": f"#!/bin/bash\nset -eu\n{body}\n"}))
    assert (hit.program, argv(hit)) == ("huey_consumer", ["app.huey", *words])
    assert not hit.unresolved and all(token.literal for token in hit.args)


def test_words_added_on_some_paths_only_are_there_but_unsure() -> None:
    """``if [ "$X" != 0 ]; then opts+=(-n); fi`` with ``X`` unknown: the array's other words stay read, the
    added one is kept but marked as passed on some paths only (its option is then unknown, never absent)."""
    script = ('#!/bin/bash\nopts=(-w 2)\nif [ "$INDEX" != 0 ]; then\n  opts+=(--no-periodic)\nfi\n'
              'exec huey_consumer app.huey "${opts[@]}"\n')
    hit = one(run(["/srv/run.sh"], {"/srv/run.sh": script}))
    assert argv(hit) == ["app.huey", "-w", "2", "--no-periodic"] and not hit.unresolved
    assert [token.literal for token in hit.args] == [True, True, True, False]
    assert hit.args[3].why == "added by `opts+=(...)` (line 4) only on some paths"
    assert (hit.args[3].loc.line, hit.args[3].loc.col) == (4, 10)
    # the launch's environment decides the branch: then the word is certain (or absent)
    assert argv(one(run(["/srv/run.sh"], {"/srv/run.sh": script}, env={"INDEX": "0"}))) == ["app.huey", "-w", "2"]
    decided = one(run(["/srv/run.sh"], {"/srv/run.sh": script}, env={"INDEX": "3"}))
    assert argv(decided) == ["app.huey", "-w", "2", "--no-periodic"] and all(t.literal for t in decided.args)


@pytest.mark.parametrize("body", [
    'opts="-w 2"\nopts+=(-k thread)\nexec huey_consumer app.huey "${opts[@]}"',  # an array added to a string
    'opts=(-w 2)\nopts+=-k\nexec huey_consumer app.huey "${opts[@]}"',  # text added to an array's first item
    'if [ -n "$X" ]; then opts=(-w 2); fi\nexec huey_consumer app.huey "${opts[@]}"',  # set on some paths
])
def test_arrays_bash_builds_otherwise_stay_unknown(body: str) -> None:
    hit = one(run(["/srv/run.sh"], {"/srv/run.sh": f"#!/bin/bash\n{body}\n"}))
    assert hit.program == "huey_consumer" and argv(hit) == ["app.huey", "${opts[@]}"]
    assert not hit.args[1].literal and hit.args[1].why.startswith("`opts` is assigned on some paths only")


@pytest.mark.parametrize(("env", "words"), [
    ({}, ["-w", "$W"]),
    ({"ENV": "production"}, ["-w", "8"]),
    ({"ENV": "dev"}, ["-w", "2"]),  # the else branch: both tests refuse dev
    ({"ENV": "staging"}, ["-w", "4"]),  # an elif: its own test passes and the earlier one fails
])
def test_assignments_in_branches_the_launch_decides(env: dict[str, str | None], words: list[str]) -> None:
    """A variable assigned in an ``if`` whose test the launch's environment (or arguments) decides has that
    branch's value, or keeps its earlier one when the test refuses the branch (an ``elif`` runs when its test
    passes and every earlier one fails)."""
    script = ('#!/bin/bash\nW=1\nif [ "$ENV" = production ]; then W=8\nelif [ "$ENV" = staging ]; then W=4\n'
              'else W=2; fi\nexec huey_consumer app.huey -w $W\n')
    assert argv(one(run(["/srv/run.sh"], {"/srv/run.sh": script}, env=env))) == ["app.huey", *words]
    script = '#!/bin/bash\nW=1\n[ "$ENV" = production ] && W=8\nexec huey_consumer app.huey -w "$W"\n'
    assert argv(one(run(["/srv/run.sh"], {"/srv/run.sh": script}, env={"ENV": "dev"}))) == ["app.huey", "-w", "1"]


@pytest.mark.parametrize(("env", "consumer"), [
    ({"RUN_HUEY": "1"}, True),  # the earlier block sets the flag: the consumer branch
    ({"RUN_HUEY": ""}, False),  # its test refuses the empty value: the flag is never assigned, gunicorn runs
    ({}, True),  # RUN_HUEY unknown (the deployer may set it): the consumer branch may run
])
def test_a_flag_set_in_an_earlier_if_block_the_launch_decides(env: dict[str, str | None], consumer: bool) -> None:
    """A variable assigned in an ``if`` block closed before the branch that tests it (crazyarms' entrypoint:
    ``if [ "$RUN_HUEY" ]; then __RUN_HUEY=1; fi`` then ``if [ "${__RUN_HUEY}" ]; then exec ...``) is decided
    like one in a branch around the command: set when the launch's values pass the earlier test, left as it
    was when they refuse it, unknown otherwise."""
    script = ('#!/bin/bash\nFLAG=""\nif [ "$RUN_HUEY" ]; then\n    FLAG=1\nfi\nif [ "${FLAG}" ]; then\n'
              '    exec huey_consumer app.huey\nelse\n    exec gunicorn app:wsgi\nfi\n')
    hits = run(["/srv/run.sh"], {"/srv/run.sh": script}, env=env)
    assert [hit.program for hit in hits] == (["huey_consumer"] if consumer else [])


def test_run_time_variables_are_unknown_not_unset() -> None:
    """A variable the platform sets when the process starts (Fly.io's ``FLY_PROCESS_GROUP``, Cloud Foundry's
    ``CF_INSTANCE_INDEX``, bash's ``HOSTNAME``) is unknown, so its default never decides a branch; the launch's
    own environment still does."""
    script = ('#!/bin/sh\ncase "${FLY_PROCESS_GROUP:-app}" in\n  worker) exec huey_consumer app.huey -w 2 ;;\n'
              '  *) exec gunicorn app:wsgi ;;\nesac\n')
    assert [hit.program for hit in run(["/start.sh"], {"/start.sh": script})] == ["huey_consumer"]
    assert run(["/start.sh"], {"/start.sh": script}, env={"FLY_PROCESS_GROUP": "app"}) == []
    for name in ("HOSTNAME", "HOME", "USER"):
        script = f'#!/bin/sh\nW=2\n[ "${{{name}:-local}}" = local ] && W=8\nexec huey_consumer app.huey -w "$W"\n'
        assert argv(one(run(["/start.sh"], {"/start.sh": script})))[2].startswith("$W")


@pytest.mark.parametrize(("args", "env", "programs"), [
    (["web"], {"ROLE": "worker"}, []),  # the if's test passed: no elif runs, whatever ROLE is
    (["cron"], {"ROLE": "worker"}, ["huey_consumer"]),
    (["cron"], {}, ["huey_consumer"]),  # ROLE unknown: the elif may run
    (["cron"], {"ROLE": "web"}, []),
])
def test_an_elif_runs_only_when_every_earlier_test_failed(args: list[str], env: dict[str, str | None],
                                                          programs: list[str]) -> None:
    script = ('#!/bin/bash\nif [ "$1" = web ]; then exec gunicorn app:wsgi\n'
              'elif [ "$ROLE" = worker ]; then exec huey_consumer app.huey\nfi\n')
    assert [hit.program for hit in run(["/s.sh", *args], {"/s.sh": script}, env=env)] == programs


# -- review: forms bash evaluates otherwise than the array/branch model first did -------------------

@pytest.mark.parametrize(("body", "args", "words"), [
    ('opts=(-w 4 -k thread)\nexec huey_consumer app.huey "${opts[*]}"', [], ["-w 4 -k thread"]),  # one word
    ('exec huey_consumer app.huey "$*"', ["-w", "3"], ["-w 3"]),
    ('exec huey_consumer app.huey $@', ["-w 3"], ["-w", "3"]),  # unquoted: split again
    ('opts=("$*")\nexec huey_consumer app.huey "${opts[@]}"', ["-w", "3"], ["-w 3"]),
    ('opts=($@)\nexec huey_consumer app.huey "${opts[@]}"', ["-w 3"], ["-w", "3"]),
])
def test_star_joins_and_unquoted_at_splits(body: str, args: list[str], words: list[str]) -> None:
    """``"$*"`` / ``"${a[*]}"`` are one word (joined by a space); unquoted ``$@`` is split again (bash)."""
    hit = one(run(["/srv/run.sh", *args], {"/srv/run.sh": f"#!/bin/bash\n{body}\n"}))
    assert argv(hit) == ["app.huey", *words] and all(token.literal for token in hit.args)


@pytest.mark.parametrize("body", [
    'opts=(-w 4)\nopts[2]=-v\nexec huey_consumer app.huey "${opts[@]}"',  # an item set: bash has -w 4 -v
    'opts=(-w 4)\nopts[0]=-n\nexec huey_consumer app.huey "${opts[@]}"',  # bash: -n 4
    'opts=(-w 4)\nunset "opts[1]"\nexec huey_consumer app.huey "${opts[@]}"',  # bash: -w
    'opts=(-w 4)\nunset opts\nexec huey_consumer app.huey "${opts[@]}"',  # bash: nothing
    'opts=(-w 4)\nopts=-n\nexec huey_consumer app.huey "${opts[@]}"',  # the first item replaced: -n 4
    'opts=([0]=-w [1]=4)\nexec huey_consumer app.huey "${opts[@]}"',  # items at indices
    'declare -A opts=([a]=-w [b]=4)\nexec huey_consumer app.huey "${opts[@]}"',  # hash order
    'opts=(-w 4)\nmapfile -t opts < /srv/opts\nexec huey_consumer app.huey "${opts[@]}"',  # read from a file
    'opts=(-w 4)\nreadarray opts < /srv/opts\nexec huey_consumer app.huey "${opts[@]}"',
    'opts=(-w 4 -k thread)\nexec huey_consumer app.huey "x${opts[@]}"',  # a word per item: x-w 4 -k thread
    'opts=(-w 4)\nexec huey_consumer app.huey "${opts[@]:-x}"',  # -w 4, two words
])
def test_arrays_changed_in_ways_not_modelled_stay_unknown(body: str) -> None:
    """An array changed item by item, unset, read from input, or expanded inside more text: bash's words are
    not the ones first assigned (each comment says what bash passes), so the words are unknown, never stale."""
    hit = one(run(["/srv/run.sh"], {"/srv/run.sh": f"#!/bin/bash\n{body}\n"}))
    assert len(hit.args) == 2 and not hit.args[1].literal, argv(hit)


@pytest.mark.parametrize("body", [
    'W=4\nunset W\nexec huey_consumer app.huey -w "$W"',
    'W=4\nunset -v W\nexec huey_consumer app.huey -w "$W"',
    'W=4\nread W < /srv/w\nexec huey_consumer app.huey -w "$W"',
])
def test_unset_and_read_change_the_variable(body: str) -> None:
    """tree-sitter parses ``unset`` as its own node: the value before it is gone (bash: empty)."""
    hit = one(run(["/srv/run.sh"], {"/srv/run.sh": f"#!/bin/bash\n{body}\n"}))
    assert argv(hit)[:2] == ["app.huey", "-w"] and not hit.args[2].literal


def test_unset_f_removes_a_function_not_the_variable() -> None:
    script = '#!/bin/bash\nW=4\nunset -f W\nexec huey_consumer app.huey -w "$W"\n'
    assert argv(one(run(["/srv/run.sh"], {"/srv/run.sh": script}))) == ["app.huey", "-w", "4"]


@pytest.mark.parametrize(("test", "env"), [
    ('[[ $ENV == "prod*" ]]', "production"),  # a quoted part of a [[ pattern matches itself
    ('[ "$ENV" = "prod*" ]', "production"),  # [ compares strings, never patterns
    ("[ $ENV = prod* ]", "production"),
    ('test "$ENV" = "prod?ction"', "production"),
    ('[[ $ENV =~ "^prod" ]]', "production"),  # a quoted regex matches literally
    ("[[ $ENV == prod\\* ]]", "production"),  # an escaped * too
])
def test_literal_comparisons_are_not_patterns(test: str, env: str) -> None:
    """Each test is false in bash for this value: the branch's assignment does not run, W stays 1."""
    script = f'#!/bin/bash\nW=1\nif {test}; then W=8; fi\nexec huey_consumer app.huey -w "$W"\n'
    assert argv(one(run(["/srv/run.sh"], {"/srv/run.sh": script}, env={"ENV": env}))) == ["app.huey", "-w", "1"]
    if test.startswith("[["):  # the same text unquoted is a pattern / regex
        plain = test.replace('"', "").replace("\\", "")
        script = f'#!/bin/bash\nW=1\nif {plain}; then W=8; fi\nexec huey_consumer app.huey -w "$W"\n'
        assert argv(one(run(["/srv/run.sh"], {"/srv/run.sh": script}, env={"ENV": env}))) == ["app.huey", "-w", "8"]


@pytest.mark.parametrize("branches", [
    'if [ "$ENV" = dev -o -n "$X" ]; then W=8; fi',  # -o: true whenever X is not empty
    'if [ "$ENV" = production -a -f /srv/flag ]; then W=8; fi',  # -a: only with the file
    'case "$ENV" in prod*) W=2 ;& dev) W=8 ;; esac',  # ;& runs the next body too: W=8 in bash
    'case "$ENV" in prod*) W=2 ;;& *) W=8 ;; esac',  # ;;& tests the next patterns too: W=8 in bash
])
def test_compound_tests_and_case_fallthrough_are_not_decided(branches: str) -> None:
    script = f'#!/bin/bash\nW=1\n{branches}\nexec huey_consumer app.huey -w "$W"\n'
    hit = one(run(["/srv/run.sh"], {"/srv/run.sh": script}, env={"ENV": "production"}))
    assert argv(hit) == ["app.huey", "-w", "$W"] and not hit.args[2].literal


def test_quoted_case_patterns_match_themselves() -> None:
    script = '#!/bin/bash\nW=1\ncase $ENV in "prod*") W=8 ;; esac\nexec huey_consumer app.huey -w "$W"\n'
    assert argv(one(run(["/srv/run.sh"], {"/srv/run.sh": script}, env={"ENV": "production"}))) == ["app.huey", "-w", "1"]
    glob = script.replace('"prod*"', "prod*")
    assert argv(one(run(["/srv/run.sh"], {"/srv/run.sh": glob}, env={"ENV": "production"}))) == ["app.huey", "-w", "8"]


@pytest.mark.parametrize(("body", "args", "env", "words"), [
    # the body changes the tested variable after the test: the branch was still taken
    ('W=1\nif [ "$ENV" = production ]; then ENV=dev; W=8; fi\nexec huey_consumer app.huey -w "$W"', [],
     {"ENV": "production"}, ["-w", "8"]),
    ('W=1\nif [ "$1" = worker ]; then shift; W=8; fi\nexec huey_consumer app.huey -w "$W"', ["worker"], {}, ["-w", "8"]),
    # a second test of the same text sees the changed value
    ('W=1\nif [ "$ENV" = production ]; then ENV=dev; fi\nif [ "$ENV" = production ]; then W=8; fi\n'
     'exec huey_consumer app.huey -w "$W"', [], {"ENV": "production"}, ["-w", "1"]),
])
def test_branch_tests_see_the_values_of_their_own_time(body: str, args: list[str], env: dict[str, str | None],
                                                      words: list[str]) -> None:
    hit = one(run(["/srv/run.sh", *args], {"/srv/run.sh": f"#!/bin/bash\n{body}\n"}, env=env))
    assert argv(hit) == ["app.huey", *words]


@pytest.mark.parametrize("branch", [
    'case "$1" in worker) shift; set -- huey_consumer app.huey "$@" ;; esac',
    'if [ "$1" = worker ]; then shift; set -- huey_consumer app.huey "$@"; fi',
])
def test_shift_then_set_in_a_branch_decided_by_the_first_argument(branch: str) -> None:
    """The ``set --`` after a ``shift`` in the branch runs too (the test saw ``worker``, not what followed it)."""
    hit = one(run(["/srv/run.sh", "worker", "-w", "2"], {"/srv/run.sh": f'#!/bin/bash\n{branch}\nexec "$@"\n'}))
    assert (hit.program, argv(hit)) == ("huey_consumer", ["app.huey", "-w", "2"])


@pytest.mark.parametrize(("line", "env", "words", "sure"), [
    ('[ -n "$X" ] && set -- "$@" -n', {}, ["-w", "2", "-n"], False),  # -n only when X is set: was taken as certain
    ('if [ -n "$X" ]; then set -- "$@" -n; fi', {}, ["-w", "2", "-n"], False),  # was dropped
    ('[ "$X" = 1 ] && set -- "$@" -n', {"X": "1"}, ["-w", "2", "-n"], True),  # the launch decides the test
    ('[ "$X" = 1 ] && set -- "$@" -n', {"X": "2"}, ["-w", "2"], True),
])
def test_arguments_added_by_set_on_some_paths_are_unsure(line: str, env: dict[str, str | None], words: list[str],
                                                         sure: bool) -> None:
    """``set -- "$@" -n`` after a test the launch does not decide adds ``-n`` on some paths only: the word is
    kept, marked unsure (its option unknown), like an array's ``opts+=(-n)``."""
    hit = one(run(["/srv/run.sh", "-w", "2"], {"/srv/run.sh": f'#!/bin/bash\n{line}\nexec huey_consumer app.huey "$@"\n'},
                  env=env))
    assert argv(hit) == ["app.huey", *words]
    assert all(token.literal for token in hit.args[:3]) and (sure or hit.args[3].why.startswith("added by `set --"))


@pytest.mark.parametrize(("body", "last"), [
    ('opts=(-w 2)\n' + 'opts+=("${opts[@]}")\n' * 40 + 'exec huey_consumer app.huey "${opts[@]}"', "${opts[@]}"),
    ('set -- -w 2\n' + 'set -- "$@" "$@"\n' * 40 + 'exec huey_consumer app.huey "$@"', "2"),
    ('A=x\n' + 'A="$A$A"\n' * 40 + 'exec huey_consumer app.huey "$A"', "$A"),
    ('A=x\n' + 'A+="$A"\n' * 40 + 'exec huey_consumer app.huey "$A"', "$A"),
    ('A=x\n' + ('A="' + "$A" * 2000 + '"\n') * 3 + 'exec huey_consumer app.huey "$A"', "$A"),
])
def test_values_that_double_each_line_stay_bounded(body: str, last: str) -> None:
    """A script doubling a value 40 times (a trillion words in bash) is read in bounded time and memory: past
    10,000 words or a million characters the value is unknown."""
    hit = one(run(["/srv/run.sh"], {"/srv/run.sh": f"#!/bin/bash\n{body}\n"}))
    assert len(hit.args) <= 10_001 and hit.args[-1].text == last and not hit.args[-1].literal


def test_function_calls_that_fan_out_stay_bounded() -> None:
    """Each function calls the next twice: 40 levels are a trillion calls in bash; the walk stops following
    calls into bodies past shell.MAX_STEPS and still reads the script's own last command."""
    lines = [f"f{i}() {{ f{i + 1}; f{i + 1}; }}" for i in range(40)] + ["f40() { echo x; }", "f0"]
    script = parse_script("#!/bin/bash\n" + "\n".join(lines) + "\nexec huey_consumer app.huey -w 2\n")
    assert len(script.commands) < 20_100 and script.commands[-1].words[1].text == "huey_consumer"


@pytest.mark.parametrize(("branch", "value", "w"), [
    ('case "$ENV" in [[:digit:]]) W=8 ;; esac', "5", "8"),  # POSIX classes, read as their ASCII ranges
    ('case "$ENV" in [[:space:]]) W=8 ;; esac', " ", "8"),
    ('case "$ENV" in [^a]) W=8 ;; esac', "5", "8"),  # bash's [^...] is [!...]
    ("if [[ $ENV =~ ^[[:digit:]]+$ ]]; then W=8; fi", "5", "8"),
    ("if [[ $ENV =~ ^[[:digit:]]+$ ]]; then W=8; fi", "a", "1"),
    # extglob and classes without an ASCII spelling here: undecided (bash takes each branch below)
    ('case "$ENV" in +([0-9])) W=8 ;; *) W=3 ;; esac', "5", "$W"),
    ("if [[ $ENV == @(5|6) ]]; then W=8; fi", "5", "$W"),
    ('case "$ENV" in [[:punct:]]) W=8 ;; esac', "!", "$W"),
])
def test_bash_patterns_fnmatch_does_not_read_alike(branch: str, value: str, w: str) -> None:
    script = f'#!/bin/bash\nshopt -s extglob\nW=1\n{branch}\nexec huey_consumer app.huey -w "$W"\n'
    assert argv(one(run(["/srv/run.sh"], {"/srv/run.sh": script}, env={"ENV": value}))) == ["app.huey", "-w", w]


@pytest.mark.parametrize(("body", "w"), [
    ('f() { declare W=9; }\nf', "2"),  # declare in a function is local (bash(1))
    ('f() { typeset W=9; }\nf', "2"),
    ('f() { declare -g W=9; }\nf', "9"),  # unless -g
    ('f() { local W; W=9; }\nf', "2"),  # assigned after `local W`: the local one
    ('g() { W=9; }\nf() { local W; g; }\nf', "2"),  # a callee assigns its caller's local (dynamic scope)
    ('g() { W=9; }\nf() { local W; g; }\nf\ng', "9"),  # called from the top: the global one
    ('f() { W=9; local W=3; }\nf\nf', "9"),  # each call declares its own: before `local`, the global
])
def test_local_scopes_as_bash_does(body: str, w: str) -> None:
    script = f'#!/bin/bash\nW=2\n{body}\nexec huey_consumer app.huey -w "$W"\n'
    assert argv(one(run(["/srv/run.sh"], {"/srv/run.sh": script}))) == ["app.huey", "-w", w]


def test_an_item_set_in_an_argument_loop_makes_the_array_unknown() -> None:
    script = ('#!/bin/bash\nA=(-w 2)\nwhile [ $# -gt 0 ]; do\n  case "$1" in\n    --no-periodic) A[2]=-n; shift ;;\n'
              '    *) shift ;;\n  esac\ndone\nexec huey_consumer app.huey "${A[@]}"\n')
    hit = one(run(["/srv/run.sh", "--no-periodic"], {"/srv/run.sh": script}))  # bash: -w 2 -n
    assert argv(hit) == ["app.huey", "${A[@]}"] and not hit.args[1].literal


@pytest.mark.parametrize(("branch", "args", "reached"), [
    ('if [ "$1" = web ]; then echo web; exit 0; fi', ["web"], False),  # the launch takes the branch: never reached
    ('[ "$1" = web ] && exit 0', ["web"], False),
    ('case "$1" in web) exit 0 ;; esac', ["web"], False),
    ('if [ "$1" = web ]; then exit 0; fi', ["worker"], True),
    ('if [ "$1" = web ]; then exit 0; fi', [], True),
    ('if [ "$1" = web ]; then (exit 0); fi', ["web"], True),  # a subshell's exit ends the subshell
])
def test_an_exit_in_branches_the_launch_takes_ends_the_script(branch: str, args: list[str], reached: bool) -> None:
    hits = run(["/srv/run.sh", *args], {"/srv/run.sh": f"#!/bin/bash\n{branch}\nexec huey_consumer app.huey\n"})
    assert bool(hits) is reached


@pytest.mark.parametrize(("branch", "reached"), [
    ('if [ "$1" = web ]; then exec gunicorn app.wsgi; fi', False),  # replaced by gunicorn
    ('[ "$1" = web ] && exec gunicorn app.wsgi', False),
    ('if [ "$1" = web ]; then exec > /var/log/web.log; fi', True),  # redirections only: no program
    ('if [ "$1" = web ]; then exec gosu app "$0" "$@"; fi', True),  # the script again: followed as such
])
def test_an_exec_in_branches_the_launch_takes_replaces_the_script(branch: str, reached: bool) -> None:
    hits = run(["/srv/run.sh", "web"], {"/srv/run.sh": f"#!/bin/bash\n{branch}\nexec huey_consumer app.huey\n"})
    assert any(hit.program == "huey_consumer" for hit in hits) is reached


def test_case_patterns_known_at_run_time_decide_nothing() -> None:
    """``case "$1" in "$ROLE")``: the pattern is ROLE's value; its text never matched, so the branch (and the
    consumer in it) was pruned for every launch."""
    script = '#!/bin/bash\nROLE=$(cat /etc/role)\ncase "$1" in "$ROLE") exec huey_consumer app.huey ;; esac\n'
    assert [hit.program for hit in run(["/srv/run.sh", "worker"], {"/srv/run.sh": script})] == ["huey_consumer"]
    script = '#!/bin/bash\nW=1\ncase "$1" in ${ROLE:-worker}) W=8 ;; *) W=3 ;; esac\nexec huey_consumer app.huey -w "$W"\n'
    assert argv(one(run(["/srv/run.sh", "worker"], {"/srv/run.sh": script}))) == ["app.huey", "-w", "$W"]


@pytest.mark.parametrize("branches", [
    'if [ "$ENV" = a ]; then ENV=b; elif [ "$ENV" = b ]; then W=8; fi',  # the elif is tested before the if's body
    'case "$ENV" in a) ENV=b ;; b) W=8 ;; esac',  # the subject is expanded once, before any item runs
])
def test_later_clauses_are_tested_on_the_values_before_the_first_body(branches: str) -> None:
    script = f'#!/bin/bash\nW=1\n{branches}\nexec huey_consumer app.huey -w "$W"\n'
    assert argv(one(run(["/srv/run.sh"], {"/srv/run.sh": script}, env={"ENV": "a"}))) == ["app.huey", "-w", "1"]


@pytest.mark.parametrize(("value", "w"), [
    ("1", "8"), ("2", "1"),  # plain decimals: compared as written
    ("010", "$W"), ("0+1", "$W"), ("true", "$W"),  # arithmetic in [[ ]]: octal 8, 1, the variable `true`
])
def test_double_bracket_integer_tests_decide_only_plain_decimals(value: str, w: str) -> None:
    script = '#!/bin/bash\nW=1\nif [[ "$ENV" -eq 1 ]]; then W=8; fi\nexec huey_consumer app.huey -w "$W"\n'
    assert argv(one(run(["/srv/run.sh"], {"/srv/run.sh": script}, env={"ENV": value}))) == ["app.huey", "-w", w]
    single = script.replace("[[", "[").replace("]]", "]")  # test(1) reads decimal text: "010" is 10
    assert argv(one(run(["/srv/run.sh"], {"/srv/run.sh": single}, env={"ENV": "01"}))) == ["app.huey", "-w", "8"]


@pytest.mark.parametrize(("clause", "args", "words"), [
    ('*) EXTRA+=("$1"); shift ;;', ["--workers", "3", "-n", "-v"], ["-w", "3", "-n", "-v"]),  # collected
    ('*) EXTRA=("$1"); shift ;;', ["--workers", "3", "-n"], ["-w", "3", "-n"]),
    ('--quiet) EXTRA=(-q -n); shift ;;\n    *) shift ;;', ["--quiet"], ["-w", "$W", "-q", "-n"]),
])
def test_arrays_built_in_argument_loops(clause: str, args: list[str], words: list[str]) -> None:
    """The common entrypoint loop that keeps the options it does not know in an array for the consumer."""
    script = ('#!/bin/bash\nwhile [ $# -gt 0 ]; do\n  case "$1" in\n    --workers) W="$2"; shift 2 ;;\n'
              f'    {clause}\n  esac\ndone\nexec huey_consumer app.huey -w "$W" "${{EXTRA[@]}}"\n')
    assert argv(one(run(["/srv/run.sh", *args], {"/srv/run.sh": script}))) == ["app.huey", *words]


# -- a command kept in a variable whose text is partly unknown ------------------------------------

@pytest.mark.parametrize("assign", [
    'N="$(nproc)"\nCMD="huey_consumer app.huey -w $N -f"',  # a value only the run knows
    'CMD="huey_consumer app.huey -w ${WORKERS} -f"',  # from the launch's environment, not set there
    'if [ -z "$N" ]; then N="$(nproc)"; fi\nCMD="huey_consumer app.huey -w $N -f"',  # set on some paths
    'BIN=/opt/venv/bin\nCMD="$BIN/huey_consumer app.huey -w $(nproc_of) -f"',  # a substitution: no words
])
def test_unquoted_command_variable_with_an_unknown_part_is_split(assign: str) -> None:
    hits = run(["/run.sh"], {"/run.sh": f"#!/bin/sh\n{assign}\nexec $CMD\n"})
    if "$(nproc_of)" in assign:  # its output may hold any words: nothing is claimed
        assert hits == []
        return
    hit = one(hits)
    assert hit.program == "huey_consumer" and argv(hit) == ["app.huey", "-w", hit.args[2].text, "-f"]
    assert hit.args[2].text.startswith("$") and not hit.args[2].literal and hit.args[2].why
    assert [token.literal for token in hit.args] == [True, True, False, True]


@pytest.mark.parametrize("use", ['exec "$CMD"', 'exec "${CMD}"', "exec ${CMD[@]:-x}"])
def test_partly_unknown_command_variable_quoted_or_operated_stays_unknown(use: str) -> None:
    script = f'#!/bin/sh\nCMD="huey_consumer app.huey -w $N"\n{use}\n'
    assert run(["/run.sh"], {"/run.sh": script}) == []  # one word: bash runs a program named after all of it


def test_partly_unknown_value_is_unknown_to_tests_and_substitution() -> None:
    script = parse_script('#!/bin/sh\nCMD="huey_consumer app.huey -w $N"\nexec $CMD\n')
    from hueylint.shell_eval import Partial, State, state_at, substitute

    state: State[Token] = state_at(script, len(script.commands) - 1, [], lambda word, st: [])
    assert isinstance(state.vars["CMD"], Partial)
    assert state.lookup("CMD") is None  # tests and other expansions see an unknown value, as before
    assert substitute("$CMD", state) is None and substitute("${CMD:-x}", state) is None


@pytest.mark.parametrize(("text", "value"), [
    ("${MODE,,}", "prod-eu"), ("${MODE^^}", "PROD-EU"), ("${MODE,}", "prod-EU"), ("${LOWER^}", "Worker"),
    ("${LOWER,}|${MODE^}", "worker|Prod-EU"),
])
def test_case_modification_follows_bash(text: str, value: str) -> None:
    """``${X,,}`` ``${X^^}`` ``${X,}`` ``${X^}`` (bash 4 "Case modification", without a pattern: every character,
    or the first only), as bash 5.2 prints them."""
    from hueylint.shell_eval import State, substitute

    state: State = State([], {"MODE": "Prod-EU", "LOWER": "worker"})
    assert substitute(text, state) == value
