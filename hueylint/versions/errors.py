"""Why a TOML or JSON dependency file does not parse (for HL001)."""

from __future__ import annotations

import json

from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile
from hueylint.versions.filekinds import file_kind, lock_may_pin_huey
from hueylint.versions.tomltext import parse_toml

_TOML_POS_RE = lazy_pattern(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END_RE = lazy_pattern(r"\s*\(at end of document\)\s*$")


def parse_error(src: SourceFile) -> tuple[int, int, str] | None:
    """``(line, column, message)`` when a TOML/JSON dependency file does not parse, else None.

    Covers ``pyproject.toml``, ``Pipfile``, ``poetry.lock``, ``uv.lock`` and
    ``Pipfile.lock`` (a lock file that never names huey is not read:
    :func:`~hueylint.versions.filekinds.lock_may_pin_huey`).  Positions are
    1-based; an error "at end of document" points just past the last character.
    """
    kind = file_kind(src.rel)
    if not lock_may_pin_huey(kind, src.text):
        return None
    if kind in ("pyproject", "pipfile", "toml-lock"):
        import tomli  # here: a run whose dependency files are all requirements never imports the TOML parser

        try:
            parse_toml(src.text)
        except tomli.TOMLDecodeError as exc:
            message = str(exc)
            line = getattr(exc, "lineno", None)
            col = getattr(exc, "colno", None)
            match = _TOML_POS_RE.search(message)
            if match:
                message = message[: match.start()]
                line, col = int(match.group(1)), int(match.group(2))
            elif _TOML_END_RE.search(message):
                message = _TOML_END_RE.sub("", message)
                line, col = _end_position(src)
            if not isinstance(line, int) or not isinstance(col, int):
                line, col = _end_position(src)
            msg = getattr(exc, "msg", None)
            if isinstance(msg, str) and msg:
                message = msg
            return line, col, f"invalid TOML: {message}"
        except (ValueError, RecursionError) as exc:
            return 1, 1, f"invalid TOML: {exc}"
        return None
    if kind == "pipfile.lock":
        try:
            json.loads(src.text)
        except json.JSONDecodeError as exc:
            return exc.lineno, exc.colno, f"invalid JSON: {exc.msg}"
        except (ValueError, RecursionError) as exc:
            return 1, 1, f"invalid JSON: {exc}"
        return None
    return None


def _end_position(src: SourceFile) -> tuple[int, int]:
    lines = src.text.split("\n")
    return len(lines), len(lines[-1].rstrip("\r")) + 1
