"""Procfile entries: PaaS process types (Heroku-like), a local-development file for honcho/foreman, or the
entries a Procfile runner supervises inside a container (:func:`supervised_launches`); and the ``run:``
entries of a ``heroku.yml`` (Heroku's container stack, :func:`heroku_yml_launches`), process types as well.

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
runs ``manage.py runserver``), or when an entry rebuilds assets on file changes (:data:`ASSET_WATCHER`).
Each entry counts as one instance unless the app manifest beside the Procfile sets its formation
(:func:`manifest`: ``app.json``, Scalingo's ``scalingo.json``), whose config vars (``env``) are the launch's
environment too (its ``DJANGO_SETTINGS_MODULE`` names the settings ``run_huey`` loads); one Procfile is one
deployment unit.

Inside a container (``CMD ["honcho", "start"]``, a script's ``exec forego start``) the Procfile is not a
PaaS's: the runner is a supervisor between the container and each entry (forego start.go, honcho
manager.py, foreman), claimed like a supervisord config the image runs.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from functools import partial
from typing import Any, Callable

from hueylint.chain import (
    ConsumerHit,
    SupervisorStart,
    Token,
    group_reaches,
    procfile_run,
    shell_string,
    supervisor_starts,
)
from hueylint.environment import record as record_env
from hueylint.launch_facts import ProcfileFacts
from hueylint.launches import (
    InstanceNames,
    make_launch,
    named_for_huey,
    one_instance_branches,
    runs_to_completion,
    unfollowed_named_launch,
)
from hueylint.locations import Loc
from hueylint.model import Hop, Launch, Project, Val, WrapperProblem
from hueylint.numerals import whole_number
from hueylint.parsers.procfile import Entry, parse
from hueylint.parsers.yamldocs import Doc
from hueylint.parsers.yamldocs import load as load_yaml
from hueylint.platforms import Built, HostUnit
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.script_lookup import DEV_SERVER, always_runs, find_script
from hueylint.sources import SourceFile
from hueylint.words import split
from hueylint.workspace import Workspace

PAAS_DEADLINE = 30.0
DEV_DEADLINE = 5.0
DEV_NAMES = ("procfile.dev", "procfile.local", "procfile.development")


def load(ws: Workspace, src: SourceFile) -> list[Entry] | None:
    """``src``'s entries, parsed once per run; each line the platform skips is HL001 (once)."""
    def read(src: SourceFile) -> list[Entry]:
        entries, skipped = parse(src)
        for error in skipped:
            ws.unparseable(src, error.line, error.col, str(error))
        return entries

    return ws.parsed("procfile", src, read)


#: an entry that rebuilds front-end assets whenever a file changes: a ``--watch`` flag (webpack, esbuild,
#: tailwindcss, sass, tsc) or the conventional npm/yarn/pnpm/bun scripts ``watch`` and ``dev`` (``npm run
#: watch``, ``npm --prefix frontend run watch``, ``yarn dev``): a file watcher runs only beside a developer's
#: editor, never as a process type of a PaaS formation (field test: mblayman/homeschool's honcho Procfile)
ASSET_WATCHER = lazy_pattern(r"(?:^|\s)--watch(?:=(?!false\b|0\b|no\b)|\s|$)|\b(?:npm|pnpm|bun)\b(?:\s+--?[\w-]+(?:[= ][^\s-]\S*)?)*"
                           r"\s+run(?:-script)?\s+(?:watch|dev)\b|\byarn\s+(?:run\s+)?(?:watch|dev)\b")


def dev_reason(src: SourceFile, entries: list[Entry], ws: Workspace | None = None) -> str:
    """Why this Procfile is a local-development file ("" when it is a PaaS Procfile)."""
    name = posixpath.basename(src.rel).lower()
    if name in DEV_NAMES:
        return f"named {posixpath.basename(src.rel)}"
    for entry in entries:
        watcher = ASSET_WATCHER.search(entry.command)
        if watcher:
            return (f"its `{entry.name}` entry rebuilds on file changes (`{watcher.group(0).strip()}`, "
                    f"line {entry.line})")
    for entry in entries:
        if entry.name == "web":
            match = DEV_SERVER.search(entry.command)
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
        served = always_runs(script, DEV_SERVER, args)
        if served is not None:
            return served
    return None


