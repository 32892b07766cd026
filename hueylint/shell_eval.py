"""What a shell script's variables and arguments hold when one of its commands runs.

:mod:`hueylint.shell` flattens a script into commands, assignments and argument loops, in source order
(``seq``); this module replays them up to one command the way the shell would on the path that reaches
it, for the launch's arguments and environment:

- ``NAME=value`` (also ``export``/``readonly``/``declare``/``local``) sets the variable when it runs on
  every path to the command (same branch or an enclosing one, outside any loop the command is not in);
  an assignment that may or may not run makes the variable unknown.
- ``${X:-d}``, ``${X-d}``, ``${X:=d}``, ``${X=d}``, ``${X:+w}`` follow bash: a variable the script
  never assigns takes its value from the launch's environment, else it is unset (``$X`` alone is then
  unknown: the environment hueylint sees may be incomplete).
- ``shift [n]``, ``set -- words`` change the positional arguments; ``unset X`` unsets.
- ``while [[ $# -gt 0 ]]; do case "$1" in ... esac; done`` is simulated on the literal arguments:
  each clause's ``shift``, assignments (``CLI="$@"``), ``break`` and ``exit`` (see
  :class:`hueylint.shell.ArgLoop`).

Values are strings, :class:`Captured` arguments (``"$@"`` stored in a variable), :class:`Partial` text (a value
with unknown expansions in it, unknown except to the word splitting of an unquoted ``$CMD``), or None (unknown).
Nothing is executed: ``$(dirname WORD)`` is evaluated as coreutils prints it (a deterministic command on a known
value); other command substitutions and anything else not listed are unknown.  A variable assigned on every path
from a command substitution's output (``MANAGE=$(find /app -name manage.py)``) is :class:`Computed`: unknown, but
surely set, unlike one assigned on some paths only (:func:`computed` says which words hold only such values).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import field
from fnmatch import fnmatchcase
from typing import Any, Callable, Generic, Mapping, Protocol, Sequence, TypeVar

from hueylint.model import exclusive
from hueylint.numerals import digit_run, whole_number
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.shell import FORWARD_FORMS, ArgLoop, Assignment, Command, Guard, LoopAction, Script, Word, case_modified
from hueylint.words import clipped


class Arg(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def literal(self) -> bool: ...


A = TypeVar("A", bound=Arg)


@dataclass(frozen=True)
class Captured(Generic[A]):
    """``"$@"`` stored in a variable: ``array`` for ``X=("$@")`` (``"${X[@]}"`` keeps the words apart)."""

    items: tuple[A, ...]
    array: bool = False


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


@dataclass(frozen=True)
class Partial:
    """A string assigned from text in which some expansions are not known (``CMD="./manage.py run_huey
    --workers $N"`` with N from a command substitution): ``text`` is that text with every known expansion
    substituted and the others kept as written, ``why`` says why they are unknown.  The value is unknown
    (:meth:`State.lookup` gives None); only an unquoted ``$CMD``, which bash splits into words, reads the
    known words of it (:func:`partial_words`)."""

    text: str
    why: str


@dataclass(frozen=True)
class Unknown:
    """A value set by a step whose result hueylint cannot know, and why (a name a sourced file sets):
    :meth:`State.lookup` gives None, :func:`unknown_reason` the ``why``."""

    why: str


@dataclass(frozen=True)
class Computed(Unknown):
    """A variable every path to the command assigns from the output of a command substitution
    (``MANAGE=$(find /app -name manage.py | head -n 1)``, ``DIR=`pwd```; or from another such variable,
    ``B="$A/manage.py"``): its value is known only when the script runs, but it is surely assigned, unlike a
    variable assigned on some paths only.  ``command``: that substitution as a message shows it (:func:`shown_command`),
    ``why`` says so for HL004.  Made by :func:`computed` (bash(1) "Command Substitution")."""

    command: str = ""
    text: str = ""  # the assignment's value as written (``"${APP_DIR}/scripts/start.sh"``), quotes and all


@dataclass(frozen=True)
class Sourced:
    """What ``. FILE`` / ``source FILE`` sets when hueylint knows FILE (:mod:`hueylint.sourced_files`): each name
    with its value (None: a value not known statically), the names it unsets, and ``why`` for the unknown
    ones.  A file that may set other names too is no Sourced: the state turns :attr:`State.opaque`."""

    values: tuple[tuple[str, str | None], ...]
    why: str
    unsets: tuple[str, ...] = ()


@dataclass
class State(Generic[A]):
    """The positional arguments and the variables the script set, at one command."""

    args: list[A]
    vars: dict[str, object] = field(default_factory=dict)  # name -> str | Captured | None (unknown) | UNSET
    env: dict[str, str | None] = field(default_factory=dict)  # the launch's environment (None: unknown value)
    in_function: bool = False  # positional parameters are the function's: unknown here
    opaque: bool = False  # ``. file``/``source``/``eval``/``export $(...)`` ran: any variable may be set
    # ``$0``: the script as it was invoked (the word that ran it); a function does not change it.  None: unknown
    name: str | None = None
    # each branch test's subject as it was when the test ran (a ``shift`` or ``ENV=dev`` in the branch's body,
    # or in an earlier clause's, runs after it): None unknown; ``marked``: how many of the script's tests
    # (:attr:`Evaluator.tests`, in source order) are recorded
    tested: dict[Guard, str | None] = field(default_factory=dict)
    marked: int = 0
    # ``env`` is the whole environment the process starts with (a compose service or Kubernetes container of an
    # image built here: the image's ``ENV`` and ``env_file:``/``environment:`` or ``env:``, with no file or
    # ``envFrom`` outside the repository): a variable outside it that nothing sets is unset, and
    # a branch test reads it as empty (:func:`test_subject`); else it may come from where hueylint cannot see
    env_complete: bool = False
    # the names the script exported (``export NAME``, ``declare -x``) on the way: the programs it runs get them
    exported: set[str] = field(default_factory=set)

    def copy(self) -> State[A]:
        """A copy whose arguments and variables can change without touching this one (``env`` is shared)."""
        return State(list(self.args), dict(self.vars), self.env, self.in_function, self.opaque, self.name,
                     dict(self.tested), self.marked, self.env_complete, set(self.exported))

    def lookup(self, name: str) -> object:
        """A parameter's value: str, :class:`Captured`, None (unknown) or :data:`UNSET`."""
        if name == "0":
            return self.name
        if name.isdigit():
            # (a digit run longer than any argument list, or other digits: past the last argument)
            number = whole_number(name) if digit_run(name) else None
            position = number if number is not None else len(self.args) + 1
            if self.in_function or any(not a.literal for a in self.args[:position]):
                return None
            return self.args[position - 1].text if 0 < position <= len(self.args) else UNSET
        if name == "#":
            return None if self.in_function else str(len(self.args))
        if name in ("@", "*"):
            return None if self.in_function else Captured(tuple(self.args))
        if name in self.vars:
            value = self.vars[name]
            return None if isinstance(value, (Partial, Unknown)) else value  # (a Computed too)
        if self.opaque:
            return None
        if name in self.env:
            return self.env[name]
        if name in RUN_TIME_VARIABLES or _SERVICE_LINK.match(name):
            return None  # set when the process starts, to a value only the run knows
        return UNSET


#: Kubernetes' service links: ``<SERVICE>_SERVICE_HOST`` / ``<SERVICE>_SERVICE_PORT[_<PORT NAME>]`` for every Service
#: of the namespace (enableServiceLinks, on by default; Kubernetes "Service" docs, "Environment variables")
_SERVICE_LINK = lazy_pattern(r"[A-Z][A-Z0-9_]*_SERVICE_(?:HOST|PORT(?:_[A-Z0-9_]+)?)\Z")

#: Variables set in every process a shell or platform starts, to values known only at run time: a script's
#: test of one (``[[ ${CF_INSTANCE_INDEX:-0} != 0 ]]``) is decided per process, never by its default.  Unless
#: the launch's own configuration sets one, each is unknown, never unset.  Sources: bash(1) "Shell Variables"
#: (set by bash itself); environ(7) (HOME, PATH, USER, LOGNAME); Cloud Foundry "Cloud Foundry environment
#: variables"; Heroku "Dynos" (``DYNO``, ``PORT``); Fly.io "The Machine runtime environment"; Render "Default
#: environment variables"; Docker and Kubernetes set ``HOSTNAME`` (the container, the pod); supervisord
#: "Subprocess Environment".
RUN_TIME_VARIABLES = frozenset({
    # bash
    "HOSTNAME", "HOSTTYPE", "OSTYPE", "MACHTYPE", "PPID", "UID", "EUID", "GROUPS", "SHLVL", "RANDOM", "SECONDS",
    "BASHPID", "PWD", "OLDPWD",
    # the process environment every runtime gives (docker sets HOME and PATH; a login sets USER, LOGNAME)
    "HOME", "PATH", "USER", "LOGNAME",
    # Cloud Foundry
    "CF_INSTANCE_ADDR", "CF_INSTANCE_GUID", "CF_INSTANCE_INDEX", "CF_INSTANCE_INTERNAL_IP", "CF_INSTANCE_IP",
    "CF_INSTANCE_PORT", "CF_INSTANCE_PORTS", "INSTANCE_GUID", "INSTANCE_INDEX", "VCAP_APPLICATION", "VCAP_SERVICES",
    "VCAP_APP_HOST", "VCAP_APP_PORT", "MEMORY_LIMIT",
    # Heroku (and Procfile runners)
    "DYNO", "PORT",
    # Fly.io
    "FLY_APP_NAME", "FLY_MACHINE_ID", "FLY_ALLOC_ID", "FLY_REGION", "FLY_PUBLIC_IP", "FLY_PRIVATE_IP",
    "FLY_IMAGE_REF", "FLY_MACHINE_VERSION", "FLY_PROCESS_GROUP", "FLY_VM_MEMORY_MB", "PRIMARY_REGION",
    # Render
    "RENDER", "RENDER_SERVICE_ID", "RENDER_SERVICE_NAME", "RENDER_SERVICE_TYPE", "RENDER_INSTANCE_ID",
    "RENDER_EXTERNAL_HOSTNAME", "RENDER_EXTERNAL_URL", "RENDER_GIT_BRANCH", "RENDER_GIT_COMMIT", "IS_PULL_REQUEST",
    # Kubernetes
    "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "KUBERNETES_SERVICE_PORT_HTTPS", "KUBERNETES_PORT",
    # supervisord
    "SUPERVISOR_ENABLED", "SUPERVISOR_PROCESS_NAME", "SUPERVISOR_GROUP_NAME", "SUPERVISOR_SERVER_URL",
})

_REF = lazy_pattern(r"\$(?:\{#(?P<length>[A-Za-z_][A-Za-z0-9_]*|[0-9]+)\}"
                  r"|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[#@*])(?P<sub>\[(?:[@*]|[0-9]+)\])?"
                  r"(?:(?P<op>:?[-=+?])(?P<word>[^{}`]*)|(?P<trim>##?|%%?)(?P<pattern>[^{}`]*)|(?P<case>,,|\^\^|,|\^))?\}"
                  r"|(?P<plain>[A-Za-z_][A-Za-z0-9_]*|[0-9#@*]))")
#: a pattern :func:`_trim` does not read as bash would: ``[^...]`` classes, escapes, extended globs
_UNREAD_PATTERN = lazy_pattern(r"\[\^|\\|[@!+*?]\(")
#: a word quoted whole, ``'...'`` or ``"..."``: (quote, text inside)
QUOTED = lazy_pattern(r"""^(['"])(.*)\1$""", re.S)


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Captured):
        if any(not item.literal for item in value.items):
            return None
        return " ".join(item.text for item in value.items)
    return None


