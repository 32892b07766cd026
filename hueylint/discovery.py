"""Find the files that can matter and read them safely.

Walking honours git's ignore rules (git's own answer in a repository, see
:mod:`hueylint.ignores`) and the configured ``exclude``/``extend-exclude`` globs,
both checked on entries found while walking, like ruff: a path named on the
command line is always read.  Version-control folders, virtualenvs and
``node_modules`` are skipped.  Bad input never raises: a relevant file that
cannot be read, holds a NUL byte or is too large is HL001; invalid UTF-8 is read
with U+FFFD (HL001 at the byte); symlink loops are detected by real path.

The tree is untrusted (a pull request), so like ruff and ripgrep the walk
never follows a symlink to a folder (a notice when it leads outside the checked tree), and a symlink to a file is read only when
its real path stays inside the checked roots (the project root and the paths
named on the command line): a ``deploy.service -> ~/.aws/credentials`` is never
read, so its text cannot reach a report.  FIFOs, sockets and devices (also
behind a link: ``Procfile -> /dev/zero``) are skipped without being opened for
reading; every skipped entry that could matter gets a notice (:func:`link_refusal`).

What the content of a Python, YAML, JSON or INI-like file decided (not relevant, or its format) is
kept between runs by the file's stat stamp (:mod:`hueylint.discovery_cache`): an unchanged file that
cannot matter is not opened again.
"""

from __future__ import annotations

import operator
import os
import stat
import time
from dataclasses import field
from pathlib import Path
from typing import Any, Callable, Iterator

from hueylint import pyapp_gate
from hueylint.config import CONFIG_NAMES
from hueylint.discovery_cache import VerdictIndex
from hueylint.formats import UNREAD_KINDS, is_requirements, name_format, sniff, sniff_bytes, unrecognised
from hueylint.ignores import GitIgnores, Rules
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.safeio import NotRegularFile, TooLarge, below, bounded, inside, read_regular, too_large
from hueylint.sources import SourceFile, bom_decoded, new_source, note, position

MAX_BYTES = 2 * 1024 * 1024
READ_CHUNK = 128
#: Files are read in this process while reading them waits on the disk for under this share of the time: with
#: the files in the page cache (a checkout just written, a tree being edited) reading is CPU work under the
#: GIL, where threads only contend (the Django tree's 3,100 candidates: 0.05 s in 8 threads, 0.033 s
#: alone); a chunk that waited longer (after a reboot, on a network file system) sends the rest to threads,
#: which overlap the waits (0.24 -> 0.16 s with the page cache dropped).
WAITING_SHARE = 0.3
ALWAYS_SKIP = {".git", ".hg", ".svn", "node_modules", "__pycache__"}
#: the file a virtualenv's folder holds (PEP 405): such a folder is never walked
VENV_MARKER = "pyvenv.cfg"
#: setuptools' build output below a ``build/`` folder (``build/lib``, ``build/lib.linux-x86_64-3.12``,
#: ``build/bdist.linux-x86_64``, ``build/temp.*``, ``build/scripts-3.12``): copies of the package's own modules,
#: which would be judged twice.  ``build/`` itself is walked: deployment files are committed there.
_BUILD_OUTPUT = lazy_pattern(r"lib|lib\..+|bdist\..+|temp\..+|scripts-.+")


def _build_output(rel_dir: str, name: str) -> bool:
    """Is ``name`` in the folder ``rel_dir`` a setuptools build output folder (:data:`_BUILD_OUTPUT`)?"""
    return rel_dir.rpartition("/")[2] == "build" and _BUILD_OUTPUT.fullmatch(name) is not None


def never_walked(rel_dir: str, name: str) -> bool:
    """Is the folder ``name`` in the folder ``rel_dir`` one the walk never enters whatever the configuration
    (:data:`ALWAYS_SKIP`, a setuptools build output)?  A virtualenv is skipped too, told by the ``pyvenv.cfg`` in
    its own listing, which the caller reads."""
    return name in ALWAYS_SKIP or _build_output(rel_dir, name)
_BY_NAME = operator.attrgetter("name")


#: A file's identity as the file system reports it: (size, mtime_ns, ctime_ns, inode, device), from
#: ``stat`` (a symlink's target's).  Equal stamps mean unchanged content the way git's index and ruff's cache
#: assume it; a checkout cannot forge one, because ``ctime`` is set by the kernel whenever the file is
#: written, renamed or re-created (an extracted archive or a fresh clone gets new ctimes and inodes).
Stamp = tuple[int, int, int, int, int]


def stamp_of(info: os.stat_result) -> Stamp:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


@dataclass
class Notice:
    """A file hueylint did not read, and why (SARIF toolExecutionNotifications)."""

    rel: str
    reason: str


#: What a run learnt of the tree's folders, shared by the walk, the globs and the probes of one run
#: (:func:`hueylint.workspace.probe`): ``{(repo path, "scan"): (its names, its subfolders that are no symlinks),
#: (repo path, "enter"): whether a glob may go into it, (repo path, "names"): its names as a set, made when first
#: asked, (repo path, "below"): the folders a glob's ``**`` stands for from it,
#: (repo path, "below-next"): its subfolders ``**`` enters, (repo path, "walked"): True when the walk entered it
#: from its parent knowing git's answer (so it is no folder the walk never enters, no virtualenv and not ignored:
#: a glob's ``**`` enters it without asking again)}``; the root is ``""``.  The walk records every folder
#: it lists, so a glob or a lookup below it asks the file system nothing more (the Django tree's 15,000
#: module lookups, in 440 folders that exist, were a ``stat`` each).
Listings = dict[tuple[str, str], Any]


