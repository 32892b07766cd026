"""What users see when the input is hostile or odd: internal errors, non-UTF-8 names, control
characters, colour, piped output, wording, baselines, run roots, stdin (robustness cases of the
"safe to run on untrusted pull requests" issue)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hueylint import fingerprints
from hueylint.catalog import load_catalog
from hueylint.cli import main
from hueylint.explain import markdown
from hueylint.terminal import color_choice, printable
from tests.helpers import write_tree
from tests.test_cli import BROKEN_UNIT as UNIT
from tests.test_cli import GOOD_UNIT, run_cli

NOTE_ONLY_UNIT = GOOD_UNIT.replace(" -t 55", "")  # HL104, a note
INTERNAL = ("internal error in the systemd platform (reading huey.service) (RuntimeError: boom); its results "
            "are missing. Please report this at the hueylint issue tracker")


def first_line(capsys, *args: str) -> str:
    """The first line ``hueylint check --no-cache --no-color ARGS`` prints."""
    return run_cli(capsys, "check", "--no-cache", "--no-color", *args)[1].splitlines()[0]


def set_stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# -- internal errors: exit 2 and a visible notice in every format, never "All checks passed!" ---------

@pytest.fixture
def broken_builder(git_repo, monkeypatch):
    import hueylint.platforms.systemd as systemd

    def boom(ws, project):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.delenv("HUEYLINT_DEBUG", raising=False)
    monkeypatch.setattr(systemd, "build", boom)
    write_tree(git_repo, {"huey.service": UNIT})
    return git_repo


def test_internal_error_text_exits_2_and_never_passes(broken_builder, capsys):
    code, out, err = run_cli(capsys, "check", "--no-cache", "--no-color")
    assert code == 2 and err == ""
    assert out == ("No findings in 1 file checked, but the check is incomplete (see the error below).\n"
                   f"error: huey.service: {INTERNAL}\n")
    assert run_cli(capsys, "check", "--no-cache", "--exit-zero", "-q")[0] == 2  # not a finding: --exit-zero keeps 2
    assert "All checks passed" not in capsys.readouterr().out


def test_internal_error_after_findings_in_text(broken_builder, capsys):
    write_tree(broken_builder, {"Procfile": "worker: huey_consumer my_app.huey -n\n"})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--no-color")
    assert code == 2
    assert out.endswith("Found 2 findings (1 error, 1 note) in 2 files checked.\n"
                        "[*] 2 fixable with the `--fix` option.\n"
                        f"error: huey.service: {INTERNAL}\n")
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--no-color", "-q", "--output-format", "concise")
    assert code == 2  # -q: the findings and, never quiet, the internal error
    assert [line.split(" [")[0] for line in out.splitlines()] == [
        "Procfile:1:9: HL101", "Procfile:1:9: HL104", f"error: huey.service: {INTERNAL}"]
    code, out, err = run_cli(capsys, "check", "--no-cache", "--no-color", "-s")
    assert (code, out, err) == (2, "", f"hueylint: error: huey.service: {INTERNAL}\n")  # -s: on stderr


def test_internal_error_in_json_sarif_and_github(broken_builder, capsys):
    code, out, err = run_cli(capsys, "check", "--no-cache", "--format", "json")
    assert code == 2 and err == f"hueylint: error: huey.service: {INTERNAL}\n"
    data = json.loads(out)
    assert data["internal_errors"] == [{"path": "huey.service", "message": INTERNAL}]
    assert data["skipped"] == [] and data["findings"] == []

    code, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "sarif")
    invocation = json.loads(out)["runs"][0]["invocations"][0]
    assert code == 2 and invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [{
        "level": "error", "message": {"text": f"huey.service: {INTERNAL}"}, "descriptor": {"id": "internal-error"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "huey.service", "uriBaseId": "%SRCROOT%"}}}],
    }]

    code, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "github")
    assert code == 2 and out == f"::error file=huey.service,title=hueylint internal error::{INTERNAL}\n"


def test_clean_sarif_run_is_successful(git_repo, capsys):
    write_tree(git_repo, {"huey.service": GOOD_UNIT})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "sarif")
    assert code == 0 and json.loads(out)["runs"][0]["invocations"][0]["executionSuccessful"] is True


# -- escaping: control characters and non-UTF-8 names --------------------------------------------------

@pytest.mark.parametrize(("raw", "shown"), [
    ("plain wörker.service", "plain wörker.service"),
    ("a\nb\r\tc", "a\\nb\\r\\tc"),
    ("x\x1b]0;title\x07\x1b[2J", "x\\x1b]0;title\\x07\\x1b[2J"),
    ("c1 \x85 \x9b del \x7f nul \x00", "c1 \\x85 \\x9b del \\x7f nul \\x00"),
    ("d\udce9ploiement", "d\\xe9ploiement"),  # a Latin-1 byte, decoded with surrogateescape
    ("rtl \u202e override \u2028 sep", "rtl \\u202e override \\u2028 sep"),
])
def test_printable(raw, shown):
    assert printable(raw) == shown


def test_hostile_names_and_lines_are_escaped_in_text_and_github(git_repo, capsys):
    forged = "x\n::error file=README.md,line=1,title=forged::by a file name\nx.service"
    (git_repo / forged).write_text(NOTE_ONLY_UNIT, encoding="utf-8")
    (git_repo / "Dockerfile").write_text(
        "FROM python:3.13\nUSER app\nCMD huey_consumer app.huey -g TERM -t 5 # \x1b]0;title\x07\x1b[2J\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--no-color", "--select", "HL104,HL201")
    assert out == """\
