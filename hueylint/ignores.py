"""Which repository paths are ignored: git's ignore rules and hueylint's ``exclude`` globs.

One glob implementation for everything: git's wildmatch (``pathspec.GitIgnoreSpec``), each pattern
list anchored at the folder that defines it (a ``.gitignore`` at its folder, a configuration file's
``exclude``/``extend-exclude``/``per-file-ignores`` at the configuration file's folder, like ruff).
A pattern without a slash matches a name at any depth, a pattern with one is relative to that
folder, the last matching pattern wins and ``!`` re-includes (git's rules).

Two questions are asked of a rule set, both with repo-relative POSIX paths:

* :meth:`Rules.entry` -- is this walked entry itself matched (its parent folders are not asked:
  walking starts at a path named on the command line, which is read even when it is ignored);
* :meth:`Rules.covers` -- is the path or one of its folders matched (a file read on demand).

Inside a git repository git answers for ignore files itself (``.gitignore`` at every level,
``.git/info/exclude``, ``core.excludesFile``): :func:`git_ignored` runs
``git ls-files --others --ignored --exclude-standard --directory`` with the repository's
configuration unable to run anything; without git the ``.gitignore`` files and
``.git/info/exclude`` are read with the same wildmatch rules.  git is started without waiting
(``GitIgnores(root, wait=False)``), so it runs while discovery walks the tree.

Speed: a rule set's patterns that match a name at any depth (the default ``exclude``: ``.venv``,
``build``, ``*.egg-info``) are asked of each walked folder once and of each name once, not as
pathspec's whole-path regexes per entry (:meth:`Level.decide`; the same answers, tested against them).
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import time
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Collection

from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern

if TYPE_CHECKING:
    import subprocess

    import pathspec

GIT_TIMEOUT = 30.0  # seconds; a hung git (a FIFO as excludesFile, a network file system) falls back
# the scanned repository's configuration must not run programs or write while git reads it
_GIT_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "-c", "core.hooksPath=/dev/null")


#: a regex no name matches
_NOTHING = lazy_pattern(r"(?!)")


def _relative(rel: str, base: str) -> str | None:
    """``rel`` relative to the folder ``base`` (both repo-relative), or None when outside it."""
    if base in ("", "."):
        return rel
    if rel.startswith(base + "/"):
        return rel[len(base) + 1:]
    return None


#: pathspec's regex of a pattern without a slash: ``^(?:.+/)?`` + the name's glob + the folder suffix
_NAME_PREFIX = "^(?:.+/)?"
_ANY_SUFFIX = "(?:(?P<ps_d>/)|$)"  # a file or a folder
_DIR_SUFFIX = "(?P<ps_d>/)"  # a pattern ending in ``/``: folders only


#: a glob of name characters and ``*`` (``.venv``, ``*.egg-info``; no slash, class, escape, ``?`` or ``!``) with
#: a letter, digit, ``_`` or ``-`` in it: a name at any depth whose ``*`` matches any run of characters but ``/``
_PLAIN_NAME = lazy_pattern(r"[A-Za-z0-9._*-]*[A-Za-z0-9_-][A-Za-z0-9._*-]*\Z")


class _NamePattern:
    """A :data:`_PLAIN_NAME` pattern as ``pathspec.GitIgnoreSpec`` reads it (the same ``regex``, ``include`` and
    ``match_file``), built without pathspec: the default ``exclude`` is all such names, and importing pathspec
    took 8 ms of every run; any other pattern is pathspec's (tests/unit/test_discovery_cache.py compares)."""

    __slots__ = ("pattern", "regex", "include")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.regex = re.compile(_NAME_PREFIX + "".join("[^/]*" if char == "*" else re.escape(char) for char in pattern)
                                + _ANY_SUFFIX)
        self.include: bool | None = True

    def match_file(self, path: str) -> re.Match[str] | None:
        return self.regex.match(path)


class _NameSpec:
    """The patterns of a list of :data:`_PLAIN_NAME` globs (what :class:`Level` reads of a ``GitIgnoreSpec``)."""

    __slots__ = ("patterns",)

    def __init__(self, patterns: list[str]) -> None:
        self.patterns = [_NamePattern(pattern) for pattern in patterns]


