"""``hueylint check --fix`` / ``--diff`` / ``--unsafe-fixes``: the catalog's fixed texts, idempotence on every
fixture project, the file-writing guarantees (atomic, permissions, CRLF, BOM, final newline) and the CLI."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from hueylint.catalog import load_catalog
from hueylint.findings import Edit
from hueylint.fixes import FixError, apply_edits
from tests.helpers import EXAMPLES, PROJECTS, copy_project, fix_tree, git_init, lint, write_tree

FIXED = {name: pair for name, pair in EXAMPLES.items() if pair[1].fixed}


def _example_tree(tmp_path: Path, name: str) -> Path:
    root = tmp_path / "project"
    write_tree(root, EXAMPLES[name][1].files)
    return git_init(root)


@pytest.mark.parametrize("name", list(FIXED))
def test_catalog_fixed_text(tmp_path, name):
    """`--fix` with only the example's rule selected writes exactly the example's `fixed` texts, touches no
    other file, and the rule no longer fires where it did."""
    doc, example = EXAMPLES[name]
    root = _example_tree(tmp_path, name)
    config = {**example.config, "select": [doc.id]}
    outcome = fix_tree(root, config, unsafe=doc.autofix == "unsafe")
    assert outcome.dropped == []
    for rel, text in example.files.items():
        assert (root / rel).read_text(encoding="utf-8") == example.fixed.get(rel, text), rel
    assert sorted(outcome.after) == sorted(example.fixed)
    assert [f for f in outcome.result.findings if f.rule == doc.id and f.fix is not None] == []
    again = fix_tree(root, config, unsafe=True)
    assert again.after == {}, "a second --fix changes nothing"


@pytest.mark.parametrize("name", [n for n, (_, e) in EXAMPLES.items() if e.kind == "bad"])
def test_every_fix_is_covered_by_a_fixed_example(linted, name):
    """A bad example whose finding carries a fix states the fixed text; the rule's `autofix` says so."""
    doc, example = EXAMPLES[name]
    _, result = linted("example", name)
    fixes = [f.fix for f in result.findings if f.rule == doc.id and f.fix is not None]
    if fixes:
        assert example.fixed, f"{name}: the fix is not pinned by a `fixed` text"
        assert doc.autofix in {fix.safety for fix in fixes}, (doc.id, doc.autofix)
    else:
        assert not example.fixed, f"{name}: `fixed` given but the finding has no fix"
    if doc.autofix == "none":
        assert fixes == []


def test_every_autofix_rule_has_a_fixed_example():
    for doc in load_catalog().values():
        if doc.autofix != "none":
            assert any(example.fixed for example in doc.examples), doc.id


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_fix_every_fixture_is_idempotent(tmp_path, project):
    """`--fix` on a copy of each fixture project: every file still parses, the fixed findings are gone, no
    rule fires on a file where it did not before, and a second `--fix` changes nothing."""
    root = copy_project(project, tmp_path)
    before = {(f.rule, f.loc.path) for f in lint(root).findings}
    outcome = fix_tree(root, unsafe=True)
    assert {(f.rule, f.loc.path) for f in outcome.result.findings} - before == set()
    remaining = [f for f in outcome.result.findings if f.fix is not None]
    assert remaining == [], [f"{f.rule} {f.loc}" for f in remaining]
    # a file may hold lines its tool skips (HL001 before the fix) and still be fixed: only a new HL001 is a break
    assert not [f for f in outcome.result.findings if f.rule == "HL001"
                and f.loc.path in outcome.after and ("HL001", f.loc.path) not in before], "a fix broke a file"
    assert fix_tree(root, unsafe=True).after == {}


def test_fix_examples_broken_leaves_only_findings_without_fix(tmp_path):
    source = Path(__file__).resolve().parent.parent / "examples" / "broken"
    root = copy_project(source, tmp_path)
    before = lint(root)
    fixable = {(f.rule, f.loc.path, f.loc.line) for f in before.findings if f.fix is not None}
    assert fixable
    outcome = fix_tree(root)
    assert [f"{f.rule} {f.loc}" for f in outcome.result.findings if f.fix is not None and f.fix.safety == "safe"] == []
    assert outcome.count > 0 and outcome.after
    unsafe = fix_tree(root, unsafe=True)
    assert [f"{f.rule} {f.loc}" for f in unsafe.result.findings if f.fix is not None] == []
    assert fix_tree(root, unsafe=True).after == {}


