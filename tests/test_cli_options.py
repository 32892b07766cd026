"""The command line ruff users reach for: --output-format (concise, gitlab), --show-files, --show-settings,
--exclude/--extend-exclude/--force-exclude, as users see them (full output)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from hueylint.catalog import rule_ids
from hueylint.cli import main
from tests.helpers import write_tree
from tests.test_cli import BROKEN_UNIT, run_cli
from tests.test_output_safety import INTERNAL, broken_builder  # noqa: F401 - a fixture

CONFIG = """\
[tool.hueylint]
ignore = ["HL701"]
extend-exclude = ["legacy/"]
longest-task = "45s"

[tool.hueylint.severity]
HL104 = "warning"
"""
HL101 = ("systemd stops `huey.service` with SIGTERM (systemd default KillSignal); the consumer's graceful signal "
         "is SIGINT (huey default): huey treats it as \"stop now\" and interrupts running tasks. Fix: add "
         "`-g TERM -t 5` to the consumer command, or set KillSignal=SIGINT")
HL104 = ("no `-t/--shutdown-timeout` (huey version unknown, newest assumed): a stuck task holds the shutdown "
         "until SIGKILL and is lost without SIGNAL_INTERRUPTED. Fix: add `-t 5` (a few seconds below the kill "
         "deadline)")
HL102 = ("systemd stops `huey.service` after 10s (deploy/huey.service:3): a task running longer is killed; "
         "longest-task is {longest}. Fix: raise TimeoutStopSec= above your longest task (and keep `-t` a few "
         "seconds below it)")


@pytest.fixture
def repo(git_repo: Path) -> Path:
    write_tree(git_repo, {"deploy/huey.service": BROKEN_UNIT, "legacy/old.service": BROKEN_UNIT,
                          "pyproject.toml": CONFIG})
    return git_repo


def test_concise_is_one_line_a_finding_then_the_summary(repo, capsys):
    code, out, err = run_cli(capsys, "check", "--no-cache", "--output-format", "concise")
    assert code == 1 and err == ""
    assert out == (
        f"deploy/huey.service:2:11: HL101 [error] {HL101}\n"
        f"deploy/huey.service:2:11: HL104 [warning] {HL104}\n"
        f"deploy/huey.service:3:16: HL102 [warning] {HL102.format(longest='45s')}\n"
        "Found 3 findings (1 error, 2 warnings) in 2 files checked.\n"
        "[*] 3 fixable with the `--fix` option.\n")  # ruff's line: what --fix would do


def test_concise_quiet_statistics_and_colour(repo, capsys):
    code, out, err = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "-q")
    assert (code, err) == (1, "") and out == (  # ruff's -q: the findings and nothing else
        f"deploy/huey.service:2:11: HL101 [error] {HL101}\n"
        f"deploy/huey.service:2:11: HL104 [warning] {HL104}\n"
        f"deploy/huey.service:3:16: HL102 [warning] {HL102.format(longest='45s')}\n")
    assert run_cli(capsys, "check", "--no-cache", "-s") == (1, "", "")  # -s: nothing, the exit code says it
    assert run_cli(capsys, "check", "--no-cache", "-s", "--exit-zero", "--format", "json") == (0, "", "")
    assert run_cli(capsys, "check", "--no-cache", "-s", "-o", "report.json", "--format", "json")[:2] == (1, "")
    assert len(json.loads((repo / "report.json").read_text())["findings"]) == 3  # -o is still written
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--statistics", "--select", "HL101")
    assert out == ("    1  HL101  [*] stop-signal-not-graceful\n\n"  # the counts instead of the list, as ruff
                   "Found 1 finding (1 error) in 2 files checked.\n"
                   "[*] 1 fixable with the `--fix` option.\n")
    # ruff's marks: `[*]` a rule --fix fixes, `[ ]` one it does not; no mark when nothing is fixable
    write_tree(repo, {"my_app/__init__.py": "from huey import RedisHuey\n\nhuey = RedisHuey('app', password='hunter2')\n"})
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--statistics",
                        "--select", "HL101,HL403")
    assert out.split("\n\n")[0].splitlines() == ["    1  HL101  [*] stop-signal-not-graceful",
                                                 "    1  HL403  [ ] hardcoded-secret"]
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--statistics", "--select", "HL403")
    assert out.split("\n\n")[0] == "    1  HL403  hardcoded-secret"
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--color", "always")
    assert "\x1b[" in out and "\x1b[1;31mHL101\x1b[0m" in out
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--color", "never")
    assert "\x1b" not in out


def test_concise_escapes_scanned_text(git_repo, capsys):
    write_tree(git_repo, {"deploy/a\nb.service": BROKEN_UNIT})
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--select", "HL101")
    assert out.splitlines()[0].startswith("deploy/a\\nb.service:2:11: HL101 [error] systemd stops `a\\nb.service`")
    assert len(out.splitlines()) == 3  # the finding, the counts, what --fix would do


def test_statistics_in_json_and_refused_where_no_form_exists(repo, capsys):
    """ruff's --statistics: the counts per rule, in the JSON object too; formats without a statistics form
    refuse the option rather than ignore it silently."""
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "json", "--statistics")
    document = json.loads(out)
    assert code == 1 and len(document["findings"]) == 3
    assert document["statistics"] == [
        {"rule": "HL101", "name": "stop-signal-not-graceful", "count": 1, "fixable": 1},
        {"rule": "HL102", "name": "stop-deadline-too-short", "count": 1, "fixable": 1},
        {"rule": "HL104", "name": "missing-shutdown-timeout", "count": 1, "fixable": 1}]
    assert "statistics" not in json.loads(run_cli(capsys, "check", "--no-cache", "--format", "json")[1])
    # a rule whose only fix is unsafe (HL303's `-f` for two consumers of one storage) counts no fix, as `--fix`
    # fixes none and the text says `[ ]` (it counted 1: a script saw a fixable rule that --fix leaves)
    write_tree(repo, {"other.service": BROKEN_UNIT, "my_app/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('a')\n\n"
                                            "@huey.lock_task('sync')\ndef sync():\n    pass\n"})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--format", "json", "--statistics", "--select", "HL303")
    assert json.loads(out)["statistics"] == [
        {"rule": "HL303", "name": "lock-without-flush", "count": 1, "fixable": 0}]
    assert run_cli(capsys, "check", "--no-cache", "--statistics", "--select", "HL303")[1].splitlines()[0] == \
        "    1  HL303  lock-without-flush"
    for fmt in ("sarif", "github", "gitlab"):
        code, out, err = run_cli(capsys, "check", "--no-cache", "--format", fmt, "--statistics")
        assert (code, out) == (2, "") and err == (f"hueylint: error: --statistics counts findings per rule in the "
                                                  f"text, concise or json format, not {fmt}\n")


def test_gitlab_code_quality_report(repo, capsys):
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "gitlab")
    assert code == 1
    issues = json.loads(out)
    _, json_out, _ = run_cli(capsys, "check", "--no-cache", "--format", "json")
    fingerprints = [finding["fingerprint"] for finding in json.loads(json_out)["findings"]]
    assert issues == [
        {"description": f"HL101 {HL101}", "check_name": "HL101", "fingerprint": fingerprints[0],
         "severity": "critical", "location": {"path": "deploy/huey.service", "lines": {"begin": 2, "end": 2}}},
        {"description": f"HL104 {HL104}", "check_name": "HL104", "fingerprint": fingerprints[1],
         "severity": "major", "location": {"path": "deploy/huey.service", "lines": {"begin": 2, "end": 2}}},
        {"description": f"HL102 {HL102.format(longest='45s')}", "check_name": "HL102",
         "fingerprint": fingerprints[2], "severity": "major",
         "location": {"path": "deploy/huey.service", "lines": {"begin": 3, "end": 3}}},
    ]
    assert len(set(fingerprints)) == 3 and all(fingerprints)


def test_gitlab_severity_of_a_note_and_an_empty_report(git_repo, capsys):
    write_tree(git_repo, {"deploy/huey.service": BROKEN_UNIT})
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "gitlab", "--select", "HL104")
    assert [(issue["check_name"], issue["severity"]) for issue in json.loads(out)] == [("HL104", "info")]
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "gitlab", "--select", "HL3")
    assert out == "[]\n"


def test_internal_errors_in_concise_and_gitlab(broken_builder, capsys):  # noqa: F811 - the fixture
    code, out, err = run_cli(capsys, "check", "--no-cache", "--no-color", "--output-format", "concise")
    assert (code, err) == (2, "")  # once, at the end of the report, as in the text format
    assert out == ("No findings in 1 file checked, but the check is incomplete (see the error below).\n"
                   f"error: huey.service: {INTERNAL}\n")
    code, out, err = run_cli(capsys, "check", "--no-cache", "--output-format", "gitlab", "--exit-zero")
    assert (code, out, err) == (2, "[]\n", f"hueylint: error: huey.service: {INTERNAL}\n")


def test_gitlab_paths_are_root_relative_from_a_subfolder(repo, capsys, monkeypatch):
    monkeypatch.chdir(repo / "deploy")
    _, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "gitlab", "--select", "HL101", ".")
    assert [issue["location"]["path"] for issue in json.loads(out)] == ["deploy/huey.service"]


def test_format_is_an_alias_of_output_format(repo, capsys):
    for command in (["check", "--no-cache"], ["rules"], ["inspect", "--no-cache"]):
        _, by_name, _ = run_cli(capsys, *command, "--output-format", "json")
        _, by_alias, _ = run_cli(capsys, *command, "--format", "json")
        assert by_name == by_alias and json.loads(by_name)
    with pytest.raises(SystemExit) as exit_info:
        main(["rules", "--output-format", "gitlab"])
    assert exit_info.value.code == 2
    assert "argument --output-format/--format: invalid choice: 'gitlab'" in capsys.readouterr().err


def test_full_is_ruffs_name_for_the_text_format(repo, capsys):
    """ruff calls its default output (each finding with its code frame) `full`: the same name works here."""
    assert run_cli(capsys, "check", "--no-cache", "--no-color", "--output-format", "full") == \
        run_cli(capsys, "check", "--no-cache", "--no-color", "--output-format", "text")
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--no-color", "--format", "full")
    assert code == 1 and "\n2 | ExecStart=" in out  # the code frames of the text format


def test_show_settings_names_where_each_value_came_from(repo, capsys):
    code, out, err = run_cli(capsys, "check", "--show-settings", "--ignore", "HL104", "--select", "HL1",
                             "--fail-on", "error", "--extend-exclude", "docker/,tmp", "--force-exclude")
    assert code == 0 and err == ""
    assert out == (
        "# configuration file: pyproject.toml\n"
        'select = ["HL1"]  # command line\n'
        "extend-select = []  # default\n"
        'ignore = ["HL104"]  # command line\n'  # --select starts afresh: the configuration's ignore is gone
        'severity = {HL104 = "warning"}  # pyproject.toml\n'
        'fail-on = "error"  # command line\n'
        'longest-task = "45s"  # pyproject.toml\n'
        "# huey-version: not set (each service's huey version is read from its dependency files)  # default\n"
        'exclude = [".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "node_modules", "__pycache__", '
        '".mypy_cache", ".pytest_cache", ".ruff_cache", ".hueylint_cache", "site-packages", "dist", '
        '".eggs", "*.egg-info"]  # default, relative to .\n'
        'extend-exclude = ["legacy/"]  # pyproject.toml, relative to .\n'
        'extend-exclude = ["docker/", "tmp"]  # command line, relative to .\n'
        "per-file-ignores = {}  # default, relative to .\n"
        "force-exclude = true  # command line\n"
        f"# rules enabled (5 of {len(rule_ids())}): HL101 HL102 HL103 HL105 HL106\n")


def test_show_settings_without_a_configuration_file_from_a_subfolder(git_repo, capsys, monkeypatch):
    write_tree(git_repo, {"ops/hueylint.toml": 'huey-version = "3.4"\nexclude = ["old/"]\n'
                                              '[per-file-ignores]\n"dev/*.service" = ["HL101"]\n',
                          "ops/deploy/huey.service": BROKEN_UNIT, "other/huey.service": BROKEN_UNIT})
    monkeypatch.chdir(git_repo / "ops" / "deploy")
    _, out, _ = run_cli(capsys, "check", "--show-settings", "--exclude", "x/*.service", "--extend-select", "HL")
    lines = out.splitlines()
    ops = (git_repo / "ops").resolve()  # outside the current folder: absolute, as in the text report
    assert lines[0] == f"# configuration file: {ops / 'hueylint.toml'}"
    assert lines[2] == 'extend-select = ["HL"]  # command line'
    assert lines[7:] == [
        f'huey-version = "3.4"  # {ops / "hueylint.toml"}',
        f"extend-exclude = []  # default, relative to {ops}",
        'exclude = ["x/*.service"]  # command line, relative to .',
        f'per-file-ignores = {{"dev/*.service" = ["HL101"]}}  # {ops / "hueylint.toml"}, relative to {ops}',
        "force-exclude = false  # default",
        f"# rules enabled ({len(rule_ids())} of {len(rule_ids())}): {' '.join(rule_ids())}",
    ]
    monkeypatch.chdir(git_repo / "other")
    _, out, _ = run_cli(capsys, "check", "--show-settings")
    assert out.splitlines()[0] == "# configuration file: none (defaults)"
    assert "exclude = [\".git\"" in out and "# default, relative to .\n" in out


def test_show_files_lists_formats_files_read_on_demand_and_unreadable_ones(repo, capsys):
    (repo / "docker" / "bin").mkdir(parents=True)
    (repo / "docker" / "Dockerfile").write_text(
        'FROM python:3.12\nCOPY bin/start-worker /usr/local/bin/start-worker\nCMD ["start-worker"]\n')
    (repo / "docker" / "bin" / "start-worker").write_text("#!/bin/sh\nexec huey_consumer my_app.huey -w 2\n")
    (repo / "deploy" / "bad.service").write_bytes(b"[Service]\nExec\0Start=x\n")
    (repo / "README.md").write_text("not a file hueylint reads\n")
    code, out, err = run_cli(capsys, "check", "--no-cache", "--show-files")
    assert code == 0 and err == ""
    assert out == ("deploy/bad.service [not read: see HL001]\n"
                   "deploy/huey.service [systemd]\n"
                   "docker/Dockerfile [dockerfile]\n"
                   "docker/bin/start-worker [script, read on demand]\n"
                   "pyproject.toml [deps]\n")


def test_show_files_of_nothing_warns_like_check(git_repo, capsys):
    (git_repo / "notes.txt").write_text("hello\n")
    code, out, err = run_cli(capsys, "check", "--no-cache", "--show-files")
    assert (code, out, err) == (0, "", "hueylint: warning: No files hueylint reads found under the given paths\n")


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_run_that_read_nothing_says_so_in_json_and_sarif_too(git_repo, capsys, fmt):
    """The warning stderr prints is in the report itself: a JSON or SARIF file read on its own (a CI
    artifact, GitHub's tool status page) must not look like a clean run."""
    (git_repo / "notes.txt").write_text("hello\n")
    code, out, err = run_cli(capsys, "check", "--no-cache", "--output-format", fmt)
    warning = "No files hueylint reads found under the given paths"
    assert (code, err) == (0, f"hueylint: warning: {warning}\n")
    document = json.loads(out)
    if fmt == "json":
        assert document["warnings"] == [warning]
    else:
        (invocation,) = document["runs"][0]["invocations"]
        assert invocation["toolExecutionNotifications"] == [
            {"level": "warning", "message": {"text": warning}, "descriptor": {"id": "run-warning"}}]


@pytest.mark.parametrize(("version", "warned"), [("9.9", True), ("4", True), ("3.5.4", False), ("2.6", False),
                                                ("3.5.9", True)])
def test_a_huey_version_newer_than_every_known_release_is_a_warning(git_repo, capsys, version, warned):
    """huey 3.5.4 is the newest release hueylint knows: a later one is checked as it behaves, and the user hears
    so; a known release (or one between known releases) is no news."""
    write_tree(git_repo, {"deploy/huey.service": BROKEN_UNIT})
    code, out, err = run_cli(capsys, "check", "--no-cache", "--huey-version", version, "--output-format", "concise")
    warning = (f"hueylint: warning: huey-version {version} is newer than the newest huey release hueylint knows "
               f"(3.5.4): it is checked as 3.5.4 behaves (what a later release changed is not known to these checks)\n")
    assert code == 1 and out and err == (warning if warned else "")


def test_show_files_and_show_settings_are_exclusive(repo, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--show-files", "--show-settings"])
    assert exit_info.value.code == 2
    assert "argument --show-settings: not allowed with argument --show-files" in capsys.readouterr().err


def _files(capsys, *args: str) -> list[str]:
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--show-files", *args)
    assert code == 0
    return [line.split(" [")[0] for line in out.splitlines()]


def test_command_line_globs_are_relative_to_the_current_folder(git_repo, capsys, monkeypatch):
    write_tree(git_repo, {"a/x/huey.service": BROKEN_UNIT, "b/x/huey.service": BROKEN_UNIT,
                          "b/dist/huey.service": BROKEN_UNIT, "hueylint.toml": 'extend-exclude = ["a/x/"]\n'})
    assert _files(capsys) == ["b/x/huey.service"]  # the configured glob, relative to the config's folder
    monkeypatch.chdir(git_repo / "b")
    # `x/` with a slash: b/x (relative to the current folder), not a/x; the configured a/x/ still applies
    assert _files(capsys, "--extend-exclude", "x/", "..") == []
    # --exclude replaces the configured (and default) `exclude`: dist/ is checked now; extend-exclude stays
    assert _files(capsys, "--exclude", "nothing", "..") == ["dist/huey.service", "x/huey.service"]
    assert _files(capsys, "--exclude", "/x", "..") == ["dist/huey.service"]
    monkeypatch.chdir(git_repo)
    assert _files(capsys, "--extend-exclude", "/x") == ["b/x/huey.service"]  # anchored: no x/ at the root


def test_deployment_files_under_build_are_checked(git_repo, capsys):
    """ruff skips `build/` (Python build output); deployment files are often committed there
    (`build/docker/Dockerfile`, Go-style layouts), and a Python build's `build/lib` copy is ignored by git
    (`.gitignore`), which hueylint honours. `dist/` stays excluded."""
    write_tree(git_repo, {"build/docker/huey.service": BROKEN_UNIT, "dist/huey.service": BROKEN_UNIT,
                          "pkg/build/lib/huey.service": BROKEN_UNIT, ".gitignore": "pkg/build/\n",
                          # setuptools' output, not ignored (a local `python -m build`): never judged twice
                          "build/lib/app/huey.service": BROKEN_UNIT, "build/lib.linux-x86_64-3.12/huey.service":
                          BROKEN_UNIT, "build/bdist.linux-x86_64/huey.service": BROKEN_UNIT})
    assert _files(capsys) == ["build/docker/huey.service"]


def test_named_paths_are_checked_unless_force_exclude(repo, capsys):
    # pyproject.toml: the root's dependency file, read for the huey it pins (tests/test_named_path_versions.py)
    assert _files(capsys, "legacy/old.service", "deploy") == ["deploy/huey.service", "legacy/old.service",
                                                              "pyproject.toml"]
    assert _files(capsys, "--force-exclude", "legacy/old.service", "deploy") == ["deploy/huey.service",
                                                                                  "pyproject.toml"]
    assert _files(capsys, "--force-exclude", "legacy") == []  # a named folder that is excluded
    # a command-line glob and a file inside an excluded folder
    assert _files(capsys, "--force-exclude", "--extend-exclude", "deploy", "deploy/huey.service") == []
    code, out, err = run_cli(capsys, "check", "--no-cache", "--force-exclude", "legacy/old.service")
    assert (code, out, err) == (0, "", "hueylint: warning: every path given is excluded (--force-exclude): "
                                       "nothing checked\n")
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--force-exclude", "--output-format", "concise",
                           "--select", "HL101", "legacy/old.service", "deploy/huey.service")
    assert (code, out) == (1, f"deploy/huey.service:2:11: HL101 [error] {HL101}\n"
                              "Found 1 finding (1 error) in 2 files checked.\n"  # pyproject.toml: its huey pins
                              "[*] 1 fixable with the `--fix` option.\n")


def test_force_exclude_in_the_configuration_and_for_stdin(repo, capsys, monkeypatch):
    (repo / "pyproject.toml").write_text(CONFIG.replace('longest-task = "45s"', "force-exclude = true"))
    assert _files(capsys, "legacy/old.service", "deploy") == ["deploy/huey.service", "pyproject.toml"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BROKEN_UNIT.encode())))
    code, out, err = run_cli(capsys, "check", "--no-cache", "--stdin-filename", "legacy/new.service", "-")
    assert (code, out) == (0, "") and "every path given is excluded" in err
    (repo / "pyproject.toml").write_text(CONFIG.replace('longest-task = "45s"', 'force-exclude = "yes"'))
    code, _, err = run_cli(capsys, "check", "--no-cache")
    assert (code, err) == (2, "hueylint: error: pyproject.toml: `force-exclude` must be true or false, not 'yes'\n")


