"""supervisord configuration files (and the INI dialect circus shares), with line numbers.

configparser drops positions, and positions are what a finding needs, so this
module reads the INI syntax itself, the way supervisord's
``UnhosedConfigParser`` (a ``RawConfigParser`` with ``strict=False`` and
``inline_comment_prefixes=(';', '#')``) does:

- ``;`` and ``#`` start a comment at the beginning of a line, and inline only
  after whitespace (``command=run --x;y`` keeps ``;y``);
- a line indented deeper than its option continues the value (joined with
  ``\\n``), as configparser does;
- ``key = value`` or ``key: value``, keys lower-cased, the last assignment wins,
  repeated sections merge;
- Jinja control lines (``{% if %}``) are skipped and ``{{ x }}`` placeholders stay
  in the text as unknown values; anything else that is not INI raises
  :class:`ParseError` with the line and column (HL001).

Expansions (``%(ENV_X)s``, ``%(here)s``, ``%(program_name)s``,
``%(process_num)02d``) are applied by :func:`expand`, which marks values it
cannot know instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import field

from hueylint.locations import Loc
from hueylint.parsers import ParseError
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile
from hueylint.words import blank_jinja_lines

_SECTION = lazy_pattern(r"\[(?P<header>.+)\]")
_OPTION = lazy_pattern(r"(?P<option>.*?)\s*(?P<vi>[=:])\s*(?P<value>.*)$")
_JINJA_LINE = lazy_pattern(r"^\s*(\{%.*%\}|\{#.*#\}|\{\{.*\}\})\s*$")
SUPERVISORD_INLINE = (";", "#")


@dataclass(frozen=True)
class Option:
    """One ``key = value``; ``segments`` maps offsets in ``value`` back to (line, col)."""

    key: str
    value: str
    source: str  # rel path
    line: int  # the key's line
    col: int  # column of the value's first character
    key_col: int
    segments: tuple[tuple[int, int, int], ...]  # (offset in value, line, col)
    end_line: int
    end_col: int

    @property
    def loc(self) -> Loc:
        """The whole assignment, key to end of value."""
        return Loc(self.source, self.line, self.key_col, self.end_line, self.end_col)

    @property
    def value_loc(self) -> Loc:
        return Loc(self.source, self.line, self.col, self.end_line, self.end_col)

    def loc_at(self, start: int, end: int) -> Loc:
        """The position of ``value[start:end]`` in the file."""
        line, col = self._at(start)
        end_line, end_col = self._at(max(end - 1, start))
        return Loc(self.source, line, col, end_line, end_col + 1)

    def _at(self, offset: int) -> tuple[int, int]:
        chosen = self.segments[0]
        for segment in self.segments:
            if segment[0] <= offset:
                chosen = segment
        return chosen[1], chosen[2] + (offset - chosen[0])


@dataclass
class Section:
    """One ``[section]`` of a supervisord or circus INI file: its name, the repo path of the file, where
    the header is (1-based line, columns) and its options by key."""

    name: str
    source: str
    line: int
    col: int
    end_col: int
    options: dict[str, Option] = field(default_factory=dict)

    @property
    def loc(self) -> Loc:
        return Loc(self.source, self.line, self.col, self.line, self.end_col)

    def get(self, key: str) -> Option | None:
        return self.options.get(key)

    def value(self, key: str, default: str | None = None) -> str | None:
        option = self.options.get(key)
        return option.value if option is not None else default

    @property
    def kind(self) -> str:
        """``program`` for ``[program:huey]``; the whole name for ``[supervisord]``."""
        return self.name.split(":", 1)[0].strip()

    @property
    def title(self) -> str:
        return self.name.split(":", 1)[1].strip() if ":" in self.name else ""


@dataclass
class IniFile:
    """A parsed INI file (supervisord, circus): its sections in order."""

    source: SourceFile
    sections: list[Section] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]

    def section(self, name: str) -> Section | None:
        for section in self.sections:
            if section.name == name:
                return section
        return None


def _strip_inline(raw: str, prefixes: tuple[str, ...]) -> str:
    """Cut an inline comment: a prefix preceded by whitespace, as configparser does."""
    cut = len(raw)
    for prefix in prefixes:
        index = 0
        while True:
            index = raw.find(prefix, index)
            if index < 0:
                break
            if index > 0 and raw[index - 1].isspace():
                cut = min(cut, index)
                break
            index += 1
    return raw[:cut].rstrip()


def parse_ini(src: SourceFile, inline_prefixes: tuple[str, ...] = SUPERVISORD_INLINE) -> IniFile:
    """Read ``src``; raise :class:`ParseError` where configparser would refuse the file."""
    result = IniFile(src)
    current: Section | None = None
    by_name: dict[str, Section] = {}
    # the option being read: key, value parts, segments, indent, start line, key col, value col
    pending: dict | None = None

    def finish() -> None:
        nonlocal pending
        if pending is None or current is None:
            pending = None
            return
        parts: list[tuple[str, int, int]] = pending["parts"]
        while parts and parts[-1][0] == "":
            parts.pop()
        while len(parts) > 1 and parts[0][0] == "":
            parts.pop(0)
        if not parts:
            parts = [("", pending["line"], pending["col"])]
        segments: list[tuple[int, int, int]] = []
        offset = 0
        for text, line, col in parts:
            segments.append((offset, line, col))
            offset += len(text) + 1
        value = "\n".join(text for text, _, _ in parts)
        last_text, last_line, last_col = parts[-1]
        current.options[pending["key"]] = Option(
            pending["key"], value, src.rel, pending["line"], parts[0][2] if parts[0][0] else pending["col"],
            pending["key_col"], tuple(segments), last_line, last_col + len(last_text))
        pending = None

    for number, raw in enumerate(blank_jinja_lines(src.text).splitlines(), start=1):  # a tag over lines: none
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        if not stripped or stripped[0] in "#;":
            if pending is not None and not stripped:
                # configparser keeps empty lines inside values; trailing ones are dropped in finish()
                pending["parts"].append(("", number, 1))
            continue
        if _JINJA_LINE.match(raw):
            continue
        line = _strip_inline(raw, inline_prefixes)
        if not line.strip():
            continue
        if pending is not None and indent > pending["indent"]:
            text = line.strip()
            pending["parts"].append((text, number, indent + 1))
            continue
        finish()
        match = _SECTION.match(line.strip())
        if match:
            name = match.group("header").strip()
            start = raw.find("[") + 1
            section = by_name.get(name)
            if section is None:
                section = Section(name, src.rel, number, start, len(line.rstrip()) + 1)
                by_name[name] = section
                result.sections.append(section)
            current = section
            continue
        if stripped.startswith("["):
            raise ParseError(f"unterminated section header {stripped[:40]!r}", number, indent + 1)
        if current is None:
            raise ParseError(f"file contains no section header before {stripped[:40]!r}", number, indent + 1)
        option = _OPTION.match(line.strip())
        if option is None or not option.group("option").strip():
            raise ParseError(f"expected `key = value`, found {stripped[:40]!r}", number, indent + 1)
        key = option.group("option").strip().lower()
        value = option.group("value").strip()
        value_col = (len(line.rstrip()) - len(value) + 1) if value else len(line.rstrip()) + 1
        pending = {"key": key, "parts": [(value, number, value_col)], "indent": indent,
                   "line": number, "col": value_col, "key_col": indent + 1}
    finish()
    return result


# -- values -------------------------------------------------------------------------------------

_EXPANSION = lazy_pattern(r"%\((?P<name>[^)]*)\)(?P<spec>[-#0 +]*\d*(?:\.\d+)?[sdiouxXeEfFgGcr])")
_JINJA = lazy_pattern(r"\{\{.*?\}\}")


def expand(text: str, names: dict[str, object], env: dict[str, str] | None) -> tuple[str, list[str]]:
    """Apply supervisord's ``%(name)s`` expansions; unknown ones become ``${NAME}`` markers.

    Returns the text and the names that could not be known (an ``ENV_X`` not in
    ``env``).  A ``${X}`` marker is what every later stage already treats as a
    run-time value (never literal, never reported as an invalid option).
    """
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name.startswith("ENV_"):
            var = name[4:]
            if env is not None and var in env:
                return env[var]
            unknown.append(name)
            return "${" + var + "}"
        if name in names:
            try:
                return ("%" + match.group("spec")) % (names[name],)
            except (TypeError, ValueError):
                unknown.append(name)
                return "${" + name + "}"
        unknown.append(name)
        return "${" + name + "}"

    out = _EXPANSION.sub(replace, text).replace("%%", "%")
    return out, unknown


def parse_bool(text: str) -> bool | None:
    """supervisord's ``boolean()``: true/yes/on/1 and false/no/off/0."""
    value = text.strip().lower()
    if value in ("true", "yes", "on", "1"):
        return True
    if value in ("false", "no", "off", "0"):
        return False
    return None


def parse_environment(text: str) -> list[tuple[str, str, int, int]]:
    """``KEY="val",KEY2=val2`` -> [(key, value, start, end)] with spans of each value in ``text``."""
    pairs: list[tuple[str, str, int, int]] = []
    index, length = 0, len(text)
    while index < length:
        while index < length and (text[index].isspace() or text[index] == ","):
            index += 1
        equals = text.find("=", index)
        if equals < 0:
            break
        key = text[index:equals].strip()
        index = equals + 1
        start = index
        value: list[str] = []
        while index < length and text[index] != ",":
            char = text[index]
            if char in "\"'":
                end = text.find(char, index + 1)
                end = length if end < 0 else end
                value.append(text[index + 1:end])
                index = end + 1
            else:
                value.append(char)
                index += 1
        pairs.append((key, "".join(value).strip(), start, index))
    return pairs


def parse(src: SourceFile) -> IniFile:
    return parse_ini(src)