def platform_hop(origin: Loc, dev: str = "") -> Hop:
    if dev:
        return Hop("platform", "honcho/foreman (development Procfile)", origin,
                   sends=Val.default("TERM", "honcho/foreman: SIGTERM to the process group"),
                   deadline=Val.default(DEV_DEADLINE, "honcho/foreman default kill timeout"),
                   detail=f"development Procfile: {dev}")
    return Hop("platform", "PaaS (Procfile)", origin,
               sends=Val.default("TERM", "PaaS: SIGTERM, not configurable"),
               deadline=Val.default(PAAS_DEADLINE, "PaaS: 30 s, not configurable"),
               detail="SIGTERM to every process of the dyno, SIGKILL after 30 s")


def _procfile_wrappers(hit: ConsumerHit, dev: str) -> list[WrapperProblem]:
    """Keep only the wrapper problems that matter when the whole dyno / process group is signalled."""
    return _kept_wrappers(hit.wrappers, dev)


def _kept_wrappers(problems: list[WrapperProblem], dev: str) -> list[WrapperProblem]:
    kept: list[WrapperProblem] = []
    for problem in problems:
        if not problem.severe:
            continue  # a shell in between: the consumer still receives the group-wide SIGTERM
        if problem.kind == "background" and problem.how == "detached" and not problem.then:
            kept.append(replace(problem, platform="procfile"))  # the entry's process exits at once: a crashed dyno
        elif problem.kind == "background":
            kept.append(replace(problem, severe=False, platform="procfile"))
        elif dev:
            kept.append(problem)  # a daemonizing supervisor leaves honcho/foreman's process group
        # on a PaaS every process of the dyno receives SIGTERM, daemonized or not
    return kept


def _group_signalled(hop: Hop, dev: str, runner: str = "") -> Hop:
    """A shell or script in between still lets the stop signal reach the consumer: everything is signalled (and
    first, before a trap of the script relays a signal of its own: :func:`hueylint.chain.group_reaches`)."""
    if hop.kind not in ("shell", "script"):
        return hop
    if hop.sends is not None:
        return group_reaches(hop, runner or ("honcho/foreman" if dev else "the PaaS"))
    if hop.passes_signal:
        return hop
    who = f"{runner} signals the whole process group" if runner else \
        "honcho/foreman signal the whole process group" if dev else "the PaaS signals every process of the dyno"
    return replace(hop, passes_signal=True, detail=f"stays in between, but {who}")


#: files a PaaS reads beside the Procfile at the app root (Heroku's app.json, runtime.txt, .slugignore and the
#: Aptfile of its apt buildpack, .buildpacks, Cloud Native Buildpacks' project.toml, Cloud Foundry's manifest,
#: Scalingo's scalingo.json, Dokku's CHECKS and DOKKU_SCALE): that Procfile is deployed there too
PAAS_EVIDENCE = ("app.json", "runtime.txt", ".slugignore", "Aptfile", ".buildpacks", "project.toml", "manifest.yml",
                 "manifest.yaml", "scalingo.json", "CHECKS", "DOKKU_SCALE")


def build(ws: Workspace, project: Project) -> Built:
    """Every Procfile as a PaaS (or local-development) unit; not built when a container runs it with honcho or
    foreman (:func:`supervised_launches` claims it), unless a PaaS file beside it (:data:`PAAS_EVIDENCE`) says
    the PaaS runs it too: then both deployments are built."""
    built = Built()
    for src in ws.of_format("heroku"):
        built.launches += heroku_yml_launches(ws, project, src)
    for src in ws.of_format("procfile"):
        for entry in load(ws, src) or []:
            tokens, origin = _entry_tokens(src, entry)  # a Procfile that entry's runner runs is claimed by it
            built.claims |= {rel for _start, rel in runner_starts(ws, tokens, origin, posixpath.dirname(src.rel),
                                                                  own=src.rel)}
        folder = posixpath.dirname(src.rel)
        if posixpath.basename(src.rel) == "Procfile" and any(
                ws.exists(posixpath.join(folder, name) if folder else name) for name in PAAS_EVIDENCE):
            built.launches += _paas_launches(ws, project, src)
        else:
            built.hosts.append(HostUnit(frozenset({src.rel}), partial(_paas_launches, ws, project, src)))
    return built


