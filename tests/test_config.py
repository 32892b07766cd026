"""Configuration discovery, keys, precedence and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.cli import main
from tests.helpers import refuse_open, write_tree

UNIT = """\
[Service]
ExecStart=/srv/app/venv/bin/huey_consumer my_app.huey -w 4
TimeoutStopSec=10
User=app
Restart=on-failure
ExecReload=/bin/kill -HUP $MAINPID
Type=exec
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


@pytest.mark.parametrize("text", ['tool.hueylint.ignore = ["HL102"]\n', '[tool]\nhueylint = {ignore = ["HL102"]}\n'])
def test_pyproject_tool_table_in_any_toml_form(repo, capsys, text):
    """Dotted keys and an inline table are the same TOML table as a `[tool.hueylint]` header."""
    write_tree(repo, {"pyproject.toml": text})
    assert rules_found(capsys)[1] == {"HL101", "HL104"}


def test_pyproject_tool_hueylint_not_a_table_is_exit_2(repo, capsys):
    write_tree(repo, {"pyproject.toml": "[tool]\nhueylint = 5\n"})
    code, _, err = rules_found(capsys)
    assert code == 2
    assert err == "hueylint: error: pyproject.toml: `tool.hueylint` must be a table ([tool.hueylint]), not 5\n"


def test_configuration_errors_name_the_file_as_found(repo, capsys, monkeypatch, tmp_path_factory):
    """A configuration error names the file the user must open: relative to the current folder inside it, else
    absolute (a file found in a folder above, `--config` outside); before, a value error gave the bare name
    (`pyproject.toml: unknown key`) and a syntax error the absolute path, whichever file it was."""
    from hueylint.cli import main

    write_tree(repo, {"pyproject.toml": '[tool.hueylint]\nselec = ["HL1"]\n', "deploy/x.txt": ""})
    expected = "unknown key `selec` (expected one of: exclude, extend-exclude, extend-select, fail-on, force-exclude, " \
               "huey-version, ignore, longest-task, per-file-ignores, select, severity)\n"
    assert main(["check", "-q"]) == 2 and capsys.readouterr().err == f"hueylint: error: pyproject.toml: {expected}"
    monkeypatch.chdir(repo / "deploy")
    assert main(["check", "-q"]) == 2
    assert capsys.readouterr().err == f"hueylint: error: {repo.resolve() / 'pyproject.toml'}: {expected}"
    outside = tmp_path_factory.mktemp("elsewhere") / "hueylint.toml"
    outside.write_text('select = ["HL1"\n')
    assert main(["check", "-q", "--config", str(outside)]) == 2
    assert capsys.readouterr().err.startswith(f"hueylint: error: {outside}: invalid TOML: ")
    monkeypatch.chdir(repo)
    (repo / "deploy" / "hueylint.toml").write_text("fail-on = 'never'\n")
    assert main(["check", "-q", "--config", "deploy/hueylint.toml"]) == 2
    assert capsys.readouterr().err.startswith("hueylint: error: deploy/hueylint.toml: fail-on: ")


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


@pytest.mark.parametrize(("text", "where"), [
    ('select = ""\n', "select: empty rule selector in ''"),
    ('ignore = "HL101,"\n', "ignore: empty rule selector in 'HL101,'"),
    ('extend-select = "HL1,,HL2"\n', "extend-select: empty rule selector in 'HL1,,HL2'"),
    ('select = ["HL101", ""]\n', "select: empty rule selector in ['HL101', '']"),
    ('[per-file-ignores]\n"deploy/*" = " "\n', "per-file-ignores.deploy/*: empty rule selector in ' '"),
])
def test_an_empty_rule_selector_in_the_configuration_is_exit_2_as_on_the_command_line(repo, capsys, text, where):
    """`--select ""` is a usage error; in the configuration `select = ""` selected no rule at all (a warning,
    exit 0: nothing checked) and `"HL101,"` read as `"HL101"`."""
    write_tree(repo, {"hueylint.toml": text})
    assert main(["check", "--no-color"]) == 2
    assert capsys.readouterr() == ("", f"hueylint: error: hueylint.toml: {where}\n")


