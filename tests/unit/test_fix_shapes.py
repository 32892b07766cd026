"""``--fix`` on shapes found by running it over real repositories: each test pins the exact text written
(or that no fix is offered) for one kind of file shape that once got a wrong edit."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import fix_tree, git_init, lint, write_tree


def _fixed(tmp_path: Path, files: dict[str, str], config: dict | None = None, *, unsafe: bool = False
           ) -> tuple[Path, object]:
    root = git_init(tmp_path / "p")
    write_tree(root, files)
    return root, fix_tree(root, config, unsafe=unsafe)


def _keys(result) -> list[tuple[str, str, int]]:
    return sorted((f.rule, f.loc.path or "", f.loc.line) for f in result.findings)


MERGED = """x-base: &base
  image: app
  stop_signal: SIGTERM
  stop_grace_period: 1m
services:
  web:
    <<: *base
    command: gunicorn app.wsgi
  worker:
    <<: *base
    command: huey_consumer app.huey -t 50
"""


def test_compose_value_from_a_merged_anchor_is_overridden_in_the_service(tmp_path):
    """`stop_signal` written in an anchor that `web` merges too: the fix adds the worker's own key (YAML's
    merge lets it override the anchor's) instead of rewriting the anchor, which changed `web`'s signal."""
    root, outcome = _fixed(tmp_path, {"compose.yaml": MERGED}, {"select": ["HL101"]})
    assert (root / "compose.yaml").read_text() == MERGED.replace(
        "    <<: *base\n    command: huey_consumer", "    <<: *base\n    stop_signal: SIGINT\n    command: huey_consumer")
    assert outcome.fixed == {"HL101": 1}
    assert [f.rule for f in outcome.result.findings] == []


EXTENDED = """services:
  base:
    image: app
    command: huey_consumer app.huey -t 50
    stop_signal: SIGTERM
    stop_grace_period: 1m
    restart: always
  worker:
    extends: base
    environment:
      A: b
"""


def test_compose_value_from_an_extended_service_is_overridden_in_the_service(tmp_path):
    """`worker` extends `base`, whose `stop_signal` is written in `base`: each service gets its own setting
    (the base's replaced, the extending service's own key added), never one edit for both."""
    root, outcome = _fixed(tmp_path, {"compose.yaml": EXTENDED}, {"select": ["HL101"]})
    assert (root / "compose.yaml").read_text() == EXTENDED.replace(
        "    stop_signal: SIGTERM", "    stop_signal: SIGINT").replace(
        "    extends: base", "    stop_signal: SIGINT\n    extends: base")
    assert outcome.fixed == {"HL101": 2}
    assert _keys(outcome.result) == []


WORKER = "services:\n  worker:\n    image: app\n    command: huey_consumer app.huey\n    stop_grace_period: 1m\n"


def test_a_file_that_cannot_be_written_drops_its_fixes(tmp_path, monkeypatch):
    """A write that fails (a full disk, a folder made read-only meanwhile) drops the fixes of that file with
    a warning and the run goes on: it was an internal error ("please report this") with no result."""
    from hueylint import safeio

    def refuse(path, text, mode=None):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(safeio, "atomic_write", refuse)
    root, outcome = _fixed(tmp_path, {"compose.yaml": WORKER}, {"select": ["HL101"]})
    assert (root / "compose.yaml").read_text() == WORKER
    assert outcome.dropped == ["HL101 compose.yaml:2: fix not applied (cannot write compose.yaml: Permission denied)"]
    assert outcome.fixed == {} and outcome.after == {}
    assert _keys(outcome.result) == [("HL101", "compose.yaml", 2)]


def test_a_read_only_file_is_not_written(tmp_path, monkeypatch):
    """A file its user may not write is left alone (an editor refuses it too), although renaming a new file
    over it would get past its permissions: its findings carry no fix, as those of a symlink."""
    import os

    from hueylint import safeio

    real = os.access
    monkeypatch.setattr(safeio.os, "access", lambda path, how: not (how & os.W_OK and str(path).endswith("compose.yaml"))
                        and real(path, how))
    root, outcome = _fixed(tmp_path, {"compose.yaml": WORKER}, {"select": ["HL101"]})
    assert (root / "compose.yaml").read_text() == WORKER
    assert outcome.after == {} and outcome.dropped == []
    assert [(f.rule, f.fix) for f in outcome.result.findings] == [("HL101", None)]


def test_a_fix_outside_the_checked_paths_is_not_applied(tmp_path):
    """`hueylint check --fix sub`: the service in `sub/` extends one in `../base.yml`; its `-t` goes in the
    base file's command, which the user did not ask to fix (ruff fixes only what it checks). The settings of
    `sub/`'s own service are fixed."""
    from hueylint.config import Settings
    from hueylint.engine import Options
    from hueylint.fixes import fix_loop

    root = git_init(tmp_path / "p")
    base = "services:\n  base:\n    image: app\n    command: huey_consumer app.huey\n"
    worker = "services:\n  worker:\n    extends:\n      file: ../base.yml\n      service: base\n"
    write_tree(root, {"base.yml": base, "sub/compose.yaml": worker})
    settings = Settings(root=root.resolve())
    settings.select = ["HL101", "HL104"]
    outcome = fix_loop([root / "sub"], settings, Options())
    assert (root / "base.yml").read_text() == base
    assert (root / "sub/compose.yaml").read_text() == worker.replace(
        "  worker:\n", "  worker:\n    stop_signal: SIGINT\n")
    assert outcome.dropped == ["HL104 base.yml:4: fix not applied (the file is outside the checked paths: name it "
                               "on the command line to fix it)"]


