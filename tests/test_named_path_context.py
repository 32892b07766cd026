"""A deployment file named on the command line (`hueylint check deploy/huey.service`, what pre-commit runs with
``pass_filenames``) is judged with the deployment context of `hueylint check .` (named_context.read_context): the
repository's other deployment files, every file by its name, the code that dates huey.  Each test writes one form
of the kind, asserts the whole run's exact output and that naming the file gives the same findings at it.
Before, each named run judged the file with only what the named paths held."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers import write_tree
from tests.test_cli import run_cli


def _check(capsys, *paths: str) -> tuple[int, list[str], str]:
    code, out, err = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", *paths)
    return code, [line for line in out.splitlines() if ": HL" in line], err


UNIT = """[Unit]
Description=report jobs

[Service]
Type=exec
User=reports
ExecStart=/srv/reports/env/bin/huey_consumer.py jobs.main.huey -w 2
Restart=on-failure
"""
#: huey before 1.0: its queues came from huey.backends (1.0 replaced the module by huey.storage)
QUEUEING = """from huey.api import Huey
from huey.backends.redis_backend import RedisBlockingQueue, RedisDataStore

huey = Huey(RedisBlockingQueue("reports"), RedisDataStore("reports"))
"""


def test_a_named_unit_gets_the_huey_its_code_dates(git_repo, capsys):
    """No dependency file names huey, but the code imports `huey.backends`, which only huey before 1.0 has: the
    whole run judges the unit for huey 0.4.9 (its `huey_consumer.py` is that huey's script: no HL002; no HL106,
    SIGHUP ends that consumer).  Named alone, the unit was judged for the newest huey (HL002 error, HL106), since
    the modules dating it were not read; now the repository's modules are read for the dating, as the whole run."""
    write_tree(git_repo, {"deploy/reports-worker.service": UNIT, "jobs/__init__.py": "",
                          "jobs/main.py": "from jobs.queueing import huey\n\n\n@huey.task()\ndef report():\n    pass\n",
                          "jobs/queueing.py": QUEUEING})
    for named in ([], ["deploy/reports-worker.service"], ["deploy"]):
        assert _check(capsys, *named)[:2] == (0, []), named


DOCKERFILE = """FROM python:3.12-slim
RUN pip install supervisor huey==3.5.4
COPY deploy/supervisord.conf /etc/supervisor/supervisord.conf
STOPSIGNAL SIGTERM
CMD ["supervisord", "-n", "-c", "/etc/supervisor/supervisord.conf"]
"""
SUPERVISORD = """[supervisord]
nodaemon=true

[program:worker]
command=huey_consumer app.huey -w 2 -g TERM -t 25
user=app
autorestart=true
stopsignal=TERM
stopwaitsecs=30
"""


def test_a_named_supervisord_config_a_container_runs_is_judged_inside_it(git_repo, capsys):
    """The image runs `supervisord -c` on the configuration it copies in: supervisord lives inside the container,
    and `docker stop` kills it after 10 s (HL102, and HL103 for `-t 25`; `stopwaitsecs=30` is never reached).
    Named alone, the configuration was judged as a host's supervisord (its own 30 s: neither), since no
    Dockerfile was read."""
    write_tree(git_repo, {"Dockerfile": DOCKERFILE, "deploy/supervisord.conf": SUPERVISORD,
                          "app/__init__.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n"})
    expected = [
        "app/__init__.py:2:8: HL105 [warning] the huey app run by supervisord `worker` (deploy/supervisord.conf:5) "
        "registers no SIGNAL_INTERRUPTED handler: a task still running when the shutdown timeout or the kill deadline "
        "expires is lost, never retried. Fix: register `@huey.signal(SIGNAL_INTERRUPTED)` in a module the consumer "
        "imports and re-enqueue the task there (`huey.enqueue(task)`; make tasks idempotent)",
        "deploy/supervisord.conf:5:9: HL102 [warning] docker stops `worker` after 10s (`docker stop` default): a "
        "task running longer is killed; longest-task is 20s. Fix: raise `docker stop -t` / compose "
        "stop_grace_period above your longest task (and keep `-t` a few seconds below it)",
        "deploy/supervisord.conf:5:45: HL103 [error] `-t 25` is not at least 2s below the kill deadline of 10s "
        "(`docker stop` default): SIGKILL arrives before huey interrupts stragglers and emits SIGNAL_INTERRUPTED. "
        "Fix: `-t 5`, or raise the deadline"]
    for named in ([], ["deploy/supervisord.conf"], ["deploy"]):
        assert _check(capsys, *named)[:2] == (1, expected), named


