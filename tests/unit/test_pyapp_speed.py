"""The fast paths of the Python app layer give what the slow ones gave: the import scan, the byte gate,
memoised probes and closures walked once."""

from __future__ import annotations

import ast
import re
import subprocess
import time
from pathlib import Path

import pytest

from hueylint.config import Settings
from hueylint.engine import Options, build_project
from hueylint.pyapp import extract as extract_module
from hueylint.pyapp import imports
from hueylint.pyapp.extract import extract, might_matter
from hueylint.sources import SourceFile
from tests.helpers import lint, write_tree

_MODULE = '''\
import os, os.path
import a.b.c as abc
import x.y
from . import sibling
from .. import parent as p
from .pkg.mod import thing, other as o
from ...deep import *
from plain import *
if TYPE_CHECKING:
    from typing_only import T
def f():
    import inner.mod
    from .late import later
    import os  # rebinding in a function: the later binding wins, as in the extractor
class K:
    from cls_level import attr
'''


def test_import_scan_matches_the_extractor() -> None:
    src = SourceFile(Path("app/views.py"), "app/views.py", _MODULE)
    full = extract(src)
    scanned = imports.scan(src, full.module, full.is_settings)
    assert scanned is not None
    assert scanned.imports == full.imports
    assert scanned.star_imports == full.star_imports
    assert (scanned.rel, scanned.module, scanned.is_settings) == (full.rel, full.module, full.is_settings)
    assert scanned.empty


@pytest.mark.parametrize("text, holds", [
    ("from .models import Shop\n", False),
    ("from app.q import q\n@q.db_task()\ndef f(): pass\n", True),
    ("from app.q import q\n@q.on_commit_task()\ndef f(): pass\n", True),
    ("from gevent import monkey\nmonkey.patch_all()\n", True),
    ("INSTALLED_APPS = []\nMY_APPS = []\n", True),
    ("from huey import RedisHuey\nhuey = RedisHuey()\n", True),
    ("from app.q import huey\nhuey.immediate = True\n", True),
    ("from django.core.management import call_command\ncall_command('run_huey')\n", True),
    # words that a closure module used to be fully extracted for, which hold no fact without a huey marker
    ("from app.q import q\nq.immediate = True\n", False),
    ("from app.q import q\n@q.signal()\ndef g(*a): pass\n", False),
    # a task decorator on an imported receiver is a candidate the linker keeps when `q` is a Huey instance
    ("from app.q import q\n@q.task()\ndef f(): pass\n@q.signal()\ndef g(*a): pass\n", True),
    ("from django.db import models\nfrom unittest.mock import patch\nimport signal, threading\n"
     "LOCK = threading.Lock()\nclass Task(models.Model):\n    consumer = models.TextField()\n", False),
    ("from .tasks import send\nsend(1)\n", False),
])
def test_fact_words(text: str, holds: bool) -> None:
    """The full extractor runs on a module reached only through imports exactly when it can find a fact there:
    a module left to the import scan holds none (its full facts are empty)."""
    assert imports.may_hold_facts(text, "app/views.py") is holds
    assert holds or extract(SourceFile(Path("app/views.py"), "app/views.py", text)).empty


_OLD_GATE = re.compile(
    rb"(?i:huey)|lock_task|gevent|SIGNAL_INTERRUPTED|create_consumer"
    rb"|setdefault\(\s*[rRuU]?[\"']DJANGO_SETTINGS_MODULE|DJANGO_SETTINGS_MODULE[\"']\s*\]\s*=(?!=)"
    rb"|=\s*[rRuU]?[\"']DJANGO_SETTINGS_MODULE"
    rb"|from\s+[\w.]*tasks\s+import|import\s+[\w.]*tasks\b")


@pytest.mark.parametrize("data", [
    b"", b"import os", b"hUeY", b"x = RedisHuey()", b"HUEY = {}", b"from app.tasks import send", b"from .tasks import x",
    b"import tasks", b"import app.tasks as t", b"import mytasks", b"tasks = 1\nimport os", b"the tasks import",
    b"from x import tasks_helper", b"gevent", b"SIGNAL_INTERRUPTED", b"signal_interrupted", b"Call_command",
    b"call_command('migrate')", b"os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'a.settings')",
    b"os.environ['DJANGO_SETTINGS_MODULE'] = 'a.settings'", b"KEY = 'DJANGO_SETTINGS_MODULE'",
    b"os.environ.get('DJANGO_SETTINGS_MODULE')", b"os.environ['DJANGO_SETTINGS_MODULE'] == 'x'",
])
def test_byte_gate_is_the_regex_it_replaced(data: bytes) -> None:
    assert might_matter(data, "pkg/mod.py") is (_OLD_GATE.search(data) is not None)


