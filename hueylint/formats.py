"""Which files can matter, and in which format, decided cheaply.

Names decide most formats; ambiguous extensions (``.conf``, ``.ini``,
``.yaml``) are sniffed from the first bytes.  Files that cannot matter are
never read in full, so a large repository costs little.
"""

from __future__ import annotations

import fnmatch
import re

SYSTEMD_SUFFIXES = (".service",)
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".tmpl", ".tpl", ".template", ".in", ".erb")
DEP_NAMES = ("pyproject.toml", "setup.cfg", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock")


def strip_template_suffix(name: str) -> str:
    for suffix in TEMPLATE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


#: ``Dockerfile.<x>`` / ``Procfile.<x>`` name variants, but ``dockerfile.py`` is Python, not a Dockerfile
OTHER_LANGUAGE_SUFFIXES = (".py", ".pyc", ".pyi", ".md", ".rst", ".txt", ".json", ".yaml", ".yml", ".toml",
                           ".sh", ".js", ".ts", ".go", ".rb", ".html", ".cfg", ".ini", ".lock", ".dockerignore")


def _variant_of(lower: str, stem: str) -> bool:
    return lower.startswith(stem + ".") and not lower.endswith(OTHER_LANGUAGE_SUFFIXES)


def is_dockerfile(name: str) -> bool:
    """``Dockerfile``, ``Dockerfile.worker``, ``worker.Dockerfile``, ``Containerfile`` (any case).

    The names docker/podman users give without ``-f`` support from their editors (VS Code's and
    hadolint's ``Dockerfile*`` / ``*.Dockerfile``); ``Dockerfile-worker`` / ``Dockerfile_worker`` are
    :func:`maybe_dockerfile`: also common, but a Python ``dockerfile_utils`` must not become one.
    """
    lower = name.lower()
    return (
        lower in ("dockerfile", "containerfile")
        or _variant_of(lower, "dockerfile") or _variant_of(lower, "containerfile")
        or lower.endswith((".dockerfile", ".containerfile"))
    )


def maybe_dockerfile(name: str) -> bool:
    """``Dockerfile-worker``, ``Dockerfile_worker``, ``Containerfile-dev``: a Dockerfile when its content
    says so (see :func:`looks_like_dockerfile`)."""
    lower = name.lower()
    return any(lower.startswith(stem + sep) and len(lower) > len(stem) + 1 and not lower.endswith(OTHER_LANGUAGE_SUFFIXES)
               for stem in ("dockerfile", "containerfile") for sep in "-_")


#: the first instruction of a Dockerfile: parser directives and comments, then ``ARG`` lines, then ``FROM``
_DOCKERFILE_START = re.compile(r"\A(?:\s*(?:#[^\n]*)?\n)*(?:\s*ARG\s[^\n]*\n(?:\s*(?:#[^\n]*)?\n)*)*\s*FROM\s", re.I)


def looks_like_dockerfile(head: str) -> bool:
    """True when the text starts the way Docker requires: comments, ``ARG``s, then ``FROM``."""
    return bool(_DOCKERFILE_START.match(head))


def is_compose(name: str) -> bool:
    lower = name.lower()
    return bool(re.match(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$", lower))


def is_requirements(rel: str) -> bool:
    parts = rel.split("/")
    name = parts[-1].lower()
    if name.endswith(".txt") and ("requirements" in name or "constraints" in name):
        return True
    parent = parts[-2].lower() if len(parts) > 1 else ""
    return parent.startswith("requirements") and name.endswith((".txt", ".in"))


def name_format(rel: str) -> str | None:
    """The format implied by the path alone, or ``"?"`` when content must decide, or None."""
    parts = tuple(rel.split("/"))  # strings, not pathlib: this runs once per file of the tree
    name = strip_template_suffix(parts[-1])
    lower = name.lower()
    parent = parts[-2] if len(parts) > 1 else ""
    if lower.endswith(SYSTEMD_SUFFIXES) or (lower.endswith(".conf") and parent.endswith(".service.d")):
        return "systemd"
    if is_dockerfile(name):
        return "dockerfile"
    if maybe_dockerfile(name):
        return "?dockerfile"
    if is_compose(name):
        return "compose"
    if lower == "procfile" or _variant_of(lower, "procfile"):
        return "procfile"
    if "logrotate.d" in parts[:-1]:
        return "logrotate"
    if name == "run" and len(parts) >= 3 and ("s6-rc.d" in parts or "services.d" in parts):
        return "s6"
    if name in ("down-signal", "timeout-down", "type") and "s6-rc.d" in parts:
        return "s6"
    if lower.endswith(".py"):
        return "python"
    if is_requirements(rel) or name in DEP_NAMES:
        return "deps"
    if lower == "chart.yaml" or lower == "values.yaml":
        return "helm"
    if lower.endswith((".yaml", ".yml")):
        return "?yaml"
    if lower.endswith((".conf", ".ini", ".cfg")) or lower in ("supervisord.conf", "circus.ini"):
        return "?ini"
    if lower.endswith((".sh", ".bash")):
        return "script"
    if "logrotate" in lower:
        return "?logrotate"
    return None


def sniff(kind: str, head: str, rel: str) -> str | None:
    """Decide an ambiguous format from the first few kilobytes."""
    if kind == "?yaml":
        if "/templates/" in f"/{rel}" and "{{" in head:
            return "helm"
        if re.search(r"^\s*kind:\s*\S", head, re.M) and re.search(r"^\s*apiVersion:", head, re.M):
            return "kubernetes"
        if re.search(r"^services:\s*$", head, re.M):
            return "compose"
        return None
    if kind == "?ini":
        if re.search(r"^\[program:|^\[supervisord\]|^\[group:|^\[include\]", head, re.M):
            return "supervisord"
        if re.search(r"^\[watcher:", head, re.M):
            return "circus"
        if re.search(r"^\[Service\]", head, re.M):
            return "systemd"
        if _looks_like_logrotate(head):
            return "logrotate"
        return None
    if kind == "?dockerfile":
        return "dockerfile" if looks_like_dockerfile(head) else None
    if kind == "?logrotate":
        return "logrotate" if _looks_like_logrotate(head) else None
    return None


def _looks_like_logrotate(head: str) -> bool:
    return bool(re.search(r"^\s*/\S+.*\{\s*$", head, re.M)) and bool(
        re.search(r"^\s*(rotate|copytruncate|daily|weekly|monthly|compress|missingok)\b", head, re.M)
    )


def compile_globs(patterns: list[str]):  # noqa: ANN201 - returns a predicate
    """ruff-style exclusion: globs matched against the relative path or the base name, compiled once."""
    if not patterns:
        return lambda rel: False
    alternatives = []
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        alternatives.append(fnmatch.translate(pattern))
        if pattern.startswith("**/"):
            alternatives.append(fnmatch.translate(pattern[3:]))
    regex = re.compile("|".join(f"(?:{alt})" for alt in alternatives))

    def excluded(rel: str) -> bool:
        return bool(regex.match(rel) or regex.match(rel.rsplit("/", 1)[-1]))
    return excluded
