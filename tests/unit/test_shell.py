"""The shell layer: what each simple command of a script is, as HL201 needs to judge it."""

from __future__ import annotations

import pytest

from hueylint.shell import Command, command_words, parse_script, shebang_interpreter


def find(script_text: str, name: str) -> Command:
    """The first command whose program (after ``exec``) is ``name``."""
    for command in parse_script(script_text).commands:
        if command.argv and command.argv[0].text == name:
            return command
    raise AssertionError(f"no {name} in {[command_words(c) for c in parse_script(script_text).commands]}")


def test_words_are_unquoted_with_exact_positions() -> None:
    script = parse_script("""#!/bin/sh\nFOO=bar exec env X=1 'a b'c"d $e" "${HUEY_APP:-app.huey}" --x\\ y\n""")
    (command,) = script.commands
    assert command_words(command) == ["exec", "env", "X=1", "a bcd $e", "${HUEY_APP:-app.huey}", "--x y"]
    assert command.exec and command.assignments == ("FOO=bar",)
    assert [w.literal for w in command.words] == [True, True, True, False, False, True]
    word = command.words[3]
    assert (word.line, word.col, word.end_col) == (2, 22, 34)
    assert [w.text for w in command.argv] == command_words(command)[1:]


def test_columns_count_characters_not_bytes() -> None:
    (command,) = parse_script("echo 'héllo'; huey_consumer app.huey\n").commands[1:]
    assert command.words[0].col == 15


def test_exec_last_and_exit() -> None:
    script = "set -e\npython manage.py migrate\nexec huey_consumer app.huey\n"
    assert find(script, "huey_consumer").last and find(script, "huey_consumer").exec
    assert not find(script, "python").last
    assert find("huey_consumer app.huey\nexit 0\n", "huey_consumer").last
    assert not find("huey_consumer app.huey\necho done\n", "huey_consumer").last


def test_background_pipeline_subshell_loop() -> None:
    script = """python manage.py run_huey &
exec gunicorn app.wsgi
"""
    assert find(script, "python").background and not find(script, "gunicorn").background
    assert find(script, "gunicorn").last and find(script, "gunicorn").same_process
    assert find("exec huey_consumer a.b 2>&1 | tee log\n", "huey_consumer").pipeline
    assert find("(cd /app && exec huey_consumer a.b)\n", "huey_consumer").subshell
    assert find("while true; do huey_consumer a.b; sleep 1; done\n", "huey_consumer").loop
    assert find("nohup huey_consumer a.b > /dev/null 2>&1 &\n", "nohup").background


def test_lists_record_their_operator() -> None:
    script = parse_script("a && b || c\n")
    assert [(command_words(c)[0], c.op_after, c.last) for c in script.commands] == \
        [("a", "&&", False), ("b", "||", False), ("c", "", True)]
    assert find("python manage.py migrate && exec huey_consumer app.huey\n", "huey_consumer").last


def test_branch_conditions_read_like_the_script() -> None:
    script = """#!/bin/bash
if [ "$ROLE" = "worker" ]; then
  exec huey_consumer app.huey
elif [[ $ROLE == web ]]; then
  exec gunicorn app
else
  case "$1" in
    beat|scheduler) exec python manage.py run_huey --no-periodic ;;
  esac
fi
"""
    assert find(script, "huey_consumer").conditions == ('if [ "$ROLE" = "worker" ]',)
    assert find(script, "gunicorn").conditions == ("elif [[ $ROLE == web ]]",)
    assert find(script, "python").conditions == ('else (not if [ "$ROLE" = "worker" ])',
                                                 'case "$1" in beat|scheduler)')
    assert find(script, "python").branch == 'else (not if [ "$ROLE" = "worker" ]); case "$1" in beat|scheduler)'
    assert all(find(script, name).last for name in ("huey_consumer", "gunicorn", "python"))


