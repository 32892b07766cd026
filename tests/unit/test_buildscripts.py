"""Images tagged by the repository's build scripts (`docker build -t NAME`) and their Dockerfiles."""

from __future__ import annotations

from hueylint.config import Settings
from hueylint.engine import build_project
from hueylint.platforms.buildscripts import script_built_images
from tests.helpers import lint, write_tree

DOCKERFILE = "FROM python:3.12\nCOPY . /app\nCMD [\"huey_consumer\", \"app.huey\"]\n"


def images(tmp_path, files, evidenced=False):
    """The images the repository's scripts and CI files build, their names as written (with the CI's markers);
    ``evidenced``: with the values the repository gives the markers, as the builders match them."""
    from hueylint.platforms.buildscripts import _script_built_images

    write_tree(tmp_path, {"docker/api/Dockerfile": DOCKERFILE, "Dockerfile": DOCKERFILE, **files})
    ws, _project, _ = build_project([tmp_path], Settings(root=tmp_path))
    found = script_built_images(ws) if evidenced else _script_built_images(ws)
    return [(s.name, s.dockerfile, s.context, s.target, s.loc.path, s.loc.line) for s in found]


def test_root_variable_file_tag_and_forwarded_arguments(tmp_path):
    """karrio's bin/build-server-image: `-f "${ROOT}/docker/api/Dockerfile" -t org/server:$1 "${ROOT}" "${@:2}"`."""
    script = ('#!/usr/bin/env bash\nsource "bin/_env"\necho building\n'
              'docker build -f "${ROOT}/docker/api/Dockerfile" -t org/server:$1 "${ROOT}" "${@:2}"\n')
    assert images(tmp_path, {"bin/build-server-image": script}) == [
        ("org/server", "docker/api/Dockerfile", "", None, "bin/build-server-image", 4)]


def test_makefile_variables_continuations_target_and_buildx(tmp_path):
    makefile = ("NAME := acme/worker\nTAG = $(shell git rev-parse HEAD)\n\nbuild:\n"
                "\tdocker buildx build \\\n\t  --platform linux/amd64 --target prod \\\n\t  -t $(NAME):$(TAG) docker/api\n"
                "other:\n\tdocker build -t $(UNKNOWN):1 .\n")
    assert images(tmp_path, {"Makefile": makefile}) == [
        ("acme/worker", "docker/api/Dockerfile", "docker/api", "prod", "Makefile", 5)]


def test_names_and_paths_that_stay_unknown_are_not_used(tmp_path):
    script = ("#!/bin/sh\ndocker build -t \"$IMAGE\" .\ndocker build -t app:1 \"$CONTEXT\"\n"
              "docker build -t app:2 -f /abs/Dockerfile .\n# docker build -t commented:1 .\n"
              "docker build -t missing:1 -f nowhere/Dockerfile .\n")
    assert images(tmp_path, {"scripts/build.sh": script}) == []


def test_compose_service_runs_the_image_a_script_builds(tmp_path):
    """The service's tag is a compose variable: the image's name still links it."""
    from tests.helpers import lint, triples

    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12\nCOPY . /app\nSTOPSIGNAL SIGINT\nUSER app\n"
                      "ENTRYPOINT [\"huey_consumer\", \"app.huey\"]\n",
        "bin/build-image": "#!/bin/sh\nset -e\ndocker build -t registry.example.com/acme/worker:\"$1\" .\n",
        "compose.yaml": "services:\n  worker:\n    image: registry.example.com/acme/worker:${TAG:-2.1}\n"
                        "    command: [\"-w\", \"4\"]\n    restart: always\n    stop_grace_period: 60s\n",
    })
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert launch.platform == "compose" and launch.stop_signal.value == "INT"
    assert triples(result, "HL101") == [] and triples(result, "HL701") == []


def test_github_workflow_build_push_action_and_run_lines(tmp_path):
    """A workflow's jobs run in the repository root: `run:` lines are read like a script, and
    docker/build-push-action from its inputs (tags one per line or comma-separated, `file` from the root,
    default `{context}/Dockerfile`, `target`); an expression in the context or the name is unknown."""
    workflow = """name: images
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          docker build -t acme/cli:${{ github.sha }} -f docker/api/Dockerfile .
      - uses: docker/build-push-action@v6
        with:
          context: docker/api
          target: prod
          tags: acme/api:latest,acme/api:${{ github.ref_name }}
      - uses: docker/build-push-action@v6
        with:
          tags: |
            acme/root:edge
      - uses: docker/build-push-action@v6
        with:
          context: ${{ matrix.folder }}
          tags: acme/matrix:1
      - uses: docker/build-push-action@v6
        with:
          tags: ${{ env.IMAGE }}:1
"""
    assert images(tmp_path, {".github/workflows/images.yml": workflow}) == [
        ("acme/cli", "docker/api/Dockerfile", "", None, ".github/workflows/images.yml", 9),
        ("acme/api", "docker/api/Dockerfile", "docker/api", "prod", ".github/workflows/images.yml", 10),
        ("acme/root", "Dockerfile", "", None, ".github/workflows/images.yml", 15)]


def test_github_workflow_of_a_checked_subfolder_and_metadata_images(tmp_path, monkeypatch):
    """`hueylint check repo/`: the workflow's paths are below the folder that holds `.github`; tags from a
    docker/metadata-action step name its `images` (`name=` form too); a workflow that is not YAML builds nothing."""
    workflow = """jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - id: meta
        uses: docker/metadata-action@v5
        with:
          images: name=ghcr.io/acme/worker,enable=true
      - uses: docker/build-push-action@v6
        with:
          file: docker/api/Dockerfile
          tags: ${{ steps.meta.outputs.tags }}
"""
    write_tree(tmp_path, {"repo/docker/api/Dockerfile": DOCKERFILE, "repo/.github/workflows/w.yaml": workflow,
                          "repo/.github/workflows/broken.yml": "jobs: [docker build\n"})
    monkeypatch.chdir(tmp_path)  # reported paths are relative to the current folder, which holds repo/
    ws, _project, _ = build_project([tmp_path / "repo"], Settings(root=tmp_path))
    assert [(s.name, s.dockerfile, s.context, s.loc.path, s.loc.line) for s in script_built_images(ws)] == [
        ("ghcr.io/acme/worker", "repo/docker/api/Dockerfile", "repo", "repo/.github/workflows/w.yaml", 9)]


def test_a_binary_or_text_file_without_a_shebang_in_a_script_folder_is_no_candidate_and_no_hl001(tmp_path):
    """Field test (apluslms/gitmanager): git objects under `test_data/build/` were read as possible build scripts
    and each got HL001 (a NUL byte, invalid UTF-8). A candidate is a script only with a `#!` line; one that has
    it is read as before, with HL001 for its bad bytes."""
    write_tree(tmp_path, {"compose.yaml": "services:\n  w:\n    image: acme/w:1\n"})
    (tmp_path / "build" / "objects").mkdir(parents=True)
    (tmp_path / "build" / "objects" / "ab12").write_bytes(b"x\x9c\x00\x01binary")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "notes").write_bytes(b"caf\xe9 menu\n")
    (tmp_path / "bin" / "publish").write_bytes(b"#!/bin/sh\n# caf\xe9\ndocker build -t acme/w:1 .\n")
    result = lint(tmp_path)
    assert [(f.loc.path, f.loc.line, f.message) for f in result.findings if f.rule == "HL001"] == [
        ("bin/publish", 2, "not valid UTF-8 (byte 0xe9): read as U+FFFD, the rest of the file is checked")]