def test_stdin_without_a_name_is_read_as_stdin_yaml(git_repo, capsys, monkeypatch):
    """README: `-` without --stdin-filename reads `stdin.yaml` (a rendered manifest); a Dockerfile needs its name."""
    manifest = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n"
                "      containers:\n        - name: huey\n          image: app\n"
                "          command: [\"huey_consumer\", \"app.huey\", \"-g\", \"TERM\", \"-t\", \"25\"]\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(manifest.encode())))
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--select", "HL1", "-")
    assert code == 0 and out == "All checks passed! (1 file checked)\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(manifest.replace("TERM", "INT").encode())))
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--select", "HL101", "-")
    assert code == 1 and out.startswith("stdin.yaml:9:11: HL101 [error] kubernetes stops `deployment/w/huey`")
    # a unit, a Dockerfile (a valid YAML string: it passed unchecked, "All checks passed!") or a Procfile (a YAML
    # mapping) piped without its name is not checked, and says so as HL001: the text given is never a silent pass
    for text in ("[Service]\nExecStart=/v/huey_consumer app.huey\n", "FROM python:3.13\nCMD huey_consumer app.huey\n",
                 "worker: python manage.py run_huey\n"):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
        code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "-")
        consumer = "run_huey" if "run_huey" in text else "huey_consumer"
        assert (code, out) == (1, (
            f"stdin.yaml:1:1: HL001 [warning] cannot parse: mentions `{consumer}` but is not a compose file, Kubernetes "
            "manifest, Helm template or ECS task definition hueylint recognises, so this text is not checked (stdin is read as the file "
            "`--stdin-filename` names, `stdin.yaml` without it: name what it holds, e.g. `--stdin-filename Dockerfile`)\n"
            "Found 1 finding (1 warning) in 1 file checked.\n"))


