"""Inline suppressions in each comment syntax, file-level ones, and refused blanket ignores."""

from __future__ import annotations

import subprocess

import pytest

from tests.helpers import lint, triples, write_tree


def repo(tmp_path, files):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_tree(tmp_path, files)
    return tmp_path


def test_same_line_and_line_before(tmp_path):
    root = repo(tmp_path, {
        "a.conf": "[program:huey]\ncommand=/x/huey_consumer app.huey -t 5  ; hueylint: ignore[HL101]\nstopwaitsecs=60\n",
        "b.service": "[Service]\n# hueylint: ignore[HL101]\nExecStart=/x/huey_consumer app.huey -t 5\nTimeoutStopSec=60\n",
        "c.service": "[Service]\n; hueylint: ignore[HL101]\nExecStart=/x/huey_consumer app.huey -t 5\nTimeoutStopSec=60\n",
    })
    result = lint(root)
    assert triples(result, "HL101") == []
    assert result.suppressed == 3


def test_ruffs_noqa_suppresses_nothing_and_says_what_to_write(tmp_path):
    """``# noqa: HL101`` (ruff's and flake8's syntax, by habit) hides nothing: HL009 names hueylint's own,
    and where the format has no trailing comments, where to put it. In Python files noqa comments are ruff's
    and flake8's (which report unknown codes themselves): not ours."""
    root = repo(tmp_path, {
        "a.service": "[Service]\n# noqa: HL101\nExecStart=/x/huey_consumer app.huey -t 5\nTimeoutStopSec=60\n",
        "b.service": "[Service]\nExecStart=/x/huey_consumer app.huey -t 5  # NOQA: HL101, HL104\nTimeoutStopSec=60\n",
        "tasks.py": "from huey import RedisHuey\nhuey = RedisHuey('a', host='localhost')  # noqa: E501, HL402\n",
    })
    result = lint(root)
    assert triples(result, "HL101") == [("HL101", "a.service", 3), ("HL101", "b.service", 2)]
    assert [(f.loc.path, f.loc.line, f.loc.col, f.message) for f in result.findings if f.rule == "HL009"] == [
        ("a.service", 2, 1, "`noqa` is ruff's and flake8's syntax and suppresses nothing here: write "
                            "`# hueylint: ignore[HL101]`"),
        ("b.service", 2, 43, "`noqa` is ruff's and flake8's syntax and suppresses nothing here: write "
                             "`# hueylint: ignore[HL101,HL104]` alone on the line before: systemd has no trailing "
                             "comments, this text is part of the value (on an Exec line systemd passes it to the "
                             "command)")]
    assert result.suppressed == 0


def test_noqa_after_a_semicolon_is_answered_with_the_same_comment_mark(tmp_path):
    """supervisord's inline comments start with `` ;`` (a ``#`` there is part of the command, which supervisord
    splits into arguments): HL009 says to write ``; hueylint: ignore[...]``, the mark the user wrote."""
    root = repo(tmp_path, {"supervisord.conf": "[program:w]\ncommand=huey_consumer app.huey ; noqa: HL101\n"})
    [message] = [f.message for f in lint(root).findings if f.rule == "HL009"]
    assert message == "`noqa` is ruff's and flake8's syntax and suppresses nothing here: write `; hueylint: ignore[HL101]`"


FOREIGN = ("is not hueylint's suppression syntax and suppresses nothing (hadolint's `ignore=` and shellcheck's "
           "`disable=` forms are not read): write ")


