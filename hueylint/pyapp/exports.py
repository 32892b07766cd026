"""What a module's names hold for the modules that import them: the linker's on-demand reading of a module a
huey storage value is imported from (``from app.config import REDIS_URL``, ``config.REDIS_URL``).

The module is walked by the extractor's own :class:`~hueylint.pyapp.collector.Collector` and each
module-level name valued by its :class:`~hueylint.pyapp.values.Evaluator`, exactly as a value written in
the importing module itself would be: a single literal assignment is known, a name read from the
environment (in every if/else/try branch that assigns it, or ``None`` there) is unknown with reason
``env:NAME``, anything else is left out (unknown to the importer).  A pydantic settings object
(``settings = Settings()`` of a ``class Settings(BaseSettings)``, FastAPI's usual configuration) gives each of
its fields as ``settings.field``, read from the environment variable pydantic reads it from; an instance built
without arguments of a class that holds the defaults its body writes (a plain class, a pydantic ``BaseModel``, a
``@dataclass``: ``config = Config()``) gives them as ``config.field``.  Nothing is imported or run.
"""

from __future__ import annotations

import ast
from typing import Any

from hueylint.appmodel import ModuleFacts, env_reason, env_var, is_settings_path, module_name
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile


def read(src: SourceFile) -> ModuleFacts:
    """``src``'s module as its importers see it: ``imports`` (names bound by an import, to follow a name
    re-exported from a third module, and module constants that name such a value or an attribute of one of
    the module's objects, ``REDIS_HOST = settings.redis_host``: the dotted reference it stands for) and
    ``values`` (module-level name -> :class:`~hueylint.model.Val`).

    A name both bound by an import and assigned, or that the module may bind otherwise too (:func:`_rebound`),
    is left out of both (which binding holds at the end of the import is not told).  Syntax newer than the
    running Python is read through libcst (:func:`hueylint.pyapp.fallback.module_tree`), as the extractor
    reads it; a module neither parses gives ``error`` and nothing else."""
    from hueylint.pyapp.collector import Collector
    from hueylint.pyapp.excepts import parse_module
    from hueylint.pyapp.positions import Source

    facts = ModuleFacts(rel=src.rel, module=module_name(src.rel), is_settings=is_settings_path(src.rel))
    try:
        try:
            tree: ast.Module | None = parse_module(src.text)[0]
            byte_columns = True
        except SyntaxError:  # newer syntax than the running Python's (`type X = ...`): libcst, as the extractor
            from hueylint.pyapp import fallback

            tree, byte_columns = fallback.module_tree(src.text), False
        if tree is None:
            raise SyntaxError("not read by ast or libcst")
        collector = Collector(Source(src.rel, src.text, byte_columns), ModuleFacts(rel=src.rel, module=facts.module))
        collector.run(tree)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        facts.error = (1, 1, "not read by ast or libcst")
        return facts
    rebound = _rebound(tree, src.text)
    if rebound is None:  # globals()/exec/sys.modules: any name may be bound at run time
        return facts
    changed = _changed_attributes(tree)  # `settings.redis_url = ...` on an imported object: not followed
    facts.imports = {name: target for name, target in collector.imports.items() if name not in collector.constants
                     and name not in rebound and name not in collector.reimported and name not in changed}
    for name, assigned in collector.constants.items():
        if name in collector.imports or name in rebound:
            continue
        node = ast.copy_location(ast.Name(name, ast.Load()), assigned[0])
        got = collector.eval.value(node, frozenset())
        if env_var(got):
            got = _env_host(collector, node, got)
        if got is not None and ((got.known and _plain(got.value)) or env_var(got)):
            facts.values[name] = got
        elif name not in changed and (alias := collector.eval.import_ref(node, frozenset())) is not None:
            facts.imports[name] = alias  # `REDIS_HOST = settings.redis_host`: read where that value is
    facts.dicts, facts.configs = _dicts(collector, facts.imports, rebound, changed)
    facts.values.update({name: value for name, value in _settings_values(collector, tree, changed).items()
                         if name.partition(".")[0] not in rebound})
    rebound_class = _rebound(tree, src.text, classes=False)  # the class statement itself is no rebinding
    facts.values.update({name: value for name, value in _class_values(collector, tree, changed).items()
                         if name.partition(".")[0] not in (rebound_class or ())})
    return facts


