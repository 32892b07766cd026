"""An install script's variables in the unit it writes with a here-document the shell expands, and in the
commands of the scripts a launch runs, read as written when they hold a folder known only at run time
(:func:`hueylint.shell_eval.as_written`, :func:`hueylint.platforms.systemd.installer_expanded`).

Field: an install script wrote `ExecStart=${START_SCRIPT}` (START_SCRIPT="${NODO_DIR}/scripts/start.sh",
NODO_DIR from `$(cd ... && pwd)`): "named for huey, but runs `${START_SCRIPT}`", no launch; the start script's
`exec "${VENV_PYTHON}" -m huey.bin.huey_consumer` was HL004.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, triples, write_tree

APP = "from huey import RedisHuey\nhuey = RedisHuey('shop')\n"
START = "#!/bin/sh\nexec /srv/venv/bin/huey_consumer shop.huey -w 2 -t 50\n"


def _installer(assignments: str, delimiter: str = "EOF", exec_start: str = "${START}") -> str:
    return (f"#!/usr/bin/env bash\nset -eu\n{assignments}"
            f"sudo tee /etc/systemd/system/shop-huey.service >/dev/null <<{delimiter}\n"
            f"[Service]\nExecStart={exec_start}\nKillSignal=SIGINT\nTimeoutStopSec=60\nRestart=always\n"
            "User=shop\nType=exec\nExecReload=/bin/kill -HUP \\$MAINPID\nEOF\n")


def _systemd(result) -> list[str]:
    return [launch.name for launch in result.project.launches if launch.platform == "systemd"]


def _named_notices(result) -> list[str]:
    return [notice.reason for notice in result.notices if "named for huey" in notice.reason]


@pytest.mark.parametrize("assignments", [
    "START=/srv/shop/scripts/start.sh\n",  # known: the shell writes its value
    'START="$(cd "$(dirname "$0")/.." && pwd)/scripts/start.sh"\n',  # no: a substitution inside the text itself
    'HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"\nROOT="$(cd "${HERE}/.." && pwd)"\n'
    'START="${ROOT}/scripts/start.sh"\n',  # text around a computed folder: that text
    'ROOT=$(pwd)\nBIN="$ROOT/scripts"\nSTART="${BIN}/start.sh"\n',  # twice removed
])
def test_a_unit_written_by_an_installer_runs_its_variables(tmp_path: Path, assignments: str) -> None:
    write_tree(tmp_path, {"scripts/install.sh": _installer(assignments), "scripts/start.sh": START, "shop.py": APP,
                          "requirements.txt": "huey==3.5.4\n"})
    result = lint(tmp_path)
    if "$(dirname \"$0\")/.." in assignments:  # START is the command substitution's output itself
        assert _systemd(result) == []
        assert _named_notices(result) == [
            "line 6: systemd unit `shop-huey.service` is named for huey, but runs `${START}`, a program named by a "
            "variable whose value is not known before it runs (set outside the files read, or computed when it runs), "
            "so what it starts cannot be followed: no consumer launch, not checked"]
        return
    assert _systemd(result) == ["shop-huey.service"]
    assert _named_notices(result) == []
    assert ("HL101", "scripts/install.sh", 6) not in triples(result)


def test_a_quoted_delimiter_writes_the_text_as_it_is(tmp_path: Path) -> None:
    """``<<'EOF'``: the shell expands nothing, so systemd reads ``${START}``, a variable of its own no
    ``Environment=`` sets."""
    write_tree(tmp_path, {"scripts/install.sh": _installer("START=/srv/shop/scripts/start.sh\n", "'EOF'"),
                          "scripts/start.sh": START, "shop.py": APP})
    result = lint(tmp_path)
    assert _systemd(result) == []
    assert len(_named_notices(result)) == 1


def test_a_variable_from_an_argument_stays_unknown(tmp_path: Path) -> None:
    write_tree(tmp_path, {"scripts/install.sh": _installer('START="$1"\n'), "scripts/start.sh": START,
                          "shop.py": APP})
    result = lint(tmp_path)
    assert _systemd(result) == []
    assert len(_named_notices(result)) == 1


@pytest.mark.parametrize("assignment, followed", [
    ('PYTHON="${ROOT}/.venv/bin/python"\n', True),
    ('PYTHON="$ROOT/.venv/bin/python3"\n', True),
    ('PYTHON="$(command -v python3)"\n', False),  # the output itself: which program is not known
])
def test_a_program_held_in_a_variable_around_a_computed_folder(tmp_path: Path, assignment: str, followed: bool) -> None:
    start = (f'#!/usr/bin/env bash\nROOT="$(cd "$(dirname "$0")/.." && pwd)"\n{assignment}'
             'exec "$PYTHON" -m huey.bin.huey_consumer shop.huey -w 2\n')
    unit = ("[Service]\nExecStart=/srv/shop/scripts/start.sh\nKillSignal=SIGINT\nTimeoutStopSec=60\nRestart=always\n"
            "User=shop\nType=exec\nExecReload=/bin/kill -HUP $MAINPID\n")
    write_tree(tmp_path, {"deploy/shop-huey.service": unit, "scripts/start.sh": start, "shop.py": APP,
                          "requirements.txt": "huey==3.5.4\n"})
    found = triples(lint(tmp_path))
    assert (("HL104", "scripts/start.sh", 4) in found) is followed  # the consumer's options were read
    assert (("HL004", "scripts/start.sh", 4) in found) is not followed
