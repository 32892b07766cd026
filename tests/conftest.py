import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def linted(tmp_path_factory):
    """``linted("fixture" | "example", name) -> (root, Result)``: each fixture project and catalog example is
    linted once per session and shared by the tests that check it (findings, launches, snapshots). Treat
    the Result as read-only."""
    import functools

    from tests.helpers import lint_example, lint_fixture

    @functools.cache
    def run(kind: str, name: str):
        where = tmp_path_factory.mktemp(kind)
        return lint_fixture(name, where) if kind == "fixture" else lint_example(name, where)

    return run


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch) -> Path:
    """An empty git repository as the current folder: hueylint's project root, like a user's checkout."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path

@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """The facts cache of every run in the suite (subprocesses inherit it): never the user's own cache."""
    os.environ["HUEYLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("hueylint-cache") / "cache")
    yield


# An exception inside a platform builder or a check is a notice for users (engine._internal_error);
# in tests it must still fail loudly.
os.environ.setdefault("HUEYLINT_DEBUG", "1")
