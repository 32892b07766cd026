"""hueylint.records: frozen records are frozen to mypy, and hash, compare and copy as frozen dataclasses do."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

import pytest

from hueylint.locations import Loc
from hueylint.records import dataclass

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class _Record:
    name: str
    size: int = 0


def test_a_frozen_record_hashes_compares_and_copies_by_its_fields() -> None:
    first, same = _Record("a", 1), _Record("a", 1)
    assert first == same and hash(first) == hash(same) and {first: 1}[same] == 1
    assert first != _Record("a", 2) and repr(first) == "_Record(name='a', size=1)"
    assert dataclasses.replace(first, size=2) == _Record("a", 2)
    assert [field.name for field in dataclasses.fields(Loc)][:3] == ["path", "line", "col"]
    assert not hasattr(first, "__dict__")  # slots=True is passed on


def test_mypy_refuses_an_assignment_to_a_frozen_record(tmp_path: Path) -> None:
    from mypy import api

    probe = tmp_path / "probe.py"
    probe.write_text("from hueylint.locations import Loc\n\nLoc('a', 1).line = 2\n")
    limit = sys.getrecursionlimit()
    try:
        out, _, status = api.run([str(probe), "--no-incremental", "--cache-dir", str(tmp_path / "mypy-cache"),
                                  "--config-file", str(ROOT / "pyproject.toml")])
    finally:
        sys.setrecursionlimit(limit)  # mypy raises it for its own run; later tests read the default depth
    assert status == 1 and 'Property "line" defined in "Loc" is read-only' in out, out


def _twins(body: str, options: str = "") -> tuple[Any, Any]:
    """The class ``body`` decorated by hueylint.records and by the standard library (``frozen=True`` read as
    ``unsafe_hash=True`` for the latter, as records reads it at run time)."""
    made: list[Any] = []
    for decorator in ("records_dataclass", "dataclasses.dataclass"):
        shown = options.replace("frozen=True", "unsafe_hash=True") if decorator != "records_dataclass" else options
        namespace: dict[str, object] = {"records_dataclass": dataclass, "dataclasses": dataclasses,
                                        "field": dataclasses.field}
        exec(f"@{decorator}({shown})\nclass Rec:\n{body}", namespace)  # the test's own source
        made.append(namespace["Rec"])
    return made[0], made[1]


def _same_behaviour(ours: Any, theirs: Any, *argsets: tuple[object, ...]) -> None:
    mine = [ours(*args) for args in argsets]
    std = [theirs(*args) for args in argsets]
    assert [repr(a) for a in mine] == [repr(a) for a in std]
    assert [[a == b for b in mine] for a in mine] == [[a == b for b in std] for a in std]
    assert [[a != b for b in mine] for a in mine] == [[a != b for b in std] for a in std]
    assert (ours.__hash__ is None) == (theirs.__hash__ is None)
    if theirs.__hash__ not in (None, object.__hash__):  # by fields (object's: by identity, differs anyway)
        assert [hash(a) for a in mine] == [hash(a) for a in std]
    assert (ours.__hash__ is object.__hash__) == (theirs.__hash__ is object.__hash__)
    assert mine[0].__eq__(object()) == std[0].__eq__(object())  # NotImplemented: Python tries the other side


SHAPES: dict[str, tuple[str, str, list[tuple[object, ...]]]] = {
    "plain, unhashable": ("    a: int\n    b: str = 'x'\n", "", [(1,), (1, "y"), (1,)]),
    "frozen": ("    a: int\n    b: str = 'x'\n", "frozen=True", [(1,), (2,), (1,)]),
    "frozen with slots": ("    a: int\n", "frozen=True, slots=True", [(1,), (2,), (1,)]),
    "no fields": ("    pass\n", "frozen=True", [(), ()]),
    "one field": ("    a: float\n", "frozen=True", [(float("nan"),), (1.0,)]),
    "fields out of comparison, hash and repr": (
        "    a: int\n    memo: int = field(default=0, compare=False, repr=False)\n"
        "    b: int = field(default=0, hash=False)\n", "frozen=True", [(1, 5, 2), (1, 6, 2), (1, 5, 3)]),
    "an explicit __eq__ kept, __hash__ None by Python": (
        "    a: int\n    def __eq__(self, other):\n        return True\n", "", [(1,), (2,)]),
    "an explicit __hash__ kept": ("    a: int\n    def __hash__(self):\n        return 7\n", "", [(1,), (2,)]),
    "an explicit __repr__ kept": ("    a: int\n    def __repr__(self):\n        return 'R'\n", "frozen=True",
                                  [(1,), (2,)]),
    "ordered: the standard library's": ("    a: int\n", "order=True", [(1,), (2,)]),
    "eq=False: the standard library's": ("    a: int\n", "eq=False", [(1,), (1,)]),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_records_compare_hash_and_show_as_the_standard_librarys(shape: str) -> None:
    body, options, argsets = SHAPES[shape]
    ours, theirs = _twins(body, options)
    _same_behaviour(ours, theirs, *argsets)


def test_an_inherited_record_compares_its_own_class_over_every_field() -> None:
    @dataclass(frozen=True)
    class Base:
        a: int

    @dataclass(frozen=True)
    class Child(Base):
        b: int = 0

    assert Child(1, 2) == Child(1, 2) and Child(1, 2) != Child(1, 3) and Child(1, 0) != Base(1)
    assert repr(Child(1, 2)) == "test_an_inherited_record_compares_its_own_class_over_every_field.<locals>." \
                                "Child(a=1, b=2)"
    assert hash(Child(1, 2)) == hash((1, 2)) and Child.__eq__.__qualname__.endswith("Child.__eq__")


def test_a_record_that_holds_itself_shows_dots() -> None:
    @dataclass
    class Node:
        child: object = None

    node = Node()
    node.child = node
    assert repr(node) == "test_a_record_that_holds_itself_shows_dots.<locals>.Node(child=...)"


def test_an_explicit_hash_with_frozen_is_refused_as_the_standard_library_refuses_it() -> None:
    with pytest.raises(TypeError, match="Cannot overwrite attribute __hash__ in class Rec"):
        _twins("    a: int\n    def __hash__(self):\n        return 7\n", "frozen=True")


def test_every_dataclass_of_hueylint_takes_the_records_decorator() -> None:
    """CONTRIBUTING.md: ``dataclass`` comes from hueylint.records (the standard library's compiles three more
    methods per class)."""
    offenders = []
    for path in sorted((ROOT / "hueylint").rglob("*.py")):
        if path.name == "records.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            names = [name.strip() for name in line.split(" import ", 1)[-1].split(",")]
            if "dataclasses.dataclass" in line or (line.startswith("from dataclasses import") and "dataclass" in names):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []
