"""Lock files: ``poetry.lock`` and ``uv.lock`` (TOML ``[[package]]``), ``Pipfile.lock`` (JSON)."""

from __future__ import annotations

import json
import re
from typing import Any

from hueylint.locations import Loc
from hueylint.sources import SourceFile
from hueylint.versions.pins import Pin
from hueylint.versions.specifiers import analyse, is_huey, parse_version
from hueylint.versions.text import file_loc, line_starts, offset_loc
from hueylint.versions.tomltext import load_toml


def _lock_blocks(src: SourceFile) -> list[Loc]:
    """Location of the ``version`` line of each ``[[package]]`` named huey, in file order."""
    locs: list[Loc] = []
    in_block = False
    name_loc: Loc | None = None
    version_loc: Loc | None = None
    names_huey = False

    def flush() -> None:
        if in_block and names_huey:
            locs.append(version_loc or name_loc or file_loc(src))

    for number, line in enumerate(src.lines, 1):
        if re.match(r"^\s*\[\[\s*package\s*\]\]", line):
            flush()
            in_block, names_huey, name_loc, version_loc = True, False, None, None
            continue
        if re.match(r"^\s*\[", line):
            if not re.match(r"^\s*\[\[?\s*package\.", line):
                flush()
                in_block, names_huey = False, False
            continue
        if not in_block or line[:1].isspace():
            continue
        match = re.match(r"""^(name|version)\s*=\s*["']([^"']*)["']""", line)
        if not match:
            continue
        loc = src.loc(number, 1, number, len(line.rstrip()) + 1)
        if match.group(1) == "name" and name_loc is None:
            name_loc, names_huey = loc, is_huey(match.group(2))
        elif match.group(1) == "version" and version_loc is None:
            version_loc = loc
    flush()
    return locs


def toml_lock_pins(src: SourceFile) -> list[Pin]:
    """``poetry.lock``/``uv.lock``: each ``[[package]]`` named huey as a locked exact pin, located on its
    ``version`` line; ``markers``/``resolution-markers`` become the pin's marker."""
    data = load_toml(src)
    packages = data.get("package")
    if not isinstance(packages, list):
        return []
    locs = _lock_blocks(src)
    pins: list[Pin] = []
    seen = 0
    for package in packages:
        if not isinstance(package, dict) or not is_huey(package.get("name")):
            continue
        index, seen = seen, seen + 1
        version_text = package.get("version")
        if not isinstance(version_text, str):
            continue
        loc = locs[index] if index < len(locs) else file_loc(src)
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


def pipfile_lock_pins(src: SourceFile) -> list[Pin]:
    """``Pipfile.lock``: each section's huey entry (``_meta`` skipped) as a locked pin on its ``"version"`` key;
    VCS/editable entries (no version) are left out."""
    data = _load_json(src)
    if not isinstance(data, dict):
        return []
    starts = line_starts(src.text)
    key_hits = [
        m
        for m in re.finditer(r'"([A-Za-z0-9._-]+)"\s*:\s*\{', src.text)
        if is_huey(m.group(1))
    ]
    pins: list[Pin] = []
    seen = 0
    for section, table in data.items():
        if section == "_meta" or not isinstance(table, dict):
            continue
        for name, entry in table.items():
            if not is_huey(name) or not isinstance(entry, dict):
                continue
            index, seen = seen, seen + 1
            version_text = entry.get("version")
            if not isinstance(version_text, str):
                continue  # VCS / editable entry
            loc = file_loc(src)
            if index < len(key_hits):
                hit = key_hits[index]
                close = src.text.find("}", hit.end())
                version_match = re.compile(r'"version"\s*:\s*"[^"]*"').search(
                    src.text, hit.end(), close if close >= 0 else len(src.text)
                )
                span = version_match.span() if version_match else hit.span(1)
                loc = offset_loc(src, starts, span[0], span[1])
            version, minimum, allowed = analyse(version_text.strip(), bare_is_exact=True)
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