def test_github_workflow_matrix_runs_needed_outputs_and_env_fill_the_inputs(tmp_path):
    """Field test (bcgov/DriveBC.ca): one job builds every image from a matrix of `include` entries, the
    registry from a setup job's outputs. Each matrix run is read with its own values: `file`, the metadata
    step's `images`, a `run:` line's `docker build`; `github.repository`, which a clone does not know, is
    matched as the owner/name pair it is (repository_images)."""
    workflow = """env:
  OWNER: acme
jobs:
  setup:
    runs-on: ubuntu-latest
    outputs:
      registry: ghcr.io
    steps:
      - run: echo
  images:
    needs: setup
    runs-on: ubuntu-latest
    strategy:
      matrix:
        include:
          - image: api
            dockerfile: ./docker/api/Dockerfile
          - image: root
            dockerfile: Dockerfile
          - image: ${{ github.repository }}
            dockerfile: Dockerfile
    steps:
      - id: meta
        uses: docker/metadata-action@v5
        with:
          images: ${{ needs.setup.outputs.registry }}/${{ env.OWNER }}/${{ matrix.image }}
      - uses: docker/build-push-action@v6
        with:
          file: ${{ matrix.dockerfile }}
          tags: ${{ steps.meta.outputs.tags }}
  cli:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        flavour: [slim, full]
        exclude:
          - flavour: full
    steps:
      - run: |
          docker build -t acme/cli-${{ matrix.flavour }}:1 -f docker/api/Dockerfile docker/api
"""
    assert images(tmp_path, {".github/workflows/images.yml": workflow}) == [
        ("ghcr.io/acme/api", "docker/api/Dockerfile", "", None, ".github/workflows/images.yml", 27),
        ("ghcr.io/acme/root", "Dockerfile", "", None, ".github/workflows/images.yml", 27),
        ("ghcr.io/acme/%github-repository%", "Dockerfile", "", None, ".github/workflows/images.yml", 27),
        ("acme/cli-slim", "docker/api/Dockerfile", "docker/api", None, ".github/workflows/images.yml", 39)]


def test_a_reusable_workflow_builds_the_images_its_callers_name(tmp_path):
    """A build job in a reusable workflow (`on: workflow_call`) whose Dockerfile and image name are inputs:
    each calling job gives them (its matrix runs one call each)."""
    build = """on:
  workflow_call:
    inputs:
      image:
        type: string
        required: true
      dockerfile:
        type: string
        default: Dockerfile
jobs:
  push:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
        with:
          file: ${{ inputs.dockerfile }}
          tags: ghcr.io/acme/${{ inputs.image }}:latest
"""
    release = """on: push
jobs:
  images:
    strategy:
      matrix:
        include:
          - image: api
            dockerfile: docker/api/Dockerfile
          - image: web
    uses: ./.github/workflows/build.yml
    with:
      image: ${{ matrix.image }}
      dockerfile: ${{ matrix.dockerfile }}
"""
    # `web` has no `dockerfile`: `${{ matrix.dockerfile }}` is an empty string, and so is the action's `file`,
    # which is then its default, `{context}/Dockerfile`
    assert images(tmp_path, {".github/workflows/build.yml": build, ".github/workflows/release.yml": release}) == [
        ("ghcr.io/acme/api", "docker/api/Dockerfile", "", None, ".github/workflows/build.yml", 14),
        ("ghcr.io/acme/web", "Dockerfile", "", None, ".github/workflows/build.yml", 14)]


def test_a_scripts_variables_are_expanded_as_the_shell_would(tmp_path):
    """newcl/mytube's build.sh: `HUEY_IMAGE="..."` then `docker build -t ${HUEY_IMAGE}:latest -f Dockerfile.huey .`
    (the names were unknown: a script's variables were never read).  A default, a variable set before it from
    another, `sudo`; a variable set on one branch only, or from a command's output, stays unknown."""
    script = ('#!/bin/bash\nset -e\nREGISTRY="${REGISTRY:-ghcr.io/acme}"\nWORKER_IMAGE="$REGISTRY/worker"\n'
              'VERSION=$(date +%s)\n'
              'docker build -t ${WORKER_IMAGE}:latest -t "${WORKER_IMAGE}:${VERSION}" -f docker/api/Dockerfile .\n'
              'if [ "$1" = beta ]; then BETA=acme/beta; fi\ndocker build -t "$BETA" .\n'
              'NOW=$(git rev-parse HEAD)\ndocker build -t "$NOW" .\n'
              'sudo docker buildx build --target prod -t acme/api:1 .\n')
    assert images(tmp_path, {"build.sh": script}) == [
        ("ghcr.io/acme/worker", "docker/api/Dockerfile", "", None, "build.sh", 6),
        ("acme/api", "Dockerfile", "", "prod", "build.sh", 11)]
    # each placed from its `docker` word on, as a line read as written is
    write_tree(tmp_path, {"build.sh": script})
    ws, _project, _ = build_project([tmp_path], Settings(root=tmp_path))
    assert [(s.loc.line, s.loc.col) for s in script_built_images(ws)] == [(6, 1), (11, 6)]


def test_a_script_the_shell_parser_refuses_is_read_line_by_line(tmp_path):
    script = "#!/bin/sh\nif then fi (\ndocker build -t acme/worker:1 -f docker/api/Dockerfile .\n"
    assert images(tmp_path, {"scripts/build.sh": script}) == [
        ("acme/worker", "docker/api/Dockerfile", "", None, "scripts/build.sh", 3)]


def test_drone_and_woodpecker_docker_plugin_steps(tmp_path):
    """newcl/mytube's .drone.yml: `image: plugins/docker` with `settings: {repo, dockerfile, context}` builds the
    image its Helm chart runs.  Woodpecker's steps as a map; a registry prefixed to a repo without one; a setting
    from a secret or a variable leaves the step unused; other steps' images are no builds."""
    drone = ("kind: pipeline\nsteps:\n  - name: test\n    image: python:3.12\n    commands: [pytest]\n"
             "  - name: worker\n    image: plugins/docker\n    settings:\n      registry: ghcr.io\n"
             "      repo: ghcr.io/acme/worker\n      dockerfile: docker/api/Dockerfile\n      context: docker/api\n"
             "      tags: [latest]\n      password:\n        from_secret: TOKEN\n"
             "  - name: secret\n    image: plugins/docker:20\n    settings:\n      repo:\n        from_secret: REPO\n"
             "  - name: variable\n    image: plugins/docker\n    settings:\n      repo: acme/${DRONE_BRANCH}\n")
    woodpecker = ("steps:\n  publish:\n    image: woodpeckerci/plugin-docker-buildx\n    settings:\n"
                  "      registry: registry.example.com\n      repo: acme/api\n      target: prod\n"
                  "      context: docker/api\n")  # the default Dockerfile is the root's, not the context's
    assert images(tmp_path, {".drone.yml": drone, ".woodpecker/build.yaml": woodpecker}) == [
        ("ghcr.io/acme/worker", "docker/api/Dockerfile", "docker/api", None, ".drone.yml", 7),
        ("registry.example.com/acme/api", "Dockerfile", "docker/api", "prod", ".woodpecker/build.yaml", 3)]


