"""The ``hueylint`` command.

Only :mod:`argparse` is imported at startup (``hueylint --version`` alone is answered before it, by
:func:`hueylint.__main__.run`); the engine, parsers and rich are imported inside the commands.
Exit codes: 0 clean, 1 findings at or above ``fail-on``, 2 usage,
configuration or internal errors (a hueylint bug: the results are incomplete).
"""

from __future__ import annotations

import argparse
import io
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NoReturn

from hueylint import VERSION_LINE

if TYPE_CHECKING:  # the catalog is imported by the commands that read it
    from hueylint.catalog import RuleDoc

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_INTERNAL = 2  # as ruff: an internal error must never look like a pass


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse with ruff's one-line errors: ``hueylint: error: ...`` and a pointer to --help."""

    _intermixing = False

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"hueylint: error: {message}\nFor more information, try '{self.prog} --help'.\n")

    def parse_known_args(self, args=None, namespace=None):
        """Paths between and after options, as ruff takes them (``check src --select HL1 deploy``): a
        command's parser reads its arguments intermixed (argparse stops taking positionals at the first
        option otherwise, and refused the paths after it); the top-level parser, which holds the
        subcommands, cannot be (argparse refuses intermixing with subparsers)."""
        if self._intermixing or any(action.nargs == argparse.PARSER for action in self._get_positional_actions()):
            return super().parse_known_args(args, namespace)
        args = list(sys.argv[1:] if args is None else args)
        if "--" in args:  # the end of options (`check -- -x.service`): argparse's intermixed parsing refused
            return self._after_double_dash(args, namespace)  # what follows it when no path came before
        self._intermixing = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False

    def _after_double_dash(self, args: list[str], namespace):
        """The options and paths before ``--`` as usual; every word after it a path (POSIX's end of options,
        as ruff takes it: ``git ls-files -z | xargs -0 hueylint check --``), even one starting with ``-``."""
        index = args.index("--")
        namespace, extras = self.parse_known_args(args[:index], namespace)
        rest = args[index + 1:]
        positionals = self._get_positional_actions()  # a command's paths, explain's rule; none for rules
        if not positionals:
            return namespace, extras + rest
        action = positionals[0]
        value = getattr(namespace, action.dest)
        if action.nargs == "?":
            if value is None and len(rest) == 1:
                setattr(namespace, action.dest, rest[0])
            else:
                extras += rest
        else:
            setattr(namespace, action.dest, [*(value or []), *rest])
        return namespace, extras


def _color_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--color", choices=("auto", "always", "never"), default=None,
                        help="colour and styles: auto (a terminal; NO_COLOR, FORCE_COLOR honoured), always, never")
    parser.add_argument("--no-color", action="store_true", help="same as --color never: no escape sequence at all")


#: the commands of :func:`_parser` (``rule`` is ``explain``'s alias, as ruff's)
COMMANDS = ("check", "rules", "explain", "rule", "inspect")


