"""supervisord: ``[program:x]`` launches with stopsignal, stopwaitsecs and friends.

supervisord runs ``command`` itself (split like ``shlex.split``, no shell), so
``$VAR`` reaches the consumer literally (HL204) while ``%(ENV_VAR)s`` is
expanded from supervisord's own environment.  On stop it sends ``stopsignal``
(TERM by default) and SIGKILLs after ``stopwaitsecs`` (10 s by default).

One configuration file and the files its ``[include] files=`` globs name form
one deployment unit (supervisord reads includes one level deep, relative to
the main file).  When supervisord is a container's PID 1 the container
platform calls :func:`supervised_launches` with its own stop hop as ``outer``;
configurations it used are *claimed* and not reported again as host launches
by :func:`build`.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import field, replace
from functools import partial
from pathlib import PurePosixPath

from hueylint.chain import Token, base, resolve
from hueylint.discovery import Notice
from hueylint.environment import record, unknown_if_interpolated
from hueylint.formats import template_base
from hueylint.launch_facts import SupervisordFacts
from hueylint.launches import make_launch, named_for_huey, unfollowed_named_launch
from hueylint.locations import Loc
from hueylint.model import Hop, Launch, Project, Val
from hueylint.parsers.supervisord import (
    IniFile,
    Option,
    Section,
    expand,
    parse_bool,
    parse_environment,
    parse_ini,
)
from hueylint.platforms import Built, HostUnit
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.script_lookup import find_script, is_shell_script
from hueylint.signals import normalize_signal
from hueylint.sources import SourceFile
from hueylint.words import SHELLS, clipped, shell_words, split_with_spans, templated
from hueylint.workspace import Workspace, leads_outside

DEFAULT_STOPWAITSECS = 10.0
#: ``$VAR`` / ``${VAR}`` as people write environment variables; ``$$`` and lower-case words are left alone
SHELL_VAR = lazy_pattern(r"(?<!\$)\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)[^}]*\}|(?P<plain>[A-Z_][A-Z0-9_]*)(?![a-z0-9]))")
SUPERVISORD_SIGNALS = {"TERM", "HUP", "INT", "QUIT", "KILL", "USR1", "USR2"}


# -- loading ------------------------------------------------------------------------------------

def load_ini(ws: Workspace, src: SourceFile) -> IniFile | None:
    """Parse once per run; HL001 (with the line and column) when supervisord would refuse the file.  An Ansible
    role's template is read as its task renders it (:func:`_rendered`)."""
    shown = _rendered(ws, src) if "{{" in src.text and template_base(src.rel) is not None else src
    return ws.parsed("supervisord" if shown is src else "supervisord:ansible", shown, parse_ini)


def _rendered(ws: Workspace, src: SourceFile) -> SourceFile:
    """An Ansible role's supervisord template with the variables its installing task sees filled in
    (:func:`hueylint.platforms.ansible_vars.renderings`), what was not followed said in a notice.  A template that
    a loop renders differently per item is one file here, its programs read once: it is read as written, and
    said."""
    from hueylint.platforms import ansible_vars  # (a template only: 6 ms of a run's start-up otherwise)

    renderings = ansible_vars.renderings(ws, src.rel, src.text)
    if not renderings:
        return src
    for rendering in renderings:
        ansible_vars.say_unfollowed(ws, src.rel, rendering, ansible_vars.template_origin(rendering.task))
    texts = {rendering.text for rendering in renderings}
    if len(texts) > 1:
        ws.say(Notice(src.rel, f"the tasks installing this template render it {len(texts)} ways (a loop's items); "
                               "its placeholders are read as written, unknown"))
        return src
    text = texts.pop()
    return src if text == src.text else SourceFile(src.path, src.rel, text, src.format, src.bom)


