"""One run, in the order data flows: discover, parse, model, link, check, filter.

The engine is the only place that knows the whole pipeline; every stage
below it sees only its own inputs, which keeps platforms, rules and
reporters independent of each other.
"""

from __future__ import annotations

import os
import posixpath
import time
from dataclasses import field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from hueylint import fingerprints
from hueylint.catalog import rule_ids, rule_severity
from hueylint.config import Settings
from hueylint.discovery import (
    Discovery,
    Notice,
    Walked,
    checked_roots,
    discover,
    rel_path,
    run_root,
    stdin_source,
    walk_tree,
)
from hueylint.findings import Finding, Severity
from hueylint.locations import Loc
from hueylint.named_context import named_scope, near_named, read_context
from hueylint.records import dataclass
from hueylint.safeio import unfixable
from hueylint.suppressions import (
    FileSuppressions,
    annotation,
    directive_findings,
    source_directives,
)
from hueylint.words import clipped
from hueylint.workspace import Workspace, named_folders

if TYPE_CHECKING:  # the model and the checks: imported by a run that builds, never by a replay
    from hueylint.model import HueyVersion, Project
    from hueylint.pyapp.cache import Prefetch
    from hueylint.python_edits import Resolver
    from hueylint.runcache import Kept, Replay
    from hueylint.sources import SourceFile


@dataclass
class Options:
    """How one run reads and reports, beyond the settings (:class:`hueylint.config.Settings`): the CLI's
    flags that are no configuration keys."""

    show_unused_ignores: bool = False
    stdin: tuple[str, bytes] | None = None  # (filename, the bytes read: at most MAX_BYTES + 1) for `-` paths
    cache: bool = True  # read and write the facts and discovery caches (False: --no-cache)
    cache_dir: str | None = None  # --cache-dir (else HUEYLINT_CACHE_DIR, else the user's cache folder)
    progress: Callable[[str], None] = lambda text: None  # the stage being run, for a status line (hueylint.progress)
    # replay the result of an identical earlier run (hueylint.runcache; with `cache` only): the CLI's plain check
    replay: bool = False


@dataclass
class Result:
    """The outcome of :func:`run`, what the reporters and commands read.

    ``root``: the folder every path is relative to (:func:`hueylint.discovery.run_root`); ``findings``:
    after suppressions and configuration, deduplicated, with their final severity and fingerprint, sorted
    by path, line, column and rule; ``notices``: files not read and internal errors (:attr:`internal_errors`);
    ``project``: the model the checks read (None for a replayed run, which builds none); ``files_checked``:
    every file analysed; ``suppressed``: findings dropped by a ``hueylint: ignore`` comment or
    ``per-file-ignores``; ``warnings``: what the run could not look at (:mod:`hueylint.coverage`), for stderr and the JSON/SARIF reports.
    """

    root: Path
    findings: list[Finding]
    notices: list[Notice]
    project: Project | None
    files_checked: int
    suppressed: int = 0
    extra: dict[str, object] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list)  # every file the run read, its path (-o never overwrites one)
    # the analysed text of a file's line (stdin included; "" when unknown), for code frames
    line_of: Callable[[str, int], str] | None = None

    @property
    def internal_errors(self) -> list[Notice]:
        """Notices of hueylint bugs (:func:`_internal_error`): the run is incomplete, the CLI exits 2."""
        return [notice for notice in self.notices if notice.reason.startswith(INTERNAL_ERROR)]
    warnings: list[str] = field(default_factory=list)  # what the run could not look at (stderr, hueylint.coverage)


INTERNAL_ERROR = "internal error"