def _dicts(c: Any, imports: dict[str, str], rebound: set[str], changed: dict[str, Any]
           ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The module-level names bound once to a dict the extractor reads (``REDIS = {'host': ..., 'port': 6379}``,
    ``dict(url=...)``, ``{**BASE, 'db': 1}``), each as a huey constructor's keyword arguments
    (:func:`hueylint.pyapp.instances.huey_args`) for an importer's ``RedisHuey('app', **settings.REDIS)``:
    placed where each key is written here, with the ``**`` parts not read here as splats the linker follows in
    turn.  Not a name rebound (:func:`_rebound`), imported too, or changed through an attribute.  Second, those
    with a key djhuey takes out (``huey_class``, ``connection``, ``consumer``) read as a Django ``HUEY`` dict
    (:func:`hueylint.pyapp.settings.dict_config`), for a settings module's ``HUEY = {**BASE_HUEY, ...}``."""
    from hueylint.pyapp.instances import huey_args, unread_splats
    from hueylint.pyapp.settings import dict_config

    found: dict[str, Any] = {}
    configs: dict[str, Any] = {}
    for name, assigned in c.constants.items():
        if name in c.imports or name in imports or name in rebound or name in changed or len(assigned) != 1:
            continue
        node = ast.copy_location(ast.Name(name, ast.Load()), assigned[0])
        got = c.eval.dict_entries(node, frozenset())
        if got is None:
            continue
        entries = {key: (entry.node, entry.loc, entry.shadow) for key, entry in got[0].items()}
        splats, rest = unread_splats(c, node, frozenset(), got)
        found[name] = huey_args(c, entries, got[1], tuple(splats), rest)
        config = dict_config(c, node)
        if config is not None:
            configs[name] = config
    return found, configs


def _env_host(c: Any, node: ast.Name, got: Any) -> Any:
    """A module value read from the environment (``got``), as the storage of an importer judges it: a string
    built around a part (``f"redis://localhost:{os.environ['PORT']}"``) is that only when the part read from
    the environment is the URL's host (or brings it: a leading part), and then names that part's variable,
    as the extractor reads a URL written in the Huey module; None (left out) when the host is written or
    comes from another part."""
    from hueylint.model import Val
    from hueylint.pyapp.instances import template_host

    template = c.eval.template(node, frozenset())
    if template is None:
        return got
    text, exprs = template
    host, _, index = template_host("url", text)
    if host is None or host.count("\0") != 1 or index >= len(exprs):
        return None
    part: Val[Any] = Val(None, got.loc, c.eval.value(exprs[index], frozenset()).unknown)
    return part if env_var(part) else None


#: Calls through which a module binds names hueylint cannot see (``globals()["X"] = ...``, ``exec(...)``):
#: ``globals()`` anywhere, the others at module level (in a function they reach its own namespace).
_DYNAMIC_TEXT = lazy_pattern(r"\b(?:globals|vars|locals|exec|eval)\s*\(|\bsys\s*\.\s*modules\b")
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_BLOCKS = (ast.If, ast.Try, ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While) + \
    ((ast.TryStar,) if hasattr(ast, "TryStar") else ())


def _rebound(tree: ast.Module, text: str, classes: bool = True) -> set[str] | None:
    """Module-level names bound other than by a plain assignment (``X = ...``, ``X: T = ...``, ``X += ...``)
    or an import, whose value at the end of the import is then not told: ``for``/``with``/``except ... as``
    targets, tuple unpacking, ``:=``, ``match`` captures and ``case`` blocks, ``del``, ``def``/``class``, a
    ``global X`` in any function (it may run at import or later), and a ``from m import *`` after the
    name's assignments (:func:`_star_overridden`); ``classes=False``: not a ``class`` statement of the module's
    body (whose attributes :func:`_class_values` reads).  None when the module may bind any name at run time
    (:func:`_dynamic`).  The statements of the module are walked; its expressions only when the text names
    one of those (``:=``, ``global``, a dynamic call)."""
    if _DYNAMIC_TEXT.search(text) and _dynamic(tree):
        return None
    names: set[str] = set()
    stars: list[int] = []
    assigned: dict[str, tuple[list[int], list[int]]] = {}  # name -> (every assignment line, unconditional ones)

    def assign(name: str, line: int, top: bool) -> None:
        every, unconditional = assigned.setdefault(name, ([], []))
        every.append(line)
        if top:
            unconditional.append(line)

    stack: list[tuple[ast.AST, bool]] = [(stmt, True) for stmt in reversed(tree.body)]
    while stack:
        node, top = stack.pop()
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(target, ast.Name):
                    assign(target.id, node.lineno, top)
                else:
                    names.update(_stored(target))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if classes or not (top and isinstance(node, ast.ClassDef)):
                names.add(node.name)
            else:  # as an assignment: a later star import may replace it
                assign(node.name, node.lineno, top)
        elif isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            stars.append(node.lineno)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):  # a re-export: a later star import may replace it
            for alias in node.names:
                assign(alias.asname or alias.name.partition(".")[0], node.lineno, top)
        elif isinstance(node, ast.Delete):
            names.update(name for target in node.targets for name in _stored(target))
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            names.update(_stored(node.target))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            names.update(name for item in node.items if item.optional_vars is not None
                         for name in _stored(item.optional_vars))
        elif isinstance(node, ast.Match):  # the extractor does not read the assignments of a `case` block
            names.update(name.id for case in node.cases for part in (case.pattern, *case.body)
                         for name in ast.walk(part) if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store))
            names.update(name for case in node.cases for name in _captures(case.pattern))
        if isinstance(node, _BLOCKS):
            blocks = [node.body, getattr(node, "orelse", None) or []]
            blocks += [handler.body for handler in getattr(node, "handlers", None) or []]
            blocks.append(getattr(node, "finalbody", None) or [])
            names.update(handler.name for handler in getattr(node, "handlers", None) or [] if handler.name)
            stack += [(stmt, False) for block in reversed(blocks) for stmt in reversed(block)]
    if ":=" in text or "global" in text:
        for node in ast.walk(tree):
            if isinstance(node, ast.Global):
                names.update(node.names)
            elif isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
    return names | _star_overridden(stars, assigned)