_SHELL_RUNNER = "Procfile command (sh -c)"
#: what makes foreman run a command under ``/bin/sh -c`` rather than spawn it itself (Ruby's Process.spawn:
#: shell meta characters, a leading assignment or shell reserved word / special built-in)
_RUBY_META = set("*?{}[]<>()~&|\\$;'`\"\n#")
_SH_WORDS = frozenset({"case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then", "until",
                       "while", "!", ".", ":", "break", "continue", "eval", "exec", "exit", "export", "readonly",
                       "return", "set", "shift", "times", "trap", "unset"})


def _spawned_directly(command: str) -> bool:
    """foreman runs ``command`` without a shell: no meta character, no assignment or shell word first."""
    words = command.split()
    return bool(words) and not _RUBY_META & set(command) and "=" not in words[0] and words[0] not in _SH_WORDS


#: what a consumer a Procfile's ``release`` entry starts comes to on a PaaS (Heroku "Release Phase", Dokku: the
#: command runs once per deploy, in a one-off process, and the release goes on only once it exits successfully)
RELEASE_PHASE_WHY = ("the PaaS runs it once per deploy, as its release phase, and waits for it to exit before the "
                     "new release starts, which a consumer never does; no process of the app runs it")


#: the app manifests beside a Procfile that give the process formation and the config vars an app is created
#: with, each with the key of a process type's count: Scalingo reads ``scalingo.json``, else ``app.json``
#: ("The latter will always take priority over the first one", developers.scalingo.com/scalingo-json-schema;
#: ``"formation": {"worker": {"amount": 2}}``); Heroku (app.json schema: ``formation``, ``quantity``) and Dokku
#: (appendices/file-formats/app-json: ``formation``, ``quantity``) read ``app.json``
MANIFESTS = (("scalingo.json", ("amount",)), ("app.json", ("quantity", "amount")))
DEFAULT_INSTANCES = "Procfile: one dyno per process type (the formation is not in the repo)"


@dataclass(frozen=True, slots=True)
class Manifest:
    """What an app manifest beside a Procfile says: each process type's count (``formation``) and the config
    vars (``env``: a string, or an object's ``value``; a ``generator`` or ``required`` one is set at creation,
    unknown here)."""

    formation: dict[str, Val[int]]
    env: dict[str, Val[str]]


def manifest(ws: Workspace, folder: str) -> Manifest | None:
    """The app manifest of the Procfile in ``folder`` (:data:`MANIFESTS`), with the counts of Dokku's
    ``DOKKU_SCALE`` file for the process types it leaves out; None when there is neither."""
    scale = _dokku_scale(ws, posixpath.join(folder, "DOKKU_SCALE") if folder else "DOKKU_SCALE")
    for name, keys in MANIFESTS:
        rel = posixpath.join(folder, name) if folder else name
        src = ws.file(rel)
        if src is None:
            continue
        docs = load_yaml(ws, src)
        data = docs[0].data if docs else None
        if docs is None or not isinstance(data, dict):
            break
        return Manifest({**scale, **_formation(docs[0], data.get("formation"), keys)},
                        _manifest_env(docs[0], data.get("env")))
    return Manifest(scale, {}) if scale else None


#: Dokku's ``DOKKU_SCALE`` file: one ``process=count`` line per process type ("Dokku will always use the
#: DOKKU_SCALE file that ships with the repo", process-management docs before 0.25, where app.json's
#: ``formation`` took its place)
_SCALE_LINE = lazy_pattern(r"^[ \t]*([\w-]+)[ \t]*=[ \t]*(\S*)[ \t]*$", re.M)