BUILD = """#!/bin/sh
set -e
docker build -t acme/worker:latest -f docker/worker/Dockerfile .
"""
WORKER_DOCKERFILE = """FROM python:3.12-slim
RUN pip install huey==3.5.4
USER app
CMD ["huey_consumer", "app.huey", "-w", "2"]
"""
COMPOSE = """services:
  worker:
    image: acme/worker:latest
    restart: always
    stop_grace_period: 60s
"""


def test_a_named_compose_file_runs_the_image_a_build_script_tags(git_repo, capsys):
    """`scripts/build.sh` tags `acme/worker` from `docker/worker/Dockerfile`, whose CMD the compose service runs
    (HL101: compose's SIGTERM, the consumer's SIGINT).  Named alone, the compose file's image was taken for one
    built elsewhere ('All checks passed!'), since the build script was not among the walked files; now every file
    of the repository is known by its name (Workspace.unwalked), as in the whole run."""
    write_tree(git_repo, {"scripts/build.sh": BUILD, "docker/worker/Dockerfile": WORKER_DOCKERFILE,
                          "deploy/docker-compose.yml": COMPOSE})
    expected = [
        "deploy/docker-compose.yml:2:3: HL101 [error] compose stops `worker` with SIGTERM (compose default: no "
        "stop_signal, and no STOPSIGNAL in the image); the consumer's graceful signal is SIGINT (huey default): huey "
        "treats it as \"stop now\" and interrupts running tasks. Fix: add `-g TERM -t 55` to the consumer command, "
        "or set stop_signal: SIGINT",
        "docker/worker/Dockerfile:4:7: HL104 [note] no `-t/--shutdown-timeout` with huey 3.5.4 (pinned in "
        "docker/worker/Dockerfile:2): a stuck task holds the shutdown until SIGKILL and is lost without "
        "SIGNAL_INTERRUPTED. Fix: add `-t 55` (a few seconds below the kill deadline)"]
    for named in ([], ["deploy/docker-compose.yml"], ["deploy"]):
        assert _check(capsys, *named)[:2] == (1, expected), named


BASE = """services:
  worker:
    build: .
    command: huey_consumer app.huey -w 2 -t 50
    restart: always
    stop_signal: SIGINT
    stop_grace_period: 60s
"""


def test_a_named_base_is_judged_with_the_override_below_it(git_repo, capsys):
    """`deploy/docker-compose.prod.yml` overrides the root's base (a folder without a base of its own: the nearest
    base above, compose._base_above), and production runs base + it.  Named alone, the base was judged without it
    (its own SIGINT: quiet), since the folder below was not looked at; now it is read as the whole run reads it."""
    write_tree(git_repo, {"Dockerfile": "FROM python:3.12\nUSER app\n", "docker-compose.yml": BASE,
                          "deploy/docker-compose.prod.yml": "services:\n  worker:\n    stop_signal: SIGTERM\n"})
    expected = [
        "deploy/docker-compose.prod.yml:3:18: HL101 [error] compose stops `worker` with SIGTERM "
        "(deploy/docker-compose.prod.yml:3); the consumer's graceful signal is SIGINT (huey default): huey treats "
        "it as \"stop now\" and interrupts running tasks. Fix: add `-g TERM` to the consumer command, or set "
        "stop_signal: SIGINT"]
    for named in ([], ["docker-compose.yml"], ["deploy/docker-compose.prod.yml"]):
        assert _check(capsys, *named)[:2] == (1, expected), named


