"""Extract huey app facts from one Python file with libcst, never importing or running it.

libcst is imported here only, so ``hueylint --version`` and non-Python runs
stay fast.  The extractor walks the module once, in source order, so import
aliases and rebinding (``import huey`` then ``huey = huey.RedisHuey()``) are
resolved the way Python would at import time.  Values are read only when they
are literals (or module constants / small local helpers holding literals);
everything else becomes an unknown :class:`~hueylint.model.Val` whose reason
names the environment variable or ``DEBUG`` when that is where it comes from
(:mod:`hueylint.pyapp.values`).  Module-level literals nothing reads are blanked first
(:mod:`hueylint.pyapp.slicing`).
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, replace
from typing import Any, Iterator
from urllib.parse import urlsplit

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from hueylint.appmodel import (
    ENVIRONMENT,
    LITERAL,
    LOOPBACK,
    TASK_KINDS,
    UNKNOWN,
    AppsAssignment,
    AppsPart,
    CallCommand,
    ClassFact,
    ConsumerScript,
    DjangoHueySetting,
    GeventPatch,
    HueyArgs,
    HueyConfig,
    HueyInstance,
    ImmediateAssignment,
    LockUse,
    ModuleFacts,
    SerializerFact,
    SignalHandler,
    StorageLocation,
    Task,
    TaskCall,
    env_var,
    is_settings_path,
    module_name,
)
from hueylint.hueyfacts import CLASS_MODULES as _CLASS_MODULES
from hueylint.hueyfacts import CONTRIB_CLASSES as _EXTRA_CLASSES
from hueylint.hueyfacts import DJANGO_MODULES as DJ_MODULES
from hueylint.hueyfacts import DJHUEY_SPECIAL_KEYS, HUEY_CLASSES
from hueylint.hueyfacts import HUEY_POSITIONAL as _HUEY_POSITIONAL
from hueylint.hueyfacts import STORAGE_LOCATION_KEYS as _STORAGE_KEYS
from hueylint.model import DJANGO_COMMANDS, Loc, Val
from hueylint.pyapp import slicing
from hueylint.pyapp.values import (
    Entry,
    Evaluator,
    function_locals,
    has_star,
    is_environ,
    target_names,
)
from hueylint.pyapp_gate import might_matter  # noqa: F401  re-exported: one implementation, libcst-free
from hueylint.sources import SourceFile

# -- vocabulary ----------------------------------------------------------------

_DECORATOR_METHODS = TASK_KINDS | {"lock_task", "signal"}
# methods only huey objects have: safe to accept on an imported receiver of any name
_HUEY_ONLY = frozenset({"lock_task", "db_task", "db_periodic_task", "on_commit_task", "context_task"})
_PATCH_OK = frozenset({"sys", "os", "gevent", "__future__"})
_NOT_TASK_MODULES = frozenset({"huey", "django", "django_huey", "gevent"}) | frozenset(sys.stdlib_module_names)
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


def extract(src: SourceFile) -> ModuleFacts:
    """Read one Python file into :class:`ModuleFacts`; a syntax error is reported, never raised."""
    facts = ModuleFacts(rel=src.rel, module=module_name(src.rel), is_settings=is_settings_path(src.rel))
    nesting, tree = _too_deep(src.text)
    if nesting is not None:
        facts.error = nesting
        return facts
    text = slicing.without_unread(src.text, tree)
    del tree  # a large module's ast tree must not stay alive next to libcst's
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        facts.error = _syntax_error(src, exc)
        return facts
    except (RecursionError, ValueError) as exc:  # pathological nesting / bad encoding declaration
        facts.error = (1, 1, f"cannot parse: {exc}")
        return facts
    try:
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        collector = _Collector(src, facts)
        wrapper.visit(collector)
        collector.finish()
    except RecursionError:  # below CPython's nesting limit, beyond libcst's recursive visitors
        facts = ModuleFacts(rel=src.rel, module=facts.module, is_settings=facts.is_settings)
        facts.error = (*_deepest_bracket(src.text), "expressions nested too deeply")
    return facts


def _deepest_bracket(text: str) -> tuple[int, int]:
    """(line, col) of the most deeply nested bracket, for the HL001 of :func:`extract`."""
    import io
    import tokenize

    depth, best, where = 0, 0, (1, 1)
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
                if depth > best:
                    best, where = depth, (token.start[0], token.start[1] + 1)
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
    except (tokenize.TokenError, SyntaxError):
        pass
    return where


def _too_deep(text: str) -> tuple[tuple[int, int, str] | None, ast.Module | None]:
    """HL001 for nesting CPython itself refuses, before libcst sees it: libcst's native parser has no
    depth guard and overflows the C stack (segfault) on a few thousand nested brackets or operators,
    while :func:`ast.parse` stops with an error.  Other syntax errors are left to libcst, which places them.
    Also returns the ``ast`` tree when CPython parses the text (for :mod:`hueylint.pyapp.slicing`)."""
    try:
        return None, ast.parse(text)
    except (RecursionError, MemoryError):
        return (1, 1, "expressions nested too deeply"), None
    except SyntaxError as exc:
        if "too many" in (exc.msg or ""):  # nested parentheses, levels of indentation, statically nested blocks
            return (exc.lineno or 1, max(exc.offset or 1, 1), exc.msg), None
    except ValueError:  # NUL bytes (older Pythons): libcst reports them
        pass
    return None, None


def _syntax_error(src: SourceFile, exc: cst.ParserSyntaxError) -> tuple[int, int, str]:
    """Where and why the file does not parse, for HL001.

    libcst reports where its parser gave up, often a line late; Python's own
    compiler (parsing only, nothing runs) pinpoints the error.  libcst accepts
    newer syntax than the running Python, so its answer is the fallback.
    """
    try:
        compile(src.text, src.rel, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as err:
        return (err.lineno or exc.raw_line, err.offset or 1, err.msg)
    except (ValueError, RecursionError, MemoryError):
        pass
    return (exc.raw_line, exc.raw_column + 1, exc.message)


# -- the collector -----------------------------------------------------------


class _Collector(cst.CSTVisitor):
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
        if isinstance(node, cst.Call) and _is_get_queue(self, node):
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
                _class_fact(self, node, got[0] if got else None)
        self.scopes.append(("class", id(node)))
        self.names.append(node.name.value)

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.pop()
        self.names.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        _decorated(self, node)
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
            _apps_assigned(self, node.target.value, "extend", node.value, node)

    def _assigned(self, target: cst.BaseExpression, value: cst.BaseExpression, stmt: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            _apps_assigned(self, target.value, "set", value, stmt)
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
                _setting(self, target.value, value, stmt, inst)
        elif isinstance(target, cst.Attribute) and target.attr.value == "immediate":
            got = self.receiver(target.value, "immediate")
            if got:
                self.facts.immediate_assignments.append(
                    ImmediateAssignment(got[0], self.eval.value(value), self.loc(stmt), self.branch_depth > 0,
                                        in_function=self.in_function, **_branch(self)))
        elif isinstance(target, cst.Subscript):
            _subscript_assigned(self, target, value, stmt)

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
            _apps_assigned(self, func.value.value, "extend", wrapped, node, at=value)
        for handler in (_instance_call, _lock_call, _signal_call, _consumer_call, _call_command,
                        _settings_module_call, _patch_call, _huey_update_call):
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
            task = (not p.target and p.name in self.task_names) or (p.target and _may_be_task(p.target))
            if task and p.var and p.scope is not None:
                if id(p.scope) not in reads:
                    reads[id(p.scope)] = _names_read(p.scope)
                read = reads[id(p.scope)]
                if read is not None and p.var not in read:
                    p.usage = "unread"  # `r = send_email(...)` and `r` never read: the Result is dropped too
            if not p.target and p.name in self.task_names:
                self.facts.task_calls.append(TaskCall(p.name, True, p.method, p.usage, p.loc))
            elif p.target and _may_be_task(p.target):
                self.facts.task_calls.append(TaskCall(p.target, False, p.method, p.usage, p.loc))
        scripts = self.facts.consumer_scripts
        for i, (call_id, var, _) in enumerate(self.consumer_vars):
            runs = call_id in self.run_calls or (var is not None and var in self.run_receivers)
            if runs and not scripts[i].runs:
                old = scripts[i]
                scripts[i] = ConsumerScript(old.call, old.instance, old.options, old.options_known, True,
                                            old.vendored, old.loc)


def _class_fact(c: _Collector, node: cst.ClassDef, huey_class: str | None) -> None:
    """Record a module-level class: its bases as imports and a ``storage_class = X`` attribute."""
    bases = tuple(c.qualname(base.value) or c.code(base.value) for base in node.bases
                  if base.keyword is None and isinstance(base.value, (cst.Name, cst.Attribute)))
    storage = None
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    for line in body:
        for stmt in line.body if isinstance(line, cst.SimpleStatementLine) else ():
            if isinstance(stmt, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == "storage_class"
                                                    for t in stmt.targets):
                value = stmt.value
                written = c.qualname(value) if isinstance(value, (cst.Name, cst.Attribute)) else None
                storage = Val(written or c.code(value), c.loc(stmt))
    for base in bases if storage is None else ():  # inherited from a class of this module
        inherited = c.facts.classes.get(base)
        if inherited is not None and inherited.storage_class is not None:
            storage = inherited.storage_class
            break
    c.facts.classes[node.name.value] = ClassFact(node.name.value, huey_class, bases, storage, c.loc(node.name))


def _names_read(scope: cst.CSTNode) -> set[str] | None:
    """The names read anywhere in ``scope`` (nested functions included, assignment targets not; a name in a
    ``global``/``nonlocal`` declaration counts as read); None when names may escape (``locals()``, ``vars()``)."""
    stores: set[int] = set()
    reads: set[str] = set()

    class _Names(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            stores.update(id(n) for n in target_names(node.target))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            stores.update(id(n) for n in target_names(node.target))

        def visit_For(self, node: cst.For) -> None:
            stores.update(id(n) for n in target_names(node.target))

        def visit_Global(self, node: cst.Global) -> None:
            reads.update(item.name.value for item in node.names)

        def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
            reads.update(item.name.value for item in node.names)

        def visit_Name(self, node: cst.Name) -> None:
            if id(node) not in stores:
                reads.add(node.value)

    scope.visit(_Names())
    return None if reads & {"locals", "vars"} else reads


def _may_be_task(target: str) -> bool:
    """An imported callee that could be a task of the repo: not stdlib/huey/django/gevent, not a class."""
    bare = target.lstrip(".")
    if not bare or bare.rsplit(".", 1)[-1][:1].isupper():
        return False
    if not target.startswith(".") and bare.split(".")[0] in _NOT_TASK_MODULES:
        return False
    return target.startswith(".") or "." in bare


# -- INSTALLED_APPS ----------------------------------------------------------------

_APPS_NAME = re.compile(r"^(INSTALLED_APPS|[A-Z][A-Z0-9_]*_APPS)$")


def _apps_assigned(c: _Collector, name: str, op: str, value: cst.BaseExpression, stmt: cst.CSTNode,
                   at: cst.CSTNode | None = None) -> None:
    """A module-level ``INSTALLED_APPS``/``*_APPS`` assignment or extension (class bodies are not settings)."""
    if c.scopes or not _APPS_NAME.match(name):
        return
    parts = tuple(_apps_parts(c, value, at))
    c.facts.installed_apps.append(AppsAssignment(name, op, parts, c.loc(stmt), c.branch_depth > 0))


def _apps_parts(c: _Collector, node: cst.BaseExpression, at: cst.CSTNode | None = None) -> Iterator[AppsPart]:
    if isinstance(node, (cst.List, cst.Tuple)):
        for element in node.elements:
            where = c.loc(at if at is not None else element.value)
            if isinstance(element, cst.StarredElement):
                if isinstance(element.value, cst.Name):
                    yield AppsPart("ref", element.value.value, where)
                else:
                    yield from _apps_parts(c, element.value)
                continue
            text = _string(element.value)
            yield AppsPart("app", text, where) if text is not None else AppsPart("unknown", "", where)
    elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        yield from _apps_parts(c, node.left)
        yield from _apps_parts(c, node.right)
    elif isinstance(node, cst.Name):
        yield AppsPart("ref", node.value, c.loc(node))
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in ("list", "tuple") \
            and len(node.args) == 1 and not node.args[0].star:
        yield from _apps_parts(c, node.args[0].value)
    else:
        yield AppsPart("unknown", "", c.loc(node))


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        try:
            value = ast.literal_eval(node.value)
        except (ValueError, SyntaxError):
            return None
        return value if isinstance(value, str) else None
    return None


# -- module pre-pass -----------------------------------------------------------


def _prepass(c: _Collector, body: Any) -> None:
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


# -- decorated functions -------------------------------------------------------


def _decorated(c: _Collector, node: cst.FunctionDef) -> None:
    """Tasks, lock decorators and signal handlers declared by a function's decorators."""
    roles = []
    for index, dec in enumerate(node.decorators):
        expr = dec.decorator
        call = expr if isinstance(expr, cst.Call) else None
        got = c.role(call.func if call else expr)
        if got:
            if call is not None:
                c.handled.add(id(call))
            roles.append((index, got, expr, call))
    task_role = next((r for r in roles if r[1][0] in TASK_KINDS), None)
    task_loc = c.loc(task_role[2]) if task_role else None
    qualname = ".".join([*c.names, node.name.value])
    if task_role:
        _add_task(c, node, task_role, qualname)
    for index, (method, _, _), expr, call in roles:
        if method == "lock_task":
            name, ttl = _lock_args(c, call)
            above = task_role is not None and index < task_role[0]
            c.facts.locks.append(LockUse("decorator", name, ttl, c.loc(expr), not c.in_function,
                                         qualname, task_loc, above, _name_text(c, call),
                                         _queue_of(c, call.func if call else expr, call)))
        elif method == "signal":
            _add_signal_handler(c, node, call, expr)


