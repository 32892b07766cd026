"""Regenerate the rule table in README.md from rules/ (run after adding a rule)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hueylint.catalog import load_catalog  # noqa: E402
from hueylint.explain import rules_table  # noqa: E402

START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"


def updated(text: str) -> str:
    table = rules_table(load_catalog())
    return re.sub(re.escape(START) + r".*?" + re.escape(END), f"{START}\n{table}\n{END}", text, flags=re.S)


if __name__ == "__main__":
    readme = ROOT / "README.md"
    readme.write_text(updated(readme.read_text(encoding="utf-8")), encoding="utf-8")
