"""Cloud Foundry app manifests (``cf push``): one launch per process type whose command starts a consumer.

Each fact below is from Cloud Foundry's own documentation (cloudfoundry/docs-dev-guide, published at
docs.cloudfoundry.org):

* Manifest: a top-level ``applications:`` list, each app with ``name``; ``cf push`` reads ``manifest.yml`` from
  the current folder, another file with ``-f`` (https://docs.cloudfoundry.org/devguide/deploy-apps/manifest.html,
  https://docs.cloudfoundry.org/devguide/deploy-apps/manifest-attributes.html).
* Variables: ``((NAME))`` in a manifest is filled in from ``cf push --vars-file vars.yml`` / ``--var``, also inside
  a longer value (manifest-attributes.html, "Add variables to a manifest").  Read here from a ``vars.yml`` next to
  the manifest (else in the repository root); a variable none gives is set at push time: unknown here.
* Commands: ``command:`` of the app (its ``web`` process), or ``processes:`` entries (``type``, ``command``,
  ``instances``).  "If you override the start command for a Buildpack app, Linux uses ``bash -c COMMAND`` to invoke
  your app. If you override the start command for a Docker app, Linux uses ``sh -c COMMAND``", and with a composite
  command "only the bash process receives the TERM signal" unless the last command is ``exec``'d
  (manifest-attributes.html, "command").  A command left to the buildpack or the image is not in the repository.
* Instances: ``instances:``, "The default number of instances is 1" (manifest-attributes.html, "instances").
* Stop: "To shut down the app, Cloud Foundry sends the app process in the container a SIGTERM. The process has ten
  seconds to shut down gracefully. If the process has not exited after ten seconds, Cloud Foundry sends a
  SIGKILL" (https://docs.cloudfoundry.org/devguide/deploy-apps/app-lifecycle.html, "Shutdown"), on ``cf scale``,
  ``cf stop``, ``cf push``, ``cf restart-app-instance`` and cell evacuation.  No manifest attribute changes the
  signal or the ten seconds.
* Restart: "If an app instance fails, Cloud Foundry restarts it" (app-lifecycle.html, "Crash events"; with a
  back-off, and no more after the 200th restart): no setting, so HL203 never applies.
* Logs: what the app writes to stdout and stderr goes to Loggregator (``cf logs``;
  https://docs.cloudfoundry.org/devguide/deploy-apps/streaming-logs.html).
* Instance index: each running instance has ``CF_INSTANCE_INDEX`` ("The index number of the app instance") and
  ``INSTANCE_INDEX`` (https://docs.cloudfoundry.org/devguide/deploy-apps/environment-variable.html).  A script
  testing it, on the way to a command that runs ``-n`` on some path or whose arguments the shell fills in at run
  time, decides per instance whether that instance enqueues periodic tasks: ``periodic`` is then unknown (HL301
  stays quiet) rather than the value of one branch; a test that never decides ``-n`` (migrations on instance 0)
  changes nothing.  ``instance_index`` inside ``VCAP_APPLICATION``
  is not in Cloud Foundry's current attribute table (Spring Boot's ``CloudFoundryVcapEnvironmentPostProcessor``
  documents it); a script reading it is treated the same way, which can only make ``periodic`` unknown.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from hueylint.chain import ConsumerHit, Token, resolve, shell_string
from hueylint.hueyfacts import CONSUMER_PROGRAMS
from hueylint.launches import make_launch, named_for_huey, unfollowed_named_launch
from hueylint.locations import Loc
from hueylint.model import Hop, Launch, Project, Unresolved, Val
from hueylint.numerals import digit_run, whole_number
from hueylint.parsers.yamldocs import Doc, load
from hueylint.platforms import Built, procfile
from hueylint.platforms.compose import place_words
from hueylint.platforms.scripts import RepoScripts
from hueylint.regexes import lazy_pattern
from hueylint.words import SHELL_SYNTAX, clipped, split
from hueylint.workspace import Workspace

STOP_SIGNAL = "TERM"
STOP_DEADLINE = 10.0  # seconds from SIGTERM to SIGKILL, fixed (app-lifecycle.html, "Shutdown")
DEFAULT_INSTANCES = 1
VARS_FILES = ("vars.yml", "vars.yaml")
_VAR = lazy_pattern(r"\(\(\s*([^()\s]+)\s*\)\)")
#: a test of the instance's index in a script: ``$CF_INSTANCE_INDEX``/``$INSTANCE_INDEX``, or ``instance_index`` read
#: from VCAP_APPLICATION
_INDEX_TEST = lazy_pattern(r"\b(?:CF_)?INSTANCE_INDEX\b|\binstance_index\b")


def variables(ws: Workspace, folder: str) -> dict[str, Val[Any]]:
    """``((NAME))`` values the vars files next to a manifest (``vars.yml``/``vars.yaml`` in its folder, else in the
    repository root) give; a name two of them give different values is unknown (which one ``cf push`` is given is
    not in the repository)."""
    found: dict[str, Val[Any]] = {}
    for rel in dict.fromkeys(posixpath.join(where, name) for where in (folder, "") for name in VARS_FILES):
        src = ws.file(rel)
        docs = load(ws, src) if src is not None else None
        data = docs[0].data if docs else None
        if not docs or not isinstance(data, dict):
            continue
        for key in data:
            value = docs[0].val(data, str(key))
            if value is None or isinstance(value.value, (dict, list)):
                continue
            seen = found.get(str(key))
            if seen is not None and seen.known and seen.value != value.value:
                value = Val.unknown_at(value.loc, f"(({key})) differs between {seen.loc.path} and {rel}")
            found[str(key)] = value
    return found


def interpolate(text: str, loc: Loc, known: dict[str, Val[Any]]) -> Val[str]:
    """``text`` with its ``((NAME))`` variables filled in from ``known``; unknown (naming the first variable no vars
    file gives) when any is missing."""
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        value = known.get(match.group(1))
        if value is None or not value.known:
            missing.append(match.group(1))
            return match.group(0)
        return str(value.value)

    filled = _VAR.sub(fill, text)
    if missing:
        return Val.unknown_at(loc, f"(({missing[0]})) is set at `cf push --var/--vars-file` time "
                                   "(no vars file in the repository gives it)")
    return Val(filled, loc)


def instances(doc: Doc, entry: dict[str, Any], known: dict[str, Val[Any]]) -> Val[Any]:
    value = doc.val(entry, "instances")
    if value is None or value.known and value.value is None:  # the cf CLI reads a null as not set (a nil *int)
        return Val.default(DEFAULT_INSTANCES, "Cloud Foundry default instances")
    if not value.known:
        return value
    raw = value.value
    if isinstance(raw, str):
        filled = interpolate(raw, value.loc, known)
        if not filled.known:
            return filled
        raw = filled.value.strip() if filled.value is not None else ""
        raw = whole_number(raw) if digit_run(raw) else raw
        if raw is None:  # more digits than any count
            return Val.unknown_at(value.loc, f"instances {value.value!r}")
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        return Val.unknown_at(value.loc, f"instances {value.value!r}")
    return Val(raw, value.loc)


def build(ws: Workspace, project: Project) -> Built:
    built = Built()
    for src in ws.of_format("cloudfoundry"):
        known: dict[str, Val[Any]] | None = None
        for doc in load(ws, src) or []:
            apps = doc.data.get("applications") if isinstance(doc.data, dict) else None
            for app in apps if isinstance(apps, list) else []:
                if isinstance(app, dict):
                    known = variables(ws, posixpath.dirname(src.rel)) if known is None else known
                    _app(ws, project, built, doc, app, known)
    return built


def _processes(app: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(type, entry) of each process: the ``processes:`` entries, and the app's own ``command``/``instances`` as
    its ``web`` process when no entry is of that type."""
    found: list[tuple[str, dict[str, Any]]] = []
    listed = app.get("processes")
    for entry in listed if isinstance(listed, list) else []:
        if isinstance(entry, dict):
            found.append((str(entry.get("type") or "web"), entry))
    if not any(kind == "web" for kind, _entry in found):
        found.insert(0, ("web", app))
    return found


