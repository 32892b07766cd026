"""The package a consumer run from a virtualenv imports: pip installed it from a project folder of the repository
(``pip install ./core``: a folder holding ``pyproject.toml``, ``setup.py`` or ``setup.cfg``, or its ``src/``), so
the app is looked up there when it is the one such folder holding the app's package (field test
Pioreactor/pioreactor: ``huey_consumer pioreactor.web.tasks.huey`` from a venv, the package in ``core/``; HL105,
HL304 and HL404 were missed).  An app in no folder of a repository that holds Python code gets a notice: its
tasks, locks and settings are not checked for that launch."""

from __future__ import annotations

import pytest

from tests.helpers import lint, triples, write_tree

APP = ("import os\n\nfrom huey import RedisHuey\n\nhuey = RedisHuey('shop', url=os.environ['REDIS_URL'])\n\n\n"
       "@huey.task()\ndef ship(order):\n    print(order)\n")
UNIT = ("[Service]\nType=exec\nExecStart=/opt/shop/venv/bin/huey_consumer {app} -w 2 -k thread\n"
        "KillSignal=SIGINT\nTimeoutStopSec=60\nRestart=always\n")
NOTICE = ("deploy/shop.service", "line 3: systemd shop.service runs the huey app `{app}`, but no `{top}` package or "
          "module is found where it imports from in the repository (an installed package, or code kept elsewhere): "
          "the app's tasks, locks and settings are not checked for this launch")


@pytest.mark.parametrize("project", ["core/pyproject.toml", "core/setup.py", "core/setup.cfg"])
@pytest.mark.parametrize("layout", ["core", "core/src"])
def test_the_app_is_imported_from_the_project_folder_pip_installs(tmp_path, project, layout):
    write_tree(tmp_path, {project: "", f"{layout}/shop/__init__.py": "", f"{layout}/shop/tasks.py": APP,
                          "deploy/shop.service": UNIT.format(app="shop.tasks.huey")})
    result = lint(tmp_path)
    [launch] = result.project.launches
    assert launch.app_key is not None and f":{layout}/shop/tasks.py:" in launch.app_key.value
    assert triples(result, "HL105") == [("HL105", f"{layout}/shop/tasks.py", 5)]
    assert [(n.rel, n.reason) for n in result.notices] == []


def test_two_project_folders_holding_the_package_leave_it_unfound(tmp_path):
    """Which of two installed distributions the venv holds is not known: neither is taken."""
    write_tree(tmp_path, {"a/pyproject.toml": "", "a/shop/__init__.py": "", "a/shop/tasks.py": APP,
                          "b/setup.py": "", "b/shop/__init__.py": "", "b/shop/tasks.py": APP,
                          "deploy/shop.service": UNIT.format(app="shop.tasks.huey")})
    result = lint(tmp_path)
    assert result.project.launches[0].app_key is None
    assert triples(result, "HL105") == []


def test_a_sibling_service_s_package_is_not_borrowed(tmp_path):
    """A launch written in a service folder (its own requirements.txt) does not import another service's
    installed package (a false HL003 "defines no `huey`" on the sibling's code)."""
    write_tree(tmp_path, {"services/web/pyproject.toml": "", "services/web/app/__init__.py": "",
                          "services/reports/requirements.txt": "huey==2.5.3\n",
                          "services/reports/shop.service": UNIT.format(app="app.huey")})
    result = lint(tmp_path)
    assert result.project.launches[0].app_key is None
    assert triples(result, "HL003") == []
    [notice] = result.notices
    assert notice.rel == "services/reports/shop.service"
    assert notice.reason.startswith("line 3: systemd shop.service runs the huey app `app.huey`, but no `app` package")


def test_an_app_in_no_folder_of_the_repository_is_said(tmp_path):
    write_tree(tmp_path, {"tools/report.py": "print('report')\n",
                          "deploy/shop.service": UNIT.format(app="vendor_shop.queue.huey")})
    result = lint(tmp_path)
    rel, reason = NOTICE
    assert [(n.rel, n.reason) for n in result.notices] == [
        (rel, reason.format(app="vendor_shop.queue.huey", top="vendor_shop"))]


def test_a_repository_of_deployment_files_alone_says_nothing_of_the_app(tmp_path):
    """Without any Python code in the repository, that the app's code is elsewhere is plain."""
    write_tree(tmp_path, {"deploy/shop.service": UNIT.format(app="vendor_shop.queue.huey")})
    assert lint(tmp_path).notices == []


MANAGE = ("import sys\n\nif __name__ == '__main__':\n    from django.core.management import execute_from_command_line\n\n"
          "    execute_from_command_line(sys.argv)\n")


def test_django_settings_found_nowhere_are_said(tmp_path):
    """``run_huey`` whose settings module is named by a value not known here (or kept in another repository):
    the launch is judged, and a notice says its app was not."""
    write_tree(tmp_path, {"Procfile": "worker: python manage.py run_huey --settings=$SHOP_SETTINGS -w 2\n",
                          "manage.py": MANAGE, "requirements.txt": "huey==2.5.3\ndjango\n"})
    result = lint(tmp_path)
    assert triples(result) == [("HL101", "Procfile", 1)]
    assert [(n.rel, n.reason) for n in result.notices] == [(
        "Procfile", "line 1: procfile worker runs Django's `run_huey`, but no settings module it loads is read in the "
        "repository (named by a value not known here, kept elsewhere, or not parsed: HL001): the app's tasks, locks and "
        "settings are not checked for this launch")]


def test_a_development_launch_says_nothing_of_its_app(tmp_path):
    write_tree(tmp_path, {"Procfile.dev": "worker: python manage.py run_huey --settings=$SHOP_SETTINGS -w 2\n",
                          "manage.py": MANAGE, "requirements.txt": "huey==2.5.3\ndjango\n"})
    assert lint(tmp_path).notices == []


def test_settings_that_do_not_parse_are_said_beside_their_hl001(tmp_path):
    """Field test Thrynk/ERPsim-helper: the only settings module has a syntax error (HL001): the launch's app is
    not judged, and the notice says so (before, only the HL001 hinted at it)."""
    write_tree(tmp_path, {"Procfile": "worker: python site/manage.py run_huey -w 2\n",
                          "site/manage.py": MANAGE.replace("import sys\n", "import os, sys\n\nos.environ.setdefault("
                                                           "'DJANGO_SETTINGS_MODULE', 'site_app.settings')\n"),
                          "site/site_app/__init__.py": "", "site/site_app/settings.py": "HUEY = {\n",
                          "requirements.txt": "huey==2.5.3\ndjango\n"})
    result = lint(tmp_path)
    assert triples(result) == [("HL001", "site/site_app/settings.py", 1), ("HL101", "Procfile", 1)]
    [notice] = result.notices
    assert notice.reason.startswith("line 1: procfile worker runs Django's `run_huey`, but no settings module it loads")
