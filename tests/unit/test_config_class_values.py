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
    return {name: (val.value if val.known else val.unknown) for name, val in got.values.items() if "." in name}


@pytest.mark.parametrize(("text", "expected"), [
    ("class Config:\n    HOST = os.getenv('REDIS_HOST', 'localhost')\n    NAME = 'app'\n",
     {"Config.HOST": "env:REDIS_HOST", "Config.NAME": "app"}),
    ("class Config(object):\n    HOST = os.environ.get('REDIS_HOST')\n    URL = os.environ['REDIS_URL']\n",
     {"Config.HOST": "env:REDIS_HOST", "Config.URL": "env:REDIS_URL"}),
    ("class Config:\n    HOST: str = os.getenv('REDIS_HOST', 'localhost')\n", {}),  # annotated: not read
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