def _huey_version(ws: Workspace, settings: Settings, project: Project, folders: list[str] | None = None,
                  walked: list[str] | None = None) -> tuple[dict[str, HueyVersion], HueyVersion]:
    from hueylint import versions

    deps = [src for src in ws.sources.values()  # a setup.py is a Python source that may pin huey too
            if src.format in ("deps", "dockerfile", "python") and versions.is_dependency_file(src.rel)]
    # nothing under the named paths: no launch or app for a version to judge, so none is read above them (they
    # were counted as checked, "All checks passed! (2 files checked)" beside "No files hueylint reads found")
    named = ws.dependency_files_above(folders or [], {src.rel for src in deps}) if ws.sources else []
    cache = versions.DependencyCache(ws.root, enabled=ws.use_cache, cache_dir=ws.cache_dir)
    facts = {src.rel: cache.facts(src) for src in deps}  # pins, includes, parse error: by content
    facts.update((src.rel, cache.facts(src)) for src in named)
    for src in deps:
        error = facts[src.rel].error
        if error is not None:
            line, col, message = error
            ws.unparseable(src, line, col, message)
    installs = _image_installs(ws, deps + named)
    if settings.huey_version:
        ws.warnings += _newer_than_known(settings.huey_version)
    # (folder -> version, the repository's)
    table, version = versions.folder_versions(deps + named, settings.huey_version, lambda src: facts[src.rel], installs)
    if folders:
        project.read_versions = _versions_on_demand(ws, settings, project, folders, deps, named, facts, cache, walked,
                                                    installs)
    if version.basis == "assumed" and not table and (ws.of_format("python") or ws.in_context):
        from hueylint.pyapp.resolve import is_test_path  # the code may date it (huey.backends)

        code = [src for src in ws.sources.values() if src.format == "python" and not is_test_path(src.rel)]
        # a run of named paths in context: the repository's other modules, as the whole run walks them
        code += [src for rel in ws.unwalked() if rel.endswith(".py") and not is_test_path(rel)
                 for src in [ws.context_source(rel, "python")] if src is not None]
        version = versions.code_version(code) or version
    if version.basis == "assumed" and not table:  # no pin found: one in a file pip reads outside the tree is unknown
        for src in deps:
            for line, include in versions.outside_includes(src):
                ws.not_read_outside(Loc(src.rel, line, 1), f"`{clipped(include)}`",
                                    "the huey version it may pin is unknown (the newest release is assumed)")
    return table, version


def _newer_than_known(configured: str) -> list[str]:
    """The warning for a configured ``huey-version`` newer than every release hueylint knows
    (:data:`hueylint.hueyfacts.HUEY_RELEASES`), or none: the checks know what huey did up to that release, so
    they judge a later one as it (what the later release changed is not known to them).  A version within the
    known range that is no release (``3.4.5``) is judged as the releases before it, as any pin is."""
    from hueylint.hueyfacts import HUEY_RELEASES
    from hueylint.versions import parse_version

    newest, wanted = HUEY_RELEASES[-1], parse_version(configured)
    known = parse_version(newest)
    if wanted is None or known is None or wanted <= known:
        return []
    return [f"huey-version {configured} is newer than the newest huey release hueylint knows ({newest}): it is "
            f"checked as {newest} behaves (what a later release changed is not known to these checks)"]


def _image_installs(ws: Workspace, files: list[SourceFile]) -> dict[str, list[str]]:
    """Dockerfile -> the repository's dependency files its installs read (``pip install -r``, ``poetry install``,
    ...: :func:`hueylint.platforms.docker.image_install_files`): the install that gives its image's huey."""
    from hueylint.versions import install_file_words

    found: dict[str, list[str]] = {}
    for src in files:
        if src.format == "dockerfile" and install_file_words(src.text):
            # the platforms (and the chain they import) only for such a Dockerfile: a run without one never loads them
            from hueylint.platforms.docker import image_install_files

            found[src.rel] = image_install_files(ws, src)
    return found


