"""Conda environment files (``environment.yml``): huey in ``dependencies``, as a conda package (a conda
match spec) or in the ``pip:`` list conda hands to pip (PEP 508 strings).

Read as text, the block layout ``conda env export`` writes and people copy::

    dependencies:
      - python=3.10
      - conda-forge::huey=2.5.3=pyhd8ed1ab_0
      - pip:
        - huey[redis]>=2.5,<3

A conda match spec (conda's "Package match specifications"): ``name=1.2`` is the fuzzy ``1.2.*`` (and
``name=1.2.3`` that release), ``name==1.2.3`` exactly, ``name>=1.2,<2`` as PEP 440 reads it, ``|`` an
alternative (``name=1.2|1.3``, ``name<1.2|>=1.4``), ``name 1.2.3 build`` the version after a space, spaces
inside the version dropped as conda drops them (``name >= 1.2, <2``), the bracket form's ``version``
(``name[version='>=1.2']``), ``channel::`` and a ``=build`` suffix ignored.
A flow-style list (``dependencies: [huey]``) and ``-r file`` lines in the ``pip:`` list are not read.
"""

from __future__ import annotations

import re

from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile
from hueylint.versions.pins import Pin, Req, parse_requirement, pin_from_req
from hueylint.versions.specifiers import is_huey
from hueylint.versions.text import strip_comment

#: a conda match spec's package name and what follows it (operators, a version after ``=`` or a space)
_CONDA_SPEC = lazy_pattern(r"^(?P<name>[A-Za-z0-9_][A-Za-z0-9._-]*)\s*(?P<rest>.*)$")


def conda_spec(text: str) -> Req | None:
    """A conda match spec as a :class:`~hueylint.versions.pins.Req` with a PEP 440 specifier (see the module
    docstring), or None when it is not one."""
    body = text.split("::", 1)[1] if "::" in text else text
    match = _CONDA_SPEC.match(body.strip())
    if match is None:
        return None
    rest = match.group("rest").strip()
    bracket = _BRACKET_VERSION.match(rest)
    if bracket is not None:  # `huey[version='>=2.4,<3']`: the version key of conda's bracket form
        rest = bracket.group("version")
    elif rest[:1] == "[":  # another key only (`huey[channel=conda-forge]`): any version
        if not rest.endswith("]"):
            return None
        rest = ""
    if not rest:
        return Req(match.group("name"), (), "", "", False, len(text))
    # conda's MatchSpec (_parse_version_plus_build): a build after a space or `=` that follows no operator, and
    # the spaces of the version dropped (`huey >= 2.4, <3` is `>=2.4,<3`)
    version = _version_plus_build(rest)[0].replace(" ", "")
    alternatives = []
    for alternative in version.split("|"):  # `|`: either (`huey=2.4|2.5`, `huey<2.5|>=3.4`)
        clauses = [_clause(clause) for clause in alternative.split(",")]
        if any(clause is None for clause in clauses):
            return None
        alternatives.append(",".join(clause for clause in clauses if clause))
    spec = "" if any(not alternative for alternative in alternatives) else "||".join(alternatives)
    return Req(match.group("name"), (), spec, "", False, len(text))


#: conda's bracket form's version key (``huey[version='>=2.4']``)
_BRACKET_VERSION = lazy_pattern(r"""^\[(?:[^\]]*?,\s*)?version\s*=\s*(?P<q>['"]?)(?P<version>[^'"\]]*)(?P=q)\s*[,\]]""")
#: characters a build string never holds, and characters after which a space or ``=`` is no build separator
_NOT_IN_BUILD = frozenset("-=,|<>~")
_OPERATOR_END = frozenset("=!|,<>~")


def _version_plus_build(text: str) -> tuple[str, str]:
    """(version, build) of a conda match spec's rest, as conda splits it (conda/models/match_spec.py
    ``_parse_version_plus_build``, the pattern ``((?:.+?)[^><!,|]?)(?:(?<![=!|,<>~])(?:[ =])([^-=,|<>~]+?))?$``):
    the build follows the first space or ``=`` (a version of two characters tried before one of one) that follows
    no operator and after which nothing but build characters remains; no build when there is no such place.  A scan from the end, in linear time (that pattern
    tries every place and reads the rest again at each: seconds for an 8 KB spec line)."""
    clean = len(text)  # text[clean:] holds no character a build never holds
    while clean > 0 and text[clean - 1] not in _NOT_IN_BUILD:
        clean -= 1

    def splits(at: int) -> bool:  # a build after text[at]
        return 0 < at < len(text) - 1 and at + 1 >= clean and text[at] in " =" and text[at - 1] not in _OPERATOR_END

    # the lazy `.+?` with the optional `[^><!,|]?` tries a version of 2 characters before one of 1, then 3, 4 ...
    for at in (2, 1, *range(max(3, clean - 1), len(text) - 1)):
        if at == len(text):
            return text, ""
        if splits(at):
            return text[:at], text[at + 1:]
    return text, ""


def _clause(clause: str) -> str | None:
    """One constraint of a conda version (no spaces) in PEP 440: ``=1.2`` (fuzzy) and a bare ``1.2`` as
    ``==1.2.*``, ``=1.2.3``/``1.2.3`` that release, ``==``, ``>=``, ``<``, ``!=``, ``~=`` as written, ``*`` any
    (""); None when it is none of them."""
    if clause in ("", "*"):
        return ""
    if clause.startswith("=="):
        return clause
    if clause[:1] == "=" or clause[:1].isdigit():
        version = clause.lstrip("=")
        return f"=={version}" if "*" in version or version.count(".") >= 2 else f"=={version}.*"
    if clause[:1] in ("<", ">", "!", "~"):
        return clause
    return None


def conda_pins(src: SourceFile) -> list[Pin]:
    """The huey pins of a conda environment file's top-level ``dependencies`` list, each located on its item."""
    pins: list[Pin] = []
    in_deps = False
    pip_indent: int | None = None
    for number, line in enumerate(src.lines, 1):
        text = strip_comment(line).rstrip()
        if not text.strip():
            continue
        indent = len(text) - len(text.lstrip())
        item = text.strip()
        if indent == 0 and not (in_deps and item.startswith("-")):  # (a list's items may sit at the key's
            in_deps = re.fullmatch(r"dependencies\s*:", item) is not None  # column: `dependencies:\n- huey`)
            pip_indent = None
            continue
        if not in_deps or not item.startswith("-"):
            continue
        body = item[1:].strip().strip("\"'")
        if pip_indent is not None and indent <= pip_indent:
            pip_indent = None
        if re.fullmatch(r"pip\s*:", body):
            pip_indent = indent
            continue
        req = parse_requirement(body) if pip_indent is not None else conda_spec(body)
        if req is None or req.url or not is_huey(req.name):
            continue
        col = line.find(body) + 1
        pins.append(pin_from_req(req, src.loc(number, col, number, col + len(body))))
    return pins
