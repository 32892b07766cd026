"""Unit tests for the Python app-facts extractor (hueylint.pyapp)."""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

import pytest

from hueylint.appmodel import DEBUG, ENVIRONMENT, LITERAL, LOOPBACK, UNKNOWN, ModuleFacts, env_var, is_debug
from hueylint.pyapp.extract import extract, is_settings_path, might_matter, module_name
from hueylint.sources import SourceFile


def facts(code: str, rel: str = "app/main.py") -> ModuleFacts:
    text = textwrap.dedent(code)
    return extract(SourceFile(Path(rel), rel, text))


# -- might_matter / paths ----------------------------------------------------------


@pytest.mark.parametrize("data", [
    b"from huey import RedisHuey", b"x = RedisHuey()", b"HUEY = {}", b"@lock_task('x')",
    b"from gevent import monkey", b"SIGNAL_INTERRUPTED", b"create_consumer()",
    b"os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x')", b"call_command('run_huey')",
])
def test_might_matter_mentions(data: bytes) -> None:
    assert might_matter(data, "pkg/mod.py")


def test_might_matter_file_names() -> None:
    assert might_matter(b"", "manage.py")
    assert might_matter(b"", "proj/settings_prod.py")
    assert not might_matter(b"import os\nprint(1)\n", "pkg/mod.py")
    # a setup.py declaring console scripts names the commands a unit may run (entry.py reads them)
    assert might_matter(b"setup(entry_points={'console_scripts': ['w = app.w:main']})", "server/setup.py")
    assert not might_matter(b"setup(name='app', packages=['app'])", "setup.py")


def test_module_name_and_settings_path() -> None:
    assert module_name("app/tasks.py") == "app.tasks"
    assert module_name("app/__init__.py") == "app"
    assert is_settings_path("proj/settings.py")
    assert is_settings_path("proj/settings/production.py")
    assert not is_settings_path("proj/views.py")


def test_comment_only_mention_finds_nothing() -> None:
    code = "# we used to use huey here: RedisHuey('x')\nimport os\n"
    assert might_matter(code.encode(), "app/util.py")
    f = facts(code)
    assert f.error is None and f.empty and not f.instances


# -- parsing edge cases --------------------------------------------------------------


def test_syntax_error_is_reported_not_raised() -> None:
    f = facts("from huey import RedisHuey\ndef f(:\n    pass\n")
    assert f.error is not None
    line, col, message = f.error
    assert line == 2 and col >= 1 and message
    assert not f.instances


def test_python_312_syntax() -> None:
    f = facts("""
        from huey import SqliteHuey
        type Alias[T] = list[T]
        class Box[T]:
            item: T
        huey: SqliteHuey = SqliteHuey(filename='/data/huey.db')
        @huey.task()
        def g[T](x: T) -> T:
            match x:
                case 1:
                    return x
            return None
    """)
    assert f.error is None
    (inst,) = f.instances
    assert inst.var == "huey" and inst.class_name == "SqliteHuey"
    assert inst.storage[0].key == "filename" and inst.storage[0].kind == LITERAL
    assert [t.name for t in f.tasks] == ["g"] and f.tasks[0].returns_value


def test_decorators_with_and_without_call_and_aliases() -> None:
    f = facts("""
        import huey
        from huey import RedisHuey as RH
        app = huey.RedisHuey('a')
        other = RH('b')

        @app.task
        def bare():
            pass

        @other.task(retries=2)
        def called():
            return 1
    """)
    assert [(i.var, i.class_name, i.written_class) for i in f.instances] == [
        ("app", "RedisHuey", "huey.RedisHuey"), ("other", "RedisHuey", "RH")]
    bare, called = f.tasks
    assert (bare.decorator_called, bare.instance) == (False, "app")
    assert (called.decorator_called, called.instance, called.returns_value) == (True, "other", True)


def test_decorators_applied_by_a_call() -> None:
    """huey's decorators are plain callables: ``huey.task()(grab)`` registers ``grab``; the task is the bound
    name (calling ``grab`` itself runs in place), and a call of anything else is no task."""
    f = facts("""
        from huey import RedisHuey, crontab
        from huey.contrib.djhuey import db_task
        huey = RedisHuey('a')

        def grab(n):
            return n * 2

        def sweep():
            pass

        grab_task = huey.task(retries=2)(grab)
        huey.periodic_task(crontab(minute='0'))(sweep)
        dj_grab = db_task()(grab)
        not_a_task = huey.task()(lambda: 1)
        also_not = huey.task()(grab, 2)

        def later():
            return grab_task(3)
    """)
    assert [(t.name, t.qualname, t.kind, t.instance, t.periodic, t.returns_value, t.loc.line, t.def_loc.line)
            for t in f.tasks] == [
        ("grab_task", "grab_task", "task", "huey", False, True, 12, 6),
        ("sweep", "sweep", "periodic_task", "huey", True, False, 13, 9),
        ("dj_grab", "dj_grab", "db_task", "", False, True, 14, 6)]
    assert [(c.target, c.local, c.usage) for c in f.task_calls] == [("grab_task", True, "returned")]


