"""Python 3.14's unparenthesised ``except A, B:`` (PEP 758, the same as ``except (A, B):``) read by an older
``ast``: the handler types are parenthesised in place, so every other position stays where it was written.
One implementation for the full extractor (:mod:`hueylint.pyapp.extract`) and a module's exported names
(:mod:`hueylint.pyapp.exports`); the import scan (:mod:`hueylint.pyapp.imports`) parses only the import
statements, which hold no handler."""

from __future__ import annotations

import ast
import re
import sys
from typing import Iterator

from hueylint.pyapp import chunked
from hueylint.pyapp.values import statements
from hueylint.regexes import lazy_pattern

#: what ``ast.parse`` of an older Python says of PEP 758's syntax
MESSAGE = "multiple exception types must be parenthesized"


def handlers(body: list[ast.stmt]) -> Iterator[ast.ExceptHandler]:
    """Every ``except`` clause under ``body``."""
    return (node for node in statements(body) if isinstance(node, ast.ExceptHandler))


def parse_module(text: str) -> tuple[ast.Module, set[tuple[int, int]]]:
    """``ast.parse(text)``, and the (line, UTF-8 byte column) of each ``(`` added to an ``except A, B:``
    clause to read it (none for a text ``ast`` reads as it is): :func:`parse_first`, else ``ast.parse``, else
    :func:`parse` when ``ast`` refused the text with PEP 758's message.  Raises ``ast``'s SyntaxError (and
    whatever else ``ast.parse`` raises) otherwise."""
    early = parse_first(text)
    if early is not None:
        return early
    try:
        return chunked.parse(text), set()  # ast.parse, a large text in runs of statements
    except SyntaxError as exc:
        if exc.msg != MESSAGE:
            raise
        return parse(text, exc)


def module_or_none(text: str) -> ast.Module | None:
    """:func:`parse_module`'s tree of ``text``, None where ``ast`` refuses it (a syntax error, a NUL byte,
    nesting beyond Python's stack): for readers that skip a file they cannot parse."""
    try:
        return parse_module(text)[0]
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def parse(text: str, error: SyntaxError) -> tuple[ast.Module, set[tuple[int, int]]]:
    """``ast.parse`` of ``text`` with its ``except A, B:`` clauses parenthesised (:func:`parenthesize_excepts`),
    and the (line, UTF-8 byte column) of each ``(`` added; raises ``error`` (``ast``'s refusal of ``text``)
    when nothing was rewritten, the rewritten text does not parse, or a rewrite is not where the parsed tree
    has a handler's types (a line of a string that reads like a handler was rewritten, and the string's
    value with it: libcst reads such a file)."""
    repaired = _repaired(text)
    if repaired is None:
        raise error
    return repaired[0], repaired[1]


def _repaired(text: str) -> tuple[ast.Module, set[tuple[int, int]], dict[tuple[int, int], ast.Tuple]] | None:
    """The tree of ``text`` with its ``except A, B:`` clauses parenthesised, the places of the ``(`` added
    and the tuple of handler types found at each; None when nothing was rewritten, the rewrite does not
    parse (SyntaxError) or a rewrite is not where the tree has a handler's types."""
    repaired, opened = parenthesize_excepts(text)
    if not opened:
        return None
    try:
        tree = chunked.parse(repaired)
    except SyntaxError:
        return None
    types = {(node.type.lineno, node.type.col_offset): node.type for node in handlers(tree.body)
             if isinstance(node.type, ast.Tuple)}
    return (tree, opened, types) if opened <= types.keys() else None


#: an ``except`` clause with a comma before its line's colon, or continued by a backslash: it may be PEP 758's
#: (cheap to search, each line read once; ``except (A, B):`` matches too, and :func:`parenthesize_excepts`
#: leaves it)
_MAYBE = lazy_pattern(r"^[ \t]*except\b[^\n:\\]*(?:,|\\\r?\n)", re.M)