@dataclass
class Config:
    """A main configuration file with its includes, sections merged as supervisord merges them."""

    main: SourceFile
    files: list[IniFile] = field(default_factory=list)
    sections: dict[str, list[Section]] = field(default_factory=dict)  # name -> parts, in read order
    _groups: dict[str, str] | None = field(default=None, repr=False, compare=False)  # group_of's memo

    @property
    def rels(self) -> list[str]:
        return [ini.source.rel for ini in self.files]

    def programs(self) -> list[str]:
        return [name for name in self.sections if name.split(":", 1)[0].strip() == "program"]

    def option(self, section: str, key: str) -> Option | None:
        """The last assignment of ``key`` across every file that holds ``[section]``."""
        found: Option | None = None
        for part in self.sections.get(section, []):
            if key in part.options:
                found = part.options[key]
        return found

    def first(self, section: str) -> Section | None:
        parts = self.sections.get(section)
        return parts[0] if parts else None

    def group_of(self, program: str) -> str:
        """The name of the first ``[group:x]`` whose ``programs=`` lists ``program``, or ""."""
        if self._groups is None:  # one pass over the sections: a lookup per program was quadratic
            self._groups = {}
            for name in self.sections:
                if name.split(":", 1)[0].strip() != "group":
                    continue
                programs = self.option(name, "programs")
                for member in programs.value.split(",") if programs else []:
                    self._groups.setdefault(member.strip(), name.split(":", 1)[1].strip())
        return self._groups.get(program, "")


def include_patterns(ini: IniFile, ws: Workspace | None = None) -> list[tuple[str, Option]]:
    """The globs of ``[include] files=``; HL001 (when ``ws`` is given) for an include without files."""
    section = ini.section("include")
    option = section.get("files") if section else None
    if option is None:
        if section is not None and ws is not None:
            ws.unparseable(section.source, section.line, section.col,
                           "[include] has no `files =`: supervisord refuses to start")
        return []
    return [(word, option) for word in option.value.split()]


def _glob(ws: Workspace, main: SourceFile, pattern: str) -> list[str]:
    """Repo files an include glob names: relative to the main file, or an absolute path's tail in the repo.

    As supervisord reads it, with :func:`glob.glob` (``options.py``, not recursive): ``*`` never crosses
    ``/``, ``**`` is ``*`` (one folder, not any depth), and a wildcard matches no dot file.  An absolute pattern
    (``/etc/supervisor/conf.d/*.conf``) is a path inside the machine or image:
    its longest tail (at least a folder and a name) that matches repo files is
    used, files near the main config first.
    """
    if templated(pattern) or "$" in pattern or "%(" in pattern:
        return []
    if pattern.startswith("/"):
        parts = [part for part in pattern.split("/") if part]
        folder = posixpath.dirname(main.rel)
        for start in range(max(len(parts) - 1, 0)):
            tail = "/".join(parts[start:])
            found = sorted(rel for rel in ws.sources if PurePosixPath(rel).match(tail))
            if found:
                near = [rel for rel in found if not folder or rel.startswith(folder + "/")]
                return near or found
        return []
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(main.rel), pattern))
    if joined.startswith("../") or joined == "..":
        return []
    joined = "/".join("*" if part == "**" else part for part in joined.split("/"))
    on_disk = set(ws.glob_files(joined))
    on_disk.update(rel for rel in ws.sources if PurePosixPath(rel).match(joined) and
                   rel.count("/") == joined.count("/"))
    return sorted(rel for rel in on_disk if not _hidden(rel, joined))


def _hidden(rel: str, pattern: str) -> bool:
    """glob.glob leaves out a dot file or folder that a wildcard part matched (``conf.d/*.conf`` does not
    include ``conf.d/.old.conf``); only a part written with the dot names one."""
    names, parts = rel.split("/"), pattern.split("/")
    return len(names) == len(parts) and any(name.startswith(".") and not part.startswith(".")
                                            for name, part in zip(names, parts))


def load_config(ws: Workspace, main: SourceFile) -> Config | None:
    return ws.memo(("supervisord-config", main.rel), lambda: _load_config(ws, main))


def _load_config(ws: Workspace, main: SourceFile) -> Config | None:
    root = load_ini(ws, main)
    config: Config | None = None
    if root is not None:
        config = Config(main, [root])
        for pattern, option in include_patterns(root, ws):
            if not pattern.startswith("/") and leads_outside(posixpath.join(posixpath.dirname(main.rel), pattern)):
                ws.not_read_outside(Loc(option.source, option.line, option.col), f"`[include] files = {clipped(pattern)}`",
                                    "the programs it adds are not checked")
            for rel in _glob(ws, main, pattern):
                if rel in config.rels:
                    continue
                src = ws.file(rel)
                ini = load_ini(ws, src) if src is not None else None
                if ini is not None:
                    config.files.append(ini)
        for ini in config.files:
            for section in ini.sections:
                config.sections.setdefault(section.name, []).append(section)
    return config