def test_module_rebound_to_instance() -> None:
    f = facts("""
        import huey
        huey = huey.RedisHuey('app')

        @huey.periodic_task(huey_crontab)
        def tick():
            return 'ignored'
    """)
    assert f.instances[0].var == "huey"
    assert f.tasks[0].periodic and f.tasks[0].instance == "huey"


def test_conditional_and_nested_definitions() -> None:
    f = facts("""
        from huey import RedisHuey, MemoryHuey
        if DEBUG:
            huey = MemoryHuey()
        else:
            huey = RedisHuey()

        def factory():
            @huey.task()
            def inner_task():
                def helper():
                    return 1
                helper()

            return inner_task

        class Jobs:
            @huey.task()
            def method(self):
                return f"{self}"
    """)
    assert [i.class_name for i in f.instances] == ["MemoryHuey", "RedisHuey"]
    assert all(i.conditional for i in f.instances)
    inner, method = f.tasks
    assert inner.qualname == "factory.inner_task" and not inner.returns_value  # nested return is not its own
    assert method.qualname == "Jobs.method" and method.returns_value


def test_celery_app_task_is_not_a_huey_task() -> None:
    f = facts("""
        from celery import Celery
        app = Celery('x')

        @app.task
        def add(a, b):
            return a + b
    """, rel="app/celery_tasks.py")
    assert not f.tasks


def test_imported_instance_in_huey_aware_module() -> None:
    f = facts("""
        from huey import crontab
        from .main import app

        @app.periodic_task(crontab(minute='*/5'))
        def every_five():
            pass
    """, rel="app/tasks.py")
    (task,) = f.tasks
    assert task.instance == "app" and task.instance_from == ".main.app" and task.periodic


def test_star_import_is_unknown_not_guessed() -> None:
    f = facts("""
        from huey import *
        from .base import *
        huey = RedisHuey('app')
    """)
    assert f.star_imports == ["huey", ".base"]
    assert not f.instances


def test_annotations_and_fstrings() -> None:
    f = facts("""
        from huey import RedisHuey
        HOST: str = "10.0.0.5"
        huey: RedisHuey = RedisHuey(name=f"app", host=HOST, url=None if False else None)
    """)
    inst = f.instances[0]
    assert inst.name.value == "app"
    host = next(s for s in inst.storage if s.key == "host")
    assert host.kind == LITERAL and host.value.value == "10.0.0.5"
    assert host.value.loc.line == 3  # provenance: where the literal is written


# -- Huey instances --------------------------------------------------------------------


def test_instance_arguments() -> None:
    f = facts("""
        from huey import RedisHuey, PriorityRedisExpireHuey
        from huey.serializer import SignedSerializer
        SECRET = 's3cret'
        huey = RedisHuey('app', 'redis-host', serializer=SignedSerializer(secret=SECRET), compression=True)
        quiet = PriorityRedisExpireHuey('q', results=False, immediate=False, use_zlib=False, host='localhost')
    """)
    huey, quiet = f.instances
    assert huey.second_positional is not None and huey.second_positional.line == 5
    assert huey.results.value == "redis-host"  # what huey really does with it
    assert huey.serializer.signed and huey.serializer.secret_literal
    assert huey.serializer.secret.loc.line == 4
    assert huey.compression is not None
    assert huey.storage == ()  # huey's default: Redis on localhost
    assert quiet.class_name == "PriorityRedisExpireHuey"
    assert quiet.results.value is False and quiet.immediate.value is False
    assert quiet.compression is None  # use_zlib=False is harmless
    assert quiet.storage[0].kind == LOOPBACK


