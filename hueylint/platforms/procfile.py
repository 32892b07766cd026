"""Procfile entries: PaaS process types (Heroku-like), or a local-development file for honcho/foreman.

On a PaaS every process type is started with a shell and stopped by sending
SIGTERM to *every process of the dyno*, then SIGKILL after a fixed 30 s that
cannot be configured.  Two consequences shape this builder:

* A shell between the platform and the consumer does not keep the stop
  signal from it (``release && huey_consumer ...`` or a wrapper script
  without ``exec`` is fine here), so those HL201 problems are dropped.
  honcho signals the whole process group, with the same effect (foreman signals only the process it
  spawned: a shell it runs for a command with shell syntax keeps the signal from the consumer).
* Starting the consumer in the background (``huey_consumer ... & gunicorn``)
  is still wrong, for a different reason: the platform supervises only the
  foreground program, so a crashed consumer is never restarted and its
  lifetime is tied to the other program.  The HL201 problem is rewritten to
  say that instead of "never receives the stop signal".

A Procfile is a development file (``dev``: no platform findings) when named
``Procfile.dev``/``.local``/``.development`` or when its ``web`` entry runs a
development server (``runserver``, ``flask run``, ``--reload``, ``watchmedo``), written in the entry or
run by a repository script it starts (``./bin/run.sh web-dev``, whose ``case $1 in web-dev)`` branch
runs ``manage.py runserver``).
Each entry counts as one instance (the formation is not in the repository);
one Procfile is one deployment unit.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Sequence

from hueylint.chain import ConsumerHit, Token, shell_string
from hueylint.launch_facts import ProcfileFacts
from hueylint.launches import make_launch
from hueylint.model import Hop, Launch, Loc, Project, Val, WrapperProblem
from hueylint.parsers.procfile import Entry, parse
from hueylint.platforms import Built, HostUnit
from hueylint.script_lookup import always_runs, find_script, repo_file
from hueylint.sources import SourceFile
from hueylint.words import split
from hueylint.workspace import Workspace

PAAS_DEADLINE = 30.0
DEV_DEADLINE = 5.0
DEV_NAMES = ("procfile.dev", "procfile.local", "procfile.development")
_DEV_SERVER = re.compile(r"\brunserver\b|\bflask\b(?:\s+\S+)*?\s+run\b|--reload\b|\bwatchmedo\b")


def load(ws: Workspace, src: SourceFile) -> list[Entry] | None:
    return ws.parsed("procfile", src, parse)


def dev_reason(src: SourceFile, entries: list[Entry], ws: Workspace | None = None) -> str:
    """Why this Procfile is a local-development file ("" when it is a PaaS Procfile)."""
    name = posixpath.basename(src.rel).lower()
    if name in DEV_NAMES:
        return f"named {posixpath.basename(src.rel)}"
    for entry in entries:
        if entry.name == "web":
            match = _DEV_SERVER.search(entry.command)
            if match:
                return f"its web entry runs a development server (`{match.group(0).strip()}`, line {entry.line})"
            served = _script_serves(ws, src, entry) if ws is not None else None
            if served is not None:
                return f"its web entry (line {entry.line}) runs a development server ({served.value}, {served.loc})"
    return ""


_OPERATORS = ("&&", "||", ";", "|", "&")


def _script_serves(ws: Workspace, src: SourceFile, entry: Entry) -> Val[str] | None:
    """A repository script the entry's command runs (each simple command of it: ``wait-for-db && ./bin/run.sh
    web-dev``) that runs a development server for the literal arguments it is given."""
    try:
        words = split(entry.command)
    except ValueError:
        return None
    origin = Loc(src.rel, entry.line, entry.col)
    for index, word in enumerate(words):
        if word in _OPERATORS or "$" in word or "=" in word.split("/", 1)[0] or \
                not ("/" in word or word.endswith(".sh")):
            continue
        script = find_script(ws, word, origin, "")
        if script is None:
            continue
        args = []
        for arg in words[index + 1:]:
            if arg in _OPERATORS or "$" in arg:
                break
            args.append(arg)
        served = always_runs(script, _DEV_SERVER, args)
        if served is not None:
            return served
    return None


def platform_hop(origin: Loc, dev: str) -> Hop:
    if dev:
        return Hop("platform", "honcho/foreman (development Procfile)", origin,
                   sends=Val.default("TERM", "honcho/foreman: SIGTERM to the process group"),
                   deadline=Val.default(DEV_DEADLINE, "honcho/foreman default kill timeout"),
                   detail=f"development Procfile: {dev}")
    return Hop("platform", "PaaS (Procfile)", origin,
               sends=Val.default("TERM", "PaaS: SIGTERM, not configurable"),
               deadline=Val.default(PAAS_DEADLINE, "PaaS: 30 s, not configurable"),
               detail="SIGTERM to every process of the dyno, SIGKILL after 30 s")


def _procfile_wrappers(hit: ConsumerHit, manager: bool) -> list[WrapperProblem]:
    """Keep only the wrapper problems that matter when the whole dyno (``manager`` False) or the entry's process
    group (honcho/foreman) is signalled."""
    kept: list[WrapperProblem] = []
    for problem in hit.wrappers:
        if not problem.severe:
            continue  # a shell in between: the consumer still receives the group-wide SIGTERM
        if problem.kind == "background":
            kept.append(replace(problem, severe=False, platform="procfile"))
        elif manager:
            kept.append(problem)  # a daemonizing supervisor leaves honcho/foreman's process group
        # on a PaaS every process of the dyno receives SIGTERM, daemonized or not
    return kept


def _group_signalled(hop: Hop, manager: bool) -> Hop:
    """A shell or script in between still lets the stop signal reach the consumer: everything is signalled."""
    if hop.kind not in ("shell", "script") or hop.passes_signal:
        return hop
    who = "honcho/foreman signal the whole process group" if manager else "the PaaS signals every process of the dyno"
    return replace(hop, passes_signal=True, detail=f"stays in between, but {who}")


#: files a PaaS reads beside the Procfile at the app root (Heroku's app.json, runtime.txt, .slugignore and the
#: Aptfile of its apt buildpack, .buildpacks, Cloud Native Buildpacks' project.toml, Cloud Foundry's manifest,
#: Scalingo's scalingo.json, Dokku's CHECKS): that Procfile is deployed there too
PAAS_EVIDENCE = ("app.json", "runtime.txt", ".slugignore", "Aptfile", ".buildpacks", "project.toml", "manifest.yml",
                 "manifest.yaml", "scalingo.json", "CHECKS")


def build(ws: Workspace, project: Project) -> Built:
    """Every Procfile as a PaaS (or local-development) unit; not built when a container runs it with honcho or
    foreman (:func:`supervised_launches` claims it), unless a PaaS file beside it (:data:`PAAS_EVIDENCE`) says
    the PaaS runs it too: then both deployments are built."""
    built = Built()
    for src in ws.of_format("procfile"):
        folder = posixpath.dirname(src.rel)
        if posixpath.basename(src.rel) == "Procfile" and any(
                ws.exists(posixpath.join(folder, name) if folder else name) for name in PAAS_EVIDENCE):
            built.launches += _paas_launches(ws, project, src)
        else:
            built.hosts.append(HostUnit(frozenset({src.rel}), partial(_paas_launches, ws, project, src)))
    return built


def _paas_launches(ws: Workspace, project: Project, src: SourceFile) -> list[Launch]:
    entries = load(ws, src)
    if not entries:
        return []
    dev = dev_reason(src, entries, ws)
    instances = Val.default(1, "Procfile: one dyno per process type (the formation is not in the repo)")
    return [launch for entry in entries
            for launch in _entry_launches(ws, project, src, entry, platform_hop(_entry_loc(src, entry), dev), [], dev,
                                          instances, src.rel, paas=not dev, collects_logs=not dev,
                                          deadline_configurable=False)]


def _entry_loc(src: SourceFile, entry: Entry) -> Loc:
    return Loc(src.rel, entry.line, entry.col, entry.line, entry.col + len(entry.command))


_RUNNER = "Procfile command (sh -c)"


def _entry_launches(ws: Workspace, project: Project, src: SourceFile, entry: Entry, hop: Hop, outer: list[Hop],
                    dev: str, instances: Val[Any], unit: str, group: bool = True, **extra: Any) -> list[Launch]:
    """The consumers one entry's command starts (``sh -c``, in a process group ``hop`` signals as a whole; with
    ``group`` False, foreman, only the process it spawned: see :func:`_spawned_directly`)."""
    origin = _entry_loc(src, entry)
    command = Token(entry.command, origin)
    shell = Token("/bin/sh", Loc(src.rel, entry.line, 1, entry.line, entry.col))
    launches = []
    for hit in shell_string(command, shell, origin, _Resolver(ws), 0, runner=_RUNNER):
        manager = bool(dev) or not extra.get("paas")  # honcho/foreman: the entry's process group is signalled
        if not group:
            if _spawned_directly(entry.command) and hit.hops and hit.hops[0].kind == "shell":
                hit.hops[0] = replace(hit.hops[0], passes_signal=True,
                                      detail="no shell: foreman runs a command without shell syntax itself")
                hit.wrappers = [problem for problem in hit.wrappers if problem.shell != f"the {_RUNNER}"]
        else:
            hit.wrappers = _procfile_wrappers(hit, manager)
            if not any(problem.severe for problem in hit.wrappers):
                hit.hops = [_group_signalled(hop, manager) for hop in hit.hops]
        where = hit.loc if hit.loc.path == src.rel else origin
        launch = make_launch(project, hop, hit, platform="procfile", name=entry.name, unit=unit, origin=where,
                             outer=outer, instances=instances, **extra)
        launch.dev = launch.dev or bool(dev)
        launch.procfile = ProcfileFacts(dev=Val(dev, Loc(src.rel, 1, 1)) if dev else None)
        launches.append(launch)
    return launches


#: honcho: SIGTERM to each process's group, SIGKILL after ``KILL_WAIT`` = 5 s (honcho/manager.py, not
#: configurable); foreman: SIGTERM to each process it spawned, not its group (engine.rb ``kill_children``), SIGKILL
#: after ``-t/--timeout`` seconds (default 5, foreman(1)).  Either one sends SIGTERM whatever signal stops it
#: (SIGINT or SIGTERM), and stops every process when one exits.
MANAGER_DEADLINE = 5.0


def find_config(ws: Workspace, path: str, origin: Loc | None = None) -> str | None:
    """The repository Procfile a ``-f FILE`` names (relative to the launching file or the root, or by the tail
    of an absolute path), or None."""
    found = repo_file(ws, path, origin or Loc(""))
    return found if found is not None and ws.file(found) is not None else None


def supervised_launches(ws: Workspace, project: Project, config_rel: str | None, outer: list[Hop], unit: str,
                        env: dict[str, str] | None = None, args: Sequence[Token] = ()) -> Built:
    """The launches of a Procfile run by honcho or foreman under another platform (``outer``: its hops, e.g.
    compose's stop), claimed from the PaaS builder.  ``args`` is the manager's command line, its name first:
    the processes named after ``start`` (none: all), ``-c``/``--concurrency`` (honcho, foreman) or
    ``-m``/``--formation`` (foreman) ``name=count,...`` (0 starts none), foreman's ``-t``/``--timeout``."""
    src = ws.file(config_rel) if config_rel else None
    entries = load(ws, src) if src is not None else None
    if src is None or not entries or not args:
        return Built()
    options = _manager_options(list(args))
    dev = dev_reason(src, entries, ws)
    built = Built(claims={src.rel})
    for entry in entries:
        if options.names and entry.name not in options.names:
            continue
        count = options.counts.get(entry.name, options.others)
        instances = count if count is not None else Val.default(1, f"{options.manager}: one process per entry")
        deadline = options.timeout or Val.default(MANAGER_DEADLINE, "honcho: KILL_WAIT = 5 s" if options.manager == "honcho"
                                                  else f"{options.manager} default -t 5 s")
        hop = Hop("supervisor", options.manager, _entry_loc(src, entry),
                  sends=Val.default("TERM", f"{options.manager}: SIGTERM to "
                                    f"{'the process group' if options.manager == 'honcho' else 'each process it started'}"
                                    ", whatever stops it"),
                  deadline=deadline, detail=f"runs `{src.rel}`")
        built.launches += _entry_launches(ws, project, src, entry, hop, list(outer), dev, instances, unit,
                                          group=options.manager != "foreman", collects_logs=True,
                                          deadline_configurable=options.manager == "foreman")
    return built


#: what makes Ruby's ``Process.spawn(env, command)`` (foreman) run ``/bin/sh -c command`` rather than the
#: command itself (Ruby's process.c: shell meta characters, a leading assignment or a reserved word / special
#: built-in of sh)
_RUBY_META = set("*?{}[]<>()~&|\\$;'`\"\n#")
_SH_WORDS = frozenset({"case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then", "until",
                       "while", "!", ".", ":", "break", "continue", "eval", "exec", "exit", "export", "readonly",
                       "return", "set", "shift", "times", "trap", "unset"})


def _spawned_directly(command: str) -> bool:
    """foreman runs ``command`` without a shell: no meta character, no assignment or shell word first."""
    words = command.split()
    return bool(words) and not _RUBY_META & set(command) and "=" not in words[0] and words[0] not in _SH_WORDS


@dataclass(frozen=True)
class _ManagerOptions:
    manager: str  # honcho | foreman
    names: tuple[str, ...]  # the processes started (empty: every entry)
    counts: dict[str, Val[Any]]  # instances per entry
    timeout: Val[float] | None  # foreman -t
    others: Val[Any] | None = None  # instances of an entry ``counts`` does not name (None: the default, 1)


_VALUED = ("-f", "--procfile", "-d", "--app-root", "--root", "-e", "--env", "-p", "--port", "-q", "--quiet",
           "-c", "--concurrency", "-m", "--formation", "-t", "--timeout")


def _manager_options(args: list[Token]) -> _ManagerOptions:
    """honcho's (honcho/command.py ``start``) and foreman's (foreman(1) ``start``) options, as they read them."""
    manager = posixpath.basename(args[0].text)
    names: list[str] = []
    counts: dict[str, Val[Any]] = {}
    timeout: Val[float] | None = None
    started = unknown_names = False
    index = 1
    while index < len(args):
        token = args[index]
        word, value, value_loc = token.text, None, token.loc
        if word.startswith("--") and "=" in word:
            word, value = word.split("=", 1)
        elif word in _VALUED and index + 1 < len(args) and not (manager == "foreman" and word == "-c"):
            value, value_loc = args[index + 1].text, args[index + 1].loc
            index += 1
        if word in ("-c", "--concurrency", "-m", "--formation") and value:  # foreman's -c is --color
            for item in value.split(","):
                name, _, number = item.partition("=")
                counts[name.strip()] = Val(int(number), value_loc) if number.strip().isdigit() else \
                    Val.unknown_at(value_loc, f"{manager} {word} {value}")
        elif word in ("-t", "--timeout") and value:
            timeout = Val(float(value), value_loc) if value.isdigit() else Val.unknown_at(value_loc, f"{manager} -t {value}")
        elif word == "start" and not started:
            started = True
        elif started and not word.startswith("-"):
            if not token.literal:
                unknown_names = True  # `honcho start $PROCESSES`: which entries run is not known, any may
            names.append(word)
        index += 1
    if unknown_names:
        names = []
    others = None
    if manager == "foreman":  # foreman's formation (engine.rb ``parse_formation``): `all=N` counts every entry
        # -m does not name, and with -m those count 0 unless `all=` says otherwise; `start NAME` is `NAME=1` alone
        others = counts.pop("all", None) if counts else None
        if names:
            counts = {name: Val(1, args[0].loc) for name in names}
        if counts and others is None:
            others = Val(0, args[0].loc)
    return _ManagerOptions(manager, tuple(names), counts, timeout, others)


class _Resolver:
    """A Procfile command runs from the app root: scripts are relative to the Procfile's folder."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def script(self, word: str, origin: Loc) -> SourceFile | None:
        return find_script(self.ws, word, origin, "")
