"""Cloud Foundry app manifests: which files are manifests, ``((var))`` interpolation, and the builder's launches."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.formats import cf_manifest_name, name_format, sniff_bytes
from hueylint.shell import parse_script
from tests.helpers import lint, triples, write_tree

REQS = {"requirements.txt": "huey==3.5.4\n"}
APP = "applications:\n- name: jobs\n  no-route: true\n"


def launches(tmp_path: Path, files: dict[str, str], config: dict | None = None):
    write_tree(tmp_path, {**REQS, **files})
    result = lint(tmp_path, config)
    return result, result.project.launches


# -- which files ----------------------------------------------------------------------------------

@pytest.mark.parametrize("rel, expected", [
    ("manifest.yml", True), ("deploy/manifest.yaml", True), ("manifests/workers.yml", True),
    ("ci/manifests/app.yaml", True), ("workers.yml", False), ("manifests/notes.txt", False),
])
def test_manifest_names(rel, expected):
    assert cf_manifest_name(rel) is expected


@pytest.mark.parametrize("rel, text, fmt", [
    ("manifest.yml", b"---\napplications:\n- name: web\n  command: gunicorn app\n", "cloudfoundry"),
    ("manifests/w.yml", b"applications:  # apps\n  - name: w\n", "cloudfoundry"),
    # the same content under another name (an Ansible vars file, a CI pipeline) is no manifest
    ("ci/pipeline.yml", b"applications:\n- name: web\n", ""),
    # a manifest folder's vars file: no `applications:` list
    ("manifests/vars.yml", b"APP_NAME: broker\n", ""),
])
def test_manifests_are_told_from_other_yaml_by_content(rel, text, fmt):
    assert name_format(rel) == "?yaml"
    assert sniff_bytes("?yaml", text, rel)[0] == fmt


# -- the shell: `+=` appends to a value the model does not hold ---------------------------------

def test_array_append_of_forwarded_arguments_is_no_forwarding_assignment():
    script = parse_script('opts=(-w 2)\nopts+=("$@")\nexec huey_consumer app.huey "${opts[@]}"\n')
    assignments = [(a.name, a.value, a.forward) for a in script.assignments]
    assert assignments == [("opts", None, False), ("opts", None, False)]


# -- the builder ----------------------------------------------------------------------------------

def test_command_sigterm_fixed_ten_seconds_and_default_instances(tmp_path):
    result, [launch] = launches(tmp_path, {"manifest.yml": APP + "  command: huey_consumer app.huey -w 2\n"})
    assert (launch.platform, launch.name, launch.stop_signal.value, launch.deadline.value) == \
        ("cloudfoundry", "jobs (web)", "TERM", 10.0)
    assert (launch.instances.value, launch.restart.value, launch.collects_logs) == (1, True, True)
    assert not launch.deadline_configurable
    assert triples(result, "HL101") == [("HL101", "manifest.yml", 4)]
    assert triples(result, "HL102") == [("HL102", "manifest.yml", 4)]
    assert triples(result, "HL203") == []


def test_processes_each_with_its_command_and_instances(tmp_path):
    files = {"manifest.yml": APP + "  command: gunicorn app:web\n  processes:\n"
                                   "  - type: worker\n    command: huey_consumer app.huey -n\n    instances: 4\n"
                                   "  - type: clock\n    command: huey_consumer app.huey -w 1\n"}
    _, found = launches(tmp_path, files)
    assert [(launch.name, launch.instances.value, launch.loc.line) for launch in found] == \
        [("jobs (worker)", 4, 7), ("jobs (clock)", 1, 10)]


def test_composite_command_keeps_bash_in_between(tmp_path):
    """`bash -c` stays the process Cloud Foundry signals unless the last command is exec'd (HL201)."""
    files = {"manifest.yml": APP + "  command: python migrate.py && huey_consumer app.huey\n"}
    result, [launch] = launches(tmp_path, files)
    assert [hop.name for hop in launch.chain][:2] == ["Cloud Foundry", "Cloud Foundry command (bash -c)"]
    assert triples(result, "HL201") == [("HL201", "manifest.yml", 4)]


def test_docker_apps_run_the_command_with_sh(tmp_path):
    files = {"manifest.yml": APP + "  docker:\n    image: me/app\n  command: cd src && exec huey_consumer app.huey\n"}
    _, [launch] = launches(tmp_path, files)
    assert launch.chain[1].name == "Cloud Foundry command (sh -c)"


