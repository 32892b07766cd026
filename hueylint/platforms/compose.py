"""Docker Compose services: one launch per service whose container starts a consumer.

A service runs its image's ENTRYPOINT + CMD unless it overrides them: ``command:`` replaces CMD,
``entrypoint:`` replaces ENTRYPOINT *and* drops CMD (both as a string, split like a shell but never
run by one, or a list).  The image is the Dockerfile stage its ``build:`` names (string, or a
mapping with ``context``/``dockerfile``/``target``), or the image another service of the project
builds under the same ``image:`` name, or an image name a compose/skaffold file of the repo builds.

Stop: ``stop_signal`` > the image's ``STOPSIGNAL`` > SIGTERM, after ``stop_grace_period`` (10 s).

Projects (:func:`projects`): the files ``docker compose`` combines: a folder's base file with its
override file, files combined by ``-f``/``COMPOSE_FILE`` where the repository runs compose, ``include:``;
every other compose file is an alternative project of its own (a deployment unit: instances are
never counted across them).  Services merge in file order, later files winning.
"""

from __future__ import annotations

import heapq
import itertools
import posixpath
import re
from dataclasses import field
from fnmatch import fnmatchcase
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from hueylint.chain import Token
from hueylint.discovery import Notice
from hueylint.durations import DurationError, parse_duration
from hueylint.environment import nearby_dotenv, read_repo_env_file, record_unread, shell_values, unknown_if_interpolated
from hueylint.environment import record as record_env
from hueylint.formats import compose_name, is_compose
from hueylint.hueyfacts import CONSUMER_WORD
from hueylint.launch_facts import ComposeFacts
from hueylint.launches import (
    UNKNOWN_PART,
    InstanceNames,
    make_launch,
    named_for_huey,
    names_a_server,
    one_instance_branches,
    unbuilt_named_image,
    unfollowed_named_launch,
)
from hueylint.locations import Loc
from hueylint.model import OUTSIDE_WHY, Hop, Launch, Project, Restart, Unresolved, Val
from hueylint.parsers.yamldocs import MARKER, Doc, load
from hueylint.parsers.yamlkeys import repeated_keys
from hueylint.parsers.yamlscalar import Spots
from hueylint.platforms import Built, docker
from hueylint.platforms.buildscripts import repository_image, script_built_images
from hueylint.platforms.repository_images import has_markers, spelled
from hueylint.platforms.runners import runner_files
from hueylint.platforms.scripts import RepoScripts
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.script_lookup import DEV_SERVER, always_runs
from hueylint.signals import normalize_signal
from hueylint.sources import SourceFile
from hueylint.words import SHELLS, clipped, shell_string_index, shell_words, split
from hueylint.workspace import Workspace, leads_outside

DEFAULT_GRACE = 10.0
BASE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")  # compose's lookup order
OVERRIDE_NAMES = ("compose.override.yml", "compose.override.yaml", "docker-compose.override.yml",
                  "docker-compose.override.yaml")
# names and folders of development and test stacks, shared with the Dockerfile's own launch (docker.py)
_DEV_NAME, _TEST_NAME = docker.DEV_NAME, docker.TEST_NAME
_TEST_FOLDER, _DEV_FOLDER = docker.TEST_FOLDER, docker.DEV_FOLDER
#: a file named as an example to copy (``docker-compose.override.example.yml``, ``compose.sample.yaml``,
#: ``docker-compose.dist.yml``, ``docker-compose.override.yml.template``): compose reads only ``compose.y(a)ml`` /
#: ``docker-compose.y(a)ml`` and their ``*.override.y(a)ml`` by itself (docs.docker.com, "Merge Compose files"),
#: any other name only when it is named with ``-f``/``COMPOSE_FILE``
_EXAMPLE_NAME = lazy_pattern(r"(^|[._-])(example|examples|sample|samples|dist|template|tmpl|tpl)([._-]|$)")
#: a file named for production (``docker-compose.prod.yml``): an override of the base so named makes the base alone
#: the local stack (:func:`_supersede_defaults`)
_PROD_NAME = lazy_pattern(r"(^|[.-])(prod|production)([.-]|$)")
#: a file named for production or for the platform that deploys it (``docker-compose.coolify.yml``,
#: ``docker-stack.yml``/``docker-compose.swarm.yml`` for ``docker stack deploy``, ``compose.staging.yaml``): a
#: development server its services run is a mistake there, not a sign of a local stack (field test
#: jonocodes/stashcast: `docker-compose.coolify.yml` deploys an image whose CMD is `runserver`); not ``live-reload``,
#: the development stack that reloads on changes
_DEPLOYED_NAME = lazy_pattern(r"(^|[.-])(prod|production|staging|coolify|dokploy|caprover|portainer|swarm|stack"
                              r"|deploy|deployment|live(?![.-]reload))([.-]|$)")
#: a command that runs a test suite and exits (``npx playwright test``, ``cypress run``, ``pytest``, ``manage.py
#: test``, ``python -m unittest``), also as compose's list form (``["npx", "playwright", "test"]``): a stack with
#: such a service is an end-to-end or integration test run, never a deployment
_SEP = r"(?:[\s'\",]|\]|\[)+"
TEST_RUNNER = lazy_pattern(rf"(?<![\w.-])(?:playwright{_SEP}test|cypress{_SEP}run|py\.?test|manage\.py{_SEP}test"
                         rf"|-m{_SEP}unittest)(?![\w.-])")
_INTERPOLATION = lazy_pattern(r"(?<!\$)\$(\{[^}]*\}|[A-Za-z_])")
#: compose's merge tags (compose-go ``loader/reset.go``): ``key: !reset ...`` deletes the key from what the files
#: before it made and sets nothing (its value is ignored); ``key: !override VALUE`` replaces it instead of merging
RESET_TAG, OVERRIDE_TAG = "!reset", "!override"
#: keys whose later value replaces the earlier one even when it is null (compose-go ``override/merge.go``:
#: ``services.*.command``/``entrypoint``, a null is "not set": the image's own); under any other key a null keeps
#: what an earlier file set (``MergeYaml``: a nil override keeps the base)
NULL_REPLACES = frozenset({"command", "entrypoint"})
#: keys hueylint reads whose JSON schema type has no null: compose refuses a project whose merged value is null
#: (``validating compose.yaml: services.worker.stop_signal must be a string``)
NOT_NULL = {"stop_signal": "a string", "stop_grace_period": "a string", "restart": "a string", "user": "a string",
            "image": "a string", "working_dir": "a string", "scale": "an integer"}


def yaml_tag(value: Any) -> str | None:
    """The YAML tag written on a node (``!reset``), None for an untagged one (ruamel keeps it as ``.tag``)."""
    tag = getattr(value, "tag", None)
    return getattr(tag, "value", tag) if tag is not None else None


def untagged(value: Any) -> Any:
    """A scalar written with a tag (``!override 60s``, ruamel's ``TaggedScalar``) as the plain string compose
    reads; any other value as it is."""
    if yaml_tag(value) is not None and not isinstance(value, (dict, list)) and hasattr(value, "value"):
        return str(value.value)
    return value


@dataclass
class Service:
    """One service of a project, with its definitions in file order (override files last)."""

    name: str
    layers: list[tuple[Doc, Any]] = field(default_factory=list)
    # the definitions ``extends:`` brings (the extended service's, its own bases first), below ``layers``
    bases: list[tuple[Doc, Any]] = field(default_factory=list)
    # an ``extends:`` on the way whose ``file:`` leads outside the checked tree (not read): (where, the path as
    # written); what it gives the service is unknown (:meth:`unread_val`)
    unread: tuple[Loc, str] | None = None

    def unread_val(self, key: str) -> Val[Any] | None:
        """For a ``key`` the service's definitions do not set: unknown when an ``extends:`` outside the checked
        tree may set it (:attr:`unread`), else None."""
        if self.unread is None or self.layer(key) is not None:
            return None
        loc, path = self.unread
        return Val.unknown_at(loc, f"{key} may be set by `{path}` (extends), outside the checked tree: not read")

    @property
    def shown(self) -> str:
        """The name as written: a Jinja template's placeholder put back (``huey-{{ env }}``, not its marker)."""
        return self.layers[0][0].restore(self.name) if MARKER in self.name and self.layers else self.name

    @property
    def stack(self) -> list[tuple[Doc, Any]]:
        """Every definition in the order compose merges them: the extended services', then the service's own."""
        return [*self.bases, *self.layers] if self.bases else self.layers

    def merged(self, key: str) -> list[tuple[Doc, Any]]:
        """The definitions that set ``key``, in merge order, as compose merges them: none before the last
        ``!reset`` of the key (nor the reset one) and none before the last ``!override`` (:data:`RESET_TAG`)."""
        found = [(doc, mapping) for doc, mapping in self.stack if isinstance(mapping, dict) and key in mapping]
        for index in range(len(found) - 1, -1, -1):
            tag = yaml_tag(found[index][1][key])
            if tag == RESET_TAG:
                return found[index + 1:]
            if tag == OVERRIDE_TAG:
                return found[index:]
        return found

    def unset(self, key: str, default: str) -> str:
        """Why the service has no ``key``, for a default's reason: ``default`` (``no stop_signal``), or the
        ``!reset`` that deleted what an earlier file set (```stop_signal: !reset` at compose.override.yaml:4``)."""
        resets = [(doc, mapping) for doc, mapping in self.stack
                  if isinstance(mapping, dict) and yaml_tag(mapping.get(key)) == RESET_TAG]
        if not resets or self.merged(key):
            return default
        doc, mapping = resets[-1]
        return f"`{key}: !reset` at {doc.key_loc(mapping, key)}"

    def layer(self, key: str) -> tuple[Doc, Any] | None:
        """The definition whose ``key`` the service has after compose merged its files (None: not set, or
        ``!reset``); a null keeps an earlier file's value except under :data:`NULL_REPLACES` keys."""
        found = self.merged(key)
        if key not in NULL_REPLACES:
            found = [layer for layer in found if layer[1][key] is not None] or found
        return found[-1] if found else None

    def val(self, key: str) -> Val[Any] | None:
        found = self.layer(key)
        if found is None:
            return None
        doc, mapping = found
        value = doc.val(mapping, key)
        if value is not None and value.value is None and key in NOT_NULL:
            return Val.unknown_at(value.loc, f"`{key}: null`, which compose refuses")
        if value is not None and yaml_tag(value.value) is not None:
            value = Val(untagged(value.value), value.loc)
        if value is not None and isinstance(value.value, str) and _INTERPOLATION.search(value.value):
            return Val.unknown_at(value.loc, f"`{value.value}` (compose variable)")
        return value

    def null_refused(self) -> Iterator[tuple[Doc, Any, str]]:
        """Each key of :data:`NOT_NULL` the merged service holds as null (compose refuses the project): the
        definition writing it and the key."""
        for key in NOT_NULL:
            found = self.layer(key)
            if found is not None and found[1][key] is None:
                yield found[0], found[1], key

    def restart_refused(self) -> tuple[Doc, Any, str] | None:
        """The definition and the text of a merged ``restart:`` that is no string (``restart: false``, ``5``, a
        list), which compose refuses (compose-go's schema: "services.NAME.restart must be a string"; seen in
        issues of many projects for ``restart: no`` under YAML 1.1 readers, where it is the boolean false);
        None for a string, a null (:meth:`null_refused`) or no ``restart:``."""
        found = self.layer("restart")
        value = untagged(found[1]["restart"]) if found is not None else None
        if found is None or value is None or isinstance(value, str):
            return None
        shown = (str(value).lower() if isinstance(value, bool) else "a list" if isinstance(value, list) else
                 "a mapping" if isinstance(value, dict) else clipped(str(value)))
        return found[0], found[1], shown

    def nested_layer(self, outer: str, key: str) -> tuple[Doc, dict[str, Any]] | None:
        """The definition and the ``outer`` mapping whose ``key`` compose keeps (:meth:`nested`), None when none
        sets it (or a ``!reset`` deleted it)."""
        for doc, mapping in reversed(self.merged(outer)):
            inner = mapping.get(outer) if isinstance(mapping, dict) else None
            if isinstance(inner, dict) and key in inner:
                if yaml_tag(inner[key]) == RESET_TAG:
                    return None
                if inner[key] is None:
                    continue
                return doc, inner
        return None

    def nested(self, outer: str, key: str) -> Val[Any] | None:
        """``outer.key`` (``deploy.replicas``) as compose merges it: a ``!reset`` of either deletes what the
        files before it set, a null keeps an earlier value."""
        found = self.nested_layer(outer, key)
        if found is None:
            return None
        doc, inner = found
        value = doc.val(inner, key)
        if value is not None and yaml_tag(value.value) is not None:
            value = Val(untagged(value.value), value.loc)
        if value is not None and isinstance(value.value, str) and _INTERPOLATION.search(value.value):
            return Val.unknown_at(value.loc, f"`{value.value}` (compose variable)")
        return value

    @property
    def loc(self) -> Loc:
        doc, _mapping = self.layers[0]
        services = doc.data.get("services")
        return doc.key_loc(services, self.name)


