"""Render Blueprints (``render.yaml``): one launch per service whose instances start a consumer.

Each fact below is from Render's own documentation and tools:

* Services: ``services:`` entries of ``type: web``, ``worker`` (background worker) or ``pserv`` (private
  service) run continuously; ``type: cron`` runs a command on a schedule and exits, so it is no long-running
  consumer (recorded as dropped, listed by ``inspect``).  Blueprint YAML reference:
  https://render.com/docs/blueprint-spec.
* Commands: ``startCommand`` (native runtimes; for Docker services it overrides the image's command:
  render-oss/terraform-provider-render ``docs/resources/background_worker.md``, ``start_command``), run by a
  shell when it holds shell syntax (``cd app && python manage.py run_huey`` is usual), else the program
  itself is the process (a shell's ``-c`` execs a lone simple command); for ``runtime:
  docker`` (older Blueprints: ``env: docker``) ``dockerCommand`` "defaults to Dockerfile command" and replaces
  the image's CMD, keeping its ENTRYPOINT (Render's render-docker skill, render-oss/skills: "dockerCommand
  (overrides image CMD)"), split into words.  The image: ``dockerfilePath`` ("relative to the repository root",
  default ``./Dockerfile``) with ``dockerContext`` (default the root); ``rootDir`` is where Render runs the
  service's commands.  ``runtime: image`` pulls an image built elsewhere.
* Instances: ``numInstances`` "optional (defaults to 1)"; ``scaling`` (``minInstances``/``maxInstances``)
  autoscales (https://render.com/docs/blueprint-spec).
* Stop: on every deploy, restart and maintenance Render sends SIGTERM and, "If the old instance doesn't exit
  within the shutdown delay", SIGKILL (https://render.com/articles/how-render-handles-zero-downtime-deploys,
  https://render.com/docs/platform-maintenance).  The signal cannot be changed.  ``maxShutdownDelaySeconds``
  sets the delay: an integer from 1 to 300, default 30 (Render's public API schema ``maxShutdownDelaySeconds``:
  ``minimum: 1, maximum: 300, default: 30``, "The maximum amount of time (in seconds) that Render waits for your
  application process to exit gracefully after sending it a SIGTERM signal"); a value outside that range is
  unknown and HL001 (Render refuses the Blueprint), as are the other shapes it refuses (:func:`_refused_shapes`).
* Restart: Render restarts a service whose process exits (no setting).
"""

from __future__ import annotations

import posixpath
from typing import Any

from hueylint.chain import Token, resolve, shell_string
from hueylint.environment import record as record_env
from hueylint.hueyfacts import CONSUMER_PROGRAMS
from hueylint.launches import make_launch, named_for_huey, runs_to_completion, unfollowed_named_launch
from hueylint.locations import Loc
from hueylint.model import Dropped, Hop, Project, Val
from hueylint.parsers.yamldocs import Doc, load
from hueylint.platforms import Built, docker, procfile
from hueylint.platforms.compose import place_words
from hueylint.platforms.scripts import RepoScripts
from hueylint.words import SHELL_SYNTAX, split
from hueylint.workspace import Workspace

STOP_SIGNAL = "TERM"
DEFAULT_SHUTDOWN_DELAY = 30.0
SHUTDOWN_DELAY_RANGE = (1, 300)
LONG_RUNNING = ("web", "worker", "pserv")


def shutdown_delay(doc: Doc, service: dict[str, Any]) -> Val[float]:
    value = doc.val(service, "maxShutdownDelaySeconds")
    if value is None:
        return Val.default(DEFAULT_SHUTDOWN_DELAY, "Render default maxShutdownDelaySeconds")
    if not value.known:
        return value
    if value.value is None:
        return Val.unknown_at(value.loc, "`maxShutdownDelaySeconds: null`")
    if not _delay_in_range(value.value):
        return Val.unknown_at(value.loc, f"maxShutdownDelaySeconds {value.value!r} is not an integer from 1 to 300")
    return Val(float(value.value), value.loc)


def _delay_in_range(value: Any) -> bool:
    """``maxShutdownDelaySeconds`` as Render accepts it: an integer in :data:`SHUTDOWN_DELAY_RANGE`."""
    low, high = SHUTDOWN_DELAY_RANGE
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def instances(doc: Doc, service: dict[str, Any]) -> Val[Any]:
    scaling = service.get("scaling")
    if isinstance(scaling, dict):
        most = doc.val(scaling, "maxInstances")
        if most is not None and not most.known:
            return most
        if most is not None and isinstance(most.value, int) and most.value > 1:
            return Val("scalable", most.loc)
    value = doc.val(service, "numInstances")
    if value is None:
        return Val.default(1, "Render default numInstances")
    if not value.known:
        return value
    if value.value is None:
        return Val.unknown_at(value.loc, "`numInstances: null`")
    return Val(value.value, value.loc) if isinstance(value.value, int) and not isinstance(value.value, bool) \
        else Val.unknown_at(value.loc, f"numInstances {value.value!r}")


