"""Image names a CI system spells with the repository's own identity: ``ghcr.io/${{ github.repository }}/worker``.

A workflow that publishes the repository's images rarely writes their names: GitHub's own "Publishing Docker
images" example tags ``${{ env.REGISTRY }}/${{ env.IMAGE_NAME }}`` with ``IMAGE_NAME: ${{ github.repository }}``,
a GitLab job tags ``$CI_REGISTRY_IMAGE/worker:$CI_COMMIT_SHA``.  The compose file or manifest that runs the image
writes it out (``ghcr.io/acme/shop/worker:latest``).  A clone does not say which repository it is, so these
values are not known; but what they stand for is (the platforms' variable references):

- GitHub Actions ("Variables reference", "Contexts"): ``GITHUB_REPOSITORY`` / ``github.repository``, "the owner
  and repository name", ``octocat/Hello-World``; ``GITHUB_REPOSITORY_OWNER`` / ``github.repository_owner``, the
  owner's name; ``github.event.repository.name``, the repository's name;
- GitLab CI ("Predefined CI/CD variables"): ``CI_REGISTRY``, the registry's ``<host>[:<port>]``;
  ``CI_REGISTRY_IMAGE``, ``<host>[:<port>]/<project_full_path>``; ``CI_PROJECT_PATH``, the project's namespace
  with its name (``group/subgroup/project``); ``CI_PROJECT_NAMESPACE``, the namespace (a user or a group with
  its subgroups); ``CI_PROJECT_NAME``, the project's name.

:func:`spelled` replaces each such reference in an image name (shell: ``$V``, ``${V}``, bash's lower-casing
``${V,,}`` and ``${V@L}``; workflow expressions: ``${{ github.repository }}``) by a marker (``%github-repository%``:
Docker image names never hold ``%``, and a shell passes it as it is); :func:`matcher` turns a name holding markers into a matcher
of the image references it may be (each marker one or more path parts, as the platform defines it).  A
workflow's ``${{ secrets.NAME }}`` and ``${{ vars.NAME }}`` (the repository's settings) are markers too, as the
parts before the image's own name (``${{ secrets.DOCKERHUB_USERNAME }}/app``).  Image
names compare in lower case (Docker's references are lower case; ``${GITHUB_REPOSITORY,,}`` is how a workflow
makes them so).  Any other variable leaves the name unknown, as before.

Each marker is one value, the same wherever it is written: the one account, project or repository the CI runs
for, which the clone does not know; it is not any value.  :func:`evidenced` puts in what the repository says it
is (:class:`Identity`: the GitHub or GitLab repository its project metadata names as its own, the Google Cloud
project its scripts submit Cloud Build builds to, the accounts of the images it builds under names written out).  A name that is the repository's own by its shape
(``ghcr.io/%github-repository%/worker``: an owner and that owner's repository, as GitHub names its packages) may
still be matched as any repository's when nothing says which; a name whose only unknown is an account
(``%github-owner%/redis``, ``$CI_PROJECT_NAMESPACE/redis``, ``${{ secrets.HUB_USER }}/redis``,
``gcr.io/$PROJECT_ID/redis``) is not: its own name is anyone's (``bitnami/redis``), only its account would make
it this repository's, so it is that of an account the repository gives, else unknown.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern

#: marker of one path part (or less) -> the text it stands for there (a regular expression without groups); the
#: markers of several parts are :data:`_SPANS` and :data:`_MANY`
_PART = r"[^/]+"
MARKERS: dict[str, str] = {
    "%github-owner%": _PART,
    "%github-name%": _PART,
    # a registry's host (a dot or a port, or localhost: how Docker tells a host from a name's first part), never
    # Docker Hub's, which is no GitLab instance's registry
    "%gitlab-registry%": r"(?!(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)$)(?:localhost|[^/]*[.:][^/]*)",
    "%gitlab-project-name%": _PART,
    # Google Cloud Build's built-in substitutions (hueylint.platforms.cloudbuild): the project's id, the build's
    # region (in an Artifact Registry host, `${LOCATION}-docker.pkg.dev`), the repository's name
    "%gcp-project%": _PART,
    "%gcp-location%": r"[a-z0-9-]+",
    "%cloud-build-repo%": _PART,
    # the registry aws-actions/amazon-ecr-login logs in to (hueylint.platforms.workflow_contexts.ACTION_OUTPUTS)
    "%ecr-registry%": r"[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?",
}
#: markers that are a fixed sequence of others (``owner/name``; a GitLab project's path is its namespace, then its name)
_SPANS = {"%github-repository%": "%github-owner%/%github-name%",
          "%gitlab-project-path%": "%gitlab-namespace%/%gitlab-project-name%"}
#: markers that stand for one or more whole path parts (written inside a part, a run of that part's characters): a
#: GitLab namespace (a group and its subgroups), a workflow's `${{ secrets.NAME }}` / `${{ vars.NAME }}` (set in
#: the repository's settings, most often the Docker Hub account or the registry, `${{ secrets.DOCKERHUB_USERNAME
#: }}/app`; never the image's own name: a name whose last part holds it is unknown, :func:`matcher`)
_MANY = frozenset({"%gitlab-namespace%", "%ci-setting%"})

#: shell variable -> the marker(s) its value is
SHELL_VARIABLES: dict[str, str] = {
    "GITHUB_REPOSITORY": "%github-repository%",
    "GITHUB_REPOSITORY_OWNER": "%github-owner%",
    "CI_REGISTRY": "%gitlab-registry%",
    "CI_REGISTRY_IMAGE": "%gitlab-registry%/%gitlab-project-path%",
    "CI_PROJECT_PATH": "%gitlab-project-path%",
    "CI_PROJECT_NAMESPACE": "%gitlab-namespace%",
    "CI_PROJECT_NAME": "%gitlab-project-name%",
}

#: the variables CI services set to the folder a job's checkout is in, where its scripts start (GitHub's
#: ``GITHUB_WORKSPACE``, GitLab's ``CI_PROJECT_DIR``, CircleCI's ``CIRCLE_WORKING_DIRECTORY``, Bitbucket's
#: ``BITBUCKET_CLONE_DIR``, Travis' ``TRAVIS_BUILD_DIR``, Jenkins' ``WORKSPACE``, Azure's
#: ``BUILD_SOURCESDIRECTORY``, Drone's ``DRONE_WORKSPACE``, Woodpecker's ``CI_WORKSPACE``): the repository's root
CHECKOUT_VARIABLES = ("GITHUB_WORKSPACE", "CI_PROJECT_DIR", "CIRCLE_WORKING_DIRECTORY", "BITBUCKET_CLONE_DIR",
                      "TRAVIS_BUILD_DIR", "WORKSPACE", "BUILD_SOURCESDIRECTORY", "DRONE_WORKSPACE", "CI_WORKSPACE")

#: GitHub Actions expression (``${{ NAME }}``) -> the marker its value is
EXPRESSIONS: dict[str, str] = {
    "github.repository": "%github-repository%",
    "github.repository_owner": "%github-owner%",
    "github.event.repository.name": "%github-name%",
}

_SHELL = lazy_pattern(r"\$(?:\{(" + "|".join(SHELL_VARIABLES) + r")(?:,,|@L)?\}|(" + "|".join(SHELL_VARIABLES)
                      + r")(?![A-Za-z0-9_]))")
_EXPRESSION = lazy_pattern(r"\$\{\{\s*(" + "|".join(re.escape(name) for name in EXPRESSIONS) + r")\s*\}\}")
_SETTING = lazy_pattern(r"\$\{\{\s*(?:secrets|vars)\.[A-Za-z_][\w-]*\s*\}\}")
_OFFICIAL = lazy_pattern(r"(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)/)?library/[^/]+")
_MARKER = lazy_pattern("|".join(re.escape(marker) for marker in (*MARKERS, *_SPANS, *_MANY)))


def spelled(text: str) -> str:
    """``text`` with each reference to the repository's identity replaced by its marker:
    ``ghcr.io/${GITHUB_REPOSITORY,,}/worker`` -> ``ghcr.io/%github-repository%/worker``."""
    if "$" not in text:
        return text
    text = _EXPRESSION.sub(lambda match: EXPRESSIONS[match.group(1)], text)
    text = _SETTING.sub("%ci-setting%", text) if "${{" in text else text
    return _SHELL.sub(lambda match: SHELL_VARIABLES[match.group(1) or match.group(2)], text)


def has_markers(name: str) -> bool:
    return "%" in name and _MARKER.search(name) is not None


#: the longest image name Docker accepts (distribution/reference ``NameTotalLengthMax``: "repository name must not
#: be more than 255 characters"); a longer reference names no image anything builds
NAME_MAX = 255
#: the markers one path part of a name may hold and still be matched (each is a run of characters of the part: a
#: few keep the part's pattern cheap; a part with more leaves the name unknown)
_PART_MARKERS_MAX = 2


class NameMatcher:
    """The image references a name with markers may be, matched part by part (not as one regular expression:
    several markers of one or more parts each, ``${{ secrets.A }}/${{ secrets.B }}/...``, would make a
    backtracking search try every way of sharing a reference's parts among them).  ``parts``: one item a part
    of the name, a compiled pattern for one part, or ``_MANY`` (one or more parts) / ``ANY`` (zero or more:
    the registry and folders before a name without a host)."""

    ANY = "any"
    MANY = "many"

    def __init__(self, parts: tuple[re.Pattern[str] | str, ...]) -> None:
        self.parts = parts

    def matches(self, reference: str) -> bool:
        """Whether ``reference`` (lower case, no tag) is one of the names: each part of the name is checked
        against the set of reference positions reached so far, in time linear in the two names' lengths."""
        if len(reference) > NAME_MAX:
            return False
        ref = reference.split("/")
        if "" in ref or _OFFICIAL.fullmatch(reference) is not None:
            return False  # (a Docker Official Image, `docker.io/library/redis`, is no repository's own build)
        reached = {0}
        for part in self.parts:
            if isinstance(part, str):  # one or more (zero or more for ANY) whole parts
                first = min(reached) + (0 if part == self.ANY else 1)
                reached = set(range(first, len(ref) + 1))
            else:
                reached = {index + 1 for index in reached if index < len(ref) and part.fullmatch(ref[index])}
            if not reached:
                return False
        return len(ref) in reached


@lru_cache(maxsize=256)
def matcher(name: str) -> NameMatcher | None:
    """The image references (lower case, no tag) a name with markers may be; None for a name without markers
    (or one whose parts hold more markers than are matched).  A name whose first part is no registry host
    (``%github-owner%/app``) may also be reached through one (``ghcr.io/acme/app``), as
    :func:`hueylint.platforms.docker.same_image` lets a registry prefix any name."""
    if not has_markers(name) or "%ci-setting%" in name.rsplit("/", 1)[-1]:
        return None
    for marker, spelled_out in _SPANS.items():
        name = name.replace(marker, spelled_out)
    matched: list[re.Pattern[str] | str] = []
    for part in name.split("/"):
        if part in _MANY:
            matched.append(NameMatcher.MANY)
            continue
        markers = _MARKER.findall(part)
        if len(markers) > _PART_MARKERS_MAX:
            return None
        texts = _MARKER.split(part)
        # a marker of several parts written inside a part (`%ci-setting%-app`) is matched as one part there
        matched.append(re.compile(re.escape(texts[0]) + "".join(
            (_PART if marker in _MANY else MARKERS[marker]) + re.escape(text)
            for marker, text in zip(markers, texts[1:]))))
    first = name.split("/", 1)[0]
    hosted = first.startswith("%gitlab-registry%") or "." in first or ":" in first or first == "localhost"
    return NameMatcher(tuple(matched) if hosted else (NameMatcher.ANY, *matched))


#: markers for an account alone (a user or organization, a GitLab group with its subgroups, a setting naming an
#: account or registry, a Google Cloud project): one specific account, never evidence by themselves that an image
#: of a name anyone may use is this repository's
ACCOUNTS = frozenset({"%github-owner%", "%gitlab-namespace%", "%ci-setting%", "%gcp-project%"})
#: markers naming the repository (or project) itself: a name holding one is the repository's by its shape
_OWN = frozenset({"%github-repository%", "%github-name%", "%gitlab-project-path%", "%gitlab-project-name%",
                  "%cloud-build-repo%"})
#: account markers that are one path part (the others may be several: a GitLab group's subgroups, a setting)
_ONE_PART = frozenset({"%github-owner%", "%gcp-project%"})
#: the most names one name with markers becomes once the repository's values are put in
_EVIDENCED_MAX = 16


@dataclass(frozen=True, slots=True)
class Identity:
    """What the repository says it is.  ``github``: the ``(owner, name)`` its project metadata names as its own
    repository (``https://github.com/acme/shop``); ``gitlab``: the project paths on gitlab.com it names;
    ``accounts``: the accounts (the path before an image's own name, without a registry host) of the images it
    builds under names written out (``docker build -t acme/api``), and the owners and groups above; ``gcp``: the
    projects its scripts submit Cloud Build builds to (``gcloud builds submit --project acme-prod``), which
    ``$PROJECT_ID`` is.  All lower case."""

    github: frozenset[tuple[str, str]] = frozenset()
    gitlab: frozenset[str] = frozenset()
    accounts: frozenset[str] = frozenset()
    gcp: frozenset[str] = frozenset()  # the Google Cloud projects its scripts run Cloud Build in (--project)


_GITHUB_URL = lazy_pattern(r"github\.com[/:]([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?(?=[/\s\"'#?)\]]|$)")
_GITLAB_URL = lazy_pattern(r"gitlab\.com[/:]((?:[A-Za-z0-9_.-]+/)+[A-Za-z0-9_.-]+)")


#: a line that names another project's code by URL: a PEP 508 direct reference, a VCS URL pip or npm installs,
#: an archive
_DEPENDENCY_URL = lazy_pattern(r"@\s*(?:git\+)?\w+://|\bgit\+\w+://|\bgit://|\"github:|\bgit\s*=|/(?:archive|tarball|"
                               r"zipball|releases/download)/")


#: a key naming the project's own repository (npm writes ``"url": "git+https://github.com/acme/web.git"``)
_OWN_URL_KEY = lazy_pattern(r"""\s*["']?(?:repository|url|home-?page|source|source[ _-]code|code)["']?\s*[:=]""", re.I)


def declared_identity(texts: list[str]) -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    """The GitHub repositories and gitlab.com projects the texts of a project's metadata (``pyproject.toml``'s
    URLs, ``setup.py``'s ``url=``, ``package.json``'s ``repository``) name; not on a line naming a dependency by its
    repository (``foo @ git+https://github.com/other/foo``, Poetry's ``{git = "https://..."}``, ``"foo":
    "github:other/foo"``, an archive's URL)."""
    github: set[tuple[str, str]] = set()
    gitlab: set[str] = set()
    for text in ("\n".join(line for line in text.splitlines()
                           if _OWN_URL_KEY.match(line) or _DEPENDENCY_URL.search(line) is None) for text in texts):
        github.update((owner.lower(), name.lower()) for owner, name in _GITHUB_URL.findall(text)
                      if owner.lower() not in ("orgs", "sponsors", "apps", "marketplace"))
        for path in _GITLAB_URL.findall(text):  # (`/-/` starts GitLab's pages of a project: issues, tree)
            path = path.split("/-/", 1)[0].removesuffix("/-").removesuffix(".git").lower()
            gitlab.update([path] if "/" in path else [])
    return frozenset(github), frozenset(gitlab)


#: npm's shorthand for a repository (``"repository": "acme/web"``, ``"github:acme/web"``, ``"gitlab:group/web"``)
_NPM_SHORTHAND = lazy_pattern(r"(?:(github|gitlab):)?([A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+)")


def package_repository(text: str) -> list[str]:
    """The repository a ``package.json`` names as its own (its ``repository``, a string or ``{"url": ...}``), as
    URLs :func:`declared_identity` reads: npm's shorthand (``"acme/web"`` and ``"github:acme/web"`` are GitHub's,
    ``"gitlab:group/web"`` gitlab.com's) and a URL (``git+https://github.com/acme/web.git``, ``git://...``) written
    out plainly: a reading line by line leaves out a line holding a dependency's URL form, so npm's
    ``{"repository": {"type": "git", "url": "git+https://..."}}`` on one line was not read.
    Nothing for a file that is no JSON object (too deeply nested included)."""
    import json

    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return []
    repository = data.get("repository") if isinstance(data, dict) else None
    url = repository.get("url") if isinstance(repository, dict) else repository
    if not isinstance(url, str):
        return []
    short = _NPM_SHORTHAND.fullmatch(url.strip())
    if short is None:  # a URL, written out plainly (a git+ or git:// one is read as a dependency's on a line)
        github, gitlab = _GITHUB_URL.search(url), _GITLAB_URL.search(url)
        return ([f"https://github.com/{github.group(1)}/{github.group(2)}"] if github else []) + \
            ([f"https://gitlab.com/{gitlab.group(1)}"] if gitlab else [])
    host, path = short.groups()
    if host == "gitlab":
        return [f"https://gitlab.com/{path}"]
    return [f"https://github.com/{path}"] if path.count("/") == 1 else []


#: a Google Cloud project id (6 to 30 lower-case letters, digits and hyphens, a letter first) named as the one a
#: ``gcloud builds submit`` runs in (``--project X``, ``--project=X``), or set before it (``gcloud config set project X``)
_GCLOUD_PROJECT = lazy_pattern(r"\bgcloud\b[^\n]*?(?:--project(?:=|[ \t]+)|\bconfig[ \t]+set[ \t]+(?:core/)?project[ \t]+)"
                               r"[\"']?([a-z][a-z0-9-]{4,28}[a-z0-9])\b(?![$-])")


def submitted_projects(texts: list[str]) -> frozenset[str]:
    """The Google Cloud projects the texts of scripts that run ``gcloud builds submit`` name (:data:`_GCLOUD_PROJECT`)."""
    return frozenset(project for text in texts for project in _GCLOUD_PROJECT.findall(text))


def account_of(name: str) -> str | None:
    """The account of an image name written out (lower case, no tag): the parts before its own name, without the
    registry host (``ghcr.io/acme/api`` -> ``acme``); None for a name of no account (``redis``, a name with markers)."""
    if "%" in name or "$" in name:
        return None
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    return "/".join(parts[:-1]) or None


def _setting_is_registry(name: str) -> bool:
    """A setting written first, before an account and a name written out (``${{ secrets.REGISTRY }}/acme/worker``):
    the setting is the registry, the account is known; its only unknown is where the image is pushed."""
    parts = name.split("/")
    return len(parts) >= 3 and parts[0] == "%ci-setting%" and "%" not in "/".join(parts[1:])


def evidenced(name: str, identity: Identity) -> list[str]:
    """The names ``name`` (lower case, with markers) may be, given what the repository says it is: the GitHub and
    GitLab markers replaced by the repository it names as its own, when it names one; then, for a name whose only
    unknown left is an account (no marker of the repository's own name), that account replaced by each of the
    repository's accounts (``[]`` when it gives none: which account is not known, the name is unknown).  A
    setting before an account written out is the registry (:func:`_setting_is_registry`): kept as it is."""
    names = [name]
    if identity.github and "%github-" in name:
        names = [n.replace("%github-repository%", f"{owner}/{repo}").replace("%github-owner%", owner)
                 .replace("%github-name%", repo) for n in names for owner, repo in sorted(identity.github)]
    if identity.gcp and "%gcp-project%" in name:
        names = [n.replace("%gcp-project%", project) for n in names for project in sorted(identity.gcp)]
    if identity.gitlab and "%gitlab-" in name:
        names = [n.replace("%gitlab-project-path%", path).replace("%gitlab-namespace%", path.rsplit("/", 1)[0])
                 .replace("%gitlab-project-name%", path.rsplit("/", 1)[1]) for n in names
                 for path in sorted(identity.gitlab)]
    found: list[str] = []
    for candidate in names:
        accounts = [marker for marker in ACCOUNTS if marker in candidate]
        if not accounts or any(marker in candidate for marker in _OWN) or _setting_is_registry(candidate):
            found.append(candidate)
            continue
        choices = [[account for account in sorted(identity.accounts)
                    if marker not in _ONE_PART or "/" not in account] for marker in accounts]
        for values in itertools.islice(itertools.product(*choices), _EVIDENCED_MAX):
            filled = candidate
            for marker, value in zip(accounts, values):
                filled = filled.replace(marker, value)
            found.append(filled)
    return list(dict.fromkeys(found))


#: a git remote's URL (git's "GIT URLS": ``https://host/path``, ``ssh://[user@]host[:port]/path``,
#: ``git://host/path``, scp-like ``[user@]host:path``), its host and its path (without ``.git``)
_REMOTE_URL = lazy_pattern(r"(?:(?:https?|ssh|git|git\+ssh)://(?:[^@/\s]+@)?(?P<host>[^/:\s]+)(?::\d*)?/"
                           r"|(?:[^@/\s]+@)?(?P<scp_host>[^/:\s]+):(?!/))"
                           r"(?P<path>[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+)/?")
_SECTION = lazy_pattern(r"\s*\[\s*([A-Za-z0-9.-]+)(?:\s+\"((?:[^\"\\]|\\.)*)\")?\s*\]\s*(.*)")
_KEY_VALUE = lazy_pattern(r"\s*([A-Za-z][A-Za-z0-9-]*)\s*=\s*(.*?)\s*")


def origin_repository(config: str) -> str | None:
    """The repository path (lower case: ``acme/shop``, a GitLab project's ``group/sub/project``) that the ``url``
    of ``[remote "origin"]`` in a ``.git/config`` names on GitHub (``github.com``, two parts) or GitLab
    (``gitlab.com`` or a host named ``gitlab.*``), in any of git's URL forms (``https://github.com/acme/shop.git``,
    ``git@github.com:acme/shop.git``, ``ssh://git@github.com/acme/shop``); None for no such remote, another host,
    or a text that is no git configuration.  Read as text (git's config syntax: sections case-insensitive, the
    subsection ``"origin"`` case-sensitive, ``#`` / ``;`` comments, a value maybe quoted); git is never run."""
    in_origin = False
    url: str | None = None
    for line in config.splitlines():
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        section = _SECTION.fullmatch(line)
        if section is not None:
            in_origin = section.group(1).lower() == "remote" and section.group(2) == "origin"
            line = section.group(3)  # (a key may follow on the same line)
            if not line.strip():
                continue
        setting = _KEY_VALUE.fullmatch(line.split(" #", 1)[0].split(" ;", 1)[0]) if in_origin else None
        if setting is not None and setting.group(1).lower() == "url" and url is None:
            url = setting.group(2).strip().strip('"')
    if not url:
        return None
    match = _REMOTE_URL.fullmatch(url)
    if match is None:
        return None
    host = (match.group("host") or match.group("scp_host") or "").lower()
    path = match.group("path").lower().removesuffix(".git")
    parts = path.split("/")
    if any(part in (".", "..") for part in parts):
        return None
    if host in ("github.com", "www.github.com", "ssh.github.com"):
        return path if len(parts) == 2 else None
    if host == "gitlab.com" or host.startswith("gitlab."):
        return path
    return None


def names_repository(image: str, repository: str) -> bool:
    """Whether the image reference ``image`` (lower case, no tag) is the repository's own name ``repository``
    (``acme/shop``), pushed to any registry or to Docker Hub: ``acme/shop``, ``docker.io/acme/shop``,
    ``ghcr.io/acme/shop``, ``registry.gitlab.com/group/project``; the whole path, never a part of it
    (``acme/shop-worker``, ``ghcr.io/acme/shop/worker`` and a bare ``shop`` are other names)."""
    parts = image.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    return "/".join(parts) == repository
