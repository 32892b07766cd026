"""supervisord: the INI reader, expansions, includes, the platform model and HL204."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint import overlaps
from hueylint.config import Settings
from hueylint.discovery import discover
from hueylint.locations import Loc
from hueylint.model import Hop, Project, Val
from hueylint.parsers.supervisord import ParseError, expand, parse_environment, parse_ini
from hueylint.platforms import supervisord
from hueylint.sources import SourceFile
from hueylint.words import split_with_spans
from hueylint.workspace import Workspace
from tests.helpers import lint, triples, write_tree


def src(text: str, rel: str = "huey.conf") -> SourceFile:
    return SourceFile(Path(rel), rel, text, "supervisord")


def workspace(root: Path) -> Workspace:
    found = discover([root], root, [])
    ws = Workspace(root=root, settings=Settings(root=root.resolve()), others=found.others)
    for item in found.sources:
        ws.sources[item.rel] = item
    return ws


def findings(tmp_path: Path, files: dict[str, str], rule: str | None = None, config: dict | None = None):
    write_tree(tmp_path, files)
    return triples(lint(tmp_path, config), rule)


def launches(tmp_path: Path, files: dict[str, str]):
    write_tree(tmp_path, files)
    return lint(tmp_path).project.launches


# -- the INI reader ------------------------------------------------------------------------------

def test_inline_comments_only_after_whitespace() -> None:
    ini = parse_ini(src("[program:huey]\ncommand=huey_consumer a.huey -w 2 ; two workers\n"
                        "stdout_logfile=/var/log/huey;x.log\nenvironment=A=\"1\"\t# tab comment\n"))
    program = ini.section("program:huey")
    assert program is not None
    assert program.value("command") == "huey_consumer a.huey -w 2"
    assert program.value("stdout_logfile") == "/var/log/huey;x.log"
    assert program.value("environment") == 'A="1"'


def test_positions_of_values_and_words_across_continuation_lines() -> None:
    text = "[program:huey]\ncommand = huey_consumer\n    my_app.huey\n    -w 4\nuser: app\n"
    option = parse_ini(src(text)).section("program:huey").get("command")
    assert option.value == "huey_consumer\nmy_app.huey\n-w 4"
    assert (option.line, option.col) == (2, 11)
    words = split_with_spans(option.value)
    assert [w for w, _s, _e in words] == ["huey_consumer", "my_app.huey", "-w", "4"]
    _word, start, end = words[1]
    assert option.loc_at(start, end) == Loc("huey.conf", 3, 5, 3, 16)
    assert parse_ini(src(text)).section("program:huey").value("user") == "app"


def test_keys_are_case_insensitive_last_assignment_wins_and_sections_merge() -> None:
    ini = parse_ini(src("[program:huey]\nCommand=a\nstopsignal=TERM\n[program:huey]\nstopsignal=INT\n"))
    assert len(ini.sections) == 1
    assert ini.sections[0].value("command") == "a"
    assert ini.sections[0].value("stopsignal") == "INT"


@pytest.mark.parametrize(("text", "line", "col"), [
    ("command=huey_consumer a.huey\n", 1, 1),  # before any section
    ("[program:huey]\ncommand=huey_consumer a.huey\n  \nthis is not ini\n", 4, 1),
    ("[program:huey]\n[program:web\ncommand=x\n", 2, 1),
    ("[program:huey]\n   = value\n", 2, 4),
])
def test_malformed_input_raises_with_line_and_column(text: str, line: int, col: int) -> None:
    with pytest.raises(ParseError) as caught:
        parse_ini(src(text))
    assert (caught.value.line, caught.value.col) == (line, col)


def test_jinja_control_lines_are_skipped_and_placeholders_stay_one_word() -> None:
    ini = parse_ini(src("{# managed #}\n[program:{{ name }}]\n{% if x %}\n"
                        "command={{ venv }}/bin/huey_consumer {{ app }}.huey\n{% endif %}\n"))
    command = ini.section("program:{{ name }}").value("command")
    assert [w for w, _s, _e in split_with_spans(command)] == ["{{venv}}/bin/huey_consumer", "{{app}}.huey"]


def test_expansions() -> None:
    names = {"program_name": "huey", "process_num": 3, "here": "deploy"}
    assert expand("%(program_name)s_%(process_num)02d", names, None) == ("huey_03", [])
    assert expand("%(here)s/start.sh 100%%", names, None) == ("deploy/start.sh 100%", [])
    assert expand("-w %(ENV_HUEY_WORKERS)s", names, None) == ("-w ${HUEY_WORKERS}", ["ENV_HUEY_WORKERS"])
    assert expand("-w %(ENV_HUEY_WORKERS)s", names, {"HUEY_WORKERS": "8"}) == ("-w 8", [])


def test_environment_pairs() -> None:
    pairs = parse_environment('PYTHONPATH="/srv/a,b",DEBUG=0, KEY=\'x y\'')
    assert [(k, v) for k, v, _s, _e in pairs] == [("PYTHONPATH", "/srv/a,b"), ("DEBUG", "0"), ("KEY", "x y")]


# -- the model ---------------------------------------------------------------------------------

GUIDE = """[program:huey]
directory=/srv/my_app
command=/srv/my_app/venv/bin/huey_consumer my_app.huey -w 4 -k thread -l /var/log/huey/huey.log
user=appuser
autorestart=false
stopsignal=INT
stopwaitsecs=60
"""


def test_launch_fields(tmp_path: Path) -> None:
    [launch] = launches(tmp_path, {"deploy/huey.conf": GUIDE})
    assert (launch.platform, launch.name, launch.unit) == ("supervisord", "huey", "deploy/huey.conf")
    assert launch.loc.path == "deploy/huey.conf" and launch.loc.line == 3
    assert launch.stop_signal == Val("INT", Loc("deploy/huey.conf", 6, 12, 6, 15))
    assert launch.deadline.value == 60 and launch.deadline.loc.line == 7
    assert launch.restart.value is False and launch.restart.loc.line == 5
    assert launch.user.value == "appuser"
    assert launch.instances.value == 1 and launch.instances.loc.is_default
    assert launch.logfile.value == "/var/log/huey/huey.log"
    assert launch.collects_logs is False
    assert [hop.kind for hop in launch.chain] == ["supervisor"]
    assert launch.workdir.value == "/srv/my_app"


def test_defaults_say_where_they_come_from(tmp_path: Path) -> None:
    [launch] = launches(tmp_path, {"huey.conf": "[program:huey]\ncommand=huey_consumer a.huey\n"})
    assert launch.stop_signal.value == "TERM" and launch.stop_signal.where() == "supervisord default stopsignal"
    assert launch.deadline.value == 10 and "stopwaitsecs" in launch.deadline.where()
    assert launch.restart.value is True and "unexpected" in launch.restart.where()
    assert launch.user.value is None and "root" in launch.user.where()


def test_numprocs_and_env_expansion(tmp_path: Path) -> None:
    [launch] = launches(tmp_path, {"huey.conf": (
        "[program:huey]\ncommand=huey_consumer a.huey -w %(ENV_HUEY_WORKERS)s -n\n"
        "process_name=%(program_name)s_%(process_num)02d\nnumprocs=3\n")})
    assert launch.instances == Val(3, Loc("huey.conf", 4, 10, 4, 11))
    assert not launch.options["workers"].known
    assert launch.periodic.value is False
    assert launch.problems == []


def lint_tree(root: Path, files: dict[str, str]):
    write_tree(root, files)
    return lint(root)


ISSUE_553 = {
    "supervisor/huey.conf": "[program:huey]\ncommand=/bin/bash /srv/huey_start\nstopsignal=TERM\nuser=www\n",
    "huey_start": "#!/bin/bash\ncd /srv/app\nsource venv/bin/activate\npython manage.py run_huey\n",
    "requirements.txt": "huey==2.5.0\n",
}


def test_issue_553_script_without_exec(tmp_path: Path) -> None:
    found = findings(tmp_path, ISSUE_553)
    assert ("HL201", "supervisor/huey.conf", 2) in found
    assert ("HL101", "supervisor/huey.conf", 3) in found
    result = lint(tmp_path)
    [wrapper] = [f for f in result.findings if f.rule == "HL201"]
    assert [(r.loc.path, r.loc.line) for r in wrapper.related] == [("huey_start", 4)]


def test_stopasgroup_lets_the_signal_through_the_shell(tmp_path: Path) -> None:
    files = dict(ISSUE_553)
    files["supervisor/huey.conf"] += "stopasgroup=true\n"
    assert findings(tmp_path, files, "HL201") == []
    [launch] = lint(tmp_path).project.launches
    assert launch.supervisord.stopasgroup.value is True


def test_xvfb_run_forks_unless_the_whole_group_is_stopped(tmp_path: Path) -> None:
    """Field test (g3w-suite/g3w-suite-docker): `xvfb-run` relays no signal to the consumer it runs (HL201);
    with stopasgroup=true supervisord signals the whole process group, the consumer included."""
    files = {
        "supervisor/huey.conf": "[program:huey]\ncommand=xvfb-run -a python manage.py run_huey\nstopsignal=INT\n",
        "requirements.txt": "huey==2.5.0\n",
    }
    result = lint_tree(tmp_path, files)
    [wrapper] = [f for f in result.findings if f.rule == "HL201"]
    assert (wrapper.loc.path, wrapper.loc.line, wrapper.loc.col) == ("supervisor/huey.conf", 2, 9)
    assert wrapper.message.startswith("`xvfb-run` runs the consumer as its child and waits for it")
    assert wrapper.fix is None  # `exec` before xvfb-run would not help
    files["supervisor/huey.conf"] += "stopasgroup=true\n"
    assert findings(tmp_path, files, "HL201") == []


def test_include_globs_form_one_unit(tmp_path: Path) -> None:
    result = lint_tree(tmp_path, {
        "deploy/supervisord.conf": "[supervisord]\nnodaemon=true\n[include]\nfiles = conf.d/*.conf\n",
        "deploy/conf.d/huey.conf": "[program:huey]\ncommand=huey_consumer a.huey -n\nstopsignal=INT\n",
        "deploy/conf.d/sub/ignored.conf": "[program:other]\ncommand=huey_consumer b.huey\n",
        "deploy/conf.d/periodic.conf": "[program:periodic]\ncommand=huey_consumer a.huey\nstopsignal=INT\n",
    })
    units = sorted((launch.name, launch.unit) for launch in result.project.launches)
    assert units == [("huey", "deploy/supervisord.conf"), ("other", "deploy/conf.d/sub/ignored.conf"),
                     ("periodic", "deploy/supervisord.conf")]
    huey = next(launch for launch in result.project.launches if launch.name == "huey")
    assert huey.supervisord.nodaemon.value is True



def test_include_globs_are_glob_globs(tmp_path: Path) -> None:
    """supervisord expands `files =` with glob.glob, not recursive: `**` is one folder (`*`), and a wildcard
    matches no dot file: conf.d/top.conf and conf.d/sub/.old.conf are no programs of this supervisord."""
    write_tree(tmp_path, {
        "supervisord.conf": "[supervisord]\nnodaemon=true\n[include]\nfiles = conf.d/**/*.prog\n",
        "conf.d/top.prog": "[program:top]\ncommand=huey_consumer a.huey\n",
        "conf.d/sub/huey.prog": "[program:huey]\ncommand=huey_consumer a.huey\n",
        "conf.d/sub/.old.prog": "[program:old]\ncommand=huey_consumer a.huey\n",
    })
    ws = workspace(tmp_path)
    config = supervisord.load_config(ws, ws.file("supervisord.conf"))
    assert config.rels == ["supervisord.conf", "conf.d/sub/huey.prog"]


def test_absolute_include_maps_to_the_repo_tail(tmp_path: Path) -> None:
    ws_root = tmp_path
    write_tree(ws_root, {
        "docker/supervisord.conf": "[supervisord]\nnodaemon=true\n[include]\nfiles=/etc/supervisor/conf.d/*.conf\n",
        "docker/supervisor/conf.d/huey.conf": "[program:huey]\ncommand=huey_consumer a.huey\n",
    })
    ws = workspace(ws_root)
    config = supervisord.load_config(ws, ws.file("docker/supervisord.conf"))
    assert config.rels == ["docker/supervisord.conf", "docker/supervisor/conf.d/huey.conf"]


def test_hl001_positions(tmp_path: Path) -> None:
    found = findings(tmp_path, {
        "a.conf": "[program:a]\ncommand=huey_consumer a.huey\nstopsignal=SIGFOO\n",
        "b.conf": "[program:b]\ncommand=huey_consumer a.huey\nnumprocs=three\n",
        "c.conf": "[program:c]\ncommand=huey_consumer a.huey\n!!!\n",
    }, "HL001")
    assert found == [("HL001", "a.conf", 3), ("HL001", "b.conf", 3), ("HL001", "c.conf", 3)]


def test_jinja_template_never_crashes(tmp_path: Path) -> None:
    result = lint_tree(tmp_path, {"templates/huey.conf.j2": (
        "[program:{{ name }}]\n{% if prod %}\ncommand={{ venv }}/bin/huey_consumer {{ app }} -w {{ n }}\n"
        "{% endif %}\nstopsignal={{ signal }}\nstopwaitsecs={{ wait }}\nnumprocs={{ procs }}\n")})
    assert [f for f in result.findings if f.severity.value in ("error", "warning")] == []
    [launch] = result.project.launches
    assert not launch.stop_signal.known and not launch.deadline.known and not launch.instances.known


# -- HL204 -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    ("command=huey_consumer a.huey -w $HUEY_WORKERS", 2),
    ("command=${VENV}/bin/huey_consumer a.huey", 2),
    ("command=env HUEY_X=$X huey_consumer a.huey", 2),
    ("command=huey_consumer a.huey -w %(ENV_HUEY_WORKERS)s", None),
    ("command=/bin/sh -c 'exec huey_consumer a.huey -w $HUEY_WORKERS'", None),
    ("command=huey_consumer a.huey\nenvironment=SECRET=\"pa$$word\",KEY=\"a$secret\"", None),
    ("command=huey_consumer a.huey\nenvironment=PATH=\"/srv/venv/bin:$PATH\"", 3),
])
def test_hl204(tmp_path: Path, line: str, expected: int | None) -> None:
    found = findings(tmp_path, {"huey.conf": f"[program:huey]\n{line}\nstopsignal=INT\n"}, "HL204")
    assert found == ([("HL204", "huey.conf", expected)] if expected else [])


# -- nested supervision (the container platform's API) ------------------------------------------

def test_supervised_launches_under_an_outer_platform(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "docker/supervisord.conf": "[supervisord]\nnodaemon=true\n[include]\nfiles=conf.d/*.conf\n",
        "docker/conf.d/huey.conf": ("[program:huey]\ncommand=huey_consumer a.huey -w %(ENV_WORKERS)s\n"
                                    "stopsignal=INT\nstopwaitsecs=60\n"),
    })
    ws = workspace(tmp_path)
    found = supervisord.find_config(ws, "/etc/supervisor/supervisord.conf", Loc("Dockerfile", 9))
    assert found is None or found.rel == "docker/supervisord.conf"
    main = supervisord.find_config(ws, "/app/docker/supervisord.conf")
    assert main is not None and main.rel == "docker/supervisord.conf"
    docker = Hop("platform", "docker", Loc("Dockerfile", 9), sends=Val.default("TERM", "Docker default"),
                 deadline=Val.default(10.0, "docker stop default"))
    supervised = supervisord.supervised_launches(ws, Project(str(tmp_path)), main.rel, [docker], "Dockerfile",
                                                 {"WORKERS": "4"})
    [launch] = supervised.launches
    assert [hop.name for hop in launch.chain] == ["docker", "supervisord"]
    assert launch.stop_signal.value == "INT"  # the supervisor's own signal reaches the consumer
    assert launch.deadline.value == 10.0  # the smallest along the chain: docker's
    assert launch.options["workers"].value == 4
    assert launch.unit == "Dockerfile"
    assert supervised.claims == {"docker/supervisord.conf", "docker/conf.d/huey.conf"}
    host = supervisord.build(ws, Project(str(tmp_path)))
    assert [unit.files for unit in host.hosts] == [frozenset(supervised.claims)]
    # claimed: not reported again as a host launch, whichever builder came first
    assert overlaps.resolve([supervised, host]).launches == [launch]
    assert overlaps.resolve([host, supervised]).launches == [launch]


def test_find_config_by_tail_and_by_unique_name(tmp_path: Path) -> None:
    write_tree(tmp_path, {"deploy/supervisor/app.conf": "[program:a]\ncommand=x\n"})
    ws = workspace(tmp_path)
    assert supervisord.find_config(ws, "/etc/supervisor/conf.d/app.conf").rel == "deploy/supervisor/app.conf"
    assert supervisord.find_config(ws, "deploy/supervisor/app.conf").rel == "deploy/supervisor/app.conf"
    assert supervisord.find_config(ws, "$CONF") is None


def test_configs_supervisord_refuses_are_hl001(tmp_path: Path) -> None:
    found = findings(tmp_path, {
        "a.conf": "[program:huey]\ncommand=huey_consumer a.huey -n\nnumprocs=2\nstopsignal=INT\n",
        "b.conf": "[program:huey]\ncommand=huey_consumer a.huey -n\nnumprocs=2\nprocess_name=%(program_name)s_%(process_num)d\n",
        "c.conf": "[supervisord]\nnodaemon=true\n\n[include]\n",
    }, "HL001")
    assert found == [("HL001", "a.conf", 3), ("HL001", "c.conf", 4)]


def test_start_script_found_beside_a_nested_config(tmp_path: Path) -> None:
    files = {"ops/deploy/supervisor/huey.conf": "[program:huey]\ncommand=/bin/bash /srv/bin/huey_start\n",
             "ops/deploy/bin/huey_start": "#!/bin/bash\npython manage.py run_huey\n"}
    assert ("HL201", "ops/deploy/supervisor/huey.conf", 2) in findings(tmp_path, files)


def test_supervisord_without_c_uses_the_default_location_or_every_main_config(tmp_path: Path) -> None:
    write_tree(tmp_path, {"docker/huey.conf": "[program:huey]\ncommand=huey_consumer a.huey\n",
                          "docker/web.conf": "[program:web]\ncommand=gunicorn app\n"})
    ws = workspace(tmp_path)
    found = supervisord.supervised_launches(ws, Project(str(tmp_path)), None, [], "Dockerfile", {})
    assert [launch.name for launch in found.launches] == ["huey"]
    assert found.claims == {"docker/huey.conf", "docker/web.conf"}


def test_include_cycles_and_chains_lose_no_program(tmp_path: Path) -> None:
    """supervisord reads includes one level deep. Two files including each other were both "included
    elsewhere", so neither was a main configuration and `[program:huey]` vanished ("All checks passed!");
    a file only a non-main file includes (`main.conf` -> `b.conf` -> `c.conf`) vanished too. Each is now a
    main configuration of its own (a file named supervisord.conf first)."""
    result = lint_tree(tmp_path, {
        "supervisord.conf": "[include]\nfiles = conf/*.conf\n[program:huey]\ncommand=huey_consumer a.huey\n",
        "conf/a.conf": "[include]\nfiles = ../supervisord.conf\n",
        "chain/main.conf": "[include]\nfiles = b.conf\n",
        "chain/b.conf": "[include]\nfiles = c.conf\n",
        "chain/c.conf": "[program:deep]\ncommand=huey_consumer a.huey\n",
    })
    units = sorted((launch.name, launch.unit) for launch in result.project.launches)
    assert units == [("deep", "chain/c.conf"), ("huey", "supervisord.conf")]
    assert ("HL101", "supervisord.conf", 4) in triples(result)


def test_group_is_the_first_group_listing_the_program(tmp_path) -> None:
    """`%(group_name)s` and the launch's group: the first `[group:x]` whose `programs=` names the program
    (spaces around the names allowed), else the program's own name."""
    program = "[program:{0}]\ncommand=huey_consumer app.huey -n -l /var/log/%(group_name)s-{0}.log\n"
    found = launches(tmp_path, {"huey.conf": "".join(program.format(name) for name in ("a", "b", "c")) +
                                "[group:first]\nprograms = a , b\n[group:second]\nprograms=b,c\n"})
    groups = sorted((launch.supervisord.group.value if launch.supervisord.group else None,
                     launch.logfile.value) for launch in found)
    assert groups == [("first", "/var/log/first-a.log"), ("first", "/var/log/first-b.log"),
                      ("second", "/var/log/second-c.log")]


