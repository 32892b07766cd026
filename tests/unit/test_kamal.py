"""Kamal (config/deploy.yml): roles, commands, the stop signal and deadline `docker stop` gets, hosts as
instances, and which YAML files are Kamal configurations (basecamp/kamal lib/kamal; field test:
mblayman/homeschool)."""

from __future__ import annotations

import pytest

from hueylint.formats import sniff
from tests.helpers import lint, triples, write_tree

REQS = {"requirements.txt": "huey==3.5.4\n"}
DOCKERFILE = 'FROM python:3.12-slim\nUSER app\nCMD ["gunicorn", "app:wsgi"]\n'
APP = {"app.py": "from huey import RedisHuey, crontab\nhuey = RedisHuey('app', host='localhost')\n\n"
                 "@huey.periodic_task(crontab(minute='0'))\ndef tick():\n    pass\n"}


def kamal(tmp_path, deploy: str, dockerfile: str = DOCKERFILE, extra: dict[str, str] | None = None):
    write_tree(tmp_path, {**REQS, **APP, "Dockerfile": dockerfile, "config/deploy.yml": deploy, **(extra or {})})
    result = lint(tmp_path)
    return result, [launch for launch in result.project.launches if launch.platform == "kamal"]


def config(servers: str, top: str = "") -> str:
    return f"service: app\nimage: example/app\n{top}servers:\n{servers}"


JOBS = "  web:\n    - 10.0.0.1\n  jobs:\n    hosts:\n      - 10.0.0.2\n    cmd: huey_consumer app.huey -w 2{}\n"


def test_a_role_without_proxy_gets_the_drain_timeout(tmp_path):
    _, found = kamal(tmp_path, config(JOBS.format("")))
    assert [(launch.name, launch.stop_signal.value, launch.deadline.value) for launch in found] == [
        ("jobs", "TERM", 30.0)]
    assert found[0].deadline.loc.default.startswith("Kamal default drain_timeout")
    assert found[0].instances.value == 1 and found[0].restart is not None and found[0].restart.value is True


@pytest.mark.parametrize(("top", "role", "deadline"), [
    ("drain_timeout: 45\n", "", 45.0),
    ("stop_timeout: 60\ndrain_timeout: 45\n", "", 60.0),
    ("stop_timeout: 60\n", "\n    stop_timeout: 90", 90.0),
])
def test_stop_timeout_role_then_root_then_drain_timeout(tmp_path, top, role, deadline):
    servers = JOBS.format("") + role
    _, found = kamal(tmp_path, config(servers, top))
    assert [launch.deadline.value for launch in found] == [deadline]


def test_the_primary_role_behind_the_proxy_gets_dockers_ten_seconds(tmp_path):
    _, found = kamal(tmp_path, config("  - 10.0.0.1\n  - 10.0.0.2\n"),
                     dockerfile='FROM python:3.12-slim\nUSER app\nCMD ["huey_consumer", "app.huey"]\n')
    assert [(launch.name, launch.deadline.value, launch.instances.value) for launch in found] == [
        ("web", 10.0, 2)]


@pytest.mark.parametrize(("servers", "top", "deadline"), [
    ("  web:\n    hosts: [10.0.0.1]\n    proxy: false\n", "", 30.0),  # the primary role without its proxy
    ("  worker:\n    hosts: [10.0.0.1]\n    proxy: true\n", "primary_role: web\n", 10.0),  # proxied on request
    ("  worker:\n    - 10.0.0.1\n", "primary_role: worker\n", 10.0),  # another primary role
    ("  web:\n    hosts: [10.0.0.1]\n    options:\n      stop-timeout: 50\n", "", 50.0),  # docker run option
])
def test_which_roles_run_behind_kamal_proxy(tmp_path, servers, top, deadline):
    _, found = kamal(tmp_path, config(servers, top),
                     dockerfile='FROM python:3.12-slim\nUSER app\nCMD ["huey_consumer", "app.huey"]\n')
    assert [launch.deadline.value for launch in found] == [deadline]


def test_stop_signal_from_the_role_options_or_the_image(tmp_path):
    servers = JOBS.format("") + "    options:\n      stop-signal: SIGINT\n"
    result, found = kamal(tmp_path / "options", config(servers))
    assert [launch.stop_signal.value for launch in found] == ["INT"]
    assert not [t for t in triples(result) if t[0] == "HL101"]
    result, found = kamal(tmp_path / "image", config(JOBS.format("")),
                          dockerfile='FROM python:3.12-slim\nUSER app\nSTOPSIGNAL SIGINT\nCMD ["gunicorn", "a"]\n')
    assert [(launch.stop_signal.value, launch.stop_signal.loc.line) for launch in found] == [("INT", 3)]


