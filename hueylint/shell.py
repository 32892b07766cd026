"""A tolerant shell-script reader for HL201, built on tree-sitter-bash.

Why tree-sitter (measured, not assumed): on seven realistic entrypoints
(cookiecutter-django's ``python << END`` heredoc + ``exec "$@"``, a
docker-library style ``set -- huey_consumer "$@"`` + ``case "$1" in worker)``
dispatcher, a ``[[ "$ROLE" == "worker" ]]`` chooser, ``run_huey &`` +
``exec gunicorn``, a ``function f {}`` / ``ARGS=("$@")`` script, a heredoc
that writes a supervisord config next to ``declare -a opts=(...)``, and a
``trap``/``wait`` forwarder) bashlex 0.18 raised on 4 of 7 (``case`` patterns:
NotImplementedError; ``[[ ]]`` and array assignments: ParsingError) and an
exception loses the whole file.  tree-sitter-bash parsed all seven without an
ERROR node and with the structure HL201 needs (``case_item``,
``elif_clause``, ``heredoc_body`` kept out of the command list, ``array``),
plus exact row/column for every word.  On broken scripts (unterminated quote,
unclosed function) bashlex raises; tree-sitter returns the commands before
the damage and the ERROR position, which is what bash itself would have run.
Comments are nodes of their own, so a commented-out ``# huey_consumer ...``
is never a command.

:func:`parse_script` flattens a script into the simple commands it can run,
each with what HL201 needs to judge it: the words (quotes removed, with
positions), ``exec``, background ``&``, pipeline/subshell, whether it is the
last thing its path runs, and the branch conditions that lead to it.  Commands
in a function are listed at each call site, where ``start_worker &``
backgrounds them.  This module imports tree_sitter and is only imported
lazily by :mod:`hueylint.chain`.

Besides commands it records, in the same source order (``seq``), the
assignments (:class:`Assignment`) and the loops over the arguments
(:class:`ArgLoop`) that :mod:`hueylint.shell_eval` replays to know what a
variable or ``"$@"`` holds at a command.  Where tree-sitter-bash rejects what
bash accepts (``f() { if x; then y; fi }``), the script is parsed again after
same-length rewrites (:data:`_NORMALISATIONS`), kept only when they parse.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import replace
from functools import cached_property, lru_cache
from typing import Any

from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.words import SHEBANG_SHELLS

FORWARD_FORMS = frozenset({"$@", "${@}", "$*", "${*}"})
_EXIT_LIKE = frozenset({"exit"})
_LOOPS = frozenset({"while_statement", "until_statement", "for_statement", "c_style_for_statement"})
_SEQUENCES = frozenset({"program", "compound_statement", "do_group"})
_STATEMENTS = frozenset({"command", "redirected_statement", "list", "pipeline", "subshell", "compound_statement",
                         "negated_command", "if_statement", "case_statement", "while_statement",
                         "until_statement", "for_statement", "c_style_for_statement"})
#: loop tests on the argument count or the first argument: ``[[ $# -gt 0 ]]``, ``[ -n "$1" ]``, ``(( $# ))``
_ARG_TEST = lazy_pattern(r'^(?:\[\[?|test)\s+(?:"?\$\{?#\}?"?\s+(?:-gt|-ne|!=|>)\s+"?0"?|-n\s+"?\$\{?1\}?"?)\s*\]?\]?;?$'
                       r'|^\(\(\s*\$?#\s*(?:>\s*0\s*)?\)\);?$|^(?:true|:);?$')
#: ``while getopts ":w:q" opt`` (the spec, quoted or not)
_GETOPTS = lazy_pattern(r"""^getopts\s+("[^"]*"|'[^']*'|\S+)\s+\w+;?$""")
#: commands a parsing loop may run without changing its arguments or the variables followed
_SIDE_EFFECT_FREE = frozenset({"echo", "printf", "true", ":", "test", "[", "[[", "sleep"})
_EXPANSIONS = frozenset({"simple_expansion", "expansion", "command_substitution", "arithmetic_expansion",
                         "process_substitution", "brace_expression"})


@dataclass(frozen=True, slots=True)
class Word:
    """One shell word: ``text`` has quotes removed but expansions kept as written (``$ROLE``)."""

    text: str
    literal: bool
    line: int  # 1-based
    col: int  # 1-based, in characters
    end_line: int
    end_col: int  # exclusive
    quoted: bool = False  # wholly inside quotes: an expansion in it is not split into several words


@dataclass(frozen=True)
class Guard:
    """A branch condition simple enough to evaluate: ``subject`` matches one of ``patterns`` (globs)
    and none of ``excluded`` (earlier ``case`` items / ``if`` tests on the same subject).

    ``case "$1" in worker)`` -> Guard("$1", ("worker",)); ``[ "$1" != web ]`` -> Guard("$1", ("*",), ("web",)).
    """

    subject: str
    patterns: tuple[str, ...] = ("*",)
    excluded: tuple[str, ...] = ()
    level: int = 0  # how many ``conditions`` enclose the test itself (shifts before it apply)
    regex: str = ""  # ``[[ $X =~ ^(false|0)$ ]]``: an extended regular expression searched in the value
    regex_excluded: str = ""  # the ``else`` of such a test: the value must not match it
    # the function whose arguments ``$1`` means in the test ("": the script's): a test in a function body
    # reads the function's own, a test around the call (``case "$1" in worker) start_worker ;;``) and a
    # test in a function called with the script's (``main "$@"``) read the script's
    function: str = ""
    seq: int = 0  # where the test runs among the script's steps (``Command.seq``): before its branch's body
    # a value this regular expression finds decides nothing (``[[ $X -eq 1 ]]`` reads its operands as arithmetic:
    # "010" is octal 8, "true" the value of a variable named true)
    undecided: str = ""

    def decides(self, value: str) -> bool:
        """The test's outcome for ``value`` is known here (then :meth:`admits` tells it)."""
        return not (self.undecided and re.search(self.undecided, value))

    def admits(self, value: str) -> bool:
        from fnmatch import fnmatchcase

        if self.regex or self.regex_excluded:
            try:
                return (not self.regex or re.search(self.regex, value) is not None) and \
                    not (self.regex_excluded and re.search(self.regex_excluded, value))
            except re.error:  # a POSIX ERE Python reads differently: the branch may run
                return True
        return any(fnmatchcase(value, p) for p in self.patterns) and \
            not any(fnmatchcase(value, p) for p in self.excluded)


@dataclass(frozen=True)
class Command:
    """A simple command as one path of the script would run it.

    ``last`` is True when nothing but ``exit`` can run after it in the same
    shell; ``conditions`` are the enclosing branches, outermost first, as the
    user wrote them (``case "$1" in worker)``).
    """

    words: tuple[Word, ...]  # from the command name on; ``exec`` included
    line: int
    col: int
    exec: bool = False
    background: bool = False
    last: bool = False
    pipeline: bool = False
    subshell: bool = False
    loop: bool = False
    grouped: bool = False  # inside a ``{ ...; }`` group
    redirected: bool = False  # its own or an enclosing statement's redirections (``cmd 2>&1``, ``{ ...; } > log``)
    maybe: bool = False  # on the right of ``&&``/``||``: runs only when the command before it says so
    conditions: tuple[str, ...] = ()
    function: str = ""  # the function whose body this command is in
    call_site: Word | None = None  # where that function was called
    assignments: tuple[str, ...] = ()  # ``FOO=bar`` prefixes
    op_after: str = ""  # ``&&`` / ``||`` when the command is the left side of a list
    recovered: bool = False  # inside a region tree-sitter could not parse: bash would refuse to run it
    guards: tuple[Guard, ...] = ()  # the evaluable part of ``conditions``
    # (which ``if``/``case`` statement and call, which of its clauses) for each enclosing branch: two
    # commands in different clauses of one statement never both run (:func:`hueylint.model.exclusive`)
    choices: tuple[tuple[tuple[int, int], int], ...] = ()
    seq: int = 0  # position among every command, assignment and loop of the script (source order per path)
    loops: tuple[int, ...] = ()  # the ``seq`` of every loop the command is inside, outermost first
    # what it reads on its standard input from its own or an enclosing statement's here-document (the body, as
    # written) or here-string (its word): the commands ``bash -s <<EOF`` runs
    stdin: Word | None = None
    # (the pipeline, which of its parts) for each pipeline the command is in, outermost first: the parts before
    # its own in the innermost one write what it reads (``echo '@reboot huey_consumer app.huey' | crontab -``)
    pipes: tuple[tuple[int, int], ...] = ()
    # the files its standard output is redirected to (``> FILE``, ``>> FILE``, its own or an enclosing statement's;
    # literal paths only): ``echo '* * * * * root huey_consumer app.huey' > /etc/cron.d/huey``
    writes: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.words[0].text if self.words else ""

    @property
    def argv(self) -> tuple[Word, ...]:
        """The words after ``exec`` and its options (``exec -a name cmd``)."""
        words = self.words
        if not self.exec:
            return words
        index = 1
        while index < len(words) and words[index].text.startswith("-") and words[index].text != "-":
            index += 2 if words[index].text == "-a" else 1
        return words[index:]

    @property
    def branch(self) -> str:
        return "; ".join(self.conditions)

    @property
    def same_process(self) -> bool:
        """The command runs in the script's own process (so ``exec`` replaces the script)."""
        return not (self.background or self.pipeline or self.subshell)


