"""The run cache's early cutoff (hueylint.python_edits): after an edit of a Python module, a run with the cache
prints exactly what a run without it prints, replayed only when nothing the stored run took from the module
changed.

The differential tests edit a Python module of every fixture project (one module and one edit a project,
both in turn; ``HUEYLINT_EDITS_ALL=1`` tries every kind on every module: 5,211 edits, all equal when this was
written, nine kinds then; ``HUEYLINT_EDITS_ALL=import,import-first`` those kinds only: 1,632 edits, all equal when
they were added; ``comment,function,marker,import,middle``: 4,130 edits, each alone and with a
second on top, all equal once a module read on demand was judged by its readings) and compare the text output, code frames
included, of a run with the cache against a ``--no-cache`` run of the same tree.  Runs are in-process
(``cli.main``); a run is replayed when the platform builders were not called.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hueylint import cli, python_edits, runcache
from tests.helpers import PROJECTS, copy_project, count_builds, git_init, write_tree
from tests.helpers import UNIT_SERVICE as UNIT


def _comment(text: str) -> str:
    return text + ("" if text.endswith("\n") or not text else "\n") + "# edited: a comment no reading sees\n"


def _function(text: str) -> str:
    return text + ("" if text.endswith("\n") or not text else "\n") + "\n\ndef _edited():\n    return 1\n"


def _shifted(text: str) -> str:
    return "\n" + text  # every position moves: a fact's line changes


def _middle(text: str) -> str:
    lines = text.splitlines(keepends=True)
    half = len(lines) // 2
    return "".join([*lines[:half], "# a line put in the middle: the facts below it move\n", *lines[half:]])


def _removed(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[1:])  # the first line gone: its reading, if any, changes; the rest move up


def _digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "1234567890"))  # numbers, a crontab, a worker count


def _directive(text: str) -> str:
    return _comment(text) + "# hueylint: ignore-file\n"


def _mention(text: str) -> str:
    return text + ("" if text.endswith("\n") or not text else "\n") + "# hueylint benchmark, no directive\n"


def _marker(text: str) -> str:
    return text + ("" if text.endswith("\n") or not text else "\n") + "import huey  # now the gate keeps it\n"


def _import(text: str) -> str:  # imports of no module of the fixture projects, mostly
    return text + ("" if text.endswith("\n") or not text else "\n") + "import logging\nfrom typing import Any\n"


def _import_first(text: str) -> str:  # every fact moves too (before a `__future__` import: a syntax error)
    return "import hueylint_bench_change_1\n" + text


EDITS = {"comment": _comment, "function": _function, "shifted": _shifted, "middle": _middle, "removed": _removed,
         "digits": _digits,
         "directive": _directive, "mention": _mention, "marker": _marker, "import": _import,
         "import-first": _import_first}
ALL = os.environ.get("HUEYLINT_EDITS_ALL", "")  # "1", or the kinds to try on every module: "import,import-first"


def _cases() -> list[tuple[Path, str, str]]:
    """(project, module, edit): by default one module of each project, the modules and the kinds in turn."""
    cases = []
    kinds = list(EDITS)
    for number, project in enumerate(PROJECTS):
        modules = sorted(str(path.relative_to(project)) for path in project.rglob("*.py"))
        if ALL:
            cases += [(project, rel, kind) for rel in modules for kind in kinds if ALL == "1" or kind in ALL.split(",")]
        elif modules:
            cases.append((project, modules[number % len(modules)], kinds[number % len(kinds)]))
    return cases


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """Counts the runs that built the model (the others were replayed)."""
    return count_builds(monkeypatch)


def check(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _by_project() -> dict[Path, list[tuple[str, str]]]:
    grouped: dict[Path, list[tuple[str, str]]] = {}
    for project, rel, kind in _cases():
        grouped.setdefault(project, []).append((rel, kind))
    return grouped


@pytest.mark.parametrize("project", sorted(_by_project()), ids=lambda project: project.name)
def test_an_edited_module_gives_what_a_run_without_the_cache_gives(project, builds, capsys, tmp_path, monkeypatch):
    for number, (rel, kind) in enumerate(_by_project()[project]):
        root = copy_project(project, tmp_path / str(number))
        monkeypatch.chdir(root)
        cache = str(tmp_path / f"cache-{number}")
        check(capsys, "--cache-dir", cache)
        path = root / rel
        path.write_text(EDITS[kind](path.read_text(encoding="utf-8", errors="surrogateescape")),
                        encoding="utf-8", errors="surrogateescape")
        assert check(capsys, "--cache-dir", cache) == check(capsys, "--no-cache"), (rel, kind)


@pytest.mark.parametrize("project", sorted(_by_project()), ids=lambda project: project.name)
def test_edits_one_after_another_give_what_a_run_without_the_cache_gives(project, builds, capsys, tmp_path,
                                                                           monkeypatch):
    """Each replay through the early cutoff is stored as the present tree's result (RunCache.renew): a second
    edit of the module is judged against the first edit's text, its places moved from there."""
    for number, (rel, kind) in enumerate(_by_project()[project]):
        root = copy_project(project, tmp_path / str(number))
        monkeypatch.chdir(root)
        cache = str(tmp_path / f"cache-{number}")
        check(capsys, "--cache-dir", cache)
        kinds = list(EDITS)
        path = root / rel
        for then in (kind, kinds[(kinds.index(kind) + 3) % len(kinds)]):
            path.write_text(EDITS[then](path.read_text(encoding="utf-8", errors="surrogateescape")),
                            encoding="utf-8", errors="surrogateescape")
            assert check(capsys, "--cache-dir", cache) == check(capsys, "--no-cache"), (rel, kind, then)


