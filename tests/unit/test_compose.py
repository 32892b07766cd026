"""Compose services: image linking, overrides, stop behaviour, projects, dedup with the Dockerfile."""

from __future__ import annotations

import json

import pytest

from hueylint.config import Settings
from hueylint.engine import build_project
from tests.helpers import lint, triples, write_tree

DOCKERFILE = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nSTOPSIGNAL SIGINT\nCMD [\"huey_consumer\", \"app.huey\"]\n"


def launches(root):
    _ws, project, _ = build_project([root], Settings(root=root))
    return project.launches


def test_command_string_overrides_cmd_and_image_stopsignal_applies(tmp_path):
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "compose.yaml": (
        "services:\n  worker:\n    build: .\n    command: huey_consumer app.huey -w 4 -t 50\n"
        "    stop_grace_period: 1m30s\n    restart: unless-stopped\n")})
    [launch] = launches(tmp_path)
    assert launch.platform == "compose" and launch.argv == ("app.huey", "-w", "4", "-t", "50")
    assert launch.stop_signal.value == "INT" and launch.stop_signal.loc.path == "Dockerfile"
    assert launch.deadline.value == 90 and launch.restart.value is True
    assert launch.consumer.program.loc.col == 14  # the word's own column in the string


def test_dockerfile_launch_is_dropped_when_compose_runs_it(tmp_path):
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "docker-compose.yml": "services:\n  worker:\n    build: .\n"})
    assert [l.platform for l in launches(tmp_path)] == ["compose"]


def test_entrypoint_override_drops_image_cmd(tmp_path):
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "compose.yaml": (
        "services:\n  web:\n    build: .\n    entrypoint: [\"gunicorn\", \"app.wsgi\"]\n")})
    assert launches(tmp_path) == []


def test_shared_image_by_name_and_anchors(tmp_path):
    write_tree(tmp_path, {"docker/Dockerfile": DOCKERFILE, "compose.yaml": (
        "x-app: &app\n  image: ghcr.io/me/app:latest\n  restart: always\n"
        "services:\n  web:\n    <<: *app\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n"
        "    command: [\"gunicorn\", \"app.wsgi\"]\n"
        "  worker:\n    <<: *app\n    command: [\"huey_consumer\", \"app.huey\", \"-n\"]\n")})
    [launch] = launches(tmp_path)
    assert launch.name == "worker" and launch.stop_signal.value == "INT"
    assert launch.restart.value is True and launch.restart.loc.line == 3


def test_override_file_is_one_project_and_alternatives_are_not(tmp_path):
    write_tree(tmp_path, {
        "compose.yaml": "services:\n  worker:\n    image: me/app\n    command: huey_consumer app.huey\n",
        "compose.override.yaml": "services:\n  worker:\n    deploy:\n      replicas: 3\n",
        "ops/docker-compose.local.yml": "services:\n  worker:\n    image: me/app\n    command: huey_consumer app.huey\n",
        "ops/docker-compose.production.yml": "services:\n  worker:\n    image: me/app\n"
                                             "    command: huey_consumer app.huey\n",
    })
    found = sorted((l.unit, l.instances.value) for l in launches(tmp_path))
    assert found == [("compose:.", 3), ("compose:ops/docker-compose.local.yml", 1),
                     ("compose:ops/docker-compose.production.yml", 1)]


def test_restart_missing_or_no_and_scale(tmp_path):
    write_tree(tmp_path, {"compose.yaml": (
        "services:\n  a:\n    image: me/app\n    command: huey_consumer app.huey\n    restart: \"no\"\n    scale: 2\n"
        "  b:\n    image: me/app\n    command: huey_consumer app.huey\n"
        "    deploy:\n      restart_policy:\n        condition: on-failure\n")})
    by_name = {l.name: l for l in launches(tmp_path)}
    assert by_name["a"].restart.value is False and by_name["a"].instances.value == 2
    assert by_name["b"].restart.value is True


def test_published_image_says_sigterm_is_assumed(tmp_path):
    write_tree(tmp_path, {"compose.yaml": "services:\n  w:\n    image: other/app\n    command: huey_consumer app.huey\n"})
    result = lint(tmp_path)
    [finding] = [f for f in result.findings if f.rule == "HL101"]
    assert "not built in this repository" in finding.message


def test_volumes_facts_for_hl406(tmp_path):
    write_tree(tmp_path, {"compose.yaml": (
        "services:\n  web:\n    image: me/app\n    volumes:\n      - data:/data\n"
        "  worker:\n    image: me/app\n    command: huey_consumer app.huey\n"
        "    volumes:\n      - type: volume\n        source: data\n        target: /data\nvolumes:\n  data:\n")})
    [launch] = launches(tmp_path)
    assert launch.compose.volumes.value == (("data", "/data"),)
    # every service of the project, this one included: one dict shared by the project's launches
    assert launch.compose.services.value == {"web": (("data", "/data"),), "worker": (("data", "/data"),)}


WORKER = "    image: me/app\n    command: huey_consumer app.huey\n"


@pytest.mark.parametrize("override, expected", [
    # field test dtcooper/jew.pizza: an override's `volumes:` adds its mounts to the base file's (compose merges
    # them by target); it had replaced them, so the base's mounted env file was no longer read
    ("    volumes:\n      - .:/srv\n", (("./env", "/etc/app.env"), ("data", "/data"), (".", "/srv"))),
    # the same target: the later entry replaces the earlier one, in its place
    ("    volumes:\n      - ./prod.env:/etc/app.env\n", (("./prod.env", "/etc/app.env"), ("data", "/data"))),
    ("    volumes:\n      - type: bind\n        source: ./prod.env\n        target: /etc/app.env/\n",
     (("./prod.env", "/etc/app.env/"), ("data", "/data"))),
    # `!override` replaces the whole list, `!reset` deletes it, a null keeps the base's
    ("    volumes: !override\n      - .:/srv\n", ((".", "/srv"),)),
    ("    volumes: !reset []\n", None),
    ("    volumes:\n", (("./env", "/etc/app.env"), ("data", "/data"))),
])
def test_volumes_merge_over_files_by_target(tmp_path, override, expected):
    write_tree(tmp_path, {
        "compose.yaml": "services:\n  worker:\n" + WORKER + "    volumes:\n      - ./env:/etc/app.env\n"
                        "      - data:/data\nvolumes:\n  data:\n",
        "compose.override.yaml": "services:\n  worker:\n" + override})
    [launch] = launches(tmp_path)
    assert (launch.compose.volumes.value if launch.compose.volumes is not None else None) == expected


def test_volumes_merge_through_extends(tmp_path):
    write_tree(tmp_path, {"compose.yaml": (
        "services:\n  base:\n    image: me/app\n    volumes:\n      - ./env:/etc/app.env\n"
        "  worker:\n    extends: base\n    command: huey_consumer app.huey\n    volumes:\n      - .:/srv\n")})
    [launch] = launches(tmp_path)
    assert launch.compose.volumes.value == (("./env", "/etc/app.env"), (".", "/srv"))


def test_bad_yaml_is_hl001_with_position(tmp_path):
    write_tree(tmp_path, {"compose.yaml": "services:\n  worker:\n    command: [huey_consumer\n    image: x\n"})
    assert [(r, p, line) for r, p, line in triples(lint(tmp_path), "HL001")] == [("HL001", "compose.yaml", 4)]


def test_interpolated_grace_period_is_unknown(tmp_path):
    write_tree(tmp_path, {"compose.yaml": (
        "services:\n  w:\n    image: me/app\n    command: huey_consumer app.huey -g TERM -t 5\n"
        "    stop_grace_period: ${GRACE:-60s}\n")})
    assert triples(lint(tmp_path), "HL102") == []


SUPERVISED = {
    "Dockerfile": "FROM python:3.12\nCOPY docker/supervisord.conf /etc/supervisor/conf.d/app.conf\n"
                  "CMD [\"supervisord\", \"-n\", \"-c\", \"/etc/supervisor/conf.d/app.conf\"]\n",
    "docker/supervisord.conf": "[supervisord]\nnodaemon=true\n\n[program:huey]\n"
                               "command=huey_consumer my_app.huey -g TERM -t 25\nstopwaitsecs=30\nuser=app\n",
}


def test_supervisord_as_pid1_gets_the_container_hop_once(tmp_path):
    write_tree(tmp_path, SUPERVISED)
    [launch] = launches(tmp_path)
    assert [hop.name for hop in launch.chain][:2] == ["docker", "supervisord"]
    assert launch.deadline.value == 10  # `docker stop` is shorter than stopwaitsecs
    write_tree(tmp_path, {"compose.yaml": "services:\n  worker:\n    build: .\n    stop_grace_period: 40s\n"})
    [launch] = launches(tmp_path)
    assert launch.chain[0].name == "compose" and launch.deadline.value == 30


def test_shell_wrapper_of_a_development_reloader_is_not_hl201(tmp_path):
    """Field test (django-huey-monitor): a wrapper without ``exec`` around ``watchfiles``/``watchmedo``
    is a development launch, quiet like its stop signal; the same wrapper around the consumer is HL201."""
    compose = "services:\n  worker:\n    build: .\n    restart: always\n    entrypoint: /app/run.sh\n"
    dockerfile = "FROM python:3.12\nWORKDIR /app\nCOPY . .\n"
    for name, line, expected in (
            ("dev", 'watchfiles --filter python "huey_consumer app.huey -w 2" /app\n', []),
            ("watchmedo", "watchmedo auto-restart -d . -p '*.py' -- huey_consumer app.huey -w 2\n", []),
            # eradman's entr restarts the command on every change of the files listed on its stdin (field test
            # karrot-dev/karrot-docker); with -s the command is a shell string, not followed
            ("entr", "find app -name '*.py' | entr -rz huey_consumer app.huey -w 2\n", []),
            ("prod", "huey_consumer app.huey -w 2\n", [("HL201", "compose.yaml", 5)])):
        write_tree(tmp_path / name, {"compose.yaml": compose, "Dockerfile": dockerfile,
                                     "run.sh": "#!/bin/sh\nset -e\n" + line + "echo stopped\n"})
        assert triples(lint(tmp_path / name), "HL201") == expected, name


