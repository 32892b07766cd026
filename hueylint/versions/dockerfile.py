"""A Dockerfile's own installs: the requirement words of ``RUN pip install ...``."""

from __future__ import annotations

import re

from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile
from hueylint.versions.pins import Pin, parse_requirement, pin_from_req
from hueylint.versions.specifiers import is_huey
from hueylint.versions.text import line_starts, logical_lines, offset_loc

_PIP_INSTALL = lazy_pattern(r"\b(?:pip[0-9.]*|python[0-9.]*\s+-m\s+pip|uv\s+pip)\s+install\b")


def dockerfile_pins(src: SourceFile) -> list[Pin]:
    """``RUN pip install huey==2.5.0 redis`` (also ``pip3``, ``python -m pip``, ``uv pip``): the requirement
    words naming huey, as the image installs them (``-r file`` lines are the requirement files' own)."""
    pins: list[Pin] = []
    starts = line_starts(src.text)
    for logical in logical_lines(src):
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
                req = parse_requirement(text)
                if req is None or req.url or not is_huey(req.name):
                    continue
                first = logical.offsets[call.end() + word.start(2)]
                last = logical.offsets[call.end() + word.end(2) - 1] + 1
                pins.append(pin_from_req(req, offset_loc(src, starts, first, last)))
    return pins