def _element(value: object, sub: str | None) -> object:
    """``${X[0]}`` / ``${X[@]}``: an element of captured arguments; a string is its own element 0."""
    if not sub or sub in ("[@]", "[*]"):
        return value
    found = whole_number(sub[1:-1])
    index = found if found is not None else 2 ** 63  # (more digits than any array has elements: past its end)
    if isinstance(value, Captured):
        return value.items[index].text if index < len(value.items) and value.items[index].literal else \
            (UNSET if index >= len(value.items) else None)
    if isinstance(value, str):
        return value if index == 0 else UNSET
    return value


def substitute(text: str, state: State, unset_empty: bool = False) -> str | None:
    """``text`` (a word with quotes removed) with every parameter expansion replaced; None when any is unknown.

    ``${VENV:-/opt/venv}/bin/huey_consumer`` -> ``/opt/venv/bin/huey_consumer`` when VENV is unset.
    """
    if "`" in text or "$(" in text:
        evaluated = _dirnames(text, state, unset_empty)
        if evaluated is None or "`" in evaluated or "$(" in evaluated:
            return None
        text = evaluated
    out: list[str] = []
    position, size = 0, 0
    for match in _REF.finditer(text):
        if "$" in text[position:match.start()]:
            return None  # an expansion this reader does not know (``${X/a/b}``, ``${X:1:2}``, ``$$`` ...)
        out.append(text[position:match.start()])
        position = match.end()
        if match.group("length"):  # ``${#X}``: the value's length in characters
            value = state.lookup(match.group("length"))
            if not isinstance(value, str):
                return None
            out.append(str(len(value)))
            continue
        name = match.group("braced") or match.group("plain")
        value = _element(state.lookup(name), match.group("sub"))
        op = match.group("op")
        if op:
            word = match.group("word") or ""
            quoted = QUOTED.match(word)
            inner = substitute(quoted.group(2) if quoted else word, state, unset_empty)
            empty = value == "" or value is UNSET
            if value is None:
                return None
            if op in (":-", ":="):
                value = inner if empty else value
            elif op in ("-", "="):
                value = inner if value is UNSET else value
            elif op == ":+":
                value = "" if empty else inner
            elif op == "+":
                value = "" if value is UNSET else inner
            elif empty:  # ``${X:?message}``: the shell stops with an error
                return None
        if value is UNSET and unset_empty:
            value = ""
        if value is UNSET or value is None:
            return None
        piece = _text(value)
        if piece is None:
            return None
        if match.group("trim"):
            if not isinstance(value, str):
                return None  # ``${@#-}``: each word trimmed apart
            trimmed = _trim(piece, match.group("trim"), match.group("pattern") or "", state)
            if trimmed is None:
                return None
            piece = trimmed
        out.append(case_modified(piece, match.group("case")))
        size += len(piece)
        if size > MAX_CHARS:
            return None  # ``"$A$A$A..."`` of a big A: see MAX_CHARS
    rest = text[position:]
    if "$" in rest:
        return None
    out.append(rest)
    return "".join(out)


