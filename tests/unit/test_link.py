"""The app layer: resolving launches to app modules, Django settings, Python entry points, and the facts cache."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from hueylint.appmodel import App, Repo, app_for, resolve_import
from hueylint.config import Settings
from hueylint.engine import Options, build_project
from hueylint.pyapp import cache as cache_module
from hueylint.pyapp import extract as extract_module
from hueylint.pyapp.resolve import binds_name, is_test_path, split_app_path
from tests.helpers import lint, triples, write_tree

SERVICE = """[Service]
WorkingDirectory=/srv/app
ExecStart=/srv/app/venv/bin/huey_consumer {app} -g TERM -t 50 {flags}
TimeoutStopSec=60
"""


@pytest.fixture(autouse=True)
def _idle_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests that ask for worker processes get them however busy the machine running the suite is
    (:func:`hueylint.workers.busy` reads the load average)."""
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))


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
    # setattr on an object sets its attribute; on the module itself (sys.modules) it may bind any name
    assert binds_name("def f(row):\n    setattr(row, 'x', 1)\n", "huey") is False
    assert binds_name("import sys\nsetattr(sys.modules[__name__], n, 1)\n", "huey") is None
    assert binds_name("setattr(make(), 'x', 1)\n", "huey") is None
    assert binds_name("vars().update(x)\n", "huey") is None
    # an import continued over several lines, in parentheses or after a backslash (Handees/backend)
    assert binds_name("from tasks.booking import (\n    pbq, huey\n)\n", "huey")
    assert binds_name("from tasks.booking import (  # noqa\n    pbq,\n    huey,\n)\n", "huey")
    assert binds_name("from tasks.booking import (\n    pbq as huey,\n)\n", "huey")
    assert binds_name("from tasks.booking import pbq, \\\n    huey\n", "huey")
    assert binds_name("from tasks.booking import (\n    pbq,\n    hueys,\n)\nhuey_count = 1\n", "huey") is False


@pytest.mark.parametrize("text", [
    "from tasks import (  # re-exported (see deploy/)\n    pbq,\n    huey,\n)\n",  # parentheses in its comment
    "with QueueFactory('redis') as huey:\n    pass\n",
    "for huey in [make()]:\n    break\n",
    "if (huey := make()) is None:\n    raise SystemExit\n",
    "try:\n    import queue_app\nexcept ImportError as huey:\n    pass\n",
    "match make():\n    case Queue() as huey:\n        pass\n",
])
def test_binds_name_in_every_form_python_binds(text: str) -> None:
    assert binds_name(text, "huey")
    assert binds_name(text.replace("huey", "queue"), "huey") is False


def test_hl003_reads_an_import_list_whose_comment_holds_parentheses(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "queues.py": "from huey import RedisHuey, SqliteHuey\nKINDS = {'redis': RedisHuey, 'sqlite': SqliteHuey}\n\n"
                     "class QueueFactory:\n    def __init__(self, kind):\n        self.huey = KINDS[kind]('app')\n",
        "tasks.py": "from queues import QueueFactory\n\nhuey = QueueFactory('redis').huey\n",
        "worker.py": "from tasks import (  # the consumer imports these (see deploy/)\n    huey,\n)\n",
        "huey.service": "[Service]\nUser=app\nExecStart=/srv/venv/bin/huey_consumer worker.huey -w 2 -g TERM -t 50\n"
                        "TimeoutStopSec=60\nRestart=always\nExecReload=/bin/kill -HUP $MAINPID\n",
        "requirements.txt": "huey==3.5.0\n",
    })
    assert triples(lint(tmp_path), "HL003") == []
    (tmp_path / "worker.py").write_text("from tasks import (  # the consumer imports these (see deploy/)\n    hue,\n)\n")
    assert triples(lint(tmp_path), "HL003") == [("HL003", "huey.service", 3)]


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
    assert isinstance(proj.repo, Repo)


@pytest.mark.parametrize("importer", ["from .config import huey\nfrom . import tasks\n",
                                      "from . import config, tasks\nhuey = config.huey\n"])
def test_relative_imports_walk_the_importers_own_folder(tmp_path: Path, importer: str) -> None:
    """``from . import tasks`` in ``app/main.py`` is the sibling ``app/tasks.py``, as Python resolves it, never
    a ``tasks.py`` of another source root (here the repository root, searched first, while the module name was
    read from the ``app`` root): the closure holds the sibling's periodic task, not the other file's lock."""
    proj = project(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nSTOPSIGNAL SIGINT\n",
        "compose.yaml": "services:\n  worker:\n    build: .\n    command: [huey_consumer, app.main.huey]\n",
        "app/__init__.py": "",
        "app/config.py": "from huey import RedisHuey\nhuey = RedisHuey('a')\n",
        "app/main.py": importer,
        "app/tasks.py": "from .config import huey\n\n@huey.periodic_task(None)\ndef p():\n    pass\n",
        "tasks.py": "from huey import RedisHuey\nhuey = RedisHuey('old')\n\n@huey.lock_task('x')\ndef old():\n    pass\n",
        "config.py": "REDIS_URL = 'redis://localhost'\n",
    })
    app = app_for(proj, proj.launches[0])
    assert isinstance(app, App)
    assert sorted(rel for rel in app.modules if rel.endswith(("tasks.py", "config.py"))) == [
        "app/config.py", "app/tasks.py"]
    assert [t.name for t in app.tasks] == ["p"] and not app.locks


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


@pytest.mark.parametrize(("files", "expected"), [
    # a chain of repository star imports, none binding the name: the consumer cannot start
    ({"web/__init__.py": "from web.views import *\nfrom .cli import *\n",
      "web/views/__init__.py": "from .pages import *\n", "web/views/pages.py": "from web.jobs import grade\n",
      "web/cli.py": "__all__ = ['seed']\nfrom web.jobs import huey\n"}, [("HL003", "a.service", 3)]),
    # a star-imported module that imports the instance exports it (no __all__: every public global)
    ({"web/__init__.py": "from .views import *\n", "web/views.py": "from web.jobs import huey\n"}, []),
    # through a literal __all__ that names it
    ({"web/__init__.py": "from .views import *\n",
      "web/views.py": "__all__ = ('huey',)\nfrom web.jobs import huey\n"}, []),
    # an __all__ built by code, a star import from outside the repository: not told
    ({"web/__init__.py": "from .views import *\n",
      "web/views.py": "__all__ = []\n__all__ += ['huey']\nfrom web.jobs import huey\n"}, []),
    ({"web/__init__.py": "from flask_app_helpers import *\n"}, []),
    # a package's submodule of that name is one of its globals once imported
    ({"web/__init__.py": "from .sub import *\n", "web/sub/__init__.py": "x = 1\n",
      "web/sub/huey.py": "x = 1\n"}, []),
    # two modules star-importing each other: the cycle ends, nothing binds the name
    ({"web/__init__.py": "from .a import *\n", "web/a.py": "from .b import *\n", "web/b.py": "from .a import *\n"},
     [("HL003", "a.service", 3)]),
])
def test_app_attribute_bound_only_through_star_imports(tmp_path: Path, files: dict[str, str], expected) -> None:
    write_tree(tmp_path, {"a.service": SERVICE.format(app="web.huey", flags=""),
                          "web/jobs.py": "from huey import RedisHuey\nhuey = RedisHuey('w')\n", **files})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert triples(lint(tmp_path), "HL003") == expected


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


ARGPARSE_CLI = """import sys
from argparse import ArgumentParser

from django.core.management import execute_from_command_line


def main():
    parser = ArgumentParser(prog="shop")
    sub = parser.add_subparsers()
    web = sub.add_parser("web")
    web.set_defaults(func=serve)
    work = sub.add_parser("worker")
    work.set_defaults(func=consume)
    tidy = sub.add_parser("tidy")
    tidy.set_defaults(func=cleanup)
    args = parser.parse_args()
    args.func(args)


def serve(args):
    execute_from_command_line(["", "check"])


def consume(args):
    execute_from_command_line(["shop", "run_huey", "-w", "3"])


def cleanup(args):
    execute_from_command_line(["", "migrate"])
"""

BRANCH_CLI = """import sys

from django.core.management import call_command, execute_from_command_line


def main():
    command = sys.argv[1]  # `tidy` is refused
    if command == "web":
        execute_from_command_line(["", "runserver"])
    elif command == "worker":
        execute_from_command_line([sys.argv[0], "run_huey", "--workers", "3", *sys.argv[2:]])
    elif command == "mail":
        call_command("djangohuey", queue="emails")
    else:
        raise SystemExit(f"unknown command: {command}")
"""