@pytest.mark.parametrize(("option", "value"), [("--exclude", "#x"), ("--extend-exclude", "a,/")])
def test_a_glob_that_can_never_match_is_a_usage_error(repo, capsys, option, value):
    code, out, err = run_cli(capsys, "check", "--no-cache", option, value)
    assert code == 2 and out == ""
    assert err.startswith(f"hueylint: error: {option}: the glob ")


def test_help_lists_the_new_options_readably():
    done = subprocess.run([sys.executable, "-m", "hueylint", "check", "--help"], capture_output=True, text=True,
                          env={"COLUMNS": "100", "PATH": ""}, check=True)
    text = done.stdout
    # argparse writes the metavar once per option up to Python 3.12, once for all of them from 3.13 on
    assert "--output-format FORMAT, --format FORMAT\n" in text or "--output-format, --format FORMAT\n" in text
    assert " ".join(text.split()).count("text, concise, json, sarif, github, gitlab (default: text, also named full "
                                         "as in ruff)") == 1
    assert "\nfiles and settings:\n" in text
    for option in ("--exclude GLOBS", "--extend-exclude GLOBS", "--force-exclude", "--show-files", "--show-settings"):
        assert f"  {option}" in text
    assert max(len(line) for line in text.splitlines()) <= 100
    assert text.endswith("""
exit status:
  0  no finding at or above --fail-on (by default warning: notes and notices alone
     exit 0); --diff: no fix to apply
  1  findings at or above --fail-on; --diff: a fix to apply (both 0 with --exit-zero)
  2  a usage or configuration error, or an internal error (a hueylint bug; even with
     --exit-zero)
""")  # as hadolint's and shellcheck's pages end (it was only in the README)


