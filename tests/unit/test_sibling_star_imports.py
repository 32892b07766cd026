"""Two settings modules a package star-imports that both star-import ``base`` (y-review): Python runs each
module's star import, so ``b``'s own ``HUEY`` is rebound to ``base``'s by the ``from .base import *`` that
follows it, and the package ends with ``base``'s.  The walk over star imports used one set of visited modules
for the siblings, so ``base`` reached again through ``b`` was skipped and ``b``'s HUEY taken."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, triples, write_tree

UNIT = "[Service]\nExecStart=/srv/venv/bin/python /srv/app/manage.py run_huey\nRestart=always\nUser=app\n"
MANAGE = ("import os\nimport sys\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n"
          "from django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n")
BASE = "INSTALLED_APPS = ['huey.contrib.djhuey']\n\nHUEY = {\n    'name': 'proj',\n    'immediate': False,\n}\n"


@pytest.mark.parametrize("untracked", ["", "from .local import *  # noqa\n"])
def test_a_module_both_siblings_star_import_is_read_for_each(tmp_path: Path, untracked: str) -> None:
    write_tree(tmp_path, {"deploy/huey.service": UNIT, "manage.py": MANAGE, "requirements.txt": "huey==2.5.2\n",
                          "proj/__init__.py": "", "proj/settings/base.py": BASE,
                          "proj/settings/__init__.py": "from .a import *  # noqa\nfrom .b import *  # noqa\n" + untracked,
                          "proj/settings/a.py": "from .base import *  # noqa\n",
                          "proj/settings/b.py": "HUEY = {'name': 'b', 'immediate': False}\nfrom .base import *  # noqa\n"})
    assert [finding for finding in triples(lint(tmp_path)) if finding[0] == "HL105"] == [
        ("HL105", "proj/settings/base.py", 3)]


def test_a_cycle_of_star_imports_ends(tmp_path: Path) -> None:
    write_tree(tmp_path, {"deploy/huey.service": UNIT, "manage.py": MANAGE, "requirements.txt": "huey==2.5.2\n",
                          "proj/__init__.py": "", "proj/settings/__init__.py": "from .a import *  # noqa\n",
                          "proj/settings/a.py": "from .b import *  # noqa\n" + BASE,
                          "proj/settings/b.py": "from .a import *  # noqa\n"})
    assert [finding for finding in triples(lint(tmp_path)) if finding[0] == "HL105"] == [
        ("HL105", "proj/settings/a.py", 4)]
