"""The run cache's early cutoff: an edit of a Python module that changes nothing a run took from it.

A build system with early cutoff (Shake, Bazel's action cache, ninja's ``restat``) rebuilds what an edited
input feeds and stops where a rebuilt output comes out unchanged.  A hueylint run takes from each Python
module only some readings, each a function of the module's path and text alone (the run records them on
its :class:`~hueylint.sources.WatchedSource`):

* ``decoded``: discovery's decoding (the format, the HL001 of a first bad byte, a byte order mark), and whether its gate
  keeps the module (a module gated out and never read stays gated out);
* ``facts``, ``imports``, ``values``: the app layer's fact readings, by their facts cache key
  (:mod:`hueylint.pyapp.cache`), compared by their stored JSON;
* ``parses``, ``caller-only``, ``mentions`` (with the names asked), ``dates-huey``, ``directives``: verdicts and suppressions;
* the lines a finding, a fingerprint or a column showed (``shown``).

Anything else that read a module's whole text (a launch's script, a settings module's star imports, a fix)
made it ``opaque``.  :func:`ledgers` gives what the run cache stores of each walked module; when only
Python modules changed since a stored run (their stamps), :func:`unchanged` reads each again, redoes every
reading the stored run made and compares: all equal, and the stored result is this tree's result, which the
run cache replays (:meth:`hueylint.runcache.RunCache.replay`).  An opaque module, a reading that differs or
one this module does not know is a full run.  Typical pre-commit edits (a function body of a module in an
app's import closure, a comment) are replayed so; an edit that moves a fact is not.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hueylint.sources import SourceFile, WatchedSource, plain_text

#: what :func:`ledgers` stores for a walked module whose whole text the run used
OPAQUE = "opaque"


def ledgers(sources: dict[str, SourceFile], read: dict[str, SourceFile], walked: list[str]) -> dict[str, Any]:
    """What the run took from each walked Python module (``walked``: repo paths), by repo path: None for one it
    never read (discovery's gate left it out), :data:`OPAQUE` for one whose whole text it used, else
    ``{"kind": "source" | "read", "readings": {...}, "shown": {line: text}}`` (JSON data).  ``sources`` are
    the run's discovered sources, ``read`` the files read on demand."""
    found: dict[str, Any] = {}
    for rel in walked:
        src = sources.get(rel)
        kind = "source"
        if src is None:
            src, kind = read.get(rel), "read"
        if src is None:
            found[rel] = None
        elif not isinstance(src, WatchedSource) or src.__dict__.get("opaque"):
            found[rel] = OPAQUE
        else:
            found[rel] = {"kind": kind, "readings": dict(src.__dict__.get("readings", {})),
                          "shown": {str(number): text for number, text in src.__dict__.get("shown", {}).items()}}
    return found


def unchanged(root: Path, rel: str, ledger: Any, cache_dir: str | None) -> bool:
    """Does the module ``rel`` as it is now give every reading ``ledger`` (from :func:`ledgers`) recorded?
    False for an opaque module, a module no longer readable, or any reading that differs."""
    from hueylint import discovery

    if ledger == OPAQUE:
        return False
    path = Path(os.path.join(root, rel))
    data, notice, bad = discovery.read_bytes(path, rel, "python")
    if data is None or notice is not None or bad is not None:
        return False
    kept = discovery.content_verdict(data, rel, "python")[0] == "python"
    if ledger is None:  # gated out and never read: only the gate could bring it in
        return not kept
    if not isinstance(ledger, dict) or kept != (ledger.get("kind") == "source"):
        return False
    readings, shown = ledger.get("readings"), ledger.get("shown")
    if not isinstance(readings, dict) or not isinstance(shown, dict):
        return False
    decoded = readings.get("decoded")
    if not isinstance(decoded, list) or len(decoded) != 3:
        return False
    src, notice, bad = discovery.classify(data, path, rel, decoded[0], gate=False)
    if src is None or notice is not None or [decoded[0], list(bad) if bad else None, src.bom] != decoded:
        return False
    try:
        return all(_same(src, name, value, root, cache_dir) for name, value in readings.items() if name != "decoded") \
            and all(src.line(int(number)) == text for number, text in shown.items())
    except (ValueError, TypeError, KeyError, RecursionError):  # a stored ledger of another shape
        return False


def _same(src: SourceFile, name: str, old: Any, root: Path, cache_dir: str | None) -> bool:
    """Does reading ``name`` of ``src`` give what the stored run noted (``old``)?"""
    text = plain_text(src)
    if name in ("facts", "imports", "values"):
        return _same_facts(src, name, old, root, cache_dir)
    if name == "parses":
        from hueylint.pyapp.cache import text_parses

        return text_parses(text) is old
    if name == "caller-only":
        from hueylint import pyapp_gate

        return pyapp_gate.caller_only(text, src.rel) is old
    if name == "mentions" or name.startswith("mentions\0"):
        return any(word in text for word in name.split("\0")[1:]) is old
    if name == "dates-huey":
        from hueylint.versions.project import dating

        return dating(text) == old
    if name == "directives":
        from hueylint.suppressions import source_directives

        source_directives(src)
        return bool(src.__dict__["readings"]["directives"] == old)
    return False  # a reading this module cannot redo: the run is not replayed


def _same_facts(src: SourceFile, name: str, old_key: Any, root: Path, cache_dir: str | None) -> bool:
    """Does the facts cache reading ``name`` of ``src`` give what the stored run's (stored under ``old_key``)
    gave?  Compared as the cache's JSON; a stored reading no longer in the cache is a difference."""
    from hueylint.pyapp import cache as facts_cache

    text = plain_text(src)
    purpose = src.rel if name == "facts" else f"{src.rel}\0{name}"
    if facts_cache.content_key(purpose, text) == old_key:
        return True
    stored = facts_cache.FactsCache(root, cache_dir=cache_dir).store.read(str(old_key))
    if stored is None:
        return False
    old = facts_cache.decode(stored)
    return bool(facts_cache.encode(_redo(name, src, old)) == stored)


def _redo(name: str, src: SourceFile, old: Any) -> Any:
    """The facts cache reading ``name`` of ``src`` now, with the arguments the stored one (``old``) was made with."""
    if name == "facts":
        from hueylint.pyapp import extract

        return extract.extract(src)
    if name == "imports":
        from hueylint.pyapp import imports

        return imports.scan_entry(src, old.module, old.is_settings)
    from hueylint.pyapp import exports

    return exports.read(src)