def test_repeated_selectors_and_globs_add_up_as_in_ruff(repo, capsys):
    """`--ignore HL101 --ignore HL104` ignores both (argparse alone kept the last one: HL101 was reported)."""
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise",
                           "--ignore", "HL101", "--ignore", "HL104")
    assert (code, out) == (1, f"deploy/huey.service:3:16: HL102 [warning] {HL102.format(longest='45s')}\n"
                              "Found 1 finding (1 warning) in 2 files checked.\n"
                              "[*] 1 fixable with the `--fix` option.\n")
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise",
                           "--select", "HL101", "--select", "HL102")
    assert (code, out) == (1, f"deploy/huey.service:2:11: HL101 [error] {HL101}\n"
                              f"deploy/huey.service:3:16: HL102 [warning] {HL102.format(longest='45s')}\n"
                              "Found 2 findings (1 error, 1 warning) in 2 files checked.\n"
                              "[*] 2 fixable with the `--fix` option.\n")
    assert _files(capsys, "--exclude", "deploy") == ["pyproject.toml"]  # legacy/: the configured extend-exclude
    assert _files(capsys, "--exclude", "deploy", "--exclude", "pyproject.toml") == []
    assert _files(capsys, "--exclude", "") == ["deploy/huey.service", "pyproject.toml"]  # as ruff: no glob