@pytest.mark.parametrize("command, dev", [
    ("sh -c \"find app -name '*.py' | entr -r python manage.py run_huey\"", True),
    ("[entr, -r, huey_consumer, app.huey]", True),
    ("huey_consumer app.huey", False),
])
def test_a_service_under_entr_makes_a_development_stack(tmp_path, command, dev):
    """Field test (karrot-dev/karrot-docker): `find ... | entr -r env/bin/python manage.py run_huey` restarts the
    consumer on every source change, a development reloader like watchmedo (there a `runserver` said it too)."""
    write_tree(tmp_path, {"compose.yaml": f"services:\n  worker:\n    build: .\n    command: {command}\n",
                          "Dockerfile": DOCKERFILE})
    assert [found for _unit, found, _why in units(tmp_path)] == [dev]


def _many_services(root, count: int) -> None:
    lines = ["services:"]
    for index in range(count):
        lines += [f"  w{index}:", f"    image: registry.example.com/app{index % 3}:1",
                  f'    command: ["huey_consumer", "app.huey", "-w", "{index % 8 + 1}"]']
    lines += ["  builder:", "    image: registry.example.com/app0:1", "    build: ."]
    write_tree(root, {"compose.yaml": "\n".join(lines) + "\n", "Dockerfile": "FROM python:3.13\n"})


def test_work_per_service_is_constant_not_per_pair(tmp_path, monkeypatch):
    """compose-many-services-superlinear: the services of a project are indexed once (their volumes, the
    images they build, the script paths of their launches), so the calls that used to run per pair of
    services (`Service.layer` from `image_for`/`dev`, `same_image`, `exclusive` in HL301) grow by the same
    amount for every 40 services added."""
    import hueylint.checks.hl301_duplicate_periodic_enqueuers as periodic
    from hueylint.platforms import compose, docker

    counts = {"layer": 0, "same_image": 0, "exclusive": 0}

    def counted(name, real):
        def wrapper(*args, **kwargs):
            counts[name] += 1
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(compose.Service, "layer", counted("layer", compose.Service.layer))
    monkeypatch.setattr(docker, "same_image", counted("same_image", docker.same_image))
    monkeypatch.setattr(periodic, "exclusive", counted("exclusive", periodic.exclusive))
    measured = []
    for size in (40, 80, 120):
        root = tmp_path / str(size)
        _many_services(root, size)
        for key in counts:
            counts[key] = 0
        result = lint(root)
        assert len([f for f in result.findings if f.rule == "HL301"]) == size - 1  # all but the first
        measured.append(dict(counts))
    for key in counts:
        first, second, third = (m[key] for m in measured)
        assert second - first == third - second, (key, measured)


def test_fixes_and_command_lines_cost_the_same_per_service(tmp_path):
    """compose-3000-services: every service's fixes used to split the whole compose file into lines again
    (and every command line built huey_consumer's option parser again): 3,000 services took 11 s.  The
    file's lines are split once for all its fixes and the parser built once per huey version, so neither
    count grows with the services."""
    from hueylint import consumer_cli, fix_edits

    measured = []
    for size in (40, 80, 120):
        root = tmp_path / str(size)
        _many_services(root, size)
        fix_edits.text_lines.cache_clear()
        consumer_cli._optparse_for.cache_clear()
        result = lint(root)
        fixes = sum(1 for f in result.findings if f.fix is not None)
        assert fixes >= size  # each service's consumer has a fix (its stop signal)
        measured.append((fix_edits.text_lines.cache_info().misses, consumer_cli._optparse_for.cache_info().misses))
    assert measured[0] == measured[1] == measured[2], measured
    assert measured[0][1] == 1, measured


def test_container_paths_are_mapped_once_per_stage(tmp_path, monkeypatch):
    """A container path (a script the chain looks for on PATH, a COPY'd file) is mapped back to the
    repository once per image stage, not once per service of the image that asks."""
    from hueylint.platforms import docker

    calls = []
    real = docker.DockerResolver._find_mapped
    monkeypatch.setattr(docker.DockerResolver, "_find_mapped",
                        lambda self, target, existing: calls.append(target) or real(self, target, existing))
    measured = []
    for size in (5, 10):
        lines = ["services:"] + [line for n in range(size) for line in
                                 (f"  w{n}:", "    build: .", '    command: ["start.sh", "-w", "2"]')]
        write_tree(tmp_path / str(size), {
            "compose.yaml": "\n".join(lines) + "\n",
            "Dockerfile": "FROM python:3.13\nCOPY start.sh /usr/local/bin/start.sh\n",
            "start.sh": "#!/bin/sh\nexec huey_consumer app.huey \"$@\"\n"})
        calls.clear()
        result = lint(tmp_path / str(size))
        assert sum(1 for f in result.findings if f.rule == "HL101") == size  # every service's consumer is found
        measured.append(len(calls))
    assert measured[0] == measured[1] > 0, measured


def test_related_consumer_command_is_the_command_line(tmp_path):
    """A setting the service lacks (HL701: no user) is reported at the service; its related location "the
    consumer command" is the consumer in `command:`, else the `entrypoint:`/`command:` reaching it."""
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.13\nCOPY start.sh /start.sh\n",
        "start.sh": "#!/bin/sh\nexec huey_consumer app.huey \"$@\"\n",
        "compose.yaml": "services:\n  worker:\n    build: .\n    command:\n      - huey_consumer\n      - app.huey\n"
                        "  other:\n    build: .\n    entrypoint: [\"/start.sh\"]\n    command: [\"-w\", \"2\"]\n"})
    found = sorted((f.loc.line, f.related[0].loc.line, f.related[0].loc.col, f.related[0].message)
                   for f in lint(tmp_path).findings if f.rule == "HL701")
    assert found == [(2, 5, 9, "the consumer command"), (7, 9, 18, "the consumer command")]


@pytest.mark.parametrize(("user", "root"), [("0", True), ('"0"', True), ("1000", False)])
def test_a_user_written_as_a_yaml_integer_is_that_uid(tmp_path, user, root):
    """``user: 0`` (a YAML integer) runs the service as uid 0: HL701 at its value (it was read as no user)."""
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.13\nUSER app\n",
                          "compose.yaml": f"services:\n  worker:\n    build: .\n    user: {user}\n"
                                          "    command: huey_consumer app.huey\n"})
    found = [(f.loc.line, f.loc.col) for f in lint(tmp_path).findings if f.rule == "HL701"]
    assert found == ([(4, 11)] if root else [])


# -- projects as `docker compose` forms them --------------------------------------------------------

WORKER = "services:\n  worker:\n    image: me/app\n    command: huey_consumer app.huey\n"
GUNICORN = "services:\n  web:\n    image: me/app\n    command: gunicorn app.wsgi\n"


def units(root):
    """The compose launches (a development project leaves the Dockerfile's own launch beside them)."""
    return sorted((l.unit, l.dev, l.dev_reason.value if l.dev_reason is not None else "") for l in launches(root)
                  if l.platform == "compose")


def test_alternative_stack_beside_the_base_file_is_its_own_project(tmp_path):
    write_tree(tmp_path, {
        "docker-compose.yaml": WORKER,
        "docker-compose-worker.yaml": WORKER.replace("worker:", "maps-worker:"),
    })
    assert units(tmp_path) == [("compose:.", False, ""), ("compose:docker-compose-worker.yaml", False, "")]


def test_development_override_run_with_f_in_a_makefile_is_its_own_project(tmp_path):
    write_tree(tmp_path, {
        "docker-compose.yml": WORKER + "    restart: always\n",
        "docker-compose.debug.yml": "services:\n  worker:\n    image: me/app\n"
                                    "    command: watchmedo auto-restart -- huey_consumer app.huey\n",
        "Makefile": "up:\n\tdocker compose -f docker-compose.yml \\\n\t  -f docker-compose.debug.yml up\n",
    })
    assert units(tmp_path) == [
        ("compose:.", False, ""),
        ("compose:docker-compose.yml+docker-compose.debug.yml", True,
         "service `worker` runs a development server (`watchmedo`, docker-compose.debug.yml:4)")]
    [dev] = [l for l in launches(tmp_path) if l.dev]
    assert dev.compose.project.value == "combined by `Makefile:2`"


