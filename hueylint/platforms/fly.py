"""Fly.io apps (``fly.toml``): one launch per process group whose Machines start a consumer.

Each fact below is from Fly.io's own documentation (the docs' source is github.com/superfly/docs, served at
fly.io/docs) or from flyctl, the tool that reads ``fly.toml`` (github.com/superfly/flyctl,
``internal/appconfig``):

* Stop: "Fly.io sends a ``SIGINT`` signal to the running process by default"; ``kill_signal`` changes it
  (SIGINT, SIGTERM, SIGQUIT, SIGUSR1, SIGUSR2, SIGKILL, SIGSTOP).  ``kill_timeout``: how long Fly waits after
  the signal before a forced shutdown, "The default is 5 seconds ... up to a maximum of 300 seconds", and
  "should be considered best-effort" (https://fly.io/docs/reference/configuration/#runtime-options,
  "kill_signal option", "kill_timeout option"; "How the shutdown sequence works": the signal, up to
  ``kill_timeout`` seconds, then SIGTERM unconditionally: the deadline running tasks get).  Both are top-level keys only: flyctl's ``Config`` has no per-process-group stop setting.  Forms:
  an integer number of seconds (the docs' ``kill_timeout = 120``) or a Go duration string (flyctl reads it as a
  ``fly.Duration``; its reference file writes ``kill_timeout = "3s"``).  A value above 300 s is unknown: the
  docs give the maximum, not what Fly does with more.
* Commands: ``[processes]`` maps a group name to its command; "Process group commands ... correspond to CMD
  in Docker; they don't replace the ENTRYPOINT of your app image, but will supersede CMD"
  (https://fly.io/docs/launch/processes/), split into words by flyctl (``shlex.Split``, never a shell).
  Without ``[processes]`` the Machines form the ``app`` group and run the image's command, unless
  ``[experimental]`` ``cmd`` (replaces CMD), ``entrypoint`` (replaces ENTRYPOINT) or ``exec`` (replaces both)
  says otherwise (https://fly.io/docs/reference/configuration/#the-experimental-section).
* Image: ``[build] dockerfile`` (relative to ``fly.toml``; a URL is not in the repository), ``[build]
  build-target`` (the stage), ``[build] image`` (built elsewhere), else "``flyctl`` looks for ``Dockerfile`` in
  the application root" (https://fly.io/docs/reference/configuration/#specify-a-dockerfile); a buildpack
  ``builder`` builds no Dockerfile.
* Instances: ``fly deploy`` "creates and starts two Machines for process groups with services" and one
  running Machine (plus a stopped standby) for a group without services
  (https://fly.io/docs/apps/app-availability/#redundancy-by-default-on-first-deploy); ``fly scale count``
  changes that outside the repository.  A group has services when ``[http_service]`` or a ``[[services]]``
  names it in ``processes`` (or names none: then the default group, ``app`` or the first group by name).
* Restart: ``[[restart]] policy`` (``always``, ``never``, ``on-failure``: "This is the default policy"),
  per process group (https://fly.io/docs/reference/configuration/#the-restart-section).
"""

from __future__ import annotations

import math
import posixpath
from typing import Any

from hueylint.chain import Token
from hueylint.durations import DurationError, parse_duration
from hueylint.environment import record as record_env
from hueylint.launches import make_launch, named_for_huey, runs_to_completion, unfollowed_named_launch
from hueylint.locations import Loc
from hueylint.model import Hop, Project, Val
from hueylint.parsers.flytoml import FlyToml, Spot, parse
from hueylint.platforms import Built, docker
from hueylint.platforms.scripts import RepoScripts
from hueylint.signals import normalize_signal
from hueylint.sources import SourceFile
from hueylint.words import split_with_spans
from hueylint.workspace import Workspace

DEFAULT_KILL_SIGNAL = "INT"
DEFAULT_KILL_TIMEOUT = 5.0
MAX_KILL_TIMEOUT = 300.0
DEFAULT_GROUP = "app"
MACHINES_WITH_SERVICES = 2
MACHINES_WITHOUT_SERVICES = 1
DEFAULT_RESTART = "on-failure"


def load(ws: Workspace, src: SourceFile) -> FlyToml | None:
    return ws.parsed("fly", src, parse)


def _loc(src: SourceFile, spot: Spot) -> Loc:
    return Loc(src.rel, spot.line, spot.col, spot.line, spot.end_col)


