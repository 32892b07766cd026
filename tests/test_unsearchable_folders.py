"""A folder the user may not search or list (`chmod 000 sub`): a path named below it, the folder named itself, a
`--config` in it, the configuration lookup through it and a walk reaching it each say so in one line, never an
internal error (Python 3.11's ``Path.exists()``/``is_file()`` raise PermissionError there instead of answering).

Root reads every folder, so as root the run drops the capabilities that let it (``setpriv``), as a user's run
has none of them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.helpers import write_tree

_DROP = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search",
         "--inh-caps", "-dac_override,-dac_read_search"]


def _unprivileged() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("root reads every folder, and setpriv is not there to drop that")
    return _DROP


@pytest.fixture
def tree(tmp_path):
    prefix = _unprivileged()
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_tree(tmp_path, {
        "requirements.txt": "huey==2.5.0\n",
        "huey.service": "[Service]\nExecStart=/x/huey_consumer app.huey\nKillSignal=SIGINT\nRestart=always\n"
                        "Type=exec\nUser=app\nExecReload=/bin/kill -HUP $MAINPID\nTimeoutStopSec=60\n",
        "sub/Dockerfile": "FROM python\nCMD [\"huey_consumer\", \"app.huey\"]\n",
    })
    (tmp_path / "sub").chmod(0)
    yield tmp_path, prefix
    (tmp_path / "sub").chmod(0o755)


def _run(tree, *words: str) -> tuple[int, str, str]:
    root, prefix = tree
    env = {**os.environ, "HUEYLINT_CACHE_DIR": str(root / ".." / "cache"), "NO_COLOR": "1"}
    proc = subprocess.run([*prefix, sys.executable, "-m", "hueylint", *words], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def test_a_path_named_below_a_folder_not_searchable_is_one_usage_error(tree):
    assert _run(tree, "check", "huey.service", "sub/Dockerfile") == \
        (2, "", "hueylint: error: sub/Dockerfile: cannot access: Permission denied\n")
    assert _run(tree, "inspect", "sub/Dockerfile") == \
        (2, "", "hueylint: error: sub/Dockerfile: cannot access: Permission denied\n")


def test_a_folder_named_that_cannot_be_listed_is_one_usage_error_never_a_pass(tree):
    """(the configuration lookup starts in it: it was an internal error at `sub/hueylint.toml`; then
    "All checks passed! (0 files checked)", exit 0, with nothing checked)"""
    for words in (["check", "sub"], ["check", "--show-files", "sub"], ["inspect", "sub"]):
        assert _run(tree, *words) == (2, "", "hueylint: error: sub: cannot list folder: Permission denied\n")


def test_a_config_named_in_a_folder_not_searchable_cannot_be_read(tree):
    assert _run(tree, "check", "--config", "sub/hueylint.toml") == \
        (2, "", "hueylint: error: sub/hueylint.toml: cannot read: Permission denied\n")


def test_the_walk_reaching_a_folder_it_cannot_list_says_so_and_checks_the_rest(tree):
    assert _run(tree, "check", "--output-format", "concise") == \
        (0, "All checks passed! (2 files checked; 1 notice below on what was not checked)\n"
            "sub: notice: cannot list folder: Permission denied\n", "")
