"""Images Google Cloud Build builds: the ``docker build`` steps of a build configuration (``cloudbuild.yaml``).

A GKE deployment's manifests run ``gcr.io/my-project/worker`` or ``europe-docker.pkg.dev/my-project/apps/worker``,
which no compose file or script of the repository builds: a Cloud Build configuration does.  What it means,
from Cloud Build's documentation ("Build configuration file schema", "Substituting variable values"):

- ``steps:``, each run in the builder image ``name`` with ``args`` (``entrypoint`` replaces the image's
  own); the docker builder (``gcr.io/cloud-builders/docker``, ``docker``) runs ``docker ARGS``, kaniko's
  (``gcr.io/kaniko-project/executor``) its executor; a shell builder (``entrypoint: bash``, ``sh``) runs the
  script of ``args: ['-c', SCRIPT]``; ``dir`` is the step's working directory below ``/workspace``, where the
  source is (the repository's root);
- substitutions: ``$NAME`` and ``${NAME}`` in ``args``/``dir``; the file's ``substitutions:`` give user-defined
  ones (``_NAME``) their default values; the built-in ``PROJECT_ID``, ``LOCATION`` and ``REPO_NAME`` are the
  project, region and repository the build runs for, which a clone does not know: markers
  (:mod:`hueylint.platforms.repository_images`); any other one (``$SHORT_SHA``) stays unknown, which a tag may be.

Read: files named ``cloudbuild.yaml``/``cloudbuild.yml`` (also ``cloudbuild.<name>.yaml``, ``cloudbuild-<name>.yaml``,
``<name>.cloudbuild.yaml``: :func:`hueylint.formats.is_cloud_build`) anywhere in the repository.  Nothing runs.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace

from hueylint.formats import is_cloud_build
from hueylint.parsers.yamldocs import Doc
from hueylint.platforms.buildscripts import images_in, words_image, yaml_docs
from hueylint.platforms.docker import ImageSource
from hueylint.regexes import lazy_pattern
from hueylint.workspace import Workspace

#: the builder images that run ``docker`` with the step's ``args``, without registry mirror or tag
DOCKER_BUILDERS = frozenset({"gcr.io/cloud-builders/docker", "docker", "docker.io/library/docker"})
#: kaniko's executor image (its ``args`` are the executor's)
KANIKO_BUILDERS = frozenset({"gcr.io/kaniko-project/executor"})
#: built-in substitutions a clone does not know, as the markers of what they stand for
BUILT_IN = {"PROJECT_ID": "%gcp-project%", "LOCATION": "%gcp-location%", "REPO_NAME": "%cloud-build-repo%"}

_WORKSPACE = lazy_pattern(r"^(?:dir://)?/workspace(?=/|$)|(?<==)(?:dir://)?/workspace(?=/|$)")
_SUBSTITUTION = lazy_pattern(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def cloud_build_images(ws: Workspace) -> list[ImageSource]:
    """Every image a ``docker build`` (or kaniko) step of the repository's Cloud Build configurations tags."""
    found: list[ImageSource] = []
    for name, rels in sorted(ws.names().items()):
        if not is_cloud_build(name):
            continue
        for rel in sorted(rels):
            for doc in yaml_docs(ws, rel, "steps", lines=False):
                found += _config_images(ws, doc)
    return found


def _config_images(ws: Workspace, doc: Doc) -> list[ImageSource]:
    data = doc.data if isinstance(doc.data, dict) else {}
    given = data.get("substitutions")
    values = dict(BUILT_IN)
    if isinstance(given, dict):
        values.update({str(key): str(value) for key, value in given.items()
                       if str(key).startswith("_") and isinstance(value, (str, int, float)) and "$" not in str(value)})
    steps = data.get("steps")
    found: list[ImageSource] = []
    for index, step in enumerate(steps if isinstance(steps, list) else ()):
        if not isinstance(step, dict) or not isinstance(step.get("args"), list):
            continue
        # the source is in /workspace, the steps' working directory: a path there is one of the repository
        args = [_WORKSPACE.sub(".", _substituted(str(arg), values)) for arg in step["args"]
                if isinstance(arg, (str, int, float))]
        folder = _substituted(str(step.get("dir") or ""), values)
        if "$" in folder or folder.startswith("/") or posixpath.normpath(folder or ".").startswith(".."):
            continue  # (a working directory not known, or outside /workspace: its paths are not known either)
        base = posixpath.normpath(folder) if folder else ""
        base = "" if base == "." else base
        builder = str(step.get("name", "")).split("@", 1)[0].rsplit(":", 1)[0].lower()
        entrypoint = str(step.get("entrypoint") or "")
        loc = doc.item_loc(steps, index)
        if entrypoint in ("bash", "sh", "/bin/bash", "/bin/sh") and len(args) >= 2 and args[0] == "-c":
            found += [replace(source, loc=loc) for source in images_in(ws, doc.src.rel, args[1], False, base)]
        elif not entrypoint and builder in DOCKER_BUILDERS and args[:1] in (["build"], ["buildx"]):
            words = args[2:] if args[:2] == ["buildx", "build"] else args[1:]
            found += [source for source in [words_image(ws, doc.src.rel, words, loc, base)] if source]
        elif not entrypoint and builder in KANIKO_BUILDERS:
            found += [source for source in [words_image(ws, doc.src.rel, args, loc, base, kaniko=True)]
                      if source]
    return found


def _substituted(text: str, values: dict[str, str]) -> str:
    """``text`` with the substitutions ``values`` knows filled in (``$$`` is a literal ``$``); others kept."""
    if "$" not in text:
        return text
    parts = text.split("$$")
    return "$".join(_SUBSTITUTION.sub(lambda m: values.get(m.group(1) or m.group(2), m.group(0)), part)
                    for part in parts)

