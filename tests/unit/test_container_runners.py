"""A consumer started through a container runner or an unknown program, several words in: a launch not
followed (HL004), never a dropped candidate; a consumer's name given as an argument stays no launch."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.model import CONTAINER_WHY, OPTIONS_WHY
from tests.helpers import lint, triples, write_tree
from tests.unit.chain_scripts import argv, one, run


@pytest.mark.parametrize(("words", "program", "args"), [
    (["docker", "run", "--rm", "-e", "A=1", "img:1", "python", "manage.py", "run_huey", "-w", "4"], "run_huey", ["-w", "4"]),
    (["/usr/bin/podman", "run", "img", "huey_consumer", "app.huey", "-k", "process"], "huey_consumer", ["app.huey", "-k", "process"]),
    (["nerdctl", "run", "-d", "img", "django-admin", "run_huey"], "run_huey", []),
    (["docker", "exec", "web", "./manage.py", "djangohuey", "--queue", "mail"], "djangohuey", ["--queue", "mail"]),
    (["docker", "compose", "-f", "prod.yml", "run", "--rm", "app", "python", "manage.py", "run_huey"], "run_huey", []),
    (["/usr/local/bin/docker-compose", "-p", "shop", "exec", "-T", "app", "manage.py", "run_huey", "-f"], "run_huey", ["-f"]),
])
def test_container_runner_starts_a_launch_whose_stop_is_the_engines(words: list[str], program: str,
                                                                      args: list[str]) -> None:
    hit = one(run(words))
    assert (hit.program, argv(hit), hit.options_unknown) == (program, args, False)
    [part] = hit.unresolved
    runner = " ".join([words[0].rsplit("/", 1)[-1], *(["compose"] if words[1] == "compose" else []),
                       next(word for word in words if word in ("run", "exec"))])
    assert (part.what, part.why) == (f"`{runner}`", CONTAINER_WHY)
    assert hit.user is not None and not hit.user.known  # the container's user, not the platform's


def test_a_consumer_after_the_end_of_options_is_a_launch_not_followed() -> None:
    hit = one(run(["watchexec", "-r", "-e", "py", "--", "huey_consumer", "app.huey", "-w", "2"]))
    assert (hit.program, argv(hit)) == ("huey_consumer", ["app.huey", "-w", "2"])
    assert [p.what for p in hit.unresolved] == ["`watchexec`"]


def test_options_first_go_to_a_program_not_in_the_repository() -> None:
    hit = one(run(["-u", "site", "--", "manage", "run_huey", "-w", "2"]))
    assert (hit.program, argv(hit)) == ("run_huey", ["-w", "2"])
    assert [(p.what, p.why) for p in hit.unresolved] == [("the program that receives `-u`", OPTIONS_WHY)]


@pytest.mark.parametrize("words", [
    ["supervisorctl", "restart", "huey_consumer"],  # a program's name as an argument
    ["docker", "run", "--name", "huey_consumer", "img", "celery", "worker"],  # an option's value
    ["docker", "exec", "web", "python", "manage.py", "help", "run_huey"],  # another subcommand
    ["pkill", "-f", "run_huey"],
])
def test_a_consumer_name_as_an_argument_is_no_launch(words: list[str]) -> None:
    assert run(words) == []


def test_systemd_unit_running_docker_keeps_stop_facts_unknown(tmp_path: Path) -> None:
    """systemd's KillSignal and TimeoutStopSec stop the docker client, not the consumer: no HL101/HL102 from
    them (HL004 says what stops it), and the unit's root user is not the consumer's (no HL701)."""
    write_tree(tmp_path, {"worker.service": "[Service]\nRestart=always\nTimeoutStopSec=5\nExecReload=/bin/kill -HUP $MAINPID\n"
                                             "ExecStart=/usr/bin/docker run --rm img huey_consumer app.huey -t 30\nType=exec\n"})
    assert triples(lint(tmp_path)) == [("HL004", "worker.service", 5)]


def test_a_container_name_before_the_image_does_not_hide_its_consumer() -> None:
    """``--name run_huey`` is an option's value; the consumer the image runs comes later."""
    hit = one(run(["docker", "run", "--rm", "--name", "run_huey", "img", "python", "manage.py", "run_huey", "-w", "2"]))
    assert (hit.program, argv(hit), [p.what for p in hit.unresolved]) == ("run_huey", ["-w", "2"], ["`docker run`"])


