"""A process named for huey (a compose service, supervisord program, Procfile process type, Kubernetes
container or workload, systemd unit) whose command is no consumer command nor a repository script hueylint can
follow: ``check`` shows a notice at the command and ``inspect`` lists it as dropped, never silence (field test:
yunity/yuca's ``{{ site }}-huey.service`` running ``karrot-backend.pyz worker``).  Services around huey (its
Redis, a monitor) and names where huey is no word of its own get nothing.  One that writes no command and runs
an image no Dockerfile of the repository is known to build gets a notice at its ``image:`` (field test:
newcl/mytube's Helm chart)."""

from __future__ import annotations

import pytest

from hueylint.launches import named_for_huey
from tests.helpers import lint, write_tree
from tests.helpers import notices_without_launches as _notices

RUNS = "which is no consumer command nor a script of the repository hueylint can follow"
NOTICE = "is named for huey, but runs `{}`, " + RUNS + ": no consumer launch, not checked"

K8S = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {workload}\nspec:\n  template:\n    spec:\n"
       "      containers:\n        - name: {container}\n          image: registry.example.com/app:1\n"
       "          command: [\"/srv/app.pyz\"]\n          args: [\"worker\"]\n")


@pytest.mark.parametrize("name", ["huey", "app-huey", "huey_worker", "systemd.huey.service", "{{ site }} | Huey worker",
                                  "shop.huey"])
def test_names_with_huey_as_a_word_of_their_own(name):
    assert named_for_huey(name)


@pytest.mark.parametrize("name", ["huey-redis", "huey_monitor", "huey-dashboard", "huey-web", "huey-ui", "hueyworker",
                                  "worker", "djangohuey-db", "", None])
def test_names_around_huey_or_without_the_word(name):
    assert not named_for_huey(name)


@pytest.mark.parametrize(("files", "where", "what"), [
    ({"docker-compose.yml": "services:\n  huey:\n    image: registry.example.com/app:1\n"
                            "    command: [\"/srv/app.pyz\", \"worker\"]\n    restart: always\n"},
     ("docker-compose.yml", 4), "compose service `huey`"),
    ({"deploy/supervisord.conf": "[program:app-huey]\ncommand=/srv/app.pyz worker\nuser=app\n"},
     ("deploy/supervisord.conf", 2), "supervisord program `app-huey`"),
    ({"Procfile": "web: gunicorn app.wsgi\nhuey: /srv/app.pyz worker\n"},
     ("Procfile", 2), "Procfile process type `huey`"),
    ({"k8s/worker.yaml": K8S.format(workload="app-huey", container="worker")},
     ("k8s/worker.yaml", 11), "Kubernetes container `worker` of Deployment `app-huey`"),
    ({"k8s/worker.yaml": K8S.format(workload="app", container="huey")},
     ("k8s/worker.yaml", 11), "Kubernetes container `huey` of Deployment `app`"),
    ({"deploy/app-huey.service": "[Unit]\nDescription=app worker\n[Service]\nUser=app\nRestart=always\n"
                                 "ExecStart=/srv/app.pyz worker\n"},
     ("deploy/app-huey.service", 6), "systemd unit `app-huey.service`"),
    ({"circus.ini": "[watcher:huey]\ncmd = /srv/app.pyz worker\n"}, ("circus.ini", 2), "circus watcher `huey`"),
    ({"fly.toml": 'app = "app"\n[processes]\nweb = "gunicorn app.wsgi"\nhuey = "/srv/app.pyz worker"\n'},
     ("fly.toml", 4), "Fly process group `huey`"),
    ({"render.yaml": "services:\n  - type: worker\n    name: app-huey\n    runtime: python\n"
                     "    startCommand: /srv/app.pyz worker\n"}, ("render.yaml", 5), "Render service `app-huey`"),
    ({"config/deploy.yml": "service: app\nimage: app/app\nservers:\n  web:\n    - 10.0.0.5\n  huey:\n    hosts:\n"
                           "      - 10.0.0.6\n    cmd: /srv/app.pyz worker\n"},
     ("config/deploy.yml", 9), "Kamal role `huey`"),
    ({"manifest.yml": "applications:\n- name: app-huey\n  command: /srv/app.pyz worker\n  no-route: true\n"},
     ("manifest.yml", 3), "Cloud Foundry app `app-huey` (web)"),
    ({"etc/s6-overlay/s6-rc.d/huey/type": "longrun\n",
      "etc/s6-overlay/s6-rc.d/huey/run": "#!/command/execlineb -P\n/srv/app.pyz worker\n"},
     ("etc/s6-overlay/s6-rc.d/huey/run", 2), "s6 service `huey`"),
    ({"etc/s6-overlay/s6-rc.d/huey/type": "longrun\n",
      "etc/s6-overlay/s6-rc.d/huey/run": "#!/bin/sh\n# the worker\ncd /srv\nexec /srv/app.pyz worker\n\n"},
     ("etc/s6-overlay/s6-rc.d/huey/run", 4), "s6 service `huey`"),
])
def test_a_process_named_for_huey_running_an_unknown_program_gets_a_notice_and_is_dropped(tmp_path, files, where, what):
    assert _notices(tmp_path, files) == [(where[0], f"line {where[1]}: {what} {NOTICE.format('/srv/app.pyz worker')}")]
    result = lint(tmp_path)
    assert [(d.what, d.loc.path, d.loc.line, d.why) for d in result.project.dropped] == [
        (what, *where, f"named for huey, but runs `/srv/app.pyz worker`, {RUNS}: its stop is not judged")]


