"""The text summary says many notices of one reason in one folder in one line (a committed coverage cache of
large JSON files: one "larger than 2 MiB: skipped" line each was a screenful nobody acts on); a few stay one a
line, and the JSON report keeps every notice."""

from __future__ import annotations

import io
from pathlib import Path

from hueylint.engine import Notice
from hueylint.reporters import ReportOptions, json_report, text_report
from hueylint.reporters.text_report import grouped_notices
from tests.helpers import lint, write_tree

# a JSON file too large to read whose content could matter (a Kubernetes list naming huey): a notice each
BIG = '{"apiVersion": "v1", "kind": "List", "metadata": {"name": "huey"}, "items": [' + " " * (2 * 1024 * 1024 + 10) \
    + "]}"


def test_many_skipped_files_of_one_folder_are_one_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {f"cov/.cache/c{i}.json": BIG for i in range(5)})
    write_tree(tmp_path, {"big/a.json": BIG, "app.py": "x = 1\n"})
    result = lint(tmp_path)
    out = io.StringIO()
    text_report.render(result, out, ReportOptions(cwd=str(tmp_path)))  # run from the root, as the CLI passes it
    lines = [line for line in out.getvalue().splitlines() if "2 MiB" in line]
    assert lines == ["big/a.json: notice: larger than 2 MiB: skipped",  # the notices in path order, each group where
                     "cov/.cache/: notice: 5 files larger than 2 MiB: skipped (c0.json, c1.json, ...)"]  # its first stood
    assert "2 notices below on what was not checked" in out.getvalue()
    out = io.StringIO()
    json_report.render(result, out, ReportOptions())
    assert out.getvalue().count("larger than 2 MiB") == 6


def test_a_few_notices_stay_one_a_line() -> None:
    notices = [Notice(f"d/f{i}.json", "larger than 2 MiB: skipped") for i in range(3)] + [Notice("", "no file")]
    assert grouped_notices(notices) == [(f"d/f{i}.json", "larger than 2 MiB: skipped") for i in range(3)] + \
        [("", "no file")]


def test_root_folder_and_other_reasons_are_grouped_apart() -> None:
    notices = [Notice(f"f{i}.json", "larger than 2 MiB: skipped") for i in range(4)] + \
        [Notice(f"f{i}.yaml", "permission denied: not read") for i in range(2)]
    assert grouped_notices(notices) == [(".", "4 files larger than 2 MiB: skipped (f0.json, f1.json, ...)"),
                                        ("f0.yaml", "permission denied: not read"),
                                        ("f1.yaml", "permission denied: not read")]
