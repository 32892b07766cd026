"""The huey version of each folder and of the repository, from every dependency file's pins."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from hueylint.hueyfacts import BEFORE_1_0_MODULES, BEFORE_1_0_NEWEST
from hueylint.locations import Loc
from hueylint.model import ASSUMED_VERSION, HueyVersion
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile, note, plain_text, position
from hueylint.versions.conda import conda_pins
from hueylint.versions.dockerfile import dockerfile_pins
from hueylint.versions.filekinds import file_kind, is_dependency_file, lock_may_pin_huey, owner_folder
from hueylint.versions.locks import pipfile_lock_pins, toml_lock_pins
from hueylint.versions.manifests import pipfile_pins, pyproject_pins, setup_cfg_pins, setup_py_pins
from hueylint.versions.pins import Pin
from hueylint.versions.requirements import includes, requirements_pins
from hueylint.versions.specifiers import newest_allowed, parse_version

CONFIG_ORIGIN = "configuration"


_PARSERS = {
    "requirements": requirements_pins,
    "dockerfile": dockerfile_pins,
    "pyproject": pyproject_pins,
    "setup.cfg": setup_cfg_pins,
    "setup.py": setup_py_pins,
    "pipfile": pipfile_pins,
    "pipfile.lock": pipfile_lock_pins,
    "toml-lock": toml_lock_pins,
    "conda": conda_pins,
}


def huey_pins(src: SourceFile) -> list[Pin]:
    """Every requirement on huey in ``src`` (empty for other or broken files, and for lock files that never
    name huey: :func:`~hueylint.versions.filekinds.lock_may_pin_huey`). Never raises."""
    kind = file_kind(src.rel)
    parser = _PARSERS.get(kind)
    if parser is None or not lock_may_pin_huey(kind, src.text):
        return []
    try:
        return parser(src)
    except Exception:  # noqa: BLE001 - a linter must survive any input
        return []


def _written(pin: Pin) -> str:
    """The requirement as a user reads it: ``huey[redis]>=2.0.0``, ``huey ^2.5``, ``huey``."""
    name = pin.name + (f"[{','.join(pin.extras)}]" if pin.extras else "")
    if not pin.spec:
        return name
    pep440 = pin.spec[0] in "<>=!" or pin.spec.startswith("~=")
    return f"{name}{pin.spec}" if pep440 else f"{name} {pin.spec}"


def _lowest(versions: list[HueyVersion]) -> HueyVersion | None:
    known = [v for v in versions if v.value is not None]
    if not known:
        return versions[0] if versions else None
    return min(known, key=lambda v: (v.value, v.loc.path or "", v.loc.line))


def _install_version(pins: list[Pin]) -> list[HueyVersion]:
    """The huey one install gives (every pin of one requirements file and its includes, say): the newest
    release all its unconditional pins allow; pins under environment markers are alternatives."""
    readable = [p for p in pins if p.allowed is not None]
    if not readable:
        return [HueyVersion(None, pins[0].loc, "assumed", _written(pins[0]))] if pins else []
    plain = [p for p in readable if not p.marker]
    groups = [plain] if plain else [[p] for p in readable]
    results = []
    for group in groups:
        version = newest_allowed(p.allowed for p in group if p.allowed is not None)
        exact = [p for p in group if p.exact and p.version == version]
        if exact:
            results.append(HueyVersion(version, exact[0].loc, "lock" if exact[0].locked else "pin"))
            continue
        binding = min(group, key=lambda p: (p.version or (99,), p.loc.line))  # the narrowest alone
        results.append(HueyVersion(version, binding.loc, "range", _written(binding)))
    return results


def folder_versions(files: Iterable[SourceFile], configured: str | None,
                    facts: Callable[[SourceFile], Any] | None = None,
                    image_reads: dict[str, list[str]] | None = None) -> tuple[dict[str, HueyVersion], HueyVersion]:
    """(folder -> the huey its dependency files give, the repository-wide version).

    Files are grouped by :func:`owner_folder`.  In a folder, a lock file's resolved version decides
    (the lowest when several); otherwise each install (a file not included by another one of the
    folder, with the files it includes through ``-r``/``-c``/``file:``) gives the newest release all
    its constraints allow, and the folder takes the **lowest** of its installs (a rule that fires on an
    old huey must not be silenced by a newer file beside it).  The repository-wide version, used where
    no folder on a launch's path has dependency files, is ``configured`` (the ``huey-version``
    setting) when it parses, else the root folder's (it lies on every path), else the version all folders give,
    else "unknown, newest assumed" (no folder has any, or they give different releases: a monorepo's
    services pinning their own hueys, where guessing the oldest made version errors of newer services).
    ``facts(src)`` gives a file's ``pins`` and ``includes`` when they are known already
    (:class:`~hueylint.versions.cache.DependencyCache`); by default they are read from the text.
    A Dockerfile's own version (keyed by its path) is the install of its ``RUN pip install huey...`` words
    together with the repository's dependency files ``image_reads[dockerfile]`` names (the files its installs
    read, which its ``COPY`` lines take from the repository: ``COPY worker/requirements.txt .`` then ``pip install
    -r requirements.txt``, ``COPY svc/pyproject.toml svc/poetry.lock ./`` then ``poetry install``), with their
    includes; a lock file among them decides, as in a folder.
    """
    deps = {src.rel: src for src in files if is_dependency_file(src.rel)}
    if facts is None:
        pins = {rel: huey_pins(src) for rel, src in deps.items()}
        written = {rel: includes(src) for rel, src in deps.items()}
    else:
        known = {rel: facts(src) for rel, src in deps.items()}
        pins = {rel: list(found.pins) for rel, found in known.items()}
        written = {rel: list(found.includes) for rel, found in known.items()}
    included = {rel: [target for target in written[rel] if target in deps] for rel in deps}

    def closure(rel: str) -> list[str]:
        seen: list[str] = []
        todo = [rel]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.append(current)
                todo += included.get(current, [])
        return seen

    grouped: dict[str, list[str]] = {}
    for rel in deps:
        grouped.setdefault(owner_folder(rel), []).append(rel)
    table: dict[str, HueyVersion] = {}
    for folder, rels in grouped.items():
        locked = [p for rel in rels for p in pins[rel] if p.locked and p.version is not None]
        if locked:
            plain = [p for p in locked if not p.marker] or locked
            chosen = min(plain, key=lambda p: (p.version, p.loc.path or "", p.loc.line))
            table[folder] = HueyVersion(chosen.version, chosen.loc, "lock")
            continue
        inner = {target for rel in rels for target in closure(rel) if target != rel}
        installs: list[HueyVersion] = []
        for rel in [rel for rel in sorted(rels) if rel not in inner] or sorted(rels):  # all of a cycle
            installs += _install_version([p for target in closure(rel) for p in pins[target]])
        found = _lowest(installs)
        if found is not None:
            table[folder] = found
    # a Dockerfile's own `pip install huey...` is what its image runs, whatever its folder's other files pin: keyed
    # by the file itself (Project.nearest_version looks a file up before its folder)
    own: dict[str, HueyVersion] = {}
    for rel in deps:
        if file_kind(rel) != "dockerfile":
            continue
        read = [p for target in (image_reads or {}).get(rel, []) if target in deps for p in
                [p for inner in closure(target) for p in pins[inner]]]
        found = _lowest(_install_version(pins[rel] + read)) if pins[rel] or read else None
        if found is not None:
            own[rel] = found
    if configured is not None:
        version = parse_version(str(configured))
        if version is not None:
            return {**table, **own}, HueyVersion(version, Loc.platform_default(CONFIG_ORIGIN), "configured",
                                                 str(configured))
    if "" in table:
        return {**table, **own}, table[""]  # the root's dependency files: on every launch's path
    if not _agree(table):
        # service folders pin different hueys and none lies on the launch's path: which one runs there is
        # not known, and guessing the oldest would make a version error of a launch that runs the newest
        return {**table, **own}, HueyVersion(None, Loc.platform_default(
            "service folders pin different huey versions, none on this launch's path: newest assumed"), "assumed")
    return {**table, **own}, _lowest(list(table.values())) or ASSUMED_VERSION


_BEFORE_1_0 = lazy_pattern(r"""^[ \t]*(?:from|import)[ \t]+(huey\.(?:backends|djhuey))\b|['"](huey\.djhuey)['"]""", re.M)