@dataclass(frozen=True)
class Assignment:
    """``NAME=value`` run as a statement of its own (also ``export``/``readonly``/``declare``/``local``).

    ``value`` is None for ``export NAME`` (no value given) and for arrays; ``items`` are an array's words
    (``NAME=(-w 2 "$X")``: bash expands each as a command word), ``append`` is ``NAME+=...`` (bash adds the
    value to the string or the words to the array); ``forward`` is True for ``NAME="$@"`` / ``NAME=("$@")``.
    Placement fields mirror :class:`Command`.
    """

    name: str
    value: Word | None
    seq: int
    line: int
    declared: bool = False  # export/readonly/declare/local without ``=``: keeps the current value
    local: bool = False
    forward: bool = False
    conditions: tuple[str, ...] = ()
    choices: tuple[tuple[tuple[int, int], int], ...] = ()
    loops: tuple[int, ...] = ()
    function: str = ""
    same_process: bool = True
    maybe: bool = False  # on the right of ``&&``/``||``: runs only when the test before it says so
    items: tuple[Word, ...] | None = None
    append: bool = False
    guards: tuple[Guard, ...] = ()  # the evaluable part of ``conditions``
    exported: bool = False  # ``export NAME[=value]`` / ``declare -x``: the programs the script runs get it


@dataclass(frozen=True)
class LoopAction:
    """One step of an argument-parsing loop's body, in order.

    ``kind`` is ``shift`` (``arg``: the count as written), ``assign`` (``arg``: the name, ``value``: the
    word), ``break``, ``continue``, ``exit``, ``case`` (``items``: the ``case "$1"`` clauses), ``other``
    (a command that changes neither the arguments nor a variable) or ``unknown`` (anything else: the
    simulation stops if a run reaches it).
    """

    kind: str
    arg: str = ""
    value: Word | None = None
    items: tuple[tuple[tuple[str, ...], tuple["LoopAction", ...]], ...] = ()
    words: tuple[Word, ...] | None = None  # ``assign`` of an array: its items (``EXTRA+=("$1")``)
    append: bool = False  # ``assign`` with ``+=``


@dataclass(frozen=True)
class ArgLoop:
    """``while [[ $# -gt 0 ]]; do case "$1" in ...) shift ;; esac; done``: a loop over the arguments.

    ``body`` is None when the loop is not one over the arguments (its test is not about ``$#``/``$1``, or
    ``true``/``:``; or it has no ``case "$1"``).
    """

    seq: int
    condition: str
    body: tuple[LoopAction, ...] | None
    getopts: str = ""  # ``while getopts "w:q" opt``: the option spec (the loop only sets OPTIND here)
    conditions: tuple[str, ...] = ()
    choices: tuple[tuple[tuple[int, int], int], ...] = ()
    loops: tuple[int, ...] = ()
    same_process: bool = True
    counted: bool = False  # a ``while`` testing ``$#``/``$1`` (or ``true``/``:``), whatever its body


@dataclass(frozen=True)
class Script:
    """A parsed shell script (or ``-c`` string): its commands in source order with their conditions, the
    functions it defines, its assignments and argument loops; ``errors`` and ``too_deep`` say what
    tree-sitter could not parse (line, col, 1-based)."""

    text: str
    shebang: str = ""
    interpreter: str = ""  # ``bash`` for ``#!/usr/bin/env bash``; "" without a shebang
    commands: tuple[Command, ...] = ()
    functions: frozenset[str] = frozenset()
    forward_vars: frozenset[str] = frozenset()  # variables assigned ``"$@"``
    errors: tuple[tuple[int, int], ...] = ()  # (line, col) of ERROR / missing nodes
    # a script nested too deeply to walk (RecursionError): (line, col) of its first construct deeper than
    # MAX_NESTING; the script then has no commands
    too_deep: tuple[int, int] | None = None
    assignments: tuple[Assignment, ...] = ()
    arg_loops: tuple[ArgLoop, ...] = ()

    @cached_property
    def lines(self) -> list[str]:
        """The script's text split at newlines (read-only: shared by every caller)."""
        return self.text.split("\n")

    @property
    def is_shell(self) -> bool:
        """True unless the shebang names a non-shell interpreter (python, execlineb ...)."""
        return not self.interpreter or self.interpreter in SHEBANG_SHELLS

    @property
    def error(self) -> tuple[int, int] | None:
        return self.errors[0] if self.errors else None


@dataclass(frozen=True)
class _Ctx:
    """Where the walk of a script's syntax tree is: the conditions, loops, pipelines, functions and
    redirections around the command being read."""

    conditions: tuple[str, ...] = ()
    background: bool = False
    pipeline: bool = False
    subshell: bool = False
    loop: bool = False
    grouped: bool = False
    redirected: bool = False
    function: str = ""
    call_site: Word | None = None
    calls: tuple[str, ...] = ()
    recovered: bool = False
    guards: tuple[Guard, ...] = ()
    choices: tuple[tuple[tuple[int, int], int], ...] = ()
    loops: tuple[int, ...] = ()
    maybe: bool = False  # the right side of ``&&``/``||``: may not run
    args_of: str = ""  # the function whose positional parameters ``$1`` means here ("": the script's)
    stdin: Word | None = None  # a here-document's body or here-string's word redirected to the statement
    pipes: tuple[tuple[int, int], ...] = ()  # (pipeline's start byte, part) of each enclosing pipeline
    writes: tuple[str, ...] = ()  # the files standard output is redirected to

    def choose(self, node: Any, clause: int) -> tuple[tuple[tuple[int, int], int], ...]:
        """The choices inside clause ``clause`` of the ``if``/``case`` ``node`` (per function call)."""
        call = self.call_site.line * 10000 + self.call_site.col if self.call_site is not None else 0
        return self.choices + (((node.start_byte, call), clause),)


@lru_cache(maxsize=1)
def _parser() -> Any:
    import tree_sitter_bash
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_bash.language()))


def shebang_interpreter(first_line: str) -> str:
    """``#!/usr/bin/env -S bash -e`` -> ``bash``; ``#!/command/with-contenv sh`` -> ``sh``."""
    if not first_line.startswith("#!"):
        return ""
    parts = first_line[2:].split()
    while parts and os.path.basename(parts[0]) in ("env", "with-contenv") or (parts and parts[0].startswith("-")):
        parts = parts[1:]
    return os.path.basename(parts[0]) if parts else ""


_SUBSTITUTION = lazy_pattern(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?:\[[^]\n]*\])?//?")


