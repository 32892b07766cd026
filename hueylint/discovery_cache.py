"""Discovery's verdicts on files whose relevance is read from their content, kept between runs by stat stamp.

A Python file is read only to learn that it names no huey marker (:mod:`hueylint.pyapp_gate`), a YAML or
JSON file only to learn that it is no manifest (:func:`hueylint.formats.sniff`): on a large tree that is most
of discovery's time (ciso-assistant ships 74 MB of YAML libraries, Django 2,900 Python files).  The index
remembers, per repo path, the file's stamp (``(size, mtime_ns, ctime_ns, inode, device)``, see
:data:`hueylint.discovery.Stamp`) and what the content decided:

* ``""``: not relevant (with the notice it gave, e.g. "mentions `huey_consumer` but is not a compose file"):
  the next run with the same stamp does not open the file and repeats the notice;
* a format (``python``, ``kubernetes``, ``helm``, ``supervisord``, ...): the file is read as before (its text
  is needed) but not sniffed again.

Only verdicts of files that were read are kept: too large, unreadable or non-regular files are decided again
on every run, so their notices and HL001 findings stay exactly the same.  Equal stamps mean equal content as in
git's index (the kernel sets ``ctime`` on every write; a checkout cannot forge it).  Like git, a file changed
within :data:`RACY_NS` (2 s) of the start of the run that wrote the index is "racily clean": its stamp may not yet
show a change made in the same clock tick, so it is classified again (and trusted once a later run has seen it).

One JSON entry per project (:class:`hueylint.cachestore.CacheStore`, kind ``discovery``, code fingerprint over
the modules that decide verdicts), rewritten only when a verdict changed; an entry that is not exactly the
expected shape counts as an empty index.
"""

from __future__ import annotations

import functools
import os
import time
from pathlib import Path
from typing import Any

from hueylint.cachestore import CacheStore, code_fingerprint, package_files, text_key

#: Bumped when the entry's layout changes.
SCHEMA = 1
#: A file whose ``ctime`` is less than this before the start of the run that wrote the index is not trusted
#: (ns): the stamp's times have the file system's granularity, up to 2 s on FAT (1 s on HFS+), so a write
#: in the same tick after the run read the file keeps the stamp (the run cache's margin, runcache.RACY_NS).
RACY_NS = 2_000_000_000
#: The modules whose code decides a verdict and what they import (their source is part of the cache folder's name).
CODE = ("discovery.py", "discovery_cache.py", "formats.py", "pyapp_gate.py", "sources.py", "ignores.py", "model.py", "locations.py", "records.py", "regexes.py",
        "launch_facts.py", "hueyfacts.py", "appmodel.py", "unmodelled_supervisors.py", "unread_formats.py", "config.py", "durations.py",
        "findings.py")


@functools.cache
def _key() -> str:
    """The store key of the verdicts (a hash, computed when a cache is used: a run without one never hashes)."""
    return text_key("discovery-verdicts")

#: One file's remembered verdict: its stamp, the format its content gave ("" = not relevant) and the
#: notice the verdict gave (None: none).
Verdict = tuple[tuple[int, int, int, int, int], str, "str | None"]


def _fingerprint() -> str:
    return code_fingerprint(SCHEMA, package_files(*CODE))


class VerdictIndex:
    """The verdicts of one project (``root``); ``enabled=False`` (``--no-cache``) reads and writes nothing.

    :meth:`lookup` answers a file whose stamp is unchanged, :meth:`record` keeps what this run decided and
    :meth:`save` writes the entry back when something changed.
    """

    def __init__(self, root: Path, enabled: bool = True, cache_dir: str | os.PathLike[str] | None = None) -> None:
        self.started = time.time_ns()
        self.store = CacheStore(Path(root), "discovery", _fingerprint, enabled=enabled,
                                cache_dir=cache_dir) if enabled else None
        self._since = 0
        self._old: dict[str, Verdict] = self._load() if self.store is not None and self.store.enabled else {}
        self._new: dict[str, Verdict] = {}
        self._changed = False
        self.hits = 0

    def _load(self) -> dict[str, Verdict]:
        assert self.store is not None
        self._since, files = decode(self.store.read(_key()))
        return files

    def lookup(self, rel: str, stamp: tuple[int, int, int, int, int] | None) -> tuple[str, str | None] | None:
        """(format or "", notice) decided earlier for ``rel`` when its stamp is the same, else None."""
        found = self._old.get(rel)
        if found is None or stamp is None or found[0] != stamp or stamp[2] >= self._since - RACY_NS:
            return None
        self.hits += 1
        self._new[rel] = found
        return found[1], found[2]

    def record(self, rel: str, stamp: tuple[int, int, int, int, int] | None, fmt: str, notice: str | None) -> None:
        """What the content of ``rel`` decided this run (``fmt`` "" when not relevant)."""
        if stamp is None or self.store is None:
            return
        self._new[rel] = (stamp, fmt, notice)
        self._changed = True

    def save(self, walked: list[str]) -> None:
        """Write the index when a verdict changed or a file is gone: this run's verdicts, plus the old ones of
        files outside the folders ``walked`` (repo paths; ``.`` is the whole project)."""
        if self.store is None or not self.store.enabled:
            return
        # an entry this run did not look at keeps its trust only if the old entry gave it (racily clean ones
        # would otherwise be trusted under this run's later start)
        kept = {rel: verdict for rel, verdict in self._old.items()
                if rel not in self._new and not any(_under(rel, folder) for folder in walked)
                and verdict[0][2] < self._since - RACY_NS}
        if not self._changed and len(kept) + len(self._new) == len(self._old):
            return
        files = {**kept, **self._new}
        self.store.write(_key(), encode(self.started, files))


def _under(rel: str, folder: str) -> bool:
    return folder == "." or rel == folder or rel.startswith(folder + "/")


def encode(since: int, files: dict[str, Verdict]) -> dict[str, Any]:
    """The JSON form: ``{"schema", "since", "files": {rel: [size, mtime_ns, ctime_ns, inode, device, format,
    notice]}}``."""
    return {"schema": SCHEMA, "since": since,
            "files": {rel: [*stamp, fmt, notice] for rel, (stamp, fmt, notice) in files.items()}}


def decode(data: Any) -> tuple[int, dict[str, Verdict]]:
    """(since, verdicts) of an entry read back; anything not exactly :func:`encode`'s shape is (0, {})."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        return 0, {}
    since, files = data.get("since"), data.get("files")
    if type(since) is not int or not isinstance(files, dict):
        return 0, {}
    verdicts: dict[str, Verdict] = {}
    for rel, item in files.items():
        if not (isinstance(item, list) and len(item) == 7 and all(type(n) is int for n in item[:5])
                and isinstance(item[5], str) and (item[6] is None or isinstance(item[6], str))):
            return 0, {}
        verdicts[rel] = ((item[0], item[1], item[2], item[3], item[4]), item[5], item[6])
    return since, verdicts