#: what `check --help` ends with, as hadolint's and shellcheck's pages say it
CHECK_EXIT_CODES = f"""\
exit status:
  {EXIT_CLEAN}  no finding at or above --fail-on (by default warning: notes and notices alone
     exit 0); --diff: no fix to apply
  {EXIT_FINDINGS}  findings at or above --fail-on; --diff: a fix to apply (both 0 with --exit-zero)
  {EXIT_USAGE}  a usage or configuration error, or an internal error (a hueylint bug; even with
     --exit-zero)"""


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hueylint",
        description="Production-readiness linter for huey deployments.",
    )
    parser.add_argument("--version", action="version", version=VERSION_LINE)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser("check", help="check a repository (default: the current folder)",
                           formatter_class=argparse.RawDescriptionHelpFormatter, epilog=CHECK_EXIT_CODES)
    check.add_argument("paths", nargs="*", default=[], metavar="PATH",
                       help="files or folders to check; `-` reads stdin (see --stdin-filename)")
    check.add_argument("--output-format", "--format", dest="format", choices=OUTPUT_FORMATS, default="text",
                       type=lambda name: "text" if name == "full" else name,  # ruff's name for the default
                       metavar="FORMAT", help=f"{', '.join(OUTPUT_FORMATS)} (default: text, also named full as in ruff)")
    check.add_argument("-o", "--output", "--output-file", metavar="FILE",
                       help="write the report to FILE instead of stdout (`-`: stdout)")
    # each of these may be given several times, adding up as in ruff (argparse's default keeps the last one)
    check.add_argument("--select", metavar="IDS", action="append",
                       help="comma-separated rule ids or prefixes to enable (HL1,HL201)")
    check.add_argument("--extend-select", metavar="IDS", action="append",
                       help="rules to enable on top of the selection")
    check.add_argument("--ignore", metavar="IDS", action="append",
                       help="comma-separated rule ids or prefixes to disable")
    check.add_argument("--fail-on", metavar="SEVERITY",
                       help="lowest severity that makes the exit code 1: error, warning or note (default: warning)")
    check.add_argument("--longest-task", metavar="DURATION",
                       help="your longest task, e.g. 45s or 5m (default: 20s)")
    check.add_argument("--huey-version", metavar="X.Y", help="the huey version to check against")
    check.add_argument("--config", metavar="FILE", help="use this configuration file")
    _files_options(check)
    _color_options(check)
    check.add_argument("-q", "--quiet", action="store_true",
                       help="print the findings and nothing else: no summary, notices or warnings (as ruff)")
    check.add_argument("-s", "--silent", action="store_true",
                       help="print nothing: the exit code says it (internal errors still on stderr; -o still written)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--statistics", action="store_true", help="count findings per rule instead of listing them")
    check.add_argument("--show-unused-ignores", action="store_true",
                       help="report suppression comments that suppress nothing (HL008)")
    check.add_argument("--stdin-filename", metavar="NAME", help="the name of the file read from stdin with `-`")
    check.add_argument("--sarif-category", metavar="ID", help="SARIF automationDetails.id (several uploads side by side)")
    check.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    check.add_argument("--write-baseline", metavar="FILE",
                       help="record the current findings in FILE (the report is still written) and exit 0")
    _cache_options(check)
    _fix_options(check)

    rules = sub.add_parser("rules", help="list the rule catalog")
    rules.add_argument("--output-format", "--format", dest="format", choices=("text", "json"), default="text",
                       metavar="FORMAT",
                       help="text: a table on a terminal, one line per rule when piped; json: a list of objects")
    _color_options(rules)
    explain = sub.add_parser("explain", aliases=["rule"], help="print a rule's documentation")
    explain.add_argument("rule", metavar="RULE", nargs="?",
                         help="a rule id (HL101) or name (stop-signal-not-graceful)")
    explain.add_argument("--all", action="store_true", help="every rule's page, in catalog order (as `ruff rule --all`)")
    explain.add_argument("--output-format", "--format", dest="format", choices=("text", "json"), default="text",
                         metavar="FORMAT", help="text: the page (Markdown when piped); json: the rule as an object, "
                         "its page as `explanation` (a list with --all), as `ruff rule --output-format json`")
    _color_options(explain)
    inspect = sub.add_parser("inspect", help="show every consumer launch hueylint found")
    inspect.add_argument("paths", nargs="*", default=[], metavar="PATH",
                         help="files or folders to inspect; `-` reads stdin (see --stdin-filename)")
    inspect.add_argument("--output-format", "--format", dest="format", choices=("text", "json"), default="text",
                         metavar="FORMAT", help="text or json (default: text)")
    inspect.add_argument("--config", metavar="FILE", help="use this configuration file")
    inspect.add_argument("--stdin-filename", metavar="NAME", help="the name of the file read from stdin with `-`")
    _cache_options(inspect)
    _color_options(inspect)
    return parser


OUTPUT_FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab")
TEXT_FORMATS = ("text", "concise")  # for people: the console's encoding, internal errors at their end


def _files_options(check: argparse.ArgumentParser) -> None:
    """Which files are checked (ruff's options of the same names) and what a check would use."""
    group = check.add_argument_group("files and settings")
    group.add_argument("--exclude", metavar="GLOBS", action="append",
                       help="comma-separated git-style globs, relative to the current folder, that replace the "
                            "configured `exclude`")
    group.add_argument("--extend-exclude", metavar="GLOBS", action="append",
                       help="globs to exclude on top of `exclude`")
    group.add_argument("--force-exclude", action="store_true", default=None,
                       help="exclude paths named on the command line too (for pre-commit, which names files)")
    shown = group.add_mutually_exclusive_group()
    shown.add_argument("--show-files", action="store_true",
                       help="print the files the check reads and the format of each, then exit 0")
    shown.add_argument("--show-settings", action="store_true",
                       help="print the resolved settings and where each came from, then exit 0")


