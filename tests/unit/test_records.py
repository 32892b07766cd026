"""hueylint.records: frozen records are frozen to mypy, and hash, compare and copy as frozen dataclasses do."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

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
