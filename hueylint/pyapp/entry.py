"""Python entry points that start a consumer: the hook :mod:`hueylint.chain` calls for unknown Python commands.

A platform may run ``python worker.py``, ``python -m my_app.cli worker`` or a console script
(``my-app worker`` from ``[project.scripts]``) whose code builds the consumer itself:
``huey.create_consumer(...).run()``, a vendored copy of huey's ``huey_consumer`` script (it parses
huey's own options with ``OptionParserHandler``), huey's own ``consumer_main()`` called in-process, or
``call_command("run_huey", ...)``.  Such a
command is a consumer launch; everything else a platform runs with Python is not.

Only files that mention one of those calls are parsed (through the facts cache).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from typing import Any, Sequence

from hueylint.appmodel import ConsumerScript, ModuleFacts
from hueylint.chain import CLI_PROGRAM_PREFIX, DJANGO_COMMAND_PREFIX, PythonEntry
from hueylint.hueyfacts import DJANGO_COMMANDS
from hueylint.locations import Loc
from hueylint.model import Dropped
from hueylint.pyapp import consumer_main, imports, resolve, spawns
from hueylint.pyapp.cache import FactsCache
from hueylint.pyapp.consumers import consumer_subclass
from hueylint.regexes import lazy_pattern
from hueylint.script_lookup import candidates
from hueylint.sources import SourceFile
from hueylint.versions.tomltext import load_toml
from hueylint.workspace import Workspace

_MARKERS = ("create_consumer", "Consumer(", "(Consumer)", "call_command", "OptionParserHandler",
            "execute_from_command_line", "ManagementUtility", "run_from_argv")
#: djhuey's ``run_huey`` / django-huey's ``djangohuey`` command class, imported (``from ... import Command as X``)
_BASE_COMMAND = lazy_pattern(r"^[ \t]*from[ \t]+(?:huey\.contrib\.djhuey|django_huey)\.management\.commands\."
                           r"(run_huey|djangohuey)[ \t]+import[ \t]+Command\b(?:[ \t]+as[ \t]+(\w+))?", re.M)


def _subclassed_command(text: str) -> str | None:
    """``run_huey``/``djangohuey`` when the module's ``Command`` subclasses that command (``from
    huey.contrib.djhuey.management.commands.run_huey import Command as RunHuey`` then ``class
    Command(RunHuey):``): Django runs it with that command's options and consumer."""
    for match in _BASE_COMMAND.finditer(text):
        base = match.group(2) or "Command"
        if re.search(rf"^class[ \t]+Command[ \t]*\([ \t]*{re.escape(base)}[ \t]*[,)]", text, re.M):
            return match.group(1)
    return None


#: Django's command line run by a module: ``execute_from_command_line(sys.argv)``, or what that function does
#: (Django 5.2 ``django/core/management/__init__.py``: ``ManagementUtility(argv).execute()``, whose ``execute``
#: ends in ``self.fetch_command(subcommand).run_from_argv(self.argv)``) written in a project's own dispatcher
#: (field test oTree-org/otree-core: the ``otree`` console script's ``execute_from_command_line`` sets Django up
#: itself, then ``fetch_command(subcommand).run_from_argv(argv)``)
_DJANGO_MAIN = lazy_pattern(r"^[ \t]*(?:[\w.]+\.)?execute_from_command_line\(\s*(?:sys\.argv)?\s*\)"
                            r"|\bManagementUtility\([^()\n]*\)\.execute\(\s*\)"
                            r"|\bfetch_command\([^()\n]*\)\.run_from_argv\(", re.M)


def facts_cache(ws: Workspace) -> FactsCache:
    """The run's facts cache (shared with :func:`hueylint.pyapp.link.attach`), made once per run from the
    run options ``ws.use_cache`` and ``ws.cache_dir``; a cache folder it cannot use is a run warning."""

    def make() -> FactsCache:
        cache = FactsCache(ws.root, enabled=ws.use_cache, cache_dir=ws.cache_dir)
        if cache.problem is not None:
            ws.warnings.append(f"{cache.problem}: running without a cache")
        return cache

    return ws.memo(("pyapp-facts-cache",), make)


