"""Amazon ECS task definitions: one launch per container definition whose container starts a consumer.

Forms read (:func:`hueylint.formats.ecs_task_definition` decides the shape): a task definition as JSON (or YAML)
with ``containerDefinitions`` at its top, what ``aws ecs register-task-definition --cli-input-json`` and the
GitHub action ``aws-actions/amazon-ecs-render-task-definition`` take (``task-definition.json``,
``.aws/taskdef.json``), the same under ``taskDefinition`` (what ``aws ecs describe-task-definition`` prints),
and a CloudFormation template's ``AWS::ECS::TaskDefinition`` resources (``ContainerDefinitions`` with the same
keys spelled in PascalCase: ``Command``, ``EntryPoint``, ``StopTimeout``; a value written with an intrinsic
function, ``!Sub``/``Fn::Sub``, ``!Ref``, is unknown).  Terraform (``aws_ecs_task_definition``) and AWS
Copilot manifests are not read: :mod:`hueylint.unread_formats` gives the HCL notice.

Each fact below is from AWS's documentation:

* Command: ``entryPoint`` "maps to Entrypoint in the docker container create command and the --entrypoint
  option to docker run", ``command`` "maps to Cmd ... and the COMMAND parameter to docker run" (Amazon ECS API
  Reference, ``ContainerDefinition``,
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html): as Docker does,
  ``entryPoint`` replaces the image's ENTRYPOINT and drops its CMD, ``command`` alone replaces its CMD.
  Both are lists of words, no shell runs them.
* Stop: "When you call StopTask on a task, the equivalent of docker stop is issued to the containers running in
  the task. This results in a stop signal value and a default 30-second timeout, after which the SIGKILL value
  is sent ... This signal can be defined in your container image with the STOPSIGNAL instruction and will
  default to SIGTERM" (``StopTask``, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopTask.html,
  and ``aws ecs stop-task``).  A task definition has no stop-signal setting of its own: the image's STOPSIGNAL,
  else SIGTERM.  On Fargate, STOPSIGNAL is honoured since 10 December 2025 ("Amazon ECS supports custom
  container stop signals on AWS Fargate", https://aws.amazon.com/about-aws/whats-new/2025/12/amazon-ecs-custom-container-stop-signals-fargate/:
  before, every Linux container on Fargate got SIGTERM; "If STOPSIGNAL is not configured, Amazon ECS continues to
  send SIGTERM by default"); the image's STOPSIGNAL is read on both launch types.
* Deadline: the container's ``stopTimeout`` (seconds); without it 30 s on Fargate, whose maximum is 120 s,
  and on EC2 the container agent's ``ECS_CONTAINER_STOP_TIMEOUT``, 30 s unless set (``ContainerDefinition``
  ``stopTimeout``).  The agent's setting is on the instances, not in the repository: the 30 s default is shown.
* Instances: a task definition does not say how many tasks run: an ECS service's ``desiredCount`` does, or each
  ``run-task`` call ("Amazon ECS services", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html).
  The count is unknown (no HL301), except for a CloudFormation ``AWS::ECS::Service`` of the same template whose
  ``TaskDefinition`` is a ``Ref`` to it: its literal ``DesiredCount``, or any number for ``SchedulingStrategy:
  DAEMON`` (one task per container instance).
* Restart: "If one of your tasks fails or stops, the Amazon ECS service scheduler launches another instance of
  your task definition to replace it" (``ecs_services``); a task run by itself (``run-task``, a scheduled task)
  is not restarted, and the file does not say which it is: unknown, unless the container's ``restartPolicy``
  is enabled (ECS restarts the container in its task: ``ContainerRestartPolicy``,
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerRestartPolicy.html) or a CloudFormation
  service of the template runs the task definition.  A container with ``essential: false`` that exits stops
  nothing ("If the essential parameter of a container is marked as false, its failure doesn't affect the rest
  of the containers in a task", ``ContainerDefinition`` ``essential``): its task keeps running, so no service
  replaces it and without a restart policy the consumer stays down (HL203).
* Deployment unit: the folder of the file (the task definitions a pipeline registers together, as the manifests
  of a Kubernetes folder).
* User: the container's ``user``, else the image's USER.  Logs: a ``logConfiguration`` (``awslogs``,
  FireLens) collects the container's stdout and stderr.
* Image: an ``image`` a repository file builds (a compose ``build:`` with that ``image:``, a build script's or
  workflow's ``docker build -t``, the only Dockerfile of the repository for another name; as for Kubernetes,
  :func:`hueylint.platforms.kubernetes.image_source`) runs its Dockerfile's ENTRYPOINT, CMD, STOPSIGNAL and
  USER; a placeholder (``<IMAGE>``, ``${IMAGE}``, ``{{image}}``, what a pipeline or the render action fills in)
  is an image not known, shown as written, unless a GitHub workflow's ``amazon-ecs-render-task-definition`` step
  fills the container's image in with the image an earlier step of its job builds (:func:`rendered_images`: AWS's
  starter workflow for ECS).  The host of an ECR name spelled with variables
  (``${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/worker``) is dropped: the repository path names it.
"""

