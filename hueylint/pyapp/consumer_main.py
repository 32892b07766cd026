"""A repository Python program that runs huey's own consumer in-process: ``consumer_main()``.

``huey_consumer`` is a console script for :func:`huey.bin.huey_consumer.consumer_main`, which parses
``sys.argv[1:]`` with huey's option parser and runs the consumer in the calling process.  Teams wrap it in
a small script (``run_worker.py``) so that ``python run_worker.py`` puts the script's folder on
``sys.path`` (the app module is found without ``PYTHONPATH``), often adding their own options first::

    from huey.bin.huey_consumer import consumer_main
    if __name__ == "__main__":
        sys.argv.extend(["--workers", "4"])
        consumer_main()

Such a script *is* the consumer: ``python run_worker.py app.huey -k thread`` runs ``huey_consumer
app.huey -k thread --workers 4``.  The facts, read with :mod:`ast` (the program never runs):

- the call: ``consumer_main()`` imported from ``huey.bin.huey_consumer`` (any alias), or
  ``huey_consumer.consumer_main()`` / ``huey.bin.huey_consumer.consumer_main()`` on the imported module,
  made when the script runs: at module level, under ``if __name__ == "__main__":``, in a ``try``/``with``
  block there, or in a module function called from there (one call deep); also as the argument of another
  call, which Python evaluates first (``sys.exit(consumer_main())``, ``raise SystemExit(consumer_main())``),
  or as an assignment's value (``code = consumer_main()``).
- what the script does to ``sys.argv`` before that call, in order: ``sys.argv.append(W)``,
  ``sys.argv.extend([W, ...])``, ``sys.argv += [W, ...]``, ``sys.argv.insert(1, W)`` (before the launch's
  own words), ``sys.argv = [sys.argv[0], W, ...]`` (any first item: the program name optparse never reads,
  ``"huey_consumer.py"`` say; also ``sys.argv[:] = ...``) or ``sys.argv[1:] = [W, ...]`` (the launch's words
  dropped), each ``W`` a string literal.  Any other change to ``sys.argv`` (a word built at run time)
  makes the command line unknown.
"""

from __future__ import annotations

import ast

from hueylint.chain import ConsumerArgv
from hueylint.hueyfacts import CONSUMER_MODULE
from hueylint.pyapp.excepts import module_or_none
from hueylint.pyapp.values import dotted_name
from hueylint.sources import SourceFile

_MODULE = CONSUMER_MODULE
_MAX_CALL_DEPTH = 2

Word = tuple[str, int, int]  # (text, line, column) in the script


def mentions_consumer_main(text: str) -> bool:
    """A cheap test before parsing: the text names huey's consumer entry point."""
    return "consumer_main" in text and "huey_consumer" in text


