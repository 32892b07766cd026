"""The scanned tree is untrusted (a pull request): nothing in it changes a result, is written through, or
makes hueylint read outside it, hang or crash.

One test per kind of attack, each modelled on a reproduction in the robustness cases: a committed cache,
a cache folder that is a symlink, symlinks leaving the tree (file, folder, a folder on the way to a script
read on demand), FIFOs / sockets / devices, and report files (``-o``) aimed at inputs or through links.
The GitHub Action and the pre-commit hook have their own tests (test_action.py, test_precommit.py).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from hueylint import cachestore
from hueylint.cli import main
from hueylint.config import Settings
from hueylint.pyapp import cache as cache_module
from hueylint.pyapp import extract as extract_module
from hueylint.sources import SourceFile
from tests.helpers import write_tree

posix_only = pytest.mark.skipif(os.name != "posix", reason="symlinks, FIFOs and sockets as on POSIX")

# Two hard-coded secrets (HL403 twice) in the Python app: what a poisoned cache entry would hide.
APP = ("from huey import RedisHuey\nfrom huey.serializer import SignedSerializer\n"
       "huey = RedisHuey('my_app', url='redis://:Sup3rS3cretPassw0rd@redis.internal:6379/0',\n"
       "                 serializer=SignedSerializer(secret='TopSecretHmacKey123'))\n"
       "\n\nfrom huey.signals import SIGNAL_INTERRUPTED\n\n\n@huey.signal(SIGNAL_INTERRUPTED)\n"
       "def requeue(signal, task, *args, **kwargs):\n    huey.enqueue(task)\n")
UNIT = ("[Service]\nUser=a\nExecStart=/v/huey_consumer my_app.huey -w 2 -g TERM -t 55\n"
        "ExecReload=/bin/kill -HUP $MAINPID\nTimeoutStopSec=60\nRestart=always\nType=exec\n")
SECRET = "ghp_not_really_a_secret_0123456789"


@pytest.fixture
def repo(git_repo: Path) -> Path:
    return git_repo


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def findings(capsys, *args: str) -> list[tuple[str, str, int]]:
    code, out, _ = cli(capsys, "check", "--format", "json", *args)
    assert code in (0, 1)
    return sorted((f["rule"], f["path"], f["line"]) for f in json.loads(out)["findings"])


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry below ``folder`` (links by target): proves nothing was written there."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            found[rel] = path.read_bytes()
        else:
            found[rel] = "dir"
    return found


# -- the cache ------------------------------------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_CACHE_HOME is the Linux convention")
def test_cache_lives_in_the_user_cache_folder_keyed_by_project_and_version(repo, capsys, monkeypatch, tmp_path_factory):
    write_tree(repo, {"my_app/__init__.py": APP, "huey.service": UNIT})
    before = snapshot(repo)
    xdg = tmp_path_factory.mktemp("xdg")
    monkeypatch.delenv("HUEYLINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    assert findings(capsys) == [("HL403", "my_app/__init__.py", 3), ("HL403", "my_app/__init__.py", 4)]
    assert snapshot(repo) == before  # nothing written into the checked tree
    home = xdg / "hueylint"
    assert (home / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55\n")
    (project,) = [p for p in home.iterdir() if p.is_dir()]
    assert project.name.startswith(f"{repo.name}-") and len(project.name) == len(repo.name) + 17
    # one folder per kind of entry: the facts of Python modules, discovery's verdicts, ...
    (version,) = [p for p in project.iterdir() if p.name.startswith("facts-")]
    assert version.name.startswith(f"facts-{cachestore.__version__}-")
    assert len(list(version.rglob("*.json"))) == 1
    # another hueylint version never reads these entries
    calls: list[str] = []
    real = extract_module.extract
    monkeypatch.setattr(extract_module, "extract", lambda src: calls.append(src.rel) or real(src))
    findings(capsys)
    assert calls == []
    monkeypatch.setattr(cachestore, "__version__", "99.0.0")
    findings(capsys)
    assert calls == ["my_app/__init__.py"]
    assert sorted(p.name.split("-")[1] for p in project.iterdir() if p.name.startswith("facts-")) == sorted(
        ["99.0.0", version.name.split("-")[1]])


def _poison(cache_dir: Path) -> None:
    """Replace every facts entry by the facts of an empty module with the same path (no Huey, no secrets),
    and every discovery verdict by 'not relevant' (the file would not even be read)."""
    for entry in cache_dir.rglob("*.json"):
        data = json.loads(entry.read_text())
        if "files" in data:
            data["files"] = {rel: [*item[:5], "", None] for rel, item in data["files"].items()}
            entry.write_text(json.dumps(data))
            continue
        rel = data["f"]["rel"]
        empty = extract_module.extract(SourceFile(path=Path(rel), rel=rel, text="", format="python"))
        entry.write_text(json.dumps(cache_module.encode(empty)))


def test_a_cache_committed_with_the_checkout_changes_nothing(repo, capsys, monkeypatch, tmp_path_factory):
    """cache-poisoning: entries are keyed by a hash anyone can compute; a PR ships entries hiding HL403."""
    write_tree(repo, {"my_app/__init__.py": APP, "huey.service": UNIT})
    expected = findings(capsys, "--no-cache")
    assert [rule for rule, _, _ in expected] == ["HL403", "HL403"]
    # the attacker runs hueylint with the cache in the tree, then poisons and commits what it wrote
    crafted = tmp_path_factory.mktemp("crafted") / "cache"
    assert findings(capsys, "--cache-dir", str(crafted)) == expected
    _poison(crafted)
    # the attack works on a cache it can write: the emptied module hides both secrets (and its handler)
    assert [rule for rule, _, _ in findings(capsys, "--cache-dir", str(crafted))] == ["HL105"]
    shutil.copytree(crafted, repo / ".hueylint_cache")
    for folder in crafted.glob("*/*"):  # also in the layout of hueylint 0.1 (<root>/.hueylint_cache/<version>-...)
        shutil.copytree(folder, repo / ".hueylint_cache" / folder.name, dirs_exist_ok=True)
    committed = snapshot(repo / ".hueylint_cache")
    fresh = tmp_path_factory.mktemp("ci") / "cache"
    monkeypatch.setenv("HUEYLINT_CACHE_DIR", str(fresh))
    assert findings(capsys) == expected  # CI: the default cache, cold
    assert findings(capsys) == expected  # and warm
    # naming the committed folder (or any folder of the tree) as the cache is refused, with a warning on stderr
    for named in (".hueylint_cache", str(repo / ".hueylint_cache"), "my_app"):
        code, out, err = cli(capsys, "check", "--no-color", "--cache-dir", named)
        assert code == 1 and out.count("HL403") == 2
        assert f"cache folder {repo / named} is inside the checked tree, whose content the checkout decides: " \
               "running without a cache\n" in err
    monkeypatch.setenv("HUEYLINT_CACHE_DIR", ".hueylint_cache")
    assert findings(capsys) == expected
    assert snapshot(repo / ".hueylint_cache") == committed  # never written through
    if sys.platform.startswith("linux"):  # a CI job whose XDG_CACHE_HOME points into the workspace
        shutil.copytree(crafted, repo / ".cache" / "hueylint")
        monkeypatch.delenv("HUEYLINT_CACHE_DIR")
        monkeypatch.setenv("XDG_CACHE_HOME", str(repo / ".cache"))
        assert findings(capsys) == expected


def test_a_cache_inside_a_checked_path_outside_the_root_is_refused(repo, capsys, tmp_path_factory):
    """`hueylint check . ../pr` names a tree outside the project root: it is as untrusted as the root, so a
    cache folder inside it (shipped with it, entries crafted) is neither read nor written, with a warning on stderr."""
    write_tree(repo, {"huey.service": UNIT})
    pr = tmp_path_factory.mktemp("pr")
    write_tree(pr, {"my_app/__init__.py": APP, "deploy/huey.service": UNIT})
    expected = findings(capsys, "--no-cache", ".", str(pr))
    assert [rule for rule, _, _ in expected] == ["HL403", "HL403"]
    crafted = tmp_path_factory.mktemp("crafted") / "cache"
    assert findings(capsys, "--cache-dir", str(crafted), ".", str(pr)) == expected
    _poison(crafted)
    assert findings(capsys, "--cache-dir", str(crafted), ".", str(pr)) == []  # the attack on a cache it can write
    shutil.copytree(crafted, pr / ".cache")
    shipped = snapshot(pr)
    assert findings(capsys, "--cache-dir", str(pr / ".cache"), ".", str(pr)) == expected
    code, out, err = cli(capsys, "check", "--no-color", "--cache-dir", str(pr / ".cache"), ".", str(pr))
    assert code == 1 and out.count("HL403") == 2
    assert f"cache folder {pr / '.cache'} is inside the checked tree, whose content the checkout decides: " \
           "running without a cache\n" in err
    assert snapshot(pr) == shipped


@posix_only
def test_a_cache_folder_that_is_a_symlink_is_refused(tmp_path, capsys, monkeypatch):
    """cache-symlink-writes-outside: no CACHEDIR.TAG, .gitignore or entry is written through a link."""
    src = tmp_path / "src"
    repo = src / "repo"
    write_tree(repo, {"my_app/__init__.py": APP, "huey.service": UNIT})
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    os.symlink("..", repo / ".hueylint_cache")  # committed like any symlink
    monkeypatch.chdir(repo)
    outside = snapshot(src)
    assert len(findings(capsys)) == 2  # the default cache (HUEYLINT_CACHE_DIR of the suite)
    target = tmp_path / "elsewhere"
    target.mkdir()
    os.symlink(target, tmp_path / "cache-link")
    code, out, err = cli(capsys, "check", "--no-color", "--cache-dir", str(tmp_path / "cache-link"))
    assert code == 1 and f"cache folder {tmp_path / 'cache-link'} is a symlink: running without a cache\n" in err
    monkeypatch.setenv("HUEYLINT_CACHE_DIR", str(repo / ".hueylint_cache"))
    code, out, err = cli(capsys, "check", "--no-color")
    assert code == 1 and f"cache folder {repo / '.hueylint_cache'} is a symlink: running without a cache\n" in err
    assert snapshot(src) == outside and list(target.iterdir()) == []


def test_a_cache_folder_that_cannot_be_created_is_said(tmp_path, repo, capsys, monkeypatch):
    """A read-only home, a missing mount: every run would be cold; the run says so once, and reports as usual."""
    import errno

    write_tree(repo, {"my_app/__init__.py": APP, "huey.service": UNIT})

    def read_only(home):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(cachestore, "create_home", read_only)
    target = tmp_path.parent / f"{tmp_path.name}-ro-cache"
    code, out, err = cli(capsys, "check", "--no-color", "--cache-dir", str(target))
    assert code == 1
    assert f"hueylint: warning: cache folder {target} cannot be created (Read-only file system): running without a cache\n" in err
    assert err.count("running without a cache") == 1 and "running without a cache" not in out and not target.exists()


def test_a_folder_hueylint_did_not_create_gets_no_markers(tmp_path, repo, capsys):
    """`--cache-dir ~` by mistake: a CACHEDIR.TAG there would drop the home folder from backups."""
    write_tree(repo, {"my_app/__init__.py": APP})
    home = tmp_path.parent / f"{tmp_path.name}-home"
    write_tree(home, {".bashrc": "alias ll='ls -l'\n"})
    code, out, err = cli(capsys, "check", "--no-color", "--cache-dir", str(home))
    assert code == 1
    assert f"{home} is not a hueylint cache folder (it holds other files and no CACHEDIR.TAG): " \
           "running without a cache\n" in err
    assert sorted(p.name for p in home.iterdir()) == [".bashrc"]
    empty = tmp_path.parent / f"{tmp_path.name}-empty"
    empty.mkdir()
    assert cli(capsys, "check", "-q", "--cache-dir", str(empty))[0] == 1  # an empty folder is adopted
    assert sorted(p.name for p in empty.iterdir() if p.is_file()) == [".gitignore", "CACHEDIR.TAG"]


def test_checking_a_file_outside_git_writes_nothing_next_to_it(tmp_path, capsys, monkeypatch):
    """cache-dir-placement: the cache never lands inside the package that was named."""
    write_tree(tmp_path / "srv/app/my_app", {"__init__.py": APP})
    monkeypatch.chdir(tmp_path.parent)
    before = snapshot(tmp_path)
    findings(capsys, str(tmp_path / "srv/app/my_app/__init__.py"))
    findings(capsys, str(tmp_path / "srv"))
    assert snapshot(tmp_path) == before


def test_inspect_takes_the_cache_options(repo, capsys, tmp_path_factory):
    write_tree(repo, {"my_app/__init__.py": APP, "huey.service": UNIT})
    cache = tmp_path_factory.mktemp("inspect") / "cache"
    assert cli(capsys, "inspect", "--format", "json", "--no-cache", "--cache-dir", str(cache))[0] == 0
    assert not cache.exists()
    code, out, _ = cli(capsys, "inspect", "--format", "json", "--cache-dir", str(cache))
    assert code == 0 and json.loads(out)["launches"][0]["app"]["value"] == "my_app.huey"
    assert len(list(cache.rglob("facts-*/*.json"))) == 1


# -- symlinks ------------------------------------------------------------------------------------------


@posix_only
def test_symlinks_leaving_the_tree_are_never_read(tmp_path, capsys, monkeypatch):
    """symlinks-outside-tree: a file link out of the repository, a folder link (never followed, inside or
    out; a notice only for one leading out), and a folder link on the way to a script a launch names (read on demand)."""
    outside = tmp_path / "outside"
    write_tree(outside, {
        "credentials": f"API_TOKEN={SECRET}\n[Service]\n",
        "system/huey.service": "[Service]\nExecStart=/x/huey_consumer a.huey\n",  # findings if walked
        "scripts/start.sh": f"#!/bin/sh\n# {SECRET}\nhuey_consumer app.huey -w 2\n",  # HL201 if read
    })
    repo = tmp_path / "repo"
    write_tree(repo, {
        "Dockerfile": 'FROM python:3.12\nCOPY scripts/ /srv/\nSTOPSIGNAL SIGINT\nENTRYPOINT ["/srv/start.sh"]\n',
        "deploy/real.service": "[Service]\nExecStart=/v/huey_consumer app.huey\n",
    })
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    os.symlink(outside / "credentials", repo / "deploy.service")
    os.symlink(outside / "system", repo / "usr-link")
    os.symlink(outside / "scripts", repo / "scripts")
    os.symlink("deploy", repo / "deploy-link")  # inside, but folder links are not followed either
    os.symlink("deploy/real.service", repo / "current.service")  # a file link inside: read
    monkeypatch.chdir(repo)
    code, out, err = cli(capsys, "check", "--no-color", "--select", "HL0,HL1,HL2")
    assert SECRET not in out + err
    lines = [line for line in out.splitlines() if ": notice: symlink " in line]
    outside_folder = "notice: symlink to a folder outside the checked tree: not followed, its files are not checked"
    # deploy-link leads to a folder of the tree: walked at its own path, no notice
    assert lines == [
        "deploy.service: notice: symlink leading outside the checked tree: skipped",
        f"scripts: {outside_folder}",
        f"usr-link: {outside_folder}",
        "scripts/start.sh: notice: symlink leading outside the checked tree: skipped",
    ]
    assert "usr-link/" not in out and "HL201" not in out
    reported = {line.split(":")[0] for line in out.splitlines() if ": HL" in line}
    # the link inside is read; as a link to a unit of the tree it is that unit, judged once (at its file)
    assert reported == {"deploy/real.service"}
    assert "current.service: notice: a symlink to the unit `deploy/real.service`: checked there" in out.splitlines()
    # `paths: usr-link deploy-link deploy.service` in a workflow: the pull request decides what the names are
    code, out, err = cli(capsys, "check", "--no-color", "usr-link", "deploy-link", "deploy.service")
    assert SECRET not in out + err
    assert [line for line in out.splitlines() if ": notice: symlink " in line] == [
        f"{name}: notice: symlink leading outside the checked tree: skipped (name its real path to check it)"
        for name in ("usr-link", "deploy.service")]
    assert {line.split(":")[0] for line in out.splitlines() if ": HL" in line} == {"deploy-link/real.service"}


@posix_only
def test_a_symlinked_gitignore_is_not_read(tmp_path, repo, capsys):
    """As git (2.32+): a `.gitignore` that is a link is not followed (it could name any file of the runner)."""
    outside = tmp_path.parent / f"{tmp_path.name}-ignore"
    outside.write_text("*.service\n")
    os.symlink(outside, repo / ".gitignore")
    write_tree(repo, {"huey.service": "[Service]\nExecStart=/v/huey_consumer app.huey\n"})
    assert ("HL101", "huey.service", 2) in findings(capsys)


@posix_only
def test_a_folder_link_inside_the_tree_still_serves_scripts_read_on_demand(repo, capsys):
    write_tree(repo, {
        "Dockerfile": 'FROM python:3.12\nCOPY scripts/ /srv/\nSTOPSIGNAL SIGINT\nENTRYPOINT ["/srv/start.sh"]\n',
        "docker/scripts/start.sh": "#!/bin/sh\nhuey_consumer app.huey -w 2\n",
    })
    os.symlink("docker/scripts", repo / "scripts")
    assert ("HL201", "Dockerfile", 4) in findings(capsys, "--select", "HL201")


@posix_only
def test_include_globs_never_list_a_folder_outside_the_tree(tmp_path, capsys, monkeypatch):
    """A supervisord `[include] files = d/*/*.conf` with `d -> ..` (or any folder of the runner) listed that
    folder: its file names came out in notices, outside programs in findings when they led back inside."""
    outside = tmp_path / "runner-home"
    write_tree(outside, {"secret-name.conf": "[program:leak]\ncommand=/v/huey_consumer leak.huey\n"})
    repo = tmp_path / "repo"
    write_tree(repo, {"supervisord.conf": "[supervisord]\n[include]\nfiles = d/*/*.conf link/*.conf d/in/*.conf\n"
                      "[program:w]\ncommand=/v/huey_consumer app.huey -t 5\nstopsignal=INT\nuser=app\n",
                      "conf.d/extra.conf": "[program:x]\ncommand=/v/huey_consumer app.huey -t 5\n"})
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    os.mkdir(repo / "d")
    os.symlink("../..", repo / "d" / "up")  # the folder above the tree
    os.symlink(outside, repo / "link")
    os.symlink("../conf.d", repo / "d" / "in")  # a folder link inside the tree is followed, as supervisord does
    monkeypatch.chdir(repo)
    code, out, err = cli(capsys, "check", "--no-color", "--format", "concise")
    assert "secret-name" not in out + err and "leak" not in out + err and "runner-home" not in out + err
    outside_folder = "notice: symlink to a folder outside the checked tree: not followed, its files are not checked"
    # d/in leads to conf.d, walked at its own path: no notice
    assert [line for line in out.splitlines() if ": notice: symlink " in line] == [
        f"d/up: {outside_folder}", f"link: {outside_folder}"]
    # the program of the linked folder inside is the walked file's, judged there once
    assert {line.split(":")[0] for line in out.splitlines() if ": HL" in line} == {"supervisord.conf", "conf.d/extra.conf"}


def test_a_tree_deeper_than_python_recursion_is_no_internal_error(repo, capsys, monkeypatch):
    """Finding a Django management command globs `**/management/commands/NAME.py`; pathlib recursed once per
    folder level, and a tree 1,200 folders deep was an internal error (RecursionError, exit 2)."""
    write_tree(repo, {"Procfile": "worker: python manage.py start_worker\n",
                      "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n',
                      "settings.py": 'INSTALLED_APPS = ["app", "huey.contrib.djhuey"]\n', "app/__init__.py": "",
                      "app/management/commands/start_worker.py":
                          'import subprocess\n# huey\nsubprocess.run(["huey_consumer", "app.huey"])\n'})
    deep = str(repo)
    for _ in range(1200):
        deep = os.path.join(deep, "d")
        os.mkdir(deep)
    monkeypatch.chdir(repo)
    try:
        code, out, err = cli(capsys, "check", "--no-color", "--format", "concise")
    finally:  # bottom up: shutil.rmtree (pytest's clean-up) recurses per level too
        while deep != str(repo):
            os.rmdir(deep)
            deep = os.path.dirname(deep)
    assert code != 2 and "internal error" not in out + err
    assert ("d/" * 128).rstrip("/") + ": notice: folder nested more than 128 levels deep: not walked" in out


def test_paths_out_of_the_root_are_never_asked_of_the_file_system(tmp_path):
    """`COPY ../outside/run.sh`, `EnvironmentFile=/etc/...`, a build context `../..`: the paths the scanned files
    write were stat'ed (and a folder out of the tree could be listed); they are no file of the repository."""
    from hueylint.workspace import Workspace, probe

    write_tree(tmp_path, {"outside/run.sh": "#!/bin/sh\n", "repo/Dockerfile": "FROM x\n"})
    root = tmp_path / "repo"
    for kind, arg, answer in [("exists", "../outside/run.sh", False), ("exists", "a/../../outside/run.sh", False),
                              ("read", "../outside/run.sh", None), ("folder", "..", False), ("list", "..", None),
                              ("list", str(tmp_path / "outside"), None), ("list-no-links", "/", None),
                              ("glob", "../outside/*", []), ("exists", "Dockerfile", True), ("list", ".", ["Dockerfile"])]:
        assert probe(root, lambda rel, is_dir: False, kind, arg) == answer, (kind, arg)
    ws = Workspace(root, Settings(root=root))
    assert not ws.exists("../outside/run.sh") and ws.list_folder("../outside") is None and not ws.is_folder("..")