from __future__ import annotations

import math
import posixpath
import re
from typing import Any

from hueylint.chain import Token
from hueylint.discovery import Notice
from hueylint.environment import record as record_env
from hueylint.formats import ECS_CFN_TYPE, ecs_task_definition
from hueylint.hueyfacts import CONSUMER_PROGRAMS, CONSUMER_WORD
from hueylint.launches import make_launch, named_for_huey, unbuilt_named_image, unfollowed_named_launch
from hueylint.locations import Loc
from hueylint.model import Hop, Project, Val
from hueylint.parsers.yamldocs import Doc, load
from hueylint.platforms import Built, docker, kubernetes
from hueylint.platforms.scripts import RepoScripts
from hueylint.regexes import lazy_pattern
from hueylint.words import clipped
from hueylint.workspace import Workspace

DEFAULT_STOP_TIMEOUT = 30.0
FARGATE_MAX_STOP_TIMEOUT = 120.0

#: a value a pipeline, a template or the render action fills in before the task definition is registered
_PLACEHOLDER = lazy_pattern(r"<[^<>]*>|\$\{[^}]*\}|\$[A-Za-z_]\w*|\{\{.*?\}\}|#\{[^}]*\}|@@\w+@@")


class Keys:
    """A task definition's keys as written: camelCase in the API's JSON, PascalCase in CloudFormation."""

    def __init__(self, cloudformation: bool) -> None:
        self.cloudformation = cloudformation

    def __call__(self, key: str) -> str:
        return key[0].upper() + key[1:] if self.cloudformation else key


def _intrinsic(value: Any) -> bool:
    """A CloudFormation intrinsic function (``{"Ref": ...}``, ``{"Fn::Sub": ...}``, ``!Sub ...``): set when the
    stack is deployed."""
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        return isinstance(key, str) and (key == "Ref" or key.startswith("Fn::"))
    return type(value).__name__.startswith("Tagged")


def _ref_of(value: Any) -> str | None:
    """The logical id a ``Ref`` names (``{"Ref": "TaskDef"}``, ``!Ref TaskDef``), else None."""
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("Ref"), str):
        return str(value["Ref"])
    tag = getattr(getattr(value, "tag", None), "value", None)
    inner = getattr(value, "value", None)
    return str(inner) if tag == "!Ref" and isinstance(inner, str) else None


def _sub_text(value: Any) -> str:
    """The string of a ``Fn::Sub`` (``!Sub "${AWS::AccountId}.dkr.ecr..."``), its ``${...}`` left as placeholders;
    "" for any other intrinsic function."""
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):
        return str(value["Fn::Sub"])
    tag = getattr(getattr(value, "tag", None), "value", None)
    inner = getattr(value, "value", None)
    return str(inner) if tag == "!Sub" and isinstance(inner, str) else ""