def _includes(ws: Workspace) -> dict[str, set[str]]:
    """Each supervisord file -> the other files its ``[include]`` globs name."""
    found: dict[str, set[str]] = {}
    for src in ws.of_format("supervisord"):
        ini = load_ini(ws, src)
        found[src.rel] = set() if ini is None else {
            rel for pattern, _option in include_patterns(ini) for rel in _glob(ws, src, pattern) if rel != src.rel}
    return found


def find_config(ws: Workspace, path: str, origin: Loc | None = None) -> SourceFile | None:
    """The repo file for a config path given to ``supervisord -c`` (a container or repo path).

    ``/etc/supervisor/conf.d/app.conf`` -> ``docker/supervisor/app.conf`` (or any repo file whose path
    ends with the longest tail of it); relative paths are tried next to ``origin`` and at the root.
    """
    if not path or "$" in path or templated(path):
        return None
    tries: list[str] = []
    if not path.startswith("/"):
        if origin is not None and origin.path:
            tries.append(posixpath.normpath(posixpath.join(posixpath.dirname(origin.path), path)))
        tries.append(posixpath.normpath(path))
    parts = [part for part in path.split("/") if part and part != "."]
    for start in range(len(parts)):
        tries.append("/".join(parts[start:]))
    for rel in tries:
        if rel.startswith("../"):
            continue
        if ws.exists(rel):
            return ws.file(rel)
    name = parts[-1] if parts else ""
    same_name = sorted(src.rel for src in ws.of_format("supervisord") if posixpath.basename(src.rel) == name)
    if len(same_name) == 1:
        return ws.file(same_name[0])
    return None


# -- launches -----------------------------------------------------------------------------------

def _loc(option: Option) -> Loc:
    return option.value_loc


def _stop_signal(ws: Workspace, option: Option | None) -> Val[str]:
    if option is None:
        return Val.default("TERM", "supervisord default stopsignal")
    if templated(option.value) or "%(" in option.value:
        return Val.unknown_at(_loc(option), f"stopsignal={option.value}")
    signal = normalize_signal(option.value)
    if signal is None or signal not in SUPERVISORD_SIGNALS:
        ws.unparseable(option.source, option.line, option.col,
                       f"stopsignal={option.value} is not a signal supervisord accepts "
                       "(TERM, HUP, INT, QUIT, KILL, USR1, USR2)")
        return Val.unknown_at(_loc(option), f"stopsignal={option.value}")
    return Val(signal, _loc(option))


def _number(ws: Workspace, option: Option | None, default: float, origin: str, env: dict[str, str] | None,
            kind: type = float) -> Val:
    if option is None:
        return Val.default(kind(default), origin)
    text, unknown = expand(option.value, {}, env)
    if unknown or templated(text):
        return Val.unknown_at(_loc(option), f"{option.key}={option.value}")
    try:
        value = int(text.strip())
    except ValueError:
        ws.unparseable(option.source, option.line, option.col,
                       f"{option.key}={option.value} is not an integer")
        return Val.unknown_at(_loc(option), f"{option.key}={option.value}")
    try:
        return Val(kind(value), _loc(option))
    except OverflowError:  # more than 308 digits: supervisord takes it, a deadline that never comes
        if value > 0:
            return Val(float("inf"), _loc(option))
        return Val.unknown_at(_loc(option), f"{option.key}={option.value}")


def _flag(option: Option | None) -> Val[bool] | None:
    if option is None:
        return None
    value = parse_bool(option.value)
    if value is None:
        return Val.unknown_at(_loc(option), f"{option.key}={option.value}")
    return Val(value, _loc(option))


def command_tokens(option: Option, names: dict[str, object], env: dict[str, str] | None) -> list[Token]:
    """The command split as supervisord splits it, each word with its file position, expansions applied."""
    tokens: list[Token] = []
    for word, start, end in split_with_spans(option.value):
        loc = option.loc_at(start, end)
        text, _unknown = expand(word, names, env)
        pieces = text.split() if text != word and "%(" in word and not _unknown else [text]
        tokens.extend(Token(piece, loc) for piece in pieces or [text])
    return tokens


