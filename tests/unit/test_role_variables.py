"""What a sourced file sets (``. FILE``), emptiness tests (``-n``/``-z``/``[ "$X" ]``) and a compose service's
complete environment: services of one image that pick their role by a variable (``ROLE=worker``) are told apart."""

from __future__ import annotations

import pytest

from hueylint.shell import parse_script
from tests.helpers import lint, triples, write_tree

DOCKERFILE = "FROM python:3.12\nCOPY . /app\nWORKDIR /app\nUSER app\nENTRYPOINT [\"/app/start.sh\"]\n"
APP = ("from huey import RedisHuey, crontab\nfrom huey.signals import SIGNAL_INTERRUPTED\n"
       "huey = RedisHuey(url='redis://redis')\n\n@huey.periodic_task(crontab())\ndef beat():\n    pass\n\n"
       "@huey.signal(SIGNAL_INTERRUPTED)\ndef requeue(signal, task, exc=None):\n    huey.enqueue(task)\n")


def _compose(worker_env: str, web_env: str = "", extra: str = "") -> str:
    return ("services:\n"
            f"  web:\n    build: .\n    restart: always\n{web_env}"
            f"  worker:\n    build: .\n    restart: always\n    stop_signal: SIGINT\n    stop_grace_period: 60s\n"
            f"{worker_env}{extra}")


def _tree(tmp_path, start: str, compose: str, **more: str):
    write_tree(tmp_path, {"compose.yaml": compose, "Dockerfile": DOCKERFILE, "start.sh": start, "app.py": APP,
                          "requirements.txt": "huey==2.5.3\n", **more})
    (tmp_path / "start.sh").chmod(0o755)
    return lint(tmp_path)


def _launches(result) -> list[str]:
    return sorted(f"{launch.platform} {launch.name}" for launch in result.project.launches)


ROLE_TESTS = [
    '[ "$ROLE" = worker ]',
    '[ -n "$RUN_WORKER" ]',
    '[ "$RUN_WORKER" ]',
    '[[ -n $RUN_WORKER ]]',
    'test -n "$RUN_WORKER"',
    '! [ -z "$RUN_WORKER" ]',
    '[ ! -z "$RUN_WORKER" ]',
]


@pytest.mark.parametrize("test", ROLE_TESTS)
def test_a_service_that_does_not_set_the_role_variable_runs_no_consumer(tmp_path, test: str) -> None:
    start = f"#!/bin/sh\nif {test}; then\n  exec huey_consumer app.huey\nelse\n  exec gunicorn app:wsgi\nfi\n"
    result = _tree(tmp_path, start, _compose("    environment:\n      ROLE: worker\n      RUN_WORKER: '1'\n"))
    assert _launches(result) == ["compose worker"]
    # no HL301 (web is no second enqueuer), no HL101/HL102 for web; the app's unsigned pickle on Redis stays
    assert triples(result) == [("HL402", "app.py", 3)]


def test_an_env_file_outside_the_repository_keeps_the_role_unknown(tmp_path) -> None:
    """compose passes what `env_file: prod.env` holds, which the repository lacks: any variable may be set."""
    start = '#!/bin/sh\nif [ "$ROLE" = worker ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n'
    result = _tree(tmp_path, start, _compose("    environment:\n      ROLE: worker\n", "    env_file: prod.env\n"))
    assert _launches(result) == ["compose web", "compose worker"]
    assert ("HL301", "start.sh", 3) in triples(result)


@pytest.mark.parametrize("start", [
    '#!/bin/sh\nif [ "${ROLE:-web}" = worker ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n',
    '#!/bin/sh\nif [ -n "${RUN_WORKER:-}" ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n',
    '#!/bin/sh\n[ -z "${RUN_WORKER-}" ] && exec gunicorn app:wsgi\nexec huey_consumer app.huey\n',
])
def test_a_default_does_not_decide_a_variable_the_environment_may_set(tmp_path, start: str) -> None:
    """`env_file: prod.env` (not in the repository) may set ROLE or RUN_WORKER: `${ROLE:-web}` is not `web`."""
    compose = "services:\n  worker:\n    build: .\n    restart: always\n    env_file: prod.env\n"
    assert _launches(_tree(tmp_path, start, compose)) == ["compose worker"]


