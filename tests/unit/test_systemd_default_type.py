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
def test_an_empty_type_in_a_drop_in_is_ignored(tmp_path, dropin):
    """systemd ignores an empty `Type=` (DEFINE_CONFIG_PARSE_ENUM: "Failed to parse service type, ignoring"; it was
    read as a reset to `Type=simple`): the unit's `Type=exec` still applies, so no HL202, and the empty assignment
    is HL001 at its line, as an empty `KillSignal=` is."""
    found = _hl202(tmp_path, {"huey.service": f"[Service]\nType=exec\n{REST}", "huey.service.d/reset.conf": dropin})
    assert found == [("HL001", "huey.service.d/reset.conf", 2, 6, "warning", [])]
    [finding] = lint(tmp_path).findings
    assert finding.message == (
        "cannot parse: an empty `Type=` does not reset it: systemd ignores it (\"Failed to parse ..., ignoring\"; it "
        "takes simple, exec, forking, oneshot, dbus, notify, notify-reload, idle, as written), so the value before it, "
        "or the default, applies")


def test_an_empty_type_alone_leaves_the_default_and_the_fix_adds_type_exec(tmp_path):
    """With no other `Type=`, the default applies: HL202's message says the empty one is ignored, and its fix adds
    `Type=exec` to the unit (the drop-in's empty line after it is ignored, so it does not undo it)."""
    files = {"huey.service": f"[Service]\n{REST}", "huey.service.d/reset.conf": "[Service]\nType=\n"}
    found = _hl202(tmp_path, files)
    assert found == [("HL202", "huey.service", 1, 1, "note", [("huey.service", 6)]),
                     ("HL001", "huey.service.d/reset.conf", 2, 6, "warning", [])]
    finding = lint(tmp_path).findings[0]
    assert finding.message.startswith(
        "no `Type=`: `Type=simple` (systemd default: no `Type=` it takes (it ignores the empty `Type=` at "
        "huey.service.d/reset.conf:2), `ExecStart=` set and no `BusName=`): ")
    fix_tree(tmp_path, {"select": ["HL202"]})
    assert (tmp_path / "huey.service").read_text() == f"[Service]\n{REST}Type=exec\n"


def test_a_type_systemd_does_not_take_is_ignored(tmp_path):
    """`Type=Forking` (service_type_from_string is case-sensitive): ignored, HL001; the unit's `Type=exec` applies."""
    found = _hl202(tmp_path, {"huey.service": f"[Service]\nType=exec\nType=Forking\n{REST}"})
    assert found == [("HL001", "huey.service", 3, 6, "warning", [])]


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
