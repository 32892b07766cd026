"""A script path the entrypoint computes by a command substitution on every path (``MANAGE=$(find /app -name
manage.py | head -n 1); exec python "$MANAGE" run_huey``): its own HL004 reason, and Django's command line (no
HL004) when the repository holds exactly one Django ``manage.py`` outside test folders."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hueylint.checks.hl004_launch_not_understood import _fix
from hueylint.locations import Loc
from hueylint.model import Unresolved
from tests.helpers import lint, triples, write_tree
from tests.unit.chain_scripts import argv, one, run

FIND = "MANAGE=$(find /app -maxdepth 2 -name manage.py | head -n 1)"
COMPUTED_WHY = ("variable not resolvable: `MANAGE` is set to the output of a command substitution (`$(find ...)`), "
                "known only when the script runs")
DJANGO_MANAGE = ('import os\nimport sys\n\nif __name__ == "__main__":\n'
                 '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n'
                 '    from django.core.management import execute_from_command_line\n'
                 '    execute_from_command_line(sys.argv)\n')
PROJECT = {
    "manage.py": DJANGO_MANAGE,
    "shop/__init__.py": "",
    "shop/settings.py": ('INSTALLED_APPS = ["huey.contrib.djhuey", "shop"]\n'
                         'HUEY = {"huey_class": "huey.SqliteHuey", "filename": "/data/q.db", "immediate": False}\n'),
    "shop/tasks.py": ("from huey.contrib.djhuey import HUEY, task\nfrom huey.signals import SIGNAL_INTERRUPTED\n\n\n"
                      "@HUEY.signal(SIGNAL_INTERRUPTED)\ndef requeue(signal, task, *args, **kwargs):\n"
                      "    HUEY.enqueue(task)\n\n\n@task()\ndef ping():\n    return None\n"),
    "requirements.txt": "django==5.0.6\nhuey==2.5.2\n",
    "Dockerfile": ("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"
                   "RUN useradd app\nUSER app\nSTOPSIGNAL SIGINT\nENTRYPOINT [\"/app/entrypoint.sh\"]\n"),
}


def _launch(tmp_path: Path, script: str, extra: dict[str, str] | None = None, drop: tuple[str, ...] = ()):
    files = {**{k: v for k, v in PROJECT.items() if k not in drop}, "entrypoint.sh": script, **(extra or {})}
    write_tree(tmp_path, files)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = lint(tmp_path)
    (launch,) = result.project.launches
    return launch, result


# -- shell_eval: the reason of a value computed on every path, apart from one assigned on some paths ----------

def test_computed_variable_has_its_own_reason() -> None:
    hit = one(run(["/run.sh"], {"/run.sh": f'#!/bin/sh\nset -e\n{FIND}\nexec python "$MANAGE" run_huey -w 2\n'}))
    (part,) = hit.unresolved  # (no repository here: which manage.py is not known)
    assert (hit.program, argv(hit), part.what, part.why, part.computed) == (
        "run_huey", ["-w", "2"], "`$MANAGE`", COMPUTED_WHY, True)


def test_branch_keeps_the_some_paths_reason() -> None:
    script = f'#!/bin/sh\nif [ -d /app ]; then {FIND}; fi\nexec python "$MANAGE" run_huey\n'
    (part,) = one(run(["/run.sh"], {"/run.sh": script})).unresolved
    assert part.why.startswith("variable not resolvable: `MANAGE` is assigned on some paths only") and not part.computed


@pytest.mark.parametrize(("lines", "word"), [
    ("M=`find /app -name manage.py`", '"$M"'),  # backquotes
    ("M=$(find /app -name manage.py)", "$M"),  # unquoted
    ("export M=$(find /app -name manage.py)", '"$M"'),
    ("readonly M=\"$(find /app -name manage.py)\"", '"$M"'),
    ("M=$(find /app -name manage.py) || exit 1", '"$M"'),  # `||`: the assignment itself always runs
    ("A=$(find /app -name manage.py)\nM=\"$A\"", '"$M"'),  # copied from a computed variable
    ("M=$(find /app -name manage.py)\nM=$(realpath \"$M\")", '"$M"'),
    ("D=$(pwd)", '"$D/manage.py"'),
    ("D=/app", '"$(find "$D" -name manage.py)"'),  # written in the word itself
])
def test_computed_forms(lines: str, word: str) -> None:
    script = f"#!/bin/bash\n{lines}\nexec python {word} djangohuey\n"
    hit = one(run(["/run.sh"], {"/run.sh": script}))
    if word.endswith('/manage.py"'):  # a manage.py path in a computed folder: Django's command line already
        assert hit.program == "djangohuey" and not hit.unresolved
        return
    (part,) = hit.unresolved
    assert hit.program == "djangohuey" and part.computed, part
    assert "known only when the script runs" in part.why


@pytest.mark.parametrize("lines", [
    'M="$(find /app -name manage.py)$SUFFIX"',  # also a variable from the launch's environment
    'M=$(find /app -name manage.py)\nif [ -n "$X" ]; then M=$1; fi',  # reassigned on some paths
    'M=$1',  # an argument not passed
])
def test_not_computed(lines: str) -> None:
    hit = one(run(["/run.sh"], {"/run.sh": f'#!/bin/sh\n{lines}\nexec python "$M" run_huey\n'}))
    (part,) = hit.unresolved
    assert not part.computed and "known only when the script runs" not in part.why


def test_fix_of_a_computed_value_says_to_write_it() -> None:
    loc = Loc("run.sh", 3, 1)
    assert _fix(Unresolved("`$M`", COMPUTED_WHY, loc, computed=True), None).startswith(  # type: ignore[arg-type]
        "write the value literally in the command, not as a command substitution's output")


# -- chain: Django's command line when the repository holds one Django manage.py --------------------------------

@pytest.mark.parametrize("command", [
    f'{FIND}\nexec python "$MANAGE" run_huey --workers 2',
    f'{FIND}\nexec python3 -u "$MANAGE" run_huey --workers 2',
    f'{FIND}\nexec "$MANAGE" run_huey --workers 2',  # the file run itself (its shebang)
    f'PYTHON=$(command -v python3)\n{FIND}\nexec $PYTHON "$MANAGE" run_huey --workers 2',
    'PYTHON=$(command -v python3)\nexec "$PYTHON" manage.py run_huey --workers 2',
    f'{FIND}\nCMD="python $MANAGE run_huey --workers 2"\nexec $CMD',
    'exec python "$(find /app -name manage.py | head -n 1)" run_huey --workers 2',
    'start() {\n  local manage\n  manage=$(find /app -name manage.py)\n  exec python "$manage" run_huey --workers 2\n}\nstart',
])
def test_one_django_manage_is_a_normal_launch(tmp_path: Path, command: str) -> None:
    launch, result = _launch(tmp_path, f"#!/bin/sh\nset -e\n{command}\n")
    assert launch.program == "run_huey" and not launch.unresolved
    assert launch.argv[-2:] == ("--workers", "2") and launch.options["workers"].value == 2
    assert triples(result, "HL004") == []


def test_djangohuey_is_read_as_a_django_command(tmp_path: Path) -> None:
    launch, result = _launch(tmp_path, f'#!/bin/bash\n{FIND}\nexec python "$MANAGE" djangohuey --queue emails\n')
    assert launch.program == "djangohuey" and not launch.unresolved
    assert triples(result, "HL002") == [("HL002", "entrypoint.sh", 3)]  # django_huey not installed: read as Django's


def test_test_folder_manage_does_not_count(tmp_path: Path) -> None:
    launch, _ = _launch(tmp_path, f'#!/bin/sh\n{FIND}\nexec python "$MANAGE" run_huey\n',
                        {"tests/testproject/manage.py": DJANGO_MANAGE})
    assert not launch.unresolved


@pytest.mark.parametrize(("extra", "drop"), [
    ({"billing/manage.py": DJANGO_MANAGE}, ()),  # a monorepo: which one the script finds is not known
    ({}, ("manage.py",)),  # none here
    ({"manage.py": "import click\n\n@click.group()\ndef cli():\n    pass\n"}, ()),  # not Django's
])
def test_other_repositories_keep_hl004(tmp_path: Path, extra: dict[str, str], drop: tuple[str, ...]) -> None:
    launch, result = _launch(tmp_path, f'#!/bin/sh\n{FIND}\nexec python "$MANAGE" run_huey\n', extra, drop)
    (part,) = launch.unresolved
    assert (part.why, part.computed) == (COMPUTED_WHY, True)
    assert triples(result, "HL004") == [("HL004", "entrypoint.sh", 3)]


def test_assigned_on_some_paths_keeps_hl004(tmp_path: Path) -> None:
    """It may be empty (the launch may not start): HL004 as for any variable assigned on some paths only."""
    launch, _ = _launch(tmp_path, f'#!/bin/sh\nif [ -d /app ]; then {FIND}; fi\nexec python "$MANAGE" run_huey\n')
    (part,) = launch.unresolved
    assert part.why.startswith("variable not resolvable: `MANAGE` is assigned on some paths only")


def test_another_command_after_the_computed_path_is_not_followed(tmp_path: Path) -> None:
    """``"$SCRIPT" app.huey``: no Django command follows, so nothing says the value is manage.py."""
    launch, _ = _launch(tmp_path, '#!/bin/sh\nSCRIPT=$(command -v huey_worker)\nexec "$SCRIPT" shop.huey_app\n')
    assert launch.unresolved and launch.program == "unknown"