def _dokku_scale(ws: Workspace, rel: str) -> dict[str, Val[int]]:
    src = ws.file(rel)
    found: dict[str, Val[int]] = {}
    for match in _SCALE_LINE.finditer(src.text if src is not None else ""):
        line = src.text.count("\n", 0, match.start()) + 1 if src is not None else 0
        loc = Loc(rel, line, match.start(2) - match.start() + 1)
        value, count = match.group(2), whole_number(match.group(2))
        found[match.group(1)] = Val(count, loc) if count is not None else \
            Val.unknown_at(loc, f"DOKKU_SCALE `{match.group(1)}={value}`")
    return found


def _formation(doc: Doc, formation: object, keys: tuple[str, ...]) -> dict[str, Val[int]]:
    found: dict[str, Val[int]] = {}
    for process, spec in formation.items() if isinstance(formation, dict) else ():
        key = next((key for key in keys if isinstance(spec, dict) and key in spec), None)
        if key is None:
            continue
        value = spec[key]
        loc = doc.value_loc(spec, key)
        found[str(process)] = Val(value, loc) if isinstance(value, int) and not isinstance(value, bool) and \
            value >= 0 else Val.unknown_at(loc, f"formation `{process}` {key} {value!r}")
    return found


def _manifest_env(doc: Doc, env: object) -> dict[str, Val[str]]:
    found: dict[str, Val[str]] = {}
    for name, spec in env.items() if isinstance(env, dict) else ():
        holder, key = (spec, "value") if isinstance(spec, dict) else (env, name)
        value = holder.get(key) if isinstance(holder, dict) else None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            found[str(name)] = Val(str(value), doc.value_loc(holder, key))
        else:
            found[str(name)] = Val.unknown_at(doc.key_loc(env, name), f"config var {name} (set when the app is created)")
    return found


def _paas_launches(ws: Workspace, project: Project, src: SourceFile) -> list[Launch]:
    entries = load(ws, src)
    if not entries:
        return []
    dev = dev_reason(src, entries, ws)
    app = None if dev else manifest(ws, posixpath.dirname(src.rel))
    return _entry_launches(ws, project, src, entries, dev, app, partial(platform_hop, dev=dev), "Procfile")


def _entry_launches(ws: Workspace, project: Project, src: SourceFile, entries: list[Entry], dev: str,
                    app: Manifest | None, hop: Callable[[Loc], Hop], what: str) -> list[Launch]:
    """The launches of the process types ``entries`` (each a PaaS process, or with ``dev`` a Procfile runner's
    entry on a developer's machine) stopped by the platform ``hop`` makes; ``app`` the manifest beside them."""
    launches: list[Launch] = []
    for entry in entries:
        if entry.name == "release" and not dev:  # the PaaS's release phase, not a process of the app
            hits = [hit for hit, _where, _origin in _entry_hits(ws, src, entry, dev)]
            if runs_to_completion(ws, hits, "the `release` entry", Loc(src.rel, entry.line, 1), RELEASE_PHASE_WHY):
                continue
        entry_hits = _entry_hits(ws, src, entry, dev)
        for hit, where, origin in entry_hits:
            launch = make_launch(
                project, hop(origin), hit, platform="procfile", name=entry.name,
                unit=src.rel, origin=where,
                instances=app.formation.get(entry.name, Val.default(1, DEFAULT_INSTANCES)) if app else
                Val.default(1, DEFAULT_INSTANCES), paas=not dev, deadline_configurable=False, collects_logs=not dev,
            )
            if app:
                record_env(launch, app.env, origin)
            launch.dev = launch.dev or bool(dev)
            launch.procfile = ProcfileFacts(dev=Val(dev, Loc(src.rel, 1, 1)) if dev else None)
            launches.append(launch)
        if not dev:
            one_instance_branches(ws, launches[len(launches) - len(entry_hits):],
                                  {name: InstanceNames() for name in INSTANCE_NAME_VARS},
                                  [entry.command])
        tokens, origin = _entry_tokens(src, entry)
        started = runner_launches(ws, project, tokens, origin, hop(origin), src.rel,
                                  posixpath.dirname(src.rel), dev, prefix=entry.name)
        launches += started
        if not entry_hits and not started and entry.command.split() and named_for_huey(entry.name):
            unfollowed_named_launch(ws, f"{what} process type `{entry.name}`", entry.command.split(), origin)
    return launches


