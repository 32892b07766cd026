"""Module-level patterns compiled at their first use (hueylint.regexes)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import hueylint
from hueylint.regexes import LazyPattern, lazy_pattern


def _module_patterns() -> dict[str, LazyPattern]:
    found: dict[str, LazyPattern] = {}
    for info in pkgutil.walk_packages(hueylint.__path__, "hueylint."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, LazyPattern):
                found[f"{info.name}.{name}"] = value
    return found


def test_every_module_level_pattern_compiles() -> None:
    patterns = _module_patterns()
    assert len(patterns) > 150  # the lazy patterns of every module were found
    for where, pattern in patterns.items():
        try:
            pattern.compiled()
        except re.error as exc:  # pragma: no cover - the failure names the constant
            pytest.fail(f"{where}: {exc}")


def test_a_pattern_compiles_at_its_first_use_and_answers_as_the_compiled_one() -> None:
    compiled = re.compile(r"(?P<key>\w+)=(\d+)", re.IGNORECASE)
    lazy = lazy_pattern(r"(?P<key>\w+)=(\d+)", re.IGNORECASE)
    assert "match" not in vars(lazy)  # nothing compiled yet
    assert lazy.pattern == compiled.pattern
    assert lazy.search("x A=1").group("key") == "A"  # type: ignore[union-attr]
    assert "match" in vars(lazy)  # the compiled pattern's methods are kept
    assert lazy.match("b=2") is not None and lazy.fullmatch("b=2x") is None
    assert lazy.sub(r"\1", "a=1 b=2") == compiled.sub(r"\1", "a=1 b=2") == "a b"
    assert lazy.findall("a=1 b=2") == [("a", "1"), ("b", "2")]
    assert [m.span() for m in lazy.finditer("a=1 b=2")] == [(0, 3), (4, 7)]
    assert lazy.split("a=1,b=2") == compiled.split("a=1,b=2")
    assert (lazy.flags, lazy.groups, lazy.groupindex) == (compiled.flags, compiled.groups, compiled.groupindex)
    assert repr(lazy) == "lazy_pattern('(?P<key>\\\\w+)=(\\\\d+)')"


def test_a_bytes_pattern() -> None:
    lazy = lazy_pattern(rb"huey\w*")
    assert lazy.findall(b"huey_consumer run_huey") == [b"huey_consumer", b"huey"]


def test_a_pattern_that_does_not_compile_raises_at_its_first_use() -> None:
    lazy = lazy_pattern(r"(unclosed")
    with pytest.raises(re.error):
        lazy.search("x")


def test_the_functions_of_re_refuse_the_stand_in() -> None:
    """Documented: a module-level pattern is used through its methods, never passed to ``re.sub``."""
    with pytest.raises(TypeError):
        re.sub(lazy_pattern("a"), "b", "a")


def test_no_module_level_pattern_is_compiled_at_import() -> None:
    """CONTRIBUTING.md: a module-level regular expression is ``lazy_pattern(...)``."""
    root = Path(hueylint.__file__).parent
    offenders = [f"{path.relative_to(root)}:{number}" for path in sorted(root.rglob("*.py"))
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if _MODULE_LEVEL_COMPILE.match(line)]
    assert offenders == []


_MODULE_LEVEL_COMPILE = re.compile(r"[A-Za-z_][\w, ]*(?::[^=]*)? = .*\bre\.compile\(")
