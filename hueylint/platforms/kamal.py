"""Kamal (``config/deploy.yml``): one launch per role whose containers start a consumer.

Each fact below is from Kamal's own source and documentation (github.com/basecamp/kamal, ``lib/kamal``;
the configuration reference is ``lib/kamal/configuration/docs/*.yml``, served as ``kamal docs``):

* File: Kamal reads ``config/deploy.yml`` (``-c`` changes it), rendered with ERB first; a destination
  (``kamal deploy -d staging``) reads ``config/deploy.staging.yml`` too and deep-merges it over the base
  file (``configuration.rb``).  Only the base file is built here: a destination's overrides are not merged
  (a destination file without its base beside it is read as a base file).  The file is read as an ERB
  template (:func:`~hueylint.parsers.yamldocs.load_erb`): a ``<%= ENV["X"] %>`` value is unknown.
* Roles: ``servers:`` is a list of hosts (one role, ``web``) or a mapping of role name to a list of hosts or to
  ``hosts:`` with ``cmd``, ``stop_timeout``, ``options``, ``proxy``, ``env`` (``configuration/role.rb``,
  ``docs/role.yml``).  Each role runs one container per host: the hosts are its instances.
* Command: ``docker run --detach --restart unless-stopped ... IMAGE CMD`` (``commands/app.rb``), sent to the
  host's shell over SSH, so a role's ``cmd`` string is split into words there and replaces the image's CMD,
  keeping its ENTRYPOINT; without ``cmd`` the image's own command runs.  The image is built from
  ``builder.dockerfile`` (default ``Dockerfile``), ``builder.target``, ``builder.context`` (default ``.``),
  relative to the folder Kamal runs in (``config/``'s parent; ``configuration/builder.rb``).
* Stop: ``docker stop [-t N]`` (``commands/app.rb`` ``stop``, ``role.rb`` ``stop_args``; Kamal 1 used the root
  ``stop_wait_time``, see :func:`stop_deadline`): the image's
  STOPSIGNAL, or a role's ``options: stop-signal:`` (a ``docker run`` option), else SIGTERM; then SIGKILL
  after ``N`` = the role's or the root ``stop_timeout``, else, for a role without kamal-proxy, the root
  ``drain_timeout`` (default 30); a proxied role (the primary role, ``web`` unless ``primary_role`` says
  otherwise, unless ``proxy: false``; another role with ``proxy:`` set) gets no ``-t``: Docker's own
  default, the container's ``stop-timeout`` option or 10 s ("default is the drain_timeout for non-proxied
  roles and 10s (Docker default) for proxied roles", ``docs/configuration.yml``).
* Restart: ``--restart unless-stopped`` always (a role's ``options: restart`` is dropped, ``role.rb``).
* Logs: Docker's logging driver collects stderr (``logging:``).
"""

from __future__ import annotations

import posixpath
from typing import Any

from hueylint.chain import Token
from hueylint.environment import record as record_env
from hueylint.hueyfacts import CONSUMER_PROGRAMS
from hueylint.launches import make_launch, named_for_huey, unfollowed_named_launch
from hueylint.locations import Loc
from hueylint.model import Dropped, Hop, Project, Val
from hueylint.parsers.yamldocs import Doc, load_erb
from hueylint.platforms import Built, docker
from hueylint.platforms.compose import place_words
from hueylint.platforms.scripts import RepoScripts
from hueylint.signals import normalize_signal
from hueylint.words import split
from hueylint.workspace import Workspace

DEFAULT_PRIMARY_ROLE = "web"
DEFAULT_DRAIN_TIMEOUT = 30.0
DOCKER_STOP_TIMEOUT = 10.0


def is_kamal(data: Any) -> bool:
    """A Kamal configuration: a mapping with ``service`` and ``servers`` (what Kamal refuses to run without)."""
    return isinstance(data, dict) and isinstance(data.get("service"), str) and "servers" in data


def _seconds(doc: Doc, mapping: Any, key: str) -> Val[float] | None:
    value = doc.val(mapping, key)
    if value is None or not value.known:
        return value
    raw = value.value
    if raw is None:
        return Val.unknown_at(value.loc, f"`{key}: null`")
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        return Val.unknown_at(value.loc, f"{key} {raw!r}")
    try:
        seconds = float(raw)
    except ValueError:
        return Val.unknown_at(value.loc, f"{key} {raw!r} is not a number of seconds")
    return Val(seconds, value.loc) if seconds >= 0 else Val.unknown_at(value.loc, f"{key} {raw!r}")


def _roles(doc: Doc) -> list[tuple[str, Any, Loc]]:
    """(role name, its configuration: a list of hosts or a mapping, where it is written)."""
    servers = doc.data.get("servers")
    if isinstance(servers, list):
        return [(DEFAULT_PRIMARY_ROLE, servers, doc.key_loc(doc.data, "servers"))]
    if isinstance(servers, dict):
        return [(str(name), config, doc.key_loc(servers, name)) for name, config in servers.items()]
    return []