@pytest.mark.parametrize("command", [
    '["sh", "-c", "ROLE=worker exec /app/start.sh"]',
    '["sh", "-c", "export ROLE=worker; exec /app/start.sh"]',
    '["/app/as-worker.sh"]',  # a script that exports ROLE=worker, then runs start.sh
])
def test_a_variable_the_shell_on_the_way_exports_reaches_the_script(tmp_path, command: str) -> None:
    """The service's environment is complete, but the shell code before start.sh may set ROLE for it."""
    start = '#!/bin/sh\nif [ "$ROLE" = worker ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n'
    result = _tree(tmp_path, start, _compose(f"    entrypoint: {command}\n"),
                   **{"as-worker.sh": "#!/bin/sh\nROLE=worker\nexport ROLE\nexec /app/start.sh\n"})
    assert _launches(result) == ["compose worker"]


@pytest.mark.parametrize("entrypoint", [
    '["env", "RUN_WORKER=1", "/app/start.sh"]',
    '["chpst", "-e", "/etc/app-env", "/app/start.sh"]',  # runit's envdir
    '["uv", "run", "--env-file", "/run/app.env", "/app/start.sh"]',
    '["bash", "-lc", "/app/start.sh"]',  # a login shell runs /etc/profile and ~/.profile first
    '["su", "-", "app", "-c", "/app/start.sh"]',
])
def test_a_launcher_that_sets_variables_keeps_the_environment_open(tmp_path, entrypoint: str) -> None:
    start = '#!/bin/sh\nif [ -n "$RUN_WORKER" ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n'
    compose = f"services:\n  worker:\n    build: .\n    restart: always\n    entrypoint: {entrypoint}\n"
    assert _launches(_tree(tmp_path, start, compose)) == ["compose worker"]


@pytest.mark.parametrize("line", ["printf -v RUN_WORKER %s \"$1\"", "getopts w RUN_WORKER"])
def test_a_builtin_that_assigns_sets_the_variable(tmp_path, line: str) -> None:
    """bash's `printf -v NAME` and `getopts OPTSTRING NAME` assign NAME: not unset in a complete environment."""
    start = f'#!/bin/bash\n{line}\nif [ -n "$RUN_WORKER" ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n'
    compose = "services:\n  worker:\n    build: .\n    restart: always\n"
    assert _launches(_tree(tmp_path, start, compose)) == ["compose worker"]


def test_a_yaml_boolean_in_environment_is_the_string_compose_passes(tmp_path) -> None:
    """`IN_PROCESS: false` (a YAML boolean): compose sets IN_PROCESS=false, not Python's `False`."""
    start = '#!/bin/sh\nif [ "$IN_PROCESS" = false ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n'
    compose = "services:\n  worker:\n    build: .\n    environment:\n      IN_PROCESS: false\n"
    assert _launches(_tree(tmp_path, start, compose)) == ["compose worker"]


def test_a_name_alone_in_an_env_file_passes_the_host_variable(tmp_path) -> None:
    """compose's `env_file:` line `RUN_WORKER` (no `=`) passes the variable of the shell running compose."""
    start = '#!/bin/sh\nif [ -n "$RUN_WORKER" ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n'
    result = _tree(tmp_path, start, _compose("    env_file: worker.env\n", "    env_file: web.env\n"),
                   **{"worker.env": "# from the deploy shell\nRUN_WORKER\n", "web.env": "OTHER=1\n"})
    assert _launches(result) == ["compose worker"]


def test_an_optional_env_file_missing_from_the_repository_keeps_the_role_unknown(tmp_path) -> None:
    """`required: false` lets compose start without the file; where the deployer writes it (a git-ignored
    `.env.local`), compose passes what it holds."""
    start = '#!/bin/sh\nif [ "$ROLE" = worker ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n'
    optional = "    env_file:\n      - path: .env.local\n        required: false\n"
    result = _tree(tmp_path, start, _compose("    environment:\n      ROLE: worker\n", optional))
    assert _launches(result) == ["compose web", "compose worker"]


