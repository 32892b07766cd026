"""manage.py's default settings module that cannot bind INSTALLED_APPS (an empty ``settings/__init__.py`` whose
modules the platform names; field test: SJVAir/sjvair.com) is not the settings run_huey/djangohuey run with:
the settings that define huey's setting are judged instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import git_init, lint, write_tree

MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n"
BASE = ("import os\nINSTALLED_APPS = ['huey.contrib.djhuey']\n"
        "HUEY = {'immediate': False, 'results': False, 'connection': {'url': os.environ['REDIS_URL']}}\n")


@pytest.mark.parametrize("package, expected", [
    ("", [("HL402", "site/settings/base.py")]),  # empty: the settings that define HUEY run
    ("# settings live in base.py and the platform's module\nimport os\n", [("HL402", "site/settings/base.py")]),
    ("from .base import *  # noqa\n", [("HL402", "site/settings/base.py")]),  # what it star-imports runs
    # it binds INSTALLED_APPS itself (no HUEY: djhuey's default, Redis on localhost)
    ("INSTALLED_APPS = ['huey.contrib.djhuey']\n", []),
    # it may bind anything through globals(): not judged by another module's settings
    ("globals().update(load())\n", []),
])
def test_settings_that_install_no_app_are_not_the_ones_that_run(tmp_path: Path, package: str, expected: list) -> None:
    write_tree(tmp_path, {"Procfile": "worker: python manage.py run_huey -g TERM -t 25\n", "manage.py": MANAGE,
                          "requirements.txt": "huey==3.5.4\n", "site/__init__.py": "",
                          "site/settings/__init__.py": package, "site/settings/base.py": BASE})
    git_init(tmp_path)
    found = [(f.rule, f.loc.path) for f in lint(tmp_path).findings if f.rule in ("HL402", "HL401")]
    assert found == expected
