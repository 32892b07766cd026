"""Images the repository's own build scripts tag: ``docker build -f docker/api/Dockerfile -t org/app .``.

A compose file or a Kubernetes manifest often runs an image that no compose ``build:`` or skaffold
artifact builds, but a script of the repository does (``bin/build-image``, a ``Makefile`` target,
``scripts/release.sh``).  Docker's own rules say which Dockerfile that is: ``-f/--file`` (relative to the
directory the command runs in), else ``Dockerfile`` in the build context (the last positional argument),
and ``--target`` picks the stage.  The directory a script runs in is not known; scripts of this kind
run from the repository root (``"${ROOT}/docker/api/Dockerfile"``, ``-f Dockerfile .``), so a path is
taken below the root first, then below the script's folder, after dropping a leading variable
(``$ROOT/``, ``${PWD}/``, ``$(CURDIR)/``).  An image name or a path still holding a variable after
that is unknown and not used.  Makefile variables assigned plainly (``IMAGE = org/app``) are expanded.

GitHub Actions workflows (``.github/workflows/*.yml``) build images too: their ``run:`` lines are read like
a script (a job runs in the repository's root), and a ``docker/build-push-action`` step is read from its
inputs as the action documents them: ``context`` (default: the repository), ``file`` (a path from the
repository root; default ``{context}/Dockerfile``), ``target``, and ``tags`` (a list, one per line or
comma-separated), also when ``tags`` is the output of a ``docker/metadata-action`` step, whose ``images``
input names the image.  The expressions of a job run are filled in as the runner fills them
(``hueylint/platforms/workflow_contexts.py``): a step of a job with a ``strategy.matrix`` is read once per
matrix combination (``file: ${{ matrix.dockerfile }}``), ``needs.<job>.outputs.<name>`` and ``env.<NAME>`` take their
literal values, and a reusable workflow's ``inputs.<name>`` the values each job calling it gives.  Any other expression (``${{ github.repository }}``) in the context, the file or
the image name is unknown and the step is not used for that run.

The CI files of other services (``.gitlab-ci.yml`` and the repository files its ``include:`` adds,
CircleCI's, Bitbucket's, Azure's, a ``Jenkinsfile``, ``.travis.yml``: :data:`hueylint.platforms.runners.CI_FILES`)
are read like a script run in the repository's root, where their jobs start.  kaniko's ``executor`` (``--dockerfile``, ``--context``,
``--destination``, ``--target``) builds as ``docker build`` does.  A name spelled with the CI's variables for
the repository itself (``$CI_REGISTRY_IMAGE/worker``, ``ghcr.io/${{ github.repository }}``) is matched as what
those stand for (:mod:`hueylint.platforms.repository_images`).

Docker Buildx Bake files' targets are read by :mod:`hueylint.platforms.bake`.  An image named after the
repository itself (``ghcr.io/acme/shop`` in a clone whose ``.git/config`` origin is ``github.com/acme/shop``)
that no file tags is built by its one production Dockerfile (:func:`repository_image`).

Read: shell scripts (``*.sh`` and executable scripts with a ``#!`` line in ``bin/``, ``scripts/``,
``tools/``, ``ci/``), Makefiles, GitHub Actions workflows, the CI files above, bake files and ``.git/config``
(as text).  Nothing runs.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from pathlib import Path

from hueylint.chain import CHDIR_COMMANDS
from hueylint.discovery import Notice, rel_path
from hueylint.locations import Loc
from hueylint.parsers.yamldocs import Doc, YamlError, load_text, yaml_store
from hueylint.platforms.bake import bake_images
from hueylint.platforms.docker import ImageSource, image_key, named_for_development
from hueylint.platforms.repository_images import (
    CHECKOUT_VARIABLES,
    Identity,
    account_of,
    declared_identity,
    evidenced,
    has_markers,
    names_repository,
    origin_repository,
    package_repository,
    spelled,
    submitted_projects,
)
from hueylint.platforms.runners import CI_FILES, runner_files
from hueylint.platforms.workflow_contexts import JobContext, action_of, caller_inputs, fill, job_contexts, step_context
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile
from hueylint.words import clipped, shell_words
from hueylint.workspace import Workspace, leads_outside

_SCRIPT_FOLDERS = frozenset({"bin", "scripts", "script", "tools", "ci", "build"})
_MAKEFILES = frozenset({"makefile", "gnumakefile"})
_BUILD = lazy_pattern(r"\b(?:docker|podman)(?:\s+buildx)?\s+build\b")
#: kaniko's ``executor`` (GitLab's documented way to build without a Docker daemon), named by path or with one of
#: the options that say what it builds
_KANIKO_SAYS = ("destination", "dockerfile", "context")
_KANIKO_WORD = lazy_pattern(r"(?:/kaniko/executor|(?<![\w/.-])executor)\b")
_KANIKO_OPTION = lazy_pattern(r"--(?:" + "|".join(_KANIKO_SAYS) + r")\b")


def kaniko_search(text: str) -> re.Match[str] | None:
    """The first ``executor`` of ``text`` followed on its line by one of the options (the first of a line is
    enough: a later one has fewer words after it).  Not one lookahead per ``executor`` (a line of many was
    read again from each: quadratic)."""
    position = 0
    while (match := _KANIKO_WORD.search(text, position)) is not None:
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        if _KANIKO_OPTION.search(text, match.end(), end) is not None:
            return match
        position = end + 1
    return None


#: kaniko's options (``executor --help``): the Dockerfile, the build context (a folder, maybe ``dir://``), the image
#: pushed (one per ``--destination``), the stage
_KANIKO_OPTIONS = {"--dockerfile": "-f", "-f": "-f", "--context": "", "-c": "", "--destination": "-t", "-d": "-t",
                   "--target": "--target"}
_VALUED = frozenset({"--build-arg", "--platform", "--label", "--secret", "--ssh", "--cache-from", "--cache-to",
                     "-o", "--output", "--network", "--progress", "--iidfile", "--add-host", "--build-context",
                     "--shm-size", "-m", "--memory", "--builder", "--metadata-file", "--ulimit", "--cgroup-parent",
                     "--isolation", "--annotation", "--attest", "--provenance", "--sbom", "--allow"})
#: a ``cd DIR`` (``pushd DIR``) before a command on its line: ``cd backend && docker build ...``
_CD_BEFORE = lazy_pattern(r"(?:^|&&|;|\|\||\()\s*(?:cd|pushd)\s+((?:\"[^\"]*\"|'[^']*'|[^\s;&|()])+)")
_LEADING_VAR = lazy_pattern(r"^(?:\$\{?\w+\}?|\$\(\w+\)|\$\(pwd\)|\$\(CURDIR\))/")
_ROOT_VAR = lazy_pattern(r"^(?:\$\{?(?:\w*ROOT\w*|PWD|" + "|".join(CHECKOUT_VARIABLES)
                         + r")\}?|\$\(pwd\)|\$\(CURDIR\)|\$\{\{\s*github\.workspace\s*\}\})$")
_MAKE_ASSIGN = lazy_pattern(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?::=|::=|\?=|=)\s*(.*?)\s*$")
_MAKE_REF = lazy_pattern(r"\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]")


def script_built_images(ws: Workspace) -> list[ImageSource]:
    """Every image a build script of the repository tags, with its Dockerfile (read once per run); a name spelled
    with the CI's markers has the values the repository gives them (:func:`_evidenced`)."""
    return ws.memo(("script-built-images",), lambda: _evidenced(ws, _script_built_images(ws)))