def test_a_reusable_workflow_called_from_many_matrix_runs_is_read_within_a_bound(tmp_path):
    """A hostile tree: 50 caller jobs, each a matrix of 256 jobs, call a reusable workflow whose own job is a
    matrix of 256 jobs: 3.3 million runs of its steps were made and read (4 minutes, 2.5 GB). Now a job whose steps
    with expressions would run more than 65,536 times in all is not read for them: a notice says so, and its steps
    without expressions are still read once."""
    import time

    from hueylint.engine import build_project as build

    axis = "[" + ", ".join(str(i) for i in range(16)) + "]"
    callers = "on: push\njobs:\n" + "".join(
        f"  c{j}:\n    strategy:\n      matrix:\n        a: {axis}\n        b: {axis}\n"
        f"    uses: ./.github/workflows/r.yml\n    with:\n      tag: t{j}-${{{{ matrix.a }}}}-${{{{ matrix.b }}}}\n"
        for j in range(50))
    reusable = ("on:\n  workflow_call:\n    inputs:\n      tag: {type: string}\njobs:\n  b:\n    strategy:\n"
                f"      matrix:\n        x: {axis}\n        y: {axis}\n    steps:\n"
                "      - run: docker build -t acme/w-${{ inputs.tag }}-${{ matrix.x }}-${{ matrix.y }} .\n"
                "      - run: docker build -t acme/plain -f docker/api/Dockerfile .\n")
    write_tree(tmp_path, {"docker/api/Dockerfile": DOCKERFILE, "Dockerfile": DOCKERFILE,
                          ".github/workflows/caller.yml": callers, ".github/workflows/r.yml": reusable})
    started = time.perf_counter()
    ws, _project, _ = build([tmp_path], Settings(root=tmp_path))
    found = [(s.name, s.dockerfile) for s in script_built_images(ws)]
    assert time.perf_counter() - started < 20
    assert found == [("acme/plain", "docker/api/Dockerfile")]
    assert [n.reason for n in ws.notices if "r.yml" in n.rel] == [
        "line 6: job `b`'s 1 step(s) with expressions run more than 65,536 times in all (its matrix's jobs, for each "
        "call of the workflow): not read, the images they tag are unknown"]


def test_a_docker_plugin_named_with_its_registry_or_tag_builds_too(tmp_path):
    """Drone and Woodpecker pull the plugin as any image: `docker.io/plugins/docker:20`, a mirror's
    `registry.local:5000/plugins/docker`, `quay.io/thegeeklab/drone-docker-buildx:24` are the same plugins (only
    the bare name with a tag was one)."""
    step = ("  - name: {n}\n    image: {image}\n    settings:\n      repo: acme/{n}\n"
            "      dockerfile: docker/api/Dockerfile\n      context: docker/api\n")
    drone = "kind: pipeline\nsteps:\n" + "".join(step.format(n=f"w{i}", image=image) for i, image in enumerate([
        "docker.io/plugins/docker:20", "registry.local:5000/plugins/docker", "quay.io/thegeeklab/drone-docker-buildx:24",
        "plugins/docker@sha256:0123", "acme/plugins-docker"]))
    assert [name for name, *_ in images(tmp_path, {".drone.yml": drone})] == ["acme/w0", "acme/w1", "acme/w2", "acme/w3"]


def test_a_cd_before_the_build_moves_its_paths(tmp_path):
    """`cd backend` then `docker build -t acme/worker .` builds backend/: it was read from the root (its Dockerfile
    the root's, another image), so a service running acme/worker was judged with the wrong Dockerfile. A `cd` to
    a repository folder (in a script, on a Makefile recipe line or a workflow step's line; the script's own folder
    as `$(dirname "$0")`) moves the paths after it; one to a folder not known (`cd "$TMP"`) leaves them unknown;
    a Makefile recipe line is a shell of its own."""
    script = ('#!/bin/bash\nset -e\ncd backend\ndocker build -t acme/worker .\ncd ..\ndocker build -t acme/root .\n'
              'cd "$(dirname "$0")/../backend" && docker build -t acme/own -f Dockerfile .\n'
              'cd ..\n(cd backend && docker build -t acme/sub .)\ndocker build -t acme/after .\n'
              'cd "$TMP"\ndocker build -t acme/tmp .\n')
    makefile = "build:\n\tcd backend && docker build -t acme/mk .\n\tdocker build -t acme/mk-root .\n"
    found = images(tmp_path, {"backend/Dockerfile": DOCKERFILE, "bin/build.sh": script, "Makefile": makefile})
    assert [(name, dockerfile, context) for name, dockerfile, context, *_ in found] == [
        ("acme/mk", "backend/Dockerfile", "backend"), ("acme/mk-root", "Dockerfile", ""),
        ("acme/worker", "backend/Dockerfile", "backend"), ("acme/root", "Dockerfile", ""),
        ("acme/own", "backend/Dockerfile", "backend"), ("acme/sub", "backend/Dockerfile", "backend"),
        ("acme/after", "Dockerfile", "")]  # (the subshell's `cd` is over)


def test_a_workflow_step_runs_its_build_in_its_working_directory(tmp_path):
    """`working-directory: backend` (the step's, else the job's `defaults.run`) with `docker build -t acme/w .`
    builds backend/: the step's script was read from the repository's root (the root's Dockerfile, another image).
    One not known (`${{ github.workspace }}`) leaves the step unused; a step without one is read as before."""
    workflow = ("jobs:\n  a:\n    runs-on: x\n    steps:\n      - working-directory: backend\n        run: |\n"
                "          docker build -t acme/step .\n      - run: docker build -t acme/root .\n"
                "      - working-directory: ${{ github.workspace }}/x\n        run: docker build -t acme/unknown .\n"
                "  b:\n    runs-on: x\n    defaults:\n      run:\n        working-directory: ./backend\n"
                "    steps:\n      - run: docker build -t acme/job -f Dockerfile .\n")
    found = images(tmp_path, {"backend/Dockerfile": DOCKERFILE, ".github/workflows/build.yml": workflow})
    assert sorted((name, dockerfile, context, line) for name, dockerfile, context, _t, _p, line in found) == [
        ("acme/job", "backend/Dockerfile", "backend", 17), ("acme/root", "Dockerfile", "", 8),
        ("acme/step", "backend/Dockerfile", "backend", 6)]