def instances(doc: Doc, config: Any, origin: Loc) -> Val[Any]:
    """One container per host of the role."""
    hosts = config.get("hosts") if isinstance(config, dict) else config
    if not isinstance(hosts, list):
        return Val.unknown_at(origin, "the role's hosts")
    unknown = next((doc.unknown_text(host) for host in hosts if doc.unknown_text(host)), "")
    if unknown:
        return Val.unknown_at(origin, f"the role's hosts: {unknown}")
    return Val(len(hosts), doc.key_loc(config, "hosts") if isinstance(config, dict) and "hosts" in config
               else origin)


def _proxied(role: str, config: Any, primary: str) -> bool:
    proxy = config.get("proxy") if isinstance(config, dict) else None
    return proxy is not False if role == primary else bool(proxy)


def _options(config: Any) -> dict[str, Any]:
    options = config.get("options") if isinstance(config, dict) else None
    return options if isinstance(options, dict) else {}


def stop_signal(doc: Doc, config: Any, stage: docker.Stage | None) -> Val[str]:
    options = _options(config)
    if "stop-signal" in options:
        value = doc.val(options, "stop-signal")
        if value is not None and value.known and value.value is None:
            return Val.unknown_at(value.loc, "`stop-signal: null`")
        if value is not None and value.known:
            signal = normalize_signal(str(value.value))
            return Val(signal, value.loc) if signal else Val.unknown_at(value.loc, f"stop-signal {value.value!r}")
        if value is not None:
            return value
    if stage is not None:
        return docker.image_signal(stage)
    return Val.default("TERM", "Docker default: no STOPSIGNAL known, the image is not built from this repository")


def stop_deadline(doc: Doc, config: Any, proxied: bool) -> Val[float]:
    """``docker stop -t``: the role's or root ``stop_timeout``, else the ``drain_timeout`` for a role without
    kamal-proxy, else Docker's (the container's ``stop-timeout`` option, or 10 s).  A Kamal 1 configuration
    (``stop_wait_time`` or ``traefik``, keys Kamal 2 refuses) stops every role with ``docker stop -t
    stop_wait_time``, or a plain ``docker stop`` when it is not set (v1.9.0 ``commands/app.rb``)."""
    if isinstance(doc.data, dict) and ("stop_wait_time" in doc.data or "traefik" in doc.data):
        waited = _seconds(doc, doc.data, "stop_wait_time") if "stop_wait_time" in doc.data else None
        return waited if waited is not None else \
            Val.default(DOCKER_STOP_TIMEOUT, "Docker default: Kamal 1 passes no -t without stop_wait_time")
    for mapping in (config, doc.data):
        if isinstance(mapping, dict) and "stop_timeout" in mapping:
            found = _seconds(doc, mapping, "stop_timeout")
            if found is not None:
                return found
    if not proxied:
        drain = _seconds(doc, doc.data, "drain_timeout") if "drain_timeout" in doc.data else None
        return drain if drain is not None else \
            Val.default(DEFAULT_DRAIN_TIMEOUT, "Kamal default drain_timeout (docker stop -t) for a role without proxy")
    options = _options(config)
    if "stop-timeout" in options:
        found = _seconds(doc, options, "stop-timeout")
        if found is not None:
            return found
    return Val.default(DOCKER_STOP_TIMEOUT, "Docker default: Kamal passes no -t for a role behind kamal-proxy")


def image_source(ws: Workspace, doc: Doc) -> docker.ImageSource | None:
    """The Dockerfile the image is built from, relative to the folder Kamal runs in (``config/``'s parent)."""
    folder = posixpath.dirname(posixpath.dirname(doc.rel))
    written = doc.data.get("builder")
    builder: dict[str, Any] = written if isinstance(written, dict) else {}

    def text(key: str, default: str) -> str:
        value = builder.get(key)
        return value if isinstance(value, str) else default

    path, context, target = text("dockerfile", "Dockerfile"), text("context", "."), text("target", "") or None
    if doc.unknown_text(path) or doc.unknown_text(context) or (target and doc.unknown_text(target)):
        return None
    rel = posixpath.normpath(posixpath.join(folder, path))
    if rel.startswith("../") or ws.file(rel) is None:
        return None
    loc = doc.value_loc(builder, "dockerfile") if "dockerfile" in builder else doc.key_loc(doc.data, "service")
    context_rel = posixpath.normpath(posixpath.join(folder, context))
    return docker.ImageSource(rel, target, "" if context_rel == "." else context_rel, loc)


