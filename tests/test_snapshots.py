"""Snapshots of everything a user sees: the text, JSON and SARIF reports of every fixture project
(tests/fixtures/*/, also the concise and GitLab Code Quality reports) and of every example in the rule
catalog (rules/*.toml, bad and good).

The other tests check findings by (rule, path, line); these pin the rest: columns, spans, the full
messages, related locations, fixes, summaries and notices. A change in any of them shows up as a diff of
one readable file per project and format under ``tests/__snapshots__/test_snapshots/``.

Regenerate after an intended change, then review the diff like code::

    python -m pytest --snapshot-update

Each project or example is linted ONCE, in-process, and the three reporters render that one Result
(the ``github`` format is a projection of the same fields; tests/test_github_format.py covers it).
Outputs are made deterministic before comparison:

- the project's absolute root (a fresh temporary git checkout) becomes ``<root>``, other temporary
  paths ``<tmp>``, and hueylint's version ``<version>`` (JSON ``tool.version``, SARIF driver versions);
- the SARIF ``tool.driver.rules`` array, the whole catalog with every rule's help page and identical in
  every run, is replaced by the list of rule ids; :func:`test_sarif_rule_descriptors` snapshots it once.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from hueylint import __version__
from hueylint.catalog import load_catalog
from hueylint.reporters import ReportOptions, render
from hueylint.reporters.sarif_report import rule_descriptor
from tests.helpers import EXAMPLES, PROJECTS

FORMATS = ("text", "json", "sarif")
FIXTURE_FORMATS = (*FORMATS, "concise", "gitlab")  # the catalog's examples: the three above


class TextSnapshot(SingleFileSnapshotExtension):
    """One plain file per snapshot, named after the test id: diffs read like the output itself."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"


class JSONSnapshot(TextSnapshot):
    file_extension = "json"


class SARIFSnapshot(TextSnapshot):
    file_extension = "sarif"


EXTENSION = {"text": TextSnapshot, "json": JSONSnapshot, "sarif": SARIFSnapshot, "concise": TextSnapshot,
             "gitlab": JSONSnapshot}
VERSION_KEYS = re.compile(r'("(?:version|semanticVersion)": )"' + re.escape(__version__) + '"')


def normalise(text: str, root: Path, tmp: Path) -> str:
    """Absolute paths and URIs of the temporary checkout, and the version, as placeholders."""
    for path, placeholder in ((root, "<root>"), (tmp, "<tmp>")):
        text = text.replace(path.as_uri(), "file://" + placeholder).replace(str(path), placeholder)
    return VERSION_KEYS.sub(r'\1"<version>"', text)


def render_all(result, root: Path, tmp: Path) -> dict[str, str]:
    """The reports of one Result, as ``hueylint check`` prints them at the project root without colour."""
    outputs = {}
    for fmt in FIXTURE_FORMATS:
        out = io.StringIO()
        render(fmt, result, out, ReportOptions(color_mode="never", cwd=str(root)))
        outputs[fmt] = out.getvalue()
    sarif = json.loads(outputs["sarif"])
    for run in sarif["runs"]:  # the catalog: one line here, in full in test_sarif_rule_descriptors
        run["tool"]["driver"]["rules"] = " ".join(rule["id"] for rule in run["tool"]["driver"]["rules"])
    outputs["sarif"] = json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"
    return {fmt: normalise(text, root, tmp) for fmt, text in outputs.items()}


@pytest.fixture(scope="module")
def reports(linted, tmp_path_factory):
    """``reports(kind, name) -> {format: output}`` of the session's one engine run of that project."""
    tmp = tmp_path_factory.getbasetemp().resolve()
    cache: dict[tuple[str, str], dict[str, str]] = {}

    def of(kind: str, name: str) -> dict[str, str]:
        if (kind, name) not in cache:
            root, result = linted(kind, name)
            cache[kind, name] = render_all(result, root.resolve(), tmp)
        return cache[kind, name]

    return of


@pytest.mark.parametrize("fmt", FIXTURE_FORMATS)
@pytest.mark.parametrize("name", [p.name for p in PROJECTS])
def test_fixture(reports, snapshot, name, fmt):
    assert reports("fixture", name)[fmt] == snapshot(extension_class=EXTENSION[fmt])


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_catalog_example(reports, snapshot, name, fmt):
    assert reports("example", name)[fmt] == snapshot(extension_class=EXTENSION[fmt])


SNAPSHOTS = Path(__file__).parent / "__snapshots__" / Path(__file__).stem


def test_no_stale_snapshots(request):
    """A snapshot whose fixture or example is gone (renamed, deleted) fails here; ``--snapshot-update``
    deletes it. (syrupy's own unused-snapshot check is off whenever tests are deselected, as the
    ``network`` ones always are.)"""
    expected = {f"test_fixture[{p.name}-{fmt}].{EXTENSION[fmt].file_extension}" for p in PROJECTS for fmt in FIXTURE_FORMATS}
    expected |= {f"test_catalog_example[{name}-{fmt}].{EXTENSION[fmt].file_extension}"
                 for name in EXAMPLES for fmt in FORMATS}
    expected.add(f"test_sarif_rule_descriptors.{JSONSnapshot.file_extension}")
    stale = sorted(path for path in SNAPSHOTS.glob("*") if path.name not in expected)
    if stale and request.config.getoption("update_snapshots"):
        for path in stale:
            path.unlink()
        return
    assert not stale, f"stale snapshots (run `python -m pytest --snapshot-update`): {[p.name for p in stale]}"


def test_sarif_rule_descriptors(snapshot):
    """The catalog as SARIF carries it (help text and Markdown pages shown by GitHub code scanning)."""
    rules = [rule_descriptor(doc) for doc in load_catalog().values()]
    assert json.dumps(rules, indent=2, ensure_ascii=False) + "\n" == snapshot(extension_class=JSONSnapshot)
