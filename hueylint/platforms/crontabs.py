"""Crontabs a script or a Dockerfile installs, whose lines start the consumer.

A crontab file of the repository is known by its name (:func:`hueylint.unmodelled_supervisors.cron_file`) and gets
a notice in discovery.  The same crontab is as often written by the code that deploys it, where no file name says
what it is:

* ``crontab - <<EOF ... EOF`` (also ``crontab <<EOF``: crontab(1) reads the standard input without a file
  operand), ``echo '@reboot huey_consumer app.huey' | crontab -``, ``(crontab -l; echo '...') | crontab -``,
  ``printf '...\\n' | crontab -``, ``cat <<EOF | crontab -``: the lines are the here-document or what the commands
  before it in the pipeline write;
* ``crontab FILE`` (``crontab -u app FILE``, ``cat FILE | crontab -``): FILE's lines, a file of the repository
  found by its path (a Dockerfile's ``COPY`` into the image, a path below the script's folder or the repository's
  root, a unique file name);
* a Dockerfile's ``COPY FILE /etc/cron.d/NAME`` (or ``/etc/crontab``, ``/var/spool/cron/crontabs/USER``);
* lines written into such a file: ``echo '* * * * * root huey_consumer app.huey' >> /etc/crontab``, ``cat >
  /etc/cron.d/huey <<EOF``, ``{ echo ...; } > /etc/cron.d/huey``, ``echo ... | sudo tee -a /etc/crontab``.

``crontab -l``/``-r``/``-e`` list, remove or edit and install nothing.  What cron does with the consumer
(started once at boot, or anew at every match of its schedule; nothing restarts or stops it gracefully) is the
crontab file's notice (:func:`hueylint.unmodelled_supervisors.cron_how`); here it is said at the line of the
script or Dockerfile that writes the consumer command, or at the installed file's line.  Every script and
Dockerfile of the repository is read, whether a launch runs it or it is run by hand (a provisioning script).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from hueylint.discovery import Notice
from hueylint.hueyfacts import CONSUMER_WORD
from hueylint.locations import Loc
from hueylint.model import Project
from hueylint.parsers.dockerfile import Dockerfile, Stage
from hueylint.platforms.docker import load
from hueylint.script_lookup import find_file, is_shell_script, parse_script
from hueylint.shell import Command, Word
from hueylint.sources import SourceFile
from hueylint.unmodelled_supervisors import (
    CRON_UNCHECKED,
    INSTALLED_BY_SCRIPT,
    cron_entry,
    cron_file,
    cron_how,
    cron_notice,
)
from hueylint.workspace import Workspace

#: crontab(1) options that take a value (``-u USER``), and those with which it installs nothing (list, remove, edit,
#: test, version; cronie's ``-c``/``-x``)
_VALUED = frozenset({"-u"})
_NOT_INSTALLING = frozenset("lreTVcx")
#: where cron reads crontabs in an image: the system crontab, ``cron.d`` files, the users' spool
_CRON_PLACES = ("/etc/cron.d/", "/var/spool/cron/")


def follow_up(ws: Workspace, project: Project, claimed: set[str]) -> None:
    """Say, for every crontab a script or a Dockerfile of the repository installs, the first line whose command
    names a consumer (:mod:`hueylint.platforms.crontabs`)."""
    for src in _scripts(ws):
        script = parse_script(src.text)
        if script is not None:
            _commands(ws, src.rel, script.commands, lambda word_line: word_line, "", None)
    for src in ws.of_format("dockerfile"):
        dockerfile = load(ws, src)
        if dockerfile is not None:
            _dockerfile(ws, src, dockerfile)


def _scripts(ws: Workspace) -> list[SourceFile]:
    """The repository's shell scripts that name ``crontab`` or a cron folder: ``.sh``/``.bash`` files and the
    scripts launches ran."""
    rels = {src.rel for src in ws.of_format("script")} | set(ws.followed_scripts)
    found = []
    for rel in sorted(rels):
        src = ws.file(rel)
        if src is not None and "cron" in src.text and is_shell_script(src):
            found.append(src)
    return found


def _dockerfile(ws: Workspace, src: SourceFile, dockerfile: Dockerfile) -> None:
    seen: set[Loc] = set()
    for stage in dockerfile.stages:
        for run in stage.runs:
            if run.loc in seen or "cron" not in run.text:
                continue
            seen.add(run.loc)  # (a stage built `FROM` another lists its parent's runs too)
            script = parse_script(run.text)
            if script is None:
                continue
            first = run.loc.line

            def at_line(_: int, first: int = first, last: int = run.loc.end_line) -> int:
                # a RUN's code is its lines joined: the consumer word's line is found in the file
                return next((number for number in range(first, last + 1) if CONSUMER_WORD.search(src.line(number))),
                            first)

            _commands(ws, src.rel, script.commands, at_line, run.workdir, (stage, posixpath.dirname(src.rel)),
                      line_of_command=first)
        for copy in stage.copies:
            if copy.loc in seen or copy.from_stage or len(copy.sources) != 1:
                continue
            seen.add(copy.loc)
            target = copy.target
            if not (target == "/etc/crontab" or target.startswith(_CRON_PLACES)) or copy.dest.endswith("/"):
                continue
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(src.rel), copy.sources[0])).lstrip("/")
            _installed_file(ws, rel, f"copied to `{target}` by {src.rel} line {copy.loc.line}")


def _commands(ws: Workspace, rel: str, commands: Iterable[Command], line_of, workdir: str,
              image: tuple[Stage, str] | None, line_of_command: int = 0) -> None:
    """The crontab installs among ``commands`` of the file ``rel``: ``line_of`` turns a line of the code into the
    file's (a Dockerfile ``RUN``'s code is one line); ``image``: the stage and build context of a ``RUN``."""
    listed = list(commands)
    for command in listed:
        argv = _unprefixed(command)
        name = argv[0].text.rsplit("/", 1)[-1] if argv else ""
        where = line_of_command or command.line
        places = [path for path in command.writes if _cron_place(path)]
        if places and name in _WRITERS:  # `echo '...' > /etc/cron.d/huey`, `cat > /etc/crontab <<EOF`
            how = f"writing `{places[0]}`"
            _say(ws, rel, _written(ws, rel, command, workdir, image, where, how), how, where, line_of)
            continue
        if name == "tee":  # `echo '...' | tee -a /etc/crontab`
            files = [word.text for word in argv[1:] if word.literal and _cron_place(word.text)]
            if files:
                how = f"writing `{files[0]}`"
                _say(ws, rel, _stdin_texts(ws, rel, command, listed, workdir, image, where, how), how, where, line_of)
            continue
        if name != "crontab":
            continue
        operand = _operand(argv)
        if operand is None:
            continue
        written = " ".join(word.text for word in argv[:4])
        if operand not in ("", "-"):
            _installed_file(ws, _repo_file(ws, rel, operand, workdir, image, where),
                            f"installed by `{written}` in {rel} line {where}")
            continue
        how = f"`{written}`"
        _say(ws, rel, _stdin_texts(ws, rel, command, listed, workdir, image, where, how), how, where, line_of)


#: commands whose output, redirected into a cron file, is its lines
_WRITERS = frozenset({"echo", "printf", "cat"})


def _cron_place(path: str) -> bool:
    """Is ``path`` (in the image or on the host) a file cron reads: the system crontab, a ``cron.d`` file, a user's
    spool file?"""
    return path == "/etc/crontab" or path.startswith(_CRON_PLACES)


def _say(ws: Workspace, rel: str, texts: list[tuple[str, int]], how: str, where: int, line_of) -> None:
    """The notice of the first of ``texts`` (:func:`_stdin_texts`) with a crontab line that starts a consumer."""
    for text, line in texts:
        entry = cron_entry(text)
        if entry is None:
            continue
        number, _, word, when = entry
        spot = line_of(line + number - 1 if line > 0 else -line)
        ws.say(Notice(rel, f"line {spot}: `{word}` {INSTALLED_BY_SCRIPT} {how} (line {where}), "
                           f"{CRON_UNCHECKED} ({cron_how(when)})"))
        return


#: programs that run the command after them as another user (``sudo -u app crontab -``), and their options that
#: take a value
_AS_USER = frozenset({"sudo", "doas"})
_AS_USER_VALUED = frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"})


def _unprefixed(command: Command) -> tuple[Word, ...]:
    """The command's words after ``exec`` and ``sudo``/``doas`` with their options: the program it runs."""
    words = command.argv
    while words and words[0].text.rsplit("/", 1)[-1] in _AS_USER:
        index = 1
        while index < len(words) and words[index].text.startswith("-") and words[index].text != "--":
            index += 2 if words[index].text in _AS_USER_VALUED else 1
        words = words[index + (1 if index < len(words) and words[index].text == "--" else 0):]
    return words


