"""Kubernetes workloads: command/args, signals, grace, replicas/HPA, sidecars, List, annotation suppression."""

from __future__ import annotations

from hueylint.config import Settings
from hueylint.engine import build_project
from tests.helpers import lint, triples, write_tree

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
{annotations}spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: web
        image: me/app:1
        command: ["gunicorn", "app.wsgi"]
      - name: worker
        image: me/app:1
{container}
"""


def launches(root):
    _ws, project, _ = build_project([root], Settings(root=root))
    return project.launches


def deploy(container: str, annotations: str = "") -> str:
    return DEPLOY.format(container=container, annotations=annotations)


def test_sidecar_consumer_with_defaults(tmp_path):
    write_tree(tmp_path, {"k8s/app.yaml": deploy('        args: ["huey_consumer", "app.huey"]')})
    [launch] = launches(tmp_path)
    assert launch.name == "deployment/worker/worker" and launch.instances.value == 2
    assert launch.deadline.value == 30 and launch.deadline.loc.is_default
    assert "not built in this repository" in launch.stop_signal.loc.default
    assert launch.unit == "kubernetes:k8s"


def test_args_alone_follow_the_repo_image_entrypoint(tmp_path):
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12\nCOPY entrypoint.sh /entrypoint.sh\nSTOPSIGNAL SIGINT\n"
                      "ENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "entrypoint.sh": "#!/bin/sh\nset -e\nexec \"$@\"\n",
        "k8s/app.yaml": deploy('        args: ["huey_consumer", "app.huey", "-t", "20"]'),
    })
    [launch] = launches(tmp_path)
    assert launch.stop_signal.value == "INT" and launch.stop_signal.loc.path == "Dockerfile"
    assert any(hop.kind == "script" for hop in launch.chain)
    assert triples(lint(tmp_path), "HL201") == []


def test_prestop_and_stop_signal(tmp_path):
    write_tree(tmp_path, {"a.yaml": deploy(
        '        command: ["huey_consumer", "app.huey"]\n        lifecycle:\n          preStop:\n'
        '            exec:\n              command: ["/bin/sh", "-c", "kill -INT 1; sleep 25"]')})
    [launch] = launches(tmp_path)
    assert launch.stop_signal.value == "INT"


def test_hpa_max_replicas_and_list(tmp_path):
    write_tree(tmp_path, {"k8s/all.yaml": (
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: batch/v1\n  kind: CronJob\n  metadata:\n    name: c\n"
        "  spec:\n    jobTemplate:\n      spec:\n        template:\n          spec:\n            containers:\n"
        "            - name: c\n              image: me/app\n              command: [huey_consumer, app.huey]\n"),
        "k8s/worker.yaml": deploy('        args: ["huey_consumer", "app.huey"]') +
        "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: w\nspec:\n"
        "  scaleTargetRef:\n    kind: Deployment\n    name: worker\n  maxReplicas: 6\n"})
    found = sorted((l.name, l.instances.value) for l in launches(tmp_path))
    assert found == [("cronjob/c/c", 1), ("deployment/worker/worker", 6)]


def test_annotation_suppresses_inside_the_workload(tmp_path):
    annotations = '  annotations:\n    hueylint/ignore: "HL101,HL104"\n'
    write_tree(tmp_path, {"a.yaml": deploy('        args: ["huey_consumer", "app.huey"]', annotations)})
    result = lint(tmp_path)
    assert triples(result, "HL101") == [] and triples(result, "HL104") == []
    assert result.suppressed >= 2


def test_annotation_on_a_workload_with_an_empty_mapping(tmp_path):
    """An empty ``{}``/``[]`` has no positions of its own (ruamel records none): the workload's span still ends
    at its last line, and the annotation still applies (an internal error before)."""
    annotations = '  annotations:\n    hueylint/ignore: "HL101,HL104"\n'
    write_tree(tmp_path, {"a.yaml": deploy('        args: ["huey_consumer", "app.huey"]\n        resources: {}\n'
                                           '        ports: []', annotations)})
    result = lint(tmp_path)
    assert triples(result, "HL101") == [] and triples(result, "HL104") == [] and result.suppressed >= 2


def test_bad_manifest_hl001(tmp_path):
    write_tree(tmp_path, {"a.yaml": "apiVersion: v1\nkind: Pod\nspec: {containers: [\n"})
    assert triples(lint(tmp_path), "HL001") == [("HL001", "a.yaml", 4)]


def test_stdin_rendered_output(tmp_path):
    from hueylint.engine import Options, run

    text = deploy('        args: ["huey_consumer", "app.huey"]')
    result = run([tmp_path], Settings(root=tmp_path), Options(stdin=("rendered.yaml", text.encode())))
    assert ("HL101", "rendered.yaml", 13) in triples(result, "HL101")


ODD = {
    "a/compose.yaml": "services:\n  - worker\n",
    "b/compose.yaml": "services:\n  worker: huey_consumer\n  w2:\n    command: 42\n    build: [1]\n    deploy: 3\n",
    "c/compose.yaml": "services: null\n",
    "d/docker-compose.yml": "services:\n  w:\n    image: x\n    command: huey_consumer app.huey\n    stop_grace_period: soon\n"
                            "    scale: many\n    volumes: data\n",
    "k/a.yaml": "apiVersion: v1\nkind: Pod\nmetadata: []\nspec:\n  containers: {a: 1}\n---\n---\nkind: List\nitems: 3\n",
    "k/b.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: lots\n  template:\n    spec:\n"
                "      terminationGracePeriodSeconds: x\n      containers:\n      - image: null\n        args: huey_consumer\n"
                "      - name: c\n        command: [huey_consumer, app.huey]\n        lifecycle: {preStop: {exec: {command: kill}}}\n",
    "chart/Chart.yaml": "name: c\n",
    "chart/values.yaml": "a: [\n",
    "chart/templates/x.yaml": "{{- if .Values.a }}\nkind: Pod\nspec:\n  containers:\n  - command: [\"{{ .Values.a.b.c }}\"]\n"
                              "{{ end\n",
}


def test_odd_shapes_never_crash(tmp_path):
    write_tree(tmp_path, ODD)
    result = lint(tmp_path)
    assert {f.rule for f in result.findings} >= {"HL001"}


def test_skaffold_names_the_dockerfile_of_an_image(tmp_path):
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "docker/worker.Dockerfile": "FROM python:3.12\nSTOPSIGNAL SIGINT\nCMD [\"huey_consumer\", \"app.huey\"]\n",
        "skaffold.yaml": "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n  - image: worker\n"
                         "    docker:\n      dockerfile: docker/worker.Dockerfile\n",
        "k8s/worker.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nspec:\n  containers:\n  - name: w\n"
                           "    image: registry.local/worker:dev\n",
    })
    [launch] = launches(tmp_path)
    assert launch.platform == "kubernetes"
    assert launch.stop_signal.value == "INT" and launch.stop_signal.loc.path == "docker/worker.Dockerfile"


def test_related_consumer_command_is_the_command_line(tmp_path):
    """HL701 (a setting the container lacks) stays at the container; its related location "the consumer
    command" is the `command:`/`args:` line, in the manifest or, for `args:` reaching an image script, the key."""
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.12\n",  # the image: no USER
                          "k8s/app.yaml": deploy('        command:\n          - huey_consumer\n          - app.huey')})
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL701"]
    assert (finding.loc.line, finding.loc.col) == (13, 9)  # `- name: worker`
    [related] = finding.related
    assert (related.message, related.loc.path, related.loc.line, related.loc.col) == \
        ("the consumer command", "k8s/app.yaml", 16, 13)


