"""Docker images: the final stage's ENTRYPOINT + CMD run as PID 1.

``docker stop`` sends the image's ``STOPSIGNAL`` (SIGTERM by default) and
kills after 10 s.  Scripts the image copies in are followed through their
``COPY`` lines back to the repository file.  Compose and Kubernetes reuse
:func:`image_launch_parts` for images built from the repo.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import replace
from functools import partial
from typing import Any, Callable

from hueylint.chain import TEST_FOLDER, ConsumerHit, Token, resolve, shell_string, supervisor_starts
from hueylint.environment import record as record_env
from hueylint.environment import shell_values
from hueylint.hueyfacts import CONSUMER_PROGRAMS
from hueylint.launch_facts import DockerFacts
from hueylint.launches import make_launch, runs_to_completion
from hueylint.locations import Loc
from hueylint.model import Hop, Launch, Problem, Project, Val
from hueylint.parsers.dockerfile import DEFAULT_SHELL, Command, Copy, Dockerfile, Run, Stage, effective_argv, parse
from hueylint.parsers.dockerfile_writes import Written, view, writes
from hueylint.platforms import Built
from hueylint.platforms.repository_images import matcher
from hueylint.platforms.supervisord import stays_in_foreground
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.script_lookup import DEV_SERVER, always_runs, checked, find_script, is_shell_script
from hueylint.signals import normalize_signal
from hueylint.sources import SourceFile
from hueylint.words import SHELLS, clipped, shell_words
from hueylint.workspace import Workspace, leads_outside

DOCKER_STOP_DEADLINE = 10.0
PATH_DIRS = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
#: folders every Linux base image has (the Filesystem Hierarchy Standard's): a ``COPY`` to one of them without a
#: trailing ``/`` puts the file inside it, as Docker does for a destination that is a folder already
IMAGE_FOLDERS = frozenset({"/", *PATH_DIRS, "/etc", "/opt", "/srv", "/tmp", "/home", "/root", "/usr", "/usr/local",
                           "/usr/src", "/var", "/var/lib", "/var/log", "/var/tmp"})


def load(ws: Workspace, src: SourceFile) -> Dockerfile | None:
    return ws.parsed("dockerfile", src, parse)


def image_user(stage: Stage, origin: str = "Docker default: no USER in the image") -> Val[str]:
    """The user the image's processes run as: the last ``USER`` of the stage or of the stages it is built
    ``FROM``; without one, what the first stage's base image runs as.  That is taken to be root for ``scratch``
    and for a Docker Official Image (a name without a namespace or registry: ``python:3.12-slim``,
    ``library/debian``, ``docker.io/library/ubuntu``): the images a Python app builds on (python, debian,
    ubuntu, alpine) set no ``USER`` (https://github.com/docker-library/official-images); a few application
    images do (odoo), where this is wrong.  Any other base (``mambaorg/micromamba`` runs as
    ``mambauser``, ``bitnami/*`` as 1001, a company's own base image, ``${BASE}``) sets a user hueylint cannot
    see: unknown, never assumed root."""
    if stage.user is not None:
        return stage.user
    first = _first_stage(stage)
    base = first.base
    if _official_image(base):
        return Val.default("root", origin)
    return Val.unknown_at(first.loc, f"no USER in this Dockerfile: the user the base image `{base}` runs as")


def _official_image(base: str) -> bool:
    """``scratch`` or a Docker Official Image reference (no namespace, or the ``library/`` one)."""
    if "$" in base:
        return False
    name = base.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        name = name[:colon]  # the tag
    for prefix in ("docker.io/library/", "index.docker.io/library/", "registry-1.docker.io/library/", "library/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    return "/" not in name and name != ""


def image_signal(stage: Stage, origin: str = "Docker default: no STOPSIGNAL in the image") -> Val[str]:
    if stage.stopsignal is None:
        return Val.default("TERM", origin)
    signal = normalize_signal(stage.stopsignal.value or "")
    if signal is None:
        return Val.unknown_at(stage.stopsignal.loc, f"STOPSIGNAL {stage.stopsignal.value}")
    return Val(signal, stage.stopsignal.loc)


def command_tokens(ws: Workspace, command: Command) -> list[Token]:
    """Exec-form words with their own columns; a shell-form string as one token."""
    src = ws.file(command.loc.path) if command.loc.path else None
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
        tokens.append(Token(word, placed or command.loc, verbatim=True))  # no shell: nothing substituted
    return tokens


#: base images whose ``/bin/sh`` is dash (Debian, Ubuntu and the official images built on them, unless tagged
#: for Alpine): a ``RUN``'s ``echo`` turns ``\\n`` into a new line there
_DASH_BASES = lazy_pattern(r"^(?:docker\.io/)?(?:library/)?(?:debian|ubuntu|python|buildpack-deps|node|ruby|golang|"
                         r"openjdk|eclipse-temurin)(?::|@|$)")


def _stage_writes(src: SourceFile, dockerfile: Dockerfile, stage: Stage) -> list[Written]:
    """The files ``stage``'s own instructions write (up to the next ``FROM``)."""
    later = [other.loc.line for other in dockerfile.stages if other.loc.line > stage.loc.line]
    last = min(later) - 1 if later else len(src.lines)
    return writes(src, stage.loc.line, last, _runs_dash(src, stage, last))


#: a tag naming a Debian or Ubuntu release (``uv:python3.12-bookworm-slim``, ``miniconda3:24.1-jammy``)
_DEBIAN_TAG = lazy_pattern(r"[:@-](?:bookworm|bullseye|buster|trixie|jammy|noble|focal)(?:$|[-.])")


def _runs_dash(src: SourceFile, stage: Stage, last: int) -> bool:
    """Does ``stage`` run its ``RUN`` commands with dash: a Debian-family base (followed through ``FROM
    <stage>``) and no ``SHELL`` instruction of its own."""
    root = stage
    while root.parent is not None:
        root = root.parent
    if any(line.lstrip().upper().startswith("SHELL") for line in src.lines[stage.loc.line - 1:last]):
        return False
    return (bool(_DASH_BASES.match(root.base)) or bool(_DEBIAN_TAG.search(root.base))) and "alpine" not in root.base


#: a file named for development (``docker-compose.local.yml``, ``compose.dev.yaml``, ``Dockerfile.dev``,
#: ``dev.Dockerfile``); the names and folders below serve compose projects and the Dockerfile's own launch
DEV_NAME = lazy_pattern(r"(^|[.-])(local|dev|develop|development)([.-]|$)")
#: a file named for a test or CI run (``docker-compose.test.yml``, ``compose.ci.yaml``, ``docker-compose.e2e-tests.yml``)
TEST_NAME = lazy_pattern(r"(^|[.-])(test|tests|testing|e2e|ci)([.-]|$)")
#: the folder of development stacks by definition: VS Code's Dev Containers (`.devcontainer/docker-compose.yml`;
#: a `dev/` folder's stack is judged by what it runs)
DEV_FOLDER = lazy_pattern(r"^\.devcontainer$")
#: a folder of development images beside production's (cookiecutter-django's ``compose/local/django/Dockerfile``
#: next to ``compose/production/django/Dockerfile``, ``docker/dev/Dockerfile``): Dockerfiles only
_IMAGE_DEV_FOLDER = lazy_pattern(r"^(?:local|dev|develop|development)$")


@dataclass
class DockerResolver:
    """Map container paths back to the repository through the stage's COPY lines."""

    ws: Workspace
    stage: Stage
    context: str  # repo-relative build context

    def script(self, word: str, origin: Loc) -> SourceFile | None:
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
        if any(self._copy_source(target) for target in targets):
            for target in targets:
                self._say_outside(word, target)
            # a COPY of this stage puts the file there: from the repository root when the build context was
            # only guessed (the Dockerfile's folder), else from a path that holds nothing (the build fails),
            # never from another file of that name elsewhere in the repository
            rooted = replace(self, context="") if self.context else None
            for target in targets if rooted is not None else []:
                found = rooted._copied(target)  # type: ignore[union-attr]
                if found is not None:
                    return found
            return None
        for target in targets:
            written = self._written(target)
            if written is not None:
                return written
        return find_script(self.ws, word, origin, self.stage.workdir)

    def _written(self, target: str) -> SourceFile | None:
        """The file a build step of this stage (or of the stages it is built ``FROM``) writes at ``target``
        (:mod:`hueylint.parsers.dockerfile_writes`): the last one, as a view of the Dockerfile."""
        src = self.ws.file(self.stage.loc.path) if self.stage.loc.path else None
        dockerfile = load(self.ws, src) if src is not None else None
        if src is None or dockerfile is None:
            return None
        found: Written | None = None
        chain: list[Stage] = []
        stage: Stage | None = self.stage
        while stage is not None and stage not in chain:
            chain.insert(0, stage)
            stage = stage.parent
        for stage in chain:
            for written in self.ws.memo(("docker-writes", src.rel, str(stage.loc.line)),
                                        partial(_stage_writes, src, dockerfile, stage)):
                if written.dest == target:
                    found = written
        return view(src, found) if found is not None else None

    def _say_outside(self, word: str, target: str) -> None:
        """A notice when the plain ``COPY``/``ADD`` that puts ``target`` in the image (the script ``word`` runs)
        takes it from outside the checked tree (``COPY ../start.sh /start.sh``, a build context ``../..``)."""
        source = self._copy_source(target)
        if source is None or not leads_outside(source):
            return
        copy = next((copy for copy in reversed(self.stage.copies) if not copy.from_stage and
                     self._map_any(copy, target) == source), None)
        if copy is not None:
            self.ws.not_read_outside(copy.loc, f"the COPY of `{clipped(target)}` (from `{clipped(source)}`)",
                                     f"what `{clipped(word)}` runs is unknown")

    def _map_any(self, copy: Copy, target: str) -> str | None:
        """The repo path ``copy`` (a plain COPY) names for ``target``, whether it exists or not."""
        dest = copy.target
        for source in copy.sources:
            rel = self._map(source, dest, self._into_folder(copy, dest), target)
            if rel:
                return rel
        return None

    def _into_folder(self, copy: Copy, dest: str) -> bool:
        """Whether ``copy`` puts its sources inside ``dest`` (normalised, absolute) rather than at it: Docker
        copies into a destination written with a trailing ``/``, given several sources, or that is a folder of
        the image already (a file keeps its name there): the working folder (``COPY start.sh .``, ``COPY
        start.sh /app`` under ``WORKDIR /app``: ``WORKDIR`` makes its folder), a folder an earlier ``COPY`` of
        the stage filled or a working folder it set, and the base images' standard folders
        (:data:`IMAGE_FOLDERS`, ``COPY start.sh /usr/local/bin``)."""
        if copy.dest.endswith("/") or len(copy.sources) > 1 or dest in IMAGE_FOLDERS:
            return True
        # keyed as :meth:`_mapped` is: the memo holds the stage's ``COPY`` list, so its ``id`` stays its own
        folders: frozenset[str] = self.ws.memo(("docker-folders", str(id(self.stage.copies))),
                                               lambda: (self.stage.copies, _stage_folders(self.stage)))[1]
        return dest in folders

    def _copy_source(self, target: str) -> str | None:
        """The repo path a plain ``COPY``/``ADD`` of this stage names for ``target``, whether it exists or not."""
        return self._mapped(target, existing=False)

    def _mapped(self, target: str, existing: bool) -> str | None:
        """The repo path the last plain ``COPY``/``ADD`` of this stage that reaches ``target`` names (one that
        exists, when ``existing``).  Answered once per stage, context and target in the run, for every resolver
        of the stage: a chain asks for each word on ``PATH`` of each launch.  Keyed by the stage's ``COPY`` list,
        which the copies a platform makes of the stage share (another environment or working folder per compose
        service: :func:`with_env`, :func:`in_workdir`); the memo holds it, so its ``id`` stays its own."""
        answers: dict[tuple[str, bool], str | None] = self.ws.memo(
            ("docker-paths", str(id(self.stage.copies)), self.context), lambda: (self.stage.copies, {}))[1]
        key = (target, existing)
        if key not in answers:
            answers[key] = self._find_mapped(target, existing)
        return answers[key]

    def _find_mapped(self, target: str, existing: bool) -> str | None:
        for copy in reversed(self.stage.copies):
            if copy.from_stage:
                if copy.source is None:
                    continue  # from an image: nothing of the repository
                # ``COPY --from=builder /build/start.sh /start.sh``: what the builder stage holds there
                earlier = replace(self, stage=copy.source)
                for path in stage_copy_sources(copy, target):
                    rel = earlier._mapped(path, existing)
                    if rel:
                        return rel
                continue
            dest = copy.target
            for source in copy.sources:
                rel = self._map(source, dest, self._into_folder(copy, dest), target)
                if rel and (not existing or self.ws.exists(rel)):
                    return rel
        return None

    def compiled_program(self, word: str, origin: Loc) -> str | None:
        """How the image compiled the program a command word runs (``./huey`` -> "`go build -o huey
        ./cmd/huey` (Dockerfile:7)"), following ``COPY --from`` back to the stage that built it; None when the
        file is not one a RUN compiled after the last COPY that reached it (see :mod:`compiled`)."""
        if "$" in word:
            return None
        if word.startswith("/"):
            targets = [posixpath.normpath(word)]
        elif "/" in word:
            targets = [posixpath.normpath(posixpath.join(self.stage.workdir, word))]
        else:
            targets = [f"{folder}/{word}" for folder in PATH_DIRS]
        for target in targets:
            found = self._compiled_at(target, 0)
            if found is not None:
                return found
        return None

    def _compiled_at(self, target: str, depth: int) -> str | None:
        """How this stage compiled the file at ``target``: the last RUN writing it as a compiler's output, when
        no COPY put a file there after that RUN; through a later ``COPY --from`` into the stage it came from."""
        from hueylint.platforms.compiled import compiled_outputs

        stage = self.stage
        env = {key: str(val.value) for key, val in stage.env.items() if val.known and val.value is not None}
        steps: list[Copy | Run] = sorted([*stage.copies, *stage.runs], key=lambda node: node.loc.line, reverse=True)
        for item in steps:
            if isinstance(item, Run):
                for output in compiled_outputs(item.text, item.workdir, env):
                    if output.holds(target):
                        return f"`{output.how}` ({item.loc.path}:{item.loc.line})"
                continue
            if not item.from_stage:
                if self._copied_file(item, target):
                    return None  # the repository's file
                continue
            paths = stage_copy_sources(item, target)
            if not paths:
                continue
            if item.source is None or depth >= 8:
                return None  # a file from an image: not compiled in this build
            earlier = replace(self, stage=item.source)
            return next((found for found in (earlier._compiled_at(path, depth + 1) for path in paths)
                         if found is not None), None)
        return None

    def _copied_file(self, copy: Copy, target: str) -> bool:
        """A plain ``COPY``/``ADD`` puts a repository file at ``target``."""
        dest = copy.target
        return any((rel := self._map(source, dest, self._into_folder(copy, dest), target))
                   and self.ws.exists(rel) for source in copy.sources)

    def _copied(self, target: str) -> SourceFile | None:
        """The shell script the image holds at ``target``, when a COPY put it there from the repo."""
        rel = self.repo_path(target)
        src = self.ws.file(rel) if rel else None
        return checked(self.ws, src) if src is not None and is_shell_script(src) else None

    def supervisor_foreground(self, kind: str, config: str | None) -> bool:
        """A supervisor started without its foreground flag whose config keeps it in the foreground."""
        return kind == "supervisord" and stays_in_foreground(self.ws, config, self.repo_path)

    def workdir_folder(self) -> str:
        """The repo folder the container's working directory holds: the source ``COPY``'d to the
        ``WORKDIR`` or to a folder above it (``COPY . /app`` + ``WORKDIR /app/src`` -> ``<context>/src``);
        else the build context itself (the service's own folder).  ``""`` is the repository root."""
        workdir = posixpath.normpath(self.stage.workdir or "/")
        for copy in reversed(self.stage.copies):
            dest = copy.target
            if copy.from_stage or not (workdir == dest or workdir.startswith(dest.rstrip("/") + "/")):
                continue
            below = workdir[len(dest.rstrip("/")) + 1:] if workdir != dest else ""
            for source in copy.sources:
                rel = posixpath.normpath(posixpath.join(self.context, source, below))
                rel = "" if rel == "." else rel
                if not rel.startswith("..") and not any(ch in source for ch in "*?[$") and \
                        self.ws.is_folder(rel):
                    return rel
        return self.context

    @property
    def launch_user(self) -> str | None:
        """The user the image starts its command as (:func:`image_user`), for the scripts' uid tests; None
        when not known.  A compose ``user:`` or Kubernetes ``runAsUser`` is not seen here."""
        user = image_user(self.stage)
        return user.value if user.known and isinstance(user.value, str) else None

    def mount_source(self, word: str) -> tuple[bool, str]:
        """Whether a mount covers the container path ``word`` (absolute, or relative to the working folder), and
        the repo file the container sees there ("" when the mount's source is outside the repository)."""
        target = posixpath.normpath(word if word.startswith("/") else posixpath.join(self.stage.workdir, word))
        for path, source in reversed(self.stage.mounts):
            path = posixpath.normpath(path)
            if target == path or target.startswith(path.rstrip("/") + "/"):
                rest = target[len(path):].lstrip("/")
                return True, (posixpath.normpath(posixpath.join(source, rest)) if source and rest else source)
        return False, ""

    @property
    def shell_env_complete(self) -> bool:
        """The container gets no variable beyond :attr:`shell_env` (``Stage.env_complete``)."""
        return self.stage.env_complete

    @property
    def shell_env(self) -> dict[str, str | None]:
        """The image's ``ENV`` as the scripts it runs see it (None: a value not known statically)."""
        return shell_values(self.stage.env)

    def repo_path(self, word: str) -> str | None:
        """The repo file a container path was copied from (any file type), or None."""
        target = posixpath.normpath(word if word.startswith("/") else posixpath.join(self.stage.workdir, word))
        return self._mapped(target, existing=True)

    def _map(self, source: str, dest: str, dest_is_dir: bool, target: str) -> str | None:
        source_rel = posixpath.normpath(posixpath.join(self.context, source))
        if any(ch in source for ch in "*?["):
            import fnmatch

            folder = posixpath.dirname(target)
            if folder == dest.rstrip("/") or (dest_is_dir and folder == dest.rstrip("/")):
                name = posixpath.basename(target)
                candidate = posixpath.normpath(posixpath.join(posixpath.dirname(source_rel), name))
                return candidate if fnmatch.fnmatchcase(name, posixpath.basename(source)) else None
            return None
        if source.startswith(("http://", "https://", "git@")):
            return None
        if target != dest and not target.startswith(dest.rstrip("/") + "/"):
            # neither branch below maps a target outside ``dest`` (a file COPY'd into a folder lands below
            # it): answered before the stat of the source
            return None
        if source in (".", "./") or self.ws.is_folder(source_rel):
            if target == dest or target.startswith(dest.rstrip("/") + "/"):
                rest = target[len(dest.rstrip("/")) + 1:]
                return posixpath.normpath(posixpath.join(source_rel, rest)) if rest else None
            return None
        if dest_is_dir:
            return source_rel if target == posixpath.join(dest, posixpath.basename(source)) else None
        return source_rel if target == dest else None


def _stage_folders(stage: Stage) -> frozenset[str]:
    """The image folders a stage's own instructions make: every working folder (``WORKDIR`` creates it) of its
    ``COPY``, ``RUN`` and end, and where a ``COPY`` with a trailing ``/`` or several sources put them."""
    folders = {posixpath.normpath(stage.workdir or "/")}
    folders.update(posixpath.normpath(copy.workdir or "/") for copy in stage.copies)
    folders.update(posixpath.normpath(run.workdir or "/") for run in stage.runs)
    for copy in stage.copies:
        if copy.dest.endswith("/") or len(copy.sources) > 1:
            folders.add(copy.target)
    return frozenset(folders)


def stage_copy_sources(copy: Copy, target: str) -> list[str]:
    """The paths in the ``--from`` stage that ``copy`` may have put at ``target`` (absolute, normalised): a
    source is read from the root of that stage's filesystem; a file source lands at ``dest`` or, when
    ``dest`` is a folder, inside it under its own name; a folder source's contents land below ``dest``.
    Which of these a source is cannot be seen here, so each fitting path is given."""
    dest = copy.target
    paths: list[str] = []
    for source in copy.sources:
        if any(ch in source for ch in "*?[$"):
            continue
        origin = posixpath.normpath("/" + source.lstrip("/"))
        if target == dest:
            paths.append(origin)
        elif target.startswith(dest.rstrip("/") + "/"):
            rest = target[len(dest.rstrip("/")) + 1:]
            if rest == posixpath.basename(origin):
                paths.append(origin)
            paths.append(posixpath.normpath(posixpath.join(origin, rest)))
    return paths


def _shell_text_token(ws: Workspace, command: Command) -> Token:
    """A shell-form command's text, placed exactly when it sits on one line (so findings point at a word)."""
    src = ws.file(command.loc.path) if command.loc.path else None
    text = command.words[0]
    if src is not None and command.loc.end_line in (0, command.loc.line):
        column = src.line(command.loc.line).find(text)
        if column >= 0:
            return Token(text, Loc(src.rel, command.loc.line, column + 1, command.loc.line, column + 1 + len(text)))
    return Token(text, command.loc)


def _fails_at_start(command: Command) -> str | None:
    """For a shell form written like an exec form (``CMD ['huey_consumer', 'app.huey']``): the first word
    ``/bin/sh -c`` runs when it cannot start anything: ``[huey_consumer,`` ("not found", exit 127), or the
    test command ``[`` when the whole text is the bracketed list (``[ 'huey_consumer', 'app.huey' ]``: the
    test runs and exits).  None when the text is shell code that works (``[ -f /x ] && exec ...``)."""
    if not command.shell_form or not command.not_json:
        return None
    words = shell_words(command.words[0], comments=True)
    if words is None:
        return command.words[0].split()[0]  # the shell refuses an unterminated quote
    if not words or not words[0].startswith("["):
        return None
    if words[0] not in ("[", "[["):
        return words[0]
    return words[0] if words[-1].endswith("]") else None


def _placed(ws: Workspace, command: Command, words: tuple[str, ...]) -> list[Token]:
    """Tokens for ``words`` written (quoted or not) in order on the command's line(s)."""
    src = ws.file(command.loc.path) if command.loc.path else None
    tokens: list[Token] = []
    line_no, cursor = command.loc.line, 0
    for word in words:
        placed = None
        for candidate in range(line_no, max(command.loc.end_line, line_no) + 1) if src is not None else ():
            found = src.line(candidate).find(word, cursor if candidate == line_no else 0)  # type: ignore[union-attr]
            if found >= 0:
                placed = Loc(src.rel, candidate, found + 1, candidate, found + 1 + len(word))  # type: ignore[union-attr]
                line_no, cursor = candidate, found + len(word)
                break
        tokens.append(Token(word, placed or command.loc))
    return tokens


def _not_json_problem(ws: Workspace, kind: str, command: Command, first: str) -> Problem:
    return Problem(_shell_text_token(ws, command).loc, kind="exec-not-json", option=kind, said=command.not_json,
                   program=command.words[0], hint=first, to=json.dumps(list(command.intended)))


def _intended_hits(ws: Workspace, stage: Stage, resolver: "DockerResolver") -> list[ConsumerHit] | None:
    """The consumers an exec form written as invalid JSON was meant to start, each carrying the HL002
    problem that it never starts; None when the image's command is not such a broken exec form."""
    entry, cmd = stage.entrypoint, stage.cmd
    run = [entry] if entry is not None and entry.shell_form else [c for c in (entry, cmd) if c is not None]
    broken = next(((c, first) for c in run if (first := _fails_at_start(c))), None)
    if broken is None:
        return None
    tokens: list[Token] = []
    for command in run:
        if command.not_json:
            tokens += _placed(ws, command, command.intended)
        elif command.shell_form:
            tokens += [Token("/bin/sh", command.loc), Token("-c", command.loc), _shell_text_token(ws, command)]
        else:
            tokens += command_tokens(ws, command)
    if not tokens:
        return []
    command, first = broken
    problem = _not_json_problem(ws, "ENTRYPOINT" if command is entry else "CMD", command, first)
    hits = resolve(tokens, tokens[0].loc, resolver)
    for hit in hits:
        hit.problems.append(problem)
    return hits


def _shell(stage: Stage) -> tuple[str, ...]:
    """The shell a shell-form command of ``stage`` runs with: its ``SHELL`` when that is a POSIX shell
    (:data:`~hueylint.words.SHELLS`: bash, ash ...), else Docker's ``/bin/sh -c`` as the judgement (a Windows
    image's ``SHELL ["powershell", "-Command"]`` is not modelled: reading it as sh keeps the launch visible)."""
    return stage.shell if posixpath.basename(stage.shell[0]) in SHELLS else DEFAULT_SHELL


def stage_hits(ws: Workspace, dockerfile: Dockerfile, stage: Stage, context: str,
               argv_tokens: list[Token] | None = None) -> list[ConsumerHit]:
    """The consumers a stage's ENTRYPOINT/CMD start (``argv_tokens`` overrides them)."""
    resolver = DockerResolver(ws, stage, context)
    command = stage.cmd or stage.entrypoint
    origin = command.loc if command else stage.loc
    if argv_tokens is not None:
        return resolve(argv_tokens, argv_tokens[0].loc if argv_tokens else origin, resolver)
    words, entry, cmd = effective_argv(stage)
    if not words:
        return []
    intended = _intended_hits(ws, stage, resolver)
    if intended is not None:
        return intended
    shell_cmd = entry if entry is not None and entry.shell_form else (cmd if entry is None and cmd and cmd.shell_form else None)
    if shell_cmd is not None and _shell(stage) != DEFAULT_SHELL:  # `SHELL ["/bin/bash", "-c"]`: judged as that shell
        return resolve([*(Token(word, shell_cmd.loc) for word in _shell(stage)), _shell_text_token(ws, shell_cmd)],
                       shell_cmd.loc, resolver)
    if shell_cmd is not None:
        kind = "ENTRYPOINT" if shell_cmd is entry else "CMD"
        token = _shell_text_token(ws, shell_cmd)
        return shell_string(token, Token("/bin/sh", shell_cmd.loc), shell_cmd.loc, resolver, 0,
                            runner=f"shell-form {kind} (/bin/sh -c)")
    tokens: list[Token] = []
    if entry is not None:
        tokens += command_tokens(ws, entry)
    if cmd is not None:
        if cmd.shell_form:
            tokens += [*(Token(word, cmd.loc) for word in _shell(stage)), _shell_text_token(ws, cmd)]
        else:
            tokens += command_tokens(ws, cmd)
    first = tokens[0].loc if tokens else origin
    return resolve(tokens, first, resolver)


def build(ws: Workspace, project: Project) -> Built:
    built = Built()
    for src in ws.of_format("dockerfile"):
        dockerfile = load(ws, src)
        if dockerfile is None:
            continue
        stage = dockerfile.stage(None)
        if stage is None:
            continue
        context = posixpath.dirname(src.rel)
        stage = on_repo_base(ws, dockerfile, stage, context)
        for hit in stage_hits(ws, dockerfile, stage, context):
            origin = (stage.cmd or stage.entrypoint).loc  # type: ignore[union-attr]
            hop = Hop("platform", "docker", origin, sends=image_signal(stage),
                      deadline=Val.default(DOCKER_STOP_DEADLINE, "`docker stop` default"))
            user = image_user(stage, "Docker default: no USER")
            launch = make_launch(project, hop, hit, platform="docker", name=src.rel, unit=src.rel,
                                 origin=hit.loc if hit.loc.path == src.rel else origin,
                                 user=user, collects_logs=True,
                                 workdir=Val(stage.workdir, stage.loc),
                                 service_dir=DockerResolver(ws, stage, context).workdir_folder())
            launch.docker = DockerFacts(stage=Val(stage.name or str(stage.index), stage.loc))
            record_env(launch, dict(stage.env), stage.loc)
            built.launches.append(launch)
            served = named_for_development(src.rel) or \
                script_dev_server(ws, [launch], lambda _launch: "the image's command")
            if served is not None:  # a development image (`Dockerfile.dev`, a script running `runserver`)
                launch.dev, launch.dev_reason = True, served
        built.add(_supervised_image(ws, project, dockerfile, stage, context, src))
        _build_steps(ws, dockerfile, context)
        _service_run_copies(ws, stage, context, src)
    return built


def named_for_development(rel: str) -> Val[str] | None:
    """Why the Dockerfile ``rel`` is a development or test image, as a compose file named or placed so is a
    development stack (:attr:`hueylint.platforms.compose.ComposeProject.dev_reason`): its name
    (``Dockerfile.dev``, ``dev.Dockerfile``, ``Dockerfile.local``, ``Dockerfile.test``, ``Dockerfile.ci``) or
    its folder (``tests/``, ``e2e/``, ``.devcontainer/``, ``local/``, ``dev/``); None otherwise (``Dockerfile``,
    ``Dockerfile.prod``, ``docker/worker/Dockerfile``)."""
    name = posixpath.basename(rel).lower()
    where = Loc(rel, 1, 1)
    if DEV_NAME.search(name):
        return Val(f"`{rel}` is named as a development image", where)
    if TEST_NAME.search(name):
        return Val(f"`{rel}` is named as a test image", where)
    for pattern, purpose in ((TEST_FOLDER, "tests"), (DEV_FOLDER, "development"), (_IMAGE_DEV_FOLDER, "development")):
        folder = next((part for part in rel.lower().split("/")[:-1] if pattern.match(part)), None)
        if folder is not None:
            return Val(f"`{rel}` is in a folder for {purpose} (`{folder}/`)", where)
    return None



def script_dev_server(ws: Workspace, launches: list[Launch], who: Callable[[Launch], str]) -> Val[str] | None:
    """Why launches are a development stack because a script between their platform and the consumer runs a
    development server (``who(launch)`` names what runs it: ``service `web```, ``the image's command``): the
    command a ``-c`` string or a shell-form ``CMD`` runs after starting the consumer in the background
    (``run_huey & python manage.py runserver``), or a command a script runs on every path
    (``(python -m debugpy ... manage.py runserver) & nginx``, beside the consumer: bash runs it all the same),
    or in the branch the launch's environment takes (``if [ "${DEBUG,,}" == true ]; then gunicorn --reload``
    with ``DEBUG=True`` in compose's ``environment:``, as :func:`~hueylint.script_lookup.always_runs` reads it);
    None when none does."""
    for launch in launches:
        for problem in launch.wrappers:
            match = DEV_SERVER.search(problem.then) if problem.then else None
            if match:
                loc = problem.locs[-1][0] if problem.locs else launch.loc
                src = ws.file(loc.path) if loc.path else None
                if src is not None and is_shell_script(src):
                    # `then` is the next command on any branch (`case "$MODE" in dev) exec runserver`, whatever
                    # MODE is): a script's server is judged below, on the branches the environment takes
                    continue
                return Val(f"{who(launch)} runs a development server (`{match.group()}`, {loc})", loc)
        env = shell_values(launch.env.value) if launch.env is not None and launch.env.value is not None else {}
        for hop in launch.chain:
            src = ws.file(hop.loc.path) if hop.kind == "script" and hop.loc.path else None
            served = always_runs(src, DEV_SERVER, env=env) if src is not None and is_shell_script(src) else None
            if served is not None:
                return Val(f"{who(launch)} runs a development server ({served.value})", served.loc)
    return None


def _service_run_copies(ws: Workspace, stage: Stage, context: str, src: SourceFile) -> None:
    """A notice for a repository script of another name that the image's final stage copies to the ``run`` file
    of a runit, daemontools or s6 service directory (``COPY huey.sh /etc/service/huey/run``) and that starts the
    consumer: hueylint does not model those supervisors (:mod:`hueylint.unmodelled_supervisors`; a file already
    named so got its notice in discovery)."""
    from hueylint.discovery import Notice
    from hueylint.unmodelled_supervisors import service_notice, service_run_file

    bases: list[str] = []
    parent: Stage | None = stage
    while parent is not None:
        bases.append(parent.base.lower())
        parent = parent.parent
    for copy in stage.copies:
        if copy.from_stage:
            continue
        dest = copy.target
        into_folder = copy.dest.endswith("/") or len(copy.sources) > 1
        for source in copy.sources:
            target = posixpath.join(dest, posixpath.basename(source.rstrip("/"))) if into_folder else dest
            rel = posixpath.normpath(posixpath.join(context, source)).lstrip("/")
            if not service_run_file(tuple(target.split("/"))) or service_run_file(tuple(rel.split("/"))):
                continue
            script = ws.file(rel) if ws.exists(rel) else None
            if script is None:
                continue
            reason = service_notice(rel, script.text, (target, f"{src.rel}:{copy.loc.line}", " ".join(bases)))
            if reason is not None:
                ws.say(Notice(rel, reason))


#: what a consumer a ``RUN`` starts comes to (the Dockerfile reference: each ``RUN`` executes in a new layer on top
#: of the current image and its result is committed; the build goes on when the command exits)
BUILD_STEP_WHY = ("`docker build` runs it only while the image is built, never in a container of the image (in the "
                  "foreground the build waits for it, and a consumer does not exit)")
_SCRIPT_WORD = lazy_pattern(r"\.(?:sh|bash)\b")


def _build_steps(ws: Workspace, dockerfile: Dockerfile, context: str) -> None:
    """Every ``RUN`` of ``dockerfile`` that starts a consumer (``RUN python manage.py run_huey``, ``RUN bash
    run_huey.sh``): no launch, said (:func:`hueylint.launches.runs_to_completion`).  Only a ``RUN`` that names a
    consumer or a shell script is followed (the rest install packages and copy files)."""
    seen: set[Loc] = set()
    for stage in dockerfile.stages:
        for run in stage.runs:
            if run.loc in seen:
                continue
            seen.add(run.loc)  # (a stage built `FROM` another lists its parent's runs too)
            if not (any(name in run.text for name in CONSUMER_PROGRAMS) or _SCRIPT_WORD.search(run.text)):
                continue
            resolver = DockerResolver(ws, replace(stage, workdir=run.workdir), context)
            hits = shell_string(Token(run.text, run.loc), Token("/bin/sh", run.loc), run.loc, resolver, 0,
                                runner="Dockerfile `RUN` (/bin/sh -c)")
            runs_to_completion(ws, hits, "`RUN`", run.loc, BUILD_STEP_WHY)


def _supervised_image(ws: Workspace, project: Project, dockerfile: Dockerfile, stage: Stage, context: str,
                      src: SourceFile) -> Built:
    """PID 1 is a supervisor (supervisord, circus, s6 ``/init``): its programs run under `docker stop`.

    The config is claimed, so it is built once, with the container's signal and deadline as the outer hop
    (the engine builds no host launches from it, :mod:`hueylint.overlaps`).
    """
    # the image's command only: its consumers are the stage's launch (resolving them again here doubled the
    # time and memory of a long CMD)
    tokens, resolver = image_tokens(ws, stage), DockerResolver(ws, stage, context)
    if not tokens:
        return Built()
    origin = tokens[0].loc
    hop = Hop("platform", "docker", origin, sends=image_signal(stage),
              deadline=Val.default(DOCKER_STOP_DEADLINE, "`docker stop` default"))
    user = image_user(stage, "Docker default: no USER")
    built = supervised(ws, project, tokens, origin, resolver, hop, src.rel, dict(stage.env), claim=True, user=user)
    named = named_for_development(src.rel)  # `Dockerfile.dev` running supervisord: its programs are development ones
    for launch in built.launches:
        if launch.docker is None or launch.docker.image is None:
            launch.docker = DockerFacts(stage=launch.docker.stage if launch.docker is not None else None,
                                        image=Val(src.rel, stage.loc))
        if named is not None and not launch.dev:
            launch.dev, launch.dev_reason = True, named
    return built


# -- reuse by compose and Kubernetes ---------------------------------------------------------------

@dataclass(frozen=True)
class ImageSource:
    """An image built from a Dockerfile in the repo: where, which stage, and what said so."""

    dockerfile: str  # repo-relative Dockerfile path
    target: str | None
    context: str
    loc: Loc  # the line that builds it (compose `build:`, skaffold artifact, or the Dockerfile)
    name: str = ""  # the image name it is tagged with, when known


def image_key(image: str) -> str:
    """``ghcr.io/org/app:1.2@sha256:..`` -> ``ghcr.io/org/app`` (lower case, no tag or digest)."""
    name = image.strip().split("@", 1)[0]
    last = name.rsplit("/", 1)
    if ":" in last[-1]:
        last[-1] = last[-1].split(":", 1)[0]
    return "/".join(last).lower()


def same_image(a: str, b: str) -> bool:
    """Image names match without tag; ``app`` matches ``ghcr.io/org/app`` (registries add prefixes).  ``a`` may
    spell the repository's identity with markers (``ghcr.io/%github-repository%/worker``: a name a CI
    workflow tags, :mod:`hueylint.platforms.repository_images`), which stand for the path parts they may be."""
    ka, kb = image_key(a), image_key(b)
    if not ka or not kb or "$" in kb:
        return False
    if ka == kb:  # (also the same CI variables on both sides: `$CI_REGISTRY_IMAGE/worker`, spelled)
        return True
    if "%" in ka:  # `ghcr.io/%github-repository%/worker` (repository_images; a name Docker refuses matches none)
        names = matcher(ka)
        return names is not None and names.matches(kb)
    if "$" in ka or "{{" in ka:
        return False
    return ka.endswith("/" + kb) or kb.endswith("/" + ka)


def in_workdir(resolved: tuple[Dockerfile, Stage] | None, workdir: Val[Any] | None) -> tuple[Dockerfile, Stage] | None:
    """The image's stage with the working directory a platform sets for the container (compose
    ``working_dir:``, Kubernetes ``workingDir:``): the command's cwd, so where ``python -m`` imports from
    and relative paths start.  Unchanged when the value is not a literal absolute path."""
    if resolved is None or workdir is None or not workdir.known or not isinstance(workdir.value, str):
        return resolved
    if not workdir.value.startswith("/") or "$" in workdir.value:
        return resolved
    return resolved[0], replace(resolved[1], workdir=posixpath.normpath(workdir.value))


def with_env(resolved: tuple[Dockerfile, Stage] | None, env: dict[str, Val[str]], complete: bool = False
             ) -> tuple[Dockerfile, Stage] | None:
    """The image's stage with the variables a platform sets for the container (compose ``environment:``)
    over the image's ``ENV``, as Docker starts it: the entrypoint's branches on them (karrio's
    ``[[ "${DETACHED_WORKER,,}" =~ ^(false|0)$ ]]``) are decided by the container's values.  ``complete``: the
    platform passes no other variable (every ``env_file:`` is in the repository), so a variable neither sets
    is unset in the container (``Stage.env_complete``), when the image is built on a Docker Official Image."""
    if resolved is None or (not env and not complete):
        return resolved
    # an image built on a base of someone else's (a company's own `mycompany/base`) may set any variable there;
    # the Docker Official Images set none an app's entrypoint tests (PATH, LANG, PYTHON_VERSION ...)
    complete = complete and _official_image(_first_stage(resolved[1]).base)
    return resolved[0], replace(resolved[1], env={**resolved[1].env, **env}, env_complete=complete)


def _first_stage(stage: Stage) -> Stage:
    """The stage the image's ``FROM`` chain starts at (its base is another image, not a stage)."""
    while stage.parent is not None:
        stage = stage.parent
    return stage


def with_mounts(resolved: tuple[Dockerfile, Stage] | None, mounts: tuple[tuple[str, str], ...]
                ) -> tuple[Dockerfile, Stage] | None:
    """The image's stage with the platform's mounts over its files (``Stage.mounts``)."""
    if resolved is None or not mounts:
        return resolved
    return resolved[0], replace(resolved[1], mounts=mounts)


def with_user(resolved: tuple[Dockerfile, Stage] | None, user: Val[str] | None) -> tuple[Dockerfile, Stage] | None:
    """The image's stage run as the user a platform sets for the container (compose ``user:``), as if the
    image said ``USER`` so: the entrypoint's tests of the current user (``[ "$(id -u)" = 0 ]``) see it."""
    if resolved is None or user is None:
        return resolved
    return resolved[0], replace(resolved[1], user=user)


#: the lock files of the tools that install a project from its folder (``poetry install``, ``uv sync``, ``pipenv``)
_LOCK_FILES = frozenset({"poetry.lock", "uv.lock", "Pipfile.lock"})


def image_install_files(ws: Workspace, src: SourceFile) -> list[str]:
    """The repository's dependency files the image's installs read (:func:`hueylint.versions.install_file_words`:
    ``pip install -r``/``-c`` files, a ``pip install .`` project's manifest, ``poetry install``'s, ``uv sync``'s and
    ``pipenv install``'s manifest and lock file), each found through the ``COPY`` lines of its stage (``COPY
    worker/requirements.txt .`` then ``RUN pip install -r requirements.txt`` -> ``worker/requirements.txt``) or the
    RUN's own bind mount of the build context (``RUN --mount=type=bind,source=worker/requirements.txt,target=
    requirements.txt pip install -r requirements.txt``): read against the Dockerfile's folder as the build context, else the repository root (the context
    :meth:`DockerResolver.script` falls back to).  A lock file no ``COPY`` line takes (``COPY .git`` then ``git
    checkout``) is the repository's lock beside the manifest a ``COPY`` does take.  Every stage counts, as every
    ``RUN pip install huey...`` of the file does (:func:`hueylint.versions.folder_versions`)."""
    from hueylint.versions import install_file_words

    dockerfile = load(ws, src)
    found: list[str] = []
    context = posixpath.dirname(src.rel)
    for stage in dockerfile.stages if dockerfile is not None else []:
        # the stage's COPY lines read against the Dockerfile's folder, else the repository root
        resolvers = [DockerResolver(ws, stage, base) for base in dict.fromkeys((context, ""))]
        for run in stage.runs:
            mapped: dict[str, str] = {}  # in-image path -> repository file
            words = install_file_words(run.text)
            for word in words:
                target = posixpath.normpath(word if word.startswith("/") else posixpath.join(run.workdir or "/", word))
                rel = _bound(ws, run, target, context)
                for resolver in resolvers if rel is None else ():
                    rel = resolver.repo_path(target)
                    if rel is not None:
                        break
                if rel is not None:
                    mapped[word] = rel
            for word in words:
                rel = mapped.get(word)
                if rel is None and posixpath.basename(word) in _LOCK_FILES:
                    # a lock file no COPY takes from the repository (a `git checkout` or another step puts it there):
                    # the one beside the manifest the image's COPY does take, as the repository holds them together
                    manifest = next((mapped[other] for other in words if other in mapped and
                                     posixpath.dirname(other) == posixpath.dirname(word)), None)
                    beside = posixpath.join(posixpath.dirname(manifest), posixpath.basename(word)) if manifest else None
                    rel = beside if beside is not None and ws.exists(beside) else None
                if rel is not None and rel not in found:
                    found.append(rel)
    return found


def _bound(ws: Workspace, run: Run, target: str, context: str) -> str | None:
    """The repository file a RUN's build-context bind mount shows at ``target`` (``--mount=type=bind,
    source=worker/requirements.txt,target=requirements.txt``), against ``context``, else the repository root."""
    for path, source in reversed(run.binds):
        if target != path and not target.startswith(path.rstrip("/") + "/"):
            continue
        rest = target[len(path.rstrip("/")) + 1:] if target != path else ""
        for base in dict.fromkeys((context, "")):
            rel = posixpath.normpath(posixpath.join(base, source, rest))
            if not rel.startswith("..") and ws.exists(rel):
                return rel
        return None
    return None


def dockerfile_path(ws: Workspace, rel: str) -> str:
    """The file Docker builds for the Dockerfile path ``rel``: ``rel``, or, when its name is ``Dockerfile`` and
    the repository has none there, ``dockerfile`` beside it (the legacy builder, BuildKit and buildx fall back
    to the lowercase name: moby/moby#10858, moby/buildkit#1816, docker/buildx#444)."""
    if posixpath.basename(rel) != "Dockerfile" or ws.exists(rel):
        return rel
    lower = posixpath.join(posixpath.dirname(rel), "dockerfile")
    return lower if ws.exists(lower) else rel


def stage_of(ws: Workspace, source: ImageSource) -> tuple[Dockerfile, Stage] | None:
    # a link to a Dockerfile of the tree is read at its target
    src = ws.file(ws.link_target(dockerfile_path(ws, source.dockerfile)))
    if src is None:
        return None
    dockerfile = load(ws, src)
    if dockerfile is None:
        return None
    stage = dockerfile.stage(source.target)
    return (dockerfile, on_repo_base(ws, dockerfile, stage, source.context)) if stage is not None else None


#: Docker Official Images a Python app builds on: never an image of the repository (no build scripts read for them)
_COMMON_BASES = frozenset({"scratch", "python", "debian", "ubuntu", "alpine", "busybox", "node", "golang", "rust",
                           "nginx", "redis", "postgres", "buildpack-deps", "amazonlinux", "fedora", "centos",
                           "rockylinux", "almalinux", "pypy"})


def on_repo_base(ws: Workspace, dockerfile: Dockerfile, stage: Stage, context: str, depth: int = 0) -> Stage:
    """``stage`` as Docker builds it when its first stage is ``FROM`` an image this repository builds (tagged by
    a build script, Makefile or workflow: :func:`hueylint.platforms.buildscripts.script_built_images`): what
    the file does not set comes from that image's final stage, as ``FROM`` gives it (``ENTRYPOINT``, and
    ``CMD`` unless the file sets either; ``STOPSIGNAL``, ``USER``, ``ENV`` under the file's own; its files,
    ``COPY`` sources read from that image's build context).  Unchanged for any other base."""
    root = _first_stage(stage)
    name = image_key(root.base)
    for prefix in ("docker.io/", "index.docker.io/", "registry-1.docker.io/", "library/"):
        name = name.removeprefix(prefix)
    if depth > 4 or "$" in root.base or name in _COMMON_BASES:
        return stage  # (any other bare name may be a local tag, `docker build -t base .`: looked up)
    from hueylint.platforms.buildscripts import script_built_images

    source = next((image for image in script_built_images(ws) if image.name and same_image(image.name, root.base)
                   and image.dockerfile != dockerfile.source.rel), None)
    base_src = ws.file(ws.link_target(source.dockerfile)) if source is not None else None
    base_file = load(ws, base_src) if base_src is not None else None
    base = base_file.stage(source.target) if base_file is not None and source is not None else None
    if base is None or source is None or base_file is None:
        return stage
    base = on_repo_base(ws, base_file, base, source.context, depth + 1)
    entrypoint = stage.entrypoint if stage.entrypoint is not None else base.entrypoint
    cmd = stage.cmd if stage.cmd is not None or stage.entrypoint is not None else base.cmd
    rebased = [replace(copy, sources=tuple(_rebased(source.context, context, item) for item in copy.sources))
               if not copy.from_stage else copy for copy in base.copies]
    return replace(stage, entrypoint=entrypoint, cmd=cmd,
                   stopsignal=stage.stopsignal if stage.stopsignal is not None else base.stopsignal,
                   user=stage.user if stage.user is not None else image_user(base),
                   workdir=stage.workdir if stage.workdir != "/" else base.workdir,
                   env={**base.env, **stage.env}, copies=[*rebased, *stage.copies], runs=[*base.runs, *stage.runs])


def _rebased(base_context: str, context: str, source: str) -> str:
    """A ``COPY`` source of the base image's build as a path from this image's build context."""
    if source.startswith(("http://", "https://", "git@")) or "$" in source:
        return source
    return posixpath.relpath(posixpath.normpath(posixpath.join(base_context or ".", source)), context or ".")


def container_tokens(ws: Workspace, stage: Stage | None, entrypoint: list[Token] | None,
                     command: list[Token] | None) -> list[Token] | None:
    """PID 1's argv when an orchestrator overrides ENTRYPOINT and/or CMD; None: the image's own.

    An overridden ENTRYPOINT drops the image's CMD (compose `entrypoint:`, Kubernetes `command:`);
    a shell-form image ENTRYPOINT ignores any CMD, so only an ENTRYPOINT override changes it.
    """
    if entrypoint is None and command is None:
        return None
    if entrypoint is not None:
        return [*entrypoint, *(command or [])]
    entry = stage.entrypoint if stage is not None else None
    if entry is not None and entry.shell_form:
        return None
    return [*(command_tokens(ws, entry) if entry is not None else []), *(command or [])]


def image_tokens(ws: Workspace, stage: Stage) -> list[Token]:
    """PID 1's argv as the image's own ENTRYPOINT and CMD give it (a shell form as ``/bin/sh -c TEXT``, or with the
    stage's ``SHELL``)."""
    _words, entry, cmd = effective_argv(stage)
    tokens: list[Token] = []
    if entry is not None:
        tokens += command_tokens(ws, entry) if not entry.shell_form else \
            [*(Token(word, entry.loc) for word in _shell(stage)), Token(entry.words[0], entry.loc)]
    elif cmd is not None:
        tokens += command_tokens(ws, cmd) if not cmd.shell_form else \
            [*(Token(word, cmd.loc) for word in _shell(stage)), Token(cmd.words[0], cmd.loc)]
    if entry is not None and not entry.shell_form and cmd is not None:
        tokens += command_tokens(ws, cmd) if not cmd.shell_form else \
            [*(Token(word, cmd.loc) for word in _shell(stage)), Token(cmd.words[0], cmd.loc)]
    return tokens


def container_hits(ws: Workspace, image: tuple[Dockerfile, Stage, str] | None, entrypoint: list[Token] | None,
                   command: list[Token] | None, origin: Loc, fallback) -> tuple[list[ConsumerHit], list[Token], object]:
    """The consumers a container starts: ``image`` is (Dockerfile, stage, context) when built here."""
    if image is not None:
        dockerfile, stage, context = image
        tokens = container_tokens(ws, stage, entrypoint, command)
        resolver = DockerResolver(ws, stage, context)
        if tokens is None:
            return stage_hits(ws, dockerfile, stage, context), image_tokens(ws, stage), resolver
        return resolve(tokens, tokens[0].loc if tokens else origin, resolver), tokens, resolver
    tokens = [*(entrypoint or []), *(command or [])]
    return (resolve(tokens, tokens[0].loc, fallback) if tokens else []), tokens, fallback


def supervised(ws: Workspace, project: Project, tokens: list[Token], origin: Loc, resolver, hop: Hop,
               unit: str, env: dict[str, Val[str]], claim: bool = False, user: Val[str] | None = None,
               name: str = "") -> Built:
    """Launches of a supervisor (supervisord, circus, s6 ``/init``, a Procfile runner: forego, honcho, foreman) that
    PID 1 is or a script starts (or a systemd unit runs: :mod:`hueylint.platforms.systemd`), and the
    configurations they come from (``claims``: the engine builds no host launches from them).

    The supervisor modules are written separately; until they exist nothing is claimed or built.
    ``claim`` also claims the config named on the command line when it cannot be read.
    ``user`` is the container's user: a program without its own ``user=`` runs as the supervisor, which
    runs as the container user (``USER django`` in the image), not as root.  ``name`` is the container's (a
    compose service, a Kubernetes container): the name of a launch that is the container's own command (the
    CMD s6-overlay's ``/init`` runs).
    """
    import importlib

    built = Built()
    context = resolver.context if isinstance(resolver, DockerResolver) else None
    if not tokens:
        return built
    try:
        starts = supervisor_starts(tokens, origin, resolver)
    except Exception:  # noqa: BLE001 - a supervisor we cannot read must not break the container launch
        return built
    plain_env = {key: str(value.value) for key, value in env.items() if value.value is not None and value.known}
    for start in starts:
        try:
            module = importlib.import_module(f"hueylint.platforms.{start.kind}")
        except ImportError:
            continue
        builder = getattr(module, "supervised_launches", None)
        if builder is None:
            continue
        config_rel: str | None = None
        if start.kind == "s6":
            config_rel = context if context is not None else None
        elif start.config is not None:
            finder = getattr(module, "find_config", None)
            found = None
            if isinstance(resolver, DockerResolver):
                found = resolver.repo_path(start.config.text)
            if found is None and finder is not None:
                hit = finder(ws, start.config.text, start.config.loc)
                found = getattr(hit, "rel", hit)
            config_file = getattr(resolver, "config_file", None)
            if found is None and config_file is not None:  # a host unit's: below its working folder, or by name
                found = config_file(start.config.text, start.config.loc)
            packaged = getattr(module, "packaged_config", None)
            if found is None and not (packaged is not None and packaged(start.config.text)):
                continue  # a config we cannot find: claim nothing rather than guess
            config_rel = found  # None for the distribution's packaged config: its includes, as without -c
        if claim and config_rel is not None and start.kind != "s6":
            built.claims.add(config_rel)
        # the runner's options and names, and where they are written
        extra: dict[str, Any] = {"argv": start.argv, "where": start.loc} if start.kind == "procfile" else {}
        if start.kind == "s6" and len(start.words) > 1 and start.words[0].text == "/init":
            # s6-overlay runs its arguments as the CMD
            extra = {"cmd": start.words[1:], "resolver": resolver, "name": name}
        try:
            part: Built = builder(ws, project, config_rel, [hop, *start.hops], unit, plain_env, **extra)
        except TypeError:
            continue
        built.claims |= part.claims
        for launch in part.launches:
            if user is not None and launch.user is not None and launch.user.value is None and \
                    launch.user.loc.is_default:
                launch.user = user  # the supervisor's own user is the container's
            launch.wrappers[:0] = list(start.wrappers)
            record_env(launch, env, origin, under=True)  # the supervisor's programs inherit the container's
            launch.choices = tuple(start.choices) + tuple(launch.choices)
            launch.collects_logs = True
            built.launches.append(launch)
    return built
