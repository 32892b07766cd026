"""One run, in the order data flows: discover, parse, model, link, check, filter.

The engine is the only place that knows the whole pipeline; every stage
below it sees only its own inputs, which keeps platforms, rules and
reporters independent of each other.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from hueylint import fingerprints
from hueylint.catalog import load_catalog
from hueylint.checks import Context, all_checks
from hueylint.config import Settings
from hueylint.discovery import Notice, discover, project_root
from hueylint.findings import Finding, Severity
from hueylint.model import Loc, Project
from hueylint.suppressions import FileSuppressions, directive_findings, parse_directives
from hueylint.workspace import Workspace


@dataclass
class Options:
    show_unused_ignores: bool = False
    stdin: tuple[str, str] | None = None  # (filename, text) for `-` paths
    cache: bool = True  # read and write .hueylint_cache/ (False: --no-cache)


@dataclass
class Result:
    root: Path
    findings: list[Finding]
    notices: list[Notice]
    project: Project
    files_checked: int
    suppressed: int = 0
    extra: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # what the run could not look at (stderr, hueylint.coverage)


def _huey_version(ws: Workspace, settings: Settings):  # noqa: ANN202
    from hueylint import versions

    deps = [src for src in ws.sources.values() if src.format == "deps" and versions.is_dependency_file(src.rel)]
    for src in deps:
        error = versions.parse_error(src)
        if error is not None:
            line, col, message = error
            ws.unparseable(src, line, col, message)
    return versions.project_version(deps, settings.huey_version)


def _internal_error(notices: list[Notice], rel: str, what: str, exc: Exception) -> None:
    """Last line of defence: a bug in one platform builder, the app layer or one check becomes a notice
    naming it (the rest of the run goes on) instead of a traceback.  ``HUEYLINT_DEBUG`` set (the test
    suite sets it) re-raises, so such bugs still fail loudly in CI."""
    if os.environ.get("HUEYLINT_DEBUG"):
        raise exc
    detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    notices.append(Notice(rel, f"internal error in {what} ({detail}); its results are missing. "
                               "Please report this at the hueylint issue tracker"))


def build_project(paths: list[Path], settings: Settings, options: Options | None = None) -> tuple[Workspace, Project, list[Notice]]:
    options = options or Options()
    root = project_root(paths[0]) if paths else Path.cwd()
    found = discover(paths, root, settings.exclude + settings.extend_exclude)
    ws = Workspace(root=root, settings=settings, others=found.others, gitignored=found.gitignored)
    for src in found.sources:
        ws.sources[src.rel] = src
    if options.stdin is not None:
        from hueylint.formats import name_format, sniff
        from hueylint.sources import SourceFile

        name, text = options.stdin
        fmt = name_format(name) or "?yaml"
        if fmt.startswith("?"):
            fmt = sniff(fmt, text[:8192], name) or ("kubernetes" if name.endswith((".yaml", ".yml")) else "")
        bad = re.search("[\udc80-\udcff]", text)  # bytes that were not UTF-8 (surrogateescape), like discovery
        if bad is None:
            ws.sources[name] = SourceFile(path=root / name, rel=name, text=text, format=fmt)
        else:
            line = text.count("\n", 0, bad.start()) + 1
            col = bad.start() - text.rfind("\n", 0, bad.start())
            ws.findings.append(Finding("HL001", f"cannot parse: not valid UTF-8 (byte 0x{ord(bad.group()) - 0xdc00:02x})",
                                       Loc(name, line, col, line, col + 1)))
    for rel, line, col, why in found.undecodable:
        ws.findings.append(Finding("HL001", f"cannot parse: {why}", Loc(rel, line, col, line, col + 1)))
    project = Project(root=str(root))
    project.huey_version = _huey_version(ws, settings)
    from hueylint.platforms import run_builders

    ws.cache["pyapp.use_cache"] = options.cache  # Python entry points are parsed while platforms build
    notices = found.notices

    def builder_failed(name: str, files: list[str], exc: Exception) -> None:
        shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        _internal_error(notices, files[0] if len(files) == 1 else "", f"the {name} platform (reading {shown})", exc)

    run_builders(ws, project, on_error=builder_failed)
    project.dropped = list(ws.cache.get("launch.dropped") or [])  # type: ignore[call-overload]
    try:
        _link_app(ws, project, options)
    except Exception as exc:  # noqa: BLE001 - see _internal_error
        _internal_error(notices, "", "the Python app layer", exc)
    return ws, project, notices


def _link_app(ws: Workspace, project: Project, options: Options) -> None:
    """App facts from Python sources (filled in by the app layer when present)."""
    try:
        from hueylint.pyapp import link
    except ImportError:
        return
    link.attach(ws, project, use_cache=options.cache)


def run(paths: list[Path], settings: Settings, options: Options | None = None) -> Result:
    options = options or Options()
    ws, project, notices = build_project(paths, settings, options)
    catalog = load_catalog()
    known = list(catalog)
    ctx = Context(settings)
    raw: list[Finding] = list(ws.findings)
    for rule_id, fn in all_checks().items():
        if settings.enabled(rule_id, known):
            try:
                raw.extend(list(fn(project, ctx)))
            except Exception as exc:  # noqa: BLE001 - see _internal_error
                _internal_error(notices, "", f"rule {rule_id}", exc)
    findings, suppressed, directives = _filter(raw, ws, settings, known, project)
    findings += [f for f in directive_findings(directives, set(known), options.show_unused_ignores)
                 if settings.enabled(f.rule, known) or (f.rule == "HL008" and options.show_unused_ignores)]
    for finding in findings:
        doc = catalog.get(finding.rule)
        default = doc.severity if doc else Severity.WARNING
        finding.severity = settings.severity.get(finding.rule, finding.severity or default)
    findings = _dedupe(findings)
    findings.sort(key=Finding.sort_key)
    fingerprints.assign(findings, ws)
    from hueylint.coverage import coverage_warnings

    return Result(root=ws.root, findings=findings, notices=notices, project=project,
                  files_checked=len(ws.sources), suppressed=suppressed, warnings=coverage_warnings(ws, project))


def _filter(raw: list[Finding], ws: Workspace, settings: Settings,
            known: list[str], project: Project | None = None) -> tuple[list[Finding], int, list[FileSuppressions]]:
    kept: list[Finding] = []
    # platform suppressions (Kubernetes `hueylint/ignore` annotation): launch.facts["suppress"] holds the
    # rule ids, its loc spans the annotated workload; findings located inside that span are dropped
    spans = [launch.facts["suppress"] for launch in (project.launches if project else [])
             if "suppress" in launch.facts]
    suppressed = 0
    cache: dict[str, FileSuppressions] = {}
    for src in ws.sources.values():
        if "hueylint:" in src.text:
            cache[src.rel] = parse_directives(src.rel, src.lines)
    for finding in raw:
        if not settings.enabled(finding.rule, known):
            continue
        path = finding.loc.path or ""
        if any(fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(Path(path).name, pattern)
               for pattern, rules in settings.per_file_ignores.items()
               if any(finding.rule.startswith(rule) for rule in rules)):
            suppressed += 1
            continue
        if path and path not in cache:
            src = ws.sources.get(path) or ws.file(path)
            if src is not None and "hueylint:" in src.text:
                cache[path] = parse_directives(path, src.lines)
        if any(finding.rule in span.value and span.loc.path == path
               and span.loc.line <= finding.loc.line <= max(span.loc.end_line, span.loc.line) for span in spans):
            suppressed += 1
            continue
        directives = cache.get(path)
        if directives is not None and directives.suppresses(finding):
            suppressed += 1
            continue
        kept.append(finding)
    return kept, suppressed, list(cache.values())


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    unique: list[Finding] = []
    for finding in findings:
        key = (finding.rule, finding.loc.path, finding.loc.line, finding.loc.col, finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
