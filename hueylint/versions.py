"""The huey version a project pins, read statically from its dependency files.

Several rules depend on the installed huey (option spellings, ``-t``/``-g``
only from 3.4, ...).  This module finds every place that names the ``huey``
distribution and says which version it implies:

* requirement files (``requirements*.txt``, ``requirements/*.txt``, ``*.in``
  under a requirements folder, ``requirements*.in``, ``constraints*.txt``),
  with pip's line continuations, comments, options, hashes, markers, extras;
  ``-r``/``-c`` includes are returned by :func:`includes` for the caller to
  follow (this module never opens files itself);
* ``pyproject.toml``: PEP 621 ``dependencies``/``optional-dependencies``,
  PEP 735 ``dependency-groups``, Poetry ``[tool.poetry.dependencies]`` (and
  groups / ``dev-dependencies``), ``tool.uv`` dev/constraint/override lists,
  ``tool.pdm.dev-dependencies``;
* ``setup.cfg`` (``install_requires``, ``extras_require``), ``Pipfile``;
* lock files: ``poetry.lock``, ``uv.lock``, ``Pipfile.lock``;
* Dockerfiles: the requirement words of ``RUN pip install ...`` (an image's own install).

Only the ``huey`` distribution counts (PEP 503 normalised: ``Huey``,
``huey[redis]`` do; ``django-huey`` does not).  VCS, URL, path and editable
requirements are skipped: their version cannot be known statically.

What a :class:`Pin` says about the version:

* ``allowed``: the constraint as PEP 440 specifier sets (``packaging.specifiers``), Poetry's ``^``, ``~``,
  bare versions, hyphen ranges and ``||`` alternatives translated as Poetry defines them;
* ``version``: what pip would install for this requirement alone: an exact pin (``==X``, ``===X``,
  Poetry/Pipfile bare ``X`` or ``=X``) or a lock file's resolved version gives ``X``; any other
  constraint (``>=2.0``, ``~=2.5``, ``<3``, ``^2.5``, none at all) gives the newest huey release it
  allows (:data:`HUEY_RELEASES`), with ``minimum=True`` (the version is pip's choice, not a pin);
* a constraint that cannot be read (``==${HUEY_VERSION}``) gives ``None`` and ``allowed=None``.

The version a service runs (:func:`folder_versions`) intersects the constraints of one install (a
requirements file and the files it includes, a pyproject), so ``huey>=2.0`` with ``-c constraints.txt``
holding ``huey<3`` gives 2.6.0; a lock file beside them decides.

Versions are tuples padded to at least three parts (``3.4`` -> ``(3, 4, 0)``)
so that ``(3, 4, 0) >= (3, 4, 0)`` holds whichever way the user wrote them.
Nothing here raises on malformed input: a broken TOML/JSON file yields no pins
and :func:`parse_error` describes it for HL001.
"""

from __future__ import annotations

import json
import posixpath
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from hueylint.formats import is_dockerfile, strip_template_suffix
from hueylint.model import ASSUMED_VERSION, HueyVersion, Loc
from hueylint.sources import SourceFile

__all__ = [
    "HUEY_RELEASES",
    "Pin",
    "folder_versions",
    "huey_pins",
    "newest_allowed",
    "owner_folder",
    "includes",
    "is_dependency_file",
    "normalize_name",
    "parse_error",
    "parse_version",
    "project_version",
]

DIST = "huey"
CONFIG_ORIGIN = "configuration"


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


# ---------------------------------------------------------------------------
# names and versions
# ---------------------------------------------------------------------------

_NORMALIZE_RE = re.compile(r"[-_.]+")


def normalize_name(name: str) -> str:
    """PEP 503 normalisation: ``Huey`` -> ``huey``, ``Django_Huey`` -> ``django-huey``."""
    return _NORMALIZE_RE.sub("-", name.strip()).lower()


def _is_huey(name: Any) -> bool:
    return isinstance(name, str) and normalize_name(name) == DIST


_VERSION_RE = re.compile(r"^\s*[vV]?\s*(?:\d+!)?(\d+(?:\.\d+)*)")


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


