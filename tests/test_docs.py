"""The README's rule table is generated from the catalog: fail when they drift."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_rule_table_matches_catalog():
    spec = importlib.util.spec_from_file_location("update_readme_rules", ROOT / "scripts/update_readme_rules.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert module.updated(text) == text, "run: python scripts/update_readme_rules.py"


def test_readme_starts_with_the_quick_start():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text.split("## ", 2)[1]
    assert head.startswith("Quick start")
    assert 'pip install . && hueylint check examples/broken' in head
    assert 'pip install ".[test]" && python -m pytest' in head


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert 'pip install -q ".[test]" && python -m pytest' in ci


def test_no_merge_conflict_markers_in_the_texts_users_read():
    """A merge left unresolved in a rule's TOML string or the README still parses: only a reader would see it."""
    texts = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "rules").glob("*.toml"))]
    marked = [f"{path.relative_to(ROOT)}:{number}" for path in texts if path.is_file()
              for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
              if line.startswith(("<<<<<<< ", ">>>>>>> ")) or line == "======="]
    assert marked == []


def test_the_quick_start_says_what_its_first_command_prints(monkeypatch, capsys):
    """What the quick start says its first command shows: the findings' count, one notice, exit code 0 with
    --exit-zero (the README said nothing of the notice a new user sees after the summary)."""
    from hueylint.cli import main

    head = (ROOT / "README.md").read_text(encoding="utf-8").split("## ", 2)[1]
    monkeypatch.chdir(ROOT)
    code = main(["check", "examples/broken", "--exit-zero", "--no-cache", "--no-color", "--output-format", "concise"])
    out = capsys.readouterr().out.splitlines()
    summary = next(line for line in out if line.startswith("Found "))
    assert code == 0 and summary.startswith("Found 14 findings ") and "14 findings, then a notice" in head
    assert out[-1].startswith("examples/broken/docker-compose.yml:5: notice: compose web runs Django's `run_huey`")
    assert "`run_huey`, and the example has no Django settings" in head