def _versions_on_demand(ws: Workspace, settings: Settings, project: Project, folders: list[str], deps: list[SourceFile],
                        named: list[SourceFile], facts: dict[str, Any], cache: Any,
                        walked: list[str] | None, installs: dict[str, list[str]]) -> Callable[[str], None]:
    """For a run of named paths: the reader :meth:`Project.nearest_version` calls with a path it looks up (a
    launch's image's Dockerfile, build context, scripts; an app's module).  The path's folder, or one above it, that
    the walk did not cover (``walked``: the named folders) has its dependency files read
    (:meth:`Workspace.dependency_files_above`) and ``project.folder_versions`` is computed again, so the
    launch gets the huey the run over the whole repository gives it: ``hueylint check docker-compose.yml``
    whose service builds ``./worker`` (``worker/requirements.txt`` pinning huey 2.5.2) took the newest huey."""
    from hueylint import versions

    seen: set[str] = set(folders)  # read already
    known = {src.rel for src in [*deps, *named]}
    covered = ["" if rel == "." else rel for rel in walked or []]

    def read(path: str) -> None:
        wanted: list[str] = []
        if path.startswith(("/", "../")):
            return
        folder = path.strip("/") if path.endswith("/") else posixpath.dirname(path)
        while folder not in seen and not any(folder == done or folder.startswith(done + "/") or done == ""
                                             for done in covered):
            seen.add(folder)
            wanted.append(folder)
            if not folder:
                break
            folder = posixpath.dirname(folder)
        more = ws.dependency_files_above(wanted, known) if wanted else []
        if not more:
            return
        named.extend(more)
        facts.update((src.rel, cache.facts(src)) for src in more)
        project.folder_versions, _ = versions.folder_versions(deps + named, settings.huey_version,
                                                              lambda src: facts[src.rel], installs)

    return read


def _internal_error(notices: list[Notice], rel: str, what: str, exc: Exception) -> None:
    """Last line of defence: a bug in one platform builder, the app layer or one check becomes a notice
    naming it (the rest of the run goes on) instead of a traceback.  ``HUEYLINT_DEBUG`` set (the test
    suite sets it) re-raises, so such bugs still fail loudly in CI."""
    if os.environ.get("HUEYLINT_DEBUG"):
        raise exc
    detail = (f"{type(exc).__name__}: {exc}" if str(exc).strip() else type(exc).__name__).splitlines()[0][:200]
    notices.append(Notice(rel, f"{INTERNAL_ERROR} in {what} ({detail}); its results are missing. "
                               "Please report this at the hueylint issue tracker"))


def build_project(paths: list[Path], settings: Settings, options: Options | None = None,
                  walked: Walked | None = None) -> tuple[Workspace, Project, list[Notice]]:
    """The model of ``paths`` (files or folders) without the checks: discover the files (honouring
    ``settings``' excludes and .gitignore), read the huey version of each folder, run the platform builders,
    resolve their overlaps (:mod:`hueylint.overlaps`) and link the Python app layer.

    Returns the run's :class:`Workspace` (its ``findings`` hold the HL001 findings of files that could not
    be read or parsed), the :class:`Project` and the notices (files skipped, internal errors).  Bad input
    never raises: an exception escaping one builder or the app layer becomes an internal-error notice and
    the rest of the model is built (``HUEYLINT_DEBUG`` set: it is re-raised).  ``walked``: the walk
    (:func:`hueylint.discovery.walk_tree`) when the caller did it already.
    """
    options = options or Options()
    root = run_root(paths)
    options.progress("reading files...")
    refused = None
    if walked is None:
        options, refused = _usable_cache(options, root, checked_roots(paths, root))
    found = discover(paths, root, settings.exclusion(root), walked, cache=options.cache, cache_dir=options.cache_dir)
    options.progress(f"reading {len(found.sources) + len(found.others):,} files: "
                     f"building deployments from {len(found.sources):,}...")
    # Python entry points are parsed while platforms build: the chain gets the app layer's finder
    ws = Workspace(root=root, settings=settings, others=found.others, gated=found.gated, gitignored=found.gitignored,
                   listings=found.listings, walked=found.walked, roots=found.roots, notices=found.notices,
                   use_cache=options.cache, cache_dir=options.cache_dir,
                   python_entry=_python_script)
    for src in found.sources:
        ws.sources[src.rel] = src
    if refused is not None:
        ws.warnings.append(refused)
    if options.stdin is not None:
        name, data = options.stdin
        inside = rel_path(Path(name), root)  # --stdin-filename names a file relative to the current folder
        # outside the root: a relative name is read as the root's; an absolute one is shown absolute, as any path
        # outside the root (stripping its `/` made /etc/Dockerfile the root's etc/Dockerfile)
        name = inside if not inside.startswith("../") or Path(name).is_absolute() else Path(name).as_posix()
        source, notice, bad = stdin_source(data, name, root / name)
        ws.stdin_rel = name
        if source is not None:
            ws.sources[name] = source
        if notice is not None:
            ws.notices.append(notice)
        if bad is not None:
            found.unreadable.append(bad)
            ws.unreadable_stdin(name)
    for rel, line, col, message in found.unreadable:
        ws.findings.append(Finding("HL001", message, Loc(rel, line, col, line, col + 1)))
    folders = named_folders(paths, root, options.stdin[0] if options.stdin is not None else None)  # their huey
    read_context(ws, folders, [rel_path(path, root) for path in paths if path.is_file()])
    # the Python modules parse in worker processes while platforms build
    started = _start_app(ws, options) if ws.of_format("python") else None
    try:
        named_dirs = [rel_path(path, root) for path in paths if path.is_dir()]
        return _build(ws, found, root, settings, options, started, folders, named_dirs)
    finally:
        if started is not None:
            started.close()  # the app layer waited for it; after an error its workers stop here