#: Every huey release on PyPI, oldest first (``pip index versions huey``, November 2026; newest 3.5.4,
#: see huey-facts §10).  The one list hueylint knows: a constraint's version is the newest of these
#: it allows, as pip would install.
HUEY_RELEASES: tuple[str, ...] = (
    "0.1.0", "0.1.1", "0.2.0", "0.2.1", "0.2.2", "0.3.0", "0.3.1", "0.3.2", "0.4.0", "0.4.1", "0.4.2",
    "0.4.3", "0.4.5", "0.4.6", "0.4.7", "0.4.8", "0.4.9", "1.0.0", "1.1.0", "1.1.1", "1.1.2", "1.2.0",
    "1.2.1", "1.2.2", "1.2.3", "1.3.0", "1.3.1", "1.4.0", "1.4.1", "1.5.0", "1.5.1", "1.5.2", "1.5.3",
    "1.5.4", "1.5.5", "1.5.6", "1.6.0", "1.6.1", "1.7.0", "1.8.0", "1.9.0", "1.9.1", "1.10.0", "1.10.1",
    "1.10.2", "1.10.3", "1.10.4", "1.10.5", "1.11.0", "2.0.0", "2.0.1", "2.1.0", "2.1.1", "2.1.2",
    "2.1.3", "2.2.0", "2.3.0", "2.3.1", "2.3.2", "2.4.0", "2.4.1", "2.4.2", "2.4.3", "2.4.4", "2.4.5",
    "2.5.0", "2.5.1", "2.5.2", "2.5.3", "2.5.4", "2.5.5", "2.6.0", "3.0.0", "3.0.1", "3.0.2", "3.0.3",
    "3.1.0", "3.1.1", "3.2.0", "3.2.1", "3.3.0", "3.3.1", "3.3.2", "3.3.3", "3.3.4", "3.4.0", "3.5.0",
    "3.5.1", "3.5.2", "3.5.3", "3.5.4",
)

# A clause: optional operator then a version (or ``*``).  Works for PEP 440
# specifier sets (comma separated) and Poetry constraints (comma or space
# separated, ``^``/``~``/bare versions, ``||`` alternatives).
_CLAUSE_RE = re.compile(r"(===|==|!=|~=|<=|>=|<|>|\^|~|=)?\s*([vV]?\d[0-9A-Za-z.*+!_-]*|\*)")


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


def _analyse(spec: str, bare_is_exact: bool) -> tuple[tuple[int, ...] | None, bool, tuple[str, ...] | None]:
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
    candidates: dict[tuple[int, ...], Any] = {}
    for text in (*HUEY_RELEASES, *named):
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


# ---------------------------------------------------------------------------
# file kinds
# ---------------------------------------------------------------------------

_SKIP_DIRS = frozenset(
    {".git", ".venv", "venv", "site-packages", "node_modules", ".tox", ".nox", "__pypackages__"}
)


def _kind(rel: str) -> str:
    """``requirements``, ``pyproject``, ``setup.cfg``, ``pipfile``, ``pipfile.lock``, ``toml-lock``,
    ``dockerfile`` or ``""``."""
    rel = rel.replace("\\", "/")
    parts = [p for p in rel.split("/") if p and p != "."]
    if not parts or any(p in _SKIP_DIRS for p in parts[:-1]):
        return ""
    base = parts[-1]
    if base == "pyproject.toml":
        return "pyproject"
    if base == "setup.cfg":
        return "setup.cfg"
    if base == "Pipfile":
        return "pipfile"
    if base == "Pipfile.lock":
        return "pipfile.lock"
    if base in ("poetry.lock", "uv.lock"):
        return "toml-lock"
    if is_dockerfile(strip_template_suffix(base)):
        return "dockerfile"
    lower = base.lower()
    if lower.startswith("requirements") and lower.endswith((".txt", ".in")):
        return "requirements"
    if lower.startswith("constraints") and lower.endswith(".txt"):
        return "requirements"
    in_req_folder = any(p.lower().startswith("requirements") for p in parts[:-1])
    if in_req_folder and lower.endswith((".txt", ".in")):
        return "requirements"
    return ""


def is_dependency_file(rel: str) -> bool:
    """True for the files :func:`huey_pins` understands (by repo-relative path).

    Paths inside virtualenvs, ``site-packages``, ``node_modules``, ``.tox``
    and ``.git`` are refused: they describe someone else's dependencies.
    """
    return bool(_kind(rel))


# ---------------------------------------------------------------------------
# text positions
# ---------------------------------------------------------------------------


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer(r"\r\n|\r|\n", text):
        starts.append(match.end())
    return starts


def _offset_loc(src: SourceFile, starts: list[int], start: int, end: int) -> Loc:
    def pos(offset: int) -> tuple[int, int]:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - starts[lo] + 1

    line, col = pos(start)
    end_line, end_col = pos(max(end, start))
    return Loc(src.rel, line, col, end_line, end_col)


def _file_loc(src: SourceFile) -> Loc:
    """Fallback: the first line mentioning huey, else the whole file."""
    for number, text in enumerate(src.lines, 1):
        match = re.search(r"(?<![\w-])huey(?![\w-])", text, re.IGNORECASE)
        if match:
            return Loc(src.rel, number, match.start() + 1, number, match.end() + 1)
    return Loc(src.rel)


# ---------------------------------------------------------------------------
# PEP 508 requirement strings
# ---------------------------------------------------------------------------

_REQ_RE = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*"
    r"(?:\[(?P<extras>[^\]]*)\])?\s*(?P<rest>.*)$",
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class _Req:
    name: str
    extras: tuple[str, ...]
    spec: str
    marker: str
    url: bool
    end: int  # offset just after the specifier (before the marker), in the input