def test_images_named_by_the_repository_identity_of_github_and_gitlab(tmp_path):
    """A clone does not know which repository it is: GitHub's example workflow tags
    `${{ env.REGISTRY }}/${{ env.IMAGE_NAME }}` with `IMAGE_NAME: ${{ github.repository }}`, a step writes
    `IMAGE=ghcr.io/${GITHUB_REPOSITORY,,}` to `$GITHUB_OUTPUT` (field test AYui124/PixCollector), a GitLab job
    pushes `$CI_REGISTRY_IMAGE/worker` with kaniko, a Docker Hub push names the account with a secret. Each name
    keeps a marker for what the variable stands for; a name whose own last part is a setting stays unknown."""
    workflow = """env:
  REGISTRY: ghcr.io
  IMAGE_NAME: ${{ github.repository }}
jobs:
  push:
    runs-on: ubuntu-latest
    steps:
      - id: meta
        uses: docker/metadata-action@v5
        with:
          images: ${{ env.REGISTRY }}/${{ env.IMAGE_NAME }}
      - uses: docker/build-push-action@v6
        with:
          context: .
          tags: ${{ steps.meta.outputs.tags }}
  scripted:
    runs-on: ubuntu-latest
    steps:
      - id: vars
        run: |
          echo "IMAGE=ghcr.io/${GITHUB_REPOSITORY,,}/api" >> $GITHUB_OUTPUT
          echo "SHA=${GITHUB_SHA::7}" >> "$GITHUB_OUTPUT"
      - run: |
          docker build -f docker/api/Dockerfile \\
            -t ${{ steps.vars.outputs.IMAGE }}:${{ steps.vars.outputs.SHA }} .
"""
    gitlab = """build:
  image: {name: gcr.io/kaniko-project/executor:debug, entrypoint: [""]}
  script:
    - /kaniko/executor --context "${CI_PROJECT_DIR}" --dockerfile "${CI_PROJECT_DIR}/docker/api/Dockerfile"
      --destination "${CI_REGISTRY_IMAGE}/worker:${CI_COMMIT_SHORT_SHA}" --target=prod
    - docker build -t $CI_REGISTRY/$CI_PROJECT_NAMESPACE/cli:1 .
    - /kaniko/executor --context git://example.com/x.git --destination $CI_REGISTRY_IMAGE/remote:1
"""
    hub = """jobs:
  hub:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
        with: {file: docker/api/Dockerfile, tags: "${{ secrets.DOCKERHUB_USERNAME }}/shop-worker:latest"}
      - run: docker build -t ${{ vars.REGISTRY }}/${{ secrets.IMAGE }}:1 .
"""
    assert images(tmp_path, {".github/workflows/push.yml": workflow, ".gitlab-ci.yml": gitlab,
                             ".github/workflows/hub.yml": hub}) == [
        ("%ci-setting%/shop-worker", "docker/api/Dockerfile", "", None, ".github/workflows/hub.yml", 5),
        ("ghcr.io/%github-repository%", "Dockerfile", "", None, ".github/workflows/push.yml", 12),
        ("ghcr.io/%github-repository%/api", "docker/api/Dockerfile", "", None, ".github/workflows/push.yml", 23),
        ("%gitlab-registry%/%gitlab-project-path%/worker", "docker/api/Dockerfile", "", "prod", ".gitlab-ci.yml", 4),
        ("%gitlab-registry%/%gitlab-namespace%/cli", "Dockerfile", "", None, ".gitlab-ci.yml", 6)]


def test_a_repository_identity_marker_matches_the_names_it_stands_for():
    from hueylint.platforms.docker import same_image

    assert same_image("ghcr.io/%github-repository%/worker", "ghcr.io/Acme/Shop/worker:1.2")
    assert not same_image("ghcr.io/%github-repository%/worker", "ghcr.io/acme/worker")  # owner/name: two parts
    assert not same_image("ghcr.io/%github-repository%/worker", "docker.io/acme/shop/worker")
    assert same_image("%github-owner%/shop", "docker.io/acme/shop") and same_image("%github-owner%/shop", "acme/shop")
    assert same_image("%gitlab-registry%/%gitlab-project-path%/worker", "registry.gitlab.com/group/sub/shop/worker")
    assert not same_image("%gitlab-registry%/%gitlab-project-path%/worker", "registry.gitlab.com/shop/worker")
    # the repository's settings (`${{ secrets.DOCKERHUB_USERNAME }}/app`): the parts before the image's own name
    assert same_image("%ci-setting%/shop-worker", "acme/shop-worker:2") and \
        same_image("%ci-setting%/shop-worker", "registry.example.com/team/shop-worker")
    assert not same_image("acme/%ci-setting%", "acme/shop-worker") and not same_image("%ci-setting%", "acme/x")
    # a project's full path may hold subgroups: `group/shop/worker` may be a project of `group/shop`'s
    assert same_image("%gitlab-registry%/%gitlab-project-path%", "registry.gitlab.com/group/shop/worker")
    assert not same_image("%gitlab-registry%/%gitlab-project-path%", "registry.gitlab.com/shop")
    # within a part: the region of an Artifact Registry host, a name written after the repository's
    assert same_image("%gcp-location%-docker.pkg.dev/%gcp-project%/apps/w", "europe-west1-docker.pkg.dev/p/apps/w")
    assert same_image("ghcr.io/%github-repository%-worker", "ghcr.io/acme/shop-worker")
    assert not same_image("ghcr.io/%github-repository%-worker", "ghcr.io/acme/shop")


def test_markers_of_several_parts_match_in_linear_time(tmp_path):
    """A hostile pipeline tagging `$CI_REGISTRY/$CI_PROJECT_NAMESPACE/.../app` (or `${{ secrets.A }}/${{ secrets.B
    }}/...`) and a manifest running an image of many parts that is not it: each marker may be one or more parts,
    and the regular expression they made tried every way of sharing the reference's parts among them (13
    markers and 26 parts: seconds; 16 and 32 parts: hueylint ran for hours). Matched part by part now; a
    reference longer than Docker's 255 characters names nothing built."""
    import time

    from hueylint.platforms.docker import same_image

    started = time.perf_counter()
    name = "/".join(["%ci-setting%"] * 13) + "/app"
    assert not same_image(name, "/".join(["x"] * 26) + "/zzz")
    assert same_image(name, "/".join(["x"] * 26) + "/app")
    assert not same_image(name, "/".join(["x"] * 12) + "/app")  # each marker is one part at least
    assert not same_image("%gitlab-registry%/" + "/".join(["%gitlab-namespace%"] * 16) + "/app",
                          "r/" + "/".join(["x"] * 32) + "/zzz")
    assert not same_image("%ci-setting%/app", "x" * 300 + "/app")  # Docker refuses the name
    assert time.perf_counter() - started < 1
    # a whole repository: the manifest's image is compared with the pipeline's (not built here: SIGTERM assumed)
    tree = {".gitlab-ci.yml": "build:\n  script:\n    - docker build -t $CI_REGISTRY/"
            + "/".join(["$CI_PROJECT_NAMESPACE"] * 16) + "/app:1 .\n",
            "Dockerfile": "FROM python:3.12\nCMD [\"huey_consumer\", \"app.huey\"]\n", "other/Dockerfile": "FROM python:3.12\n",
            "app.py": "from huey import RedisHuey\nhuey = RedisHuey()\n",
            "worker.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - {name: w, image: " + "/".join(["x"] * 32) + "/zzz, command: [huey_consumer, app.huey]}\n"}
    write_tree(tmp_path, tree)
    started = time.perf_counter()
    ws, _project, _ = build_project([tmp_path], Settings(root=tmp_path))
    from hueylint.platforms.buildscripts import _script_built_images

    assert [s.name for s in _script_built_images(ws)] == [
        "%gitlab-registry%/" + "/".join(["%gitlab-namespace%"] * 16) + "/app"]
    assert script_built_images(ws) == []  # (only a group, which the repository does not give: unknown)
    assert "HL101" in [f.rule for f in lint(tmp_path).findings]
    assert time.perf_counter() - started < 20