def test_an_env_file_in_the_repository_completes_the_environment(tmp_path) -> None:
    start = '#!/bin/sh\nif [ "$ROLE" = worker ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n'
    result = _tree(tmp_path, start, _compose("    env_file: worker.env\n", "    env_file: web.env\n"),
                   **{"worker.env": "ROLE=worker\n", "web.env": "ROLE=web\n"})
    assert _launches(result) == ["compose worker"]


def test_the_image_run_alone_keeps_the_role_unknown(tmp_path) -> None:
    """The Dockerfile's own launch (no compose file): `docker run -e ROLE=worker` may set it."""
    start = '#!/bin/sh\nif [ -n "$RUN_WORKER" ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n'
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "start.sh": start, "app.py": APP,
                          "requirements.txt": "huey==2.5.3\n"})
    assert _launches(lint(tmp_path)) == ["docker Dockerfile"]


SOURCING = '#!/bin/sh\n{line}\nif [ -n "$RUN_HUEY" ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n'


def test_a_sourced_env_file_missing_from_the_repository_sets_what_its_template_lists(tmp_path) -> None:
    """`. /app/.env` (git-ignored, written from `.env.example`): the template does not list RUN_HUEY, so only the
    service that sets it runs the consumer; a variable the template lists stays unknown, and says why."""
    start = SOURCING.format(line=". /app/.env").replace("exec huey_consumer app.huey", 'exec "$CONSUMER" app.huey')
    result = _tree(tmp_path, start, _compose("    environment:\n      RUN_HUEY: '1'\n"),
                   **{".env.example": "# copy to .env\nSECRET_KEY=change-me\nCONSUMER=huey_consumer\n"})
    assert _launches(result) == ["compose worker"]
    (launch,) = result.project.launches
    assert [(u.what, u.why) for u in launch.unresolved] == [(
        "`$CONSUMER`", "variable not resolvable: set by `/app/.env`, which is not in the repository (its template "
        "`.env.example` lists it; the value is the deployer's)")]


@pytest.mark.parametrize("template", [".default.env", ".sample.env", "default.env", ".env.default"])
def test_a_template_named_for_defaults_is_read_too(tmp_path, template: str) -> None:
    """crazyarms keeps `.default.env`, which its script copies to `.env`: a template as `.env.example` is."""
    result = _tree(tmp_path, SOURCING.format(line=". ./.env"), _compose("    environment:\n      RUN_HUEY: '1'\n"),
                   **{template: "# copy to .env\nSECRET_KEY=\n"})
    assert _launches(result) == ["compose worker"]


def test_a_template_that_lists_the_variable_keeps_the_branch_open(tmp_path) -> None:
    result = _tree(tmp_path, SOURCING.format(line=". ./.env"), _compose("    environment:\n      RUN_HUEY: '1'\n"),
                   **{".env.sample": "RUN_HUEY=\n"})
    assert _launches(result) == ["compose web", "compose worker"]


@pytest.mark.parametrize("text, launches", [
    ("RUN_HUEY=1\n", ["compose web", "compose worker"]),  # every service sources it: both run the consumer
    ("export OTHER=1\nset -a\n", ["compose worker"]),
    ("if [ -f /x ]; then RUN_HUEY=1; fi\n", ["compose web", "compose worker"]),  # unknown: maybe
    ("RUN_HUEY=1\nstart_something\n", ["compose web", "compose worker"]),  # any command: opaque
    (". ./more.env\n", ["compose web", "compose worker"]),  # nested: opaque
])
def test_a_sourced_repository_file_sets_its_assignments(tmp_path, text: str, launches: list[str]) -> None:
    result = _tree(tmp_path, SOURCING.format(line="set -a; . ./deploy.env; set +a"),
                   _compose("    environment:\n      RUN_HUEY: '1'\n"), **{"deploy.env": text})
    assert _launches(result) == launches


@pytest.mark.parametrize("text", [': "${RUN_HUEY:=1}"\n', 'echo "${RUN_HUEY:=1}"\n', 'printf -v RUN_HUEY %s 1\n',
                                  'RUN_HUEY=1 :\n', 'MODE=${RUN_HUEY:=1}\n'])
