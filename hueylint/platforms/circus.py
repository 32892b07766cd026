"""circus: ``[watcher:NAME]`` launches (``cmd`` + ``args``, ``numprocesses``).

circusd stops a watcher's processes with ``stop_signal`` (SIGTERM by default)
and kills them after ``graceful_timeout`` (30 s by default).  ``shell = True``
runs the command through ``/bin/sh -c`` (a wrapper, HL201).  When circusd is a
container's PID 1 the container platform calls :func:`supervised_launches`.
"""

from __future__ import annotations

import posixpath
from functools import partial

from hueylint.chain import Token, resolve
from hueylint.launch_facts import CircusFacts
from hueylint.launches import make_launch, named_for_huey, unfollowed_named_launch
from hueylint.locations import Loc
from hueylint.model import Hop, Launch, Project, Val
from hueylint.parsers.circus import expand, parse
from hueylint.parsers.supervisord import IniFile, Option, Section, parse_bool
from hueylint.platforms import Built, HostUnit
from hueylint.platforms.supervisord import _Resolver
from hueylint.platforms.supervisord import find_config as find
from hueylint.signals import normalize_signal
from hueylint.sources import SourceFile
from hueylint.words import split_with_spans, templated
from hueylint.workspace import Workspace

DEFAULT_GRACEFUL_TIMEOUT = 30.0


def load(ws: Workspace, src: SourceFile) -> IniFile | None:
    return ws.parsed("circus", src, parse)


def _tokens(option: Option, env: dict[str, str] | None) -> list[Token]:
    tokens: list[Token] = []
    for word, start, end in split_with_spans(option.value):
        text, _unknown = expand(word, env)
        tokens.append(Token(text, option.loc_at(start, end)))
    return tokens


def _signal(ws: Workspace, option: Option | None) -> Val[str]:
    if option is None:
        return Val.default("TERM", "circus default stop_signal")
    signal = normalize_signal(option.value)
    if templated(option.value) or "$" in option.value:
        return Val.unknown_at(option.value_loc, f"stop_signal = {option.value}")
    if signal is None:
        ws.unparseable(option.source, option.line, option.col, f"stop_signal = {option.value} is not a signal")
        return Val.unknown_at(option.value_loc, f"stop_signal = {option.value}")
    return Val(signal, option.value_loc)


def _number(ws: Workspace, option: Option | None, default: float, origin: str, env: dict[str, str] | None,
            kind: type) -> Val:
    if option is None:
        return Val.default(kind(default), origin)
    text, unknown = expand(option.value, env)
    if unknown or templated(text):
        return Val.unknown_at(option.value_loc, f"{option.key} = {option.value}")
    try:
        number = kind(float(text) if kind is float else int(text))
        if number != number:  # nan: no duration at all
            raise ValueError(text)
        return Val(number, option.value_loc)
    except ValueError:
        ws.unparseable(option.source, option.line, option.col, f"{option.key} = {option.value} is not a number")
        return Val.unknown_at(option.value_loc, f"{option.key} = {option.value}")


def watcher_launches(ws: Workspace, project: Project, section: Section, outer: list[Hop], unit: str,
                     env: dict[str, str] | None) -> list[Launch]:
    cmd = section.get("cmd")
    if cmd is None:
        return []
    tokens = _tokens(cmd, env)
    args = section.get("args")
    if args is not None:
        tokens += _tokens(args, env)
    if not tokens:
        return []
    shell = section.get("shell")
    if shell is not None and parse_bool(shell.value):
        text = " ".join(t.text for t in tokens)
        tokens = [Token("/bin/sh", shell.value_loc), Token("-c", shell.value_loc), Token(text, cmd.value_loc)]
    workdir = section.get("working_dir")
    hop = Hop("supervisor", "circus", section.loc, sends=_signal(ws, section.get("stop_signal")),
              deadline=_number(ws, section.get("graceful_timeout"), DEFAULT_GRACEFUL_TIMEOUT,
                               "circus default graceful_timeout", env, float))
    instances = _number(ws, section.get("numprocesses"), 1, "circus default numprocesses=1", env, int)
    respawn = section.get("respawn")
    restart: Val[bool] = Val.default(True, "circus default respawn = True")
    if respawn is not None and parse_bool(respawn.value) is not None:
        restart = Val(bool(parse_bool(respawn.value)), respawn.value_loc)
    uid = section.get("uid")
    # without `uid` circusd runs the watcher as its own user, root in the usual system or container setup
    user: Val[str] = Val.default(None, "circus default: runs as the circusd user (root)") if uid is None \
        else Val(uid.value, uid.value_loc)
    launches: list[Launch] = []
    for hit in resolve(tokens, cmd.value_loc, _Resolver(ws, workdir.value if workdir else "")):
        launch = make_launch(project, hop, hit, platform="circus", name=section.title, unit=unit,
                             origin=cmd.value_loc, outer=outer, instances=instances, restart=restart,
                             user=user,
                             collects_logs=False,
                             workdir=Val(workdir.value, workdir.value_loc) if workdir else None)
        flags: dict[str, Val[bool | None]] = {key: Val(parse_bool(option.value), option.value_loc)
                                              for key in ("stop_children", "use_sockets", "copy_env")
                                              if (option := section.get(key)) is not None}
        launch.circus = CircusFacts(config=Val(section.source, Loc(section.source, 1, 1)), **flags)
        launches.append(launch)
    if not launches and tokens and named_for_huey(section.title):
        unfollowed_named_launch(ws, f"circus watcher `{section.title}`", [token.text for token in tokens], cmd.value_loc)
    return launches


def config_launches(ws: Workspace, project: Project, ini: IniFile, outer: list[Hop], unit: str,
                    env: dict[str, str] | None) -> list[Launch]:
    launches: list[Launch] = []
    for section in ini.of_kind("watcher"):
        launches += watcher_launches(ws, project, section, outer, unit, env)
    return launches


def find_config(ws: Workspace, path: str, origin: Loc | None = None) -> SourceFile | None:
    """The repo file for ``circusd /etc/circus/circus.ini`` (same rules as supervisord's)."""
    found = find(ws, path, origin)
    if found is None:
        name = posixpath.basename(path)
        same = sorted(src.rel for src in ws.of_format("circus") if posixpath.basename(src.rel) == name)
        if len(same) == 1:
            return ws.file(same[0])
    return found


def supervised_launches(ws: Workspace, project: Project, config_rel: str | None, outer: list[Hop], unit: str,
                        env: dict[str, str] | None = None) -> Built:
    """circusd under a container platform; ``config_rel`` is the repo path of its ini (None: the only one),
    claimed (the engine then builds no host launches from it)."""
    if config_rel is None:
        candidates = ws.of_format("circus")
        src = candidates[0] if len(candidates) == 1 else None
    else:
        src = ws.file(config_rel)
    if src is None:
        return Built()
    ini = load(ws, src)
    if ini is None:
        return Built()
    return Built(config_launches(ws, project, ini, list(outer), unit, dict(env or {})), claims={src.rel})


def build(ws: Workspace, project: Project) -> Built:
    """Every circus ini as a host unit (not built when a container runs it)."""

    def host(src: SourceFile) -> list[Launch]:
        ini = load(ws, src)
        return config_launches(ws, project, ini, [], src.rel, None) if ini is not None else []

    return Built(hosts=[HostUnit(frozenset({src.rel}), partial(host, src))
                        for src in sorted(ws.of_format("circus"), key=lambda s: s.rel)])
