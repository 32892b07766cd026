"""Map the path a command runs to the script file in the repository.

A unit runs ``/srv/app/bin/start-huey.sh``, a Procfile runs
``bin/worker``: the repo holds ``bin/start-huey.sh``.  We try the path as
written (relative to the launching file and the repo root), then the longest
trailing part of an absolute path that exists in the repo.  Only shell
scripts are returned: a Python entry point is the app's business.
"""

from __future__ import annotations

import posixpath

from hueylint.model import Loc, Project
from hueylint.sources import SourceFile
from hueylint.workspace import Workspace

SHELL_SHEBANGS = ("sh", "bash", "dash", "ash", "zsh", "ksh", "with-contenv", "execlineb")


def is_shell_script(src: SourceFile) -> bool:
    if src.rel.endswith((".sh", ".bash")):
        return True
    first = src.text.split("\n", 1)[0]
    if not first.startswith("#!"):
        return False
    words = first[2:].split()
    if not words:
        return False
    program = posixpath.basename(words[0])
    if program == "env" and len(words) > 1:
        program = posixpath.basename(words[1] if words[1] != "-S" or len(words) < 3 else words[2])
    return program in SHELL_SHEBANGS


def _ancestors(folder: str) -> list[str]:
    """``a/b/c`` -> ``["a/b/c", "a/b", "a", ""]``."""
    result = []
    while folder:
        result.append(folder)
        folder = posixpath.dirname(folder)
    return result + [""]


def candidates(word: str, origin: Loc, workdir: str = "") -> list[str]:
    """Repo-relative paths ``word`` may refer to, most likely first."""
    if not word or "$" in word or "{{" in word or word.startswith("-"):
        return []
    found: list[str] = []
    base_dir = posixpath.dirname(origin.path or "")
    if not word.startswith("/"):
        found.append(posixpath.normpath(posixpath.join(base_dir, word)))
        found.append(posixpath.normpath(word))
        if workdir and workdir.startswith("/"):
            word = posixpath.join(workdir, word)
    if word.startswith("/"):
        # /srv/app/bin/start.sh -> bin/start.sh below the launching file's folders (monorepos keep a
        # service's unit and scripts together), then below the repo root; longest tails first.
        parts = [part for part in word.split("/") if part]
        bases = _ancestors(base_dir)
        for start in range(len(parts)):
            tail = "/".join(parts[start:])
            for base in bases if start < len(parts) - 1 else bases[:1] + [""]:
                found.append(posixpath.join(base, tail) if base else tail)
    seen: list[str] = []
    for item in found:
        if item and not item.startswith("..") and item not in seen:
            seen.append(item)
    return seen


def checked(ws: Workspace, src: SourceFile) -> SourceFile:
    """Report a followed script's shell syntax error once (HL001): the chain reads only what bash would run."""
    key = ("script-checked", src.rel)
    if key not in ws.cache:
        ws.cache[key] = True
        from hueylint.chain import _parse

        script = _parse(src.text)
        if script is not None and script.error is not None:
            line, col = script.error
            ws.unparseable(src, line, col, "shell syntax error: bash stops running the script here")
    return src


def find_script(ws: Workspace, word: str, origin: Loc, workdir: str = "") -> SourceFile | None:
    """The repo shell script ``word`` runs: by path (:func:`candidates`), else by its unique file name."""
    for rel in candidates(word, origin, workdir):
        if ws.exists(rel):
            src = ws.file(rel)
            if src is not None and is_shell_script(src):
                return checked(ws, src)
    found = by_name(ws, word)
    if found is not None and _other_service(ws, found.rel, origin.path or ""):
        return None  # another image's script (microstack: dramatiq's compose file and huey/worker.sh)
    return found


def _other_service(ws: Workspace, rel: str, origin: str) -> bool:
    """``rel`` and the launching file each lie in a different service folder (a folder with its own
    Dockerfile: a build context): the script of another service, whatever its name.  A launching file
    outside every service folder (``deploy/compose.yaml``) may run any service's image."""
    owners = {posixpath.dirname(src.rel) for src in ws.of_format("dockerfile")} - {""}

    def owner(path: str) -> str:
        folder = posixpath.dirname(path)
        while folder and folder not in owners:
            folder = posixpath.dirname(folder)
        return folder

    mine, theirs = owner(origin), owner(rel)
    return bool(mine and theirs and mine != theirs)


