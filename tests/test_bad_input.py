"""Bad input produces HL001 or a skip notice, never a traceback."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.helpers import lint, refuse_open, triples, write_tree


@pytest.fixture
def root(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def hl001(result) -> list[tuple[str, int, int, str]]:
    return sorted((f.loc.path or "", f.loc.line, f.loc.col, f.message) for f in result.findings if f.rule == "HL001")


def test_binary_dockerfile_is_hl001_at_the_nul_byte(root):
    (root / "Dockerfile").write_bytes(b"FROM x\n\x7fELF\x00\x00\x01binary")
    result = lint(root)
    assert hl001(result) == [("Dockerfile", 2, 5, "cannot parse: a NUL byte (binary content), so this file is not checked")]
    assert triples(result) == [("HL001", "Dockerfile", 2)] and result.notices == []


def test_nul_byte_anywhere_in_compose_is_hl001(root):
    (root / "compose.yaml").write_bytes(b"services:\n  w:\n    image: x\n    command: huey_consumer app.huey\x00\n")
    assert hl001(lint(root)) == [("compose.yaml", 4, 36, "cannot parse: a NUL byte (binary content), "
                                                          "so this file is not checked")]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_or_utf32_text_is_hl001_saying_so_not_binary(root, encoding):
    """A unit or compose file saved as UTF-16 by a Windows editor: systemd and compose read UTF-8 only, so it is
    HL001, but named for what it is (it was "a NUL byte (binary content)" at the BOM's second byte)."""
    text = "[Service]\nExecStart=/x/huey_consumer app.huey\n"
    (root / "huey.service").write_bytes(("\ufeff" + text).encode(encoding))
    (root / "compose.yaml").write_bytes(("\ufeffservices:\n  w:\n    command: huey_consumer app.huey\n").encode(encoding))
    message = "cannot parse: UTF-16/UTF-32 text (it starts with a byte order mark), not UTF-8, so this file is not checked"
    result = lint(root)
    assert hl001(result) == [("compose.yaml", 1, 1, message), ("huey.service", 1, 1, message)]
    assert triples(result) == [("HL001", "compose.yaml", 1), ("HL001", "huey.service", 1)]


def test_invalid_utf8_is_hl001_with_position_and_the_rest_is_checked(root):
    (root / "huey.service").write_bytes(b"[Service]\nExecStart=/x/huey_consumer caf\xe9.huey\n")
    result = lint(root)
    assert hl001(result) == [("huey.service", 2, 31, "not valid UTF-8 (byte 0xe9): read as U+FFFD, "
                                                     "the rest of the file is checked")]
    assert ("HL101", "huey.service", 2) in triples(result)


def test_python_in_its_declared_encoding_is_read_as_python_reads_it(root):
    """A module with a PEP 263 `coding: latin-1` line is valid Python: no HL001 (was: "not valid UTF-8"),
    and its facts are read at the right columns; without the declaration the same bytes are HL001."""
    module = ("# -*- coding: latin-1 -*-\nfrom huey import RedisHuey\n# caf\xe9\n"
              "huey = RedisHuey('caf\xe9', host='redis.internal', password='hunter2')\n")
    write_tree(root, {"Procfile": "worker: huey_consumer app.huey -g TERM -t 20\n"})
    (root / "app.py").write_bytes(module.encode("latin-1"))
    result = lint(root)
    assert hl001(result) == []
    assert [(f.rule, f.loc.line, f.loc.col) for f in result.findings if f.loc.path == "app.py"] == [
        ("HL105", 4, 8), ("HL402", 4, 8), ("HL403", 4, 58)]
    (root / "app.py").write_bytes(module.split("\n", 1)[1].encode("latin-1"))
    assert hl001(lint(root)) == [("app.py", 2, 6, "not valid UTF-8 (byte 0xe9): read as U+FFFD, "
                                                  "the rest of the file is checked")]


def test_latin1_comment_does_not_hide_the_dockerfile(root):
    (root / "Dockerfile").write_bytes(b"FROM python:3.13\n# caf\xe9 (Latin-1 comment)\nCMD huey_consumer app.huey\n")
    result = lint(root, {"fail-on": "error"})
    assert ("HL001", "Dockerfile", 2) in triples(result)
    assert {"HL101", "HL201"} <= {f.rule for f in result.findings if f.loc.line == 3}


def test_binary_python_without_huey_is_not_reported(root):
    (root / "blob.py").write_bytes(b"\x00\x01 nothing here")
    (root / "data.yaml").write_bytes(b"\x00\x01 nothing here")
    result = lint(root)
    assert result.findings == [] and result.notices == []


def test_empty_files(root):
    write_tree(root, {"Dockerfile": "", "huey.service": "", "Procfile": "", "compose.yaml": ""})
    result = lint(root)
    assert [f.rule for f in result.findings if f.rule != "HL001"] == []
    assert triples(result, "HL001") == [("HL001", "Dockerfile", 1)]  # a Dockerfile needs FROM


def test_directory_named_like_a_config_file(root):
    (root / "Dockerfile").mkdir()
    (root / "huey.service").mkdir()
    (root / "pyproject.toml").mkdir()
    assert lint(root).findings == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_non_root(root):
    path = root / "huey.service"
    path.write_text("[Service]\nExecStart=/x/huey_consumer a.huey\n")
    path.chmod(0)
    result = lint(root)
    assert hl001(result) == [("huey.service", 1, 1, "cannot read: permission denied, so this file is not checked")]


def test_unreadable_file(root, monkeypatch):
    """Root reads everything, so simulate the error where the file is opened (safeio opens with os.open)."""
    write_tree(root, {"huey.service": "[Service]\nExecStart=/x/huey_consumer a.huey\n"})
    refuse_open(monkeypatch, "huey.service")
    result = lint(root)
    assert hl001(result) == [("huey.service", 1, 1, "cannot read: permission denied, so this file is not checked")]
    assert result.notices == []


def test_symlink_loop(root):
    (root / "a").mkdir()
    os.symlink("..", root / "a" / "loop")  # a folder of the tree, walked at its own path: no notice
    os.symlink("self.service", root / "self.service")  # dangling self-reference, named as a file hueylint reads
    os.symlink("self", root / "self")  # the same, named as no file hueylint reads: no notice
    write_tree(root, {"a/huey.service": "[Service]\nExecStart=/x/huey_consumer a.huey -g TERM -t 55\nTimeoutStopSec=60\n"})
    result = lint(root)
    assert triples(result, "HL101") == []
    assert [(n.rel, n.reason) for n in result.notices] == [("self.service", "broken symlink or symlink loop: skipped")]


def test_huge_file_is_hl001(root):
    (root / "Dockerfile").write_text("FROM x\n" + "# pad\n" * 400_000)
    result = lint(root)
    assert hl001(result) == [("Dockerfile", 1, 1, "cannot read: larger than 2 MiB, so this file is not checked")]
    assert result.notices == []


@pytest.mark.parametrize("text", [
    "[Service\nExecStart=/x/huey_consumer a.huey\n",
    "[Service]\nthis is not an assignment\n",
    "[Service]\nExecStart=/x/huey_consumer 'unterminated\n",
    "[Service]\nTimeoutStopSec=soon\nExecStart=/x/huey_consumer a.huey -g TERM -t 5\n",
])
def test_broken_units_are_hl001_not_crashes(root, text):
    write_tree(root, {"huey.service": text})
    result = lint(root)
    assert all(f.loc.path == "huey.service" for f in result.findings)
    assert [f.rule for f in result.findings if f.rule == "HL001"] == ["HL001"]


@pytest.mark.parametrize(("line", "col", "key"), [
    ("ExecStart=/bin/sh -c 'exec /srv/venv/bin/huey_consumer app.huey -t 25", 22, "ExecStart"),
    ("ExecStart=/srv/venv/bin/huey_consumer app.huey -t 25 --extra-locks \"a,b", 68, "ExecStart"),
    ("ExecStart=/srv/venv/bin/huey_consumer app.huey -t 25\nExecReload=/bin/kill -HUP 'x", 27, "ExecReload"),
])
def test_an_exec_line_with_a_quote_never_closed_is_hl001(root, line, col, key):
    """systemd refuses an `Exec*=` whose quote is never closed (config_parse_exec: ENOEXEC, "Unit configuration
    has fatal error, unit will not be started"): it was "All checks passed!" and, for `sh -c '...`, no launch at
    all ("no consumer launch was found")."""
    write_tree(root, {"requirements.txt": "huey==3.5.0\n", "huey.service": (
        f"[Service]\n{line}\nKillSignal=SIGINT\nTimeoutStopSec=60\nRestart=on-failure\nUser=app\n")})
    number = 3 if key == "ExecReload" else 2
    result = lint(root)
    assert hl001(result) == [("huey.service", number, col, f"cannot parse: systemd refuses `{key}=`: the quote "
                              "opened here is never closed, so the unit has a fatal error and is not started")]
    # nothing starts: no launch, so no other finding about the unit's stop, reload or restart (they were HL104,
    # HL106, HL202 beside the HL001)
    assert result.project.launches == [] and [f.rule for f in result.findings] == ["HL001"]


@pytest.mark.parametrize("text", [
    "FROM python:3\nCMD [\"huey_consumer\", \n",
    "FROM python:3\nCMD [\"huey_consumer\", \"a.huey\"\n",
    "RUN echo\n",
    "FROM\n",
    "FROM python:3\nENTRYPOINT []\n",
    "FROM python:3\nRUN <<EOF\nhuey_consumer x\nEOF\nCMD [\"huey_consumer\", \"a.huey\", \"-g\", \"TERM\", \"-t\", \"5\"]\n",
])
def test_broken_dockerfiles_never_crash(root, text):
    write_tree(root, {"Dockerfile": text})
    lint(root)


def test_broken_script_followed_by_a_launch_is_hl001(root):
    write_tree(root, {
        "Dockerfile": 'FROM python:3\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n',
        "start.sh": '#!/bin/sh\nif [ "$X" = 1 ; then\n  exec huey_consumer a.huey\nfi\n',
    })
    assert triples(lint(root), "HL001") == [("HL001", "start.sh", 2)]


@pytest.mark.parametrize(("script", "expected"), [
    (b"#!/bin/sh\n# caf\xe9\nexec huey_consumer app.huey\n",
     ("start", 2, 6, "not valid UTF-8 (byte 0xe9): read as U+FFFD, the rest of the file is checked")),
    (b"#!/bin/sh\nexec huey_consumer app.huey\x00\n",
     ("start", 2, 28, "cannot parse: a NUL byte (binary content), so this file is not checked")),
])
def test_script_read_on_demand_gets_the_same_checks(root, script, expected):
    # `start` has no name hueylint reads up front: the Dockerfile's CMD names it, so it is read on demand
    write_tree(root, {"Dockerfile": 'FROM python:3.13\nCOPY start /start\nCMD ["/start"]\n'})
    (root / "start").write_bytes(script)
    result = lint(root)
    assert hl001(result) == [expected]
    # invalid UTF-8 in a comment does not hide the consumer the script starts
    assert (("HL104", "start", 3) in triples(result)) == (b"\x00" not in script)


def test_pyproject_nested_too_deeply_does_not_break_the_procfile_launch(root):
    """A pyproject.toml that tomllib cannot read (nested beyond Python's stack) is HL001, and the console
    scripts table it would give is empty: the Procfile's launch is still checked."""
    write_tree(root, {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["huey"]\n'
                                        "x = " + "[" * 5000 + "]" * 5000 + "\n",
                      "Procfile": "worker: migrate-db && exec huey_consumer app.huey -w 2\n"})
    result = lint(root)
    assert result.notices == []
    assert triples(result, "HL001") == [("HL001", "pyproject.toml", 1)]
    assert ("HL104", "Procfile", 1) in triples(result)


@pytest.mark.parametrize("instruction", ["CMD", "COPY"])
def test_dockerfile_json_nested_too_deeply_is_hl001(root, instruction):
    """An exec form (or COPY's JSON form) nested beyond Python's stack: HL001 at the instruction, never an
    internal error of the docker platform."""
    nested = "[" * 5000 + "]" * 5000
    write_tree(root, {"Dockerfile": f"FROM python:3\n{instruction} {nested}\n"
                                    'CMD ["huey_consumer", "app.huey", "-g", "TERM", "-t", "5"]\n'})
    result = lint(root)
    assert result.notices == []
    assert [(f.loc.path, f.loc.line, f.loc.col) for f in result.findings if f.rule == "HL001"] == [("Dockerfile", 2, 1)]


def test_helm_default_nested_too_deeply_stays_unknown(root):
    """`default <literal>` in a Helm template is read as JSON; one nested beyond Python's stack is no value
    hueylint can take (Go templates have no array literal either): the placeholder stays unknown, and the
    kubernetes platform still checks the chart."""
    write_tree(root, {
        "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
        "chart/values.yaml": 'app: ""\n',
        "chart/templates/d.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n"
                                  "  template:\n    spec:\n      containers:\n      - name: w\n        image: x\n"
                                  '        command: ["huey_consumer", "app.huey"]\n'
                                  '        args: ["{{ .Values.app | default ' + "[" * 5000 + "]" * 5000 + ' }}"]\n',
    })
    result = lint(root)
    assert result.notices == []
    # the chart is checked: one launch, whose unknown argument may set any option (so no rule says one is absent)
    [launch] = result.project.launches
    assert launch.shutdown_timeout is not None and not launch.shutdown_timeout.known
    assert launch.shutdown_timeout.unknown == "may be set by a Helm template value, when the chart is rendered"
    assert triples(result) == []


WIDE_REQS = "redis==5.0.1\r\nhuey==2.5.2\r\n"
G_TERM_COMPOSE = ("services:\n  worker:\n    image: python:3.12\n"
                  "    command: [\"huey_consumer\", \"app.huey\", \"-g\", \"TERM\", \"-t\", \"5\"]\n")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_a_requirements_file_with_a_byte_order_mark_is_read_as_pip_reads_it(root, encoding):
    """pip decodes requirements files by their BOM (``auto_decode``): PowerShell's ``pip freeze >`` writes
    UTF-16; the pinned version is read (HL002 for `-g`, which needs huey 3.4)."""
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    (root / "requirements.txt").write_bytes(bom + WIDE_REQS.encode(encoding))
    (root / "compose.yaml").write_text(G_TERM_COMPOSE)
    result = lint(root)
    assert hl001(result) == []
    assert [f.message for f in result.findings if f.rule == "HL002"] == [
        "`-g/--graceful-signal` needs huey 3.4.0 or newer, but this launch runs huey 2.5.2 (pinned in "
        "requirements.txt:2). Fix: upgrade huey to 3.4.0 or newer where the launch's version comes from, or drop "
        "`-g/--graceful-signal`"]


@pytest.mark.parametrize(("name", "data", "message"), [
    # no BOM: pip would not read it either, and nothing tells it from binary content
    ("requirements.txt", WIDE_REQS.encode("utf-16-le"), "a NUL byte (binary content)"),
    # only pip reads by the BOM
    ("Dockerfile", b"\xff\xfe" + "FROM python:3.12\n".encode("utf-16-le"),
     "UTF-16/UTF-32 text (it starts with a byte order mark), not UTF-8"),
])
def test_wide_text_without_a_reader_for_it_stays_hl001(root, name, data, message):
    (root / name).write_bytes(data)
    assert [(path, message) for path, _, _, message in hl001(lint(root))] == [
        (name, f"cannot parse: {message}, so this file is not checked")]


def test_folders_nested_too_deep_are_a_notice_not_an_internal_error(root):
    """A pull request may commit 1,500 nested folders (git takes paths of a few thousand bytes): the walk
    recursed once per level, a RecursionError and no result at all (exit 2). Past 128 levels a folder is not
    entered, and a notice says so; what is above it is checked."""
    folders = [root]
    for _ in range(1500):  # (Path.mkdir(parents=True) recurses once per folder too)
        folders.append(folders[-1] / "a")
        folders[-1].mkdir()
    try:
        (folders[-1] / "huey.service").write_text("[Service]\nExecStart=/v/huey_consumer app.huey\n")
        write_tree(root / "a", {"huey.service": "[Service]\nExecStart=/v/huey_consumer app.huey\n"})
        result = lint(root)
        assert result.internal_errors == []
        assert triples(result, "HL101") == [("HL101", "a/huey.service", 2)]
        assert [(n.rel, n.reason) for n in result.notices] == [
            ("/".join(["a"] * 129), "folder nested more than 128 levels deep: not walked")]
    finally:
        # removed here, deepest first: pytest's own clean-up of old temporary folders (shutil.rmtree) recurses
        # once per level and fails, which ends a later session with an error
        (folders[-1] / "huey.service").unlink(missing_ok=True)
        (root / "a" / "huey.service").unlink(missing_ok=True)
        for folder in reversed(folders[1:]):
            folder.rmdir()


@pytest.mark.parametrize(("text", "line", "col", "message"), [
    # a service's keys indented one level too little: `image` and `command` became services of their own
    ("services:\n  worker:\n  image: app\n  command: huey_consumer app.huey\n", 3, 3,
     "services.image must be a mapping: compose refuses the project"),
    ("services:\n  - worker\n", 2, 3, "services must be a mapping: compose refuses the project"),
    ("- services\n", 1, 1, "the top-level object must be a mapping: compose refuses the project"),
])
def test_a_compose_file_compose_refuses_for_its_shape_is_hl001(root, text, line, col, message):
    """A mis-indented compose file (`docker compose` says `services.image must be a mapping`) passed silently:
    "All checks passed!" and the consumer its `command:` line names was never checked."""
    write_tree(root, {"compose.yaml": text})
    result = lint(root)
    assert hl001(result) == [("compose.yaml", line, col, f"cannot parse: {message}")]
    assert triples(result) == [("HL001", "compose.yaml", line)]


@pytest.mark.parametrize(("value", "error"), [("inf", "OverflowError"), ("1e308", "OverflowError"),
                                              ("nan", "ValueError")])
def test_a_shutdown_timeout_thread_join_refuses_is_hl002_not_an_internal_error(root, value, error):
    """`-t inf` was an internal error in HL103 (OverflowError: cannot convert float infinity to integer), exit 2;
    `-t nan` was HL103 with a fix lowering TimeoutStopSec=60 to 5. huey's optparse reads both as floats, and
    its graceful shutdown joins the workers with them, which raises: the consumer crashes instead of stopping."""
    write_tree(root, {"requirements.txt": "huey==3.5.0\n", "huey.service": (
        f"[Service]\nExecStart=/v/huey_consumer app.huey -t {value}\nKillSignal=SIGINT\nTimeoutStopSec=60\n"
        "Restart=on-failure\nUser=app\nExecReload=/bin/kill -HUP $MAINPID\nType=exec\n")})
    result = lint(root)
    assert result.internal_errors == []
    assert [(f.rule, f.loc.line, f.loc.col, f.message, f.fix) for f in result.findings if f.rule != "HL105"] == [
        ("HL002", 2, 37, f"`-t {float(value):g}`: huey waits for its workers this long when it stops gracefully, and "
                         f"Python's Thread.join refuses it ({error}): the consumer crashes instead of stopping. Fix: "
                         "`-t` a few seconds below the kill deadline", None)]


@pytest.mark.parametrize("name", [".gitlab-ci.yml", ".travis.yml", ".woodpecker/test.yml"])
def test_a_ci_configuration_listing_its_services_is_no_refused_compose_file(root, name):
    """A top-level ``services:`` key makes a YAML file a compose candidate; a CI configuration's list of job
    services (GitLab CI, Travis, Woodpecker: field trees ananthanandanan/IMS, mdbenjam/puzzlehunt_server,
    karrot-dev/karrot-backend, plomgrading/plom) is no compose file, and no HL001; a file named as compose is."""
    write_tree(root, {name: "image: python:3.11\nservices:\n  - redis:7\n  - docker:dind\ntest:\n  script: pytest\n",
                      "compose.yaml": "services:\n  - worker\n"})
    assert triples(lint(root)) == [("HL001", "compose.yaml", 2)]


@pytest.mark.parametrize(("text", "line", "col", "message"), [
    ("services:\n  type: worker\n  name: huey\n", 2, 3, "`services` must be a list of services"),
    ("services:\n  - worker\n", 2, 5, "service 1 must be a mapping"),
    ("services:\n  - type: worker\n    name: huey\n    runtime: python\n    startCommand: [huey_consumer, app.huey]\n",
     5, 19, "`startCommand` must be one string"),
    ("services:\n  - type: worker\n    name: huey\n    runtime: python\n    startCommand: huey_consumer app.huey\n"
     "    maxShutdownDelaySeconds: 600\n", 6, 30, "`maxShutdownDelaySeconds` must be an integer from 1 to 300"),
    ("- services\n", 1, 1, "the top level must be a mapping"),
])
def test_a_render_blueprint_render_refuses_for_its_shape_is_hl001(root, text, line, col, message):
    """A Blueprint of a shape Render refuses (t-review: a `startCommand` list, a service that is no mapping, a
    delay out of range) was dropped, or its command or delay not read, without a word."""
    write_tree(root, {"render.yaml": text})
    result = lint(root)
    assert hl001(result) == [("render.yaml", line, col, f"cannot parse: {message}: Render refuses the Blueprint")]