def test_function_bodies_are_listed_at_their_call_sites() -> None:
    script = parse_script("""#!/bin/bash
function wait_for_redis {
  until redis-cli ping; do sleep 1; done
}
start_worker() {
  huey_consumer app.huey -w 2
}
never_called() { exec huey_consumer other.huey; }
wait_for_redis
start_worker &
exec uwsgi --ini uwsgi.ini
""")
    consumers = [c for c in script.commands if c.name == "huey_consumer"]
    assert len(consumers) == 1
    (worker,) = consumers
    assert worker.background and worker.function == "start_worker"
    assert worker.call_site is not None and (worker.call_site.line, worker.call_site.col) == (10, 1)
    assert worker.line == 6
    assert script.functions == frozenset({"wait_for_redis", "start_worker", "never_called"})


def test_recursive_function_terminates() -> None:
    script = parse_script("f() { f; huey_consumer a.b; }\nf\n")
    assert [c.name for c in script.commands] == ["f", "huey_consumer"]  # the inner call is not expanded


def test_comments_and_heredocs_are_not_commands() -> None:
    script = parse_script("""#!/bin/sh
# huey_consumer app.huey -w 4
cat > /etc/supervisor/conf.d/huey.conf <<EOF
[program:huey]
command=huey_consumer app.huey
EOF
python << END
import os; os.system("huey_consumer x.huey")
END
""")
    assert [c.name for c in script.commands] == ["cat", "python"]


def test_forwarding_variables_and_arrays() -> None:
    script = parse_script('CMD="$@"\nARGS=("$@")\nexport RAW=$*\nOTHER="$1"\nopts=(-w 4 -k thread)\n')
    assert script.forward_vars == frozenset({"CMD", "ARGS", "RAW"})


@pytest.mark.parametrize(("line", "interpreter", "is_shell"), [
    ("#!/bin/bash", "bash", True),
    ("#!/usr/bin/env -S bash -e", "bash", True),
    ("#!/bin/sh -e", "sh", True),
    ("#!/command/with-contenv sh", "sh", True),
    ("#!/usr/bin/env python3", "python3", False),
    ("#!/command/execlineb -P", "execlineb", False),
    ("set -e", "", True),
])
def test_shebang(line: str, interpreter: str, is_shell: bool) -> None:
    assert shebang_interpreter(line) == interpreter
    assert parse_script(line + "\n").is_shell is is_shell


@pytest.mark.parametrize("text", [
    "#!/bin/sh\nif [ \"$1\" = worker ; then\n  echo \"oops\nfi\nexec huey_consumer app.huey\n",
    "#!/bin/sh\nstart() {\n  huey_consumer a.b\n",
    "case $1 in\n worker) huey_consumer a.b\n",
    "\x00\xff((((\n}}}}",
    "",
])
def test_broken_scripts_never_raise_and_say_where(text: str) -> None:
    script = parse_script(text)
    if text:
        assert script.error is not None and script.error[0] >= 1


def test_commands_before_an_error_survive() -> None:
    script = parse_script("set -e\npython manage.py migrate\nif [ \"$1\" = worker ; then\n  echo \"oops\nfi\n")
    assert [c.name for c in script.commands][:2] == ["set", "python"]
    assert script.error == (3, 1)
    assert not any(c.recovered for c in script.commands[:2])
    unclosed = parse_script("start() {\n  huey_consumer a.b\n")
    assert all(c.recovered for c in unclosed.commands if c.name == "huey_consumer")


@pytest.mark.parametrize("text", [
    'exec huey_consumer app.huey -w 2 "',  # a quote never closed: `sh: 1: Syntax error: Unterminated quoted string`
    "exec huey_consumer app.huey -w 2 $(",  # a command substitution never closed
    "exec huey_consumer app.huey -w 2 )",  # a stray `)`
    "cd /app && exec huey_consumer app.huey '",  # a list: the whole line is one complete command
    "echo hi; exec huey_consumer app.huey '",
    'if true; then\n  exec huey_consumer app.huey\n  echo "\nfi\n',  # the `if` is read to its `fi` first
])
def test_nothing_of_the_line_with_a_syntax_error_runs(text: str) -> None:
    """bash and dash read a complete command to the end of its line before running any of it: a syntax error
    anywhere in it (tree-sitter placing it after the well-formed words) stops every command of that line."""
    script = parse_script(text)
    assert script.error is not None
    assert [c.name for c in script.commands if not c.recovered] == []