def _trim(value: str, op: str, pattern: str, state: State) -> str | None:
    """bash's ``${X#p}`` / ``${X##p}`` (the shortest / longest prefix matching the glob ``p`` removed) and
    ``${X%p}`` / ``${X%%p}`` (suffix): ``${DYNO%%.*}`` of ``worker.2`` is ``worker``.  The pattern's own
    expansions are substituted and a wholly quoted pattern is literal; None (unknown) for one this reader
    does not match as bash does (quotes inside it, ``[^...]``, escapes, extended globs)."""
    quoted = QUOTED.match(pattern)
    glob = substitute(quoted.group(2) if quoted else pattern, state) if "$" in pattern else \
        (quoted.group(2) if quoted else pattern)
    if glob is None:
        return None
    if quoted:
        glob = re.sub(r"([*?\[])", r"[\1]", glob)  # literal characters
    elif "'" in glob or '"' in glob or _UNREAD_PATTERN.search(glob):
        return None
    size = len(value)
    lengths = range(size + 1) if op in ("#", "%") else range(size, -1, -1)  # shortest first, or longest
    for length in lengths:
        if op.startswith("#") and fnmatchcase(value[:length], glob):
            return value[length:]
        if op.startswith("%") and fnmatchcase(value[size - length:], glob):
            return value[:size - length]
    return value


#: ``$(dirname WORD)`` or `` `dirname WORD` ``, WORD one word (``"$0"``, ``${BASH_SOURCE[0]}``, ``"$APP/run.sh"``)
_DIRNAME = lazy_pattern(r"\$\(\s*dirname\s+(?:--\s+)?(?P<a>[^()`\s]+|\"[^()`\"]*\")\s*\)"
                        r"|`\s*dirname\s+(?:--\s+)?(?P<b>[^()`\s]+|\"[^()`\"]*\")\s*`")


def _dirnames(text: str, state: State, unset_empty: bool) -> str | None:
    """``text`` with each ``$(dirname WORD)`` (or backquoted) replaced by what coreutils' ``dirname`` prints for
    the value of WORD (a deterministic command, evaluated as the shell runs it: ``cd "$(dirname "$0")"`` goes to
    the script's folder); None when a WORD is not known.  Other command substitutions are left in place."""
    out: list[str] = []
    position = 0
    for match in _DIRNAME.finditer(text):
        word = match.group("a") or match.group("b") or ""
        quoted = QUOTED.match(word)
        value = substitute(quoted.group(2) if quoted else word, state, unset_empty)
        if value is None:
            return None
        out += [text[position:match.start()], _dirname(value)]
        position = match.end()
    return "".join(out) + text[position:]


def _dirname(path: str) -> str:
    """coreutils ``dirname``: ``a/b/`` -> ``a``, ``/a`` -> ``/``, ``start.sh`` -> ``.``, ``""`` -> ``.``."""
    stripped = path.rstrip("/")
    if not stripped:
        return "/" if path else "."
    if "/" not in stripped:
        return "."
    return stripped.rpartition("/")[0].rstrip("/") or "/"


def unknown_reason(text: str, state: State) -> str:
    """Why :func:`substitute` gives no value for ``text``, in words for HL004."""
    if "`" in text or "$(" in text:
        found = computed(text, state)
        if found is not None:
            return f"the output of a command substitution (`{found}`), known only when the script runs"
        return "the output of a command substitution"
    for match in _REF.finditer(text):
        name = match.group("braced") or match.group("plain") or match.group("length")
        value = state.lookup(name)
        shown = clipped(name)
        if value is None:
            if name.isdigit() or name in "#@*":
                return f"`${shown}` is an argument this launch does not pass literally"
            assigned = state.vars.get(name)
            if isinstance(assigned, Unknown):
                return assigned.why
            if name in state.vars:
                return f"`{shown}` is assigned on some paths only, or to a value that is not known statically"
            if state.opaque:
                return f"`{shown}` may be set by a file the script sources (`.`/`source`), `eval` or `export $(...)`"
            return f"`{shown}` comes from the launch's environment with a value that is not known statically"
        if value is UNSET and not match.group("op"):
            return f"`{shown}` is not assigned in the script nor in the launch's environment"
    return "an expansion hueylint does not evaluate"


