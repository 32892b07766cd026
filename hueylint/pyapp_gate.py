"""The cheap byte check that decides whether a Python file is worth parsing.

libcst is slow next to a byte search, and most Python files in a repository
have nothing to do with huey: only files that mention one of these markers,
and settings or entry modules, are parsed.
"""

from __future__ import annotations

from pathlib import PurePosixPath

MARKERS = (
    b"huey", b"HUEY", b"lock_task", b"gevent", b"SIGNAL_INTERRUPTED", b"create_consumer",
    b"DJANGO_SETTINGS_MODULE", b"call_command",
)


def might_matter(data: bytes, rel: str) -> bool:
    name = PurePosixPath(rel).name
    if name.startswith("settings") or name == "manage.py" or "/settings/" in f"/{rel}":
        return True
    return any(marker in data for marker in MARKERS)
