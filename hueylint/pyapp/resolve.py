"""Map a launch's app path (``my_app.huey``) or Django settings to Python files in the repository.

huey's consumer does ``path, attr = app.rsplit('.', 1); __import__(path); getattr(module, attr)``
with the working directory on ``sys.path``; Django's ``run_huey`` imports the settings module.
Resolution tries the source roots a deployment can run from: the repo root, ``src/``, the folder
of the file that launches the consumer (and its parents), and the launch's working directory
(``WorkingDirectory=``, ``directory=``, ``WORKDIR``) mapped into the repo by its trailing path.
Nothing is imported; only file existence and module facts are read.
"""

from __future__ import annotations

import ast
import posixpath
import re

from hueylint.appmodel import resolve_import as resolve_import  # the linker calls resolve.resolve_import
from hueylint.hueyfacts import DJANGO_COMMANDS
from hueylint.model import Launch
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.script_lookup import image_folders, nearest_folder
from hueylint.sources import position
from hueylint.versions import is_dependency_file, owner_folder
from hueylint.workspace import Workspace

_TEST_PARTS = frozenset({"tests", "test", "testing", "fixtures", "conftest.py"})


def is_test_path(rel: str) -> bool:
    """Tests and fixtures are not the deployed app: ``tests/``, ``test_*.py``, ``*_test.py``, ``conftest.py``."""
    parts = rel.split("/")
    base = parts[-1]
    if base.startswith("test_") or base.endswith("_test.py") or base == "conftest.py":
        return True
    return any(part in _TEST_PARTS for part in parts[:-1])


def is_dir(ws: Workspace, rel: str) -> bool:
    """Is the repository folder ``rel`` a folder? Remembered for the run (:meth:`Workspace.is_folder`): the
    tree does not change during a run, and closures of many apps ask the same questions (hundreds of
    thousands on big repositories). File probes are remembered by :meth:`Workspace.exists` itself."""
    rel = posixpath.normpath(rel) if rel else ""
    if rel.startswith(".."):
        return False
    if not rel or rel == ".":
        return True
    return ws.is_folder(rel)


def source_roots(ws: Workspace, launch: Launch | None) -> list[str]:
    """Folders (repo-relative, "" for the root) a module path is looked up in, most likely first."""
    roots: list[str] = []

    def add(rel: str | None) -> None:  # (None: no folder)
        if rel is None:
            return
        rel = "" if rel in (".", "") else posixpath.normpath(rel).strip("/")
        if rel not in roots and not rel.startswith("..") and is_dir(ws, rel):
            roots.append(rel)

    if launch is not None:
        script = launch.consumer.script
        if script is not None and isinstance(script.value, str) and script.value.endswith(".py"):
            add(package_root(ws, script.value))  # `python -m pkg.mod` ran it from there
        workdir = launch.workdir
        if launch.program in DJANGO_COMMANDS and script is not None and isinstance(script.value, str):
            # `python /app/site/manage.py run_huey`: Python puts the script's folder first on sys.path
            folder = posixpath.dirname(script.value)
            if not folder.startswith("/") and workdir is not None and workdir.known and isinstance(workdir.value, str):
                folder = posixpath.join(workdir.value, folder)
            for rel in _mapped(ws, folder, script.loc.path or ""):
                if ws.exists(posixpath.join(rel, "manage.py")):  # the repo folder holding that manage.py
                    add(rel)
        chdir = launch.chdir
        if chdir is not None and chdir.known and isinstance(chdir.value, str):
            # a script's `cd backend` before the consumer: its folder is where the app is imported from
            if chdir.value.startswith("/"):
                moved = _mapped(ws, chdir.value, chdir.loc.path or "")
            elif workdir is not None and workdir.known and isinstance(workdir.value, str):
                moved = _mapped(ws, posixpath.join(workdir.value, chdir.value), workdir.loc.path or "")
            else:
                moved = _mapped(ws, chdir.value, launch.loc.path or "")
            for rel in moved:
                add(rel)
        if launch.service_dir is not None:
            add(launch.service_dir)
        if workdir is not None and workdir.known and isinstance(workdir.value, str):
            for rel in _mapped(ws, workdir.value, workdir.loc.path or ""):
                add(rel)
        # the entries of PYTHONPATH come next on sys.path (huey_consumer puts its working directory first);
        # a relative entry is relative to the working directory
        pythonpath = launch.environment.get("PYTHONPATH")
        if pythonpath is not None and pythonpath.known and isinstance(pythonpath.value, str):
            cwd = workdir.value if workdir is not None and workdir.known and isinstance(workdir.value, str) else ""
            for entry in filter(None, pythonpath.value.split(":")):
                at = (workdir.loc.path if cwd and workdir is not None else pythonpath.loc.path) or ""
                for rel in _mapped(ws, posixpath.join(cwd, entry) if cwd else entry, at):
                    add(rel)
        folder = posixpath.dirname(launch.loc.path or "")
        while folder:
            add(folder)
            folder = posixpath.dirname(folder)
        app = launch.app.value if launch.app is not None and launch.app.known else None
        if isinstance(app, str) and app.strip():
            top = app.split(".", 1)[0]
            if launch.service_dir is None and workdir is None:
                # an image not built here (a Kubernetes `image:`): the one service folder holding the app's package
                add(_one_holder(ws, top, service_roots(ws), launch))
            if not top_level_present(ws, top, [*roots, "", "src"]):
                # a consumer run from a virtualenv imports its app from site-packages: the package pip installed
                # from a project folder of the repository (`pip install ./core`), when exactly one holds it
                add(_one_holder(ws, top, distribution_roots(ws), launch))
    add("")
    add("src")
    return roots


