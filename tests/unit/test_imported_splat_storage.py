"""A huey constructor's ``**`` splat of a dict bound in another module of the repository (field test:
redraw/iss-notify, ``RedisHuey('iss', **settings.REDIS)``): the extractor records the splat it does not read
(``HueyArgs.splats``), the linker merges in the dict as that module binds it (``ModuleFacts.dicts``), and HL402
judges its host as if the dict were written in the Huey module, with the dict's key as a related location.  A
splat that stays unread is a notice, never silence."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

COMPOSE = ("services:\n  redis:\n    image: redis:7\n  worker:\n    build: .\n"
           "    command: [\"huey_consumer\", \"app.tasks.huey\", \"-w\", \"2\", \"-f\"]\n"
           "    stop_signal: SIGINT\n    stop_grace_period: 60s\n    restart: unless-stopped\n"
           "    environment:\n      REDIS_HOST: redis\n")
DOCKERFILE = "FROM python:3.12-slim\nRUN useradd -m app\nWORKDIR /app\nCOPY . .\nUSER app\n"
CONFIG = ("import os\nREDIS = {'host': os.environ.get('REDIS_HOST', 'redis'), 'port': 6379}\n"
          "BASE = {'host': 'cache', 'port': 6379}\nMERGED = {**BASE, 'db': 1}\n"
          "LOCAL = {'host': 'localhost'}\nCONFIG = {'name': 'app', 'url': 'redis://cache:6379/0'}\n")
ENV = "`host` comes from environment variable `REDIS_HOST`, set to host `redis` (docker-compose.yml:11)"


def run(root: Path, tasks: str, **modules: str):
    files = {"docker-compose.yml": COMPOSE, "Dockerfile": DOCKERFILE, "app/__init__.py": "",
             "app/config.py": CONFIG, "app/tasks.py": "from huey import RedisHuey, PriorityRedisHuey\n" + tasks}
    files.update({f"app/{name}.py": text for name, text in modules.items()})
    write_tree(root, files)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return lint(root)


def line(tasks: str) -> int:
    """The line of the instance in ``app/tasks.py`` (after the huey import :func:`run` writes first)."""
    return tasks[:tasks.index("huey = ")].count("\n") + 2


def hl402(result) -> list[tuple[int, str, list[str]]]:
    return [(f.loc.line, f.message.split("(", 1)[1].split(") and messages", 1)[0],
             [f"{r.loc.path}:{r.loc.line}" for r in f.related])
            for f in result.findings if f.rule == "HL402"]


@pytest.mark.parametrize("tasks", [
    "from app import config\nhuey = RedisHuey('app', **config.REDIS)\n",
    "from app.config import REDIS\nhuey = RedisHuey('app', **REDIS)\n",
    "from .config import REDIS as R\nhuey = PriorityRedisHuey('app', **R)\n",
    "import app.config\nhuey = RedisHuey('app', **app.config.REDIS)\n",
    "from app.settings import REDIS\nhuey = RedisHuey('app', **REDIS)\n",  # re-exported by a second module
    "from app.config import REDIS\nhuey = RedisHuey('app', **{**REDIS, 'db': 2})\n",
    "from app.config import REDIS\nhuey = RedisHuey('app', **dict(**REDIS, db=2))\n",
    "from app.config import REDIS\nCONN = dict(REDIS, db=2)\nhuey = RedisHuey('app', **CONN)\n",
], ids=["module-attribute", "from-import", "relative-alias", "dotted-import", "re-exported", "merged-literal",
        "dict-call", "own-dict-of-imported"])
def test_environment_host_of_imported_dict(tmp_path: Path, tasks: str) -> None:
    found = hl402(run(tmp_path, tasks, settings="from app.config import REDIS\n"))
    assert found == [(line(tasks), f"{ENV}, the compose service `redis`", ["app/config.py:2", "docker-compose.yml:6"])]


def test_literal_host_of_a_dict_merged_there(tmp_path: Path) -> None:
    found = hl402(run(tmp_path, "from app.config import MERGED\nhuey = RedisHuey('app', **MERGED)\n"))
    assert found == [(3, "`host` points at `cache`", ["app/config.py:3", "docker-compose.yml:6"])]


def test_whole_call_splatted(tmp_path: Path) -> None:
    found = hl402(run(tmp_path, "from app.config import CONFIG\nhuey = RedisHuey(**CONFIG)\n"))
    assert found == [(3, "`url` points at `cache`", ["app/config.py:6", "docker-compose.yml:6"])]


@pytest.mark.parametrize(("tasks", "found"), [
    # a key written after the splat wins; one written before it loses to the splat's
    ("from app.config import LOCAL\nhuey = RedisHuey('app', **{**LOCAL, 'host': 'cache'})\n", [3]),
    ("from app.config import BASE\nhuey = RedisHuey('app', **{'host': 'localhost', **BASE})\n", [3]),
    ("from app.config import BASE\nhuey = RedisHuey('app', **{**BASE, 'host': 'localhost'})\n", []),
    ("from app.config import LOCAL\nhuey = RedisHuey('app', **LOCAL)\n", []),
    ("from app.config import REDIS\nhuey = RedisHuey('app', **REDIS)\n", [3]),
])
def test_precedence(tmp_path: Path, tasks: str, found: list[int]) -> None:
    assert [line for line, _, _ in hl402(run(tmp_path, tasks))] == found


def test_signed_in_the_imported_dict(tmp_path: Path) -> None:
    signer = ("import os\nfrom huey.serializer import SignedSerializer\n"
              "REDIS = {'host': 'cache', 'serializer': SignedSerializer(secret=os.environ['S'])}\n")
    assert hl402(run(tmp_path, "from app.signed import REDIS\nhuey = RedisHuey('app', **REDIS)\n",
                     signed=signer)) == []


@pytest.mark.parametrize(("tasks", "written", "why"), [
    ("from vendor_conf import REDIS\nhuey = RedisHuey('app', **REDIS)\n", "REDIS",
     "`vendor_conf` is no module of the repository"),
    ("from app.config import make\nhuey = RedisHuey('app', **make())\n", "make()",
     "a call or a value known only at run time, not a dict written in the repository"),
    ("from app.config import NOPE\nhuey = RedisHuey('app', **NOPE)\n", "NOPE",
     "`app/config.py` binds `NOPE` to no dict hueylint reads"),
    ("from vendor_conf import REDIS\nhuey = RedisHuey('app', **{**REDIS, 'db': 1})\n", "REDIS",
     "`vendor_conf` is no module of the repository"),
    ("def make(**kw):\n    return RedisHuey('app', **kw)\nhuey = make(host='cache')\n", "kw",
     "a name local to the function that makes the instance: its callers' arguments are not followed"),
])
def test_unread_splat_is_a_notice(tmp_path: Path, tasks: str, written: str, why: str) -> None:
    result = run(tmp_path, tasks)
    assert hl402(result) == []
    notices = [(n.rel, n.reason) for n in result.notices if "huey storage" in n.reason]
    assert notices == [("app/tasks.py", f"line 3: the huey storage's arguments `**{written}` are not read ({why}): "
                        "its host, serializer and file are unknown, so HL402 (unsigned pickles over the network), "
                        "HL404 and HL406 are not judged for it")]
