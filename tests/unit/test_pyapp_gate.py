"""hueylint.pyapp_gate.may_call: which modules the byte gate left out may call a task of another module."""

from __future__ import annotations

import time

from hueylint.pyapp_gate import may_call

NEEDLES = [("jobs", "price")]


def test_a_module_importing_the_tasks_module_and_naming_the_task_may_call_it() -> None:
    for text in ("from app.jobs import price\nprice(1).get()\n", "from . import jobs\njobs.price(1)\n",
                 "import app.jobs\napp.jobs.price(1)\n", "from app import models, jobs  # x\njobs.price(1)\n",
                 "import os; from app import jobs\njobs.price(1)\n", "from app\timport jobs as j\nj.price(1)\n",
                 "from app import (\n    models,\n    jobs,\n)\njobs.price(1).get()\n",  # black's long import list
                 "from app import models, \\\n    jobs\njobs.price(1)\n"):
        assert may_call(text.encode(), NEEDLES), text
    for text in ("from app import models\nprice = 1  # jobs\n", "from app import models; jobs = 1\nprice(1)\n",
                 "from app import (\n    models,\n)\njobs = price(1)\n", "from app.jobs2 import price\n",
                 "import jobsx\nprice\n"):
        assert not may_call(text.encode(), NEEDLES), text


def test_long_lines_cost_one_pass() -> None:
    """`from a import ` repeated over a 280 kB line (and the task's and module's names elsewhere): a regex
    `from ... import[^;\\n]*jobs` searched from every `from` to the line's end took a minute (quadratic)."""
    started = time.perf_counter()
    assert not may_call(b"price jobs\n" + b"from a import " * 20000 + b"\n", NEEDLES)
    assert not may_call(b"price jobs\n" + b"from " + b"from." * 50000 + b"\n", NEEDLES)
    assert not may_call(b"price jobs\nfrom " + b"a" * 200000 + b" x\n", NEEDLES)
    assert may_call(b"price\n" + b"from a import " * 20000 + b"jobs\n", NEEDLES)
    assert time.perf_counter() - started < 20  # well under 1 s alone; before: minutes