def _parse_requirement(text: str) -> _Req | None:
    """Split a PEP 508 string into name, extras, specifier and marker (no validation)."""
    match = _REQ_RE.match(text)
    if not match:
        return None
    rest = match.group("rest")
    rest_start = match.start("rest")
    extras = tuple(e.strip() for e in (match.group("extras") or "").split(",") if e.strip())
    if rest.startswith("@"):
        return _Req(match.group("name"), extras, "", "", True, len(text.rstrip()))
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
    return _Req(match.group("name"), extras, spec, marker.strip(), False, end)


def _pin_from_req(req: _Req, loc: Loc, *, bare_is_exact: bool = False, marker: str = "") -> Pin:
    version, minimum, allowed = _analyse(req.spec, bare_is_exact)
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


# ---------------------------------------------------------------------------
# requirements files
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Logical:
    text: str
    offsets: tuple[int, ...]  # absolute file offset of each character of text


def _logical_lines(src: SourceFile) -> Iterator[_Logical]:
    """pip's preprocessing: join ``\\`` continuations, then drop comments."""
    text = src.text
    chars: list[str] = []
    offsets: list[int] = []
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        if match.start() == len(text) and not match.group():
            break
        raw = match.group().rstrip("\r\n")
        start = match.start()
        comment = re.match(r"^\s*#", raw) is not None
        if raw.endswith("\\") and not comment:
            chars.extend(raw[:-1])
            offsets.extend(range(start, start + len(raw) - 1))
            continue
        chars.extend(raw)
        offsets.extend(range(start, start + len(raw)))
        joined = "".join(chars)
        yield _Logical(_strip_comment(joined), tuple(offsets))
        chars, offsets = [], []
    if chars:
        yield _Logical(_strip_comment("".join(chars)), tuple(offsets))


def _strip_comment(line: str) -> str:
    match = re.search(r"(^|\s)#", line)
    return line[: match.start()] if match else line


_OPTION_SPLIT_RE = re.compile(r"\s+--?[A-Za-z]")
_INCLUDE_RE = re.compile(
    r"^\s*(?:-(?P<short>[rc])\s*=?\s*|--(?P<long>requirement|constraint)(?:\s*=\s*|\s+))(?P<path>\S+)"
)


def _requirements_pins(src: SourceFile) -> list[Pin]:
    pins: list[Pin] = []
    starts = _line_starts(src.text)
    for logical in _logical_lines(src):
        line = logical.text
        stripped = line.strip()
        if not stripped or stripped.startswith("-"):
            continue  # options, includes, -e/--editable, --hash on its own line
        cut = _OPTION_SPLIT_RE.search(line)
        requirement = line[: cut.start()] if cut else line
        if re.match(r"^\s*[A-Za-z][A-Za-z0-9+.-]*://", requirement) or re.match(
            r"^\s*(?:git|hg|svn|bzr)\+", requirement
        ):
            continue  # a bare URL/VCS line
        req = _parse_requirement(requirement)
        if req is None or req.url or not _is_huey(req.name):
            continue
        lead = len(requirement) - len(requirement.lstrip())
        first = logical.offsets[lead]
        last = logical.offsets[max(req.end - 1, lead)] + 1
        pins.append(_pin_from_req(req, _offset_loc(src, starts, first, last)))
    return pins


def _resolve(src: SourceFile, target: str) -> str | None:
    target = target.strip().strip("'\"")
    if not target or "://" in target or "$" in target or target.startswith(("/", "~")):
        return None
    if re.match(r"^[A-Za-z]:[\\/]", target):
        return None
    folder = posixpath.dirname(src.rel.replace("\\", "/"))
    resolved = posixpath.normpath(posixpath.join(folder, target.replace("\\", "/")))
    if resolved == ".." or resolved.startswith("../"):
        return None
    return resolved


def includes(src: SourceFile) -> list[str]:
    """Repo-relative paths this file pulls in, resolved against its folder.

    Requirement files: ``-r``/``--requirement``/``-c``/``--constraint``.
    ``setup.cfg``: ``install_requires = file: requirements.txt``.
    ``pyproject.toml``: ``[tool.setuptools.dynamic] dependencies = {file = [...]}``.
    URLs, absolute paths, paths with environment variables and paths leaving
    the repository are left out.  The caller checks existence and cycles.
    """
    kind = _kind(src.rel)
    found: list[str] = []
    if kind == "requirements":
        for logical in _logical_lines(src):
            match = _INCLUDE_RE.match(logical.text)
            if match:
                found.append(match.group("path"))
    elif kind == "setup.cfg":
        for _section, key, value in _setup_cfg_entries(src):
            if key == "install_requires" and value and value[0].strip().startswith("file:"):
                text = " ".join(v.strip() for v in value).strip()[len("file:"):]
                found.extend(t for t in re.split(r"[,\s]+", text) if t)
    elif kind == "pyproject":
        data = _load_toml(src)
        dynamic = _get(data, "tool", "setuptools", "dynamic")
        if isinstance(dynamic, dict):
            for key in ("dependencies", "optional-dependencies"):
                entry = dynamic.get(key)
                entries = entry.values() if key == "optional-dependencies" and isinstance(entry, dict) else [entry]
                for item in entries:
                    files = item.get("file") if isinstance(item, dict) else None
                    if isinstance(files, str):
                        files = [files]
                    if isinstance(files, list):
                        found.extend(f for f in files if isinstance(f, str))
    result: list[str] = []
    for target in found:
        resolved = _resolve(src, target)
        if resolved and resolved not in result:
            result.append(resolved)
    return result