def python_script(resolver: Any, word: str, origin: Loc, args: Sequence[str] = ()) -> PythonEntry | None:
    """The repo module ``word`` runs, when it starts a consumer; None otherwise (never raises on bad input)."""
    ws = getattr(resolver, "ws", None)
    if ws is None or not word or "$" in word or "{{" in word:
        return None
    workdir = getattr(resolver, "workdir", "") or getattr(getattr(resolver, "stage", None), "workdir", "") or ""
    # a manage.py that is a program of its own (click, argparse): only the selected sub-command's consumer counts
    selected = word.startswith(CLI_PROGRAM_PREFIX)
    word = word[len(CLI_PROGRAM_PREFIX):] if selected else word
    command = word[len(DJANGO_COMMAND_PREFIX):] if word.startswith(DJANGO_COMMAND_PREFIX) else None
    copied = resolver.repo_path(word) if word.endswith(".py") and hasattr(resolver, "repo_path") else None
    rel = _management_command(ws, command, origin, str(workdir)) if command is not None else \
        copied or _locate(ws, word, origin, str(workdir), image_roots(resolver))
    if rel is None or resolve.is_test_path(rel):
        return None
    src = ws.file(rel)
    if src is None:
        return None
    if command is not None:
        subclassed = _subclassed_command(src.text)
        if subclassed:  # ``class Command(RunHuey)``: run_huey itself, its options parsed as run_huey's
            return PythonEntry(rel, subclassed)
    if command is None and consumer_main.mentions_consumer_main(src.text):
        argv = ws.memo(("entry-consumer-main", rel), lambda: consumer_main.consumer_main(src))
        if argv is not None:  # huey's own consumer run in-process: the launch's words are its options
            return PythonEntry(rel, "consumer_main", argv=argv)
    if spawns.mentions_spawn(src.text):  # also a management command that starts the consumer as its child
        children = _consumer_children(resolver, rel, ws.memo(("entry-spawn", rel), lambda: spawns.spawned(src)))
        if children:  # a program starting consumers as its child processes (a leader election, one per app)
            return PythonEntry(rel, "spawns", children)
    if not any(marker in src.text for marker in _MARKERS):
        if command is not None or "import" not in src.text:
            return None
        scanned = ws.memo(("entry-imports", rel), lambda: imports.cached_scan(facts_cache(ws), src, "", False))
        delegated = _delegated(ws, rel, src.text, scanned.imports, args) if scanned is not None else None
        return delegated or (None if selected else _app_module(ws, rel, src))
    facts = ws.memo(("entry-facts", rel), lambda: facts_cache(ws).facts(src))  # asked once per chain word
    if facts.error is not None:
        return None
    scripts = running_consumers(ws, rel, facts)
    if command is not None:
        # the project's own management command: Django parses its arguments, its code starts the consumer
        runs = any(script.runs for script in scripts) or any(
            call.command in DJANGO_COMMANDS for call in facts.call_commands)
        return PythonEntry(rel, "script") if runs else None
    if any(script.vendored for script in facts.consumer_scripts):
        return PythonEntry(rel, "vendored")
    if any(script.runs and (not selected or _runs_subcommand(src.text, script.loc.line, args))
           for script in scripts):
        return PythonEntry(rel, "script")
    calls = [call for call in facts.call_commands if call.command in DJANGO_COMMANDS]
    for call in calls:
        if _runs_subcommand(src.text, call.loc.line, args):
            return PythonEntry(rel, "script")
    if calls and not [a for a in args if not a.startswith("-")] and isinstance(getattr(ws, "dropped", None), list):
        shown = " ".join([f"python {word}" if word.startswith("-m ") else word, *args])
        item = Dropped(f"{rel}: `{shown}`", f"`call_command({calls[0].command!r})` is in a sub-command, and "
                       "this launch names none", calls[0].loc)
        if item not in ws.dropped:
            ws.dropped.append(item)
    if _DJANGO_MAIN.search(src.text):
        # a project's own manage.py under another name (``karrio run_huey``, ``python -m app run_huey``):
        # Django's command line, so its arguments name the management command as they do for manage.py
        return PythonEntry(rel, "django")
    return None


