"""Arguments a huey class gets only when a test holds, ``**({"immediate": X} if X else {})`` (saunders-book-co/karrio),
and settings read with ``decouple.config(...)``: each key of the non-empty branch is passed as ``value if TEST else
None``; a splat hueylint cannot read (one branch not a dict) still hides the arguments (no claim)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

DOCKERFILE = ("FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt\nUSER app\n"
              "STOPSIGNAL SIGINT\nCMD [\"huey_consumer\", \"jobs.huey\", \"-t\", \"5\"]\n")
HEAD = ("import os\nimport decouple\nfrom huey import RedisHuey\nfrom huey.serializer import SignedSerializer\n"
        "FLAG = os.environ.get('FLAG') == '1'\nHOST = decouple.config('REDIS_HOST')\n")


def rules(tmp_path: Path, call: str) -> list[tuple[str, str]]:
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "requirements.txt": "huey==3.5.4\n",
                          "jobs.py": HEAD + f"huey = {call}\n"})
    return sorted((f.rule, f.severity.name.lower()) for f in lint(tmp_path).findings if f.rule in ("HL401", "HL402"))


@pytest.mark.parametrize(("call", "expected"), [
    # an environment value, passed when set: bound to the environment (W), as `immediate=FLAG` is
    ("RedisHuey('j', host=HOST, **({'immediate': FLAG} if FLAG else {}))", [("HL401", "warning"), ("HL402", "warning")]),
    # a literal True passed on one branch only: bound to the test (W), never "always on" (E)
    ("RedisHuey('j', host=HOST, **({'immediate': True} if FLAG else {}))", [("HL401", "warning"), ("HL402", "warning")]),
    ("RedisHuey('j', host=HOST, **({} if FLAG else {'immediate': True}))", [("HL401", "warning"), ("HL402", "warning")]),
    # a serializer passed on one branch: signed there; no claim either way
    ("RedisHuey('j', host=HOST, **({'serializer': SignedSerializer(secret=os.environ['S'])} if FLAG else {}))", []),
    # not the idiom (no empty branch): the splat may pass anything
    ("RedisHuey('j', host=HOST, **({'immediate': True} if FLAG else {'results': False}))", []),
    ("RedisHuey('j', host=HOST, **(OPTIONS if FLAG else {}))", []),
])
def test_optional_splat(tmp_path: Path, call: str, expected: list[tuple[str, str]]) -> None:
    assert rules(tmp_path, call) == expected


def test_decouple_module_config_is_an_environment_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "requirements.txt": "huey==3.5.4\n",
                          "jobs.py": HEAD + "huey = RedisHuey('j', host=HOST)\n"})
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL402"]
    assert "environment variable `REDIS_HOST`" in finding.message