def _add_task(c: _Collector, node: cst.FunctionDef, role: tuple, qualname: str) -> None:
    _, (kind, instance, inst_from), expr, call = role
    ret = _first_value_return(node.body)
    c.task_names.add(node.name.value)
    c.facts.tasks.append(Task(
        name=node.name.value, qualname=qualname, kind=kind, instance=instance, instance_from=inst_from,
        decorator_called=call is not None, returns_value=ret is not None, loc=c.loc(expr),
        def_loc=c.loc(node.name), return_loc=c.loc(ret) if ret is not None else None,
        queue=_queue_of(c, call.func if call else expr, call),
    ))


def _is_get_queue(c: _Collector, node: cst.Call) -> bool:
    return (c.qualname(node.func) or "") == "django_huey.get_queue"


def _queue_of(c: _Collector, func: cst.BaseExpression, call: cst.Call | None) -> Val[str] | None:
    """The django-huey queue of a task or lock: ``@db_task(queue='x')``, ``lock_task(name, queue='x')``,
    ``get_queue('x').lock_task(...)`` or a name bound to ``get_queue('x')``; None for the default queue
    (and for huey/djhuey, which have one)."""
    receiver = func.value if isinstance(func, cst.Attribute) else None
    if receiver is not None:
        resolved = c.eval.resolve_name(receiver) if isinstance(receiver, cst.Name) else receiver
        if not (isinstance(resolved, cst.Call) and _is_get_queue(c, resolved)):
            return None
        args = _bind_args(resolved, ("name",))
        return _queue_val(c, args.get("name"))
    got = c.dj_function(func) if isinstance(func, cst.Name) else None
    if got is None or got[1] != "django_huey" or call is None:
        return None
    params = _lock_params(c, call) if got[0] == "lock_task" else ()
    return _queue_val(c, _bind_args(call, params).get("queue"))