Dockerfile:3:5: HL201 [error] the shell-form CMD (/bin/sh -c) stays between the supervisor and the consumer: \
the consumer is not started with `exec`, so the shell receives the stop signal and does not pass it on. Fix: `exec` \
the consumer as the last command, use the exec (JSON) form, or drop the wrapper (shell-wrapper)
  |
3 | CMD huey_consumer app.huey -g TERM -t 5 # \\x1b]0;title\\x07\\x1b[2J
  |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

x\\n::error file=README.md,line=1,title=forged::by a file name\\nx.service:2:11: HL104 [note] no \
`-t/--shutdown-timeout` (huey version unknown, newest assumed): a stuck task holds the shutdown until SIGKILL and \
is lost without SIGNAL_INTERRUPTED. Fix: add `-t 55` (a few seconds below the kill deadline) (missing-shutdown-timeout)
  |
2 | ExecStart=/srv/app/venv/bin/huey_consumer my_app.huey -w 4 -g TERM
  |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

Found 2 findings (1 error, 1 note) in 2 files checked.
[*] 2 fixable with the `--fix` option.
"""
    assert "\x1b" not in out and "\x07" not in out and not any(line.startswith("::") for line in out.splitlines())
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "github", "--select", "HL104,HL201")
    lines = out.splitlines()
    assert len(lines) == 2 and all(line.startswith(("::error file=Dockerfile,", "::notice file=x%0A%3A%3Aerror "))
                                   for line in lines)
    assert "\x1b" not in out


def test_paths_named_on_the_command_line_are_escaped_in_errors(git_repo, capsys):
    """`git ls-files | xargs hueylint check` passes the tree's file names as arguments: an error naming one (a
    missing path, a configuration or baseline file) escapes its control characters like every other line."""
    name = "dep\x1b[2Jloy\n.service"
    code, out, err = run_cli(capsys, "check", name)
    assert (code, out, err) == (2, "", "hueylint: error: dep\\x1b[2Jloy\\n.service: no such file or folder\n")
    code, _, err = run_cli(capsys, "check", "--baseline", name)
    assert (code, err) == (2, "hueylint: error: dep\\x1b[2Jloy\\n.service: cannot read baseline: No such file or "
                              "directory (record the current findings with `--write-baseline "
                              "'dep\\x1b[2Jloy\\n.service'`)\n")
    (git_repo / name).mkdir()
    code, _, err = run_cli(capsys, "check", "--config", name)
    assert (code, err) == (2, "hueylint: error: dep\\x1b[2Jloy\\n.service: is a directory, not a configuration "
                              "file\n")


def test_code_frame_marker_lines_up_after_escapes(git_repo, capsys):
    write_tree(git_repo, {"e.service": UNIT.replace("-w 4", "-l /var/log/\x1b\x1b.log -g TERM -t 9")})
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--no-color", "--select", "HL103")
    frame = out.splitlines()[1:4]
    assert frame[1] == "2 | ExecStart=/srv/app/venv/bin/huey_consumer my_app.huey -l /var/log/\\x1b\\x1b.log -g TERM -t 9"
    assert frame[2].index("^^") == frame[1].index("-t 9") and frame[2].endswith("^^")


def test_code_frame_marker_lines_up_after_wide_characters(git_repo, capsys):
    """A CJK character takes two cells of a terminal (as ruff counts them): the marker was placed by characters,
    one cell left of `-k` for each wide character before it."""
    write_tree(git_repo, {"Procfile": "worker: env NAME=日本 huey_consumer app.huey -k gevent\n"})
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--no-color", "--select", "HL002")
    assert out.splitlines()[1:4] == ["  |", "1 | worker: env NAME=日本 huey_consumer app.huey -k gevent",
                                     "  | " + " " * 45 + "^^"]


@pytest.fixture
def latin1_repo(git_repo):
    folder = git_repo / os.fsdecode(b"d\xe9ploiement")
    folder.mkdir()
    (folder / "Dockerfile").write_text('FROM python:3.13\nUSER app\nCMD ["huey_consumer", "app.huey", "-n"]\n')
    return git_repo


def test_non_utf8_file_name_in_every_format(latin1_repo, capsys):
    code, out, err = run_cli(capsys, "check", "--no-cache", "--no-color", "--select", "HL101")
    assert code == 1 and err == ""
    assert out.splitlines()[0].startswith("d\\xe9ploiement/Dockerfile:3:7: HL101 [error] docker stops "
                                          "`d\\xe9ploiement/Dockerfile` with SIGTERM")
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "github", "--select", "HL101")
    assert out.startswith("::error file=d\\xe9ploiement/Dockerfile,line=3,col=7,")
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "sarif", "--select", "HL101")
    result = json.loads(out)["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "d%E9ploiement/Dockerfile", "uriBaseId": "%SRCROOT%"}
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "json", "--select", "HL101")
    finding = json.loads(out)["findings"][0]
    assert finding["path"] == os.fsdecode(b"d\xe9ploiement/Dockerfile")  # lossless for os.fsencode
    # fingerprints hash the raw bytes of the name
    line = 'CMD ["huey_consumer", "app.huey", "-n"]'
    expected = hashlib.sha256(b"\0".join([b"1", b"HL101", b"d\xe9ploiement/Dockerfile", line.encode()]))
    assert finding["fingerprint"] == expected.hexdigest()[:16] + ":1"
    assert fingerprints.line_hash("HL101", "a.service", "x") == \
        hashlib.sha256("1\0HL101\0a.service\0x".encode()).hexdigest()[:16]  # UTF-8 names hash as before


def test_non_utf8_file_name_baseline_round_trip(latin1_repo, capsys):
    assert run_cli(capsys, "check", "--no-cache", "--write-baseline", "base.json", "-q")[0] == 0
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--baseline", "base.json", "--no-color")
    assert code == 0 and out == "All checks passed! (1 file checked)\n3 finding(s) hidden by the baseline.\n"


def _subprocess(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("HUEYLINT_DEBUG", "FORCE_COLOR", "NO_COLOR")}
    return subprocess.run([sys.executable, "-m", "hueylint", *args], cwd=cwd, capture_output=True,
                          env={**environ, **env}, timeout=60)


def test_non_utf8_stdout_never_crashes(git_repo):
    write_tree(git_repo, {"wörker.service": UNIT})
    inspect = _subprocess(["inspect", "--no-cache"], git_repo, PYTHONIOENCODING="cp1252")
    assert inspect.returncode == 0 and inspect.stderr == b""
    text = inspect.stdout.decode("cp1252")
    assert "systemd -> huey_consumer" in text and "x running tasks are interrupted" in text
    assert "wörker.service:2" in text
    github = _subprocess(["check", "--no-cache", "--format", "github", "--select", "HL101"], git_repo,
                         PYTHONIOENCODING="ascii")
    assert github.returncode == 1 and github.stderr == b""
    assert github.stdout.decode("utf-8").startswith("::error file=wörker.service,line=2,")  # UTF-8, as GitHub reads
    text = _subprocess(["check", "--no-cache", "--select", "HL101"], git_repo, PYTHONIOENCODING="ascii")
    assert text.returncode == 1 and text.stderr == b""
    assert text.stdout.decode("ascii").startswith("w\\xf6rker.service:2:11: HL101 [error]")


# -- colour: --color, --no-color, NO_COLOR, FORCE_COLOR ---------------------------------------------

def test_color_choice(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert color_choice(None) == "auto" and color_choice("always") == "always"
    assert color_choice("always", no_color=True) == "never"
    monkeypatch.setenv("NO_COLOR", "1")
    assert color_choice(None) == "never" and color_choice("auto") == "never" and color_choice("always") == "always"
    monkeypatch.setenv("NO_COLOR", "")
    assert color_choice(None) == "auto"


@pytest.mark.parametrize("command", [
    ["check", "--no-cache"], ["rules"], ["explain", "HL101"], ["inspect", "--no-cache"],
])
def test_no_color_means_no_escape_sequence_at_all(git_repo, capsys, monkeypatch, command):
    write_tree(git_repo, {"huey.service": UNIT})
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")  # what a terminal (or CI forcing colour) looks like to rich
    _, out, _ = run_cli(capsys, *command)
    assert "\x1b[" in out  # colour and styles when wanted, so the checks below can fail
    for off in (["--no-color"], ["--color", "never"]):
        _, out, _ = run_cli(capsys, *command, *off)
        assert "\x1b" not in out and out.strip()
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = run_cli(capsys, *command)
    assert "\x1b" not in out
    _, out, _ = run_cli(capsys, *command, "--color", "always")
    assert "\x1b[" in out


def test_source_line_ending_in_a_backslash_is_shown_as_written(git_repo, capsys, monkeypatch):
    """rich's markup escaping once doubled a trailing ``\\`` (a continued ``ExecStart=``): the frame
    showed a line the file does not hold, coloured or not."""
    unit = UNIT.replace("ExecStart=/srv/app/venv/bin/huey_consumer", "ExecStart=\\\n  /srv/app/venv/bin/huey_consumer")
    assert "ExecStart=\\\n" in unit
    write_tree(git_repo, {"huey.service": unit})
    monkeypatch.delenv("NO_COLOR", raising=False)
    for color in ("never", "always"):
        _, out, _ = run_cli(capsys, "check", "--no-cache", "--color", color)
        plain = out.replace("\x1b[34m", "").replace("\x1b[0m", "")
        assert "2 | ExecStart=\\\n" in plain, color


def test_uncoloured_text_report_does_not_import_rich(git_repo):
    """Piped text output is written without rich (its import is a tenth of a small run); coloured output
    still goes through rich (the test above)."""
    write_tree(git_repo, {"huey.service": UNIT})
    code = ("import sys; from hueylint.cli import main\n"
            "try:\n    main(['check', '--no-cache', '.'])\nexcept SystemExit:\n    pass\n"
            "print('rich loaded' if 'rich' in sys.modules else 'rich not loaded', file=sys.stderr)")
    environ = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    run = subprocess.run([sys.executable, "-c", code], cwd=git_repo, env=environ, capture_output=True, text=True)
    assert "HL101 [error]" in run.stdout
    assert run.stderr.strip().splitlines()[-1] == "rich not loaded"


# -- rules and explain, piped --------------------------------------------------------------------------

def test_rules_piped_one_plain_line_per_rule(capsys, monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    code, out, _ = run_cli(capsys, "rules")
    catalog = load_catalog()
    lines = out.splitlines()
    assert code == 0 and len(lines) == len(catalog)
    assert ('HL101 stop-signal-not-graceful error  The platform stops the consumer with a signal huey treats as '
            '"interrupt running tasks now".') in lines
    for line, doc in zip(lines, catalog.values()):
        assert line == f"{doc.id} {doc.name} {doc.severity.label}  {doc.summary}"


def test_rules_json(capsys):
    code, out, _ = run_cli(capsys, "rules", "--format", "json")
    rows = json.loads(out)
    doc = load_catalog()["HL101"]
    assert code == 0 and len(rows) == len(load_catalog())
    assert next(row for row in rows if row["id"] == "HL101") == {
        "id": "HL101", "name": "stop-signal-not-graceful", "severity": "error", "summary": doc.summary,
        "tags": list(doc.tags), "precision": doc.precision, "help_uri": doc.help_uri}


def test_explain_piped_is_the_markdown_page(capsys, monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    code, out, _ = run_cli(capsys, "explain", "stop-signal-not-graceful")
    doc = load_catalog()["HL101"]
    assert code == 0 and out == markdown(doc) + "\n"
    assert out.startswith("# HL101 stop-signal-not-graceful\n\n- **Severity:** error\n")
    assert not any(line != line.rstrip() for line in out.splitlines())


# -- wording and counts --------------------------------------------------------------------------------

def test_wrapper_messages_quote_commands_as_written(git_repo, capsys):
    write_tree(git_repo, {
        "Dockerfile": "FROM python:3.13\nUSER app\nCOPY docker/entrypoint.sh /e.sh\nENTRYPOINT [\"/e.sh\"]\n"
                      "CMD huey_consumer app.huey -g TERM -t 5\n",
        "docker/entrypoint.sh": '#!/bin/sh\nhuey_consumer app.huey -w 2 &\nexec "$@"\n',
    })
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--no-color", "--select", "HL201")
    assert code == 1
    assert out == """\
