"""SARIF: valid against the OASIS 2.1.0 schema and complete for GitHub code scanning.

The schema ships with the tests (tests/data/sarif-schema-2.1.0.json, the OASIS
schema unmodified; see tests/data/README.md for its source and licence), so no
test here skips on a fresh clone.
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest

from hueylint.catalog import CatalogError, Security, load_catalog, load_rule
from hueylint.cli import main
from hueylint.discovery import Notice
from hueylint.findings import Edit, Finding, Fix, Related, Severity
from hueylint.locations import Loc
from hueylint.reporters import ReportOptions, sarif_report
from tests.helpers import PROJECTS, lint, write_tree

SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"

PROJECT = {
    "deploy/huey.service": "[Service]\nType=exec\nExecStart=/srv/app/venv/bin/huey_consumer my_app.huey -w 4\n"
                           "TimeoutStopSec=60\n",
    "Dockerfile": 'FROM python:3.13-slim\nCMD ["huey_consumer", "my_app.huey", "-w", "4"]\n',
    "docker/entrypoint.sh": "#!/bin/sh\nhuey_consumer my_app.huey &\nexec gunicorn app:wsgi\n",
    "docker/Dockerfile": 'FROM python:3.13-slim\nCOPY entrypoint.sh /entrypoint.sh\nCMD ["/entrypoint.sh"]\n',
}


def sarif_of(result, **options) -> dict:
    out = io.StringIO()
    sarif_report.render(result, out, ReportOptions(**options))
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def validator():
    import jsonschema  # the test extra installs it

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def assert_valid(validator, document: dict) -> None:
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.mark.parametrize("fixture", PROJECTS, ids=[path.name for path in PROJECTS])
def test_fixture_projects_are_schema_valid(fixture: Path, linted, validator) -> None:
    # Each fixture as a checkout of its own, so hueylint's own config (which excludes tests/fixtures) does not apply.
    _, result = linted("fixture", fixture.name)
    document = sarif_of(result, sarif_category="fixtures")
    assert_valid(validator, document)
    assert_github_requirements(document)


def test_synthetic_project_is_schema_valid(tmp_path: Path, validator) -> None:
    write_tree(tmp_path, PROJECT)
    result = lint(tmp_path)
    assert result.findings
    result.notices.append(Notice("big.yaml", "larger than 5 MiB: skipped"))
    result.notices.append(Notice("secret.conf", "permission denied: not read"))
    result.findings.append(_fix_finding())
    document = sarif_of(result, sarif_category="deploy")
    assert_valid(validator, document)
    assert_github_requirements(document)


def _fix_finding() -> Finding:
    return Finding("HL101", "systemd sends SIGTERM. Fix: add -g TERM",
                   Loc("deploy/huey.service", 3, 11, 3, 59), Severity.ERROR,
                   fix=Fix("add `-g TERM -t 55`", (Edit("deploy/huey.service", 3, 59, 3, 59, " -g TERM -t 55"),)),
                   fingerprint="abc:1")


def assert_github_requirements(document: dict) -> None:
    """What docs.github.com "SARIF support for code scanning" requires or uses."""
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    for key in ("name", "version", "semanticVersion", "informationUri"):
        assert driver[key], key
    rules = driver["rules"]
    catalog = load_catalog()
    assert [rule["id"] for rule in rules][:len(catalog)] == list(catalog)
    assert len({rule["id"] for rule in rules}) == len(rules)
    for rule in rules:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        if rule["id"] in catalog:
            assert rule["help"]["markdown"].startswith(f"# {rule['id']} ")
        assert rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert isinstance(rule["properties"]["tags"], list)
        assert rule["properties"]["precision"] in ("very-high", "high", "medium", "low")
        assert rule["properties"]["problem.severity"] in ("error", "warning", "recommendation")
        if rule["id"] in ("HL402", "HL403"):
            assert float(rule["properties"]["security-severity"]) >= 7.0
            assert "security" in rule["properties"]["tags"]
    (invocation,) = run["invocations"]
    assert isinstance(invocation["executionSuccessful"], bool)
    assert isinstance(invocation["toolExecutionNotifications"], list)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert "\\" not in artifact["uri"] and not artifact["uri"].startswith(("/", "file:", "../"))
        region = location["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])
        for related in result.get("relatedLocations", []):
            assert related["message"]["text"]
            assert related["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert result["partialFingerprints"]["primaryLocationLineHash"]


def test_results_carry_locations_fingerprints_and_related(tmp_path: Path) -> None:
    write_tree(tmp_path, PROJECT)
    document = sarif_of(lint(tmp_path))
    results = document["runs"][0]["results"]
    hl101 = [r for r in results if r["ruleId"] == "HL101"
             and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "deploy/huey.service"]
    assert len(hl101) == 1
    region = hl101[0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["endLine"]) == (3, 3) and region["startColumn"] >= 1
    cross_file = [r for r in results if any(
        rel["physicalLocation"]["artifactLocation"]["uri"] != r["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"] for rel in r.get("relatedLocations", []))]
    assert cross_file, "the entrypoint script finding should point back at its Dockerfile"
    for result in cross_file:
        ids = [rel["id"] for rel in result["relatedLocations"]]
        assert len(set(ids)) == len(ids)


def _uris(document: dict) -> list[str]:
    return sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                  for r in document["runs"][0]["results"])


def test_uris_are_repo_relative_from_a_subfolder_and_with_absolute_paths(tmp_path: Path, monkeypatch, capsys) -> None:
    repo = tmp_path / "repo"
    write_tree(repo, PROJECT)
    (repo / ".git").mkdir()
    runs = []
    for cwd, paths in ((repo, ["."]), (repo / "deploy", [".."]), (repo / "deploy", [str(repo)]),
                       (tmp_path, [str(repo / "deploy"), str(repo / "docker")]), (repo / "docker", ["../deploy", "."])):
        monkeypatch.chdir(cwd)
        assert main(["check", "--format", "sarif", "--exit-zero", *paths]) == 0
        runs.append(json.loads(capsys.readouterr().out))
    whole = _uris(runs[0])
    assert "deploy/huey.service" in whole and "Dockerfile" in whole
    assert _uris(runs[1]) == whole and _uris(runs[2]) == whole
    # Checking two folders gives the same URIs as the whole repository, restricted to them.
    in_folders = [uri for uri in whole if uri.startswith(("deploy/", "docker/"))]
    assert _uris(runs[3]) == in_folders and _uris(runs[4]) == in_folders
    assert all(d["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/" for d in runs)

    def prints(document: dict) -> list[str]:
        return sorted(r["partialFingerprints"]["primaryLocationLineHash"] for r in document["runs"][0]["results"]
                      if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("deploy/"))

    assert prints(runs[0]) and all(prints(document) == prints(runs[0]) for document in runs)


def test_uri_is_percent_encoded_and_forward_slashed() -> None:
    assert sarif_report._artifact("my deploy/huey%1.service") == {
        "uri": "my%20deploy/huey%251.service", "uriBaseId": "%SRCROOT%"}
    assert sarif_report._artifact("deploy\\huey.service")["uri"] == "deploy/huey.service"


def test_notifications_for_skipped_and_unreadable_files(tmp_path: Path) -> None:
    write_tree(tmp_path, PROJECT)
    result = lint(tmp_path)
    result.notices[:] = [Notice("big.yaml", "larger than 5 MiB: skipped"),
                         Notice("secret.conf", "permission denied: not read")]
    (invocation,) = sarif_of(result)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    notes = invocation["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["note", "warning"]
    assert notes[1]["message"]["text"] == "secret.conf: permission denied: not read"
    assert notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "secret.conf"


def test_category_and_execution_status(tmp_path: Path) -> None:
    write_tree(tmp_path, PROJECT)
    result = lint(tmp_path)
    assert "automationDetails" not in sarif_of(result)["runs"][0]
    assert sarif_of(result, sarif_category="backend")["runs"][0]["automationDetails"] == {"id": "backend/"}
    assert sarif_of(result, sarif_category="ci/backend/")["runs"][0]["automationDetails"] == {"id": "ci/backend/"}
    assert sarif_of(result, invocation_ok=False)["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_cli_sarif_category(tmp_path: Path, monkeypatch) -> None:
    write_tree(tmp_path, PROJECT)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "sarif", "-o", "out.sarif", "--sarif-category", "workers", "."]) == 1
    document = json.loads((tmp_path / "out.sarif").read_text())
    assert document["runs"][0]["automationDetails"]["id"] == "workers/"


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_sarif_category_without_sarif_is_a_usage_error(tmp_path: Path, monkeypatch, capsys, fmt) -> None:
    """It was ignored without a word (a report without the category the user asked for)."""
    write_tree(tmp_path, PROJECT)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", fmt, "--sarif-category", "workers", "."]) == 2
    assert capsys.readouterr() == ("", "hueylint: error: --sarif-category sets the SARIF report's automationDetails.id: "
                                       f"it needs --output-format sarif, not {fmt}\n")


def test_fixes_become_artifact_changes() -> None:
    index = {rule: number for number, rule in enumerate(load_catalog())}
    item = sarif_report.result_object(_fix_finding(), index)
    (fix,) = item["fixes"]
    assert fix["description"]["text"] == "add `-g TERM -t 55`"
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "deploy/huey.service", "uriBaseId": "%SRCROOT%"}
    (replacement,) = change["replacements"]
    assert replacement["deletedRegion"] == {"startLine": 3, "startColumn": 59, "endLine": 3, "endColumn": 59}
    assert replacement["insertedContent"]["text"] == " -g TERM -t 55"
    without = sarif_report.result_object(dataclasses.replace(_fix_finding(), fix=None), index)
    assert "fixes" not in without


def test_rules_without_a_catalog_page_still_get_a_descriptor(tmp_path: Path) -> None:
    from types import SimpleNamespace

    finding = Finding("HL999", "m", Loc("Dockerfile", 1, 1, 1, 2), Severity.NOTE)
    run = sarif_of(SimpleNamespace(root=tmp_path, findings=[finding], notices=[]))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    (result,) = run["results"]
    assert rules[result["ruleIndex"]]["id"] == "HL999"
    assert rules[result["ruleIndex"]]["defaultConfiguration"]["level"] == "note"


def test_default_location_falls_back_to_a_related_file() -> None:
    finding = Finding("HL102", "Docker waits 10 s by default", Loc.platform_default("Docker default"),
                      Severity.WARNING, related=[Related(Loc("Dockerfile", 2, 1, 2, 9), "the consumer")])
    item = sarif_report.result_object(finding, {})
    assert "ruleIndex" not in item
    assert item["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "Dockerfile"


@pytest.mark.parametrize("rule_id, score, cwe", [("HL402", "8.1", "external/cwe/cwe-502"),
                                                  ("HL403", "7.5", "external/cwe/cwe-798")])
def test_security_rules_get_security_severity(rule_id: str, score: str, cwe: str) -> None:
    """The catalog's `[security]` table gives the score and the CWE tags."""
    catalog = load_catalog()
    descriptor = sarif_report.rule_descriptor(catalog[rule_id])
    assert descriptor["properties"]["security-severity"] == score
    assert descriptor["properties"]["tags"] == ["security", cwe]
    ordinary = sarif_report.rule_descriptor(catalog["HL101"])
    assert "security-severity" not in ordinary["properties"]


