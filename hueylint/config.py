"""Configuration: ``[tool.hueylint]`` in pyproject.toml, ``hueylint.toml`` or ``.hueylint.toml``.

Found by walking up from the first checked path, like ruff.  Command-line
options override the file.  Unknown keys are errors: a misspelt ``ignore``
silently doing nothing is exactly the kind of mistake a linter must not make.
"""

from __future__ import annotations

import math
import os
from dataclasses import field
from pathlib import Path
from typing import Any

from hueylint.durations import DurationError, parse_duration
from hueylint.findings import Severity
from hueylint.ignores import Rules
from hueylint.records import dataclass
from hueylint.safeio import read_regular

MAX_CONFIG_BYTES = 2 * 1024 * 1024  # a configuration file is a few hundred bytes; /dev/zero is not one

CONFIG_NAMES = ("hueylint.toml", ".hueylint.toml", "pyproject.toml")
DEFAULT_LONGEST_TASK = 20.0
MAX_LONGEST_TASK = 366 * 86400.0  # seconds: a larger value is a unit mistake, not a task
KEYS = {
    "select", "ignore", "extend-select", "severity", "exclude", "extend-exclude", "longest-task",
    "huey-version", "fail-on", "per-file-ignores", "force-exclude",
}
COMMAND_LINE = "command line"  # the origin of a value set by an option (:attr:`Settings.origins`)
DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "node_modules", "__pycache__",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hueylint_cache", "site-packages", "dist",
    ".eggs", "*.egg-info",
)


class ConfigError(Exception):
    """A usage or configuration error: one line, exit code 2."""


@dataclass
class Settings:
    """The configuration of one run: ``hueylint.toml``, ``.hueylint.toml`` or ``[tool.hueylint]`` of
    ``pyproject.toml`` (``source``; None: defaults) with the command line's options applied; paths and globs are relative to
    ``root``, ``longest_task`` is in seconds."""

    root: Path  # the folder paths in the config are relative to
    source: Path | None = None
    select: list[str] | None = None  # None: every rule
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    extend_exclude: list[str] = field(default_factory=list)
    longest_task: float = DEFAULT_LONGEST_TASK
    huey_version: str | None = None
    fail_on: Severity = Severity.WARNING
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    force_exclude: bool = False  # exclusion applies to paths named on the command line too (pre-commit)
    # --exclude (replaces `exclude`) and --extend-exclude globs, anchored at cli_base (the current folder)
    cli_exclude: list[str] | None = None
    cli_extend_exclude: list[str] = field(default_factory=list)
    cli_base: Path | None = None
    # where each key's value came from: a configuration file's path, COMMAND_LINE, or both joined by " + "
    # (a list the command line extends); a key not here has its default value
    origins: dict[str, str] = field(default_factory=dict)

    def exclusion(self, repo_root: Path) -> Rules:
        """``exclude`` + ``extend-exclude``, anchored at the configuration file's folder (ruff), then
        ``--exclude`` (which replaces ``exclude``) + ``--extend-exclude``, anchored at the current folder."""
        own = self.exclude if self.cli_exclude is None else []
        rules = Rules.of(own + self.extend_exclude, self.base(repo_root))
        given = [*(self.cli_exclude or []), *self.cli_extend_exclude]
        if given:
            rules.levels += Rules.of(given, _relative(self.cli_base or Path.cwd(), repo_root)).levels
        return rules

    def set_origin(self, key: str, origin: str, extends: bool = False) -> None:
        """Record that ``origin`` set ``key`` (``extends``: added to the value it had)."""
        before = self.origins.get(key)
        self.origins[key] = f"{before} + {origin}" if extends and before else origin

    def per_file_rules(self, repo_root: Path) -> list[tuple[Rules, bool, list[str]]]:
        """Each ``per-file-ignores`` glob (anchored like ``exclude``), whether it is negated (``!glob``:
        the files it does *not* match, as in ruff) and the rule prefixes it ignores."""
        base = self.base(repo_root)
        return [(Rules.of([pattern.removeprefix("!")], base), pattern.startswith("!"), rules)
                for pattern, rules in self.per_file_ignores.items()]

    def base(self, repo_root: Path) -> str:
        """The configuration file's folder relative to ``repo_root`` (POSIX; ``..`` parts when outside)."""
        return _relative(self.root, repo_root)

    def names(self, rule_id: str) -> bool:
        """``rule_id`` itself (not a prefix, not ``ALL``) is in ``select`` or ``extend-select`` and not ignored:
        the user asked for that rule by its id (``--extend-select HL008``, as ruff's RUF100 is asked for)."""
        named = rule_id in (self.select or []) or rule_id in self.extend_select
        return named and not any(rule_id.startswith(pattern) and len(pattern) >= len(rule_id)
                                 for pattern in self.ignore)

    def enabled(self, rule_id: str, known: list[str]) -> bool:
        """ruff's semantics: select by prefix (``HL1`` selects HL1xx), ignore wins over a shorter select."""
        def best(patterns: list[str]) -> int:
            return max((len(p) for p in patterns if rule_id.startswith(p)), default=-1)
        selected = best((self.select if self.select is not None else ["HL"]) + self.extend_select)
        ignored = best(self.ignore)
        return selected >= 0 and selected > ignored


