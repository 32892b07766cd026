"""What a Django settings module writes for ``DEBUG`` (field tests: OneSila's settings/agent.py, sci-wms's
settings/adv.py): djhuey's default ``immediate`` follows the DEBUG of the settings that run, and settings
that turn DEBUG on beside settings that do not are development settings whatever their name."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hueylint.findings import Severity
from tests.helpers import lint, write_tree

PROCFILE = "worker: python manage.py run_huey -g TERM -t 25\n"
MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings.production')\n"
BASE = "import os\nINSTALLED_APPS = ['huey.contrib.djhuey']\n{debug}HUEY = {{'name': 'site'{immediate}}}\n"


def hl401(tmp_path: Path, files: dict[str, str]) -> list[tuple[str | None, int, Severity]]:
    write_tree(tmp_path, {"Procfile": PROCFILE, "manage.py": MANAGE, "site/__init__.py": "",
                          "site/settings/__init__.py": "", **files})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return [(f.loc.path, f.loc.line, f.severity) for f in lint(tmp_path).findings if f.rule == "HL401"]


MISSING = ("site/settings/base.py", 4, Severity.WARNING)  # the dict without 'immediate' (base's line 4)


@pytest.mark.parametrize("production, expected", [
    ("from .base import *  # noqa\nDEBUG = False\n", []),
    ("from .base import *  # noqa\nDEBUG: bool = False\n", []),
    ("from .base import *  # noqa\nDEBUG = TEMPLATE_DEBUG = False\n", []),
    # turned off, then an untracked module of the project may turn it on again (HUEY written after it: known)
    ("from .base import *  # noqa\nDEBUG = False\ntry:\n    from .local import *  # noqa\nexcept ImportError:\n"
     "    pass\nHUEY = {'name': 'site'}\n", [("site/settings/production.py", 7, Severity.WARNING)]),
    # a module outside the project (a library's defaults) is no override of the project's settings
    ("from .base import *  # noqa\nDEBUG = False\nfrom vendor_defaults import *  # noqa\n", []),
    # conditional, computed or imported: not known
    ("from .base import *  # noqa\nDEBUG = False\nif os.environ.get('DEV'):\n    DEBUG = True\n", [MISSING]),
    ("from .base import *  # noqa\nDEBUG = os.environ.get('DJANGO_DEBUG') == '1'\n", [MISSING]),
    ("from .base import *  # noqa\nDEBUG = False\nfrom .flags import DEBUG  # noqa\n", [MISSING]),
    # set before the star import, the base's binding wins
    ("DEBUG = False\nfrom .base import *  # noqa\n", [MISSING]),
    # nothing binds it here: base's DEBUG runs
    ("from .base import *  # noqa\n", [MISSING]),
])
def test_missing_immediate_follows_the_debug_of_the_settings_that_run(tmp_path: Path, production: str,
                                                                      expected: list) -> None:
    base = BASE.format(debug="DEBUG = os.environ.get('DJANGO_DEBUG') == '1'\n", immediate="")
    assert hl401(tmp_path, {"site/settings/base.py": base, "site/settings/production.py": production}) == expected


def test_immediate_bound_to_debug_keeps_the_value_of_its_line(tmp_path: Path) -> None:
    """`'immediate': DEBUG` is evaluated where the dict is written (base.py, DEBUG on): production turning
    DEBUG off afterwards leaves the dict's True, unlike djhuey's default, read from the final settings. The
    DEBUG of that line is known (`DEBUG = True` above it), so immediate mode is on for sure: an error
    (Princeprem76/rework; was a warning, "bound to DEBUG")."""
    base = BASE.format(debug="DEBUG = True\n", immediate=", 'immediate': DEBUG")
    assert hl401(tmp_path, {"site/settings/base.py": base,
                            "site/settings/production.py": "from .base import *  # noqa\nDEBUG = False\n"}) == \
        [("site/settings/base.py", 4, Severity.ERROR)]


@pytest.mark.parametrize("files, expected", [
    # a leaf turning DEBUG on beside production settings: development, whatever its name
    ({"site/settings/sandbox.py": "from .base import *  # noqa\nDEBUG = True\nHUEY['immediate'] = True\n"}, []),
    # DEBUG on inherited from base, not turned off
    ({"site/settings/sandbox.py": "from .base import *  # noqa\nHUEY['immediate'] = True\n"}, []),
    # a leaf that turns DEBUG off again is production-like: its immediate mode is an error
    ({"site/settings/sandbox.py": "from .base import *  # noqa\nDEBUG = False\nHUEY['immediate'] = True\n"},
     [("site/settings/sandbox.py", 3, Severity.ERROR)]),
    # star-imported by another settings module: not a leaf, what it sets may run in production
    ({"site/settings/sandbox.py": "from .base import *  # noqa\nDEBUG = True\nHUEY = {'immediate': True}\n",
      "site/settings/staging.py": "from .sandbox import *  # noqa\nDEBUG = False\n"},
     [("site/settings/sandbox.py", 3, Severity.ERROR)]),
])
def test_settings_turning_debug_on_are_development(tmp_path: Path, files: dict[str, str], expected: list) -> None:
    tree = {"site/settings/base.py": BASE.format(debug="DEBUG = True\n", immediate=", 'immediate': False"),
            "site/settings/production.py": "from .base import *  # noqa\nDEBUG = False\n", **files}
    assert hl401(tmp_path, tree) == expected


def test_the_only_settings_turning_debug_on_are_still_judged(tmp_path: Path) -> None:
    """A project's one settings module with DEBUG on is what runs: its immediate mode stops the consumer."""
    write_tree(tmp_path, {"Procfile": PROCFILE, "manage.py": MANAGE.replace("site.settings.production", "site.settings"),
                          "site/__init__.py": "",
                          "site/settings.py": "DEBUG = True\nINSTALLED_APPS = ['huey.contrib.djhuey']\n"
                                              "HUEY = {'name': 'site', 'immediate': True}\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    found = [(f.loc.path, f.loc.line, f.severity) for f in lint(tmp_path).findings if f.rule == "HL401"]
    assert found == [("site/settings.py", 3, Severity.ERROR)]


def test_a_base_turning_debug_on_is_judged_where_production_builds_on_it(tmp_path: Path) -> None:
    """base.py sets DEBUG and immediate mode on; production.py star-imports it and turns only DEBUG off:
    immediate mode runs in production."""
    base = BASE.format(debug="DEBUG = True\n", immediate=", 'immediate': True")
    assert hl401(tmp_path, {"site/settings/base.py": base,
                            "site/settings/production.py": "from .base import *  # noqa\nDEBUG = False\n"}) == \
        [("site/settings/base.py", 4, Severity.ERROR)]


@pytest.mark.parametrize("tail, expected", [
    # field test (tenndalux): settings.py star-imports settings_prod or settings_dev by DJANGO_ENV; the last
    # one written (DEBUG on) is not what always runs: settings.py is no development module, and is judged
    ("if os.environ.get('DJANGO_ENV') == 'production':\n    from .settings_prod import *  # noqa\n"
     "else:\n    from .settings_dev import *  # noqa\n", [("site/settings.py", 4, Severity.ERROR)]),
    ("try:\n    from .settings_dev import *  # noqa\nexcept ImportError:\n    pass\n",
     [("site/settings.py", 4, Severity.ERROR)]),
    # unconditional: what runs is the dev module's DEBUG = True, and settings_prod.py beside it does not
    ("from .settings_dev import *  # noqa\n", []),
])
def test_a_conditional_star_import_leaves_debug_unknown(tmp_path: Path, tail: str, expected: list) -> None:
    write_tree(tmp_path, {"Procfile": PROCFILE, "manage.py": MANAGE.replace("site.settings.production", "site.settings"),
                          "site/__init__.py": "",
                          "site/settings.py": "import os\nDEBUG = False\nINSTALLED_APPS = ['huey.contrib.djhuey']\n"
                                              "HUEY = {'name': 'site', 'immediate': True}\n" + tail,
                          "site/settings_prod.py": "DEBUG = False\n", "site/settings_dev.py": "DEBUG = True\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    found = [(f.loc.path, f.loc.line, f.severity) for f in lint(tmp_path).findings if f.rule == "HL401"]
    assert found == expected


@pytest.mark.parametrize("rel, body, expected", [
    # development settings, the storage on the developer's machine: password and signing secret stay quiet
    ("site/settings/dev.py", "HUEY = {'name': 'site', 'url': 'redis://:devpass@localhost:6379/0'}\n", []),
    ("site/settings/dev.py", "HUEY = {'name': 'site', 'connection': {'password': 'devpass'}}\n", []),
    ("site/settings/sandbox.py", "DEBUG = True\nHUEY = {'name': 'site', 'connection': {'host': '::1', "
     "'password': 'devpass'}}\n", []),
    ("site/settings/dev.py", "from huey import RedisHuey\nfrom huey.serializer import SignedSerializer\n"
     "HUEY = RedisHuey('site', serializer=SignedSerializer(secret='dev'))\n", []),
    # another host: a secret wherever it is written
    ("site/settings/dev.py", "HUEY = {'name': 'site', 'url': 'redis://:pw@redis.example.net:6379/0'}\n",
     [("site/settings/dev.py", 1)]),
    # production-like settings: a loopback password and a literal secret are still secrets in the repository
    ("site/settings/production.py", "DEBUG = False\nHUEY = {'name': 'site', 'url': 'redis://:pw@localhost:6379/0'}\n",
     [("site/settings/production.py", 2)]),
    ("site/settings/production.py", "from huey import RedisHuey\nfrom huey.serializer import SignedSerializer\n"
     "HUEY = RedisHuey('site', serializer=SignedSerializer(secret='s3cret'))\n", [("site/settings/production.py", 3)]),
])
def test_hl403_development_settings_keep_only_secrets_of_other_hosts(tmp_path: Path, rel: str, body: str,
                                                                     expected: list) -> None:
    base = BASE.format(debug="DEBUG = False\n", immediate=", 'immediate': False")
    write_tree(tmp_path, {"Procfile": PROCFILE, "manage.py": MANAGE, "site/__init__.py": "",
                          "site/settings/__init__.py": "", "site/settings/base.py": base,
                          "site/settings/production.py": "from .base import *  # noqa\n",
                          rel: "from .base import *  # noqa\n" + body})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    found = [(f.loc.path, f.loc.line - 1) for f in lint(tmp_path).findings if f.rule == "HL403"]
    assert found == expected