# -- the applier ---------------------------------------------------------------------------------------------

def test_apply_edits_from_the_end_and_crlf():
    text = "[Service]\r\nExecStart=x\r\n"
    edits = [Edit("u", 2, 1, 2, 1, "KillSignal=SIGINT\n"), Edit("u", 1, 2, 1, 9, "Unit")]
    assert apply_edits(text, edits) == "[Unit]\r\nKillSignal=SIGINT\r\nExecStart=x\r\n"


def test_apply_edits_refuses_overlaps_and_stale_positions():
    with pytest.raises(FixError):
        apply_edits("abc\n", [Edit("f", 1, 1, 1, 3, "x"), Edit("f", 1, 2, 1, 4, "y")])
    with pytest.raises(FixError):
        apply_edits("abc\n", [Edit("f", 1, 9, 1, 9, "x")])
    assert apply_edits("abc", [Edit("f", 2, 1, 2, 1, "x")]) == "abcx"


UNIT = "[Service]\nExecStart=/srv/venv/bin/huey_consumer app.huey -g TERM\nTimeoutStopSec=60\nRestart=always\nUser=app"


def test_fix_keeps_mode_bom_crlf_and_missing_final_newline(tmp_path):
    root = git_init(tmp_path / "p")
    path = root / "huey.service"
    path.write_bytes(("\ufeff" + UNIT.replace("\n", "\r\n")).encode("utf-8"))
    os.chmod(path, 0o640)
    untouched = root / "other.service"
    untouched.write_text("[Service]\nExecStart=/bin/true\n")
    mtime = untouched.stat().st_mtime_ns
    outcome = fix_tree(root, {"select": ["HL104"]})
    assert outcome.fixed == {"HL104": 1}
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode()) and not data.endswith(b"\n")
    assert data.decode("utf-8-sig").split("\r\n")[1].endswith("-g TERM -t 55")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert untouched.stat().st_mtime_ns == mtime
    assert not [p for p in root.iterdir() if p.name.endswith(".tmp")]


def test_fix_never_writes_through_a_symlink(tmp_path):
    root = git_init(tmp_path / "p")
    target = tmp_path / "outside.service"
    target.write_text(UNIT + "\n")
    (root / "huey.service").symlink_to(target)
    outcome = fix_tree(root)
    assert target.read_text() == UNIT + "\n"
    assert outcome.after == {}


def test_a_file_fix_never_writes_offers_no_fix(tmp_path):
    """A finding in a file `--fix` refuses (not UTF-8, a symlink) carries no fix: the summary said
    "[*] 2 fixable" and `--diff` then found "no fix to apply"; JSON and SARIF offered the edits too."""
    root = git_init(tmp_path / "p")
    write_tree(root, {"deploy/real.service": UNIT + "\n", "deploy/unit.txt": UNIT + "\n"})
    (root / "huey.service").symlink_to("deploy/unit.txt")  # (a link to another unit is that unit: not judged)
    (root / "Dockerfile").write_bytes(b"FROM python:3.13\nUSER app\nSTOPSIGNAL SIGINT\nCMD [\"huey_consumer\", "
                                      b"\"app.huey\"]\n# caf\xe9\n")
    checked = _cli("--no-cache", "--output-format", "concise", "--select", "HL104", ".", cwd=root)
    message = ("no `-t/--shutdown-timeout` (huey version unknown, newest assumed): a stuck task holds the shutdown "
               "until SIGKILL and is lost without SIGNAL_INTERRUPTED. Fix: add `-t {}` (a few seconds below the kill "
               "deadline)")
    assert checked.stdout == (
        f"Dockerfile:4:7: HL104 [note] {message.format(5)}\n"
        f"deploy/real.service:2:11: HL104 [note] {message.format(55)}\n"
        f"huey.service:2:11: HL104 [note] {message.format(55)}\n"
        "Found 3 findings (3 notes) in 3 files checked.\n"
        "[*] 1 fixable with the `--fix` option.\n")
    assert [(f.loc.path, f.fix is not None) for f in lint(root, {"select": ["HL104"]}).findings] == [
        ("Dockerfile", False), ("deploy/real.service", True), ("huey.service", False)]
    diff = _cli("--no-cache", "--diff", "--select", "HL104", ".", cwd=root)
    assert (diff.returncode, diff.stderr) == (1, "hueylint: would fix 1 finding in 1 file\n")


