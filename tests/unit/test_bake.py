"""Docker Buildx Bake files: the images their targets tag (hueylint.platforms.bake)."""

from __future__ import annotations

from hueylint.config import Settings
from hueylint.engine import build_project
from hueylint.parsers.bake import parse_hcl
from hueylint.platforms.bake import bake_images
from tests.helpers import write_tree

DOCKERFILE = "FROM python:3.12 AS base\nFROM base AS prod\nCMD [\"huey_consumer\", \"app.huey\"]\n"


def images(tmp_path, files):
    write_tree(tmp_path, {"docker/Dockerfile": DOCKERFILE, "Dockerfile": DOCKERFILE, **files})
    ws, _project, _ = build_project([tmp_path], Settings(root=tmp_path))
    found = [(s.name, s.dockerfile, s.context, s.target, s.loc.path, s.loc.line) for s in bake_images(ws)]
    return found, [(notice.rel, notice.reason) for notice in ws.notices if "bake" in notice.rel]


def test_variables_inherits_and_stage(tmp_path):
    """`${REGISTRY}` and `${TAG}` are the variables' defaults; `inherits` gives the context and Dockerfile."""
    hcl = ('variable "REGISTRY" {\n  default = "ghcr.io/acme"\n}\nvariable "TAG" { default = "latest" }\n'
           'target "_common" {\n  context = "."\n  dockerfile = "docker/Dockerfile"\n}\n'
           'target "worker" {\n  inherits = ["_common"]\n  target = "prod"\n'
           '  tags = ["${REGISTRY}/worker:${TAG}", "acme/worker"]\n}\n')
    found, notices = images(tmp_path, {"docker-bake.hcl": hcl})
    assert found == [("ghcr.io/acme/worker:latest", "docker/Dockerfile", "", "prod", "docker-bake.hcl", 12),
                     ("acme/worker", "docker/Dockerfile", "", "prod", "docker-bake.hcl", 12)]
    assert notices == []


def test_group_defaults_and_a_variable_without_default_in_the_tag(tmp_path):
    """A target named by a group (or by none) is built all the same; the default Dockerfile is the context's
    `Dockerfile`; a tag whose variable has no default keeps its name (`org/app:${VERSION}`)."""
    hcl = ('variable "VERSION" {}\ngroup "default" {\n  targets = ["app"]\n}\n'
           'target "app" {\n  context = "docker"\n  tags = ["org/app:${VERSION}", "${VERSION}/other"]\n}\n')
    found, _ = images(tmp_path, {"docker-bake.hcl": hcl})
    assert found == [("org/app", "docker/Dockerfile", "docker", None, "docker-bake.hcl", 7)]


def test_paths_relative_to_the_bake_files_folder_then_the_root(tmp_path):
    """Bake runs where its file is (default lookup) or from the root with `-f`: the folder whose path exists."""
    own = 'target "a" {\n  dockerfile = "Dockerfile"\n  tags = ["org/a"]\n}\n'
    root = 'target "b" {\n  dockerfile = "docker/Dockerfile"\n  tags = ["org/b"]\n}\n'
    found, _ = images(tmp_path, {"docker/docker-bake.hcl": own, "build/docker-bake.hcl": root})
    assert sorted(found) == [("org/a", "docker/Dockerfile", "docker", None, "docker/docker-bake.hcl", 3),
                             ("org/b", "docker/Dockerfile", "", None, "build/docker-bake.hcl", 3)]


def test_json_and_override_files_merge(tmp_path):
    """docker-bake.json, then docker-bake.override.hcl replacing its target's `tags`."""
    data = ('{\n  "variable": {"TAG": {"default": "1.0"}},\n  "target": {\n    "app": {\n'
            '      "dockerfile": "docker/Dockerfile",\n      "tags": ["org/app:${TAG}"]\n    }\n  }\n}\n')
    override = 'target "app" {\n  tags = ["org/app-prod:${TAG}"]\n}\n'
    found, _ = images(tmp_path, {"docker-bake.json": data})
    assert found == [("org/app:1.0", "docker/Dockerfile", "", None, "docker-bake.json", 6)]
    found, _ = images(tmp_path, {"docker-bake.override.hcl": override})
    assert found == [("org/app-prod:1.0", "docker/Dockerfile", "", None, "docker-bake.override.hcl", 2)]


def test_what_is_not_evaluated_is_said_and_left_unknown(tmp_path):
    """A function call, a remote context, an inline Dockerfile, a matrix: no image; a broken file: a notice."""
    hcl = ('target "f" {\n  tags = [lower("ORG/APP")]\n}\n'
           'target "remote" {\n  context = "https://github.com/acme/app.git"\n  tags = ["org/remote"]\n}\n'
           'target "inline" {\n  dockerfile-inline = "FROM scratch"\n  tags = ["org/inline"]\n}\n'
           'target "m" {\n  matrix = { item = ["a", "b"] }\n  name = "m-${item}"\n  tags = ["org/${item}"]\n}\n')
    found, notices = images(tmp_path, {"docker-bake.hcl": hcl, "other/docker-bake.json": "{not json"})
    assert found == []
    assert notices == [
        ("docker-bake.hcl", "line 13: target `m` has a `matrix`, which hueylint does not expand: the images it "
                            "tags are unknown"),
        ("docker-bake.hcl", 'line 2: the `tags` of target `f` hold `lower("ORG/APP")`, which hueylint does not '
                            "evaluate: those images are unknown"),
        ("other/docker-bake.json", "line 1: not JSON: not understood as a bake file there; the images its targets "
                                   "from there on tag are unknown")]


