"""Storage values imported from another module of the repository (a plain config module): the extractor records
the import (``StorageLocation.ref``), the linker reads the value there (:mod:`hueylint.pyapp.exports`), and HL402
judges it as if it were written in the Huey module."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hueylint.appmodel import ENVIRONMENT, LITERAL, LOOPBACK, UNKNOWN
from hueylint.pyapp import exports
from hueylint.sources import SourceFile
from tests.helpers import lint, triples, write_tree

COMPOSE = ("services:\n  redis:\n    image: redis:7\n  worker:\n    build: .\n"
           "    command: [\"huey_consumer\", \"app.tasks.huey\", \"-w\", \"2\", \"-f\"]\n"
           "    stop_signal: SIGINT\n    stop_grace_period: 60s\n"
           "    environment:\n      REDIS_URL: redis://redis:6379/0\n")
DOCKERFILE = "FROM python:3.12-slim\nRUN useradd -m app\nWORKDIR /app\nCOPY . .\nUSER app\n"
CONFIG = 'import os\nREDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")\n'
INLINE = 'import os\nfrom huey import RedisHuey\nhuey = RedisHuey("app", url=os.environ["REDIS_URL"])\n'
ENV_MESSAGE = ("the huey storage is reached over the network (`url` comes from environment variable `REDIS_URL`, set "
               "to host `redis` (docker-compose.yml:10), the compose service `redis`) and messages are unsigned "
               "pickles: whoever can write to the queue runs code in the consumer. Fix: pass "
               "`serializer=SignedSerializer(secret=...)` with a secret read from the environment")


def run(root: Path, tasks: str, **modules: str):
    files = {"docker-compose.yml": COMPOSE, "Dockerfile": DOCKERFILE, "app/__init__.py": "",
             "app/config.py": CONFIG, "app/tasks.py": tasks}
    files.update({f"app/{name}.py": text for name, text in modules.items()})
    write_tree(root, files)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return lint(root)


def hl402(result) -> list[tuple[int, str]]:
    return [(f.loc.line, f.message) for f in result.findings if f.rule == "HL402"]


def test_inline_form_is_the_reference(tmp_path: Path) -> None:
    assert hl402(run(tmp_path, INLINE)) == [(3, ENV_MESSAGE)]


@pytest.mark.parametrize("tasks", [
    "from huey import RedisHuey\nfrom app.config import REDIS_URL\nhuey = RedisHuey('app', url=REDIS_URL)\n",
    "from huey import RedisHuey\nfrom app import config\nhuey = RedisHuey('app', url=config.REDIS_URL)\n",
    "from huey import RedisHuey\nfrom .config import REDIS_URL\nhuey = RedisHuey('app', url=REDIS_URL)\n",
    "from huey import RedisHuey\nfrom . import config\nhuey = RedisHuey('app', url=config.REDIS_URL)\n",
    "from huey import RedisHuey\nimport app.config\nhuey = RedisHuey('app', url=app.config.REDIS_URL)\n",
    "from huey import RedisHuey\nimport app.config as cfg\nhuey = RedisHuey('app', url=cfg.REDIS_URL)\n",
    "from huey import RedisHuey\nfrom app.config import REDIS_URL as URL\nhuey = RedisHuey('app', url=URL)\n",
    # a module constant of the Huey module holding the imported name
    "from huey import RedisHuey\nfrom app.config import REDIS_URL\nURL = REDIS_URL\n"
    "huey = RedisHuey('app', url=URL)\n",
    # re-exported by a second module
    "from huey import RedisHuey\nfrom app.settings import REDIS_URL\nhuey = RedisHuey('app', url=REDIS_URL)\n",
], ids=["from-import", "module-attribute", "relative", "relative-module", "dotted-import", "module-alias",
        "name-alias", "local-constant", "re-export"])
def test_each_import_form_gives_the_inline_finding(tmp_path: Path, tasks: str) -> None:
    result = run(tmp_path, tasks, settings="from app.config import *  # noqa\nfrom .config import REDIS_URL\n")
    assert hl402(result) == [(tasks.count("\n"), ENV_MESSAGE)]


@pytest.mark.parametrize("tasks", [
    "from huey import RedisHuey\nfrom .config import REDIS_URL\nhuey = RedisHuey('app', url=REDIS_URL)\n",
    "from huey import RedisHuey\nfrom . import config\nhuey = RedisHuey('app', url=config.REDIS_URL)\n",
], ids=["relative-name", "relative-module"])
def test_a_relative_import_is_read_next_to_the_module(tmp_path: Path, tasks: str) -> None:
    # a config.py at the repository root (a source root too) is not the app/config.py `.config` names
    for name, own, other in (("own-remote", REMOTE, "REDIS_URL = 'redis://localhost'\n"),
                             ("own-loopback", "REDIS_URL = 'redis://localhost'\n", REMOTE)):
        write_tree(tmp_path / name, {"config.py": other})
        found = hl402(run(tmp_path / name, tasks, config=own))
        assert [line for line, _ in found] == ([3] if own == REMOTE else []), name


@pytest.mark.parametrize("url", ["app.config.REDIS_URL", "REDIS_URL"])
def test_the_same_import_twice_keeps_it(tmp_path: Path, url: str) -> None:
    tasks = ("from huey import RedisHuey\nimport app.config\nimport app.other\nfrom app.config import REDIS_URL\n"
             f"def f():\n    from app.config import REDIS_URL\n    return REDIS_URL\nhuey = RedisHuey('app', url={url})\n")
    assert hl402(run(tmp_path, tasks, other="X = 1\n")) == [(8, ENV_MESSAGE)]


def test_a_star_import_before_the_import_keeps_it(tmp_path: Path) -> None:
    tasks = ("from app.base import *\nfrom huey import RedisHuey\nfrom app.config import REDIS_URL\n"
             "huey = RedisHuey('app', url=REDIS_URL)\nfrom app.base import *\n")
    assert hl402(run(tmp_path, tasks, base="X = 1\n")) == [(4, ENV_MESSAGE)]


@pytest.mark.parametrize("init", ["from . import config\n", "from app import config  # noqa\n", "CONFIGURED = True\n"])
def test_a_package_importing_its_own_submodule_keeps_it(tmp_path: Path, init: str) -> None:
    tasks = "from huey import RedisHuey\nfrom app import config\nhuey = RedisHuey('app', url=config.REDIS_URL)\n"
    assert hl402(run(tmp_path, tasks, __init__=init)) == [(3, ENV_MESSAGE)]


def test_literal_hosts_in_the_config_module(tmp_path: Path) -> None:
    tasks = "from huey import RedisHuey\nfrom app.config import REDIS_HOST\nhuey = RedisHuey('app', host=REDIS_HOST)\n"
    remote = run(tmp_path / "remote", tasks, config='REDIS_HOST = "redis.internal"\n')
    assert [line for line, _ in hl402(remote)] == [3]
    assert "(`host` points at `redis.internal`)" in hl402(remote)[0][1]
    service = run(tmp_path / "service", tasks, config='REDIS_HOST = "redis"\n')
    assert "(`host` points at `redis`, the compose service `redis`)" in hl402(service)[0][1]
    assert hl402(run(tmp_path / "loopback", tasks, config='REDIS_HOST = "localhost"\n')) == []
    url = "from huey import RedisHuey\nfrom app import config\nhuey = RedisHuey('app', url=config.URL)\n"
    assert hl402(run(tmp_path / "url-loopback", url, config='URL = "redis://127.0.0.1:6379/1"\n')) == []
    assert "(`url` points at `cache.internal`)" in hl402(
        run(tmp_path / "url", url, config='URL = "redis://:pw@cache.internal:6379/1"\n'))[0][1]


BRANCHES = ('import os\nif os.environ.get("CLUSTER"):\n    REDIS_HOST = "redis.internal"\nelse:\n'
            '    REDIS_HOST = "localhost"\n')


@pytest.mark.parametrize(("tasks", "modules"), [
    # a module outside the repository
    ("from dynaconf import settings\nfrom huey import RedisHuey\nhuey = RedisHuey('app', url=settings.REDIS_URL)\n",
     {}),
    # a module missing from the repository
    ("from huey import RedisHuey\nfrom app.secrets import REDIS_URL\nhuey = RedisHuey('app', url=REDIS_URL)\n", {}),
    # a name the config module does not define
    ("from huey import RedisHuey\nfrom app.config import BROKER\nhuey = RedisHuey('app', url=BROKER)\n", {}),
    # assigned in if/else branches: unknown, as when written in the Huey module itself (next test)
    ("from huey import RedisHuey\nfrom app.config import REDIS_HOST\nhuey = RedisHuey('app', host=REDIS_HOST)\n",
     {"config": BRANCHES}),
    # imported and also assigned in the Huey module: which binding holds is not told
    ("from huey import RedisHuey\nfrom app.config import REDIS_URL\nif not REDIS_URL:\n    REDIS_URL = make()\n"
     "huey = RedisHuey('app', url=REDIS_URL)\n", {}),
    # imported and also assigned in the config module
    ("from huey import RedisHuey\nfrom app.config import REDIS_URL\nhuey = RedisHuey('app', url=REDIS_URL)\n",
     {"config": "from app.base import REDIS_URL\nREDIS_URL = REDIS_URL or 'redis://redis.internal'\n",
      "base": CONFIG}),
    # an import cycle
    ("from huey import RedisHuey\nfrom app.config import REDIS_URL\nhuey = RedisHuey('app', url=REDIS_URL)\n",
     {"config": "from .base import REDIS_URL\n", "base": "from .config import REDIS_URL\n"}),
    # a parameter of the function building the instance shadows the import
    ("from huey import RedisHuey\nfrom app.config import REDIS_URL\n\ndef make(REDIS_URL):\n"
     "    return RedisHuey('app', url=REDIS_URL)\n\nhuey = make('redis://localhost')\n", {}),
    # the Huey module sets the attribute it then reads (or any attribute of that module)
    ("from huey import RedisHuey\nfrom app import config\nconfig.REDIS_URL = 'redis://localhost'\n"
     "huey = RedisHuey('app', url=config.REDIS_URL)\n", {}),
    ("from huey import RedisHuey\nfrom app import config\nsetattr(config, 'REDIS_URL', 'redis://localhost')\n"
     "huey = RedisHuey('app', url=config.REDIS_URL)\n", {}),
    # the package binds the name of its submodule to another object: `from app import config` gets that object
    ("from huey import RedisHuey\nfrom app import config\nhuey = RedisHuey('app', url=config.REDIS_URL)\n",
     {"__init__": "class _Config:\n    REDIS_URL = 'redis://localhost'\n\nconfig = _Config()\n"}),
    # a star import of the Huey module after the import may rebind the name before it is read
    ("from huey import RedisHuey\nfrom app.config import REDIS_URL\nfrom app.local import *\n"
     "huey = RedisHuey('app', url=REDIS_URL)\n", {}),
    # imported from one module or another (try/except ImportError, if/else): which one holds is not told
    ("from huey import RedisHuey\ntry:\n    from app.local_config import REDIS_URL\nexcept ImportError:\n"
     "    from app.config import REDIS_URL\nhuey = RedisHuey('app', url=REDIS_URL)\n", {}),
    ("from huey import RedisHuey\ntry:\n    import app.local_config as config\nexcept ImportError:\n"
     "    import app.config as config\nhuey = RedisHuey('app', url=config.REDIS_URL)\n", {}),
    ("from huey import RedisHuey\nfrom app.config import REDIS_URL\nhuey = RedisHuey('app', url=REDIS_URL)\n",
     {"config": "try:\n    from .local_config import REDIS_URL\nexcept ImportError:\n    from .base import REDIS_URL\n",
      "base": CONFIG}),
    # a module re-exporting the object sets its attribute
    ("from huey import RedisHuey\nfrom app.reexport import config\nhuey = RedisHuey('app', url=config.REDIS_URL)\n",
     {"reexport": "from app import config\nconfig.REDIS_URL = 'redis://localhost'\n"}),
    # a loopback host written in the config module, only the port read from the environment (as inline: silent)
    ("from huey import RedisHuey\nfrom app.config import REDIS_URL\nhuey = RedisHuey('app', url=REDIS_URL)\n",
     {"config": "import os\nREDIS_URL = f\"redis://localhost:{os.environ['REDIS_PORT']}/0\"\n"}),
], ids=["external", "missing-module", "undefined-name", "branches", "reassigned-here", "reassigned-there", "cycle",
        "parameter", "attribute-set-here", "setattr-here", "package-binds-the-name", "star-import-here",
        "imported-twice-here", "module-imported-twice-here", "imported-twice-there", "attribute-set-there",
        "env-port-loopback-host"])
def test_what_stays_unknown(tmp_path: Path, tasks: str, modules: dict[str, str]) -> None:
    assert hl402(run(tmp_path, tasks, **modules)) == []


REMOTE = 'REDIS_URL = "redis://redis.internal:6379/0"\n'


@pytest.mark.parametrize("config", [
    REMOTE + 'REDIS_URL = "redis://localhost:6379/0"\n',
    REMOTE + 'def setup():\n    global REDIS_URL\n    REDIS_URL = "redis://localhost"\n',
    REMOTE + 'globals()["REDIS_URL"] = "redis://localhost"\n',
    REMOTE + 'globals().update(REDIS_URL="redis://localhost")\n',
    REMOTE + 'vars()["REDIS_URL"] = "redis://localhost"\n',
    REMOTE + 'exec("REDIS_URL = \'redis://localhost\'")\n',
    'import sys\n' + REMOTE + 'setattr(sys.modules[__name__], "REDIS_URL", "redis://localhost")\n',
    REMOTE + 'from .local import *\n',
    REMOTE + 'try:\n    from .local_settings import *\nexcept ImportError:\n    pass\n',
    'from .base import *\nif True:\n    ' + REMOTE,
    REMOTE + 'for REDIS_URL in ["redis://localhost"]:\n    pass\n',
    REMOTE + 'import contextlib\nwith contextlib.nullcontext("redis://localhost") as REDIS_URL:\n    pass\n',
    REMOTE + 'if (REDIS_URL := "redis://localhost"):\n    pass\n',
    REMOTE + 'REDIS_URL, PORT = "redis://localhost", 6379\n',
    'import os\n' + REMOTE + 'match os.environ.get("STAGE"):\n    case "dev":\n        REDIS_URL = "redis://localhost"\n',
    'import os\n' + REMOTE + 'match os.environ.get("STAGE"):\n    case str() as REDIS_URL:\n        pass\n',
    REMOTE + 'try:\n    pass\nexcept Exception as REDIS_URL:\n    pass\n',
    REMOTE + 'del REDIS_URL\n',
    REMOTE + 'def REDIS_URL():\n    return "redis://localhost"\n',
    'import os\nif os.environ.get("ENV") == "dev":\n    REDIS_URL = "redis://localhost"\nelse:\n    ' + REMOTE,
], ids=["reassigned", "global-in-function", "globals-item", "globals-update", "vars", "exec", "sys-modules",
        "star-after", "try-star-after", "star-before-conditional", "for-target", "with-target", "walrus",
        "tuple-unpacking", "match-case-block", "match-capture", "except-as", "del", "def", "env-conditional"])
def test_a_name_the_config_module_may_rebind_is_unknown(tmp_path: Path, config: str) -> None:
    tasks = "from huey import RedisHuey\nfrom app.config import REDIS_URL\nhuey = RedisHuey('app', url=REDIS_URL)\n"
    assert hl402(run(tmp_path / "plain", tasks, config=REMOTE))  # the reference: reported
    assert hl402(run(tmp_path / "rebound", tasks, config=config)) == []


def test_a_re_export_a_later_star_import_may_replace_is_unknown(tmp_path: Path) -> None:
    tasks = "from huey import RedisHuey\nfrom app.config import REDIS_URL\nhuey = RedisHuey('app', url=REDIS_URL)\n"
    assert hl402(run(tmp_path / "plain", tasks, config="from .base import REDIS_URL\n", base=REMOTE))
    assert hl402(run(tmp_path / "star", tasks, config="from .base import REDIS_URL\nfrom .local import *\n",
                     base=REMOTE)) == []


def test_a_namespace_call_inside_a_function_keeps_the_values() -> None:
    text = ("REDIS_URL = 'redis://redis.internal'\ndef render(template):\n    return template.format(**locals())\n"
            "def run(code):\n    exec(code)\n    return vars(template)\n")
    got = exports.read(SourceFile(Path("app/config.py"), "app/config.py", text))
    assert {name: val.value for name, val in got.values.items()} == {"REDIS_URL": "redis://redis.internal"}


def test_a_star_import_before_an_unconditional_assignment_keeps_the_value() -> None:
    text = "from .base import *\nimport os\nREDIS_URL = 'redis://redis.internal'\nfor name in ('A',):\n    pass\n"
    got = exports.read(SourceFile(Path("app/config.py"), "app/config.py", text))
    assert {name: val.value for name, val in got.values.items()} == {"REDIS_URL": "redis://redis.internal"}


def test_branches_are_unknown_in_the_module_itself_too(tmp_path: Path) -> None:
    tasks = f"{BRANCHES}from huey import RedisHuey\nhuey = RedisHuey('app', host=REDIS_HOST)\n"
    assert hl402(run(tmp_path, tasks)) == []


def test_the_extractor_records_the_import_and_the_linker_replaces_it(tmp_path: Path) -> None:
    from hueylint.pyapp.extract import extract

    text = ("from huey import RedisHuey\nfrom . import config\nfrom app.config import REDIS_URL, HOST\n"
            "a = RedisHuey('a', url=config.REDIS_URL)\nb = RedisHuey('b', url=REDIS_URL, host=HOST)\n"
            "def make(HOST):\n    return RedisHuey('c', host=HOST)\n")
    facts = extract(SourceFile(Path("app/tasks.py"), "app/tasks.py", text))
    refs = [[(location.key, location.kind, location.ref) for location in inst.storage] for inst in facts.instances]
    assert refs == [[("url", UNKNOWN, ".config.REDIS_URL")],
                    [("host", UNKNOWN, "app.config.HOST"), ("url", UNKNOWN, "app.config.REDIS_URL")],
                    [("host", UNKNOWN, None)]]
    result = run(tmp_path, text.replace("b = ", "huey = "), config=CONFIG + "HOST = '127.0.0.1'\n")
    (app,) = result.project.apps
    (inst,) = app.instances
    assert [(location.key, location.kind, location.ref) for location in inst.storage] == [
        ("host", LOOPBACK, None), ("url", ENVIRONMENT, None)]
    assert inst.storage[0].value.loc.path == "app/config.py"  # the literal, where it is written
    assert inst.storage[1].value.unknown == "env:REDIS_URL"
    # the repository's facts read it too (HL403 judges every instance); the extracted facts (cached) keep the import
    assert [location.kind for location in result.project.repo.modules["app/tasks.py"].instances[1].storage] == [
        LOOPBACK, ENVIRONMENT]


def test_module_values_are_read_like_the_extractor_reads_its_own() -> None:
    text = ('import os\nfrom .base import SHARED, RE\nA = "redis://cache:6379"\nB = os.getenv("B_URL")\nC = A\n'
            'D = compute()\nPORT = 6379\ntry:\n    E = os.environ["E"]\nexcept KeyError:\n    E = None\n'
            'SHARED = "x"\n')
    got = exports.read(SourceFile(Path("app/config.py"), "app/config.py", text))
    assert {name: (val.value, val.unknown, val.loc.line) for name, val in got.values.items()} == {
        "A": ("redis://cache:6379", "", 3), "B": (None, "env:B_URL", 4), "C": ("redis://cache:6379", "", 3),
        "PORT": (6379, "", 7), "E": (None, "env:E", 9)}
    assert got.imports == {"os": "os", "RE": ".base.RE"}  # SHARED is assigned too: neither
    assert exports.read(SourceFile(Path("app/bad.py"), "app/bad.py", "A = (\n")).error is not None


def test_a_built_url_is_environment_only_when_its_host_part_is() -> None:
    text = ("import os\nA = f\"redis://localhost:{os.environ['PORT']}/0\"\n"
            "B = 'redis://redis.internal:' + os.environ.get('PORT', '6379')\n"
            "C = f\"redis://{os.environ['HOST']}:{os.environ['PORT']}/0\"\nD = os.environ['BASE'] + '/0'\n"
            "E = 'redis://' + os.environ['HOST']\n")
    got = exports.read(SourceFile(Path("app/config.py"), "app/config.py", text))
    assert {name: val.unknown for name, val in got.values.items()} == {
        "C": "env:HOST", "D": "env:BASE", "E": "env:HOST"}


def test_newer_syntax_is_read_through_libcst_as_the_extractor_reads_it() -> None:
    text = "type Url = str\nREDIS_URL = 'redis://redis.internal'\nA = 'x'\nfrom .local import *\nB = 'y'\n"
    got = exports.read(SourceFile(Path("app/config.py"), "app/config.py", text))
    assert got.error is None
    assert {name: (val.value, val.loc.line) for name, val in got.values.items()} == {"B": ("y", 5)}
    got = exports.read(SourceFile(Path("app/config.py"), "app/config.py", text.replace("from .local import *\n", "")))
    assert {name: val.value for name, val in got.values.items()} == {
        "REDIS_URL": "redis://redis.internal", "A": "x", "B": "y"}
    assert exports.read(SourceFile(Path("app/bad.py"), "app/bad.py", "type X = (\n")).error is not None


def test_module_values_come_from_the_cache_on_a_warm_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hueylint.config import Settings
    from hueylint.engine import Options, build_project

    tasks = "from huey import RedisHuey\nfrom app.config import REDIS_URL\nhuey = RedisHuey('app', url=REDIS_URL)\n"
    run(tmp_path, tasks)
    settings = Settings(root=tmp_path.resolve())
    build_project([tmp_path], settings, Options(cache=True))
    monkeypatch.setattr(exports, "read", lambda src: pytest.fail(f"parsed {src.rel} again"))
    _ws, project, _ = build_project([tmp_path], settings, Options(cache=True))
    (app,) = project.apps
    assert [location.kind for location in app.instances[0].storage] == [ENVIRONMENT]


def test_a_literal_filename_reaches_the_local_storage_rule(tmp_path: Path) -> None:
    tasks = "from huey import SqliteHuey\nfrom app.config import DB\nhuey = SqliteHuey('app', filename=DB)\n"
    result = run(tmp_path, tasks, config="DB = '/data/huey.db'\n")
    (app,) = result.project.apps
    assert [(location.kind, location.value.value) for location in app.instances[0].storage] == [
        (LITERAL, "/data/huey.db")]
    assert triples(result, "HL402") == []


# -- pydantic settings (FastAPI's usual configuration) ------------------------------------------------------

V2 = "from pydantic_settings import BaseSettings, SettingsConfigDict\nfrom pydantic import Field, AliasChoices\n"
V1 = "from pydantic import BaseSettings, Field\n"


def settings_values(text: str) -> dict[str, str]:
    """The instances' fields a module gives its importers (its classes' fields for instances built elsewhere,
    `Settings().field`, are tested in test_a_settings_class_gives_its_fields_to_instances_built_elsewhere)."""
    got = exports.read(SourceFile(Path("app/config.py"), "app/config.py", text))
    return {name: val.unknown for name, val in got.values.items() if "." in name and "()." not in name}


def test_a_settings_class_gives_its_fields_to_instances_built_elsewhere() -> None:
    got = exports.read(SourceFile(Path("app/schema.py"), "app/schema.py", SCHEMA + "class Plain:\n    x: str = 'x'\n"))
    # a plain class's attribute is its literal, for the class and an instance built without arguments alike
    assert {name: val.value if val.known else val.unknown for name, val in got.values.items()} == {
        "Settings().redis_url": "env:REDIS_URL", "Plain.x": "x", "Plain().x": "x"}
    made = exports.read(SourceFile(Path("app/config.py"), "app/config.py",
                                   "from app.schema import Settings\nsettings = Settings()\n"))
    assert made.values["settings"].unknown == exports.INSTANCE_PREFIX + "app.schema.Settings"


@pytest.mark.parametrize(("text", "expected"), [
    (V2 + "class Settings(BaseSettings):\n    redis_url: str = 'redis://localhost:6379/0'\n    port: int\n"
     "settings = Settings()\n", {"settings.redis_url": "env:REDIS_URL", "settings.port": "env:PORT"}),
    (V1 + "class Settings(BaseSettings):\n    redis_url: str = 'redis://localhost:6379/0'\nsettings = Settings()\n",
     {"settings.redis_url": "env:REDIS_URL"}),
    # env_prefix: v2 model_config (SettingsConfigDict, a dict, class keywords), v1 class Config
    (V2 + "class Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix='app_')\n"
     "    redis_url: str = 'x'\nsettings = Settings()\n", {"settings.redis_url": "env:APP_REDIS_URL"}),
    (V2 + "class Settings(BaseSettings):\n    model_config = {'env_prefix': 'APP_', 'env_file': '.env'}\n"
     "    redis_url: str = 'x'\nsettings = Settings()\n", {"settings.redis_url": "env:APP_REDIS_URL"}),
    (V2 + "class Settings(BaseSettings, env_prefix='APP_'):\n    redis_url: str = 'x'\nsettings = Settings()\n",
     {"settings.redis_url": "env:APP_REDIS_URL"}),
    (V1 + "class Settings(BaseSettings):\n    redis_url: str = 'x'\n    class Config:\n        env_prefix = 'APP_'\n"
     "settings = Settings()\n", {"settings.redis_url": "env:APP_REDIS_URL"}),
    # case_sensitive: the name as written
    (V2 + "class Settings(BaseSettings):\n    model_config = SettingsConfigDict(case_sensitive=True)\n"
     "    redis_url: str = 'x'\nsettings = Settings()\n", {"settings.redis_url": "env:redis_url"}),
    # a variable named by the field: v2 alias / validation_alias (no prefix), v1 env= (alias is not used by v1)
    (V2 + "class Settings(BaseSettings, env_prefix='APP_'):\n    redis_url: str = Field('x', alias='REDIS_DSN')\n"
     "    cache: str = Field('x', validation_alias='CACHE_DSN')\nsettings = Settings()\n",
     {"settings.redis_url": "env:REDIS_DSN", "settings.cache": "env:CACHE_DSN"}),
    (V1 + "class Settings(BaseSettings):\n    redis_url: str = Field('x', env='REDIS_DSN')\n"
     "    cache: str = Field('x', alias='CACHE_DSN')\nsettings = Settings()\n",
     {"settings.redis_url": "env:REDIS_DSN", "settings.cache": "env:CACHE"}),
    # unknown: v2's ignored env=, another call, a ClassVar, a private name
    (V2 + "from typing import ClassVar\nclass Settings(BaseSettings):\n"
     "    a: str = Field('x', validation_alias=AliasChoices('A', 'B'))\n    b: str = Field('x', env='B')\n"
     "    c: str = make('x')\n    d: ClassVar[str] = 'x'\n    _e: str = 'x'\n    f: str = Field('x')\n"
     "settings = Settings()\n", {"settings.a": "env:A/B", "settings.f": "env:F"}),
    # alias choices (field test: opennem's `AliasChoices("REDIS_HOST_URL", "cache_url")`): any of the names, the
    # first one set is read, upper-cased unless case_sensitive; v1 lists its names in env=; an AliasPath or a
    # computed name is not told
    (V2 + "from pydantic import AliasPath\nclass Settings(BaseSettings):\n"
     "    a: str = Field('x', validation_alias=AliasChoices('REDIS_HOST_URL', 'cache_url'))\n"
     "    b: str = Field('x', alias=AliasChoices('B', AliasPath('nested', 0)))\n"
     "    c: str = Field('x', validation_alias=AliasChoices(NAME))\n"
     "settings = Settings()\n", {"settings.a": "env:REDIS_HOST_URL/CACHE_URL"}),
    (V1 + "class Settings(BaseSettings):\n    redis_url: str = Field('x', env=['REDIS_URL', 'CACHE_URL'])\n"
     "settings = Settings()\n", {"settings.redis_url": "env:REDIS_URL/CACHE_URL"}),
    # unknown: arguments override the environment, a configuration not read, another base, a built prefix
    (V2 + "class Settings(BaseSettings):\n    redis_url: str = 'x'\nsettings = Settings(redis_url='redis://r')\n"
     "other = Settings(_env_file='.env.prod')\n", {"other.redis_url": "env:REDIS_URL"}),
    (V2 + "class Settings(BaseSettings):\n    model_config = SettingsConfigDict(alias_generator=str.upper)\n"
     "    redis_url: str = 'x'\nsettings = Settings()\n", {}),
    (V2 + "class Base(BaseSettings):\n    redis_url: str = 'x'\nclass Settings(Base):\n    pass\n"
     "settings = Settings()\n", {}),
    (V2 + "import os\nclass Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix=os.environ['P'])\n"
     "    redis_url: str = 'x'\nsettings = Settings()\n", {}),
    (V1 + "class Settings(BaseSettings):\n    redis_url: str = 'x'\n    class Config:\n"
     "        fields = {'redis_url': {'env': 'R'}}\nsettings = Settings()\n", {}),
    ("from mylib import BaseSettings\nclass Settings(BaseSettings):\n    redis_url: str = 'x'\nsettings = Settings()\n",
     {}),
    # arguments that change the variable (`_env_prefix`, `_case_sensitive`) or the sources
    (V2 + "class Settings(BaseSettings):\n    redis_url: str = 'x'\nsettings = Settings(_env_prefix='APP_')\n"
     "other = Settings(_case_sensitive=True)\nthird = Settings(_env_file='.env', _secrets_dir='/run/secrets')\n",
     {"third.redis_url": "env:REDIS_URL"}),
    # a class choosing its own sources or changing its values after reading them
    (V2 + "class Settings(BaseSettings):\n    redis_url: str = 'x'\n    @classmethod\n"
     "    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings, "
     "file_secret_settings):\n        return (init_settings,)\nsettings = Settings()\n", {}),
    (V2 + "from pydantic import model_validator\nclass Settings(BaseSettings):\n    redis_url: str = 'x'\n"
     "    @model_validator(mode='after')\n    def local(self):\n        self.redis_url = 'redis://localhost'\n"
     "        return self\nsettings = Settings()\n", {}),
    (V2 + "class Settings(BaseSettings):\n    redis_url: str = 'x'\n    def model_post_init(self, context):\n"
     "        self.redis_url = 'redis://localhost'\nsettings = Settings()\n", {}),
    # a validator of one field: that field only
    (V2 + "from pydantic import field_validator\nclass Settings(BaseSettings):\n    redis_url: str = 'x'\n"
     "    cache_url: str = 'x'\n    @field_validator('redis_url')\n    @classmethod\n    def local(cls, value):\n"
     "        return 'redis://localhost'\nsettings = Settings()\n", {"settings.cache_url": "env:CACHE_URL"}),
    # Field() inside Annotated names its own variable
    (V2 + "from typing import Annotated\nclass Settings(BaseSettings):\n"
     "    redis_url: Annotated[str, Field(alias='MY_REDIS')] = 'x'\n    port: Annotated[int, 'doc'] = 1\n"
     "settings = Settings()\n", {"settings.port": "env:PORT"}),
    # the configuration changed through the class after its definition
    (V2 + "class Settings(BaseSettings):\n    redis_url: str = 'x'\nSettings.model_config['env_prefix'] = 'APP_'\n"
     "settings = Settings()\n", {}),
    # the module sets a field after building the object, or any of them
    (V2 + "class Settings(BaseSettings):\n    redis_url: str = 'x'\n    port: int = 1\nsettings = Settings()\n"
     "settings.redis_url = 'redis://localhost'\nother = Settings()\nsetattr(other, 'port', 2)\n",
     {"settings.port": "env:PORT"}),
], ids=["v2", "v1", "v2-prefix", "v2-dict-config", "v2-class-keyword", "v1-config-prefix", "case-sensitive",
        "v2-alias", "v1-env", "fields-unknown", "alias-choices", "v1-env-list", "instance-arguments", "alias-generator", "subclass", "built-prefix",
        "v1-config-fields", "not-pydantic", "prefix-argument", "customised-sources", "model-validator",
        "post-init", "field-validator", "annotated-field", "class-config-changed", "set-after"])
def test_pydantic_settings_fields_name_their_variable(text: str, expected: dict[str, str]) -> None:
    assert settings_values(text) == expected


def model_validator_settings(body: str, mode: str = "mode='after'") -> str:
    return (V2 + "from pydantic import model_validator\nclass Settings(BaseSettings):\n    redis_url: str = 'x'\n"
            f"    token: str = ''\n    @model_validator({mode})\n    def check(self):\n{body}settings = Settings()\n")


CHECKED = {"settings.redis_url": "env:REDIS_URL", "settings.token": "env:TOKEN"}


@pytest.mark.parametrize(("text", "expected"), [
    # only reads fields, raises, returns the instance: no value changes (struudel's required-settings check)
    (model_validator_settings("        missing = [n for n, v in (('TOKEN', self.token),) if not v]\n"
                              "        if missing or self.redis_url is None:\n"
                              "            raise ValueError(', '.join(missing))\n        return self\n"), CHECKED),
    (model_validator_settings("        assert self.token\n        return self\n", 'mode="after"'), CHECKED),
    # anything that may change a value leaves the class unknown
    (model_validator_settings("        self.token = self.token.strip()\n        return self\n"), {}),
    (model_validator_settings("        self.redis_url += '/1'\n        return self\n"), {}),
    (model_validator_settings("        object.__setattr__(self, 'token', 'y')\n        return self\n"), {}),
    (model_validator_settings("        self.__dict__['token'] = 'y'\n        return self\n"), {}),
    (model_validator_settings("        self.normalise()\n        return self\n"), {}),
    (model_validator_settings("        fix(self)\n        return self\n"), {}),
    (model_validator_settings("        self.token.extra.append(1)\n        return self\n"), {}),
    (model_validator_settings("        return Settings(redis_url='redis://localhost')\n"), {}),
    (model_validator_settings("        return self.model_copy()\n"), {}),
    # before and wrap validators see the raw input, a validator without a mode is not read
    (model_validator_settings("        return self\n", "mode='before'"), {}),
    (model_validator_settings("        return self\n", "mode='wrap'"), {}),
    (model_validator_settings("        return self\n", "mode=MODE"), {}),
], ids=["checks-only", "assert", "assigns", "augmented", "object-setattr", "dunder-dict", "method-call",
        "handed-on", "nested-mutation", "returns-another", "returns-copy", "before", "wrap", "computed-mode"])
def test_a_model_validator_that_only_checks_keeps_the_fields(text: str, expected: dict[str, str]) -> None:
    assert settings_values(text) == expected


@pytest.mark.parametrize("config", [
    V2 + "class Settings(BaseSettings):\n    redis_url: str = 'redis://localhost:6379/0'\nsettings = Settings()\n",
    V1 + "class Settings(BaseSettings):\n    redis_url: str = 'redis://localhost:6379/0'\nsettings = Settings()\n",
], ids=["pydantic-settings", "pydantic-v1"])
def test_pydantic_settings_give_the_inline_finding(tmp_path: Path, config: str) -> None:
    for name, tasks in {
        "from": "from huey import RedisHuey\nfrom app.config import settings\n"
                "huey = RedisHuey('app', url=settings.redis_url)\n",
        "module": "from huey import RedisHuey\nfrom app import config\n"
                  "huey = RedisHuey('app', url=config.settings.redis_url)\n",
    }.items():
        assert hl402(run(tmp_path / name, tasks, config=config)) == [(3, ENV_MESSAGE)], name


@pytest.mark.parametrize(("url", "config", "expected"), [
    ("f'{REDIS_URL}/1'", CONFIG, "`url` comes from environment variable `REDIS_URL`, set to host `redis`"),
    ("f'redis://{config.HOST}:6379/1'", "HOST = 'redis.internal'\n", "`url` points at `redis.internal`"),
    ("'redis://' + config.HOST + ':6379'", "HOST = 'redis.internal'\n", "`url` points at `redis.internal`"),
    ("f'redis://:{config.PW}@{config.HOST}:6379'", "PW = 'x'\nHOST = 'cache-1'\n", "`url` points at `cache-1`"),
    ("f'redis://{config.HOST}:6379/1'", "import os\nHOST = os.environ['REDIS_HOST']\n",
     "`url` comes from environment variable `REDIS_HOST`)"),
    ("f'{config.URL}/1'", "URL = 'redis://cache.internal:6379'\n", "`url` points at `cache.internal`"),
    ("f'redis://{config.HOST}:6379/1'", "HOST = 'localhost'\n", None),
    ("f'{config.URL}/1'", "URL = 'redis://127.0.0.1:6379'\n", None),
    # not a bare host where a host goes: not told
    ("f'redis://{config.HOST}/1'", "HOST = 'cache.internal:6380'\n", None),
    # the text after a leading part goes on with the host: `redis://local` + `host` is localhost
    ("f'{config.BASE}host:6379/1'", "BASE = 'redis://local'\n", None),
    ("config.BASE + 'host'", "BASE = 'redis://local'\n", None),
], ids=["leading-env", "host-literal", "concatenated", "after-password", "host-env", "leading-literal",
        "host-loopback", "leading-loopback", "host-with-port", "leading-host-goes-on", "leading-concatenated-host"])
def test_a_url_built_around_an_imported_part(tmp_path: Path, url: str, config: str, expected: str | None) -> None:
    imports = "from app.config import REDIS_URL\n" if "REDIS_URL" in url else "from app import config\n"
    result = hl402(run(tmp_path, f"from huey import RedisHuey\n{imports}huey = RedisHuey('app', url={url})\n",
                       config=config))
    if expected is None:
        assert result == []
    else:
        assert [line for line, _ in result] == [3] and expected in result[0][1]


@pytest.mark.parametrize("huey", [
    "HUEY = {'name': 'proj', 'url': REDIS_URL, 'immediate': False}\n",
    "HUEY = {'name': 'proj', 'connection': {'url': REDIS_URL}, 'immediate': False}\n",
    "from huey import RedisHuey\nHUEY = RedisHuey('proj', url=REDIS_URL)\n",
], ids=["dict", "connection", "instance"])
def test_django_settings_read_an_imported_value_too(tmp_path: Path, huey: str) -> None:
    files = {"docker-compose.yml": COMPOSE.replace('"huey_consumer", "app.tasks.huey"', '"python", "manage.py", '
                                                   '"run_huey"'),
             "Dockerfile": DOCKERFILE, "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                                                    "'proj.settings')\n",
             "proj/__init__.py": "", "proj/env.py": CONFIG,
             "proj/settings.py": "from proj.env import REDIS_URL\nINSTALLED_APPS = ['huey.contrib.djhuey']\n" + huey}
    write_tree(tmp_path, files)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert hl402(lint(tmp_path)) == [(2 + huey.count("\n"), ENV_MESSAGE)]


@pytest.mark.parametrize("remote", ["proj/redis.py", "proj/conf/redis.py"])
def test_an_update_of_the_huey_dict_reads_its_import_where_it_is_written(tmp_path: Path, remote: str) -> None:
    # `from .redis import REDIS_URL` in proj/settings.py is proj/redis.py, not the proj/conf/redis.py next to
    # the module holding the dict it updates
    files = {"docker-compose.yml": COMPOSE.replace('"huey_consumer", "app.tasks.huey"', '"python", "manage.py", '
                                                   '"run_huey"'),
             "Dockerfile": DOCKERFILE, "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                                                    "'proj.settings')\n",
             "proj/__init__.py": "", "proj/conf/__init__.py": "",
             "proj/conf/base.py": "INSTALLED_APPS = ['huey.contrib.djhuey']\n"
                                  "HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': False}\n",
             "proj/settings.py": "from .conf.base import *\nfrom .redis import REDIS_URL\nHUEY['url'] = REDIS_URL\n",
             "proj/redis.py": "REDIS_URL = 'redis://localhost:6379/0'\n",
             "proj/conf/redis.py": "REDIS_URL = 'redis://localhost:6379/0'\n"}
    files[remote] = REMOTE
    write_tree(tmp_path, files)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert len(hl402(lint(tmp_path))) == (1 if remote == "proj/redis.py" else 0)


# -- HL403: a password or a SignedSerializer secret written in the module the value is imported from ---------

def hl403(result) -> list[tuple[str, int, int, str]]:
    return [(f.loc.path, f.loc.line, f.loc.col, f.message) for f in result.findings if f.rule == "HL403"]


SECRETS = 'REDIS_URL = "redis://:hunter2@redis.internal:6379/0"\nSECRET = "not-so-secret"\n'


def secret_message(kind: str, where: str) -> str:
    return (f"{kind} of `RedisHuey(...)` is written in the source ({where}): anyone with read access to the "
            "repository can sign tasks or reach the queue. Fix: read it from the environment or a secrets manager")


def test_inline_secrets_are_the_reference(tmp_path: Path) -> None:
    tasks = ("from huey import RedisHuey\nfrom huey.serializer import SignedSerializer\n"
             "huey = RedisHuey('app', url='redis://:hunter2@redis.internal:6379/0',\n"
             "                 serializer=SignedSerializer(secret='not-so-secret'))\n")
    assert hl403(run(tmp_path, tasks)) == [
        ("app/tasks.py", 3, 29, secret_message("a storage password", "app/tasks.py")),
        ("app/tasks.py", 4, 53, secret_message("the `SignedSerializer` secret", "app/tasks.py"))]


@pytest.mark.parametrize("tasks", [
    "from huey import RedisHuey\nfrom huey.serializer import SignedSerializer\nfrom app.config import REDIS_URL, SECRET\n"
    "huey = RedisHuey('app', url=REDIS_URL, serializer=SignedSerializer(secret=SECRET))\n",
    "from huey import RedisHuey\nfrom huey.serializer import SignedSerializer\nfrom . import config\n"
    "huey = RedisHuey('app', url=config.REDIS_URL, serializer=SignedSerializer(secret=config.SECRET))\n",
    "import os\nfrom huey import RedisHuey, SignedSerializer\nfrom app.config import SECRET\n"
    "SERIALIZER = SignedSerializer(secret=SECRET)\n"
    "huey = RedisHuey('app', url=os.environ['REDIS_URL'], serializer=SERIALIZER)\n",
], ids=["from-import", "module-attribute", "secret-only"])
def test_imported_secrets_are_reported_where_they_are_written(tmp_path: Path, tasks: str) -> None:
    """The same findings as written inline, placed in the config module (where a `# noqa` goes), naming the
    module that imports them; the instance need not be run by a launch (HL403 judges all of the code)."""
    found = hl403(run(tmp_path, tasks, config=SECRETS))
    password = ("app/config.py", 1, 13, secret_message("a storage password", "app/config.py, imported by app/tasks.py"))
    secret = ("app/config.py", 2, 10, secret_message("the `SignedSerializer` secret",
                                                    "app/config.py, imported by app/tasks.py"))
    assert found == ([secret] if "secret-only" in tasks or "SERIALIZER" in tasks else [password, secret])


@pytest.mark.parametrize("config", [
    'import os\nREDIS_URL = os.environ["REDIS_URL"]\nSECRET = os.environ["HUEY_SECRET"]\n',
    'import os\nREDIS_URL = os.environ.get("REDIS_URL", "redis://:pw@localhost:6379/0")\n'
    'SECRET = os.environ.get("HUEY_SECRET", "dev")\n',
    'REDIS_URL = "redis://redis.internal:6379/0"\nSECRET = open("/run/secrets/huey").read()\n',
], ids=["environment", "environment-with-defaults", "no-password-and-a-file"])
def test_secrets_from_the_environment_stay_quiet_when_imported_too(tmp_path: Path, config: str) -> None:
    tasks = ("from huey import RedisHuey\nfrom huey.serializer import SignedSerializer\n"
             "from app.config import REDIS_URL, SECRET\n"
             "huey = RedisHuey('app', url=REDIS_URL, serializer=SignedSerializer(secret=SECRET))\n")
    assert hl403(run(tmp_path, tasks, config=config)) == []


def test_a_django_huey_dict_reads_an_imported_password(tmp_path: Path) -> None:
    files = {"docker-compose.yml": COMPOSE.replace('"huey_consumer", "app.tasks.huey"', '"python", "manage.py", '
                                                   '"run_huey"'),
             "Dockerfile": DOCKERFILE, "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                                                    "'proj.settings')\n",
             "proj/__init__.py": "", "proj/env.py": SECRETS,
             "proj/settings.py": "from proj.env import REDIS_URL\nINSTALLED_APPS = ['huey.contrib.djhuey']\n"
                                 "HUEY = {'name': 'proj', 'url': REDIS_URL, 'immediate': False}\n"}
    write_tree(tmp_path, files)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert [(path, line) for path, line, _, _ in hl403(lint(tmp_path))] == [("proj/env.py", 1)]


@pytest.mark.parametrize("tasks", [
    "from huey import RedisHuey\nfrom app.config import REDIS_URL\nhuey = RedisHuey('app', url=str(REDIS_URL))\n",
    "from huey import RedisHuey\nfrom app import config\nhuey = RedisHuey('app', url=str(config.REDIS_URL))\n",
    "from huey import RedisHuey\nfrom app.config import REDIS_URL\nURL = str(REDIS_URL)\n"
    "huey = RedisHuey('app', url=URL)\n",
], ids=["from-import", "module-attribute", "constant"])
def test_the_builtin_str_around_an_import_is_followed(tmp_path: Path, tasks: str) -> None:
    """Field test (opennem): `url=str(settings.redis_url)`, pydantic's RedisDsn made a string: the same URL."""
    assert hl402(run(tmp_path, tasks)) == [(3 + tasks.count("URL = "), ENV_MESSAGE)]