def _operand(argv: tuple[Word, ...]) -> str | None:
    """The file operand of a ``crontab`` command line (``""`` or ``-``: the standard input); None when it installs
    nothing (``-l``, ``-r``, ``-e``) or its operand is not known (an expansion)."""
    words = [word.text for word in argv[1:]]
    index = 0
    while index < len(words) and words[index].startswith("-") and words[index] != "-":
        option = words[index]
        if option in _VALUED:
            index += 2
            continue
        if not option.startswith("--") and _NOT_INSTALLING & set(option[1:]):
            return None
        index += 1
    if index >= len(words):
        return ""
    operand = argv[1 + index]
    return operand.text if operand.literal or operand.text == "-" else None


def _stdin_texts(ws: Workspace, rel: str, command: Command, commands: list[Command], workdir: str,
                 image: tuple[Stage, str] | None, where: int, how: str) -> list[tuple[str, int]]:
    """(text, its first line in the file) of what ``command`` reads on its standard input: its here-document or
    here-string, else what the commands before it in its pipeline write (:func:`_written`)."""
    if command.stdin is not None:
        return [(command.stdin.text, command.stdin.line)]
    found: list[tuple[str, int]] = []
    for other in commands:
        if command.pipes and other.seq < command.seq and any(
                (pipe, part) in other.pipes for pipe, mine in command.pipes for part in range(mine)):
            found += _written(ws, rel, other, workdir, image, where, how)
    return found