def test_any_rule_with_a_security_table_gets_its_score_and_cwe_tags() -> None:
    """The reporter reads the table of whatever rule has one; a rule tagged "security" without it is scored
    from its severity (HL701, a note: 3.0)."""
    catalog = load_catalog()
    doc = dataclasses.replace(catalog["HL101"], security=Security(9.0, (78, 250)))
    properties = sarif_report.rule_descriptor(doc)["properties"]
    assert properties["security-severity"] == "9.0"
    assert properties["tags"] == ["security", *catalog["HL101"].tags, "external/cwe/cwe-78", "external/cwe/cwe-250"]
    tagged = sarif_report.rule_descriptor(catalog["HL701"])["properties"]
    assert tagged["security-severity"] == "3.0" and tagged["tags"] == ["security", "hygiene"]


@pytest.mark.parametrize("table, error", [
    ("score = 11.0", "[security] needs a score from 0.0 to 10.0 with one decimal, not 11.0"),
    ("score = 7.25", "[security] needs a score from 0.0 to 10.0 with one decimal, not 7.25"),
    ('score = "8.1"', "[security] needs a score from 0.0 to 10.0 with one decimal, not '8.1'"),
    ('score = 8.1\ncwe = ["CWE-502"]', "[security] cwe must be a list of CWE ids (numbers), not ['CWE-502']"),
    ("score = 8.1\ncvss = 1", "[security] has unknown keys: cvss"),
])
def test_a_malformed_security_table_is_a_catalog_error(tmp_path: Path, table: str, error: str) -> None:
    source = load_catalog()["HL402"].path.read_text(encoding="utf-8")
    start = source.index("[security]")
    path = tmp_path / "HL402-unsigned-serializer.toml"
    path.write_text(source[:start] + "[security]\n" + table + "\n" + source[source.index("[[examples]]"):],
                    encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_rule(path)
    assert str(caught.value) == f"HL402-unsigned-serializer.toml: {error}"


def test_a_rule_named_unlike_its_file_is_refused(tmp_path):
    """The formats print a rule's name from its file name (``catalog.rule_names``), so a catalog file whose
    ``name`` says something else is a CatalogError, not a name that differs between formats."""
    from hueylint.catalog import rule_names

    source = load_catalog()["HL402"].path.read_text(encoding="utf-8")
    assert rule_names()["HL402"] == load_catalog()["HL402"].name == "unsigned-serializer"
    path = tmp_path / "HL402-unsigned-serializer.toml"
    path.write_text(source.replace('name = "unsigned-serializer"', 'name = "unsigned-pickle"', 1), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_rule(path)
    assert str(caught.value) == ("HL402-unsigned-serializer.toml: name 'unsigned-pickle' does not match the file "
                                 "name (HL402-unsigned-pickle.toml)")
    assert rule_names() == {rule_id: doc.name for rule_id, doc in load_catalog().items()}


@pytest.mark.parametrize("category", ["", "  ", "/"])
def test_a_blank_sarif_category_is_a_usage_error(tmp_path: Path, monkeypatch, capsys, category) -> None:
    """`""` wrote no automationDetails at all and `" "` the id `/`: neither is the category the user asked for."""
    write_tree(tmp_path, PROJECT)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "sarif", "--sarif-category", category, "."]) == 2
    assert capsys.readouterr() == ("", f"hueylint: error: --sarif-category {category!r} names no category "
                                       "(e.g. `hueylint/backend`)\n")