def _dynamic(tree: ast.Module) -> bool:
    """True when the module may bind names at run time: ``globals()`` anywhere, ``sys.modules``, or at
    module level ``exec``/``eval`` or a namespace ``vars()``/``locals()`` (no argument: the module's own)."""
    stack: list[tuple[ast.AST, bool]] = [(tree, True)]
    while stack:
        node, top = stack.pop()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if name == "globals" or (top and name in ("exec", "eval")) \
                    or (top and name in ("vars", "locals") and not node.args):
                return True
        if isinstance(node, ast.Attribute) and node.attr == "modules" and isinstance(node.value, ast.Name) \
                and node.value.id == "sys":
            return True
        inner = top and not isinstance(node, _SCOPES)
        stack += [(child, inner) for child in ast.iter_child_nodes(node)]
    return False


def _stored(target: ast.AST) -> list[str]:
    """The names an assignment, ``for``, ``with`` or ``del`` target binds (or unbinds)."""
    return [name.id for name in ast.walk(target) if isinstance(name, ast.Name)
            and isinstance(name.ctx, (ast.Store, ast.Del))]


def _captures(pattern: ast.AST) -> list[str]:
    """The names a ``case`` pattern captures (``case {"url": url, **rest}``, ``case [*rest]``, ``as x``)."""
    found: list[str] = []
    for node in ast.walk(pattern):
        if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            found.append(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            found.append(node.rest)
    return found


def _star_overridden(stars: list[int], assigned: dict[str, tuple[list[int], list[int]]]) -> set[str]:
    """Names a ``from m import *`` (on the lines ``stars``) may bind after their assignments (``assigned``:
    every line, and the unconditional ones in the module's body): a star import written after any
    assignment of the name, or before them when none of them is an unconditional statement after it.
    Which names the star brings is not read (a missing ``local_settings`` included)."""
    if not stars:
        return set()
    return {name for name, (every, unconditional) in assigned.items()
            if any(line > min(every) or not any(at > line for at in unconditional) for line in stars)}


# -- configuration classes -----------------------------------------------------------------------------


def _class_values(c: Any, tree: ast.Module, changed: dict[str, Any]) -> dict[str, Any]:
    """A configuration class's attributes, as ``from config import Config`` then ``Config.REDIS_HOST`` reads
    them (Flask's usual ``class Config: REDIS_HOST = os.getenv("REDIS_HOST", "localhost")``):
    ``"Config.ATTR"`` -> a literal, or an unknown Val naming the environment variable it is read from.

    Only a class the module defines once at its top level, deriving from nothing (or ``object``: a subclass's
    attribute may come from its bases), whose methods set no attribute, and only attributes assigned once in
    its body (annotated or not: ``REDIS_HOST: str = ...`` binds the class attribute too), by a value that reads
    no name of the class itself (the class body's names are not the module's);
    a class or attribute the module changes after its definition (``Config.REDIS_HOST = ...``) gives nothing."""
    values: dict[str, Any] = {}
    for cls in _sole_classes(c, tree, changed):
        if cls.keywords or cls.decorator_list \
                or any(not (isinstance(base, ast.Name) and base.id == "object") for base in cls.bases):
            continue
        if _sets_attributes(_methods(cls)):
            continue
        assigned: dict[str, list[ast.expr | None]] = {}  # None: bound otherwise (annotated, augmented, unpacked)
        for item in cls.body:
            targets = item.targets if isinstance(item, ast.Assign) else [item.target] \
                if isinstance(item, (ast.AnnAssign, ast.AugAssign)) else []
            value: ast.expr | None = item.value if isinstance(item, (ast.Assign, ast.AnnAssign)) else None
            for target in targets:
                for node in ast.walk(target):
                    if isinstance(node, ast.Name):
                        assigned.setdefault(node.id, []).append(value if isinstance(target, ast.Name) else None)
        bindings = _class_bindings(cls)
        if bindings is None:
            continue
        own = set(assigned)
        for attr, nodes in assigned.items():
            expr = nodes[0]
            if len(nodes) != 1 or bindings.get(attr) != 1 or expr is None or attr in changed.get(cls.name, ()) \
                    or any(isinstance(name, ast.Name) and name.id in own for name in ast.walk(expr)):
                continue
            got = c.eval.value(expr, frozenset())
            if got is not None and ((got.known and _plain(got.value)) or env_var(got)):
                values[f"{cls.name}.{attr}"] = got
    return values


def _sole_classes(c: Any, tree: ast.Module, changed: dict[str, Any]) -> list[ast.ClassDef]:
    """The classes the module defines once at its top level, under a name it neither replaces after
    (``changed``: :func:`_changed_attributes`), assigns as a constant nor binds by an import."""
    classes = [stmt for stmt in tree.body if isinstance(stmt, ast.ClassDef)]
    counts: dict[str, int] = {}
    for stmt in classes:
        counts[stmt.name] = counts.get(stmt.name, 0) + 1
    return [cls for cls in classes if counts[cls.name] == 1 and changed.get(cls.name) != "*"
            and cls.name not in c.constants and cls.name not in c.imports]


def _methods(cls: ast.ClassDef) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [stmt for stmt in cls.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _sets_attributes(methods: list[ast.FunctionDef | ast.AsyncFunctionDef]) -> bool:
    """Whether a method sets or deletes an attribute (``self.REDIS_HOST = ...``): the class's defaults may not hold."""
    return any(isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del))
               for method in methods for node in ast.walk(method))


#: pydantic's model base classes: an instance built without arguments holds each field's default, unlike
#: ``BaseSettings``, which reads the environment first (:func:`_settings_fields`).
_MODEL_BASES = frozenset({"pydantic.BaseModel", "pydantic.main.BaseModel", "pydantic.v1.BaseModel",
                          "pydantic.v1.main.BaseModel"})
