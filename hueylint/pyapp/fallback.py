"""The libcst fallback of the fact extractor: files the running Python's :func:`ast.parse` refuses.

libcst parses syntax newer than the running Python (``except A, B:`` of Python 3.14 on 3.11, PEP 701
f-strings such as ``f"{x["k"]}"``, ``type`` aliases, type parameters); such a file is read with libcst and
its tree converted to the :mod:`ast` nodes the collector walks, with libcst's positions (character
columns, parentheses excluded, as ``ast`` places nodes).  A file libcst refuses too has a real syntax
error: Python's own message and place (libcst's when Python gave none) become HL001.  libcst is imported
only here and by ``--fix``, so a run over files ``ast`` reads never loads it.

Constructs without an ``ast`` node on the running Python are given the nearest one: a ``type X = ...``
alias is a ``pass`` (it binds no value a fact reads), a ``match`` statement is an ``if`` on its subject
holding every case's statements (they run conditionally), a template string (``t"..."``) is an
f-string (its value stays unknown).
"""

from __future__ import annotations

import ast
from typing import Any, Callable, Sequence

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from hueylint.appmodel import ModuleFacts
from hueylint.sources import SourceFile

_BINARY = {"Add": ast.Add, "Subtract": ast.Sub, "Multiply": ast.Mult, "Divide": ast.Div, "FloorDivide": ast.FloorDiv,
           "Modulo": ast.Mod, "Power": ast.Pow, "LeftShift": ast.LShift, "RightShift": ast.RShift,
           "BitOr": ast.BitOr, "BitAnd": ast.BitAnd, "BitXor": ast.BitXor, "MatrixMultiply": ast.MatMult}
_UNARY = {"Not": ast.Not, "Minus": ast.USub, "Plus": ast.UAdd, "BitInvert": ast.Invert}
_COMPARE = {"Equal": ast.Eq, "NotEqual": ast.NotEq, "LessThan": ast.Lt, "LessThanEqual": ast.LtE,
            "GreaterThan": ast.Gt, "GreaterThanEqual": ast.GtE, "Is": ast.Is, "IsNot": ast.IsNot, "In": ast.In,
            "NotIn": ast.NotIn}


def extract(src: SourceFile, facts: ModuleFacts, error: Exception) -> ModuleFacts:
    """Facts of a file :func:`ast.parse` refused with ``error``, read through libcst, or its HL001."""
    from hueylint.pyapp.extract import collect

    try:
        module = cst.parse_module(src.text)
    except cst.ParserSyntaxError as exc:
        facts.error = _syntax_error(error, exc)
        return facts
    except (RecursionError, ValueError) as exc:  # pathological nesting / bad encoding declaration
        facts.error = (1, 1, f"cannot parse: {exc}")
        return facts
    try:
        tree = _as_ast(module)
    except RecursionError:
        facts.error = (1, 1, "expressions nested too deeply")
        return facts
    except (SyntaxError, ValueError):  # a literal Python refuses as ``ast`` did (an int of over 4,300 digits)
        facts.error = _ast_error(error)
        return facts
    del module
    return collect(src, facts, tree, byte_columns=False)


def module_tree(text: str) -> ast.Module | None:
    """``text`` as the ``ast`` tree :func:`extract` walks (libcst's positions: character columns), for a module
    read only for its values (:mod:`hueylint.pyapp.exports`); None when libcst refuses it too."""
    try:
        return _as_ast(cst.parse_module(text))
    except (cst.ParserSyntaxError, RecursionError, ValueError, SyntaxError):  # (SyntaxError: a literal, see extract)
        return None


def _as_ast(module: cst.Module) -> ast.Module:
    """libcst's tree as the ``ast`` nodes the collector walks, with libcst's positions (raises
    ``RecursionError`` on expressions nested too deeply)."""
    return _Converter(MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)).module(module)


def _ast_error(error: Exception) -> tuple[int, int, str]:
    """Where and why Python refuses the file (``error``, from :func:`ast.parse`) when libcst read it: a literal
    Python will not compile (an int of more than 4,300 digits), for HL001."""
    if isinstance(error, SyntaxError):
        return (error.lineno or 1, max(error.offset or 1, 1), error.msg)
    return (1, 1, f"cannot parse: {error}")


