"""PaaS manifests: Fly.io (fly.toml), Render (render.yaml), heroku.yml and the app manifests beside a Procfile (app.json,
scalingo.json): the formats, the fly.toml parser, and the builders' launches."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.formats import name_format, sniff_bytes
from hueylint.parsers import ParseError
from hueylint.parsers.flytoml import Spot, parse
from hueylint.sources import SourceFile
from tests.helpers import lint, triples, write_tree

REQS = {"requirements.txt": "huey==3.5.4\n"}


def src(text: str, rel: str = "fly.toml") -> SourceFile:
    return SourceFile(Path(rel), rel, text)


def launches(tmp_path: Path, files: dict[str, str]):
    write_tree(tmp_path, {**REQS, **files})
    result = lint(tmp_path)
    return result, result.project.launches


# -- formats --------------------------------------------------------------------------------------

@pytest.mark.parametrize("rel, fmt", [
    ("fly.toml", "fly"), ("deploy/fly.production.toml", "fly"), ("render.yaml", "render"), ("render.yml", "render"),
    ("railway.toml", "?paas"), ("railway.json", "?paas"), ("heroku.yml", "heroku"), ("heroku.yaml", "heroku"), ("app.json", "?paas"),
    (".do/app.yaml", "?paas"), ("fly.yaml", "?paas"), ("flyer.toml", None),
])
def test_paas_manifest_names(rel, fmt):
    assert name_format(rel) == fmt


def test_other_paas_manifests_naming_a_consumer_get_a_notice():
    fmt, reason = sniff_bytes("?paas", b"services:\n- name: w\n  run_command: python manage.py run_huey\n", ".do/app.yaml")
    assert fmt == ""
    assert reason == ("mentions `run_huey` but is not a PaaS manifest hueylint recognises (Procfile, fly.toml, "
                      "render.yaml): not checked")
    assert sniff_bytes("?paas", b'{"name": "app"}', "app.json") == ("", None)


# -- the fly.toml parser --------------------------------------------------------------------------

def test_fly_parser_places_keys_strings_and_array_items():
    fly = parse(src('kill_signal = "SIGTERM"\n[experimental]\n  cmd = ["huey_consumer",\n    \'app.huey\']\n'
                    "[processes]\n  worker = 'huey_consumer app.huey -w 2'\n[[restart]]\n  policy = \"never\"\n"))
    signal = fly.spot("", "kill_signal")
    assert signal is not None and signal.strings == [("SIGTERM", Spot(1, 16, 23))]
    cmd = fly.spot("experimental", "cmd")
    assert cmd is not None and cmd.strings == [("huey_consumer", Spot(3, 11, 24)), ("app.huey", Spot(4, 6, 14))]
    worker = fly.spot("processes", "worker")
    assert worker is not None and worker.strings[0] == ("huey_consumer app.huey -w 2", Spot(6, 13, 40))
    assert fly.spot("restart", "policy") is not None


def test_fly_parser_skips_the_lines_of_multi_line_strings_and_reads_quoted_keys_whole():
    """A multi-line string's lines are not keys nor headers (an [env] value holding `[processes]` and
    `worker = ...` placed the real worker there); a triple-quoted string on one line is placed at its content;
    a quoted key with a dot is one key."""
    text = ('[env]\n  NOTE = """\n[processes]\nworker = "x"\n"""\n  ESC = """a \\""" b"""\n'
            '[processes]\n  worker = """huey_consumer app.huey"""\n'
            "  'odd.name' = '''huey_consumer app.huey -w 2'''\n")
    fly = parse(src(text))
    worker = fly.spot("processes", "worker")
    assert worker is not None and worker.key.line == 8
    assert worker.strings == [("huey_consumer app.huey", Spot(8, 15, 37))] and worker.value == Spot(8, 12, 40)
    odd = fly.spot("processes", "odd.name")
    assert odd is not None and odd.strings == [("huey_consumer app.huey -w 2", Spot(9, 19, 46))]
    assert fly.spot("env", "ESC") is not None and fly.spot("", "worker") is None and len(fly.headers) == 2