def test_gitlab_ci_files_a_pipeline_includes(tmp_path):
    """GitLab pipelines are often split into files the root `.gitlab-ci.yml` includes (`local:`, a path, a
    glob); another project's file, a template or a remote one is not in this repository."""
    root = ("include:\n  - local: .gitlab/ci/images.yml\n  - '/.gitlab/ci/more/*.yml'\n"
            "  - project: other/group\n    file: build.yml\n  - remote: https://example.com/ci.yml\n"
            "  - template: Docker.gitlab-ci.yml\nstages: [build]\n")
    images_yml = "worker:\n  script:\n    - docker build -t $CI_REGISTRY_IMAGE/worker -f docker/api/Dockerfile .\n"
    more = "cli:\n  script: [\"docker build -t $CI_REGISTRY_IMAGE/cli .\"]\n"
    assert images(tmp_path, {".gitlab-ci.yml": root, ".gitlab/ci/images.yml": images_yml,
                             ".gitlab/ci/more/cli.yml": more, ".gitlab/ci/unused.yml": more.replace("cli", "x")}) == [
        ("%gitlab-registry%/%gitlab-project-path%/worker", "docker/api/Dockerfile", "", None,
         ".gitlab/ci/images.yml", 3),
        ("%gitlab-registry%/%gitlab-project-path%/cli", "Dockerfile", "", None, ".gitlab/ci/more/cli.yml", 2)]


def test_a_workflow_run_step_reads_the_env_it_runs_with(tmp_path):
    """`env:` (the workflow's, the job's, the step's) are the step shell's variables: `IMAGE:
    ghcr.io/${{ github.repository }}/worker`, then `docker build -t "$IMAGE:$GITHUB_SHA"` (the tag unknown, the
    name known); a secret before the image's own name is the account's parts; a variable the workflow does not
    set stays unknown."""
    workflow = """env:
  IMAGE: ghcr.io/${{ github.repository }}/worker
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      API: acme/api
    steps:
      - run: |
          docker build -t "$IMAGE:$GITHUB_SHA" -f docker/api/Dockerfile .
      - working-directory: docker/api
        env:
          TOKEN: ${{ secrets.TOKEN }}
        run: docker build -t "${API}:1" . && docker build -t "$TOKEN/x" . && docker build -t "$UNSET/y" .
"""
    assert images(tmp_path, {".github/workflows/build.yml": workflow}) == [
        ("ghcr.io/%github-repository%/worker", "docker/api/Dockerfile", "", None, ".github/workflows/build.yml", 9),
        ("acme/api", "docker/api/Dockerfile", "docker/api", None, ".github/workflows/build.yml", 14),
        ("%ci-setting%/x", "docker/api/Dockerfile", "docker/api", None, ".github/workflows/build.yml", 14)]


def test_google_cloud_build_steps(tmp_path):
    """A Cloud Build configuration's docker builder steps (`args`, `dir` below the source root), kaniko's,
    (`/workspace`, where the source is, is the repository's root) and a `bash -c` script (`$$` is a literal `$`:
    a shell variable there); `$PROJECT_ID`/`${LOCATION}` are what the build runs for (markers), the file's own
    `substitutions:` give their defaults, `$SHORT_SHA` stays unknown (a tag)."""
    config = """substitutions:
  _SERVICE: worker
steps:
  - name: gcr.io/cloud-builders/docker
    args: ["build", "-t", "gcr.io/$PROJECT_ID/${_SERVICE}:$SHORT_SHA", "-f", "docker/api/Dockerfile", "."]
  - name: gcr.io/cloud-builders/docker
    dir: docker/api
    args: ["build", "-t", "${LOCATION}-docker.pkg.dev/$PROJECT_ID/apps/api", "."]
  - name: gcr.io/kaniko-project/executor:latest
    args: ["--destination=gcr.io/$PROJECT_ID/cli", "--context=dir:///workspace", "--dockerfile=Dockerfile"]
  - name: gcr.io/cloud-builders/gcloud
    entrypoint: bash
    args: ["-c", "docker build -t gcr.io/$$PROJECT_ID/raw . && gcloud run deploy"]
  - name: gcr.io/cloud-builders/docker
    args: ["push", "gcr.io/$PROJECT_ID/worker"]
"""
    assert images(tmp_path, {"deploy/cloudbuild.yaml": config}) == [
        ("gcr.io/%gcp-project%/worker", "docker/api/Dockerfile", "", None, "deploy/cloudbuild.yaml", 4),
        ("%gcp-location%-docker.pkg.dev/%gcp-project%/apps/api", "docker/api/Dockerfile", "docker/api", None,
         "deploy/cloudbuild.yaml", 6),
        ("gcr.io/%gcp-project%/cli", "Dockerfile", "", None, "deploy/cloudbuild.yaml", 9)]


def test_a_cloud_build_image_links_a_kubernetes_container():
    from hueylint.platforms.docker import same_image

    assert same_image("gcr.io/%gcp-project%/worker", "gcr.io/acme-prod-123/worker:v4")
    assert same_image("%gcp-location%-docker.pkg.dev/%gcp-project%/apps/api", "europe-west1-docker.pkg.dev/p/apps/api")
    assert not same_image("gcr.io/%gcp-project%/worker", "gcr.io/worker")


