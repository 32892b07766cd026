"""Map the path a command runs to the script file in the repository.

A unit runs ``/srv/app/bin/start-huey.sh``, a Procfile runs
``bin/worker``: the repo holds ``bin/start-huey.sh``.  We try the path as
written (relative to the launching file and the repo root), then the longest
trailing part of an absolute path that exists in the repo.  Only shell
scripts are returned: a Python entry point is the app's business.
"""

from __future__ import annotations

import posixpath

from hueylint.model import Loc
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
    for rel in candidates(word, origin, workdir):
        if ws.exists(rel):
            src = ws.file(rel)
            if src is not None and is_shell_script(src):
                return checked(ws, src)
    return None


def installed_script(ws: Workspace, word: str) -> SourceFile | None:
    """The repo script a host unit runs from where an installer put it, found by its file name.

    A systemd unit or supervisord program runs ``/usr/local/bin/start_huey.sh``; the repository keeps it
    as ``packaging/files/bash/start_huey.sh`` and an install script (``install -m 0755 ...``, ``cp``, an
    Ansible ``copy:``) puts it in place.  When no path tail matches (:func:`find_script`), the one repo
    file with that name is the script, provided the name is unique in the repository (two candidates:
    unknown, so nothing is guessed).  Only for absolute paths of host platforms: a container's files
    come from its image, which the Docker builder maps through ``COPY``.
    """
    if not word.startswith("/") or "$" in word or "{{" in word or word.endswith("/"):
        return None
    name = posixpath.basename(word)
    key = ("basenames",)
    if key not in ws.cache:
        index: dict[str, list[str]] = {}
        for rel in (*ws.sources, *ws.others):
            index.setdefault(posixpath.basename(rel), []).append(rel)
        ws.cache[key] = index
    found: list[str] = ws.cache[key].get(name, [])  # type: ignore[attr-defined]
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
