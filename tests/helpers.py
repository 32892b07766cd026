"""Shared test helpers: run hueylint in-process on a file tree, get (rule, path, line) back; the catalog's
examples and the fixture projects by name, each linted once per test session (conftest ``linted``)."""

from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from hueylint.catalog import Example, RuleDoc, load_catalog, rule_ids
from hueylint.config import Settings, apply_table, build_settings, find_config
from hueylint.engine import Options, run


def write_tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def refuse_open(monkeypatch, name: str) -> None:
    """Make ``os.open`` of a path ending in ``name`` fail with EACCES: root reads everything, so an unreadable
    file is simulated where hueylint opens it (``safeio`` opens with ``os.open``)."""
    real_open = os.open

    def refusing_open(file, flags, *args, **kwargs):
        if str(file).endswith(name):
            raise PermissionError(13, "Permission denied")
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)


def lint(root: Path, config: dict | None = None, *, show_unused: bool = False, paths: list[Path] | None = None):
    config = dict(config or {})
    show_unused = bool(config.pop("show-unused-ignores", show_unused))
    known = rule_ids()
    config_path = find_config(root)
    settings = build_settings(config_path, root, known) if config_path else Settings(root=root.resolve())
    apply_table(settings, config, "test", known)
    return run(paths or [root], settings, Options(show_unused_ignores=show_unused))


def triples(result, rule: str | None = None) -> list[tuple[str, str, int]]:
    return sorted((f.rule, f.loc.path or "", f.loc.line) for f in result.findings if rule in (None, f.rule))


#: an app whose one periodic task every consumer without ``-n`` enqueues (HL301 counts them), on a networked Redis
def notices_without_launches(root: Path, files: dict[str, str]) -> list[tuple[str, str]]:
    """Write ``files`` under ``root``, lint it, check that no launch was built and give the notices as
    (repo path, reason): the files hueylint recognises but does not model or evaluate."""
    write_tree(root, files)
    result = lint(root)
    assert result.project.launches == []
    return [(notice.rel, notice.reason) for notice in result.notices]


#: a systemd unit running ``app.tasks.huey`` with four workers (the run cache tests' tree)
UNIT_SERVICE = """[Unit]
Description=huey

[Service]
ExecStart=/srv/venv/bin/huey_consumer.py app.tasks.huey -w 4
Restart=always

[Install]
WantedBy=multi-user.target
"""

PERIODIC_APP = ("from huey import RedisHuey, crontab\nhuey = RedisHuey(url='redis://redis')\n\n"
                "@huey.periodic_task(crontab())\ndef beat():\n    pass\n")
FIXTURES = Path(__file__).parent / "fixtures"
#: Fixture projects: every folder under tests/fixtures/ with an ``expected.txt``.
PROJECTS = sorted(p for p in FIXTURES.iterdir() if (p / "expected.txt").is_file()) if FIXTURES.is_dir() else []


def example_id(doc: RuleDoc, example: Example) -> str:
    """``HL101-good-systemd-the-huey-3-4-recipe-g-term``: stable when examples are added or reordered."""
    slug = re.sub(r"[^a-z0-9]+", "-", example.title.lower()).strip("-")[:60].rstrip("-")
    return f"{doc.id}-{example.kind}-{slug}"


#: Every example of the rule catalog by :func:`example_id`, in catalog order.
EXAMPLES: dict[str, tuple[RuleDoc, Example]] = {
    example_id(doc, example): (doc, example) for doc in load_catalog().values() for example in doc.examples}


@functools.cache
def _empty_git_dir() -> Path:
    """One real ``git init`` (no hooks) per session; copies of its ``.git`` make the other checkouts."""
    template = Path(tempfile.mkdtemp(prefix="hueylint-git-"))
    atexit.register(shutil.rmtree, template, True)
    subprocess.run(["git", "init", "-q", "--template=", str(template)], check=True)
    return template / ".git"


def git_init(root: Path) -> Path:
    """``root`` as a fresh git checkout (its own project root), without a process per project."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(_empty_git_dir(), root / ".git")
    return root


#: a fixture's file holding lines added to its checkout's ``.git/config`` (a ``[remote "origin"]``: git keeps no
#: ``.git`` folder inside a commit), not copied into the checkout itself
GIT_CONFIG_LINES = "git-config-lines"


def copy_project(project: Path, where: Path) -> Path:
    """A fixture as a fresh git checkout of its own (its root is the project root), without expected.txt; the
    lines of its :data:`GIT_CONFIG_LINES` file, if any, end its ``.git/config``."""
    root = where / project.name
    shutil.copytree(project, root, symlinks=True, ignore=shutil.ignore_patterns("expected.txt", GIT_CONFIG_LINES))
    git_init(root)
    extra = project / GIT_CONFIG_LINES
    if extra.is_file():
        with open(root / ".git" / "config", "a", encoding="utf-8") as config:
            config.write(extra.read_text(encoding="utf-8"))
    return root


def lint_fixture(name: str, where: Path):
    """(root, Result) of the fixture project ``name`` copied under ``where``."""
    root = copy_project(FIXTURES / name, where)
    return root, lint(root)


def lint_example(name: str, where: Path):
    """(root, Result) of the catalog example ``name`` written under ``where``, with its configuration."""
    _, example = EXAMPLES[name]
    root = where / "project"
    write_tree(root, example.files)
    git_init(root)
    return root, lint(root, example.config)


def fix_tree(root: Path, config: dict | None = None, *, unsafe: bool = False, write: bool = True):
    """``hueylint check --fix`` (``write=False``: ``--diff``) on ``root`` in-process: a FixOutcome."""
    from hueylint.fixes import fix_loop

    config = dict(config or {})
    config.pop("show-unused-ignores", None)
    known = rule_ids()
    config_path = find_config(root)
    settings = build_settings(config_path, root, known) if config_path else Settings(root=root.resolve())
    apply_table(settings, config, "test", known)
    return fix_loop([root], settings, Options(), unsafe=unsafe, write=write)


def count_builds(monkeypatch) -> list[int]:
    """A list that grows by one for each run that builds the model (a run the run cache replays does not);
    files written by a test are trusted at once (``runcache.RACY_NS``: see tests/test_runcache.py)."""
    from hueylint import platforms, runcache

    calls: list[int] = []
    real = platforms.run_builders

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(platforms, "run_builders", counting)
    monkeypatch.setattr(runcache, "RACY_NS", 0)
    return calls
