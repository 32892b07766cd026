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
    # a monorepo of Django projects: the one settings module at that path is another service's
    ("conf.settings", {"billing/manage.py": "", "billing/conf/__init__.py": "", "billing/conf/settings.py": SETTINGS,
                       "shop/manage.py": ""}, []),
])
def test_the_only_settings_module_at_that_path(tmp_path, name, files, expected):
    assert _app_settings(tmp_path, name, files) == expected


def test_named_settings_left_unknown_by_an_untracked_override_judge_the_committed_ones(tmp_path):
    """No launch in the repository; manage.py names `site.settings`, a package that star-imports `base` (huey's
    setting, a Redis host from the environment) and then an untracked `local` override: the named module's
    setting is unknown, so the committed module that defines it is judged (HL402), as HL401 judges it."""
    write_tree(tmp_path, {
        "requirements.txt": "Django==5.2\nhuey==2.5.0\n",
        "app/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n",
        "app/site/__init__.py": "",
        "app/site/settings/__init__.py": "from .base import *\n\ntry:\n    from .local import *\n"
                                         "except ImportError:\n    pass\n",
        "app/site/settings/base.py": "import os\nINSTALLED_APPS = ['huey.contrib.djhuey']\nHUEY = {\n"
                                     "    'huey_class': 'huey.RedisHuey', 'immediate': False,\n"
                                     "    'connection': {'host': os.environ['REDIS_HOST']},\n}\n",
    })
    result = lint(tmp_path)
    assert [(f.rule, f.loc.path, f.loc.line) for f in result.findings] == [("HL402", "app/site/settings/base.py", 3)]


def test_manage_py_default_is_not_looked_for_elsewhere(tmp_path):
    """Only a name the launch gives is looked for outside the source roots: manage.py's default
    (`conf.settings`, a package star-importing `base` and an untracked `local`) that does not resolve leaves
    the guess to the settings modules defining huey's setting, which the app's findings point at."""
    program = ("[supervisord]\nnodaemon=true\n[program:jobs]\ncommand=/srv/venv/bin/django-admin run_huey -t 20\n"
               "user=app\nstopsignal=INT\nstopwaitsecs=30\n")
    write_tree(tmp_path, {"etc/supervisord.conf": program, "requirements.txt": "Django==5.2\nhuey==3.5.4\n",
                          "src/site/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                                                "'conf.settings')\n",
                          "src/site/conf/__init__.py": "",
                          "src/site/conf/settings/__init__.py": "from .base import *\ntry:\n    from .local import *\n"
                                                                "except ImportError:\n    pass\n",
                          "src/site/conf/settings/base.py": SETTINGS})
    result = lint(tmp_path)
    [launch] = result.project.launches
    assert [rel for app in result.project.apps if launch in app.launches for rel in app.settings_rels] == [
        "src/site/conf/settings/base.py"]
