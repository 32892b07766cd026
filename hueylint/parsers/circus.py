"""circus ``circus.ini`` files: ``[watcher:NAME]`` sections with line numbers.

circus reads its file with a ``configparser.ConfigParser`` (no inline
comments), so the INI reader of :mod:`hueylint.parsers.supervisord` is reused
without inline comment prefixes.  ``$(circus.env.X)`` / ``((circus.env.X))``
come from circusd's environment and ``$(circus.wid)`` is the worker number:
:func:`expand` replaces what it can know and marks the rest as ``${X}``.
"""

from __future__ import annotations

import re

from hueylint.parsers.supervisord import IniFile, ParseError, parse_ini
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile

_CIRCUS_VAR = lazy_pattern(r"\$\(circus\.(?P<a>[\w.]+)\)|\(\(circus\.(?P<b>[\w.]+)\)\)")


def parse(src: SourceFile) -> IniFile:
    return parse_ini(src, inline_prefixes=())


def expand(text: str, env: dict[str, str] | None, wid: int = 1) -> tuple[str, list[str]]:
    """Apply ``$(circus.env.X)`` and ``$(circus.wid)``; unknown names become ``${X}`` (run-time values)."""
    unknown: list[str] = []
    lowered = {key.lower(): value for key, value in (env or {}).items()}

    def replace(match: re.Match[str]) -> str:
        name = match.group("a") or match.group("b") or ""
        if name == "wid":
            return str(wid)
        if name.startswith("env."):
            var = name[4:]
            if env is not None and var.lower() in lowered:
                return lowered[var.lower()]
            unknown.append(var)
            return "${" + var.upper() + "}"
        unknown.append(name)
        return "${" + name.replace(".", "_").upper() + "}"

    return _CIRCUS_VAR.sub(replace, text), unknown


__all__ = ["IniFile", "ParseError", "expand", "parse"]