def test_fly_multi_line_process_command_words_point_at_its_value(tmp_path):
    _, [launch] = launches(tmp_path, {"fly.toml": '[processes]\n  worker = """huey_consumer\n  app.huey -w 3"""\n'})
    assert launch.argv == ("app.huey", "-w", "3") and launch.app is not None
    workers = launch.options["workers"]
    assert (launch.app.loc.line, launch.app.loc.col, workers.loc.line, workers.loc.col) == (2, 12, 2, 12)


def test_fly_parser_refuses_bad_toml_at_its_line():
    with pytest.raises(ParseError) as info:
        parse(src('app = "x"\nkill_timeout = = 5\n'))
    assert info.value.line == 2


# -- the Fly builder ------------------------------------------------------------------------------

def test_fly_process_group_defaults_sigint_and_five_seconds(tmp_path):
    result, found = launches(tmp_path, {"fly.toml": '[processes]\n  worker = "huey_consumer app.huey -t 3"\n'})
    [launch] = found
    assert (launch.platform, launch.name, launch.stop_signal.value, launch.deadline.value) == ("fly", "worker", "INT", 5.0)
    assert launch.stop_signal.loc.default == "Fly.io default kill_signal"
    assert launch.instances.value == 1
    assert triples(result, "HL101") == []


@pytest.mark.parametrize("value, seconds", [("120", 120.0), ('"90s"', 90.0), ('"1m30s"', 90.0)])
def test_fly_kill_timeout_seconds_or_duration(tmp_path, value, seconds):
    _, [launch] = launches(tmp_path, {"fly.toml": f'kill_timeout = {value}\n[processes]\n  w = "huey_consumer a.huey"\n'})
    assert launch.deadline.value == seconds and launch.deadline.loc.line == 1


@pytest.mark.parametrize("value", ["15", "true", '["SIGTERM"]'])
def test_fly_kill_signal_that_is_not_a_string_is_hl001(tmp_path, value):
    result, [launch] = launches(tmp_path, {"fly.toml": f'kill_signal = {value}\n[processes]\n  w = "huey_consumer a.huey"\n'})
    [finding] = [f for f in result.findings if f.rule == "HL001"]
    assert (finding.loc.line, finding.loc.col) == (1, 15)
    assert finding.message.startswith("cannot parse: kill_signal = ") and "is not a string" in finding.message
    assert not launch.stop_signal.known


@pytest.mark.parametrize("value", ["nan", "-5", "-inf", '"-1s"'])
def test_fly_kill_timeout_nan_or_negative_is_hl001(tmp_path, value):
    """TOML's ``nan`` and a negative number are no time to wait (the deadline was "nans" or "-5s" in HL102)."""
    result, [launch] = launches(tmp_path, {"fly.toml": f'kill_timeout = {value}\n[processes]\n  w = "huey_consumer a.huey"\n'})
    assert [(f.rule, f.loc.line, f.loc.col) for f in result.findings if f.rule in ("HL001", "HL102")] == [("HL001", 1, 16)]
    assert not launch.deadline.known


def test_fly_kill_timeout_above_the_maximum_is_unknown(tmp_path):
    _, [launch] = launches(tmp_path, {"fly.toml": 'kill_timeout = 600\n[processes]\n  w = "huey_consumer a.huey"\n'})
    assert not launch.deadline.known and "300" in launch.deadline.unknown


def test_fly_process_command_replaces_cmd_and_keeps_the_entrypoint(tmp_path):
    files = {
        "Dockerfile": 'FROM python:3.12\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\nCMD ["gunicorn", "app"]\n',
        "entry.sh": '#!/bin/sh\nexec "$@"\n',
        "fly.toml": 'kill_signal = "SIGTERM"\n[processes]\n  web = "gunicorn app"\n  worker = "huey_consumer app.huey"\n',
    }
    result, found = launches(tmp_path, files)
    assert [(launch.platform, launch.name) for launch in found] == [("fly", "worker")]
    assert triples(result, "HL101") == [("HL101", "fly.toml", 1)]


