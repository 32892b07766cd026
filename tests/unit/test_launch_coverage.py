"""Nothing dropped silently: launches with unknown parts (HL004), candidates dropped, stderr warnings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import lint, triples, write_tree
from tests.unit.chain_scripts import argv, one, run

# -- unknown values: a launch with an unknown part (HL004) ----------------------------------------

def test_variable_assigned_in_a_branch_is_unknown() -> None:
    script = '#!/bin/sh\nif [ -d /srv/app ]; then MANAGE=/srv/app/manage.py; fi\nexec python3 "$MANAGE" run_huey -w 4\n'
    hit = one(run(["/run.sh"], {"/run.sh": script}))
    assert hit.program == "run_huey" and argv(hit) == ["-w", "4"] and not hit.options_unknown
    (part,) = hit.unresolved
    assert part.what == "`$MANAGE`" and part.why.startswith("variable not resolvable: `MANAGE` is assigned on some")
    assert (part.loc.path, part.loc.line, part.loc.col) == ("run.sh", 3, 14)
    assert not hit.wrappers  # exec'd: the wrapper judgement still holds


@pytest.mark.parametrize("choice", ["[ -d /srv/app ] && MANAGE=/srv/app/manage.py",
                                    "test -n \"$LOCAL\" || MANAGE=/srv/app/manage.py",
                                    "case \"$ROLE\" in worker) MANAGE=/srv/app/manage.py ;; esac",
                                    "for d in /srv/app; do MANAGE=$d/manage.py; done",
                                    "(MANAGE=/srv/app/manage.py)"])
def test_assignments_that_may_not_run_leave_the_variable_unknown(choice: str) -> None:
    script = f'#!/bin/sh\n{choice}\nexec python3 "$MANAGE" run_huey -w 4\n'
    hit = one(run(["/run.sh"], {"/run.sh": script}))
    assert hit.program == "run_huey" and hit.unresolved and hit.unresolved[0].what == "`$MANAGE`"


def test_variable_never_assigned_is_unknown_and_named() -> None:
    hit = one(run(["/run.sh"], {"/run.sh": '#!/bin/sh\nexec "$CONSUMER" app.huey -w 4\n'}))
    assert hit.program == "unknown" and hit.options_unknown and hit.args == []
    assert hit.unresolved[0].why == ("variable not resolvable: `CONSUMER` is not assigned in the script nor in "
                                     "the launch's environment")


def test_script_not_in_the_repository_is_unknown() -> None:
    hit = one(run(["/usr/local/bin/run-huey.sh"]))
    assert (hit.program, hit.unresolved[0].what, hit.unresolved[0].why) == (
        "unknown", "script `/usr/local/bin/run-huey.sh`", "not found in the repository")
    hit = one(run(["/usr/bin/sitectl", "run_huey", "-w", "2"]))
    assert hit.program == "run_huey" and hit.options_unknown and hit.args == []
    assert (hit.unresolved[0].what, hit.unresolved[0].why) == (
        "`/usr/bin/sitectl`", "not found in the repository, and not a launcher hueylint knows")


@pytest.mark.parametrize("keyword", [".", "source"])
def test_sourced_script_that_starts_a_consumer_is_unknown_not_silent(keyword: str) -> None:
    """`. ./worker.sh` runs worker.sh in the sourcing shell; hueylint does not follow it, but a sourced repo
    script that starts a consumer is a launch: one hit with an unknown part (HL004), never silence. The
    sourcing shell's hop is not judged (whether the consumer replaces it is in the unfollowed script)."""
    scripts = {"/start.sh": f"#!/bin/sh\nset -e\n{keyword} ./worker.sh\n",
               "./worker.sh": "#!/bin/sh\nexec huey_consumer app.huey -w 2\n"}
    hit = one(run(["/start.sh"], scripts))
    assert (hit.program, hit.args, hit.options_unknown, hit.wrappers) == ("huey_consumer", [], True, [])
    (part,) = hit.unresolved
    assert (part.what, part.why) == ("sourced script `./worker.sh`", "hueylint does not follow `.`/`source` "
                                     "(the script runs in the shell that sources it)")
    assert (part.loc.path, part.loc.line, part.loc.col) == ("start.sh", 3, len(keyword) + 2)
    # a sourced script that starts no consumer (variables, functions) is nothing to report
    assert run(["/start.sh"], {**scripts, "./worker.sh": "#!/bin/sh\nexport HUEY_WORKERS=2\n"}) == []


