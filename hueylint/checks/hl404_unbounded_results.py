"""HL404: a task returns a value nobody reads, and the storage keeps results until read: unbounded growth."""

from __future__ import annotations

from typing import Iterable

from hueylint.appmodel import ModuleFacts, Repo, TaskCall, resolve_import
from hueylint.checks import Context, check
from hueylint.checks._app import judged_apps
from hueylint.checks._storage import Storage, storages_of
from hueylint.findings import Finding, Related
from hueylint.hueyfacts import EXPIRING_CLASSES, IN_MEMORY_CLASSES
from hueylint.model import Project


@check("HL404")
def unbounded_results(project: Project, ctx: Context) -> Iterable[Finding]:
    repo = project.repo or Repo()
    calls = [(facts, call) for facts in repo.modules.values() for call in facts.task_calls if call.method != "s"]
    # a call site keeping only the task id (`return {"task_id": r.id}`) reads nothing, unless the repository
    # looks results up by id somewhere (`huey.result(task_id)`): that may be this task's
    looked_up = any(facts.result_lookups for facts in repo.modules.values())
    for app in judged_apps(project):
        storage = next((item for item in storages_of(app) if _keeps_results(item)), None)
        if storage is None:
            continue
        cls = storage.cls
        assert cls is not None
        for facts in app.modules.values():
            for task in facts.tasks:
                if task.periodic or not task.returns_value:
                    continue
                # call sites of this task, matched by import path (views.py: `from .tasks import send_email`);
                # a call of the same name that cannot be tied to it (a re-export, another module's function)
                # and reads its result keeps the rule silent: the task may be that one
                sites = [c for caller, c in calls if _calls_task(caller, c, facts.rel, task.name)]
                namesakes = [c for _caller, c in calls if c.target.rsplit(".", 1)[-1] == task.name]
                if not sites or any(c.result_used for c in sites) or any(c.result_used for c in namesakes):
                    continue
                ids = [c for c in sites if c.usage == "id"]
                if ids and looked_up:
                    continue
                dropped = f"{len(sites)} call(s) drop the Result"
                if ids:
                    parts = [f"{len(sites) - len(ids)} call(s) drop the Result"] if len(ids) < len(sites) else []
                    parts.append(f"{len(ids)} call(s) keep only its task id, and nothing looks a result up by id")
                    dropped = ", ".join(parts)
                yield Finding(
                    "HL404", storage.when(
                        f"task `{task.name}` returns a value, but no call site reads its result ({dropped}) and "
                        f"{cls.value} keeps results until they are read: the storage grows "
                        "without bound. Fix: return None, pass `results=False` to the Huey instance, or use "
                        "RedisExpireHuey"), task.return_loc or task.def_loc, severity=storage.severity,
                    related=[Related(c.loc, "only the task id kept" if c.usage == "id" else "result dropped")
                             for c in sites[:3]])


def _keeps_results(storage: Storage) -> bool:
    """The storage keeps every result until it is read (results on, not expiring, not in memory)."""
    cls, args = storage.cls, storage.args
    if cls is None or not cls.known or cls.value in EXPIRING_CLASSES | IN_MEMORY_CLASSES or not args.complete:
        return False
    return args.results is None or (args.results.known and bool(args.results.value is True))


def _calls_task(caller: ModuleFacts, call: TaskCall, task_rel: str, task_name: str) -> bool:
    """True when ``call`` (in module ``caller``) calls the task ``task_name`` defined in ``task_rel``."""
    if call.local:
        return call.target == task_name and call.loc.path == task_rel
    absolute = resolve_import(caller.module, caller.rel.endswith("__init__.py"), call.target)
    module, _, name = absolute.rpartition(".")
    if name != task_name or not module:
        return False
    stem = task_rel[:-3] if task_rel.endswith(".py") else task_rel
    stem = stem[:-len("/__init__")] if stem.endswith("/__init__") else stem
    path = module.replace(".", "/")
    return stem == path or stem.endswith(f"/{path}")
