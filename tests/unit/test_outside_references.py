"""References that lead outside the checked tree stay unread (nothing outside it is read, tests/test_security.py),
but never in silence: a launch whose definition may come from there is HL004 (tests/unit/test_compose_extends.py),
any other such reference a notice at its line (fixture references-outside-the-tree). Absolute paths (a host's
/etc/profile, /srv/app/...) are no reference outside the tree: they are looked up by their tail, or unknown;
but compose reads its own (``include:``, ``env_file:``, ``extends: file:``) on the deploying host, never in the
repository: those are notices too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, triples, write_tree

WHY = "leads outside the checked tree, which hueylint never reads"
UNIT = ("[Service]\nUser=app\nRestart=on-failure\nKillSignal=SIGINT\nTimeoutStopSec=60\n"
        "ExecStart=/srv/app/deploy/run.sh\nExecReload=/bin/kill -HUP $MAINPID\n")
CHART = {"chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n", "chart/values.yaml": "replicas: 1\n",
         "chart/templates/worker.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\nspec:\n"
                                        "  replicas: {{ .Values.replicas }}\n  template:\n    spec:\n      containers:\n"
                                        "        - name: worker\n          image: shop:1\n"
                                        "          command: [\"huey_consumer\", \"app.huey\"]\n"}


def _notices(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str]]:
    write_tree(tmp_path / "repo", {"requirements.txt": "huey==2.5.0\n", **files})
    result = lint(tmp_path / "repo")
    return [(n.rel, n.reason) for n in result.notices]


@pytest.mark.parametrize(("files", "expected"), [
    ({"compose.yml": "services:\n  web:\n    image: nginx\ninclude:\n  - ../shared/compose.yml\n"},
     ("compose.yml", f"line 4: `include: ../shared/compose.yml` {WHY}: the services it defines are not checked")),
    ({"compose.yml": "services:\n  web:\n    image: nginx\n    extends: {file: ../base.yml, service: web}\n"},
     ("compose.yml", f"line 4: `extends: file: ../base.yml` {WHY}: what it gives service `web` (its command, stop "
                     "settings ...) is unknown")),
    ({"etc/supervisord.conf": "[supervisord]\nnodaemon=true\n[include]\nfiles = ../../conf.d/*.conf\n"},
     ("etc/supervisord.conf", f"line 4: `[include] files = ../../conf.d/*.conf` {WHY}: the programs it adds are "
                              "not checked")),
    ({"deploy/huey.service": UNIT, "deploy/run.sh": "#!/bin/sh\nsource ../../env/prod.sh\nexec run_huey\n"},
     ("deploy/run.sh", f"line 2: `source ../../env/prod.sh` {WHY}: the variables it sets are unknown to the "
                       "commands after it")),
    ({"Dockerfile": "FROM python:3.12\nCOPY ../bin/entry.sh /entry.sh\nUSER app\nENTRYPOINT [\"/entry.sh\"]\n"},
     ("Dockerfile", f"line 2: the COPY of `/entry.sh` (from `../bin/entry.sh`) {WHY}: what `/entry.sh` runs is "
                    "unknown")),
    ({"compose.yml": "services:\n  web:\n    build: ../..\n"},
     ("compose.yml", f"line 3: the build of service `web` (`../..`) {WHY}: the image it builds (its command, "
                     "STOPSIGNAL, USER) is unknown")),
    ({"docker/compose.yml": "services:\n  web:\n    build:\n      context: ..\n      dockerfile: ../web.Dockerfile\n"},
     ("docker/compose.yml", f"line 4: the build of service `web` (`../web.Dockerfile`) {WHY}: the image it builds (its "
                            "command, STOPSIGNAL, USER) is unknown")),
    ({**CHART, "deploy.sh": "#!/bin/sh\nhelm upgrade --install shop ./chart -f ../secrets/prod.yaml\n"},
     ("deploy.sh", f"line 2: `helm upgrade ... -f ../secrets/prod.yaml` {WHY}: this release of `chart` is not "
                   "used (the values it sets, such as replicas, are unknown)")),
])
def test_a_reference_outside_the_tree_is_a_notice(tmp_path: Path, files: dict[str, str],
                                                  expected: tuple[str, str]) -> None:
    assert expected in _notices(tmp_path, files)


@pytest.mark.parametrize("files", [
    # inside the tree, or an absolute path of the host or image
    {"compose.yml": "services:\n  web:\n    image: nginx\ninclude:\n  - sub/../other.yml\n"},
    {"deploy/huey.service": UNIT, "deploy/run.sh": "#!/bin/sh\n. /etc/profile\n. ../.env\nexec run_huey\n"},
    {"etc/supervisord.conf": "[supervisord]\nnodaemon=true\n[include]\nfiles = /etc/supervisor/conf.d/*.conf\n"},
    {**CHART, "deploy.sh": "#!/bin/sh\nhelm upgrade --install shop ./chart -f /etc/shop/prod.yaml\n"},
    # a script no launch runs: nothing depends on what it sources
    {"tools/dev.sh": "#!/bin/sh\n. ../../env/dev.sh\nexec run_huey\n"},
])
def test_no_notice_for_paths_inside_or_absolute(tmp_path: Path, files: dict[str, str]) -> None:
    assert [reason for _, reason in _notices(tmp_path, files) if WHY in reason] == []


def test_a_launch_extending_a_service_outside_is_hl004_not_a_notice(tmp_path: Path) -> None:
    write_tree(tmp_path / "repo", {"requirements.txt": "huey==2.5.0\n",
                                   "compose.yml": "services:\n  worker:\n    image: shop:1\n    extends:\n"
                                                  "      file: ../base.yml\n      service: worker\n"
                                                  "    command: huey_consumer app.huey\n"})
    result = lint(tmp_path / "repo")
    assert [f for f in triples(result) if f[0] != "HL701"] == [("HL004", "compose.yml", 4)]
    assert [n for n in result.notices if WHY in n.reason] == []


def test_a_consumer_whose_image_is_built_outside_says_its_stop_signal_is_assumed(tmp_path: Path) -> None:
    write_tree(tmp_path / "repo", {"requirements.txt": "huey==2.5.0\n",
                                   "compose.yml": "services:\n  worker:\n    build: ../..\n    command: huey_consumer app.huey\n"})
    (launch,) = lint(tmp_path / "repo").project.launches
    assert launch.stop_signal.where() == ("compose default: no stop_signal; the image is built from `../..`, outside "
                                          "the checked tree, so its STOPSIGNAL is unknown: SIGTERM assumed")


def test_an_env_file_outside_the_tree_of_a_consumer_service_is_a_notice(tmp_path: Path) -> None:
    service = "    image: shop:1\n    env_file:\n      - .env\n      - ../secrets/{name}.env\n    command: {command}\n"
    text = "services:\n  worker:\n" + service.format(name="worker", command="huey_consumer app.huey") + \
        "  web:\n" + service.format(name="web", command="gunicorn app")
    reasons = [reason for rel, reason in _notices(tmp_path, {"compose.yml": text, ".env": "A=1\n"}) if WHY in reason]
    assert reasons == [f"line 4: `env_file: ../secrets/worker.env` {WHY}: the variables it gives service `worker` are "
                       "unknown"]


def test_compose_absolute_paths_are_the_host_s_a_notice(tmp_path: Path) -> None:
    """compose resolves an absolute ``include:``/``env_file:``/``extends: file:`` on the host that deploys (a file
    no checkout holds): each is a notice at its key, as a path climbing out of the tree is."""
    text = ("include:\n  - /opt/stack/shared.yml\nservices:\n  worker:\n    image: shop:1\n"
            "    env_file: /etc/shop/worker.env\n    command: huey_consumer app.huey\n  web:\n"
            "    extends:\n      file: /opt/stack/base.yml\n      service: web\n")
    reasons = [reason for rel, reason in _notices(tmp_path, {"compose.yml": text}) if WHY in reason]
    assert reasons == [
        f"line 1: `include: /opt/stack/shared.yml` {WHY}: the services it defines are not checked",
        f"line 6: `env_file: /etc/shop/worker.env` {WHY}: the variables it gives service `worker` are unknown",
        f"line 9: `extends: file: /opt/stack/base.yml` {WHY}: what it gives service `web` (its command, stop "
        "settings ...) is unknown"]



def test_a_requirements_include_outside_the_tree_is_a_notice_when_no_pin_is_found(tmp_path: Path) -> None:
    """``-r ../../common/requirements.txt`` (or an absolute ``-r /opt/base.txt``): pip reads a file no run reads,
    which may pin huey; with no pin found in the tree the newest release is assumed, and the notice says why.
    With a pin in the tree, the include changes nothing said."""
    unit = {"huey.service": "[Service]\nExecStart=/srv/venv/bin/huey_consumer app.huey\n",
            "app.py": "from huey import RedisHuey\nhuey = RedisHuey('a')\n"}
    reasons = [reason for _, reason in _notices(tmp_path / "a", {
        **unit, "requirements.txt": "django==5.1\n-r ../../common/requirements.txt\n-c /opt/constraints.txt\n"})
        if WHY in reason]
    assert reasons == [
        f"line 2: `-r ../../common/requirements.txt` {WHY}: the huey version it may pin is unknown (the newest "
        "release is assumed)",
        f"line 3: `-c /opt/constraints.txt` {WHY}: the huey version it may pin is unknown (the newest release is "
        "assumed)"]
    assert [reason for _, reason in _notices(tmp_path / "b", {
        **unit, "requirements.txt": "huey==2.5.0\n-r ../../common/requirements.txt\n"}) if WHY in reason] == []