#: the decorator of the standard library's data classes, (module, name)
_DATACLASS = ("dataclasses", "dataclass")
_DATACLASS_FIELD = frozenset({"dataclasses.field"})


def _default_classes(c: Any, tree: ast.Module, changed: dict[str, Any]
                     ) -> dict[str, tuple[dict[str, Any], frozenset[str], ast.ClassDef]]:
    """The classes whose instance built without arguments (``config = Config()``) holds the defaults written in
    the class body: class name -> attribute -> its Val (a literal, or unknown naming the environment variable it
    is read from), as :func:`_class_values` reads a value.

    A plain class (:func:`_class_values`' conditions: the instance reads the class attribute), a direct subclass
    of pydantic's ``BaseModel`` and a ``@dataclass`` without bases (each field's default, ``Field(default)``,
    ``field(default=...)``; not a ``default_factory``, nor a field a validator may change), in each case with no
    method that builds or reads the instance otherwise (``__init__``, ``__post_init__``, ``model_post_init``,
    ``__new__``, ``__getattr(ibute)__``, ``__setattr__``: :data:`_SOURCE_METHODS`) nor one that sets an attribute.
    With each class, the fields a model or dataclass takes as keyword arguments (:func:`_declared_defaults`),
    and its statement."""
    plain = _class_values(c, tree, changed)
    found: dict[str, tuple[dict[str, Any], frozenset[str], ast.ClassDef]] = {}
    for cls in _sole_classes(c, tree, changed):
        methods = _methods(cls)
        if any(method.name in _SOURCE_METHODS for method in methods):
            continue
        kind = _default_kind(c, cls)
        declared: frozenset[str] = frozenset()
        if kind == "plain":
            prefix = cls.name + "."
            fields = {name[len(prefix):]: got for name, got in plain.items() if name.startswith(prefix)}
        elif kind is not None:
            fields, declared = _declared_defaults(c, cls, kind, changed.get(cls.name, ()), methods)
        else:
            continue
        if fields or declared:
            found[cls.name] = (fields, declared, cls)
    return found


def _default_kind(c: Any, cls: ast.ClassDef) -> str | None:
    """``"model"`` for a direct subclass of pydantic's ``BaseModel`` (class keywords set its configuration, a
    ``metaclass=`` excepted), ``"dataclass"`` for a class without bases decorated only by ``@dataclass``
    (``@dataclass(frozen=True)``), ``"plain"`` for a class without bases or decorators, else None."""
    if any(keyword.arg in (None, "metaclass") for keyword in cls.keywords):
        return None
    bases = [base for base in cls.bases if not (isinstance(base, ast.Name) and base.id == "object")]
    if len(cls.bases) == 1 and c.qualname(cls.bases[0]) in _MODEL_BASES and not cls.decorator_list:
        return "model"
    if bases or cls.keywords:
        return None
    if not cls.decorator_list:
        return "plain"
    if len(cls.decorator_list) == 1:
        decorator = cls.decorator_list[0]
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        module, _, name = (c.qualname(func) or "").rpartition(".")
        if (module, name) == _DATACLASS and not (isinstance(decorator, ast.Call) and decorator.args):
            return "dataclass"
    return None


def _declared_defaults(c: Any, cls: ast.ClassDef, kind: str, changed: Any,
                       methods: list[ast.FunctionDef | ast.AsyncFunctionDef]) -> tuple[dict[str, Any], frozenset[str]]:
    """attribute -> the default a ``kind`` (``"model"``/``"dataclass"``) class body gives it, assigned once
    (annotated or not) by a value that reads no name of the class body; ``changed``: the attributes the module
    sets on the class.  With the names of the fields its constructor takes (every annotated name but a
    ``ClassVar``, and a model's other public assignments)."""
    if _sets_attributes(methods):
        return {}, frozenset()
    bindings = _class_bindings(cls)
    validated = _validated(cls) if kind == "model" else set()
    if bindings is None or validated is None:
        return {}, frozenset()
    declared = {stmt.target.id for stmt in cls.body if isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name) and "ClassVar" not in c.code(stmt.annotation)}
    fields: dict[str, Any] = {}
    for stmt in cls.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            name, expr = stmt.target.id, stmt.value
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name, expr = stmt.targets[0].id, stmt.value
            if kind == "model" and not name.startswith("_"):
                declared.add(name)
        else:
            continue
        if name.startswith("_") or bindings.get(name) != 1 or name in validated or name in changed:
            continue
        default = _written_default(c, expr, kind)
        if default is None or any(isinstance(node, ast.Name) and node.id in bindings for node in ast.walk(default)):
            continue
        got = c.eval.value(default, frozenset())
        if got is not None and ((got.known and _plain(got.value)) or env_var(got)):
            fields[name] = got
    return fields, frozenset(declared - validated)


def _written_default(c: Any, expr: ast.expr, kind: str) -> ast.expr | None:
    """The default a field's value gives: the value itself, or the default of pydantic's ``Field(default, ...)``
    / ``Field(default=...)`` and ``dataclasses.field(default=...)``; None for a required field (``...``, no
    default) or a ``default_factory`` (called for each instance)."""
    if not isinstance(expr, ast.Call):
        return expr
    name = c.qualname(expr.func)
    if name not in (_FIELD if kind == "model" else _DATACLASS_FIELD):
        return expr
    keywords = {keyword.arg: keyword.value for keyword in expr.keywords}
    if None in keywords or "default_factory" in keywords:
        return None
    default = keywords.get("default", expr.args[0] if expr.args and kind == "model" else None)
    if default is None or isinstance(default, ast.Starred) \
            or (isinstance(default, ast.Constant) and default.value is Ellipsis):
        return None
    return default