# -- the task definitions of a document -------------------------------------------------------------

class Task:
    """One task definition: its mapping, how its keys are spelled, where it is written, and the CloudFormation
    service that runs it (desired count, where), when the template declares one."""

    def __init__(self, doc: Doc, mapping: dict, keys: Keys, loc: Loc, name: str,
                 service: tuple[Val[Any], Loc] | None = None) -> None:
        self.doc, self.mapping, self.keys, self.loc, self.name, self.service = doc, mapping, keys, loc, name, service


def tasks(doc: Doc) -> list[Task]:
    data = doc.data
    if not ecs_task_definition(data):
        return []
    if "containerDefinitions" in data:
        family = data.get("family")
        return [Task(doc, data, Keys(False), doc.key_loc(data, "containerDefinitions"),
                     str(family) if isinstance(family, str) else "")]
    if isinstance(data.get("taskDefinition"), dict) and "containerDefinitions" in data["taskDefinition"]:
        inner = data["taskDefinition"]
        family = inner.get("family")
        return [Task(doc, inner, Keys(False), doc.key_loc(inner, "containerDefinitions"),
                     str(family) if isinstance(family, str) else "")]
    resources = data.get("Resources")
    found: list[Task] = []
    services = _cfn_services(doc, resources)
    for logical, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != ECS_CFN_TYPE:
            continue
        properties = resource.get("Properties")
        if isinstance(properties, dict) and isinstance(properties.get("ContainerDefinitions"), list):
            found.append(Task(doc, properties, Keys(True), doc.key_loc(properties, "ContainerDefinitions"),
                              str(logical), services.get(str(logical))))
    return found


def _cfn_services(doc: Doc, resources: dict) -> dict[str, tuple[Val[Any], Loc]]:
    """Logical id of a task definition -> (the task count, where the service is written) of the template's
    ``AWS::ECS::Service`` that runs it by ``Ref``.  Two services running one task definition add up."""
    found: dict[str, tuple[Val[Any], Loc]] = {}
    for logical, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::ECS::Service":
            continue
        properties = resource.get("Properties")
        if not isinstance(properties, dict):
            continue
        target = _ref_of(properties.get("TaskDefinition"))
        if target is None:
            continue
        where = doc.key_loc(resources, logical)
        if properties.get("SchedulingStrategy") == "DAEMON":
            count: Val[Any] = Val("scalable", doc.value_loc(properties, "SchedulingStrategy"))
        elif "DesiredCount" in properties:
            raw = properties["DesiredCount"]
            loc = doc.value_loc(properties, "DesiredCount")
            count = Val(raw, loc) if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0 else \
                Val.unknown_at(loc, f"DesiredCount {clipped(str(getattr(raw, 'value', raw)))}")
        else:
            count = Val.unknown_at(where, f"service `{logical}` sets no DesiredCount")
        if target in found:
            before = found[target][0]
            count = Val(before.value + count.value, count.loc) if before.known and count.known and \
                isinstance(before.value, int) and isinstance(count.value, int) else \
                Val.unknown_at(where, "several services run this task definition")
        found[target] = (count, where)
    return found


# -- one container definition -----------------------------------------------------------------------

def _get(task: Task, mapping: Any, key: str) -> Any:
    return mapping.get(task.keys(key)) if isinstance(mapping, dict) else None


def image_name(raw: str) -> str:
    """The name to match with the repository's images: "" for a placeholder (``<IMAGE>``, ``${IMAGE}``); a
    placeholder in the tag only keeps the name (``acme/worker:${TAG}``), one in an ECR registry host only keeps
    the repository path (``${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/worker``)."""
    text = raw.strip()
    if not text:
        return ""
    name, at, _digest = text.partition("@")
    head, sep, tail = name.rpartition(":")
    if sep and "/" not in tail and _PLACEHOLDER.search(tail) and not _PLACEHOLDER.search(head):
        name = head
    host, slash, path = name.partition("/")
    if slash and _PLACEHOLDER.search(host) and ".dkr.ecr." in host and not _PLACEHOLDER.search(path):
        name = path
    return "" if _PLACEHOLDER.search(name) else name


