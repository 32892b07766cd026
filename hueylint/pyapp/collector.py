"""The walk over one module: scopes, imports, assignments and calls, dispatched to the fact readers.

The collector visits a module's :mod:`ast` tree once, in source order (decorators before the body they
decorate, dict keys beside their values, a call's arguments as written), so import aliases and rebinding
are resolved the way Python would at import time; the readers of each kind of fact live in the sibling
modules and place facts through :class:`hueylint.pyapp.positions.Source`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from typing import Any, Callable, Iterator

from hueylint.appmodel import (
    TASK_KINDS,
    HueyInstance,
    ImmediateAssignment,
    ModuleFacts,
    TaskCall,
)
from hueylint.hueyfacts import CLASS_MODULES as _CLASS_MODULES
from hueylint.hueyfacts import CONTRIB_CLASSES as _EXTRA_CLASSES
from hueylint.hueyfacts import DJANGO_MODULES as DJ_MODULES
from hueylint.hueyfacts import HUEY_CLASSES
from hueylint.locations import Loc
from hueylint.model import Val
from hueylint.pyapp.branches import branch_of
from hueylint.pyapp.consumers import call_command, consumer_call
from hueylint.pyapp.instances import class_fact, hand_out, instance_call, made_by
from hueylint.pyapp.patches import patch_call
from hueylint.pyapp.positions import Source
from hueylint.pyapp.settings import (
    apps_assigned,
    huey_setting,
    huey_union_assigned,
    huey_update_call,
    settings_module_call,
    subscript_assigned,
)
from hueylint.pyapp.tasks import (
    ScopeReads,
    decorated,
    flush_call,
    is_get_queue,
    is_read,
    lock_call,
    may_be_task,
    only_id_read_in,
    signal_call,
    task_call,
)
from hueylint.pyapp.values import (
    FUNCTIONS,
    Evaluator,
    augmented_value,
    call_args,
    child_nodes,
    function_locals,
    walk_scope,
)
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern

# -- vocabulary ----------------------------------------------------------------

_DECORATOR_METHODS = TASK_KINDS | {"lock_task", "signal"}
# methods only huey objects have: safe to accept on an imported receiver of any name
_HUEY_ONLY = frozenset({"lock_task", "db_task", "db_periodic_task", "on_commit_task", "context_task"})
_HUEY_IMPORT = lazy_pattern(r"^\s*(?:from|import)\s+(?:huey|django_huey)\b", re.M)
_CALL_HANDLERS = (instance_call, lock_call, signal_call, task_call, flush_call, consumer_call, call_command,
                  settings_module_call, patch_call, huey_update_call)


@dataclass
class _Pending:
    """A call that may enqueue a task; kept until every task of the module is known."""

    name: str
    target: str
    method: str
    usage: str
    loc: Loc
    var: str = ""  # the name the Result is bound to (``r = task()``)
    scope: ast.AST | None = None  # the function or module where that name lives


# -- the collector -----------------------------------------------------------


class Collector:
    """Walks a module's ``ast`` tree in source order and appends facts to a :class:`ModuleFacts`.

    ``source`` places nodes (:class:`~hueylint.pyapp.positions.Source`); :meth:`run` walks, then
    :meth:`finish` resolves what needs the whole module.
    """

    def __init__(self, source: Source, facts: ModuleFacts) -> None:
        self.source = source
        self.facts = facts
        self.imports = facts.imports
        self.instances: dict[str, HueyInstance] = {}
        self.local_classes: dict[str, str] = {}
        self.constants: dict[str, list[ast.expr]] = {}
        self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.classes: set[str] = set()  # names of the classes the module's top level defines
        self.huey_aware = bool(_HUEY_IMPORT.search(source.text))
        self.vendored = "OptionParserHandler" in source.text
        self.scopes: list[tuple[str, int]] = []  # ("def"|"class", id(node))
        self.names: list[str] = []
        self.branch_depth = 0
        self.if_depth = 0
        self.handled: set[int] = set()  # ids of calls already turned into facts
        self.call_instances: dict[int, HueyInstance] = {}
        self.seen_imports: list[tuple[str, Loc, tuple[int, ...]]] = []
        self.reimported: set[str] = set()  # names bound by imports of different targets: which one holds is not told
        self.task_names: set[str] = set()
        self.pending: list[_Pending] = []
        self.run_receivers: set[str] = set()
        self.run_calls: set[int] = set()
        self.consumer_vars: list[tuple[int, str | None, bool]] = []
        self.eval = Evaluator(self)
        self.stack: list[ast.AST] = []
        self._tables: tuple[set[str], set[str]] | None = None  # dispatch tables and handler names (_dispatched)
        self._bindings: dict[int, dict[str, ast.expr | None]] = {}  # scope id -> its single bindings
        # per enclosing function: its local names, or the function itself until they are first needed
        self.locals: list[frozenset[str] | ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.loop_values: dict[str, tuple[str, ...]] = {}  # module-level loop variables over literal strings
        self._visit: dict[type, Callable[[Any], None]] = {}
        self._leave: dict[type, Callable[[Any], None]] = {}
        for name in dir(self):
            kind, _, node_type = name.partition("_")
            if kind in ("visit", "leave") and hasattr(ast, node_type):
                table = self._visit if kind == "visit" else self._leave
                table[getattr(ast, node_type)] = getattr(self, name)
        for sync, other in ((ast.FunctionDef, ast.AsyncFunctionDef), (ast.For, ast.AsyncFor)):
            for table in (self._visit, self._leave):
                if sync in table:
                    table[other] = table[sync]

    def run(self, tree: ast.Module) -> None:
        """Walk the module (``RecursionError`` on nesting deeper than Python's own stack allows)."""
        self.walk(tree)

    def walk(self, node: ast.AST) -> None:
        self.stack.append(node)
        kind = type(node)
        visit = self._visit.get(kind)
        if visit is not None:
            visit(node)
        for child in _children(node):
            if type(child) not in _LEAVES:  # names and constants hold nothing to visit
                self.walk(child)
        leave = self._leave.get(kind)
        if leave is not None:
            leave(node)
        self.stack.pop()

    # -- helpers -------------------------------------------------------------
    def loc(self, node: ast.AST) -> Loc:
        return self.source.loc(node)

    def span(self, first: ast.AST, last: ast.AST) -> Loc:
        return self.source.span(first, last)

    def parent(self, node: ast.AST) -> ast.AST | None:
        """The parent of a node on the current visiting path (None for others)."""
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index] is node:
                return self.stack[index - 1]
        return None

    @property
    def in_function(self) -> bool:
        return any(kind == "def" for kind, _ in self.scopes)

    @property
    def scope_ids(self) -> tuple[int, ...]:
        return tuple(i for kind, i in self.scopes if kind == "def")

    def code(self, node: ast.AST) -> str:
        """Source text of a node, for messages and names as written."""
        return self.source.code(node)

    def qualname(self, node: ast.AST) -> str | None:
        """Dotted import path of a Name/Attribute chain through the import table, None if not imported."""
        if isinstance(node, ast.Name):
            if node.id in self.instances:
                return None
            return self.imports.get(node.id)
        if isinstance(node, ast.Attribute):
            head = self.qualname(node.value)
            return f"{head}.{node.attr}" if head else None
        return None

    def huey_class(self, func: ast.AST) -> tuple[str, str] | None:
        """(resolved class, written name) when ``func`` names a huey class or a local subclass of one."""
        if isinstance(func, ast.Name) and func.id in self.local_classes:
            return self.local_classes[func.id], self.code(func)
        qn = self.qualname(func)
        if not qn:
            return None
        if qn in _EXTRA_CLASSES:
            return _EXTRA_CLASSES[qn], self.code(func)
        mod, _, name = qn.rpartition(".")
        if mod in _CLASS_MODULES and name in HUEY_CLASSES:
            return name, self.code(func)
        return None

    def receiver(self, node: ast.AST, method: str) -> tuple[str, str] | None:
        """(text, import path) when ``node`` plausibly is a huey instance whose ``method`` is used.

        Local instances and djhuey's ``HUEY`` are certain.  An imported or
        otherwise bound name is accepted only when the module imports huey,
        the name says huey, or the method exists only on huey: ``app.task``
        in a Celery module must not become a huey task.
        """
        if isinstance(node, ast.Name) and node.id in self.instances:
            return self.code(node), ""
        qn = self.qualname(node) or ""
        if qn in DJ_MODULES or (qn.endswith(".HUEY") and qn.rsplit(".", 1)[0] in DJ_MODULES):
            return self.code(node), qn
        if isinstance(node, ast.Call) and is_get_queue(self, node):
            return self.code(node), "django_huey"
        if qn.split(".")[0] in ("huey", "django_huey"):
            return None  # the huey package itself, e.g. huey.signals
        if not isinstance(node, (ast.Name, ast.Attribute)):
            return None
        last = node.id if isinstance(node, ast.Name) else node.attr
        if "huey" in last.lower() or method in _HUEY_ONLY:
            return self.code(node), qn
        if self.huey_aware and method in _DECORATOR_METHODS:  # ``x.immediate = True`` needs a huey-ish name
            return self.code(node), qn
        return None

    def dj_function(self, node: ast.AST) -> tuple[str, str] | None:
        """(function name, module) for ``task``/``lock_task``/... imported from djhuey or django-huey."""
        qn = self.qualname(node)
        if not qn:
            return None
        mod, _, name = qn.rpartition(".")
        if mod in DJ_MODULES and name in _DECORATOR_METHODS | {"enqueue"}:
            return name, mod
        return None

    def role(self, func: ast.AST) -> tuple[str, str, str] | None:
        """(method, receiver text, import path) for a task/lock/signal decorator or call."""
        if isinstance(func, ast.Attribute) and func.attr in _DECORATOR_METHODS:
            got = self.receiver(func.value, func.attr)
            return (func.attr, *got) if got else None
        if isinstance(func, ast.Name):
            got = self.dj_function(func)
            if got and got[0] != "enqueue":
                return got[0], "", got[1]
        return None

    # -- scopes ----------------------------------------------------------------
    def visit_Module(self, node: ast.Module) -> None:
        _prepass(self, node.body)

    def visit_If(self, node: ast.If) -> None:
        self.branch_depth += 1
        self.if_depth += 1

    def leave_If(self, node: ast.If) -> None:
        self.branch_depth -= 1
        self.if_depth -= 1

    def visit_Try(self, node: ast.Try) -> None:
        self.branch_depth += 1

    def leave_Try(self, node: ast.Try) -> None:
        self.branch_depth -= 1

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.branch_depth += 1
        if not self.scopes and isinstance(node.target, ast.Name):  # `for name in ["A", "B"]:` at module level
            got = self.eval.value(node.iter, frozenset())
            if got.known and isinstance(got.value, tuple) and got.value and all(isinstance(v, str) for v in got.value):
                self.loop_values[node.target.id] = got.value

    def leave_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.branch_depth -= 1

    def visit_While(self, node: ast.While) -> None:
        self.branch_depth += 1

    def leave_While(self, node: ast.While) -> None:
        self.branch_depth -= 1

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.bases:
            got = self.huey_class(node.bases[0])
            if got:
                self.local_classes[node.name] = got[0]
            if not self.scopes:
                class_fact(self, node, got[0] if got else None)
        self.scopes.append(("class", id(node)))
        self.names.append(node.name)

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        self.scopes.pop()
        self.names.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        decorated(self, node)
        self.scopes.append(("def", id(node)))
        self.names.append(node.name)
        self.locals.append(node)

    def leave_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scopes.pop()
        self.names.pop()
        self.locals.pop()

    def local_value(self, node: ast.Name) -> ast.AST | None:
        """The value of a name assigned exactly once in the function being visited (not in nested functions),
        else its module constant; None when neither can be told."""
        function = next((n for n in reversed(self.stack) if isinstance(n, FUNCTIONS)), None)
        if function is None or node.id not in self.local_names:
            return self.eval.resolve_name(node)
        values: list[ast.AST] = []
        for inner in _walk_own(function):
            if isinstance(inner, ast.Assign):
                if any(isinstance(t, ast.Name) and t.id == node.id for t in inner.targets):
                    values.append(inner.value)
            elif isinstance(inner, ast.AugAssign) and isinstance(inner.target, ast.Name) and inner.target.id == node.id:
                values.extend([inner.value, inner.value])
        return values[0] if len(values) == 1 else None

    @property
    def local_names(self) -> frozenset[str]:
        """Names local to the functions being visited: they must not resolve to module constants."""
        if not self.locals:
            return frozenset()
        top = self.locals[-1]
        if not isinstance(top, frozenset):  # computed on first use: most functions never need it
            for index, entry in enumerate(self.locals):
                if not isinstance(entry, frozenset):
                    outer = self.locals[index - 1] if index else frozenset()
                    self.locals[index] = outer | function_locals(entry)  # type: ignore[operator]
            top = self.locals[-1]
        return top  # type: ignore[return-value]

    # -- imports ---------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            full = alias.name
            if alias.asname:
                self._bind_import(alias.asname, full)
            else:
                head = full.split(".")[0]
                self._bind_import(head, head)
                if full != head:  # `import a.b` also imports a.b: a dotted key no local name can shadow
                    self.imports[full] = full
            self.seen_imports.append((full, self.loc(alias), self.scope_ids))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = "." * node.level + (node.module or "")
        self.seen_imports.append((base, self.loc(node), self.scope_ids))
        if node.names and node.names[0].name == "*":
            self.facts.star_imports.append(base)
            return
        for alias in node.names:
            name = alias.name
            joined = base + name if base.endswith(".") else f"{base}.{name}"
            self._bind_import(alias.asname or name, joined)
            if (alias.asname or name) == "DEBUG" and not self.scopes:
                self._debug_bound(node, None)

    def _debug_bound(self, stmt: ast.AST, value: ast.AST | None) -> None:
        """A module-level binding of Django's ``DEBUG`` (:attr:`ModuleFacts.debug`): known only for a literal
        True/False outside any branch; ``value`` None for an import."""
        loc = self.loc(stmt)
        if isinstance(value, ast.Constant) and isinstance(value.value, bool) and not self.branch_depth:
            self.facts.debug.append(Val(value.value, loc))
        else:
            self.facts.debug.append(Val.unknown_at(loc, "conditional" if self.branch_depth else "expression"))

    def _bind_import(self, local: str, qualified: str) -> None:
        if self.imports.get(local, qualified) != qualified:
            self.reimported.add(local)  # `try: from .local import X` / `except ImportError: from .base import X`
        self.imports[local] = qualified
        self.instances.pop(local, None)
        if not self.scopes:
            self.facts.made_by.pop(local, None)  # the import rebinds a name a factory call bound before

    # -- assignments -----------------------------------------------------------
    def leave_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assigned(target, node.value, node)

    def leave_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node.target, node.value, node)

    def leave_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name) and isinstance(node.op, ast.Add):
            apps_assigned(self, node.target.id, "extend", node.value, node)
        elif isinstance(node.op, ast.BitOr):
            huey_union_assigned(self, node)

    def _assigned(self, target: ast.AST, value: ast.expr, stmt: ast.stmt) -> None:
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            # `INSTALLED_APPS[0:0] = [...]`, `INSTALLED_APPS[i] = x`: the list changes in a way not followed
            apps_assigned(self, target.value.id, "extend", target, stmt)
        if isinstance(target, ast.Name):
            apps_assigned(self, target.id, "set", value, stmt)
            inst = self.call_instances.get(id(value))
            if inst is None and isinstance(value, ast.Name) and value.id in self.instances:
                inst = self.instances[value.id]  # `huey = RedisHuey(...)` then `HUEY = huey`
                if not self.scopes:
                    self.facts.aliases[target.id] = value.id
            if inst is not None:
                self.instances[target.id] = inst
                self.imports.pop(target.id, None)
            elif not self.scopes and isinstance(value, (ast.Name, ast.Attribute)) and self.qualname(value):
                self.facts.bound_imports[target.id] = self.qualname(value) or ""  # `huey = queue.HUEY`
            if inst is None and not self.scopes:
                made_by(self, target.id, value)
            if target.id in ("HUEY", "DJANGO_HUEY") and not self.in_function:
                huey_setting(self, target.id, value, stmt, inst)
            if target.id == "DEBUG" and not self.scopes:
                self._debug_bound(stmt, value)
        elif isinstance(target, ast.Attribute) and target.attr == "immediate":
            got = self.receiver(target.value, "immediate")
            if got:
                self.facts.immediate_assignments.append(
                    ImmediateAssignment(got[0], self.eval.with_unset(self.eval.value(value), value), self.loc(stmt),
                                        self.branch_depth > 0,
                                        in_function=self.in_function, **branch_of(self)))
        elif isinstance(target, ast.Subscript):
            subscript_assigned(self, target, value, stmt)
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                and target.value.id == self.method_self():
            hand_out(self, value, f"self.{target.attr}")  # `self.huey = RedisHuey(...)` in a method

    def leave_Return(self, node: ast.Return) -> None:
        if node.value is not None and self.in_function:
            hand_out(self, node.value, "return")

    def method_self(self) -> str | None:
        """The name of the innermost function's first parameter when that function is a method written in
        a class body (``self``), else None."""
        if len(self.scopes) < 2 or self.scopes[-1][0] != "def" or self.scopes[-2][0] != "class":
            return None
        function = next((n for n in reversed(self.stack) if id(n) == self.scopes[-1][1]), None)
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        params = [*function.args.posonlyargs, *function.args.args]
        if not params or any(isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod")
                             for d in function.decorator_list):
            return None
        return params[0].arg

    # -- calls -----------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        if id(node) in self.handled:
            return
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "run":
            self._run_called(func.value)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.attr in ("append", "extend", "insert") and (node.args or node.keywords):
            value = call_args(node)[-1].value
            wrapped = ast.List(elts=[value], ctx=ast.Load()) if func.attr != "extend" else value
            apps_assigned(self, func.value.id, "extend", wrapped, node, anchor=value)
        for handler in _CALL_HANDLERS:
            if handler(self, node):
                return
        self._maybe_task_call(node)

    def _run_called(self, receiver: ast.AST) -> None:
        if isinstance(receiver, ast.Name):
            self.run_receivers.add(receiver.id)
        elif isinstance(receiver, ast.Call):
            self.run_calls.add(id(receiver))

    def usage(self, node: ast.AST) -> str:
        """How the value of an expression is used by its parent (HL404 reads dropped Results)."""
        parent = self.parent(node)
        while isinstance(parent, ast.Await):
            node, parent = parent, self.parent(parent)
        if isinstance(parent, ast.Expr):
            return "expression"
        if isinstance(parent, ast.Attribute) and parent.attr == "id" and parent.value is node:
            return "id"  # `send_email(...).id`: only the task id is kept
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            return "assigned" if getattr(parent, "value", None) is node else "other"
        if isinstance(parent, (ast.Return, ast.Lambda)):
            return "returned"
        if isinstance(parent, ast.keyword) or (isinstance(parent, ast.Starred) and isinstance(
                self.parent(parent), (ast.Call, ast.ClassDef))):
            return "passed"
        if isinstance(parent, ast.Call) and parent.func is not node:
            return "passed"
        if isinstance(parent, ast.ClassDef) and any(base is node for base in parent.bases):
            return "passed"
        return "other"

    def _maybe_task_call(self, node: ast.Call) -> None:
        """Remember ``fn(...)``, ``fn.schedule(...)``, ``module.fn(...)`` until the module's tasks are known.

        Only plain names and one attribute on an imported, non-huey name are
        kept: ``huey.enqueue(...)`` or ``huey.storage.put_data(...)`` are
        not task calls.
        """
        func = node.func
        method = ""
        if self._looks_up_result(func, node):
            self.facts.result_lookups.append(self.loc(node))
            return
        if isinstance(func, ast.Attribute) and func.attr in ("schedule", "s"):
            method = func.attr
            func = func.value
        if not method:
            for value in self._dispatched(func):  # `task_map[kind](...)`: each task the table holds may be called
                usage = self.usage(node)
                self.pending.append(_Pending(value.id, self.qualname(value) or "", "", usage, self.loc(node),
                                             *self._result_name(node, usage)))
        if isinstance(func, ast.Name):
            name = func.id
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner = func.value.id
            owner_from = self.imports.get(owner, "")
            if not owner_from or "huey" in owner.lower() or owner_from.endswith(".HUEY") \
                    or owner_from.split(".")[0] in ("huey", "django_huey"):
                return
            name = func.attr
        else:
            return
        parent = self.parent(node)
        if isinstance(parent, (*FUNCTIONS, ast.ClassDef)) and any(d is node for d in parent.decorator_list):
            return
        if self.eval.env_access(node) is not None:
            return
        target = self.qualname(func) or ""
        usage = self.usage(node)
        self.pending.append(_Pending(name, target, method, usage, self.loc(node), *self._result_name(node, usage)))

    def _looks_up_result(self, func: ast.expr, node: ast.Call) -> bool:
        """A call that reads a task's result by its id: ``huey.result(task_id)`` or ``huey.get(task_id)``
        (``Huey.result``; ``Huey.get(key, peek=False)`` reads what is stored under a key, a result under its task's
        id: huey 2.5.3 ``huey/api.py``), on a name from huey or named for it (``HUEY.result``,
        ``queue_huey.get``), or ``Result(huey, task)`` of ``huey.api`` (field: nathanfhh/flask-with-huey answers
        ``huey.get(request.args.get("id"))``).  ``X.result(task_id, ...)`` with an argument on any name or call
        too: django-huey's queues come from ``get_queue(name)`` (SJVAir/sjvair.com: ``queue =
        get_queue(...)`` then ``queue.result(task_id, preserve=True)``); a future's ``result()`` takes none."""
        if isinstance(func, ast.Attribute) and func.attr == "result" and isinstance(func.value, (ast.Name, ast.Call)) \
                and (node.args or any(k.arg == "id" for k in node.keywords)):
            return True
        if isinstance(func, ast.Attribute) and func.attr in ("result", "get", "get_raw") and \
                isinstance(func.value, ast.Name):
            owner = func.value.id
            owner_from = self.imports.get(owner, "")
            return "huey" in owner.lower() or owner_from.endswith(".HUEY") \
                or owner_from.split(".")[0] in ("huey", "django_huey")
        if isinstance(func, ast.Name) and func.id == "Result":
            return self.imports.get(func.id, "").split(".")[0] == "huey"
        return False

    def _result_name(self, node: ast.Call, usage: str) -> tuple[str, ast.AST | None]:
        """(the name a call's Result is bound to, the scope that name lives in) for ``r = call(...)``; ("", None)
        otherwise (:meth:`finish` tells whether the name is ever read)."""
        parent = self.parent(node)
        if usage == "assigned" and isinstance(parent, (ast.Assign, ast.AnnAssign)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name):
                return targets[0].id, next((n for n in reversed(self.stack)
                                            if isinstance(n, (*FUNCTIONS, ast.Module))), None)
        return "", None

    def _dispatched(self, func: ast.expr) -> list[ast.Name]:
        """The names a dispatch table holds when ``func`` calls a value looked up in it: ``table[key]``,
        ``table.get(key)``, or a name bound once in the function to one of those (``fn = table.get(key)``), where
        ``table`` is bound once, in the function or the module, to a dict literal whose values are all names
        (``{'code': run_code, 'search': run_search}``).  Empty otherwise, and at once for a module whose text
        holds no such literal (most modules: no scope is scanned)."""
        if not isinstance(func, (ast.Name, ast.Subscript, ast.Call)):
            return []
        if self._tables is None:
            self._tables = _dispatch_candidates(self.source.text)
        tables, handlers = self._tables
        if not tables:
            return []
        if isinstance(func, ast.Name) and func.id not in handlers:
            return []
        if isinstance(func, ast.Subscript) and not (isinstance(func.value, ast.Name) and func.value.id in tables):
            return []
        if isinstance(func, ast.Call) and not (isinstance(func.func, ast.Attribute) and func.func.attr == "get" and
                                               isinstance(func.func.value, ast.Name) and func.func.value.id in tables):
            return []
        scope = next((n for n in reversed(self.stack) if isinstance(n, (*FUNCTIONS, ast.Module))), None)
        if scope is None:
            return []
        if isinstance(func, ast.Name):
            bound = self._bound_once(scope, func.id)
            if bound is None:
                return []
            func = bound
        if isinstance(func, ast.Subscript) and isinstance(func.value, ast.Name):
            table = func.value.id
        elif isinstance(func, ast.Call) and isinstance(func.func, ast.Attribute) and func.func.attr == "get" \
                and isinstance(func.func.value, ast.Name):
            table = func.func.value.id
        else:
            return []
        module = self.stack[0] if self.stack and isinstance(self.stack[0], ast.Module) else None
        literal = self._bound_once(scope, table) or (self._bound_once(module, table) if module is not None else None)
        if not isinstance(literal, ast.Dict) or not literal.values \
                or not all(isinstance(value, ast.Name) for value in literal.values):
            return []
        return [value for value in literal.values if isinstance(value, ast.Name)]

    def _bound_once(self, scope: ast.AST, name: str) -> ast.expr | None:
        """The value ``name`` is assigned in ``scope`` (a function's body or a module, not the functions and
        classes inside it) when it is bound there exactly once, by a plain ``name = value``; None otherwise.
        One pass per scope (:func:`_single_bindings`), kept for the module's other calls."""
        if id(scope) not in self._bindings:
            self._bindings[id(scope)] = _single_bindings(scope)
        return self._bindings[id(scope)].get(name)

    def finish(self) -> None:
        """Resolve what needed the whole module: task calls and whether consumers are run."""
        reads: dict[tuple[int, str], bool] = {}
        walked: dict[int, ScopeReads] = {}  # scope id -> its words and reads (tasks.is_read)
        for p in self.pending:
            task = (not p.target and p.name in self.task_names) or (p.target and may_be_task(p.target))
            if task and p.var and p.scope is not None:
                key = (id(p.scope), p.var)
                if key not in reads:
                    reads[key] = is_read(self.source, p.scope, p.var, walked)
                if not reads[key]:
                    p.usage = "unread"  # `r = send_email(...)` and `r` never read: the Result is dropped too
                elif only_id_read_in(p.scope, p.var, walked):
                    p.usage = "id"  # `r = send_email(...)` then only `r.id`: the Result's value is never read
            if not p.target and p.name in self.task_names:
                self.facts.task_calls.append(TaskCall(p.name, True, p.method, p.usage, p.loc))
            elif p.target and may_be_task(p.target):
                self.facts.task_calls.append(TaskCall(p.target, False, p.method, p.usage, p.loc))
        scripts = self.facts.consumer_scripts
        for i, (call_id, var, _) in enumerate(self.consumer_vars):
            runs = call_id in self.run_calls or (var is not None and var in self.run_receivers)
            if runs and not scripts[i].runs:
                scripts[i] = replace(scripts[i], runs=True)


