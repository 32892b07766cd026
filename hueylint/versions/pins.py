"""A :class:`Pin` (one requirement on the ``huey`` distribution) and PEP 508 requirement strings
read into pins."""

from __future__ import annotations

import re

from hueylint.locations import Loc
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.versions.specifiers import DIST, analyse


@dataclass(frozen=True, slots=True)
class Pin:
    """One requirement on the ``huey`` distribution.

    ``spec`` is the raw version constraint as written (``==3.3.0``,
    ``>=2.5,<3``, ``^2.5``; ``""`` when unconstrained); ``version`` the
    version it implies and ``allowed`` its PEP 440 form (see the module
    docstring), ``minimum`` True when the version is the newest release a
    range allows rather than a pin; ``locked`` True for a lock file's resolved
    version.  ``loc`` spans the requirement (for a lock file, its ``version``
    line).  ``marker`` is the environment marker text (``python_version <
    "3.8"``; Poetry ``python``/``markers`` keys), ``extras`` the extras.
    """

    spec: str
    version: tuple[int, ...] | None
    loc: Loc
    locked: bool = False
    minimum: bool = False
    name: str = DIST
    marker: str = ""
    extras: tuple[str, ...] = ()
    allowed: tuple[str, ...] | None = ("",)

    @property
    def exact(self) -> bool:
        return self.version is not None and not self.minimum


_REQ_RE = lazy_pattern(
    r"^\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*"
    r"(?:\[(?P<extras>[^\]]*)\])?\s*(?P<rest>.*)$",
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Req:
    """A PEP 508 string split (not validated): ``url`` True for ``name @ url``."""

    name: str
    extras: tuple[str, ...]
    spec: str
    marker: str
    url: bool
    end: int  # offset just after the specifier (before the marker), in the input


def parse_requirement(text: str) -> Req | None:
    """Split a PEP 508 string into name, extras, specifier and marker (no validation)."""
    match = _REQ_RE.match(text)
    if not match:
        return None
    rest = match.group("rest")
    rest_start = match.start("rest")
    extras = tuple(e.strip() for e in (match.group("extras") or "").split(",") if e.strip())
    if rest.startswith("@"):
        return Req(match.group("name"), extras, "", "", True, len(text.rstrip()))
    # ``name`` alone must be followed by a specifier, a marker or nothing;
    # ``./path`` or ``pkg.whl`` style inputs do not match that shape.
    if rest and rest[0] not in "<>=!~;(^":
        return None
    spec_part, _, marker = rest.partition(";")
    spec = spec_part.strip()
    if spec.startswith("(") and spec.endswith(")"):
        spec = spec[1:-1].strip()
    end = rest_start + len(spec_part.rstrip()) if spec_part.strip() else match.end("name")
    if match.group("extras") is not None and not spec_part.strip():
        end = match.end("extras") + 1
    return Req(match.group("name"), extras, spec, marker.strip(), False, end)


def pin_from_req(req: Req, loc: Loc, *, bare_is_exact: bool = False, marker: str = "") -> Pin:
    """The :class:`Pin` a parsed requirement gives at ``loc`` (``marker`` when the string has none)."""
    version, minimum, allowed = analyse(req.spec, bare_is_exact)
    return Pin(
        spec=req.spec,
        version=version,
        loc=loc,
        minimum=minimum,
        allowed=allowed,
        name=req.name,
        marker=req.marker or marker,
        extras=req.extras,
    )
