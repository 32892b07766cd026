"""Format detection by name and content."""

from __future__ import annotations

import pytest

from hueylint.formats import foreign_service, name_format, sniff


@pytest.mark.parametrize(("rel", "fmt"), [
    ("Dockerfile", "dockerfile"), ("docker/Dockerfile.prod", "dockerfile"), ("worker.Dockerfile", "dockerfile"),
    ("Containerfile", "dockerfile"), ("Dockerfile.j2", "dockerfile"),
    ("hueylint/parsers/dockerfile.py", "python"), ("docs/Dockerfile.md", None),
    ("Procfile", "procfile"), ("Procfile.dev", "procfile"), ("platforms/procfile.py", "python"),
    ("deploy/huey.service", "systemd"), ("deploy/huey@.service", "systemd"),
    ("deploy/huey.service.d/override.conf", "systemd"), ("templates/huey.service.j2", "systemd"),
    ("compose.yaml", "compose"), ("docker-compose.prod.yml", "compose"), ("compose.override.yaml", "compose"),
    ("etc/logrotate.d/huey", "logrotate"), ("requirements/base.txt", "deps"), ("requirements-dev.txt", "deps"),
    ("poetry.lock", "deps"), ("rootfs/etc/s6-overlay/s6-rc.d/huey/run", "s6"),
    ("Dockerfile-worker", "?dockerfile"), ("docker/Dockerfile_worker", "?dockerfile"),
    ("Containerfile-dev", "?dockerfile"), ("Containerfile.dev", "dockerfile"), ("api.containerfile", "dockerfile"),
    ("scripts/dockerfile_utils.py", "python"), ("Dockerfile-", None), ("Dockerfile-lint.yml", "?yaml"),
    ("k8s/worker.yaml", "?yaml"), ("conf/supervisord.conf", "?ini"), ("README.md", None),
    ("cloudbuild.yaml", "?cloudbuild"), (".cloudbuild/cloudbuild-main-branch.yaml", "?cloudbuild"),
    ("deploy/worker.cloudbuild.yml", "?cloudbuild"), ("mycloudbuild.yaml", "?yaml"),
    # a template named for its role: its head decides (an Ansible role's templates/consumer.j2, a Salt .jinja)
    ("roles/q/templates/consumer.j2", "?ini"), ("salt/huey/files/reports.jinja", "?ini"), ("MANIFEST.in", None),
    ("Makefile.in", None), ("Makefile.j2", None), ("chart/templates/_helpers.tpl", None), ("worker.tmpl", None),
    ("files/huey.erb", "?ini"),
    ("roles/q/templates/notes.md.j2", None), ("consumer", None),
])
def test_name_format(rel, fmt):
    assert name_format(rel) == fmt


def test_sniffing():
    assert not foreign_service("[Unit]\nDescription=huey\n[Service]\nExecStart=x\n")
    assert not foreign_service("# {{ ansible_managed }}\n[Service]\n")
    # field test (Pioreactor/CustoPiZer): avahi's XML service groups and D-Bus activation files are no units
    assert foreign_service('<?xml version="1.0" standalone=\'no\'?>\n<service-group>\n')
    assert foreign_service("\n  <service-group>\n")
    assert foreign_service("[D-BUS Service]\nName=org.example.App\nExec=/usr/bin/app\n")
    assert sniff("?yaml", "apiVersion: apps/v1\nkind: Deployment\n", "k8s/w.yaml") == "kubernetes"
    assert sniff("?yaml", "services:\n  web:\n    image: x\n", "stack.yml") == "compose"
    assert sniff("?yaml", "foo: bar\n", "config.yaml") is None
    assert sniff("?ini", "[program:huey]\ncommand=x\n", "app.conf") == "supervisord"
    assert sniff("?ini", "[watcher:huey]\ncmd=x\n", "circus.ini") == "circus"
    assert sniff("?ini", "[flake8]\nmax-line-length=100\n", "setup.cfg") is None


@pytest.mark.parametrize(("head", "fmt"), [
    ("FROM python:3.13\nCMD x\n", "dockerfile"),
    ("# syntax=docker/dockerfile:1\n\n# the worker image\nARG PY=3.13\nFROM python:${PY}\n", "dockerfile"),
    ("  from python\n", "dockerfile"),
    ("#!/bin/sh\ndocker build -f Dockerfile .\n", None),
    ("import os\nFROM = 1\n", None),
])
def test_dockerfile_name_variants_sniffed(head, fmt):
    """`Dockerfile-worker` / `Dockerfile_worker` are Dockerfiles when they start like one (FROM after comments
    and ARGs), so a helper script named `dockerfile_gen` is not read as a broken Dockerfile."""
    assert sniff("?dockerfile", head, "Dockerfile_worker") == fmt


