"""Platform.sh and Upsun app configurations: one launch per ``web`` or ``workers`` instance whose ``commands:
start:`` starts a consumer.

Each fact below is from the platform's own documentation (the platformsh/platformsh-docs repository,
published at docs.platform.sh and docs.upsun.com); what it does not say stays unknown and is said so:

* Files: a single app's ``.platform.app.yaml`` (its code root the file's folder unless ``source: root:``
  says otherwise), the unified ``.platform/applications.yaml`` (a list of apps, or a mapping of app names to
  apps, each with ``source: root:``), and Upsun's ``.upsun/*.yaml`` (``applications:``, a mapping of app
  names to apps); ``source.root`` "defaults to the root project directory" there
  (https://docs.platform.sh/create-apps/multi-app/project-structure.html,
  https://docs.upsun.com/create-apps/image-properties/source.html).
* Commands: ``web: commands: start:`` "The command to launch your app. If it terminates, it's restarted
  immediately" (https://docs.platform.sh/create-apps/app-reference/single-runtime-image.html#web-commands);
  a worker's ``commands: start:`` "may be any valid shell command [...] If the command specified by the
  ``start`` key terminates, it's restarted automatically"
  (https://docs.platform.sh/create-apps/workers.html#commands): run by a shell when it holds shell syntax
  (a multi-line ``start: |`` script too), else the program itself is the process (a shell's ``-c`` execs a
  lone simple command), as Render's ``startCommand`` (:mod:`hueylint.platforms.render`).  Backgrounding a
  start command with ``&`` "is interpreted as the command terminating" (the web-commands note): HL201 says so.
* Stop: "If a worker instance needs to be updated during a new deployment, a ``SIGTERM`` signal is first sent
  to the worker process [...] If the process is still running after 15 seconds, a ``SIGKILL`` message is
  sent" (https://docs.platform.sh/create-apps/workers.html#stopping-a-worker,
  https://docs.upsun.com/create-apps/workers.html#stopping-a-worker): :data:`STOP_SIGNAL` and
  :data:`KILL_AFTER`, neither configurable (no key sets them).  The signal and deadline that stop a ``web``
  instance's start command are not documented: unknown, said in ``inspect``.
* Restart: automatic, for web and worker start commands alike (quoted above): ``Launch.restart`` stays None.
* Instances: each ``web``/worker instance is one container
  (https://docs.platform.sh/create-apps/workers.html#customizing-a-worker: "deployed as three separate container
  instances"); Upsun scales applications and workers horizontally from its Console or CLI
  (https://docs.upsun.com/manage-resources/autoscaling.html: "horizontally scale applications and workers
  (manually)"), outside the repository: an Upsun instance count is unknown.
* Environment: ``variables: env:`` of the app, which a ``web`` or worker instance's own ``variables:`` replaces
  whole ("To override any part of a property, you have to provide the entire property",
  https://docs.platform.sh/create-apps/app-reference/single-runtime-image.html#top-level-properties).
* Hooks: ``hooks: build:``/``deploy:``/``post_deploy:`` run once per build or deploy and must finish
  (https://docs.platform.sh/create-apps/hooks/hooks-comparison.html), and ``crons: NAME: commands: start:``
  (``cmd:`` in older files) runs at every match of its ``spec``, "a running cron job blocks a new deployment"
  (https://docs.platform.sh/create-apps/workers.html#workers-vs-cron-jobs): a consumer they start is no launch,
  said.
* Logs: where a worker's output goes is not modelled (``collects_logs`` stays False: HL501 stays quiet).
"""

from __future__ import annotations

import posixpath
from typing import Any

from hueylint.chain import Token, resolve, shell_string
from hueylint.environment import record as record_env
from hueylint.hueyfacts import CONSUMER_PROGRAMS
from hueylint.launches import make_launch, named_for_huey, runs_to_completion, unfollowed_named_launch
from hueylint.locations import Loc
from hueylint.model import Hop, Project, Val
from hueylint.parsers.yamldocs import Doc, load
from hueylint.platforms import Built
from hueylint.platforms.compose import place_words
from hueylint.platforms.scripts import RepoScripts
from hueylint.sources import SourceFile
from hueylint.words import SHELL_SYNTAX, split
from hueylint.workspace import Workspace