# -- FIFOs, sockets, devices ------------------------------------------------------------------------------


def run_hueylint(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """A subprocess with a deadline: a hang fails the test instead of hanging the suite."""
    return subprocess.run([sys.executable, "-m", "hueylint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "NO_COLOR": "1"})


@posix_only
def test_special_files_are_skipped_with_a_notice(repo):
    """special-files: opening a FIFO blocks, /dev/zero never ends; neither is opened for reading."""
    os.symlink("/dev/zero", repo / "Procfile")
    os.mkfifo(repo / "docker-compose.yml")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(repo / "huey.service"))
        proc = run_hueylint(repo, "check", "--no-cache")
    finally:
        server.close()
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1:] == [
        "Procfile: notice: not a regular file: skipped",
        "docker-compose.yml: notice: not a regular file: skipped",
        "huey.service: notice: not a regular file: skipped",
    ]


@posix_only
def test_special_files_named_on_the_command_line_are_skipped_with_a_notice(repo):
    """A FIFO, socket or device named as a path is skipped as the walk skips one; before, the notice said
    "fifo.service: no such file or folder" of a file that exists."""
    os.mkfifo(repo / "fifo.service")
    os.symlink("/dev/zero", repo / "Procfile")
    proc = run_hueylint(repo, "check", "--no-cache", "fifo.service", "Procfile", "/dev/null")
    assert (proc.returncode, proc.stdout.splitlines()[1:]) == (0, [
        "fifo.service: notice: not a regular file: skipped",
        "Procfile: notice: symlink leading outside the checked tree: skipped (name its real path to check it)",
        "/dev/null: notice: not a regular file: skipped",
    ])


@posix_only
@pytest.mark.parametrize("option", ["--config", "--baseline"])
def test_config_and_baseline_must_be_regular_files_of_bounded_size(repo, option):
    what = "cannot read" if option == "--config" else "cannot read baseline"
    os.mkfifo(repo / "fifo.toml")
    (repo / "big.toml").write_bytes(b"#" * (2 * 1024 * 1024 + 1) if option == "--config" else b"")
    cases = [("fifo.toml", "not a regular file"), ("/dev/zero", "not a regular file")]
    if option == "--config":
        cases.append(("big.toml", "larger than 2 MiB"))
    for name, reason in cases:
        proc = run_hueylint(repo, "check", "--no-cache", option, name)
        assert (proc.returncode, proc.stderr) == (2, f"hueylint: error: {name}: {what}: {reason}\n")


@posix_only
@pytest.mark.parametrize("name", ["hueylint.toml", ".hueylint.toml", "pyproject.toml"])
def test_a_config_file_linking_outside_its_folder_is_refused(repo, tmp_path_factory, capsys, name):
    """A checkout can commit `hueylint.toml -> /home/runner/.ssh/config`: the config found by walking up is
    not read through such a link (its TOML errors would echo the file's keys); a link inside the folder works."""
    outside = tmp_path_factory.mktemp("outside") / "secret.toml"
    outside.write_text(f'[tool.hueylint]\nAPI_TOKEN = "{SECRET}"\n')
    write_tree(repo, {"huey.service": UNIT, "cfg/shared.toml": '[tool.hueylint]\nselect = ["HL101"]\n'})
    (repo / name).symlink_to(outside)
    code, out, err = cli(capsys, "check", "--no-cache")
    assert (code, out) == (2, "")
    assert err == (f"hueylint: error: {repo / name}: a symlink leading outside its folder: refused "
                   "(name the file with --config to use it)\n")
    (repo / name).unlink()
    (repo / name).symlink_to("cfg/shared.toml")
    if name != "pyproject.toml":  # a dedicated file holds the keys at top level
        (repo / "cfg/shared.toml").write_text('select = ["HL101"]\n')
    assert cli(capsys, "check", "--no-cache", "--format", "json")[0] == 0


# -- report files ------------------------------------------------------------------------------------------


def test_output_creates_folders_and_never_replaces_an_input(repo, capsys):
    write_tree(repo, {"huey.service": "[Service]\nExecStart=/v/huey_consumer app.huey\n",
                      "hueylint.toml": 'fail-on = "error"\n'})
    code, _, _ = cli(capsys, "check", "--format", "sarif", "-o", "reports/ci/hueylint.sarif")
    assert code == 1 and json.loads((repo / "reports/ci/hueylint.sarif").read_text())["version"] == "2.1.0"
    before = snapshot(repo)
    for option, target in (("-o", "huey.service"), ("-o", "./huey.service"), ("-o", str(repo / "hueylint.toml")),
                           ("--write-baseline", "huey.service")):
        code, out, err = cli(capsys, "check", "--format", "json", option, target)
        assert (code, out, err) == (2, "", f"hueylint: error: {target}: is a file this run reads; "
                                           "refusing to overwrite it\n")
    assert snapshot(repo) == before


def test_a_failed_render_leaves_the_previous_report(repo, capsys, monkeypatch):
    write_tree(repo, {"huey.service": "[Service]\nExecStart=/v/huey_consumer app.huey\n"})
    (repo / "report.json").write_text("previous report\n")
    import hueylint.reporters as reporters

    def failing(fmt, result, out, options):
        out.write("half a rep")
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(reporters, "render", failing)
    with pytest.raises(RuntimeError):
        main(["check", "--format", "json", "-o", "report.json"])
    assert (repo / "report.json").read_text() == "previous report\n"
    assert sorted(p.name for p in repo.iterdir() if p.name != ".git") == ["huey.service", "report.json"]


@posix_only
def test_output_replaces_a_planted_symlink_instead_of_writing_through_it(tmp_path, repo, capsys):
    """The action writes hueylint.sarif into the checkout: a PR committing it as a link to a file of the
    runner (a shell profile, a git hook) must not get that file overwritten."""
    victim = tmp_path.parent / f"{tmp_path.name}-victim"
    victim.write_text("export PATH=/usr/bin\n")
    os.symlink(victim, repo / "hueylint.sarif")
    write_tree(repo, {"huey.service": "[Service]\nExecStart=/v/huey_consumer app.huey\n"})
    assert cli(capsys, "check", "--format", "sarif", "-o", "hueylint.sarif")[0] == 1
    assert victim.read_text() == "export PATH=/usr/bin\n"
    assert not (repo / "hueylint.sarif").is_symlink()
    assert json.loads((repo / "hueylint.sarif").read_text())["version"] == "2.1.0"
    # a link to a device in the tree is replaced too; a stream the user names outside it is written to
    os.symlink("/dev/null", repo / "report.json")
    assert cli(capsys, "check", "--format", "json", "-o", "report.json")[0] == 1
    assert json.loads((repo / "report.json").read_text())["findings"]
    fifo = tmp_path.parent / f"{tmp_path.name}-fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    assert cli(capsys, "check", "--format", "json", "-o", str(fifo))[0] == 1
    assert json.loads(reader.communicate(timeout=30)[0])["findings"]
    assert cli(capsys, "check", "--format", "json", "-o", "/dev/null")[0] == 1
    assert Path("/dev/null").is_char_device()


@posix_only
def test_output_never_goes_through_a_planted_folder_link(tmp_path, repo, capsys):
    """`-o reports/hueylint.sarif` where the PR commits `reports` as a link to a folder of the runner: the
    report would land outside the checkout (and missing folders be created there). Refused (exit 2), and
    nothing is written outside; a real folder in the tree, or a link that stays inside it, is written to."""
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    os.symlink(outside, repo / "reports")
    write_tree(repo, {"huey.service": "[Service]\nExecStart=/v/huey_consumer app.huey\n"})
    for target in ("reports/hueylint.sarif", "reports/new/deeper/hueylint.sarif"):
        code, _, err = cli(capsys, "check", "--format", "sarif", "-o", target)
        assert (code, err) == (2, f"hueylint: error: {target}: cannot write: a folder on the way is a symbolic "
                                  "link leading outside the checked tree\n")
    code, _, err = cli(capsys, "check", "--write-baseline", "reports/baseline.json")
    assert (code, err) == (2, "hueylint: error: reports/baseline.json: cannot write baseline: a folder on the way "
                              "is a symbolic link leading outside the checked tree\n")
    assert list(outside.iterdir()) == []
    (repo / "inside").mkdir()
    os.symlink("inside", repo / "alias")
    assert cli(capsys, "check", "--format", "sarif", "-o", "alias/hueylint.sarif")[0] == 1
    assert json.loads((repo / "inside/hueylint.sarif").read_text())["version"] == "2.1.0"