Dockerfile:4:14: HL201 [error] `sh -c` stays between the supervisor and the consumer: the consumer is not started with `exec`, so the shell receives the stop signal and does not pass it on. Fix: `exec` the consumer as the last command, use the exec (JSON) form, or drop the wrapper (shell-wrapper)
  |
4 | ENTRYPOINT ["/e.sh"]
  |              ^^^^^
  = related: docker/entrypoint.sh:3: `exec "$@"`
  = related: Dockerfile:5: started without exec: `huey_consumer app.huey -g TERM ...`

Dockerfile:4:14: HL201 [error] script `docker/entrypoint.sh` starts the consumer in the background (`&`) and then runs `exec "$@"`: the consumer never receives the stop signal and is killed without a graceful shutdown. Fix: start it in the foreground as the last command with `exec`, or run it as its own service/container (shell-wrapper)
  |
4 | ENTRYPOINT ["/e.sh"]
  |              ^^^^^
  = related: docker/entrypoint.sh:2: started in the background: `huey_consumer app.huey -w 2` &
  = related: docker/entrypoint.sh:3: then `exec "$@"`

Found 2 findings (2 errors) in 2 files checked.
[*] 1 fixable with the `--fix` option.
"""  # the entrypoint, read on demand, counts as checked


def test_shell_form_is_described_not_quoted(git_repo, capsys):
    write_tree(git_repo, {"Dockerfile": "FROM python:3.13\nUSER app\nCMD huey_consumer app.huey -g TERM -t 5\n"})
    assert first_line(capsys, "--select", "HL201") == (
        "Dockerfile:3:5: HL201 [error] the shell-form CMD (/bin/sh -c) stays between the supervisor and the "
        "consumer: the consumer is not started with `exec`, so the shell receives the stop signal and does not "
        "pass it on. Fix: `exec` the consumer as the last command, use the exec (JSON) form, or drop the wrapper "
        "(shell-wrapper)")


def test_counts_and_skip_notices(git_repo, capsys):
    write_tree(git_repo, {"a.service": GOOD_UNIT})
    assert run_cli(capsys, "check", "--no-cache", "a.service")[1] == "All checks passed! (1 file checked)\n"
    (git_repo / "big.service").write_bytes(b"#" * 3_000_000)
    assert run_cli(capsys, "check", "--no-cache", "big.service")[1] == (
        "big.service:1:1: HL001 [warning] cannot read: larger than 2 MiB, so this file is not checked "
        "(unparseable-file)\n\nFound 1 finding (1 warning) in 1 file checked.\n")
    (git_repo / "Dockerfile").write_bytes(b"FROM python:3.13\n# caf\xe9\nCMD huey_consumer app.huey\n")
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--no-color", "Dockerfile")
    # the bad byte is HL001 and the rest of the file is still analysed (the HL001 file counts once)
    # and no "[*] N fixable" line: --fix never writes a file that is not UTF-8, so its findings carry no fix
    assert out.splitlines()[-2:] == ["", "Found 6 findings (2 errors, 2 warnings, 2 notes) in 1 file checked."]


def test_a_clean_run_with_notices_points_at_them(git_repo, capsys):
    """"All checks passed!" must not read as "everything was checked" when a file was not: the line says how
    many notices follow (text and concise alike); a clean run without notices is ruff's line alone."""
    write_tree(git_repo, {"a.service": GOOD_UNIT, "railway.toml": '[deploy]\nstartCommand = "python manage.py run_huey"\n'})
    expected = ("All checks passed! (1 file checked; 1 notice below on what was not checked)\n"
                "railway.toml: notice: mentions `run_huey` but is not a PaaS manifest hueylint recognises (Procfile, fly.toml, "
                "render.yaml): not checked\n")
    assert run_cli(capsys, "check", "--no-cache", ".")[:2] == (0, expected)
    assert run_cli(capsys, "check", "--no-cache", "--output-format", "concise", ".")[:2] == (0, expected)
    assert run_cli(capsys, "check", "--no-cache", "-q", ".")[:2] == (0, "")