def test_related_consumer_command_is_the_args_key_when_a_script_runs_the_consumer(tmp_path):
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12\nCOPY start.sh /start.sh\nENTRYPOINT [\"/start.sh\"]\n",
        "start.sh": "#!/bin/sh\nexec huey_consumer app.huey \"$@\"\n",
        "k8s/app.yaml": deploy('        args: ["-w", "4"]'),
    })
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL701"]
    [related] = finding.related
    assert (related.loc.path, related.loc.line, related.loc.col) == ("k8s/app.yaml", 15, 9)


def test_json_manifest_from_stdin(tmp_path):
    """`kubectl get deploy -o json | hueylint check --stdin-filename live.json -`: JSON is a manifest too."""
    import json
    import subprocess
    import sys

    manifest = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w"},
                "spec": {"template": {"spec": {"containers": [
                    {"name": "huey", "image": "me/app", "command": ["huey_consumer", "app.huey"]}]}}}}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    done = subprocess.run([sys.executable, "-m", "hueylint", "check", "--no-color", "--stdin-filename", "live.json",
                           "-"], input=json.dumps(manifest, indent=2), capture_output=True, text=True, cwd=tmp_path)
    assert "live.json:11:11: HL101" in done.stdout, done.stdout + done.stderr


_DEPLOYMENT = ('{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "%s"}, "spec": {"template": '
               '{"spec": {"containers": [{"name": "huey", "image": "x", "command": ["huey_consumer", "%s.huey", '
               '"-n"]}]}}}}')