MATCH_CLI = """import sys

from django.core.management import call_command


def main():
    match sys.argv[1]:
        case "web":
            call_command("runserver")
        case "worker":
            call_command("run_huey", workers=3)
"""


@pytest.mark.parametrize("cli", [ARGPARSE_CLI, BRANCH_CLI, MATCH_CLI], ids=["argparse", "if-elif", "match"])
def test_execute_from_command_line_cli_only_for_its_worker_subcommand(tmp_path: Path, cli: str) -> None:
    """A console script whose subcommand runs ``execute_from_command_line(["", "run_huey", ...])`` (a literal
    Django command line: teamvault's ``teamvault run_huey``) or ``call_command``, chosen by an argparse
    sub-parser's ``set_defaults(func=...)`` or by a branch testing the word, is a consumer launch for that
    subcommand only; the other subcommands (``check``, ``runserver``, ``migrate``) are not."""
    proj = project(tmp_path, {
        "pyproject.toml": '[project]\nname = "shop"\n\n[project.scripts]\nshop = "shop.cli:main"\n',
        "deploy/shop-web.service": "[Service]\nExecStart=/usr/local/bin/shop web\n",
        "deploy/shop-worker.service": "[Service]\nExecStart=/usr/local/bin/shop worker\n",
        "deploy/shop-tidy.service": "[Service]\nExecStart=/usr/local/bin/shop tidy\n",
        "shop/__init__.py": "",
        "shop/cli.py": cli,
    })
    assert [(launch.name, launch.program) for launch in proj.launches] == [("shop-worker.service", "run_huey")]
    assert proj.launches[0].options["workers"].value == 3


CLICK_GROUP_CLI = """import click
from django.core import management


@click.group()
def cli():
    pass


@cli.command()
def web():
    management.call_command("runserver")


@cli.command(help="consumer")
def worker():
    management.call_command("run_huey")
"""

_TYPER_APP = "import typer\nfrom django.core import management\n\napp = typer.Typer()\n\n\n"
_TYPER_WEB = '@app.command()\ndef web():\n    management.call_command("runserver")\n\n\n'
_TYPER_WORKER = '@app.command()\ndef worker():\n    management.call_command("run_huey")\n'
TYPER_CLI = _TYPER_APP + _TYPER_WEB + _TYPER_WORKER
TYPER_SINGLE_CLI = _TYPER_APP + _TYPER_WORKER

CLICK_COMMAND_CLI = """import click
from django.core import management


@click.command()
@click.option("--workers", default=2)
def main(workers):
    management.call_command("run_huey", workers=workers)
"""

PLAIN_MAIN_CLI = """from django.core import management


def main():
    management.call_command("run_huey", "-w", "2")
"""


@pytest.mark.parametrize(("cli", "runs"), [
    (CLICK_GROUP_CLI, False), (TYPER_CLI, False), (ARGPARSE_CLI, False),
    (TYPER_SINGLE_CLI, True), (CLICK_COMMAND_CLI, True), (PLAIN_MAIN_CLI, True),
], ids=["click-group", "typer-app", "argparse", "typer-single-command", "click-command", "plain-function"])
def test_cli_called_without_a_subcommand(tmp_path: Path, cli: str, runs: bool) -> None:
    """Field test (karrot-dev/karrot-backend): the image's ``ENTRYPOINT`` runs ``python -m karrot.cli "$@"``
    with no ``CMD``, and ``run_huey`` is called in the ``worker`` command of a ``@click.group()``: called
    without a word, click prints the group's help and nothing starts, so the image's own launch is none
    (a dropped candidate).  Typer runs an app's only command without its name (no callback); a
    ``@click.command()`` is the whole program; argparse sets no handler without a sub-command."""
    proj = project(tmp_path, {
        "pyproject.toml": '[project]\nname = "shop"\n\n[project.scripts]\nshop = "shop.cli:main"\n',
        "deploy/shop.service": "[Service]\nExecStart=/usr/local/bin/shop\n",
        "shop/__init__.py": "",
        "shop/cli.py": cli.replace("def cli():", "def main():").replace("@cli.", "@main."),
    })
    assert [(launch.name, launch.program) for launch in proj.launches] == (
        [("shop.service", "run_huey")] if runs else [])
    dropped = [(item.loc.path, item.why) for item in proj.dropped]
    assert dropped == ([] if runs else [(
        "shop/cli.py", "`call_command('run_huey')` is in a sub-command, and this launch names none")])


WORKER_SCRIPT = ("import sys\n\nfrom app.queue import huey\n\n\ndef main(argv=sys.argv):\n"
                 "    huey.create_consumer(workers=3, flush_locks=True).run()\n")


@pytest.mark.parametrize("setup_py", [
    'from setuptools import setup\n\nsetup(name="app", entry_points={"console_scripts": '
    '["app-web = app.web:main", "app-worker = app.worker:main"]})\n',
    'import setuptools\n\nsetuptools.setup(name="app", entry_points={\n    "console_scripts": """\n'
    '        app-worker=app.worker:main\n    """,\n})\n',
    'from setuptools import setup\n\nsetup(name="app", entry_points="""\n[paste.app_factory]\nmain = app:make\n'
    '\n[console_scripts]\napp-worker = app.worker:main\n""")\n',
    'from setuptools import setup\n\nSCRIPTS = ["app-worker = app.worker:main"]\nENTRY_POINTS = '
    '{"console_scripts": SCRIPTS}\n\nsetup(name="app", entry_points=ENTRY_POINTS)\n',
], ids=["list", "lines", "ini", "names"])
def test_console_script_declared_in_a_setup_py(tmp_path: Path, setup_py: str) -> None:
    """Field test (betagouv/zam): ``zam_worker = zam_repondeur.scripts.worker:main`` is declared in
    ``repondeur/setup.py`` (``entry_points={"console_scripts": [...]}``), and a systemd unit runs
    ``/srv/.../venv/bin/zam_worker``, a script that calls ``create_consumer(...).run()``.  Only
    pyproject.toml and setup.cfg were read: "no consumer launch found".  setup.py is read without running
    it, in every form pip installs from: a list, one string of lines, the INI text, module-level names."""
    proj = project(tmp_path, {
        "deploy/app-worker.service": "[Service]\nExecStart=/srv/app/venv/bin/app-worker production.ini\n",
        "server/setup.py": setup_py,
        "server/app/__init__.py": "",
        "server/app/queue.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n",
        "server/app/worker.py": WORKER_SCRIPT,
    })
    assert [(launch.name, launch.program) for launch in proj.launches] == [("app-worker.service", "script")]
    assert proj.launches[0].options["workers"].value == 3 and proj.launches[0].flushes_locks


def test_setup_py_scripts_that_are_not_literal_are_not_guessed(tmp_path: Path) -> None:
    proj = project(tmp_path, {
        "deploy/app-worker.service": "[Service]\nExecStart=/srv/app/venv/bin/app-worker\n",
        "setup.py": "from setuptools import setup\n\nsetup(name='app', entry_points=read_entry_points())\n"
                    "# console_scripts come from entry_points.txt\n",
        "app/__init__.py": "",
        "app/queue.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n",
        "app/worker.py": WORKER_SCRIPT,
    })
    assert proj.launches == []


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

    def counting(src):
        calls.append(src.rel)
        return real(src)

    monkeypatch.setattr(extract_module, "extract", counting)
    first = triples(lint(tmp_path))
    assert calls
    calls.clear()
    second = triples(lint(tmp_path))
    assert calls == [] and first == second
    assert not (tmp_path / ".hueylint_cache").exists()  # the cache lives outside the checked tree
    # a changed file is parsed again, the others still come from the cache
    (tmp_path / "shop/tasks.py").write_text(files["shop/tasks.py"] + "\n# changed\n")
    lint(tmp_path)
    assert calls == ["shop/tasks.py"]


def test_no_cache_option_and_corrupt_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"app.py": "from huey import RedisHuey\nhuey = RedisHuey('a', immediate=True)\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    cache_dir = tmp_path.parent / f"{tmp_path.name}-cache"
    monkeypatch.setenv("HUEYLINT_CACHE_DIR", str(cache_dir))
    _ws, _proj, _ = build_project([tmp_path], Settings(root=tmp_path.resolve()), Options(cache=False))
    assert not cache_dir.exists()
    assert triples(lint(tmp_path), "HL401") == [("HL401", "app.py", 2)]
    entries = list(cache_dir.rglob("facts-*/*.json"))
    assert len(entries) == 1
    for entry in entries:
        entry.write_text('{"$c": "ModuleFacts", "f": {"rel": ', encoding="utf-8")  # truncated
    assert triples(lint(tmp_path), "HL401") == [("HL401", "app.py", 2)]
    for entry in entries:
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
    monkeypatch.setattr(cache_module.os, "cpu_count", lambda: 2)
    cache = cache_module.FactsCache(tmp_path, enabled=False)
    cache.prefetch(sources)
    assert cache.misses == 0  # 6 small files: parsed in-process, when asked for (a pool costs more)
    monkeypatch.setattr(cache_module, "PARALLEL_MIN_CHARS", sum(len(src.text) for src in sources))
    cache.prefetch(sources)
    assert cache.misses == 6
    for src in sources:
        assert cache.facts(src) == extract(src)
    assert cache.misses == 6  # every file came from the prefetch