def test_hl301_sentences(git_repo, capsys):
    write_tree(git_repo, {"compose.yaml": "services:\n  worker:\n    image: app\n    command: huey_consumer my_app.huey "
                                          "-g TERM -t 5\n    stop_grace_period: 30s\n    user: app\n    deploy:\n"
                                          "      replicas: 3\n"})
    assert first_line(capsys, "--select", "HL301") == (
        "compose.yaml:4:14: HL301 [warning] `worker` runs 3 instances (compose.yaml:8) without `-n/--no-periodic`: "
        "each instance enqueues every periodic task, so if `my_app.huey` declares periodic tasks (its code is not "
        "in the repo or not linked), each one runs once per instance. Fix: add `-n` here and run a single separate "
        "consumer without `-n` for the periodic tasks (duplicate-periodic-enqueuers)")
    write_tree(git_repo, {"my_app/__init__.py": "from huey import RedisHuey, crontab\nhuey = RedisHuey('x')\n\n"
                                                "@huey.periodic_task(crontab(minute='0'))\ndef tick():\n    pass\n"})
    assert first_line(capsys, "--select", "HL301") == (
        "compose.yaml:4:14: HL301 [error] `worker` runs 3 instances (compose.yaml:8) without `-n/--no-periodic`: "
        "each instance enqueues every periodic task, so each periodic task `my_app.huey` declares runs once per "
        "instance. Fix: add `-n` here and run a single separate consumer without `-n` for the periodic tasks "
        "(duplicate-periodic-enqueuers)")