def _spec(patterns: list[str]) -> pathspec.GitIgnoreSpec | _NameSpec:
    """``pathspec.GitIgnoreSpec.from_lines(patterns)``, or the same patterns read here when every one is a plain
    name (pathspec is then not imported)."""
    if all(_PLAIN_NAME.match(pattern) for pattern in patterns):
        return _NameSpec(patterns)
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _name_glob(pattern: object) -> tuple[re.Pattern[str], bool] | None:
    """(a regex matching one path component, folders only) for a pathspec pattern that matches a name at
    any depth (``build``, ``*.egg-info``, ``.venv/``); None for any other (anchored, ``**``, negated classes:
    asked of the whole path)."""
    source = getattr(getattr(pattern, "regex", None), "pattern", None)
    if not isinstance(source, str) or not source.startswith(_NAME_PREFIX):
        return None
    if source.endswith(_ANY_SUFFIX):
        middle, dir_only = source[len(_NAME_PREFIX):-len(_ANY_SUFFIX)], False
    elif source.endswith(_DIR_SUFFIX):
        middle, dir_only = source[len(_NAME_PREFIX):-len(_DIR_SUFFIX)], True
    else:
        return None
    # only escaped literals, positive classes and [^/] (pathspec's * and ?): nothing that can match a slash
    plain = re.sub(r"\\.", "", middle).replace("[^/]", "")
    if any(token in plain for token in ("/", ".", "[^", "(", "|")) or not middle:
        return None
    try:
        return re.compile(f"(?:{middle})\\Z"), dir_only
    except re.error:
        return None


@dataclass
class Level:
    """One pattern list and the repo-relative folder it is anchored at."""

    base: str
    spec: pathspec.GitIgnoreSpec | _NameSpec
    scoped: bool = True  # a .gitignore applies below its folder only; configuration globs everywhere
    _any: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    # every pattern matches a name at any depth: (include, name regex, folders only) in order, one regex
    # for any of their names, and per folder the patterns no folder above the entries matches
    _names: list[tuple[bool, re.Pattern[str], bool]] | None = field(default=None, init=False, repr=False)
    _any_name: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    _alive: dict[str, tuple[int, ...]] = field(default_factory=dict, init=False, repr=False)
    _every: tuple[int, ...] = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        active = [pattern for pattern in self.spec.patterns if pattern.include is not None]
        # one alternation of every pattern's regex: most walked paths match none, and one regex
        # answers that faster than asking each pattern (pathspec's simple backend)
        sources = [regex.pattern for pattern in active
                   for regex in (getattr(pattern, "regex", None),) if isinstance(regex, re.Pattern)]
        if sources and len(sources) == len(active):
            try:
                self._any = re.compile("|".join(f"(?:{re.sub(r'[(][?]P<[^>]*>', '(?:', source)})"
                                                for source in sources))
            except re.error:
                self._any = None
        names = [(pattern, _name_glob(pattern)) for pattern in active]
        if names and all(glob is not None for _, glob in names):
            self._names = [(bool(pattern.include), glob[0], glob[1]) for pattern, glob in names if glob is not None]
            self._any_name = re.compile("|".join(f"(?:{regex.pattern})" for _, regex, _ in self._names))
            self._every = tuple(range(len(self._names)))

    def decide(self, rel: str, is_dir: bool) -> bool | None:
        """True/False when a pattern matches ``rel`` itself (not only a folder above it), else None."""
        sub = _relative(rel, self.base)
        if sub is None:
            if self.scoped:
                return None
            sub = posixpath.relpath(rel, self.base)  # ``../x/.venv``: name patterns still match
        elif self._names is not None:
            return self._decide_name(sub, is_dir)
        path = sub + "/" if is_dir else sub
        if self._any is not None and not self._any.match(path):
            return None
        parent = sub.rpartition("/")[0]
        decision: bool | None = None
        for pattern in self.spec.patterns:
            if pattern.include is None or pattern.match_file(path) is None:
                continue
            # wildmatch regexes also match everything below a matched folder: that is inheritance,
            # which walking handles by not entering the folder, so only direct matches count here
            if parent and pattern.match_file(parent + "/") is not None:
                continue
            decision = pattern.include
        return decision

    def _decide_name(self, sub: str, is_dir: bool) -> bool | None:
        """:meth:`decide` when every pattern matches a name at any depth: such a pattern matches ``sub`` itself
        when it matches its last part and no folder above it (then the match is inherited); the folders
        above are asked once per folder (:meth:`_alive_in`), the name once."""
        assert self._names is not None and self._any_name is not None
        parent, _, name = sub.rpartition("/")
        alive = self._alive_in(parent) if parent else self._every
        if len(alive) == len(self._names) and not self._any_name.match(name):
            return None
        decision: bool | None = None
        for index in alive:
            include, regex, dir_only = self._names[index]
            if (is_dir or not dir_only) and regex.match(name):
                decision = include
        return decision

    def _alive_in(self, folder: str) -> tuple[int, ...]:
        """The patterns (indexes) matching no part of ``folder`` (relative to the base)."""
        known = self._alive.get(folder)
        if known is None:
            assert self._names is not None
            parent, _, name = folder.rpartition("/")
            above = self._alive_in(parent) if parent else self._every
            assert self._any_name is not None
            known = self._alive[folder] = above if not self._any_name.match(name) else tuple(
                index for index in above if not self._names[index][1].match(name))
        return known