@pytest.mark.parametrize("files", [
    # services around huey
    {"docker-compose.yml": "services:\n  huey-redis:\n    image: redis:7\n    command: [\"redis-server\"]\n"},
    {"supervisord.conf": "[program:huey-monitor]\ncommand=/srv/monitor --port 9000\n"},
    # run to completion: a helper around the consumer (a oneshot unit, a Kubernetes Job)
    {"deploy/huey-helper.service": "[Unit]\nDescription=huey permissions\n[Service]\nType=oneshot\n"
                                   "ExecStart=/usr/bin/setfacl -m u:huey:rw /var/run/docker.sock\n"},
    {"k8s/job.yaml": K8S.replace("Deployment", "Job").format(workload="app-huey", container="huey")},
    # nothing says huey
    {"Procfile": "worker: /srv/app.pyz worker\n"},
    {"supervisord.conf": "[program:hueyworker]\ncommand=/srv/app.pyz worker\n"},
])
def test_no_notice_without_a_name_for_the_consumer_or_a_command(tmp_path, files):
    assert _notices(tmp_path, files) == []
    assert lint(tmp_path).project.dropped == []


@pytest.mark.parametrize("files", [
    {"docker-compose.yml": "services:\n  huey:\n    image: registry.example.com/app:1\n"
                           "    command: [\"huey_consumer\", \"app.huey\"]\n"},
    {"supervisord.conf": "[program:huey]\ncommand=/srv/venv/bin/python manage.py run_huey\n"},
    {"Procfile": "huey: python manage.py run_huey\n"},
])
def test_a_consumer_named_for_huey_is_a_launch_not_a_notice(tmp_path, files):
    write_tree(tmp_path, files)
    result = lint(tmp_path)
    assert len(result.project.launches) == 1 and result.project.dropped == []
    assert not any("named for huey" in notice.reason for notice in result.notices)


def test_the_notice_shows_the_first_six_words_of_a_long_command(tmp_path):
    unit = ("[Unit]\nDescription=huey worker\n[Service]\nUser=app\nRestart=always\n"
            "ExecStart=/srv/venv/bin/python /srv/app/run.py --queue mail --workers 4 --verbose\n")
    assert _notices(tmp_path, {"deploy/app.service": unit}) == [("deploy/app.service", (
        "line 6: systemd unit `app.service` "
        + NOTICE.format("/srv/venv/bin/python /srv/app/run.py --queue mail --workers 4 ...")))]


def test_a_template_unit_is_named_as_installed_without_its_template_suffix(tmp_path):
    unit = "[Unit]\nDescription={{ site }} | huey worker\n[Service]\nExecStart=/srv/{{ site }}/app.pyz worker\n"
    assert _notices(tmp_path, {"roles/app/templates/systemd.huey.service.j2": unit}) == [(
        "roles/app/templates/systemd.huey.service.j2",
        "line 4: systemd unit `systemd.huey.service` " + NOTICE.format("/srv/{{ site }}/app.pyz worker"))]


