"""Parse consumer command lines exactly as huey does.

``huey_consumer`` uses :mod:`optparse`, ``manage.py run_huey`` uses Django's
:mod:`argparse` parser with the same option specs.  Rather than imitating
their quirks (``-nf``, ``-w4``, unique long prefixes, ``-w=4`` refused by
optparse but accepted by argparse), we build real parsers from huey's option
table (:data:`hueylint.hueyfacts.SPECS`), versioned by the release that introduced each spelling, and ask
them.  huey itself is never imported.
"""

from __future__ import annotations

import argparse
import functools
import optparse
from dataclasses import field, replace
from typing import Any, Mapping, NoReturn, Sequence

from hueylint.huey_options import release_number, runs_text, version_text
from hueylint.hueyfacts import (
    RUN_HUEY_DISABLE_AUTOLOAD,
    RUN_HUEY_VERBOSE,
    SPECS,
    OptionSpec,
    Version,
    joinable_timeout,
)
from hueylint.locations import Loc
from hueylint.model import HueyVersion, Problem, Val
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.words import jinja_renderings, templated


def _long_for(spec: OptionSpec, version: Version) -> str:
    if spec.old_long and version < spec.renamed:
        return spec.old_long
    return spec.long


class _Refused(Exception):
    pass


class _Front:
    """optparse's list of remaining arguments, taken from the front in O(1).

    optparse consumes its ``rargs`` with ``pop(0)``/``del rargs[0]``, O(n) each on a list, so a consumer
    command of n words cost O(n^2) (600,000 words: minutes).  This stack holds them reversed and offers the
    list operations optparse uses on ``rargs``; optparse's own code still decides everything.
    """

    def __init__(self, items: Sequence[str]) -> None:
        self._reversed = list(reversed(items))

    def __len__(self) -> int:
        return len(self._reversed)

    def __iter__(self):
        return reversed(self._reversed)

    def _list(self) -> list[str]:
        return self._reversed[::-1]

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, int) and 0 <= key < len(self._reversed):
            return self._reversed[-1 - key]
        return self._list()[key]

    def __delitem__(self, key: int | slice) -> None:
        if isinstance(key, slice) and key.start in (None, 0) and key.step in (None, 1):
            del self._reversed[max(len(self._reversed) - (key.stop if key.stop is not None else len(self)), 0):]
        elif key == 0 and self._reversed:
            self._reversed.pop()
        else:
            items = self._list()
            del items[key]
            self._reversed = items[::-1]

    def pop(self, index: int = -1) -> str:
        if index == 0:
            return self._reversed.pop()
        items = self._list()
        value = items.pop(index)
        self._reversed = items[::-1]
        return value

    def insert(self, index: int, item: str) -> None:
        if index == 0:
            self._reversed.append(item)
        else:
            items = self._list()
            items.insert(index, item)
            self._reversed = items[::-1]

    def __radd__(self, other: list[str]) -> list[str]:
        return list(other) + self._list()


class _OptParser(optparse.OptionParser):
    def error(self, msg: str) -> NoReturn:  # optparse API
        raise _Refused(msg)

    def exit(self, status: int = 0, msg: str | None = None) -> NoReturn:
        raise _Refused(msg or "exit")

    def _get_args(self, args: Any) -> Any:  # optparse API: the list parse_args consumes
        return _Front(super()._get_args(args))


class _ArgParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _Refused(message)

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        raise _Refused(message or "exit")


@functools.lru_cache(maxsize=16)
def _optparse_for(version: Version) -> _OptParser:
    """huey_consumer's option parser at ``version`` (built once per version: parsing leaves it unchanged)."""
    parser = _OptParser(add_help_option=False)
    for spec in SPECS:
        if not spec.present(version):
            continue
        kwargs: dict[str, Any] = {"dest": spec.dest}
        if spec.kind in ("store_true", "store_false"):
            kwargs["action"] = spec.kind
        elif spec.kind == "choice":
            kwargs.update(type="choice", choices=list(spec.choices))
        else:
            kwargs["type"] = {"str": "string"}.get(spec.kind, spec.kind)
        parser.add_option(spec.short, _long_for(spec, version), **kwargs)
    return parser


