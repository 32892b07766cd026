"""Task decorators, task calls and locks: ``@huey.task()``, ``@lock_task(...)``, ``with huey.lock_task(...)``,
and whether a called function may be a task of the repository."""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

from hueylint.appmodel import (
    TASK_KINDS,
    LockFlush,
    LockUse,
    Task,
)
from hueylint.hueyfacts import CONSUMER_CLASSES
from hueylint.model import Val
from hueylint.pyapp.signals import add_signal_handler
from hueylint.pyapp.values import FUNCTIONS, bind_args, call_args, is_none, statements, target_names, walk_scope
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern

_NOT_TASK_MODULES = frozenset({"huey", "django", "django_huey", "gevent"}) | frozenset(sys.stdlib_module_names)

if TYPE_CHECKING:
    from hueylint.pyapp.collector import Collector
    from hueylint.pyapp.positions import Source

@dataclass(frozen=True)
class ScopeNames:
    """One walk of a scope (:func:`_reads`): every identifier it reads, whether ``locals``/``vars`` is among
    them (``escaped``), and the names whose every load is ``name.id`` (``id_only``: see :func:`only_id_read`;
    empty when ``locals``/``vars`` is loaded there)."""

    names: frozenset[str]
    escaped: bool
    id_only: frozenset[str]


@dataclass
class ScopeReads:
    """What :func:`is_read` learnt of one scope: the words of its text (``\\w+`` runs, counted), the text, and
    once walked the names it reads (:class:`ScopeNames`)."""

    words: Counter[str]
    text: str
    reads: ScopeNames | None = None

    @property
    def escapes(self) -> bool:
        """``locals``/``vars`` written in the scope's text: a name may be read through them."""
        return self.words["locals"] + self.words["vars"] > 0


def is_read(source: Source, scope: ast.AST, name: str, walked: dict[int, ScopeReads]) -> bool:
    """True when ``name`` is read anywhere in ``scope`` (a function with its decorators, or the module; nested
    functions included), or when names may escape there (``locals()``, ``vars()``).  Assignment and ``for``
    targets are not reads; every other identifier written there counts (an attribute's, a keyword
    argument's, a parameter's, a definition's, an import's, a ``global``/``nonlocal`` declaration), so a
    Result stored and then reached by one of those names is not taken for dropped.

    A name written only once in the scope's lines (its assignment) is not read: the tree is walked only
    when the text mentions it again (or ``locals``/``vars``).  ``walked`` keeps, by the scope's ``id``, what
    was learnt of it (:class:`ScopeReads`) for the other names asked about in it: a module with 50 task
    calls is walked once.
    """
    known = walked.get(id(scope))
    if known is None:
        first = min([scope.lineno, *(d.lineno for d in getattr(scope, "decorator_list", ()))]) \
            if isinstance(scope, (*FUNCTIONS, ast.ClassDef)) else 1
        last = getattr(scope, "end_lineno", None) or len(source.lines)
        text = "\n".join(source.lines[first - 1:last])
        known = walked[id(scope)] = ScopeReads(Counter(_WORD.findall(text)), text)
    mentions = known.words[name] if _WORD.fullmatch(name) else \
        len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", known.text))  # `r·1`: a name \w+ splits
    if mentions < 2 and not known.escapes:
        return False
    if known.reads is None:
        known.reads = _reads(scope)
    return name in known.reads.names or known.reads.escaped


def only_id_read_in(scope: ast.AST, name: str, walked: dict[int, ScopeReads]) -> bool:
    """:func:`only_id_read` from the walk :func:`is_read` made of ``scope`` (kept in ``walked``), one walk a
    scope for every name asked about in it; walked here when :func:`is_read` did not need to."""
    known = walked.get(id(scope))
    reads = known.reads if known is not None and known.reads is not None else _reads(scope)
    return name in reads.id_only


_WORD = lazy_pattern(r"\w+")