def test_a_named_run_in_context_is_replayed_only_while_its_context_is_unchanged(git_repo, capsys):
    """The run cache replays a run of named paths only when the context it read is as it was: a changed Dockerfile
    (it no longer runs supervisord: the configuration is a host's again) and a new override below the named base
    are seen (the tree listing and each file's stamp are probes the replay asks again)."""
    write_tree(git_repo, {"Dockerfile": DOCKERFILE, "deploy/supervisord.conf": SUPERVISORD})
    runs = [run_cli(capsys, "check", "--output-format", "concise", "deploy/supervisord.conf")[:2] for _ in range(2)]
    assert runs[0] == runs[1] and "HL103" in runs[0][1]
    write_tree(git_repo, {"Dockerfile": DOCKERFILE.replace("CMD [", "# CMD [")})
    code, out, _ = run_cli(capsys, "check", "--output-format", "concise", "deploy/supervisord.conf")
    assert "HL103" not in out
    write_tree(git_repo, {"docker-compose.yml": BASE})
    assert run_cli(capsys, "check", "--output-format", "concise", "docker-compose.yml")[0] == 0
    write_tree(git_repo, {"deploy/docker-compose.prod.yml": "services:\n  worker:\n    stop_signal: SIGTERM\n"})
    code, out, _ = run_cli(capsys, "check", "--output-format", "concise", "docker-compose.yml")
    assert code == 1 and "deploy/docker-compose.prod.yml:3:18: HL101" in out


ENTRYPOINT_DOCKERFILE = """FROM python:3.12-slim
RUN pip install huey==3.5.4
COPY docker/start.sh /start.sh
USER app
CMD ["/start.sh"]
"""


def test_a_named_entrypoint_script_is_judged_with_the_container_that_runs_it(git_repo, capsys):
    """`docker/start.sh` is the image's CMD and runs the consumer without `exec` (HL201 at the CMD naming it: the
    shell keeps the stop signal) with `-t 5` (HL102 in the script).  Named alone (pre-commit on a changed script),
    nothing ran it: 'All checks passed!' and a warning that no deployment file was found."""
    write_tree(git_repo, {"Dockerfile": ENTRYPOINT_DOCKERFILE,
                          "docker/start.sh": "#!/bin/sh\nset -e\nhuey_consumer app.huey -w 2 -g TERM -t 5\n"})
    whole = _check(capsys)
    assert [line.split(" [")[0] for line in whole[1]] == ["Dockerfile:5:7: HL201", "docker/start.sh:3:37: HL102"]
    for named in (["docker/start.sh"], ["docker"]):
        assert _check(capsys, *named) == whole, named


def test_what_only_the_context_gives_is_not_reported(git_repo, capsys):
    """The context's own findings, notices and unused suppression comments (HL008) are not the named file's: a
    Dockerfile of another service with its findings and a comment suppressing nothing is read, not reported, and
    `inspect` lists only the named file's launch."""
    write_tree(git_repo, {"deploy/huey.service": "[Service]\nType=exec\nUser=app\nRestart=always\n"
                                                 "ExecReload=/bin/kill -HUP $MAINPID\n"
                                                 "ExecStart=/srv/venv/bin/huey_consumer app.huey -g TERM -t 50\n"
                                                 "TimeoutStopSec=60\n",
                          "other/Dockerfile": "FROM python:3.12\nUSER app\n# hueylint: ignore[HL203]\n"
                                              'CMD ["huey_consumer", "other.huey", "-t", "5"]\n'})
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--show-unused-ignores")
    whole = [line.split(" [")[0] for line in out.splitlines() if ": HL" in line]
    assert "other/Dockerfile:3:13: HL008" in whole and all(line.startswith("other/Dockerfile:") for line in whole)
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "--show-unused-ignores",
                           "deploy/huey.service")
    assert (code, out) == (0, "All checks passed! (1 file checked)\n")
    code, out, _ = run_cli(capsys, "inspect", "--no-cache", "--format", "json", "deploy/huey.service")
    import json

    assert [launch["at"] for launch in json.loads(out)["launches"]] == ["deploy/huey.service:6"]