def test_the_notice_shows_the_containers_whole_command_with_the_images_entrypoint(tmp_path):
    files = {"Dockerfile": 'FROM python:3.12\nENTRYPOINT ["/srv/app.pyz"]\n',
             "docker-compose.yml": 'services:\n  huey:\n    build: .\n    command: ["worker"]\n'}
    assert _notices(tmp_path, files) == [
        ("docker-compose.yml", "line 4: compose service `huey` " + NOTICE.format("/srv/app.pyz worker"))]


IMAGE_NOTICE = ("is named for huey, but runs the command of image `registry.example.com/app:1`, which no Dockerfile "
                "of the repository is known to build: no consumer launch, not checked")
HELM = ("{{- if .Values.huey.enabled }}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-huey\n"
        "spec:\n  template:\n    spec:\n      containers:\n        - name: huey\n"
        "          image: \"{{ .Values.registry }}/{{ .Values.huey.image }}:{{ .Values.tag }}\"\n{{- end }}\n")


@pytest.mark.parametrize(("files", "where", "what"), [
    ({"docker-compose.yml": "services:\n  huey:\n    image: registry.example.com/app:1\n    restart: always\n"},
     ("docker-compose.yml", 3), "compose service `huey`"),
    ({"k8s/worker.yaml": K8S.format(workload="app", container="huey").split("          command")[0]},
     ("k8s/worker.yaml", 10), "Kubernetes container `huey` of Deployment `app`"),
    ({"chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 0.1.0\n", "chart/templates/huey.yaml": HELM,
      "chart/values.yaml": "registry: registry.example.com\nhuey:\n  enabled: true\n  image: app\ntag: 1\n"},
     ("chart/templates/huey.yaml", 11), "Kubernetes container `huey` of Deployment `{{ .Release.Name }}-huey`"),
])
def test_a_process_named_for_huey_running_an_image_not_built_here_gets_a_notice(tmp_path, files, where, what):
    """No command written, so the image's own runs, and no Dockerfile of the repository is known to build that
    image: what runs and how it stops is unknown (it was silence)."""
    assert _notices(tmp_path, files) == [(where[0], f"line {where[1]}: {what} {IMAGE_NOTICE}")]
    assert [(d.what, d.loc.path, d.loc.line) for d in lint(tmp_path).project.dropped] == [(what, *where)]


@pytest.mark.parametrize("files", [
    # the image is built here (by another service of the project, or by a build script): its command is followed
    {"Dockerfile": "FROM python:3.12\nCMD [\"/srv/app.pyz\", \"serve\"]\n",
     "docker-compose.yml": "services:\n  web:\n    build: .\n    image: registry.example.com/app:1\n"
                           "  huey:\n    image: registry.example.com/app:1\n"},
    {"docker/Dockerfile": "FROM python:3.12\nCMD [\"/srv/app.pyz\", \"serve\"]\n",
     "scripts/build.sh": "#!/bin/sh\ndocker build -t registry.example.com/app:1 -f docker/Dockerfile .\n",
     "k8s/worker.yaml": K8S.format(workload="app", container="huey").split("          command")[0]},
    # its definition comes from a file outside the tree: that notice says so, once
    {"docker-compose.yml": "services:\n  huey:\n    extends:\n      file: ../common.yml\n      service: worker\n"
                           "    image: registry.example.com/app:1\n"},
])
def test_no_image_notice_when_the_image_is_built_here_or_its_definition_is_elsewhere(tmp_path, files):
    assert not any("runs the command of image" in reason for _path, reason in _notices(tmp_path, files))


@pytest.mark.parametrize("service, image", [
    ("huey-queue", "valkey/valkey:8"), ("huey-broker", "rabbitmq:3-management"), ("huey-cache", "memcached"),
    ("huey", "redis:7-alpine"), ("huey-storage", "redis/redis-stack"), ("huey-store", "docker.io/bitnami/redis"),
    ("huey-admin", "nginx:alpine"),
])
def test_no_image_notice_for_a_broker_store_or_proxy_named_for_huey(tmp_path, service, image):
    """A service named for huey that runs a broker, store or proxy image (`huey-queue: image: valkey/valkey:8`)
    got the notice that no Dockerfile of the repository builds its image: true and nothing to act on, it runs its
    server, not the consumer (a precision check over the image's name as over the service's)."""
    files = {"docker-compose.yml": f"services:\n  {service}:\n    image: {image}\n"}
    assert _notices(tmp_path, files) == []