@pytest.mark.parametrize("text", [
    '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w"}}',
    '{\n\t"apiVersion": "v1",\n\t"items": [],\n\t"kind": "List"\n}\n',
    "{apiVersion: apps/v1, kind: Deployment, metadata: {name: w}}\n",
    "# licence\n" * 2000 + "apiVersion: apps/v1\nkind: Deployment\n",
    "---\n# a comment\n  apiVersion: apps/v1\n  kind: 'Deployment'\n",
    # the words first on lines where they are no key (only the lines holding them are searched), the key
    # on the last line without a newline, CRLF line ends
    "doc: see apiVersion: and kind:\r\nnote: kindly\r\napiVersion: v1\r\nkind: Pod",
])
@pytest.mark.parametrize("kind", ["?yaml", "?json"])
def test_kubernetes_sniffed_in_every_style_and_past_the_first_kilobytes(text, kind):
    assert sniff(kind, text, "deploy/worker.json") == "kubernetes"


@pytest.mark.parametrize("text", [
    '{"name": "app", "kind": "library"}',  # no apiVersion: a package.json-like file
    "description: the apiVersion: and kind: keys of a manifest\n",  # mentioned in a value, not keys
    "jobs:\n  test:\n    steps:\n      - run: huey_consumer app.huey\n",
    "a: apiVersion:\nkind: Pod\nb: kind: x\n",  # a kind key, but apiVersion only inside a value
])
def test_other_yaml_and_json_are_not_kubernetes(text):
    assert sniff("?yaml", text, "x.yaml") is None


def test_unrecognised_file_that_runs_a_consumer_gets_a_notice(tmp_path):
    from hueylint.discovery import discover

    (tmp_path / "ci.yml").write_text("jobs:\n  test:\n    steps:\n      - run: huey_consumer app.huey\n")
    (tmp_path / "config.yaml").write_text("name: app\n")
    (tmp_path / "package.json").write_text('{"name": "app"}\n')
    found = discover([tmp_path], tmp_path, [])
    assert found.sources == []
    assert [(n.rel, n.reason) for n in found.notices] == [
        ("ci.yml", "mentions `huey_consumer` but is not a compose file, Kubernetes manifest, Helm template or ECS "
                   "task definition hueylint recognises: not checked")]


def test_an_ini_file_that_runs_a_consumer_gets_a_notice_too(tmp_path):
    """A uWSGI ``attach-daemon`` (an INI file that is no supervisord, circus or systemd config) starting the
    consumer: a notice, also when the mention lies past the part of the file read to tell its format."""
    from hueylint.discovery import discover

    (tmp_path / "uwsgi.ini").write_text("[uwsgi]\nmodule = proj.wsgi\n" + "; padding\n" * 2000
                                        + "attach-daemon = python manage.py run_huey -w 2\n")
    (tmp_path / "tox.ini").write_text("[tox]\nenvlist = py312\n")
    found = discover([tmp_path], tmp_path, [])
    assert found.sources == []
    assert [(n.rel, n.reason) for n in found.notices] == [
        ("uwsgi.ini", "line 2003: `run_huey` is run by uWSGI as a daemon attached to its master, a supervisor "
                      "hueylint does not model: its stop signal, deadline and restart are not checked (the master "
                      "stops a daemon without a pidfile with SIGTERM, then SIGKILL after `reload-mercy`, 3 s by "
                      "default, when it stops or reloads; uWSGI takes SIGTERM as a brutal reload unless `die-on-term`)")]