_LEAVES = frozenset({ast.Name, ast.Constant})


def _children(node: ast.AST) -> list[ast.AST]:
    """The children of ``node`` in source order (``ast``'s field order puts a function's decorators after
    its body, a dict's values after its keys, keyword arguments after positional ones); contexts and
    operators left out."""
    if isinstance(node, FUNCTIONS):
        return [*node.decorator_list, node.args, *([node.returns] if node.returns else []), *node.body]
    if isinstance(node, ast.ClassDef):
        return [*node.decorator_list, *_in_order([*node.bases, *node.keywords]), *node.body]
    if isinstance(node, ast.Call) and node.keywords and node.args:
        return [node.func, *_in_order([*node.args, *node.keywords])]
    if isinstance(node, ast.Dict):
        return [child for key, value in zip(node.keys, node.values) for child in (key, value) if child is not None]
    if isinstance(node, ast.IfExp):
        return [node.body, node.test, node.orelse]
    if isinstance(node, ast.arguments):
        return _in_order(child_nodes(node))
    return child_nodes(node)


def _in_order(nodes: list[Any]) -> list[Any]:
    return sorted(nodes, key=lambda n: (n.lineno, n.col_offset))


def _walk_own(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """The nodes of a function's own body: not those of nested functions or lambdas."""
    return walk_scope(function.body, (*FUNCTIONS, ast.Lambda))


# -- module pre-pass -----------------------------------------------------------


def _prepass(c: Collector, body: list[ast.stmt]) -> None:
    """Collect module-level constants and functions, so values and helpers can be followed.

    A name the module's top level binds again from its own value (``rconn = urlparse(URL)`` then ``rconn =
    {'host': rconn.hostname}``; ``X += "/0"``), with nothing reading or binding it in between, holds one value
    from there on: the second with the name replaced by the first, as Python evaluates the statements in
    order; bound under an if/try, each value stays one of several."""
    last: dict[str, tuple[int, ast.expr]] = {}  # name -> (index in body, value) of its latest top-level binding

    def bind(name: str, value: ast.expr, index: int, top: bool) -> None:
        values = c.constants.setdefault(name, [])
        previous = last.pop(name, None)
        if previous is not None and top and values and values[-1] is previous[1] and _names(value, name) \
                and not any(_names(between, name) for between in body[previous[0] + 1:index]):
            value = _substituted(value, name, previous[1])
            values[-1] = value
        else:
            values.append(value)
        if top:
            last[name] = (index, value)

    for index, outer in enumerate(body):
        if isinstance(outer, ast.ClassDef):
            c.classes.add(outer.name)
        for stmt in _module_statements([outer]):
            top = stmt is outer
            if isinstance(stmt, FUNCTIONS):
                c.functions[stmt.name] = stmt
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        bind(target.id, stmt.value, index, top and len(stmt.targets) == 1)
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                bind(stmt.target.id, stmt.value, index, top)
            elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
                # `X += v` is `X = X + v` (Python's augmented assignment): a value made from the name itself
                bind(stmt.target.id, augmented_value(stmt), index, top)


def _names(node: ast.AST, name: str) -> bool:
    """True when ``node`` names ``name`` anywhere (a read, a binding, a ``del``)."""
    return any(isinstance(sub, ast.Name) and sub.id == name for sub in ast.walk(node))


class _Replace(ast.NodeTransformer):
    def __init__(self, name: str, value: ast.expr) -> None:
        self.name, self.value = name, value

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return self.value if node.id == self.name and isinstance(node.ctx, ast.Load) else node


def _substituted(value: ast.expr, name: str, previous: ast.expr) -> ast.expr:
    """A copy of ``value`` with each read of ``name`` replaced by ``previous`` (the value it held before)."""
    import copy

    replaced = _Replace(name, previous).visit(copy.deepcopy(value))
    assert isinstance(replaced, ast.expr)
    return replaced


_BLOCKS = (ast.If, ast.Try, ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While, ast.ExceptHandler) + \
    ((ast.TryStar,) if hasattr(ast, "TryStar") else ())


def _module_statements(body: list[Any]) -> Iterator[ast.stmt]:
    """Statements executed at import time, descending into if/try/with but not into defs or classes."""
    for stmt in body:
        if isinstance(stmt, _BLOCKS):
            yield from _module_statements(stmt.body)
            for extra in ("orelse", "handlers", "finalbody"):
                yield from _module_statements(getattr(stmt, extra, None) or [])
        elif not isinstance(stmt, ast.ClassDef):
            yield stmt



#: an assignment of a dict literal whose first value is a name (``= {'code': run_code,``): a candidate table (the
#: name it is bound to is read backwards from there: a pattern starting with the name would try every word)
_TABLE_LITERAL = lazy_pattern(r"""=\s*\{\s*(?:['"][^'"\n]*['"]|[\w.]+)\s*:\s*[A-Za-z_]\w*\s*[,}]""")
_NAME_BEFORE = lazy_pattern(r"([A-Za-z_]\w*)[ \t]*$")


def _bound_names(text: str, pattern: re.Pattern[str]) -> set[str]:
    """The names on the left of the ``=`` each match of ``pattern`` (which starts with ``=``) begins with."""
    names: set[str] = set()
    for match in pattern.finditer(text):
        before = _NAME_BEFORE.search(text, text.rfind("\n", 0, match.start()) + 1, match.start())
        if before is not None:
            names.add(before.group(1))
    return names


def _dispatch_candidates(text: str) -> tuple[set[str], set[str]]:
    """(names bound to a dict literal of names, names bound to a lookup in one of them: ``h = TABLE.get(k)``,
    ``h = TABLE[k]``), read from the text: a module without a table (most) costs one regex search, and only
    the calls these names can make are looked at in the tree (:meth:`Collector._dispatched`)."""
    tables = _bound_names(text, _TABLE_LITERAL)
    if not tables:
        return tables, set()
    alternatives = "|".join(re.escape(name) for name in sorted(tables))
    return tables, _bound_names(text, re.compile(rf"=\s*(?:{alternatives})\s*(?:\.get\s*\(|\[)"))


def _single_bindings(scope: ast.AST) -> dict[str, ast.expr | None]:
    """Each name bound in ``scope`` (not in the functions and classes inside it): the value of its one plain
    ``name = value``, or None when it is bound more than once or otherwise (a loop target, ``+=``, a tuple)."""
    found: dict[str, ast.expr | None] = {}
    todo: list[ast.AST] = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        if isinstance(node, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            found[node.id] = None  # a binding other than the plain assignment below (which skips its target)
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            found[name] = node.value if name not in found else None
            todo.append(node.value)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return found