@pytest.mark.parametrize(("files", "what"), [
    ({"docker-compose.yml": "services:\n  huey:\n    build: .\n    restart: always\n"}, "compose service `huey`"),
    ({"scripts/build.sh": "#!/bin/sh\ndocker build -t registry.example.com/app:1 .\n",
      "k8s/worker.yaml": K8S.format(workload="app", container="huey").split("          command")[0]},
     "Kubernetes container `huey` of Deployment `app`"),
])
def test_a_process_named_for_huey_running_its_built_images_own_command_gets_a_notice(tmp_path, files, what):
    """The image is built here and no command is written: the image's own (`CMD ["/srv/app.pyz", "worker"]`) runs,
    which is no consumer command. With the same command written in the compose file or the manifest this was the
    notice; left to the image it was silence. The notice is at the Dockerfile's CMD."""
    files = {"Dockerfile": "FROM python:3.12\nCMD [\"/srv/app.pyz\", \"worker\"]\n", **files}
    assert _notices(tmp_path, files) == [("Dockerfile", f"line 2: {what} " + NOTICE.format("/srv/app.pyz worker"))]


def test_the_image_notice_names_an_image_set_by_a_variable_as_written(tmp_path):
    """`image: ${WORKER_IMAGE:?}`: the notice said the service runs "the command of image `unknown`", naming nothing
    its reader can look for; it names the image as written."""
    files = {"docker-compose.yml": "services:\n  huey:\n    image: ${WORKER_IMAGE:?set it}\n"}
    assert _notices(tmp_path, files) == [("docker-compose.yml", "line 3: compose service `huey` " + IMAGE_NOTICE.replace(
        "registry.example.com/app:1", "${WORKER_IMAGE:?set it}"))]


UNKNOWN_PROGRAM = ("a program named by a variable whose value is not known before it runs (set outside the files "
                   "read, or computed when it runs), so what it starts cannot be followed")


@pytest.mark.parametrize(("files", "where", "what", "shown"), [
    ({"deploy/app-huey.service": "[Unit]\nDescription=app worker\n[Service]\nUser=app\nRestart=always\n"
                                 "EnvironmentFile=/etc/app/env\nExecStart=${RUNNER} --queue mail\n"},
     ("deploy/app-huey.service", 7), "systemd unit `app-huey.service`", "${RUNNER} --queue mail"),
    ({"deploy/install.sh": "#!/bin/sh\nRUNNER=\"$1\"\ncat > /etc/systemd/system/app-huey.service <<EOF\n[Service]\n"
                           "ExecStart=$RUNNER\nRestart=always\nEOF\n"},
     ("deploy/install.sh", 5), "systemd unit `app-huey.service`", "$RUNNER"),
])
def test_a_program_named_by_an_unknown_variable_says_so(tmp_path, files, where, what, shown):
    """Field (an install script's `ExecStart=${START_SCRIPT}`, before its variables were read): "runs
    `${START_SCRIPT}`, which is no consumer command nor a script of the repository" read as if the program were
    known and not a consumer; what is not known is the variable's value."""
    assert _notices(tmp_path, files) == [
        (where[0], f"line {where[1]}: {what} is named for huey, but runs `{shown}`, {UNKNOWN_PROGRAM}: "
                   "no consumer launch, not checked")]


def test_no_notice_beside_the_hl001_of_a_command_string_the_shell_refuses(tmp_path):
    """The HL001 at the syntax error says why nothing runs; the notice repeated it as "no consumer command"
    though the string names the consumer."""
    unit = ("[Unit]\nDescription=huey consumer\n[Service]\nUser=app\nRestart=always\n"
            "ExecStart=/bin/sh -c 'exec /srv/venv/bin/huey_consumer app.huey $(cat /etc/huey/flags'\n")
    write_tree(tmp_path, {"deploy/huey.service": unit})
    result = lint(tmp_path)
    assert [(f.rule, f.loc.path, f.loc.line) for f in result.findings] == [("HL001", "deploy/huey.service", 6)]
    assert not any("named for huey" in notice.reason for notice in result.notices)