def test_exec_fix_belongs_to_the_script_that_runs_the_consumer(tmp_path):
    """`start.sh` runs `./run.sh` without exec, which runs the consumer without exec: one HL201 finding for the
    launch line naming both scripts (nested-shells-one-line).  Its fix puts `exec` before `./run.sh` in
    `start.sh` (the hop start.sh runs) and before the consumer in `run.sh`; start.sh's own edit was once that
    same edit in run.sh, which left start.sh in between."""
    files = {"Dockerfile": 'FROM python:3.12\nCOPY . /app\nCMD ["/app/start.sh"]\n',
             "start.sh": "#!/bin/sh\n./run.sh\n",
             "run.sh": "#!/bin/sh\nhuey_consumer app.huey\n"}
    root = git_init(tmp_path / "p")
    write_tree(root, files)
    result = lint(root, {"select": ["HL201"]})
    [finding] = result.findings
    assert [(r.loc.path, r.loc.line) for r in finding.related] == [("start.sh", 2), ("run.sh", 2)]
    assert finding.fix is not None
    assert [(e.path, e.line, e.col, e.replacement) for e in finding.fix.edits] == [("start.sh", 2, 1, "exec "),
                                                                                   ("run.sh", 2, 1, "exec ")]
    assert finding.message.startswith("script `start.sh` stays between the supervisor and the consumer: `./run.sh` "
                                      "(which leads to the consumer) is not started with `exec`")


def test_ini_setting_is_indented_like_the_section_s_settings(tmp_path):
    """A supervisord program whose settings are indented with a tab: the added settings get the same tab (they
    were added at column 1), and never the deeper indentation of a continued value (a continuation line for
    configparser)."""
    conf = ("[program:huey]\n\tcommand=/srv/venv/bin/huey_consumer app.huey -t 50\n\tenvironment=A=1,\n"
            "\t  B=2\n\tstopwaitsecs=60\n\n[program:web]\n\tcommand=gunicorn app\n")
    root, outcome = _fixed(tmp_path, {"supervisord.conf": conf}, {"select": ["HL101"]})
    assert (root / "supervisord.conf").read_text() == conf.replace("stopwaitsecs=60\n", "stopwaitsecs=60\n\tstopsignal=INT\n")
    assert outcome.fixed == {"HL101": 1}


