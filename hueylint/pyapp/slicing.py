"""Module-level literal assignments no fact can depend on, blanked before libcst reads a module.

libcst's cost is linear but large (about 0.3 ms a statement with positions); a generated settings module
of 50,000 ``NAME = [1, "x"]`` lines took 30 s and 800 MB.  The facts the extractor reads from a
module-level assignment are instances (a call), aliases and bound imports (a name or attribute value),
``HUEY``/``DJANGO_HUEY`` and ``INSTALLED_APPS``/``*_APPS`` settings, and constants that other code reads
by name.  An assignment whose value is a pure literal (no call, name, attribute, subscript, lambda or
comprehension), whose targets are plain names that nothing in the module reads and that are none of
those settings, yields no fact: it is replaced by empty lines, so every line and column of the rest stays
where it was.  Literals nested deeply, modules that read names dynamically (``globals()``, ``locals()``, ``vars()``) are left
whole, as is anything :func:`ast.parse` refuses (libcst then reports it).
"""

from __future__ import annotations

import ast
import re
from collections import Counter

_SETTING_NAMES = re.compile(r"^(INSTALLED_APPS|[A-Z][A-Z0-9_]*_APPS|HUEY|DJANGO_HUEY|DJANGO_SETTINGS_MODULE)$")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_WORD = re.compile(r"[^\W\d]\w*")  # identifiers, non-ASCII ones too
_DYNAMIC = ("globals(", "locals(", "vars(", "__getattr__", "__dict__")
_LITERAL_NODES = (ast.Constant, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.UnaryOp, ast.BinOp, ast.unaryop,
                  ast.operator, ast.expr_context, ast.JoinedStr, ast.FormattedValue)
MAX_DEPTH = 24  # literal nesting beyond this is left to libcst (it may refuse it: HL001)
MIN_STATEMENTS = 2  # fewer module-level statements than this: nothing worth blanking


def without_unread(text: str, tree: ast.Module | None = None) -> str:
    """``text`` with unread module-level literal assignments replaced by empty lines (same line count).

    ``tree`` is ``ast.parse(text)`` when the caller has it (None: parsed here).  A name counts as read when
    it occurs as a word anywhere else in the text (a string or comment too: the test errs on keeping).
    """
    if any(word in text for word in _DYNAMIC):
        return text
    if tree is None:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return text
    body = tree.body
    if len(body) < MIN_STATEMENTS:
        return text
    candidates = [index for index, stmt in enumerate(body) if _literal_assignment(stmt)]
    if not candidates:
        return text
    words = Counter(_WORD.findall(text))
    lines = _LINE.findall(text)  # line breaks as Python counts them (not str.splitlines' form feeds)
    blank: list[tuple[int, int, int]] = []  # (body index, first line, last line) of each blanked statement
    for index in candidates:
        stmt = body[index]
        if any(words[name] > 1 or _SETTING_NAMES.match(name) for name in _targets(stmt)):
            continue
        start, end = stmt.lineno, stmt.end_lineno or stmt.lineno
        if index > 0 and (body[index - 1].end_lineno or 0) >= start:
            continue  # shares a line with the statement before (`a = 1; b = 2`)
        if index + 1 < len(body) and body[index + 1].lineno <= end:
            continue
        if stmt.col_offset != 0 or end > len(lines):
            continue
        blank.append((index, start, end))
    if not blank:
        return text
    for first, last, as_string in _runs(blank):
        for number in range(first - 1, last):
            line = lines[number]
            lines[number] = line[len(line.rstrip("\r\n")):]  # keep the line ending only
        if as_string and last > first:  # one string statement instead of many empty lines: a smaller libcst tree
            lines[first - 1] = '"""' + lines[first - 1]
            lines[last - 1] = '"""' + lines[last - 1]
    return "".join(lines)


def _runs(blank: list[tuple[int, int, int]]) -> list[tuple[int, int, bool]]:
    """(first line, last line, as a string) of each run of consecutive blanked statements; a run that opens
    the module stays empty lines (a string there would be its docstring)."""
    runs: list[tuple[int, int, bool]] = []
    previous = -2
    for index, start, end in blank:
        if index == previous + 1 and runs:
            runs[-1] = (runs[-1][0], end, runs[-1][2])
        else:
            runs.append((start, end, index > 0))
        previous = index
    return runs


def _literal_assignment(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Assign):
        targets, value = stmt.targets, stmt.value
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None and stmt.simple:
        targets, value = [stmt.target], stmt.value
    else:
        return False
    return all(isinstance(target, ast.Name) for target in targets) and _literal(value, 0)


def _literal(node: ast.AST, depth: int) -> bool:
    """A pure literal nested at most ``MAX_DEPTH`` deep (deeper ones stay: libcst's HL001 reports them)."""
    if depth > MAX_DEPTH or not isinstance(node, _LITERAL_NODES):
        return False
    return all(_literal(child, depth + 1) for child in ast.iter_child_nodes(node))


def _targets(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Assign):
        return [target.id for target in stmt.targets if isinstance(target, ast.Name)]
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id]
    return []