CALLERS_TREE = {
    "huey.service": "[Service]\nExecStart=/srv/venv/bin/huey_consumer my_app.tasks.huey -g TERM -t 50\n"
                    "TimeoutStopSec=60\n",
    "my_app/__init__.py": "",
    "my_app/tasks.py": "from huey import RedisHuey\nhuey = RedisHuey('a')\n\n\n@huey.task()\n"
                       "def resize(image_id):\n    return {'image': image_id}\n",
    # kept only for their task call sites (pyapp_gate.caller_only): judged by ast, parsed when HL404 needs them
    "my_app/views.py": "from my_app.tasks import resize\n\n\ndef upload(request):\n    resize(request.id)\n",
    "my_app/broken.py": "from my_app.tasks import resize\n\n\ndef upload(request:\n    resize(request.id)\n",
    "my_app/other.py": "from my_app.tasks import resize\n\nVALUE = 1\n",
}


def test_callers_judged_in_a_worker_give_the_same_findings(tmp_path, monkeypatch):
    """Files kept only for their task call sites need ``ast``'s verdict (one it refuses is HL001): below the
    pool's size, one worker gives the verdicts and parses modules until its share is half, while the run
    parses the others; the findings do not depend on who parsed what."""
    write_tree(tmp_path / "a", CALLERS_TREE)
    write_tree(tmp_path / "b", CALLERS_TREE)
    expected = triples(lint(tmp_path / "a"))
    assert ("HL001", "my_app/broken.py", 4) in expected and ("HL404", "my_app/tasks.py", 7) in expected

    judged: list[int] = []
    real = cache_module.text_parses
    monkeypatch.setattr(cache_module, "text_parses", lambda text: judged.append(os.getpid()) or real(text))
    extracted: list[str] = []  # in this process (a worker's own list is lost with it)
    real_extract = extract_module.extract
    monkeypatch.setattr(extract_module, "extract", lambda src: extracted.append(src.rel) or real_extract(src))
    monkeypatch.setattr(cache_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cache_module, "SHARED_MIN_CHARS", 1)
    assert triples(lint(tmp_path / "b")) == expected
    assert judged == []  # every verdict came from the worker
    assert "my_app/tasks.py" not in extracted  # the worker's share (views.py: parsed here when HL404 read it)


def test_a_shared_worker_takes_the_verdicts_and_modules_up_to_half_the_work(tmp_path, monkeypatch):
    from hueylint.sources import SourceFile

    monkeypatch.setattr(cache_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cache_module, "SHARED_MIN_CHARS", 1)
    monkeypatch.setattr(cache_module, "VERDICT_SHARE", 0.25)
    body = "import huey\n" + "x = 1\n" * 15  # 102 characters
    sources = [SourceFile(tmp_path / f"m{i}.py", f"pkg/m{i}.py", body + f"# {i}\n") for i in range(4)]
    callers = [SourceFile(tmp_path / "c.py", "pkg/c.py", "from pkg.tasks import t\n" + "y = 2\n" * 140)]
    cache = cache_module.FactsCache(tmp_path, enabled=False)
    started = cache.start_prefetch(sources, callers)  # work: 4 x 106 + 0.25 x 864 = 640; the worker's: 216 + 106
    assert started is not None
    assert [started.parsing(src) for src in sources] == [True, False, False, False]
    started.wait()
    assert cache.misses == 1 and cache.facts(sources[0]) == extract_module.extract(sources[0])
    assert cache.misses == 1  # the worker's facts
    assert cache._parses == {cache_module.content_key("pkg/c.py\0parses", callers[0].text): True}
    monkeypatch.setattr(cache_module, "SHARED_MIN_CHARS", 641)
    assert cache_module.FactsCache(tmp_path, enabled=False).start_prefetch(sources, callers) is None


def test_no_worker_while_other_work_takes_every_processor(tmp_path, monkeypatch):
    """A worker process pays only beside the run, on a processor nothing else wants: at a load average of at
    least the processor count (``make -l``'s rule) the run parses in-process, for the same facts."""
    from hueylint import workers
    from hueylint.sources import SourceFile

    monkeypatch.setattr(cache_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cache_module, "PARALLEL_MIN_CHARS", 1)
    sources = [SourceFile(tmp_path / f"m{i}.py", f"pkg/m{i}.py", f"import huey\nX = {i}\n") for i in range(4)]
    for load, started in ((1.99, True), (2.0, False), (7.5, False)):
        monkeypatch.setattr(os, "getloadavg", lambda load=load: (load, 0.0, 0.0))
        assert workers.busy(2) is not started
        cache = cache_module.FactsCache(tmp_path, enabled=False)
        prefetch = cache.start_prefetch(sources)
        assert (prefetch is not None) is started
        if prefetch is not None:
            prefetch.wait()
        assert cache.misses == (4 if started else 0)  # the workers' facts, or none yet
        assert [cache.facts(src) for src in sources] == [extract_module.extract(src) for src in sources]
    monkeypatch.delattr(os, "getloadavg")  # a system without a load average: workers as before
    assert workers.busy(2) is False


def test_prefetch_waited_for_at_once_shares_no_work(tmp_path, monkeypatch):
    """FactsCache.prefetch (HL404's callers, the batches of a large tree) waits for its workers at once: one
    worker sharing the parsing would leave the run idle for its half, then parse the other half alone (slower
    than parsing all in-process); below the pool's size it parses in-process as before."""
    from hueylint.sources import SourceFile

    monkeypatch.setattr(cache_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cache_module, "SHARED_MIN_CHARS", 1)
    sources = [SourceFile(tmp_path / f"m{i}.py", f"pkg/m{i}.py", f"import huey\nX = {i}\n") for i in range(4)]
    cache = cache_module.FactsCache(tmp_path, enabled=False)
    cache.prefetch(sources)
    assert cache.misses == 0  # nothing parsed in a worker
    started = cache.start_prefetch(sources)  # the run's own start, which parses the rest meanwhile, shares
    assert started is not None and [started.parsing(src) for src in sources] == [True, True, False, False]
    started.wait()
    assert cache.misses == 2


def test_prefetch_workers_leave_ctrl_c_to_the_run(tmp_path, monkeypatch):
    """Ctrl-C reaches the terminal's whole process group: the run stops its workers (engine.build_project),
    which neither die with a traceback of their own nor lose the batch they hold."""
    import multiprocessing
    import signal
    import time

    from hueylint.sources import SourceFile

    monkeypatch.setattr(cache_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cache_module, "PARALLEL_MIN_CHARS", 1)
    sources = [SourceFile(tmp_path / f"m{i}.py", f"pkg/m{i}.py", "import huey\n") for i in range(8)]
    cache = cache_module.FactsCache(tmp_path, enabled=False)
    started = cache.start_prefetch(sources)
    assert started is not None
    time.sleep(0.5)  # the workers have started
    workers = multiprocessing.active_children()
    for worker in workers:
        os.kill(worker.pid, signal.SIGINT)
    time.sleep(0.3)
    assert all(worker.is_alive() for worker in workers)
    started.wait()
    assert cache.misses == 8  # every file came from the workers


def _slow_parse(src):  # a worker's parse of a large file (module level: sent to the workers by name)
    import time

    (src.path.parent / f"{src.path.name}.parsed").write_text("")  # which files a worker started
    time.sleep(0.3)


def test_prefetch_interrupted_while_collected_drops_the_files_not_started(tmp_path, monkeypatch):
    """Ctrl-C while the app layer waits for the workers: the files no worker has started are dropped, so the
    run ends after the ones being parsed (and the few already handed to a worker), not after the whole batch."""
    from hueylint.sources import SourceFile

    monkeypatch.setattr(cache_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cache_module, "PARALLEL_MIN_CHARS", 1)
    monkeypatch.setattr(cache_module, "_extract_encoded", _slow_parse)
    sources = [SourceFile(tmp_path / f"m{i}.py", f"pkg/m{i}.py", "import huey\n") for i in range(24)]
    started = cache_module.FactsCache(tmp_path, enabled=False).start_prefetch(sources)
    assert started is not None

    def interrupted():
        raise KeyboardInterrupt
        yield

    started._batches = [(started._batches[0][0], interrupted())]
    with pytest.raises(KeyboardInterrupt):
        started.wait()
    parsed = len(list(tmp_path.glob("*.parsed")))
    assert 0 < parsed <= 15, parsed  # chunks of 3 files: those 2 workers parse and those queued to them, not 24