@dataclass
class Discovery:
    """What :func:`discover` found: the files read up front (``sources``, by format), the other walked
    files, the files it could not read (HL001) and the notices about files skipped, with the walk's
    ignore rules, checked roots, stamps and folder listings for the later stages and the caches."""

    sources: list[SourceFile] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    unreadable: list[tuple[str, int, int, str]] = field(default_factory=list)  # HL001: rel, line, col, message
    # files not read up front (scripts on demand): their paths as walked (strings: a Path per file of a large
    # tree costs more than the rest of a warm discovery)
    others: dict[str, str] = field(default_factory=dict)
    # is a repo path git-ignored (``local.py`` overrides, ``.env``): not part of what is deployed from the repo
    gitignored: Callable[[str, bool], bool] = field(default=lambda rel, is_dir: False)
    # real paths of the checked roots (project root, named paths): no file outside them is read
    roots: list[str] = field(default_factory=list)
    # every walked file's :data:`Stamp` by repo path (files named on the command line included)
    stamps: dict[str, Stamp] = field(default_factory=dict)
    # the folders the walk listed (:data:`Listings`)
    listings: Listings = field(default_factory=dict)
    # Python files the byte gate left out (:func:`hueylint.pyapp_gate.might_matter`), by repo path
    gated: list[str] = field(default_factory=list)
    # every walked file's repo path, in walk order (those whose content cannot matter too)
    walked: list[str] = field(default_factory=list)


def checked_roots(paths: list[Path], root: Path) -> list[str]:
    """Real paths of the project root and of the paths named on the command line (see
    :func:`named_refusal`); files whose real path is outside all of them are never read."""
    roots = [os.path.realpath(root)]
    for path in paths:
        real = os.path.realpath(path)
        if real not in roots and named_refusal(path, root) is None:
            roots.append(real)
    return roots


def named_refusal(path: Path, root: Path) -> str | None:
    """Why a path named on the command line is not read, or None.

    A named path is the user's choice, also outside the project, but the tree decides what its names
    are: with ``paths: deploy`` in a CI workflow, a pull request can replace ``deploy/`` by a link to
    the runner's home. So a named path reached through a symlink must stay inside the project root
    (found from where the path is, not from where its link points)."""
    absolute = os.path.abspath(path)
    real = os.path.realpath(path)
    if real == absolute or inside(real, [os.path.realpath(root)]):
        return None
    return "symlink leading outside the checked tree: skipped (name its real path to check it)"


#: what :func:`link_refusal` answers for a link that needs no notice: a link to a folder of the checked tree
#: (its files are walked at their own path), a broken link named as no file hueylint reads by its name
UNSEEN = ""


