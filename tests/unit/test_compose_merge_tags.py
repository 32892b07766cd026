"""Compose's merge tags and nulls across files, as compose-go merges them: `key: !reset null` in a later file
deletes what the files before it set (its value is ignored), `key: !override VALUE` replaces it, and a plain
null keeps an earlier file's value (`command`/`entrypoint` excepted: a null there is "not set"); a null with no
earlier value is one compose refuses (the schema types those keys as strings).

Before, hueylint read the tagged node's text as the value: `stop_signal: !reset null` was the signal
"SIGNULL" and `stop_signal: null` "SIGNONE" (HL101 naming them), `!reset ""` an unknown signal (HL101 silent
although compose sends SIGTERM), `stop_grace_period: null` HL001 "None is not a duration", and fixes were
written to the base file's key that the later file drops."""

from __future__ import annotations

import pytest

from tests.helpers import write_tree
from tests.test_cli import run_cli

BASE = """\
services:
  worker:
    image: ghcr.io/me/app:1
    user: app
    restart: always
    stop_signal: SIGINT
    stop_grace_period: 60s
    command: ["huey_consumer", "app.huey", "-t", "50"]
"""
SIGTERM = ("compose.yaml:2:3: HL101 [error] compose stops `worker` with SIGTERM (compose default: `stop_signal: "
           "!reset` at compose.override.yaml:3; image `ghcr.io/me/app:1` is not built in this repository, so its STOPSIGNAL is unknown: SIGTERM "
           "assumed); the consumer's graceful signal is SIGINT (huey default): huey treats it as \"stop now\" and "
           "interrupts running tasks. Fix: add `-g TERM` to the consumer command, or set stop_signal: SIGINT")


def _concise(capsys) -> tuple[int, list[str]]:
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise")
    return code, [line for line in out.splitlines() if ": HL" in line]


@pytest.mark.parametrize("reset", ["!reset null", '!reset ""', "!reset", "!reset []"])
def test_reset_drops_the_base_files_value(git_repo, capsys, reset):
    write_tree(git_repo, {"compose.yaml": BASE, "compose.override.yaml": f"services:\n  worker:\n    stop_signal: {reset}\n"})
    assert _concise(capsys) == (1, [SIGTERM])


def test_reset_deadline_is_compose_default_and_no_fix_is_written_to_the_dropped_key(git_repo, capsys):
    write_tree(git_repo, {"compose.yaml": BASE,
                          "compose.override.yaml": "services:\n  worker:\n    stop_grace_period: !reset null\n"})
    assert _concise(capsys) == (1, [
        "compose.yaml:2:3: HL102 [warning] compose stops `worker` after 10s (compose default stop_grace_period, "
        "`stop_grace_period: !reset` at compose.override.yaml:3): a task running longer is killed; longest-task is 20s. Fix: raise stop_grace_period: above your longest task "
        "(and keep `-t` a few seconds below it)",
        "compose.yaml:8:44: HL103 [error] `-t 50` is not at least 2s below the kill deadline of 10s (compose default "
        "stop_grace_period, `stop_grace_period: !reset` at compose.override.yaml:3): SIGKILL arrives before huey interrupts stragglers and emits SIGNAL_INTERRUPTED. Fix: "
        "`-t 5`, or raise the deadline"])
    code, out, err = run_cli(capsys, "check", "--no-cache", "--diff", "--select", "HL102")
    assert (code, out, err) == (0, "", "hueylint: no fix to apply\n")  # before: `stop_grace_period: 55s` in compose.yaml