def test_fly_services_make_two_machines(tmp_path):
    _, [launch] = launches(tmp_path, {"fly.toml": '[experimental]\n  cmd = ["huey_consumer", "a.huey"]\n'
                                                  '[http_service]\n  internal_port = 8080\n'})
    assert launch.name == "app" and launch.instances.value == 2 and launch.instances.loc.is_default


# -- the Render builder ---------------------------------------------------------------------------

def test_render_worker_sigterm_and_shutdown_delay(tmp_path):
    files = {"render.yaml": "services:\n  - type: worker\n    name: q\n    runtime: python\n"
                            "    startCommand: huey_consumer app.huey -g TERM -t 50\n    maxShutdownDelaySeconds: 60\n"}
    result, [launch] = launches(tmp_path, files)
    assert (launch.platform, launch.stop_signal.value, launch.deadline.value) == ("render", "TERM", 60.0)
    assert launch.deadline.loc.line == 6
    assert [t for t in triples(result) if t[0].startswith("HL1")] == []


@pytest.mark.parametrize("delay", ["0", "301", "'30'"])
def test_render_shutdown_delay_out_of_range_is_unknown(tmp_path, delay):
    files = {"render.yaml": "services:\n  - type: worker\n    name: q\n    runtime: python\n"
                            f"    startCommand: huey_consumer app.huey\n    maxShutdownDelaySeconds: {delay}\n"}
    _, [launch] = launches(tmp_path, files)
    assert not launch.deadline.known


def test_render_cron_is_no_consumer_and_scaling_is_instances(tmp_path):
    files = {"render.yaml": "services:\n  - type: cron\n    name: c\n    schedule: '* * * * *'\n"
                            "    startCommand: huey_consumer app.huey\n"
                            "  - type: web\n    name: w\n    startCommand: huey_consumer app.huey\n"
                            "    scaling:\n      minInstances: 1\n      maxInstances: 3\n"}
    result, found = launches(tmp_path, files)
    assert [(launch.name, launch.instances.value) for launch in found] == [("w", "scalable")]
    assert [(d.what, d.loc.line) for d in result.project.dropped if "Render" in d.what] == [("Render cron `c`", 5)]


def test_render_shell_start_command_goes_through_the_shell(tmp_path):
    files = {"render.yaml": "services:\n  - type: worker\n    name: q\n"
                            "    startCommand: cd src && huey_consumer app.huey -g TERM -t 25\n"}
    result, [launch] = launches(tmp_path, files)
    assert [hop.kind for hop in launch.chain][:2] == ["platform", "shell"]
    assert triples(result, "HL201") == [("HL201", "render.yaml", 4)]


def test_render_image_runtime_runs_its_docker_command(tmp_path):
    files = {"render.yaml": "services:\n  - type: worker\n    name: q\n    runtime: image\n"
                            "    image:\n      url: ghcr.io/me/app:1\n    dockerCommand: huey_consumer app.huey\n"}
    _, [launch] = launches(tmp_path, files)
    assert (launch.platform, launch.loc.line, launch.loc.col) == ("render", 7, 20)


# -- fixes ----------------------------------------------------------------------------------------

def test_fly_fixes_write_kill_timeout_at_the_top_level_and_replace_written_values(tmp_path):
    from tests.helpers import fix_tree

    write_tree(tmp_path, {**REQS, "fly.toml": 'app = "x"\n\n[processes]\n  worker = "huey_consumer app.huey"\n'})
    fix_tree(tmp_path, {"select": ["HL102"]})
    assert (tmp_path / "fly.toml").read_text() == (
        'app = "x"\nkill_timeout = 25\n\n[processes]\n  worker = "huey_consumer app.huey"\n')
    (tmp_path / "fly.toml").write_text('kill_timeout = "10s"  # seconds\n[processes]\n  w = "huey_consumer a.huey"\n')
    fix_tree(tmp_path, {"select": ["HL102"]})
    assert (tmp_path / "fly.toml").read_text().startswith("kill_timeout = 25  # seconds\n")