def test_config_path_that_is_a_directory(repo, capsys):
    (repo / "conf.toml").mkdir()
    code, _, err = rules_found(capsys, "--config", "conf.toml")
    assert code == 2 and "is a directory" in err


# --- every value either works or is an exit-2 error naming it ----------------------------------------

@pytest.mark.parametrize(("args", "config"), [
    (["--ignore", "ALL"], ""),
    (["--ignore", "all"], ""),
    ([], 'ignore = ["ALL"]\n'),
    ([], '[per-file-ignores]\n"*.service" = ["ALL"]\n'),
    ([], '[per-file-ignores]\n"deploy" = ["all"]\n'),
])
def test_all_ignores_every_rule(repo, capsys, args, config):
    write_tree(repo, {"hueylint.toml": config})
    assert rules_found(capsys, *args)[:2] == (0, set())


def test_all_extends_the_selection(repo, capsys):
    assert rules_found(capsys, "--select", "HL104")[1] == {"HL104"}
    assert rules_found(capsys, "--select", "HL104", "--extend-select", "ALL")[1] == {"HL101", "HL102", "HL104"}
    write_tree(repo, {"hueylint.toml": 'select = ["HL104"]\nextend-select = ["ALL"]\n'})
    assert rules_found(capsys)[1] == {"HL101", "HL102", "HL104"}
    # the more specific selector wins, as in ruff
    write_tree(repo, {"hueylint.toml": ""})
    assert rules_found(capsys, "--ignore", "ALL", "--extend-select", "HL101")[1] == {"HL101"}


def test_huey_version_as_a_toml_number_is_refused(repo, capsys):
    write_tree(repo, {"hueylint.toml": "huey-version = 3.10\n"})
    code, _, err = rules_found(capsys)
    assert (code, err) == (2, 'hueylint: error: hueylint.toml: huey-version: must be a string: quote it, e.g. '
                              'huey-version = "3.10" (the TOML number 3.1 loses trailing zeros, 3.10 reads as 3.1)\n')


def test_huey_version_string_keeps_its_digits(repo, capsys):
    # 3.10 is not 3.1: -g needs 3.4, so a 3.10 project gets no "needs a newer huey" finding
    write_tree(repo, {"hueylint.toml": 'huey-version = "3.10"\n'})
    code = main(["check", "--format", "json", "--no-cache", "deploy"])
    assert code in (0, 1) and '"HL002"' not in capsys.readouterr().out


@pytest.mark.parametrize(("args", "config", "message"), [
    (["--longest-task", "inf"], "", "--longest-task: must be a finite duration, not 'inf' (use e.g. \"45s\", \"5m\")"),
    (["--longest-task", "infinity"], "", "--longest-task: must be a finite duration, not 'infinity'"),
    ([], "longest-task = nan\n", "hueylint.toml: longest-task: must be a finite duration, not nan"),
    ([], "longest-task = inf\n", "hueylint.toml: longest-task: must be a finite duration, not inf"),
    ([], "longest-task = -5\n", "hueylint.toml: longest-task: must be positive, not -5"),
    (["--longest-task", "-5s"], "", "--longest-task: must be positive, not '-5s'"),
    (["--longest-task=-5s"], "", "--longest-task: must be positive, not '-5s'"),
    (["--longest-task", "99999999999999999999d"], "",
     "--longest-task: '99999999999999999999d' is longer than a year; no stop deadline waits that long"),
    # a value of kilobytes is quoted by its start (was the whole 5,000 characters in the one-line error)
    ([], f'longest-task = "{"9" * 5000}x"\n', f"hueylint.toml: longest-task: unknown time unit 'x' in '{'9' * 57}...'"),
    (["--fail-on", "fatal"], "", "--fail-on: unknown severity 'fatal' (expected error, warning or note)"),
    ([], "fail-on = 3\n", "hueylint.toml: fail-on: expected \"error\", \"warning\" or \"note\", not 3"),
    # the file and key as the other messages give them (was "`hueylint.toml: select` must be a list of rule ids")
    ([], "select = 3\n", "hueylint.toml: select: expected a list of rule ids, not 3"),
    ([], "[per-file-ignores]\n\"a/*\" = [1]\n", "hueylint.toml: per-file-ignores.a/*: expected a list of rule ids, not [1]"),
])
def test_bad_values_are_exit_2_naming_the_option(repo, capsys, args, config, message):
    write_tree(repo, {"hueylint.toml": config})
    code, _, err = rules_found(capsys, *args)
    assert code == 2
    assert err.startswith(f"hueylint: error: {message}") and err.count("\n") == 1, err