@pytest.mark.parametrize(("pin", "fix"), [
    ("huey==2.5.0", "Fix: stop the container with SIGINT, the consumer's graceful signal (`docker run --stop-signal "
                    "SIGINT`, or `STOPSIGNAL SIGINT` in the image), and a deadline above your longest task "
                    "(`docker stop -t 90 NAME`, or `docker run --stop-timeout 90`)"),
    ("huey==3.5.4", "Fix: give the consumer the signal the container receives as its graceful one (`-g TERM` for "
                    "docker's default SIGTERM) and stop the container with a deadline above the consumer's `-t` "
                    "(`docker stop -t 90 NAME`, or `docker run --stop-timeout 90`)"),
])
def test_container_fix_offers_only_the_options_the_pinned_huey_has(tmp_path: Path, pin: str, fix: str) -> None:
    """huey before 3.4 has no -g/-t: the fix that adds them would make the consumer refuse to start."""
    write_tree(tmp_path, {"requirements.txt": f"{pin}\n",
                          "worker.service": "[Service]\nRestart=always\nExecReload=/bin/kill -HUP $MAINPID\n"
                                            "ExecStart=/usr/bin/docker run --rm img huey_consumer app.huey\n"})
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL004"]
    assert finding.message.endswith(fix)


@pytest.mark.parametrize(("words", "runner"), [
    (["docker", "run", "-it", "--rm", "img:1", "sh", "-c", "exec python manage.py run_huey -w 2"], "`docker run`"),
    (["podman", "exec", "web", "bash", "-lc", "exec huey_consumer app.huey -w 2"], "`podman exec`"),
    (["docker", "compose", "run", "--rm", "app", "sh", "-ec", "exec manage.py run_huey -w 2"], "`docker compose run`"),
])
def test_a_shell_string_the_container_runs_is_followed(words: list[str], runner: str) -> None:
    hit = one(run(words))
    assert (argv(hit)[-2:], [(p.what, p.why) for p in hit.unresolved]) == (["-w", "2"], [(runner, CONTAINER_WHY)])
    assert hit.user is not None and not hit.user.known


@pytest.mark.parametrize("words", [
    ["docker", "run", "--rm", "img", "sh", "-c", "echo huey; sleep 3"],
    ["docker", "exec", "web", "sh", "-c", "supervisorctl restart huey_consumer"],
])
def test_a_container_shell_string_without_a_consumer_is_no_launch(words: list[str]) -> None:
    assert run(words) == []


def test_a_shell_in_the_container_is_judged_as_its_pid_1_not_in_the_units_control_group(tmp_path: Path) -> None:
    """`docker run IMAGE sh -c "python manage.py run_huey"`: the consumer was missed entirely (not even a dropped
    candidate). The shell is the container's PID 1: docker stop's signal reaches it, not the consumer (the unit's
    KillMode=control-group holds only the docker client)."""
    write_tree(tmp_path, {"requirements.txt": "huey==2.5.0\n",
                          "worker.service": "[Service]\nRestart=always\nExecReload=/bin/kill -HUP $MAINPID\n"
                                            "ExecStart=/usr/bin/docker run --rm img sh -c \"python manage.py run_huey\"\nType=exec\n"})
    found = lint(tmp_path).findings
    assert [(f.rule, f.loc.line, f.loc.col) for f in found] == [("HL004", 4, 11), ("HL201", 4, 47)]
    assert found[1].message == (
        "`sh -c` stays between the supervisor and the consumer: the consumer is not started with `exec`, so the "
        "shell receives the stop signal and does not pass it on. Fix: `exec` the consumer as the last command, use "
        "the exec (JSON) form, or drop the wrapper")


@pytest.mark.parametrize("words", [
    ["docker", "run", "--rm", "--entrypoint", "huey_consumer", "img:1", "app.huey", "-w", "4"],
    ["podman", "run", "--entrypoint=/usr/local/bin/huey_consumer", "img:1", "app.huey"],
])
def test_the_consumer_as_the_containers_entrypoint_is_a_launch_with_unknown_options(words: list[str]) -> None:
    """Its arguments follow the image, which is not told apart from the runner's options: unknown, not guessed."""
    hit = one(run(words))
    assert (hit.program, argv(hit), hit.options_unknown) == ("huey_consumer", [], True)
    assert [(p.what, p.why) for p in hit.unresolved] == [(f"`{words[0]} run`", CONTAINER_WHY)]


def test_another_entrypoint_beside_a_container_named_for_the_consumer_is_no_launch() -> None:
    assert run(["docker", "run", "--name", "huey_consumer", "--entrypoint", "celery", "img", "worker"]) == []