def running_consumers(ws: Any, rel: str, facts: ModuleFacts) -> list[ConsumerScript]:
    """The consumer calls of module ``rel`` that build huey's consumer: ``create_consumer``, huey's ``Consumer``,
    or a class whose bases reach it (:func:`hueylint.pyapp.consumers.consumer_subclass`, followed through the
    repository's modules, imported from the folder the module is imported from)."""
    roots = [resolve.package_root(ws, rel), ""]

    def module_facts(module: str) -> ModuleFacts | None:
        found = resolve.module_file(ws, module, roots)
        src = ws.file(found) if found is not None else None
        if src is None:
            return None
        got = ws.memo(("entry-facts", found), lambda: facts_cache(ws).facts(src))
        return got if got.error is None else None

    return [script for script in facts.consumer_scripts
            if not script.subclass or consumer_subclass(script, facts, module_facts) is not None]


def _app_module(ws: Any, rel: str, src: SourceFile) -> PythonEntry | None:
    """A module of the huey app run as a program (``python -m app.tasks``, ``python tasks.py``) that starts
    nothing when run: it declares tasks or a Huey instance, and its top level only imports, defines and
    assigns (no ``if __name__ == "__main__":`` block, no call of its own, :func:`_starts_nothing`).  The process
    imports it and exits: no consumer runs (field test A3lxq/AI_BRAIN: a unit ran ``python -m ai_brain.worker``,
    the module of ``huey``, whose own docstring says to run ``huey_consumer.py ai_brain.worker.huey``).  A
    module that may start something (a ``__main__`` block, a bare call) is no such claim: None."""
    if "huey" not in src.text or not _starts_nothing(src.text):
        return None
    facts = ws.memo(("entry-facts", rel), lambda: facts_cache(ws).facts(src))
    if facts.error is not None or not (facts.tasks or facts.instances):
        return None
    names = sorted({task.instance for task in facts.tasks if task.instance and "." not in task.instance} |
                   {instance.var for instance in facts.instances if instance.var and not facts.tasks})
    return PythonEntry(rel, "app-module", app=names[0] if len(names) == 1 else "")


def _starts_nothing(text: str) -> bool:
    """Does a module's top level only import, define, assign and document (``ast``, never run)?"""
    import ast

    try:
        body = ast.parse(text).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False

    def inert(statement: ast.stmt) -> bool:
        if isinstance(statement, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                  ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Pass)):
            return True
        if isinstance(statement, ast.Expr):  # a docstring or a bare constant; a call may start anything
            return isinstance(statement.value, ast.Constant)
        if isinstance(statement, ast.If):  # ``if __name__ == "__main__":`` runs code of its own when run
            mentions_main = any(isinstance(node, ast.Name) and node.id == "__name__" for node in ast.walk(statement.test))
            return not mentions_main and all(inert(inner) for inner in [*statement.body, *statement.orelse])
        if isinstance(statement, ast.Try):
            return all(inert(inner) for inner in [*statement.body, *statement.orelse, *statement.finalbody,
                                                   *[part for handler in statement.handlers for part in handler.body]])
        return False

    return all(inert(statement) for statement in body)


def _delegated(ws: Any, rel: str, text: str, imports: dict[str, str], args: Sequence[str]) -> PythonEntry | None:
    """The repository module an entry module hands its command line to (``__main__.py`` calling
    ``cli(...)`` imported from ``pkg.cli``), when the code there that the arguments select starts a
    consumer: a command function named by the first word (``@cli.command() def work`` for ``work``) or a
    branch testing it (:func:`_runs_subcommand`).  One hop: the called module's own imports are not
    followed."""
    roots = [resolve.package_root(ws, rel), ""]
    module = resolve.module_for_rel(rel, roots)
    for name, target in imports.items():
        if not re.search(rf"(?<![\w.]){re.escape(name)}\s*\(", text):
            continue  # imported, never called
        absolute = resolve.resolve_import(module, rel.endswith("__init__.py"), target)
        found = resolve.module_file(ws, absolute.rpartition(".")[0], roots) if "." in absolute else None
        src = ws.file(found) if found is not None and found != rel else None
        if src is None or resolve.is_test_path(src.rel) or not any(m in src.text for m in _MARKERS):
            continue
        facts = ws.memo(("entry-facts", src.rel), lambda src=src: facts_cache(ws).facts(src))
        if facts.error is not None:
            continue
        selected = [s.loc.line for s in running_consumers(ws, src.rel, facts) if s.runs] + \
            [c.loc.line for c in facts.call_commands if c.command in DJANGO_COMMANDS]
        if any(_runs_subcommand(src.text, line, args) for line in selected):
            return PythonEntry(src.rel, "script")
    return None


