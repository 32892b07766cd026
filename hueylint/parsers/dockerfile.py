"""Dockerfiles (dockerfile-parse) into stages with what a launch needs.

``FROM <stage>`` inherits ``STOPSIGNAL``, ``ENTRYPOINT``, ``CMD``, ``USER``,
``WORKDIR`` and ``ENV`` from the earlier stage; ``COPY`` lines are kept so a
container path (``/entrypoint``) can be mapped back to the repo file.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
from dataclasses import field

from hueylint.locations import Loc
from hueylint.model import Val
from hueylint.numerals import whole_number
from hueylint.parsers import ParseError
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile
from hueylint.words import split

#: The instructions BuildKit's Dockerfile frontend knows (``instructions/parse.go``, ``ParseInstruction``): any
#: other fails the whole build with "unknown instruction: X", whichever stage is built.
INSTRUCTIONS = frozenset({"FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
                          "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"})

#: the shell Docker runs a shell-form RUN, CMD or ENTRYPOINT with when no ``SHELL`` instruction sets one (Linux)
DEFAULT_SHELL = ("/bin/sh", "-c")


@dataclass(frozen=True)
class Command:
    """ENTRYPOINT or CMD: exec form (a JSON list) or shell form (a string run by ``/bin/sh -c``).

    ``not_json`` is set on a shell form written like an exec form (it starts with ``[`` but is no JSON
    array: single quotes, a trailing comma, an unquoted ``$VAR``): why JSON refused it.  Docker runs such
    text with ``/bin/sh -c``; ``intended`` holds the words the author meant (read leniently).
    """

    words: tuple[str, ...]
    shell_form: bool
    loc: Loc
    raw: str
    not_json: str = ""
    intended: tuple[str, ...] = ()


@dataclass(frozen=True)
class Copy:
    """A ``COPY``/``ADD``: ``sources`` are build-context paths, or with ``--from`` paths from the root of
    another stage's (or image's) filesystem; ``source`` is that earlier stage when ``from_stage`` names one
    (by name, or by index: ``--from=0``), None for an image or a plain COPY."""

    sources: tuple[str, ...]
    dest: str
    workdir: str
    from_stage: str | None
    loc: Loc
    source: "Stage | None" = field(default=None, compare=False, repr=False)

    @property
    def target(self) -> str:
        """``dest`` as an absolute, normalised path in the image: a relative one is against the ``WORKDIR`` it
        was written under (``/`` when none: Docker's default), as Docker resolves it."""
        return posixpath.normpath(self.dest if self.dest.startswith("/") else posixpath.join(self.workdir or "/", self.dest))


@dataclass(frozen=True)
class Run:
    """A ``RUN`` instruction: ``text`` is its shell code (the exec form's words joined, each quoted) with the
    stage's known ARG/ENV values substituted, ``workdir`` the ``WORKDIR`` it runs in."""

    text: str
    workdir: str
    loc: Loc
    # (path in the image, build-context path) of each ``--mount=type=bind`` of the build context the RUN reads
    # (``--mount=type=bind,source=worker/requirements.txt,target=/tmp/requirements.txt``): the path absolute, against
    # the RUN's working folder; the context's root when ``source`` is left out; a mount ``from=`` a stage or an image
    # is none of the context's
    binds: tuple[tuple[str, str], ...] = ()


@dataclass
class Stage:
    """One build stage of a Dockerfile (``FROM`` to the next): its base image, the ``ENTRYPOINT``,
    ``CMD``, ``STOPSIGNAL``, ``USER``, ``WORKDIR`` and ``ENV`` in force at its end, its ``COPY``/``ADD``
    and ``RUN`` instructions."""

    index: int
    name: str | None
    base: str
    loc: Loc
    entrypoint: Command | None = None
    cmd: Command | None = None
    stopsignal: Val[str] | None = None
    user: Val[str] | None = None
    workdir: str = "/"
    env: dict[str, Val[str]] = field(default_factory=dict)
    copies: list[Copy] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    parent: "Stage | None" = None
    args: dict[str, str] = field(default_factory=dict)
    # the ``SHELL`` shell-form RUN, CMD and ENTRYPOINT run with (Docker's default ``/bin/sh -c``; a later
    # ``FROM <stage>`` inherits it, as it inherits CMD)
    shell: tuple[str, ...] = DEFAULT_SHELL
    # ``env`` is the container's whole environment: the platform running the image sets every other variable
    # it passes in the repository (a compose service, a Kubernetes container: :func:`hueylint.platforms.docker.with_env`)
    env_complete: bool = False
    # (container path, repo-relative source; "" when outside the repository) of each bind mount or volume the
    # platform puts over the image's files (compose ``volumes:``): what a script reads there is the source
    mounts: tuple[tuple[str, str], ...] = ()


@dataclass
class Dockerfile:
    """A parsed Dockerfile: its stages in order (the last one is what ``docker build`` builds without
    ``--target``)."""

    source: SourceFile
    stages: list[Stage]

    def stage(self, target: str | None) -> Stage | None:
        if not self.stages:
            return None
        if target is None:
            return self.stages[-1]
        for stage in self.stages:
            if stage.name and stage.name.lower() == target.lower():
                return stage
        return None


_VAR = lazy_pattern(r"\$(?:\{(\w+)(?::?[-+][^}]*)?\}|(\w+))")


def _substitute(text: str, known: dict[str, str]) -> str:
    def repl(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return known.get(name, match.group(0))
    return _VAR.sub(repl, text)


def _command(value: str, loc: Loc, instruction: str) -> Command:
    """Docker's reading (BuildKit ``parseMaybeJSON``/``parseJSON``): text starting with ``[`` that is, as a
    whole, a JSON array of strings is the exec form; an array holding anything else fails the build
    (:class:`ParseError`); any other text is the shell form, run by ``/bin/sh -c``.  Current BuildKit
    decodes the rest of the line with ``json.Unmarshal``, so text after the closing ``]`` (a trailing
    ``# comment``, a stray ``,``) makes the whole line a shell form (older builders read only the first
    JSON value and ignored the rest)."""
    text = value.strip()
    if text.startswith("["):
        try:
            words, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError as exc:
            return Command((text,), True, loc, text, not_json=_json_problem(text, exc),
                           intended=tuple(_lenient_words(text)))
        except RecursionError:  # arrays nested beyond Python's stack: not an array of strings either
            raise ParseError(f"{instruction}: JSON array nested too deeply", loc.line, loc.col) from None
        strings = isinstance(words, list) and all(isinstance(word, str) for word in words)
        if strings and text[end:].strip():
            return Command((text,), True, loc, text, not_json=f"text after the closing `]`: `{text[end:].strip()}`",
                           intended=tuple(words))
        if strings:
            return Command(tuple(words), False, loc, text)
        raise ParseError(f"{instruction}: when using JSON array syntax, arrays must be comprised of strings "
                         "only (docker build fails)", loc.line, loc.col)
    return Command((text,), True, loc, text)


def _json_problem(text: str, exc: json.JSONDecodeError) -> str:
    """What makes an exec-form-looking text invalid JSON, in the user's terms."""
    if "'" in text and '"' not in text.split("'", 1)[0]:
        return "single quotes; JSON strings take double quotes"
    if re.search(r",\s*\]", text):
        return "a comma before `]`"
    if re.search(r"[\[,]\s*\$", text):
        return "an unquoted variable"
    return f"{exc.msg.lower()} at column {exc.colno}"


_LENIENT_ITEM = lazy_pattern(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^,\s\]][^,\]]*)')


