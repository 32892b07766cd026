"""``hueylint inspect``: what hueylint understood, launch by launch, with provenance."""

from __future__ import annotations

import json
import math
import os
import re
import sys
from pathlib import Path
from typing import Any

from hueylint.checks.hl201_shell_wrapper import describe, stop_signal_of
from hueylint.hueyfacts import GRACEFUL_SHUTDOWN_SINCE, option_since
from hueylint.locations import Loc
from hueylint.model import Launch, Val, format_seconds, signal_name
from hueylint.regexes import lazy_pattern
from hueylint.reporters import relative_paths, rewrites, shown_text
from hueylint.safeio import shown
from hueylint.terminal import can_encode, markup

SCHEMA_VERSION = 1  # of the JSON document; fields are only ever added within a version
GLYPHS = {"ok": "✓", "bad": "✗", "arrow": "→"}
ASCII_GLYPHS = {"ok": "ok:", "bad": "x", "arrow": "->"}


def _glyphs() -> dict[str, str]:
    """✓ ✗ →, or ASCII stand-ins when stdout cannot encode them (a cp1252 or ASCII console)."""
    return GLYPHS if can_encode("".join(GLYPHS.values())) else ASCII_GLYPHS


class _Paths:
    """Paths as the text view shows them, as ``check``'s text and concise formats do: relative to the current
    folder (run from ``deploy/``, ``huey.service:11`` rather than the run root's ``deploy/huey.service:11``; a
    file outside the current folder absolute).  The JSON view (``cwd`` the run root) keeps the run root's paths, as
    ``check``'s does, and as it shows a file outside the run root (a second checkout named on the command line:
    ``../other/Dockerfile``) absolute."""

    def __init__(self, root: Path, inputs, cwd: str) -> None:
        self.root = os.path.abspath(str(root))
        self.cwd = cwd
        self.same = os.path.abspath(cwd) == self.root
        self.inputs = inputs
        self._read: set[str] | None = None

    @property
    def read(self) -> set[str]:
        """The run's files, relative to its root (computed when a text first needs them)."""
        if self._read is None:
            self._read = relative_paths(self.inputs, self.root)
        return self._read

    def _kept(self, rel: str) -> bool:
        """Is the root-relative ``rel`` shown as it is: run from the root, a path inside it."""
        return self.same and rel != ".." and not rel.startswith("../")

    def path(self, rel: str) -> str:
        """A root-relative file or folder (``.`` the root)."""
        return rel if not rel or self._kept(rel) else shown(os.path.join(self.root, rel), self.cwd)

    def loc(self, loc: Loc) -> str:
        """``path:line``, or the platform default a value comes from."""
        if loc.path is None or self._kept(loc.path):
            return str(loc)
        return f"{self.path(loc.path)}:{loc.line}" if loc.line else self.path(loc.path)

    def text(self, text: str) -> str:
        """Free text (a reason, a pin's origin) with the run's files it names as ``path:line``."""
        return shown_text(self.root, self.read, text, self.cwd) if rewrites(self.root, text, self.cwd) else text

    def unit(self, unit: str) -> str:
        """A deployment unit: a folder or file of the repository (``kubernetes:deploy/k8s``, a compose file with
        the overrides merged with it, ``docker-compose.yml+docker-compose.prod.yml``)."""
        match = _UNIT.match(unit)
        if match is None or self._kept(match["path"]) or not os.path.lexists(os.path.join(self.root, match["path"])):
            return unit
        return f"{match['kind'] or ''}{self.path(match['path'])}{match['rest']}"


#: a deployment unit's key: an optional ``kind:`` prefix, a root-relative path, then ``+override.yml`` parts
_UNIT = lazy_pattern(r"(?P<kind>[a-z][a-z-]*:)?(?P<path>[^+]+)(?P<rest>.*)\Z", re.DOTALL)
def _val(value: Val[Any] | None, paths: _Paths, fmt=str) -> str:
    """A value with its provenance, as rich markup (file names may contain brackets)."""
    if value is None:
        return "-"
    where = markup("[" + paths.loc(value.loc) + "]")
    if not value.known:
        return f"[yellow]unknown[/] ({markup(paths.text(value.unknown))}) [dim]{where}[/]"
    shown = "-" if value.value is None else str(fmt(value.value))
    return f"{markup(shown)} [dim]{where}[/]"


