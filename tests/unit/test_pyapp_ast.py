"""Python facts come from the standard library's ``ast``; libcst reads only what ``ast`` refuses.

Where ``ast`` and libcst differ (byte against character columns, where a ``def`` and its decorators sit,
parentheses, implicit string concatenation, f-strings, syntax newer than the running Python), the facts
are the ones libcst gave: these tests pin them.
"""

from __future__ import annotations

import ast
import contextlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hueylint.appmodel import ENVIRONMENT, LOOPBACK, ModuleFacts
from hueylint.pyapp.extract import extract
from hueylint.sources import SourceFile


def facts(code: str, rel: str = "app/main.py") -> ModuleFacts:
    text = textwrap.dedent(code)
    return extract(SourceFile(Path(rel), rel, text))


def _refused_by_ast(code: str) -> bool:
    try:
        ast.parse(textwrap.dedent(code))
    except SyntaxError:
        return True
    return False


def _read_both(template: str, error: str = "multiple exception types must be parenthesized",
               monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[str, ModuleFacts, ModuleFacts]:
    """``template`` (dedented) as ``app/main.py``: (its text, its facts from :func:`extract`, its facts from the
    libcst fallback given ``ast``'s ``error``).  With ``monkeypatch``, :func:`extract` must not use libcst."""
    from hueylint.pyapp import fallback

    text = textwrap.dedent(template)
    src = SourceFile(Path("app/main.py"), "app/main.py", text)
    with (monkeypatch.context() if monkeypatch is not None else contextlib.nullcontext()) as patched:
        if patched is not None:
            patched.setattr(fallback, "extract", lambda *args: pytest.fail("handed to libcst"))
        found = extract(src)
    return text, found, fallback.extract(src, ModuleFacts(rel=src.rel, module="app.main", is_settings=False),
                                         SyntaxError(error))


def test_columns_count_characters_not_utf8_bytes() -> None:
    line = 'huey = RedisHuey("tâche-🐍", immediate=True)'
    f = facts(f"from huey import RedisHuey\n{line}\n")
    immediate = f.instances[0].immediate
    assert immediate is not None and immediate.value is True
    assert (immediate.loc.line, immediate.loc.col, immediate.loc.end_col) == \
        (2, line.index("True") + 1, line.index("True") + 5)
    assert len(line[:line.index("True")].encode()) == line.index("True") + 4  # ast's byte offset: 4 further


def test_decorated_task_sits_at_its_decorator_and_its_name() -> None:
    f = facts("""\
        from huey import RedisHuey
        huey = RedisHuey("app")

        @huey.task(
            retries=2,
        )
        async def send(x):
            return x
        """)
    task = f.tasks[0]
    assert (task.loc.line, task.loc.col, task.loc.end_line) == (4, 2, 6)
    assert (task.def_loc.line, task.def_loc.col, task.def_loc.end_col) == (7, 11, 15)
    assert task.returns_value and task.return_loc is not None and task.return_loc.line == 8


def test_parentheses_are_kept_in_written_text_but_not_in_positions() -> None:
    f = facts("""\
        from huey import RedisHuey
        if (
            DEBUG  # local runs
            or TESTING
        ):
            huey = RedisHuey("app", immediate=(True))
        """)
    inst = f.instances[0]
    assert inst.branch == "if ( DEBUG # local runs or TESTING )"
    assert inst.dev_branch is True
    assert inst.immediate is not None and inst.immediate.value is True
    assert (inst.immediate.loc.line, inst.immediate.loc.col) == (6, 40)


def test_elif_and_else_if_are_told_apart() -> None:
    code = """\
        from huey import RedisHuey
        if PRODUCTION:
            pass
        {branch}
            huey = RedisHuey("app")
        """
    elif_ = facts(code.format(branch="elif DEBUG:"))
    nested = facts("from huey import RedisHuey\nif PRODUCTION:\n    pass\nelse:\n    if DEBUG:\n"
                   "        huey = RedisHuey('app')\n")
    assert (elif_.instances[0].branch, elif_.instances[0].dev_branch) == ("if DEBUG", True)
    assert (nested.instances[0].branch, nested.instances[0].dev_branch) == ("if DEBUG", True)
    assert facts(code.format(branch="else:")).instances[0].branch == "else of `if PRODUCTION`"


def test_implicit_string_concatenation_is_one_value() -> None:
    f = facts("""\
        from huey import RedisHuey
        huey = RedisHuey("my" "app", url=("redis://"
                                          "cache:6379/0"))
        """)
    inst = f.instances[0]
    assert inst.name is not None and inst.name.value == "myapp"
    assert [(s.key, s.host) for s in inst.storage] == [("url", "cache")]
    assert inst.storage[0].value.loc is not None and inst.storage[0].value.loc.line == 2


def test_fstrings() -> None:
    f = facts("""\
        import os
        from huey import RedisHuey
        HOST = "localhost"
        a = RedisHuey(f"app", url=f"redis://{HOST}:6379/0")
        b = RedisHuey("b", url=f"redis://{os.environ['REDIS_HOST']}:6379/0")
        c = RedisHuey("c", url=f"redis://{host}/0")
        """)
    a, b, c = f.instances
    assert a.name is not None and a.name.value == "app"
    assert a.storage[0].kind == LOOPBACK and a.storage[0].host == "localhost"
    assert b.storage[0].kind == ENVIRONMENT and b.storage[0].value.unknown == "env:REDIS_HOST"
    assert c.storage[0].value.unknown == "name host"  # the host part's own provenance


_COMMA_EXCEPT = """\
    import os
    from huey import RedisHuey
    try:
        import redis
    except {handler}:
        redis = None

    huey = RedisHuey("app", url=os.environ["REDIS_URL"])

    @huey.task()
    def send(x):
        return x
    """


@pytest.mark.skipif(not _refused_by_ast(_COMMA_EXCEPT.format(handler="ImportError, OSError")),
                    reason="this Python's ast reads `except A, B:` itself")
def test_syntax_newer_than_python_is_read_through_libcst() -> None:
    newer = facts(_COMMA_EXCEPT.format(handler="ImportError, OSError"))
    older = facts(_COMMA_EXCEPT.format(handler="(ImportError, OSError)"))
    assert newer.error is None
    assert newer == older
    assert [t.name for t in newer.tasks] == ["send"] and newer.instances[0].storage[0].kind == ENVIRONMENT


_HANDLER_FACT = """\
    from huey import RedisHuey
    try:
        import redis
    except ImportError, OSError:  # no redis here
        huey = RedisHuey("app", immediate=True)
    try:
        pass
    except KeyError,	ValueError:
        pass
    try:
        pass
    except (KeyError), ValueError: huey.immediate = True
    """


@pytest.mark.skipif(not _refused_by_ast(_HANDLER_FACT), reason="this Python's ast reads `except A, B:` itself")
def test_comma_except_is_parenthesised_in_place_with_libcst_s_facts() -> None:
    _, repaired, through_libcst = _read_both(_HANDLER_FACT)
    assert repaired.error is None and repaired == through_libcst
    inst = repaired.instances[0]
    assert inst.branch == "except ImportError, OSError"
    assert inst.immediate is not None and (inst.immediate.loc.line, inst.immediate.loc.col) == (5, 39)
    assert [(a.loc.line, a.branch) for a in repaired.immediate_assignments] == \
        [(12, "except (KeyError), ValueError")]  # a statement after the colon: libcst read this file


_CONTINUED_HANDLERS = """\
    from huey import RedisHuey
    try:
        import redis
    except (ImportError), \\
            OSError:
        huey = RedisHuey("app", immediate=True)
    try:
        pass
    except \\
            KeyError, ValueError:
        huey.immediate = True
    try:
        pass
    except* (KeyError,  # a comment in the brackets
             ValueError), TypeError:
        pass
    """


@pytest.mark.skipif(not _refused_by_ast(_CONTINUED_HANDLERS), reason="this Python's ast reads `except A, B:` itself")
def test_comma_except_continued_over_lines_is_read_by_ast_like_libcst(monkeypatch: pytest.MonkeyPatch) -> None:
    """A handler whose types start with a bracket, continue after a backslash or span bracketed lines (with a
    comment) is parenthesised in place too (hueylint.pyapp.excepts), not handed to libcst: the same facts."""
    _, repaired, through_libcst = _read_both(_CONTINUED_HANDLERS, monkeypatch=monkeypatch)
    assert repaired.error is None and repaired == through_libcst
    assert (repaired.instances[0].loc.line, repaired.instances[0].immediate.loc.col) == (6, 39)
    assert [(a.loc.line, a.branch) for a in repaired.immediate_assignments] == [(11, "except KeyError, ValueError")]


_NESTED_QUOTES = """\
    import os
    from huey import RedisHuey
    huey = RedisHuey("app", url=f"redis://{os.environ{q}REDIS_HOST{q}}:6379/0")
    """


@pytest.mark.skipif(not _refused_by_ast(_NESTED_QUOTES.replace("{q}", '["').replace('["}', '"]}')),
                    reason="this Python's ast reads PEP 701 f-strings itself")
def test_pep701_fstring_reads_like_its_older_spelling() -> None:
    newer = facts(_NESTED_QUOTES.replace("{q}REDIS_HOST{q}", '["REDIS_HOST"]'))
    older = facts(_NESTED_QUOTES.replace("{q}REDIS_HOST{q}", "['REDIS_HOST']"))
    assert newer.error is None and newer == older
    assert newer.instances[0].storage[0].value.unknown == "env:REDIS_HOST"


def test_inner_quotes_of_an_fstring_swap_in_place() -> None:
    from hueylint.pyapp.fstrings import swap_inner_quotes

    assert swap_inner_quotes("f'({x.get('delay', 0)})'") == """f'({x.get("delay", 0)})'"""
    assert swap_inner_quotes('''f"{a["b"]!r:>{w["n"]}} {{x}}"''') == """f"{a['b']!r:>{w['n']}} {{x}}\""""
    assert swap_inner_quotes("f'{x or ''}' + f'{d[b'k']}'") == """f'{x or ""}' + f'{d[b"k"]}'"""
    # comments and other strings are not f-string fields; a field that needs no change is left alone
    assert swap_inner_quotes("""# f'{d['k']}'\ns = 'it\\'s {x}'\nt = f'{d["k"]}'\n""") is None
    assert swap_inner_quotes("""'''f'{a['k']}' '''""") is None
    # what the swap cannot prove equivalent goes to the fallback: a literal holding a quote or a backslash,
    # a nested f-string, a comment or a line break in a one-line f-string's field, a triple-quoted literal
    for text in ("""f'{d['it"s']}'""", """f'{d['a\\n']}'""", "f'{f'{x}'}'", "f'{x # c\n}'", "f'{d[\n'k']}'",
                 "f'{d['''k''']}'", "f'''{d['''k''']}'''", "f'{x:{'>'}'", "f'{d['k']"):
        assert swap_inner_quotes(text) is None, text


_PEP701_FACTS = """\
    from huey import RedisHuey
    huey = RedisHuey(f'q-{cfg.get('name', 'x')}', immediate=env('IMM') == f'{ {'a': 1}['a']}')
    @huey.task(retries=3)
    def send(x):
        log(f"{x["id"]:>{w["n"]}}")
    """


@pytest.mark.skipif(not _refused_by_ast(_PEP701_FACTS), reason="this Python's ast reads PEP 701 f-strings itself")
def test_pep701_quotes_read_by_ast_with_libcst_s_facts_and_positions() -> None:
    text, swapped, through_libcst = _read_both(_PEP701_FACTS, "f-string: unmatched '('")
    assert swapped.error is None and swapped == through_libcst
    inst = swapped.instances[0]
    line = text.splitlines()[1]
    written = "env('IMM') == f'{ {'a': 1}['a']}'"
    assert inst.immediate is not None and inst.immediate.unknown == "env:IMM"
    name = "f'q-{cfg.get('name', 'x')}'"
    assert (inst.name.unknown, inst.name.loc.col, inst.name.loc.end_col) == \
        ("f-string", line.index(name) + 1, line.index(name) + len(name) + 1)
    assert (inst.immediate.loc.line, inst.immediate.loc.col, inst.immediate.loc.end_col) == \
        (2, line.index(written) + 1, line.index(written) + len(written) + 1) == (2, 57, 90)
    assert [(t.name, t.def_loc.line, t.def_loc.col) for t in swapped.tasks] == [("send", 4, 5)]


@pytest.mark.skipif(not _refused_by_ast(_PEP701_FACTS), reason="this Python's ast reads PEP 701 f-strings itself")
def test_pep701_quotes_are_read_without_libcst(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(textwrap.dedent(_PEP701_FACTS))
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    probe = ("import sys\nfrom pathlib import Path\nfrom hueylint.sources import SourceFile\n"
             "from hueylint.pyapp.extract import extract\n"
             "f = extract(SourceFile(Path('app.py'), 'app.py', Path('app.py').read_text()))\n"
             "print(f.error, [t.name for t in f.tasks], 'libcst' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True,
                         cwd=tmp_path)
    assert out.stdout.strip().splitlines()[-1] == "None ['send'] False"


@pytest.mark.skipif(not _refused_by_ast("f'{x # c\n}'"), reason="this Python's ast reads PEP 701 f-strings itself")
def test_pep701_fields_the_swap_leaves_alone_go_to_libcst() -> None:
    f = facts("""\
        from huey import RedisHuey
        huey = RedisHuey(f"{ {"a": "it's"}["a"]}", immediate=True)
        """)
    assert f.error is None
    assert f.instances[0].immediate is not None and f.instances[0].immediate.loc.col == 54


def test_a_real_syntax_error_is_placed_by_python() -> None:
    f = facts("from huey import RedisHuey\nhuey = RedisHuey(\nx = 1\n")
    assert f.error is not None and f.error[0] == 2 and "never closed" in f.error[2]


def test_a_check_without_fix_never_imports_libcst(tmp_path: Path) -> None:
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "conditional-instance"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    probe = ("import sys\nfrom hueylint.cli import main\n"
             f"code = main(['check', '--no-cache', '--exit-zero', '-q', {str(fixture)!r}])\n"
             "print(code, 'libcst' in sys.modules, sorted(m for m in sys.modules if m.startswith('hueylint.pyapp.')))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True,
                         cwd=tmp_path)
    code, imported, modules = out.stdout.strip().splitlines()[-1].split(" ", 2)
    assert (code, imported) == ("0", "False")
    assert "hueylint.pyapp.collector" in modules  # the fixture's Python was read


def test_cache_entries_of_the_libcst_extractor_are_not_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    from hueylint.pyapp import cache

    assert cache.SCHEMA == 10  # 1: facts made by libcst; 2: before StorageLocation.ref and ModuleFacts.values; 3: before
    # SerializerFact.ref; 4: before HueyArgs.immediate_ref; 5: before EnvVal; 6: before EnvVal.formula;
    # 7: before SignalHandler.queue; 8: before HueyArgs.splats and ModuleFacts.dicts; 9: before SplatFact.role and
    # ModuleFacts.configs
    extractor = {path.name for path in (Path(cache.__file__).parent).glob("*.py")} - {
        "__init__.py", "cache.py", "entry.py", "link.py", "resolve.py", "spawns.py",
        "consumer_main.py", "split_settings.py"}  # spawns, consumer_main: read by entry.py; split_settings: by link.py
    # (per run, never cached)
    # every module whose code decides facts is hashed (and what they import: tests/test_cache_fingerprints.py)
    assert {f"pyapp/{name}" for name in extractor} <= set(cache.CODE)
    now = cache._code_fingerprint()
    monkeypatch.setattr(cache, "SCHEMA", 1)
    assert cache._code_fingerprint() != now


def test_a_result_is_read_by_any_identifier_of_its_name_not_by_text() -> None:
    f = facts("""\
        from huey import RedisHuey
        huey = RedisHuey("app")

        @huey.task()
        def add(a, b):
            return a + b

        def mentioned_in_a_comment():
            result = add(1, 2)  # the result is ignored
            print("result")

        def read_as_an_attribute_name(obj):
            result = add(1, 2)
            return obj.result

        @decorate(result=1)
        def read_by_a_decorator_keyword():
            result = add(1, 2)
        """)
    assert [c.usage for c in f.task_calls] == ["unread", "assigned", "assigned"]


_HANDLER_IN_A_STRING = '''\
    from huey import RedisHuey
    huey = RedisHuey("""
    except A, B:
    """, host="redis")
    try:
        import redis
    except ImportError, OSError:
        pass
    '''


@pytest.mark.skipif(not _refused_by_ast(_HANDLER_IN_A_STRING), reason="this Python's ast reads `except A, B:` itself")
def test_comma_except_text_inside_a_string_is_not_rewritten() -> None:
    """A line of a string that reads like `except A, B:` is text, not a handler: rewriting it too changed the
    string (the instance's name read `except(A, B):`); libcst reads such a file."""
    from hueylint.pyapp import imports

    text, found, through_libcst = _read_both(_HANDLER_IN_A_STRING)
    assert found.instances[0].name.value == "\nexcept A, B:\n"
    assert found.error is None and found == through_libcst
    assert found.imports == {"RedisHuey": "huey.RedisHuey", "redis": "redis"}
    src = SourceFile(Path("app/main.py"), "app/main.py", text)
    scanned = imports.scan(src, "app.main", False)  # the import statements alone are read
    assert scanned is not None and scanned.imports == found.imports


@pytest.mark.skipif(not _refused_by_ast(_CONTINUED_HANDLERS), reason="this Python's ast reads `except A, B:` itself")
def test_comma_except_module_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A module with `except A, B:` is parenthesised before its first parse (a failed parse costs about a
    full one): one `ast.parse` for the module's reading and one for the extractor, each the tree the
    parse-fail-then-repair path gives; a text whose rewrite is not verified (a string line) still gets
    the old path's answer."""
    from hueylint.pyapp import excepts, extract

    text = textwrap.dedent(_CONTINUED_HANDLERS)
    slow = excepts.parse(text, SyntaxError(excepts.MESSAGE))[0]
    calls: list[int] = []
    real = ast.parse
    monkeypatch.setattr(ast, "parse", lambda source, *a, **k: calls.append(1) or real(source, *a, **k))
    assert ast.dump(excepts.parse_module(text)[0], include_attributes=True) == ast.dump(slow, include_attributes=True)
    assert len(calls) == 1
    facts = extract.extract(SourceFile(Path("app/main.py"), "app/main.py", text))
    assert facts.error is None and len(calls) == 2
    assert excepts.parse_first(textwrap.dedent(_HANDLER_IN_A_STRING)) is None
    assert excepts.parse_first("try:\n    pass\nexcept (A, B):\n    pass\n") is None



@pytest.mark.skipif(not _refused_by_ast("try:\n    pass\nexcept A, B:\n    pass\n"),
                    reason="this Python's ast reads `except A, B:` itself")
@pytest.mark.parametrize("clause", ["except OSError,:", "except* OSError,:", "except OSError, *more:"])
def test_comma_except_that_ast_refuses_otherwise_is_an_error_as_before(clause: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first comma clause that is not PEP 758's two or more unstarred types (`except A,:`, `except A, *B:`)
    is "invalid syntax" to ast, not its PEP 758 message: the parenthesised text parses (`except(A,):`), but
    the early parse must not read it where the parse-fail-then-repair path reports HL001."""
    from hueylint.pyapp import excepts, extract, imports

    text = f"import huey\ntry:\n    import redis\n{clause}\n    redis = None\n"
    assert excepts.parse_first(text) is None
    found = extract.extract(SourceFile(Path("app/main.py"), "app/main.py", text))
    scanned = imports.scan(SourceFile(Path("app/main.py"), "app/main.py", text), "app.main", False)
    assert scanned is not None and scanned.imports == {"huey": "huey", "redis": "redis"}  # imports alone
    # after a PEP 758 clause, ast's first error is PEP 758's and the repaired text is read, as before
    assert excepts.parse_first(f"try:\n    pass\nexcept A, B:\n    pass\n{text}") is not None
    monkeypatch.setattr(excepts, "parse_first", lambda text: None)  # the path before the early parse
    assert found.error is not None and found == extract.extract(SourceFile(Path("app/main.py"), "app/main.py", text))



def test_many_comma_clauses_with_open_brackets_are_read_in_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each clause's types are scanned from its own line on, and a bracket left open runs the scan on: 8,000
    `except (a,` lines took 35 s (each clause read all the lines below it).  A clause that starts where an
    earlier clause's scan already went is inside that clause's brackets (no handler) and is not scanned
    again, so the scans read each character about once, on the early parse and on the old repair path
    alike; the text gets the answer it got before."""
    from hueylint.pyapp import excepts, extract

    read: list[int] = []
    real = excepts._type_end

    def counted(text: str, start: int) -> tuple[int, bool, int]:
        found = real(text, start)
        read.append(found[2] - start)
        return found

    monkeypatch.setattr(excepts, "_type_end", counted)
    texts = ["import huey\n" + "except (a,\n" * 8000,  # 35 s
             "import huey\n" + "except a\\\n" * 20000,  # the search for such clauses: 40 s
             "try:\n    pass\nexcept A, B:\n    pass\n" + "except (a,\n" * 8000]  # the old repair path
    found = []
    for text in texts:
        read.clear()
        found.append(extract.extract(SourceFile(Path("app/main.py"), "app/main.py", text)))
        assert sum(read) <= len(text), (sum(read), len(text))
        read.clear()
        excepts.parenthesize_excepts(text)
        assert sum(read) <= len(text), (sum(read), len(text))
    assert [facts.error for facts in found[:2]] == [(202, 8, "too many nested parentheses"), (2, 1, "invalid syntax")]
    monkeypatch.setattr(excepts, "parse_first", lambda text: None)  # the path before the early parse
    assert found == [extract.extract(SourceFile(Path("app/main.py"), "app/main.py", text)) for text in texts]


_STAR_AGAINST_THE_TYPE = """\
    from huey import RedisHuey
    try:
        import redis
    except *ImportError, OSError:
        huey = RedisHuey("app", immediate=True)
    """


@pytest.mark.skipif(not _refused_by_ast(_STAR_AGAINST_THE_TYPE), reason="this Python's ast reads `except A, B:` itself")
def test_comma_except_star_written_against_the_type_keeps_its_group_handler() -> None:
    """`except *A, B:` is PEP 654's `except* (A, B):`; parenthesising from the star on made it a plain handler
    of the tuple `(*A, B)` (an instance in it read as conditional, libcst: not)."""
    _, found, through_libcst = _read_both(_STAR_AGAINST_THE_TYPE)
    assert (found.instances[0].branch, found.instances[0].conditional) == ("except ImportError, OSError", False)
    assert found.error is None and found == through_libcst


@pytest.mark.parametrize("immediate, expected", [
    # the entry picked by MODE decides; REDIS_DB is read by another entry (gip-inclusion/le-marche)
    ("CONF.get('immediate') or not WORKER", "env:MODE"),
    ("MODES[MODE]['immediate']", "env:MODE"),
    ("MODES.get(os.environ.get('KIND', 'direct'), {}).get('immediate', True)", "env:KIND"),
    # a literal key on an environment-chosen table: still the selector
    ("CONF['immediate']", "env:MODE"),
    # no lookup: the first variable read, as before
    ("not WORKER", "env:CC_WORKER_COMMAND"),
])
def test_a_lookup_comes_from_the_variable_that_picks_the_entry(immediate: str, expected: str) -> None:
    """``TABLE.get(KEY)`` / ``TABLE[KEY]``: the environment variable in the key is the one that decides the
    value; searching the table first named whichever variable an unrelated entry reads (was: HL401 said
    `'immediate'` came from `REDIS_DB`, read by the redis entry's connection)."""
    f = facts(f"""\
        import os
        REDIS_DB = int(os.environ.get("REDIS_DB", 0))
        MODES = {{
            "direct": {{"immediate": True}},
            "redis": {{"immediate": False, "connection": {{"db": REDIS_DB}}}},
        }}
        MODE = os.environ.get("MODE", "direct")
        WORKER = os.environ.get("CC_WORKER_COMMAND")
        CONF = MODES.get(MODE)
        HUEY = {{"name": "shop", "immediate": {immediate}}}
        """, rel="shop/settings.py")
    config = f.django_settings[0].config
    assert config is not None and config.immediate is not None and config.immediate.unknown == expected


@pytest.mark.parametrize("host, kind, value", [
    # the written value that reaches the network, whichever branch it is in (shadowmere-xyz/shadowmere)
    ('"localhost" if DEBUG else "redis"', "literal", "redis"),
    ('"redis.internal" if not DEBUG else "127.0.0.1"', "literal", "redis.internal"),
    ('"localhost" if DEBUG else "127.0.0.1"', "loopback", None),
    # a branch the environment gives: not a choice between written values
    ('os.environ["REDIS_HOST"] if DEBUG else "redis"', "environment", None),
    # loopback in one branch: the other reaches the network, its variable named (was: `DEBUG`, the test's)
    ('"localhost" if DEBUG else os.environ["REDIS_HOST"]', "environment", "REDIS_HOST"),
    ('os.getenv("REDIS_HOST", "redis") if not DEBUG else "127.0.0.1"', "environment", "REDIS_HOST"),
    # a branch not known: the host is unknown, not the test's variable
    ('"localhost" if DEBUG else get_host()', "unknown", None),
])
def test_a_host_chosen_between_written_values(host: str, kind: str, value: str | None) -> None:
    f = facts(f"""\
        import os
        DEBUG = os.getenv("DEBUG", False)
        INSTALLED_APPS = ["huey.contrib.djhuey"]
        HUEY = {{"name": "q", "connection": {{"host": {host}, "port": 6379}}}}
        """, rel="site/settings.py")
    config = f.django_settings[0].config
    assert config is not None
    [location] = config.storage
    assert location.kind == kind
    if value is not None and kind == "environment":  # the variable that gives the host
        assert location.value.unknown == f"env:{value}"
    elif value is not None:
        assert (location.value.value, location.host) == (value, value)