def test_fly_deadline_fix_never_exceeds_the_maximum(tmp_path):
    from tests.helpers import fix_tree

    write_tree(tmp_path, {**REQS, "fly.toml": 'kill_timeout = 10\n[processes]\n  w = "huey_consumer a.huey"\n'})
    fix_tree(tmp_path, {"select": ["HL102"], "longest-task": "10m"})
    assert (tmp_path / "fly.toml").read_text().startswith("kill_timeout = 10\n")


def test_service_folders_are_the_fly_toml_folder_and_the_render_root_dir(tmp_path):
    _, found = launches(tmp_path, {
        "deploy/fly.toml": '[processes]\n  w = "huey_consumer a.huey -t 3"\n',
        "render.yaml": "services:\n  - type: worker\n    name: q\n    rootDir: backend\n"
                       "    startCommand: huey_consumer a.huey -g TERM -t 25\n",
    })
    assert sorted((launch.platform, launch.service_dir) for launch in found) == [("fly", "deploy"), ("render", "backend")]


def test_fly_and_render_logfiles_are_hl501(tmp_path):
    result, _ = launches(tmp_path, {
        "fly.toml": 'kill_timeout = 60\n[processes]\n  w = "huey_consumer a.huey -t 55 -l /tmp/huey.log"\n',
        "render.yaml": "services:\n  - type: worker\n    name: q\n"
                       "    startCommand: huey_consumer a.huey -g TERM -t 25 -l /tmp/huey.log\n",
    })
    messages = {f.loc.path: f.message for f in result.findings if f.rule == "HL501"}
    assert "Fly.io collects its stderr (`fly logs`)" in messages["fly.toml"]
    assert "Render collects its stderr" in messages["render.yaml"]


def test_fly_default_sigint_with_g_term_says_to_set_sigterm(tmp_path):
    result, _ = launches(tmp_path, {"fly.toml": 'app = "x"\nkill_timeout = 60\n[processes]\n'
                                                '  w = "huey_consumer a.huey -g TERM -t 55"\n'})
    [finding] = [f for f in result.findings if f.rule == "HL101"]
    assert finding.message.endswith('Fix: make the platform send SIGTERM (`kill_signal = "SIGTERM"`), or drop `-g TERM`')
    assert (finding.loc.path, finding.loc.line) == ("fly.toml", 4)
    assert finding.fix is not None and finding.fix.edits[0].replacement == 'kill_signal = "SIGTERM"\n'


def test_trailing_comments_suppress_in_fly_toml_and_render_yaml(tmp_path):
    result, _ = launches(tmp_path, {
        "fly.toml": 'kill_timeout = 10  # hueylint: ignore[HL102]\n[processes]\n  w = "huey_consumer a.huey"\n',
        "render.yaml": "services:\n  - type: worker\n    name: q\n"
                       "    startCommand: huey_consumer a.huey -t 25  # hueylint: ignore[HL101]\n",
    })
    assert [t for t in triples(result) if t[0] in ("HL101", "HL102")] == []


def test_fly_experimental_cmd_string_with_spaces_is_hl001(tmp_path):
    result, _ = launches(tmp_path, {"fly.toml": '[experimental]\n  cmd = "python manage.py run_huey"\n'})
    [finding] = [f for f in result.findings if f.rule == "HL001"]
    assert (finding.loc.line, finding.loc.col) == (2, 9)
    assert finding.message == ('cannot parse: [experimental] cmd = "python manage.py run_huey" is one word for flyctl '
                               '(a string is not split): write it as an array, cmd = ["python", "manage.py", "run_huey"]')


