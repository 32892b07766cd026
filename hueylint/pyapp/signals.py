"""Signal handlers: ``@huey.signal(...)`` and ``huey.signal(...)(handler)``."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from hueylint.appmodel import (
    SignalHandler,
)
from hueylint.pyapp.values import call_args, is_string, walk_scope

if TYPE_CHECKING:
    from hueylint.pyapp.collector import Collector

def add_signal_handler(c: Collector, node: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call | None, expr: ast.AST) -> None:
    signals: list[str] = []
    known = call is not None
    for arg in call_args(call) if call else ():
        name = _signal_name(arg.value)
        if name is None or arg.star:
            known = False
        else:
            signals.append(name)
    c.facts.signal_handlers.append(SignalHandler(
        function=node.name, signals=tuple(signals), signals_known=known,
        reenqueues=_calls_enqueue(c, node.body), loc=c.loc(expr),
    ))


def signal_call(c: Collector, node: ast.Call) -> bool:
    """``huey.signal(SIGNAL_INTERRUPTED)(handler)``: registration without decorator syntax."""
    inner = node.func
    args = call_args(node) if isinstance(inner, ast.Call) else []
    if not (args and isinstance(args[0].value, ast.Name)):
        return False
    got = c.role(inner.func)  # type: ignore[attr-defined]
    function = c.functions.get(args[0].value.id)
    if not got or got[0] != "signal" or function is None:
        return False
    c.handled.add(id(inner))
    add_signal_handler(c, function, inner, node)  # type: ignore[arg-type]
    return True


def _signal_name(node: ast.AST) -> str | None:
    """``SIGNAL_INTERRUPTED`` / ``signals.SIGNAL_INTERRUPTED`` / ``'interrupted'``."""
    if isinstance(node, ast.Name) and node.id.startswith("SIGNAL_"):
        return node.id
    if isinstance(node, ast.Attribute) and node.attr.startswith("SIGNAL_"):
        return node.attr
    if is_string(node):
        return node.value  # type: ignore[attr-defined]
    return None


def _calls_enqueue(c: Collector, body: list[ast.stmt]) -> bool:
    """True when the handler body calls ``X.enqueue(...)`` or djhuey's ``enqueue(...)``."""
    for node in walk_scope(body):
        if isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Attribute) and func.attr == "enqueue") or \
                    (isinstance(func, ast.Name) and func.id == "enqueue"):
                return True
    return False