def _mask_substitution_quotes(source: bytes) -> bytes:
    """``${PATH//'/root/bin:'/''}`` with the ``/`` inside its quotes blanked (same length, same positions).

    tree-sitter-bash 0.2x turns a ``/`` inside a quoted pattern of a ``${var/pattern/string}`` substitution
    into an ERROR that swallows the rest of the file, though bash runs it (field: rockstor-core's
    build.sh).  A substitution's value is never a literal word for the chain, so its text can be blanked.
    """
    text = source.decode("utf-8", "surrogateescape")
    out = list(text)
    for match in _SUBSTITUTION.finditer(text):
        i, depth, quote = match.end(), 1, ""
        while i < len(text) and depth and text[i] != "\n":
            char = text[i]
            if quote:
                if char == quote:
                    quote = ""
                elif char == "/":
                    out[i] = "_"
            elif char in "'\"":
                quote = char
            elif char == "\\":
                i += 1
            elif char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            i += 1
    return "".join(out).encode("utf-8", "surrogateescape")


_HEREDOC_BACKGROUND = lazy_pattern(rb"<<-?[ \t]*(['\"]?)[A-Za-z_][A-Za-z0-9_]*\1[^\n&|;#]*?[ \t]&(?=[ \t]*(?:#[^\n]*)?$)",
                                 re.M)


def _mask_heredoc_background(source: bytes) -> bytes:
    """``python << EOF &`` with the ``&`` blanked (same length, same positions).

    tree-sitter-bash 0.2x cannot parse a here-document whose command line ends with ``&`` and marks the
    rest of the statement as an ERROR, though bash runs it (field: Pioreactor/CustoPiZer's everyboot.sh
    starts a Python LED blinker that way).  The command is then read as a foreground one: it is never the
    consumer (a consumer does not read its program from stdin), and a command before or after the
    consumer decides nothing about it that running in the background would change.
    """
    if b"<<" not in source:
        return source
    return _HEREDOC_BACKGROUND.sub(lambda m: m.group(0)[:-1] + b" ", source)


#: a compound command's closing word (``fi``, ``done``, ``esac``, ``}``) at the start of a command, then blanks
#: and the ``}`` that closes a group: bash and dash accept ``f() { if x; then y; fi }``, tree-sitter-bash
#: 0.2x wants a ``;`` before that ``}``.
_CLOSER_THEN_BRACE = lazy_pattern(rb"((?:^|[;&|\n])[ \t]*(?:fi|done|esac|\})[ \t]*)[ \t](\})", re.M)


def _brace_after_closer(source: bytes) -> bytes:
    """``fi }`` -> ``fi;}`` (same length, same positions), where a group's ``}`` follows a closing word."""
    previous = None
    while previous != source:  # ``fi } }``: each replacement can expose the next
        previous = source
        source = _CLOSER_THEN_BRACE.sub(lambda m: m.group(1) + b";" + m.group(2), source)
    return source


#: ``!`` opening a command that is only a redirection (``while !</dev/tcp/db/5432; do sleep 1; done``, the
#: wait-for-a-port idiom): at the start of a command, or after a word that opens one
_NEGATED_REDIRECTION = lazy_pattern(rb"((?:^|[;&|(){}\n])[ \t]*|\b(?:while|until|if|elif|then|do|else|time)[ \t]+)!"
                                  rb"(?=[ \t]*(?:[0-9]*[<>]|&>))", re.M)


def _unnegate_redirection(source: bytes) -> bytes:
    """``!</dev/tcp/db/5432`` -> `` </dev/tcp/db/5432`` (same length, same positions).

    bash runs a command made only of redirections, and ``!`` negates its status; tree-sitter-bash 0.2x marks
    a negated one as an ERROR (field: lotrekagency's acdc and handyman entrypoints wait for Postgres with
    ``while !</dev/tcp/$DB_HOST/5432; do sleep 1; done``).  Without the ``!`` the loop is the same commands
    in the same places: only its test's outcome is inverted, which decides nothing the chain reads."""
    if b"!" not in source:
        return source
    return _NEGATED_REDIRECTION.sub(lambda m: m.group(1) + b" ", source)


_BRACKET_COMMAND_WORD = lazy_pattern(rb"((?:^|[;&|(){}]|\b(?:then|do|else))[ \t]*)\[(?=[^\s\[\]])", re.M)


def _unbracket_command_word(source: bytes) -> bytes:
    """``["huey_consumer", "app.huey"]`` -> ``_"huey_consumer", "app.huey"]`` (same length, same positions).

    A command word starting with ``[`` glued to more text is an ordinary word to bash (a glob without its closing
    ``]`` there, so itself: ``sh: 1: [huey_consumer,: not found``), as Docker runs an exec form that is not JSON
    through ``/bin/sh -c``; tree-sitter-bash 0.2x takes the ``[`` for the start of a ``[ ... ]`` test and marks
    the line an ERROR, which bash never reports (HL002 says what the line does)."""
    if b"[" not in source:
        return source
    return _BRACKET_COMMAND_WORD.sub(lambda m: m.group(1) + b"_", source)


#: Rewrites tried, in order, when tree-sitter-bash rejects a script that bash may accept.  Each keeps the
#: length and every position, and is only kept when tree-sitter then accepts the whole script.
_NORMALISATIONS = (_mask_substitution_quotes, _brace_after_closer, _mask_heredoc_background, _unnegate_redirection,
                   _unbracket_command_word)


def parse_script(text: str) -> Script:
    """Parse ``text`` as a shell script; never raises on broken input."""
    source = text.encode("utf-8", "surrogateescape")
    tree = _parser().parse(source)
    if tree.root_node.has_error:
        candidate = source
        for normalise in _NORMALISATIONS:
            changed = normalise(candidate)
            if changed == candidate:
                continue
            candidate = changed
            retry = _parser().parse(candidate)
            if not retry.root_node.has_error:
                source, tree = candidate, retry
                break
    walker = _Walker(source)
    first = text.split("\n", 1)[0]
    try:
        walker.collect_definitions(tree.root_node)
        walker.sequence(_statements(tree.root_node), _Ctx(), tail=True)
    except RecursionError:  # the walk recurses per construct (an `if`, a subshell, an `&&`): far too deep
        deep = _too_deep(tree.root_node) or (0, 0)
        return Script(text=text, shebang=first if first.startswith("#!") else "",
                      interpreter=shebang_interpreter(first), too_deep=(deep[0] + 1, walker._col(*deep)))
    errors = tuple(walker.errors(tree.root_node))
    commands = tuple(walker.commands)
    if errors:
        refused = _refused_from(tree.root_node, errors[0][0])
        commands = tuple(command if command.recovered or (command.call_site or command).line < refused
                         else replace(command, recovered=True) for command in commands)
    return Script(
        text=text,
        shebang=first if first.startswith("#!") else "",
        interpreter=shebang_interpreter(first),
        commands=commands,
        functions=frozenset(walker.functions),
        forward_vars=frozenset(walker.forward_vars),
        errors=errors,
        assignments=tuple(walker.assignments),
        arg_loops=tuple(walker.arg_loops),
    )


MAX_STEPS = 20_000
"""Commands and assignments a script may unfold to: each call of a function walks its body again, so
``f1() { f2; f2; }; f2() { f3; f3; }; ...`` doubles per level (25 levels: 33 million); past this many
steps a call is kept as a plain command, not followed into its body."""

MAX_NESTING = 100
"""Syntax-tree levels (an ``if`` is one, a ``while``, ``$(...)`` or ``&&`` two): a script too deep for the
walk is reported (HL001) at the first construct past this depth."""