@dataclass
class ComposeProject:
    """One set of compose files that ``docker compose`` combines into one project.

    ``how`` says why these files form it (``compose default: base file and its override``, a
    ``-f`` combination with the place that runs it); ``dev_reason`` why it is a development stack.
    """

    unit: str  # deployment unit key
    files: list[SourceFile]
    services: dict[str, Service]
    how: Val[str] | None = None
    own: list[SourceFile] = field(default_factory=list)  # the files named (not pulled in by `include:`)
    ws: Workspace | None = field(default=None, compare=False, repr=False)  # reads the scripts services run
    #: the folder's default project when an override named for production is deployed on top of it: production
    #: is base + that file, so the base alone is what `docker compose up` runs on a developer's machine
    superseded: Val[str] | None = None

    @cached_property
    def dev_reason(self) -> Val[str] | None:
        """Why this project is a local-development stack (no platform findings, like a ``Procfile.dev``),
        or None: a file of its own named for development (``docker-compose.local.yml``, ``compose.dev.yaml``,
        ``local.yml``) or for a test or CI run (``docker-compose.test.yml``, ``compose.ci.yaml``; a base file's
        name never is), or in a folder for tests (``tests/``, ``e2e/``, ``test-environments/``), or a service
        started with the stack running a test suite (:data:`TEST_RUNNER`: ``npx playwright test``) or a
        development server (the
        first one found, with the line that runs it), unless a file of it is named for production
        (``docker-compose.prod.yml``: a server reloading on changes there is a production mistake); or the
        folder's default project when an override of it named for production exists (:attr:`superseded`)."""
        if self.superseded is not None:
            return self.superseded
        for src in self.own or self.files:
            name = posixpath.basename(src.rel).lower()
            if _DEV_NAME.search(name) and not is_base(src.rel):
                return Val(f"`{src.rel}` is named as a development file", Loc(src.rel, 1, 1))
            if _TEST_NAME.search(name) and not is_base(src.rel):
                return Val(f"`{src.rel}` is named as a test stack", Loc(src.rel, 1, 1))
            for pattern, purpose in ((_TEST_FOLDER, "tests"), (_DEV_FOLDER, "development")):
                folder = next((part for part in src.rel.lower().split("/")[:-1] if pattern.match(part)), None)
                if folder is not None:
                    return Val(f"`{src.rel}` is in a folder for {purpose} (`{folder}/`)", Loc(src.rel, 1, 1))
        if self.production_named:
            return None  # `docker-compose.prod.yml`: production, even when its web server reloads on changes
        for service in self.services.values():
            for key in ("command", "entrypoint"):
                found = service.layer(key)
                # a service behind `profiles:` does not start with the stack, so its tests may be optional
                run = _run_by(service, key, found[1][key]) if found is not None else None
                runner = _always_matches(run, TEST_RUNNER) \
                    if found is not None and service.layer("profiles") is None else None
                if found is not None and runner:
                    loc = found[0].value_loc(found[1], key)
                    return Val(f"service `{service.shown}` runs a test suite (`{_spaced(runner)}`, {loc})", loc)
                match = _always_matches(run, DEV_SERVER) if found is not None else None
                if found is not None and match:
                    loc = found[0].value_loc(found[1], key)
                    return Val(f"service `{service.shown}` runs a development server (`{match}`, {loc})", loc)
                script = self._dev_script(service, found) if found is not None else None
                if script is not None:
                    return Val(f"service `{service.shown}` runs a development server ({script.value})", script.loc)
                script = self._dev_script(service, found, TEST_RUNNER) \
                    if found is not None and service.layer("profiles") is None else None
                if script is not None:
                    return Val(f"service `{service.shown}` runs a test suite ({script.value})", script.loc)
        return None

    def _dev_script(self, service: Service, found: tuple[Doc, Any], pattern: re.Pattern[str] = DEV_SERVER
                    ) -> Val[str] | None:
        """A repository script the service's command runs (a word with a ``/`` or ending in ``.sh``, relative
        to the compose file's folder or the service's build context, as a mounted or copied source tree)
        that always runs a development server (or what ``pattern`` matches: :data:`TEST_RUNNER`) for the
        arguments the command gives it: a command outside
        every ``if``/``case`` and function of the script, or in the branch of ``case $1`` the first argument
        selects (a production entrypoint with a development branch is not one)."""
        if self.ws is None:
            return None
        doc, mapping = found
        value = mapping.get("command") if mapping.get("command") is not None else mapping.get("entrypoint")
        words = value if isinstance(value, list) else split(value) if isinstance(value, str) else None
        if not words:
            return None
        folder = posixpath.dirname(doc.rel)
        build = service.layer("build")
        context = build[1]["build"] if build is not None else None
        context = context.get("context") if isinstance(context, dict) else context
        folders = [folder] + ([posixpath.normpath(posixpath.join(folder, context))]
                              if isinstance(context, str) and "$" not in context else [])
        words = [str(w) for w in words]
        env: dict[str, str | None] | None = None  # the service's variables, which its script's tests may read
        for index, word in enumerate(words):
            if word.startswith("/") or "$" in word or not ("/" in word or word.endswith(".sh")):
                continue
            args = list(itertools.takewhile(lambda arg: "$" not in arg, words[index + 1:]))
            if env is None:
                env = shell_values(environment(service, self.ws, folder))
            for base in folders:
                rel = posixpath.normpath(posixpath.join(base, word))
                src = self.ws.file(rel) if not rel.startswith("../") else None
                served = always_runs(src, pattern, args, env) if src is not None else None
                if served is not None:
                    return served
        return None

    @property
    def production_named(self) -> bool:
        """A file of the project is named for production or for the platform that deploys it
        (``docker-compose.prod.yml``, ``docker-compose.coolify.yml``: :data:`_DEPLOYED_NAME`): never a development
        stack by what its services run."""
        return any(_DEPLOYED_NAME.search(posixpath.basename(src.rel).lower()) for src in self.own or self.files)

    @property
    def dev(self) -> bool:
        return self.dev_reason is not None


def _run_by(service: Service, key: str, value: Any) -> Any:
    """What the container runs, as far as ``key``'s ``value`` tells: a ``command`` after an ``entrypoint`` ending
    in a shell's ``-c`` (``entrypoint: ["sh", "-c"]``) is that shell's code, the entrypoint's words before it
    (compose splits a string ``command`` into its arguments); else ``value`` itself."""
    entry = service.layer("entrypoint") if key == "command" else None
    head = entry[1]["entrypoint"] if entry is not None else None
    words = _command_words(head)
    if not words or _shell_code([*words, ""]) != "":
        return value
    return [*words, *_command_words(value)]


def _command_words(value: Any) -> list[str]:
    """The words of a ``command``/``entrypoint`` value: its list items, or its string split as compose splits
    it; [] for anything else."""
    return [str(word) for word in value] if isinstance(value, list) else split(value) if isinstance(value, str) else []


def _always_matches(value: Any, pattern: re.Pattern[str]) -> str | None:
    """What ``pattern`` matches in a service's ``command``/``entrypoint`` ``value`` (list or string form) when
    the container always runs it: in a shell's ``-c`` string (``sh -c 'cd /app && pytest'``) only a command on
    every path of that code, as :func:`~hueylint.script_lookup.always_runs` reads a script (not one inside an
    ``if``/``case``, after an ``exec`` that may end it, or only printed by ``echo``); any other command is run
    as written, without a shell.  None when it does not."""
    code = _shell_code(_command_words(value))
    if code is None:
        match = pattern.search(str(value))
        return match.group() if match else None
    if always_runs(SourceFile(Path("-c"), "-c", code), pattern) is None:
        return None
    match = pattern.search(code)
    return match.group() if match else None


def _shell_code(words: list[str]) -> str | None:
    """The code of ``sh -c CODE`` (``bash -ec``, ``/bin/sh -c``: any shell of :data:`SHELLS`), or None."""
    if not words or posixpath.basename(words[0]) not in SHELLS:
        return None
    at = shell_string_index(words)
    return words[at] if at is not None and at < len(words) else None


def _spaced(text: str) -> str:
    """A command matched in compose's list form as the words it runs (``playwright', 'test`` -> ``playwright test``)."""
    return " ".join(re.split(_SEP, text))


def is_base(rel: str) -> bool:
    return posixpath.basename(rel).lower() in BASE_NAMES


def projects(ws: Workspace) -> list[ComposeProject]:
    """Compose files grouped into projects as ``docker compose`` groups them (cached: the Kubernetes builder
    reads them too).

    * A folder's base file (``compose.yaml``, ``compose.yml``, ``docker-compose.yml``,
      ``docker-compose.yaml``, the first found, as compose looks them up) with its override file
      (``compose.override.y(a)ml``/``docker-compose.override.y(a)ml``): what ``docker compose up`` runs
      there.  When that override makes it a development stack, the base file alone is also a project
      (production runs it with ``-f``).
    * Files combined by ``-f``/``--file`` or ``COMPOSE_FILE`` in the repository's scripts, Makefiles, CI
      workflows or ``.env`` files: one project per combination.
    * A file compose cannot run alone (services without ``image:``/``build:``, all of them services of
      the folder's base file; or a file that only swaps the base's builds for images: :func:`_override_of`)
      is an override of the base: base + file.  A ``-f`` naming the base alone runs it without its
      override: a project too.  When such an override is named for production, the default project is
      the local stack (:func:`_supersede_defaults`).
    * Every other compose file (``docker-compose-dev.yaml`` with its own services, cookiecutter-django's
      ``docker-compose.local.yml``/``.production.yml``) is an alternative project of its own.
    Each file's ``include:`` files join its project.
    """
    return ws.memo(("compose-projects",), lambda: _all_projects(ws))


def _all_projects(ws: Workspace) -> list[ComposeProject]:
    walked = ws.of_format("compose")
    compose_files = {src.rel: src for src in sorted([*walked, *_unwalked_partners(ws, walked)], key=lambda s: s.rel)}
    for src in compose_files.values():
        _refused_shapes(ws, src)
    by_folder: dict[str, list[SourceFile]] = {}
    for src in compose_files.values():
        by_folder.setdefault(posixpath.dirname(src.rel), []).append(src)
    groups: list[tuple[list[SourceFile], Val[str], str]] = []  # (files, why, unit)
    combined = _combinations(ws, compose_files)
    used: set[str] = set()
    for folder, files in by_folder.items():
        base = _first_named(files, BASE_NAMES)
        override = _first_named(files, OVERRIDE_NAMES) if base else None
        unit = folder or "."
        if base is not None:
            used.update(src.rel for src in (base, override) if src is not None)
            default = [base, override] if override is not None else [base]
            groups.append((default, Val("compose default: the base file"
                                        + (" and its override file" if override else ""), Loc(base.rel, 1, 1)),
                           unit))
            if override is not None and _project(ws, default, Val("", Loc()), "").dev and \
                    not _project(ws, [base], Val("", Loc()), "").dev:
                groups.append(([base], Val("the base file alone (its override file is for development)",
                                           Loc(base.rel, 1, 1)), base.rel))
        for src in files:
            if src in (base, override):
                continue
            # a folder without a base file of its own (`deploy/docker-compose.prod.yml`): the override of the
            # nearest base file above it, as `-f docker-compose.yml -f deploy/docker-compose.prod.yml` runs it
            target = base if base is not None else _base_above(by_folder, folder, ws, src)
            reason = _override_of(ws, src, target) if target is not None else None
            if example_name(src.rel) and not any(src.rel in combo for combo, _ in combined):
                skipped = _example_skipped(ws, src, target, reason)
                if skipped:  # never merged into the base project: said, not judged
                    used.add(src.rel)
                    ws.say(Notice(src.rel, skipped))
                continue  # a complete example stack: judged on its own, as `docker compose -f FILE up` runs it
            if target is not None and reason is not None and not any(src.rel in combo for combo, _ in combined):
                used.add(src.rel)
                groups.append(([target, src], Val(reason, Loc(src.rel, 1, 1)),
                               f"{target.rel}+{src.rel if target is not base else posixpath.basename(src.rel)}"))
    for combo, why in combined:
        files = [compose_files[rel] for rel in combo]
        if any(sorted(src.rel for src in group) == sorted(combo) for group, _why, _unit in groups):
            continue
        used.update(combo)
        unit = combo[0] if len(combo) == 1 else "+".join([combo[0], *(posixpath.basename(rel) for rel in combo[1:])])
        groups.append((files, why, unit))
    found = [_project(ws, files, why, unit) for files, why, unit in groups]
    _supersede_defaults(found, combined)
    included = {src.rel for project in found for src in project.files}  # with the `include:`d files
    for rel, src in compose_files.items():
        if rel not in used and rel not in included:
            found.append(_project(ws, [src], Val("a compose file of its own (an alternative project)",
                                                 Loc(rel, 1, 1)), rel))
    return found


