"""Extract huey app facts from one Python file with the standard library's ``ast``, never importing or running it.

This is the entry module; the walk lives in :mod:`hueylint.pyapp.collector` and the readers of each
kind of fact beside it (:mod:`~hueylint.pyapp.instances`, :mod:`~hueylint.pyapp.tasks`,
:mod:`~hueylint.pyapp.signals`, :mod:`~hueylint.pyapp.consumers`, :mod:`~hueylint.pyapp.settings`,
:mod:`~hueylint.pyapp.patches`, :mod:`~hueylint.pyapp.branches`), placed in the columns findings show by
:mod:`~hueylint.pyapp.positions`.  A file :func:`ast.parse` refuses goes to libcst
(:mod:`hueylint.pyapp.fallback`), imported only then.  The extractor walks the module once, in source
order, so import aliases and rebinding (``import huey`` then ``huey = huey.RedisHuey()``) are resolved
the way Python would at import time.  Values are read only when they are literals (or module constants /
small local helpers holding literals); everything else becomes an unknown :class:`~hueylint.model.Val`
whose reason names the environment variable or ``DEBUG`` when that is where it comes from
(:mod:`hueylint.pyapp.values`).
"""

from __future__ import annotations

import ast
from dataclasses import replace

from hueylint.appmodel import (
    ModuleFacts,
    is_settings_path,
    module_name,
)
from hueylint.pyapp import excepts
from hueylint.pyapp.collector import Collector
from hueylint.pyapp.excepts import handlers
from hueylint.pyapp.fstrings import swap_inner_quotes
from hueylint.pyapp.positions import Source
from hueylint.pyapp_gate import might_matter  # noqa: F401  re-exported: one implementation, libcst-free
from hueylint.sources import SourceFile


def extract(src: SourceFile) -> ModuleFacts:
    """Read one Python file into :class:`ModuleFacts`; a syntax error is reported, never raised.

    The standard library's :func:`ast.parse` reads the file; only a file it refuses (syntax newer than the
    running Python, or a real error) goes to libcst (:mod:`hueylint.pyapp.fallback`), which either reads
    it into the same kind of tree or gives the error HL001 reports.
    """
    facts = ModuleFacts(rel=src.rel, module=module_name(src.rel), is_settings=is_settings_path(src.rel))
    try:
        tree = _parse(src.text)
    except (RecursionError, MemoryError):
        facts.error = (1, 1, "expressions nested too deeply")
        return facts
    except SyntaxError as exc:
        if "too many" in (exc.msg or ""):  # nested parentheses, levels of indentation, statically nested blocks
            facts.error = (exc.lineno or 1, max(exc.offset or 1, 1), exc.msg)
            return facts
        from hueylint.pyapp import fallback  # libcst: only for a file ``ast`` refuses

        return fallback.extract(src, facts, exc)
    except ValueError as exc:  # NUL bytes (older Pythons): libcst reports them
        from hueylint.pyapp import fallback

        return fallback.extract(src, facts, exc)
    return collect(src, facts, tree, byte_columns=True)


def _parse(text: str) -> ast.Module:
    """``ast.parse(text)``; a module whose only newer syntax is PEP 701 quotes re-used in an f-string's field
    (:func:`hueylint.pyapp.fstrings.swap_inner_quotes`) or Python 3.14's unparenthesised ``except A, B:``
    (PEP 758: the same as ``except (A, B):``) is parsed with those handlers parenthesised in place, so every
    position stays where it was written (raises the first SyntaxError otherwise)."""
    try:
        tree, opened = excepts.parse_module(text)
    except SyntaxError as exc:
        if not (exc.msg or "").startswith("f-string"):
            raise
        swapped = swap_inner_quotes(text)  # PEP 701 quotes, same positions (hueylint.pyapp.fstrings)
        if swapped is None:
            raise
        try:
            return _parse(swapped)
        except SyntaxError:
            raise exc from None
    for node in handlers(tree.body) if opened else ():  # the type as written, without the parentheses added
        if isinstance(node.type, ast.Tuple) and (node.type.lineno, node.type.col_offset) in opened:
            node.type.col_offset += 1
            node.type.end_col_offset = (node.type.end_col_offset or 1) - 1
    return tree


def collect(src: SourceFile, facts: ModuleFacts, tree: ast.Module, byte_columns: bool) -> ModuleFacts:
    """Walk a parsed module into ``facts`` (``byte_columns``: the tree's columns are UTF-8 byte offsets, as
    ``ast`` gives them); nesting deeper than the walk's recursion allows is HL001 at the deepest bracket."""
    try:
        collector = Collector(Source(src.rel, src.text, byte_columns), facts)
        collector.run(tree)
        collector.finish()
        if facts.immediate_assignments and _runs_as_script(tree):
            facts.immediate_assignments = [replace(assign, in_script=True) if assign.in_function else assign
                                           for assign in facts.immediate_assignments]
    except RecursionError:  # below CPython's nesting limit, beyond the recursive walk
        facts = ModuleFacts(rel=src.rel, module=facts.module, is_settings=facts.is_settings)
        facts.error = (*_deepest_bracket(src.text), "expressions nested too deeply")
    return facts


def _runs_as_script(tree: ast.Module) -> bool:
    """The module has a top-level ``if __name__ == "__main__":`` (either operand order)."""
    for node in tree.body:
        test = node.test if isinstance(node, ast.If) else None
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq):
            sides = [test.left, test.comparators[0]]
            if any(isinstance(side, ast.Name) and side.id == "__name__" for side in sides) and \
                    any(isinstance(side, ast.Constant) and side.value == "__main__" for side in sides):
                return True
    return False


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