def _too_deep(root: Any) -> tuple[int, int] | None:
    """The (row, byte column) where the syntax tree first goes deeper than :data:`MAX_NESTING` (in source
    order), or None; iterative, so any depth is measured without recursion."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            return node.start_point[0], node.start_point[1]
        stack.extend((child, depth + 1) for child in reversed(node.children))
    return None


def _statements(node: Any) -> list[Any]:
    """Named children that are statements (no comments, no keywords)."""
    return [c for c in node.named_children if c.type not in ("comment", "heredoc_body")]


def _piped_after_heredoc(node: Any) -> Any:
    """The pipeline written after a here-document's delimiter on its line (``cat <<EOF | crontab -``), which
    tree-sitter-bash parses as a child of the ``heredoc_redirect``; None when there is none."""
    for child in node.children:
        if child.type == "heredoc_redirect":
            found = next((c for c in child.named_children if c.type == "pipeline"), None)
            if found is not None:
                return found
    return None


def char_starts(line: bytes) -> list[int] | bytes | None:
    """The byte offset where each character of a UTF-8 line starts; None for an ASCII line (a byte is a
    character); the line itself when it is not valid UTF-8 (its columns are then decoded per point)."""
    if line.isascii():
        return None
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return line
    return [index for index, byte in enumerate(line) if byte & 0xC0 != 0x80]


class _Walker:
    """Walks the tree once, emitting :class:`Command` records in source order."""

    def __init__(self, source: bytes) -> None:
        self.source = source
        self.lines = source.split(b"\n")
        self.char_starts: dict[int, Any] = {}  # row -> character start offsets (None: ASCII), see _col
        self.commands: list[Command] = []
        self.functions: dict[str, Any] = {}
        self.forward_vars: set[str] = set()
        self.assignments: list[Assignment] = []
        self.arg_loops: list[ArgLoop] = []
        self.seq = 0
        self.locals: dict[str, set[str]] = {}  # function -> the names its body declared local so far

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    # -- positions and words -------------------------------------------
    def _col(self, row: int, byte_col: int) -> int:
        """1-based character column of a tree-sitter (row, byte) point.  Each line's character starts are
        computed once (none for an ASCII line), so a line of n words costs O(n log n), not O(n^2)."""
        starts = self.char_starts.get(row, False)
        if starts is False:
            starts = self.char_starts[row] = char_starts(self.lines[row] if row < len(self.lines) else b"")
        if starts is None:
            return byte_col + 1
        if isinstance(starts, bytes):
            return len(starts[:byte_col].decode("utf-8", "replace")) + 1
        return bisect.bisect_left(starts, byte_col) + 1

    def text(self, node: Any) -> str:
        return self.source[node.start_byte:node.end_byte].decode("utf-8", "replace")

    def word(self, node: Any) -> Word:
        text, literal = _unquote(node, self)
        return Word(text, literal, node.start_point[0] + 1, self._col(*node.start_point),
                    node.end_point[0] + 1, self._col(*node.end_point),
                    quoted=node.type in ("string", "raw_string", "ansi_c_string", "translated_string"))

    def errors(self, root: Any) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        stack = [root]
        while stack and len(found) < 20:
            node = stack.pop()
            if node.type == "ERROR" or node.is_missing:
                point = _error_point(node)
                found.append((point[0] + 1, self._col(*point)))
                continue
            if node.has_error:
                stack.extend(reversed(node.children))
        return sorted(found)

    # -- definitions -----------------------------------------------------
    def collect_definitions(self, root: Any) -> None:
        """Functions (by name) and variables that capture the script's arguments, anywhere."""
        stack = [root]
        while stack:
            node = stack.pop()
            if node.type == "function_definition":
                name = node.child_by_field_name("name")
                body = node.child_by_field_name("body")
                if name is not None and body is not None:
                    self.functions[self.text(name)] = body
            elif node.type == "variable_assignment":
                self._forward_assignment(node)
            stack.extend(node.named_children)

    def _forward_assignment(self, node: Any) -> None:
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if name is None or value is None or _appends(node):
            return
        if value.type == "array":
            parts = value.named_children
            if len(parts) == 1 and _unquote(parts[0], self)[0] in FORWARD_FORMS:
                self.forward_vars.add(self.text(name))
        elif _unquote(value, self)[0] in FORWARD_FORMS:
            self.forward_vars.add(self.text(name))

    # -- control flow ------------------------------------------------------
    def sequence(self, nodes: list[Any], ctx: _Ctx, tail: bool) -> None:
        """Statements run one after the other; ``&`` after one backgrounds it."""
        nodes = [n for n in nodes if n.type != "function_definition"]
        # whether every statement after each one is an exit, from the end (slicing the rest for each
        # statement was quadratic: a 1.5 MB script of 300,000 lines took 100 s)
        rest_is_exit = [True] * len(nodes)
        for index in range(len(nodes) - 2, -1, -1):
            rest_is_exit[index] = rest_is_exit[index + 1] and self._is_exit(nodes[index + 1])
        for index, node in enumerate(nodes):
            background = node.next_sibling is not None and node.next_sibling.type == "&"
            sub = replace(ctx, background=True) if background else ctx
            self.statement(node, sub, tail and rest_is_exit[index] and not background)

    def _is_exit(self, node: Any) -> bool:
        if node.type == "redirected_statement":
            node = node.named_children[0] if node.named_children else node
        if node.type != "command":
            return False
        name = node.child_by_field_name("name")
        return name is not None and self.text(name) in _EXIT_LIKE

    def statement(self, node: Any, ctx: _Ctx, tail: bool) -> None:
        kind = node.type
        if kind == "command":
            self.command(node, ctx, tail)
        elif kind == "redirected_statement":
            body = node.child_by_field_name("body")
            piped = _piped_after_heredoc(node)
            if body is not None and piped is not None:
                # `cat <<EOF | crontab -`: tree-sitter keeps the pipe's other parts inside the here-document's
                # redirection; the statement is a pipeline whose first part reads the here-document
                def part(index: int) -> _Ctx:
                    return replace(ctx, pipeline=True, pipes=ctx.pipes + ((node.start_byte, index),))

                self.statement(body, replace(part(0), redirected=True, stdin=self._stdin(node) or ctx.stdin,
                                             writes=self._writes(node) or ctx.writes), False)
                for index, later in enumerate(_statements(piped), start=1):
                    self.statement(later, part(index), False)
            elif body is not None:
                self.statement(body, replace(ctx, redirected=True, stdin=self._stdin(node) or ctx.stdin,
                                             writes=self._writes(node) or ctx.writes), tail)
        elif kind == "list":
            self.list_(node, ctx, tail)
        elif kind == "pipeline":
            for index, part in enumerate(_statements(node)):
                self.statement(part, replace(ctx, pipeline=True, pipes=ctx.pipes + ((node.start_byte, index),)),
                               False)
        elif kind == "subshell":
            self.sequence(_statements(node), replace(ctx, subshell=True), tail)
        elif kind in _SEQUENCES:
            self.sequence(_statements(node), replace(ctx, grouped=True) if kind == "compound_statement" else ctx, tail)
        elif kind == "ERROR":
            # tree-sitter's recovery keeps the well-formed commands inside the error region;
            # nothing there can be proven last, so none is ``last``.
            # Statements before the point where the region goes wrong are whole (bash runs them);
            # the ones after are tree-sitter's guesses (bash would stop at the syntax error).
            point = _error_point(node)
            for child in (c for c in _statements(node) if c.type in _STATEMENTS):
                after = child.start_point >= point
                self.sequence([child], replace(ctx, recovered=ctx.recovered or after), False)
        elif kind == "negated_command":
            for part in _statements(node):
                self.statement(part, ctx, False)
        elif kind == "if_statement":
            self.if_(node, ctx, tail)
        elif kind == "case_statement":
            self.case(node, ctx, tail)
        elif kind in _LOOPS:
            body = node.child_by_field_name("body")
            if body is not None:
                seq = self.next_seq()
                if kind in ("while_statement", "until_statement"):
                    self.arg_loops.append(self._arg_loop(node, body, seq, ctx))
                self.sequence(_statements(body), replace(ctx, loop=True, loops=ctx.loops + (seq,)), False)
        elif kind in ("variable_assignment", "variable_assignments", "declaration_command"):
            self.assign(node, ctx)
        elif kind == "unset_command" and node.children:  # tree-sitter's own node for ``unset NAME...``
            self._simple([self.word(node.children[0]), *(self.word(c) for c in node.named_children)], (), ctx, tail)

    # -- variables -------------------------------------------------------------
    def assign(self, node: Any, ctx: _Ctx) -> None:
        """Record ``NAME=value`` statements (and ``export``/``local`` ... forms) in source order."""
        keyword = node.children[0].type if node.type == "declaration_command" and node.children else ""
        parts = [node] if node.type == "variable_assignment" else list(node.named_children)
        # ``declare -A`` (items in hash order), ``-n`` (a reference to another name), ``-i`` (arithmetic), ``-l``/
        # ``-u``/``-c`` (case changed): values bash computes, unknown here
        computed = any(part.type == "word" and re.fullmatch(r"[-+]\w*[Ainluc]\w*", self.text(part))
                       for part in parts)
        # ``declare``/``typeset`` in a function body make the name local like ``local``, unless ``-g`` (bash(1))
        local = keyword == "local" or keyword in ("declare", "typeset") and bool(ctx.function) and not any(
            part.type == "word" and re.fullmatch(r"-\w*g\w*", self.text(part)) for part in parts)
        exported = keyword == "export" or keyword in ("declare", "typeset", "local") and any(
            part.type == "word" and re.fullmatch(r"-\w*x\w*", self.text(part)) for part in parts)
        for part in parts:
            if keyword and part.type in _EXPANSIONS | {"string", "concatenation"}:
                self._assignment("*", None, ctx)  # ``export $(cat .env | xargs)``: any name
            elif part.type == "variable_name" and keyword:
                self._assignment(self.text(part), None, ctx, declared=True, local=local, exported=exported)
            elif part.type == "variable_assignment":
                name = part.child_by_field_name("name")
                value = part.child_by_field_name("value")
                if name is not None and name.type == "subscript" and name.named_children:
                    # ``a[1]=x``: one item of the array changes (or is added): its words are unknown
                    self._assignment(self.text(name.named_children[0]), None, ctx, line=part.start_point[0] + 1)
                    continue
                if name is None or name.type != "variable_name":
                    continue
                forward, append = False, _appends(part)
                word: Word | None = None
                items: tuple[Word, ...] | None = None
                if computed or (value is not None and value.type == "array" and any(
                        self.text(item).startswith("[") for item in value.named_children)):
                    pass  # ``a=([0]=x [3]=y)``: items at given indices; a computed value: unknown
                elif value is not None and value.type == "array":
                    elements = [item for item in value.named_children if item.type != "comment"]
                    # only ``("$@")`` keeps the arguments as they are (``($@)`` splits them again, ``("$*")`` joins them)
                    forward = not append and len(elements) == 1 and elements[0].type == "string" and \
                        _unquote(elements[0], self)[0] in ("$@", "${@}")
                    if not forward:
                        items = tuple(self.word(item) for item in elements)
                elif value is not None:
                    word = self.word(value)
                    forward = not append and word.text in FORWARD_FORMS
                else:  # ``X=``: the empty string
                    word = Word("", True, part.end_point[0] + 1, 1, part.end_point[0] + 1, 1, quoted=True)
                self._assignment(self.text(name), word, ctx, local=local, exported=exported,
                                 forward=forward, line=part.start_point[0] + 1, items=items, append=append)

    def _assignment(self, name: str, value: Word | None, ctx: _Ctx, *, declared: bool = False, local: bool = False,
                    forward: bool = False, line: int = 0, items: tuple[Word, ...] | None = None,
                    append: bool = False, exported: bool = False) -> None:
        if local and ctx.function:
            self.locals.setdefault(ctx.function, set()).add(name)
        elif any(name in self.locals.get(function, ()) for function in ctx.calls):
            local = True  # ``local W`` earlier in this call (or a caller's: bash scopes dynamically): not global
        self.assignments.append(Assignment(
            name=name, value=value, seq=self.next_seq(), line=line, declared=declared, local=local, forward=forward,
            conditions=ctx.conditions, choices=ctx.choices, loops=ctx.loops, function=ctx.function,
            same_process=not (ctx.background or ctx.pipeline or ctx.subshell), maybe=ctx.maybe, items=items,
            append=append, guards=ctx.guards, exported=exported))

    # -- argument loops --------------------------------------------------------
    def _arg_loop(self, node: Any, body: Any, seq: int, ctx: _Ctx) -> ArgLoop:
        """Describe ``while <test on $#/$1>; do ... case "$1" in ... esac ... done`` for simulation."""
        condition = node.child_by_field_name("condition")
        text = " ".join(self.text(condition).split()) if condition is not None else ""
        counted = node.type == "while_statement" and _ARG_TEST.search(text) is not None
        actions: tuple[LoopAction, ...] | None = self._loop_actions(_statements(body)) if counted else None
        if actions is not None and not any(a.kind == "case" for a in actions):
            actions = None
        getopts = _GETOPTS.match(text) if node.type == "while_statement" else None
        return ArgLoop(seq=seq, condition=text, body=actions, conditions=ctx.conditions, choices=ctx.choices,
                       loops=ctx.loops, same_process=not (ctx.background or ctx.pipeline or ctx.subshell), counted=counted,
                       getopts=getopts.group(1).strip("'\"") if getopts else "")

    def _loop_actions(self, nodes: list[Any]) -> tuple[LoopAction, ...]:
        """The loop body as actions; a statement this reader does not model is an ``unknown`` action, which
        stops the simulation only when a run of the body reaches it (``usage`` in the ``*)`` clause)."""
        actions: list[LoopAction] = []
        for node in nodes:
            if node.type == "redirected_statement":
                node = node.child_by_field_name("body") or node
            if node.type == "case_statement":
                actions.append(self._loop_case(node))
            elif node.type in ("variable_assignment", "variable_assignments", "declaration_command"):
                actions += self._loop_assignments(node)
            elif node.type == "command":
                actions.append(self._loop_command(node))
            elif node.type == "list":  # ``[ -n "$2" ] || exit 1``: tests and exits only, taken as passing
                inner = self._loop_actions([c for c in node.named_children if c.type != "comment"])
                passing = all(a.kind in ("other", "exit") for a in inner)
                actions.append(LoopAction("other" if passing else "unknown"))
            else:
                actions.append(LoopAction("unknown"))
        return tuple(actions)

    def _loop_case(self, node: Any) -> LoopAction:
        value = node.child_by_field_name("value")
        if value is None or _unquote(value, self)[0] not in ("$1", "${1}"):
            return LoopAction("unknown")
        items: list[tuple[tuple[str, ...], tuple[LoopAction, ...]]] = []
        for item in node.named_children:
            if item.type != "case_item":
                continue
            globs = tuple(_unquote(c, self)[0] for c in item.children_by_field_name("value"))
            body = [c for c in item.named_children if c.type in _STATEMENTS or
                    c.type in ("variable_assignment", "variable_assignments", "declaration_command")]
            items.append((globs, self._loop_actions(body)))
        return LoopAction("case", items=tuple(items))

    def _loop_assignments(self, node: Any) -> list[LoopAction]:
        """``X=$2``, ``CLI=("$@")``, ``export X=$2``: assignments (an array other than ``("$@")`` is unknown)."""
        found: list[LoopAction] = []
        for part in [node] if node.type == "variable_assignment" else list(node.named_children):
            if part.type != "variable_assignment":
                continue
            name, value = part.child_by_field_name("name"), part.child_by_field_name("value")
            if name is not None and name.type == "subscript" and name.named_children:  # ``A[2]=x``: A changes
                found.append(LoopAction("assign", self.text(name.named_children[0]), Word("$(item)", False, 0, 0, 0, 0)))
                continue
            if name is None or name.type != "variable_name":
                continue
            word = Word("", True, 0, 0, 0, 0, quoted=True)
            append = _appends(part)
            if value is not None and value.type == "array":
                items = [item for item in value.named_children if item.type != "comment"]
                if any(self.text(item).startswith("[") for item in items):  # ``a=([0]=x)``: items at indices
                    found.append(LoopAction("assign", self.text(name), Word("$(array)", False, 0, 0, 0, 0)))
                elif not append and len(items) == 1 and items[0].type == "string" and \
                        _unquote(items[0], self)[0] in ("$@", "${@}"):
                    found.append(LoopAction("assign", self.text(name), self.word(items[0])))
                else:  # ``EXTRA+=("$1")``: the words the items expand to, added or assigned
                    found.append(LoopAction("assign", self.text(name), word,
                                            words=tuple(self.word(item) for item in items), append=append))
                continue
            if value is not None:
                word = self.word(value)
            found.append(LoopAction("assign", self.text(name), word, append=append))
        return found

    def _loop_command(self, node: Any) -> LoopAction:
        name = node.child_by_field_name("name")
        words = [self.text(name)] if name is not None else []
        words += [_unquote(a, self)[0] for a in node.children_by_field_name("argument")]
        if not words or words[0] in self.functions:
            return LoopAction("unknown")  # a function of the script (``usage``) may exit or shift
        if words[0] == "shift":
            return LoopAction("shift", words[1] if len(words) > 1 else "1")
        if words[0] in ("break", "continue", "exit"):
            return LoopAction(words[0])
        return LoopAction("other" if words[0] in _SIDE_EFFECT_FREE else "unknown")

    def list_(self, node: Any, ctx: _Ctx, tail: bool) -> None:
        """``a && b || c``: only the right-most side can be last.  ``[ "$ROLE" = worker ] && cmd`` (``||``:
        the test failing) is a branch like ``if``: ``cmd``'s condition is the test, whose :class:`Guard`
        prunes it for the arguments and environment of a launch."""
        children = node.children
        named = [index for index, child in enumerate(children) if child.is_named and child.type != "comment"]
        guarded = self._list_guard(node, named)
        first = True
        for index, child in enumerate(children):
            if not child.is_named or child.type == "comment":
                continue
            op = children[index + 1].type if index + 1 < len(children) else ""
            before = len(self.commands)
            # a right side runs only when the test before it says so: its assignments are conditional
            inner = ctx if first else replace(ctx, maybe=True)
            if not first and guarded is not None:
                label, guard = guarded
                inner = replace(inner, conditions=ctx.conditions + (label,), guards=ctx.guards + ((
                    replace(guard, level=len(ctx.conditions), function=ctx.args_of, seq=self.seq),) if guard is not None else ()))
            self.statement(child, inner, tail and op == "")
            first = False
            if op in ("&&", "||"):
                self.commands[before:] = [replace(c, op_after=c.op_after or op) for c in self.commands[before:]]

    def _list_guard(self, node: Any, named: list[int]) -> tuple[str, Guard | None] | None:
        """(condition label, guard) of the right side of ``test && cmd`` / ``test || cmd`` (a simple test on
        the left, exactly two sides); None for any other list."""
        children = node.children
        if len(named) != 2 or named[0] + 1 >= len(children):
            return None
        op = children[named[0] + 1].type
        test = self._test(children[named[0]]) if op in ("&&", "||") else None
        if test is None:
            return None
        text = " ".join(self.source[children[named[0]].start_byte:children[named[0]].end_byte]
                        .decode("utf-8", "replace").split())
        return f"{text} {op}", (test if op == "&&" else _otherwise([test]))

    def if_(self, node: Any, ctx: _Ctx, tail: bool) -> None:
        first = ""
        tested: list[Guard | None] = []  # the simple tests of the earlier clauses, for ``else``
        start = self.seq  # every test of the chain sees the values from before the first body
        for clause, (keyword, condition, body, test) in enumerate(self._clauses(node)):
            if keyword == "if":
                first = f"if {condition}"
                label = first
            elif keyword == "elif":
                label = f"elif {condition}"
            else:
                label = f"else (not {first})" if first else "else"
            guard = test if keyword != "else" else _otherwise(tested)
            # an ``elif`` runs only when every earlier test failed: that, when it can be told, guards it too
            earlier = _otherwise(tested) if keyword == "elif" else None
            tested.append(test)
            guards = ctx.guards + tuple(replace(each, level=len(ctx.conditions), function=ctx.args_of, seq=start)
                                        for each in (guard, earlier) if each is not None)
            self.sequence(body, replace(ctx, conditions=ctx.conditions + (label,), guards=guards,
                                        choices=ctx.choose(node, clause)), tail)

    def _clauses(self, node: Any) -> list[tuple[str, str, list[Any], Guard | None]]:
        """(keyword, condition text, body statements, simple test) for ``if``, each ``elif`` and ``else``."""
        clauses: list[tuple[str, str, list[Any], Guard | None]] = []
        own = self._clause(node, "if")
        if own is not None:
            clauses.append(own)
        for child in node.named_children:
            if child.type == "elif_clause":
                clause = self._clause(child, "elif")
                if clause is not None:
                    clauses.append(clause)
            elif child.type == "else_clause":
                clauses.append(("else", "", _statements(child), None))
        return clauses

    def _clause(self, node: Any, keyword: str) -> tuple[str, str, list[Any], Guard | None] | None:
        condition: list[Any] = []
        body: list[Any] = []
        seen_then = False
        for child in node.children:
            if child.type == "then":
                seen_then = True
            elif child.type in ("elif_clause", "else_clause", "fi", keyword, "comment"):
                continue
            elif not seen_then:
                if child.is_named:
                    condition.append(child)
            elif child.is_named and child.type != "heredoc_body":
                body.append(child)
        if not condition:
            return None
        text = self.source[condition[0].start_byte:condition[-1].end_byte].decode("utf-8", "replace")
        test = self._test(condition[0]) if len([c for c in condition if c.type != ";"]) == 1 else None
        return keyword, " ".join(text.split()), body, test

    def _test(self, node: Any) -> Guard | None:
        """``[ "$1" = worker ]``, ``[[ $1 == web* ]]``, ``test "$1" != x``, ``[ $X -eq 1 ]`` as a :class:`Guard`;
        ``! test`` as the guard of that test failing."""
        if node.type == "negated_command":
            inner = [c for c in node.named_children if c.type != "comment"]
            test = self._test(inner[0]) if len(inner) == 1 else None
            return _otherwise([test]) if test is not None else None
        if node.type == "test_command":
            inner = [c for c in node.named_children]
            double = bool(node.children) and node.children[0].type == "[["
            if len(inner) == 1 and (inner[0].type == "unary_expression" or inner[0].type in _TEST_OPERANDS):
                return self._emptiness(inner[0], double)
            if len(inner) != 1 or inner[0].type != "binary_expression":
                return None
            expr = inner[0]
            left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
            operator = expr.child_by_field_name("operator")
            if left is None or right is None or operator is None:
                return None
            sides, op = [left, right], self.text(operator)
            # ``[ "$X" = a -o -n "$Y" ]``: an ``-a``/``-o`` expression is no simple test (tree-sitter nests it in a side)
            if any(side.type not in _TEST_OPERANDS for side in sides):
                return None
        elif node.type == "command" and self.text(node.child_by_field_name("name") or node) == "test":
            args = node.children_by_field_name("argument")
            if len(args) == 1:  # ``test "$X"``: true for a non-empty string
                return self._emptiness(args[0], False)
            if len(args) == 2 and self.text(args[0]) in ("-n", "-z"):
                return self._emptiness(args[1], False, self.text(args[0]))
            if len(args) != 3:
                return None
            sides, op = [args[0], args[2]], self.text(args[1])
        else:
            return None
        (a, a_lit), (b, b_lit) = (_unquote(n, self) for n in sides)
        double = node.type == "test_command" and bool(node.children) and node.children[0].type == "[["
        if op == "=~" and not a_lit and b_lit and double:
            # bash's ``[[ "$X" =~ regex ]]`` (karrio's ``"${DETACHED_WORKER,,}" =~ ^(false|0|no|off)$``); a quoted
            # part of the regex matches itself (bash(1) "Compound Commands")
            regex = _bracket_classes(_pattern(sides[1], self, re.escape))
            return Guard(a, regex=regex) if regex is not None else None
        if op in ("-eq", "-ne") and a_lit != b_lit and re.fullmatch(r"[+-]?[0-9]{1,18}", b if b_lit else a):
            # ``[ $DJANGO -eq 1 ]``: an integer comparison, as the decimal text test(1) compares (a value that is
            # no integer fails the test, so the ``else`` runs)
            subject, number = (a, int(b)) if b_lit else (b, int(a))
            sign = r"\+?" if number > 0 else r"-" if number < 0 else r"[+-]?"
            digits = r"0*" + str(abs(number)) if number else r"0+"
            equal = rf"\s*{sign}{digits}\s*$"
            # ``[[ ]]`` evaluates each side as arithmetic: only a plain decimal is compared as written
            undecided = r"^(?!\s*[+-]?(?:0|[1-9]\d*)\s*$)" if double else ""
            return Guard(subject, regex="^" + equal, undecided=undecided) if op == "-eq" else \
                Guard(subject, regex=rf"^(?!{equal})\s*[+-]?\d+\s*$", undecided=undecided)  # another integer
        if a_lit == b_lit or op not in ("=", "==", "!="):
            return None
        subject, value = (b, a) if a_lit else (a, b)
        # ``[``/``test`` compare strings; ``[[`` matches the right side as a pattern, its quoted parts literally
        pattern = _glob(_pattern(sides[1], self, _glob_escape)) if double and b_lit else _glob_escape(value)
        if pattern is None:
            return None
        return Guard(subject, ("*",), (pattern,)) if op == "!=" else Guard(subject, (pattern,))

    def _emptiness(self, node: Any, double: bool, op: str = "") -> Guard | None:
        """``[ -n "$X" ]``, ``[ -z "$X" ]``, ``[ "$X" ]`` (non-empty, test(1)), ``[ ! -n "$X" ]`` as a :class:`Guard`;
        None for another unary test (``-f``, ``-d`` ...) or a constant.  In ``[``/``test`` an unquoted operand is
        split into words and globbed first (``[ -n $X ]`` is ``[ -n ]``, true, when X is empty), so there only a
        value without blanks or glob characters decides; ``[[`` does neither."""
        if node.type == "unary_expression" and not op:
            children = node.children
            if children and children[0].type == "!":
                named = [c for c in node.named_children if c.type != "comment"]
                inner = self._emptiness(named[0], double) if len(named) == 1 else None
                return _otherwise([inner]) if inner is not None else None
            operator = next((c for c in children if c.type == "test_operator"), None)
            operands = [c for c in node.named_children if c.type != "test_operator"]
            if operator is None or len(operands) != 1:
                return None
            return self._emptiness(operands[0], double, self.text(operator))
        if op not in ("", "-n", "-z") or node.type not in _TEST_OPERANDS:
            return None
        subject, literal = _unquote(node, self)
        if literal:
            return None
        undecided = "" if double or node.type == "string" else r"^$|[\s*?\[]"
        if op == "-z":
            return Guard(subject, regex_excluded=r"[\s\S]", undecided=undecided)
        return Guard(subject, regex=r"[\s\S]", undecided=undecided)

    def case(self, node: Any, ctx: _Ctx, tail: bool) -> None:
        value = node.child_by_field_name("value")
        subject = self.text(value) if value is not None else "?"
        earlier: list[str] = []
        chain, falls = -1, False  # the clause a ``;&``/``;;&`` chain started at; whether the last item fell through
        blind = False
        start = self.seq  # the subject is expanded once, before any item's body
        for clause, item in enumerate(node.named_children):
            if item.type != "case_item":
                continue
            # after ``;&`` (run the next body) or ``;;&`` (test the next patterns too) two clauses may both run:
            # they share one choice and the later one's guard is unknown
            chain = chain if falls else clause
            ran_on = falls
            falls = any(child.type in (";&", ";;&") for child in item.children)
            patterns: list[str] = []
            body: list[Any] = []
            seen_paren = False
            for child in item.children:
                if child.type == ")" and not seen_paren:
                    seen_paren = True
                elif not seen_paren:
                    if child.type not in ("(",):
                        patterns.append(self.text(child))
                elif child.is_named and child.type != "comment":
                    body.append(child)
            label = f"case {subject} in {''.join(patterns)})"
            found = [_glob(_pattern(c, self, _glob_escape)) if _unquote(c, self)[1] else None
                     for c in item.children_by_field_name("value")]
            # a pattern read otherwise than bash reads it (extglob ``+([0-9])``, ``[[:punct:]]``) or only known at
            # run time (``"$ROLE")``) decides nothing, neither its own item nor the later ones (that it would
            # have caught first)
            blind = blind or None in found
            globs = tuple(glob for glob in found if glob is not None)
            guard = Guard(_unquote(value, self)[0], globs, tuple(earlier)) \
                if value is not None and not ran_on and not blind else None
            earlier.extend(globs)
            guards = ctx.guards + ((replace(guard, level=len(ctx.conditions), function=ctx.args_of, seq=start),)
                                  if guard is not None else ())
            self.sequence(body, replace(ctx, conditions=ctx.conditions + (label,), guards=guards,
                                        choices=ctx.choose(node, chain)), tail)

    def _writes(self, node: Any) -> tuple[str, ...]:
        """The literal files a redirected statement sends its standard output to (``> F``, ``>> F``, ``>| F``,
        ``1> F``; not ``2> F`` nor ``&> F``' duplicates)."""
        found: list[str] = []
        for child in node.children:
            if child.type != "file_redirect":
                continue
            descriptor = next((c for c in child.children if c.type == "file_descriptor"), None)
            operator = next((c for c in child.children if not c.is_named), None)
            destination = child.child_by_field_name("destination")
            if (descriptor is not None and self.text(descriptor) != "1") or operator is None or \
                    self.text(operator) not in (">", ">>", ">|") or destination is None:
                continue
            word = self.word(destination)
            if word.literal:
                found.append(word.text)
        return tuple(found)

    def _stdin(self, node: Any) -> Word | None:
        """The last here-document (``<<EOF``, ``<<-EOF``: its body as written, the leading tabs ``<<-`` strips
        kept, blanks to the shell that reads it; bash expands the body unless the delimiter is quoted, which the
        reader of the text does as for any word) or here-string (``<<< word``: the word) among a redirected
        statement's redirections: what its command reads on its standard input."""
        found: Word | None = None
        for child in node.children:
            if child.type == "heredoc_redirect":
                body = next((c for c in child.children if c.type == "heredoc_body"), None)
                if body is not None:
                    text = self.text(body)
                    found = Word(text, "$" not in text and "`" not in text, body.start_point[0] + 1,
                                 self._col(*body.start_point), body.end_point[0] + 1, self._col(*body.end_point))
            elif child.type == "herestring_redirect":
                word = next((c for c in child.named_children if c.type != "comment"), None)
                if word is not None:
                    found = self.word(word)
        return found

    # -- simple commands -------------------------------------------------------
    def command(self, node: Any, ctx: _Ctx, tail: bool) -> None:
        name = node.child_by_field_name("name")
        if name is None:
            return  # a bare assignment
        words = [self.word(name.named_children[0] if name.named_children else name)]
        words += [self.word(a) for a in node.children_by_field_name("argument")]
        assignments = tuple(self.text(c) for c in node.children if c.type == "variable_assignment")
        if any(c.type == "herestring_redirect" for c in node.children):  # `sh <<< 'code'`: on the command itself
            ctx = replace(ctx, stdin=self._stdin(node))
        body = self.functions.get(words[0].text)
        if body is not None and words[0].text not in ctx.calls and \
                len(self.commands) + len(self.assignments) < MAX_STEPS:
            self._call(words, body, ctx, tail)
            return
        self._simple(words, assignments, ctx, tail)

    def _simple(self, words: list[Word], assignments: tuple[str, ...], ctx: _Ctx, tail: bool) -> None:
        words = _past_command_builtin(words)
        self.commands.append(Command(
            seq=self.next_seq(), loops=ctx.loops,
            words=tuple(words), line=words[0].line, col=words[0].col,
            exec=words[0].text == "exec", background=ctx.background, last=tail and not ctx.loop,
            pipeline=ctx.pipeline, subshell=ctx.subshell, loop=ctx.loop, grouped=ctx.grouped, redirected=ctx.redirected,
            maybe=ctx.maybe, conditions=ctx.conditions,
            function=ctx.function, call_site=ctx.call_site, assignments=assignments, recovered=ctx.recovered,
            guards=ctx.guards, choices=ctx.choices, stdin=ctx.stdin, pipes=ctx.pipes, writes=ctx.writes))

    def _call(self, words: list[Word], body: Any, ctx: _Ctx, tail: bool) -> None:
        """A function call: its body runs here, with the call's ``&`` and branch; called with exactly
        ``"$@"`` (``main "$@"``), its positional parameters are the caller's."""
        site = words[0]
        forwards = [word.text for word in words[1:]] in (['"$@"'], ["$@"], ['"${@}"'], ["${@}"])
        sub = replace(ctx, function=site.text, call_site=ctx.call_site or site, calls=ctx.calls + (site.text,),
                      args_of=ctx.args_of if forwards else site.text)
        self.locals[site.text] = set()  # each call declares its own
        self.statement(body, sub, tail)