# options whose value may start with "-" (a negative duration is then refused by name, not by argparse)
_VALUE_OPTIONS = ("--longest-task", "--huey-version", "--fail-on")


def _join_dash_values(argv: list[str]) -> list[str]:
    """``--longest-task -5s`` as ``--longest-task=-5s``: argparse would take ``-5s`` for an option."""
    joined: list[str] = []
    for index, arg in enumerate(argv):
        if arg == "--":  # what follows is paths only, whatever their names
            return joined + argv[index:]
        if joined and joined[-1] in _VALUE_OPTIONS and arg[:2] != "--" and arg.startswith("-") and len(arg) > 1:
            joined[-1] = f"{joined[-1]}={arg}"
        else:
            joined.append(arg)
    return joined


def _fix_options(command: argparse.ArgumentParser) -> None:
    group = command.add_argument_group("fixes")
    group.add_argument("--fix", action="store_true",
                       help="apply the safe fixes to the files, then report the findings that remain")
    group.add_argument("--unsafe-fixes", action="store_true",
                       help="with --fix or --diff, also apply fixes that change behaviour beyond the finding")
    group.add_argument("--diff", action="store_true",
                       help="print the unified diff --fix would apply and write nothing (exit 1 when there is one)")
    group.add_argument("--show-fixes", action="store_true",
                       help="with --fix, list the fixes applied per file and rule (as ruff), on stderr")


def _run_fixes(args: argparse.Namespace, paths: list[Path], settings, options):
    """``--fix``/``--diff``: the fix loop (:mod:`hueylint.fixes`); returns the engine Result after the fixes
    (``--fix``) or the exit code (``--diff``)."""
    from hueylint import fixes

    if options.stdin is not None:
        import shlex

        name = shlex.quote(options.stdin[0])
        raise UsageError(f"--fix and --diff edit the files on disk (--diff shows the edit): they cannot be combined "
                         f"with `-` (stdin); run them on the file, `hueylint check --diff {name}`")
    fixing = None
    if args.baseline:  # the findings it hides are not fixed: their lines, and so their fingerprints, stay
        from hueylint import baseline

        try:
            rows = baseline.load(Path(args.baseline))
        except baseline.BaselineError as exc:
            raise UsageError(str(exc)) from None

        def fixing(findings):
            return baseline.unmatched(findings, rows)
    outcome = fixes.fix_loop(paths, settings, options, unsafe=args.unsafe_fixes, write=not args.diff,
                             fixing=fixing)
    for dropped in outcome.dropped:
        print(f"hueylint: warning: {dropped}", file=sys.stderr)
    if args.diff:
        text = outcome.diff()
        if args.output:  # `-o`: the diff is this run's report (it was dropped: no file, the diff on stdout)
            _refuse_input(args.output, outcome.result, settings, args.baseline)
            from hueylint.safeio import write_output

            try:
                write_output(args.output, text, outcome.result.root)  # type: ignore[attr-defined]
            except OSError as exc:
                raise UsageError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
        elif not args.silent:
            _to_stdout(lambda: sys.stdout.write(text))
        if not args.quiet:  # ruff's `Would fix 8 errors.`: the findings a check shows as `[*] 8 fixable`
            print(f"hueylint: {_fixed_line('would fix', outcome) if text else 'no fix to apply' + _hidden(outcome)}",
                  file=sys.stderr)
        return EXIT_FINDINGS if text and not args.exit_zero else EXIT_CLEAN  # as ruff: --exit-zero keeps 0
    if getattr(args, "show_fixes", False) and outcome.count and not args.silent:
        from hueylint.catalog import rule_names
        from hueylint.terminal import printable

        sys.stderr.write("".join(printable(line) + "\n" for line in outcome.summary(rule_names()).splitlines()))
    elif not args.quiet:
        print(f"hueylint: {_fixed_line('fixed', outcome) if outcome.after else 'no fix to apply'}", file=sys.stderr)
    result = outcome.result
    result.extra["fixed"] = outcome.resolved  # type: ignore[attr-defined]  # the summary's `(8 fixed, 6 remaining)`
    return result


def _fixed_line(verb: str, outcome) -> str:
    """``would fix 8 findings in 3 files``, with the fixes only ``--unsafe-fixes`` applies as a check's summary
    says them (``--diff`` prints no summary); the count is the findings fixed, not the fixes applied (:class:`hueylint.fixes.FixOutcome`)."""
    from hueylint.fixes import plural

    hidden = _hidden(outcome) if verb != "fixed" else ""  # after --fix, the report's summary says it
    return f"{verb} {plural(outcome.resolved, 'finding')} in {plural(len(outcome.after), 'file')}{hidden}"


