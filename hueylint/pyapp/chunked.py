"""``ast.parse`` of a large module a run of top-level statements at a time, for a bounded peak of memory.

CPython's parser holds its tokens and memo tables for the whole text until it returns: a 1.7 MB settings
module of 80,000 lines peaked at 410 MB RSS to build a 170 MB tree (an untrusted tree may commit a module of
up to 2 MiB, and settings modules of tens of thousands of lines exist).  Parsing top-level statements in runs
of about :data:`CHUNK` characters and joining their bodies builds the same tree (every line number moved back
to where it is in the file by parsing the run after as many empty lines as the text has above it; columns
unchanged: each run starts at a line start) with the parser's working memory of one run only.

A run boundary is a line that starts at column 0 with a name (``X = 1``, ``def``, ``class``, ``import``) and
is no continuation of the statement above (``else``, ``elif``, ``except``, ``finally``).  A boundary inside a
string, brackets or a backslash continuation leaves the run before it unterminated, a SyntaxError: the run
is then extended to the next boundary.  Whatever this cannot read as ``ast.parse`` does (a syntax error
anywhere, a ``from __future__`` import after the first run, a lone carriage return, which Python counts as a
line break and this does not) is parsed whole, so errors are exactly ``ast.parse``'s.
"""

from __future__ import annotations

import ast
import re
import warnings

from hueylint.regexes import lazy_pattern

#: texts longer than this (characters) are parsed in runs; shorter ones whole
LARGE = 256 * 1024
#: the length of a run of statements (characters), at least
CHUNK = 32 * 1024

_BOUNDARY = lazy_pattern(r"^(?=[A-Za-z_])(?!(?:else|elif|except|finally)\b)", re.M)


def parse(text: str) -> ast.Module:
    """``ast.parse(text)``: the same tree (``ast.dump(..., include_attributes=True)`` equal) and the same
    errors; a text longer than :data:`LARGE` in runs of statements (see the module).  The parser's warnings
    about the scanned text (``invalid escape sequence '\\d'``, a SyntaxWarning from Python 3.12) are not
    printed: they would reach the user's terminal with the text's characters, at lines of no file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if len(text) <= LARGE or "\r" in text.replace("\r\n", ""):
            return ast.parse(text)
        module = _parse_runs(text)
        return module if module is not None else ast.parse(text)


def _parse_runs(text: str) -> ast.Module | None:
    """The module of ``text`` parsed run by run, or None when a run cannot be told apart (see the module)."""
    starts = [match.start() for match in _BOUNDARY.finditer(text) if match.start() > 0] + [len(text)]
    body: list[ast.stmt] = []
    begin, line, index = 0, 0, 0
    while begin < len(text):
        while starts[index] - begin < CHUNK and starts[index] < len(text):
            index += 1
        while True:
            end = starts[index]
            try:  # the lines above as empty ones: the parser numbers the run's lines (ast.increment_lineno,
                # a walk of every node in Python, took 3 times as long as the parse: 1.1 s of ciso's 714 KB views)
                run = ast.parse("\n" * line + text[begin:end])
                break
            except SyntaxError:
                if end >= len(text):
                    return None  # an error of the text itself (or of a boundary never found): ast.parse says it
                grown = end + (end - begin)  # at least double the run: linear however many boundaries fail
                while starts[index] < grown and starts[index] < len(text):
                    index += 1
        if begin and any(isinstance(node, ast.ImportFrom) and node.module == "__future__" for node in run.body):
            return None  # only allowed at the top of the file: ast.parse refuses it
        body += run.body
        line += text.count("\n", begin, end)
        begin = end
    return ast.Module(body=body, type_ignores=[])