def shell_vars(option: Option, shell_words: bool) -> list[tuple[str, Loc]]:
    """``$VAR``/``${VAR}`` that supervisord passes on literally, with their positions.

    ``shell_words``: for ``command``, stop at a shell (``bash -c '... $X'`` is expanded by that shell).
    """
    limit = len(option.value)
    if shell_words:
        for word, start, _end in split_with_spans(option.value):
            if base(word) in SHELLS or base(word) == "su":
                limit = start
                break
    found: list[tuple[str, Loc]] = []
    if option.key == "environment":
        spans = [(start, end) for _key, _value, start, end in parse_environment(option.value)]
    else:
        spans = [(0, limit)]
    for start, end in spans:
        for match in SHELL_VAR.finditer(option.value, start, end):
            found.append((match.group(0), option.loc_at(match.start(), match.end())))
    return found


@dataclass
class _Resolver:
    """Finds the scripts a supervisord program runs, from the program's working folder and environment."""

    ws: Workspace
    workdir: str
    shell_env: dict[str, str | None] = field(default_factory=dict)  # the program's environment=, for its scripts

    def script(self, word: str, origin: Loc) -> SourceFile | None:
        """As :func:`find_script`, then the path's tails below the config's folder and its parents.

        A deploy folder often holds both (``deploy/supervisor/huey.conf`` runs ``/srv/huey_start``,
        kept as ``deploy/huey_start``).
        """
        found = find_script(self.ws, word, origin, self.workdir)
        if found is not None or not word.startswith("/") or "$" in word or templated(word):
            return found
        parts = [part for part in word.split("/") if part]
        folder = posixpath.dirname(origin.path or "")
        while folder:
            for start in range(len(parts)):
                rel = posixpath.join(folder, *parts[start:])
                if self.ws.exists(rel):
                    src = self.ws.file(rel)
                    if src is not None and is_shell_script(src):
                        return src
            folder = posixpath.dirname(folder)
        return None


