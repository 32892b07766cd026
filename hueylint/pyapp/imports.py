"""The imports of a Python module read with the stdlib ``ast``, for modules only reached through imports.

An app's import closure needs, of a module that holds no huey fact, only what it imports; a walk over
the import statements alone costs a fraction of the full extraction.  :func:`scan` gives
the same ``imports`` / ``star_imports`` the full extractor (:mod:`hueylint.pyapp.extract`) records,
and :func:`may_hold_facts` says when a module must be fully extracted instead.
"""

from __future__ import annotations

import ast
from typing import Any

from hueylint import pyapp_gate
from hueylint.appmodel import ModuleFacts
from hueylint.pyapp import excepts
from hueylint.pyapp.values import statements
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


def parse(text: str) -> ast.Module:
    """``ast.parse``, also of Python 3.14's unbracketed ``except A, B:`` (PEP 758) on an older Python: such a
    clause is read as ``except (A, B):``, which means the same (:mod:`hueylint.pyapp.excepts`, as the full
    extractor reads it). Raises what ``ast.parse`` raises otherwise."""
    return excepts.parse_module(text)[0]


def scan(src: SourceFile, module: str, is_settings: bool) -> ModuleFacts | None:
    """A module's imports as :class:`ModuleFacts` (every other field empty); None when ``ast`` cannot parse
    it (syntax newer than the running Python, or an error the full extractor must report as HL001).

    ``imports`` maps each bound name to the dotted import as written (``import a.b`` binds ``a`` and the
    key ``a.b``; ``from .m import x as y`` binds ``y`` to ``.m.x``), at any depth, like the extractor.
    """
    try:
        tree = parse(src.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    facts = ModuleFacts(rel=src.rel, module=module, is_settings=is_settings)
    imports = facts.imports
    found = [node for node in statements(tree.body) if isinstance(node, (ast.Import, ast.ImportFrom))]
    found.sort(key=lambda node: (node.lineno, node.col_offset))  # source order: a later binding wins
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


def cached_scan(cache: Any, src: SourceFile, module: str, is_settings: bool) -> ModuleFacts | None:
    """:func:`scan` through the run's :class:`~hueylint.pyapp.cache.FactsCache` (an entry of its own:
    :meth:`~hueylint.pyapp.cache.FactsCache.derived`), so a warm run parses no closure module again, nor tries
    ``ast`` again on one it cannot parse (None, as from :func:`scan`: the entry then records only that, as an
    ``error``)."""
    def compute() -> ModuleFacts:
        facts = scan(src, module, is_settings)
        return facts if facts is not None else \
            ModuleFacts(rel=src.rel, module=module, is_settings=is_settings, error=(1, 1, "not read by ast"))

    found = cache.derived(src, "imports", compute,
                          lambda found: (found.rel, found.module, found.is_settings) == (src.rel, module, is_settings))
    return None if found.error is not None else found
