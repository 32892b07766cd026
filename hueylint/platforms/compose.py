"""Docker Compose services: one launch per service whose container starts a consumer.

A service runs its image's ENTRYPOINT + CMD unless it overrides them: ``command:`` replaces CMD,
``entrypoint:`` replaces ENTRYPOINT *and* drops CMD (both as a string, split like a shell but never
run by one, or a list).  The image is the Dockerfile stage its ``build:`` names (string, or a
mapping with ``context``/``dockerfile``/``target``), or the image another service of the project
builds under the same ``image:`` name, or an image name a compose/skaffold file of the repo builds.

Stop: ``stop_signal`` > the image's ``STOPSIGNAL`` > SIGTERM, after ``stop_grace_period`` (10 s).

Projects: the base file of a folder (``compose.yaml``, ``docker-compose.yml``) and every other
``compose*``/``docker-compose*`` file beside it (``docker-compose.override.yml``,
``compose.prod.yaml``) are merged into one project, service by service, later files winning.  A
folder without a base file (cookiecutter-django's ``docker-compose.local.yml`` and
``docker-compose.production.yml``, or ``local.yml``/``production.yml``) holds alternative
projects: each file is its own deployment unit, so instances are never counted across them.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from hueylint.chain import Token
from hueylint.durations import DurationError, parse_duration
from hueylint.model import Hop, Loc, Project, Val
from hueylint.parsers.yamldocs import Doc, load
from hueylint.platforms import docker
from hueylint.platforms.common import make_launch, normalize_signal
from hueylint.platforms.envvars import record as record_env
from hueylint.sources import SourceFile
from hueylint.workspace import Workspace

DEFAULT_GRACE = 10.0
BASE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
_DEV_NAME = re.compile(r"(^|[.-])(local|dev|develop|development)([.-]|$)")
_DEV_SERVER = re.compile(r"runserver|flask['\", ]+run|--reload\b|watchmedo")
_INTERPOLATION = re.compile(r"(?<!\$)\$(\{[^}]*\}|[A-Za-z_])")


@dataclass
class Service:
    """One service of a project, with its definitions in file order (override files last)."""

    name: str
    layers: list[tuple[Doc, Any]] = field(default_factory=list)

    def layer(self, key: str) -> tuple[Doc, Any] | None:
        for doc, mapping in reversed(self.layers):
            if isinstance(mapping, dict) and key in mapping:
                return doc, mapping
        return None

    def val(self, key: str) -> Val[Any] | None:
        found = self.layer(key)
        if found is None:
            return None
        doc, mapping = found
        value = doc.val(mapping, key)
        if value is not None and isinstance(value.value, str) and _INTERPOLATION.search(value.value):
            return Val.unknown_at(value.loc, f"`{value.value}` (compose variable)")
        return value

    def nested(self, outer: str, key: str) -> Val[Any] | None:
        for doc, mapping in reversed(self.layers):
            inner = mapping.get(outer) if isinstance(mapping, dict) else None
            if isinstance(inner, dict) and key in inner:
                value = doc.val(inner, key)
                if value is not None and isinstance(value.value, str) and _INTERPOLATION.search(value.value):
                    return Val.unknown_at(value.loc, f"`{value.value}` (compose variable)")
                return value
        return None

    @property
    def loc(self) -> Loc:
        doc, _mapping = self.layers[0]
        services = doc.data.get("services")
        return doc.key_loc(services, self.name)


@dataclass
class ComposeProject:
    unit: str  # deployment unit key
    files: list[SourceFile]
    services: dict[str, Service]

    @cached_property
    def dev(self) -> bool:
        """A local-development description (``docker-compose.local.yml``, ``compose.dev.yaml``, ``local.yml``,
        or a service running a development server): no platform findings, like a ``Procfile.dev``."""
        names = [posixpath.basename(src.rel).lower() for src in self.files]
        if any(_DEV_NAME.search(name) for name in names[:1]) and not is_base(self.files[0].rel):
            return True
        for service in self.services.values():
            for key in ("command", "entrypoint"):
                found = service.layer(key)
                if found is not None and _DEV_SERVER.search(str(found[1][key])):
                    return True
        return False


def is_base(rel: str) -> bool:
    return posixpath.basename(rel).lower() in BASE_NAMES


def projects(ws: Workspace) -> list[ComposeProject]:
    """Compose files grouped into projects (cached: the Kubernetes builder reads them too)."""
    key = ("compose-projects",)
    if key in ws.cache:
        return ws.cache[key]  # type: ignore[return-value]
    by_folder: dict[str, list[SourceFile]] = {}
    for src in sorted(ws.of_format("compose"), key=lambda s: s.rel):
        by_folder.setdefault(posixpath.dirname(src.rel), []).append(src)
    groups: list[list[SourceFile]] = []
    for files in by_folder.values():
        bases = [src for src in files if is_base(src.rel)]
        if bases:
            named = [src for src in files if not is_base(src.rel) and
                     posixpath.basename(src.rel).lower().startswith(("compose", "docker-compose"))]
            others = [src for src in files if src not in bases and src not in named]
            groups.append([bases[0], *sorted(named, key=_override_order)])
            groups += [[src] for src in bases[1:] + others]
        else:
            groups += [[src] for src in files]
    found: list[ComposeProject] = []
    for group in groups:
        services: dict[str, Service] = {}
        for src in group:
            for doc in load(ws, src) or []:
                data = doc.data.get("services") if isinstance(doc.data, dict) else None
                if not isinstance(data, dict):
                    continue
                for name, mapping in data.items():
                    services.setdefault(str(name), Service(str(name))).layers.append((doc, mapping or {}))
        unit = group[0].rel if len(group) == 1 and not is_base(group[0].rel) else \
            (posixpath.dirname(group[0].rel) or ".")
        found.append(ComposeProject(f"compose:{unit}", group, services))
    ws.cache[key] = found
    return found


def _override_order(src: SourceFile) -> tuple[int, str]:
    name = posixpath.basename(src.rel).lower()
    return (0 if ".override." in name else 1, name)


# -- images ---------------------------------------------------------------------------------------

def build_source(ws: Workspace, service: Service, folder: str) -> docker.ImageSource | None:
    found = service.layer("build")
    if found is None:
        return None
    doc, mapping = found
    build = mapping["build"]
    loc = doc.value_loc(mapping, "build")
    context, dockerfile, target = ".", "Dockerfile", None
    if isinstance(build, str):
        context = build
    elif isinstance(build, dict):
        context = str(build.get("context") or ".")
        dockerfile = str(build.get("dockerfile") or "Dockerfile")
        target = str(build["target"]) if build.get("target") is not None else None
        if "dockerfile_inline" in build:
            return None
    else:
        return None
    if "://" in context or context.startswith("git@") or "$" in context or "$" in dockerfile:
        return None
    context_rel = posixpath.normpath(posixpath.join(folder, context))
    if context_rel.startswith(".."):
        return None
    dockerfile_rel = posixpath.normpath(posixpath.join(context_rel, dockerfile))
    image = service.val("image")
    name = str(image.value) if image is not None and image.known and image.value else ""
    return docker.ImageSource(dockerfile_rel, target, "" if context_rel == "." else context_rel, loc, name)


class ImageIndex:
    """Named image sources indexed by the last part of the image name (``docker.same_image`` needs it equal),
    so finding the image a service runs costs one lookup, not one look at every service."""

    def __init__(self, sources: list[docker.ImageSource]) -> None:
        self.by_name: dict[str, list[docker.ImageSource]] = {}
        for source in sources:
            if source.name:
                self.by_name.setdefault(docker.image_key(source.name).rsplit("/", 1)[-1], []).append(source)

    def find(self, image: str) -> docker.ImageSource | None:
        """The first source (in the order given) that builds ``image``."""
        candidates = self.by_name.get(docker.image_key(image).rsplit("/", 1)[-1], [])
        return next((source for source in candidates if docker.same_image(source.name, image)), None)


def _project_built(ws: Workspace, project: ComposeProject, folder: str) -> list[docker.ImageSource]:
    key = ("compose-project-built", tuple(src.rel for src in project.files))
    if key not in ws.cache:
        found = (build_source(ws, service, folder) for service in project.services.values())
        ws.cache[key] = [source for source in found if source is not None and source.name]
    return ws.cache[key]  # type: ignore[return-value]


def _tag_variable_only(service: Service) -> str | None:
    """The image as written when compose variables appear only in its tag or digest (``org/app:${TAG}``):
    the name, which is what links the service to the image a repo file builds, is known."""
    found = service.layer("image")
    if found is None:
        return None
    doc, mapping = found
    raw = doc.val(mapping, "image")
    text = raw.value if raw is not None and isinstance(raw.value, str) else ""
    name = docker.image_key(text)
    return text if name and not _INTERPOLATION.search(name) else None


def built_images(ws: Workspace) -> list[docker.ImageSource]:
    """Every image name the repo's compose files (and skaffold configs) build, with its Dockerfile."""
    key = ("compose-built-images",)
    if key in ws.cache:
        return ws.cache[key]  # type: ignore[return-value]
    found: list[docker.ImageSource] = []
    for project in projects(ws):
        found += _project_built(ws, project, posixpath.dirname(project.files[0].rel))
    ws.cache[key] = found
    return found


