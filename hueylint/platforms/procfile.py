"""Procfile entries: PaaS process types (Heroku-like), or a local-development file for honcho/foreman.

On a PaaS every process type is started with a shell and stopped by sending
SIGTERM to *every process of the dyno*, then SIGKILL after a fixed 30 s that
cannot be configured.  Two consequences shape this builder:

* A shell between the platform and the consumer does not keep the stop
  signal from it (``release && huey_consumer ...`` or a wrapper script
  without ``exec`` is fine here), so those HL201 problems are dropped.
  honcho and foreman signal the whole process group, with the same effect.
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
from dataclasses import replace

from hueylint.chain import ConsumerHit, Token, shell_string
from hueylint.launch_facts import ProcfileFacts
from hueylint.launches import make_launch
from hueylint.model import Hop, Loc, Project, Val, WrapperProblem
from hueylint.parsers.procfile import Entry, parse
from hueylint.platforms import Built
from hueylint.script_lookup import always_runs, find_script
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


def _procfile_wrappers(hit: ConsumerHit, dev: str) -> list[WrapperProblem]:
    """Keep only the wrapper problems that matter when the whole dyno / process group is signalled."""
    kept: list[WrapperProblem] = []
    for problem in hit.wrappers:
        if not problem.severe:
            continue  # a shell in between: the consumer still receives the group-wide SIGTERM
        if problem.kind == "background":
            kept.append(replace(problem, severe=False, platform="procfile"))
        elif dev:
            kept.append(problem)  # a daemonizing supervisor leaves honcho/foreman's process group
        # on a PaaS every process of the dyno receives SIGTERM, daemonized or not
    return kept


def _group_signalled(hop: Hop, dev: str) -> Hop:
    """A shell or script in between still lets the stop signal reach the consumer: everything is signalled."""
    if hop.kind not in ("shell", "script") or hop.passes_signal:
        return hop
    who = "honcho/foreman signal the whole process group" if dev else "the PaaS signals every process of the dyno"
    return replace(hop, passes_signal=True, detail=f"stays in between, but {who}")


def build(ws: Workspace, project: Project) -> Built:
    built = Built()
    for src in ws.of_format("procfile"):
        entries = load(ws, src)
        if not entries:
            continue
        dev = dev_reason(src, entries, ws)
        for entry in entries:
            origin = Loc(src.rel, entry.line, entry.col, entry.line, entry.col + len(entry.command))
            command = Token(entry.command, origin)
            shell = Token("/bin/sh", Loc(src.rel, entry.line, 1, entry.line, entry.col))
            hits = shell_string(command, shell, origin, _Resolver(ws), 0, runner="Procfile command (sh -c)")
            for hit in hits:
                hit.wrappers = _procfile_wrappers(hit, dev)
                if not any(problem.severe for problem in hit.wrappers):
                    hit.hops = [_group_signalled(hop, dev) for hop in hit.hops]
                where = hit.loc if hit.loc.path == src.rel else origin
                launch = make_launch(
                    project, platform_hop(origin, dev), hit, platform="procfile", name=entry.name,
                    unit=src.rel, origin=where,
                    instances=Val.default(1, "Procfile: one dyno per process type (the formation is not in the repo)"),
                    paas=not dev, deadline_configurable=False, collects_logs=not dev,
                )
                launch.dev = launch.dev or bool(dev)
                launch.procfile = ProcfileFacts(dev=Val(dev, Loc(src.rel, 1, 1)) if dev else None)
                built.launches.append(launch)
    return built


class _Resolver:
    """A Procfile command runs from the app root: scripts are relative to the Procfile's folder."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def script(self, word: str, origin: Loc) -> SourceFile | None:
        return find_script(self.ws, word, origin, "")
