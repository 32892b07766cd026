"""A consumer built from a subclass of huey's ``Consumer`` (field test APGSGA/hueyx): a call of a class whose
bases, followed through the repository's modules, reach ``huey.consumer.Consumer`` is a consumer launch; a
subclass with signal handling of its own leaves the graceful signal unknown (an HL004 notice, no HL101 claim);
a class whose bases do not reach huey's (a library's, another framework's) is no consumer."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

DOCKERFILE = "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nUSER nobody\nCMD [\"python\", \"worker.py\"]\n"
JOBS = "from huey import RedisHuey\nhuey = RedisHuey('pkg', host='127.0.0.1')\n"
BASE = "from huey.consumer import Consumer\n\n\nclass Base(Consumer):\n    pass\n"
WORKER = "from pkg.jobs import huey\n{imports}\n\nif __name__ == '__main__':\n    {call}(huey, workers=2).run()\n"


def rules(root: Path, files: dict[str, str]) -> list[str]:
    write_tree(root, {"Dockerfile": DOCKERFILE, "docker-compose.yml": "services:\n  w:\n    build: .\n    restart: always\n",
                      "requirements.txt": "huey==3.5.4\n", "pkg/__init__.py": "", "pkg/jobs.py": JOBS, **files})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return sorted({f.rule for f in lint(root).findings if f.rule in ("HL004", "HL101")})


@pytest.mark.parametrize("files", [
    # a subclass of a subclass, in another module, imported by its absolute path
    {"pkg/base.py": BASE, "pkg/runner.py": "from pkg.base import Base\n\n\nclass RunConsumer(Base):\n    pass\n",
     "worker.py": WORKER.format(imports="from pkg.runner import RunConsumer", call="RunConsumer")},
    # relative imports, the base named through the module that imports it
    {"pkg/base.py": BASE, "pkg/runner.py": "from .base import Base\n\n\nclass RunConsumer(Base):\n    pass\n",
     "worker.py": WORKER.format(imports="from pkg.runner import RunConsumer", call="RunConsumer")},
    # re-exported: the package imports the class from its module
    {"pkg/base.py": BASE, "pkg/consumers.py": "from pkg.base import Base as LocalConsumer\n",
     "worker.py": WORKER.format(imports="from pkg.consumers import LocalConsumer", call="LocalConsumer")},
    # defined in the script itself, below its use in a function
    {"worker.py": "from huey.consumer import Consumer\nfrom pkg.jobs import huey\n\n\ndef main():\n"
                  "    Mine(huey).run()\n\n\nclass Mine(Consumer):\n    pass\n\n\nmain()\n"},
], ids=["two-modules", "relative", "re-exported", "same-module"])
def test_a_subclass_of_hueys_consumer_is_a_launch(tmp_path: Path, files: dict[str, str]) -> None:
    assert rules(tmp_path, files) == ["HL101"]


def test_a_subclass_handling_signals_itself_is_a_notice(tmp_path: Path) -> None:
    runner = ("from huey.consumer import Consumer\n\n\nclass RunConsumer(Consumer):\n"
              "    def _set_signal_handlers(self):\n        pass\n")
    files = {"pkg/runner.py": runner, "worker.py": WORKER.format(imports="from pkg.runner import RunConsumer",
                                                                  call="RunConsumer")}
    assert rules(tmp_path, files) == ["HL004"]


@pytest.mark.parametrize("files", [
    # a library's consumer, not in the repository
    {"worker.py": WORKER.format(imports="from streams import EventConsumer", call="EventConsumer")},
    # a repository class on another base
    {"pkg/runner.py": "from kombu.mixins import ConsumerMixin\n\n\nclass RunConsumer(ConsumerMixin):\n    pass\n",
     "worker.py": WORKER.format(imports="from pkg.runner import RunConsumer", call="RunConsumer")},
], ids=["library-class", "other-base"])
def test_other_consumer_classes_start_no_huey_consumer(tmp_path: Path, files: dict[str, str]) -> None:
    assert rules(tmp_path, files) == []