def launch_dict(launch: Launch, paths: _Paths | None = None) -> dict[str, Any]:
    """A launch as ``inspect --format json`` gives it: paths relative to the run root, a file outside it absolute
    (``paths``: the JSON view's, :class:`_Paths` from the run root; None keeps every path as the model has it)."""
    def at(loc: Loc) -> str:
        return paths.loc(loc) if paths is not None else str(loc)

    def text(value: str) -> str:
        return paths.text(value) if paths is not None else value

    def val(value: Val[Any] | None) -> Any:
        if value is None:
            return None
        raw = value.value
        if isinstance(raw, float) and math.isinf(raw):
            raw = "infinity"
        return {"value": raw, "from": at(value.loc), "unknown": text(value.unknown) if value.unknown else None}

    name = paths.path(launch.name) if paths is not None and launch.platform == "docker" else launch.name
    return {
        "platform": launch.platform, "name": name, "unit": paths.unit(launch.unit) if paths is not None else launch.unit,
        "at": at(launch.loc), "program": launch.program, "argv": list(launch.argv), "app": val(launch.app),
        "chain": [{"kind": hop.kind, "name": paths.path(hop.name) if paths is not None and hop.kind == "script" and
                   hop.name == hop.loc.path else hop.name, "at": at(hop.loc), "sends": val(hop.sends),
                   "deadline": val(hop.deadline), "passes_signal": hop.passes_signal} for hop in launch.chain],
        "stop_signal": val(launch.stop_signal), "graceful_signal": val(launch.graceful_signal),
        "deadline": val(launch.deadline), "shutdown_timeout": val(launch.shutdown_timeout),
        "instances": val(launch.instances), "periodic": val(launch.periodic),
        "flush_locks": launch.flushes_locks, "logfile": val(launch.logfile), "branch": launch.branch or None,
        "options": {key: val(value) for key, value in launch.options.items()},
        "wrappers": [describe(problem, stop_signal_of(launch)) for problem in launch.wrappers],
        "development": (text(str(launch.dev_reason.value)) if launch.dev_reason is not None else "")
        if launch.dev else None,
        "project": text(str(launch.compose.project.value))
        if launch.compose is not None and launch.compose.project is not None else None,
        "huey_version": {"value": launch.huey_version.text if launch.huey_version.value else None,
                         "from": at(launch.huey_version.loc), "basis": launch.huey_version.basis,
                         "detail": text(launch.huey_version.describe())},
        "not_followed": [{"what": text(part.what), "why": text(part.why), "at": at(part.loc)}
                         for part in launch.unresolved],
    }


def _flush_text(launch: Launch, paths: _Paths) -> str:
    flush, extra = launch.options.get("flush_locks"), launch.options.get("extra_locks")
    if flush is not None and flush.known and flush.value:  # `-f` written: what else the line may set changes nothing
        return "yes (-f / -L)"
    unknown = next((val for val in (flush, extra) if val is not None and not val.known), None)
    if unknown is not None:
        return _val(unknown, paths)
    return "yes (-f / -L)" if launch.flushes_locks else "no"


def _dropped_lines(project, paths: _Paths) -> list[str]:
    """Every candidate considered and dropped, with the reason (rich markup)."""
    return [f"  [dim]{markup(paths.loc(item.loc))}[/] {markup(paths.text(item.what))}: {markup(paths.text(item.why))}"
            for item in project.dropped]


def _app_text(project, launch: Launch, paths: _Paths) -> str:
    """The app a launch runs, and where hueylint found it in the repo."""
    try:
        from hueylint.appmodel import app_for
    except ImportError:
        app = None
    else:
        app = app_for(project, launch)
    name = _val(launch.app, paths) if launch.app is not None else "-"
    if app is None:
        if launch.app is None and launch.refused:  # huey's parser stopped before the app argument was read
            return name + " [dim](huey refuses the command line, HL002: no app is read from it)[/]"
        return name + " [dim](not found in the repo)[/]"
    periodic = len(app.periodic_tasks)
    where = paths.path(app.entry.rel) if app.entry is not None else ", ".join(map(paths.path, app.settings_rels[:2]))
    details = [f"{len(app.modules)} module(s)", f"{len(app.tasks)} task(s)", f"{periodic} periodic"]
    if app.signal_handlers:
        details.append("SIGNAL_INTERRUPTED handler" if any(h.handles_interrupted for h in app.signal_handlers)
                       else "signal handlers")
    return f"{name} -> [cyan]{markup(where or app.key)}[/] [dim]({', '.join(details)})[/]"


def _check(ok: bool | None, text: str) -> str:
    if ok is None:
        return f"[dim]{text}[/]"
    glyphs = _glyphs()
    return f"[green]{glyphs['ok']} {text}[/]" if ok else f"[red]{glyphs['bad']} {text}[/]"


