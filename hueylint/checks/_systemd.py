"""What the systemd rules (HL106, HL202) share."""

from __future__ import annotations

from typing import Iterable

from hueylint.model import Launch, Project


def systemd_launches(project: Project) -> Iterable[Launch]:
    return (launch for launch in project.launches if launch.platform == "systemd" and not launch.dev)