def _app(ws: Workspace, project: Project, built: Built, doc: Doc, app: dict[str, Any],
         known: dict[str, Val[Any]]) -> None:
    origin = doc.key_loc(app, "name") if "name" in app else doc.node_loc(app)
    name_val = interpolate(str(app.get("name") or "app"), origin, known)
    app_name = name_val.value if name_val.known and name_val.value else str(app.get("name") or "app")
    docker_app = isinstance(app.get("docker"), dict)
    shell = "/bin/sh" if docker_app else "/bin/bash"
    for kind, entry in _processes(app):
        command = doc.command_text(entry, "command") or \
            (doc.command_text(app, "command") if kind == "web" and entry is not app else None)
        if command is None:
            continue  # the buildpack's or the image's start command: not in the repository
        text, loc, written = command
        filled = interpolate(text, loc, known)
        if not filled.known or filled.value is None:
            if any(word in text for word in CONSUMER_PROGRAMS):  # a consumer whose command line is not known: HL004
                hit = ConsumerHit("unknown", [], loc, unresolved=[Unresolved(f"`{clipped(text)}`", filled.unknown, loc)],
                                  options_unknown=True)
                built.launches.append(_launch(project, _hop(origin, shell), hit, doc, app_name, kind, loc,
                                              _instances(doc, entry, app, known)))
            continue
        spots = written if filled.value == text else None
        text = filled.value
        end = Loc(loc.path, loc.line, loc.col, loc.line, loc.col + len(text))
        if SHELL_SYNTAX.search(text):
            tokens = [Token(shell, origin), Token("-c", end), Token(text, end, spots=spots)]
            hits = shell_string(tokens[2], tokens[0], end, RepoScripts(ws), 0,
                                runner=f"Cloud Foundry command ({posixpath.basename(shell)} -c)")
        else:  # one simple command: `bash -c`/`sh -c` execs it, the program itself is the process
            tokens = place_words(doc, split(text), end, spots, text)
            hits = resolve(tokens, end, RepoScripts(ws))
        count = _instances(doc, entry, app, known)
        if not hits:  # a Procfile runner the command starts in the app's folder (`honcho start -f Procfile.cf`)
            folder = posixpath.normpath(posixpath.join(posixpath.dirname(doc.rel), str(app.get("path") or ".")))
            before = len(built.launches)
            built.add(procfile.command_runners(ws, project, tokens, end, _hop(origin, shell), doc.rel,
                                               "" if folder == "." else folder, count, prefix=f"{app_name} ({kind})"))
            if len(built.launches) == before and text.split() and named_for_huey(app_name, kind):
                unfollowed_named_launch(ws, f"Cloud Foundry app `{app_name}` ({kind})", text.split(), end)
        found = [_launch(project, _hop(origin, shell), hit, doc, app_name, kind,
                         hit.loc if hit.loc.path == doc.rel else end, count) for hit in hits]
        # `-n` on some path (or added to the options on some paths only), or words the shell fills in at run
        # time: an index test may decide it
        varies = any(launch.periodic.value is False or not launch.periodic.known for launch in found) or \
            any("$" in word for launch in found for word in launch.argv)
        for launch in found:
            if varies:
                _per_instance(ws, launch)
            built.launches.append(launch)