def _lenient_words(text: str) -> list[str]:
    """The words of ``['a', "b", c,]``: what an exec form written with the usual slips meant."""
    words: list[str] = []
    for match in _LENIENT_ITEM.finditer(text[1:].split("]", 1)[0] if "]" in text else text[1:]):
        double, single, bare = match.groups()
        if double is not None:
            try:
                words.append(json.loads(f'"{double}"'))
            except json.JSONDecodeError:
                words.append(double)
        else:
            words.append(single if single is not None else bare.strip())
    return [word for word in words if word]


def _kv_pairs(value: str) -> dict[str, str]:
    words = split(value)
    pairs: dict[str, str] = {}
    if words and "=" not in words[0]:
        pairs[words[0]] = " ".join(words[1:])  # legacy `ENV KEY value`
        return pairs
    for word in words:
        key, _, val = word.partition("=")
        pairs[key] = val
    return pairs


#: a BuildKit here-document (``<<EOF``, ``<<-"EOF"``); bash's here-string ``<<<word`` is none (BuildKit's
#: heredoc pattern refuses a word holding ``<``)
_HEREDOC = lazy_pattern(r"(?<!<)<<(?!<)(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")


def blank_heredocs(text: str) -> str:
    """Empty the bodies of ``RUN <<EOF`` / ``COPY <<EOF /x`` heredocs, keeping line numbers.

    dockerfile-parse does not know BuildKit heredocs and would read each body line as an
    instruction (a body line ``CMD ...`` would become the image's CMD).
    """
    lines = text.split("\n")
    out: list[str] = []
    pending: list[tuple[str, bool]] = []
    for line in lines:
        if pending:
            word, strip_tabs = pending[0]
            out.append("")
            if (line.lstrip("\t") if strip_tabs else line).strip() == word:
                pending.pop(0)
            continue
        out.append(line)
        stripped = line.lstrip()
        if stripped[:1] != "#" and stripped.split(" ", 1)[0].upper() in ("RUN", "COPY", "ADD") or (
                out and len(out) > 1 and out[-2].rstrip().endswith(("\\", "`"))):
            for match in _HEREDOC.finditer(line):
                pending.append((match.group(3), match.group(1) == "-"))
    return "\n".join(out)