@pytest.mark.parametrize("level", ["ERROR", "error", "E", "e", "Error"])
def test_one_severity_parser_for_cli_and_config(repo, capsys, level):
    # only HL101 is an error here: fail-on error fails; the aliases are the same on both sides
    assert rules_found(capsys, "--select", "HL102,HL104", "--fail-on", level)[0] == 0
    assert rules_found(capsys, "--fail-on", level)[0] == 1
    write_tree(repo, {"hueylint.toml": f'fail-on = "{level}"\nselect = ["HL102", "HL104"]\n'})
    assert rules_found(capsys)[0] == 0


@pytest.mark.parametrize("level", ["WARN", "w", "Warning"])
def test_warning_aliases_on_the_command_line(repo, capsys, level):
    assert rules_found(capsys, "--select", "HL102", "--fail-on", level)[0] == 1


def test_unused_ignore_not_reported_for_rules_disabled_in_this_run(git_repo, capsys):
    write_tree(git_repo, {"huey.service": "[Service]\nUser=x\nRestart=always\nExecReload=/bin/kill -HUP $MAINPID\nType=exec\n"
                                          "TimeoutStopSec=60\n# hueylint: ignore[HL101,HL104]\n"
                                          "ExecStart=/v/huey_consumer app.huey -w 2\n"})
    for args in ([], ["--ignore", "HL104"], ["--select", "HL101"], ["--ignore", "ALL"]):
        assert rules_found(capsys, "--show-unused-ignores", *args)[:2] == (0, set()), args
    # an enabled rule that reports nothing there is still unused
    write_tree(git_repo, {"huey.service": "[Service]\n# hueylint: ignore[HL101,HL104]\nExecStart=/v/huey_consumer "
                                          "app.huey -w 2 -g TERM -t 55\nKillSignal=SIGTERM\nTimeoutStopSec=60\n"})
    assert main(["check", "--format", "json", "--no-cache", "--show-unused-ignores", "--ignore", "HL104"]) == 1
    import json

    data = [(f["rule"], f["line"], f["message"]) for f in json.loads(capsys.readouterr().out)["findings"]
            if f["rule"] == "HL008"]
    assert data == [("HL008", 2, "unused suppression: HL101 reported nothing here")]


DEEP_TOML = "x = " + "[" * 5000 + "]" * 5000 + "\n"


@pytest.mark.parametrize(("files", "args", "name"), [
    ({"hueylint.toml": DEEP_TOML}, [], "hueylint.toml"),
    ({"pyproject.toml": 'tool.hueylint.select = ["HL1"]\n' + DEEP_TOML}, [], "pyproject.toml"),
    ({"conf/deep.toml": DEEP_TOML}, ["--config", "conf/deep.toml"], "conf/deep.toml"),
])
def test_config_nested_too_deeply_is_a_config_error(repo, capsys, files, args, name):
    """tomllib recurses once per nested array: a configuration nested beyond Python's stack is a broken
    configuration file (exit 2 naming it), not an internal error."""
    write_tree(repo, files)
    code, _, err = rules_found(capsys, *args)
    assert code == 2 and err.startswith("hueylint: error: ") and err.count("\n") == 1
    assert err.endswith(f"{name}: invalid TOML: nested too deeply\n")


