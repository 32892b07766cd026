"""Long scripts (an untrusted tree may commit a 2 MiB entrypoint) are followed in time and memory linear in
their length: each of these was quadratic, a hostile script of a few megabytes took minutes or gigabytes."""

from __future__ import annotations

import dataclasses
import tracemalloc

from hueylint import chain, shell, shell_eval
from hueylint.shell import parse_script
from tests.unit.chain_scripts import argv, one, run

N = 3000


def test_what_follows_each_statement_is_read_once(monkeypatch) -> None:
    """Whether only exits follow a statement was asked of every later statement, for each one (a script of
    300,000 lines took 100 s)."""
    calls = []
    real = shell._Walker._is_exit
    monkeypatch.setattr(shell._Walker, "_is_exit", lambda self, node: calls.append(node) or real(self, node))
    parse_script("#!/bin/sh\n" + "exit 0\n" * N)
    assert len(calls) == N - 1


def test_only_exits_and_execs_are_asked_whether_they_end_the_script(monkeypatch) -> None:
    """Before each command, every earlier command was asked whether it ends the script (an `exec` of a known
    program): quadratic in the commands. Only `exit` and `exec` commands can."""
    calls = []
    real = chain._replaces
    monkeypatch.setattr(chain, "_replaces", lambda unit, position: calls.append(position) or real(unit, position))
    hit = one(run(["/srv/run.sh"], {"/srv/run.sh": "#!/bin/sh\n" + "true\n" * N + "exec huey_consumer app.huey\n"}))
    assert argv(hit) == ["app.huey"] and calls == []


def test_exported_variables_find_their_assignment_in_one_pass(monkeypatch) -> None:
    """Each exported variable's line was searched over every assignment of the script, for each one."""
    reads = []

    class Counting(list):
        def __iter__(self):
            reads.append(1)
            return super().__iter__()

    real = chain._parse
    monkeypatch.setattr(chain, "_parse", lambda text: dataclasses.replace(
        real(text), assignments=Counting(real(text).assignments)))
    text = "#!/bin/sh\n" + "".join(f"export X{i}=1\n" for i in range(N)) + "exec huey_consumer app.huey\n"
    hit = one(run(["/srv/run.sh"], {"/srv/run.sh": text}))
    assert argv(hit) == ["app.huey"] and len(reads) < 10


def test_tests_rerun_after_changes_are_found_in_linear_memory() -> None:
    """The names each step and all later ones may change were kept, a growing set for every step: 8,000
    assignments took 1.4 GB."""
    script = parse_script("#!/bin/sh\n" + "".join(f"X{i}=1\n" for i in range(N)) + '[ "$X0" = 1 ] && true\n')
    tracemalloc.start()
    try:
        evaluator = shell_eval.Evaluator(script, [], lambda word, state: [])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert evaluator.tests == [] and peak < 5_000_000


def test_whether_the_script_tests_its_user_is_asked_once(tmp_path, monkeypatch) -> None:
    """Run as a known user (an image's USER), each command asked whether the script tests the current user
    anywhere, over every command's tests: a 1 MB script of `python -c ...` lines did not finish in 2 minutes."""
    from tests.helpers import lint, write_tree

    count = 300
    body = "".join(f'[ -n "$X{i}" ] && echo {i}\npython task{i}.py\n' for i in range(count))
    write_tree(tmp_path, {"Dockerfile": 'FROM python:3.12\nUSER app\nCOPY run.sh /run.sh\nENTRYPOINT ["/run.sh"]\n',
                          "run.sh": f"#!/bin/sh\n{body}exec huey_consumer app.huey\n"})
    calls = []
    real = chain._uid_test
    monkeypatch.setattr(chain, "_uid_test", lambda unit, guard: calls.append(guard) or real(unit, guard))
    result = lint(tmp_path)
    assert [launch.loc.path for launch in result.project.launches] == ["Dockerfile"]
    assert len(calls) < 10 * count
