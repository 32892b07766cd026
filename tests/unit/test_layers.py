"""The import contracts of pyproject.toml ([tool.importlinter]) hold, and break when a layer is broken.

Runs `lint-imports` (import-linter, a test dependency) in a subprocess: the layers of README.md's
"Architecture" are checked on every test run, not only in CI.  The second test breaks a layer in a copy
of the package, so this test cannot pass when import-linter checks nothing.
"""

from __future__ import annotations

import os
import re
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


def _contract_layers() -> list[set[str]]:
    """The layers contract of pyproject.toml, top to bottom, each layer as the set of its modules."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    return [{name.strip() for name in re.split(r"[|:]", layer)} for layer in contract["layers"]]


def test_the_readme_architecture_lists_the_contract_layers():
    """README.md's "Architecture" list: one numbered item per layer, naming its modules (outside parentheses)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("The architecture is layered"):]
    items = re.findall(r"^\d+\. (.*?)(?=^\d+\. |^$)", section, flags=re.M | re.S)
    known = set().union(*_contract_layers())
    named = []
    for item in items:
        while re.search(r"\([^()]*\)", item):
            item = re.sub(r"\([^()]*\)", "", item)
        named.append({name.rstrip("/") for name in re.findall(r"`([\w/]+)`", item)} & known)
    assert named == _contract_layers()


def test_the_contributing_picture_shows_the_contract_layers():
    """CONTRIBUTING.md's picture of the layers: one line per layer, its modules in the left column."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    picture = text[text.index("## Layers"):].split("```text\n", 1)[1].split("```", 1)[0]
    layers = [{name.strip().rstrip("/") for name in re.split(r"[|:]", re.split(r"\s{3,}", line.strip())[0])}
              for line in picture.splitlines() if line.strip() and not line.lstrip().startswith("|")]
    assert layers == _contract_layers()