def image_for(ws: Workspace, service: Service, project: ComposeProject, folder: str,
              extra: list[docker.ImageSource] | None = None) -> docker.ImageSource | None:
    """The image a service runs: its own ``build:``, else the first service of its project, then of the
    repo's compose projects, then a build script of the repo (then ``extra``), that builds the image it names."""
    own = build_source(ws, service, folder)
    if own is not None:
        return own
    image = service.val("image")
    if image is None:
        return None
    name = image.value if image.known else _tag_variable_only(service)  # `org/app:${TAG}` still names org/app
    if not name:
        return None
    key = ("compose-image-index", tuple(src.rel for src in project.files))
    if key not in ws.cache:
        from hueylint.platforms.buildscripts import script_built_images

        ws.cache[key] = (ImageIndex(_project_built(ws, project, folder)), ImageIndex(built_images(ws)),
                         ImageIndex(script_built_images(ws)))  # `docker build -t` in the repo's scripts
    indexes: tuple[ImageIndex, ...] = ws.cache[key]  # type: ignore[assignment]
    for index in (*indexes, *([ImageIndex(extra)] if extra else [])):
        found = index.find(str(name))
        if found is not None:
            return found
    return None


# -- commands -------------------------------------------------------------------------------------

def command_tokens(service: Service, key: str) -> list[Token] | None:
    """``command``/``entrypoint`` as tokens with their own positions; None when not overridden."""
    found = service.layer(key)
    if found is None:
        return None
    doc, mapping = found
    value = mapping[key]
    if value is None:
        return None
    if isinstance(value, list):
        return [Token(doc.restore(str(item)), doc.item_loc(value, index)) for index, item in enumerate(value)]
    text = str(value)
    loc = doc.value_loc(mapping, key)
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    return place_words(doc, words, loc)