def link_refusal(path: str, roots: list[str], rel: str = "", walked: list[str] | None = None) -> str | None:
    """Why the symlink ``path`` (repo path ``rel``) is not followed (the notice), :data:`UNSEEN` when that
    needs no notice, or None for a link to a regular file inside ``roots``.

    Folder links are never followed (like ruff and ripgrep): a ``usr -> /usr`` would walk the whole system,
    and a link back up would walk the tree twice.  A link to a folder inside the walked folders (``walked``,
    real paths: the folders named on the command line; ``roots`` when not given) loses nothing, its files are
    checked where they are (field: an Ansible repository's ``playbooks/*/roles -> ../../roles``,
    one notice per playbook); a link to a folder outside is a notice.  A broken link (or a loop) is a notice
    when its name is one hueylint reads (:func:`hueylint.formats.name_format`: ``huey.service``,
    ``start.sh``); a broken ``vendor/alpine.js`` or ``static/base`` (field: a Django project's static files
    linked to a ``node_modules`` or ``build`` folder the checkout lacks) would not have been read anyway,
    and a launch that runs a missing script says so where it runs it (HL004)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return "broken symlink or symlink loop: skipped" if name_format(rel or path) else UNSEEN
    if stat.S_ISDIR(info.st_mode):
        if inside(path, walked if walked is not None else roots):
            return UNSEEN
        return "symlink to a folder outside the checked tree: not followed, its files are not checked"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file: skipped"
    if not inside(path, roots):
        return "symlink leading outside the checked tree: skipped"
    return None


def _outermost_checkout(start: Path) -> Path | None:
    """The outermost folder holding ``.git`` (a submodule's superproject) at or above ``start``."""
    found = None
    for candidate in (start, *start.parents):
        if os.path.exists(candidate / ".git"):  # (False, never a PermissionError, in a folder not searchable)
            found = candidate
    return found


#: files that mark a project's top folder, for a run outside any git checkout (ruff finds a file's project by
#: its ``pyproject.toml`` the same way): pip's packaging and requirements files, Django's ``manage.py`` and
#: hueylint's own configuration files
PROJECT_MARKERS = tuple(dict.fromkeys(("pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", "manage.py",
                                       *CONFIG_NAMES)))


#: what says a folder is a repository's root though it holds no project file: its version control (``.git``, also
#: ``.hg``, ``.svn``) or files only a repository's root holds (an export without ``.git``: GitHub's "Download ZIP",
#: ``git archive``); not ``.gitignore``, which is also git's user-wide excludes file in a home folder
REPOSITORY_MARKS = (".git", ".hg", ".svn", ".github", ".gitlab-ci.yml", ".gitattributes", ".pre-commit-config.yaml")


def _marks_project(folder: Path) -> bool:
    return any(os.path.isfile(folder / name) for name in PROJECT_MARKERS)


def marks_repository(folder: Path) -> bool:
    """Whether ``folder`` is a project's or a repository's root (:data:`PROJECT_MARKERS`, :data:`REPOSITORY_MARKS`)."""
    return _marks_project(folder) or any(os.path.exists(folder / name) for name in REPOSITORY_MARKS)


def run_root(paths: list[Path], cwd: Path | None = None) -> Path:
    """The one folder every reported path is relative to, so uploads map onto the checkout:

    1. ``GITHUB_WORKSPACE`` (the checkout of a GitHub Actions job) when it holds every path;
    2. else the outermost git checkout holding the current folder (a superproject, not the
       submodule a path lies in), when it holds every path;
    3. else the outermost checkout holding the first path (hueylint run from elsewhere on a
       repository reports the same paths);
    4. else, when the current folder holds every path: the current folder if it holds a
       :data:`PROJECT_MARKERS` file or a :data:`REPOSITORY_MARKS` entry (an export without ``.git``), else the nearest folder below it, at or above the first path's,
       that holds one and every path (``hueylint check downloads/app-1.0`` from a folder of many
       projects: that folder, not the folder of projects, is the repository whose modules and
       commands are looked up: from ``/tmp`` the Django tree's run listed every folder of ``/tmp``,
       87 s instead of 3.5 s, and found a Django app of the same name in another project), else the
       current folder;
    5. else the first path's folder.

    A checked path outside the root is reported by its absolute path, never with ``..``
    (:func:`hueylint.reporters.report_path`).
    """
    cwd = Path(os.path.abspath(cwd or Path.cwd()))
    absolute = [os.path.abspath(path) for path in paths] or [str(cwd)]

    def holds(folder: Path) -> bool:
        return all(below(path, str(folder)) or below(os.path.realpath(path), os.path.realpath(folder))
                   for path in absolute)

    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace and os.path.isdir(workspace) and holds(Path(os.path.abspath(workspace))):
        return Path(os.path.abspath(workspace))
    checkout = _outermost_checkout(cwd)
    if checkout is not None and holds(checkout):
        return checkout
    first = Path(absolute[0])
    folder = first if first.is_dir() and not first.is_symlink() else first.parent  # where it is, not where it points
    checkout = _outermost_checkout(folder)
    if checkout is not None:
        return checkout
    if not holds(cwd):
        return folder
    if not marks_repository(cwd):
        for candidate in (folder, *folder.parents):
            if candidate == cwd or not below(str(candidate), str(cwd)):
                break
            if holds(candidate) and _marks_project(candidate):
                return candidate
    return cwd


def rel_path(path: Path, root: Path) -> str:
    """Root-relative POSIX path, without resolving symlinks (a linked file keeps the name it has here).
    A path outside the root starts with ``../`` (reporters show it absolute: :func:`reporters.report_path`)."""
    absolute = os.path.abspath(path)
    for base in (str(root), os.path.realpath(root)):
        if absolute == base:
            return "."
        if absolute.startswith(base.rstrip(os.sep) + os.sep):
            return Path(absolute[len(base.rstrip(os.sep)) + 1:]).as_posix()
    try:
        return Path(os.path.relpath(os.path.realpath(absolute), os.path.realpath(root))).as_posix()
    except (OSError, ValueError):
        return Path(absolute).as_posix()


def _is_venv(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, VENV_MARKER))


def _holds_venv_marker(entries: list[os.DirEntry[str]]) -> bool:
    """The listed folder holds a ``pyvenv.cfg`` file (a link to one counts): :func:`_is_venv` from its listing."""
    for entry in entries:
        if entry.name == VENV_MARKER:
            try:
                return entry.is_file()
            except OSError:
                return False
    return False


