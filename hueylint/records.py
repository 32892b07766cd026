"""``dataclass`` for hueylint's records: the standard library's, with ``frozen=True`` checked by mypy, not at run
time, and ``__eq__``, ``__hash__`` and ``__repr__`` that need no code compiled per class.

A frozen record (a :class:`~hueylint.locations.Loc`, a launch's platform facts, an app's module facts) must
never be changed once built: mypy, which CI runs on every module, refuses any assignment to one, as it does
for ``dataclasses.dataclass(frozen=True)``, because to mypy this is that decorator.  At run time
``frozen=True`` becomes ``unsafe_hash=True``: the same ``__init__``, ``__eq__``, ``__repr__`` and field-based
``__hash__``, without the ``__setattr__``/``__delattr__`` guards.

Python 3.11 writes the source of every method it generates for a dataclass and compiles each on its own:
about 0.6 ms a class on the 2-core VM, and a run defines about 120 classes.  The guards made a frozen class
cost twice a plain one (0.86 ms against 0.40 ms for six fields); without them a cold run on tubesync took 0.91
times the wall time.  Here only ``__init__`` is generated: ``__eq__``, ``__hash__`` and ``__repr__`` are one
function each, made for the class from :func:`operator.attrgetter` over its fields (importing every module a
run imports: 140 -> 110 ms), and they answer exactly what the generated ones answer:

* ``__eq__``: ``NotImplemented`` unless ``other`` is of the same class, else the tuples of the fields with
  ``compare=True`` compared;
* ``__hash__``: with ``unsafe_hash=True`` (or ``frozen=True``) the hash of the tuple of the fields whose
  ``hash`` (else ``compare``) is true; else ``None`` (unhashable) with ``eq``, as the standard library's table
  says (an explicit ``__hash__`` kept; with ``unsafe_hash`` it is a :class:`TypeError`);
* ``__repr__``: ``Qualname(name=value!r, ...)`` over the fields with ``repr=True``, ``...`` for a record
  that holds itself;
* a method the class body defines is kept, as the standard library keeps it.

Shapes: ``@dataclass``, ``@dataclass(frozen=True, slots=True)`` and every other option of
:func:`dataclasses.dataclass`, passed on unchanged (``order=True``, ``eq=False`` or ``repr=False``: the
standard library generates every method, as it would).  ``tests/unit/test_records.py`` compares the methods
with the standard library's on every record class of hueylint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["dataclass"]

if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    import dataclasses
    from operator import attrgetter
    from reprlib import recursive_repr

    def dataclass(cls=None, /, **options):
        """:func:`dataclasses.dataclass` with ``frozen=True`` read as ``unsafe_hash=True`` and shared
        comparison, hash and repr methods (see the module)."""
        if options.pop("frozen", False):
            options["unsafe_hash"] = True

        def wrap(cls):
            if options.get("order") or options.get("eq") is False or options.get("repr") is False:
                return dataclasses.dataclass(cls, **options)
            made = dataclasses.dataclass(cls, **{**options, "eq": False, "repr": False, "unsafe_hash": False})
            _add_methods(made, bool(options.get("unsafe_hash")))
            return made

        return wrap if cls is None else wrap(cls)

    def _fields_of(names):
        """The tuple of the named attributes of a record, as a function of the record."""
        if not names:
            return lambda record: ()
        if len(names) == 1:
            one = attrgetter(names[0])
            return lambda record: (one(record),)
        return attrgetter(*names)

    def _add_methods(cls, unsafe_hash):
        fields = dataclasses.fields(cls)
        own = cls.__dict__
        class_hash = own.get("__hash__", dataclasses.MISSING)
        explicit_hash = not (class_hash is dataclasses.MISSING or (class_hash is None and "__eq__" in own))
        methods = {}
        if "__eq__" not in own:
            compared = _fields_of([f.name for f in fields if f.compare])

            def __eq__(self, other):
                if other.__class__ is self.__class__:
                    return compared(self) == compared(other)
                return NotImplemented

            methods["__eq__"] = __eq__
        if unsafe_hash:
            if explicit_hash:
                raise TypeError(f"Cannot overwrite attribute __hash__ in class {cls.__name__}")
            hashed = _fields_of([f.name for f in fields if (f.compare if f.hash is None else f.hash)])

            def __hash__(self):
                return hash(hashed(self))

            methods["__hash__"] = __hash__
        elif not explicit_hash:
            cls.__hash__ = None
        if "__repr__" not in own:
            shown = [f.name for f in fields if f.repr]

            @recursive_repr()
            def __repr__(self):
                return self.__class__.__qualname__ + "(" + ", ".join(
                    f"{name}={getattr(self, name)!r}" for name in shown) + ")"

            methods["__repr__"] = __repr__
        for name, method in methods.items():
            method.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, method)