def test_a_json_stream_is_one_manifest_per_object(tmp_path):
    """`kubectl apply -f` reads a file of JSON objects one after another (no `---` between them, which YAML
    would need): each object is a manifest, located where it is written (the second starts mid-line)."""
    first, second = _DEPLOYMENT % ("a", "a"), _DEPLOYMENT % ("b", "b")
    write_tree(tmp_path, {"deploy/stream.json": f"{first}\n  {second}"
                                                '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}\n'})
    col = first.index('{"name": "huey"') + 1  # the container
    assert [(f.rule, f.loc.path, f.loc.line, f.loc.col) for f in lint(tmp_path).findings if f.rule != "HL104"] == [
        ("HL101", "deploy/stream.json", 1, col), ("HL101", "deploy/stream.json", 2, col + 2)]
    # not a stream of objects: ruamel's own error for the whole text
    write_tree(tmp_path, {"deploy/stream.json": f"{first}\n{second}\n[1]\n"})
    assert [(f.rule, f.loc.line, f.message) for f in lint(tmp_path).findings] == [
        ("HL001", 2, "cannot parse: invalid JSON: expected '<document start>', but found ('{',)")]


def _overlay_tree(overlay: str, files: dict[str, str] | None = None) -> dict[str, str]:
    tree = {"k8s/base/app.yaml": deploy('        args: ["huey_consumer", "app.huey"]'),
            "k8s/base/kustomization.yaml": "resources:\n  - app.yaml\n",
            "k8s/overlays/prod/kustomization.yaml": overlay}
    tree.update(files or {})
    return tree


def test_kustomize_overlay_replicas_raise_the_instance_count(tmp_path):
    """Field test (kustomize layouts): an overlay's `replicas:` sets the base workload's spec.replicas."""
    write_tree(tmp_path, _overlay_tree("resources:\n  - ../../base\nreplicas:\n  - name: worker\n    count: 5\n"))
    [launch] = launches(tmp_path)
    assert launch.instances.value == 5
    assert str(launch.instances.loc) == ("k8s/overlays/prod/kustomization.yaml:5 "
                                         "(kustomize `replicas:` of this overlay for `worker`)")