@pytest.mark.parametrize("text", [
    '["huey_consumer", "app.huey", "-w", "4"]  # the worker',  # an exec form that is not JSON, run by /bin/sh -c
    "['huey_consumer', 'app.huey']",
    "cd /app && [huey_consumer, app.huey]",
])
def test_a_command_word_starting_with_a_bracket_is_no_syntax_error(text: str) -> None:
    """bash runs `[huey_consumer,` as a command (not found); tree-sitter-bash took the `[` for a test's."""
    script = parse_script(text)
    assert script.error is None
    assert not any(c.recovered for c in script.commands)


def test_the_lines_before_a_syntax_error_still_run() -> None:
    """`sh -c 'echo hi\necho "'` prints hi, then fails: the commands on the lines before the error run."""
    script = parse_script('echo hi\nf() {\n  huey_consumer app.huey\n}\nexec huey_consumer app.huey "\n')
    assert [(c.name, c.line, c.recovered) for c in script.commands] == [
        ("echo", 1, False), ("exec", 5, True)]
    called = parse_script('f() {\n  huey_consumer app.huey\n}\necho ok\nf; echo "\n')
    assert [(c.name, c.recovered) for c in called.commands] == [("echo", False), ("huey_consumer", True), ("echo", True)]


def test_simple_tests_become_guards() -> None:
    script = """case "$1" in
  worker|huey*) exec huey_consumer a.b ;;
  *) exec "$@" ;;
esac
if [ "$ROLE" != "web" ]; then exec gunicorn x; fi
if test "$1" = beat; then exec sleep 1; else exec tail -f x; fi
if [ -f /x ] && [ "$1" = a ]; then exec uwsgi; fi
"""
    guards = {name: find(script, name).guards for name in ("huey_consumer", "gunicorn", "sleep", "tail", "uwsgi")}
    (worker,) = guards["huey_consumer"]
    assert worker.admits("huey-worker") and worker.admits("worker") and not worker.admits("web")
    (default,) = find(script, "$@").guards
    assert default.admits("web") and not default.admits("worker")
    (role,) = guards["gunicorn"]
    assert role.subject == "$ROLE" and role.admits("worker") and not role.admits("web")
    (otherwise,) = guards["tail"]
    assert not otherwise.admits("beat") and otherwise.admits("x")
    assert guards["uwsgi"] == ()  # compound tests are not evaluated
    (web,) = parse_script('if [ "$ROLE" != web ]; then a; else b; fi\n').commands[1].guards  # else of `!=`
    assert web.admits("web") and not web.admits("worker")


def test_a_test_before_and_or_is_the_right_sides_branch() -> None:
    """``[ "$ROLE" = worker ] && cmd`` runs ``cmd`` as ``if`` would; ``||`` when the test fails.  Only a
    simple test on the left of a two-sided list counts: a longer list or a command on the left stays as before."""
    script = """[ "$ROLE" = worker ] && exec huey_consumer a.b
[[ $1 == web ]] || exec gunicorn x
test "$MODE" != dev || exec sleep 1
[ -f /x ] && [ "$1" = a ] && exec uwsgi
mkdir -p /x && exec tail -f x
"""
    consumer = find(script, "huey_consumer")
    assert consumer.conditions == ('[ "$ROLE" = worker ] &&',) and consumer.branch == '[ "$ROLE" = worker ] &&'
    (role,) = consumer.guards
    assert role.subject == "$ROLE" and role.admits("worker") and not role.admits("web")
    gunicorn = find(script, "gunicorn")
    (not_web,) = gunicorn.guards
    assert gunicorn.conditions == ("[[ $1 == web ]] ||",) and not_web.admits("worker") and not not_web.admits("web")
    sleep = find(script, "sleep")  # a failed `!=` test: the value is the one compared
    (dev,) = sleep.guards
    assert sleep.conditions == ('test "$MODE" != dev ||',) and dev.admits("dev") and not dev.admits("prod")
    assert find(script, "uwsgi").guards == () and find(script, "tail").guards == ()
    assert find(script, "tail").conditions == ()