def test_hl002_names_the_configured_version(git_repo, capsys):
    write_tree(git_repo, {"huey.service": GOOD_UNIT, "requirements.txt": "huey==3.1.0\n"})
    expected = ("huey.service:2:60: HL002 [error] `-g/--graceful-signal` needs huey 3.4.0 or newer, but {}. Fix: "
                "upgrade huey to 3.4.0 or newer where the launch's version comes from, or drop `-g/--graceful-signal` "
                "(invalid-consumer-options)")
    assert first_line(capsys, "--select", "HL002") == expected.format("this launch runs huey 3.1.0 (pinned in requirements.txt:1)")
    assert first_line(capsys, "--select", "HL002", "--huey-version", "3.1") == \
        expected.format("this launch runs huey 3.1 (configured `huey-version`)")


@pytest.mark.parametrize(("args", "message"), [
    (["check", "--format", "xml"], "hueylint: error: argument --output-format/--format: invalid choice: 'xml' "
                                   "(choose from text, concise, json, sarif, github, gitlab)\n"
                                   "For more information, try 'hueylint check --help'.\n"),
    (["--frobnicate"], "hueylint: error: unrecognized arguments: --frobnicate\n"
                       "For more information, try 'hueylint --help'.\n"),
])
def test_argparse_errors_are_one_line_and_a_hint(capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    _, err = capsys.readouterr()
    assert exit_info.value.code == 2
    assert err.replace("'text', 'concise', 'json', 'sarif', 'github', 'gitlab'",
                       "text, concise, json, sarif, github, gitlab") == message


# -- baselines -----------------------------------------------------------------------------------------

def test_write_baseline_still_writes_the_report(git_repo, capsys):
    write_tree(git_repo, {"huey.service": UNIT})
    code, out, err = run_cli(capsys, "check", "--no-cache", "--write-baseline", "base.json", "--format", "sarif",
                             "-o", "out.sarif")
    assert code == 0 and out == "" and err == "hueylint: wrote 3 finding(s) to base.json\n"
    assert len(json.loads((git_repo / "out.sarif").read_text())["runs"][0]["results"]) == 3
    assert len(json.loads((git_repo / "base.json").read_text())["findings"]) == 3
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--no-color", "-q", "--output-format", "concise",
                           "--write-baseline", "base.json")
    assert code == 0 and [line.split(" [")[0] for line in out.splitlines()] == [
        "huey.service:2:11: HL101", "huey.service:2:11: HL104", "huey.service:3:16: HL102"]