def test_kustomize_overlay_forms(tmp_path):
    """`bases:` (the older key), `kustomization.yml`, an intermediate overlay folder, a file resource."""
    cases = {
        "bases": {"k8s/overlays/prod/kustomization.yaml": "bases:\n  - ../../base\nreplicas:\n- name: worker\n  count: 4\n"},
        "yml and chain": {"k8s/overlays/prod/kustomization.yaml": "resources: [../mid]\nreplicas: [{name: worker, count: 4}]\n",
                          "k8s/overlays/mid/kustomization.yml": "resources:\n  - ../../base\n"},
        "file resource": {"k8s/overlays/prod/kustomization.yaml":
                          "resources:\n  - ../../base/app.yaml\nreplicas:\n  - name: worker\n    count: 4\n"},
    }
    for name, files in cases.items():
        root = tmp_path / name.replace(" ", "-")
        tree = _overlay_tree("", files)
        write_tree(root, tree)
        [launch] = launches(root)
        assert launch.instances.value == 4, name


def test_kustomize_replicas_that_do_not_apply(tmp_path):
    """Another workload's name, a smaller count than the base's, a remote base, a resource outside the
    repository, and a folder cycle: the base's own replicas (2) stay."""
    cases = {
        "other name": "resources: [../../base]\nreplicas: [{name: web, count: 9}]\n",
        "smaller": "resources: [../../base]\nreplicas: [{name: worker, count: 1}]\n",
        "remote": "resources: [https://github.com/me/base?ref=v1]\nreplicas: [{name: worker, count: 9}]\n",
        "outside": "resources: [../../../../elsewhere]\nreplicas: [{name: worker, count: 9}]\n",
        "cycle": "resources: [., ../prod]\nreplicas: [{name: worker, count: 9}]\n",
        "not listed": "resources: []\nreplicas: [{name: worker, count: 9}]\n",
    }
    for name, overlay in cases.items():
        root = tmp_path / name.replace(" ", "-")
        write_tree(root, _overlay_tree(overlay))
        [launch] = launches(root)
        assert launch.instances.value == 2 and str(launch.instances.loc) == "k8s/base/app.yaml:6", name


def test_a_kustomization_chain_too_deep_is_hl001_never_an_internal_error(tmp_path):
    """1,500 kustomizations each naming the next were a RecursionError (an internal error, exit 2), and
    quadratic: overlays are followed breadth first, at most 32 kustomizations deep, then HL001 there."""
    tree = {f"k{i}/kustomization.yaml": f"resources: [../k{i + 1}]\n" for i in range(1200)}
    tree["k0/kustomization.yaml"] = "resources: [../k1]\nreplicas: [{name: worker, count: 5}]\n"
    tree["k1180/kustomization.yaml"] = "resources: [../k1181]\nreplicas: [{name: worker, count: 3}]\n"
    tree["k1200/kustomization.yaml"] = "resources: [app.yaml]\n"
    tree["k1200/app.yaml"] = deploy('        args: ["huey_consumer", "app.huey"]')
    write_tree(tmp_path, tree)
    result = lint(tmp_path)
    assert result.internal_errors == []
    assert [(f.loc.path, f.loc.line, f.message) for f in result.findings if f.rule == "HL001"] == [
        ("k32/kustomization.yaml", 1, "cannot parse: kustomization nested more than 32 deep under "
                                      "`k0/kustomization.yaml`: its resources are not followed")]
    [launch] = result.project.launches
    assert launch.instances.value == 3  # k1180's overlay (20 deep) applies; k0's does not reach the workload


def _generated_env(tmp_path, kustomizations: dict[str, str], files: dict[str, str] | None = None):
    manifest = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n  template:\n    spec:\n"
                "      containers:\n        - name: worker\n          image: registry.example.com/app:1\n"
                "          command: [huey_consumer, app.huey]\n          envFrom:\n            - configMapRef:\n"
                "                name: app-config\n            - secretRef:\n                name: app-secrets\n"
                "              prefix: S_\n")
    write_tree(tmp_path, {"k8s/base/worker.yaml": manifest, **kustomizations, **(files or {})})
    _ws, project, _ = build_project([tmp_path], Settings(root=tmp_path))
    [launch] = project.launches
    return launch.environment