#: the signal a worker gets when it is stopped (deploys, restarts), and the seconds before SIGKILL: documented,
#: not configurable (https://docs.platform.sh/create-apps/workers.html#stopping-a-worker)
STOP_SIGNAL = "TERM"
KILL_AFTER = 15.0
#: why a web instance's stop is unknown
WEB_STOP_UNDOCUMENTED = ("Platform.sh/Upsun do not document how a `web` instance's start command is stopped "
                         "(the signal and the time before SIGKILL are documented for workers only)")
HOOKS = ("build", "deploy", "post_deploy")
HOOK_WHY = ("Platform.sh runs a hook once per build or deploy and waits for it to finish, which a consumer never "
            "does; no web or worker instance runs it")
#: a cron job starts its command at every match of its `spec` and "a running cron job blocks a new deployment"
#: (https://docs.platform.sh/create-apps/workers.html#workers-vs-cron-jobs)
CRON_WHY = ("Platform.sh starts a cron job's command at every match of its schedule and a running one blocks the next "
            "deployment: a consumer there is no service (run it as a worker)")


def _apps(doc: Doc) -> list[tuple[str, dict[str, Any]]]:
    """``(name, app)`` for each app the document configures (see the module docstring for the shapes)."""
    data = doc.data
    name = posixpath.basename(doc.rel).lower()
    if name == ".platform.app.yaml":
        return [(str(data.get("name") or "app"), data)] if isinstance(data, dict) else []
    if isinstance(data, list):
        return [(str(app.get("name") or f"app {index + 1}"), app)
                for index, app in enumerate(data) if isinstance(app, dict)]
    if not isinstance(data, dict):
        return []
    apps = data.get("applications") if "applications" in data else \
        data if posixpath.dirname(doc.rel).endswith(".platform") else None
    if not isinstance(apps, dict):
        return []
    return [(str(key), app) for key, app in apps.items() if isinstance(app, dict)]


def _upsun(doc: Doc) -> bool:
    return posixpath.basename(posixpath.dirname(doc.rel)) == ".upsun"


def _project_root(ws: Workspace, folder: str) -> str:
    """The Platform.sh project a ``.platform.app.yaml`` in ``folder`` belongs to: the nearest folder at or above it
    holding a ``.platform/routes.yaml``, ``services.yaml`` or ``applications.yaml``, else the repository root."""
    at = folder
    while True:
        if any(ws.exists(posixpath.join(at, ".platform", name))
               for name in ("routes.yaml", "services.yaml", "applications.yaml")):
            return at
        if not at:
            return ""
        at = posixpath.dirname(at)


def _source_root(ws: Workspace, doc: Doc, app: dict[str, Any]) -> str | None:
    """The repository folder of the app's code: ``source: root:``, from the project root (a leading ``/`` too:
    "any directory in the project", https://platform.sh/blog/one-source-many-apps/), by default the folder of
    ``.platform.app.yaml``, or the project root for a unified configuration (the folder holding
    ``.platform``/``.upsun``); None when unknown."""
    folder = posixpath.dirname(doc.rel)
    unified = posixpath.basename(folder) in (".platform", ".upsun")
    project = posixpath.dirname(folder) if unified else _project_root(ws, folder)
    source = app.get("source")
    root = source.get("root") if isinstance(source, dict) else None
    if root is None:
        return project if unified else folder
    if not isinstance(root, str) or "$" in root:
        return None
    rel = posixpath.normpath(posixpath.join(project, root.lstrip("/") or "."))
    return None if rel.startswith("..") else ("" if rel == "." else rel)


