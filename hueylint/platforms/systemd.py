"""systemd services: ``ExecStart=`` launches with KillSignal, TimeoutStopSec and friends.

Drop-ins (``NAME.service.d/*.conf`` beside the unit, and the template's
``name@.service.d``) are merged in file-name order after the unit, as systemd
does; template units (``name@.service``) are scalable.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from types import ModuleType
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from hueylint.chain import Token, group_reaches, resolve
from hueylint.discovery import Notice
from hueylint.durations import DurationError, parse_duration
from hueylint.environment import read_repo_env_file, record, record_unread, shell_values, unknown_if_interpolated
from hueylint.formats import (
    SOURCE_FOLDERS,
    SYSTEMD_SUFFIXES,
    TEMPLATE_SUFFIXES,
    foreign_service,
    is_dropin,
    last_folder,
    strip_template_suffix,
    template_base,
    template_of,
)
from hueylint.hueyfacts import CONSUMER_WORD
from hueylint.launch_facts import SystemdFacts
from hueylint.launches import InstanceNames, make_launch, named_for_huey, one_instance_branches, unfollowed_named_launch
from hueylint.locations import Loc
from hueylint.model import Hop, Launch, Project, Val, WrapperProblem
from hueylint.numerals import whole_number
from hueylint.parsers import embedded
from hueylint.parsers.dockerfile_writes import WrittenFile
from hueylint.parsers.systemd import Entries, Entry, Unit, parse_entries
from hueylint.platforms import Built
from hueylint.platforms.systemd_installs import debian_unit_name, user_manager_install
from hueylint.regexes import lazy_pattern
from hueylint.script_lookup import find_file, find_script, parse_script
from hueylint.shell import Script
from hueylint.shell_eval import PLAIN_PARAMETER, Evaluator, State, as_written, substitute, written_with
from hueylint.signals import normalize_signal
from hueylint.sources import SourceFile
from hueylint.words import Jinja, clipped, jinja_comments_only, split, templated
from hueylint.workspace import Workspace

if TYPE_CHECKING:
    from hueylint.platforms.ansible_vars import Rendering

DEFAULT_STOP = 90.0
EXEC_PREFIXES = "-@:+!|"


def _placeholders(value: str) -> Jinja:
    """A template's placeholders and Jinja statements in a line (each one word whatever it holds; a block whose end
    is on a later line takes the rest of the line), and ERB's tags (``<%= @workers %>``, a ``.erb`` unit's)."""
    return Jinja(value, variables=True, erb=True, open_blocks=True)


def is_user_unit(rel: str) -> bool:
    """``~/.config/systemd/user/x.service``, ``deploy/systemd/user/x.service``: runs as its own user."""
    parts = rel.split("/")[:-1]
    return any(part == "user" and index > 0 and parts[index - 1] == "systemd" for index, part in enumerate(parts))


def _split(value: str) -> list[str]:
    """systemd's word splitting (close to POSIX), keeping each ``{{ placeholder }}`` or Jinja statement in one
    word; a Jinja comment renders to nothing (:class:`~hueylint.words.Jinja`)."""
    words = split(value, whole=_placeholders)
    if "{#" not in value:
        return words
    return [Jinja(word, blocks=False, tags=False).sub(lambda *_: "") for word in words
            if not jinja_comments_only(word)]


def _is_dropin(rel: str) -> bool:
    return is_dropin(rel)


def _by_folder(ws: Workspace) -> dict[str, list[SourceFile]]:
    """The walked systemd files by folder, in :meth:`Workspace.of_format`'s order: one pass a run, not one per
    unit (2,000 units in one folder made 4,000,000 comparisons), asked again once more files are kept."""
    def index() -> dict[str, list[SourceFile]]:
        found: dict[str, list[SourceFile]] = {}
        for src in ws.of_format("systemd"):
            found.setdefault(posixpath.dirname(src.rel), []).append(src)
        return found
    return ws.memo(("systemd-by-folder", str(len(ws.sources))), index)


def _dropins_for(ws: Workspace, unit: SourceFile) -> list[SourceFile]:
    folder = posixpath.dirname(unit.rel)
    name = strip_template_suffix(posixpath.basename(unit.rel))  # huey.service.erb takes huey.service.d/
    template = template_of(name)
    names = [name] if template is None else [template, name]
    found: list[SourceFile] = []
    for unit_name in names:
        dropdir = posixpath.join(folder, unit_name + ".d") if folder else unit_name + ".d"
        walked = [src for src in _by_folder(ws).get(dropdir, []) if src.rel.endswith(".conf")]
        # the walk did not list the unit's folder, or it named one drop-in of a folder it did not list
        # (`hueylint check deploy/huey.service.d/10-stop.conf`): systemd reads them all
        if (folder, "scan") not in ws.listings or (walked and (dropdir, "scan") not in ws.listings):
            seen = {src.rel for src in walked}
            walked += [src for src in _unwalked_dropins(ws, dropdir) if src.rel not in seen]
        found += sorted(walked, key=lambda src: posixpath.basename(src.rel))
    return found


def _unwalked_unit(ws: Workspace, dropin: str, units: list[SourceFile]) -> SourceFile | None:
    """The unit of the drop-in ``dropin`` when the walk did not list the unit's folder (``hueylint check
    deploy/huey.service.d/10-stop.conf`` names the drop-in alone): ``huey.service`` (an instance's
    ``w@1.service.d/`` is of its template ``w@.service``) beside the drop-in folder, read on demand, as a run over
    the whole repository reads it; not a git-ignored or configured-``exclude`` one.  None when the walk listed
    that folder (it walked the unit, if there is one), or the unit is one of ``units`` already."""
    dropdir = posixpath.dirname(dropin)
    folder, unit_name = posixpath.dirname(dropdir), posixpath.basename(dropdir)[:-2]
    if (folder, "scan") in ws.listings:
        return None
    template = template_of(unit_name)
    names = [unit_name] if template is None else [unit_name, template]
    known = {src.rel for src in units}
    for name in names:
        rel = posixpath.join(folder, name) if folder else name
        if rel in known:
            return None
        if ws.exists(rel) and not ws.excluded(rel):
            return ws.file(rel)
    return None


def _unwalked_dropins(ws: Workspace, dropdir: str) -> list[SourceFile]:
    """The ``*.conf`` drop-ins of ``dropdir`` when the walk did not list the unit's folder (``hueylint check
    deploy/huey.service`` names the unit alone; a walked folder lists its drop-in folders, so a run over the tree
    asks nothing more): read on demand, as a run over the whole repository reads them,
    but not a git-ignored or configured-``exclude`` one (nor would that run)."""
    names = [name for name in ws.list_folder(dropdir) or [] if name.endswith(".conf")]
    rels = [posixpath.join(dropdir, name) for name in names]
    return [src for rel in rels if ws.exists(rel) and not ws.excluded(rel) and (src := ws.file(rel)) is not None]


def _parse(ws: Workspace, src: SourceFile, key: str = "systemd") -> Entries | None:
    """The entries of ``src``, parsed once per run (the lines systemd skips: ``ignored``, see :func:`_skipped`)."""
    return ws.parsed(key, src, parse_entries)


def _skipped(ws: Workspace, unit: Unit, name: str, runs_consumer: bool) -> None:
    """The lines and values (:func:`_ignored_values`) systemd skips in a unit that runs a consumer or is about huey (its name or its text says huey,
    as every consumer command does: an ``ExecStart=`` before any section leaves the unit none), as HL001 at
    their place (once each); in another program's unit they change nothing hueylint reads."""
    if not runs_consumer and "huey" not in name.lower() and "huey" not in unit.source.text.lower():
        return
    done: set[tuple[str, int]] = ws.memo(("systemd-skipped",), set)
    for src, line, col, why in [*unit.ignored, *_ignored_values(ws, unit), *_refused_exec(ws, unit)]:
        rel = src.rel if isinstance(src, SourceFile) else src
        if (rel, line) not in done:
            done.add((rel, line))
            ws.unparseable(src, line, col, why)