def test_a_sourced_file_that_assigns_in_a_command_word_sets_the_variable(tmp_path, text: str) -> None:
    """`${X:=1}` assigns X where it is unset; `printf -v X` (bash) and a special built-in's prefix (dash) too."""
    result = _tree(tmp_path, SOURCING.format(line=". ./deploy.env"), _compose(""), **{"deploy.env": text})
    assert _launches(result) == ["compose web", "compose worker"]


@pytest.mark.parametrize("volume, launches", [
    ("./deploy/worker.env:/app/role.env:ro", ["compose worker"]),  # the worker reads the mounted file
    ("/etc/shop/role.env:/app/role.env", ["compose worker"]),  # a host file: any variable (maybe RUN_HUEY)
])
def test_a_mount_over_a_sourced_file_is_what_the_container_reads(tmp_path, volume: str, launches: list[str]) -> None:
    """The repository's `role.env` (RUN_HUEY empty) is what `web` sources; compose mounts another file over it
    for `worker`."""
    start = SOURCING.format(line=". /app/role.env")
    result = _tree(tmp_path, start, _compose(f"    volumes:\n      - {volume}\n"),
                   **{"role.env": "RUN_HUEY=\n", "deploy/worker.env": "RUN_HUEY=1\n"})
    assert _launches(result) == launches


def test_a_sourced_file_is_the_one_the_image_copies_there(tmp_path) -> None:
    """`COPY deploy/prod.env /app/.env`: the script sources that file, not the repository's development `.env`."""
    dockerfile = DOCKERFILE.replace("WORKDIR /app\n", "WORKDIR /app\nCOPY deploy/prod.env /app/.env\n")
    result = _tree(tmp_path, SOURCING.format(line=". /app/.env"), "services:\n  worker:\n    build: .\n",
                   **{"Dockerfile": dockerfile, ".env": "RUN_HUEY=\n", "deploy/prod.env": "RUN_HUEY=1\n"})
    assert _launches(result) == ["compose worker"]


def test_a_virtualenv_activation_sets_only_its_own_variables(tmp_path) -> None:
    result = _tree(tmp_path, SOURCING.format(line=". /app/venv/bin/activate"),
                   _compose("    environment:\n      RUN_HUEY: '1'\n"))
    assert _launches(result) == ["compose worker"]


def test_conda_activate_with_an_environment_name_is_not_followed(tmp_path) -> None:
    """`source activate myenv` (conda) runs the environment's activate.d scripts: any variable may be set."""
    result = _tree(tmp_path, SOURCING.format(line="source /opt/conda/bin/activate myenv"),
                   _compose("    environment:\n      RUN_HUEY: '1'\n"))
    assert _launches(result) == ["compose web", "compose worker"]


@pytest.mark.parametrize("test, subject, kind", [
    ('[ -n "$A" ]', "$A", "regex"),
    ('[ -z "$A" ]', "$A", "regex_excluded"),
    ('[ "$A" ]', "$A", "regex"),
    ('test "$A"', "$A", "regex"),
    ('test -z "$A"', "$A", "regex_excluded"),
    ('[[ -z $A ]]', "$A", "regex_excluded"),
])
def test_emptiness_tests_are_branch_guards(test: str, subject: str, kind: str) -> None:
    (command,) = parse_script(f"if {test}; then run; fi\n").commands
    (guard,) = command.guards
    assert guard.subject == subject and getattr(guard, kind) == r"[\s\S]" and guard.undecided == ""


@pytest.mark.parametrize("test", ['[ -n $A ]', '[ $A ]', 'test -n $A'])
def test_unquoted_emptiness_tests_decide_only_single_words(test: str) -> None:
    """`[ -n $A ]` with A empty is `[ -n ]`, true: only a value without blanks or glob characters decides."""
    (command,) = parse_script(f"if {test}; then run; fi\n").commands
    (guard,) = command.guards
    assert not guard.decides("") and not guard.decides("a b") and not guard.decides("*")
    assert guard.decides("worker") and guard.admits("worker")