def _one_holder(ws: Workspace, top: str, folders: list[str], launch: Launch) -> str | None:
    """The one folder of ``folders`` that holds the top-level package or module ``top``, not a sibling service's
    (a launch written in a service's folder is its own: :func:`own_service`); None when none or several do."""
    own = own_service(ws, launch.loc.path or "")
    holders = [root for root in folders if top_level_present(ws, top, [root])
               and (own is None or _within(root, own) or _within(own, root))]
    return holders[0] if len(holders) == 1 else None


def distribution_roots(ws: Workspace) -> list[str]:
    """The folders pip installs a project's packages from (repo paths): a folder holding ``pyproject.toml``,
    ``setup.cfg`` or ``setup.py`` (one the byte gate left out too), and its ``src/`` (the src layout), test
    folders left out; once a run, sorted."""
    def compute() -> list[str]:
        folders: set[str] = set()
        setup_py = (rel for rel in (*ws.sources, *ws.gated) if posixpath.basename(rel) == "setup.py")
        for rel in (*ws.files_named("pyproject.toml"), *ws.files_named("setup.cfg"), *setup_py):
            if is_test_path(rel):
                continue
            folder = posixpath.dirname(rel)
            folders.add(folder)
            src = posixpath.join(folder, "src") if folder else "src"
            if is_dir(ws, src):
                folders.add(src)
        return sorted(folders)

    return ws.memo(("distribution-roots",), compute)


def _within(folder: str, other: str) -> bool:
    return folder == other or folder.startswith(other + "/")


def own_service(ws: Workspace, rel: str) -> str | None:
    """The service folder a repository file lies in: the nearest folder above it (the root excluded) that
    holds a Dockerfile or owns dependency files (``services/a/requirements.txt``); None when there is none.
    A launch written there runs that service's code, never a package of a sibling service."""
    def compute() -> frozenset[str]:
        # a run of named paths in context: the repository's other dependency files too, as the whole run walks them
        unwalked = (rel for rel in ws.unwalked() if is_dependency_file(rel) and ws.exists(rel))
        owners = {owner_folder(path) for path in [*ws.sources, *unwalked] if is_dependency_file(path)} - {""}
        return image_folders(ws) | owners

    return nearest_folder(rel, ws.memo(("service-folders",), compute)) or None


def package_root(ws: Workspace, rel: str) -> str:
    """The folder a module is imported from: above the chain of package folders (with ``__init__.py``)
    holding it (``services/feed-worker/feedpkg/consumer.py`` -> ``services/feed-worker``)."""
    folder = posixpath.dirname(rel)
    while folder and ws.exists(f"{folder}/__init__.py"):
        folder = posixpath.dirname(folder)
    return folder


def service_roots(ws: Workspace) -> list[str]:
    """The service folders of the repository, one per Dockerfile: the folder its image's working
    directory holds (its build context, or what it ``COPY``s there: ``COPY src/ /app``)."""
    from hueylint.platforms import docker

    def compute() -> list[str]:
        folders: list[str] = []
        for src in sorted(ws.of_format("dockerfile"), key=lambda item: item.rel):
            dockerfile = docker.load(ws, src)
            stage = dockerfile.stage(None) if dockerfile is not None else None
            context = posixpath.dirname(src.rel)
            folder = docker.DockerResolver(ws, stage, context).workdir_folder() if stage is not None else context
            if folder not in folders:
                folders.append(folder)
        return folders

    return ws.memo(("service-roots",), compute)