def test_storage_locations_and_passwords() -> None:
    f = facts("""
        import os
        from huey import RedisHuey, PostgresHuey, FileHuey
        from redis import ConnectionPool
        a = RedisHuey(url='redis://:hunter2@cache.internal:6379/0')
        b = RedisHuey(url=os.environ['REDIS_URL'])
        c = RedisHuey(url=f"redis://:pw@{os.getenv('REDIS_HOST')}:6379")
        d = RedisHuey(connection_pool=ConnectionPool(host='127.0.0.1', password='secret'))
        e = PostgresHuey(dsn='host=db.example dbname=app password=pgpw')
        g = RedisHuey(host=make_host())
        h = FileHuey(path='/var/huey')
        i = RedisHuey(url='unix:///run/redis.sock')
    """)
    loc = {i.var: i.storage[0] for i in f.instances}
    pw = {i.var: [p.value for p in i.passwords] for i in f.instances}
    assert (loc["a"].kind, loc["a"].host, pw["a"]) == (LITERAL, "cache.internal", ["hunter2"])
    assert loc["b"].kind == ENVIRONMENT and env_var(loc["b"].value) == "REDIS_URL"
    assert loc["c"].kind == ENVIRONMENT and pw["c"] == ["pw"]
    assert (loc["d"].key, loc["d"].kind, pw["d"]) == ("connection_pool", LOOPBACK, ["secret"])
    assert (loc["e"].kind, loc["e"].host, pw["e"]) == (LITERAL, "db.example", ["pgpw"])
    assert loc["g"].kind == UNKNOWN and loc["g"].value.value is None
    assert (loc["h"].key, loc["h"].kind) == ("path", LITERAL)
    assert loc["i"].kind == LOOPBACK


def test_unsigned_or_unknown_serializer() -> None:
    f = facts("""
        from huey import RedisHuey
        from huey.serializer import Serializer, SignedSerializer
        a = RedisHuey(serializer=Serializer())
        b = RedisHuey(serializer=make_serializer())
        c = RedisHuey(serializer=SignedSerializer(secret=settings.SECRET_KEY))
    """)
    a, b, c = (i.serializer for i in f.instances)
    assert a.signed is False
    assert b.signed is None  # not followed: unknown, not "unsigned"
    assert c.signed and not c.secret_literal and c.secret.unknown


def test_env_bound_values() -> None:
    f = facts("""
        import os
        from decouple import config
        import environ
        env = environ.Env()
        from huey import RedisHuey
        IMMEDIATE = env.bool('HUEY_IMMEDIATE', default=False)
        a = RedisHuey(immediate=os.environ.get('A', 'false').lower() == 'true')
        b = RedisHuey(immediate=os.getenv('B'))
        c = RedisHuey(immediate=config('C', cast=bool))
        d = RedisHuey(immediate=IMMEDIATE)
        e = RedisHuey(immediate=env('E'))
        g = RedisHuey(immediate=DEBUG)
        h = RedisHuey(immediate=settings.DEBUG)
        i = RedisHuey(immediate=compute())
    """)
    got = {i.var: i.immediate for i in f.instances}
    assert [env_var(got[k]) for k in "abcde"] == ["A", "B", "C", "HUEY_IMMEDIATE", "E"]
    assert is_debug(got["g"]) and is_debug(got["h"]) and got["g"].unknown == DEBUG
    assert got["i"].unknown and not env_var(got["i"]) and not is_debug(got["i"])


def test_star_kwargs_make_instance_incomplete() -> None:
    f = facts("""
        from huey import RedisHuey
        huey = RedisHuey('app', **HUEY_KWARGS)
    """)
    assert not f.instances[0].complete


def test_local_subclass_resolves_to_huey_class() -> None:
    f = facts("""
        from huey import RedisExpireHuey
        class MyHuey(RedisExpireHuey):
            pass
        huey = MyHuey('app')
    """)
    assert (f.instances[0].class_name, f.instances[0].written_class) == ("RedisExpireHuey", "MyHuey")


def test_immediate_assignment() -> None:
    f = facts("""
        from huey import RedisHuey
        huey = RedisHuey()
        huey.immediate = True
        other.immediate = True
    """, rel="tests/conftest.py")
    (assignment,) = f.immediate_assignments
    assert assignment.target == "huey" and assignment.value.value is True and assignment.loc.line == 4


# -- Django settings ---------------------------------------------------------------


def test_django_huey_dict() -> None:
    f = facts("""
        import os
        HUEY = {
            'huey_class': 'huey.RedisExpireHuey',
            'name': 'app',
            'connection': {'url': os.environ['REDIS_URL']},
            'consumer': {'workers': 4, 'no_periodic': True, 'periodic': False},
        }
    """, rel="proj/settings.py")
    assert f.is_settings
    (setting,) = f.django_settings
    cfg = setting.config
    assert setting.form == "dict" and cfg.huey_class.value == "RedisExpireHuey"
    assert cfg.immediate is None and cfg.immediate_missing  # djhuey falls back to DEBUG
    assert cfg.consumer["workers"].value == 4 and cfg.consumer["no_periodic"].loc.line == 7
    assert cfg.storage[0].kind == ENVIRONMENT
    assert cfg.entries["name"].loc.line == 5  # line 1 is the blank after """


