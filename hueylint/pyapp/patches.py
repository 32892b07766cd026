"""gevent monkey-patching: ``monkey.patch_all()`` and the imports that ran before it (HL601)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from hueylint.appmodel import (
    GeventPatch,
)

#: modules that may come before ``monkey.patch_all()``: they create no socket, lock or thread (``typing`` for the
#: annotations a module's first lines import)
_PATCH_OK = frozenset({"sys", "os", "gevent", "__future__", "typing"})

if TYPE_CHECKING:
    from hueylint.pyapp.collector import Collector

def patch_call(c: Collector, node: ast.Call) -> bool:
    """``monkey.patch_all()``: record which imports ran before it (HL601)."""
    qn = c.qualname(node.func) or ""
    if qn not in ("gevent.monkey.patch_all",):
        return False
    here = c.scope_ids
    before = tuple(
        (mod, loc) for mod, loc, scope in c.seen_imports
        if here[:len(scope)] == scope and mod.lstrip(".").split(".")[0] not in _PATCH_OK
    )
    c.facts.gevent_patches.append(GeventPatch(c.loc(node), before, c.if_depth > 0, c.in_function))
    return True


