"""App rules end to end on small trees: what fires, where, at which severity, and what must stay silent."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hueylint.config import Settings
from hueylint.engine import build_project
from hueylint.findings import Severity
from tests.helpers import lint, triples, write_tree

SERVICE = """[Service]
User=app
WorkingDirectory=/srv/app
ExecStart=/srv/app/venv/bin/huey_consumer my_app.main.huey -g TERM -t 50 {flags}
ExecReload=/bin/kill -HUP $MAINPID
TimeoutStopSec=60
Restart=on-failure
"""

APP = """from huey import RedisHuey, crontab
from huey.signals import SIGNAL_INTERRUPTED

huey = RedisHuey('my_app')


@huey.signal(SIGNAL_INTERRUPTED)
def requeue(signal, task, *args, **kwargs):
    huey.enqueue(task)
"""


def run(tmp_path: Path, files: dict[str, str], config: dict | None = None):
    write_tree(tmp_path, files)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return lint(tmp_path, config)


def rules(result) -> list[tuple[str, str, int]]:
    return triples(result)


def test_comment_mention_test_module_and_library_stay_silent(tmp_path: Path) -> None:
    result = run(tmp_path, {
        "notes.py": "# we used to use huey with immediate=True here\nx = 1\n",
        "tests/test_tasks.py": "from huey import MemoryHuey\nhuey = MemoryHuey('t', immediate=True)\n"
                               "huey.immediate = True\n",
        "conftest.py": "from huey import RedisHuey\nhuey = RedisHuey('t', 'localhost')\n",
        "lib/queue.py": "from huey import RedisHuey\nhuey = RedisHuey('lib')\n\n@huey.task()\n@huey.lock_task('x')\n"
                        "def job():\n    return 1\n\ndef go():\n    job()\n",
    })
    assert rules(result) == []


def test_library_gets_only_launch_free_rules(tmp_path: Path) -> None:
    result = run(tmp_path, {
        "lib/queue.py": "from huey import MemoryHuey, RedisHuey\nhuey = RedisHuey('lib', immediate=True)\n"
                        "mem = MemoryHuey('m')\n\n@huey.lock_task('x')\n@huey.task()\ndef job():\n    return 1\n",
    })
    assert sorted({r for r, _, _ in rules(result)}) == ["HL305", "HL401"]


def test_periodic_hook_makes_hl301_app_aware(tmp_path: Path) -> None:
    compose = ("services:\n  worker:\n    image: app\n    command: [\"huey_consumer\", \"my_app.main.huey\", \"-g\", \"TERM\","
               " \"-t\", \"5\"]\n    restart: always\n    deploy:\n      replicas: 3\n")
    files = {"compose.yaml": compose, "my_app/__init__.py": "", "my_app/main.py": APP}
    silent = run(tmp_path / "none", files)
    assert triples(silent, "HL301") == []
    periodic = dict(files)
    periodic["my_app/main.py"] = APP + "\n\n@huey.periodic_task(crontab(minute='0'))\ndef hourly():\n    pass\n"
    found = [f for f in run(tmp_path / "some", periodic).findings if f.rule == "HL301"]
    assert len(found) == 1 and found[0].severity == Severity.ERROR
    unknown = dict(files)
    unknown["compose.yaml"] = compose.replace("my_app.main.huey", "elsewhere.huey")
    found = [f for f in run(tmp_path / "unknown", unknown).findings if f.rule == "HL301"]
    assert len(found) == 1 and found[0].severity == Severity.WARNING


def test_hl105_is_an_error_on_a_paas_and_needs_sources(tmp_path: Path) -> None:
    app = "from huey import RedisHuey\nhuey = RedisHuey('a')\n\n@huey.task()\ndef t():\n    pass\n"
    result = run(tmp_path / "paas", {
        "Procfile": "worker: huey_consumer my_app.main.huey -g TERM -t 25\n",
        "my_app/__init__.py": "", "my_app/main.py": app,
    })
    found = [f for f in result.findings if f.rule == "HL105"]
    assert [(f.loc.path, f.loc.line, f.severity) for f in found] == [("my_app/main.py", 2, Severity.ERROR)]
    result = run(tmp_path / "elsewhere", {"Procfile": "worker: huey_consumer other.huey -g TERM -t 25\n"})
    assert triples(result, "HL105") == []


def test_handler_in_a_module_the_consumer_does_not_import(tmp_path: Path) -> None:
    result = run(tmp_path, {
        "huey.service": SERVICE.format(flags="-f"),
        "my_app/__init__.py": "",
        "my_app/main.py": "from huey import RedisHuey\nhuey = RedisHuey('a')\n\n@huey.task()\ndef t():\n    pass\n",
        "my_app/views.py": APP.replace("huey = RedisHuey('my_app')", "from .main import huey"),
    })
    found = [f for f in result.findings if f.rule == "HL105"]
    assert len(found) == 1 and "does not import" in found[0].message


def test_locks_across_files(tmp_path: Path) -> None:
    tasks = ("from .main import huey\n\n\n@huey.task()\ndef backup():\n    with huey.lock_task('db'):\n        pass\n\n\n"
             "@huey.task()\n@huey.lock_task('ttl-lock', ttl=60)\ndef other():\n    pass\n")
    files = {"my_app/__init__.py": "", "my_app/main.py": APP + "\nfrom . import tasks\n", "my_app/tasks.py": tasks}
    no_flush = run(tmp_path / "a", {**files, "huey.service": SERVICE.format(flags="")})
    assert triples(no_flush, "HL303") == [("HL303", "my_app/tasks.py", 6)]
    assert triples(no_flush, "HL304") == []
    flush = run(tmp_path / "b", {**files, "huey.service": SERVICE.format(flags="-f")})
    assert triples(flush, "HL303") == [] and triples(flush, "HL304") == [("HL304", "my_app/tasks.py", 6)]
    finding = next(f for f in flush.findings if f.rule == "HL304")
    assert [r.loc.path for r in finding.related] == ["huey.service"]
    named = run(tmp_path / "c", {**files, "huey.service": SERVICE.format(flags="-L db")})
    assert triples(named, "HL303") == [] and triples(named, "HL304") == []


def test_django_consumer_keys_and_settings_flags(tmp_path: Path) -> None:
    result = run(tmp_path, {
        "Procfile": "web: gunicorn mysite.wsgi\nworker: python manage.py run_huey -g TERM -t 25 -k greenlet\n",
        "manage.py": "import os\nimport sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
        "mysite/__init__.py": "",
        "mysite/settings.py": "import os\nHUEY = {\n    'immediate': os.environ.get('HUEY_IMMEDIATE'),\n"
                              "    'consumer': {'no_periodic': True, 'logfile': '/var/log/huey.log'},\n}\n",
    })
    assert triples(result, "HL002") == [("HL002", "mysite/settings.py", 4)]
    assert triples(result, "HL401") == [("HL401", "mysite/settings.py", 3)]
    assert triples(result, "HL601") == [("HL601", "Procfile", 2)]
    assert triples(result, "HL501")  # logfile from the settings reaches the logging rule


@pytest.mark.parametrize(("header", "immediate", "fires"), [
    ("import sys", "'test' in sys.argv or 'pytest' in sys.modules", False),
    ("import sys", "sys.argv[1:2] == ['test']", False),
    ("import sys\nTESTING = len(sys.argv) > 1 and sys.argv[1] == 'test'", "TESTING", True),  # len() unknown
    ("import sys\nTESTING = sys.argv[1] == 'test'", "TESTING", False),
    ("import os", "'PYTEST_CURRENT_TEST' in os.environ", False),
    ("from sys import argv", "'test' in argv", False),
    ("import sys", "'test' not in sys.argv", True),  # true in every deployed process: immediate mode on
    ("import sys", "'runserver' in sys.argv", True),  # not a test probe: unknown, computed at run time
    ("import os, sys", "'pytest' in sys.modules or os.environ.get('HUEY_IMMEDIATE')", True),
])
def test_immediate_from_a_test_run_probe(tmp_path: Path, header: str, immediate: str, fires: bool) -> None:
    """Field test (jonocodes/stashcast): `'immediate': 'test' in sys.argv or 'pytest' in sys.modules` is
    false in every deployed process (only a test run has the `test` argv word, imports pytest or sets
    PYTEST_CURRENT_TEST), so HL401 stays quiet; `or` is evaluated as Python does, left to right."""
    result = run(tmp_path, {
        "Procfile": "worker: python manage.py run_huey -t 25\n",
        "manage.py": "import os\nimport sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
        "mysite/__init__.py": "",
        "mysite/settings.py": f"{header}\nHUEY = {{\n    'name': 'site',\n    'immediate': {immediate},\n}}\n",
    })
    line = 3 + header.count("\n") + 1
    assert triples(result, "HL401") == ([("HL401", "mysite/settings.py", line)] if fires else [])


@pytest.mark.parametrize(("after", "fires"), [
    ("if DEBUG:\n    HUEY['immediate'] = False\n", False),
    ("if settings.DEBUG:\n    HUEY['immediate'] = False\n", False),
    ("if not DEBUG:\n    pass\nelse:\n    HUEY['immediate'] = False\n", False),
    ("if DEBUG:\n    HUEY.update({'immediate': False})\n", False),
    ("if DEBUG:\n    HUEY['immediate'] = True\n", True),  # immediate mode on with DEBUG: the warning stands
    ("if TESTING:\n    HUEY['immediate'] = False\n", True),  # another condition: DEBUG on still means inline
    ("if DEBUG:\n    HUEY['name'] = 'dev'\n", True),  # another key
])
def test_a_missing_immediate_key_turned_off_under_debug(tmp_path: Path, after: str, fires: bool) -> None:
    """Field test (ananthanandanan/IMS): the `HUEY` dict has no `'immediate'` key but `if DEBUG:` sets it to
    False after it: with DEBUG on it is False, with DEBUG off djhuey's default (DEBUG) is False too."""
    result = run(tmp_path, {
        "Procfile": "worker: python manage.py run_huey -t 25\n",
        "manage.py": "import os\nimport sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
        "mysite/__init__.py": "",
        "mysite/settings.py": "import os\nfrom django.conf import settings\nDEBUG = os.environ.get('DEBUG') == '1'\n"
                              f"TESTING = False\nHUEY = {{\n    'name': 'site',\n}}\n{after}",
    })
    assert triples(result, "HL401") == ([("HL401", "mysite/settings.py", 5)] if fires else [])