def _syntax_error(error: Exception, exc: cst.ParserSyntaxError) -> tuple[int, int, str]:
    """Where and why the file does not parse, for HL001: Python's compiler pinpoints the error (libcst
    reports where its parser gave up, often a line late); libcst's answer when Python gave no place."""
    if isinstance(error, SyntaxError):
        return (error.lineno or exc.raw_line, error.offset or 1, error.msg)
    return (exc.raw_line, exc.raw_column + 1, exc.message)


class _Converter:
    """libcst nodes to ``ast`` nodes, placed where libcst places them."""

    def __init__(self, positions: Any) -> None:
        self.positions = positions

    def at(self, new: ast.AST, old: cst.CSTNode) -> Any:
        where = self.positions[old]
        new.lineno, new.col_offset = where.start.line, where.start.column  # type: ignore[attr-defined]
        new.end_lineno, new.end_col_offset = where.end.line, where.end.column  # type: ignore[attr-defined]
        return new

    def module(self, node: cst.Module) -> ast.Module:
        return ast.Module(body=self.block(node.body), type_ignores=[])

    # -- statements ------------------------------------------------------------------------
    def block(self, body: Any) -> list[ast.stmt]:
        """Statements of a module body, an indented block or a one-line suite."""
        if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            body = body.body
        out: list[ast.stmt] = []
        for stmt in body:
            if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
                out += [self.small(small) for small in stmt.body]
            elif isinstance(stmt, cst.BaseSmallStatement):  # the statements of a one-line suite
                out.append(self.small(stmt))
            else:
                out.append(self.compound(stmt))
        return out

    def small(self, node: cst.BaseSmallStatement) -> ast.stmt:
        new: ast.stmt
        if isinstance(node, cst.Expr):
            new = ast.Expr(self.expr(node.value))
        elif isinstance(node, cst.Assign):
            new = ast.Assign([self.expr(t.target) for t in node.targets], self.expr(node.value))
        elif isinstance(node, cst.AnnAssign):
            new = ast.AnnAssign(self.expr(node.target), self.expr(node.annotation.annotation),
                                self.opt(node.value), int(isinstance(node.target, cst.Name) and not node.target.lpar))
        elif isinstance(node, cst.AugAssign):
            op = type(node.operator).__name__.removesuffix("Assign")
            new = ast.AugAssign(self.expr(node.target), _BINARY[op](), self.expr(node.value))
        elif isinstance(node, cst.Return):
            new = ast.Return(self.opt(node.value))
        elif isinstance(node, cst.Del):
            new = ast.Delete([self.expr(node.target)])
        elif isinstance(node, cst.Raise):
            new = ast.Raise(self.opt(node.exc), self.opt(node.cause.item if node.cause else None))
        elif isinstance(node, cst.Assert):
            new = ast.Assert(self.expr(node.test), self.opt(node.msg))
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            kind = ast.Global if isinstance(node, cst.Global) else ast.Nonlocal
            new = kind([item.name.value for item in node.names])
        elif isinstance(node, cst.Import):
            new = ast.Import([self.alias(alias) for alias in node.names])
        elif isinstance(node, cst.ImportFrom):
            names = [ast.alias("*")] if isinstance(node.names, cst.ImportStar) else \
                [self.alias(alias) for alias in node.names]
            module = _dotted(node.module) if node.module is not None else None
            new = ast.ImportFrom(module, names, len(node.relative))
            if isinstance(node.names, cst.ImportStar):
                self.at(names[0], node)
        elif isinstance(node, cst.Break):
            new = ast.Break()
        elif isinstance(node, cst.Continue):
            new = ast.Continue()
        else:  # Pass, and a ``type X = ...`` alias (no value a fact reads)
            new = ast.Pass()
        return self.at(new, node)

    def alias(self, node: cst.ImportAlias) -> ast.alias:
        asname = node.asname.name.value if node.asname and isinstance(node.asname.name, cst.Name) else None
        return self.at(ast.alias(_dotted(node.name), asname), node)

    def compound(self, node: cst.BaseCompoundStatement) -> ast.stmt:
        new: ast.stmt
        if isinstance(node, cst.If):
            orelse = [self.compound(node.orelse)] if isinstance(node.orelse, cst.If) else \
                self.block(node.orelse.body) if node.orelse is not None else []
            new = ast.If(self.expr(node.test), self.block(node.body), orelse)
        elif isinstance(node, cst.For):
            loop: Any = ast.AsyncFor if node.asynchronous else ast.For
            new = loop(self.expr(node.target), self.expr(node.iter), self.block(node.body), self.orelse(node))
        elif isinstance(node, cst.While):
            new = ast.While(self.expr(node.test), self.block(node.body), self.orelse(node))
        elif isinstance(node, cst.With):
            items = [ast.withitem(self.expr(item.item), self.expr(item.asname.name) if item.asname else None)
                     for item in node.items]
            new = (ast.AsyncWith if node.asynchronous else ast.With)(items, self.block(node.body))
        elif isinstance(node, (cst.Try, cst.TryStar)):
            handlers = [self.at(ast.ExceptHandler(self.opt(h.type), _as_name(h.name), self.block(h.body)), h)
                        for h in node.handlers]
            final = self.block(node.finalbody.body) if node.finalbody else []
            new = (ast.Try if isinstance(node, cst.Try) else ast.TryStar)(
                self.block(node.body), handlers, self.orelse(node), final)
        elif isinstance(node, cst.FunctionDef):
            function: Any = ast.AsyncFunctionDef if node.asynchronous else ast.FunctionDef
            new = function(node.name.value, self.params(node.params), self.block(node.body),
                       [self.expr(d.decorator) for d in node.decorators],
                       self.expr(node.returns.annotation) if node.returns else None)
        elif isinstance(node, cst.ClassDef):
            bases, keywords = self.args([*node.bases, *node.keywords])
            new = ast.ClassDef(node.name.value, bases, keywords, self.block(node.body),
                               [self.expr(d.decorator) for d in node.decorators])
        elif isinstance(node, cst.Match):  # an ``if`` on the subject holding every case's statements
            body = [stmt for case in node.cases for stmt in self.block(case.body)]
            new = ast.If(self.expr(node.subject), body or [self.at(ast.Pass(), node)], [])
        else:
            new = ast.Pass()
        return self.at(new, node)

    def orelse(self, node: Any) -> list[ast.stmt]:
        return self.block(node.orelse.body) if node.orelse is not None else []

    def params(self, node: cst.Parameters) -> ast.arguments:
        positional = [*node.posonly_params, *node.params]
        star = node.star_arg if isinstance(node.star_arg, cst.Param) else None
        return ast.arguments(
            posonlyargs=[self.param(p) for p in node.posonly_params], args=[self.param(p) for p in node.params],
            vararg=self.param(star) if star else None, kwonlyargs=[self.param(p) for p in node.kwonly_params],
            kw_defaults=[self.opt(p.default) for p in node.kwonly_params],
            kwarg=self.param(node.star_kwarg) if node.star_kwarg else None,
            defaults=[self.expr(p.default) for p in positional if p.default is not None])

    def param(self, node: cst.Param) -> ast.arg:
        annotation = self.expr(node.annotation.annotation) if node.annotation else None
        return self.at(ast.arg(node.name.value, annotation), node)

    def args(self, items: Sequence[cst.Arg]) -> tuple[list[ast.expr], list[ast.keyword]]:
        positional: list[ast.expr] = []
        keywords: list[ast.keyword] = []
        for arg in items:
            value = self.expr(arg.value)
            if arg.keyword is not None:
                keywords.append(self.at(ast.keyword(arg.keyword.value, value), arg))
            elif arg.star == "**":
                keywords.append(self.at(ast.keyword(None, value), arg))
            elif arg.star == "*":
                positional.append(self.at(ast.Starred(value, ast.Load()), arg))
            else:
                positional.append(value)
        return positional, keywords

    # -- expressions -----------------------------------------------------------------------
    def opt(self, node: cst.BaseExpression | None) -> Any:
        return None if node is None else self.expr(node)

    def expr(self, node: cst.CSTNode) -> Any:
        convert: Callable[[Any], ast.expr] | None = getattr(self, "x_" + type(node).__name__, None)
        new = self.at(convert(node) if convert is not None else ast.Constant(Ellipsis), node)
        for part in new.values if isinstance(new, ast.JoinedStr) else ():  # literal parts: the string's place
            if not hasattr(part, "lineno"):
                ast.copy_location(part, new)
        return new

    def x_Name(self, node: cst.Name) -> ast.expr:
        if node.value in ("True", "False", "None"):
            return ast.Constant({"True": True, "False": False, "None": None}[node.value])
        return ast.Name(node.value, ast.Load())

    def x_Integer(self, node: cst.Integer) -> ast.expr:
        return ast.Constant(node.evaluated_value)

    x_Float = x_Imaginary = x_SimpleString = x_Integer

    def x_Ellipsis(self, node: cst.Ellipsis) -> ast.expr:
        return ast.Constant(Ellipsis)

    def x_ConcatenatedString(self, node: cst.ConcatenatedString) -> ast.expr:
        parts: list[cst.CSTNode] = []
        current: cst.CSTNode = node
        while isinstance(current, cst.ConcatenatedString):
            parts.append(current.left)
            current = current.right
        parts.append(current)
        if all(isinstance(part, cst.SimpleString) for part in parts):
            return ast.Constant(node.evaluated_value)
        values: list[ast.expr] = []
        for part in parts:
            converted = self.expr(part)
            values += converted.values if isinstance(converted, ast.JoinedStr) else [converted]
        return ast.JoinedStr(_merge_texts(values))

    def x_FormattedString(self, node: Any) -> ast.expr:
        prefix = node.prefix.lower()
        quote = node.start[len(node.prefix):]
        values: list[ast.expr] = []
        for part in node.parts:
            if isinstance(part, (cst.FormattedStringText,)) or type(part).__name__ == "TemplatedStringText":
                values.append(ast.Constant(_text(prefix, quote, part.value)))
            else:
                spec = self.fstring_spec(part, prefix, quote)
                conversion = ord(part.conversion) if part.conversion else -1
                values.append(self.at(ast.FormattedValue(self.expr(part.expression), conversion, spec), part))
        return ast.JoinedStr(_merge_texts(values))

    x_TemplatedString = x_FormattedString

    def fstring_spec(self, part: Any, prefix: str, quote: str) -> ast.expr | None:
        if not part.format_spec:
            return None
        return ast.JoinedStr([ast.Constant(_text(prefix, quote, p.value)) if isinstance(p, cst.FormattedStringText)
                              else ast.FormattedValue(self.expr(p.expression), -1, None) for p in part.format_spec])

    def x_Attribute(self, node: cst.Attribute) -> ast.expr:
        return ast.Attribute(self.expr(node.value), node.attr.value, ast.Load())

    def x_Call(self, node: cst.Call) -> ast.expr:
        positional, keywords = self.args(node.args)
        return ast.Call(self.expr(node.func), positional, keywords)

    def x_Subscript(self, node: cst.Subscript) -> ast.expr:
        items = [self.slice_item(element) for element in node.slice]
        index = items[0] if len(items) == 1 else self.at_span(ast.Tuple(items, ast.Load()), items)
        return ast.Subscript(self.expr(node.value), index, ast.Load())

    def slice_item(self, element: cst.SubscriptElement) -> ast.expr:
        inner = element.slice
        if isinstance(inner, cst.Index):
            value = self.expr(inner.value)
            return self.at(ast.Starred(value, ast.Load()), inner) if inner.star else value
        assert isinstance(inner, cst.Slice)
        return self.at(ast.Slice(self.opt(inner.lower), self.opt(inner.upper), self.opt(inner.step)), inner)

    def at_span(self, new: ast.AST, items: list[Any]) -> Any:
        first, last = items[0], items[-1]
        new.lineno, new.col_offset = first.lineno, first.col_offset  # type: ignore[attr-defined]
        new.end_lineno, new.end_col_offset = last.end_lineno, last.end_col_offset  # type: ignore[attr-defined]
        return new

    def x_BinaryOperation(self, node: cst.BinaryOperation) -> ast.expr:
        return ast.BinOp(self.expr(node.left), _BINARY[type(node.operator).__name__](), self.expr(node.right))

    def x_BooleanOperation(self, node: cst.BooleanOperation) -> ast.expr:
        op = ast.And() if isinstance(node.operator, cst.And) else ast.Or()
        return ast.BoolOp(op, [self.expr(node.left), self.expr(node.right)])

    def x_UnaryOperation(self, node: cst.UnaryOperation) -> ast.expr:
        return ast.UnaryOp(_UNARY[type(node.operator).__name__](), self.expr(node.expression))

    def x_Comparison(self, node: cst.Comparison) -> ast.expr:
        return ast.Compare(self.expr(node.left), [_COMPARE[type(t.operator).__name__]() for t in node.comparisons],
                           [self.expr(t.comparator) for t in node.comparisons])

    def x_IfExp(self, node: cst.IfExp) -> ast.expr:
        return ast.IfExp(self.expr(node.test), self.expr(node.body), self.expr(node.orelse))

    def x_Lambda(self, node: cst.Lambda) -> ast.expr:
        return ast.Lambda(self.params(node.params), self.expr(node.body))

    def elements(self, elements: Sequence[cst.BaseElement]) -> list[ast.expr]:
        return [self.at(ast.Starred(self.expr(e.value), ast.Load()), e) if isinstance(e, cst.StarredElement)
                else self.expr(e.value) for e in elements]

    def x_List(self, node: cst.List) -> ast.expr:
        return ast.List(self.elements(node.elements), ast.Load())

    def x_Tuple(self, node: cst.Tuple) -> ast.expr:
        return ast.Tuple(self.elements(node.elements), ast.Load())

    def x_Set(self, node: cst.Set) -> ast.expr:
        return ast.Set(self.elements(node.elements))

    def x_StarredElement(self, node: cst.StarredElement) -> ast.expr:
        return ast.Starred(self.expr(node.value), ast.Load())

    def x_Dict(self, node: cst.Dict) -> ast.expr:
        keys: list[ast.expr | None] = []
        values: list[ast.expr] = []
        for element in node.elements:
            keys.append(self.expr(element.key) if isinstance(element, cst.DictElement) else None)
            values.append(self.expr(element.value))
        return ast.Dict(keys, values)

    def generators(self, node: cst.CompFor | None) -> list[ast.comprehension]:
        out = []
        while node is not None:
            out.append(ast.comprehension(self.expr(node.target), self.expr(node.iter),
                                         [self.expr(c.test) for c in node.ifs], int(node.asynchronous is not None)))
            node = node.inner_for_in
        return out

    def x_ListComp(self, node: cst.ListComp) -> ast.expr:
        return ast.ListComp(self.expr(node.elt), self.generators(node.for_in))

    def x_SetComp(self, node: cst.SetComp) -> ast.expr:
        return ast.SetComp(self.expr(node.elt), self.generators(node.for_in))

    def x_GeneratorExp(self, node: cst.GeneratorExp) -> ast.expr:
        return ast.GeneratorExp(self.expr(node.elt), self.generators(node.for_in))

    def x_DictComp(self, node: cst.DictComp) -> ast.expr:
        return ast.DictComp(self.expr(node.key), self.expr(node.value), self.generators(node.for_in))

    def x_Await(self, node: cst.Await) -> ast.expr:
        return ast.Await(self.expr(node.expression))

    def x_Yield(self, node: cst.Yield) -> ast.expr:
        if isinstance(node.value, cst.From):
            return ast.YieldFrom(self.expr(node.value.item))
        return ast.Yield(self.opt(node.value))

    def x_NamedExpr(self, node: cst.NamedExpr) -> ast.expr:
        return ast.NamedExpr(self.expr(node.target), self.expr(node.value))


def _dotted(node: cst.BaseExpression) -> str:
    """``a.b.c`` of a Name/Attribute chain, as ``ast`` writes a module name."""
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return node.value if isinstance(node, cst.Name) else ""


def _as_name(node: cst.AsName | None) -> str | None:
    return node.name.value if node is not None and isinstance(node.name, cst.Name) else None


def _text(prefix: str, quote: str, raw: str) -> str:
    """The value of a literal part of an f-string as Python reads it (escapes applied unless raw)."""
    text = raw.replace("{{", "{").replace("}}", "}")
    try:
        value = ast.literal_eval(("r" if "r" in prefix else "") + quote + text + quote)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


def _merge_texts(values: list[ast.expr]) -> list[ast.expr]:
    """Adjacent literal parts as one, as ``ast`` gives an f-string's (positions dropped: ``ast`` has none)."""
    out: list[ast.expr] = []
    for value in values:
        if isinstance(value, ast.Constant) and out and isinstance(out[-1], ast.Constant):
            out[-1] = ast.Constant(str(out[-1].value) + str(value.value))
        else:
            out.append(value)
    return out
