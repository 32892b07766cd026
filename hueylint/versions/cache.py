"""What each dependency file says about huey, cached by content (:mod:`hueylint.cachestore`, kind ``versions``).

A warm run must not parse ``uv.lock``/``poetry.lock``/``pyproject.toml`` again: a big lock file takes 30 ms
in ``tomli``.  A file's :class:`FileFacts` (its huey pins, its ``-r``/``-c`` includes and its HL001
parse error) depend only on its path and text, and on this package's code (the entries' code fingerprint),
so they are stored per file under :func:`~hueylint.cachestore.text_key` as JSON and decoded only into
:class:`FileFacts`, :class:`~hueylint.versions.pins.Pin` and :class:`~hueylint.locations.Loc`; an entry that
does not decode is a miss (the file is read again and the entry rewritten).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hueylint.cachestore import CacheStore, code_fingerprint, json_loc, library_files, loc_json, package_files, text_key
from hueylint.records import dataclass
from hueylint.sources import SourceFile
from hueylint.versions.errors import parse_error
from hueylint.versions.pins import Pin
from hueylint.versions.project import huey_pins
from hueylint.versions.requirements import includes

#: bumped when the JSON layout changes within one hueylint version
SCHEMA = 1


@dataclass(frozen=True)
class FileFacts:
    """One dependency file: ``pins`` (:func:`~hueylint.versions.huey_pins`), ``includes``
    (:func:`~hueylint.versions.includes`, repo paths) and ``error`` (:func:`~hueylint.versions.parse_error`:
    ``(line, column, message)`` for HL001, None when it parses)."""

    pins: tuple[Pin, ...]
    includes: tuple[str, ...]
    error: tuple[int, int, str] | None


def read_facts(src: SourceFile) -> FileFacts:
    """The facts of ``src``, read from its text now."""
    return FileFacts(tuple(huey_pins(src)), tuple(includes(src)), parse_error(src))


#: The modules outside this package whose code decides a file's facts (their source is part of the cache
#: folder's name, with this package's).
SHARED_CODE = ("formats.py", "model.py", "locations.py", "records.py", "regexes.py", "launch_facts.py", "hueyfacts.py", "appmodel.py", "sources.py",
               "unmodelled_supervisors.py", "unread_formats.py")


class DependencyCache:
    """:func:`read_facts` through the cache of the project at ``root`` (``enabled=False``, ``--no-cache``:
    reads and writes nothing; ``cache_dir``: the ``--cache-dir`` option)."""

    def __init__(self, root: Path, enabled: bool = True, cache_dir: str | os.PathLike[str] | None = None) -> None:
        self.root, self.enabled, self.cache_dir = Path(root), enabled, cache_dir
        self._store: CacheStore | None = None
        self.hits = 0
        self.misses = 0

    @property
    def store(self) -> CacheStore:
        """The entries' folder, set up on first use (a project without dependency files needs none)."""
        if self._store is None:
            folder = Path(__file__).parent
            # the whole package reads pins, with the modules it imports and the TOML parser's version
            fingerprint = code_fingerprint(SCHEMA, [*sorted(folder.glob("*.py")), *package_files(*SHARED_CODE),
                                                    *library_files("tomli/__init__.py")])
            self._store = CacheStore(self.root, "versions", fingerprint, enabled=self.enabled, cache_dir=self.cache_dir)
        return self._store

    def facts(self, src: SourceFile) -> FileFacts:
        """The facts of ``src``: from its entry when its path and text were read before, else read (and stored)."""
        key = text_key(src.rel, src.text)
        store = self.store
        if store.enabled:
            found = decode(store.read(key))
            if found is not None:
                self.hits += 1
                return found
        self.misses += 1
        facts = read_facts(src)
        if store.enabled:
            store.write(key, encode(facts))
        return facts


def encode(facts: FileFacts) -> dict[str, Any]:
    """``facts`` as JSON data (see :func:`decode`)."""
    return {
        "pins": [{
            "spec": pin.spec, "version": list(pin.version) if pin.version is not None else None,
            "loc": loc_json(pin.loc), "locked": pin.locked, "minimum": pin.minimum,
            "name": pin.name, "marker": pin.marker, "extras": list(pin.extras),
            "allowed": list(pin.allowed) if pin.allowed is not None else None,
        } for pin in facts.pins],
        "includes": list(facts.includes),
        "error": list(facts.error) if facts.error is not None else None,
    }


def decode(data: Any) -> FileFacts | None:
    """The :class:`FileFacts` of :func:`encode`'s data; None for anything else (a miss)."""
    try:
        pins = tuple(_pin(raw) for raw in data["pins"])
        found = tuple(data["includes"])
        error = data["error"]
    except (TypeError, KeyError, ValueError):
        return None
    if not all(type(rel) is str for rel in found):
        return None
    if error is not None:
        if not (type(error) is list and len(error) == 3 and type(error[0]) is int and type(error[1]) is int
                and type(error[2]) is str):
            return None
        error = (error[0], error[1], error[2])
    return FileFacts(pins, found, error)


def _strings(raw: Any) -> tuple[str, ...]:
    if type(raw) is not list or not all(type(item) is str for item in raw):
        raise ValueError("not a list of strings")
    return tuple(raw)


def _pin(raw: Any) -> Pin:
    loc = json_loc(raw["loc"])
    version = raw["version"]
    if version is not None and (type(version) is not list or not all(type(n) is int for n in version)):
        raise ValueError("not a version")
    flags = (raw["locked"], raw["minimum"])
    text = (raw["spec"], raw["name"], raw["marker"])
    if not all(type(flag) is bool for flag in flags) or not all(type(part) is str for part in text):
        raise ValueError("not a pin")
    return Pin(spec=text[0], version=tuple(version) if version is not None else None, loc=loc,
               locked=flags[0], minimum=flags[1], name=text[1], marker=text[2], extras=_strings(raw["extras"]),
               allowed=_strings(raw["allowed"]) if raw["allowed"] is not None else None)
