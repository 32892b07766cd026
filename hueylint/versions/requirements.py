"""pip requirement files (``requirements*.txt``, ``constraints*.txt``, ``*.in``) and the files any
dependency file includes (``-r``/``-c``, ``file:``)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile, position
from hueylint.versions.filekinds import file_kind
from hueylint.versions.manifests import setup_cfg_entries
from hueylint.versions.pins import Pin, parse_requirement, pin_from_req
from hueylint.versions.specifiers import is_huey
from hueylint.versions.text import Logical, line_starts, logical_lines_around, logical_lines_naming, offset_loc
from hueylint.versions.tomltext import load_toml, toml_get

_OPTION_SPLIT_RE = lazy_pattern(r"\s+--?[A-Za-z]")
_INCLUDE_RE = lazy_pattern(
    r"^\s*(?:-(?P<short>[rc])\s*=?\s*|--(?P<long>requirement|constraint)(?:\s*=\s*|\s+))(?P<path>\S+)"
)


def requirements_pins(src: SourceFile) -> list[Pin]:
    """A pip requirements file's huey lines (after pip's continuation joining and comment stripping); options,
    ``-e``, URL and VCS lines are skipped. Each pin spans the name through the specifier."""
    pins: list[Pin] = []
    starts: list[int] = []
    # a requirement on huey writes the name (in any case): only the logical lines naming it are read (a
    # hash-pinned file of thousands of lines is not walked line by line for one huey)
    for logical in logical_lines_naming(src, "huey"):
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
        req = parse_requirement(requirement)
        if req is None or req.url or not is_huey(req.name):
            continue
        lead = len(requirement) - len(requirement.lstrip())
        first = logical.offsets[lead]
        last = logical.offsets[max(req.end - 1, lead)] + 1
        starts = starts or line_starts(src.text)
        pins.append(pin_from_req(req, offset_loc(src, starts, first, last)))
    return pins


#: a physical line that may open an include: the option, or the start of one a continuation splits (``-\``
#: then ``r base.txt``: pip joins them into ``-r base.txt``).  An include's logical line holds one (on its
#: first line, or on the first after blank continued ones); only the logical lines around them are read
#: searched in the text after a newline (a line end leads the pattern: the regex engine skips to line ends, 3x
#: faster than ``^`` under ``re.M`` on a hash-pinned file); group 1 starts the line
_MAY_INCLUDE = lazy_pattern(r"[\n\r]([^\S\r\n]*(?:-[rc]|--requirement|--constraint|-[-a-z]*\\))")


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


def _written_includes(src: SourceFile) -> Iterator[tuple[Logical, re.Match[str]]]:
    """Each ``-r``/``--requirement``/``-c``/``--constraint`` logical line of the requirements file ``src``, with
    its :data:`_INCLUDE_RE` match (a logical line that is an include holds a :data:`_MAY_INCLUDE` match: only the
    lines around those are read)."""
    for logical in logical_lines_around(src, (match.start(1) - 1 for match in _MAY_INCLUDE.finditer("\n" + src.text))):
        match = _INCLUDE_RE.match(logical.text)
        if match:
            yield logical, match


def outside_includes(src: SourceFile) -> list[tuple[int, str]]:
    """(line, the include as its option and path: ``-r ../../common/requirements.txt``, ``-c /opt/base.txt``) of
    each ``-r``/``-c`` include of a requirements file that pip reads outside the repository: :func:`includes`
    leaves them out, and no run reads them (the huey they may pin is unknown)."""
    if file_kind(src.rel) != "requirements":
        return []
    found = []
    for logical, match in _written_includes(src):
        target = match.group("path").strip().strip("'\"")
        if target and "://" not in target and "$" not in target and _resolve(src, target) is None:
            option = f"-{match.group('short')}" if match.group("short") else f"--{match.group('long')}"
            found.append((position(src.text, logical.offsets[0])[0], f"{option} {target}"))
    return found


def includes(src: SourceFile) -> list[str]:
    """Repo-relative paths this file pulls in, resolved against its folder.

    Requirement files: ``-r``/``--requirement``/``-c``/``--constraint``.
    ``setup.cfg``: ``install_requires = file: requirements.txt``.
    ``pyproject.toml``: ``[tool.setuptools.dynamic] dependencies = {file = [...]}``.
    URLs, absolute paths, paths with environment variables and paths leaving
    the repository are left out.  The caller checks existence and cycles.
    """
    kind = file_kind(src.rel)
    found: list[str] = []
    if kind == "requirements":
        found.extend(match.group("path") for _, match in _written_includes(src))
    elif kind == "setup.cfg":
        for _section, key, value in setup_cfg_entries(src):
            if key == "install_requires" and value and value[0].strip().startswith("file:"):
                text = " ".join(v.strip() for v in value).strip()[len("file:"):]
                found.extend(t for t in re.split(r"[,\s]+", text) if t)
    elif kind == "pyproject":
        data = load_toml(src)
        dynamic = toml_get(data, "tool", "setuptools", "dynamic")
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
