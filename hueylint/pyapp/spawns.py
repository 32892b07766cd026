"""A repository Python program that starts the consumer as its child process, and what it does when stopped.

Teams put a small Python supervisor in front of the consumer: a leader election that starts
``manage.py run_huey`` only in the pod holding a lease, a watchdog that restarts it.  The platform
then signals the program, and the program decides what the consumer gets.  The facts, read with
:mod:`ast` (the program never runs):

- the child's command: the first argument of ``subprocess.Popen``/``run``/``call``/``check_call``
  (also ``Popen`` imported from :mod:`subprocess`), a list or tuple of string literals naming a
  consumer (``["python", "manage.py", "run_huey"]``); a string with ``shell=True`` is ``sh -c`` with
  that string.  Anything else is not read (a command built at run time).
- the stop signal it sends the child: ``child.send_signal(signal.SIGINT)`` or ``os.kill(pid,
  signal.SIGINT)`` (a signal named literally), else ``child.terminate()`` (SIGTERM, as
  :meth:`subprocess.Popen.terminate` sends on POSIX), else ``child.kill()`` (SIGKILL); none of
  them: the program passes no signal on (the child is killed with the container, or orphaned).
- its deadline: ``child.wait(timeout=N)`` (a number, or a parameter whose default is one) when the
  program also calls ``kill()``: SIGKILL N seconds after the stop signal.
"""

from __future__ import annotations

import ast

from hueylint.chain import SpawnedChild
from hueylint.sources import SourceFile

_SPAWNERS = frozenset({"Popen", "run", "call", "check_call", "check_output"})
_CONSUMERS = ("run_huey", "huey_consumer", "huey_consumer.py", "djangohuey")
_SIGNALS = ("INT", "TERM", "KILL", "QUIT", "HUP")


Word = tuple[str, int, int]  # (text, line, column) in the program


def mentions_spawn(text: str) -> bool:
    """A cheap test before parsing: the text starts a process and names a consumer."""
    return ("Popen" in text or "subprocess" in text) and any(word in text for word in _CONSUMERS)


def spawned(src: SourceFile) -> SpawnedChild | None:
    """The consumer ``src`` starts as a child process, with what the program does to it when stopped; None
    when it starts none that hueylint can read (or the file is not Python)."""
    if not mentions_spawn(src.text):
        return None
    try:
        tree = ast.parse(src.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    calls = sorted((node for node in ast.walk(tree) if isinstance(node, ast.Call)),
                   key=lambda node: (node.lineno, node.col_offset))
    words, shell = None, False
    for call in calls:
        if _callee(call.func) in _SPAWNERS and call.args:
            words, shell = _command(call)
            if words:
                break
    if not words:
        return None
    sends, sends_at = _signal_sent(calls)
    deadline, deadline_at = _deadline(tree, calls) if any(_method(c, "kill") for c in calls) else (None, None)
    return SpawnedChild(tuple(words), shell, sends, sends_at, deadline, deadline_at)


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        owner = func.value
        return func.attr if isinstance(owner, ast.Name) and owner.id in ("subprocess", "sp") else ""
    return func.id if isinstance(func, ast.Name) and func.id == "Popen" else ""


def _command(call: ast.Call) -> tuple[list[Word] | None, bool]:
    first = call.args[0]
    shell = any(k.arg == "shell" and isinstance(k.value, ast.Constant) and k.value.value is True
                for k in call.keywords)
    if isinstance(first, (ast.List, ast.Tuple)) and first.elts and \
            all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in first.elts):
        words = [(str(e.value), e.lineno, e.col_offset + 1) for e in first.elts if isinstance(e, ast.Constant)]
        if any(w[0].rsplit("/", 1)[-1] in _CONSUMERS for w in words):
            return words, False
    if shell and isinstance(first, ast.Constant) and isinstance(first.value, str) and \
            any(word in first.value for word in _CONSUMERS):
        return [(first.value, first.lineno, first.col_offset + 1)], True
    return None, False


def _method(call: ast.Call, name: str) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr == name and \
        not (isinstance(call.func.value, ast.Name) and call.func.value.id in ("os", "signal", "subprocess"))


def _signal_name(node: ast.expr) -> str | None:
    """``signal.SIGINT`` / ``SIGINT`` / ``signal.Signals.SIGINT`` as ``INT``; None for anything else."""
    name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
    return name[3:] if name.startswith("SIG") and name[3:] in _SIGNALS else None


def _at(node: ast.expr) -> Word:
    return (ast.unparse(node)[:60], node.lineno, node.col_offset + 1)


def _signal_sent(calls: list[ast.Call]) -> tuple[str | None, Word | None]:
    for call in calls:  # a signal named in the call: what the program sends first, whatever else it does
        func = call.func
        if _method(call, "send_signal") and call.args:
            sent = _signal_name(call.args[0])
        elif isinstance(func, ast.Attribute) and func.attr in ("kill", "killpg") and \
                isinstance(func.value, ast.Name) and func.value.id == "os" and len(call.args) == 2:
            sent = _signal_name(call.args[1])
        else:
            continue
        if sent is not None:
            return sent, _at(call)
    for name, sent in (("terminate", "TERM"), ("kill", "KILL")):
        for call in calls:
            if _method(call, name) and not call.args:
                return sent, _at(call)
    return None, None


def _deadline(tree: ast.Module, calls: list[ast.Call]) -> tuple[float | None, Word | None]:
    for call in calls:
        if not _method(call, "wait"):
            continue
        for keyword in call.keywords:
            value = keyword.value if keyword.arg == "timeout" else None
            if isinstance(value, ast.Name):
                value = _parameter_defaults(tree, call).get(value.id)
            if isinstance(value, ast.Constant) and isinstance(value.value, (int, float)) and \
                    not isinstance(value.value, bool) and value.value >= 0:
                return float(value.value), _at(call)
    return None, None


def _parameter_defaults(tree: ast.Module, call: ast.Call) -> dict[str, ast.expr]:
    """The literal defaults of the parameters of the innermost function that makes ``call`` (``def stop(timeout:
    int = 30)``), by name; empty outside a function."""
    holders = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
               and any(inner is call for inner in ast.walk(node))]
    if not holders:
        return {}
    node = holders[-1]  # ast.walk is breadth-first: the last holder is the innermost
    positional = [*node.args.posonlyargs, *node.args.args]
    found = dict(zip((arg.arg for arg in positional[len(positional) - len(node.args.defaults):]), node.args.defaults))
    found.update((arg.arg, default) for arg, default in zip(node.args.kwonlyargs, node.args.kw_defaults)
                 if default is not None)
    return found