def parse_first(text: str) -> tuple[ast.Module, set[tuple[int, int]]] | None:
    """:func:`parse` before ``ast.parse`` of ``text`` has failed, for a text that likely needs it: a parse
    that fails costs about as much as one that succeeds (CPython parses again to word the error), so a
    module with ``except A, B:`` is parsed once instead of twice.  None when the text shows no such clause,
    the rewrite does not parse or is not verified, its first clause is not two or more unstarred types (then
    ``ast`` refuses ``text`` with "invalid syntax", not PEP 758's message: the caller parses ``text`` as usual
    and gets the same answer as before), or on Python 3.14+, which reads the clause itself."""
    if sys.version_info >= (3, 14) or "except" not in text or _MAYBE.search(text) is None:
        return None
    try:
        repaired = _repaired(text)
    except (ValueError, RecursionError, MemoryError):
        return None
    if repaired is None:
        return None
    tree, opened, types = repaired
    first = types[min(opened)]  # where ast.parse of ``text`` stops: its error is PEP 758's only for two or more
    if len(first.elts) < 2 or any(isinstance(elt, ast.Starred) for elt in first.elts):  # types, none starred
        return None  # (``except A,:``, ``except A, *B:``: "invalid syntax", which the old path reports)
    return tree, opened


#: ``except`` or ``except*`` and the blanks before the types (a ``*`` written against the type, ``except *A, B:``,
#: is no type: such a clause is left to libcst)
_EXCEPT = lazy_pattern(r"^[ \t]*except(?:[ \t]*\*)?([ \t]+)(?=[^\s*])", re.M)


def parenthesize_excepts(text: str) -> tuple[str, set[tuple[int, int]]]:
    """``text`` with each ``except A, B:`` written ``except(A, B):`` (the space before ``A`` becomes ``(``, a
    space before ``:`` becomes ``)``, else ``)`` is inserted there: only the colon and a comment move), and
    the (line, UTF-8 byte column) of each ``(`` added.  A handler with a statement after its colon on the
    same line is left alone (libcst reads such a file).  Each character is read about once: a clause that
    starts where an earlier clause's scan already went is inside that clause's brackets, no handler."""
    out: list[str] = []
    opened: set[tuple[int, int]] = set()
    last = counted = 0
    line = 1
    scanned = 0  # where the last clause's scan stopped: an `except` line before it is inside that clause's
    for match in _EXCEPT.finditer(text):  # brackets or continuation, no handler (each character read once)
        if match.start() < scanned:
            continue
        start = _after_continuations(text, match.end())
        if text[start - 1] not in " \t" or text.startswith("*", start):
            continue  # `except \` then a line starting with the types or `*`: left to libcst
        colon, comma, scanned = _type_end(text, start)
        eol = text.find("\n", colon)
        rest = text[colon + 1:eol if eol >= 0 else len(text)]
        if colon < 0 or not comma or rest.strip() and not rest.strip().startswith("#"):
            continue
        end = colon
        while end > start and text[end - 1].isspace():
            end -= 1
        line += text.count("\n", counted, start)  # the line of `start`, counted once through the text
        counted = start
        line_start = text.rfind("\n", 0, start) + 1
        out += [text[last:start - 1], "(", text[start:end]]
        out.append(")" + text[end + 1:colon + 1] if end < colon else "):")
        last = colon + 1
        opened.add((line, len(text[line_start:start - 1].encode("utf-8", "surrogatepass"))))
    out.append(text[last:])
    return "".join(out), opened


def _after_continuations(text: str, index: int) -> int:
    """``index`` moved past backslash continuations and the blanks after each (``except \\`` then the types on
    the next line: the ``(`` then replaces the blank before the first type, where ``ast`` places the tuple)."""
    while text.startswith("\\", index):
        if text.startswith("\\\n", index):
            index += 2
        elif text.startswith("\\\r\n", index):
            index += 3
        else:
            break
        while index < len(text) and text[index] in " \t":
            index += 1
    return index


def _type_end(text: str, start: int) -> tuple[int, bool, int]:
    """(index of the ``:`` ending an except clause's type that starts at ``start``, whether a comma separates
    types at the top level, the index the scan reached); -1 when the clause does not end its logical line
    with that colon.  A line ends the clause's logical line unless a bracket is open or a backslash
    continues it (a comment inside brackets is skipped)."""
    depth, comma, index = 0, False, start
    while index < len(text):
        char = text[index]
        if char == "\\" and text.startswith(("\n", "\r\n"), index + 1):
            index += 2 if text[index + 1] == "\n" else 3
            continue
        if char == "#" and depth > 0:
            index = text.find("\n", index)
            if index < 0:
                return -1, comma, len(text)
            continue
        if char == "\n" and depth > 0:
            index += 1
            continue
        if char in "\n#\\":
            return -1, comma, index
        if char in "\"'":
            close = text.find(char, index + 1)
            if close < 0:
                return -1, comma, len(text)
            index = close
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            comma = True
        elif char == ":" and depth == 0:
            return index, comma, index
        index += 1
    return -1, comma, index