#: the files of a project's metadata at the repository's root that name its repository (their URLs)
_METADATA = ("pyproject.toml", "setup.cfg", "setup.py", "package.json")
#: publiccode.yml's ``url``: "the URL of the source code repository" (its other keys name other sites)
_PUBLICCODE_URL = lazy_pattern(r"^url:[ \t]*(\S+)", re.M)


def _evidenced(ws: Workspace, found: list[ImageSource]) -> list[ImageSource]:
    """``found`` with each name holding markers replaced by the names it may be given what the repository says it
    is (:func:`hueylint.platforms.repository_images.evidenced`): the repository its root's project metadata names
    (``[project.urls]``, ``url=``, ``repository``, publiccode.yml's ``url``), the accounts of the images it builds under names written out,
    the Google Cloud project its scripts submit Cloud Build builds to.
    A name whose only unknown is an account none of these gives is left out (which image it is is not known)."""
    if not any(has_markers(source.name) for source in found):
        return found
    texts = [src.text for src in (ws.file(rel) for rel in _METADATA if ws.exists(rel)) if src is not None]
    publiccode = ws.file("publiccode.yml") if ws.exists("publiccode.yml") else None
    texts += _PUBLICCODE_URL.findall(publiccode.text) if publiccode is not None else []
    package = ws.file("package.json") if ws.exists("package.json") else None
    texts += package_repository(package.text) if package is not None else []
    github, gitlab = declared_identity(texts)
    accounts = {account for account in (account_of(source.name.lower()) for source in found) if account}
    accounts |= {owner for owner, _ in github} | {path.rsplit("/", 1)[0] for path in gitlab}
    submits = [src.text for src in runner_files(ws, lambda text: "gcloud" in text and "builds submit" in text)] \
        if any("%gcp-project%" in source.name for source in found) else []
    identity = Identity(github, gitlab, frozenset(accounts), submitted_projects(submits))
    evidenced_found: list[ImageSource] = []
    seen: set[tuple[str, str, str | None, str]] = set()
    for source in found:
        names = evidenced(source.name.lower(), identity) if has_markers(source.name) else [source.name]
        evidenced_found += [built for built in (replace(source, name=name) for name in names) if _new(built, seen)]
    return evidenced_found


def _script_built_images(ws: Workspace) -> list[ImageSource]:
    from hueylint.platforms.cloudbuild import cloud_build_images  # (it reads its steps with this module's readers)

    found: list[ImageSource] = []
    seen: set[tuple[str, str, str | None, str]] = set()  # the builds found (_new)
    workflows = _workflows(ws)
    parsed: list[tuple[str, dict]] | None = None  # every workflow's mapping, read once when one is reusable
    for base, rel in workflows:
        src = ws.file(rel)
        if src is not None and ("docker" in src.text or "podman" in src.text):
            calls = None
            if "workflow_call" in src.text:
                parsed = parsed if parsed is not None else _parsed_workflows(ws, workflows)
                calls = caller_inputs(parsed, posixpath.relpath(rel, base or "."))
            moved = _moved_run_lines(ws, src)  # (steps with a working directory: read by _action_images)
            for source in [source for source in images_in(ws, rel, src.text, False, base)
                           if source.loc.line not in moved] + _action_images(ws, src, base, calls):
                if _new(source, seen):
                    found.append(source)
    ci_files = [rel for rel in CI_FILES if ws.exists(rel)]
    index = 0
    while index < len(ci_files):  # GitLab's, CircleCI's, Bitbucket's... jobs run their scripts in the repository's root
        src = ws.file(ci_files[index])
        index += 1
        if src is None:
            continue
        includes = "include" in src.text and len(ci_files) < _MAX_CI_FILES
        builds = "docker" in src.text or "podman" in src.text or "executor" in src.text
        docs = _ci_documents(ws, src) if includes or builds else None  # (read once for both)
        if docs and includes:
            ci_files += [rel for rel in _gitlab_includes(ws, docs) if rel not in ci_files][:_MAX_CI_FILES - len(ci_files)]
        if builds:
            found += [source for source in _ci_file_images(ws, src, docs) if _new(source, seen)]
    for source in _plugin_images(ws) + cloud_build_images(ws) + bake_images(ws):
        if _new(source, seen):
            found.append(source)
    candidates: list[tuple[str, bool, str]] = []  # (path, a Makefile, name)
    for name, rels in ws.names().items():
        makefile = name.lower() in _MAKEFILES or name.endswith(".mk")
        if makefile or name.endswith((".sh", ".bash")):
            candidates += [(rel, makefile, name) for rel in rels]
        elif "." not in name:
            candidates += [(rel, False, name) for rel in rels if set(rel.split("/")[:-1]) & _SCRIPT_FOLDERS]
    for rel, makefile, name in sorted(candidates):
        src = ws.file(rel, candidate=not makefile and not name.endswith((".sh", ".bash")))
        if src is None or "build" not in src.text or not ("docker" in src.text or "podman" in src.text):
            continue
        if not makefile and not name.endswith((".sh", ".bash")) and not src.text.startswith("#!"):
            continue
        scripted = None if makefile else _script_images(ws, rel, src.text)
        found += scripted if scripted is not None else images_in(ws, rel, src.text, makefile)
    return found