@pytest.mark.parametrize(("written", "meant"), [
    ("# hueylint ignore=HL101", "# hueylint: ignore[HL101]"),  # hadolint's `# hadolint ignore=DL3006`
    ("# hueylint: disable=HL101,HL104", "# hueylint: ignore[HL101,HL104]"),  # shellcheck's and pylint's
    ("# hueylint disable HL101", "# hueylint: ignore[HL101]"),
    ("# hueylint-ignore[HL101]", "# hueylint: ignore[HL101]"),
    ("# hueylint: ignore=HL101", "# hueylint: ignore[HL101]"),  # before: "without rule ids is refused"
    ("# hueylint: ignore HL101", "# hueylint: ignore[HL101]"),
    ("# HUEYLINT IGNORE-FILE=HL101", "# hueylint: ignore-file[HL101]"),
    ("; hueylint disable=HL101", "; hueylint: ignore[HL101]"),
    ("# hueylint-disable-next-line HL101", "# hueylint: ignore[HL101]"),  # eslint's
    ("# hueylint-disable-line HL101", "# hueylint: ignore[HL101]"),
    # hueylint's ids in hadolint's or shellcheck's own directive: neither tool nor hueylint reads them
    ("# hadolint ignore=HL101", "# hueylint: ignore[HL101]"),
    ("# hadolint ignore=DL3008, HL101", "# hueylint: ignore[HL101]"),
    ("; shellcheck disable=SC2086,hl101", "; hueylint: ignore[HL101]"),
])
def test_another_tools_suppression_form_suppresses_nothing_and_says_what_to_write(tmp_path, written, meant):
    """hueylint's ids in another tool's suppression form were read as no comment at all: the finding stayed
    and nothing said why.  Now HL009 quotes what was written and names hueylint's form, as for ruff's noqa."""
    root = repo(tmp_path, {"a.service": f"[Service]\n{written}\nExecStart=/x/huey_consumer app.huey -t 5\n"
                                        "TimeoutStopSec=60\n"})
    result = lint(root)
    assert triples(result, "HL101") == [("HL101", "a.service", 3)] and result.suppressed == 0
    assert [(f.loc.line, f.loc.col, f.message) for f in result.findings if f.rule == "HL009"] == [
        (2, 1, f"`{written}` {FOREIGN}`{meant}`")]


def test_another_tools_own_directive_without_hueylints_ids_is_its_business(tmp_path):
    root = repo(tmp_path, {"a.service": "[Service]\n# hadolint ignore=DL3008\n# shellcheck disable=SC2086\n"
                                        "ExecStart=/x/huey_consumer app.huey -t 5\nTimeoutStopSec=60\n",
                           "tasks.py": "from huey import RedisHuey\n# shellcheck disable=HL402\n"
                                       "huey = RedisHuey('a', host='localhost')\n"})
    assert [f.rule for f in lint(root).findings if f.rule in ("HL008", "HL009")] == []


def test_a_comment_that_only_names_hueylint_is_no_suppression(tmp_path):
    root = repo(tmp_path, {"a.service": "[Service]\n# checked by hueylint (see HL101 in its docs)\n"
                                        "ExecStart=/x/huey_consumer app.huey -t 5\nTimeoutStopSec=60\n"})
    assert [f.rule for f in lint(root).findings if f.rule in ("HL008", "HL009")] == []


def test_trailing_comment_on_previous_line_does_not_leak(tmp_path):
    root = repo(tmp_path, {"Dockerfile": (
        "FROM python:3.13-slim AS base  # hueylint: ignore[HL101]\n"
        'CMD ["huey_consumer", "app.huey", "-t", "5"]\n')})
    assert triples(lint(root), "HL101") == [("HL101", "Dockerfile", 2)]


def test_only_named_rules_are_suppressed(tmp_path):
    root = repo(tmp_path, {"a.service": "[Service]\n# hueylint: ignore[HL104]\nExecStart=/x/huey_consumer app.huey\nTimeoutStopSec=60\n"})
    assert triples(lint(root), "HL101") == [("HL101", "a.service", 3)]
    assert triples(lint(root), "HL104") == []


def test_ignore_file(tmp_path):
    root = repo(tmp_path, {"a.service": "# hueylint: ignore-file[HL101, HL104]\n[Service]\nExecStart=/x/huey_consumer app.huey\nTimeoutStopSec=60\n"})
    result = lint(root)
    assert triples(result, "HL101") == [] and triples(result, "HL104") == []


