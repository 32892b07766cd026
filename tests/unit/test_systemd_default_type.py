"""HL202 on a unit that writes no ``Type=``: systemd then runs it as ``Type=simple`` (systemd.service(5): the default
when ``ExecStart=`` is set and neither ``Type=`` nor ``BusName=`` is), or ``Type=dbus`` with ``BusName=``.  Before,
such a unit was silent although ``Type=simple`` written out was a note.  The finding is at the ``[Service]``
header (where its fix adds ``Type=exec``), with the consumer command related."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import fix_tree, git_init, lint, write_tree

REST = ("User=app\nRestart=always\nExecReload=/bin/kill -HUP $MAINPID\nTimeoutStopSec=60\n"
        "ExecStart=/srv/venv/bin/huey_consumer app.huey -g TERM -t 50\n")


def _hl202(root: Path, files: dict[str, str]):
    write_tree(root, files)
    if not (root / ".git").exists():
        git_init(root)
    return [(f.rule, f.loc.path, f.loc.line, f.loc.col, f.severity.name.lower(), [(r.loc.path, r.loc.line) for r in f.related])
            for f in lint(root).findings]


def test_no_type_is_systemds_simple_a_note_at_the_service_section(tmp_path):
    unit = f"[Unit]\nDescription=huey\n\n[Service]\n{REST}\n[Install]\nWantedBy=multi-user.target\n"
    found = _hl202(tmp_path, {"deploy/huey.service": unit})
    assert found == [("HL202", "deploy/huey.service", 4, 1, "note", [("deploy/huey.service", 9)])]
    finding = lint(tmp_path).findings[0]
    assert finding.message.startswith(
        "no `Type=`: `Type=simple` (systemd default: no `Type=`, `ExecStart=` set and no `BusName=`): systemd "
        "reports the unit as started before the consumer binary was even executed")
    fix_tree(tmp_path)
    # `Type=exec` goes at the end of [Service], not into [Install]
    assert (tmp_path / "deploy/huey.service").read_text() == unit.replace(REST, REST + "Type=exec\n")
    assert _hl202(tmp_path, {}) == []


@pytest.mark.parametrize("dropin", ["[Service]\nType=\n", "[Service]\nType=  \n"])
def test_an_empty_type_in_a_drop_in_resets_it_to_the_default(tmp_path, dropin):
    found = _hl202(tmp_path, {"huey.service": f"[Service]\nType=exec\n{REST}", "huey.service.d/reset.conf": dropin})
    assert found == [("HL202", "huey.service", 1, 1, "note", [("huey.service", 7)])]
    # the message says which line emptied it (it said `no Type=` of a unit whose `Type=exec` is written)
    [finding] = lint(tmp_path).findings
    assert finding.message.startswith("no `Type=`: `Type=simple` (systemd default: `Type=` emptied at "
                                      "huey.service.d/reset.conf:2, `ExecStart=` set and no `BusName=`): ")
    assert finding.fix is None  # `Type=exec` added to the unit would be emptied again by the drop-in


def test_busname_without_type_is_dbus_an_error(tmp_path):
    found = _hl202(tmp_path, {"huey.service": f"[Service]\nBusName=org.example.Huey\n{REST}"})
    assert found == [("HL202", "huey.service", 1, 1, "error", [("huey.service", 7)])]
    assert "`Type=dbus` (systemd default with `BusName=` (huey.service:2) and no `Type=`)" in \
        lint(tmp_path).findings[0].message


@pytest.mark.parametrize(("written", "expected"), [
    ("Type=exec\n", []),
    ("Type=simple\n", [("HL202", "huey.service", 2, 6, "note", [])]),
    ("Type=dbus\n", [("HL202", "huey.service", 2, 6, "error", [("huey.service", 7)])]),
    # a written Type= wins over BusName='s default
    ("BusName=org.example.Huey\nType=exec\n", []),
])
def test_a_written_type_is_judged_as_written(tmp_path, written, expected):
    assert _hl202(tmp_path, {"huey.service": f"[Service]\n{written}{REST}"}) == expected