DJANGO_FLAGS = ("--traceback", "--no-color", "--force-color", "--skip-checks")


@functools.lru_cache(maxsize=16)
def _argparse_for(version: Version, program: str) -> _ArgParser:
    """run_huey's (``program``'s) argument parser at ``version``, built once per pair."""
    parser = _ArgParser(add_help=False, prog=program)
    for spec in SPECS:
        if not spec.present(version):
            continue
        short = RUN_HUEY_VERBOSE[0] if spec.short == "-v" else spec.short
        long = RUN_HUEY_VERBOSE[1] if spec.long == "--verbose" else _long_for(spec, version)
        kwargs: dict[str, Any] = {"dest": spec.dest, "default": None}
        if spec.kind in ("store_true", "store_false"):
            kwargs["action"] = spec.kind
        elif spec.kind == "choice":
            kwargs["choices"] = list(spec.choices)
        else:
            kwargs["type"] = {"int": int, "float": float, "str": str}[spec.kind]
        parser.add_argument(long, short, **kwargs)
    parser.add_argument(*RUN_HUEY_DISABLE_AUTOLOAD, action="store_true", dest="disable_autoload")
    if program == "djangohuey":
        parser.add_argument("--queue", dest="queue")
    parser.add_argument("--settings", dest="django_settings")
    parser.add_argument("--pythonpath", dest="django_pythonpath")
    parser.add_argument("-v", "--verbosity", dest="django_verbosity", type=int)
    for flag in DJANGO_FLAGS:
        parser.add_argument(flag, action="store_true", dest="django_" + flag[2:].replace("-", "_"))
    parser.add_argument("rest", nargs="*")
    return parser


@dataclass
class ParsedConsumer:
    """The outcome of parsing one consumer command line."""

    options: dict[str, Val[Any]] = field(default_factory=dict)
    app: Val[str] | None = None
    problems: list[Problem] = field(default_factory=list)
    extra: dict[str, Val[Any]] = field(default_factory=dict)  # run_huey-only: queue, settings, -A


def _spec_by_token(token: str) -> OptionSpec | None:
    for spec in SPECS:
        if token in (spec.short, spec.long, spec.old_long) or (
            token.startswith("--") and len(token) > 2 and spec.long.startswith(token)
        ):
            return spec
    return None


def _option_name(token: str) -> str:
    """The option a command-line word writes: ``--shutdown-timeout=5`` -> ``--shutdown-timeout``, ``-t5`` -> ``-t``."""
    name = token.split("=", 1)[0]
    return name if name.startswith("--") or len(name) <= 2 else name[:2]


def _takes_next_word(token: str) -> bool:
    """Whether the option ``token`` (one huey knows in some version) takes its value from the next word: not a
    flag (``store_true``/``store_false``), nor written with its value (``--shutdown-timeout=5``, ``-t5``)."""
    spec = _spec_by_token(_option_name(token))
    attached = "=" in token or (not token.startswith("--") and len(token) > 2)
    return spec is not None and not attached and spec.kind not in ("store_true", "store_false")


def _version_problem(token: str, version: Version, runs: str, loc: Loc) -> Problem | None:
    """Explain an option refused only because the launch's huey is older than it (``runs`` says which)."""
    name = _option_name(token)
    spec = _spec_by_token(name)
    if spec is None:
        return None
    if version < spec.since:
        return Problem(loc, kind="needs-version", option=f"{spec.short}/{spec.long}",
                       since=version_text(spec.since), huey=runs)
    if spec.until is not None and version >= spec.until:
        return Problem(loc, kind="removed", option=f"{spec.short}/{spec.long}", since=version_text(spec.until),
                       huey=runs)
    if spec.old_long and name == spec.old_long and version >= spec.renamed:
        return Problem(loc, kind="renamed", option=spec.old_long, to=spec.long,
                       since=version_text(spec.renamed), huey=runs)
    if spec.old_long and version < spec.renamed and spec.long.startswith(name) and name != spec.old_long:
        return Problem(loc, kind="old-spelling", option=spec.long, to=spec.old_long,
                       since=version_text(spec.renamed), huey=runs)
    return None