def _management_command(ws: Any, name: str, origin: Loc, workdir: str) -> str | None:
    """The file of the project's Django management command ``name`` (``APP/management/commands/NAME.py``, as
    Django finds a command in an installed app) when it may start a consumer (it mentions huey).

    The only command of that name in the repository; among several, the one of the launch's project: the
    folder above its app holds the launching file or is the folder the command runs in (the unit's working
    directory ends with its name).  Otherwise (none, or no single one) the command is not followed."""
    if not re.fullmatch(r"[A-Za-z_][\w]*", name):
        return None
    wanted = f"{name}.py"
    huey = [rel for rel in ws.files_named(wanted) if _is_command_file(rel)]
    if not huey:
        return None  # ``migrate``, a third-party command: nothing of the repository's own
    # every command file of the tree, on disk (an excluded folder's too), listed once a run for all the names
    # launches run, and picked by name as Django does (it lists each app's commands folder): one glob for each
    # name walked the Django tree's 3,800 folders again (five names, 0.1 s)
    commands = ws.glob_files("**/management/commands/*.py")
    every = sorted({*huey, *(rel for rel in commands if posixpath.basename(rel) == wanted and _is_command_file(rel))})
    if len(every) > 1:
        here = posixpath.dirname(origin.path or "")
        last = posixpath.basename(workdir.rstrip("/"))
        every = [rel for rel in every if _in_project(rel, here, last)]
    return every[0] if len(every) == 1 and every[0] in huey else None


def _is_command_file(rel: str) -> bool:
    return posixpath.dirname(rel).endswith("management/commands") and not resolve.is_test_path(rel)


def _in_project(rel: str, here: str, last: str) -> bool:
    """Does the command file ``rel`` belong to the project the launch at folder ``here`` (running in a folder
    named ``last``) runs: the folder above its app holds ``here``, or is named ``last``."""
    project = posixpath.dirname(posixpath.dirname(posixpath.dirname(posixpath.dirname(rel))))
    return not project or here == project or here.startswith(project + "/") or \
        bool(last) and posixpath.basename(project) == last


def _consumer_children(resolver: Any, rel: str, children: tuple[Any, ...]) -> tuple[Any, ...]:
    """The children of the program ``rel`` that run a consumer: those naming one, and the Python programs of the
    repository it starts (``subprocess.Popen([sys.executable, "-m", "app.huey_worker"])``, field test:
    onllm-dev/4DPocket's FastAPI lifespan) that are consumer entries themselves (:func:`python_script`); a
    program started again from below itself is not followed twice."""
    kept = []
    active: set[str] = resolver.ws.memo(("entry-spawn-active",), set)
    for child in children:
        program = spawns.python_program(child)
        if program is None:
            kept.append(child)
            continue
        if rel in active:
            continue
        word, (_text, line, col) = program
        args = [text for text, _line, _col in child.words[3 if word.startswith("-m ") else 2:]]
        active.add(rel)
        try:
            entry = python_script(resolver, word, Loc(rel, line, col), args)
        finally:
            active.discard(rel)
        # (Django's command line, "django", starts a consumer only when a word names it, which this child lacks)
        if entry is not None and entry.kind != "django":
            kept.append(replace(child, python_program=True))
    return tuple(kept)