def _env(doc: Doc, app: dict[str, Any], instance: dict[str, Any] | None) -> dict[str, Val[str]]:
    """``variables: env:``: the instance's own ``variables`` when it sets them (they replace the app's whole),
    else the app's; values as written (a mapping or list value is JSON-encoded by the platform: unknown)."""
    holder = instance if instance is not None and "variables" in instance else app
    variables = holder.get("variables")
    env = variables.get("env") if isinstance(variables, dict) else None
    found: dict[str, Val[str]] = {}
    for key, value in (env.items() if isinstance(env, dict) else ()):
        loc = doc.value_loc(env, key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            found[str(key)] = Val(str(value), loc)
        else:
            found[str(key)] = Val.unknown_at(loc, f"variables env {key} (not a plain value)")
    return found


def _instances(doc: Doc, at: Loc) -> Val[Any]:
    if _upsun(doc):
        return Val.unknown_at(at, "Upsun sets the instance count outside the repository (its Console or CLI)")
    return Val.default(1, "Platform.sh: each web or worker instance is one container")


def _hooks(ws: Workspace, doc: Doc, app: dict[str, Any]) -> None:
    hooks = app.get("hooks")
    if isinstance(hooks, dict):
        for key in HOOKS:
            _once(ws, doc, hooks, key, f"the `{key}` hook", HOOK_WHY)
    crons = app.get("crons")
    for name, cron in (crons.items() if isinstance(crons, dict) else ()):
        commands = cron.get("commands") if isinstance(cron, dict) else None
        if isinstance(commands, dict):
            _once(ws, doc, commands, "start", f"the cron job `{name}`", CRON_WHY)
        elif isinstance(cron, dict):
            _once(ws, doc, cron, "cmd", f"the cron job `{name}`", CRON_WHY)  # the older spelling


def _once(ws: Workspace, doc: Doc, holder: dict[str, Any], key: str, step: str, why: str) -> None:
    """A consumer that ``holder[key]`` (a hook, a cron job's command) starts: no launch, a notice."""
    command = doc.command_text(holder, key)
    if command is None or not any(name in command[0] for name in CONSUMER_PROGRAMS):
        return
    text, loc, spots = command
    hits = shell_string(Token(text, loc, spots=spots), Token("/bin/sh", loc), loc, RepoScripts(ws), 0,
                        runner=f"Platform.sh {step} (sh -c)")
    runs_to_completion(ws, hits, step, loc, why)


def _instance(ws: Workspace, project: Project, built: Built, doc: Doc, app_name: str, app: dict[str, Any],
              kind: str, name: str, instance: dict[str, Any]) -> None:
    commands = instance.get("commands")
    start = doc.command_text(commands, "start") if isinstance(commands, dict) else None
    if start is None:
        return
    text, loc, spots = start
    origin = doc.key_loc(instance, "commands")
    who = "Upsun" if _upsun(doc) else "Platform.sh"
    if kind == "worker":
        hop = Hop("platform", who, origin,
                  sends=Val.default(STOP_SIGNAL, f"{who}: SIGTERM to a worker, not configurable"),
                  deadline=Val.default(KILL_AFTER, f"{who}: SIGKILL 15 s after SIGTERM, not configurable"),
                  detail="a worker gets SIGTERM, then SIGKILL after 15 s; a start command that exits is restarted")
    else:
        hop = Hop("platform", who, origin, sends=Val.unknown_at(origin, WEB_STOP_UNDOCUMENTED),
                  deadline=Val.unknown_at(origin, WEB_STOP_UNDOCUMENTED),
                  detail="the web instance's start command, restarted when it exits")
    if SHELL_SYNTAX.search(text.rstrip("\n")):
        hits = shell_string(Token(text, loc, spots=spots), Token("/bin/sh", origin), loc, RepoScripts(ws), 0,
                            runner=f"{who} start command (sh -c)")
        words = text.split()
    else:  # one simple command: the program itself is the process (`sh -c` execs it)
        tokens = place_words(doc, split(text), loc, spots, text)
        hits = resolve(tokens, loc, RepoScripts(ws))
        words = [token.text for token in tokens]
    unit_name = f"{app_name} {name}" if kind == "worker" else f"{app_name} web"
    root = _source_root(ws, doc, app)
    before = len(built.launches)
    for hit in hits:
        where = hit.loc if hit.loc.path == doc.rel else loc
        launch = make_launch(project, hop, hit, platform="platformsh", name=unit_name, unit=doc.rel, origin=where,
                             instances=_instances(doc, origin), deadline_configurable=False,
                             service_dir=root)
        launch.command = Val(unit_name, where)
        record_env(launch, _env(doc, app, instance), origin)
        built.launches.append(launch)
    if len(built.launches) == before and words and named_for_huey(name):
        unfollowed_named_launch(ws, f"Platform.sh worker `{name}`", words, loc)


def _read(ws: Workspace, project: Project, built: Built, src: SourceFile) -> None:
    for doc in load(ws, src) or []:
        for app_name, app in _apps(doc):
            _hooks(ws, doc, app)
            web = app.get("web")
            if isinstance(web, dict):
                _instance(ws, project, built, doc, app_name, app, "web", "web", web)
            workers = app.get("workers")
            for name, worker in (workers.items() if isinstance(workers, dict) else ()):
                if isinstance(worker, dict):
                    _instance(ws, project, built, doc, app_name, app, "worker", str(name), worker)


def build(ws: Workspace, project: Project) -> Built:
    built = Built()
    for src in ws.of_format("platformsh"):
        _read(ws, project, built, src)
    return built