def _past_command_builtin(words: list[Word]) -> list[Word]:
    """The words a ``command [-p] NAME ARGS`` runs: the shell's ``command`` builtin (POSIX) runs NAME as written,
    never a function of that name, so ``command exec huey_consumer ...`` replaces the shell as ``exec`` does.
    ``command -v``/``-V`` (they only say what NAME is) and a bare ``command`` are kept as written."""
    if not words or words[0].text != "command":
        return words
    rest = words[1:]
    while rest and rest[0].text == "-p":
        rest = rest[1:]
    return rest if rest and not rest[0].text.startswith("-") else words


def _refused_from(root: Any, error_line: int) -> int:
    """The first line (1-based) a shell never runs for a syntax error at ``error_line``: bash and dash read a
    whole complete command, up to the end of its line (a compound one to the end of the line that closes it),
    before running any of it, so nothing of the top-level statement holding the error, nor of one sharing its
    line (``cd /app && exec huey_consumer app.huey "``, ``echo hi; exec ... $(``), runs; the statements on the
    lines before it do (``sh: 2: Syntax error: Unterminated quoted string`` after line 1 ran)."""
    for node in root.children:
        if node.type == "comment":
            continue
        end = node.end_point[0] + (0 if node.end_point[1] or node.end_point[0] == node.start_point[0] else -1)
        if end + 1 >= error_line:
            if node.type == "ERROR":  # tree-sitter's recovery region: the whole statements it swallowed first
                return _refused_from(node, error_line)
            return min(node.start_point[0] + 1, error_line)
    return error_line


