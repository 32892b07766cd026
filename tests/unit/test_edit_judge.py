"""The run cache's early cutoff (engine._edit_judge) makes one Resolver of the walk, at the first edited module
it is asked about, and hands that same one to every later question (none when nothing is asked)."""

from __future__ import annotations

from pathlib import Path

import hueylint.python_edits as python_edits
from hueylint.engine import _edit_judge


def test_one_resolver_made_lazily_and_shared(monkeypatch):
    made: list[object] = []
    given: list[object] = []

    class FakeResolver:
        def __init__(self, root, walked, settings):
            made.append(self)

    def fake_unchanged(root, rel, ledger, cache_dir, resolver):
        given.append(resolver)
        return None

    monkeypatch.setattr(python_edits, "Resolver", FakeResolver)
    monkeypatch.setattr(python_edits, "unchanged", fake_unchanged)
    judge = _edit_judge(Path("."), None, object(), object())  # type: ignore[arg-type]
    assert made == []
    assert judge("a.py", object()) is None
    assert judge("b.py", object()) is None
    assert len(made) == 1 and given == [made[0], made[0]]
    other = _edit_judge(Path("."), None, object(), object())  # type: ignore[arg-type]
    other("a.py", object())
    assert len(made) == 2 and given[-1] is made[1]  # a run of its own: its own resolver