def place_words(doc: Doc, words: list[str], loc: Loc) -> list[Token]:
    tokens: list[Token] = []
    line, cursor = loc.line, max(loc.col - 1, 0)
    last = len(doc.src.lines)
    for word in words:
        placed = None
        for candidate in range(line, min(line + 30, last) + 1):
            text = doc.src.line(candidate)
            found = text.find(word, cursor if candidate == line else 0)
            if found >= 0:
                placed = doc.loc(candidate - 1, found, len(word))
                line, cursor = candidate, found + len(word)
                break
        tokens.append(Token(word.replace("$$", "$"), placed or loc))
    return tokens


# -- stop behaviour -------------------------------------------------------------------------------

def stop_signal(service: Service, stage, image_name: str) -> Val[str]:
    value = service.val("stop_signal")
    if value is not None:
        if not value.known:
            return value
        signal = normalize_signal(str(value.value))
        return Val(signal, value.loc) if signal else Val.unknown_at(value.loc, f"stop_signal {value.value}")
    if stage is not None:
        return docker.image_signal(stage, "compose default: no stop_signal, and no STOPSIGNAL in the image")
    if image_name:
        return Val.default("TERM", f"compose default: no stop_signal; image `{image_name}` is not built in "
                                   "this repository, so its STOPSIGNAL is unknown: SIGTERM assumed")
    return Val.default("TERM", "compose default: no stop_signal")


def grace_period(ws: Workspace, service: Service) -> Val[float]:
    value = service.val("stop_grace_period")
    if value is None:
        return Val.default(DEFAULT_GRACE, "compose default stop_grace_period")
    if not value.known:
        return value
    try:
        return Val(parse_duration(str(value.value)), value.loc)
    except DurationError:
        ws.unparseable(value.loc.path or "", value.loc.line, value.loc.col,
                       f"stop_grace_period: {value.value} is not a duration (e.g. `1m30s`)")
        return Val.unknown_at(value.loc, f"stop_grace_period {value.value}")


