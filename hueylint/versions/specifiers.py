"""Version texts and constraints on huey: PEP 503 names, release tuples, PEP 440 / Poetry
specifiers and the newest huey release a set of constraints allows (as pip resolves it)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from hueylint.hueyfacts import HUEY_RELEASES
from hueylint.regexes import lazy_pattern

DIST = "huey"


_NORMALIZE_RE = lazy_pattern(r"[-_.]+")


def normalize_name(name: str) -> str:
    """PEP 503 normalisation: ``Huey`` -> ``huey``, ``Django_Huey`` -> ``django-huey``."""
    return _NORMALIZE_RE.sub("-", name.strip()).lower()


def is_huey(name: Any) -> bool:
    return isinstance(name, str) and normalize_name(name) == DIST


_VERSION_RE = lazy_pattern(r"^\s*[vV]?\s*(?:\d+!)?(\d+(?:\.\d+)*)")


def parse_version(text: Any) -> tuple[int, ...] | None:
    """``3.4`` -> ``(3, 4, 0)``; ``v3.4.1`` -> ``(3, 4, 1)``; ``3.5.4.post1``/``3.5.0rc1`` -> release part.

    Only the numeric release segment is kept (an epoch ``1!`` is dropped) and
    it is padded with zeros to three parts.  Anything else gives ``None``;
    this function never raises.
    """
    if not isinstance(text, str):
        return None
    match = _VERSION_RE.match(text)
    if not match:
        return None
    try:
        parts = [int(p) for p in match.group(1).split(".")]
    except ValueError:  # pragma: no cover - the regex only lets digits through
        return None
    while len(parts) < 3:
        parts.append(0)
    return tuple(parts)


# A clause: optional operator then a version (or ``*``).  Works for PEP 440
# specifier sets (comma separated) and Poetry constraints (comma or space
# separated, ``^``/``~``/bare versions, ``||`` alternatives).
_CLAUSE_RE = lazy_pattern(r"(===|==|!=|~=|<=|>=|<|>|\^|~|=)?\s*([vV]?\d[0-9A-Za-z.*+!_-]*|\*)")


def _release(text: str) -> list[int]:
    match = _VERSION_RE.match(text)
    return [int(p) for p in match.group(1).split(".")] if match else []


def _pep440_clauses(op: str, ver: str, bare_is_exact: bool) -> list[str] | None:
    """One Poetry/PEP 440 clause as PEP 440 clauses (``^2.5`` -> ``>=2.5``, ``<3``); None: unreadable."""
    ver = ver.lstrip("vV")
    if re.search(r"\.[xX]$", ver):
        ver = ver[:-1] + "*"
    parts = _release(ver)
    if not parts:
        return None
    if op == "^":  # Poetry caret: up to the first non-zero part
        first = next((i for i, part in enumerate(parts) if part), len(parts) - 1)
        upper = parts[: first + 1]
        upper[-1] += 1
        return [f">={ver}", "<" + ".".join(map(str, upper))]
    if op == "~":  # Poetry tilde: ~1 -> <2, ~1.2 / ~1.2.3 -> <1.3
        upper = parts[:1] if len(parts) == 1 else parts[:2]
        upper[-1] += 1
        return [f">={ver}", "<" + ".".join(map(str, upper))]
    if op in ("=", "") and (bare_is_exact or "*" in ver):
        return [f"=={ver}"]
    if op == "":
        return None
    return [f"{op}{ver}"]


def analyse(spec: str, bare_is_exact: bool) -> tuple[tuple[int, ...] | None, bool, tuple[str, ...] | None]:
    """(version, minimum, allowed) a constraint implies; see :class:`Pin`."""
    alternatives: list[str] = []
    exact_only = True
    for alternative in spec.split("||"):
        hyphen = re.match(r"^\s*(\d\S*)\s+-\s+(\d\S*)\s*$", alternative)
        if hyphen:  # Poetry hyphen range "2.5 - 3.0": both ends inclusive
            alternative = f">={hyphen.group(1)},<={hyphen.group(2)}"
        clauses: list[str] = []
        alternative = alternative.split("#", 1)[0]  # pip: `huey==2.5.0#x` (no space) still names 2.5.0
        if re.sub(r"[\s,*]", "", _CLAUSE_RE.sub("", alternative)) or re.search(r"[${}%@]", alternative):
            return None, False, None  # `==${HUEY_VERSION}`, a template, `===abc`: not a constraint to read
        for op, ver in _CLAUSE_RE.findall(alternative):
            if ver == "*":
                continue
            converted = _pep440_clauses(op or "", ver, bare_is_exact)
            if converted is None:
                return None, False, None
            clauses += converted
        exact_only = exact_only and len(clauses) == 1 and clauses[0].startswith(("==", "===")) and "*" not in clauses[0]
        alternatives.append(",".join(clauses))
    allowed = tuple(alternatives)
    version = newest_allowed([allowed])
    return version, not exact_only, allowed


def _spec_sets(allowed: tuple[str, ...]) -> list[Any]:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    sets = []
    for text in allowed:
        try:
            sets.append(SpecifierSet(text))
        except InvalidSpecifier:
            continue
    return sets


@functools.cache
def _releases() -> tuple[tuple[tuple[int, ...], Any], ...]:
    """:data:`HUEY_RELEASES` as (release tuple, ``packaging`` Version) pairs, parsed once per process (a run
    asks :func:`newest_allowed` once per pin: 86 times on a tree of 65 services)."""
    from packaging.version import Version

    found: dict[tuple[int, ...], Any] = {}
    for text in HUEY_RELEASES:
        parsed = parse_version(text)
        if parsed is not None and parsed not in found:
            found[parsed] = Version(".".join(map(str, parsed)))
    return tuple(found.items())


def newest_allowed(constraints: Iterable[tuple[str, ...]]) -> tuple[int, ...] | None:
    """The newest huey that every constraint allows, as pip resolves it.

    Each constraint is a tuple of PEP 440 specifier sets, alternatives (a Poetry ``||``): a version
    satisfies it when one of them contains it.  Candidates are :data:`HUEY_RELEASES` plus any
    version a constraint pins exactly (a release newer than this list).  When none satisfies (a
    ``>=4`` beyond this list, conflicting pins) the highest version a constraint names is returned;
    None when no constraint names one.
    """
    from packaging.version import InvalidVersion, Version

    parsed_sets = [_spec_sets(allowed) for allowed in constraints]
    named: list[str] = []
    for sets in parsed_sets:
        for spec_set in sets:
            named += [spec.version.replace(".*", "") for spec in spec_set]
    candidates = dict(_releases())
    for text in named:
        parsed = parse_version(text)
        if parsed is None or parsed in candidates:
            continue
        try:
            candidates[parsed] = Version(".".join(map(str, parsed)))
        except InvalidVersion:
            continue
    for parsed in sorted(candidates, reverse=True):
        version = candidates[parsed]
        if all(not sets or any(spec_set.contains(version, prereleases=True) for spec_set in sets)
               for sets in parsed_sets):
            return parsed
    mentioned = [v for v in (parse_version(text) for text in named) if v is not None]
    return max(mentioned) if mentioned else None
