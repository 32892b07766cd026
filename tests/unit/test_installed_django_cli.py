"""`otree`, oTree's console script (2.x-3.x), is Django's management utility for the project it runs in: its words are
read as manage.py's (`otree run_huey -w 2` is djhuey's run_huey with `-w 2`), instead of a program not followed
(HL004). A repository's own program of that name (oTree's own source) is still read as itself."""

from __future__ import annotations

from tests.helpers import lint, triples, write_tree

SETTINGS = "INSTALLED_APPS = ['otree']\nSESSION_CONFIGS = []\n"


def _procfile(tmp_path, line: str):
    write_tree(tmp_path, {"Procfile": f"web: otree runprodserver1of2\n{line}\n", "settings.py": SETTINGS,
                          "requirements.txt": "otree==3.3.11\nhuey==2.1.1\n"})
    return lint(tmp_path)


def test_run_huey_is_a_consumer_launch_with_its_options_read(tmp_path):
    result = _procfile(tmp_path, "worker: otree run_huey -w 2 --no-periodic")
    [launch] = result.project.launches
    assert (launch.program, launch.unresolved) == ("run_huey", [])
    assert launch.periodic.value is False and launch.periodic.loc.line == 2
    assert triples(result) == [("HL101", "Procfile", 2)]


def test_a_path_to_the_installed_script_is_the_same_program(tmp_path):
    unit = ("[Service]\nType=exec\nUser=study\nExecStart=/srv/venv/bin/otree run_huey\nKillSignal=SIGINT\n"
            "ExecReload=/bin/kill -HUP $MAINPID\nRestart=always\n")
    write_tree(tmp_path, {"deploy/worker.service": unit, "settings.py": SETTINGS, "requirements.txt": "huey==2.1.1\n"})
    result = lint(tmp_path)
    assert [(launch.program, launch.unresolved) for launch in result.project.launches] == [("run_huey", [])]
    assert triples(result) == []


def test_another_management_command_is_no_launch(tmp_path):
    assert _procfile(tmp_path, "clock: otree timeoutworker").project.launches == []


def test_a_command_named_for_huey_of_an_installed_app_is_a_notice(tmp_path):
    result = _procfile(tmp_path, "worker: otree run_hueyx")
    assert result.project.launches == [] and triples(result) == []
    assert any("`otree run_hueyx`" in notice.reason for notice in result.notices)


def test_the_repository_s_own_otree_program_is_read_as_itself(tmp_path):
    """oTree's own source: its `otree` console script is a program of the repository, read through its code."""
    write_tree(tmp_path, {
        "Procfile": "worker: otree run_huey\n", "settings.py": SETTINGS,
        "setup.py": "from setuptools import setup\nsetup(name='otree', entry_points={'console_scripts': "
                    "['otree=otree.main:execute_from_command_line']})\n",
        "otree/__init__.py": "", "otree/main.py": ("import sys\nfrom django.core.management import "
                                                   "execute_from_command_line as run\n\n"
                                                   "def execute_from_command_line():\n    run(sys.argv)\n"),
    })
    [launch] = lint(tmp_path).project.launches
    assert launch.program == "run_huey" and launch.unresolved == []
