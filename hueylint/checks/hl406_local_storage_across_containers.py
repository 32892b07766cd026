"""HL406: SqliteHuey/FileHuey used by producers and consumers in different containers or replicas without a
shared volume."""

from __future__ import annotations

from typing import Iterable

from hueylint.appmodel import LITERAL, App, HueyArgs
from hueylint.checks import Context, check
from hueylint.checks._app import consumer_loc, launch_title, running_apps
from hueylint.checks._storage import Storage, storages_of
from hueylint.findings import Finding, Related
from hueylint.hueyfacts import LOCAL_FILE_CLASSES
from hueylint.model import Launch, Project


def _db_path(app: App, args: HueyArgs, launch: Launch) -> str | None:
    for location in args.storage:
        if location.key in ("filename", "path") and location.kind == LITERAL and isinstance(location.value.value, str):
            path = location.value.value
            if path.startswith("/"):
                return path
            workdir = launch.workdir
            if workdir is not None and workdir.known and isinstance(workdir.value, str) and workdir.value.startswith("/"):
                return f"{workdir.value.rstrip('/')}/{path}"
            return None
    return None  # the default 'huey.db' lives in a working directory hueylint cannot place


def _covered(path: str, mounts: Iterable[tuple[str, str]]) -> bool:
    folder = path.rsplit("/", 1)[0] or "/"
    for _source, target in mounts:
        target = target.rstrip("/") or "/"
        if folder == target or folder.startswith(target + "/"):
            return True
    return False


@check("HL406")
def local_storage_across_containers(project: Project, ctx: Context) -> Iterable[Finding]:
    for app in running_apps(project):
        for storage in storages_of(app):
            yield from _local_storage(app, storage)


def _local_storage(app: App, storage: Storage) -> Iterable[Finding]:
    cls, args, loc = storage.cls, storage.args, storage.loc
    if cls is None or not cls.known or cls.value not in LOCAL_FILE_CLASSES:
        return
    for launch in app.launches:
        if launch.platform not in ("compose", "kubernetes"):
            continue
        path = _db_path(app, args, launch)
        if path is None:
            continue
        if launch.platform == "compose":
            mounts = launch.compose.volumes if launch.compose is not None else None
        else:
            mounts = launch.kubernetes.volume_mounts if launch.kubernetes is not None else None
        if mounts is not None and not mounts.known:
            continue
        own = list(mounts.value) if mounts is not None and mounts.value else []
        producer = _producer_without_volume(launch, path, _covered(path, own))
        if producer is not None:
            yield Finding("HL406", storage.when(
                f"{cls.value} keeps the queue in `{path}`, but service `{producer}` runs the same image as "
                f"{launch_title(launch)} without {'that volume' if _covered(path, own) else 'a shared volume there'}: "
                "the application there enqueues into its own copy of the database, which the consumer never reads. "
                "Fix: mount one shared volume at the database folder in every container of the image, or use "
                "Redis/Postgres"), loc, severity=storage.severity,
                related=[Related(consumer_loc(launch), "consumer container")])
            continue
        if _covered(path, own):
            continue
        instances = launch.instances
        several = instances.known and (instances.value == "scalable" or (
            isinstance(instances.value, int) and not isinstance(instances.value, bool) and instances.value > 1))
        peers = launch.compose.services if launch.compose is not None else None
        sharing = []
        if peers is not None and peers.known and isinstance(peers.value, dict):
            sharing = [name for name, vols in peers.value.items() if _covered(path, vols)]
        if not several and not sharing:
            continue
        why = (f"{instances.value} replicas ({instances.where()}) each get their own copy" if several
               else f"service `{sharing[0]}` mounts a volume there, the consumer does not")
        yield Finding("HL406", storage.when(
            f"{cls.value} keeps the queue in `{path}`, but {launch_title(launch)} has no volume at that path and "
            f"{why}: producers and consumers see different queues. Fix: mount one shared volume at the database folder "
            "in every container, or use Redis/Postgres"), loc, severity=storage.severity,
            related=[Related(consumer_loc(launch), "consumer container")])


def _producer_without_volume(launch: Launch, path: str, consumer_covered: bool) -> str | None:
    """A compose service running the consumer's image (the web app: a producer) that does not share the
    database folder with the consumer: it has no volume there, or the consumer itself has none."""
    same = launch.compose.same_image if launch.compose is not None else None
    peers = launch.compose.services if launch.compose is not None else None
    if same is None or not same.value or peers is None or not isinstance(peers.value, dict):
        return None
    for name in same.value:
        if name == launch.name:  # the group holds the consumer's own service too
            continue
        if not consumer_covered or not _covered(path, peers.value.get(name, ())):
            return str(name)
    return None