@pytest.mark.parametrize(("option", "value"), [("--select", ""), ("--ignore", "HL101,"), ("--extend-select", ",")])
def test_an_empty_rule_selector_is_a_usage_error(repo, capsys, option, value):
    """ruff refuses `--select ""`; hueylint read it as "no --select" and checked every rule."""
    code, out, err = run_cli(capsys, "check", "--no-cache", option, value)
    assert (code, out, err) == (2, "", f"hueylint: error: {option}: empty rule selector in {value!r}\n")


def test_stdin_named_in_an_excluded_folder_is_no_silent_pass(git_repo, capsys, monkeypatch):
    """The text given on stdin is checked under the name it is given, even one the default exclusion covers
    (`.git/`, `node_modules/`): its HL001 was dropped as an excluded file's, and the run passed with 0 files
    checked (``force-exclude`` is what drops a named file there, as in ruff)."""
    text = "[program:w]\ncommand=huey_consumer app.huey\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--stdin-filename",
                           ".git/config", "-")
    assert (code, out) == (1, (
        ".git/config:1:1: HL001 [warning] cannot parse: mentions `huey_consumer` but is not a compose file, Kubernetes "
        "manifest, Helm template or ECS task definition hueylint recognises, so this text is not checked (stdin is read "
        "as the file `--stdin-filename` names, `stdin.yaml` without it: name what it holds, e.g. `--stdin-filename "
        "Dockerfile`)\nFound 1 finding (1 warning) in 1 file checked.\n"))


def test_an_absolute_stdin_filename_outside_the_root_is_shown_absolute(git_repo, capsys, monkeypatch,
                                                                        tmp_path_factory):
    """An editor passes the buffer's absolute path: outside the run root it is shown as it is (as ruff does),
    not as a file of the root (`/srv/other/Dockerfile` was reported as `srv/other/Dockerfile`)."""
    outside = tmp_path_factory.mktemp("other") / "Dockerfile"
    text = b'FROM python:3.12\nUSER app\nSTOPSIGNAL SIGINT\nCMD ["huey_consumer", "app.huey"]\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "json", "--select", "HL104",
                           "--stdin-filename", str(outside), "-")
    assert code == 0
    assert [(f["path"], f["line"], f["column"]) for f in json.loads(out)["findings"]] == [(outside.as_posix(), 4, 7)]


def test_the_command_line_selection_is_a_layer_over_the_configuration_as_in_ruff(git_repo, capsys):
    """`ruff check --select F401` reports F401 even when the configuration ignores it; hueylint ignored it
    ("no rule is enabled"). `--select` starts afresh, `--extend-select` enables what the configuration ignores."""
    write_tree(git_repo, {"deploy/huey.service": BROKEN_UNIT,
                          "hueylint.toml": 'ignore = ["HL101", "HL3"]\nextend-select = ["HL7"]\n'})
    code, out, err = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--select", "HL101")
    assert (code, out, err) == (1, f"deploy/huey.service:2:11: HL101 [error] {HL101}\n"
                                   "Found 1 finding (1 error) in 1 file checked.\n"
                                   "[*] 1 fixable with the `--fix` option.\n", "")
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--show-settings", "--select", "HL1", "--ignore", "HL104")
    assert [line for line in out.splitlines() if line.startswith(("select", "extend-select", "ignore", "# rules"))] == [
        'select = ["HL1"]  # command line', "extend-select = []  # command line", 'ignore = ["HL104"]  # command line',
        "# rules enabled (5 of 34): HL101 HL102 HL103 HL105 HL106"]
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--show-settings", "--extend-select", "HL1,HL301",
                           "--ignore", "HL104")
    enabled = [rule for rule in rule_ids() if rule not in ("HL104", "HL302", "HL303", "HL304", "HL305")]
    assert [line for line in out.splitlines() if line.startswith(("extend-select", "ignore", "# rules"))] == [
        'extend-select = ["HL7", "HL1", "HL301"]  # hueylint.toml + command line',
        'ignore = ["HL3", "HL104"]  # hueylint.toml + command line',  # HL101: enabled again by HL1
        f"# rules enabled ({len(enabled)} of {len(rule_ids())}): {' '.join(enabled)}"]


def test_an_empty_rule_selector_is_quoted_as_given(repo, capsys):
    """`--select=HL101 --select=`: the message quotes the empty value given, not the values joined ('HL101,',
    which nobody typed)."""
    code, out, err = run_cli(capsys, "check", "--no-cache", "--select=HL101", "--select=")
    assert (code, out, err) == (2, "", "hueylint: error: --select: empty rule selector in ''\n")


def test_unreadable_stdin_shows_no_frame_of_the_file_on_disk(git_repo, capsys, monkeypatch):
    """Binary text on stdin is HL001 at its NUL byte; the code frame showed the line of the file of that name on
    disk (`web: gunicorn app.wsgi`), which was not what was checked. As for a binary file on disk: no frame."""
    write_tree(git_repo, {"Procfile": "web: gunicorn app.wsgi\n"})
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"worker: huey_consumer\x00 app.huey\n")))
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--stdin-filename", "Procfile", "-")
    assert (code, out) == (1, "Procfile:1:22: HL001 [warning] cannot parse: a NUL byte (binary content), so this "
                              "file is not checked (unparseable-file)\n\n"
                              "Found 1 finding (1 warning) in 1 file checked.\n")