def _locate(ws: Any, word: str, origin: Loc, workdir: str, image: Sequence[str] = ()) -> str | None:
    roots = [*image, *_roots(ws, origin, workdir)]
    roots = [root for index, root in enumerate(roots) if root not in roots[:index]]
    if word.startswith("-m "):
        module = word[3:].strip()
        found = _module_entry(ws, module, roots)
        if found is None and not image:
            # an image not built by this repository's compose/skaffold files (a Kubernetes `image:`):
            # the service folder (a Dockerfile's build context) that holds the package, when only one does
            holders = [root for root in resolve.service_roots(ws) if _module_entry(ws, module, [root])]
            found = _module_entry(ws, module, holders) if len(holders) == 1 else None
        return found
    if word.endswith(".py"):
        in_image = [posixpath.normpath(posixpath.join(root, word)) for root in image if not word.startswith("/")]
        for rel in [*in_image, *candidates(word, origin, workdir)]:
            if rel.endswith(".py") and ws.exists(rel):
                return rel
        return None
    for rel in candidates(word, origin, workdir):  # a program of the repository with a `#!...python` line
        if ws.exists(rel) and _python_shebang(ws, rel):
            return rel
    if "/" in word:
        if posixpath.basename(posixpath.dirname(word)) != "bin":
            return None
        word = posixpath.basename(word)  # ``/srv/venv/bin/my-app``: where pip installs console scripts
    entry = _console_table(ws).get(word)
    if entry is None:
        return None
    target, folder = entry
    own = [folder, posixpath.join(folder, "src")] if folder else []
    return resolve.module_file(ws, target.split(":", 1)[0].strip(), [*own, *[r for r in roots if r not in own]])


def _python_shebang(ws: Any, rel: str) -> bool:
    """The repository file ``rel`` is a Python program run by its ``#!`` line (``#!/usr/bin/env python3``,
    ``#!/srv/venv/bin/python -u``), as the kernel runs it."""
    src = ws.file(rel, candidate=True)
    first = src.text.split("\n", 1)[0] if src is not None else ""
    words = first[2:].split() if first.startswith("#!") else []
    if words and posixpath.basename(words[0]) == "env":  # ``#!/usr/bin/env -S python3 -u``: env's options, then
        words = [word for word in words[1:] if not word.startswith("-") and "=" not in word]  # (and NAME=value)
    return bool(words) and bool(re.fullmatch(r"python[0-9.]*", posixpath.basename(words[0])))


def _module_entry(ws: Any, module: str, roots: list[str]) -> str | None:
    """The file ``python -m module`` runs: ``module.py``, or a package's ``__main__.py`` (its
    ``__init__.py`` when there is none)."""
    found = resolve.module_file(ws, module, roots)
    if found is not None and found.endswith("__init__.py"):
        return resolve.module_file(ws, f"{module}.__main__", roots) or found
    return found


def image_roots(resolver: Any) -> list[str]:
    """The repo folder the container's working directory holds, for a resolver of an image built here
    (:meth:`hueylint.platforms.docker.DockerResolver.workdir_folder`); none otherwise."""
    folder = getattr(resolver, "workdir_folder", None)
    return [folder()] if callable(folder) else []


def _roots(ws: Any, origin: Loc, workdir: str) -> list[str]:
    roots: list[str] = []
    if workdir and "$" not in workdir:
        parts = [p for p in workdir.split("/") if p]
        for start in range(len(parts)):
            rel = "/".join(parts[start:])
            if resolve.is_dir(ws, rel):
                roots.append(rel)
                break
    folder = posixpath.dirname(origin.path or "")
    while folder:
        roots.append(folder)
        folder = posixpath.dirname(folder)
    roots += ["", "src"]
    return [r for i, r in enumerate(roots) if r not in roots[:i]]


def console_scripts(ws: Any) -> dict[str, str]:
    """``name -> "module:function"`` from pyproject.toml (PEP 621, Poetry) and setup.cfg, read once per run."""
    return {name: target for name, (target, _folder) in _console_table(ws).items()}


def _console_table(ws: Any) -> dict[str, tuple[str, str]]:
    """``name -> ("module:function", folder of the declaring file)`` for every pyproject.toml and setup.py of
    the repo (a monorepo declares ``karrio = "karrio.server.__main__:main"`` in ``apps/api/pyproject.toml``;
    ``entry_points={"console_scripts": [...]}`` in ``repondeur/setup.py``) and the root setup.cfg; the root wins, then the shallowest file; a name two packages of one depth declare
    differently is dropped (unknown, not guessed)."""
    return ws.memo(("pyapp-console-table",), lambda: _read_console_table(ws))