def _mapped(ws: Workspace, path: str, origin: str) -> list[str]:
    """A run-time folder as repo folders: relative to the launching file, or its longest tail that exists
    below the checked root or below a folder holding the launching file (the repository checked out at
    ``/srv/app`` with ``WorkingDirectory=/srv/app/backend`` is ``backend/`` of the folder the unit's
    repository is in, also when that folder is a subfolder of the checked one: ``hueylint check app``)."""
    if "$" in path or "{{" in path or "%" in path:
        return []
    found: list[str] = []
    if not path.startswith("/"):
        found.append(posixpath.join(posixpath.dirname(origin), path))
    parts = [p for p in path.split("/") if p]
    above: list[str] = []
    folder = posixpath.dirname(origin)
    while folder:
        above.append(folder)
        folder = posixpath.dirname(folder)
    for start in range(len(parts)):
        tail = "/".join(parts[start:])
        rel = next((candidate for candidate in (tail, *(f"{folder}/{tail}" for folder in reversed(above)))
                    if is_dir(ws, candidate)), None)
        if rel is not None:
            found.append(rel)
            break
    return found


#: the use of a module's imports an import closure records (:func:`hueylint.sources.import_targets`), with the
#: source roots it resolves them from: ``closure\0ROOT\0ROOT...`` (:meth:`hueylint.pyapp.link._Linker.closure`
#: follows an absolute import to :func:`module_file` of it or of its parent: one that finds neither adds nothing)
CLOSURE_USE = "closure"


def imported_module(ws: Workspace, target: str, roots: list[str]) -> str | None:
    """The repo file an import closure (:meth:`hueylint.pyapp.link._Linker.closure`) seen from ``roots`` follows
    the absolute dotted import ``target`` to: the module itself, else its parent (``from pkg import name``)."""
    found = module_file(ws, target, roots)
    if found is None and "." in target:
        found = module_file(ws, target.rsplit(".", 1)[0], roots)
    return found


def module_file(ws: Workspace, module: str, roots: list[str]) -> str | None:
    """The repo file of a dotted module (``pkg/mod.py`` or ``pkg/mod/__init__.py``) under one of ``roots``.

    Components need not be Python identifiers: ``__import__`` (huey's consumer) and relative imports
    work by file name, so ``from .tasks import huey`` in ``services/feed-worker/pkg/consumer.py`` is
    ``services.feed-worker.pkg.tasks`` seen from the root."""
    found = module_root(ws, module, roots)
    return found[0] if found is not None else None


def module_root(ws: Workspace, module: str, roots: list[str]) -> tuple[str, str] | None:
    """(repo file, the root it was found under) of a dotted module, like :func:`module_file`; remembered
    for the run (:meth:`Workspace.memo`)."""
    return ws.memo(("module-root", module, *roots), lambda: _module_root(ws, module, roots))


def _module_root(ws: Workspace, module: str, roots: list[str]) -> tuple[str, str] | None:
    if not module or not _MODULE_PATH.fullmatch(module):
        return None
    path = module.replace(".", "/")
    top = path.split("/", 1)[0] if "/" in path else None  # a dotted module's files are in its top package
    for root in roots:
        if top is not None and not _holds_folder(ws, posixpath.join(root, top) if root else top):
            continue
        for rel in (f"{path}.py", f"{path}/__init__.py"):
            full = posixpath.join(root, rel) if root else rel
            if ws.exists(full):
                return full, root
    return None


def _holds_folder(ws: Workspace, rel: str) -> bool:
    """Whether the folder ``rel`` may hold files of the repository: a folder of a walked file (or of stdin's
    named file), else a folder on disk (:func:`is_dir`).  A dotted module's two candidate files
    (``a/b.py``, ``a/b/__init__.py``) lie in its top package's folder: where there is none, neither is asked
    about (the Django tree's module lookups asked 22,900 file questions, 16,500 of them under a top package
    absent from the root they were asked in; 4,800 folder questions stand for those)."""
    return rel in _walked_folders(ws) or is_dir(ws, rel)


