"""Configuration discovery, keys, precedence and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.cli import main
from tests.helpers import write_tree

UNIT = """\
[Service]
ExecStart=/srv/app/venv/bin/huey_consumer my_app.huey -w 4
TimeoutStopSec=10
User=app
Restart=on-failure
ExecReload=/bin/kill -HUP $MAINPID
"""


@pytest.fixture
def repo(git_repo: Path) -> Path:
    write_tree(git_repo, {"deploy/huey.service": UNIT})
    return git_repo


def rules_found(capsys, *args: str) -> tuple[int, set[str], str]:
    code = main(["check", "--format", "json", *args])
    out, err = capsys.readouterr()
    if code == 2:
        return code, set(), err
    import json

    return code, {f["rule"] for f in json.loads(out)["findings"]}, err


def test_pyproject_tool_section(repo, capsys):
    write_tree(repo, {"pyproject.toml": '[project]\nname = "x"\n[tool.hueylint]\nignore = ["HL102"]\n'})
    assert rules_found(capsys)[1] == {"HL101", "HL104"}


def test_pyproject_without_section_is_not_a_config(repo, capsys):
    write_tree(repo, {"pyproject.toml": '[project]\nname = "x"\n', "hueylint.toml": 'ignore = ["HL101"]\n'})
    # the pyproject has no [tool.hueylint]: hueylint.toml in the same folder is used
    assert rules_found(capsys)[1] == {"HL102", "HL104"}


@pytest.mark.parametrize("name", ["hueylint.toml", ".hueylint.toml"])
def test_dedicated_files_found_walking_up(repo, capsys, name):
    write_tree(repo, {name: 'select = ["HL102"]\n'})
    assert rules_found(capsys, "deploy")[1] == {"HL102"}


def test_cli_overrides_config(repo, capsys):
    write_tree(repo, {"hueylint.toml": 'longest-task = "5s"\nfail-on = "error"\n'})
    code, found, _ = rules_found(capsys)
    assert "HL102" not in found  # 10s deadline is enough for 5s tasks
    code, found, _ = rules_found(capsys, "--longest-task", "1m")
    assert "HL102" in found


def test_fail_on_from_config(repo, capsys):
    write_tree(repo, {"hueylint.toml": 'select = ["HL102"]\nfail-on = "error"\n'})
    assert rules_found(capsys)[0] == 0
    assert rules_found(capsys, "--fail-on", "warning")[0] == 1


def test_severity_override(repo, capsys):
    write_tree(repo, {"hueylint.toml": '[severity]\nHL101 = "note"\n'})
    main(["check", "--format", "json"])
    import json

    data = json.loads(capsys.readouterr().out)
    assert {f["rule"]: f["severity"] for f in data["findings"]}["HL101"] == "note"


def test_per_file_ignores(repo, capsys):
    write_tree(repo, {"hueylint.toml": '[per-file-ignores]\n"deploy/*.service" = ["HL1"]\n'})
    assert rules_found(capsys)[1] == set()


def test_exclude_and_extend_exclude(repo, capsys):
    write_tree(repo, {"hueylint.toml": 'extend-exclude = ["deploy"]\n'})
    assert rules_found(capsys)[1] == set()
    # a path named on the command line is always checked, like ruff
    assert "HL101" in rules_found(capsys, "deploy")[1]


def test_gitignore_is_honoured(repo, capsys):
    write_tree(repo, {".gitignore": "deploy/\n"})
    assert rules_found(capsys)[1] == set()


def test_huey_version_key(repo, capsys):
    write_tree(repo, {"hueylint.toml": 'huey-version = "3.3"\n'})
    assert "HL104" not in rules_found(capsys)[1]  # -t does not exist before 3.4


def test_explicit_config_option(repo, capsys):
    write_tree(repo, {"elsewhere/custom.toml": 'select = ["HL101"]\n'})
    assert rules_found(capsys, "--config", "elsewhere/custom.toml")[1] == {"HL101"}


@pytest.mark.parametrize(("text", "needle"), [
    ('selct = ["HL101"]\n', "unknown key `selct`"),
    ('select = ["HL9"]\n', "unknown rule id or prefix 'HL9'"),
    ('longest-task = "forever"\n', "longest-task"),
    ('fail-on = "fatal"\n', "fail-on"),
    ('select = [\n', "invalid TOML"),
    ('[severity]\nHL101 = "loud"\n', "severity.HL101"),
    ('huey-version = "latest"\n', "huey-version"),
])
def test_broken_config_is_exit_2(repo, capsys, text, needle):
    write_tree(repo, {"hueylint.toml": text})
    code, _, err = rules_found(capsys)
    assert code == 2
    assert needle in err and err.startswith("hueylint: error: ")


def test_config_path_that_is_a_directory(repo, capsys):
    (repo / "conf.toml").mkdir()
    code, _, err = rules_found(capsys, "--config", "conf.toml")
    assert code == 2 and "is a directory" in err
