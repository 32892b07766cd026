"""Secret managers' launch commands (``doppler run``, ``op run``, ``infisical run``, ``aws-vault exec``,
``chamber exec``, ``envconsul``, ``berglas exec``, ``sops exec-env``): each puts secrets in the environment and
runs the command, read with its real option syntax.  Before: HL004 "not a launcher hueylint knows" (or, for
``sops exec-env FILE 'CMD'``, silence), the options after the wrapper read only as written."""

from __future__ import annotations

import pytest

from hueylint.chain import ConsumerHit, Token, resolve
from hueylint.locations import Loc
from tests.helpers import lint, write_tree

ORIGIN = Loc("deploy/huey.service", 5, 11, 5, 80)
CMD = ["huey_consumer", "app.huey", "-w", "4"]


def run(*words: str) -> list[ConsumerHit]:
    return resolve([Token(w, ORIGIN) for w in words], ORIGIN, None)


@pytest.mark.parametrize(("launcher", "name", "detail"), [
    (["doppler", "run", "--"], "doppler run", "passes the signals"),
    (["doppler", "run", "-p", "backend", "-c", "prd", "--"], "doppler run", "passes the signals"),
    (["doppler", "--token", "dp.st.x", "run", "--fallback", "/tmp/f.json", "--"], "doppler run", "passes the signals"),
    (["doppler", "run", "--forward-signals", "--"], "doppler run", "passes the signals"),
    (["infisical", "run", "--env=prod", "--"], "infisical run", "passes the signals"),
    (["infisical", "run", "-e", "prod", "--path", "/worker", "--"], "infisical run", "passes the signals"),
    (["aws-vault", "exec", "prod", "--"], "aws-vault exec", "replaces itself"),
    (["aws-vault", "exec", "-d", "1h", "prod", "--"], "aws-vault exec", "replaces itself"),
    (["aws-vault", "--backend", "file", "exec", "prod"], "aws-vault exec", "replaces itself"),
    (["aws-vault", "exec", "--ecs-server", "prod", "--"], "aws-vault exec", "passes the signals"),
    (["chamber", "exec", "worker", "--"], "chamber exec", "replaces itself"),
    (["chamber", "exec", "global", "worker", "--"], "chamber exec", "replaces itself"),
    (["chamber", "-r", "3", "exec", "worker", "--"], "chamber exec", "replaces itself"),
    (["berglas", "exec", "--"], "berglas exec", "passes the signals"),
    (["berglas", "exec", "--local", "--"], "berglas exec", "passes the signals"),
    (["op", "run", "--"], "op run", "as its child"),
    (["op", "run", "--env-file=.env", "--no-masking", "--"], "op run", "as its child"),
    (["op", "run", "--env-file", "prod.env", "--"], "op run", "as its child"),
    (["envconsul", "-prefix", "worker"], "envconsul", "as its child"),
    (["envconsul", "-prefix=worker", "-upcase", "-sanitize"], "envconsul", "as its child"),
    (["envconsul", "-consul-addr", "127.0.0.1:8500", "-once", "-prefix", "x", "--"], "envconsul", "as its child"),
])
def test_secret_runners_run_the_command_after_their_options(launcher: list[str], name: str, detail: str) -> None:
    """The command after each tool's options (a value after ``-p``/``--env-file``/``-prefix``, the profile of
    aws-vault, chamber's services until its required ``--``) is the consumer's, its options read."""
    [hit] = run(*launcher, *CMD)
    assert (hit.program, [t.text for t in hit.args]) == ("huey_consumer", CMD[1:])
    assert not hit.wrappers and not hit.unresolved
    [hop] = hit.hops
    assert (hop.name, hop.passes_signal) == (name, True) and detail in hop.detail