# ---------------------------------------------------------------------------
# TOML helpers
# ---------------------------------------------------------------------------


def _load_toml(src: SourceFile) -> dict[str, Any]:
    try:
        return tomllib.loads(src.text)
    except (tomllib.TOMLDecodeError, ValueError, TypeError, RecursionError):
        return {}


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


class _StringFinder:
    """Locate the n-th occurrence of a quoted TOML string value in the text."""

    def __init__(self, src: SourceFile) -> None:
        self.src = src
        self.starts = _line_starts(src.text)
        self.seen: dict[str, int] = {}

    def find(self, value: str) -> Loc:
        text = self.src.text
        hits: list[int] = []
        for quote in ('"', "'"):
            needle = f"{quote}{value}{quote}"
            index = text.find(needle)
            while index >= 0:
                hits.append(index + 1)
                index = text.find(needle, index + 1)
        hits.sort()
        count = self.seen.get(value, 0)
        self.seen[value] = count + 1
        if not hits:
            return _file_loc(self.src)
        start = hits[min(count, len(hits) - 1)]
        return _offset_loc(self.src, self.starts, start, start + len(value))


_HEADER_RE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY_RE = re.compile(r"""^(\s*)(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_.-]+))\s*=""")


def _split_header(header: str) -> tuple[str, ...]:
    parts = re.findall(r""""([^"]*)"|'([^']*)'|([^.\s]+)""", header)
    return tuple(a or b or c for a, b, c in parts)


def _key_locs(src: SourceFile, tables: Any) -> list[tuple[tuple[str, ...], Loc]]:
    """``(table path, loc)`` of each line declaring the huey key in a table accepted by ``tables(path)``.

    Also matches a ``[<table>.huey]`` sub-table header.
    """
    locs: list[tuple[tuple[str, ...], Loc]] = []
    table: tuple[str, ...] = ()
    for number, line in enumerate(src.lines, 1):
        header = _HEADER_RE.match(line)
        if header and not line.lstrip().startswith("[["):
            table = _split_header(header.group(1))
            if table and _is_huey(table[-1]) and tables(table[:-1]):
                loc = src.loc(number, len(line) - len(line.lstrip()) + 1, number, len(line.rstrip()) + 1)
                locs.append((table[:-1], loc))
            continue
        key = _KEY_RE.match(line)
        if key and tables(table):
            name = key.group(2) or key.group(3) or key.group(4)
            if _is_huey(name):
                col = len(key.group(1)) + 1
                end = len(_strip_comment(line).rstrip()) + 1
                locs.append((table, src.loc(number, col, number, end)))
    return locs


def _toml_pins_from_list(items: Any, finder: _StringFinder) -> list[Pin]:
    pins: list[Pin] = []
    if not isinstance(items, list):
        return pins
    for item in items:
        if not isinstance(item, str):
            continue
        req = _parse_requirement(item)
        if req is None or req.url or not _is_huey(req.name):
            continue
        pins.append(_pin_from_req(req, finder.find(item)))
    return pins


def _table_pins(
    entries: list[tuple[tuple[str, ...], str, Any]],
    locs: list[tuple[tuple[str, ...], Loc]],
    src: SourceFile,
) -> list[Pin]:
    """Poetry/Pipfile style ``huey = "spec"`` or ``huey = {version = ...}`` entries.

    ``entries`` are ``(table path, key, value)``; each is located on the line
    declaring that key in that table (fallback: first line naming huey).
    """
    pins: list[Pin] = []
    for table, name, value in entries:
        loc = next((where for path, where in locs if path == table), None) or _file_loc(src)
        values = value if isinstance(value, list) else [value]
        for one in values:
            marker = ""
            extras: tuple[str, ...] = ()
            if isinstance(one, str):
                spec = one.strip()
            elif isinstance(one, dict):
                if any(k in one for k in ("git", "path", "url", "file", "hg", "svn", "bzr")):
                    continue  # VCS / path / URL: version unknowable
                raw_spec = one.get("version", "")
                spec = raw_spec.strip() if isinstance(raw_spec, str) else ""
                markers = [f"python {one['python']}" if isinstance(one.get("python"), str) else ""]
                markers.append(one["markers"] if isinstance(one.get("markers"), str) else "")
                marker = "; ".join(m for m in markers if m)
                raw_extras = one.get("extras")
                if isinstance(raw_extras, list):
                    extras = tuple(e for e in raw_extras if isinstance(e, str))
            else:
                continue
            version, minimum, allowed = _analyse(spec, bare_is_exact=True)
            pins.append(Pin(spec=spec, version=version, loc=loc, minimum=minimum, name=name, marker=marker,
                            extras=extras, allowed=allowed))
    return pins