def _locate(tokens: Sequence[str], locs: Sequence[Loc], origin: Loc, needle: str) -> Loc:
    for token, loc in zip(tokens, locs):
        if token == needle or token.startswith(needle):
            return loc
    return origin


def _attribute(parser: optparse.OptionParser, args: Sequence[str]) -> dict[str, int]:
    """Map each dest to the index of the (last) token that set it, following optparse's grammar."""
    found: dict[str, int] = {}
    index = 0
    while index < len(args):
        token = args[index]
        if token == "--":
            break
        if token.startswith("--"):
            name = token.split("=", 1)[0]
            try:
                opt_name = parser._match_long_opt(name)  # optparse's own matcher
            except optparse.BadOptionError:
                index += 1
                continue
            option = parser._long_opt[opt_name]
            if option.dest is not None:  # every option of huey's parsers stores (no --help/--version)
                found[option.dest] = index
            if option.takes_value() and "=" not in token:
                index += 1
        elif token.startswith("-") and len(token) > 1:
            for pos, char in enumerate(token[1:], start=1):
                short = parser._short_opt.get("-" + char)
                if short is None:
                    break
                if short.dest is not None:
                    found[short.dest] = index
                if short.takes_value():
                    if pos == len(token) - 1:
                        index += 1
                    break
        index += 1
    return found


def _validate(options: dict[str, Val[Any]], problems: list[Problem], origin: Loc) -> None:
    """huey's ``ConsumerConfig.validate`` and ``Consumer.__init__`` checks."""
    backoff = options.get("backoff")
    if backoff is not None and backoff.value is not None and backoff.value < 1:
        problems.append(Problem(backoff.loc, kind="backoff", value=backoff.value))
    interval = options.get("scheduler_interval")
    if interval is not None and interval.value is not None:
        value = interval.value
        if not 0 < value <= 60 or 60 % value:
            problems.append(Problem(interval.loc, kind="scheduler-interval", value=value))
    # No check on `-w`: huey accepts `-w 0` (the consumer then runs only its scheduler, a
    # pattern used for a dedicated periodic-task enqueuer); see Launch.runs_tasks.
    max_tasks = options.get("max_tasks")
    health = options.get("check_worker_health")
    if max_tasks is not None and max_tasks.value and health is not None and health.value is False:
        problems.append(Problem(max_tasks.loc, kind="max-tasks-without-health"))
    timeout = options.get("shutdown_timeout")
    if timeout is not None and timeout.value is not None and timeout.value < 0:
        problems.append(Problem(timeout.loc, kind="negative-timeout", value=timeout.value))
    elif timeout is not None and timeout.value is not None and not joinable_timeout(timeout.value):
        problems.append(Problem(timeout.loc, kind="join-refuses-timeout", value=timeout.value,
                                said="ValueError" if timeout.value != timeout.value else "OverflowError"))


def parse_consumer(
    program: str,
    args: Sequence[str],
    origin: Loc,
    *,
    locs: Sequence[Loc] | None = None,
    version: HueyVersion | Version | None = None,
    unsure: Mapping[int, str] | None = None,
    runtime: Sequence[int] = (),
) -> ParsedConsumer:
    """Parse ``args`` (everything after the program) for ``program``.

    ``program`` is ``huey_consumer`` (optparse), ``run_huey`` or
    ``djangohuey`` (argparse).  ``locs`` gives each token's position; the
    launch's position is used where it is missing.  Arguments that are not
    literal (``$WORKERS``) should be passed as-is: values that cannot be
    converted are then reported only if they are literal.  ``version`` is the huey the launch runs
    (options it lacks are refused, and the message names where the version came from).

    Returns the options set, by huey's ``dest`` name (:data:`hueylint.hueyfacts.SPECS`), each a ``Val`` at
    its option word with the value converted as huey converts it (``workers`` an int, ``shutdown_timeout``
    seconds as a float, flags a bool); ``app``, the import path of the Huey instance; ``problems``, what huey
    would refuse or misread (HL002, as :class:`~hueylint.model.Problem` kinds: huey's own parser error is a
    ``refused`` problem, not an exception).  ``unsure`` maps the index of a word the shell passes on some paths
    only (``args+=(--no-periodic)`` under an ``if``) to why: an option that word sets is unknown, with that why,
    and a problem at that word says it (``Problem.maybe``).  ``runtime`` lists the indexes of words whose value is
    set where the command runs, without a ``$`` (a systemd template's ``%i``): read as run-time words, as ``$X``.
    """
    runs = runs_text(version)
    version = release_number(version)
    locs = list(locs) if locs is not None else []
    locs += [origin] * (len(args) - len(locs))
    result = ParsedConsumer()
    literal_args = [arg for arg in args]
    dynamic = [i for i, arg in enumerate(literal_args) if "$" in arg or templated(arg) or i in runtime]
    if program == "huey_consumer":
        _parse_optparse(literal_args, locs, origin, (version, runs), result, dynamic)
    else:
        _parse_argparse(program, literal_args, locs, origin, (version, runs), result, dynamic)
    _validate(result.options, result.problems, origin)
    maybe = {locs[index]: why for index, why in (unsure or {}).items() if index < len(locs)}
    for dest, value in list(result.options.items()):
        if value.loc in maybe:
            result.options[dest] = Val.unknown_at(value.loc, maybe[value.loc])
    result.problems = [replace(problem, maybe=maybe[problem.loc]) if problem.loc in maybe else problem
                       for problem in result.problems]
    return result