def load_unit(ws: Workspace, src: SourceFile, aliases: Sequence[SourceFile] = (), key: str = "systemd") -> Unit | None:
    """The unit ``src`` with its drop-ins, also those of its ``aliases`` (symlinks naming it otherwise:
    systemd reads the drop-in folders of every name of a unit); ``key``: the parse's memo (a rendering of a
    template is parsed on its own)."""
    entries = _parse(ws, src, key)
    if entries is None:
        return None
    unit = Unit(src, list(entries), ignored=[(src, *skipped) for skipped in entries.ignored])
    for dropin in [*_dropins_for(ws, src), *(found for alias in aliases for found in _dropins_for(ws, alias))]:
        extra = _parse(ws, dropin)
        if extra is not None:
            unit.ignored += [(dropin, *skipped) for skipped in extra.ignored]
        if extra:
            unit.entries += extra
            unit.dropins.append(dropin.rel)
    return unit


def entry_loc(ws: Workspace, entry: Entry) -> Loc:
    src = ws.file(entry.source)
    text = src.line(entry.line) if src else ""
    return Loc(entry.source, entry.line, entry.col, entry.line, len(text) + 1)


def exec_tokens(ws: Workspace, entry: Entry) -> list[Token]:
    """Split ``ExecStart=`` the way systemd does, after its ``-@:+!`` prefixes."""
    value = entry.value
    prefixes = ""
    while value and value[0] in EXEC_PREFIXES:
        prefixes += value[0]
        value = value[1:]
    words = _split(value)
    if "@" in prefixes and len(words) >= 2:
        words = [words[0], *words[2:]]  # the second word is only argv[0]
    lines = _physical_lines(ws, entry)
    tokens: list[Token] = []
    at, cursor = 0, entry.col - 1  # the physical line (index into lines) and column searched from
    for word in words:
        for index in range(at, len(lines)):
            number, text = lines[index]
            found = text.find(word, cursor if index == at else 0)
            if found >= 0:
                tokens.append(Token(word, Loc(entry.source, number, found + 1, number, found + 1 + len(word))))
                at, cursor = index, found + len(word)
                break
        else:
            tokens.append(Token(word, entry_loc(ws, entry)))
    return tokens