def test_paths_after_options_are_paths_as_in_ruff(repo, capsys):
    """`hueylint check deploy --select HL101 legacy/old.service` (ruff's `ruff check src --fix tests`): argparse
    took no positional after the first option, so the second path was "unrecognized arguments" (exit 2)."""
    code, out, err = run_cli(capsys, "check", "--no-cache", "deploy", "--output-format", "concise", "--select",
                             "HL101", "legacy/old.service", "-q")
    assert (code, err) == (1, "") and out == (f"deploy/huey.service:2:11: HL101 [error] {HL101}\n"
                                              f"legacy/old.service:2:11: HL101 [error] {HL101.replace('huey.service', 'old.service')}\n")
    code, out, err = run_cli(capsys, "inspect", "--no-cache", "deploy", "--output-format", "json", "legacy")
    assert code == 0 and sorted(launch["name"] for launch in json.loads(out)["launches"]) == [
        "huey.service", "old.service"]
    with pytest.raises(SystemExit) as exited:  # an unknown option is still refused, wherever it stands
        main(["check", "deploy", "--bogus", "legacy"])
    assert exited.value.code == 2 and "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_show_fixes_lists_the_fixes_applied_per_file_and_rule_as_ruff(repo, capsys):
    """ruff's `--show-fixes` was refused ("unrecognized arguments"); it lists what --fix applied, by file."""
    code, out, err = run_cli(capsys, "check", "--no-cache", "--fix", "--show-fixes", "-q", "--output-format",
                             "concise", "deploy")
    assert (code, out) == (0, "")
    assert err == ("Fixed 3 findings (4 fixes applied in 2 passes):\n"  # HL102 in two passes (see below)
                   "- deploy/huey.service:\n"
                   "    1 × HL101 (stop-signal-not-graceful)\n"
                   "    2 × HL102 (stop-deadline-too-short)\n"
                   "    1 × HL104 (missing-shutdown-timeout)\n")
    code, out, err = run_cli(capsys, "check", "--no-cache", "--fix", "--show-fixes", "deploy")  # nothing left
    assert (code, err) == (0, "hueylint: no fix to apply\n")


def test_fix_counts_say_the_findings_a_check_showed_fixable(repo, capsys):
    """A check said "[*] 3 fixable", `--diff` then "4 fix(es) would be applied" and `--fix` "fixed 4 finding(s)":
    the `-t 5` HL104 adds (for the 10 s deadline) is below the 45 s longest task once HL102 raised the deadline,
    so a second pass raises `-t`, a fix for a finding no report showed. Every count is now the findings of the
    check fixed (3), ruff's `Found N errors (M fixed, K remaining)` after --fix; --show-fixes lists the 4 fixes."""
    code, out, err = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "deploy")
    assert (code, out.splitlines()[-2:]) == (1, ["Found 3 findings (1 error, 2 warnings) in 2 files checked.",
                                                 "[*] 3 fixable with the `--fix` option."])
    code, out, err = run_cli(capsys, "check", "--no-cache", "--diff", "deploy")
    assert (code, err) == (1, "hueylint: would fix 3 findings in 1 file\n")
    assert out == ("--- a/deploy/huey.service\n+++ b/deploy/huey.service\n@@ -1,7 +1,8 @@\n [Service]\n"
                   "-ExecStart=/srv/app/venv/bin/huey_consumer my_app.huey -w 4\n-TimeoutStopSec=10\n"
                   "+ExecStart=/srv/app/venv/bin/huey_consumer my_app.huey -w 4 -t 45\n+TimeoutStopSec=50\n"
                   " User=app\n Restart=on-failure\n ExecReload=/bin/kill -HUP $MAINPID\n Type=exec\n"
                   "+KillSignal=SIGINT\n")  # `-t 45`, a second pass's: HL104 added `-t 5`
    code, out, err = run_cli(capsys, "check", "--no-cache", "--fix", "--no-color", "deploy")
    assert (code, out, err) == (0, "Found 3 findings (3 fixed, 0 remaining) in 2 files checked.\n",
                                "hueylint: fixed 3 findings in 1 file\n")
    write_tree(repo, {"deploy/huey.service": BROKEN_UNIT, "deploy/Procfile": "worker: huey_consumer a.huey -k gevent\n"})
    code, out, err = run_cli(capsys, "check", "--no-cache", "--fix", "--output-format", "concise", "deploy")
    assert (code, out.splitlines()[1:], err) == (1, [  # HL002 has no fix
        "Found 4 findings (3 fixed, 1 remaining: 1 error) in 3 files checked."], "hueylint: fixed 3 findings in 1 file\n")
    assert out.startswith("deploy/Procfile:1:30: HL002 [error]")
    code, out, err = run_cli(capsys, "check", "--no-cache", "--fix", "--output-format", "json", "deploy")
    assert (json.loads(out)["summary"]["fixed"], err) == (0, "hueylint: no fix to apply\n")


def test_diff_with_exit_zero_exits_0_as_in_ruff(repo, capsys):
    """ruff's `--diff --exit-zero` exits 0; hueylint's exited 1 whenever there was a diff."""
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--diff", "--exit-zero", "deploy")
    assert code == 0 and out.startswith("--- a/deploy/huey.service\n")
    assert run_cli(capsys, "check", "--no-cache", "--diff", "deploy")[0] == 1


def test_diff_is_the_report_output_and_silent_options_shape(repo, capsys):
    """`--diff -o FILE` writes the diff to FILE (it wrote nothing anywhere: the file was never made), never over
    a file the run reads; `-s` prints nothing; `--write-baseline` with `--diff` is a usage error (it was
    ignored: no baseline written)."""
    code, out, err = run_cli(capsys, "check", "--no-cache", "--diff", "deploy")
    assert code == 1 and out.startswith("--- a/deploy/huey.service\n")
    assert run_cli(capsys, "check", "--no-cache", "--diff", "deploy", "-o", "reports/fix.diff") == (1, "", err)
    assert (repo / "reports/fix.diff").read_text() == out
    assert run_cli(capsys, "check", "--no-cache", "--diff", "deploy", "-s") == (1, "", "")
    unit = (repo / "deploy/huey.service").read_text()
    assert run_cli(capsys, "check", "--no-cache", "--diff", "deploy", "-o", "deploy/huey.service") == (
        2, "", "hueylint: error: deploy/huey.service: is a file this run reads; refusing to overwrite it\n")
    assert (repo / "deploy/huey.service").read_text() == unit
    assert run_cli(capsys, "check", "--no-cache", "--diff", "--write-baseline", "base.json") == (
        2, "", "hueylint: error: --diff writes nothing: it cannot be combined with --write-baseline (record the "
               "findings that remain with --fix --write-baseline)\n")
    assert not (repo / "base.json").exists()


