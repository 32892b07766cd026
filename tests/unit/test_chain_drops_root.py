"""Privilege-dropping launchers and entrypoints that drop root (``exec gosu app "$0" "$@"``): the user the
chain runs the consumer as (:attr:`ConsumerHit.user`), and tests of the current user (:mod:`hueylint.uid_tests`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.chain import ConsumerHit, Token, resolve
from hueylint.locations import Loc
from hueylint.shell import Guard, parse_script
from hueylint.sources import SourceFile
from hueylint.uid_tests import uid_subject, uid_test_passes
from tests.helpers import lint, write_tree

ORIGIN = Loc("Dockerfile", 9, 1, 9, 40)
CMD = ["huey_consumer", "app.huey", "-w", "4"]


class Image:
    """An image that holds ``/entrypoint.sh`` and starts as ``launch_user`` (None: not known)."""

    def __init__(self, script: str, launch_user: str | None = "root") -> None:
        self.file = SourceFile(Path("docker/entrypoint.sh"), "docker/entrypoint.sh", script)
        self.launch_user = launch_user

    def script(self, word: str, origin: Loc) -> SourceFile | None:
        return self.file if word == "/entrypoint.sh" else None


def run(script: str, launch_user: str | None = "root") -> list[ConsumerHit]:
    words = ["/entrypoint.sh", *CMD]
    return resolve([Token(w, ORIGIN) for w in words], ORIGIN, Image(script, launch_user))


def user_of(hits: list[ConsumerHit]) -> str | None:
    """The user the one consumer hit runs as (None: the launch's own)."""
    assert len(hits) == 1, hits
    hit = hits[0]
    assert [t.text for t in hit.args] == CMD[1:]
    assert not hit.wrappers and not hit.unresolved
    return None if hit.user is None else hit.user.value


DROPS = {
    "gosu": 'if [ "$(id -u)" = \'0\' ]; then\n  chown app /data\n  exec gosu app "$0" "$@"\nfi\nexec "$@"\n',
    "su-exec -eq": '[ "$(id -u)" -eq 0 ] && exec su-exec app:app "$0" "$@"\nexec "$@"\n',
    "setpriv": 'if [ "$(id -u)" = 0 ]; then exec setpriv --reuid app --regid app --init-groups "$0" "$@"; fi\n'
               'exec "$@"\n',
    "setpriv =": 'if [ "$(id -u)" = 0 ]; then exec setpriv --reuid=app --clear-groups "$0" "$@"; fi\nexec "$@"\n',
    "chroot": 'if [ `whoami` = root ]; then exec chroot --userspec=app:app / "$0" "$@"; fi\nexec "$@"\n',
    "s6-setuidgid": 'if test "`id -u`" = 0; then exec s6-setuidgid app "$0" "$@"; fi\nexec "$@"\n',
    "chpst": 'if [ "$(id -u)" -eq 0 ]; then exec chpst -u app:app "$0" "$@"; fi\nexec "$@"\n',
    "sudo -u": 'if [ "$(id -u)" = 0 ]; then exec sudo -E -u app "$0" "$@"; fi\nexec "$@"\n',
    "else branch": 'if [ "$(id -u)" != 0 ]; then exec "$@"; else exec gosu app "$0" "$@"; fi\n',
}


@pytest.mark.parametrize("name", sorted(DROPS))
def test_entrypoint_dropping_root_runs_the_consumer_as_the_dropped_user(name: str) -> None:
    assert user_of(run("#!/bin/sh\n" + DROPS[name])) == "app"


@pytest.mark.parametrize("variable", ["$UID", "${EUID}"])
def test_bash_uid_variables_are_the_current_uid(variable: str) -> None:
    script = f'#!/usr/bin/env bash\nif [[ "{variable}" -eq 0 ]]; then exec gosu app "$0" "$@"; fi\nexec "$@"\n'
    assert user_of(run(script)) == "app"


def test_uid_variable_under_sh_is_not_modelled_and_stays_as_before() -> None:
    # dash sets no $UID: the test is not read, and the script's own re-run is not followed (as before)
    script = '#!/bin/sh\nif [ "$UID" = 0 ]; then exec gosu app "$0" "$@"; fi\nexec "$@"\n'
    assert user_of(run(script)) is None


def test_started_as_another_user_the_drop_branch_is_not_taken() -> None:
    # USER app in the image: `exec "$@"` runs as the launch's user, nothing replaces it
    assert user_of(run("#!/bin/sh\n" + DROPS["gosu"], launch_user="app")) is None
    assert user_of(run("#!/bin/sh\n" + DROPS["gosu"], launch_user="1000")) is None


def test_unknown_launch_user_leaves_the_user_to_the_platform() -> None:
    # a base image that sets a user hueylint cannot see: the test is undecided, the launch's user stays
    assert user_of(run("#!/bin/sh\n" + DROPS["gosu"], launch_user=None)) is None


def test_a_test_that_keeps_root_keeps_the_launch_user() -> None:
    script = '#!/bin/sh\nif [ "$(id -u)" != 0 ]; then exec gosu app "$0" "$@"; fi\nexec "$@"\n'
    assert user_of(run(script)) is None


def test_a_branch_that_does_not_exec_does_not_end_the_script() -> None:
    # `gosu app true` runs and returns: the consumer after the `if` still runs as root
    script = '#!/bin/sh\nif [ "$(id -u)" = 0 ]; then gosu app true; fi\nexec "$@"\n'
    assert user_of(run(script)) is None


def test_launcher_user_carried_to_the_consumer() -> None:
    hits = resolve([Token(w, ORIGIN) for w in ["gosu", "app:app", *CMD]], ORIGIN, None)
    assert user_of(hits) == "app"
    assert hits[0].user is not None and hits[0].user.loc == ORIGIN
    root = resolve([Token(w, ORIGIN) for w in ["su-exec", "root", *CMD]], ORIGIN, None)
    assert user_of(root) == "root"


@pytest.mark.parametrize(("words", "user"), [(["sudo", "-u#0"], "0"), (["sudo", "-u", "#1000"], "1000"),
                                             (["sudo", "--user=#0"], "0"), (["sudo", "-u", "root"], "root")])
def test_sudo_user_named_by_uid(words: list[str], user: str) -> None:
    """sudo(8): ``-u '#0'`` names the user by its uid (the ``#`` is not part of a name): uid 0 is root."""
    assert user_of(resolve([Token(w, ORIGIN) for w in [*words, *CMD]], ORIGIN, None)) == user


def test_innermost_launcher_wins() -> None:
    hits = resolve([Token(w, ORIGIN) for w in ["gosu", "root", "setpriv", "--reuid=1000", *CMD]], ORIGIN, None)
    assert user_of(hits) == "1000"


def test_launcher_user_from_an_unknown_variable_is_unknown() -> None:
    hits = resolve([Token(w, ORIGIN) for w in ["gosu", "$APP_USER", *CMD]], ORIGIN, None)
    assert len(hits) == 1 and hits[0].user is not None
    assert not hits[0].user.known and "`$APP_USER`" in hits[0].user.unknown


def test_su_user_dash_c() -> None:
    hits = resolve([Token(w, ORIGIN) for w in ["su", "-s", "/bin/sh", "app", "-c", "exec huey_consumer app.huey"]],
                   ORIGIN, None)
    assert len(hits) == 1 and hits[0].user is not None and hits[0].user.value == "app"


def test_runuser_su_form_is_su_and_chroot_elsewhere_is_not_a_launcher() -> None:
    """``runuser USER -c CMD`` is su's form (util-linux builds both from su-common.c): the consumer runs as USER
    in a child of runuser and a shell, HL201 (it was no launch at all: silence).  chroot into another root
    runs files that are not the repository's: a launch not followed (HL004), its options as written."""
    [jailed] = resolve([Token(w, ORIGIN) for w in ["chroot", "/srv/jail", *CMD]], ORIGIN, None)
    assert (jailed.program, [t.text for t in jailed.args], jailed.options_unknown) == \
        ("huey_consumer", ["app.huey", "-w", "4"], False)
    assert [(u.what, u.why) for u in jailed.unresolved] == \
        [("`chroot`", "it runs the consumer under another root directory, whose files are not the repository's")]
    [hit] = resolve([Token(w, ORIGIN) for w in ["runuser", "-l", "app", "-c", "exec huey_consumer app.huey"]],
                    ORIGIN, None)
    assert hit.program == "huey_consumer" and hit.user is not None and hit.user.value == "app"
    assert [(p.kind, p.shell) for p in hit.wrappers] == [("su", "`runuser -c`")]


@pytest.mark.parametrize(("words", "user"), [
    (["sudo", "-Eu", "root"], "root"), (["sudo", "-iuapp"], "app"), (["sudo", "-E", "-u", "app"], "app"),
    (["chpst", "-vu", "app"], "app"),
])
def test_user_option_in_a_cluster_of_short_options(words: list[str], user: str) -> None:
    """getopt's clusters (``sudo -Eu root``): the user is the clustered option's value (``root`` was taken for
    the program, an unknown one: HL004 and no HL701)."""
    assert user_of(resolve([Token(w, ORIGIN) for w in [*words, *CMD]], ORIGIN, None)) == user


def guard(test: str) -> Guard:
    script = parse_script(f"#!/bin/sh\nif {test}; then exec x; fi\n")
    return script.commands[0].guards[0]


@pytest.mark.parametrize("test, user, passes", [
    ('[ "$(id -u)" = 0 ]', "root", True),
    ('[ "$(id -u)" = 0 ]', "app", False),
    ('[ "$(id -u)" = 0 ]', "1000", False),
    ('[ "$(id -u)" -ne 0 ]', "app", True),
    ('[ "$(id -u)" = 1000 ]', "app", None),  # a name against a uid other than root: not known
    ('[ "$(id -u)" = 1000 ]', "1000", True),
    ('[ "$(whoami)" = app ]', "1000", None),
    ('[ "$(whoami)" != root ]', "1000", True),
    ('[ "$(id -nu)" = root ]', "0", True),
])
def test_uid_test_passes(test: str, user: str, passes: bool | None) -> None:
    g = guard(test)
    kind = uid_subject(g.subject, "sh")
    assert kind is not None
    assert uid_test_passes(g, kind, user) is passes


@pytest.mark.parametrize("subject, interpreter, kind", [
    ("$(id -u)", "sh", "uid"), ("`id -u`", "", "uid"), ("$(id -u -n)", "sh", "name"), ("$(whoami)", "sh", "name"),
    ("$UID", "bash", "uid"), ("$UID", "sh", None), ("$(id -u app)", "sh", None), ("$(id -g)", "sh", None),
    ("$(id --user)", "sh", None), ("$USER", "bash", None),
])
def test_uid_subject(subject: str, interpreter: str, kind: str | None) -> None:
    assert uid_subject(subject, interpreter) == kind


def test_chpst_dash_capital_u_only_sets_variables() -> None:
    # chpst(8): -U user sets $UID and $GID for the command, it does not switch user (-u does)
    assert user_of(resolve([Token(w, ORIGIN) for w in ["chpst", "-U", "app", *CMD]], ORIGIN, None)) is None
    assert user_of(resolve([Token(w, ORIGIN) for w in ["chpst", "-u", ":1000:1000", *CMD]], ORIGIN, None)) == "1000"


def test_docker_library_function_form_with_bash_source() -> None:
    # docker-library's postgres/mysql entrypoints: `_main` re-runs "$BASH_SOURCE" (bash: the script as invoked)
    script = ('#!/usr/bin/env bash\nset -Eeo pipefail\n_main() {\n  if [ "$(id -u)" = \'0\' ]; then\n'
              '    chown app /data\n    exec gosu app "$BASH_SOURCE" "$@"\n  fi\n  exec "$@"\n}\n_main "$@"\n')
    assert user_of(run(script)) == "app"


def test_bash_source_is_unset_under_sh() -> None:
    # dash sets no BASH_SOURCE: the re-run cannot be followed (HL004), and it runs as app if it runs at all
    script = '#!/bin/sh\n_main() {\n  if [ "$(id -u)" = 0 ]; then exec gosu app "$BASH_SOURCE" "$@"; fi\n  exec "$@"\n}\n_main "$@"\n'
    hits = run(script)
    assert len(hits) == 1 and hits[0].unresolved and hits[0].unresolved[0].what == "`$BASH_SOURCE`"
    assert hits[0].user is not None and hits[0].user.value == "app"


def test_set_dash_dash_under_a_decided_uid_test() -> None:
    # `set -- gosu app "$@"` in the branch root takes: `exec "$@"` then runs gosu app CMD
    script = '#!/bin/sh\nif [ "$(id -u)" = 0 ]; then\n  set -- gosu app "$@"\nfi\nexec "$@"\n'
    assert user_of(run(script)) == "app"
    assert user_of(run(script, launch_user="app")) is None
    assert user_of(run(script, launch_user=None)) is None  # undecided: the arguments stay as before
    stays = '#!/bin/sh\nif [ "$(id -u)" != 0 ]; then\n  set -- gosu app "$@"\nfi\nexec "$@"\n'
    assert user_of(run(stays)) is None


def test_a_drop_to_a_user_hueylint_cannot_expand_reruns_the_script_as_an_unknown_user() -> None:
    """``exec gosu "$APP_USER" "$0" "$@"`` run as root: the script is followed once more as that unknown user
    (the consumer after the drop was cut off and never followed back: no launch at all)."""
    script = '#!/bin/sh\nif [ "$(id -u)" = 0 ]; then exec gosu "$APP_USER" "$0" "$@"; fi\nexec "$@"\n'
    hits = run(script)
    assert len(hits) == 1 and [t.text for t in hits[0].args] == CMD[1:]
    assert hits[0].user is not None and not hits[0].user.known and "`$APP_USER`" in hits[0].user.unknown


def test_a_drop_running_a_program_hueylint_cannot_read_leaves_the_rest_possible() -> None:
    """``exec gosu app "$(readlink -f "$0")"`` (no consumer in its words, so nothing to report there): what the
    exec runs is not known, so the code after it stays possible (as root, the launch's user), never silence."""
    script = ('#!/bin/sh\nif [ "$(id -u)" = 0 ]; then exec gosu app "$(readlink -f "$0")" "$@"; fi\n'
              'exec huey_consumer app.huey -w 4\n')
    hits = resolve([Token("/entrypoint.sh", ORIGIN)], ORIGIN, Image(script))
    assert len(hits) == 1 and [t.text for t in hits[0].args] == CMD[1:] and hits[0].user is None


@pytest.mark.parametrize(("launch_user", "user"), [("root", "app"), ("app", None), (None, None)])
def test_an_unconditional_drop_after_a_test_that_lets_other_users_through(launch_user: str | None,
                                                                          user: str | None) -> None:
    """``if [ "$(id -u)" != 0 ]; then exec "$@"; fi; exec gosu app "$0" "$@"``: run as root the script goes on to
    re-run itself as app (it was no launch at all: the branch is not taken as root and the re-run not followed)."""
    script = '#!/bin/sh\nif [ "$(id -u)" != 0 ]; then exec "$@"; fi\nexec gosu app "$0" "$@"\n'
    assert user_of(run(script, launch_user)) == user


@pytest.mark.parametrize("files, at", [
    ({"deploy/jobs.conf": "[program:jobs]\ncommand=su jobs -c \"huey_consumer app.huey\"\nstopsignal=INT\n"},
     ("deploy/jobs.conf", 2)),
    ({"jobs.service": "[Service]\nType=exec\nUser=root\nKillSignal=SIGINT\nRestart=always\n"
                      "ExecReload=/bin/kill -HUP $MAINPID\nExecStart=/bin/su jobs -c 'huey_consumer app.huey'\n"},
     ("jobs.service", 7)),
    ({"Dockerfile": "FROM python:3.12-slim\nSTOPSIGNAL SIGINT\nCMD [\"runuser\", \"jobs\", \"-c\", \"huey_consumer app.huey\"]\n"},
     ("Dockerfile", 3)),
], ids=["supervisord", "systemd", "dockerfile"])
def test_su_c_is_hl201_without_an_exec_fix(tmp_path, files, at) -> None:
    """su/runuser fork a waiting parent whatever the command does (SIGTERM to it, SIGKILL 2 s later): HL201 says
    so, and offers no `exec` edit inside the string, which would change nothing (field: gpchelkin/scdlbot)."""
    write_tree(tmp_path, {**files, "app.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n"})
    found = [f for f in lint(tmp_path).findings if f.rule == "HL201"]
    assert [(f.loc.path, f.loc.line) for f in found] == [at]
    assert found[0].fix is None and "SIGKILL 2 s later" in found[0].message and "`exec gosu USER`" in found[0].message


SU_FORMS = {
    # util-linux su-common.c: without -c su runs SHELL (-s) with the words after the user (getopt permutes and
    # takes `--` away); runuser -u runs the command itself; both from a forked, watching parent
    "su -s $0": 'if [ "$(id -u)" = 0 ]; then exec su -s "$0" app -- "$@"; fi\nexec "$@"\n',
    "runuser -u": 'if [ "$(id -un)" = "root" ]; then exec runuser -u app -- "$0" "$@"; fi\nexec "$@"\n',
    "runuser --user=": 'if [ "$(id -u)" = 0 ]; then exec runuser --user=app -- "$0" "$@"; fi\nexec "$@"\n',
}


@pytest.mark.parametrize("name", sorted(SU_FORMS))
def test_su_and_runuser_without_c_re_run_the_script_as_the_user_behind_a_watching_parent(name: str) -> None:
    """The script re-runs itself as `app` (its uid test then takes `exec "$@"`), behind su's watching parent:
    a launcher hop that passes no signal on and an `su` wrapper of the same-session kind (HL201)."""
    [hit] = run("#!/bin/sh\n" + SU_FORMS[name])
    assert [t.text for t in hit.args] == CMD[1:] and not hit.unresolved
    assert hit.user is not None and hit.user.value == "app"
    assert [(p.kind, p.how) for p in hit.wrappers] == [("su", "same-session")]
    [su] = [h for h in hit.hops if h.name in ("su", "runuser -u")]
    assert su.kind == "launcher" and not su.passes_signal


@pytest.mark.parametrize(("words", "user"), [
    (["runuser", "-lu", "app", "--"], "app"), (["runuser", "-u", "app", "--"], "app"), (["runuser", "-u", "$U", "--"], None),
])
def test_runuser_u_is_a_watching_parent_not_an_exec_launcher(words: list[str], user: str | None) -> None:
    """runuser -u forks as su does (``create_watching_parent`` before the execvp): SIGTERM to the child, SIGKILL
    2 s later; it was modelled as a launcher that execs (silence)."""
    [hit] = resolve([Token(w, ORIGIN) for w in [*words, *CMD]], ORIGIN, None)
    assert [t.text for t in hit.args] == CMD[1:]
    assert [(p.kind, p.shell) for p in hit.wrappers] == [("su", "`runuser -u`")]
    assert hit.user is not None and (hit.user.value == user if user else not hit.user.known)


def test_su_without_shell_option_runs_the_login_shell_not_followed() -> None:
    """``su app -- -c "huey_consumer ..."``: the user's login shell comes from the password database: HL004."""
    [hit] = resolve([Token(w, ORIGIN) for w in ["su", "app", "--", "-c", "huey_consumer app.huey"]], ORIGIN, None)
    assert hit.program == "unknown" and hit.options_unknown and hit.user is not None and hit.user.value == "app"
    assert [u.what for u in hit.unresolved] == ["`su app --`"]
    assert "login shell" in hit.unresolved[0].why
    assert resolve([Token(w, ORIGIN) for w in ["su", "app"]], ORIGIN, None) == []


def test_su_c_arguments_are_the_strings_positional_parameters() -> None:
    """``su app -c 'exec "$@"' sh huey_consumer app.huey``: the words after the string are its $0, $1 ... ."""
    [hit] = resolve([Token(w, ORIGIN) for w in ["su", "app", "-c", 'exec "$@"', "--", "sh", *CMD]], ORIGIN, None)
    assert [t.text for t in hit.args] == CMD[1:] and hit.user is not None and hit.user.value == "app"
    assert [(p.kind, p.shell) for p in hit.wrappers] == [("su", "`su -c`")]


def test_su_options_after_the_command_are_su_s_own() -> None:
    """getopt permutes su's words (optstring without ``+``): without ``--``, the consumer's ``-w 4`` is runuser's
    ``--whitelist-environment 4``, so the consumer never gets it."""
    [hit] = resolve([Token(w, ORIGIN) for w in ["runuser", "-u", "app", *CMD]], ORIGIN, None)
    assert [t.text for t in hit.args] == ["app.huey"]


@pytest.mark.parametrize(("signal", "options", "reported"), [
    ("SIGINT", "", False), ("SIGTERM", " -g TERM -t 30", True), ("SIGINT", " -g TERM -t 30", True),
])
def test_runuser_u_under_systemd_sigint_reaches_the_consumer_directly(tmp_path, signal, options, reported) -> None:
    """runuser -u blocks SIGINT (same session); under systemd's KillMode=control-group KillSignal=SIGINT reaches the
    consumer itself, which stops gracefully while runuser waits: no HL201.  SIGTERM reaches runuser's handler:
    SIGTERM to its child, SIGKILL 2 s later (HL201)."""
    write_tree(tmp_path, {
        "huey.service": f"[Service]\nType=exec\nKillSignal={signal}\nTimeoutStopSec=60\nRestart=always\n"
                        "ExecReload=/bin/kill -HUP $MAINPID\n"
                        f"ExecStart=/sbin/runuser -u app -- /srv/venv/bin/huey_consumer app.huey{options}\n",
        "app.py": "from huey import RedisHuey\nhuey = RedisHuey('app')\n"})
    found = [f for f in lint(tmp_path).findings if f.rule == "HL201"]
    assert bool(found) is reported
