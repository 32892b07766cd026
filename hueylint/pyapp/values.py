"""Values of Python expressions for the fact extractor (:mod:`hueylint.pyapp.extract`), with their provenance.

:class:`Evaluator` reads literals, follows module constants and small local helpers holding literals, and
otherwise gives an unknown :class:`~hueylint.model.Val` whose reason names the environment variable or
``DEBUG`` it comes from.  The small predicates here (``os.environ``, ``DEBUG``, ``None``, ``*args``) and
:class:`Entry` (one ``'key': value`` of a settings dict) are shared with the extractor.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterator, NamedTuple, Sequence

import libcst as cst

from hueylint.appmodel import DEBUG, env_reason
from hueylint.model import Loc, Val

if TYPE_CHECKING:
    from hueylint.pyapp.extract import _Collector

ENV_FUNCS = frozenset({"env", "getenv", "get_env", "env_bool", "env_str", "env_int", "env_list", "environ_get"})
ENV_RECEIVERS = frozenset({"env", "environ", "os.environ", "config"})


class Entry(NamedTuple):
    """One ``'key': value`` of a settings dict, with the names that are helper parameters there."""

    key: str
    node: cst.BaseExpression
    loc: Loc
    shadow: frozenset[str]


def has_star(call: cst.Call) -> bool:
    return any(arg.star for arg in call.args)


def is_environ(c: _Collector, node: cst.BaseExpression) -> bool:
    qn = c.qualname(node)
    return qn == "os.environ" or (isinstance(node, cst.Attribute) and c.code(node) == "os.environ")


def is_none(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def is_debug_ref(node: cst.CSTNode) -> bool:
    """``DEBUG`` or ``settings.DEBUG``."""
    if isinstance(node, cst.Name):
        return node.value == "DEBUG"
    return isinstance(node, cst.Attribute) and node.attr.value == "DEBUG"




class Evaluator:
    """Reads literal values, following module constants and small helpers, and names the environment otherwise."""

    MAX_DEPTH = 8

    def __init__(self, c: _Collector) -> None:
        self.c = c

    def resolve_name(self, node: cst.BaseExpression, shadow: frozenset[str] | None = None,
                     depth: int = 0) -> cst.BaseExpression | None:
        """Follow a Name to its single module-level assignment; None when shadowed or ambiguous.

        ``shadow`` names are local there (parameters, local assignments);
        by default the locals of the functions being visited.
        """
        shadow = self.c.local_names if shadow is None else shadow
        while isinstance(node, cst.Name) and depth < self.MAX_DEPTH:
            if node.value in shadow or node.value in self.c.imports:
                return None
            values = self.c.constants.get(node.value)
            if not values or len(values) != 1:
                return None
            node, shadow, depth = values[0], frozenset(), depth + 1
        return node

    def origin(self, node: cst.BaseExpression, shadow: frozenset[str] | None = None) -> Loc | None:
        """Where the literal behind ``node`` is written (the constant's definition for a name)."""
        shadow = self.c.local_names if shadow is None else shadow
        resolved = self.resolve_name(node, shadow)
        if resolved is None or resolved is node:
            return None
        return self.c.loc(resolved)

    def value(self, node: cst.BaseExpression, shadow: frozenset[str] | None = None, depth: int = 0) -> Val[Any]:
        """The literal value of ``node`` as a Val at its position, or an unknown Val saying why."""
        shadow = self.c.local_names if shadow is None else shadow
        loc = self.c.loc(node)
        if depth > self.MAX_DEPTH:
            return Val(None, loc, "expression")
        literal = self._literal(node, shadow, depth)
        if literal is not None:
            return literal
        return Val(None, loc, self.reason(node, shadow, depth))

    def _literal(self, node: cst.BaseExpression, shadow: frozenset[str], depth: int) -> Val[Any] | None:
        loc = self.c.loc(node)
        if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float)):
            return Val(node.evaluated_value, loc)
        if isinstance(node, cst.ConcatenatedString):
            value = node.evaluated_value
            return Val(value, loc) if value is not None else None
        if isinstance(node, cst.FormattedString):
            texts = [p for p in node.parts if isinstance(p, cst.FormattedStringText)]
            if len(texts) == len(node.parts):
                return Val("".join(p.value for p in texts), loc)
            return None
        if isinstance(node, cst.Name):
            if node.value in ("True", "False", "None"):
                return Val({"True": True, "False": False, "None": None}[node.value], loc)
            if node.value == "DEBUG" or node.value in shadow:
                return None
            resolved = self.resolve_name(node, shadow)
            if resolved is not None and resolved is not node:
                return self._literal(resolved, frozenset(), depth + 1)
            return None
        if isinstance(node, cst.UnaryOperation):
            inner = self._literal(node.expression, shadow, depth + 1)
            if inner is None:
                return None
            if isinstance(node.operator, cst.Not):
                return Val(not inner.value, loc)
            if isinstance(node.operator, cst.Minus) and isinstance(inner.value, (int, float)):
                return Val(-inner.value, loc)
            return None
        if isinstance(node, (cst.List, cst.Tuple)):
            items = [self._literal(e.value, shadow, depth + 1) if isinstance(e, cst.Element) else None
                     for e in node.elements]
            if all(i is not None for i in items):
                return Val(tuple(i.value for i in items), loc)  # type: ignore[union-attr]
        return None

    def reason(self, node: cst.BaseExpression, shadow: frozenset[str], depth: int = 0) -> str:
        """Why a value is unknown: ``env:NAME``, ``DEBUG``, or a short description.

        ``DEBUG`` / ``settings.DEBUG`` win over what DEBUG itself is assigned
        from: HL401 warns about a value tied to DEBUG whatever sets DEBUG.
        """
        if is_debug_ref(node):
            return DEBUG
        resolved = self.resolve_name(node, shadow) if isinstance(node, cst.Name) else None
        if resolved is not None and resolved is not node and depth < self.MAX_DEPTH:
            return self.reason(resolved, frozenset(), depth + 1)
        env = self.find_env(node, shadow)
        if env is not None:
            return env_reason(env)
        if self._mentions_debug(node):
            return DEBUG
        if isinstance(node, cst.Name):
            return "parameter" if node.value in shadow else f"name {node.value}"
        if isinstance(node, cst.FormattedString):
            return "f-string"
        return "expression"

    def _mentions_debug(self, node: cst.CSTNode) -> bool:
        return is_debug_ref(node) or any(self._mentions_debug(child) for child in node.children)

    def find_env(self, node: cst.CSTNode, shadow: frozenset[str] | None = None, depth: int = 0) -> str | None:
        """The environment variable read somewhere in ``node`` (``"?"`` when its name is not literal).

        A name assigned several times at module level (if/else, try/except, a ``for`` over variable
        names) comes from the environment when one assignment reads it and every other one does too
        or is a ``None`` placeholder.
        """
        name = self.env_access(node)
        if name is not None:
            return name
        if depth > self.MAX_DEPTH:
            return None
        if isinstance(node, cst.Name):
            resolved = self.resolve_name(node, shadow)
            if resolved is not None and resolved is not node:
                return self.find_env(resolved, frozenset(), depth + 1)
            shadow = self.c.local_names if shadow is None else shadow
            values = self.c.constants.get(node.value, [])
            if resolved is None and len(values) > 1 and node.value not in shadow and node.value not in self.c.imports:
                names = [self.find_env(value, frozenset(), depth + 1) for value in values]
                envs = [n for n in names if n is not None]
                if envs and all(n is not None or is_none(v) for n, v in zip(names, values)):
                    return "/".join(dict.fromkeys(envs))
            return None
        for child in node.children:
            if isinstance(child, cst.BaseExpression) or isinstance(child, (cst.Arg, cst.SubscriptElement,
                                                                           cst.Index, cst.FormattedStringExpression,
                                                                           cst.Element, cst.DictElement)):
                found = self.find_env(child)
                if found is not None:
                    return found
        return None

    def env_access(self, node: cst.CSTNode) -> str | None:
        """``os.environ['X']``, ``os.environ.get('X')``, ``os.getenv('X')``, ``env.bool('X')``, ``config('X')``."""
        c = self.c
        if isinstance(node, cst.Subscript) and (is_environ(c, node.value) or
                                                 (isinstance(node.value, cst.Name) and node.value.value == "environ")):
            first = node.slice[0].slice if node.slice else None
            return self._env_name(first.value) if isinstance(first, cst.Index) else "?"
        if not isinstance(node, cst.Call) or not node.args:
            return None
        func = node.func
        is_env = False
        if isinstance(func, cst.Name):
            qn = c.imports.get(func.value, "")
            is_env = func.value in ENV_FUNCS or qn == "os.getenv" or (
                func.value == "config" and (qn.startswith("decouple") or not qn))
        elif isinstance(func, cst.Attribute):
            receiver = c.code(func.value)
            is_env = (receiver in ENV_RECEIVERS or is_environ(c, func.value)) and func.attr.value != "setdefault"
            is_env = is_env or c.code(func) == "os.getenv"
        if not is_env or node.args[0].keyword is not None:
            return None
        return self._env_name(node.args[0].value)

    def _env_name(self, node: cst.BaseExpression) -> str:
        if isinstance(node, cst.SimpleString) and isinstance(node.evaluated_value, str):
            return node.evaluated_value
        if isinstance(node, cst.Name) and node.value in self.c.loop_values and node.value not in self.c.local_names:
            return "/".join(self.c.loop_values[node.value])  # `for name in ["A", "B"]: os.environ.get(name)`
        return "?"

    def template(self, node: cst.BaseExpression, shadow: frozenset[str],
                 depth: int = 0) -> tuple[str, list[cst.BaseExpression]] | None:
        """A string built from parts (f-string, ``a + "/0"``, ``"%s/0" % a``, ``"{}/0".format(a)``) as
        ``(text, expressions)``: literal parts are kept, each other part becomes a NUL in ``text`` and its
        expression is listed in order, so URL parts keep their provenance.  None: not a built string."""
        if depth > self.MAX_DEPTH:
            return None
        resolved = self.resolve_name(node, shadow) if isinstance(node, cst.Name) else node
        if resolved is None:
            return None
        if resolved is not node:
            shadow = frozenset()
        parts: list[str | cst.BaseExpression] = []
        if isinstance(resolved, cst.FormattedString):
            for content in resolved.parts:
                if isinstance(content, cst.FormattedStringText):
                    parts.append(content.value)
                elif isinstance(content, cst.FormattedStringExpression):
                    parts.append(content.expression)
        elif isinstance(resolved, cst.BinaryOperation) and isinstance(resolved.operator, cst.Add):
            parts += [resolved.left, resolved.right]
        elif isinstance(resolved, cst.BinaryOperation) and isinstance(resolved.operator, cst.Modulo) \
                and isinstance(resolved.left, cst.SimpleString) and isinstance(resolved.left.evaluated_value, str):
            args = resolved.right.elements if isinstance(resolved.right, cst.Tuple) else None
            values = [e.value for e in args] if args is not None else [resolved.right]
            pieces = re.split(r"%[-#0 +]*\d*(?:\.\d+)?[sdr]", resolved.left.evaluated_value)
            if len(pieces) != len(values) + 1:
                return None
            for piece, value in zip(pieces, [*values, None]):
                parts.append(piece)
                if value is not None:
                    parts.append(value)
        elif isinstance(resolved, cst.Call) and isinstance(resolved.func, cst.Attribute) \
                and resolved.func.attr.value == "format" and isinstance(resolved.func.value, cst.SimpleString) \
                and isinstance(resolved.func.value.evaluated_value, str) and not has_star(resolved):
            got = format_parts(resolved.func.value.evaluated_value, resolved.args)
            if got is None:
                return None
            parts += got
        else:
            return None
        text: list[str] = []
        exprs: list[cst.BaseExpression] = []
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
    def dict_entries(self, node: cst.BaseExpression, shadow: frozenset[str],
                     depth: int = 0) -> tuple[dict[str, Entry], bool] | None:
        """Entries of a dict literal, ``dict(...)`` call, constant or local helper returning a dict.

        Returns ``(entries, complete)``; complete is False when a splat or a
        non-literal key may add keys hueylint cannot see.  None: not a dict
        hueylint can read.
        """
        if depth > self.MAX_DEPTH:
            return None
        if isinstance(node, cst.Name):
            resolved = self.resolve_name(node, shadow)
            if resolved is None or resolved is node:
                return None
            return self.dict_entries(resolved, frozenset(), depth + 1)
        if isinstance(node, cst.Dict):
            return self._dict_literal(node, shadow, depth)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
            name = node.func.value
            if name == "dict" and name not in self.c.constants and name not in self.c.imports:
                return self._dict_call(node, shadow, depth)
            helper = self.c.functions.get(name)
            if helper is not None and name not in self.c.imports:
                return self._helper_dict(helper, depth)
        return None

    def dict_entries_of_call_args(self, node: cst.Call) -> tuple[dict[str, Entry], bool]:
        """Entries passed to ``d.update({...}, key=...)``."""
        entries: dict[str, Entry] = {}
        complete = True
        for arg in node.args:
            if arg.keyword is not None:
                entries[arg.keyword.value] = Entry(arg.keyword.value, arg.value, self.c.loc(arg), frozenset())
            elif not arg.star:
                got = self.dict_entries(arg.value, frozenset())
                if got is None:
                    complete = False
                else:
                    entries.update(got[0])
                    complete = complete and got[1]
            else:
                complete = False
        return entries, complete

    def _dict_literal(self, node: cst.Dict, shadow: frozenset[str], depth: int) -> tuple[dict[str, Entry], bool]:
        entries: dict[str, Entry] = {}
        complete = True
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                got = self.dict_entries(element.value, shadow, depth + 1)
                if got is None:
                    complete = False
                else:
                    entries.update(got[0])
                    complete = complete and got[1]
                continue
            if not isinstance(element, cst.DictElement):  # libcst has only these two kinds
                complete = False
                continue
            key = self._literal(element.key, shadow, depth + 1)
            if key is None or not isinstance(key.value, str):
                complete = False
                continue
            entries[key.value] = Entry(key.value, element.value, self.c.span(element.key, element.value), shadow)
        return entries, complete

    def _dict_call(self, node: cst.Call, shadow: frozenset[str], depth: int) -> tuple[dict[str, Entry], bool]:
        """``dict(other, key=value)`` / ``dict(**other)``: merge in argument order."""
        entries: dict[str, Entry] = {}
        complete = True
        for arg in node.args:
            if arg.keyword is not None:
                entries[arg.keyword.value] = Entry(arg.keyword.value, arg.value, self.c.loc(arg), shadow)
                continue
            got = self.dict_entries(arg.value, shadow, depth + 1) if arg.star in ("", "**") else None
            if got is None:
                complete = False
            else:
                entries.update(got[0])
                complete = complete and got[1]
        return entries, complete

    def _helper_dict(self, helper: cst.FunctionDef, depth: int) -> tuple[dict[str, Entry], bool] | None:
        """A local helper whose only ``return`` gives a dict; its parameters and locals stay unknown."""
        returns: list[cst.Return] = []

        class _Returns(cst.CSTVisitor):
            def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
                return node is helper

            def visit_Return(self, node: cst.Return) -> None:
                returns.append(node)

        helper.visit(_Returns())
        if len(returns) != 1 or returns[0].value is None:
            return None
        return self.dict_entries(returns[0].value, function_locals(helper), depth + 1)


