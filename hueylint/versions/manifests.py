"""Project manifests: ``pyproject.toml`` (PEP 621, PEP 735, Poetry, uv, PDM), ``setup.cfg``, ``setup.py``
and ``Pipfile``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from hueylint.locations import Loc
from hueylint.sources import SourceFile
from hueylint.versions.pins import Pin, parse_requirement, pin_from_req
from hueylint.versions.specifiers import analyse, is_huey
from hueylint.versions.text import file_loc, strip_comment
from hueylint.versions.tomltext import StringFinder, key_locs, load_toml, toml_get


def toml_pins_from_list(items: Any, finder: StringFinder) -> list[Pin]:
    """The huey pins of a TOML list of PEP 508 strings (PEP 621 ``dependencies``), each located on its string."""
    pins: list[Pin] = []
    if not isinstance(items, list):
        return pins
    for item in items:
        if not isinstance(item, str):
            continue
        req = parse_requirement(item)
        if req is None or req.url or not is_huey(req.name):
            continue
        pins.append(pin_from_req(req, finder.find(item)))
    return pins


def table_pins(
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
        loc = next((where for path, where in locs if path == table), None) or file_loc(src)
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
            version, minimum, allowed = analyse(spec, bare_is_exact=True)
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


def pyproject_pins(src: SourceFile) -> list[Pin]:
    """``pyproject.toml``: PEP 621 (optional) dependencies, PEP 735 groups, ``tool.uv`` and ``tool.pdm`` lists,
    then Poetry tables (in file order); empty for a file that does not parse."""
    data = load_toml(src)
    if not data:
        return []
    finder = StringFinder(src)
    pins: list[Pin] = []
    project = data.get("project")
    if isinstance(project, dict):
        pins += toml_pins_from_list(project.get("dependencies"), finder)
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for items in optional.values():
                pins += toml_pins_from_list(items, finder)
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for items in groups.values():
            pins += toml_pins_from_list(items, finder)
    for keys in (
        ("tool", "uv", "dev-dependencies"),
        ("tool", "uv", "constraint-dependencies"),
        ("tool", "uv", "override-dependencies"),
    ):
        pins += toml_pins_from_list(toml_get(data, *keys), finder)
    pdm_dev = toml_get(data, "tool", "pdm", "dev-dependencies")
    if isinstance(pdm_dev, dict):
        for items in pdm_dev.values():
            pins += toml_pins_from_list(items, finder)

    # Poetry
    poetry = toml_get(data, "tool", "poetry")
    if isinstance(poetry, dict):
        base = ("tool", "poetry")
        tables: list[tuple[tuple[str, ...], Any]] = [
            (base + ("dependencies",), poetry.get("dependencies")),
            (base + ("dev-dependencies",), poetry.get("dev-dependencies")),
        ]
        group = poetry.get("group")
        if isinstance(group, dict):
            tables += [(base + ("group", k, "dependencies"), toml_get(g, "dependencies")) for k, g in group.items()]
        entries = []
        for path, table in tables:
            if isinstance(table, dict):
                entries += [(path, key, value) for key, value in table.items() if is_huey(key)]
        if entries:
            locs = key_locs(src, _is_poetry_table)
            entries.sort(key=lambda entry: _first_line(src, entry[0], locs))
            pins += table_pins(entries, locs, src)
    return pins


# ---------------------------------------------------------------------------
# setup.cfg
# ---------------------------------------------------------------------------


def setup_cfg_entries(src: SourceFile) -> Iterator[tuple[str, str, list[str]]]:
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


def setup_cfg_pins(src: SourceFile) -> list[Pin]:
    """``setup.cfg``: huey in ``[options] install_requires`` and ``[options.extras_require]`` (``file:`` values
    are followed by :func:`hueylint.versions.requirements.includes`)."""
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
            body = strip_comment(text)
            if not body.strip() or body.strip().startswith("#"):
                continue
            req = parse_requirement(body)
            if req is None or req.url or not is_huey(req.name):
                continue
            full = src.line(number)
            stripped = body.strip()
            col = full.find(stripped) + 1 if stripped in full else 1
            pins.append(pin_from_req(req, src.loc(number, col, number, col + len(stripped))))
    return pins


# ---------------------------------------------------------------------------
# setup.py
# ---------------------------------------------------------------------------


def setup_py_pins(src: SourceFile) -> list[Pin]:
    """``setup.py``, read without running it: huey in the ``setup(...)`` call's ``install_requires`` and
    ``extras_require`` (a list of requirement strings, or a module-level name holding one; a dict of such
    lists), each pin located on its string.  Requirements built by code (read from a file, computed) are
    not guessed."""
    import ast

    from hueylint.versions.setuppy import read_setup_py

    if "huey" not in src.text.lower():
        return []
    setup = read_setup_py(src.text)
    pins: list[Pin] = []
    for call in setup.calls:
        found = setup.strings(call.get("install_requires"))
        extras = setup.value(call.get("extras_require"))
        for item in extras.values if isinstance(extras, ast.Dict) else []:
            found += setup.strings(item)
        for item in found:
            req = parse_requirement(str(item.value))
            if req is None or req.url or not is_huey(req.name):
                continue
            pins.append(pin_from_req(req, src.loc(item.lineno, item.col_offset + 1, item.end_lineno or item.lineno,
                                                  (item.end_col_offset or item.col_offset) + 1)))
    return pins


# ---------------------------------------------------------------------------
# Pipfile
# ---------------------------------------------------------------------------

_PIPFILE_NON_PACKAGES = frozenset({"source", "requires", "scripts", "pipenv"})


def pipfile_pins(src: SourceFile) -> list[Pin]:
    """``Pipfile``: huey in any package category (``[packages]``, ``[dev-packages]``, custom ones)."""
    data = load_toml(src)
    entries: list[tuple[tuple[str, ...], str, Any]] = []
    for section, table in data.items():
        if section in _PIPFILE_NON_PACKAGES or not isinstance(table, dict):
            continue
        entries += [((section,), key, value) for key, value in table.items() if is_huey(key)]
    if not entries:
        return []

    def is_category(path: tuple[str, ...]) -> bool:
        return len(path) == 1 and path[0] not in _PIPFILE_NON_PACKAGES

    return table_pins(entries, key_locs(src, is_category), src)
