"""Reporters turn findings into text, JSON, SARIF or GitHub workflow commands.

Each reporter is a module with ``render(result, out, options) -> None``;
they are imported lazily so the formats nobody asked for cost nothing.
"""

from __future__ import annotations

import importlib
import os

from hueylint.formats import SYSTEMD_SUFFIXES
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern


@dataclass
class ReportOptions:
    """How a report is written: colour (``auto``, ``always``, ``never``), ``--quiet``, ``--statistics``,
    the folder paths are shown relative to, ``--fail-on`` and the SARIF run's category."""

    color_mode: str = "auto"  # auto (a terminal, FORCE_COLOR), always, never (no escape sequence at all)
    quiet: bool = False
    statistics: bool = False
    cwd: str = "."
    fail_on: str = "warning"
    sarif_category: str | None = None
    invocation_ok: bool = True


def render(fmt: str, result, out, options: ReportOptions) -> None:
    """Write ``result`` (an :class:`hueylint.engine.Result`) to the text stream ``out`` in the format ``fmt``
    (``text``, ``concise``, ``json``, ``sarif``, ``github``, ``gitlab``: the module
    ``hueylint/reporters/<fmt>_report.py``); ``ModuleNotFoundError`` for another name (the CLI offers only
    these).  The text and concise formats show paths relative to ``options.cwd``; the machine formats
    (JSON, SARIF, GitHub, GitLab) use paths relative to ``result.root``."""
    module = importlib.import_module(f"hueylint.reporters.{fmt}_report")
    module.render(result, out, options)


def by_rule(findings: list) -> list[tuple[str, list]]:
    """``--statistics``: (rule id, its findings) for each rule that found something, most frequent first,
    then by id (ruff's order)."""
    grouped: dict[str, list] = {}
    for finding in findings:
        grouped.setdefault(finding.rule, []).append(finding)
    return sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0]))


def internal_errors(result) -> list:
    """The run's internal-error notices (``engine.Result.internal_errors``; none for a hand-built result)."""
    return list(getattr(result, "internal_errors", []))


def report_path(root: object, rel: str) -> str:
    """A path for machine-readable reports: root-relative, or absolute for a file outside the run
    root (a second checkout named on the command line), never ``../``."""
    import posixpath
    from pathlib import Path

    if rel and (rel == ".." or rel.startswith("../")):
        return posixpath.normpath(posixpath.join(Path(str(root)).as_posix(), rel))
    return rel


def display_path(result, rel: str, cwd: str) -> str:
    """Paths as the user typed them: relative to the current folder when possible."""
    from hueylint.safeio import shown

    if not rel:
        return rel
    return shown(os.path.join(os.path.abspath(str(result.root)), rel), cwd)


#: a file named in a message: ``deploy/huey.service:13`` (a path of the run, then ``:line``)
_NAMED = lazy_pattern(r"(?<![\w./@+-])([\w.@+-][\w./@+-]*)(?=:\d)")
#: a file quoted in a message by its path: ``script `docker/entrypoint.sh` starts ...``, ``docker stops `Dockerfile```
#: (a root-level file: its path is its name); rewritten only when the run read a file of that path
_QUOTED = lazy_pattern(r"(?<=`)([\w.@+-][\w./@+-]*)(?=`)")


def relative_paths(paths, root: str) -> set[str]:
    """``paths`` (files under the absolute ``root``, as the run read them) relative to it, with ``/``: a
    normalised path below the root is cut, the rest go through ``os.path.relpath`` (a replay's 8,400 inputs of
    the Django tree took 30 ms through it alone)."""
    prefix = root.rstrip(os.sep) + os.sep
    relative: set[str] = set()
    for path in paths:
        text = str(path)
        if text.startswith(prefix) and os.path.normpath(text) == text:
            rel = text[len(prefix):]
        else:
            rel = os.path.relpath(os.path.abspath(text), root)
        relative.add(rel.replace(os.sep, "/") if os.sep != "/" else rel)
    return relative


def rewrites(root: str, text: str, cwd: str) -> bool:
    """Can :func:`shown_text` change ``text`` (a file named with ``:line`` or quoted in backticks, shown from a
    folder other than the absolute run ``root``, or a path outside it)?  Its callers ask before they compute the
    run's files."""
    return not ((os.path.abspath(cwd) == root and "../" not in text) or (":" not in text and "`" not in text))


def shown_text(root: str, read: set[str], text: str, cwd: str) -> str:
    """``text`` with the files it names (relative to the absolute run ``root``, as in the machine formats)
    shown as a finding's own path is in the text formats, relative to the current folder: run from ``deploy/``,
    ``(deploy/huey.service:13)`` reads ``(huey.service:13)`` and ``script `deploy/run.sh``` ``script `run.sh```,
    and a file above it, ``requirements.txt:1`` or a root-level ```Dockerfile```, is absolute (as ruff shows a path
    outside the current folder).  Only the files in ``read`` (the run's, relative to its root) are rewritten: a
    quoted name no file of the run has (a unit's ```redis.service```, a program's ```huey_consumer```) is left as
    written.  From the run root only a file outside it (``../other/Dockerfile``, a second checkout named on the
    command line) changes: absolute, as the finding's own path."""
    if not rewrites(root, text, cwd):
        return text
    from hueylint.safeio import shown

    def relative(found) -> str:
        return shown(os.path.join(root, found.group(1)), cwd) if found.group(1) in read else found.group(0)

    def quoted(found) -> str:
        # a systemd unit is quoted by its name (```huey.service```, what `systemctl` takes), never by its path:
        # a root-level unit's name is its file's path too, so it was shown as `/abs/huey.service` from a subfolder
        name = found.group(1)
        return found.group(0) if "/" not in name and name.endswith(SYSTEMD_SUFFIXES) else relative(found)

    return _QUOTED.sub(quoted, _NAMED.sub(relative, text))


#: the line a notice is about, written first in its reason (``line 5: compose web runs Django's `run_huey` ...``)
_NOTICE_LINE = lazy_pattern(r"line ([1-9][0-9]{0,8}): ")


def notice_line(reason: str) -> tuple[int | None, str]:
    """(the line a notice's reason names first, the reason without it): ``(5, "compose web runs ...")`` for
    ``line 5: compose web runs ...``; (None, reason) for a notice about a whole file or folder."""
    at = _NOTICE_LINE.match(reason)
    return (int(at.group(1)), reason[at.end():]) if at else (None, reason)