def test_ignore_file_only_near_the_top(tmp_path):
    padding = "".join(f"# line {i}\n" for i in range(25))
    root = repo(tmp_path, {"a.service": padding + "[Service]\nExecStart=/x/huey_consumer app.huey -t 5\n# hueylint: ignore-file[HL101]\n"})
    result = lint(root)
    assert [t[0] for t in triples(result, "HL101")] == ["HL101"]
    # said, not skipped in silence
    assert [(f.rule, f.loc.line, f.loc.col, f.message) for f in result.findings if f.rule == "HL009"] == [(
        "HL009", 28, 13, "misplaced suppression (suppresses nothing): `hueylint: ignore-file` is read only in the "
        "first 20 lines of a file; put `# hueylint: ignore-file[HL101]` on a line of its own in the first 20 lines")]


def test_bare_ignore_is_refused(tmp_path):
    root = repo(tmp_path, {"a.service": "[Service]\n# hueylint: ignore\nExecStart=/x/huey_consumer app.huey -t 5\nTimeoutStopSec=60\n"})
    result = lint(root)
    assert triples(result, "HL101") == [("HL101", "a.service", 3)]
    assert triples(result, "HL009") == [("HL009", "a.service", 2)]
    assert "without rule ids is refused" in result.findings[[f.rule for f in result.findings].index("HL009")].message


def test_unused_ignores_only_on_request(tmp_path):
    root = repo(tmp_path, {"a.service": "[Service]\n# hueylint: ignore[HL201]\nExecStart=/x/huey_consumer app.huey -g TERM -t 5\nTimeoutStopSec=60\n"})
    assert triples(lint(root), "HL008") == []
    assert triples(lint(root, show_unused=True), "HL008") == [("HL008", "a.service", 2)]


def test_an_unused_suppression_says_where_its_rule_is_reported_in_the_file(tmp_path):
    """A new user suppresses a compose service's HL101 at its `command:` line, where the consumer is: the finding
    sits at the service's key (the setting it lacks goes there), so the comment suppressed nothing and HL008 said
    only "reported nothing here" beside the HL101 it was meant for. It names the nearest line the rule is reported
    at in the file above the comment (the service's key), else below; a rule reported nowhere else in it keeps the
    short message."""
    root = repo(tmp_path, {
        "requirements.txt": "huey==2.5.0\n",
        "docker-compose.yml": "services:\n  worker:\n    image: x\n    restart: always\n"
                              "    command: huey_consumer app.huey  # hueylint: ignore[HL101]\n"
                              "    stop_grace_period: 60s  # hueylint: ignore[HL102]\n"
                              "  other:\n    image: y\n    restart: always\n    stop_grace_period: 60s\n"
                              "    command: huey_consumer app.huey -n\n"})
    result = lint(root, show_unused=True)
    assert triples(result, "HL101") == [("HL101", "docker-compose.yml", 2), ("HL101", "docker-compose.yml", 7)]
    assert [(f.loc.line, f.loc.col, f.message) for f in result.findings if f.rule == "HL008"] == [
        (5, 50, "unused suppression: HL101 reported nothing here (HL101 is reported at line 2 of this file: a "
                "suppression covers only its own line, or the next one when it stands alone on its line)"),
        (6, 41, "unused suppression: HL102 reported nothing here")]
    write_tree(root, {"docker-compose.yml": "services:\n  worker:\n    image: x\n    restart: always\n"
                                            "    # hueylint: ignore[HL101]\n  # hueylint: ignore[HL101]\n"
                                            "    command: huey_consumer app.huey\n"})
    assert [(f.loc.line, f.message) for f in lint(root, show_unused=True).findings if f.rule == "HL008"] == [
        (5, "unused suppression: HL101 reported nothing here (HL101 is reported at line 2 of this file: a "
            "suppression covers only its own line, or the next one when it stands alone on its line)"),
        (6, "unused suppression: HL101 reported nothing here (HL101 is reported at line 2 of this file: a "
            "suppression covers only its own line, or the next one when it stands alone on its line)")]


