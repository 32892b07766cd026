"""What a module's names hold for the modules that import them: the linker's on-demand reading of a module a
huey storage value is imported from (``from app.config import REDIS_URL``, ``config.REDIS_URL``).

The module is walked by the extractor's own :class:`~hueylint.pyapp.collector.Collector` and each
module-level name valued by its :class:`~hueylint.pyapp.values.Evaluator`, exactly as a value written in
the importing module itself would be: a single literal assignment is known, a name read from the
environment (in every if/else/try branch that assigns it, or ``None`` there) is unknown with reason
``env:NAME``, anything else is left out (unknown to the importer).  Nothing is imported or run.
"""

from __future__ import annotations

import ast
from typing import Any

from hueylint.appmodel import ModuleFacts, env_var, is_settings_path, module_name
from hueylint.sources import SourceFile


def read(src: SourceFile) -> ModuleFacts:
    """``src``'s module as its importers see it: ``imports`` (names bound by an import, to follow a name
    re-exported from a third module) and ``values`` (module-level name -> :class:`~hueylint.model.Val`).

    A name both bound by an import and assigned is left out of both (which binding holds at the end of the
    import is not told).  A module ``ast`` cannot parse gives ``error`` and nothing else."""
    from hueylint.pyapp.collector import Collector
    from hueylint.pyapp.imports import parse
    from hueylint.pyapp.positions import Source

    facts = ModuleFacts(rel=src.rel, module=module_name(src.rel), is_settings=is_settings_path(src.rel))
    try:
        tree = parse(src.text)
        collector = Collector(Source(src.rel, src.text, True), ModuleFacts(rel=src.rel, module=facts.module))
        collector.run(tree)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        facts.error = (1, 1, "not read by ast")
        return facts
    facts.imports = {name: target for name, target in collector.imports.items() if name not in collector.constants}
    for name, assigned in collector.constants.items():
        if name in collector.imports:
            continue
        got = collector.eval.value(ast.copy_location(ast.Name(name, ast.Load()), assigned[0]), frozenset())
        if (got.known and _plain(got.value)) or env_var(got):
            facts.values[name] = got
    return facts


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def cached_read(cache: Any, src: SourceFile) -> ModuleFacts:
    """:func:`read` through the run's :class:`~hueylint.pyapp.cache.FactsCache` (an entry of its own, keyed by
    path, text and this purpose, like :func:`hueylint.pyapp.imports.cached_scan`), so a warm run parses no
    such module again."""
    from hueylint.pyapp.cache import content_key

    key = content_key(f"{src.rel}\0values", src.text)
    if cache.enabled:
        found = cache._read(key)
        if found is not None and found.rel == src.rel:
            return found
    facts = read(src)
    if cache.enabled:
        cache._write(key, facts)
    return facts