SHORT = "services:\n  worker:\n    image: app\n    command: huey_consumer app.huey\n    stop_signal: SIGINT\n"


def test_hl104_fix_writes_the_timeout_its_message_gives(tmp_path):
    """`--fix --select HL104` on compose's default 10 s deadline: `-t 5` as the message says. It wrote
    `-t 20`, counting on HL102's fix raising the deadline, which does not run with HL104 alone: a new HL103
    error (`-t 20` above the 10 s deadline) after the fix."""
    root, outcome = _fixed(tmp_path, {"compose.yaml": SHORT}, {"select": ["HL104", "HL103"]})
    assert (root / "compose.yaml").read_text() == SHORT.replace("app.huey", "app.huey -t 5")
    assert _keys(outcome.result) == []


def test_hl104_and_hl102_fixes_end_with_the_timeout_below_the_raised_deadline(tmp_path):
    """With HL102 too, its fix raises the deadline in the same pass and `-t` with it in the next one."""
    root, outcome = _fixed(tmp_path, {"compose.yaml": SHORT}, {"select": ["HL102", "HL103", "HL104"]})
    assert (root / "compose.yaml").read_text() == (
        "services:\n  worker:\n    stop_grace_period: 25s\n    image: app\n"
        "    command: huey_consumer app.huey -t 20\n    stop_signal: SIGINT\n")
    assert outcome.fixed == {"HL102": 2, "HL104": 1}
    assert _keys(outcome.result) == []


def test_diff_names_a_file_with_a_space_or_a_tab_so_patch_and_git_apply_find_it(tmp_path):
    """`--diff` headers as git writes them: a tab after a name with a space (GNU `patch -p1` read
    `a/deploy` and could not find the file), a C-quoted name for a control character."""
    import shutil
    import subprocess

    unit = "[Service]\nExecStart=/srv/venv/bin/huey_consumer app.huey -t 50\nTimeoutStopSec=60\n"
    files = {"deploy dir/my huey.service": unit, "x\ty.service": unit}
    root = git_init(tmp_path / "p")
    write_tree(root, files)
    diff = fix_tree(root, {"select": ["HL101"]}, write=False).diff()
    hunk = ("@@ -1,3 +1,4 @@\n [Service]\n ExecStart=/srv/venv/bin/huey_consumer app.huey -t 50\n"
            " TimeoutStopSec=60\n+KillSignal=SIGINT\n")
    assert diff == ("--- a/deploy dir/my huey.service\t\n+++ b/deploy dir/my huey.service\t\n" + hunk
                    + '--- "a/x\\ty.service"\n+++ "b/x\\ty.service"\n' + hunk)
    subprocess.run(["git", "apply", "-"], cwd=root, input=diff, text=True, check=True)
    assert (root / "deploy dir/my huey.service").read_text() == unit + "KillSignal=SIGINT\n"
    if shutil.which("patch"):
        copy = tmp_path / "copy"
        write_tree(copy, files)
        subprocess.run(["patch", "-p1", "-s"], cwd=copy, input=diff, text=True, check=True)
        assert (copy / "x\ty.service").read_text() == unit + "KillSignal=SIGINT\n"


