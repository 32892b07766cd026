"""Files a Dockerfile writes itself while the image builds: the scripts its ``ENTRYPOINT``/``CMD`` may run.

An image often carries a start script no file of the repository holds, written by a build step:

* a BuildKit here-document, ``RUN cat <<'EOF' > /usr/local/bin/start.sh`` (also ``cat > PATH <<EOF``,
  ``tee PATH <<EOF``) or ``COPY <<EOF /usr/local/bin/start.sh``: the body lines are the file, verbatim
  (BuildKit's heredoc support, dockerfile reference "Here-Documents");
* one quoted string printed into the file, ``RUN echo '#!/bin/bash\\n\\ set -e\\n\\ ...' > /start.sh``, each
  ``\\n\\`` ending a line of the Dockerfile (field: gpchelkin/scdlbot).  The Dockerfile parser first joins
  the lines continued with ``\\``; the shell then removes the quotes (inside double quotes a ``$`` would
  be expanded at build time: such a string is not read); ``printf`` always turns ``\\n`` into a new line,
  and so does ``echo`` run by dash, the ``/bin/sh`` of Debian and Ubuntu images (and of the official
  python images built on them).  bash's and busybox's ``echo`` print ``\\n`` as written unless given
  ``-e``: then the file is one line, and such a write is not read either (``shell_dash`` says which
  shell runs the ``RUN``).

Each file is returned as a view of the Dockerfile: a :class:`~hueylint.sources.SourceFile` of the same path
whose lines are the file's lines at the Dockerfile lines that write them (every other line blank, each line
padded to its column), so what a script check reports points into the Dockerfile.  Lines written by one line
of the Dockerfile (``echo '#!/bin/sh\\nset -e\\nexec huey_consumer app.huey' > /start.sh``) are joined there as
the shell would read them on one line (each two-character ``\\n`` a ``; `` or two blanks), so each command keeps
its column; a file that cannot be joined so (a here-document or ``case`` in it) is not read.
"""

from __future__ import annotations

import posixpath
import re

from hueylint.parsers.embedded import HEREDOC, TARGET
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile

#: ``echo`` or ``printf`` of one quoted string, redirected into a file
_PRINTED = lazy_pattern(r"""\b(echo|printf)((?:[ \t]+-[neE]+)*)[ \t]+('(?:[^']*)'|"(?:[^"\\]|\\.)*")[ \t]*>[ \t]*"""
                      r"""(["']?)([^\s"';&|<>]+)\4""")
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "r": "\r", "v": "\v"}


@dataclass(frozen=True)
class Written:
    """A file the build writes: ``dest`` (its path in the image, as written), the Dockerfile lines holding its
    text (``first``-``last``), how (for messages) and the view (:func:`view`)."""

    dest: str
    first: int
    last: int
    how: str
    lines: tuple[tuple[int, str], ...]  # (Dockerfile line, the file's line there)


@dataclass
class WrittenFile(SourceFile):
    """A file the build writes, as a view of the Dockerfile (its ``rel``); ``shown`` names it in messages: its
    path in the image (its lines are the Dockerfile's, so every location says where it is written)."""

    shown: str = ""


def view(src: SourceFile, written: Written) -> WrittenFile:
    """The file ``written`` as a shell script of ``src``'s path (see the module docstring)."""
    placed = dict(written.lines)
    text = "\n".join(placed.get(number, "") for number in range(1, len(src.lines) + 1))
    return WrittenFile(src.path, src.rel, text + "\n", "script",
                       shown=written.dest)


def writes(src: SourceFile, first: int, last: int, shell_dash: bool) -> list[Written]:
    """Every file the instructions on lines ``first``-``last`` of the Dockerfile ``src`` write (one stage), in
    order; ``shell_dash``: its ``RUN`` commands run under dash (``echo`` turns ``\\n`` into a new line)."""
    lines = src.lines
    found: list[Written] = []
    index = first - 1
    while index < min(last, len(lines)):
        line = lines[index]
        word = line.lstrip().split(" ", 1)[0].upper()
        if word not in ("RUN", "COPY", "ADD"):
            index += 1
            continue
        end = index
        while end + 1 < len(lines) and lines[end].rstrip().endswith("\\"):
            end += 1
        heredoc = HEREDOC.search(line) if word != "ADD" else None
        if heredoc is not None:
            written, index = _heredoc(lines, index, heredoc, word)
            if written is not None:
                found.append(written)
            continue
        if word == "RUN":
            found += _printed(lines, index, end, shell_dash)
        index = end + 1
    return found


def _heredoc(lines: list[str], index: int, match: re.Match[str], word: str) -> tuple[Written | None, int]:
    """The file a here-document on line ``index`` writes, and the index after its delimiter."""
    line = lines[index]
    delimiter = match.group(2) or match.group(3) or match.group(4)
    strip_tabs = match.group(1) == "-"
    start = index + 1
    end = start
    while end < len(lines) and (lines[end].lstrip("\t") if strip_tabs else lines[end]) != delimiter:
        end += 1
    rest = line[:match.start()] + " " + line[match.end():]
    if word == "COPY":
        words = [part for part in rest.split()[1:] if not part.startswith("--")]
        dest = words[-1] if words else ""
    else:
        target = TARGET.search(rest)
        dest = target.group(2) if target is not None else ""
    if not dest.startswith("/") or end <= start:
        return None, end + 1
    body = tuple((number + 1, lines[number].lstrip("\t") if strip_tabs else lines[number]) for number in range(start, end))
    if match.group(4) is not None:  # an unquoted delimiter: `$X` is expanded at build time
        body = tuple((number, text) for number, text in body if "$" not in text and "`" not in text)
    return Written(posixpath.normpath(dest), start + 1, end, "a here-document", body), end + 1