APP = ("from huey import RedisHuey, crontab\n\nhuey = RedisHuey('app', url='redis://redis')\n\n\n"
       "@huey.periodic_task(crontab(minute='*/5'))\ndef sweep():\n    return None\n")
VIEWS = "from app import tasks\n\n\ndef index(request):\n    return 'ok'\n"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch) -> Path:
    """A unit whose consumer runs ``app.tasks.huey`` (HL102: the default 90 s stop, SIGTERM), a views module
    that imports it and a module nothing reads."""
    root = git_init(tmp_path / "repo")
    write_tree(root, {"deploy/huey.service": UNIT, "app/__init__.py": "", "app/tasks.py": APP,
                      "app/views.py": VIEWS, "scripts/report.py": "print('report')\n"})
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("rel, edit, replayed", [
    ("app/tasks.py", "\n# a comment after every fact\n", True),
    ("app/tasks.py", "# hueylint bench change 1\n", True),  # names hueylint, but no directive
    ("app/views.py", "\n\ndef about(request):\n    return 'about'\n", True),  # a body: the imports stay
    ("scripts/report.py", "print('more')\n", True),  # never read: the gate still leaves it out
    ("scripts/report.py", "import huey\n", False),  # the gate now keeps it
    ("app/views.py", "import os\n", True),  # kept only for its task call sites: no import is followed
    ("app/__init__.py", "import os\n", True),  # read on demand (the gate leaves it out): an import of no module
    ("app/tasks.py", "# hueylint: ignore-file\n", False),  # a suppression
    ("app/tasks.py", "\ufeff", False),  # a byte order mark (put first below)
])
def test_an_edit_is_replayed_only_when_nothing_the_run_took_changed(tree, builds, capsys, tmp_path, rel, edit,
                                                                    replayed):
    cache = str(tmp_path / "cache")
    first = check(capsys, "--cache-dir", cache)
    assert check(capsys, "--cache-dir", cache) == first and len(builds) == 1
    path = tree / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(edit + text if edit == "\ufeff" else text + edit, encoding="utf-8")
    after = check(capsys, "--cache-dir", cache)
    assert len(builds) == (1 if replayed else 2)
    assert after == check(capsys, "--no-cache")


