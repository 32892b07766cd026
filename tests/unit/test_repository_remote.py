"""The repository's own image, named after its `origin` remote (.git/config, read as a file)."""

from __future__ import annotations

import pytest

from hueylint.config import Settings
from hueylint.engine import build_project
from hueylint.platforms.buildscripts import repository_image
from hueylint.platforms.docker import ImageSource
from hueylint.platforms.repository_images import names_repository, origin_repository
from tests.helpers import git_init, write_tree


def config(url: str, remote: str = "origin") -> str:
    return f'[core]\n\tbare = false\n[remote "{remote}"]\n\turl = {url}\n\tfetch = +refs/heads/*:refs/remotes/{remote}/*\n'


@pytest.mark.parametrize(("url", "path"), [
    ("https://github.com/Acme/Shop.git", "acme/shop"),
    ("https://github.com/acme/shop", "acme/shop"),
    ("https://token@github.com/acme/shop/", "acme/shop"),
    ("git@github.com:acme/shop.git", "acme/shop"),
    ("ssh://git@github.com:22/acme/shop.git", "acme/shop"),
    ("git@gitlab.com:group/sub/project.git", "group/sub/project"),
    ('"https://github.com/acme/shop.git"', "acme/shop"),
    ("https://bitbucket.org/acme/shop.git", None),  # (another host: no GitHub or GitLab path)
    ("https://github.com/acme/shop/tree/main", None),
    ("/srv/mirrors/shop.git", None),
    ("git@github.com:../shop", None),
])
def test_origin_url_forms(url, path):
    assert origin_repository(config(url)) == path


def test_only_origin_counts_and_odd_files_give_nothing():
    assert origin_repository(config("https://github.com/acme/shop", "upstream")) is None
    assert origin_repository("") is None
    assert origin_repository("\x00\x01 not a config [") is None
    assert origin_repository('[remote "origin"] url = https://github.com/acme/shop\n') == "acme/shop"


@pytest.mark.parametrize(("image", "same"), [
    ("acme/shop", True), ("ghcr.io/acme/shop", True), ("docker.io/acme/shop", True), ("localhost:5000/acme/shop", True),
    ("acme/shop-worker", False), ("ghcr.io/acme/shop/worker", False), ("shop", False), ("other/shop", False),
    ("ghcr.io/acme", False),
])
def test_the_whole_repository_path_must_match(image, same):
    assert names_repository(image, "acme/shop") is same


DOCKERFILE = "FROM python:3.12\nSTOPSIGNAL SIGINT\nCMD [\"huey_consumer\", \"app.huey\"]\n"


def linked(tmp_path, files, url="git@github.com:acme/shop.git", image="ghcr.io/acme/shop:1.0"):
    write_tree(tmp_path, files)
    git_init(tmp_path)
    if url is not None:
        with open(tmp_path / ".git" / "config", "a", encoding="utf-8") as handle:
            handle.write(config(url))
    ws, _project, _ = build_project([tmp_path], Settings(root=tmp_path))
    found = repository_image(ws, image)
    return (found.dockerfile, found.target) if isinstance(found, ImageSource) else found


def test_one_production_dockerfile_is_the_image(tmp_path):
    files = {"docker/Dockerfile": DOCKERFILE, "Dockerfile.dev": DOCKERFILE, "tests/Dockerfile": DOCKERFILE}
    assert linked(tmp_path, files) == ("docker/Dockerfile", None)


def test_several_production_dockerfiles_say_why(tmp_path):
    found = linked(tmp_path, {"Dockerfile": DOCKERFILE, "worker/Dockerfile": DOCKERFILE})
    assert found == ("it is named after this repository (`acme/shop`, the origin of `.git/config`), but 2 of its "
                     "Dockerfiles may build it (`Dockerfile`, `worker/Dockerfile`)")


@pytest.mark.parametrize(("url", "image"), [
    (None, "ghcr.io/acme/shop"),  # no remote
    ("https://github.com/acme/shop", "ghcr.io/acme/shop-api"),  # another name
    ("https://github.com/other/shop", "ghcr.io/acme/shop"),  # another owner
    ("https://github.com/acme/shop", "ghcr.io/acme/shop:${TAG}"),  # (a tag variable: the name is still known)
])
def test_nothing_decides(tmp_path, url, image):
    found = linked(tmp_path, {"Dockerfile": DOCKERFILE}, url, image)
    assert found == (("Dockerfile", None) if image.endswith("${TAG}") else None)


def test_a_worktree_git_file_is_not_followed(tmp_path):
    """A worktree's `.git` is a file naming a folder elsewhere: nothing outside the tree is read."""
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, ".git": "gitdir: /elsewhere/.git/worktrees/x\n"})
    ws, _project, _ = build_project([tmp_path], Settings(root=tmp_path))
    assert repository_image(ws, "acme/shop") is None