#: what :func:`_words` returns for a value ECS refuses
REFUSED: list[Token] = []


def _words(ws: Workspace, task: Task, container: dict, key: str, what: str) -> list[Token] | None:
    """``entryPoint``/``command`` as tokens at their places; None when not written (or null).  A value that is
    not a list of strings is refused by ECS (``register-task-definition`` validates the types): :data:`REFUSED`
    and a notice when it names a consumer.  An intrinsic function's item is an unknown word."""
    doc = task.doc
    written = task.keys(key)
    value = container.get(written)
    if value is None:
        return None
    if not isinstance(value, list) or _intrinsic(value):
        if CONSUMER_WORD.search(str(value)):
            ws.say(Notice(doc.rel, f"line {doc.key_loc(container, written).line}: container `{clipped(what)}` gives "
                                   f"`{written}` as no list of strings, which ECS refuses: its consumer command is "
                                   "not checked"))
        return REFUSED
    tokens: list[Token] = []
    for index, item in enumerate(value):
        loc = doc.item_loc(value, index)
        if isinstance(item, str) and not doc.unknown_text(item):
            tokens.append(Token(item, loc, spots=doc.item_spots(value, index)))
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            tokens.append(Token(str(item), loc))
        else:
            tokens.append(Token("${CFN}", loc))  # set when the stack is deployed
    return tokens


def stop_signal(stage: docker.Stage | None, image: str) -> Val[str]:
    if stage is not None:
        return docker.image_signal(stage, "ECS default: no STOPSIGNAL in the image, `docker stop`'s SIGTERM")
    what = f"image `{image}` is not built in this repository" if image else "the image is not known"
    return Val.default("TERM", f"ECS default: {what}: SIGTERM assumed (an image STOPSIGNAL would change it)")


def _fargate(task: Task) -> bool | None:
    """True for a Fargate-only task definition, False for one that names no Fargate, None when both or neither
    are named (the launch type is chosen when the task runs)."""
    value = _get(task, task.mapping, "requiresCompatibilities")
    if not isinstance(value, list):
        return None
    kinds = {str(item).upper() for item in value if isinstance(item, str)}
    if kinds == {"FARGATE"}:
        return True
    return False if kinds and "FARGATE" not in kinds else None


def stop_deadline(task: Task, container: dict, fargate: bool | None) -> Val[float]:
    written = task.keys("stopTimeout")
    if written in container and container[written] is not None:
        value = task.doc.val(container, written)
        if value is None or not value.known:
            return value or Val.unknown_at(task.doc.node_loc(container), written)
        raw = value.value
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw) or raw < 0:
            return Val.unknown_at(value.loc, f"{written} {clipped(str(getattr(raw, 'value', raw)))}")
        return Val(float(raw), value.loc)
    if fargate:
        return Val.default(DEFAULT_STOP_TIMEOUT, "ECS default stopTimeout on Fargate")
    return Val.default(DEFAULT_STOP_TIMEOUT, "ECS default: no stopTimeout: 30 s on Fargate, on EC2 the container "
                                             "agent's ECS_CONTAINER_STOP_TIMEOUT (30 s unless set)")