#: GitLab's own bound on the files a pipeline's configuration includes ("include", "Limits": 150)
_MAX_CI_FILES = 150


def _ci_documents(ws: Workspace, src: SourceFile) -> list[Doc] | None:
    """The YAML documents of a CI file; None for one that is no YAML (a ``Jenkinsfile``; a broken file, which a
    notice names: its lines are still read)."""
    if not src.rel.endswith((".yml", ".yaml")):
        return None
    return ci_yaml(ws, src, lines=True)


def ci_yaml(ws: Workspace, src: SourceFile, *, lines: bool, say: bool = True) -> list[Doc] | None:
    """The YAML documents of a CI file read for the images it builds (a workflow, a GitLab or other CI file, a
    Drone pipeline, a Cloud Build configuration); None when it is no YAML, which a notice says once a file, never
    HL001 (no deployment file: the CI service refuses it, nothing hueylint judges is broken).  ``lines``: its
    lines are read one by one all the same (:func:`images_in`); ``say``: False where a broken file changes no
    image."""
    try:
        return load_text(src, cache=yaml_store(ws))
    except YamlError as exc:
        if say:
            notice = Notice(src.rel, _not_yaml(exc, lines))
            ws.memo(("ci-yaml-notice", src.rel), lambda: ws.say(notice))  # (once: the first reader's words)
        return None


def _not_yaml(exc: YamlError, lines: bool) -> str:
    if lines:
        return (f"line {exc.line}: {exc}: only its lines are read, one by one, for the images its commands build "
                "(not what its YAML says: action and plugin steps, `include:` files, a command folded over lines)")
    return f"line {exc.line}: {exc}: not read, the images its steps build are unknown"


def _gitlab_includes(ws: Workspace, docs: list[Doc]) -> list[str]:
    """The repository files a GitLab CI file's ``include:`` adds ("CI/CD YAML syntax reference", ``include``): a
    path (a string, or ``local:``), from the repository's root, maybe a glob (``.gitlab/ci/*.yml``); another
    project's, a template's or a remote file is not in this repository."""
    found: list[str] = []
    for doc in docs:
        include = doc.data.get("include") if isinstance(doc.data, dict) else None
        for item in include if isinstance(include, list) else [include]:
            path = item if isinstance(item, str) else item.get("local") if isinstance(item, dict) \
                and set(item) <= {"local", "rules", "inputs"} else None
            if not isinstance(path, str) or "://" in path or "$" in path:
                continue
            path = path.strip().lstrip("/")
            if "*" in path:
                found += [rel for rel in ws.glob_files(path) if rel.endswith((".yml", ".yaml"))]
            elif path and not leads_outside(path) and ws.exists(path):
                found.append(posixpath.normpath(path))
    return found


def _ci_file_images(ws: Workspace, src: SourceFile, docs: list[Doc] | None) -> list[ImageSource]:
    """The images the commands of a CI file build, run in the repository's root: each text value of a YAML CI
    file (its documents: ``docs``) read as a script (a command YAML folds over several lines is one line), at the
    value's place; a file that is no YAML (``docs`` None: a ``Jenkinsfile``, a broken one) line by line."""
    if docs is None:
        return images_in(ws, src.rel, src.text, False, "")
    found: list[ImageSource] = []

    def visit(doc: Doc, node: object, depth: int) -> None:
        if depth > 64:
            return  # (nested deeper than any CI file: no command there is read)
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node)) if isinstance(node, list) \
            else []
        for key, value in items:
            if isinstance(value, str):
                if _BUILD.search(value) or kaniko_search(value):
                    loc = doc.value_loc(node, str(key)) if isinstance(node, dict) else doc.item_loc(node, int(key))
                    found.extend(replace(source, loc=loc) for source in images_in(ws, src.rel, value, False, ""))
            else:
                visit(doc, value, depth + 1)

    for doc in docs:
        visit(doc, doc.data, 0)
    return found


def _script_images(ws: Workspace, rel: str, text: str, env: dict[str, str | None] | None = None,
                   base: str | None = None) -> list[ImageSource] | None:
    """The images a shell script's ``docker build`` commands tag, each word expanded as the shell would at that
    command (:mod:`hueylint.shell_eval`: ``HUEY_IMAGE="app-huey"`` then ``docker build -t ${HUEY_IMAGE}:latest
    -f Dockerfile.huey .``, a ``${REGISTRY:-ghcr.io/org}`` default; a variable set on some paths only, or from a
    command's output, stays unknown and its image unused).  ``env``: the variables the script starts with (a
    workflow step's ``env``); ``base``: the folder it starts in when known (a workflow job's, from the
    repository's root), else the root or its own folder (:func:`_path`).  None when the script cannot be parsed
    as a shell script (the lines are then read as they are written: :func:`images_in`)."""
    from hueylint.shell import parse_script
    from hueylint.shell_eval import Evaluator, known_parts, substitute

    script = parse_script(text)
    if script.too_deep is not None or script.errors or not script.is_shell:
        return None
    evaluator: Evaluator | None = None
    found: list[ImageSource] = []
    lines = script.lines
    folder: str | None = base or ""  # where the commands run after a `cd` ("": not moved; None: not known)
    inner: str | None = None  # the same in a subshell, `(cd backend && docker build .)`, when `moved_inside`
    moved_inside = False
    for position, command in enumerate(script.commands):
        if not command.subshell:
            moved_inside = False  # (out of the subshell: its `cd` is over)
        if command.words and command.words[0].text in CHDIR_COMMANDS:
            if evaluator is None:
                evaluator = Evaluator(script, [], lambda word, state: [word], env=env)
            target = command.words[1] if len(command.words) > 1 else None
            value = None if target is None else target.text if target.literal else \
                substitute(_own_folder(target.text, rel), evaluator.at(position))
            start_folder = inner if command.subshell and moved_inside else folder
            moved = None if start_folder is None or value is None or command.words[0].text == "popd" else \
                _moved(ws, rel, start_folder, value)
            if command.subshell:
                inner, moved_inside = moved, True
            else:
                folder = moved
            continue
        where = inner if command.subshell and moved_inside else folder
        found_build = _build_start(command.words)
        if found_build is None or where is None:
            continue  # (after a `cd` to a folder not known, its paths are not either)
        program, start = found_build
        if evaluator is None:
            evaluator = Evaluator(script, [], lambda word, state: [word], env=env)
        state = evaluator.at(position)
        words: list[str] = []
        for word in command.words[start:]:
            value = word.text if word.literal else substitute(word.text, state)
            if value is None:  # unknown: a name or path holding `$` is not used, but for a tag (`"$IMAGE:$TAG"`)
                words.append(known_parts(word.text, state) or word.text)
            else:
                words += [value] if word.quoted else value.split()
        docker = command.words[program]  # placed as a line read as written places it: from `docker` on
        loc = Loc(rel, docker.line, docker.col, docker.line, len(lines[docker.line - 1]) + 1)
        source = words_image(ws, rel, words, loc, where or base, kaniko=posixpath.basename(docker.text) == "executor")
        if source is not None:
            found.append(source)
    return found