#: the variables a PaaS sets in each process to that process's own name, one value per instance: Heroku and
#: Dokku ``DYNO`` (``worker.1``: Heroku "Dynos and the Dyno Manager", "Local environment variables"),
#: Scalingo ``CONTAINER`` (``worker-1``: doc.scalingo.com "Environment", the container's type and index)
INSTANCE_NAME_VARS = ("DYNO", "CONTAINER")
def heroku_hop(origin: Loc) -> Hop:
    """Heroku's container stack stops a dyno as it stops any other: SIGTERM to every process, SIGKILL 30 s later."""
    return Hop("platform", "Heroku (heroku.yml)", origin,
               sends=Val.default("TERM", "Heroku: SIGTERM, not configurable"),
               deadline=Val.default(PAAS_DEADLINE, "Heroku: 30 s, not configurable"),
               detail="SIGTERM to every process of the dyno, SIGKILL after 30 s")


def heroku_yml_launches(ws: Workspace, project: Project, src: SourceFile) -> list[Launch]:
    """The process types of a ``heroku.yml``'s ``run:`` section (Heroku's container stack, "Building Docker
    Images with heroku.yml": "Heroku uses the run command provided in heroku.yml instead of your Procfile"):
    a string is the command, as a Procfile's; an object's ``command:`` list holds it (its items joined).  A
    process type without a ``run:`` entry runs its image's CMD, which is not followed here.  The formation
    and config vars come from the app manifest beside it, as for a Procfile, and from its own ``setup: config:``
    (the config vars ``heroku create --manifest`` provisions)."""
    docs = load_yaml(ws, src)
    data = docs[0].data if docs else None
    run = data.get("run") if isinstance(data, dict) else None
    if not docs or not isinstance(run, dict):
        return []
    doc = docs[0]
    entries: list[Entry] = []
    for name, spec in run.items():
        holder: Any = run
        key: Any = name
        command: Any = spec
        if isinstance(spec, dict):
            words = spec.get("command")
            if isinstance(words, str):
                holder, key, command = spec, "command", words
            elif isinstance(words, list) and words and all(isinstance(word, str) for word in words):
                holder, key, command = words, 0, " ".join(words)
        if not isinstance(command, str) or not command.strip():
            continue
        loc = doc.item_loc(holder, key) if isinstance(holder, list) else doc.value_loc(holder, str(key))
        entries.append(Entry(str(name), command, loc.line, loc.col))
    app = manifest(ws, posixpath.dirname(src.rel))
    setup = data.get("setup") if isinstance(data, dict) else None
    config = setup.get("config") if isinstance(setup, dict) else None
    if isinstance(config, dict) and config:  # "setup: config:", the config vars the app is created with
        env = _manifest_env(doc, config)
        app = Manifest(app.formation, {**env, **app.env}) if app else Manifest({}, env)
    return _entry_launches(ws, project, src, entries, "", app, heroku_hop, "heroku.yml")


def runner_starts(ws: Workspace, tokens: list[Token], origin: Loc, folder: str,
                  own: str = "") -> list[tuple[SupervisorStart, str]]:
    """The Procfile runners a command starts (``honcho start --procfile Procfile.heroku``), each with the
    repository path of the Procfile it reads: its ``-f``/``-d`` (or ``./Procfile``) from ``folder``, the
    command's working folder (the app root).  A command running its own Procfile (``own``) again starts none."""
    found = []
    for start in supervisor_starts(tokens, origin, _Resolver(ws)):
        if start.kind != "procfile" or start.config is None or "$" in start.config.text or \
                start.config.text.startswith("/"):
            continue
        rel = posixpath.normpath(posixpath.join(folder, start.config.text))
        if rel != own and not rel.startswith("../") and ws.exists(rel):
            found.append((start, rel))
    return found