def test_compose_file_variable_and_ci_workflow_combine_files(tmp_path):
    write_tree(tmp_path, {
        "compose.yaml": WORKER,
        "compose.prod.yaml": "services:\n  worker:\n    deploy:\n      replicas: 2\n",
        "deploy/compose.yaml": WORKER,
        "deploy/compose.staging.yaml": "services:\n  worker:\n    deploy:\n      replicas: 3\n",
        ".env": "COMPOSE_FILE=compose.yaml:compose.prod.yaml\n",
        "deploy/swarm.sh": "#!/bin/sh\nexec docker stack deploy -c compose.yaml -c compose.swarm.yaml app\n",
        "deploy/compose.swarm.yaml": "services:\n  worker:\n    deploy:\n      replicas: 4\n",
        ".github/workflows/deploy.yml": "jobs:\n  d:\n    steps:\n      - run: docker-compose --file "
                                         "deploy/compose.yaml --file=deploy/compose.staging.yaml up -d\n",
    })
    found = sorted((l.unit, l.instances.value) for l in launches(tmp_path))
    assert found == [("compose:.", 1), ("compose:compose.yaml+compose.prod.yaml", 2),
                     ("compose:deploy", 1), ("compose:deploy/compose.yaml+compose.staging.yaml", 3),
                     ("compose:deploy/compose.yaml+compose.swarm.yaml", 4)]


@pytest.mark.parametrize("line", [
    "docker compose -f compose.a.yaml down && docker compose -f compose.b.yaml up -d",
    "docker compose -f compose.a.yaml pull; docker-compose -f compose.b.yaml up -d",
    "docker compose -f compose.a.yaml ps || docker compose --file=compose.b.yaml up",
    "docker compose -f compose.a.yaml config | docker stack deploy -c compose.b.yaml app",
    "docker compose -f compose.a.yaml -f compose.a.yaml up -d && docker compose -f compose.b.yaml up -d",
], ids=["and", "semicolon", "or", "pipe", "twice-in-one"])
def test_each_compose_command_on_a_line_is_its_own_combination(tmp_path, line):
    """Field test (deleyva/app-martina): ``docker compose -f a down && docker compose -f a up`` in one
    recipe line merged ``a`` with itself, and ``-f a ... ; -f b`` merged two environments into one project
    (HL301 between their consumers).  A command ends at ``&&``, ``;``, ``||`` or ``|``; a file named twice
    in one command is loaded once."""
    write_tree(tmp_path, {
        "compose.a.yaml": WORKER,
        "compose.b.yaml": WORKER.replace("worker:", "worker-b:"),
        "deploy.sh": f"#!/bin/sh\nssh host \"{line}\"\n",
    })
    assert sorted(l.unit for l in launches(tmp_path)) == ["compose:compose.a.yaml", "compose:compose.b.yaml"]
    assert triples(lint(tmp_path), "HL301") == []


def test_include_joins_the_project(tmp_path):
    write_tree(tmp_path, {
        "compose.yaml": "include:\n  - path: [workers/compose.workers.yaml]\n" + GUNICORN,
        "workers/compose.workers.yaml": WORKER + "  beat:\n    image: me/app\n    command: huey_consumer app.huey\n",
    })
    found = sorted((l.unit, l.name) for l in launches(tmp_path))
    assert found == [("compose:.", "beat"), ("compose:.", "worker")]
    assert triples(lint(tmp_path), "HL301") == [("HL301", "workers/compose.workers.yaml", 7)]  # beat and worker


def test_a_development_override_file_keeps_the_base_alone_as_production(tmp_path):
    write_tree(tmp_path, {
        "docker-compose.yml": WORKER + GUNICORN.replace("services:\n", ""),
        "docker-compose.override.yml": "services:\n  web:\n    command: python manage.py runserver\n",
    })
    assert units(tmp_path) == [
        ("compose:.", True, "service `web` runs a development server (`runserver`, "
                            "docker-compose.override.yml:3)"),
        ("compose:docker-compose.yml", False, "")]
    assert ("HL203", "docker-compose.yml", 2) in triples(lint(tmp_path))


def test_an_override_adding_its_own_services_still_combines_with_the_base(tmp_path):
    write_tree(tmp_path, {
        "docker-compose.yml": WORKER,
        "docker-compose.prod.yml": "services:\n  worker:\n    restart: always\n    stop_grace_period: 90s\n"
                                   "  nginx:\n    image: nginx\n",
    })
    found = sorted((l.unit, l.restart.value, l.deadline.value) for l in launches(tmp_path))
    assert found == [("compose:.", False, 10.0), ("compose:docker-compose.yml+docker-compose.prod.yml", True, 90.0)]


def test_service_environment_decides_the_entrypoint_branch(tmp_path):
    """Field test (karrio): one image, an entrypoint that starts the consumer in the background unless
    ``DETACHED_WORKER`` is true (``[[ "${DETACHED_WORKER,,}" =~ ^(false|0|no|off)$ ]]``); the api service sets
    it to True and a worker service runs the consumer itself.  compose's ``environment:`` is the container's."""
    entry = ('#!/bin/bash\nif [[ "${DETACHED_WORKER,,}" =~ ^(false|0|no|off)$ ]]; then\n'
             '    gunicorn app.wsgi &\n    exec huey_consumer app.huey -w 2\nelse\n    exec gunicorn app.wsgi\nfi\n')
    compose = ("services:\n  api:\n    build: .\n    environment:\n      DETACHED_WORKER: \"True\"\n"
               "  standalone:\n    build: .\n    environment:\n      DETACHED_WORKER: \"False\"\n"
               "  worker:\n    build: .\n    command: [\"huey_consumer\", \"app.huey\", \"-w\", \"4\"]\n")
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.12\nCOPY entrypoint /entrypoint\nENV DETACHED_WORKER=false\n"
                                        "ENTRYPOINT [\"/entrypoint\"]\n",
                          "entrypoint": entry, "compose.yaml": compose})
    assert sorted(launch.name for launch in launches(tmp_path)) == ["standalone", "worker"]


def test_services_running_one_entrypoint_alike_get_the_same_reading(tmp_path):
    """The entrypoint's evaluation is shared by the launches that run it with the same arguments and
    environment (one per run); each launch still gets its own branch and its own locations."""
    entry = ('#!/bin/sh\ncase "$1" in\n  worker) shift; exec huey_consumer app.huey "$@" ;;\n'
             '  *) if [ "$ROLE" = worker ]; then exec huey_consumer app.huey -w 1; fi; exec gunicorn app.wsgi ;;\nesac\n')
    service = "  {name}:\n    build: .\n    command: {command}\n    environment:\n      ROLE: {role}\n"
    compose = "services:\n" + "".join(service.format(name=name, command=command, role=role) for name, command, role in (
        ("w1", "[worker, -w, '2']", "web"), ("w2", "[worker, -w, '2']", "web"), ("w3", "[worker, -w, '8']", "web"),
        ("web1", "[serve]", "web"), ("web2", "[serve]", "web"), ("role", "[serve]", "worker")))
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.12\nCOPY entrypoint.sh /entrypoint.sh\n"
                                        "ENTRYPOINT [\"/entrypoint.sh\"]\n",
                          "entrypoint.sh": entry, "compose.yaml": compose})
    found = sorted((launch.name, launch.argv, launch.consumer.program.loc.line) for launch in launches(tmp_path))
    assert found == [("role", ("app.huey", "-w", "1"), 4), ("w1", ("app.huey", "-w", "2"), 3),
                     ("w2", ("app.huey", "-w", "2"), 3), ("w3", ("app.huey", "-w", "8"), 3)]


@pytest.mark.parametrize("line", ['[ "$ROLE" = worker ] && exec huey_consumer app.huey -w 2',
                                  '[ "$ROLE" != worker ] || exec huey_consumer app.huey -w 2',
                                  '[[ $ROLE == work* ]] && exec huey_consumer app.huey -w 2'])
def test_a_test_and_or_list_in_the_entrypoint_is_a_branch(tmp_path, line):
    """``[ "$ROLE" = worker ] && exec huey_consumer ...`` in a shared entrypoint: only the service whose
    environment passes the test starts the consumer (before, every service that ran the image did)."""
    entry = f"#!/bin/sh\n{line}\nexec gunicorn app.wsgi\n"
    service = "  {name}:\n    build: .\n    environment:\n      ROLE: {role}\n"
    compose = "services:\n" + service.format(name="web", role="web") + service.format(name="worker", role="worker")
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.12\nCOPY entrypoint.sh /entrypoint.sh\n"
                                        "ENTRYPOINT [\"/entrypoint.sh\"]\n",
                          "entrypoint.sh": entry, "compose.yaml": compose})
    [launch] = launches(tmp_path)
    assert launch.name == "worker" and launch.argv == ("app.huey", "-w", "2")


def test_a_script_of_another_service_folder_is_not_found_by_name(tmp_path):
    """Field test (microstack): dramatiq/docker-compose.yml runs an image built elsewhere with `/worker.sh`;
    the repository's only worker.sh belongs to the huey/ service (its own Dockerfile), not to that image.
    A compose file outside every service folder may still run it."""
    worker = "#!/bin/sh\nhuey_consumer app.huey -w 2\n"
    service = "services:\n  worker:\n    image: registry.example.com/{name}:1\n    command: /worker.sh\n"
    write_tree(tmp_path, {
        "huey/Dockerfile": "FROM python:3.12\nCOPY worker.sh /worker.sh\nENTRYPOINT [\"/worker.sh\"]\n",
        "huey/worker.sh": worker,
        "dramatiq/Dockerfile": "FROM python:3.12\nCOPY worker.sh /worker.sh\nENTRYPOINT [\"/worker.sh\"]\n",
        "dramatiq/docker-compose.yml": service.format(name="dramatiq"),
        "deploy/docker-compose.yml": service.format(name="huey"),
    })
    assert sorted(f"{launch.platform} {launch.loc.path}" for launch in launches(tmp_path)) == [
        "compose deploy/docker-compose.yml", "docker huey/Dockerfile"]


