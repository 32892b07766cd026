"""HL101/HL102 fix texts follow the pinned huey: `-g TERM -t N` only exists from huey 3.4, so a
launch pinned below it is told to upgrade first (field test: betagouv/csplab, mblayman/homeschool)."""

from __future__ import annotations

import pytest

from tests.helpers import lint, write_tree

PROCFILE = {"Procfile": "worker: huey_consumer app.huey -w 2\n"}
RENDER = {"render.yaml": "services:\n- type: worker\n  name: jobs\n  runtime: python\n"
                         "  startCommand: huey_consumer app.huey -w 2\n"}
CF = {"manifest.yml": "applications:\n- name: jobs\n  command: huey_consumer app.huey\n"}
UPGRADE = "upgrade to huey 3.4+ and add `-g TERM -t"


def messages(tmp_path, files, rule):
    write_tree(tmp_path, files)
    return [f.message for f in lint(tmp_path).findings if f.rule == rule]


@pytest.mark.parametrize("files", [PROCFILE, RENDER, CF], ids=["procfile", "render", "cloudfoundry"])
def test_pinned_before_3_4_the_fix_upgrades_first(tmp_path, files):
    found = messages(tmp_path, {**files, "requirements.txt": "huey==3.3.4\n"}, "HL101")
    assert len(found) == 1 and UPGRADE in found[0], found


@pytest.mark.parametrize("pin", ["huey==3.5.4\n", "redis\n"], ids=["newer", "unknown"])
def test_pinned_3_4_or_unknown_adds_the_options_directly(tmp_path, pin):
    found = messages(tmp_path, {**PROCFILE, "requirements.txt": pin}, "HL101")
    assert len(found) == 1
    assert found[0].endswith("Fix: add `-g TERM -t 25` to the consumer command (huey 3.4+): the platform's "
                             "signal cannot be changed")


def test_fixed_deadline_hl102_names_the_pinned_version(tmp_path):
    old = messages(tmp_path / "old", {**CF, "requirements.txt": "huey==3.3.4\n"}, "HL102")
    new = messages(tmp_path / "new", {**CF, "requirements.txt": "huey==3.5.4\n"}, "HL102")
    assert len(old) == 1 and "stop with `-g TERM -t 5` (huey 3.3.4 has neither: upgrade to 3.4+) so huey" in old[0]
    assert len(new) == 1 and "stop with `-g TERM -t 5` (huey 3.4+) so huey" in new[0]


COMPOSE = {"compose.yaml": "services:\n  worker:\n    image: example/app:1\n    command: huey_consumer app.huey\n"
                           "    stop_signal: SIGINT\n    restart: unless-stopped\n"}


@pytest.mark.parametrize(("pin", "keep"), [("huey==3.3.4\n", False), ("huey==2.5.0\n", False),
                                            ("huey==3.5.4\n", True), ("redis\n", True)])
def test_configurable_deadline_mentions_t_only_when_huey_has_it(tmp_path, pin, keep):
    """Field test (andreipython229/overschool-backend, huey 2.4.5): "(and keep `-t` a few seconds below it)"
    told a huey without -t to keep it below the deadline."""
    found = messages(tmp_path, {**COMPOSE, "requirements.txt": pin}, "HL102")
    assert len(found) == 1 and found[0].startswith("compose stops `worker` after 10s")
    assert found[0].endswith("Fix: raise stop_grace_period: above your longest task"
                             + (" (and keep `-t` a few seconds below it)" if keep else ""))
