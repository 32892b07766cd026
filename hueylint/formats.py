"""Which files can matter, and in which format, decided cheaply.

Names decide most formats; ambiguous extensions (``.conf``, ``.ini``,
``.yaml``) are sniffed from the first bytes.  Files that cannot matter are
never read in full, so a large repository costs little.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from hueylint.hueyfacts import CONSUMER_PROGRAMS, CONSUMER_WORD
from hueylint.regexes import lazy_pattern
from hueylint.sources import bom_decoded
from hueylint.unmodelled_supervisors import (
    WINDOWS_SCRIPT_SUFFIXES,
    ansible_cron_notice,
    captain_definition,
    cron_file,
    cron_notice,
    init_script,
    init_script_notice,
    launchd_notice,
    nomad_notice,
    nssm_notice,
    paas_notice,
    pm2_file,
    pm2_notice,
    service_notice,
    service_run_file,
    upstart_notice,
    upsun_app_config,
    upsun_config,
    uwsgi_ini_notice,
    winsw_notice,
)
from hueylint.unread_formats import unread_language, unread_notice

SYSTEMD_SUFFIXES = (".service",)
#: PowerShell scripts and modules (read as PowerShell reads them: by their byte order mark)
POWERSHELL_SUFFIXES = (".ps1", ".psm1")
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".tmpl", ".tpl", ".template", ".in", ".erb")
SNIFF_HEAD = 8192  # characters of an INI-like file that decide its format
#: bytes that hold the first SNIFF_HEAD characters (at most 4 bytes each in UTF-8, one per bad byte), plus a
#: character cut at the end (its U+FFFD lands after them)
HEAD_BYTES = SNIFF_HEAD * 4 + 4
DEP_NAMES = ("pyproject.toml", "setup.cfg", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock", "environment.yml",
             "environment.yaml")


#: the suffixes of a provisioning tool's templates (Ansible's and Salt's Jinja, Chef's and Puppet's ERB), which a
#: role may name for what they do rather than what they are (``templates/consumer.j2``); not Helm's and Go's
#: ``.tpl``/``.tmpl`` partials, nor autoconf's and setuptools' ``.in``
_ROLE_TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".erb")


def strip_template_suffix(name: str) -> str:
    if not name.endswith(TEMPLATE_SUFFIXES):
        return name
    for suffix in TEMPLATE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


#: the suffixes of a file kept as an example to copy (``docker-compose.yml.example``, ``compose.yaml.sample``,
#: ``docker-compose.yml.dist``): a stack the user copies to ``docker-compose.yml``, read as the compose file it
#: becomes, which :mod:`hueylint.platforms.compose` treats as it treats ``docker-compose.example.yml`` (field test
#: bptarpley/corpora: its only deployment is ``docker-compose.yml.example``, never read, so its consumer was missed)
EXAMPLE_SUFFIXES = (".example", ".sample", ".dist")


def strip_example_suffix(name: str) -> str:
    """``name`` without an example suffix (:data:`EXAMPLE_SUFFIXES`), or ``name`` itself."""
    for suffix in EXAMPLE_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


#: ``Dockerfile.<x>`` / ``Procfile.<x>`` name variants, but ``dockerfile.py`` is Python, not a Dockerfile
OTHER_LANGUAGE_SUFFIXES = (".py", ".pyc", ".pyi", ".md", ".rst", ".txt", ".json", ".yaml", ".yml", ".toml",
                           ".sh", ".js", ".ts", ".go", ".rb", ".html", ".cfg", ".ini", ".lock", ".dockerignore")


def _variant_of(lower: str, stem: str) -> bool:
    return lower.startswith(stem + ".") and not lower.endswith(OTHER_LANGUAGE_SUFFIXES)


def template_of(unit: str) -> str | None:
    """The template unit a systemd instance is made from (``w@1.service`` -> ``w@.service``), whose drop-ins and
    settings it takes; None for a name that is no instance (no ``@``, a template itself, no unit type)."""
    prefix, at, rest = unit.partition("@")
    if not at or rest.startswith(".") or "." not in rest:
        return None
    return f"{prefix}@{rest[rest.find('.'):]}"


def is_dropin(rel: str) -> bool:
    """A systemd drop-in of a service (``huey.service.d/10-stop.conf``): a file whose meaning is the folder it is
    in, the unit it extends."""
    return rel.rpartition("/")[0].rpartition("/")[2].endswith(".service.d")


def is_dockerfile(name: str) -> bool:
    """``Dockerfile``, ``Dockerfile.worker``, ``worker.Dockerfile``, ``Containerfile`` (any case).

    The names docker/podman users give without ``-f`` support from their editors (VS Code's and
    hadolint's ``Dockerfile*`` / ``*.Dockerfile``); ``Dockerfile-worker`` / ``Dockerfile_worker`` are
    :func:`maybe_dockerfile`: also common, but a Python ``dockerfile_utils`` must not become one.
    """
    lower = name.lower()
    return (
        lower in ("dockerfile", "containerfile")
        or _variant_of(lower, "dockerfile") or _variant_of(lower, "containerfile")
        or lower.endswith((".dockerfile", ".containerfile"))
    )


def maybe_dockerfile(name: str) -> bool:
    """``Dockerfile-worker``, ``Dockerfile_worker``, ``Containerfile-dev``: a Dockerfile when its content
    says so (see :func:`looks_like_dockerfile`)."""
    lower = name.lower()
    return any(lower.startswith(stem + sep) and len(lower) > len(stem) + 1 and not lower.endswith(OTHER_LANGUAGE_SUFFIXES)
               for stem in ("dockerfile", "containerfile") for sep in "-_")


def looks_like_dockerfile(head: str) -> bool:
    """True when the text starts the way Docker requires: comments and parser directives, ``ARG`` lines
    (with their ``\\`` continuations), then ``FROM``."""
    continued = False
    for line in head.splitlines():
        words = line.split(None, 1)
        if continued or not words or words[0].startswith("#"):
            continued = continued and line.rstrip().endswith("\\")
            continue
        instruction = words[0].upper()
        if instruction == "FROM":
            return True
        if instruction != "ARG":
            return False
        continued = line.rstrip().endswith("\\")
    return False


def is_compose(name: str) -> bool:
    lower = name.lower()
    return bool(re.match(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$", lower))


def compose_name(name: str) -> bool:
    """A compose file's name, also kept as an example to copy (``docker-compose.yml.example``:
    :data:`EXAMPLE_SUFFIXES`)."""
    return is_compose(name) or is_compose(strip_example_suffix(name))


#: PaaS manifests that may name a consumer but hueylint does not model: named here so that a Render-like
#: ``services:`` list is never sniffed as compose and a ``railway.toml`` is never skipped silently
#: (:func:`unrecognised` gives their notice)
OTHER_PAAS_NAMES = ("railway.toml", "railway.json", "app.json",
                    "fly.json", "fly.yaml", "fly.yml")  # flyctl's JSON/YAML forms of fly.toml: not read yet
#: Heroku's manifest for the container stack: its ``run:`` section names each process type's command
#: (:func:`hueylint.platforms.procfile.heroku_yml_launches`)
HEROKU_YML_NAMES = ("heroku.yml", "heroku.yaml")


def paas_format(parts: tuple[str, ...], lower: str) -> str | None:
    """``fly`` for Fly.io's ``fly.toml`` (and ``fly.<env>.toml``, what ``fly deploy -c`` is given), ``render``
    for a Render Blueprint (``render.yaml``/``render.yml``), ``heroku`` for ``heroku.yml``, ``platformsh`` for a
    Platform.sh/Upsun app configuration (``.platform.app.yaml``, ``.platform/applications.yaml``, ``.upsun/*.yaml``),
    ``?paas`` for another PaaS manifest that may name a consumer (:data:`OTHER_PAAS_NAMES`, DigitalOcean App
    Platform's ``.do/*.yaml``, Platform.sh's other configurations, CapRover's ``captain-definition``); None
    otherwise."""
    if lower == "fly.toml" or (lower.startswith("fly.") and lower.endswith(".toml") and lower.count(".") == 2):
        return "fly"
    if lower in ("render.yaml", "render.yml"):
        return "render"
    if lower in HEROKU_YML_NAMES:
        return "heroku"
    if upsun_app_config(parts):
        return "platformsh"
    if lower in OTHER_PAAS_NAMES or (len(parts) > 1 and parts[-2] == ".do" and lower.endswith((".yaml", ".yml"))) \
            or upsun_config(parts) or captain_definition(parts):
        return "?paas"
    return None


#: a Kamal configuration's top level (``config/deploy.yml``, or the file ``kamal -c`` is given): the
#: ``service`` name and the ``servers`` it deploys to, both required by Kamal (``configuration.rb``)
_KAMAL_SERVICE = lazy_pattern(r"^service:[ \t]+[\"']?[\w.-]", re.M)
_KAMAL_SERVERS = lazy_pattern(r"^servers:(?:[ \t]|$)", re.M)  # block or flow style

#: a Cloud Foundry app manifest's top level: ``applications:`` (a list of apps, each with ``name``)
_CF_APPLICATIONS = lazy_pattern(r"^applications:[ \t]*(?:#.*)?$", re.M)
_CF_APP_NAME = lazy_pattern(r"^[ \t]*-[ \t]+name:", re.M)


def cf_manifest_name(rel: str) -> bool:
    """Where ``cf push`` manifests live: ``manifest.yml``/``manifest.yaml`` (what ``cf push`` reads without ``-f``)
    and the YAML files of a ``manifests/`` folder (``cf push -f manifests/worker.yml``)."""
    parts = rel.split("/")
    lower = parts[-1].lower()
    return lower in ("manifest.yml", "manifest.yaml") or (
        len(parts) > 1 and parts[-2].lower() == "manifests" and lower.endswith((".yml", ".yaml")))


def is_requirements(rel: str) -> bool:
    """A pip requirements (or constraints) file by its path: a ``.txt`` or pip-tools ``.in`` file named for
    requirements anywhere in its name (``requirements.txt``, ``requirements-dev.in``, ``docker_requirements.txt``,
    ``dev-requirements.txt``), a ``constraints*.txt``, or any ``.txt``/``.in`` below a folder named for them
    (``requirements/prod.txt``).  pip reads whatever file ``-r`` names; these names are the ones a Dockerfile's
    ``pip install -r`` and pip-tools use.  The one test discovery and the version readers share."""
    parts = rel.replace("\\", "/").split("/")
    name = parts[-1].lower()
    if name.endswith((".txt", ".in")) and "requirements" in name:
        return True
    if name.endswith(".txt") and "constraints" in name:
        return True
    return name.endswith((".txt", ".in")) and any(part.lower().startswith("requirements") for part in parts[:-1])


#: folders of an editor's own settings: VS Code's ``launch.json``/``tasks.json`` (debug and task configurations
#: a developer starts from the editor) and JetBrains' ``.idea`` project files; nothing deploys from them
EDITOR_FOLDERS = (".vscode", ".idea")


#: helmfile's own files (helmfile.d/*.yaml too): read for the releases of the repository's charts
HELMFILE_NAMES = ("helmfile.yaml", "helmfile.yml")


#: Google Cloud Build configurations: ``cloudbuild.yaml``, ``cloudbuild.prod.yaml``, ``cloudbuild-main.yaml``,
#: ``worker.cloudbuild.yaml``
_CLOUD_BUILD = lazy_pattern(r"^(?:cloudbuild(?:[._-][\w.-]+)?|[\w.-]+[._-]cloudbuild)\.ya?ml$", re.I)


def is_cloud_build(name: str) -> bool:
    """A Google Cloud Build configuration's file name (:mod:`hueylint.platforms.cloudbuild`)."""
    return _CLOUD_BUILD.match(name) is not None


#: the folders a provisioning tool takes a task's ``src`` from: an Ansible role's (or playbook's) ``templates/`` and
#: ``files/``, a Salt state's ``files/``
SOURCE_FOLDERS = ("templates", "files")


def last_folder(parts: Sequence[str], names: Collection[str]) -> int:
    """The index of the last folder among the parts of a repo path (``rel.split("/")``, its file name last) that
    is named one of ``names``; -1 when none is."""
    return max((index for index, part in enumerate(parts[:-1]) if part in names), default=-1)


def template_base(rel: str) -> str | None:
    """The folder holding the ``templates/``/``files/`` folder of ``rel`` (an Ansible role's, a playbook folder's:
    :mod:`hueylint.platforms.ansible_vars` renders a file there with the variables of the task installing it),
    None when ``rel`` is in none."""
    parts = rel.split("/")
    at = last_folder(parts, SOURCE_FOLDERS)
    return "/".join(parts[:at]) if at >= 0 else None


#: Docker Buildx Bake's files, in the order bake merges those of one folder (later ones override; Docker's "Bake
#: file reference"): kept by the walk for :mod:`hueylint.platforms.bake`
BAKE_FILES = ("docker-bake.json", "docker-bake.hcl", "docker-bake.override.json", "docker-bake.override.hcl")


def name_format(rel: str) -> str | None:
    """The format implied by the path alone, or ``"?"`` when content must decide, or None."""
    parts = tuple(rel.split("/"))  # strings, not pathlib: this runs once per file of the tree
    if any(part in EDITOR_FOLDERS for part in parts[:-1]):
        return None  # field test (x-yzt/mixtures): `.vscode/launch.json` naming run_huey got a notice
    name = strip_template_suffix(parts[-1])
    lower = name.lower()
    parent = parts[-2] if len(parts) > 1 else ""
    if lower.endswith(SYSTEMD_SUFFIXES) or (lower.endswith(".conf") and parent.endswith(".service.d")):
        return "systemd"  # avahi's XML service groups and D-Bus files are named so too: see foreign_service
    if "file" in lower:  # the names below all hold it: one test instead of four for most files
        if is_dockerfile(name):
            return "dockerfile"
        if maybe_dockerfile(name):
            return "?dockerfile"
        if lower == "procfile" or _variant_of(lower, "procfile"):
            return "procfile"
    if "compose" in lower and compose_name(name):
        return "compose"
    if lower.startswith("docker-bake") and lower in BAKE_FILES:
        return None  # read on demand for the images its targets tag (hueylint.platforms.bake), never as HCL or JSON
    paas = paas_format(parts, lower)
    if paas:
        return paas
    if "logrotate.d" in parts[:-1]:
        return "logrotate"
    if name == "run" and len(parts) >= 3 and ("s6-rc.d" in parts or "services.d" in parts):
        return "s6"
    if name in ("down-signal", "timeout-down", "type") and "s6-rc.d" in parts:
        return "s6"
    if service_run_file(parts):
        return "?service"  # runit/daemontools/s6 outside s6-overlay's layout: a notice when it names a consumer
    if init_script(parts):
        return "?init"  # SysV init and OpenRC scripts: a notice when one names a consumer
    if lower.endswith(".plist"):
        return "?launchd"  # macOS launchd jobs: a notice when one names a consumer
    if lower.endswith((".nomad", ".nomad.hcl")):
        return "?nomad"  # Nomad jobs: a notice when one names a consumer
    if lower.startswith(("ecosystem", "pm2")) and pm2_file(lower):
        return "?pm2"  # PM2 ecosystem files: a notice when one names a consumer
    if cron_file(parts):
        return "?cron"  # crontabs: a notice when a line's command names a consumer
    if lower.endswith(WINDOWS_SCRIPT_SUFFIXES):
        return "?nssm"  # PowerShell and batch scripts: a notice when one installs a consumer with NSSM or WinSW
    if lower.endswith(".xml"):
        return "?winsw"  # WinSW service configurations: a notice when one runs a consumer
    unread = unread_language(lower)
    if unread:
        return unread  # Terraform/HCL (a Nomad job too, by its content), Jsonnet, Nix: a notice at most
    if lower.endswith(".py"):
        return "python"
    if is_requirements(rel) or name in DEP_NAMES:
        return "deps"
    if lower == "chart.yaml" or lower == "values.yaml":
        return "helm"
    if lower in HELMFILE_NAMES or parent == "helmfile.d":
        return None  # kept for the Helm releases it declares (hueylint.platforms.helm_releases), not a format
    if "cloudbuild" in lower and is_cloud_build(lower):
        return "?cloudbuild"  # read for the images its steps build (hueylint.platforms.cloudbuild), not a format
    if lower.endswith((".yaml", ".yml", ".sls")):  # Salt states are YAML (rendered by Jinja first)
        return "?yaml"
    if lower.endswith(".json"):
        return "?json"
    if lower.endswith((".conf", ".ini", ".cfg")) or lower in ("supervisord.conf", "circus.ini"):
        return "?ini"
    if lower.endswith((".sh", ".bash")):
        return "script"
    if "logrotate" in lower:
        return "?logrotate"
    if "." not in name and parts[-1].endswith(_ROLE_TEMPLATE_SUFFIXES) and not lower.startswith("makefile"):
        # a template named for its role, not its format (an Ansible role's `templates/consumer.j2` its task
        # installs as /etc/systemd/system/shop-huey.service): its head decides, as an INI-like file's
        return "?ini"
    return None


#: a ``kind`` / ``apiVersion`` key in any YAML style: block (``kind: Deployment`` at a line start), flow
#: (``{apiVersion: apps/v1, kind: Deployment}``) or JSON (``"kind":"Deployment"``, what kustomize, jsonnet,
#: cdk8s and ``kubectl -o json`` emit, in ``.json`` or ``.yaml`` files)
_K8S_KIND = lazy_pattern(r"""(?:^|[{,])[ \t]*(?:"kind"|'kind'|kind)[ \t]*:[ \t]*["']?[A-Za-z]""", re.M)
_K8S_API = lazy_pattern(r"""(?:^|[{,])[ \t]*(?:"apiVersion"|'apiVersion'|apiVersion)[ \t]*:""", re.M)
#: a Go-template action only Helm writes (``{{ .Values.x }}``, ``{{ include "chart.labels" . }}``)
_HELM_ACTION = lazy_pattern(r"\{\{-?\s*(?:\.(?:Values|Release|Chart|Capabilities)\b|include\s+\")")
#: what starts a huey consumer; a YAML/JSON file naming one that no format claims gets a notice
_CONSUMER_BYTES = tuple(word.encode() for word in CONSUMER_PROGRAMS)


#: a unit written inline in YAML: a ``[Service]`` line inside a ``content: |`` block (Ansible copy, Salt)
_EMBEDDED_UNIT = lazy_pattern(r"^[ \t]*\[Service\][ \t]*$", re.M)
_EMBEDDED_CONTENT = lazy_pattern(r"^[ \t]*(?:-[ \t]+)?contents?[ \t]*:[ \t]*\|", re.M)


#: hueylint's own JSON and SARIF reports (``-o report.json``), as hueylint writes them: the JSON report opens with
#: ``"schema_version"`` and then ``"tool": {"name": "hueylint"``; a SARIF log with its ``"$schema"`` and, in its run,
#: ``"driver": {"name": "hueylint"``
_OWN_REPORT = lazy_pattern(rb'\A\s*\{\s*(?:"schema_version"\s*:\s*\d+\s*,\s*"tool"|"\$schema"\s*:\s*"[^"]*sarif[^"]*"'
                           rb'[^{}]*"runs"\s*:\s*\[\s*\{\s*"tool"\s*:\s*\{\s*"driver")\s*:\s*\{\s*"name"\s*:\s*"hueylint"')


def own_report(data: bytes) -> bool:
    """Is this a JSON or SARIF report hueylint wrote (``hueylint check -o report.json``)? Its messages quote the
    consumer commands, so a later run took it for a manifest naming the consumer: a notice per report.  Only the
    report's own opening counts (a manifest with a ``"tool"`` key somewhere is read as any other)."""
    return bool(_OWN_REPORT.match(data[:800]))


#: how many anchor bytes :func:`_holds` steps over one by one before it searches for the needle at once
_ANCHOR_STEPS = 64


def _holds(data: bytes, needle: bytes, anchor: bytes) -> bool:
    """``needle in data``, faster where ``anchor`` (one byte of ``needle``, a rare one) is rare in ``data``.

    CPython finds a one-byte needle with ``memchr`` (74 MB of ciso-assistant-community's YAML in 2 ms) but
    searches a longer one byte by byte: 14-33 ms a needle there (``{{`` 33 ms, ``[Service]`` 25 ms,
    ``apiVersion`` 31 ms).  So the first :data:`_ANCHOR_STEPS` places of ``anchor`` are found with ``memchr``
    and the needle compared there; a text with more anchors than that is searched whole from the last one, as
    before (the four clues that use it: 65 ms less on that tree's YAML, the same answers)."""
    offset, size = needle.index(anchor), len(needle)
    index = data.find(anchor, offset)
    for _ in range(_ANCHOR_STEPS):
        if index < 0:
            return False
        if data[index - offset:index - offset + size] == needle:
            return True
        index = data.find(anchor, index + 1)
    return index >= 0 and needle in data[index - offset:]


def _names_consumer(data: bytes) -> bool:
    """May the bytes name a consumer command (``huey`` and one of :data:`CONSUMER_PROGRAMS`)?"""
    return b"huey" in data and any(word in data for word in _CONSUMER_BYTES)


def _on_a_line_with(pattern: re.Pattern[str], text: str, word: str) -> bool:
    """``pattern.search(text)`` for a one-line ``re.M`` pattern that needs ``word``: searched only on the lines
    holding ``word`` (str.find), since a regex starting at every position of a 2 MB file costs 60 ms."""
    index = text.find(word)
    while index >= 0:
        start = text.rfind("\n", 0, index) + 1
        end = text.find("\n", index)
        end = len(text) if end < 0 else end
        if pattern.search(text, start, end):
            return True
        index = text.find(word, end)
    return False


def _json_manifest(text: str) -> str | None:
    """For a ``.json`` file: ``"kubernetes"`` when it is one JSON object with ``apiVersion`` and ``kind`` at its top
    (a manifest, or a ``kind: List`` of them: what ``kubectl apply -f`` takes), ``"ecs"`` when it is an Amazon ECS
    task definition (:func:`ecs_task_definition`), ``""`` when it is other JSON (a scanner's report quoting
    resources, such as kubescape's, whose nested objects the regexes would take for a manifest, and which ruamel
    would then read at 1.5 ms a KB), None when it is no strict JSON (a stream of objects, comments): then the
    regexes decide, as for YAML."""
    import json

    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict) and isinstance(data.get("kind"), str) and "apiVersion" in data:
        return "kubernetes"
    return "ecs" if ecs_task_definition(data) else ""


def _container_list(value: object) -> bool:
    """A non-empty list of container definitions: mappings, one at least with a ``name`` or an ``image``."""
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value) and any(
        "name" in item or "image" in item or "Name" in item or "Image" in item for item in value)


def ecs_task_definition(data: object) -> bool:
    """Is this parsed JSON or YAML an Amazon ECS task definition: ``containerDefinitions`` at its top (what
    ``aws ecs register-task-definition --cli-input-json`` and ``aws-actions/amazon-ecs-render-task-definition``
    take), or under ``taskDefinition`` (what ``aws ecs describe-task-definition`` prints), or a CloudFormation
    template with an ``AWS::ECS::TaskDefinition`` resource (``ContainerDefinitions``)?"""
    if not isinstance(data, dict):
        return False
    if _container_list(data.get("containerDefinitions")):
        return True
    wrapped = data.get("taskDefinition")
    if isinstance(wrapped, dict) and _container_list(wrapped.get("containerDefinitions")):
        return True
    resources = data.get("Resources")
    return isinstance(resources, dict) and any(
        isinstance(resource, dict) and resource.get("Type") == ECS_CFN_TYPE and isinstance(resource.get("Properties"), dict)
        and _container_list(resource["Properties"].get("ContainerDefinitions")) for resource in resources.values())


#: the CloudFormation resource type of an ECS task definition
ECS_CFN_TYPE = "AWS::ECS::TaskDefinition"
#: an ECS task definition written as YAML (``--cli-input-yaml``) or a CloudFormation template declaring one
_ECS_YAML = lazy_pattern(r"^containerDefinitions:[ \t]*(?:#.*)?$", re.M)
_ECS_CFN = lazy_pattern(r"""^[ \t]*["']?Type["']?[ \t]*:[ \t]*["']?AWS::ECS::TaskDefinition\b""", re.M)


def sniff(kind: str, text: str, rel: str) -> str | None:
    """Decide an ambiguous format from the file's content.

    ``text`` may be the whole file: YAML and JSON are searched in full (a manifest after a long licence
    header is still a manifest; these regexes are linear), INI-like files only in their first
    :data:`SNIFF_HEAD` characters.
    """
    if kind in ("?yaml", "?json"):
        if kind == "?yaml" and "{{" in text and "{%" not in text and (  # `{% if %}`: Jinja (Ansible), not Helm
                "/templates/" in f"/{rel}" or _HELM_ACTION.search(text)):
            return "helm"
        if kind == "?yaml" and rel.rsplit("/", 1)[-1] in ("kustomization.yaml", "kustomization.yml"):
            return "kubernetes"  # kustomize reads it as a Kustomization whether or not it says `kind:`
        manifest = _json_manifest(text) if kind == "?json" else None
        if manifest is not None:
            return manifest or None
        if _on_a_line_with(_K8S_API, text, "apiVersion") and _on_a_line_with(_K8S_KIND, text, "kind"):
            return "kubernetes"
        if kind == "?yaml" and cf_manifest_name(rel) and _CF_APPLICATIONS.search(text) and _CF_APP_NAME.search(text):
            return "cloudfoundry"
        if kind == "?yaml" and _KAMAL_SERVICE.search(text) and _KAMAL_SERVERS.search(text):
            return "kamal"
        if kind == "?yaml" and (_ECS_YAML.search(text) or _ECS_CFN.search(text)):
            return "ecs"  # loaded and checked for its shape by hueylint.platforms.ecs
        if kind == "?yaml" and re.search(r"^services:\s*$", text[:SNIFF_HEAD], re.M):
            return "compose"
        if kind == "?yaml" and _EMBEDDED_UNIT.search(text) and _EMBEDDED_CONTENT.search(text):
            return "provisioning"  # an Ansible/Salt task writing a unit inline (hueylint.parsers.embedded)
        return None
    if kind == "?paas":
        return None
    head = text[:SNIFF_HEAD]
    if kind == "?ini":
        if re.search(r"^\[program:|^\[supervisord\]|^\[group:|^\[include\]", head, re.M):
            return "supervisord"
        if re.search(r"^\[watcher:", head, re.M):
            return "circus"
        if re.search(r"^\[Service\]", head, re.M):
            return "systemd"
        if _looks_like_logrotate(head):
            return "logrotate"
        return None
    if kind == "?dockerfile":
        return "dockerfile" if looks_like_dockerfile(head) else None
    if kind == "?logrotate":
        return "logrotate" if _looks_like_logrotate(head) else None
    return None


#: the kinds :func:`sniff_bytes` only gives a notice for (no format reads them): supervisors hueylint does not
#: model (:mod:`hueylint.unmodelled_supervisors`) and languages it does not evaluate (:mod:`hueylint.unread_formats`)
UNREAD_KINDS = ("?service", "?init", "?launchd", "?nomad", "?pm2", "?cron", "?nssm", "?winsw", "?hcl", "?jsonnet",
                "?nix")


def sniff_bytes(kind: str, data: bytes, rel: str) -> tuple[str, str | None]:
    """:func:`sniff` and :func:`unrecognised` of a file's bytes: (format, None), or ("", the notice's reason
    or None) when no format claims it.

    The same answers as decoding the whole file first (UTF-8, U+FFFD for bad bytes), cheaper: every clue
    these formats need is ASCII (``apiVersion``, ``{{``, ``services:``, ``huey_consumer``), and a decoded
    text holds an ASCII string exactly where the bytes do, so a YAML or JSON file without any clue (most
    of them: fixtures, translations, compliance libraries) is never decoded; INI-like files only decode
    the bytes that can reach their first :data:`SNIFF_HEAD` characters.
    """
    if kind in ("?paas", "?cloudbuild"):
        if not _names_consumer(data):
            return "", None
        text = data.decode("utf-8-sig", errors="replace")
        return "", paas_notice(tuple(rel.split("/")), text) or unrecognised(kind, text)
    if kind == "?nssm" and rel.lower().endswith(POWERSHELL_SUFFIXES):
        wide = bom_decoded(data)  # PowerShell reads a script by its BOM: UTF-16 is Windows PowerShell's `>` and
        if wide is not None:  # `Out-File` default ("Unicode"), so such scripts are common (not cmd.exe's batch files)
            data = wide.encode("utf-8")
    if kind in UNREAD_KINDS:  # supervisors and languages hueylint does not model: a notice at most
        if not _names_consumer(data):
            return "", None
        text = data.decode("utf-8-sig", errors="replace")
        if kind == "?launchd":
            return "", launchd_notice(text)
        if kind == "?pm2":
            return "", pm2_notice(text)
        if kind == "?cron":
            return "", cron_notice(text)
        if kind == "?nssm":
            return "", nssm_notice(text) or winsw_notice(text)
        if kind == "?winsw":
            return "", winsw_notice(text)
        if kind in ("?nomad", "?hcl"):
            return "", nomad_notice(text) or unread_notice("?hcl", text)
        if kind in ("?jsonnet", "?nix"):
            return "", unread_notice(kind, text)
        return "", service_notice(rel, text) if kind == "?service" else init_script_notice(text)
    if kind == "?json" and own_report(data):
        return "", None
    if kind in ("?yaml", "?json"):
        clue = ((_holds(data, b"apiVersion", b"V") and b"kind" in data)
                or (kind == "?yaml" and _holds(data, b"{{", b"{") and b"{%" not in data)
                or (kind == "?yaml" and b"services:" in data[:HEAD_BYTES])
                or (kind == "?yaml" and cf_manifest_name(rel) and b"applications:" in data)  # the name first: no scan
                or (kind == "?yaml" and _holds(data, b"[Service]", b"["))
                or (kind == "?yaml" and b"\nservers:" in data and b"service:" in data)  # Kamal
                or (kind == "?yaml" and rel.rsplit("/", 1)[-1] in ("kustomization.yaml", "kustomization.yml"))
                or b"containerDefinitions" in data or _holds(data, b"AWS::ECS::TaskDefinition", b"W")  # ECS
                or _names_consumer(data))
        if not clue:
            return "", None
        text = data.decode("utf-8-sig", errors="replace")
    else:
        text = data[:HEAD_BYTES].decode("utf-8-sig", errors="replace")[:SNIFF_HEAD]
    sniffed = sniff(kind, text, rel)
    if sniffed:
        return sniffed, None
    if kind == "?ini" and _names_consumer(data):
        text = data.decode("utf-8-sig", errors="replace")  # the mention may lie past the head
    # App Engine's app.yaml, an Ansible `cron` task
    notice = paas_notice(tuple(rel.split("/")), text) or ansible_cron_notice(text) if kind == "?yaml" else None
    return "", notice or unrecognised(kind, text)


def foreign_service(head: str) -> bool:
    """A ``.service`` file that is no systemd unit: an avahi service group (XML, ``/etc/avahi/services``)
    or a D-Bus activation file (``[D-BUS Service]``, ``/usr/share/dbus-1/services``); systemd never reads
    either, so neither is HL001."""
    if head.lstrip().startswith("<"):
        return True
    return bool(re.search(r"^\s*\[D-BUS Service\]", head, re.M)) and not re.search(
        r"^\s*\[(Unit|Service|Install)\]", head, re.M)


def unrecognised(kind: str, text: str) -> str | None:
    """Why a YAML/JSON file that :func:`sniff` did not claim still deserves a notice, or None.

    A file naming a consumer command (``huey_consumer``) in a shape hueylint does not know (a CRD, a
    Nomad job, a CI workflow, a uWSGI ``attach-daemon``) is left unchecked, and the user should hear it.
    """
    shapes = _UNRECOGNISED.get(kind)
    if kind == "?ini" and shapes and any(word in text for word in CONSUMER_PROGRAMS):
        upstart = upstart_notice(text) or uwsgi_ini_notice(text)
        if upstart is not None:
            return upstart
    found = CONSUMER_WORD.search(text) if shapes and any(word in text for word in CONSUMER_PROGRAMS) else None
    if found is None:
        return None
    if kind in ("?yaml", "?json"):
        half = _half_manifest(text)
        if half is not None:
            return f"mentions `{found.group(0)}` in {half}: not checked"
    return f"mentions `{found.group(0)}` but is not {shapes}: not checked"


#: a Kubernetes object's ``kind:`` in block style, with its value
_KIND_VALUE = lazy_pattern(r"""^[ \t]*["']?kind["']?[ \t]*:[ \t]*["']?([A-Z][A-Za-z]+)""", re.M)
#: the kinds of Kubernetes objects that run containers (the workloads hueylint reads)
_WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "ReplicaSet",
                   "ReplicationController")


def _half_manifest(text: str) -> str | None:
    """What a YAML/JSON file that :func:`sniff` did not claim lacks of a Kubernetes manifest, when it is one but
    for its ``apiVersion:`` or its ``kind:`` (field: ``#piVersion: apps/v1`` above ``kind: Deployment``, the
    ``a`` lost to a comment): ``kubectl apply`` refuses an object without either, so nothing of it runs, which the
    generic "is not a ... manifest hueylint recognises" did not say.  None otherwise."""
    kind = _KIND_VALUE.search(text)
    has_api = _K8S_API.search(text) is not None
    if kind is not None and kind.group(1) in _WORKLOAD_KINDS and not has_api:
        return f"a Kubernetes `kind: {kind.group(1)}` that has no `apiVersion:` (kubectl refuses an object without one)"
    if kind is None and has_api and "containers" in text and "spec" in text:
        return "a Kubernetes object that has `apiVersion:` but no `kind:` (kubectl refuses an object without one)"
    return None


#: what a file of each ambiguous kind would have to be for hueylint to read it (:func:`unrecognised`)
_UNRECOGNISED = {
    "?paas": "a PaaS manifest hueylint recognises (Procfile, fly.toml, render.yaml)",
    "?yaml": "a compose file, Kubernetes manifest, Helm template or ECS task definition hueylint recognises",
    "?json": "a compose file, Kubernetes manifest, Helm template or ECS task definition hueylint recognises",
    "?ini": "a supervisord, circus or systemd config hueylint recognises",
    "?cloudbuild": "a Cloud Build step hueylint follows (it reads the images the docker and kaniko steps build)",
}


def _looks_like_logrotate(head: str) -> bool:
    return bool(re.search(r"^\s*/\S+.*\{\s*$", head, re.M)) and bool(
        re.search(r"^\s*(rotate|copytruncate|daily|weekly|monthly|compress|missingok)\b", head, re.M)
    )