def test_a_root_that_is_no_project_is_not_read_as_context(tmp_path, capsys, monkeypatch):
    """Outside a git checkout, from a folder without a project file (a folder of many projects, the home folder),
    the run's root is that folder: its whole tree is no repository whose context the named file has.  The file
    is judged alone, and a notice says so."""
    write_tree(tmp_path, {"a/deploy/huey.service": UNIT, "b/Dockerfile": WORKER_DOCKERFILE,
                          "b/supervisord.conf": SUPERVISORD})
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "a/deploy/huey.service")
    assert out.splitlines()[-1] == (
        "notice: the named files are judged alone, without the deployment context a run over the whole repository gives "
        "them: the run's root (the current folder) is neither a git checkout nor a project folder (pyproject.toml, "
        "requirements.txt ...); run hueylint from the project's folder")
    assert code == 1 and "in 1 file checked" in out


@pytest.mark.parametrize("mark", [".github/workflows/ci.yml", ".gitlab-ci.yml", ".pre-commit-config.yaml"])
def test_an_export_without_git_is_a_repository_by_its_root_files(tmp_path, capsys, monkeypatch, mark):
    """A repository exported without ``.git`` (GitHub's "Download ZIP", ``git archive``) is still one: its root
    holds files only a repository's root holds.  The run's root is that folder, not the first folder below it
    with a project file (field test betagouv/zam: `admin/requirements.txt` made `admin/` the root of a run naming
    `admin/files/zam_worker.service`, whose console script `repondeur/setup.py` declares: no launch, silence),
    and the named file is judged in the repository's context."""
    write_tree(tmp_path, {mark: "", "deploy/requirements.txt": "fabric\n", "deploy/huey.service": UNIT,
                          "jobs/__init__.py": "", "jobs/main.py": QUEUEING})
    monkeypatch.chdir(tmp_path)
    # the code dates huey 0.4.9 (see the first test): the unit is clean as the whole run judges it
    assert run_cli(capsys, "check", "--no-cache", "--output-format", "concise")[:2] == (0, "All checks passed! (4 files checked)\n")
    named = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "deploy/huey.service")
    assert named[:2] == (0, "All checks passed! (4 files checked)\n")
    top = tmp_path / mark.split("/")[0]  # no mark: the root is deploy/, the first folder with a project file, and
    shutil.rmtree(top) if top.is_dir() else top.unlink()  # the unit is judged for the newest huey there
    alone = run_cli(capsys, "check", "--no-cache", "--output-format", "concise", "deploy/huey.service")
    assert alone[0] == 1 and "HL002 [error]" in alone[1]


def test_a_named_script_without_an_extension_is_judged_with_the_unit_that_runs_it(git_repo, capsys):
    """`bin/runworker` (a `#!/bin/sh` script, no `.sh`) is the unit's ExecStart= and runs the consumer without `-t`
    (HL104).  Discovery does not read a file of that name, so naming it alone read nothing: 'All checks passed! (0
    files checked)' and 'No files hueylint reads found'; now its `#!` line makes it a script named for its context."""
    write_tree(git_repo, {"deploy/worker.service": "[Service]\nType=exec\nUser=app\nRestart=always\n"
                                                   "ExecReload=/bin/kill -HUP $MAINPID\n"
                                                   "ExecStart=/srv/app/bin/runworker\nKillSignal=SIGINT\n"
                                                   "TimeoutStopSec=60\n",
                          "bin/runworker": "#!/bin/sh\nset -e\nexec huey_consumer app.huey -w 2\n"})
    expected = (0, ["bin/runworker:3:6: HL104 [note] no `-t/--shutdown-timeout` (huey version unknown, newest "
                    "assumed): a stuck task holds the shutdown until SIGKILL and is lost without SIGNAL_INTERRUPTED. "
                    "Fix: add `-t 55` (a few seconds below the kill deadline)"], "")
    for named in ([], ["bin/runworker"]):
        assert _check(capsys, *named) == expected, named


