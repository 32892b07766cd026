"""HL302 names where `periodic: False` comes from: a command line's `-n`, or Django's consumer settings
(`HUEY['consumer']`), which every `run_huey` of those settings inherits and no command-line option undoes
(run_huey's options default to None; `-n` only sets False)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import lint, write_tree

SETTINGS = ("INSTALLED_APPS = ['huey.contrib.djhuey', 'shop']\n"
            "HUEY = {'name': 'shop', 'url': 'redis://localhost:6379', 'consumer': {'workers': 2, 'periodic': False}}\n")
TASKS = "from huey import crontab\nfrom huey.contrib.djhuey import periodic_task\n\n" \
        "@periodic_task(crontab(minute='0'))\ndef nightly():\n    pass\n"
MANAGE = ("import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n"
          "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n")


def hl302(tmp_path: Path, procfile: str) -> list[tuple[str, int, str, list[tuple[int, str]]]]:
    write_tree(tmp_path, {"manage.py": MANAGE, "shop/__init__.py": "", "shop/settings.py": SETTINGS,
                          "shop/tasks.py": TASKS, "requirements.txt": "django==4.2\nhuey==2.5.0\n",
                          "Procfile": procfile})
    return [(f.loc.path, f.loc.line, f.message, [(r.loc.line, r.message) for r in f.related])
            for f in lint(tmp_path).findings if f.rule == "HL302"]


def test_settings_periodic_false_names_the_setting_not_n(tmp_path: Path) -> None:
    [(path, line, message, related)] = hl302(tmp_path, "worker: python manage.py run_huey\n")
    assert (path, line, related) == ("shop/settings.py", 2, [])
    assert message == (
        "the Django app declares periodic tasks, but every consumer of it in Procfile runs with `'periodic': False` "
        "in HUEY['consumer'] (shop/settings.py:2): the periodic tasks are never enqueued. Fix: remove "
        "`'periodic': False` from HUEY['consumer'] (no command-line option turns periodic tasks back on)")


def test_settings_and_n_together(tmp_path: Path) -> None:
    [(path, line, message, related)] = hl302(
        tmp_path, "worker: python manage.py run_huey\nbulk: python manage.py run_huey -n -w 8\n")
    assert (path, line, related) == ("shop/settings.py", 2, [(2, "also `-n`")])
    assert message == (
        "the Django app declares periodic tasks, but every consumer of it in Procfile runs with `'periodic': False` "
        "in HUEY['consumer'] (shop/settings.py:2) or `-n/--no-periodic` (Procfile:2): the periodic tasks are never "
        "enqueued. Fix: remove `'periodic': False` from HUEY['consumer'] (no command-line option turns periodic "
        "tasks back on), then pass `-n` to every consumer but one single-instance consumer")


def test_two_consumers_of_the_setting_share_one_place(tmp_path: Path) -> None:
    [(_path, line, message, related)] = hl302(
        tmp_path, "worker: python manage.py run_huey\nmail: python manage.py run_huey -w 1\n")
    assert (line, related) == (2, [])  # the same settings value: one place to change, no related location
    assert message.endswith("then pass `-n` to every consumer but one single-instance consumer")


def test_n_on_every_command_line_keeps_its_fix(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": "from huey import RedisHuey, crontab\nhuey = RedisHuey(url='redis://localhost')\n"
                          "@huey.periodic_task(crontab())\ndef beat():\n    pass\n", "requirements.txt": "huey==2.5.0\n",
                          "Procfile": "worker: huey_consumer app.huey -n\n"})
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL302"]
    assert finding.message.endswith("runs with `-n/--no-periodic` (Procfile:1): the periodic tasks are never "
                                    "enqueued. Fix: drop `-n` from exactly one single-instance consumer")


def test_settings_modules_of_one_queue_are_one_app(tmp_path: Path) -> None:
    """Field test (role settings: a worker's settings module that star-imports the project's and gives
    `'periodic': False`, run by the replicated workers, while a single scheduler runs the project's settings):
    settings modules of one folder whose huey settings differ in `'consumer'` only configure one queue, so their
    consumers are counted together: the scheduler enqueues the periodic tasks, no HL302 for the workers' settings
    and no HL301 for their replicas. Settings of another queue (`'name'` differs) stay another app."""
    base = ("INSTALLED_APPS = ['huey.contrib.djhuey', 'shop']\n"
            "HUEY = {'name': 'shop', 'url': 'redis://redis:6379', 'consumer': {'workers': 2}}\n")
    worker = ("from .production import *  # noqa\n\n"
              "HUEY = {'name': 'shop', 'url': 'redis://redis:6379', 'consumer': {'workers': 2, 'periodic': False}}\n")
    compose = ("services:\n  worker:\n    image: registry.example.com/shop:1\n    restart: always\n"
               "    command: python manage.py run_huey\n    environment:\n"
               "      DJANGO_SETTINGS_MODULE: shop.settings.worker\n    deploy:\n      replicas: 3\n"
               "  scheduler:\n    image: registry.example.com/shop:1\n    restart: always\n"
               "    command: python manage.py run_huey\n    environment:\n"
               "      DJANGO_SETTINGS_MODULE: shop.settings.production\n")
    files = {"manage.py": MANAGE.replace("shop.settings", "shop.settings.production"), "shop/__init__.py": "",
             "shop/settings/__init__.py": "", "shop/settings/production.py": base, "shop/tasks.py": TASKS,
             "requirements.txt": "django==4.2\nhuey==2.5.0\n", "docker-compose.yml": compose}
    write_tree(tmp_path / "same", {**files, "shop/settings/worker.py": worker})
    found = sorted((f.rule, f.loc.path) for f in lint(tmp_path / "same").findings if f.rule in ("HL301", "HL302"))
    assert found == []
    write_tree(tmp_path / "other", {**files, "shop/settings/worker.py": worker.replace("'name': 'shop'", "'name': 'bulk'")})
    found = sorted((f.rule, f.loc.path) for f in lint(tmp_path / "other").findings if f.rule in ("HL301", "HL302"))
    assert found == [("HL302", "shop/settings/worker.py")]