def _written(ws: Workspace, rel: str, command: Command, workdir: str, image: tuple[Stage, str] | None, where: int,
             how: str) -> list[tuple[str, int]]:
    """(text, its first line in the file) of what ``command`` writes: ``echo``/``printf`` words (one text, whose line
    is given negated: the line of the word naming the consumer, wherever the text's line breaks, ``\\n``, fall),
    ``cat``'s here-document; a repository file ``cat`` prints gets the notice itself (installed by ``how``)."""
    argv = _unprefixed(command)
    name = argv[0].text.rsplit("/", 1)[-1] if argv else ""
    words = list(argv[1:])
    if name in ("echo", "printf"):
        while words and name == "echo" and words[0].text in ("-e", "-n", "-E", "-ne", "-en"):
            words = words[1:]
        if not words:
            return []
        text = " ".join(word.text for word in words).replace("\\n", "\n")
        named = next((word for word in words if CONSUMER_WORD.search(word.text)), words[0])
        return [(text, -named.line)]
    found: list[tuple[str, int]] = []
    if name == "cat":
        if command.stdin is not None:
            found.append((command.stdin.text, command.stdin.line))
        for word in words:
            if word.literal and not word.text.startswith("-"):
                _installed_file(ws, _repo_file(ws, rel, word.text, workdir, image, where),
                                f"installed by `cat {word.text}` and {how} in {rel} line {where}")
    return found


def _repo_file(ws: Workspace, rel: str, path: str, workdir: str, image: tuple[Stage, str] | None,
               line: int) -> str | None:
    """The repository file a path of the script or image names: what a Dockerfile ``COPY`` put there, else by path
    or unique name (:func:`hueylint.script_lookup.find_file`)."""
    if image is not None:
        stage, context = image
        absolute = posixpath.normpath(path if path.startswith("/") else posixpath.join(workdir or "/", path))
        for copy in reversed(stage.copies):
            if copy.from_stage:
                continue
            for source in copy.sources:
                into = copy.dest.endswith("/") or len(copy.sources) > 1
                target = posixpath.join(copy.target, posixpath.basename(source.rstrip("/"))) if into else copy.target
                if target == absolute:
                    return posixpath.normpath(posixpath.join(context, source)).lstrip("/")
                if absolute.startswith(target.rstrip("/") + "/"):  # a folder copied whole
                    return posixpath.normpath(posixpath.join(context, source, absolute[len(target):].lstrip("/")))
    return find_file(ws, path, Loc(rel, line, 1), workdir)


def _installed_file(ws: Workspace, rel: str | None, installed: str) -> None:
    """The notice of the repository file ``rel`` installed as a crontab (``installed``: by what), unless its name
    already makes it one (discovery says its notice)."""
    if rel is None or not ws.exists(rel) or cron_file(tuple(rel.split("/"))):
        return
    src = ws.file(rel)
    reason = cron_notice(src.text, installed) if src is not None else None
    if reason is not None:
        ws.say(Notice(rel, reason))
