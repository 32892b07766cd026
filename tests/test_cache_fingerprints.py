"""Each cache's code fingerprint covers every hueylint module that computes its entries.

An entry is reused only by the code that wrote it: the kind's folder name holds a hash of the modules that
compute its entries (:func:`hueylint.cachestore.code_fingerprint`).  A module missing from that list lets a
build of the same version with other code (an editable install, a second worktree, a development build)
reuse entries it would not have computed: ``model.DJANGO_COMMANDS`` changed, and the facts cache kept
giving the launch the old list found.  So the lists are checked against the imports (at any depth,
function-level ones included), and the Python version (whose ``ast`` and ``tomllib`` parse) is hashed too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from hueylint import cachestore, discovery_cache
from hueylint.parsers import yamldocs
from hueylint.pyapp import cache as facts_cache
from hueylint.versions import cache as versions_cache

PACKAGE = Path(cachestore.__file__).parent


def _file(module: str) -> Path | None:
    path = PACKAGE.parent / module.replace(".", "/")
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith("hueylint"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("hueylint"))
    return found


def closure(*modules: str) -> set[str]:
    """The package-relative paths of ``modules`` and every hueylint module they import, at any depth."""
    seen: set[Path] = set()
    todo = [path for path in map(_file, modules) if path is not None]
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo += [found for found in map(_file, _imports(path)) if found is not None]
    return {path.relative_to(PACKAGE).as_posix() for path in seen} - set(cachestore.INFRASTRUCTURE)


@pytest.mark.parametrize(("kind", "roots", "covered"), [
    # the facts store also keeps the import scans (pyapp.imports.cached_scan)
    ("facts", ["hueylint.pyapp.cache", "hueylint.pyapp.extract", "hueylint.pyapp.imports"], set(facts_cache.CODE)),
    ("yaml", ["hueylint.parsers.yamldocs"], set(yamldocs.CODE)),
    ("versions", ["hueylint.versions", "hueylint.versions.cache"],
     {path.relative_to(PACKAGE).as_posix() for path in (PACKAGE / "versions").glob("*.py")}
     | set(versions_cache.SHARED_CODE)),
    ("discovery", ["hueylint.discovery", "hueylint.discovery_cache"], set(discovery_cache.CODE)),
])
def test_the_fingerprint_covers_every_module_the_entries_come_from(kind, roots, covered):
    assert sorted(closure(*roots) - covered) == [], f"the {kind} cache's fingerprint misses these modules"


def test_the_fingerprint_changes_with_the_python_version(monkeypatch, tmp_path):
    source = tmp_path / "module.py"
    source.write_text("X = 1\n")
    before = cachestore.code_fingerprint(1, [source])
    monkeypatch.setattr(cachestore.sys, "version", "3.99.0 (another build)")
    assert cachestore.code_fingerprint(1, [source]) != before


def test_the_parsers_versions_are_part_of_the_fingerprints(monkeypatch, tmp_path):
    """The YAML entries hold what ruamel built and the facts of a file `ast` refuses what libcst parsed: their
    version files are hashed, found where Python imports them from (without importing them)."""
    from hueylint.parsers import yamldocs
    from hueylint.pyapp import cache as facts_cache

    assert [path.as_posix().split("site-packages/")[-1] for path in
            cachestore.library_files("ruamel.yaml/__init__.py", "libcst/_version.py", "no_such_library/x.py")] == [
        "ruamel/yaml/__init__.py", "libcst/_version.py"]
    before = (yamldocs._fingerprint(), facts_cache._code_fingerprint())
    shadow = tmp_path / "deps"
    (shadow / "libcst").mkdir(parents=True)
    (shadow / "libcst" / "__init__.py").write_text("")
    (shadow / "libcst" / "_version.py").write_text("__version__ = '99.0'\n")
    (shadow / "ruamel" / "yaml").mkdir(parents=True)
    (shadow / "ruamel" / "yaml" / "__init__.py").write_text("version_info = (99, 0)\n")
    monkeypatch.setattr(cachestore.sys, "path", [str(shadow), *cachestore.sys.path])
    for name in [name for name in cachestore.sys.modules if name.split(".")[0] in ("ruamel", "libcst")]:
        monkeypatch.delitem(cachestore.sys.modules, name)
    after = (yamldocs._fingerprint(), facts_cache._code_fingerprint())
    assert after[0] != before[0] and after[1] != before[1]


def test_the_toml_parsers_version_is_part_of_the_dependency_fingerprint(monkeypatch, tmp_path):
    """The dependency entries hold what tomli read (pins, HL001 parse errors): its version file is hashed."""
    from hueylint.versions.cache import DependencyCache

    before = DependencyCache(tmp_path / "project", cache_dir=tmp_path / "cache").store.folder.name
    shadow = tmp_path / "deps"
    (shadow / "tomli").mkdir(parents=True)
    (shadow / "tomli" / "__init__.py").write_text("__version__ = '99.0'\n")
    monkeypatch.setattr(cachestore.sys, "path", [str(shadow), *cachestore.sys.path])
    for name in [name for name in cachestore.sys.modules if name.split(".")[0] == "tomli"]:
        monkeypatch.delitem(cachestore.sys.modules, name)
    after = DependencyCache(tmp_path / "project", cache_dir=tmp_path / "cache").store.folder.name
    assert before.startswith("versions-") and after.startswith("versions-") and after != before