def test_kustomize_generated_config_maps_and_secrets_are_the_containers_env_from(tmp_path):
    """Field test (kustomize layouts whose ConfigMap of a worker's variables is a `configMapGenerator`): the
    variables its `literals:` (quotes removed), `envs:` files and `files:` keys make, and a `secretGenerator`'s
    keys (values not known), reach the container's `envFrom`, with the reference's prefix; before, such a
    ConfigMap was one made outside the repository, so `DJANGO_SETTINGS_MODULE` set there was not read."""
    base = ("resources:\n  - worker.yaml\nconfigMapGenerator:\n  - name: app-config\n    literals:\n"
            "      - MODE=\"worker\"\n      - EMPTY=\n    envs:\n      - app.env\n    files:\n      - cfg=conf/app.ini\n"
            "secretGenerator:\n  - name: app-secrets\n    literals:\n      - TOKEN=abc\n")
    env = _generated_env(tmp_path, {"k8s/base/kustomization.yaml": base},
                         {"k8s/base/app.env": "# comment\nDJANGO_SETTINGS_MODULE=app.settings.worker\nPASSED\n"})
    assert env["MODE"].value == "worker" and env["EMPTY"].value == ""
    assert env["DJANGO_SETTINGS_MODULE"].value == "app.settings.worker"
    assert env["DJANGO_SETTINGS_MODULE"].loc.path == "k8s/base/app.env" and env["DJANGO_SETTINGS_MODULE"].loc.line == 2
    assert not env["PASSED"].known and not env["cfg"].known and not env["S_TOKEN"].known
    assert "TOKEN" not in env


def test_kustomize_generators_of_several_overlays_agree_or_are_unknown(tmp_path):
    """A base and its overlays each generating the ConfigMap (one per environment, `behavior: merge`): a variable
    they all set alike is that value, one set differently or by some only is unknown; a kustomization that does not
    build the manifest generates nothing for it."""
    base = "resources:\n  - worker.yaml\nconfigMapGenerator:\n  - name: app-config\n    literals:\n      - A=1\n      - B=1\n"
    overlay = ("resources:\n  - ../../base\nconfigMapGenerator:\n  - name: app-config\n    behavior: merge\n"
               "    literals:\n      - A=1\n      - B=2\n      - C=3\n")
    other = "resources:\n  - other.yaml\nconfigMapGenerator:\n  - name: app-config\n    literals:\n      - A=9\n"
    env = _generated_env(tmp_path, {"k8s/base/kustomization.yaml": base, "k8s/overlays/prod/kustomization.yaml": overlay,
                                    "k8s/other/kustomization.yaml": other, "k8s/other/other.yaml": "kind: Service\n"})
    assert env["A"].value == "1" and not env["B"].known and not env["C"].known
    assert "generated differently" in env["B"].unknown


def test_a_consumer_container_whose_command_or_args_is_no_list_is_a_notice(tmp_path):
    """The Kubernetes API refuses a container whose `command:`/`args:` is no list of strings (a plain string, or
    a Helm `toJson` of a values mapping: `args: {{ .Values.worker | toJson }}`): nothing runs, so no launch; it
    was dropped without a word ('All checks passed!'). A notice says the consumer command was not checked."""
    manifest = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n"
                "      containers:\n        - name: w\n          image: acme/w\n          command: [huey_consumer, app.huey]\n"
                "          args: {command: [x]}\n"
                "        - {name: s, image: acme/w, command: huey_consumer app.huey}\n"
                "        - {name: web, image: acme/w, command: gunicorn app}\n")
    write_tree(tmp_path, {"k.yaml": manifest})
    result = lint(tmp_path)
    assert result.findings == [] and launches(tmp_path) == []
    assert [(n.rel, n.reason) for n in result.notices] == [
        ("k.yaml", "line 11: container `w` gives `args` as no list of strings, which the Kubernetes API refuses "
                   "(nothing runs): its consumer command is not checked"),
        ("k.yaml", "line 12: container `s` gives `command` as no list of strings, which the Kubernetes API refuses "
                   "(nothing runs): its consumer command is not checked")]
