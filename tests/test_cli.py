"""The command line as users see it: options, config discovery, exit codes, output formats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hueylint.cli import main
from tests.helpers import write_tree

BROKEN_UNIT = """\
[Service]
ExecStart=/srv/app/venv/bin/huey_consumer my_app.huey -w 4
TimeoutStopSec=10
User=app
Restart=on-failure
ExecReload=/bin/kill -HUP $MAINPID
Type=exec
"""
GOOD_UNIT = """\
[Service]
ExecStart=/srv/app/venv/bin/huey_consumer my_app.huey -w 4 -g TERM -t 55
TimeoutStopSec=60
User=app
Restart=on-failure
ExecReload=/bin/kill -HUP $MAINPID
Type=exec
"""


@pytest.fixture
def repo(git_repo: Path) -> Path:
    return git_repo


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_exit_1_with_findings_and_ruff_style_lines(repo, capsys):
    write_tree(repo, {"deploy/huey.service": BROKEN_UNIT})
    code, out, _ = run_cli(capsys, "check", "--no-color")
    assert code == 1
    assert "deploy/huey.service:2:11: HL101 [error]" in out
    assert "deploy/huey.service:3:16: HL102 [warning]" in out
    assert "2 | ExecStart=" in out and "^" in out
    assert "Found 3 findings (1 error, 1 warning, 1 note)" in out


def test_exit_0_when_clean(repo, capsys):
    write_tree(repo, {"huey.service": GOOD_UNIT})
    code, out, _ = run_cli(capsys, "check", ".")
    assert code == 0
    assert "All checks passed" in out


def test_fail_on_error_ignores_warnings(repo, capsys):
    write_tree(repo, {"huey.service": GOOD_UNIT.replace("60", "10").replace("-t 55", "-t 5")})
    assert run_cli(capsys, "check")[0] == 1  # HL102 warning
    assert run_cli(capsys, "check", "--fail-on", "error")[0] == 0
    assert run_cli(capsys, "check", "--exit-zero")[0] == 0


def test_fail_on_note(repo, capsys):
    write_tree(repo, {"huey.service": GOOD_UNIT.replace(" -t 55", "")})
    assert run_cli(capsys, "check")[0] == 0  # only HL104, a note
    assert run_cli(capsys, "check", "--fail-on", "note")[0] == 1


def test_select_and_ignore(repo, capsys):
    write_tree(repo, {"huey.service": BROKEN_UNIT})
    _, out, _ = run_cli(capsys, "check", "--select", "HL102", "--no-color")
    assert "HL102" in out and "HL101" not in out
    _, out, _ = run_cli(capsys, "check", "--ignore", "HL1", "--no-color")
    assert "HL10" not in out
    _, out, _ = run_cli(capsys, "check", "--select", "HL1", "--ignore", "HL102", "--no-color")
    assert "HL101" in out and "HL102" not in out


@pytest.mark.parametrize(("args", "needle"), [
    (["--select", "HL999"], "--select: unknown rule id or prefix 'HL999' (`hueylint rules` lists the rules)\n"),
    (["--ignore", "XYZ"], "unknown rule id or prefix 'XYZ'"),
    (["--longest-task", "soon"], "--longest-task"),
    (["--longest-task", "0s"], "must be positive"),
    (["--config", "missing.toml"], "no such configuration file"),
    (["nowhere"], "nowhere: no such file or folder"),
])
def test_usage_errors_exit_2_with_one_line(repo, capsys, args, needle):
    code, _, err = run_cli(capsys, "check", *args)
    assert code == 2
    assert needle in err
    assert err.count("\n") == 1


def test_argparse_usage_error_exits_2(repo, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "xml"])
    assert exc.value.code == 2


def test_longest_task_option(repo, capsys):
    write_tree(repo, {"huey.service": GOOD_UNIT})
    _, out, _ = run_cli(capsys, "check", "--longest-task", "2m", "--no-color")
    assert "HL102" in out and "longest-task is 120s" in out


def test_statistics_and_quiet(repo, capsys):
    write_tree(repo, {"huey.service": BROKEN_UNIT})
    _, out, _ = run_cli(capsys, "check", "--statistics", "--quiet", "--no-color")
    assert out == ("    1  HL101  [*] stop-signal-not-graceful\n"  # -q: the counts and nothing else, as ruff
                   "    1  HL102  [*] stop-deadline-too-short\n"
                   "    1  HL104  [*] missing-shutdown-timeout\n")
    _, out, _ = run_cli(capsys, "check", "--statistics", "--no-color")  # without -q too: counts, no list
    assert "HL101  [*] stop-signal-not-graceful" in out and "ExecStart" not in out and "huey.service:" not in out


def test_json_output_schema(repo, capsys):
    write_tree(repo, {"deploy/huey.service": BROKEN_UNIT})
    code, out, _ = run_cli(capsys, "check", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["schema_version"] == 1
    first = data["findings"][0]
    assert set(first) >= {"rule", "name", "severity", "message", "path", "line", "column", "end_line",
                          "end_column", "related", "fix"}
    assert [(f["rule"], f["path"], f["line"]) for f in data["findings"]] == [
        ("HL101", "deploy/huey.service", 2), ("HL104", "deploy/huey.service", 2),
        ("HL102", "deploy/huey.service", 3)]
    assert data["summary"]["errors"] == 1


def test_output_file(repo, capsys):
    write_tree(repo, {"huey.service": BROKEN_UNIT})
    code, out, _ = run_cli(capsys, "check", "--format", "github", "-o", "report.txt")
    assert code == 1 and out == ""
    text = (repo / "report.txt").read_text()
    assert text.startswith("::error file=huey.service,line=2,col=11")
    assert "title=HL101 stop-signal-not-graceful::HL101 systemd stops" in text


def test_output_file_is_an_alias_of_output_as_in_ruff(repo, capsys):
    """ruff writes its report with `--output-file FILE`: the same flag works here."""
    write_tree(repo, {"huey.service": BROKEN_UNIT})
    assert run_cli(capsys, "check", "--format", "json", "--output-file", "by-alias.json") == (1, "", "")
    assert run_cli(capsys, "check", "--format", "json", "-o", "by-name.json") == (1, "", "")
    assert (repo / "by-alias.json").read_text() == (repo / "by-name.json").read_text()


def test_github_format_levels(repo, capsys):
    write_tree(repo, {"huey.service": BROKEN_UNIT})
    _, out, _ = run_cli(capsys, "check", "--format", "github")
    assert {line.split(" ", 1)[0] for line in out.splitlines()} == {"::error", "::warning", "::notice"}


def test_sarif_output_is_json(repo, capsys):
    write_tree(repo, {"huey.service": BROKEN_UNIT})
    _, out, _ = run_cli(capsys, "check", "--format", "sarif")
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"HL101", "HL102", "HL104"}


def test_paths_relative_to_cwd_in_text(repo, capsys, monkeypatch):
    write_tree(repo, {"deploy/huey.service": BROKEN_UNIT})
    monkeypatch.chdir(repo / "deploy")
    _, out, _ = run_cli(capsys, "check", ".", "--no-color")
    assert out.startswith("huey.service:2:11: HL101")


@pytest.mark.parametrize("fmt", ["text", "concise"])
def test_files_named_in_messages_are_relative_to_cwd_as_the_finding_is(repo, capsys, monkeypatch, fmt):
    """Run from `deploy/`, a message names the unit as the finding's path does (before: `huey.service:3:16`
    then `(deploy/huey.service:3)`, a path that does not exist from there), and a file above as absolute."""
    write_tree(repo, {"deploy/huey.service": BROKEN_UNIT, "requirements.txt": "huey==3.5.0\n"})
    monkeypatch.chdir(repo / "deploy")
    _, out, _ = run_cli(capsys, "check", ".", "--no-color", "--no-cache", "--output-format", fmt)
    lines = [line for line in out.splitlines() if ": HL10" in line]
    assert [line.split(" (stop-")[0] for line in lines if "HL102" in line] == [
        "huey.service:3:16: HL102 [warning] systemd stops `huey.service` after 10s (huey.service:3): a task running "
        "longer is killed; longest-task is 20s. Fix: raise TimeoutStopSec= above your longest task (and keep `-t` a "
        "few seconds below it)"]
    assert f"with huey 3.5.0 (pinned in {repo / 'requirements.txt'}:1)" in next(line for line in lines if "HL104" in line)
    _, out, _ = run_cli(capsys, "check", ".", "--no-cache", "--output-format", "json")
    assert "(deploy/huey.service:3)" in out  # machine formats: relative to the run root, as their paths are


def test_rules_and_explain(capsys):
    code, out, _ = run_cli(capsys, "rules")
    assert code == 0 and "HL101" in out and "stop-signal-not-graceful" in out
    code, out, _ = run_cli(capsys, "explain", "HL101")
    assert code == 0 and "Why" in out and "KillSignal=SIGINT" in out
    code, out, _ = run_cli(capsys, "explain", "stop-signal-not-graceful")
    assert code == 0 and "HL101" in out
    code, _, err = run_cli(capsys, "explain", "HL999")
    assert code == 2 and "unknown rule" in err


def test_rule_all_prints_every_page_as_ruff_rule_all(capsys):
    """`hueylint rule --all` (ruff's `ruff rule --all`): every page in catalog order, one blank line apart;
    a rule and --all together, or neither, is a usage error naming the command typed."""
    from hueylint.catalog import load_catalog
    from hueylint.explain import markdown

    code, out, _ = run_cli(capsys, "rule", "--all")
    assert code == 0 and out == "\n".join(markdown(doc) + "\n" for doc in load_catalog().values())
    assert [line for line in out.splitlines() if line.startswith("# HL")][:2] == [
        "# HL001 unparseable-file", "# HL002 invalid-consumer-options"]
    assert run_cli(capsys, "rule") == (2, "", "hueylint: error: rule: give a rule id or name, or --all\n")
    assert run_cli(capsys, "explain", "HL101", "--all") == (
        2, "", "hueylint: error: explain: give a rule id or --all, not both\n")


def test_version_is_fast_and_light():
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "hueylint", "--version"],
                         capture_output=True, text=True, env=env, check=True)
    assert out.stdout == "hueylint 0.1.0\n"
    imported = [line.rpartition("|")[2].strip() for line in out.stderr.splitlines()]
    # answered before the command line parser: not even argparse, pathlib or typing
    assert [name for name in imported if name.startswith("hueylint")] == ["hueylint"]
    assert not {"argparse", "pathlib", "typing"} & set(imported)
    # any other spelling goes through argparse's version action, which prints the same line
    spelled = subprocess.run([sys.executable, "-m", "hueylint", "--version", "--version"],
                             capture_output=True, text=True, env=env, check=True)
    assert spelled.stdout == out.stdout
    read, write = os.pipe()  # the reader gone (`hueylint --version | head -c0`): exit 0, nothing on stderr
    os.close(read)
    try:
        gone = subprocess.run([sys.executable, "-m", "hueylint", "--version"], stdout=write, stderr=subprocess.PIPE,
                              text=True, env=env)
    finally:
        os.close(write)
    assert (gone.returncode, gone.stderr) == (0, "")


def test_the_command_ends_without_clean_up_once_its_report_is_written(repo, tmp_path, capsys):
    """`hueylint check` ends its process as soon as the report is flushed (``__main__.exit_now``): an exit
    handler never runs, the report written to a file (block-buffered) is whole, the exit code is the run's;
    a reader that left is no error."""
    write_tree(repo, {"huey.service": BROKEN_UNIT})
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    program = ("import atexit, sys\n"
               "atexit.register(lambda: sys.stderr.write('clean-up ran'))\n"
               "from hueylint.__main__ import run\n"
               "sys.argv = ['hueylint', 'check', '--select', 'HL101', '--no-cache', '--no-color']\n"
               "sys.exit(run())\n")
    report = tmp_path / "report.txt"
    with report.open("w") as out:
        proc = subprocess.run([sys.executable, "-c", program], cwd=repo, stdout=out, stderr=subprocess.PIPE,
                              text=True, env=env)
    assert (proc.returncode, proc.stderr) == (1, "")
    assert report.read_text() == run_cli(capsys, "check", "--select", "HL101", "--no-cache", "--no-color")[1]
    assert report.read_text().endswith("Found 1 finding (1 error) in 1 file checked.\n"
                                       "[*] 1 fixable with the `--fix` option.\n")
    read, write = os.pipe()  # the reader gone before the report: no error, and the exit code is the findings'
    os.close(read)
    try:
        gone = subprocess.run([sys.executable, "-c", program], cwd=repo, stdout=write, stderr=subprocess.PIPE,
                              text=True, env=env)
    finally:
        os.close(write)
    assert (gone.returncode, gone.stderr) == (1, "")
    # under a profiler or tracer (cProfile, coverage) the process ends as usual: they write what they gathered
    traced = subprocess.run([sys.executable, "-c", "import sys; sys.setprofile(lambda *a: None)\n" + program],
                            cwd=repo, capture_output=True, text=True, env=env)
    assert (traced.returncode, traced.stderr) == (1, "clean-up ran")


def _run_reader_gone(repo, *words: str) -> tuple[int, str]:
    """``hueylint WORDS | head -c0``: the exit code and stderr of a run whose reader left before it wrote."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run([sys.executable, "-m", "hueylint", *words], cwd=repo, stdout=write,
                              stderr=subprocess.PIPE, text=True, env=env)
    finally:
        os.close(write)
    return proc.returncode, proc.stderr