def consumer_main(src: SourceFile) -> ConsumerArgv | None:
    """The ``consumer_main()`` run ``src`` makes when run as a script, with its ``sys.argv`` changes; None
    when it makes none (or the file is not Python).  Never raises."""
    if not mentions_consumer_main(src.text):
        return None
    tree = module_or_none(src.text)  # Python 3.14's `except A, B:` read as the extractor reads it
    if tree is None:
        return None
    names, modules = _imported(tree)
    if not names and not modules:
        return None
    functions = {node.name: node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    reader = _Reader(names, modules, functions)
    reader.block(tree.body, 0)
    return reader.found


def _imported(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Names bound to ``consumer_main`` and to the ``huey.bin.huey_consumer`` module (dotted as written)."""
    names: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            for alias in node.names:
                if node.module == _MODULE and alias.name == "consumer_main":
                    names.add(alias.asname or alias.name)
                elif node.module == "huey.bin" and alias.name == "huey_consumer":
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == _MODULE:
                    modules.add(alias.asname or alias.name)
    return names, modules


def _is_argv(node: ast.expr) -> bool:
    return dotted_name(node) == "sys.argv"


def _is_main_test(test: ast.expr) -> bool:
    """``__name__ == "__main__"`` (either side)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and \
        any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides)


class _Reader:
    """Walks the statements a script runs, in order, recording ``sys.argv`` changes until the call."""

    def __init__(self, names: set[str], modules: set[str],
                 functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]) -> None:
        self.names, self.modules, self.functions = names, modules, functions
        self.before: list[Word] = []
        self.after: list[Word] = []
        self.keeps_args = True
        self.known = True
        self.found: ConsumerArgv | None = None

    def block(self, body: list[ast.stmt], depth: int) -> None:
        for stmt in body:
            if self.found is not None:
                return
            self.statement(stmt, depth)

    def statement(self, stmt: ast.stmt, depth: int) -> None:
        if isinstance(stmt, ast.If):
            if _is_main_test(stmt.test) and depth == 0:
                self.block(stmt.body, depth)
            return  # another branch: not known to run
        if isinstance(stmt, (ast.Try, ast.With)):
            self.block(stmt.body, depth)
            return
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
            return
        if isinstance(stmt, ast.AugAssign) and _is_argv(stmt.target):
            words = _words(stmt.value) if isinstance(stmt.op, ast.Add) else None
            self._add(words, self.after)
            return
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            if isinstance(stmt.value, ast.Call):  # ``code = consumer_main()``
                self.call(stmt.value, depth)
            if self.found is None:
                self._assign(stmt.targets[0], stmt.value)
            return
        if isinstance(stmt, (ast.Expr, ast.Return)) and isinstance(stmt.value, ast.Call):
            self.call(stmt.value, depth)
            return
        if isinstance(stmt, ast.Raise) and isinstance(stmt.exc, ast.Call):  # ``raise SystemExit(consumer_main())``
            self.call(stmt.exc, depth)

    def call(self, call: ast.Call, depth: int) -> None:
        func = call.func
        dotted = dotted_name(func) or ""
        if (isinstance(func, ast.Name) and func.id in self.names) or \
                (dotted.endswith(".consumer_main") and dotted[: -len(".consumer_main")] in self.modules):
            self.found = ConsumerArgv(tuple(self.before), tuple(self.after), self.keeps_args, self.known,
                                      call.lineno, call.col_offset + 1)
            return
        if isinstance(func, ast.Attribute) and _is_argv(func.value):
            method, args = func.attr, call.args
            if method == "append" and len(args) == 1:
                self._add(_words(ast.List(elts=[args[0]], ctx=ast.Load())), self.after)
            elif method == "extend" and len(args) == 1:
                self._add(_words(args[0]), self.after)
            elif method == "insert" and len(args) == 2 and isinstance(args[0], ast.Constant) and args[0].value == 1:
                self._add(_words(ast.List(elts=[args[1]], ctx=ast.Load())), self.before, front=True)
            elif method not in ("copy", "index", "count"):
                self.known = False
            return
        # the arguments are evaluated first: ``sys.exit(consumer_main())``, ``exit(main())``
        for arg in [*call.args, *(keyword.value for keyword in call.keywords)]:
            if isinstance(arg, ast.Call):
                self.call(arg, depth)
                if self.found is not None:
                    return
        if isinstance(func, ast.Name) and func.id in self.functions and depth < _MAX_CALL_DEPTH:
            function = self.functions[func.id]
            self.block(function.body, depth + 1)

    def _assign(self, target: ast.expr, value: ast.expr) -> None:
        whole = isinstance(target, ast.Subscript) and _is_argv(target.value) and isinstance(target.slice, ast.Slice) \
            and target.slice.lower is None and target.slice.upper is None and target.slice.step is None
        if _is_argv(target) or whole:
            # ``sys.argv = [sys.argv[0], W, ...]``, ``sys.argv = ["huey_consumer", W, ...]``, ``sys.argv[:] = ...``:
            # the launch's words are dropped; the first item is the program name, which optparse never reads
            # (huey's parser is given ``sys.argv[1:]``)
            elts = value.elts if isinstance(value, (ast.List, ast.Tuple)) else None
            if elts:
                words = _words(ast.List(elts=elts[1:], ctx=ast.Load()))
                if words is not None:
                    self.before, self.after, self.keeps_args = [], words, False
                    return
            self.known = False
        elif isinstance(target, ast.Subscript) and _is_argv(target.value):
            bound = target.slice
            if isinstance(bound, ast.Slice) and bound.upper is None and bound.step is None and \
                    isinstance(bound.lower, ast.Constant) and bound.lower.value == 1:
                words = _words(value)
                if words is not None:
                    self.before, self.after, self.keeps_args = [], words, False
                    return
            self.known = False

    def _add(self, words: list[Word] | None, into: list[Word], front: bool = False) -> None:
        if words is None:
            self.known = False
        elif front:
            into[:0] = words
        else:
            into.extend(words)


def _words(node: ast.expr) -> list[Word] | None:
    """A list or tuple of string (or number) literals, as the words they are; None for anything else."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    words: list[Word] = []
    for elt in node.elts:
        if not isinstance(elt, ast.Constant) or isinstance(elt.value, bool) or \
                not isinstance(elt.value, (str, int, float)):
            return None
        words.append((str(elt.value), elt.lineno, elt.col_offset + 1))
    return words
