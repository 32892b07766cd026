"""The environment a launch sets for the consumer, recorded as ``launch.env``.

One key for every platform: ``Val(dict[str, Val[str]], loc)``, the variables the launch's own
configuration sets (systemd ``Environment=``/``EnvironmentFile=``, supervisord ``environment=``,
Dockerfile ``ENV``, compose ``environment:``/``env_file:``, Kubernetes container ``env:``), each
with the line that sets it.  A value hueylint cannot know (``${VAR}`` interpolated at run time, a
Kubernetes ``valueFrom``) is an unknown Val: the variable is set, its value is not known.  The app
layer reads ``DJANGO_SETTINGS_MODULE`` from it (the launch's environment beats manage.py's
``os.environ.setdefault``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from typing import Any

from hueylint.locations import Loc
from hueylint.model import Launch, Val
from hueylint.regexes import lazy_pattern
from hueylint.script_lookup import candidates
from hueylint.sourced_files import template_of
from hueylint.words import templated

KEY = "env"
_ASSIGN = lazy_pattern(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
_BARE = lazy_pattern(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*$")
_INTERPOLATED = lazy_pattern(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
_REFERENCE = lazy_pattern(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-[^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def parse_env_file(text: str, rel: str, inherit: bool = False) -> dict[str, Val[str]]:
    """``KEY=value`` lines of a dotenv / systemd EnvironmentFile (``export``, quotes and comments allowed).
    ``inherit``: a line of a name alone passes the variable of the environment reading the file (compose's
    ``env_file:`` and ``docker run --env-file``), a value not known statically; else it is skipped (systemd)."""
    env: dict[str, Val[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        match = _ASSIGN.match(line)
        if match is None:
            bare = _BARE.match(line) if inherit else None
            if bare is not None:
                env[bare.group(1)] = Val.unknown_at(Loc(rel, number, bare.start(1) + 1), f"env:{bare.group(1)}")
            continue
        key, value = match.group(1), match.group(2)
        if value[:1] in "\"'" and len(value) >= 2 and value[-1] == value[0]:
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        loc = Loc(rel, number, match.start(2) + 1, number, len(line) + 1)
        env[key] = unknown_if_interpolated(value, loc)
    return env


def unknown_if_interpolated(value: str, loc: Loc, known: dict[str, Val[str]] | None = None) -> Val[str]:
    """A value as written; ``$VAR``/``${VAR}``/``{{ }}`` are substituted from ``known`` or make it unknown."""
    if templated(value) or "%(" in value:
        return Val.unknown_at(loc, f"templated value `{value}`")
    if "$" not in value:
        return Val(value, loc)
    if known is not None:
        def sub(match: re.Match[str]) -> str:
            found = known.get(match.group(1) or match.group(2))
            if found is None or not found.known or found.value is None:
                raise KeyError(match.group(0))
            return str(found.value)
        try:
            return Val(_REFERENCE.sub(sub, value), loc)
        except KeyError:
            pass
    names = _INTERPOLATED.findall(value)
    return Val.unknown_at(loc, f"env:{names[0]}" if names else f"run-time value `{value}`")


def read_repo_env_file(ws: Any, path: str, origin: Loc, workdir: str = "", inherit: bool = False
                       ) -> dict[str, Val[str]] | None:
    """The variables of an env file the launch names, when it is a repo file (``inherit`` as for
    :func:`parse_env_file`); when the repository lacks it (a git-ignored ``.env``) but holds its template
    (``.env.example``: :func:`hueylint.sourced_files.template_of`), the names the template lists, each with a
    value only the deployer knows; None when neither is there."""
    if not path or "$" in path or "{{" in path:
        return None
    paths = candidates(path, origin, workdir)
    for rel in paths:
        src = ws.file(rel)
        if src is not None:
            return parse_env_file(src.text, rel, inherit)
    for rel in paths:
        template = template_of(ws, rel)
        src = ws.file(template) if template is not None else None
        if src is not None:
            why = f"set by `{path}`, which is not in the repository (its template `{template}` lists it; the " \
                  "value is the deployer's)"
            return {name: Val.unknown_at(value.loc, why)
                    for name, value in parse_env_file(src.text, src.rel, inherit).items()}
    return None


def shell_values(env: dict[str, Val[Any]]) -> dict[str, str | None]:
    """Variables as the scripts a launch runs see them: each value as a string, None where it is not known
    statically (the form :mod:`hueylint.shell_eval` reads, a resolver's ``shell_env``)."""
    return {key: str(val.value) if val.known and val.value is not None else None for key, val in env.items()}


def record(launch: Launch, env: dict[str, Val[str]], loc: Loc, *, under: bool = False) -> None:
    """Set ``launch.env``; with ``under`` the given variables sit below the launch's own ones.

    ``under`` is for an outer environment a supervisor passes down (the container's ``ENV`` under a
    supervisord program's ``environment=``).
    """
    if not env:
        return
    current = launch.env
    own = dict(current.value) if current is not None and current.value is not None else {}
    merged = {**env, **own} if under else {**own, **env}
    launch.env = Val(merged, current.loc if current is not None and not under else loc)


def record_unread(launches: Iterable[Launch], sources: Iterable[Val[str]]) -> None:
    """Add ``sources`` (each the reference as written, at its key: ```env_file: .env.prod```) to each launch's
    :attr:`Launch.env_unread`, once."""
    for launch in launches:
        for source in sources:
            if all(known.value != source.value for known in launch.env_unread):
                launch.env_unread.append(source)


def nearby_dotenv(ws: Any, folder: str) -> dict[str, Val[str]]:
    """The ``.env`` file in a repo folder (compose reads it for ``${VAR}`` interpolation), or {}."""
    rel = posixpath.join(folder, ".env") if folder else ".env"
    src = ws.file(rel)
    return parse_env_file(src.text, rel) if src is not None else {}