def _shell_words(value: str) -> tuple[str, ...] | None:
    """``SHELL ["/bin/bash", "-o", "pipefail", "-c"]``'s words; None when not a JSON array of strings (the
    build refuses it: "SHELL requires the arguments to be in JSON form")."""
    try:
        words = json.loads(value)
    except (json.JSONDecodeError, RecursionError):
        return None
    if not isinstance(words, list) or not words or not all(isinstance(word, str) for word in words):
        return None
    return tuple(words)


def parse(src: SourceFile) -> Dockerfile:
    from dockerfile_parse import DockerfileParser

    try:
        parser = DockerfileParser(fileobj=io.BytesIO(blank_heredocs(src.text).encode("utf-8")))
        structure = parser.structure
    except Exception as exc:  # noqa: BLE001 - dockerfile-parse raises assorted errors on odd input
        raise ParseError(f"dockerfile-parse failed: {exc}", 1) from None
    stages: list[Stage] = []
    last_named: dict[str, Stage] = {}  # the stages by name (lower case): the last of a name, the first
    first_named: dict[str, Stage] = {}
    global_args: dict[str, str] = {}
    current: Stage | None = None
    # the stage's ARG and ENV values for substitution (ENV wins), kept up to date instruction by instruction:
    # rebuilding it for every instruction was quadratic (60,000 ENV lines took two minutes)
    known: dict[str, str] = {}
    for item in structure:
        instruction = item["instruction"].upper()
        line = item["startline"] + 1
        raw_line = src.line(line)
        col = len(raw_line) - len(raw_line.lstrip()) + 1
        loc = Loc(src.rel, line, col, item["endline"] + 1, len(src.line(item["endline"] + 1)) + 1)
        value = item["value"]
        if instruction == "COMMENT":
            continue
        if instruction not in INSTRUCTIONS:
            written = raw_line.split(None, 1)[0] if raw_line.strip() else item["instruction"]
            raise ParseError(f"unknown instruction `{written}`: the build fails (\"unknown "
                             f"instruction\"), so no image is made from this Dockerfile", line, col)
        if instruction == "FROM":
            words = _substitute(value, global_args).split()
            words = [word for word in words if not word.startswith("--")]
            if not words:
                raise ParseError("FROM without an image", line, col)
            base = words[0]
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            parent = last_named.get(base.lower())
            current = Stage(len(stages), name, base, loc, parent=parent)
            current.args = dict(parent.args) if parent is not None else {}
            if parent is not None:
                current.entrypoint, current.cmd = parent.entrypoint, parent.cmd
                current.stopsignal, current.user, current.workdir = parent.stopsignal, parent.user, parent.workdir
                current.shell = parent.shell
                current.env = dict(parent.env)
                current.copies = list(parent.copies)
                current.runs = list(parent.runs)
            stages.append(current)
            if name:  # (a lookup by name in the list was quadratic: 20,000 stages took 30 s)
                last_named[name.lower()] = current
                first_named.setdefault(name.lower(), current)
            known = {**current.args, **{k: v.value or "" for k, v in current.env.items()}}
            continue
        if current is None:
            if instruction == "ARG":
                global_args.update({k: v for k, v in _kv_pairs(value).items() if v})
                continue
            raise ParseError(f"{instruction} before the first FROM", line, col)
        if instruction in ("STOPSIGNAL", "USER", "WORKDIR") and not value.strip():
            # BuildKit reads the rest of the line as the one argument (parseString): none fails the build
            raise ParseError(f"{instruction} requires exactly one argument", line, col)
        if instruction == "STOPSIGNAL" and len(value.split()) > 1:
            # ... and several words are one signal name that no signal has (dockerfile2llb's dispatchStopSignal
            # parses it with signal.ParseSignal: "Invalid signal")
            raise ParseError(f"STOPSIGNAL `{value.strip()}` is not one signal: BuildKit reads the whole line as the "
                             "signal's name and the build fails (\"Invalid signal\")", line, col)
        if instruction == "ENTRYPOINT":
            current.entrypoint = _command(value, loc, instruction)
            current.cmd = None  # setting ENTRYPOINT resets an inherited CMD
        elif instruction == "CMD":
            current.cmd = _command(value, loc, instruction)
        elif instruction == "SHELL":
            current.shell = _shell_words(value) or current.shell
        elif instruction == "STOPSIGNAL":
            current.stopsignal = Val(_substitute(value.strip(), known), loc)
        elif instruction == "USER":
            current.user = Val(_substitute(value.strip(), known), loc)
        elif instruction == "WORKDIR":
            path = _substitute(value.strip(), known)
            # a relative path is relative to the previous WORKDIR (`WORKDIR .` keeps it): normalised as Docker does
            current.workdir = posixpath.normpath(path if path.startswith("/") else f"{current.workdir.rstrip('/')}/{path}")
        elif instruction == "ENV":
            pairs = _kv_pairs(value)
            for key, val in pairs.items():  # every value substituted with the values before this instruction
                current.env[key] = Val(_substitute(val, known), loc)
            known.update({key: current.env[key].value or "" for key in pairs})
        elif instruction == "ARG":
            names: list[str] = []
            for word in split(value):
                key, eq, val = word.partition("=")
                if eq:
                    current.args[key] = _substitute(val, known)
                    names.append(key)
                elif key in global_args:
                    current.args[key] = global_args[key]  # `ARG NAME` brings a global default into the stage
                    names.append(key)
            known.update({key: current.args[key] for key in names if key not in current.env})
        elif instruction in ("COPY", "ADD"):
            words = split(value) if not value.lstrip().startswith("[") else value.split()
            from_stage = None
            words_clean = []
            for word in words:
                if word.startswith("--from="):
                    from_stage = word.split("=", 1)[1]
                elif not word.startswith("--"):
                    words_clean.append(word)
            if words_clean and words_clean[0].startswith("["):
                try:
                    words_clean = json.loads(" ".join(words_clean))
                except json.JSONDecodeError:
                    pass
                except RecursionError:
                    raise ParseError(f"{instruction}: JSON array nested too deeply", line, col) from None
            if any(word.startswith("<<") for word in words_clean):
                continue  # heredoc content: not a repo file
            if len(words_clean) >= 2:
                current.copies.append(Copy(tuple(_substitute(w, known) for w in words_clean[:-1]),
                                           _substitute(words_clean[-1], known),
                                           current.workdir, from_stage, loc, _earlier_stage(stages, from_stage, first_named)))
        elif instruction == "RUN":
            run = _run_text(value)
            if run:
                binds = tuple((target, _substitute(source, known))
                              for target, source in _run_binds(value, current.workdir))
                current.runs.append(Run(_substitute(run, known), current.workdir, loc, binds))
    if not stages:
        raise ParseError("no FROM instruction: not a Dockerfile", 1)
    return Dockerfile(src, stages)


