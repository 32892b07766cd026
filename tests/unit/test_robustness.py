"""Bad input never becomes a traceback: one regression per crash the mutation fuzzer found, a small
seeded mutation test over a few fixtures, and the engine's last line of defence (internal-error notice)."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from tests.helpers import lint, triples, write_tree

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
LONG = "x" * 5000  # longer than NAME_MAX/PATH_MAX: stat() raises ENAMETOOLONG


@pytest.fixture
def root(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


# -- one regression per crash ----------------------------------------------------------------------------


def test_python_nested_too_deeply_is_hl001_not_a_libcst_segfault(root):
    deep = "x = " + "[" * 5000 + "]" * 5000 + "\n"
    write_tree(root, {"Procfile": "worker: huey_consumer app.huey\n",
                      "app.py": "from huey import RedisHuey\nhuey = RedisHuey()\n" + deep})
    result = lint(root)
    assert triples(result, "HL001") == [("HL001", "app.py", 3)]
    assert "too many nested parentheses" in [f for f in result.findings if f.rule == "HL001"][0].message


def test_python_operator_chain_too_deep_is_hl001(root):
    write_tree(root, {"Procfile": "worker: huey_consumer app.huey\n", "app.py": "x = " + "-" * 50000 + "1\n"})
    assert triples(lint(root), "HL001") == [("HL001", "app.py", 1)]


def test_python_nesting_cpython_accepts_is_read_not_hl001(root):
    # 190 nested brackets overflowed libcst's recursive visitors (HL001 at the deepest one); the stdlib
    # ``ast`` reads whatever CPython accepts, so the file's instance is found and nothing is reported
    write_tree(root, {"Procfile": "worker: huey_consumer app.huey\n",
                      "app.py": "from huey import RedisHuey\nhuey = RedisHuey()\nx = " + "[" * 190 + "]" * 190 + "\n"})
    result = lint(root)
    assert [f for f in result.findings if f.rule == "HL001"] == []
    from hueylint.pyapp.extract import extract
    from hueylint.sources import SourceFile

    facts = extract(SourceFile(root / "app.py", "app.py", (root / "app.py").read_text()))
    assert facts.error is None and [i.var for i in facts.instances] == ["huey"]


def test_yaml_nested_too_deeply_is_hl001_at_the_nesting(root):
    write_tree(root, {"k8s/w.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\n"
                                    "x: " + "[" * 500 + "]" * 500 + "\n"})
    result = lint(root)
    assert triples(result, "HL001") == [("HL001", "k8s/w.yaml", 5)]
    assert "nested too deeply" in [f for f in result.findings if f.rule == "HL001"][0].message


def test_yaml_merge_key_into_its_own_anchor_is_hl001_at_the_merge(root):
    write_tree(root, {"compose.yaml": "services:\n  w: &w\n    image: x\n    build:\n      <<: *w\n"})
    result = lint(root)
    assert triples(result, "HL001") == [("HL001", "compose.yaml", 5)]
    assert "`<<` merge refers to a mapping that contains it" in result.findings[0].message


def test_yaml_reused_anchor_prints_no_python_warning(root, recwarn):
    write_tree(root, {"compose.yaml": "x-a: &a {image: x}\nx-b: &a {image: y}\nservices:\n  w:\n"
                                      "    command: huey_consumer app.huey\n"})
    lint(root)
    assert [str(w.message) for w in recwarn] == []


@pytest.mark.parametrize(("opening", "closing", "where"), [
    ('if [ -n "$A" ]; then\n', "fi\n", (97, 10)), ("(\n", ")\n", (101, 1)), ("{\n", "}\n", (101, 1)),
    ("while true; do\n", "done\n", (51, 7)), ("case $A in\nx)\n", ";;\nesac\n", (100, 6)),
    ("true && ", "", (2, 1))])
def test_shell_script_nested_too_deeply_is_hl001_not_a_recursion_error(root, opening, closing, where):
    """A script a launch runs with 600 nested ifs, subshells, groups, loops, cases or `&&`s: HL001 at the
    first construct past 100 levels (was: RecursionError, an internal error in the procfile platform, exit 2);
    90 nested ifs and 150 `&&`s are still read, the consumer found."""
    deep = "#!/bin/bash\n" + opening * 600 + "exec huey_consumer app.huey\n" + closing * 600
    write_tree(root, {"Procfile": "worker: ./start.sh\n", "start.sh": deep})
    result = lint(root)
    assert result.internal_errors == []
    [hl001] = [f for f in result.findings if f.rule == "HL001"]
    assert (hl001.loc.path, hl001.loc.line, hl001.loc.col) == ("start.sh", *where)
    assert hl001.message == "cannot parse: nested too deeply for hueylint to follow (the shell would run it)"
    write_tree(root, {"start.sh": "#!/bin/bash\n" + 'if [ -n "$A" ]; then\n' * 90 + "exec huey_consumer app.huey\n"
                                  + "fi\n" * 90})
    result = lint(root)
    assert triples(result, "HL001") == [] and ("HL101", "Procfile", 1) in triples(result)
    write_tree(root, {"start.sh": "#!/bin/sh\n" + "true && " * 150 + "exec huey_consumer app.huey\n"})
    result = lint(root)
    assert triples(result, "HL001") == [] and ("HL101", "Procfile", 1) in triples(result)


def test_script_path_too_long_for_the_file_system(root):
    write_tree(root, {"Dockerfile": f'FROM python:3\nCOPY . /app\nCMD ["/app/{LONG}"]\n'})
    lint(root)


def test_app_module_path_too_long_for_the_file_system(root):
    write_tree(root, {"Procfile": f"worker: huey_consumer {LONG}.huey\n"})
    lint(root)


def test_supervisord_stopwaitsecs_beyond_float_range_is_infinite(root):
    write_tree(root, {"supervisord.conf": "[program:huey]\ncommand=huey_consumer app.huey -g TERM\n"
                                          f"stopwaitsecs={'9' * 400}\n"})
    result = lint(root)
    assert result.project.launches[0].deadline.value == float("inf")


def test_kubernetes_grace_and_replicas_beyond_float_range_are_unknown(root):
    write_tree(root, {"k8s/w.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  replicas: .inf\n"
        "  template:\n    spec:\n      terminationGracePeriodSeconds: " + "9" * 400 + "\n"
        "      containers:\n      - name: w\n        image: x\n"
        "        command: [huey_consumer, app.huey, -g, TERM, -t, '5']\n")})
    launch = lint(root).project.launches[0]
    assert not launch.deadline.known and not launch.instances.known


@pytest.mark.parametrize("grace", [".nan", ".inf", "-.inf"])
def test_kubernetes_grace_not_finite_is_unknown(root, grace):
    """`terminationGracePeriodSeconds: .nan` (a YAML float the API server refuses) was an internal error in
    HL101 and HL104 (`int(nan)`); like a number beyond float range, it leaves the deadline unknown."""
    write_tree(root, {"k8s/w.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n"
        f"      terminationGracePeriodSeconds: {grace}\n      containers:\n      - name: w\n        image: x\n"
        "        command: [huey_consumer, app.huey]\n")})
    result = lint(root)
    assert result.notices == []
    assert not result.project.launches[0].deadline.known
    assert triples(result) == [("HL101", "k8s/w.yaml", 10), ("HL104", "k8s/w.yaml", 12)]


def test_compose_replicas_infinite_is_unknown(root):
    write_tree(root, {"compose.yaml": "services:\n  w:\n    image: x\n    command: huey_consumer app.huey\n"
                                      "    deploy:\n      replicas: .inf\n"})
    assert not lint(root).project.launches[0].instances.known


def test_s6_timeout_down_unicode_digit_and_huge(root):
    write_tree(root, {
        "Dockerfile": "FROM python:3\nENV S6_SERVICES_GRACETIME=" + "9" * 400 + "\nCOPY rootfs/ /\n",
        "rootfs/etc/s6-overlay/s6-rc.d/huey/type": "longrun\n",
        "rootfs/etc/s6-overlay/s6-rc.d/huey/run": "#!/bin/sh\nexec huey_consumer app.huey\n",
        "rootfs/etc/s6-overlay/s6-rc.d/huey/timeout-down": "\u2460\n",
    })
    assert [launch.platform for launch in lint(root).project.launches] == ["s6"]


def test_circus_graceful_timeout_nan_is_hl001(root):
    write_tree(root, {"circus.ini": "[watcher:huey]\ncmd = huey_consumer app.huey -g TERM -t 5\ngraceful_timeout = nan\n"})
    assert triples(lint(root), "HL001") == [("HL001", "circus.ini", 3)]


# -- a small seeded mutation test ------------------------------------------------------------------------

JUNK = ["\x00", "\ufffd", "'", '"', "[", "]", "{", "}", "{{ x }}", "{% if x %}", "&a [*a]", "*a", "\t", ": ",
        "- ", "---", "\\", "$(", "${", "%(", "9" * 400, "-1", "1e999", ".inf", "\u2460", "-w", "-t", "-g"]


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    op = rng.randrange(6)
    if op == 0:
        return text[: rng.randrange(len(text) + 1)]
    if op == 1:
        del lines[i]
    elif op == 2:
        lines.insert(i, lines[i])
    elif op == 3:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == 4:
        at = rng.randrange(len(lines[i]) + 1)
        lines[i] = lines[i][:at] + rng.choice(JUNK) + lines[i][at:]
    else:
        lines[i] = "\t" + lines[i]
    return "\n".join(lines)


@pytest.mark.parametrize("fixture", ["systemd-guide-newest", "supervisord-guide-newest", "procfile-silent",
                                     "circus-huey", "s6-overlay-sigint", "helm-sidecar", "compose-cookiecutter-django"])
def test_mutated_fixtures_never_raise(root, fixture):
    """Every file of the fixture mutated a few times with a fixed seed: HL001 or silence, never an exception."""
    base = FIXTURES / fixture
    files = {str(p.relative_to(base)): p.read_text(encoding="utf-8") for p in sorted(base.rglob("*"))
             if p.is_file() and p.name != "expected.txt" and "__pycache__" not in p.parts}
    rng = random.Random(f"{fixture}-1")
    for _ in range(4):
        mutated = dict(files)
        for rel in rng.sample(sorted(files), min(2, len(files))):
            text = files[rel] or "\n"
            for _ in range(rng.randint(1, 3)):
                text = _mutate(text, rng) or "\n"
            mutated[rel] = text
        write_tree(root, mutated)
        lint(root)


# -- the engine's last line of defence --------------------------------------------------------------------


def _broken_check(project, ctx):
    raise KeyError("boom")
    yield  # pragma: no cover


def test_a_crashing_check_becomes_an_internal_error_notice(root, monkeypatch):
    from hueylint import checks

    checks.all_checks()
    monkeypatch.setitem(checks._REGISTRY, "HL101", _broken_check)
    monkeypatch.delenv("HUEYLINT_DEBUG")
    write_tree(root, {"huey.service": "[Service]\nExecStart=/x/huey_consumer a.huey -t 5\nTimeoutStopSec=60\n"})
    result = lint(root)
    assert [n.reason for n in result.notices if "HL101" in n.reason][0].startswith(
        "internal error in rule HL101 (KeyError: 'boom')")
    assert triples(result, "HL102") or triples(result, "HL104") or result.findings  # the other rules still ran


def test_a_crashing_builder_becomes_an_internal_error_notice_naming_its_files(root, monkeypatch):
    from hueylint.platforms import procfile

    def broken(ws, project):
        raise TypeError("boom")

    monkeypatch.setattr(procfile, "build", broken)
    monkeypatch.delenv("HUEYLINT_DEBUG")
    write_tree(root, {"Procfile": "worker: huey_consumer a.huey\n",
                      "huey.service": "[Service]\nExecStart=/x/huey_consumer a.huey\n"})
    result = lint(root)
    assert [(n.rel, n.reason.split(";")[0]) for n in result.notices] == [
        ("Procfile", "internal error in the procfile platform (reading Procfile) (TypeError: boom)")]
    assert [launch.platform for launch in result.project.launches] == ["systemd"]


def test_internal_errors_fail_loudly_under_hueylint_debug(root, monkeypatch):
    from hueylint.platforms import procfile

    def broken(ws, project):
        raise TypeError("boom")

    monkeypatch.setattr(procfile, "build", broken)
    monkeypatch.setenv("HUEYLINT_DEBUG", "1")
    write_tree(root, {"Procfile": "worker: huey_consumer a.huey\n"})
    with pytest.raises(TypeError, match="boom"):
        lint(root)


def test_stdin_with_invalid_utf8_is_hl001_and_checked_like_a_file(root, monkeypatch, capsys):
    import io
    import json
    import sys

    from hueylint.cli import main

    monkeypatch.chdir(root)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"FROM x\nCMD caf\xe9 huey_consumer a.huey\n"),
                                                       encoding="utf-8", errors="strict"))
    assert main(["check", "-", "--stdin-filename", "Dockerfile", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    found = [(f["rule"], f["line"], f["column"]) for f in report["findings"]]
    assert ("HL001", 2, 8) in found and ("HL201", 2, 5) in found  # the bad byte, and the rest still checked


def test_internal_error_notice_in_text_and_sarif_reports(root, monkeypatch, capsys):
    import json

    from hueylint import checks
    from hueylint.cli import main

    checks.all_checks()
    monkeypatch.setitem(checks._REGISTRY, "HL101", _broken_check)
    monkeypatch.delenv("HUEYLINT_DEBUG")
    monkeypatch.chdir(root)
    write_tree(root, {"huey.service": "[Service]\nExecStart=/x/huey_consumer a.huey -g TERM -t 5\nTimeoutStopSec=60\n"})
    main(["check", "--no-color"])
    assert "internal error in rule HL101 (KeyError: 'boom')" in capsys.readouterr().out
    main(["check", "--format", "sarif"])
    notes = json.loads(capsys.readouterr().out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [(n["level"], n["descriptor"]["id"]) for n in notes] == [("error", "internal-error")]
