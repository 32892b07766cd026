"""Procfiles: the parser, PaaS vs development semantics, and what a group-wide SIGTERM means for HL201."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.parsers.procfile import parse
from hueylint.sources import SourceFile
from tests.helpers import lint, triples, write_tree


def src(text: str, rel: str = "Procfile") -> SourceFile:
    return SourceFile(Path(rel), rel, text)


def launches(tmp_path: Path, files: dict[str, str]):
    write_tree(tmp_path, files)
    result = lint(tmp_path)
    return result, result.project.launches


# -- parser ---------------------------------------------------------------------------------------

def test_entries_with_columns_comments_and_blank_lines():
    entries, skipped = parse(src("# processes\n\nweb: gunicorn app.wsgi\n  worker:huey_consumer app.huey -w 4  \n"))
    assert skipped == []
    assert [(e.name, e.command, e.line, e.col) for e in entries] == [
        ("web", "gunicorn app.wsgi", 3, 6),
        ("worker", "huey_consumer app.huey -w 4", 4, 10),
    ]


@pytest.mark.parametrize("text, line, col, message", [
    ("web: gunicorn app\nworker huey_consumer app.huey\n", 2, 1, "expected `name: command`"),
    ("web: gunicorn app\n  worker:\n", 2, 3, "has no command"),
    ("bad name: x\n", 1, 1, "expected"),
])
def test_malformed_lines_are_located(text, line, col, message):
    _entries, [skipped] = parse(src(text))
    assert message in str(skipped) and (skipped.line, skipped.col) == (line, col)


def test_malformed_procfile_is_hl001_and_never_a_crash(tmp_path):
    write_tree(tmp_path, {"Procfile": "web: gunicorn app\nworker huey_consumer app.huey\n"})
    assert triples(lint(tmp_path)) == [("HL001", "Procfile", 2)]


def test_a_malformed_line_is_skipped_and_the_other_process_types_are_checked(tmp_path):
    """Heroku, honcho and foreman run every line matching `^([A-Za-z0-9_-]+):\\s*(.+)$` and skip the others:
    a `web:` left without its command hid the whole Procfile, and the consumer huey refuses was never checked."""
    write_tree(tmp_path, {"requirements.txt": "huey==3.5.0\n",
                          "Procfile": "web:\nworker: huey_consumer app.huey -k gevent -t 25 -g TERM\n"})
    assert [(f.rule, f.loc.line, f.loc.col, f.message) for f in lint(tmp_path).findings] == [
        ("HL001", 1, 1, "cannot parse: process type `web` has no command: the platform skips this line"),
        ("HL002", 2, 32, "huey would refuse this command line: option -k: invalid choice: 'gevent' (choose from "
                         "'thread', 'greenlet', 'process'). Fix: `-k greenlet` (huey's name for gevent workers)")]


# -- PaaS semantics ---------------------------------------------------------------------------------

def test_paas_launch_fields(tmp_path):
    _, found = launches(tmp_path, {"Procfile": "web: gunicorn app.wsgi\nworker: huey_consumer my_app.huey -w 4\n"})
    (launch,) = found
    assert (launch.platform, launch.name, launch.unit) == ("procfile", "worker", "Procfile")
    assert launch.paas and not launch.dev and launch.collects_logs and not launch.deadline_configurable
    assert (launch.stop_signal.value, launch.deadline.value) == ("TERM", 30.0)
    assert "not configurable" in launch.stop_signal.where()
    assert launch.instances.value == 1 and launch.restart is None and launch.user is None
    assert (launch.loc.line, launch.loc.col) == (2, 9)


def test_older_guide_raises_only_hl101_as_error_or_warning(tmp_path):
    write_tree(tmp_path, {"Procfile": "web: gunicorn my_app.wsgi\nworker: huey_consumer my_app.huey -w 4 -k thread\n"})
    result = lint(tmp_path)
    serious = [(f.rule, f.loc.line) for f in result.findings if f.severity.label != "note"]
    assert serious == [("HL101", 2)]


def test_newest_guide_is_silent(tmp_path):
    write_tree(tmp_path, {"Procfile": "web: gunicorn my_app.wsgi\n"
                                      "worker: huey_consumer my_app.huey -w 4 -k thread -g TERM -t 25\n"})
    assert triples(lint(tmp_path)) == []


@pytest.mark.parametrize("name, text", [
    ("Procfile.dev", "worker: huey_consumer my_app.huey\n"),
    ("Procfile.local", "worker: huey_consumer my_app.huey\n"),
    ("Procfile.development", "worker: huey_consumer my_app.huey\n"),
    ("Procfile", "web: python manage.py runserver 0.0.0.0:8000\nworker: huey_consumer my_app.huey\n"),
    ("Procfile", "web: flask --app my_app run --debug\nworker: huey_consumer my_app.huey\n"),
    ("Procfile", "web: uvicorn my_app.asgi:app --reload\nworker: huey_consumer my_app.huey\n"),
    ("Procfile", "web: watchmedo auto-restart -d . -p '*.py' -- gunicorn app\nworker: huey_consumer my_app.huey\n"),
    ("Procfile", "web: watchfiles 'gunicorn app' .\nworker: huey_consumer my_app.huey\n"),
    ("Procfile", "web: python manage.py runserver_plus 0.0.0.0:8000\nworker: huey_consumer my_app.huey\n"),
    ("Procfile", "web: flask --app my_app --debug run\nworker: huey_consumer my_app.huey\n"),
    # an entry rebuilding assets on file changes (field test: mblayman/homeschool)
    ("Procfile", "web: gunicorn app\nworker: huey_consumer my_app.huey\nfrontend: npm --prefix frontend run watch\n"),
    ("Procfile", "web: gunicorn app\nworker: huey_consumer my_app.huey\ncss: tailwindcss -i in.css -o out.css --watch\n"),
    ("Procfile", "web: gunicorn app\nworker: huey_consumer my_app.huey\njs: esbuild app.js --bundle --watch=forever\n"),
    ("Procfile", "web: gunicorn app\nworker: huey_consumer my_app.huey\nassets: yarn dev\n"),
    ("Procfile", "web: gunicorn app\nworker: huey_consumer my_app.huey\nassets: pnpm run dev:css\n"),
])
def test_development_procfiles_get_no_platform_findings(tmp_path, name, text):
    result, found = launches(tmp_path, {name: text})
    assert [launch.dev for launch in found] == [True]
    assert not found[0].paas
    assert triples(result) == []


@pytest.mark.parametrize("release", [
    "release: npm run build && python manage.py migrate", "release: yarn build", "assets: npm run watcher-docs",
    "release: ./bin/check --watchdog",
    "assets: tsc -p . --watch=false", "css: sass --watch=no in.scss out.css",  # watching switched off
])
def test_one_off_builds_and_look_alikes_leave_a_paas_procfile(tmp_path, release):
    result, found = launches(tmp_path, {"Procfile": f"{release}\nworker: huey_consumer my_app.huey\n"})
    assert [launch.paas for launch in found] == [True]
    assert ("HL101", "Procfile", 2) in triples(result)


def test_the_watcher_is_named_as_the_reason(tmp_path):
    _, found = launches(tmp_path, {"Procfile": "worker: huey_consumer my_app.huey\nfrontend: npm run watch\n"})
    assert found[0].dev and found[0].procfile is not None and found[0].procfile.dev is not None
    assert found[0].procfile.dev.value == "its `frontend` entry rebuilds on file changes (`npm run watch`, line 2)"


def test_production_variant_names_are_paas(tmp_path):
    _, found = launches(tmp_path, {"Procfile.prod": "worker: huey_consumer my_app.huey -g TERM -t 25\n"})
    assert [launch.paas for launch in found] == [True]


def test_development_procfile_still_gets_hl301_and_hl002(tmp_path):
    write_tree(tmp_path, {"Procfile.dev": "a: huey_consumer my_app.huey -k process\nb: huey_consumer my_app.huey\n"
                                          "c: huey_consumer my_app.huey -k fibers\n"})
    # c is refused by huey (it never starts), so it is not counted as an enqueuer
    assert triples(lint(tmp_path)) == [("HL002", "Procfile.dev", 3), ("HL301", "Procfile.dev", 2)]


# -- shells under a group-wide SIGTERM ---------------------------------------------------------------

@pytest.mark.parametrize("command", [
    "huey_consumer my_app.huey -g TERM -t 25",
    "python manage.py migrate && python manage.py run_huey -g TERM -t 25",
    "sh -c 'huey_consumer my_app.huey -g TERM -t 25'",
    "bin/worker",
])
def test_shells_do_not_hide_the_signal_on_a_paas(tmp_path, command):
    files = {"Procfile": f"worker: {command}\n",
             "bin/worker": "#!/bin/sh\necho start\nhuey_consumer my_app.huey -g TERM -t 25\n"}
    result, found = launches(tmp_path, files)
    assert len(found) == 1
    assert triples(result, "HL201") == []


def test_backgrounded_consumer_is_hl201_about_supervision(tmp_path):
    result, found = launches(tmp_path, {
        "Procfile": "web: huey_consumer my_app.huey -g TERM -t 25 & gunicorn my_app.wsgi\n"})
    assert triples(result, "HL201") == [("HL201", "Procfile", 1)]
    (finding,) = [f for f in result.findings if f.rule == "HL201"]
    assert "never restarted" in finding.message and "never receives" not in finding.message
    # the consumer still receives SIGTERM: HL101 stays judged
    assert found[0].wrappers and not found[0].wrappers[0].severe


def test_two_entries_of_one_app_without_n_are_hl301_once(tmp_path):
    write_tree(tmp_path, {"Procfile": "a: huey_consumer my_app.huey -g TERM -t 25\n"
                                      "b: huey_consumer my_app.huey -g TERM -t 25\n"
                                      "c: huey_consumer other.huey -g TERM -t 25\n"})
    result = lint(tmp_path)
    assert triples(result, "HL301") == [("HL301", "Procfile", 2)]
    (finding,) = [f for f in result.findings if f.rule == "HL301"]
    assert finding.severity.label == "warning" and "`b` and `a`" in finding.message


def test_procfile_and_compose_are_separate_units(tmp_path):
    write_tree(tmp_path, {"Procfile": "worker: huey_consumer my_app.huey -g TERM -t 25\n",
                          "Procfile.dev": "worker: huey_consumer my_app.huey\n"})
    assert triples(lint(tmp_path), "HL301") == []


def test_logfile_on_a_paas_is_hl501(tmp_path):
    write_tree(tmp_path, {"Procfile": "worker: huey_consumer my_app.huey -g TERM -t 25 -l huey.log\n"})
    result = lint(tmp_path)
    assert triples(result) == [("HL501", "Procfile", 1)]
    assert "PaaS" in result.findings[0].message


RUN_SH = ("#!/usr/bin/env bash\nset -eo pipefail\n[ $# -lt 1 ] && exit 1\ncase $1 in\n"
          "  web-dev)\n    python manage.py migrate\n    exec python manage.py runserver\n    ;;\n"
          "  web)\n    exec gunicorn site.wsgi\n    ;;\n  huey)\n    exec python manage.py run_huey\n    ;;\nesac\n")


@pytest.mark.parametrize("web, dev", [
    ("PORT=8888 ./bin/run.sh web-dev", True),
    ("./bin/wait-for-db && bin/run.sh web-dev --noreload", True),
    ("sh -c 'true' ; ./bin/run.sh web-dev", True),
    ("./bin/run.sh web", False),
    ("./bin/run.sh $MODE", False),
    ("./bin/run.sh", False),
], ids=["assignment", "and-list", "sequence", "production-branch", "unknown-argument", "no-argument"])
def test_web_entry_running_a_script_branch_with_a_development_server(tmp_path, web, dev):
    """Field test (peterbe/django-peterbecom): ``web: ./bin/run.sh web-dev``, whose ``case $1 in web-dev)``
    runs ``manage.py runserver``: the Procfile is a honcho development file, as bash would choose the branch
    by the entry's first argument; ``web`` (gunicorn), an argument not known before run time, or none, is
    not."""
    _, found = launches(tmp_path, {"Procfile": f"web: {web}\nhuey: ./bin/run.sh huey\n",
                                   "bin/run.sh": RUN_SH, "bin/wait-for-db": "#!/bin/sh\nsleep 1\n"})
    # (`web: ./bin/run.sh $MODE` may run the consumer too: a launch of its own, not judged here)
    assert [(launch.dev, launch.paas) for launch in found if launch.name == "huey"] == [(dev, not dev)]


@pytest.mark.parametrize("words, expected", [
    ("forego start -r", ("forego", "Procfile", (), None, None)),
    ("forego start -t 10 -f Procfile.prod worker", ("forego", "Procfile.prod", ("worker",), "10", None)),
    ("/usr/local/bin/forego start --t=8 -c worker=2", ("forego", "Procfile", (), "8", "worker=2")),
    ("honcho -f Procfile.docker start web worker", ("honcho", "Procfile.docker", ("web", "worker"), None, None)),
    # honcho joins `-f` to its app root (`-d`)
    ("honcho start --procfile=deploy/Procfile --concurrency worker=3 -d /srv", (
        "honcho", "/srv/deploy/Procfile", (), None, "worker=3")),
    ("foreman start --timeout=30 -m all=1,worker=3 worker", ("foreman", "Procfile", ("worker",), "30", "all=1,worker=3")),
])
def test_procfile_runner_command_lines(words, expected):
    """forego (Go flags, one or two dashes), honcho (argparse, options before or after `start`) and foreman."""
    from hueylint.chain import procfile_run

    run = procfile_run(words.split())
    assert (run.runner, run.procfile, run.names, run.timeout, run.concurrency) == expected


@pytest.mark.parametrize("words", ["honcho run worker", "forego run web", "foreman check", "gunicorn start"])
def test_other_runner_commands_start_no_procfile(words):
    from hueylint.chain import procfile_run

    assert procfile_run(words.split()) is None


RUNNER_APP = {
    "app/__init__.py": "",
    "app/tasks.py": "from huey import FileHuey, crontab\n\nhuey = FileHuey('app', path='/q')\n\n\n"
                    "@huey.periodic_task(crontab(minute='0'))\ndef hourly():\n    pass\n",
    "requirements.txt": "huey==3.5.4\n",
    "Procfile": "web: gunicorn app.wsgi\nworker: huey_consumer app.tasks.huey -g TERM -t 20\n",
}


def _runner_launches(tmp_path, files):
    write_tree(tmp_path, {**RUNNER_APP, **files})
    result = lint(tmp_path)
    return result, [(launch.platform, launch.name, launch.chain[-1].name if launch.chain else "")
                    for launch in result.project.launches]


def test_a_compose_service_running_a_runner_claims_the_procfile_and_counts_its_concurrency(tmp_path):
    """`honcho start -c worker=2 worker` in compose: only the worker entry, two of it (HL301: both enqueue the
    periodic task), behind honcho (5 s, fixed: HL102); the Procfile is not also a PaaS unit."""
    result, launches = _runner_launches(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nUSER nobody\n",
        "compose.yaml": "services:\n  jobs:\n    build: .\n    command: honcho start -c worker=2 worker\n"
                        "    stop_grace_period: 60s\n    restart: always\n"})
    (launch,) = result.project.launches
    assert (launch.platform, launch.name) == ("procfile", "worker")
    assert [hop.name for hop in launch.chain][:2] == ["compose", "honcho"]
    assert launch.instances.value == 2 and launch.deadline.value == 5.0
    assert {rule for rule, _path, _line in triples(result)} >= {"HL301", "HL102"}
    assert ("HL101", "Procfile", 2) not in triples(result)  # `-g TERM` and honcho's SIGTERM agree


def test_foreman_timeout_and_a_runner_not_started_leave_the_procfile_a_paas_unit(tmp_path):
    result, launches = _runner_launches(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nUSER nobody\n"
                      "CMD [\"foreman\", \"start\", \"--timeout=45\", \"worker\"]\n"})
    (launch,) = result.project.launches
    assert launch.chain[1].name == "foreman" and launch.deadline.value == 10.0  # docker's 10 s below foreman's 45
    assert launch.chain[1].deadline.value == 45.0
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nUSER nobody\n"
                                        "CMD [\"gunicorn\", \"app.wsgi\"]\n"})
    result = lint(tmp_path)
    assert [(launch.platform, launch.paas) for launch in result.project.launches] == [("procfile", True)]


@pytest.mark.parametrize("command", ["python $(which huey_consumer) app.tasks.huey -g TERM -t 20",
                                     "python3 `which huey_consumer` app.tasks.huey -g TERM -t 20",
                                     "$(command -v huey_consumer) app.tasks.huey -g TERM -t 20"])
def test_a_program_looked_up_on_path_is_that_program(tmp_path, command):
    """`$(which NAME)` / `$(command -v NAME)` is the file the bare NAME finds on PATH: its options are read."""
    write_tree(tmp_path, {**RUNNER_APP, "Procfile": f"worker: {command}\n"})
    (launch,) = lint(tmp_path).project.launches
    assert launch.program == "huey_consumer" and not launch.unresolved
    assert launch.graceful_signal.value == "TERM"


@pytest.mark.parametrize("command, pin, files, shown", [
    ("python3 /usr/local/bin/huey_consumer.py app.tasks.huey", "huey==3.5.4", {}, "/usr/local/bin/huey_consumer.py"),
    ("python3 $(which huey_consumer.py) app.tasks.huey", "huey", {}, "huey_consumer.py"),  # unpinned: the newest
    ("python3 /usr/local/bin/huey_consumer.py app.tasks.huey", "huey==2.5.3", {}, None),  # 2.x installs it
    ("python3 /srv/bin/huey_consumer.py app.tasks.huey", "huey==3.5.4",
     {"bin/huey_consumer.py": "from huey.bin.huey_consumer import consumer_main\nconsumer_main()\n"}, None),
    ("python3 /usr/local/bin/huey_consumer app.tasks.huey", "huey==3.5.4", {}, None),
])
def test_python_running_the_installed_consumer_script(tmp_path, command, pin, files, shown):
    """Field test (opportunity-hack/succinct-easy-text-summarization): `python3.7 /usr/local/bin/huey_consumer.py`
    after an unpinned `pip3 install huey`: huey 3.0 installs only `huey_consumer`, so python cannot open the file
    (HL002, as for running the script itself). A copy the repository vendors under that name is not claimed."""
    write_tree(tmp_path, {**RUNNER_APP, "requirements.txt": f"{pin}\n", "Procfile": f"worker: {command}\n", **files})
    found = [f.message.split(":", 1)[0] for f in lint(tmp_path).findings if f.rule == "HL002"]
    assert found == ([f"`{shown}`"] if shown else [])


# -- a Procfile entry that runs a Procfile runner (field: pipermerriam/mozy) ----------------------------------

_INNER = "web: gunicorn app.wsgi\nworker: huey_consumer app.tasks.huey -w 2\n"


@pytest.mark.parametrize("web, inner, runner, deadline", [
    ("honcho start --procfile HerokuProcfile", "HerokuProcfile", "honcho", 5.0),
    ("honcho start -f Procfile.dyno", "Procfile.dyno", "honcho", 5.0),
    ("honcho -d deploy start -f Procfile.web", "deploy/Procfile.web", "honcho", 5.0),
    ("forego start -f Procfile.web -t 8", "Procfile.web", "forego", 8.0),
    ("bin/release && foreman start -f Procfile.web", "Procfile.web", "foreman", 5.0),
], ids=["honcho-other-name", "honcho-variant", "honcho-app-root", "forego-timeout", "foreman-after-a-command"])
def test_an_entry_running_a_runner_launches_the_runners_procfile(tmp_path, web, inner, runner, deadline):
    """`web: honcho start -f OTHER` runs OTHER's entries inside the web dyno: each consumer there is a launch
    behind the PaaS and the runner (its SIGTERM, its grace time), and OTHER is no PaaS unit of its own."""
    result, launches = _runner_launches(tmp_path, {
        "requirements.txt": "huey==2.5.3\n", "Procfile": f"web: {web}\n", inner: _INNER, "bin/release": "true\n"})
    (launch,) = result.project.launches
    assert (launch.platform, launch.name, launch.unit, launch.paas) == ("procfile", "web/worker", "Procfile", True)
    assert [hop.name for hop in launch.chain if hop.kind in ("platform", "supervisor")] == ["PaaS (Procfile)", runner]
    assert launch.deadline.value == deadline and launch.stop_signal.value == "TERM"
    assert ("HL101", inner, 2) in triples(result)


@pytest.mark.parametrize("web", ["honcho start", "honcho start -f Procfile", "honcho start -f ../Procfile.web",
                                 "honcho start -f $PROCFILE", "honcho start -f Missing.procfile"])
def test_an_entry_running_its_own_procfile_or_an_unknown_one_launches_nothing_more(tmp_path, web):
    result, launches = _runner_launches(tmp_path, {"Procfile": f"web: {web}\nworker: huey_consumer app.tasks.huey\n",
                                                   "Procfile.web": _INNER})
    # nothing runs Procfile.web: it stays a PaaS unit of its own (a production variant name), claimed by nobody
    assert sorted((launch.name, launch.loc.path) for launch in result.project.launches) == [
        ("worker", "Procfile"), ("worker", "Procfile.web")]


_APP_FILES = {"app/__init__.py": "", "app/tasks.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n",
              "requirements.txt": "huey==2.5.3\n", "Procfile.run": _INNER}
_IMAGE = "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nUSER nobody\nCMD [\"gunicorn\", \"app.wsgi\"]\n"


@pytest.mark.parametrize("files, platform", [
    ({"fly.toml": "app = 'x'\n[processes]\napp = 'honcho start -f Procfile.run'\n", "Dockerfile": _IMAGE}, "fly"),
    ({"render.yaml": "services:\n  - type: worker\n    name: jobs\n    runtime: docker\n"
                     "    dockerCommand: honcho start -f Procfile.run worker\n", "Dockerfile": _IMAGE}, "render"),
    ({"render.yaml": "services:\n  - type: worker\n    name: jobs\n    runtime: python\n"
                     "    startCommand: honcho start -f Procfile.run\n"}, "render"),
    ({"manifest.yml": "applications:\n- name: jobs\n  command: honcho start -f Procfile.run\n  no-route: true\n"},
     "Cloud Foundry"),
], ids=["fly-process", "render-docker-command", "render-start-command", "cloud-foundry-command"])
def test_a_paas_command_running_a_runner_launches_its_procfile(tmp_path, files, platform):
    """Fly's, Render's and Cloud Foundry's commands that run `honcho start -f FILE` run FILE's consumers in that
    service, behind the platform and honcho (SIGTERM, 5 s); FILE is claimed, not a Heroku-like Procfile."""
    write_tree(tmp_path, {**_APP_FILES, **files})
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert [hop.name for hop in launch.chain if hop.kind in ("platform", "supervisor")] == [platform, "honcho"]
    assert launch.deadline.value == 5.0 and ("HL101", "Procfile.run", 2) in triples(result)