def test_entrypoint_script_running_a_development_server_makes_a_development_stack(tmp_path):
    """Field test (SecObserve): the base compose file builds a dev image whose entrypoint script starts the
    consumer in the background and then runs `manage.py runserver_plus`: a development stack, like a
    `command: runserver` (was: HL201 on the image's ENTRYPOINT and HL203 on the service, as for production).
    The same script ending in gunicorn stays judged."""
    entry = "#!/bin/sh\npython manage.py run_huey --flush-locks &\npython manage.py {server} 0.0.0.0:8000\n"
    files = {"Dockerfile": "FROM python:3.12\nCOPY entrypoint /entrypoint\nUSER app\nENTRYPOINT [\"/entrypoint\"]\n",
             "docker-compose.yml": "services:\n  backend:\n    build: .\n"}
    write_tree(tmp_path, {**files, "entrypoint": entry.format(server="runserver_plus")})
    assert units(tmp_path) == [
        ("compose:.", True, "service `backend` runs a development server (`runserver` in `entrypoint`)")]
    assert triples(lint(tmp_path)) == []  # the image's own launch runs the same script: a development one too
    write_tree(tmp_path, {"entrypoint": entry.format(server="gunicorn_start")})
    assert units(tmp_path) == [("compose:.", False, "")]
    assert ("HL201", "Dockerfile", 4) in triples(lint(tmp_path))


@pytest.mark.parametrize("server, dev", [
    # the development server in the background beside nginx, under a debugger (basedosdados/backend)
    ("(python -m debugpy --listen 0.0.0.0:5678 manage.py runserver 0.0.0.0:8000) & nginx -g 'daemon off;'\n", True),
    ("python manage.py runserver 0.0.0.0:8000 &\nexec nginx -g 'daemon off;'\n", True),
    ("exec uvicorn app.asgi:application --reload\n", True),
    # only on a path the environment chooses, or in a function nothing calls: a production script
    ("if [ \"$DEBUG\" = 1 ]; then\n  python manage.py runserver &\nfi\nexec nginx -g 'daemon off;'\n", False),
    ("debug() {\n  python manage.py runserver\n}\nexec gunicorn app.wsgi\n", False),
    ("exec gunicorn app.wsgi --bind 0.0.0.0:8000\n", False),
    # the script may end before the server: production `exec`s gunicorn first (or it is dead code after it)
    ("if [ -z \"$DEV\" ]; then exec gunicorn app.wsgi; fi\npython manage.py runserver 0.0.0.0:8000\n", False),
    ("[ \"$ENV\" = production ] && exec gunicorn app.wsgi\nexec python manage.py runserver\n", False),
    ("exec gunicorn app.wsgi\npython manage.py runserver\n", False),
    # words only printed are no server
    ("echo 'locally: python manage.py runserver'\nexec gunicorn app.wsgi\n", False),
    # an `exec` in a subshell, of redirections only, or an `exit` after the server end nothing before it
    ("exec >/tmp/start.log 2>&1\n(exec true)\npython manage.py runserver || exit 1\n", True),
])
def test_the_consumers_own_script_running_a_development_server_makes_a_development_stack(tmp_path, server, dev):
    """The script that starts the consumer (in the background) runs a development server on every path, in
    the background or not, with a launcher before it (``python -m debugpy ...``): the stack is a development
    one, whatever command the script runs last (was: only the command after the consumer's ``&`` was read,
    so HL201 and HL203 judged a local stack with a debugger port as a production one)."""
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12\nCOPY start.sh /start.sh\nUSER app\nCMD [\"/start.sh\"]\n",
        "compose.yaml": "services:\n  api:\n    build: .\n    command: [bash, /start.sh]\n",
        "start.sh": "#!/bin/bash\n(cd /app; python manage.py run_huey &)\n" + server,
    })
    assert [found for _unit, found, _why in units(tmp_path)] == [dev]
    if dev:
        assert triples(lint(tmp_path)) == []


CONSUMER_THEN = "#!/bin/bash\npython manage.py run_huey &\n"


@pytest.mark.parametrize("server, environment, dev", [
    # kobotoolbox/reports: `if [ "${DEBUG,,}" == 'true' ]` with `DEBUG=True` takes the `--reload` branch
    ("if [ \"${DEBUG,,}\" == 'true' ]; then\n  gunicorn -b :8000 -w 3 --reload app.wsgi\nelse\n"
     "  gunicorn -b :8000 -w 3 app.wsgi\nfi\n", "DEBUG: \"True\"", True),
    ("if [ \"${DEBUG,,}\" == 'true' ]; then\n  gunicorn -b :8000 -w 3 --reload app.wsgi\nelse\n"
     "  gunicorn -b :8000 -w 3 app.wsgi\nfi\n", "DEBUG: \"False\"", False),
    # a `case` on a variable, and a `&&` test: the value chooses
    ("case \"$MODE\" in\n  dev) exec python manage.py runserver 0:8000 ;;\n  *) exec gunicorn app.wsgi ;;\nesac\n",
     "MODE: dev", True),
    ("case \"$MODE\" in\n  dev) exec python manage.py runserver 0:8000 ;;\n  *) exec gunicorn app.wsgi ;;\nesac\n",
     "MODE: prod", False),
    ("[ \"$RELOAD\" = 1 ] && exec uvicorn app.asgi:application --reload\nexec gunicorn app.wsgi\n", "RELOAD: '1'", True),
    # a value compose cannot know (interpolated from the shell) decides nothing: production
    ("[ \"$RELOAD\" = 1 ] && exec uvicorn app.asgi:application --reload\nexec gunicorn app.wsgi\n",
     "RELOAD: ${RELOAD}", False),
])
def test_the_consumers_own_script_runs_the_development_server_the_services_environment_chooses(
        tmp_path, server, environment, dev):
    """The script that starts the consumer picks its server by a variable of the service's ``environment:``:
    the branch that value takes decides (was: only a server outside every branch counted, so a local stack
    with ``DEBUG=True`` and ``gunicorn --reload`` was judged a production one: HL203 on it)."""
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12\nCOPY start.sh /start.sh\nUSER app\nCMD [\"/start.sh\"]\n",
        "compose.yaml": f"services:\n  api:\n    build: .\n    environment:\n      {environment}\n",
        "start.sh": CONSUMER_THEN + server,
    })
    assert [found for _unit, found, _why in units(tmp_path)] == [dev]


@pytest.mark.parametrize("compose, kept", [
    # a development project (a service runs a development server): the image's own launch stays
    ("services:\n  web:\n    build: .\n    command: python manage.py runserver 0:8000\n  worker:\n    build: .\n", True),
    # a service that runs only under a development profile does not stand for the image either
    ("services:\n  worker:\n    build: .\n    profiles: [debug]\n", True),
    # a production project runs the image: its launch is the service's, the Dockerfile's is dropped
    ("services:\n  worker:\n    build: .\n    restart: always\n", False),
])
def test_a_development_project_does_not_stand_for_the_images_own_launch(tmp_path, compose, kept):
    """Field test (kobotoolbox/reports): a local compose stack builds the Dockerfile that production deploys
    on its own (Dokku, a PaaS, ``docker run``); only a production project's service replaces the Dockerfile's
    launch, else its problems (a consumer started with ``&`` in the image's script) were no longer reported."""
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "compose.yaml": compose})
    assert ("docker" in {launch.platform for launch in launches(tmp_path)}) == kept


def test_fixes_of_many_services_load_the_compose_file_once(tmp_path, monkeypatch):
    """Each service gets fixes (HL101, HL102, HL104, HL203): the compose text is loaded for them once, not
    once per fix, so a project of N services costs N, not N squared (800 services took minutes)."""
    from hueylint import fix_edits
    from hueylint.parsers import yamldocs

    fix_edits._yaml_documents.cache_clear()
    loads: list[int] = []
    real = yamldocs.load_all_quietly

    def counting(text: str) -> list:
        loads.append(len(text))
        return real(text)

    monkeypatch.setattr(yamldocs, "load_all_quietly", counting)
    services = "".join(f"  w{i}:\n    image: app\n    command: [\"huey_consumer\", \"app.huey\", \"-w\", \"2\"]\n"
                       for i in range(30))
    write_tree(tmp_path, {"compose.yaml": "services:\n" + services})
    result = lint(tmp_path)
    fixed = [f for f in result.findings if f.fix is not None and f.fix.edits]
    assert len({f.loc.line for f in fixed if f.rule == "HL101"}) == 30  # every service has its fix
    assert len(loads) <= 2


def test_a_file_that_only_says_where_images_come_from_overrides_the_base(tmp_path):
    """Field test (qm-nmr-calc): ``docker-compose.build.yml`` gives the base file's services ``build:`` and
    a local ``image:`` (``-f docker-compose.yml -f docker-compose.build.yml``), nothing else.  Alone, compose
    would start them without the base's stop signal, deadline and restart policy: HL101, HL102 and HL203 on
    a file that never runs that way (noise).  It is an override of the base, as long as every service it
    names is the base's and sets only build/image/platform/pull_policy."""
    base = ("services:\n  worker:\n    image: registry.example.com/app-worker:1\n"
            "    command: huey_consumer app.huey -t 80\n"
            "    stop_signal: SIGINT\n    stop_grace_period: 90s\n    restart: unless-stopped\n    user: app\n")
    write_tree(tmp_path, {
        "docker-compose.yml": base,
        "Dockerfile": "FROM python:3.12\nUSER app\nCMD [\"huey_consumer\", \"app.huey\"]\n",
        "docker-compose.build.yml": "services:\n  worker:\n    build:\n      context: .\n    image: app-worker:local\n"
                                    "    platform: linux/amd64\n    pull_policy: build\n",
    })
    found = sorted((l.unit, l.stop_signal.value, l.deadline.value, l.restart.value) for l in launches(tmp_path))
    assert found == [("compose:.", "INT", 90.0, True),
                     ("compose:docker-compose.yml+docker-compose.build.yml", "INT", 90.0, True)]
    assert triples(lint(tmp_path)) == []