@dataclass
class Rules:
    """Pattern lists, lowest precedence first (git: excludesFile, info/exclude, then .gitignore files
    from the root down; the last match wins)."""

    levels: list[Level] = field(default_factory=list)
    # covers(): the answer for each folder (its own entry or one above it), valid until a level is added
    _folders: dict[str, bool] = field(default_factory=dict, init=False, repr=False, compare=False)
    # name_filter(): the regex of each set of levels that has a say in a folder, valid until a level is added
    _filters: dict[tuple[int, ...], re.Pattern[str]] = field(default_factory=dict, init=False, repr=False,
                                                             compare=False)

    @classmethod
    def of(cls, patterns: list[str], base: str = ".") -> "Rules":
        """Configuration globs anchored at ``base``; outside it, only patterns without a slash match."""
        return cls([Level(base, _spec(patterns), scoped=False)] if patterns else [])

    @staticmethod
    def valid(pattern: str) -> bool:
        """``pattern`` is a git glob that can match something (not empty, not a comment, not invalid)."""
        import pathspec

        try:
            spec = pathspec.GitIgnoreSpec.from_lines([pattern])
        except ValueError:  # pathspec's GitWildMatchPatternError
            return False
        return any(found.include is not None for found in spec.patterns)

    def add(self, lines: list[str], base: str) -> None:
        """An ignore file's lines; a line git cannot read (a lone ``!``) is skipped, as git does."""
        import pathspec

        try:
            spec = pathspec.GitIgnoreSpec.from_lines(lines)
        except ValueError:
            spec = pathspec.GitIgnoreSpec.from_lines([line for line in lines if Rules.valid(line)])
        if spec.patterns:
            self.levels.append(Level(base, spec))
            self._folders.clear()
            self._filters.clear()

    def entry(self, rel: str, is_dir: bool) -> bool:
        decision = False
        for level in self.levels:
            found = level.decide(rel, is_dir)
            if found is not None:
                decision = found
        return decision

    def name_filter(self, folder: str) -> re.Pattern[str] | None:
        """A regex of names such that :meth:`entry` is False for every entry of ``folder`` (repo path, ``.`` the
        root) whose name it does not match, so a walk asks :meth:`entry` only of the names it matches (the
        default excludes made asking every entry half of the Django tree's walk); None when no such regex is
        known (a level with a pattern that reads the whole path, or one anchored elsewhere that reads
        ``../`` paths).  A level anchored at a folder ``folder`` is not in has no say there."""
        child = "x" if folder in ("", ".") else f"{folder}/x"
        having: list[int] = []
        for index, level in enumerate(self.levels):
            if _relative(child, level.base) is None:
                if level.scoped:
                    continue  # (Level.decide: no say outside its folder)
                return None
            if level._any_name is None:
                return None
            having.append(index)
        key = tuple(having)
        found = self._filters.get(key)
        if found is None:
            sources = [f"(?:{self.levels[index]._any_name.pattern})" for index in having]  # type: ignore[union-attr]
            found = self._filters[key] = re.compile("|".join(sources)) if sources else _NOTHING
        return found

    def covers(self, rel: str, is_dir: bool = False) -> bool:
        folder, _, _ = rel.rpartition("/")
        return (bool(folder) and self._folder_covered(folder)) or self.entry(rel, is_dir)

    def covers_file(self, rel: str) -> bool:
        """:meth:`covers` of the file ``rel``, asking :meth:`entry` only when its name may match
        (:meth:`name_filter`), as the walk asks it: a listing of a whole tree asks it of thousands of files."""
        folder, _, name = rel.rpartition("/")
        if folder and self._folder_covered(folder):
            return True
        asked = self.name_filter(folder or ".")
        return (asked is None or bool(asked.match(name))) and self.entry(rel, False)

    def _folder_covered(self, folder: str) -> bool:
        """``folder`` or one above it is matched (as a folder); answered once per folder."""
        known = self._folders.get(folder)
        if known is None:
            parent = folder.rpartition("/")[0]
            known = (bool(parent) and self._folder_covered(parent)) or self.entry(folder, True)
            self._folders[folder] = known
        return known

    def __bool__(self) -> bool:
        return bool(self.levels)