def _queue_val(c: _Collector, node: cst.BaseExpression | None) -> Val[str] | None:
    if node is None:
        return None
    got = c.eval.value(node)
    return None if got.known and got.value is None else got


def _name_text(c: _Collector, call: cst.Call | None) -> str:
    """The lock name argument as written, for messages."""
    if call is None:
        return ""
    node = _bind_args(call, _lock_params(c, call)).get("lock_name")
    return c.code(node) if node is not None else ""


def _first_value_return(body: cst.CSTNode) -> cst.Return | None:
    """The first ``return <value>`` other than ``return None`` in this function (not nested ones)."""
    found: list[cst.Return] = []

    class _Returns(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Return(self, node: cst.Return) -> None:
            value = node.value
            if value is not None and not (isinstance(value, cst.Name) and value.value == "None"):
                found.append(node)

    body.visit(_Returns())
    return found[0] if found else None


def _lock_args(c: _Collector, call: cst.Call | None) -> tuple[Val[Any] | None, Val[Any] | None]:
    """The lock name and ``ttl=`` of a ``lock_task(name, ttl=None)`` call."""
    if call is None:
        return None, None
    args = _bind_args(call, _lock_params(c, call))
    name = c.eval.value(args["lock_name"]) if "lock_name" in args else None
    ttl = c.eval.value(args["ttl"]) if "ttl" in args else None
    return name, ttl


def _lock_params(c: _Collector, call: cst.Call) -> tuple[str, ...]:
    """Positional parameters of a lock call: huey's ``lock_task(lock_name, ttl=None)``, django-huey's module
    function ``lock_task(lock_name, queue=None)``."""
    got = c.dj_function(call.func) if isinstance(call.func, cst.Name) else None
    return ("lock_name", "queue") if got is not None and got[1] == "django_huey" else ("lock_name", "ttl")


def _add_signal_handler(c: _Collector, node: cst.FunctionDef, call: cst.Call | None, expr: cst.CSTNode) -> None:
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


def _signal_call(c: _Collector, node: cst.Call) -> bool:
    """``huey.signal(SIGNAL_INTERRUPTED)(handler)``: registration without decorator syntax."""
    inner = node.func
    if not (isinstance(inner, cst.Call) and node.args and isinstance(node.args[0].value, cst.Name)):
        return False
    got = c.role(inner.func)
    function = c.functions.get(node.args[0].value.value)
    if not got or got[0] != "signal" or function is None:
        return False
    c.handled.add(id(inner))
    _add_signal_handler(c, function, inner, node)
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


def _calls_enqueue(c: _Collector, body: cst.CSTNode) -> bool:
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


# -- calls -----------------------------------------------------------------------


def _bind_args(call: cst.Call, positional: tuple[str, ...]) -> dict[str, cst.BaseExpression]:
    """Map a call's arguments to parameter names; stops at ``*args`` (later positions are unknown)."""
    bound: dict[str, cst.BaseExpression] = {}
    index = 0
    for arg in call.args:
        if arg.star:
            index = len(positional)
            continue
        if arg.keyword is not None:
            bound[arg.keyword.value] = arg.value
        elif index < len(positional):
            bound[positional[index]] = arg.value
            index += 1
    return bound


def _instance_call(c: _Collector, node: cst.Call) -> bool:
    """``RedisHuey(...)``: a huey instance (HL401-HL408 read its arguments)."""
    got = c.huey_class(node.func)
    if not got:
        return False
    class_name, written = got
    positional = [a for a in node.args if a.keyword is None and not a.star]
    second = c.loc(positional[1].value) if len(positional) >= 2 else None
    bound = _bind_args(node, _HUEY_POSITIONAL)
    entries = {k: (v, c.loc(v), c.local_names) for k, v in bound.items()}
    args = _huey_args(c, entries, complete=not has_star(node))
    own = c.facts.classes.get(node.func.value) if isinstance(node.func, cst.Name) else None
    if own is not None and own.storage_class is not None and args.storage_class is None:
        args = HueyArgs(**{**_args_dict(args), "storage_class": own.storage_class})  # class MyHuey(Huey): storage_class = X
    parent = c.parent(node)
    var = None
    if isinstance(parent, (cst.Assign, cst.AnnAssign)) and parent.value is node:
        targets = [t.target for t in parent.targets] if isinstance(parent, cst.Assign) else [parent.target]
        names = [t.value for t in targets if isinstance(t, cst.Name)]
        var = names[0] if names else None
    inst = HueyInstance(**_args_dict(args), var=var, class_name=class_name, written_class=written,
                        second_positional=second, loc=c.loc(node), in_function=c.in_function,
                        conditional=c.branch_depth > 0, **_branch(c))
    c.facts.instances.append(inst)
    c.call_instances[id(node)] = inst
    return True


_DEV_WORDS = re.compile(r"debug|test|dev|local", re.I)
_PROD_WORDS = re.compile(r"prod|staging|live|deploy", re.I)


def _branch(c: _Collector) -> dict[str, Any]:
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


def _where(c: _Collector) -> dict[str, Any]:
    """``conditional``, ``branch`` and ``dev_branch`` of a setting defined where the collector stands."""
    return {"conditional": c.branch_depth > 0, **_branch(c)}


def _args_dict(args: HueyArgs) -> dict[str, Any]:
    return {name: getattr(args, name) for name in HueyArgs.__dataclass_fields__}


def _huey_args(c: _Collector, entries: dict[str, tuple[cst.BaseExpression, Loc, frozenset[str]]],
               complete: bool) -> HueyArgs:
    """Read the arguments rules care about from ``name -> (node, loc, shadowed names)``."""
    def val(key: str) -> Val[Any] | None:
        if key not in entries:
            return None
        node, loc, shadow = entries[key]
        got = c.eval.value(node, shadow)
        return Val(got.value, loc, got.unknown) if got.known else Val(None, loc, got.unknown)

    compression = None
    for key in ("compression", "use_zlib"):
        got = val(key)
        if got is not None and not (got.known and not got.value):
            compression = compression or got.loc
    storage, passwords = _storage(c, entries)
    serializer = None
    if "serializer" in entries:
        node, _, shadow = entries["serializer"]
        serializer = _serializer(c, node, shadow)
    kwargs = {k: v for k in entries if (v := val(k)) is not None}
    return HueyArgs(name=val("name"), immediate=val("immediate"), results=val("results"),
                    serializer=serializer, compression=compression, storage_class=_storage_class(c, entries),
                    storage=tuple(storage), passwords=tuple(passwords), kwargs=kwargs, complete=complete)


def _storage_class(c: _Collector, entries: dict[str, tuple[cst.BaseExpression, Loc, frozenset[str]]]
                   ) -> Val[str] | None:
    """``storage_class=RedisStorage``: the class as imported (``huey.storage.RedisStorage``) or as written."""
    if "storage_class" not in entries:
        return None
    node, loc, shadow = entries["storage_class"]
    if isinstance(node, (cst.Name, cst.Attribute)):
        return Val(c.qualname(node) or c.code(node), loc)
    got = c.eval.value(node, shadow)
    return _at(got, loc)


def _serializer(c: _Collector, node: cst.BaseExpression, shadow: frozenset[str]) -> SerializerFact:
    """``serializer=SignedSerializer(secret=...)``: signed or not, and whether the secret is a literal."""
    loc = c.loc(node)
    resolved = c.eval.resolve_name(node, shadow)
    if not isinstance(resolved, cst.Call):
        return SerializerFact(c.code(node), None, None, loc)
    func = resolved.func
    written = c.code(func)
    last = func.attr.value if isinstance(func, cst.Attribute) else written
    qn = c.qualname(func) or ""
    if last == "SignedSerializer" or qn.endswith(".SignedSerializer"):
        args = _bind_args(resolved, ("secret", "salt"))
        secret = c.eval.value(args["secret"], shadow) if "secret" in args else None
        if secret is None and has_star(resolved):
            secret = Val(None, loc, "**kwargs")
        return SerializerFact("SignedSerializer", True, secret, loc)
    if last == "Serializer" and (qn.startswith("huey") or not qn):
        return SerializerFact("Serializer", False, None, loc)
    return SerializerFact(written, None, None, loc)


def _storage(c: _Collector, entries: dict[str, tuple[cst.BaseExpression, Loc, frozenset[str]]]
             ) -> tuple[list[StorageLocation], list[Val[str]]]:
    """Storage locations and literal passwords from ``host``/``url``/``dsn``/... and ``password=``."""
    locations: list[StorageLocation] = []
    passwords: list[Val[str]] = []
    for key in _STORAGE_KEYS:
        if key not in entries:
            continue
        node, loc, shadow = entries[key]
        if key == "connection_pool":
            locations.append(_pool_location(c, node, loc, shadow, passwords))
        else:
            locations.append(_location(c, key, node, loc, shadow, passwords))
    if "password" in entries:
        node, loc, shadow = entries["password"]
        got = c.eval.value(node, shadow)
        if got.known and isinstance(got.value, str) and got.value:
            passwords.append(Val(got.value, c.eval.origin(node, shadow) or loc))
    return locations, passwords


def _pool_location(c: _Collector, node: cst.BaseExpression, loc: Loc, shadow: frozenset[str],
                   passwords: list[Val[str]]) -> StorageLocation:
    """``connection_pool=ConnectionPool(host=...)`` or ``ConnectionPool.from_url(url)``: read the inner host/url."""
    resolved = c.eval.resolve_name(node, shadow)
    if isinstance(resolved, cst.Call):
        func = resolved.func
        if isinstance(func, cst.Attribute) and func.attr.value == "from_url" and resolved.args:
            inner = _location(c, "url", resolved.args[0].value, loc, shadow, passwords)
            return StorageLocation("connection_pool", inner.kind, inner.value, inner.host)
        bound = _bind_args(resolved, ())
        for key in ("host", "url", "path"):
            if key in bound:
                inner = _location(c, key, bound[key], loc, shadow, passwords)
                if "password" in bound:
                    got = c.eval.value(bound["password"], shadow)
                    if got.known and isinstance(got.value, str) and got.value:
                        passwords.append(Val(got.value, c.loc(bound["password"])))
                return StorageLocation("connection_pool", inner.kind, inner.value, inner.host)
    got = c.eval.value(node, shadow)
    kind = ENVIRONMENT if env_var(got) else UNKNOWN
    return StorageLocation("connection_pool", kind, Val(None, loc, got.unknown or "connection pool"))


def _location(c: _Collector, key: str, node: cst.BaseExpression, loc: Loc, shadow: frozenset[str],
              passwords: list[Val[str]]) -> StorageLocation:
    """Classify one storage argument as literal / loopback / environment / unknown."""
    got = c.eval.value(node, shadow)
    origin = c.eval.origin(node, shadow) or loc
    if got.known:
        if not isinstance(got.value, str):
            return StorageLocation(key, UNKNOWN, Val(None, loc, "not a string"))
        value = Val(got.value, origin)
        if key in ("filename", "path"):
            return StorageLocation(key, LITERAL, value)
        host, password = _host_and_password(key, got.value)
        if password:
            passwords.append(Val(password, origin))
        return StorageLocation(key, LOOPBACK if _is_loopback(host) else LITERAL, value, host)
    template = c.eval.template(node, shadow)
    if template is not None and key in ("url", "dsn"):
        text, exprs = template
        host, password = _host_and_password(key, text)
        if password and "\0" not in password:
            passwords.append(Val(password, origin))
        if host is not None and "\0" not in host:
            return StorageLocation(key, LOOPBACK if _is_loopback(host) else LITERAL,
                                   Val(None, loc, got.unknown), host)
        if host is not None:  # the host comes from the expression(s) written there: their provenance counts
            index = text.count("\0", 0, _host_start(text))
            source = exprs[index] if index < len(exprs) else node
            reason = c.eval.value(source, shadow).unknown or got.unknown
            kind = ENVIRONMENT if env_var(Val(None, loc, reason)) else UNKNOWN
            return StorageLocation(key, kind, Val(None, loc, reason))
    kind = ENVIRONMENT if env_var(got) else UNKNOWN
    return StorageLocation(key, kind, Val(None, loc, got.unknown))


def _host_and_password(key: str, text: str) -> tuple[str | None, str | None]:
    """Host and password of a host value, a URL or a libpq DSN; None host means "local default".

    ``text`` may hold NULs where a built string has a non-literal part (:meth:`Evaluator.template`):
    a part at the very start of a URL (``f"{REDIS_URL}/0"``, ``f"{url}?db={n}"``) brings scheme and host,
    so the host is that NUL; a query string's ``=`` never makes a URL a libpq DSN.
    """
    if key == "host":
        return text, None
    if "://" in text:
        scheme, _, rest = text.partition("://")
        try:
            parts = urlsplit(("built" if "\0" in scheme else scheme) + "://" + rest)
            host, password = parts.hostname, parts.password
        except ValueError:
            return text, None
        if parts.scheme.startswith("unix"):
            return "localhost", password
        if host is None and "\0" in parts.netloc:
            return "\0", password
        return host or "", password
    if text.startswith("\0") and not re.search(r"(?:^|\s)host\s*=", text) \
            and (text[1:2] in ("", "/", "?", ":", "#", "@") or "=" not in text.split("?", 1)[0]):
        return "\0", None
    if key == "dsn" or "=" in text:
        fields = {m.group(1): m.group(2) for m in re.finditer(r"(\w+)\s*=\s*'?([^'\s]*)'?", text)}
        return fields.get("host", ""), fields.get("password")
    return text, None


def _host_start(text: str) -> int:
    """Offset of the host part in a URL or DSN text (0 when a leading part brings scheme and host)."""
    if "://" in text:
        start = text.index("://") + 3
        end = min((i for i in (text.find(c, start) for c in "/?#") if i >= 0), default=len(text))
        at = text.rfind("@", start, end)
        return at + 1 if at >= 0 else start
    match = re.search(r"(?:^|\s)host\s*=\s*'?", text)
    return match.end() if match else 0


def _is_loopback(host: str | None) -> bool:
    """localhost, 127.0.0.0/8, ::1, unix sockets and an empty host (client default: local)."""
    if host is None:
        return False
    host = host.strip("[]").lower()
    return host in ("", "localhost", "localhost.localdomain", "::1", "0:0:0:0:0:0:0:1") or \
        host.startswith("127.") or host.startswith("/")


def _lock_call(c: _Collector, node: cst.Call) -> bool:
    """``with huey.lock_task('x'):`` or ``LOCK = huey.lock_task('x')`` (not a decorator)."""
    got = c.role(node.func)
    if not got or got[0] != "lock_task":
        return False
    parent = c.parent(node)
    form = "context" if isinstance(parent, cst.WithItem) else "call"
    name, ttl = _lock_args(c, node)
    function = ".".join(c.names)
    c.facts.locks.append(LockUse(form, name, ttl, c.loc(node), not c.in_function, function,
                                 name_text=_name_text(c, node), queue=_queue_of(c, node.func, node)))
    return True


def _consumer_call(c: _Collector, node: cst.Call) -> bool:
    """``huey.create_consumer(...)`` / ``Consumer(huey, ...)``: a consumer started from Python code."""
    func = node.func
    if isinstance(func, cst.Attribute) and func.attr.value == "create_consumer":
        call, instance = "create_consumer", c.code(func.value)
    elif (c.qualname(func) or "") in ("huey.consumer.Consumer", "huey.Consumer"):
        call = "Consumer"
        first = next((a for a in node.args if a.keyword is None and not a.star), None)
        instance = c.code(first.value) if first else ""
    else:
        return False
    options, known = _consumer_options(c, node, 0)
    runs = False
    parent = c.parent(node)
    var = None
    if isinstance(parent, cst.Assign) and parent.value is node:
        names = [t.target.value for t in parent.targets if isinstance(t.target, cst.Name)]
        var = names[0] if names else None
    elif isinstance(parent, cst.Attribute) and parent.attr.value == "run":
        runs = True
    c.consumer_vars.append((id(node), var, runs))
    c.facts.consumer_scripts.append(ConsumerScript(call, instance, options, known, runs, c.vendored, c.loc(node)))
    return True


_CONFIG_CLASSES = ("huey.consumer_options.ConsumerConfig", "huey.ConsumerConfig")


def _consumer_options(c: _Collector, node: cst.Call, depth: int) -> tuple[dict[str, Val[Any]], bool]:
    """Keyword options of a consumer call, ``**``-splats followed: ``**config.values`` / ``**config._asdict()``
    of a ``ConsumerConfig(...)``, ``**{...}`` / ``**dict(...)`` / a name bound to one.  A ConsumerConfig's
    options not written are its defaults, huey's own.  ``known`` is False when a splat cannot be read."""
    options: dict[str, Val[Any]] = {}
    known = depth <= 4
    for arg in node.args:
        if arg.keyword is not None:
            options[arg.keyword.value] = _at(c.eval.value(arg.value), c.loc(arg))
        elif arg.star == "**" and known:
            got = _splat_options(c, arg.value, depth)
            if got is None:
                known = False
            else:
                options.update(got[0])
                known = known and got[1]
        elif arg.star:
            known = False
    return options, known


def _splat_options(c: _Collector, node: cst.BaseExpression, depth: int) -> tuple[dict[str, Val[Any]], bool] | None:
    target = node
    if isinstance(node, cst.Attribute) and node.attr.value == "values":
        target = node.value
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "_asdict":
        target = node.func.value
    if target is not node:
        config = c.local_value(target) if isinstance(target, cst.Name) else target
        if isinstance(config, cst.Call) and (c.qualname(config.func) or "") in _CONFIG_CLASSES:
            return _consumer_options(c, config, depth + 1)
        return None
    value = c.local_value(node) if isinstance(node, cst.Name) else node
    entries = c.eval.dict_entries(value, frozenset()) if value is not None else None
    if entries is None:
        return None
    return {key: _at(c.eval.value(e.node, e.shadow), e.loc) for key, e in entries[0].items()}, entries[1]


def _call_command(c: _Collector, node: cst.Call) -> bool:
    """``call_command("run_huey", ...)``: an app CLI that runs the consumer in-process."""
    func = node.func
    last = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else ""
    if last != "call_command" or not node.args or node.args[0].keyword is not None:
        return False
    command = c.eval.value(node.args[0].value)
    if not command.known or command.value not in DJANGO_COMMANDS:
        return False
    args = tuple(c.eval.value(a.value) for a in node.args[1:] if a.keyword is None and not a.star)
    kwargs = {a.keyword.value: _at(c.eval.value(a.value), c.loc(a)) for a in node.args if a.keyword is not None}
    c.facts.call_commands.append(CallCommand(command.value, args, kwargs, not has_star(node), c.loc(node)))
    return True


def _at(val: Val[Any], loc: Loc) -> Val[Any]:
    return Val(val.value, loc, val.unknown)


def _settings_module_call(c: _Collector, node: cst.Call) -> bool:
    """``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x.settings")``: where run_huey finds HUEY."""
    func = node.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "setdefault" and is_environ(c, func.value)):
        return False
    if len(node.args) < 2:
        return False
    key = c.eval.value(node.args[0].value)
    if key.value != "DJANGO_SETTINGS_MODULE":
        return False
    c.facts.django_settings_modules.append(_at(c.eval.value(node.args[1].value), c.loc(node.args[1].value)))
    return True


