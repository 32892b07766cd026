"""A Dockerfile's own installs: the requirement words of ``RUN pip install ...``."""

from __future__ import annotations

import re

from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile
from hueylint.versions.pins import Pin, parse_requirement, pin_from_req
from hueylint.versions.specifiers import is_huey
from hueylint.versions.text import line_starts, logical_lines, offset_loc

#: pip's general options may come before its command (``pip --default-timeout=240 install``, ``pip -q install``,
#: ``pip --timeout 60 install``)
_PIP_INSTALL = lazy_pattern(r"\b(?:pip[0-9.]*|python[0-9.]*\s+-m\s+pip|uv\s+pip)"
                            r"(?:\s+-[^\s]+(?:\s+(?!install\b)[^-\s&|;][^\s&|;]*)?)*?\s+install\b")


def _pip_segments(line: str) -> list[tuple[int, str]]:
    """(offset, text) of each ``pip install`` call's arguments in one shell line, up to the next command."""
    segments = []
    for call in _PIP_INSTALL.finditer(line):
        rest = line[call.end():]
        stop = re.search(r"&&|\|\||;|\||\bpip[0-9.]*\s+install\b", rest)
        segments.append((call.end(), rest[: stop.start()] if stop else rest))
    return segments


def requirement_file_words(text: str) -> list[str]:
    """The requirement and constraint files a ``RUN``'s ``pip install`` calls read, as written (``pip install
    -r requirements.txt -c /tmp/constraints.txt`` -> ``requirements.txt``, ``/tmp/constraints.txt``; also
    ``--requirement FILE``, ``--requirement=FILE``, ``-rFILE``): paths in the image, relative to the RUN's working
    folder; a word with a variable left unexpanded is left out."""
    found: list[str] = []
    for _offset, segment in _pip_segments(" ".join(text.split("\\\n"))):
        words = [word.strip("'\"") for word in segment.split()]
        for index, word in enumerate(words):
            match = re.fullmatch(r"-[rc](.+)|--(?:requirement|constraint)=(.+)", word)
            if match:
                path = match.group(1) or match.group(2)
            elif word in ("-r", "-c", "--requirement", "--constraint") and index + 1 < len(words):
                path = words[index + 1]
            else:
                continue
            if path and "$" not in path and path not in found:
                found.append(path)
    return found


def dockerfile_pins(src: SourceFile) -> list[Pin]:
    """``RUN pip install huey==2.5.0 redis`` (also ``pip3``, ``python -m pip``, ``uv pip``): the requirement
    words naming huey, as the image installs them (``-r file`` lines are the requirement files' own)."""
    pins: list[Pin] = []
    starts = line_starts(src.text)
    for logical in logical_lines(src):
        line = logical.text
        for start, segment in _pip_segments(line):
            for word in re.finditer(r"""(["']?)([^\s"']+)\1""", segment):
                text = word.group(2)
                if text.startswith("-"):
                    continue
                if not word.group(1):  # the shell reads an unquoted `huey>=2.5` as `huey` redirected to `=2.5`
                    text = re.split(r"[<>]", text, maxsplit=1)[0]
                req = parse_requirement(text)
                if req is None or req.url or not is_huey(req.name):
                    continue
                first = logical.offsets[start + word.start(2)]
                last = logical.offsets[start + word.end(2) - 1] + 1
                pins.append(pin_from_req(req, offset_loc(src, starts, first, last)))
    return pins