def walk(paths: list[Path], root: Path, exclude: Rules, gitignore: GitIgnores | None = None,
         roots: list[str] | None = None, stamps: dict[str, Stamp] | None = None, listings: Listings | None = None
         ) -> tuple[list[tuple[str, str]], list[Notice]]:
    """Every candidate file under ``paths`` as (path, repo-relative path) strings (and its :data:`Stamp` in
    ``stamps``, when given; a file that cannot be stat'ed has none; each folder listed below ``root``, in
    ``listings`` when given).

    Paths are carried as strings while walking (pathlib per entry dominated the
    run time on large trees); exclusion applies to entries below an explicit path.
    Each folder is listed once: whether it is a virtualenv (``pyvenv.cfg``), holds a nested repository
    (``.git``) or a ``.gitignore`` is read from that listing, not asked with a ``stat`` per name.
    Symlinks found while walking: see :func:`link_refusal`; a link counts as a file
    for ``.gitignore`` (as in git). ``roots``: :func:`checked_roots` when the caller has them already.
    """
    roots = roots if roots is not None else checked_roots(paths, root)
    gitignore = gitignore if gitignore is not None else GitIgnores(root, wait=False)
    # `git ls-files` costs about what this walk costs: while git runs, one folder is walked without its
    # answer, and what git ignores is dropped afterwards (:func:`_drop_ignored`)
    ahead = gitignore.pending and len(paths) == 1 and named_refusal(paths[0], root) is None and paths[0].is_dir()
    if not ahead:
        gitignore.settle()
    try:
        return _walk(paths, root, exclude, gitignore, roots, stamps, listings)
    finally:
        gitignore.settle()  # git is reaped whatever happens (it has answered by now, or is waited for)


#: the deepest folder the walk enters, below the checked path (a repository's own layout is a few dozen levels)
MAX_FOLDER_DEPTH = 128


def _walk(paths: list[Path], root: Path, exclude: Rules, gitignore: GitIgnores, roots: list[str],
          stamps: dict[str, Stamp] | None, listings: Listings | None) -> tuple[list[tuple[str, str]], list[Notice]]:
    """:func:`walk` once ``gitignore`` is started (and settled unless one folder is walked ahead of git)."""
    found: list[tuple[str, str]] = []
    notices: list[Notice] = []
    seen_real: set[str] = set()
    named_real: set[str] = set()  # the named folders' real paths
    seen_files: set[str] = set()
    gitignore.load(root, ".")
    excluding = bool(exclude)
    undecided = False  # an entry was walked before git answered
    entered: list[tuple[str, bool]] = []  # the folders entered below a walked one, and whether git had answered
    # the folders walked (a link to a folder below them needs no notice: its files are walked where they are)
    walked_roots = [os.path.realpath(path) for path in paths if named_refusal(path, root) is None and path.is_dir()]

    def visit_dir(folder: str, rel_dir: str, real: str | None = None, decided: bool = False) -> None:
        nonlocal undecided
        # a folder entered from its resolved parent through a name that is no symlink resolves to
        # parent/name: realpath (an lstat per path component) is needed only for the named paths
        named = real is None
        gitignore.poll()
        try:
            entries = sorted(os.scandir(folder), key=_BY_NAME)
        except OSError as exc:
            if not named and _is_venv(folder):
                return
            entries = None
            error = exc
        if entries is not None and not named and _holds_venv_marker(entries):
            return  # a virtualenv found while walking (a named one is read)
        real = real if real is not None else os.path.realpath(folder)
        if real in seen_real:
            # a folder named twice, or named beside a folder holding it (`hueylint check . deploy`, in either
            # order), is walked once without a word, as ruff does: it was "symlink loop or repeated folder"
            if not named and real not in named_real:
                notices.append(Notice(rel_dir, "symlink loop or repeated folder: skipped"))
            return
        seen_real.add(real)
        if named:
            named_real.add(real)
        if entries is None:
            gitignore.load(folder, rel_dir)
            notices.append(Notice(rel_dir, f"cannot list folder: {error.strerror or error}"))
            return
        names = [entry.name for entry in entries]
        gitignore.load(folder, rel_dir, names)
        subfolders: list[str] = []
        # the exclusion is asked only of the names that may match it
        asked = exclude.name_filter(rel_dir) if excluding else None
        if listings is not None and not rel_dir.startswith("../"):  # a named folder outside the root: not a
            listings["" if rel_dir == "." else rel_dir, "scan"] = (names, subfolders)  # repo path
            if not named:
                entered.append((rel_dir, decided))
        prefix = "" if rel_dir == "." else f"{rel_dir}/"
        for entry in entries:
            name = entry.name
            rel = prefix + name
            try:  # a regular file (most entries) is told by one call, from the listing's type
                if entry.is_file(follow_symlinks=False):
                    is_link = is_dir = False
                    is_file = True
                else:
                    is_link = entry.is_symlink()
                    is_dir = not is_link and entry.is_dir(follow_symlinks=False)
                    is_file = False
            except OSError:
                continue
            if is_dir:
                subfolders.append(name)
            if excluding and (asked is None or asked.match(name)) and exclude.entry(rel, is_dir):
                continue
            decided = not gitignore.pending
            if not decided:
                undecided = True
            elif gitignore.entry(rel, is_dir):
                continue
            if is_link or not (is_dir or is_file):
                refusal = link_refusal(entry.path, roots, rel, walked_roots) if is_link else \
                    "not a regular file: skipped"
                if refusal is not None:
                    if refusal:
                        notices.append(Notice(rel, refusal))
                    continue
            if is_dir:
                if rel.count("/") >= MAX_FOLDER_DEPTH:  # (a walk of 1,500 nested folders was a RecursionError)
                    notices.append(Notice(rel, f"folder nested more than {MAX_FOLDER_DEPTH} levels deep: not walked"))
                elif not never_walked(rel_dir, name):
                    visit_dir(entry.path, rel, os.path.join(real, name), decided)
            else:
                add_file(entry.path, rel, entry)

    def add_file(path: str, rel: str, entry: os.DirEntry[str] | None = None) -> None:
        if rel not in seen_files:
            seen_files.add(rel)
            found.append((path, rel))
            if stamps is not None:
                try:
                    stamps[rel] = stamp_of(entry.stat() if entry is not None else os.stat(path))
                except OSError:
                    pass

    for path in paths:
        refusal = named_refusal(path, root)
        if refusal is not None:
            notices.append(Notice(rel_path(path, root), refusal))
        elif path.is_dir():
            visit_dir(os.path.abspath(path), rel_path(path, root))
        elif path.is_file():
            add_file(str(path), rel_path(path, root))
        elif path.is_symlink() and not path.exists():
            notices.append(Notice(rel_path(path, root), "broken symlink: skipped"))
        elif path.exists():  # a FIFO, socket or device (or a link to one): never opened, as the walk skips it
            rel = rel_path(path, root)
            notices.append(Notice(str(path) if rel == ".." or rel.startswith("../") else rel,
                                  "not a regular file: skipped"))
        else:
            notices.append(Notice(str(path), "no such file or folder"))
    if not undecided:
        _mark_walked(listings, entered)
        return found, notices
    gitignore.settle()
    if not gitignore.from_git:  # git failed after all: walk again with the ignore files read directly
        if stamps is not None:
            stamps.clear()
        return _walk(paths, root, exclude, gitignore, roots, stamps, listings)
    below = rel_path(paths[0], root)
    _mark_walked(listings, [(rel, decided or not gitignore.covered(rel, True, below)) for rel, decided in entered])
    return _drop_ignored(found, notices, stamps, gitignore, below)