def test_django_dev_settings_are_not_judged(tmp_path: Path) -> None:
    result = run(tmp_path, {
        "mysite/settings/dev.py": "HUEY = {'immediate': True}\n",
        "mysite/settings/prod.py": "HUEY = {'immediate': False}\n",
    })
    assert triples(result, "HL401") == []


def test_storage_rules(tmp_path: Path) -> None:
    app = ("import os\nfrom huey import RedisHuey\n\nhuey = RedisHuey('a', host=os.environ['REDIS_HOST'])\n\n\n"
           "@huey.task()\ndef add(a, b):\n    return a + b\n\n\ndef view():\n    add(1, 2)\n")
    result = run(tmp_path, {"huey.service": SERVICE.format(flags="-f"), "my_app/__init__.py": "",
                            "my_app/main.py": app})
    assert triples(result, "HL402") == [("HL402", "my_app/main.py", 4)]
    assert triples(result, "HL404") == [("HL404", "my_app/main.py", 9)]
    used = app.replace("    add(1, 2)", "    return add(1, 2)")
    result = run(tmp_path / "used", {"huey.service": SERVICE.format(flags="-f"), "my_app/__init__.py": "",
                                     "my_app/main.py": used})
    assert triples(result, "HL404") == []


def test_memory_huey_with_separate_consumer(tmp_path: Path) -> None:
    result = run(tmp_path, {"huey.service": SERVICE.format(flags=""), "my_app/__init__.py": "",
                            "my_app/main.py": "from huey import MemoryHuey\nhuey = MemoryHuey('a')\n"})
    assert triples(result, "HL405") == [("HL405", "my_app/main.py", 2)]


_OWN_CONSUMER = ("from huey import {cls}\nfrom huey.consumer import Consumer\n{imports}\n{define}\n"
                 "@huey.task()\ndef job(n):\n    print(n)\n\n\nif __name__ == '__main__':\n"
                 "    Consumer(huey, workers=2).run()\n")


@pytest.mark.parametrize(("files", "expected"), [
    # field test (GetWellClinic/ai-moa): the program makes its MemoryHuey and runs the consumer in-process
    ({"worker.py": _OWN_CONSUMER.format(cls="MemoryHuey", imports="", define="huey = MemoryHuey('a')\n")}, []),
    ({"worker.py": _OWN_CONSUMER.format(cls="BlackHoleHuey", imports="", define="huey = BlackHoleHuey('a')\n")},
     []),
    # the storage made in another module: whoever else imports it enqueues into another process's memory
    ({"worker.py": _OWN_CONSUMER.format(cls="MemoryHuey", imports="from queues import huey", define=""),
      "queues.py": "from huey import MemoryHuey\nhuey = MemoryHuey('a')\n"}, [("HL405", "queues.py", 2)]),
])
def test_memory_huey_with_an_in_process_consumer(tmp_path: Path, files: dict[str, str],
                                                 expected: list[tuple[str, str, int]]) -> None:
    service = ("[Service]\nType=exec\nUser=app\nExecStart=/srv/app/venv/bin/python /srv/app/worker.py\n"
               "KillSignal=SIGINT\nTimeoutStopSec=60\nExecReload=/bin/kill -HUP $MAINPID\nRestart=on-failure\n")
    result = run(tmp_path, {"deploy/worker.service": service, "requirements.txt": "huey==2.5.2\n", **files})
    assert [launch.program for launch in result.project.launches] == ["script"]
    assert triples(result, "HL405") == expected
    # nothing re-enqueued into memory survives the process: no SIGNAL_INTERRUPTED advice for in-memory storage
    assert triples(result, "HL105") == []


def test_interrupted_advice_stays_for_a_persistent_storage_of_its_definitions(tmp_path: Path) -> None:
    """One definition in memory and one in Redis (a try/except): the Redis one may run, so HL105 stays."""
    app = ("import os\nfrom huey import MemoryHuey, RedisHuey\ntry:\n    huey = RedisHuey('a', url=os.environ['U'])\n"
           "except KeyError:\n    huey = MemoryHuey('a')\n")
    result = run(tmp_path, {"huey.service": SERVICE.format(flags=""), "my_app/__init__.py": "",
                            "my_app/main.py": app})
    assert [rule for rule, _, _ in triples(result) if rule in ("HL105", "HL405")] == ["HL105", "HL405"]


def test_gevent_patch_guarded_in_manage_py_is_fine(tmp_path: Path) -> None:
    manage = ("import sys\nif 'run_huey' in sys.argv:\n    from gevent import monkey\n    monkey.patch_all()\n\n"
              "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n")
    result = run(tmp_path, {
        "Procfile": "worker: python manage.py run_huey -g TERM -t 25 -k greenlet\n",
        "manage.py": manage, "mysite/__init__.py": "", "mysite/settings.py": "HUEY = {'immediate': False}\n",
    })
    assert triples(result, "HL601") == []


GREENLET = "[Service]\nExecStart=/srv/app/venv/bin/huey_consumer my_app.jobs.queue.huey -k greenlet -g TERM -t 50\n" \
    "KillSignal=SIGTERM\nTimeoutStopSec=60\n"
QUEUE = "import requests\nfrom huey import RedisHuey\n\nhuey = RedisHuey('a', host='redis')\n"


@pytest.mark.parametrize("package, jobs, expected", [
    # field test mariusandra/frameos: `app/__init__.py` patches (after `from typing import ...`): importing
    # `app.huey` runs it first, so every module the consumer imports is patched
    ("from typing import Optional\n\nfrom gevent import monkey\nmonkey.patch_all()\n\nimport requests\n", "", []),
    ("", "from gevent import monkey\nmonkey.patch_all()\n", []),  # the inner package
    # a package that patches after its own imports: the patch is late, the entry module's finding stays
    ("import requests\nfrom gevent import monkey\nmonkey.patch_all()\n", "", [("HL601", "huey.service", 2)]),
    ("", "", [("HL601", "huey.service", 2)]),  # no patch anywhere
])
def test_gevent_patch_in_a_parent_package_runs_first(tmp_path: Path, package, jobs, expected) -> None:
    result = run(tmp_path, {"huey.service": GREENLET, "my_app/__init__.py": package, "my_app/jobs/__init__.py": jobs,
                            "my_app/jobs/queue.py": QUEUE})
    assert triples(result, "HL601") == expected


def test_syntax_error_in_app_module_is_hl001(tmp_path: Path) -> None:
    result = run(tmp_path, {"my_app/main.py": "from huey import RedisHuey\nhuey = RedisHuey(\n"})
    assert [r for r, _, _ in triples(result)] == ["HL001"]