def test_fix_that_breaks_yaml_is_dropped_and_reported(tmp_path, monkeypatch):
    from hueylint import fixes

    root = git_init(tmp_path / "p")
    write_tree(root, {"compose.yaml": "services:\n  worker:\n    image: a/b:1\n    restart: always\n"
                                      "    command: huey_consumer app.huey -g TERM\n    stop_grace_period: 60s\n"})
    real = fixes.apply_edits
    monkeypatch.setattr(fixes, "apply_edits", lambda text, edits: real(text, edits) + "  - : [\n")
    outcome = fix_tree(root)
    assert outcome.after == {} and outcome.dropped
    assert "would not parse" in outcome.dropped[0]


# -- the command line ----------------------------------------------------------------------------------------

def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hueylint", "check", *args], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, "HUEYLINT_DEBUG": ""})


def test_cli_diff_writes_nothing_and_fix_applies(tmp_path):
    root = git_init(tmp_path / "p")
    write_tree(root, {"huey.service": UNIT + "\n"})
    diff = _cli("--diff", "--select", "HL104", ".", cwd=root)
    assert diff.returncode == 1
    assert diff.stdout == ("--- a/huey.service\n+++ b/huey.service\n@@ -1,5 +1,5 @@\n [Service]\n"
                           "-ExecStart=/srv/venv/bin/huey_consumer app.huey -g TERM\n"
                           "+ExecStart=/srv/venv/bin/huey_consumer app.huey -g TERM -t 55\n"
                           " TimeoutStopSec=60\n Restart=always\n User=app\n")
    assert (root / "huey.service").read_text() == UNIT + "\n"
    fixed = _cli("--fix", "--select", "HL104", ".", cwd=root)
    assert "fixed 1 finding in 1 file" in fixed.stderr
    assert "HL104" not in fixed.stdout
    assert _cli("--diff", "--select", "HL104", ".", cwd=root).returncode == 0
    assert _cli("--unsafe-fixes", ".", cwd=root).returncode == 2


@pytest.mark.skipif(os.name != "posix", reason="FIFOs as on POSIX")
def test_cli_diff_copies_only_what_discovery_reads(tmp_path):
    """`--diff` works on a copy of the tree: a FIFO (or socket, device) in it made the copy fail, an internal
    error; such files, and files too large to be read, are left out of the copy (nothing in them is fixed)."""
    root = git_init(tmp_path / "p")
    write_tree(root, {"huey.service": UNIT + "\n"})
    os.mkfifo(root / "pipe.service")
    (root / "huge.service").write_bytes(b"#" * (3 * 1024 * 1024))
    diff = _cli("--diff", "--select", "HL104", ".", cwd=root)
    assert (diff.returncode, diff.stderr) == (1, "hueylint: would fix 1 finding in 1 file\n")
    assert diff.stdout.startswith("--- a/huey.service\n+++ b/huey.service\n")
    assert "+ExecStart=/srv/venv/bin/huey_consumer app.huey -g TERM -t 55\n" in diff.stdout