@pytest.mark.parametrize("tasks", [
    # `str` rebound in the module: not the builtin
    "from huey import RedisHuey\nfrom app.config import REDIS_URL\nfrom app.text import str\n"
    "huey = RedisHuey('app', url=str(REDIS_URL))\n",
    "from huey import RedisHuey\nfrom app.config import REDIS_URL\ndef str(value):\n    return 'redis://localhost'\n"
    "huey = RedisHuey('app', url=str(REDIS_URL))\n",
    # str(bytes, encoding) decodes: another value
    "from huey import RedisHuey\nfrom app.config import REDIS_URL\nhuey = RedisHuey('app', url=str(REDIS_URL, 'utf-8'))\n",
], ids=["imported-str", "local-function", "two-arguments"])
def test_a_str_that_is_not_the_builtin_one_is_not_followed(tmp_path: Path, tasks: str) -> None:
    assert hl402(run(tmp_path, tasks, text="def str(value):\n    return 'redis://localhost'\n")) == []


def test_the_builtin_str_of_a_literal_is_the_literal(tmp_path: Path) -> None:
    tasks = "from huey import RedisHuey\nhuey = RedisHuey('app', url=str('redis://cache.internal:6379/0'))\n"
    assert [message.split(" and messages")[0] for _line, message in hl402(run(tmp_path, tasks))] == \
        ["the huey storage is reached over the network (`url` points at `cache.internal`)"]