# ---------------------------------------------------------------------------
# pyproject.toml
# ---------------------------------------------------------------------------


def _is_poetry_table(path: tuple[str, ...]) -> bool:
    if path in (("tool", "poetry", "dependencies"), ("tool", "poetry", "dev-dependencies")):
        return True
    return len(path) == 5 and path[:3] == ("tool", "poetry", "group") and path[4] == "dependencies"


def _first_line(src: SourceFile, table: tuple[str, ...], locs: list[tuple[tuple[str, ...], Loc]]) -> int:
    return next((loc.line for path, loc in locs if path == table), len(src.lines) + 1)


def _pyproject_pins(src: SourceFile) -> list[Pin]:
    data = _load_toml(src)
    if not data:
        return []
    finder = _StringFinder(src)
    pins: list[Pin] = []
    project = data.get("project")
    if isinstance(project, dict):
        pins += _toml_pins_from_list(project.get("dependencies"), finder)
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for items in optional.values():
                pins += _toml_pins_from_list(items, finder)
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for items in groups.values():
            pins += _toml_pins_from_list(items, finder)
    for keys in (
        ("tool", "uv", "dev-dependencies"),
        ("tool", "uv", "constraint-dependencies"),
        ("tool", "uv", "override-dependencies"),
    ):
        pins += _toml_pins_from_list(_get(data, *keys), finder)
    pdm_dev = _get(data, "tool", "pdm", "dev-dependencies")
    if isinstance(pdm_dev, dict):
        for items in pdm_dev.values():
            pins += _toml_pins_from_list(items, finder)

    # Poetry
    poetry = _get(data, "tool", "poetry")
    if isinstance(poetry, dict):
        base = ("tool", "poetry")
        tables: list[tuple[tuple[str, ...], Any]] = [
            (base + ("dependencies",), poetry.get("dependencies")),
            (base + ("dev-dependencies",), poetry.get("dev-dependencies")),
        ]
        group = poetry.get("group")
        if isinstance(group, dict):
            tables += [(base + ("group", k, "dependencies"), _get(g, "dependencies")) for k, g in group.items()]
        entries = []
        for path, table in tables:
            if isinstance(table, dict):
                entries += [(path, key, value) for key, value in table.items() if _is_huey(key)]
        if entries:
            locs = _key_locs(src, _is_poetry_table)
            entries.sort(key=lambda entry: _first_line(src, entry[0], locs))
            pins += _table_pins(entries, locs, src)
    return pins


# ---------------------------------------------------------------------------
# setup.cfg
# ---------------------------------------------------------------------------


def _setup_cfg_entries(src: SourceFile) -> Iterator[tuple[str, str, list[str]]]:
    """(section, key, value texts) for ``install_requires`` and ``extras_require`` entries."""
    for section, key, _key_line, lines in _setup_cfg_raw(src):
        yield section, key, [text for _number, text in lines]


def _setup_cfg_raw(src: SourceFile) -> Iterator[tuple[str, str, int, list[tuple[int, str]]]]:
    """(section, key, key line, [(line, value text)]) with comment lines dropped, as setuptools does."""
    section = ""
    key = ""
    key_line = 0
    values: list[tuple[int, str]] = []

    def wanted() -> bool:
        return (section == "options" and key == "install_requires") or section == "options.extras_require"

    for number, line in enumerate(src.lines, 1):
        if not line.strip() or line.lstrip().startswith(("#", ";")):
            continue  # blank and comment lines, also inside a multi-line value
        header = re.match(r"^\[([^\]]+)\]", line)
        if header:
            if key and wanted():
                yield section, key, key_line, values
            section, key, values = header.group(1).strip().lower(), "", []
            continue
        if line[:1].isspace() and key:
            values.append((number, line))
            continue
        entry = re.match(r"^([^=:]+?)\s*[=:]\s?(.*)$", line)
        if entry:
            if key and wanted():
                yield section, key, key_line, values
            key = entry.group(1).strip().lower().replace("-", "_")
            key_line = number
            values = [(number, entry.group(2))] if entry.group(2).strip() else []
    if key and wanted():
        yield section, key, key_line, values


