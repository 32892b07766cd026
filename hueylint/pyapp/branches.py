"""Where a statement sits: the if/try/loop branch around it, and whether that branch looks like development."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import libcst as cst

if TYPE_CHECKING:
    from hueylint.pyapp.collector import Collector

_DEV_WORDS = re.compile(r"debug|test|dev|local", re.I)
_PROD_WORDS = re.compile(r"prod|staging|live|deploy", re.I)


def branch_of(c: Collector) -> dict[str, Any]:
    """``branch`` and ``dev_branch`` of the innermost if/try branch being visited (see HueyInstance).

    In an ``if``/``elif``/``else`` chain every test on the way counts: the ``else`` of ``if prod`` is a
    development branch even when a later ``elif DEBUG`` is false there."""
    branch = ""
    looks: list[bool] = []
    for index in range(len(c.stack) - 2, -1, -1):
        node, child = c.stack[index], c.stack[index + 1]
        if isinstance(node, cst.If):
            if child is node.orelse and isinstance(child, cst.If):
                pass  # an elif: its own test was read below
            elif child is not node.body and child is not node.orelse:
                continue  # inside the test itself
            test = c.code(node.test)
            text = " ".join(test.split())
            text = text if len(text) <= 80 else text[:77] + "..."
            positive = child is node.body
            negated = text.startswith("not ") or " != " in text or " not in " in text
            dev = bool(_DEV_WORDS.search(test)) and not _PROD_WORDS.search(test)
            prod = bool(_PROD_WORDS.search(test)) and not _DEV_WORDS.search(test)
            if (dev or prod) and not (child is node.orelse and isinstance(child, cst.If)):
                looks.append(dev if positive != negated else not dev)
            elif (dev or prod) and prod != negated:
                looks.append(True)  # the elif chain runs only when the production test failed
            if not branch:
                branch = f"if {text}" if positive else f"else of `if {text}`"
            above = c.stack[index - 1] if index else None
            if isinstance(above, cst.If) and above.orelse is node:
                continue  # part of an elif chain: the tests above count too
            break
        if branch:
            break
        if isinstance(node, (cst.Try, cst.TryStar)):
            if isinstance(child, (cst.ExceptHandler, cst.ExceptStarHandler)):
                kind = c.code(child.type) if child.type is not None else ""
                return {"branch": f"except {kind}".strip(), "dev_branch": None}
            return {"branch": "try" if child is node.body else "else of `try`", "dev_branch": None}
        if isinstance(node, (cst.For, cst.While)):
            return {"branch": "loop body", "dev_branch": None}
    if not branch:
        return {}
    return {"branch": branch, "dev_branch": True if True in looks else (False if looks else None)}


def where(c: Collector) -> dict[str, Any]:
    """``conditional``, ``branch`` and ``dev_branch`` of a setting defined where the collector stands."""
    return {"conditional": c.branch_depth > 0, **branch_of(c)}