def test_fixes_on_one_line_wait_for_the_next_pass(tmp_path):
    """HL201 rewrites the whole CMD, HL104 adds `-t` to it: the second is computed again after the first."""
    root = git_init(tmp_path / "p")
    write_tree(root, {"Dockerfile": "FROM python:3.13-slim\nRUN useradd app\nUSER app\n"
                                    "CMD huey_consumer my_app.huey -w 4\n"})
    outcome = fix_tree(root, {"longest-task": "5s"})
    assert (root / "Dockerfile").read_text() == (
        'FROM python:3.13-slim\nRUN useradd app\nUSER app\nSTOPSIGNAL SIGINT\n'
        'CMD ["huey_consumer", "my_app.huey", "-w", "4", "-t", "5"]\n')
    assert outcome.fixed == {"HL101": 1, "HL104": 1, "HL201": 1}
    assert [f.rule for f in outcome.result.findings if f.rule in outcome.fixed] == []


def test_shell_form_cmd_run_by_compose_is_rewritten_in_exec_form(tmp_path):
    """A compose service runs its image's shell-form CMD: HL201's fix rewrites that CMD in exec form, never
    `exec CMD ...` (was: `exec ` written before the instruction, a Dockerfile docker refuses to build)."""
    root = git_init(tmp_path / "p")
    write_tree(root, {"Dockerfile": "FROM python:3.13-slim\nRUN useradd app\nUSER app\n"
                                    "CMD huey_consumer my_app.huey -w 4\n",
                      "docker-compose.yml": "services:\n  worker:\n    build: .\n    restart: always\n"})
    hl201 = [f for f in lint(root).findings if f.rule == "HL201"]
    assert [(f.loc.path, f.loc.line, f.loc.col) for f in hl201] == [("Dockerfile", 4, 5)]
    outcome = fix_tree(root, {"select": ["HL201"]})
    assert (root / "Dockerfile").read_text() == (
        'FROM python:3.13-slim\nRUN useradd app\nUSER app\nCMD ["huey_consumer", "my_app.huey", "-w", "4"]\n')
    assert outcome.fixed == {"HL201": 1}


@pytest.mark.parametrize("compose", [False, True])
@pytest.mark.parametrize(("cmd", "fixed"), [
    ("CMD cd /app && huey_consumer my_app.huey -w 4", "CMD cd /app && exec huey_consumer my_app.huey -w 4"),
    ("CMD huey_consumer my_app.huey -w 4 # workers", "CMD exec huey_consumer my_app.huey -w 4 # workers"),
])
def test_shell_form_cmd_with_shell_syntax_gets_exec_inside_the_instruction(tmp_path, compose, cmd, fixed):
    """A shell-form CMD with shell syntax keeps its shell: `exec` goes after the `&&` or the keyword (was
    `exec CMD ...` for the second, also for the image's own launch), for the image's own launch and for a
    compose service running it; a STOPSIGNAL line after the CMD does not matter."""
    root = git_init(tmp_path / "p")
    files = {"Dockerfile": f"FROM python:3.13-slim\nUSER app\n{cmd}\nSTOPSIGNAL SIGINT\n"}
    if compose:
        files["docker-compose.yml"] = "services:\n  worker:\n    build: .\n    restart: always\n"
    write_tree(root, files)
    outcome = fix_tree(root, {"select": ["HL201"]})
    assert (root / "Dockerfile").read_text() == f"FROM python:3.13-slim\nUSER app\n{fixed}\nSTOPSIGNAL SIGINT\n"
    assert outcome.fixed == {"HL201": 1}


def test_fix_text_follows_the_huey_version(tmp_path):
    """huey 2.5: no `-g TERM` for a PaaS consumer (the platform's SIGTERM cannot change), no `-t`."""
    root = git_init(tmp_path / "p")
    write_tree(root, {"Procfile": "worker: huey_consumer my_app.huey -w 4\n", "requirements.txt": "huey==2.5.0\n"})
    result = lint(root)
    hl101 = [f for f in result.findings if f.rule == "HL101"]
    assert hl101 and all(f.fix is None for f in hl101)
    assert not [f for f in result.findings if f.rule == "HL104"]
    assert fix_tree(root).after == {}