def _setup_cfg_pins(src: SourceFile) -> list[Pin]:
    pins: list[Pin] = []
    for _section, _key, key_line, lines in _setup_cfg_raw(src):
        if lines and lines[0][1].strip().startswith("file:"):
            continue  # followed via includes()
        items: list[tuple[int, str]] = []
        if len(lines) == 1 and lines[0][0] == key_line and ";" in lines[0][1]:
            # setuptools splits a value written on the key line alone on ';'
            items = [(lines[0][0], part) for part in lines[0][1].split(";")]
        else:
            items = lines
        for number, text in items:
            body = _strip_comment(text)
            if not body.strip() or body.strip().startswith("#"):
                continue
            req = _parse_requirement(body)
            if req is None or req.url or not _is_huey(req.name):
                continue
            full = src.line(number)
            stripped = body.strip()
            col = full.find(stripped) + 1 if stripped in full else 1
            pins.append(_pin_from_req(req, src.loc(number, col, number, col + len(stripped))))
    return pins


# ---------------------------------------------------------------------------
# Pipfile
# ---------------------------------------------------------------------------

_PIPFILE_NON_PACKAGES = frozenset({"source", "requires", "scripts", "pipenv"})


def _pipfile_pins(src: SourceFile) -> list[Pin]:
    data = _load_toml(src)
    entries: list[tuple[tuple[str, ...], str, Any]] = []
    for section, table in data.items():
        if section in _PIPFILE_NON_PACKAGES or not isinstance(table, dict):
            continue
        entries += [((section,), key, value) for key, value in table.items() if _is_huey(key)]
    if not entries:
        return []

    def is_category(path: tuple[str, ...]) -> bool:
        return len(path) == 1 and path[0] not in _PIPFILE_NON_PACKAGES

    return _table_pins(entries, _key_locs(src, is_category), src)


# ---------------------------------------------------------------------------
# lock files
# ---------------------------------------------------------------------------


def _lock_blocks(src: SourceFile) -> list[Loc]:
    """Location of the ``version`` line of each ``[[package]]`` named huey, in file order."""
    locs: list[Loc] = []
    in_block = False
    name_loc: Loc | None = None
    version_loc: Loc | None = None
    is_huey = False

    def flush() -> None:
        if in_block and is_huey:
            locs.append(version_loc or name_loc or _file_loc(src))

    for number, line in enumerate(src.lines, 1):
        if re.match(r"^\s*\[\[\s*package\s*\]\]", line):
            flush()
            in_block, is_huey, name_loc, version_loc = True, False, None, None
            continue
        if re.match(r"^\s*\[", line):
            if not re.match(r"^\s*\[\[?\s*package\.", line):
                flush()
                in_block, is_huey = False, False
            continue
        if not in_block or line[:1].isspace():
            continue
        match = re.match(r"""^(name|version)\s*=\s*["']([^"']*)["']""", line)
        if not match:
            continue
        loc = src.loc(number, 1, number, len(line.rstrip()) + 1)
        if match.group(1) == "name" and name_loc is None:
            name_loc, is_huey = loc, _is_huey(match.group(2))
        elif match.group(1) == "version" and version_loc is None:
            version_loc = loc
    flush()
    return locs


def _toml_lock_pins(src: SourceFile) -> list[Pin]:
    data = _load_toml(src)
    packages = data.get("package")
    if not isinstance(packages, list):
        return []
    locs = _lock_blocks(src)
    pins: list[Pin] = []
    seen = 0
    for package in packages:
        if not isinstance(package, dict) or not _is_huey(package.get("name")):
            continue
        index, seen = seen, seen + 1
        version_text = package.get("version")
        if not isinstance(version_text, str):
            continue
        loc = locs[index] if index < len(locs) else _file_loc(src)
        marker = package.get("resolution-markers") or package.get("markers") or ""
        if isinstance(marker, list):
            marker = " or ".join(m for m in marker if isinstance(m, str))
        pins.append(
            Pin(
                spec=f"=={version_text}",
                version=parse_version(version_text),
                allowed=(f"=={version_text}",),
                loc=loc,
                locked=True,
                name=package["name"],
                marker=marker if isinstance(marker, str) else "",
            )
        )
    return pins


def _load_json(src: SourceFile) -> Any:
    try:
        return json.loads(src.text)
    except (ValueError, TypeError, RecursionError):
        return None