_KILLED_MID_RUN = """
import multiprocessing, os, signal, sys, time
from pathlib import Path
from hueylint.pyapp import cache as cache_module
from hueylint.sources import SourceFile
cache_module.PARALLEL_MIN_CHARS = 1
cache_module.os.cpu_count = lambda: 2
cache_module.os.getloadavg = lambda: (0.0, 0.0, 0.0)
sources = [SourceFile(Path(f"m{i}.py"), f"pkg/m{i}.py", "import huey\\n") for i in range(8)]
started = cache_module.FactsCache(Path(sys.argv[1]), enabled=False).start_prefetch(sources)
assert started is not None
time.sleep(0.5)  # the workers parsed the batch and wait for more, as while the platform builders run
print(" ".join(str(child.pid) for child in multiprocessing.active_children()), flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # killed (or stopped by a signal) before it collected them
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_prefetch_workers_exit_when_the_run_is_killed(tmp_path: Path) -> None:
    """The workers started before the platform builders wait for the app layer; a run killed meanwhile (a CI
    timeout's SIGTERM, SIGKILL) must not leave them waiting for work forever."""
    import sys
    import time

    out, err = tmp_path / "pids", tmp_path / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:  # not pipes: a worker left behind holds them open
        subprocess.run([sys.executable, "-c", _KILLED_MID_RUN, str(tmp_path)], stdout=stdout, stderr=stderr,
                       stdin=subprocess.DEVNULL, timeout=60)
    pids = [int(pid) for pid in out.read_text().split()]
    assert len(pids) == 2, err.read_text()

    def alive(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        return state != "Z"

    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in pids if alive(pid)]
    for pid in left:  # do not leave them behind either way
        os.kill(pid, 9)
    assert not left


# -- DJANGO_SETTINGS_MODULE from the launch's environment ---------------------------------------------

MANAGE = ("import os\nimport sys\n\nif __name__ == '__main__':\n"
          "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.dev')\n"
          "    from django.core.management import execute_from_command_line\n"
          "    execute_from_command_line(sys.argv)\n")
DJANGO_TREE = {
    "manage.py": MANAGE,
    "proj/__init__.py": "",
    "proj/settings/__init__.py": "",
    "proj/settings/dev.py": "HUEY = {'immediate': True}\n",
    "proj/settings/prod.py": "HUEY = {'immediate': False, 'connection': {'host': 'redis'}}\n",
    "proj/settings/staging.py": "HUEY = {'immediate': False}\n",
}
DJANGO_DOCKERFILE = "FROM python:3.12\nWORKDIR /app\nCOPY . /app\n{env}CMD [\"python\", \"manage.py\", \"run_huey\"]\n"


def _django_app(root: Path, files: dict[str, str]) -> App:
    proj = project(root, {**DJANGO_TREE, **files})
    launches = [launch for launch in proj.launches if launch.program == "run_huey"]
    assert len(launches) == 1, [(launch.platform, launch.name) for launch in proj.launches]
    app = app_for(proj, launches[0])
    assert app is not None and app.kind == "django"
    return app


def test_manage_py_setdefault_when_the_launch_sets_nothing(tmp_path: Path) -> None:
    app = _django_app(tmp_path, {"Dockerfile": DJANGO_DOCKERFILE.format(env="")})
    assert app.settings_rels == ["proj/settings/dev.py"]


@pytest.mark.parametrize("files", [
    pytest.param({"Dockerfile": DJANGO_DOCKERFILE.format(env="ENV DJANGO_SETTINGS_MODULE=proj.settings.prod\n")},
                 id="dockerfile-env"),
    pytest.param({"deploy/huey.service": "[Service]\nWorkingDirectory=/srv/app\n"
                  "Environment=\"DJANGO_SETTINGS_MODULE=proj.settings.prod\" PYTHONUNBUFFERED=1\n"
                  "ExecStart=/srv/app/venv/bin/python manage.py run_huey\n"}, id="systemd-environment"),
    pytest.param({"deploy/huey.service": "[Service]\nWorkingDirectory=/srv/app\n"
                  "EnvironmentFile=-/srv/app/deploy/huey.env\n"
                  "ExecStart=/srv/app/venv/bin/python manage.py run_huey\n",
                  "deploy/huey.env": "# production\nexport DJANGO_SETTINGS_MODULE='proj.settings.prod'\n"},
                 id="systemd-environmentfile"),
    pytest.param({"supervisord.conf": "[program:huey]\ndirectory=/srv/app\ncommand=python manage.py run_huey\n"
                  "environment=PYTHONUNBUFFERED=1,DJANGO_SETTINGS_MODULE=\"proj.settings.prod\"\n"},
                 id="supervisord-environment"),
    pytest.param({"Dockerfile": DJANGO_DOCKERFILE.format(env=""),
                  "docker-compose.yml": "services:\n  worker:\n    build: .\n    command: python manage.py run_huey\n"
                  "    environment:\n      - DJANGO_SETTINGS_MODULE=proj.settings.prod\n"}, id="compose-list"),
    pytest.param({"Dockerfile": DJANGO_DOCKERFILE.format(env=""),
                  "docker-compose.yml": "services:\n  worker:\n    build: .\n    command: python manage.py run_huey\n"
                  "    environment:\n      DJANGO_SETTINGS_MODULE: proj.settings.prod\n"}, id="compose-mapping"),
    pytest.param({"Dockerfile": DJANGO_DOCKERFILE.format(env=""),
                  "docker-compose.yml": "services:\n  worker:\n    build: .\n    command: python manage.py run_huey\n"
                  "    env_file: envs/prod.env\n",
                  "envs/prod.env": "DJANGO_SETTINGS_MODULE=proj.settings.prod\n"}, id="compose-env-file"),
    pytest.param({"Dockerfile": DJANGO_DOCKERFILE.format(env=""),
                  "docker-compose.yml": "services:\n  worker:\n    build: .\n    command: python manage.py run_huey\n"
                  "    environment:\n      DJANGO_SETTINGS_MODULE: ${SETTINGS}\n",
                  ".env": "SETTINGS=proj.settings.prod\n"}, id="compose-dotenv-interpolation"),
    pytest.param({"Dockerfile": DJANGO_DOCKERFILE.format(env=""),
                  "docker-compose.yml": "services:\n  worker:\n    build: .\n    command: python manage.py run_huey\n"
                  "    environment:\n      - DJANGO_SETTINGS_MODULE\n",
                  ".env": "DJANGO_SETTINGS_MODULE=proj.settings.prod\n"}, id="compose-bare-key-from-dotenv"),
    pytest.param({"Dockerfile": DJANGO_DOCKERFILE.format(env="ENV DJANGO_SETTINGS_MODULE=proj.settings.staging\n"),
                  "k8s/worker.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n"
                  "  template:\n    spec:\n      containers:\n        - name: worker\n          image: app\n"
                  "          command: [python, manage.py, run_huey]\n          env:\n"
                  "            - name: DJANGO_SETTINGS_MODULE\n              value: proj.settings.prod\n"},
                 id="kubernetes-env-over-image-env"),
])
def test_launch_environment_beats_manage_py_setdefault(tmp_path: Path, files: dict[str, str]) -> None:
    app = _django_app(tmp_path, files)
    assert app.settings_rels == ["proj/settings/prod.py"]
    env = app.launches[0].env
    assert env.value["DJANGO_SETTINGS_MODULE"].value == "proj.settings.prod"
    assert env.value["DJANGO_SETTINGS_MODULE"].loc.path  # every value knows its line


@pytest.mark.parametrize("entry", ["deploy/huey.env", "-deploy/huey.env", "./deploy/huey.env"])
def test_systemd_relative_environmentfile_is_ignored_as_systemd_ignores_it(tmp_path: Path, entry: str) -> None:
    """systemd requires an absolute EnvironmentFile= path: a relative one is ignored with a warning (load-fragment.c
    config_parse_unit_env_file, PATH_CHECK_ABSOLUTE), the unit loads without its variables, so manage.py's own
    default settings module is the one the consumer runs with (the file was read relative to the unit)."""
    app = _django_app(tmp_path, {
        "deploy/huey.service": f"[Service]\nWorkingDirectory=/srv/app\nEnvironmentFile={entry}\n"
                               "ExecStart=/srv/app/venv/bin/python manage.py run_huey\n",
        "deploy/huey.env": "DJANGO_SETTINGS_MODULE=proj.settings.prod\n"})
    assert app.settings_rels == ["proj/settings/dev.py"]


def test_dotenv_next_to_manage_py_counts_only_when_manage_py_loads_it(tmp_path: Path) -> None:
    loads = MANAGE.replace("import sys\n", "import sys\n\nfrom dotenv import load_dotenv\n\nload_dotenv()\n")
    files = {"Dockerfile": DJANGO_DOCKERFILE.format(env=""), ".env": "DJANGO_SETTINGS_MODULE=proj.settings.prod\n"}
    assert _django_app(tmp_path / "a", {**files, "manage.py": loads}).settings_rels == ["proj/settings/prod.py"]
    assert _django_app(tmp_path / "b", files).settings_rels == ["proj/settings/dev.py"]


def test_forced_assignment_in_manage_py_beats_the_environment(tmp_path: Path) -> None:
    forced = MANAGE.replace("os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.dev')",
                            "os.environ['DJANGO_SETTINGS_MODULE'] = 'proj.settings.dev'")
    app = _django_app(tmp_path, {"manage.py": forced, "Dockerfile": DJANGO_DOCKERFILE.format(
        env="ENV DJANGO_SETTINGS_MODULE=proj.settings.prod\n")})
    assert app.settings_rels == ["proj/settings/dev.py"]


def test_environment_value_unknown_is_not_manage_py_default(tmp_path: Path) -> None:
    """`${SETTINGS}` without a .env: the launch sets it, so manage.py's dev default is not what runs."""
    app = _django_app(tmp_path, {
        "Dockerfile": DJANGO_DOCKERFILE.format(env=""),
        "docker-compose.yml": "services:\n  worker:\n    build: .\n    command: python manage.py run_huey\n"
                              "    environment:\n      DJANGO_SETTINGS_MODULE: ${SETTINGS}\n"})
    assert app.settings_rels != ["proj/settings/dev.py"]
    assert app.config is None or app.settings_rels == ["proj/settings/prod.py"]


def test_supervisord_program_inherits_the_container_env(tmp_path: Path) -> None:
    app = _django_app(tmp_path, {
        "Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY . /app\nENV DJANGO_SETTINGS_MODULE=proj.settings.prod\n"
                      "CMD [\"supervisord\", \"-n\", \"-c\", \"/app/supervisord.conf\"]\n",
        "supervisord.conf": "[supervisord]\nnodaemon=true\n\n[program:huey]\ncommand=python manage.py run_huey\n"
                            "environment=PYTHONUNBUFFERED=1\n"})
    env = app.launches[0].env.value
    assert env["PYTHONUNBUFFERED"].value == "1" and env["DJANGO_SETTINGS_MODULE"].value == "proj.settings.prod"
    assert app.settings_rels == ["proj/settings/prod.py"]


# -- INSTALLED_APPS decides the Django module set -----------------------------------------------------

APPS_TREE = {
    "Procfile": "worker: python manage.py run_huey\n",
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.production')\n",
    "proj/__init__.py": "",
    "proj/settings/__init__.py": "",
    "proj/settings/base.py": "DJANGO_APPS = ['django.contrib.admin', 'django.contrib.auth']\n"
                             "LOCAL_APPS = ('shop.apps.ShopConfig',)\n"
                             "INSTALLED_APPS = DJANGO_APPS + list(LOCAL_APPS)\n"
                             "HUEY = {'immediate': False}\n",
    "proj/settings/production.py": "from .base import *\n\nINSTALLED_APPS += ['billing']\n",
    "shop/__init__.py": "",
    "shop/apps.py": "from django.apps import AppConfig\n\n\nclass ShopConfig(AppConfig):\n    name = 'shop'\n",
    "shop/tasks.py": "from huey.contrib.djhuey import db_task\n\nfrom .helpers import fmt\n\n\n"
                     "@db_task()\ndef charge():\n    return fmt()\n",
    "shop/helpers.py": "def fmt():\n    return 'x'\n",
    "shop/admin.py": "from .models import Order  # noqa\n",
    "shop/models.py": "Order = object\n",
    "billing/__init__.py": "",
    "billing/tasks/__init__.py": "from .invoices import *  # noqa\n",
    "billing/tasks/invoices.py": "from huey.contrib.djhuey import db_periodic_task\nfrom huey import crontab\n\n\n"
                                 "@db_periodic_task(crontab(minute='0'))\ndef invoice():\n    pass\n",
    "legacy/__init__.py": "",
    "legacy/tasks.py": "from huey.contrib.djhuey import db_task\n\n\n@db_task()\ndef old():\n    pass\n",
    "legacy/signals.py": "from huey.contrib.djhuey import signal\nfrom huey.signals import SIGNAL_INTERRUPTED\n\n\n"
                         "@signal(SIGNAL_INTERRUPTED)\ndef requeue(sig, task, *a, **k):\n    pass\n",
}


def _apps_app(root: Path, files: dict[str, str] | None = None) -> App:
    proj = project(root, {**APPS_TREE, **(files or {})})
    app = app_for(proj, proj.launches[0])
    assert app is not None and app.kind == "django"
    return app


def test_installed_apps_tasks_modules_make_the_module_set(tmp_path: Path) -> None:
    app = _apps_app(tmp_path)
    assert app.settings_rels == ["proj/settings/production.py"]
    assert {"shop/tasks.py", "shop/helpers.py", "shop/apps.py", "shop/models.py", "shop/admin.py",
            "billing/tasks/__init__.py", "billing/tasks/invoices.py"} <= set(app.modules)
    assert not any(rel.startswith("legacy/") for rel in app.modules)  # not installed: never imported
    assert sorted(t.name for t in app.tasks) == ["charge", "invoice"]
    assert app.complete and sorted(app.packages) == ["billing", "shop"]


def test_installed_apps_spliced_from_a_base_list(tmp_path: Path) -> None:
    app = _apps_app(tmp_path, {
        "proj/settings/base.py": "BASE_APPS = ['django.contrib.auth', 'shop']\nHUEY = {'immediate': False}\n",
        "proj/settings/production.py": "from .base import *\n\nINSTALLED_APPS = [*BASE_APPS, 'legacy']\n"})
    assert "shop/tasks.py" in app.modules and "legacy/tasks.py" in app.modules
    assert "billing/tasks/__init__.py" not in app.modules


@pytest.mark.parametrize("production", [
    "from .base import *\n\nINSTALLED_APPS = [app for app in INSTALLED_APPS if app != 'x']\n",  # comprehension
    "from .base import *\nfrom .local import *  # untracked override\n",
    "from .base import *\n\nif ENABLE_LEGACY:\n    INSTALLED_APPS = ['legacy']\n",
])
def test_unreadable_installed_apps_fall_back_to_every_module(tmp_path: Path, production: str) -> None:
    app = _apps_app(tmp_path, {"proj/settings/production.py": production})
    assert "legacy/tasks.py" in app.modules and "shop/tasks.py" in app.modules


def test_handler_in_an_uninstalled_app_is_reported_in_an_installed_one_is_not(tmp_path: Path) -> None:
    result = lint_tree(tmp_path / "a", APPS_TREE)
    assert triples(result, "HL105") == [("HL105", "proj/settings/base.py", 4)]
    assert "legacy/signals.py is in a module the consumer does not import" in \
        next(f.message for f in result.findings if f.rule == "HL105")
    moved = {**APPS_TREE, "shop/signals.py": APPS_TREE["legacy/signals.py"]}
    moved.pop("legacy/signals.py")
    assert triples(lint_tree(tmp_path / "b", moved), "HL105") == []  # AppConfig.ready() may import it


def lint_tree(root: Path, files: dict[str, str]):
    write_tree(root, files)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return lint(root)


def test_installed_apps_set_keeps_settings_packages_and_dotted_imports(tmp_path: Path) -> None:
    """Handlers the consumer does import are found: the settings' package imports them, or a task module
    does with ``import core.hooks`` (a dotted import binds only ``core`` but imports ``core.hooks``)."""
    handler = APPS_TREE["legacy/signals.py"]
    tree = {**APPS_TREE, "proj/__init__.py": "from . import huey_hooks  # noqa\n", "proj/huey_hooks.py": handler}
    tree.pop("legacy/signals.py")
    app = _apps_app(tmp_path / "package", tree)
    assert "proj/huey_hooks.py" in app.modules and app.signal_handlers
    tree = {**APPS_TREE, "core/__init__.py": "", "core/hooks.py": handler,
            "shop/tasks.py": "import core.hooks  # noqa\n" + APPS_TREE["shop/tasks.py"]}
    tree.pop("legacy/signals.py")
    app = _apps_app(tmp_path / "dotted", tree)
    assert "core/hooks.py" in app.modules and app.signal_handlers


def test_env_file_parsing_and_interpolation() -> None:
    from hueylint.environment import parse_env_file, unknown_if_interpolated
    from hueylint.locations import Loc
    from hueylint.model import Val

    env = parse_env_file("# c\nexport A='x y'\nB=\"q\"\nC=plain # note\nD=${HOME}/x\nnot a line\n", "e.env")
    assert {k: v.value for k, v in env.items()} == {"A": "x y", "B": "q", "C": "plain", "D": None}
    assert env["D"].unknown == "env:HOME" and env["A"].loc.line == 2
    known = {"S": Val("proj.settings.prod", Loc("x", 1))}
    assert unknown_if_interpolated("${S}", Loc(), known).value == "proj.settings.prod"
    assert not unknown_if_interpolated("${T}", Loc(), known).known
    assert not unknown_if_interpolated("{{ settings }}", Loc()).known


def test_kubernetes_value_from_is_unknown_and_settings_fall_back(tmp_path: Path) -> None:
    manifest = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n  template:\n    spec:\n"
                "      containers:\n        - name: worker\n          image: app\n"
                "          command: [python, manage.py, run_huey]\n          env:\n"
                "            - name: DJANGO_SETTINGS_MODULE\n              valueFrom:\n"
                "                configMapKeyRef: {name: app, key: settings}\n")
    proj = project(tmp_path, {**DJANGO_TREE, "Dockerfile": DJANGO_DOCKERFILE.format(env=""), "k8s/w.yaml": manifest})
    launch = next(launch for launch in proj.launches if launch.program == "run_huey")
    assert not launch.env.value["DJANGO_SETTINGS_MODULE"].known
    app = app_for(proj, launch)
    assert app is None or app.settings_rels != ["proj/settings/dev.py"]  # not manage.py's default


