"""Values of Python expressions for the fact extractor (:mod:`hueylint.pyapp.extract`), with their provenance.

:class:`Evaluator` reads literals, follows module constants and small local helpers holding literals, and
otherwise gives an unknown :class:`~hueylint.model.Val` whose reason names the environment variable or
``DEBUG`` it comes from.  The small predicates here (``os.environ``, ``DEBUG``, ``None``, ``*args``),
:class:`Arg` (one argument of a call, in source order) and :class:`Entry` (one ``'key': value`` of a
settings dict) are shared with the fact readers.  Nodes are the standard library's :mod:`ast` nodes.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Any, Iterator, NamedTuple, Sequence

from hueylint.appmodel import (
    COMPARISONS,
    DEBUG,
    OWN_MODULE,
    EnvReadFails,
    EnvVal,
    env_eval,
    env_reason,
    env_var,
)
from hueylint.locations import Loc
from hueylint.model import Val

if TYPE_CHECKING:
    from hueylint.pyapp.collector import Collector

ENV_FUNCS = frozenset({"env", "getenv", "get_env", "env_bool", "env_str", "env_int", "env_list", "environ_get"})
ENV_RECEIVERS = frozenset({"env", "environ", "os.environ", "config"})
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
#: The standard library's URL parsers (Python 3's ``urllib.parse``, Python 2's ``urlparse``, six's alias) and
#: the attributes of their result that are parts of the URL (``urllib.parse.SplitResult``/``ParseResult``).
URL_PARSE_MODULES = frozenset({"urllib.parse", "urlparse", "six.moves.urllib.parse", "six.moves.urllib_parse"})
URL_PARSERS = frozenset({"urlparse", "urlsplit"})
URL_PARTS = frozenset({"hostname", "port", "username", "password", "scheme", "netloc", "path", "query"})


class Entry(NamedTuple):
    """One ``'key': value`` of a settings dict, with the names that are helper parameters there."""

    key: str
    node: ast.AST
    loc: Loc
    shadow: frozenset[str]


class Arg(NamedTuple):
    """One argument of a call as written: ``keyword`` (None when positional), ``star`` (``""``, ``"*"`` or
    ``"**"``), the argument's ``value`` and the ``node`` that spans it (``name=value``, ``*value``)."""

    keyword: str | None
    star: str
    value: ast.expr
    node: ast.AST


def call_args(call: ast.Call) -> list[Arg]:
    """The arguments of ``call`` in source order (``ast`` keeps positional and keyword ones apart)."""
    items = [Arg(None, "*", a.value, a) if isinstance(a, ast.Starred) else Arg(None, "", a, a) for a in call.args]
    if call.keywords:
        items += [Arg(k.arg, "" if k.arg else "**", k.value, k) for k in call.keywords]
        if call.args:
            items.sort(key=lambda a: (a.node.lineno, a.node.col_offset))  # type: ignore[attr-defined]
    return items


def has_star(call: ast.Call) -> bool:
    return any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords)


def bind_args(call: ast.Call, positional: tuple[str, ...]) -> dict[str, ast.AST]:
    """Map a call's arguments to parameter names; stops at ``*args`` (later positions are unknown)."""
    bound: dict[str, ast.AST] = {}
    index = 0
    for arg in call_args(call):
        if arg.star:
            index = len(positional)
            continue
        if arg.keyword is not None:
            bound[arg.keyword] = arg.value
        elif index < len(positional):
            bound[positional[index]] = arg.value
            index += 1
    return bound


def at(val: Val[Any], loc: Loc) -> Val[Any]:
    """``val`` placed at ``loc``."""
    return Val(val.value, loc, val.unknown)


def is_environ(c: Collector, node: ast.AST) -> bool:
    qn = c.qualname(node)
    return qn == "os.environ" or (isinstance(node, ast.Attribute) and c.code(node) == "os.environ")


def reads_env_text(c: Collector, node: ast.AST, shadow: frozenset[str] | None = None) -> bool:
    """Whether ``node`` (through the module-level names it is bound to) is an environment variable's text itself,
    or ``bool()`` of it, true for any text: ``os.environ["X"]``, ``os.environ.get("X"[, default])``,
    ``os.getenv("X"[, default])`` (a default is the value only while the variable is unset).  Not a typed reader
    (``env.bool``, ``config(cast=bool)``) nor a comparison (``os.getenv("X") == "1"``)."""
    for _ in range(4):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "bool" \
                and "bool" not in c.imports and len(node.args) == 1 and not node.keywords:
            node = node.args[0]
        if not isinstance(node, ast.Name):
            break
        resolved = c.eval.resolve_name(node, shadow)
        if resolved is None or resolved is node:
            return False
        node, shadow = resolved, frozenset()
    if isinstance(node, ast.Subscript):
        return is_environ(c, node.value) or c.code(node.value) == "environ"
    if not isinstance(node, ast.Call) or not node.args or node.keywords:
        return False
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "get":
        return is_environ(c, func.value) or c.code(func.value) == "environ"
    return c.code(func) == "os.getenv" or (isinstance(func, ast.Name) and c.imports.get(func.id) == "os.getenv")


def is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def is_debug_ref(node: ast.AST) -> bool:
    """``DEBUG`` or ``settings.DEBUG``."""
    if isinstance(node, ast.Name):
        return node.id == "DEBUG"
    return isinstance(node, ast.Attribute) and node.attr == "DEBUG"