def _pipfile_lock_pins(src: SourceFile) -> list[Pin]:
    data = _load_json(src)
    if not isinstance(data, dict):
        return []
    starts = _line_starts(src.text)
    key_hits = [
        m
        for m in re.finditer(r'"([A-Za-z0-9._-]+)"\s*:\s*\{', src.text)
        if _is_huey(m.group(1))
    ]
    pins: list[Pin] = []
    seen = 0
    for section, table in data.items():
        if section == "_meta" or not isinstance(table, dict):
            continue
        for name, entry in table.items():
            if not _is_huey(name) or not isinstance(entry, dict):
                continue
            index, seen = seen, seen + 1
            version_text = entry.get("version")
            if not isinstance(version_text, str):
                continue  # VCS / editable entry
            loc = _file_loc(src)
            if index < len(key_hits):
                hit = key_hits[index]
                close = src.text.find("}", hit.end())
                version_match = re.compile(r'"version"\s*:\s*"[^"]*"').search(
                    src.text, hit.end(), close if close >= 0 else len(src.text)
                )
                span = version_match.span() if version_match else hit.span(1)
                loc = _offset_loc(src, starts, span[0], span[1])
            version, minimum, allowed = _analyse(version_text.strip(), bare_is_exact=True)
            marker = entry.get("markers")
            extras = entry.get("extras")
            pins.append(
                Pin(
                    spec=version_text.strip(),
                    version=version,
                    loc=loc,
                    locked=True,
                    minimum=minimum,
                    allowed=allowed,
                    name=name,
                    marker=marker if isinstance(marker, str) else "",
                    extras=tuple(e for e in extras if isinstance(e, str)) if isinstance(extras, list) else (),
                )
            )
    return pins


# ---------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------

_PIP_INSTALL = re.compile(r"\b(?:pip[0-9.]*|python[0-9.]*\s+-m\s+pip|uv\s+pip)\s+install\b")


def _dockerfile_pins(src: SourceFile) -> list[Pin]:
    """``RUN pip install huey==2.5.0 redis`` (also ``pip3``, ``python -m pip``, ``uv pip``): the requirement
    words naming huey, as the image installs them (``-r file`` lines are the requirement files' own)."""
    pins: list[Pin] = []
    starts = _line_starts(src.text)
    for logical in _logical_lines(src):
        line = logical.text
        for call in _PIP_INSTALL.finditer(line):
            rest = line[call.end():]
            stop = re.search(r"&&|\|\||;|\||\bpip[0-9.]*\s+install\b", rest)
            segment = rest[: stop.start()] if stop else rest
            for word in re.finditer(r"""(["']?)([^\s"']+)\1""", segment):
                text = word.group(2)
                if text.startswith("-"):
                    continue
                if not word.group(1):  # the shell reads an unquoted `huey>=2.5` as `huey` redirected to `=2.5`
                    text = re.split(r"[<>]", text, maxsplit=1)[0]
                req = _parse_requirement(text)
                if req is None or req.url or not _is_huey(req.name):
                    continue
                first = logical.offsets[call.end() + word.start(2)]
                last = logical.offsets[call.end() + word.end(2) - 1] + 1
                pins.append(_pin_from_req(req, _offset_loc(src, starts, first, last)))
    return pins


_PARSERS = {
    "requirements": _requirements_pins,
    "dockerfile": _dockerfile_pins,
    "pyproject": _pyproject_pins,
    "setup.cfg": _setup_cfg_pins,
    "pipfile": _pipfile_pins,
    "pipfile.lock": _pipfile_lock_pins,
    "toml-lock": _toml_lock_pins,
}


def huey_pins(src: SourceFile) -> list[Pin]:
    """Every requirement on huey in ``src`` (empty for other or broken files). Never raises."""
    parser = _PARSERS.get(_kind(src.rel))
    if parser is None:
        return []
    try:
        return parser(src)
    except Exception:  # noqa: BLE001 - a linter must survive any input
        return []


_TOML_POS_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END_RE = re.compile(r"\s*\(at end of document\)\s*$")