def _subscript_assigned(c: _Collector, target: cst.Subscript, value: cst.BaseExpression, stmt: cst.CSTNode) -> None:
    """``os.environ['DJANGO_SETTINGS_MODULE'] = ...`` and ``HUEY['key'] = ...`` updates."""
    key = _subscript_key(c, target)
    if key is None:
        return
    if is_environ(c, target.value) and key == "DJANGO_SETTINGS_MODULE":
        c.facts.django_settings_modules.append(_at(c.eval.value(value), c.loc(value)))
        return
    if c.in_function:
        return
    if isinstance(target.value, cst.Name) and target.value.value == "HUEY":
        entries = {key: Entry(key, value, c.loc(stmt), frozenset())}
        _update_setting(c, entries, stmt)
    elif isinstance(target.value, cst.Subscript) and isinstance(target.value.value, cst.Name) \
            and target.value.value.value == "HUEY" and _subscript_key(c, target.value) == "consumer":
        loc = c.loc(stmt)
        config = HueyConfig(complete=False, consumer={key: _at(c.eval.value(value), loc)},
                            consumer_loc=loc, consumer_complete=False, loc=loc)
        c.facts.django_settings.append(DjangoHueySetting("HUEY", "update", loc, config=config, **_where(c)))


def _subscript_key(c: _Collector, target: cst.Subscript) -> str | None:
    if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
        return None
    got = c.eval.value(target.slice[0].slice.value)
    return got.value if got.known and isinstance(got.value, str) else None