def test_githubs_amazon_ecr_workflow_names_the_registry_it_logs_in_to(tmp_path):
    """GitHub's "Deploying to Amazon Elastic Container Service" workflow: the registry is the output of the
    amazon-ecr-login step, given to the build step's shell through its `env:`."""
    workflow = """env:
  ECR_REPOSITORY: shop-worker
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - name: Login to Amazon ECR
        id: login-ecr
        uses: aws-actions/amazon-ecr-login@v2
      - name: Build, tag, and push image to Amazon ECR
        env:
          ECR_REGISTRY: ${{ steps.login-ecr.outputs.registry }}
          IMAGE_TAG: ${{ github.sha }}
        run: |
          docker build -t $ECR_REGISTRY/$ECR_REPOSITORY:$IMAGE_TAG -f docker/api/Dockerfile .
"""
    assert images(tmp_path, {".github/workflows/aws.yml": workflow}) == [
        ("%ecr-registry%/shop-worker", "docker/api/Dockerfile", "", None, ".github/workflows/aws.yml", 14)]
    from hueylint.platforms.docker import same_image

    assert same_image("%ecr-registry%/shop-worker", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-worker:1")
    assert not same_image("%ecr-registry%/shop-worker", "ghcr.io/acme/shop-worker")


def test_a_manifest_and_a_compose_file_name_the_image_with_the_ci_variables_of_its_build(tmp_path):
    """A GitLab pipeline builds `$CI_REGISTRY_IMAGE/worker` and applies `envsubst < k8s/worker.yaml`, whose image
    is written with the same variables; so does a compose file (`${CI_REGISTRY_IMAGE}/worker:${TAG:-latest}`).
    Both run the image the pipeline builds; a manifest image with another variable in its name stays unknown."""
    from tests.helpers import triples

    write_tree(tmp_path, {
        ".gitlab-ci.yml": "build:\n  script:\n    - docker build -t $CI_REGISTRY_IMAGE/worker:$CI_COMMIT_SHA "
                          "-f docker/Dockerfile .\n",
        "docker/Dockerfile": "FROM python:3.12\nUSER app\nCMD [\"huey_consumer\", \"app.huey\"]\n",
        "docker/web.Dockerfile": "FROM python:3.12\nCMD [\"gunicorn\", \"app.wsgi\"]\n",
        "k8s/worker.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: worker}\nspec:\n  template:\n"
                           "    spec:\n      containers:\n        - name: worker\n"
                           "          image: $CI_REGISTRY_IMAGE/worker:$CI_COMMIT_SHA\n"
                           "        - name: other\n          image: $REGISTRY/worker:1\n",
        "compose.yaml": "services:\n  worker:\n    image: ${CI_REGISTRY_IMAGE}/worker:${TAG:-latest}\n"
                        "    restart: always\n    stop_signal: SIGINT\n    stop_grace_period: 60s\n",
    })
    result = lint(tmp_path)
    assert sorted((launch.platform, launch.name) for launch in result.project.launches) == [
        ("compose", "worker"), ("kubernetes", "deployment/worker/worker")]
    assert triples(result, "HL101") == [("HL101", "k8s/worker.yaml", 8)]
def test_a_line_of_many_executor_words_is_read_in_linear_time(tmp_path):
    """kaniko's `executor` is recognised by an option after it on its line; a lookahead from each `executor`
    read the rest of the line again for every one (a hostile `.gitlab-ci.yml` script line of 40,000 words: 7 s,
    200,000 in a 2 MiB file: minutes). The first `executor` of a line decides it now."""
    import time

    from hueylint.platforms.buildscripts import images_in, kaniko_search

    started = time.perf_counter()
    assert kaniko_search("executor " * 100_000) is None
    assert kaniko_search("executor " * 100_000 + "--destination x") is not None
    assert kaniko_search("executor\n--destination x") is None and kaniko_search("my-executor --context .") is None
    assert time.perf_counter() - started < 1
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.12\n",
                          ".gitlab-ci.yml": "b:\n  script:\n    - " + "executor " * 100_000 + "\n"
                          "    - /kaniko/executor --context . --destination $CI_REGISTRY_IMAGE/w\n"})
    ws, _project, _ = build_project([tmp_path], Settings(root=tmp_path))
    started = time.perf_counter()
    assert [(s.name, s.dockerfile) for s in script_built_images(ws)] == [
        ("%gitlab-registry%/%gitlab-project-path%/w", "Dockerfile")]
    assert images_in(ws, "x.sh", "executor " * 100_000, False) == []
    assert time.perf_counter() - started < 5


def test_a_docker_official_image_of_the_projects_last_name_is_not_its_build(tmp_path):
    """A GitLab project `acme/redis` pushes `$CI_REGISTRY_IMAGE` (`registry.gitlab.com/acme/redis`); its compose
    file also runs `docker.io/library/redis:7`. The marker for the registry host matched `docker.io` and the
    namespace `library`, so the redis service was taken to run the project's consumer image (HL102 on it, and
    HL105 naming it). A GitLab registry is a host (a dot, a port, localhost), never Docker Hub's; a Docker
    Official Image is no repository's own build."""
    from hueylint.platforms.docker import same_image

    assert not same_image("%gitlab-registry%/%gitlab-project-path%", "docker.io/library/redis")
    assert not same_image("%gitlab-registry%/%gitlab-project-path%", "docker.io/acme/redis")
    assert not same_image("%gitlab-registry%/%gitlab-project-path%", "acme/shop/redis")  # no host: Docker Hub
    assert same_image("%gitlab-registry%/%gitlab-project-path%", "localhost:5000/acme/redis")
    assert same_image("%gitlab-registry%/%gitlab-project-path%", "gitlab.example.com:5050/acme/redis")
    assert not same_image("%ci-setting%/redis", "library/redis") and same_image("%ci-setting%/redis", "acme/redis")
    write_tree(tmp_path, {
        ".gitlab-ci.yml": "build:\n  script:\n    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .\n",
        "Dockerfile": 'FROM python:3.12\nSTOPSIGNAL SIGINT\nCMD ["huey_consumer", "app.huey", "-w", "2"]\n',
        "other/Dockerfile": "FROM nginx\n", "app.py": 'from huey import RedisHuey\nhuey = RedisHuey(host="redis")\n',
        "docker-compose.yml": "services:\n  worker:\n    image: registry.gitlab.com/acme/redis:latest\n"
                              "    restart: unless-stopped\n    stop_grace_period: 60s\n"
                              "  redis:\n    image: docker.io/library/redis:7\n    restart: unless-stopped\n"})
    assert sorted((f.rule, f.loc.path, f.loc.line) for f in lint(tmp_path).findings) == [
        ("HL104", "Dockerfile", 3), ("HL105", "app.py", 2), ("HL402", "app.py", 2), ("HL701", "docker-compose.yml", 2)]


def test_steps_after_a_checkout_of_another_repository_build_that_repository(tmp_path):
    """A job that checks out another repository (`actions/checkout` with `repository: ${{ github.repository_owner
    }}/other`) into the workspace's root and runs `docker build -t ghcr.io/${{ github.repository_owner }}/other .`
    builds that repository's Dockerfile: the compose service running `ghcr.io/acme/other` was linked to this
    repository's consumer image (HL101, HL102 on it: false). Steps after such a checkout are not this repository's
    builds; a checkout into a folder, or of this repository again, leaves the root this repository's."""
    workflow = """on: push
jobs:
  other:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {repository: "${{ github.repository_owner }}/other"}
      - run: docker build -t ghcr.io/${{ github.repository_owner }}/other:latest .
      - run: docker build -t acme/plain-other .
      - uses: docker/build-push-action@v6
        with: {tags: acme/action-other}
      - uses: actions/checkout@v4
      - run: docker build -t acme/own .
  beside:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@v4
        with: {repository: acme/tools, path: tools}
      - run: docker build -t acme/own-too .
      - uses: actions/checkout@v4
        with: {repository: "${{ github.repository }}"}
      - run: docker build -t acme/own-three .
"""
    assert [found[0] for found in images(tmp_path, {".github/workflows/other.yml": workflow})] == [
        "acme/own", "acme/own-too", "acme/own-three"]