def _build(ws: Workspace, found: Discovery, root: Path, settings: Settings, options: Options,
           started: Prefetch | None, folders: list[str] | None = None,
           walked: list[str] | None = None) -> tuple[Workspace, Project, list[Notice]]:
    """:func:`build_project` once the files are read: versions, platforms, overlaps, the app layer."""
    from hueylint.model import Project

    project = Project(root=str(root))
    project.folder_versions, project.huey_version = _huey_version(ws, settings, project, folders, walked)
    from hueylint import overlaps
    from hueylint.platforms import run_builders, run_follow_ups

    notices = found.notices

    def builder_failed(name: str, files: list[str], exc: Exception) -> None:
        shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        _internal_error(notices, files[0] if len(files) == 1 else "", f"the {name} platform (reading {shown})", exc)

    built = run_builders(ws, project, on_error=builder_failed)
    # the one pass where builders meet: an orchestrator's launch replaces its image's own, a container that
    # runs a supervisor config claims it from the host (hueylint.overlaps)
    resolved = overlaps.resolve(built, on_error=builder_failed)
    project.launches = resolved.launches
    run_follow_ups(ws, project, resolved.claimed, on_error=builder_failed)
    from hueylint.unmodelled_supervisors import is_installed_crontab_notice, is_unmodelled_notice

    # a service directory's `run` script a launch runs itself (`CMD ["/etc/service/huey/run"]`) was judged on
    # that launch: no notice that it was not checked (but for a crontab the script installs: cron runs that one)
    notices[:] = [notice for notice in notices
                  if not (notice.rel in ws.followed_scripts and is_unmodelled_notice(notice.reason)
                          and not is_installed_crontab_notice(notice.reason))]
    project.dropped = list(ws.dropped)
    python = sum(1 for rel in (*ws.sources, *ws.others) if rel.endswith(".py"))
    options.progress(f"following the Python app through {python:,} Python files...")
    try:
        if _needs_app(ws, project):
            everything = project.launches
            if ws.context:  # the context's launches far from the named files: their apps are not shown
                project.launches = near_named(ws, everything)
            try:
                _link_app(ws, project, options, started)
            finally:
                project.launches = everything
    except Exception as exc:  # noqa: BLE001 - see _internal_error
        _internal_error(notices, "", "the Python app layer", exc)
    return ws, project, notices


def _python_script(resolver: object, word: str, origin: Loc, args: Sequence[str] = ()) -> object:
    """:func:`hueylint.pyapp.entry.python_script`, whose app layer is imported when a launch first runs a
    Python command (a run without one never imports it)."""
    from hueylint.pyapp.entry import python_script

    return python_script(resolver, word, origin, args)


def _needs_app(ws: Workspace, project: Project) -> bool:
    """Whether the app layer has anything to read: a Python module or a launch (whose command may name one
    outside the candidates).  Without either it would find nothing: ``project.repo`` stays None, which the
    checks read as an empty repository; a run of no such file never imports the app layer (20-30 ms)."""
    return bool(project.launches or ws.of_format("python"))