def runner_launches(ws: Workspace, project: Project, tokens: list[Token], origin: Loc, outer: Hop, unit: str,
                    folder: str, dev: str = "", prefix: str = "") -> list[Launch]:
    """The consumers of the Procfile a runner started by a PaaS command supervises (pipermerriam/mozy's
    ``web: honcho start --procfile HerokuProcfile``, a Render or Fly start command running ``honcho start``):
    the platform stops the service (``outer``: on a dyno every process of it gets SIGTERM) and the runner sends
    its own SIGTERM and SIGKILL to each entry it started.  Launches are named ``prefix/entry``."""
    launches: list[Launch] = []
    for start, rel in runner_starts(ws, tokens, origin, folder, own=unit):
        chain = [outer, *(_group_signalled(hop, dev) for hop in start.hops)]
        for launch in supervised_launches(ws, project, rel, chain, unit, argv=start.argv, where=start.loc).launches:
            launch.name = f"{prefix}/{launch.name}" if prefix else launch.name
            launch.wrappers[:0] = _kept_wrappers(list(start.wrappers), dev)
            launch.choices = tuple(start.choices) + tuple(launch.choices)
            launch.dev = launch.dev or bool(dev)
            launch.paas = not dev
            launches.append(launch)
    return launches


def command_runners(ws: Workspace, project: Project, tokens: list[Token], origin: Loc, outer: Hop, unit: str,
                    folder: str, instances: Val, prefix: str = "") -> Built:
    """A PaaS start command's Procfile runner (Render ``startCommand``, Cloud Foundry ``command``): its
    consumers (:func:`runner_launches`, ``instances`` each: the service's) and the Procfiles it claims."""
    built = Built()
    for launch in runner_launches(ws, project, tokens, origin, outer, unit, folder, prefix=prefix):
        launch.instances = instances
        built.launches.append(launch)
    built.claims |= {rel for _start, rel in runner_starts(ws, tokens, origin, folder)}
    return built


def _entry_tokens(src: SourceFile, entry: Entry) -> tuple[list[Token], Loc]:
    origin = Loc(src.rel, entry.line, entry.col, entry.line, entry.col + len(entry.command))
    return [Token("/bin/sh", origin), Token("-c", origin), Token(entry.command, origin)], origin


def _entry_hits(ws: Workspace, src: SourceFile, entry: Entry, dev: str,
                runner: str = "", group: bool = True) -> list[tuple[ConsumerHit, Loc, Loc]]:
    """The consumers one entry starts (run with ``sh -c``; its process group is signalled, or with ``group``
    False, foreman's way, only the process it spawned: a command without shell syntax it runs itself, one with
    it under ``/bin/sh -c``, which then keeps the signal from the consumer), with where each launch is reported
    and the entry's own place."""
    origin = Loc(src.rel, entry.line, entry.col, entry.line, entry.col + len(entry.command))
    command = Token(entry.command, origin)
    shell = Token("/bin/sh", Loc(src.rel, entry.line, 1, entry.line, entry.col))
    found = []
    for hit in shell_string(command, shell, origin, _Resolver(ws), 0, runner=_SHELL_RUNNER):
        if not group:
            if _spawned_directly(entry.command) and hit.hops and hit.hops[0].kind == "shell":
                hit.hops[0] = replace(hit.hops[0], passes_signal=True,
                                      detail=f"no shell: {runner} runs a command without shell syntax itself")
                hit.wrappers = [problem for problem in hit.wrappers if problem.shell != f"the {_SHELL_RUNNER}"]
            found.append((hit, hit.loc if hit.loc.path == src.rel else origin, origin))
            continue
        hit.wrappers = _procfile_wrappers(hit, dev)
        if not any(problem.severe for problem in hit.wrappers):
            hit.hops = [_group_signalled(hop, dev, runner) for hop in hit.hops]
        found.append((hit, hit.loc if hit.loc.path == src.rel else origin, origin))
    return found