def _explain(message: str, args: Sequence[str], locs: Sequence[Loc], origin: Loc,
             version: tuple[Version, str]) -> Problem:
    for token, loc in zip(args, locs):
        if token.startswith("-") and (token in message or token.split("=", 1)[0] in message):
            return _version_problem(token, *version, loc) or Problem(loc, kind="refused", said=message)
    return Problem(_locate(args, locs, origin, "-"), kind="refused", said=message)


def _mentions(token: str, message: str) -> bool:
    """The parser's complaint is about ``token`` (or the value of ``--opt=token``)."""
    return token in message or (token.startswith("-") and "=" in token and token.split("=", 1)[1] in message)


def _set_aside(parser: Any, message: str, args: list[str], locs: Sequence[Loc], dynamic: list[int],
                result: ParsedConsumer) -> tuple[list[str], list[Loc], list[int]] | None:
    """Drop the run-time value the parser refused (``-w $WORKERS``) and mark its option unknown.

    The other options are still known (``-g TERM`` next to ``-w $WORKERS``); None when the
    refused value is not an option's value (then nothing can be said).
    """
    for index in dynamic:
        if not _mentions(args[index], message):
            continue
        token = args[index]
        start, flag = index, token.split("=", 1)[0]
        if "=" not in token or not token.startswith("-"):
            if index == 0 or not args[index - 1].startswith("-"):
                return None
            start, flag = index - 1, args[index - 1]
        try:
            option = parser.get_option(flag) if hasattr(parser, "get_option") else \
                parser._option_string_actions.get(flag)
        except Exception:  # noqa: BLE001 - any lookup failure: give up quietly
            option = None
        if option is not None and getattr(option, "dest", None):
            result.options[option.dest] = Val.unknown_at(locs[index], f"set from {token}")
        keep = [i for i in range(len(args)) if i not in (start, index)]
        shifted = [i - (index - start + 1) if i > index else i for i in dynamic if i not in (start, index)]
        return [args[i] for i in keep], [locs[i] for i in keep], shifted
    return None


def _tolerant(parse: Any, parser: Any, args: list[str], locs: Sequence[Loc], origin: Loc,
              version: tuple[Version, str],
              result: ParsedConsumer, dynamic: list[int]) -> tuple[Any, list[str], Sequence[Loc], list[int]] | None:
    """Run ``parse(args)`` as huey would; None (with a problem recorded) when huey refuses the command.

    A value only known at run time that the parser refuses (``-w $WORKERS``) is set aside as
    unknown and the rest is parsed again, so ``-g TERM`` next to it is still read.
    """
    while True:
        try:
            return parse(list(args)), args, locs, dynamic
        except _Refused as exc:
            if dynamic and any(_mentions(args[i], str(exc)) for i in dynamic):
                retry = _set_aside(parser, str(exc), args, locs, dynamic, result)
                if retry is None:
                    return None
                args, locs, dynamic = retry
                continue
            result.problems.append(_explain(str(exc), args, locs, origin, version))
            return None


