"""Command lines as the tools split them, and the names of the shells: one source for both.

Most tools split a command line the POSIX shell's way (``shlex.split``: quotes group words, a backslash
escapes): systemd ``ExecStart=``/``Environment=``, supervisord and circus ``command=``, a Dockerfile's
``ENV``/``ARG``/``LABEL`` words, compose's string ``command:``, logrotate directives, build scripts'
``docker build`` lines.  Text the shell would refuse (an unterminated quote) is still read: :func:`split`
falls back to whitespace, :func:`shell_words` says None (the callers that must know),
:func:`split_with_spans` ends the word at the end of the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from hueylint.regexes import lazy_pattern

#: shells a command runs code with (``sh -c '...'``, ``bash start.sh``)
SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"})
#: a script's shebang interpreter that makes it shell code: the shells, and busybox's multi-call binary
#: (``#!/bin/busybox sh``)
SHEBANG_SHELLS = SHELLS | {"busybox"}
#: the first program of a shebang that makes a file a script a launch follows: the shells, s6-overlay's
#: ``with-contenv`` (it runs the shell named after it) and ``execlineb`` (s6 run scripts)
SCRIPT_SHEBANGS = SHELLS | {"with-contenv", "execlineb"}


#: Jinja statements inside one line (Jinja renders them before systemd, supervisord or compose reads the line):
#: an ``{% if %}``/``{% for %}`` block through its end tag, whose text depends on the condition or the loop's
#: items (one unknown word, never a literal: ``run_huey {% if w %}-w {{ w }}{% endif %} -f`` may set ``-w``),
#: else one tag (``{% set x = 1 %}``: unknown too) or comment (``{# note #}``: no word at all)
#: (:class:`Jinja` finds them as ``re.finditer`` of ``BLOCK|TAG|COMMENT`` would, in linear time: the regular
#: expressions ``\{%-?\s*(?:if|for)\b[^\n]*?\{%-?\s*end(?:if|for)\s*-?%\}``, ``\{%[^\n]*?%\}`` and
#: ``\{#[^\n]*?#\}`` scan to the end of the line from every opening that is never closed: quadratic, 100 s
#: for a 200 kB line; and ``(?:\{#[^\n]*?#\})+`` backtracks exponentially over glued comments, ``{#x#}{#x#}...Z``)
_BLOCK_OPEN = lazy_pattern(r"\{%-?\s*(?:if|for)\b")
_BLOCK_END = lazy_pattern(r"\{%-?\s*end(?:if|for)\s*-?%\}")


class _Next:
    """The first occurrence of a string or pattern at or after a position: searched again only when the
    position passes the one found last, so queries at growing positions cost one pass over the text."""

    __slots__ = ("_found", "_from", "_needle", "_text")

    def __init__(self, text: str, needle: str | re.Pattern[str]) -> None:
        self._text, self._needle = text, needle
        self._from, self._found = -1, (-1, -1)

    def __call__(self, pos: int) -> tuple[int, int]:
        """(start, end) of the first occurrence at or after ``pos``; (-1, -1) when there is none."""
        if not (0 <= self._from <= pos and (self._found[0] >= pos or self._found[0] < 0)):
            if isinstance(self._needle, str):
                at = self._text.find(self._needle, pos)
                self._found = (at, at + len(self._needle)) if at >= 0 else (-1, -1)
            else:
                match = self._needle.search(self._text, pos)
                self._found = match.span() if match else (-1, -1)
            self._from = pos
        return self._found


class Jinja:
    r"""The Jinja statements, comments and placeholders of one text, as the regular expressions above (and
    ``\{\{.*?\}\}``) would match them (lazily, to the first closing), in linear time.

    ``blocks``: an ``{% if %}``/``{% for %}`` through its first end tag on the same line; ``tags``: ``{% %}``;
    ``comments``: ``{# #}``; ``variables``: ``{{ }}``; ``lines``: tags, comments and placeholders end on the
    line they start on (blocks always do); ``open_blocks``: an ``{% if %}``/``{% for %}`` whose end tag is not on
    its line (``run_huey {% if w %}-w {{ w }}{% else %}-w 2 -f``, ``{% endif %}`` on a line of its own) runs to the
    end of the line: what the rest of the line renders depends on it (one unknown word, not ``{% else %}-w`` and
    then a literal ``2``)."""

    def __init__(self, text: str, *, blocks: bool = True, tags: bool = True, comments: bool = True,
                 variables: bool = False, lines: bool = True, erb: bool = False, open_blocks: bool = False) -> None:
        self.text = text
        self._open_blocks = open_blocks and blocks
        self._blocks, self._tags, self._comments, self._variables, self._lines = (
            blocks, tags, comments, variables, lines)
        #: ERB's tags too (``<%= @workers %>``, ``<% if @scheduler %>``: Chef's and Puppet's templates), on one line
        self._erb = erb and "<%" in text
        self._newline = _Next(text, "\n")
        self._end = _Next(text, _BLOCK_END)
        self._close = {"%": _Next(text, "%}"), "#": _Next(text, "#}"), "{": _Next(text, "}}"), "<": _Next(text, "%>")}

    def at(self, pos: int) -> int | None:
        """The end of the statement, comment or placeholder starting at ``pos``, else None."""
        if self._erb and self.text.startswith("<%", pos):
            start, end = self._close["<"](pos + 2)
            newline = self._newline(pos + 2)[0]
            return end if start >= 0 and (newline < 0 or newline > start) else None
        kind = self.text[pos + 1:pos + 2] if self.text.startswith("{", pos) else ""
        if kind == "%" and self._blocks:
            opened = _BLOCK_OPEN.match(self.text, pos)
            if opened is not None:
                start, end = self._end(opened.end())
                newline = self._newline(opened.end())[0]
                if start >= 0 and (newline < 0 or newline >= start):
                    return end
                if self._open_blocks:
                    return len(self.text) if newline < 0 else newline
        if (kind == "%" and self._tags) or (kind == "#" and self._comments) or (kind == "{" and self._variables):
            start, end = self._close[kind](pos + 2)
            newline = self._newline(pos + 2)[0] if self._lines else -1
            if start >= 0 and (newline < 0 or newline > start):
                return end
        return None

    def spans(self) -> list[tuple[int, int]]:
        """Every statement, comment or placeholder from the start, as ``finditer`` finds them (never overlapping)."""
        found: list[tuple[int, int]] = []
        pos = self._next_open(0)
        while pos >= 0:
            end = self.at(pos)
            if end is not None:
                found.append((pos, end))
            pos = self._next_open(end if end is not None else pos + 1)
        return found

    def _next_open(self, pos: int) -> int:
        brace = self.text.find("{", pos)
        if not self._erb:
            return brace
        erb = self.text.find("<%", pos)
        return erb if brace < 0 or 0 <= erb < brace else brace

    def sub(self, repl: Callable[[str, int, int], str]) -> str:
        """The text with each span replaced by ``repl(span_text, start, end)``."""
        parts: list[str] = []
        last = 0
        for start, end in self.spans():
            parts += [self.text[last:start], repl(self.text[start:end], start, end)]
            last = end
        return "".join(parts) + self.text[last:] if parts else self.text


#: a Jinja tag's name: ``{% elif x %}`` -> ``elif``, ``{%- else -%}`` -> ``else``
_TAG_NAME = lazy_pattern(r"\{%-?\s*(\w+)")


def jinja_renderings(word: str) -> list[list[str]] | None:
    """The words each branch of one inline Jinja block renders, when ``word`` is exactly one such block: an
    ``{% if %}`` gives the words of each ``{% if %}``/``{% elif %}``/``{% else %}`` branch, and ``[]`` (nothing)
    when it has no ``{% else %}``; a ``{% for %}`` gives ``[]`` (no items) and its body's words (each item renders
    the body again: the same options).  ``{{ }}`` placeholders stay words of their own (values unknown until the
    template is rendered; a branch the shell would refuse is split at whitespace, as :func:`split` does).  None for
    anything else: text around the block, a block holding another statement (nested, ``{% set %}``): the caller
    then knows nothing of what it renders.

    ``run_huey {% if workers %}-w {{ workers }}{% endif %} -f`` -> ``[["-w", "{{ workers }}"], []]`` (Jinja's
    ``if``/``elif``/``else``/``for`` statements, https://jinja.palletsprojects.com/templates/#list-of-control-structures).
    """
    opened = _BLOCK_OPEN.match(word)
    if opened is None or Jinja(word).at(0) != len(word):
        return None
    head_end = word.find("%}", opened.end())
    end = _BLOCK_END.search(word, head_end)
    if head_end < 0 or end is None or end.end() != len(word):
        return None
    loop = word[opened.start():opened.end()].rstrip().endswith("for")
    body, branches, last, has_else = word[head_end + 2:end.start()], [], 0, loop
    scanner = Jinja(body, blocks=False, comments=False)
    for start, stop in scanner.spans():
        name = _TAG_NAME.match(body, start)
        if loop or name is None or name.group(1) not in ("elif", "else") or has_else:
            return None
        branches.append(body[last:start])
        has_else, last = name.group(1) == "else", stop
    branches.append(body[last:])
    rendered = [split(branch, whole=lambda text: Jinja(text, variables=True)) for branch in branches]
    return [[], *rendered] if not has_else or loop else rendered


def blank_jinja_lines(text: str) -> str:
    """``text`` with each Jinja tag or comment that fills its lines (``{# managed by Ansible #}``, ``{% if tls
    %}`` written over two lines) made blank lines, as many as it spans: Jinja renders a comment to nothing and a
    tag to the lines of the branch it takes, so a line-based format (a systemd unit, a supervisord file) never
    reads them as lines of its own (one inside a line stays for its words: :func:`split_with_spans`)."""
    if "{%" not in text and "{#" not in text:
        return text

    def blank(span: str, start: int, end: int) -> str:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        alone = not text[line_start:start].strip() and not text[end:len(text) if line_end < 0 else line_end].strip()
        return "\n" * span.count("\n") if alone else span

    return Jinja(text, blocks=False, lines=False).sub(blank)


def jinja_comments_only(text: str) -> bool:
    """Whether ``text`` is nothing but Jinja comments on one line (``{# a #}{# b #}``): it renders to nothing."""
    scanner = Jinja(text, blocks=False, tags=False)
    pos = 0
    while pos < len(text):
        end = scanner.at(pos)
        if end is None:
            return False
        pos = end
    return bool(text)


def templated(text: str) -> bool:
    """Whether ``text`` holds template syntax: a placeholder (``{{ venv }}``: Jinja, Helm, Go templates) or a
    Jinja statement (``{% if workers %}-w {{ workers }}{% endif %}``), a value set when the template is rendered,
    unknown here (never a literal word, never an option value huey refuses); a ``{#`` comment too, where it is
    still in a value (``stopwaitsecs={# s #}30``, whose `` #}30`` supervisord's reading cuts as a comment); an ERB
    tag (``<%= @workers %>``: Chef's and Puppet's templates) too."""
    return "{{" in text or "{%" in text or "{#" in text or "<%" in text


#: the longest text a message quotes whole (a word, a command, a test); a longer one keeps its start
QUOTE_LIMIT = 80


def shell_string_index(words: list[str]) -> int | None:
    """In a shell's command line (``words[0]`` the shell), the index of the ``-c`` command string when the
    options hold ``-c`` (alone or in a group, ``-ec``): ``len(words)`` when nothing follows them; None without
    ``-c`` (a script or nothing to run).  The
    string is the first operand after the options, which may follow ``-c`` too (POSIX sh: ``sh -c
    [-abCefhimnuvx] [-o option]... command_string [command_name [argument...]]``; ``bash -c -e 'cmd'``), and
    ``-o``/``-O`` take a value, also in a group (``bash -o pipefail -c 'cmd'``, ``bash -euo pipefail -c 'cmd'``:
    :func:`shell_option_words`)."""
    index = 1
    while index < len(words) and words[index][:1] in ("-", "+") and words[index] not in ("-", "+"):
        text = words[index]
        if not text.startswith("--") and "c" in text[1:]:
            at = index + shell_option_words(text)
            while at < len(words) and words[at][:1] in ("-", "+") and words[at] not in ("-", "--", "+"):
                at += shell_option_words(words[at])
            at += 1 if at < len(words) and words[at] == "--" else 0
            return min(at, len(words))
        index += shell_option_words(text)
    return None


def shell_option_words(text: str) -> int:
    """How many words a shell's option word takes on its command line: itself, and one more for each ``o``/``O``
    in it (``-o pipefail``, ``+O extglob``, the group ``-euo pipefail``: bash(1), POSIX sh ``-o option``)."""
    if text.startswith("--"):
        return 1
    return 1 + sum(1 for letter in text[1:] if letter in "oO")


def series(items: Sequence[str]) -> str:
    """``items`` as a message lists them: ``a``, ``a and b``, ``a, b and c`` ("" for none)."""
    if len(items) < 2:
        return items[0] if items else ""
    return ", ".join(items[:-1]) + " and " + items[-1]


def clipped(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` as a message quotes it: whole when at most ``limit`` characters long, else its start and
    ``...`` (``limit`` characters in all), so a word of kilobytes (a deep ``$(...)``) cannot fill a message."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def shell_words(text: str, *, comments: bool = False) -> list[str] | None:
    """The words of ``text`` as a POSIX shell splits them (``comments``: ``#`` starts a comment); None
    when the shell refuses the text (an unterminated quote or a trailing backslash).

    The result is exactly ``shlex.split(text, comments=comments)``'s (its POSIX, whitespace-split reading),
    computed in time linear in the text: shlex appends each character to ``self.token``, quadratic in a
    word's length (a 2 MiB ``ExecStart=`` word took half a minute)."""
    words: list[str] = []
    parts: list[str] = []
    quoted = False  # the word has a quoted part, so it is a word even when empty (`""`)
    plain = _PLAIN_COMMENTS if comments else _PLAIN
    index, length = 0, len(text)
    while True:
        end = _run_end(plain, text, index)
        if end > index:
            parts.append(text[index:end])
            index = end
        if index >= length:
            break
        char = text[index]
        index += 1
        if char in _WHITESPACE or char == "#":  # `#` only gets here with comments (else it is plain)
            if char == "#":
                end = text.find("\n", index)
                index = length if end < 0 else end + 1
            if parts or quoted:
                words.append("".join(parts))
                parts, quoted = [], False
        elif char == "\\":
            if index >= length:
                return None  # shlex: "No escaped character"
            parts.append(text[index])
            index += 1
        elif char == "'":
            end = text.find("'", index)
            if end < 0:
                return None  # shlex: "No closing quotation"
            parts.append(text[index:end])
            index, quoted = end + 1, True
        else:  # a double quote: a backslash escapes only `\` and `"`, and stays before anything else
            quoted = True
            while True:
                end = _run_end(_IN_DOUBLE, text, index)
                parts.append(text[index:end])
                index = end
                if index >= length or (text[index] == "\\" and index + 1 >= length):
                    return None
                if text[index] == '"':
                    index += 1
                    break
                escaped = text[index + 1]
                parts.append(escaped if escaped in '\\"' else "\\" + escaped)
                index += 2
    if parts or quoted:
        words.append("".join(parts))
    return words


def _run_end(pattern: re.Pattern[str], text: str, index: int) -> int:
    """Where the run of ``pattern`` (which also matches the empty string) starting at ``index`` ends."""
    found = pattern.match(text, index)
    return found.end() if found else index


#: shlex's whitespace (POSIX mode): other Unicode spaces are word characters, as in shlex
_WHITESPACE = " \t\r\n"
#: runs of characters that only extend the current word (outside quotes)
#: what makes a command line more than one simple command to a shell (a list, a pipe, a redirection, an
#: expansion, a subshell): a PaaS start command holding one runs under ``sh -c``/``bash -c``, else it is the process
SHELL_SYNTAX = lazy_pattern(r"[;&|<>()`$\n]")
_PLAIN = lazy_pattern(r"""[^ \t\r\n'"\\]*""")
_PLAIN_COMMENTS = lazy_pattern(r"""[^ \t\r\n'"\\#]*""")
#: runs of characters inside double quotes up to the closing quote or a backslash
_IN_DOUBLE = lazy_pattern(r'[^"\\]*')


def split(text: str, *, comments: bool = False, whole: Callable[[str], Jinja] | None = None) -> list[str]:
    """The words of ``text`` (:func:`shell_words`), at whitespace when the shell would refuse it.

    ``whole`` finds text that stays inside one word whatever it holds (template placeholders such as
    ``{{ app }}``, which may hold spaces and quotes): a :class:`Jinja` of the text.
    """
    found: list[str] = []

    def hide(span: str, _start: int, _end: int) -> str:
        found.append(span)
        return f"\x00{len(found) - 1}\x00"

    hidden = whole(text).sub(hide) if whole is not None else text
    words = shell_words(hidden, comments=comments)
    if words is None:
        words = hidden.split()
    if not found:
        return words
    return [re.sub(r"\x00(\d+)\x00", lambda m: found[int(m.group(1))], word) for word in words]


def split_with_spans(text: str) -> list[tuple[str, int, int]]:
    """Split like ``shlex.split`` (POSIX, no comments) and keep each word's span in ``text``.

    Unbalanced quotes end the word at the end of the text rather than failing:
    supervisord would refuse to start, but the rest of the file is still worth reading.  A template's Jinja
    statement or placeholder, or ERB tag (``<%= @workers %>``), stays one word whatever it holds; an ``{% if %}``
    block whose end tag is on a later line takes the rest of its line (:class:`Jinja`'s ``open_blocks``).
    """
    words: list[tuple[str, int, int]] = []
    index, length = 0, len(text)
    jinja = Jinja(text, open_blocks=True)
    while index < length:
        while index < length and text[index].isspace():
            index += 1
        if index >= length:
            break
        start = index
        word: list[str] = []
        while index < length and not text[index].isspace():
            char = text[index]
            statement = jinja.at(index) if text.startswith(("{%", "{#"), index) else None
            if statement is not None:  # a Jinja statement: one unknown word, whatever it holds; a comment: nothing
                if text[index + 1] != "#":
                    word.append(" ".join(text[index:statement].split()))
                index = statement
            elif text.startswith("{{", index):
                end = text.find("}}", index + 2)
                end = length if end < 0 else end + 2
                word.append(re.sub(r"\s+", "", text[index:end]))
                index = end
            elif text.startswith("<%", index):  # an ERB tag (``<%= @workers %>``): one word, set when rendered
                end = text.find("%>", index + 2)
                end = length if end < 0 else end + 2
                word.append(" ".join(text[index:end].split()))
                index = end
            elif char == "'":
                end = text.find("'", index + 1)
                end = length if end < 0 else end
                word.append(text[index + 1:end])
                index = end + 1
            elif char == '"':
                index += 1
                while index < length and text[index] != '"':
                    if text[index] == "\\" and index + 1 < length and text[index + 1] in '"\\$`\n':
                        index += 1
                    word.append(text[index])
                    index += 1
                index += 1
            elif char == "\\" and index + 1 < length:
                word.append(text[index + 1])
                index += 2
            else:
                word.append(char)
                index += 1
        if word or not jinja_comments_only(text[start:index]):  # a Jinja comment alone renders no word
            words.append(("".join(word), start, min(index, length)))
    return words