# -- app manifests beside a Procfile, heroku.yml ------------------------------------------------------------

def test_app_json_formation_and_config_vars(tmp_path):
    _, found = launches(tmp_path, {
        "Procfile": "worker: huey_consumer tasks.huey\nclock: huey_consumer tasks.huey -n\n",
        "app.json": '{"env": {"HUEY_URL": "redis://cache:6379", "SECRET": {"generator": "secret"},'
                    ' "MODE": {"value": "prod"}}, "formation": {"worker": {"quantity": 3}, "clock": {"size": "basic"}}}',
    })
    by_name = {launch.name: launch for launch in found}
    worker, clock = by_name["worker"], by_name["clock"]
    assert (worker.instances.value, str(worker.instances.loc)) == (3, "app.json:1")
    assert clock.instances.value == 1 and "formation is not in the repo" in clock.instances.loc.default
    env = worker.env.value
    assert (env["HUEY_URL"].value, env["MODE"].value) == ("redis://cache:6379", "prod")
    assert not env["SECRET"].known and "set when the app is created" in env["SECRET"].unknown


def test_scalingo_json_wins_over_app_json_and_counts_amount(tmp_path):
    _, found = launches(tmp_path, {
        "Procfile": "worker: huey_consumer tasks.huey\n",
        "app.json": '{"formation": {"worker": {"quantity": 5}}}',
        "scalingo.json": '{"formation": {"worker": {"amount": 2}}}',
    })
    assert [(launch.instances.value, launch.instances.loc.path) for launch in found] == [(2, "scalingo.json")]


def test_formation_that_is_no_count_is_unknown(tmp_path):
    _, found = launches(tmp_path, {"Procfile": "worker: huey_consumer tasks.huey\n",
                                   "app.json": '{"formation": {"worker": {"quantity": "two"}}}'})
    assert not found[0].instances.known and "quantity 'two'" in found[0].instances.unknown


def test_development_procfile_ignores_the_manifest(tmp_path):
    _, found = launches(tmp_path, {"Procfile": "web: python manage.py runserver\nworker: huey_consumer tasks.huey\n",
                                   "app.json": '{"formation": {"worker": {"quantity": 4}}}'})
    assert [launch.instances.value for launch in found] == [1]


def test_heroku_yml_run_entries(tmp_path):
    _, found = launches(tmp_path, {"heroku.yml": (
        "build:\n  docker:\n    web: Dockerfile\n"
        "run:\n  web: gunicorn app:app\n"
        "  worker: huey_consumer tasks.huey -w 2\n"
        "  clock:\n    command:\n      - huey_consumer\n      - tasks.huey\n      - -n\n    image: web\n"
        "  other:\n    image: web\n")})
    assert sorted((launch.name, launch.argv, str(launch.loc)) for launch in found) == [
        ("clock", ("tasks.huey", "-n"), "heroku.yml:9"), ("worker", ("tasks.huey", "-w", "2"), "heroku.yml:6")]
    assert all(launch.paas and launch.chain[0].name == "Heroku (heroku.yml)" for launch in found)


def test_heroku_yml_without_run_section_builds_nothing(tmp_path):
    _, found = launches(tmp_path, {"heroku.yml": "build:\n  docker:\n    worker: Dockerfile\n"})
    assert found == []