SHARED_APP = {
    "app/__init__.py": "",
    "app/tasks.py": """import os

from huey import RedisHuey, signals
from huey.serializer import SignedSerializer

huey = RedisHuey("shop", url=os.environ["REDIS_URL"], serializer=SignedSerializer(secret=os.environ["HUEY_SECRET"]))


@huey.signal(signals.SIGNAL_INTERRUPTED)
def requeue(signal, task, *args, **kwargs):
    huey.enqueue(task)


@huey.task()
@huey.lock_task("sync")
def sync():
    pass
""",
    "requirements.txt": "huey==3.5.4\n",
    "deploy/huey.service": """[Unit]
Description=huey

[Service]
Type=exec
User=app
ExecStart=/srv/venv/bin/huey_consumer app.tasks.huey -w 2 -t 25
KillSignal=SIGINT
TimeoutStopSec=30
Restart=always
ExecReload=/bin/kill -HUP $MAINPID
""",
    "Dockerfile": """FROM python:3.12-slim
COPY . /app
WORKDIR /app
RUN pip install -r requirements.txt
USER app
CMD ["huey_consumer", "app.tasks.huey", "-w", "2", "-t", "25"]
""",
    "compose.yaml": "services:\n  worker:\n    build: .\n    stop_signal: SIGINT\n    stop_grace_period: 30s\n"
                    "    restart: always\n",
}


def test_a_named_unit_weighs_every_consumer_of_its_app(git_repo, capsys):
    """A systemd unit and a compose service run one app, whose lock has no `ttl=`: `-f` at one consumer's start
    would flush the lock the other one's running task holds, so the whole run's HL303 fix is unsafe, and the
    finding names both consumers.  Named alone (pre-commit's `hueylint check deploy/huey.service --fix`), only the
    unit's launch reached the app layer: the fix was safe and `--fix` wrote `-f` into the unit, which the whole run
    refuses to do without `--unsafe-fixes`.  Now the launches running the same app path are linked too."""
    write_tree(git_repo, SHARED_APP)
    hl303 = ("app/tasks.py:15:2: HL303 [warning] `lock_task(\"sync\")` has no `ttl=` and systemd `huey.service` "
             "(deploy/huey.service:7) starts the consumer without `-f/--flush-locks`: a consumer killed while the task "
             "holds the lock leaves it held forever, and every later run fails with TaskLockedException. Fix: start "
             "the consumer with `-f` or give it `ttl=` (huey 3.4+, Redis storages)")
    for named in ([], ["deploy/huey.service"]):
        assert _check(capsys, *named)[:2] == (1, [hl303]), named
        code, out, err = run_cli(capsys, "check", "--no-cache", "--diff", *named)
        assert (code, out) == (0, ""), named
        assert err == ("hueylint: no fix to apply (1 hidden fix can be enabled with the `--unsafe-fixes` "
                       "option)\n"), named
    # with --unsafe-fixes the fix adds `-f` to both consumers: the Dockerfile is not a named path, so not at all
    code, out, err = run_cli(capsys, "check", "--no-cache", "--diff", "--unsafe-fixes", "deploy/huey.service")
    assert (code, out) == (0, "")
    assert "HL303 app/tasks.py:15: fix not applied (the file is outside the checked paths" in err