@pytest.mark.parametrize("name", ["hueylint.toml", ".hueylint.toml"])
def test_tool_table_in_hueylint_toml_says_where_the_keys_go(repo, capsys, name):
    """A ruff user copies `[tool.hueylint]` from a pyproject.toml into hueylint.toml: the error says that this
    file takes the keys at the top level (ruff.toml works the same way)."""
    write_tree(repo, {name: '[tool.hueylint]\nignore = ["HL102"]\n'})
    code, _, err = rules_found(capsys)
    assert (code, err) == (2, f"hueylint: error: {name}: unknown key `tool`: {name} takes the keys at the top "
                              "level, without a [tool.hueylint] header (that header is for pyproject.toml)\n")


@pytest.mark.parametrize(("args", "config"), [
    (["--ignore", "ALL"], ""),
    ([], "select = []\n"),
    (["--select", "HL1", "--ignore", "HL1"], ""),
])
def test_no_rule_enabled_is_said_on_stderr(repo, capsys, args, config):
    """"All checks passed!" after a run in which no rule looked would read as "checked and fine": the run
    says that nothing was checked (stderr, exit code unchanged, silent with -q like the other warnings)."""
    write_tree(repo, {"hueylint.toml": config})
    code = main(["check", "--no-color", *args])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "hueylint: warning: no rule is enabled (`select`, `extend-select` and `ignore` "
                              "leave none): nothing was checked\n")
    assert out.startswith("All checks passed!")
    assert main(["check", "-q", *args]) == 0 and capsys.readouterr() == ("", "")
    # per-file-ignores leave the rules enabled elsewhere: no warning
    write_tree(repo, {"hueylint.toml": '[per-file-ignores]\n"*.service" = ["ALL"]\n'})
    assert main(["check", "--no-color"]) == 0 and capsys.readouterr()[1] == ""


@pytest.mark.parametrize(("name", "data", "where"), [
    # a Latin-1 author name in a pyproject.toml that configures hueylint: before, the file was skipped as
    # no configuration at all and the run went on with the defaults (its `ignore` silently dropped)
    ("pyproject.toml", b'[project]\nauthors = [{name = "Jos\xe9"}]\n[tool.hueylint]\nignore = ["HL102"]\n',
     "byte 0xe9 (at line 2, column 24)"),
    ("hueylint.toml", b'fail-on = "\xff"\n', "byte 0xff (at line 1, column 12)"),
])
def test_config_not_utf8_is_a_config_error(repo, capsys, name, data, where):
    (repo / name).write_bytes(data)
    code, _, err = rules_found(capsys)
    assert code == 2
    assert err == f"hueylint: error: {name}: invalid TOML: not UTF-8 (TOML files are UTF-8): {where}\n"


@pytest.mark.parametrize("name, text", [("hueylint.toml", 'select = ["HL102"]\r\n'),
                                        ("pyproject.toml", '[tool.hueylint]\r\nselect = ["HL102"]\r\n')])
def test_config_with_a_byte_order_mark_is_read(repo, capsys, name, text):
    """A configuration saved with a UTF-8 byte order mark (and CRLF) by a Windows editor is read, as ruff reads
    it; it stopped the run with `invalid TOML: Invalid statement (at line 1, column 1)`."""
    (repo / name).write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert rules_found(capsys) == (1, {"HL102"}, "")


def test_pyproject_not_utf8_without_hueylint_is_not_a_config(repo, capsys):
    """A pyproject.toml that does not mention hueylint is not its configuration, whatever its encoding (it is
    still a dependency file that does not read as TOML: HL001)."""
    (repo / "pyproject.toml").write_bytes(b'[project]\nname = "Jos\xe9"\n')
    assert rules_found(capsys) == (1, {"HL001", "HL101", "HL102", "HL104"}, "")


def test_unreadable_pyproject_is_a_config_error(repo, capsys, monkeypatch):
    """A pyproject.toml that cannot be read may hold `[tool.hueylint]`: the run stops naming it (ruff fails
    alike), where before it went on with the defaults as if there were no configuration.  Root reads
    everything, so the error is raised where the file is opened (safeio opens with os.open)."""
    write_tree(repo, {"pyproject.toml": '[tool.hueylint]\nignore = ["HL102"]\n'})
    refuse_open(monkeypatch, "pyproject.toml")
    assert rules_found(capsys) == (2, set(), "hueylint: error: pyproject.toml: cannot read: Permission denied\n")
