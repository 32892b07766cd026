"""A Django settings module with a module ``__getattr__`` (PEP 562): Django reads a settings module's names from
``dir(module)`` (``django/conf/__init__.py``, ``Settings.__init__``), so the ``__getattr__`` may give ``HUEY``
only when the module's ``__dir__`` lists names.  hueylint does not run it: the setting stays unknown (no HL402
claimed on djhuey's defaults), and a notice at the ``__getattr__`` line says the app's huey settings are not
checked; HL105 names it.  Without ``__dir__`` Django never asks it: djhuey's defaults, as with no ``HUEY``."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.pyapp.resolve import module_getattr
from tests.helpers import lint, write_tree

SERVICE = """[Service]
Type=exec
User=shop
WorkingDirectory=/srv/shop
ExecStart=/srv/shop/venv/bin/python manage.py run_huey -t 50
ExecReload=/bin/kill -HUP $MAINPID
KillSignal=SIGINT
TimeoutStopSec=60
Restart=on-failure
"""
MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n"
HEAD = "import os\nINSTALLED_APPS = ['huey.contrib.djhuey']\n"
LOADER = ("_LAZY = {'HUEY': {'name': 's', 'connection': {'url': 'redis://cache.internal:6379'}}}\n\n\n"
          "def __getattr__(name):\n    return _LAZY[name]\n")
DIR = "\n\ndef __dir__():\n    return ['INSTALLED_APPS', *_LAZY]\n"


def run(tmp_path: Path, settings: str) -> tuple[list[tuple[str, str, int]], list[str]]:
    write_tree(tmp_path, {"huey.service": SERVICE, "manage.py": MANAGE, "site_cfg/__init__.py": "",
                          "site_cfg/settings.py": settings})
    result = lint(tmp_path)
    findings = [(f.rule, f.loc.path or "", f.loc.line) for f in result.findings]
    hl105 = [f.message for f in result.findings if f.rule == "HL105"]
    notices = [f"{n.rel}: {n.reason}" for n in result.notices if "__getattr__" in n.reason]
    return findings, hl105 + notices


def test_getattr_with_dir_is_unknown_and_said(tmp_path: Path) -> None:
    findings, [hl105, notice] = run(tmp_path, HEAD + LOADER + DIR)
    assert [rule for rule, _path, _line in findings] == ["HL105"]  # no HL402 on a setting not read
    assert ("the Django huey app installed here (no `HUEY` setting is written in `site_cfg/settings.py`, whose "
            "module `__getattr__` (line 6) may compute one at run time)") in hl105
    assert notice == ("site_cfg/settings.py: line 6: the settings module's `__getattr__` (PEP 562; its `__dir__` "
                      "lists names for Django to read) may compute `HUEY` at run time, which is not read here: the "
                      "app's huey settings (storage, serializer, immediate) are not checked")


def test_an_assigned_getattr_counts_too(tmp_path: Path) -> None:
    loader = "_LAZY = {}\n__getattr__ = _LAZY.__getitem__\n__dir__ = _LAZY.keys\n"
    _findings, [_hl105, notice] = run(tmp_path, HEAD + loader)
    assert notice.startswith("site_cfg/settings.py: line 4: the settings module's `__getattr__`")


def test_getattr_without_dir_is_never_asked(tmp_path: Path) -> None:
    """``dir()`` lists only the names the module binds: Django never reads ``HUEY`` from the ``__getattr__``."""
    _findings, [hl105] = run(tmp_path, HEAD + LOADER)
    assert "(no `HUEY` setting is read in `site_cfg/settings.py`: djhuey's defaults, or one built by code" in hl105


def test_a_written_huey_is_read_whatever_the_getattr(tmp_path: Path) -> None:
    """A name the module binds is found before its ``__getattr__`` is asked: the written dict is what runs."""
    written = "HUEY = {'name': 's', 'immediate': False, 'connection': {'url': os.environ['REDIS_URL']}}\n"
    findings, said = run(tmp_path, HEAD + written + LOADER.replace("_LAZY = {'HUEY'", "_LAZY = {'X'") + DIR)
    assert not any("__getattr__" in text for text in said)
    assert ("HL105", "site_cfg/settings.py", 3) in findings


@pytest.mark.parametrize(("text", "found"), [
    ("def __getattr__(name):\n    pass\n", (1, False)),
    ("x = 1\nasync def __getattr__(name):\n    pass\ndef __dir__():\n    return []\n", (2, True)),
    ("__getattr__ = loader.get\n__dir__ = loader.keys\n", (1, True)),
    ("class S:\n    def __getattr__(self, name):\n        pass\n", None),  # a class's: not the module's
    ("if __getattr__ == 1:\n    pass\n", None),
    # defined inside a module-level if/try (still the module's own namespace)
    ("import sys\nif sys.version_info >= (3, 7):\n    def __getattr__(name):\n        pass\n"
     "    def __dir__():\n        return []\n", (3, True)),
    ("try:\n    from ._lazy import __getattr__\nexcept ImportError:\n    pass\n", (2, False)),
    ("def f():\n    def __getattr__(name):\n        pass\n", None),  # a function's local
    ("def __getattr__(name:\n", (1, False)),  # Python refuses it: the line test
])
def test_module_getattr(text: str, found: tuple[int, bool] | None) -> None:
    assert module_getattr(text) == found


def test_a_getattr_in_an_if_block_is_the_modules_and_a_classs_is_not(tmp_path: Path) -> None:
    """A module ``__getattr__`` defined under a module-level ``if`` is asked as at the top level; a class's
    ``__getattr__`` in the settings binds no setting (before: either was taken for an unknown star import, and
    HL105 said the settings import "a module not found where it runs from")."""
    guarded = ("import sys\nINSTALLED_APPS = ['huey.contrib.djhuey']\n_LAZY = {}\nif sys.version_info >= (3, 7):\n"
               "    def __getattr__(name):\n        return _LAZY[name]\n\n    def __dir__():\n        return []\n")
    _findings, [hl105, notice] = run(tmp_path, guarded)
    assert "whose module `__getattr__` (line 5) may compute one at run time" in hl105
    assert notice.startswith("site_cfg/settings.py: line 5: the settings module's `__getattr__`")
    helper = HEAD + "\n\nclass Env:\n    def __getattr__(self, name):\n        return os.environ[name]\n"
    _findings, [hl105] = run(tmp_path, helper)
    assert "(no `HUEY` setting is read in `site_cfg/settings.py`: djhuey's defaults, or one built by code" in hl105