def repo_file(ws: Workspace, word: str, origin: Loc) -> str | None:
    """The repository file (of any kind) a command word names, by path or unique file name; None if none."""
    for rel in candidates(word, origin):
        if ws.exists(rel):
            return rel
    found = _same_name(ws, word)
    return found[0] if len(found) == 1 else None


def _same_name(ws: Workspace, word: str) -> list[str]:
    """Repository files named like ``word``'s last part (absolute paths and bare names only)."""
    if not word or "$" in word or "{{" in word or word.startswith("-") or ("/" in word and not word.startswith("/")):
        return []
    name = posixpath.basename(word)
    if not name or name in (".", ".."):
        return []
    cached = ws.cache.get("scripts.by-name")
    index: dict[str, list[str]] = cached if isinstance(cached, dict) else {}
    if not isinstance(cached, dict):
        for rel in [*ws.sources, *ws.others]:
            index.setdefault(posixpath.basename(rel), []).append(rel)
        ws.cache["scripts.by-name"] = index
    return index.get(name, [])


def by_name(ws: Workspace, word: str) -> SourceFile | None:
    """A script installed to an absolute path (``/usr/local/bin/start-worker.sh``) or run by name from PATH
    is the repository's only file of that name, wherever it lives (``deploy/bin/start-worker.sh``).

    Relative paths (``./start.sh``) are not looked up this way: they name a place.  None when no file or
    several files have that name, or when it is not a shell script.
    """
    found = _same_name(ws, word)
    if len(found) != 1:
        return None
    src = ws.file(found[0])
    return checked(ws, src) if src is not None and is_shell_script(src) else None


class RepoScripts:
    """Resolver for a container whose image is not built here: only script paths that exist in the repo."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def script(self, word: str, origin: Loc) -> SourceFile | None:
        return find_script(self.ws, word, origin, "")

    def supervisor_foreground(self, kind: str, config: str | None) -> bool:
        """A supervisor started without its foreground flag whose config keeps it in the foreground."""
        from hueylint.platforms.supervisord import stays_in_foreground

        return kind == "supervisord" and stays_in_foreground(self.ws, config)


# -- scripts nothing in the repository runs ------------------------------------------------------

_SCRIPT_NAMES = ("entrypoint", "start", "run", "boot", "launch", "worker", "init", "docker")


def _unlaunched_scripts(ws: Workspace) -> list[SourceFile]:
    """Shell scripts of the repository that no launch followed (``.sh``/``.bash``, and extensionless
    files whose name says they start something, e.g. ``docker-entrypoint``)."""
    found: list[SourceFile] = []
    names = [src.rel for src in ws.of_format("script")]
    names += [rel for rel in ws.others if "." not in posixpath.basename(rel) and
              any(word in posixpath.basename(rel).lower() for word in _SCRIPT_NAMES)]
    for rel in sorted(set(names)):
        if ("script-checked", rel) in ws.cache:
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


def build(ws: Workspace, project: Project) -> None:
    """A script that daemonizes a supervisord configuration of the repository and then runs something
    else loses the stop signal of whatever runs it, even when nothing in the repository runs the script
    (its Dockerfile lives elsewhere): the configuration's launches get that HL201 problem.

    Runs after every platform builder, so scripts a launch already followed are judged there only.
    """
    from dataclasses import replace

    from hueylint.chain import Token, supervisor_starts
    from hueylint.platforms.supervisord import claimed, default_config, find_config

    taken = claimed(ws)
    for src in _unlaunched_scripts(ws):
        origin = Loc(src.rel, 1, 1, 1, len(src.line(1)) + 1)
        for start in supervisor_starts([Token(src.rel, origin)], origin, _Only(ws, src)):
            problems = [problem for problem in start.wrappers if problem.severe]
            if start.kind != "supervisord" or not problems:
                continue
            config = find_config(ws, start.config.text, start.config.loc) if start.config is not None \
                else default_config(ws)
            if config is None or config.rel in taken:
                continue
            for launch in project.launches:
                owner = launch.supervisord.config if launch.supervisord is not None else None
                if launch.platform != "supervisord" or owner is None or owner.value != config.rel:
                    continue
                launch.wrappers.extend(replace(
                    problem, outside=True,
                    locs=(problem.locs[1:] or problem.locs) + ((launch.loc, f"runs `{launch.name}`"),))
                    for problem in problems)