def _start_app(ws: Workspace, options: Options) -> Prefetch | None:
    """The app layer's parsing started ahead (:func:`hueylint.pyapp.link.start_reading`), or None; a failure
    to start it is left to :func:`_link_app`, which parses as usual."""
    try:
        from hueylint.pyapp import link

        return link.start_reading(ws, use_cache=options.cache)
    except Exception:  # the app layer reports its own errors when it runs (_link_app)
        if os.environ.get("HUEYLINT_DEBUG"):
            raise
        return None


def _link_app(ws: Workspace, project: Project, options: Options, started: Prefetch | None = None) -> None:
    """App facts from Python sources (filled in by the app layer when present)."""
    try:
        from hueylint.pyapp import link
    except ImportError:
        return
    link.attach(ws, project, use_cache=options.cache, progress=options.progress, started=started)


def _started(project: Project) -> Project:
    """``project`` as the rules judge it: without the launches no instance starts (a branch of a start script no
    instance's own name takes: :func:`hueylint.launches.one_instance_branches`, a notice says so; a compose service
    scaled to 0).  A consumer that never runs loses no task, whatever its stop signal, deadline or options; HL301
    and HL302 count its instances as 0 either way."""
    started = [launch for launch in project.launches
               if not (launch.instances.known and launch.instances.value == 0)]
    return project if len(started) == len(project.launches) else replace(project, launches=started)


def run(paths: list[Path], settings: Settings, options: Options | None = None) -> Result:
    """Lint ``paths``: :func:`build_project`, every enabled rule's check (:func:`hueylint.checks.all_checks`)
    on the model, then suppressions, configured severities, deduplication, sorting and fingerprints.

    A check that raises becomes an internal-error notice naming its rule (``Result.internal_errors``; the CLI
    exits 2); the other rules still run.  Reads only files under the checked roots and writes only the facts
    cache (``options.cache``) and, with ``options.replay``, the run cache (:mod:`hueylint.runcache`): when
    nothing the previous identical run read has changed, its result is returned without reading any file
    but walking the tree (``Result.project`` is then empty).
    """
    options = options or Options()
    started = time.time_ns()
    root = run_root(paths)
    options.progress("reading files...")
    walked = walk_tree(paths, root, settings.exclusion(root), stamped=options.cache)  # stamps: for the caches
    options, refused = _usable_cache(options, root, walked.roots)
    cache = None
    if options.replay and options.cache and options.stdin is None:
        from hueylint.runcache import RunCache

        cache = RunCache(root, paths, settings, walked, {"show_unused_ignores": options.show_unused_ignores},
                         cache_dir=options.cache_dir)
        replayed = cache.replay(_edit_judge(root, options.cache_dir, walked, settings))
        if replayed is not None:
            cache.renew(started)  # through the early cutoff: stored as the present tree's result
            return _replayed(root, replayed)
    ws, project, notices = build_project(paths, settings, options, walked)
    from hueylint.checks import Context, all_checks

    known = rule_ids()  # the rules' files are parsed only for the findings' severities

    def text_of(path: str) -> str | None:
        src = ws.file(path)
        return src.text if src is not None else None

    ctx = Context(settings, text_of)
    options.progress(f"checking {len(project.launches):,} launches...")
    judged = _started(project)
    raw: list[Finding] = list(ws.findings)
    from hueylint.fix_edits import yaml_cached  # loaded with the checks

    with yaml_cached(ws):  # the YAML texts fixes read again, in the run's YAML cache
        for rule_id, fn in all_checks().items():
            if settings.enabled(rule_id, known):
                try:
                    raw.extend(list(fn(judged, ctx)))
                except Exception as exc:  # noqa: BLE001 - see _internal_error
                    _internal_error(notices, "", f"rule {rule_id}", exc)
    scope = named_scope(ws, project)  # a run of named paths in context: what the context alone gives is not reported
    if scope is not None:
        raw = [finding for finding in raw if scope.shows(finding.loc.path, finding.loc.line)]
        notices[:] = [notice for notice in notices if notice in ws.walk_notices or scope.says(notice.rel)]
    findings, suppressed, directives = _filter(raw, ws, settings, known, project)
    findings += [f for f in directive_findings(directives, set(known), options.show_unused_ignores,
                                               lambda rule: settings.enabled(rule, known), findings)
                 if (settings.enabled(f.rule, known) or (f.rule == "HL008" and options.show_unused_ignores))
                 and (scope is None or scope.shows(f.loc.path, f.loc.line))]  # (a context file's comments)
    for finding in findings:
        default = rule_severity(finding.rule) or Severity.WARNING
        finding.severity = settings.severity.get(finding.rule, finding.severity or default)
    findings = _dedupe(findings)
    if options.stdin is None:  # `-` is never fixed: its fixes stay shown
        _drop_unfixable(findings, ws.root)
    findings.sort(key=Finding.sort_key)
    fingerprints.assign(findings, ws)

    def line_of(path: str, number: int) -> str:
        src = ws.file(path)
        return src.line(number) if src is not None else ""

    # every file analysed: discovered, read on demand (scripts a launch runs), or reported as unparseable
    checked = {rel for rel in (*ws.sources, *ws.read_on_demand()) if scope is None or scope.shows(rel)} | \
        {f.loc.path for f in findings if f.loc.path}
    from hueylint.coverage import coverage_warnings

    result = Result(root=ws.root, findings=findings, notices=notices, project=project,
                    files_checked=len(checked), suppressed=suppressed, line_of=line_of, inputs=[str(path) for path in ws.inputs()],
                    warnings=[*([refused] if refused else []), *ws.warnings, *coverage_warnings(ws, project)])
    if cache is not None and not result.internal_errors:  # an internal error may not happen again: never replayed
        from hueylint.runcache import Replay

        lines = {(f.loc.path, f.loc.line): line_of(f.loc.path, f.loc.line) for f in findings if f.loc.path and f.loc.line}
        from hueylint.python_edits import ledgers

        walked_modules = [rel for rel in walked.stamps if rel.endswith(".py")]
        cache.save(Replay(findings, notices, result.files_checked, suppressed, result.warnings,
                          result.inputs, lines), ws.probes, started,
                   ledgers(ws.sources, ws.read_on_demand(), walked_modules, ws.memo(("gated-scan",), lambda: None)))
    return result