@pytest.mark.parametrize("edit, replayed, excluded", [
    ("# a comment\n", True, False),
    ("\n\ndef helper():\n    return 'help'\n", True, False),  # a function body: its imports stay
    ("import logging\n", True, False),  # an import of no module of the repository
    ("from huey import RedisHuey\n", False, False),  # a huey marker: the byte gate now keeps it
    ("# huey\n", False, False),  # a comment naming huey: the gate keeps it too
    ("from app import views\n", False, False),  # a module of the repository: the closure grows
    ("import app.views\n", False, False),
    # excluded, yet the closure reads it: a file beyond the walk, whose stamp the run cache asks again
    ("# a comment\n", False, True),
])
def test_a_module_read_on_demand_is_judged_by_its_readings(tree, builds, capsys, tmp_path, edit, replayed, excluded):
    """A module of the app's import closure the byte gate leaves out (``app/__init__.py`` mentions no huey) is
    read on demand: a walked file, it is judged by what the run took from it (its ledger's readings, kind
    ``read``), as a discovered module is, so a comment or a body edited is replayed (the pre-commit run after an
    edit of ``views.py``); one the gate now keeps, or whose imports now reach a module of the repository, is a
    full run, and so is an edit of one the configuration excludes (no walked stamp: a ``read`` question)."""
    options = ["--cache-dir", str(tmp_path / "cache"), *(["--exclude", "app/__init__.py"] if excluded else [])]
    first = check(capsys, *options)
    assert "HL105" in first[1] and check(capsys, *options) == first and len(builds) == 1
    entries = [runcache.json.loads(path.read_text()) for path in (tmp_path / "cache").rglob("runs-*/*.json")]
    probes = [arg for entry in entries for kind, arg, _ in entry.get("probes", []) if kind == "read"]
    assert ("app/__init__.py" in probes) is excluded  # a walked module's stamp is the walk's
    path = tree / "app/__init__.py"
    path.write_text(path.read_text(encoding="utf-8") + edit, encoding="utf-8")
    after = check(capsys, *options)
    assert len(builds) == (1 if replayed else 2)
    assert after == check(capsys, "--no-cache", *options[2:])


def test_a_rebuild_after_a_fact_changed_extracts_the_module_once(tree, builds, capsys, tmp_path, monkeypatch):
    """An import added to the app module: the cutoff extracts its facts, finds them changed, and stores them as
    a run would; the rebuild that follows reads them from the facts cache instead of extracting again."""
    from hueylint.pyapp import extract

    cache = str(tmp_path / "cache")
    first = check(capsys, "--cache-dir", cache)
    extracted: list[str] = []
    real = extract.extract
    monkeypatch.setattr(extract, "extract", lambda src: extracted.append(src.rel) or real(src))
    (tree / "app/tasks.py").write_text(APP + "from app import views\n", encoding="utf-8")  # (a module of the tree)
    after = check(capsys, "--cache-dir", cache)
    assert len(builds) == 2 and extracted == ["app/tasks.py"]
    assert after == first  # the import changes no finding
    monkeypatch.setattr(extract, "extract", real)
    assert after == check(capsys, "--no-cache")


HELPERS = "def helper():\n    return 1\n"
BOUND = "huey = newmod.huey\n\n\n@huey.task()\ndef send(x):\n    return x\n"
MADE = BOUND.replace("newmod.huey", "make_huey()")
GEVENT = "from gevent import monkey\nmonkey.patch_all()\n" + APP


@pytest.mark.parametrize("before, edit, replayed", [
    # imports of no module of the repository, whose names no fact and no reader of the run asked for
    (APP, lambda text: text + "import logging\n", True),  # the standard library
    (APP, lambda text: "from typing import Any\n" + text, True),  # put first: every fact moves too
    (APP, lambda text: text + "import hueylint_bench_change_1\n", True),  # a project-like name nothing defines
    (APP, lambda text: text + "import requests.adapters as adapters\n", True),  # an installed package's module
    (APP, lambda text: text + "try:\n    import ujson as json\nexcept ImportError:\n    import json\n", True),
    (APP, lambda text: text + "if False:\n    import logging\n", True),  # conditional: it changes no fact
    (APP + "import logging\n", lambda text: text.replace("import logging\n", ""), True),  # removed
    (GEVENT, lambda text: text + "import logging\n", True),  # after gevent's monkey patch
    # imports that resolve to a module of the repository: the app's import closure grows
    (APP, lambda text: text + "import app.helpers\n", False),
    (APP, lambda text: text + "from app import helpers\n", False),
    (APP, lambda text: text + "from . import helpers\n", False),  # relative: never taken for nothing
    (APP, lambda text: text + "from os import *\n", False),  # a star import: what the module binds
    (APP, lambda text: "from __future__ import annotations\n" + text, False),  # how Python reads the module
    (GEVENT, lambda text: "import logging\n" + text, False),  # before the monkey patch: HL601 reads it
    # a name a fact of the module reads: the facts follow the import now (a fact changes) or name it
    (BOUND, lambda text: "import newmod\n" + text, False),  # `huey = newmod.huey`: newmod's huey
    ("@newmod.task()\ndef send(x):\n    return x\n", lambda text: "import newmod\n" + text, False),  # a task
    (MADE, lambda text: "import make_huey\n" + text, False),  # `huey = make_huey()` names it as written
    # an import that binds a name the consumer's instance is found by
    (APP, lambda text: text + "from other_queue import huey\n", False),
])
def test_an_import_of_no_module_of_the_repository_is_replayed(tree, builds, capsys, tmp_path, before, edit,
                                                               replayed):
    """The early cutoff for an import added or removed: a facts reading that differs only in imports no reader of
    the run asked about (hueylint.sources.WatchedImports) and that resolve to no module of the repository from
    the roots the import closure resolved them from is replayed; whatever else is a full run."""
    (tree / "app/helpers.py").write_text(HELPERS, encoding="utf-8")
    path = tree / "app/tasks.py"
    path.write_text(before, encoding="utf-8")
    cache = str(tmp_path / "cache")
    check(capsys, "--cache-dir", cache)
    path.write_text(edit(before), encoding="utf-8")
    after = check(capsys, "--cache-dir", cache)
    assert len(builds) == (1 if replayed else 2)
    assert after == check(capsys, "--no-cache")


