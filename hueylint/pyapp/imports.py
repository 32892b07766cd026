"""The imports of a Python module found by lexing it, for modules only reached through imports.

An app's import closure needs, of a module that holds no huey fact, only what it imports. Parsing the
whole module with ``ast`` costs about 0.7 ms for each 10 KB (1.7 s for the 2,400 modules of les-emplois and
ciso-assistant-community); finding its import statements with two regular expressions and parsing just
those costs a fifth of it and reads the same imports of every one of those modules.  :func:`scan` gives the
same ``imports`` / ``star_imports`` the full extractor (:mod:`hueylint.pyapp.extract`) records, and
:func:`may_hold_facts` says when a module must be fully extracted instead.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right
from typing import Any

from hueylint import pyapp_gate
from hueylint.appmodel import ModuleFacts
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile


def may_hold_facts(text: str, rel: str) -> bool:
    """True when the full extractor can find, in a module an app reaches only through its imports, a fact the
    rules read from the app's modules (tasks, locks, instances, signal handlers, gevent patches, settings...).

    A module the byte gate would skip holds none (:func:`hueylint.pyapp_gate.might_matter`: no ``huey``, no
    marker), and neither does one it keeps only for its task call sites (:func:`hueylint.pyapp_gate.caller_only`:
    HL404 reads those from the repository's modules, never from a closure); methods only huey objects have
    (``@q.db_task()`` on an imported receiver) and ``*_APPS`` lists are found without a marker, and
    ``caller_only`` answers False for them.  So the full extractor runs exactly when ``caller_only`` is False.
    """
    return not pyapp_gate.caller_only(text, rel)


#: where an import statement may start (Python's grammar puts ``import`` and ``from ... import`` only at the
#: start of a logical line, after ``;``, or after the ``:`` of a compound statement's header; ``import`` and
#: ``from`` are keywords, so a line inside brackets cannot start with them): searched in the text after a
#: newline put before it, so the first line is a line too
_CANDIDATE = lazy_pattern(r"[\r\n;:][ \t\f]*((?:import|from)[ \t\f\\.(])")
#: what a string or a comment spans, for the candidates inside one (Python's lexical rules: a comment runs to
#: the line's end, a short string may not cross a line unless a backslash escapes the newline, a long string
#: runs to its closing triple quote; prefixes such as ``rb``/``f`` change no extent).  A string left open (a
#: syntax error) runs to its line's end, a long one to the text's end, as the tokenizer reads them: every
#: alternative matches once started, so the scan is linear (a failed match from each of 20,000 quotes of a
#: hostile 300 KB module, each searching to its end, took 85 s)
_SKIP = lazy_pattern("|".join((
    r"#[^\r\n]*",
    r"'''[^'\\]*(?:(?:\\(?:\r\n|.)|'(?!''))[^'\\]*)*(?:'''|\\?\Z)",
    r'"""[^"\\]*(?:(?:\\(?:\r\n|.)|"(?!""))[^"\\]*)*(?:"""|\\?\Z)',
    r"'[^'\\\r\n]*(?:\\(?:\r\n|.)[^'\\\r\n]*)*(?:'|\\?(?=[\r\n])|\\?\Z)",
    r'"[^"\\\r\n]*(?:\\(?:\r\n|.)[^"\\\r\n]*)*(?:"|\\?(?=[\r\n])|\\?\Z)',
)), re.S)
_IMPORT_WORD = lazy_pattern(r"\bimport\b")
_LINE_END = lazy_pattern(r"[\r\n]")
#: an import statement up to where it ends, when no bracket or backslash continues it over lines
_SIMPLE_END = lazy_pattern(r"[^\r\n;#(\\]*")


def import_statements(text: str) -> list[ast.Import | ast.ImportFrom] | None:
    """Every ``import`` / ``from ... import`` statement of ``text`` at any depth (inside functions, classes,
    ``try``, ``if TYPE_CHECKING:``...), in source order, as ``ast`` nodes (their positions are not the
    text's); None when one of them is not an import statement ``ast`` reads (a syntax error there: the full
    extractor then reports it).  Candidates inside strings and comments are skipped; a syntax error elsewhere
    in the module goes unnoticed (it holds no huey fact, and its imports are as written)."""
    text = "\n" + text
    found = list(_CANDIDATE.finditer(text))
    if not found:
        return []
    skips: tuple[list[int], list[int]] | None = None
    last = found[-1].start()
    # a string that may hold a line start: a long one, or a short one a backslash continues
    spans_lines = '"""' in text or "'''" in text or "\\\n" in text or "\\\r" in text
    parts: list[str] = []
    end = 0
    for match in found:
        at, begin = match.start(), match.start(1)
        if begin < end:  # a line that continues the statement before (`from a \` + newline + `import b`)
            continue
        if spans_lines or text[at] not in "\r\n":
            if skips is None:
                skips = _skipped(text, last)
            if _inside(skips, at) or (text[at] in "\r\n" and _continued(text, at, skips)):
                continue
        simple = _SIMPLE_END.match(text, begin)
        end = simple.end() if simple is not None else begin  # the pattern matches the empty text too
        if end < len(text) and text[end] in "(\\":
            end = _statement_end(text, begin)
        part = text[begin:end]
        if part.startswith("from") and not _IMPORT_WORD.search(part):
            continue  # `yield from x` or `raise E from x` on a line of its own: not an import
        parts.append(part)
    if not parts:
        return []
    try:
        tree = ast.parse("\n".join(parts))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    nodes = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    return nodes if len(nodes) == len(parts) == len(tree.body) else None


