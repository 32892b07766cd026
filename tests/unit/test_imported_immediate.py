"""``immediate=`` imported from another module of the repository is read there, as storage values are.

``RedisHuey(immediate=config.HUEY_IMMEDIATE)`` with ``config`` an object whose field is read from the environment
gets HL401's warning, as ``immediate=os.getenv(...)`` written in the module does.  Field test:
greedWizard/classroom_backend.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

IMAGE = "FROM python:3.12-slim\nWORKDIR /app\nRUN pip install huey==3.5.4 redis pydantic\nCOPY . .\nUSER nobody\n"
COMPOSE = ("services:\n  worker:\n    build: .\n    command: [\"huey_consumer\", \"queue_app.huey\", \"-g\", \"TERM\", \"-t\", \"25\"]\n"
           "    stop_grace_period: 30s\n    restart: always\n")
QUEUE = ("from huey import RedisHuey\nfrom huey.signals import SIGNAL_INTERRUPTED\n{imports}\n"
         "huey = RedisHuey('app', host='localhost', immediate={value})\n\n@huey.signal(SIGNAL_INTERRUPTED)\n"
         "def requeue(signal, task, *args, **kwargs):\n    huey.enqueue(task)\n")


@pytest.mark.parametrize(("conf", "imports", "value", "expected"), [
    ("import os\nIMMEDIATE = os.getenv('HUEY_IMMEDIATE') == '1'\n", "from conf import IMMEDIATE", "IMMEDIATE",
     "read from environment variable `HUEY_IMMEDIATE`"),
    ("import os\nfrom dataclasses import dataclass\n@dataclass\nclass Settings:\n"
     "    immediate: bool = os.environ.get('TASKS_INLINE', '') == 'yes'\nsettings = Settings()\n",
     "import conf", "conf.settings.immediate", "read from environment variable `TASKS_INLINE`"),
    # a literal there is not quoted as written here; a value computed otherwise stays unknown: no claim
    ("IMMEDIATE = False\n", "from conf import IMMEDIATE", "IMMEDIATE", None),
    ("import sys\nIMMEDIATE = len(sys.argv) > 3\n", "from conf import IMMEDIATE", "IMMEDIATE", None),
], ids=["module-constant", "object-field", "literal", "computed"])
def test_an_imported_immediate_is_read_in_its_module(tmp_path: Path, conf: str, imports: str, value: str,
                                                     expected: str | None) -> None:
    write_tree(tmp_path, {"Dockerfile": IMAGE, "compose.yaml": COMPOSE, "conf.py": conf,
                          "queue_app.py": QUEUE.format(imports=imports, value=value)})
    found = [f for f in lint(tmp_path).findings if f.rule == "HL401"]
    if expected is None:
        assert found == []
    else:
        assert [(f.loc.path, f.loc.line, f.loc.col) for f in found] == [("queue_app.py", 4, 53)]
        assert expected in found[0].message


BRANCHED = ("import os\nfrom huey import RedisHuey\nfrom huey.signals import SIGNAL_INTERRUPTED\n"
            "IMMEDIATE = os.getenv('HUEY_IMMEDIATE')\n{branch}\n\n@huey.signal(SIGNAL_INTERRUPTED)\n"
            "def requeue(signal, task, *args, **kwargs):\n    huey.enqueue(task)\n")
ELSE = "    huey = RedisHuey('app', host='localhost', immediate=IMMEDIATE)\n"


@pytest.mark.parametrize(("branch", "warned"), [
    # false where the instance is built: the `else` of `if X` / `if X or ...`, the body of `if not X`, an elif
    ("if IMMEDIATE or os.getenv('PYTEST_CURRENT_TEST'):\n    raise SystemExit('tests only')\nelse:\n" + ELSE, False),
    ("if not IMMEDIATE:\n" + ELSE + "else:\n    raise SystemExit('tests only')\n", False),
    ("if IMMEDIATE:\n    raise SystemExit('tests only')\nelif os.getenv('REDIS'):\n" + ELSE
     + "else:\n    raise SystemExit('no Redis')\n", False),
    # not told: `and` (either may be false), the name rebound in the branch, the test in another scope
    ("if IMMEDIATE and os.getenv('PYTEST_CURRENT_TEST'):\n    raise SystemExit('tests only')\nelse:\n" + ELSE, True),
    ("if not IMMEDIATE:\n    IMMEDIATE = os.getenv('OTHER')\n" + ELSE + "else:\n    raise SystemExit('tests only')\n", True),
    ("if not IMMEDIATE:\n    def make():\n        return RedisHuey('app', host='localhost', immediate=IMMEDIATE)\n"
     "    huey = make()\nelse:\n    raise SystemExit('tests only')\n", True),
], ids=["else-of-or", "not-body", "elif", "else-of-and", "rebound", "function"])
def test_an_immediate_the_enclosing_test_makes_false(tmp_path: Path, branch: str, warned: bool) -> None:
    """Field test Hussain1129/camb-kvstore: ``if settings.HUEY_IMMEDIATE or ...: MemoryHuey(...)`` ``else:
    RedisHuey(immediate=settings.HUEY_IMMEDIATE)``: the value is false where it is passed, no HL401."""
    write_tree(tmp_path, {"Dockerfile": IMAGE, "compose.yaml": COMPOSE, "queue_app.py": BRANCHED.format(branch=branch)})
    found = [f for f in lint(tmp_path).findings if f.rule == "HL401"]
    assert bool(found) is warned
    if warned:
        assert "environment variable `" in found[0].message  # (its text where IMMEDIATE = os.getenv(...) is its value)


@pytest.mark.parametrize(("value", "text"), [
    ('os.environ.get("HUEY_IMMEDIATE", False)', True),
    ('os.getenv("HUEY_IMMEDIATE")', True),
    ('bool(os.environ["HUEY_IMMEDIATE"])', True),
    ("IMMEDIATE", True),  # IMMEDIATE = os.getenv("HUEY_IMMEDIATE", "") above
    ('os.getenv("HUEY_IMMEDIATE") == "1"', False),
    ('os.getenv("HUEY_IMMEDIATE", "0").lower() in ("1", "true")', False),
])
def test_an_immediate_that_is_a_variables_text_is_true_once_set(tmp_path: Path, value: str, text: bool) -> None:
    """`immediate=os.environ.get("X", False)` is a str once X is set: `HUEY_IMMEDIATE=False` turns immediate mode
    on (huey tests `if immediate`); HL401 says so.  A comparison or a parse of the text is read from it, as before."""
    write_tree(tmp_path, {
        "app.py": ('import os\nfrom huey import RedisHuey\n\nIMMEDIATE = os.getenv("HUEY_IMMEDIATE", "")\n'
                   f'huey = RedisHuey("app", immediate={value})\n'),
        "Procfile": "worker: huey_consumer app.huey -w 2\n",
    })
    (finding,) = [f for f in lint(tmp_path).findings if f.rule == "HL401"]
    assert (finding.loc.path, finding.loc.line) == ("app.py", 5)
    assert ("`HUEY_IMMEDIATE`'s text, true once it is set, even to `False` or `0`" in finding.message) is text
    assert ("is read from environment variable `HUEY_IMMEDIATE` and false while it is unset" in finding.message) \
        is not text