def test_suppression_in_yaml_and_procfile_comment_syntax(tmp_path):
    from hueylint.suppressions import parse_directives

    parsed = parse_directives("x.yaml", ["  command: [huey_consumer]  # hueylint: ignore[HL101,HL201]"])
    assert parsed.directives[0].ids == ("HL101", "HL201")
    parsed = parse_directives("x.conf", ["command=huey_consumer app ; hueylint: ignore[HL101]"])
    assert parsed.directives[0].ids == ("HL101",)


SERVICE = "[Service]\nTimeoutStopSec=60\nExecStart=/x/huey_consumer app.huey -t 5{tail}\n"


def test_trailing_suppression_in_systemd_is_not_a_comment(tmp_path):
    # systemd has whole-line comments only: the text is part of ExecStart, so it suppresses nothing
    root = repo(tmp_path, {"hash.service": SERVICE.format(tail=" # hueylint: ignore[HL101]"),
                           "semi.service": SERVICE.format(tail=" ; hueylint: ignore[HL101]")})
    result = lint(root)
    assert triples(result, "HL101") == [("HL101", "hash.service", 3), ("HL101", "semi.service", 3)]
    assert result.suppressed == 0
    misplaced = sorted((f.loc.path, f.loc.line, f.loc.col, f.message) for f in result.findings if f.rule == "HL009")
    why = ("misplaced suppression (suppresses nothing): systemd has no trailing comments, this text is part of the "
           "value (on an Exec line systemd passes it to the command); put `# hueylint: ignore[HL101]` alone on the "
           "line before")
    assert misplaced == [("hash.service", 3, 42, why), ("semi.service", 3, 42, why)]


def test_trailing_suppression_in_a_dockerfile_is_not_a_comment(tmp_path):
    root = repo(tmp_path, {"Dockerfile": "FROM python:3.13\nCMD huey_consumer app.huey -t 5  # hueylint: ignore[HL101]\n"})
    result = lint(root)
    assert ("HL101", "Dockerfile", 2) in triples(result)
    assert [(f.loc.line, f.loc.col, f.message.split(":")[0]) for f in result.findings if f.rule == "HL009"] == [
        (2, 34, "misplaced suppression (suppresses nothing)")]


def test_whole_line_suppressions_in_whole_line_formats(tmp_path):
    root = repo(tmp_path, {
        "a.service": "[Service]\n  # hueylint: ignore[HL101]\nExecStart=/x/huey_consumer app.huey -t 5\nTimeoutStopSec=60\n",
        "Dockerfile": "FROM python:3.13\n# hueylint: ignore[HL101]\nCMD huey_consumer app.huey -t 5\n",
    })
    result = lint(root, {"show-unused-ignores": True})
    assert triples(result, "HL101") == [] and triples(result, "HL009") == [] and triples(result, "HL008") == []


def test_trailing_suppressions_where_the_format_has_trailing_comments(tmp_path):
    root = repo(tmp_path, {
        "compose.yaml": "services:\n  w:  # hueylint: ignore[HL101]\n    image: x\n    command: huey_consumer app.huey\n",
        "supervisord.conf": "[program:huey]\ncommand=/x/huey_consumer app.huey -t 5 ; hueylint: ignore[HL101]\n",
    })
    result = lint(root)
    assert triples(result, "HL101") == [] and triples(result, "HL009") == []


WORKLOAD = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: w
{meta}spec:
  template:
{template}    spec:
      containers:
        - name: huey
          image: app
          command: ["huey_consumer", "app.huey", "-t", "25"]