def test_double_dash_ends_the_options_as_in_ruff(repo, capsys):
    """`--` ends the options: every word after it is a path, even one starting with `-` (`xargs hueylint check
    --`); argparse's intermixed parsing refused them (`unrecognized arguments: -x.service`) unless a path came
    before the `--`."""
    write_tree(repo, {"-x.service": BROKEN_UNIT})
    line = f"-x.service:2:11: HL101 [error] {HL101.replace('`huey.service`', '`-x.service`')}\n"
    summary = "Found {} finding{} ({} error{}) in {} files checked.\n[*] {} fixable with the `--fix` option.\n"
    code, out, err = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--select", "HL101", "--",
                             "-x.service")
    assert (code, out, err) == (1, line + summary.format(1, "", 1, "", 2, 1), "")
    code, out, err = run_cli(capsys, "check", "--no-cache", "deploy", "--output-format", "concise", "--select",
                             "HL101", "--", "-x.service", "--fix")  # `--fix` after `--`: a path, not the option
    assert (code, err) == (2, "hueylint: error: --fix: no such file or folder\n")
    code, out, err = run_cli(capsys, "check", "--no-cache", "deploy", "--output-format", "concise", "--select",
                             "HL101", "--", "-x.service")
    assert (code, out, err) == (1, line + f"deploy/huey.service:2:11: HL101 [error] {HL101}\n"
                                + summary.format(2, "s", 2, "s", 3, 2), "")
    assert run_cli(capsys, "explain", "--", "HL101")[0] == 0
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        main(["rules", "--", "HL101"])
    assert (exit_info.value.code, capsys.readouterr()) == (
        2, ("", "hueylint: error: unrecognized arguments: HL101\nFor more information, try 'hueylint --help'.\n"))


def test_a_path_given_as_the_command_says_how_to_check_it(repo, capsys):
    """`hueylint Dockerfile` (as `hadolint Dockerfile`, `shellcheck run.sh`) names the command to run; it only
    listed the commands. A word that is neither a command nor a path keeps argparse's message."""
    for word in ("deploy", "deploy/huey.service", "-"):
        with pytest.raises(SystemExit) as exit_info:
            main([word])
        assert (exit_info.value.code, capsys.readouterr()) == (2, ("", (
            f"hueylint: error: argument COMMAND: '{word}' is a path, not a command: check it with `hueylint check "
            f"{word}`\nFor more information, try 'hueylint --help'.\n")))
    with pytest.raises(SystemExit):
        main(["lint"])
    assert capsys.readouterr().err.startswith("hueylint: error: argument COMMAND: invalid choice: 'lint' (choose from")


def test_a_path_given_as_the_command_is_suggested_quoted_for_the_shell(tmp_path, capsys, monkeypatch):
    """The suggested command is one to copy: a path with a space or a `$` is quoted as a shell reads it (it was
    written bare, `hueylint check my unit.service`, two paths to the shell)."""
    monkeypatch.chdir(tmp_path)
    for name, shown in (("my unit.service", "'my unit.service'"), ("$x.service", "'$x.service'")):
        (tmp_path / name).write_text("[Service]\n", encoding="utf-8")
        with pytest.raises(SystemExit) as exit_info:
            main([name])
        assert (exit_info.value.code, capsys.readouterr().err.splitlines()[0]) == (2, (
            f"hueylint: error: argument COMMAND: {name!r} is a path, not a command: check it with "
            f"`hueylint check {shown}`"))


def test_stdin_named_for_a_symlink_is_checked_as_stdin(git_repo, capsys, monkeypatch):
    """A deployment file reached through a symlink is judged once, at its target; but a buffer piped as the link
    (`--stdin-filename docker/Dockerfile.prod`) is what the editor holds: checked as it is, not skipped for the
    file on disk the link points to."""
    write_tree(git_repo, {"Dockerfile": "FROM python:3.12\nRUN pip install huey==2.5.2\nUSER app\n"
                                        "CMD [\"huey_consumer.py\", \"app.huey\"]\n"})
    (git_repo / "docker").mkdir()
    (git_repo / "docker/Dockerfile.prod").symlink_to("../Dockerfile")
    buffer = "FROM python:3.12\nRUN pip install huey==2.5.2\nUSER app\nSTOPSIGNAL SIGINT\nCMD [\"huey_consumer.py\", \"app.huey\"]\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(buffer.encode())))
    code, out, _ = run_cli(capsys, "check", ".", "--no-cache", "--output-format", "concise", "--select", "HL101,HL102",
                           "--stdin-filename", "docker/Dockerfile.prod", "-")
    assert [line.split(" [")[0] for line in out.splitlines() if ": HL" in line] == [
        "Dockerfile:4:7: HL101", "Dockerfile:4:7: HL102", "docker/Dockerfile.prod:5:7: HL102"]


def test_a_report_written_into_the_tree_is_not_read_by_the_next_run(repo, capsys):
    """`hueylint check -o report.json` in CI, then a second run: hueylint's own JSON and SARIF reports quote the
    consumer commands, and the next run said of each "mentions `huey_consumer` but is not a compose file,
    Kubernetes manifest or Helm template hueylint recognises: not checked"; a JSON file of the project that
    names the consumer still gets that notice."""
    write_tree(repo, {"huey.service": BROKEN_UNIT})
    first = run_cli(capsys, "check", "--no-cache", "--output-format", "concise")
    for fmt in ("json", "sarif"):
        assert run_cli(capsys, "check", "--no-cache", "--format", fmt, "-o", f"report.{fmt}.json")[0] == 1
    assert run_cli(capsys, "check", "--no-cache", "--output-format", "concise") == first
    write_tree(repo, {"tasks.json": '{"worker": "huey_consumer app.huey"}\n'})
    out = run_cli(capsys, "check", "--no-cache", "--output-format", "concise")[1]
    assert out.splitlines()[-1] == ("tasks.json: notice: mentions `huey_consumer` but is not a compose file, "
                                    "Kubernetes manifest, Helm template or ECS task definition hueylint recognises: "
                                    "not checked")
    # only a report's own opening counts: a project file with a `"tool"` key naming hueylint is read as any other
    write_tree(repo, {"tasks.json": '{"worker": "huey_consumer app.huey", "tool": {"name": "hueylint"}}\n'})
    out = run_cli(capsys, "check", "--no-cache", "--output-format", "concise")[1]
    assert out.splitlines()[-1].startswith("tasks.json: notice: mentions `huey_consumer` but is not a compose file")