def _walked_folders(ws: Workspace) -> set[str]:
    """Every folder above a walked file or source of the run, by repo path: built once a run."""
    def build() -> set[str]:
        folders: set[str] = set()
        for rel in (*ws.sources, *ws.others):
            folder = posixpath.dirname(rel)
            while folder and folder not in folders:
                folders.add(folder)
                folder = posixpath.dirname(folder)
        return folders
    return ws.memo(("walked-folders",), build)


def unit_roots(roots: list[str], holder: str) -> list[str]:
    """The source roots of one deployment unit: ``holder`` (the root its app's entry module was found under,
    the consumer's working directory) and the candidates inside it, in their order.

    A consumer imports from its working directory (and installed packages), never from the folders above
    it: a launch whose app lives in ``services/x`` must not resolve ``import django`` to a ``django/``
    package at the repository root (a vendored framework, another service's code).  The root stays a
    source root only for a unit whose app is found there (``holder`` ""), and then every candidate does."""
    if not holder:
        return list(roots)
    inside = [root for root in roots if root == holder or root.startswith(f"{holder}/")]
    return inside if holder in inside else [holder, *inside]


def holder_of(rel: str, roots: list[str]) -> str:
    """The first of ``roots`` that holds the repo file ``rel`` ("" when none does: the repository root)."""
    return next((root for root in roots if not root or rel.startswith(f"{root}/")), "")


_MODULE_PATH = lazy_pattern(r"[\w-]+(\.[\w-]+)*")


def top_level_present(ws: Workspace, module: str, roots: list[str]) -> bool:
    """True when the repo holds the first component of ``module`` (a package folder or module file)."""
    top = module.split(".", 1)[0]
    for root in roots:
        base = posixpath.join(root, top) if root else top
        if is_dir(ws, base) or ws.exists(f"{base}.py"):
            return True
    return False


def module_for_rel(rel: str, roots: list[str]) -> str:
    """Dotted module name of a repo file seen from the first matching source root."""
    for root in sorted(roots, key=len, reverse=True):
        prefix = f"{root}/" if root else ""
        if rel.startswith(prefix):
            stem = rel[len(prefix):-3] if rel.endswith(".py") else rel[len(prefix):]
            parts = stem.split("/")
            if parts[-1] == "__init__":
                parts.pop()
            return ".".join(parts)
    return rel


@dataclass(frozen=True)
class AppPath:
    """``my_app.huey`` split the way huey splits it."""

    module: str
    attr: str


def split_app_path(text: str) -> AppPath | None:
    if "." not in text or ":" in text:
        return None
    module, attr = text.rsplit(".", 1)
    return AppPath(module, attr) if module and attr else None


_BINDING = r"(?m)^(?:[ \t]*(?:{name}\s*(?::[^=\n]+)?=(?!=)|(?:async\s+)?def\s+{name}\b|class\s+{name}\b)" \
           r"|.*\bimport\b.*\b{name}\b|.*\b{name}\s*,.*=|.*,\s*{name}\s*=)"


def binds_name(text: str, name: str, getattr_binds: bool = True) -> bool | None:
    """Whether module source binds ``name`` at all: True/False, None when it cannot be told.

    Deliberately generous (any assignment, def, class or import mentioning the name counts):
    HL003 must only fire when the attribute is certainly absent.  A module binds names it does not spell
    through a star import, a module ``__getattr__``, ``globals()``/``vars()``, or ``setattr`` on itself
    (``sys.modules[__name__]``): not told.  ``setattr(obj, ...)`` on a plain name sets an object's attribute.
    ``getattr_binds=False``: a module ``__getattr__`` is not asked (Django reads settings from ``dir(module)``,
    which lists only what the module binds when it has no ``__dir__``: :func:`module_getattr`).
    """
    if re.search(r"\bimport\s+\*|globals\(\)|\bvars\(\s*\)|\bsys\.modules\b"
                 r"|\bsetattr\(\s*(?![\w.]+\s*,)", text) or (getattr_binds and module_getattr(text) is not None):
        return None
    # a statement continued on the next lines (a backslash, or an import's parentheses) is one line to Python
    joined = _PARENTHESIZED_IMPORT.sub(lambda m: " ".join(m.group(0).split()), text.replace("\\\n", " "))
    if re.search(_BINDING.format(name=re.escape(name)), joined) is not None:
        return True
    return _binds_in_tree(text, name)


