"""Configuration: ``[tool.hueylint]`` in pyproject.toml, ``hueylint.toml`` or ``.hueylint.toml``.

Found by walking up from the first checked path, like ruff.  Command-line
options override the file.  Unknown keys are errors: a misspelt ``ignore``
silently doing nothing is exactly the kind of mistake a linter must not make.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hueylint.durations import DurationError, parse_duration
from hueylint.findings import Severity
from hueylint.safeio import read_regular

MAX_CONFIG_BYTES = 2 * 1024 * 1024  # a configuration file is a few hundred bytes; /dev/zero is not one

CONFIG_NAMES = ("hueylint.toml", ".hueylint.toml", "pyproject.toml")
DEFAULT_LONGEST_TASK = 20.0
KEYS = {
    "select", "ignore", "extend-select", "severity", "exclude", "extend-exclude", "longest-task",
    "huey-version", "fail-on", "per-file-ignores",
}
DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "node_modules", "__pycache__",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hueylint_cache", "site-packages", "build", "dist",
    ".eggs", "*.egg-info",
)


class ConfigError(Exception):
    """A usage or configuration error: one line, exit code 2."""


@dataclass
class Settings:
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

    def enabled(self, rule_id: str, known: list[str]) -> bool:
        """ruff's semantics: select by prefix (``HL1`` selects HL1xx), ignore wins over a shorter select."""
        def best(patterns: list[str]) -> int:
            return max((len(p) for p in patterns if rule_id.startswith(p)), default=-1)
        selected = best((self.select if self.select is not None else ["HL"]) + self.extend_select)
        ignored = best(self.ignore)
        return selected >= 0 and selected > ignored


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start``; a pyproject counts only with ``[tool.hueylint]``."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate_dir in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = candidate_dir / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml":
                return candidate
            try:
                text = read_regular(candidate, MAX_CONFIG_BYTES).decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if "[tool.hueylint" in text:
                return candidate
    return None


def _rule_list(value: Any, key: str, known: list[str]) -> list[str]:
    if isinstance(value, str):
        value = [item.strip() for item in value.split(",") if item.strip()]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"`{key}` must be a list of rule ids")
    for item in value:
        validate_rule_selector(item, known, key)
    return [item.upper() for item in value]


def validate_rule_selector(item: str, known: list[str], where: str) -> None:
    code = item.upper()
    if code == "ALL":
        return
    if not code.startswith("HL") or not any(rule.startswith(code) for rule in known):
        raise ConfigError(f"{where}: unknown rule id or prefix {item!r}")


def parse_longest_task(value: Any, where: str) -> float:
    try:
        seconds = parse_duration(value)
    except DurationError as exc:
        raise ConfigError(f"{where}: {exc} (use e.g. \"45s\", \"5m\")") from None
    if seconds <= 0:
        raise ConfigError(f"{where}: must be positive")
    return seconds


def load_table(path: Path) -> dict[str, Any]:
    if path.is_dir():
        raise ConfigError(f"{path}: is a directory, not a configuration file")
    try:
        data = tomllib.loads(read_regular(path, MAX_CONFIG_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except OSError as exc:  # also a FIFO, device or oversize file (safeio): never a hang or a MemoryError
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("hueylint", {})
    return data


def build_settings(path: Path | None, fallback_root: Path, known: list[str]) -> Settings:
    if path is None:
        return Settings(root=fallback_root.resolve())
    table = load_table(path)
    settings = Settings(root=path.parent.resolve(), source=path)
    apply_table(settings, table, f"{path.name}", known)
    return settings


def apply_table(settings: Settings, table: dict[str, Any], where: str, known: list[str]) -> None:
    for key in table:
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key `{key}` (expected one of: {', '.join(sorted(KEYS))})")
    if "select" in table:
        selectors = _rule_list(table["select"], f"{where}: select", known)
        settings.select = ["HL" if item == "ALL" else item for item in selectors]
    if "extend-select" in table:
        settings.extend_select = _rule_list(table["extend-select"], f"{where}: extend-select", known)
    if "ignore" in table:
        settings.ignore = _rule_list(table["ignore"], f"{where}: ignore", known)
    if "severity" in table:
        overrides = table["severity"]
        if not isinstance(overrides, dict):
            raise ConfigError(f"{where}: `severity` must be a table of rule id = \"error\"|\"warning\"|\"note\"")
        for rule, level in overrides.items():
            if rule.upper() not in known:
                raise ConfigError(f"{where}: severity: unknown rule id {rule!r}")
            try:
                settings.severity[rule.upper()] = Severity.parse(str(level))
            except ValueError as exc:
                raise ConfigError(f"{where}: severity.{rule}: {exc}") from None
    for key, attr in (("exclude", "exclude"), ("extend-exclude", "extend_exclude")):
        if key in table:
            value = table[key]
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise ConfigError(f"{where}: `{key}` must be a list of glob patterns")
            setattr(settings, attr, list(value))
    if "longest-task" in table:
        settings.longest_task = parse_longest_task(table["longest-task"], f"{where}: longest-task")
    if "huey-version" in table:
        version = str(table["huey-version"]).strip()
        if not version or not all(part.isdigit() for part in version.split(".")):
            raise ConfigError(f"{where}: huey-version must look like \"3.4\" or \"2.5.1\", not {version!r}")
        settings.huey_version = version
    if "fail-on" in table:
        try:
            settings.fail_on = Severity.parse(str(table["fail-on"]))
        except ValueError as exc:
            raise ConfigError(f"{where}: fail-on: {exc}") from None
    if "per-file-ignores" in table:
        value = table["per-file-ignores"]
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [rule ids]")
        for pattern, rules in value.items():
            settings.per_file_ignores[pattern] = _rule_list(rules, f"{where}: per-file-ignores.{pattern}", known)
