"""Kubernetes workloads (manifests and Helm charts): one launch per container that starts a consumer.

Workloads: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod, and the Deployment-shaped
kinds of Argo Rollouts (``Rollout``) and OpenShift (``DeploymentConfig``: ``replicas`` and a pod ``template``
under ``spec``), also inside ``kind: List``.  Any other kind whose containers run a consumer (a Knative
``Service``) is a notice: not checked.  A container runs ``command`` + ``args``; ``command`` replaces the image's
ENTRYPOINT and drops its CMD, ``args`` alone replace the CMD.  Several containers per pod are
separate launches (the consumer as a sidecar of the web container).

Stop: the kubelet sends ``lifecycle.stopSignal``, else the signal a ``preStop`` hook sends to PID 1
(``kill -INT 1``), else the image's ``STOPSIGNAL`` when the image is built in this repo (the only
Dockerfile, or a compose/skaffold image name that matches), else SIGTERM, and the message then says
it depends on the image.  SIGKILL follows after ``terminationGracePeriodSeconds`` (30 s).

Instances: ``replicas`` (1), a HorizontalPodAutoscaler's ``maxReplicas`` when it targets the
workload, "scalable" for a DaemonSet; a kustomize overlay's larger ``replicas:`` count
(:mod:`hueylint.platforms.kustomize`).  Deployment unit: the folder of a manifest set, or a chart.
The annotation ``hueylint/ignore: "HL101,HL301"`` (hueylint's own) on the workload or its pod template
suppresses those rules for findings inside that workload: ``launch.suppress`` holds each
annotation's (line, column, text) and spans the workload; the engine reads the ids like a comment's.
"""

from __future__ import annotations

import math
import posixpath
from typing import Any

from hueylint.chain import Token, resolve
from hueylint.discovery import Notice
from hueylint.environment import record as record_env
from hueylint.environment import record_unread
from hueylint.hueyfacts import CONSUMER_PROGRAMS
from hueylint.launch_facts import KubernetesFacts
from hueylint.launches import (
    RANDOM,
    UNKNOWN_PART,
    InstanceNames,
    make_launch,
    named_for_huey,
    one_instance_branches,
    runs_to_completion,
    unbuilt_named_image,
    unfollowed_named_launch,
)
from hueylint.locations import Loc
from hueylint.model import Hop, Project, Val
from hueylint.parsers.helm import (
    RENDER_HINT,
    ParentChart,
    chart_root,
    load_chart,
    override_files,
    parent_chart,
    parent_disables,
    template_chart_root,
)
from hueylint.parsers.yamldocs import Doc, load
from hueylint.platforms import Built, compose, docker, kustomize
from hueylint.platforms.buildscripts import repository_image, script_built_images
from hueylint.platforms.helm_releases import Release, chart_releases, gitops_releases
from hueylint.platforms.repository_images import spelled
from hueylint.platforms.scripts import RepoScripts
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.signals import normalize_signal
from hueylint.sources import SourceFile
from hueylint.words import clipped
from hueylint.workspace import Workspace

DEFAULT_GRACE = 30.0
#: the kinds with ``spec.replicas`` and a pod ``template`` under ``spec``, stopped by the kubelet like a
#: Deployment's pods (Argo Rollouts' ``Rollout``, OpenShift's ``DeploymentConfig``)
REPLICATED = ("Deployment", "StatefulSet", "ReplicaSet", "Rollout", "DeploymentConfig")
WORKLOADS = (*REPLICATED, "DaemonSet", "Job", "CronJob", "Pod")
SUPPRESS_ANNOTATION = "hueylint/ignore"
#: images that are plainly not the app (a lone Dockerfile is not their source)
PUBLIC_IMAGES = frozenset({"redis", "valkey", "postgres", "postgresql", "mysql", "mariadb", "memcached", "nginx",
                           "rabbitmq", "busybox", "alpine", "debian", "ubuntu", "python", "traefik", "envoy",
                           "mongo", "elasticsearch", "curlimages/curl", "bitnami/redis", "bitnami/postgresql"})


@dataclass
class Workload:
    """A Kubernetes workload of one YAML document (a kind of :data:`WORKLOADS`): its kind and name, the pod
    spec and template mappings, and the deployment unit it belongs to (a manifest folder or a chart)."""

    doc: Doc
    node: Any  # the workload mapping
    kind: str
    name: str
    pod: Any  # the pod spec mapping
    template: Any  # the pod template mapping (None for a Pod)
    unit: str


def _documents(doc: Doc) -> list[tuple[Doc, Any]]:
    data = doc.data
    if isinstance(data, dict) and str(data.get("kind", "")) == "List" and isinstance(data.get("items"), list):
        return [(doc, item) for item in data["items"] if isinstance(item, dict)]
    return [(doc, data)] if isinstance(data, dict) else []