def code_version(sources: Iterable[SourceFile]) -> HueyVersion | None:
    """The huey the code itself dates when no dependency file names huey: a module importing
    ``huey.backends``/``huey.djhuey`` (or listing ``'huey.djhuey'`` in ``INSTALLED_APPS``), which only huey
    before 1.0 has (:data:`~hueylint.hueyfacts.BEFORE_1_0_MODULES`), runs 0.4.9 at most: basis ``code``,
    ``spec`` the module, ``loc`` its first mention (by path).  None when no module does."""
    for src in sorted(sources, key=lambda src: src.rel):
        found = dating(plain_text(src))
        note(src, "dates-huey", found)  # the run cache's early cutoff reads an edited file again
        if found is not None:
            line, col, module = found
            return HueyVersion(BEFORE_1_0_NEWEST, Loc(src.rel, line, col), "code", module)
    return None


def dating(text: str) -> list | None:
    """[line, col, module] of the first mention of a module only huey before 1.0 has (see :func:`code_version`)."""
    if not any(module in text for module in BEFORE_1_0_MODULES):
        return None
    match = _BEFORE_1_0.search(text)
    if match is None:
        return None
    group = 1 if match.group(1) else 2
    return [*position(text, match.start(group)), match.group(group)]


def _agree(table: dict[str, HueyVersion]) -> bool:
    """Do the folders' dependency files give one huey release (or none at all)?"""
    return len({version.value for version in table.values() if version.value is not None}) <= 1


def project_version(files: Iterable[SourceFile], configured: str | None) -> HueyVersion:
    """The repository-wide huey version (see :func:`folder_versions`)."""
    return folder_versions(files, configured)[1]