def _huey_update_call(c: _Collector, node: cst.Call) -> bool:
    """``HUEY.update({...})`` at module level, typically after ``from .base import *``."""
    func = node.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "update" and isinstance(func.value, cst.Name)
            and func.value.value == "HUEY" and "HUEY" not in c.instances) or c.in_function:
        return False
    entries, _ = c.eval.dict_entries_of_call_args(node)
    _update_setting(c, entries, node)
    return True


def _update_setting(c: _Collector, entries: dict[str, Entry], node: cst.CSTNode) -> None:
    """A partial HUEY (``complete=False``): absent keys may be set in the settings it star-imports."""
    config = _config(c, entries, False, c.loc(node))
    c.facts.django_settings.append(DjangoHueySetting("HUEY", "update", c.loc(node), config=config, **_where(c)))


def _patch_call(c: _Collector, node: cst.Call) -> bool:
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


# -- Django settings -------------------------------------------------------------


def _setting(c: _Collector, name: str, value: cst.BaseExpression, stmt: cst.CSTNode,
             inst: HueyInstance | None) -> None:
    """A module-level ``HUEY = ...`` / ``DJANGO_HUEY = ...``."""
    loc = c.loc(stmt)
    got = c.eval.dict_entries(value, frozenset()) if inst is None else None
    branch = _where(c)
    if inst is not None:
        setting = DjangoHueySetting(name, "instance", loc, instance=inst)
    elif got is None and isinstance(value, (cst.Name, cst.Attribute)) and c.qualname(value):
        setting = DjangoHueySetting(name, "ref", loc, ref=c.qualname(value) or "")  # `HUEY = queue.HUEY`
    elif got is None:
        setting = DjangoHueySetting(name, "unknown", loc)
    elif name == "HUEY":
        setting = DjangoHueySetting(name, "dict", loc, config=_config(c, got[0], got[1], c.loc(value)))
    else:
        setting = _django_huey(c, got[0], got[1], loc)
    c.facts.django_settings.append(replace(setting, **branch))