def _printed(lines: list[str], first: int, last: int, shell_dash: bool) -> list[Written]:
    """The files ``echo``/``printf`` of one quoted string write in the ``RUN`` on lines ``first``-``last``."""
    chars: list[str] = []
    where: list[tuple[int, int]] = []  # (line, column) of each character of the joined instruction
    for number in range(first, last + 1):
        text = lines[number]
        if number < last and text.rstrip().endswith("\\"):
            text = text.rstrip()[:-1]  # the Dockerfile parser drops the `\` and the line break
        chars += text
        where += [(number + 1, col + 1) for col in range(len(text))]
    joined = "".join(chars)
    found: list[Written] = []
    for match in _PRINTED.finditer(joined):
        program, flags, quoted, dest = match.group(1), match.group(2), match.group(3), match.group(5)
        interprets = program == "printf" or (shell_dash and not flags.strip())
        if not interprets or not dest.startswith("/"):
            continue
        body = _unquoted(quoted, match.start(3) + 1, program)
        if body is None:
            continue
        placed = _escaped_lines(body, where)
        if placed is not None:
            lines_of = tuple(placed)
            found.append(Written(posixpath.normpath(dest), lines_of[0][0], lines_of[-1][0],
                                 f"`{program}` of a quoted string", lines_of))
    return found


def _unquoted(quoted: str, offset: int, program: str) -> list[tuple[str, int]] | None:
    """The string's characters after the shell removed its quotes, each with its offset in the joined text;
    None for a double-quoted string that expands something at build time, or a ``printf`` format directive."""
    inner = quoted[1:-1]
    out: list[tuple[str, int]] = []
    if quoted[0] == "'":
        out = [(char, offset + index) for index, char in enumerate(inner)]
    else:
        index = 0
        while index < len(inner):
            char = inner[index]
            if char in "$`":
                return None
            if char == "\\" and index + 1 < len(inner) and inner[index + 1] in "$`\"\\":
                out.append((inner[index + 1], offset + index + 1))
                index += 2
                continue
            out.append((char, offset + index))
            index += 1
    if program == "printf" and re.search(r"%[^%]", "".join(char for char, _ in out).replace("%%", "")):
        return None
    return out


#: a script line after which a new line is only a blank to the shell (a compound command's keyword, an operator
#: waiting for its right side) or ends nothing more (a command already ended by `&` or `;`, where `&;` or `;;`
#: would be a syntax error): joined on one line it takes a space, not a `;`
_OPEN_END = lazy_pattern(r"(?:^|[\s;])(?:then|do|else|elif|while|until|if|[{(!])$|(?:&&|\|\||\||(?<![&>|])&|;)$")


def _escaped_lines(body: list[tuple[str, int]], where: list[tuple[int, int]]) -> list[tuple[int, str]] | None:
    """The file's lines after ``\\n`` and the other escapes, each at the Dockerfile line and column of its first
    character.  Lines the Dockerfile writes on one line of its own (``echo '#!/bin/sh\\nset -e\\nexec huey_consumer
    app.huey' > /start.sh``) are that one line to the shell: joined where they stand, each ``\\n`` (two characters)
    becoming ``; `` (or two blanks after a comment, an empty line, a keyword such as ``then`` or an operator such
    as ``&&``), so every command keeps its column.  None when that cannot be done (a here-document, ``case``, a
    continued line) or nothing is written."""
    lines: list[list[tuple[str, int]]] = [[]]  # each script line: (character, offset of its source) ...
    breaks: list[int] = []  # ... and the offset of the `\n` that ends it
    index = 0
    while index < len(body):
        char, at = body[index]
        if char == "\\" and index + 1 < len(body):
            code = body[index + 1][0]
            index += 2
            if code == "n":
                breaks.append(at)
                lines.append([])
                continue
            if code == "c":
                break
            lines[-1].append((_ESCAPES.get(code, "\\" + code), at))
            continue
        lines[-1].append((char, at))
        index += 1
    if not lines[-1]:
        lines.pop()  # a final `\n`: the file ends with a line break
    if not lines:
        return None
    def row_of(number: int) -> int:  # the Dockerfile line a script line starts on (an empty one: its `\n`'s)
        at = lines[number][0][1] if lines[number] else breaks[number]
        return where[min(at, len(where) - 1)][0]

    rows = [row_of(number) for number in range(len(lines))]
    placed: dict[int, dict[int, str]] = {}  # Dockerfile line -> column -> character
    for number, line in enumerate(lines):
        row = rows[number]
        text = "".join(char for char, _ in line).strip()
        joined = rows.count(row) > 1
        if joined and ("<<" in text or re.search(r"\bcase\b", text) or text.endswith("\\")):
            return None
        cells = placed.setdefault(row, {})
        blank = joined and text.startswith("#")  # a comment (the shebang) would hide the commands joined after it
        for char, at in line:
            col = where[min(at, len(where) - 1)][1]
            for step, piece in enumerate(char):
                cells[col + step] = " " if blank else piece
        if number < len(breaks) and number + 1 < len(lines) and rows[number + 1] == row:
            col = where[min(breaks[number], len(where) - 1)][1]
            separator = "  " if blank or not text or _OPEN_END.search(text) else "; "
            cells[col], cells[col + 1] = separator[0], separator[1]
    result = []
    for row in sorted(placed):
        cells = placed[row]
        text = "".join(cells.get(col, " ") for col in range(1, max(cells, default=0) + 1)).rstrip()
        result.append((row, text))
    return result
