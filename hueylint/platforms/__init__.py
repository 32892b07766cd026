"""Platform builders: each turns parsed files into consumer launches.

A builder is a module with ``build(ws: Workspace, project: Project) -> Built``: it returns its launches
and what they stand for elsewhere (a Dockerfile whose own launch an orchestrator replaces, supervisor
configurations a container runs), and never changes another builder's launches, so builders do not
depend on their order.  The engine resolves the overlaps in one pass (:mod:`hueylint.overlaps`).

The contract of ``build``: it reads its files through ``ws`` (``ws.of_format(fmt)`` for the discovered files
of its formats, ``ws.file(path)`` for any other repository file; nothing outside the checked roots) and
``project`` only for what earlier stages put there (the huey version of each folder, which
:func:`hueylint.launches.make_launch` reads); a file its parser refuses is an HL001 finding (``ws.unparseable``), never an
exception.  Every value it records is a :class:`~hueylint.model.Val` at the line it was read from, unknown
(with why) when it cannot be known statically; platform defaults are ``Val.default`` with their source.  Its
launches come from :func:`hueylint.launches.make_launch` on the chain's consumer hits, with the platform's
typed facts (:mod:`hueylint.launch_facts`).  An exception escaping ``build`` is a hueylint bug: the engine
reports it as an internal error naming the builder and its files and goes on without its launches.
Modules are imported only when files of their formats exist, so a repository without Kubernetes never
pays for the Kubernetes code.
"""

from __future__ import annotations

import importlib
from dataclasses import field
from typing import Any, Callable

from hueylint.model import Launch, Project
from hueylint.records import dataclass
from hueylint.workspace import Workspace

#: builder module -> the formats that make it run (the order of their launches in the model)
BUILDERS: dict[str, tuple[str, ...]] = {
    "systemd": ("systemd", "provisioning", "script"),  # units written inline by install scripts and playbooks
    "docker": ("dockerfile",),
    "procfile": ("procfile", "heroku"),
    "fly": ("fly",),
    "render": ("render",),
    "platformsh": ("platformsh",),
    "kamal": ("kamal",),
    "cloudfoundry": ("cloudfoundry",),
    "compose": ("compose",),
    "kubernetes": ("kubernetes", "helm"),
    "ecs": ("ecs",),
    "supervisord": ("supervisord",),
    "circus": ("circus",),
    "s6": ("s6",),
    "logrotate": ("logrotate",),
}

#: run after the overlaps are resolved: ``follow_up(ws, project, claimed)`` reads the final launches
#: (scripts nothing runs that daemonize a supervisord: every launch's scripts must have been followed)
FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "scripts": ("supervisord",),
    "pidfile": ("script",),  # scripts nothing runs that background the consumer and keep its PID in a file
    # crontabs scripts (run by a launch or by hand) and Dockerfiles install
    "crontabs": ("script", "dockerfile", "compose", "kubernetes", "systemd", "supervisord", "procfile"),
}

OnError = Callable[[str, list[str], Exception], None]


@dataclass
class HostUnit:
    """The launches of one supervisor configuration (supervisord, circus, an s6 service) run on a host.

    ``files`` are the repo paths it consists of (a supervisord main file and its includes, a circus ini,
    an s6 service's ``run`` file and folder): when a container runs any of them (:attr:`Built.claims`),
    the unit is that container's, and its host launches are not built at all.  ``launches`` builds them
    (only then: following their scripts records them as followed, and their dropped candidates, as a
    host running them would)."""

    files: frozenset[str]
    launches: Callable[[], list[Launch]]


@dataclass
class Built:
    """What one builder returns.

    ``launches``: the launches it built (kept unless replaced); ``hosts``: host supervisor units (kept
    unless claimed); ``claims``: repo paths of supervisor configurations a container of this builder runs
    (its launches of them carry the container's chain); ``replaces``: Dockerfiles (repo paths) a compose
    service or Kubernetes container of this builder runs, whose own launch (``docker run`` of the image)
    the orchestrator's launch replaces.
    """

    launches: list[Launch] = field(default_factory=list)
    hosts: list[HostUnit] = field(default_factory=list)
    claims: set[str] = field(default_factory=set)
    replaces: set[str] = field(default_factory=set)
    # set by :func:`run_builders`, for error reports: the builder and the files of its formats
    name: str = ""
    files: list[str] = field(default_factory=list)

    def add(self, other: Built) -> None:
        """Take in a part built by a helper (a supervisor under a container)."""
        self.launches += other.launches
        self.hosts += other.hosts
        self.claims |= other.claims
        self.replaces |= other.replaces


def _run(ws: Workspace, table: dict[str, tuple[str, ...]], call: Callable[[Any], object],
         on_error: OnError | None) -> list[Built]:
    present = {src.format for src in ws.sources.values()}
    results: list[Built] = []
    for name, formats in table.items():
        if not present.intersection(formats):
            continue
        try:
            module = importlib.import_module(f"hueylint.platforms.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"hueylint.platforms.{name}":
                continue  # that platform is not built yet
            raise
        files = sorted(rel for rel, src in ws.sources.items() if src.format in formats)
        try:
            built = call(module)
        except Exception as exc:
            if on_error is None:
                raise
            on_error(name, files, exc)
            continue
        if isinstance(built, Built):
            built.name, built.files = name, files
            built.replaces |= {ws.link_target(rel) for rel in built.replaces}  # built from a link to a Dockerfile
            results.append(built)
    return results


def run_builders(ws: Workspace, project: Project, on_error: OnError | None = None) -> list[Built]:
    """Run every builder whose formats are present, in :data:`BUILDERS` order; ``on_error(name, files, exc)``,
    when given, receives an exception escaping one builder (the engine turns it into a notice) and the
    other builders still run."""
    return _run(ws, BUILDERS, lambda module: module.build(ws, project), on_error)


def run_follow_ups(ws: Workspace, project: Project, claimed: set[str], on_error: OnError | None = None) -> None:
    """Run the :data:`FOLLOW_UPS` on the resolved launches (``claimed``: configurations containers run)."""
    _run(ws, FOLLOW_UPS, lambda module: module.follow_up(ws, project, claimed), on_error)
