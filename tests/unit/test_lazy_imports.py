"""What a run imports: the parts of hueylint a run does not need are never loaded (start-up time)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]


def _imported(folder: Path, prefix: str = "hueylint.", cache: str = "--no-cache") -> tuple[str, set[str]]:
    """The exit code of ``hueylint check --no-cache -q folder`` (``cache``: another cache option, such as
    ``--cache-dir=DIR``) run in a fresh interpreter, and the modules starting with ``prefix`` it imported."""
    env = dict(os.environ, PYTHONPATH=str(_ROOT))
    probe = ("import sys\nfrom hueylint import runcache\nfrom hueylint.cli import main\n"
             "runcache.RACY_NS = 0\n"  # the files were written just before: trust their stamps (test_runcache.py)
             f"code = main(['check', {cache!r}, '--exit-zero', '-q', {str(folder)!r}])\n"
             f"print(code, ' '.join(sorted(m for m in sys.modules if m.startswith({prefix!r}))))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True,
                         cwd=folder)
    code, _, modules = out.stdout.strip().splitlines()[-1].partition(" ")
    return code, set(modules.split())


def test_a_run_without_python_or_launch_never_imports_the_app_layer(tmp_path: Path) -> None:
    (tmp_path / "logrotate.conf").write_text("/var/log/app/*.log {\n    daily\n    copytruncate\n}\n")
    code, modules = _imported(tmp_path)
    assert code == "0"
    assert not {"hueylint.pyapp.link", "hueylint.pyapp.entry", "hueylint.chain"} & modules


def test_the_default_exclude_needs_no_pathspec(tmp_path: Path) -> None:
    (tmp_path / "Procfile").write_text("worker: huey_consumer app.huey\n")
    assert "pathspec" not in _imported(tmp_path, "pathspec")[1]
    (tmp_path / "hueylint.toml").write_text('extend-exclude = ["docs/"]\n')  # a glob with a slash: pathspec's
    assert "pathspec" in _imported(tmp_path, "pathspec")[1]


def test_a_python_module_or_a_launch_brings_the_app_layer(tmp_path: Path) -> None:
    python = tmp_path / "python"
    python.mkdir()
    (python / "tasks.py").write_text("from huey import RedisHuey\nhuey = RedisHuey('app')\n")
    launch = tmp_path / "launch"
    launch.mkdir()
    (launch / "Procfile").write_text("worker: huey_consumer app.huey\n")
    for folder in (python, launch):
        code, modules = _imported(folder)
        assert code == "0"
        assert "hueylint.pyapp.link" in modules, folder.name


def test_a_replayed_run_imports_neither_the_model_nor_the_checks(tmp_path: Path) -> None:
    """A run the run cache replays reads stored findings: the model, its facts, the checks and the TOML
    parser stay unloaded (a fifth of a warm run's start-up)."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "Procfile").write_text("worker: huey_consumer app.huey\n")
    cache = f"--cache-dir={tmp_path / 'cache'}"
    first = _imported(tree, "", cache)
    assert first[0] == "0" and {"hueylint.model", "hueylint.checks"} <= first[1]
    code, modules = _imported(tree, "", cache)
    assert code == "0" and "hueylint.runcache" in modules
    assert not {"hueylint.model", "hueylint.launch_facts", "hueylint.checks", "hueylint.platforms",
                "tomli"} & modules