#: expressions with a scope of their own: what they bind is not the class body's
_OWN_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _class_bindings(cls: ast.ClassDef) -> dict[str, int] | None:
    """How often the body of ``cls`` binds each name, in every form Python binds one (assignment targets,
    ``for``/``with``/``except ... as``, ``:=``, ``del``, ``def``/``class``, imports, ``case`` captures,
    ``global``/``nonlocal``), nested blocks included (``if DOCKER: REDIS_HOST = "redis"``), not inside its
    methods and nested classes; None when the body may bind any name (``exec``, ``eval``, ``locals()``,
    ``vars()``, a star import)."""
    counts: dict[str, int] = {}

    def bind(name: str) -> None:
        counts[name] = counts.get(name, 0) + 1

    stack: list[ast.AST] = list(cls.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("exec", "eval", "locals", "vars"):
            return None
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bind(node.name)
            continue
        if isinstance(node, _OWN_SCOPES):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    return None
                bind(alias.asname or alias.name.partition(".")[0])
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bind(node.id)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                bind(name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bind(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            bind(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bind(node.rest)
        stack.extend(ast.iter_child_nodes(node))
    return counts


# -- pydantic settings ---------------------------------------------------------------------------------

#: The ``BaseSettings`` classes and the pydantic major version whose rules they follow (v1's in pydantic itself,
#: v2's in the pydantic-settings package).
_SETTINGS_BASES = {"pydantic_settings.BaseSettings": 2, "pydantic_settings.main.BaseSettings": 2,
                   "pydantic.BaseSettings": 1, "pydantic.env_settings.BaseSettings": 1, "pydantic.v1.BaseSettings": 1,
                   "pydantic.v1.env_settings.BaseSettings": 1}
#: Configuration keys that do not change which environment variable a flat field is read from (any other key,
#: ``alias_generator`` or v1's ``fields`` say, leaves the class unknown).
_HARMLESS = frozenset({"env_prefix", "case_sensitive", "env_file", "env_file_encoding", "env_nested_delimiter",
                       "env_ignore_empty", "extra", "secrets_dir", "frozen", "validate_default", "validate_assignment",
                       "arbitrary_types_allowed", "use_enum_values", "title"})
_FIELD = frozenset({"pydantic.Field", "pydantic.fields.Field", "pydantic.v1.Field", "pydantic.v1.fields.Field"})


def _settings_values(c: Any, tree: ast.Module, changed: dict[str, Any]) -> dict[str, Any]:
    """``settings = Settings()`` of a module-level ``class Settings(BaseSettings)``: ``"settings.field"`` -> an
    unknown Val whose reason names the environment variable pydantic reads the field from (the default
    applies only when it is unset, as with ``os.environ.get(NAME, default)``); the same for the importers'
    instances as ``"Settings().field"``; ``settings`` -> an :data:`INSTANCE_PREFIX` Val for an instance of
    a class imported from another module.  An instance built with arguments (they override the environment)
    or a class whose configuration is not read gives nothing; ``changed``: :func:`_changed_attributes` of the
    module.  The instances of the classes :func:`_default_classes` reads give their defaults the same ways."""
    from hueylint.model import Val

    where = {stmt.name: stmt for stmt in tree.body if isinstance(stmt, ast.ClassDef)}
    classes = {name: fields for name, stmt in where.items()
               if name not in changed and (fields := _settings_fields(c, stmt)) is not None}
    defaults = {name: found for name, found in _default_classes(c, tree, changed).items() if name not in classes}
    # what an instance built in an importing module reads: `Settings().field` (no Python name has parentheses)
    values: dict[str, Any] = {f"{cls}().{field}": Val(None, c.loc(where[cls]), env_reason(variable))
                              for cls, fields in classes.items() for field, variable in fields.items()}
    values.update({f"{cls}().{field}": got for cls, (fields, _, _) in defaults.items() for field, got in fields.items()})
    # `@lru_cache def get_settings(): return Settings()` (FastAPI's documented form): its call is an instance too
    makers = {name: made for name, function in c.functions.items()
              if name not in c.constants and name not in c.imports and name not in where
              and (made := _made_instance(function, classes)) is not None}
    values.update({f"{maker}().{field}": Val(None, c.loc(c.functions[maker]), env_reason(variable))
                   for maker, cls in makers.items() for field, variable in classes[cls].items()})
    builder = _Builder(c, defaults, where)
    for name in c.functions:  # `def load_settings(): return Settings.from_env()`: its call is that instance
        if name not in makers and name not in c.constants and name not in c.imports and name not in where:
            returned = builder.function(name, 0)
            values.update({f"{name}().{field}": got for field, got in (returned or {}).items()})
    for name, assigned in c.constants.items():
        call = assigned[0]
        if len(assigned) != 1 or name in c.imports or not isinstance(call, ast.Call) or changed.get(name) == "*":
            continue
        if isinstance(call.func, ast.Name) and not call.args \
                and all(kw.arg in _FILE_ARGUMENTS for kw in call.keywords):
            # `Settings(_env_file=...)` only chooses files; `Settings(redis_url=...)` sets the field
            made = call.func.id
            if made in makers and not call.keywords:  # `settings = get_settings()`: an instance of its class
                made = makers[made]
            if made in classes:
                for field, variable in classes[made].items():
                    if field not in changed.get(name, ()):
                        values[f"{name}.{field}"] = Val(None, c.loc(call), env_reason(variable))
                continue
            if call.func.id in c.imports and call.func.id not in c.constants and name not in changed:
                # `settings = Settings()` of a class imported from another module: the linker reads it there
                values[name] = Val(None, c.loc(call), INSTANCE_PREFIX + c.imports[call.func.id])
                continue
        built = builder.call(call, frozenset(), 0)  # `config = Config()`, `Config(url=...)`, a factory's call
        values.update({f"{name}.{field}": got for field, got in (built or {}).items()
                       if field not in changed.get(name, ())})
    return values


class _Builder:
    """The fields of the instance a call of this module builds of a class :func:`_default_classes` reads
    (``defaults``): the class's defaults, with the keyword arguments a model or dataclass is given over them
    (``Settings(redis_host=_env("REDIS_HOST", "localhost"))``: each a literal or a read of the environment,
    else that field is unknown; a keyword that names no field, a positional argument or a splat leave the
    whole instance unknown), also through a classmethod of the class whose body is one ``return cls(...)``
    (``Settings.from_env()``) and a module function without parameters whose body is one ``return`` of such
    a call (``def get_settings(): return load_settings()``)."""

    MAX_DEPTH = 6

    def __init__(self, c: Any, defaults: dict[str, tuple[dict[str, Any], frozenset[str], ast.ClassDef]],
                 where: dict[str, ast.ClassDef]) -> None:
        self.c, self.defaults, self.where = c, defaults, where

    def function(self, name: str, depth: int) -> dict[str, Any] | None:
        function = self.c.functions.get(name)
        if function is None or isinstance(function, ast.AsyncFunctionDef) or _has_parameters(function.args):
            return None
        returned = _only_return(function)
        return self.call(returned, frozenset(), depth + 1) if returned is not None else None

    def call(self, call: ast.AST, shadow: frozenset[str], depth: int, own: str | None = None) -> dict[str, Any] | None:
        """``own``: the class a classmethod's first parameter (``cls``, in ``shadow``) stands for."""
        c = self.c
        if depth > self.MAX_DEPTH or not isinstance(call, ast.Call) or call.args:
            return None
        func = call.func
        if isinstance(func, ast.Name) and func.id in shadow:
            return self.construct(own, call, shadow) if own is not None else None
        if isinstance(func, ast.Name) and func.id not in c.imports and func.id not in c.constants:
            if func.id in self.defaults:
                return self.construct(func.id, call, shadow)
            if func.id in c.functions and func.id not in self.where and not call.keywords:
                return self.function(func.id, depth)
            return None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and not call.keywords \
                and func.value.id in self.defaults and func.value.id not in c.imports \
                and func.value.id not in c.constants and func.value.id not in shadow:
            method = next((stmt for stmt in self.defaults[func.value.id][2].body
                           if isinstance(stmt, ast.FunctionDef) and stmt.name == func.attr), None)
            returned = _only_return(method) if method is not None else None
            if method is None or returned is None or len(method.decorator_list) != 1 \
                    or c.code(method.decorator_list[0]) != "classmethod":
                return None
            params = [arg.arg for arg in (*method.args.posonlyargs, *method.args.args)]
            if len(params) != 1 or method.args.vararg or method.args.kwarg or method.args.kwonlyargs:
                return None
            return self.call(returned, frozenset(params), depth + 1, own=func.value.id)
        return None

    def construct(self, cls: str, call: ast.Call, shadow: frozenset[str]) -> dict[str, Any] | None:
        fields, declared, _ = self.defaults[cls]
        built = dict(fields)
        for keyword in call.keywords:
            if keyword.arg is None or keyword.arg not in declared:
                return None  # a splat, or not a field (a validated one, or a plain class, which takes none)
            built.pop(keyword.arg, None)
            got = self.c.eval.value(keyword.value, shadow)
            if got is not None and ((got.known and _plain(got.value)) or env_var(got)):
                built[keyword.arg] = got
        return built


def _only_return(function: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr | None:
    """The value of a function whose body is one ``return`` (a docstring before it allowed)."""
    body = [stmt for stmt in function.body
            if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))]
    return body[0].value if len(body) == 1 and isinstance(body[0], ast.Return) else None


def _has_parameters(args: ast.arguments) -> bool:
    return bool(args.args or args.posonlyargs or args.kwonlyargs or args.vararg or args.kwarg)


def _made_instance(function: ast.FunctionDef | ast.AsyncFunctionDef, classes: dict[str, Any]) -> str | None:
    """The settings class a module function hands out an instance of, built without arguments: its body is
    one ``return Settings()`` (a docstring before it allowed; decorators such as ``functools.lru_cache`` only
    cache it); None for any other function (parameters, other statements, an ``async def``)."""
    body = [stmt for stmt in function.body
            if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))]
    if isinstance(function, ast.AsyncFunctionDef) or len(body) != 1 or not isinstance(body[0], ast.Return):
        return None
    args = function.args
    if args.args or args.posonlyargs or args.kwonlyargs or args.vararg or args.kwarg:
        return None
    made = body[0].value
    if not isinstance(made, ast.Call) or made.args or made.keywords or not isinstance(made.func, ast.Name) \
            or made.func.id not in classes:
        return None
    return made.func.id


#: The unknown reason of a module value that is an instance built without arguments of a class imported from
#: another module (followed by the dotted import as written): the linker reads the instance's fields in the
#: class's module (:meth:`hueylint.pyapp.link.Linker.imported_value`).
INSTANCE_PREFIX = "instance:"


#: Arguments of a settings instance that only add sources the environment beats (``_env_prefix``,
#: ``_case_sensitive`` and the field values themselves change what is read).
_FILE_ARGUMENTS = frozenset({"_env_file", "_env_file_encoding", "_secrets_dir"})
#: Methods of a settings class that change where or how its values are read.
_SOURCE_METHODS = frozenset({"settings_customise_sources", "customise_sources", "__init__", "__new__",
                             "model_post_init", "__post_init__", "_settings_build_values", "__setattr__",
                             "__getattr__", "__getattribute__", "_build_values"})


#: A settings class's configuration: changed through the class (``Settings.model_config["env_prefix"] = ...``).
_CONFIG_ATTRIBUTES = frozenset({"model_config", "Config", "__config__", "settings_customise_sources",
                                "customise_sources"})


def _changed_attributes(tree: ast.Module) -> dict[str, Any]:
    """Names whose attributes the module sets after building them (``settings.redis_url = ...`` anywhere,
    ``setattr(settings, ...)``) or whose configuration it reaches (``Settings.model_config[...] = ...``):
    name -> the attribute names, or ``"*"`` when any may be set."""
    changed: dict[str, Any] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and changed.get(node.value.id) != "*" \
                and (isinstance(node.ctx, (ast.Store, ast.Del)) or node.attr in _CONFIG_ATTRIBUTES):
            changed.setdefault(node.value.id, set()).add(node.attr)
        elif isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)) \
                and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) in ("setattr", "delattr",
                                                                                                "__setattr__"):
            for arg in node.args:
                if isinstance(arg, ast.Name):
                    changed[arg.id] = "*"
    return changed


