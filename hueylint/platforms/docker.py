"""Docker images: the final stage's ENTRYPOINT + CMD run as PID 1.

``docker stop`` sends the image's ``STOPSIGNAL`` (SIGTERM by default) and
kills after 10 s.  Scripts the image copies in are followed through their
``COPY`` lines back to the repository file.  Compose and Kubernetes reuse
:func:`image_launch_parts` for images built from the repo.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from hueylint.chain import ConsumerHit, Token, resolve, shell_string
from hueylint.model import Hop, Loc, Project, Val
from hueylint.parsers.dockerfile import Command, Dockerfile, ParseError, Stage, effective_argv, parse
from hueylint.platforms.common import make_launch, normalize_signal
from hueylint.sources import SourceFile
from hueylint.workspace import Workspace

DOCKER_STOP_DEADLINE = 10.0
PATH_DIRS = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")


def load(ws: Workspace, src: SourceFile) -> Dockerfile | None:
    key = ("dockerfile", src.rel)
    if key not in ws.cache:
        try:
            ws.cache[key] = parse(src)
        except ParseError as exc:
            ws.unparseable(src, exc.line, exc.col, str(exc))
            ws.cache[key] = None
    return ws.cache[key]  # type: ignore[return-value]


def image_signal(stage: Stage, origin: str = "Docker default: no STOPSIGNAL in the image") -> Val[str]:
    if stage.stopsignal is None:
        return Val.default("TERM", origin)
    signal = normalize_signal(stage.stopsignal.value or "")
    if signal is None:
        return Val.unknown_at(stage.stopsignal.loc, f"STOPSIGNAL {stage.stopsignal.value}")
    return Val(signal, stage.stopsignal.loc)


def command_tokens(ws: Workspace, command: Command) -> list[Token]:
    """Exec-form words with their own columns; a shell-form string as one token."""
    src = ws.sources.get(command.loc.path or "")
    if command.shell_form or src is None:
        return [Token(word, command.loc) for word in command.words]
    tokens: list[Token] = []
    line_no, cursor = command.loc.line, 0
    for word in command.words:
        placed = None
        for candidate in range(line_no, max(command.loc.end_line, line_no) + 1):
            text = src.line(candidate)
            found = text.find(f'"{word}"', cursor if candidate == line_no else 0)
            if found >= 0:
                placed = Loc(src.rel, candidate, found + 2, candidate, found + 2 + len(word))
                line_no, cursor = candidate, found + len(word) + 2
                break
        tokens.append(Token(word, placed or command.loc))
    return tokens


@dataclass
class DockerResolver:
    """Map container paths back to the repository through the stage's COPY lines."""

    ws: Workspace
    stage: Stage
    context: str  # repo-relative build context

    def script(self, word: str, origin: Loc) -> SourceFile | None:
        from hueylint.platforms.scripts import find_script, is_shell_script

        if word.startswith("/"):
            targets = [posixpath.normpath(word)]
        elif "/" in word:
            targets = [posixpath.normpath(posixpath.join(self.stage.workdir, word))]
        else:  # a bare command name is looked up on PATH
            targets = [f"{folder}/{word}" for folder in PATH_DIRS]
        for target in targets:
            found = self._copied(target)
            if found is not None:
                return found
        return find_script(self.ws, word, origin, self.stage.workdir)

    def _copied(self, target: str) -> SourceFile | None:
        from hueylint.platforms.scripts import is_shell_script

        for copy in reversed(self.stage.copies):
            if copy.from_stage:
                continue
            dest = copy.dest if copy.dest.startswith("/") else posixpath.join(copy.workdir, copy.dest)
            dest = posixpath.normpath(dest)
            for source in copy.sources:
                rel = self._map(source, dest, copy.dest.endswith("/") or len(copy.sources) > 1, target)
                if rel and self.ws.exists(rel):
                    src = self.ws.file(rel)
                    if src is not None and is_shell_script(src):
                        return src
        return None

    def _map(self, source: str, dest: str, dest_is_dir: bool, target: str) -> str | None:
        source_rel = posixpath.normpath(posixpath.join(self.context, source))
        if source in (".", "./") or self.ws.root.joinpath(source_rel).is_dir():
            if target == dest or target.startswith(dest.rstrip("/") + "/"):
                rest = target[len(dest.rstrip("/")) + 1:]
                return posixpath.normpath(posixpath.join(source_rel, rest)) if rest else None
            return None
        if dest_is_dir:
            return source_rel if target == posixpath.join(dest, posixpath.basename(source)) else None
        return source_rel if target == dest else None


def stage_hits(ws: Workspace, dockerfile: Dockerfile, stage: Stage, context: str,
               argv_tokens: list[Token] | None = None) -> list[ConsumerHit]:
    """The consumers a stage's ENTRYPOINT/CMD start (``argv_tokens`` overrides them)."""
    resolver = DockerResolver(ws, stage, context)
    origin = (stage.cmd or stage.entrypoint).loc if (stage.cmd or stage.entrypoint) else stage.loc
    if argv_tokens is not None:
        return resolve(argv_tokens, argv_tokens[0].loc if argv_tokens else origin, resolver)
    words, entry, cmd = effective_argv(stage)
    if not words:
        return []
    shell_cmd = entry if entry is not None and entry.shell_form else (cmd if entry is None and cmd and cmd.shell_form else None)
    if shell_cmd is not None:
        kind = "ENTRYPOINT" if shell_cmd is entry else "CMD"
        token = Token(shell_cmd.words[0], shell_cmd.loc)
        return shell_string(token, Token("/bin/sh", shell_cmd.loc), shell_cmd.loc, resolver, 0,
                            runner=f"shell-form {kind} (/bin/sh -c)")
    tokens: list[Token] = []
    if entry is not None:
        tokens += command_tokens(ws, entry)
    if cmd is not None:
        if cmd.shell_form:
            tokens += [Token("/bin/sh", cmd.loc), Token("-c", cmd.loc), Token(cmd.words[0], cmd.loc)]
        else:
            tokens += command_tokens(ws, cmd)
    first = tokens[0].loc if tokens else origin
    return resolve(tokens, first, resolver)


def build(ws: Workspace, project: Project) -> None:
    for src in ws.of_format("dockerfile"):
        dockerfile = load(ws, src)
        if dockerfile is None:
            continue
        stage = dockerfile.stage(None)
        if stage is None:
            continue
        context = posixpath.dirname(src.rel)
        for hit in stage_hits(ws, dockerfile, stage, context):
            origin = (stage.cmd or stage.entrypoint).loc  # type: ignore[union-attr]
            hop = Hop("platform", "docker", origin, sends=image_signal(stage),
                      deadline=Val.default(DOCKER_STOP_DEADLINE, "`docker stop` default"))
            user = stage.user or Val.default("root", "Docker default: no USER")
            launch = make_launch(project, hop, hit, platform="docker", name=src.rel, unit=src.rel,
                                 origin=hit.loc if hit.loc.path == src.rel else origin,
                                 user=user, collects_logs=True,
                                 workdir=Val(stage.workdir, stage.loc))
            launch.facts["docker.stage"] = Val(stage.name or str(stage.index), stage.loc)
            project.launches.append(launch)