@pytest.mark.parametrize("test", ['[ -f "$A" ]', '[ "$A" -a "$B" ]', '[ -n "literal" ]', 'test -d "$A"'])
def test_other_unary_tests_are_not_guards(test: str) -> None:
    (command,) = parse_script(f"if {test}; then run; fi\n").commands
    assert command.guards == ()


def _deployment(name: str, env: str = "") -> str:
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  selector:\n"
            f"    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n"
            f"    spec:\n      terminationGracePeriodSeconds: 60\n      containers:\n        - name: {name}\n"
            f"          image: registry.example.com/shop:1.0\n{env}")


ROLE_START = '#!/bin/sh\nif [ "$ROLE" = worker ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n'


@pytest.mark.parametrize("web_env, launches", [
    ("", ["kubernetes deployment/worker/worker"]),
    ("          env:\n            - name: ROLE\n              value: web\n", ["kubernetes deployment/worker/worker"]),
    # a ConfigMap's keys (envFrom) may hold ROLE: the web Deployment may run the consumer too
    ("          envFrom:\n            - configMapRef:\n                name: shop\n",
     ["kubernetes deployment/web/web", "kubernetes deployment/worker/worker"]),
])
def test_kubernetes_containers_of_one_image_pick_their_role(tmp_path, web_env: str, launches: list[str]) -> None:
    write_tree(tmp_path, {
        "Dockerfile": DOCKERFILE, "start.sh": ROLE_START, "app.py": APP, "requirements.txt": "huey==2.5.3\n",
        "k8s/web.yaml": _deployment("web", web_env),
        "k8s/worker.yaml": _deployment("worker", "          env:\n            - name: ROLE\n              value: worker\n")})
    assert _launches(lint(tmp_path)) == launches


def test_a_kustomize_overlay_that_patches_keeps_the_environment_open(tmp_path) -> None:
    """An overlay's strategic-merge patch may add `ROLE=worker` to a base Deployment that sets no variable."""
    patch = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: jobs\nspec:\n  template:\n    spec:\n"
             "      containers:\n        - name: jobs\n          env:\n            - name: ROLE\n              value: worker\n")
    write_tree(tmp_path, {
        "Dockerfile": DOCKERFILE, "start.sh": ROLE_START, "app.py": APP, "requirements.txt": "huey==2.5.3\n",
        "k8s/base/jobs.yaml": _deployment("jobs"), "k8s/base/kustomization.yaml": "resources:\n  - jobs.yaml\n",
        "k8s/prod/kustomization.yaml": "resources:\n  - ../base\npatches:\n  - path: jobs-env.yaml\n",
        "k8s/prod/jobs-env.yaml": patch})
    assert _launches(lint(tmp_path)) == ["kubernetes deployment/jobs/jobs"]


def test_a_sourced_file_under_a_kubernetes_volume_mount_is_not_the_repository_s(tmp_path) -> None:
    """`. /app/config/role.env` where a ConfigMap is mounted at /app/config: the repository's development copy
    (RUN_HUEY empty) is not what the container reads."""
    start = SOURCING.format(line=". /app/config/role.env")
    mount = ("          volumeMounts:\n            - name: role\n              mountPath: /app/config\n")
    write_tree(tmp_path, {
        "Dockerfile": DOCKERFILE, "start.sh": start, "app.py": APP, "requirements.txt": "huey==2.5.3\n",
        "config/role.env": "RUN_HUEY=\n", "k8s/jobs.yaml": _deployment("jobs", mount)})
    assert _launches(lint(tmp_path)) == ["kubernetes deployment/jobs/jobs"]


HELM_WORKER = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels:
    {{{{- include "shop.labels" . | nindent 4 }}}}