def restart_policy(service: Service) -> Val[bool]:
    restart = service.val("restart")
    if restart is not None:
        if not restart.known:
            return Val(True, restart.loc)  # an interpolated policy: assume it restarts (stay silent)
        return Val(str(restart.value).strip().lower() not in ("no", "false", ""), restart.loc)
    policy = service.nested("deploy", "restart_policy")
    if policy is not None:
        condition = policy.value.get("condition") if isinstance(policy.value, dict) else None
        return Val(str(condition).lower() != "none", policy.loc)
    return Val.default(False, "compose default: no `restart:` and no `deploy.restart_policy`")


def instances(service: Service) -> Val[Any]:
    mode = service.nested("deploy", "mode")
    if mode is not None and mode.known and str(mode.value) == "global":
        return Val("scalable", mode.loc)
    for value in (service.nested("deploy", "replicas"), service.val("scale")):
        if value is None:
            continue
        if not value.known:
            return value
        try:
            return Val(int(value.value), value.loc)
        except (TypeError, ValueError, OverflowError):  # .inf
            return Val.unknown_at(value.loc, f"{value.value!r}")
    return Val.default(1, "compose default: one container per service")


def image_groups(compose: ComposeProject) -> dict[str, tuple[str, ...]]:
    """The project's service names by what they run (:func:`_image_identity`), computed once per project."""
    groups: dict[str, list[str]] = {}
    for service in compose.services.values():
        identity = _image_identity(service)
        if identity is not None:
            groups.setdefault(identity, []).append(service.name)
    return {identity: tuple(names) for identity, names in groups.items()}


def _image_identity(service: Service) -> str | None:
    """What a service runs: its ``image:`` name, else its ``build:`` context and Dockerfile; None if unknown."""
    image = service.val("image")
    if image is not None:
        return f"image:{image.value}" if image.known and image.value else None
    build = service.val("build")
    if build is None or not build.known:
        return None
    if isinstance(build.value, str):
        return f"build:{build.value.rstrip('/') or '.'}:Dockerfile"
    context = service.nested("build", "context")
    dockerfile = service.nested("build", "dockerfile")
    if (context is not None and not context.known) or (dockerfile is not None and not dockerfile.known):
        return None
    return f"build:{(context.value if context else '.') or '.'}:{dockerfile.value if dockerfile else 'Dockerfile'}"


def volumes(service: Service) -> Val[tuple[tuple[str, str], ...]] | None:
    """``(source, target)`` of every volume and bind mount (short or long syntax)."""
    found = service.layer("volumes")
    if found is None:
        return None
    doc, mapping = found
    items = mapping.get("volumes") or []
    pairs: list[tuple[str, str]] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            parts = item.split(":")
            pairs.append((parts[0], parts[1]) if len(parts) >= 2 else ("", parts[0]))
        elif isinstance(item, dict):
            pairs.append((str(item.get("source") or ""), str(item.get("target") or "")))
    return Val(tuple(pairs), doc.value_loc(mapping, "volumes"))


def environment(service: Service, ws: Workspace | None = None, folder: str = "") -> dict[str, Val[str]]:
    """The container's variables: ``env_file:`` (repo files) then ``environment:`` (list or mapping).

    ``${VAR}`` and a bare ``KEY`` take their value from the ``.env`` next to the compose file (compose's
    interpolation source) when it is in the repo, else they are unknown.  ``ws`` None: values as written.
    """
    from hueylint.platforms.envvars import nearby_dotenv, read_repo_env_file, unknown_if_interpolated

    dotenv = nearby_dotenv(ws, folder) if ws is not None else {}
    env: dict[str, Val[str]] = {}

    def put(key: str, text: str | None, loc: Loc, unknown: str = "") -> None:
        if unknown:
            env[key] = Val.unknown_at(loc, unknown)
        elif text is None:  # `KEY` alone: the value comes from the shell or .env
            found = dotenv.get(key)
            env[key] = Val(found.value, loc, found.unknown) if found is not None else \
                Val.unknown_at(loc, f"env:{key}")
        else:
            env[key] = unknown_if_interpolated(text, loc, dotenv) if ws is not None else Val(text, loc)

    for doc, mapping in service.layers:  # env_file first: `environment:` wins over it in every layer
        files = mapping.get("env_file") if isinstance(mapping, dict) and ws is not None else None
        for item in [files] if isinstance(files, str) else files if isinstance(files, list) else []:
            path = item.get("path") if isinstance(item, dict) else item
            if isinstance(path, str):
                env.update(read_repo_env_file(ws, path, Loc(doc.rel, 1, 1)) or {})
    for doc, mapping in service.layers:
        value = mapping.get("environment") if isinstance(mapping, dict) else None
        if isinstance(value, dict):
            for key in value:
                item = doc.val(value, key)
                if item is not None:
                    put(str(key), None if item.value is None else str(item.value), item.loc, item.unknown)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                key, sep, text = str(item).partition("=")
                put(key, text if sep else None, doc.item_loc(value, index))
    return env


