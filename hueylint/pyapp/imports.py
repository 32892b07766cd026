"""The imports of a Python module read with the stdlib ``ast``, for modules only reached through imports.

An app's import closure needs, of a module that holds no huey fact, only what it imports; a walk over
the import statements alone costs a fraction of the full extraction.  :func:`scan` gives
the same ``imports`` / ``star_imports`` the full extractor (:mod:`hueylint.pyapp.extract`) records,
and :func:`may_hold_facts` says when a module must be fully extracted instead.
"""

from __future__ import annotations

import ast

from hueylint.appmodel import ModuleFacts
from hueylint.sources import SourceFile

# words without which the extractor finds nothing the app rules read (instances, settings, tasks, locks,
# signal handlers, gevent patches, ``immediate`` assignments, consumer scripts, call_command)
_FACT_WORDS = ("huey", "task", "lock", "signal", "gevent", "monkey", "patch", "immediate", "consumer",
               "call_command", "django", "_apps")


def may_hold_facts(text: str) -> bool:
    """True when ``text`` mentions a word the extractor needs to find any fact (case-insensitive)."""
    lowered = text.lower()
    return any(word in lowered for word in _FACT_WORDS)


def scan(src: SourceFile, module: str, is_settings: bool) -> ModuleFacts | None:
    """A module's imports as :class:`ModuleFacts` (every other field empty); None when ``ast`` cannot parse
    it (syntax newer than the running Python, or an error the full extractor must report as HL001).

    ``imports`` maps each bound name to the dotted import as written (``import a.b`` binds ``a`` and the
    key ``a.b``; ``from .m import x as y`` binds ``y`` to ``.m.x``), at any depth, like the extractor.
    """
    try:
        tree = ast.parse(src.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    facts = ModuleFacts(rel=src.rel, module=module, is_settings=is_settings)
    imports = facts.imports
    found = [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]
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