def _value(src: SourceFile, fly: FlyToml, table: str, key: str) -> tuple[Any, Loc] | None:
    """The value of ``key`` in ``table`` with where it is written (its string's content, else the value)."""
    data: Any = fly.data
    for part in table.split(".") if table else []:
        data = data.get(part) if isinstance(data, dict) else None
    if not isinstance(data, dict) or key not in data:
        return None
    written = fly.spot(table, key)
    if written is None:
        return data[key], Loc(src.rel, 1, 1)
    spot = written.strings[0][1] if written.strings and isinstance(data[key], str) else written.value
    return data[key], _loc(src, spot)


def kill_signal(ws: Workspace, src: SourceFile, fly: FlyToml) -> Val[str]:
    """``kill_signal``; a value that is not a string (flyctl reads a string: ``kill_signal = 15`` is refused) is
    HL001 and unknown."""
    found = _value(src, fly, "", "kill_signal")
    if found is None:
        return Val.default(DEFAULT_KILL_SIGNAL, "Fly.io default kill_signal")
    value, loc = found
    if not isinstance(value, str):
        ws.unparseable(src, loc.line, loc.col, f"kill_signal = {value!r} is not a string: write a signal name, "
                                               'such as kill_signal = "SIGTERM"')
    signal = normalize_signal(str(value)) if isinstance(value, str) else None
    return Val(signal, loc) if signal else Val.unknown_at(loc, f"kill_signal {value!r}")


def kill_timeout(ws: Workspace, src: SourceFile, fly: FlyToml) -> Val[float]:
    """``kill_timeout`` at its whole value (a quoted duration with its quotes): a fix writes seconds over it."""
    found = _value(src, fly, "", "kill_timeout")
    if found is None:
        return Val.default(DEFAULT_KILL_TIMEOUT, "Fly.io default kill_timeout")
    value, _loc_text = found
    written = fly.spot("", "kill_timeout")
    loc = _loc(src, written.value) if written is not None else _loc_text
    try:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise DurationError(str(value))
        seconds = parse_duration(value)
        if math.isnan(seconds) or seconds < 0:  # TOML's nan and negative numbers: no time flyctl waits
            raise DurationError(str(value))
    except DurationError:
        ws.unparseable(src, loc.line, loc.col, f"kill_timeout = {value!r} is not a number of seconds or a duration")
        return Val.unknown_at(loc, f"kill_timeout {value!r}")
    if seconds > MAX_KILL_TIMEOUT:
        return Val.unknown_at(loc, f"kill_timeout {value!r} is above Fly.io's documented maximum of 300 s")
    return Val(seconds, loc)


def _groups(src: SourceFile, fly: FlyToml) -> list[tuple[str, str | None, Loc]]:
    """(group, its command or None for the image's, where) for every process group."""
    processes = fly.data.get("processes")
    if not isinstance(processes, dict) or not processes:
        header = fly.headers.get(("experimental", 0))
        return [(DEFAULT_GROUP, None, _loc(src, header) if header else Loc(src.rel, 1, 1))]
    groups = []
    for name, command in processes.items():
        written = fly.spot("processes", str(name))
        spot = (written.strings[0][1] if written and written.strings else written.value) if written else None
        loc = _loc(src, spot) if spot else Loc(src.rel, 1, 1)
        groups.append((str(name), command if isinstance(command, str) and command.strip() else None, loc))
    return groups


def _default_group(fly: FlyToml) -> str:
    processes = fly.data.get("processes")
    names = sorted(str(name) for name in processes) if isinstance(processes, dict) and processes else []
    return DEFAULT_GROUP if not names or DEFAULT_GROUP in names else names[0]


def _has_services(fly: FlyToml, group: str) -> bool:
    services: list[Any] = []
    http = fly.data.get("http_service")
    if isinstance(http, dict):
        services.append(http)
    listed = fly.data.get("services")
    services += [item for item in (listed if isinstance(listed, list) else [listed]) if isinstance(item, dict)]
    default = _default_group(fly)
    for service in services:
        names = service.get("processes")
        names = names if isinstance(names, list) and names else [default]
        if group in names:
            return True
    return False


def instances(fly: FlyToml, group: str) -> Val[Any]:
    if _has_services(fly, group):
        return Val.default(MACHINES_WITH_SERVICES, "Fly.io: `fly deploy` starts two Machines for a process group "
                                                   "with services (`fly scale count` is not in the repository)")
    return Val.default(MACHINES_WITHOUT_SERVICES, "Fly.io: `fly deploy` starts one Machine (and a stopped standby) "
                                                  "for a process group without services")