def _unwalked_partners(ws: Workspace, walked: list[SourceFile]) -> list[SourceFile]:
    """The compose files compose reads with a walked one of a folder the walk did not list (``hueylint check
    docker-compose.yml`` names one file): with a base file (``compose.y(a)ml``/``docker-compose.y(a)ml``), the
    files of its folder that override it (its ``*.override.y(a)ml``, which compose merges by itself, and the
    override-shaped ones such as ``docker-compose.prod.yml``, :func:`_override_of`); with such an override, its
    base file (in its folder, else the nearest folder above, as :func:`_base_above` finds it) and the base's
    other overrides (a production one makes the base alone the local stack).  Read on demand, as a run over the
    whole repository reads them (not a git-ignored or configured-``exclude`` one, nor an example to copy);
    another complete stack of the folder, an alternative project, is not."""
    if ("", "scan") in ws.listings:
        return []  # a walk from the root (`hueylint check .`) listed every folder it walked into
    found: list[SourceFile] = []
    known = {src.rel for src in walked}

    def listed(folder: str) -> list[SourceFile]:  # the compose files of a folder the walk did not list
        files = []
        for name in ws.list_folder(folder) or []:
            rel = posixpath.join(folder, name) if folder else name
            if rel in known or not is_compose(name) or example_name(rel) or not ws.exists(rel) or ws.excluded(rel):
                continue
            src = ws.file(rel)  # (read on demand as text: the name says compose)
            if src is not None:
                files.append(src)
        return files

    def overriding(files: list[SourceFile], base: SourceFile) -> list[SourceFile]:
        return [src for src in files if src is not base and (posixpath.basename(src.rel).lower() in OVERRIDE_NAMES
                                                             or _override_of(ws, src, base) is not None)]

    for folder in sorted({posixpath.dirname(src.rel) for src in walked}):
        mine = [src for src in walked if posixpath.dirname(src.rel) == folder]
        # a folder the walk listed: it walked every compose file there, but maybe not the base above them
        others = [] if (folder, "scan") in ws.listings else listed(folder)
        base = _first_named(mine, BASE_NAMES)
        above = folder
        while base is None:  # an override: its base, of its folder or the nearest one above
            candidates = [*mine, *others] if above == folder else \
                [src for src in walked if posixpath.dirname(src.rel) == above] \
                if (above, "scan") in ws.listings else listed(above)
            base = _first_named(candidates, BASE_NAMES)
            if base is not None and overriding(mine, base):
                found += [base, *overriding(candidates, base)]
                known.update(src.rel for src in found)
            elif base is None and above:
                above = posixpath.dirname(above)
                continue
            base = None
            break
        if base is not None:
            found += overriding(others, base)
            known.update(src.rel for src in found)
    own = {src.rel for src in walked}
    return list({src.rel: src for src in found if src.rel not in own}.values())


def example_name(rel: str) -> bool:
    """Whether the compose file ``rel`` is named as an example to copy (:data:`_EXAMPLE_NAME`), such as
    ``docker-compose.override.example.yml`` or ``docker-compose.override.yml.template``."""
    return bool(_EXAMPLE_NAME.search(posixpath.basename(rel).lower()))


def _example_skipped(ws: Workspace, src: SourceFile, base: SourceFile | None, override: str | None) -> str:
    """Why the example compose file ``src`` (:func:`example_name`) that no script combines with ``-f`` is not
    checked, or "" when it is a complete stack of its own, judged alone.  An override example (named so, or
    shaped as an override of the folder's ``base``: :func:`_override_of`) takes effect only once copied to the
    override file's name, and a file with a service lacking ``image:``/``build:``/``extends:`` cannot run alone
    (compose refuses it): neither is merged into the base project, whose files compose reads by themselves."""
    shown = f"`{base.rel}`" if base is not None else "a base file"
    name = posixpath.basename(src.rel)
    copied = _EXAMPLE_NAME.sub(lambda match: match.group(3) if match.group(1) and match.group(3) else "", name)
    if override is not None or "override" in name.lower():
        reads = f"merges `{copied}` by itself, this file only when it is named with `-f`" \
            if copied.lower() in OVERRIDE_NAMES else f"reads it (or `{copied}`, once copied) only when named with `-f`"
        return f"an example override of {shown}, never merged into it: compose {reads}: not checked"
    partial = sorted(name for name, mapping in _services(ws, src).items()
                     if not (isinstance(mapping, dict) and {"image", "build", "extends"} & set(mapping)))
    if partial:
        return (f"an example compose file whose service `{clipped(partial[0])}` has neither `image:` nor `build:`: "
                "compose cannot run it alone and reads it only when named with `-f`: not checked")
    return ""


def _first_named(files: list[SourceFile], wanted: Sequence[str]) -> SourceFile | None:
    """The file of one folder's ``files`` named first in ``wanted`` (lower-case names: :data:`BASE_NAMES`,
    :data:`OVERRIDE_NAMES`, in compose's order of preference), or None."""
    names = {posixpath.basename(src.rel).lower(): src for src in files}
    return next((names[name] for name in wanted if name in names), None)


def _base_above(by_folder: dict[str, list[SourceFile]], folder: str, ws: Workspace,
                src: SourceFile) -> SourceFile | None:
    """The base file of the nearest folder above ``folder`` of which ``src`` is an override (:func:`_override_of`),
    or None."""
    while folder:
        folder = posixpath.dirname(folder)
        base = _first_named(by_folder.get(folder, []), BASE_NAMES)
        if base is not None and _override_of(ws, src, base) is not None:
            return base
    return None


def _supersede_defaults(found: list[ComposeProject], combined: list[tuple[list[str], Val[str]]]) -> None:
    """Mark a folder's default project (its base file, with its override file) as superseded when an override of
    that base named for production (``docker-compose.prod.yml`` holding only changes to the base's services) is
    combined with it: production runs base + that file, so the base alone, whose services then get compose's
    defaults for what the production file sets (stop signal, grace period, restart policy), is not judged as a
    deployment.  Not when the repository itself runs the base alone (``docker compose -f docker-compose.yml
    up`` in a script: that combination is the default project too)."""
    for project in found:
        how = project.how
        if how is None or not str(how.value or "").startswith("compose default") or not project.own:
            continue
        base = project.own[0]
        if any(combo == [base.rel] for combo, _why in combined):
            continue
        production = next((other for other in found if other is not project and len(other.own) == 2
                           and other.own[0] is base and _PROD_NAME.search(posixpath.basename(other.own[1].rel).lower())
                           and other.dev_reason is None),  # not `docker-compose.test-prod-db.yaml`, a test stack
                          None)
        if production is not None:
            prod = production.own[1].rel
            project.superseded = Val(f"production runs `{base.rel}` with its override `{prod}`, so the base file "
                                     "alone is the local stack", Loc(prod, 1, 1))


def _refused_shapes(ws: Workspace, src: SourceFile) -> None:
    """HL001 where a compose file's shape makes compose refuse the project (compose-go's schema:
    ``services.image must be a mapping`` for a service's keys indented one level too little, ``services must
    be a mapping``, ``Top-level object must be a mapping``); what can still be read is read.  A null document or
    service is not refused here (an empty override, a service only named).  A file taken for compose by its
    top-level ``services:`` key alone, not by a compose file's name, whose ``services`` or top level is no
    mapping is no compose file at all (``.gitlab-ci.yml``, ``.travis.yml`` and ``.woodpecker/*.yml`` list their
    job services): nothing is said of it."""
    named = compose_name(posixpath.basename(src.rel))
    docs = load(ws, src) or []
    if named or any(isinstance(doc.data, dict) and isinstance(doc.data.get("services"), dict) for doc in docs):
        for repeated in repeated_keys(src.text):  # compose-go (yaml.v3): "mapping key ... already defined"
            ws.unparseable(src, repeated.line, repeated.col,
                           f"`{repeated.key}` is already defined at line {repeated.first_line} of this mapping: "
                           "compose refuses the project (a YAML mapping's keys are unique)")
    for doc in docs:
        data = doc.data
        if data is None:
            continue
        if not isinstance(data, dict):
            if not named:
                continue
            loc, what = doc.node_loc(data), "the top-level object"
        elif data.get("services") is not None and not isinstance(data.get("services"), dict):
            if not named:
                continue
            loc, what = doc.value_loc(data, "services"), "services"
        else:
            services = data.get("services") or {}
            name = next((name for name, value in services.items()  # `worker: !reset` deletes it: no refusal
                         if value is not None and not isinstance(value, dict) and yaml_tag(value) != RESET_TAG),
                        None)
            if name is None:
                continue
            loc, what = doc.key_loc(services, name), f"services.{name}"
        ws.unparseable(src, loc.line, loc.col, f"{what} must be a mapping: compose refuses the project")


def _project(ws: Workspace, files: list[SourceFile], why: Val[str], unit: str) -> ComposeProject:
    """The services of ``files`` merged in order (each file's ``include:`` files first)."""
    ordered: list[SourceFile] = []
    for src in files:
        for extra in [*_included(ws, src, set()), src]:
            if extra not in ordered:
                ordered.append(extra)
    services: dict[str, Service] = {}
    for src in ordered:
        for doc in load(ws, src) or []:
            data = doc.data.get("services") if isinstance(doc.data, dict) else None
            if not isinstance(data, dict):
                continue
            for name, mapping in data.items():
                tag = yaml_tag(mapping)
                if tag == RESET_TAG:  # `worker: !reset`: compose deletes the service the files before made
                    services.pop(str(name), None)
                    continue
                service = services.setdefault(str(name), Service(str(name)))
                if tag == OVERRIDE_TAG:  # `worker: !override {...}`: this definition replaces theirs, not merged
                    service.layers.clear()
                service.layers.append((doc, mapping or {}))
    for service in services.values():
        service.bases = _extended(ws, service, services)
        _extends_cycle(ws, service, services)
        for doc, mapping, key in service.null_refused():
            loc = doc.key_loc(mapping, key)
            ws.unparseable(doc.src, loc.line, loc.col, f"`{key}: null`: compose refuses the project "
                           f"(services.{service.shown}.{key} must be {NOT_NULL[key]})")
        refused = service.restart_refused()
        if refused is not None:
            doc, mapping, shown = refused
            loc = doc.value_loc(mapping, "restart")
            ws.unparseable(doc.src, loc.line, loc.col, f"`restart:` holds {shown if ' ' in shown else f'`{shown}`'}, "
                           f"no string: compose refuses the project (services.{service.shown}.restart must be a "
                           "string: `\"no\"`, `always`, `on-failure` or `unless-stopped`)")
    return ComposeProject(f"compose:{unit}", ordered, services, why, list(files), ws)


#: the deepest ``extends:`` chain followed (a committed file could chain thousands of services: each service's
#: chain was followed recursively, a RecursionError past ~1,000 and quadratic before)
MAX_EXTENDS = 64


