"""Signal handlers: ``@huey.signal(...)`` and ``huey.signal(...)(handler)`` (the call form is found by
:func:`hueylint.pyapp.tasks.signal_call`, beside the task decorators', which also reads django-huey's queue)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from hueylint.appmodel import (
    SignalHandler,
)
from hueylint.model import Val
from hueylint.pyapp.values import call_args, is_string, walk_scope

if TYPE_CHECKING:
    from hueylint.pyapp.collector import Collector


def add_signal_handler(c: Collector, node: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call | None,
                       expr: ast.AST, queue: Val[str] | None = None) -> None:
    """Record a handler; ``queue`` is django-huey's (``signal(SIGNAL_INTERRUPTED, queue='x')``,
    ``get_queue('x').signal(...)``), whose ``queue=`` keyword is no signal: django-huey 1.3.1 ``signal(*args,
    queue=None)`` passes the others to the queue's ``Huey.signal(*signals)``."""
    signals: list[str] = []
    known = call is not None
    for arg in call_args(call) if call else ():
        if arg.keyword == "queue":
            continue  # huey's own ``signal(*signals)`` takes no keyword
        name = _signal_name(arg.value)
        if name is None or arg.star:
            known = False
        else:
            signals.append(name)
    c.facts.signal_handlers.append(SignalHandler(
        function=node.name, signals=tuple(signals), signals_known=known,
        reenqueues=_calls_enqueue(c, node.body), loc=c.loc(expr), queue=queue,
    ))


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
