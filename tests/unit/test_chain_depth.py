"""Where the chain stops following (``chain.MAX_DEPTH``, 8 levels of scripts running each other): a chain that
looks like a consumer launch is a launch not followed (HL004 at the word that runs the next level), never
silence; one that does not is a dropped candidate (``hueylint inspect``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hueylint.chain import MAX_DEPTH
from tests.helpers import lint, triples, write_tree
from tests.unit.chain_scripts import one, run

WHY = f"scripts nested deeper than {MAX_DEPTH}, each running the next"


def _chain(length: int, last: str, first: str = "") -> dict[str, str]:
    """./s0.sh ... ./s{length}.sh, each exec'ing the next, s0.sh running ``first`` before, the last one ``last``."""
    files = {f"./s{n}.sh": f'#!/bin/sh\n{first if n == 0 else ":"}\nexec ./s{n + 1}.sh "$@"\n' for n in range(length)}
    return {**files, f"./s{length}.sh": f"#!/bin/sh\n{last}\n"}


def _stopped(words: list[str], scripts: dict[str, str]) -> list[tuple[str, str, str, int]]:
    return [(part.what, part.why, part.loc.path, part.loc.line) for part in one(run(words, scripts)).unresolved]


@pytest.mark.parametrize(("words", "first", "last"), [
    (["./s0.sh"], "", "exec huey_consumer app.huey"),  # read ahead: the chain ends in a consumer
    (["./s0.sh"], "", "exec ./start-huey-worker"),  # ... in a program named for huey
    (["./s0.sh", "app.huey"], "", 'exec $RUNNER "$@"'),  # the launch's own words mention huey
    (["./s0.sh"], "python -c 'import huey; print(huey.__version__)'", 'exec $RUNNER'),  # a script on the way
])
def test_a_chain_that_looks_like_a_launch_is_hl004_where_it_stops(words: list[str], first: str, last: str) -> None:
    assert _stopped(words, _chain(12, last, first)) == [("script `./s8.sh`", WHY, "./s7.sh", 3)]


@pytest.mark.parametrize("first", ["", "echo starting huey", "export HUEY_WORKERS=4"])
def test_a_chain_that_never_names_huey_is_no_launch(first: str) -> None:
    assert run(["./s0.sh"], _chain(12, "exec gunicorn app.wsgi", first)) == []


def test_a_branch_the_launch_never_takes_does_not_make_it_one() -> None:
    scripts = _chain(12, "exec gunicorn app.wsgi")
    scripts["./s0.sh"] = '#!/bin/sh\ncase "$1" in\n  worker) exec python manage.py run_huey ;;\n  *) exec ./s1.sh ;;\nesac\n'
    assert run(["./s0.sh", "web"], scripts) == []
    assert one(run(["./s0.sh", "worker"], scripts)).program == "run_huey"


def test_a_program_not_in_the_repository_at_the_last_level_is_hl004() -> None:
    """The commands of the deepest script followed were resolved, but one naming huey that cannot be followed
    (not in the repository) was dropped in silence; now the usual HL004."""
    assert _stopped(["./s0.sh"], _chain(7, "exec /usr/local/bin/run-huey")) == [
        ("`/usr/local/bin/run-huey`", "not found in the repository, and not a launcher hueylint knows", "./s7.sh", 2)]


def test_a_python_program_starting_the_consumer_at_the_last_level(tmp_path: Path) -> None:
    """A repository Python program that starts the consumer as its child, run by the deepest script followed:
    its child would be one level deeper, so HL004 at the program (before: nothing, not even in `inspect`)."""
    files = {f"s{n}.sh": f'#!/bin/sh\nexec sh s{n + 1}.sh "$@"\n' for n in range(6)}
    write_tree(tmp_path, {**files, "s6.sh": "#!/bin/sh\nexec python3 leader.py\n",
                          "leader.py": 'import subprocess\n\nsubprocess.Popen(["huey_consumer", "app.huey"]).wait()\n',
                          "Procfile": "worker: sh s0.sh\n", "requirements.txt": "huey==2.5.0\n",
                          "app.py": "from huey import RedisHuey\n\nhuey = RedisHuey('app')\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert [(p.what, p.why, p.loc.path, p.loc.line) for p in launch.unresolved] == [("`leader.py`", WHY, "s6.sh", 2)]
    assert ("HL004", "s6.sh", 2) in triples(result)