def _extended(ws: Workspace, service: Service, services: dict[str, Service]) -> list[tuple[Doc, Any]]:
    """The definitions ``extends:`` gives ``service`` (compose file reference, "extends"): the named service of
    this project, or of ``file:`` (relative to the declaring file; outside the repository: none), with its own
    ``extends:`` first; a cycle or an unknown service ends the chain there.  A chain deeper than
    :data:`MAX_EXTENDS` gives none, and HL001 at the service's ``extends:``."""
    bases: list[Service] = []
    seen: set[tuple[str, str]] = set()
    current = service
    while (found := _extends(current)) is not None:
        doc, _mapping, name, path = found
        base: Service | None
        if path is None:
            base, where = services.get(name), doc.rel
        else:
            where = posixpath.normpath(posixpath.join(posixpath.dirname(doc.rel), path))
            src = ws.file(where) if not _outside(where) else None
            base = None
            if src is None and _outside(where):
                service.unread = (doc.key_loc(_mapping, "extends"), path)
            for other in (load(ws, src) or []) if src is not None else []:
                data = other.data.get("services") if isinstance(other.data, dict) else None
                if isinstance(data, dict) and isinstance(data.get(name), dict):
                    base = Service(name, [(other, data[name])])
        if base is None or (where, name) in seen or base is current:
            break
        if len(bases) == MAX_EXTENDS:
            own_doc, own_mapping, *_ = _extends(service) or found
            loc = own_doc.key_loc(own_mapping, "extends")
            ws.unparseable(own_doc.src, loc.line, loc.col,
                           f"extends: a chain more than {MAX_EXTENDS} services deep: not followed")
            return []
        seen.add((where, name))
        bases.append(base)
        current = base
    return [layer for base in reversed(bases) for layer in base.layers]


def _extends(service: Service) -> tuple[Doc, dict, str, str | None] | None:
    """The ``extends:`` of ``service``'s own definitions (the last that has one, not a base's): (its document,
    the mapping holding it, the service it names, its ``file:`` or None); None without one, or when either
    is not a literal string."""
    found = next(((doc, mapping) for doc, mapping in reversed(service.layers)
                  if isinstance(mapping, dict) and "extends" in mapping), None)
    if found is None:
        return None
    doc, mapping = found
    spec = mapping.get("extends")
    name = spec if isinstance(spec, str) else spec.get("service") if isinstance(spec, dict) else None
    path = spec.get("file") if isinstance(spec, dict) else None
    if not isinstance(name, str) or "$" in name or (path is not None and (not isinstance(path, str) or "$" in path)):
        return None
    return doc, mapping, name, path


def _extends_cycle(ws: Workspace, service: Service, services: dict[str, Service]) -> None:
    """HL001 at ``service``'s ``extends:`` when the services of its file it extends (no ``file:``, or its own) lead
    back to it: ``docker compose`` refuses the project ("circular reference"), so none of it runs."""
    own = current = _extends(service)
    if own is None:
        return
    chain = [service.name]  # (a cycle longer than MAX_EXTENDS is a chain too deep for _extended)
    while current is not None and _same_file(current[0].rel, current[3]) and current[2] in services and \
            len(chain) <= MAX_EXTENDS:
        if current[2] == service.name:
            doc, mapping = own[0], own[1]
            loc = doc.key_loc(mapping, "extends")
            ws.unparseable(doc.src, loc.line, loc.col, f"extends: a cycle ({' -> '.join([*chain, service.name])}): "
                                                       "docker compose refuses the project")
            return
        if current[2] in chain:
            return  # a cycle further on: reported at its own services
        chain.append(current[2])
        current = _extends(services[current[2]])


def _same_file(rel: str, path: str | None) -> bool:
    """Whether an ``extends:`` written in ``rel`` names a service of its own file: no ``file:``, or one that is
    ``rel`` itself (``file: compose.yaml`` in compose.yaml)."""
    return path is None or posixpath.normpath(posixpath.join(posixpath.dirname(rel), path)) == rel


#: the deepest ``include:`` nesting followed (a committed chain of 1,500 files, each including the next, was a
#: RecursionError; files including two others each, 30 deep, were 2**30 walks)
MAX_INCLUDES = 32


def _included(ws: Workspace, src: SourceFile, seen: set[str], done: set[str] | None = None) -> list[SourceFile]:
    """The files a compose file's top-level ``include:`` pulls in (strings, or ``path:`` string/list),
    relative to its folder, recursively (each file once; deeper than :data:`MAX_INCLUDES`: HL001 at the
    ``include:`` not followed); files outside the repository are left out.  ``seen``: the including files."""
    done = set() if done is None else done
    seen = seen | {src.rel}
    found: list[SourceFile] = []
    for doc in load(ws, src) or []:
        items = doc.data.get("include") if isinstance(doc.data, dict) else None
        for item in items if isinstance(items, list) else []:
            paths = item.get("path") if isinstance(item, dict) else item
            for path in [paths] if isinstance(paths, str) else paths if isinstance(paths, list) else []:
                if not isinstance(path, str) or "$" in path:
                    continue
                rel = posixpath.normpath(posixpath.join(posixpath.dirname(src.rel), path))
                if _outside(rel):
                    ws.not_read_outside(doc.key_loc(doc.data, "include"), f"`include: {clipped(path)}`",
                                        "the services it defines are not checked")
                    continue
                target = ws.file(rel)
                if target is None or rel in seen or rel in done or rel.startswith("../"):
                    continue
                if len(seen) > MAX_INCLUDES:
                    loc = doc.key_loc(doc.data, "include")
                    ws.unparseable(src, loc.line, loc.col, f"include: nested more than {MAX_INCLUDES} files deep: "
                                                           "not followed")
                    return found
                done.add(rel)
                found += [*_included(ws, target, seen, done), target]
    return found


#: the keys that only say where a service's image comes from (compose file reference: build, image,
#: platform, pull_policy): a file setting nothing else for the base file's services runs none of them alone
_IMAGE_SOURCE_KEYS = frozenset({"build", "image", "platform", "pull_policy"})


def _override_of(ws: Workspace, src: SourceFile, base: SourceFile) -> str | None:
    """Why ``src`` is an override of the folder's ``base`` file, combined with it (``-f base -f src``),
    or None when it is a project of its own:

    * it has services without ``image:``, ``build:`` or ``extends:``, all of them services of ``base``:
      compose refuses to run ``src`` alone ("neither an image nor a build context"); it may add services
      of its own, an nginx say;
    * every one of its services is a service of ``base`` and sets only where the image comes from
      (``build:``/``image:``, a ``docker-compose.build.yml`` that builds locally what the base pulls):
      alone, compose would start them without anything the base gives them (command, volumes,
      environment, stop settings);
    * it builds nothing and sets no command, and a service of it that the base builds and gives a command names
      an image instead (``image: registry/app`` with stop settings and a restart policy): alone, that service
      would run the image's default command, not the base's."""
    own, base_services = _services(ws, src), _services(ws, base)
    partial = [name for name, mapping in own.items()
               if not (isinstance(mapping, dict) and {"image", "build", "extends"} & set(mapping))]
    if partial and all(name in base_services for name in partial):
        return f"`{src.rel}` only extends services of `{base.rel}` (compose cannot run it alone)"
    if own and all(name in base_services and isinstance(mapping, dict) and set(mapping) <= _IMAGE_SOURCE_KEYS
                   for name, mapping in own.items()):
        return (f"`{src.rel}` only sets where the images of services of `{base.rel}` come from "
                "(`build:`/`image:`): an override of it")
    # a service that pulls an image where the base builds one, and leaves the command to the base (the base's
    # `build: .` + `command: run_huey`, the file's `image: registry/app` + stop settings): alone, compose would run
    # the image's default command in every such service, the worker's as the web's
    relying = [name for name, mapping in own.items() if isinstance(mapping, dict) and "build" not in mapping
               and not {"command", "entrypoint"} & set(mapping) and isinstance(base_services.get(name), dict)
               and "build" in base_services[name] and {"command", "entrypoint"} & set(base_services[name])]
    if relying and all(name in base_services for name in own) and not any(
            isinstance(mapping, dict) and {"command", "entrypoint", "build"} & set(mapping) for mapping in own.values()):
        return (f"`{src.rel}` only changes services of `{base.rel}` and leaves their commands to it (`{relying[0]}` "
                "runs the base's `command:` in the image it names): an override of it")
    return None


def _services(ws: Workspace, file: SourceFile) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for doc in load(ws, file) or []:
        data = doc.data.get("services") if isinstance(doc.data, dict) else None
        if isinstance(data, dict):
            merged.update({str(k): v for k, v in data.items()})
            for name in [str(k) for k, v in data.items() if yaml_tag(v) == RESET_TAG]:
                del merged[name]  # deleted by the file itself (compose-go ``loader/reset.go``)
    return merged


_COMPOSE_CALL = lazy_pattern(r"\bdocker[- ]compose\b|\bdocker\s+compose\b|\bpodman[- ]compose\b")
_FILE_OPTION = lazy_pattern(r"""(?:^|\s)(?:-f|--file)(?:\s+|=)(["']?)([^\s"';|&)]+)\1""")
_STACK_CALL = lazy_pattern(r"\bdocker\s+stack\s+(?:deploy|up)\b")
_STACK_OPTION = lazy_pattern(r"""(?:^|\s)(?:-c|--compose-file)(?:\s+|=)(["']?)([^\s"';|&)]+)\1""")
_COMPOSE_FILE = lazy_pattern(r"""\bCOMPOSE_FILE\s*[:=]\s*(["']?)([^\s"']+)\1""")
def _combinations(ws: Workspace, compose_files: dict[str, SourceFile]) -> list[tuple[list[str], Val[str]]]:
    """Compose files run together: ``docker compose -f a.yml -f b.yml``, ``docker stack deploy -c a.yml -c
    b.yml`` or ``COMPOSE_FILE=a.yml:b.yml`` in a
    file that runs compose, each path resolved against that file's folder, then the repository root (a CI
    job runs at the root).  Only combinations whose every file is a compose file of the repository."""
    found: list[tuple[list[str], Val[str]]] = []
    if len(compose_files) < 2:
        return found  # nothing to combine
    for src in runner_files(ws, lambda text: "compose" in text.lower() or "COMPOSE_FILE" in text):
        lines = src.text.replace("\\\n", " ").split("\n")
        for number, line in enumerate(lines, 1):
            runs = _invocations(line)
            setting = _COMPOSE_FILE.search(line)
            if setting and not any(runs):
                runs = [re.split(r"[:;]", setting.group(2))]
            for paths in runs:
                if not paths or any("$" in path for path in paths):
                    continue
                resolved = _resolve_all(paths, [posixpath.dirname(src.rel), ""], compose_files)
                if resolved and not any(combo == resolved for combo, _ in found):
                    loc = Loc(src.rel, number, 1)
                    found.append((resolved, Val(f"combined by `{src.rel}:{number}`", loc)))
    return found


_VARIABLE = lazy_pattern(r"\$\{?\w+\}?|\*")
_PROJECT_DIRECTORY = lazy_pattern(r"""(?:^|[\s"'])--project-directory(?:\s+|=)(["']?)([^\s"';|&)]+)\1""")


def project_folder(ws: Workspace, project: ComposeProject) -> str:
    """The project directory compose resolves the project's relative paths against (``build:``, ``env_file:``,
    bind mounts): the folder of its first file, or the ``--project-directory`` the repository runs it with
    (:func:`_project_directories`); read once a run (the builder and :func:`built_images` both ask)."""
    return ws.memo(("compose-project-folder", *(src.rel for src in project.files)),
                   lambda: _project_folder(ws, project))


def _project_folder(ws: Workspace, project: ComposeProject) -> str:
    first = project.files[0].rel
    folder = posixpath.dirname(first)
    contexts = [posixpath.normpath(posixpath.join(folder, spec[0]))
                for spec in map(_build_spec, project.services.values()) if spec is not None]
    if all(leads_outside(context) or ws.is_folder(context) for context in contexts):
        return folder  # every build is where compose looks by default: no script's options to read
    given = _project_directories(ws).get(first)
    return given if given is not None else folder