def _string(service: dict[str, Any], key: str) -> str:
    value = service.get(key)
    return value if isinstance(value, str) else ""


def _root_dir(doc: Doc, service: dict[str, Any]) -> str | None:
    """The repository folder a native service runs in: its ``rootDir`` (default the root), None when unknown."""
    root = _string(service, "rootDir") or "."
    rel = posixpath.normpath(posixpath.join(posixpath.dirname(doc.rel), root))
    return None if "$" in root or rel.startswith("..") else ("" if rel == "." else rel)


def image_source(ws: Workspace, doc: Doc, service: dict[str, Any]) -> docker.ImageSource | None:
    folder = posixpath.dirname(doc.rel)
    root = _string(service, "rootDir") or "."
    path = _string(service, "dockerfilePath") or posixpath.join(root, "Dockerfile")
    context = _string(service, "dockerContext") or root
    if "$" in path or "$" in context:
        return None
    rel = posixpath.normpath(posixpath.join(folder, path))
    if rel.startswith("../") or ws.file(rel) is None:
        return None
    loc = doc.value_loc(service, "dockerfilePath") if "dockerfilePath" in service else doc.key_loc(service, "type")
    context_rel = posixpath.normpath(posixpath.join(folder, context))
    return docker.ImageSource(rel, None, "" if context_rel == "." else context_rel, loc)


def _env(doc: Doc, service: dict[str, Any]) -> dict[str, Val[str]]:
    """``envVars``: a ``value`` as written; ``fromService``/``fromDatabase``/``generateValue``/``sync: false``
    and groups are set by Render, unknown here."""
    found: dict[str, Val[str]] = {}
    items = service.get("envVars")
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            continue
        loc = doc.item_loc(items, index)
        value = item.get("value")
        found[item["key"]] = Val(str(value), doc.value_loc(item, "value")) \
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) else \
            Val.unknown_at(loc, f"envVars {item['key']} (set by Render)")
    return found


def build(ws: Workspace, project: Project) -> Built:
    built = Built()
    for src in ws.of_format("render"):
        for doc in load(ws, src) or []:
            services = doc.data.get("services") if isinstance(doc.data, dict) else None
            _refused_shapes(ws, doc, services)
            for service in services if isinstance(services, list) else []:
                if isinstance(service, dict):
                    _service(ws, project, built, doc, service)
    return built


#: the keys of a service that hold one command line: a string in the Blueprint spec
_COMMAND_KEYS = ("startCommand", "dockerCommand", "buildCommand", "preDeployCommand")


def _refused_shapes(ws: Workspace, doc: Doc, services: Any) -> None:
    """HL001 where the Blueprint's shape makes Render refuse it (https://render.com/docs/blueprint-spec: a
    top-level mapping, ``services`` a list of mappings, each command one string, ``maxShutdownDelaySeconds`` an
    integer from 1 to 300): the service was dropped, or its command or delay not read, without a word.  A null
    document, list or key is left alone (nothing written)."""
    def refused(loc: Loc, what: str) -> None:
        ws.unparseable(doc.src, loc.line, loc.col, f"{what}: Render refuses the Blueprint")

    if doc.data is not None and not isinstance(doc.data, dict):
        refused(doc.node_loc(doc.data), "the top level must be a mapping")
        return
    if services is None:
        return
    if not isinstance(services, list):
        refused(doc.value_loc(doc.data, "services"), "`services` must be a list of services")
        return
    for index, service in enumerate(services):
        if not isinstance(service, dict):
            if service is not None:
                refused(doc.item_loc(services, index), f"service {index + 1} must be a mapping")
            continue
        for key in _COMMAND_KEYS:
            if service.get(key) is not None and not isinstance(service[key], str):
                refused(doc.value_loc(service, key), f"`{key}` must be one string")
        delay = service.get("maxShutdownDelaySeconds")
        if delay is not None and not _delay_in_range(delay):
            low, high = SHUTDOWN_DELAY_RANGE
            refused(doc.value_loc(service, "maxShutdownDelaySeconds"),
                    f"`maxShutdownDelaySeconds` must be an integer from {low} to {high}")


#: what a consumer a service's build or pre-deploy command starts comes to (Render Blueprint spec: `buildCommand`
#: builds the service, `preDeployCommand` runs after the build and before the deploy; each must exit successfully)
STEP_WHY = ("Render runs it once per deploy and waits for it to exit before the service starts, which a consumer "
            "never does; no instance of the service runs it")


