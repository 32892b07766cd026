"""Consumer launches declared in languages hueylint does not evaluate (Terraform/HCL, Jsonnet, Nix) and Nomad jobs,
a supervisor it does not model: a file naming the consumer gets a notice at that line, never silence; one
that names it only in a comment, or not at all, gets none."""

from __future__ import annotations

import pytest

from hueylint.formats import name_format
from tests.helpers import notices_without_launches as _notices

NOMAD = ('job "queue" {\n  group "workers" {\n    count = 2\n    task "consumer" {\n      driver = "exec"\n'
         '      config {\n        command = "/srv/venv/bin/huey_consumer"\n        args = ["app.huey"]\n'
         '      }\n    }\n  }\n}\n')
NOMAD_STOPS = ("a supervisor hueylint does not model: its stop signal, deadline, restart and instances are not checked "
               "(Nomad sends the task's `kill_signal`, SIGINT by default, and for a `docker` task `docker stop`'s "
               "signal, the image's STOPSIGNAL else SIGTERM; SIGKILL follows after `kill_timeout`, 5 s by default; "
               "every instance of the group's `count` enqueues the periodic tasks unless run with `--no-periodic`)")
HCL_NOT_EVALUATED = ("is named in this HCL file (Terraform or another HashiCorp configuration), which hueylint does "
                     "not evaluate: the launch it declares (an ECS task definition's `command`, a Kubernetes or "
                     "Nomad resource) is not checked")


@pytest.mark.parametrize(("rel", "fmt"), [
    ("deploy/queue.nomad", "?nomad"), ("nomad/queue.nomad.hcl", "?nomad"), ("jobs/queue.nomad.j2", "?nomad"),
    ("infra/ecs.tf", "?hcl"), ("jobs/queue.hcl", "?hcl"), ("k8s/app.jsonnet", "?jsonnet"),
    ("k8s/lib/app.libsonnet", "?jsonnet"), ("nixos/worker.nix", "?nix"), ("infra/ecs.tfvars", None), ("k8s/worker.json", "?json"),
])
def test_files_of_unread_languages_are_recognised_by_their_path(rel, fmt):
    assert name_format(rel) == fmt



def test_a_nomad_job_gets_a_notice_with_nomads_stop_facts(tmp_path):
    assert _notices(tmp_path, {"deploy/queue.nomad": NOMAD}) == [
        ("deploy/queue.nomad", f"line 7: `huey_consumer` is run by this Nomad job, {NOMAD_STOPS}")]


def test_a_nomad_job_in_a_plain_hcl_file_is_told_by_its_blocks(tmp_path):
    assert _notices(tmp_path, {"jobs/queue.hcl": NOMAD}) == [
        ("jobs/queue.hcl", f"line 7: `huey_consumer` is run by this Nomad job, {NOMAD_STOPS}")]


def test_a_terraform_file_gets_a_notice_past_its_comments(tmp_path):
    tf = ('resource "aws_ecs_task_definition" "q" {\n  # was: command = ["python", "manage.py", "run_huey"]\n'
          '  // also run_huey\n  container_definitions = jsonencode([{\n'
          '    command = ["python", "manage.py", "run_huey", "-w", "4"]\n  }])\n}\n')
    assert _notices(tmp_path, {"infra/ecs.tf": tf}) == [("infra/ecs.tf", f"line 5: `run_huey` {HCL_NOT_EVALUATED}")]


def test_a_jsonnet_file_gets_a_notice_at_the_string_naming_the_consumer(tmp_path):
    jsonnet = ("{\n  kind: 'ConfigMap',\n  apiVersion: 'v1',\n  data: {\n    // run: 'manage.py djangohuey'\n"
               "    run: '#!/bin/sh\\nexec python manage.py djangohuey --queue mail\\n',\n  },\n}\n")
    assert _notices(tmp_path, {"k8s/hub.jsonnet": jsonnet}) == [
        ("k8s/hub.jsonnet", "line 6: `djangohuey` is named in this Jsonnet file, which hueylint does not evaluate: "
         "the launch in the manifests it renders is not checked (render them, `jsonnet -y FILE > rendered.yaml`, "
         "and check the output)")]


def test_a_nixos_service_gets_a_notice_with_systemds_defaults(tmp_path):
    nix = ('{ pkgs, ... }:\n{\n  # was: huey_consumer app.huey\n  systemd.services.worker = {\n    serviceConfig = {\n'
           '      ExecStart = "${pkgs.python3}/bin/python -m huey.bin.huey_consumer app.huey";\n    };\n  };\n}\n')
    assert _notices(tmp_path, {"nixos/worker.nix": nix}) == [
        ("nixos/worker.nix", "line 6: `huey_consumer` is run by a systemd service this Nix file declares (NixOS "
         "`systemd.services`), which hueylint does not evaluate: its stop signal, deadline and restart are not "
         "checked (`serviceConfig` becomes the unit: SIGTERM unless `KillSignal`, SIGKILL after `TimeoutStopSec`, "
         "90 s by default; huey takes SIGTERM as \"stop now\" unless the consumer runs with `-g TERM`)")]


def test_another_nix_file_naming_the_consumer_gets_the_plain_notice(tmp_path):
    nix = '{ pkgs }: pkgs.writeShellScriptBin "queue" "exec huey_consumer app.huey"\n'
    assert _notices(tmp_path, {"pkgs/queue.nix": nix}) == [
        ("pkgs/queue.nix", "line 1: `huey_consumer` is named in this Nix file, which hueylint does not evaluate: "
         "the launch it declares is not checked")]


@pytest.mark.parametrize("files", [
    {"infra/ecs.tf": 'resource "aws_ecs_task_definition" "q" {\n  # command = ["huey_consumer", "app.huey"]\n}\n'},
    {"infra/web.tf": 'resource "aws_ecs_task_definition" "web" {\n  family = "huey-web"\n}\n'},
    {"deploy/web.nomad": NOMAD.replace("huey_consumer", "gunicorn")},
    {"k8s/app.libsonnet": "{ name: 'huey', image: 'app' }\n"},
    {"default.nix": "{ pkgs }: pkgs.python3.withPackages (ps: [ ps.huey ])\n"},
])
def test_files_that_start_no_consumer_get_no_notice(tmp_path, files):
    assert _notices(tmp_path, files) == []
