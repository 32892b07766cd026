"""The run cache (hueylint.runcache): a second identical ``hueylint check`` replays the first one's output
byte for byte without building the model, and every kind of change to what the first run read makes the
next run build again.

Runs are in-process (``cli.main``) on a small git checkout; a run is *replayed* when the platform builders
were not called (``platforms.run_builders`` counts its calls).  The files of a test are written just before
its runs, so the guard against racy writes (``runcache.RACY_NS``: files changed within 2 s of a run are not
trusted) is narrowed to nothing, except in the test of that guard.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from hueylint import cli, platforms, runcache
from tests.helpers import PROJECTS, copy_project, count_builds, git_init, write_tree
from tests.helpers import UNIT_SERVICE as UNIT

TASKS = 'from huey import RedisHuey\n\nhuey = RedisHuey("app", immediate=True)\n'
CONFIG = '[tool.hueylint]\nextend-exclude = ["app"]\n'
FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab")


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """Counts the runs that built the model (the others were replayed)."""
    return count_builds(monkeypatch)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch) -> Path:
    """A checkout whose unit runs an app module in an excluded folder (read for linking only)."""
    root = git_init(tmp_path / "repo")
    write_tree(root, {"deploy/huey.service": UNIT, "app/tasks.py": TASKS, "pyproject.toml": CONFIG})
    monkeypatch.chdir(root)
    return root


def check(capsys, cache: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["check", "--cache-dir", str(cache), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_second_run_replays_every_format_byte_for_byte(tree, builds, capsys, tmp_path):
    cache = tmp_path / "cache"
    for fmt in FORMATS:
        first = check(capsys, cache, "--format", fmt)
        second = check(capsys, cache, "--format", fmt)
        assert second == first, fmt
    assert first[0] == 1  # findings at or above the default fail-on
    assert len(builds) == 1  # every format replays the one run stored
    assert "HL002" in first[1]
    # the text format's code frames come from the stored lines
    text = check(capsys, cache)[1]
    assert "5 | ExecStart=/srv/venv/bin/huey_consumer.py app.tasks.huey -w 4" in text
    assert len(builds) == 1


def test_the_exit_code_is_recomputed_from_the_replayed_findings(tree, builds, capsys, tmp_path):
    cache = tmp_path / "cache"
    assert check(capsys, cache, "--exit-zero")[0] == 0
    assert check(capsys, cache)[0] == 1
    assert check(capsys, cache, "--statistics")[0] == 1
    assert len(builds) == 1
    # fail-on is a setting: another value is another entry, whose exit code follows its own findings
    assert check(capsys, cache, "--fail-on", "error")[0] == 1
    assert len(builds) == 2


def test_statistics_output_and_baseline_reading_replay(tree, builds, capsys, tmp_path):
    cache = tmp_path / "cache"
    baseline = tmp_path / "baseline.json"
    check(capsys, cache, "--write-baseline", str(baseline))  # never replayed: it writes a file
    assert len(builds) == 1
    first = check(capsys, cache, "--baseline", str(baseline), "--statistics")
    second = check(capsys, cache, "--baseline", str(baseline), "--statistics")
    assert first == second
    assert "hidden by the baseline" in first[1]
    assert first[0] == 0
    assert len(builds) == 2


def test_output_to_a_file_still_refuses_the_files_the_run_read(tree, builds, capsys, tmp_path):
    cache = tmp_path / "cache"
    check(capsys, cache)
    code, _, err = check(capsys, cache, "-o", "app/tasks.py")  # read on demand by the stored run
    assert code == 2 and "is a file this run reads" in err
    assert len(builds) == 1


@pytest.mark.parametrize("change", [
    "walked-same-size", "added", "removed", "read-outside-walk", "config", "option", "unused-ignores", "debug",
    "version"])
def test_each_change_makes_the_next_run_build(tree, builds, capsys, tmp_path, change, monkeypatch):
    cache = tmp_path / "cache"
    before = check(capsys, cache)
    check(capsys, cache)
    assert len(builds) == 1
    args: tuple[str, ...] = ()
    if change == "walked-same-size":  # same size, new content: the stamp's mtime and ctime change
        unit = tree / "deploy/huey.service"
        unit.write_text(UNIT.replace("-w 4", "-w 8"), encoding="utf-8")
    elif change == "added":
        (tree / "deploy/other.service").write_text(UNIT, encoding="utf-8")
    elif change == "removed":
        (tree / "deploy/huey.service").unlink()
    elif change == "read-outside-walk":  # app/ is excluded: the unit's app module was read on demand
        (tree / "app/tasks.py").write_text(TASKS.replace("True", "False"), encoding="utf-8")
    elif change == "config":
        (tree / "pyproject.toml").write_text(CONFIG + 'ignore = ["HL106"]\n', encoding="utf-8")
    elif change == "option":
        args = ("--select", "HL002")
    elif change == "unused-ignores":
        args = ("--show-unused-ignores",)
    elif change == "debug":  # HUEYLINT_DEBUG re-raises internal errors instead of reporting them
        monkeypatch.delenv("HUEYLINT_DEBUG", raising=False)
    elif change == "version":
        monkeypatch.setattr(runcache, "__version__", "99.0")
        monkeypatch.setattr(runcache, "_CODE", None)
    after = check(capsys, cache, *args)
    assert len(builds) == 2
    if change in ("added", "removed", "config", "option"):
        assert after[1] != before[1]
    check(capsys, cache, *args)
    assert len(builds) == 2  # and the new result is stored in turn
    # one entry per invocation: other settings or options are another entry; the old one stays
    assert len(_entries(cache)) == (1 if change in ("walked-same-size", "added", "removed", "read-outside-walk",
                                                    "version") else 2)


def test_a_probe_answer_that_changed_makes_the_next_run_build(tree, builds, capsys, tmp_path):
    """The app layer looked for the launch's module in the excluded folder and found nothing; once it
    exists, the walk is the same but the answer is not."""
    (tree / "app/tasks.py").unlink()
    cache = tmp_path / "cache"
    before = check(capsys, cache)
    check(capsys, cache)
    assert len(builds) == 1
    (tree / "app/tasks.py").write_text(TASKS, encoding="utf-8")
    after = check(capsys, cache)
    assert len(builds) == 2
    assert after != before


@pytest.mark.skipif(os.name != "posix", reason="symlinks and hard links as on POSIX")
def test_a_file_read_outside_the_walk_whose_link_now_leaves_the_tree_makes_the_next_run_build(
        tree, builds, capsys, tmp_path):
    """The excluded app module is a symlink to a file inside the tree; re-pointed to a hard link of that file
    outside the tree, its stamp (the target's inode) is the same, but a fresh run refuses to read it."""
    (tree / "app/tasks.py").unlink()
    write_tree(tree, {"app/real/tasks.py": TASKS})
    (tmp_path / "outside").mkdir()
    os.link(tree / "app/real/tasks.py", tmp_path / "outside/tasks.py")  # before the runs: a link sets the ctime
    (tree / "app/tasks.py").symlink_to("real/tasks.py")
    cache = tmp_path / "cache"
    before = check(capsys, cache)
    assert check(capsys, cache) == before and len(builds) == 1
    (tree / "app/tasks.py").unlink()
    (tree / "app/tasks.py").symlink_to(tmp_path / "outside/tasks.py")
    fresh = cli.main(["check", "--no-cache"]), *capsys.readouterr()
    assert "app/tasks.py: notice: symlink leading outside the checked tree" in fresh[1] and fresh != before
    assert check(capsys, cache) == fresh
    assert len(builds) == 3


def test_a_folder_git_now_ignores_beyond_the_walk_makes_the_next_run_build(builds, capsys, tmp_path, monkeypatch):
    """The Makefile builds the image with the context `ctx`, looked up first in the Makefile's folder: the
    folder `worker/ctx` is excluded (not walked) and untracked; once `.git/info/exclude` names it, it is no
    folder of the repository (CI never has it), the build is not understood and the Dockerfile runs alone.
    The walk is the same, but the answer of the ignore rules about that folder is not."""
    root = git_init(tmp_path / "repo")
    project = Path(__file__).parent / "fixtures/field-makefile-built-image/worker"
    write_tree(root, {f"worker/{path.name}": path.read_text(encoding="utf-8")
                      for path in project.iterdir() if path.is_file()})
    write_tree(root, {"worker/app/__init__.py": (project / "app/__init__.py").read_text(encoding="utf-8"),
                      "worker/ctx/keep.txt": "x\n", "pyproject.toml": '[tool.hueylint]\nextend-exclude = ["worker/ctx"]\n'})
    makefile = root / "worker/Makefile"
    makefile.write_text(makefile.read_text(encoding="utf-8").replace("-f Dockerfile .", "-f Dockerfile ctx"),
                        encoding="utf-8")
    monkeypatch.chdir(root)
    cache = tmp_path / "cache"
    before = check(capsys, cache, "--format", "concise")
    assert check(capsys, cache, "--format", "concise") == before and len(builds) == 1
    assert before[1] == "All checks passed! (7 files checked)\n"
    (root / ".git/info").mkdir(exist_ok=True)
    with open(root / ".git/info/exclude", "a", encoding="utf-8") as exclude:
        exclude.write("worker/ctx/\n")
    fresh = cli.main(["check", "--no-cache", "--format", "concise"]), *capsys.readouterr()
    assert [line.split(" ")[:2] for line in fresh[1].splitlines()[:-2]] == [
        ["worker/Dockerfile:6:1:", "HL101"], ["worker/Dockerfile:6:1:", "HL102"], ["worker/Dockerfile:6:1:", "HL701"],
        ["worker/Dockerfile:6:14:", "HL201"], ["worker/app/__init__.py:3:8:", "HL105"]]
    assert check(capsys, cache, "--format", "concise") == fresh
    assert len(builds) == 3


def test_a_new_dependency_folder_changes_the_code_fingerprint(monkeypatch, tmp_path):
    monkeypatch.setattr(runcache, "_CODE", None)
    folder = tmp_path / "site-packages"
    folder.mkdir()
    monkeypatch.setattr(sys, "path", [*sys.path, str(folder)])
    before = runcache.code_stamp()
    assert runcache.code_stamp() == before  # once per process
    monkeypatch.setattr(runcache, "_CODE", None)
    (folder / "newdep").mkdir()  # pip installs a package: the folder's mtime and ctime change
    os.utime(folder, ns=(1, 1))
    assert runcache.code_stamp() != before


def test_a_dependency_outside_site_packages_is_part_of_the_code_fingerprint(monkeypatch, tmp_path):
    """A dependency on PYTHONPATH (or installed in editable mode) shadows the installed one: its folder is
    stamped, so upgrading it there (the folder re-created) changes the fingerprint."""
    monkeypatch.setattr(runcache, "_CODE", None)
    installed = runcache.code_stamp()
    shadow = tmp_path / "deps"
    (shadow / "pathspec").mkdir(parents=True)
    (shadow / "pathspec" / "__init__.py").write_text("")
    monkeypatch.setattr(sys, "path", [str(shadow), *sys.path])
    monkeypatch.setattr(runcache, "_CODE", None)
    assert str(shadow / "pathspec") in runcache._dependency_folders()
    shadowed = runcache.code_stamp()
    assert shadowed != installed
    (shadow / "pathspec").rename(shadow / "old")
    (shadow / "pathspec").mkdir()  # upgraded: a new folder
    monkeypatch.setattr(runcache, "_CODE", None)
    assert runcache.code_stamp() != shadowed


def test_the_fingerprinted_dependencies_are_pyprojects():
    import re
    import tomllib

    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    import_names = {"PyYAML": "yaml"}  # where a distribution's import name is not its own
    names = {re.split(r"[<>=!~\[ ;]", dep, maxsplit=1)[0].replace("-", "_") for dep in project["project"]["dependencies"]}
    assert {import_names.get(name, name) for name in names} == set(runcache.DEPENDENCIES)


def test_no_cache_neither_reads_nor_writes(tree, builds, capsys, tmp_path):
    cache = tmp_path / "cache"
    check(capsys, cache, "--no-cache")
    assert not cache.exists()
    check(capsys, cache)
    check(capsys, cache, "--no-cache")
    assert len(builds) == 3


def _entries(cache: Path) -> list[Path]:
    return [path for path in cache.glob("*/runs-*/*.json")]


@pytest.mark.parametrize("content", [b"{not json", b'{"schema": 1}', b"[]", None])
def test_a_corrupt_entry_is_a_miss(tree, builds, capsys, tmp_path, content):
    cache = tmp_path / "cache"
    first = check(capsys, cache)
    (entry,) = _entries(cache)
    if content is None:  # the right layout with a finding of the wrong shape
        data = json.loads(entry.read_bytes())
        data["result"]["findings"][0]["loc"] = ["deploy/huey.service", "5", 1, 5, 2, ""]
        content = json.dumps(data).encode()
    entry.write_bytes(content)
    assert check(capsys, cache) == first
    assert len(builds) == 2
    assert check(capsys, cache) == first  # rewritten: replayed again
    assert len(builds) == 2


def test_a_refused_cache_folder_is_never_replayed(tree, builds, capsys):
    inside = tree / ".hueylint-cache"  # inside the checked tree: the checkout could plant entries
    first = check(capsys, inside)
    assert check(capsys, inside) == first
    assert len(builds) == 2
    assert not inside.exists()


def test_a_run_that_read_a_file_written_just_before_is_not_stored(tree, builds, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(runcache, "RACY_NS", runcache.RACY_NS.__class__(2_000_000_000))
    cache = tmp_path / "cache"
    check(capsys, cache)  # every file was written a moment ago
    check(capsys, cache)
    assert len(builds) == 2
    assert _entries(cache) == []


def test_stdin_fix_and_diff_are_never_replayed(tree, builds, capsys, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    check(capsys, cache, "--diff")
    check(capsys, cache, "--diff")
    assert len(builds) >= 2
    assert _entries(cache) == []
    with open(tree / "deploy/huey.service", encoding="utf-8") as unit:
        monkeypatch.setattr(sys, "stdin", unit)
        check(capsys, cache, "-", "--stdin-filename", "deploy/huey.service")
    assert _entries(cache) == []


def test_the_probes_ask_what_the_builders_asked(tmp_path):
    """Each probe kind the run cache asks again (workspace.probe), on a tree with a symlinked entry."""
    from hueylint.workspace import probe

    write_tree(tmp_path, {".github/workflows/ci.yml": "on: push\n", "conf/a.conf": "", "conf/b.ini": ""})
    (tmp_path / ".github/workflows/linked.yml").symlink_to(tmp_path / "conf/a.conf")
    (tmp_path / "linked").symlink_to(tmp_path / ".github")
    never = lambda rel, is_dir: False
    assert probe(tmp_path, never, "list", ".github/workflows") == ["ci.yml", "linked.yml"]
    assert probe(tmp_path, never, "list-no-links", ".github/workflows") == ["ci.yml"]
    assert probe(tmp_path, never, "list-no-links", "linked/workflows") is None  # through a linked folder
    assert probe(tmp_path, never, "list", "missing") is None
    assert probe(tmp_path, never, "glob", "conf/*.conf") == ["conf/a.conf"]
    assert probe(tmp_path, never, "folder", "conf") is True
    assert probe(tmp_path, never, "exists", "conf/a.conf") is True
    assert probe(tmp_path, lambda rel, is_dir: rel == "conf/a.conf", "exists", "conf/a.conf") is False
    assert probe(tmp_path, lambda rel, is_dir: is_dir and rel == "conf", "ignored-dir", "conf") is True
    assert probe(tmp_path, lambda rel, is_dir: is_dir and rel == "conf", "ignored", "conf") is False
    assert probe(tmp_path, never, "read", "conf/b.ini")[0] == 0  # the stamp: size first
    assert probe(tmp_path, never, "read", "conf/" + "x" * 5000) is None
    with pytest.raises(ValueError):
        probe(tmp_path, never, "other", "conf")
    from hueylint.config import Settings
    from hueylint.workspace import Workspace

    ws = Workspace(root=tmp_path, settings=Settings(root=tmp_path))
    assert ws.list_folder(".github/workflows", links=False) == ["ci.yml"]
    assert ws.list_folder(".github/workflows") == ["ci.yml", "linked.yml"]
    assert ws.glob_files("conf/*.ini") == ["conf/b.ini"] and ws.is_folder("conf") and ws.exists("conf/a.conf")
    assert ws.probes == {("list-no-links", ".github/workflows"): ["ci.yml"],
                         ("list", ".github/workflows"): ["ci.yml", "linked.yml"], ("glob", "conf/*.ini"): ["conf/b.ini"],
                         ("folder", "conf"): True, ("exists", "conf/a.conf"): True}


def test_the_globs_of_a_run_list_the_tree_once(tmp_path, monkeypatch):
    """Two ``**`` globs of one run (two management commands looked for by name) answer what each gives alone,
    through a symlinked folder and one leading out of the tree too; the second lists no folder again."""
    import os

    from hueylint import discovery, workspace
    from hueylint.workspace import probe

    write_tree(tmp_path / "tree", {"a/management/commands/run_huey.py": "", "b/c/management/commands/run_huey.py": "",
                                   "b/c/management/commands/other.py": "", "d/management/readme.txt": ""})
    root = tmp_path / "tree"
    (root / "linked").symlink_to(root / "b")  # inside the tree: its files are named by their real folder
    (tmp_path / "out/management/commands").mkdir(parents=True)
    (tmp_path / "out/management/commands/run_huey.py").write_text("")
    (root / "outside").symlink_to(tmp_path / "out")
    never = lambda rel, is_dir: False
    patterns = ["**/management/commands/run_huey.py", "**/management/commands/other.py", "*/management/*/*.py",
                "linked/*/management/commands/*.py", "outside/management/commands/*.py", "b/**/run_huey.py",
                "**/commands/**/*.py", "**/**/other.py", "b/**"]
    alone = [probe(root, never, "glob", pattern) for pattern in patterns]
    assert alone[:2] == [["a/management/commands/run_huey.py", "b/c/management/commands/run_huey.py"],
                         ["b/c/management/commands/other.py"]]
    assert alone[3] == ["b/c/management/commands/other.py", "b/c/management/commands/run_huey.py"] and alone[4] == []
    assert alone[5:] == [["b/c/management/commands/run_huey.py"], sorted(alone[0] + alone[1]), alone[1], []]
    listed: list[str] = []
    scandir = os.scandir
    monkeypatch.setattr(workspace.os, "scandir", lambda path: listed.append(path) or scandir(path))
    entered: list[str] = []  # the folders a `**` was asked to go into
    repository_folder = workspace._repository_folder
    monkeypatch.setattr(workspace, "_repository_folder", lambda *args: entered.append(args[3]) or repository_folder(*args))
    listings: discovery.Listings = {}
    assert [probe(root, never, "glob", pattern, listings) for pattern in patterns] == alone
    first, asked = len(listed), len(entered)
    assert first and probe(root, never, "glob", "**/management/commands/later.py", listings) == []
    assert len(listed) == first  # the tree was listed by the first globs
    assert len(entered) == asked and len(set(entered)) == asked  # and each folder judged once for `**`


def test_a_replay_lists_the_tree_once_for_all_its_globs(builds, capsys, tmp_path, monkeypatch):
    """Replaying asks each glob again, sharing the folder listings of the walk and of each other as the run did:
    two management commands looked for by name (``**/management/commands/NAME.py``) list no folder twice."""
    root = git_init(tmp_path / "repo")
    command = "from huey.contrib.djhuey.management.commands.run_huey import Command\n"
    write_tree(root, {"Procfile": "worker: python manage.py work\nbeat: python manage.py beat\n",
                      "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
                      "site/settings.py": "INSTALLED_APPS = ['huey.contrib.djhuey', 'app']\n", "a/b/c/d.txt": "",
                      "app/management/commands/work.py": command, "app/management/commands/beat.py": command})
    monkeypatch.chdir(root)
    cache = tmp_path / "cache"
    first = check(capsys, cache)

    listed: list[str] = []  # the folders the walk and the globs listed
    scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path: listed.append(os.fspath(path)) or scandir(path))
    assert check(capsys, cache) == first and len(builds) == 1
    assert str(root / "a/b") in listed and not any("/.git" in path for path in listed)  # no glob goes into .git
    assert len(listed) == len(set(listed)), sorted(listed)


def test_a_double_star_glob_skips_the_folders_no_walk_enters(tmp_path):
    """``**`` goes into no folder the walk never enters (``.git``, ``node_modules``, ``__pycache__``, a build
    output, a virtualenv) nor one git ignores; a named part still does (``node_modules/x/*.py``)."""
    from hueylint.workspace import probe

    command = "management/commands/run_huey.py"
    root = tmp_path / "tree"
    write_tree(root, {f"app/{command}": "", f".git/x/{command}": "", f"node_modules/pkg/{command}": "",
                      f"build/lib/app/{command}": "", f"venv/lib/{command}": "", "venv/pyvenv.cfg": "",
                      f"media/{command}": "", f"build/app/{command}": ""})
    ignored = lambda rel, is_dir: rel == "media"
    assert probe(root, ignored, "glob", f"**/{command}") == [f"app/{command}", f"build/app/{command}"]
    assert probe(root, ignored, "glob", f"node_modules/*/{command}") == [f"node_modules/pkg/{command}"]


def test_a_double_star_glob_enters_the_walked_folders_without_judging_them_again(tmp_path, monkeypatch):
    """A folder the walk entered (with git's answer in) is one ``**`` enters: the glob does not ask the ignore
    rules of it again, and answers what it answers without the walk's listings; a folder the configuration
    excludes is judged by the glob itself (a launch may name a module there), one git ignores or a
    virtualenv is not entered."""
    from hueylint import workspace
    from hueylint.discovery import walk_tree
    from hueylint.workspace import probe

    command = "management/commands/run_huey.py"
    root = git_init(tmp_path / "repo")
    write_tree(root, {".gitignore": "media/\n", f"app/{command}": "", f"app/sub/{command}": "",
                      f"excluded/{command}": "", f"media/{command}": "", f"venv/lib/{command}": "",
                      "venv/pyvenv.cfg": "", f"excluded/inner/{command}": ""})
    walked = walk_tree([root], root, ["excluded"])
    assert ("app", "walked") in walked.listings and ("app/sub", "walked") in walked.listings
    assert not any((name, "walked") in walked.listings for name in ("excluded", "media", "venv", "", "."))
    patterns = [f"**/{command}", "**/run_huey.py", "app/**/*.py"]
    alone = [probe(root, walked.gitignored, "glob", pattern) for pattern in patterns]
    assert alone[0] == sorted([f"app/sub/{command}", f"app/{command}", f"excluded/inner/{command}", f"excluded/{command}"])
    judged: list[str] = []
    repository_folder = workspace._repository_folder
    monkeypatch.setattr(workspace, "_repository_folder", lambda *args: judged.append(args[3]) or repository_folder(*args))
    listings = dict(walked.listings)
    assert [probe(root, walked.gitignored, "glob", pattern, listings) for pattern in patterns] == alone
    assert {".git", "excluded", "excluded/inner", "media", "venv"} <= set(judged)
    assert not [rel for rel in judged if rel.startswith("app")]  # the walk entered app/ and everything below it


def test_the_walks_listings_answer_as_the_file_system_does(tmp_path, monkeypatch):
    """``exists`` and ``folder`` probes read the folders the walk listed (a name missing there is no file,
    without a ``stat``) and give the file system's answer: below a folder the walk skipped or entered through
    a link, for a symlinked file, a folder, a missing folder, a name in another case (Linux's answer)."""
    from hueylint.discovery import walk_tree
    from hueylint.workspace import probe

    root = tmp_path / "tree"
    write_tree(root, {"app/tasks.py": "", "app/sub/x.py": "", "node_modules/pkg/index.py": "", "real/m.py": "",
                      "keep.txt": ""})
    (root / "linked").symlink_to(root / "real")
    (root / "app/alias.py").symlink_to(root / "app/tasks.py")
    walked = walk_tree([root], root, ["node_modules"])
    assert ("app", "scan") in walked.listings and ("node_modules", "scan") not in walked.listings
    never = lambda rel, is_dir: False
    questions = ["app/tasks.py", "app/alias.py", "app/missing.py", "app/sub", "app/sub/x.py", "app/Tasks.py",
                 "missing/deeper/x.py", "node_modules/pkg/index.py", "node_modules/none.py", "linked/m.py",
                 "linked/none.py", "keep.txt", "", "app", "app/tasks.py/x", "app/sub/../tasks.py", "app/./tasks.py",
                 "./app/tasks.py", "app//tasks.py", "app/sub/", "app/.", "linked/../app/tasks.py", "app/sub/../none.py"]
    for kind in ("exists", "folder"):
        expected = [probe(root, never, kind, arg) for arg in questions]
        assert [probe(root, never, kind, arg, walked.listings) for arg in questions] == expected, kind
    assert [probe(root, never, "exists", arg) for arg in questions[:7]] == [True, True, False, False, True, False,
                                                                             False]
    asked: list[str] = []  # what the file system is asked once the listings answer
    isfile, isdir = os.path.isfile, os.path.isdir
    monkeypatch.setattr(os.path, "isfile", lambda path: asked.append(path) or isfile(path))
    monkeypatch.setattr(os.path, "isdir", lambda path: asked.append(path) or isdir(path))
    assert not probe(root, never, "exists", "missing/deeper/x.py", walked.listings)
    assert not probe(root, never, "folder", "app/missing", walked.listings)
    assert probe(root, never, "exists", "app/tasks.py", walked.listings) and asked == [str(root / "app/tasks.py")]


def test_every_fixture_replays_its_reports(tmp_path, monkeypatch):
    """The snapshot suite's reports (text, concise, JSON, SARIF, GitLab) of every fixture project, replayed:
    byte for byte the reports of the run that stored them."""
    from hueylint.catalog import rule_ids
    from hueylint.config import Settings, build_settings, find_config
    from hueylint.engine import Options, run
    from tests.test_snapshots import FIXTURE_FORMATS, render_all

    monkeypatch.setattr(runcache, "RACY_NS", 0)
    known = rule_ids()
    for project in PROJECTS:
        root = copy_project(project, tmp_path / "projects").resolve()
        config = find_config(root)
        settings = build_settings(config, root, known) if config else Settings(root=root)
        options = Options(replay=True, cache_dir=str(tmp_path / "cache"))
        first = render_all(run([root], settings, options), root, tmp_path)
        monkeypatch.setattr(platforms, "run_builders", _no_build)
        replayed = run([root], settings, options)
        monkeypatch.undo()
        monkeypatch.setattr(runcache, "RACY_NS", 0)
        assert render_all(replayed, root, tmp_path) == first, project.name
        assert set(first) == set(FIXTURE_FORMATS)


def _no_build(*args, **kwargs):
    raise AssertionError("a replayed run must not build the model")


def test_a_file_dated_in_the_future_does_not_keep_runs_from_being_stored(tree, builds, capsys, tmp_path):
    future = 4_000_000_000 * 10**9  # the year 2096, as an archive may carry it: a date set, not a write
    os.utime(tree / "deploy/huey.service", ns=(future, future))
    cache = tmp_path / "cache"
    assert check(capsys, cache) == check(capsys, cache)
    assert len(builds) == 1


def test_the_cache_keeps_the_newest_entries(tree, builds, capsys, tmp_path, monkeypatch):
    """pre-commit names the changed files: each list of paths is an entry, and the oldest ones go."""
    monkeypatch.setattr(runcache, "MAX_ENTRIES", 2)
    cache = tmp_path / "cache"
    for paths in (["deploy"], ["app"], ["deploy/huey.service"], ["."]):
        check(capsys, cache, *paths)
    assert len(_entries(cache)) == 2
    check(capsys, cache, "deploy/huey.service")
    check(capsys, cache, ".")
    assert len(builds) == 4  # the two newest were replayed
    check(capsys, cache, "deploy")  # removed: built and stored again, in place of the least recently used
    check(capsys, cache, ".")
    assert len(builds) == 5
    check(capsys, cache, "deploy/huey.service")
    assert len(builds) == 6


def test_an_entry_round_trips_through_json_with_any_file_name():
    """A non-UTF-8 file name (surrogateescape) and every field the reporters read come back as they were."""
    from hueylint.discovery import Notice
    from hueylint.findings import Edit, Finding, Fix, Related, Severity
    from hueylint.locations import Loc

    name = b"deploy/d\xe9ploiement.service".decode("utf-8", "surrogateescape")
    finding = Finding("HL101", "stops `worker` with SIGTERM", Loc(name, 4, 1, 4, 10), Severity.ERROR,
                      [Related(Loc(name, 5, 2, 5, 3), "the consumer command")],
                      Fix("add -g TERM", (Edit(name, 5, 1, 5, 1, "-g TERM "),), "unsafe"), "3f0c:1")
    default = Finding("HL104", "no -t", Loc.platform_default("systemd default"), Severity.NOTE)
    replay = runcache.Replay([finding, default], [Notice(name, "internal error in rule HL101 (X)")], 3, 1,
                             ["no deployment file"], ["/repo/" + name], {(name, 4): "[Service] \udcff"}, {"n": 1})
    text = json.dumps(runcache.encode(replay))
    assert runcache.decode(json.loads(text)) == replay


def test_a_run_with_an_internal_error_is_not_replayed(tree, builds, capsys, tmp_path, monkeypatch):
    """An internal error can be transient (a RecursionError on a smaller stack, an OSError of the moment):
    replaying it would fail every later run (exit 2) until a file changed, as no fresh run would."""
    from hueylint import checks

    monkeypatch.delenv("HUEYLINT_DEBUG", raising=False)  # the suite re-raises internal errors
    cache = tmp_path / "cache"
    real = checks.all_checks

    def failing() -> dict:
        def too_deep(project, ctx):
            raise RecursionError("maximum recursion depth exceeded")
        return {**real(), "HL002": too_deep}

    monkeypatch.setattr(checks, "all_checks", failing)
    code, out, _err = check(capsys, cache, "--format", "concise")
    assert code == 2 and "error: internal error in rule HL002" in out
    monkeypatch.setattr(checks, "all_checks", real)
    code, out, _err = check(capsys, cache, "--format", "concise")
    assert code == 1 and "internal error" not in out
    assert out.splitlines()[3:] == [  # (HL106, HL202 and HL701 notes at the [Service] line first)
        "deploy/huey.service:5:11: HL002 [error] `/srv/venv/bin/huey_consumer.py`: huey 3.0 stopped installing "
        "`huey_consumer.py` (huey version unknown, newest assumed), so this command fails with 'not found'. Fix: run "
        "`huey_consumer` (same options)", "Found 4 findings (1 error, 3 notes) in 3 files checked.",
        "[*] 2 fixable with the `--fix` option."]
    assert len(builds) == 2


def test_the_walk_digest_hashes_paths_stamps_and_notices_and_leaves_loose_stamps_out():
    """:func:`runcache._walk_digest`: every repo path, stamp, root and notice counts; a ``loose`` file's stamp
    does not (its path does); a stamp beyond 64 bits is hashed too, and so is a name no UTF-8 encodes."""
    from hueylint.discovery import Notice, Walked

    def walked(stamps, notices=(), roots=(".",)):
        return Walked([(f"/r/{rel}", rel) for rel in stamps], list(notices), dict(stamps), list(roots),
                      lambda rel, is_dir: False)

    base = {"a.py": (1, 2, 3, 4, 5), "b/c.yml": (6, 7, 8, 9, 10)}
    digest = runcache._walk_digest
    same = digest(walked(base))
    assert same == digest(walked(dict(base))) and len(same) == 64
    changed = {**base, "a.py": (1, 2, 4, 4, 5)}
    assert digest(walked(changed)) != same
    assert digest(walked(changed), {"a.py"}) == digest(walked(base), {"a.py"}) != digest(walked(base))
    assert digest(walked({**base, "b/c.yml": (6, 7, 9, 9, 10)}), {"a.py"}) != digest(walked(base), {"a.py"})
    assert digest(walked({"a.py": base["a.py"], "b/d.yml": base["b/c.yml"]})) != same  # a path
    assert digest(walked(base, [Notice("x", "skipped")])) != same and digest(walked(base, roots=["a"])) != same
    huge = {"a.py": (1, 2, 3, 2**64 + 1, 5)}  # (an inode number no 64-bit integer holds)
    assert digest(walked(huge)) != digest(walked({"a.py": (1, 2, 3, 2**64 + 2, 5)}))
    assert digest(walked({"\udcff.py": (1,) * 5})) != digest(walked({"x.py": (1,) * 5}))  # an undecodable name


def test_a_changed_origin_remote_makes_the_next_run_build(builds, capsys, tmp_path, monkeypatch):
    """The repository's own image is the one named after `.git/config`'s origin: once the remote names another
    repository, `ghcr.io/acme/shop` is no longer its image, and a replay of the run before would be wrong."""
    root = copy_project(Path(__file__).parent / "fixtures/field-repository-named-image", tmp_path)
    monkeypatch.chdir(root)
    cache = tmp_path / "cache"
    before = check(capsys, cache, "--format", "concise")
    assert check(capsys, cache, "--format", "concise") == before and len(builds) == 1
    assert before[1].count("HL101") == 1 and "in 6 files checked." in before[1]  # (`.git/config` is not one)
    config = root / ".git/config"
    config.write_text(config.read_text(encoding="utf-8").replace("Acme/Shop", "other/shop"), encoding="utf-8")
    after = check(capsys, cache, "--format", "concise")
    assert after[1].count("HL101") == 2 and len(builds) == 2