#: a script's own folder written as the shell finds it (``$(dirname "$0")``, ``${0%/*}``, ``$(dirname
#: "${BASH_SOURCE[0]}")``), maybe quoted
_OWN_FOLDER = lazy_pattern(r"""^"?(?:\$\(\s*dirname\s+"?\$(?:0|\{0\}|\{BASH_SOURCE(?:\[0\])?\})"?\s*\)|\$\{0%/\*\})"?""")


def _own_folder(text: str, rel: str) -> str:
    """``text`` with a leading reference to the script's own folder replaced by that folder, as a path from the
    root (``$(dirname "$0")/../backend`` -> ``bin/../backend``)."""
    folder = posixpath.dirname(rel) or "."
    return _OWN_FOLDER.sub(lambda _match: folder, text, count=1)


def _moved(ws: Workspace, rel: str, folder: str, target: str) -> str | None:
    """The repo folder ``cd TARGET`` moves to from ``folder`` ("" : where the script was started, the root or its own
    folder, as its paths are read: :func:`_path`); None when it is not a folder of the repository (``cd $TMP``,
    ``cd ~``, ``cd -``, out of the root)."""
    target = target.strip("'\"")
    if not target or target.startswith(("~", "-", "/")) or "$" in target:
        return None
    if folder:
        moved = posixpath.normpath(posixpath.join(folder, target))
        return None if moved.startswith("..") else "" if moved == "." else moved if _is_dir(ws, moved) else None
    found = _path(ws, rel, target)
    return found if found is not None and (found == "" or _is_dir(ws, found)) else None


def _build_start(words) -> tuple[int, int] | None:
    """(where ``docker``/``podman`` is, where the arguments of its ``build`` / ``buildx build`` / ``image build``
    start) among a command's words (after ``sudo`` or ``time``), else None; or where kaniko's ``executor`` is and
    its arguments start."""
    program = 0
    while program < len(words) and words[program].text in ("sudo", "time", "command", "exec"):
        program += 1
    if program < len(words) and (words[program].text == "/kaniko/executor" or words[program].text == "executor"
                                 and any(word.text.startswith(tuple(f"--{name}" for name in _KANIKO_SAYS))
                                         for word in words[program + 1:])):
        return program, program + 1  # kaniko (:func:`_kaniko_words`)
    if program >= len(words) or posixpath.basename(words[program].text) not in ("docker", "podman"):
        return None
    index = program + 1
    if index < len(words) and words[index].text in ("buildx", "image", "builder"):
        index += 1
    if index < len(words) and words[index].text == "build":
        return program, index + 1
    return None


#: the CI files whose steps may build images with a docker plugin: Drone's, Woodpecker's (one file, or a folder of
#: pipelines)
_PLUGIN_PIPELINES = (".drone.yml", ".drone.yaml", ".woodpecker.yml", ".woodpecker.yaml")
_PLUGIN_FOLDER = ".woodpecker"
#: the docker plugins of Drone and Woodpecker, by image name without registry or tag: their ``settings`` name the
#: image (``repo``), the Dockerfile (``dockerfile``, default the root's ``Dockerfile``), the context (``context``,
#: default the repository) and the stage (``target``), all from the repository's root (plugins/docker's README;
#: Woodpecker's plugin-docker-buildx docs)
_DOCKER_PLUGINS = frozenset({"plugins/docker", "plugins/kaniko", "plugins/ecr", "plugins/gcr", "plugins/buildx",
                             "thegeeklab/drone-docker-buildx", "woodpeckerci/plugin-docker-buildx",
                             "woodpeckerci/plugin-kaniko", "plugins/docker-buildx"})


def _plugin_images(ws: Workspace) -> list[ImageSource]:
    """The images the docker plugin steps of a Drone or Woodpecker pipeline (``.drone.yml``, ``.woodpecker.yml``,
    ``.woodpecker/*.yml`` at the root) build: ``image: plugins/docker`` with ``settings: {repo:
    ghcr.io/acme/worker, dockerfile: backend/Dockerfile.worker, context: backend}``; a setting that is no
    literal text (``from_secret``, a ``${VAR}``) leaves the step unused (field test: newcl/mytube's
    ``.drone.yml``)."""
    rels = [rel for rel in _PLUGIN_PIPELINES if ws.exists(rel) and not ws.ignored(rel, False)]
    if ws.is_folder(_PLUGIN_FOLDER) and not ws.ignored(_PLUGIN_FOLDER, True):
        rels += [f"{_PLUGIN_FOLDER}/{name}" for name in ws.list_folder(_PLUGIN_FOLDER) or []
                 if name.endswith((".yml", ".yaml")) and not ws.ignored(f"{_PLUGIN_FOLDER}/{name}", False)]
    found: list[ImageSource] = []
    for rel in rels:
        for doc in yaml_docs(ws, rel, "settings", lines=rel in CI_FILES):
            data = doc.data if isinstance(doc.data, dict) else {}
            steps = data.get("steps")
            steps = list(steps.values()) if isinstance(steps, dict) else steps  # Woodpecker: a map of steps
            for step in steps if isinstance(steps, list) else []:
                source = _plugin_image(ws, doc, step) if isinstance(step, dict) else None
                if source is not None:
                    found.append(source)
    return found