"""


def k8s(tmp_path, meta: str = "", template: str = ""):
    root = repo(tmp_path, {"w.yaml": WORKLOAD.format(meta=meta, template=template)})
    result = lint(root, {"show-unused-ignores": True})
    return sorted((f.rule, f.loc.line, f.loc.col, f.message) for f in result.findings
                  if f.rule in ("HL008", "HL009", "HL101", "HL104"))


HL101_AT_11 = ("HL101", 11, 11)


@pytest.mark.parametrize("ids", ["HL101", "HL101,HL104", "HL101 HL104", " hl101 ,  HL104 ", "HL101\tHL104"])
def test_annotation_ids_separated_by_commas_or_whitespace(tmp_path, ids):
    found = k8s(tmp_path, meta=f'  annotations:\n    hueylint/ignore: "{ids}"\n')
    assert [f[:3] for f in found if f[0] == "HL101"] == []
    expected_unused = [("HL008", 6, 22, "unused suppression: HL104 reported nothing in this workload")]
    assert [f for f in found if f[0] != "HL101"] == (expected_unused if "104" in ids else [])


def test_annotation_on_the_pod_template(tmp_path):
    found = k8s(tmp_path, template='    metadata:\n      annotations:\n        hueylint/ignore: "HL101"\n')
    assert found == []


@pytest.mark.parametrize(("value", "message"), [
    ('"HL1O1,HL1"', "unknown rule id(s) in suppression: HL1O1, HL1 (HL1: a suppression names full rule ids, "
                    "not prefixes)"),
    ('""', "the `hueylint/ignore` annotation names no rule ids and suppresses nothing: name the rules, "
           "e.g. `hueylint/ignore: \"HL101,HL301\"`"),
])
def test_bad_annotation_is_hl009_at_the_annotation(tmp_path, value, message):
    found = k8s(tmp_path, meta=f"  annotations:\n    hueylint/ignore: {value}\n")
    assert [f[:3] for f in found if f[0] == "HL101"] == [HL101_AT_11]
    assert [f for f in found if f[0] == "HL009"] == [("HL009", 6, 22, message)]


def test_comment_ids_separated_by_whitespace(tmp_path):
    root = repo(tmp_path, {"a.service": "[Service]\n# hueylint: ignore[HL101 HL104]\n"
                                        "ExecStart=/x/huey_consumer app.huey\nTimeoutStopSec=60\n"})
    result = lint(root)
    assert triples(result, "HL101") == [] and triples(result, "HL104") == [] and triples(result, "HL009") == []


def test_trailing_suppression_in_circus_is_not_a_comment(tmp_path):
    root = repo(tmp_path, {"circus.ini": "[watcher:huey]\ncmd = /x/huey_consumer app.huey -t 5 ; hueylint: ignore[HL101]\n"
                                         "graceful_timeout = 60\n"})
    result = lint(root)
    assert [(f.loc.line, f.message.split(":")[0]) for f in result.findings if f.rule == "HL009"] == [
        (2, "misplaced suppression (suppresses nothing)")]


def test_suppressions_in_any_case(tmp_path):
    """The comment is read in any case, as ruff's `# NOQA`: `# HUEYLINT: IGNORE[...]` in a file with no
    lower-case `hueylint:` was never read (a quick test for `hueylint:` skipped the file), so it hid nothing
    and was not reported either; a ruff-style `# NoQA: hl101` was silent the same way."""
    root = repo(tmp_path, {
        "a.service": "[Service]\n# HUEYLINT: IGNORE[HL101]\nExecStart=/x/huey_consumer app.huey -t 5\nTimeoutStopSec=60\n",
        "b.service": "[Service]\n# Hueylint: ignore[hl101]\nExecStart=/x/huey_consumer app.huey -t 5\nTimeoutStopSec=60\n",
        "c.service": "[Service]\n# NoQA: hl101\nExecStart=/x/huey_consumer app.huey -t 5\nTimeoutStopSec=60\n",
    })
    result = lint(root)
    assert triples(result, "HL101") == [("HL101", "c.service", 3)]
    assert result.suppressed == 2
    assert [(f.loc.path, f.loc.line, f.loc.col, f.message) for f in result.findings if f.rule == "HL009"] == [
        ("c.service", 2, 1, "`noqa` is ruff's and flake8's syntax and suppresses nothing here: write "
                            "`# hueylint: ignore[HL101]`")]