def test_discovery_stamps_every_walked_file_with_its_stat(tmp_path):
    """Each walked file (read or not) has its (size, mtime_ns, ctime_ns, inode, device) stamp; a symlink to a
    file inside the tree is stamped with its target's; skipped folders' files have none."""
    import os

    from hueylint.discovery import discover

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "tasks.py").write_text("x = 1\n")
    (tmp_path / "README.md").write_text("hello\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.js").write_text("1\n")
    os.symlink("README.md", tmp_path / "link.md")
    found = discover([tmp_path], tmp_path, [])
    target = os.stat(tmp_path / "README.md")
    assert found.stamps == {
        rel: (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
        for rel, info in (("app/tasks.py", os.stat(tmp_path / "app" / "tasks.py")), ("README.md", target),
                          ("link.md", target))}


@pytest.mark.parametrize("text, expected", [
    ('{"apiVersion": "apps/v1", "kind": "Deployment", "spec": {}}', "kubernetes"),
    ('{"apiVersion": "v1", "items": [{"apiVersion": "apps/v1", "kind": "Deployment"}], "kind": "List"}',
     "kubernetes"),
    # a scanner's report quoting resources is JSON, but no manifest kubectl would apply
    ('{"generationTime": "x", "resources": [{"object": {"apiVersion": "apps/v1", "kind": "Deployment"}}]}', None),
    ('[{"apiVersion": "apps/v1", "kind": "Deployment"}]', None),
    ('{"apiVersion": "apps/v1", "kind": 3}', None),
    # no strict JSON (two objects, a comment): the regexes decide, as for YAML
    ('{"apiVersion": "apps/v1", "kind": "Deployment"}\n{"apiVersion": "v1", "kind": "Service"}', "kubernetes"),
    ('// generated\n{"apiVersion": "apps/v1", "kind": "Deployment"}', "kubernetes"),
])
def test_a_json_file_is_a_manifest_when_its_top_object_is_one(text: str, expected: str | None) -> None:
    assert sniff("?json", text, "deploy/out.json") == expected


# -- editor settings (field test: x-yzt/mixtures, widyaageng/test-huey-postgres) --------------------

@pytest.mark.parametrize("rel", [
    ".vscode/launch.json", ".vscode/tasks.json", "web/.vscode/launch.json", ".vscode/sub/compose.yaml",
    ".idea/runConfigurations/huey.yaml", ".idea/deploy.service",
])
def test_editor_settings_are_never_deployment_files(rel):
    assert name_format(rel) is None


@pytest.mark.parametrize(("rel", "fmt"), [
    ("vscode/launch.json", "?json"), ("ide/launch.json", "?json"), ("deploy/.vscode.yaml", "?yaml"),
    (".vscode", None), ("my.idea/huey.service", "systemd"),
])
def test_folders_only_named_like_an_editor_are_read(rel, fmt):
    assert name_format(rel) == fmt


def test_a_debug_configuration_naming_the_consumer_gets_no_notice(tmp_path):
    from tests.helpers import lint, write_tree

    launch = '{"configurations": [{"name": "huey", "program": "manage.py", "args": ["run_huey"]}]}\n'
    write_tree(tmp_path, {".vscode/launch.json": launch, "ops/launch.json": launch})
    assert [(n.rel, n.reason) for n in lint(tmp_path).notices] == [(
        "ops/launch.json",
        "mentions `run_huey` but is not a compose file, Kubernetes manifest, Helm template or ECS task definition "
        "hueylint recognises: not checked")]



@pytest.mark.parametrize("needle", [b"{{", b"[Service]", b"apiVersion", b"AWS::ECS::TaskDefinition"])
@pytest.mark.parametrize("data", [
    b"", b"{", b"[", b"V", b"W", b"{{", b"a{ {b", b"x: {a: 1}\ny: '{{ v }}'\n", b"[Unit]\n[Service]\n",
    b"apiVersion: v1\n", b"Type: AWS::ECS::TaskDefinition", b"AWS::ECS::Task", b"{a}[V]W" * 100,
    b"{a}[V]W" * 63 + b"{{ [Service] apiVersion AWS::ECS::TaskDefinition",
    b"{a}[V]W" * 64 + b"{{ [Service] apiVersion AWS::ECS::TaskDefinition",
    b"{a}[V]W" * 65 + b"{{ [Service] apiVersion AWS::ECS::TaskDefinition", b"{[VW" * 200, b"end {[VW",
])
def test_anchored_search_answers_as_the_substring_test(data: bytes, needle: bytes) -> None:
    """A clue found anchor by anchor where its rare byte is rare, searched whole past the steps: the same answer
    as ``needle in data`` on either side of the step count, at the text's ends, with the anchor mid-needle."""
    from hueylint.formats import _holds

    anchor = {b"{{": b"{", b"[Service]": b"[", b"apiVersion": b"V", b"AWS::ECS::TaskDefinition": b"W"}[needle]
    assert _holds(data, needle, anchor) is (needle in data)