@pytest.mark.parametrize("text", [
    "from django.core.management import call_command\ncall_command('migrate')\ncall_command(NAME, verbosity=0)\n",
    "import os\nSETTINGS = __import__(os.environ.get('DJANGO_SETTINGS_MODULE'))\n"
    "if os.environ['DJANGO_SETTINGS_MODULE'] == 'x.settings':\n    pass\n",
])
def test_modules_the_gate_skips_hold_no_fact(text: str) -> None:
    """``call_command`` of another command and a read of ``DJANGO_SETTINGS_MODULE`` are no markers: the
    extractor finds nothing in such a module."""
    assert not might_matter(text.encode(), "app/views.py")
    assert extract(SourceFile(Path("app/views.py"), "app/views.py", text)).empty


@pytest.mark.parametrize("text", [
    'os.environ.setdefault ("DJANGO_SETTINGS_MODULE", "a.settings")\n',  # a space before the parenthesis
    'os.environ.setdefault(\n    # production\n    "DJANGO_SETTINGS_MODULE", "a.settings")\n',
    'os.environ.setdefault(f"DJANGO_SETTINGS_MODULE", "a.settings")\n',
    'os.environ.setdefault("""DJANGO_SETTINGS_MODULE""", "a.settings")\n',
    'KEY = ("DJANGO_SETTINGS_MODULE")\nos.environ.setdefault(KEY, "a.settings")\n',
    'KEY = f"DJANGO_SETTINGS_MODULE"\nos.environ[KEY] = "a.settings"\n',
    'os.environ["DJANGO_SETTINGS_MODULE"  # production\n] = "a.settings"\n',
    'os.environ["DJANGO_SETTINGS_MODULE"] \\\n    = "a.settings"\n',
    'os.environ["DJANGO_SETTINGS_MODULE"]: str = "a.settings"\n',
    'os.environ[("DJANGO_SETTINGS_MODULE")] = "a.settings"\n',
])
def test_the_gate_keeps_every_spelling_of_setting_the_settings_module(text: str) -> None:
    """Python's tokenizer skips spaces, comments and continuations between tokens and reads the key in any str
    literal: a wsgi.py the extractor finds the settings module in passes the byte gate."""
    from hueylint.pyapp_gate import caller_only

    text = "import os\n" + text
    found = extract(SourceFile(Path("app/wsgi.py"), "app/wsgi.py", text)).django_settings_modules
    assert [val.value for val in found] == ["a.settings"]
    assert might_matter(text.encode(), "app/wsgi.py") and not caller_only(text, "app/wsgi.py")


@pytest.mark.parametrize("data", [
    b"os.environ.setdefault(" + b"#" * 30000 + b"x) # DJANGO_SETTINGS_MODULE",  # one way to read a gap
    b"x = os.environ['DJANGO_SETTINGS_MODULE'" + b" #" * 30000,
    b"os.environ['DJANGO_SETTINGS_MODULE'" + b"\\\n" * 30000 + b"x",
    b"= (" * 30000 + b"x = os.environ.get('DJANGO_SETTINGS_MODULE')",
])
def test_the_settings_key_gate_is_linear(data: bytes) -> None:
    started = time.perf_counter()
    assert not might_matter(data, "pkg/mod.py")
    assert time.perf_counter() - started < 0.5


_SERVICE = """[Service]
User=app
WorkingDirectory=/srv/app
ExecStart=/srv/app/venv/bin/huey_consumer app.queue.huey -w 2
ExecReload=/bin/kill -HUP $MAINPID
TimeoutStopSec=60
Restart=always
"""


def _app_tree(root: Path, returns: bool) -> None:
    body = "    return 1\n" if returns else "    print(x)\n"
    write_tree(root, {
        "huey.service": _SERVICE,
        "app/__init__.py": "",
        "app/queue.py": "from huey import RedisHuey\nhuey = RedisHuey('app', host='redis')\nfrom app import tasks\n",
        "app/tasks.py": f"from app.queue import huey\n\n@huey.task()\ndef send(x):\n{body}",
        "app/views.py": "from app.tasks import send\n\ndef view(request):\n    send(request)\n",
    })
    subprocess.run(["git", "init", "-q", str(root)], check=True)