def test_systemd_specifier_in_environment_is_unknown(tmp_path: Path) -> None:
    app = _django_app(tmp_path, {"deploy/huey@.service": "[Service]\nWorkingDirectory=/srv/app\n"
                                 "Environment=DJANGO_SETTINGS_MODULE=proj.settings.%i\n"
                                 "ExecStart=/srv/app/venv/bin/python manage.py run_huey\n"})
    assert not app.launches[0].env.value["DJANGO_SETTINGS_MODULE"].known
    assert app.settings_rels != ["proj/settings/dev.py"]


def test_installed_app_outside_the_source_roots_falls_back_to_every_module(tmp_path: Path) -> None:
    """cookiecutter's old `sys.path.append(ROOT / 'apps')`: `users` is apps/users, not findable from a root."""
    tree = {**APPS_TREE, "proj/settings/production.py": "from .base import *\n\nINSTALLED_APPS += ['users']\n",
            "apps/users/__init__.py": "", "apps/users/tasks.py": APPS_TREE["legacy/tasks.py"]}
    app = _apps_app(tmp_path, tree)
    assert "apps/users/tasks.py" in app.modules and "legacy/tasks.py" in app.modules


def test_django_huey_class_string_is_followed_through_the_repository(tmp_path) -> None:

    settings = ("import os\nINSTALLED_APPS = ['huey.contrib.djhuey']\n"
                "HUEY = {'huey_class': '%s', 'immediate': False, 'url': os.environ['REDIS_URL']}\n")
    queue = ("from huey import Huey, RedisHuey\nfrom huey.storage import RedisStorage, SqliteStorage\n"
             "from .base import Base\n\n\nclass Direct(RedisHuey):\n    pass\n\n\n"
             "class Custom(Huey):\n    storage_class = RedisStorage\n\n\nclass Local(Huey):\n"
             "    storage_class = SqliteStorage\n\n\nclass Derived(Base):\n    pass\n\n\n"
             "class Sub(Custom):\n    pass\n")
    base = "from huey import PriorityRedisExpireHuey\n\n\nclass Base(PriorityRedisExpireHuey):\n    pass\n"
    expected = {"shop.queue.Direct": ("RedisHuey", None), "shop.queue.Custom": ("Huey", "huey.storage.RedisStorage"),
                "shop.queue.Local": ("Huey", "huey.storage.SqliteStorage"),
                "shop.queue.Derived": ("PriorityRedisExpireHuey", None), "shop.base.Base": ("PriorityRedisExpireHuey", None),
                "shop.queue.Base": ("PriorityRedisExpireHuey", None),  # re-exported by an import
                "shop.queue.Missing": ("Missing", None), "elsewhere.Huey": ("Huey", None),
                "shop.queue.Sub": ("Huey", "huey.storage.RedisStorage")}  # storage_class inherited
    for index, (path, (cls, storage)) in enumerate(expected.items()):
        root = tmp_path / str(index)
        built = project(root, {"Procfile": "worker: python manage.py run_huey\n", "manage.py": "",
                                 "shop/__init__.py": "", "shop/settings.py": settings % path,
                                 "shop/queue.py": queue, "shop/base.py": base})
        app = built.apps[0]
        got = app.config.storage_class.value if app.config.storage_class is not None else None
        assert (path, app.huey_class.value, got) == (path, cls, storage)