def test_django_huey_immediate_variants() -> None:
    f = facts("""
        DEBUG = True
        BASE = {'name': 'x'}
        HUEY = {'immediate': DEBUG}
        HUEY = {**BASE, 'immediate': False}
        HUEY = {**UNKNOWN_BASE}
        HUEY = {'immediate': env.bool('HUEY_IMMEDIATE')}
    """, rel="proj/settings.py")
    debug, explicit, splat, envbound = (s.config for s in f.django_settings)
    assert is_debug(debug.immediate)
    assert explicit.immediate.value is False and explicit.entries["name"].value == "x"
    assert not splat.complete and not splat.immediate_missing  # a splat may hide 'immediate'
    assert env_var(envbound.immediate) == "HUEY_IMMEDIATE"


def test_django_huey_helper_and_updates() -> None:
    f = facts("""
        def huey_settings(name):
            return {'name': name, 'immediate': False, 'consumer': {'workers': 2}}

        HUEY = huey_settings('app')
        HUEY['immediate'] = True
        HUEY['consumer']['flush_locks'] = True
    """, rel="proj/settings/prod.py")
    helper, imm, consumer = f.django_settings
    # the helper is read for the call: its parameter `name` is the argument 'app', placed at the call
    assert helper.config.immediate.value is False and helper.config.name.value == "app"
    assert (helper.config.name.loc.line, helper.config.name.loc.col) == (5, 22)
    assert helper.config.consumer == {"workers": helper.config.consumer["workers"]}
    assert imm.form == "update" and imm.config.immediate.value is True
    assert consumer.form == "update" and consumer.config.consumer["flush_locks"].value is True


def test_django_huey_instance_setting() -> None:
    f = facts("""
        from huey import MemoryHuey
        HUEY = MemoryHuey('x')
    """, rel="proj/settings.py")
    (setting,) = f.django_settings
    assert setting.form == "instance" and setting.instance.class_name == "MemoryHuey"


def test_django_huey_queues() -> None:
    f = facts("""
        def queue(name, workers=2):
            return {'huey_class': 'huey.RedisHuey', 'name': name, 'consumer': {'workers': workers}}

        DJANGO_HUEY = {
            'default': 'first',
            'queues': {
                'first': queue('first'),
                'files': {'huey_class': 'huey.SqliteHuey', 'filename': '/data/q.db', 'immediate': False},
                'other': make_queue(),
            },
        }
    """, rel="proj/settings.py")
    (setting,) = f.django_settings
    assert setting.name == "DJANGO_HUEY" and setting.default.value == "first"
    assert set(setting.queues) == {"first", "files"} and not setting.queues_complete
    assert setting.queues["first"].consumer["workers"].unknown == "parameter"
    assert setting.queues["files"].storage[0].kind == LITERAL


# -- tasks, calls, locks, signals --------------------------------------------------------


def test_djhuey_decorators() -> None:
    f = facts("""
        from huey.contrib import djhuey
        from huey.contrib.djhuey import periodic_task, HUEY, db_task as dbt, lock_task, signal, on_commit_task
        from huey import crontab

        @djhuey.task()
        def a():
            return {'x': 1}

        @periodic_task(crontab(minute=0))
        @lock_task('every')
        def b():
            return 3

        @dbt
        def c():
            pass

        @HUEY.task()
        async def d():
            return None

        @on_commit_task()
        def e():
            pass
    """, rel="app/tasks.py")
    kinds = {t.name: t.kind for t in f.tasks}
    assert kinds == {"a": "task", "b": "periodic_task", "c": "db_task", "d": "task", "e": "on_commit_task"}
    assert not f.tasks[3].returns_value and f.tasks[0].returns_value
    (lock,) = f.locks
    assert lock.form == "decorator" and not lock.above_task and lock.import_time and lock.ttl is None


def test_lock_decorator_above_task_and_context_lock() -> None:
    f = facts("""
        from huey import RedisHuey, crontab
        huey = RedisHuey()

        @huey.lock_task('reports', ttl=300)
        @huey.periodic_task(crontab())
        def report():
            pass

        @huey.task()
        def backup():
            with huey.lock_task('db-backup'):
                pass

        LOCK = huey.lock_task('module-level')
    """)
    above, ctx, module_level = f.locks
    assert above.above_task and above.ttl.value == 300 and above.task_loc.line == 6
    assert ctx.form == "context" and ctx.name.value == "db-backup" and not ctx.import_time
    assert ctx.function == "backup"
    assert module_level.form == "call" and module_level.import_time