def _signal_verdict(launch: Launch) -> str:
    stop, graceful = launch.stop_signal, launch.graceful_signal
    if not launch.huey_version.at_least(*GRACEFUL_SHUTDOWN_SINCE):  # as HL101 and HL102 read it: no rule to judge
        return _check(False, f"huey {launch.huey_version.text} has no graceful shutdown (1.4.0+): any stop "
                             "interrupts running tasks")
    if any(problem.severe and not problem.outside for problem in launch.wrappers):
        view = launch.stop_view()
        if view is None or view[0] is None:
            return _check(False, "the stop signal never reaches the consumer")
        stop = view[0]
        if stop.known and graceful.known:
            return _check(False, f"the platform's signal never reaches it; the supervisor below sends "
                                 f"{signal_name(stop.value)}" + (" (graceful)" if stop.value == graceful.value else
                                                                  " (interrupts running tasks)"))
    if stop is None or not stop.known or not graceful.known:
        return _check(None, "cannot be told")
    return _check(stop.value == graceful.value, "graceful stop" if stop.value == graceful.value
                  else "running tasks are interrupted")


def _deadline_verdict(launch: Launch) -> str:
    deadline, timeout = launch.deadline, launch.shutdown_timeout
    if deadline is None or not deadline.known or deadline.value is None:
        return _check(None, "cannot be told")
    if timeout is None and not launch.huey_version.at_least(*option_since("shutdown_timeout")):
        return _check(None, "no -t before huey 3.4: a stuck task waits for SIGKILL")  # nothing to add: HL104 agrees
    if timeout is None:
        return _check(None, "no -t: a stuck task waits for SIGKILL")
    if not timeout.known or timeout.value is None:
        return _check(None, "-t unknown")
    return _check(timeout.value <= deadline.value - 2, "-t below the deadline" if timeout.value <= deadline.value - 2
                  else "-t not 2 s below the deadline")


def _hop_name(hop, paths: _Paths) -> str:
    """A hop's name; a repository script's is its path (an image's file keeps the path it has there)."""
    return paths.path(hop.name) if hop.kind == "script" and hop.name == hop.loc.path else hop.name


def _chain_line(launch: Launch, paths: _Paths) -> str:
    steps = []
    for hop in launch.chain:
        label = markup(_hop_name(hop, paths))
        if hop.kind == "platform":
            label = f"[bold]{label}[/]"
        elif not hop.passes_signal:
            label = f"[red]{label}[/]"
        steps.append(label)
    steps.append(f"[bold cyan]{markup(launch.program)}[/]")
    return f" {_glyphs()['arrow']} ".join(steps)