def _relative(folder: Path, repo_root: Path) -> str:
    """``folder`` relative to ``repo_root`` (POSIX; ``..`` parts when outside), the base of its globs."""
    try:
        return Path(os.path.relpath(folder.resolve(), repo_root.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return "."


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start``; a pyproject counts only with ``[tool.hueylint]``."""
    start = start.resolve()
    folder = start if os.path.isdir(start) else start.parent
    for candidate_dir in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = candidate_dir / name
            if not os.path.isfile(candidate):  # (False, never a PermissionError, in a folder the user may not search)
                continue
            if candidate.is_symlink() and not candidate.resolve().is_relative_to(candidate_dir):
                # the checkout decides what a link in it points to: reading it would read any file of the runner
                raise ConfigError(f"{candidate}: a symlink leading outside its folder: refused "
                                  "(name the file with --config to use it)")
            if name != "pyproject.toml":
                return candidate
            try:
                raw = read_regular(candidate, MAX_CONFIG_BYTES)
            except OSError as exc:  # it may configure hueylint: never run as if it did not (ruff fails too)
                raise ConfigError(f"{shown_path(candidate)}: cannot read: {exc.strerror or exc}") from None
            if b"hueylint" not in raw:
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                return candidate  # load_table says it is not UTF-8: a configuration is never dropped silently
            if "[tool.hueylint" in text:
                return candidate
            if "hueylint" in text:  # `tool.hueylint.select = ...` dotted keys, `hueylint = {...}` under [tool]
                import tomli  # here and in load_table: a run without a configuration file parses no TOML

                try:
                    tool = tomli.loads(text).get("tool")
                except (tomli.TOMLDecodeError, RecursionError):
                    return candidate  # load_table reports the syntax error
                if isinstance(tool, dict) and "hueylint" in tool:
                    return candidate
    return None


def parse_rule_list(value: Any, key: str, known: list[str]) -> list[str]:
    """Rule ids or prefixes (a list, or one comma-separated string), each validated, normalized.  An empty one
    (``select = ""``, ``"HL1,,HL2"``, ``[""]``) is an error, as ``--select ""`` is: ``select = ""`` selected no
    rule at all, ``"HL1,"`` read as ``"HL1"``."""
    written = value
    if isinstance(value, str):
        value = [item.strip() for item in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{key}: expected a list of rule ids, not {value!r}")  # key: "pyproject.toml: select"
    if any(not item.strip() for item in value):
        raise ConfigError(f"{key}: empty rule selector in {written!r}")
    for item in value:
        validate_rule_selector(item, known, key)
    return [normalize_selector(item) for item in value]


def normalize_selector(item: str) -> str:
    """Upper-case; ``ALL`` (ruff's spelling) is the prefix every rule has, in every selector."""
    code = item.strip().upper()
    return "HL" if code == "ALL" else code


def validate_rule_selector(item: str, known: list[str], where: str) -> None:
    code = item.upper()
    if code == "ALL":
        return
    if not code.startswith("HL") or not any(rule.startswith(code) for rule in known):
        raise ConfigError(f"{where}: unknown rule id or prefix {item!r} (`hueylint rules` lists the rules)")


def validate_glob(pattern: str, where: str, written: str | None = None) -> None:
    """A glob in git's syntax that can match something; an empty one, a `#` comment or an invalid one is
    a :class:`ConfigError` (it would silently match nothing) naming it as ``written`` (default: ``pattern``)."""
    shown = pattern if written is None else written
    if not Rules.valid(pattern):
        raise ConfigError(f"{where}: the glob {shown!r} can never match (empty, `/`, a `#` comment in git's "
                          "glob syntax, or invalid; write `\\#` for a literal `#`)")
    if ".." in pattern.lstrip("!").split("/"):
        raise ConfigError(f"{where}: the glob {shown!r} can never match: globs are relative to the folder of "
                          "the configuration that defines them (or the current folder) and never reach above it "
                          "with `..`")


def normalized_glob(pattern: str) -> str:
    """``pattern`` without its ``.`` parts, as ruff reads a glob (a path relative to the configuration's
    folder, or the current folder): ``./deploy/*`` is ``/deploy/*`` and ``./huey.service`` is ``/huey.service``,
    anchored where the ``./`` anchored them; ``deploy/./x`` is ``deploy/x``; a leading ``!`` is kept.  Git's
    syntax reads a ``.`` part as a name no file has, so such a glob silently matched nothing."""
    mark = "!" if pattern.startswith("!") else ""
    parts = pattern[len(mark):].split("/")
    if "." not in parts:
        return pattern
    kept = [part for part in parts if part != "."]
    body = "/".join(kept)
    if parts[0] == "." and not body.startswith("/"):
        body = "/" + body
    return mark + body if body.strip("/") else pattern  # `./` alone stays as written: validate_glob refuses it


def parse_globs(value: Any, where: str, key: str) -> list[str]:
    """A list of git globs (:func:`normalized_glob`), each one checked by :func:`validate_glob` (a
    :class:`ConfigError` naming ``where`` and ``key`` otherwise)."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: `{key}` must be a list of glob patterns")
    globs = [normalized_glob(pattern) for pattern in value]
    for pattern, written in zip(globs, value):
        validate_glob(pattern, f"{where}: {key}" if where else key, written)
    return globs


def parse_longest_task(value: Any, where: str) -> float:
    """Seconds, finite and positive; anything else is a :class:`ConfigError` naming ``where``."""
    if isinstance(value, str) and value.strip().startswith("-") or \
            isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        raise ConfigError(f"{where}: must be positive, not {value!r}")
    try:
        seconds = parse_duration(value)
    except DurationError as exc:
        raise ConfigError(f"{where}: {exc} (use e.g. \"45s\", \"5m\")") from None
    if not math.isfinite(seconds):
        raise ConfigError(f"{where}: must be a finite duration, not {value!r} (use e.g. \"45s\", \"5m\")")
    if seconds <= 0:
        raise ConfigError(f"{where}: must be positive, not {value!r}")
    if seconds > MAX_LONGEST_TASK:
        raise ConfigError(f"{where}: {value!r} is longer than a year; no stop deadline waits that long "
                          "(is the unit right? e.g. \"45s\", \"5m\", \"2h\")")
    return seconds


def parse_severity(value: Any, where: str) -> Severity:
    """``error``/``warning``/``note`` and their aliases, any case (one parser for CLI and config)."""
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected \"error\", \"warning\" or \"note\", not {value!r}")
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def parse_huey_version(value: Any, where: str) -> str:
    """A version string like ``"3.4"``; a TOML number is refused (``3.10`` would read as 3.1)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ConfigError(f"{where}: must be a string: quote it, e.g. huey-version = \"3.10\" "
                          f"(the TOML number {value!r} loses trailing zeros, 3.10 reads as 3.1)")
    version = value.strip() if isinstance(value, str) else ""
    if not version or not all(part.isdigit() for part in version.split(".")):
        raise ConfigError(f"{where}: expected a version like \"3.4\" or \"2.5.1\", not {value!r}")
    return version


def shown_path(path: Path) -> str:
    """A configuration file as messages name it: relative to the current folder when it lies inside it
    (``pyproject.toml``, ``deploy/hueylint.toml``), else absolute (a file found in a folder above, or named
    with ``--config ../x.toml``), so the name always says which file to open."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(os.getcwd()).as_posix()
    except ValueError:
        return str(absolute)


def load_table(path: Path) -> dict[str, Any]:
    shown = shown_path(path)
    if os.path.isdir(path):  # (False, never a PermissionError, below a folder the user may not search)
        raise ConfigError(f"{shown}: is a directory, not a configuration file")
    import tomli

    try:
        # a leading UTF-8 byte order mark (Windows editors write one): read past it, as the Rust toml parsers
        # (ruff's) and toml-test accept it
        data = tomli.loads(read_regular(path, MAX_CONFIG_BYTES).decode("utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"{shown}: no such configuration file") from None
    except OSError as exc:  # also a FIFO, device or oversize file (safeio): never a hang or a MemoryError
        raise ConfigError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{shown}: invalid TOML: {_not_utf8(exc)}") from None
    except tomli.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: invalid TOML: {exc}") from None
    except RecursionError:  # tomli recurses once per nested array or inline table
        raise ConfigError(f"{shown}: invalid TOML: nested too deeply") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("hueylint", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise ConfigError(f"{shown}: `tool.hueylint` must be a table ([tool.hueylint]), not {table!r}")
        return table
    return data


def _not_utf8(exc: UnicodeDecodeError) -> str:
    """Where a configuration file stops being UTF-8, as tomli places its errors: ``not UTF-8 (TOML files are
    UTF-8): byte 0xe9 (at line 2, column 12)``; the column counts the characters before the byte."""
    before = exc.object[:exc.start].decode("utf-8", "replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return f"not UTF-8 (TOML files are UTF-8): byte 0x{exc.object[exc.start]:02x} (at line {line}, column {column})"


def build_settings(path: Path | None, fallback_root: Path, known: list[str]) -> Settings:
    """The settings of the configuration file ``path`` (``hueylint.toml``, ``.hueylint.toml``, or a
    ``pyproject.toml``'s ``[tool.hueylint]``; :func:`find_config` finds it), rooted at its folder: relative
    globs and paths in it are anchored there.  ``path`` None: the defaults, rooted at ``fallback_root``.
    ``known`` are the catalog's rule ids (``select``, ``ignore``, ``severity`` ... may name only those).
    :class:`ConfigError` (one line naming the file and key, exit code 2) for an unreadable file, invalid
    TOML, an unknown key or a value of the wrong kind; durations (``longest-task``) are in seconds."""
    if path is None:
        return Settings(root=fallback_root.resolve())
    table = load_table(path)
    settings = Settings(root=path.parent.resolve(), source=path)
    apply_table(settings, table, shown_path(path), known)
    settings.origins = {key: str(path) for key in table}
    return settings


def apply_table(settings: Settings, table: dict[str, Any], where: str, known: list[str]) -> None:
    for key in table:
        if key == "tool" and isinstance(table[key], dict) and "hueylint" in table[key]:
            raise ConfigError(f"{where}: unknown key `tool`: {where} takes the keys at the top level, without a "
                              "[tool.hueylint] header (that header is for pyproject.toml)")
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key `{key}` (expected one of: {', '.join(sorted(KEYS))})")
    if "select" in table:
        settings.select = parse_rule_list(table["select"], f"{where}: select", known)
    if "extend-select" in table:
        settings.extend_select = parse_rule_list(table["extend-select"], f"{where}: extend-select", known)
    if "ignore" in table:
        settings.ignore = parse_rule_list(table["ignore"], f"{where}: ignore", known)
    if "severity" in table:
        overrides = table["severity"]
        if not isinstance(overrides, dict):
            raise ConfigError(f"{where}: `severity` must be a table of rule id = \"error\"|\"warning\"|\"note\"")
        for rule, level in overrides.items():
            if rule.upper() not in known:
                raise ConfigError(f"{where}: severity: unknown rule id {rule!r}")
            settings.severity[rule.upper()] = parse_severity(level, f"{where}: severity.{rule}")
    for key, attr in (("exclude", "exclude"), ("extend-exclude", "extend_exclude")):
        if key in table:
            setattr(settings, attr, parse_globs(table[key], where, key))
    if "force-exclude" in table:
        if not isinstance(table["force-exclude"], bool):
            raise ConfigError(f"{where}: `force-exclude` must be true or false, not {table['force-exclude']!r}")
        settings.force_exclude = table["force-exclude"]
    if "longest-task" in table:
        settings.longest_task = parse_longest_task(table["longest-task"], f"{where}: longest-task")
    if "huey-version" in table:
        settings.huey_version = parse_huey_version(table["huey-version"], f"{where}: huey-version")
    if "fail-on" in table:
        settings.fail_on = parse_severity(table["fail-on"], f"{where}: fail-on")
    if "per-file-ignores" in table:
        value = table["per-file-ignores"]
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [rule ids]")
        for written, rules in value.items():
            pattern = normalized_glob(written)
            validate_glob(pattern[1:] if pattern.startswith("!") else pattern, f"{where}: per-file-ignores",
                          written[1:] if written.startswith("!") else written)
            settings.per_file_ignores[pattern] = parse_rule_list(rules, f"{where}: per-file-ignores.{written}", known)