def _read_console_table(ws: Any) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    clashes: set[str] = set()
    declaring = sorted({rel for rel in ws.files_named("pyproject.toml") if rel in ws.sources} |
                       ({"pyproject.toml"} if ws.exists("pyproject.toml") else set()) |
                       set(ws.files_named("setup.py")),
                       key=lambda rel: (rel.count("/"), rel))
    for rel in declaring:
        src = ws.file(rel)
        if src is None or resolve.is_test_path(rel):
            continue
        folder = posixpath.dirname(rel)
        for table in _setup_py_scripts(src.text) if rel.endswith(".py") else _pyproject_scripts(src):
            if not isinstance(table, dict):
                continue
            for name, target in table.items():
                if not isinstance(target, str):
                    continue
                if name in found and found[name] != (target, folder):
                    if found[name][1].count("/") == folder.count("/") and found[name][1] != folder:
                        clashes.add(name)
                    continue
                found[name] = (target, folder)
    cfg = ws.file("setup.cfg")
    if cfg is not None:
        block = re.search(r"(?ms)^console_scripts\s*=\s*\n((?:[ \t]+\S.*\n?)+)", cfg.text)
        if block:
            for line in block.group(1).splitlines():
                name, _, target = line.strip().partition("=")
                if target:
                    found[name.strip()] = (target.strip(), "")
    for name in clashes:
        found.pop(name, None)
    return found


def _pyproject_scripts(src: SourceFile) -> list[Any]:
    """The console-script tables of a pyproject.toml: ``[project.scripts]`` (PEP 621) and Poetry's
    ``[tool.poetry.scripts]``."""
    data = load_toml(src)  # {} when it does not parse (HL001 says why), also nested too deeply
    project = data.get("project", {})
    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
    return [project.get("scripts", {}) if isinstance(project, dict) else {},
            poetry.get("scripts", {}) if isinstance(poetry, dict) else {}]


def _setup_py_scripts(text: str) -> list[dict[str, str]]:
    """The console scripts a setup.py declares, read without running it: the ``setup(...)`` call's
    ``entry_points`` (a dict whose ``"console_scripts"`` is a list of ``"name = module:function"`` strings
    or one string of such lines, or the INI text ``"[console_scripts]\\nname = module:function"``), also
    through a module-level name holding the dict or the list.  Nothing that is not literal is guessed."""
    import ast

    from hueylint.versions.setuppy import read_setup_py

    if "console_scripts" not in text:
        return []
    setup = read_setup_py(text)
    lines: list[str] = []
    for call in setup.calls:
        entry_points = setup.value(call.get("entry_points"))
        if isinstance(entry_points, ast.Constant) and isinstance(entry_points.value, str):
            section = re.search(r"(?ms)^\s*\[console_scripts\]\s*\n(.*?)(?=^\s*\[|\Z)", entry_points.value)
            lines += section.group(1).splitlines() if section else []
        elif isinstance(entry_points, ast.Dict):
            for key, written in zip(entry_points.keys, entry_points.values):
                if not (isinstance(key, ast.Constant) and key.value == "console_scripts"):
                    continue
                scripts = setup.value(written)
                if isinstance(scripts, ast.Constant) and isinstance(scripts.value, str):
                    lines += scripts.value.splitlines()
                else:
                    lines += [str(item.value) for item in setup.strings(scripts)]
    table: dict[str, str] = {}
    for line in lines:
        name, _, target = line.strip().partition("=")
        if name.strip() and target.strip():
            table[name.strip()] = target.strip()
    return [table]