def _project_directories(ws: Workspace) -> dict[str, str]:
    """Compose files the repository runs with ``--project-directory DIR`` (``docker-compose --project-directory .
    -f docker-compose/base.yml``), by repo path: DIR resolved as the ``-f`` path is (the running file's folder,
    then the root).  A file that runs compose with one project directory (no variable in it) gives it to every
    compose file it names with ``-f``/``--file``, also through a variable it builds the options in
    (``ARGS="$ARGS -f docker-compose/base.yml"``), a variable in the path standing for any name there
    (``-f "docker-compose/$CONF.yml"``); files naming several project directories give none."""
    def read() -> dict[str, str]:
        compose = {src.rel for src in ws.of_format("compose")}
        found: dict[str, str] = {}
        for src in runner_files(ws, lambda text: "--project-directory" in text):
            text = src.text.replace("\\\n", " ")
            if not _COMPOSE_CALL.search(text):
                continue
            given = {match.group(2) for match in _PROJECT_DIRECTORY.finditer(text)}
            if len(given) != 1 or any("$" in value for value in given):
                continue
            directory = given.pop()
            for match in _FILE_OPTION.finditer(text):
                # a variable in the path (`-f docker-compose/$CONF.yml` in a loop) stands for any compose file there
                pattern = _VARIABLE.sub("*", match.group(2))
                for base in (posixpath.dirname(src.rel), ""):
                    wanted = posixpath.normpath(posixpath.join(base, pattern))
                    named = [rel for rel in sorted(compose) if fnmatchcase(rel, wanted)] if "*" in pattern else \
                        [wanted] if wanted in compose else []
                    folder = posixpath.normpath(posixpath.join(base, directory))
                    for rel in named if not leads_outside(folder) else []:
                        found.setdefault(rel, "" if folder == "." else folder)
                    if named:
                        break
        return found

    return ws.memo(("compose-project-directories",), read)


_COMMAND_END = lazy_pattern(r"&&|\|\||[;|]")


def _invocations(line: str, stacks: list[tuple[int, list[str]]] | None = None) -> list[list[str]]:
    """The files of each ``docker compose`` (``-f``) or ``docker stack deploy`` (``-c``: swarm merges them
    like compose) command on a shell line, in order.  A command ends at ``&&``, ``||``, ``;`` or ``|``
    (``compose -f a.yml down && compose -f a.yml up`` runs ``a.yml`` twice, never ``a.yml`` merged with
    itself); a file named twice in one command is loaded once.  ``stacks`` also gets each ``docker stack deploy``
    command's (column, files)."""
    runs: list[list[str]] = []
    position = 0
    while True:
        found = [(m, option) for m, option in ((_COMPOSE_CALL.search(line, position), _FILE_OPTION),
                                              (_STACK_CALL.search(line, position), _STACK_OPTION)) if m]
        if not found:
            return runs
        call, option = min(found, key=lambda pair: pair[0].start())
        cut = _COMMAND_END.search(line, call.end())
        stop = cut.start() if cut else len(line)
        runs.append(list(dict.fromkeys(match.group(2) for match in option.finditer(line[call.end():stop]))))
        if stacks is not None and option is _STACK_OPTION:
            stacks.append((call.start() + 1, runs[-1]))
        position = cut.end() if cut else len(line)


def _resolve_all(paths: list[str], folders: list[str], compose_files: dict[str, SourceFile]) -> list[str] | None:
    for folder in folders:
        resolved = [posixpath.normpath(posixpath.join(folder, path)) for path in paths]
        if all(rel in compose_files for rel in resolved):
            return resolved
    return None


# -- images ---------------------------------------------------------------------------------------

def _build_spec(service: Service) -> tuple[str, str, str | None] | None:
    """The context, Dockerfile and target of the service's ``build:`` as written (relative to the project
    directory), or None: no build, an inline Dockerfile, a remote context or a compose variable in a path.
    compose merges ``build:`` over the project's files key by key (an override setting only ``target:`` or
    ``cache_from:`` keeps the base file's context and Dockerfile); the short syntax is the context."""
    context, dockerfile, target = ".", "Dockerfile", None
    found = service.merged("build")
    if not found or service.layer("build") is None:
        return None
    for _doc, layer in found:
        build = layer["build"]
        if isinstance(build, str):
            context = build
        elif isinstance(build, dict):
            context = str(build["context"]) if build.get("context") is not None else context
            dockerfile = str(build["dockerfile"]) if build.get("dockerfile") is not None else dockerfile
            target = str(build["target"]) if build.get("target") is not None else target
            if "dockerfile_inline" in build:
                return None
        elif build is not None:
            return None
    if "://" in context or context.startswith("git@") or "$" in context or "$" in dockerfile:
        return None
    return context, dockerfile, target


def build_source(ws: Workspace, service: Service, folder: str) -> docker.ImageSource | None:
    found = service.layer("build")
    spec = _build_spec(service)
    if found is None or spec is None:
        return None
    doc, mapping = found
    loc = doc.value_loc(mapping, "build")
    context, dockerfile, target = spec
    context_rel = posixpath.normpath(posixpath.join(folder, context))
    dockerfile_rel = posixpath.normpath(posixpath.join(context_rel, dockerfile))
    if leads_outside(context_rel) or leads_outside(dockerfile_rel):
        shown = context if leads_outside(context_rel) else dockerfile
        ws.not_read_outside(loc, f"the build of service `{service.shown}` (`{clipped(shown)}`)", "the image it builds "
                            "(its command, STOPSIGNAL, USER) is unknown")
        return None
    dockerfile_rel = docker.dockerfile_path(ws, dockerfile_rel)
    missing = f"build context `{context_rel}`" if not ws.is_folder(context_rel) \
        else "" if ws.exists(dockerfile_rel) else f"Dockerfile `{dockerfile_rel}`"
    if missing and not _serves_beside_huey(service):
        # compose would refuse to build it; the tree checked is not what is deployed, or the folder differs
        resolved = f"`{clipped(context)}` against the project directory `{folder or '.'}`" \
            if missing.startswith("build") else f"`{clipped(dockerfile)}` against the build context `{context_rel}`"
        ws.say(Notice(loc.path or "", f"line {loc.line}: the {missing} of service `{service.shown}` is not in the "
                                      f"repository (compose resolves {resolved}): the image it builds (its command, "
                                      "STOPSIGNAL, USER) is unknown"))
    image = service.val("image")
    name = str(image.value) if image is not None and image.known and image.value else ""
    return docker.ImageSource(dockerfile_rel, target, "" if context_rel == "." else context_rel, loc, name)


def _serves_beside_huey(service: Service) -> bool:
    """The service is named for a server a deployment runs beside huey (:func:`hueylint.launches.names_a_server`:
    ``postgres``, ``redis``, ``nginx``) and its ``command:``/``entrypoint:`` name no consumer: the image it builds
    runs that server, so one not in the repository hides no consumer (field: a sample compose file building
    `postgres`, `redis` and `nginx` from a `compose/production/` folder the repository does not hold got a notice
    each).  As :func:`hueylint.launches.unbuilt_named_image` judges an image named so."""
    if not names_a_server(service.name):
        return False
    for key in ("command", "entrypoint"):
        value = service.val(key)
        if value is not None and (not value.known or CONSUMER_WORD.search(str(value.value))):
            return False
    return True


class ImageIndex:
    """Named image sources indexed by the last part of the image name (``docker.same_image`` needs it equal),
    so finding the image a service runs costs one lookup, not one look at every service."""

    def __init__(self, sources: list[docker.ImageSource]) -> None:
        self.by_name: dict[str, list[docker.ImageSource]] = {}
        self.order = {id(source): index for index, source in enumerate(sources)}
        for source in sources:
            if source.name:
                last = docker.image_key(source.name).rsplit("/", 1)[-1]
                # a last part spelled by the repository's identity (`ghcr.io/%github-repository%`) may be any
                self.by_name.setdefault("%" if has_markers(last) else last, []).append(source)

    def find(self, image: str) -> docker.ImageSource | None:
        """The first source (in the order given) that builds ``image``: its last part's bucket and the bucket of
        names with markers, each in that order already, merged as they are read (not sorted per call)."""
        candidates: Iterable[docker.ImageSource] = self.by_name.get(docker.image_key(image).rsplit("/", 1)[-1], [])
        if "%" in self.by_name:
            candidates = heapq.merge(candidates, self.by_name["%"], key=lambda source: self.order[id(source)])
        return next((source for source in candidates if docker.same_image(source.name, image)), None)


def _project_built(ws: Workspace, project: ComposeProject, folder: str) -> list[docker.ImageSource]:
    def built() -> list[docker.ImageSource]:
        found = (build_source(ws, service, folder) for service in project.services.values())
        return [source for source in found if source is not None and source.name]

    return ws.memo(("compose-project-built", *(src.rel for src in project.files)), built)


def _tag_variable_only(service: Service) -> str | None:
    """The image as written when compose variables appear only in its tag or digest (``org/app:${TAG}``), or
    are the CI's names of the repository itself (``${CI_REGISTRY_IMAGE}/worker``, as markers): the name, which is
    what links the service to the image a repo file builds, is known."""
    found = service.layer("image")
    if found is None:
        return None
    doc, mapping = found
    raw = doc.val(mapping, "image")
    text = raw.value if raw is not None and isinstance(raw.value, str) else ""
    text = spelled(text)  # `${CI_REGISTRY_IMAGE}/worker`: the CI's name of the repository
    name = docker.image_key(text)
    return text if name and not _INTERPOLATION.search(name) else None


def built_images(ws: Workspace) -> list[docker.ImageSource]:
    """Every image name the repo's compose files (and skaffold configs) build, with its Dockerfile."""
    def built() -> list[docker.ImageSource]:
        found: list[docker.ImageSource] = []
        for project in projects(ws):
            found += _project_built(ws, project, project_folder(ws, project))
        return found

    return ws.memo(("compose-built-images",), built)


def image_for(ws: Workspace, service: Service, project: ComposeProject, folder: str,
              extra: list[docker.ImageSource] | None = None) -> docker.ImageSource | None:
    """The image a service runs: its own ``build:``, else the first service of its project, then of the
    repo's compose projects, then a build script of the repo (then ``extra``), that builds the image it names."""
    own = build_source(ws, service, folder)
    if own is not None:
        return own
    image = service.val("image")
    if image is None:
        return None
    name = image.value if image.known else _tag_variable_only(service)  # `org/app:${TAG}` still names org/app
    if not name:
        return None
    indexes = ws.memo(("compose-image-index", *(src.rel for src in project.files)), lambda: (
        ImageIndex(_project_built(ws, project, folder)), ImageIndex(built_images(ws)),
        ImageIndex(script_built_images(ws))))  # `docker build -t` in the repo's scripts
    for index in (*indexes, *([ImageIndex(extra)] if extra else [])):
        found = index.find(str(name))
        if found is not None:
            return found
    named = repository_image(ws, str(name))  # `ghcr.io/acme/shop` in a clone of github.com/acme/shop
    return named if isinstance(named, docker.ImageSource) else None


# -- commands -------------------------------------------------------------------------------------

def command_tokens(service: Service, key: str) -> list[Token] | None:
    """``command``/``entrypoint`` as tokens with their own positions; None when not overridden."""
    found = service.layer(key)
    if found is None:
        return None
    doc, mapping = found
    value = mapping[key]
    if value is None:
        return None
    if isinstance(value, list):
        return [item_token(doc, value, index) for index in range(len(value))]
    text = str(value)
    loc = doc.value_loc(mapping, key)
    words = place_words(doc, split(text), loc, doc.value_spots(mapping, key), text)
    # a Jinja template's placeholder or block (`-w {{ workers }}`): the word as written, a value set when the
    # template is rendered (its marker would be a literal word: huey refusing `-w __hueylint_tpl_1__`)
    return [Token(doc.restore(word.text), word.loc) if MARKER in word.text else word for word in words]


def _refused_command(ws: Workspace, service: Service) -> bool:
    """Whether compose refuses the service's ``command``/``entrypoint`` string: compose-go splits a string with
    go-shellwords (``transformShellCommand``), which fails on a quote never closed or a trailing backslash
    ("invalid command line string"), so `docker compose up` loads no project; HL001 at the string.  A
    template's placeholder or block is left to its rendering."""
    refused = False
    for key in ("entrypoint", "command"):
        found = service.layer(key)
        value = found[1][key] if found is not None else None
        if isinstance(value, str) and MARKER not in value and shell_words(value) is None:
            loc = found[0].value_loc(found[1], key)  # type: ignore[index]
            ws.unparseable(loc.path or "", loc.line, loc.col,
                           f"compose cannot split service `{clipped(service.name)}`'s `{key}:` into words (a quote "
                           "never closed, or a `\\` at its end: \"invalid command line string\"), so it loads "
                           "no service of the project and the consumer never starts")
            refused = True
    return refused