def test_sigterm_is_hl101_and_two_hosts_enqueue_periodic_tasks_twice(tmp_path):
    servers = "  web:\n    - 10.0.0.1\n  jobs:\n    hosts:\n      - 10.0.0.2\n      - 10.0.0.3\n" \
              "    cmd: huey_consumer app.huey -w 2\n"
    result, _ = kamal(tmp_path, config(servers))
    assert ("HL101", "config/deploy.yml", 10) in triples(result)
    assert ("HL301", "config/deploy.yml", 10) in triples(result)
    message = next(f.message for f in result.findings if f.rule == "HL101")
    assert message.startswith("Kamal stops `jobs` with SIGTERM (Docker default: no STOPSIGNAL in the image)")
    assert message.endswith("or set `options: {stop-signal: SIGINT}` on the role (or STOPSIGNAL SIGINT in the image)")


def test_erb_hosts_are_an_unknown_count(tmp_path):
    servers = "  jobs:\n    hosts:\n      - <%= ENV['WORKER_HOST'] %>\n    cmd: huey_consumer app.huey\n"
    _, found = kamal(tmp_path, config(servers, "primary_role: jobs\n"))
    assert [launch.instances.known for launch in found] == [False]


def test_a_destination_file_beside_its_base_is_not_read_on_its_own(tmp_path):
    _, found = kamal(tmp_path, config(JOBS.format("")),
                     extra={"config/deploy.staging.yml": config(JOBS.format(" -n"))})
    assert [(launch.unit, launch.name) for launch in found] == [("config/deploy.yml", "jobs")]


@pytest.mark.parametrize(("rel", "text", "fmt"), [
    ("config/deploy.yml", "service: app\nimage: a/b\nservers:\n  - 1.2.3.4\n", "kamal"),
    (".kamal/config.yml", "# kamal -c\nservice: 'app'\nimage: a/b\nservers:  # hosts\n  web: [1.2.3.4]\n", "kamal"),
    ("config/deploy.yml", "service: app\nimage: a/b\nservers: {web: [1.2.3.4], jobs: [5.6.7.8]}\n", "kamal"),
    ("config/deploy.yml", "services:\n  web:\n    image: a\n", "compose"),
    ("config/deploy.yml", "service: app\nimage: a/b\n", None),  # no servers: nothing Kamal runs
])
def test_kamal_configurations_are_told_by_their_keys(rel, text, fmt):
    assert sniff("?yaml", text, rel) == fmt


def test_a_broken_kamal_configuration_is_hl001(tmp_path):
    write_tree(tmp_path, {"config/deploy.yml": "service: app\nimage: a/b\nservers: [\n"})
    assert [rule for rule, _path, _line in triples(lint(tmp_path))] == ["HL001"]


def test_an_image_not_built_here_is_taken_to_get_sigterm(tmp_path):
    write_tree(tmp_path, {**REQS, "config/deploy.yml": config("  jobs:\n    hosts: [a]\n    cmd: huey_consumer app.huey\n",
                                                                "primary_role: jobs\n")})
    found = [launch for launch in lint(tmp_path).project.launches if launch.platform == "kamal"]
    assert [(launch.stop_signal.value, launch.stop_signal.loc.default) for launch in found] == [
        ("TERM", "Docker default: no STOPSIGNAL known, the image is not built from this repository")]


def test_a_command_whose_program_is_erb_is_listed_as_not_followed(tmp_path):
    servers = "  jobs:\n    hosts: [a]\n    cmd: <%= ENV['BIN'] %>/huey_consumer app.huey\n"
    result, found = kamal(tmp_path, config(servers, "primary_role: jobs\n"))
    assert found == []
    assert [(d.what, d.why, d.loc.line) for d in result.project.dropped] == [
        ("Kamal role `jobs`", "its `cmd` starts a program that is not known (ERB template "
                              "`<%= ENV['BIN'] %>`)", 7)]


def test_erb_is_rendered_away_before_the_yaml_is_read(tmp_path):
    """Kamal renders ERB first: a Ruby ternary (`? "amd64" : "arm64"`) or an `<% if %>` line is no YAML
    error (field: basecamp/kamal's own test configurations were HL001)."""
    deploy = config("  jobs:\n    hosts:\n<% %w[a b].each do |host| %>\n      - <%= host %>\n<% end %>\n"
                    "    cmd: huey_consumer app.huey -t <%= ENV.fetch('GRACE', 5) %>\n",
                    "primary_role: jobs\n") + \
        'builder:\n  arch: <%= Kamal::Utils.docker_arch == "arm64" ? "amd64" : "arm64" %>\n'
    result, found = kamal(tmp_path, deploy)
    assert "HL001" not in [rule for rule, _path, _line in triples(result)]
    assert [(launch.name, launch.instances.known) for launch in found] == [("jobs", False)]
    assert found[0].options["shutdown_timeout"].known is False and found[0].problems == []


@pytest.mark.parametrize(("top", "deadline", "default"), [
    ("stop_wait_time: 60\n", 60.0, False),
    ("traefik:\n  options:\n    publish: [8080]\n", 10.0, True),
])
def test_kamal_1_stops_every_role_with_stop_wait_time_or_dockers_default(tmp_path, top, deadline, default):
    _, found = kamal(tmp_path, config(JOBS.format(""), top))
    assert [(launch.deadline.value, launch.deadline.loc.is_default) for launch in found] == [(deadline, default)]