def test_a_script_around_the_container_client_keeps_the_control_group_reading(tmp_path: Path) -> None:
    """The script's shell and the docker client are in the unit's control group (both receive KillSignal): HL201
    says what breaks there ($MAINPID), not that the stop signal is lost; only a shell in the container is PID 1."""
    write_tree(tmp_path, {"requirements.txt": "huey==2.5.0\n",
                          "start.sh": "#!/bin/sh\ndocker pull img\ndocker run --rm img python manage.py run_huey\n",
                          "worker.service": "[Service]\nRestart=always\nUser=deploy\nExecReload=/bin/kill -HUP $MAINPID\n"
                                            "ExecStart=/srv/start.sh\n"})
    [wrapper] = [f for f in lint(tmp_path).findings if f.rule == "HL201"]
    assert "under systemd `$MAINPID` is the shell, not huey" in wrapper.message


@pytest.mark.parametrize(("spec", "expected"), [
    ("--userspec=app:app ", []),  # chroot(1) runs the command as app
    ("--userspec \"$RUNAS\" ", []),  # a user hueylint cannot expand: unknown, not root
    ("", [("HL701", "a.service", 1)]),  # chroot keeps the unit's user: root
])
def test_chroot_into_another_root_runs_the_consumer_as_its_userspec(tmp_path: Path, spec: str,
                                                                    expected: list[tuple[str, str, int]]) -> None:
    write_tree(tmp_path, {"requirements.txt": "huey==3.5.4\n",
                          "a.service": f"[Service]\nExecStart=/usr/sbin/chroot {spec}/srv/jail /usr/bin/huey_consumer "
                                       "app.huey -g TERM -t 60\nRestart=always\nExecReload=/bin/kill -HUP $MAINPID\n"})
    assert triples(lint(tmp_path), "HL701") == expected


@pytest.mark.parametrize("exec_start, seconds", [
    ("/usr/bin/docker run --rm shop/worker huey_consumer app.huey", None),  # docker stop's deadline, not followed
    ("/srv/venv/bin/huey_consumer app.huey", 85),  # systemd's 90 s default, known
])
def test_hl104_offers_a_timeout_only_below_a_known_deadline(tmp_path: Path, exec_start: str, seconds: int | None) -> None:
    """HL104 names `-t` a few seconds below the kill deadline; where the deadline is not known (a container runner
    stands between) a value chosen blind could sit above the real one, so it says what bounds it and edits nothing."""
    write_tree(tmp_path, {
        "requirements.txt": "huey==3.5.4\n",
        "deploy/tasks.service": f"[Service]\nUser=app\nKillSignal=SIGINT\nExecStart={exec_start}\nRestart=always\n",
        "app.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n"})
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL104"]
    if seconds is None:
        assert finding.fix is None
        assert finding.message.endswith("Fix: add `-t SECONDS`, a few seconds below the kill deadline (not known here: "
                                        f"`docker run` stands between: {CONTAINER_WHY})")
    else:
        assert finding.fix is not None and f"Fix: add `-t {seconds}`" in finding.message


@pytest.mark.parametrize("words", [
    ["docker", "run", "--rm", "--name", "huey_consumer", "some.dotted.image"],
    ["docker", "run", "--rm", "--name=huey_consumer", "shop.app", "serve"],
    ["docker", "run", "-d", "--name", "huey_worker", "-e", "ROLE=huey_consumer", "shop.app:1"],
    ["docker", "run", "--name", "huey_consumer", "registry.example.com/shop.worker:1", "python", "manage.py", "migrate"],
    ["podman", "run", "--rm", "--name", "huey_consumer", "--hostname", "huey_consumer", "my.image"],
    ["nerdctl", "--namespace", "k8s.io", "run", "--name", "huey_consumer", "shop.jobs"],
    ["docker", "container", "run", "-it", "--name", "huey_consumer", "shop.jobs"],
    ["docker", "exec", "-u", "app", "huey_consumer", "some.dotted.thing"],
    ["docker", "compose", "run", "--name", "huey_consumer", "worker"],
    ["docker", "-H", "tcp://build:2375", "run", "-l", "huey_consumer", "shop.jobs.huey"],
])
def test_an_options_value_or_the_image_is_not_the_containers_program(words: list[str]) -> None:
    """``docker run [options] IMAGE [COMMAND]`` read with the client's options that take a value (``--name``,
    ``-e``, ``--hostname``, ``-l``; podman's and nerdctl's, the global ``-H``/``--namespace``): a consumer's name
    as a value, or a dotted image after it, is neither the image nor the container's command (before: a launch
    of ``huey_consumer some.dotted.image``)."""
    assert run(words) == []


