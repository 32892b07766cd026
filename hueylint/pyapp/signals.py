"""Signal handlers: ``@huey.signal(...)`` and ``huey.signal(...)(handler)``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from hueylint.pyapp.facts import (
    SignalHandler,
)

if TYPE_CHECKING:
    from hueylint.pyapp.collector import Collector

def add_signal_handler(c: Collector, node: cst.FunctionDef, call: cst.Call | None, expr: cst.CSTNode) -> None:
    signals: list[str] = []
    known = call is not None
    for arg in call.args if call else ():
        name = _signal_name(arg.value)
        if name is None or arg.star:
            known = False
        else:
            signals.append(name)
    c.facts.signal_handlers.append(SignalHandler(
        function=node.name.value, signals=tuple(signals), signals_known=known,
        reenqueues=_calls_enqueue(c, node.body), loc=c.loc(expr),
    ))


def signal_call(c: Collector, node: cst.Call) -> bool:
    """``huey.signal(SIGNAL_INTERRUPTED)(handler)``: registration without decorator syntax."""
    inner = node.func
    if not (isinstance(inner, cst.Call) and node.args and isinstance(node.args[0].value, cst.Name)):
        return False
    got = c.role(inner.func)
    function = c.functions.get(node.args[0].value.value)
    if not got or got[0] != "signal" or function is None:
        return False
    c.handled.add(id(inner))
    add_signal_handler(c, function, inner, node)
    return True


def _signal_name(node: cst.BaseExpression) -> str | None:
    """``SIGNAL_INTERRUPTED`` / ``signals.SIGNAL_INTERRUPTED`` / ``'interrupted'``."""
    if isinstance(node, cst.Name) and node.value.startswith("SIGNAL_"):
        return node.value
    if isinstance(node, cst.Attribute) and node.attr.value.startswith("SIGNAL_"):
        return node.attr.value
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _calls_enqueue(c: Collector, body: cst.CSTNode) -> bool:
    """True when the handler body calls ``X.enqueue(...)`` or djhuey's ``enqueue(...)``."""
    hit: list[bool] = []

    class _Enqueue(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "enqueue":
                hit.append(True)
            elif isinstance(func, cst.Name) and func.value == "enqueue":
                hit.append(True)

    body.visit(_Enqueue())
    return bool(hit)