def test_a_build_file_that_also_runs_its_services_is_its_own_project(tmp_path):
    """A file that says how its services run (``command:``) or has a service of its own beside the base
    file's is an alternative project, judged alone, as before."""
    write_tree(tmp_path, {
        "docker-compose.yml": WORKER,
        "docker-compose.local.yml": "services:\n  worker:\n    build: .\n    command: huey_consumer app.huey -w 2\n",
        "compose.dev.yml": "services:\n  worker:\n    build: .\n  redis:\n    image: redis\n",
        "Dockerfile": DOCKERFILE,
    })
    # (the development projects build the Dockerfile, none stands for it: its own launch stays)
    assert sorted(l.unit for l in launches(tmp_path)) == ["Dockerfile", "compose:.", "compose:compose.dev.yml",
                                                          "compose:docker-compose.local.yml"]


DEV_WEB = "services:\n  web:\n    build: {context}\n    command: {command}\n" \
          "  worker:\n    build: {context}\n    command: huey_consumer app.huey\n"


def test_a_script_that_always_runs_a_development_server_makes_a_development_stack(tmp_path):
    """Field test (zam): ``command: /bin/bash ./docker/start-webapp.sh``, a script ending in ``pserve --reload``.
    The script is found from the compose file's folder or from the build context (the sources the container
    runs), and read as a shell script: the development server must run on every path."""
    write_tree(tmp_path, {
        "docker-compose.yml": DEV_WEB.format(context=".", command="sh ./bin/web.sh"),
        "bin/web.sh": "#!/bin/sh\nset -e\nalembic upgrade head\nexec flask run --debug --host 0.0.0.0\n",
        "deploy/compose.yaml": DEV_WEB.format(context="../src", command="[\"bash\", \"scripts/serve.sh\"]"),
        "src/scripts/serve.sh": "#!/bin/bash\npserve --reload development.ini\n",
        "Dockerfile": DOCKERFILE, "src/Dockerfile": DOCKERFILE,
    })
    assert units(tmp_path) == [
        ("compose:.", True, "service `web` runs a development server (`flask run` in `bin/web.sh`)"),
        ("compose:deploy", True, "service `web` runs a development server (`--reload` in `src/scripts/serve.sh`)")]


def test_a_production_entrypoint_with_a_development_branch_is_not_a_development_stack(tmp_path):
    """A development server in an ``if``/``case`` branch or a function, or a script that is not in the
    repository (nor in the image): the stack stays a production one."""
    write_tree(tmp_path, {
        "a/docker-compose.yml": DEV_WEB.format(context=".", command="./entrypoint.sh"),
        "a/entrypoint.sh": "#!/bin/sh\nif [ \"$DEBUG\" = 1 ]; then\n  exec python manage.py runserver\nfi\n"
                           "exec gunicorn app.wsgi\n",
        "b/docker-compose.yml": DEV_WEB.format(context=".", command="/srv/start.sh"),
        "b/serve.sh": "#!/bin/sh\npserve --reload dev.ini\n",  # not the script the command names
        "c/docker-compose.yml": DEV_WEB.format(context=".", command="./missing.sh"),
        "d/docker-compose.yml": DEV_WEB.format(context=".", command="./run.sh"),
        "d/run.sh": "#!/bin/sh\ndev() {\n  flask run\n}\nexec gunicorn app:app\n",
        "a/Dockerfile": DOCKERFILE, "b/Dockerfile": DOCKERFILE, "c/Dockerfile": DOCKERFILE, "d/Dockerfile": DOCKERFILE,
    })
    assert [dev for _unit, dev, _why in units(tmp_path)] == [False, False, False, False]


RUN_SH = ("#!/bin/bash\nserve() {\n  exec python manage.py runserver 0.0.0.0:8000\n}\ncase \"$1\" in\n"
          "  dev)\n    serve\n    ;;\n  web-dev)\n    exec flask run --debug\n    ;;\n"
          "  web)\n    exec gunicorn app.wsgi\n    ;;\nesac\n")


@pytest.mark.parametrize("command, dev", [
    ("./run.sh web-dev", True),   # the case branch the argument selects runs a development server
    ("./run.sh dev", True),       # through a function called in that branch
    ("./run.sh web", False),      # the production branch
    ("./run.sh", False),          # no argument: no branch taken
    ("./run.sh $ROLE", False),    # an argument not known before run time
])
def test_a_script_branch_chosen_by_the_commands_argument_runs_a_development_server(tmp_path, command, dev):
    """Field test (peterbe/django-peterbecom): ``./bin/run.sh web-dev`` reaches ``case $1 in web-dev)``,
    which runs ``manage.py runserver``; bash chooses the branch by the first argument, and so does hueylint."""
    write_tree(tmp_path, {"docker-compose.yml": DEV_WEB.format(context=".", command=command),
                          "run.sh": RUN_SH, "Dockerfile": DOCKERFILE})
    assert [found for _unit, found, _why in units(tmp_path)] == [dev]


RUN_DEFAULT_SH = ("#!/bin/bash\nset -euo pipefail\nif [ \"${1:-prod}\" = \"worker\" ]; then\n"
                  "  exec python manage.py run_huey\n  exit 0\nfi\npython manage.py migrate\n"
                  "if [ \"${1:-prod}\" = \"dev\" ]; then\n  exec python manage.py runserver 0.0.0.0:8000\nelse\n"
                  "  exec gunicorn app.wsgi\nfi\n")


RUN_VAR_SH = ("#!/bin/bash\nset -e\n{set}\nif [ \"$MODE\" = worker ]; then\n  exec python manage.py run_huey\nfi\n"
              "if [ \"$MODE\" = \"dev\" ]; then\n  exec python manage.py runserver 0.0.0.0:8000\nfi\n"
              "exec gunicorn app.wsgi\n")


@pytest.mark.parametrize("script, command, dev", [
    (RUN_DEFAULT_SH, "./run.sh dev", True),         # `${1:-prod}` is the argument given
    (RUN_DEFAULT_SH, "./run.sh", False),            # no argument: the default `prod`, the else branch
    (RUN_DEFAULT_SH, "./run.sh worker", False),     # the consumer's branch execs and exits before
    (RUN_DEFAULT_SH, "./run.sh ''", False),         # `:-`: an empty argument takes the default too
    (RUN_DEFAULT_SH.replace(":-prod", ":-dev"), "./run.sh", True),   # the default is the development branch
    (RUN_DEFAULT_SH.replace(":-prod", "-dev"), "./run.sh ''", False),  # `-` without `:`: empty stays empty
    (RUN_DEFAULT_SH.replace("${1:-prod}", "${1:-$MODE}"), "./run.sh", False),  # a default not known here
    (RUN_DEFAULT_SH.replace("${1:-prod}", "${1:-prod}x"), "./run.sh dev", False),  # not the argument alone
    # a variable the script's top level sets from its first argument, tested later: the same test
    (RUN_VAR_SH.format(set='MODE="${1:-prod}"'), "./run.sh dev", True),
    (RUN_VAR_SH.format(set='MODE="${1:-prod}"'), "./run.sh", False),
    (RUN_VAR_SH.format(set="MODE=$1"), "./run.sh dev", True),
    (RUN_VAR_SH.format(set='MODE="${1:-prod}"\nshift'), "./run.sh dev", True),  # set before the shift
    (RUN_VAR_SH.format(set='shift\nMODE="$1"'), "./run.sh x dev", False),  # after a shift: not evaluated
    (RUN_VAR_SH.format(set='[ -n "$DEV" ] && MODE=dev'), "./run.sh", False),  # may not run: unknown
    (RUN_VAR_SH.format(set='MODE="${1:-prod}"\nMODE=prod'), "./run.sh dev", False),  # set again: unknown
])
def test_a_test_of_the_first_argument_with_a_default_chooses_the_branch(tmp_path, script, command, dev):
    """Field test (OH-Gamca-2023/backend): the development stack's `web` runs ``./entrypoint.sh dev``, whose
    ``if [ "${1:-prod}" = "dev" ]`` branch runs ``manage.py runserver``; bash expands ``${1:-prod}`` to the
    first argument, or to ``prod`` when it is missing or empty, and so does hueylint."""
    write_tree(tmp_path, {"docker-compose.yml": DEV_WEB.format(context=".", command=json.dumps(command)),
                          "run.sh": script, "Dockerfile": DOCKERFILE})
    assert {found for _unit, found, _why in units(tmp_path)} == {dev}  # (`./run.sh worker`: two launches)


@pytest.mark.parametrize("subject, args, value", [
    ("$1", ["dev"], "dev"), ("${1}", [], ""), ("${1:-prod}", [], "prod"), ("${1:-prod}", [""], "prod"),
    ("${1-prod}", [""], ""), ("${1=prod}", [], "prod"), ("${1:=prod}", ["web"], "web"),
    ("${1:-'prod'}", [], "prod"), ("${1:-}", [], ""),
    ("${1:-$MODE}", [], None), ("${2:-prod}", ["dev"], None), ("${1:+x}", ["dev"], None), ("$ROLE", ["dev"], None),
])
def test_first_argument_expands_as_bash_does(subject, args, value):
    """The value a test subject reading the script's first argument has for literal arguments, as bash(1)'s
    "Parameter Expansion" gives it; None for what is not (only) the first argument with a literal default."""
    from hueylint.script_lookup import first_argument

    assert first_argument(subject, args) == value


