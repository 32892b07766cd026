"""Module-level branches that run only under a test runner (field test Teknicallity/Tubarr: settings that
star-import their test settings under `if len(sys.argv) > 1 and sys.argv[1] == 'test':`)."""

from __future__ import annotations

import pytest

from hueylint.pyapp.resolve import runner_only_lines


@pytest.mark.parametrize("text, expected", [
    ("import sys\nif 'test' in sys.argv:\n    from .test import *\n    X = 1\n", [3, 4]),
    ("import sys\nif len(sys.argv) > 1 and sys.argv[1] == 'test':\n    from .test import *\nelse:\n    from .prod import *\n",
     [3]),
    ("import sys\nif 'test' not in sys.argv:\n    from .prod import *\nelse:\n    from .test import *\n", [5]),
    ("import sys\nif sys.argv[1:2] == ['test']:\n    from .test import *\n", [3]),
    ("import sys\nif 'pytest' in sys.modules:\n    from .test import *\n", [3]),
    ("import os\nif 'PYTEST_CURRENT_TEST' in os.environ:\n    from .test import *\n", [3]),
    ("import sys\ntry:\n    if 'test' in sys.argv:\n        from .test import *\nexcept ImportError:\n    pass\n", [4]),
    # branches a consumer may take: not test-only
    ("DEBUG = True\nif DEBUG:\n    from .dev import *\n", []),
    ("import sys\nif 'test' in sys.argv or DEBUG:\n    from .dev import *\n", []),
    ("import sys\nif sys.argv[1] == 'run_huey':\n    from .worker import *\n", []),
    ("if (\n", []),  # does not parse
])
def test_lines_only_a_test_runner_runs(text, expected):
    assert runner_only_lines(text) == expected