def _hidden(outcome) -> str:
    """`` (1 hidden fix can be enabled with the `--unsafe-fixes` option)`` when some fixes are unsafe, also after a
    `--diff` with nothing else to apply (as ruff's ``No errors would be fixed (1 fix available with
    `--unsafe-fixes`)``), else ""."""
    from hueylint.fixes import plural

    return (f" ({plural(outcome.hidden, 'hidden fix')} can be enabled with the `--unsafe-fixes` option)"
            if outcome.hidden else "")


def _cache_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--no-cache", action="store_true",
                         help="neither read nor write the cache (what files' content decided, parsed Python and "
                              "YAML, dependency pins; check: the previous result, replayed when nothing changed)")
    command.add_argument("--cache-dir", metavar="DIR",
                         help="cache folder (default: $HUEYLINT_CACHE_DIR, else the user cache folder, "
                              "e.g. ~/.cache/hueylint); never inside the checked tree")


def _engine_options(args: argparse.Namespace, **more: object):
    from hueylint.engine import Options

    return Options(cache=not args.no_cache, cache_dir=args.cache_dir, **more)  # type: ignore[arg-type]


def _color(args: argparse.Namespace) -> str:
    from hueylint.terminal import color_choice

    return color_choice(getattr(args, "color", None), getattr(args, "no_color", False))