def _parse_optparse(args: list[str], locs: Sequence[Loc], origin: Loc, version: tuple[Version, str],
                    result: ParsedConsumer, dynamic: list[int]) -> None:
    parser = _optparse_for(version[0])
    parsed = _tolerant(parser.parse_args, parser, args, locs, origin, version, result, dynamic)
    if parsed is None:
        return
    (values, positional), args, locs, dynamic = parsed
    where = _attribute(parser, args)
    for dest, index in where.items():
        value = getattr(values, dest)
        result.options[dest] = Val(value, locs[index]) if index not in dynamic else Val.unknown_at(
            locs[index], f"set from {args[index]}")
    at = _app_index(positional)
    _set_app(result, positional[at:], args, locs, origin)
    _open_options(result, [word for i, word in enumerate(positional) if i != at], args, locs, dynamic, origin,
                  version[0])


def _open_options(result: ParsedConsumer, leftover: Sequence[str], args: Sequence[str], locs: Sequence[Loc],
                  dynamic: list[int], origin: Loc, version: Version) -> list[str]:
    """A run-time word the parser took for no option's value (``huey_consumer app.huey $ARGS``, ``$ARGS``
    assigned on some paths only) may expand to any options when the shell runs it: every option of the launch's
    huey ``version`` the line does not set literally becomes unknown there, so no rule claims an option is absent
    (``-t``, ``-n``, ``-f``; an option newer than that huey cannot be set).  An inline Jinja block whose every
    branch writes consumer options (:func:`_rendered_options`) opens only those, when every run-time word of the
    line is such a block.  Returns the leftover words that are not run-time words."""
    first: dict[str, int] = {}  # each word's first index in args (linear: a template may repeat a block 10,000 times)
    for index, arg in enumerate(args):
        first.setdefault(arg, index)
    run_time_at = set(dynamic)
    # each run-time word once (a repeated one sets nothing more: the options are set at its first place)
    rendered = {word: _rendered_options(word) for word in dict.fromkeys(leftover) if first.get(word, -1) in run_time_at}
    known = all(dests is not None for dests in rendered.values())
    for word, dests in rendered.items():
        # a Jinja block whose every branch is options huey knows opens only those options; any other word, all
        opened = dests if dests is not None and known else None
        if opened is None:
            # the Kubernetes builder's placeholder for a Helm template value (platforms.kubernetes._tokens)
            by = "a Helm template value, when the chart is rendered" if word == "${HELM}" else f"`{word}` at run time"
        else:
            by = f"`{word}`, when the template is rendered"
        loc = locs[first[word]]
        for spec in SPECS:
            if (opened is None or spec.dest in opened) and spec.present(version):
                result.options.setdefault(spec.dest, Val.unknown_at(loc, f"may be set by {by}"))
        if opened is None:
            break  # any option: the first such word says it
    return [word for word in leftover if word not in rendered]


def _rendered_options(word: str) -> set[str] | None:
    """The ``dest`` of every consumer option some branch of the inline Jinja block ``word`` writes
    (:func:`hueylint.words.jinja_renderings`: ``{% if w %}-w {{ w }}{% endif %}`` -> ``{"workers"}``); None when
    ``word`` is no such block, or a branch writes anything else (an option huey's consumer lacks, such as
    ``run_huey``'s ``--queue``, whose value words are unknown here; a positional word): then it may be anything."""
    branches = jinja_renderings(word)
    if branches is None:
        return None
    dests: set[str] = set()
    for words in branches:
        index = 0
        while index < len(words):
            token = words[index]
            name = token.split("=", 1)[0] if token.startswith("--") else token[:2]
            spec = _spec_by_token(name) if token.startswith("-") and len(token) > 1 else None
            if spec is None:
                return None
            dests.add(spec.dest)
            takes_value = spec.kind not in ("store_true", "store_false")
            attached = "=" in token if token.startswith("--") else len(token) > 2
            if not takes_value and attached and not token.startswith("--"):
                return None  # a group of short flags (`-fn`): read by huey's parser, not here
            index += 2 if takes_value and not attached else 1
    return dests


