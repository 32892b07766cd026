"""The cheap byte check that decides whether a Python file is worth parsing.

libcst is slow next to a byte search, and most Python files in a repository
have nothing to do with huey: only files that mention one of these markers,
and settings or entry modules, are parsed.  This module is the single
implementation (discovery uses it without importing libcst;
:func:`hueylint.pyapp.extract.might_matter` re-exports it).
"""

from __future__ import annotations

import re

_MATTERS = re.compile(
    rb"(?i:huey)|lock_task|gevent|SIGNAL_INTERRUPTED|create_consumer|DJANGO_SETTINGS_MODULE|call_command"
    # modules that import a ``tasks`` module call tasks (HL404 reads whether they use the Result)
    rb"|from\s+[\w.]*tasks\s+import|import\s+[\w.]*tasks\b"
)


def might_matter(data: bytes, rel: str) -> bool:
    """True when the file can hold app facts: a marker anywhere (even a comment), or a settings/entry module.

    False negatives cost findings, false positives only parse time, so this
    errs on the side of parsing.
    """
    parts = rel.split("/")
    base = parts[-1]
    if base == "manage.py" or (base.startswith("settings") and base.endswith(".py")) or "settings" in parts[:-1]:
        return True
    return _MATTERS.search(data) is not None