def _skipped(text: str, last: int) -> tuple[list[int], list[int]]:
    """The (starts, ends) of the strings and comments of ``text`` that start at or before offset ``last``."""
    starts: list[int] = []
    ends: list[int] = []
    for match in _SKIP.finditer(text):
        if match.start() > last:
            break
        starts.append(match.start())
        ends.append(match.end())
    return starts, ends


def _inside(skips: tuple[list[int], list[int]], at: int) -> bool:
    """Whether offset ``at`` lies inside one of the strings or comments ``skips`` (:func:`_skipped`)."""
    index = bisect_right(skips[0], at) - 1
    return index >= 0 and skips[1][index] > at


def _continued(text: str, at: int, skips: tuple[list[int], list[int]]) -> bool:
    """Whether the line ending at offset ``at`` (its newline) ends with a backslash that continues it (one
    in a comment does not): the next line is then part of the same statement."""
    before = at - 1 if text.startswith("\r\n", at - 1) else at
    return text[before - 1:before] == "\\" and not _inside(skips, before - 1)


def _statement_end(text: str, at: int) -> int:
    """Where the import statement starting at offset ``at`` ends: its line's end, ``;`` or comment outside
    brackets, a backslash-newline continuing it (an import statement holds no string)."""
    depth, index, size = 0, at, len(text)
    while index < size:
        char = text[index]
        if char == "\\" and text.startswith(("\n", "\r"), index + 1):
            index += 3 if text.startswith("\r\n", index + 1) else 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "#":
            if depth <= 0:
                return index
            match = _LINE_END.search(text, index)
            if match is None:
                return size
            index = match.start()
            continue
        elif char in ";\r\n" and depth <= 0:
            return index
        index += 1
    return size


def scan(src: SourceFile, module: str, is_settings: bool) -> ModuleFacts | None:
    """A module's imports as :class:`ModuleFacts` (every other field empty); None when an import statement
    of it is not one ``ast`` reads (:func:`import_statements`: the full extractor must report it as HL001).

    ``imports`` maps each bound name to the dotted import as written (``import a.b`` binds ``a`` and the
    key ``a.b``; ``from .m import x as y`` binds ``y`` to ``.m.x``), at any depth, like the extractor; a
    later binding wins.
    """
    found = import_statements(src.text)
    if found is None:
        return None
    facts = ModuleFacts(rel=src.rel, module=module, is_settings=is_settings)
    imports = facts.imports
    for node in found:
        if isinstance(node, ast.Import):
            for alias in node.names:
                full = alias.name
                if alias.asname:
                    imports[alias.asname] = full
                else:
                    head = full.split(".")[0]
                    imports[head] = head
                    if full != head:
                        imports[full] = full
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name == "*":
                    facts.star_imports.append(base)
                    continue
                joined = base + alias.name if base.endswith(".") else f"{base}.{alias.name}"
                imports[alias.asname or alias.name] = joined
    return facts


def scan_entry(src: SourceFile, module: str, is_settings: bool) -> ModuleFacts:
    """:func:`scan` as the facts cache stores it: a module ``ast`` cannot read is an ``error`` entry."""
    facts = scan(src, module, is_settings)
    return facts if facts is not None else \
        ModuleFacts(rel=src.rel, module=module, is_settings=is_settings, error=(1, 1, "not read by ast"))


def cached_scan(cache: Any, src: SourceFile, module: str, is_settings: bool) -> ModuleFacts | None:
    """:func:`scan` through the run's :class:`~hueylint.pyapp.cache.FactsCache` (an entry of its own:
    :meth:`~hueylint.pyapp.cache.FactsCache.derived`), so a warm run parses no closure module again, nor tries
    ``ast`` again on one it cannot parse (None, as from :func:`scan`: the entry then records only that, as an
    ``error``)."""
    found = cache.derived(src, "imports", lambda: scan_entry(src, module, is_settings),
                          lambda found: (found.rel, found.module, found.is_settings) == (src.rel, module, is_settings))
    return None if found.error is not None else found
