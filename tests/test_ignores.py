"""Which files are checked: git's ignore rules, ``exclude`` globs anchored at the config file, per-file-ignores."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from hueylint import ignores
from hueylint.cli import main
from hueylint.ignores import Rules
from tests.helpers import write_tree

# HL101 (no -g TERM, default KillSignal) and HL104 (no -t) at the ExecStart line, 6
UNIT = """\
[Service]
User=x
Restart=always
ExecReload=/bin/kill -HUP $MAINPID
TimeoutStopSec=60
ExecStart=/v/huey_consumer app.huey -w 2
Type=exec
"""


def findings(capsys, *args: str) -> tuple[int, list[tuple[str, str, int]], str]:
    code = main(["check", "--no-cache", "--format", "json", *args])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    return code, sorted((f["rule"], f["path"], f["line"]) for f in json.loads(out)["findings"]), err


def both(path: str) -> list[tuple[str, str, int]]:
    return [("HL101", path, 6), ("HL104", path, 6)]


@pytest.fixture(params=["git", "no-git", "git-after-walk", "git-fails-after-walk"])
def ignore_mode(request, monkeypatch) -> str:
    """Every ignore test runs with git's own answer and with the pathspec fallback (no git installed); and with
    git answering only after the walk (the walk goes ahead and drops what git ignores afterwards), or failing
    then (the tree is walked again with the ignore files read directly)."""
    if request.param == "no-git":
        monkeypatch.setattr(ignores.shutil, "which", lambda name: None)
    if request.param.endswith("after-walk"):
        monkeypatch.setattr(ignores.GitIgnores, "poll", lambda self: None)
    if request.param == "git-fails-after-walk":
        real = ignores._git_answer
        monkeypatch.setattr(ignores, "_git_answer", lambda process, timeout=30.0: real(process, timeout) and None)
    return request.param


# --- configuration globs: relative to the folder of the config file (ruff) -------------------------

@pytest.fixture
def subfolder_config(git_repo: Path) -> Path:
    write_tree(git_repo, {
        "svc/hueylint.toml": 'extend-exclude = ["legacy/old.service"]\n[per-file-ignores]\n"deploy/*" = ["HL101"]\n',
        "svc/deploy/huey.service": UNIT, "svc/legacy/old.service": UNIT,
    })
    return git_repo


def test_config_globs_are_relative_to_the_config_folder_from_the_root(subfolder_config, capsys):
    code, found, _ = findings(capsys, "svc")
    assert found == [("HL104", "svc/deploy/huey.service", 6)]


def test_config_globs_are_relative_to_the_config_folder_from_inside(subfolder_config, capsys, monkeypatch):
    monkeypatch.chdir(subfolder_config / "svc")
    code, found, _ = findings(capsys)
    assert found == [("HL104", "svc/deploy/huey.service", 6)]


def test_a_glob_with_a_slash_does_not_match_elsewhere(git_repo, capsys):
    write_tree(git_repo, {"hueylint.toml": 'extend-exclude = ["legacy/old.service"]\n',
                          "legacy/old.service": UNIT, "other/legacy/old.service": UNIT})
    assert findings(capsys)[1] == both("other/legacy/old.service")


def test_exclude_and_per_file_ignores_share_one_glob_syntax():
    # the same pattern means the same paths in exclude and in per-file-ignores: git's wildmatch
    cases = {
        "deploy/*.service": (["deploy/a.service"], ["deploy/sub/a.service", "x/deploy/a.service"]),
        "legacy": (["legacy/old.service", "a/legacy/b.service"], ["legacy2/x.service"]),
        "**/legacy/*.service": (["legacy/x.service", "a/legacy/x.service"], ["legacy/y/x.service"]),
        "*.service": (["a.service", "deep/er/a.service"], ["a.service.bak"]),
        "/top.service": (["top.service"], ["sub/top.service"]),
    }
    for pattern, (matching, other) in cases.items():
        rules = Rules.of([pattern])
        assert [rules.covers(path) for path in matching] == [True] * len(matching), pattern
        assert [rules.covers(path) for path in other] == [False] * len(other), pattern


def test_per_file_ignores_use_the_exclude_glob_rules(git_repo, capsys):
    # as in exclude (and .gitignore): a folder name covers everything below it, `deploy/*` matches the
    # folder deploy/sub and so its files, `other/*.service` does not reach into other/sub/
    write_tree(git_repo, {
        "hueylint.toml": '[per-file-ignores]\n"deploy/*" = ["HL101"]\n"legacy" = ["HL1"]\n"other/*.service" = ["HL104"]\n',
        "deploy/a.service": UNIT, "deploy/sub/b.service": UNIT, "legacy/old/c.service": UNIT,
        "other/sub/d.service": UNIT})
    code, found, _ = findings(capsys)
    assert found == [("HL101", "other/sub/d.service", 6), ("HL104", "deploy/a.service", 6),
                     ("HL104", "deploy/sub/b.service", 6), ("HL104", "other/sub/d.service", 6)]
    write_tree(git_repo, {"hueylint.toml": 'extend-exclude = ["deploy/*", "legacy", "other/*.service"]\n'})
    assert findings(capsys)[1] == both("other/sub/d.service")


def test_globs_written_from_dot_slash_are_paths_from_the_config_folder_as_in_ruff(git_repo, capsys):
    """``./deploy/*`` (ruff's way of writing a path from the configuration's folder) is ``/deploy/*``, and
    ``./top.service`` stays anchored there; git's syntax read a ``.`` part as a name, so they matched nothing."""
    write_tree(git_repo, {
        "hueylint.toml": 'extend-exclude = ["./legacy/", "./top.service"]\n'
                         '[per-file-ignores]\n"./deploy/./*" = ["HL101"]\n"!./other/*" = ["HL104"]\n',
        "deploy/a.service": UNIT, "legacy/old.service": UNIT, "top.service": UNIT,
        "sub/top.service": UNIT, "sub/legacy/x.service": UNIT, "other/b.service": UNIT})
    code, found, _ = findings(capsys)
    assert found == [("HL101", "other/b.service", 6), ("HL101", "sub/legacy/x.service", 6),
                     ("HL101", "sub/top.service", 6), ("HL104", "other/b.service", 6)]
    assert main(["check", "--show-settings"]) == 0
    shown = capsys.readouterr().out
    assert 'extend-exclude = ["/legacy/", "/top.service"]  # hueylint.toml' in shown
    assert 'per-file-ignores = {"/deploy/*" = ["HL101"], "!/other/*" = ["HL104"]}  # hueylint.toml' in shown
    # on the command line too (relative to the current folder), and `..` is still refused after a `./`
    write_tree(git_repo, {"hueylint.toml": ""})
    assert findings(capsys, "--extend-exclude", "./sub,./deploy/a.service,./legacy,./other")[1] == both("top.service")
    assert main(["check", "--extend-exclude", "./../x"]) == 2
    assert capsys.readouterr().err == ("hueylint: error: --extend-exclude: the glob './../x' can never match: globs "
                                       "are relative to the folder of the configuration that defines them (or the "
                                       "current folder) and never reach above it with `..`\n")


def test_excluded_app_module_is_linked_but_not_reported(git_repo, capsys):
    write_tree(git_repo, {
        "hueylint.toml": 'extend-exclude = ["my_app"]\n',
        "my_app/__init__.py": 'from huey import RedisHuey\nhuey = RedisHuey("x", host="redis")\n',
        "deploy/huey.service": UNIT.replace("app.huey", "my_app.huey"),
    })
    assert findings(capsys)[1] == both("deploy/huey.service")
    # named on the command line, the excluded folder is checked (ruff: explicit paths are linted)
    assert ("HL402", "my_app/__init__.py", 2) in findings(capsys, ".", "my_app")[1]


# --- git's ignore semantics -----------------------------------------------------------------------

def test_nested_gitignore_negation_re_includes(git_repo, capsys, ignore_mode):
    write_tree(git_repo, {".gitignore": "*.service\n", "sub/.gitignore": "!huey.service\n",
                          "sub/huey.service": UNIT, "deploy/worker.service": UNIT})
    assert findings(capsys)[1] == both("sub/huey.service")


def test_git_info_exclude_is_honoured(git_repo, capsys, ignore_mode):
    write_tree(git_repo, {"sub/huey.service": UNIT, "deploy/worker.service": UNIT})
    (git_repo / ".git" / "info").mkdir(exist_ok=True)
    (git_repo / ".git" / "info" / "exclude").write_text("deploy/\n", encoding="utf-8")
    assert findings(capsys)[1] == both("sub/huey.service")


def test_core_excludes_file_is_honoured(git_repo, capsys, tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    (home / "ignore").write_text("deploy/\n", encoding="utf-8")
    (home / ".gitconfig").write_text(f"[core]\n\texcludesFile = {home / 'ignore'}\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    write_tree(git_repo, {"sub/huey.service": UNIT, "deploy/worker.service": UNIT})
    assert findings(capsys)[1] == both("sub/huey.service")


def test_tracked_file_matching_gitignore_is_checked(git_repo, capsys):
    # git ignores only untracked files: a tracked unit is part of the repository
    write_tree(git_repo, {"deploy/worker.service": UNIT})
    subprocess.run(["git", "add", "deploy/worker.service"], check=True, cwd=git_repo)
    write_tree(git_repo, {".gitignore": "*.service\n", "deploy/other.service": UNIT})
    assert findings(capsys)[1] == both("deploy/worker.service")


def test_gitignore_outside_a_git_repository_ignores_nothing(tmp_path, capsys, monkeypatch):
    """A tree with no ``.git`` in it or above it (a source archive: every file in it was committed) is
    walked whole, ``.gitignore`` or not, like ruff and ripgrep; the same tree in a repository is not."""
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {".gitignore": "huey.*\n", "deploy/huey.service": UNIT})
    assert findings(capsys)[1] == both("deploy/huey.service")
    (tmp_path / ".git").mkdir()  # what the walk looks for; git itself does not answer for this folder
    assert findings(capsys)[1] == []


@pytest.mark.parametrize("marker", ["folder", "file"])
def test_repository_inside_a_folder_outside_git_keeps_its_gitignore(tmp_path, capsys, monkeypatch, marker):
    """A folder of clones checked from its parent (not a repository itself): each clone's ``.gitignore``
    applies below it (ruff and ripgrep decide ``require_git`` per folder); a loose ``.gitignore`` beside
    them does not.  A worktree or submodule has a ``.git`` file instead of a folder."""
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {".gitignore": "huey.*\n", "clone/.gitignore": "build/\n", "clone/build/worker.service": UNIT,
                          "clone/deploy/worker.service": UNIT, "export/huey.service": UNIT})
    if marker == "folder":
        (tmp_path / "clone" / ".git").mkdir()
    else:
        (tmp_path / "clone" / ".git").write_text("gitdir: /elsewhere/.git/worktrees/clone\n")
    assert sorted(findings(capsys)[1]) == sorted(both("clone/deploy/worker.service") + both("export/huey.service"))


def test_ignored_folder_named_on_the_command_line_is_checked(git_repo, capsys, ignore_mode):
    write_tree(git_repo, {".gitignore": "deploy/\n*.log\n", "deploy/worker.service": UNIT,
                          "deploy/x.log": "", "other/huey.service": UNIT})
    code, found, err = findings(capsys, "deploy")
    assert (code, found, err) == (1, both("deploy/worker.service"), "")


def test_nothing_to_check_is_said_without_failing(git_repo, capsys):
    # the dependency files and Dockerfile above the named folder (read for a launch's huey version) are not
    # read when there is nothing under it: they were counted, "2 files checked" beside the warning
    write_tree(git_repo, {".gitignore": "deploy/\n", "deploy/README.txt": "hello\n", "requirements.txt": "huey==2.5.0\n",
                          "Dockerfile": "FROM python:3.12\nRUN pip install huey==2.5.1\n"})
    code = main(["check", "--no-cache", "--no-color", "deploy"])
    out, err = capsys.readouterr()
    assert (code, out) == (0, "All checks passed! (0 files checked)\n")
    assert err == "hueylint: warning: No files hueylint reads found under the given paths\n"
    assert main(["check", "--no-cache", "--show-files", "deploy"]) == 0
    assert capsys.readouterr() == ("", err)


def test_the_scanned_repository_git_config_runs_nothing(git_repo, capsys, tmp_path_factory):
    marker = tmp_path_factory.mktemp("out") / "ran"
    with open(git_repo / ".git" / "config", "a", encoding="utf-8") as config:
        config.write(f"[core]\n\tfsmonitor = touch {marker}\n")
    write_tree(git_repo, {".gitignore": "deploy/\n", "deploy/worker.service": UNIT, "sub/huey.service": UNIT})
    assert findings(capsys)[1] == both("sub/huey.service")
    assert not marker.exists()


def test_a_nested_repository_answers_for_its_own_ignores(git_repo, capsys):
    nested = git_repo / "vendor" / "svc"
    nested.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(nested)], check=True)
    write_tree(git_repo, {"vendor/svc/.gitignore": "local/\n", "vendor/svc/local/dev.service": UNIT,
                          "vendor/svc/deploy/huey.service": UNIT})
    assert findings(capsys)[1] == both("vendor/svc/deploy/huey.service")


def test_a_git_file_pointing_outside_the_tree_is_not_followed(git_repo, capsys, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere")
    subprocess.run(["git", "init", "-q", str(outside)], check=True)
    (outside / ".git" / "info").mkdir(exist_ok=True)
    (outside / ".git" / "info" / "exclude").write_text("*.service\n", encoding="utf-8")
    write_tree(git_repo, {"vendor/.git": f"gitdir: {outside / '.git'}\n", "vendor/huey.service": UNIT})
    assert findings(capsys)[1] == both("vendor/huey.service")


@pytest.mark.parametrize(("config", "message"), [
    ('extend-exclude = ["#tmp#"]\n', "hueylint.toml: extend-exclude: the glob '#tmp#' can never match"),
    ('exclude = [""]\n', "hueylint.toml: exclude: the glob '' can never match"),
    ('extend-exclude = ["!"]\n', "hueylint.toml: extend-exclude: the glob '!' can never match"),
    ('[per-file-ignores]\n"/" = ["HL101"]\n', "hueylint.toml: per-file-ignores: the glob '/' can never match"),
    ('[per-file-ignores]\n"../*" = ["HL101"]\n', "hueylint.toml: per-file-ignores: the glob '../*' can never match: "
                                                 "globs are relative to the folder"),
    ('extend-exclude = ["!deploy/../x"]\n', "hueylint.toml: extend-exclude: the glob '!deploy/../x' can never match"),
])
def test_a_glob_that_can_never_match_is_a_configuration_error(git_repo, capsys, config, message):
    write_tree(git_repo, {"hueylint.toml": config, "deploy/a.service": UNIT})
    assert main(["check", "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"hueylint: error: {message}") and err.count("\n") == 1


def test_negated_per_file_ignores_cover_the_files_the_glob_does_not_match(git_repo, capsys):
    # ruff: "!deploy/*" = [...] ignores the rules everywhere except in deploy/
    write_tree(git_repo, {"hueylint.toml": '[per-file-ignores]\n"!deploy/*" = ["HL101"]\n',
                          "deploy/a.service": UNIT, "dev/b.service": UNIT})
    assert findings(capsys)[1] == [("HL101", "deploy/a.service", 6), ("HL104", "deploy/a.service", 6),
                                   ("HL104", "dev/b.service", 6)]


def test_a_gitignore_line_git_cannot_read_is_skipped(git_repo, capsys, ignore_mode):
    write_tree(git_repo, {".gitignore": "!\ndeploy/\n", "deploy/a.service": UNIT, "dev/b.service": UNIT})
    assert findings(capsys)[1] == both("dev/b.service")


@pytest.mark.parametrize("levels, filtered", [
    ([(".", ["node_modules", ".venv", "*.egg-info", "dist"], False)], 5),  # the default excludes' kind
    ([(".", ["build/", "*.log", "!keep.log"], False)], 5),  # folders only, a negation (pathspec's patterns)
    ([(".", ["cache"], False), ("app", ["tmp"], True)], 5),  # a .gitignore below: its say in app/ only
    ([(".", ["cache"], False), ("app", ["tmp", "!tmp/keep"], True)], 3),  # its slash: the path decides in app/
    ([(".", ["docs/*.py"], False)], 0),  # a slash: the whole path decides, no filter
    ([("app", ["generated"], False)], 2),  # a configuration anchored in app/: its ../ paths decide elsewhere
    ([], 5),
])
def test_the_walks_name_filter_never_skips_an_entry_the_rules_exclude(levels, filtered):
    """Rules.name_filter: a name the filter does not match is never excluded (the walk then does not ask)."""
    rules = Rules()
    for base, patterns, scoped in levels:
        rules.levels += [ignores.Level(base, ignores._spec(patterns), scoped=scoped)]
    names = ["node_modules", "x.egg-info", "dist", "build", "a.log", "keep.log", "cache", "tmp", "generated",
             "views.py", "keep", ".venv", "README.md"]
    filters = 0
    for folder in (".", "app", "app/tmp", "docs", "lib/app"):
        found = rules.name_filter(folder)
        filters += found is not None
        for name in names:
            rel = name if folder == "." else f"{folder}/{name}"
            for is_dir in (False, True):
                if found is not None and not found.match(name):
                    assert not rules.entry(rel, is_dir), (folder, name, is_dir)
    assert filters == filtered