def item_token(doc: Doc, seq: list[Any], index: int) -> Token:
    """Item ``index`` of a YAML command list as a token at its place; a string over several lines (``- |``
    and the lines below it) keeps where each of its characters is written, for the words of a ``sh -c``."""
    text = doc.restore(str(seq[index]))
    spots = doc.item_spots(seq, index) if isinstance(seq[index], str) and text == seq[index] else None
    if "$$" in text:  # compose interpolates every string (`$$` is a literal `$`)
        text, spots = _interpolated(text, spots)
    return Token(text, doc.item_loc(seq, index), spots=spots)


def _interpolated(text: str, spots: Spots | None) -> tuple[str, Spots | None]:
    """``text`` as compose interpolates its ``$$`` (a literal ``$``, read left to right as ``str.replace``), and
    ``spots`` moved with it: such a ``$`` spans both characters it is written as (so no fix is written next to
    it as if it were one character), the others keep theirs."""
    chars: list[str] = []
    moved: list[tuple[int, int, int] | None] = []
    at = 0
    while at < len(text):
        pair = text.startswith("$$", at)
        chars.append("$" if pair else text[at])
        if spots is not None and len(spots.spots) == len(text):
            first, last = spots.spots[at], spots.spots[at + 1 if pair else at]
            moved.append((first[0], first[1], last[2]) if first and last and first[0] == last[0] else None)
        at += 2 if pair else 1
    return "".join(chars), Spots(tuple(moved)) if spots is not None and len(spots.spots) == len(text) else None


def place_words(doc: Doc, words: list[str], loc: Loc, spots: Spots | None = None, text: str = "") -> list[Token]:
    """``words`` split from a command string, each at its place: found in order in the string ``text`` and
    placed through its ``spots`` when known (a YAML scalar, also over several lines), else found in order in
    the file's lines from ``loc`` on (a word not found there stays at ``loc``)."""
    if spots is not None and len(spots.spots) == len(text):
        placed_tokens: list[Token] = []
        at = 0
        for word in words:
            found = text.find(word, at)
            span = spots.span(found, found + len(word)) if found >= 0 and word else None
            if span is None:
                placed_tokens.append(Token(word.replace("$$", "$"), loc))
                continue
            at = found + len(word)
            interpolated, own = _interpolated(word, Spots(spots.spots[found:at]))  # a `sh -c` string's words
            placed_tokens.append(Token(interpolated, Loc(loc.path, *span), spots=own))
        return placed_tokens
    tokens: list[Token] = []
    line, cursor = loc.line, max(loc.col - 1, 0)
    last = len(doc.src.lines)
    for word in words:
        placed = None
        for candidate in range(line, min(line + 30, last) + 1):
            text = doc.src.line(candidate)
            found = text.find(word, cursor if candidate == line else 0)
            if found >= 0:
                placed = doc.loc(candidate - 1, found, len(word))
                line, cursor = candidate, found + len(word)
                break
        tokens.append(Token(word.replace("$$", "$"), placed or loc))
    return tokens


# -- stop behaviour -------------------------------------------------------------------------------

def outside_build(service: Service, folder: str) -> str:
    """The build context or Dockerfile of ``service``'s own ``build:`` when it leads outside the checked tree, as
    written (:func:`build_source` builds nothing of it); "" otherwise."""
    found = service.layer("build")
    build = found[1]["build"] if found is not None else None
    context = build if isinstance(build, str) else str(build.get("context") or ".") if isinstance(build, dict) else ""
    dockerfile = str(build.get("dockerfile") or "Dockerfile") if isinstance(build, dict) else "Dockerfile"
    if not context or "$" in context or "://" in context:
        return ""
    context_rel = posixpath.normpath(posixpath.join(folder, context))
    return context if leads_outside(context_rel) else dockerfile \
        if leads_outside(posixpath.join(context_rel, dockerfile)) else ""


def stop_signal(service: Service, stage, image_name: str, outside: str = "", own: str | None = None) -> Val[str]:
    """``own``: why an image named after the repository is not linked to one of its Dockerfiles
    (:func:`hueylint.platforms.buildscripts.repository_image`), said in the default's notice."""
    value = service.val("stop_signal") or service.unread_val("stop_signal")
    if value is not None:
        if not value.known:
            return value
        signal = normalize_signal(str(value.value))
        return Val(signal, value.loc) if signal else Val.unknown_at(value.loc, f"stop_signal {value.value}")
    none = service.unset("stop_signal", "no stop_signal")
    if stage is not None:
        return docker.image_signal(stage, f"compose default: {none}, and no STOPSIGNAL in the image")
    if outside:
        return Val.default("TERM", f"compose default: {none}; the image is built from `{clipped(outside)}`, "
                                   "outside the checked tree, so its STOPSIGNAL is unknown: SIGTERM assumed")
    if image_name:
        why = f" ({own})" if isinstance(own, str) else ""
        return Val.default("TERM", f"compose default: {none}; image `{image_name}` is not built in "
                                   f"this repository{why}, so its STOPSIGNAL is unknown: SIGTERM assumed")
    return Val.default("TERM", f"compose default: {none}")


def grace_period(ws: Workspace, service: Service) -> Val[float]:
    value = service.val("stop_grace_period") or service.unread_val("stop_grace_period")
    if value is None:
        reset = service.unset("stop_grace_period", "")
        return Val.default(DEFAULT_GRACE, f"compose default stop_grace_period{f', {reset}' if reset else ''}")
    if not value.known:
        return value
    try:
        return Val(parse_duration(str(value.value)), value.loc)
    except DurationError:
        ws.unparseable(value.loc.path or "", value.loc.line, value.loc.col,
                       f"stop_grace_period: {value.value} is not a duration (e.g. `1m30s`)")
        return Val.unknown_at(value.loc, f"stop_grace_period {value.value}")


def stack_deployed(ws: Workspace, project: ComposeProject) -> Loc | None:
    """Where the repository deploys ``project``'s first file to a Docker Swarm (``docker stack deploy -c FILE``
    in a script, CI job or Makefile: the path resolved against that file's folder, then the root), else None."""
    return _stack_files(ws).get(project.files[0].rel) if project.files else None


def _stack_files(ws: Workspace) -> dict[str, Loc]:
    def read() -> dict[str, Loc]:
        compose = {src.rel: src for src in ws.of_format("compose")}
        found: dict[str, Loc] = {}
        for src in runner_files(ws, lambda text: "stack" in text):
            for number, line in enumerate(src.text.replace("\\\n", " ").split("\n"), 1):
                stacks: list[tuple[int, list[str]]] = []
                _invocations(line, stacks)
                for column, paths in stacks:
                    for path in paths:
                        resolved = _resolve_all([path], [posixpath.dirname(src.rel), ""], compose)
                        if resolved:
                            found.setdefault(resolved[0], Loc(src.rel, number, column))
        return found

    return ws.memo(("compose-stack-files",), read)


def restart_policy(service: Service, stack: Loc | None = None) -> Val[bool]:
    """Whether the service's container is started again when it exits.

    ``docker compose up`` (docker/compose pkg/compose/create.go ``getRestartPolicy``) gives the container the
    engine restart policy of ``restart:``, replaced whole by ``deploy.restart_policy`` when the service has one:
    ``mapRestartPolicyCondition(condition)`` maps ``none``/``no`` to ``no``, ``any``/``always`` to ``always``,
    ``on-failure`` and ``unless-stopped`` to themselves, and passes any other text on, so a policy that writes no
    ``condition`` (``max_attempts``, ``delay``, ``restart_policy: {}``) becomes the policy named ``""``: no
    restart (moby api/types/container/hostconfig.go ``RestartPolicy.IsNone``: ``no`` or ``""``;
    ``ValidateRestartPolicy`` accepts ``""`` with any retry count), whatever ``restart:`` says.  compose-go, the
    loader, fills in no default ``condition`` (transform/defaults.go ``DefaultValues`` has none for
    ``deploy.restart_policy``; types.go ``RestartPolicy.Condition`` is a plain string).  The Compose deploy
    specification's ``condition`` default ``any`` (deploy.md) is what a Swarm stack does: ``docker stack deploy``
    (``stack``: where the repository runs it on the file) ignores ``restart:`` when ``deploy.restart_policy`` is
    set (docker/cli cli/compose/convert/service.go ``convertRestartPolicy``), and the engine turns an empty
    condition into ``any`` (moby daemon/cluster/convert/service.go ``restartPolicyToGRPC``), as it restarts a task
    with no policy at all (swarmkit api/defaults ``Service``).

    A written ``condition`` decides, at the condition, and a policy without one under ``docker compose up``, at
    its ``restart_policy`` key: a :class:`Restart` whose ``setting`` (``"condition"``, ``"policy"``) says so,
    since its fix edits the policy (a ``restart:`` added beside it would change nothing).  Without a policy,
    ``docker compose`` reads ``restart:`` (``no`` by default), and so does ``docker stack deploy``, whose every
    policy but an unknown one restarts (``no`` leaves Swarm's default ``any``).  A value the deploying tool refuses
    (:data:`COMPOSE_RESTARTS`, :data:`STACK_RESTARTS`, :data:`STACK_CONDITIONS`: ``restart: on_failure``, a Swarm
    ``condition: no``) is a :class:`Restart` False with ``refused`` set, at the value."""
    policy = restart_policy_layers(service)
    condition = restart_condition(service, policy)
    if condition is not None:
        if not condition.known or _INTERPOLATION.search(str(condition.value)):
            # an interpolated condition: assume it restarts (stay silent)
            return Restart(True, condition.loc, setting="condition")
        written = str(condition.value).strip()
        if written not in (STACK_CONDITIONS if stack is not None else COMPOSE_RESTARTS):
            return Restart(False, condition.loc, setting="condition", refused=written)
        stops = ("none",) if stack is not None else ("none", "no", "")  # (Swarm: an empty condition is `any`)
        return Restart(written not in stops, condition.loc, setting="condition")
    if stack is not None:
        if policy:
            doc, deploy = policy[-1]
            return Val(True, doc.key_loc(deploy, "restart_policy"))  # (no condition: `any`)
        restart = service.val("restart")
        if restart is not None and restart.known and isinstance(restart.value, str) and not _stack_restart(
                restart.value.strip()):
            return Restart(False, restart.loc, refused=restart.value.strip())
        return Val.default(True, f"Swarm default: `deploy.restart_policy.condition: any` (deployed with "
                                 f"`docker stack deploy`, {stack})")
    if policy:
        if service.unread is not None:
            return Val(True, service.unread[0])  # the file not read may give the condition: assume it restarts
        doc, deploy = policy[-1]
        return Restart(False, doc.key_loc(deploy, "restart_policy"), setting="policy")
    restart = service.val("restart")
    if restart is not None:
        if not restart.known or service.restart_refused() is not None:
            return Val(True, restart.loc)  # an interpolated policy, or one compose refuses (HL001): stay silent
        written = str(restart.value).strip()
        if isinstance(restart.value, str) and written.split(":")[0] not in COMPOSE_RESTARTS:
            return Restart(False, restart.loc, refused=written)
        return Val(written.split(":")[0].lower() not in ("no", "none", "false", ""), restart.loc)
    if service.unread is not None and service.layer("deploy") is None:
        return Val(True, service.unread[0])  # `restart:` may come from the file not read: assume it restarts
    none = service.unset("restart", "")
    return Val.default(False, f"compose default: {none}, and no `deploy.restart_policy`" if none else
                       "compose default: no `restart:` and no `deploy.restart_policy`")


