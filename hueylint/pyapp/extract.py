"""Extract huey app facts from one Python file with libcst, never importing or running it.

This is the entry module; the walk lives in :mod:`hueylint.pyapp.collector` and the readers of each
kind of fact beside it (:mod:`~hueylint.pyapp.instances`, :mod:`~hueylint.pyapp.tasks`,
:mod:`~hueylint.pyapp.signals`, :mod:`~hueylint.pyapp.consumers`, :mod:`~hueylint.pyapp.settings`,
:mod:`~hueylint.pyapp.patches`, :mod:`~hueylint.pyapp.branches`).  libcst is imported by these modules
only, so ``hueylint --version`` and non-Python runs stay fast.  The extractor walks the module once, in
source order, so import aliases and rebinding (``import huey`` then ``huey = huey.RedisHuey()``) are
resolved the way Python would at import time.  Values are read only when they
are literals (or module constants / small local helpers holding literals);
everything else becomes an unknown :class:`~hueylint.model.Val` whose reason
names the environment variable or ``DEBUG`` when that is where it comes from
(:mod:`hueylint.pyapp.values`).  Module-level literals nothing reads are blanked first
(:mod:`hueylint.pyapp.slicing`).
"""

from __future__ import annotations

import ast

import libcst as cst
from libcst.metadata import MetadataWrapper

from hueylint.pyapp import slicing
from hueylint.pyapp.collector import Collector
from hueylint.pyapp.facts import (
    ModuleFacts,
    is_settings_path,
    module_name,
)
from hueylint.pyapp_gate import might_matter  # noqa: F401  re-exported: one implementation, libcst-free
from hueylint.sources import SourceFile


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
        collector = Collector(src, facts)
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


