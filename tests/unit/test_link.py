"""The app layer: resolving launches to app modules, Django settings, Python entry points, and the facts cache."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hueylint.config import Settings
from hueylint.engine import Options, build_project
from hueylint.pyapp import cache as cache_module
from hueylint.pyapp import extract as extract_module
from hueylint.pyapp.link import App, Repo, app_for, repo_of
from hueylint.pyapp.resolve import binds_name, is_test_path, resolve_import, split_app_path
from tests.helpers import lint, triples, write_tree

SERVICE = """[Service]
WorkingDirectory=/srv/app
ExecStart=/srv/app/venv/bin/huey_consumer {app} -g TERM -t 50 {flags}
TimeoutStopSec=60
"""


def project(root: Path, files: dict[str, str], *, cache: bool = False):
    write_tree(root, files)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    _ws, proj, _ = build_project([root], Settings(root=root.resolve()), Options(cache=cache))
    return proj


# -- resolve helpers --------------------------------------------------------------------------------


def test_split_app_path() -> None:
    assert split_app_path("my_app.main.huey").module == "my_app.main"
    assert split_app_path("pkg.mod:huey") is None
    assert split_app_path("huey") is None


def test_resolve_import_relative() -> None:
    assert resolve_import("app.tasks", False, ".main.huey") == "app.main.huey"
    assert resolve_import("app", True, ".main") == "app.main"
    assert resolve_import("app.sub.tasks", False, "..main") == "app.main"
    assert resolve_import("app.tasks", False, "other.x") == "other.x"


@pytest.mark.parametrize(("rel", "test"), [
    ("tests/test_x.py", True), ("app/tests/helpers.py", True), ("conftest.py", True),
    ("app/test_tasks.py", True), ("fixtures/app.py", True), ("app/tasks.py", False), ("app/testing_utils.py", False),
])
def test_is_test_path(rel: str, test: bool) -> None:
    assert is_test_path(rel) is test


def test_binds_name() -> None:
    assert binds_name("huey = make()\n", "huey")
    assert binds_name("from .config import huey\n", "huey")
    assert binds_name("huey: Huey = make()\n", "huey")
    assert binds_name("x = 1\n", "huey") is False
    assert binds_name("from .base import *\n", "huey") is None


# -- huey_consumer apps ---------------------------------------------------------------------------


def test_app_path_resolves_through_an_import(tmp_path: Path) -> None:
    proj = project(tmp_path, {
        "huey.service": SERVICE.format(app="my_app.main.huey", flags=""),
        "my_app/__init__.py": "",
        "my_app/config.py": "from huey import RedisHuey\nhuey = RedisHuey('a')\n",
        "my_app/main.py": "from .config import huey\nfrom . import tasks\n",
        "my_app/tasks.py": "from .config import huey\n\n@huey.task()\ndef t():\n    pass\n",
        "my_app/views.py": "from .config import huey\n\n@huey.periodic_task(None)\ndef p():\n    pass\n",
    })
    launch = proj.launches[0]
    app = app_for(proj, launch)
    assert isinstance(app, App) and app.kind == "huey"
    assert app.instances and app.instances[0].class_name == "RedisHuey"
    assert set(app.modules) == {"my_app/main.py", "my_app/config.py", "my_app/tasks.py", "my_app/__init__.py"}
    assert [t.name for t in app.tasks] == ["t"]
    assert isinstance(repo_of(proj), Repo)


def test_src_layout_and_workdir(tmp_path: Path) -> None:
    proj = project(tmp_path, {
        "deploy/huey.service": SERVICE.format(app="svc.queue.huey", flags="").replace("/srv/app", "/opt/backend"),
        "backend/svc/__init__.py": "",
        "backend/svc/queue.py": "from huey import SqliteHuey\nhuey = SqliteHuey('a')\n",
    })
    app = app_for(proj, proj.launches[0])
    assert app is not None and app.entry is not None and app.entry.rel == "backend/svc/queue.py"


def test_unresolved_only_when_the_package_is_in_the_repo(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "a.service": SERVICE.format(app="my_app.missing.huey", flags=""),
        "b.service": SERVICE.format(app="thirdparty.huey", flags=""),
        "c.service": SERVICE.format(app="my_app.main.nope", flags=""),
        "my_app/__init__.py": "",
        "my_app/main.py": "from huey import RedisHuey\nhuey = RedisHuey('a')\n",
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    found = triples(lint(tmp_path), "HL003")
    assert found == [("HL003", "a.service", 3), ("HL003", "c.service", 3)]


def test_colon_app_path_is_hl002(tmp_path: Path) -> None:
    write_tree(tmp_path, {"huey.service": SERVICE.format(app="my_app.main:huey", flags="")})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert triples(lint(tmp_path), "HL002") == [("HL002", "huey.service", 3)]


# -- Django -------------------------------------------------------------------------------------------

DJANGO = {
    "Procfile": "web: gunicorn mysite.wsgi\nworker: python manage.py run_huey -w 2\n",
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.production')\n",
    "mysite/__init__.py": "",
    "mysite/settings/__init__.py": "",
    "mysite/settings/base.py": "HUEY = {\n    'name': 'x',\n    'immediate': False,\n"
                               "    'consumer': {'workers': 8, 'periodic': False, 'flush_locks': True},\n}\n",
    "mysite/settings/production.py": "from .base import *\n\nHUEY['consumer']['graceful_signal'] = 'TERM'\n",
    "mysite/settings/dev.py": "from .base import *\nHUEY = {'immediate': True}\n",
    "shop/__init__.py": "",
    "shop/tasks.py": "from huey.contrib.djhuey import db_task\n\n@db_task()\ndef charge():\n    pass\n",
}


def test_django_settings_merge_over_consumer_settings(tmp_path: Path) -> None:
    proj = project(tmp_path, DJANGO)
    launch = proj.launches[0]
    app = app_for(proj, launch)
    assert app is not None and app.kind == "django"
    assert app.settings_rels == ["mysite/settings/production.py"]
    assert launch.options["workers"].value == 2  # the command line wins
    assert launch.options["workers"].loc.path == "Procfile"
    assert launch.options["periodic"].value is False  # from base.py
    assert launch.options["periodic"].loc.path == "mysite/settings/base.py"
    assert launch.options["graceful_signal"].value == "TERM"  # the production update
    assert launch.flushes_locks
    assert [t.name for t in app.tasks] == ["charge"]


def test_untracked_override_makes_settings_unknown(tmp_path: Path) -> None:
    files = dict(DJANGO)
    files["mysite/settings/production.py"] = "from .base import *\n\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n"
    proj = project(tmp_path, files)
    app = app_for(proj, proj.launches[0])
    assert app is not None and app.config is None
    assert "periodic" not in proj.launches[0].options


def test_every_settings_module_when_it_cannot_be_told(tmp_path: Path) -> None:
    files = {k: v for k, v in DJANGO.items() if k != "manage.py"}
    proj = project(tmp_path, files)
    app = app_for(proj, proj.launches[0])
    assert app is not None and app.settings_rels == ["mysite/settings/production.py"]


# -- Python entry points ---------------------------------------------------------------------------


def test_create_consumer_script_is_a_launch(tmp_path: Path) -> None:
    proj = project(tmp_path, {
        "huey.service": "[Service]\nExecStart=/srv/venv/bin/python /srv/app/run_worker.py\n",
        "app.py": "from huey import RedisHuey\nhuey = RedisHuey('a')\n",
        "run_worker.py": "from app import huey\n\nif __name__ == '__main__':\n"
                         "    consumer = huey.create_consumer(workers=4, flush_locks=True)\n    consumer.run()\n",
        "other.py": "print('hi')\n",
    })
    assert len(proj.launches) == 1
    launch = proj.launches[0]
    assert launch.program == "script"
    assert launch.options["workers"].value == 4 and launch.flushes_locks
    app = app_for(proj, launch)
    assert app is not None and app.instances and app.instances[0].var == "huey"


def test_call_command_cli_only_for_its_worker_subcommand(tmp_path: Path) -> None:
    cli = ("import click\nfrom django.core.management import call_command\n\n\n@click.group()\ndef cli():\n    pass\n\n\n"
           "@cli.command('worker')\ndef run_worker():\n    call_command('run_huey', workers=3)\n\n\n"
           "@cli.command()\ndef web():\n    pass\n")
    proj = project(tmp_path, {
        "Procfile": "web: python -m mysite.cli web\nworker: python -m mysite.cli worker\n",
        "mysite/__init__.py": "",
        "mysite/cli.py": cli,
    })
    assert [(launch.name, launch.program) for launch in proj.launches] == [("worker", "run_huey")]
    assert proj.launches[0].options["workers"].value == 3


def test_plain_python_commands_are_not_launches(tmp_path: Path) -> None:
    proj = project(tmp_path, {
        "Procfile": "web: python app.py\nclock: python -m app.clock\n",
        "app.py": "from huey import RedisHuey\nhuey = RedisHuey('a')\n",
    })
    assert proj.launches == []


# -- the cache ------------------------------------------------------------------------------------------


def test_second_run_parses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = dict(DJANGO)
    write_tree(tmp_path, files)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    calls: list[str] = []
    real = extract_module.extract

    def counting(src):  # noqa: ANN001, ANN202
        calls.append(src.rel)
        return real(src)

    monkeypatch.setattr(extract_module, "extract", counting)
    first = triples(lint(tmp_path))
    assert calls
    calls.clear()
    second = triples(lint(tmp_path))
    assert calls == [] and first == second
    assert (tmp_path / ".hueylint_cache" / ".gitignore").read_text().strip().endswith("*")
    # a changed file is parsed again, the others still come from the cache
    (tmp_path / "shop/tasks.py").write_text(files["shop/tasks.py"] + "\n# changed\n")
    lint(tmp_path)
    assert calls == ["shop/tasks.py"]


def test_no_cache_option_and_corrupt_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"app.py": "from huey import RedisHuey\nhuey = RedisHuey('a', immediate=True)\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    _ws, _proj, _ = build_project([tmp_path], Settings(root=tmp_path.resolve()), Options(cache=False))
    assert not (tmp_path / ".hueylint_cache").exists()
    assert triples(lint(tmp_path), "HL401") == [("HL401", "app.py", 2)]
    for entry in (tmp_path / ".hueylint_cache").rglob("*.json"):
        entry.write_text('{"$c": "ModuleFacts", "f": {"rel": ', encoding="utf-8")  # truncated
    assert triples(lint(tmp_path), "HL401") == [("HL401", "app.py", 2)]
    for entry in (tmp_path / ".hueylint_cache").rglob("*.json"):
        entry.write_text('{"$c": "Popen", "f": {}}', encoding="utf-8")  # not a fact class: never built
    assert triples(lint(tmp_path), "HL401") == [("HL401", "app.py", 2)]


def test_cache_round_trip_keeps_every_fact() -> None:
    from hueylint.sources import SourceFile

    text = Path(__file__).with_name("test_pyapp.py").read_text(encoding="utf-8")
    src = SourceFile(path=Path("x.py"), rel="pkg/x.py", text=text, format="python")
    facts = extract_module.extract(src)
    assert cache_module.decode(cache_module.encode(facts)) == facts


def test_vendored_consumer_script_parses_its_arguments(tmp_path: Path) -> None:
    vendored = ("import sys\nfrom huey.consumer_options import ConsumerConfig, OptionParserHandler\n"
                "from huey.utils import load_class\n\n\ndef main():\n    parser = OptionParserHandler().get_option_parser()\n"
                "    options, args = parser.parse_args()\n    huey = load_class(args[0])\n"
                "    config = ConsumerConfig(**options.__dict__)\n"
                "    consumer = huey.create_consumer(**config.values)\n    consumer.run()\n\n\nmain()\n")
    proj = project(tmp_path, {
        "huey.service": "[Service]\nExecStart=/srv/venv/bin/python bin/consumer.py my_app.main.huey -w 4 -f\n",
        "bin/consumer.py": vendored,
        "my_app/__init__.py": "",
        "my_app/main.py": "from huey import RedisHuey\nhuey = RedisHuey('a')\n",
    })
    [launch] = proj.launches
    assert launch.program == "huey_consumer" and launch.options["workers"].value == 4 and launch.flushes_locks
    app = app_for(proj, launch)
    assert app is not None and app.entry is not None and app.entry.rel == "my_app/main.py"


def test_parallel_prefetch_gives_the_same_facts_as_in_process(tmp_path, monkeypatch):
    """Large trees are parsed in worker processes; the facts must not depend on where they were parsed."""
    from hueylint.pyapp import cache as cache_module
    from hueylint.pyapp.extract import extract
    from hueylint.sources import SourceFile

    sources = [SourceFile(path=tmp_path / f"m{i}.py", rel=f"pkg/m{i}.py", text=(
        "from huey import RedisHuey, crontab\n"
        f"huey = RedisHuey('app{i}', host='redis')\n"
        "@huey.periodic_task(crontab(minute='0'))\n"
        "@huey.lock_task('x')\n"
        f"def job{i}():\n    return {i}\n")) for i in range(6)]
    monkeypatch.setattr(cache_module, "PARALLEL_MIN", 2)
    monkeypatch.setattr(cache_module.os, "cpu_count", lambda: 2)
    cache = cache_module.FactsCache(tmp_path, enabled=False)
    cache.prefetch(sources)
    assert cache.misses == 6
    for src in sources:
        assert cache.facts(src) == extract(src)
    assert cache.misses == 6  # every file came from the prefetch