def test_a_ci_file_read_for_images_that_is_no_yaml_gets_a_notice_not_hl001(tmp_path):
    """A Cloud Build configuration, a GitLab (or other) CI file, a workflow or a Woodpecker pipeline whose YAML is
    broken: the CI service refuses it, so it is no HL001 (no deployment file hueylint judges), but the images its
    steps build are not known (or read from its lines only): a notice says so, once per file.  A broken file
    read for nothing (a workflow that builds no image) is not named."""
    broken_flow = "    args: [build, -t, gcr.io/$PROJECT_ID/worker, .\n  - name: other\n"
    write_tree(tmp_path, {
        "Dockerfile": DOCKERFILE,
        "cloudbuild.yaml": "steps:\n  - name: gcr.io/cloud-builders/docker\n" + broken_flow,
        ".gitlab-ci.yml": "build:\n  script:\n    - docker build -t $CI_REGISTRY_IMAGE/worker .\n  tags: [a: b: c]\n",
        ".github/workflows/push.yml": "on: push\njobs:\n  b:\n    steps:\n      - run: docker build -t acme/w .\n"
                                     "      - uses: docker/build-push-action@v6\n        with: {tags: acme/x\n",
        ".github/workflows/lint.yml": "on: push\njobs:\n  l:\n    steps:\n      - uses: x/y@v1\n\tbroken\n",
        ".woodpecker.yml": "steps:\n  - image: plugins/docker\n    settings: {repo: acme/w\n",
    })
    ws, _project, _ = build_project([tmp_path], Settings(root=tmp_path))
    script_built_images(ws)
    said = sorted((n.rel, n.reason) for n in ws.notices if "YAML" in n.reason)
    lines = ("only its lines are read, one by one, for the images its commands build (not what its YAML says: "
             "action and plugin steps, `include:` files, a command folded over lines)")
    assert said == [
        (".github/workflows/push.yml", "line 8: invalid YAML: while parsing a flow mapping: expected ',' or '}', "
                                       f"but got '<stream end>': {lines}"),
        (".gitlab-ci.yml", "line 4: invalid YAML: while parsing a flow sequence: expected ',' or ']', but got ':': "
                           f"{lines}"),
        (".woodpecker.yml", "line 4: invalid YAML: while parsing a flow mapping: expected ',' or '}', but got "
                            "'<stream end>': not read, the images its steps build are unknown"),
        ("cloudbuild.yaml", "line 4: invalid YAML: while parsing a flow sequence: expected ',' or ']', but got "
                            "':': not read, the images its steps build are unknown")]
    # the lines of the GitLab file and the workflow are still read; no HL001 for any of them
    assert sorted(s.name for s in script_built_images(ws)) == ["%gitlab-registry%/%gitlab-project-path%/worker",
                                                               "acme/w"]
    assert [f for f in lint(tmp_path).findings if f.rule == "HL001"] == []


def test_an_image_index_finds_the_first_source_in_order_among_named_and_marker_buckets():
    """compose.ImageIndex keeps one bucket per last part of the name and one of names with markers (their last
    part may be anything); the first source in the order given that builds the image wins, whichever bucket it is
    in, and a bucket is never sorted per lookup (the two are merged as read)."""
    from hueylint.locations import Loc
    from hueylint.platforms.compose import ImageIndex
    from hueylint.platforms.docker import ImageSource

    def source(name, line):
        return ImageSource("Dockerfile", None, "", Loc("build.sh", line, 1, line, 2), name)

    marked, plain, other, later = (source("ghcr.io/%github-repository%/w", 1), source("ghcr.io/acme/shop/w", 2),
                                   source("acme/x", 3), source("ghcr.io/%github-repository%", 4))
    assert ImageIndex([marked, plain, other, later]).find("ghcr.io/acme/shop/w:1") is marked
    assert ImageIndex([plain, marked, other, later]).find("ghcr.io/acme/shop/w:1") is plain
    assert ImageIndex([other, later, plain]).find("ghcr.io/acme/shop:2") is later
    assert ImageIndex([other, later, plain]).find("ghcr.io/acme/x") is other
    assert ImageIndex([other]).find("ghcr.io/acme/y") is None


def test_an_account_marker_stands_for_one_account_the_repository_must_give(tmp_path):
    """`${{ github.repository_owner }}/redis` is the image `redis` of one account, the repository's owner, which a
    clone does not know: not any account's `redis` (`bitnami/redis`). Nor are `$CI_PROJECT_NAMESPACE/cli`, a
    setting's `${{ secrets.HUB_USER }}/worker` or Cloud Build's `gcr.io/$PROJECT_ID/worker`. The account is
    put in when the repository gives it: the repository its project metadata names as its own (which also fixes
    `github.repository` and `github.event.repository.name`), the accounts of the images it builds under names
    written out; else the name is unknown. A name holding the repository's own name keeps matching any
    repository when nothing says which."""
    workflow = """jobs:
  push:
    runs-on: ubuntu-latest
    steps:
      - run: docker build -t ${{ github.repository_owner }}/redis -f docker/api/Dockerfile .
      - uses: docker/build-push-action@v6
        with: {tags: "${{ secrets.HUB_USER }}/worker:latest"}
      - run: docker build -t ghcr.io/${{ github.repository_owner }}/${{ github.event.repository.name }}/api .
"""
    gitlab = "b:\n  script:\n    - docker build -t $CI_REGISTRY/$CI_PROJECT_NAMESPACE/cli .\n"
    cloud = "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: [build, -t, gcr.io/$PROJECT_ID/w, .]\n"
    files = {".github/workflows/push.yml": workflow, ".gitlab-ci.yml": gitlab, "cloudbuild.yaml": cloud}
    assert [name for name, *_ in images(tmp_path, files, evidenced=True)] == [
        "ghcr.io/%github-owner%/%github-name%/api"]
    # the project's metadata names its repository; a script builds an image of another account, written out
    files |= {"pyproject.toml": '[project]\nname = "shop"\n[project.urls]\nSource = "https://github.com/Acme/shop"\n',
              "bin/release.sh": "#!/bin/sh\ndocker build -t quay.io/acme-bots/helper .\n"}
    assert sorted(name for name, *_ in images(tmp_path, files, evidenced=True)) == [
        "%gitlab-registry%/acme-bots/cli", "%gitlab-registry%/acme/cli", "acme-bots/worker", "acme/redis",
        "acme/worker", "gcr.io/acme-bots/w", "gcr.io/acme/w", "ghcr.io/acme/shop/api", "quay.io/acme-bots/helper"]
    # (the owner is the one the metadata names: `acme/redis` only; any account it gives for the others)