# -- the builder ----------------------------------------------------------------------------------

def build(ws: Workspace, project: Project) -> None:
    from hueylint.platforms.scripts import RepoScripts

    for compose in projects(ws):
        folder = posixpath.dirname(compose.files[0].rel)
        peers = service_volumes(compose)
        images = image_groups(compose)
        for service in compose.services.values():
            source = image_for(ws, service, compose, folder)
            image_val = service.val("image")
            image_name = str(image_val.value) if image_val is not None and image_val.known and image_val.value else ""
            resolved = docker.stage_of(ws, source) if source is not None else None
            stage = resolved[1] if resolved else None
            image = (resolved[0], resolved[1], source.context) if resolved and source else None
            if source is not None and resolved is not None:
                docker.mark_run(ws, source.dockerfile)
            entrypoint = command_tokens(service, "entrypoint")
            command = command_tokens(service, "command")
            origin = service.loc
            fallback = RepoScripts(ws)
            hits, tokens, resolver = docker.container_hits(ws, image, entrypoint, command, origin, fallback)
            signal = stop_signal(service, stage, image_name if source is None else "")
            hop = Hop("platform", "compose", origin, sends=signal, deadline=grace_period(ws, service))
            user = service.val("user")
            if user is None:
                user = (stage.user or Val.default("root", "Docker default: no USER in the image")) if stage else \
                    Val.unknown_at(origin, "the image is not built in this repository")
            facts = _facts(service, compose, source, peers, images)
            env = {**(dict(stage.env) if stage else {}), **environment(service, ws, folder)}
            common = dict(restart=restart_policy(service), instances=instances(service), user=user,
                          collects_logs=True)
            for hit in hits:
                launch = make_launch(project, hop, hit, platform="compose", name=service.name, unit=compose.unit,
                                     origin=origin, workdir=Val(stage.workdir, stage.loc) if stage else None,
                                     **common)
                launch.facts.update(facts)
                written = [token.loc for token in (*(entrypoint or ()), *(command or ()))]
                in_project = hit.loc.path in {src.rel for src in compose.files}
                launch.facts["launch.command"] = Val(service.name, hit.loc if in_project else
                                                     written[0] if written else origin)
                record_env(launch, env, origin)
                launch.dev = launch.dev or compose.dev
                project.launches.append(launch)
            if not hits and tokens:
                for launch in docker.supervised(ws, project, tokens, origin, resolver, hop, compose.unit, env,
                                                user=user):
                    launch.facts.update(facts)
                    if launch.restart is None:
                        launch.restart = common["restart"]
                    project.launches.append(launch)
    if "kubernetes" not in {src.format for src in ws.sources.values()} and \
            "helm" not in {src.format for src in ws.sources.values()}:
        docker.drop_run_images(ws, project)


def service_volumes(compose: ComposeProject) -> dict[str, tuple[tuple[str, str], ...]]:
    """Every service of the project by name with its ``(source, target)`` volumes, computed once per project
    and shared by its launches (a per-service copy without the service itself made 3,000 services cost
    9 million entries)."""
    found = {name: volumes(service) for name, service in compose.services.items()}
    return {name: val.value if val is not None and val.value else () for name, val in found.items()}


def _facts(service: Service, compose: ComposeProject, source: docker.ImageSource | None,
           peers: dict[str, tuple[tuple[str, str], ...]], images: dict[str, tuple[str, ...]]) -> dict[str, Val[Any]]:
    facts: dict[str, Val[Any]] = {}
    profiles = service.val("profiles")
    if profiles is not None:
        facts["compose.profiles"] = profiles
    own = volumes(service)
    if own is not None:
        facts["compose.volumes"] = own
    facts["compose.services"] = Val(peers, service.loc)  # the project's services, this one included
    image = _image_identity(service)
    # services running the same image (the web app, ...), this one included: one shared tuple per image
    facts["compose.same_image"] = Val(images.get(image, ()) if image is not None else (), service.loc)
    if source is not None:
        facts["compose.image"] = Val(source.dockerfile, source.loc)
    return facts