def _error_point(node: Any) -> tuple[int, int]:
    """Where an ERROR region really goes wrong: past the well-formed statements it swallowed."""
    for child in node.children:
        if child.type in _STATEMENTS or child.type == "comment":
            continue
        if child.type == "ERROR":
            return _error_point(child)
        return child.start_point
    return node.start_point


def _otherwise(tested: list[Guard | None]) -> Guard | None:
    """``else`` after simple ``=`` tests of one subject: none of their values; after one ``!=`` test: its
    value; after one ``=~`` test: not matching it (and after a negated one, matching it); anything else: unknown."""
    if len(tested) == 1 and tested[0] is not None and tested[0].regex:
        return Guard(tested[0].subject, regex_excluded=tested[0].regex, undecided=tested[0].undecided)
    if len(tested) == 1 and tested[0] is not None and tested[0].regex_excluded:
        return Guard(tested[0].subject, regex=tested[0].regex_excluded, undecided=tested[0].undecided)
    if len(tested) == 1 and tested[0] is not None and tested[0].patterns == ("*",) and tested[0].excluded:
        return Guard(tested[0].subject, tested[0].excluded)
    first = tested[0] if tested else None
    if first is None or any(t is None or t.excluded or t.regex or t.regex_excluded or t.subject != first.subject
                            for t in tested):
        return None
    return Guard(first.subject, ("*",), tuple(p for t in tested if t is not None for p in t.patterns))