def _environment(task: Task, container: dict) -> tuple[dict[str, Val[str]], bool]:
    """``environment`` (``name``/``value`` items) as written, ``secrets`` names unknown; whether these are all the
    variables the container gets (no ``environmentFiles``, which ECS reads from S3)."""
    doc, env = task.doc, {}
    items = _get(task, container, "environment")
    complete = not _get(task, container, "environmentFiles")
    for index, item in enumerate(items if isinstance(items, list) else []):
        name = _get(task, item, "name")
        if not isinstance(name, str):
            complete = False
            continue
        written = task.keys("value")
        value = doc.val(item, written) if isinstance(item, dict) and written in item else None
        if value is not None and value.known and isinstance(value.value, (str, int, float)) and \
                not isinstance(value.value, bool):
            env[name] = Val(str(value.value), value.loc)
        else:
            env[name] = Val.unknown_at(value.loc if value is not None else doc.item_loc(items, index),
                                       f"environment {name}")
    secrets = _get(task, container, "secrets")
    for index, item in enumerate(secrets if isinstance(secrets, list) else []):
        name = _get(task, item, "name")
        if isinstance(name, str):
            env[name] = Val.unknown_at(doc.item_loc(secrets, index), f"secret {name} (set when the task starts)")
    return env, complete


def _restart(task: Task, container: dict, origin: Loc) -> Val[bool]:
    doc = task.doc
    policy = _get(task, container, "restartPolicy")
    enabled = doc.val(policy, task.keys("enabled")) if isinstance(policy, dict) and task.keys("enabled") in policy \
        else None
    if enabled is not None and enabled.known and enabled.value is True:
        return Val(True, enabled.loc)
    essential = doc.val(container, task.keys("essential")) if task.keys("essential") in container else None
    if essential is not None and essential.known and essential.value is False:
        return Val(False, essential.loc)  # its exit stops nothing: no service replaces the task
    if task.service is not None:
        return Val(True, task.service[1])  # the template's ECS service replaces a stopped task
    return Val.unknown_at(origin, "an ECS service replaces a stopped task, a task run by itself is not restarted: "
                                  "the task definition does not say which runs it")


def _instances(task: Task, origin: Loc) -> Val[Any]:
    if task.service is not None:
        return task.service[0]
    return Val.unknown_at(origin, "a task definition does not say how many tasks run (an ECS service's "
                                  "desiredCount does)")


def _user(task: Task, container: dict, stage: docker.Stage | None, origin: Loc) -> Val[str]:
    written = task.keys("user")
    if written in container and container[written] is not None:
        value = task.doc.val(container, written)
        if value is not None and value.known and isinstance(value.value, (str, int)) and \
                not isinstance(value.value, bool):
            return Val(str(value.value), value.loc)
        return Val.unknown_at(value.loc if value is not None else origin, written)
    if stage is not None:
        return docker.image_user(stage)
    return Val.unknown_at(origin, "the image is not built in this repository")


# -- the image a GitHub workflow renders into a task definition ------------------------------------------

RENDER_ACTION = "aws-actions/amazon-ecs-render-task-definition"
_ENV_EXPRESSION = lazy_pattern(r"\$\{\{\s*env\.([A-Za-z_][\w-]*)\s*\}\}")
_STEP_OUTPUT = lazy_pattern(r"^\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$")


def rendered_images(ws: Workspace) -> dict[tuple[str, str], docker.ImageSource]:
    """(task definition path, container name) -> the image a GitHub workflow's ``amazon-ecs-render-task-definition``
    step puts in that container (the action replaces its ``image`` with the step's ``image`` input,
    github.com/aws-actions/amazon-ecs-render-task-definition): the image an earlier step of the job builds, when
    the input is that step's output (``${{ steps.build-image.outputs.image }}``, AWS's starter workflow) and the step
    builds from one Dockerfile.  ``${{ env.X }}`` in the inputs is the step's, job's or workflow's ``env`` as written;
    a step reading the task definition another render step wrote (``${{ steps.web.outputs.task-definition }}``)
    renders that one's file."""
    return ws.memo(("ecs-rendered-images",), lambda: _rendered_images(ws))