def test_task_calls_and_result_usage() -> None:
    f = facts("""
        from huey import RedisHuey
        from .tasks import send_email
        import app.jobs as jobs
        huey = RedisHuey()

        @huey.task()
        def add(a, b):
            return a + b

        def view():
            add(1, 2)
            r = add.schedule((1, 2), delay=3)
            print(add(3, 4))
            send_email('x')
            jobs.rebuild.schedule(delay=5)
            os.path.join('a', 'b')
            return add(5, 6)
    """)
    calls = [(c.target, c.local, c.method, c.usage) for c in f.task_calls]
    assert calls == [
        ("add", True, "", "expression"),
        ("add", True, "schedule", "unread"),  # `r` is never read
        ("add", True, "", "passed"),
        (".tasks.send_email", False, "", "expression"),
        ("app.jobs.rebuild", False, "schedule", "expression"),
        ("add", True, "", "returned"),
    ]
    assert not f.task_calls[0].result_used and not f.task_calls[1].result_used and f.task_calls[2].result_used


def test_result_bound_to_a_name_is_used_only_when_the_name_is_read() -> None:
    f = facts("""
        from huey import RedisHuey
        huey = RedisHuey()

        @huey.task()
        def add(a, b):
            return a + b

        def unread():
            result = add(1, 2)
            _ = add(1, 2)
            other: object = add(1, 2)

        def read_later():
            result = add(1, 2)
            log(result.id)

        def read_in_closure():
            result = add(1, 2)
            return lambda: result.get()

        def rebound_then_read():
            result = add(1, 2)
            for result in range(3):
                pass

        def escapes():
            result = add(1, 2)
            return locals()

        handle = add(1, 2)
        def module_level_read():
            return handle.get()
    """)
    usage = [c.usage for c in f.task_calls]
    # `read_later` reads only the task id (`result.id`): no result is read there (HL404's `id` usage)
    assert usage == ["unread", "unread", "unread", "id", "assigned", "unread", "assigned", "assigned"]
    assert [c.result_used for c in f.task_calls] == [False] * 4 + [True, False, True, True]


@pytest.mark.parametrize(("body", "id_only"), [
    ("r = add(1)\nlog(r.id)\ns = add(2)\nlog(s.get())\nlog(s.id)", ["r"]),
    ("r = add(1)\nlog(r.id, r.id)\nr.id = 3", ["r"]),
    ("r = add(1)\nlog(r.id)\nreturn locals()", []),  # any name may be read through locals()
    ("r = add(1)\nlog(r.id)\nreturn self.vars", ["r"]),  # an attribute named vars is no call of vars()
    ("r = add(1)\nlog(r.id)\nlambda: r", []),
    ("r = add(1)\nlog(r.id)\ndel r", ["r"]),
    ("r = add(1)\nlog(r.id)\nx = r.id.id", ["r"]),
])
def test_one_walk_per_scope_answers_every_id_only_question_as_its_own_walk(body: str, id_only: list[str]) -> None:
    """The walk :func:`is_read` keeps for a scope answers :func:`only_id_read` for each name as a walk of
    that name alone does (a module with many task calls is walked once): the names read only for their task
    id (the values a walk per name gave before the walks were shared)."""
    import ast

    from hueylint.pyapp.tasks import ScopeReads, _reads, only_id_read, only_id_read_in

    scope = ast.parse("def f(self):\n" + textwrap.indent(body, "    ")).body[0]
    walked = {id(scope): ScopeReads(Counter(), "", _reads(scope))}
    names = ("r", "s", "x", "locals")
    assert [name for name in names if only_id_read_in(scope, name, walked)] == id_only
    assert [name for name in names if only_id_read_in(scope, name, {})] == id_only  # (walked there)
    assert [name for name in names if only_id_read(scope, name)] == id_only


def test_result_bound_to_a_name_with_a_middle_dot_is_read_as_written() -> None:
    """An identifier may hold characters that are not regex word characters (U+00B7 MIDDLE DOT): `r·1` read
    again is read, and written once is not (the scope's words split it into `r` and `1`)."""
    f = facts("""
        from .tasks import add

        def read_later():
            r\u00b71 = add(1, 2)
            log(r\u00b71.get())

        def unread():
            r\u00b71 = add(1, 2)
            log(r, 1)
    """)
    assert [c.usage for c in f.task_calls] == ["assigned", "unread"]