#: the restart policies ``docker compose up`` creates a container with, from ``restart:`` (the name before a
#: ``:``, its retry count after it) or ``deploy.restart_policy.condition`` (whole): docker/compose
#: pkg/compose/create.go ``mapRestartPolicyCondition`` maps ``none``/``no`` to ``no``, ``any``/``always`` to
#: ``always``, keeps ``on-failure`` and ``unless-stopped``, and passes any other text to the engine, which refuses
#: it (moby api/types/container/hostconfig.go ``ValidateRestartPolicy``: "invalid restart policy: unknown policy";
#: ``""`` is no restart); the names are case-sensitive
COMPOSE_RESTARTS = frozenset({"no", "none", "always", "any", "on-failure", "unless-stopped", ""})
#: ``restart:`` as ``docker stack deploy`` reads it when the service has no ``deploy.restart_policy`` (docker/cli
#: cli/compose/convert/service.go ``convertRestartPolicy``, ``opts.ParseRestartPolicy``: ``no`` and ``""`` give no
#: policy, so Swarm's default ``any``; ``always``/``unless-stopped`` become ``any``, ``on-failure[:N]`` itself;
#: any other name, or a retry count that is not an integer, is "unknown restart policy" and the stack is refused)
STACK_RESTARTS = frozenset({"no", "", "always", "unless-stopped", "on-failure"})
#: ``deploy.restart_policy.condition`` under Swarm (moby daemon/cluster/convert/service.go ``restartPolicyToGRPC``:
#: ``none``, ``on-failure``, ``any``, ``""`` (``any``); any other text is "invalid RestartCondition")
STACK_CONDITIONS = frozenset({"none", "on-failure", "any", ""})
_RETRY_COUNT = lazy_pattern(r"[+-]?[0-9]+")


def _stack_restart(written: str) -> bool:
    """Whether ``docker stack deploy`` accepts ``restart: written`` (:data:`STACK_RESTARTS`, a ``:N`` retry count
    an integer)."""
    name, colon, count = written.partition(":")
    return name in STACK_RESTARTS and not (colon and (not name or ":" in count or not _RETRY_COUNT.fullmatch(count)))


def restart_policy_layers(service: Service) -> list[tuple[Doc, dict[str, Any]]]:
    """The ``deploy`` mappings whose ``restart_policy`` compose merges into the service's, in merge order (its
    files and ``extends:``): compose-go merges the mappings key by key (override/merge.go ``mergeYaml``), a
    ``!reset`` deletes what came before, an ``!override`` replaces it, a null keeps it; empty: no policy."""
    found: list[tuple[Doc, dict[str, Any]]] = []
    for doc, mapping in service.merged("deploy"):
        deploy = mapping.get("deploy")
        if not isinstance(deploy, dict) or "restart_policy" not in deploy:
            continue
        policy = deploy["restart_policy"]
        tag = yaml_tag(policy)
        if tag == RESET_TAG:
            found = []
        elif tag == OVERRIDE_TAG:
            found = [(doc, deploy)] if isinstance(policy, dict) else []
        elif isinstance(policy, dict):
            found.append((doc, deploy))
    return found


def restart_condition(service: Service, layers: list[tuple[Doc, dict[str, Any]]] | None = None) -> Val[Any] | None:
    """``deploy.restart_policy.condition`` as compose merges it (:func:`restart_policy_layers`: the last one
    written, a null keeping an earlier one, a ``!reset`` deleting it), at its value; None when none is written."""
    for doc, deploy in reversed(restart_policy_layers(service) if layers is None else layers):
        policy = deploy["restart_policy"]
        if "condition" not in policy:
            continue
        value = policy["condition"]
        if yaml_tag(value) == RESET_TAG:
            return None
        if value is None:
            continue
        condition = doc.val(policy, "condition")
        if condition is not None and yaml_tag(condition.value) is not None:
            condition = Val(untagged(condition.value), condition.loc)
        return condition
    return None


#: Docker Swarm's template of a task's slot (``docker service create`` "Create services using templates": a replicated
#: service's tasks are numbered 1 to N), and any other template placeholder
_TASK_SLOT = lazy_pattern(r"\{\{\s*\.Task\.Slot\s*\}\}")
_PLACEHOLDER = lazy_pattern(r"\{\{.*?\}\}")


def _task_slot_names(service: Service, count: Val[Any]) -> dict[str, InstanceNames]:
    """The variables (``environment:`` values, ``$HOSTNAME`` from ``hostname:``) that hold the task's slot in a Docker
    Swarm stack of replicated tasks (``SLOT: "{{.Task.Slot}}"``, ``hostname: "worker-{{.Task.Slot}}"``), with each
    task's value: the slots are 1 to ``deploy.replicas``; another placeholder beside it is not known here."""
    if not count.known or not isinstance(count.value, int) or isinstance(count.value, bool):
        return {}  # (a global service's slot is its node's ID)
    written = {name: val.value for name, val in environment(service).items()  # (as written: no interpolation)
               if val.known and isinstance(val.value, str)}
    hostname = service.val("hostname")
    if hostname is not None and hostname.known and isinstance(hostname.value, str):
        written["HOSTNAME"] = hostname.value
    found = {}
    for name, text in written.items():
        if not _TASK_SLOT.search(text):
            continue
        values = tuple(_PLACEHOLDER.sub(UNKNOWN_PART, _TASK_SLOT.sub(str(slot), text)) for slot in range(1, count.value + 1))
        found[name] = InstanceNames(values, f"Docker Swarm numbers the tasks' slots 1 to {count.value}")
    return found


def instances(service: Service) -> Val[Any]:
    mode = service.nested("deploy", "mode")
    if mode is not None and mode.known and str(mode.value) == "global":
        return Val("scalable", mode.loc)
    for value in (service.nested("deploy", "replicas"), service.val("scale")):
        if value is None:
            continue
        if not value.known:
            return value
        try:
            return Val(int(value.value), value.loc)  # type: ignore[arg-type]  # None: the TypeError below
        except (TypeError, ValueError, OverflowError):  # .inf
            return Val.unknown_at(value.loc, f"{value.value!r}")
    return Val.default(1, "compose default: one container per service")


def image_groups(compose: ComposeProject) -> dict[str, tuple[str, ...]]:
    """The project's service names by what they run (:func:`_image_identity`), computed once per project."""
    groups: dict[str, list[str]] = {}
    for service in compose.services.values():
        identity = _image_identity(service)
        if identity is not None:
            groups.setdefault(identity, []).append(service.name)
    return {identity: tuple(names) for identity, names in groups.items()}


def _image_identity(service: Service) -> str | None:
    """What a service runs: its ``image:`` name, else its ``build:`` context and Dockerfile; None if unknown."""
    image = service.val("image")
    if image is not None:
        return f"image:{image.value}" if image.known and image.value else None
    build = service.val("build")
    if build is None or not build.known:
        return None
    if isinstance(build.value, str):
        return f"build:{build.value.rstrip('/') or '.'}:Dockerfile"
    context = service.nested("build", "context")
    dockerfile = service.nested("build", "dockerfile")
    if (context is not None and not context.known) or (dockerfile is not None and not dockerfile.known):
        return None
    return f"build:{(context.value if context else '.') or '.'}:{dockerfile.value if dockerfile else 'Dockerfile'}"


def _outside(rel: str) -> bool:
    """A path compose resolves outside the checked tree: one climbing above it (``../base.yml``), or an absolute
    path, which compose takes as the host's (``/etc/app/worker.env``), never a file of the repository."""
    return rel.startswith("/") or leads_outside(rel)


def _env_files_known(service: Service, ws: Workspace) -> bool:
    """Every ``env_file:`` of the service is a file of the repository (none: true), so :func:`environment` holds
    every variable compose passes to the container.  A ``required: false`` file the repository lacks counts as
    unknown too: compose passes what it holds wherever the deployer writes it (a git-ignored ``.env.local``)."""
    return not _unread_env_files(service, ws)


def _unread_env_files(service: Service, ws: Workspace) -> list[Val[str]]:
    """The service's ``env_file:`` entries whose variables are unknown (:attr:`Launch.env_unread`): a file
    neither the repository nor a template of it (``.env.example``) holds, a path not written as one string."""
    return [Val(f"`env_file: {clipped(path) if isinstance(path, str) else '...'}`", loc)
            for doc, path, loc in _env_files(service)
            if not isinstance(path, str) or read_repo_env_file(ws, path, Loc(doc.rel, 1, 1)) is None]


def _env_files(service: Service) -> Iterator[tuple[Doc, object, Loc]]:
    """Each ``env_file:`` entry of the service's definitions in compose's merge order: the file that writes it,
    its path (a string, a long-syntax ``path:``; anything else as written) and the ``env_file`` key's place."""
    for doc, mapping in service.merged("env_file"):
        files = mapping.get("env_file") if isinstance(mapping, dict) else None
        for item in [files] if isinstance(files, str) else files if isinstance(files, list) else []:
            yield doc, item.get("path") if isinstance(item, dict) else item, doc.key_loc(mapping, "env_file")


def _mounts(service: Service, folder: str) -> tuple[tuple[str, str], ...]:
    """``(container path, repo source)`` of the service's mounts (``Stage.mounts``): a bind mount's source
    relative to the compose file's folder; "" for a named volume or a host path outside the repository."""
    found = volumes(service)
    pairs = []
    for source, target in found.value or () if found is not None else ():
        if not target.startswith("/"):
            continue
        inside = source.startswith(".") and "$" not in source
        rel = posixpath.normpath(posixpath.join(folder, source)) if inside else ""
        pairs.append((target, "" if rel.startswith("..") else rel))
    return tuple(pairs)


def volumes(service: Service) -> Val[tuple[tuple[str, str], ...]] | None:
    """``(source, target)`` of every volume and bind mount (short or long syntax), merged over the service's
    definitions as compose merges them (compose-spec merge: ``volumes`` are merged using the mount target as
    key): an override file's or an extending service's entry replaces an earlier one with the same target and
    adds the others, in place; ``!reset``/``!override`` as :meth:`Service.merged` reads them.  The location is
    the last definition's."""
    layers = [(doc, mapping) for doc, mapping in service.merged("volumes") if mapping["volumes"] is not None]
    if not layers:
        return None
    by_target: dict[str, tuple[str, str]] = {}
    for _doc, mapping in layers:
        items = mapping.get("volumes") or []
        for item in items if isinstance(items, list) else []:
            if isinstance(item, str):
                parts = item.split(":")
                pair = (parts[0], parts[1]) if len(parts) >= 2 else ("", parts[0])
            elif isinstance(item, dict):
                pair = (str(item.get("source") or ""), str(item.get("target") or ""))
            else:
                continue
            by_target[posixpath.normpath(pair[1]) if pair[1] else pair[1]] = pair
    doc, mapping = layers[-1]
    return Val(tuple(by_target.values()), doc.value_loc(mapping, "volumes"))


def environment(service: Service, ws: Workspace | None = None, folder: str = "") -> dict[str, Val[str]]:
    """The container's variables: ``env_file:`` (repo files) then ``environment:`` (list or mapping).

    ``${VAR}`` and a bare ``KEY`` take their value from the ``.env`` next to the compose file (compose's
    interpolation source) when it is in the repo, else they are unknown.  ``ws`` None: values as written.
    """
    dotenv = nearby_dotenv(ws, folder) if ws is not None else {}
    env: dict[str, Val[str]] = {}

    def put(key: str, text: str | None, loc: Loc, unknown: str = "") -> None:
        if unknown:
            env[key] = Val.unknown_at(loc, unknown)
        elif text is None:  # `KEY` alone: the value comes from the shell or .env
            found = dotenv.get(key)
            env[key] = Val(found.value, loc, found.unknown) if found is not None else \
                Val.unknown_at(loc, f"env:{key}")
        else:
            env[key] = unknown_if_interpolated(text, loc, dotenv) if ws is not None else Val(text, loc)

    for doc, path, _ in _env_files(service) if ws is not None else ():  # env_file first: `environment:` wins
        if isinstance(path, str):
            env.update(read_repo_env_file(ws, path, Loc(doc.rel, 1, 1), inherit=True) or {})
    for doc, mapping in service.merged("environment"):
        value = mapping.get("environment") if isinstance(mapping, dict) else None
        if isinstance(value, dict):
            for key in value:
                item = doc.val(value, key)
                if item is not None:
                    text = str(item.value).lower() if isinstance(item.value, bool) else str(item.value)  # compose: "false"
                    put(str(key), None if item.value is None else text, item.loc, item.unknown)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                key, sep, text = str(item).partition("=")
                put(key, text if sep else None, doc.item_loc(value, index))
    return env


# -- the builder ----------------------------------------------------------------------------------

