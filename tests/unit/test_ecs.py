"""Amazon ECS task definitions (hueylint/platforms/ecs.py): which JSON and YAML files are task definitions, the
container's command over its image, the stop signal and deadline ECS's `docker stop` gets, what a task definition
says of instances and restarts (AWS's ContainerDefinition, StopTask and service documentation)."""

from __future__ import annotations

import json

import pytest

from hueylint.formats import sniff
from hueylint.platforms.ecs import image_name
from tests.helpers import lint, triples, write_tree

REQS = {"requirements.txt": "huey==3.5.4\n"}
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0"


def taskdef(*containers: dict, **top) -> str:
    return json.dumps({"family": "app", **top, "containerDefinitions": list(containers)}, indent=2) + "\n"


def worker(**keys) -> dict:
    return {"name": "worker", "image": IMAGE, "command": ["huey_consumer", "app.huey", "-w", "4"], **keys}


def ecs(tmp_path, files: dict[str, str]):
    write_tree(tmp_path, {**REQS, **files})
    result = lint(tmp_path)
    return result, [launch for launch in result.project.launches if launch.platform == "ecs"]


@pytest.mark.parametrize(("rel", "text", "fmt"), [
    ("task-definition.json", taskdef(worker()), "ecs"),
    ("taskdef.json", json.dumps({"taskDefinition": json.loads(taskdef(worker()))}), "ecs"),  # describe-task-definition
    ("ecs/worker.yaml", "family: app\ncontainerDefinitions:\n  - name: worker\n    image: x\n", "ecs"),
    ("cfn/stack.yaml", "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n", "ecs"),
    ("cfn/stack.json", json.dumps({"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
        "ContainerDefinitions": [{"Name": "w", "Image": "x"}]}}}}), "ecs"),
    ("config.json", json.dumps({"containerDefinitions": []}), None),  # an empty list: no task definition
    ("config.json", json.dumps({"containerDefinitions": "huey_consumer app.huey"}), None),
    ("package.json", json.dumps({"scripts": {"worker": "huey_consumer app.huey"}}), None),
])
def test_which_files_are_task_definitions(rel, text, fmt):
    assert sniff("?yaml" if rel.endswith(".yaml") else "?json", text, rel) == fmt


def test_a_json_file_that_is_no_task_definition_gets_the_notice_naming_ecs(tmp_path):
    result, found = ecs(tmp_path, {"deploy/worker.json": '{"cmd": "huey_consumer app.huey"}\n'})
    assert found == [] and [n.reason for n in result.notices] == [
        "mentions `huey_consumer` but is not a compose file, Kubernetes manifest, Helm template or ECS task "
        "definition hueylint recognises: not checked"]


def test_a_yaml_file_sniffed_as_ecs_but_of_no_task_definition_shape_is_said(tmp_path):
    text = "containerDefinitions:\nworker: huey_consumer app.huey\n"
    result, found = ecs(tmp_path, {"ecs/worker.yaml": text})
    assert found == [] and [(n.rel, n.reason) for n in result.notices] == [(
        "ecs/worker.yaml", "line 2: mentions `huey_consumer` but is no ECS task definition hueylint recognises "
        "(`containerDefinitions`, a CloudFormation `AWS::ECS::TaskDefinition`): not checked")]


def test_defaults_sigterm_thirty_seconds_instances_and_restart_unknown(tmp_path):
    _, found = ecs(tmp_path, {".aws/task-definition.json": taskdef(worker())})
    [launch] = found
    assert (launch.name, launch.unit, launch.stop_signal.value, launch.deadline.value) == (
        "app/worker", "ecs:.aws", "TERM", 30.0)
    assert "SIGTERM assumed" in launch.stop_signal.loc.default
    assert not launch.instances.known and launch.restart is not None and not launch.restart.known


def test_fargate_caps_the_stop_timeout_and_says_its_default(tmp_path):
    _, found = ecs(tmp_path, {"td.json": taskdef(worker(), requiresCompatibilities=["FARGATE"])})
    assert found[0].deadline.loc.default == "ECS default stopTimeout on Fargate"
    assert found[0].chain[0].max_deadline == 120.0
    _, found = ecs(tmp_path, {"td.json": taskdef(worker(stopTimeout=90))})
    assert found[0].deadline.value == 90.0 and found[0].chain[0].max_deadline is None


@pytest.mark.parametrize("value", ["60", True, -1, None])
def test_a_stop_timeout_that_is_no_number_of_seconds_is_unknown(tmp_path, value):
    _, found = ecs(tmp_path, {"td.json": taskdef(worker(stopTimeout=value))})
    deadline = found[0].deadline
    assert (deadline.known, deadline.value) == ((True, 30.0) if value is None else (False, None))


def test_the_image_built_here_gives_stopsignal_user_and_its_entrypoint_keeps_running(tmp_path):
    dockerfile = ('FROM python:3.12-slim\nCOPY entrypoint.sh /entrypoint.sh\nUSER app\nSTOPSIGNAL SIGINT\n'
                  'ENTRYPOINT ["/entrypoint.sh"]\nCMD ["gunicorn", "app:wsgi"]\n')
    files = {"Dockerfile": dockerfile, "entrypoint.sh": '#!/bin/sh\nexec "$@"\n', "td.json": taskdef(worker())}
    result, found = ecs(tmp_path, files)
    [launch] = found
    assert (launch.stop_signal.value, launch.user.value if launch.user else None) == ("INT", "app")
    assert [hop.name for hop in launch.chain][:2] == ["ecs", "entrypoint.sh"]
    assert not [launch for launch in result.project.launches if launch.platform == "docker"]
    assert triples(result, "HL101") == []