def test_each_scope_is_walked_once_for_all_its_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """A module binding 30 Results at module level (OneSila's schema mutations: 49) is walked once to learn
    which names it reads, not once per Result; the answers stay per name."""
    from hueylint.pyapp import tasks

    walks: list[object] = []
    real = tasks._reads
    monkeypatch.setattr(tasks, "_reads", lambda scope: walks.append(scope) or real(scope))
    calls = "".join(f"r{n} = add({n}, 1)\nr{n}b = add({n}, 2)\n" for n in range(30))
    reads = "".join(f"log(r{n})\n" for n in range(0, 30, 2))
    f = facts("from huey import RedisHuey\nhuey = RedisHuey()\n\n@huey.task()\ndef add(a, b):\n"
              "    return a + b\n\n" + calls + reads)
    assert [c.usage for c in f.task_calls] == ["assigned" if n % 2 == 0 and not second else "unread"
                                               for n in range(30) for second in (False, True)]
    assert len(walks) == 1


def test_signal_handlers() -> None:
    f = facts("""
        from huey import RedisHuey, signals
        from huey.signals import SIGNAL_INTERRUPTED, SIGNAL_ERROR
        huey = RedisHuey()

        @huey.signal(SIGNAL_INTERRUPTED)
        def requeue(signal, task, *args, **kwargs):
            huey.enqueue(task)

        @huey.signal(signals.SIGNAL_ERROR)
        def log_error(signal, task, exc):
            print(exc)

        @huey.signal()
        def everything(signal, task, *args):
            pass

        @huey.signal(some_signal())
        def unknown(signal, task):
            pass
    """)
    requeue, log_error, everything, unknown = f.signal_handlers
    assert requeue.handles_interrupted and requeue.reenqueues
    assert not log_error.handles_interrupted and log_error.signals == ("SIGNAL_ERROR",)
    assert everything.handles_interrupted and not everything.reenqueues
    assert not unknown.signals_known and not unknown.handles_interrupted


def test_djhuey_signal() -> None:
    f = facts("""
        from huey.contrib.djhuey import signal, enqueue
        from huey.signals import SIGNAL_INTERRUPTED

        @signal(SIGNAL_INTERRUPTED)
        def requeue(sig, task, *args, **kwargs):
            enqueue(task)
    """, rel="app/signals.py")
    (handler,) = f.signal_handlers
    assert handler.handles_interrupted and handler.reenqueues


# -- gevent, consumers, manage.py -----------------------------------------------------------


def test_gevent_patch_order() -> None:
    f = facts("""
        #!/usr/bin/env python
        import os
        import sys

        if 'run_huey' in sys.argv:
            from gevent import monkey
            monkey.patch_all()

        import django

        def late():
            import gevent.monkey
            gevent.monkey.patch_all()
    """, rel="manage.py")
    early, late = f.gevent_patches
    assert early.first and early.guarded and early.loc.line == 8
    assert [m for m, _ in late.preceding_imports] == ["django"] and late.in_function


def test_consumer_scripts() -> None:
    f = facts("""
        from huey.consumer import Consumer
        from huey.consumer_options import ConsumerConfig, OptionParserHandler
        from myapp.main import huey

        def consumer_main():
            parser_handler = OptionParserHandler()
            options, args = parser_handler.get_option_parser().parse_args()
            config = ConsumerConfig(**options.__dict__)
            consumer = huey_instance.create_consumer(**config.values)
            consumer.run()

        c = Consumer(huey, workers=4, periodic=False)
        c.run()
        built = huey.create_consumer(workers=2)
    """, rel="bin/huey_consumer.py")
    vendored, direct, not_run = f.consumer_scripts
    assert vendored.vendored and not vendored.options_known and vendored.runs
    assert direct.call == "Consumer" and direct.instance == "huey" and direct.runs
    assert direct.options["workers"].value == 4 and direct.options["periodic"].value is False
    assert not not_run.runs


def test_call_command_and_settings_module() -> None:
    f = facts("""
        import os
        from django.core.management import call_command

        def main():
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
            call_command("run_huey", workers=4, worker_type="greenlet", flush_locks=True)
            call_command("migrate")
    """, rel="proj/cli.py")
    (cmd,) = f.call_commands
    assert cmd.command == "run_huey" and cmd.kwargs["workers"].value == 4 and cmd.complete
    assert [v.value for v in f.django_settings_modules] == ["proj.settings"]


def test_huey_methods_are_not_task_calls_and_pipeline_steps_are() -> None:
    f = facts("""
        from config import huey
        from tasks import add

        def run():
            huey.enqueue(add.s(1, 2))
            huey.storage.put_data('k', b'v')
    """, rel="app/run.py")
    assert [(c.target, c.method, c.usage) for c in f.task_calls] == [("tasks.add", "s", "passed")]


