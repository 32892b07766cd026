"""A systemd unit an install script writes with a here-document to a path held in the script's own variables
(``sudo tee "${UNIT_PATH}" <<EOF``): the unit systemd will read, found by replaying the script's assignments up to
the command writing it (hueylint.platforms.systemd.script_values); a path not known before the script runs gets a
notice when the unit names the consumer, never silence."""

from __future__ import annotations

import pytest

from tests.helpers import lint, write_tree
from tests.helpers import notices_without_launches as _notices

UNIT = "[Service]\nExecStart=/srv/app/venv/bin/huey_consumer app.huey\n"


def _script(assignments: str, write: str, delimiter: str = "EOF") -> str:
    return f"#!/bin/sh\nset -eu\n{assignments}{write} <<'{delimiter}'\n{UNIT}{delimiter}\n"


@pytest.mark.parametrize(("assignments", "write", "name"), [
    ('UNIT_PATH="/etc/systemd/system/app-huey.service"\n', 'sudo tee "${UNIT_PATH}" >/dev/null', "app-huey.service"),
    ('NAME=app-huey.service\nUNIT="/etc/systemd/system/$NAME"\n', 'cat > "$UNIT"', "app-huey.service"),
    ('DIR=/etc/systemd/system\nNAME=queue\n', 'cat >"${DIR}/${NAME}.service"', "queue.service"),
    ('export UNIT_DIR=/lib/systemd/system\n', 'tee -a "$UNIT_DIR/app-worker.service"', "app-worker.service"),
    ('UNIT_PATH=/etc/systemd/system/app-huey.service\n', 'cat <<EOF | sudo tee "$UNIT_PATH"\n' + UNIT + 'EOF\n: ', ""),
])
def test_a_unit_written_to_a_path_in_the_scripts_variables_is_a_launch(tmp_path, assignments, write, name):
    write_tree(tmp_path, {"app.py": "from huey import RedisHuey\nhuey = RedisHuey()\n",
                          "deploy/install.sh": _script(assignments, write)})
    launches = lint(tmp_path).project.launches
    assert [launch.platform for launch in launches] == ["systemd"]
    if name:
        assert name in launches[0].name


@pytest.mark.parametrize(("assignments", "write", "shown"), [
    ('target="$1"\n', 'cat > "$target"', "$target"),  # an argument
    ('UNIT="$(mktemp)"\n', 'cat > "$UNIT"', "$UNIT"),  # a command's output
    ('if [ -d /lib/systemd ]; then UNIT=/lib/systemd/system/x.service; fi\n', 'cat > "$UNIT"', "$UNIT"),  # maybe
])
def test_a_unit_written_to_a_path_not_known_before_the_script_runs_gets_a_notice(tmp_path, assignments, write, shown):
    line = 3 + assignments.count("\n")
    assert _notices(tmp_path, {"deploy/install.sh": _script(assignments, write)}) == [
        ("deploy/install.sh", f"line {line}: writes a `[Service]` section whose command names `huey_consumer` to "
         f"`{shown}`, a path not known before the script runs (a value hueylint does not evaluate): the unit's name "
         "and type are not known, so it is not checked")]


@pytest.mark.parametrize("text", [
    _script('UNIT_PATH="/etc/supervisor/conf.d/app.conf"\n', 'cat > "$UNIT_PATH"'),  # known: not a unit's path
    '#!/bin/sh\nP="$1"\ncat > "$P" <<EOF\n[Service]\nExecStart=/usr/bin/gunicorn app:wsgi\nEOF\n',  # no consumer
])
def test_here_documents_that_write_no_consumer_unit_get_no_notice(tmp_path, text):
    assert _notices(tmp_path, {"deploy/install.sh": text}) == []