def _edit_judge(root: Path, cache_dir: str | None, walked: Walked, settings: Settings
                ) -> Callable[[str, object], Kept | None]:
    """The run cache's early cutoff for this run (:func:`hueylint.python_edits.unchanged`), imported when a
    stored run's walk differs; one :class:`hueylint.python_edits.Resolver` of this walk for every edited module,
    made at the first one asked about (``resolver``: the same object on every call)."""

    @cache
    def resolver() -> Resolver:
        from hueylint.python_edits import Resolver

        return Resolver(root, walked, settings)

    def unchanged(rel: str, ledger: object) -> Kept | None:
        from hueylint.python_edits import unchanged

        return unchanged(root, rel, ledger, cache_dir, resolver())

    return unchanged


def _usable_cache(options: Options, root: Path, roots: list[str]) -> tuple[Options, str | None]:
    """``options`` without the cache (and the warning saying why) when the cache folder cannot be used
    (:func:`hueylint.cachestore.refusal`): inside the project root or inside another checked folder (a path
    named outside the root), a symlink, another user's; or cannot be created (a read-only or missing
    place: :func:`hueylint.cachestore.creation_problem`).  One warning for the run, whichever cache would
    have been opened first, and none of them (nor the run cache) is read or written."""
    if not options.cache:
        return options, None
    from hueylint.cachestore import cache_home, creation_problem, refusal

    home = cache_home(options.cache_dir)
    problem = refusal(home, root, roots) or creation_problem(home)
    if problem is None:
        return options, None
    return replace(options, cache=False), f"{problem}: running without a cache"