def test_write_baseline_with_baseline_is_a_usage_error(git_repo, capsys):
    write_tree(git_repo, {"huey.service": UNIT})
    code, out, err = run_cli(capsys, "check", "--write-baseline", "b.json", "--baseline", "b.json")
    assert (code, out) == (2, "")
    assert err == "hueylint: error: --write-baseline records every current finding: it cannot be combined with --baseline\n"
    assert not (git_repo / "b.json").exists()


def test_write_baseline_and_output_to_one_file_is_a_usage_error(git_repo, capsys):
    """Both would be written to the same file: the report would silently replace the baseline just written."""
    write_tree(git_repo, {"huey.service": UNIT})
    code, out, err = run_cli(capsys, "check", "--format", "json", "--write-baseline", "out.json", "-o", "./out.json")
    assert (code, out) == (2, "")
    assert err == ("hueylint: error: ./out.json: named by both --write-baseline and -o: the report would replace "
                   "the baseline\n")
    assert not (git_repo / "out.json").exists()


def test_output_dash_is_standard_output(git_repo, capsys):
    write_tree(git_repo, {"huey.service": UNIT})
    code, out, _ = run_cli(capsys, "check", "--format", "json", "-o", "-")
    assert code == 1 and json.loads(out)["findings"] and not (git_repo / "-").exists()


# -- one run root --------------------------------------------------------------------------------------

def test_paths_relative_to_the_outermost_checkout_never_dotdot(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    super_repo, sub, other = tmp_path / "super", tmp_path / "super/vendor/sub", tmp_path / "other"
    for repo in (super_repo, sub, other):
        repo.mkdir(parents=True)
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
    write_tree(sub, {"huey.service": UNIT})
    write_tree(other, {"huey.service": UNIT})
    monkeypatch.chdir(super_repo)
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "json", "--select", "HL101", "vendor/sub", "../other")
    data = json.loads(out)
    assert data["root"] == str(super_repo)
    assert [f["path"] for f in data["findings"]] == [f"{other.as_posix()}/huey.service", "vendor/sub/huey.service"]
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "sarif", "--select", "HL101", "vendor/sub", "../other")
    run = json.loads(out)["runs"][0]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert locations == [{"uri": (other / "huey.service").as_uri()},
                         {"uri": "vendor/sub/huey.service", "uriBaseId": "%SRCROOT%"}]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == super_repo.as_uri() + "/"
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--no-color", "--select", "HL101", "vendor/sub", "../other")
    assert [line.split(":")[0] for line in out.splitlines() if ": HL101" in line] == \
        [str(other / "huey.service"), "vendor/sub/huey.service"]  # text: as the user typed, relative to cwd
    monkeypatch.chdir(sub)  # inside the submodule: still the superproject's paths
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "json", "--select", "HL101")
    assert [f["path"] for f in json.loads(out)["findings"]] == ["vendor/sub/huey.service"]


def test_outside_git_a_folder_of_projects_is_not_the_root(tmp_path, capsys, monkeypatch):
    """``hueylint check app-1.0`` from a folder of unpacked projects (no git anywhere): the project, marked by
    its requirements file, is the repository whose apps are looked up, not the folder of projects, where
    another project's ``shop`` package would be found for ``INSTALLED_APPS``; paths stay relative to the
    current folder. A folder without any marker keeps the current folder as the root."""
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    settings = "INSTALLED_APPS = ['huey.contrib.djhuey', 'shop']\nHUEY = {'immediate': False}\n"
    project = {"requirements.txt": "huey==2.5.0\ndjango\n", "manage.py": "import os\n"
               "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_conf.settings')\n",
               "site_conf/settings.py": settings, "shop/__init__.py": "",
               "Procfile": "worker: python manage.py run_huey\n"}
    write_tree(tmp_path / "projects/app-1.0", project)
    write_tree(tmp_path / "projects/other", {"shop/__init__.py": "", "shop/tasks.py":
                                              "from huey import signals\nfrom huey.contrib.djhuey import signal\n"
                                              "@signal(signals.SIGNAL_INTERRUPTED)\ndef again(s, t): pass\n"})
    monkeypatch.chdir(tmp_path / "projects")
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "json", "app-1.0")
    data = json.loads(out)
    assert data["root"] == str(tmp_path / "projects/app-1.0")
    assert [(f["rule"], f["path"]) for f in data["findings"] if f["rule"] == "HL105"] == [("HL105", "site_conf/settings.py")]
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--no-color", "--select", "HL101", "app-1.0")
    assert out.startswith("app-1.0/Procfile:1:")
    (tmp_path / "projects/app-1.0/requirements.txt").unlink()
    (tmp_path / "projects/app-1.0/manage.py").rename(tmp_path / "projects/app-1.0/run.py")
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "json", "app-1.0")
    assert json.loads(out)["root"] == str(tmp_path / "projects")


def test_github_workspace_is_the_root(tmp_path, capsys, monkeypatch):
    workspace = tmp_path / "ws"
    write_tree(workspace / "a/b", {"huey.service": UNIT})
    subprocess.run(["git", "init", "-q", str(workspace / "a/b")], check=True)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(workspace))
    monkeypatch.chdir(workspace / "a/b")
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "json", "--select", "HL101")
    assert [f["path"] for f in json.loads(out)["findings"]] == ["a/b/huey.service"]