def program_launches(ws: Workspace, project: Project, config: Config, name: str, outer: list[Hop], unit: str,
                     env: dict[str, str] | None) -> list[Launch]:
    """The consumer launches of one ``[program:x]`` (merged across files)."""
    section = config.first(name)
    if section is None:
        return []
    program = section.title
    command = config.option(name, "command")
    is_template = ws.memo(("supervisord-template", section.source), lambda: any(  # (Jinja, ERB); once a file: per
        "{{" in line or "{%" in line or "<%" in line  # program it was quadratic (5,000 programs in one file: 14 s)
        for line in ws.file(section.source).lines))  # type: ignore[union-attr]

    def opt(key: str) -> Option | None:
        return config.option(name, key)

    numprocs = _number(ws, opt("numprocs"), 1, "supervisord default numprocs=1", env, int)
    numprocs_opt = opt("numprocs")
    if numprocs.known and numprocs.value is not None and numprocs.value <= 0 and numprocs_opt is not None:
        # supervisord 4.3 options.py: the processes are range(numprocs_start, numprocs_start + numprocs), built
        # without a check of numprocs: none at all, so not even `command` is read
        ws.unparseable(numprocs_opt.source, numprocs_opt.line, numprocs_opt.key_col,
                       f"[{name}] numprocs={numprocs_opt.value.strip()}: supervisord starts no process of this "
                       "program, so it never runs; numprocs must be 1 or more")
        return []
    if command is None:
        if not is_template:
            ws.unparseable(section.source, section.line, section.col,
                           f"[{name}] has no `command`: supervisord refuses to start")
        return []
    if not command.value.strip() and not is_template:
        # supervisord 4.3 process.py get_execv_args: `raise BadCommand("command is empty")` at each spawn; the
        # program goes to FATAL while supervisord runs on
        ws.unparseable(command.source, command.line, command.key_col,
                       f"[{name}] `command` is empty: supervisord starts, but cannot spawn the program (\"command "
                       "is empty\"): it never runs")
        return []
    if not is_template and shell_words(command.value) is None:
        # supervisord 4.3 process.py get_execv_args: `shlex.split(self.config.command)` raises ValueError, so
        # `BadCommand("can't parse command ...: No closing quotation")` at each spawn; the program goes FATAL
        ws.unparseable(command.source, command.line, command.key_col,
                       f"[{name}] `command` cannot be split into words (a quote never closed, or a `\\` at its "
                       "end): supervisord starts, but cannot spawn the program (\"can't parse command\"): it never "
                       "runs")
        return []
    start = _number(ws, opt("numprocs_start"), 0, "supervisord default numprocs_start=0", env, int)
    group = config.group_of(program)
    here = posixpath.dirname(section.source) or "."
    names: dict[str, object] = {
        "program_name": program, "group_name": group or program, "here": here,
        "process_num": start.value if start.known else 0,
        "numprocs": numprocs.value if numprocs.known else 1,
    }
    process_name = opt("process_name")
    if numprocs.known and (numprocs.value or 1) > 1 and numprocs_opt is not None and \
            "%(process_num)" not in (process_name.value if process_name else ""):
        ws.unparseable(numprocs_opt.source, numprocs_opt.line, numprocs_opt.col,
                       f"[{name}] numprocs={numprocs.value} but process_name has no %(process_num)s: supervisord "
                       "refuses to start (\"%(process_num) must be present within process_name when numprocs > 1\")")
    tokens = command_tokens(command, names, env)
    if not tokens:
        return []
    directory = opt("directory")
    workdir = expand(directory.value, names, env)[0] if directory else ""
    origin = command.value_loc
    hop = Hop("supervisor", "supervisord", section.loc,
              sends=_stop_signal(ws, opt("stopsignal")),
              deadline=_number(ws, opt("stopwaitsecs"), DEFAULT_STOPWAITSECS,
                               "supervisord default stopwaitsecs", env, float))
    stopasgroup = _flag(opt("stopasgroup"))
    killasgroup = _flag(opt("killasgroup"))
    autorestart = opt("autorestart")
    restart: Val[bool] = Val.default(True, "supervisord default autorestart=unexpected (restarts after a crash)")
    if autorestart is not None:
        value = autorestart.value.strip().lower()
        restart = Val.unknown_at(_loc(autorestart), f"autorestart={autorestart.value}") if templated(value) \
            else Val(value not in ("false", "no", "off", "0"), _loc(autorestart))
    user_opt = opt("user")
    user: Val[str] = Val.default(None, "supervisord default: runs as the supervisord user (root)")
    if user_opt is not None:
        text, unknown = expand(user_opt.value, names, env)
        user = Val.unknown_at(_loc(user_opt), f"user={user_opt.value}") if unknown or templated(text) \
            else Val(text, _loc(user_opt))
    variables = shell_vars(command, True)
    environment = opt("environment")
    if environment is not None:
        variables += shell_vars(environment, False)
    launches: list[Launch] = []
    program_env: dict[str, str | None] = {key: (str(value) if value is not None else None)
                                          for key, value in (env or {}).items()}
    for key, value, _start, _end in parse_environment(environment.value) if environment is not None else []:
        text, unknown = expand(value, names, env)
        program_env[key] = None if unknown or "$" in text or templated(text) else text
    childlogdir = config.option("supervisord", "childlogdir")
    for hit in resolve(tokens, origin, _Resolver(ws, workdir, program_env)):
        if stopasgroup is not None and stopasgroup.value:
            # the stop signal goes to the whole process group, so it reaches the consumer behind a shell
            hit.wrappers = [problem for problem in hit.wrappers if problem.severe]
        launch = make_launch(
            project, hop, hit, platform="supervisord", name=program, unit=unit, origin=origin, outer=outer,
            instances=numprocs, restart=restart, user=user, collects_logs=False,
            workdir=Val(workdir, _loc(directory)) if directory else None,
        )
        launch.supervisord = SupervisordFacts(
            config=Val(config.main.rel, Loc(config.main.rel, 1, 1)),
            command_vars=Val([var for var, _loc_ in variables], variables[0][1] if variables else origin),
            command_var_locs=Val([loc for _var, loc in variables], origin),
            group=Val(group, section.loc) if group else None,
            stopasgroup=stopasgroup, killasgroup=killasgroup,
            nodaemon=_flag(config.option("supervisord", "nodaemon")),
            childlogdir=Val(childlogdir.value, _loc(childlogdir)) if childlogdir is not None else None,
            **{key: Val(option.value, _loc(option)) for key in ("stdout_logfile", "stderr_logfile",
                                                               "redirect_stderr", "process_name",
                                                               "stdout_logfile_maxbytes", "stderr_logfile_maxbytes")
               if (option := opt(key)) is not None})
        if (auto := unrotated_auto_log(launch.supervisord)) is not None:
            launch.supervisord = replace(launch.supervisord, auto_unrotated=auto)
        if launch.stderr_file is None:
            launch.stderr_file = unrotated_output_file(launch.supervisord)
        if environment is not None:
            _record_env(launch, environment, names, env)
        launches.append(launch)
    if not launches and tokens and named_for_huey(program):
        unfollowed_named_launch(ws, f"supervisord program `{program}`", [token.text for token in tokens], origin)
    return launches