def is_string(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


# What only a test run has, so no deployed process (a consumer, a web server) does: Django's test command is
# the argv word `test` (`manage.py test`); pytest is imported as `pytest`/`_pytest` and sets
# PYTEST_CURRENT_TEST while a test runs (and PYTEST_VERSION, pytest 8.2+, for the whole session).
TEST_ARGV = frozenset({"test", "pytest", "py.test"})
TEST_MODULES = frozenset({"pytest", "_pytest"})
TEST_ENV = frozenset({"PYTEST_CURRENT_TEST", "PYTEST_VERSION"})


#: django-environ's ``Env`` readers taking ``(var, default=...)``
_ENVIRON_READERS = frozenset({"bool", "str", "int", "float", "list", "tuple", "dict", "json", "url", "db_url",
                              "cache_url", "get_value"})


#: a formula part not followed (:meth:`Evaluator._formula`): :func:`hueylint.appmodel.env_eval` does not know it
UNKNOWN: tuple[Any, ...] = ("?",)


def _constant(value: Any) -> tuple[Any, ...]:
    """A literal as a formula's ``("c", value)`` when the cache can hold it (a set or list as a tuple: ``in``
    tests membership alike); :data:`UNKNOWN` for anything else."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return ("c", value)
    if isinstance(value, (tuple, list, set, frozenset)) and all(
            item is None or isinstance(item, (str, int, float, bool)) for item in value):
        return ("c", tuple(sorted(value, key=repr)) if isinstance(value, (set, frozenset)) else tuple(value))
    return UNKNOWN


#: decorators that only cache what a function returns
_CACHING = frozenset({"functools.cache", "functools.lru_cache"})


class Evaluator:
    """Reads literal values, following module constants and small helpers, and names the environment otherwise."""

    MAX_DEPTH = 8

    def __init__(self, c: Collector) -> None:
        self.c = c
        self._helpers: dict[str, bool] = {}  # module functions that read the variable their parameter names

    def resolve_name(self, node: ast.AST, shadow: frozenset[str] | None = None, depth: int = 0) -> ast.AST | None:
        """Follow a Name to its single module-level assignment; None when shadowed or ambiguous.

        ``shadow`` names are local there (parameters, local assignments);
        by default the locals of the functions being visited.
        """
        shadow = self.c.local_names if shadow is None else shadow
        while isinstance(node, ast.Name) and depth < self.MAX_DEPTH:
            if node.id in shadow or node.id in self.c.imports:
                return None
            values = self.c.constants.get(node.id)
            if not values or len(values) != 1:
                return None
            node, shadow, depth = values[0], frozenset(), depth + 1
        return node

    def import_ref(self, node: ast.AST, shadow: frozenset[str] | None = None, depth: int = 0) -> str | None:
        """The dotted import (as written) a value refers to when it is defined in another module: a name bound
        by ``from m import X`` (``m.X``), an attribute of an imported module (``config.X`` after ``from app
        import config``: ``app.config.X``), or a module constant holding one of those; None otherwise, and when
        the name is also assigned in this module, imported from elsewhere too (``try``/``except ImportError``),
        rebound by a later star import, or local where it is read (which binding holds is then not told)."""
        shadow = self.c.local_names if shadow is None else shadow
        if depth > self.MAX_DEPTH:
            return None
        if isinstance(node, ast.Attribute):
            head = self.import_ref(node.value, shadow, depth + 1) or self._own_object(node.value, shadow)
            return f"{head}.{node.attr}" if head and not self._attribute_set(node) else None
        inner = self.str_argument(node, shadow)
        if inner is not None:  # `str(settings.redis_url)`: pydantic's RedisDsn is a URL object, made a string
            return self.import_ref(inner, shadow, depth + 1)
        if not isinstance(node, ast.Name) or node.id in shadow:
            return None
        values = self.c.constants.get(node.id)
        if node.id in self.c.imports:
            if values or node.id in self.c.reimported or self._star_after(self.c.imports[node.id]):
                return None
            return self.c.imports[node.id]
        if values is None or len(values) != 1:
            return None
        return self.import_ref(values[0], frozenset(), depth + 1)

    def _own_object(self, node: ast.AST, shadow: frozenset[str]) -> str | None:
        """``OWN_MODULE + name`` when ``node`` names a class this module defines at its top level (``Config``
        of ``Config.REDIS_HOST``) or a name it binds once to a call of one of its classes or functions
        or an imported one (``settings = Settings()``, ``settings = get_settings()``): what the module's importers would read
        as ``module.name.attr``, which the linker reads in this module (:func:`hueylint.pyapp.exports.read`)."""
        if not isinstance(node, ast.Name) or node.id in shadow or node.id in self.c.imports:
            return None
        values = self.c.constants.get(node.id)
        if values is None:
            return OWN_MODULE + node.id if node.id in self.c.classes and node.id not in self.c.functions else None
        call = values[0]
        if len(values) == 1 and isinstance(call, ast.Call) and isinstance(call.func, ast.Name) \
                and (call.func.id in self.c.classes or call.func.id in self.c.functions or call.func.id in self.c.imports):
            return OWN_MODULE + node.id
        return None

    def str_argument(self, node: ast.AST, shadow: frozenset[str]) -> ast.AST | None:
        """The argument of a call of the builtin ``str`` with one positional argument (``str(x)``: a value
        that is a string already, or a URL object such as pydantic's ``RedisDsn``, whose text is the URL), None for
        anything else, and when ``str`` is rebound in the module or local where it is called."""
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name) or node.func.id != "str" \
                or len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            return None
        if "str" in shadow or "str" in self.c.imports or "str" in self.c.constants or "str" in self.c.functions:
            return None
        return node.args[0]

    def _star_after(self, target: str) -> bool:
        """True when a ``from m import *`` read so far follows the import binding ``target`` (``app.config.X``
        from ``from app.config import X``, ``app.config`` from ``import app.config as cfg``): it may rebind the
        name before the value is read."""
        stars = self.c.facts.star_imports
        if not stars:
            return False
        owners = (target, target.rpartition(".")[0])
        bound = max((loc.line for full, loc, _ in self.c.seen_imports if full in owners and full not in stars),
                    default=0)
        return any(loc.line > bound for full, loc, _ in self.c.seen_imports if full in stars)

    def _attribute_set(self, node: ast.Attribute) -> bool:
        """True when this module sets the attribute ``node`` reads, or any attribute of its object
        (``config.REDIS_URL = ...``, ``setattr(config, ...)``): the imported module's value may not hold."""
        text = self.c.source.text
        code = re.escape(self.c.code(node))
        owner = re.escape(self.c.code(node.value))
        return re.search(rf"(?<![\w.]){code}\s*(?::[^=\n]*)?[-+*/|&%@^]?=(?!=)|\bsetattr\(\s*{owner}\s*,"
                         rf"|(?<![\w.])del\s+{code}\b", text) is not None

    def origin(self, node: ast.AST, shadow: frozenset[str] | None = None) -> Loc | None:
        """Where the literal behind ``node`` is written (the constant's definition for a name)."""
        shadow = self.c.local_names if shadow is None else shadow
        resolved = self.resolve_name(node, shadow)
        if resolved is None or resolved is node:
            return None
        return self.c.loc(resolved)

    def value(self, node: ast.AST, shadow: frozenset[str] | None = None, depth: int = 0) -> Val[Any]:
        """The literal value of ``node`` as a Val at its position, or an unknown Val saying why."""
        shadow = self.c.local_names if shadow is None else shadow
        if depth > self.MAX_DEPTH:
            return Val(None, self.c.loc(node), "expression")
        literal = self._literal(node, shadow, depth)
        if literal is not None:
            return literal
        return Val(None, self.c.loc(node), self.reason(node, shadow, depth))

    def _literal(self, node: ast.AST, shadow: frozenset[str], depth: int) -> Val[Any] | None:
        if isinstance(node, ast.Constant):
            if node.value is Ellipsis or isinstance(node.value, complex):
                return None
            return Val(node.value, self.c.loc(node))
        if isinstance(node, ast.JoinedStr):
            if all(isinstance(part, ast.Constant) for part in node.values):
                return Val("".join(part.value for part in node.values), self.c.loc(node))  # type: ignore[attr-defined]
            return None
        if isinstance(node, ast.Name):
            if node.id == "DEBUG" or node.id in shadow:
                return None
            resolved = self.resolve_name(node, shadow)
            if resolved is not None and resolved is not node:
                return self._literal(resolved, frozenset(), depth + 1)
            return None
        if isinstance(node, ast.UnaryOp):
            inner = self._literal(node.operand, shadow, depth + 1)
            if inner is None:
                return None
            if isinstance(node.op, ast.Not):
                return Val(not inner.value, self.c.loc(node))
            if isinstance(node.op, ast.USub) and isinstance(inner.value, (int, float)):
                return Val(-inner.value, self.c.loc(node))
            return None
        if isinstance(node, ast.BoolOp):  # `a or b` is a when a is true, else b (`and`: a when a is false)
            result: Val[Any] | None = None
            for operand in node.values:
                result = self._literal(operand, shadow, depth + 1)
                if result is None:
                    return None
                if bool(result.value) == isinstance(node.op, ast.Or):
                    break
            return Val(result.value, self.c.loc(node)) if result is not None else None
        probe = self.test_probe(node)
        if probe is not None:
            return Val(probe, self.c.loc(node))
        argument = self.str_argument(node, shadow)
        if argument is not None:
            got = self._literal(argument, shadow, depth + 1)
            return Val(got.value, self.c.loc(node)) if got is not None and isinstance(got.value, str) else None
        if isinstance(node, ast.Attribute) and node.attr in URL_PARTS:
            return self._url_part(node, shadow, depth)
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [None if isinstance(e, ast.Starred) else self._literal(e, shadow, depth + 1) for e in node.elts]
            if all(i is not None for i in items):
                return Val(tuple(i.value for i in items), self.c.loc(node))  # type: ignore[union-attr]
        return None

    def url_parse_argument(self, node: ast.AST, shadow: frozenset[str]) -> tuple[ast.AST, frozenset[str]] | None:
        """The URL a parse of the standard library reads (``urlparse(url)``, ``urllib.parse.urlsplit(url)``,
        through a name bound once to the call: ``rconn = urlparse(os.environ["REDIS_URL"])``), with the names local
        where it is written; None for anything else."""
        resolved = self.resolve_name(node, shadow) if isinstance(node, ast.Name) else node
        if resolved is not node:
            shadow = frozenset()
        if not isinstance(resolved, ast.Call) or len(resolved.args) != 1 or isinstance(resolved.args[0], ast.Starred) \
                or any(keyword.arg is None for keyword in resolved.keywords):
            return None
        qualname = self.c.qualname(resolved.func) or ""
        if qualname.rpartition(".")[0] not in URL_PARSE_MODULES or qualname.rpartition(".")[2] not in URL_PARSERS:
            return None
        return resolved.args[0], shadow

    def _url_part(self, node: ast.Attribute, shadow: frozenset[str], depth: int) -> Val[Any] | None:
        """``urlparse("redis://cache:6379/0").hostname``: the part of a literal URL as the standard library's
        parse result gives it (``hostname`` lower-cased, ``port`` an int or None); None when the URL is not a
        literal or its port is malformed (``.port`` raises ValueError)."""
        parsed = self.url_parse_argument(node.value, shadow)
        if parsed is None:
            return None
        url = self._literal(parsed[0], parsed[1], depth + 1)
        if url is None or not isinstance(url.value, str):
            return None
        from urllib.parse import urlsplit

        try:
            return Val(getattr(urlsplit(url.value), node.attr), self.c.loc(node))
        except ValueError:
            return None

    def test_probe(self, node: ast.AST) -> bool | None:
        """What a "running under tests?" probe is in a deployed process, or None when ``node`` is none:
        ``'test' in sys.argv``, ``sys.argv[1] == 'test'``, ``sys.argv[1:2] == ['test']``, ``'pytest' in sys.modules``,
        ``'PYTEST_CURRENT_TEST' in os.environ`` are False there (``not in``/``!=``: True); see TEST_ARGV."""
        c = self.c
        if not isinstance(node, ast.Compare) or len(node.ops) != 1:
            return None
        op, left, right = node.ops[0], node.left, node.comparators[0]

        def named(expr: ast.AST) -> str:
            return c.qualname(expr) or c.code(expr)

        if isinstance(op, (ast.In, ast.NotIn)) and is_string(left):
            word = left.value  # type: ignore[attr-defined]
            if (named(right) == "sys.argv" and word in TEST_ARGV) or (named(right) == "sys.modules" and word in
                                                                      TEST_MODULES) or \
                    (is_environ(c, right) and word in TEST_ENV):
                return isinstance(op, ast.NotIn)
        if isinstance(op, (ast.Eq, ast.NotEq)):
            for item, other in ((left, right), (right, left)):
                words = other.elts if isinstance(other, (ast.List, ast.Tuple)) else [other]  # `sys.argv[1:2] == ['test']`
                if isinstance(item, ast.Subscript) and named(item.value) == "sys.argv" and len(words) == 1 \
                        and is_string(words[0]) and words[0].value in TEST_ARGV:  # type: ignore[attr-defined]
                    return isinstance(op, ast.NotEq)
        return None

    def with_unset(self, val: Val[Any], node: ast.AST, shadow: frozenset[str] | None = None) -> Val[Any]:
        """``val``, read from the environment, as an :class:`~hueylint.appmodel.EnvVal` when its value while the
        variable is unset is known (:meth:`unset_value`); else ``val`` itself."""
        if val.known or not env_var(val):
            return val
        unset = self.unset_value(node, shadow)
        if unset is None:
            return val
        return EnvVal(None, val.loc, val.unknown, unset=bool(unset[0]), reads=unset[1], formula=unset[2])

    def unset_value(self, node: ast.AST, shadow: frozenset[str] | None = None
                    ) -> tuple[Any, tuple[tuple[str, str], ...], tuple[Any, ...]] | None:
        """``(value, reads, formula)``: what ``node`` is while the environment variables it reads are unset, those
        variables with the default written in each read (``""`` when none), the outermost read first, and the
        expression as a formula (:func:`hueylint.appmodel.env_eval`, which also tells its value where a launch
        sets the variables); None when that is not known, or when the read fails then
        (``os.environ["X"]``, python-decouple's ``config("X")`` without ``default=``).  The reads followed: the
        standard library's ``os.environ.get(X, d)``/``os.getenv(X, d)`` (``d``, None without one);
        python-decouple's ``config(X, default=d, cast=bool)`` (its ``cast`` applies to the default too, a string
        by decouple's boolean words, 1.0 ``Config._cast_boolean``); django-environ's ``env(X, default=d)``,
        ``env.bool(X, default=d)`` (the default is returned as written: ``parse_default=False``; without one,
        an ``Env(X=(bool, d))`` schema may hold it: not known).  Around them: module constants, ``not``,
        ``and``/``or``, ``a if t else b``, comparisons (``==``, ``!=``, ``in``, ``is``), ``str``'s ``lower()``/
        ``upper()``/``strip()``.  Field test: gustavop-dev/projectapp (``IS_PRODUCTION = DJANGO_ENV ==
        'production'`` with ``DJANGO_ENV = config('DJANGO_ENV', default='development')``, ``immediate=not
        IS_PRODUCTION``): immediate mode is on wherever the variable is not set."""
        formula = self._formula(node, self.c.local_names if shadow is None else shadow, 0)
        defaults: list[tuple[str, str]] = []
        try:
            got = env_eval(formula, {}, defaults)
        except EnvReadFails:
            return None
        if got is None or not defaults:
            return None
        reads: dict[str, str] = {}
        for var, default in reversed(defaults):  # each read appends after the reads inside it
            reads.setdefault(var, default)
        return got[0], tuple(reads.items()), formula

    def _formula(self, node: ast.AST, shadow: frozenset[str], depth: int) -> tuple[Any, ...]:
        """``node`` as a formula of :func:`hueylint.appmodel.env_eval`; ``("?",)`` (not known) for what it does not
        follow, which matters only where the evaluation reaches it (an ``or``'s operand after a true one does not)."""
        if depth > self.MAX_DEPTH:
            return UNKNOWN
        c = self.c
        if isinstance(node, ast.Constant):  # also the linker's made nodes, which have no position
            return _constant(node.value) if node.value is not Ellipsis else UNKNOWN
        if self.env_access(node) is not None:
            return self._read_formula(node, shadow, depth)
        if isinstance(node, ast.Name):
            resolved = self.resolve_name(node, shadow)
            if resolved is None or resolved is node:
                return UNKNOWN
            return self._formula(resolved, frozenset(), depth + 1)
        literal = self._literal(node, shadow, depth)
        if literal is not None:
            return _constant(literal.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self._formula(node.operand, shadow, depth + 1)
            return ("not", inner)
        if isinstance(node, ast.BoolOp):
            operands = [self._formula(operand, shadow, depth + 1) for operand in node.values]
            return ("or" if isinstance(node.op, ast.Or) else "and", tuple(operands))
        if isinstance(node, ast.IfExp):
            parts = [self._formula(part, shadow, depth + 1) for part in (node.test, node.body, node.orelse)]
            return ("if", *parts)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            op = COMPARISONS.get(type(node.ops[0]).__name__)
            left = self._formula(node.left, shadow, depth + 1)
            right = self._formula(node.comparators[0], shadow, depth + 1)
            return UNKNOWN if op is None else ("cmp", op, left, right)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args \
                and not node.keywords and node.func.attr in ("lower", "upper", "strip"):
            inner = self._formula(node.func.value, shadow, depth + 1)
            return ("meth", node.func.attr, inner)
        argument = self.str_argument(node, shadow)
        if argument is not None:
            inner = self._formula(argument, shadow, depth + 1)
            return ("str", inner)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "bool" \
                and "bool" not in c.imports and "bool" not in shadow and len(node.args) == 1 and not node.keywords:
            inner = self._formula(node.args[0], shadow, depth + 1)
            return ("bool", inner)
        return UNKNOWN

    def _read_formula(self, node: ast.AST, shadow: frozenset[str], depth: int) -> tuple[Any, ...]:
        """One read of the environment as a formula (see :meth:`unset_value`)."""
        c = self.c
        var = self.env_access(node) or "?"
        if isinstance(node, ast.Subscript):
            return ("index", var)  # os.environ["X"]: KeyError while unset
        assert isinstance(node, ast.Call)
        if has_star(node):
            return UNKNOWN
        func = node.func
        qualname = c.qualname(func) or ""
        code = c.code(func)
        receiver = c.code(func.value) if isinstance(func, ast.Attribute) else ""
        bound = bind_args(node, ("key", "default", "cast"))  # (only python-decouple's config takes a cast)
        default = bound.get("default")
        made = None if default is None else self._formula(default, shadow, depth + 1)
        written = c.code(default) if default is not None else ""
        if code == "os.getenv" or qualname == "os.getenv" or (
                isinstance(func, ast.Attribute) and func.attr == "get" and
                (is_environ(c, func.value) or receiver == "environ")):
            return ("get", var, made, written)
        decouple = qualname == "decouple.config" or (isinstance(func, ast.Name) and func.id == "config" and (
            c.imports.get("config", "").startswith("decouple") or ("config" not in c.imports
                                                                 and "config" not in c.functions)))
        if decouple:
            cast = bound.get("cast")
            kind = "" if cast is None else "bool" if isinstance(cast, ast.Name) and cast.id == "bool" \
                and "bool" not in c.imports else "?"
            return ("decouple", var, made, written, kind)
        reader = func.value if isinstance(func, ast.Attribute) and func.attr in _ENVIRON_READERS else func
        if isinstance(reader, ast.Name) and self._environ_env(reader.id, shadow):
            return ("environ", var, made, written, self._environ_reader(node, reader.id))
        return UNKNOWN

    def _environ_reader(self, node: ast.Call, name: str) -> str:
        """How django-environ 0.14.0 parses a set variable: ``env.bool`` (``cast=bool``), ``env.str``, ``env(X,
        default=d)`` by the default's type (``smart_cast``); ``"?"`` for anything else, and for every read of an
        ``Env(...)`` given a schema (its cast wins)."""
        made = self.c.constants[name][0]
        if isinstance(made, ast.Call) and (made.args or made.keywords):
            return "?"
        func = node.func
        if isinstance(func, ast.Attribute):
            return func.attr if func.attr in ("bool", "str") and "cast" not in {k.arg for k in node.keywords} \
                else "?"
        if len(node.args) > 1 or any(keyword.arg not in ("default",) for keyword in node.keywords):
            return "?"  # a cast= or parse_default=
        default = bind_args(node, ("key", "default")).get("default")
        if isinstance(default, ast.Constant) and isinstance(default.value, (bool, str)):
            return "bool" if isinstance(default.value, bool) else "str"
        return "?"

    def _environ_env(self, name: str, shadow: frozenset[str]) -> bool:
        """Whether ``name`` is bound once, at module level, to django-environ's ``Env(...)``."""
        if name in shadow or name in self.c.imports:
            return False
        values = self.c.constants.get(name)
        if not values or len(values) != 1 or not isinstance(values[0], ast.Call):
            return False
        qualname = self.c.qualname(values[0].func) or ""
        return qualname in ("environ.Env", "environ.environ.Env")

    def reason(self, node: ast.AST, shadow: frozenset[str], depth: int = 0) -> str:
        """Why a value is unknown: ``env:NAME``, ``DEBUG``, or a short description.

        ``DEBUG`` / ``settings.DEBUG`` win over what DEBUG itself is assigned
        from: HL401 warns about a value tied to DEBUG whatever sets DEBUG.
        """
        if is_debug_ref(node):
            return DEBUG
        resolved = self.resolve_name(node, shadow) if isinstance(node, ast.Name) else None
        if resolved is not None and resolved is not node and depth < self.MAX_DEPTH:
            return self.reason(resolved, frozenset(), depth + 1)
        env = self.find_env(node, shadow)
        if env is not None:
            return env_reason(env)
        if _mentions_debug(node):
            return DEBUG
        if isinstance(node, ast.Name):
            return "parameter" if node.id in shadow else f"name {node.id}"
        if isinstance(node, ast.JoinedStr):
            return "f-string"
        return "expression"

    def find_env(self, node: ast.AST, shadow: frozenset[str] | None = None, depth: int = 0) -> str | None:
        """The environment variable read somewhere in ``node`` (``"?"`` when its name is not literal).

        A name assigned several times at module level (if/else, try/except, a ``for`` over variable
        names) comes from the environment when one assignment reads it and every other one does too
        or is a ``None`` placeholder.  An attribute's or a keyword argument's name counts as a name
        (``settings.REDIS_URL`` reads the module's ``REDIS_URL``).
        """
        name = self.env_access(node)
        if name is not None:
            return name
        if depth > self.MAX_DEPTH:
            return None
        if isinstance(node, ast.Name):
            return self._named_env(node, shadow, depth)
        for child in _env_children(node):  # the depth goes on: a name's values may lead back to the name
            found = self._named_env(ast.Name(child), None, depth) if isinstance(child, str) else \
                self.find_env(child, None, depth)
            if found is not None:
                return found
        return None

    def _named_env(self, node: ast.Name, shadow: frozenset[str] | None, depth: int) -> str | None:
        resolved = self.resolve_name(node, shadow)
        if resolved is not None and resolved is not node:
            return self.find_env(resolved, frozenset(), depth + 1)
        shadow = self.c.local_names if shadow is None else shadow
        values = self.c.constants.get(node.id, [])
        if resolved is None and len(values) > 1 and node.id not in shadow and node.id not in self.c.imports:
            # ``X = X.replace("/", "")``: a value made from the name itself comes from the name's other values
            values = [value for value in values if not _mentions(value, node.id)]
            names = [self.find_env(value, frozenset(), depth + 1) for value in values]
            envs = [n for n in names if n is not None]
            if envs and all(n is not None or is_none(v) for n, v in zip(names, values)):
                return "/".join(dict.fromkeys(envs))
        return None

    def env_access(self, node: ast.AST) -> str | None:
        """``os.environ['X']``, ``os.environ.get('X')``, ``os.getenv('X')``, ``env.bool('X')``, ``config('X')``."""
        c = self.c
        if isinstance(node, ast.Subscript) and (is_environ(c, node.value) or
                                                 (isinstance(node.value, ast.Name) and node.value.id == "environ")):
            first = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) and node.slice.elts else node.slice
            return "?" if isinstance(first, ast.Slice) else self._env_name(first)
        if not isinstance(node, ast.Call) or not (node.args or node.keywords):
            return None
        func = node.func
        is_env = False
        if isinstance(func, ast.Name):
            qn = c.imports.get(func.id, "")
            is_env = func.id in ENV_FUNCS or qn == "os.getenv" or (
                func.id == "config" and (qn.startswith("decouple") or not qn)) or self._env_helper(func.id)
        elif isinstance(func, ast.Attribute):
            receiver = c.code(func.value)
            is_env = (receiver in ENV_RECEIVERS or is_environ(c, func.value)) and func.attr != "setdefault"
            is_env = is_env or c.code(func) == "os.getenv" or c.qualname(func) == "decouple.config"
        if not is_env:
            return None
        first_arg = call_args(node)[0]
        return None if first_arg.keyword is not None else self._env_name(first_arg.value)

    def _env_helper(self, name: str) -> bool:
        """Whether ``name`` is a function of this module that returns the environment variable its first
        parameter names, or a default (``def _env(name, default=None): value = os.environ.get(name); return
        default if value is None else value``): its call reads that variable, as ``os.environ.get(NAME,
        default)`` does.  Every ``return`` of its body (nested functions aside) gives a read of
        ``os.environ``/``os.getenv`` by that parameter (or a local bound only to one, or ``int``/``float``/``str``
        of one), another parameter, a literal or ``None``, or ``a if c else b`` of those, and one of them reads
        the environment; the parameter itself is never rebound.  Not a name the module also imports or
        assigns, nor a function decorated otherwise than by ``functools.cache``/``lru_cache``."""
        c = self.c
        if name in self._helpers:
            return self._helpers[name]
        self._helpers[name] = False
        function = c.functions.get(name)
        if function is None or name in c.imports or name in c.constants or name in c.classes \
                or any(c.qualname(d.func if isinstance(d, ast.Call) else d) not in _CACHING
                       for d in function.decorator_list):
            return False  # a decorator other than a cache may hand out another function
        params = [arg.arg for arg in (*function.args.posonlyargs, *function.args.args)]
        if not params:
            return False
        first = params[0]
        stores: dict[str, list[ast.AST]] = {}
        returns: list[ast.expr | None] = []
        parents: dict[ast.AST, ast.AST] = {}
        for node in walk_scope(function.body, FUNCTIONS + (ast.Lambda, ast.ClassDef)):
            for child in child_nodes(node):
                parents[child] = node
            if isinstance(node, ast.Return):
                returns.append(node.value)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                stores.setdefault(node.id, []).append(node)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                return False
        if first in stores or not returns:
            return False

        def reads_first(node: ast.AST) -> bool:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("int", "float", "str") \
                    and len(node.args) == 1 and not node.keywords:
                node = node.args[0]
            if isinstance(node, ast.Subscript):
                key = node.slice
                return (is_environ(c, node.value) or c.code(node.value) == "environ") \
                    and isinstance(key, ast.Name) and key.id == first
            if not isinstance(node, ast.Call) or not node.args or isinstance(node.args[0], ast.Starred) \
                    or not (isinstance(node.args[0], ast.Name) and node.args[0].id == first):
                return False
            func = node.func
            return c.code(func) == "os.getenv" or c.imports.get(c.code(func), "") == "os.getenv" or (
                isinstance(func, ast.Attribute) and func.attr == "get" and is_environ(c, func.value))

        def local_read(node: ast.AST) -> bool:
            bound = stores.get(node.id, []) if isinstance(node, ast.Name) else []
            return bool(bound) and all(
                isinstance(parents.get(target), ast.Assign) and len(parents[target].targets) == 1  # type: ignore[attr-defined]
                and reads_first(parents[target].value) for target in bound)  # type: ignore[attr-defined]

        def kind(node: ast.expr | None) -> str | None:  # "env", "default", or None: not of that shape
            if node is None or (isinstance(node, ast.Constant) and not isinstance(node.value, (bytes, complex))):
                return "default"
            if isinstance(node, ast.IfExp):
                kinds = {kind(node.body), kind(node.orelse)}
                return None if None in kinds else "env" if "env" in kinds else "default"
            if isinstance(node, ast.Name) and node.id in params[1:] and node.id not in stores:
                return "default"
            inner = node.args[0] if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("int", "float", "str") and len(node.args) == 1 and not node.keywords else node
            return "env" if reads_first(node) or local_read(inner) else None

        kinds = [kind(value) for value in returns]
        found = None not in kinds and "env" in kinds
        self._helpers[name] = found
        return found

    def _env_name(self, node: ast.AST) -> str:
        if is_string(node):
            return node.value  # type: ignore[attr-defined]
        if isinstance(node, ast.Name) and node.id in self.c.loop_values and node.id not in self.c.local_names:
            return "/".join(self.c.loop_values[node.id])  # `for name in ["A", "B"]: os.environ.get(name)`
        return "?"

    def template(self, node: ast.AST, shadow: frozenset[str], depth: int = 0) -> tuple[str, list[ast.AST]] | None:
        """A string built from parts (f-string, ``a + "/0"``, ``"%s/0" % a``, ``"{}/0".format(a)``) as
        ``(text, expressions)``: literal parts are kept, each other part becomes a NUL in ``text`` and its
        expression is listed in order, so URL parts keep their provenance.  None: not a built string."""
        if depth > self.MAX_DEPTH:
            return None
        resolved = self.resolve_name(node, shadow) if isinstance(node, ast.Name) else node
        if resolved is None:
            return None
        if resolved is not node:
            shadow = frozenset()
        parts: list[str | ast.AST] = []
        if isinstance(resolved, ast.JoinedStr):
            for content in resolved.values:
                if isinstance(content, ast.Constant):
                    parts.append(str(content.value))
                elif isinstance(content, ast.FormattedValue):
                    parts.append(content.value)
        elif isinstance(resolved, ast.BinOp) and isinstance(resolved.op, ast.Add):
            parts += [resolved.left, resolved.right]
        elif isinstance(resolved, ast.BinOp) and isinstance(resolved.op, ast.Mod) and is_string(resolved.left):
            right = resolved.right
            values = [e.value if isinstance(e, ast.Starred) else e for e in right.elts] \
                if isinstance(right, ast.Tuple) else [right]
            pieces = re.split(r"%[-#0 +]*\d*(?:\.\d+)?[sdr]", resolved.left.value)  # type: ignore[attr-defined]
            if len(pieces) != len(values) + 1:
                return None
            for piece, value in zip(pieces, [*values, None]):
                parts.append(piece)
                if value is not None:
                    parts.append(value)
        elif isinstance(resolved, ast.Call) and isinstance(resolved.func, ast.Attribute) \
                and resolved.func.attr == "format" and is_string(resolved.func.value) and not has_star(resolved):
            got = format_parts(resolved.func.value.value, call_args(resolved))  # type: ignore[attr-defined]
            if got is None:
                return None
            parts += got
        else:
            return None
        text: list[str] = []
        exprs: list[ast.AST] = []
        for item in parts:
            if isinstance(item, str):
                text.append(item)
                continue
            literal = self._literal(item, shadow, depth + 1)
            if literal is not None and isinstance(literal.value, (str, int)):
                text.append(str(literal.value))
                continue
            inner = self.template(item, shadow, depth + 1)
            if inner is not None:
                text.append(inner[0])
                exprs += inner[1]
                continue
            text.append("\0")
            exprs.append(item)
        return "".join(text), exprs

    # -- dicts ---------------------------------------------------------------
    def dict_entries(self, node: ast.AST, shadow: frozenset[str],
                     depth: int = 0) -> tuple[dict[str, Entry], bool] | None:
        """Entries of a dict literal, ``dict(...)`` call, constant or local helper returning a dict.

        Returns ``(entries, complete)``; complete is False when a splat or a
        non-literal key may add keys hueylint cannot see.  None: not a dict
        hueylint can read.
        """
        if depth > self.MAX_DEPTH:
            return None
        if isinstance(node, ast.Name):
            resolved = self.resolve_name(node, shadow)
            if resolved is None or resolved is node:
                return None
            return self.dict_entries(resolved, frozenset(), depth + 1)
        if isinstance(node, ast.Dict):
            return self._dict_literal(node, shadow, depth)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if name == "dict" and name not in self.c.constants and name not in self.c.imports:
                return self._dict_call(node, shadow, depth)
            helper = self.c.functions.get(name)
            if helper is not None and name not in self.c.imports:
                inlined = inline_helper_dict(helper, node)
                if inlined is not None:  # its parameters are the call's arguments, its locals their values
                    return self.dict_entries(inlined[0], inlined[1], depth + 1)
                return self._helper_dict(helper, depth)
        return None

    def dict_entries_of_call_args(self, node: ast.Call) -> tuple[dict[str, Entry], bool]:
        """Entries passed to ``d.update({...}, key=...)``."""
        return self._dict_call(node, frozenset(), -1, update=True)

    def _dict_literal(self, node: ast.Dict, shadow: frozenset[str], depth: int) -> tuple[dict[str, Entry], bool]:
        entries: dict[str, Entry] = {}
        complete = True
        for key_node, value in zip(node.keys, node.values):
            if key_node is None:  # ``**other``
                got = self.dict_entries(value, shadow, depth + 1)
                if got is None:
                    complete = False
                else:
                    entries.update(got[0])
                    complete = complete and got[1]
                continue
            key = self._literal(key_node, shadow, depth + 1)
            if key is None or not isinstance(key.value, str):
                complete = False
                continue
            entries[key.value] = Entry(key.value, value, self.c.span(key_node, value), shadow)
        return entries, complete

    def _dict_call(self, node: ast.Call, shadow: frozenset[str], depth: int,
                   update: bool = False) -> tuple[dict[str, Entry], bool]:
        """``dict(other, key=value)`` / ``dict(**other)``, or the arguments of ``d.update(...)`` (``update``:
        a ``**`` splat there is not followed): merge in argument order."""
        entries: dict[str, Entry] = {}
        complete = True
        for arg in call_args(node):
            if arg.keyword is not None:
                entries[arg.keyword] = Entry(arg.keyword, arg.value, self.c.loc(arg.node), shadow)
                continue
            follow = arg.star == "" or (arg.star == "**" and not update)
            got = self.dict_entries(arg.value, shadow, depth + 1) if follow else None
            if got is None:
                complete = False
            else:
                entries.update(got[0])
                complete = complete and got[1]
        return entries, complete

    def _helper_dict(self, helper: ast.FunctionDef | ast.AsyncFunctionDef,
                     depth: int) -> tuple[dict[str, Entry], bool] | None:
        """A local helper whose only ``return`` gives a dict; its parameters and locals stay unknown."""
        returns = [n for n in walk_scope(helper.body, FUNCTIONS) if isinstance(n, ast.Return)]
        if len(returns) != 1 or returns[0].value is None:
            return None
        return self.dict_entries(returns[0].value, function_locals(helper), depth + 1)


def inline_helper_dict(helper: ast.FunctionDef | ast.AsyncFunctionDef,
                       call: ast.Call) -> tuple[ast.Dict, frozenset[str]] | None:
    """The dict a module helper returns for ``call``, as an expression of the calling module:
    ``_connection(REDIS_URL)`` of ``def _connection(url): parsed = urlparse(url); if not parsed.hostname:
    return {}; conn = {'host': parsed.hostname, ...}; if parsed.password: conn['password'] = ...; return conn``
    is ``{'host': urlparse(REDIS_URL).hostname, ..., 'password': urlparse(REDIS_URL).password}``.

    Each parameter is the call's argument (positional or by keyword; the helper has no ``*args``/``**kwargs``
    and the call no splat), each local name bound once, by a plain assignment at the top of the body, its
    value; the dict is the one ``return`` that does not give an empty dict (a guard's ``return {}``) or None,
    a dict literal or a local bound to one, with the ``name['key'] = value`` items the body adds to it.  The
    names still local to the helper are returned to stay unknown.  None when the helper is not of that shape
    (several dicts returned, a local bound twice, an argument naming one of the helper's locals)."""
    import copy

    args = helper.args
    if args.vararg or args.kwarg or args.posonlyargs or args.kwonlyargs or any(
            isinstance(arg, ast.Starred) for arg in call.args) or any(k.arg is None for k in call.keywords):
        return None
    params = [arg.arg for arg in args.args]
    if len(call.args) > len(params):
        return None
    values: dict[str, ast.expr] = dict(zip(params, call.args))
    values.update({str(k.arg): k.value for k in call.keywords if k.arg in params})
    if set(params) - set(values):
        return None  # a parameter left to its default: not followed
    local = function_locals(helper)
    if any(isinstance(n, ast.Name) and n.id in local for value in values.values() for n in ast.walk(value)):
        return None
    bound: dict[str, ast.expr] = {}
    counts: dict[str, int] = {}
    for node in walk_scope(helper.body, FUNCTIONS):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.NamedExpr)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in target_names(target):
                    counts[name.id] = counts.get(name.id, 0) + 1
    for stmt in helper.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            bound[stmt.targets[0].id] = stmt.value
    bound = {name: value for name, value in bound.items() if counts.get(name) == 1 and name not in params}

    def empty(value: ast.expr | None) -> bool:
        return value is None or (isinstance(value, ast.Constant) and value.value is None) or \
            (isinstance(value, ast.Dict) and not value.keys)

    returns = [n.value for n in walk_scope(helper.body, FUNCTIONS) if isinstance(n, ast.Return) and not empty(n.value)]
    if len(returns) != 1 or returns[0] is None:
        return None
    result: ast.expr = returns[0]
    returned = result.id if isinstance(result, ast.Name) else None
    if returned is not None:
        result = bound.get(returned, result)
    if not isinstance(result, ast.Dict):
        return None
    result = copy.copy(result)
    result.keys, result.values = list(result.keys), list(result.values)
    if returned is not None:  # `conn['password'] = parsed.password`, also under an `if`
        for node in walk_scope(helper.body, FUNCTIONS):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript) \
                    and isinstance(node.targets[0].value, ast.Name) and node.targets[0].value.id == returned \
                    and is_string(node.targets[0].slice):
                result.keys.append(node.targets[0].slice)
                result.values.append(node.value)
    substitutions = {**bound, **values}

    class _Inline(ast.NodeTransformer):
        def __init__(self) -> None:
            self.seen: list[str] = []

        def visit_Name(self, node: ast.Name) -> ast.AST:
            if node.id in substitutions and node.id not in self.seen and len(self.seen) < 8:
                self.seen.append(node.id)
                try:
                    return self.visit(copy.deepcopy(substitutions[node.id]))
                finally:
                    self.seen.pop()
            return node

    inlined = _Inline().visit(copy.deepcopy(result))
    for index, (key, value, written) in enumerate(zip(inlined.keys, inlined.values, result.values)):
        if key is not None and (value.lineno, value.col_offset) != (written.lineno, written.col_offset):
            # a value from the call (`conn('redis.internal')`): the entry is placed there, not across the helper
            inlined.keys[index] = ast.copy_location(copy.copy(key), value)
            inlined.keys[index].end_lineno, inlined.keys[index].end_col_offset = value.lineno, value.col_offset
    return inlined, local - set(substitutions)