MAIN = "from app.tasks import huey\n\n\ndef start():\n    return huey\n"


@pytest.mark.parametrize("edit, replayed", [
    ("import logging\n", True),
    ("from other_queue import huey\n", False),  # the name the consumer's instance is found by, looked up there
    ("from other_queue import start\n", True),  # a name no reader asked for
])
def test_a_name_another_module_looks_up_is_judged_again(tree, builds, capsys, tmp_path, edit, replayed):
    """The consumer runs ``app.main.huey``, which ``app/main.py`` imports from ``app/tasks.py``: the linker looks
    ``huey`` up in ``app/main.py``'s imports (recorded), so an import that binds it elsewhere is a full run."""
    (tree / "deploy/huey.service").write_text(UNIT.replace("app.tasks.huey", "app.main.huey"), encoding="utf-8")
    path = tree / "app/main.py"
    path.write_text(MAIN, encoding="utf-8")
    cache = str(tmp_path / "cache")
    first = check(capsys, "--cache-dir", cache)
    assert "app/tasks.py:3:8: HL402" in first[1]  # the instance is found through the import
    path.write_text(MAIN + edit, encoding="utf-8")
    after = check(capsys, "--cache-dir", cache)
    assert len(builds) == (1 if replayed else 2)
    assert after == check(capsys, "--no-cache")


HANDLER = ("from huey.signals import SIGNAL_INTERRUPTED\n\nfrom app.tasks import huey\n\n\n"
           "@huey.signal(SIGNAL_INTERRUPTED)\ndef requeue(signal, task, exc=None):\n    huey.enqueue(task)\n")


@pytest.mark.parametrize("excluded", [False, True])
def test_a_module_created_later_under_an_imported_name_is_a_full_run(tree, builds, capsys, tmp_path, excluded):
    """An import of no module is replayed; the module created afterwards under that name (walked, or excluded
    from the walk, which the import closure still finds: the answer the cutoff recorded changes) is a full run,
    in which the closure reads it (here its SIGNAL_INTERRUPTED handler: no HL105)."""
    options = ["--cache-dir", str(tmp_path / "cache"), *(["--exclude", "newmod.py"] if excluded else [])]
    first = check(capsys, *options)
    assert "HL105" in first[1]
    path = tree / "app/tasks.py"
    path.write_text(APP + "import newmod\n", encoding="utf-8")
    replayed = check(capsys, *options)
    assert len(builds) == 1 and replayed == first
    assert check(capsys, *options) == first and len(builds) == 1  # stored as the present tree's result
    (tree / "newmod.py").write_text(HANDLER, encoding="utf-8")
    after = check(capsys, *options)
    assert len(builds) == 2 and "HL105" not in after[1]
    assert after == check(capsys, "--no-cache", *options[2:])


def test_watched_imports_record_every_read():
    from hueylint.sources import ImportReads, WatchedImports, import_targets

    def reads(use) -> dict:
        record = ImportReads()
        use(WatchedImports({"os": "os", "huey": "app.tasks.huey"}, record))
        return record.json()

    assert reads(lambda imports: (imports.get("huey"), "x" in imports, imports["os"])) == \
        {"names": ["huey", "os", "x"], "uses": [], "whole": False}
    assert reads(lambda imports: import_targets(imports, "closure\0")) == \
        {"names": [], "uses": ["closure\0"], "whole": False}
    for whole in (list, dict, len, bool, repr, sorted, lambda imports: {**imports}, lambda imports: imports == {},
                  lambda imports: set(imports.values()), lambda imports: imports.items(),
                  lambda imports: imports.copy(), lambda imports: imports.update(x="y"),
                  lambda imports: __import__("copy").deepcopy(imports), lambda imports: __import__("json").dumps(imports)):
        assert reads(whole)["whole"] is True, whole


