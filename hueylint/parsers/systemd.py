"""systemd unit files, with line numbers and duplicate keys.

No library keeps both, and both matter: ``ExecStart=`` may be repeated,
an empty assignment resets a list, and drop-ins override the unit.  The
syntax follows systemd.syntax(7): ``#``/``;`` comments at line start only,
``\\`` continuations, sections in brackets.
"""

from __future__ import annotations

from dataclasses import field

from hueylint.parsers import ParseError
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile
from hueylint.words import blank_jinja_lines

_SECTION = lazy_pattern(r"^\[([^\]]+)\]\s*$")


@dataclass(frozen=True)
class Entry:
    """One ``Key=value`` line of a unit or drop-in: its section, key and value, the 1-based line and the
    value's column, and the repo path of the file it came from."""

    section: str
    key: str
    value: str
    line: int
    col: int  # column of the value
    source: str  # rel path of the file it came from


@dataclass
class Unit:
    """A unit and its drop-ins merged: ``entries`` in the order systemd applies them."""

    source: SourceFile
    entries: list[Entry] = field(default_factory=list)
    dropins: list[str] = field(default_factory=list)
    # the lines systemd skips in the unit and its drop-ins: (file, 1-based line, column, why)
    ignored: list[tuple[SourceFile, int, int, str]] = field(default_factory=list)

    def all(self, section: str, key: str) -> list[Entry]:
        """Every assignment of a list-valued key after empty assignments reset it."""
        result: list[Entry] = []
        for entry in self.entries:
            if entry.section == section and entry.key == key:
                if entry.value == "":
                    result = []
                else:
                    result.append(entry)
        return result

    def last(self, section: str, key: str) -> Entry | None:
        """A single-valued key: the last assignment wins; an empty one resets to the default."""
        found: Entry | None = None
        for entry in self.entries:
            if entry.section == section and entry.key == key:
                found = None if entry.value == "" else entry
        return found


class Entries(list[Entry]):
    """The entries of one file, and the lines systemd skips in it (``ignored``: 1-based line, column, why)."""

    ignored: list[tuple[int, int, str]]


def parse_entries(src: SourceFile) -> Entries:
    """The assignments of a unit or drop-in, in order.  As systemd's parser (``config_parse``,
    src/shared/conf-parser.c) does, a line without ``=`` (``Missing '=', ignoring line.``) and an assignment
    before any section (``Assignment outside of section. Ignoring.``) are skipped with a warning, listed in
    ``ignored``; an unterminated section header fails the whole file (:class:`ParseError`), as it fails
    the unit."""
    entries = Entries()
    entries.ignored = []
    section = ""
    lines = blank_jinja_lines(src.text).splitlines()  # a template's tag or comment lines (also over lines): none
    index = 0
    while index < len(lines):
        number = index + 1
        raw = lines[index]
        index += 1
        stripped = raw.strip()
        if not stripped or stripped[0] in "#;":
            continue
        match = _SECTION.match(stripped)
        if match:
            section = match.group(1)
            continue
        if stripped.startswith("["):
            raise ParseError(f"unterminated section header {stripped!r}", number, raw.find("[") + 1)
        if "=" not in stripped:
            if "{{" in stripped or "{%" in stripped:
                continue  # a template control line
            entries.ignored.append((number, len(raw) - len(raw.lstrip()) + 1,
                                    f"expected `Key=value`, found {stripped[:40]!r} (systemd ignores the line)"))
            continue
        if not section:
            entries.ignored.append((number, 1, "assignment outside of any [Section] (systemd ignores it)"))
            continue
        key, _, value = raw.partition("=")
        col = len(key) + 2
        key = key.strip()
        value = value.strip()
        continued = value.endswith("\\")
        while continued and index < len(lines):
            following = lines[index]
            index += 1
            if following.lstrip().startswith(("#", ";")):
                continue  # systemd.syntax(7): a comment block inside a continuation is ignored, the value goes on
            value = value[:-1] + " " + following.strip()
            continued = value.endswith("\\")
        if continued:
            value = value[:-1] + " "  # the file ends in a continuation
        entries.append(Entry(section, key, value.strip(), number, col, src.rel))
    return entries


def parse(src: SourceFile) -> Entries:
    return parse_entries(src)