def _earlier_stage(stages: list[Stage], name: str | None, first_named: dict[str, Stage]) -> Stage | None:
    """The stage ``COPY --from=name`` copies from: an earlier stage by name (case-insensitive, as BuildKit
    matches them; ``first_named``: the first stage of each name, lower case) or by index; None for an image
    reference."""
    if not name:
        return None
    stage = first_named.get(name.lower())
    if stage is not None and stages and stage is not stages[-1]:
        return stage
    index = whole_number(name)
    if index is not None and index < len(stages) - 1:
        return stages[index]
    return None


def _run_binds(value: str, workdir: str) -> list[tuple[str, str]]:
    """The build-context bind mounts of a RUN's ``--mount`` flags (``type=bind`` is BuildKit's default type), as
    :attr:`Run.binds` holds them."""
    binds: list[tuple[str, str]] = []
    text = value.strip()
    while text.startswith("--"):
        flag, _, text = text.partition(" ")
        text = text.lstrip()
        if not flag.startswith("--mount="):
            continue
        options = dict(part.partition("=")[::2] for part in flag[len("--mount="):].split(",") if part)
        target = options.get("target") or options.get("dst") or options.get("destination")
        if options.get("type", "bind") != "bind" or "from" in options or not target:
            continue
        target = target.strip("'\"")
        binds.append((posixpath.normpath(target if target.startswith("/") else posixpath.join(workdir or "/", target)),
                      (options.get("source") or options.get("src") or ".").strip("'\"")))
    return binds


def _run_text(value: str) -> str:
    """A RUN's shell code: its ``--mount``/``--network``/``--security`` flags dropped, the exec form's words
    quoted back into one command; "" for a heredoc (its body is blanked, see :func:`blank_heredocs`)."""
    text = value.strip()
    while text.startswith("--"):
        flag, _, text = text.partition(" ")
        text = text.lstrip()
    if text.startswith("["):
        try:
            words = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            return text
        if isinstance(words, list) and all(isinstance(word, str) for word in words):
            import shlex

            return shlex.join(words)
    return "" if text.startswith("<<") else text


def shell_words(command: Command) -> list[str]:
    return ["/bin/sh", "-c", command.words[0]] if command.shell_form else list(command.words)


def effective_argv(stage: Stage) -> tuple[list[str], Command | None, Command | None]:
    """Docker's rule: exec-form ENTRYPOINT + CMD as arguments; shell-form ENTRYPOINT ignores CMD."""
    entry, cmd = stage.entrypoint, stage.cmd
    if entry is not None and entry.shell_form:
        return shell_words(entry), entry, None
    words: list[str] = []
    if entry is not None:
        words += list(entry.words)
    if cmd is not None:
        words += shell_words(cmd)
    return words, entry, cmd

