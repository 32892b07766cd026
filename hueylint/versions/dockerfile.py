"""A Dockerfile's own installs: the requirement words of ``RUN pip install ...``."""

from __future__ import annotations

import posixpath
import re

from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile
from hueylint.versions.pins import Pin, parse_requirement, pin_from_req
from hueylint.versions.specifiers import is_huey
from hueylint.versions.text import line_starts, logical_lines, offset_loc

#: pip's general options may come before its command (``pip --default-timeout=240 install``, ``pip -q install``,
#: ``pip --timeout 60 install``)
_PIP_INSTALL = lazy_pattern(r"\b(?:pip[0-9.]*|python[0-9.]*\s+-m\s+pip|uv\s+pip)"
                            r"(?:\s+-[^\s]+(?:\s+(?!install\b)[^-\s&|;][^\s&|;]*)?)*?\s+install\b")


def _pip_segments(line: str) -> list[tuple[int, str]]:
    """(offset, text) of each ``pip install`` call's arguments in one shell line, up to the next command."""
    segments = []
    for call in _PIP_INSTALL.finditer(line):
        rest = line[call.end():]
        stop = re.search(r"&&|\|\||;|\||\bpip[0-9.]*\s+install\b", rest)
        segments.append((call.end(), rest[: stop.start()] if stop else rest))
    return segments


#: pip install options whose value is the next word (``--prefix /install``, ``-i URL``): not a requirement or project
_PIP_VALUED = frozenset({"-t", "--target", "--prefix", "--root", "--src", "-f", "--find-links", "-i", "--index-url",
                         "--extra-index-url", "--cache-dir", "--python", "--platform", "--python-version",
                         "--implementation", "--abi", "--upgrade-strategy", "--progress-bar", "--log", "--proxy",
                         "--retries", "--timeout", "--exists-action", "--trusted-host", "--cert", "--client-cert",
                         "--global-option", "--config-settings", "-C", "--report", "--only-binary", "--no-binary",
                         "--root-user-action", "--keyring-provider", "--default-timeout"})
#: the files a project's own install reads in its folder: its metadata, where it names its requirements
_PROJECT_FILES = ("pyproject.toml", "setup.cfg", "setup.py")
#: the tools that install a project from its folder's manifest and lock file, and the files they read there
_PROJECT_INSTALLS = (
    (lazy_pattern(r"\bpoetry\b(?P<opts>(?:\s+-\S+(?:\s+[^-\s&|;]\S*)?)*?)\s+(?:install|sync)\b"),
     ("pyproject.toml", "poetry.lock")),
    (lazy_pattern(r"\buv\b(?P<opts>(?:\s+-\S+(?:\s+[^-\s&|;]\S*)?)*?)\s+sync\b"), ("pyproject.toml", "uv.lock")),
    (lazy_pattern(r"\bpipenv\b(?P<opts>(?:\s+-\S+(?:\s+[^-\s&|;]\S*)?)*?)\s+(?:install|sync)\b"),
     ("Pipfile", "Pipfile.lock")),
)


def _joined(folder: str, name: str) -> str:
    return posixpath.normpath(posixpath.join(folder, name))


def _folder_option(words: list[str], names: tuple[str, ...], folder: str = "") -> str:
    """The folder the last of the options ``names`` in ``words`` gives (``--directory DIR``, ``-C DIR``,
    ``--directory=DIR``), unquoted; ``folder`` when none does."""
    for index, word in enumerate(words):
        if word in names and index + 1 < len(words):
            folder = words[index + 1].strip("'\"")
        elif word.startswith(("--directory=", "--project=")):
            folder = word.split("=", 1)[1].strip("'\"")
    return folder


def install_file_words(text: str) -> list[str]:
    """The dependency files a ``RUN``'s installs read, as written: paths in the image, relative to the RUN's working
    folder (a word with a variable left unexpanded is left out).

    * ``pip install -r requirements.txt -c /tmp/constraints.txt`` (also ``--requirement FILE``,
      ``--requirement=FILE``, ``-rFILE``, ``uv pip install``): those files;
    * ``pip install .``, ``pip install -e ./worker``, ``pip install /src`` (a project folder): its
      ``pyproject.toml``, ``setup.cfg`` and ``setup.py``;
    * ``poetry install``/``sync``, ``uv sync``, ``pipenv install``/``sync`` (also with ``-C``/``--directory``/
      ``--project DIR``): the manifest and lock file of the working folder (or of ``DIR``)."""
    found: list[str] = []

    def add(path: str) -> None:
        if path and "$" not in path and path not in found:
            found.append(path)

    text = " ".join(text.split("\\\n"))
    for _offset, segment in _pip_segments(text):
        words = [word.strip("'\"") for word in segment.split()]
        skip = False
        for index, word in enumerate(words):
            if skip:
                skip = False
                continue
            match = re.fullmatch(r"-[rc](.+)|--(?:requirement|constraint)=(.+)", word)
            project = re.fullmatch(r"--editable=(.+)", word)
            if match:
                add(match.group(1) or match.group(2))
            elif word in ("-r", "-c", "--requirement", "--constraint") and index + 1 < len(words):
                add(words[index + 1])
                skip = True
            elif word in ("-e", "--editable") and index + 1 < len(words):
                skip = True
                if words[index + 1].startswith((".", "/")):
                    for name in _PROJECT_FILES:
                        add(_joined(words[index + 1], name))
            elif project and project.group(1).startswith((".", "/")):
                for name in _PROJECT_FILES:
                    add(_joined(project.group(1), name))
            elif word in _PIP_VALUED:
                skip = True
            elif word.startswith((".", "/")) and not re.search(r"\.(?:whl|zip|tar\.gz|tgz)$", word):
                for name in _PROJECT_FILES:
                    add(_joined(word, name))
    for pattern, names in _PROJECT_INSTALLS:
        for call in pattern.finditer(text):
            folder = _folder_option(call.group("opts").split(), ("-C", "--directory", "--project"))
            rest = text[call.end():]
            stop = re.search(r"&&|\|\||;|\|", rest)
            tail = (rest[: stop.start()] if stop else rest).split()
            folder = _folder_option(tail, ("--directory", "--project"), folder)
            for name in names:
                add(_joined(folder, name))
    return found


def dockerfile_pins(src: SourceFile) -> list[Pin]:
    """``RUN pip install huey==2.5.0 redis`` (also ``pip3``, ``python -m pip``, ``uv pip``): the requirement
    words naming huey, as the image installs them (``-r file`` lines are the requirement files' own)."""
    pins: list[Pin] = []
    starts = line_starts(src.text)
    for logical in logical_lines(src):
        line = logical.text
        for start, segment in _pip_segments(line):
            for word in re.finditer(r"""(["']?)([^\s"']+)\1""", segment):
                text = word.group(2)
                if text.startswith("-"):
                    continue
                if not word.group(1):  # the shell reads an unquoted `huey>=2.5` as `huey` redirected to `=2.5`
                    text = re.split(r"[<>]", text, maxsplit=1)[0]
                req = parse_requirement(text)
                if req is None or req.url or not is_huey(req.name):
                    continue
                first = logical.offsets[start + word.start(2)]
                last = logical.offsets[start + word.end(2) - 1] + 1
                pins.append(pin_from_req(req, offset_loc(src, starts, first, last)))
    return pins
