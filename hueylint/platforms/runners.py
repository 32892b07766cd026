"""The repository files that run deployment tools: shell scripts, Makefiles, justfiles, Taskfiles, CI
workflows, ``.env`` and Procfiles, read for the commands they run (``docker compose -f a.yml -f b.yml``,
``helm upgrade -f values/prod.yaml``).  Nothing runs; a symlinked workflow folder is not read."""

from __future__ import annotations

from typing import Callable

from hueylint.sources import SourceFile
from hueylint.workspace import Workspace

CI_FILES = (".gitlab-ci.yml", ".circleci/config.yml", "bitbucket-pipelines.yml", "azure-pipelines.yml",
            "Jenkinsfile", ".drone.yml", ".travis.yml")
RUNNER_NAMES = ("makefile", "gnumakefile", "justfile", "taskfile.yml", "taskfile.yaml", ".env", "procfile")


def runner_files(ws: Workspace, mentions: Callable[[str], bool]) -> list[SourceFile]:
    """The files that may run a tool, among those whose text ``mentions`` it (a cheap text test), in a stable
    order: the repository's scripts, runner files by name, the CI files at the root, GitHub workflows."""
    rels = [src.rel for src in ws.of_format("script")]
    runners = {rel for name, named in ws.names().items()
               if name.lower() in RUNNER_NAMES or name.lower().endswith((".mk", ".sh", ".bash")) for rel in named}
    rels += [rel for rel in ws.others if rel in runners]
    rels += [rel for rel in CI_FILES if ws.exists(rel)]
    # never through a symlink: nothing outside the repository is read
    rels += [f".github/workflows/{name}" for name in ws.list_folder(".github/workflows", links=False) or ()
             if name.endswith((".yml", ".yaml"))]
    found = []
    for rel in dict.fromkeys(rels):
        src = ws.file(rel)
        if src is not None and mentions(src.text):
            found.append(src)
    return found