_BYTE_SIZE = lazy_pattern(r"\s*(\d+)\s*(?:KB|MB|GB)?\s*", re.IGNORECASE)  # supervisor's datatypes.byte_size


def unrotated_output_file(facts: SupervisordFacts) -> Val[str] | None:
    """The file supervisord writes the consumer's output to when it never rotates it (``*_logfile_maxbytes=0``,
    supervisord.org configuration: "0 to indicate an unlimited log size"), at its ``*_logfile=`` line; None for the
    default rotation (50MB, 10 backups), a size not known, ``AUTO``/``NONE``, a stream (``/dev/stdout``) or a
    name not written here (a ``%(...)s`` expansion)."""
    logfile, maxbytes = facts.output_files
    if logfile is None or maxbytes is None or not isinstance(logfile.value, str) or not _never_rotated(maxbytes):
        return None
    path = logfile.value.strip()
    if path.lower() in LOGFILE_WORDS or path.startswith(("/dev/", "/proc/")) or "%(" in path or "$" in path or \
            "{{" in path:
        return None
    return Val(path, logfile.loc)


#: the words supervisor's ``datatypes.logfile_name`` reads as no file (``none``, ``off``), supervisord's own
#: file in ``childlogdir`` (``auto``) or syslog, case-insensitive
LOGFILE_WORDS = ("auto", "none", "off", "syslog")


def _never_rotated(maxbytes: Val[str] | None) -> bool:
    """``*_logfile_maxbytes`` written as 0 (any unit): "0 to indicate an unlimited log size"."""
    if maxbytes is None or not isinstance(maxbytes.value, str):
        return False
    size = _BYTE_SIZE.fullmatch(maxbytes.value)
    return size is not None and int(size.group(1)) == 0


def unrotated_auto_log(facts: SupervisordFacts) -> Val[str] | None:
    """The consumer's output stream's ``*_logfile_maxbytes=0`` when that stream's log is supervisord's ``AUTO`` file
    (``*_logfile`` not written, whose default is ``AUTO``, or written ``AUTO``): supervisord creates it in
    ``childlogdir`` as ``NAME-STREAM---IDENTIFIER-RANDOM.log`` (supervisor options.py ``get_autochildlog_name``) and
    never rotates it, and deletes it only when it starts again (configuration.html: "AUTO log files and their
    backups will be deleted when supervisord restarts"); None otherwise (``NONE``/``OFF``: no file; a named file:
    :func:`unrotated_output_file`)."""
    logfile, maxbytes = facts.output_files
    if not _never_rotated(maxbytes):
        return None
    if logfile is not None and (not isinstance(logfile.value, str) or logfile.value.strip().lower() != "auto"):
        return None
    return maxbytes


def _record_env(launch: Launch, environment: Option, names: dict[str, object], env: dict[str, str] | None) -> None:
    """``environment=KEY="val",...`` as ``launch.env`` (``%(ENV_X)s`` expanded when known)."""
    found: dict[str, Val[str]] = {}
    for key, value, _start, _end in parse_environment(environment.value):
        text, unknown = expand(value, names, env)
        loc = _loc(environment)
        found[key] = Val.unknown_at(loc, f"environment {key}={value}") if unknown else \
            unknown_if_interpolated(text, loc)
    record(launch, found, _loc(environment))


def config_launches(ws: Workspace, project: Project, config: Config, outer: list[Hop], unit: str,
                    env: dict[str, str] | None) -> list[Launch]:
    launches: list[Launch] = []
    for name in config.programs():
        launches += program_launches(ws, project, config, name, outer, unit, env)
    return launches


#: The main configuration the distributions' supervisor packages install, whose ``[include]`` reads the package's
#: program folder: Debian/Ubuntu ``/etc/supervisor/supervisord.conf`` (``files = /etc/supervisor/conf.d/*.conf``),
#: Fedora/RHEL (``files = supervisord.d/*.ini``) and Alpine (``files = /etc/supervisor.d/*.ini``) ``/etc/supervisord.conf``.
PACKAGED_CONFIGS = ("/etc/supervisor/supervisord.conf", "/etc/supervisord.conf")