def _mark_walked(listings: Listings | None, entered: list[tuple[str, bool]]) -> None:
    """Record in ``listings`` each folder (repo path) the walk entered below a walked folder that git's answer
    (or the ignore files) does not ignore, as ``(repo path, "walked")``: no folder the walk never enters, no
    virtualenv, not ignored, so a glob's ``**`` enters it without judging it again (:func:`hueylint.workspace._below`)."""
    if listings is not None:
        for rel, kept in entered:
            if kept:
                listings[rel, "walked"] = True


def _drop_ignored(found: list[tuple[str, str]], notices: list[Notice], stamps: dict[str, Stamp] | None,
                  gitignore: GitIgnores, below: str) -> tuple[list[tuple[str, str]], list[Notice]]:
    """What a walk ahead of git's answer found, without what git ignores: an entry ignored itself or below a
    folder git ignores (between it and the walked folder ``below``, which is read even when ignored), as if
    the walk had skipped it; its stamp and notices go too."""
    kept = [(path, rel) for path, rel in found if not gitignore.covered(rel, False, below)]
    if stamps is not None and len(kept) < len(found):
        for rel in {rel for _, rel in found} - {rel for _, rel in kept}:
            stamps.pop(rel, None)
    shown = [notice for notice in notices if notice.rel == below or not (
        gitignore.covered(notice.rel, False, below) or gitignore.covered(notice.rel, True, below))]
    return kept, shown


def read_bytes(path: str | Path, rel: str, fmt: str) -> tuple[bytes | None, Notice | None, tuple | None]:
    """The bytes of one candidate, or why not: (data, notice, HL001 as (rel, line, col, message)).

    A file that is relevant by its name and cannot be read or is over :data:`MAX_BYTES` is an HL001 finding,
    so the run fails (ruff's E902); when relevance is read from the content (``fmt`` ``python`` or ``?...``:
    an unreadable ``.py``/``.yaml``) it is a notice, for a file too large only when its content could matter
    (:func:`_too_large`).
    """
    by_content = fmt == "python" or fmt.startswith("?")
    try:
        data = read_regular(path, MAX_SNIFFED_BYTES if by_content else MAX_BYTES)
    except NotRegularFile as exc:
        return None, Notice(rel, f"{exc}: skipped"), None
    except TooLarge as exc:
        if by_content:
            return None, _too_large(None, rel, fmt), None
        return None, None, (rel, 1, 1, f"cannot read: {exc}, so this file is not checked")
    except OSError as exc:
        why = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
        if by_content:
            return None, Notice(rel, f"{why}: not read"), None
        return None, None, (rel, 1, 1, f"cannot read: {why}, so this file is not checked")
    if len(data) > MAX_BYTES:
        return None, _too_large(data, rel, fmt), None
    return data, None, None


#: the most bytes read of a file whose content decides whether it matters (``fmt`` ``python`` or ``?...``), to
#: tell whether one over :data:`MAX_BYTES` does (the byte searches of :func:`content_verdict`, no parse)
MAX_SNIFFED_BYTES = 8 * 1024 * 1024


