"""Which files are dependency files, of which kind, and whose code each describes."""

from __future__ import annotations

from hueylint.formats import is_dockerfile, is_requirements, maybe_dockerfile, strip_template_suffix
from hueylint.regexes import lazy_pattern

_SKIP_DIRS = frozenset(
    {".git", ".venv", "venv", "site-packages", "node_modules", ".tox", ".nox", "__pypackages__"}
)


def file_kind(rel: str) -> str:
    """``requirements``, ``pyproject``, ``setup.cfg``, ``setup.py``, ``pipfile``, ``pipfile.lock``, ``toml-lock``,
    ``conda`` (a conda ``environment.yml``), ``dockerfile`` or ``""``."""
    rel = rel.replace("\\", "/")
    parts = [p for p in rel.split("/") if p and p != "."]
    if not parts or any(p in _SKIP_DIRS for p in parts[:-1]):
        return ""
    base = parts[-1]
    if base == "pyproject.toml":
        return "pyproject"
    if base == "setup.cfg":
        return "setup.cfg"
    if base == "setup.py":
        return "setup.py"
    if base == "Pipfile":
        return "pipfile"
    if base == "Pipfile.lock":
        return "pipfile.lock"
    if base in ("poetry.lock", "uv.lock"):
        return "toml-lock"
    if base in ("environment.yml", "environment.yaml"):
        return "conda"
    if is_dockerfile(strip_template_suffix(base)) or maybe_dockerfile(strip_template_suffix(base)):
        return "dockerfile"  # `Dockerfile-huey`: read as one only when discovery found it is (its content)
    return "requirements" if is_requirements("/".join(parts)) else ""


def is_dependency_file(rel: str) -> bool:
    """True for the files :func:`huey_pins` understands (by repo-relative path).

    Paths inside virtualenvs, ``site-packages``, ``node_modules``, ``.tox``
    and ``.git`` are refused: they describe someone else's dependencies.
    """
    return bool(file_kind(rel))


def owner_folder(rel: str) -> str:
    """The folder whose code a dependency file describes: its own, or the parent of a ``requirements/``
    folder (``services/api/requirements/prod.txt`` -> ``services/api``; ``""`` is the root)."""
    parts = rel.replace("\\", "/").split("/")[:-1]
    for index, part in enumerate(parts):
        if part.lower().startswith("requirements"):
            return "/".join(parts[:index])
    return "/".join(parts)


#: kinds that list every package of an environment, huey's among them only when installed
LOCK_KINDS = frozenset({"pipfile.lock", "toml-lock"})
#: what TOML and JSON strings may spell a name's letters with (lowered text): an escape of one of huey's
#: letters in either case (``\\u0068``; TOML's ``\\U00000068``), or, in a TOML multi-line string, a
#: backslash ending a line, which drops the line end and the blanks after it
_NAME_ESCAPE = lazy_pattern(r"\\u(?:0000)?00(6[58]|7[59]|4[58]|5[59])|\\[ \t]*\r?\n[ \t\r\n]*")


def lock_may_pin_huey(kind: str, text: str) -> bool:
    """False for a lock file (``poetry.lock``, ``uv.lock``, ``Pipfile.lock``) whose text never names huey:
    it pins no huey, so it is not parsed at all, not even for HL001 (as a Python module without a huey marker
    is not; :mod:`hueylint.pyapp_gate`).  A 400 KB ``uv.lock`` takes ``tomli`` 30 ms (the stdlib ``tomllib`` 0.1 s); the substring test,
    under 1 ms.  A name its strings spell with escapes is a mention (the parsers read ``huey``).  True for
    every other file."""
    if kind not in LOCK_KINDS:
        return True
    lowered = text.lower()
    if "huey" in lowered:
        return True
    return "\\" in lowered and "huey" in _NAME_ESCAPE.sub(
        lambda match: chr(int(match.group(1), 16)).lower() if match.group(1) else "", lowered)