#: what a Procfile runner does when it is stopped (any of the signals it handles): SIGTERM to each entry's
#: process group, then SIGKILL after its grace time.  forego (start.go): SIGTERM/SIGINT/SIGHUP/SIGALRM, `-t`
#: seconds (default 3); honcho (manager.py): SIGTERM/SIGINT, ``KILL_WAIT = 5``, fixed; foreman: `-t/--timeout`
#: (default 5).
RUNNER_GRACE = {"forego": (3.0, "forego default shutdown grace time (`-t 3`)"),
                "honcho": (5.0, "honcho's fixed KILL_WAIT of 5 s"),
                "foreman": (5.0, "foreman default `--timeout 5`")}


def supervised_launches(ws: Workspace, project: Project, config_rel: str | None, outer: list[Hop], unit: str,
                        env: dict[str, str] | None = None, argv: tuple[str, ...] = (),
                        where: Loc | None = None) -> Built:
    """The entries of a Procfile that a runner (``forego start``, ``honcho start``, ``foreman start``: ``argv``,
    its words) runs inside a container (``outer``: the container's hops): each entry a launch behind a runner
    hop that sends SIGTERM whatever signal the container got, and kills after the runner's grace time; the
    entries named on its command line only, with its concurrency as instances.  The Procfile is claimed: it
    is not also a PaaS unit."""
    built = Built()
    run = procfile_run(argv)
    src = ws.file(config_rel) if config_rel else None
    entries = load(ws, src) if src is not None and run is not None else None
    if src is None or run is None or entries is None:
        return built
    built.claims.add(src.rel)
    # where the runner's command line is written (its `-t`, `-c` live there), else the container's line
    where_run = where if where is not None else outer[-1].loc if outer else Loc(src.rel, 1, 1)
    default, origin_text = RUNNER_GRACE[run.runner]
    deadline: Val[float] = Val.default(default, origin_text)
    if run.timeout is not None and run.runner != "honcho":
        try:
            deadline = Val(float(int(run.timeout)), where_run)
        except ValueError:
            deadline = Val.unknown_at(where_run, f"{run.runner} `-t {run.timeout}`")
    counts = _concurrency(run.concurrency)
    # foreman's formation: `all=N` for every entry; when `-m` names entries, the others run none (foreman(1));
    # honcho's `all` is just a process name (honcho/command.py _parse_concurrency)
    every = counts.pop("all", None) if run.runner != "honcho" else None
    others = every if every is not None else (0 if run.runner == "foreman" and counts else None)
    unknown_names = any("$" in name for name in run.names)  # `honcho start $PROCESSES`: any entry may run
    group = run.runner != "foreman"  # foreman signals the process it spawned, not its group (engine.rb)
    what = f"{run.runner} sends SIGTERM to each entry's process group" if group else \
        "foreman: SIGTERM to each process it started, whatever stops it"
    for entry in entries:
        if run.names and entry.name not in run.names and not unknown_names:
            continue
        for hit, where, _origin in _entry_hits(ws, src, entry, f"run by {run.runner}", run.runner, group):
            hop = Hop("supervisor", run.runner, where_run, sends=Val.default("TERM", what),
                      deadline=deadline, detail=f"runs `{entry.name}` of {src.rel}")
            count = counts.get(entry.name, others)
            instances = Val(count, where_run) if count is not None else \
                Val.default(1, f"{run.runner}: one process per Procfile entry")
            launch = make_launch(project, hop, hit, platform="procfile", name=entry.name, unit=unit,
                                 origin=where, outer=outer, instances=instances, collects_logs=True,
                                 deadline_configurable=run.runner != "honcho")
            built.launches.append(launch)
    return built


def _concurrency(text: str | None) -> dict[str, int]:
    """``worker=2,web=1`` (forego/honcho ``-c``, foreman ``-m``; ``all=N`` for every entry)."""
    counts: dict[str, int] = {}
    for item in (text or "").split(","):
        name, eq, value = item.partition("=")
        count = whole_number(value.strip()) if eq else None
        if count is not None:
            counts[name.strip()] = count
    return counts


class _Resolver:
    """A Procfile command runs from the app root: scripts are relative to the Procfile's folder."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def script(self, word: str, origin: Loc) -> SourceFile | None:
        return find_script(self.ws, word, origin, "")