def test_vars_file_gives_instances_and_a_missing_variable_stays_unknown(tmp_path):
    files = {"manifests/workers.yml": "applications:\n- name: ((APP))-jobs\n  instances: ((N))\n"
                                      "  command: huey_consumer app.huey -n\n",
             "manifests/vars.yml": "N: 3\n"}
    _, [launch] = launches(tmp_path, files)
    assert (launch.name, launch.instances.value) == ("((APP))-jobs (web)", 3)
    del files["manifests/vars.yml"]
    (tmp_path / "manifests/vars.yml").unlink()
    _, [launch] = launches(tmp_path, files)
    assert not launch.instances.known
    assert "((N)) is set at `cf push --var/--vars-file` time" in launch.instances.unknown


def test_a_script_testing_the_instance_index_decides_periodic_per_instance(tmp_path):
    script = ('#!/bin/bash\nargs=()\nif [ "$CF_INSTANCE_INDEX" != 0 ]; then args+=(-n); fi\n'
              'exec huey_consumer app.huey -w 2 "${args[@]}"\n')
    files = {"manifest.yml": APP + "  instances: 5\n  command: ./bin/worker\n", "bin/worker": script}
    result, [launch] = launches(tmp_path, files)
    assert not launch.periodic.known
    assert (launch.periodic.loc.path, launch.periodic.loc.line) == ("bin/worker", 3)
    assert "decided per instance at run time" in launch.periodic.unknown
    assert triples(result, "HL301") == []


def test_without_an_index_test_scaled_instances_are_hl301(tmp_path):
    files = {"manifest.yml": APP + "  instances: 5\n  command: ./bin/worker\n",
             "bin/worker": "#!/bin/bash\nexec huey_consumer app.huey -w 2 -g TERM -t 7\n"}
    result, [launch] = launches(tmp_path, files)
    assert launch.periodic.known
    assert triples(result, "HL301") == [("HL301", "bin/worker", 2)]


def test_an_index_test_that_never_decides_no_periodic_keeps_hl301(tmp_path):
    """Instance 0 runs the migrations, then every instance runs the same consumer without -n."""
    script = ('#!/bin/bash\nif [ "$CF_INSTANCE_INDEX" = 0 ]; then python migrate.py; fi\n'
              'exec huey_consumer app.huey -w 2 -g TERM -t 7\n')
    files = {"manifest.yml": APP + "  instances: 5\n  command: ./bin/worker\n", "bin/worker": script}
    result, [launch] = launches(tmp_path, files)
    assert launch.periodic.known
    assert triples(result, "HL301") == [("HL301", "bin/worker", 3)]


def test_both_paths_of_an_index_test_are_decided_per_instance(tmp_path):
    script = ('#!/bin/bash\nif [ "$INSTANCE_INDEX" = 0 ]; then exec huey_consumer app.huey -g TERM -t 7; fi\n'
              'exec huey_consumer app.huey -n -g TERM -t 7\n')
    files = {"manifest.yml": APP + "  instances: 5\n  command: ./bin/worker\n", "bin/worker": script}
    result, found = launches(tmp_path, files)
    assert [launch.periodic.known for launch in found] == [False, True]
    assert triples(result, "HL301") == []


def test_a_consumer_command_with_an_unknown_variable_is_hl004(tmp_path):
    files = {"manifest.yml": APP + "  command: huey_consumer app.huey ((ARGS))\n"}
    result, [launch] = launches(tmp_path, files)
    assert launch.program == "unknown"
    [finding] = [f for f in result.findings if f.rule == "HL004"]
    assert (finding.loc.line, finding.loc.col) == (4, 12)
    assert "((ARGS)) is set at `cf push --var/--vars-file` time" in finding.message


def test_odd_shapes_are_skipped_without_an_error(tmp_path):
    files = {"manifest.yml": "applications:\n- name: x\n  instances: lots\n  command: 12\n  processes: nope\n- 7\n"
                             "- name: y\n  instances: -3\n  command: huey_consumer app.huey\n  processes:\n  - 5\n"
                             "  - type: w\n    instances: ((N))\n    command: gunicorn app:web\n"}
    result, [launch] = launches(tmp_path, files)
    assert (launch.name, launch.instances.known, launch.instances.unknown) == ("y (web)", False, "instances -3")
    assert not [f for f in result.findings if f.rule == "HL001"]


def test_logfile_is_hl501_naming_loggregator(tmp_path):
    files = {"manifest.yml": APP + "  command: huey_consumer app.huey -g TERM -t 7 -l /tmp/huey.log\n"}
    result, _ = launches(tmp_path, files, {"longest-task": "5s"})
    [finding] = [f for f in result.findings if f.rule == "HL501"]
    assert "Cloud Foundry collects its stdout and stderr (Loggregator, `cf logs`)" in finding.message