def test_a_file_named_for_production_is_production_even_with_a_reloading_server(tmp_path):
    """Field test (classroom_backend): the Makefile's DEVFILE runs ``start_app.sh`` (``uvicorn --reload``), its
    PRODFILE ``docker-compose.prod.yaml`` runs ``start_prod.sh``, also ``uvicorn --reload`` (with the site's
    TLS certificates): the base file is a development stack, the production file stays a production one,
    whether the reloading server is in a script or in ``command:`` itself."""
    write_tree(tmp_path, {
        "docker-compose.yaml": DEV_WEB.format(context=".", command="sh ./docker/start_app.sh"),
        "docker-compose.prod.yaml": DEV_WEB.format(context=".", command="sh ./docker/start_prod.sh"),
        "compose.production.yml": DEV_WEB.format(context=".", command="uvicorn app:app --reload"),
        "docker/start_app.sh": "uvicorn app:app --reload\n",
        "docker/start_prod.sh": "uvicorn app:app --reload --ssl-keyfile /etc/tls/key.pem\n",
        "Dockerfile": DOCKERFILE,
    })
    assert units(tmp_path) == [
        ("compose:.", True, "service `web` runs a development server (`--reload` in `docker/start_app.sh`)"),
        ("compose:compose.production.yml", False, ""),
        ("compose:docker-compose.prod.yaml", False, "")]


def test_a_command_found_in_the_image_that_always_runs_a_development_server(tmp_path):
    """Field test (boundlexx): ``command: start`` is the image's ``/usr/local/bin/start``, copied from
    ``docker/django/dev/start`` by the stage the service builds; that script loops around ``runserver``.
    The same command built from the production stage (its script execs gunicorn) is a production stack."""
    dockerfile = ("FROM python:3.12 AS base\nWORKDIR /app\n\nFROM base AS prod\nCOPY bin/prod-start /usr/local/bin/start\n"
                  "CMD [\"start\"]\n\nFROM base AS dev\nCOPY bin/dev-start /usr/local/bin/start\n")
    service = ("services:\n  web:\n    build:\n      context: .\n      target: {target}\n    command: start\n"
               "  worker:\n    build:\n      context: .\n      target: {target}\n    command: huey_consumer app.huey\n")
    write_tree(tmp_path, {
        "dev/Dockerfile": dockerfile, "dev/docker-compose.yml": service.format(target="dev"),
        "dev/bin/dev-start": "#!/bin/sh\nwhile true; do\n  python manage.py runserver 0.0.0.0:8000\ndone\n",
        "dev/bin/prod-start": "#!/bin/sh\nexec gunicorn app.wsgi\n",
        "prod/Dockerfile": dockerfile, "prod/docker-compose.yml": service.format(target="prod"),
        "prod/bin/dev-start": "#!/bin/sh\npython manage.py runserver\n",
        "prod/bin/prod-start": "#!/bin/sh\nif [ -n \"$DEBUG\" ]; then\n  exec python manage.py runserver\nfi\n"
                               "exec gunicorn app.wsgi\n",
    })
    assert units(tmp_path) == [
        ("compose:dev", True, "service `web` runs a development server (`runserver` in `dev/bin/dev-start`)"),
        ("compose:prod", False, "")]


ENTRY_DOCKERFILE = ("FROM python:3.12\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"/app/run.sh\"]\nCMD [\"{cmd}\"]\n")
ENTRY_SH = ("#!/bin/sh\ncase \"$1\" in\n  worker) exec huey_consumer app.huey ;;\n"
            "  dev) exec python manage.py runserver 0.0.0.0:8000 ;;\nesac\nexec gunicorn app.wsgi\n")


@pytest.mark.parametrize("cmd, command, dev", [
    ("web", "dev", True),          # compose's `command:` is the entrypoint's argument: the development branch
    ("web", "[dev, --noreload]", True),
    ("dev", "", True),             # no `command:`: the image's CMD is the argument
    ("web", "web", False),         # the production branch
    ("web", "", False),
    ("web", "$ROLE", False),       # an argument not known before run time
])
def test_the_argument_a_service_gives_its_images_entrypoint_chooses_the_branch(tmp_path, cmd, command, dev):
    """Field test (OH-Gamca-2023/backend), the kind's other form: the image's ``ENTRYPOINT`` is the dispatching
    script and the service gives only its argument (``command: dev``); the script runs with it as ``$1``,
    as when the command names the script itself."""
    service = f"    command: {command}\n" if command else ""
    write_tree(tmp_path, {
        "Dockerfile": ENTRY_DOCKERFILE.format(cmd=cmd), "run.sh": ENTRY_SH,
        "docker-compose.yml": f"services:\n  web:\n    build: .\n{service}"
                              "  worker:\n    build: .\n    command: worker\n"})
    assert {found for _unit, found, _why in units(tmp_path)} == {dev}  # (`$ROLE` may be `worker`: two launches)


def test_go_durations_with_every_unit_compose_accepts(tmp_path):
    """compose reads stop_grace_period with Go's time.ParseDuration: `ns`, `us`/`µs`/`μs`, `ms`, `s`, `m`, `h`,
    combined; `1h2m3s4ms5us6ns` was HL001 "not a duration" (no `ns`), so its deadline was unknown."""
    grace = {"a": "1h2m3s4ms5us6ns", "b": "2m500000000ns", "c": "90000000μs", "d": "1.5m"}
    write_tree(tmp_path, {"compose.yaml": "services:\n" + "".join(
        f"  {name}:\n    image: x\n    command: huey_consumer app.huey -g TERM -t 5\n    stop_grace_period: {value}\n"
        for name, value in grace.items())})
    assert sorted(round(launch.deadline.value, 9) for launch in launches(tmp_path)) == [90.0, 90.0, 120.5, 3723.004005006]
    assert triples(lint(tmp_path), "HL001") == []


@pytest.mark.parametrize("rel, dev", [
    ("docker-compose.test.yml", True), ("compose.ci.yaml", True), ("docker-compose.e2e-tests.yml", True),
    ("tests/docker-compose.yml", True), ("frontend/e2e/compose.yaml", True),
    ("scripts/test-environments/postgres/compose.yml", True), ("integration_tests/compose.yml", True),
    ("docker-compose.testnet.yml", False), ("contest/compose.yml", False), ("latest/compose.yaml", False),
    ("deploy/compose.yaml", False),
])
def test_compose_files_for_tests_are_development_stacks(tmp_path, rel, dev):
    """Field test (sissbruecker/linkding): test-environment stacks ("only intended for testing") were judged as
    deployments. A name part `test`/`tests`/`e2e`/`ci`, or a folder for tests, makes a development stack."""
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nUSER nobody\nCMD [\"huey_consumer\", \"app.huey\"]\n",
        rel: "services:\n  worker:\n    build: " + "/".join([".."] * rel.count("/") or ["."]) + "\n"})
    result = lint(tmp_path)
    (launch,) = [launch for launch in result.project.launches if launch.platform == "compose"]
    assert launch.dev == dev
    assert bool([found for found in triples(result, "HL101") if found[1] != "Dockerfile"]) != dev
    # a test stack does not stand for the image: `docker run` of it stops the consumer with SIGTERM all the same
    assert bool(triples(result, "HL101")) and ("docker" in {l.platform for l in result.project.launches}) == dev


def test_includes_are_walked_once_each_and_at_most_32_deep(tmp_path, monkeypatch):
    """`include:` was followed recursively along every path: 1,500 files each including the next were a
    RecursionError (an internal error, exit 2), and files including two others each, 25 deep, took 2**25 walks."""
    from hueylint.platforms import compose

    chain = {"compose.yaml": "include: [c1.yaml]\nservices:\n  w:\n    image: x\n    command: huey_consumer app.huey\n"}
    chain.update({f"c{i}.yaml": f"include: [c{i + 1}.yaml]\nservices:\n  s{i}:\n    image: x\n" for i in range(1, 1200)})
    write_tree(tmp_path / "chain", chain)
    result = lint(tmp_path / "chain")
    assert result.internal_errors == []
    assert [(f.loc.line, f.loc.col, f.message) for f in result.findings
            if f.rule == "HL001" and f.loc.path == "c32.yaml"] == [
        (1, 1, "cannot parse: include: nested more than 32 files deep: not followed")]
    lattice = {"compose.yaml": "include: [a1.yaml, b1.yaml]\nservices:\n  w:\n    image: x\n"
                               "    command: huey_consumer app.huey\n"}
    for i in range(1, 25):
        lattice.update({f"{p}{i}.yaml": f"include: [a{i + 1}.yaml, b{i + 1}.yaml]\nservices:\n  {p}{i}:\n    image: x\n"
                        for p in "ab"})
    lattice.update({f"{p}25.yaml": f"services:\n  {p}25:\n    image: x\n" for p in "ab"})
    write_tree(tmp_path / "lattice", lattice)
    calls = []
    real = compose._included
    monkeypatch.setattr(compose, "_included", lambda *args: calls.append(args[1].rel) or real(*args))
    [launch] = [l for l in launches(tmp_path / "lattice") if l.name == "w"]
    assert launch.unit == "compose:." and len(calls) <= 51 * 2