def _mentions_debug(node: ast.AST) -> bool:
    """``DEBUG`` named anywhere in ``node``: a name, an attribute, a keyword argument or a parameter."""
    for child in walk_scope([node]):
        if is_debug_ref(child) or (isinstance(child, ast.keyword) and child.arg == "DEBUG") \
                or (isinstance(child, ast.arg) and child.arg == "DEBUG"):
            return True
    return False


def _mentions(node: ast.AST, name: str) -> bool:
    """True when the expression ``node`` reads the variable ``name``."""
    return any(isinstance(sub, ast.Name) and sub.id == name for sub in ast.walk(node))


def _env_children(node: ast.AST) -> Iterator[ast.AST | str]:
    """The parts of an expression :meth:`Evaluator.find_env` searches: sub-expressions (not comprehension
    clauses, comparison operands after the first, slices or ``**`` entries of a dict), keyword values,
    and the names of attributes and keyword arguments; a lookup's key (``TABLE.get(KEY)``, ``TABLE[KEY]``)
    before its table, since the variable that picks the entry is the one that decides the value (not the
    first one an unrelated entry reads)."""
    if isinstance(node, ast.Compare):
        yield node.left
        return
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values):
            if key is not None:
                yield key
                yield value
        return
    if isinstance(node, ast.Call):
        lookup = isinstance(node.func, ast.Attribute) and node.func.attr == "get"
        if not lookup:
            yield node.func
        for arg in call_args(node):
            if arg.keyword is not None:
                yield arg.keyword
            yield arg.value
        if lookup:  # ``MODES.get(MODE)``: the key that selects the entry decides, before the table's other entries
            yield node.func
        return
    if isinstance(node, ast.Subscript):  # ``MODES[MODE]``: likewise, the key first
        if not isinstance(node.slice, ast.Slice):
            yield node.slice
        yield node.value
        return
    if isinstance(node, ast.Attribute):
        yield node.value
        yield node.attr
        return
    if isinstance(node, ast.IfExp):  # source order: ``body if test else orelse``
        yield from (node.body, node.test, node.orelse)
        return
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.expr) and not isinstance(child, ast.Slice):
            yield child


