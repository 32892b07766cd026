"""The settings a Django launch loads when it runs manage.py by path from another folder.

``python /app/web/manage.py run_huey`` puts ``/app/web`` first on ``sys.path`` (Python runs a script with its
folder there), so the settings module manage.py names (``site.settings``) is imported from that folder, not
from the working directory.  A settings module Django's entry points name that cannot be parsed leaves the
app unknown (HL001 says why), and a module another program names (Sphinx's ``conf.py`` for a docs build) is
not what manage.py loads.  Field test: Thrynk/ERPsim-helper (its consumer was judged against the docs
settings, a MemoryHuey: HL405, HL401, HL105 at the wrong file).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hueylint.appmodel import app_for
from hueylint.config import Settings
from hueylint.engine import Options, build_project
from tests.helpers import lint, triples, write_tree

MANAGE = ("import os\nimport sys\n\nif __name__ == '__main__':\n"
          "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n"
          "    from django.core.management import execute_from_command_line\n"
          "    execute_from_command_line(sys.argv)\n")
SETTINGS = ("INSTALLED_APPS = ['huey.contrib.djhuey']\n"
            "HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': False, 'results': False}\n")
DOCS_SETTINGS = "INSTALLED_APPS = ['huey.contrib.djhuey']\nHUEY = {'huey_class': 'huey.MemoryHuey', 'immediate': False}\n"
SPHINX = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings_docs')\nproject = 'site'\n"
IMAGE = "FROM python:3.12-slim\nWORKDIR /app\nRUN pip install huey==3.5.4\nCOPY ./web /app/web/\nUSER www-data\n"

BASE = {"web/manage.py": MANAGE, "web/site/__init__.py": "", "web/site/settings.py": SETTINGS,
        "web/site/settings_docs.py": DOCS_SETTINGS, "docs/conf.py": SPHINX}


def project(root: Path, files: dict[str, str]):
    write_tree(root, files)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    _ws, proj, _ = build_project([root], Settings(root=root.resolve()), Options(cache=False))
    return proj


@pytest.mark.parametrize("launch", [
    # compose's exec form, the image's exec-form CMD, a shell string, a systemd unit of a checkout at /srv/app
    {"Dockerfile": IMAGE, "compose.yaml": "services:\n  tasks:\n    build: .\n"
     "    command: [\"python\", \"/app/web/manage.py\", \"run_huey\"]\n"},
    {"Dockerfile": IMAGE + "CMD [\"python\", \"/app/web/manage.py\", \"run_huey\"]\n"},
    {"Dockerfile": IMAGE + "CMD exec python3 /app/web/manage.py run_huey\n"},
    {"deploy/tasks.service": "[Service]\nWorkingDirectory=/srv/app\n"
     "ExecStart=/srv/app/venv/bin/python /srv/app/web/manage.py run_huey\n"},
    # relative to the working directory
    {"Dockerfile": IMAGE + "CMD [\"python\", \"web/manage.py\", \"run_huey\"]\n"},
], ids=["compose", "dockerfile", "shell-form", "systemd", "relative"])
def test_the_settings_manage_py_names_from_its_own_folder(tmp_path: Path, launch: dict[str, str]) -> None:
    proj = project(tmp_path, {**BASE, **launch})
    app = app_for(proj, proj.launches[0])
    assert app is not None and app.settings_rels == ["web/site/settings.py"]


def test_a_named_settings_module_that_cannot_be_parsed_leaves_the_app_unknown(tmp_path: Path) -> None:
    files = {**BASE, "web/site/settings.py": "INSTALLED_APPS = [\n<<<<<<< HEAD\n]\n", "Dockerfile": IMAGE,
             "compose.yaml": "services:\n  tasks:\n    build: .\n    restart: always\n    stop_signal: SIGINT\n"
                             "    stop_grace_period: 60s\n    command: [\"python\", \"/app/web/manage.py\", \"run_huey\"]\n"}
    write_tree(tmp_path, files)
    found = triples(lint(tmp_path))
    # the docs build's MemoryHuey (HL405, HL401 ...) is not the consumer's: the parse error and the launch's
    # own finding (no -t) only
    assert [(rule, path) for rule, path, _line in found] == [("HL001", "web/site/settings.py"),
                                                              ("HL104", "compose.yaml")]


def test_a_script_naming_settings_counts_when_the_entry_points_name_none(tmp_path: Path) -> None:
    files = {**BASE, "web/manage.py": "import sys\nfrom django.core.management import execute_from_command_line\n"
             "execute_from_command_line(sys.argv)\n", "web/bin_env.py": SPHINX.replace("settings_docs", "settings"),
             "Dockerfile": IMAGE + "CMD [\"python\", \"/app/web/manage.py\", \"run_huey\"]\n"}
    del files["docs/conf.py"]
    proj = project(tmp_path, files)
    app = app_for(proj, proj.launches[0])
    assert app is not None and app.settings_rels == ["web/site/settings.py"]