def test_a_watchfiles_reloader_in_a_service_script_makes_a_development_stack(tmp_path):
    """Field test (django-huey-monitor): the web service's entrypoint runs the Django server under
    `watchfiles` (it restarts the command its argument names when a file changes, as `watchmedo auto-restart`
    does), its custom `run_dev_server` inside the quoted argument; an `echo` naming `runserver` later runs
    nothing. The stack is a development one, so its consumer service is not judged as production."""
    entry = ("#!/bin/sh\nset -e\n(\n    ./manage.py --help\n"
             "    watchfiles --filter python \"python manage.py run_dev_server --noreload web:8000\" /app/\n"
             "    echo \"runserver terminated with exit code: $?\"\n    exit 1\n)\nexit 2\n")
    write_tree(tmp_path, {"docker/web/entrypoint.sh": entry,
                          "docker-compose.yml": "services:\n  web:\n    image: python:3.12\n"
                                                "    entrypoint: /app/docker/web/entrypoint.sh\n"
                                                "    volumes: ['.:/app']\n  worker:\n    image: python:3.12\n"
                                                "    command: python manage.py run_huey\n"})
    assert units(tmp_path) == [
        ("compose:.", True, "service `web` runs a development server (`watchfiles` in `docker/web/entrypoint.sh`)")]


@pytest.mark.parametrize(("command", "dev"), [
    ("flask --app shop run --host 0.0.0.0", True),
    ("[\"flask\", \"run\", \"--host\", \"0.0.0.0\"]", True),
    ("sh -c 'flask db upgrade && python run.py'", False),  # a script named run.py is no `flask run`
    ("gunicorn shop:app", False),
    # sanic's --dev (debug and auto-reload) and --auto-reload (field test: os-climate/crrf-det)
    ("sanic det.app --dev --host=0.0.0.0 --port=8000", True),
    ("[\"sanic\", \"det.app\", \"--dev\"]", True),
    ("sanic det:app --auto-reload", True),
    ("sanic det.app --host=0.0.0.0 --workers=2", False),
    ("sh -c 'poetry install --dev && gunicorn shop:app'", False),  # --dev of another program
])
def test_one_development_server_pattern_for_every_builder(tmp_path, command, dev):
    """compose, Procfile and pidfile scripts tell a development server by one pattern
    (`script_lookup.DEV_SERVER`): `flask run` with options before `run`, or as an exec-form list."""
    write_tree(tmp_path, {"docker-compose.yml": f"services:\n  web:\n    image: python:3.12\n    command: {command}\n"
                                                "  worker:\n    image: python:3.12\n"
                                                "    command: python manage.py run_huey\n"})
    assert [unit[1] for unit in units(tmp_path)] == [dev]


@pytest.mark.parametrize("entrypoint", ['["sh", "-c", "exec \\"$$@\\"", "--"]', "sh -c 'exec \"$$@\"' --"])
def test_dollar_dollar_is_a_literal_dollar_in_list_items_too(tmp_path, entrypoint):
    """compose interpolates every string value: `$$` is a literal `$` in an exec-form list item as in the string
    form (the list item kept `$$@`, an unknown variable: HL004 instead of the forwarded command)."""
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "compose.yaml": (
        f"services:\n  worker:\n    build: .\n    entrypoint: {entrypoint}\n"
        "    command: [\"huey_consumer\", \"app.huey\", \"-w\", \"4\"]\n")})
    [launch] = launches(tmp_path)
    assert launch.argv == ("app.huey", "-w", "4") and not launch.unresolved and not launch.wrappers


@pytest.mark.parametrize(("profiles", "dotenv", "dev"), [
    ('["debug"]', None, True), ("[dev, e2e-tests]", None, True), ('["debug"]', "COMPOSE_PROFILES=debug\n", False),
    ('["debug"]', "COMPOSE_PROFILES=web,debug\n", False), ('["workers"]', None, False), ('["debug", "workers"]', None, False),
    ("[local]", None, True), ("[local-dev]", None, True), ("[local-llm]", None, False), ("[local-gpu, gpu]", None, False),
])
def test_a_service_only_in_development_profiles_is_a_development_launch(tmp_path, profiles, dotenv, dev):
    """compose starts a service with `profiles:` only when a profile of it is activated: one whose every profile
    is named for development or tests is not the default stack (no platform findings), unless the project's
    .env activates it; any other profile (`workers`) may be production's and stays judged."""
    files = {"Dockerfile": DOCKERFILE, "compose.yaml": (
        f"services:\n  worker:\n    build: .\n    profiles: {profiles}\n    command: huey_consumer app.huey\n")}
    if dotenv is not None:
        files[".env"] = dotenv
    write_tree(tmp_path, files)
    [launch] = [launch for launch in launches(tmp_path) if launch.platform == "compose"]
    assert launch.dev is dev
    assert (launch.dev_reason is not None and "development profile" in launch.dev_reason.value) is dev


@pytest.mark.parametrize("checks, reason", [
    ('    entrypoint: ["npx", "playwright", "test"]\n', "service `checks` runs a test suite (`playwright test`, "),
    ("    command: npx cypress run --browser chrome\n", "service `checks` runs a test suite (`cypress run`, "),
    ("    command: python -m pytest -x checks\n", "service `checks` runs a test suite (`pytest`, "),
    ("    command: [pytest]\n", "service `checks` runs a test suite (`pytest`, "),
    ("    command: python manage.py test shop\n", "service `checks` runs a test suite (`manage.py test`, "),
    ("    command: python -m unittest discover\n", "service `checks` runs a test suite (`-m unittest`, "),
    # not test runs: a test runner behind `profiles:` (not started by `docker compose up`), words that only
    # contain a runner's name, a test runner's installation
    ('    profiles: ["e2e"]\n    command: pytest\n', ""),
    ("    command: ./bin/pytest-report-server\n", ""),
    ("    command: sh -c 'pip install pytest-django && exec gunicorn shop.wsgi'\n", ""),
    ("    command: python manage.py testserver\n", ""),
    # a `sh -c` string is shell code: a runner on every path of it counts, not one on a branch or only echoed
    ("    command: sh -c 'cd /srv && python -m pytest -x'\n", "service `checks` runs a test suite (`pytest`, "),
    ('    command: ["bash", "-ec", "npm ci; npx playwright test"]\n',
     "service `checks` runs a test suite (`playwright test`, "),
    ("    command: sh -c 'if [ \"$$RUN_TESTS\" = 1 ]; then pytest; fi; exec gunicorn shop.wsgi'\n", ""),
    ("    command: sh -c 'echo run pytest to check; exec gunicorn shop.wsgi'\n", ""),
])
def test_a_service_running_a_test_suite_makes_a_test_stack(tmp_path, checks, reason):
    """Field test (SecObserve): `docker-compose-playwright.yml` runs the production image beside a service whose
    entrypoint is `npx playwright test`: an end-to-end test run, judged as a deployment (HL203)."""
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nUSER nobody\nCMD [\"huey_consumer\", \"app.huey\"]\n",
        "docker-compose-browser.yml": "services:\n  worker:\n    build: .\n  checks:\n    image: runner\n" + checks})
    [(unit, dev, why)] = units(tmp_path)
    assert (dev, why.split("docker-compose-browser.yml:")[0]) == (bool(reason), reason)


@pytest.mark.parametrize("script, dev", [
    ("#!/bin/sh\nnpm ci\nexec npx playwright test --reporter=line\n", True),
    ("#!/bin/sh\ncd /srv && python -m pytest checks/\n", True),
    # a runner on one branch only (`./run.sh` with no argument takes the other), or only printed: no test run
    ("#!/bin/sh\nif [ \"$1\" = check ]; then\n  exec pytest\nfi\nexec gunicorn shop.wsgi\n", False),
    ("#!/bin/sh\necho 'run pytest to check'\nexec gunicorn shop.wsgi\n", False),
])
def test_a_service_script_running_a_test_suite_makes_a_test_stack(tmp_path, script, dev):
    """The test-run form of a service's command (SecObserve's `npx playwright test`) inside a repository script
    the service runs on every path, as for a development server."""
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12-slim\nUSER nobody\nCMD [\"huey_consumer\", \"app.huey\"]\n",
        "bin/run.sh": script,
        "docker-compose-browser.yml": "services:\n  worker:\n    build: .\n  checks:\n    build: .\n"
                                      "    command: ./bin/run.sh\n"})
    [(unit, found, why)] = units(tmp_path)
    assert found == dev
    assert why.startswith("service `checks` runs a test suite (`") == dev


@pytest.mark.parametrize("web, reason", [
    ("sh -c 'python manage.py migrate && python manage.py runserver 0.0.0.0:8000'",
     "service `web` runs a development server (`runserver`, "),
    # a production web server with a development branch, or one that only prints how to run one: production
    ("sh -c 'if [ \"$$DEBUG\" = 1 ]; then exec python manage.py runserver; fi; exec gunicorn shop.wsgi'", ""),
    ("sh -c '[ \"$$ENV\" = prod ] && exec gunicorn shop.wsgi || exec python manage.py runserver'", ""),
    ("sh -c 'echo use manage.py runserver locally; exec gunicorn shop.wsgi'", ""),
])
def test_a_service_sh_c_string_makes_a_development_stack_only_when_it_always_serves(tmp_path, web, reason):
    """A service's `sh -c` string is shell code, read as a script is (`always_runs`): a development server on
    one branch of it, or only echoed, does not make the production stack beside it a development one."""
    write_tree(tmp_path, {"docker-compose.yml": WORKER + f"  web:\n    image: me/app\n    command: {web}\n"})
    [(unit, dev, why)] = units(tmp_path)
    assert (dev, why.split("docker-compose.yml:")[0]) == (bool(reason), reason)