def format_parts(fmt: str, args: Sequence[Arg]) -> list[str | ast.AST] | None:
    """``"{}/{}".format(a, b)``, ``"{0}/{1}"``, ``"{url}/0".format(url=a)`` as literal text and argument
    expressions in order; None for a format string hueylint does not follow (specs, attributes, ``{{``)."""
    positional = [a.value for a in args if a.keyword is None]
    named = {a.keyword: a.value for a in args if a.keyword is not None}
    parts: list[str | ast.AST] = []
    auto = 0
    last = 0
    if "{{" in fmt or "}}" in fmt:
        return None
    for match in re.finditer(r"\{([^{}]*)\}", fmt):
        field = match.group(1)
        value: ast.AST | None
        if field == "":
            value = positional[auto] if auto < len(positional) else None
            auto += 1
        elif field.isdigit():
            value = positional[int(field)] if int(field) < len(positional) else None
        else:
            value = named.get(field)
        if value is None:
            return None
        parts += [fmt[last:match.start()], value]
        last = match.end()
    parts.append(fmt[last:])
    return parts


_NOT_CHILDREN = frozenset({"ctx", "op", "ops", "type_comment", "type_ignores"})
_FIELDS: dict[type, tuple[str, ...]] = {}


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """The child nodes of ``node`` in field order, without contexts and operators (``ast.iter_child_nodes``
    yields those too, through a generator: this is the extractor's hot path)."""
    kind = type(node)
    fields = _FIELDS.get(kind)
    if fields is None:
        fields = _FIELDS[kind] = tuple(name for name in kind._fields if name not in _NOT_CHILDREN)
    out: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if type(value) is list:
            out += [item for item in value if isinstance(item, ast.AST)]
        elif isinstance(value, ast.AST):
            out.append(value)
    return out