# -- stdin ---------------------------------------------------------------------------------------------

def test_check_dash_reads_only_stdin_and_frames_come_from_it(git_repo, capsys, monkeypatch):
    write_tree(git_repo, {"huey.service": UNIT, "other.service": UNIT})
    buffer = UNIT.replace("-w 4", "-w 4 -g TERM -t 9")  # not on disk: a frame read from disk would differ
    set_stdin(monkeypatch, buffer.encode())
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--no-color", "--stdin-filename", "huey.service", "-",
                           "--select", "HL103")
    assert code == 1
    assert out == """\
huey.service:2:68: HL103 [error] `-t 9` is not at least 2s below the kill deadline of 10s (huey.service:3): SIGKILL \
arrives before huey interrupts stragglers and emits SIGNAL_INTERRUPTED. Fix: `-t 5`, or raise the deadline \
(shutdown-timeout-not-below-deadline)
  |
2 | ExecStart=/srv/app/venv/bin/huey_consumer my_app.huey -w 4 -g TERM -t 9
  |                                                                    ^^
  = related: huey.service:3: the kill deadline

Found 1 finding (1 error) in 1 file checked.
[*] 1 fixable with the `--fix` option.
"""  # other.service, on disk, is not checked


def test_check_dash_alone_ignores_the_folder(git_repo, capsys, monkeypatch):
    write_tree(git_repo, {"huey.service": UNIT})
    set_stdin(monkeypatch, GOOD_UNIT.encode())
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--no-color", "--stdin-filename", "rendered.service", "-")
    assert (code, out) == (0, "All checks passed! (1 file checked)\n")


def test_stdin_filename_without_dash_is_a_usage_error(git_repo, capsys):
    code, out, err = run_cli(capsys, "check", "--stdin-filename", "x.yaml")
    assert (code, out) == (2, "")
    assert err == "hueylint: error: --stdin-filename names the text read from stdin: add `-` to the paths\n"


@pytest.mark.parametrize("command", ["check", "inspect"])
@pytest.mark.parametrize("name", ["", ".", "..", "deploy/", "deploy/.."])
def test_stdin_filename_must_name_a_file(git_repo, capsys, monkeypatch, command, name):
    set_stdin(monkeypatch, b"worker: huey_consumer my_app.huey\n")
    code, out, err = run_cli(capsys, command, "--stdin-filename", name, "-")
    assert (code, out) == (2, "")
    assert err == f"hueylint: error: --stdin-filename: {name!r} is not a file name (e.g. `rendered.yaml`)\n"