SCHEMA = V2 + "class Settings(BaseSettings):\n    redis_url: str = Field('redis://localhost:6379/0', alias='REDIS_URL')\n"
SETTINGS_TASKS = "from huey import RedisHuey\nfrom app.config import settings\nhuey = RedisHuey('app', url=settings.redis_url)\n"


@pytest.mark.parametrize("config", [
    "from app.schema import Settings\nsettings = Settings()\n",
    "from app.schema import Settings\nsettings: Settings = Settings()\n",
    "from .schema import Settings\nsettings = Settings()\n",
    "from app.schema import Settings as AppSettings\nsettings = AppSettings(_env_file='.env')\n",
], ids=["from-import", "annotated", "relative", "alias-env-file"])
def test_a_settings_class_imported_from_another_module_is_read_there(tmp_path: Path, config: str) -> None:
    """Field test (opennem): the BaseSettings class lives in settings_schema.py, the instance in the package's
    __init__.py, the Huey module imports the instance."""
    assert hl402(run(tmp_path, SETTINGS_TASKS, config=config, schema=SCHEMA)) == [(3, ENV_MESSAGE)]


@pytest.mark.parametrize("config, schema", [
    # arguments set the field, or the module sets it after building the object
    ("from app.schema import Settings\nsettings = Settings(redis_url='redis://localhost:6379/0')\n", SCHEMA),
    ("from app.schema import Settings\nsettings = Settings()\nsettings.redis_url = 'redis://localhost:6379/0'\n",
     SCHEMA),
    # not a settings class: its attributes are not read from the environment
    ("from app.schema import Settings\nsettings = Settings()\n",
     "class Settings:\n    redis_url = 'redis://localhost:6379/0'\n"),
    # the name is rebound: which value holds is not told
    ("from app.schema import Settings\nsettings = Settings()\nsettings = None\n", SCHEMA),
], ids=["argument", "set-after", "plain-class", "rebound"])
def test_an_imported_settings_class_is_not_read_when_the_instance_may_differ(tmp_path: Path, config: str,
                                                                             schema: str) -> None:
    assert hl402(run(tmp_path, SETTINGS_TASKS, config=config, schema=schema)) == []