def test_diff_names_a_file_whose_name_is_not_utf8_in_octal_as_git_so_git_apply_finds_it(tmp_path):
    """A file name with a byte that is not UTF-8 (0xe9, Latin-1) was written in the header as the text
    `a/bad\\udce9.service` (os.fsdecode's surrogate, escaped on output): no file of that name exists, so `git apply`
    and `patch` failed. git writes the byte C-quoted in octal, `"a/bad\\351.service"`."""
    import os
    import subprocess

    unit = "[Service]\nExecStart=/srv/venv/bin/huey_consumer app.huey -t 50\nTimeoutStopSec=60\n"
    root = git_init(tmp_path / "p")
    with open(os.path.join(os.fsencode(root), b"bad\xe9.service"), "w") as handle:
        handle.write(unit)
    diff = fix_tree(root, {"select": ["HL101"]}, write=False).diff()
    assert diff == ('--- "a/bad\\351.service"\n+++ "b/bad\\351.service"\n@@ -1,3 +1,4 @@\n [Service]\n'
                    " ExecStart=/srv/venv/bin/huey_consumer app.huey -t 50\n TimeoutStopSec=60\n+KillSignal=SIGINT\n")
    subprocess.run(["git", "apply", "-"], cwd=root, input=diff.encode(), check=True)
    with open(os.path.join(os.fsencode(root), b"bad\xe9.service")) as handle:
        assert handle.read() == unit + "KillSignal=SIGINT\n"


def test_a_file_with_a_form_feed_gets_no_fix(tmp_path):
    """Python's ast does not count a form feed as a line break, str.splitlines (fix edits) does: the fix of
    `hue2`'s finding (ast line 4) rewrote `huey`'s line (line 4 once the form feed splits a line). A file
    holding such a character gets no fix; its findings stay."""
    source = 'from huey import RedisHuey\n\x0c\nhuey = RedisHuey("x", immediate=True)\nhue2 = RedisHuey("y", immediate=True)\n'
    root, outcome = _fixed(tmp_path, {"tasks.py": source, "Procfile": "huey: huey_consumer tasks.huey\n"},
                           {"select": ["HL401"]})
    assert (root / "tasks.py").read_text() == source
    assert [(f.rule, f.loc.line, f.fix) for f in outcome.result.findings] == [("HL401", 3, None), ("HL401", 4, None)]


def test_show_fixes_summary_counts_passes_in_english() -> None:
    """--show-fixes printed "(2 fixes applied in 1 passes)" when two fixes of one pass resolved one finding (the
    other finding's place taken by another of its rule in the file: supervisord's stopwaitsecs raised, then
    docker's 10 s)."""
    from hueylint.fixes import FixOutcome

    outcome = FixOutcome(fixed={"HL101": 1, "HL102": 1}, fixed_in={"deploy/supervisord.conf": {"HL101": 1, "HL102": 1}},
                         resolved=1, passes=1)
    assert outcome.summary({"HL101": "stop-signal-not-graceful", "HL102": "stop-deadline-too-short"}) == (
        "Fixed 1 finding (2 fixes applied in 1 pass):\n"
        "- deploy/supervisord.conf:\n"
        "    1 × HL101 (stop-signal-not-graceful)\n"
        "    1 × HL102 (stop-deadline-too-short)\n")
    assert FixOutcome(fixed={"HL102": 3}, resolved=1, passes=2).summary({}).startswith(
        "Fixed 1 finding (3 fixes applied in 2 passes):")


WRAPPER_UNIT = ("[Service]\nType=exec\nUser=app\nRestart=always\nExecReload=/bin/kill -HUP $MAINPID\n"
                "KillSignal=SIGINT\nExecStart=/srv/app/bin/appctl {words}\n")
WRAPPER_APP = {"app/__init__.py": "", "app/tasks.py": "from huey import RedisHuey\nhuey = RedisHuey(results=False)\n",
               "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'app.settings')\n",
               "app/settings.py": "INSTALLED_APPS = ['huey.contrib.djhuey']\nHUEY = {'immediate': False}\n",
               "requirements.txt": "huey==3.5.4\n"}


