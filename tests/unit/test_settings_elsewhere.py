"""A Django settings module named by a folder hueylint does not know to be on sys.path
(``DJANGO_SETTINGS_MODULE=settings`` for ``src/app/settings.py``): the repository's only settings module at that
dotted path is the one the consumer loads; several, or only test ones, leave it unknown."""

from __future__ import annotations

import pytest

from tests.helpers import lint, write_tree

PROGRAM = ("[program:jobs]\nenvironment=DJANGO_SETTINGS_MODULE={name}\n"
           "command=/srv/venv/bin/django-admin run_huey -t 20\nuser=app\nstopsignal=INT\nstopwaitsecs=30\n")
SETTINGS = "INSTALLED_APPS = ['huey.contrib.djhuey']\nHUEY = {'huey_class': 'huey.RedisHuey', 'immediate': False}\n"


def _app_settings(tmp_path, name: str, files: dict[str, str]) -> list[str]:
    write_tree(tmp_path, {"etc/supervisord.conf": "[supervisord]\nnodaemon=true\n" + PROGRAM.format(name=name),
                          "requirements.txt": "Django==5.2\nhuey==3.5.4\n", **files})
    result = lint(tmp_path)
    [launch] = result.project.launches
    return [rel for app in result.project.apps if launch in app.launches for rel in app.settings_rels]


@pytest.mark.parametrize("name, files, expected", [
    # a dotted path below an unlisted folder, as a package
    ("conf.settings", {"src/site/conf/__init__.py": "", "src/site/conf/settings/__init__.py": SETTINGS},
     ["src/site/conf/settings/__init__.py"]),
    # a plain module; a test copy elsewhere does not count
    ("settings", {"src/site/settings.py": SETTINGS, "tests/settings.py": SETTINGS}, ["src/site/settings.py"]),
    # two candidates: which one runs is not known
    ("settings", {"a/settings.py": SETTINGS, "b/settings.py": SETTINGS}, []),
    # a module of that name that is no Django settings module
    ("settings", {"tools/settings.py": "COLOR = 'blue'\n"}, []),
])
def test_the_only_settings_module_at_that_path(tmp_path, name, files, expected):
    assert _app_settings(tmp_path, name, files) == expected
