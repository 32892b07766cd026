"""Regular expressions compiled when first used: the module-level patterns of hueylint.

hueylint keeps about 200 patterns at module level (one per fact it recognises in shell words, YAML keys,
Python sources...), and Python's :mod:`re` compiles each in pure Python: 36-40 ms of a cold run on the 2-core
VM, of which a run over one repository used about half (tubesync: 79 of 175, les-emplois: 106 of 208; the
rest belong to formats and launch forms that repository does not have).  :func:`lazy_pattern` returns a
stand-in that compiles on the first use of a method or attribute, then keeps the compiled pattern's bound
methods on itself, so every later call costs what a call of the compiled pattern costs.

Shapes: ``lazy_pattern(pattern, flags=0)`` takes what :func:`re.compile` takes (``str`` or ``bytes``, flags
of :mod:`re`) and is typed as returning :class:`re.Pattern`; the stand-in answers every method and attribute
of one (``match``, ``search``, ``fullmatch``, ``sub``, ``subn``, ``split``, ``findall``, ``finditer``,
``pattern``, ``flags``, ``groups``, ``groupindex``).  It is not a :class:`re.Pattern` instance: the
functions of :mod:`re` (``re.sub(PATTERN, ...)``) refuse it, and a match's ``re`` is the compiled pattern,
not the stand-in (``match.re is PATTERN`` is false), so a module-level pattern is always used through its
methods.  A pattern that does not compile raises :class:`re.error` at its first use (a test
compiles every one: ``tests/unit/test_regexes.py``).
"""

from __future__ import annotations

import re
from typing import Any, AnyStr

__all__ = ["lazy_pattern"]

#: the attributes of a compiled pattern the stand-in keeps once compiled (the rest are looked up on it)
_KEPT = ("match", "search", "fullmatch", "sub", "subn", "split", "findall", "finditer", "flags", "groups",
         "groupindex", "scanner")


class LazyPattern:
    """A :class:`re.Pattern` compiled at its first use (see the module)."""

    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self.pattern = pattern
        self._flags = flags

    def compiled(self) -> re.Pattern[Any]:
        """The compiled pattern (compiled now if it was not; :class:`re.error` if it does not compile)."""
        compiled: re.Pattern[Any] = re.compile(self.pattern, self._flags)
        if "match" not in self.__dict__:
            self.__dict__.update({name: getattr(compiled, name) for name in _KEPT})
        return compiled

    def __getattr__(self, name: str) -> Any:  # only for names not set yet: the first use
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"lazy_pattern({self.pattern!r})"


def lazy_pattern(pattern: AnyStr, flags: int | re.RegexFlag = 0) -> re.Pattern[AnyStr]:
    """A pattern compiled when first used, for a module-level constant (see the module)."""
    stand_in: Any = LazyPattern(pattern, int(flags))
    return stand_in  # answers as a re.Pattern[AnyStr]