def test_a_compose_service_running_another_accounts_image_of_the_same_name_is_not_the_ci_build(tmp_path):
    """A workflow builds the consumer image as `${{ github.repository_owner }}/worker`; the compose file runs
    `someone/worker` (not this repository's account, which nothing names): before, the service was taken to run
    the consumer's image (HL101, HL102 on it). Now it runs an image not built here; with the repository named in
    its metadata as someone's, it is that build."""
    from tests.helpers import triples

    tree = {
        "Dockerfile": "FROM python:3.12\nCOPY . /app\nCMD [\"huey_consumer\", \"app.huey\"]\n",
        "app.py": "from huey import RedisHuey\nhuey = RedisHuey()\n",
        ".github/workflows/push.yml": "jobs:\n  b:\n    steps:\n"
                                     "      - run: docker build -t ${{ github.repository_owner }}/worker .\n",
        "compose.yaml": "services:\n  worker:\n    image: someone/worker:1\n    restart: always\n",
    }
    write_tree(tmp_path, tree)
    assert [launch.platform for launch in lint(tmp_path).project.launches] == ["docker"]
    write_tree(tmp_path, {"setup.py": 'from setuptools import setup\nsetup(url="https://github.com/someone/shop")\n'})
    result = lint(tmp_path)
    assert sorted(launch.platform for launch in result.project.launches) == ["compose"]
    assert triples(result, "HL101") != []


def test_publiccode_yml_names_the_repository(tmp_path):
    """publiccode.yml's `url` is the repository's own (field test intuitem/ciso-assistant-community, whose
    `ghcr.io/${{ github.repository }}/backend` also matched its enterprise edition's compose image); its other
    URLs (a logo, a landing page) are not."""
    workflow = "jobs:\n  b:\n    steps:\n      - run: docker build -t ghcr.io/${{ github.repository }}/backend .\n"
    publiccode = ("publiccodeYmlVersion: '0.4'\nname: shop\nurl: https://github.com/acme/shop-community\n"
                  "landingURL: https://github.com/acme/other\n")
    assert images(tmp_path, {".github/workflows/b.yml": workflow, "publiccode.yml": publiccode}, evidenced=True) == [
        ("ghcr.io/acme/shop-community/backend", "Dockerfile", "", None, ".github/workflows/b.yml", 4)]


def test_a_dependency_named_by_its_repository_is_not_the_repositorys_own():
    from hueylint.platforms.repository_images import declared_identity

    pyproject = ('[project]\nname = "shop"\ndependencies = ["lib @ git+https://github.com/other/lib.git"]\n'
                 '[project.urls]\nSource = "https://github.com/Acme/shop"\nIssues = "https://github.com/acme/shop/issues"\n'
                 '[tool.poetry.dependencies]\nx = { git = "https://github.com/other/x.git" }\n'
                 'y = { url = "https://github.com/other/y/archive/v1.tar.gz" }\n')
    package = ('{\n  "repository": {\n    "type": "git",\n    "url": "git+https://github.com/acme/web.git"\n  },\n'
               '  "dependencies": {\n    "z": "github:other/z",\n    "w": "git+https://github.com/other/w.git"\n  }\n}\n')
    assert declared_identity([pyproject]) == (frozenset({("acme", "shop")}), frozenset())
    assert declared_identity([package]) == (frozenset({("acme", "web")}), frozenset())  # (npm's own git+ URL)


def test_package_json_names_its_repository_in_every_npm_form():
    """npm's `repository` as JSON: an object on one line (`{"type": "git", "url": "git+https://..."}`: a reading
    line by line left the line out, its git+ URL being a dependency's form), the shorthands `acme/web`,
    `github:acme/web`, `gitlab:group/web` (never read: no github.com in them); a dependency's never."""
    from hueylint.platforms.repository_images import declared_identity, package_repository

    def identity(text: str) -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
        return declared_identity(package_repository(text))

    acme = (frozenset({("acme", "web")}), frozenset())
    assert identity('{"name": "web", "repository": {"type": "git", "url": "git+https://github.com/acme/web.git"}}') == acme
    assert identity('{"repository": "git://github.com/acme/web.git"}') == acme
    assert identity('{"repository": "acme/web"}') == acme
    assert identity('{"repository": "github:Acme/web"}') == acme
    assert identity('{"repository": "gitlab:group/sub/web"}') == (frozenset(), frozenset({"group/sub/web"}))
    for text in ('{"repository": "bitbucket:acme/web"}', '{"dependencies": {"x": "github:acme/web"}}', "[1]",
                 '{"repository": 5}', '{"repository": {"url": ["x"]}}', "[" * 100000 + "]" * 100000, "not json"):
        assert identity(text) == (frozenset(), frozenset()), text[:40]


def test_a_setting_before_an_account_written_out_is_the_registry():
    """`${{ secrets.REGISTRY }}/acme/worker`: the account is written, the setting is where the image is pushed (a
    registry): matched as before, any registry; `${{ secrets.HUB_USER }}/worker` needs an account the repository
    gives."""
    from hueylint.platforms.docker import same_image
    from hueylint.platforms.repository_images import Identity, evidenced

    assert evidenced("%ci-setting%/acme/worker", Identity()) == ["%ci-setting%/acme/worker"]
    assert same_image("%ci-setting%/acme/worker", "registry.example.com/acme/worker:1")
    assert evidenced("%ci-setting%/worker", Identity()) == []
    assert evidenced("%ci-setting%/%ci-setting%/worker", Identity()) == []
    assert evidenced("%ci-setting%/worker", Identity(accounts=frozenset({"acme"}))) == ["acme/worker"]


def test_cloud_builds_project_is_the_one_the_repositorys_scripts_submit_to(tmp_path):
    """`$PROJECT_ID` is the project a Cloud Build build runs in: `gcloud builds submit --project acme-prod` (or
    after `gcloud config set project acme-prod`) in a repository script says which; without it, unknown."""
    cloud = "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: [build, -t, gcr.io/$PROJECT_ID/w, .]\n"
    assert images(tmp_path, {"cloudbuild.yaml": cloud}, evidenced=True) == []
    script = "#!/bin/sh\ngcloud config set project acme-prod\ngcloud builds submit --config cloudbuild.yaml .\n"
    assert images(tmp_path, {"cloudbuild.yaml": cloud, "deploy.sh": script}, evidenced=True) == [
        ("gcr.io/acme-prod/w", "Dockerfile", "", None, "cloudbuild.yaml", 2)]
    script = "#!/bin/sh\ngcloud builds submit --project=$PROJECT --config cloudbuild.yaml .\n"
    assert images(tmp_path, {"cloudbuild.yaml": cloud, "deploy.sh": script}, evidenced=True) == []
