"""Cost linear in the size of every input (issue 14): a giant repository or a hostile pull request of a few
megabytes is checked in time and memory proportional to it. Each test lints one input at two sizes, asserts
the findings users see at both, and that four times the input costs less than four times the memory
(linear, with what every run holds anyway)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from tests.helpers import lint, triples, write_tree


def _peak(root: Path):
    """The findings and the peak of Python memory of one lint of ``root``."""
    tracemalloc.start()
    try:
        result = lint(root, {"longest-task": "20s"})
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _helm_chart(root: Path, count: int) -> None:
    helpers = "".join(f'{{{{- define "c.name{i}" -}}}}\nw{i}\n{{{{- end }}}}\n' for i in range(count))
    docs = "---\n".join(
        f'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{{{ include "c.name{i}" . }}}}\n'
        f'spec:\n  replicas: {{{{ .Values.r{i} }}}}\n  template:\n    spec:\n      containers:\n'
        f'      - name: huey\n        image: app\n        command: ["huey_consumer", "app.huey", "-n", "-t", "20"]\n'
        for i in range(count))
    write_tree(root, {"chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
                      "chart/values.yaml": "".join(f"r{i}: 1\n" for i in range(count)),
                      "chart/templates/_helpers.tpl": helpers, "chart/templates/deploy.yaml": docs})


def test_helm_template_of_many_documents_in_linear_memory(tmp_path: Path) -> None:
    """Each document of a template kept its own copy of the whole template's placeholders: 1,600 documents
    in one file took 420 MB."""
    peaks = []
    for count in (200, 800):
        root = tmp_path / str(count)
        _helm_chart(root, count)
        result, peak = _peak(root)
        lines = [line for _, _, line in triples(result, "HL101")]
        assert lines == [13 * i + 10 for i in range(count)]  # each container's `- name:` line
        assert {path for _, path, _ in triples(result, "HL101")} == {"chart/templates/deploy.yaml"}
        peaks.append(peak)
    assert peaks[1] < 4 * peaks[0]  # before: 12 MB, then 70 MB


def test_a_long_shell_form_cmd_is_followed_once(tmp_path: Path, monkeypatch) -> None:
    """The image's command was resolved twice (once for the stage's launch, again only to learn whether PID 1
    is a supervisor, its consumers thrown away): twice the time and memory of a CMD of 550,000 words."""
    from hueylint import chain

    followed = []
    real = chain._run
    monkeypatch.setattr(chain, "_run", lambda unit, *rest: followed.append(unit.title) or real(unit, *rest))
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.13\nUSER app\nCMD huey_consumer app.huey -t 5 " + "-v " * 20000 + "\n"})
    # -t 5 below the longest task (HL102); the shell stays (HL201)
    assert triples(lint(tmp_path)) == [("HL101", "Dockerfile", 3), ("HL102", "Dockerfile", 3), ("HL201", "Dockerfile", 3)]
    assert followed.count("the shell-form CMD (/bin/sh -c)") == 1