def test_override_tag_is_the_value(git_repo, capsys):
    write_tree(git_repo, {"compose.yaml": BASE, "compose.override.yaml": (
        "services:\n  worker:\n    stop_grace_period: !override 5s\n    stop_signal: !override SIGINT\n")})
    assert _concise(capsys) == (1, [
        "compose.override.yaml:3:24: HL102 [warning] compose stops `worker` after 5s (compose.override.yaml:3): a "
        "task running longer is killed; longest-task is 20s. Fix: raise stop_grace_period: above your longest task "
        "(and keep `-t` a few seconds below it)",
        "compose.yaml:8:44: HL103 [error] `-t 50` is not at least 2s below the kill deadline of 5s "
        "(compose.override.yaml:3): SIGKILL arrives before huey interrupts stragglers and emits SIGNAL_INTERRUPTED. "
        "Fix: `-t 1`, or raise the deadline"])


def test_override_tag_on_a_command_string_is_the_command(git_repo, capsys):
    write_tree(git_repo, {"compose.yaml": BASE, "compose.override.yaml": (
        'services:\n  worker:\n    command: !override "huey_consumer app.huey -w 3 -t 59"\n')})
    assert _concise(capsys) == (1, [
        "compose.override.yaml:3:53: HL103 [error] `-t 59` is not at least 2s below the kill deadline of 60s "
        "(compose.yaml:7): SIGKILL arrives before huey interrupts stragglers and emits SIGNAL_INTERRUPTED. Fix: "
        "`-t 55`, or raise the deadline"])


@pytest.mark.parametrize("key", ["stop_signal", "stop_grace_period", "restart", "user"])
def test_null_in_an_override_keeps_the_base_value(git_repo, capsys, key):
    write_tree(git_repo, {"compose.yaml": BASE, "compose.override.yaml": f"services:\n  worker:\n    {key}: null\n"})
    assert _concise(capsys) == (0, [])


def test_reset_in_a_deploy_mapping_drops_the_base_replicas(git_repo, capsys):
    write_tree(git_repo, {
        "compose.yaml": BASE.replace("    user: app\n", "    user: app\n    deploy:\n      replicas: 3\n")
                            .replace('"-t", "50"', '"-t", "50", "-n"'),
        "compose.override.yaml": "services:\n  worker:\n    deploy: !reset {}\n"})
    code, out, _ = run_cli(capsys, "inspect", "--no-cache", "--output-format", "json")
    import json

    [launch] = json.loads(out)["launches"]
    assert (code, launch["instances"]["value"]) == (0, 1)


@pytest.mark.parametrize(("key", "kind"), [("stop_signal", "a string"), ("stop_grace_period", "a string"),
                                           ("user", "a string"), ("restart", "a string")])
def test_null_without_an_earlier_value_is_refused_by_compose(git_repo, capsys, key, kind):
    write_tree(git_repo, {"compose.yaml": (
        f"services:\n  worker:\n    image: ghcr.io/me/app:1\n    {key}: null\n"
        '    command: ["huey_consumer", "app.huey", "-g", "TERM", "-t", "5"]\n')})
    code, lines = _concise(capsys)
    assert f"compose.yaml:4:5: HL001 [warning] cannot parse: `{key}: null`: compose refuses the project " \
           f"(services.worker.{key} must be {kind})" in lines
    assert not any("NONE" in line or "None" in line for line in lines)


@pytest.mark.parametrize(("override", "count"), [
    ("    deploy:\n      replicas: !reset 0\n", 1),  # deleted: compose's one container
    ("    deploy:\n      replicas: null\n", 3),  # a null keeps compose.yaml's 3
    ("    deploy:\n      replicas: !override 2\n", 2),
])
def test_tags_inside_deploy(git_repo, capsys, override, count):
    write_tree(git_repo, {
        "compose.yaml": BASE.replace("    user: app\n", "    user: app\n    deploy:\n      replicas: 3\n")
                            .replace('"-t", "50"', '"-t", "50", "-n"'),
        "compose.override.yaml": "services:\n  worker:\n" + override})
    code, out, _ = run_cli(capsys, "inspect", "--no-cache", "--output-format", "json")
    import json

    [launch] = json.loads(out)["launches"]
    assert (code, launch["instances"]["value"]) == (0, count)