def parse_error(src: SourceFile) -> tuple[int, int, str] | None:
    """``(line, column, message)`` when a TOML/JSON dependency file does not parse, else None.

    Covers ``pyproject.toml``, ``Pipfile``, ``poetry.lock``, ``uv.lock`` and
    ``Pipfile.lock``.  Positions are 1-based; an error "at end of document"
    points just past the last character.
    """
    kind = _kind(src.rel)
    if kind in ("pyproject", "pipfile", "toml-lock"):
        try:
            tomllib.loads(src.text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            line = getattr(exc, "lineno", None)
            col = getattr(exc, "colno", None)
            match = _TOML_POS_RE.search(message)
            if match:
                message = message[: match.start()]
                line, col = int(match.group(1)), int(match.group(2))
            elif _TOML_END_RE.search(message):
                message = _TOML_END_RE.sub("", message)
                line, col = _end_position(src)
            if not isinstance(line, int) or not isinstance(col, int):
                line, col = _end_position(src)
            msg = getattr(exc, "msg", None)
            if isinstance(msg, str) and msg:
                message = msg
            return line, col, f"invalid TOML: {message}"
        except (ValueError, RecursionError) as exc:
            return 1, 1, f"invalid TOML: {exc}"
        return None
    if kind == "pipfile.lock":
        try:
            json.loads(src.text)
        except json.JSONDecodeError as exc:
            return exc.lineno, exc.colno, f"invalid JSON: {exc.msg}"
        except (ValueError, RecursionError) as exc:
            return 1, 1, f"invalid JSON: {exc}"
        return None
    return None


def _end_position(src: SourceFile) -> tuple[int, int]:
    lines = src.text.split("\n")
    return len(lines), len(lines[-1].rstrip("\r")) + 1


def owner_folder(rel: str) -> str:
    """The folder whose code a dependency file describes: its own, or the parent of a ``requirements/``
    folder (``services/api/requirements/prod.txt`` -> ``services/api``; ``""`` is the root)."""
    parts = rel.replace("\\", "/").split("/")[:-1]
    for index, part in enumerate(parts):
        if part.lower().startswith("requirements"):
            return "/".join(parts[:index])
    return "/".join(parts)


def _written(pin: Pin) -> str:
    """The requirement as a user reads it: ``huey[redis]>=2.0.0``, ``huey ^2.5``, ``huey``."""
    name = pin.name + (f"[{','.join(pin.extras)}]" if pin.extras else "")
    if not pin.spec:
        return name
    pep440 = pin.spec[0] in "<>=!" or pin.spec.startswith("~=")
    return f"{name}{pin.spec}" if pep440 else f"{name} {pin.spec}"


def _lowest(versions: list[HueyVersion]) -> HueyVersion | None:
    known = [v for v in versions if v.value is not None]
    if not known:
        return versions[0] if versions else None
    return min(known, key=lambda v: (v.value, v.loc.path or "", v.loc.line))


def _install_version(pins: list[Pin]) -> list[HueyVersion]:
    """The huey one install gives (every pin of one requirements file and its includes, say): the newest
    release all its unconditional pins allow; pins under environment markers are alternatives."""
    readable = [p for p in pins if p.allowed is not None]
    if not readable:
        return [HueyVersion(None, pins[0].loc, "assumed", _written(pins[0]))] if pins else []
    plain = [p for p in readable if not p.marker]
    groups = [plain] if plain else [[p] for p in readable]
    results = []
    for group in groups:
        version = newest_allowed(p.allowed for p in group if p.allowed is not None)
        exact = [p for p in group if p.exact and p.version == version]
        if exact:
            results.append(HueyVersion(version, exact[0].loc, "lock" if exact[0].locked else "pin"))
            continue
        binding = min(group, key=lambda p: (p.version or (99,), p.loc.line))  # the narrowest alone
        results.append(HueyVersion(version, binding.loc, "range", _written(binding)))
    return results


def folder_versions(files: Iterable[SourceFile], configured: str | None) -> tuple[dict[str, HueyVersion], HueyVersion]:
    """(folder -> the huey its dependency files give, the repository-wide version).

    Files are grouped by :func:`owner_folder`.  In a folder, a lock file's resolved version decides
    (the lowest when several); otherwise each install (a file not included by another one of the
    folder, with the files it includes through ``-r``/``-c``/``file:``) gives the newest release all
    its constraints allow, and the folder takes the **lowest** of its installs (a rule that fires on an
    old huey must not be silenced by a newer file beside it).  The repository-wide version, used where
    no folder on a launch's path has dependency files, is ``configured`` (the ``huey-version``
    setting) when it parses, else the lowest of all folders, else "unknown, newest assumed".
    """
    deps = {src.rel: src for src in files if is_dependency_file(src.rel)}
    pins = {rel: huey_pins(src) for rel, src in deps.items()}
    included = {rel: [target for target in includes(src) if target in deps] for rel, src in deps.items()}

    def closure(rel: str) -> list[str]:
        seen: list[str] = []
        todo = [rel]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.append(current)
                todo += included.get(current, [])
        return seen

    grouped: dict[str, list[str]] = {}
    for rel in deps:
        grouped.setdefault(owner_folder(rel), []).append(rel)
    table: dict[str, HueyVersion] = {}
    for folder, rels in grouped.items():
        locked = [p for rel in rels for p in pins[rel] if p.locked and p.version is not None]
        if locked:
            plain = [p for p in locked if not p.marker] or locked
            chosen = min(plain, key=lambda p: (p.version, p.loc.path or "", p.loc.line))
            table[folder] = HueyVersion(chosen.version, chosen.loc, "lock")
            continue
        inner = {target for rel in rels for target in closure(rel) if target != rel}
        installs: list[HueyVersion] = []
        for rel in [rel for rel in sorted(rels) if rel not in inner] or sorted(rels):  # all of a cycle
            installs += _install_version([p for target in closure(rel) for p in pins[target]])
        found = _lowest(installs)
        if found is not None:
            table[folder] = found
    if configured is not None:
        version = parse_version(str(configured))
        if version is not None:
            return table, HueyVersion(version, Loc.platform_default(CONFIG_ORIGIN), "configured", str(configured))
    return table, _lowest(list(table.values())) or ASSUMED_VERSION


def project_version(files: Iterable[SourceFile], configured: str | None) -> HueyVersion:
    """The repository-wide huey version (see :func:`folder_versions`)."""
    return folder_versions(files, configured)[1]
