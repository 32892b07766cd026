"""Connect the app's Python sources to the launches that run it.

The engine calls :func:`attach` after the platform builders.  It reads module
facts (through the content-hash cache) for every Python file the byte gate
kept and for every module a launch names, resolves each launch's app
(``my_app.huey``, the Django settings of ``run_huey``, a Python script that
builds a consumer), and records the result in the model:

* ``project.repo`` holds the :class:`~hueylint.appmodel.Repo` (every module of the deployed code:
  tests and fixtures excluded) and ``project.apps`` one :class:`~hueylint.appmodel.App` per resolved
  app, each with the launches that run it (:func:`hueylint.appmodel.app_for` finds a launch's app);
* ``run_huey`` options are merged over ``HUEY['consumer']`` (command line wins),
  a script's ``create_consumer(...)`` keywords become its launch's options;
* ``launch.app_unresolved`` says why an app path does not resolve (HL003).

This module imports no libcst: parsing happens in the cache, only on a miss.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from hueylint import pyapp_gate
from hueylint.appmodel import (
    DEV_SETTINGS,
    OWN_MODULE,
    PROD_SETTINGS,
    STAR_REF,
    UNKNOWN,
    App,
    DjangoHueySetting,
    EnvVal,
    HueyArgs,
    HueyConfig,
    HueyInstance,
    ModuleFacts,
    Repo,
    SplatFact,
    env_var,
    huey_class_name,
    is_debug,
    is_settings_path,
    module_name,
)
from hueylint.discovery import MAX_BYTES, Notice
from hueylint.hueyfacts import DJANGO_COMMAND_APPS, DJANGO_COMMANDS, DJHUEY_SPECIAL_KEYS
from hueylint.locations import Loc
from hueylint.model import SIGNALS_WHY, Launch, Problem, Project, Unresolved, Val
from hueylint.pyapp import exports, imports, resolve
from hueylint.pyapp.consumers import consumer_subclass
from hueylint.regexes import lazy_pattern
from hueylint.safeio import read_regular
from hueylint.sources import SourceFile, import_targets, note, plain_text
from hueylint.workspace import Workspace, leads_outside

#: the value of an ``immediate`` written on its key's line is Django's ``DEBUG`` itself: ``"immediate": DEBUG,``,
#: ``immediate=DEBUG)``, ``HUEY["immediate"] = DEBUG`` (the text from the key's column, or the value's)
_PLAIN_DEBUG = lazy_pattern(
    r"""^(?:(?:\w+\s*\[\s*)?["']?immediate["']?\s*\]?\s*[:=]\s*)?DEBUG\s*(?:[,)}#;]|$)""")

if TYPE_CHECKING:
    from hueylint.pyapp.cache import FactsCache, Prefetch

_Args = TypeVar("_Args", HueyInstance, HueyConfig)
_Splatted = TypeVar("_Splatted", bound=HueyArgs)  # an instance's, a HUEY dict's or another module's dict's arguments
_Found = TypeVar("_Found")

#: the import of Django's settings object (``from django.conf import settings`` then ``settings.REDIS_HOST``)
DJANGO_SETTINGS_OBJECT = "django.conf.settings."

#: a glob's special characters (``glob.glob`` expands ``*``, ``?`` and ``[...]``)
_GLOB_CHARS = lazy_pattern(r"[*?\[]")
_RUNS_OTHER = lazy_pattern(r"\bsubprocess\.|\bos\.(?:exec\w*|system|spawn\w*)\(|\bcheck_call\(|\bPopen\(")
_DJHUEY_APPS = ("huey.contrib.djhuey", "django_huey")
_TEMPLATE_WORDS = ("example", "sample", "template", "dist", "default", "tmpl", "tpl")
_PARSE_BATCH = 2000  # modules per parallel parse when there are more, each batch counted on the status line


# -- attach ------------------------------------------------------------------------------------------


def start_reading(ws: Workspace, use_cache: bool = True) -> Prefetch | None:
    """Start parsing the repository's Python modules in worker processes, to be collected by :func:`attach`
    (``started``): the engine calls this before the platform builders run, so both proceed together.  None
    when there is nothing worth a process pool (then :func:`attach` parses as before), or when the modules
    are many enough to be parsed in batches counted on the status line (:data:`_PARSE_BATCH`)."""
    cache = _run_cache(ws, use_cache)
    sources = _repo_sources(ws)
    if len(sources) > _PARSE_BATCH:
        return None
    callers = {src.rel for src in sources if _caller_only(ws, src)}
    # a file kept for its calls is judged by ast there too; one it refuses is extracted (HL001, libcst)
    return cache.start_prefetch([src for src in sources if src.rel not in callers],
                                [src for src in sources if src.rel in callers])


def _run_cache(ws: Workspace, use_cache: bool) -> FactsCache:
    """The run's facts cache (:func:`hueylint.pyapp.entry.facts_cache`), neither read nor written when
    ``use_cache`` is False (the workspace's other caches then neither)."""
    from hueylint.pyapp.entry import facts_cache

    ws.use_cache = ws.use_cache and use_cache
    cache = facts_cache(ws)
    cache.enabled = cache.enabled and use_cache
    return cache


def _caller_only(ws: Workspace, src: SourceFile) -> bool:
    """:func:`hueylint.pyapp_gate.caller_only` of a repository module, once per run (:func:`start_reading` and
    :meth:`_Linker.read_repo` both ask; OneSilaHeadless's 38 such files take 10 ms to tell)."""
    verdict = ws.memo(("caller-only", src.rel), lambda: pyapp_gate.caller_only(plain_text(src), src.rel))
    note(src, "caller-only", verdict)  # the run cache's early cutoff asks an edited file again
    return verdict


def mentions_any(src: SourceFile, names: set[str]) -> bool:
    """Does ``src``'s text hold any of ``names`` (a substring test), noted for the run cache's early cutoff."""
    found = any(name in plain_text(src) for name in names)
    note(src, "mentions" + "".join(f"\0{name}" for name in sorted(names)), found)
    return found


def _repo_sources(ws: Workspace) -> list[SourceFile]:
    """The repository's Python modules the app layer reads, by path: test files are left out."""
    return [src for src in sorted(ws.of_format("python"), key=lambda s: s.rel) if not resolve.is_test_path(src.rel)]


def attach(ws: Workspace, project: Project, use_cache: bool = True,
           progress: Callable[[str], None] | None = None, started: Prefetch | None = None) -> None:
    """Read app facts, resolve every launch's app, and record both in the model (never raises on bad input).

    Reads the repository's Python files (``ws.of_format("python")``, test files left out) into
    :class:`~hueylint.appmodel.ModuleFacts` through the facts cache (``use_cache`` False: not read nor
    written); a file with a syntax error is HL001 (``ws.unparseable``).  Fills ``project.repo``,
    ``project.apps`` (one :class:`~hueylint.appmodel.App` per application a launch runs) and, per launch, its
    ``app_key`` / ``app_unresolved`` (HL003) and HL002 problems of the app path; a launch whose imports
    recurse too deep stays unlinked.  ``progress`` receives the stage for a status line
    (:mod:`hueylint.progress`), with counts while many Python files are parsed; ``started``: the parsing
    :func:`start_reading` began.
    """
    cache = _run_cache(ws, use_cache)
    linker = _Linker(ws, project, cache)
    linker.read_repo(progress or (lambda text: None), started)
    project.repo = linker.repo
    for launch in project.launches:
        try:
            linker.link(launch)
        except RecursionError:  # pathological import cycles: leave the launch unlinked
            continue
    linker.settings_only()
    linker.read_callers()
    linker.imported_instance_values()
    linker.storage_notices()
    project.apps[:] = linker.apps.values()


class _Linker:
    def __init__(self, ws: Workspace, project: Project, cache: Any) -> None:
        self.ws = ws
        self.project = project
        self.cache = cache
        self.repo = Repo()
        self.apps: dict[str, App] = {}
        self.extra: dict[str, ModuleFacts | None] = {}
        self.callers: dict[str, SourceFile] = {}  # kept only for task call sites: parsed when HL404 needs them
        self.launch_roots: list[str] = []  # the source roots of every launch linked (in order, once each)
        self.scanned: dict[str, ModuleFacts | None] = {}  # closure-only modules read for their imports
        self.exports: dict[str, ModuleFacts | None] = {}  # modules a storage value is imported from
        self.closures: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[dict[str, ModuleFacts], bool]] = {}
        self.wrapped: dict[tuple[str, tuple[str, ...]], ModuleFacts] = {}  # modules with their wrapped tasks
        # the DJANGO_SETTINGS_MODULE defaults the repo's modules name (by the number of modules read then)
        self.named_settings: tuple[int, list[str], list[str]] | None = None

    # -- facts ------------------------------------------------------------------------------
    def read_repo(self, progress: Callable[[str], None], started: Prefetch | None = None) -> None:
        sources = _repo_sources(self.ws)
        maybe = {src.rel for src in sources if _caller_only(self.ws, src)}
        early: dict[str, ModuleFacts] = {}
        if started is not None:  # the modules no worker parses are extracted meanwhile
            early = {src.rel: self.cache.facts(src) for src in sources
                     if src.rel not in maybe and not started.parsing(src)}
            started.wait()
        callers = [src for src in sources if src.rel in maybe and self.cache.parses(src)]
        self.callers = {src.rel: src for src in callers}
        sources = [src for src in sources if src.rel not in self.callers]
        if started is None:  # thousands of modules are parsed in a few batches, so the status line can count them
            step = max(_PARSE_BATCH, -(-len(sources) // 5))
            for start in range(0, len(sources), step):
                if len(sources) > step:
                    progress(f"reading the Python app: {start:,} of {len(sources):,} modules parsed...")
                self.cache.prefetch(sources[start:start + step])
        for src in sources:
            facts = early.pop(src.rel, None) or self.cache.facts(src)
            if facts.error is not None:
                line, col, message = facts.error
                self.ws.unparseable(src, line, col, f"Python syntax error: {message}")
                continue
            self.repo.modules[src.rel] = facts
        self.context_entry_points()
        self.mark_overridden_settings()

    def context_entry_points(self) -> None:
        """A run of named paths judged in the repository's context (:attr:`Workspace.in_context`) reads the Django
        entry points the whole run walks (``manage.py``, ``wsgi.py``, ``asgi.py``, found by name, kept by the same
        gate): their ``DJANGO_SETTINGS_MODULE`` names the settings a ``run_huey`` launch loads
        (:meth:`guessed_settings`), whose ``INSTALLED_APPS`` and apps the whole run judges it with."""
        if not self.ws.in_context:
            return
        for name in ("manage.py", "wsgi.py", "asgi.py"):
            for rel in self.ws.files_named(name):
                if rel in self.repo.modules or rel in self.ws.sources or rel in self.ws.others or \
                        resolve.is_test_path(rel):  # (a walked one was gated already)
                    continue
                src = self.ws.file(rel)
                if src is not None and pyapp_gate.might_matter(src.text.encode("utf-8", "surrogateescape"), rel):
                    facts = self.facts(rel)
                    if facts is not None:
                        self.repo.modules[rel] = facts

    def read_callers(self) -> None:
        """Parse the files kept only for their task call sites (:func:`hueylint.pyapp_gate.caller_only`)
        that a rule reads: those that mention a task of an app returning a value (HL404 judges its calls), and
        the modules the byte gate left out that call one (:meth:`gated_callers`)."""
        returning = {(facts.module, task.name) for app in self.apps.values() for facts in app.modules.values()
                     for task in facts.tasks if not task.periodic and task.returns_value}
        # the folder each such task's module is imported from (among the launches' source roots)
        roots = {self.import_root(facts.rel, self.launch_roots) for app in self.apps.values()
                 for facts in app.modules.values() if any(not task.periodic and task.returns_value for task in facts.tasks)}
        names = {name for _module, name in returning}
        self.callers.update(self.gated_callers(returning, roots))
        wanted = [rel for rel, src in self.callers.items() if mentions_any(src, names)]
        self.cache.prefetch([self.callers[rel] for rel in wanted if rel not in self.extra])
        for rel in wanted:
            facts = self.facts(rel)
            if facts is not None:
                self.repo.modules[rel] = facts
        self.repo.modules = dict(sorted(self.repo.modules.items()))
        self.callers = {}

    def gated_callers(self, returning: set[tuple[str, str]], roots: set[str] | None = None) -> dict[str, SourceFile]:
        """The modules the byte gate left out (they mention no huey name) that may call a task of ``returning``
        (``(module, name)``) and hold nothing else the app layer reads (:func:`_caller_only`): a module calling
        ``send`` of ``app/jobs.py`` imports it (``from app.jobs import send``, ``from . import jobs``), so its
        bytes hold both the task's name and its module's last name, which is all a left-out module is searched
        for before it is read.  Only modules under ``roots`` (the folders the tasks' modules are imported from,
        ``""`` the repository: Python finds ``app.jobs`` only from a folder holding ``app/``; the Django tree's
        2,700 modules of its own are not read for the tasks of its services) are searched.  Not for a task of
        a module named ``tasks``: the gate keeps every module importing one
        (:data:`hueylint.pyapp_gate._TASKS_IMPORT`).  The needles searched are kept for the run cache's early
        cutoff (``("gated-scan",)``: an edit of a left-out module that now holds them is a full run)."""
        needles = sorted({(module.rsplit(".", 1)[-1], name) for module, name in returning
                          if module and not module.rsplit(".", 1)[-1].endswith("tasks")})
        if not needles or not self.ws.gated:
            return {}
        self.ws.memo(("gated-scan",), lambda: [list(needle) for needle in needles])
        found: dict[str, SourceFile] = {}
        folders = tuple(f"{root}/" for root in roots or ()) if roots and "" not in roots else ("",)
        for rel in self.ws.gated:
            if rel in self.repo.modules or resolve.is_test_path(rel) or not rel.startswith(folders):
                continue
            try:
                data = read_regular(self.ws.root / rel, MAX_BYTES)  # as discovery read it: no FIFO, bounded
            except OSError:
                continue
            if not pyapp_gate.may_call(data, needles):
                continue
            src = self.ws.file(rel)
            if src is not None and _caller_only(self.ws, src) and self.cache.parses(src):
                found[rel] = src
        return found

    def facts(self, rel: str) -> ModuleFacts | None:
        """Facts of any repo file, parsed on demand when a launch names it (even if the gate skipped it)."""
        if rel in self.repo.modules:
            return self.repo.modules[rel]
        if rel not in self.extra:
            src = self.ws.file(rel)
            facts = None
            if src is not None:
                facts = self.cache.facts(src)
                if facts.error is not None:
                    line, col, message = facts.error
                    self.ws.unparseable(src, line, col, f"Python syntax error: {message}")
                    facts = None
            self.extra[rel] = facts
        return self.extra[rel]

    def app_not_read(self, launch: Launch, at: Loc, runs: str, why: str) -> None:
        """A notice at ``at`` that ``launch`` runs ``runs`` (its app path, its Django command) whose app is not
        read, ``why``: its tasks, locks and settings are not checked, where the run would say nothing.  Not for a
        development launch (not judged), nor in a repository holding no Python file (walked: read, or left out by
        the byte gate), where that the code is kept elsewhere is plain."""
        holds_python = self.ws.memo(("holds-python", str(len(self.ws.sources))),  # once a run, not once a launch
                                    lambda: any(rel.endswith(".py") for rel in self.ws.sources))
        if launch.dev or not (self.ws.gated or holds_python):
            return
        self.ws.say(Notice(at.path or "", f"line {at.line}: {launch.title} runs {runs}, but {why}: the app's tasks, "
                                          "locks and settings are not checked for this launch"))

    def text(self, rel: str) -> str:
        src = self.ws.file(rel)
        return src.text if src is not None else ""

    # -- launches ---------------------------------------------------------------------------
    def link(self, launch: Launch) -> None:
        roots = resolve.source_roots(self.ws, launch)
        self.launch_roots += [root for root in roots if root not in self.launch_roots]
        if launch.program in DJANGO_COMMANDS:
            self.link_django(launch, roots)
        elif self.python_entry(launch) is not None:
            self.link_script(launch, roots)
        else:
            self.link_huey(launch, roots)

    def _add(self, app: App, launch: Launch) -> App:
        known = self.apps.setdefault(app.key, app)
        known.launches.append(launch)
        launch.app_key = Val(app.key, launch.app.loc if launch.app is not None else launch.loc)
        return known

    def link_huey(self, launch: Launch, roots: list[str]) -> None:
        app_val = launch.app
        if app_val is not None and not app_val.known:  # `huey_consumer $HUEY_APP`: never silent on what is not read
            self.app_not_read(launch, app_val.loc, f"a huey app {app_val.unknown or 'known only at run time'}",
                              "the app is known only when it runs")
        if app_val is None or not app_val.known or not isinstance(app_val.value, str):
            return
        text = app_val.value
        if ":" in text:
            launch.problems.append(Problem(app_val.loc, kind="colon-app-path", option=text, to=text.replace(":", ".")))
            return
        path = resolve.split_app_path(text)
        if path is None:
            return
        found = resolve.module_root(self.ws, path.module, roots)
        if found is None:
            if resolve.top_level_present(self.ws, path.module, roots):
                launch.app_unresolved = Val(
                    f"module `{path.module}` is not in the repo", app_val.loc)
            else:  # an installed package, or code kept elsewhere: the launch is judged without it
                self.app_not_read(launch, app_val.loc, f"the huey app `{text}`",
                                  f"no `{path.module.split('.')[0]}` package or module is found where it imports from "
                                  "in the repository (an installed package, or code kept elsewhere)")
            return
        rel, holder = found
        roots = resolve.unit_roots(roots, holder)  # the consumer imports from where its app module is
        entry = self.facts(rel)
        if entry is None:
            return
        instances = self.follow_instance(entry, path.attr, roots, set())
        if not instances and resolve.module_file(self.ws, f"{path.module}.{path.attr}", roots) is None:
            read: set[str] = set()
            bound = self.binds_name(rel, path.attr, roots, read)
            if bound is False:
                stars = " (nor does any module it star-imports)" if resolve.star_imports(self.text(rel))[0] else ""
                launch.app_unresolved = Val(
                    f"`{rel}` defines no `{path.attr}`{stars}", app_val.loc)
                return
        app = App(key=f"huey:{rel}:{path.attr}", kind="huey", entry=entry, instances=instances,
                  anchor=Loc(rel, 1, 1))  # the module the command line names decides the app
        # a repository program that runs the consumer in-process (``consumer_main()``, a copy of huey's script)
        # is ``__main__``: Python runs its imports before the consumer imports the app (its task modules)
        script = self.main_program(launch)
        app.modules, app.complete = self.closure([rel, script] if script and script != rel else rel, roots)
        known = self._add(app, launch)
        if known is not app:  # another launch of the app path made it first: this one's modules count too
            for module, facts in app.modules.items():
                known.modules.setdefault(module, facts)
            known.complete = known.complete and app.complete

    def main_program(self, launch: Launch) -> str | None:
        """The repository Python file a ``huey_consumer`` launch runs as ``__main__`` (a program calling
        ``consumer_main()``, a vendored copy of huey's script), when there is one."""
        script = launch.consumer.script
        if launch.program != "huey_consumer" or script is None or not isinstance(script.value, str):
            return None
        rel = script.value
        return rel if rel.endswith(".py") and self.ws.exists(rel) else None

    def binds_name(self, rel: str, name: str, roots: list[str], seen: set[str]) -> bool | None:
        """Whether the repository module ``rel`` binds ``name`` (:func:`resolve.binds_name`), also through its
        star imports: ``from m import *`` of a repository module binds what ``m`` exports
        (:func:`resolve.star_exports`), following ``m``'s own star imports.  None when it cannot be told: a
        star import of a module outside the repository, a computed ``__all__``, dynamic bindings."""
        if rel in seen:
            return False  # a module already being read: the cycle binds nothing more
        seen.add(rel)
        text = self.text(rel)
        stars, own = resolve.star_imports(text)
        bound = resolve.binds_name(own, name)
        if bound is not False:
            return bound
        module = resolve.module_for_rel(rel, roots)
        for written in stars:
            absolute = resolve.resolve_import(module, rel.endswith("__init__.py"), written)
            target = resolve.module_file(self.ws, absolute, roots) if absolute else None
            if target is None:
                return None
            exported = resolve.star_exports(self.text(target), name)
            if exported is None and target.endswith("__init__.py") and \
                    resolve.module_file(self.ws, f"{absolute}.{name}", roots) is not None:
                exported = True  # a package's submodule of that name, once imported, is one of its globals
            if exported is None:
                exported = self.binds_name(target, name, roots, seen)
            if exported is not False:
                return exported
        return False

    def follow_instance(self, facts: ModuleFacts, name: str, roots: list[str], seen: set[str]) -> list[HueyInstance]:
        """The Huey instances ``name`` may be bound to in a module, following ``from x import name``: the last
        module-level assignment, and when it is in an if/try branch the other branches' and the unconditional
        assignment before them too (each may be the one that runs); empty when none is found."""
        if facts.rel in seen:
            return []
        seen.add(facts.rel)
        for _ in range(8):  # `huey = HUEY` after `HUEY = RedisHuey(...)`
            if name not in facts.aliases:
                break
            name = facts.aliases[name]
        found = [inst for inst in facts.instances if inst.var == name and not inst.in_function]
        if found:
            start = max((i for i, inst in enumerate(found) if not inst.conditional), default=0)
            return [self.imported_storage(inst, facts.rel, roots) for inst in found[start:]]
        if name in facts.made_by:
            return self.made_instances(facts, facts.made_by[name], roots, seen)
        target = facts.imports.get(name) or facts.bound_imports.get(name)
        if target is None:
            return []
        # a relative import is resolved from the module's name as the consumer imports it (seen from its roots)
        absolute = resolve.resolve_import(resolve.module_for_rel(facts.rel, roots), facts.rel.endswith("__init__.py"),
                                          target)
        module, _, attr = absolute.rpartition(".")
        rel = resolve.module_file(self.ws, module, roots)
        if rel is None:
            return []
        other = self.facts(rel)
        return self.follow_instance(other, attr, roots, seen) if other is not None else []

    def made_instances(self, facts: ModuleFacts, made: str, roots: list[str], seen: set[str]) -> list[HueyInstance]:
        """The instances ``make_huey()`` or ``App().huey`` (:attr:`ModuleFacts.made_by`) evaluates to: those
        the function returns, or those a method of the class (or of a class nested in it, which the class
        may delegate to) assigns to ``self.huey``; the callee is found where it is defined, through imports."""
        ref, _, attr = made.partition("()")
        attr = attr.lstrip(".")
        found = self.defined_in(facts, ref, roots, set())
        if found is None:
            return []
        where, local = found
        if where.rel in seen and where.rel != facts.rel:
            return []
        if attr:
            picked = [inst for inst in where.instances if inst.handed_as == f"self.{attr}"
                      and inst.owner.startswith(f"{local}.")]
        else:
            picked = [inst for inst in where.instances if inst.handed_as == "return" and
                      inst.owner == local]
        return [self.imported_storage(inst, where.rel, roots) for inst in picked]

    def defined_in(self, facts: ModuleFacts, ref: str, roots: list[str], seen: set[str]
                   ) -> tuple[ModuleFacts, str] | None:
        """(module facts, name there) of the function or class ``ref`` names in ``facts``' module: a name
        the module does not import is its own, an import is followed to the module that defines it."""
        if facts.rel in seen:
            return None
        seen.add(facts.rel)
        if "." not in ref:
            if ref not in facts.imports:
                return facts, ref
            ref = facts.imports[ref]
        absolute = resolve.resolve_import(resolve.module_for_rel(facts.rel, roots), facts.rel.endswith("__init__.py"),
                                          ref)
        module, _, attr = absolute.rpartition(".")
        rel = resolve.module_file(self.ws, module, roots) if module else None
        other = self.facts(rel) if rel is not None else None
        if other is None:
            return None
        if attr in other.imports:
            return self.defined_in(other, other.imports[attr], roots, seen)  # re-exported: `from .factory import make_huey`
        return other, attr

    def imported_instance_values(self) -> None:
        """Every Huey instance and Django ``HUEY`` dict of ``repo.modules`` with its imported storage values and
        serializer secret read (:meth:`imported_storage`, from the tree's source roots): the rules that judge
        each of them in the code, launched or not (HL403), see what a launch's app sees."""
        roots: list[str] | None = None
        for rel, facts in list(self.repo.modules.items()):
            args = [*facts.instances, *(arg for setting in facts.django_settings for arg in (
                setting.instance, setting.config, *setting.queues.values()) if arg is not None)]
            if not any(any(loc.ref for loc in arg.storage) or (arg.serializer and arg.serializer.ref) or arg.immediate_ref
                       or arg.splats for arg in args):
                continue
            roots = roots if roots is not None else resolve.source_roots(self.ws, None)

            def read(arg: _Args | None, rel: str = rel, roots: list[str] = roots) -> _Args | None:
                return self.imported_storage(arg, arg.loc.path or rel, roots) if arg is not None else None

            settings = [replace(setting, instance=read(setting.instance), config=read(setting.config),
                                queues={name: self.imported_storage(config, config.loc.path or rel, roots)
                                        for name, config in setting.queues.items()})
                        for setting in facts.django_settings]
            self.repo.modules[rel] = replace(facts, instances=[self.imported_storage(inst, rel, roots)
                                                               for inst in facts.instances], django_settings=settings)

    def imported_storage(self, inst: _Args, rel: str | None, roots: list[str]) -> _Args:
        """``inst`` (a Huey instance or a Django ``HUEY`` dict, written in ``rel``) with each storage value
        imported from another module of the repository (``StorageLocation.ref``) replaced by what that module
        binds it to (:meth:`imported_value`), the import read in the module the value is written in (a
        ``HUEY['url'] = REDIS_URL`` of another settings module than the dict's)."""
        if rel is not None and inst.splats:
            inst = self.imported_splats(inst, rel, roots, set())
        serializer = inst.serializer
        if rel is None or not (any(location.ref for location in inst.storage) or (serializer and serializer.ref)
                               or inst.immediate_ref):
            return inst
        from hueylint.pyapp.instances import imported_location  # the extractor's classification, rarely needed

        storage, passwords = [], list(inst.passwords)
        for location in inst.storage:
            written = location.value.loc.path or rel
            found = self.imported_value(written, location.ref, roots, set()) if location.ref else None
            storage.append(location if found is None else imported_location(location, found, passwords))
        if serializer is not None and serializer.ref and serializer.secret is not None:
            written = serializer.secret.loc.path or rel
            found = self.imported_value(written, serializer.ref, roots, set())
            if found is not None and found.known and isinstance(found.value, str):
                serializer = replace(serializer, secret=Val(found.value, found.loc))
        immediate = inst.immediate
        if immediate is not None and inst.immediate_ref:
            # `immediate=config.HUEY_IMMEDIATE` read from the environment there: as if read here (HL401's warning);
            # a literal there is not told here (the rule's message and fix quote what is written)
            found = self.imported_value(immediate.loc.path or rel, inst.immediate_ref, roots, set())
            if found is not None and env_var(found):
                immediate = replace(found, loc=immediate.loc) if isinstance(found, EnvVal) \
                    else Val(None, immediate.loc, found.unknown)
        return replace(inst, storage=tuple(storage), passwords=tuple(passwords), serializer=serializer,
                       immediate=immediate)

    def imported_splats(self, inst: _Splatted, rel: str, roots: list[str], seen: set[tuple[str, str]]) -> _Splatted:
        """``inst`` with each ``**`` splat of another module's dict (:attr:`HueyArgs.splats`: ``**settings.REDIS``,
        ``from settings import REDIS`` then ``**REDIS``) merged in as Python passes it: the dict's arguments as
        that module binds them (:attr:`ModuleFacts.dicts`, placed at its keys there, their own imports and splats
        read from there), a key written beside the splat kept unless the splat comes after it in a merged dict;
        ``complete`` again when every splat is read and complete.  A splat not found keeps ``complete`` False and
        says why (:meth:`storage_notices`).  A Django ``HUEY`` dict's splats are read as djhuey reads the dict
        (:attr:`SplatFact.role`, :func:`_merge_keys`): ``HUEY = {**BASE_HUEY, 'name': 'x'}`` takes the base's
        ``huey_class``, ``consumer`` and ``connection`` too (:attr:`ModuleFacts.configs`), ``'connection':
        {**REDIS}`` passes its keys over the top level's; a ``connection`` not read leaves ``complete`` alone
        (the top level's keys, ``immediate`` among them, are all known)."""
        merged = dict(args_fields(inst))
        config = isinstance(inst, HueyConfig)
        extra: dict[str, Any] = {}
        left: list[SplatFact] = []
        complete = inst.rest_complete
        for splat in inst.splats:
            role = splat.role if config else ""
            found = self.imported_dict(splat.loc.path or rel, splat.ref, roots, seen, role) if splat.ref else None
            if isinstance(found, str) or found is None:
                left.append(replace(splat, why=found or splat.why or "not read"))
                complete = complete and role == "connection"
                continue
            args, where = found
            args = self.imported_splats(args, where, roots, seen) if args.splats else args
            left += [replace(nested, role="connection") if role == "connection" else nested for nested in args.splats]
            complete = complete and (args.complete or role == "connection")
            current = replace(inst, **{**merged, **extra}) if config else inst
            keep, drop = _merge_keys(current, args, role, splat.overrides)
            _merge_args(merged, args, keep, drop)
            if config and role == "huey":
                extra.update(_merge_config(current, args, splat.overrides))  # type: ignore[arg-type]
        merged.update(splats=tuple(left), complete=complete, rest_complete=inst.rest_complete)
        return replace(inst, **{**merged, **extra})

    def imported_dict(self, rel: str, ref: str, roots: list[str], seen: set[tuple[str, str]], role: str = ""
                      ) -> tuple[HueyArgs, str] | str:
        """The dict the import ``ref`` (as written in ``rel``) names, as a huey constructor's arguments (or, for a
        ``HUEY`` dict's top level, ``role`` ``"huey"``, as a ``HUEY`` dict when it has keys djhuey takes out:
        :attr:`ModuleFacts.configs`), and the module it is written in (:meth:`imported_value`'s lookup,
        following re-exports; a name bound by ``from X import *``, :data:`STAR_REF`, in the star-imported
        modules of the repository, the last one binding it); else why not (a text for the notice)."""
        if (rel, ref) in seen or len(seen) > 8:
            return "its imports cycle"
        seen.add((rel, ref))
        if ref.startswith(STAR_REF):
            return self.star_dict(rel, ref[len(STAR_REF):], roots, seen, role)
        located = self.locate(rel, ref, roots)
        if located is None:
            return f"`{ref.lstrip('.').split('.')[0]}` is no module of the repository"
        target, parts, package = located
        if package is not None and self.package_binds(package, target, roots):
            return f"its package binds `{posixpath.basename(target)[:-3]}` to something else"
        module = self.exported(target)
        outside = self.module_outside(rel, ref, roots) if len(parts) > 1 else None
        if outside is not None:  # `from app.secrets import REDIS` without app/secrets.py
            return f"`{outside}` is no module of the repository"
        if module is None or len(parts) != 1:
            return f"`{'.'.join(parts)}` is not a module-level name of `{target}`"
        found = (module.configs.get(parts[0]) if role == "huey" else None) or module.dicts.get(parts[0])
        if found is not None:
            return found, target
        if parts[0] in module.imports:
            return self.imported_dict(target, module.imports[parts[0]], roots, seen, role)
        if parts[0] not in module.values and module.star_imports:
            return self.imported_dict(target, STAR_REF + parts[0], roots, seen, role)
        return f"`{target}` binds `{parts[0]}` to no dict hueylint reads"

    def star_dict(self, rel: str, name: str, roots: list[str], seen: set[tuple[str, str]], role: str
                  ) -> tuple[HueyArgs, str] | str:
        """The dict ``name`` that ``rel`` binds only through its ``from X import *`` (:meth:`star_targets`): the
        last star-imported module of the repository binding it (:meth:`imported_dict` there); why not when a
        star-imported module not in the repository may bind it, or none does."""
        for _line, absolute, other, _ours in reversed(self.star_targets(rel, roots)):
            if other is None:
                return f"`{name}` comes from `from {absolute} import *`, and `{absolute}` is no module of the repository"
            module = self.exported(other)
            if module is None:
                continue
            if name in module.dicts or name in module.configs or name in module.imports or name in module.values:
                return self.imported_dict(other, f"{resolve.module_for_rel(other, roots)}.{name}", roots, seen, role)
            if module.star_imports:
                found = self.star_dict(other, name, roots, seen, role)
                if not isinstance(found, str) or "no module of the repository" in found:
                    return found
        return f"no module `{rel}` star-imports binds `{name}` to a dict hueylint reads"

    def storage_notices(self) -> None:
        """Never silent on a storage not read: a notice per ``**`` splat of the huey instance (or ``HUEY`` dict)
        of an app a launch outside development runs that stays unread (:attr:`HueyArgs.splats`): the arguments
        it passes, the storage's host, serializer and file among them, are unknown, and the rules that judge them
        (HL402 unsigned pickles over the network, HL403, HL404, HL406) say nothing of that storage."""
        said: set[tuple[str | None, int, int]] = set()
        roots: list[str] | None = None
        for app in self.apps.values():
            if all(launch.dev for launch in app.launches):
                continue
            for args in [*app.judged_instances, *([app.config] if app.config is not None else [])]:
                for location in args.storage:
                    loc = location.value.loc
                    if location.kind != UNKNOWN or not location.ref or location.ref.startswith(OWN_MODULE) \
                            or not loc.path or (loc.path, loc.line, loc.col) in said:
                        continue
                    roots = roots if roots is not None else resolve.source_roots(self.ws, None)
                    module = self.module_outside(loc.path, location.ref, roots)
                    if module is None:
                        continue  # a module of the repository binding it to a value not read: not this notice
                    said.add((loc.path, loc.line, loc.col))
                    source = f"`{location.ref}`, imported from `{module}`, no module of the repository"
                    if location.ref.startswith(DJANGO_SETTINGS_OBJECT):  # read from the settings at run time
                        source = (f"the Django setting `{location.ref[len(DJANGO_SETTINGS_OBJECT):]}` "
                                  "(`django.conf.settings`)")
                    self.ws.say(Notice(loc.path, f"line {loc.line}: the huey storage's `{location.key}` is "
                                       f"{source}: it is not followed, so the storage's host is unknown and HL402 "
                                       "(unsigned pickles over the network) is not judged for it"))
                for splat in args.splats:
                    where = (splat.loc.path, splat.loc.line, splat.loc.col)
                    if where in said or not splat.loc.path:
                        continue
                    said.add(where)
                    what = f"`{splat.written}` of `'connection'`" if splat.role == "connection" \
                        else f"`**{splat.written}`"
                    self.ws.say(Notice(splat.loc.path, f"line {splat.loc.line}: the huey storage's arguments "
                                       f"{what} are not read ({splat.why}): its host, serializer and "
                                       "file are unknown, so HL402 (unsigned pickles over the network), HL404 and "
                                       "HL406 are not judged for it"))

    def module_outside(self, rel: str, ref: str, roots: list[str]) -> str | None:
        """The module the import ``ref`` (as written in ``rel``) names that is not in the repository, when it
        leads there: ``vendor_conf`` of ``vendor_conf.REDIS_HOST`` (no leading module of the repository,
        :meth:`locate`), ``app.secrets`` of ``app.secrets.REDIS_URL`` when ``app`` is a package of the repository
        without a ``secrets`` submodule or name (an untracked secrets file); None when ``ref`` is read in a module
        of the repository (a value hueylint does not read there is another matter)."""
        located = self.locate(rel, ref, roots)
        if located is None:
            outside = ref.lstrip(".").split(".")[0]
        else:
            target, parts, _package = located
            if not (len(parts) >= 2 and target.endswith("__init__.py")
                    and self.binds_name(target, parts[0], roots, set()) is False):
                return None
            outside = ref[:len(ref) - len(".".join(parts[1:])) - 1]
        # a module of a leading part of the import anywhere in the repository (``server/config/database.py``
        # for ``config.database.REDIS_HOST``, ``app/src/config.py`` for ``src.config.settings.X`` in a namespace
        # package, imported from a folder hueylint did not take for a source root): not absent
        dotted = ref.lstrip(".").split(".")
        leading = [".".join(dotted[:count]) for count in range(len(dotted), outside.lstrip(".").count("."), -1)]
        return None if any(self.module_somewhere(name) for name in leading) else outside

    def module_somewhere(self, dotted: str) -> bool:
        """A file of the repository is the module ``dotted`` under some folder: its path ends with
        ``a/b.py`` or ``a/b/__init__.py`` for ``a.b`` (a relative import's module: never claimed absent)."""
        if not dotted:
            return True
        path = dotted.replace(".", "/")
        name = path.rsplit("/", 1)[-1]
        return any(rel == f"{path}.py" or rel.endswith(f"/{path}.py") for rel in self.python_files_named(f"{name}.py")) \
            or any(rel == f"{path}/__init__.py" or rel.endswith(f"/{path}/__init__.py")
                   for rel in self.python_files_named("__init__.py"))

    def python_files_named(self, name: str) -> list[str]:
        """The repository's files named ``name``: those the walk kept (:meth:`Workspace.files_named`) and the
        Python modules the byte gate left out (:attr:`Workspace.gated`: no huey marker), indexed once a run."""
        def index() -> dict[str, list[str]]:
            by_name: dict[str, list[str]] = {}
            for rel in self.ws.gated:
                by_name.setdefault(posixpath.basename(rel), []).append(rel)
            return by_name

        return [*self.ws.files_named(name), *self.ws.memo(("gated-by-name", str(len(self.ws.gated))), index).get(name, [])]

    def imported_value(self, rel: str, ref: str, roots: list[str], seen: set[tuple[str, str]]) -> Val[Any] | None:
        """What the import ``ref`` (dotted as written in ``rel``: ``app.config.REDIS_URL``, ``.config.X``,
        ``app.config.settings.redis_url``) holds: read in the longest leading module of the repository it names
        (:meth:`locate`, :func:`hueylint.pyapp.exports.read`), following a name that module imports in turn.
        None when the module is not in the repository, its package binds the module's name to something else,
        the name is not a value hueylint reads there, or the imports cycle."""
        if (rel, ref) in seen or len(seen) > 8:
            return None
        seen.add((rel, ref))
        if ref.startswith(OWN_MODULE):  # a value of the module it is written in (`Config.REDIS_HOST` there)
            target, parts = rel, ref[len(OWN_MODULE):].split(".")
        else:
            located = self.locate(rel, ref, roots)
            if located is None:
                return None
            target, parts, package = located
            if package is not None and self.package_binds(package, target, roots):
                return None
        module = self.exported(target)
        if module is None or not parts:
            return None
        found = module.values.get(".".join(parts))
        if found is not None:
            return found
        made = module.values.get(parts[0])
        if made is not None and made.unknown.startswith(exports.INSTANCE_PREFIX) and len(parts) == 2:
            # `settings = Settings()` of an imported pydantic settings class: its field, read in the class's module
            return self.imported_value(target, f"{made.unknown[len(exports.INSTANCE_PREFIX):]}().{parts[1]}",
                                       roots, seen)
        if parts[0] in module.imports:
            return self.imported_value(target, ".".join([module.imports[parts[0]], *parts[1:]]), roots, seen)
        return None

    def locate(self, rel: str, ref: str, roots: list[str], rest: int = 1) -> tuple[str, list[str], str | None] | None:
        """(file, the parts of ``ref`` after it, the ``__init__.py`` of the package holding it or None) of the
        longest leading module of the repository the import ``ref`` (as written in ``rel``) names.  A relative
        import is looked up from ``rel``'s folder, as Python does (never in another source root: ``from .config
        import X`` in ``app/tasks.py`` is ``app/config.py`` whatever ``config.py`` the root holds), an absolute
        one in ``roots`` in their order; at least ``rest`` parts follow the module (0: ``ref`` may name the
        module itself).  None when no such leading module is in the repository."""
        if ref.startswith("."):
            dots = len(ref) - len(ref.lstrip("."))
            folder = posixpath.dirname(rel)
            for _ in range(dots - 1):
                if not folder:
                    return None  # above the repository
                folder = posixpath.dirname(folder)
            parts = ref[dots:].split(".") if ref[dots:] else []

            def find(end: int) -> str | None:
                path = "/".join([folder, *parts[:end]] if folder else parts[:end])
                candidates = (f"{path}.py", f"{path}/__init__.py") if end else (f"{path}/__init__.py",)
                return next((c.lstrip("/") for c in candidates if self.ws.exists(c.lstrip("/"))), None)
        else:
            parts = ref.split(".")

            def find(end: int) -> str | None:
                return resolve.module_file(self.ws, ".".join(parts[:end]), roots) if end else None
        for end in range(len(parts) - rest, 0 if rest or not ref.startswith(".") else -1, -1):
            target = find(end)  # end 0: ``from . import *``, the package of ``rel`` itself
            if target is not None:
                package = find(end - 1) if end else None
                return target, parts[end:], package if package and package.endswith("__init__.py") else None
        return None

    def package_binds(self, init: str, submodule: str, roots: list[str]) -> bool:
        """True when the package ``__init__.py`` ``init`` binds the name of its submodule ``submodule`` (a repo
        file) to something other than that module (``config = Config()`` next to ``config.py``): ``from package
        import config`` then gets that object (Python imports the submodule only when the package lacks the
        name)."""
        name = posixpath.basename(submodule[:-len("/__init__.py")] if submodule.endswith("/__init__.py")
                                  else submodule[:-3])
        if resolve.binds_name(self.text(init), name) is not True:
            return False
        facts = self.exported(init)
        target = facts.imports.get(name) if facts is not None else None
        located = self.locate(init, target, roots, rest=0) if target is not None else None
        return located is None or located[0] != submodule or bool(located[1])

    def exported(self, rel: str) -> ModuleFacts | None:
        """A module's values for its importers (:func:`hueylint.pyapp.exports.cached_read`), once per run."""
        if rel not in self.exports:
            src = self.ws.file(rel)
            self.exports[rel] = exports.cached_read(self.cache, src) if src is not None else None
        return self.exports[rel]

    def closure(self, starts: str | list[str], roots: list[str]) -> tuple[dict[str, ModuleFacts], bool]:
        """The repo modules the ``starts`` import, transitively (parents' ``__init__`` included), walked once
        per (starts, roots) in a run.  A module reached only through imports that holds no fact word is
        scanned for its imports (:func:`hueylint.pyapp.imports.scan`), not fully extracted."""
        starts = [starts] if isinstance(starts, str) else starts
        key = (tuple(starts), tuple(roots))
        if key in self.closures:
            walked, walked_complete = self.closures[key]
            return dict(walked), walked_complete
        modules: dict[str, ModuleFacts] = {}
        complete = True
        todo = list(reversed(starts))
        while todo:
            current = todo.pop()
            if current in modules:
                continue
            facts = self.closure_facts(current)
            if facts is None:
                continue
            facts = self.with_wrapped_tasks(facts, roots)
            modules[current] = facts
            module = resolve.module_for_rel(current, roots)
            # (recorded as a closure's use from these roots: an import added that resolves nowhere changes nothing)
            targets = set(import_targets(facts.imports, "\0".join((resolve.CLOSURE_USE, *roots)))) | set(facts.star_imports)
            parts = module.split(".")
            targets |= {".".join(parts[:i]) for i in range(1, len(parts))}
            for target in targets:
                if target.startswith("."):  # from the module's own folder, as Python does (:meth:`locate`)
                    located = self.locate(current, target, roots, rest=0)
                    found = located[0] if located is not None and len(located[1]) <= 1 else None
                else:
                    found = resolve.imported_module(self.ws, target, roots)
                if found is not None and not resolve.is_test_path(found):
                    if found not in modules:
                        todo.append(found)
                elif target in facts.star_imports and target.startswith("."):
                    complete = False
            if facts.is_settings and self.includes(current, facts):  # the files its split-settings include() runs
                todo += [other for _line, _absolute, other, _own in self.include_targets(current, roots)
                         if other is not None and other not in modules and not resolve.is_test_path(other)]
        self.closures[key] = (modules, complete)
        return dict(modules), complete

    def with_wrapped_tasks(self, facts: ModuleFacts, roots: list[str]) -> ModuleFacts:
        """``facts`` with its wrapped-task candidates (:attr:`ModuleFacts.wrapped_tasks`) that are tasks: the
        decorator they name, found where it is defined (seen from ``roots``), applies a huey decorator; or, for
        a candidate with its ``kind`` (``@run.task()`` on an imported ``run``), that name is a Huey instance there."""
        if not facts.wrapped_tasks:
            return facts
        key = (facts.rel, tuple(roots))
        if key not in self.wrapped:
            tasks = []
            for candidate in facts.wrapped_tasks:
                found = self.defined_in(facts, candidate.via, roots, set())
                if candidate.kind:  # a huey decorator on an imported receiver: a task where that name is an instance
                    if found is not None and any(instance.var == found[1] for instance in found[0].instances):
                        tasks.append(candidate)
                    continue
                kind = found[0].task_decorators.get(found[1]) if found is not None else None
                if kind:
                    tasks.append(replace(candidate, kind=kind))
            self.wrapped[key] = replace(facts, tasks=[*facts.tasks, *tasks]) if tasks else facts
        return self.wrapped[key]

    def closure_facts(self, rel: str) -> ModuleFacts | None:
        """Facts of a module of an import closure: the full facts when the gate kept it or it may hold
        a fact, else only its imports (read with ``ast``; the full extractor when ``ast`` cannot parse it)."""
        if rel in self.repo.modules:
            return self.repo.modules[rel]
        if rel in self.extra:
            return self.extra[rel]
        if rel not in self.scanned:
            src = self.ws.file(rel)
            found = None
            if src is not None and _caller_only(self.ws, src):  # imports.may_hold_facts, asked once
                found = imports.cached_scan(self.cache, src, module_name(rel), is_settings_path(rel))
            self.scanned[rel] = found
        return self.scanned[rel] or self.facts(rel)

    # -- python entry points ------------------------------------------------------------------
    def python_entry(self, launch: Launch) -> str | None:
        """The repo module of a Python launch (a script building the consumer, or a vendored huey script)."""
        script = launch.consumer.script
        if script is None or not isinstance(script.value, str) or not script.value.endswith(".py"):
            return None
        if launch.program == "script":
            return script.value
        if launch.program == "huey_consumer" and self.ws.exists(script.value):
            facts = self.facts(script.value)
            if facts is not None and any(s.vendored for s in facts.consumer_scripts):
                return script.value
        return None

    def link_script(self, launch: Launch, roots: list[str]) -> None:
        rel = self.python_entry(launch)
        entry = self.facts(rel) if rel else None
        if entry is None or rel is None:
            return
        if launch.program == "huey_consumer":  # vendored huey script: the app path is its argument
            self.link_huey(launch, roots)
            return
        calls = [c for c in entry.call_commands if c.command in DJANGO_COMMANDS]
        own = [resolve.package_root(self.ws, rel), *roots]

        def module_facts(module: str) -> ModuleFacts | None:
            found = resolve.module_file(self.ws, module, own)
            return self.facts(found) if found is not None else None

        followed = [(s, consumer_subclass(s, entry, module_facts)) for s in entry.consumer_scripts if s.runs]
        scripts = [s for s, overrides in followed if overrides is not None]
        if calls and not scripts:
            call = calls[0]
            launch.program = call.command
            self.call_options(launch, call)
            self.link_django(launch, roots)
            return
        if not scripts:
            return
        script = scripts[0]
        for key, val in script.options.items():
            launch.options.setdefault(key, val)
        overrides = next((found for s, found in followed if s is script), None)
        if overrides:  # a Consumer subclass with signal handlers of its own: its graceful signal is its code's
            member, at_member = overrides[0]
            launch.options["graceful_signal"] = Val.unknown_at(at_member, f"set by `{member}` of the consumer class")
            launch.unresolved.append(Unresolved(f"`{script.subclass.rpartition('.')[2]}` (`{member}`)", SIGNALS_WHY,
                                                at_member))
        # a project's management command runs in manage.py's process: it imports from the folder above its app
        # package (:func:`resolve.package_root`), not from a root inside that package
        command = posixpath.dirname(rel).endswith("management/commands")
        roots = resolve.unit_roots(roots, resolve.package_root(self.ws, rel) if command else _script_unit(rel, roots))
        instances = self.follow_instance(entry, script.instance.split(".")[-1], roots, set()) \
            if script.instance else []
        app = App(key=f"script:{rel}", kind="script", entry=entry, instances=instances, anchor=script.loc)
        app.modules, app.complete = self.closure(rel, roots)
        self._add(app, launch)

    def call_options(self, launch: Launch, call: Any) -> None:
        """``call_command("run_huey", "-w", "4", periodic=False)``: positional words parsed like run_huey's."""
        from hueylint.consumer_cli import parse_consumer

        words = [a.value for a in call.args]
        if all(a.known and isinstance(a.value, str) for a in call.args) and words:
            parsed = parse_consumer(call.command, words, call.loc, locs=[call.loc] * len(words),
                                    version=launch.huey_version)
            launch.options.update(parsed.options)
            launch.problems.extend(parsed.problems)
        for key, val in call.kwargs.items():
            if key == "settings" and val.known:
                launch.consumer.django_settings = val
            elif key == "queue":
                launch.consumer.queue = val
            else:
                launch.options[key] = val

    # -- Django -------------------------------------------------------------------------------
    def link_django(self, launch: Launch, roots: list[str]) -> None:
        found = self.settings_for(launch, roots)
        if not found:
            self.app_not_read(launch, launch.loc, f"Django's `{launch.program}`",
                              "no settings module it loads is read in the repository (named by a value not known "
                              "here, kept elsewhere, or not parsed: HL001)")
            return
        settings = [(rel, facts) for rel, facts, _root in found]
        rels = [rel for rel, _ in settings]
        # the consumer imports from the folder its settings are imported from (several guesses: the outermost)
        roots = resolve.unit_roots(roots, min((root for _rel, _facts, root in found), key=len))
        effective = [self.effective_huey(rel, roots, set()) for rel in rels]
        if len(rels) == 1:
            self.command_installed(launch, rels[0], roots)
        queue = launch.consumer.queue if launch.program == "djangohuey" else None
        setting = config = None
        unknown_at: Loc | None = None  # the consumer settings exist but are built by code hueylint does not follow
        if len(effective) == 1 and effective[0] is not None:
            setting, config = self._queue_config(effective[0], queue) if launch.program == "djangohuey" \
                else (effective[0], effective[0].config)
            if effective[0].form == "unknown":
                unknown_at = effective[0].loc
        any_queue = launch.program == "djangohuey" and config is None and queue is not None and not queue.known \
            and len(effective) == 1 and effective[0] is not None and effective[0].name == "DJANGO_HUEY" \
            and effective[0].form == "dict" and bool(effective[0].queues)
        if any_queue:
            assert queue is not None and effective[0] is not None
            unknown_at = None if self.merge_any_queue(launch, effective[0], queue) else effective[0].loc
            for name, queue_config in effective[0].queues.items():
                # the queue the consumer runs is one of these: each is judged by the rules that need no launch
                # (its storage, serializer, immediate mode), as settings no launch runs are (:meth:`settings_only`)
                queue_app = self.django_app(settings, roots, effective[0], queue_config, f":{name}")
                self.apps.setdefault(queue_app.key, queue_app)
        elif launch.program == "djangohuey" and config is None:
            # django-huey refuses a queue missing from DJANGO_HUEY: not finding its dict means the settings
            # are built by code (``queues[name] = helper(name)``) or overridden by an untracked module
            own = [s for _, facts in settings for s in facts.django_settings if s.name == "DJANGO_HUEY"]
            unknown_at = own[0].loc if own else launch.loc
        qkey = f":{queue.value}" if queue is not None and queue.known else ""
        app = self.django_app(settings, roots, setting, config, qkey)
        known = self._add(app, launch)
        if config is not None and setting is not None and setting.form in ("dict", "update"):
            self.merge_consumer(launch, app.config if app.config is not None else config)  # splats merged in
        elif unknown_at is not None:
            self.consumer_unknown(launch, unknown_at)
        del known

    def command_app_entry(self, rels: list[str], modules: dict[str, ModuleFacts]) -> Loc | None:
        """Where the settings (first) or a module they import install the app that brings the consumer command
        (``'huey.contrib.djhuey'`` in ``INSTALLED_APPS``, :data:`DJANGO_COMMAND_APPS`): what makes a Django
        project a huey app when no ``HUEY`` dict is read (djhuey's defaults, or one built by code); None when
        no module read lists it."""
        names = {name for apps in DJANGO_COMMAND_APPS.values() for name in apps}
        for rel in dict.fromkeys([*rels, *sorted(modules)]):
            facts = modules.get(rel) or self.facts(rel)
            for assignment in facts.installed_apps if facts is not None else ():
                for part in assignment.parts:
                    if part.kind == "app" and _app_package(part.value) in names:
                        return part.loc
        return None

    def command_installed(self, launch: Launch, settings_rel: str, roots: list[str]) -> None:
        """HL002's ``command-not-installed``: the launch runs ``run_huey`` (``djangohuey``) as written, and the
        settings' INSTALLED_APPS, fully known, list neither the app that brings it (:data:`DJANGO_COMMAND_APPS`)
        nor a repository app with a ``management/commands/run_huey.py`` of its own: Django refuses the command.
        A command of another name (a project command subclassing ``run_huey``) is the project's, not judged."""
        program = launch.consumer.program
        needed = DJANGO_COMMAND_APPS.get(launch.program)
        if needed is None or program is None or program.value != launch.program or not program.loc.path:
            return
        src = self.ws.file(program.loc.path)
        lines = src.text.splitlines() if src is not None else []
        line = lines[program.loc.line - 1] if 0 < program.loc.line <= len(lines) else ""
        # the command's word on the line of the program (``manage.py``) that runs it
        written = re.search(rf"(?<![\w.-]){re.escape(launch.program)}(?![\w.-])", line[program.loc.col - 1:])
        if written is None:
            return  # not written there (a script's variable, a project command of another name)
        apps = self.effective_apps(settings_rel, roots, set()).get("INSTALLED_APPS")
        if apps is None or not apps[1]:
            return
        if any(_app_package(name) in needed for name in apps[0]):
            return
        for name in apps[0]:
            package = resolve.module_file(self.ws, _app_package(name), roots)
            if package is None or not package.endswith("__init__.py"):
                continue
            if self.ws.file(f"{posixpath.dirname(package)}/management/commands/{launch.program}.py") is not None:
                return  # the project's own command of that name
        col = program.loc.col + written.start()
        at = Loc(program.loc.path, program.loc.line, col, program.loc.line, col + len(launch.program))
        launch.problems.append(Problem(at, kind="command-not-installed", option=launch.program,
                                       to=needed[0], said=settings_rel))

    def lazy_settings(self, rel: str) -> tuple[int, bool] | None:
        """The settings module's module ``__getattr__`` (:func:`resolve.module_getattr`), None when it has none."""
        return resolve.module_getattr(self.text(rel))

    def django_app(self, settings: list[tuple[str, ModuleFacts]], roots: list[str], setting: DjangoHueySetting | None,
                   config: HueyConfig | None, qkey: str = "") -> App:
        """The Django app of these settings: the modules Django and djhuey import, its setting and config."""
        rels = [rel for rel, _ in settings]
        manage = self.manage_py(roots)
        entry = self.facts(manage) if manage else None
        app_roots = roots + ([posixpath.dirname(manage)] if manage and posixpath.dirname(manage) not in roots else [])
        unit = min(roots, key=len, default="")  # the unit's folder: every root of a unit lies inside it
        installed = self.installed_modules(rels[0], app_roots, unit) if len(rels) == 1 else None
        if installed is not None:
            modules, complete, packages = installed
            found_modules, found_complete = self.closure([*rels, *([manage] if manage else [])], roots)
            modules.update(found_modules)  # settings, their packages and manage.py
            complete = complete and found_complete
        else:  # INSTALLED_APPS not readable: every module of the unit's deployed code may be imported
            modules = {rel: facts for rel, facts in self.repo.modules.items()
                       if not facts.is_settings and _inside(rel, unit)}
            complete, packages = True, []
        for rel, facts in settings:
            modules[rel] = facts
        written = self.written_huey(rels[0], roots, set()) if setting is None and len(rels) == 1 else None
        unseen = setting is None and written is None and len(rels) == 1 \
            and self.binds_name(rels[0], "HUEY", roots, set()) is None
        lazy = self.lazy_settings(rels[0]) if unseen else None
        if unseen and lazy is not None and not lazy[1]:
            # Django never asks a module ``__getattr__`` without ``__dir__``: unseen only for another reason
            stars = resolve.star_imports(self.text(rels[0]))
            unseen = bool(stars[0]) or resolve.binds_name(stars[1], "HUEY", getattr_binds=False) is not False
        app = App(key=f"django:{','.join(rels)}{qkey}", kind="django", entry=entry, modules=modules,
                  setting=setting, config=config, settings_rels=rels, complete=len(settings) == 1 and complete,
                  packages=packages, debug=self.effective_debug(rels[0], roots, set()) if len(rels) == 1 else None,
                  setting_written=written, setting_unseen=unseen and (lazy is None or not lazy[1]),
                  setting_lazy=Loc(rels[0], lazy[0]) if unseen and lazy is not None and lazy[1] else None)
        if app.setting_lazy is not None:
            self.ws.say(Notice(rels[0], f"line {lazy[0] if lazy else 0}: the settings module's `__getattr__` "
                                        "(PEP 562; its `__dir__` lists names for Django to read) may compute `HUEY` "
                                        "at run time, which is not read here: the app's huey settings (storage, "
                                        "serializer, immediate) are not checked"))
        if setting is None and written is None:
            app.anchor = self.command_app_entry(rels, modules)
        if setting is not None and setting.form == "instance" and setting.instance is not None:
            app.instances = [self.imported_storage(inst, inst.loc.path, roots) for inst in self._alternatives(setting)]
        if setting is not None and setting.name == "DJANGO_HUEY" and config is not None:
            app.queue = next((name for name, queue_config in setting.queues.items() if queue_config is config), None)
            default = setting.default
            app.default_queue = default.value if default is not None and default.known else None
        if config is not None:
            app.config = self.resolve_huey_class(self.imported_storage(config, config.loc.path, roots), roots)
        app.debug_written = self.debug_written(app, roots)
        return app

    def debug_written(self, app: App, roots: list[str]) -> dict[Loc, Val[bool]]:
        """The ``DEBUG`` each ``immediate`` bound to it in a settings module of the app reads (:attr:`App.debug_written`,
        keyed by the value's location): the ``DEBUG`` of the line it is written on (:meth:`effective_debug` up to
        that line), since the dict, the update or the constructor call is evaluated there and keeps it whatever a
        later ``DEBUG = ...`` or a settings module star-importing this one sets (field test: Princeprem76/rework,
        ``'immediate': DEBUG`` below ``DEBUG = True``).  Only values known there."""
        vals = [app.config.immediate] if app.config is not None else []
        vals += [inst.immediate for inst in app.judged_instances]
        written: dict[Loc, Val[bool]] = {}
        for val in vals:
            if val is None or not is_debug(val) or not val.loc.path:
                continue
            facts = self.facts(val.loc.path)
            lines = self.text(val.loc.path).splitlines() if facts is not None else []
            if not 0 < val.loc.line <= len(lines) \
                    or _PLAIN_DEBUG.match(lines[val.loc.line - 1][max(val.loc.col - 1, 0):]) is None:
                continue  # `DEBUG and not TESTING`, `env.bool("X", default=DEBUG)`: not DEBUG itself
            debug = self.effective_debug(val.loc.path, roots, set(), before=val.loc.line)
            if debug is not None and debug.known:
                written[val.loc] = debug
        return written

    def _alternatives(self, setting: DjangoHueySetting) -> list[HueyInstance]:
        """The instances ``HUEY = <instance>`` may be, when the settings module defines it on several branches
        (``if REDIS_HOST: HUEY = RedisHuey(...)`` / ``else: HUEY = SqliteHuey(...)``): the chosen setting's
        instance and those of the other instance definitions :func:`_production_setting` chose among (since
        the last unconditional one, none in a development-looking branch), in source order; each is judged
        with its branch named, as the instances of a plain module are."""
        chosen = setting.instance
        assert chosen is not None
        facts = self.facts(setting.loc.path) if setting.loc.path else None
        if facts is None or not setting.conditional:
            return [chosen]
        full = [s for s in facts.django_settings if s.name == setting.name and s.form != "update"]
        start = max((i for i, other in enumerate(full) if not other.conditional), default=0)
        found = [other.instance for other in full[start:] if other.form == "instance" and other.instance is not None
                 and other.dev_branch is not True]
        return found if any(inst is chosen for inst in found) else [chosen]

    def resolve_huey_class(self, config: HueyConfig, roots: list[str]) -> HueyConfig:
        """``'huey_class': 'app.queue.MyHuey'``: a class of the repo, followed through its bases to a huey
        class, and its ``storage_class`` attribute; the config unchanged when it names huey's own class or
        leads outside the repo (then the class stays as written, which no rule treats as a known storage)."""
        written = config.entries.get("huey_class")
        if written is None or not written.known or not isinstance(written.value, str) \
                or huey_class_name(written.value) is not None:
            return config
        found = self.follow_class(written.value, roots, set())
        if found is None:
            return config
        name, storage = found
        changes: dict[str, Any] = {"huey_class": Val(name, written.loc)}
        if storage is not None and config.storage_class is None:
            changes["storage_class"] = storage
        return replace(config, **changes)

    def follow_class(self, path: str, roots: list[str], seen: set[str]) -> tuple[str, Val[str] | None] | None:
        """(huey class, storage_class attribute or None) of a dotted class path in the repo, through its bases."""
        if path in seen or len(seen) > 16:
            return None
        seen.add(path)
        direct = huey_class_name(path)
        if direct is not None:
            return direct, None
        module, _, name = path.rpartition(".")
        rel = resolve.module_file(self.ws, module, roots) if module else None
        facts = self.facts(rel) if rel else None
        if facts is None or rel is None:
            return None
        package = rel.endswith("__init__.py")
        cls = facts.classes.get(name)
        if cls is None:  # re-exported: `from .base import MyHuey`
            target = facts.imports.get(name)
            return self.follow_class(resolve.resolve_import(module, package, target), roots, seen) if target else None
        if cls.huey_class is not None:
            return cls.huey_class, cls.storage_class
        for base in cls.bases:
            absolute = resolve.resolve_import(module, package, base) if "." in base else f"{module}.{base}"
            found = self.follow_class(absolute, roots, seen)
            if found is not None:
                return found[0], cls.storage_class or found[1]
        return None

    def settings_only(self) -> None:
        """Django settings for huey with no consumer launch in the tree (the consumer is started elsewhere,
        e.g. by the hosting platform): one launchless app per settings module (per django-huey queue), so
        the rules that do not depend on the launch judge them.  Only when no launch runs a Django consumer."""
        if any(app.kind == "django" for app in self.apps.values()) or \
                any(launch.program in DJANGO_COMMANDS for launch in self.project.launches):
            return
        roots = resolve.source_roots(self.ws, None)
        guessed = self.guessed_settings(roots)
        if guessed and all(self.repo.development(rel) for rel, _facts, _root in guessed):
            # manage.py defaults to development settings; the consumer started elsewhere names its own
            guessed = self.guessed_settings(roots, guess_only=True)
        if not self._settings_apps(guessed, roots):
            # the named settings leave huey's setting unknown (an untracked override star-imported at their
            # end: `from .local import *`): the committed modules that define it are judged, as HL401 does
            self._settings_apps(self.guessed_settings(roots, guess_only=True), roots)

    def _settings_apps(self, guessed: list[tuple[str, ModuleFacts, str]], roots: list[str]) -> int:
        """:meth:`settings_only`'s launchless apps of the ``guessed`` settings modules; how many were made."""
        made = 0
        for rel, facts, _root in guessed:
            if self.repo.development(rel) or rel in self.repo.overridable and rel not in self.repo.untracked_overrides:
                continue  # development settings, or replaced by a settings module that star-imports it
            apps = self.effective_apps(rel, roots, set()).get("INSTALLED_APPS")
            if apps is not None and apps[1] and not any(_app_package(name) in _DJHUEY_APPS for name in apps[0]):
                continue  # neither djhuey nor django-huey is installed: the setting is not read
            setting = self.effective_huey(rel, roots, set())
            if setting is None or setting.form == "unknown":
                continue
            configs = [(f":{name}", config) for name, config in setting.queues.items()] \
                if setting.name == "DJANGO_HUEY" else [("", setting.config)]
            for qkey, config in configs:
                app = self.django_app([(rel, facts)], roots, setting, config, qkey)
                self.apps.setdefault(app.key, app)
                made += 1
        return made

    def _queue_config(self, setting: DjangoHueySetting, queue: Val[Any] | None
                      ) -> tuple[DjangoHueySetting | None, HueyConfig | None]:
        if setting.name != "DJANGO_HUEY":
            return setting, setting.config
        if queue is not None and not queue.known:
            return None, None  # `--queue ${QUEUE}`: one of the queues, not the default (:meth:`merge_any_queue`)
        name = queue.value if queue is not None else (
            setting.default.value if setting.default is not None and setting.default.known else None)
        if name is None or name not in setting.queues:
            return None, None
        return setting, setting.queues[name]

    @staticmethod
    def merge_consumer(launch: Launch, config: HueyConfig) -> None:
        """``run_huey`` options over ``HUEY['consumer']``: settings fill what the command line leaves unset."""
        from hueylint.hueyfacts import CONFIG_KEYS_BY_VERSION

        known = {key for key, _ in CONFIG_KEYS_BY_VERSION}
        for key, val in (config.consumer or {}).items():
            if key in known and key not in launch.options:
                launch.options[key] = val
        if (config.consumer is not None and not config.consumer_complete) or \
                (config.consumer is None and not config.complete):
            _Linker.consumer_unknown(launch, config.consumer_loc or config.loc)

    @staticmethod
    def merge_any_queue(launch: Launch, setting: DjangoHueySetting, queue: Val[Any]) -> bool:
        """``djangohuey --queue NAME`` with a NAME not known here (a Helm ``range`` variable, an unset environment
        variable): django-huey runs one of the queues of ``DJANGO_HUEY``, so a consumer option every queue's
        ``'consumer'`` dict leaves unset is huey's default, and one they all set alike is that value; one they set
        differently is unknown (the queue decides).  False, changing nothing, when a queue's consumer settings are
        built by code (then every option is unknown, as for settings built by code)."""
        from hueylint.hueyfacts import CONFIG_KEYS_BY_VERSION

        configs = list(setting.queues.values())
        if any((config.consumer is not None and not config.consumer_complete)
               or (config.consumer is None and not config.complete) for config in configs):
            return False
        known = {key for key, _ in CONFIG_KEYS_BY_VERSION}
        for key in sorted(known):
            vals = [(config.consumer or {}).get(key) for config in configs]
            if key in launch.options or all(val is None for val in vals):
                continue  # the command line's, or huey's default for every queue
            first = vals[0]
            if first is not None and first.known and all(
                    val is not None and val.known and val.value == first.value for val in vals):
                launch.options[key] = first
            else:
                launch.options[key] = Val.unknown_at(queue.loc, f"`--queue` names a queue not known here "
                                                                f"({queue.unknown}), and the queues set `{key}` "
                                                                "differently")
        return True

    @staticmethod
    def consumer_unknown(launch: Launch, loc: Loc) -> None:
        """Settings built by code: every consumer option the command line leaves unset is unknown.

        Rules then stay silent on them instead of assuming huey's defaults (``flush_locks=True`` set by a
        settings helper function must not become "no -f").
        """
        from hueylint.hueyfacts import CONFIG_KEYS_BY_VERSION

        for key, _ in CONFIG_KEYS_BY_VERSION:
            launch.options.setdefault(key, Val.unknown_at(loc, "consumer settings built by code"))
        launch.consumer.settings_incomplete = Val(True, loc)

    # -- INSTALLED_APPS -------------------------------------------------------------------------
    def installed_modules(self, settings_rel: str, roots: list[str], unit: str = ""
                          ) -> tuple[dict[str, ModuleFacts], bool, list[str]] | None:
        """The modules Django and djhuey import for the installed apps of the repo; None when unreadable.

        Per app: its package, ``models`` and ``apps`` (Django imports them at setup), ``tasks`` (djhuey's
        autodiscovery) and ``admin`` when ``django.contrib.admin`` autodiscovers, plus what they import.
        """
        names = self.effective_apps(settings_rel, roots, set()).get("INSTALLED_APPS")
        if names is None or not names[1]:
            return None
        apps = names[0]
        submodules = ["models", "apps", "tasks"]
        if any(a == "django.contrib.admin" or a == "django.contrib.admin.apps.AdminConfig" for a in apps):
            submodules.append("admin")
        every: list[str] = []  # the modules Django imports first: one closure walk for all of them
        packages: list[str] = []
        for name in apps:
            package = _app_package(name)
            rel = resolve.module_file(self.ws, package, roots)
            if rel is None and self._in_repo_elsewhere(package, unit):
                return None  # the app's code is here under a root hueylint cannot tell (sys.path tweaks)
            if rel is None or resolve.is_test_path(rel):
                continue  # Django itself or a third-party app: not the repo's code
            starts = [rel]
            if rel.endswith("__init__.py"):
                packages.append(posixpath.dirname(rel))
                for sub in submodules:
                    found = resolve.module_file(self.ws, f"{package}.{sub}", roots)
                    if found is not None:
                        starts.append(found)
            every.extend(start for start in starts if start not in every)
        modules, complete = self.closure(every, roots)
        return modules, complete, packages

    def _in_repo_elsewhere(self, package: str, unit: str = "") -> bool:
        """True when a module of the unit's deployed code (below the folder ``unit``, "" the whole repository)
        lives in a folder named like ``package`` (``apps/users/``)."""
        folder = "/" + package.replace(".", "/") + "/"
        return any(folder in "/" + rel for rel in (*self.repo.modules, *self.callers) if _inside(rel, unit))

    def import_root(self, rel: str, roots: list[str]) -> str:
        """The first of ``roots`` a repo file is imported from: its dotted name seen from there resolves back
        to it (``services/x/proj/settings.py`` is ``proj.settings`` from ``services/x``); "" when none."""
        for root in roots:
            if _inside(rel, root) and resolve.module_file(self.ws, resolve.module_for_rel(rel, [root]), roots) == rel:
                return root
        return ""

    def effective_apps(self, rel: str, roots: list[str], seen: set[str]) -> dict[str, tuple[list[str], bool]]:
        """``INSTALLED_APPS`` and ``*_APPS`` lists a settings module ends with: name -> (apps, fully known).

        Star imports are applied where they stand (``from .base import *`` then ``INSTALLED_APPS += [...]``);
        a star import of an untracked module of the project may change every list (then not fully known).
        """
        if rel in seen:
            return {}
        seen.add(rel)
        facts = self.facts(rel)
        if facts is None:
            return {}
        module = resolve.module_for_rel(rel, roots)
        package = rel.endswith("__init__.py")
        events: list[tuple[int, int, Any]] = [(line, 0, (other, own)) for line, _absolute, other, own
                                              in self.star_targets(rel, roots)]
        for index, assignment in enumerate(facts.installed_apps):
            events.append((assignment.loc.line, 1 + index, assignment))
        env: dict[str, tuple[list[str], bool]] = {}
        for _line, _order, event in sorted(events, key=lambda item: (item[0], item[1])):
            if isinstance(event, tuple):
                other, own = event
                if other is not None:
                    env.update(self.effective_apps(other, roots, seen))
                elif own:
                    env = {key: (apps, False) for key, apps_known in env.items() for apps in [apps_known[0]]}
                    env.setdefault("INSTALLED_APPS", ([], False))
                continue
            apps, known = self._apps_value(event, env, facts, module, package, roots, seen)
            if event.op == "extend":
                old = env.get(event.target, ([], False))
                env[event.target] = (old[0] + apps, old[1] and known)
            else:
                env[event.target] = (apps, known and not event.conditional)
        return env

    def _apps_value(self, assignment: Any, env: dict[str, tuple[list[str], bool]], facts: ModuleFacts,
                    module: str, package: bool, roots: list[str], seen: set[str]) -> tuple[list[str], bool]:
        apps: list[str] = []
        known = True
        for part in assignment.parts:
            if part.kind == "app":
                apps.append(part.value)
            elif part.kind == "ref" and part.value in env:
                apps += env[part.value][0]
                known = known and env[part.value][1]
            elif part.kind == "ref" and part.value in facts.imports:  # from .base import BASE_APPS
                target = resolve.resolve_import(module, package, facts.imports[part.value])
                other = resolve.module_file(self.ws, target.rsplit(".", 1)[0], roots) if "." in target else None
                got = self.effective_apps(other, roots, set(seen)).get(target.rsplit(".", 1)[1]) if other else None
                if got is None:
                    known = False
                else:
                    apps += got[0]
                    known = known and got[1]
            else:
                known = False
        return apps, known

    def manage_py(self, roots: list[str]) -> str | None:
        """The ``manage.py`` the launch runs, when it is Django's (it hands the command line to
        ``execute_from_command_line``); a bootstrap script of that name, which runs the project's real
        entry point in a subprocess (django-huey-monitor's), leaves the entry module unknown (None)."""
        for root in roots:
            rel = posixpath.join(root, "manage.py") if root else "manage.py"
            if self.ws.exists(rel):
                src = self.ws.file(rel)
                bootstrap = src is not None and "execute_from_command_line" not in src.text and \
                    _RUNS_OTHER.search(src.text) is not None
                return None if bootstrap else rel
        return None

    def settings_for(self, launch: Launch, roots: list[str]) -> list[tuple[str, ModuleFacts, str]]:
        """The settings module(s) run_huey loads: ``--settings``, ``DJANGO_SETTINGS_MODULE``, or a guess; each
        as (repo file, facts, the root it is imported from)."""
        runtime = False  # DJANGO_SETTINGS_MODULE set by the launch to a value hueylint cannot know
        explicit = launch.consumer.django_settings
        if explicit is None:
            explicit = self.environment_settings(launch, roots)
            if explicit is not None and not explicit.known:
                explicit, runtime = None, True  # manage.py's setdefault does not apply: guess as below
        if explicit is not None:
            if not explicit.known or not isinstance(explicit.value, str):
                return []
            return self.settings_named([explicit.value], roots, elsewhere=True)
        return self.guessed_settings(roots, guess_only=runtime)

    def settings_named(self, names: list[str], roots: list[str], elsewhere: bool = False
                       ) -> list[tuple[str, ModuleFacts, str]]:
        """(repo file, facts, the root it was found under) of each settings module name that resolves;
        ``elsewhere``: a name the launch itself gives (``--settings``, its ``DJANGO_SETTINGS_MODULE``) may also
        be found outside the source roots (:meth:`settings_elsewhere`).  manage.py's default is not: when it
        does not resolve, the settings modules that define huey's setting are judged instead."""
        found: list[tuple[str, ModuleFacts, str]] = []
        for name in names:
            where = resolve.module_root(self.ws, name, roots) or (self.settings_elsewhere(name) if elsewhere else None)
            facts = self.facts(where[0]) if where else None
            if facts is not None and where is not None:
                found.append((where[0], facts, where[1]))
        return found

    def settings_elsewhere(self, name: str) -> tuple[str, str] | None:
        """A settings module named by a folder hueylint does not know to be on ``sys.path`` (one an env file or a
        Poetry ``packages = [{include, from}]`` editable install puts there: ``DJANGO_SETTINGS_MODULE=settings``
        for ``src/app/settings.py``): the repository's only Django settings module at that dotted path, outside
        tests, with the folder above it as its root; None when there is none or several, and in a repository
        of several Django projects (two ``manage.py`` outside tests: a service's settings are not another's).
        A settings module defines huey settings or ``INSTALLED_APPS``, or star-imports the settings it extends."""
        if not name or not re.fullmatch(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*", name):
            return None
        projects = [rel for rel in self.ws.files_named("manage.py") if not resolve.is_test_path(rel)]
        if len(projects) > 1:
            return None  # several Django projects (a monorepo's services): another one's settings are not these
        path = name.replace(".", "/")
        hits = []
        for tail in (f"{path}.py", f"{path}/__init__.py"):
            for rel in self.ws.files_named(tail.rsplit("/", 1)[-1]):
                if rel != tail and rel.endswith("/" + tail) and not resolve.is_test_path(rel):
                    facts = self.facts(rel)
                    if facts is not None and (facts.django_settings or facts.installed_apps or facts.star_imports
                                              or self.includes(rel)):
                        hits.append((rel, rel[: -len(tail) - 1]))
        return hits[0] if len(hits) == 1 else None

    def guessed_settings(self, roots: list[str], guess_only: bool = False) -> list[tuple[str, ModuleFacts, str]]:
        """Settings named by manage.py/wsgi.py/asgi.py (``DJANGO_SETTINGS_MODULE`` defaults; by another module,
        such as a script of the project's own, only when those name none: Sphinx's ``conf.py`` names a docs
        build's settings), else the settings modules that define huey settings, production ones first;
        ``guess_only`` skips the named ones.  None when a module the entry points name exists but cannot be
        parsed (HL001 says why): Django would load that one, so another settings module is not it."""
        entry_names, other_names = ([], []) if guess_only else self.settings_defaults()
        for name in entry_names:
            where = resolve.module_root(self.ws, name, roots)
            if where is not None and self.facts(where[0]) is None:
                return []
        # a named module that cannot define INSTALLED_APPS (an empty settings package whose modules the platform
        # names in DJANGO_SETTINGS_MODULE) cannot run run_huey/djangohuey, management commands of installed apps
        found = [item for item in self.settings_named(entry_names or other_names, roots)
                 if not self.installs_nothing(item[0])]
        if len(found) > 1:
            prod = [item for item in found if PROD_SETTINGS.search(item[0])]
            found = prod[:1] if len(prod) == 1 else found
        if found:
            return found
        candidates = [(m.rel, m, self.import_root(m.rel, roots)) for m in self.repo.settings_modules()
                      if any(s.name in ("HUEY", "DJANGO_HUEY") for s in m.django_settings)]
        prod = [item for item in candidates if PROD_SETTINGS.search(item[0])]
        if len(prod) == 1:
            return prod
        non_dev = [item for item in candidates if not DEV_SETTINGS.search(item[0])]
        return non_dev if len(non_dev) == 1 else candidates

    def settings_defaults(self) -> tuple[list[str], list[str]]:
        """The settings module names the repo's modules give ``DJANGO_SETTINGS_MODULE`` as a default: those of
        manage.py/wsgi.py/asgi.py, and those of any other module, each in module order, once.  The same for every
        launch: read once a run (again only when the app layer has read more modules since)."""
        known = self.named_settings
        if known is None or known[0] != len(self.repo.modules):
            entry_names: list[str] = []
            other_names: list[str] = []
            for facts in self.repo.modules.values():
                names = entry_names if facts.rel.rsplit("/", 1)[-1] in ("manage.py", "wsgi.py", "asgi.py") \
                    else other_names
                for val in facts.django_settings_modules:
                    if val.known and isinstance(val.value, str) and val.value not in names:
                        names.append(val.value)
            known = self.named_settings = (len(self.repo.modules), entry_names, other_names)
        return known[1], known[2]

    def installs_nothing(self, rel: str) -> bool:
        """The settings module ``rel`` binds neither huey's setting nor ``INSTALLED_APPS`` in any way Python could:
        its text never names it, and it neither star-imports, includes (django-split-settings), ``exec``s nor
        writes ``globals()`` (an empty ``settings/__init__.py``).  Django then runs with no app installed, so no
        management command of an app (``run_huey``, ``djangohuey``) exists: the settings that run are named
        elsewhere (the platform's ``DJANGO_SETTINGS_MODULE``)."""
        facts = self.facts(rel)
        if facts is None or facts.django_settings or facts.star_imports or self.includes(rel, facts):
            return False
        src = self.ws.file(rel)
        if src is None:
            return True
        named = resolve.may_bind_settings(plain_text(src))
        note(src, "binds-settings", named)
        return not named

    def environment_settings(self, launch: Launch, roots: list[str]) -> Val[Any] | None:
        """``DJANGO_SETTINGS_MODULE`` from the launch's environment, or a ``.env`` manage.py loads first.

        The environment beats manage.py's ``os.environ.setdefault(...)``, but not a forced
        ``os.environ["DJANGO_SETTINGS_MODULE"] = ...`` (then None: manage.py's value is read as before).
        An unknown Val means the variable is set to a value hueylint cannot know.
        """
        from hueylint.environment import nearby_dotenv

        manage = self.manage_py(roots)
        text = self.text(manage) if manage else ""
        if re.search(r"""environ\[\s*["']DJANGO_SETTINGS_MODULE["']\s*\]\s*=(?!=)""", text):
            return None
        found = launch.environment.get("DJANGO_SETTINGS_MODULE")
        if found is not None or not manage:
            return found
        loads = re.search(r"\b(load_dotenv|read_env|read_dotenv)\s*\(", text)
        default = re.search(r"DJANGO_SETTINGS_MODULE", text)
        if loads is None or (default is not None and default.start() < loads.start()):
            return None
        return nearby_dotenv(self.ws, posixpath.dirname(manage)).get("DJANGO_SETTINGS_MODULE")

    def star_imports(self, rel: str) -> list[tuple[int, str]]:
        """(line, module as written) of each ``from X import *`` of a module, in source order
        (:func:`hueylint.pyapp.resolve.star_import_lines`; noted as the reading ``stars`` for the run cache's
        early cutoff, :mod:`hueylint.python_edits`)."""
        src = self.ws.file(rel)
        if src is None:
            return []
        found = resolve.star_import_lines(plain_text(src))
        note(src, "stars", [[line, target] for line, target in found])
        return found

    def test_only(self, rel: str) -> frozenset[int]:
        """The lines of ``rel`` that run only under a test runner (:func:`resolve.runner_only_lines`; noted as the
        reading ``test-only`` for the run cache's early cutoff): a star import there never runs in a consumer."""
        src = self.ws.file(rel)
        if src is None:
            return frozenset()

        def compute() -> frozenset[int]:
            found = resolve.runner_only_lines(plain_text(src))
            note(src, "test-only", found)
            return frozenset(found)

        return self.ws.memo(("test-only", rel), compute)

    def star_targets(self, rel: str, roots: list[str]) -> list[tuple[int, str, str | None, bool]]:
        """Each ``from X import *`` of module ``rel`` (:meth:`star_imports`) and each file its django-split-settings
        ``include()`` runs (:meth:`include_targets`), in source order: (line, the module it names as an absolute
        dotted name, its repository file or None, and whether a missing one belongs to ``rel``'s own top
        package: an untracked override such as ``local.py`` may stand there)."""
        module = resolve.module_for_rel(rel, roots)
        package = rel.endswith("__init__.py")
        found = []
        stars = self.star_imports(rel)
        skipped = self.test_only(rel) if stars else frozenset()
        for line, target in stars:
            if line in skipped:
                continue  # `if 'test' in sys.argv: from .test import *`: never in the consumer's process
            absolute = resolve.resolve_import(module, package, target)
            other = resolve.module_file(self.ws, absolute, roots)
            found.append((line, absolute, other, other is None and absolute.split(".")[0] == module.split(".")[0]))
        included = self.include_targets(rel, roots)
        return sorted(found + included, key=lambda item: item[0]) if included else found

    def includes(self, rel: str, facts: ModuleFacts | None = None) -> list[Any]:
        """The django-split-settings ``include()`` arguments of settings module ``rel``
        (:func:`hueylint.pyapp.split_settings.includes`), read once a run; none unless its imports take
        something from ``split_settings``."""
        from hueylint.pyapp import split_settings

        facts = facts if facts is not None else self.facts(rel)
        if facts is None or not split_settings.uses_split_settings(facts.imports):
            return []
        return self.ws.memo(("split-settings", rel), lambda: split_settings.includes(self.text(rel)))

    def include_targets(self, rel: str, roots: list[str]) -> list[tuple[int, str, str | None, bool]]:
        """The files the ``include()`` calls of ``rel`` run in its namespace, as :meth:`star_targets` gives star
        imports (the same effect on what the module binds): paths relative to ``rel``'s folder, a glob's
        matches sorted, ``rel`` itself skipped.  A missing ``optional()`` file is skipped (the committed
        settings run without it); a missing mandatory one must exist where the settings run: an untracked file
        (module None, ``own``).  A path computed at run time (``"environments/{}.py".format(ENV)``) is the
        production one among the files it can name (:data:`PROD_SETTINGS`), when exactly one is; else unknown
        (module None, ``own``, named as written)."""
        folder = posixpath.dirname(rel)
        found: list[tuple[int, str, str | None, bool]] = []
        for include in self.includes(rel):
            pattern = include.pattern if include.pattern is not None else include.choice
            path = posixpath.normpath(posixpath.join(folder, pattern)) if pattern is not None else None
            if path is None or leads_outside(path):
                found.append((include.line, include.written, None, True))
                continue
            files = [f for f in (self.ws.glob_files(path) if _GLOB_CHARS.search(path) else
                                 [path] if self.ws.exists(path) else []) if f != rel]
            if include.pattern is None:  # computed: which one runs is chosen by the environment
                production = [f for f in files if PROD_SETTINGS.search(f[len(folder):])]
                if len(production) == 1:
                    found.append((include.line, resolve.module_for_rel(production[0], roots), production[0], False))
                else:
                    found.append((include.line, include.written, None, True))
            elif files:
                found += [(include.line, resolve.module_for_rel(f, roots), f, False) for f in files]
            elif not include.optional:
                found.append((include.line, resolve.module_for_rel(path, roots), None, True))
        return found

    def mark_overridden_settings(self) -> None:
        """Settings whose own ``HUEY`` is not what runs: an untracked module may override it, or another
        settings module star-imports it and then replaces ``HUEY`` or sets its ``immediate``."""
        roots = resolve.source_roots(self.ws, None)
        self.mark_debug_settings(roots)
        for facts in self.repo.settings_modules():
            if self.effective_huey(facts.rel, roots, set()) is None:
                self.repo.overridable.add(facts.rel)
            overrides = _override_lines(facts)
            for line, absolute, other, own in self.star_targets(facts.rel, roots):
                if other is not None and other != facts.rel and any(at > line for at in overrides) \
                        and not self.repo.development(facts.rel):  # test settings turning immediate on: not production
                    self.repo.overridable.add(other)
                if own and any(at < line for at in overrides):
                    self.repo.untracked_overrides.setdefault(
                        facts.rel, (self.import_name(facts.rel, absolute), self.template_of(absolute, roots)))
        for facts in self.repo.modules.values():
            if facts.is_settings:
                self.mark_inherited_override(facts, roots)

    def mark_debug_settings(self, roots: list[str]) -> None:
        """Settings modules that run with ``DEBUG = True`` written in them (or in what they star-import, not
        turned off after) are development settings whatever their name (``settings/agent.py``), when no module
        of the repository star-imports them and their folder holds another settings module that does not: a
        project's only settings, or the base its production settings build on, are not."""
        settings = [rel for rel, facts in self.repo.modules.items() if facts.is_settings]
        imported: set[str] = set()
        for rel, facts in self.repo.modules.items():
            if facts.star_imports or self.includes(rel):
                imported.update(other for _line, _absolute, other, _own in self.star_targets(rel, roots)
                                if other is not None and other != rel)
        on = {rel for rel in settings if _debug_on(self.effective_debug(rel, roots, set()))}
        for rel in on - imported:
            folder = posixpath.dirname(rel)
            if any(posixpath.dirname(other) == folder and other not in on and not other.endswith("__init__.py")
                   for other in settings):
                self.repo.dev_settings.add(rel)

    def effective_debug(self, rel: str, roots: list[str], seen: set[str], before: int = 0) -> Val[bool] | None:
        """The ``DEBUG`` a settings module ends up with (Django's ``settings.DEBUG`` when it is the settings
        module that runs), following ``from .base import *`` in source order: a known Val when the last binding
        is a literal written unconditionally, unknown after a conditional or computed one or a star import of
        an untracked module of the project (an untracked ``local.py`` may set it), None when nothing binds it.
        With ``before``, the ``DEBUG`` the module has when its line ``before`` runs (the bindings above it)."""
        facts = self.facts(rel) if rel not in seen else None
        if facts is None:
            return None
        seen.add(rel)
        events: list[tuple[int, Val[bool] | tuple[str, str | None, bool]]] = [(val.loc.line, val) for val in facts.debug]
        if facts.star_imports or self.includes(rel):
            events += [(line, (absolute, other, own)) for line, absolute, other, own in self.star_targets(rel, roots)]
        if before:
            events = [(line, event) for line, event in events if line < before]
        state: Val[bool] | None = None
        for line, event in sorted(events, key=lambda item: item[0]):
            if isinstance(event, Val):
                state = event
                continue
            absolute, other, own = event
            if other is None:
                if own:
                    state = Val.unknown_at(Loc(rel, line, 1), f"untracked override `{absolute}`")
                continue
            inherited = self.effective_debug(other, roots, seen)
            if inherited is None:
                continue
            if self.indented(rel, line) and not (state is not None and state.known and inherited.known
                                                 and state.value == inherited.value):
                # `if PRODUCTION: from .prod import *` / `else: from .dev import *`: either may run
                state = Val.unknown_at(Loc(rel, line, 1), "conditional star import")
            else:
                state = inherited
        return state

    def included_updates(self, base: DjangoHueySetting, rel: str) -> DjangoHueySetting:
        """``base`` with the updates (``HUEY["key"] = ...``, ``HUEY.update(...)``) of ``rel``, a file a
        django-split-settings ``include()`` runs in the namespace that holds ``base``, in source order (not
        those under ``if DEBUG:``)."""
        facts = self.facts(rel)
        for update in facts.django_settings if facts is not None else []:
            if update.name == base.name and update.form == "update" and update.config is not None \
                    and update.dev_branch is not True:
                base = _apply_update(base, update)
        return base

    def indented(self, rel: str, line: int) -> bool:
        """True when line ``line`` of ``rel`` is indented: a statement in a block (``if``, ``try``), not one the
        module always runs."""
        src = self.ws.file(rel)
        return src is not None and line > 0 and src.line(line)[:1] in (" ", "\t")  # a line shown: the cutoff compares it

    def mark_inherited_override(self, facts: ModuleFacts, roots: list[str]) -> None:
        """``from .base import *`` then ``from .local import *`` (untracked) in a settings module that neither
        replaces ``HUEY`` nor sets its ``immediate`` after them (a settings package's ``__init__.py``): the
        untracked module may override the ``HUEY`` it inherits, so the module holding that setting depends on it."""
        own = _override_lines(facts)
        holder: tuple[str, int] | None = None  # (module holding the inherited HUEY, line of its star import)
        for line, absolute, other, ours in self.star_targets(facts.rel, roots):
            if other is not None and other != facts.rel:
                setting = self.effective_huey(other, roots, set())
                if setting is not None and setting.loc.path:
                    holder = (setting.loc.path, line)
            elif other is None and holder is not None and ours and not any(at > holder[1] for at in own):
                self.repo.untracked_overrides.setdefault(
                    holder[0], (self.import_name(facts.rel, absolute), self.template_of(absolute, roots)))

    def import_name(self, rel: str, absolute: str) -> str:
        """``absolute`` (a dotted name seen from the repository root) as the project imports it: without the
        folders above ``rel``'s top package (``OneSila.OneSila.settings.local`` -> ``OneSila.settings.local``
        when ``OneSila/`` holds ``manage.py`` and no ``__init__.py``)."""
        top = resolve.package_root(self.ws, rel)
        prefix = top.replace("/", ".") + "." if top else ""
        return absolute[len(prefix):] if prefix and absolute.startswith(prefix) else absolute

    def follow_ref(self, setting: DjangoHueySetting, rel: str, roots: list[str]) -> DjangoHueySetting:
        """``HUEY = queue.HUEY`` / ``HUEY = huey`` (imported): the instance it names, as an ``instance`` setting;
        ``unknown`` when the import leads outside the repo or to something that is not a Huey instance."""
        facts = self.facts(rel)
        module = resolve.module_for_rel(rel, roots)
        absolute = resolve.resolve_import(module, rel.endswith("__init__.py"), setting.ref)
        owner, _, attr = absolute.rpartition(".")
        found = resolve.module_file(self.ws, owner, roots) if owner else None
        other = self.facts(found) if found else None
        instances = self.follow_instance(other, attr, roots, set()) if other is not None and facts is not None else []
        if not instances:
            return replace(setting, form="unknown")
        return replace(setting, form="instance", instance=instances[-1])

    def template_of(self, module: str, roots: list[str]) -> str:
        """A template or example copy of a module missing from the repo (``local_settings.py.example``,
        ``local_settings_example.py``, ``local_settings.dist.py``), or ""."""
        path = module.replace(".", "/")
        for root in roots:
            base = posixpath.join(root, path) if root else path
            for word in _TEMPLATE_WORDS:
                for rel in (f"{base}.py.{word}", f"{base}.{word}.py", f"{base}_{word}.py", f"{base}.{word}"):
                    if self.ws.exists(rel):
                        return rel
        return ""

    def star_walk(self, what: str, rel: str, roots: list[str], seen: set[str],
                  compute: Callable[[ModuleFacts, set[str]], _Found]) -> _Found | None:
        """``compute(facts, path)`` for settings module ``rel``, once a run per module and roots (a module two
        siblings star-import, ``from .a import *`` then ``from .b import *`` both over ``base``, is read for
        each: Python runs ``base``'s bindings again in ``b``); None for a module on ``seen``, the chain of star
        imports that reached it (a cycle), or without facts.  ``path``: that chain with ``rel``, for the
        modules it star-imports."""
        if rel in seen:
            return None
        facts = self.facts(rel)
        if facts is None:
            return None
        return self.ws.memo((what, rel, *roots), lambda: compute(facts, seen | {rel}))

    def written_huey(self, rel: str, roots: list[str], seen: set[str]) -> Loc | None:
        """Where the ``HUEY``/``DJANGO_HUEY`` settings module ``rel`` ends up with is written, as far as the
        repository shows: its own production definition (:func:`_production_setting`), or the one a repository
        module it star-imports after it holds (an untracked module is skipped: it is not there to point at);
        None when none is written (:meth:`star_walk`)."""
        return self.star_walk("written-huey", rel, roots, seen, lambda facts, path: self._written_huey(facts, roots, path))

    def _written_huey(self, facts: ModuleFacts, roots: list[str], seen: set[str]) -> Loc | None:
        rel = facts.rel
        own = _production_setting([s for s in facts.django_settings
                                   if s.name in ("HUEY", "DJANGO_HUEY") and s.form != "update"])
        found = own.loc if own is not None else None
        for line, _absolute, other, _ours in self.star_targets(rel, roots):
            if other is not None and (found is None or line > found.line or found.path != rel):
                found = self.written_huey(other, roots, seen) or found
        return found

    def effective_huey(self, rel: str, roots: list[str], seen: set[str]) -> DjangoHueySetting | None:
        """The ``HUEY``/``DJANGO_HUEY`` a settings module ends up with, following ``from .base import *``
        (:meth:`star_walk`).

        A star import of a module that is not in the repo (an untracked ``local.py``) after the
        setting may override it: the result is then None (unknown), never the base's value.
        """
        return self.star_walk("effective-huey", rel, roots, seen,
                              lambda facts, path: self._effective_huey(facts, roots, path))

    def _effective_huey(self, facts: ModuleFacts, roots: list[str], seen: set[str]) -> DjangoHueySetting | None:
        rel = facts.rel
        star_lines = self.star_targets(rel, roots)
        own = [s for s in facts.django_settings if s.name in ("HUEY", "DJANGO_HUEY")]
        base = _production_setting([s for s in own if s.form != "update"])
        base_line = base.loc.line if base is not None else 0
        included = {other for _line, _absolute, other, _ours in self.include_targets(rel, roots)} \
            if facts.is_settings and self.includes(rel, facts) else set()
        for line, _absolute, other, ours in star_lines:
            if line < base_line:
                continue
            if other is None:
                if ours:
                    return None  # an untracked override of our own package may change HUEY
                continue
            inherited = self.effective_huey(other, roots, seen)
            if inherited is not None:
                base, base_line = inherited, line
            elif other in included and base is not None:
                # an included file runs in this module's namespace: its `HUEY["consumer"] = {...}` updates ours
                base = self.included_updates(base, other)
        if base is None:
            return None
        if base.form == "ref":
            base = self.follow_ref(base, rel, roots)
        for update in own:
            if update.form != "update" or update.loc.line < base_line or update.config is None \
                    or update.dev_branch is True:
                continue  # `if DEBUG: HUEY['immediate'] = True` does not run in production
            base = _apply_update(base, update)
        return base


def args_fields(args: HueyArgs) -> dict[str, Any]:
    """The :class:`HueyArgs` fields of ``args`` (an instance or a ``HUEY`` dict's) by name."""
    return {name: getattr(args, name) for name in HueyArgs.__dataclass_fields__}


def _merge_keys(mine: HueyArgs, theirs: HueyArgs, role: str, overrides: bool) -> tuple[set[str] | None, set[str]]:
    """Which keys of ``mine`` win over a splatted dict's (``theirs``), None for all of them, and which keys of
    ``theirs`` are thrown away, for a splat of this ``role`` (:attr:`SplatFact.role`): for a constructor's
    keyword arguments all or none (``overrides``); for a ``HUEY`` dict's ``connection``, its keys beat the top
    level's always and the connection's own written keys unless it ``overrides``; for a ``HUEY`` dict's top
    level, Python's merge (one ``connection`` dict replacing the other whole), then djhuey's: the surviving
    ``connection``'s keys over the top level's (huey 3.5.4 ``djhuey/__init__.py``, ``huey_config.update(conn_kwargs)``)."""
    if role == "":
        return (set() if overrides else None), set()
    own_conn = set(mine.connection or {}) if isinstance(mine, HueyConfig) else set()
    if role == "connection":
        return (set() if overrides else own_conn), set()
    assert isinstance(mine, HueyConfig)
    special = set(DJHUEY_SPECIAL_KEYS)
    their_conn = set(theirs.connection or {}) if isinstance(theirs, HueyConfig) else set()
    their_top = (set(theirs.entries) if isinstance(theirs, HueyConfig) else set(theirs.kwargs)) - special
    own_has = "connection" in mine.entries
    their_has = isinstance(theirs, HueyConfig) and "connection" in theirs.entries
    mine_conn_wins = own_has and not (their_has and overrides)
    their_conn_wins = their_has and not (own_has and not overrides)
    keep: set[str] = set()
    for key in (set(mine.entries) - special) | own_conn:
        if mine_conn_wins and key in own_conn:
            keep.add(key)
        elif not (their_conn_wins and key in their_conn) and key in mine.entries \
                and not (overrides and key in their_top):
            keep.add(key)
    return keep, (set() if their_conn_wins else their_conn - their_top)


def _merge_config(mine: HueyConfig, theirs: HueyArgs, overrides: bool) -> dict[str, Any]:
    """The :class:`HueyConfig` fields of a ``HUEY`` dict after a top-level splat of ``theirs`` (a ``HUEY`` dict of
    another settings module, or a plain dict): its entries, ``huey_class``, ``connection`` and ``consumer`` as
    Python's merge leaves them (the later one wins a key written in both)."""
    their_entries = theirs.entries if isinstance(theirs, HueyConfig) else theirs.kwargs
    entries = {**mine.entries, **their_entries} if overrides else {**their_entries, **mine.entries}
    changes: dict[str, Any] = {"entries": entries}
    if not isinstance(theirs, HueyConfig):
        return changes

    def theirs_wins(key: str) -> bool:
        return key in theirs.entries and (overrides or key not in mine.entries)

    if theirs_wins("huey_class"):
        changes["huey_class"] = theirs.huey_class
    if theirs_wins("connection"):
        changes["connection"] = theirs.connection
    if theirs_wins("consumer"):
        changes.update(consumer=theirs.consumer, consumer_loc=theirs.consumer_loc,
                       consumer_complete=theirs.consumer_complete)
    return changes


def _merge_args(merged: dict[str, Any], args: HueyArgs, keep: set[str] | None,
                drop: frozenset[str] | set[str] = frozenset()) -> None:
    """Merge the arguments of a splatted dict (``args``) into ``merged`` (:func:`args_fields`): a value given in
    both is ``merged``'s when its key is one ``keep`` holds (None: every key), else the splat's; the splat's keys
    in ``drop`` are not passed at all (:func:`_merge_keys`)."""
    def wins(key: str) -> bool:
        return keep is None or key in keep

    def pick(key: str, mine: Any, theirs: Any) -> Any:
        return theirs if theirs is not None and key not in drop and (mine is None or not wins(key)) else mine

    keyed = {"name": "name", "immediate": "immediate", "results": "results", "serializer": "serializer",
             "compression": "compression", "storage_class": "storage_class", "immediate_ref": "immediate"}
    for name, key in keyed.items():
        merged[name] = pick(key, merged[name], getattr(args, name))
    theirs = [location for location in args.storage if location.key not in drop]
    keys = {location.key for location in theirs}
    mine = [location for location in merged["storage"] if not (location.key in keys and not wins(location.key))]
    written = {location.key for location in mine}
    merged["storage"] = (*mine, *(location for location in theirs if location.key not in written))
    merged["passwords"] = (*merged["passwords"], *args.passwords)
    kwargs = {key: value for key, value in args.kwargs.items() if key not in drop}
    kwargs.update({key: value for key, value in merged["kwargs"].items() if key not in kwargs or wins(key)})
    merged["kwargs"] = kwargs


def _debug_on(val: Val[bool] | None) -> bool:
    return val is not None and val.known and val.value is True


def _override_lines(facts: ModuleFacts) -> list[int]:
    """Lines where a settings module replaces ``HUEY``/``DJANGO_HUEY`` or sets its ``immediate``."""
    return [s.loc.line for s in facts.django_settings if s.name in ("HUEY", "DJANGO_HUEY") and (
        s.form != "update" or (s.config is not None and s.config.immediate is not None))]


def _inside(rel: str, folder: str) -> bool:
    """True when the repo path ``rel`` lies in ``folder`` ("" the repository root)."""
    return not folder or rel.startswith(f"{folder}/")


def _script_unit(rel: str, roots: list[str]) -> str:
    """The unit folder of a script launch: the outermost candidate root below the repository root holding the
    script (a script may put its folder's parents on ``sys.path`` itself), "" when none does."""
    holding = [root for root in roots if root and root != "src" and _inside(rel, root)]
    return min(holding, key=len, default="")


def _production_setting(full: list[DjangoHueySetting]) -> DjangoHueySetting | None:
    """The setting a production deployment runs with among a module's definitions in source order: the last
    one, or when it is in an if/try branch, the production-looking branch among it and the branches since
    the last unconditional definition (development-looking ones, ``if DEBUG:``, only when nothing else)."""
    if not full:
        return None
    start = max((i for i, setting in enumerate(full) if not setting.conditional), default=0)
    candidates = full[start:]
    production = [s for s in candidates if s.conditional and s.dev_branch is False]
    others = [s for s in candidates if s.dev_branch is not True]
    return production[0] if production else (others or candidates)[-1]


def _app_package(name: str) -> str:
    """``shop.apps.ShopConfig`` -> ``shop``; ``shop.ShopConfig`` -> ``shop``; ``shop`` -> ``shop``."""
    module, _, last = name.rpartition(".")
    if module and last[:1].isupper():  # an AppConfig class
        return module[:-len(".apps")] if module.endswith(".apps") else module
    return name


def _apply_update(base: DjangoHueySetting, update: DjangoHueySetting) -> DjangoHueySetting:
    """``HUEY.update(...)`` / ``HUEY['k'] = v`` over a dict setting: keys of the update win."""
    if base.form == "instance" or base.config is None or update.config is None:
        return base
    old, new = base.config, update.config
    keys = set(new.entries)
    changes: dict[str, Any] = {}
    for name in ("immediate", "results", "serializer", "name", "storage_class"):
        if name in keys:
            changes[name] = getattr(new, name)
    if "huey_class" in keys:
        changes["huey_class"] = new.huey_class
    if new.storage:
        changes["storage"] = new.storage
    if new.passwords:
        changes["passwords"] = (*old.passwords, *new.passwords)
    if new.consumer is not None:
        merged = dict(old.consumer or {})
        merged.update(new.consumer)
        changes["consumer"] = merged
        changes["consumer_loc"] = new.consumer_loc if "consumer" in keys else (old.consumer_loc or new.consumer_loc)
        if "consumer" in keys:
            changes["consumer_complete"] = new.consumer_complete
    entries = dict(old.entries)
    entries.update(new.entries)
    changes["entries"] = entries
    return replace(base, config=replace(old, **changes))