def _runs_subcommand(text: str, line: int, args: Sequence[str]) -> bool:
    """True when the command line selects the code that calls ``call_command("run_huey")``.

    ``my-app worker`` must reach ``def worker()`` (or ``@cli.command("worker")``, or the function an
    argparse sub-parser names: ``add_parser("worker")`` then ``.set_defaults(func=start)``), or a branch
    that tests the word (``if args.command == "worker":``, ``case "worker":``); ``my-app web`` of the same
    CLI is not a consumer launch.  Without a subcommand word the call runs unless it sits in a sub-command:
    click prints the group's help for a group called without one (``@cli.command()`` under
    ``@click.group()``), argparse sets no handler; a typer app with a single command and no callback runs
    that command without its name, as typer does.
    """
    words = [a for a in args if not a.startswith("-")]
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return False
    branches, name, decorators = _enclosing(lines, line)
    if not words:
        if any(_WORD_TEST.match(branch) and not re.search(r"environ|getenv|settings\.", branch) for branch in branches):
            return False  # ``if command == "worker":``, ``case "worker":``: no word, no branch taken
        return name is None or not _is_subcommand(text, name, decorators)
    wanted = words[0]
    quoted = re.compile(rf"""["']{re.escape(wanted)}["']""")
    if any(re.match(r"(?:if|elif|case)\b", branch) and quoted.search(branch) for branch in branches):
        return True
    if name is None:
        return False
    return name in (wanted, wanted.replace("-", "_"), *_argparse_handlers(text, wanted)) or \
        any(quoted.search(decorator) for decorator in decorators)


#: a branch that tests a command word (``if args.command == "worker":``, ``elif cmd in ("a", "b"):``, ``case "x":``)
_WORD_TEST = lazy_pattern(r"""(?:(?:if|elif)\b.*(?:==|!=|\bin\b)\s*[\(\[]?\s*["'][\w-]+["']|case\s+["'])""")


def _enclosing(lines: list[str], line: int) -> tuple[list[str], str | None, list[str]]:
    """What encloses source line ``line`` (1-based): the block statements between it and its function
    (stripped, innermost first), the function's name (None at module level) and its decorator lines."""
    indent = len(lines[line - 1]) - len(lines[line - 1].lstrip())
    branches: list[str] = []
    for index in range(line - 2, -1, -1):
        current = lines[index]
        stripped = current.lstrip()
        if not stripped or len(current) - len(stripped) >= indent:
            continue
        indent = len(current) - len(stripped)
        match = re.match(r"(?:async\s+)?def\s+(\w+)", stripped)
        if not match:
            branches.append(stripped)
            continue
        decorators = []
        above = index - 1
        while above >= 0 and lines[above].lstrip().startswith("@"):
            decorators.append(lines[above].strip())
            above -= 1
        return branches, match.group(1), decorators
    return branches, None, []


def _is_subcommand(text: str, name: str, decorators: list[str]) -> bool:
    """True when function ``name`` runs only when a sub-command word selects it: decorated
    ``@group.command(...)`` (a click group or a typer app; ``@click.command()`` is the whole program), or
    an argparse sub-parser's ``set_defaults(func=name)``."""
    for decorator in decorators:
        match = re.match(r"@(\w+)\.command\b", decorator)
        if match and match.group(1) != "click":
            app = match.group(1)
            single = len(re.findall(rf"^[ \t]*@{app}\.command\b", text, re.M)) == 1
            typer = re.search(rf"^[ \t]*{app}\s*=\s*(?:typer\.)?Typer\(", text, re.M) is not None
            if not (typer and single and not re.search(rf"@{app}\.callback\b", text)):
                return True
    words = re.findall(r"""\badd_parser\(\s*["']([^"']+)["']""", text)
    return any(name in _argparse_handlers(text, word) for word in words)


def _argparse_handlers(text: str, wanted: str) -> list[str]:
    """The functions argparse sub-parsers named ``wanted`` dispatch to: ``p = sub.add_parser("worker")``
    then ``p.set_defaults(func=start_worker)`` (the first ``set_defaults(func=...)`` after the
    ``add_parser`` call, before the next one)."""
    found = []
    for match in re.finditer(rf"""\badd_parser\(\s*["']{re.escape(wanted)}["']""", text):
        rest = text[match.end():]
        following = re.search(r"\badd_parser\(", rest)
        block = rest[:following.start()] if following else rest
        handler = re.search(r"\bset_defaults\([^)]*?\bfunc\s*=\s*(\w+)", block)
        if handler:
            found.append(handler.group(1))
    return found