def test_a_syntax_error_leaves_out_its_block_only():
    parsed = parse_hcl('target "a" {\n  tags = ["org/a"]\n}\ntarget "b" {\n  tags = ["x" "y"]\n}\n'
                       'target "c" {\n  tags = ["org/c"]\n}\n', "docker-bake.hcl")
    assert list(parsed.targets) == ["a", "c"] and parsed.error == 5


def test_escapes():
    """`$${X}` is a literal `${X}` (HCL's template escape)."""
    parsed = parse_hcl('target "a" {\n  tags = ["org/a:$${TAG}"]\n}\n', "docker-bake.hcl")
    assert parsed.targets["a"]["tags"].value == ["org/a:${TAG}"]


def test_a_bake_target_completes_the_compose_service_of_its_name(tmp_path):
    """Bake reads the folder's compose file first: `target "worker"` gives the tags of the service `worker`,
    whose `build:` names the Dockerfile and stage."""
    compose = ("services:\n  worker:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n"
               "      target: prod\n")
    hcl = 'target "worker" {\n  tags = ["ghcr.io/acme/worker:1"]\n}\n'
    found, _ = images(tmp_path, {"compose.yaml": compose, "docker-bake.hcl": hcl})
    assert found == [("ghcr.io/acme/worker:1", "docker/Dockerfile", "", "prod", "docker-bake.hcl", 2)]


def test_variables_naming_variables_are_filled_and_a_cycle_is_unknown(tmp_path):
    """A default naming another variable is evaluated as bake does (`${REG}/shop`); a cycle (bake refuses it:
    "variable cycle not allowed"), and defaults doubling each other past any image name's length, are unknown."""
    from hueylint.platforms.bake import resolved_variables

    hcl = ('variable "REG" { default = "ghcr.io/acme" }\nvariable "IMG" { default = "${REG}/shop" }\n'
           'variable "A" { default = "${B}" }\nvariable "B" { default = "${A}" }\n'
           'target "app" {\n  dockerfile = "docker/Dockerfile"\n  tags = ["${IMG}:1", "${A}/x"]\n}\n')
    found, _ = images(tmp_path, {"docker-bake.hcl": hcl})
    assert found == [("ghcr.io/acme/shop:1", "docker/Dockerfile", "", None, "docker-bake.hcl", 7)]
    doubling = {"D0": "ab", **{f"D{i}": f"${{D{i - 1}}}${{D{i - 1}}}" for i in range(1, 80)}}
    filled = resolved_variables(doubling)
    assert filled["D3"] == "ab" * 8 and filled["D79"] is None
    chain = {"V0": "x", **{f"V{i}": f"${{V{i - 1}}}" for i in range(1, 5000)}}
    assert resolved_variables(chain)["V4999"] == "x"


def test_inherits_diamonds_and_cycles_resolve_once(tmp_path):
    """`inherits = ["a", "a"]` at every level is resolved once per target, not once per path; a cycle is skipped
    where it closes, as buildx's Config.target does (the parent being resolved gives nothing)."""
    diamond = "".join(f'target "t{i}" {{\n  inherits = ["t{i - 1}", "t{i - 1}"]\n}}\n' for i in range(1, 60))
    hcl = ('target "t0" {\n  dockerfile = "docker/Dockerfile"\n}\n' + diamond +
           'target "x" {\n  inherits = ["y", "y"]\n  tags = ["org/x"]\n}\n'
           'target "y" {\n  inherits = ["x", "t59"]\n}\n'
           'target "app" {\n  inherits = ["t59"]\n  tags = ["org/app"]\n}\n')
    found, _ = images(tmp_path, {"docker-bake.hcl": hcl})
    assert sorted(found) == [("org/app", "docker/Dockerfile", "", None, "docker-bake.hcl", 190),
                             ("org/x", "docker/Dockerfile", "", None, "docker-bake.hcl", 183),
                             ("org/x", "docker/Dockerfile", "", None, "docker-bake.hcl", 183)]  # (y: x's tags)


def test_deep_nesting_and_long_expressions_are_unknown_not_a_crash(tmp_path):
    """A list nested 50,000 deep (HCL) or JSON nested past Python's limit: a notice, the unread text clipped."""
    hcl = 'target "app" {\n  tags = ' + "[" * 50000 + "]" * 50000 + "\n}\n"
    found, notices = images(tmp_path, {"docker-bake.hcl": hcl, "j/docker-bake.json": "[" * 100000 + "]" * 100000})
    assert found == []
    assert [(rel, len(reason) < 300) for rel, reason in notices] == [("docker-bake.hcl", True),
                                                                      ("j/docker-bake.json", True)]
    assert notices[1][1].startswith("line 1: JSON nested too deeply to read")


def test_json_positions_are_found_per_target_block():
    """Each JSON value's line is its own string's, in its target's block (not the first like it in the file);
    a value that is no string is at its key; thousands of targets are read in linear time."""
    from hueylint.parsers.bake import parse_json

    text = ('{\n "variable": {"app": {"default": "org/app"}},\n "group": {"default": {"targets": ["app"]}},\n'
            ' "target": {\n  "base": {"tags": ["org/app"]},\n  "app": {\n   "context": 5,\n'
            '   "tags": [1, "org/app"]\n  }\n }\n}\n')
    parsed = parse_json(text, "docker-bake.json")
    tags, context = parsed.targets["app"]["tags"].loc, parsed.targets["app"]["context"].loc
    assert (tags.line, tags.col, context.line, context.col) == (8, 16, 7, 4)
    big = "{\"target\": {" + ",".join(f'"t{i}": {{"tags": ["org/t{i}"]}}' for i in range(20000)) + "}}"
    assert parse_json(big, "x").targets["t19999"]["tags"].loc.col == len(big) - len('"org/t19999"]}}}') + 1