def test_a_reader_that_left_changes_no_exit_code(repo):
    """`hueylint check | head` exits as the README says whatever the pipe's timing: 1 with findings (it was 0
    when the report outgrew the pipe before the reader left, 1 when it fitted), 0 with --exit-zero; the
    commands that report no findings exit 0 (`inspect` and a coloured `rules` exited 1, rich's way)."""
    write_tree(repo, {"huey.service": BROKEN_UNIT})
    for words, code in ((["check", "--no-cache"], 1), (["check", "--no-cache", "--color", "always"], 1),
                        (["check", "--no-cache", "--output-format", "json"], 1),
                        (["check", "--no-cache", "--statistics"], 1), (["check", "--no-cache", "--diff"], 1),
                        (["check", "--no-cache", "--exit-zero"], 0), (["inspect", "--no-cache"], 0),
                        (["inspect", "--no-cache", "--color", "always"], 0), (["rules", "--color", "always"], 0),
                        (["explain", "HL101", "--color", "always"], 0)):
        returncode, stderr = _run_reader_gone(repo, *words)
        assert (words, returncode) == (words, code)
        assert "Traceback" not in stderr and "error" not in stderr


def test_python_dash_m_check(repo):
    write_tree(repo, {"huey.service": BROKEN_UNIT})
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    proc = subprocess.run([sys.executable, "-m", "hueylint", "check", "--select", "HL101"], cwd=repo,
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert "HL101" in proc.stdout
    # no colour codes when stdout is not a terminal
    assert "\x1b[" not in proc.stdout


def test_show_unused_ignores_option(repo, capsys):
    write_tree(repo, {"huey.service": GOOD_UNIT.replace("[Service]\n", "[Service]\n# hueylint: ignore[HL101]\n")})
    _, out, _ = run_cli(capsys, "check", "--no-color")
    assert "HL008" not in out
    code, out, _ = run_cli(capsys, "check", "--no-color", "--show-unused-ignores")
    assert "huey.service:2:" in out and "HL008" in out and "unused suppression: HL101" in out
    assert code == 0  # a note does not fail the run


def test_hl008_named_by_its_id_is_reported_as_ruffs_rf100(repo, capsys):
    """`--extend-select HL008` (or `extend-select = ["HL008"]`) reports unused suppressions, as ruff's
    `--extend-select RUF100` does; it reported nothing. A prefix or the default selection does not, and an
    ignore of HL008 wins."""
    write_tree(repo, {"huey.service": GOOD_UNIT.replace("[Service]\n", "[Service]\n# hueylint: ignore[HL101]\n")})
    expected = (0, "huey.service:2:13: HL008 [note] unused suppression: HL101 reported nothing here\n"
                   "Found 1 finding (1 note) in 1 file checked.\n", "")
    assert run_cli(capsys, "check", "--output-format", "concise", "--extend-select", "HL008") == expected
    assert run_cli(capsys, "check", "--output-format", "concise", "--select", "HL1,HL008") == expected
    for args in (["--select", "HL0"], ["--select", "ALL"], ["--extend-select", "HL008", "--ignore", "HL008"]):
        assert run_cli(capsys, "check", "--output-format", "concise", *args)[:2] == (
            0, "All checks passed! (1 file checked)\n"), args
    write_tree(repo, {"hueylint.toml": 'extend-select = ["HL008"]\n'})
    assert run_cli(capsys, "check", "--output-format", "concise") == expected


def test_huey_version_option(repo, capsys):
    write_tree(repo, {"huey.service": GOOD_UNIT})
    code, out, _ = run_cli(capsys, "check", "--no-color", "--huey-version", "3.3")
    assert code == 1 and "HL002" in out and "needs huey 3.4.0 or newer" in out
    assert run_cli(capsys, "check", "--huey-version", "three")[0] == 2


def test_extend_select_adds_to_config_selection(repo, capsys):
    write_tree(repo, {"huey.service": BROKEN_UNIT, "hueylint.toml": 'select = ["HL102"]\n'})
    _, out, _ = run_cli(capsys, "check", "--no-color", "--extend-select", "HL101")
    assert "HL101" in out and "HL102" in out and "HL104" not in out


def test_no_color_and_color_env(repo, capsys, monkeypatch):
    write_tree(repo, {"huey.service": BROKEN_UNIT})
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = run_cli(capsys, "check")
    assert "\x1b[" not in out


def test_binary_files_fail_the_run(repo, capsys):
    (repo / "Dockerfile").write_bytes(b"\x00\x01binary")
    code, out, _ = run_cli(capsys, "check", "--no-color")
    assert code == 1 and "Dockerfile:1:1: HL001 [warning] cannot parse: a NUL byte (binary content)" in out


def test_inspect_text_and_json(repo, capsys):
    write_tree(repo, {"huey.service": BROKEN_UNIT})
    code, out, _ = run_cli(capsys, "inspect", "--no-color")
    assert code == 0 and "systemd" in out and "systemd default KillSignal" in out
    code, out, _ = run_cli(capsys, "inspect", "--format", "json")
    data = json.loads(out)
    launch = data["launches"][0]
    assert launch["platform"] == "systemd" and launch["stop_signal"]["value"] == "TERM"
    assert launch["deadline"] == {"value": 10.0, "from": "huey.service:3", "unknown": None}


def test_paths_outside_the_run_root_are_absolute_in_every_format(tmp_path, capsys, monkeypatch):
    """A second checkout named beside the first (`cd a && hueylint inspect . ../b`): its files lie outside the run
    root. `inspect`'s text showed them as `../b/Dockerfile` from the root (and absolute from a folder below it),
    its JSON as `../b/Dockerfile` everywhere, and `check`'s text quoted `../b/Dockerfile` in the message of a
    finding located at the absolute path. Now all show the absolute path, as `check`'s location and JSON `path` do."""
    from tests.helpers import git_init

    image = 'FROM python:3.12-slim\nRUN pip install huey==3.5.4 redis\nCOPY . /app\nCMD ["huey_consumer", "app.huey"]\n'
    for name in ("a", "b"):
        write_tree(git_init(tmp_path / name), {"Dockerfile": image, "app/__init__.py": "import huey\n"})
    monkeypatch.chdir(tmp_path / "a")
    other = str((tmp_path / "b").resolve())
    _, out, _ = run_cli(capsys, "inspect", "--no-cache", "--output-format", "json", ".", "../b")
    outside = [launch for launch in json.loads(out)["launches"] if launch["name"] != "Dockerfile"]
    assert [(launch["name"], launch["unit"], launch["at"], launch["chain"][0]["at"], launch["app"]["from"],
             launch["huey_version"]["from"], launch["huey_version"]["detail"]) for launch in outside] == [(
        f"{other}/Dockerfile", f"{other}/Dockerfile", f"{other}/Dockerfile:4", f"{other}/Dockerfile:4",
        f"{other}/Dockerfile:4", f"{other}/Dockerfile:2", f"huey 3.5.4 (pinned in {other}/Dockerfile:2)")]
    inside = [launch for launch in json.loads(out)["launches"] if launch["name"] == "Dockerfile"]
    assert [(launch["unit"], launch["at"]) for launch in inside] == [("Dockerfile", "Dockerfile:4")]
    monkeypatch.setenv("COLUMNS", "300")  # (a panel's title is cut to its width)
    _, out, _ = run_cli(capsys, "inspect", "--no-color", "--no-cache", ".", "../b")
    assert "../b" not in out and f"docker {other}/Dockerfile" in out
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--select", "HL101", ".", "../b")
    assert out.splitlines()[0].startswith(f"{other}/Dockerfile:4:7: HL101 [error] docker stops `{other}/Dockerfile` "
                                          "with SIGTERM")


def test_inspect_paths_are_relative_to_cwd_as_checks_are(repo, capsys, monkeypatch):
    """Run from a project folder of a repository, `check` shows `deploy/huey.service:2:11`; `inspect` showed the
    run root's `srv/deploy/huey.service:2`, paths that do not exist from there. Now its text shows every path as
    `check`'s text does (relative to the current folder; a file above it absolute), and its JSON keeps the run
    root's, as `check --output-format json` does (with `root`)."""
    write_tree(repo, {"srv/deploy/huey.service": BROKEN_UNIT, "srv/requirements.txt": "huey==3.5.0\n",
                      "srv/my_app/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('x')\n"})
    monkeypatch.chdir(repo / "srv")
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run_cli(capsys, "inspect", "--no-color", "--no-cache")
    assert code == 0
    assert out == """\
1 consumer launch(es) in 1 deployment unit(s); repository's huey: huey 3.5.0 (pinned in requirements.txt:1)

deploy
╭─ systemd huey.service ───────────────────────────────────────────────────────────────────────────╮
│  chain          systemd → huey_consumer                                                          │
│    platform     systemd deploy/huey.service:2: sends SIGTERM [systemd default KillSignal];       │
│                 SIGKILL after 10s [deploy/huey.service:3]                                        │
│  command        huey_consumer my_app.huey -w 4                                                   │
│  app            my_app.huey [deploy/huey.service:2] -> my_app/__init__.py (1 module(s), 0        │
│                 task(s), 0 periodic)                                                             │
│  stop signal    SIGTERM [systemd default KillSignal]  vs graceful SIGINT [huey default]  ✗       │
│                 running tasks are interrupted                                                    │
│  kill deadline  10s [deploy/huey.service:3]  vs -t -  no -t: a stuck task waits for SIGKILL      │
│  huey           huey 3.5.0 (pinned in requirements.txt:1)                                        │
│  instances      1 [one unit]                                                                     │
│  periodic       enqueues periodic tasks [huey default]                                           │
│  flush locks    no                                                                               │
│  log            stderr, collected by the platform                                                │
╰────────────────────────────────────────────────────────────────────────── deploy/huey.service:2 ─╯
"""
    _, out, _ = run_cli(capsys, "check", "--no-color", "--no-cache", "--output-format", "concise")
    assert out.startswith("deploy/huey.service:2:11: HL101 [error]")  # the same paths
    monkeypatch.chdir(repo / "srv" / "deploy")
    _, out, _ = run_cli(capsys, "inspect", "--no-color", "--no-cache")
    assert f"(pinned in {repo / 'srv' / 'requirements.txt'}:1)" in out.splitlines()[0]  # above: absolute, as check's
    _, out, _ = run_cli(capsys, "inspect", "--no-cache", "--output-format", "json")
    launch = json.loads(out)["launches"][0]
    assert (launch["unit"], launch["at"], launch["deadline"]["from"]) == (
        "srv/deploy", "srv/deploy/huey.service:2", "srv/deploy/huey.service:3")


def test_inspect_lists_files_it_could_not_read(repo, capsys):
    """A unit with a NUL byte is HL001 in `check`; `inspect` must not just say "no consumer launch found"."""
    (repo / "a.service").write_bytes(b"[Service]\nExecStart=/v/huey_consumer app.huey\x00\n")
    code, out, _ = run_cli(capsys, "inspect", "--no-color")
    assert code == 0
    why = "cannot parse: a NUL byte (binary content), so this file is not checked"
    assert out.endswith(f"  a.service:2 not read: {why} (HL001)\n")
    code, out, _ = run_cli(capsys, "inspect", "--format", "json")
    assert json.loads(out)["unreadable"] == [{"at": "a.service:2", "why": why}]


def test_inspect_does_not_call_a_file_whose_launch_it_shows_not_read(repo, capsys):
    """A unit with an empty `KillSignal=` (HL001 at that line: systemd ignores it) and a script saved with CRLF
    line endings (HL001 at its `#!` line) are read, and their launches listed; `inspect` listed them under
    "candidates considered and dropped" as "not read". A file whose HL001 left nothing of it read still is."""
    write_tree(repo, {"a.service": "[Service]\nExecStart=/v/huey_consumer app.huey\nKillSignal=\n",
                      "Procfile": "w: ./run.sh\n", "run.sh": "#!/bin/sh\r\nexec huey_consumer app.huey\r\n"})
    (repo / "b.service").write_bytes(b"[Service]\nExecStart=/v/huey_consumer app.huey\x00\n")
    code, out, _ = run_cli(capsys, "inspect", "--no-color", "--no-cache")
    assert code == 0 and out.startswith("2 consumer launch(es) in 2 deployment unit(s)")
    why = "cannot parse: a NUL byte (binary content), so this file is not checked"
    assert out.endswith(f"\n1 candidate(s) considered and dropped\n  b.service:2 not read: {why} (HL001)\n")
    code, out, _ = run_cli(capsys, "inspect", "--format", "json", "--no-cache")
    assert json.loads(out)["unreadable"] == [{"at": "b.service:2", "why": why}]
    assert [line.split(" [")[0] for line in run_cli(capsys, "check", "--no-cache", "--output-format", "concise",
                                                     "--select", "HL001")[1].splitlines()[:3]] == [
        "a.service:3:12: HL001", "b.service:2:36: HL001", "run.sh:1:10: HL001"]


def test_inspect_shows_verdicts_units_and_the_resolved_app(repo, capsys):
    write_tree(repo, {
        "deploy/huey.service": GOOD_UNIT,
        "my_app/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('x', url='redis://redis:6379')\n",
    })
    code, out, _ = run_cli(capsys, "inspect", "--no-color")
    assert code == 0
    assert "1 consumer launch(es) in 1 deployment unit(s)" in out
    assert "systemd → huey_consumer" in out
    assert "✓ graceful stop" in out and "✓ -t below the deadline" in out
    assert "my_app/__init__.py" in out


def test_inspect_says_a_refused_command_line_names_no_app(repo, capsys):
    """huey's parser stops at `-k gevent` before it reads the app: before, inspect said the app was "not found
    in the repo" although the module the command names is there."""
    write_tree(repo, {
        "Procfile": "worker: huey_consumer my_app.huey -w 8 -k gevent\n",
        "my_app/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('x')\n",
    })
    code, out, _ = run_cli(capsys, "inspect", "--no-color")
    rows = [line.strip("│ ") for line in out.splitlines() if "│" in line]
    assert code == 0
    assert rows[rows.index(next(r for r in rows if r.startswith("app "))):][:2] == [
        "app            - (huey refuses the command line, HL002: no app is read",
        "from it)"]


@pytest.mark.parametrize(("pin", "verdict"), [
    ("huey==2.5.2", "no -t before huey 3.4: a stuck task waits for SIGKILL"),  # nothing to add: -t is 3.4's
    ("huey==3.5.0", "no -t: a stuck task waits for SIGKILL"),
])
def test_inspect_deadline_verdict_follows_the_huey_version(repo, capsys, monkeypatch, pin, verdict):
    write_tree(repo, {"huey.service": BROKEN_UNIT, "requirements.txt": pin + "\n"})
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run_cli(capsys, "inspect", "--no-color", "--no-cache")
    assert code == 0 and f"vs -t -  {verdict}" in out


def test_rule_is_explain_as_in_ruff(capsys):
    """`ruff rule F401` prints a rule's page: `hueylint rule HL101` is the same page as `hueylint explain`."""
    code, out, _ = run_cli(capsys, "explain", "HL101")
    assert code == 0
    assert run_cli(capsys, "rule", "HL101") == (0, out, "")
    code, _, err = run_cli(capsys, "rule", "HL999")
    assert code == 2 and err == "hueylint: error: unknown rule 'HL999' (see `hueylint rules`)\n"


def test_rule_as_json_as_ruff_rule_output_format_json(capsys):
    """`ruff rule F401 --output-format json` gives the rule as an object: `hueylint rule HL101 --output-format
    json` was refused ("unrecognized arguments"); now the `rules` row with its fix and its page."""
    import json

    from hueylint.catalog import load_catalog
    from hueylint.explain import markdown

    code, out, err = run_cli(capsys, "rule", "HL101", "--output-format", "json")
    doc = load_catalog()["HL101"]
    assert (code, err) == (0, "") and json.loads(out) == {
        "id": "HL101", "name": "stop-signal-not-graceful", "severity": "error", "summary": doc.summary,
        "tags": ["shutdown", "reliability"], "precision": "high", "help_uri": doc.help_uri, "fix": "safe",
        "explanation": markdown(doc)}
    rules = json.loads(run_cli(capsys, "rules", "--output-format", "json")[1])
    code, out, _ = run_cli(capsys, "explain", "--all", "--format", "json")
    pages = json.loads(out)
    assert code == 0 and [{k: v for k, v in page.items() if k not in ("fix", "explanation")} for page in pages] == rules
    assert run_cli(capsys, "rule", "HL999", "--output-format", "json") == (
        2, "", "hueylint: error: unknown rule 'HL999' (see `hueylint rules`)\n")


@pytest.mark.parametrize("command", ["check", "rules", "explain", "inspect"])
def test_every_option_has_help(command, capsys):
    """`hueylint COMMAND --help` explains every option (before, `inspect --config FILE` had no text)."""
    import argparse

    from hueylint.cli import _parser

    sub = next(action for action in _parser()._actions if isinstance(action, argparse._SubParsersAction))
    undocumented = [action.option_strings or action.dest for action in sub.choices[command]._actions
                    if not action.help]
    assert undocumented == []


def test_inspect_flush_locks_written_is_yes_beside_a_template_block(repo, capsys, monkeypatch):
    """`-f` written on the line flushes the locks whatever a Jinja block beside it renders (it may add `-L`, or
    nothing): before, inspect showed the block's unknown `-L` as "flush locks unknown"."""
    write_tree(repo, {"huey.service.j2": (
        "[Service]\nKillSignal=SIGINT\n"
        "ExecStart=/srv/venv/bin/huey_consumer app.huey -f {% if extra %}-L {{ extra }}{% endif %} -t 5\n")})
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run_cli(capsys, "inspect", "--no-color", "--no-cache")
    rows = [line.strip("│ ") for line in out.splitlines() if "│" in line]
    assert code == 0 and next(row for row in rows if row.startswith("flush locks")) == "flush locks    yes (-f / -L)"


def test_ctrl_c_is_one_line_and_exit_130_never_a_traceback(tmp_path):
    """Ctrl-C during a run printed the KeyboardInterrupt traceback of wherever the run was (a parser, the walk, an
    import): one line and 128 + SIGINT, as a shell reports it. The interrupt is raised where a run would be."""
    script = ("import sys, hueylint.cli\n"
              "def interrupted(argv=None):\n    raise KeyboardInterrupt\n"
              "hueylint.cli.main = interrupted\nsys.argv = ['hueylint', 'check']\n"
              "from hueylint.__main__ import run\nrun()\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout, proc.stderr) == (130, "", "hueylint: interrupted\n")
