"""A deployment file or a shell script named on the command line (`hueylint check deploy/huey.service`, what
pre-commit runs with ``pass_filenames``) is judged with the deployment context of `hueylint check .`: the findings
reported at that file are the ones the run over the whole repository reports there.

The differential test copies every third fixture project, runs it whole, then names one of its deployment files or
scripts (the files in turn, one a project) and compares the findings at that file: rule, line, column and message.
``HUEYLINT_NAMED_ALL=1`` names every deployment file and shell script of every project, and every other file the
whole run reports a finding at but Python modules (587 files, all equal when this was written; 80 differed before
the run of named paths read the repository's deployment context).  Runs are
in-process (:func:`tests.helpers.lint`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hueylint.discovery import discover
from tests.helpers import PROJECTS, copy_project, lint

ALL = bool(os.environ.get("HUEYLINT_NAMED_ALL"))

#: the formats of deployment files and shell scripts (not Python modules or dependency files)
_NOT_DEPLOYMENT = frozenset({"python", "deps"})

def _deployment_files(root: Path, whole) -> list[str]:
    """The deployment files and scripts discovery reads, and the other files the whole run reports findings at
    but Python modules and dependency files (an extensionless script a unit runs)."""
    found = discover([root], root, [])
    formats = {src.rel: src.format for src in found.sources}
    reported = {f.loc.path for f in whole.findings if f.loc.path and not f.loc.path.endswith(".py")}
    return sorted({rel for rel, fmt in formats.items() if fmt not in _NOT_DEPLOYMENT} |
                  {rel for rel in reported if rel not in formats})


def _at(result, rel: str) -> list[tuple[str, int, int, str]]:
    return sorted((f.rule, f.loc.line, f.loc.col, f.message) for f in result.findings if f.loc.path == rel)


#: by default a third of the projects (every third, by name), one file each; all of them with HUEYLINT_NAMED_ALL
CASES = PROJECTS if ALL else PROJECTS[::3]


@pytest.mark.parametrize("project", CASES, ids=lambda project: project.name)
def test_a_named_deployment_file_gets_the_findings_of_the_whole_run(project, tmp_path, monkeypatch):
    root = copy_project(project, tmp_path)
    monkeypatch.chdir(root)
    whole = lint(root)
    files = _deployment_files(root, whole)
    if not files:
        pytest.skip("no deployment file")
    number = PROJECTS.index(project)
    named = files if ALL else [files[number % len(files)]]
    differ = {}
    for rel in named:
        alone = _at(lint(root, paths=[root / rel]), rel)
        if alone != _at(whole, rel):
            differ[rel] = (alone, _at(whole, rel))
    assert differ == {}
