"""Scripts nothing in the repository runs, and the resolver of a container whose image is not built here.

The lookup of the script a command runs (by path, by unique name) is :mod:`hueylint.script_lookup`.
"""

from __future__ import annotations

from dataclasses import replace

from hueylint.chain import Token, supervisor_starts
from hueylint.locations import Loc
from hueylint.model import Project
from hueylint.platforms.supervisord import default_config, find_config, stays_in_foreground
from hueylint.script_lookup import find_script, is_shell_script
from hueylint.sources import SourceFile
from hueylint.workspace import Workspace


class RepoScripts:
    """Resolver for a container whose image is not built here: only script paths that exist in the repo."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def script(self, word: str, origin: Loc) -> SourceFile | None:
        return find_script(self.ws, word, origin, "")

    def supervisor_foreground(self, kind: str, config: str | None) -> bool:
        """A supervisor started without its foreground flag whose config keeps it in the foreground."""
        return kind == "supervisord" and stays_in_foreground(self.ws, config)


# -- scripts nothing in the repository runs ------------------------------------------------------

_SCRIPT_NAMES = ("entrypoint", "start", "run", "boot", "launch", "worker", "init", "docker")


def _unlaunched_scripts(ws: Workspace) -> list[SourceFile]:
    """Shell scripts of the repository that no launch followed (``.sh``/``.bash``, and extensionless
    files whose name says they start something, e.g. ``docker-entrypoint``)."""
    found: list[SourceFile] = []
    names = [src.rel for src in ws.of_format("script")]
    names += [rel for name, rels in ws.names().items()
              if "." not in name and any(word in name.lower() for word in _SCRIPT_NAMES)
              for rel in rels if rel in ws.others]
    for rel in sorted(set(names)):
        if rel in ws.followed_scripts:
            continue  # a launch runs it: judged on that launch's chain
        src = ws.file(rel)
        if src is not None and "supervisor" in src.text and is_shell_script(src):
            found.append(src)
    return found


class _Only(RepoScripts):
    """Resolver for one script run as a command of its own; other scripts it runs are looked up in the repo."""

    def __init__(self, ws: Workspace, src: SourceFile) -> None:
        super().__init__(ws)
        self.src = src

    def script(self, word: str, origin: Loc) -> SourceFile | None:
        return self.src if word == self.src.rel else super().script(word, origin)


def only_script(ws: Workspace, src: SourceFile) -> RepoScripts:
    """The resolver that runs ``src`` as a command of its own (the word ``src.rel``)."""
    return _Only(ws, src)


def follow_up(ws: Workspace, project: Project, claimed: set[str]) -> None:
    """A script that daemonizes a supervisord configuration of the repository and then runs something
    else loses the stop signal of whatever runs it, even when nothing in the repository runs the script
    (its Dockerfile lives elsewhere): the configuration's launches get that HL201 problem.

    Runs after every platform builder and the engine's overlap pass (:data:`hueylint.platforms.FOLLOW_UPS`),
    so scripts a launch already followed are judged there only; ``claimed``: configurations a container
    runs (their launches are that container's, not the script's).
    """
    for src in _unlaunched_scripts(ws):
        origin = Loc(src.rel, 1, 1, 1, len(src.line(1)) + 1)
        for start in supervisor_starts([Token(src.rel, origin)], origin, _Only(ws, src)):
            problems = [problem for problem in start.wrappers if problem.severe]
            if start.kind != "supervisord" or not problems:
                continue
            config = find_config(ws, start.config.text, start.config.loc) if start.config is not None \
                else default_config(ws)
            if config is None or config.rel in claimed:
                continue
            for launch in project.launches:
                owner = launch.supervisord.config if launch.supervisord is not None else None
                if launch.platform != "supervisord" or owner is None or owner.value != config.rel:
                    continue
                launch.wrappers.extend(replace(
                    problem, outside=True,
                    locs=(problem.locs[1:] or problem.locs) + ((launch.loc, f"runs `{launch.name}`"),))
                    for problem in problems)