def _docker_plugin(image: str) -> bool:
    """``image`` is one of :data:`_DOCKER_PLUGINS`, with any tag or digest, also from a registry named before it
    (``docker.io/plugins/docker:20``, ``quay.io/thegeeklab/drone-docker-buildx``)."""
    name = image.strip().split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]  # the tag (a registry's port stays: `registry:5000/plugins/docker`)
    return name in _DOCKER_PLUGINS or any(name.endswith("/" + plugin) for plugin in _DOCKER_PLUGINS)


def _plugin_image(ws: Workspace, doc: Doc, step: dict) -> ImageSource | None:
    image = step.get("image")
    settings = step.get("settings")
    if not isinstance(image, str) or not isinstance(settings, dict) or not _docker_plugin(image):
        return None

    def text(key: str, default: str | None = None) -> str | None:
        """The setting's literal text, ``default`` when it is not set; None when it is no literal (a secret, a
        variable)."""
        if key not in settings:
            return default
        value = settings[key]
        return value if isinstance(value, str) and "$" not in value else None

    repo, registry = text("repo"), text("registry")
    if repo is None:
        return None
    if registry and not repo.startswith(registry.rstrip("/") + "/") and "." not in repo.split("/", 1)[0]:
        repo = f"{registry.rstrip('/')}/{repo}"  # plugins/docker: the registry is prefixed when repo lacks one
    name = _name(repo)
    written_context = text("context", ".")
    context = _path(ws, "", written_context, base="") if written_context is not None else None
    target = text("target")
    if not name or context is None or ("target" in settings and target is None):
        return None
    # the docker plugins run `docker build --file DOCKERFILE CONTEXT` from the repository's root, so the default
    # `Dockerfile` is the root's; kaniko also looks for a relative path below the context
    written = text("dockerfile", "Dockerfile")
    path = _path(ws, "", written, base="") if written else None
    if written and (path is None or not ws.exists(path)):
        path = _path(ws, "", posixpath.join(context, written), base="")
    if path is None or not ws.exists(path):
        return None
    return ImageSource(path, target, context, doc.key_loc(step, "image"), name)


def workflow_files(ws: Workspace) -> list[tuple[str, str]]:
    """(repository root, workflow path) of each GitHub Actions workflow the run reads (:func:`_workflows`)."""
    return ws.memo(("workflow-files",), lambda: _workflows(ws))


def _workflows(ws: Workspace) -> list[tuple[str, str]]:
    """(repository root, workflow path) for each ``.github/workflows/*.yml`` of the project root and of the
    folders named on the command line (discovery keeps no YAML it does not recognise, so they are listed here)."""
    bases = sorted({rel_path(Path(real), ws.root) for real in ws.roots} | {"."})
    found: list[tuple[str, str]] = []
    for base in bases:
        if base.startswith("../"):
            continue
        folder = posixpath.normpath(posixpath.join(base, ".github/workflows"))
        names = ws.list_folder(folder) if ws.is_folder(folder) and not ws.ignored(folder, True) else None
        if names is None:
            continue
        found += [("" if base == "." else base, f"{folder}/{name}") for name in names
                  if name.endswith((".yml", ".yaml")) and not ws.ignored(f"{folder}/{name}", False)]
    return found


def images_in(ws: Workspace, rel: str, text: str, makefile: bool, base: str | None = None) -> list[ImageSource]:
    variables = _make_variables(text) if makefile else {}
    found: list[ImageSource] = []
    lines = text.split("\n")
    number = 0
    while number < len(lines):
        start = number
        line = lines[number]
        while line.endswith("\\") and number + 1 < len(lines):  # continuation lines form one command
            number += 1
            line = line[:-1] + " " + lines[number]
        number += 1
        match = _BUILD.search(line)
        kaniko = match is None and (match := kaniko_search(line)) is not None
        if match is None or line.lstrip().startswith("#"):
            continue
        command = re.split(r"&&|\|\||;|\|(?!\|)|\s#", line[match.end():], maxsplit=1)[0]
        before = _CD_BEFORE.findall(line[:match.start()])  # `cd backend && docker build -t acme/w .`
        if makefile:
            command = _MAKE_REF.sub(lambda m: variables.get(m.group(1), m.group(0)), command)
            before = [_MAKE_REF.sub(lambda m: variables.get(m.group(1), m.group(0)), word) for word in before]
        where = base
        if before:  # a recipe line or a step runs in its own shell: only a `cd` on the line moves it
            start_folder = (posixpath.dirname(rel) if makefile else base) or ""
            where = _moved(ws, rel, start_folder, _own_folder(before[-1], rel)) if start_folder or base is not None \
                else _moved(ws, rel, "", _own_folder(before[-1], rel))
            if where is None:
                continue  # moved to a folder not known: its paths are not either
        source = _image(ws, rel, command, Loc(rel, start + 1, match.start() + 1, start + 1, len(lines[start]) + 1),
                        makefile, where, kaniko)
        if source is not None:
            found.append(source)
    return found


_BUILD_ACTION = "docker/build-push-action"
#: the runs of workflow steps with expressions a workflow's job is read for (its steps times its runs: the matrix's
#: jobs, at most 256, for each call of a reusable workflow); a hostile one of 50 callers with a matrix each
#: called a matrix job 3 million times (4 minutes, 2.5 GB)
_STEP_RUNS = 64 * 1024
_META_ACTION = "docker/metadata-action"
_STEP_OUTPUT = lazy_pattern(r"^\$\{\{\s*steps\.([\w-]+)\.outputs\.tags\s*\}\}$")


def _parsed_workflows(ws: Workspace, workflows: list[tuple[str, str]]) -> list[tuple[str, dict]]:
    """``(path from its repository root, mapping)`` of each workflow that reads as YAML."""
    found: list[tuple[str, dict]] = []
    for base, rel in workflows:
        # (a broken workflow is named where it matters: one calling a workflow of the repository, with its inputs)
        src = ws.file(rel)
        calls = src is not None and ".github/workflows/" in src.text
        found += [(posixpath.relpath(rel, base or "."), doc.data)
                  for doc in yaml_docs(ws, rel, "uses", lines=True, say=calls) if isinstance(doc.data, dict)]
    return found