def statements(body: Sequence[Any]) -> Iterator[Any]:
    """Every statement under ``body`` at any depth, with the ``except`` clauses and ``case`` blocks holding
    them, in no particular order: only statement bodies are walked (an expression holds no statement), a
    tenth of ``ast.walk``'s cost."""
    stack = list(body)
    while stack:
        node = stack.pop()
        yield node
        for field in ("body", "orelse", "handlers", "finalbody", "cases"):
            stack += getattr(node, field, None) or ()


def walk_scope(nodes: Sequence[ast.AST], skip: tuple[type, ...] = ()) -> Iterator[ast.AST]:
    """Every node under ``nodes`` (themselves included) in source order (pre-order), not descending into
    nodes of the ``skip`` types (nested functions, lambdas, classes: their bodies run elsewhere)."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        if not skip or not isinstance(node, skip):
            children = child_nodes(node)
            children.reverse()
            stack += children


def augmented_value(stmt: ast.AugAssign) -> ast.expr:
    """The value ``X op= v`` gives its target, as ``X op v`` (Python's language reference: an augmented
    assignment evaluates the target, applies the operator, and binds the result; in place for mutable
    objects, with the same value).  The new node sits at ``v``'s position."""
    target = stmt.target
    left = ast.Name(target.id, ast.Load()) if isinstance(target, ast.Name) else target
    return ast.copy_location(ast.BinOp(ast.copy_location(left, target), stmt.op, stmt.value), stmt.value)


def function_locals(function: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """Parameters and names bound in a function (nested ones included: over-shadowing only loses values):
    parameters (of nested functions and lambdas too), assignment, ``for``, walrus and ``as`` targets."""
    names: set[str] = set()
    for node in walk_scope([function.args, *function.body]):
        if isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names.update(n.id for n in target_names(target))
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.NamedExpr)):
            names.update(n.id for n in target_names(node.target))
        elif isinstance(node, ast.alias) and node.asname:
            names.add(node.asname)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            names.update(n.id for n in target_names(node.optional_vars))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return frozenset(names)


def dotted_name(node: ast.expr) -> str | None:
    """The dotted name an expression of names and attributes spells (``split_settings.tools``, ``sys.argv``);
    None for anything else (a call, a subscript...)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted_name(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    return None


def target_names(target: ast.AST) -> Iterator[ast.Name]:
    """Names bound by an assignment target (tuples and lists unpacked, attributes ignored)."""
    if isinstance(target, ast.Name):
        yield target
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from target_names(element)
    elif isinstance(target, ast.Starred):
        yield from target_names(target.value)