def test_unsafe_fix_needs_unsafe_fixes(tmp_path):
    """`-f` with two consumers sharing the storage is unsafe: --fix leaves it, --unsafe-fixes applies it."""
    root = git_init(tmp_path / "p")
    unit = ("[Service]\nUser=app\nExecStart=/srv/venv/bin/huey_consumer my_app.huey -g TERM -t 55\n"
            "ExecReload=/bin/kill -HUP $MAINPID\nTimeoutStopSec=60\nRestart=on-failure\n")
    write_tree(root, {"a.service": unit, "b.service": unit,
                      "my_app.py": "from huey import RedisHuey\nhuey = RedisHuey('x')\n\n"
                                   "@huey.task()\n@huey.lock_task('l')\ndef t():\n    pass\n"})
    finding = next(f for f in lint(root).findings if f.rule == "HL303")
    assert finding.fix is not None and finding.fix.safety == "unsafe"
    assert fix_tree(root, {"select": ["HL303"]}).after == {}
    outcome = fix_tree(root, {"select": ["HL303"]}, unsafe=True)
    assert sorted(outcome.after) == ["a.service", "b.service"]
    assert all("-t 55 -f\n" in (root / name).read_text() for name in ("a.service", "b.service"))


def test_diff_with_only_unsafe_fixes_says_they_are_hidden(tmp_path):
    """`--diff` prints no summary, so its stderr line is the only place that says an unsafe fix exists: with a safe
    fix it said "would fix 1 finding in 1 file (1 hidden fix can be enabled with the `--unsafe-fixes` option)", but
    with only the unsafe one "no fix to apply", as if nothing were fixable.  ruff: "No errors would be fixed (1 fix
    available with `--unsafe-fixes`)"."""
    root = git_init(tmp_path / "p")
    unit = ("[Service]\nUser=app\nExecStart=/srv/venv/bin/huey_consumer my_app.huey -g TERM -t 55\n"
            "ExecReload=/bin/kill -HUP $MAINPID\nTimeoutStopSec=60\nRestart=on-failure\n")
    write_tree(root, {"a.service": unit, "b.service": unit,
                      "my_app.py": "from huey import RedisHuey\nhuey = RedisHuey('x')\n\n"
                                   "@huey.task()\n@huey.lock_task('l')\ndef t():\n    pass\n"})
    diff = _cli("--diff", "--no-cache", "--select", "HL303", ".", cwd=root)
    assert (diff.returncode, diff.stdout) == (0, "")
    assert diff.stderr == "hueylint: no fix to apply (1 hidden fix can be enabled with the `--unsafe-fixes` option)\n"
    diff = _cli("--diff", "--no-cache", "--select", "HL104", ".", cwd=root)  # nothing fixable at all
    assert (diff.returncode, diff.stdout, diff.stderr) == (0, "", "hueylint: no fix to apply\n")


def test_no_option_before_a_django_subcommand_passed_through_a_script(tmp_path):
    """`sitectl run_huey` runs `exec python3 manage.py "$@"`: `-t` written in the script would land before
    `run_huey`, so HL104 is at the unit's line, where the caller writes the subcommand, and its fix puts `-t`
    after `run_huey` there; the script is left as it is."""
    root = git_init(tmp_path / "p")
    script = "#!/bin/sh\nexec python3 /srv/site/manage.py \"$@\"\n"
    write_tree(root, {"deploy/site.service": "[Service]\nUser=site\nExecStart=/usr/bin/sitectl run_huey\n"
                                             "Restart=always\n",
                      "deploy/sitectl": script})
    hl104 = [f for f in lint(root).findings if f.rule == "HL104"]
    assert [(f.loc.path, f.loc.line) for f in hl104] == [("deploy/site.service", 3)]
    fix_tree(root, {"select": ["HL104"]})
    assert "ExecStart=/usr/bin/sitectl run_huey -t 85\n" in (root / "deploy/site.service").read_text()
    assert (root / "deploy/sitectl").read_text() == script


def test_cli_fix_refuses_stdin(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "hueylint", "check", "--fix", "--stdin-filename", "Procfile", "-"],
                          input="worker: huey_consumer app.huey\n", cwd=git_init(tmp_path / "p"), capture_output=True,
                          text=True)
    assert (proc.returncode, proc.stderr) == (2, "hueylint: error: --fix and --diff edit the files on disk (--diff "
                                              "shows the edit): they cannot be combined with `-` (stdin); run them "
                                              "on the file, `hueylint check --diff Procfile`\n")


