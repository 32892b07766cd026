"""The import contracts of pyproject.toml ([tool.importlinter]) hold, and break when a layer is broken.

Runs `lint-imports` (import-linter, a test dependency) in a subprocess: the layers of README.md's
"Architecture" are checked on every test run, not only in CI.  The second test breaks a layer in a copy
of the package, so this test cannot pass when import-linter checks nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on ``cwd``'s pyproject.toml, importing the ``hueylint`` package found in ``cwd``."""
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    command = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command as main; "
               "sys.exit(main())", "--no-cache", "--no-logo", "pyproject.toml"]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_layers_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Layers: data flows one way, from discovery up to the command line KEPT" in result.stdout
    assert "Checks read only the model (and the foundation; fix_edits for their fixes) KEPT" in result.stdout


def _copy(tmp_path: Path) -> Path:
    """The package and its pyproject.toml under ``tmp_path``."""
    shutil.copytree(ROOT / "hueylint", tmp_path / "hueylint", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path / "hueylint"


def test_an_upward_import_breaks_the_layers(tmp_path: Path):
    chain = _copy(tmp_path) / "chain.py"
    # the cycle this contract replaced: the chain calling into the app layer from inside a function
    chain.write_text(chain.read_text(encoding="utf-8") + "\n\ndef _entry():\n"
                     "    from hueylint.pyapp.entry import python_script\n\n    return python_script\n",
                     encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Layers: data flows one way, from discovery up to the command line BROKEN" in result.stdout
    assert "hueylint.chain -> hueylint.pyapp.entry" in result.stdout


def test_a_module_without_a_layer_breaks_the_layers(tmp_path: Path):
    (_copy(tmp_path) / "helpers.py").write_text('"""Somewhere to put things."""\n', encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "The following modules are not listed as layers:\n\n- hueylint.helpers\n" in result.stdout