def _git_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    return env


def git_ignored(root: Path) -> tuple[set[str], set[str]] | None:
    """git's own answer: (ignored files, ignored folders) among untracked paths under the repository
    ``root``, repo-relative; None when ``root`` is not a git work tree root or git is missing or fails."""
    return _git_answer(_start_git(root))


def _start_git(root: Path) -> subprocess.Popen[bytes] | None:
    """``git ls-files`` started for :func:`git_ignored` (it runs while the caller walks), or None when
    ``root`` is not a git work tree root, git is missing or cannot start."""
    if not (root / ".git").exists():
        return None
    git = shutil.which("git")
    if git is None:
        return None
    import subprocess  # only for a git work tree

    try:
        return subprocess.Popen(
            [git, *_GIT_SAFE, "-C", str(root), "ls-files", "-z", "--others", "--ignored", "--exclude-standard",
             "--directory"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_git_env(), stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None


def _git_answer(process: subprocess.Popen[bytes] | None, timeout: float = GIT_TIMEOUT
                ) -> tuple[set[str], set[str]] | None:
    """What a :func:`_start_git` process answered (waiting at most ``timeout`` seconds; a hung git is
    killed), or None when it failed."""
    if process is None:
        return None
    import subprocess

    try:
        stdout, _ = process.communicate(timeout=max(timeout, 0.0))
    except (OSError, subprocess.SubprocessError):
        process.kill()
        process.communicate()
        return None
    if process.returncode != 0:
        return None
    files: set[str] = set()
    folders: set[str] = set()
    for raw in stdout.split(b"\0"):
        if not raw:
            continue
        name = os.fsdecode(raw)
        if name.endswith("/"):
            folders.add(name.rstrip("/"))
        else:
            files.add(name)
    return files, folders


def _repository_inside(folder: Path, root: Path) -> bool:
    """``folder`` is a nested repository whose git data lies inside ``root``: a ``.git`` folder, or a
    ``.git`` file (submodule) whose ``gitdir:`` stays in the tree; git is never pointed outside it."""
    marker = folder / ".git"
    try:
        if marker.is_dir():
            return not marker.is_symlink()
        if not marker.is_file():
            return False
        first = marker.read_text(encoding="utf-8", errors="replace")[:4096].splitlines()[:1]
    except OSError:
        return False
    if not first or not first[0].startswith("gitdir:"):
        return False
    target = os.path.realpath(os.path.join(folder, first[0][len("gitdir:"):].strip()))
    return target.startswith(os.path.realpath(root) + os.sep)


class GitIgnores:
    """Ignored paths of the repository at ``root``: git's answer, or the ignore files read directly.

    Outside a git repository (no ``.git`` in the folder of a ``.gitignore`` or a folder above it: a source
    archive, an export) that ``.gitignore`` is not read, like ruff and ripgrep (their ``ignore`` walker's
    ``require_git``, decided per folder): every file of an archive was committed, and a committed file
    matching a ``.gitignore`` pattern is still deployed.  A repository checked out inside such a folder (a
    folder of clones) keeps its own ``.gitignore`` files.
    """

    def __init__(self, root: Path, wait: bool = True) -> None:
        """``wait=False``: git's answer is collected when first needed (:meth:`settle`), so a caller can walk
        the tree while git does (:func:`hueylint.discovery.walk`: :attr:`pending`, :meth:`poll`)."""
        self.root = root
        self._process = _start_git(root)
        self._deadline = time.monotonic() + GIT_TIMEOUT
        self._git = self._process is not None  # until git fails: then the ignore files are read
        self._files: set[str] = set()
        self._folders: set[str] = set()
        self._rules = Rules()
        self._loaded: set[str] = set()
        absolute = Path(os.path.abspath(root))
        # folder (root-relative) -> it lies in a git repository (filled as folders are loaded, parents first)
        inside = self._git or any(os.path.lexists(folder / ".git") for folder in (absolute, *absolute.parents))
        self._repositories = {".": inside, "": inside}
        if not self._git:
            self._read_ignore_files()
        elif wait:
            self.settle()

    @property
    def pending(self) -> bool:
        """git runs and has not answered yet."""
        return self._process is not None

    @property
    def from_git(self) -> bool:
        """git answers (else the ignore files are read with hueylint's own rules)."""
        return self._git

    def poll(self) -> None:
        """Collect git's answer if git has finished (never waits)."""
        if self._process is not None and self._process.poll() is not None:
            self.settle()

    def settle(self) -> None:
        """Wait for git's answer (at most until :data:`GIT_TIMEOUT` after the start); a git that failed or
        hung leaves the ignore files to be read directly."""
        if self._process is None:
            return
        answer = _git_answer(self._process, self._deadline - time.monotonic())
        self._process = None
        if answer is None:
            self._git = False
            self._files.clear()
            self._folders.clear()
            self._loaded.clear()
            self._read_ignore_files()
            return
        self._files.update(answer[0])  # nested repositories' answers may be there already
        self._folders.update(answer[1])

    def _read_ignore_files(self) -> None:
        self._read(self.root / ".git" / "info" / "exclude", ".")

    def covered(self, rel: str, is_dir: bool, below: str) -> bool:
        """git's answer: the walked entry ``rel`` or a folder between it and the walked folder ``below``
        (repo-relative, ``.`` for the root) is ignored."""
        self.settle()
        if rel in (self._folders if is_dir else self._files):
            return True
        if not self._folders:
            return False
        start = 0 if below in ("", ".") else len(below) + 1
        index = rel.find("/", start)
        while index >= 0:
            if rel[:index] in self._folders:
                return True
            index = rel.find("/", index + 1)
        return False

    def _read(self, path: Path, base: str) -> None:
        if not self._repositories.get(base, False):
            return
        try:
            if path.is_file() and not path.is_symlink():  # git 2.32+ does not read a symlinked .gitignore
                self._rules.add(path.read_text(encoding="utf-8", errors="replace").splitlines(), base)
        except OSError:
            pass

    def load(self, folder: str | os.PathLike[str], rel: str, names: Collection[str] | None = None) -> None:
        """Read ``folder/.gitignore`` and those of the folders above it up to the root (walking calls
        this for each folder before its entries; parents first, so deeper files take precedence).
        ``names``: the folder's entries when the caller listed it (no ``stat`` for a ``.git`` or a
        ``.gitignore`` that is not there)."""
        if rel in self._loaded:
            return
        if self._git:
            # a submodule or nested repository: git answers for it in its own folder
            self._loaded.add(rel)
            if rel not in ("", ".") and (names is None or ".git" in names) and _repository_inside(Path(folder), self.root):
                nested = git_ignored(Path(folder))
                if nested is not None:
                    self._files.update(f"{rel}/{name}" for name in nested[0])
                    self._folders.update(f"{rel}/{name}" for name in nested[1])
            return
        if rel not in ("", "."):
            parent = rel.rpartition("/")[0] or "."
            if parent not in self._loaded:  # (walking loads parents first: no Path built per folder)
                self.load(self.root / parent, parent)
            self._repositories[rel] = self._repositories.get(parent, False) or (
                ".git" in names if names is not None else os.path.lexists(Path(folder) / ".git"))
        self._loaded.add(rel)
        if names is None or ".gitignore" in names:
            self._read(Path(folder) / ".gitignore", rel)

    def entry(self, rel: str, is_dir: bool) -> bool:
        """The walked entry ``rel`` itself is ignored."""
        self.settle()
        if self._git:
            return rel in (self._folders if is_dir else self._files)
        return self._rules.entry(rel, is_dir)

    def ignored(self, rel: str, is_dir: bool = False) -> bool:
        """``rel`` or a folder above it is ignored (files read on demand)."""
        self.settle()
        rel = posixpath.normpath(rel)
        if self._git:
            parts = rel.split("/")
            return rel in self._files or any("/".join(parts[:depth]) in self._folders
                                             for depth in range(1, len(parts) + 1))
        folder = rel.rpartition("/")[0] or "."
        if folder not in self._loaded:  # (a glob asks this of each folder the walk loaded: no Path built)
            self.load(self.root / folder, folder)
        return self._rules.covers(rel, is_dir)
