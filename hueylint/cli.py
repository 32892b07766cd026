"""The ``hueylint`` command.

Only :mod:`argparse` is imported at startup: ``hueylint --version`` must be
instant, so the engine, parsers and rich are imported inside the commands.
Exit codes: 0 clean, 1 findings at or above ``fail-on``, 2 usage or
configuration errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from hueylint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hueylint",
        description="Production-readiness linter for huey deployments.",
    )
    parser.add_argument("--version", action="version", version=f"hueylint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check a repository (default: the current folder)")
    check.add_argument("paths", nargs="*", default=[], metavar="PATH",
                       help="files or folders to check; `-` reads stdin (see --stdin-filename)")
    check.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text")
    check.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--select", metavar="IDS", help="comma-separated rule ids or prefixes to enable (HL1,HL201)")
    check.add_argument("--extend-select", metavar="IDS", help="rules to enable on top of the selection")
    check.add_argument("--ignore", metavar="IDS", help="comma-separated rule ids or prefixes to disable")
    check.add_argument("--fail-on", choices=("error", "warning", "note"),
                       help="lowest severity that makes the exit code 1 (default: warning)")
    check.add_argument("--longest-task", metavar="DURATION",
                       help="your longest task, e.g. 45s or 5m (default: 20s)")
    check.add_argument("--huey-version", metavar="X.Y", help="the huey version to check against")
    check.add_argument("--config", metavar="FILE", help="use this configuration file")
    check.add_argument("--no-color", action="store_true", help="never colour the output")
    check.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--statistics", action="store_true", help="count findings per rule")
    check.add_argument("--show-unused-ignores", action="store_true",
                       help="report suppression comments that suppress nothing (HL008)")
    check.add_argument("--stdin-filename", metavar="NAME", help="the name of the file read from stdin with `-`")
    check.add_argument("--sarif-category", metavar="ID", help="SARIF automationDetails.id (several uploads side by side)")
    check.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    check.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE and exit 0")
    check.add_argument("--no-cache", action="store_true", help="do not read or write .hueylint_cache/")

    sub.add_parser("rules", help="list the rule catalog")
    explain = sub.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("rule", metavar="RULE", help="a rule id (HL101) or name (stop-signal-not-graceful)")
    inspect = sub.add_parser("inspect", help="show every consumer launch hueylint found")
    inspect.add_argument("paths", nargs="*", default=[], metavar="PATH")
    inspect.add_argument("--format", choices=("text", "json"), default="text")
    inspect.add_argument("--config", metavar="FILE")
    inspect.add_argument("--no-color", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "rules":
            return _rules()
        if args.command == "explain":
            return _explain(args.rule)
        if args.command == "inspect":
            return _inspect(args)
        parser.print_help()
        return EXIT_USAGE
    except UsageError as exc:
        print(f"hueylint: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_CLEAN


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def load_settings(args: argparse.Namespace, paths: list[Path]):  # noqa: ANN201
    from hueylint.catalog import CatalogError, rule_ids
    from hueylint.config import ConfigError, build_settings, find_config, parse_longest_task, validate_rule_selector
    from hueylint.findings import Severity

    try:
        known = rule_ids()
    except CatalogError as exc:
        raise UsageError(str(exc)) from None
    try:
        config_path = Path(args.config) if getattr(args, "config", None) else find_config(paths[0] if paths else Path.cwd())
        settings = build_settings(config_path, paths[0] if paths else Path.cwd(), known)
        for option in ("select", "extend_select", "ignore"):
            values = _split(getattr(args, option, None))
            for value in values:
                validate_rule_selector(value, known, f"--{option.replace('_', '-')}")
            values = [value.upper() for value in values]
            if values and option == "select":
                settings.select = ["HL" if v == "ALL" else v for v in values]
            elif values and option == "extend_select":
                settings.extend_select += values
            elif values:
                settings.ignore += values
        if getattr(args, "fail_on", None):
            settings.fail_on = Severity.parse(args.fail_on)
        if getattr(args, "longest_task", None):
            settings.longest_task = parse_longest_task(args.longest_task, "--longest-task")
        if getattr(args, "huey_version", None):
            version = args.huey_version.strip()
            if not all(part.isdigit() for part in version.split(".")):
                raise ConfigError(f"--huey-version: expected a version like 3.4, not {version!r}")
            settings.huey_version = version
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    return settings


def _paths(args: argparse.Namespace) -> tuple[list[Path], tuple[str, str] | None]:
    stdin = None
    paths: list[Path] = []
    for raw in args.paths or ["."]:
        if raw == "-":
            name = getattr(args, "stdin_filename", None) or "stdin.yaml"
            raw_in = getattr(sys.stdin, "buffer", None)  # bytes: the engine reports invalid UTF-8 as HL001
            stdin = (name, raw_in.read().decode("utf-8-sig", "surrogateescape") if raw_in else sys.stdin.read())
            continue
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{raw}: no such file or folder")
        paths.append(path)
    if not paths:
        paths = [Path.cwd()]
    return paths, stdin


def _check(args: argparse.Namespace) -> int:
    paths, stdin = _paths(args)
    settings = load_settings(args, paths)
    from hueylint.engine import Options, run
    from hueylint.findings import Severity
    from hueylint.reporters import ReportOptions, render

    result = run(paths, settings, Options(show_unused_ignores=args.show_unused_ignores, stdin=stdin,
                                        cache=not args.no_cache))
    if args.write_baseline or args.baseline:
        from hueylint import baseline

        try:
            if args.write_baseline:
                written = baseline.write(result, Path(args.write_baseline))
                print(f"hueylint: wrote {written} finding(s) to {args.write_baseline}", file=sys.stderr)
                return EXIT_CLEAN
            baseline.apply(result, Path(args.baseline))
        except baseline.BaselineError as exc:
            raise UsageError(str(exc)) from None
    options = ReportOptions(color=False if (args.no_color or os.environ.get("NO_COLOR")) else None,
                            quiet=args.quiet, statistics=args.statistics, cwd=os.getcwd(),
                            fail_on=settings.fail_on.label, sarif_category=args.sarif_category)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as out:
                options.color = False
                render(args.format, result, out, options)
        except OSError as exc:
            raise UsageError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    else:
        render(args.format, result, sys.stdout, options)
    for warning in [] if args.quiet else result.warnings:  # like ruff, -q keeps only the findings
        print(f"hueylint: warning: {warning}", file=sys.stderr)
    if args.exit_zero:
        return EXIT_CLEAN
    failing = [f for f in result.findings if (f.severity or Severity.WARNING) >= settings.fail_on]
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _rules() -> int:
    from rich.console import Console
    from rich.table import Table

    from hueylint.catalog import load_catalog

    table = Table(show_header=True, header_style="bold", box=None)
    for column in ("id", "name", "severity"):
        table.add_column(column, no_wrap=True)
    table.add_column("summary")
    for doc in load_catalog().values():
        table.add_row(doc.id, doc.name, doc.severity.label, doc.summary)
    Console(highlight=False).print(table)
    return EXIT_CLEAN


def _explain(rule: str) -> int:
    from hueylint.catalog import load_catalog
    from hueylint.explain import render_rule

    catalog = load_catalog()
    wanted = rule.strip()
    doc = catalog.get(wanted.upper()) or next((d for d in catalog.values() if d.name == wanted.lower()), None)
    if doc is None:
        raise UsageError(f"unknown rule {rule!r} (see `hueylint rules`)")
    render_rule(doc)
    return EXIT_CLEAN


def _inspect(args: argparse.Namespace) -> int:
    paths, _ = _paths(args)
    settings = load_settings(args, paths)
    from hueylint.inspect_view import render_inspect

    render_inspect(paths, settings, args.format, color=not args.no_color)
    return EXIT_CLEAN