def test_options_a_wrapper_takes_from_its_caller_are_added_at_the_caller(tmp_path):
    """`exec huey_consumer "$@"`: the consumer's words are the unit's; HL104 is there and `-t` is added after its
    last word (the wrapper, which other callers may share, is left as it is)."""
    wrapper = "#!/bin/sh\nset -e\nexec /srv/app/venv/bin/huey_consumer \"$@\"\n"
    unit = WRAPPER_UNIT.format(words="app.tasks.huey -w 2")
    root, _ = _fixed(tmp_path, {**WRAPPER_APP, "bin/appctl": wrapper, "app.service": unit}, {"select": ["HL104"]})
    assert (root / "app.service").read_text() == unit.replace("-w 2", "-w 2 -t 85")
    assert (root / "bin/appctl").read_text() == wrapper


def test_a_django_command_a_wrapper_takes_from_its_caller_gets_its_options_at_the_caller(tmp_path):
    """`exec python3 manage.py "$@"` run as `appctl run_huey`: the caller writes only the subcommand; `-t` goes
    after it, where the management command's options are read."""
    wrapper = "#!/bin/sh\nexec python3 /srv/app/manage.py \"$@\"\n"
    unit = WRAPPER_UNIT.format(words="run_huey")
    root, _ = _fixed(tmp_path, {**WRAPPER_APP, "bin/appctl": wrapper, "app.service": unit}, {"select": ["HL104"]})
    assert (root / "app.service").read_text() == unit.replace("run_huey", "run_huey -t 85")


def test_a_wrapper_writing_the_last_words_itself_keeps_the_options(tmp_path):
    """`exec huey_consumer "$@" -w 2`: the command ends in the wrapper, so the finding and the edit stay there."""
    wrapper = "#!/bin/sh\nexec /srv/app/venv/bin/huey_consumer \"$@\" -w 2\n"
    files = {**WRAPPER_APP, "bin/appctl": wrapper, "app.service": WRAPPER_UNIT.format(words="app.tasks.huey")}
    write_tree(tmp_path, files)
    assert [(rule, path) for rule, path, _ in _keys(lint(tmp_path)) if rule == "HL104"] == [("HL104", "bin/appctl")]


def test_a_python_program_setting_the_consumer_words_keeps_the_command_line(tmp_path):
    """A Python entry point that sets `sys.argv` itself: its callers give none of the consumer's words, so no
    finding moves into the program's code (its `sys.argv` line is no caller's command line)."""
    program = ("import sys\nif __name__ == '__main__':\n    sys.argv = ['huey_consumer', 'app.tasks.huey']\n"
               "    from huey.bin.huey_consumer import consumer_main\n    consumer_main()\n")
    files = {**WRAPPER_APP, "app/worker.py": program,
             "app.service": WRAPPER_UNIT.replace("/srv/app/bin/appctl {words}", "/srv/app/venv/bin/python -m app.worker")}
    write_tree(tmp_path, files)
    launches = lint(tmp_path).project.launches
    assert [launch.consumer.options_at for launch in launches] == [None]


def test_hl301_for_a_wrapper_passing_its_callers_words_is_at_the_caller(tmp_path):
    """Two supervisord programs run the same wrapper (`exec huey_consumer "$@"`) with their own words, neither with
    `-n`: HL301's "add `-n`" is at the program's `command=`, not at the wrapper both share."""
    wrapper = "#!/bin/sh\nexec /srv/app/venv/bin/huey_consumer \"$@\"\n"
    tasks = ("from huey import RedisHuey, crontab\nhuey = RedisHuey(results=False)\n\n"
             "@huey.periodic_task(crontab(minute='0'))\ndef nightly():\n    pass\n")
    conf = ("[program:mail]\ncommand=/srv/app/bin/appctl app.tasks.huey -w 2\nstopsignal=INT\n\n"
            "[program:reports]\ncommand=/srv/app/bin/appctl app.tasks.huey -w 1\nstopsignal=INT\n")
    write_tree(tmp_path, {**WRAPPER_APP, "app/tasks.py": tasks, "bin/appctl": wrapper, "supervisord.conf": conf})
    assert [(path, line) for rule, path, line in _keys(lint(tmp_path)) if rule == "HL301"] == [("supervisord.conf", 6)]
