"""HL601: greenlet workers while the entry module does not monkey-patch gevent before its other imports."""

from __future__ import annotations

import posixpath
from typing import Iterable

from hueylint.appmodel import App, ModuleFacts
from hueylint.checks import Context, check
from hueylint.checks._app import launch_title, running_apps
from hueylint.findings import Finding, Related
from hueylint.locations import Loc
from hueylint.model import Project


def _package_patches_first(project: Project, app: App, entry: ModuleFacts) -> bool:
    """Importing ``app.huey`` runs the package's ``app/__init__.py`` first (the outermost package first): one
    whose ``monkey.patch_all()`` comes before its other imports patches everything the entry module imports."""
    modules = project.repo.modules if project.repo is not None else {}
    folder = posixpath.dirname(entry.rel)
    if entry.rel.endswith("/__init__.py"):  # a package's own __init__: its parents start one folder up
        folder = posixpath.dirname(folder)
    parents: list[str] = []
    for _ in range(entry.module.count(".") - (1 if entry.rel.endswith("/__init__.py") else 0)):
        if not folder:
            break
        parents.insert(0, f"{folder}/__init__.py")
        folder = posixpath.dirname(folder)
    for rel in parents:
        facts = app.modules.get(rel) or modules.get(rel)
        if facts is None:
            continue
        patches = [p for p in facts.gevent_patches if not p.in_function]
        if patches:
            return patches[0].first
    return False


@check("HL601")
def greenlet_without_monkey_patch(project: Project, ctx: Context) -> Iterable[Finding]:
    for app in running_apps(project):
        entry = app.entry
        if entry is None:
            continue
        for launch in app.launches:
            worker = launch.worker_type
            if not worker.known or worker.value not in ("greenlet", "gevent"):
                continue
            patches = [p for p in entry.gevent_patches if not p.in_function]
            if any(p.first for p in patches) or _package_patches_first(project, app, entry):
                continue
            if patches:
                late = patches[0]
                mod, where = late.preceding_imports[0]
                message = (f"`monkey.patch_all()` in {entry.rel} runs after `{mod}` is imported ({where}): modules "
                           "imported before the patch keep blocking sockets and the greenlet workers stall")
                related = [Related(late.loc, "patch_all() too late"), Related(where, f"`{mod}` imported first")]
            else:
                message = (f"{entry.rel}, the module the consumer starts from, never calls `gevent.monkey.patch_all()`: "
                           "with greenlet workers every blocking call stalls all tasks")
                related = [Related(Loc(entry.rel, 1, 1), "entry module")]
            yield Finding("HL601", f"{launch_title(launch)} runs greenlet workers (`-k greenlet`, "
                          f"{worker.where()}), but {message}. Fix: `from gevent import monkey; monkey.patch_all()` "
                          f"at the very top of {entry.rel}, before any other import", worker.loc, related=related)