def yaml_docs(ws: Workspace, rel: str, marker: str, *, lines: bool, say: bool = True) -> list[Doc]:
    """The YAML documents of the CI file ``rel`` when its text holds ``marker`` (a step's ``uses`` or
    ``settings``); [] when it does not, or is no YAML (:func:`ci_yaml`: ``lines``, ``say``)."""
    src = ws.file(rel)
    if src is None or marker not in src.text:
        return []
    return ci_yaml(ws, src, lines=lines, say=say) or []


def _action_images(ws: Workspace, src: SourceFile, base: str,
                   calls: list[dict[str, str]] | None = None) -> list[ImageSource]:
    """The images ``docker/build-push-action`` steps of one workflow build, for each set of inputs in
    ``calls`` when it is a reusable workflow (a workflow that is not YAML builds nothing hueylint can see: it
    is not a deployment file, so no HL001 either, a notice: :func:`ci_yaml`)."""
    docs = ci_yaml(ws, src, lines=True)
    if docs is None:
        return []
    found: list[ImageSource] = []
    seen: set[tuple[str, str, str | None, str]] = set()
    for doc in docs:
        jobs = doc.data.get("jobs") if isinstance(doc.data, dict) else None
        for job_id, job in (jobs.items() if isinstance(jobs, dict) else ()):
            steps = job.get("steps") if isinstance(job, dict) else None
            foreign = _foreign_steps(steps)
            steps = [step for step in steps if isinstance(step, dict) and id(step) not in foreign] \
                if isinstance(steps, list) else []
            filled = [step for step in steps if "${{" in str(step)]  # (others are read once, unfilled)
            contexts, read = job_contexts(doc.data, job_id, calls, _STEP_RUNS // max(1, len(filled))), steps
            if contexts is None:
                ws.say(Notice(doc.src.rel, f"line {doc.key_loc(jobs, job_id).line}: job `{clipped(str(job_id))}`'s "
                                           f"{len(filled)} step(s) with expressions run more than {_STEP_RUNS:,} "
                                           "times in all (its matrix's jobs, for each call of the workflow): not "
                                           "read, the images they tag are unknown"))
                contexts, read = [{}], [step for step in steps if not any(step is other for other in filled)]
            for context in contexts:
                for step in read:
                    sources: list[ImageSource | None] = [_action_image(ws, doc, step, steps, base, context)] \
                        if _uses(step, _BUILD_ACTION) else list(_filled_run_images(ws, doc, step, base, context, job))
                    found += [source for source in sources if source is not None and _new(source, seen)]
    return found


def _filled_run_images(ws: Workspace, doc: Doc, step: dict, base: str, context: JobContext,
                       job: dict | None = None) -> list[ImageSource]:
    """The images a ``run:`` step builds once the job run's expressions are filled in (``docker build -f
    ${{ matrix.file }} -t ${{ matrix.image }} .``) and its shell variables from the ``env:`` it runs with, at the
    step's ``run:`` line, in its working directory (the
    step's ``working-directory``, else the job's or the workflow's ``defaults.run``: a folder below ``base``; one
    not known leaves the step unused); a script without expressions the job run knows, in the repository's
    folder, was already read with the workflow's text."""
    run = step.get("run")
    folder = _working_directory(doc, job or {}, step)
    if not isinstance(run, str) or folder is None:
        return []
    context = step_context(context, step)
    # the workflow's, job's and step's `env:` are the shell's variables (`IMAGE: ghcr.io/${{ github.repository }}`,
    # then `docker build -t "$IMAGE" .`)
    env: dict[str, str | None] = {key[4:]: value for key, value in context.items() if key.startswith("env.")}
    reads_env = bool(env) and "$" in run.replace("${{", "")
    if "${{" not in run and folder == "" and not reads_env:
        return []
    filled = fill(run, context)
    if filled == run and folder == "" and not reads_env:
        return []
    where = fill(folder, context)
    where = posixpath.normpath(posixpath.join(base, where)) if isinstance(where, str) and "${{" not in where else ""
    if not where or where.startswith("..") or (where != "." and not _is_dir(ws, where)):
        return []  # (a working directory not known, or out of the repository: its paths are not known either)
    loc = doc.key_loc(step, "run")
    start = "" if where == "." else where
    scripted = _script_images(ws, doc.src.rel, str(filled), env, start) if reads_env else None
    return [replace(source, loc=loc) for source in
            (scripted if scripted is not None else images_in(ws, doc.src.rel, str(filled), False, start))]


def _working_directory(doc: Doc, job: dict, step: dict) -> str | None:
    """The ``working-directory`` a ``run:`` step runs in as written: the step's, else the job's
    ``defaults.run``'s, else the workflow's; "" for none (the repository); None when it is no text."""
    for scope in (step, (job.get("defaults") or {}).get("run") if isinstance(job.get("defaults"), dict) else None,
                  (doc.data.get("defaults") or {}).get("run")
                  if isinstance(doc.data, dict) and isinstance(doc.data.get("defaults"), dict) else None):
        if isinstance(scope, dict) and "working-directory" in scope:
            value = scope["working-directory"]
            return value.strip() if isinstance(value, str) else None
    return ""


def _moved_run_lines(ws: Workspace, src: SourceFile) -> set[int]:
    """The lines of the ``run:`` scripts of the workflow ``src`` whose steps run in a working directory (their
    builds are read with it, :func:`_filled_run_images`, not from the workflow's text), or in another
    repository's checkout (:func:`_foreign_steps`: not read)."""
    if "working-directory" not in src.text and "repository" not in src.text:
        return set()
    docs = ci_yaml(ws, src, lines=True)
    if docs is None:
        return set()
    lines: set[int] = set()
    for doc in docs:
        jobs = doc.data.get("jobs") if isinstance(doc.data, dict) else None
        for job in (jobs.values() if isinstance(jobs, dict) else ()):
            steps = job.get("steps") if isinstance(job, dict) else None
            foreign = _foreign_steps(steps)
            for step in steps if isinstance(steps, list) else ():
                if isinstance(step, dict) and "run" in step and (_working_directory(doc, job, step) != ""
                                                                 or id(step) in foreign):
                    at = doc.value_loc(step, "run")
                    lines.update(range(at.line, at.end_line + 1))
    return lines


#: ``actions/checkout``'s ``repository`` input naming the repository the workflow runs for (its default)
_OWN_REPOSITORY = frozenset({"${{ github.repository }}", "${{github.repository}}"})


def _foreign_steps(steps: object) -> set[int]:
    """The ids of a job's steps that run after ``actions/checkout`` put another repository in the workspace's
    root (``with: {repository: acme/other}`` and no ``path``, or ``.``): their ``docker build .`` builds that
    repository, not this one (a later checkout of this repository into the root ends it).  A checkout into a
    folder (``path: other``) leaves the root this repository's."""
    foreign: set[int] = set()
    elsewhere = False
    for step in steps if isinstance(steps, list) else ():
        if not isinstance(step, dict):
            continue
        if _uses(step, "actions/checkout"):
            given = step.get("with")
            given = given if isinstance(given, dict) else {}
            path = str(given.get("path") or "").strip()
            if posixpath.normpath(path or ".") == ".":
                repository = str(given.get("repository") or "").strip()
                elsewhere = bool(repository) and repository not in _OWN_REPOSITORY
        elif elsewhere:
            foreign.add(id(step))
    return foreign


def _new(source: ImageSource, seen: set[tuple[str, str, str | None, str]]) -> bool:
    """Whether no image already found is the same build (name, Dockerfile, stage, context: ``seen``, to which it
    is added).  A set, not a look at every image found: a matrix of 256 jobs of 40 steps each was 10,240 builds
    compared with each other (70 s)."""
    key = (source.name, source.dockerfile, source.target, source.context)
    if key in seen:
        return False
    seen.add(key)
    return True


def _uses(step: dict, action: str) -> bool:
    return action_of(step) == action


def _inputs(step: dict, context: JobContext | None = None) -> dict:
    """The step's ``with:`` inputs, the expressions ``context`` knows filled in (the job run's matrix
    values, the outputs of the jobs it needs, ``env``)."""
    given = step.get("with")
    if not isinstance(given, dict):
        return {}
    if not context:
        return given
    context = step_context(context, step)
    return {key: fill(value, context) for key, value in given.items()}


def _listed(value: object) -> list[str]:
    """An action's list input: one item per line or comma-separated (``type=...`` CSV items keep commas
    inside quotes only, which image names never hold)."""
    if not isinstance(value, str):
        return []
    return [item.strip() for line in value.splitlines() for item in line.split(",") if item.strip()]


def _action_image(ws: Workspace, doc: Doc, step: dict, steps: list[dict], base: str,
                  job_run: JobContext) -> ImageSource | None:
    inputs = _inputs(step, job_run)
    tags = _listed(inputs.get("tags"))
    if len(tags) == 1 and _STEP_OUTPUT.match(tags[0]):  # tags: ${{ steps.meta.outputs.tags }}
        step_id = _STEP_OUTPUT.match(tags[0]).group(1)  # type: ignore[union-attr]
        meta = next((other for other in steps if other.get("id") == step_id and _uses(other, _META_ACTION)), None)
        images = _listed(_inputs(meta, job_run).get("images")) if meta is not None else []
        tags = [item.partition("name=")[2] if item.startswith("name=") else item for item in images]
    names = [name for name in (_name(tag) for tag in tags) if name]
    context_input = inputs.get("context", ".")
    context = _path(ws, "", str(context_input), base=base) if isinstance(context_input, (str, int)) else None
    target = inputs.get("target")
    if not names or context is None or (target is not None and (not isinstance(target, str) or "$" in target)):
        return None
    file_input = inputs.get("file")
    if file_input is None or file_input == "":  # an empty input is the action's default, as unset
        path: str | None = posixpath.join(context, "Dockerfile") if context else "Dockerfile"
    else:
        path = _path(ws, "", str(file_input), base=base)
    if path is None or not ws.exists(path):
        return None
    return ImageSource(path, target, context, doc.key_loc(step, "uses"), names[0])


def _make_variables(text: str) -> dict[str, str]:
    """Plain ``NAME = value`` assignments of a Makefile, references to earlier ones expanded;
    ``$(shell ...)`` and other functions stay as written (so the name that uses them stays unknown)."""
    variables: dict[str, str] = {}
    for line in text.split("\n"):
        if line.startswith(("\t", " ")):
            continue
        match = _MAKE_ASSIGN.match(line)
        if match:
            variables[match.group(1)] = _MAKE_REF.sub(lambda m: variables.get(m.group(1), m.group(0)), match.group(2))
    return variables


def _image(ws: Workspace, rel: str, command: str, loc: Loc, makefile: bool,
           base: str | None = None, kaniko: bool = False) -> ImageSource | None:
    words = shell_words(command)
    return words_image(ws, rel, words, loc, base, kaniko, makefile) if words is not None else None


def words_image(ws: Workspace, rel: str, words: list[str], loc: Loc, base: str | None, kaniko: bool = False,
                makefile: bool = False) -> ImageSource | None:
    """The image ``docker build`` with the arguments ``words`` (kaniko's executor's with ``kaniko``) tags, run
    in the repository folder ``base`` ("" its root; None: the root or the file's own folder, :func:`_path`), with
    its Dockerfile; None when unknown."""
    found = _kaniko_words(words) if kaniko else words
    return _image_of(ws, rel, found, loc, makefile, base) if found else None


def _kaniko_words(words: list[str]) -> list[str] | None:
    """kaniko ``executor`` arguments as the ``docker build`` arguments that build the same (``--context DIR`` is
    the positional context, ``--destination`` a ``-t``); None without a ``--context`` that is a folder (kaniko's
    default is its own ``/workspace``; a ``git://``/``s3://`` context holds no file of the repository)."""
    found: list[str] = []
    context: str | None = None
    index = 0
    while index < len(words):
        option, equals, value = words[index].partition("=")
        index += 1
        if option not in _KANIKO_OPTIONS:
            continue  # (another option, or its value)
        if not equals and index < len(words):
            value, index = words[index], index + 1
        if not value:
            continue
        if _KANIKO_OPTIONS[option]:
            found += [_KANIKO_OPTIONS[option], value]
        else:
            context = value.removeprefix("dir://")
    if context is None or "://" in context:
        return None
    return [*found, context]


def _image_of(ws: Workspace, rel: str, words: list[str], loc: Loc, makefile: bool,
              base: str | None = None) -> ImageSource | None:
    """The image ``docker build`` with the arguments ``words`` tags, with its Dockerfile (None when unknown)."""
    dockerfile = target = None
    tags: list[str] = []
    positional: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        value = words[index + 1] if index + 1 < len(words) else None
        if word in ("-f", "--file", "-t", "--tag", "--target") and value is not None:
            if word in ("-f", "--file"):
                dockerfile = value
            elif word == "--target":
                target = value
            else:
                tags.append(value)
            index += 2
            continue
        if word.startswith(("--file=", "--tag=", "--target=")):
            option, _, value = word.partition("=")
            if option == "--file":
                dockerfile = value
            elif option == "--target":
                target = value
            else:
                tags.append(value)
        elif word in _VALUED:
            index += 1
        elif not word.startswith("-") and not word.startswith(("$@", "${@", "$*", "${*")):
            positional.append(word)  # forwarded arguments ("$@", "${@:2}") are options added by the caller
        index += 1
    names = [name for name in (_name(tag) for tag in tags) if name]
    if base is None and not makefile and dockerfile is not None and positional:
        # the folder the command runs in is the one its `-f` file is found from: the context is read there too
        # (`cd`-less `docker build -f Dockerfile.worker .` in backend/build.sh builds backend/)
        found = _path(ws, rel, dockerfile)
        if found is not None and not ws.exists(posixpath.normpath(_LEADING_VAR.sub("", dockerfile))):
            base = posixpath.dirname(rel)
    context = _path(ws, rel, positional[-1], makefile, base) if positional else None
    if not names or context is None or (target is not None and "$" in target):
        return None
    path: str | None = (posixpath.join(context, "Dockerfile") if context else "Dockerfile") \
        if dockerfile is None else _path(ws, rel, dockerfile, makefile, base)
    if path is None or not ws.exists(path):
        return None
    return ImageSource(path, target, context, loc, names[0])


def _name(tag: str) -> str:
    """``org/app:$VERSION`` -> ``org/app``; a name that is itself a variable -> "", but for the variables that
    spell the repository's identity (``$CI_REGISTRY_IMAGE/worker`` -> ``%gitlab-registry%/%gitlab-project-path%/worker``:
    :mod:`hueylint.platforms.repository_images`)."""
    name = spelled(tag).split("@", 1)[0]
    last = name.rsplit("/", 1)
    if ":" in last[-1]:
        last[-1] = last[-1].split(":", 1)[0]
    name = "/".join(last)
    return "" if not name or "$" in name or "{" in name or "(" in name else name


def _path(ws: Workspace, rel: str, word: str, makefile: bool = False, base: str | None = None) -> str | None:
    """A path of the command, repo-relative: below the root, else below the script's folder (a Makefile's
    recipes run in its own folder: that one first; a workflow's jobs in ``base``, its repository's root)."""
    word = _LEADING_VAR.sub("", word)
    if _ROOT_VAR.match(word):  # the context is the folder the command runs in, or the repository's root
        word = "."
    if "$" in word or word.startswith("/") or "://" in word:
        return None
    folders = (base,) if base is not None else (posixpath.dirname(rel), "") if makefile else \
        ("", posixpath.dirname(rel))
    for folder in folders:
        candidate = posixpath.normpath(posixpath.join(folder, word)) if folder else posixpath.normpath(word)
        if candidate.startswith(".."):
            continue
        candidate = "" if candidate == "." else candidate
        if not candidate or ws.exists(candidate) or ws.exists(posixpath.join(candidate, "Dockerfile")) \
                or _is_dir(ws, candidate):
            return candidate
    return None


def _is_dir(ws: Workspace, rel: str) -> bool:
    return ws.is_folder(rel) and not ws.ignored(rel, True)


#: the git configuration of the checked tree (a clone's; a worktree's `.git` is a file pointing elsewhere: not read)
GIT_CONFIG = ".git/config"


def origin_repository_of(ws: Workspace) -> str | None:
    """The GitHub or GitLab repository path the checked tree's ``.git/config`` names as ``origin``
    (:func:`hueylint.platforms.repository_images.origin_repository`), read as a plain file inside the tree
    (git is never run; not a checked file: :meth:`Workspace.repository_text`), once per run; None when there is
    none."""
    def read() -> str | None:
        text = ws.repository_text(GIT_CONFIG)
        return origin_repository(text) if text is not None else None

    return ws.memo(("origin-repository",), read)


def production_dockerfiles(ws: Workspace) -> list[str]:
    """The repository's Dockerfiles that are not development or test ones by their name or folder
    (:func:`hueylint.platforms.docker.named_for_development`), sorted."""
    return ws.memo(("production-dockerfiles",), lambda: sorted(
        src.rel for src in ws.of_format("dockerfile") if named_for_development(src.rel) is None))


def repository_image(ws: Workspace, image: str) -> ImageSource | str | None:
    """The image a reference named after the repository itself is (``ghcr.io/acme/shop:1.2``, ``acme/shop``,
    ``docker.io/acme/shop`` for a clone of ``github.com/acme/shop``: a repository's own published image, as
    GitHub's "Publishing Docker images" names it ``${{ github.repository }}``), when no file of the repository
    tags it: its one production Dockerfile (:func:`production_dockerfiles`; the last stage, as ``docker build``
    builds without ``--target``).  A string saying why it stays unknown when the repository has several (one
    cannot tell which); None for a name that is not the repository's (a prefix or a part of it is another
    name: ``acme/shop-worker``, ``ghcr.io/acme/shop/worker``), no ``origin`` remote, or no production Dockerfile.
    A fork's clone names the fork: the image of that code."""
    repository = origin_repository_of(ws)
    if repository is None:
        return None
    name = image_key(image)
    if not name or "$" in name or "%" in name or "{" in name or not names_repository(name, repository):
        return None
    candidates = production_dockerfiles(ws)
    if len(candidates) == 1:
        rel = candidates[0]
        return ImageSource(rel, None, posixpath.dirname(rel), Loc(rel, 1, 1), image)
    if not candidates:
        return None
    shown = ", ".join(f"`{rel}`" for rel in candidates[:4]) + (", ..." if len(candidates) > 4 else "")
    return (f"it is named after this repository (`{repository}`, the origin of `{GIT_CONFIG}`), but "
            f"{len(candidates)} of its Dockerfiles may build it ({shown})")