def _rendered_images(ws: Workspace) -> dict[tuple[str, str], docker.ImageSource]:
    from hueylint.platforms.buildscripts import script_built_images, workflow_files, yaml_docs

    found: dict[tuple[str, str], docker.ImageSource] = {}
    for base, rel in workflow_files(ws):
        src = ws.file(rel)
        if src is None or RENDER_ACTION not in src.text:
            continue
        built = [source for source in script_built_images(ws) if source.loc.path == rel]
        for doc in yaml_docs(ws, rel, RENDER_ACTION, lines=True, say=False):
            jobs = doc.data.get("jobs") if isinstance(doc.data, dict) else None
            for job in jobs.values() if isinstance(jobs, dict) else []:
                if isinstance(job, dict) and isinstance(job.get("steps"), list):
                    _render_steps(doc, base, job, [doc.data.get("env"), job.get("env")], built, found)
    return found


def _input(inputs: dict, key: str, scopes: list[Any]) -> str | None:
    """A step input with its ``${{ env.X }}`` filled in from the first scope that sets ``X`` (left as written when
    none does: not known)."""
    raw = inputs.get(key)
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        return None

    def env(match: re.Match[str]) -> str:
        for scope in scopes:
            if isinstance(scope, dict) and isinstance(scope.get(match.group(1)), (str, int)):
                return str(scope[match.group(1)])
        return match.group(0)

    return _ENV_EXPRESSION.sub(env, str(raw))


def _render_steps(doc: Doc, base: str, job: dict, envs: list[Any], built: list[docker.ImageSource],
                  found: dict[tuple[str, str], docker.ImageSource]) -> None:
    steps: list[Any] = job["steps"]
    lines = [doc.item_loc(steps, index).line for index in range(len(steps))] + [10 ** 9]
    spans = {str(step["id"]): (lines[index], lines[index + 1] - 1) for index, step in enumerate(steps)
             if isinstance(step, dict) and isinstance(step.get("id"), str)}
    rendered: dict[str, str] = {}  # a render step's id -> the task definition it renders
    for step in steps:
        if not isinstance(step, dict) or not str(step.get("uses") or "").startswith(RENDER_ACTION + "@"):
            continue
        inputs = step.get("with")
        if not isinstance(inputs, dict):
            continue
        scopes = [step.get("env"), *reversed(envs)]  # the step's env first, then the job's, then the workflow's
        path, container, image = (_input(inputs, key, scopes) for key in ("task-definition", "container-name", "image"))
        output = _STEP_OUTPUT.match(path or "")
        if output is not None and output.group(2) == "task-definition":
            path = rendered.get(output.group(1))
        if not path or "${{" in path or not container or "${{" in container:
            continue
        rel = posixpath.normpath(posixpath.join(base, path))
        if isinstance(step.get("id"), str):
            rendered[str(step["id"])] = path
        producer = _STEP_OUTPUT.match(image or "")
        span = spans.get(producer.group(1)) if producer is not None else None
        if span is None:
            continue
        sources = [source for source in built if span[0] <= source.loc.line <= span[1]]
        if sources and len({(source.dockerfile, source.target) for source in sources}) == 1:
            found[(rel, container)] = sources[0]


def build(ws: Workspace, project: Project) -> Built:
    built = Built()
    for src in ws.of_format("ecs"):
        found = False
        for doc in load(ws, src) or []:
            for task in tasks(doc):
                found = True
                _task(ws, project, built, task)
        if not found and any(word in src.text for word in CONSUMER_PROGRAMS):
            match = CONSUMER_WORD.search(src.text)
            if match is not None:
                line = src.text.count("\n", 0, match.start()) + 1
                ws.say(Notice(src.rel, f"line {line}: mentions `{match.group(0)}` but is no ECS task definition "
                                       "hueylint recognises (`containerDefinitions`, a CloudFormation "
                                       f"`{ECS_CFN_TYPE}`): not checked"))
    return built


