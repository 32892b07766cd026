"""Where a statement sits: the if/try/loop branch around it, and whether that branch looks like development."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Any

from hueylint.regexes import lazy_pattern
from hueylint.words import clipped

if TYPE_CHECKING:
    from hueylint.pyapp.collector import Collector

_DEV_WORDS = lazy_pattern(r"debug|test|dev|local", re.I)
_PROD_WORDS = lazy_pattern(r"prod|staging|live|deploy", re.I)


_TRIES = (ast.Try, ast.TryStar) if hasattr(ast, "TryStar") else (ast.Try,)


def _is_elif(c: Collector, node: ast.If, child: ast.AST) -> bool:
    """True when ``child`` is the ``elif`` of ``node`` (``ast`` writes both ``elif`` and an ``else:`` block
    holding only an ``if`` as an orelse of one If: the source tells them apart)."""
    if not (isinstance(child, ast.If) and len(node.orelse) == 1 and node.orelse[0] is child):
        return False
    source = c.source
    start = source.offset(child.lineno, source.column(child.lineno, child.col_offset))
    return source.text.startswith("elif", start)


def branch_of(c: Collector) -> dict[str, Any]:
    """``branch`` and ``dev_branch`` of the innermost if/try branch being visited (see HueyInstance).

    In an ``if``/``elif``/``else`` chain every test on the way counts: the ``else`` of ``if prod`` is a
    development branch even when a later ``elif DEBUG`` is false there."""
    branch = ""
    looks: list[bool] = []
    for index in range(len(c.stack) - 2, -1, -1):
        node, child = c.stack[index], c.stack[index + 1]
        if isinstance(node, ast.If):
            in_body = any(stmt is child for stmt in node.body)
            elif_child = _is_elif(c, node, child)
            if elif_child:
                pass  # an elif: its own test was read below
            elif not in_body and not any(stmt is child for stmt in node.orelse):
                continue  # inside the test itself
            test = c.code(node.test)
            text = " ".join(test.split())
            text = clipped(text)
            positive = in_body
            negated = text.startswith("not ") or " != " in text or " not in " in text
            dev = bool(_DEV_WORDS.search(test)) and not _PROD_WORDS.search(test)
            prod = bool(_PROD_WORDS.search(test)) and not _DEV_WORDS.search(test)
            if (dev or prod) and not elif_child:
                looks.append(dev if positive != negated else not dev)
            elif (dev or prod) and prod != negated:
                looks.append(True)  # the elif chain runs only when the production test failed
            if not branch:
                branch = f"if {text}" if positive else f"else of `if {text}`"
            above = c.stack[index - 1] if index else None
            if isinstance(above, ast.If) and _is_elif(c, above, node):
                continue  # part of an elif chain: the tests above count too
            break
        if branch:
            break
        if isinstance(node, _TRIES):
            if isinstance(child, ast.ExceptHandler):
                kind = c.code(child.type) if child.type is not None else ""
                return {"branch": f"except {kind}".strip(), "dev_branch": None}
            return {"branch": "try" if any(stmt is child for stmt in node.body) else "else of `try`",
                    "dev_branch": None}
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            return {"branch": "loop body", "dev_branch": None}
    if not branch:
        return {}
    return {"branch": branch, "dev_branch": True if True in looks else (False if looks else None)}


def where(c: Collector) -> dict[str, Any]:
    """``conditional``, ``branch`` and ``dev_branch`` of a setting defined where the collector stands."""
    return {"conditional": c.branch_depth > 0, **branch_of(c)}




_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def tested_false(c: Collector, expr: ast.AST) -> bool:
    """True when ``expr`` (a name or an attribute chain: no call, so reading it twice gives one value) is
    false where the collector stands, by an enclosing ``if`` of its scope: in the ``else``/``elif`` part of
    ``if expr:`` or ``if expr or ...:``, or in the body of ``if not expr:`` or ``if not expr and ...:``; and the
    branch binds none of its names (``if not X: X = True`` changes it).  Field test Hussain1129/camb-kvstore:
    ``if settings.HUEY_IMMEDIATE or ...: MemoryHuey(...) else: RedisHuey(immediate=settings.HUEY_IMMEDIATE)``."""
    node = expr
    while isinstance(node, ast.Attribute):
        node = node.value
    if not isinstance(node, ast.Name):
        return False
    code = c.code(expr)
    for index in range(len(c.stack) - 2, -1, -1):
        parent, child = c.stack[index], c.stack[index + 1]
        if isinstance(parent, _SCOPES):
            return False
        if not isinstance(parent, ast.If):
            continue
        if any(stmt is child for stmt in parent.orelse):
            falsy, block = _operands(parent.test, ast.Or), parent.orelse
        elif any(stmt is child for stmt in parent.body):
            falsy = [operand.operand for operand in _operands(parent.test, ast.And)
                     if isinstance(operand, ast.UnaryOp) and isinstance(operand.op, ast.Not)]
            block = parent.body
        else:
            continue  # inside the test itself
        if any(c.code(operand) == code for operand in falsy):
            return not _binds(block, code, node.id)
    return False


def _operands(test: ast.AST, op: type) -> list[ast.AST]:
    """The operands of ``a or b or ...`` (``op`` ast.Or) / ``a and b and ...`` (ast.And), or the test itself."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, op):
        return list(test.values)
    return [test]


def _binds(block: list[ast.stmt], code: str, name: str) -> bool:
    """Whether statements of ``block`` bind ``name`` or assign the attribute chain ``code`` (or call
    ``setattr``, which may)."""
    for stmt in block:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)) and node.id == name:
                return True
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
                return True
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
                return True
    return False