def restart(src: SourceFile, fly: FlyToml, group: str) -> Val[bool]:
    """False when a ``[[restart]]`` entry for the group (or for every group) says ``never``."""
    entries = fly.data.get("restart")
    entries = entries if isinstance(entries, list) else [entries] if isinstance(entries, dict) else []
    found: Val[bool] | None = None
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        names = entry.get("processes")
        if isinstance(names, list) and names and group not in names:
            continue
        policy = entry.get("policy")
        written = fly.spot("restart", "policy", index)
        loc = _loc(src, written.strings[0][1] if written and written.strings else written.value) if written \
            else Loc(src.rel, 1, 1)
        if isinstance(policy, str):
            found = Val(policy.strip().lower() != "never", loc)
    return found or Val.default(True, f"Fly.io default restart policy `{DEFAULT_RESTART}`")


def _words(src: SourceFile, text: str, loc: Loc) -> list[Token]:
    """A process command's words (flyctl splits it like a POSIX shell, without running one), each at its place."""
    tokens = []
    for word, start, end in split_with_spans(text):
        # a multi-line string's words are placed at its first line (the whole value), not past that line's end
        tokens.append(Token(word, loc if "\n" in text else Loc(src.rel, loc.line, loc.col + start, loc.line,
                                                                   loc.col + end)))
    return tokens


def _array(src: SourceFile, fly: FlyToml, key: str) -> list[Token] | None:
    """``[experimental] cmd``/``entrypoint``/``exec`` as tokens (a string is one word, as flyctl reads it)."""
    value = (fly.data.get("experimental") or {}).get(key) if isinstance(fly.data.get("experimental"), dict) else None
    if value is None:
        return None
    written = fly.spot("experimental", key)
    items = value if isinstance(value, list) else [value]
    spots = [spot for _text, spot in written.strings] if written else []
    fallback = _loc(src, written.value) if written else Loc(src.rel, 1, 1)
    return [Token(str(item), _loc(src, spots[index]) if index < len(spots) else fallback)
            for index, item in enumerate(items)]


def _one_word_strings(ws: Workspace, src: SourceFile, fly: FlyToml) -> None:
    """HL001 for an ``[experimental]`` ``cmd``/``entrypoint``/``exec`` written as a string with spaces: flyctl
    makes it a one-word list (``patchExperimental``), a program name with spaces in it that cannot start."""
    table = fly.data.get("experimental")
    for key in ("cmd", "entrypoint", "exec"):
        value = table.get(key) if isinstance(table, dict) else None
        written = fly.spot("experimental", key)
        if isinstance(value, str) and len(value.split()) > 1 and written is not None:
            ws.unparseable(src, written.value.line, written.value.col,
                           f"[experimental] {key} = {value!r} is one word for flyctl (a string is not split): "
                           f"write it as an array, {key} = {[word for word in value.split()]!r}".replace("'", '"'))


def image_source(ws: Workspace, src: SourceFile, fly: FlyToml) -> tuple[docker.ImageSource | None, Val[str] | None]:
    """The Dockerfile the app's image is built from (None when not built from the repository) and, when the
    image is not built here, why (an unknown value, shown by ``inspect``)."""
    folder = posixpath.dirname(src.rel)
    table = fly.data.get("build")
    build: dict[str, Any] = table if isinstance(table, dict) else {}
    target = build.get("build-target") if isinstance(build.get("build-target"), str) else None
    found = _value(src, fly, "build", "dockerfile")
    if found is not None:
        path, loc = found
        if not isinstance(path, str) or "://" in path:
            return None, Val.unknown_at(loc, f"dockerfile {path!r} is not in the repository")
        rel = posixpath.normpath(posixpath.join(folder, path))
        if rel.startswith("../") or ws.file(rel) is None:
            return None, Val.unknown_at(loc, f"dockerfile {path!r} not found in the repository")
        return docker.ImageSource(rel, target, folder, loc), None
    image = _value(src, fly, "build", "image")
    if image is not None:
        return None, Val.unknown_at(image[1], f"image {image[0]!r} is not built in this repository")
    if build.get("builder") or build.get("buildpacks") or build.get("builtin"):
        return None, Val.unknown_at(Loc(src.rel, 1, 1), "a buildpack image")
    rel = posixpath.join(folder, "Dockerfile") if folder else "Dockerfile"
    if ws.file(rel) is not None:
        return docker.ImageSource(rel, target, folder, Loc(src.rel, 1, 1)), None
    return None, None


