"""``hueylint check --show-settings`` and ``--show-files``: what a check would use, without linting (ruff's
options of the same names).

``--show-settings`` prints the resolved configuration as TOML lines, each with where its value came from
(``# default``, the configuration file, ``# command line``) and, for globs, the folder they are relative
to. ``--show-files`` prints every file the check reads, one a line: ``path [format]``, with the files read
on demand (a script a launch runs) marked ``read on demand``, and a file
found but not readable ``not read: see HL001``.  Paths are shown as the text report shows them: relative to
the current folder when inside it.  Scanned names are escaped (:func:`hueylint.terminal.printable`).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import IO

from hueylint.config import COMMAND_LINE, Settings
from hueylint.safeio import shown
from hueylint.terminal import printable


def _shown(path: str | Path, cwd: str) -> str:
    """``path`` relative to ``cwd`` when inside it, else absolute; escaped for the terminal."""
    return printable(shown(os.path.abspath(os.path.join(cwd, path)), cwd))


def _toml(value: object) -> str:
    """A TOML value: strings, booleans, lists and tables of them (inline)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        items = [f"{key if re.fullmatch(r'[A-Za-z0-9_-]+', key) else _toml(key)} = {_toml(item)}"
                 for key, item in value.items()]
        return "{" + ", ".join(items) + "}"
    return str(value)


def settings_lines(settings: Settings, known: list[str], cwd: str) -> list[str]:
    """The lines ``--show-settings`` prints for ``settings`` (``known``: every rule id, for the enabled set)."""
    def origin(key: str) -> str:
        where = settings.origins.get(key)
        if where is None:
            return "default"
        return " + ".join(part if part == COMMAND_LINE else _shown(part, cwd) for part in where.split(" + "))

    def line(key: str, value: object, note: str = "") -> str:
        return f"{key} = {_toml(value)}  # {origin(key)}{note}"

    config_folder = f", relative to {_shown(settings.root, cwd)}"
    lines = [f"# configuration file: {_shown(settings.source, cwd)}" if settings.source is not None
             else "# configuration file: none (defaults)"]
    lines += [
        line("select", settings.select if settings.select is not None else ["HL"]),
        line("extend-select", settings.extend_select),
        line("ignore", settings.ignore),
        line("severity", {rule: level.label for rule, level in settings.severity.items()}),
        line("fail-on", settings.fail_on.label),
        line("longest-task", f"{settings.longest_task:g}s"),
    ]
    if settings.huey_version is not None:
        lines.append(line("huey-version", settings.huey_version))
    else:
        lines.append("# huey-version: not set (each service's huey version is read from its dependency files)  "
                     "# default")
    if settings.cli_exclude is None:
        lines.append(line("exclude", settings.exclude, config_folder))
    lines.append(line("extend-exclude", settings.extend_exclude, config_folder))
    cli_folder = f", relative to {_shown(settings.cli_base or Path.cwd(), cwd)}"
    if settings.cli_exclude is not None:
        lines.append(f"exclude = {_toml(settings.cli_exclude)}  # {COMMAND_LINE}{cli_folder}")
    if settings.cli_extend_exclude:
        lines.append(f"extend-exclude = {_toml(settings.cli_extend_exclude)}  # {COMMAND_LINE}{cli_folder}")
    lines += [
        line("per-file-ignores", settings.per_file_ignores, config_folder),
        line("force-exclude", settings.force_exclude),
    ]
    enabled = [rule for rule in known if settings.enabled(rule, known)]
    lines.append(f"# rules enabled ({len(enabled)} of {len(known)}): {' '.join(enabled) or 'none'}")
    return lines


def render_settings(settings: Settings, known: list[str], out: IO[str], cwd: str) -> None:
    for text in settings_lines(settings, known, cwd):
        out.write(text + "\n")


def file_lines(ws, cwd: str) -> list[str]:
    """One line per file the run reads, sorted by the path shown: discovered files with their format,
    files read on demand, files found but unreadable (their HL001 says why)."""
    from hueylint.formats import name_format

    def shown(rel: str) -> str:
        return _shown(os.path.join(str(ws.root), rel), cwd)

    # a run of named paths reads the repository's other deployment files as their context (named_context.read_context)
    rows = {rel: f"[{src.format}, context]" if rel in ws.context else f"[{src.format}]" for rel, src in ws.sources.items()}
    for rel, src in ws.read_on_demand().items():
        if rel not in rows:
            rows[rel] = f"[{name_format(rel) or src.format}, read on demand]"
    for finding in ws.findings:
        rel = finding.loc.path
        if finding.rule == "HL001" and rel and rel not in rows:
            rows[rel] = "[not read: see HL001]"
    shown_rows = sorted((shown(rel), mark) for rel, mark in rows.items())
    return [f"{path} {mark}" for path, mark in shown_rows]


def render_files(paths: list[Path], settings: Settings, options, out: IO[str], cwd: str) -> list[str]:
    """Print the files a check of ``paths`` reads (the files are discovered and launches followed, no
    rule runs); returns the run's warnings (nothing found) for stderr."""
    from hueylint.coverage import coverage_warnings
    from hueylint.engine import build_project

    ws, project, _ = build_project(paths, settings, options)
    for text in file_lines(ws, cwd):
        out.write(text + "\n")
    return [warning for warning in coverage_warnings(ws, project) if warning.startswith("No files")]