def _binds_in_tree(text: str, name: str) -> bool:
    """Whether Python's parser finds ``name`` bound anywhere in ``text`` (every binding form: a ``with ... as``,
    ``for`` or ``except ... as`` target, ``:=``, an import list whose comment holds parentheses, a ``case``
    capture): what the line test of :func:`binds_name` cannot see.  A module ``ast`` refuses binds nothing
    it can tell (HL001 says why)."""
    from hueylint.pyapp.excepts import module_or_none

    tree = module_or_none(text) if name in text else None
    for node in ast.walk(tree) if tree is not None else ():
        bound: list[str | None]
        if isinstance(node, ast.Name):
            bound = [node.id] if isinstance(node.ctx, ast.Store) else []
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler,
                               ast.MatchAs, ast.MatchStar)):
            bound = [node.name]
        elif isinstance(node, ast.MatchMapping):
            bound = [node.rest]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound = [alias.asname or alias.name.partition(".")[0] for alias in node.names]
        elif isinstance(node, ast.Global):
            bound = list(node.names)
        else:
            continue
        if name in bound:
            return True
    return False


#: ``from pkg import (a,\n    b,\n)``: the names of an import written over several lines in parentheses
_PARENTHESIZED_IMPORT = lazy_pattern(r"\bimport[ \t]*\([^()]*\)")


_STAR_IMPORT = lazy_pattern(r"(?m)^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+\*[ \t]*(?:#.*)?$")
_ALL = lazy_pattern(r"(?m)^__all__\b")
_ALL_LITERAL = lazy_pattern(r"(?m)^__all__[ \t]*=[ \t]*[\[(]([^\])]*)[\])][ \t]*(?:#.*)?$")


def star_imports(text: str) -> tuple[list[str], str]:
    """The modules a source star-imports, as written (``pkg.views``, ``.models``, ``.``), and the source
    without those lines (for :func:`binds_name`, which cannot tell what a star import binds)."""
    return _STAR_IMPORT.findall(text), _STAR_IMPORT.sub("", text)


#: a module-level ``__getattr__``/``__dir__`` (PEP 562), defined or assigned at column 0 (for a module Python's
#: parser refuses; :func:`module_binding` reads the others)
_MODULE_GETATTR = lazy_pattern(r"(?m)^(?:(?:async[ \t]+)?def[ \t]+__getattr__[ \t]*\(|__getattr__[ \t]*=(?!=))")
_MODULE_DIR = lazy_pattern(r"(?m)^(?:(?:async[ \t]+)?def[ \t]+__dir__[ \t]*\(|__dir__[ \t]*=(?!=))")


def module_getattr(text: str) -> tuple[int, bool] | None:
    """A module ``__getattr__`` (PEP 562): (its line, whether the module also defines ``__dir__``); None when it
    has none.  Django reads a settings module's names from ``dir(module)`` (``django/conf/__init__.py``,
    ``Settings.__init__``: ``for setting in dir(mod): if setting.isupper(): ... getattr(mod, setting)``), so the
    ``__getattr__`` gives Django a setting only when ``__dir__`` lists it: without ``__dir__``, ``dir()`` lists
    the names the module binds and nothing more."""
    from hueylint.pyapp.excepts import module_or_none

    if "__getattr__" not in text:
        return None
    tree = module_or_none(text)
    if tree is not None:
        line = module_binding(tree, "__getattr__")
        return (line, module_binding(tree, "__dir__") is not None) if line is not None else None
    found = _MODULE_GETATTR.search(text)
    if found is None:
        return None
    return text.count("\n", 0, found.start()) + 1, _MODULE_DIR.search(text) is not None


def module_binding(tree: ast.Module, name: str) -> int | None:
    """The line of the first statement binding ``name`` in the module's own namespace: a ``def``, a class, an
    assignment or an import at its top level or inside an ``if``/``try``/``with``/``for``/``while``/``match`` there
    (``if sys.version_info >= (3, 7): def __getattr__(name): ...``), never in a class or function body (a class's
    ``def __getattr__(self, name)`` is no module ``__getattr__``); None when none does."""
    stack: list[ast.AST] = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == name:
                return node.lineno
            continue
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        if any(isinstance(part, ast.Name) and part.id == name for target in targets for part in ast.walk(target)):
            return getattr(node, "lineno", None)
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                (alias.asname or alias.name.partition(".")[0]) == name for alias in node.names):
            return node.lineno
        inner: list[ast.AST] = []
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(node, field, None) or []:
                inner += child.body if isinstance(child, (ast.ExceptHandler, ast.match_case)) else [child]
        stack += reversed(inner)
    return None