_IMPORT_PATH = lazy_pattern(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")


def _app_index(positional: Sequence[str]) -> int:
    """Which positional word is the app path: the first (huey's consumer takes ``args[0]`` and ignores the rest),
    unless that is a run-time word (``$OPTS``, a template) followed by a literal import path: options kept in a
    variable before the app (``exec huey_consumer.py "$@" $opts broker.consumer.huey``, ``$opts`` set to
    ``--no-periodic`` on some instances, empty on the others) expand to options or to nothing, and the literal
    path is the app; writing the app in a variable and a second import path after it is no deployment."""
    if not positional or not ("$" in positional[0] or templated(positional[0])):
        return 0
    for index, word in enumerate(positional[1:], start=1):
        if "$" not in word and not templated(word) and _IMPORT_PATH.fullmatch(word):
            return index
    return 0


def _set_app(result: ParsedConsumer, positional: list[str], args: Sequence[str],
             locs: Sequence[Loc], origin: Loc) -> None:
    if not positional:
        result.problems.append(Problem(origin, kind="no-app"))
        return
    app = positional[0]
    index = list(args).index(app) if app in args else -1
    loc = locs[index] if index >= 0 else origin
    if "$" in app or templated(app):
        result.app = Val.unknown_at(loc, f"set from {app}")
    else:
        result.app = Val(app, loc)


def _parse_argparse(program: str, args: list[str], locs: Sequence[Loc], origin: Loc,
                    version: tuple[Version, str], result: ParsedConsumer, dynamic: list[int]) -> None:
    parser = _argparse_for(version[0], program)
    parsed = _tolerant(parser.parse_known_args, parser, args, locs, origin, version, result, dynamic)
    if parsed is None:
        return
    (namespace, unknown), args, locs, dynamic = parsed
    unknown = _open_options(result, unknown, args, locs, dynamic, origin, version[0])
    taken: set[int] = set()  # the values of options this huey refuses only for its version (`-t 5` before 3.4)
    for token in unknown:
        if token.startswith("-"):
            index = args.index(token)
            refused = _version_problem(token, *version, locs[index])
            result.problems.append(refused or Problem(
                locs[index], kind="not-an-option", option=token, program=program))
            if refused is not None and _takes_next_word(token) and index + 1 < len(args):
                taken.add(index + 1)  # one finding for `-t 5`, not a second for a positional `5`
    for action in parser._actions:  # walk the declared options
        if not action.option_strings:
            continue
        value = getattr(namespace, action.dest, None)
        if value is None or value is False and action.const is True:
            continue
        index = next((i for i, token in enumerate(args)
                      if any(token == s or token.startswith(s + "=") or
                             (s.startswith("--") and len(token) > 2 and token.startswith("--") and
                              s.startswith(token.split("=", 1)[0]))
                             or (not s.startswith("--") and token.startswith(s) and not token.startswith("--"))
                             for s in action.option_strings)), -1)
        loc = locs[index] if index >= 0 else origin
        # the option's value is the next word when not attached to it (``--queue NAME``, not ``--queue=NAME``
        # or ``-w4``): a value known only at run time there (``--queue ${QUEUE}``, a Helm value) is unknown too
        apart = index >= 0 and action.nargs != 0 and "=" not in args[index] and index + 1 < len(args) and (
            args[index] in action.option_strings or args[index].startswith("--"))
        at = index + 1 if apart and index + 1 in dynamic else index
        val: Val[Any] = Val.unknown_at(loc, f"set from {args[at]}") if at in dynamic else Val(value, loc)
        if action.dest.startswith("django_") or action.dest in ("queue", "disable_autoload"):
            result.extra[action.dest] = val
        else:
            result.options[action.dest] = val
    leftover = namespace.rest or []
    if taken:
        values = {args[index] for index in taken}
        leftover = [word for word in leftover if word not in values or not all(
            i in taken for i, arg in enumerate(args) if arg == word)]
    rest = _open_options(result, leftover, args, locs, dynamic, origin, version[0])
    if rest:
        extra = list(rest)
        index = args.index(extra[0]) if extra[0] in args else -1
        result.problems.append(Problem(locs[index] if index >= 0 else origin, kind="positional",
                                       option=extra[0], program=program))