spec:
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      terminationGracePeriodSeconds: 60
      containers:
        - name: {name}
          image: "{{{{ .Values.image }}}}"
          resources:
            {{{{- toYaml .Values.resources | nindent 12 }}}}
{env}"""


@pytest.mark.parametrize("web_env, launches", [
    # `resources:` is rendered from an unknown block, but nothing can add a variable: web runs gunicorn
    ("", ["kubernetes deployment/worker/worker"]),
    ("          env:\n            - name: MODE\n              value: web\n", ["kubernetes deployment/worker/worker"]),
    # an include below `env:` (or at the container's own level) may add ROLE: web may run the consumer too
    ('          env:\n            {{- include "shop.env" . | nindent 12 }}\n',
     ["kubernetes deployment/web/web", "kubernetes deployment/worker/worker"]),
    ('          {{- with .Values.extra }}\n          {{- toYaml . | nindent 10 }}\n          {{- end }}\n',
     ["kubernetes deployment/web/web", "kubernetes deployment/worker/worker"]),
    # the same block where values.yaml leaves `extra` empty: Helm renders nothing there
    ('          {{- with .Values.none }}\n          {{- toYaml . | nindent 10 }}\n          {{- end }}\n',
     ["kubernetes deployment/worker/worker"]),
    ('          env:\n            {{- range $k, $v := .Values.env }}\n            - name: {{ $k }}\n'
     '              value: {{ $v | quote }}\n            {{- end }}\n',
     ["kubernetes deployment/web/web", "kubernetes deployment/worker/worker"]),
])
def test_helm_containers_of_one_image_pick_their_role(tmp_path, web_env: str, launches: list[str]) -> None:
    write_tree(tmp_path, {
        "Dockerfile": DOCKERFILE, "start.sh": ROLE_START, "app.py": APP, "requirements.txt": "huey==2.5.3\n",
        "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
        "chart/values.yaml": "image: registry.example.com/shop:1.0\nresources: {}\nnone: {}\nenv: {}\n"
                             "extra:\n  envFrom:\n    - secretRef:\n        name: shop\n",
        "chart/templates/web.yaml": HELM_WORKER.format(name="web", env=web_env),
        "chart/templates/worker.yaml": HELM_WORKER.format(
            name="worker", env="          env:\n            - name: ROLE\n              value: worker\n")})
    assert _launches(lint(tmp_path)) == launches


@pytest.mark.parametrize("template, launches", [
    ("DEBUG=0\nSECRET_KEY=\n", ["compose worker"]),  # the deployer's .env sets what its template lists
    ("DEBUG=0\nROLE=web\n", ["compose web", "compose worker"]),  # ROLE may be set there: web may run it too
])
def test_a_git_ignored_env_file_passes_what_its_template_lists(tmp_path, template: str, launches: list[str]) -> None:
    start = '#!/bin/sh\nif [ "$ROLE" = worker ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n'
    result = _tree(tmp_path, start, _compose("    env_file: .env\n    environment:\n      ROLE: worker\n",
                                             "    env_file: .env\n"), **{".env.example": template})
    assert _launches(result) == launches


CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n{data}"
ENV_FROM = "          envFrom:\n            - {kind}:\n                name: shop\n{prefix}"


@pytest.mark.parametrize("data, kind, prefix, launches", [
    ('  DJANGO_DEBUG: "0"\n', "configMapRef", "", ["kubernetes deployment/worker/worker"]),
    ("  ROLE: worker\n", "configMapRef", "", ["kubernetes deployment/web/web", "kubernetes deployment/worker/worker"]),
    ("  ROLE: worker\n", "configMapRef", "              prefix: APP_\n", ["kubernetes deployment/worker/worker"]),
    # a Secret's values are not known here, its names are: ROLE may be anything
    ("  ROLE: d29ya2Vy\n", "secretRef", "", ["kubernetes deployment/web/web", "kubernetes deployment/worker/worker"]),
    ("  OTHER: eA==\n", "secretRef", "", ["kubernetes deployment/worker/worker"]),
])
def test_env_from_a_config_map_of_the_repository(tmp_path, data, kind, prefix, launches) -> None:
    source = CONFIG_MAP.format(data=data).replace("kind: ConfigMap", "kind: Secret") if kind == "secretRef" else \
        CONFIG_MAP.format(data=data)
    write_tree(tmp_path, {
        "Dockerfile": DOCKERFILE, "start.sh": ROLE_START, "app.py": APP, "requirements.txt": "huey==2.5.3\n",
        "k8s/config.yaml": source,
        "k8s/web.yaml": _deployment("web", ENV_FROM.format(kind=kind, prefix=prefix)),
        "k8s/worker.yaml": _deployment("worker", ENV_FROM.format(kind=kind, prefix=prefix) +
                                       "          env:\n            - name: ROLE\n              value: worker\n")})
    result = lint(tmp_path)
    assert _launches(result) == launches
    if kind == "configMapRef" and not prefix and "DJANGO" in data:
        (launch,) = result.project.launches
        assert launch.environment["DJANGO_DEBUG"].value == "0"
        assert launch.environment["DJANGO_DEBUG"].loc.path == "k8s/config.yaml"


@pytest.mark.parametrize("runner", ["envdir /etc/shop/env", "s6-envdir /etc/shop/env", "dotenv run --"])
def test_a_launcher_reading_variables_from_files_keeps_the_environment_open(tmp_path, runner: str) -> None:
    """daemontools' `envdir DIR`, s6's, python-dotenv's `dotenv run` set variables hueylint does not see:
    a role variable may come from there, so the web service may run the consumer too."""
    start = '#!/bin/sh\nif [ "$ROLE" = worker ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n'
    dockerfile = DOCKERFILE.replace('ENTRYPOINT ["/app/start.sh"]', f'ENTRYPOINT {runner.split()!r}'.replace(
        "'", '"')[:-1] + ', "/app/start.sh"]')
    result = _tree(tmp_path, start, _compose("    environment:\n      ROLE: worker\n"), Dockerfile=dockerfile)
    assert _launches(result) == ["compose web", "compose worker"]


@pytest.mark.parametrize("text, launches", [
    ("set -o allexport\nRUN_HUEY_X=1\nset +a\n", ["compose worker"]),
    # `-euo pipefail`: `pipefail` is the group's `o` value, not an argument replacing "$@" (the file was opaque)
    ("set -euo pipefail\nRUN_HUEY_X=1\n", ["compose worker"]),
    ("set -- worker\n", ["compose web", "compose worker"]),  # replaces the arguments: not a file of assignments
])
def test_set_in_a_sourced_file(tmp_path, text: str, launches: list[str]) -> None:
    result = _tree(tmp_path, SOURCING.format(line=". ./deploy.env"), _compose("    environment:\n      RUN_HUEY: '1'\n"),
                   **{"deploy.env": text})
    assert _launches(result) == launches


def test_kubernetes_service_links_are_run_time_variables(tmp_path) -> None:
    """`REDIS_SERVICE_HOST` is set in every pod of a namespace with a `redis` Service: a test of it is not
    decided by a complete environment (the web Deployment may take that branch)."""
    start = ('#!/bin/sh\nif [ -n "$WORKER_QUEUE_SERVICE_HOST" ]; then\n  exec huey_consumer app.huey\nfi\n'
             'exec gunicorn app:wsgi\n')
    write_tree(tmp_path, {
        "Dockerfile": DOCKERFILE, "start.sh": start, "app.py": APP, "requirements.txt": "huey==2.5.3\n",
        "k8s/web.yaml": _deployment("web"), "k8s/worker.yaml": _deployment("worker")})
    assert _launches(lint(tmp_path)) == ["kubernetes deployment/web/web", "kubernetes deployment/worker/worker"]


@pytest.mark.parametrize("base, launches", [
    ("python:3.12-slim", ["compose worker"]),
    ("docker.io/library/python:3.12", ["compose worker"]),
    ("mycompany/django-base:3", ["compose web", "compose worker"]),  # its ENV may set ROLE
    ("${BASE_IMAGE}", ["compose web", "compose worker"]),
])
def test_a_base_image_of_someone_else_may_set_the_role(tmp_path, base: str, launches: list[str]) -> None:
    start = '#!/bin/sh\nif [ "$ROLE" = worker ]; then\n  exec huey_consumer app.huey\nfi\nexec gunicorn app:wsgi\n'
    dockerfile = DOCKERFILE.replace("FROM python:3.12", f"ARG BASE_IMAGE\nFROM {base}")
    result = _tree(tmp_path, start, _compose("    environment:\n      ROLE: worker\n"), Dockerfile=dockerfile)
    assert _launches(result) == launches
