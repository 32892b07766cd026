"""Baselines and the fingerprints they rest on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hueylint import baseline, fingerprints
from hueylint.cli import main
from tests.helpers import lint, write_tree

UNIT = ("[Service]\nType=exec\nExecStart=/srv/app/venv/bin/huey_consumer my_app.huey -w 4\nTimeoutStopSec=60\n"
        "User=app\nRestart=on-failure\nExecReload=/bin/kill -HUP $MAINPID\n")
DOCKERFILE = 'FROM python:3.13-slim\nCMD ["huey_consumer", "my_app.huey", "-w", "4"]\n'
PROJECT = {"deploy/huey.service": UNIT, "Dockerfile": DOCKERFILE}


def prints(result) -> list[tuple[str, str, str]]:
    return sorted((f.rule, f.loc.path or "", f.fingerprint) for f in result.findings)


def test_every_finding_gets_a_fingerprint(tmp_path: Path) -> None:
    write_tree(tmp_path, PROJECT)
    result = lint(tmp_path)
    assert result.findings
    assert all(f.fingerprint for f in result.findings)
    assert len({f.fingerprint for f in result.findings}) == len(result.findings)


def test_fingerprints_survive_inserted_lines_and_reindenting(tmp_path: Path) -> None:
    write_tree(tmp_path, PROJECT)
    before = lint(tmp_path)
    write_tree(tmp_path, {
        "deploy/huey.service": "# the worker\n\n[Unit]\nDescription=huey\n\n" + UNIT.replace("ExecStart", "  ExecStart"),
        "Dockerfile": "# syntax=docker/dockerfile:1\n" + DOCKERFILE.replace('", "', '",   "'),
    })
    after = lint(tmp_path)
    assert [f.loc.line for f in after.findings] != [f.loc.line for f in before.findings]
    assert prints(after) == prints(before)


def test_fingerprints_change_when_the_line_changes(tmp_path: Path) -> None:
    write_tree(tmp_path, PROJECT)
    def on_exec_start(result) -> set[str]:
        return {f.fingerprint for f in result.findings if (f.loc.path, f.loc.line) == ("deploy/huey.service", 3)}

    before = on_exec_start(lint(tmp_path))
    write_tree(tmp_path, {"deploy/huey.service": UNIT.replace("-w 4", "-w 8")})
    after = on_exec_start(lint(tmp_path))
    assert before and after and not before & after


def test_fingerprints_do_not_depend_on_working_directory_or_path_style(tmp_path: Path, monkeypatch) -> None:
    repo = tmp_path / "repo"
    write_tree(repo, PROJECT)
    (repo / ".git").mkdir()
    seen = []
    for cwd, path in ((repo, Path(".")), (repo / "deploy", Path("..")), (tmp_path, repo),
                      (repo / "deploy", repo.resolve()), (tmp_path, Path("repo/./deploy/.."))):
        monkeypatch.chdir(cwd)
        seen.append(prints(lint(repo, paths=[path])))
    assert seen[0] and all(s == seen[0] for s in seen)


def test_identical_lines_are_numbered() -> None:
    from hueylint.findings import Finding
    from hueylint.locations import Loc

    lines = {1: "CMD x", 5: "  CMD   x", 9: "CMD y"}
    found = [Finding("HL101", "m", Loc("Dockerfile", n, 1)) for n in (9, 5, 1)]
    fingerprints.compute(found, lambda path, n: lines[n])
    by_line = {f.loc.line: f.fingerprint for f in found}
    assert by_line[1].endswith(":1") and by_line[5].endswith(":2") and by_line[9].endswith(":1")
    assert by_line[1].split(":")[0] == by_line[5].split(":")[0] != by_line[9].split(":")[0]


def test_round_trip(tmp_path: Path) -> None:
    write_tree(tmp_path / "repo", PROJECT)
    file = tmp_path / "baseline.json"
    result = lint(tmp_path / "repo")
    count = len(result.findings)
    assert baseline.write(result, file) == count > 0
    again = lint(tmp_path / "repo")
    baseline.apply(again, file)
    assert again.findings == []
    assert again.extra == {"baseline_matched": count, "baseline_stale": 0}


def test_file_is_sorted_stable_json_without_lines(tmp_path: Path) -> None:
    write_tree(tmp_path / "repo", PROJECT)
    file = tmp_path / "baseline.json"
    baseline.write(lint(tmp_path / "repo"), file)
    text = file.read_text()
    document = json.loads(text)
    assert text == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    rows = document["findings"]
    assert rows == sorted(rows, key=lambda r: (r["path"], r["rule"], r["fingerprint"]))
    assert all(set(row) == {"fingerprint", "name", "path", "rule"} for row in rows)
    # Rewriting after inserting lines changes nothing: the file diffs only when findings do.
    write_tree(tmp_path / "repo", {"deploy/huey.service": "# comment\n" + UNIT})
    baseline.write(lint(tmp_path / "repo"), file)
    assert file.read_text() == text


def test_new_findings_are_reported_and_fixed_ones_are_stale(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_tree(repo, PROJECT)
    file = tmp_path / "baseline.json"
    baseline.write(lint(repo), file)
    write_tree(repo, {
        "Dockerfile": 'FROM python:3.13-slim\nSTOPSIGNAL SIGINT\nCMD ["huey_consumer", "my_app.huey", "-w", "4"]\n',
        "deploy/other.service": UNIT,
    })
    result = lint(repo)
    baseline.apply(result, file)
    assert {f.loc.path for f in result.findings} == {"deploy/other.service"}
    assert result.extra["baseline_stale"] >= 1  # the Dockerfile's HL101 was fixed


def test_each_entry_matches_one_finding(tmp_path: Path) -> None:
    """A second identical line with the same finding is new: the first keeps ``:1``, it gets ``:2``."""
    from types import SimpleNamespace

    from hueylint.findings import Finding
    from hueylint.locations import Loc

    def result(count: int) -> SimpleNamespace:
        found = [Finding("HL201", "shell", Loc("run.sh", 2 + 3 * n, 1)) for n in range(count)]
        fingerprints.compute(found, lambda path, n: "huey_consumer app.huey &")
        return SimpleNamespace(root=tmp_path, findings=found, extra={})

    file = tmp_path / "baseline.json"
    assert baseline.write(result(1), file) == 1
    later = result(2)
    baseline.apply(later, file)
    assert [f.loc.line for f in later.findings] == [5]
    assert later.extra == {"baseline_matched": 1, "baseline_stale": 0}


@pytest.mark.parametrize("text, message", [
    ("{", "invalid JSON"),
    ('{"findings": []}', "not a hueylint baseline"),
    ('{"hueylint_baseline": 1, "findings": [{"rule": "HL101"}]}', "rule, path and fingerprint"),
    ("[" * 100000 + "]" * 100000, r"^.*baseline\.json: not a baseline \(invalid JSON: nested too deeply\)$"),
])
def test_bad_baselines_are_errors(tmp_path: Path, text: str, message: str) -> None:
    write_tree(tmp_path / "repo", PROJECT)
    file = tmp_path / "baseline.json"
    file.write_text(text)
    with pytest.raises(baseline.BaselineError, match=message):
        baseline.apply(lint(tmp_path / "repo"), file)
    with pytest.raises(baseline.BaselineError, match="cannot read"):
        baseline.apply(lint(tmp_path / "repo"), tmp_path / "missing.json")


def test_cli(tmp_path: Path, monkeypatch, capsys) -> None:
    repo = tmp_path / "repo"
    write_tree(repo, PROJECT)
    monkeypatch.chdir(repo)
    assert main(["check", "--write-baseline", "hueylint-baseline.json"]) == 0
    assert "wrote" in capsys.readouterr().err
    assert main(["check", "--baseline", "hueylint-baseline.json", "--no-color"]) == 0
    out = capsys.readouterr().out
    assert "All checks passed" in out and "hidden by the baseline" in out and "stale" not in out

    write_tree(repo, {"deploy/huey.service": UNIT.replace("-w 4", "-w 4 -g TERM -t 55")})
    assert main(["check", "--baseline", "hueylint-baseline.json", "--no-color"]) == 0
    assert "baseline entr" in capsys.readouterr().out
    assert main(["check", "--baseline", "hueylint-baseline.json", "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["baseline_stale"] >= 1 and summary["baseline_matched"] >= 1

    (repo / "bad.json").write_text("[]")
    assert main(["check", "--baseline", "bad.json"]) == 2
    assert "not a hueylint baseline" in capsys.readouterr().err


def test_fix_and_diff_leave_what_the_baseline_hides(tmp_path: Path, monkeypatch, capsys) -> None:
    """``--fix --baseline`` fixes only the findings it reports: the legacy ones the baseline hides stay as
    they are (as ruff never fixes a suppressed finding). It fixed them all, and rewriting their line changed
    the fingerprint of another baselined finding there, so the run meant to fix nothing failed with it."""
    repo = tmp_path / "repo"
    write_tree(repo, PROJECT)
    monkeypatch.chdir(repo)
    assert main(["check", "--write-baseline", "base.json", "-s"]) == 0
    assert capsys.readouterr() == ("", "")  # -s: nothing at all (it said "hueylint: wrote 2 finding(s) to ...")
    assert main(["check", "--write-baseline", "base.json", "-q", "--no-color", "--output-format", "concise"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out and not out.startswith("Found") and "Found" not in out  # -q: the findings only
    assert main(["check", "--baseline", "base.json", "--diff"]) == 0
    assert capsys.readouterr() == ("", "hueylint: no fix to apply\n")
    assert main(["check", "--baseline", "base.json", "--fix", "--no-color"]) == 0
    out, err = capsys.readouterr()
    assert (out.splitlines()[0], err) == ("All checks passed! (2 files checked)",
                                          "hueylint: no fix to apply\n")
    assert (repo / "Dockerfile").read_text() == DOCKERFILE

    write_tree(repo, {"deploy/huey.service": UNIT.replace("TimeoutStopSec=60", "TimeoutStopSec=10")})
    assert main(["check", "--baseline", "base.json", "--fix", "--no-color"]) == 0
    assert capsys.readouterr().err == "hueylint: fixed 1 finding in 1 file\n"
    assert (repo / "deploy/huey.service").read_text() == UNIT.replace("TimeoutStopSec=60", "TimeoutStopSec=25")
    assert (repo / "Dockerfile").read_text() == DOCKERFILE
    # a baseline that cannot be read stops --diff too (it was ignored: the diff fixed what it hides)
    assert main(["check", "--baseline", "missing.json", "--diff"]) == 2
    assert capsys.readouterr() == ("", "hueylint: error: missing.json: cannot read baseline: No such file or directory "
                                       "(record the current findings with `--write-baseline missing.json`)\n")
