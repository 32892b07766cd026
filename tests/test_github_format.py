"""``--format github``: workflow commands escaped exactly as the Actions runner unescapes them.

GitHub (actions/toolkit, ``command.ts``): message data escapes ``%``, ``\\r``
and ``\\n``; property values additionally escape ``:`` and ``,``. ``%`` goes
first, otherwise the other escapes would be escaped twice.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from hueylint.findings import Finding, Related, Severity
from hueylint.locations import Loc
from hueylint.reporters import ReportOptions
from hueylint.reporters.github_report import escape_data, escape_property, render
from tests.helpers import lint, write_tree


def unescape_data(text: str) -> str:
    """The runner's inverse (``unescapeValue`` in actions/runner), for round-trip checks."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


@pytest.mark.parametrize("raw, data, prop", [
    ("100%", "100%25", "100%25"),
    ("a\rb\nc\r\n", "a%0Db%0Ac%0D%0A", "a%0Db%0Ac%0D%0A"),
    ("x: y, z", "x: y, z", "x%3A y%2C z"),
    ("%0A", "%250A", "%250A"),
    ("%3A,:", "%253A,:", "%253A%2C%3A"),
])
def test_escaping(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop
    assert unescape_data(escape_data(raw)) == raw
    assert unescape_property(escape_property(raw)) == raw


def render_one(finding: Finding) -> str:
    out = io.StringIO()
    render(SimpleNamespace(findings=[finding], root=Path("."), notices=[], extra={}), out, ReportOptions())
    return out.getvalue()


def test_a_hostile_finding_stays_one_well_formed_command() -> None:
    finding = Finding("HL101", "stop: 100% lost,\nreally\r\nFix: a, b", Loc("dir,one/a:b%.service", 3, 2, 3, 9),
                      Severity.ERROR, related=[Related(Loc("x", 1), "y")])
    text = render_one(finding)
    assert text.count("\n") == 1 and "\r" not in text
    match = re.fullmatch(r"::(\w+) ([^:]*)::(.*)\n", text)
    assert match, text
    level, props, message = match.groups()
    assert level == "error"
    fields = dict(item.split("=", 1) for item in props.split(","))
    assert unescape_property(fields["file"]) == "dir,one/a:b%.service"
    assert (fields["line"], fields["col"], fields["endLine"], fields["endColumn"]) == ("3", "2", "3", "9")
    assert unescape_property(fields["title"]).startswith("HL101 ")
    assert unescape_data(message) == "HL101 stop: 100% lost,\nreally\r\nFix: a, b"


@pytest.mark.parametrize("severity, level", [(Severity.ERROR, "error"), (Severity.WARNING, "warning"),
                                             (Severity.NOTE, "notice")])
def test_levels(severity: Severity, level: str) -> None:
    assert render_one(Finding("HL104", "m", Loc("a", 1, 1), severity)).startswith(f"::{level} ")


def test_real_run(tmp_path: Path) -> None:
    write_tree(tmp_path, {"deploy/huey.service": "[Service]\nExecStart=/srv/venv/bin/huey_consumer app.huey\n"})
    out = io.StringIO()
    render(lint(tmp_path), out, ReportOptions())
    lines = out.getvalue().splitlines()
    assert any(line.startswith("::error file=deploy/huey.service,line=2,") and "title=HL101" in line
               for line in lines)


def test_what_was_not_checked_is_a_notice(tmp_path: Path) -> None:
    """The text format lists the files it skipped after its summary and SARIF as tool notifications; the
    github format said nothing, so a symlink out of the tree or a FIFO went unseen in the workflow log."""
    write_tree(tmp_path, {"deploy/huey.service": "[Service]\nExecStart=/srv/venv/bin/huey_consumer app.huey -g TERM "
                                                 "-t 50\nTimeoutStopSec=60\nRestart=always\nUser=app\n"
                                                 "ExecReload=/bin/kill -HUP $MAINPID\nType=exec\n",
                          "railway.toml": '[deploy]\nstartCommand = "python manage.py run_huey"\n'})
    (tmp_path / "evil,a:b.service").symlink_to("/etc/passwd")
    out = io.StringIO()
    render(lint(tmp_path), out, ReportOptions())
    assert out.getvalue() == (
        "::notice file=evil%2Ca%3Ab.service,title=not checked::evil,a:b.service: symlink leading outside the "
        "checked tree: skipped\n"
        "::notice file=railway.toml,title=not checked::railway.toml: mentions `run_huey` but is not a PaaS manifest "
        "hueylint recognises (Procfile, fly.toml, render.yaml): not checked\n")
    # a notice about one line is an annotation at that line (it was at the file's top, the line in its text only)
    example = tmp_path / "example"
    shutil.copytree(Path(__file__).resolve().parents[1] / "examples" / "broken", example)
    out = io.StringIO()
    render(lint(example), out, ReportOptions())
    assert [line for line in out.getvalue().splitlines() if line.startswith("::notice file=docker-compose.yml")] == [
        "::notice file=docker-compose.yml,line=5,title=not checked::docker-compose.yml:5: compose web runs "
        "Django's `run_huey`, but no settings module it loads is read in the repository (named by a value not known "
        "here, kept elsewhere, or not parsed: HL001): the app's tasks, locks and settings are not checked for this "
        "launch"]

