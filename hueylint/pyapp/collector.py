"""The walk over one module: scopes, imports, assignments and calls, dispatched to the fact readers.

The collector visits a module once, in source order, so import aliases and rebinding are resolved the
way Python would at import time; the readers of each kind of fact live in the sibling modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider

from hueylint.model import Loc
from hueylint.pyapp.branches import branch_of
from hueylint.pyapp.consumers import call_command, consumer_call
from hueylint.pyapp.facts import (
    HUEY_CLASSES,
    TASK_KINDS,
    ConsumerScript,
    HueyInstance,
    ImmediateAssignment,
    ModuleFacts,
    TaskCall,
)
from hueylint.pyapp.instances import class_fact, instance_call
from hueylint.pyapp.patches import patch_call
from hueylint.pyapp.settings import (
    apps_assigned,
    huey_setting,
    huey_update_call,
    settings_module_call,
    subscript_assigned,
)
from hueylint.pyapp.signals import signal_call
from hueylint.pyapp.tasks import decorated, is_get_queue, lock_call, may_be_task, names_read
from hueylint.pyapp.values import Evaluator, function_locals
from hueylint.sources import SourceFile

# -- vocabulary ----------------------------------------------------------------

_CLASS_MODULES = ("huey", "huey.api")  # also in facts.huey_class_name
_EXTRA_CLASSES = {"huey.contrib.sql_huey.SqlHuey": "SqlHuey"}
DJ_MODULES = ("huey.contrib.djhuey", "django_huey")
_DECORATOR_METHODS = TASK_KINDS | {"lock_task", "signal"}
# methods only huey objects have: safe to accept on an imported receiver of any name
_HUEY_ONLY = frozenset({"lock_task", "db_task", "db_periodic_task", "on_commit_task", "context_task"})
_EMPTY_MODULE = cst.Module(body=[])
_HUEY_IMPORT = re.compile(r"^\s*(?:from|import)\s+(?:huey|django_huey)\b", re.M)


@dataclass
class _Pending:
    """A call that may enqueue a task; kept until every task of the module is known."""

    name: str
    target: str
    method: str
    usage: str
    loc: Loc
    var: str = ""  # the name the Result is bound to (``r = task()``)
    scope: cst.CSTNode | None = None  # the function or module where that name lives


# -- the collector -----------------------------------------------------------


class Collector(cst.CSTVisitor):
    """Walks a module in source order and appends facts to a :class:`ModuleFacts`."""

    # Parents come from our own stack: libcst's ParentNodeProvider costs a full extra traversal.
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, src: SourceFile, facts: ModuleFacts) -> None:
        super().__init__()
        self.src = src
        self.facts = facts
        self.imports = facts.imports
        self.instances: dict[str, HueyInstance] = {}
        self.local_classes: dict[str, str] = {}
        self.constants: dict[str, list[cst.BaseExpression]] = {}
        self.functions: dict[str, cst.FunctionDef] = {}
        self.huey_aware = bool(_HUEY_IMPORT.search(src.text))
        self.vendored = "OptionParserHandler" in src.text
        self.scopes: list[tuple[str, int]] = []  # ("def"|"class", id(node))
        self.names: list[str] = []
        self.branch_depth = 0
        self.if_depth = 0
        self.handled: set[int] = set()  # ids of calls already turned into facts
        self.call_instances: dict[int, HueyInstance] = {}
        self.seen_imports: list[tuple[str, Loc, tuple[int, ...]]] = []
        self.task_names: set[str] = set()
        self.pending: list[_Pending] = []
        self.run_receivers: set[str] = set()
        self.run_calls: set[int] = set()
        self.consumer_vars: list[tuple[int, str | None, bool]] = []
        self.eval = Evaluator(self)
        self.stack: list[cst.CSTNode] = []
        self.locals: list[frozenset[str]] = []
        self.loop_values: dict[str, tuple[str, ...]] = {}  # module-level loop variables over literal strings

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.stack.append(node)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        self.stack.pop()

    # -- helpers -------------------------------------------------------------
    def loc(self, node: cst.CSTNode) -> Loc:
        rng: CodeRange = self.get_metadata(PositionProvider, node)
        return Loc(self.src.rel, rng.start.line, rng.start.column + 1, rng.end.line, rng.end.column + 1)

    def span(self, first: cst.CSTNode, last: cst.CSTNode) -> Loc:
        a, b = self.loc(first), self.loc(last)
        return Loc(self.src.rel, a.line, a.col, b.end_line, b.end_col)

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
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

    def code(self, node: cst.CSTNode) -> str:
        """Source text of a node, for messages and names as written."""
        return _EMPTY_MODULE.code_for_node(node)

    def qualname(self, node: cst.BaseExpression) -> str | None:
        """Dotted import path of a Name/Attribute chain through the import table, None if not imported."""
        if isinstance(node, cst.Name):
            if node.value in self.instances:
                return None
            return self.imports.get(node.value)
        if isinstance(node, cst.Attribute):
            head = self.qualname(node.value)
            return f"{head}.{node.attr.value}" if head else None
        return None

    def huey_class(self, func: cst.BaseExpression) -> tuple[str, str] | None:
        """(resolved class, written name) when ``func`` names a huey class or a local subclass of one."""
        written = self.code(func)
        if isinstance(func, cst.Name) and func.value in self.local_classes:
            return self.local_classes[func.value], written
        qn = self.qualname(func)
        if not qn:
            return None
        if qn in _EXTRA_CLASSES:
            return _EXTRA_CLASSES[qn], written
        mod, _, name = qn.rpartition(".")
        if mod in _CLASS_MODULES and name in HUEY_CLASSES:
            return name, written
        return None

    def receiver(self, node: cst.BaseExpression, method: str) -> tuple[str, str] | None:
        """(text, import path) when ``node`` plausibly is a huey instance whose ``method`` is used.

        Local instances and djhuey's ``HUEY`` are certain.  An imported or
        otherwise bound name is accepted only when the module imports huey,
        the name says huey, or the method exists only on huey: ``app.task``
        in a Celery module must not become a huey task.
        """
        text = self.code(node)
        if isinstance(node, cst.Name) and node.value in self.instances:
            return text, ""
        qn = self.qualname(node) or ""
        if qn in DJ_MODULES or (qn.endswith(".HUEY") and qn.rsplit(".", 1)[0] in DJ_MODULES):
            return text, qn
        if isinstance(node, cst.Call) and is_get_queue(self, node):
            return text, "django_huey"
        if qn.split(".")[0] in ("huey", "django_huey"):
            return None  # the huey package itself, e.g. huey.signals
        if not isinstance(node, (cst.Name, cst.Attribute)):
            return None
        last = node.value if isinstance(node, cst.Name) else node.attr.value
        if "huey" in last.lower() or method in _HUEY_ONLY:
            return text, qn
        if self.huey_aware and method in _DECORATOR_METHODS:  # ``x.immediate = True`` needs a huey-ish name
            return text, qn
        return None

    def dj_function(self, node: cst.BaseExpression) -> tuple[str, str] | None:
        """(function name, module) for ``task``/``lock_task``/... imported from djhuey or django-huey."""
        qn = self.qualname(node)
        if not qn:
            return None
        mod, _, name = qn.rpartition(".")
        if mod in DJ_MODULES and name in _DECORATOR_METHODS | {"enqueue"}:
            return name, mod
        return None

    def role(self, func: cst.BaseExpression) -> tuple[str, str, str] | None:
        """(method, receiver text, import path) for a task/lock/signal decorator or call."""
        if isinstance(func, cst.Attribute) and func.attr.value in _DECORATOR_METHODS:
            got = self.receiver(func.value, func.attr.value)
            return (func.attr.value, *got) if got else None
        if isinstance(func, cst.Name):
            got = self.dj_function(func)
            if got and got[0] != "enqueue":
                return got[0], "", got[1]
        return None

    # -- scopes ----------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        _prepass(self, node.body)

    def visit_If(self, node: cst.If) -> None:
        self.branch_depth += 1
        self.if_depth += 1

    def leave_If(self, node: cst.If) -> None:
        self.branch_depth -= 1
        self.if_depth -= 1

    def visit_Try(self, node: cst.Try) -> None:
        self.branch_depth += 1

    def leave_Try(self, node: cst.Try) -> None:
        self.branch_depth -= 1

    def visit_For(self, node: cst.For) -> None:
        self.branch_depth += 1
        if not self.scopes and isinstance(node.target, cst.Name):  # `for name in ["A", "B"]:` at module level
            got = self.eval.value(node.iter, frozenset())
            if got.known and isinstance(got.value, tuple) and got.value and all(isinstance(v, str) for v in got.value):
                self.loop_values[node.target.value] = got.value

    def leave_For(self, node: cst.For) -> None:
        self.branch_depth -= 1

    def visit_While(self, node: cst.While) -> None:
        self.branch_depth += 1

    def leave_While(self, node: cst.While) -> None:
        self.branch_depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if node.bases:
            got = self.huey_class(node.bases[0].value)
            if got:
                self.local_classes[node.name.value] = got[0]
            if not self.scopes:
                class_fact(self, node, got[0] if got else None)
        self.scopes.append(("class", id(node)))
        self.names.append(node.name.value)

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.pop()
        self.names.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        decorated(self, node)
        self.scopes.append(("def", id(node)))
        self.names.append(node.name.value)
        self.locals.append(self.local_names | function_locals(node))

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.pop()
        self.names.pop()
        self.locals.pop()

    def local_value(self, node: cst.Name) -> cst.BaseExpression | None:
        """The value of a name assigned exactly once in the function being visited (not in nested functions),
        else its module constant; None when neither can be told."""
        function = next((n for n in reversed(self.stack) if isinstance(n, cst.FunctionDef)), None)
        if function is None or node.value not in self.local_names:
            return self.eval.resolve_name(node)
        values: list[cst.BaseExpression] = []
        name = node.value

        class _Assigns(cst.CSTVisitor):
            def visit_FunctionDef(self, inner: cst.FunctionDef) -> bool:
                return inner is function

            def visit_Lambda(self, inner: cst.Lambda) -> bool:
                return False

            def visit_Assign(self, assign: cst.Assign) -> None:
                if any(isinstance(t.target, cst.Name) and t.target.value == name for t in assign.targets):
                    values.append(assign.value)

            def visit_AugAssign(self, assign: cst.AugAssign) -> None:
                if isinstance(assign.target, cst.Name) and assign.target.value == name:
                    values.extend([assign.value, assign.value])

        function.visit(_Assigns())
        return values[0] if len(values) == 1 else None

    @property
    def local_names(self) -> frozenset[str]:
        """Names local to the functions being visited: they must not resolve to module constants."""
        return self.locals[-1] if self.locals else frozenset()

    # -- imports ---------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = self.code(alias.name)
            if alias.asname and isinstance(alias.asname.name, cst.Name):
                self._bind_import(alias.asname.name.value, full)
            else:
                head = full.split(".")[0]
                self._bind_import(head, head)
                if full != head:  # `import a.b` also imports a.b: a dotted key no local name can shadow
                    self.imports[full] = full
            self.seen_imports.append((full, self.loc(alias), self.scope_ids))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        base = "." * len(node.relative) + (self.code(node.module) if node.module else "")
        self.seen_imports.append((base, self.loc(node), self.scope_ids))
        if isinstance(node.names, cst.ImportStar):
            self.facts.star_imports.append(base)
            return
        for alias in node.names:
            name = self.code(alias.name)
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            joined = base + name if base.endswith(".") else f"{base}.{name}"
            self._bind_import(local, joined)

    def _bind_import(self, local: str, qualified: str) -> None:
        self.imports[local] = qualified
        self.instances.pop(local, None)

    # -- assignments -----------------------------------------------------------
    def leave_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assigned(target.target, node.value, node)

    def leave_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node.target, node.value, node)

    def leave_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name) and isinstance(node.operator, cst.AddAssign):
            apps_assigned(self, node.target.value, "extend", node.value, node)

    def _assigned(self, target: cst.BaseExpression, value: cst.BaseExpression, stmt: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            apps_assigned(self, target.value, "set", value, stmt)
            inst = self.call_instances.get(id(value))
            if inst is None and isinstance(value, cst.Name) and value.value in self.instances:
                inst = self.instances[value.value]  # `huey = RedisHuey(...)` then `HUEY = huey`
                if not self.scopes:
                    self.facts.aliases[target.value] = value.value
            if inst is not None:
                self.instances[target.value] = inst
                self.imports.pop(target.value, None)
            elif not self.scopes and isinstance(value, (cst.Name, cst.Attribute)) and self.qualname(value):
                self.facts.bound_imports[target.value] = self.qualname(value) or ""  # `huey = queue.HUEY`
            if target.value in ("HUEY", "DJANGO_HUEY") and not self.in_function:
                huey_setting(self, target.value, value, stmt, inst)
        elif isinstance(target, cst.Attribute) and target.attr.value == "immediate":
            got = self.receiver(target.value, "immediate")
            if got:
                self.facts.immediate_assignments.append(
                    ImmediateAssignment(got[0], self.eval.value(value), self.loc(stmt), self.branch_depth > 0,
                                        in_function=self.in_function, **branch_of(self)))
        elif isinstance(target, cst.Subscript):
            subscript_assigned(self, target, value, stmt)

    # -- calls -----------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if id(node) in self.handled:
            return
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "run":
            self._run_called(func.value)
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) \
                and func.attr.value in ("append", "extend", "insert") and node.args:
            value = node.args[-1].value
            wrapped = cst.List([cst.Element(value)]) if func.attr.value != "extend" else value
            apps_assigned(self, func.value.value, "extend", wrapped, node, at=value)
        for handler in (instance_call, lock_call, signal_call, consumer_call, call_command,
                        settings_module_call, patch_call, huey_update_call):
            if handler(self, node):
                return
        self._maybe_task_call(node)

    def _run_called(self, receiver: cst.BaseExpression) -> None:
        if isinstance(receiver, cst.Name):
            self.run_receivers.add(receiver.value)
        elif isinstance(receiver, cst.Call):
            self.run_calls.add(id(receiver))

    def usage(self, node: cst.CSTNode) -> str:
        """How the value of an expression is used by its parent (HL404 reads dropped Results)."""
        parent = self.parent(node)
        while isinstance(parent, cst.Await):
            node, parent = parent, self.parent(parent)
        if isinstance(parent, cst.Expr):
            return "expression"
        if isinstance(parent, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.NamedExpr)):
            return "assigned" if getattr(parent, "value", None) is node else "other"
        if isinstance(parent, (cst.Return, cst.Lambda)):
            return "returned"
        if isinstance(parent, cst.Arg):
            return "passed"
        return "other"

    def _maybe_task_call(self, node: cst.Call) -> None:
        """Remember ``fn(...)``, ``fn.schedule(...)``, ``module.fn(...)`` until the module's tasks are known.

        Only plain names and one attribute on an imported, non-huey name are
        kept: ``huey.enqueue(...)`` or ``huey.storage.put_data(...)`` are
        not task calls.
        """
        func = node.func
        method = ""
        if isinstance(func, cst.Attribute) and func.attr.value in ("schedule", "s"):
            method = func.attr.value
            func = func.value
        if isinstance(func, cst.Name):
            name = func.value
        elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            owner = func.value.value
            owner_from = self.imports.get(owner, "")
            if not owner_from or "huey" in owner.lower() or owner_from.endswith(".HUEY") \
                    or owner_from.split(".")[0] in ("huey", "django_huey"):
                return
            name = func.attr.value
        else:
            return
        if isinstance(self.parent(node), cst.Decorator) or self.eval.env_access(node) is not None:
            return
        target = self.qualname(func) or ""
        usage = self.usage(node)
        var, scope = "", None
        parent = self.parent(node)
        if usage == "assigned" and isinstance(parent, (cst.Assign, cst.AnnAssign)):
            targets = [t.target for t in parent.targets] if isinstance(parent, cst.Assign) else [parent.target]
            if len(targets) == 1 and isinstance(targets[0], cst.Name):
                var = targets[0].value
                scope = next((n for n in reversed(self.stack) if isinstance(n, (cst.FunctionDef, cst.Module))), None)
        self.pending.append(_Pending(name, target, method, usage, self.loc(node), var, scope))

    def finish(self) -> None:
        """Resolve what needed the whole module: task calls and whether consumers are run."""
        reads: dict[int, set[str] | None] = {}
        for p in self.pending:
            task = (not p.target and p.name in self.task_names) or (p.target and may_be_task(p.target))
            if task and p.var and p.scope is not None:
                if id(p.scope) not in reads:
                    reads[id(p.scope)] = names_read(p.scope)
                read = reads[id(p.scope)]
                if read is not None and p.var not in read:
                    p.usage = "unread"  # `r = send_email(...)` and `r` never read: the Result is dropped too
            if not p.target and p.name in self.task_names:
                self.facts.task_calls.append(TaskCall(p.name, True, p.method, p.usage, p.loc))
            elif p.target and may_be_task(p.target):
                self.facts.task_calls.append(TaskCall(p.target, False, p.method, p.usage, p.loc))
        scripts = self.facts.consumer_scripts
        for i, (call_id, var, _) in enumerate(self.consumer_vars):
            runs = call_id in self.run_calls or (var is not None and var in self.run_receivers)
            if runs and not scripts[i].runs:
                old = scripts[i]
                scripts[i] = ConsumerScript(old.call, old.instance, old.options, old.options_known, True,
                                            old.vendored, old.loc)



# -- module pre-pass -----------------------------------------------------------


def _prepass(c: Collector, body: Any) -> None:
    """Collect module-level constants and functions, so values and helpers can be followed."""
    for stmt in _module_statements(body):
        if isinstance(stmt, cst.FunctionDef):
            c.functions[stmt.name.value] = stmt
        elif isinstance(stmt, cst.Assign):
            for target in stmt.targets:
                if isinstance(target.target, cst.Name):
                    c.constants.setdefault(target.target.value, []).append(stmt.value)
        elif isinstance(stmt, cst.AnnAssign) and isinstance(stmt.target, cst.Name) and stmt.value is not None:
            c.constants.setdefault(stmt.target.value, []).append(stmt.value)
        elif isinstance(stmt, cst.AugAssign) and isinstance(stmt.target, cst.Name):
            c.constants.setdefault(stmt.target.value, []).append(stmt.value)
            c.constants[stmt.target.value].append(stmt.value)  # never a single literal


def _module_statements(body: Any) -> Iterator[cst.CSTNode]:
    """Statements executed at import time, descending into if/try/with but not into defs or classes."""
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            yield from stmt.body
        elif isinstance(stmt, cst.FunctionDef):
            yield stmt
        elif isinstance(stmt, (cst.If, cst.Try, cst.TryStar, cst.With, cst.For, cst.While, cst.Else, cst.Finally,
                               cst.ExceptHandler, cst.ExceptStarHandler)):
            yield from _module_statements(stmt.body.body)
            for extra in ("orelse", "handlers", "finalbody"):
                sub = getattr(stmt, extra, None)
                if isinstance(sub, (list, tuple)):
                    yield from _module_statements(sub)
                elif sub is not None:
                    yield from _module_statements([sub])