def render_inspect(paths: list[Path], settings, fmt: str, color: str = "auto", options=None) -> None:
    """Print every launch of ``paths`` (and of stdin, ``options.stdin``) as rich panels or JSON.
    ``color``: auto, always or never (:func:`hueylint.terminal.make_console`)."""
    from hueylint.engine import build_project
    from hueylint.named_context import named_scope
    from hueylint.terminal import make_console

    ws, project, _ = build_project(paths, settings, options)
    # a run of named paths judged in the repository's deployment context: the launches of the named files
    scope = named_scope(ws, project)
    if scope is not None:
        project.launches = scope.launches
        project.dropped = [item for item in project.dropped if scope.shows(item.loc.path, item.loc.line)]
    # files that looked relevant but could not be read or parsed (HL001 in `check`): a launch in them is unseen;
    # not a file read whose launches are listed, its HL001 about one value or line (an empty `KillSignal=`, invalid
    # UTF-8, a script's CRLF): it was "not read" under "candidates considered and dropped" below its own launch
    analysed = {**ws.read_on_demand(), **ws.sources}
    launched = {loc.path for launch in project.launches for loc in (launch.loc, *(hop.loc for hop in launch.chain))}
    unread = sorted({(f.loc.path or "", f.loc.line, f.message) for f in ws.findings
                     if f.rule == "HL001" and (f.loc.path not in analysed or f.loc.path not in launched)
                     and (scope is None or scope.shows(f.loc.path, f.loc.line))})
    if fmt == "json":
        repo_version = project.huey_version
        rooted = _Paths(ws.root, ws.inputs(), str(ws.root))  # root-relative; a file outside the root absolute
        json.dump({"schema_version": SCHEMA_VERSION, "root": str(ws.root),
                   "huey_version": repo_version.text if repo_version.value else None,
                   "launches": [launch_dict(launch, rooted) for launch in project.launches],
                   "dropped": [{"what": rooted.text(item.what), "why": rooted.text(item.why), "at": rooted.loc(item.loc)}
                               for item in project.dropped],
                   "unreadable": [{"at": rooted.loc(Loc(path, line)), "why": rooted.text(why)}
                                  for path, line, why in unread]},
                  sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    view = _Paths(ws.root, ws.inputs(), os.getcwd())
    console = make_console(color=color, soft_wrap=True)  # lines as long as they are; panels fit the width
    version = project.huey_version
    units = sorted({launch.unit for launch in project.launches})
    console.print(f"[bold]{len(project.launches)} consumer launch(es)[/] in {len(units)} deployment unit(s); "
                  f"repository's huey: {markup(view.text(version.describe()))}")
    dropped = _dropped_lines(project, view)
    dropped += [f"  [dim]{markup(view.loc(Loc(path, line)))}[/] not read: {markup(view.text(why))} (HL001)"
                for path, line, why in unread]
    if not project.launches:
        console.print("No consumer launch found: hueylint looks for huey_consumer, run_huey and djangohuey "
                      "in units, supervisor configs, Dockerfiles, compose, Kubernetes, Procfiles, fly.toml, "
                      "render.yaml, Platform.sh/Upsun app configurations, Cloud Foundry manifests, Kamal configurations, ECS task definitions and the "
                      "scripts they run.")
        if dropped:
            console.print(f"\n[bold]{len(dropped)} candidate(s) considered and dropped[/]")
            for line in dropped:
                console.print(line)
        return
    for unit in units:
        console.print(f"\n[bold underline]{markup(view.unit(unit))}[/]")
        for launch in (item for item in project.launches if item.unit == unit):
            table = Table(show_header=False, box=None, padding=(0, 1), expand=False)
            table.add_column(style="dim", no_wrap=True)
            table.add_column()
            table.add_row("chain", _chain_line(launch, view))
            for hop in launch.chain:
                parts = []
                if hop.sends is not None:
                    parts.append(f"sends {_val(hop.sends, view, signal_name)}")
                if hop.deadline is not None:
                    parts.append(f"SIGKILL after {_val(hop.deadline, view, format_seconds)}")
                if hop.detail:
                    parts.append(markup(view.text(hop.detail)))
                if parts or hop.kind != "launcher":
                    table.add_row(f"  {hop.kind}", f"{markup(_hop_name(hop, view))} [dim]{markup(view.loc(hop.loc))}[/]"
                                  + (f": {'; '.join(parts)}" if parts else ""))
            table.add_row("command", markup(" ".join([launch.program, *launch.argv])))
            if launch.branch:
                table.add_row("branch", markup(view.text(launch.branch)))
            for part in launch.unresolved:
                table.add_row("not followed", f"[yellow]{markup(view.text(part.what))}[/]: {markup(view.text(part.why))} "
                                              f"[dim]{markup('[' + view.loc(part.loc) + ']')}[/]")
            table.add_row("app", _app_text(project, launch, view))
            graceful = _val(launch.graceful_signal, view, signal_name) \
                if launch.huey_version.at_least(*GRACEFUL_SHUTDOWN_SINCE) else "none"
            table.add_row("stop signal", f"{_val(launch.stop_signal, view, signal_name)}  vs graceful {graceful}  "
                                         f"{_signal_verdict(launch)}")
            table.add_row("kill deadline", f"{_val(launch.deadline, view, format_seconds)}  vs -t "
                                           f"{_val(launch.shutdown_timeout, view, format_seconds)}  {_deadline_verdict(launch)}")
            table.add_row("huey", markup(view.text(launch.huey_version.describe())))
            project_how = launch.compose.project if launch.compose is not None else None
            if project_how is not None:
                table.add_row("project", markup(view.text(str(project_how.value))))
            table.add_row("instances", _val(launch.instances, view))
            table.add_row("periodic", _val(launch.periodic, view, lambda v: "enqueues periodic tasks" if v else "-n (off)"))
            table.add_row("flush locks", _flush_text(launch, view))
            log = launch.logfile or launch.stderr_file  # `-l`, else a start script's `>> FILE 2>&1`
            discarded = launch.systemd.discarded if launch.systemd is not None else None
            table.add_row("log", _val(log, view) if log is not None else (
                "stderr, collected by the platform" if launch.collects_logs else
                f"stderr, discarded {_val(discarded, view)}" if discarded is not None else "stderr"))
            dev = launch.dev_reason
            development = f"development ({view.text(str(dev.value))}, {view.loc(dev.loc)})" if dev is not None else "development"
            flags = [name for name, on in (("PaaS", launch.paas), (development, launch.dev),
                                           ("refused by huey", launch.refused)) if on]
            if flags:
                table.add_row("notes", ", ".join(flags))
            name = view.path(launch.name) if launch.platform == "docker" else launch.name  # a Dockerfile's path
            title = f"[bold]{markup(launch.platform)}[/] [cyan]{markup(name)}[/]"
            console.print(Panel(Group(table), title=title, title_align="left",
                                subtitle=markup(view.loc(launch.loc)), subtitle_align="right", expand=False))
    if dropped:
        console.print(f"\n[bold]{len(dropped)} candidate(s) considered and dropped[/]")
        for line in dropped:
            console.print(line)
