"""What hueylint writes for people: the colour decision, rich consoles, and escaping of untrusted text.

Everything shown comes from the scanned tree (file names, commands quoted in
messages, source lines), so it is escaped before it reaches a terminal or a
CI log: a control character is shown as an escape (``\\n``, ``\\x1b``), never
written raw, so a file name cannot start a new log line (a forged
``::error`` annotation) and a Dockerfile cannot retitle or clear a terminal.
"""

from __future__ import annotations

import os
import re
import sys
from typing import IO, Any, Tuple, Union

from hueylint.regexes import lazy_pattern

COLOR_CHOICES = ("auto", "always", "never")

# C0 and C1 controls, DEL, lone surrogates (file names that are not UTF-8, decoded with
# surrogateescape), the Unicode line/paragraph separators and the bidirectional overrides
# ("Trojan source") and the BOM, which change how the rest of a line is displayed.
_UNPRINTABLE = lazy_pattern("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a raw byte of a non-UTF-8 name (surrogateescape): show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control or display-changing character as a backslash escape.

    ``"a\\nb"`` -> ``"a\\\\nb"``, ESC -> ``\\x1b``, the byte 0xE9 of a Latin-1 file name
    (U+DCE9 after surrogateescape) -> ``\\xe9``, U+202E -> ``\\u202e``. Printable
    non-ASCII text (``wörker.service``) is kept as it is.
    """
    return _UNPRINTABLE.sub(_escape, text) if _UNPRINTABLE.search(text) else text


def cells(text: str) -> int:
    """The terminal cells ``text`` takes, as ruff counts them (the unicode-width of each character): two for an
    East Asian wide or fullwidth character (``日``), none for a combining mark, one for any other."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
               for char in text)


def markup(text: str) -> str:
    """Scanned text as rich markup: control characters escaped (:func:`printable`), brackets literal."""
    from rich.markup import escape

    return escape(printable(text))


def color_choice(value: str | None, no_color: bool = False) -> str:
    """``--color`` (``--no-color`` is ``never``), then the environment: ``NO_COLOR`` set and not empty
    means never (https://no-color.org); otherwise ``auto``, where rich decides (``FORCE_COLOR``,
    ``TTY_COMPATIBLE``, a terminal)."""
    if no_color:
        return "never"
    if value in ("always", "never"):
        return value
    return "never" if os.environ.get("NO_COLOR") else "auto"


def reader_gone() -> None:
    """The reader of standard output left (``hueylint check | head``): what is still written goes to
    ``/dev/null``, so neither a later write nor the flush at exit raises again. The command then ends
    with its own exit code (``check``: its findings), as if the report had been read to the end."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (a replaced sys.stdout): nothing more to protect
        pass


def make_console(file: IO[str] | None = None, color: str = "auto", **options: Any):
    """A rich ``Console`` for ``color`` (``auto``/``always``/``never``). ``never`` writes no escape
    sequence at all: no colour and no bold, dim or underline either. A reader that left raises
    ``BrokenPipeError`` as a plain write does (rich's own handling ends the process with exit code 1:
    ``hueylint inspect | head`` exited 1, a run with findings 1 or 0 by the pipe's timing)."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    options.setdefault("highlight", False)
    options.setdefault("emoji", False)
    if color == "never":
        return _Console(file=file, color_system=None, force_terminal=False, no_color=True, **options)
    if color == "always":
        return _Console(file=file, force_terminal=True, **options)
    return _Console(file=file, **options)


#: A piece of a printed line: plain text, or ``(text, rich style)`` such as ``("HL101", "bold red")``.
Part = Union[str, Tuple[str, str]]

# Variables through which rich may call a stream that is not a TTY a terminal (its ``Console.is_terminal``)
_RICH_TERMINAL_VARIABLES = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


class Printer:
    """Writes lines made of :data:`Part` s: through a rich ``Console`` when colour may be shown, else as
    plain text, byte for byte what rich would write uncoloured, without importing rich (10 ms of a run).

    Parts are never read as rich markup, so scanned text needs :func:`printable` only, not :func:`markup`.
    """

    def __init__(self, file: IO[str] | None = None, color: str = "auto") -> None:
        self._file = file
        self._console = make_console(file, color, soft_wrap=True) if _may_style(file, color) else None

    def print(self, *parts: Part) -> None:
        """One line: the parts joined, then a newline (no parts: an empty line)."""
        if self._console is None:
            out = self._file if self._file is not None else sys.stdout
            out.write("".join(part if isinstance(part, str) else part[0] for part in parts) + "\n")
            return
        from rich.text import Text

        self._console.print(Text.assemble(*parts))


def _may_style(file: IO[str] | None, color: str) -> bool:
    """Could rich write an escape sequence to ``file`` for ``color``? False only when surely not:
    ``never``, or ``auto`` on a stream that is no TTY with no variable that makes rich call it one."""
    if color == "never":
        return False
    if color == "always" or any(name in os.environ for name in _RICH_TERMINAL_VARIABLES):
        return True
    isatty = getattr(file if file is not None else sys.stdout, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (ValueError, OSError):
        return False


def is_terminal(file: IO[str] | None = None) -> bool:
    """Would ``auto`` colour this stream (rich's answer, so ``FORCE_COLOR`` counts)."""
    return bool(make_console(file or sys.stdout).is_terminal)


def safe_streams() -> None:
    """Never die on an output encoding: characters stdout/stderr cannot encode (a cp1252 or ASCII
    console, a non-UTF-8 file name) are written as backslash escapes instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or detached stream: nothing to protect
                pass


def utf8_stdout() -> None:
    """Write stdout as UTF-8 (machine-readable formats: JSON, SARIF, GitHub workflow commands are
    UTF-8 whatever the console's code page, so a file name maps back to the file)."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(encoding="utf-8", errors="backslashreplace")
        except (ValueError, OSError):
            pass


def can_encode(text: str, file: IO[str] | None = None) -> bool:
    """Can ``file`` (stdout) show ``text`` as it is (``✓``, ``→`` on a cp1252 console cannot)."""
    encoding = getattr(file or sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True