def test_group_lookup_is_one_pass_over_the_sections(tmp_path, monkeypatch) -> None:
    """Each program's group was looked up over every section (quadratic: 30,000 programs, a 2 MiB
    configuration, took 85 s to build). Now one pass builds the table: each ``[group:x]`` section's
    ``programs=`` is read once for all the programs, not once per program (counted, not timed)."""
    write_tree(tmp_path, {"huey.conf": "".join(f"[program:p{n}]\ncommand=huey_consumer app.huey -n\n"
                                               for n in range(3000)) + "[group:all]\nprograms=p2999\n"
                                       "[group:none]\nprograms=other\n"})
    ws = workspace(tmp_path)
    config = supervisord.load_config(ws, ws.file("huey.conf"))
    reads = []
    real = supervisord.Config.option
    monkeypatch.setattr(supervisord.Config, "option",
                        lambda self, section, key: reads.append(section) or real(self, section, key))
    groups = [config.group_of(name.split(":", 1)[1]) for name in config.programs()]
    assert len(groups) == 3000 and groups[-1] == "all" and set(groups[:-1]) == {""}
    assert sorted(reads) == ["group:all", "group:none"]


PROGRAM = "[program:worker]\ncommand=huey_consumer jobs.huey -w 2\nstopsignal=INT\nstopwaitsecs=60\n"