def may_bind_settings(text: str) -> bool:
    """Does a settings module's text name ``INSTALLED_APPS``, or ``exec``, ``globals``, ``setattr``, ``vars`` or
    ``__dict__`` (ways Python code can bind a setting without naming it)?"""
    return _BINDS_SETTINGS.search(text) is not None


_BINDS_SETTINGS = lazy_pattern(r"INSTALLED_APPS|\bexec\b|\bglobals\b|\bsetattr\b|\bvars\b|__dict__")


def _test_probe(node: ast.AST) -> bool | None:
    """True for a test that holds only under a test runner (``'test' in sys.argv``, ``sys.argv[1] == 'test'``,
    ``'pytest' in sys.modules``, ``'PYTEST_CURRENT_TEST' in os.environ``), False for its negation, None for any
    other test; an ``and`` with such a test holds only under a test runner too."""
    from hueylint.pyapp.values import TEST_ARGV, TEST_ENV, TEST_MODULES

    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return True if any(_test_probe(value) is True for value in node.values) else None
    if not isinstance(node, ast.Compare) or len(node.ops) != 1:
        return None
    op, left, right = node.ops[0], node.left, node.comparators[0]
    if isinstance(op, (ast.In, ast.NotIn)) and isinstance(left, ast.Constant) and isinstance(left.value, str):
        where = ast.unparse(right)
        if (where == "sys.argv" and left.value in TEST_ARGV) or (where == "sys.modules" and left.value in
                                                                  TEST_MODULES) or \
                (where in ("os.environ", "environ") and left.value in TEST_ENV):
            return isinstance(op, ast.In)
    if isinstance(op, (ast.Eq, ast.NotEq)):
        for item, other in ((left, right), (right, left)):
            words = other.elts if isinstance(other, (ast.List, ast.Tuple)) else [other]
            if isinstance(item, ast.Subscript) and ast.unparse(item.value) == "sys.argv" and len(words) == 1 and \
                    isinstance(words[0], ast.Constant) and words[0].value in TEST_ARGV:
                return isinstance(op, ast.Eq)
    return None


def runner_only_lines(text: str) -> list[int]:
    """The lines of module-level ``if`` branches that run only under a test runner (``if len(sys.argv) > 1 and
    sys.argv[1] == 'test': from .test import *``, the ``else`` of ``if 'test' not in sys.argv``): a consumer's
    process (``manage.py run_huey``) never runs them.  Empty when the text does not parse."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found: set[int] = set()

    def walk(body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.If):
                probe = _test_probe(stmt.test)
                branch = stmt.body if probe is True else stmt.orelse if probe is False else None
                for inner in branch or []:
                    found.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
                walk(stmt.orelse if probe is True else stmt.body if probe is False else [*stmt.body, *stmt.orelse])
            elif isinstance(stmt, ast.Try):
                walk([*stmt.body, *stmt.orelse, *stmt.finalbody, *(h for handler in stmt.handlers
                                                                    for h in handler.body)])

    walk(tree.body)
    return sorted(found)


def star_import_lines(text: str) -> list[tuple[int, str]]:
    """(line, module as written) of each ``from X import *`` statement that starts a line of ``text``, in
    source order."""
    return [(position(text, match.start())[0], match.group(1)) for match in _STAR_IMPORT_LINE.finditer(text)]


_STAR_IMPORT_LINE = lazy_pattern(r"(?m)^[ \t]*from\s+(\S+)\s+import\s+\*")  # the line of `from`, not a blank one above


def star_exports(text: str, name: str) -> bool | None:
    """Whether ``from module import *`` binds ``name`` by the module's ``__all__`` (Python's import
    statement: with ``__all__``, exactly its names; without, every global not starting with ``_``):
    True/False from a literal ``__all__``, False for a private name without one, None when the module's
    own globals decide (no ``__all__``) or its ``__all__`` is built by code."""
    if not _ALL.search(text):
        return False if name.startswith("_") else None
    literal = _ALL_LITERAL.findall(text)
    if len(literal) != 1 or len(_ALL.findall(text)) != 1:
        return None  # `__all__ += [...]`, `__all__ = base.__all__ + [...]`
    return re.search(rf"""(["']){re.escape(name)}\1""", literal[0]) is not None
