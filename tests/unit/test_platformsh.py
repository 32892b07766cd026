"""Platform.sh and Upsun app configurations (:mod:`hueylint.platforms.platformsh`): the files read, one launch per
web or worker instance whose `commands: start:` starts a consumer, its stop (SIGTERM, SIGKILL after 15 s for a
worker; undocumented for web), its code root, environment and instances, and the hooks."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.formats import name_format, sniff_bytes
from tests.helpers import lint, triples, write_tree

REQS = {"requirements.txt": "huey==3.5.4\n"}
APP = {"tasks.py": "from huey import RedisHuey\nhuey = RedisHuey('q', host='redis')\n"}


def launches(tmp_path: Path, files: dict[str, str]):
    write_tree(tmp_path, {**REQS, **files})
    result = lint(tmp_path)
    return result, result.project.launches


@pytest.mark.parametrize("rel, fmt", [
    (".platform.app.yaml", "platformsh"), ("backend/.platform.app.yaml", "platformsh"),
    (".platform/applications.yaml", "platformsh"), (".upsun/config.yaml", "platformsh"),
    (".upsun/workers.yml", "platformsh"),
    # routes and services configure no app: still Platform.sh's (never sniffed as compose), not read
    (".platform/routes.yaml", "?paas"), (".platform/services.yaml", "?paas"),
])
def test_app_configuration_names(rel, fmt):
    assert name_format(rel) == fmt


def test_other_platform_files_naming_a_consumer_get_the_generic_notice():
    fmt, reason = sniff_bytes("?paas", b"redis:\n  type: redis:7.0\n# run_huey\n", ".platform/services.yaml")
    assert fmt == "" and reason is not None and reason.startswith("mentions `run_huey`")


def test_worker_start_command_is_a_launch_stopped_with_sigterm_and_killed_after_15s(tmp_path):
    result, found = launches(tmp_path, {**APP, ".platform.app.yaml": (
        "name: shop\ntype: python:3.11\nweb:\n  commands:\n    start: gunicorn shop.wsgi\n"
        "workers:\n  queue:\n    commands:\n      start: huey_consumer tasks.huey -w 2\n")})
    assert [(launch.platform, launch.name) for launch in found] == [("platformsh", "shop queue")]  # gunicorn: none
    launch = found[0]
    assert (launch.loc.line, launch.loc.col) == (9, 14)
    signal, deadline = launch.stop_view()
    assert signal.value == "TERM" and deadline.value == 15.0
    assert launch.instances.value == 1 and launch.restart is None and not launch.deadline_configurable
    assert launch.service_dir == ""
    # SIGTERM, which no key changes: `-g TERM` on the command; 15 s that cannot be raised
    assert triples(result, "HL101") == [("HL101", ".platform.app.yaml", 9)]
    hl101 = [f for f in result.findings if f.rule == "HL101"][0]
    assert "Platform.sh stops `shop queue` with SIGTERM" in hl101.message and "`-g TERM -t 10`" in hl101.message
    hl102 = [f for f in result.findings if f.rule == "HL102"]
    assert hl102 and "the deadline cannot be raised" in hl102[0].message


def test_a_start_command_without_exec_keeps_the_signal_from_the_consumer(tmp_path):
    result, found = launches(tmp_path, {**APP, ".platform.app.yaml": (
        "name: shop\nworkers:\n  queue:\n    commands:\n      start: cd /app && huey_consumer tasks.huey -g TERM -t 10\n")})
    assert len(found) == 1
    assert triples(result, "HL201") == [("HL201", ".platform.app.yaml", 5)]
    assert triples(result, "HL101") == []


def test_a_multi_line_start_script_places_each_word(tmp_path):
    result, found = launches(tmp_path, {**APP, ".platform.app.yaml": (
        "name: shop\nworkers:\n  queue:\n    commands:\n      start: |\n        set -e\n"
        "        exec huey_consumer tasks.huey -g TERM -t 10\n"), "hueylint.toml": 'longest-task = "8s"\n'})
    assert len(found) == 1
    program = found[0].consumer.program
    assert program is not None and (program.loc.line, program.loc.col) == (7, 14)
    option = found[0].options["graceful_signal"]
    assert (option.loc.line, option.loc.col) == (7, 39)
    assert [f.rule for f in result.findings if f.rule.startswith(("HL101", "HL102", "HL103", "HL104", "HL2"))] == []


def test_web_start_command_stop_is_unknown_and_its_background_consumer_is_hl201(tmp_path):
    result, found = launches(tmp_path, {**APP, ".platform.app.yaml": (
        "name: shop\nweb:\n  commands:\n    start: huey_consumer tasks.huey & gunicorn shop.wsgi\n")})
    assert [launch.name for launch in found] == ["shop web"]
    signal, deadline = found[0].chain[0].sends, found[0].chain[0].deadline
    assert signal is not None and not signal.known and "do not document" in signal.unknown
    assert deadline is not None and not deadline.known
    assert triples(result, "HL201") == [("HL201", ".platform.app.yaml", 4)]
    assert triples(result, "HL101") == [] and triples(result, "HL102") == []


def test_unified_configuration_list_with_source_root_and_instance_variables(tmp_path):
    _, found = launches(tmp_path, {
        "backend/tasks.py": APP["tasks.py"],
        ".platform/applications.yaml": (
            "- name: api\n  source:\n    root: backend\n  variables:\n    env:\n      DJANGO_SETTINGS_MODULE: a.settings\n"
            "  workers:\n    queue:\n      commands:\n        start: huey_consumer tasks.huey\n"
            "    mail:\n      variables:\n        env:\n          KIND: worker\n"
            "      commands:\n        start: huey_consumer tasks.huey -n\n")})
    by_name = {launch.name: launch for launch in found}
    assert set(by_name) == {"api queue", "api mail"}
    assert {launch.service_dir for launch in found} == {"backend"}
    assert by_name["api queue"].app_key is not None and "backend/tasks.py" in by_name["api queue"].app_key.value
    queue_env = by_name["api queue"].env.value
    assert queue_env["DJANGO_SETTINGS_MODULE"].value == "a.settings"
    # a worker's own `variables` replace the app's whole (Platform.sh: the entire property is overridden)
    assert set(by_name["api mail"].env.value) == {"KIND"}


def test_unified_configuration_mapping_of_apps(tmp_path):
    _, found = launches(tmp_path, {
        "worker/tasks.py": APP["tasks.py"],
        ".platform/applications.yaml": (
            "api:\n  source:\n    root: worker\n  workers:\n    q:\n      commands:\n        start: huey_consumer tasks.huey\n")})
    assert [(launch.name, launch.service_dir) for launch in found] == [("api q", "worker")]


def test_single_app_file_in_a_folder_is_rooted_there(tmp_path):
    _, found = launches(tmp_path, {
        "backend/tasks.py": APP["tasks.py"],
        "backend/.platform.app.yaml": "name: api\nworkers:\n  q:\n    commands:\n      start: huey_consumer tasks.huey\n"})
    assert [(launch.name, launch.service_dir) for launch in found] == [("api q", "backend")]


def test_upsun_configuration_instances_are_set_outside_the_repository(tmp_path):
    _, found = launches(tmp_path, {
        "app/tasks.py": APP["tasks.py"],
        ".upsun/config.yaml": (
            "applications:\n  api:\n    source:\n      root: /app\n    workers:\n      huey:\n        commands:\n"
            "          start: huey_consumer tasks.huey -g TERM -t 10\nservices:\n  redis:\n    type: redis:7.0\n")})
    assert [(launch.name, launch.service_dir) for launch in found] == [("api huey", "app")]
    instances = found[0].instances
    assert not instances.known and "outside the repository" in instances.unknown


def test_a_consumer_a_hook_starts_is_no_launch_but_a_notice(tmp_path):
    result, found = launches(tmp_path, {**APP, ".platform.app.yaml": (
        "name: shop\nhooks:\n  deploy: |\n    python manage.py migrate\n    huey_consumer tasks.huey\n")})
    assert found == []
    assert any("the `deploy` hook starts the consumer `huey_consumer`" in notice.reason
               for notice in result.notices)


def test_a_consumer_a_cron_job_starts_is_no_launch_but_a_notice(tmp_path):
    result, found = launches(tmp_path, {**APP, ".platform.app.yaml": (
        "name: shop\ncrons:\n  drain:\n    spec: '*/5 * * * *'\n    commands:\n      start: huey_consumer tasks.huey\n"
        "  old:\n    spec: '0 * * * *'\n    cmd: huey_consumer tasks.huey -w 2\n")})
    assert found == []
    reasons = [notice.reason for notice in result.notices]
    assert any(reason.startswith("line 6: the cron job `drain` starts the consumer") for reason in reasons), reasons
    assert any(reason.startswith("line 9: the cron job `old` starts the consumer") for reason in reasons), reasons


def test_source_root_of_a_single_app_file_is_from_the_project_root(tmp_path):
    """Platform.sh's own example: `main/.platform.app.yaml` with `source: root: restapp` uses `restapp/`."""
    _, found = launches(tmp_path, {
        "restapp/tasks.py": APP["tasks.py"], ".platform/routes.yaml": '"https://{default}/": {type: upstream}\n',
        "main/.platform.app.yaml": ("name: api\nsource:\n  root: restapp\nworkers:\n  q:\n    commands:\n"
                                    "      start: huey_consumer tasks.huey\n")})
    assert [(launch.name, launch.service_dir) for launch in found] == [("api q", "restapp")]