def test_a_root_level_file_quoted_in_a_message_is_shown_as_its_location_is(git_repo, monkeypatch, capsys):
    """Run from a folder below the root (`cd deploy && hueylint check ..`), a root-level file quoted by its name
    (`` `Dockerfile` ``: its path from the root is its name) is shown as the finding's own path is, absolute since it
    is above the current folder: it stayed `Dockerfile`, which reads as deploy/Dockerfile. A quoted name no file of
    the run has (`huey_consumer`) is left as written; from the root, as before."""
    write_tree(git_repo, {"Dockerfile": ('FROM python:3.12-slim\nRUN pip install huey==3.5.4 redis\nCOPY . /app\n'
                                         'CMD ["huey_consumer", "app.huey", "-w", "2"]\n'),
                          "app/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n",
                          "deploy/README": "deployment notes\n"})
    monkeypatch.chdir(git_repo / "deploy")
    root = str(git_repo.resolve())
    out = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--select", "HL101", "..")[1]
    assert out.splitlines()[0] == (
        f"{root}/Dockerfile:4:7: HL101 [error] docker stops `{root}/Dockerfile` with SIGTERM (Docker default: no "
        "STOPSIGNAL in the image); the consumer's graceful signal is SIGINT (huey default): huey treats it as \"stop "
        "now\" and interrupts running tasks. Fix: add `-g TERM -t 5` to the consumer command, or set STOPSIGNAL SIGINT")
    monkeypatch.chdir(git_repo)
    out = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--select", "HL101")[1]
    assert out.splitlines()[0].startswith("Dockerfile:4:7: HL101 [error] docker stops `Dockerfile` with SIGTERM")


def test_a_root_level_unit_is_named_by_its_unit_name_not_its_path_from_a_subfolder(git_repo, monkeypatch, capsys):
    """A systemd unit is quoted by its name (what `systemctl` takes), which for a root-level unit is its file's path
    too: run from a folder below the root it was rewritten as a path, `systemd stops `/abs/huey.service``, a unit no
    systemctl knows; the finding's own location and `(huey.service:2)` stay paths."""
    write_tree(git_repo, {"huey.service": "[Service]\nExecStart=/x/huey_consumer app.huey\nTimeoutStopSec=60\n",
                          "requirements.txt": "huey==2.5.0\n", "docs/README": "notes\n"})
    monkeypatch.chdir(git_repo / "docs")
    root = str(git_repo.resolve())
    out = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--select", "HL101,HL106", "..")[1]
    assert out.splitlines()[:2] == [
        f"{root}/huey.service:1:1: HL106 [note] systemd unit `huey.service` has no `ExecReload=`: `systemctl reload "
        "huey.service` fails, so code and config changes need a full restart (stop, then start) instead of huey's "
        "graceful restart on SIGHUP (finish running tasks, re-exec in place with the same PID). Fix: add "
        "`ExecReload=/bin/kill -HUP $MAINPID`",
        f"{root}/huey.service:2:11: HL101 [error] systemd stops `huey.service` with SIGTERM (systemd default "
        "KillSignal); the consumer's graceful signal is SIGINT (huey default): huey treats it as \"stop now\" and "
        "interrupts running tasks. Fix: set KillSignal=SIGINT"]


def test_notices_show_paths_as_the_findings_do(git_repo, monkeypatch, capsys):
    """Run from a folder of the repository (`cd examples/broken && hueylint check`), the findings' paths are
    relative to it and so are the notices' (they were relative to the repository's root:
    `examples/broken/docker-compose.yml:5: notice: ...` under findings at `Dockerfile:10:5`)."""
    import shutil

    shutil.copytree(Path(__file__).resolve().parents[1] / "examples" / "broken", git_repo / "examples" / "broken")
    monkeypatch.chdir(git_repo / "examples" / "broken")
    out = run_cli(capsys, "check", "--no-cache", "--output-format", "concise")[1].splitlines()
    assert out[0].startswith("Dockerfile:10:5: HL104 [note]")
    assert out[-1].startswith("docker-compose.yml:5: notice: compose web runs Django's `run_huey`")
    # a file quoted by its path too (it was the root's `examples/broken/docker/entrypoint.sh`)
    assert [line[:79] for line in out if ": HL201 " in line and "entrypoint" in line] == [
        "docker-compose.yml:7:18: HL201 [error] script `docker/entrypoint.sh` starts the"]
    monkeypatch.chdir(git_repo)  # from the root: the root-relative paths, as before
    out = run_cli(capsys, "check", "--no-cache", "--output-format", "concise")[1].splitlines()
    assert out[0].startswith("examples/broken/Dockerfile:10:5: HL104 [note]")
    assert [line[:103] for line in out if ": HL201 " in line and "entrypoint" in line] == [
        "examples/broken/docker-compose.yml:7:18: HL201 [error] script `examples/broken/docker/entrypoint.sh` st"]
    assert out[-1].startswith("examples/broken/docker-compose.yml:5: notice: compose web runs Django's `run_huey`")


@pytest.mark.parametrize("named", [[".", "."], [".", "deploy"], ["deploy", "."], ["deploy", "./deploy/"]])
def test_a_folder_named_twice_or_beside_one_holding_it_is_checked_once_without_a_notice(repo, capsys, named):
    """`hueylint check . deploy` (a Makefile's list of folders, in either order) walks each folder once, as ruff
    does: the second said "deploy: notice: symlink loop or repeated folder: skipped" of a folder that is neither."""
    words = ["check", "--no-cache", "--output-format", "concise", "--select", "HL101"]
    once = run_cli(capsys, *words, "." if "." in named else "deploy")
    assert once == (1, f"deploy/huey.service:2:11: HL101 [error] {HL101}\n"
                       "Found 1 finding (1 error) in 2 files checked.\n[*] 1 fixable with the `--fix` option.\n", "")
    assert run_cli(capsys, *words, *named) == once