def _replayed(root: Path, replayed: Replay) -> Result:
    """The :class:`Result` of a replayed run (:mod:`hueylint.runcache`): no model, the stored lines."""
    lines = replayed.lines
    return Result(root=root, findings=replayed.findings, notices=replayed.notices, project=None,
                  files_checked=replayed.files_checked, suppressed=replayed.suppressed, extra=dict(replayed.extra),
                  inputs=list(replayed.inputs), warnings=replayed.warnings,
                  line_of=lambda path, number: lines.get((path, number), ""))


def _filter(raw: list[Finding], ws: Workspace, settings: Settings,
            known: list[str], project: Project | None = None) -> tuple[list[Finding], int, list[FileSuppressions]]:
    kept: list[Finding] = []
    suppressed = 0
    cache: dict[str, FileSuppressions] = {}
    looked: set[str] = set()  # files whose text was searched once (most have no `hueylint:` and stay out of cache)

    def directives_of(path: str) -> FileSuppressions | None:
        if path and path not in cache and path not in looked:
            looked.add(path)
            src = ws.file(path)
            found = source_directives(src) if src is not None else None
            if found is not None:
                cache[path] = found
        return cache.get(path)

    for src in ws.sources.values():
        looked.add(src.rel)
        found = source_directives(src)
        if found is not None:
            cache[src.rel] = found
    # platform suppressions (Kubernetes `hueylint/ignore` annotation): launch.suppress holds each
    # annotation (line, col, text) and spans the annotated workload; several containers share one annotation
    for launch in (project.launches if project else []):
        fact = launch.suppress
        path = fact.loc.path if fact is not None else None
        if fact is None or not path:
            continue
        file = directives_of(path) or cache.setdefault(path, FileSuppressions(path, []))
        for line, col, text in fact.value or ():
            if not any(d.span is not None and (d.line, d.col) == (line, col) for d in file.directives):
                file.directives.append(annotation(line, col, text, (fact.loc.line, max(fact.loc.end_line, line))))
    # excluded files may be read for linking (an app module a launch names), but get no findings;
    # walked files were not excluded, or were named on the command line (stdin's name too: its HL001 under
    # `.git/` was dropped, and the run passed with 0 files checked)
    excluded = settings.exclusion(ws.root)
    per_file = settings.per_file_rules(ws.root)
    for finding in raw:
        if not settings.enabled(finding.rule, known):
            continue
        path = finding.loc.path or ""
        if path and path not in ws.sources and path not in ws.others and path != ws.stdin_rel and \
                excluded.covers(path):
            continue
        if path and any(rules.covers(path) != negated for rules, negated, ids in per_file
                        if any(finding.rule.startswith(rule) for rule in ids)):
            suppressed += 1
            continue
        directives = directives_of(path)
        if directives is not None and directives.suppresses(finding):
            suppressed += 1
            continue
        kept.append(finding)
    return kept, suppressed, list(cache.values())


def _drop_unfixable(findings: list[Finding], root: Path) -> None:
    """No fix on a finding whose edits touch a file ``--fix`` never writes (not UTF-8, a symlink, outside the
    run root: :func:`hueylint.safeio.unfixable`): the summary's "[*] N fixable", JSON and SARIF (which GitHub
    offers as a suggestion) would promise what --fix refuses."""
    refused: dict[str, bool] = {}
    for finding in findings:
        if finding.fix is not None:
            paths = {edit.path for edit in finding.fix.edits}
            for rel in paths - refused.keys():
                refused[rel] = unfixable(root, rel) is not None
            if any(refused[rel] for rel in paths):
                finding.fix = None


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per rule, place and message; and each finding's related places once each (one consumer
    command that two compose projects run is one related place, not two identical lines)."""
    seen: set[tuple[str, str | None, int, int, str]] = set()
    unique: list[Finding] = []
    for finding in findings:
        key = (finding.rule, finding.loc.path, finding.loc.line, finding.loc.col, finding.message)
        if key not in seen:
            seen.add(key)
            finding.related = list(dict.fromkeys(finding.related))
            unique.append(finding)
    return unique