def test_choices_tell_alternatives_from_sequential_branches() -> None:
    """Field test (linkding shape): clauses of one if/case are alternatives; two separate ifs are not."""
    from hueylint.model import exclusive
    from hueylint.shell import parse_script

    script = parse_script(
        'if [ "$A" = 1 ]; then\n  one\nelse\n  two\nfi\n'
        'if [ "$B" = 1 ]; then\n  three\nfi\n'
        'case "$1" in\n  x) four ;;\n  y) five ;;\nesac\n')
    by_name = {c.name: c.choices for c in script.commands}
    assert exclusive(by_name["one"], by_name["two"])
    assert not exclusive(by_name["one"], by_name["three"])
    assert not exclusive(by_name["two"], by_name["three"])
    assert exclusive(by_name["four"], by_name["five"])
    assert not exclusive(by_name["one"], by_name["four"])


def test_slash_in_quoted_substitution_pattern_is_not_a_syntax_error() -> None:
    # field (rockstor-core build.sh): bash runs `${PATH//'/opt/bin:'/''}`, tree-sitter-bash made it an
    # ERROR that swallowed the rest of the file (HL001 "bash stops running the script here", commands lost)
    script = parse_script("#!/bin/bash\nPATH=\"${PATH//'/opt/bin:'/''}\"\ncd /app\nexec huey_consumer app.huey\n")
    assert script.error is None
    command = find(script.text, "huey_consumer")
    assert command.exec and command.line == 4
    # a real syntax error is still one
    assert parse_script("#!/bin/bash\nX=\"${A//'/a'/b}\"\necho 'open\nexec huey_consumer app.huey\n").error is not None


@pytest.mark.parametrize("line", ["python << EOF &", "python <<-EOF &", "python << 'EOF' > /tmp/led.log &",
                                  "python <<EOF &  # blink"])
def test_heredoc_in_the_background_parses(line):
    """Field test (CustoPiZer's everyboot.sh): bash runs ``cmd << EOF &``; tree-sitter-bash cannot parse it."""
    script = parse_script(f"#!/bin/bash\nif [ -f x ]; then\n    {line}\nprint(1)\nEOF\nfi\nexec huey_consumer app.huey\n")
    assert script.error is None
    assert [c.argv[0].text for c in script.commands] == ["python", "huey_consumer"]
    assert script.commands[-1].exec and script.commands[-1].last


@pytest.mark.parametrize("line", [
    "while !</dev/tcp/$DB_HOST/5432; do sleep 1; done;",  # field (lotrekagency/acdc, handyman)
    "while ! </dev/tcp/db/5432; do sleep 1; done",
    "until ! 2>/dev/null >/dev/tcp/db/5432; do sleep 1; done",
    "if !>/dev/null; then echo no; fi",
    "x=1; ! </dev/tcp/db/1 && echo down",
    "{ ! </dev/tcp/db/1; } || sleep 1",
])
def test_a_negated_redirection_only_command_parses(line):
    """bash runs a command made only of redirections, negated too; tree-sitter-bash made it an ERROR (HL001
    "bash stops running the script here")."""
    script = parse_script(f"#!/bin/bash\n{line}\nexec huey_consumer app.huey\n")
    assert script.error is None
    assert script.commands[-1].exec and script.commands[-1].last and script.commands[-1].line == 3


def test_a_negation_that_is_no_command_start_is_not_rewritten():
    """The rewrite is tried only on a script tree-sitter rejects, and touches `!` only where a command starts:
    a `!` in a word or a string stays, and a script broken elsewhere stays broken."""
    script = parse_script("#!/bin/bash\necho \"hi !<\" a!>b\nexec huey_consumer app.huey\n")
    assert [w.text for w in script.commands[0].words] == ["echo", "hi !<", "a!"]
    assert parse_script("#!/bin/bash\nwhile !</dev/tcp/db/1; do sleep 1; done\necho 'open\n").error is not None