def test_signal_registered_without_decorator() -> None:
    f = facts("""
        from huey import RedisHuey
        from huey.signals import SIGNAL_INTERRUPTED
        huey = RedisHuey()

        def requeue(signal, task, *args, **kwargs):
            huey.enqueue(task)

        huey.signal(SIGNAL_INTERRUPTED)(requeue)
    """)
    (handler,) = f.signal_handlers
    assert handler.function == "requeue" and handler.handles_interrupted and handler.reenqueues


def test_storage_class_names_the_import() -> None:
    f = facts("""
        from huey import Huey
        from huey.storage import RedisStorage
        huey = Huey('app', storage_class=RedisStorage)
    """)
    assert f.instances[0].storage_class.value == "huey.storage.RedisStorage"


def test_function_locals_do_not_resolve_to_module_constants() -> None:
    f = facts("""
        from huey import RedisHuey
        HOST = 'localhost'

        def make(HOST):
            return RedisHuey(host=HOST)

        def other():
            return RedisHuey(host=HOST)
    """)
    shadowed, module_level = f.instances
    assert shadowed.storage[0].kind == UNKNOWN and shadowed.storage[0].value.unknown == "parameter"
    assert module_level.storage[0].kind == LOOPBACK


# -- provenance of built URLs and multi-assigned names ---------------------------------


def test_built_urls_keep_the_provenance_of_their_host_part() -> None:
    f = facts("""
        import os
        from huey import RedisHuey, PostgresHuey
        REDIS_URL = os.environ["REDIS_URL"]
        n = os.environ.get("REDIS_DB", "0")
        a = RedisHuey(url=f"{REDIS_URL}?ssl_cert_reqs=none")
        b = RedisHuey(url=f"{REDIS_URL}/?db={n}")
        c = RedisHuey(url=REDIS_URL + "/0")
        d = RedisHuey(url="%s/%s" % (REDIS_URL, n))
        e = RedisHuey(url="{}/{}".format(REDIS_URL, n))
        g = RedisHuey(url=f"redis://{os.getenv('REDIS_HOST')}:6379/{n}")
        h = RedisHuey(url=f"redis://localhost:6379/{n}")
        i = PostgresHuey(dsn=f"dbname=app password={n}")
        j = PostgresHuey(dsn=f"host={os.environ['PGHOST']} dbname=app")
        k = RedisHuey(url=f"{scheme()}://cache.internal/{n}")
        m = RedisHuey(url="{0}/{1}".format(REDIS_URL, n))
        o = RedisHuey(url="{base}?db={db}".format(db=n, base=REDIS_URL))
        q = RedisHuey(url="redis://{}:6379/{}".format(os.environ["QHOST"], n))
    """)
    loc = {i.var: i.storage[0] for i in f.instances}
    for var in "abcde":
        assert (var, loc[var].kind, env_var(loc[var].value)) == (var, ENVIRONMENT, "REDIS_URL")
    assert (loc["g"].kind, env_var(loc["g"].value)) == (ENVIRONMENT, "REDIS_HOST")  # the host's part, not the db's
    assert loc["h"].kind == LOOPBACK
    assert loc["i"].kind == LOOPBACK  # a real DSN without host=: the local socket
    assert (loc["j"].kind, env_var(loc["j"].value)) == (ENVIRONMENT, "PGHOST")
    assert (loc["k"].kind, loc["k"].host) == (LITERAL, "cache.internal")
    for var in "mo":
        assert (var, loc[var].kind, env_var(loc[var].value)) == (var, ENVIRONMENT, "REDIS_URL")
    assert (loc["q"].kind, env_var(loc["q"].value)) == (ENVIRONMENT, "QHOST")


def test_names_assigned_in_branches_and_loops_come_from_the_environment() -> None:
    f = facts("""
        import os
        from huey import RedisHuey
        URL = None
        for var in ("REDIS_URL", "REDIS_TLS_URL"):
            URL = os.environ.get(var)
            if URL:
                break
        try:
            HOST = os.environ["REDIS_HOST"]
        except KeyError:
            HOST = os.environ["CACHE_HOST"]
        if os.getenv("X"):
            MIXED = "10.0.0.1"
        else:
            MIXED = os.environ["MIXED"]
        a = RedisHuey(url=URL)
        b = RedisHuey(host=HOST)
        c = RedisHuey(host=MIXED)
        while False:
            LOOPED = os.environ["LOOPED"]
        d = RedisHuey(host=LOOPED)
    """)
    loc = {i.var: i.storage[0] for i in f.instances}
    assert env_var(loc["a"].value) == "REDIS_URL/REDIS_TLS_URL"
    assert env_var(loc["b"].value) == "REDIS_HOST/CACHE_HOST"
    assert loc["c"].kind == UNKNOWN  # one branch is a literal: not "from the environment"
    assert env_var(loc["d"].value) == "LOOPED"  # a while body runs at import time too