@pytest.mark.parametrize("returns", [True, False])
def test_call_site_files_are_parsed_only_when_a_task_returns_a_value(tmp_path: Path, returns: bool) -> None:
    _app_tree(tmp_path, returns)
    ws, project, _ = build_project([tmp_path], Settings(root=tmp_path.resolve()), Options(cache=False))
    assert project.repo is not None
    assert ("app/views.py" in project.repo.modules) is returns
    found = [(f.rule, f.loc.path, f.loc.line) for f in lint(tmp_path).findings if f.rule == "HL404"]
    assert found == ([("HL404", "app/tasks.py", 5)] if returns else [])


def test_closure_only_modules_are_scanned_not_extracted(tmp_path: Path) -> None:
    _app_tree(tmp_path, False)
    write_tree(tmp_path, {"app/queue.py": "from huey import RedisHuey\nhuey = RedisHuey('app', host='redis')\n"
                                          "from app import helpers\n",
                          "app/helpers.py": "from app import util\n", "app/util.py": "X = 1\n"})
    _ws, project, _ = build_project([tmp_path], Settings(root=tmp_path.resolve()), Options(cache=False))
    app = project.apps[0]
    assert sorted(app.modules) == ["app/helpers.py", "app/queue.py", "app/util.py"]
    assert app.modules["app/helpers.py"].imports == {"util": "app.util"}



