"""Shared test helpers: run hueylint in-process on a file tree, get (rule, path, line) back."""

from __future__ import annotations

from pathlib import Path

from hueylint.catalog import rule_ids
from hueylint.config import Settings, apply_table, build_settings, find_config
from hueylint.engine import Options, run


def write_tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def lint(root: Path, config: dict | None = None, *, show_unused: bool = False, paths: list[Path] | None = None):
    config = dict(config or {})
    show_unused = bool(config.pop("show-unused-ignores", show_unused))
    known = rule_ids()
    config_path = find_config(root)
    settings = build_settings(config_path, root, known) if config_path else Settings(root=root.resolve())
    apply_table(settings, config, "test", known)
    return run(paths or [root], settings, Options(show_unused_ignores=show_unused))


def triples(result, rule: str | None = None) -> list[tuple[str, str, int]]:
    return sorted((f.rule, f.loc.path or "", f.loc.line) for f in result.findings if rule in (None, f.rule))