def test_django_huey_instance_followed_through_imports_and_attributes(tmp_path) -> None:

    queue = "import os\nfrom huey import RedisHuey\n\nHUEY = RedisHuey('p', host=os.environ['REDIS_HOST'])\nhuey = HUEY\n"
    forms = {
        "from proj import queue\nHUEY = queue.HUEY\n": ("instance", 4),
        "from .queue import huey\nHUEY = huey\n": ("instance", 4),
        "import proj.queue\nHUEY = proj.queue.HUEY\n": ("instance", 4),
        "from .tasks import huey as queue_huey\nHUEY = queue_huey\n": ("instance", 4),  # re-exported by tasks
        "from huey import SqliteHuey\nlocal = SqliteHuey('p', filename='/data/q.db')\nHUEY = local\n": ("instance", 3),
        "from proj import queue\nHUEY = queue.OTHER\n": ("unknown", None),
        "from django_extras import queue\nHUEY = queue.HUEY\n": ("unknown", None),
    }
    for index, (settings, (form, line)) in enumerate(forms.items()):
        built = project(tmp_path / str(index), {
            "Procfile": "worker: python manage.py run_huey -f\n", "manage.py": "", "proj/__init__.py": "",
            "proj/queue.py": queue + "OTHER = object()\n", "proj/tasks.py": "from .queue import huey  # noqa\n",
            "proj/settings.py": "INSTALLED_APPS = ['huey.contrib.djhuey']\n" + settings})
        app = built.apps[0]
        assert (settings, app.setting.form) == (settings, form)
        assert [inst.loc.line for inst in app.instances] == ([line] if line else [])
        launch = built.launches[0]
        # the instance form takes consumer options from the command line only: -f is known, not "settings by code"
        assert (launch.consumer.settings_incomplete is None) == (form == "instance")


# -- settings found without DJANGO_SETTINGS_MODULE (fidelity case wrapper-var-manage) ------------------------

WRAPPED_MANAGE = {
    "deploy/site-tasks.service": "[Service]\nUser=site\nExecStart=/usr/bin/sitectl run_huey\nRestart=always\n",
    "deploy/sitectl": '#!/bin/sh\nset -eu\nMANAGE_BIN=/usr/share/site/manage.py\nexec python3 "$MANAGE_BIN" "$@"\n',
    "manage.py": "import sys\n\nif __name__ == '__main__':\n"
                 "    from django.core.management import execute_from_command_line\n"
                 "    execute_from_command_line(sys.argv)\n",
    "site/__init__.py": "",
    "site/settings.py": 'INSTALLED_APPS = ["huey.contrib.djhuey"{apps}]\n'
                        'HUEY = {{"huey_class": "huey.SqliteHuey", "filename": "/var/lib/site/huey.db"}}\n',
}


@pytest.mark.parametrize("apps, hl105", [(', "site"', []), ("", [("HL105", "site/settings.py", 2)])])
def test_settings_of_a_manage_py_without_django_settings_module(tmp_path: Path, apps: str, hl105: list) -> None:
    """manage.py sets no DJANGO_SETTINGS_MODULE and the unit none either: the one settings module of the repo
    that configures huey is the one run_huey loads.  HL105 then follows what djhuey imports: with ``site`` in
    INSTALLED_APPS the handler in its ``tasks`` module runs in the consumer; with djhuey alone it never does,
    and HL105 holds though no task is declared (tasks may live where a static reading does not see them)."""
    files = {rel: text.format(apps=apps) if rel == "site/settings.py" else text for rel, text in WRAPPED_MANAGE.items()}
    files["site/tasks.py"] = ("from huey.contrib.djhuey import HUEY, signal\nfrom huey.signals import SIGNAL_INTERRUPTED\n\n\n"
                              "@signal(SIGNAL_INTERRUPTED)\ndef requeue(signal, task, *args, **kwargs):\n"
                              "    HUEY.enqueue(task)\n")
    proj = project(tmp_path, files)
    [launch] = proj.launches
    assert launch.program == "run_huey"
    app = app_for(proj, launch)
    assert app is not None and app.settings_rels == ["site/settings.py"]
    (tmp_path / "deploy" / "sitectl").chmod(0o755)
    assert triples(lint(tmp_path), "HL105") == hl105


