"""A Flask-style configuration class's attributes, as an importer reads them (``Config.REDIS_HOST``).

``class Config: REDIS_HOST = os.getenv("REDIS_HOST", "localhost")`` then ``from config import Config`` and
``RedisHuey(host=Config.REDIS_HOST)``: the host comes from the environment.  Field test: AYui124/PixCollector.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.pyapp import exports
from hueylint.sources import SourceFile
from tests.helpers import lint, write_tree


def class_values(text: str) -> dict[str, object]:
    got = exports.read(SourceFile(Path("config.py"), "config.py", "import os\n" + text))
    return {name: (val.value if val.known else val.unknown) for name, val in got.values.items()
            if "." in name and "()" not in name}  # an instance's values: below


@pytest.mark.parametrize(("text", "expected"), [
    ("class Config:\n    HOST = os.getenv('REDIS_HOST', 'localhost')\n    NAME = 'app'\n",
     {"Config.HOST": "env:REDIS_HOST", "Config.NAME": "app"}),
    ("class Config(object):\n    HOST = os.environ.get('REDIS_HOST')\n    URL = os.environ['REDIS_URL']\n",
     {"Config.HOST": "env:REDIS_HOST", "Config.URL": "env:REDIS_URL"}),
    # annotated: the same class attribute; an annotation alone binds nothing
    ("class Config:\n    HOST: str = os.getenv('REDIS_HOST', 'localhost')\n    PORT: int\n",
     {"Config.HOST": "env:REDIS_HOST"}),
    # a subclass's attributes may come from its bases; a decorated class is another object
    ("class Base:\n    A = 'x'\nclass Prod(Base):\n    HOST = os.getenv('H')\n", {"Base.A": "x"}),
    ("import dataclasses\n@dataclasses.dataclass\nclass Config:\n    HOST = os.getenv('H')\n", {}),
    # the class body's own names are not the module's: a value built from one is left out
    ("HOST = 'redis.internal'\nclass Config:\n    HOST = os.getenv('H', 'localhost')\n    URL = f'redis://{HOST}'\n",
     {"Config.HOST": "env:H"}),
    # assigned twice, changed after the class, set by a method: not told
    ("class Config:\n    HOST = 'a'\n    HOST = os.getenv('H')\n    PORT = 1\n", {"Config.PORT": 1}),
    ("class Config:\n    HOST = os.getenv('H')\n    PORT = 1\nConfig.HOST = 'redis.internal'\n", {"Config.PORT": 1}),
    ("class Config:\n    HOST = os.getenv('H')\n    @classmethod\n    def load(cls):\n        cls.HOST = 'x'\n", {}),
    ("class Config:\n    HOST = os.getenv('H')\nsetattr(Config, 'HOST', 'x')\n", {}),
    # a class defined twice, or a name also assigned: not told
    ("class Config:\n    HOST = 'a'\nclass Config:\n    HOST = 'b'\n", {}),
], ids=["getenv-and-literal", "object-base-environ", "annotated", "subclass", "decorated", "own-names",
        "assigned-twice", "changed-after", "method-sets", "setattr", "defined-twice"])
def test_configuration_class_attributes(text: str, expected: dict[str, object]) -> None:
    assert class_values(text) == expected


@pytest.mark.parametrize("text", [
    # the class body binds the attribute again, in a block or another form than a plain assignment
    "class Config:\n    HOST = os.getenv('H')\n    if os.getenv('DOCKER'):\n        HOST = 'redis'\n",
    "class Config:\n    HOST = os.getenv('H')\n    try:\n        from local import HOST\n    except ImportError:\n"
    "        pass\n",
    "class Config:\n    HOST = os.getenv('H')\n    for HOST in ['redis']:\n        pass\n",
    "class Config:\n    HOST = os.getenv('H')\n    (HOST := 'redis')\n",
    "class Config:\n    HOST = os.getenv('H')\n    del HOST\n",
    "class Config:\n    HOST = os.getenv('H')\n    locals()['HOST'] = 'redis'\n",
    # the module binds the class name again after its definition
    "class Config:\n    HOST = os.getenv('H')\nfor Config in [object]:\n    pass\n",
    "class Config:\n    HOST = os.getenv('H')\nwith open('x') as Config:\n    pass\n",
    "class Config:\n    HOST = os.getenv('H')\ndef use_prod():\n    global Config\n    Config = object\n",
    "class Config:\n    HOST = os.getenv('H')\nfrom prod_config import *\n",
], ids=["if-block", "try-import", "for-target", "walrus", "del", "locals", "module-for", "module-with",
        "module-global", "module-star-after"])
def test_an_attribute_or_class_bound_again_is_not_told(text: str) -> None:
    assert "Config.HOST" not in class_values(text)


def test_a_star_import_before_the_class_leaves_it_told() -> None:
    text = "from base_config import *\nclass Config:\n    HOST = os.getenv('H')\n    NAMES = [h for h in 'ab']\n"
    assert class_values(text) == {"Config.HOST": "env:H"}


IMAGE = "FROM python:3.12-slim\nWORKDIR /app\nRUN pip install huey==3.5.4 redis\nCOPY . .\nUSER nobody\n"
COMPOSE = ("services:\n  worker:\n    build: .\n    command: [\"huey_consumer\", \"queue_app.huey\"]\n"
           "    stop_signal: SIGINT\n    stop_grace_period: 60s\n    restart: always\n")
QUEUE = ("from huey import RedisHuey\nfrom huey.signals import SIGNAL_INTERRUPTED\nfrom config import Config\n"
         "huey = RedisHuey('app', host=Config.HOST)\n\n@huey.signal(SIGNAL_INTERRUPTED)\n"
         "def requeue(signal, task, *args, **kwargs):\n    huey.enqueue(task)\n")


@pytest.mark.parametrize(("config", "expected"), [
    ("import os\nclass Config:\n    HOST = os.getenv('REDIS_HOST', 'localhost')\n",
     "`host` comes from environment variable `REDIS_HOST`"),
    ("class Config:\n    HOST = 'redis.internal'\n", "`host` points at `redis.internal`"),
    ("class Config:\n    HOST = 'localhost'\n", None),
], ids=["environment", "remote-literal", "loopback"])
def test_the_importer_judges_the_class_attribute(tmp_path: Path, config: str, expected: str | None) -> None:
    write_tree(tmp_path, {"Dockerfile": IMAGE, "compose.yaml": COMPOSE, "queue_app.py": QUEUE, "config.py": config})
    found = [f for f in lint(tmp_path).findings if f.rule == "HL402"]
    if expected is None:
        assert found == []
    else:
        assert [(f.loc.path, f.loc.line) for f in found] == [("queue_app.py", 4)]
        assert expected in found[0].message


# -- an instance built without arguments: the defaults written in the class body (greedWizard/classroom_backend) --


def instance_values(text: str) -> dict[str, object]:
    got = exports.read(SourceFile(Path("config.py"), "config.py", "import os\n" + text))
    return {name: (val.value if val.known else val.unknown) for name, val in got.values.items()
            if "." in name and not name.startswith("Config.")}


MODEL = "from pydantic import BaseModel, Field\n"
DATACLASS = "from dataclasses import dataclass, field\n"


@pytest.mark.parametrize(("text", "expected"), [
    # pydantic BaseModel (not BaseSettings): an instance holds each field's default, annotated or not
    (MODEL + "class Settings(BaseModel):\n    url: str = os.environ['REDIS_URL']\n    NAME = 'app'\n"
     "settings = Settings()\n",
     {"Settings().url": "env:REDIS_URL", "Settings().NAME": "app", "settings.url": "env:REDIS_URL",
      "settings.NAME": "app"}),
    (MODEL + "class Settings(BaseModel):\n    url: str = Field(os.getenv('U'), title='x')\n"
     "    host: str = Field(default='redis.internal')\n",
     {"Settings().url": "env:U", "Settings().host": "redis.internal"}),
    ("import pydantic\nclass Settings(pydantic.BaseModel):\n    url: str = os.getenv('U')\n", {"Settings().url": "env:U"}),
    # required, built per instance, or changed by a validator or a constructor: not told
    (MODEL + "class Settings(BaseModel):\n    url: str = Field(...)\n    host: str = Field(default_factory=str)\n"
     "    port: int\n", {}),
    (MODEL + "from pydantic import validator\nclass Settings(BaseModel):\n    url: str = os.getenv('U')\n"
     "    host: str = os.getenv('H')\n    @validator('url')\n    def strip(cls, v):\n        return v.strip()\n",
     {"Settings().host": "env:H"}),
    (MODEL + "class Settings(BaseModel):\n    url: str = os.getenv('U')\n    def __init__(self, **kw):\n"
     "        super().__init__(url='redis://other', **kw)\n", {}),
    # dataclasses: `@dataclass`, `@dataclass(frozen=True)`, `field(default=...)`
    (DATACLASS + "@dataclass(frozen=True)\nclass Settings:\n    host: str = os.getenv('H', 'localhost')\n"
     "    port: int = field(default=6379)\n    tags: list = field(default_factory=list)\n",
     {"Settings().host": "env:H", "Settings().port": 6379}),
    ("import dataclasses\n@dataclasses.dataclass\nclass Settings:\n    host: str = os.getenv('H')\n",
     {"Settings().host": "env:H"}),
    (DATACLASS + "@dataclass\nclass Settings:\n    host: str = os.getenv('H')\n    def __post_init__(self):\n"
     "        object.__setattr__(self, 'host', 'x')\n", {}),
    ("import functools\n@functools.total_ordering\nclass Settings:\n    host = os.getenv('H')\n", {}),
    # a plain class: the instance reads the class attribute, unless the class builds or reads it otherwise
    ("class Config:\n    HOST = os.getenv('H')\nconfig = Config()\n",
     {"Config().HOST": "env:H", "config.HOST": "env:H"}),
    ("class Config:\n    HOST = os.getenv('H')\n    def __getattribute__(self, name):\n        return 'x'\n", {}),
    # a subclass of a class of the repository: its bases may say more
    (MODEL + "class Base(BaseModel):\n    pass\nclass Settings(Base):\n    url: str = os.getenv('U')\n", {}),
], ids=["model", "model-field-default", "model-attribute-base", "model-required", "model-validator",
        "model-init", "dataclass-frozen", "dataclass-module", "dataclass-post-init", "other-decorator",
        "plain-instance", "plain-getattribute", "model-subclass"])
def test_an_instance_built_without_arguments_holds_the_defaults(text: str, expected: dict[str, object]) -> None:
    assert instance_values(text) == expected


@pytest.mark.parametrize("text", [
    MODEL + "class Settings(BaseModel):\n    url: str = os.getenv('U')\nsettings = Settings('redis://x')\n",
    MODEL + "class Settings(BaseModel):\n    url: str = os.getenv('U')\nsettings = Settings(**{'url': 'x'})\n",
    MODEL + "class Settings(BaseModel):\n    url: str = os.getenv('U')\nsettings = Settings(url=make_url())\n",
    MODEL + "class Settings(BaseModel):\n    url: str = os.getenv('U')\nsettings = Settings()\n"
    "settings.url = 'redis://x'\n",
    MODEL + "class Settings(BaseModel):\n    url: str = os.getenv('U')\nsettings = Settings()\nsetattr(settings, 'url', 'x')\n",
    MODEL + "class Settings(BaseModel):\n    url: str = os.getenv('U')\nsettings = Settings()\nsettings = None\n",
], ids=["positional", "splat", "computed-argument", "attribute-set", "setattr", "rebound"])
def test_an_instance_built_or_changed_otherwise_is_not_told(text: str) -> None:
    assert "settings.url" not in instance_values(text)


def test_a_function_handing_out_an_instance() -> None:
    text = DATACLASS + "@dataclass\nclass Settings:\n    host: str = os.getenv('H')\ndef get_settings():\n" \
        "    return Settings()\nsettings = get_settings()\n"
    got = instance_values(text)
    assert got["get_settings().host"] == "env:H" and got["settings.host"] == "env:H"


SCHEDULER = ("from huey import RedisHuey\nfrom huey.signals import SIGNAL_INTERRUPTED\nfrom conf import config\n"
             "huey = RedisHuey('app', url=config.URL)\n\n@huey.signal(SIGNAL_INTERRUPTED)\n"
             "def requeue(signal, task, *args, **kwargs):\n    huey.enqueue(task)\n")
SCHEDULER_COMPOSE = COMPOSE.replace("queue_app.huey", "scheduler.huey")


@pytest.mark.parametrize(("files", "expected"), [
    # the instance in a package's __init__, its class imported from a submodule (the field test's shape)
    ({"conf/__init__.py": "from .settings import Settings\nconfig = Settings()\n",
      "conf/settings.py": MODEL + "import os\nclass Settings(BaseModel):\n    URL: str = os.environ['REDIS_URL']\n"},
     "`url` comes from environment variable `REDIS_URL`"),
    # the instance and its dataclass in one module
    ({"conf.py": DATACLASS + "import os\n@dataclass\nclass Settings:\n    URL: str = os.getenv('QUEUE_URL')\n"
                 "config = Settings()\n"}, "`url` comes from environment variable `QUEUE_URL`"),
    ({"conf.py": "class Settings:\n    URL = 'redis://redis.internal:6379/0'\nconfig = Settings()\n"},
     "`url` points at `redis.internal`"),
    ({"conf.py": "class Settings:\n    URL = 'redis://localhost:6379/0'\nconfig = Settings()\n"}, None),
    # built with arguments: the URL is not the class's default, no claim
    ({"conf.py": MODEL + "import os\nclass Settings(BaseModel):\n    URL: str = os.getenv('QUEUE_URL')\n"
                 "config = Settings(URL='redis://localhost')\n"}, None),
], ids=["package-instance", "dataclass", "remote-literal", "loopback", "built-with-arguments"])
def test_the_importer_judges_the_instance_default(tmp_path: Path, files: dict[str, str], expected: str | None) -> None:
    write_tree(tmp_path, {"Dockerfile": IMAGE.replace("redis", "redis pydantic"), "compose.yaml": SCHEDULER_COMPOSE,
                          "scheduler.py": SCHEDULER, **files})
    found = [f for f in lint(tmp_path).findings if f.rule == "HL402"]
    if expected is None:
        assert found == []
    else:
        assert [(f.loc.path, f.loc.line) for f in found] == [("scheduler.py", 4)]
        assert expected in found[0].message


# -- a repository helper reading the variable its parameter names; instances built by factories (Southseast/SkyRadar) --


def module_values(text: str) -> dict[str, object]:
    got = exports.read(SourceFile(Path("config.py"), "config.py", "import os\n" + text))
    return {name: (val.value if val.known else val.unknown) for name, val in got.values.items()}


ENV_HELPER = ("def _env(name, default=None):\n    value = os.environ.get(name)\n"
              "    return default if value is None or value == '' else value\n")


@pytest.mark.parametrize(("text", "expected"), [
    (ENV_HELPER + "HOST = _env('REDIS_HOST', 'localhost')\n", {"HOST": "env:REDIS_HOST"}),
    ("def env_int(name, default):\n    value = os.environ.get(name)\n    if value is None:\n        return default\n"
     "    return int(value)\nPORT = env_int('REDIS_PORT', 6379)\n", {"PORT": "env:REDIS_PORT"}),
    ("from os import getenv\ndef setting(key, fallback=None):\n    return getenv(key, fallback)\nURL = setting('Q_URL')\n",
     {"URL": "env:Q_URL"}),
    ("def required(name):\n    return os.environ[name]\nURL = required('Q_URL')\n", {"URL": "env:Q_URL"}),
    # not of that shape: a value made from the variable, another variable, the parameter rebound, no read
    ("def flag(name):\n    value = os.environ.get(name, '')\n    return value.lower() in ('1', 'true')\n"
     "DEBUG = flag('DEBUG')\n", {}),
    ("def prefixed(name):\n    name = 'APP_' + name\n    return os.environ.get(name)\nURL = prefixed('URL')\n", {}),
    ("def other(name):\n    return os.environ.get('REDIS_URL')\nURL = other('X')\n", {}),
    ("def constant(name, default=None):\n    return default\nURL = constant('X', 'redis://a')\n", {}),
], ids=["default-if-unset", "int-conversion", "imported-getenv", "subscript", "bool-test", "rebound-parameter",
        "other-variable", "no-read"])
def test_a_module_helper_reading_the_variable_its_parameter_names(text: str, expected: dict[str, object]) -> None:
    assert {name: value for name, value in module_values(text).items() if "(" not in name} == expected


DATACLASS_SETTINGS = (DATACLASS + ENV_HELPER + "@dataclass(frozen=True)\nclass Settings:\n"
                      "    redis_host: str = 'localhost'\n    redis_port: int = 6379\n    name: str = 'app'\n")
FROM_ENV = ("    @classmethod\n    def from_env(cls):\n        return cls(\n"
            "            redis_host=_env('REDIS_HOST', 'localhost'),\n            redis_port=int(_env('REDIS_PORT', 6379)),\n"
            "        )\n")


@pytest.mark.parametrize(("text", "expected"), [
    # keyword arguments over the defaults
    (DATACLASS_SETTINGS + "settings = Settings(redis_host=_env('REDIS_HOST', 'localhost'))\n",
     {"redis_host": "env:REDIS_HOST", "redis_port": 6379, "name": "app"}),
    # a classmethod `return cls(...)`, through functions returning its call (the field test's chain)
    (DATACLASS_SETTINGS + FROM_ENV + "def load_settings():\n    return Settings.from_env()\n"
     "def get_settings():\n    \"The settings.\"\n    return load_settings()\nsettings = get_settings()\n",
     {"redis_host": "env:REDIS_HOST", "redis_port": "env:REDIS_PORT", "name": "app"}),
    (MODEL + "class Settings(BaseModel):\n    url: str = 'redis://localhost'\n"
     "settings = Settings(url=os.environ['QUEUE_URL'])\n", {"url": "env:QUEUE_URL"}),
], ids=["keywords", "classmethod-chain", "model-keyword"])
def test_an_instance_built_with_field_arguments(text: str, expected: dict[str, object]) -> None:
    got = module_values(text)
    assert {name.partition(".")[2]: value for name, value in got.items() if name.startswith("settings.")} == expected


@pytest.mark.parametrize("text", [
    DATACLASS_SETTINGS + "settings = Settings(host='redis.internal')\n",  # no such field
    DATACLASS_SETTINGS + "    @classmethod\n    def from_env(cls, prefix):\n        return cls(redis_host=prefix)\n"
    "settings = Settings.from_env('X')\n",  # an argument
    DATACLASS_SETTINGS + "    @staticmethod\n    def make():\n        return Settings(redis_host='redis.internal')\n"
    "settings = Settings.make()\n",  # not a classmethod
    DATACLASS_SETTINGS + "def get_settings(path):\n    return Settings()\nsettings = get_settings('x')\n",  # a parameter
    "class Config:\n    HOST = 'localhost'\nsettings = Config(HOST='redis.internal')\n",  # a plain class takes none
], ids=["not-a-field", "classmethod-parameter", "staticmethod", "function-parameter", "plain-class-keyword"])
def test_an_instance_built_otherwise_gives_nothing(text: str) -> None:
    assert not [name for name in module_values(text) if name.startswith("settings.")]


def test_a_module_constant_naming_another_value_is_read_there() -> None:
    got = exports.read(SourceFile(Path("database.py"), "database.py",
                                  "from core.config import get_settings\nsettings = get_settings()\n"
                                  "REDIS_HOST = settings.redis_host\nPORT = 6379\n"))
    assert got.imports["REDIS_HOST"] == "<module>.settings.redis_host" and got.values["PORT"].value == 6379
    assert got.values["settings"].unknown == exports.INSTANCE_PREFIX + "core.config.get_settings"


def test_the_importer_judges_a_factory_built_instance(tmp_path: Path) -> None:
    """The field test's shape: huey_app.py imports REDIS_HOST from database.py, which reads it from
    `settings = get_settings()` of config.py, whose chain ends in `Settings.from_env()`."""
    config = DATACLASS_SETTINGS + FROM_ENV + \
        "def load_settings():\n    return Settings.from_env()\ndef get_settings():\n    return load_settings()\n"
    queue = QUEUE.replace("from config import Config\n", "from database import REDIS_HOST\n") \
        .replace("host=Config.HOST", "host=REDIS_HOST")
    write_tree(tmp_path, {"Dockerfile": IMAGE, "compose.yaml": COMPOSE, "queue_app.py": queue,
                          "config.py": "import os\n" + config,
                          "database.py": "from config import get_settings\nsettings = get_settings()\n"
                                         "REDIS_HOST = settings.redis_host\n"})
    found = [f for f in lint(tmp_path).findings if f.rule == "HL402"]
    assert [(f.loc.path, f.loc.line) for f in found] == [("queue_app.py", 4)]
    assert "`host` comes from environment variable `REDIS_HOST`" in found[0].message


@pytest.mark.parametrize(("decorator", "told"), [
    ("from functools import lru_cache\n@lru_cache(maxsize=None)\n", True),
    ("import functools\n@functools.cache\n", True),
    ("from app.util import traced\n@traced\n", False),  # may hand out another function
], ids=["lru-cache", "cache", "other"])
def test_a_decorated_environment_helper(decorator: str, told: bool) -> None:
    text = decorator + "def setting(name, default=None):\n    return os.environ.get(name, default)\nURL = setting('Q_URL')\n"
    assert ("URL" in module_values(text)) is told