def _get(node: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _pod(kind: str, node: Any) -> tuple[Any, Any]:
    spec = node.get("spec") if isinstance(node, dict) else None
    if kind == "Pod":
        return spec, None
    if kind == "CronJob":
        template = _get(spec, "jobTemplate", "spec", "template")
    else:
        template = _get(spec, "template")
    return _get(template, "spec"), template


def _sources(ws: Workspace) -> tuple[list[tuple[str, list[SourceFile]]], list[SourceFile]]:
    """(chart root, templates) pairs and the plain manifests."""
    chart_roots = {posixpath.dirname(src.rel) for src in ws.of_format("helm")
                   if posixpath.basename(src.rel).lower() == "chart.yaml"}
    if not chart_roots:
        chart_roots = {posixpath.dirname(rel) for rel in ws.files_named("Chart.yaml") if rel in ws.others}
    charts: dict[str, list[SourceFile]] = {root: [] for root in chart_roots}
    plain: list[SourceFile] = []
    for src in ws.of_format("kubernetes", "helm"):
        name = posixpath.basename(src.rel).lower()
        if name in ("chart.yaml", "values.yaml"):
            continue
        root = chart_root(src.rel, chart_roots)
        if root is None and src.format == "helm":
            root = template_chart_root(src.rel)  # its Chart.yaml is not checked: a chart all the same
            charts.setdefault(root, [])
        if root is not None:
            if name.endswith((".yaml", ".yml")) and not name.startswith("_"):
                charts[root].append(src)
        elif src.format == "kubernetes":
            plain.append(src)
    return sorted(charts.items()), plain


def helm_override_replicas(ws: Workspace) -> dict[tuple[str, str], Val[Any]]:
    """``(template path, workload name) -> replicas`` that a chart's values override files give (``values-prod.yaml``
    rendered over ``values.yaml``, as ``helm -f`` does): the largest known count of any of them, at the
    template's ``replicas:`` line, whose note names the override file (as kustomize overlays raise a base's)."""
    counts: dict[tuple[str, str], Val[Any]] = {}
    charts, _plain = _sources(ws)
    releases = _releases(ws, charts)
    for root, templates in charts:
        variants: list[tuple[tuple[str, ...], tuple[dict[str, Any], str] | None, bool]] = \
            [((override,), None, False) for override in override_files(ws, root)] if templates else []
        variants += [(release.files, release.given(), False) for release in releases if release.chart == root]
        parent = parent_chart(ws, root) if templates else None
        if parent is not None:  # a subchart: deployed with its parent's values files and releases
            variants += [(files, sets, True) for files, sets in _parent_variants(ws, parent, releases)]
        # a values file may rename a workload (`fullnameOverride: prod-app`): rendering keeps every template
        # line where it was, so the workload at the same line of the same template is the one judged
        names = _workload_names(load_chart(ws, root, templates)) if variants else {}
        for files, sets, of_parent in variants:
            chart = load_chart(ws, root, templates, parent_files=files, parent_sets=sets) if of_parent else \
                load_chart(ws, root, templates, files, sets)
            if chart.disabled:
                continue
            for doc in chart.docs:
                for owner, node in _documents(doc):
                    spec = node.get("spec")
                    if str(node.get("kind", "")) not in REPLICATED or \
                            not isinstance(spec, dict):
                        continue
                    value = field(owner, spec, "replicas")
                    count = _number(value, int, "replicas") if value is not None else None
                    if count is None or not count.known or not isinstance(count.value, int):
                        continue
                    key = (owner.rel, names.get((owner.rel, owner.node_loc(node).line)) or
                           owner.restore(str(_get(node, "metadata", "name") or node.get("kind"))))
                    if kustomize.raises(count, counts.get(key)):
                        counts[key] = count
    return counts


def _pod_names(doc: Doc, workload: Workload, count: Val[Any]) -> InstanceNames:
    """The names of the workload's pods (``metadata.name``, the pod's ``$HOSTNAME``): a StatefulSet's ``NAME-0`` to
    ``NAME-(N-1)``; a Deployment's (an Argo Rollout's, a DeploymentConfig's) ``NAME-HASH-XXXXX`` and a ReplicaSet's
    ``NAME-XXXXX``, drawn at random (Kubernetes' "Pods" and "Deployments" pages: the ReplicaSet's name and a random
    suffix), so that no fixed word names one."""
    name = doc.restore(workload.name)
    size = count.value if isinstance(count.value, int) and not isinstance(count.value, bool) and count.known else None
    prefix = name if "{{" not in name and "$" not in name else UNKNOWN_PART
    if workload.kind == "StatefulSet":
        if size is None or prefix == UNKNOWN_PART:
            return InstanceNames()
        return InstanceNames(tuple(f"{prefix}-{index}" for index in range(size)),
                             f"a StatefulSet's pods are named `{name}-0` to `{name}-{size - 1}`")
    middle = "" if workload.kind == "ReplicaSet" else f"{RANDOM}hash-"
    pattern = f"{name}-{'HASH-' if middle else ''}XXXXX"
    return InstanceNames(tuple(f"{prefix}-{middle}{RANDOM}{index}" for index in range(size or 1)),
                         f"a {workload.kind}'s pods are named `{pattern}`, with a random suffix, so no fixed name "
                         "matches one", (workload.kind, name, pattern))


def _hostnames(doc: Doc, workload: Workload, count: Val[Any]) -> InstanceNames | None:
    """The pods' ``$HOSTNAME`` when the pod spec sets it (``hostname:``): the same in every pod, else None (the
    pod's name)."""
    hostname = workload.pod.get("hostname") if isinstance(workload.pod, dict) else None
    if not isinstance(hostname, str) or "{{" in doc.restore(hostname) or not count.known or \
            not isinstance(count.value, int) or isinstance(count.value, bool):
        return None
    return InstanceNames((hostname,) * count.value, f"the pod spec's `hostname: {hostname}` names every pod")


def _pod_name_variables(container: dict[str, Any]) -> tuple[str, ...]:
    """The container's variables the downward API sets to the pod's name (``valueFrom: fieldRef: fieldPath:
    metadata.name``): a StatefulSet pod's ``NAME-ORDINAL``, as its ``$HOSTNAME`` is."""
    env = container.get("env")
    return tuple(str(item["name"]) for item in env if isinstance(item, dict) and isinstance(item.get("name"), str)
                 and isinstance(item.get("valueFrom"), dict) and isinstance(item["valueFrom"].get("fieldRef"), dict)
                 and item["valueFrom"]["fieldRef"].get("fieldPath") == "metadata.name") if isinstance(env, list) else ()


def _workload_names(chart: Any) -> dict[tuple[str, int], str]:
    """``(template path, line) -> name`` of each workload of ``chart`` rendered with its defaults."""
    return {(owner.rel, owner.node_loc(node).line): owner.restore(str(_get(node, "metadata", "name") or node.get("kind")))
            for doc in chart.docs for owner, node in _documents(doc) if str(node.get("kind", "")) in REPLICATED}


def _releases(ws: Workspace, charts: list[tuple[str, list[SourceFile]]]) -> list[Release]:
    """The releases the repository's runner files and GitOps files (Argo CD, Flux, helmfile) deploy of its
    charts with templates, and of the parents of those that are subcharts (an umbrella chart holds no template
    of its own)."""
    roots = {root for root, templates in charts if templates}
    roots |= {parent.root for parent in (parent_chart(ws, root) for root in list(roots)) if parent is not None}
    return chart_releases(ws, roots) + gitops_releases(ws, roots)


def _parent_variants(ws: Workspace, parent: ParentChart, releases: list[Release]) \
        -> list[tuple[tuple[str, ...], tuple[dict[str, Any], str] | None]]:
    """The ways a subchart's parent is deployed besides its defaults: each of its values override files, each
    release of it (``-f`` files, ``--set`` values)."""
    variants: list[tuple[tuple[str, ...], tuple[dict[str, Any], str] | None]] = \
        [((override,), None) for override in override_files(ws, parent.root)]
    variants += [(release.files, release.given()) for release in releases if release.chart == parent.root]
    return variants


def _never_enabled(ws: Workspace, root: str, charts: list[tuple[str, list[SourceFile]]], why: str) -> bool:
    """Whether subchart ``root``, off with its parent's defaults (``why``), stays off however the repository
    deploys the parent (its values files, its releases): then it renders nothing, and a notice says so."""
    parent = parent_chart(ws, root)
    if parent is None:
        return False
    for files, sets in _parent_variants(ws, parent, _releases(ws, charts)):
        if not parent_disables(ws, parent, files, sets):
            return False  # a way of deploying it renders it: judged with its defaults, as any chart
    ws.say(Notice(root, f"subchart not rendered: {why}, and no values file or release of `{parent.root or '.'}` "
                        "switches it on"))
    return True


def workloads(ws: Workspace) -> tuple[list[Workload], list[tuple[Doc, Any, str]]]:
    """Every workload, and every document (with its unit) for the HPAs that target them."""
    found: list[Workload] = []
    nodes: list[tuple[Doc, Any, str]] = []
    charts, plain = _sources(ws)
    docs: list[tuple[Doc, str]] = []
    for src in plain:
        for doc in load(ws, src) or []:
            docs.append((doc, f"kubernetes:{posixpath.dirname(src.rel) or '.'}"))
    for root, templates in charts:
        chart = load_chart(ws, root, templates)
        if chart.disabled and templates and _never_enabled(ws, root, charts, chart.disabled):
            continue
        for doc in chart.docs:
            docs.append((doc, f"helm:{root or '.'}"))
        if chart.error is not None:
            rel, line, col, why = chart.error
            ws.unparseable(ws.sources.get(rel) or rel, line, col,
                           f"Helm template `{rel}` cannot be read without rendering ({why}); lint the rendered "
                           f"chart instead: `{RENDER_HINT}`")
    for doc, unit in docs:
        for owner, node in _documents(doc):
            nodes.append((owner, node, unit))
            kind = str(node.get("kind", ""))
            if kind not in WORKLOADS:
                _say_unmodelled(ws, owner, node, kind)
                continue
            pod, template = _pod(kind, node)
            if not isinstance(pod, dict):
                continue
            name = str(_get(node, "metadata", "name") or kind)
            found.append(Workload(owner, node, kind, doc.restore(name), pod, template, unit))
    return found, nodes


def _say_unmodelled(ws: Workspace, doc: Doc, node: dict, kind: str) -> None:
    """A notice for a document of a kind hueylint does not model whose containers (a ``containers:`` list at
    any depth, as in a Knative ``Service``) run a consumer: its launch is not checked, never in silence."""
    todo: list[Any] = [node]
    for _ in range(2000):  # (bounded: a document of any size)
        if not todo:
            return
        item = todo.pop()
        values = list(item.values()) if isinstance(item, dict) else item if isinstance(item, list) else []
        containers = item.get("containers") if isinstance(item, dict) else None
        for container in containers if isinstance(containers, list) else []:
            words = [str(word) for key in ("command", "args") if isinstance(container, dict) and
                     isinstance(container.get(key), list) for word in container[key]]
            if any(name in word for word in words for name in CONSUMER_PROGRAMS):
                at = doc.key_loc(node, "kind") if "kind" in node else doc.node_loc(node)
                ws.say(Notice(doc.rel, f"line {at.line}: kind `{clipped(kind)}` ({clipped(str(node.get('apiVersion', '')))}) "
                                       "runs a consumer command but is no workload hueylint models: not checked"))
                return
        todo += [value for value in values if isinstance(value, (dict, list))]


# -- images ---------------------------------------------------------------------------------------

def _skaffold_images(ws: Workspace) -> list[docker.ImageSource]:
    found: list[docker.ImageSource] = []
    for src in ws.of_format("kubernetes"):
        if not posixpath.basename(src.rel).lower().startswith("skaffold"):
            continue
        for doc in load(ws, src) or []:
            artifacts = _get(doc.data, "build", "artifacts")
            for index, artifact in enumerate(artifacts if isinstance(artifacts, list) else []):
                if not isinstance(artifact, dict) or not artifact.get("image"):
                    continue
                folder = posixpath.dirname(src.rel)
                context = posixpath.normpath(posixpath.join(folder, str(artifact.get("context") or ".")))
                dockerfile = str(_get(artifact, "docker", "dockerfile") or "Dockerfile")
                target = _get(artifact, "docker", "target")
                found.append(docker.ImageSource(posixpath.normpath(posixpath.join(context, dockerfile)),
                                                str(target) if target else None, "" if context == "." else context,
                                                doc.item_loc(artifacts, index), str(artifact["image"])))
    return found


def image_source(ws: Workspace, image: str) -> docker.ImageSource | None:
    """The repo Dockerfile an image name is built from, when that can be told.  A name written with the CI's
    variables for the repository itself (a manifest the pipeline fills in with ``envsubst``:
    ``$CI_REGISTRY_IMAGE/worker:$CI_COMMIT_SHA``) is what a build of the same variables tags
    (:mod:`hueylint.platforms.repository_images`); any other variable leaves it unknown."""
    image = spelled(image)
    if not image or "$" in docker.image_key(image) or "{{" in image:
        return None
    built = [*compose.built_images(ws), *_skaffold_images(ws)] if ws.of_format("compose") else _skaffold_images(ws)
    built += script_built_images(ws)  # `docker build -t NAME` in the repo's scripts and Makefiles
    for source in built:
        if source.name and docker.same_image(source.name, image):
            return source
    own = repository_image(ws, image)  # `ghcr.io/acme/shop` in a clone of github.com/acme/shop
    if own is not None:
        return own if isinstance(own, docker.ImageSource) else None  # (several production Dockerfiles: unknown)
    dockerfiles = ws.of_format("dockerfile")
    key = docker.image_key(image)
    if len(dockerfiles) == 1 and key.rsplit("/", 1)[-1] not in PUBLIC_IMAGES and key not in PUBLIC_IMAGES:
        src = dockerfiles[0]
        parsed = docker.load(ws, src)
        if parsed is not None and not any(docker.same_image(stage.base, image) for stage in parsed.stages):
            return docker.ImageSource(src.rel, None, posixpath.dirname(src.rel), Loc(src.rel, 1, 1), image)
    return None


def _image_name(doc: Doc, image: str) -> str:
    """The image name to match, without a templated tag (``repo/app:{{ .Values.tag }}`` -> ``repo/app``)."""
    if not doc.unknown_text(image):
        return image
    head, sep, tail = image.rpartition(":")
    if sep and "/" not in tail and not doc.unknown_text(head):
        return head
    return ""


# -- containers -----------------------------------------------------------------------------------

def _tokens(doc: Doc, container: Any, key: str) -> list[Token] | None:
    value = container.get(key)
    if value is None:
        return None
    if isinstance(value, list):
        return [compose.item_token(doc, value, index) if not doc.unknown_text(item)
                else Token("${HELM}", doc.item_loc(value, index)) for index, item in enumerate(value)]
    if isinstance(value, str) and doc.unknown_text(value):
        return [Token("${HELM}", doc.value_loc(container, key))]
    return [Token(str(value), doc.value_loc(container, key))]


_KILL = lazy_pattern(r"\bkill\s+-(?:s\s+)?(SIG)?([A-Z]+|\d+)\s+1\b")


def _prestop_signal(doc: Doc, container: Any) -> Val[str] | None:
    command = _get(container, "lifecycle", "preStop", "exec", "command")
    if not isinstance(command, list):
        return None
    text = " ".join(str(item) for item in command)
    match = _KILL.search(text)
    if match is None:
        return None
    signal = normalize_signal(match.group(2))
    if signal is None:
        return None
    return Val(signal, doc.node_loc(command) if hasattr(command, "lc") else doc.node_loc(container))


def field(doc: Doc, mapping: Any, key: str) -> Val[Any] | None:
    """``key``'s value in ``mapping`` (:meth:`Doc.val`); None when absent or null: the API server stores a null
    field as an unset one (``stopSignal: null`` is no stop signal, not the signal "NONE")."""
    value = doc.val(mapping, key)
    return None if value is not None and value.known and value.value is None else value


def stop_signal(doc: Doc, container: Any, stage, image: str, own: str | None = None) -> Val[str]:
    """``own``: why an image named after the repository is not linked to one of its Dockerfiles
    (:func:`hueylint.platforms.buildscripts.repository_image`), said in the default's notice."""
    lifecycle = _get(container, "lifecycle")
    explicit = field(doc, lifecycle, "stopSignal") if isinstance(lifecycle, dict) else None
    if explicit is not None:
        if not explicit.known:
            return explicit
        signal = normalize_signal(str(explicit.value))
        return Val(signal, explicit.loc) if signal else Val.unknown_at(explicit.loc, f"stopSignal {explicit.value}")
    hook = _prestop_signal(doc, container)
    if hook is not None:
        return hook
    if stage is not None:
        return docker.image_signal(stage, "Kubernetes default: no stopSignal, and no STOPSIGNAL in the image")
    what = f"image `{image}` is not built in this repository{f' ({own})' if own else ''}" if image \
        else "the image is not known"
    return Val.default("TERM", f"Kubernetes default: {what}: SIGTERM assumed (an image STOPSIGNAL would change it)")


def grace(doc: Doc, pod: Any) -> Val[float]:
    value = field(doc, pod, "terminationGracePeriodSeconds")
    if value is None:
        return Val.default(DEFAULT_GRACE, "Kubernetes default terminationGracePeriodSeconds")
    return _number(value, float, "terminationGracePeriodSeconds")


def _number(value: Val[Any], convert: Any, what: str) -> Val[Any]:
    """A YAML number as ``convert`` makes it; unknown when it is not a finite one (1e999, .inf, .nan, a
    400-digit number: the API server takes integers)."""
    if not value.known:
        return value
    try:
        number = convert(value.value)
    except (TypeError, ValueError, OverflowError):
        return Val.unknown_at(value.loc, f"{what} {value.value!r}")
    if isinstance(number, float) and not math.isfinite(number):
        return Val.unknown_at(value.loc, f"{what} {value.value!r}")
    return Val(number, value.loc)


def instances(workload: Workload, hpas: dict[tuple[str, str, str], Val[Any]],
              overlays: dict[tuple[str, str], Val[Any]] | None = None) -> Val[Any]:
    hpa = hpas.get((workload.unit, workload.kind, workload.name))
    if hpa is not None:
        return hpa
    if workload.kind == "DaemonSet":
        return Val("scalable", workload.doc.node_loc(workload.node))
    if workload.kind in REPLICATED:
        spec = workload.node.get("spec")
        value = field(workload.doc, spec, "replicas") if isinstance(spec, dict) else None
        own = _number(value, int, "replicas") if value is not None else \
            Val.default(1, f"Kubernetes default: {workload.kind} replicas 1")
        overlay = (overlays or {}).get((workload.doc.rel, workload.name))
        if overlay is not None and kustomize.raises(overlay, own):
            return overlay  # the overlay that runs the most replicas
        return own
    return Val.default(1, f"one pod per {workload.kind}")


def _hpas(docs: list[tuple[Doc, Any, str]]) -> dict[tuple[str, str, str], Val[Any]]:
    found: dict[tuple[str, str, str], Val[Any]] = {}
    for doc, node, unit in docs:
        if str(node.get("kind", "")) != "HorizontalPodAutoscaler":
            continue
        spec = node.get("spec") or {}
        target = spec.get("scaleTargetRef") or {}
        value = field(doc, spec, "maxReplicas")
        if value is None or not isinstance(target, dict):
            continue
        value = _number(value, int, "maxReplicas")
        found[(unit, str(target.get("kind", "")), doc.restore(str(target.get("name", ""))))] = value
    return found


def _run_as_user(doc: Doc, workload: Workload, container: Any) -> Val[str] | None:
    """The ``runAsUser`` the container's (else the pod's) securityContext sets, or None."""
    for context in (container.get("securityContext"), workload.pod.get("securityContext")):
        uid = field(doc, context, "runAsUser") if isinstance(context, dict) else None
        if uid is not None:
            return Val(None if uid.value is None else str(uid.value), uid.loc, uid.unknown)
    return None


def _user(doc: Doc, workload: Workload, container: Any, stage) -> Val[str]:
    for context in (container.get("securityContext"), workload.pod.get("securityContext")):
        if not isinstance(context, dict):
            continue
        uid = field(doc, context, "runAsUser")
        if uid is not None:
            return Val(None if uid.value is None else str(uid.value), uid.loc, uid.unknown)
        non_root = field(doc, context, "runAsNonRoot")
        if non_root is not None and non_root.value is True:
            return Val("non-root", non_root.loc)
    if stage is not None:
        return docker.image_user(stage)
    return Val.unknown_at(doc.node_loc(container), "the image is not built in this repository")


def _suppress(doc: Doc, workload: Workload) -> Val[tuple[tuple[int, int, str], ...]] | None:
    """Each ``hueylint/ignore`` annotation of the workload and its pod template as (line, column, text
    as written) at its value; the Val's loc spans the workload.  None without annotations."""
    found: list[tuple[int, int, str]] = []
    for meta in (workload.node.get("metadata"), _get(workload.template, "metadata")):
        annotations = _get(meta, "annotations")
        value = doc.val(annotations, SUPPRESS_ANNOTATION)
        if value is not None:
            raw = annotations[SUPPRESS_ANNOTATION]
            found.append((value.loc.line, value.loc.col, doc.restore(str(raw)) if raw is not None else ""))
    if not found:
        return None
    start = workload.node.lc.line + 1 if hasattr(workload.node, "lc") else 1
    end = _last_line(workload.node, start)
    return Val(tuple(found), Loc(doc.rel, start, 1, end, 1))


def _last_line(node: Any, floor: int) -> int:
    best = floor
    lc = getattr(node, "lc", None)
    if lc is not None:
        best = max(best, lc.line + 1)
        for pos in (getattr(lc, "data", None) or {}).values():  # None: an empty `{}` or `[]`
            if isinstance(pos, list) and pos:
                best = max(best, pos[-2] + 1 if len(pos) >= 4 else pos[0] + 1)
    if isinstance(node, dict):
        for value in node.values():
            best = max(best, _last_line(value, best))
    elif isinstance(node, list):
        for value in node:
            best = max(best, _last_line(value, best))
    return best


def container_env(doc: Doc, container: dict) -> dict[str, Val[str]]:
    """A container's ``env:`` list: ``value`` as written (``$(VAR)`` and ``valueFrom`` are unknown)."""
    env: dict[str, Val[str]] = {}
    items = container.get("env")
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        name, loc = item["name"], doc.item_loc(items, index)
        value = doc.val(item, "value")
        if value is not None and value.known and isinstance(value.value, (str, int, float)) \
                and "$(" not in str(value.value):
            env[name] = Val(str(value.value), value.loc)
        else:
            env[name] = Val.unknown_at(value.loc if value is not None else loc, f"env:{name}")
    return env


def _env_complete(doc: Doc, containers: list, index: int, env_from_known: bool = True) -> bool:
    """The container gets no variable beyond the image's ``ENV``, its ``env:`` and its ``envFrom`` sources
    (Kubernetes' own, such as ``KUBERNETES_SERVICE_HOST``, are run-time variables): every ``envFrom`` source is a
    ConfigMap or Secret of the repository (``env_from_known``), every ``env:`` item names its variable, and no
    Helm action hueylint did not render emits into ``env:`` or the container itself (``{{- include "app.env" . |
    nindent 12 }}`` below ``env:``; one below ``resources:`` does not count)."""
    container = containers[index]
    if not env_from_known:
        return False
    items = container.get("env")
    if items is not None and not (isinstance(items, list) and all(
            isinstance(item, dict) and isinstance(item.get("name"), str) and "{{" not in doc.restore(item["name"])
            for item in items)):
        return False
    first = doc.item_loc(containers, index).line
    last = doc.item_loc(containers, index + 1).line if index + 1 < len(containers) else None
    spanned = [line for line in sorted(doc.dropped) if line >= first and (last is None or line < last)]
    if not spanned:
        return True
    lines = doc.src.text.split("\n")
    head = _KEY.match(lines[first - 1]) if first <= len(lines) else None
    return head is not None and not any(_emits_env(lines, line, head.start(1)) for line in spanned)


_INDENT = lazy_pattern(r"\bn?indent\s+(\d+)")
_KEY = lazy_pattern(r"^\s*(?:-\s+)?([A-Za-z_][\w.-]*)\s*:")


def _emits_env(lines: list[str], number: int, key_column: int) -> bool:
    """The unrendered action at 1-based line ``number`` may add variables to the container whose keys start at
    ``key_column`` (0-based): it emits into ``env:``/``envFrom:``, at the container's own level or above, or at
    a column hueylint cannot tell (no ``nindent N``)."""
    indent = _INDENT.search(lines[number - 1]) if number <= len(lines) else None
    if indent is None or int(indent.group(1)) <= key_column:
        return True
    for above in reversed(lines[:number - 1]):
        key = _KEY.match(above)
        if key is None or "{{" in above[:key.end()]:
            continue
        if key.start(1) == key_column:  # the container's key the output lands under
            return key.group(1) in ("env", "envFrom")
        if key.start(1) < key_column:
            return True
    return True


#: (unit, kind, name) -> the ConfigMap or Secret manifest of that name, for ``envFrom``
EnvSources = dict[tuple[str, str, str], tuple[Doc, dict]]


def env_sources(nodes: list[tuple[Doc, Any, str]]) -> EnvSources:
    """Every ConfigMap and Secret of the repository by unit, kind and name (a templated name is none)."""
    found: EnvSources = {}
    for doc, node, unit in nodes:
        kind, name = str(node.get("kind", "")), _get(node, "metadata", "name")
        if kind in ("ConfigMap", "Secret") and isinstance(name, str) and "{{" not in doc.restore(name):
            found[(unit, kind, name)] = (doc, node)
    return found


def env_from(doc: Doc, container: dict, sources: EnvSources, unit: str,
             generated: kustomize.Generated | None = None, unread: list[Val[str]] | None = None
             ) -> tuple[dict[str, Val[str]], bool]:
    """The variables a container's ``envFrom`` sets, and whether every source was found (each one not found is
    added to ``unread``, :attr:`Launch.env_unread`, as ```envFrom: Secret huey-env```): a ``configMapRef``'s
    ConfigMap ``data`` (values as written), a ``secretRef``'s Secret ``data``/``stringData`` keys (values not
    known here), each name with the source's ``prefix``; a source of the same unit first, else the only one of
    that name in the repository (Kubernetes reads it from the Pod's namespace), else one a kustomization that
    builds this manifest generates (:func:`hueylint.platforms.kustomize.generated_for`)."""
    items = container.get("envFrom")
    if items is None:
        return {}, True
    env: dict[str, Val[str]] = {}
    known = isinstance(items, list)
    for position, item in enumerate(items if isinstance(items, list) else []):
        ref = next(((kind, item[key]) for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret"))
                    if isinstance(item, dict) and isinstance(item.get(key), dict)), None)
        name = ref[1].get("name") if ref is not None else None
        if ref is None or not isinstance(name, str) or "{{" in doc.restore(name):
            known = False
            continue
        found = sources.get((unit, ref[0], name))
        if found is None:
            same = [value for (_unit, kind, other), value in sources.items() if kind == ref[0] and other == name]
            found = same[0] if len(same) == 1 else None
        if found is None:
            made = kustomize.generated_for(generated or {}, ref[0], name, doc.rel)
            if made is not None:
                prefix = str(item.get("prefix") or "")
                env.update({prefix + variable: value for variable, value in made.items()})
                continue
            known = False  # a ConfigMap made outside the repository (kubectl create, a Helm dependency)
            if unread is not None:
                unread.append(Val(f"`envFrom: {ref[0]} {clipped(name)}`", doc.item_loc(items, position)))
            continue
        source_doc, node = found
        prefix = str(item.get("prefix") or "")
        for key in ("data", "stringData"):
            data = node.get(key)
            for variable in data if isinstance(data, dict) else {}:
                value = source_doc.val(data, variable)
                loc = value.loc if value is not None else source_doc.node_loc(node)
                env[prefix + str(variable)] = Val(str(value.value), loc) \
                    if ref[0] == "ConfigMap" and value is not None and value.known and value.value is not None \
                    else Val.unknown_at(loc, f"{ref[0]} `{name}`")
    return env, known


def _command_loc(doc: Doc, container: dict, consumer: Loc, item: Loc) -> Loc:
    """The line that starts the consumer: the consumer word in ``command:``/``args:`` when written in this
    manifest, else the ``command:``/``args:`` key that reaches it (an image script), else the container."""
    if consumer.path == doc.rel:
        return consumer
    for key in ("command", "args"):
        if container.get(key) is not None:
            return doc.key_loc(container, key)
    return item


def _block(node: Any) -> bool:
    fa = getattr(node, "fa", None)
    return isinstance(node, dict) and bool(node) and fa is not None and not fa.flow_style()


def _fix_anchors(doc: Doc, workload: Workload, container: Any) -> dict[str, Val[Any]]:
    """Where fixes add settings that are not written, in a plain manifest's block mappings (never a Helm
    template), as :class:`KubernetesFacts` fields: ``pod_key`` is the pod spec's ``containers`` key (siblings
    go above it, with its indentation), ``container_key`` the container's first key (value: that key; a new
    key goes below its line when its value is a scalar), ``os_name`` the pod's ``os.name`` when written."""
    if not workload.unit.startswith("kubernetes:") or doc.placeholders or not _block(workload.pod):
        return {}
    anchors: dict[str, Val[Any]] = {"pod_key": Val("containers", doc.key_loc(workload.pod, "containers"))}
    first = next(iter(container), None) if _block(container) else None
    if first is not None and not isinstance(container[first], (dict, list)):
        anchors["container_key"] = Val(str(first), doc.key_loc(container, str(first)))
    os_name = doc.val(_get(workload.pod, "os"), "name") if isinstance(_get(workload.pod, "os"), dict) else None
    if os_name is not None:
        anchors["os_name"] = os_name
    return anchors


#: what a consumer an init container starts comes to (Kubernetes "Init Containers": each must complete successfully
#: before the next starts, and the app containers start after all of them; one with `restartPolicy: Always` is a
#: sidecar, run beside the app containers for the pod's life)
INIT_CONTAINER_WHY = ("an init container must exit before the pod's containers start, which a consumer never does: "
                      "the pod never starts")
SIDECAR_WHY = ("this init container is a sidecar (`restartPolicy: Always`), run beside the pod's containers: "
               "hueylint does not model sidecars")


def _init_containers(ws: Workspace, doc: Doc, pod: dict[str, Any]) -> None:
    """The consumers a pod's ``initContainers`` start (their own ``command``/``args``; an image's is not read):
    no launch, said (:func:`hueylint.launches.runs_to_completion`)."""
    inits = pod.get("initContainers")
    for index, container in enumerate(inits if isinstance(inits, list) else []):
        if not isinstance(container, dict):
            continue
        tokens = [*(_tokens(doc, container, "command") or []), *(_tokens(doc, container, "args") or [])]
        if not any(name in token.text for token in tokens for name in CONSUMER_PROGRAMS):
            continue
        origin = doc.item_loc(inits, index)
        hits = resolve(tokens, tokens[0].loc, RepoScripts(ws))
        sidecar = str(container.get("restartPolicy") or "") == "Always"
        name = clipped(doc.restore(str(container.get("name") or f"{index + 1}")))
        runs_to_completion(ws, hits, f"{'sidecar' if sidecar else 'init'} container `{name}`", origin,
                           SIDECAR_WHY if sidecar else INIT_CONTAINER_WHY)


def build(ws: Workspace, project: Project) -> Built:
    result = Built()
    found, nodes = workloads(ws)
    hpas = _hpas(nodes)
    kustomized = bool(ws.files_named("kustomization.yaml") or ws.files_named("kustomization.yml") or
                      ws.files_named("Kustomization"))
    overlays = kustomize.replica_counts(ws) if kustomized else {}
    patched = kustomize.patched_manifests(ws) if kustomized else set()
    for key, count in helm_override_replicas(ws).items():
        if kustomize.raises(count, overlays.get(key)):
            overlays[key] = count
    services: dict[str, dict[str, Loc]] = {}  # unit -> Service name -> where (HL402: storage reached by name)
    for doc, node, unit in nodes:
        name = _get(node, "metadata", "name")
        if str(node.get("kind", "")) == "Service" and isinstance(name, str) and "{{" not in doc.restore(name):
            services.setdefault(unit, {})[name] = doc.node_loc(node)
    sources = env_sources(nodes)
    generated = kustomize.generated_env(ws) if kustomized else {}
    for workload in found:
        doc = workload.doc
        _init_containers(ws, doc, workload.pod)
        containers = workload.pod.get("containers")
        if not isinstance(containers, list):
            continue
        suppress = _suppress(doc, workload)
        deadline = grace(doc, workload.pod)
        count = instances(workload, hpas, overlays)
        for index, container in enumerate(containers):
            if not isinstance(container, dict):
                continue
            refused = [key for key in ("command", "args")
                       if container.get(key) is not None and not isinstance(container.get(key), list)]
            if refused:  # the API server refuses a command/args that is no list: nothing runs
                if any(name in str(container.get(key)) for key in ("command", "args") for name in CONSUMER_PROGRAMS):
                    ws.say(Notice(doc.rel, f"line {doc.key_loc(container, refused[0]).line}: container "
                                           f"`{clipped(str(container.get('name') or index + 1))}` gives `{refused[0]}` "
                                           "as no list of strings, which the Kubernetes API refuses (nothing runs): "
                                           "its consumer command is not checked"))
                continue
            image = str(container.get("image") or "")
            source = image_source(ws, _image_name(doc, image))
            resolved = docker.stage_of(ws, source) if source is not None else None
            resolved = docker.in_workdir(resolved, doc.val(container, "workingDir"))
            resolved = docker.with_user(resolved, _run_as_user(doc, workload, container))
            unread: list[Val[str]] = []
            from_sources, sources_known = env_from(doc, container, sources, workload.unit, generated, unread)
            variables = {**from_sources, **container_env(doc, container)}  # `env:` wins over `envFrom`
            resolved = docker.with_env(resolved, variables, doc.rel not in patched and
                                       _env_complete(doc, containers, index, sources_known))
            # a ConfigMap, Secret or volume mounted over the image's files: what a script sources there is not
            # the repository's
            mounts = container.get("volumeMounts")
            resolved = docker.with_mounts(resolved, tuple(
                (mount["mountPath"], "") for mount in mounts if isinstance(mount, dict) and
                isinstance(mount.get("mountPath"), str) and mount["mountPath"].startswith("/")) if isinstance(
                mounts, list) else ())
            stage = resolved[1] if resolved else None
            built = (resolved[0], resolved[1], source.context) if resolved and source else None
            if built is not None and source is not None:
                result.replaces.add(source.dockerfile)  # the image's own launch is this container's
            origin = doc.item_loc(containers, index)
            cname = str(container.get("name") or f"container {index + 1}")
            hits, tokens, resolver = docker.container_hits(
                ws, built, _tokens(doc, container, "command"), _tokens(doc, container, "args"), origin,
                RepoScripts(ws))
            own = repository_image(ws, _image_name(doc, image)) if source is None and _image_name(doc, image) else None
            hop = Hop("platform", "kubernetes", origin, sends=stop_signal(
                doc, container, stage, doc.restore(image), own if isinstance(own, str) else None), deadline=deadline)
            name = f"{workload.kind.lower()}/{workload.name}/{doc.restore(cname)}"
            mounts = container.get("volumeMounts")
            volumes = workload.pod.get("volumes")
            facts = KubernetesFacts(
                kind=Val(workload.kind, doc.node_loc(workload.node)),
                containers=Val(len(containers), doc.value_loc(workload.pod, "containers")),
                volume_mounts=Val(
                    tuple((str(m.get("name", "")), str(m.get("mountPath", ""))) for m in mounts if isinstance(m, dict)),
                    doc.value_loc(container, "volumeMounts")) if isinstance(mounts, list) else None,
                volumes=Val(tuple(
                    (str(v.get("name", "")), "persistentVolumeClaim" if "persistentVolumeClaim" in v else
                     next((k for k in v if k != "name"), "")) for v in volumes if isinstance(v, dict)),
                    doc.value_loc(workload.pod, "volumes")) if isinstance(volumes, list) else None,
                services=Val(dict(services[workload.unit]), origin) if services.get(workload.unit) else None,
                image=Val(source.dockerfile, source.loc) if source is not None else None,
                **_fix_anchors(doc, workload, container))
            common: dict[str, Any] = dict(instances=count, user=_user(doc, workload, container, stage), collects_logs=True)
            env = {**(dict(stage.env) if stage else {}), **variables}
            launches = [make_launch(project, hop, hit, platform="kubernetes", name=name, unit=workload.unit,
                                    origin=origin, workdir=Val(stage.workdir, stage.loc) if stage else None,
                                    service_dir=resolver.workdir_folder()
                                    if isinstance(resolver, docker.DockerResolver) else None,
                                    **common)
                        for hit in hits]
            record_unread(launches, unread)
            for launch in launches:
                record_env(launch, env, origin)
                consumer = launch.consumer.program.loc if launch.consumer.program is not None else origin
                launch.command = Val(cname, _command_loc(doc, container, consumer, origin))
            if not hits and tokens:
                supervised = docker.supervised(ws, project, tokens, origin, resolver, hop, workload.unit, env,
                                               user=common["user"], name=cname)
                result.claims |= supervised.claims
                launches = supervised.launches
                record_unread(launches, unread)
            written = [*(_tokens(doc, container, "command") or ()), *(_tokens(doc, container, "args") or ())]
            if not launches and (written or source is None or tokens) and workload.kind not in ("Job", "CronJob") \
                    and named_for_huey(doc.restore(cname), doc.restore(workload.name)):  # (a Job runs to completion)
                what = f"Kubernetes container `{doc.restore(cname)}` of {workload.kind} `{doc.restore(workload.name)}`"
                if written or tokens:  # written, else the image's own command (at the Dockerfile's CMD)
                    unfollowed_named_launch(ws, what, [doc.restore(token.text) for token in tokens or written],
                                            (written or tokens)[0].loc)
                else:  # the image's own command, and the image is not built here
                    unbuilt_named_image(ws, what, doc.restore(image), doc.value_loc(container, "image")
                                        if "image" in container else origin)
            if workload.kind in REPLICATED:  # a script may pick a pod by its name: `NAME-0` of a StatefulSet
                pods = _pod_names(doc, workload, count)
                one_instance_branches(ws, launches, {"HOSTNAME": _hostnames(doc, workload, count) or pods,
                                                     **{name: pods for name in _pod_name_variables(container)}},
                                      [doc.restore(token.text) for token in [*written, *(tokens or ())]])
            for launch in launches:
                launch.kubernetes = facts
                if suppress is not None:
                    launch.suppress = suppress
                result.launches.append(launch)
    return result