def test_columns_are_characters_and_each_line_is_measured_once(monkeypatch):
    """long-line-quadratic: a word's column was the decoded length of its line's prefix, per word (O(n^2) in
    the words of a line). Now each line's character starts are computed once and looked up per word."""
    import hueylint.shell as shell

    calls: list[bytes] = []
    real = shell.char_starts

    def counting(line: bytes):
        calls.append(line)
        return real(line)

    monkeypatch.setattr(shell, "char_starts", counting)
    words = " ".join(f"é{n}" for n in range(2000))
    script = parse_script(f"echo {words}\nexec huey_consumer app.huey -w 4\n")
    echo, consumer = script.commands
    assert [(w.text, w.col, w.end_col) for w in echo.words[1:3]] == [("é0", 6, 8), ("é1", 9, 11)]
    assert (echo.words[-1].text, echo.words[-1].col) == ("é1999", 6 + sum(len(f"é{n} ") for n in range(1999)))
    assert (consumer.words[1].text, consumer.words[1].line, consumer.words[1].col) == ("huey_consumer", 2, 6)
    assert len(calls) == len(set(calls)) == 2  # once per line, not once per word


@pytest.mark.parametrize(("line", "byte", "col"), [
    (b"plain ascii", 6, 7), ("aé b".encode(), 4, 4), ("€x y".encode(), 5, 4), (b"\xff\xfe z", 3, 4),
])
def test_char_starts_give_the_columns_decoding_gives(line, byte, col):
    from hueylint.shell import _Walker

    walker = _Walker(line)
    assert walker._col(0, byte) == col == len(line[:byte].decode("utf-8", "replace")) + 1



@pytest.mark.parametrize(("value", "then", "otherwise"), [("False", True, False), ("off", True, False),
                                                          ("True", False, True), ("", False, True)])
def test_regex_test_with_case_conversion_is_a_guard(value, then, otherwise):
    """``[[ "${X,,}" =~ ^(false|0|no|off)$ ]]``: the value lower-cased, then searched with the regex."""
    from hueylint.shell_eval import substitute

    script = parse_script('#!/bin/bash\nif [[ "${X,,}" =~ ^(false|0|no|off)$ ]]; then\n  a\nelse\n  b\nfi\n')
    (first,), (second,) = (command.guards for command in script.commands)

    class _State:
        def lookup(self, name):
            return value

    subject = substitute(first.subject, _State())  # type: ignore[arg-type]
    assert subject == value.lower()
    assert first.admits(subject) is then and second.admits(subject) is otherwise


def test_a_negated_test_is_the_branch_of_that_test_failing() -> None:
    """``! [ "$ROLE" = worker ] || exec huey_consumer``: the consumer runs only for ``worker`` (it was kept for
    every value, so a shared entrypoint made every service a consumer); ``if ! test; ... else`` likewise."""
    script = """! [ "$ROLE" = worker ] || exec huey_consumer a.b
! [ "$ROLE" != web ] && exec gunicorn x
if ! [[ $MODE =~ ^(prod|live)$ ]]; then exec sleep 1; else exec uwsgi; fi
if ! [ "$N" -eq 1 ]; then exec tail -f x; fi
"""
    (worker,) = find(script, "huey_consumer").guards
    assert worker.admits("worker") and not worker.admits("web")
    (web,) = find(script, "gunicorn").guards
    assert web.admits("web") and not web.admits("worker")
    (dev,), (prod,) = find(script, "sleep").guards, find(script, "uwsgi").guards
    assert dev.admits("dev") and not dev.admits("prod") and prod.admits("live") and not prod.admits("dev")
    (other,) = find(script, "tail").guards
    assert other.admits("2") and other.admits("one") and not other.admits("1")