def _settings_fields(c: Any, cls: ast.ClassDef) -> dict[str, str] | None:
    """field -> the environment variable pydantic reads it from, for a class deriving from ``BaseSettings``
    alone; None for any other class, or when its configuration is not read.

    The name is ``env_prefix`` + the field's name (v2: a literal ``alias=``/``validation_alias=`` instead, v1:
    ``Field(env=...)``), upper-cased unless ``case_sensitive`` (pydantic then matches any case).  A field
    whose variable cannot be told (a non-literal alias, an ``AliasPath``, v2's ignored ``env=``, ``Field`` in an
    ``Annotated`` type) or whose value a validator may change is left out; a class whose values are changed
    otherwise (:func:`_validated`) gives None.
    """
    if len(cls.bases) != 1:
        return None
    version = _SETTINGS_BASES.get(c.qualname(cls.bases[0]) or "")
    if version is None:
        return None
    options = _class_options(c, cls, version)
    if options is None:
        return None
    prefix, case_sensitive = "", False
    for key, node in options:
        got = c.eval.value(node, frozenset()) if key in ("env_prefix", "case_sensitive") else None
        if key not in _HARMLESS or (got is not None and not got.known):
            return None
        if key == "env_prefix" and got is not None:
            if not isinstance(got.value, str):
                return None
            prefix = got.value
        elif key == "case_sensitive" and got is not None:
            if not isinstance(got.value, bool):
                return None
            case_sensitive = got.value
    validated = _validated(cls)
    if validated is None:
        return None
    fields: dict[str, str] = {}
    for stmt in cls.body:
        if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name) \
                or stmt.target.id.startswith("_") or "ClassVar" in c.code(stmt.annotation) \
                or stmt.target.id in validated \
                or any(isinstance(node, ast.Call) for node in ast.walk(stmt.annotation)):
            continue  # `Annotated[str, Field(alias=...)]` names another variable
        variable: str | None = prefix + stmt.target.id
        if isinstance(stmt.value, ast.Call):
            variable = _field_variable(c, stmt.value, version, prefix + stmt.target.id)
        if variable is not None:
            fields[stmt.target.id] = variable if case_sensitive else variable.upper()
    return fields