def test_module_not_in_the_repository_is_unknown() -> None:
    hit = one(run(["python", "-m", "shop.huey_worker"]))
    assert (hit.unresolved[0].what, hit.unresolved[0].why) == ("module `shop.huey_worker`",
                                                               "module not in the repository")


@pytest.mark.parametrize("words", [
    ["/usr/local/bin/start-web.sh"],  # mentions no consumer
    ["gunicorn", "app.wsgi"],
    ["python", "manage.py", "help", "run_huey"],  # another subcommand of a known manage.py
    ["logger", "-t", "run_huey", "starting"],  # the name as an argument of another program
    ["supervisorctl", "restart", "huey_consumer"],
    ["/entrypoint.sh"],
])
def test_commands_that_do_not_look_like_a_consumer_stay_quiet(words: list[str]) -> None:
    assert run(words, {"/entrypoint.sh": '#!/bin/sh\nset -e\nexec "$@"\n'}) == []


# -- through the whole engine ---------------------------------------------------------------------

def test_unit_script_found_by_its_unique_file_name(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "deploy/huey.service": "[Service]\nExecStart=/usr/local/bin/start-worker.sh\nRestart=always\n",
        "ops/bin/start-worker.sh": "#!/bin/sh\nexec /srv/venv/bin/huey_consumer app.huey\n",
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert ("HL101", "deploy/huey.service", 2) in triples(lint(tmp_path))
    assert triples(lint(tmp_path), "HL004") == []


def test_two_scripts_of_that_name_are_not_guessed(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "deploy/huey.service": "[Service]\nExecStart=/usr/local/bin/start-huey.sh\nRestart=always\n",
        "a/start-huey.sh": "#!/bin/sh\nexec /srv/venv/bin/huey_consumer app.huey\n",
        "b/start-huey.sh": "#!/bin/sh\nexec /srv/venv/bin/huey_consumer other.huey\n",
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = lint(tmp_path)
    assert triples(result, "HL004") == [("HL004", "deploy/huey.service", 2)]
    # the rules that do not need the script still run; the ones that need its options stay silent
    assert triples(result, "HL101") == [("HL101", "deploy/huey.service", 2)]
    assert triples(result, "HL104") == []
    (launch,) = result.project.launches
    assert launch.program == "unknown" and launch.unresolved[0].what == "script `/usr/local/bin/start-huey.sh`"


RUN_WITH_APP = '#!/bin/sh\nexec "$APP/venv/bin/huey_consumer" shop.huey -t 50\n'


@pytest.mark.parametrize("config", [
    {"deploy/huey.service": ("[Service]\nEnvironment=APP=/srv/shop\nExecStart=/srv/shop/deploy/run.sh\n"
                             "Restart=always\nKillSignal=SIGINT\nTimeoutStopSec=60\nUser=shop\n"
                             "ExecReload=/bin/kill -HUP $MAINPID\nType=exec\n")},
    {"deploy/huey.conf": ("[program:huey]\ncommand=/srv/shop/deploy/run.sh\nenvironment=APP=\"/srv/shop\"\n"
                          "stopsignal=INT\nstopwaitsecs=60\nuser=shop\n")},
], ids=["systemd-Environment", "supervisord-environment"])
def test_launch_environment_reaches_the_script(tmp_path: Path, config: dict[str, str]) -> None:
    write_tree(tmp_path, {**config, "deploy/run.sh": RUN_WITH_APP})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert launch.program == "huey_consumer" and not launch.unresolved and triples(result) == []


def test_branch_not_taken_is_listed_as_dropped(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: .\n    command: [\"/entrypoint.sh\", \"web\"]\n",
        "Dockerfile": "FROM python:3.12\nCOPY entrypoint.sh /entrypoint.sh\n",
        "entrypoint.sh": ('#!/bin/sh\ncase "$1" in\n  worker) exec python manage.py run_huey ;;\n'
                          '  web) exec gunicorn app.wsgi ;;\nesac\n'),
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = lint(tmp_path)
    assert result.project.launches == []
    (dropped,) = result.project.dropped
    assert (dropped.loc.path, dropped.loc.line) == ("entrypoint.sh", 3)
    assert dropped.why == ("in branch `case \"$1\" in worker)`, which this launch never takes (its arguments and "
                           "environment decide the test)")


def _script_chain(length: int, last: str) -> dict[str, str]:
    """A Procfile running s0.sh, each script exec'ing the next, the last one running ``last``."""
    files = {f"s{n}.sh": f'#!/bin/sh\nexec sh s{n + 1}.sh "$@"\n' for n in range(length)}
    return {**files, f"s{length}.sh": f'#!/bin/sh\n{last}\n', "Procfile": "worker: sh s0.sh -w 2\n"}


def test_scripts_nested_deeper_than_followed_are_never_silent(tmp_path: Path) -> None:
    """A chain of scripts deeper than the chain follows (8 levels) ended in silence, "All checks passed!".
    Where following stops, a chain that leads to a consumer (read ahead, not followed) or mentions huey on
    the way is a launch not followed (HL004 at the word that runs the next script); one that does neither is
    a dropped candidate (`hueylint inspect`)."""
    why = "scripts nested deeper than 8, each running the next"
    for length in (7, 12):
        write_tree(tmp_path, _script_chain(length, 'exec huey_consumer app.huey "$@"'))
        for extra in range(length + 1, 13):
            (tmp_path / f"s{extra}.sh").unlink(missing_ok=True)
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
        result = lint(tmp_path)
        (launch,) = result.project.launches
        assert [(part.what, part.why) for part in launch.unresolved] == [("script `s7.sh`", why)]
        assert ("HL004", "s6.sh", 2) in triples(result)
        assert result.project.dropped == []
    write_tree(tmp_path, _script_chain(12, "exec gunicorn app.wsgi"))
    result = lint(tmp_path)
    assert result.project.launches == [] and triples(result) == []
    (dropped,) = result.project.dropped
    assert (dropped.what, dropped.loc.path, dropped.loc.line, dropped.why) == ("script `s7.sh`", "s6.sh", 2, why)


# -- said on stderr ---------------------------------------------------------------------------------

def _cli(root: Path) -> subprocess.CompletedProcess[str]:

    return subprocess.run([sys.executable, "-m", "hueylint", "check", str(root)], capture_output=True, text=True,
                          cwd=root, timeout=60)


def test_no_deployment_file_is_said_on_stderr_without_failing(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "huey==2.5.2\n", "app.py": "from huey import RedisHuey\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    done = _cli(tmp_path)
    assert done.returncode == 0
    assert done.stderr.startswith("hueylint: warning: no deployment file found under the given path(s)")


def test_no_deployment_file_read_beside_a_consumer_in_a_form_not_read_says_both(tmp_path: Path) -> None:
    """Field (a NixOS module declaring the consumer's systemd service): the notice said where the consumer is
    started and that it was not read, and the warning "no deployment file found" denied that a file was found."""
    module = ("{ config, pkgs, ... }:\n{\n  systemd.services.shop-huey = {\n    wantedBy = [ \"multi-user.target\" ];\n"
              "    serviceConfig.ExecStart = \"${pkgs.shop}/bin/huey_consumer shop.huey -w 2\";\n  };\n}\n")
    write_tree(tmp_path, {"requirements.txt": "huey==2.5.2\n", "app.py": "from huey import RedisHuey\n",
                          "nixos/module.nix": module})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    done = _cli(tmp_path)
    assert done.returncode == 0
    assert "nixos/module.nix:5: notice: `huey_consumer` is run by a systemd service" in done.stdout
    assert done.stderr.startswith("hueylint: warning: no deployment file hueylint reads found under the given path(s)")
    assert done.stderr.rstrip().endswith("how the consumer runs was not checked; the notices say where it is started "
                                         "in a form hueylint does not read")


def test_huey_project_without_a_launch_is_said_on_stderr(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "huey[redis]>=2.4\n", "Procfile": "web: gunicorn app.wsgi\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    done = _cli(tmp_path)
    assert done.returncode == 0
    assert done.stderr == ("hueylint: warning: the project depends on huey, but no consumer launch (huey_consumer, "
                           "run_huey, djangohuey) was found in its deployment files or the scripts they run; "
                           "`hueylint inspect` lists what was considered\n")


def test_a_project_with_a_launch_says_nothing_on_stderr(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements.txt": "huey==2.5.2\n", "Procfile": "worker: huey_consumer app.huey\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert _cli(tmp_path).stderr == ""


def test_repo_file_that_is_not_followed_says_so(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "Procfile": "worker: python run_huey_worker.py\n",
        # a command built at run time (a literal `os.execvp('huey_consumer', [...])` is followed: the consumer)
        "run_huey_worker.py": "import os, sys\nargs = ['huey_consumer', 'app.huey'] + sys.argv[1:]\n"
                              "os.execvp(args[0], args)\n",
    })
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = lint(tmp_path)
    (launch,) = result.project.launches
    assert launch.program == "unknown"
    assert launch.unresolved[0].why == ("`run_huey_worker.py` is not a shell script, and no consumer start was "
                                        "found in it as Python")
    assert triples(result, "HL004") == [("HL004", "Procfile", 1)]


def test_quiet_keeps_stderr_empty(tmp_path: Path) -> None:

    write_tree(tmp_path, {"requirements.txt": "huey==2.5.2\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    done = subprocess.run([sys.executable, "-m", "hueylint", "check", "-q", str(tmp_path)], capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize("command", ['CMD mywrap huey_consumer app.huey -w 4',
                                     'CMD ["/usr/local/bin/with-secrets", "huey_consumer", "app.huey"]'])
def test_an_unfollowed_launcher_is_not_a_command_line_huey_refuses(tmp_path: Path, command: str) -> None:
    """`mywrap huey_consumer app.huey`: the consumer's arguments are not known, so no HL002 ("no import path")
    for arguments hueylint never saw; the launch is HL004 and its stop behaviour is still judged."""
    write_tree(tmp_path, {"Dockerfile": f"FROM python:3.12\nUSER app\n{command}\n"})
    rules = [rule for rule, _, _ in triples(lint(tmp_path))]
    assert "HL004" in rules and "HL101" in rules and "HL002" not in rules


def test_a_configuration_the_run_does_not_use_is_said_on_stderr(tmp_path: Path) -> None:
    """ruff applies the nearest configuration to each file; hueylint applies one to the whole run (found from
    the first checked path). A `deploy/hueylint.toml` ignoring HL101 silently did nothing when the check ran
    from the root, and applied when it ran from `deploy/`: the run says which configuration it did not use."""
    write_tree(tmp_path, {"deploy/huey.service": "[Service]\nExecStart=/v/huey_consumer app.huey\n",
                          "deploy/hueylint.toml": 'ignore = ["HL101"]\n'})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    done = _cli(tmp_path)
    assert done.returncode == 1 and "HL101" in done.stdout
    assert done.stderr == ("hueylint: warning: configuration not used: deploy/hueylint.toml (one configuration applies "
                           "to a whole run, the one found from the first checked path; the run uses none): check that "
                           "folder on its own, or pass --config\n")
    write_tree(tmp_path, {"hueylint.toml": 'select = ["HL1"]\n',
                          "pyproject.toml": '[project]\nname = "x"\n[tool.hueylint]\nignore = ["HL104"]\n'})
    done = _cli(tmp_path)
    # hueylint.toml wins over pyproject.toml in one folder (as ruff.toml over pyproject.toml): "check that folder on
    # its own" would not use pyproject.toml either, so it gets a sentence of its own
    assert done.stderr == ("hueylint: warning: configuration not used: deploy/hueylint.toml (one configuration "
                           "applies to a whole run, the one found from the first checked path; the run uses "
                           "hueylint.toml in .): check that folder on its own, or pass --config\n"
                           "hueylint: warning: configuration not used: pyproject.toml (`hueylint.toml` beside it is "
                           "used instead: in one folder hueylint.toml comes first, then .hueylint.toml, then "
                           "pyproject.toml's [tool.hueylint]): move its settings into `hueylint.toml`, or delete one "
                           "of them\n")
    inside = subprocess.run([sys.executable, "-m", "hueylint", "check", "."], capture_output=True, text=True,
                            cwd=tmp_path / "deploy", timeout=60)
    assert inside.returncode == 1 and "HL101" not in inside.stdout and inside.stderr == ""
