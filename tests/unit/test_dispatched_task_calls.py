"""Tasks called through a dispatch table (``{'code': run_code}[kind](...)``): each task the table holds is
called there, with that call's use of the Result (HL404 reads it).  Found on tomcounsell/ai:
``task_func = task_map.get(kind)``, ``task_func(promise_id)``."""

from __future__ import annotations

import pytest

from tests.unit.test_pyapp import facts

HEAD = """
from huey import RedisHuey
from .jobs import run_search
huey = RedisHuey()

@huey.task()
def run_code(job_id):
    return job_id
"""


@pytest.mark.parametrize(("body", "expected"), [
    # a module table, looked up with .get() into a name, called as a statement: the Result is dropped
    ("TABLE = {'code': run_code, 'search': run_search}\n"
     "def dispatch(kind):\n    handler = TABLE.get(kind)\n    if handler:\n        handler(1)\n",
     [("run_code", True, "expression"), (".jobs.run_search", False, "expression")]),
    # a function's own table, called by subscript, its Result returned
    ("def dispatch(kind):\n    table = {'code': run_code}\n    return table[kind](1)\n",
     [("run_code", True, "returned")]),
    # `.get(...)(...)` directly, the Result bound to a name never read
    ("def dispatch(kind):\n    r = {'code': run_code}.get(kind)\n    t = {'code': run_code}\n    x = t.get(kind)(1)\n",
     [("run_code", True, "unread")]),
])
def test_each_task_a_dispatch_table_holds_is_called_there(body, expected):
    f = facts(HEAD + body)
    assert [(c.target, c.local, c.usage) for c in f.task_calls] == expected


@pytest.mark.parametrize("body", [
    # the handler is bound twice: which one is called is not known
    "TABLE = {'code': run_code}\ndef dispatch(kind):\n    handler = TABLE.get(kind)\n    handler = print\n    handler(1)\n",
    # the table is bound twice
    "TABLE = {'code': run_code}\nTABLE = {}\ndef dispatch(kind):\n    TABLE[kind](1)\n",
    # a table whose values are not all names
    "TABLE = {'code': run_code, 'other': lambda job_id: None}\ndef dispatch(kind):\n    TABLE[kind](1)\n",
    # a loop variable is no single binding
    "TABLE = {'code': run_code}\ndef dispatch(kinds):\n    for handler in kinds:\n        handler(1)\n",
    # a table of another scope's function is not this one's
    "def build():\n    table = {'code': run_code}\n    return table\ndef dispatch(kind):\n    table[kind](1)\n",
])
def test_calls_not_tied_to_a_single_table_are_no_task_calls(body):
    assert facts(HEAD + body).task_calls == []