def _hop(origin: Loc, shell: str) -> Hop:
    return Hop("platform", "Cloud Foundry", origin,
               sends=Val.default(STOP_SIGNAL, "Cloud Foundry: SIGTERM, not configurable"),
               deadline=Val.default(STOP_DEADLINE, "Cloud Foundry: SIGKILL 10 s after SIGTERM, not configurable"),
               max_deadline=STOP_DEADLINE, detail=f"`{shell} -c` runs the command")


def _instances(doc: Doc, entry: dict[str, Any], app: dict[str, Any], known: dict[str, Val[Any]]) -> Val[Any]:
    """A process entry's ``instances`` (default 1); the app's own for its web process."""
    if "instances" in entry or entry is app:
        return instances(doc, entry, known)
    return Val.default(DEFAULT_INSTANCES, "Cloud Foundry default instances")


def _launch(project: Project, hop: Hop, hit: ConsumerHit, doc: Doc, app_name: str, kind: str, where: Loc,
            count: Val[Any]) -> Launch:
    launch = make_launch(
        project, hop, hit, platform="cloudfoundry", name=f"{app_name} ({kind})", unit=doc.rel, origin=where,
        instances=count, collects_logs=True, deadline_configurable=False, service_dir="",
        restart=Val.default(True, "Cloud Foundry restarts a crashed instance"))
    launch.command = Val(f"{app_name} ({kind})", where)
    return launch


def _per_instance(ws: Workspace, launch: Launch) -> None:
    """A script on the way that tests the instance index decides ``--no-periodic`` per instance at run time."""
    if launch.periodic.known and launch.periodic.value is False:
        return
    for hop in launch.chain:
        if hop.kind != "script" or not hop.loc.path:
            continue
        src = ws.file(hop.loc.path)
        if src is None:
            continue
        for number, line in enumerate(src.text.splitlines(), 1):
            found = _INDEX_TEST.search(line)
            if found and not line.lstrip().startswith("#"):
                launch.options["periodic"] = Val.unknown_at(
                    Loc(src.rel, number, found.start() + 1, number, found.end() + 1),
                    f"decided per instance at run time: {src.rel} tests the instance index (`{found.group(0)}`)")
                return
