"""A ``setup.py`` read without running it: the keyword arguments of its ``setup(...)`` calls.

setuptools' ``setup()`` (or ``setuptools.setup()``) receives the project's metadata; what hueylint reads of
it (``install_requires``, ``extras_require``, ``entry_points``) is taken only where it is written as
literals, directly or through a module-level name (``REQUIRES = [...]`` then ``install_requires=REQUIRES``),
and lists joined with ``+`` as Python joins them (``[...] + (["setproctitle"] if linux else [])``: the items
of every literal part, both branches of a conditional expression, since either may be the one taken).
Anything computed (``open('requirements.txt').read().split()``) is left unknown.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import field

from hueylint.records import dataclass


@dataclass
class SetupPy:
    """The ``setup(...)`` calls of a setup.py (``calls``: each call's keywords by name, values as written)
    and its module-level single-name assignments, which :meth:`value` follows."""

    calls: list[dict[str, ast.expr]] = field(default_factory=list)
    assigned: dict[str, ast.expr] = field(default_factory=dict)

    def value(self, node: ast.expr | None) -> ast.expr | None:
        """``node``, or what a module-level name holds (one level: ``X = [...]``)."""
        return self.assigned.get(node.id) if isinstance(node, ast.Name) else node

    def strings(self, node: ast.expr | None, _seen: frozenset[str] = frozenset(), _depth: int = 0) -> list[ast.Constant]:
        """The string literals of a list or tuple (through a module-level name), of each operand of ``+``
        (list concatenation) and of both branches of ``a if cond else b``; none for anything else (a call,
        a comprehension: computed, not guessed).  A name met again inside its own value
        (``REQS = REQS + [...]``: only the last assignment is kept) is not followed twice; past 100 nested
        operands (no hand-written list is) the rest is left unknown."""
        if _depth > 100:
            return []
        if isinstance(node, ast.Name):
            if node.id in _seen:
                return []
            _seen = _seen | {node.id}
        node = self.value(node)
        if isinstance(node, (ast.List, ast.Tuple)):
            return [item for item in node.elts if isinstance(item, ast.Constant) and isinstance(item.value, str)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.strings(node.left, _seen, _depth + 1) + self.strings(node.right, _seen, _depth + 1)
        if isinstance(node, ast.IfExp):
            return self.strings(node.body, _seen, _depth + 1) + self.strings(node.orelse, _seen, _depth + 1)
        return []


def read_setup_py(text: str) -> SetupPy:
    """The setup() calls of ``text``; an empty :class:`SetupPy` when it does not parse (never raises)."""
    try:
        with warnings.catch_warnings():  # an invalid escape is a SyntaxWarning on the user's terminal (3.12+)
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return SetupPy()
    found = SetupPy(assigned={stmt.targets[0].id: stmt.value for stmt in tree.body
                              if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                              and isinstance(stmt.targets[0], ast.Name)})
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else "") == "setup":
            found.calls.append({keyword.arg: keyword.value for keyword in node.keywords if keyword.arg})
    return found