def _validated(cls: ast.ClassDef) -> set[str] | None:
    """The fields a validator of the class may change (``@field_validator("redis_url")``, v1 ``@validator``);
    None when the class changes its values in other ways (a model validator that may change them, ``__init__``,
    ``settings_customise_sources`` choosing other sources, a validator of every field).  A v2
    ``@model_validator(mode="after")`` that only checks the values (:func:`_only_checks`) changes none."""
    fields: set[str] = set()
    for stmt in cls.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if stmt.name in _SOURCE_METHODS:
            return None
        for decorator in stmt.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            func = call.func if call is not None else decorator
            word = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if not word.endswith("validator"):
                continue
            if word == "model_validator" and call is not None and _only_checks(stmt, call):
                continue
            if word in ("root_validator", "model_validator") or call is None:
                return None
            names = [arg.value for arg in call.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
            if len(names) != len(call.args) or "*" in names:
                return None
            fields.update(names)
    return fields


def _only_checks(method: ast.FunctionDef | ast.AsyncFunctionDef, decorator: ast.Call) -> bool:
    """Whether a ``@model_validator(mode="after")`` method leaves every value as pydantic read it: pydantic
    passes it the built instance and keeps what it returns (pydantic docs, "Model validators"), so a body
    that only reads fields of its first parameter (``self.db_host``, never a method call, an assignment, or
    the instance handed to other code, nothing reached through a field) and returns that parameter (or
    raises) changes nothing.  ``mode="before"``/``"wrap"`` validators see the raw input and may replace any
    of it."""
    modes = [kw.value for kw in decorator.keywords if kw.arg == "mode"]
    params = method.args.posonlyargs + method.args.args
    if decorator.args or len(modes) != 1 or not isinstance(modes[0], ast.Constant) or modes[0].value != "after" \
            or not params:
        return False
    instance = params[0].arg
    parents = {child: node for node in ast.walk(method) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(method):
        if isinstance(node, ast.Return) and not (isinstance(node.value, ast.Name) and node.value.id == instance):
            return False
        if not isinstance(node, ast.Name) or node.id != instance or isinstance(parents.get(node), ast.Return):
            continue
        field = parents.get(node)
        if not isinstance(field, ast.Attribute) or not isinstance(field.ctx, ast.Load) or field.attr.startswith("_") \
                or isinstance(parents.get(field), (ast.Attribute, ast.Subscript)) \
                or isinstance(parents.get(field), ast.Call) and parents[field].func is field:  # type: ignore[attr-defined]
            return False
    return True


def _class_options(c: Any, cls: ast.ClassDef, version: int) -> list[tuple[str, ast.AST]] | None:
    """The configuration written on a settings class: its keywords, an inner ``class Config`` and (v2)
    ``model_config = SettingsConfigDict(...)`` or a dict literal, as (key, value node); None when it cannot
    be read (a ``**`` splat, a computed key or value)."""
    options: list[tuple[str, ast.AST]] = []
    for keyword in cls.keywords:
        if keyword.arg is None:
            return None
        options.append((keyword.arg, keyword.value))
    for stmt in cls.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for inner in stmt.body:
                if isinstance(inner, ast.Assign) and len(inner.targets) == 1 and isinstance(inner.targets[0], ast.Name):
                    options.append((inner.targets[0].id, inner.value))
                elif not isinstance(inner, (ast.Expr, ast.Pass)):
                    return None
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and any(
                isinstance(t, ast.Name) and t.id == "model_config"
                for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])):
            value = stmt.value
            if version != 2 or value is None:
                return None
            if isinstance(value, ast.Call) and not value.args and isinstance(value.func, (ast.Name, ast.Attribute)) \
                    and c.code(value.func).rpartition(".")[2] in ("SettingsConfigDict", "ConfigDict", "dict"):
                if any(keyword.arg is None for keyword in value.keywords):
                    return None
                options += [(keyword.arg, keyword.value) for keyword in value.keywords]  # type: ignore[misc]
            elif isinstance(value, ast.Dict) and all(isinstance(k, ast.Constant) and isinstance(k.value, str)
                                                     for k in value.keys):
                options += [(k.value, v) for k, v in zip(value.keys, value.values)]  # type: ignore[union-attr]
            else:
                return None
    return options