K8S_WORKER = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  template:
    spec:
{pod}      containers:
        - name: worker
          image: ghcr.io/me/app:1.0
          command: ["huey_consumer", "my_app.huey"{args}]
"""


def test_kubernetes_stop_signal_is_unsafe_before_huey_3_4(tmp_path):
    """huey 2.5 has no `-g`: HL101's fix is `lifecycle.stopSignal: SIGINT` (alpha gate, needs `spec.os.name`),
    applied only with --unsafe-fixes, `os.name` added when the pod has none and kept when it has one."""
    root = git_init(tmp_path / "p")
    write_tree(root, {"k8s/worker.yaml": K8S_WORKER.format(pod="", args=""), "requirements.txt": "huey==2.5.0\n",
                      "k8s/other.yaml": K8S_WORKER.format(pod="      os:\n        name: linux\n", args="")
                      .replace("name: worker\nspec", "name: other\nspec")})
    config = {"select": ["HL101"]}
    assert [f.fix.safety for f in lint(root, config).findings if f.fix is not None] == ["unsafe", "unsafe"]
    assert fix_tree(root, config).after == {}
    outcome = fix_tree(root, config, unsafe=True)
    assert outcome.fixed == {"HL101": 2}
    assert (root / "k8s/worker.yaml").read_text() == K8S_WORKER.format(
        pod="      os:\n        name: linux\n", args="").replace(
        "- name: worker\n", "- name: worker\n          lifecycle:\n            stopSignal: SIGINT\n")
    assert (root / "k8s/other.yaml").read_text().count("os:") == 1
    assert "          lifecycle:\n            stopSignal: SIGINT\n" in (root / "k8s/other.yaml").read_text()
    assert fix_tree(root, config, unsafe=True).after == {}


def test_kubernetes_grace_period_added_in_its_own_document(tmp_path):
    """A multi-document manifest: `terminationGracePeriodSeconds` goes into the worker's pod spec, above its
    `containers:`, with that key's indentation; a `kind: Pod` gets it in its own `spec`."""
    root = git_init(tmp_path / "p")
    service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n---\n"
    pod = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: one\nspec:\n  containers:\n  - name: one\n"
           "    image: ghcr.io/me/app:1.0\n    command: [\"huey_consumer\", \"my_app.huey\", \"-g\", \"TERM\", \"-t\", \"55\"]\n")
    write_tree(root, {"k8s/all.yaml": service + K8S_WORKER.format(pod="", args=', "-g", "TERM", "-t", "55"'),
                      "k8s/pod.yaml": pod})
    outcome = fix_tree(root, {"select": ["HL103"]})
    assert outcome.fixed == {"HL103": 2}
    assert (root / "k8s/all.yaml").read_text() == service + K8S_WORKER.format(
        pod="      terminationGracePeriodSeconds: 60\n", args=', "-g", "TERM", "-t", "55"')
    assert (root / "k8s/pod.yaml").read_text() == pod.replace("spec:\n", "spec:\n  terminationGracePeriodSeconds: 60\n")


def test_kubernetes_flow_mappings_and_helm_templates_get_no_fix(tmp_path):
    """A flow-style pod spec cannot take a new line; a Helm template is fixed in its chart, not by hueylint."""
    root = git_init(tmp_path / "p")
    flow = ("apiVersion: v1\nkind: Pod\nmetadata: {name: flow}\nspec: {containers: [{name: w, image: "
            "ghcr.io/me/app:1.0, command: [huey_consumer, my_app.huey, -g, TERM, -t, '55']}]}\n")
    chart = {"chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 0.1.0\n",
             "chart/values.yaml": "image: ghcr.io/me/app:1.0\n",
             "chart/templates/worker.yaml": K8S_WORKER.format(pod="", args="").replace(
                 "ghcr.io/me/app:1.0", "{{ .Values.image | quote }}").replace("name: worker\nspec",
                                                                            "name: {{ .Release.Name }}-worker\nspec")}
    write_tree(root, {"k8s/flow.yaml": flow, **chart})
    result = lint(root, {"select": ["HL101", "HL102", "HL103"], "longest-task": "45s"})
    assert {(f.rule, f.loc.path) for f in result.findings} >= {
        ("HL103", "k8s/flow.yaml"), ("HL101", "chart/templates/worker.yaml"),
        ("HL102", "chart/templates/worker.yaml")}
    assert [f for f in result.findings if f.fix is not None] == []



