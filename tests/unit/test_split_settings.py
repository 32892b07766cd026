"""django-split-settings' ``include()`` (field tests: danjac/radiofeed-app, asharma-ror/yolo): the files a Django
settings module includes run in its namespace, so their ``HUEY``, its updates and ``DEBUG`` are the settings'
own, as after ``from .base import *``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hueylint.pyapp.split_settings import Include, includes
from tests.helpers import lint, write_tree


@pytest.mark.parametrize("source, expected", [
    ("from split_settings.tools import include\ninclude('base.py', 'components/*.py')\n",
     [Include(2, "base.py", False, "'base.py'"), Include(2, "components/*.py", False, "'components/*.py'")]),
    # aliases, optional(), the module imported as a name
    ("from split_settings.tools import include as inc, optional as opt\ninc(opt('local.py'))\n",
     [Include(2, "local.py", True, "opt('local.py')")]),
    ("from split_settings import tools\ntools.include('a.py', tools.optional('b.py'))\n",
     [Include(2, "a.py", False, "'a.py'"), Include(2, "b.py", True, "tools.optional('b.py')")]),
    # a module-level list spread into the call, with a path computed from the environment
    ("import os\nfrom split_settings.tools import include, optional\nENV = os.environ['ENV']\n"
     "PARTS = [\n    'base.py',\n    'env/{}.py'.format(ENV),\n    f'env/{ENV}_extra.py',\n    'x/%s.py' % ENV,\n]\n"
     "include(*PARTS)\n",
     [Include(10, "base.py", False, "'base.py'"),
      Include(10, None, False, "'env/{}.py'.format(ENV)", "env/*.py"),
      Include(10, None, False, "f'env/{ENV}_extra.py'", "env/*_extra.py"),
      Include(10, None, False, "'x/%s.py' % ENV", "x/*.py")]),
    # a name that is not a literal sequence, a path that is not a literal: computed, no glob
    ("from split_settings.tools import include\ninclude(*get_parts())\ninclude(PATH)\n",
     [Include(2, None, False, "*get_parts()"), Include(3, None, False, "PATH")]),
    # in an `if` block: where it stands; into another scope: not this module's
    ("from split_settings.tools import include\nif X:\n    include('dev.py')\ninclude('a.py', scope=other)\n"
     "include('b.py', scope=globals())\n",
     [Include(3, "dev.py", False, "'dev.py'"), Include(5, "b.py", False, "'b.py'")]),
    # another library's `include` (Django's url include), a source that does not parse
    ("from django.urls import include\ninclude('a.py')\n", []),
    ("from split_settings.tools import include\ninclude('a.py'\n", []),
])
def test_includes_are_read_from_the_source(source: str, expected: list[Include]) -> None:
    assert includes(source) == expected


MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n"
PROCFILE = "worker: python manage.py run_huey -g TERM -t 25\n"
QUEUE = "import os\nHUEY = {'immediate': False, 'connection': {'url': os.environ['REDIS_URL']}}\n"
TASKS = ("from huey import crontab, signals\nfrom huey.contrib.djhuey import HUEY, db_periodic_task\n\n"
         "@db_periodic_task(crontab())\ndef tick():\n    pass\n\n"
         "@HUEY.signal(signals.SIGNAL_INTERRUPTED)\ndef requeue(signal, task, exc=None):\n    HUEY.enqueue(task)\n")


def findings(tmp_path: Path, settings: str, files: dict[str, str]) -> list[tuple[str, str | None, int]]:
    write_tree(tmp_path, {"Procfile": PROCFILE, "manage.py": MANAGE, "requirements.txt": "huey==3.5.4\n",
                          "site/__init__.py": "", "site/tasks.py": TASKS,
                          "site/settings/__init__.py": "from split_settings.tools import include, optional\n"
                          "import os\n" + settings, **files})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return sorted((f.rule, f.loc.path, f.loc.line) for f in lint(tmp_path).findings)


HL402 = ("HL402", "site/settings/components/queue.py", 2)


@pytest.mark.parametrize("settings, files, expected", [
    # a file, a glob, a path from the package's folder
    ("include('components/queue.py')\n", {"site/settings/components/queue.py": QUEUE}, [HL402]),
    ("include('components/*.py')\n", {"site/settings/components/queue.py": QUEUE}, [HL402]),
    # a missing optional file is skipped: the committed settings run without it
    ("include('components/queue.py', optional('local.py'))\n", {"site/settings/components/queue.py": QUEUE},
     [HL402]),
    # a missing mandatory file must be there where the settings run: an untracked override, HUEY unknown
    ("include('components/queue.py', 'local.py')\n", {"site/settings/components/queue.py": QUEUE}, []),
    # a later file's update of the HUEY an earlier one defined: consumer settings turning periodic off
    ("include('components/queue.py', 'production.py')\n",
     {"site/settings/components/queue.py": QUEUE, "site/settings/production.py": "HUEY['consumer'] = "
      "{'periodic': False}\n"}, [HL402, ("HL302", "site/settings/production.py", 1)]),
    # computed from the environment: the production file among those it can name
    ("include('components/queue.py', 'env/{}.py'.format(os.environ['ENV']))\n",
     {"site/settings/components/queue.py": QUEUE,
      "site/settings/env/production.py": "HUEY['consumer'] = {'periodic': False}\n",
      "site/settings/env/development.py": "HUEY['immediate'] = True\n"},
     [HL402, ("HL302", "site/settings/env/production.py", 1)]),
    # several candidates and none of them production: which runs is not known, HUEY unknown
    ("include('components/queue.py', 'env/{}.py'.format(os.environ['ENV']))\n",
     {"site/settings/components/queue.py": QUEUE, "site/settings/env/staging.py": "",
      "site/settings/env/development.py": "HUEY['immediate'] = True\n"}, []),
])
def test_included_settings_are_the_settings_own(tmp_path: Path, settings: str, files: dict[str, str],
                                                 expected: list) -> None:
    assert findings(tmp_path, settings, files) == sorted(expected)


def test_included_debug_decides_djhueys_default_immediate(tmp_path: Path) -> None:
    """No 'immediate' key: djhuey uses settings.DEBUG, here turned off by the production file included last."""
    queue = "HUEY = {'connection': {'host': 'localhost'}}\n"
    tree = {"site/settings/components/queue.py": queue, "site/settings/base.py": "import os\n"
            "DEBUG = os.environ.get('DEBUG') == '1'\n", "site/settings/production.py": "DEBUG = False\n"}
    assert findings(tmp_path, "include('base.py', 'components/queue.py')\n", tree) == \
        [("HL401", "site/settings/components/queue.py", 1)]
    assert findings(tmp_path, "include('base.py', 'components/queue.py', 'production.py')\n", tree) == []
