"""django-split-settings' ``include()``: the files a Django settings module runs in its own namespace.

``from split_settings.tools import include, optional`` then ``include("components/base.py",
"components/*.py", optional("local.py"))`` (also ``include(*settings_list)`` with a module-level list or tuple
of those) executes each file, in the order written, in the calling module's globals: what the files bind (and
the ``HUEY`` a component defines) is the settings module's own, as after a ``from .base import *``.  Facts of
django-split-settings (``split_settings/tools.py``): a path is relative to the folder of the including file;
a pattern is expanded with :func:`glob.glob` (a file a pattern matches is run once; hueylint takes the matches
in sorted order); a file that matches nothing raises ``IOError`` unless it is wrapped in ``optional()``.

Only the source text is read (:mod:`ast`, never run).  An argument that is not a string literal (an f-string,
``"environments/{}.py".format(ENV)``) is a file chosen at run time: :attr:`Include.pattern` is None.
"""
from __future__ import annotations

import ast
import re

from hueylint.pyapp.values import dotted_name
from hueylint.records import dataclass
from hueylint.sources import import_targets

#: the module that defines ``include``/``optional`` (django-split-settings)
SPLIT_SETTINGS_MODULE = "split_settings.tools"


@dataclass(frozen=True)
class Include:
    """One file argument of an ``include()`` call.

    ``line``: the call's line (1-based); ``pattern``: the path or glob as written, relative to the including
    file's folder, None when computed at run time; ``optional``: wrapped in ``optional()`` (a missing file is
    skipped, not an error); ``written``: the argument's source text, for messages; ``choice``: for a computed
    path built from a literal (``"environments/{}.py".format(ENV)``, ``f"environments/{ENV}.py"``,
    ``"environments/%s.py" % ENV``), that literal as a glob of the files it can name (``environments/*.py``).
    """

    line: int
    pattern: str | None
    optional: bool
    written: str
    choice: str | None = None


def uses_split_settings(imports: dict[str, str]) -> bool:
    """Whether a module's imports (:attr:`ModuleFacts.imports`: bound name -> dotted import) take anything from
    django-split-settings: the cheap test before :func:`includes` parses the source."""
    return any(splits_settings(target) for target in import_targets(imports, SPLIT_SETTINGS_USE))


#: the use of a module's imports :func:`uses_split_settings` records (:func:`hueylint.sources.import_targets`)
SPLIT_SETTINGS_USE = "split-settings"


def splits_settings(target: str) -> bool:
    """Is the dotted import ``target`` (as written) one of django-split-settings'?"""
    return target == "split_settings" or target.startswith("split_settings.")


def includes(text: str) -> list[Include]:
    """The files the module-level ``include()`` calls of a settings source run, in source order (a call in an
    ``if``/``try`` block counts where it stands).  Empty when the source does not parse or never imports
    ``include`` from ``split_settings.tools``; a call with ``scope=`` other than ``globals()`` runs the files
    elsewhere and is skipped."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return []
    include_names, optional_names, module_names = _bound_names(tree)
    if not include_names and not module_names:
        return []
    sequences: dict[str, tuple[int, list[ast.expr]]] = {}  # module-level NAME = [...] / (...): line, items
    found: list[Include] = []
    for stmt in _module_statements(tree.body):
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            value = stmt.value
            name = stmt.targets[0].id
            if isinstance(value, (ast.List, ast.Tuple)):
                sequences[name] = (stmt.lineno, list(value.elts))
            else:
                sequences.pop(name, None)
            continue
        call = stmt.value if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) else None
        if call is None or not _names(call.func, include_names, module_names, "include"):
            continue
        if any(kw.arg == "scope" and not _is_globals(kw.value) for kw in call.keywords):
            continue
        for arg in call.args:
            if isinstance(arg, ast.Starred):
                held = sequences.get(arg.value.id) if isinstance(arg.value, ast.Name) else None
                items = held[1] if held is not None else None
                if items is None:
                    found.append(Include(call.lineno, None, False, ast.unparse(arg)))
                    continue
                found += [_one(call.lineno, item, optional_names, module_names) for item in items
                          if not isinstance(item, ast.Starred)]
            else:
                found.append(_one(call.lineno, arg, optional_names, module_names))
    return found


def _one(line: int, arg: ast.expr, optional_names: set[str], module_names: set[str]) -> Include:
    optional = isinstance(arg, ast.Call) and _names(arg.func, optional_names, module_names, "optional") \
        and len(arg.args) == 1
    inner = arg.args[0] if optional and isinstance(arg, ast.Call) else arg
    pattern = inner.value if isinstance(inner, ast.Constant) and isinstance(inner.value, str) else None
    return Include(line, pattern, optional, ast.unparse(arg), None if pattern is not None else _choice(inner))


def _choice(node: ast.expr) -> str | None:
    """The glob a computed path can match: its literal parts, ``*`` for each value put in."""
    if isinstance(node, ast.JoinedStr):
        parts = [v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "*" for v in node.values]
        return _glob_of("".join(parts))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
            and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str):
        return _glob_of(re.sub(r"\{[^{}]*\}", "*", node.func.value.value))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) \
            and isinstance(node.left.value, str):
        return _glob_of(re.sub(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdr]", "*", node.left.value))
    return None


def _glob_of(path: str) -> str | None:
    """A glob that names files of one folder: ``*`` only in the last part, and a literal ``.py`` end."""
    folder, _, name = path.rpartition("/")
    return path if "*" in name and "*" not in folder and name.endswith(".py") else None


def _bound_names(tree: ast.Module) -> tuple[set[str], set[str], set[str]]:
    """Names bound to ``include`` and ``optional`` (``from split_settings.tools import include as inc``), and
    names bound to the module itself (``from split_settings import tools``, ``import split_settings.tools as
    t``; ``import split_settings.tools`` binds the dotted name)."""
    include_names: set[str] = set()
    optional_names: set[str] = set()
    module_names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            for alias in node.names:
                bound = alias.asname or alias.name
                if node.module == SPLIT_SETTINGS_MODULE and alias.name == "include":
                    include_names.add(bound)
                elif node.module == SPLIT_SETTINGS_MODULE and alias.name == "optional":
                    optional_names.add(bound)
                elif node.module == "split_settings" and alias.name == "tools":
                    module_names.add(bound)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == SPLIT_SETTINGS_MODULE:
                    module_names.add(alias.asname or alias.name)
    return include_names, optional_names, module_names


def _names(func: ast.expr, bound: set[str], modules: set[str], attr: str) -> bool:
    """``func`` is one of ``bound``, or ``attr`` of a name bound to the tools module (``tools.include``)."""
    if isinstance(func, ast.Name):
        return func.id in bound
    return isinstance(func, ast.Attribute) and func.attr == attr and dotted_name(func.value) in modules


def _is_globals(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "globals" \
        and not node.args


def _module_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """The statements a module runs at import, in source order, also inside ``if``/``try``/``with`` blocks
    (never in a function or class body)."""
    found: list[ast.stmt] = []
    for stmt in body:
        found.append(stmt)
        if isinstance(stmt, ast.If):
            found += _module_statements(stmt.body) + _module_statements(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            found += _module_statements(stmt.body)
            for handler in stmt.handlers:
                found += _module_statements(handler.body)
            found += _module_statements(stmt.orelse) + _module_statements(stmt.finalbody)
        elif isinstance(stmt, ast.With):
            found += _module_statements(stmt.body)
    return found
