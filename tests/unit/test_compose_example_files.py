"""Compose files named as examples to copy (``docker-compose.override.example.yml``, ``compose.sample.yaml``,
``docker-compose.override.yml.template``) are never merged into the folder's project: compose reads only the base
and ``*.override.y(a)ml`` names by itself.  An example override, or a fragment compose cannot run alone, is said
(a notice) and not checked; a complete example stack is judged on its own; one a script names with ``-f`` is
merged as the script runs it."""

from __future__ import annotations

import pytest

from tests.helpers import git_init, lint, write_tree

BASE = """\
services:
  worker:
    image: ghcr.io/me/app:1.0
    command: huey_consumer app.huey -g TERM -t 50
    stop_grace_period: 60s
    restart: always
    user: app
"""
#: an override fragment whose command lacks `-g TERM` and `-t`: merged, HL101/HL104 on the worker
FRAGMENT = "services:\n  worker:\n    command: huey_consumer app.huey\n"


def _run(tmp_path, files: dict[str, str]):
    write_tree(tmp_path, files)
    git_init(tmp_path)
    result = lint(tmp_path)
    return ([(f.rule, f.loc.path, f.loc.line, f.loc.col) for f in result.findings],
            [(notice.rel, notice.reason) for notice in result.notices])


@pytest.mark.parametrize(("name", "copied"), [
    ("docker-compose.override.example.yml", "docker-compose.override.yml"),
    ("docker-compose.override.sample.yml", "docker-compose.override.yml"),
    ("docker-compose-example.override.yml", "docker-compose.override.yml"),
    ("docker-compose.override.dist.yml", "docker-compose.override.yml"),
    ("docker-compose.override.yml.template", "docker-compose.override.yml"),
    ("compose.override.template.yaml", "compose.override.yaml"),
])
def test_an_example_override_is_said_and_not_merged(tmp_path, name, copied):
    findings, notices = _run(tmp_path, {"docker-compose.yml": BASE, name: FRAGMENT})
    assert findings == []
    assert notices == [(name, f"an example override of `docker-compose.yml`, never merged into it: compose merges "
                              f"`{copied}` by itself, this file only when it is named with `-f`: not checked")]


def test_an_example_shaped_as_an_override_under_another_name(tmp_path):
    findings, notices = _run(tmp_path, {"docker-compose.yml": BASE, "docker-compose.prod.example.yml": FRAGMENT})
    assert findings == []
    assert notices == [("docker-compose.prod.example.yml", "an example override of `docker-compose.yml`, never "
                        "merged into it: compose reads it (or `docker-compose.prod.yml`, once copied) only when named "
                        "with `-f`: not checked")]


def test_an_example_fragment_without_a_base_is_said(tmp_path):
    findings, notices = _run(tmp_path, {"deploy/docker-compose.sample.yml": FRAGMENT})
    assert findings == []
    assert notices == [("deploy/docker-compose.sample.yml", "an example compose file whose service `worker` has "
                        "neither `image:` nor `build:`: compose cannot run it alone and reads it only when named with "
                        "`-f`: not checked")]


def test_a_complete_example_stack_is_judged_on_its_own(tmp_path):
    stack = BASE.replace("    restart: always\n", "")
    findings, notices = _run(tmp_path, {"docker-compose.yml": BASE, "docker-compose.example.yml": stack})
    assert findings == [("HL203", "docker-compose.example.yml", 2, 3)]
    assert notices == []


def test_an_example_a_script_names_with_f_is_merged_as_it_runs_it(tmp_path):
    findings, notices = _run(tmp_path, {
        "docker-compose.yml": BASE, "docker-compose.override.example.yml": FRAGMENT,
        "deploy.sh": "#!/bin/sh\ndocker compose -f docker-compose.yml -f docker-compose.override.example.yml up -d\n"})
    assert ("HL104", "docker-compose.override.example.yml", 3, 14) in findings
    assert ("HL101", "docker-compose.yml", 2, 3) in findings
    assert notices == []


@pytest.mark.parametrize("name", ["docker-compose.override.yml", "docker-compose.distributed.yml",
                                  "docker-compose.templates.yml", "docker-compose.samplers.yml"])
def test_other_names_are_read_as_before(tmp_path, name):
    findings, notices = _run(tmp_path, {"docker-compose.yml": BASE, name: FRAGMENT})
    assert ("HL104", name, 3, 14) in findings
    assert notices == []