def test_huey_1x_pin_gets_no_rules_about_later_features(tmp_path):
    """Field test (an old Heroku app pinning huey<1.3): no graceful signal (1.4), `immediate` (2.0) or
    SignedSerializer (2.1.1) existed, so HL401 and HL402 have nothing to say, and HL101 no stop setting to change:
    it says that this huey has no graceful shutdown at all and to upgrade (field test
    Leeps-Lab/high_frequency_trading: every stop of a huey 1.2 consumer interrupts its running tasks)."""
    write_tree(tmp_path, {
        "requirements.txt": "huey>=1.2.0,<1.3.0\n",
        "Procfile": "web: gunicorn site.wsgi\nworker: python manage.py run_huey\n",
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
        "proj/__init__.py": "",
        "proj/settings.py": "import os\nHUEY = {'name': 'x', 'connection': {'host': os.environ['REDIS_HOST']}}\n",
    })
    findings = lint(tmp_path).findings
    assert not {f.rule for f in findings} & {"HL401", "HL402"}
    [stop] = [f.message for f in findings if f.rule == "HL101"]
    assert "has no graceful shutdown" in stop and "Fix: upgrade huey to 1.4 or later" in stop
    (tmp_path / "requirements.txt").write_text("huey==2.5.2\n")
    assert {"HL101", "HL401", "HL402"} <= {f.rule for f in lint(tmp_path).findings}


# -- HL402: storage reached by service name, hosts from the launch's environment ----------------------

COMPOSE = ("services:\n  redis:\n    image: redis:7\n  worker:\n    build: .\n"
           "    command: huey_consumer my_app.main.huey -g TERM -t 25\n    stop_grace_period: 30s\n{env}")
DOCKERFILE = "FROM python:3.12\nWORKDIR /app\nCOPY . /app\n"


def _storage_app(host: str) -> str:
    return f"import os\nfrom huey import RedisHuey\n\nhuey = RedisHuey('a', {host})\n"


def _hl402(result) -> list[str]:
    return [f.message for f in result.findings if f.rule == "HL402"]


def test_hl402_literal_compose_service_host_is_network_storage(tmp_path: Path) -> None:
    result = run(tmp_path, {"docker-compose.yml": COMPOSE.format(env=""), "Dockerfile": DOCKERFILE,
                            "my_app/__init__.py": "", "my_app/main.py": _storage_app("host='redis'")})
    assert triples(result, "HL402") == [("HL402", "my_app/main.py", 4)]
    assert "`host` points at `redis`, the compose service `redis`" in _hl402(result)[0]


def test_hl402_loopback_literal_stays_silent(tmp_path: Path) -> None:
    for index, host in enumerate(("host='localhost'", "host='127.0.0.1'", "url='redis://[::1]:6379/0'",
                                  "url='unix:///run/redis.sock'", "")):
        result = run(tmp_path / str(index), {"docker-compose.yml": COMPOSE.format(env=""), "Dockerfile": DOCKERFILE,
                                             "my_app/__init__.py": "", "my_app/main.py": _storage_app(host)})
        assert triples(result, "HL402") == [], host


def test_hl402_kubernetes_service_name(tmp_path: Path) -> None:
    manifest = ("apiVersion: v1\nkind: Service\nmetadata:\n  name: redis\nspec:\n  ports:\n    - port: 6379\n---\n"
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n  template:\n    spec:\n"
                "      terminationGracePeriodSeconds: 60\n      containers:\n        - name: worker\n"
                "          image: app\n          command: [huey_consumer, my_app.main.huey, -g, TERM, -t, 50]\n")
    result = run(tmp_path, {"k8s/app.yaml": manifest, "my_app/__init__.py": "",
                            "my_app/main.py": _storage_app("url='redis://redis.default.svc.cluster.local:6379/0'")})
    assert triples(result, "HL402") == [("HL402", "my_app/main.py", 4)]
    assert "the Kubernetes Service `redis` (k8s/app.yaml:1)" in _hl402(result)[0]


def test_hl402_host_from_environment_resolved_by_the_launch(tmp_path: Path) -> None:
    files = {"Dockerfile": DOCKERFILE, "my_app/__init__.py": "",
             "my_app/main.py": _storage_app("url=os.environ['REDIS_URL']")}
    unset = run(tmp_path / "unset", {**files, "docker-compose.yml": COMPOSE.format(env="")})
    assert "comes from environment variable `REDIS_URL`" in _hl402(unset)[0]
    service = run(tmp_path / "service", {**files, "docker-compose.yml": COMPOSE.format(
        env="    environment:\n      REDIS_URL: redis://redis:6379/0\n")})
    assert triples(service, "HL402") == [("HL402", "my_app/main.py", 4)]
    assert "set to host `redis` (docker-compose.yml:9), the compose service `redis`" in _hl402(service)[0]
    local = run(tmp_path / "local", {**files, "docker-compose.yml": COMPOSE.format(
        env="    environment:\n      - REDIS_URL=redis://localhost:6379/0\n")})
    assert triples(local, "HL402") == []  # every launch talks to a Redis on its own loopback


# -- HL404: call sites in modules that never mention huey ------------------------------------------------

HL404_TREE = {
    "Procfile": "worker: python manage.py run_huey -g TERM -t 25 -f\n",
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
    "proj/__init__.py": "",
    "proj/settings.py": "INSTALLED_APPS = ['django.contrib.auth', 'shop.apps.ShopConfig']\n"
                        "HUEY = {'immediate': False, 'connection': {'host': 'localhost'}}\n",
    "shop/__init__.py": "",
    "shop/apps.py": "from django.apps import AppConfig\n\n\nclass ShopConfig(AppConfig):\n    name = 'shop'\n",
    "shop/tasks.py": "from huey.contrib.djhuey import db_task\nfrom huey.signals import SIGNAL_INTERRUPTED\n"
                     "from huey.contrib.djhuey import signal\n\n\n@signal(SIGNAL_INTERRUPTED)\n"
                     "def requeue(sig, task, *a, **k):\n    pass\n\n\n"
                     "@db_task()\ndef send_receipt(order_id):\n    return {'sent': order_id}\n",
}


def _hl404(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int]]:
    return triples(run(tmp_path, {**HL404_TREE, **files}), "HL404")


def test_hl404_call_site_in_views_matched_by_import_path(tmp_path: Path) -> None:
    views = "from django.http import HttpResponse\n\nfrom .tasks import send_receipt\n\n\n" \
            "def checkout(request):\n    send_receipt(1)\n    return HttpResponse('ok')\n"
    assert _hl404(tmp_path / "relative", {"shop/views.py": views}) == [("HL404", "shop/tasks.py", 13)]
    module = views.replace("from .tasks import send_receipt", "from shop import tasks") \
        .replace("    send_receipt(1)", "    tasks.send_receipt.schedule((1,), delay=5)")
    assert _hl404(tmp_path / "module", {"shop/views.py": module}) == [("HL404", "shop/tasks.py", 13)]
    used = views.replace("    send_receipt(1)", "    result = send_receipt(1)\n    result.get(blocking=True)")
    assert _hl404(tmp_path / "used", {"shop/views.py": used}) == []
    unread = views.replace("    send_receipt(1)", "    result = send_receipt(1)")  # bound, never read
    assert _hl404(tmp_path / "unread", {"shop/views.py": unread}) == [("HL404", "shop/tasks.py", 13)]


def test_hl404_silent_without_any_call_site(tmp_path: Path) -> None:
    """The task may be enqueued by name, through a pipeline, or from a shell: no site, no claim."""
    assert _hl404(tmp_path, {}) == []


def test_hl404_same_name_elsewhere_is_not_the_task(tmp_path: Path) -> None:
    other = "def send_receipt(order_id):\n    return order_id\n"
    dropped_other = "from mail.utils import send_receipt\n\n\ndef hook():\n    send_receipt(1)\n"
    assert _hl404(tmp_path / "other", {"mail/__init__.py": "", "mail/utils.py": other,
                                       "shop/hooks.py": dropped_other}) == []
    # the task's result dropped, but a same-named call that cannot be tied to it reads its result: silent
    views = "from .tasks import send_receipt\n\n\ndef checkout(request):\n    send_receipt(1)\n"
    reexport = ("from billing import tasks as billing_tasks  # noqa\nfrom shop import send_receipt\n\n\n"
                "def report():\n    return send_receipt(2)\n")
    assert _hl404(tmp_path / "namesake", {"shop/views.py": views, "reports/__init__.py": "",
                                          "reports/jobs.py": reexport,
                                          "shop/__init__.py": "from .tasks import send_receipt  # noqa\n"}) == []