#: a plain shell parameter (``$NAME``, ``${NAME}``; not ``\\$NAME``), as :func:`written_with` replaces it
PLAIN_PARAMETER = lazy_pattern(r"(?<!\\)\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def written_with(text: str, state: State, depth: int = 0) -> str:
    """``text`` with each of its plain parameters (:data:`PLAIN_PARAMETER`) as :func:`as_written` gives it, one
    it gives nothing for kept as written (``${APP_DIR}/scripts/start.sh``)."""
    return PLAIN_PARAMETER.sub(lambda match: as_written(match.group(1) or match.group(2), state, depth)
                               or match.group(0), text)


def as_written(name: str, state: State, depth: int = 0) -> str | None:
    """The value of the variable ``name`` with what is known only when the script runs kept as written: its
    value when known; for a :class:`Computed` variable assigned from text around a command substitution's output
    (``START="${APP_DIR}/scripts/start.sh"`` after ``APP_DIR=$(cd .. && pwd)``) that text, its own plain
    parameters given so in turn (``${APP_DIR}/scripts/start.sh``), so that what is literal in it (the script's
    path below the unknown folder, a program's name) can be read as if written in place; None for anything else
    (the command substitution itself, a variable assigned on some paths only, quotes inside the text)."""
    known = state.lookup(name)
    if isinstance(known, str):
        return known
    assigned = state.vars.get(name)
    if not isinstance(assigned, Computed) or not assigned.text or depth > 4:
        return None
    quoted = QUOTED.match(assigned.text)
    text = quoted.group(2) if quoted else assigned.text
    if "`" in text or "$(" in text or "'" in text or '"' in text or "\\" in text:
        return None  # the command substitution itself: its output is not known
    return written_with(text, state, depth + 1)


def computed(text: str, state: State) -> str | None:
    """The command substitution that ``text``'s value comes from (as :func:`shown_command` shows it), when each part
    of it not known is the output of one: written in it (``"$(find /app -name manage.py)"``, ``"`pwd`/manage.py"``)
    or a :class:`Computed` variable's value (``"$MANAGE"``, ``"${APP_DIR}/manage.py"``); the first one.  None
    when another part is not known (a variable assigned on some paths only, an argument not passed literally, an
    expansion this reader does not evaluate), or nothing is computed."""
    if "`" in text or "$(" in text:
        evaluated = _dirnames(text, state, False)  # ``$(dirname "$0")``: a known value
        if evaluated is None:
            return None
        text = evaluated
    spans = _substitutions(text)
    if spans is None:
        return None
    found = [shown_command(text[start:end]) for start, end in spans]
    out: list[str] = []
    position = 0
    for start, end in spans:
        out += [text[position:start], "_"]  # (any known text in its place)
        position = end
    rest = "".join(out) + text[position:]
    out, position = [], 0
    for match in _REF.finditer(rest):
        name = match.group("braced") or match.group("plain") or match.group("length")
        assigned = state.vars.get(name) if state.lookup(name) is None else None
        if isinstance(assigned, Computed):
            found.append(assigned.command)
            out += [rest[position:match.start()], "_"]
            position = match.end()
    rest = "".join(out) + rest[position:]
    return found[0] if found and substitute(rest, state) is not None else None


def _substitutions(text: str) -> list[tuple[int, int]] | None:
    """Where each command substitution of ``text`` starts and ends: ``$(...)`` (nested ones inside it count as
    its own text) and `` `...` ``; None when one is not closed, or for ``$((...))`` (arithmetic, not read)."""
    spans = []
    index = 0
    while index < len(text):
        if text.startswith("$((", index):
            return None  # arithmetic, not a command's output: not read here
        if text.startswith("$(", index):
            depth, end = 0, index + 1
            while end < len(text):
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                if depth == 0:
                    break
                end += 1
            if end >= len(text):
                return None
            spans.append((index, end + 1))
            index = end + 1
        elif text[index] == "`":
            end = text.find("`", index + 1)
            if end < 0:
                return None
            spans.append((index, end + 1))
            index = end + 1
        else:
            index += 1
    return spans


def shown_command(substitution: str) -> str:
    """A command substitution as a message shows it: ``$(pwd)`` whole, else its first word then ``...``
    (``$(find ...)``); a backquoted one in the ``$(...)`` form (the same command, and a backquote cannot stand
    in a message's code span)."""
    inner = substitution[2:-1] if substitution.startswith("$(") else substitution[1:-1]
    words = inner.split()
    if not words:
        return "$()"
    return f"$({words[0]})" if len(words) == 1 else f"$({clipped(words[0], 30)} ...)"


def default_assignments(text: str) -> list[tuple[str, str]]:
    """``${X:=d}`` / ``${X=d}`` in a word: (name, default) pairs the shell assigns when X is unset."""
    found = []
    for match in _REF.finditer(text):
        if match.group("op") in (":=", "=") and match.group("braced"):
            found.append((match.group("braced"), match.group("word") or ""))
    return found


def _on_path(step: Command | Assignment | ArgLoop, target: Command, level: int | None) -> bool | None:
    """True: ``step`` runs on every path to ``target``; False: on none; None: on some."""
    scope = target.conditions if level is None else target.conditions[:level]
    choices = target.choices if level is None else target.choices[:level]
    if exclusive(step.choices, target.choices):
        return False
    if len(step.conditions) > len(scope) or step.conditions != scope[:len(step.conditions)]:
        return None
    if step.choices != choices[:len(step.choices)]:
        return None
    if any(loop not in target.loops for loop in step.loops):
        return None
    return True


# (command, level) -> the command's branches from that level on are always taken in this run (a test of the
# current user decided by the known user, :func:`hueylint.chain._uid_taken`)
Taken = Callable[[Command, int], bool]
#: ``unsure(arg, why)``: the same argument, marked as one that may not be there (``why`` says when)
Unsure = Callable[[Any, str], Any]


class Evaluator(Generic[A]):
    """:func:`state_at` for every command of one script run with one set of arguments, without replaying
    the whole script for each: the state of a command is continued from the last command queried on the
    same path (same branches, loops and function), which sees exactly the same earlier steps."""

    def __init__(self, script: Script, args: list[A], expand: Callable[[Word, State[A]], list[A]],
                 env: dict[str, str | None] | None = None, name: str | None = None,
                 taken: Taken | None = None, unsure: Unsure | None = None,
                 sourced: Mapping[int, Sourced] | None = None, env_complete: bool = False) -> None:
        self.script, self.args, self.expand, self.env = script, list(args), expand, dict(env or {})
        self.env_complete = env_complete  # see State.env_complete
        self.sourced = sourced or {}  # ``. FILE`` command (Command.seq) -> what it sets, when known
        self.name = name  # ``$0``
        self.taken = taken
        self.unsure = unsure
        steps: list[Command | Assignment | ArgLoop] = [*script.commands, *script.assignments, *script.arg_loops]
        self.steps = sorted(steps, key=lambda step: step.seq)
        self.memo: dict[tuple, tuple[int, State[A], set[int]]] = {}  # path key -> (next step, state, simulated)
        # every branch test, where it runs (Guard.seq): its subject is recorded when the replay passes there,
        # unless no later step can change what it reads (then its value at any later step is the same)
        tests = sorted({guard for step in self.steps if not isinstance(step, ArgLoop) for guard in step.guards},
                       key=lambda guard: guard.seq)
        self.tests = _changeable(tests, self.steps)

    def at(self, position: int, level: int | None = None) -> State[A]:
        target = self.script.commands[position]
        key = (target.conditions, target.choices, target.loops, target.function)
        start, state, simulated = 0, State(list(self.args), {}, dict(self.env), in_function=bool(target.function), \
                                                      name=self.name, env_complete=self.env_complete), \
            set()
        memo = self.memo.get(key) if level is None else None
        if memo is not None and memo[0] <= len(self.steps) and \
                (memo[0] == 0 or self.steps[memo[0] - 1].seq < target.seq):
            start, previous, done = memo
            state, simulated = previous.copy(), set(done)
        index = start
        while index < len(self.steps) and self.steps[index].seq < target.seq:
            self._mark(state, self.steps[index].seq)
            _step(self.steps[index], target, state, level, self.expand, simulated, self.taken, self.unsure,
                  self.sourced)
            index += 1
        self._mark(state, target.seq)
        if level is None:
            self.memo[key] = (index, state.copy(), set(simulated))
        return state


    def _mark(self, state: State[A], seq: int) -> None:
        """Record the subject of every test that runs before step ``seq`` (see :attr:`State.tested`)."""
        while state.marked < len(self.tests) and self.tests[state.marked].seq < seq:
            guard = self.tests[state.marked]
            state.tested.setdefault(guard, test_subject(guard, state))
            state.marked += 1


#: commands that may set or unset variables or the positional parameters by other means than an assignment
_CHANGES_ANY = frozenset({"unset", "read", "mapfile", "readarray", "declare", "typeset", "local", "export", "readonly",
                          "getopts", "printf", "let", "set", "shift", ".", "source", "eval"})
_EVERY = "\0every"  # what a step that may change any parameter changes


def _changes(step: Command | Assignment | ArgLoop) -> set[str]:
    """The parameters a replayed step may change: an assignment its name (``*``: any); anything else that
    can set one (an argument loop, ``read``, ``set --``, ``source``, a ``${X:=d}`` default...) every one."""
    if isinstance(step, Assignment):
        return {_EVERY if step.name == "*" else step.name}
    if isinstance(step, ArgLoop) or step.name in _CHANGES_ANY or any("=" in word.text and "${" in word.text
                                                                   for word in step.words):
        return {_EVERY}
    return set()


def _changeable(tests: list[Guard], steps: list[Command | Assignment | ArgLoop]) -> list[Guard]:
    """The ``tests`` whose subject a step after them may change (positional parameters count as one name)."""
    # each parameter a step may change: the index of the last such step (a set of what steps[i:] change, for
    # each i, was quadratic in memory: a script of 8,000 assignments took 1.4 GB)
    last: dict[str, int] = {}
    for index, step in enumerate(steps):
        for name in _changes(step):
            last[name] = index
    seqs = [step.seq for step in steps]
    kept = []
    for guard in tests:
        index = bisect_right(seqs, guard.seq)
        names = {(match.group("braced") or match.group("plain") or match.group("length") or "")
                 for match in _REF.finditer(guard.subject)}
        # positional ones change only by _EVERY steps
        if last.get(_EVERY, -1) >= index or any(last.get(name, -1) >= index for name in names):
            kept.append(guard)
    return kept


def _step(step: Command | Assignment | ArgLoop, target: Command, state: State, level: int | None,
          expand: Callable[[Word, State], list], simulated: set[int], taken: Taken | None = None,
          unsure: Unsure | None = None, sourced: Mapping[int, Sourced] | None = None) -> None:
    if any(loop in simulated for loop in step.loops):
        return
    if isinstance(step, ArgLoop):
        if step.getopts and step.seq not in target.loops and step.same_process:
            _getopts(step.getopts, state, _on_path(step, target, level) is True)
            return
        if step.seq in target.loops or not step.same_process or _on_path(step, target, level) is not True:
            return
        if step.body is None:
            if _never_runs(step, state):
                simulated.add(step.seq)  # nothing in its body runs before the target
            return
        if _simulate(step, state, expand):
            simulated.add(step.seq)
    elif isinstance(step, Assignment):
        _assign(step, target, state, level, expand, unsure)
    else:
        _command(step, target, state, level, expand, taken, unsure, sourced)


def state_at(script: Script, position: int, args: list[A], expand: Callable[[Word, State[A]], list[A]],
             env: dict[str, str | None] | None = None, level: int | None = None) -> State[A]:
    """The arguments and variables when ``script.commands[position]`` runs (``level``: only the steps
    outside the command's innermost branches, for a branch test's own view).  ``expand`` turns a word of
    ``set -- ...`` into arguments (``"$@"`` into the current ones).  See :class:`Evaluator` for many queries."""
    return Evaluator(script, args, expand, env).at(position, level)


def _assign(step: Assignment, target: Command, state: State, level: int | None,
            expand: Callable[[Word, State], list] | None = None, unsure: Unsure | None = None) -> None:
    if not step.same_process or (step.local and step.function != target.function):
        return
    where = _on_path(step, target, level)
    if where is False:
        return
    if step.exported and step.name != "*" and not step.local:
        state.exported.add(step.name)  # (a new frozenset for each name was quadratic)
    if step.name == "*":  # ``export $(grep -v '^#' .env | xargs)``: names not known
        state.opaque = True
        return
    if step.declared:
        return  # ``export X``: the value is what it was
    if where is None or step.maybe:  # on some paths: the tests around it may decide it for this run
        scope = target.conditions if level is None else target.conditions[:level]
        # from the first branch around it that is not also around the target: those below the target's own
        # ones, or an earlier ``if`` block closed before it (``if [ "$RUN" ]; then W=1; fi; if [ "$W" ]; then
        # ...``: with RUN unset W is never assigned); only branches (not a loop's body, whose tests see other
        # arguments each time round, nor a function's, whose ``$1`` is the call's) are decided here
        start = _diverges(step, target, len(scope))
        nested = not step.function and all(loop in target.loops for loop in step.loops)
        if nested and _refuted(step, start, state):
            return  # ``if [ "$ENV" = dev ]; then W=1; fi`` run with ENV=production: never assigned
        if not (nested and _decided(step, target, start, state)):
            state.vars[step.name] = _bounded(_maybe_appended(step, state, expand, unsure))  # unknown, but added words
            return
    if step.items is not None or step.append:
        state.vars[step.name] = _bounded(_array_or_append(step, state, expand))
        return
    old = state.vars.get(step.name)
    if not step.local and isinstance(old, Captured) and old.array and len(old.items) > 1:
        state.vars[step.name] = None  # ``a=x`` of an array sets its first item: the others stay (bash)
        return
    value = _value(step.value, step.forward, state)
    if value is None and step.value is not None and not step.forward:
        command = computed(step.value.text, state)
        if command is not None:
            value = Computed(f"`{clipped(step.name)}` is set to the output of a command substitution (`{command}`), "
                             "known only when the script runs", command, step.value.text)
    state.vars[step.name] = _bounded(value)


#: the most words and characters a value may hold here: ``opts+=("${opts[@]}")`` or ``A="$A$A"`` repeated doubles
#: it each time (30 lines: a billion words), which bash would choke on too; a bigger value is unknown
MAX_WORDS = 10_000
MAX_CHARS = 1_000_000


def _bounded(value: object) -> object:
    """``value``, or None (unknown) when it is bigger than :data:`MAX_WORDS` / :data:`MAX_CHARS`."""
    if isinstance(value, str) and len(value) > MAX_CHARS or isinstance(value, Captured) and len(value.items) > MAX_WORDS:
        return None
    return value


def _array_or_append(step: Assignment | LoopAction, state: State,
                     expand: Callable[[Word, State], list] | None, added: Sequence[Any] | None = None) -> object:
    """``X=(a "$B" c)``: an array of the words bash expands its items to; ``X+=(d)`` adds words to an array
    (an unset name starts one), ``X+=text`` text to a string (bash's ``+=``).  None (unknown) where bash's
    result is not known here: an array added to a string, text to an array, an unknown value.  ``step``: a
    script's assignment or an argument loop's; ``added``: the new words already expanded (marked unsure)."""
    name, items = (step.name, step.items) if isinstance(step, Assignment) else (step.arg, step.words)
    old = state.lookup(name) if step.append else UNSET
    if items is None:  # ``X+=text``
        new = _value(step.value, False, state)
        return old + new if isinstance(old, str) and isinstance(new, str) else (new if old is UNSET else None)
    if expand is None:
        return None
    words = tuple(added) if added is not None else tuple(item for word in items for item in expand(word, state))
    if old is UNSET:
        return Captured(words, array=True)
    if isinstance(old, Captured) and old.array:
        return Captured(old.items + words, array=True)
    return None


def _maybe_appended(step: Assignment, state: State, expand: Callable[[Word, State], list] | None,
                    unsure: Unsure | None) -> object:
    """The value after ``X+=(words)`` that runs on some paths only (an ``if`` the launch does not decide):
    the array's words, then the added ones made unknown (``unsure``: each may be there or not, so an option
    among them is unknown and the others stay read); None (unknown) for anything else."""
    if not (step.append and step.items is not None and expand is not None and unsure is not None):
        return None
    added = _added_on_some_paths(step.items, state, expand, unsure, f"{step.name}+=(...)", step.line)
    return _array_or_append(step, state, expand, added)


def _added_on_some_paths(words: Sequence[Word], state: State, expand: Callable[[Word, State], list],
                         unsure: Unsure, written: str, line: int) -> list[Any]:
    """The arguments ``words`` expand to, each marked as passed on some paths only (``written`` at ``line``:
    ``opts+=(...)``, ``set -- "$@" ...``)."""
    why = f"added by `{written}` (line {line}) only on some paths"
    return [unsure(item, why) for word in words for item in expand(word, state)]


def _value(word: object, forward: bool, state: State) -> object:
    if forward:
        return None if state.in_function else Captured(tuple(state.args), array=word is None)
    if word is None:
        return None
    text: str = word.text  # type: ignore[attr-defined]
    value = substitute(text, state)
    return value if value is not None else _partial(text, state)


def _partial(text: str, state: State) -> Partial | None:
    """``text`` with its known expansions substituted and the unknown ones kept as written, when at least one
    word of it is known; None when it runs a command (whose output may hold any words) or its literal text
    holds an expansion this reader does not parse."""
    joined = known_parts(text, state)
    if joined is None or not any("$" not in piece for piece in joined.split()):
        return None
    return Partial(joined, unknown_reason(text, state))


def known_parts(text: str, state: State) -> str | None:
    """``text`` with its known expansions substituted and the unknown ones kept as written (``"$IMAGE:$TAG"`` ->
    ``"ghcr.io/acme/app:$TAG"`` when only ``IMAGE`` is known); None when it runs a command, its literal text holds
    an expansion this reader does not parse, or the result is longer than :data:`MAX_CHARS`."""
    if "`" in text or "$(" in text:
        return None
    out: list[str] = []
    position = 0
    for match in _REF.finditer(text):
        if "$" in text[position:match.start()]:
            return None
        known = substitute(match.group(0), state)
        out.append(text[position:match.start()])
        out.append(match.group(0) if known is None or "$" in known else known)
        position = match.end()
    if "$" in text[position:]:
        return None
    out.append(text[position:])
    joined = "".join(out)
    return None if len(joined) > MAX_CHARS else joined


def partial_words(value: object) -> list[tuple[str, str]] | None:
    """The words bash splits an unquoted ``$X`` into when X holds a :class:`Partial`: (word, why) pairs,
    ``why`` empty for a known word and the reason for one holding an unknown expansion (kept as one word,
    as an unknown expansion written in a command is); None for any other value."""
    if not isinstance(value, Partial):
        return None
    return [(piece, value.why if "$" in piece else "") for piece in value.text.split()]


def _command(step: Command, target: Command, state: State, level: int | None,
             expand: Callable[[Word, State], list], taken: Taken | None = None, unsure: Unsure | None = None,
             sourced: Mapping[int, Sourced] | None = None) -> None:
    if step.background or step.subshell or step.pipeline:
        return
    where = _on_path(step, target, level)
    if where is False:
        return
    words = step.words
    known = sourced.get(step.seq) if sourced and step.name in (".", "source") else None
    if known is not None:
        _source(known, state, certain=where is True and not step.maybe)
    elif step.name in (".", "source", "eval"):
        state.opaque = True  # may set any variable (on some path at least)
    for word in words[1:]:
        for name, default in default_assignments(word.text):
            if where is None:
                state.vars[name] = None
            elif state.lookup(name) in (UNSET, ""):
                state.vars[name] = substitute(default, state)
    # positional changes keep the original rule (branch conditions only), as before loops were simulated
    if step.function and step.function != target.function and (
            step.name == "shift" or (step.name == "set" and len(words) > 1 and words[1].text == "--")):
        return  # ``set --``/``shift`` in a function body change that call's arguments, not the script's
    scope = target.conditions if level is None else target.conditions[:level]
    inside = _continues(step, target, len(scope)) and \
        (taken is not None and taken(step, len(scope)) or _decided(step, target, len(scope), state))
    outside = len(step.conditions) > len(scope) or step.conditions != scope[:len(step.conditions)]
    if (outside or step.maybe) and not inside and step.name == "set" and len(words) > 2 and words[1].text == "--" \
            and words[2].text in ("$@", "${@}") and unsure is not None and not state.in_function:
        # ``set -- "$@" -n`` on some paths only: the arguments, then the added ones marked as maybe there (none
        # when the launch refuses the branch)
        if step.conditions[:len(scope)] == scope and _refuted(step, len(scope), state):
            return
        added = _added_on_some_paths(words[3:], state, expand, unsure, 'set -- "$@" ...', step.line)
        state.args = _bounded_args([*state.args, *added], unsure)
        return
    if outside and not inside:
        if step.name in _SETS_NAMES and where is None:
            for name, _ in _names_set(step):
                state.vars[name] = None
        return
    if step.name == "shift":
        count = _count(words[1].text, state) if len(words) > 1 else 1
        state.args = state.args[count:] if count is not None else state.args
    elif step.name == "set" and len(words) > 1 and words[1].text == "--":
        state.args = _bounded_args([arg for word in words[2:] for arg in expand(word, state)], unsure)
    elif step.name in _SETS_NAMES:
        for name, whole in _names_set(step):
            # ``unset NAME`` unsets it; ``unset 'a[1]'`` drops one item; ``read``/``mapfile`` set values from input
            state.vars[name] = UNSET if step.name == "unset" and whole else None


def _source(known: Sourced, state: State, certain: bool) -> None:
    """``. FILE`` of a file whose assignments are known: its values where it surely runs, else (a branch the
    launch does not decide) each name it sets unknown, and so are the names it unsets."""
    for name, value in known.values:
        state.vars[name] = value if certain and value is not None else Unknown(known.why)
    for name in known.unsets:
        state.vars[name] = UNSET if certain else Unknown(known.why)


def _bounded_args(args: list, unsure: Unsure | None) -> list:
    """``set -- ...``'s new arguments; past :data:`MAX_WORDS` (``set -- "$@" "$@"`` repeated) the first ones,
    each marked unsure (unknown)."""
    if len(args) <= MAX_WORDS:
        return args
    why = f"`set --` made more than {MAX_WORDS:,} arguments: not followed"
    return [unsure(arg, why) for arg in args[:MAX_WORDS]] if unsure is not None else args[:MAX_WORDS]


_SETS_NAMES = frozenset({"unset", "read", "mapfile", "readarray", "printf", "getopts"})


def _names_set(step: Command) -> list[tuple[str, bool]]:
    """(name, whole) for each variable ``unset``/``read``/``mapfile``/``readarray``/``printf -v``/``getopts`` changes: ``unset 'a[1]'``
    drops one item of ``a`` (not whole); ``unset -f`` removes functions; ``mapfile`` without a name fills
    ``MAPFILE`` (bash(1) "Shell Builtin Commands")."""
    words = [word.text for word in step.words[1:]]
    if step.name == "unset" and any(word.startswith("-") and "f" in word for word in words):
        return []
    if step.name == "printf":  # ``printf -v NAME FORMAT ...`` (bash) assigns instead of printing
        return [(words[1].split("[", 1)[0], "[" not in words[1])] if len(words) > 1 and words[0] == "-v" else []
    if step.name == "getopts":  # ``getopts OPTSTRING NAME``: NAME and OPTARG (OPTIND: see _count)
        return [(words[1], True), ("OPTARG", True)] if len(words) > 1 else []
    names = [(word.split("[", 1)[0], "[" not in word) for word in words if not word.startswith("-")]
    return names or ([("MAPFILE", True)] if step.name in ("mapfile", "readarray") else [])


def _diverges(step: Command | Assignment, target: Command, start: int) -> int:
    """The first of the target's first ``start`` branch levels where ``step`` sits in another branch (another
    test, or another clause of the same one); ``start`` when it sits in all of them."""
    for level in range(start):
        if step.conditions[level:level + 1] != target.conditions[level:level + 1] or \
                step.choices[level:level + 1] != target.choices[level:level + 1]:
            return level
    return start


def _continues(step: Command | Assignment, target: Command, start: int) -> bool:
    """``step`` sits in the first ``start`` branches around ``target`` (the same tests, the same clauses)."""
    return step.conditions[:start] == target.conditions[:start] and step.choices[:start] == target.choices[:start]


def _decided(step: Command | Assignment, target: Command, start: int, state: State) -> bool:
    """Every branch around ``step`` from the ``start``-th on is taken in ``state``: each has a simple test
    whose subject has a known value the test admits (``[ "$1" = worker ] && set -- huey_consumer ...`` run
    with ``worker``).  An ``elif`` is decided when its own test and the failing of every earlier one both
    have a guard (:meth:`hueylint.shell._Walker.if_`).  False for a step inside the branch whose test the
    state is asked for (``start`` below the target's depth): it runs after that test."""
    levels = range(start, len(step.conditions))
    if not levels or step.conditions[start:start + 1] == target.conditions[start:start + 1]:
        return False
    for level in levels:
        guards = [guard for guard in step.guards if guard.level == level]
        if not guards or (step.conditions[level].startswith("elif ") and len(guards) < 2):
            return False
        for guard in guards:
            value = tested_value(guard, state)
            if not isinstance(value, str) or not guard.decides(value) or not guard.admits(value):
                return False
    return True


def branches_taken(step: Command, outside: Command, state: State) -> bool:
    """Every branch around ``step`` that does not also enclose ``outside`` (a later command after those
    branches) is taken in ``state`` (the state at ``step``): their simple tests admit the launch's values
    (``[ "$1" = web ] && exit 0`` run with ``web``)."""
    return may_be_taken(step, outside) and _decided(step, outside, len(outside.conditions), state)


def may_be_taken(step: Command, outside: Command) -> bool:
    """What :func:`branches_taken` needs before any state: ``step`` sits in branches below ``outside``'s and
    each of them has a simple test (a caller asks for the state, a replay of the script, only then)."""
    start = len(outside.conditions)
    return len(step.conditions) > start and _continues(step, outside, start) and \
        all(any(guard.level == level for guard in step.guards) for level in range(start, len(step.conditions)))


def tested_value(guard: Guard, state: State) -> str | None:
    """The value of ``guard``'s subject when its test ran (see :attr:`State.tested`), from the state of any
    later step on the same path (:meth:`Evaluator.at`); None when not known."""
    return state.tested[guard] if guard in state.tested else test_subject(guard, state)


def test_subject(guard: Guard, state: State) -> str | None:
    """The value ``guard``'s test reads in ``state``: its subject expanded; an unset variable is empty when the
    launch's environment is complete (:attr:`State.env_complete`), else unknown (the deployer may set it), also
    behind a default (``[ "${ROLE:-web}" = worker ]``, ``[ -n "${RUN_WORKER:-}" ]``)."""
    if not state.env_complete and any(_absent(name, state) for name in _names(guard.subject)):
        return None
    return substitute(guard.subject, state, unset_empty=state.env_complete)


def _names(text: str) -> list[str]:
    """The parameters ``text`` expands (``${#X}``, ``${X:-d}``, ``$X``)."""
    return [match.group("length") or match.group("braced") or match.group("plain") for match in _REF.finditer(text)]


def _absent(name: str, state: State) -> bool:
    """``name`` is unset only because nothing hueylint sees sets it (not the script's own ``unset``)."""
    return not name.isdigit() and name not in "#@*" and name not in state.vars and state.lookup(name) is UNSET


def _refuted(step: Command | Assignment, start: int, state: State) -> bool:
    """A branch around ``step`` from the ``start``-th on is not taken in ``state``: its simple test has a
    subject with a known value the test refuses (``if [ "$ENV" = dev ]`` run with ``ENV=production``)."""
    for guard in step.guards:
        if guard.level >= start:
            value = tested_value(guard, state)
            if isinstance(value, str) and guard.decides(value) and not guard.admits(value):
                return True
    return False


_ARITHMETIC = lazy_pattern(r"^\$\(\(\s*(\$?\w+)\s*(?:([-+])\s*(\$?\w+)\s*)?\)\)$")


def _count(text: str, state: State) -> int | None:
    """``shift``'s count: ``2``, ``$((OPTIND-1))``, ``$((OPTIND - 1))``; None when not known."""
    if text.isdigit():
        return whole_number(text)
    match = _ARITHMETIC.match(text)
    if match is None:
        return None
    values = []
    for operand in (match.group(1), match.group(3)):
        if operand is None:
            continue
        name = operand.lstrip("$")
        value = name if name.isdigit() else state.lookup(name)
        number = whole_number(value) if isinstance(value, str) else None
        if number is None:
            return None
        values.append(number)
    total = values[0] + (values[1] if match.group(2) == "+" else -values[1]) if len(values) == 2 else values[0]
    return total if total >= 0 else None


def _getopts(spec: str, state: State, certain: bool) -> None:
    """``while getopts SPEC var``: set ``OPTIND`` to one past the options the arguments start with.

    getopts does not shift: the script does (``shift $((OPTIND-1))``).  An option cluster ``-qw4`` and a
    value in the next argument (``-w 4``) follow the spec's ``:`` marks; ``--`` ends the options.
    """
    index, args = 0, state.args
    while index < len(args):
        arg = args[index]
        if not arg.literal:
            state.vars["OPTIND"] = None
            return
        if arg.text == "--":
            index += 1
            break
        if not arg.text.startswith("-") or arg.text == "-":
            break
        letters = arg.text[1:]
        for position, letter in enumerate(letters):
            at = spec.find(letter)
            if at >= 0 and spec[at + 1:at + 2] == ":":
                if position == len(letters) - 1:
                    index += 1  # the value is the next argument
                break
        index += 1
    state.vars["OPTIND"] = str(index + 1) if certain else None


def _never_runs(loop: ArgLoop, state: State) -> bool:
    """A loop over the arguments whose body is not modelled (``key="$1"; case $key in``) that runs zero
    times: its test is on ``$#``/``$1`` (``while [[ $# -gt 0 ]]``, ``while [ -n "$1" ]``), not ``true``, and
    the script has no arguments."""
    return loop.counted and not state.args and not state.in_function and loop.condition.rstrip(";") not in ("true", ":")


def _simulate(loop: ArgLoop, state: State, expand: Callable[[Word, State], list] | None = None) -> bool:
    """Run an argument loop on the literal arguments; False (state untouched) when that is not possible."""
    args = list(state.args)
    variables = dict(state.vars)
    trial: State = State(args, variables, state.env, opaque=state.opaque, name=state.name)
    assert loop.body is not None
    endless = loop.condition.rstrip(";") in ("true", ":")  # only ``break``/``exit`` end it
    for _ in range(len(args) + 2):
        if not trial.args and not endless:
            break
        outcome = _run(loop.body, trial, expand)  # "next" / "continue": the loop test again
        if outcome in ("exit", None):
            return False
        if outcome == "break":
            break
    else:
        return False
    state.args, state.vars = trial.args, trial.vars
    return True


def _run(actions: tuple[LoopAction, ...], state: State, expand: Callable[[Word, State], list] | None = None
         ) -> str | None:
    """Run a loop body once: ``next``, ``break``, ``exit``, or None when it cannot be followed (``expand``: an
    array's items into words, as :class:`Evaluator` takes it)."""
    for action in actions:
        if action.kind == "shift":
            count = len(state.args) if action.arg in ("$#", "${#}") else whole_number(action.arg)
            if count is None or count > len(state.args):
                return None  # ``shift 2`` with one argument fails and shifts nothing: a loop that never ends
            state.args = state.args[count:]
        elif action.kind == "assign" and (action.words is not None or action.append):
            state.vars[action.arg] = _bounded(_array_or_append(action, state, expand))
        elif action.kind == "assign":
            assert action.value is not None
            forward = action.value.text in FORWARD_FORMS
            state.vars[action.arg] = _value(action.value, forward, state)
        elif action.kind in ("break", "exit"):
            return action.kind
        elif action.kind == "continue":
            return "continue"
        elif action.kind == "unknown":
            return None
        elif action.kind == "case":
            if state.args and not state.args[0].literal:
                return None
            subject = state.args[0].text if state.args else ""
            for patterns, body in action.items:
                if any(fnmatchcase(subject, pattern) for pattern in patterns):
                    outcome = _run(body, state, expand)
                    if outcome != "next":
                        return outcome
                    break
    return "next"


__all__ = ["Captured", "Computed", "Evaluator", "State", "UNSET", "branches_taken", "default_assignments", "state_at", "substitute",
           "computed", "unknown_reason"]
