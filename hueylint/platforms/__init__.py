"""Platform builders: each turns parsed files into consumer launches.

A builder is a module with ``build(ws: Workspace, project: Project) -> None``;
it appends :class:`~hueylint.model.Launch` objects to ``project.launches``.
Modules are imported only when files of their formats exist, so a repository
without Kubernetes never pays for the Kubernetes code.
"""

from __future__ import annotations

import importlib

#: builder module -> the formats that make it run.  The supervisors (supervisord, circus, s6) come after
#: every container platform: a container that runs one claims its config, and only unclaimed configs
#: are host launches (otherwise a compose service's supervisord.conf is also reported as a host).
BUILDERS: dict[str, tuple[str, ...]] = {
    "systemd": ("systemd",),
    "docker": ("dockerfile",),
    "procfile": ("procfile",),
    "compose": ("compose",),
    "kubernetes": ("kubernetes", "helm"),
    "supervisord": ("supervisord",),
    "circus": ("circus",),
    "s6": ("s6",),
    "scripts": ("supervisord",),  # after every launch builder: scripts nothing runs that daemonize a supervisord
    "logrotate": ("logrotate",),
}


def run_builders(ws, project, on_error=None) -> None:  # avoid importing at startup
    """Run every builder whose formats are present; ``on_error(name, files, exc)``, when given, receives
    an exception escaping one builder (the engine turns it into a notice) and the other builders still run."""
    present = {src.format for src in ws.sources.values()}
    for name, formats in BUILDERS.items():
        if not present.intersection(formats):
            continue
        try:
            module = importlib.import_module(f"hueylint.platforms.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"hueylint.platforms.{name}":
                continue  # that platform is not built yet
            raise
        try:
            module.build(ws, project)
        except Exception as exc:
            if on_error is None:
                raise
            on_error(name, sorted(rel for rel, src in ws.sources.items() if src.format in formats), exc)