def _too_large(data: bytes | None, rel: str, fmt: str) -> Notice | None:
    """The notice for a file over :data:`MAX_BYTES` whose content decides whether it matters (``data``: its
    bytes, None when it is over :data:`MAX_SNIFFED_BYTES` too): none when its content says it does not, as
    for a smaller file (a Python module without a huey marker, a YAML or JSON file without any clue of a
    deployment format; field: a shipping API's generated schema modules, a Django app's JSON fixtures, a
    compliance library's YAML files, one "larger than 2 MiB: skipped" each), the reason a smaller one would
    get when it names a consumer in a form not followed, else "larger than 2 MiB: skipped".  A file that never
    writes huey's name is dropped before those searches: no launch or app of huey is written without it in a
    file of megabytes (a compose file or manifest that runs an image's consumer is never that large)."""
    skipped = Notice(rel, f"{too_large(MAX_BYTES)}: skipped")
    if data is None:
        return skipped
    if not any(word in data for word in (b"huey", b"Huey", b"HUEY")):
        return None  # (first the cheap test: the clue searches over megabytes cost 0.1 s of a cold run on ciso)
    decided, reason = content_verdict(data, rel, fmt)
    if decided:
        return skipped
    return Notice(rel, reason) if reason else None


def _read(path: Path, rel: str, fmt: str) -> tuple[SourceFile | None, Notice | None, tuple | None]:
    """Read one candidate: (source, notice, HL001 as (rel, line, col, message)).

    Unreadable, too large: :func:`read_bytes`; the content's checks: :func:`classify`.
    """
    data, notice, bad = read_bytes(path, rel, fmt)
    if data is None:
        return None, notice, bad
    return classify(data, path, rel, fmt)


#: What one candidate of :func:`discover` gave: (source, notice, HL001, the verdict its content gave to keep
#: in the :class:`~hueylint.discovery_cache.VerdictIndex`: (format or "", notice reason), or None).
Candidate = tuple["SourceFile | None", "Notice | None", "tuple | None", "tuple[str, str | None] | None"]
#: a candidate to read: (path, root-relative path, the format its name gives, the verdict an earlier run's
#: content gave it, or None)
_Item = tuple[str, str, str, tuple[str, str | None] | None]


def _read_candidate(path: str, rel: str, fmt: str, known: tuple[str, str | None] | None) -> Candidate:
    """:func:`_read` of a walked file, with the verdict ``known`` from an earlier run when its stamp is
    unchanged: not relevant (``("", reason)``: the file is not opened) or its format (read, not sniffed)."""
    if known is not None and not known[0]:
        return None, (Notice(rel, known[1]) if known[1] else None), None, None
    data, notice, bad = read_bytes(path, rel, fmt)
    if data is None:
        # too large, and its content says it cannot matter (read_bytes): kept as a small file's verdict is
        silent = notice is None and bad is None and known is None and _content_decides(fmt)
        return None, notice, bad, ("", None) if silent else None
    if known is not None:
        return (*_decoded(data, Path(path), rel, known[0]), None)
    decided, reason = content_verdict(data, rel, fmt)
    if not decided:
        return None, (Notice(rel, reason) if reason else None), None, (decided, reason)
    return (*_decoded(data, Path(path), rel, decided), (decided, reason) if _content_decides(fmt) else None)


def content_verdict(data: bytes, rel: str, fmt: str, gate: bool = True) -> tuple[str, str | None]:
    """What the content of a file named ``rel`` says about it, when its name gives ``fmt``: (format, None),
    or ("", the reason for a notice or None) when the file cannot matter.

    A Python file without a huey marker cannot (:func:`hueylint.pyapp_gate.might_matter`; ``gate``); an
    ambiguous name (``?yaml`` and the like) takes the format :func:`hueylint.formats.sniff` reads, or none.
    """
    if fmt == "python" and gate:
        return ("python" if pyapp_gate.might_matter(data, rel) else ""), None
    if fmt.startswith("?"):
        return sniff_bytes(fmt, data, rel)
    return fmt, None


def classify(data: bytes, path: Path, rel: str, fmt: str, gate: bool = True
             ) -> tuple[SourceFile | None, Notice | None, tuple | None]:
    """The bytes of a file (or of stdin) as a source: (source, notice, HL001 as (rel, line, col, message)).

    ``fmt`` is the format its name gives (``?yaml`` and the like: sniffed from the content).  A Python file
    without a huey marker is skipped (``gate``).  A NUL byte is HL001 and the file is not checked; invalid
    UTF-8 is read with U+FFFD in place of each bad byte and checked, plus HL001 at the first bad byte.
    """
    fmt, reason = content_verdict(data, rel, fmt, gate)
    if not fmt:
        return None, (Notice(rel, reason) if reason else None), None
    return _decoded(data, path, rel, fmt)


#: the HL001 message of a file holding a NUL byte (binary content)
BINARY = "cannot parse: a NUL byte (binary content), so this file is not checked"
#: the HL001 message of a UTF-16 or UTF-32 text with its byte order mark (only pip reads requirements so)
WIDE_TEXT = "cannot parse: UTF-16/UTF-32 text (it starts with a byte order mark), not UTF-8, so this file is not checked"