_DQ_ESCAPES = lazy_pattern(r'\\([$`"\\\n])')
_BARE_ESCAPES = lazy_pattern(r"\\(.)", re.S)


_TEST_OPERANDS = frozenset({"word", "number", "string", "raw_string", "ansi_c_string", "translated_string",
                            "concatenation", "regex", "extglob_pattern"}) | _EXPANSIONS


def _glob_escape(text: str) -> str:
    """``text`` as an :func:`fnmatch.fnmatchcase` pattern that matches only itself."""
    return re.sub(r"([*?\[])", r"[\1]", text)


#: POSIX character classes as the ASCII ranges they name (the C locale); the others are not read here
_CLASSES = {"digit": "0-9", "alpha": "a-zA-Z", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
            "xdigit": "0-9A-Fa-f", "space": " \t\n\r\f\v", "blank": " \t"}
_EXTGLOB = lazy_pattern(r"[?*+@!]\(")


def _bracket_classes(pattern: str) -> str | None:
    """``pattern`` with ``[:digit:]``-style classes inside brackets spelled as ranges (Python's ``re`` and
    :func:`fnmatch.fnmatchcase` know none); None when it holds one without an ASCII spelling here
    (``[:punct:]``, an equivalence class ``[=a=]``, a collating symbol ``[.a.]``)."""
    if "[=" in pattern or "[." in pattern:
        return None
    names = re.findall(r"\[:(\w*):\]", pattern)
    if any(name not in _CLASSES for name in names):
        return None
    return re.sub(r"\[:(\w*):\]", lambda match: _CLASSES[match.group(1)], pattern)