def test_names_reassigned_from_themselves_come_from_their_other_values() -> None:
    """``X = X.strip()`` makes X from X's earlier value: it neither loops the search (before: a RecursionError,
    reported as HL001 "expressions nested too deeply" on a valid file) nor hides where X comes from."""
    f = facts("""
        import os
        from huey import RedisHuey
        URL = os.environ.get("REDIS_URL")
        if URL:
            URL = URL.rstrip("/")
        PREFIX = os.environ.get("PREFIX")
        PREFIX = f"{PREFIX}-x" if PREFIX else None
        A = os.environ.get("A_HOST")
        B = A
        if B:
            A = B.strip()
        a = RedisHuey(url=URL)
        b = RedisHuey(host=PREFIX)
        c = RedisHuey(host=A)
    """)
    assert f.error is None
    loc = {i.var: i.storage[0] for i in f.instances}
    assert env_var(loc["a"].value) == "REDIS_URL"
    assert env_var(loc["b"].value) == "PREFIX"
    assert loc["c"].kind == UNKNOWN  # through another name: the search stops at its depth limit, no claim


def test_augmented_assignments_keep_where_a_name_comes_from() -> None:
    """``X += v`` is ``X = X + v``: the environment a URL comes from survives a query string appended in
    place (cubers.io: ``REDIS_URL += "?ssl_cert_reqs=none"`` under ``if REDIS_URL:`` hid HL402), also for
    any operator, a settings module's exported name, and a name only extended (never read from the
    environment) stays unknown; a literal extended in place at the top level is the one value Python leaves
    there (`"redis://localhost:6379" + "/0"`: loopback)."""
    f = facts("""
        import os
        from huey import RedisHuey
        URL = os.environ.get("REDIS_URL")
        if URL:
            if not URL.endswith("?ssl=1"):
                URL += "?ssl=1"
        HOST = os.getenv("REDIS_HOST", None)
        HOST %= ()
        LOCAL = "redis://localhost:6379"
        LOCAL += "/0"
        OTHER = make_url()
        OTHER += "/0"
        a = RedisHuey(url=URL)
        b = RedisHuey(host=HOST)
        c = RedisHuey(url=LOCAL)
        d = RedisHuey(url=OTHER)
    """)
    assert f.error is None
    loc = {i.var: i.storage[0] for i in f.instances}
    assert env_var(loc["a"].value) == "REDIS_URL"
    assert env_var(loc["b"].value) == "REDIS_HOST"
    assert (loc["c"].kind, loc["c"].host) == (LOOPBACK, "localhost")
    assert loc["d"].kind == UNKNOWN


def test_consumer_options_built_with_consumerconfig_or_dicts() -> None:
    f = facts("""
        from huey import consumer_options
        from huey.consumer import Consumer
        from huey.consumer_options import ConsumerConfig
        from .tasks import huey

        BASE = {"workers": 4, "worker_type": "thread"}
        CONFIG = ConsumerConfig(workers=2, periodic=False)

        def main():
            config = ConsumerConfig(workers=8, periodic=False)
            config.validate()
            huey.create_consumer(**config.values).run()

        def other():
            opts = dict(BASE, flush_locks=True)
            Consumer(huey, **opts).run()

        def third():
            huey.create_consumer(**consumer_options.ConsumerConfig(**BASE, periodic=False)._asdict()).run()

        def unknown(parsed):
            huey.create_consumer(**ConsumerConfig(**parsed).values).run()

        huey.create_consumer(**CONFIG.values).run()
    """, rel="wpkg/consumer.py")
    got = [({k: v.value for k, v in s.options.items()}, s.options_known) for s in f.consumer_scripts]
    assert got == [
        ({"workers": 8, "periodic": False}, True),
        ({"workers": 4, "worker_type": "thread", "flush_locks": True}, True),
        ({"workers": 4, "worker_type": "thread", "periodic": False}, True),
        ({}, False),
        ({"workers": 2, "periodic": False}, True),
    ]
    assert f.consumer_scripts[0].options["periodic"].loc.line == 11  # where the option is written


def test_module_attribute_bindings_keep_constants_and_debug_readable() -> None:
    f = facts("""
        from django.conf import settings
        from huey import RedisHuey
        from proj import queue
        EAGER = settings.DEBUG
        huey = queue.HUEY
        a = RedisHuey(immediate=EAGER)
    """)
    assert is_debug(f.instances[0].immediate)
    assert f.bound_imports == {"EAGER": "django.conf.settings.DEBUG", "huey": "proj.queue.HUEY"}
    assert "huey" not in f.imports  # `huey.task` receivers are not taken for an import of the huey package