_MERGED = ("x-base: &base\n  build: .\n  stop_signal: SIGTERM\n"
           "services:\n  web:\n    <<: *base\n  worker:\n    <<: *base\n")


@pytest.mark.parametrize(("own", "key", "line"), [
    ("", "stop_grace_period", None),  # only merged keys: no line of its own to write next to
    ("    command: [worker]\n", "stop_signal", None),  # the merged anchor's key: changing it changes `web` too
    ("    command: [worker]\n", "stop_grace_period", 9),  # above the service's own first key
])
def test_compose_setting_never_lands_on_merged_keys(own, key, line):
    """A compose service whose keys come from a `<<: *anchor` merge: a setting goes next to the service's own
    keys, never on a merged key's line (that line is the anchor's, shared by every service merging it)."""
    from hueylint.fix_edits import yaml_mapping_set

    found = yaml_mapping_set("compose.yml", _MERGED + own, ["services", "worker"], key, "1m")
    assert (found.line if found is not None else None) == line
    if found is not None:
        assert found.col == 1 and found.replacement == f"    {key}: 1m\n"


@pytest.mark.parametrize(("files", "fixed"), [
    ({"Dockerfile": "FROM python:3.13-slim\nUSER app\nSTOPSIGNAL SIGINT\n"
                    "CMD [\"huey_consumer\", \"app.huey\", \"-t\", \"3\"]\n"}, None),
    ({"supervisord.conf": "[program:worker]\ncommand=huey_consumer app.huey -t 3\nstopsignal=INT\n"
                          "autorestart=true\nuser=app\nstopwaitsecs=10\n"},
     "[program:worker]\ncommand=huey_consumer app.huey -t 20\nstopsignal=INT\nautorestart=true\nuser=app\n"
     "stopwaitsecs=25\n"),
])
def test_raising_t_never_goes_above_the_kill_deadline(tmp_path, files, fixed):
    """`-t` below a kill deadline that is itself below the longest task: raising `-t` alone (HL102) to fit
    the longest task put it above the deadline, a new HL103 error after `--fix` (was: a Dockerfile CMD and a
    supervisord program inside a container got `-t 20` under a 10 s deadline). The deadline is raised with it
    where hueylint can set it, else `-t` is left as it is."""
    root = git_init(tmp_path / "p")
    write_tree(root, files)
    before = {(f.rule, f.loc.path) for f in lint(root).findings}
    outcome = fix_tree(root)
    after = {(f.rule, f.loc.path) for f in outcome.result.findings}
    assert after - before == set()
    name, = files
    assert (root / name).read_text() == (fixed or files[name])


@pytest.mark.parametrize(("line", "fixed"), [
    ('FOO="a;b" huey_consumer app.huey -t 5', None),  # was `FOO="a;exec b" ...`: a `;` inside quotes
    ("sleep 1 & huey_consumer app.huey -t 5", "sleep 1 & exec huey_consumer app.huey -t 5"),  # was `exec sleep 1 &`
    ("true |& huey_consumer app.huey -t 5", None),  # was `exec true |& ...`: a pipeline
    ("cd /app 2>&1 && huey_consumer app.huey -t 5", "cd /app 2>&1 && exec huey_consumer app.huey -t 5"),
    ("echo 'x && y' ; huey_consumer app.huey -t 5", "echo 'x && y' ; exec huey_consumer app.huey -t 5"),
    ("cd /app && echo 'a; b' && huey_consumer app.huey -t 5",
     "cd /app && echo 'a; b' && exec huey_consumer app.huey -t 5"),
])
def test_exec_goes_after_the_last_operator_outside_quotes(tmp_path, line, fixed):
    """HL201's `exec` in a script goes right after the last `&&`/`;`/`&` of the line that is not inside
    quotes nor part of a redirection, and never into a pipeline."""
    root = git_init(tmp_path / "p")
    write_tree(root, {"Dockerfile": 'FROM python:3.13-slim\nUSER app\nSTOPSIGNAL SIGINT\nCOPY start.sh /start.sh\n'
                                    'CMD ["/start.sh"]\n',
                      "start.sh": f"#!/bin/bash\n{line}\n"})
    outcome = fix_tree(root, {"select": ["HL201"]})
    assert (root / "start.sh").read_text() == f"#!/bin/bash\n{fixed or line}\n"
    assert outcome.fixed == ({"HL201": 1} if fixed else {})