@pytest.mark.parametrize("checks, dev", [
    ('    entrypoint: ["sh", "-c"]\n    command: ["cd /srv && pytest -x"]\n', True),
    # the command is the code of the entrypoint's `sh -c`: a runner on one branch of it runs no test suite
    ('    entrypoint: ["sh", "-c"]\n    command: [\'if [ "$$CHECK" = 1 ]; then pytest; fi; exec gunicorn shop.wsgi\']\n',
     False),
    # compose splits a string command into arguments: only its first word is the code (`if`), the rest `$0`...
    ('    entrypoint: /bin/sh -c\n    command: pytest -x\n', True),
])
def test_a_command_after_a_sh_c_entrypoint_is_its_code(tmp_path, checks, dev):
    write_tree(tmp_path, {"docker-compose.yml": WORKER + "  checks:\n    image: me/app\n" + checks})
    [(unit, found, why)] = units(tmp_path)
    assert found is dev
    assert why.startswith("service `checks` runs a test suite (`pytest`, ") is dev


WEB_FROM_IMAGE = "  web:\n    build: .\n"


@pytest.mark.parametrize("dockerfile, reason", [
    ("FROM python:3.12\nCMD flask run --host=0.0.0.0\n",
     "service `web` runs a development server (`flask run`, the image's command, Dockerfile:2)"),
    ("FROM python:3.12\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
     "service `web` runs a development server (`runserver`, the image's command, Dockerfile:2)"),
    ("FROM python:3.12\nENTRYPOINT [\"uvicorn\"]\nCMD [\"main:app\", \"--reload\"]\n",
     "service `web` runs a development server (`--reload`, the image's command, Dockerfile:3)"),
    ("FROM python:3.12 AS base\nCMD [\"gunicorn\", \"app.wsgi\"]\nFROM base\nCMD flask run\n",
     "service `web` runs a development server (`flask run`, the image's command, Dockerfile:4)"),
])
def test_a_service_running_its_images_development_server_makes_a_development_stack(tmp_path, dockerfile, reason):
    """Field test (alongreyber/Team-Captain): the web service writes no command, and its image's CMD is
    `flask run`: the stack is the development one, as with `command: flask run` (was judged as production)."""
    write_tree(tmp_path, {"Dockerfile": dockerfile, "compose.yaml": WORKER + WEB_FROM_IMAGE})
    assert units(tmp_path) == [("compose:.", True, reason)]


@pytest.mark.parametrize("name", ["docker-compose.coolify.yml", "docker-compose.prod.yml", "docker-stack.yml",
                                  "compose.staging.yaml", "docker-compose.swarm.yml"])
def test_a_file_named_for_a_deployment_keeps_its_images_development_server_a_production_mistake(tmp_path, name):
    """Field test (jonocodes/stashcast): `docker-compose.coolify.yml`, a complete stack Coolify deploys, runs an
    image whose CMD is `runserver`: a production mistake there, not a local stack (its worker's findings were lost)."""
    dockerfile = "FROM python:3.12\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n"
    write_tree(tmp_path, {"Dockerfile": dockerfile, name: WORKER + WEB_FROM_IMAGE})
    assert units(tmp_path) == [(f"compose:{name}", False, "")]


@pytest.mark.parametrize("dockerfile, web", [
    ("FROM python:3.12\nCMD [\"gunicorn\", \"app.wsgi\"]\n", WEB_FROM_IMAGE),  # a production server
    ("FROM python:3.12\nCMD flask run\n", WEB_FROM_IMAGE + "    command: gunicorn app.wsgi\n"),  # replaced
    ("FROM python:3.12\nCMD if [ \"$DEBUG\" = 1 ]; then flask run; else gunicorn app.wsgi; fi\n",
     WEB_FROM_IMAGE),  # on one branch only
])
def test_an_image_command_that_serves_no_development_server_keeps_the_stack(tmp_path, dockerfile, web):
    write_tree(tmp_path, {"Dockerfile": dockerfile, "compose.yaml": WORKER + web})
    assert units(tmp_path) == [("compose:.", False, "")]


@pytest.mark.parametrize("name", ["docker-compose.live-reload.yml", "compose.live.reload.yaml", "docker-compose.livereload.yml"])
def test_a_live_reload_file_is_no_deployment_name(tmp_path, name):
    """`live` names a production deployment (`docker-compose.live.yml`), `live-reload` the development stack that
    reloads on changes: a file named so whose service runs a development server was judged as production (HL101,
    HL102, HL203 on its worker) where its stack is the local one."""
    dockerfile = "FROM python:3.12\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n"
    write_tree(tmp_path, {"Dockerfile": dockerfile, name: WORKER + WEB_FROM_IMAGE})
    [(unit, dev, _reason)] = units(tmp_path)
    assert (unit, dev) == (f"compose:{name}", True)


_ENTRYPOINT = ('#!/bin/sh\ncase "$1" in\n  worker)\n    exec huey_consumer app.huey -w 4\n    ;;\n'
               '  scheduler)\n    exec huey_consumer app.huey -w 1\n    ;;\nesac\nexec "$@"\n')
_PERIODIC_APP = "from huey import RedisHuey, crontab\nhuey = RedisHuey('a', host='redis')\n\n" \
                "@huey.periodic_task(crontab(minute='0'))\ndef hourly():\n    pass\n"


def test_two_services_taking_other_clauses_of_one_entrypoint_both_run(tmp_path):
    """Field test (onllm-dev/4DPocket): the clauses of the entrypoint's `case "$1"` are alternatives within one
    run of it; `worker` and `scheduler` each run it, so both consumers enqueue the periodic tasks."""
    compose = ("services:\n  worker:\n    build: .\n    command: [\"worker\"]\n    restart: always\n"
               "  scheduler:\n    build: .\n    command: [\"scheduler\"]\n    restart: always\n")
    write_tree(tmp_path, {"compose.yaml": compose, "app.py": _PERIODIC_APP,
                          "Dockerfile": "FROM python:3.12\nCOPY . /srv\nWORKDIR /srv\n"
                                        "ENTRYPOINT [\"/srv/entrypoint.sh\"]\n",
                          "entrypoint.sh": _ENTRYPOINT})
    assert [(t[0], t[2]) for t in triples(lint(tmp_path), "HL301")] == [("HL301", 7)]


def test_clauses_of_one_run_stay_alternatives(tmp_path):
    """One service whose entrypoint chooses one of two consumer commands runs one of them: no HL301."""
    compose = "services:\n  worker:\n    build: .\n    command: [\"${ROLE:-worker}\"]\n    restart: always\n"
    write_tree(tmp_path, {"compose.yaml": compose, "app.py": _PERIODIC_APP,
                          "Dockerfile": "FROM python:3.12\nCOPY . /srv\nWORKDIR /srv\n"
                                        "ENTRYPOINT [\"/srv/entrypoint.sh\"]\n",
                          "entrypoint.sh": _ENTRYPOINT})
    result = lint(tmp_path)
    assert len(result.project.launches) == 2 and triples(result, "HL301") == []


@pytest.mark.parametrize("command, dev", [
    # django-tailwind's `tailwind dev` runs Django's development server and the Tailwind watcher through honcho
    # (its documentation, "Usage"; field test BeepBoopRun/holding-tight's `compose.admin.yaml`)
    ("sh -c 'python manage.py migrate && python manage.py tailwind dev'", True),
    ("[python, manage.py, tailwind, dev]", True),
    ("python manage.py tailwind build", False),
])
def test_a_service_running_tailwind_dev_makes_a_development_stack(tmp_path, command, dev):
    write_tree(tmp_path, {"compose.yaml": "services:\n  worker:\n    build: .\n    command: huey_consumer app.huey\n"
                                          f"  web:\n    build: .\n    command: {command}\n",
                          "Dockerfile": DOCKERFILE})
    assert [found for _unit, found, _why in units(tmp_path)] == [dev]


@pytest.mark.parametrize("reset", ["!reset", "!reset null", "!reset {}", "!reset {image: nginx}"])
def test_a_service_reset_by_a_later_file_is_deleted(tmp_path, reset):
    """compose-go's `loader/reset.go` records the path of any node tagged `!reset`, whatever its value, and
    deletes it from what the files before made: a whole service too (field test BeepBoopRun/holding-tight,
    `nginx: !reset` in an override got HL001 "must be a mapping")."""
    write_tree(tmp_path, {
        "compose.yaml": "services:\n  worker:\n    build: .\n    command: huey_consumer app.huey -w 2\n"
                        "  beat:\n    build: .\n    command: huey_consumer app.huey -w 1\n",
        "compose.override.yaml": f"services:\n  beat: {reset}\n",
        "Dockerfile": DOCKERFILE})
    assert [launch.name for launch in launches(tmp_path)] == ["worker"]
    assert triples(lint(tmp_path), "HL001") == []


def test_a_service_overridden_by_a_later_file_is_replaced_not_merged(tmp_path):
    """`worker: !override {...}` replaces the service's definition: the base file's stop_signal is gone."""
    write_tree(tmp_path, {
        "compose.yaml": "services:\n  worker:\n    build: .\n    stop_signal: SIGTERM\n"
                        "    command: huey_consumer app.huey -w 2\n",
        "compose.override.yaml": "services:\n  worker: !override\n    build: .\n"
                                 "    command: huey_consumer app.huey -w 4\n",
        "Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY . .\n"})
    [launch] = launches(tmp_path)
    assert launch.options["workers"].value == 4 and launch.stop_signal.where() != "compose.yaml:3"