def _django_huey(c: _Collector, entries: dict[str, Entry], complete: bool, loc: Loc) -> DjangoHueySetting:
    """django-huey's ``DJANGO_HUEY = {'default': name, 'queues': {name: {...}}}``."""
    default = _entry_val(c, entries["default"]) if "default" in entries else None
    queues: dict[str, HueyConfig] = {}
    queues_complete = complete
    listed = c.eval.dict_entries(entries["queues"].node, entries["queues"].shadow) if "queues" in entries else None
    if listed is None:
        queues_complete = queues_complete and "queues" not in entries
    else:
        queues_complete = queues_complete and listed[1]
        for qname, qe in listed[0].items():
            sub = c.eval.dict_entries(qe.node, qe.shadow)
            if sub is None:
                queues_complete = False
            else:
                queues[qname] = _config(c, sub[0], sub[1], qe.loc)
    return DjangoHueySetting("DJANGO_HUEY", "dict", loc, default=default, queues=queues,
                             queues_complete=queues_complete)


def _entry_val(c: _Collector, entry: Entry) -> Val[Any]:
    """The Val of a settings entry; a nested dict becomes ``{key: Val}`` (unknown if it may hide keys)."""
    sub = c.eval.dict_entries(entry.node, entry.shadow)
    if sub is not None:
        values = {k: _entry_val(c, e) for k, e in sub[0].items()}
        return Val(values, entry.loc, "" if sub[1] else "dict splat")
    return _at(c.eval.value(entry.node, entry.shadow), entry.loc)