@pytest.mark.parametrize("words", [
    ["doppler", "run", "--command", "exec huey_consumer app.huey -w 4"],
    ["doppler", "run", "--command=exec huey_consumer app.huey -w 4"],
    ["infisical", "run", "--env=prod", "--command", "exec huey_consumer app.huey -w 4"],
    ["infisical", "run", "-c", "exec huey_consumer app.huey -w 4"],
    ["sops", "exec-env", "--same-process", "secrets.enc.json", "exec huey_consumer app.huey -w 4"],
    ["envconsul", "-prefix", "worker", "-exec", "exec huey_consumer app.huey -w 4"],
])
def test_a_command_string_is_run_by_a_shell(words: list[str]) -> None:
    """``--command STRING`` (doppler, infisical), sops's COMMAND and envconsul's ``-exec``: a string a shell runs."""
    [hit] = run(*words)
    assert (hit.program, [t.text for t in hit.args]) == ("huey_consumer", CMD[1:])
    assert [hop.name for hop in hit.hops][:2] == [" ".join(words[:2]) if words[0] != "envconsul" else "envconsul",
                                                  "sh -c"]
    assert not hit.wrappers


def test_doppler_without_forwarding_signals_forks() -> None:
    """``--forward-signals=false``: doppler runs the consumer as its child and relays nothing (HL201)."""
    [hit] = run("doppler", "run", "--forward-signals=false", "--", *CMD)
    assert [(hop.name, hop.passes_signal) for hop in hit.hops] == [("doppler run", False)]
    [problem] = hit.wrappers
    assert (problem.kind, problem.shell, problem.how) == ("forks", "`doppler run`", "forward-signals")


@pytest.mark.parametrize("words", [
    ["doppler", "secrets", "download", "huey_consumer"],
    ["chamber", "exec", "worker", *CMD],  # no `--`: chamber refuses the command
    ["op", "read", "op://vault/huey_consumer/token"],
    ["sops", "-d", "huey_consumer.enc.json"],
])
def test_other_commands_of_the_tools_start_nothing(words: list[str]) -> None:
    assert run(*words) == []


def test_sops_user_is_the_consumers() -> None:
    [hit] = run("sops", "exec-env", "--same-process", "--user", "app", "s.enc.json", "exec huey_consumer app.huey")
    assert hit.user is not None and hit.user.value == "app"


def test_unverified_forwarding_is_a_notice_and_the_launch_is_judged(tmp_path) -> None:
    """op run, envconsul and sops without ``--same-process`` run the consumer as their child, relaying the stop
    signal in a way not followed: a launch whose options are read, and a notice saying so; never silence."""
    write_tree(tmp_path, {
        "requirements.txt": "huey==2.5.2\n",
        "app.py": "from huey import RedisHuey\nhuey = RedisHuey('x')\n",
        "deploy/op.service": "[Service]\nType=exec\nKillSignal=SIGINT\n"
                             "ExecStart=/usr/bin/op run --env-file=prod.env -- huey_consumer app.huey -w 2\n",
        "deploy/sops.service": "[Service]\nType=exec\nKillSignal=SIGINT\n"
                               "ExecStart=/usr/bin/sops exec-env s.enc.json 'exec huey_consumer app.huey -w 2'\n",
    })
    result = lint(tmp_path)
    assert sorted((f.rule, f.loc.path) for f in result.findings if f.rule in ("HL004", "HL101", "HL201")) == []
    notices = [n.reason for n in result.notices if "runs the consumer as its child process" in n.reason]
    assert len(notices) == 2
    assert any(n.startswith("line 4: `op run`") for n in notices)
    assert any("`--same-process`" in n for n in notices)


def test_dotenv_run_is_judged_as_its_newer_releases_run_it_with_a_notice(tmp_path) -> None:
    """python-dotenv 1.1.0 and later exec the command (CHANGELOG #523), older ones Popen and wait: the installed
    release is not followed, so the launch is judged as 1.1.0 runs it, with a notice."""
    write_tree(tmp_path, {
        "requirements.txt": "huey==2.5.2\n",
        "app.py": "from huey import RedisHuey\nhuey = RedisHuey('x')\n",
        "deploy/huey.service": "[Service]\nType=exec\nKillSignal=SIGINT\n"
                               "ExecStart=/srv/venv/bin/dotenv -f /srv/.env run -- huey_consumer app.huey -w 2\n",
    })
    result = lint(tmp_path)
    assert [f.rule for f in result.findings if f.rule in ("HL004", "HL101", "HL201")] == []
    [notice] = [n.reason for n in result.notices if "python-dotenv" in n.reason]
    assert notice.startswith("line 4: `dotenv run` replaces itself by the consumer in python-dotenv 1.1.0 and later")