def _env(doc: Doc, config: Any) -> dict[str, Val[str]]:
    """``env: clear:`` of the root, then of the role (the role's win); ``secret:`` names are set from
    ``.kamal/secrets`` at deploy time: unknown here."""
    found: dict[str, Val[str]] = {}
    for mapping in (doc.data, config):
        env = mapping.get("env") if isinstance(mapping, dict) else None
        if not isinstance(env, dict):
            continue
        clear = env.get("clear") if "clear" in env or "secret" in env else env
        for key, value in (clear.items() if isinstance(clear, dict) else []):
            loc = doc.value_loc(clear, key)
            found[str(key)] = Val(str(value), loc) if isinstance(value, (str, int, float)) and \
                not isinstance(value, bool) and not doc.unknown_text(value) else Val.unknown_at(loc, f"env {key}")
        secrets = env.get("secret")
        for index, key in enumerate(secrets if isinstance(secrets, list) else []):
            if isinstance(key, str):
                found[key] = Val.unknown_at(doc.item_loc(secrets, index), f"secret {key} (from .kamal/secrets)")
    return found


def _command(ws: Workspace, doc: Doc, config: dict[str, Any], role: str) -> list[Token]:
    """A role's ``cmd`` as the host's shell splits it; a word holding ERB (``-t <%= ENV["GRACE"] %>``) is the
    unknown variable ``${ERB}``; [] when there is nothing to follow: not a string, or its program is not known
    (then a command naming a consumer is listed by ``inspect``)."""
    raw = config.get("cmd")
    if not isinstance(raw, str) or not raw.strip():
        return []
    loc = doc.value_loc(config, "cmd")
    words = place_words(doc, split(raw), loc, doc.value_spots(config, "cmd"), raw)
    if words and not doc.unknown_text(words[0].text):  # an unknown word as Kubernetes' Helm ones: a variable
        return [Token("${ERB}", word.loc) if doc.unknown_text(word.text) else word for word in words]
    if any(word in raw for word in CONSUMER_PROGRAMS):
        ws.dropped.append(Dropped(f"Kamal role `{role}`", "its `cmd` starts a program that is not known "
                                  f"({doc.unknown_text(words[0].text) if words else 'empty'})", loc))
    return []


def build(ws: Workspace, project: Project) -> Built:
    built = Built()
    files = ws.of_format("kamal")
    bases = {src.rel for src in files if posixpath.basename(src.rel).count(".") == 1}
    for src in files:
        name = posixpath.basename(src.rel)
        if name.count(".") > 1 and posixpath.join(posixpath.dirname(src.rel), "deploy.yml") in bases:
            continue  # a destination: merged over its base by Kamal, not read on its own
        for doc in load_erb(ws, src) or []:
            if is_kamal(doc.data):
                _config(ws, project, built, doc)
    return built


def _config(ws: Workspace, project: Project, built: Built, doc: Doc) -> None:
    source = image_source(ws, doc)
    resolved = docker.stage_of(ws, source) if source is not None else None
    stage = resolved[1] if resolved else None
    image = (resolved[0], resolved[1], source.context) if resolved and source else None
    if source is not None and resolved is not None:
        built.replaces.add(source.dockerfile)  # its `docker run` launch is these roles' containers'
    primary = doc.data.get("primary_role") if isinstance(doc.data.get("primary_role"), str) else DEFAULT_PRIMARY_ROLE
    user = docker.image_user(stage) if stage else None
    for role, config, origin in _roles(doc):
        tokens = _command(ws, doc, config, role) if isinstance(config, dict) and "cmd" in config else None
        if tokens == []:
            continue  # a command that cannot be followed (listed by inspect when it names a consumer)
        hits, _tokens, resolver = docker.container_hits(ws, image, None, tokens, origin, RepoScripts(ws))
        hop = Hop("platform", "Kamal", origin, sends=stop_signal(doc, config, stage),
                  deadline=stop_deadline(doc, config, _proxied(role, config, primary)))
        env = {**(dict(stage.env) if stage else {}), **_env(doc, config)}
        for hit in hits:
            where = hit.loc if hit.loc.path == doc.rel else origin
            launch = make_launch(
                project, hop, hit, platform="kamal", name=role, unit=doc.rel, origin=where,
                instances=instances(doc, config, origin), user=user, collects_logs=True,
                restart=Val.default(True, "Kamal: docker run --restart unless-stopped"),
                workdir=Val(stage.workdir, stage.loc) if stage else None,
                service_dir=resolver.workdir_folder() if isinstance(resolver, docker.DockerResolver) else
                posixpath.dirname(posixpath.dirname(doc.rel)))
            launch.command = Val(role, where)
            record_env(launch, env, origin)
            built.launches.append(launch)
        if not hits and tokens and named_for_huey(role):
            unfollowed_named_launch(ws, f"Kamal role `{role}`", [token.text for token in tokens], tokens[0].loc)