def _field_variable(c: Any, call: ast.Call, version: int, default: str) -> str | None:
    """The variable a field given as ``Field(...)`` is read from: ``default`` (prefix + name), a literal
    alias (v2) or ``env=`` (v1); several as ``A/B`` for v2's ``AliasChoices("A", "B")`` and v1's ``env=["A", "B"]``
    (the first one set is read); None when not told (a call other than pydantic's ``Field``, a splat, a
    non-literal alias, v2's ``env=`` which pydantic-settings ignores)."""
    if c.qualname(call.func) not in _FIELD:
        return None
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    if None in keywords:
        return None
    if version == 2:
        if "env" in keywords:
            return None
        named = keywords.get("validation_alias", keywords.get("alias"))
    else:
        named = keywords.get("env")
    if named is None:
        return default
    choices: list[ast.AST] | None = None
    if isinstance(named, ast.Call) and version == 2 and c.qualname(named.func) in _ALIAS_CHOICES \
            and not named.keywords:
        choices = list(named.args)  # `AliasChoices("REDIS_URL", "CACHE_URL")`: the first one set is read
    elif isinstance(named, (ast.List, ast.Tuple)) and version == 1:
        choices = list(named.elts)  # v1 `Field(env=["REDIS_URL", "CACHE_URL"])`
    if choices is not None:
        names = [c.eval.value(choice, frozenset()) for choice in choices]
        if not names or not all(got.known and isinstance(got.value, str) for got in names):
            return None
        return "/".join(dict.fromkeys(str(got.value) for got in names))
    got = c.eval.value(named, frozenset())
    return got.value if got.known and isinstance(got.value, str) else None


#: pydantic v2's choice of names for one field (``AliasPath`` items and anything computed are not told).
_ALIAS_CHOICES = frozenset({"pydantic.AliasChoices", "pydantic.aliases.AliasChoices"})


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def cached_read(cache: Any, src: SourceFile) -> ModuleFacts:
    """:func:`read` through the run's :class:`~hueylint.pyapp.cache.FactsCache` (an entry of its own:
    :meth:`~hueylint.pyapp.cache.FactsCache.derived`), so a warm run parses no such module again."""
    return cache.derived(src, "values", lambda: read(src), lambda found: found.rel == src.rel)