# -- source roots per deployment unit -------------------------------------------------------------------

_SERVICE_DOCKERFILE = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nUSER app\nCMD {cmd}\n"


def test_a_service_imports_only_from_its_own_folder(tmp_path: Path) -> None:
    """Two services and the root each run `tasks.huey`; a service's image holds only its folder, so its
    `import helpers` (optional there) never reaches the root's helpers.py, while the root's app does."""
    tasks = "from huey import RedisHuey\ntry:\n    import helpers\nexcept ImportError:\n    helpers = None\n" \
            "huey = RedisHuey('{name}')\n"
    proj = project(tmp_path, {
        "services/a/Dockerfile": _SERVICE_DOCKERFILE.format(cmd='["huey_consumer", "tasks.huey"]'),
        "services/a/tasks.py": tasks.format(name="a"),
        "services/b/Dockerfile": _SERVICE_DOCKERFILE.format(cmd='["huey_consumer", "tasks.huey"]'),
        "services/b/tasks.py": tasks.format(name="b"),
        "services/b/helpers.py": "from tasks import huey\n",
        "Procfile": "worker: huey_consumer tasks.huey\n",
        "tasks.py": tasks.format(name="root"),
        "helpers.py": "from tasks import huey\n\n@huey.lock_task('x')\ndef f():\n    pass\n",
    })
    modules = {launch.loc.path: sorted(app.modules) for launch in proj.launches
               for app in [app_for(proj, launch)] if app is not None}
    assert modules == {
        "services/a/Dockerfile": ["services/a/tasks.py"],
        "services/b/Dockerfile": ["services/b/helpers.py", "services/b/tasks.py"],
        "Procfile": ["helpers.py", "tasks.py"],
    }


def test_a_vendored_framework_is_not_the_app_of_a_service(tmp_path: Path) -> None:
    """Django's own source at the root (its sdist) with a service below: the service's installed
    `django.contrib.admin` is the one pip installs in its image, so no module of the root's `django/` is
    read into its app, and the repository's modules the app may import stay within the service."""
    proj = project(tmp_path, {
        "django/__init__.py": "VERSION = (5, 1)\n",
        "django/contrib/__init__.py": "",
        "django/contrib/admin/__init__.py": "from django.contrib.admin.sites import site\n",
        "django/contrib/admin/sites.py": "import signal\nfrom django.core import management\nsite = object()\n",
        "django/contrib/admin/tasks.py": "from huey.contrib.djhuey import lock_task\n\n"
                                        "@lock_task('vendored')\ndef f():\n    pass\n",
        "django/core/__init__.py": "",
        "django/core/management/__init__.py": "def call_command(name):\n    pass\n",
        "services/x/Dockerfile": _SERVICE_DOCKERFILE.format(cmd='["python", "manage.py", "run_huey"]'),
        "services/x/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n"
                                "from django.core.management import execute_from_command_line\n"
                                "execute_from_command_line()\n",
        "services/x/proj/__init__.py": "",
        "services/x/proj/settings.py": "INSTALLED_APPS = ['django.contrib.admin', 'huey.contrib.djhuey', 'shop']\n"
                                       "HUEY = {'name': 'x'}\n",
        "services/x/shop/__init__.py": "",
        "services/x/shop/tasks.py": "from huey.contrib.djhuey import db_task\nfrom django.db import models\n\n"
                                    "@db_task()\ndef ship():\n    pass\n",
    })
    (launch,) = proj.launches
    app = app_for(proj, launch)
    assert app is not None and app.kind == "django"
    assert sorted(app.modules) == ["services/x/manage.py", "services/x/proj/__init__.py",
                                   "services/x/proj/settings.py", "services/x/shop/__init__.py",
                                   "services/x/shop/tasks.py"]
    assert app.packages == ["services/x/shop"] and app.complete
    assert [task.name for task in app.tasks] == ["ship"] and app.locks == []


def test_an_unreadable_installed_apps_stays_within_the_service(tmp_path: Path) -> None:
    """INSTALLED_APPS built by code: every module of the service's deployed code may be imported, not
    those of the vendored framework at the root or of another service."""
    proj = project(tmp_path, {
        "django/__init__.py": "",
        "django/contrib/admin/tasks.py": "from huey.contrib.djhuey import lock_task\n\n"
                                        "@lock_task('vendored')\ndef f():\n    pass\n",
        "services/y/tasks.py": "from huey.contrib.djhuey import lock_task\n\n@lock_task('y')\ndef g():\n    pass\n",
        "services/x/Dockerfile": _SERVICE_DOCKERFILE.format(cmd='["python", "manage.py", "run_huey"]'),
        "services/x/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n"
                                "from django.core.management import execute_from_command_line\n"
                                "execute_from_command_line()\n",
        "services/x/proj/__init__.py": "",
        "services/x/proj/settings.py": "INSTALLED_APPS = load_apps()\nHUEY = {'name': 'x'}\n",
        "services/x/shop/tasks.py": "from huey.contrib.djhuey import lock_task\n\n@lock_task('x')\ndef h():\n"
                                    "    pass\n",
    })
    (launch,) = proj.launches
    app = app_for(proj, launch)
    assert app is not None
    assert [lock.loc.path for lock in app.locks] == ["services/x/shop/tasks.py"]


def test_a_workdir_mapped_onto_a_repository_folder_is_the_unit(tmp_path: Path) -> None:
    """`WorkingDirectory=/srv/app` with the code in the repository's app/: the app and what it imports
    resolve in app/ (the unit), and a root module of the same name is not the app's."""
    proj = project(tmp_path, {
        "deploy/huey.service": SERVICE.format(app="tasks.huey", flags=""),
        "app/tasks.py": "from huey import RedisHuey\nfrom helpers import x\nhuey = RedisHuey('app')\n",
        "app/helpers.py": "x = 1\n",
        "helpers.py": "from huey import RedisHuey\nother = RedisHuey('root')\n",
    })
    (launch,) = proj.launches
    app = app_for(proj, launch)
    assert app is not None and sorted(app.modules) == ["app/helpers.py", "app/tasks.py"]


def test_a_pool_that_breaks_while_taking_the_work_is_stopped(tmp_path, monkeypatch):
    """The facts are sent to the pool, then the verdicts: a pool that fails on the second leaves nothing
    running (its first batch is cancelled), and the run parses in-process."""
    from concurrent.futures import ProcessPoolExecutor

    from hueylint.sources import SourceFile

    monkeypatch.setattr(cache_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cache_module, "PARALLEL_MIN_CHARS", 1)
    stopped: list[bool] = []
    real_map, real_shutdown = ProcessPoolExecutor.map, ProcessPoolExecutor.shutdown

    def map_(self, fn, *iterables, **kwargs):
        if fn is cache_module._judge_encoded:
            raise RuntimeError("broken")
        return real_map(self, fn, *iterables, **kwargs)

    def shutdown(self, wait=True, *, cancel_futures=False):
        stopped.append(cancel_futures)
        return real_shutdown(self, wait=wait, cancel_futures=cancel_futures)

    monkeypatch.setattr(ProcessPoolExecutor, "map", map_)
    monkeypatch.setattr(ProcessPoolExecutor, "shutdown", shutdown)
    sources = [SourceFile(tmp_path / f"m{i}.py", f"pkg/m{i}.py", "import huey\n") for i in range(4)]
    callers = [SourceFile(tmp_path / "c.py", "pkg/c.py", "from pkg.tasks import t\n")]
    assert cache_module.FactsCache(tmp_path, enabled=False).start_prefetch(sources, callers) is None
    assert stopped == [True]


@pytest.mark.parametrize("cli", [BRANCH_CLI, MATCH_CLI], ids=["if-elif", "match"])
def test_a_branch_testing_the_command_word_is_not_taken_without_one(tmp_path: Path, cli: str) -> None:
    """Field test (karrot-dev/karrot-backend, j-field): a CLI that dispatches in ``main()`` on a branch testing
    the word (``if command == "worker":``, ``case "worker":``) runs no consumer when the launch gives none
    (``sys.argv[1]`` even fails): no launch, a dropped candidate for ``inspect``."""
    proj = project(tmp_path, {
        "pyproject.toml": '[project]\nname = "shop"\n\n[project.scripts]\nshop = "shop.cli:main"\n',
        "deploy/shop.service": "[Service]\nExecStart=/usr/local/bin/shop\n",
        "shop/__init__.py": "",
        "shop/cli.py": cli,
    })
    assert proj.launches == []
    assert [item.why for item in proj.dropped] == [
        "`call_command('run_huey')` is in a sub-command, and this launch names none"]


