"""What a run could not look at, said on stderr (like ruff's "No Python files found").

Two situations make an empty report mean nothing: the paths hold no deployment file at all, or the
project depends on huey (its dependency files name it) but no consumer launch was found anywhere.  Neither
is a finding (the exit code stays what the findings say); each is one warning line.
"""

from __future__ import annotations

import os
import posixpath
import re

from hueylint.hueyfacts import CONSUMER_WORD
from hueylint.model import Project
from hueylint.platforms import BUILDERS
from hueylint.regexes import lazy_pattern
from hueylint.workspace import Workspace

#: formats that describe how something is run: what the launch builders read (logrotate configs run
#: nothing; a script alone is only read when a launch runs it)
#: (a shell script alone is no deployment file: the systemd builder reads scripts only for the units they write)
DEPLOYMENT_FORMATS = frozenset(fmt for name, formats in BUILDERS.items() if name != "logrotate"
                               for fmt in formats if fmt != "script")
_HUEY_DEPENDENCY = lazy_pattern(r"(?<![\w.-])(?:django-)?huey\b", re.I)


def depends_on_huey(ws: Workspace) -> bool:
    """A dependency file of the project names huey (``huey``, ``huey[redis]``, ``django-huey``)."""
    from hueylint.versions import is_dependency_file

    return any(_HUEY_DEPENDENCY.search(src.text) for src in ws.sources.values()
               if src.format == "deps" and is_dependency_file(src.rel))


def coverage_warnings(ws: Workspace, project: Project) -> list[str]:
    """The warnings for this run, as sentences (the CLI prefixes ``hueylint: warning:``)."""
    return [*_what_was_checked(ws, project), *unused_configurations(ws)]


def unused_configurations(ws: Workspace) -> list[str]:
    """A ``hueylint.toml`` (or ``.hueylint.toml``, a ``pyproject.toml`` with ``[tool.hueylint]``) in the checked
    tree other than the one this run uses: one configuration applies to a whole run (the one found from the
    first checked path), so its settings silently did not apply here, unlike ruff's nearest configuration.  The
    checked tree is what the walk found: not the files a run of named paths reads as its context."""
    used = os.path.realpath(ws.settings.source) if ws.settings.source is not None else None
    unused: list[str] = []
    for rel in sorted({rel for name in ("hueylint.toml", ".hueylint.toml", "pyproject.toml")
                       for rel in ws.files_named(name)
                       if (rel in ws.sources or rel in ws.others) and rel not in ws.context}):
        if posixpath.basename(rel) == "pyproject.toml":
            src = ws.file(rel)
            if src is None or "[tool.hueylint" not in src.text:
                continue
        if os.path.realpath(ws.root / rel) != used:
            unused.append(rel)
    source = ws.settings.source
    # one in the used configuration's own folder is shadowed by it (hueylint.toml, then .hueylint.toml, then
    # pyproject.toml, as ruff.toml wins over pyproject.toml): checking that folder on its own would not use it
    beside = [rel for rel in unused if source is not None and
              os.path.realpath(ws.root / posixpath.dirname(rel)) == os.path.realpath(source.parent)]
    elsewhere = [rel for rel in unused if rel not in beside]
    said: list[str] = []
    if elsewhere:
        which = f"the run uses {source.name} in {_shown(ws, source.parent)}" if source is not None \
            else "the run uses none"
        said.append(f"configuration not used: {', '.join(elsewhere)} (one configuration applies to a whole run, the "
                    f"one found from the first checked path; {which}): check that folder on its own, or pass "
                    "--config")
    if beside and source is not None:
        said.append(f"configuration not used: {', '.join(beside)} (`{source.name}` beside it is used instead: in one "
                    "folder hueylint.toml comes first, then .hueylint.toml, then pyproject.toml's [tool.hueylint]): "
                    f"move its settings into `{source.name}`, or delete one of them")
    return said


def _shown(ws: Workspace, folder) -> str:
    rel = os.path.relpath(os.path.realpath(folder), os.path.realpath(ws.root))
    return "." if rel == "." else rel.replace(os.sep, "/")


def _what_was_checked(ws: Workspace, project: Project) -> list[str]:
    if not ws.sources:
        if ws.findings or ws.notices:
            return []  # files were found but could not be read: reported as HL001 or a notice
        return ["No files hueylint reads found under the given paths"]
    if not project.launches and not any(src.format in DEPLOYMENT_FORMATS for src in ws.sources.values()):
        # a notice naming a consumer (a Nix service, a SysV init script, PM2, a unit written to a path not known):
        # a deployment file was found, in a form hueylint does not read; "no deployment file found" denied it
        started = any(CONSUMER_WORD.search(notice.reason) or "named for huey" in notice.reason
                      for notice in ws.notices)
        return [f"no deployment file {'hueylint reads ' if started else ''}found under the given path(s) (systemd "
                "units, supervisord or circus configs, Dockerfiles, compose files, Kubernetes manifests or Helm "
                "charts, Procfiles, heroku.yml, fly.toml, render.yaml, Platform.sh/Upsun app configurations, Cloud "
                "Foundry manifests, Kamal configurations or ECS task definitions, s6 services): how the consumer runs "
                "was not checked" + ("; the notices say where it is started in a form hueylint does not read"
                                     if started else "")]
    if not project.launches and depends_on_huey(ws):
        dropped = f" ({len(project.dropped)} candidate(s) dropped)" if project.dropped else ""
        return ["the project depends on huey, but no consumer launch (huey_consumer, run_huey, djangohuey) "
                f"was found in its deployment files or the scripts they run{dropped}; `hueylint inspect` lists "
                "what was considered"]
    return []