@pytest.mark.parametrize("script, counts", [
    # a test of the process's own name: the equal branch on one process, the others on the rest
    ('if [ "$DYNO" = "worker.1" ]; then huey_consumer tasks.huey; else huey_consumer tasks.huey -n; fi', [1, 3]),
    ('if [[ $CONTAINER == worker-1 ]]; then huey_consumer tasks.huey; else huey_consumer tasks.huey -n; fi', [1, 3]),
    ('N="${DYNO#*.}"; if test "$N" -ne 1; then huey_consumer tasks.huey -n; else huey_consumer tasks.huey; fi', [3, 1]),
    # both branches enqueue periodic tasks: the selected process and the others run at once, all 4 do
    ('if [ "$DYNO" = "worker.1" ]; then huey_consumer tasks.huey; else huey_consumer tasks.huey -w 2; fi', [4, 4]),
    # a test of anything else: every process runs each branch's consumer
    ('if [ "$MODE" = "all" ]; then huey_consumer tasks.huey; else huey_consumer tasks.huey -n; fi', [4, 4]),
    # no branch taken on one name only (`*` alone): nothing to split
    ('case "$DYNO" in *) huey_consumer tasks.huey ;; esac', [4]),
])
def test_branches_on_the_process_name(tmp_path, script, counts):
    _, found = launches(tmp_path, {"Procfile": "worker: bash bin/run.sh\n", "bin/run.sh": f"#!/bin/bash\n{script}\n",
                                   "app.json": '{"formation": {"worker": {"quantity": 4}}}'})
    assert [launch.instances.value for launch in sorted(found, key=lambda launch: launch.loc.col)] == counts


def test_app_engine_service_gets_its_own_notice():
    text = "runtime: python312\nservice: worker\nentrypoint: python manage.py run_huey\nbasic_scaling:\n  max_instances: 2\n"
    assert sniff_bytes("?yaml", text.encode(), "worker.yaml") == ("", (
        "line 3: `run_huey` is run by this Google App Engine service configuration (its `entrypoint:`), a platform "
        "hueylint does not model: its stop signal, deadline, restart and instances are not checked"))
    # `runtime:` alone is no App Engine service: the generic notice
    _, reason = sniff_bytes("?yaml", b"runtime: x\njobs:\n  - run_huey\n", "ci.yaml")
    assert reason is not None and reason.startswith("mentions `run_huey` but is not a compose file")
    assert sniff_bytes("?yaml", b"runtime: python312\nentrypoint: gunicorn app:app\n", "app.yaml") == ("", None)


def test_dokku_scale_counts_what_the_manifest_leaves_out(tmp_path):
    _, found = launches(tmp_path, {
        "Procfile": "worker: huey_consumer tasks.huey\nclock: huey_consumer tasks.huey -n\n",
        "DOKKU_SCALE": "web=1\nworker=4\nclock=3\n",
        "app.json": '{"formation": {"worker": {"quantity": 2}}}',
    })
    assert sorted((launch.name, launch.instances.value, str(launch.instances.loc)) for launch in found) == [
        ("clock", 3, "DOKKU_SCALE:3"), ("worker", 2, "app.json:1")]


def test_caprover_captain_definition():
    inline = b'{"schemaVersion": 2, "dockerfileLines": ["FROM python:3.12", "CMD python manage.py run_huey"]}'
    assert name_format("captain-definition-worker") == "?paas"
    _, reason = sniff_bytes("?paas", inline, "captain-definition-worker")
    assert reason.startswith("line 1: `run_huey` is run by the image of this CapRover captain-definition, written "
                             "inline as its `dockerfileLines`")
    assert sniff_bytes("?paas", b'{"schemaVersion": 2, "dockerfilePath": "./Dockerfile-huey"}',
                       "captain-definition") == ("", None)


def test_heroku_yml_setup_config_is_the_launch_environment(tmp_path):
    _, found = launches(tmp_path, {
        "heroku.yml": "setup:\n  config:\n    DJANGO_SETTINGS_MODULE: shop.settings.production\n    MODE: a\n"
                      "run:\n  worker: python manage.py run_huey\n",
        "app.json": '{"env": {"MODE": "b"}}',
    })
    env = found[0].env.value
    assert (env["DJANGO_SETTINGS_MODULE"].value, str(env["DJANGO_SETTINGS_MODULE"].loc)) == (
        "shop.settings.production", "heroku.yml:3")
    assert env["MODE"].value == "b"  # app.json's config vars over heroku.yml's