def format_parts(fmt: str, args: Sequence[cst.Arg]) -> list[str | cst.BaseExpression] | None:
    """``"{}/{}".format(a, b)``, ``"{0}/{1}"``, ``"{url}/0".format(url=a)`` as literal text and argument
    expressions in order; None for a format string hueylint does not follow (specs, attributes, ``{{``)."""
    positional = [a.value for a in args if a.keyword is None]
    named = {a.keyword.value: a.value for a in args if a.keyword is not None}
    parts: list[str | cst.BaseExpression] = []
    auto = 0
    last = 0
    if "{{" in fmt or "}}" in fmt:
        return None
    for match in re.finditer(r"\{([^{}]*)\}", fmt):
        field = match.group(1)
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


def function_locals(function: cst.FunctionDef) -> frozenset[str]:
    """Parameters and names bound in a function (nested ones included: over-shadowing only loses values)."""
    names: set[str] = set()

    class _Binds(cst.CSTVisitor):
        def visit_Param(self, node: cst.Param) -> None:
            names.add(node.name.value)

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            names.update(n.value for n in target_names(node.target))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            names.update(n.value for n in target_names(node.target))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            names.update(n.value for n in target_names(node.target))

        def visit_For(self, node: cst.For) -> None:
            names.update(n.value for n in target_names(node.target))

        def visit_AsName(self, node: cst.AsName) -> None:
            names.update(n.value for n in target_names(node.name))

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            names.update(n.value for n in target_names(node.target))

    function.params.visit(_Binds())
    function.body.visit(_Binds())
    return frozenset(names)


def target_names(target: cst.CSTNode) -> Iterator[cst.Name]:
    """Names bound by an assignment target (tuples and lists unpacked, attributes ignored)."""
    if isinstance(target, cst.Name):
        yield target
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from target_names(target.value)