def build(ws: Workspace, project: Project) -> Built:
    built = Built()
    for src in ws.of_format("fly"):
        fly = load(ws, src)
        if fly is None:
            continue
        source, _why = image_source(ws, src, fly)
        resolved = docker.stage_of(ws, source) if source is not None else None
        stage = resolved[1] if resolved else None
        image = (resolved[0], resolved[1], source.context) if resolved and source else None
        if source is not None and resolved is not None:
            built.replaces.add(source.dockerfile)  # its `docker run` launch is these Machines'
        signal, deadline = kill_signal(ws, src, fly), kill_timeout(ws, src, fly)
        _one_word_strings(ws, src, fly)
        exec_tokens, image_cmd = _array(src, fly, "exec"), _array(src, fly, "cmd")
        entrypoint = exec_tokens or _array(src, fly, "entrypoint")
        exec_form = exec_tokens is not None
        env = _env(src, fly)
        _release_command(ws, src, fly, image, entrypoint)
        for group, command, origin in _groups(src, fly):
            if command is not None:
                cmd_tokens: list[Token] | None = _words(src, command, origin)
            else:
                cmd_tokens = [] if exec_form else image_cmd
            hits, tokens, resolver = docker.container_hits(ws, image, entrypoint, cmd_tokens, origin, RepoScripts(ws))
            hop = Hop("platform", "fly", origin, sends=signal, deadline=deadline, max_deadline=MAX_KILL_TIMEOUT)
            user = docker.image_user(stage) if stage else \
                Val.unknown_at(origin, "the image is not built from this repository")
            if not hits and tokens:  # a supervisor the process runs (`honcho start -f Procfile.fly`, supervisord)
                supervised = docker.supervised(ws, project, tokens, origin, resolver, hop, src.rel,
                                               {**(dict(stage.env) if stage else {}), **env}, claim=True, user=user)
                for launch in supervised.launches:
                    launch.instances = instances(fly, group) if launch.instances.loc.is_default else launch.instances
                built.add(supervised)
                if not supervised.launches and command is not None and named_for_huey(group):
                    unfollowed_named_launch(ws, f"Fly process group `{group}`", command.split(), origin)
            for hit in hits:
                launch = make_launch(
                    project, hop, hit, platform="fly", name=group, unit=src.rel,
                    origin=hit.loc if hit.loc.path == src.rel else origin,
                    instances=instances(fly, group), restart=restart(src, fly, group), user=user,
                    collects_logs=True, workdir=Val(stage.workdir, stage.loc) if stage else None,
                    # without an image built here, the app is the folder `fly deploy` runs in (fly.toml's)
                    service_dir=resolver.workdir_folder() if isinstance(resolver, docker.DockerResolver) else
                    posixpath.dirname(src.rel))
                launch.command = Val(group, hit.loc if hit.loc.path == src.rel else origin)
                record_env(launch, {**(dict(stage.env) if stage else {}), **env}, origin)
                built.launches.append(launch)
    return built


#: what a consumer ``[deploy] release_command`` starts comes to (Fly "App configuration: release_command": run in a
#: temporary Machine from the new image before the deploy, which goes on only when it exits successfully)
RELEASE_COMMAND_WHY = ("Fly runs it once per deploy, in a temporary Machine, and waits for it to exit before the new "
                       "release starts, which a consumer never does; no Machine of the app runs it")


def _release_command(ws: Workspace, src: SourceFile, fly: FlyToml, image, entrypoint: list[Token] | None) -> None:
    """The consumers ``[deploy] release_command`` starts: no launch, said (:func:`runs_to_completion`)."""
    deploy = fly.data.get("deploy")
    command = deploy.get("release_command") if isinstance(deploy, dict) else None
    if not isinstance(command, str) or not command.strip():
        return
    written = fly.spot("deploy", "release_command")
    spot = (written.strings[0][1] if written and written.strings else written.value) if written else None
    origin = _loc(src, spot) if spot else Loc(src.rel, 1, 1)
    hits, _tokens, _resolver = docker.container_hits(ws, image, entrypoint, _words(src, command, origin), origin,
                                                     RepoScripts(ws))
    runs_to_completion(ws, hits, "`release_command`", origin, RELEASE_COMMAND_WHY)


def _env(src: SourceFile, fly: FlyToml) -> dict[str, Val[str]]:
    """``[env]``: the Machines' variables (strings; a secret of the same name wins, and is not in the repo)."""
    table = fly.data.get("env")
    found: dict[str, Val[str]] = {}
    for key, value in (table.items() if isinstance(table, dict) else []):
        written = fly.spot("env", str(key))
        loc = _loc(src, written.value) if written else Loc(src.rel, 1, 1)
        found[str(key)] = Val(str(value), loc) if isinstance(value, (str, int, float)) else \
            Val.unknown_at(loc, f"env {key}")
    return found