@pytest.mark.parametrize(("source", "safety"), [
    ("huey = RedisHuey('x')\nif os.environ.get('NO_WORKER'):\n    huey.immediate = True\n", "unsafe"),
    ("huey = RedisHuey('x')\nhuey.immediate = True\n", "safe"),
    ("if os.environ.get('NO_WORKER'):\n    huey = RedisHuey('x', immediate=True)\nelse:\n    huey = RedisHuey('x')\n",
     "unsafe"),
])
def test_immediate_set_in_a_branch_is_an_unsafe_fix(tmp_path, source, safety):
    """`immediate = True` written in a branch is the code's own choice for that case (no consumer runs there,
    say): setting it to False leaves the tasks to no one when the branch is taken, so that fix is unsafe."""
    root = git_init(tmp_path / "p")
    write_tree(root, {"Procfile": "worker: huey_consumer my_app.huey -g TERM -t 25 -w 2\n",
                      "my_app.py": f"import os\nfrom huey import RedisHuey\n{source}"})
    hl401 = [f for f in lint(root).findings if f.rule == "HL401"]
    assert [f.fix.safety for f in hl401 if f.fix is not None] == [safety]
    assert bool(fix_tree(root, {"select": ["HL401"]}).after) == (safety == "safe")
    if safety == "unsafe":
        assert sorted(fix_tree(root, {"select": ["HL401"]}, unsafe=True).after) == ["my_app.py"]


def test_diff_of_a_folder_below_the_current_one_outside_git(tmp_path):
    """`hueylint check --diff sub` run from a folder that is no git checkout: the copy's findings were
    relative to `sub` while the fixes were applied relative to the copied current folder, so every fix was
    dropped ("not a regular UTF-8 file") and `--diff` said "no fix to apply" where `--fix` fixes."""
    root = tmp_path / "p"
    write_tree(root, {"sub/Procfile": "worker: huey_consumer app.huey -w 2\n"})
    diff = _cli("--diff", "sub", cwd=root)
    assert (diff.returncode, diff.stderr) == (1, "hueylint: would fix 2 findings in 1 file\n")
    assert diff.stdout == ("--- a/sub/Procfile\n+++ b/sub/Procfile\n@@ -1 +1 @@\n"
                           "-worker: huey_consumer app.huey -w 2\n+worker: huey_consumer app.huey -w 2 -g TERM -t 25\n")
    assert _cli("--fix", "sub", cwd=root).returncode == 0
    assert (root / "sub" / "Procfile").read_text() == "worker: huey_consumer app.huey -w 2 -g TERM -t 25\n"


def test_compose_key_goes_above_the_comment_of_the_first_key(tmp_path):
    """A key added to a compose service goes above the comment lines that introduce its first key (was:
    between `# the consumer` and the `command:` it describes)."""
    root = git_init(tmp_path / "p")
    write_tree(root, {"compose.yaml": "services:\n  worker:\n    # the consumer\n    command: [huey_consumer, app.huey]\n"
                                      "    image: x/app:1\n    restart: always\n    stop_grace_period: 30s\n"})
    fix_tree(root, {"select": ["HL101"]})
    assert (root / "compose.yaml").read_text() == (
        "services:\n  worker:\n    stop_signal: SIGINT\n    # the consumer\n    command: [huey_consumer, app.huey]\n"
        "    image: x/app:1\n    restart: always\n    stop_grace_period: 30s\n")