def _glob(pattern: str) -> str | None:
    """A bash glob as :func:`fnmatch.fnmatchcase` reads it: ``[^a]`` is ``[!a]``, classes as ranges; None for
    what fnmatch cannot read (an extglob ``+(...)``, see :func:`_bracket_classes`)."""
    if _EXTGLOB.search(pattern):
        return None
    found = _bracket_classes(pattern)
    return found.replace("[^", "[!") if found is not None else None


def _pattern(node: Any, walker: _Walker, escape: Any) -> str:
    """A bash pattern (``case`` item, right side of ``[[ == ]]`` / ``=~``) with its quoted parts and
    backslash-escaped characters made literal by ``escape`` (:func:`_glob_escape`, :func:`re.escape`): bash
    matches them as themselves, ``"prod*"`` only the text ``prod*``."""
    kind = node.type
    if kind == "concatenation":
        return "".join(_pattern(child, walker, escape) for child in node.children)
    if kind in ("word", "number", "regex", "extglob_pattern"):
        raw = walker.text(node)
        return "".join(escape(part[1:]) if part.startswith("\\") else part
                       for part in re.findall(r"\\.|[^\\]+|\\$", raw, re.S))
    return escape(_unquote(node, walker)[0])


def _appends(node: Any) -> bool:
    """``NAME+=value`` / ``NAME+=(...)``: bash appends to the current value (a string or an array); never
    the appended part alone (``opts+=("$@")`` is no ``opts=("$@")``)."""
    return any(child.type == "+=" for child in node.children)


def _unquote(node: Any, walker: _Walker) -> tuple[str, bool]:
    """Quote removal: ``'a b'c"d $e"`` -> (``a bcd $e``, not literal)."""
    kind = node.type
    raw = walker.text(node)
    if kind == "raw_string":
        return raw[1:-1], True
    if kind == "ansi_c_string":
        return raw[2:-1], True
    if kind in ("string", "translated_string"):
        inner = raw[1:-1] if kind == "string" else raw[2:-1]
        literal = not any(c.type in _EXPANSIONS for c in node.named_children)
        return _DQ_ESCAPES.sub(r"\1", inner), literal
    if kind == "concatenation":
        parts = [_unquote(c, walker) for c in node.children]
        return "".join(p[0] for p in parts), all(p[1] for p in parts)
    if kind in _EXPANSIONS:
        return raw, False
    if kind in ("word", "number"):
        return _BARE_ESCAPES.sub(r"\1", raw), "$" not in raw and "`" not in raw
    return raw, not any(c.type in _EXPANSIONS for c in node.named_children)


def command_words(command: Command) -> list[str]:
    """The texts of a command's words (handy for tests and messages)."""
    return [w.text for w in command.words]


def case_modified(value: str, op: str | None) -> str:
    """bash 4's case modification without a pattern (bash(1) "Parameter Expansion", "Case modification"):
    ``${X,,}`` / ``${X^^}`` every character in lower / upper case, ``${X,}`` / ``${X^}`` only the first;
    ``op`` None: the value as it is."""
    if op == ",,":
        return value.lower()
    if op == "^^":
        return value.upper()
    if op in (",", "^"):
        return (value[:1].lower() if op == "," else value[:1].upper()) + value[1:]
    return value


__all__ = ["ArgLoop", "Assignment", "Command", "LoopAction", "Guard", "FORWARD_FORMS", "Script", "Word", "case_modified", "command_words", "parse_script", "shebang_interpreter"]