def test_a_moved_fact_is_replayed_at_its_new_line(tree, builds, capsys, tmp_path):
    """Lines put above every fact: the stored result is replayed with the finding, its code frame and the
    position its message quotes moved down."""
    cache = str(tmp_path / "cache")
    _, before, _ = check(capsys, "--cache-dir", cache)
    assert "app/tasks.py:3" in before
    (tree / "app/tasks.py").write_text("# moved down\n\n" + APP, encoding="utf-8")
    after = check(capsys, "--cache-dir", cache)
    assert len(builds) == 1
    assert after == check(capsys, "--no-cache")
    assert "app/tasks.py:5" in after[1] and "app/tasks.py:3" not in after[1]


def test_a_replay_through_the_cutoff_is_the_next_runs_result(tree, builds, capsys, tmp_path, monkeypatch):
    """The cutoff's replay is stored for the tree as it is now: the next run replays it without judging the
    edited module again, and lines moved once more move the places from where the last edit left them."""
    cutoffs: list[int] = []
    real = runcache.RunCache._cut_off
    monkeypatch.setattr(runcache.RunCache, "_cut_off", lambda *args: cutoffs.append(1) or real(*args))
    cache = str(tmp_path / "cache")
    check(capsys, "--cache-dir", cache)
    path = tree / "app/tasks.py"
    path.write_text("# moved down\n\n" + APP, encoding="utf-8")
    moved = check(capsys, "--cache-dir", cache)
    assert (len(builds), len(cutoffs)) == (1, 1)
    assert check(capsys, "--cache-dir", cache) == moved and len(cutoffs) == 1  # replayed at once
    path.write_text("# and down again\n" + path.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    after = check(capsys, "--cache-dir", cache)
    assert (len(builds), len(cutoffs)) == (1, 2)
    assert after == check(capsys, "--no-cache")  # (a run that builds)
    assert "app/tasks.py:6" in after[1] and "app/tasks.py:5" not in after[1]
    (tree / "app/views.py").write_text(VIEWS + "\n# views edited\n", encoding="utf-8")  # only this one is judged
    judged: list[str] = []
    unchanged = python_edits.unchanged
    monkeypatch.setattr(python_edits, "unchanged",
                        lambda root, rel, *rest: judged.append(rel) or unchanged(root, rel, *rest))
    assert check(capsys, "--cache-dir", cache) == after
    assert judged == ["app/views.py"] and len(builds) == 2


def test_a_racy_edit_is_replayed_but_not_stored(tree, builds, capsys, tmp_path, monkeypatch):
    """An edit in the 2 seconds before the run could change again without changing its stamp: the cutoff
    replays the run, which is not stored (RunCache.renew, as RunCache.save)."""
    cache = str(tmp_path / "cache")
    check(capsys, "--cache-dir", cache)
    monkeypatch.setattr(runcache, "RACY_NS", 2_000_000_000)
    (tree / "app/tasks.py").write_text("# moved down\n" + APP, encoding="utf-8")
    renewed: list[bool] = []
    real = runcache.RunCache.renew
    monkeypatch.setattr(runcache.RunCache, "renew", lambda self, started: renewed.append(real(self, started)))
    moved = check(capsys, "--cache-dir", cache)
    assert renewed == [False] and len(builds) == 1
    assert moved == check(capsys, "--no-cache")


@pytest.mark.parametrize("edit", [
    lambda text: "# moved down\n" + text.replace("'app'", "'other'"),  # a fact changed as well
    lambda text: "# moved down\n" + text.replace("huey = RedisHuey", "huey  =  RedisHuey"),  # its code frame's line
    lambda text: "# hueylint: ignore[HL301]\n\n" + text,  # a directive
])
def test_moved_lines_with_a_reading_changed_are_a_full_run(tree, builds, capsys, tmp_path, edit):
    cache = str(tmp_path / "cache")
    check(capsys, "--cache-dir", cache)
    path = tree / "app/tasks.py"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    after = check(capsys, "--cache-dir", cache)
    assert len(builds) == 2
    assert after == check(capsys, "--no-cache")


def test_a_directive_and_moved_lines_are_a_full_run(tree, builds, capsys, tmp_path):
    """A module with a directive: lines put between it and the line it governs change what it suppresses."""
    path = tree / "app/tasks.py"
    path.write_text(APP.replace("huey = RedisHuey", "# hueylint: ignore[HL999]\nhuey = RedisHuey"), encoding="utf-8")
    cache = str(tmp_path / "cache")
    check(capsys, "--cache-dir", cache)
    path.write_text("\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    after = check(capsys, "--cache-dir", cache)
    assert len(builds) == 2
    assert after == check(capsys, "--no-cache")


def test_line_moves_pair_the_lines_that_stayed():
    old = python_edits.line_hashes("a\nb\n\nc\n")
    assert python_edits.line_moves(old, "a\nb\n\nc\n") is None
    assert python_edits.line_moves(old, "x\na\nb\n\nc\n") == {1: 2, 2: 3, 3: 4, 4: 5}
    assert python_edits.line_moves(old, "a\nB\n\nc\n") == {1: 1, 3: 3, 4: 4}  # line 2 changed
    assert python_edits.line_moves(old, "a\n\nc\n") == {1: 1, 3: 2, 4: 3}  # line 2 removed


def test_a_replay_moves_every_position_it_holds():
    from hueylint.findings import Edit, Finding, Fix, Related
    from hueylint.locations import Loc

    at = Loc("app/tasks.py", 3, 1, 4, 5)
    finding = Finding("HL102", "stop at app/tasks.py:3 (not xapp/tasks.py:3, app/tasks.py:30)", at,
                      related=[Related(at, "see app/tasks.py:4")],
                      fix=Fix("edit app/tasks.py:3", (Edit("app/tasks.py", 4, 1, 4, 2, "x"),)))
    replay = runcache.Replay([finding], [runcache.Notice("app/tasks.py", "not followed at app/tasks.py:4")], 1,
                             lines={("app/tasks.py", 3): "huey = 1", ("other.py", 3): "x"})
    moves = {3: 5, 4: 6, 30: 32}
    got = runcache.moved(replay, {"app/tasks.py": moves})
    (moved,) = got.findings
    assert moved.loc == Loc("app/tasks.py", 5, 1, 6, 5)
    assert moved.message == "stop at app/tasks.py:5 (not xapp/tasks.py:3, app/tasks.py:32)"
    assert moved.related == [Related(Loc("app/tasks.py", 5, 1, 6, 5), "see app/tasks.py:6")]
    assert moved.fix == Fix("edit app/tasks.py:5", (Edit("app/tasks.py", 6, 1, 6, 2, "x"),))
    assert got.notices == [runcache.Notice("app/tasks.py", "not followed at app/tasks.py:6")]
    assert got.lines == {("app/tasks.py", 5): "huey = 1", ("other.py", 3): "x"}
    assert runcache.moved(replay, {"app/tasks.py": {3: 5}}) is None  # line 4 is gone: a full run
    first = runcache.Replay([Finding("HL601", "m", Loc("app/tasks.py", 1, 1))], [], 1)
    assert runcache.moved(first, {"app/tasks.py": {1: 1, 2: 3}}).findings[0].loc.line == 1
    assert runcache.moved(first, {"app/tasks.py": {1: 2}}) is None  # a first line may be an anchor: a full run
    # a notice's own place, ``line N:`` at the start of its reason (printed ``app/tasks.py:N: notice: ...``), moves
    # too; another file's notice does not (was: kept at the old line, an unread storage notice of z-settings-splat)
    notices = runcache.Replay([], [runcache.Notice("app/tasks.py", "line 4: the huey storage's `url` is not read"),
                                   runcache.Notice("other.py", "line 4: x")], 1)
    assert runcache.moved(notices, {"app/tasks.py": moves}).notices == [
        runcache.Notice("app/tasks.py", "line 6: the huey storage's `url` is not read"), runcache.Notice("other.py", "line 4: x")]


def test_the_ledgers_say_what_the_run_took(tree, builds, capsys, tmp_path):
    """What the stored run keeps for the cutoff: the gate's verdict, the readings by cache key, the lines shown."""
    cache = tmp_path / "cache"
    check(capsys, "--cache-dir", str(cache))
    entries = [runcache.json.loads(path.read_text()) for path in cache.rglob("runs-*/*.json")]
    (edits,) = [entry for entry in entries if "ledgers" in entry]
    ledgers = edits["ledgers"]
    assert set(ledgers) == {"app/__init__.py", "app/tasks.py", "app/views.py", "scripts/report.py"}
    assert ledgers["scripts/report.py"] is None  # gated out, never read
    tasks = ledgers["app/tasks.py"]
    assert tasks["kind"] == "source"
    # (deploy/huey.service has no User=: every kept module is asked whether it may install it for the user
    # manager, hueylint.platforms.systemd_installs)
    assert sorted(tasks["readings"]) == ["caller-only", "dates-huey", "decoded", "directives", "facts",
                                         "mentions\0--user\0systemd"]
    assert tasks["readings"]["mentions\0--user\0systemd"] is False
    assert tasks["readings"]["decoded"] == ["python", None, False]
    assert tasks["shown"] == {"3": "huey = RedisHuey('app', url='redis://redis')"}  # HL102's code frame
    views = ledgers["app/views.py"]  # kept by the gate for its task call sites; no task returns a value
    assert views["readings"] == {"decoded": ["python", None, False], "caller-only": True, "dates-huey": None,
                                 "parses": True, "mentions": False, "directives": None,
                                 "mentions\0--user\0systemd": False}
    init = ledgers["app/__init__.py"]  # read on demand for the closure
    assert init["kind"] == "read" and sorted(init["readings"]) == ["caller-only", "decoded", "imports"]


def test_a_module_whose_whole_text_was_read_is_opaque(tmp_path):
    from hueylint.sources import new_source

    src = new_source(tmp_path / "m.py", "m.py", "x = 1\n", "python")
    assert python_edits.ledgers({"m.py": src}, {}, ["m.py"])["m.py"]["readings"] == {}
    assert src.text == "x = 1\n"
    assert python_edits.ledgers({"m.py": src}, {}, ["m.py"]) == {"m.py": python_edits.OPAQUE}
    assert not python_edits.unchanged(tmp_path, "m.py", python_edits.OPAQUE, None)


def test_ledgers_of_another_run_are_never_used(tree, builds, capsys, tmp_path, monkeypatch):
    """A run stopped between writing its result and its ledgers leaves the previous run's ledgers: they
    describe another tree, so an edit back to that tree must not replay the newer result."""
    cache = str(tmp_path / "cache")
    original = (tree / "app/tasks.py").read_text(encoding="utf-8")
    check(capsys, "--cache-dir", cache)
    (tree / "app/tasks.py").write_text(original.replace("'app'", "'app', immediate=True"), encoding="utf-8")
    real = runcache.CacheStore.write
    monkeypatch.setattr(runcache.CacheStore, "write",
                        lambda store, key, data: None if "ledgers" in data else real(store, key, data))
    moved = check(capsys, "--cache-dir", cache)
    monkeypatch.setattr(runcache.CacheStore, "write", real)
    (tree / "app/tasks.py").write_text(original + "# back, with a comment\n", encoding="utf-8")
    after = check(capsys, "--cache-dir", cache)
    assert len(builds) == 3
    assert after == check(capsys, "--no-cache") != moved


DJANGO = {
    "deploy/huey.service": UNIT.replace("/srv/venv/bin/huey_consumer.py app.tasks.huey -w 4",
                                        "/srv/venv/bin/python /srv/app/manage.py run_huey"),
    "manage.py": "import os\nimport sys\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.prod')\n"
                 "from django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n",
    "proj/__init__.py": "",
    "proj/settings/__init__.py": "",
    "proj/settings/base.py": "INSTALLED_APPS = ['huey.contrib.djhuey']\n\n"
                             "HUEY = {'name': 'proj', 'connection': {'host': 'redis'}}\n",
    "proj/settings/prod.py": "from .base import *  # noqa: F403\n\nDEBUG = False\n",
    "requirements.txt": "huey==2.5.2\ndjango==5.1.4\n",
}


@pytest.mark.parametrize("edit, replayed", [
    (lambda text: "# the production settings\n\n" + text, True),  # its star import moves down
    (lambda text: text + "ALLOWED_HOSTS = ['*']\n", True),
    (lambda text: text + "from .local import *  # noqa: F403\n", False),  # a star import: what the settings bind
    (lambda text: text.replace("DEBUG = False", "DEBUG = True"), False),  # a setting HL401 reads
    # the star import put under a branch only a test runner takes: the consumer's settings no longer inherit it
    (lambda text: text.replace("from .base import *", "import sys\nif 'test' in sys.argv:\n    from .base import *"),
     False),
])
def test_a_settings_module_is_replayed_through_its_star_imports(tmp_path, monkeypatch, builds, capsys, edit, replayed):
    root = git_init(tmp_path / "repo")
    write_tree(root, DJANGO)
    monkeypatch.chdir(root)
    cache = str(tmp_path / "cache")
    first = check(capsys, "--cache-dir", cache)
    assert "proj/settings/base.py:3:8: HL402" in first[1]  # the app is found through the settings' star import
    path = root / "proj/settings/prod.py"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    after = check(capsys, "--cache-dir", cache)
    assert len(builds) == (1 if replayed else 2)
    assert after == check(capsys, "--no-cache")


JOBS = ("from huey import RedisHuey\n\nhuey = RedisHuey('app', url='redis://redis')\n\n\n@huey.task()\n"
        "def send(x):\n    return x\n\n\ndef kick():\n    send(0)\n")


@pytest.mark.parametrize("rel, edit, replayed", [
    ("scripts/report.py", "print('more')\n", True),  # left out, and still holds no task name
    ("scripts/report.py", "from app.jobs import send\nsend(1).get()\n", False),  # now a call site of `send`
    # a left-out module read for its call sites is read as any file read on demand: its edit is a full run
    ("app/views.py", "\n\ndef about(request):\n    return 'about'\n", False),
    ("app/views.py", "def more(request):\n    return send(request).get()\n", False),  # a call that reads it
    # read on demand for the import closure: judged by its readings, and searched for task calls again
    ("app/__init__.py", "# the app\n", True),
    ("app/__init__.py", "# jobs: send(1).get()\n", False),  # holds the needles now: searched again by a full run
])
def test_a_module_the_gate_leaves_out_is_searched_for_task_calls_again_after_an_edit(
        tmp_path, monkeypatch, builds, capsys, rel, edit, replayed):
    """A module the byte gate leaves out (no huey name) is searched for the calls of a task returning a value
    (HL404): the run cache's early cutoff searches an edited one again, and one that now calls the task is a
    full run (replayed, the run gave HL404 where the call now reads the Result)."""
    root = git_init(tmp_path / "repo")
    write_tree(root, {"deploy/huey.service": UNIT.replace("app.tasks.huey", "app.jobs.huey"), "app/__init__.py": "",
                      "app/jobs.py": JOBS,
                      "app/views.py": "from app.jobs import send\n\n\ndef index(request):\n    send(request)\n",
                      "scripts/report.py": "print('report')\n"})
    monkeypatch.chdir(root)
    cache = str(tmp_path / "cache")
    first = check(capsys, "--cache-dir", cache)
    assert "HL404" in first[1] and len(builds) == 1
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + edit, encoding="utf-8")
    after = check(capsys, "--cache-dir", cache)
    assert len(builds) == (1 if replayed else 2)
    assert after == check(capsys, "--no-cache")


INSTALLER = ('"""Installs the huey consumer unit for the user\'s own systemd manager."""\nimport subprocess\n'
             'from pathlib import Path\n\nUNIT = "huey.service"\n'
             'USER_DIR = Path.home() / ".config" / "systemd" / "user"\n\n\ndef install():\n'
             '    subprocess.run(["systemctl", "--user", "enable", UNIT], check=True)\n')


@pytest.mark.parametrize("edit", [
    lambda text: text + "\n\ndef uninstall():\n    pass\n",  # read whole: any edit is a new run
    lambda text: text.replace('"--user", ', "").replace('/ "systemd" / "user"', '/ "units"'),
])
def test_a_user_unit_installer_module_is_read_whole(tmp_path, monkeypatch, builds, capsys, edit):
    """A Python installer that says the user manager (hueylint.platforms.systemd_installs) decides who runs the
    unit: the run reads it whole, so an edit of it is judged again, never replayed (here HL701 comes back
    when it no longer installs the unit for the user manager); a module naming neither `--user` nor
    `systemd` is noted as such and stays replayable (the tests above)."""
    root = git_init(tmp_path / "repo")
    write_tree(root, {"deploy/huey.service": UNIT, "app/__init__.py": "", "app/tasks.py": APP,
                      "app/install_units.py": INSTALLER})
    monkeypatch.chdir(root)
    cache = str(tmp_path / "cache")
    first = check(capsys, "--cache-dir", cache)
    assert "HL701" not in first[1]
    path = root / "app/install_units.py"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    after = check(capsys, "--cache-dir", cache)
    assert len(builds) == 2
    assert after == check(capsys, "--no-cache")