#: an environment variable reference systemd expands in a command line's word (systemd.service(5), "Command
#: lines"): ``${NAME}`` anywhere in a word, ``$$`` a literal dollar
_BRACED_OR_DOLLAR = lazy_pattern(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: ``$NAME`` as a whole word, which systemd splits at whitespace into zero or more words
_WHOLE_WORD = lazy_pattern(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def expand_exec_tokens(tokens: list[Token], env: dict[str, Val[str]]) -> list[Token]:
    """``tokens`` of a command line with the unit's environment (``Environment=``, ``EnvironmentFile=`` read from
    the repository: ``env``) substituted as systemd substitutes it (systemd.service(5), "Command lines"): a word
    that is ``$NAME`` alone becomes the value split at whitespace (zero or more words, quotes grouping as
    systemd's unquoting does); ``${NAME}`` in a word is replaced by the exact value, whitespace and all, always one
    word (``${OPTS}`` holding ``-w 4 -k process`` is one argument, which huey's parser refuses); ``$$`` is a
    dollar.  A word naming a variable whose value is not known here (set elsewhere, or from a file not in the
    repository) is kept as written: unknown.  Every word made keeps the position of the word it came from."""
    def known(name: str) -> str | None:
        value = env.get(name)
        return None if value is None or not value.known or value.value is None else str(value.value)

    expanded: list[Token] = []
    for token in tokens:
        text = token.text
        if "$" not in text:
            expanded.append(token)
            continue
        whole = _WHOLE_WORD.fullmatch(text)
        if whole is not None:
            value = known(whole.group(1))
            if value is None:
                expanded.append(token)
            else:
                expanded.extend(Token(word, token.loc) for word in split(value))
            continue
        missing = False

        def sub(match: re.Match[str]) -> str:
            nonlocal missing
            if match.group(0) == "$$":
                return "$"
            value = known(match.group(1))
            if value is None:
                missing = True
                return match.group(0)
            return value

        result = _BRACED_OR_DOLLAR.sub(sub, text)
        expanded.append(token if missing or result == text else Token(result, token.loc))
    return expanded


def _physical_lines(ws: Workspace, entry: Entry) -> list[tuple[int, str]]:
    """(line number, text) of the lines ``entry``'s value is written on: its own line and the lines a ``\\``
    at a line's end continues it on (comment lines inside are skipped, as systemd and the parser do)."""
    src = ws.file(entry.source)
    if src is None:
        return [(entry.line, "")]
    lines = [(entry.line, src.line(entry.line))]
    number = entry.line
    continued = lines[0][1].rstrip().endswith("\\")
    while continued and number < len(src.lines):
        number += 1
        text = src.line(number)
        if text.lstrip().startswith(("#", ";")):
            continue
        lines.append((number, text[:-1] if text.rstrip().endswith("\\") else text))
        continued = text.rstrip().endswith("\\")
    return lines


#: an ExecStop= command signalling the unit's main process, in every spelling kill(1) takes (procps and util-linux):
#: ``/bin/kill -INT $MAINPID``, ``kill -s INT ${MAINPID}``, ``kill --signal=INT``, ``kill -n 2``, ``kill -SIGINT --
#: "$MAINPID"``, and ``kill $MAINPID`` (no signal: SIGTERM); systemd sets MAINPID in ExecStop='s environment and
#: substitutes it as a word of its own.  Group 1 is the signal as written (None: SIGTERM); ``kill -0`` sends none.
_STOP_KILL = lazy_pattern(r"(?<![\w-])kill[ \t]+(?:(?:-s[ \t]+|--signal(?:[ \t]+|=)|-n[ \t]+|-)(?:SIG)?([A-Za-z]+|\d+)"
                          r"[ \t]+)?(?:--[ \t]+)?[\"']?\$\{?MAINPID\b")
#: a command that waits for the main process to exit: ``while kill -0 $MAINPID; do sleep 1; done``, ``tail
#: --pid=$MAINPID -f /dev/null``
_STOP_WAIT = lazy_pattern(r"(?<![\w-])kill[ \t]+-0[ \t]+[\"']?\$\{?MAINPID\b|--pid[= ][\"']?\$\{?MAINPID\b")


def _sent(value: str, start: int = 0) -> re.Match[str] | None:
    """The first ``kill`` of the main process in the ExecStop= command ``value`` that sends a signal (``kill -0``
    only tests it is alive)."""
    for found in _STOP_KILL.finditer(value, start):
        if found.group(1) != "0":
            return found
    return None


def _sent_signal(found: re.Match[str]) -> str | None:
    """The signal a :data:`_STOP_KILL` match sends: SIGTERM when it names none, as kill(1) does."""
    return normalize_signal(found.group(1)) if found.group(1) is not None else "TERM"


def _exec_stops(unit: Unit) -> list[Entry]:
    """The ExecStop= commands systemd runs, in order: those after the last empty assignment, which resets the list."""
    stops: list[Entry] = []
    for entry in unit.entries:
        if entry.section == "Service" and entry.key == "ExecStop":
            stops = [] if not entry.value.strip() else [*stops, entry]
    return stops


def _kills_nothing(unit: Unit) -> Entry | None:
    """The ``KillMode=none`` systemd applies to ``unit`` (:func:`_applied`), else None."""
    entry = _applied(unit, "KillMode")[0]
    return entry if entry is not None and entry.value.strip() == "none" else None


def _stop_command_sent(ws: Workspace, stops: list[Entry]) -> Val[str] | None:
    """The signal the first ExecStop= command of ``stops`` that signals the main process sends, at its line; under
    ``KillMode=none`` it is the only signal the consumer gets when the unit stops.  None: there is no ExecStop=
    command, or each only waits for the main process to exit.  Another command (``pkill -INT -f huey_consumer``,
    ``systemctl kill``, ``kill`` of a pid file's process, a script, ``supervisorctl stop``) may signal the consumer
    in a way not followed here: the signal is unknown (no verdict), and a notice says so."""
    for entry in stops:
        sent = _sent(entry.value)
        if sent is not None:
            signal = _sent_signal(sent)
            loc = entry_loc(ws, entry)
            return Val(signal, loc) if signal is not None else Val.unknown_at(loc, f"ExecStop={entry.value.strip()}")
    unfollowed = [entry for entry in stops if _STOP_WAIT.search(entry.value) is None]
    if not unfollowed:
        return None
    entry = unfollowed[0]
    ws.say(Notice(entry.source, f"line {entry.line}: under `KillMode=none` only ExecStop= can stop the consumer, and "
                                f"`ExecStop={clipped(entry.value.strip())}` is not followed (which signal it sends, "
                                "and to which process): its stop signal is not checked"))
    return Val.unknown_at(entry_loc(ws, entry), f"ExecStop={clipped(entry.value.strip())}")


def _stop_command_signal(ws: Workspace, stops: list[Entry]) -> Val[str] | None:
    """SIGINT when the ExecStop= commands ``stops`` send it to the consumer and also wait for it to exit
    (``ExecStop=/bin/kill -INT $MAINPID`` then ``ExecStop=/bin/sh -c 'while kill -0 $MAINPID; do sleep 1; done'``):
    systemd runs them in order, within TimeoutStopSec=, and sends KillSignal= only to what is left once they return
    (systemd.service(5)), so the consumer stops on that signal, never on KillSignal=.  None otherwise (a lone kill
    returns at once)."""
    for index, entry in enumerate(stops):
        sent = _sent(entry.value)
        if sent is None:
            continue
        waits = _STOP_WAIT.search(entry.value, sent.end()) is not None or any(
            _STOP_WAIT.search(later.value) for later in stops[index + 1:])
        # (SIGINT, huey's graceful default, the form this takes; another signal waited for keeps the
        # KillSignal= reading, whose verdict is the same for it)
        return Val.default("INT", f"`ExecStop={clipped(entry.value.strip())}` ({entry_loc(ws, entry)}) sends it and "
                                  "ExecStop= waits for the consumer to exit") \
            if waits and _sent_signal(sent) == "INT" else None
    return None


def stop_signal(ws: Workspace, unit: Unit) -> Val[str] | None:
    """The signal the consumer gets when systemd stops ``unit``: KillSignal= (SIGTERM by default), or what its
    ExecStop= commands send; None under ``KillMode=none`` when no ExecStop= command signals it (systemd.kill(5):
    "no process is killed", only the stop commands run, so nothing reaches the consumer)."""
    stops = _exec_stops(unit)
    waited = _stop_command_signal(ws, stops)
    if waited is not None:
        return waited
    if _kills_nothing(unit):
        return _stop_command_sent(ws, stops)
    entry, ignored = _applied(unit, "KillSignal")
    if entry is None:
        # at the last value systemd ignores (HL001 there: the default applies, an empty `KillSignal=` included):
        # a fix writes the value there (appended to [Service], the ignored value would still come after it)
        if ignored:
            return Val("TERM", entry_loc(ws, ignored[-1]))
        if stops:
            # systemd.service(5): once the ExecStop= commands ran, the processes left are killed as KillMode= says,
            # with KillSignal=; a `kill -INT $MAINPID` there returns at once, so SIGTERM follows it straight away
            stop = stops[-1]
            return Val.default("TERM", f"systemd default KillSignal, sent to the consumer still running as soon as "
                                       f"`ExecStop={clipped(stop.value.strip())}` ({entry_loc(ws, stop)}) returns")
        return Val.default("TERM", "systemd default KillSignal")
    signal = normalize_signal(entry.value)
    if signal is None:
        return Val.unknown_at(entry_loc(ws, entry), f"KillSignal={entry.value}")
    return Val(signal, entry_loc(ws, entry))


def stop_timeout(ws: Workspace, unit: Unit) -> Val[float]:
    """The seconds systemd gives the consumer to stop before SIGKILL: TimeoutStopSec= (or TimeoutSec=), 90 s by
    default; infinite under ``KillMode=none``, which kills no process at all (systemd.kill(5))."""
    none = _kills_nothing(unit)
    if none is not None:
        return Val(float("inf"), entry_loc(ws, none))
    chosen: Entry | None = None
    emptied: Entry | None = None  # (the last empty assignment: systemd ignores it, HL001 says so)
    for entry in unit.entries:
        if entry.section == "Service" and entry.key in _TIME_SPANS:
            if entry.value.strip():
                chosen = entry
            else:
                emptied = entry
    if chosen is None:
        # at the last empty assignment, which systemd ignores (HL001 there: the default applies): a fix writes the
        # value there, as for an empty `KillSignal=`
        return Val(DEFAULT_STOP, entry_loc(ws, emptied)) if emptied is not None else \
            Val.default(DEFAULT_STOP, "systemd default TimeoutStopSec")
    if templated(chosen.value) or "%" in chosen.value:
        return Val.unknown_at(entry_loc(ws, chosen), f"{chosen.key}={chosen.value}")
    try:
        seconds = parse_duration(chosen.value)
    except DurationError:
        ws.unparseable(chosen.source, chosen.line, chosen.col, f"{chosen.key}={chosen.value} is not a systemd time span")
        return Val.unknown_at(entry_loc(ws, chosen), f"{chosen.key}={chosen.value}")
    if seconds == 0:
        return Val(float("inf"), entry_loc(ws, chosen))  # 0 disables the timeout
    return Val(seconds, entry_loc(ws, chosen))


def _fact(ws: Workspace, unit: Unit, key: str) -> Val[str] | None:
    entry = _applied(unit, key)[0] if key in _ACCEPTED else unit.last("Service", key)
    return Val(entry.value, entry_loc(ws, entry)) if entry else None


#: the values systemd takes for these ``[Service]`` keys (systemd.kill(5), systemd.service(5)), compared as
#: written (``KillMode=Mixed`` is none); another is ignored ("Failed to parse ..., ignoring"), and the earlier
#: assignment, or the default, stays in force
_ACCEPTED = {"KillMode": ("control-group", "process", "mixed", "none"),
             "Restart": ("no", "on-success", "on-failure", "on-abnormal", "on-watchdog", "on-abort", "always"),
             # (service_type_table of src/core/service.c: `exec` since v240, `notify-reload` since v253)
             "Type": ("simple", "exec", "forking", "oneshot", "dbus", "notify", "notify-reload", "idle")}
#: the ``[Service]`` keys of the stop timeout, whose empty assignment systemd ignores (:func:`_applied`); a value it
#: cannot parse is HL001 where :func:`stop_timeout` reads it
_TIME_SPANS = ("TimeoutStopSec", "TimeoutSec")

#: the signal names systemd takes for ``KillSignal=`` (``config_parse_signal`` -> ``signal_from_string``,
#: src/basic/signal-util.c: its ``static_signal_table``), after an optional ``SIG``, compared as written
#: (``KillSignal=sigint`` and ``KillSignal=INTERRUPT`` are ignored, "Failed to parse signal name, ignoring")
_SYSTEMD_SIGNALS = frozenset({"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
                              "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
                              "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"})
#: Linux's real-time signals as ``signal_from_string`` takes them: ``RTMIN``, ``RTMIN+n``, ``RTMAX``, ``RTMAX-n``
#: (0 <= n <= SIGRTMAX-SIGRTMIN, 30 with glibc)
_SYSTEMD_RT_SIGNAL = lazy_pattern(r"RTMIN(?:\+(\d+))?|RTMAX(?:-(\d+))?")
#: the signal numbers Linux has (1 to _NSIG-1, _NSIG 65)
_SIGNAL_COUNT = 64


def _systemd_takes_signal(value: str) -> bool:
    """Whether systemd's ``signal_from_string`` takes ``value`` (stripped, as systemd strips it): a number 1-64, a
    name of :data:`_SYSTEMD_SIGNALS` with or without ``SIG``, or a real-time signal; nothing else (no quotes, no
    lower case)."""
    if re.fullmatch(r"\+?\d+", value):
        number = whole_number(value.lstrip("+"))
        return number is not None and 1 <= number <= _SIGNAL_COUNT
    name = value[3:] if value.startswith("SIG") else value
    if name in _SYSTEMD_SIGNALS:
        return True
    real_time = _SYSTEMD_RT_SIGNAL.fullmatch(name)
    offset = next((group for group in real_time.groups() if group is not None), "0") if real_time else None
    return offset is not None and int(offset) <= _SIGNAL_COUNT - 34


def _accepts(key: str, value: str) -> bool:
    """Whether systemd takes ``value`` for ``key`` (:data:`_ACCEPTED`, a signal for ``KillSignal``; any time span
    written for :data:`_TIME_SPANS`, whose parse :func:`stop_timeout` judges)."""
    if key in _TIME_SPANS:
        return True
    return _systemd_takes_signal(value) if key == "KillSignal" else value in _ACCEPTED[key]


def _takes(key: str) -> str:
    """What systemd takes for ``key``, said in the notice of a value it ignores."""
    if key == "KillSignal":
        return "a signal's name in capitals with or without `SIG`, its number, or `RTMIN+n`"
    if key in _TIME_SPANS:
        return "a time span such as `90`, `1min 30s` or `infinity`"
    return f"{', '.join(_ACCEPTED[key])}, as written"


def _applied(unit: Unit, key: str) -> tuple[Entry | None, list[Entry]]:
    """The assignment of ``key`` (one of :data:`_ACCEPTED`, ``KillSignal`` or :data:`_TIME_SPANS`) systemd applies:
    the last one it accepts (a templated one, ``{{ ... }}`` or a Jinja statement, is taken as written), and the ones
    it ignores.

    An empty assignment is one it ignores: it resets a list (``ExecStop=``, ``Environment=``), but these keys'
    parsers (``DEFINE_CONFIG_PARSE_ENUM`` for ``KillMode=``, ``Restart=`` and ``Type=``, ``config_parse_signal`` for
    ``KillSignal=``: src/shared/conf-parser.[ch] and src/core/load-fragment.c in every systemd version read, from 2012 to v257) find no value in
    ``""``, log "Failed to parse ..., ignoring" and leave the earlier assignment, or the default, in force.

    ``Type=``: ``DEFINE_CONFIG_PARSE_ENUM(config_parse_service_type, service_type, ServiceType, ...)`` in
    src/core/load-fragment.c, from 2012 (v4x) to current main; the macro (src/shared/conf-parser.h) has no
    ``isempty(rvalue)`` branch, unlike ``DEFINE_CONFIG_PARSE_ENUM_WITH_DEFAULT``, and ``service_type_from_string("")``
    (a case-sensitive string table: ``Type=Exec`` is ignored too) fails: "Failed to parse service type, ignoring".

    ``TimeoutStopSec=``/``TimeoutSec=``: parsed by ``config_parse_service_timeout`` (load-fragment.c, through
    ``config_parse_usec``/``config_parse_sec`` in 2012-2014, then ``parse_sec``, later ``parse_sec_fix_0`` for
    ``TimeoutSec=``) and, since ``TimeoutStopSec=`` moved to ``config_parse_sec_fix_0`` (load-fragment-gperf.gperf),
    by ``parse_sec_fix_0``: all end in ``parse_time`` (src/basic/time-util.c), which returns ``-EINVAL`` for a string
    holding no number (``if (*p == 0) { if (!something) return -EINVAL; ...}``), and the caller logs "Failed to
    parse %s= parameter, ignoring".  Only ``TimeoutAbortSec=`` (``config_parse_service_timeout_abort``) treats
    ``""`` as a reset."""
    found: Entry | None = None
    ignored: list[Entry] = []
    for entry in unit.entries:
        if entry.section != "Service" or entry.key != key:
            continue
        if entry.value.strip() and (_accepts(key, entry.value.strip()) or templated(entry.value)):
            found = entry
        else:
            ignored.append(entry)
    return found, ignored


def _kills_group(facts: SystemdFacts) -> bool:
    """Whether systemd stops the unit with KillSignal to every process of it (``KillMode=control-group``, also
    the default when no value it accepts is set)."""
    kill_mode = facts.kill_mode
    return kill_mode is None or (kill_mode.value or "").strip() == "control-group"


def _systemd_facts(ws: Workspace, unit: Unit, origin: Loc) -> SystemdFacts:
    """What the systemd rules read of the unit (its drop-ins, ``Type``, ``ExecReload``, the ``KillMode`` applied)."""
    return SystemdFacts(dropins=Val(tuple(unit.dropins), origin), type=_service_type(ws, unit),
                        exec_reload=_fact(ws, unit, "ExecReload"), kill_mode=_fact(ws, unit, "KillMode"),
                        discarded=_output_discarded(ws, unit))


def _service_type(ws: Workspace, unit: Unit) -> Val[str]:
    """The unit's ``Type=``: the last one systemd takes (drop-ins included; an empty ``Type=`` or one it does not
    take, ``Type=Exec``, is ignored, HL001: :func:`_applied`), else systemd's default (systemd.service(5):
    ``simple`` when ``ExecStart=`` is set and neither ``Type=`` nor ``BusName=`` is, ``dbus`` when ``BusName=``
    is).  A unit the builder reads always has ``ExecStart=``, so the third default (``oneshot`` without it) never
    applies."""
    written = _fact(ws, unit, "Type")
    if written is not None:
        return written
    ignored = _applied(unit, "Type")[1]
    last = ignored[-1].value.strip() if ignored else ""
    unset = (f"no `Type=` it takes (it ignores {f'`Type={last}`' if last else 'the empty `Type=`'} at "
             f"{entry_loc(ws, ignored[-1])})") if ignored else "no `Type=`"
    bus = _fact(ws, unit, "BusName")
    if bus is not None and (bus.value or "").strip():
        return Val.default("dbus", f"systemd default with `BusName=` ({bus.where()}) and {unset}")
    return Val.default("simple", f"systemd default: {unset}, `ExecStart=` set and no `BusName=`")


def _ignored_values(ws: Workspace, unit: Unit) -> list[tuple[SourceFile | str, int, int, str]]:
    """Each ``KillMode=``/``Restart=``/``Type=``/``KillSignal=`` value, and each empty ``TimeoutStopSec=``/
    ``TimeoutSec=``, systemd ignores (:func:`_applied`), as (file, line, column, why)."""
    return [(ws.file(entry.source) or entry.source, entry.line, entry.col,
             f"systemd ignores `{key}={entry.value.strip()}` (it takes {_takes(key)}): the value "
             "before it, or the default, applies" if entry.value.strip() else
             f"an empty `{key}=` does not reset it: systemd ignores it (\"Failed to parse ..., ignoring\"; it takes "
             f"{_takes(key)}), so the value before it, or the default, applies")
            for key in (*_ACCEPTED, "KillSignal", *_TIME_SPANS) for entry in _applied(unit, key)[1]]


#: what :func:`_unclosed_quote` looks at: an escape with the character it escapes, or a quote
_QUOTING = lazy_pattern(r"\\.?|['\"]", re.S)


def _unclosed_quote(value: str) -> int | None:
    """The index in ``value`` of a quote systemd's ``Exec*=`` splitting never sees closed, else None
    (``extract_first_word`` with ``EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE``: a quote anywhere in a word opens, a
    backslash escapes the next character inside quotes and out; a ``{{ placeholder }}`` of a template is one
    word whatever it holds)."""
    value = _placeholders(value).sub(lambda span, *_: "x" * len(span))
    opened = None
    for match in _QUOTING.finditer(value):  # only the characters that quote or escape: linear, in C between them
        char = match.group(0)
        if char[0] == "\\":
            continue
        if opened is None:
            opened = match.start()
        elif char == value[opened]:
            opened = None
    return opened


def _refused_exec(ws: Workspace, unit: Unit) -> list[tuple[SourceFile | str, int, int, str]]:
    """Each ``Exec*=`` line systemd refuses for a quote never closed (``config_parse_exec``: ENOEXEC, "Unit
    configuration has fatal error, unit will not be started"), as (file, line, column of the quote, why)."""
    found: list[tuple[SourceFile | str, int, int, str]] = []
    for entry in unit.entries:
        if entry.section != "Service" or not entry.key.startswith("Exec"):
            continue
        at = _unclosed_quote(entry.value)
        if at is None:
            continue
        src = ws.file(entry.source)
        first = src.line(entry.line)[entry.col - 1:] if src is not None else ""
        col = entry.col + at if first.startswith(entry.value[:at + 1]) else entry.col
        found.append((src or entry.source, entry.line, col, f"systemd refuses `{entry.key}=`: the quote opened here "
                      "is never closed, so the unit has a fatal error and is not started"))
    return found


def build(ws: Workspace, project: Project) -> Built:
    built = Built()
    # an enablement link (`multi-user.target.wants/huey.service -> ../huey.service`) or an alias (`worker.service
    # -> huey.service`) is the same unit to systemd, loaded once: the run checks it at its target
    # (Workspace.of_format leaves the link out), with the drop-ins of every name
    aliases = ws.links()
    units = [src for src in ws.of_format("systemd") if not _is_dropin(src.rel)]
    for src in ws.of_format("systemd"):
        if _is_dropin(src.rel):
            _parse(ws, src)  # report HL001 for broken drop-ins too
            unit_src = _unwalked_unit(ws, src.rel, units)
            if unit_src is not None:
                units.append(unit_src)
    for src in units:
        if foreign_service(src.text[:4096]):
            continue  # an avahi service group or a D-Bus activation file: systemd never reads it
        names = [ws.sources[rel] for rel, target in aliases.items() if target == src.rel and rel in ws.sources
                 and posixpath.basename(rel) != posixpath.basename(src.rel)]  # an alias, not an enablement link
        _template_launches(ws, project, built, src, names)
    for src in ws.of_format("provisioning", "script"):
        values = script_values(ws, src) if src.format == "script" else None
        for block in embedded.unknown_paths(src, values) if values is not None else ():
            named = CONSUMER_WORD.search("\n".join(src.lines[block.first - 1:block.last]))
            if named is not None:
                ws.say(Notice(src.rel, f"line {block.first - 1}: writes a `[Service]` section whose command names "
                                       f"`{named.group(0)}` to `{block.dest}`, a path not known before the script runs "
                                       "(a value hueylint does not evaluate): the unit's name and type are not known, "
                                       "so it is not checked"))
        for block in embedded.units(src, values):
            part = embedded.view(src, block)
            # an Ansible task's `content: |` is rendered with the task's variables, as its arguments are
            rendered = _ansible().inline_renderings(ws, src.rel, block.first, part.text, block.dest) \
                if src.format == "provisioning" else None
            for index, rendering in _distinct(ws, src.rel, rendered, lambda task: f"the unit the task at {task} writes"):
                shown = part if rendering is None or rendering.text == part.text else \
                    SourceFile(part.path, part.rel, rendering.text, part.format)
                unit = _embedded_unit(ws, shown, block, "" if shown is part else f":ansible:{index}")
                if unit is not None:
                    dest = rendering.dest if rendering is not None and rendering.dest else block.dest
                    name = strip_template_suffix(posixpath.basename(dest))
                    launches = _launches(ws, project, unit, name, dest, block, claims=built.claims,
                                         rendered=rendering.origin if rendering is not None else "")
                    _skipped(ws, unit, name, bool(launches))
                    built.launches += launches
    return built


def script_states(ws: Workspace, src: SourceFile) -> Callable[[int], State | None]:
    """The variables of the shell script ``src`` when the command on a line (0-based) runs: its own assignments
    replayed up to that command (:class:`hueylint.shell_eval.Evaluator`), None for a line no command starts on or
    a script tree-sitter cannot parse.  One per script a run (the paths it writes units to, the units' words, the
    scripts those run ask it); the script is parsed on the first question only."""
    return ws.memo(("installer-states", src.rel), lambda: _script_states(src))


def _script_states(src: SourceFile) -> Callable[[int], State | None]:
    parsed: list[Script | None] = []
    evaluators: list[Evaluator] = []

    def state(line: int) -> State | None:
        if not parsed:
            script = parse_script(src.text)
            parsed.append(script if script is not None and not script.errors and script.too_deep is None else None)
        script = parsed[0]
        if script is None:
            return None
        position = next((index for index, command in enumerate(script.commands) if command.line == line), None)
        if position is None:
            return None
        if not evaluators:
            evaluators.append(Evaluator(script, [], lambda word, state: [word]))
        return evaluators[0].at(position)

    return state


def script_values(ws: Workspace, src: SourceFile) -> embedded.Resolve:
    """What a word of the shell script ``src`` holds when the command on a line runs (:func:`script_states`;
    ``UNIT_PATH="/etc/systemd/system/${NAME}"`` after ``NAME=app-huey.service``), None when any part is not known
    (a command substitution, a variable the script does not assign, a script tree-sitter cannot parse)."""
    states = script_states(ws, src)

    def resolve(text: str, line: int) -> str | None:
        state = states(line)
        return substitute(text, state) if state is not None else None

    return resolve


def installer_expanded(tokens: list[Token], state: State) -> list[Token]:
    """The words of a command line of a unit a shell script writes with a here-document the shell expands
    (``cat > /etc/systemd/system/x.service <<EOF``, the delimiter unquoted), with the script's variables as the
    shell writes them before systemd reads the unit (``ExecStart=${START_SCRIPT}`` after
    ``START_SCRIPT=/srv/app/bin/start.sh``).  A variable known only when the script runs but assigned from text
    around such a value (``START_SCRIPT="${APP_DIR}/scripts/start.sh"``, ``APP_DIR=$(cd .. && pwd)``) becomes that
    text, its unknown part kept as written (:func:`hueylint.shell_eval.as_written`: ``${APP_DIR}/scripts/start.sh``,
    the script it names then found by its path in the repository, as when the unit writes it so); one not known
    at all stays as written.  Each word keeps its position (field: ``install-huey-systemd.sh`` writing
    ``ExecStart=${START_SCRIPT}``: "named for huey, but runs `${START_SCRIPT}`", no launch)."""
    expanded: list[Token] = []
    for token in tokens:
        if "$" not in token.text:
            expanded.append(token)
            continue
        whole = PLAIN_PARAMETER.fullmatch(token.text)  # (a here-document's text expands as a word does)
        if whole is not None:
            found = as_written(whole.group(1) or whole.group(2), state)
            if found is not None:
                expanded.extend(Token(word, token.loc) for word in split(found))  # systemd splits the text written
            else:
                expanded.append(token)
            continue
        text = written_with(token.text, state)
        expanded.append(token if text == token.text else Token(text, token.loc))
    return expanded


def _ansible() -> ModuleType:
    """:mod:`hueylint.platforms.ansible_vars`, imported when a unit is an Ansible template or an Ansible task
    writes one (6 ms of a run's start-up otherwise)."""
    from hueylint.platforms import ansible_vars

    return ansible_vars


def _distinct(ws: Workspace, rel: str, rendered: Sequence[Rendering] | None,
              source: Callable[[str], str]) -> Iterator[tuple[int, Rendering | None]]:
    """(index, rendering) of each distinct Ansible rendering of a unit (:class:`~hueylint.platforms.ansible_vars.Rendering`:
    the same installed name and text once), with what each did not follow said in a notice at ``rel`` naming its
    ``source(task)``; ``(0, None)`` alone when there is none (the unit as written)."""
    seen: set[tuple[str | None, str]] = set()
    for index, rendering in enumerate(rendered or [None]):
        if rendering is not None:
            if (rendering.dest, rendering.text) in seen:
                continue
            seen.add((rendering.dest, rendering.text))
            _ansible().say_unfollowed(ws, rel, rendering, source(rendering.task))
        yield index, rendering


def _template_launches(ws: Workspace, project: Project, built: Built, src: SourceFile,
                       names: list[SourceFile]) -> None:
    """The launches of the unit file ``src``; an Ansible role's template as each task installing it renders it
    (:func:`hueylint.platforms.ansible_vars.renderings`: the role's variables filled in, one unit per loop item),
    what was not followed said in a notice."""
    rendered = _ansible().renderings(ws, src.rel, src.text) if template_base(src.rel) is not None else None
    for index, rendering in _distinct(ws, src.rel, rendered, lambda task: _ansible().template_origin(task)):
        shown = src if rendering is None or rendering.text == src.text else \
            SourceFile(src.path, src.rel, rendering.text, src.format, src.bom)
        unit = load_unit(ws, shown, names, key="systemd" if shown is src else f"systemd:ansible:{index}")
        if unit is None:
            continue
        name = strip_template_suffix(posixpath.basename(src.rel))  # huey.service.j2 is huey.service
        # where a provisioning task installs a role's template gives its name and, for a unit naming no user,
        # whose manager runs it (a task installing it into ~/.config/systemd/user/: a user unit, as its path
        # would make it). systemd knows the unit by the name it is installed under (`huey.service.j2` with `dest:
        # /etc/systemd/system/shop-huey.service` is `shop-huey.service`, what `systemctl reload` names), unless
        # that name is only known at run time (`{{ app }}-huey.service`): then the template's own, when it has one
        named = name.endswith(SYSTEMD_SUFFIXES)
        dest = rendering.dest if rendering is not None and rendering.dest is not None and \
            embedded.is_unit_path(rendering.dest) else _installed_dest(ws, src.rel)
        if dest is not None and (not named or not _templated(posixpath.basename(dest))):
            name = strip_template_suffix(posixpath.basename(dest))
        elif dest is None:  # a Debian package's `debian/shop.shop-huey.service` is installed as `shop-huey.service`
            name = debian_unit_name(ws, src.rel) or name
        userless = unit.last("Service", "User") is None and unit.last("Service", "DynamicUser") is None
        installed = dest if dest is not None and userless and is_user_unit(dest) else src.rel
        if index == 0:
            for task, unloaded in _unloaded_installs(ws, src.rel):
                ws.say(Notice(src.rel, f"{task} installs it as `{unloaded}`, a name systemd loads no unit from (a "
                                       "unit file's name ends with its type, `.service`); judged as "
                                       f"`{name}`, the unit it is meant to be"))
        launches = _launches(ws, project, unit, name, installed, claims=built.claims,
                             rendered=rendering.origin if rendering is not None else "")
        _skipped(ws, unit, name, bool(launches))
        built.launches += launches


#: the files a provisioning task is written in: Ansible's YAML, Salt's ``.sls``
_TASK_EXTENSIONS = ("yml", "yaml", "sls")


def _templated(name: str) -> bool:
    """A name written with a template's or the shell's expressions (``{{ app }}-huey.service``, ``$APP.service``)."""
    return templated(name) or "$" in name


def _installed_dest(ws: Workspace, rel: str) -> str | None:
    """Where a provisioning task installs the template ``rel`` as a service unit, as written (an Ansible role's
    ``templates/consumer.j2`` with ``dest: /etc/systemd/system/shop-huey.service``, or ``dest: "{{
    ansible_env.HOME }}/.config/systemd/user/shop-huey.service"``; a Salt ``file.managed`` of
    ``salt://huey/files/consumer.jinja``): the task files (YAML, ``.sls``) below the
    folder holding its ``templates/``/``files/`` folder (the role's, the state's; at the repository's root, the
    playbooks beside it and its ``tasks/``) are searched for a ``src``/``source`` naming it
    (:func:`hueylint.parsers.embedded.installs`, read once a folder a run).  None when none names it or its
    destination is no service unit."""
    parts = rel.split("/")
    at = last_folder(parts, SOURCE_FOLDERS)
    if at < 0:
        return None
    base, below = "/".join(parts[:at]), "/".join(parts[at + 1:])
    names = tuple(dict.fromkeys((below, parts[-1])))
    for source, dest, _ in _task_installs(ws, base).get(parts[-1], []):
        if embedded.names_file(source, names) and embedded.is_unit_path(dest):
            return dest.strip("\"'")
    return None


def _unloaded_installs(ws: Workspace, rel: str) -> list[tuple[str, str]]:
    """(task file, destination) of each provisioning task installing the template ``rel`` into a systemd unit
    folder under a name that keeps its template suffix (``template: src=huey.service.j2
    dest=/etc/systemd/system/``: Ansible writes ``huey.service.j2`` there, the source's own name): systemd loads
    no unit of that name, a unit file's name ending with its type."""
    parts = rel.split("/")
    at = last_folder(parts, SOURCE_FOLDERS)
    if at < 0 or not parts[-1].endswith(TEMPLATE_SUFFIXES):
        return []
    names = tuple(dict.fromkeys(("/".join(parts[at + 1:]), parts[-1])))
    return [(task, dest.strip("\"'")) for source, dest, task in _task_installs(ws, "/".join(parts[:at])).get(parts[-1], [])
            if embedded.names_file(source, names) and "/systemd/" in dest and
            dest.strip("\"'").endswith(TEMPLATE_SUFFIXES)]


def _task_installs(ws: Workspace, base: str) -> dict[str, list[tuple[str, str, str]]]:
    """What the provisioning tasks below ``base`` install (:func:`hueylint.parsers.embedded.installs`; an Ansible
    YAML file's looped tasks once per item, :func:`hueylint.platforms.ansible_vars.task_installs`), by the
    file name of each source, in the order of the files' paths, with the task file: read once per folder a run."""
    def read() -> dict[str, list[tuple[str, str, str]]]:
        # below the role's or state's folder; at the root, a playbook's own files and its tasks/ (not every YAML file)
        patterns = [f"{base}/**/*.{ext}" for ext in _TASK_EXTENSIONS] if base else [
            f"{folder}*.{ext}" for folder in ("", "tasks/**/") for ext in _TASK_EXTENSIONS]
        found: dict[str, list[tuple[str, str, str]]] = {}
        for task_rel in sorted({rel for pattern in patterns for rel in ws.glob_files(pattern)}):
            task = ws.file(task_rel)
            if task is None or ("src" not in task.text and "source" not in task.text):
                continue
            pairs = _ansible().task_installs(ws, task_rel) if task_rel.endswith((".yml", ".yaml")) and \
                "{{" in task.text else embedded.installs(task.lines)
            for source, dest in pairs:
                found.setdefault(posixpath.basename(source), []).append((source, dest, task_rel))
        return found
    return ws.memo(("provisioning-installs", base), read)


def _embedded_unit(ws: Workspace, part: SourceFile, block: embedded.Embedded, key: str = "") -> Unit | None:
    """The unit a provisioning file writes inline (:mod:`hueylint.parsers.embedded`; ``part``: its view, the unit's
    lines where they are, rendered or not), parsed once per run at its own lines (a broken one is HL001 there)."""
    entries = _parse(ws, part, f"systemd:{block.first}{key}")
    return Unit(part, list(entries), ignored=[(part, *skipped) for skipped in entries.ignored]) \
        if entries is not None else None


def _launches(ws: Workspace, project: Project, unit: Unit, name: str, installed: str,
              block: embedded.Embedded | None = None, claims: set[str] | None = None, rendered: str = "") -> list[Launch]:
    """The consumer launches of one unit named ``name``, installed at ``installed`` (its path in the
    repository, or where provisioning code writes it: ``block``; ``rendered``: how a template's values were
    filled in, for ``inspect``); the programs of a supervisor it runs
    (:func:`_supervised`), whose configurations are added to ``claims``."""
    src = unit.source
    starts = unit.all("Service", "ExecStart")
    if not starts or _refused_exec(ws, unit):
        return []  # (a quote never closed in an ``Exec*=``: systemd does not start the unit; HL001 says so)
    entry = starts[-1]
    tokens = exec_tokens(ws, entry)
    origin = entry_loc(ws, entry)
    hop = Hop("platform", "systemd", origin, sends=stop_signal(ws, unit), deadline=stop_timeout(ws, unit),
              detail=f"unit `{installed}` written by {block.how} (lines {block.first}-{block.last})"
              + (f"; {rendered}" if rendered else "") if block is not None else rendered)
    instances: Val = Val.default(1, "one unit")
    if "@." in name:
        instances = Val("scalable", Loc(src.rel, block.first if block else 1, 1), "")
    restart = _applied(unit, "Restart")[0]
    dynamic = unit.last("Service", "DynamicUser")
    user = unit.last("Service", "User") or (
        dynamic if dynamic is not None and dynamic.value.lower() in ("yes", "true", "1", "on") else None)
    if user is not None:
        user_val: Val = Val(user.value, entry_loc(ws, user))
        if templated(user.value) or "%" in user.value or (block is not None and "$" in user.value):
            user_val = Val.unknown_at(entry_loc(ws, user), f"{user.key}={user.value}")
    elif is_user_unit(installed):
        user_val = Val.default("(the user's own account)", "systemd user unit")
    elif block is None and (installer := user_manager_install(ws, src.rel)) is not None:
        user_val = Val.default("(the user's own account)", f"systemd user unit: {installer.path}:{installer.line} "
                               "installs it for the user's own manager (systemctl --user)")
    else:
        user_val = Val.default(None, "systemd default: root")
    restart_val: Val = Val.default(False, "systemd default Restart=no")
    if restart is not None:
        restart_val = (Val.unknown_at(entry_loc(ws, restart), f"Restart={restart.value}")
                       if templated(restart.value) else
                       Val(restart.value.strip() != "no", entry_loc(ws, restart)))
    workdir = unit.last("Service", "WorkingDirectory")
    resolver = _Resolver(ws, workdir.value if workdir else "",
                         ws.file(src.rel) if block is not None else None)  # (the file that writes the unit)
    unread: list[Val[str]] = []
    env = unit_env(ws, unit, resolver.workdir, unread)
    resolver.shell_env = shell_values(env)
    writer = resolver.writer
    if block is not None and block.expands and writer is not None and writer.format == "script":
        state = script_states(ws, writer)(block.first - 1)
        if state is not None:  # the shell expands the here-document before systemd reads the unit
            tokens = installer_expanded(tokens, state)
    tokens = expand_exec_tokens(tokens, env)
    if "@." in name:  # a template: `-w %i` takes each instance's name, not the text `%i` (systemd.unit(5))
        tokens = [replace(token, runtime=True) if _PER_INSTANCE.intersection(_SPECIFIER.findall(token.text)) else token
                  for token in tokens]
    facts = _systemd_facts(ws, unit, origin)
    launches = []
    hits = resolve(tokens, origin, resolver)
    if not hits:  # a supervisor (supervisord, circus, honcho...) whose programs run under the unit
        launches += _supervised(ws, project, unit, facts, env, tokens, origin, resolver, hop, user_val, restart_val,
                                claims)
        description = unit.last("Unit", "Description")
        kind = facts.type  # (the `Type=` systemd applies: an ignored one, an empty one included, changes nothing)
        if not launches and tokens and (kind is None or kind.value != "oneshot") and named_for_huey(
                posixpath.basename(installed), description.value if description is not None else None):
            # (a ``Type=oneshot`` unit runs to completion: a helper around the consumer, never the consumer)
            unfollowed_named_launch(ws, f"systemd unit `{name}`",  # (as installed: `dest:` of the task installing it)
                                    [token.text for token in tokens], origin)
    for hit in hits:
        if _kills_group(facts):  # KillSignal reaches the consumer before a script's trap relays another signal
            hit.hops = [group_reaches(step, "systemd (KillMode=control-group)") for step in hit.hops]
        launch = make_launch(
            project, hop, hit, platform="systemd", name=name, unit=posixpath.dirname(src.rel) or ".",
            origin=origin, instances=instances, collects_logs=True,
            restart=restart_val, user=user_val,
            workdir=Val(workdir.value, entry_loc(ws, workdir)) if workdir else None,
        )
        launch.systemd = facts
        written = _output_file(ws, unit)
        if written is not None:  # journald never sees the consumer's log: it is that file's, as `-l`'s is
            launch.stderr_file, launch.collects_logs = written, False
        elif facts.discarded is not None:  # nothing collects stderr: a `-l` file is the only log, not a redundant one
            launch.collects_logs = False
        record(launch, env, launch.loc)  # ``EnvironmentFile=`` (repo files), then ``Environment=`` (later wins)
        chooser = _instance_chooser(launch) if instances.value == "scalable" else None
        if chooser is not None:
            launch.instances = Val(1, chooser.loc)  # `name@database`, `name@network`: one consumer per queue
        if _kills_group(facts):
            forking = facts.type is not None and str(facts.type.value or "").strip().lower() == "forking"
            launch.wrappers = [kept for kept in (_in_control_group(problem, forking) for problem in launch.wrappers)
                               if kept is not None]
        section = _service_header(src) if block is None else None  # no fix inside another file's text
        if section is not None:
            launch.section = Val("Service", section)
        launches.append(launch)
    record_unread(launches, unread)
    if "@." in name and instances.value == "scalable":  # a script may pick one instance by its name
        one_instance_branches(ws, launches, _instance_name_variables(unit, tokens), [token.text for token in tokens])
    return launches


#: the ``StandardOutput=``/``StandardError=`` values that write into a file (systemd.exec(5): ``file:PATH`` opens it
#: for writing from its start, ``append:PATH`` at its end, ``truncate:PATH`` truncated)
_FILE_OUTPUT = lazy_pattern(r"^(?:file|append|truncate):(/\S+)$")


def _stderr_entry(unit: Unit) -> Entry | None:
    """The entry deciding where the unit's standard error goes: ``StandardError=``, or with it unset or ``inherit``
    (its default: systemd.exec(5) "StandardError=... defaults to inherit", the same as standard output)
    ``StandardOutput=``; None when neither is written (the journal)."""
    error = unit.last("Service", "StandardError")
    if error is None or error.value.strip() in ("inherit", ""):  # (an empty assignment resets it to the default)
        return unit.last("Service", "StandardOutput")
    return error


def _output_discarded(ws: Workspace, unit: Unit) -> Val[str] | None:
    """The entry sending the consumer's standard error to ``null`` (systemd.exec(5): "null connects standard
    output/error to /dev/null"), or to the file ``/dev/null`` itself (``file:/dev/null``, ``append:``,
    ``truncate:``: the same discard), as written at its line; None otherwise."""
    entry = _stderr_entry(unit)
    written = entry.value.strip() if entry is not None else ""
    found = _FILE_OUTPUT.match(written)
    if entry is None or written != "null" and (found is None or found.group(1) != "/dev/null"):
        return None
    return Val(f"{entry.key}={written}", entry_loc(ws, entry))


def _output_file(ws: Workspace, unit: Unit) -> Val[str] | None:
    """The file the unit writes the consumer's standard error (huey's log) into, at its line: ``StandardError=``
    ``file:``/``append:``/``truncate:`` PATH, or, with ``StandardError=`` unset or ``inherit`` (its default:
    systemd.exec(5) "StandardError=... defaults to inherit", the same as standard output), such a
    ``StandardOutput=``; None when it goes to the journal, a stream, or a place written with specifiers or
    variables (not known here)."""
    entry = _stderr_entry(unit)
    found = _FILE_OUTPUT.match(entry.value.strip()) if entry is not None else None
    if entry is None or found is None or "%" in found.group(1) or "$" in found.group(1) or templated(found.group(1)) \
            or found.group(1) == "/dev/null":  # (no file: a discard, :func:`_output_discarded`)
        return None
    return Val(found.group(1), entry_loc(ws, entry))


def _instance_name_variables(unit: Unit, tokens: list[Token]) -> dict[str, InstanceNames]:
    """The variables a template unit's instance name (``%i``/``%I``) fills, one distinct value per instance:
    ``Environment=INSTANCE=%i``, and the positional parameter an ``ExecStart=`` script gets it as
    (``ExecStart=/srv/start.sh %i``: ``$1``)."""
    found: dict[str, InstanceNames] = {}
    for entry in unit.all("Service", "Environment"):
        for word in _split_environment(entry.value):
            key, sep, value = word.partition("=")
            if sep and key and _SPECIFIER.findall(value) in (["%i"], ["%I"]) and value in ("%i", "%I"):
                found[key] = InstanceNames()
    if tokens and tokens[0].text.endswith((".sh", ".bash")):
        for index, token in enumerate(tokens[1:10], start=1):
            if token.text in ("%i", "%I"):
                found[str(index)] = InstanceNames()
    return found


#: a specifier of systemd.unit(5), read left to right (``%%`` is a literal ``%``); of them the instance name
#: (``%i``, ``%I``) and the full unit name that holds it (``%n``, ``%N``) differ between instances
_SPECIFIER = lazy_pattern(r"%.")
_PER_INSTANCE = frozenset({"%i", "%I", "%n", "%N"})


def _instance_chooser(launch: Launch) -> Val | None:
    """Where a template unit's instance name (``%i``/``%I``, or the unit name ``%n``/``%N``, systemd.unit(5);
    not ``%%i``, a literal ``%i``) chooses what the consumer runs:
    the app path (``huey_consumer %i.tasks.huey``), django-huey's ``--queue %i`` or ``--settings``.  Each
    instance name is then a consumer of its own, started once (``systemctl enable name@database
    name@network``), not a copy of one consumer that could be scaled."""
    for val in (launch.app, launch.consumer.queue, launch.consumer.django_settings):
        if val is not None and _PER_INSTANCE.intersection(
                _SPECIFIER.findall(str(val.value) if val.value is not None else val.unknown)):
            return val
    return None


def _supervised(ws: Workspace, project: Project, unit: Unit, facts: SystemdFacts, env: dict[str, Val[str]],
                tokens: list[Token], origin: Loc, resolver: _Resolver, hop: Hop, user: Val, restart: Val,
                claims: set[str] | None) -> list[Launch]:
    """The programs of a supervisor the unit runs (``supervisord -n -c deploy/supervisord.conf``, ``honcho
    start -f Procfile.prod``): launches of its configuration with the unit as the outer hop (its KillSignal
    and TimeoutStopSec), as a container's (:func:`hueylint.platforms.docker.supervised`); the configuration is
    claimed (no host launch of its own).  A program without ``user=`` runs as the unit's ``User=``.  Under the
    default ``KillMode=control-group`` systemd sends KillSignal to every process of the unit, the programs
    included (systemd.kill(5)): ``Launch.group_signal``; ``KillMode=mixed`` sends it to the supervisor alone."""
    from hueylint.platforms import docker

    built = docker.supervised(ws, project, tokens, origin, resolver, hop, posixpath.dirname(unit.source.rel) or ".",
                              env, claim=True, user=user)
    if claims is not None:
        claims |= built.claims
    grouped = _kills_group(facts)
    for launch in built.launches:
        launch.systemd = facts
        # a Procfile runner prints its entries' output, which the journal takes; supervisord and circus write
        # their programs' output to log files of their own (supervisord's AUTO child logs)
        launch.collects_logs = launch.platform == "procfile"
        if launch.platform == "procfile":  # a runner exits when an entry does (honcho, forego): the unit restarts
            launch.restart = restart  # them; supervisord and circus restart their programs themselves
        if grouped and hop.sends is not None:
            launch.group_signal = hop.sends
    return built.launches


def unit_env(ws: Workspace, unit: Unit, workdir: str, unread: list[Val[str]] | None = None
             ) -> dict[str, Val[str]]:
    """The environment the unit gives ``ExecStart``: ``EnvironmentFile=`` (repo files named by an absolute path, as
    systemd requires), then ``Environment=``; each ``EnvironmentFile=`` neither the repository nor a template of
    it holds is added to ``unread`` (:attr:`Launch.env_unread`)."""
    env: dict[str, Val[str]] = {}
    for entry in unit.all("Service", "EnvironmentFile"):
        path = entry.value.lstrip("-").strip()
        if not path.startswith(("/", "%")):
            # systemd ignores a relative path with a warning ("... is not absolute, ignoring", load-fragment.c
            # config_parse_unit_env_file: PATH_CHECK_ABSOLUTE): the unit loads, without the file's variables
            continue
        found = read_repo_env_file(ws, path, entry_loc(ws, entry), workdir)
        if found is not None:
            env.update(found)
        elif unread is not None:
            unread.append(Val(f"`EnvironmentFile={clipped(entry.value.strip())}`", entry_loc(ws, entry)))
    for entry in unit.all("Service", "Environment"):
        loc = entry_loc(ws, entry)
        for word in _split_environment(entry.value):
            key, sep, value = word.partition("=")
            if sep and key:  # a specifier (`%i`, `%h`) is filled in per instance: unknown
                env[key] = Val.unknown_at(loc, f"systemd specifier in `{value}`") if "%" in value else \
                    unknown_if_interpolated(value, loc)
    return env


def _split_environment(value: str) -> list[str]:
    """``Environment="A=1 2" B=3``: systemd splits on whitespace, quotes group words."""
    return split(value)


def _in_control_group(problem: WrapperProblem, forking: bool = False) -> WrapperProblem | None:
    """What a wrapper really breaks under systemd's default ``KillMode=control-group``.

    systemd sends ``KillSignal`` to every process of the unit's cgroup, so the
    consumer does receive the stop signal even behind a shell or with ``&``.
    What breaks is everything aimed at ``$MAINPID``, which is now the shell:
    ``systemctl reload`` (SIGHUP) hits the shell instead of huey's graceful
    restart, and the unit's state follows the shell, not the consumer.  A shell inside a container the unit
    runs (platform ``"container"``) is not in the unit's control group (the engine's): it is left as it is.  A
    consumer detached by the unit's own command, which then returns (``ExecStart=/usr/bin/setsid huey_consumer``,
    ``screen -dm``), stays severe: the main process exits at once, and systemd stops the unit, consumer and all;
    unless the unit is ``Type=forking`` (``forking``), which expects just that: after ``setsid`` returns the
    consumer is the unit's only process, which systemd takes as its main PID (GuessMainPID=yes), so nothing is
    wrong (None); after ``screen -dm``, ``tmux``, ``pm2 start`` the main PID is that program's (platform
    ``"systemd-forking"``, not severe: the stop signal reaches the consumer through the control group).
    """
    if problem.platform == "container":
        return problem
    if problem.how == "detached" and not problem.then and forking:
        return None if problem.tool.startswith("`setsid") else \
            replace(problem, platform="systemd-forking", severe=False)
    if problem.how == "detached" and not problem.then:  # `setsid huey_consumer`: the main process exits at once
        return replace(problem, platform="systemd-control-group")
    return replace(problem, platform="systemd-control-group", severe=False)


def _service_header(src: SourceFile) -> Loc | None:
    """Where ``[Service]`` starts: the anchor for findings about a setting the unit lacks."""
    for number, line in enumerate(src.lines, start=1):
        if line.strip() == "[Service]":
            return Loc(src.rel, number, 1, number, len(line) + 1)
    return None


class _Resolver:
    """Map an ``ExecStart`` script path to a repo file by its path below WorkingDirectory or its name."""

    def __init__(self, ws: Workspace, workdir: str, writer: SourceFile | None = None) -> None:
        self.ws = ws
        self.workdir = workdir
        self.writer = writer  # the install script that writes the unit (a here-document), when it does
        self.shell_env: dict[str, str | None] = {}  # the unit's Environment=, for the scripts it runs

    def script(self, word: str, origin: Loc) -> SourceFile | None:
        return find_script(self.ws, word, origin, self.workdir) or self._written(word)

    def _written(self, word: str) -> SourceFile | None:
        """The start script the install script writing the unit also writes with a here-document at the path
        ``ExecStart=`` runs (:func:`hueylint.parsers.embedded.scripts`): the same words (``${APP_DIR}/run.sh``
        in both, expanded alike when both are written), or the literal tail the chain asks for when the path
        begins with a value known at run time only (``/run.sh``).  The last such here-document, as a view of
        the install script at its own lines."""
        if self.writer is None:
            return None
        writer = self.writer
        found = None
        values = script_values(self.ws, writer)
        for block in self.ws.memo(("written-scripts", writer.rel), lambda: embedded.scripts(writer)):
            dest = block.dest
            if dest == word or (word.startswith("/") and dest.endswith(word) and "$" in dest[:len(dest) - len(word)]):
                found = block
            elif "$" in dest and values(dest, block.first - 1) == word:
                found = block  # the unit's words were expanded by the same shell (:func:`installer_expanded`)
        if found is None:
            return None
        return WrittenFile(writer.path, writer.rel, embedded.script_text(writer, found), "script", shown=found.dest)

    def config_file(self, word: str, origin: Loc) -> str | None:
        """The repository file a supervisor's configuration path names (:func:`find_file`)."""
        return find_file(self.ws, word, origin, self.workdir)