def main(argv: list[str] | None = None) -> int:
    """The ``hueylint`` command (``check``, ``rules``, ``explain``, ``inspect``) on ``argv``, the arguments
    without the program name (None: ``sys.argv[1:]``); returns the exit code.

    0: clean (``check``: no finding at or above ``fail-on``), 1: findings at or above it, 2: a usage or
    configuration error (printed as ``hueylint: error: ...`` on stderr) or an internal error (a hueylint bug:
    the run is incomplete, so it must never read as a pass).  argparse's own usage errors raise
    ``SystemExit(2)`` (``--help``/``--version``: ``SystemExit(0)``).  ``HUEYLINT_DEBUG`` set re-raises
    internal errors with their traceback.
    """
    parser = _parser()
    words = list(sys.argv[1:] if argv is None else argv)
    if words and words[0] not in COMMANDS and (words[0] == "-" or not words[0].startswith("-")) and \
            (words[0] == "-" or os.path.lexists(words[0])):  # `hueylint Dockerfile`, as hadolint and shellcheck run
        import shlex

        from hueylint.terminal import printable

        # the command to copy, quoted as a shell reads it (`hueylint check 'my unit.service'`)
        parser.error(f"argument COMMAND: {printable(words[0])!r} is a path, not a command: check it with "
                     f"`hueylint check {printable(shlex.quote(words[0]))}`")
    args = parser.parse_args(_join_dash_values(words))
    from hueylint.terminal import safe_streams

    safe_streams()
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "rules":
            return _rules(args)
        if args.command in ("explain", "rule"):
            return _explain(args)
        if args.command == "inspect":
            return _inspect(args)
        parser.print_help()
        return EXIT_USAGE
    except UsageError as exc:  # it may name a path from the tree (`git ls-files | xargs hueylint check`)
        from hueylint.terminal import printable

        print(f"hueylint: error: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `hueylint inspect | head`: the reader left, no error (`check`: see _to_stdout)
        from hueylint.terminal import reader_gone

        reader_gone()
        return EXIT_CLEAN
    except Exception as exc:  # a bug outside the engine's per-platform guard: exit 2, never 1 ("findings")
        if os.environ.get("HUEYLINT_DEBUG"):
            raise
        from hueylint.terminal import printable

        detail = printable(f"{type(exc).__name__}: {exc}" if str(exc).strip() else type(exc).__name__)
        print(f"hueylint: error: internal error ({detail[:300]}); no result. Please report this at the hueylint "
              "issue tracker (HUEYLINT_DEBUG=1 shows the traceback)", file=sys.stderr)
        return EXIT_INTERNAL


def _split(values: list[str]) -> list[str]:
    """The comma-separated items of an option given once or more (``--ignore HL101 --ignore HL102`` adds up,
    as in ruff), empty ones included."""
    return [part.strip() for value in values for part in value.split(",")]


def _rule_list(values: list[str], option: str, known: list[str]) -> list[str]:
    """The rule selectors of ``--select``/``--extend-select``/``--ignore``: an empty one (``--select ""``,
    ``HL101,``) is a usage error, as in ruff, never "nothing given" (which kept every rule selected)."""
    from hueylint.config import ConfigError, parse_rule_list

    parts = _split(values)
    if "" in parts:  # the value as given (each --select adds one): not the values joined, which nobody typed
        given = next(value for value in values if "" in _split([value]))
        raise ConfigError(f"{option}: empty rule selector in {given!r}")
    return parse_rule_list(parts, option, known)


def load_settings(args: argparse.Namespace, paths: list[Path]):
    from hueylint.catalog import CatalogError, rule_ids
    from hueylint.config import (
        COMMAND_LINE,
        ConfigError,
        build_settings,
        find_config,
        parse_huey_version,
        parse_longest_task,
        parse_severity,
    )

    try:
        known = rule_ids()
    except CatalogError as exc:
        raise UsageError(str(exc)) from None
    try:
        config_path = Path(args.config) if getattr(args, "config", None) else find_config(paths[0] if paths else Path.cwd())
        settings = build_settings(config_path, paths[0] if paths else Path.cwd(), known)
        # the command line is a layer on top of the configuration, as in ruff: `--select` starts the selection
        # afresh (the configuration's extend-select and ignore no longer apply), `--extend-select` enables rules
        # the configuration ignores, `--ignore` applies last
        for option in ("select", "extend_select", "ignore"):
            key = option.replace("_", "-")
            values = _rule_list(getattr(args, option, None) or [], f"--{key}", known)
            if values and option == "select":
                settings.select = values
                for reset in ("extend_select", "ignore"):
                    if getattr(settings, reset):
                        setattr(settings, reset, [])
                        settings.set_origin(reset.replace("_", "-"), COMMAND_LINE)
            elif values and option == "extend_select":
                settings.extend_select += values
                settings.ignore = [rule for rule in settings.ignore if not rule.startswith(tuple(values))]
            elif values:
                settings.ignore += values
            if values:
                settings.set_origin(key, COMMAND_LINE,
                                    extends=option != "select" and settings.origins.get(key) != COMMAND_LINE)
        if getattr(args, "fail_on", None) is not None:
            settings.fail_on = parse_severity(args.fail_on, "--fail-on")
            settings.set_origin("fail-on", COMMAND_LINE)
        if getattr(args, "longest_task", None) is not None:
            settings.longest_task = parse_longest_task(args.longest_task, "--longest-task")
            settings.set_origin("longest-task", COMMAND_LINE)
        if getattr(args, "huey_version", None) is not None:
            settings.huey_version = parse_huey_version(args.huey_version, "--huey-version")
            settings.set_origin("huey-version", COMMAND_LINE)
        _apply_files_options(args, settings)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    return settings


def _apply_files_options(args: argparse.Namespace, settings) -> None:
    """``--exclude``, ``--extend-exclude`` (globs relative to the current folder, as in ruff) and
    ``--force-exclude`` into ``settings``; a glob that can never match is a ConfigError."""
    from hueylint.config import COMMAND_LINE, parse_globs

    for option in ("exclude", "extend_exclude"):
        value = getattr(args, option, None)
        if value is not None:
            globs = parse_globs([glob for glob in _split(value) if glob], "", f"--{option.replace('_', '-')}")
            if option == "exclude":
                settings.cli_exclude = globs
            else:
                settings.cli_extend_exclude = globs
            settings.cli_base = Path.cwd()
    if getattr(args, "force_exclude", None):
        settings.force_exclude = True
        settings.set_origin("force-exclude", COMMAND_LINE)


def _force_exclude(paths: list[Path], stdin: tuple[str, bytes] | None, settings) -> tuple[list[Path], tuple | None]:
    """With ``force-exclude``, the named paths (and the ``--stdin-filename``) that the exclusion globs
    cover, or that lie in a folder they cover, are dropped: pre-commit names every changed file."""
    if not settings.force_exclude:
        return paths, stdin
    from hueylint.discovery import rel_path, run_root

    root = run_root(paths)
    rules = settings.exclusion(root)

    def excluded(path: Path) -> bool:
        rel = rel_path(path, root)
        return rel not in (".", "") and rules.covers(rel, path.is_dir())

    if stdin is not None and excluded(Path(stdin[0])):
        stdin = None
    return [path for path in paths if not excluded(path)], stdin


def _paths(args: argparse.Namespace) -> tuple[list[Path], tuple[str, bytes] | None]:
    """The paths to walk, and ``(name, bytes)`` read from stdin for ``-``. ``-`` alone checks only stdin
    (as ruff): the files it refers to are read on demand, the rest of the folder is not checked."""
    stdin = None
    paths: list[Path] = []
    name = getattr(args, "stdin_filename", None)
    if name is not None and "-" not in args.paths:
        raise UsageError("--stdin-filename names the text read from stdin: add `-` to the paths")
    if name is not None and (name.endswith(("/", "\\")) or Path(name).name in ("", ".", "..")):
        raise UsageError(f"--stdin-filename: {name!r} is not a file name (e.g. `rendered.yaml`)")
    for raw in args.paths or ["."]:
        if raw == "-":
            if stdin is not None:
                continue
            from hueylint.discovery import MAX_BYTES, STDIN_NAME

            # bytes: the engine reports invalid UTF-8, a NUL byte and more than MAX_BYTES (read one more) as HL001
            raw_in = getattr(sys.stdin, "buffer", None)
            stdin = (name or STDIN_NAME, raw_in.read(MAX_BYTES + 1) if raw_in
                     else sys.stdin.read(MAX_BYTES + 1).encode("utf-8", "surrogateescape"))
            continue
        path = Path(raw)
        try:
            info = os.lstat(path)  # (a dangling symlink is a path: the engine says what it is)
        except (FileNotFoundError, NotADirectoryError):
            raise UsageError(f"{raw}: no such file or folder") from None
        except OSError as exc:  # below a folder the user may not search (`chmod 000 sub`), a symlink loop above it
            raise UsageError(f"{raw}: cannot access: {exc.strerror or exc}") from None
        if stat.S_ISDIR(info.st_mode):
            try:  # a folder named to be checked that cannot be listed: nothing of it is checked, never a pass
                with os.scandir(path):
                    pass
            except OSError as exc:
                raise UsageError(f"{raw}: cannot list folder: {exc.strerror or exc}") from None
        paths.append(path)
    return paths, stdin


#: the youngest generation's collection threshold for a ``check`` (CPython's default: 700 allocations).  A run
#: allocates millions of short-lived objects (``ast`` nodes, YAML trees, facts) and little cyclic garbage:
#: collecting every 20,000 allocations made cold runs about 10 % faster (ciso-assistant-community, 3,000
#: generated compose services, 10,000 tiny huey modules) for under 2 MiB more memory; 200,000 made the
#: tiny-module tree 20 % slower and 14 MiB larger (its cycles wait longer), and without the collector it
#: grew from 72 to 170 MiB.
GC_THRESHOLD = 20_000
#: the middle generation is collected after this many young collections (CPython's default: 10).  Most of what
#: outlives a young collection lives to the end of the run (parsed files, facts), so each middle collection
#: walked up to 200,000 such objects to free a few cycles: les-emplois paid 13 ms for its two.  At 100 a run of
#: up to 2 million allocations has none: cold CPU 1-4 % lower on the six benchmark trees (tubesync 0.347 ->
#: 0.334 s, ciso-assistant-community 1.253 -> 1.234 s, 10,000 tiny huey modules 1.42 -> 1.36 s) for 0-2 MiB
#: more peak memory (3.5 MiB on the tiny modules).
GC_YOUNG_COLLECTIONS = 100


def _check(args: argparse.Namespace) -> int:
    import gc

    gc.set_threshold(GC_THRESHOLD, GC_YOUNG_COLLECTIONS, *gc.get_threshold()[2:])
    if args.write_baseline and args.baseline:
        raise UsageError("--write-baseline records every current finding: it cannot be combined with --baseline")
    if args.write_baseline and args.diff:  # (it was ignored: no baseline written)
        raise UsageError("--diff writes nothing: it cannot be combined with --write-baseline (record the findings "
                         "that remain with --fix --write-baseline)")
    if args.output == "-":  # `-o -`: standard output, as for most tools (not a file named `-`)
        args.output = None
    if args.write_baseline and args.output and os.path.realpath(args.write_baseline) == os.path.realpath(args.output):
        raise UsageError(f"{args.output}: named by both --write-baseline and -o: the report would replace the baseline")
    args.quiet = args.quiet or args.silent  # -s: -q's silence on stderr too, and no report on stdout
    paths, stdin = _paths(args)
    settings = load_settings(args, paths)
    from hueylint.catalog import rule_ids

    if args.show_settings:
        from hueylint.show import render_settings

        render_settings(settings, rule_ids(), sys.stdout, os.getcwd())
        return EXIT_CLEAN
    if not args.quiet and not any(settings.enabled(rule, rule_ids()) for rule in rule_ids()):
        print("hueylint: warning: no rule is enabled (`select`, `extend-select` and `ignore` leave none): "
              "nothing was checked", file=sys.stderr)
    named = bool(paths or stdin)
    paths, stdin = _force_exclude(paths, stdin, settings)
    if named and not (paths or stdin):  # every named path is excluded: nothing to check (ruff: no output)
        if not args.quiet:
            print("hueylint: warning: every path given is excluded (--force-exclude): nothing checked",
                  file=sys.stderr)
        return EXIT_CLEAN
    if args.show_files:
        from hueylint.show import render_files

        for warning in render_files(paths, settings, _engine_options(args, stdin=stdin), sys.stdout, os.getcwd()):
            print(f"hueylint: warning: {warning}", file=sys.stderr)
        return EXIT_CLEAN
    from hueylint.engine import run
    from hueylint.findings import Severity
    from hueylint.progress import Status, wanted
    from hueylint.reporters import ReportOptions, render

    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes needs --fix or --diff")
    if args.sarif_category is not None and args.format != "sarif":  # (it was ignored without a word)
        raise UsageError(f"--sarif-category sets the SARIF report's automationDetails.id: it needs "
                         f"--output-format sarif, not {args.format}")
    if args.sarif_category is not None and not args.sarif_category.strip(" /"):  # ("" wrote no id, " " the id "/")
        raise UsageError(f"--sarif-category {args.sarif_category!r} names no category (e.g. `hueylint/backend`)")
    if args.statistics and args.format not in (*TEXT_FORMATS, "json"):
        raise UsageError(f"--statistics counts findings per rule in the text, concise or json format, not {args.format}")
    shown = wanted(args.format == "text", args.quiet, _color(args))
    with Status(shown) as status:  # a transient status line for a long run on a terminal
        # a run whose output needs more than its result (fixes, a baseline to write) is never replayed
        # HL008 named by its id (`--extend-select HL008`) reports it, as ruff's RUF100 (it reported nothing)
        unused = args.show_unused_ignores or settings.names("HL008")
        engine_options = _engine_options(args, show_unused_ignores=unused, stdin=stdin,
                                         progress=status, replay=not (args.fix or args.diff or args.write_baseline))
        if args.fix or args.diff:
            fixed = _run_fixes(args, paths, settings, engine_options)
            if isinstance(fixed, int):
                return fixed
            result = fixed
        else:
            result = run(paths, settings, engine_options)
    if args.write_baseline or args.baseline:
        from hueylint import baseline

        try:
            if args.write_baseline:
                _refuse_input(args.write_baseline, result, settings)
                written = baseline.write(result, Path(args.write_baseline))
                if not args.quiet:  # -q/-s: nothing but the findings, as the README says (it was said anyway)
                    print(f"hueylint: wrote {written} finding(s) to {args.write_baseline}", file=sys.stderr)
            else:
                baseline.apply(result, Path(args.baseline))
        except baseline.BaselineError as exc:
            raise UsageError(str(exc)) from None
    options = ReportOptions(color_mode=_color(args), quiet=args.quiet, statistics=args.statistics, cwd=os.getcwd(),
                            fail_on=settings.fail_on.label, sarif_category=args.sarif_category)
    if args.output:
        _refuse_input(args.output, result, settings, args.baseline)
        options.color_mode = "never"
        out = io.StringIO()
        render(args.format, result, out, options)  # rendered in full first: a failure leaves no truncated report
        from hueylint.safeio import write_output

        try:
            write_output(args.output, out.getvalue(), result.root)
        except OSError as exc:
            raise UsageError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    elif not args.silent:
        if args.format not in TEXT_FORMATS:  # JSON, SARIF, workflow commands: UTF-8 whatever the locale
            from hueylint.terminal import utf8_stdout

            utf8_stdout()
        _to_stdout(lambda: render(args.format, result, sys.stdout, options))
    for warning in [] if args.quiet else result.warnings:  # like ruff, -q keeps only the findings
        print(f"hueylint: warning: {warning}", file=sys.stderr)
    if result.internal_errors:
        if args.output or args.silent or args.format not in TEXT_FORMATS:  # a text report on stdout ends with them
            from hueylint.terminal import printable

            for notice in result.internal_errors:
                where = f"{notice.rel}: " if notice.rel else ""
                print(f"hueylint: error: {printable(where + notice.reason)}", file=sys.stderr)
        return EXIT_INTERNAL
    if args.exit_zero or args.write_baseline:
        return EXIT_CLEAN
    failing = [f for f in result.findings if (f.severity or Severity.WARNING) >= settings.fail_on]
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _to_stdout(write: Callable[[], object]) -> None:
    """``write`` a report to standard output; a reader that left (``hueylint check | head``) cuts the report
    short but not the run: its exit code is still its findings' (it was 0, or 1 when the report was short
    enough to fit the pipe before the reader left), so `set -o pipefail` CI fails on findings either way."""
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        from hueylint.terminal import reader_gone

        reader_gone()


def _refuse_input(target: str, result, settings, *more: str | None) -> None:
    """A report or baseline never replaces a file the run read (a unit, a script, the configuration, the
    baseline): ``-o deploy/huey.service`` would destroy what it checks."""
    for path in (*result.inputs, settings.source, *more):
        try:
            same = path is not None and os.path.samefile(path, target)
        except OSError:  # the target does not exist yet (or the input is gone): nothing to protect
            continue
        if same:
            raise UsageError(f"{target}: is a file this run reads; refusing to overwrite it")


def _rules(args: argparse.Namespace) -> int:
    from hueylint.catalog import load_catalog

    docs = list(load_catalog().values())
    if args.format == "json":
        import json

        rows = [_rule_row(doc) for doc in docs]
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_CLEAN
    from hueylint.terminal import is_terminal, make_console

    color = _color(args)
    if color == "always" or is_terminal():
        from rich.table import Table

        table = Table(show_header=True, header_style="bold", box=None)
        for column in ("id", "name", "severity"):
            table.add_column(column, no_wrap=True)
        table.add_column("summary")
        for doc in docs:
            table.add_row(doc.id, doc.name, doc.severity.label, doc.summary)
        make_console(color=color).print(table)
        return EXIT_CLEAN
    for doc in docs:  # piped: one line per rule, for grep and cut
        sys.stdout.write(f"{doc.id} {doc.name} {doc.severity.label}  {doc.summary}\n")
    return EXIT_CLEAN


def _explain(args: argparse.Namespace) -> int:
    from hueylint.catalog import load_catalog
    from hueylint.explain import render_rule

    catalog = load_catalog()
    if args.all == (args.rule is not None):
        raise UsageError(f"{args.command}: give a rule id or name, or --all" if not args.all else
                         f"{args.command}: give a rule id or --all, not both")
    if args.format == "json":
        import json

        from hueylint.explain import markdown

        docs = list(catalog.values()) if args.all else [_rule_doc(catalog, args.rule)]
        rows = [{**_rule_row(doc), "fix": doc.autofix, "explanation": markdown(doc)} for doc in docs]
        json.dump(rows if args.all else rows[0], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_CLEAN
    if args.all:
        for index, page in enumerate(catalog.values()):
            if index:
                sys.stdout.write("\n")
            render_rule(page, _color(args))
        return EXIT_CLEAN
    render_rule(_rule_doc(catalog, args.rule), _color(args))
    return EXIT_CLEAN


def _rule_doc(catalog: dict[str, RuleDoc], rule: str) -> RuleDoc:
    """The catalog's rule ``rule`` names, by id (any case) or name; a :class:`UsageError` when none."""
    wanted = rule.strip()
    doc = catalog.get(wanted.upper()) or next((d for d in catalog.values() if d.name == wanted.lower()), None)
    if doc is None:
        raise UsageError(f"unknown rule {rule!r} (see `hueylint rules`)")
    return doc


def _rule_row(doc: RuleDoc) -> dict[str, object]:
    """A rule as `hueylint rules --output-format json` lists it."""
    return {"id": doc.id, "name": doc.name, "severity": doc.severity.label, "summary": doc.summary,
            "tags": list(doc.tags), "precision": doc.precision, "help_uri": doc.help_uri}


def _inspect(args: argparse.Namespace) -> int:
    paths, stdin = _paths(args)
    settings = load_settings(args, paths)
    from hueylint.inspect_view import render_inspect

    render_inspect(paths, settings, args.format, color=_color(args), options=_engine_options(args, stdin=stdin))
    return EXIT_CLEAN