@pytest.mark.parametrize("start", [
    # field test (0xbug/Hawkeye): Debian's packaged main config, which includes /etc/supervisor/conf.d/*.conf
    'CMD ["/usr/bin/supervisord", "-n", "-c", "/etc/supervisor/supervisord.conf"]',
    'CMD ["supervisord", "--nodaemon", "-c", "/etc/supervisord.conf"]',  # Fedora's and Alpine's
    'CMD ["supervisord", "-n", "-c", "/etc/supervisor//supervisord.conf"]',
    'CMD ["./run.sh"]',  # a script that starts it: the shell stays PID 1 (HL201)
])
def test_packaged_main_config_runs_the_images_program_files(tmp_path: Path, start: str) -> None:
    files = {"Dockerfile": "FROM python:3.12\nRUN apt-get install -y supervisor\n"
                           f"COPY conf/ /etc/supervisor/conf.d/\nCOPY . /app\n{start}\n",
             "conf/worker.conf": PROGRAM,
             "run.sh": "#!/bin/bash\nsupervisord -n -c /etc/supervisor/supervisord.conf\n"}
    write_tree(tmp_path, files)
    result = lint(tmp_path)
    (launch,) = result.project.launches
    kinds = [hop.kind for hop in launch.chain]
    assert kinds[0] == "platform" and "supervisor" in kinds, kinds  # docker, (the script,) then supervisord
    assert ("HL102", "conf/worker.conf", 2) in triples(result)  # `docker stop` kills after 10 s, not 60 s
    assert (("HL201", "Dockerfile", 5) in triples(result)) == start.endswith('"./run.sh"]')