def _task(ws: Workspace, project: Project, built: Built, task: Task) -> None:
    doc = task.doc
    containers = _get(task, task.mapping, "containerDefinitions")
    fargate = _fargate(task)
    # the task definitions of one folder are deployed together (`.aws/`, `deploy/ecs/`: one pipeline registers
    # them), as the manifests of a Kubernetes folder
    unit = f"ecs:{posixpath.dirname(doc.rel) or '.'}"
    for index, container in enumerate(containers if isinstance(containers, list) else []):
        if not isinstance(container, dict):
            continue
        origin = doc.item_loc(containers, index)
        raw_name = _get(task, container, "name")
        cname = str(raw_name) if isinstance(raw_name, str) else f"container {index + 1}"
        raw_image = _get(task, container, "image")
        image = _sub_text(raw_image) if _intrinsic(raw_image) else "" if raw_image is None else str(raw_image)
        shown = image or ("(set by CloudFormation)" if raw_image is not None else "")
        name = image_name(image)
        # the image a workflow's render step puts there (it replaces the written one), else the one written
        source = rendered_images(ws).get((doc.rel, cname)) or (kubernetes.image_source(ws, name) if name else None)
        resolved = docker.stage_of(ws, source) if source is not None else None
        workdir = doc.val(container, task.keys("workingDirectory")) if task.keys("workingDirectory") in container \
            else None
        resolved = docker.in_workdir(resolved, workdir)
        user = _user(task, container, resolved[1] if resolved else None, origin)
        resolved = docker.with_user(resolved, user if task.keys("user") in container else None)
        variables, complete = _environment(task, container)
        resolved = docker.with_env(resolved, variables, complete)
        stage = resolved[1] if resolved else None
        image_built = (resolved[0], resolved[1], source.context) if resolved and source else None
        if image_built is not None and source is not None:
            built.replaces.add(source.dockerfile)  # the image's own `docker run` launch is this container's
        entrypoint = _words(ws, task, container, "entryPoint", cname)
        command = _words(ws, task, container, "command", cname)
        if entrypoint is REFUSED or command is REFUSED:
            continue  # refused by ECS (said when it names a consumer)
        hits, tokens, resolver = docker.container_hits(ws, image_built, entrypoint, command, origin, RepoScripts(ws))
        hop = Hop("platform", "ecs", origin, sends=stop_signal(stage, shown),
                  deadline=stop_deadline(task, container, fargate),
                  max_deadline=FARGATE_MAX_STOP_TIMEOUT if fargate else None)
        what = f"{task.name}/{cname}" if task.name else cname
        env = {**(dict(stage.env) if stage else {}), **variables}
        logged = _get(task, container, "logConfiguration") is not None
        launches = []
        for hit in hits:
            where = hit.loc if hit.loc.path == doc.rel else origin
            launch = make_launch(
                project, hop, hit, platform="ecs", name=what, unit=unit, origin=where,
                instances=_instances(task, origin), user=user, collects_logs=logged,
                restart=_restart(task, container, origin),
                workdir=Val(stage.workdir, stage.loc) if stage else None,
                service_dir=resolver.workdir_folder() if isinstance(resolver, docker.DockerResolver) else
                posixpath.dirname(doc.rel))
            launch.command = Val(cname, where)
            record_env(launch, env, origin)
            launches.append(launch)
        if not hits and tokens:
            supervised = docker.supervised(ws, project, tokens, origin, resolver, hop, unit, env, user=user,
                                           name=cname)
            built.claims |= supervised.claims
            launches = supervised.launches
        built.launches += launches
        written = [*(entrypoint or ()), *(command or ())]
        if not launches and (written or source is None or tokens) and named_for_huey(cname):
            label = f"ECS container `{cname}`"
            if written or tokens:
                unfollowed_named_launch(ws, label, [token.text for token in tokens or written], (written or tokens)[0].loc)
            else:
                unbuilt_named_image(ws, label, shown, doc.value_loc(container, task.keys("image"))
                                    if task.keys("image") in container else origin)
