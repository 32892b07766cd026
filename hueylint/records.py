"""``dataclass`` for hueylint's records: the standard library's, with ``frozen=True`` checked by mypy, not at run time.

A frozen record (a :class:`~hueylint.locations.Loc`, a launch's platform facts, an app's module facts) must
never be changed once built: mypy, which CI runs on every module, refuses any assignment to one, as it does
for ``dataclasses.dataclass(frozen=True)``, because to mypy this is that decorator.  At run time
``frozen=True`` becomes ``unsafe_hash=True``: the same ``__init__``, ``__eq__``, ``__repr__`` and field-based
``__hash__``, without the ``__setattr__``/``__delattr__`` guards.  Python 3.11 compiles every method it
generates for a dataclass on its own, and the guards made a frozen class cost twice a plain one (0.86 ms
against 0.40 ms for six fields on the 2-core VM); without them a cold run on tubesync, which defines 85
such classes, takes 0.91 times the wall time (8 alternating pairs, whole process).

Shapes: ``@dataclass``, ``@dataclass(frozen=True, slots=True)`` and every other option of
:func:`dataclasses.dataclass`, passed on unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["dataclass"]

if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    import dataclasses

    def dataclass(cls=None, /, **options):
        """:func:`dataclasses.dataclass` with ``frozen=True`` read as ``unsafe_hash=True`` (see the module)."""
        if options.pop("frozen", False):
            options["unsafe_hash"] = True
        return dataclasses.dataclass(**options) if cls is None else dataclasses.dataclass(cls, **options)