def test_a_warm_run_reads_no_closure_module_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The import scan of a closure module is cached like full facts, and so is ast's refusal of a module
    (Python 3.14's `except A, B:` before 3.14: the full extraction's cached facts are then used without
    trying ast again), and the syntax check of a file kept only for its task calls (`app/views.py`)."""
    root = tmp_path / "repo"
    _app_tree(root, False)
    write_tree(root, {"app/queue.py": "from huey import RedisHuey\nhuey = RedisHuey('app', host='redis')\n"
                                      "from app import helpers, broken\n",
                      "app/helpers.py": "from app import util\n", "app/util.py": "X = 1\n",
                      "app/broken.py": "from app import util\ntry:\n    pass\nexcept ValueError, TypeError:\n    pass\n"})
    options = {"cache": True, "cache_dir": str(tmp_path / "cache")}

    def modules() -> dict[str, dict[str, str]]:
        _ws, project, _ = build_project([root], Settings(root=root.resolve()), Options(**options))  # type: ignore[arg-type]
        app = project.apps[0]
        return {rel: facts.imports for rel, facts in sorted(app.modules.items())}

    cold = modules()
    assert sorted(cold) == ["app/broken.py", "app/helpers.py", "app/queue.py", "app/util.py"]

    def never(*args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(imports, "scan", never)
    monkeypatch.setattr(extract_module, "extract", never)
    monkeypatch.setattr(ast, "parse", never)
    assert modules() == cold
@pytest.mark.parametrize("text, rel, only", [
    ("from core.tasks import create_task\ncreate_task(x=1)\n", "core/views.py", True),  # a task named *_task
    ("from core.tasks import send\n# runs on huey\n", "core/views.py", False),
    ("from app.q import q\n@q.db_task()\ndef f(): pass\nfrom app.tasks import g\n", "app/jobs.py", False),
    ("from app.tasks import g\nMY_APPS = ['x']\n", "app/apps.py", False),
    ("from app.tasks import g\ncall_command('x')\n", "app/cmd.py", True),  # no consumer command: no fact
    ("from app.tasks import g\ncall_command('run_huey')\n", "app/cmd.py", False),
    ("from app.tasks import g\nm = os.environ.get('DJANGO_SETTINGS_MODULE')\n", "app/views.py", True),
    ("from app.tasks import g\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x')\n", "app/wsgi.py", False),
    ("from app.tasks import g\n", "mysite/settings/base.py", False),
])
def test_caller_only(text: str, rel: str, only: bool) -> None:
    from hueylint.pyapp_gate import caller_only

    assert caller_only(text, rel) is only


@pytest.mark.parametrize("text, named", [
    ("x.db_task()", True), ("@huey.db_periodic_task(crontab())", True), ("lock_task('k')", True),
    ("create_db_task()", False), ("db_task_x", False), ("xdb_task", False), ("INSTALLED_APPS = []", True),
    ("LOCAL_APPS", True), ("A_APPS", True), ("_APPS", False), ("9_APPS", False), ("My_APPS", False),
    ("MY_APPS_X", False), ("MY_APPS_X_APPS", True), ("éA_APPS", False), ("é.A_APPS", True), ("A_APPSé", False),
    ("on_commit_task\n", True), ("context_task", True),
])
def test_fact_names_are_whole_words(text: str, named: bool) -> None:
    from hueylint.pyapp_gate import names_a_fact

    assert names_a_fact(text) is named


def test_fact_names_read_as_the_word_regex_did() -> None:
    """The scan for fact names answers as the alternation regex it replaced (kept here as the reference) on
    texts built from the pieces where the two could differ: word edges in any script, runs of capitals."""
    import random

    from hueylint.pyapp_gate import names_a_fact

    reference = re.compile(r"\b(?:db_task|db_periodic_task|on_commit_task|context_task|lock_task"
                           r"|INSTALLED_APPS|[A-Z][A-Z0-9_]*_APPS)\b")
    pieces = ["_task", "_APPS", "db", "db_", "periodic", "on_commit", "context", "lock", "INSTALLED", "A", "Z",
              "9", "_", " ", ".", "\u00e9", "\u00c9", "x", "\n", "(", "\u01c5", "\u0663", "APPS", "task", "X_"]
    chosen = random.Random(14)
    for _ in range(50_000):
        text = "".join(chosen.choice(pieces) for _ in range(chosen.randint(0, 8)))
        assert names_a_fact(text) is (reference.search(text) is not None), text


def test_many_modules_are_parsed_in_counted_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Thousands of huey modules (10,000 take tens of seconds to parse) are parsed in batches, each counted
    on the status line; the facts are the same as from one batch."""
    from hueylint.pyapp import link

    files = {f"jobs/job{n}.py": f"from jobs.queue import huey\n\n@huey.task()\ndef job{n}():\n    pass\n"
             for n in range(5)}
    files["jobs/queue.py"] = "from huey import RedisHuey\nhuey = RedisHuey('jobs')\n"
    write_tree(tmp_path, files)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shown: list[str] = []
    monkeypatch.setattr(link, "_PARSE_BATCH", 2)
    _ws, project, _ = build_project([tmp_path], Settings(root=tmp_path.resolve()),
                                    Options(cache=False, progress=shown.append))
    assert [text for text in shown if "modules parsed" in text] == [
        "reading the Python app: 0 of 6 modules parsed...", "reading the Python app: 2 of 6 modules parsed...",
        "reading the Python app: 4 of 6 modules parsed..."]
    assert sorted(project.repo.modules) == sorted(files)
    assert sum(len(facts.tasks) for facts in project.repo.modules.values()) == 5


@pytest.mark.parametrize("text, imports_found", [
    ("import a\ntry:\n    import b\nexcept ValueError, TypeError:\n    pass\n", {"a": "a", "b": "b"}),
    ("try:\n    from . import c\nexcept* (A, B), C:  # bracketed inside\n    pass\n", {"c": ".c"}),
    ("\x0cimport d\ntry:\n\tpass\nexcept A,\\\n  B:\n\tpass\n", {"d": "d"}),
    ("import e\r\ntry:\r\n    pass\r\nexcept A, \\\r\n  B:\r\n    pass\r\n", {"e": "e"}),  # CRLF after a backslash
    # syntax errors outside the import statements: the scan reads only those
    ("import f\ntry:\n    pass\nexcept A, B as e:\n    pass\n", {"f": "f"}),
    ("import g\ndef h(:\n    pass\n", {"g": "g"}),
])
def test_import_scan_reads_only_the_import_statements(text: str, imports_found: dict[str, str]) -> None:
    """The scan parses the import statements alone: a module with syntax no ``ast`` of this Python reads
    (PEP 758's `except A, B:`, an error in a function) elsewhere gives its imports, as written."""
    scanned = imports.scan(SourceFile(Path("m.py"), "m.py", text), "m", False)
    assert scanned is not None and scanned.imports == imports_found