def test_hl401_warns_when_only_an_untracked_local_module_turns_immediate_off(tmp_path):
    """Decided: committed settings that turn immediate mode on, which only a git-ignored override (or a
    template of it) turns off, are a warning naming the override the deployment depends on."""
    import subprocess

    from tests.helpers import lint, write_tree

    base = ("HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': True}\n"
            "try:\n    from .local import *  # noqa\nexcept ImportError:\n    pass\n")
    write_tree(tmp_path, {"proj/__init__.py": "", "proj/settings/__init__.py": "",
                          "proj/settings/base.py": base, ".gitignore": "proj/settings/local.py\n",
                          "proj/settings/local.py": "HUEY = {'immediate': False}\n",
                          "proj/settings/local.py.example": "HUEY = {'immediate': False}\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    found = [f for f in lint(tmp_path).findings if f.rule == "HL401"]
    assert [(f.loc.path, f.loc.line, f.severity) for f in found] == [("proj/settings/base.py", 1, Severity.WARNING)]
    assert "only `proj.settings.local`, a module that is not in the repository" in found[0].message
    assert "(`proj/settings/local.py.example` is only a template: nothing imports it)" in found[0].message
    (tmp_path / "proj/settings/base.py").write_text(base.split("try:")[0])
    found = [f for f in lint(tmp_path).findings if f.rule == "HL401"]
    assert [(f.loc.path, f.loc.line, f.severity) for f in found] == [("proj/settings/base.py", 1, Severity.ERROR)]
    # the override imported before the setting cannot change it: the committed True is what runs
    (tmp_path / "proj/settings/base.py").write_text("from .local import *  # noqa\n" + base.split("try:")[0])
    found = [f for f in lint(tmp_path).findings if f.rule == "HL401"]
    assert [(f.loc.line, f.severity) for f in found] == [(2, Severity.ERROR)]
    # field test (karrot-dev/karrot-backend): the committed settings turn it on only in one branch of an
    # environment test and off in the other; the untracked override is not what turns it off
    conditional = ("import os\nif os.environ.get('INLINE_TASKS') == 'yes':\n    HUEY = {'immediate': True}\nelse:\n"
                   "    HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': False}\n" + base[base.index("try:"):])
    (tmp_path / "proj/settings/base.py").write_text(conditional)
    assert [f for f in lint(tmp_path).findings if f.rule == "HL401"] == []


@pytest.mark.parametrize(("package_init", "expected"), [
    # field test (OneSila/OneSilaHeadless): the settings package inherits HUEY, then star-imports an untracked module
    ("from .base import *  # noqa\ntry:\n    from .local import *  # noqa\nexcept ImportError:\n    pass\n",
     [("proj/settings/base.py", 1, Severity.WARNING)]),
    ("from .base import *  # noqa\nfrom .local import *  # noqa\n", [("proj/settings/base.py", 1, Severity.WARNING)]),
    # through a second committed module: the warning stays at the module that holds the setting
    ("from .common import *  # noqa\nfrom .local import *  # noqa\n", [("proj/settings/base.py", 1, Severity.WARNING)]),
    # imported before the inherited setting, the untracked module cannot change it: the committed True runs
    ("from .local import *  # noqa\nfrom .base import *  # noqa\n", [("proj/settings/base.py", 1, Severity.ERROR)]),
    # the package turns it off itself after both imports: the committed override is what runs
    ("from .base import *  # noqa\nfrom .local import *  # noqa\nHUEY['immediate'] = False\n", []),
    # the package replaces HUEY after the untracked import: its own dict is judged, not the base's
    ("from .base import *  # noqa\nfrom .local import *  # noqa\nHUEY = {'immediate': False}\n", []),
    # a module of another package is no untracked override of these settings
    ("from .base import *  # noqa\nfrom vendor_settings import *  # noqa\n", [("proj/settings/base.py", 1, Severity.ERROR)]),
])
def test_hl401_inherited_setting_and_an_untracked_override(tmp_path, package_init, expected):
    import subprocess

    from tests.helpers import lint, write_tree

    write_tree(tmp_path, {"manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
                          "proj/__init__.py": "", "proj/settings/__init__.py": package_init,
                          "proj/settings/base.py": "HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': True}\n",
                          "proj/settings/common.py": "from .base import *  # noqa\nDEBUG = False\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    found = [f for f in lint(tmp_path).findings if f.rule == "HL401"]
    assert [(f.loc.path, f.loc.line, f.severity) for f in found] == expected
    if expected and expected[0][2] == Severity.WARNING:
        assert "only `proj.settings.local`, a module that is not in the repository" in found[0].message


def test_hl401_names_the_untracked_module_as_the_project_imports_it(tmp_path):
    """Field test (OneSila/OneSilaHeadless): the Django project sits in a folder of the repository (with
    manage.py, no __init__.py): the override is `proj.settings.local`, not `backend.proj.settings.local`."""
    write_tree(tmp_path, {"backend/manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
                          "backend/proj/__init__.py": "",
                          "backend/proj/settings/__init__.py": "from .base import *  # noqa\ntry:\n"
                                                               "    from .local import *  # noqa\nexcept ImportError:\n    pass\n",
                          "backend/proj/settings/base.py": "HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': True}\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    [found] = [f for f in lint(tmp_path).findings if f.rule == "HL401"]
    assert "only `proj.settings.local`, a module that is not in the repository" in found.message


BASE_SETTINGS = ("import os\nINSTALLED_APPS = ['huey.contrib.djhuey']\n"
                 "HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': %s, 'url': os.environ['REDIS_URL']}\n")


@pytest.mark.parametrize(("default", "files", "expected"), [
    # field test (gip-inclusion/les-emplois): manage.py names development settings, the test settings turn
    # immediate mode on over the base: the base is what a production consumer started elsewhere runs
    ("proj.settings.dev", {"proj/settings/test.py": "from .base import *\nHUEY['immediate'] = True\n",
                           "proj/settings/dev.py": "from .test import *\nDEBUG = True\n"},
     [("HL402", "proj/settings/base.py", 3)]),
    ("proj.settings.local", {"proj/settings/local.py": "from .base import *\nHUEY['immediate'] = True\n"},
     [("HL402", "proj/settings/base.py", 3)]),
    # a production module that overrides the base is what runs: it is judged, not the base
    ("proj.settings.dev", {"proj/settings/dev.py": "from .base import *\nHUEY['immediate'] = True\n",
                           "proj/settings/production.py": "from .base import *\nHUEY['immediate'] = False\n"},
     [("HL402", "proj/settings/base.py", 3)]),
    # manage.py naming production settings: unchanged
    ("proj.settings.base", {"proj/settings/test.py": "from .base import *\nHUEY['immediate'] = True\n"},
     [("HL402", "proj/settings/base.py", 3)]),
])
def test_settings_judged_without_a_launch_are_not_the_development_ones(tmp_path, default, files, expected):
    write_tree(tmp_path, {"manage.py": f"import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '{default}')\n",
                          "proj/__init__.py": "", "proj/settings/__init__.py": "",
                          "proj/settings/base.py": BASE_SETTINGS % "False", **files})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert [t for t in triples(lint(tmp_path)) if t[0] in ("HL401", "HL402")] == expected


def test_test_settings_do_not_hide_the_base_immediate_mode(tmp_path):
    """The base's committed `immediate: True` is what production runs when only test settings override it."""
    write_tree(tmp_path, {"manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings.base')\n",
                          "proj/__init__.py": "", "proj/settings/__init__.py": "",
                          "proj/settings/base.py": BASE_SETTINGS % "True",
                          "proj/settings/test.py": "from .base import *\nHUEY['immediate'] = True\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert triples(lint(tmp_path), "HL401") == [("HL401", "proj/settings/base.py", 3)]


def test_hl401_judges_the_production_module_that_overrides_the_base(tmp_path):
    import subprocess

    from tests.helpers import lint, triples, write_tree

    write_tree(tmp_path, {
        "proj/__init__.py": "", "proj/settings/__init__.py": "",
        "proj/settings/base.py": "HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': True}\n",
        "proj/settings/production.py": "from .base import *  # noqa\nHUEY['immediate'] = False\n",
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert triples(lint(tmp_path), "HL401") == []
    # an update that leaves `immediate` alone does not override it: the base's True still runs
    (tmp_path / "proj/settings/production.py").write_text("from .base import *  # noqa\nHUEY['name'] = 'prod'\n")
    assert triples(lint(tmp_path), "HL401") == [("HL401", "proj/settings/base.py", 1)]


def test_bootstrap_manage_py_is_not_the_greenlet_entry(tmp_path: Path) -> None:
    """Field test (django-huey-monitor): a ``manage.py`` that runs the real entry point in a subprocess is
    not the module the consumer starts from, so HL601 cannot say it lacks the gevent patch."""
    files = {
        "Procfile": "worker: python manage.py run_huey -g TERM -t 25 -k greenlet -w 8\n",
        "mysite/__init__.py": "",
        "mysite/settings.py": "HUEY = {'immediate': False, 'huey_class': 'huey.SqliteHuey'}\n",
    }
    django = "import os\nimport sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n" \
             "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n"
    bootstrap = "import subprocess\nimport sys\nsubprocess.check_call(['.venv/bin/mysite', *sys.argv[1:]])\n"
    assert triples(run(tmp_path / "django", {**files, "manage.py": django}), "HL601") == [("HL601", "Procfile", 1)]
    assert triples(run(tmp_path / "bootstrap", {**files, "manage.py": bootstrap}), "HL601") == []


def test_lock_messages_and_flags_for_every_form_of_lock_name(tmp_path: Path) -> None:
    tasks = ("from .main import huey\nLOCK = 'nightly'\n\n\n@huey.task()\ndef backup(dataset):\n"
             "    with huey.lock_task('db'):\n        pass\n    with huey.lock_task(dataset):\n        pass\n"
             "    with huey.lock_task(f'import-{dataset}'):\n        pass\n\n\n"
             "@huey.task()\n@huey.lock_task(LOCK)\ndef nightly():\n    pass\n")
    files = {"my_app/__init__.py": "", "my_app/main.py": APP + "\nfrom . import tasks\n", "my_app/tasks.py": tasks}
    no_flush = run(tmp_path / "a", {**files, "huey.service": SERVICE.format(flags="")})
    messages = {(f.rule, f.loc.line): f.message for f in no_flush.findings if f.rule in ("HL303", "HL304")}
    assert sorted(messages) == [("HL303", 7), ("HL303", 16), ("HL304", 9), ("HL304", 11)]
    assert messages[("HL303", 7)].startswith("`lock_task('db')` has no `ttl=`")
    assert "Fix: start the consumer with `-L db` (it implies `-f`)" in messages[("HL303", 7)]
    assert messages[("HL303", 16)].startswith("`lock_task(LOCK)` has no `ttl=`")
    assert "start the consumer with `-f` or give it `ttl=`" in messages[("HL303", 16)]
    assert messages[("HL304", 9)].startswith("`lock_task(dataset)` takes a lock whose name is computed at run time")
    assert "`-L` cannot list this one" in messages[("HL304", 9)] and "`@huey.on_startup()`" in messages[("HL304", 9)]
    assert messages[("HL304", 11)].startswith("`lock_task(f'import-{dataset}')` takes a lock whose name is computed")
    # `-L other` implies -f: the decorator lock is flushed, the `db` context lock is not
    other = run(tmp_path / "b", {**files, "huey.service": SERVICE.format(flags="-L other")})
    assert triples(other, "HL303") == []
    assert triples(other, "HL304") == [("HL304", "my_app/tasks.py", 7), ("HL304", "my_app/tasks.py", 9),
                                       ("HL304", "my_app/tasks.py", 11)]
    ttl = run(tmp_path / "c", {**files, "my_app/tasks.py": tasks.replace("lock_task(dataset)",
                                                                         "lock_task(dataset, ttl=3600)"),
                               "huey.service": SERVICE.format(flags="-f -L db")})
    assert triples(ttl, "HL304") == [("HL304", "my_app/tasks.py", 11)]


def test_django_huey_items_belong_to_their_queue(tmp_path: Path) -> None:
    settings = ("INSTALLED_APPS = ['django_huey', 'portal']\nDJANGO_HUEY = {'default': 'main', 'queues': {\n"
                "    'main': {'huey_class': 'huey.RedisHuey', 'immediate': False},\n"
                "    'bulk': {'huey_class': 'huey.RedisHuey', 'immediate': False},\n"
                "    'mail': {'huey_class': 'huey.RedisHuey', 'immediate': False},\n}}\n")
    tasks = ("from django_huey import db_periodic_task, get_queue, lock_task, periodic_task, task\n"
             "from huey import crontab\nbulk = get_queue('bulk')\n\n\n"
             "@bulk.periodic_task(crontab(minute='0'))\ndef hourly():\n    pass\n\n\n"
             "@task(queue='mail')\n@lock_task('send', 'mail')\ndef send():\n    pass\n\n\n"
             "@task()\ndef main_job():\n    with lock_task('main-lock'):\n        pass\n    with bulk.lock_task('b'):\n"
             "        pass\n")
    procfile = ("main: python manage.py djangohuey --queue main -n -t 25\n"
                "bulk: python manage.py djangohuey --queue bulk -n -f -t 25\n"
                "mail: python manage.py djangohuey --queue mail -t 25\n")
    result = run(tmp_path, {"Procfile": procfile, "manage.py": "", "portal/__init__.py": "",
                            "portal/settings.py": settings, "portal/tasks.py": tasks})
    assert triples(result, "HL302") == [("HL302", "Procfile", 2)]  # only bulk declares a periodic task
    hl303 = [(f.loc.line, f.message.split("(Procfile:")[1][:1]) for f in result.findings if f.rule == "HL303"]
    assert sorted(hl303) == [(12, "3"), (19, "1")]  # `send` is mail's lock, `main-lock` main's
    assert triples(result, "HL304") == [("HL304", "portal/tasks.py", 21)]  # bulk's consumer has -f, not -L b


def test_django_huey_queue_named_by_a_run_time_value_runs_one_of_the_queues(tmp_path: Path) -> None:
    """Field test (a Helm ``range`` over the queues, a compose variable): ``djangohuey --queue ${QUEUE}`` runs one of
    the queues of DJANGO_HUEY, not the default one. Before, the unexpanded word was taken for the queue's name, no
    queue had it, and every consumer option became unknown as if the settings were built by code: no HL101 where no
    queue changes huey's SIGINT. A consumer option no queue sets is huey's default, one every queue sets alike is
    that value, one they set differently stays unknown."""
    settings = ("INSTALLED_APPS = ['django_huey', 'portal']\nDJANGO_HUEY = {'default': 'main', 'queues': {\n"
                "    'main': {'huey_class': 'huey.RedisHuey', 'immediate': False, 'consumer': {'workers': 2}},\n"
                "    'mail': {'huey_class': 'huey.RedisHuey', 'immediate': False,\n"
                "             'consumer': {'workers': {workers}, 'periodic': False}},\n}}}}\n")
    compose = ("services:\n  worker:\n    image: registry.example.com/portal:1\n    restart: always\n"
               "    stop_grace_period: 60s\n    command: python manage.py djangohuey --queue ${QUEUE}\n")
    files = {"docker-compose.yml": compose, "manage.py": "", "portal/__init__.py": "",
             "requirements.txt": "huey==2.5.3\n"}
    for workers, known in ((2, True), (4, False)):
        root = tmp_path / str(workers)
        result = run(root, {**files, "portal/settings.py": settings.replace("{workers}", str(workers))
                            .replace("}}}}", "}}")})
        assert triples(result, "HL101") == [("HL101", "docker-compose.yml", 2)]
        _ws, project, _ = build_project([root], Settings(root=root))
        [launch] = project.launches
        assert launch.consumer.queue is not None and not launch.consumer.queue.known
        assert launch.options["workers"].known is known and (not known or launch.options["workers"].value == 2)
        assert not launch.options["periodic"].known  # main leaves it True, mail sets False
        assert "--queue` names a queue not known here" in launch.options["periodic"].unknown
        assert launch.options.get("worker_type") is None  # no queue sets it: huey's default
        assert launch.consumer.settings_incomplete is None


def test_hl401_instance_immediate_bound_to_debug_or_environment(tmp_path: Path) -> None:
    main = ("import os\nfrom django.conf import settings\nfrom huey import RedisHuey\n\n"
            "huey = RedisHuey('a', immediate={value})\n")
    files = {"huey.service": SERVICE.format(flags="-f"), "my_app/__init__.py": ""}
    for index, (value, words) in enumerate([
            ("os.environ.get('HUEY_IMMEDIATE') == '1'", "read from environment variable `HUEY_IMMEDIATE` and false "
                                                        "while it is unset (no default: `None`)"),
            ("settings.DEBUG", "bound to DEBUG"), ("False", None), ("compute()", None)]):
        result = run(tmp_path / str(index), {**files, "my_app/main.py": main.format(value=value)})
        found = [(f.loc.line, f.severity, f.message) for f in result.findings if f.rule == "HL401"]
        if words is None:
            assert found == []
        else:
            assert [(line, severity) for line, severity, _ in found] == [(5, Severity.WARNING)]
            assert found[0][2].startswith(f"`RedisHuey(immediate=...)` is {words}: with a true value")
    # a library without a launch is not judged on this (its users choose the value)
    result = run(tmp_path / "lib", {"my_app/__init__.py": "", "my_app/main.py": main.format(value="settings.DEBUG")})
    assert triples(result, "HL401") == []


def test_django_settings_without_a_launch_get_the_launch_free_rules(tmp_path: Path) -> None:
    huey = ("import os\nINSTALLED_APPS = ['huey.contrib.djhuey', 'shop']\n"
            "HUEY = {'huey_class': 'huey.RedisHuey', 'url': os.environ['REDIS_URL']}\n")
    tasks = "from huey.contrib.djhuey import task\n\n\n@task()\ndef add(a, b):\n    return a + b\n\n\ndef view():\n" \
            "    add(1, 2)\n"
    result = run(tmp_path / "djhuey", {"shop/__init__.py": "", "shop/settings.py": huey, "shop/tasks.py": tasks})
    found = sorted((f.rule, f.loc.path, f.loc.line, f.severity) for f in result.findings)
    assert found == [("HL401", "shop/settings.py", 3, Severity.WARNING), ("HL402", "shop/settings.py", 3, Severity.WARNING),
                     ("HL404", "shop/tasks.py", 6, Severity.WARNING)]
    # django-huey: each queue is judged
    queues = ("INSTALLED_APPS = ['django_huey']\nDJANGO_HUEY = {'default': 'a', 'queues': {\n"
              "    'a': {'huey_class': 'huey.RedisHuey', 'immediate': False, 'connection': {'host': 'redis'}},\n"
              "    'b': {'huey_class': 'huey.RedisHuey', 'immediate': False},\n}}\n")
    result = run(tmp_path / "queues", {"shop/__init__.py": "", "shop/settings.py": queues})
    assert triples(result) == [("HL402", "shop/settings.py", 3)]
    # neither djhuey nor django-huey installed: the HUEY setting is not read by anything
    result = run(tmp_path / "none", {"shop/__init__.py": "",
                                     "shop/settings.py": huey.replace("'huey.contrib.djhuey', ", "")})
    assert triples(result) == []
    # split settings: the production module is judged, the development one is not
    split = {"shop/__init__.py": "", "shop/settings/__init__.py": "",
             "shop/settings/base.py": huey.replace("os.environ['REDIS_URL']", "'redis://localhost'")
                                         + "HUEY['immediate'] = False\n",
             "shop/settings/dev.py": "from .base import *  # noqa\nHUEY['immediate'] = DEBUG\n",
             "shop/settings/production.py": "from .base import *  # noqa\nimport os\n"
                                            "HUEY['url'] = os.environ['REDIS_URL']\n"}
    result = run(tmp_path / "split", split)
    assert triples(result) == [("HL402", "shop/settings/base.py", 3)]


def test_every_branch_defining_the_instance_is_judged(tmp_path: Path) -> None:
    compose = ("services:\n  worker:\n    image: app\n    restart: always\n    stop_signal: SIGINT\n"
               "    stop_grace_period: 60s\n    command: [\"huey_consumer\", \"app.queue.huey\", \"-t\", \"30\"]\n")
    head = "import os\nfrom django.conf import settings\nfrom huey import MemoryHuey, RedisHuey, SqliteHuey\n"
    cases = {
        # production in the else of a DEBUG test: judged; the DEBUG branch's MemoryHuey is development
        "if settings.DEBUG:\n    huey = MemoryHuey('a')\nelse:\n    huey = RedisHuey('a', host=os.environ['H'])\n":
            [("HL402", 7, "when `settings.DEBUG` does not hold (the production-looking definition), ")],
        # swapped: the same finding at the if branch
        "if not settings.DEBUG:\n    huey = RedisHuey('a', host=os.environ['H'])\nelse:\n    huey = MemoryHuey('a')\n":
            [("HL402", 5, "when `not settings.DEBUG` holds (the production-looking definition), ")],
        # try/except: neither looks like development, both are judged
        "try:\n    huey = RedisHuey('a', host=os.environ['H'])\nexcept KeyError:\n    huey = MemoryHuey('a')\n":
            [("HL402", 5, "when the module's `try` block succeeds (one of the app's definitions), "),
             ("HL405", 7, "when the module's `try` fails (`except KeyError`) (one of the app's definitions), ")],
        # an elif chain: the final else runs only when the production test failed
        "if os.getenv('ENV') == 'production':\n    huey = RedisHuey('a', host='redis', immediate=True)\n"
        "elif os.getenv('CI'):\n    huey = MemoryHuey('a')\nelse:\n    huey = MemoryHuey('a', immediate=True)\n":
            [("HL401", 5, "when `os.getenv('ENV') == 'production'` holds (the production-looking definition), "),
             ("HL402", 5, "when `os.getenv('ENV') == 'production'` holds (the production-looking definition), ")],
        # an unconditional instance later wins: the branches before it are not the app's
        "if settings.DEBUG:\n    huey = MemoryHuey('a')\nhuey = RedisHuey('a', host='redis')\n":
            [("HL402", 6, "the huey storage")],
    }
    for index, (body, expected) in enumerate(cases.items()):
        result = run(tmp_path / str(index), {"compose.yaml": compose, "app/__init__.py": "",
                                             "app/queue.py": head + body})
        found = sorted((f.rule, f.loc.line, f.message, f.severity) for f in result.findings
                       if f.rule in ("HL401", "HL402", "HL405"))
        assert [(rule, line) for rule, line, _, _ in found] == [(rule, line) for rule, line, _ in expected], body
        for (rule, _, message, severity), (_, _, start) in zip(found, expected):
            assert message.startswith(start), message
            if rule == "HL401":  # an error when unconditional: a branch's value is a warning
                assert severity == Severity.WARNING


def test_hl406_producer_of_the_same_image_without_the_consumer_volume(tmp_path: Path) -> None:
    main = "from huey import SqliteHuey\n\nhuey = SqliteHuey('a', filename='/data/huey.db')\n"
    worker = ("  worker:\n    {image}\n    restart: always\n    stop_signal: SIGINT\n    stop_grace_period: 60s\n"
              "    command: [\"huey_consumer\", \"my_app.main.huey\", \"-t\", \"30\"]\n{volume}")
    web = "  web:\n    {image}\n    command: [\"gunicorn\", \"my_app.wsgi\"]\n{volume}"
    volume = "    volumes:\n      - hueydata:/data\n"
    cases = [  # (web image, web volume, worker image, worker volume) -> finding
        ("build: .", "", "build: .", volume, True),
        ("build: .", "", "build: .", "", True),  # neither has one: two private files
        ("build: .", volume, "build: .", volume, False),
        ("image: nginx:1.27", "", "build: .", volume, False),  # not the app's image
        ("image: shop:1", "", "image: shop:1", volume, True),
        ("build:\n      context: .\n      dockerfile: Dockerfile.web", "", "build: .", volume, False),
    ]
    for index, (web_image, web_volume, worker_image, worker_volume, fires) in enumerate(cases):
        compose = "services:\n" + web.format(image=web_image, volume=web_volume) + \
            worker.format(image=worker_image, volume=worker_volume) + "volumes:\n  hueydata:\n"
        result = run(tmp_path / str(index), {"compose.yaml": compose, "Dockerfile": "FROM python:3.13-slim\n",
                                             "Dockerfile.web": "FROM python:3.13-slim\n",
                                             "my_app/__init__.py": "", "my_app/main.py": main})
        found = [f for f in result.findings if f.rule == "HL406"]
        assert [(f.loc.path, f.loc.line) for f in found] == ([("my_app/main.py", 3)] if fires else []), compose
        if fires:
            assert "service `web` runs the same image as compose `worker`" in found[0].message


def test_every_branch_defining_django_huey_settings_counts(tmp_path: Path) -> None:
    procfile = "worker: python manage.py run_huey -t 25\n"
    head = "import os\nINSTALLED_APPS = ['huey.contrib.djhuey']\nDEBUG = False\n"
    prod = "{'huey_class': 'huey.RedisHuey', 'immediate': False, 'url': os.environ['REDIS_URL']}"
    cases = {
        f"if DEBUG:\n    HUEY = {{'immediate': True}}\nelse:\n    HUEY = {prod}\n":
            [("HL402", 7, "when `DEBUG` does not hold (the production-looking definition), ", Severity.WARNING)],
        f"if os.environ.get('ENV') == 'production':\n    HUEY = {{'immediate': True}}\nelse:\n    HUEY = {prod}\n":
            [("HL401", 5, "when `os.environ.get('ENV') == 'production'` holds (the production-looking definition), ",
              Severity.WARNING)],
        f"HUEY = {prod}\nif DEBUG:\n    HUEY = {{'immediate': True}}\n":
            [("HL402", 4, "the huey storage", Severity.WARNING)],
    }
    for index, (body, expected) in enumerate(cases.items()):
        result = run(tmp_path / str(index), {"Procfile": procfile, "manage.py": "", "shop/__init__.py": "",
                                             "shop/settings.py": head + body})
        found = sorted((f.rule, f.loc.line, f.message, f.severity) for f in result.findings
                       if f.rule in ("HL401", "HL402"))
        assert [(rule, line, severity) for rule, line, _, severity in found] == \
            [(rule, line, severity) for rule, line, _, severity in expected], body
        for (_, _, message, _), (_, _, start, _) in zip(found, expected):
            assert message.startswith(start), message


def test_app_path_followed_through_a_module_attribute(tmp_path: Path) -> None:
    queue = "import os\nfrom huey import RedisHuey\n\nHUEY = RedisHuey('p', host=os.environ['REDIS_HOST'])\n"
    for index, main in enumerate(["from proj import queue\nhuey = queue.HUEY\n",
                                  "import proj.queue\nhuey = proj.queue.HUEY\n",
                                  "from proj.queue import HUEY\nhuey = HUEY\n"]):
        result = run(tmp_path / str(index), {"huey.service": SERVICE.replace("my_app.main.huey", "proj.main.huey")
                                             .format(flags="-f"), "proj/__init__.py": "", "proj/queue.py": queue,
                                             "proj/main.py": main})
        assert triples(result, "HL402") == [("HL402", "proj/queue.py", 4)], main


def test_hl401_immediate_attribute_assignments(tmp_path: Path) -> None:
    main = ("import os\nfrom django.conf import settings\nfrom huey import RedisHuey\n\nhuey = RedisHuey('a')\n{body}")
    files = {"huey.service": SERVICE.format(flags="-f"), "my_app/__init__.py": ""}
    cases = {
        "huey.immediate = True\n": [(6, Severity.ERROR)],
        "if settings.DEBUG:\n    huey.immediate = True\n": [],  # development
        "if os.getenv('ENV') == 'production':\n    huey.immediate = True\n": [(7, Severity.WARNING)],
        "huey.immediate = os.environ.get('EAGER') == '1'\n": [(6, Severity.WARNING)],
        "huey.immediate = settings.DEBUG\n": [(6, Severity.WARNING)],
        "def eager():\n    huey.immediate = settings.DEBUG\n": [],  # a function nobody is known to call
        "huey.immediate = False\n": [],
        "def eager():\n    huey.immediate = True\n": [(7, Severity.ERROR)],  # the app's code may call it
        # field test (Southseast/SkyRadar): a smoke-test script switches its own process to inline tasks
        "def smoke():\n    huey.immediate = True\n\n\nif __name__ == '__main__':\n    smoke()\n": [],
        "def smoke():\n    huey.immediate = True\n\n\nif '__main__' == __name__:\n    smoke()\n": [],
        # at the script's top level it runs whenever the module is imported (by the consumer, here)
        "huey.immediate = True\n\nif __name__ == '__main__':\n    pass\n": [(6, Severity.ERROR)],
        "def smoke():\n    huey.immediate = True\n\n\nif __name__ != '__main__':\n    smoke()\n": [(7, Severity.ERROR)],
    }
    for index, (body, expected) in enumerate(cases.items()):
        result = run(tmp_path / str(index), {**files, "my_app/main.py": main.format(body=body)})
        found = [(f.loc.line, f.severity) for f in result.findings if f.rule == "HL401"]
        assert found == expected, body


def test_django_settings_updates_in_a_debug_branch_are_development(tmp_path: Path) -> None:
    base = ("INSTALLED_APPS = ['huey.contrib.djhuey']\nDEBUG = False\n"
            "HUEY = {'huey_class': 'huey.RedisHuey', 'immediate': False}\n{update}")
    files = {"Procfile": "worker: python manage.py run_huey -t 25\n", "manage.py": "", "shop/__init__.py": ""}
    for index, (update, expected) in enumerate([
            ("if DEBUG:\n    HUEY['immediate'] = True\n", []),
            ("if DEBUG:\n    HUEY.update({'immediate': True})\n", []),
            ("HUEY['immediate'] = True\n", [("HL401", "shop/settings.py", 4)]),
            ("if os.environ.get('ENV') == 'production':\n    HUEY['immediate'] = True\n",
             [("HL401", "shop/settings.py", 5)])]):
        result = run(tmp_path / str(index), {**files, "shop/settings.py": "import os\n" + base.replace("{update}", update)})
        assert triples(result, "HL401") == [(rule, path, line + 1) for rule, path, line in expected], update


@pytest.mark.parametrize(("merge", "fires"), [
    ("HUEY |= {'huey_class': 'huey.RedisHuey', 'connection': {'host': os.environ['REDIS_HOST']}}\n", True),
    ("HUEY = HUEY | {'huey_class': 'huey.RedisHuey', 'connection': {'host': os.environ['REDIS_HOST']}}\n", True),
    ("HUEY = {**HUEY, 'huey_class': 'huey.RedisHuey', 'connection': {'host': os.environ['REDIS_HOST']}}\n", True),
    ("HUEY = dict(HUEY, huey_class='huey.RedisHuey', connection={'host': os.environ['REDIS_HOST']})\n", True),
    ("HUEY.update({'huey_class': 'huey.RedisHuey', 'connection': {'host': os.environ['REDIS_HOST']}})\n", True),
    # a merge that keeps the storage on this machine, and one of another dict: HUEY itself is unchanged
    ("HUEY |= {'huey_class': 'huey.RedisHuey', 'connection': {'host': 'localhost'}}\n", False),
    ("OTHER = {}\nOTHER |= {'connection': {'host': os.environ['REDIS_HOST']}}\n", False),
])
def test_django_settings_merged_into_huey(tmp_path: Path, merge: str, fires: bool) -> None:
    """Field test (gip-inclusion/le-marche): `HUEY |= {...}` (PEP 584's in-place union) adds the storage class
    and its connection after the base dict, as `HUEY.update({...})` does; the other spellings of the same merge
    (`HUEY | {...}`, `{**HUEY, ...}`, `dict(HUEY, ...)`) too. Unread, the storage stayed djhuey's default
    Redis on localhost and HL402 was missed."""
    result = run(tmp_path, {
        "Procfile": "worker: python manage.py run_huey -t 25\n",
        "manage.py": "import os\nimport sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
        "mysite/__init__.py": "",
        "mysite/settings.py": f"import os\nHUEY = {{'name': 'site', 'immediate': False}}\n{merge}",
    })
    assert triples(result, "HL402") == ([("HL402", "mysite/settings.py", 2)] if fires else [])


def test_hl105_names_each_launch_once(tmp_path: Path):
    """Field test (SecObserve): two alternative compose projects run service `backend` from one image; HL105
    named `compose \\`backend\\` (Dockerfile:4)` twice and listed its related location twice."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    service = "services:\n  backend:\n    build: .\n    restart: always\n    stop_signal: SIGINT\n"
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY . .\nUSER app\nCMD [\"huey_consumer\", \"app.huey\"]\n",
        "docker-compose-e2e.yml": service, "docker-compose-prod.yml": service,
        "app.py": "from huey import RedisHuey\nhuey = RedisHuey('a')\n\n@huey.task()\ndef t():\n    pass\n"})
    [found] = [f for f in lint(tmp_path).findings if f.rule == "HL105"]
    assert found.message.startswith("the huey app run by compose `backend` (Dockerfile:5) registers no "
                                    "SIGNAL_INTERRUPTED handler: ")
    assert [(r.loc.path, r.loc.line, r.message) for r in found.related] == [("Dockerfile", 5, "consumer launch")]


@pytest.mark.parametrize("dev_worker, named", [
    # a development stack's worker and production's: one finding, naming production's
    ("python manage.py runserver", ["kubernetes `deployment/w/w` (k8s.yaml:10)"]),
    # two production launches, each with its own settings module: one finding naming both
    ("gunicorn shop.wsgi", ["compose `worker` (docker-compose.yml:7)", "kubernetes `deployment/w/w` (k8s.yaml:10)"]),
])
def test_hl105_one_app_loaded_by_two_settings_modules_is_one_finding(tmp_path: Path, dev_worker, named) -> None:
    """The base settings hold HUEY; ``shop.settings.a`` and ``shop.settings.b`` import them (``from .base
    import *``) for two launches: two apps, one place to fix, one finding (was: one per settings module)."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    settings = "from .base import *  # noqa\n"
    write_tree(tmp_path, {
        "requirements.txt": "django==5.1\nhuey==2.5.2\n",
        "shop/__init__.py": "", "shop/settings/__init__.py": "",
        "shop/settings/base.py": "INSTALLED_APPS = ['huey.contrib.djhuey', 'shop']\nHUEY = {'name': 'shop', "
                                 "'immediate': False}\n",
        "shop/settings/a.py": settings, "shop/settings/b.py": settings,
        "shop/tasks.py": "from huey.contrib.djhuey import db_task\n\n@db_task()\ndef t():\n    return None\n",
        "manage.py": "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings.a')\n"
                     "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n",
        "docker-compose.yml": f"services:\n  web:\n    image: app\n    command: {dev_worker}\n  worker:\n"
                              "    image: app\n    command: python manage.py run_huey\n    environment:\n"
                              "      DJANGO_SETTINGS_MODULE: shop.settings.a\n",
        "k8s.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n"
                    "      containers:\n        - name: w\n          command: [python, manage.py, run_huey]\n"
                    "          env:\n            - name: DJANGO_SETTINGS_MODULE\n              value: shop.settings.b\n",
    })
    [found] = [f for f in lint(tmp_path).findings if f.rule == "HL105"]
    assert (found.loc.path, found.loc.line) == ("shop/settings/base.py", 2)
    assert found.message.startswith(f"the huey app run by {', '.join(named)} registers no SIGNAL_INTERRUPTED ")


def test_hl402_one_instance_shared_by_two_apps_is_one_finding(tmp_path: Path) -> None:
    """Field test (boundlexx): ``config/huey_app.py`` builds the instance; the compose worker runs
    ``huey_consumer config.huey.huey`` (a huey app, REDIS_HOST set to the compose service) and the Django
    settings import it as ``HUEY`` (a Django app without a launch in the tree, judged too).  Once the
    ``-d`` branch running ``manage.py run_huey`` was pruned, the two apps described the same storage
    differently and HL402 came twice at one place.  One finding, with what the first app knows."""
    compose = COMPOSE.format(env="    environment:\n      REDIS_HOST: redis\n")
    result = run(tmp_path, {
        "docker-compose.yml": compose, "Dockerfile": DOCKERFILE, "my_app/__init__.py": "",
        "my_app/main.py": _storage_app("host=os.environ['REDIS_HOST']"),
        "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n",
        "mysite/__init__.py": "",
        "mysite/settings.py": "from my_app.main import huey\n\nINSTALLED_APPS = ['huey.contrib.djhuey']\nHUEY = huey\n",
    })
    assert triples(result, "HL402") == [("HL402", "my_app/main.py", 4)]
    assert "set to host `redis`" in _hl402(result)[0]


@pytest.mark.parametrize("debug", ["os.environ.get('DJANGO_DEBUG') == '1'", "True"], ids=["unknown", "true"])
@pytest.mark.parametrize("settings, written", [
    ("HUEY = {'name': 'q', 'immediate': DEBUG}\n", "`HUEY['immediate']` is "),
    ("DJANGO_HUEY = {'default': 'a', 'queues': {'a': {'name': 'a', 'immediate': DEBUG}}}\n",
     "`DJANGO_HUEY['queues']['a']['immediate']` is "),
])
def test_hl401_names_the_dict_the_value_is_written_in(tmp_path: Path, settings: str, written: str, debug: str) -> None:
    """Field test (coralnet/coralnet): a django-huey queue's `'immediate'` was called `HUEY['immediate']`, and
    its consumer `run_huey` (django-huey's is `djangohuey`); the same when the DEBUG written above the dict is
    known (Princeprem76/rework; with `DEBUG = False` there is no finding)."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    apps = "django_huey" if settings.startswith("DJANGO") else "huey.contrib.djhuey"
    write_tree(tmp_path, {"requirements.txt": "django==4.2\nhuey==2.5.2\ndjango-huey==1.2.1\n",
                          "site/__init__.py": "",
                          "site/settings.py": f"import os\nDEBUG = {debug}\nINSTALLED_APPS = ['{apps}']\n" + settings})
    [found] = [f for f in lint(tmp_path).findings if f.rule == "HL401"]
    command = "djangohuey" if apps == "django_huey" else "run_huey"
    assert found.message.startswith(written) and f"`{command}` refuses to start" in found.message


_VIEWS = ("from django.http import JsonResponse\n\nfrom .tasks import send_receipt\n\n\n"
          "def checkout(request):\n{body}\n")


@pytest.mark.parametrize("body", [
    "    pending = send_receipt(1)\n    return JsonResponse({'task': pending.id})",
    "    return JsonResponse({'task': send_receipt(1).id})",
    "    pending = send_receipt.schedule((1,), delay=5)\n    log = pending.id\n    return JsonResponse({'task': log})",
])
def test_hl404_a_call_site_keeping_only_the_task_id_reads_no_result(tmp_path: Path, body: str) -> None:
    """Field test (Akshay448/cambai-cache): an endpoint answers with the Result's task id only; nothing looks
    a result up by it, so the storage keeps every result (a Result bound to a name read at all counted as read)."""
    assert _hl404(tmp_path, {"shop/views.py": _VIEWS.format(body=body)}) == [("HL404", "shop/tasks.py", 13)]


@pytest.mark.parametrize("body, extra", [
    # the Result itself is read besides its id
    ("    pending = send_receipt(1)\n    pending.get()\n    return JsonResponse({'task': pending.id})", {}),
    ("    pending = send_receipt(1)\n    return JsonResponse({'task': pending.id, 'r': pending})", {}),
    # a status view reads results by id (which task's, hueylint cannot tell)
    ("    return JsonResponse({'task': send_receipt(1).id})",
     {"shop/status.py": "from huey.contrib.djhuey import HUEY\n\n\ndef status(request, task_id):\n"
                        "    return HUEY.result(task_id, preserve=True)\n"}),
    ("    return JsonResponse({'task': send_receipt(1).id})",
     {"shop/status.py": "from huey.api import Result\nfrom huey.contrib.djhuey import HUEY\n\n\n"
                        "def status(request, task):\n    return Result(HUEY, task).get()\n"}),
    # Huey.get(key): what is stored under a key, a result under its task's id (nathanfhh/flask-with-huey)
    ("    return JsonResponse({'task': send_receipt(1).id})",
     {"shop/status.py": "from huey.contrib.djhuey import HUEY\n\n\n"
                        "def status(request, task_id):\n    return HUEY.get(task_id)\n"}),
    # django-huey's queue by name (SJVAir/sjvair.com)
    ("    return JsonResponse({'task': send_receipt(1).id})",
     {"shop/status.py": "from django_huey import get_queue\n\n\n"
                        "def status(request, task_id):\n    queue = get_queue('default')\n"
                        "    return queue.result(task_id, preserve=True)\n"}),
])
def test_hl404_an_id_read_back_or_a_result_read_is_no_claim(tmp_path: Path, body: str, extra: dict) -> None:
    assert _hl404(tmp_path, {"shop/views.py": _VIEWS.format(body=body), **extra}) == []


@pytest.mark.parametrize(("command", "said"), [
    ("huey_consumer $HUEY_APP -w 2 -t 5", True),
    ("huey_consumer app.huey -w 2 -t 5", False),
])
def test_an_app_path_known_only_at_run_time_is_said(tmp_path, command, said):
    """`huey_consumer $HUEY_APP`: the app rules (HL105, locks, periodic tasks, settings) cannot judge an app
    that is known only when the consumer runs; a notice says so at the app path (it was "All checks passed")."""
    write_tree(tmp_path, {
        "app/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n",
        "Dockerfile": ("FROM python:3.12-slim\nRUN pip install huey==3.5.4 redis\nCOPY . /app\nWORKDIR /app\n"
                       f"USER nobody\nSTOPSIGNAL SIGINT\nCMD exec {command}\n"),
    })
    result = lint(tmp_path)
    notices = [(n.rel, n.reason) for n in result.notices if "known only when it runs" in n.reason]
    assert notices == ([("Dockerfile", "line 7: docker Dockerfile runs a huey app set from $HUEY_APP, but the app is "
                                       "known only when it runs: the app's tasks, locks and settings are not checked "
                                       "for this launch")] if said else [])
    assert any(f.rule == "HL105" for f in result.findings) is not said


def test_hl402_names_the_production_consumers_first(tmp_path):
    """Field test (basedosdados/backend): the finding named only a development script's consumer (the first
    app hueylint met) while production runs it from a Kubernetes container; the consumers production runs come
    first in its related locations, a development stack's after them."""
    write_tree(tmp_path, {
        "app.py": "import os\nfrom huey import RedisHuey\nhuey = RedisHuey('a', host=os.environ['REDIS_HOST'])\n",
        "requirements.txt": "huey==2.5.0\n",
        "docker-compose.yml": "services:\n  worker:\n    image: me/app\n    command: huey_consumer app.huey\n",
        "Procfile.dev": "worker: huey_consumer app.huey -w 2\n",
    })
    (found,) = [f for f in lint(tmp_path).findings if f.rule == "HL402"]
    assert [related.loc.path for related in found.related] == ["docker-compose.yml", "Procfile.dev"]