def test_a_main_config_not_in_the_repository_is_not_guessed(tmp_path: Path) -> None:
    """Only the packages' own path stands for the package's config; another missing file claims nothing."""
    files = {"Dockerfile": "FROM python:3.12\nCOPY conf/ /etc/supervisor/conf.d/\n"
                           'CMD ["supervisord", "-n", "-c", "/etc/app/supervisord.conf"]\n',
             "conf/worker.conf": PROGRAM}
    (launch,) = launches(tmp_path, files)
    assert [hop.kind for hop in launch.chain][:1] == ["supervisor"]  # a host supervisord: nothing claimed it


@pytest.mark.parametrize(("program", "line", "col", "message"), [
    # supervisord 4.3 options.py builds range(numprocs_start, numprocs_start + numprocs) processes, unchecked
    ("[program:huey]\ncommand=huey_consumer app.huey\nnumprocs=0\n", 6, 1,
     "[program:huey] numprocs=0: supervisord starts no process of this program, so it never runs; "
     "numprocs must be 1 or more"),
    ("[program:huey]\ncommand=huey_consumer app.huey\nnumprocs = -2\n", 6, 1,
     "[program:huey] numprocs=-2: supervisord starts no process of this program, so it never runs; "
     "numprocs must be 1 or more"),
    # no process, so the missing command is never read: numprocs is what to fix
    ("[program:huey]\nnumprocs=0\n", 5, 1,
     "[program:huey] numprocs=0: supervisord starts no process of this program, so it never runs; "
     "numprocs must be 1 or more"),
    # process.py get_execv_args: BadCommand("command is empty") at each spawn, the program goes FATAL
    ("[program:huey]\ncommand =\nautorestart=true\n", 5, 1,
     "[program:huey] `command` is empty: supervisord starts, but cannot spawn the program (\"command is "
     "empty\"): it never runs"),
    ("[program:huey]\ncommand=   \n", 5, 1,
     "[program:huey] `command` is empty: supervisord starts, but cannot spawn the program (\"command is "
     "empty\"): it never runs"),
], ids=["numprocs-0", "numprocs-negative", "numprocs-0-no-command", "empty-command", "blank-command"])
def test_program_that_never_runs_is_hl001_at_the_key(tmp_path: Path, program: str, line: int, col: int,
                                                      message: str) -> None:
    write_tree(tmp_path, {"supervisord.conf": "[supervisord]\nnodaemon=true\n\n" + program,
                          "requirements.txt": "huey==2.5.0\n"})
    result = lint(tmp_path)
    assert [(f.rule, f.loc.path, f.loc.line, f.loc.col, f.message) for f in result.findings] == [
        ("HL001", "supervisord.conf", line, col, f"cannot parse: {message}")]
    assert result.project.launches == []


def test_one_process_or_more_is_a_launch(tmp_path: Path) -> None:
    write_tree(tmp_path, {"supervisord.conf": "[supervisord]\nnodaemon=true\n\n[program:huey]\n"
                          "command=huey_consumer app.huey\nnumprocs=1\n", "requirements.txt": "huey==2.5.0\n"})
    result = lint(tmp_path)
    assert [launch.name for launch in result.project.launches] == ["huey"]
    assert not [f for f in result.findings if f.rule == "HL001"]


def test_five_thousand_programs_in_one_file_are_built_in_linear_time(tmp_path):
    """Whether a program's file is a template (Jinja, ERB) was asked of every line of the file once per program:
    5,000 programs in one file took 14 s (quadratic). It is asked once a file."""
    import time

    write_tree(tmp_path, {"requirements.txt": "huey==2.5.0\n", "huey.conf": "".join(
        f"[program:p{i}]\ncommand=/x/huey_consumer app.huey -n\nstopsignal=INT\nstopwaitsecs=60\n"
        for i in range(5000))})
    started = time.process_time()
    result = lint(tmp_path)
    assert time.process_time() - started < 8  # (about 30 s of CPU before, 2 s now)
    assert len(result.project.launches) == 5000 and triples(result, "HL101") == []