def test_entry_point_replaces_the_images_and_drops_its_cmd(tmp_path):
    dockerfile = 'FROM python:3.12-slim\nENTRYPOINT ["huey_consumer"]\nCMD ["app.huey", "-w", "8"]\n'
    command = {"entryPoint": ["python", "-m", "huey.bin.huey_consumer"], "command": ["app.huey", "-w", "2"]}
    _, found = ecs(tmp_path, {"Dockerfile": dockerfile, "td.json": taskdef(worker(**command))})
    assert [launch.argv for launch in found] == [("app.huey", "-w", "2")]
    _, found = ecs(tmp_path, {"Dockerfile": dockerfile, "td.json": taskdef(
        {"name": "worker", "image": IMAGE, "command": ["app.huey", "-n"]})})
    assert [launch.argv for launch in found] == [("app.huey", "-n")]  # command alone keeps the ENTRYPOINT


@pytest.mark.parametrize(("raw", "name"), [
    ("<IMAGE>", ""),
    ("${IMAGE}", ""),
    ("", ""),
    ("acme/worker:${TAG}", "acme/worker"),
    ("${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/worker:latest", "worker:latest"),
    ("${REGISTRY}/worker:latest", ""),  # not an ECR host: any registry, any account
    (IMAGE, IMAGE),
])
def test_image_names_with_placeholders(raw, name):
    assert image_name(raw) == name


def test_a_placeholder_image_is_not_taken_for_the_only_dockerfile(tmp_path):
    dockerfile = 'FROM python:3.12-slim\nSTOPSIGNAL SIGINT\nCMD ["gunicorn", "app:wsgi"]\n'
    _, found = ecs(tmp_path, {"Dockerfile": dockerfile, "td.json": taskdef(worker(image="<IMAGE>"))})
    assert found[0].stop_signal.value == "TERM" and "image `<IMAGE>` is not built" in found[0].stop_signal.loc.default


def test_essential_false_is_not_restarted_and_a_restart_policy_is(tmp_path):
    web = {"name": "web", "image": IMAGE, "command": ["gunicorn", "app:wsgi"]}
    result, found = ecs(tmp_path, {"td.json": taskdef(web, worker(essential=False))})
    assert found[0].restart.value is False and triples(result, "HL203") == [("HL203", "td.json", 21)]
    result, found = ecs(tmp_path, {"td.json": taskdef(web, worker(essential=False, restartPolicy={"enabled": True}))})
    assert found[0].restart.value is True and triples(result, "HL203") == []


def test_a_command_that_is_no_list_is_refused_with_a_notice(tmp_path):
    result, found = ecs(tmp_path, {"td.json": taskdef(worker(command="huey_consumer app.huey"))})
    assert found == [] and [n.reason for n in result.notices] == [
        "line 7: container `worker` gives `command` as no list of strings, which ECS refuses: its consumer command "
        "is not checked"]


def test_a_container_named_for_huey_running_an_unknown_image_is_said(tmp_path):
    result, found = ecs(tmp_path, {"td.json": taskdef({"name": "huey", "image": "<IMAGE>"})})
    assert found == [] and [n.reason for n in result.notices] == [
        "line 6: ECS container `huey` is named for huey, but runs the command of image `<IMAGE>`, which no "
        "Dockerfile of the repository is known to build: no consumer launch, not checked"]


CFN = """\
Resources:
  Workers:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: worker
          Image: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:latest"
          Command: [huey_consumer, app.huey, -w, "4"]
          StopTimeout: 60
          Environment:
            - Name: MODE
              Value: worker
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Workers
      DesiredCount: %s
"""


@pytest.mark.parametrize(("count", "instances", "hl301"), [("3", 3, [("HL301", "cfn.yaml", 8)]), ("1", 1, [])])
def test_a_cloudformation_service_gives_the_task_count_and_restarts_it(tmp_path, count, instances, hl301):
    app = {"app.py": "from huey import RedisHuey, crontab\nhuey = RedisHuey('app', host='localhost')\n\n"
                     "@huey.periodic_task(crontab(minute='0'))\ndef tick():\n    pass\n"}
    result, found = ecs(tmp_path, {**app, "cfn.yaml": CFN % count})
    [launch] = found
    assert (launch.name, launch.instances.value, launch.deadline.value) == ("Workers/worker", instances, 60.0)
    assert launch.restart is not None and launch.restart.value is True
    assert triples(result, "HL301") == hl301


def test_a_cloudformation_image_of_the_repository_is_its_dockerfile(tmp_path):
    dockerfile = 'FROM python:3.12-slim\nUSER app\nSTOPSIGNAL SIGINT\nCMD ["gunicorn", "app:wsgi"]\n'
    build = {"build.sh": "docker build -t 123456789012.dkr.ecr.us-east-1.amazonaws.com/app .\n",
             "web/Dockerfile": "FROM nginx\n"}
    _, found = ecs(tmp_path, {"Dockerfile": dockerfile, **build, "cfn.yaml": CFN % "1"})
    assert found[0].stop_signal.value == "INT"


def test_a_copilot_manifest_naming_the_consumer_gets_a_notice(tmp_path):
    manifest = "name: worker\ntype: Backend Service\nimage:\n  build: Dockerfile\ncommand: huey_consumer app.huey\n"
    result, found = ecs(tmp_path, {"copilot/worker/manifest.yml": manifest})
    assert found == [] and [n.reason for n in result.notices] == [
        "line 5: `huey_consumer` is run by this AWS Copilot manifest (an ECS service or job: its `command`/`entrypoint` "
        "over its image), which hueylint does not model (`copilot svc package` writes the CloudFormation template it "
        "deploys, whose `AWS::ECS::TaskDefinition` hueylint reads): its stop signal, deadline, restart and instances "
        "are not checked"]
