"""Format detection by name and content."""

from __future__ import annotations

import pytest

from hueylint.formats import foreign_service, name_format, sniff


@pytest.mark.parametrize(("rel", "fmt"), [
    ("Dockerfile", "dockerfile"), ("docker/Dockerfile.prod", "dockerfile"), ("worker.Dockerfile", "dockerfile"),
    ("Containerfile", "dockerfile"), ("Dockerfile.j2", "dockerfile"),
    ("hueylint/parsers/dockerfile.py", "python"), ("docs/Dockerfile.md", None),
    ("Procfile", "procfile"), ("Procfile.dev", "procfile"), ("platforms/procfile.py", "python"),
    ("deploy/huey.service", "systemd"), ("deploy/huey@.service", "systemd"),
    ("deploy/huey.service.d/override.conf", "systemd"), ("templates/huey.service.j2", "systemd"),
    ("compose.yaml", "compose"), ("docker-compose.prod.yml", "compose"), ("compose.override.yaml", "compose"),
    ("etc/logrotate.d/huey", "logrotate"), ("requirements/base.txt", "deps"), ("requirements-dev.txt", "deps"),
    ("poetry.lock", "deps"), ("rootfs/etc/s6-overlay/s6-rc.d/huey/run", "s6"),
    ("k8s/worker.yaml", "?yaml"), ("conf/supervisord.conf", "?ini"), ("README.md", None),
])
def test_name_format(rel, fmt):
    assert name_format(rel) == fmt


def test_sniffing():
    assert not foreign_service("[Unit]\nDescription=huey\n[Service]\nExecStart=x\n")
    assert not foreign_service("# {{ ansible_managed }}\n[Service]\n")
    # field test (Pioreactor/CustoPiZer): avahi's XML service groups and D-Bus activation files are no units
    assert foreign_service('<?xml version="1.0" standalone=\'no\'?>\n<service-group>\n')
    assert foreign_service("\n  <service-group>\n")
    assert foreign_service("[D-BUS Service]\nName=org.example.App\nExec=/usr/bin/app\n")
    assert sniff("?yaml", "apiVersion: apps/v1\nkind: Deployment\n", "k8s/w.yaml") == "kubernetes"
    assert sniff("?yaml", "services:\n  web:\n    image: x\n", "stack.yml") == "compose"
    assert sniff("?yaml", "foo: bar\n", "config.yaml") is None
    assert sniff("?ini", "[program:huey]\ncommand=x\n", "app.conf") == "supervisord"
    assert sniff("?ini", "[watcher:huey]\ncmd=x\n", "circus.ini") == "circus"
    assert sniff("?ini", "[flake8]\nmax-line-length=100\n", "setup.cfg") is None