@pytest.mark.parametrize(("words", "program", "args"), [
    (["docker", "run", "--rm", "--name", "huey_consumer", "shop.app:1", "huey_consumer", "shop.jobs.huey", "-w", "2"],
     "huey_consumer", ["shop.jobs.huey", "-w", "2"]),
    (["docker", "run", "-it", "-u", "app", "--name", "run_huey", "shop.app", "python", "manage.py", "run_huey"],
     "run_huey", []),
    (["podman", "run", "--pod", "shop", "--secret", "db", "shop.app", "huey_consumer", "shop.jobs.huey"],
     "huey_consumer", ["shop.jobs.huey"]),
    (["docker", "exec", "-it", "huey_consumer", "python", "manage.py", "run_huey", "-w", "2"], "run_huey", ["-w", "2"]),
    (["docker", "run", "--sig-proxy=false", "shop.app", "huey_consumer", "shop.jobs.huey"],
     "huey_consumer", ["shop.jobs.huey"]),
])
def test_the_command_after_the_image_is_the_containers(words: list[str], program: str, args: list[str]) -> None:
    hit = one(run(words))
    assert (hit.program, argv(hit)) == (program, args)
    assert [part.why for part in hit.unresolved] == [CONTAINER_WHY]


@pytest.mark.parametrize("words", [
    # the container's command has an option of its own named like the client's
    ["docker", "run", "--rm", "img", "supervisorctl", "--entrypoint", "huey_consumer"],
    # `-e sh` is a value, `-c` the CPU shares of docker run, the shell string no command the container runs
    ["docker", "run", "-e", "sh", "-c", "512", "img"],
])
def test_client_options_are_read_before_the_image_only(words: list[str]) -> None:
    assert run(words) == []


def test_a_shell_after_an_options_value_is_the_containers() -> None:
    hit = one(run(["docker", "run", "--name", "sh", "-w", "/srv", "img", "sh", "-c", "exec huey_consumer app.huey -w 2"]))
    assert argv(hit) == ["app.huey", "-w", "2"]


@pytest.mark.parametrize("words", [
    # podman-run(1)'s options that take a value, missing from the table: their value was read as the image
    ["podman", "run", "--systemd", "always", "--name", "huey_consumer", "shop.jobs.huey"],
    ["podman", "run", "--health-on-failure", "restart", "--name", "huey_consumer", "shop.jobs.huey"],
    ["podman", "run", "--preserve-fd", "3", "-l", "huey_consumer", "shop.jobs.huey"],
    # an option not known here followed by another option can only be a flag
    ["docker", "run", "--some-new-flag", "--name", "huey_consumer", "shop.jobs.huey"],
    # one before a word: a flag (the word is the image) or taking it (the next word is): in neither reading is the
    # consumer's name the container's program (before: a launch, HL004)
    ["docker", "run", "--some-new-option", "huey_consumer", "shop.jobs.huey"],
    ["docker", "run", "--some-new-option", "value", "--name", "huey_consumer", "shop.jobs.huey"],
    ["podman", "run", "--x-opt", "v", "--name", "huey_consumer", "img:1", "python", "-m", "http.server"],
    ["docker", "run", "--some-new-option", "value", "-l", "huey_consumer", "img"],
])
def test_every_podman_option_with_a_value_is_skipped(words: list[str]) -> None:
    assert run(words) == []


@pytest.mark.parametrize("words", [
    ["podman", "run", "--systemd", "always", "--entrypoint", "huey_consumer", "img:1", "app.huey"],
    # an option not known here before a word: the image is not told apart, the entrypoint is still read
    ["docker", "run", "--some-new-option", "value", "--entrypoint", "huey_consumer", "img:1", "app.huey"],
])
def test_an_entrypoint_after_an_option_with_a_value_is_read(words: list[str]) -> None:
    """(before: the option's value was taken as the image, the entrypoint as the container's command: no launch)"""
    hit = one(run(words))
    assert (hit.program, argv(hit), hit.options_unknown) == ("huey_consumer", [], True)


@pytest.mark.parametrize(("words", "args"), [
    (["docker", "run", "--some-new-flag", "img", "huey_consumer", "app.huey"], ["app.huey"]),
    # an option not known here taking a value: the reading that makes the consumer the container's program
    (["docker", "run", "--some-new-option", "value", "img", "huey_consumer", "app.huey"], ["app.huey"]),
    (["docker", "run", "--a", "1", "--b", "2", "img:1", "huey_consumer", "app.huey", "-w", "2"], ["app.huey", "-w", "2"]),
    (["docker", "run", "--rm", "-dit", "-p", "80:80", "-eROLE=x", "img", "huey_consumer", "app.huey"], ["app.huey"]),
    (["docker", "compose", "--dry-run", "run", "--rm", "-T", "worker", "huey_consumer", "app.huey"], ["app.huey"]),
])
def test_clusters_and_unknown_options_keep_the_consumer_after_the_image(words: list[str], args: list[str]) -> None:
    hit = one(run(words))
    assert (hit.program, argv(hit)) == ("huey_consumer", args)