def _decoded(data: bytes, path: Path, rel: str, fmt: str) -> tuple[SourceFile | None, Notice | None, tuple | None]:
    """The bytes of a file known to be of format ``fmt`` as a source: see :func:`classify`."""
    if fmt == "deps" and is_requirements(rel):
        wide = bom_decoded(data)
        if wide is not None:  # pip reads a UTF-16/32 requirements file by its BOM (``pip freeze >`` in PowerShell)
            return new_source(path, rel, wide, fmt), None, None
    nul = data.find(b"\x00")
    if nul >= 0:
        if bom_decoded(data) is not None:  # a UTF-16/32 text (saved so by a Windows editor): not binary
            return None, None, (rel, 1, 1, WIDE_TEXT)
        line, col = position(data, nul)
        return None, None, (rel, line, col, BINARY)
    bad = None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        declared = _declared_encoding(data) if fmt == "python" else None
        if declared is not None:  # valid Python in the encoding its PEP 263 line declares
            return _noted(new_source(path, rel, declared, fmt), None), None, None
        text = data.decode("utf-8-sig", errors="replace")
        line, col = position(data, exc.start)
        bad = (rel, line, col, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}): read as U+FFFD, "
                               "the rest of the file is checked")
    return _noted(new_source(path, rel, text, fmt, bom=data.startswith(b"\xef\xbb\xbf")), bad), None, bad


def _noted(src: SourceFile, bad: tuple | None) -> SourceFile:
    """``src`` with what its decoding gave (its format, the HL001 of its first bad byte or None, whether a UTF-8
    byte order mark stood first) noted for the run cache's
    early cutoff (:func:`hueylint.sources.note`: :mod:`hueylint.python_edits` decodes an edited file again)."""
    note(src, "decoded", [src.format, list(bad) if bad is not None else None, src.bom])
    return src


def _declared_encoding(data: bytes) -> str | None:
    """A Python file's text decoded with the encoding its PEP 263 declaration names (``# -*- coding: latin-1
    -*-`` on line 1 or 2, found by :func:`tokenize.detect_encoding`, as Python reads it); None without a
    declaration other than UTF-8, or when the bytes are not valid in the declared encoding."""
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return None if encoding in ("utf-8", "utf-8-sig") else data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None


#: the name of the text read from stdin (``-``) without ``--stdin-filename``: a rendered manifest
STDIN_NAME = "stdin.yaml"


def stdin_source(data: bytes, rel: str, path: Path) -> tuple[SourceFile | None, Notice | None, tuple | None]:
    """The bytes given on stdin (``-``, at most ``MAX_BYTES + 1`` read) as the file ``rel``
    (``--stdin-filename``), with a file's checks (:func:`classify`, no Python gate: the user named it).
    More than :data:`MAX_BYTES` is HL001.  A ``.yaml``/``.yml``/``.json`` name whose content sniffs as no
    other format is read as Kubernetes (``helm template ... | hueylint check -``)."""
    try:
        bounded(data, MAX_BYTES)
    except TooLarge as exc:
        return None, None, (rel, 1, 1, f"cannot read: {exc}, so this file is not checked")
    fmt = name_format(rel) or "?yaml"
    if fmt.startswith("?") and fmt not in UNREAD_KINDS:  # those: a notice at most (sniff_bytes)
        text = data.decode("utf-8-sig", errors="replace")
        sniffed = sniff(fmt, text, rel)
        reason = None if sniffed else unrecognised(fmt, text)
        if reason is not None:  # `hueylint check - < Dockerfile`: read as stdin.yaml, a YAML string, unchecked
            # the text the user gave is not checked: HL001 (a file of the tree gets a notice), so no false pass
            return None, None, (rel, 1, 1, f"cannot parse: {reason.removesuffix(': not checked')}, so this text "
                                           f"is not checked (stdin is read as the file `--stdin-filename` names, "
                                           f"`{STDIN_NAME}` without it: name what it holds, e.g. "
                                           "`--stdin-filename Dockerfile`)")
        fmt = sniffed or ("kubernetes" if rel.endswith((".yaml", ".yml", ".json")) else "")
    return classify(data, path, rel, fmt, gate=False)


@dataclass
class Walked:
    """The first half of :func:`discover`: the walk, before any file is read (the run cache decides
    between the two halves, :mod:`hueylint.runcache`).  ``candidates``: (path, repo path) of every walked
    file; ``stamps``: their :data:`Stamp` by repo path; ``roots``: :func:`checked_roots`; ``gitignored``:
    as :attr:`Discovery.gitignored`; ``listings``: the folders it listed (:data:`Listings`)."""

    candidates: list[tuple[str, str]]
    notices: list[Notice]
    stamps: dict[str, Stamp]
    roots: list[str]
    gitignored: Callable[[str, bool], bool]
    listings: Listings = field(default_factory=dict)


def walk_tree(paths: list[Path], root: Path, exclude: Rules | list[str], stamped: bool = True) -> Walked:
    """:func:`walk` ``paths`` honouring ``exclude`` and git's ignore rules, with every file's stamp (only the
    caches read them: ``stamped=False``, a ``stat`` per file is spared and ``stamps`` is empty)."""
    gitignore = GitIgnores(root, wait=False)  # git runs while the tree is walked
    exclude = exclude if isinstance(exclude, Rules) else Rules.of(exclude)
    roots = checked_roots(paths, root)
    stamps: dict[str, Stamp] = {}
    listings: Listings = {}
    candidates, notices = walk(paths, root, exclude, gitignore, roots, stamps if stamped else None, listings)
    return Walked(candidates, notices, stamps, roots, gitignore.ignored, listings)