def packaged_config(path: str) -> bool:
    """``supervisord -c /etc/supervisor/supervisord.conf`` naming no repository file: the package's own main
    configuration, which includes the program files the image adds, as ``supervisord`` without ``-c`` reads it."""
    return posixpath.normpath(path) in PACKAGED_CONFIGS


def default_config(ws: Workspace) -> SourceFile | None:
    """``supervisord`` without ``-c``: a repo file at a default location (or the only ``supervisord.conf``)."""
    for rel in ("etc/supervisor/supervisord.conf", "etc/supervisord.conf", "supervisord.conf"):
        for src in ws.of_format("supervisord"):
            if src.rel == rel or src.rel.endswith("/" + rel):
                return src
    return None


def stays_in_foreground(ws: Workspace, config: str | None, repo_path=None) -> bool:
    """``supervisord`` started without ``-n`` whose config says ``nodaemon=true``: it does not daemonize.

    ``config`` is the ``-c`` path as written (``repo_path`` maps a container path through COPY lines),
    None for the default locations.  True only when every main config this start reads says so.
    """
    if config is not None:
        rel = repo_path(config) if repo_path is not None else None
        if rel is None:
            found = find_config(ws, config)
            rel = found.rel if found is not None else None
        mains = [src for src in (ws.file(rel),) if src is not None] if rel else []
    else:
        default = default_config(ws)
        mains = [default] if default is not None else roots(ws)
    if not mains:
        return False
    for src in mains:
        config_ = load_config(ws, src)
        option = config_.option("supervisord", "nodaemon") if config_ is not None else None
        if option is None or parse_bool(option.value) is not True:
            return False
    return True


def supervised_launches(ws: Workspace, project: Project, config_rel: str | None, outer: list[Hop], unit: str,
                        env: dict[str, str] | None = None) -> Built:
    """The launches of supervisord run under another platform (``outer``: its hops, e.g. Docker's stop).

    ``config_rel`` is the repo path of the main config (see :func:`find_config`), or None for
    supervisord's default locations (a repo file there, else every main config in the repo).  ``env`` is the environment supervisord runs with (the image's
    ``ENV``), used for ``%(ENV_X)s``.  The configs used are claimed (``claims``): the engine drops their
    host launches (:func:`build`).
    """
    if config_rel:
        mains = [src for src in (ws.file(config_rel),) if src is not None]
    else:
        default = default_config(ws)
        mains = [default] if default is not None else roots(ws)
    built = Built()
    for src in mains:
        config = load_config(ws, src)
        if config is None:
            continue
        built.claims.update(config.rels)
        built.launches += config_launches(ws, project, config, list(outer), unit, dict(env or {}))
    return built


def roots(ws: Workspace) -> list[SourceFile]:
    """supervisord files no other one includes: each is a main configuration.

    ``supervisord`` without ``-c`` in an image whose config files are copied into the
    distribution's ``/etc/supervisor/conf.d/`` (included by its default config) runs them all.

    A file only non-main files include (two files including each other, or the end of a chain ``a`` ->
    ``b`` -> ``c``: supervisord reads includes one level deep) is a main configuration too, so no program
    is lost: the first of them (a ``supervisord.conf`` first, then by path) until each is in a unit.
    """
    includes = _includes(ws)
    included = set().union(*includes.values()) if includes else set()
    ordered = sorted(ws.of_format("supervisord"), key=lambda s: s.rel)
    mains = [src for src in ordered if src.rel not in included]
    covered = {rel for src in mains for rel in (src.rel, *includes.get(src.rel, ()))}
    left = sorted((src for src in ordered if src.rel not in covered),
                  key=lambda s: (posixpath.basename(s.rel) != "supervisord.conf", s.rel))
    for src in left:
        if src.rel not in covered:
            mains.append(src)
            covered |= {src.rel, *includes.get(src.rel, ())}
    return sorted(mains, key=lambda s: s.rel)


def build(ws: Workspace, project: Project) -> Built:
    """Every main configuration as a host unit (dropped by the engine when a container runs it)."""
    built = Built()
    for src in roots(ws):
        config = load_config(ws, src)
        if config is not None:
            built.hosts.append(HostUnit(frozenset(config.rels), partial(config_launches, ws, project, config, [],
                                                                        src.rel, None)))
    return built


__all__ = ["Config", "build", "config_launches", "find_config", "load_config", "load_ini", "packaged_config",
           "stays_in_foreground", "supervised_launches"]