def build(ws: Workspace, project: Project) -> Built:
    built = Built()
    for compose in projects(ws):
        folder = project_folder(ws, compose)
        stack = stack_deployed(ws, compose)
        peers = service_volumes(compose)
        images = image_groups(compose)
        dev = compose.dev_reason
        served: Val[str] | None = None  # a service's image script that always runs a development server
        first = len(built.launches)
        runs_image: list[tuple[str, bool]] = []  # (Dockerfile a service runs, the service is a development one)
        for service in compose.services.values():
            source = image_for(ws, service, compose, folder)
            image_val = service.val("image")
            image_name = str(image_val.value) if image_val is not None and image_val.known and image_val.value else ""
            resolved = docker.stage_of(ws, source) if source is not None else None
            resolved = docker.in_workdir(resolved, service.val("working_dir"))
            variables = environment(service, ws, folder)
            resolved = docker.with_env(resolved, variables, _env_files_known(service, ws))
            resolved = docker.with_user(resolved, _user(service))
            resolved = docker.with_mounts(resolved, _mounts(service, folder))
            stage = resolved[1] if resolved else None
            image = (resolved[0], resolved[1], source.context) if resolved and source else None
            if source is not None and resolved is not None:  # the image's own launch is this service's, unless
                # the project (or the service, by its profiles) is a development stack: decided below
                runs_image.append((source.dockerfile, _dev_profiles(ws, service, folder) is not None))
            if _refused_command(ws, service):
                continue  # compose refuses the project: the service starts nothing (HL001 at its command)
            entrypoint = command_tokens(service, "entrypoint")
            command = command_tokens(service, "command")
            origin = service.loc
            fallback = RepoScripts(ws)
            hits, tokens, resolver = docker.container_hits(ws, image, entrypoint, command, origin, fallback)
            named = repository_image(ws, image_name) if source is None and image_name else None
            signal = stop_signal(service, stage, image_name if source is None else "",
                                 outside_build(service, folder) if source is None else "",
                                 named if isinstance(named, str) else None)
            hop = Hop("platform", "compose", origin, sends=signal, deadline=grace_period(ws, service))
            user = _user(service)
            if user is None:
                user = docker.image_user(stage) if stage else \
                    Val.unknown_at(origin, "the image is not built in this repository")
            facts = _facts(service, compose, source, peers, images, stack)
            env = {**(dict(stage.env) if stage else {}), **variables}
            common: dict[str, Any] = dict(restart=restart_policy(service, stack), instances=instances(service), user=user,
                          collects_logs=True)
            own = len(built.launches)  # (this service's launches)
            for hit in hits:
                if service.unread is not None:  # its definition may come from a file outside the tree
                    hit.unresolved.append(Unresolved(f"`extends: file: {clipped(service.unread[1])}`", OUTSIDE_WHY,
                                                     service.unread[0]))
                launch = make_launch(project, hop, hit, platform="compose", name=service.shown, unit=compose.unit,
                                     origin=origin, workdir=Val(stage.workdir, stage.loc) if stage else None,
                                     service_dir=resolver.workdir_folder()
                                     if isinstance(resolver, docker.DockerResolver) else None, **common)
                launch.compose = facts
                written = [token.loc for token in (*(entrypoint or ()), *(command or ()))]
                in_project = hit.loc.path in {src.rel for src in compose.files}
                launch.command = Val(service.name, hit.loc if in_project else written[0] if written else origin)
                record_env(launch, env, origin)
                _mark_dev(launch, dev or _dev_profiles(ws, service, folder))
                built.launches.append(launch)
            slots = _task_slot_names(service, common["instances"])
            if slots:  # `SLOT: "{{.Task.Slot}}"`: a script may pick one task of the service by it
                one_instance_branches(ws, built.launches[own:], slots,
                                      [token.text for token in (*(entrypoint or ()), *(command or ()))])
            record_unread(built.launches[own:], _unread_env_files(service, ws) if hits else [])
            for doc, path, key in _env_files(service) if hits else ():  # variables from a file not read
                if isinstance(path, str) and "$" not in path and _outside(posixpath.join(posixpath.dirname(doc.rel), path)):
                    ws.not_read_outside(key, f"`env_file: {clipped(path)}`",
                                        f"the variables it gives service `{service.shown}` are unknown")
            if not hits and service.unread is not None:  # (a launch says it in HL004)
                ws.not_read_outside(service.unread[0], f"`extends: file: {clipped(service.unread[1])}`",
                                    f"what it gives service `{service.shown}` (its command, stop settings ...) is unknown")
            if not hits and tokens and dev is None and served is None:
                served = _image_script_serves(tokens, resolver, origin, service.name)
            if not hits and tokens:
                supervised = docker.supervised(ws, project, tokens, origin, resolver, hop, compose.unit, env, user=user,
                                               name=service.name)
                for launch in supervised.launches:
                    launch.compose = facts
                    if launch.restart is None:
                        launch.restart = common["restart"]
                    _mark_dev(launch, dev)
                record_unread(supervised.launches, _unread_env_files(service, ws) if supervised.launches else [])
                built.add(supervised)
                written = [*(entrypoint or ()), *(command or ())]
                if not supervised.launches and named_for_huey(service.name):
                    # the container's whole command (the image's ENTRYPOINT before a written `command:`), at the
                    # written command, else at the image's own (the Dockerfile's CMD)
                    unfollowed_named_launch(ws, f"compose service `{service.shown}`", [token.text for token in tokens],
                                            (written or tokens)[0].loc)
            elif not hits and source is None and image_val is not None and service.unread is None and \
                    named_for_huey(service.name):
                # no command written, and the image's own is unknown: not built here (named as written when a
                # variable makes its name unknown: `${WORKER_IMAGE}`)
                written_image = service.layer("image")
                shown = image_name or (str(written_image[1]["image"]) if written_image is not None else "")
                unbuilt_named_image(ws, f"compose service `{service.shown}`",
                                    written_image[0].restore(shown) if written_image is not None else shown, image_val.loc)
        if dev is None and not compose.production_named:
            # a development server the images' scripts run (after starting the consumer, or alone)
            served = _script_dev_server(ws, built.launches[first:]) or served
            for launch in built.launches[first:] if served is not None else ():
                _mark_dev(launch, served)
        if dev is None and (served is None or compose.production_named):  # (served marks no launch then)
            # a development project says nothing of how production runs the image (Dokku, a PaaS, `docker run`
            # build it from the same Dockerfile): its own launch stays, judged as the image's (overlaps.resolve)
            built.replaces.update(dockerfile for dockerfile, dev_service in runs_image if not dev_service)
    return built


def _image_script_serves(tokens: list[Token], resolver: Any, origin: Loc, name: str) -> Val[str] | None:
    """Why a project is a development stack because a service runs a script of its image that always runs a
    development server for the arguments the container gives it (``command: start``, the image's
    ``/usr/local/bin/start`` copied from ``docker/django/dev/start``, a ``runserver`` loop; or the image's
    ``ENTRYPOINT ["/srv/start.sh"]`` run with ``command: dev``, whose ``case "$1" in dev)`` branch runs one,
    as :func:`~hueylint.script_lookup.always_runs` reads it); or the image's own ``CMD``/``ENTRYPOINT`` when it
    is a development server (``CMD flask run --host=0.0.0.0``, ``CMD ["python", "manage.py", "runserver"]``, a
    service that writes no command: :attr:`ComposeProject.dev_reason` reads only a written one), as it reads a
    written ``command:`` (a shell-form ``CMD`` only when its code runs the server on every path); None
    otherwise."""
    if tokens and all(token.loc.path != origin.path for token in tokens):
        match = _always_matches([token.text for token in tokens], DEV_SERVER)
        if match:
            at = next((token.loc for token in tokens if DEV_SERVER.search(token.text)), tokens[0].loc)
            return Val(f"service `{name}` runs a development server (`{_spaced(match)}`, the image's command, "
                       f"{at})", at)
    for index, token in enumerate(tokens[:3]):  # the program, or the script an interpreter (`bash`, `sh -c`) runs
        if not token.literal or token.text.startswith("-"):
            continue
        src = resolver.script(token.text, origin)
        if src is None:
            continue
        args = [arg.text for arg in itertools.takewhile(lambda arg: arg.literal, tokens[index + 1:])]
        served = always_runs(src, DEV_SERVER, args, getattr(resolver, "shell_env", None))
        if served is not None:
            return Val(f"service `{name}` runs a development server ({served.value})", served.loc)
    return None


def _script_dev_server(ws: Workspace, launches: list[Launch]) -> Val[str] | None:
    """Why a project is a development stack because a script of one of its services runs a development server
    next to the consumer (:func:`hueylint.platforms.docker.script_dev_server`), as
    :attr:`ComposeProject.dev_reason` says it for a ``command:``; None when no script does."""
    return docker.script_dev_server(ws, launches, lambda launch: f"service `{launch.name}`")


def service_volumes(compose: ComposeProject) -> dict[str, tuple[tuple[str, str], ...]]:
    """Every service of the project by name with its ``(source, target)`` volumes, computed once per project
    and shared by its launches (a per-service copy without the service itself made 3,000 services cost
    9 million entries)."""
    found = {name: volumes(service) for name, service in compose.services.items()}
    return {name: val.value if val is not None and val.value else () for name, val in found.items()}


#: a profile named for development, debugging or tests (``profiles: [debug]``, ``dev``, ``e2e``, ``local``);
#: ``local`` only alone: ``local-llm``, ``local-gpu`` name what runs (a model, a device), not a development stack
_DEV_PROFILE = lazy_pattern(r"(^|[-_.])(dev|develop|development|debug|test|tests|testing|ci|e2e)([-_.]|$)|^local$")


def _dev_profiles(ws: Workspace, service: Service, folder: str) -> Val[str] | None:
    """Why a service is a development launch because of its ``profiles:``: compose starts a service with profiles
    only when one of them is activated (``--profile``, ``COMPOSE_PROFILES``; compose-spec profiles), so one whose
    every profile is named for development or tests (``profiles: [debug]``) is not part of the default,
    production stack, unless the project's ``.env`` activates one of them (``COMPOSE_PROFILES=debug``); None
    otherwise (a service without profiles, or with one such as ``workers``: it may well be production's)."""
    found = service.val("profiles")
    names = found.value if found is not None and found.known and isinstance(found.value, list) else None
    if found is None or not names or not all(isinstance(n, str) and _DEV_PROFILE.search(n.lower()) for n in names):
        return None
    active = nearby_dotenv(ws, folder).get("COMPOSE_PROFILES")
    activated = {p.strip() for p in str(active.value).split(",")} if active is not None and active.known else set()
    if activated & set(names) or "*" in activated:
        return None
    listed = ", ".join(f"`{n}`" for n in names)
    return Val(f"service `{service.shown}` runs only with the development profile {listed}, which compose starts "
               "only when it is activated (`--profile`, `COMPOSE_PROFILES`)", found.loc)


def _mark_dev(launch: Launch, reason: Val[str] | None) -> None:
    """A launch of a development project: ``launch.dev``, and ``launch.dev_reason`` saying why (shown by
    ``inspect`` and in findings that name the launch)."""
    if reason is not None:
        launch.dev = True
        if launch.dev_reason is None:
            launch.dev_reason = reason


def _facts(service: Service, compose: ComposeProject, source: docker.ImageSource | None,
           peers: dict[str, tuple[tuple[str, str], ...]], images: dict[str, tuple[str, ...]],
           stack: Loc | None = None) -> ComposeFacts:
    image = _image_identity(service)
    return ComposeFacts(
        services=Val(peers, service.loc),  # the project's services, this one included
        # services running the same image (the web app, ...), this one included: one shared tuple per image
        same_image=Val(images.get(image, ()) if image is not None else (), service.loc),
        volumes=volumes(service),
        project=Val(compose.how.value, compose.how.loc) if compose.how is not None else None,
        profiles=service.val("profiles"),
        image=Val(source.dockerfile, source.loc) if source is not None else None, stack=stack)



def _user(service: Service) -> Val[str] | None:
    """``user:``; a YAML integer (``user: 0``) is read as the uid it names (it was no string, so no user at all:
    HL701 missed root)."""
    user = service.val("user")
    if user is not None and user.known and isinstance(user.value, int) and not isinstance(user.value, bool):
        return Val(str(user.value), user.loc)
    return user