@pytest.mark.parametrize("text", [
    "from a import (b,\n",  # an unclosed bracket
    "import a.\n",
    "import ok\nfrom . import\n",
    "from x import y z\n",
])
def test_import_scan_leaves_an_import_syntax_error_to_the_extractor(text: str) -> None:
    """An import statement ``ast`` refuses: None, and the full extractor reports HL001 for the module."""
    assert imports.scan(SourceFile(Path("m.py"), "m.py", text), "m", False) is None


@pytest.mark.parametrize("text, imports_found", [
    # words in strings and comments are not statements
    ('"""Usage:\nimport nothing\nfrom here import nothing\n"""\nimport real\n', {"real": "real"}),
    ("x = '''\nimport no\n'''  # from no import x\nimport yes\n", {"yes": "yes"}),
    ('s = "a \\\nimport no"\nt = "note: import no; from no import x"\nimport yes\n', {"yes": "yes"}),
    ("# a comment: import no\n#import no\nimport yes\n", {"yes": "yes"}),
    ('s = "\\"\"\"" ; import yes\n', {"yes": "yes"}),  # an escaped quote does not open a long string
    ("r = rb'\\''; import yes\n", {"yes": "yes"}),
    # statements after `;` and a header's `:`, at any depth, continued over lines
    ("import a; import b as c\n", {"a": "a", "c": "b"}),
    ("try: import ujson as json\nexcept ImportError: import json\n", {"json": "json"}),
    ("if TYPE_CHECKING: from typing import (\n    Any,  # a comment\n    List as L,\n)\n",
     {"Any": "typing.Any", "L": "typing.List"}),
    ("def f():\n    from .m import \\\n        x\n    return x\n", {"x": ".m.x"}),
    ("from.models import Shop\nfrom . import(a)\n", {"Shop": ".models.Shop", "a": ".a"}),
    ("class K:\n\timport os.path\n", {"os": "os", "os.path": "os.path"}),
    ("import a\rimport b\r", {"a": "a", "b": "b"}),
    # a backslash continues a line: the next line's `import` / `from` belongs to the statement before
    ("from a.b \\\n    import c\nimport d\n", {"c": "a.b.c", "d": "d"}),
    ("def g():\n    yield \\\n        from x\n    raise E \\\n        from exc\n", {}),
    ("x = 1  # a comment's backslash continues nothing \\\nimport y\n", {"y": "y"}),  # old Mac line ends are line ends to Python too
    ("x = 1\n", {}),
    ("", {}),
])
def test_import_scan_finds_statements_as_python_does(text: str, imports_found: dict[str, str]) -> None:
    """Every import statement Python's grammar allows, and none of the words that only look like one; the
    same bindings as the full extractor reads where ``ast`` parses the module."""
    scanned = imports.scan(SourceFile(Path("m.py"), "m.py", text), "m", False)
    assert scanned is not None and scanned.imports == imports_found
    assert extract(SourceFile(Path("m.py"), "m.py", text)).imports == imports_found


@pytest.mark.parametrize("text, imports_found", [
    ("x = 'open\nimport a\n", {"a": "a"}),  # an unterminated short string ends at its line
    ('x = "open\\\r\nstill open"\r\nimport a\r\n', {"a": "a"}),  # a backslash continues it over CRLF
    ("import a\nx = '''open to the end\nimport no\n", {"a": "a"}),  # an unterminated long one at the end
    ("import a\nx = 'ends in a backslash\\", {"a": "a"}),
])
def test_import_scan_reads_unterminated_strings_as_the_tokenizer(text: str, imports_found: dict[str, str]) -> None:
    scanned = imports.scan(SourceFile(Path("m.py"), "m.py", text), "m", False)
    assert scanned is not None and scanned.imports == imports_found


@pytest.mark.parametrize("text", [
    "\\'''\nimport os\n" * 20000,  # each `'''` escaped: no long string ever closes (85 s before)
    '"""' + '\\"' * 150000 + "\nimport os\n",  # a line of escaped quotes after an open long string
    "x = 1\n" + '\\"' * 150000 + "\nimport os\n",  # each quote of a line opens a string never closed
])
def test_import_scan_of_hostile_text_is_linear(text: str) -> None:
    """A string left open (a syntax error) runs to its line's or the text's end: no quote of a hostile
    module starts a search to the end of the text that fails (quadratic: minutes for 300 KB)."""
    started = time.perf_counter()
    imports.import_statements(text)
    assert time.perf_counter() - started < 2.0