RUN_HUEY_BASE = "huey.contrib.djhuey.management.commands.run_huey"


@pytest.mark.parametrize("command, program", [
    # a copy of run_huey building the consumer itself: the options come from its code (here: unknown)
    ("from django.core.management.base import BaseCommand\nfrom huey.contrib.djhuey import HUEY\n\n\n"
     "class Command(BaseCommand):\n    def handle(self, *args, **options):\n"
     "        HUEY.create_consumer(workers=2).run()\n", "script"),
    # a command calling run_huey: run_huey with the call's options
    ("from django.core.management import call_command\nfrom django.core.management.base import BaseCommand\n\n\n"
     "class Command(BaseCommand):\n    def handle(self, *args, **options):\n"
     "        call_command('run_huey', workers=2)\n", "run_huey"),
    # subclasses of run_huey / djangohuey: those commands, with their own options
    (f"from {RUN_HUEY_BASE} import Command as RunHuey\n\n\nclass Command(RunHuey):\n    pass\n", "run_huey"),
    (f"from {RUN_HUEY_BASE} import Command\n\n\nclass Command(Command):\n    pass\n", "run_huey"),
    ("from django_huey.management.commands.djangohuey import Command as Base\n\n\nclass Command(Base):\n"
     "    pass\n", "djangohuey"),
    # a command that starts no consumer, or one importing run_huey without subclassing it
    ("from django.core.management.base import BaseCommand\n\n\nclass Command(BaseCommand):\n"
     "    def handle(self, *args, **options):\n        pass\n", None),
    (f"from {RUN_HUEY_BASE} import Command as RunHuey\nfrom django.core.management.base import BaseCommand\n\n\n"
     "class Command(BaseCommand):\n    pass\n", None),
], ids=["create-consumer", "call-command", "subclass-alias", "subclass-same-name", "djangohuey", "other", "import-only"])
def test_a_projects_own_management_command_that_runs_the_consumer(tmp_path: Path, command: str,
                                                                   program: str | None) -> None:
    """Field test (zanielyene/krabacus3): ``manage.py run_queue --queue history`` runs the project's own
    management command, a copy of run_huey that builds ``Consumer(...)``.  Django finds ``NAME`` in an
    installed app's ``management/commands/NAME.py``; when that code starts a consumer (or subclasses
    run_huey/djangohuey, whose options it then takes), the launch is a consumer launch."""
    proj = project(tmp_path, {
        "deploy/worker.service": "[Service]\nExecStart=/srv/venv/bin/python /srv/shop/manage.py run_queue -w 2\n",
        "manage.py": "import sys\nfrom django.core.management import execute_from_command_line\n"
                     "execute_from_command_line(sys.argv)\n",
        "shop/__init__.py": "", "shop/management/__init__.py": "", "shop/management/commands/__init__.py": "",
        "shop/management/commands/run_queue.py": command,
        "shop/settings.py": "HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': False}\n",
    })
    assert [launch.program for launch in proj.launches] == ([program] if program else [])
    if program in ("run_huey", "djangohuey"):
        assert proj.launches[0].options["workers"].value == 2


def test_a_management_command_is_looked_up_in_the_launchs_own_project(tmp_path: Path) -> None:
    """Two projects each with a command of that name: the one below the unit's working directory; a command
    only under tests/, or none in the repository (a third-party one), is not followed."""
    runs = (f"from {RUN_HUEY_BASE} import Command as Base\n\n\nclass Command(Base):\n    pass\n")
    other = "from django.core.management.base import BaseCommand\n\n\nclass Command(BaseCommand):\n    pass\n"
    proj = project(tmp_path, {
        "a/deploy/a.service": "[Service]\nWorkingDirectory=/srv/a\nExecStart=/srv/venv/bin/python manage.py work\n",
        "a/shop/management/commands/work.py": runs,
        "b/deploy/b.service": "[Service]\nWorkingDirectory=/srv/b\nExecStart=/srv/venv/bin/python manage.py work\n",
        "b/blog/management/commands/work.py": other,
        "c/deploy/c.service": "[Service]\nExecStart=/srv/venv/bin/python manage.py qcluster\n",
        "c/tests/management/commands/qcluster.py": runs,
    })
    assert [(launch.name, launch.program) for launch in proj.launches] == [("a.service", "run_huey")]


@pytest.mark.parametrize("workdir", ["/path/to/project/backend", "/home/deploy/apps/site/backend/"])
def test_a_working_directory_below_the_units_repository_folder(tmp_path: Path, workdir: str) -> None:
    """Field test (carlos18bp/base_django_vue_feature, checked as a subfolder: ``hueylint check shop``): the
    unit ``shop/scripts/systemd/huey.service`` runs ``manage.py run_huey`` in ``WorkingDirectory=.../backend``
    with ``DJANGO_SETTINGS_MODULE=site_conf.settings_prod``: that folder is ``shop/backend`` (below the folder
    the unit's repository is in), not ``backend`` of the checked root.  Before: the settings module was not
    found ("app not found in the repo"), so the app rules were silent from the parent folder."""
    proj = project(tmp_path, {
        "shop/scripts/systemd/huey.service": f"[Service]\nWorkingDirectory={workdir}\n"
                                             "Environment=DJANGO_SETTINGS_MODULE=site_conf.settings_prod\n"
                                             "ExecStart=/srv/venv/bin/python manage.py run_huey\n",
        "shop/backend/manage.py": "import sys\nfrom django.core.management import execute_from_command_line\n"
                                  "execute_from_command_line(sys.argv)\n",
        "shop/backend/site_conf/__init__.py": "",
        "shop/backend/site_conf/settings.py": "INSTALLED_APPS = ['huey.contrib.djhuey']\n"
                                              "HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': False}\n",
        "shop/backend/site_conf/settings_prod.py": "from .settings import *  # noqa\nDEBUG = False\n",
    })
    app = app_for(proj, proj.launches[0])
    assert app is not None and app.config is not None and app.loc is not None
    assert app.loc.path == "shop/backend/site_conf/settings.py"


APP_PACKAGE = {"server/jobs/__init__.py": "from huey import RedisHuey\n\nhuey = RedisHuey('jobs')\n"}


@pytest.mark.parametrize(("files", "found"), [
    # field test (Southseast/SkyRadar): the image's ENV under a supervisord program run by the container
    ({"Dockerfile": "FROM python:3.12\nENV PYTHONPATH=/srv/app/server\nCOPY . /srv/app\nWORKDIR /srv/app\n"
                    'CMD ["supervisord", "-n"]\n',
      "deploy/supervisord.conf": "[program:jobs]\ncommand=huey_consumer jobs.huey\ndirectory=/srv/app\n"}, True),
    ({"jobs.service": "[Service]\nWorkingDirectory=/srv/app\nEnvironment=\"PYTHONPATH=/opt/lib:/srv/app/server\"\n"
                      "ExecStart=/srv/app/venv/bin/huey_consumer jobs.huey\n"}, True),
    ({"deploy/jobs.conf": "[program:jobs]\ncommand=huey_consumer jobs.huey\ndirectory=/srv/app\n"
                          "environment=PYTHONPATH=\"/srv/app/server\"\n"}, True),
    ({"compose.yml": "services:\n  jobs:\n    image: python:3.12\n    working_dir: /srv/app\n    volumes: ['./:/srv/app']\n"
                     "    environment:\n      PYTHONPATH: server\n    command: huey_consumer jobs.huey\n"}, True),
    # an entry made of a variable is not guessed; without PYTHONPATH the package is not importable
    ({"jobs.service": "[Service]\nWorkingDirectory=/srv/app\nEnvironment=PYTHONPATH=${APP_HOME}/server\n"
                      "ExecStart=/srv/app/venv/bin/huey_consumer jobs.huey\n"}, False),
    ({"jobs.service": "[Service]\nWorkingDirectory=/srv/app\nExecStart=/srv/app/venv/bin/huey_consumer jobs.huey\n"},
     False),
])
def test_pythonpath_entries_are_where_the_app_is_imported_from(tmp_path: Path, files: dict[str, str],
                                                               found: bool) -> None:
    proj = project(tmp_path, {**APP_PACKAGE, **files})
    (launch,) = proj.launches
    app = app_for(proj, launch)
    assert (app is not None and "server/jobs/__init__.py" in app.modules) == found