def _steps(ws: Workspace, doc: Doc, service: dict[str, Any]) -> None:
    """The consumers a service's ``buildCommand`` or ``preDeployCommand`` starts (run with ``sh -c``): no
    launch, said (:func:`runs_to_completion`)."""
    for key in ("buildCommand", "preDeployCommand"):
        command = doc.command_text(service, key)
        if command is None or not any(name in command[0] for name in CONSUMER_PROGRAMS):
            continue
        text, loc, spots = command
        end = Loc(loc.path, loc.line, loc.col, loc.line, loc.col + len(text))
        hits = shell_string(Token(text, end, spots=spots), Token("/bin/sh", end), end, RepoScripts(ws), 0,
                            runner=f"Render {key} (sh -c)")
        runs_to_completion(ws, hits, f"`{key}`", end, STEP_WHY)


def _service(ws: Workspace, project: Project, built: Built, doc: Doc, service: dict[str, Any]) -> None:
    kind = str(service.get("type") or "")
    name = str(service.get("name") or kind)
    origin = doc.key_loc(service, "type") if "type" in service else doc.node_loc(service)
    runtime = str(service.get("runtime") or service.get("env") or "")
    start = doc.command_text(service, "startCommand")
    docker_command = doc.command_text(service, "dockerCommand")
    _steps(ws, doc, service)
    if kind not in LONG_RUNNING:
        command = start or docker_command
        if command is not None and any(word in command[0] for word in CONSUMER_PROGRAMS):
            ws.dropped.append(Dropped(f"Render {kind or 'service'} `{name}`",
                                           f"a `type: {kind}` service is no long-running consumer", command[1]))
        return
    hop = Hop("platform", "render", origin, sends=Val.default(STOP_SIGNAL, "Render: SIGTERM, not configurable"),
              deadline=shutdown_delay(doc, service), max_deadline=float(SHUTDOWN_DELAY_RANGE[1]))
    stage = None
    before = len(built.launches)
    if runtime in ("docker", "image"):  # `image`: pulled, built elsewhere (its own command is unknown)
        source = image_source(ws, doc, service) if runtime == "docker" else None
        resolved = docker.stage_of(ws, source) if source is not None else None
        stage = resolved[1] if resolved else None
        image = (resolved[0], resolved[1], source.context) if resolved and source else None
        if source is not None and resolved is not None:
            built.replaces.add(source.dockerfile)
        command = docker_command or start
        tokens = place_words(doc, split(command[0]), command[1], command[2], command[0]) if command is not None else None
        hits, tokens, resolver = docker.container_hits(ws, image, None, tokens, origin, RepoScripts(ws))
        if not hits and tokens:  # a supervisor the service runs (`honcho start -f Procfile.render`, supervisord)
            built.add(docker.supervised(ws, project, tokens, origin, resolver, hop, doc.rel,
                                        {**(dict(stage.env) if stage else {}), **_env(doc, service)}, claim=True,
                                        user=docker.image_user(stage) if stage else None))
    elif start is not None:
        text, loc, spots = start
        end = Loc(loc.path, loc.line, loc.col, loc.line, loc.col + len(text))
        if SHELL_SYNTAX.search(text):
            tokens = [Token("/bin/sh", origin), Token("-c", end), Token(text, end, spots=spots)]
            hits = shell_string(tokens[2], tokens[0], end, RepoScripts(ws), 0, runner="Render startCommand (sh -c)")
        else:  # one simple command: the program itself is the process, with or without a shell (`sh -c` execs it)
            tokens = place_words(doc, split(text), end, spots, text)
            hits = resolve(tokens, end, RepoScripts(ws))
        resolver = None
        if not hits:  # a Procfile runner it starts in the service's root folder (`honcho start -f Procfile.render`)
            built.add(procfile.command_runners(ws, project, tokens, end, hop, doc.rel,
                                               _root_dir(doc, service) or posixpath.dirname(doc.rel),
                                               instances(doc, service)))
    else:
        return
    user = docker.image_user(stage) if stage else None
    env = {**(dict(stage.env) if stage else {}), **_env(doc, service)}
    for hit in hits:
        where = hit.loc if hit.loc.path == doc.rel else (docker_command or start or (None, origin))[1]
        launch = make_launch(
            project, hop, hit, platform="render", name=name, unit=doc.rel, origin=where,
            instances=instances(doc, service), user=user, collects_logs=True,
            workdir=Val(stage.workdir, stage.loc) if stage else None,
            service_dir=resolver.workdir_folder() if isinstance(resolver, docker.DockerResolver) else
            _root_dir(doc, service))
        launch.command = Val(name, where)
        record_env(launch, env, origin)
        built.launches.append(launch)
    written = docker_command or start
    if len(built.launches) == before and written is not None and written[0].split() and named_for_huey(name):
        unfollowed_named_launch(ws, f"Render service `{name}`", written[0].split(), written[1])