class _CountingStdin(io.BytesIO):
    """A stdin of ``size`` bytes that records how much was read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk


def test_stdin_is_bounded_like_a_file(git_repo, capsys, monkeypatch):
    """stdin gets the file rules: more than 2 MiB is HL001 and is not read past the limit (a hostile
    `helm template` cannot fill the memory), a NUL byte is HL001 at its position."""
    big = _CountingStdin(b"#" * (50 * 1024 * 1024))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(big, encoding="utf-8"))
    code, out, _ = run_cli(capsys, "check", "--format", "json", "--stdin-filename", "x.service", "-")
    [finding] = json.loads(out)["findings"]
    assert code == 1 and big.taken <= 2 * 1024 * 1024 + 1
    assert (finding["rule"], finding["path"], finding["line"], finding["message"]) == (
        "HL001", "x.service", 1, "cannot read: larger than 2 MiB, so this file is not checked")
    set_stdin(monkeypatch, b"[Service]\nExecStart=/v/huey_consumer a.huey\x00\n")
    code, out, _ = run_cli(capsys, "check", "--format", "json", "--stdin-filename", "x.service", "-")
    [finding] = json.loads(out)["findings"]
    assert (code, finding["rule"], finding["line"], finding["column"]) == (1, "HL001", 2, 34)
    assert finding["message"] == "cannot parse: a NUL byte (binary content), so this file is not checked"
    # invalid UTF-8 as in a file: HL001 at the byte, and the rest is still checked (HL101 on the consumer)
    set_stdin(monkeypatch, b"[Service]\n# caf\xe9\nExecStart=/v/huey_consumer a.huey -w 2\nKillSignal=SIGTERM\n")
    code, out, _ = run_cli(capsys, "check", "--format", "json", "--stdin-filename", "x.service", "-")
    found = [(f["rule"], f["line"], f["column"], f["message"]) for f in json.loads(out)["findings"]]
    assert code == 1 and [f for f in found if f[0] == "HL001"] == [
        ("HL001", 2, 6, "not valid UTF-8 (byte 0xe9): read as U+FFFD, the rest of the file is checked")]
    assert ("HL101", 4) in [(rule, line) for rule, line, _, _ in found]
    set_stdin(monkeypatch, b"#" * (2 * 1024 * 1024 - 1) + b"\n")  # exactly the limit: read and checked
    assert run_cli(capsys, "check", "--stdin-filename", "x.service", "-")[0] == 0


def test_inspect_reads_stdin(git_repo, capsys, monkeypatch):
    write_tree(git_repo, {"huey.service": UNIT})
    set_stdin(monkeypatch, b"web: gunicorn app\nworker: huey_consumer my_app.huey -g TERM -t 25\n")
    code, out, _ = run_cli(capsys, "inspect", "--no-cache", "--format", "json", "--stdin-filename", "Procfile", "-")
    data = json.loads(out)
    assert code == 0 and data["schema_version"] == 1
    assert [(launch["platform"], launch["at"]) for launch in data["launches"]] == [("procfile", "Procfile:2")]
    assert not (git_repo / ".hueylint_cache").exists()


def test_machine_formats_keep_paths_exact_and_escape_messages(git_repo, capsys):
    name = "a\x1b[2Jb\n.service"
    (git_repo / name).write_text(UNIT, encoding="utf-8")
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "json", "--select", "HL101")
    finding = json.loads(out)["findings"][0]
    assert finding["path"] == name  # data: exactly the file's name
    assert finding["message"].startswith("systemd stops `a\\x1b[2Jb\\n.service` with SIGTERM")
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "sarif", "--select", "HL101")
    result = json.loads(out)["runs"][0]["results"][0]
    assert result["message"]["text"].startswith("systemd stops `a\\x1b[2Jb\\n.service` with SIGTERM")
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%1B%5B2Jb%0A.service"


def test_a_rule_raising_is_an_internal_error(git_repo, capsys, monkeypatch):
    import hueylint.checks as checks

    def broken(project, ctx):
        raise KeyError("x")

    monkeypatch.delenv("HUEYLINT_DEBUG", raising=False)
    monkeypatch.setattr(checks, "all_checks", lambda: {"HL101": broken})
    write_tree(git_repo, {"huey.service": UNIT})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--no-color")
    assert code == 2
    assert out == ("No findings in 1 file checked, but the check is incomplete (see the error below).\n"
                   "error: internal error in rule HL101 (KeyError: 'x'); its results are missing. "
                   "Please report this at the hueylint issue tracker\n")


def test_an_unexpected_exception_exits_2_without_a_traceback(git_repo, capsys, monkeypatch):
    import hueylint.reporters.text_report as text_report

    def broken(result, out, options):
        raise ValueError("bad\x1b[2J state")

    monkeypatch.delenv("HUEYLINT_DEBUG", raising=False)
    monkeypatch.setattr(text_report, "render", broken)
    write_tree(git_repo, {"huey.service": UNIT})
    code, out, err = run_cli(capsys, "check", "--no-cache")
    assert (code, out) == (2, "")
    assert err == ("hueylint: error: internal error (ValueError: bad\\x1b[2J state); no result. Please report this "
                   "at the hueylint issue tracker (HUEYLINT_DEBUG=1 shows the traceback)\n")
    monkeypatch.setenv("HUEYLINT_DEBUG", "1")
    with pytest.raises(ValueError):
        main(["check", "--no-cache"])


def test_hl102_names_huey_when_its_own_timeout_is_the_limit(git_repo, capsys, monkeypatch):
    write_tree(git_repo, {"huey.service": UNIT})  # on disk: -w 4, no -t; the buffer below differs
    set_stdin(monkeypatch, b"[Service]\nUser=x\nRestart=always\nExecReload=/bin/kill -HUP $MAINPID\nKillSignal=SIGINT\n"
                           b"ExecStart=/v/huey_consumer my_app.huey -w 2 -t 2\n\nTimeoutStopSec=5\n")
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--no-color", "--stdin-filename", "huey.service", "-",
                           "--select", "HL102")
    assert code == 1
    assert out == """\
huey.service:6:45: HL102 [warning] `huey.service` interrupts running tasks 2s after the stop signal (`-t 2`, \
huey.service:6): a task running longer is interrupted; longest-task is 20s. Fix: raise `-t` above your longest task, \
and TimeoutStopSec= a few seconds above `-t` (stop-deadline-too-short)
  |
6 | ExecStart=/v/huey_consumer my_app.huey -w 2 -t 2
  |                                             ^^

Found 1 finding (1 warning) in 1 file checked.
[*] 1 fixable with the `--fix` option.
"""


def test_hl002_on_a_word_passed_on_some_paths_says_so(git_repo, capsys):
    """A word a script adds to the consumer's options under an ``if`` the launch does not decide is refused
    by huey on those paths only: the finding says which paths, at the word."""
    script = ('#!/bin/bash\nopts=(-w 2)\nif [ "$DEBUG_WORKER" = 1 ]; then\n  opts+=(--bogus)\nfi\n'
              'exec huey_consumer app.huey "${opts[@]}"\n')
    write_tree(git_repo, {"start.sh": script, "app/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('x')\n",
                          "Dockerfile": 'FROM python:3.12\nRUN pip install huey==2.5.2\nUSER app\nCOPY . .\nCMD ["./start.sh"]\n'})
    assert first_line(capsys, "--select", "HL002") == (
        "start.sh:4:10: HL002 [error] on the paths that pass it (added by `opts+=(...)` (line 4) only on some "
        "paths): huey would refuse this command line: no such option: --bogus. Fix: drop `--bogus`, or write the option "
        "as the consumer's `--help` lists it (invalid-consumer-options)")