def test_management_commands_are_listed_once_for_every_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Launches running three management commands (the field fixture): the tree's command files are listed by
    one glob, each command picked by its exact name (a file whose name differs in case is another command)."""
    from hueylint import workspace
    from tests.helpers import lint_fixture, triples

    globs: list[str] = []
    real = workspace.probe

    def probe(root, gitignored, kind, arg, listings=None):  # type: ignore[no-untyped-def]
        if kind == "glob":
            globs.append(arg)
        return real(root, gitignored, kind, arg, listings)

    monkeypatch.setattr(workspace, "probe", probe)
    root, before = lint_fixture("field-management-command-consumer", tmp_path / "a")
    assert globs == ["**/management/commands/*.py"]
    assert {("HL101", "deploy/worker.conf", 8), ("HL102", "deploy/worker.conf", 8)} <= set(triples(before))
    (root / "shop/management/commands/Run_fast_queue.py").write_text("")  # not `run_fast_queue`
    assert triples(lint(root)) == triples(before)


@pytest.mark.parametrize("reads", [True, False])
def test_call_sites_in_modules_the_byte_gate_skips_are_read_when_they_name_a_task(tmp_path: Path, reads: bool) -> None:
    """A module that calls a task imported from a module not named `tasks` (`from app.jobs import send`) mentions
    no huey name: the byte gate skips it. Its call sites count for HL404 all the same: one that reads the Result
    (`send(r).get()`) keeps the rule silent, one that drops it is named. Only a skipped module whose bytes hold a
    task's name is parsed (`app/other.py` is not)."""
    write_tree(tmp_path, {
        "huey.service": _SERVICE,
        "app/__init__.py": "",
        "app/queue.py": "from huey import RedisHuey\nhuey = RedisHuey('app', host='redis')\nfrom app import jobs\n",
        "app/jobs.py": "from app.queue import huey\n\n@huey.task()\ndef send(x):\n    return 1\n\n\n"
                       "def kick():\n    send(0)\n",
        "app/views.py": "from app.jobs import send\n\n\ndef view(request):\n"
                        + ("    return send(request).get()\n" if reads else "    send(request)\n"),
        "app/other.py": "import os\n\n\ndef helper():\n    return os.getcwd()\n",
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    ws, project, _ = build_project([tmp_path], Settings(root=tmp_path.resolve()), Options(cache=False))
    assert project.repo is not None
    assert "app/views.py" in project.repo.modules and "app/other.py" not in project.repo.modules
    found = [(f.rule, f.loc.path, f.loc.line, [r.loc.path for r in f.related])
             for f in lint(tmp_path).findings if f.rule == "HL404"]
    assert found == ([] if reads else [("HL404", "app/jobs.py", 5, ["app/jobs.py", "app/views.py"])])


def test_left_out_modules_are_searched_for_task_calls_only_under_the_tasks_import_root(tmp_path: Path,
                                                                                        monkeypatch) -> None:
    """Python finds `app.jobs` only from a folder holding `app/`: a task of `services/shop/app/jobs.py` is called
    by modules under `services/shop/`, so a vendored framework's modules elsewhere (the Django tree's 2,700) are
    not read for it, even when their bytes hold the same words."""
    from hueylint.pyapp import link

    write_tree(tmp_path, {
        "services/shop/huey.service": _SERVICE.replace("app.queue.huey", "app.queue.huey"),
        "services/shop/app/__init__.py": "",
        "services/shop/app/queue.py": "from huey import RedisHuey\nhuey = RedisHuey('app', host='redis')\n"
                                      "from app import jobs\n",
        "services/shop/app/jobs.py": "from app.queue import huey\n\n@huey.task()\ndef send(x):\n    return 1\n",
        "services/shop/app/views.py": "from app.jobs import send\n\n\ndef view(request):\n    send(request)\n",
        "vendor/lib/jobs_api.py": "from lib.jobs import send\n\n\ndef view(request):\n    send(request)\n",
    })
    read: list[str] = []
    real = link.pyapp_gate.may_call
    monkeypatch.setattr(link.pyapp_gate, "may_call", lambda data, needles: read.append(data.decode()) or real(data, needles))
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    _ws, project, _ = build_project([tmp_path], Settings(root=tmp_path.resolve()), Options(cache=False))
    assert project.repo is not None and "services/shop/app/views.py" in project.repo.modules
    assert not any("lib.jobs" in text for text in read)