def discover(paths: list[Path], root: Path, exclude: Rules | list[str], walked: Walked | None = None,
             cache: bool = False, cache_dir: str | None = None) -> Discovery:
    """The files of ``paths`` (files or folders) hueylint reads, relative to ``root`` (:func:`run_root`).

    Folders are walked honouring ``exclude`` (the configured rules, or globs anchored at ``root``), the
    repository's .gitignore files and the folders never worth reading (virtualenvs, ``node_modules``, ...).
    Files whose name says which format they may be (:func:`hueylint.formats.name_format`) are read now
    (``sources``, as :class:`SourceFile`); the others are kept by path in ``others`` for the scripts and modules launches reach on demand.  Nothing
    raises on bad input: a file that cannot be read, holds a NUL byte or exceeds :data:`MAX_BYTES` is an
    HL001 entry in ``unreadable`` (``(rel, line, col, message)``) or a :class:`Notice` (skipped, with why).
    ``walked``: :func:`walk_tree` of the same arguments when the caller walked already.  ``cache``: what the
    content of an unchanged file decided last time is reused (:mod:`hueylint.discovery_cache`, in
    ``cache_dir``; ``--no-cache`` passes False).
    """
    walked = walked if walked is not None else walk_tree(paths, root, exclude)
    index = VerdictIndex(root, enabled=cache, cache_dir=cache_dir) if cache else None
    stamps = walked.stamps
    result = Discovery(notices=list(walked.notices), gitignored=walked.gitignored, roots=walked.roots,
                       stamps=stamps, listings=walked.listings, walked=[rel for _, rel in walked.candidates])
    relevant: list[_Item] = []
    others = result.others
    for path, rel in walked.candidates:
        fmt = name_format(rel)
        if fmt:
            known = index.lookup(rel, stamps.get(rel)) if index is not None and _content_decides(fmt) else None
            relevant.append((path, rel, fmt, known))
            if fmt in KEPT_BY_NAME:
                others[rel] = path  # (also read on demand by its builder)
        else:
            others[rel] = path
    # Files are read in chunks: in this thread while the page cache holds them, the rest in threads once
    # a chunk waited on the disk (_read_chunks; one task per small file costs more in locking than it saves).
    # A file known to be irrelevant is not read at all (its verdict is answered in order, in place).
    to_read = [item for item in relevant if item[3] is None or item[3][0]]
    chunks = [to_read[i:i + READ_CHUNK] for i in range(0, len(to_read), READ_CHUNK)]
    read = iter([candidate for chunk in _read_chunks(chunks) for candidate in chunk])
    for path, rel, fmt, known in relevant:
        source, notice, bad, verdict = next(read) if known is None or known[0] else \
            _read_candidate(path, rel, fmt, known)
        if source is not None:
            result.sources.append(source)
        elif fmt == "python" and notice is None and bad is None:
            result.gated.append(rel)
        if notice is not None:
            result.notices.append(notice)
        if bad is not None:
            result.unreadable.append(bad)
        if verdict is not None and index is not None:
            index.record(rel, stamps.get(rel), *verdict)
    if index is not None:
        index.save([rel_path(path, root) for path in paths if os.path.isdir(path)])
    return result


def _read_chunks(chunks: list[list[_Item]]) -> Iterator[list[Candidate]]:
    """:func:`_read_candidate` of every item, chunk by chunk in order: in this thread while the reads do not
    wait on the disk (:data:`WAITING_SHARE`), the rest in threads once a chunk did."""
    def read(items: list[_Item]) -> list[Candidate]:
        return [_read_candidate(*item) for item in items]

    index = 0
    while index < len(chunks):
        wall, cpu = time.perf_counter(), time.thread_time()
        done = read(chunks[index])
        index += 1
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        yield done
        if wall - cpu > WAITING_SHARE * wall and index < len(chunks):
            break
    if index == len(chunks):
        return
    from concurrent.futures import ThreadPoolExecutor  # imported only when threads are used

    rest = chunks[index:]
    with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 2) * 2, len(rest))) as pool:
        yield from pool.map(read, rest)


#: kinds sniffed for a notice (a consumer named in a shape not followed) and also kept with the other files, for a
#: builder that reads them on demand (Cloud Build configurations: :mod:`hueylint.platforms.cloudbuild`)
KEPT_BY_NAME = frozenset({"?cloudbuild"})


def _content_decides(fmt: str) -> bool:
    """Whether a file named so is classified by its content (its verdict is worth keeping)."""
    return fmt == "python" or fmt.startswith("?")


def read_on_demand(path: Path, rel: str, roots: list[str],
                   problems: list[tuple[str, int, int, str]] | None = None) -> tuple[SourceFile | None, str | None]:
    """A script referenced by a launch: read it now with discovery's checks (no format gate).

    Returns the file, or None and why it was not read when that deserves a notice: a path whose real
    path leaves ``roots`` (through a link anywhere on the way) or that is not a regular file.  What
    makes a regular file unreadable (or its first invalid UTF-8 byte) is appended to ``problems`` as an
    HL001 (rel, line, col, message)."""
    if not inside(path, roots):
        return None, "symlink leading outside the checked tree: skipped"
    source, notice, problem = _read(path, rel, "script")
    if problem is not None and problems is not None:
        problems.append(problem)
    return source, notice.reason if notice is not None else None