def _reads(scope: ast.AST) -> ScopeNames:
    """Every identifier ``scope`` reads (see :func:`is_read`), whether ``locals``/``vars`` is among them, and
    the names only ever loaded as ``name.id`` (:func:`only_id_read`), in one walk."""
    stores: set[int] = set()
    names: set[str] = set()
    loads: Counter[str] = Counter()
    id_reads: Counter[str] = Counter()
    for node in walk_scope([scope]):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                loads[node.id] += 1
            if id(node) not in stores:
                names.add(node.id)
        elif isinstance(node, ast.Assign):
            stores.update(id(n) for target in node.targets for n in target_names(target))
        elif isinstance(node, (ast.AnnAssign, ast.For, ast.AsyncFor)):
            stores.update(id(n) for n in target_names(node.target))
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
            if node.attr == "id" and isinstance(node.value, ast.Name):
                id_reads[node.value.id] += 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, (ast.keyword, ast.arg)):
            if node.arg:
                names.add(node.arg)
        elif isinstance(node, (*FUNCTIONS, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.update(node.name.split("."))
            if node.asname:
                names.add(node.asname)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update(node.module.split("."))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    # an `X.id` value is itself a load of X: X is only read for its id when every load of it is one
    id_only = frozenset() if loads["locals"] or loads["vars"] else \
        frozenset(name for name, count in id_reads.items() if count == loads[name])
    return ScopeNames(frozenset(names), bool(names & {"locals", "vars"}), id_only)


def only_id_read(scope: ast.AST, name: str) -> bool:
    """True when every read of ``name`` in ``scope`` (nested functions included) is ``name.id``, the task id
    of the Result it holds (``return {"task_id": r.id}``): the Result's value itself is never read there.
    False when it is read any other way, or may be through ``locals()``/``vars()`` (:func:`_reads`)."""
    return name in _reads(scope).id_only


def may_be_task(target: str) -> bool:
    """An imported callee that could be a task of the repo: not stdlib/huey/django/gevent, not a class."""
    bare = target.lstrip(".")
    if not bare or bare.rsplit(".", 1)[-1][:1].isupper():
        return False
    if not target.startswith(".") and bare.split(".")[0] in _NOT_TASK_MODULES:
        return False
    return target.startswith(".") or "." in bare



# -- decorated functions -------------------------------------------------------


def decorated(c: Collector, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    """Tasks, lock decorators and signal handlers declared by a function's decorators."""
    roles = []
    for index, expr in enumerate(node.decorator_list):
        call = expr if isinstance(expr, ast.Call) else None
        got = c.role(call.func if call else expr)
        if got:
            if call is not None:
                c.handled.add(id(call))
            roles.append((index, got, expr, call))
    task_role = next((r for r in roles if r[1][0] in TASK_KINDS), None)
    task_loc = c.loc(task_role[2]) if task_role else None
    qualname = ".".join([*c.names, node.name])
    if task_role:
        _add_task(c, node, task_role, qualname)
    elif not c.scopes:
        _imported_receiver_candidate(c, node, qualname) or _wrapped_candidate(c, node, qualname, len(roles))
    if not c.scopes:
        kind = _applied_decorator(c, node)
        if kind:
            c.facts.task_decorators[node.name] = kind
    for index, (method, _, _), expr, call in roles:
        if method == "lock_task":
            name, ttl = _lock_args(c, call)
            above = task_role is not None and index < task_role[0]
            c.facts.locks.append(LockUse("decorator", name, ttl, c.loc(expr), not c.in_function,
                                         qualname, task_loc, above, _name_text(c, call),
                                         _queue_of(c, call.func if call else expr, call)))
        elif method == "signal":
            add_signal_handler(c, node, call, expr, _queue_of(c, call.func if call else expr, call))


def task_call(c: Collector, node: ast.Call) -> bool:
    """``grab_task = huey.task()(grab)``, ``huey.periodic_task(crontab(...))(grab)``: a task decorator applied by
    calling it (huey's decorators are plain callables) on a module-level function.  The task is the name the
    wrapper is bound to (calling ``grab`` itself still runs it in place), else the function's name."""
    inner = node.func
    args = call_args(node)
    if not isinstance(inner, ast.Call) or len(args) != 1 or args[0].keyword is not None or args[0].star:
        return False
    value = args[0].value
    function = c.functions.get(value.id) if isinstance(value, ast.Name) else None
    got = c.role(inner.func)
    if function is None or not got or got[0] not in TASK_KINDS:
        return False
    c.handled.add(id(inner))
    parent = c.parent(node)
    bound = parent.targets[0].id if isinstance(parent, ast.Assign) and parent.value is node and \
        len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name) else function.name
    _add_task(c, function, (0, got, node, inner), ".".join([*c.names, bound]), bound)
    return True


def signal_call(c: Collector, node: ast.Call) -> bool:
    """``huey.signal(SIGNAL_INTERRUPTED)(handler)``: registration without decorator syntax (django-huey's
    ``signal(SIGNAL_INTERRUPTED, queue='x')(handler)`` with its queue)."""
    inner = node.func
    if not isinstance(inner, ast.Call):
        return False
    args = call_args(node)
    if not (args and isinstance(args[0].value, ast.Name)):
        return False
    got = c.role(inner.func)
    function = c.functions.get(args[0].value.id)
    if not got or got[0] != "signal" or function is None:
        return False
    c.handled.add(id(inner))
    add_signal_handler(c, function, inner, node, _queue_of(c, inner.func, inner))
    return True


def _wrapped_candidate(c: Collector, node: ast.FunctionDef | ast.AsyncFunctionDef, qualname: str, roles: int) -> bool:
    """A module-level function whose first decorator is a repository function, ``@exp_backoff_task(...)`` or
    ``@my_task``: a task when the linker finds that function applying a huey decorator (:attr:`Task.via`).
    True when one was recorded."""
    if roles or not node.decorator_list:
        return False
    expr = node.decorator_list[0]
    call = expr if isinstance(expr, ast.Call) else None
    callee = call.func if call is not None else expr
    via = c.qualname(callee) or (callee.id if isinstance(callee, ast.Name) else None)
    if via is None or via.split(".")[0] in _NOT_TASK_MODULES:
        return False
    ret = _first_value_return(node.body)
    c.facts.wrapped_tasks.append(Task(
        name=node.name, qualname=qualname, kind="", instance="", instance_from=via,
        decorator_called=call is not None, returns_value=ret is not None, loc=c.loc(expr),
        def_loc=c.source.name_loc(node), return_loc=c.loc(ret) if ret is not None else None, via=via))
    return True


def _imported_receiver_candidate(c: Collector, node: ast.FunctionDef | ast.AsyncFunctionDef, qualname: str) -> bool:
    """``@run.task()`` / ``@queue.periodic_task(...)`` on a module-level function, the receiver imported from the
    repository (``from . import run``) under a name that does not say huey, in a module that imports no huey (the
    collector does not take such a receiver for a huey instance: ``@app.task`` is Celery's too): a task of that
    kind when the linker finds the imported name bound to a Huey instance where it is defined (:attr:`Task.via`
    is the import, :attr:`Task.kind` set).  True when one was recorded."""
    for expr in node.decorator_list:
        call = expr if isinstance(expr, ast.Call) else None
        func = call.func if call is not None else expr
        if not isinstance(func, ast.Attribute) or func.attr not in TASK_KINDS:
            continue
        via = c.qualname(func.value)
        if via is None or not may_be_task(via):  # an import from the repository (relative, or a dotted path)
            continue
        ret = _first_value_return(node.body)
        c.facts.wrapped_tasks.append(Task(
            name=node.name, qualname=qualname, kind=func.attr, instance=c.code(func.value), instance_from=via,
            decorator_called=call is not None, returns_value=ret is not None, loc=c.loc(expr),
            def_loc=c.source.name_loc(node), return_loc=c.loc(ret) if ret is not None else None,
            queue=_queue_of(c, func, call), via=via))
        return True
    return False


def _applied_decorator(c: Collector, node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The huey decorator kind a function applies by a call to what it returns (``return huey.task()(fn)``),
    in its own body or in a function it defines (a decorator factory's inner decorator); None otherwise.  The
    first such ``return`` in the source wins; only statements are walked (a ``return`` is one), not every
    expression (``ast.walk`` over each module-level function was a tenth of a module's extraction)."""
    found = [sub for sub in statements(node.body) if isinstance(sub, ast.Return) and isinstance(sub.value, ast.Call)
             and isinstance(sub.value.func, ast.Call)]
    for sub in sorted(found, key=lambda ret: (ret.lineno, ret.col_offset)):
        got = c.role(sub.value.func.func)  # type: ignore[union-attr]
        if got and got[0] in TASK_KINDS:
            return got[0]
    return None


def _add_task(c: Collector, node: ast.FunctionDef | ast.AsyncFunctionDef, role: tuple, qualname: str,
              name: str | None = None) -> None:
    _, (kind, instance, inst_from), expr, call = role
    ret = _first_value_return(node.body)
    name = name or node.name
    c.task_names.add(name)
    c.facts.tasks.append(Task(
        name=name, qualname=qualname, kind=kind, instance=instance, instance_from=inst_from,
        decorator_called=call is not None, returns_value=ret is not None, loc=c.loc(expr),
        def_loc=c.source.name_loc(node), return_loc=c.loc(ret) if ret is not None else None,
        queue=_queue_of(c, call.func if call else expr, call),
    ))


def flush_call(c: Collector, node: ast.Call) -> bool:
    """``huey.flush()`` / ``huey.flush_locks('a', 'b')`` in an ``@huey.on_startup()`` hook, or before a consumer
    is built in the same function: locks deleted when the consumer starts (:class:`LockFlush`)."""
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr not in ("flush", "flush_locks"):
        return False
    function = next((n for n in reversed(c.stack) if isinstance(n, FUNCTIONS)), None)
    receiver = c.code(func.value)
    later = [n for n in walk_scope(function.body) if isinstance(n, ast.Call)
             and (n.lineno, n.col_offset) > (node.lineno, node.col_offset)] if function is not None else []
    # the instance whose consumer the function then builds: `queue.create_consumer(...)` after `queue.flush()`
    own = any(isinstance(n.func, ast.Attribute) and n.func.attr == "create_consumer" and c.code(n.func.value) == receiver
              for n in later)
    if not own and not c.receiver(func.value, func.attr):
        return False
    if function is None:
        return True
    names: tuple[str, ...] | None = ()
    for arg in call_args(node):
        value = arg.value
        if arg.keyword is not None or arg.star or not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            names = None
            break
        names = (*names, value.value) if names is not None else None
    startup = any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr == "on_startup"
                  or isinstance(d, ast.Attribute) and d.attr == "on_startup" for d in function.decorator_list)
    builds = any(isinstance(n.func, ast.Attribute) and n.func.attr == "create_consumer"
                 or (c.qualname(n.func) or "") in CONSUMER_CLASSES for n in later)
    if startup or builds:
        c.facts.lock_flushes.append(LockFlush("all" if func.attr == "flush" else "locks",
                                              None if func.attr == "flush" else names,
                                              "startup" if startup else "consumer", c.loc(node)))
    return True


def is_get_queue(c: Collector, node: ast.Call) -> bool:
    return (c.qualname(node.func) or "") == "django_huey.get_queue"


def _queue_of(c: Collector, func: ast.AST, call: ast.Call | None) -> Val[str] | None:
    """The django-huey queue of a task or lock: ``@db_task(queue='x')``, ``lock_task(name, queue='x')``,
    ``get_queue('x').lock_task(...)`` or a name bound to ``get_queue('x')``; None for the default queue
    (and for huey/djhuey, which have one)."""
    receiver = func.value if isinstance(func, ast.Attribute) else None
    if receiver is not None:
        resolved = c.eval.resolve_name(receiver) if isinstance(receiver, ast.Name) else receiver
        if not (isinstance(resolved, ast.Call) and is_get_queue(c, resolved)):
            return None
        args = bind_args(resolved, ("name",))
        return _queue_val(c, args.get("name"))
    got = c.dj_function(func) if isinstance(func, ast.Name) else None
    if got is None or got[1] != "django_huey" or call is None:
        return None
    params = _lock_params(c, call) if got[0] == "lock_task" else ()
    return _queue_val(c, bind_args(call, params).get("queue"))


def _queue_val(c: Collector, node: ast.AST | None) -> Val[str] | None:
    if node is None:
        return None
    got = c.eval.value(node)
    return None if got.known and got.value is None else got


def _name_text(c: Collector, call: ast.Call | None) -> str:
    """The lock name argument as written, for messages."""
    if call is None:
        return ""
    node = bind_args(call, _lock_params(c, call)).get("lock_name")
    return c.code(node) if node is not None else ""


def _first_value_return(body: list[ast.stmt]) -> ast.Return | None:
    """The first ``return <value>`` other than ``return None`` in this function (not nested ones)."""
    for node in walk_scope(body, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
        if isinstance(node, ast.Return) and node.value is not None and not is_none(node.value):
            return node
    return None


def _lock_args(c: Collector, call: ast.Call | None) -> tuple[Val[Any] | None, Val[Any] | None]:
    """The lock name and ``ttl=`` of a ``lock_task(name, ttl=None)`` call."""
    if call is None:
        return None, None
    args = bind_args(call, _lock_params(c, call))
    name = c.eval.value(args["lock_name"]) if "lock_name" in args else None
    ttl = c.eval.value(args["ttl"]) if "ttl" in args else None
    return name, ttl


def _lock_params(c: Collector, call: ast.Call) -> tuple[str, ...]:
    """Positional parameters of a lock call: huey's ``lock_task(lock_name, ttl=None)``, django-huey's module
    function ``lock_task(lock_name, queue=None)``."""
    got = c.dj_function(call.func) if isinstance(call.func, ast.Name) else None
    return ("lock_name", "queue") if got is not None and got[1] == "django_huey" else ("lock_name", "ttl")


def lock_call(c: Collector, node: ast.Call) -> bool:
    """``with huey.lock_task('x'):`` or ``LOCK = huey.lock_task('x')`` (not a decorator)."""
    got = c.role(node.func)
    if not got or got[0] != "lock_task":
        return False
    parent = c.parent(node)
    form = "context" if isinstance(parent, ast.withitem) else "call"
    name, ttl = _lock_args(c, node)
    function = ".".join(c.names)
    c.facts.locks.append(LockUse(form, name, ttl, c.loc(node), not c.in_function, function,
                                 name_text=_name_text(c, node), queue=_queue_of(c, node.func, node)))
    return True