def _sub_dict(c: _Collector, entries: dict[str, Entry], key: str
              ) -> tuple[dict[str, Entry] | None, bool]:
    """The entries of a nested dict (``'consumer'``, ``'connection'``) and whether they are all known."""
    if key not in entries:
        return None, True
    got = c.eval.dict_entries(entries[key].node, entries[key].shadow)
    return (None, False) if got is None else got


def _huey_class(c: _Collector, entries: dict[str, Entry]) -> Val[str] | None:
    """``'huey_class': 'huey.RedisExpireHuey'`` -> ``RedisExpireHuey``."""
    if "huey_class" not in entries:
        return None
    e = entries["huey_class"]
    got = c.eval.value(e.node, e.shadow)
    if got.known and isinstance(got.value, str):
        return Val(got.value.rsplit(".", 1)[-1], e.loc)
    return Val(None, e.loc, got.unknown or "not a string")


def _config(c: _Collector, entries: dict[str, Entry], complete: bool, loc: Loc) -> HueyConfig:
    """Build a :class:`HueyConfig` the way djhuey reads a ``HUEY`` dict (``connection`` merged over the top)."""
    huey_entries = {k: (e.node, e.loc, e.shadow) for k, e in entries.items()
                    if k not in DJHUEY_SPECIAL_KEYS}
    conn_entries, _ = _sub_dict(c, entries, "connection")
    huey_entries.update({k: (e.node, e.loc, e.shadow) for k, e in (conn_entries or {}).items()})
    fields = _args_dict(_huey_args(c, huey_entries, complete))
    if "connection" in entries and conn_entries is None:
        unknown = StorageLocation("connection", UNKNOWN, Val(None, entries["connection"].loc, "expression"))
        fields["storage"] = (*fields["storage"], unknown)
    consumer_entries, consumer_complete = _sub_dict(c, entries, "consumer")
    all_entries = {k: _entry_val(c, e) for k, e in entries.items()}
    fields["kwargs"] = all_entries
    return HueyConfig(
        **fields, entries=all_entries, huey_class=_huey_class(c, entries),
        connection=None if conn_entries is None else {k: _entry_val(c, e) for k, e in conn_entries.items()},
        consumer=None if consumer_entries is None else {k: _entry_val(c, e) for k, e in consumer_entries.items()},
        consumer_loc=entries["consumer"].loc if "consumer" in entries else None,
        consumer_complete=consumer_complete, loc=loc,
    )
