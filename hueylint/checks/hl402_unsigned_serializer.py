"""HL402: network storage without ``SignedSerializer``: whoever can write to the queue runs code in the consumer."""

from __future__ import annotations

from typing import Iterable

from hueylint.appmodel import ENVIRONMENT, LITERAL, App, HueyArgs, StorageLocation, env_var
from hueylint.checks import Context, check
from hueylint.checks._app import app_version, consumer_loc, judged_apps
from hueylint.checks._storage import storages_of
from hueylint.findings import Finding, Related
from hueylint.hueyfacts import BASE_CLASS, NETWORK_CLASSES, SIGNED_SERIALIZER_SINCE
from hueylint.model import Project, Val

_LOOPBACK_NAMES = ("", "localhost", "localhost.localdomain", "::1", "0:0:0:0:0:0:0:1")


def _host_of(text: str) -> str:
    """The host a storage value names: a URL's host, a DSN's ``host=``, else the value itself."""
    from urllib.parse import urlsplit

    if "://" in text:
        try:
            parts = urlsplit(text)
        except ValueError:
            return text
        return "localhost" if parts.scheme.startswith("unix") else (parts.hostname or "")
    if "=" in text:
        for word in text.split():
            key, _, value = word.partition("=")
            if key == "host":
                return value.strip("'\"")
        return ""
    return text


def _is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    return host in _LOOPBACK_NAMES or host.startswith("127.") or host.startswith("/")


def _service_named(app: App, host: str) -> str | None:
    """``the compose service `redis``` when a launch's compose project or Kubernetes unit has a service of
    that name (``redis.ns.svc.cluster.local`` included): storage every container reaches over the network."""
    first = host.split(".", 1)[0].lower()
    for launch in app.launches:
        peers = launch.compose.services if launch.compose is not None else None
        if peers is not None and isinstance(peers.value, dict) and host in peers.value:
            return f"the compose service `{host}`"
        services = launch.kubernetes.services if launch.kubernetes is not None else None
        if services is not None and isinstance(services.value, dict):
            if host in services.value or (first in services.value and ".svc" in host):
                name = host if host in services.value else first
                return f"the Kubernetes Service `{name}` ({services.value[name]})"
    return None


def _launch_env_host(app: App, var: str | None) -> tuple[str, str] | None:
    """(host, where) when every launch of the app sets ``var`` to one known value; None otherwise."""

    if not var or var == "?" or not app.launches:
        return None
    found = [launch.environment.get(var) for launch in app.launches]
    if any(val is None or not val.known or not isinstance(val.value, str) for val in found):
        return None
    if len({val.value for val in found if val is not None}) != 1:
        return None
    first = found[0]
    assert first is not None
    return _host_of(str(first.value)), first.where()


def _network_reason(app: App, cls: Val[str] | None, args: HueyArgs) -> tuple[str, StorageLocation] | None:
    """Why the storage is reached over the network, and the argument that says so; None: no claim."""
    if cls is None or not cls.known or cls.value not in NETWORK_CLASSES:
        return None
    if cls.value == BASE_CLASS and args.storage_class is not None:
        sc = str(args.storage_class.value or "")
        if not any(word in sc for word in ("Redis", "Postgres")):
            return None
    for location in args.storage:
        if location.kind == LITERAL:
            host = location.host or str(location.value.value)
            service = _service_named(app, host)
            return f"`{location.key}` points at `{host}`" + (f", {service}" if service else ""), location
        if location.kind == ENVIRONMENT:
            var = env_var(location.value)
            launch_host = _launch_env_host(app, var)
            if launch_host is not None and _is_loopback(launch_host[0]):
                continue  # every launch sets it to a loopback address: storage local to the process' host
            if launch_host is not None:
                service = _service_named(app, launch_host[0])
                return (f"`{location.key}` comes from environment variable `{var}`, set to host `{launch_host[0]}` "
                        f"({launch_host[1]})" + (f", {service}" if service else "")), location
            return f"`{location.key}` comes from environment variable `{var}`", location
    return None  # loopback, the default localhost, or not knowable: no claim


@check("HL402")
def unsigned_serializer(project: Project, ctx: Context) -> Iterable[Finding]:
    reported: set[tuple[str | None, int, int]] = set()  # one instance shared by two apps (a `huey_consumer` app and
    # the Django settings that import it) is one finding, with what the first app says about its host: an app a
    # production launch runs first (a development stack's, run from another folder, named only its own consumer)
    for app in sorted(judged_apps(project), key=lambda app: all(launch.dev for launch in app.launches)):
        if not app_version(project, app).at_least(*SIGNED_SERIALIZER_SINCE):
            continue  # SignedSerializer, the fix, exists since huey 2.1.1
        for storage in storages_of(app):
            args = storage.args
            if not args.complete or (args.serializer is not None and args.serializer.signed is not False):
                continue
            where = (storage.loc.path, storage.loc.line, storage.loc.col)
            if where in reported:
                continue
            found = _network_reason(app, storage.cls, args)
            if found is None:
                continue
            reason, location = found
            # a value written in another module (`**settings.REDIS`, `host=config.REDIS_HOST`): where it is written
            elsewhere = [Related(location.value.loc, f"where `{location.key}` is set")] \
                if location.value.loc.path and location.value.loc.path != storage.loc.path else []
            reported.add(where)
            yield Finding("HL402", storage.when(
                f"the huey storage is reached over the network ({reason}) and messages are unsigned pickles: whoever "
                "can write to the queue runs code in the consumer. Fix: pass `serializer=SignedSerializer(secret=...)` "
                "with a secret read from the environment"), storage.loc, severity=storage.severity,
                related=[*elsewhere, *(Related(consumer_loc(launch), "consumer")
                                       for launch in sorted(app.launches, key=lambda launch: launch.dev)[:3])])
