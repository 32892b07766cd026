"""The typed launch facts: each platform records its own, a supervisor inside a container has both, and the
consumer's management-command options land in their fields."""

from __future__ import annotations

from pathlib import Path

from hueylint.config import Settings
from hueylint.engine import build_project
from hueylint.launch_facts import ConsumerFacts
from hueylint.locations import Loc
from hueylint.model import Launch, Val
from tests.helpers import write_tree

PLATFORMS = ("systemd", "supervisord", "docker", "compose", "kubernetes", "circus", "s6", "procfile")


def _launches(root: Path) -> list[Launch]:
    _ws, project, _ = build_project([root], Settings(root=root.resolve()))
    return project.launches


def _platform_facts(launch: Launch) -> list[str]:
    return [name for name in PLATFORMS if getattr(launch, name) is not None]


def test_a_systemd_unit_records_its_service_settings(tmp_path: Path) -> None:
    write_tree(tmp_path, {"deploy/huey.service": (
        "[Unit]\nDescription=huey\n\n[Service]\nType=simple\nExecReload=/bin/kill -HUP $MAINPID\n"
        "Environment=DJANGO_SETTINGS_MODULE=proj.settings\nExecStart=/srv/venv/bin/huey_consumer app.huey -w 2\n")})
    [launch] = _launches(tmp_path)
    assert _platform_facts(launch) == ["systemd"]
    assert launch.systemd is not None
    assert (launch.systemd.type, launch.systemd.kill_mode) == (Val("simple", Loc("deploy/huey.service", 5, 6, 5, 12)),
                                                               None)
    assert launch.systemd.exec_reload is not None and launch.systemd.exec_reload.value == "/bin/kill -HUP $MAINPID"
    assert launch.section is not None and launch.section.loc.line == 4  # the [Service] header
    assert launch.consumer.program is not None and launch.consumer.program.value == "huey_consumer"
    assert launch.consumer.program.loc.line == 8
    assert launch.environment["DJANGO_SETTINGS_MODULE"].value == "proj.settings"
    assert launch.env is not None and launch.env.loc.path == "deploy/huey.service"


def test_a_supervisord_program_in_a_compose_service_has_both_platforms_facts(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12\nCOPY supervisord.conf /etc/supervisord.conf\n"
                      'CMD ["supervisord", "-n", "-c", "/etc/supervisord.conf"]\n',
        "supervisord.conf": "[supervisord]\nnodaemon=true\n\n[program:huey]\ncommand=huey_consumer app.huey\n"
                            "stopasgroup=true\n",
        "compose.yaml": "services:\n  worker:\n    build: .\n    volumes:\n      - data:/data\n"
                        "volumes:\n  data: {}\n"})
    [launch] = _launches(tmp_path)
    assert launch.platform == "supervisord"
    assert _platform_facts(launch) == ["supervisord", "compose"]
    assert launch.supervisord is not None and launch.compose is not None
    assert launch.supervisord.config.value == "supervisord.conf"
    assert launch.supervisord.stopasgroup is not None and launch.supervisord.stopasgroup.value is True
    assert launch.supervisord.nodaemon is not None and launch.supervisord.nodaemon.value is True
    assert launch.compose.volumes is not None and launch.compose.volumes.value == (("data", "/data"),)
    assert launch.compose.same_image.value == ("worker",)


def test_a_kubernetes_container_records_its_workload_and_fix_anchors(tmp_path: Path) -> None:
    write_tree(tmp_path, {"k8s/worker.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\n"
        "  annotations:\n    hueylint/ignore: HL701\nspec:\n  template:\n    spec:\n      containers:\n"
        "        - name: huey\n          image: app:1\n          command: [huey_consumer, app.huey]\n")})
    [launch] = _launches(tmp_path)
    assert _platform_facts(launch) == ["kubernetes"]
    assert launch.kubernetes is not None
    assert (launch.kubernetes.kind.value, launch.kubernetes.containers.value) == ("Deployment", 1)
    assert launch.kubernetes.pod_key is not None and launch.kubernetes.pod_key.loc.line == 10
    assert launch.kubernetes.container_key is not None and launch.kubernetes.container_key.value == "name"
    assert launch.kubernetes.os_name is None
    assert launch.command is not None and launch.command.value == "huey"
    assert launch.suppress is not None and launch.suppress.value == ((6, 22, "HL701"),)


def test_django_command_options_land_in_their_fields() -> None:
    facts = ConsumerFacts()
    at = Loc("Procfile", 1, 1)
    facts.set_command_options({"queue": Val("emails", at), "django_settings": Val("proj.prod", at),
                               "disable_autoload": Val(True, at), "django_traceback": Val(True, at)})
    assert facts.queue == Val("emails", at) and facts.django_settings == Val("proj.prod", at)
    assert facts.disable_autoload == Val(True, at)
    assert facts.django_flags == {"django_traceback": Val(True, at)}
    assert facts.django_pythonpath is None and facts.settings_incomplete is None
