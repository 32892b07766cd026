"""Conda environment files (``environment.yml``): huey as a conda package (a match spec) or in the ``pip:`` list
(field test: kobotoolbox/reports pins ``huey==2.5.3`` in its ``environment.yml``'s pip list, which hueylint did
not read: "huey version unknown, newest assumed")."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hueylint.locations import Loc
from hueylint.sources import SourceFile
from hueylint.versions import huey_pins, is_dependency_file
from hueylint.versions.conda import conda_spec
from tests.helpers import lint, triples, write_tree


def env_file(text: str, rel: str = "environment.yml") -> SourceFile:
    return SourceFile(Path(rel), rel, textwrap.dedent(text).lstrip("\n"))


@pytest.mark.parametrize(("text", "spec", "version", "minimum"), [
    ("huey=2.5.3", "==2.5.3", (2, 5, 3), False),  # conda's fuzzy `=`: 2.5.3.*, that release
    ("huey=2.5", "==2.5.*", (2, 5, 5), True),  # 2.5.*: the newest 2.5 release
    ("huey==2.4.5", "==2.4.5", (2, 4, 5), False),
    ("conda-forge::huey=2.5.3=pyhd8ed1ab_0", "==2.5.3", (2, 5, 3), False),  # channel and build ignored
    ("huey 2.5.3 pyhd8ed1ab_0", "==2.5.3", (2, 5, 3), False),  # the version after a space
    ("huey>=2.5,<3", ">=2.5,<3", (2, 6, 0), True),
    ("huey<2.5|>=3.4", "<2.5||>=3.4", None, True),  # `|` an alternative: the newest either allows
    ("huey=2.4|2.5", "==2.4.*||==2.5.*", (2, 5, 5), True),  # alternatives of the fuzzy `=` (was `==2.4|2.5`)
    ("huey>=2.4, <3", ">=2.4,<3", (2, 6, 0), True),  # conda drops the spaces (was `>=2.4,`: the bound lost)
    ("huey >= 2.4 , < 2.6", ">=2.4,<2.6", (2, 5, 5), True),
    ("huey[version='>=2.4,<3']", ">=2.4,<3", (2, 6, 0), True),  # the bracket form's version key
    ("huey[channel=conda-forge]", "", None, True),  # a bracket without a version: any
    ("huey", "", None, True),
])
def test_a_conda_match_spec_reads_as_a_pep440_constraint(text, spec, version, minimum):
    [pin] = huey_pins(env_file(f"dependencies:\n  - {text}\n"))
    assert pin.spec == spec and pin.minimum == minimum
    if version is not None:
        assert pin.version == version


def test_the_pip_list_is_pep508_and_each_pin_is_located_on_its_item():
    pins = huey_pins(env_file("""
        name: app
        channels:
          - conda-forge
        dependencies:
          - python=3.11
          - pip=25.0=py311_0   # conda's pip package, not the pip list
          - pip:
              - django==4.2.20
              - huey[redis]==2.5.3  # the queue
          - nodejs
        """))
    assert [(pin.spec, pin.extras, pin.loc) for pin in pins] == [
        ("==2.5.3", ("redis",), Loc("environment.yml", 9, 9, 9, 27))]


def test_a_list_written_at_the_key_s_column_is_read():
    """YAML lets a block list sit at its key's column (`dependencies:` then `- huey`, as yamllint's
    `indent-sequences: false` writes it): its items were read as top-level lines, so no pin was found."""
    pins = huey_pins(env_file("""
        name: app
        dependencies:
        - python=3.11
        - huey=2.5.3
        - pip:
          - huey[redis]==2.4.5
        - nodejs
        variables:
        - huey=9
        """))
    assert [(pin.spec, pin.loc) for pin in pins] == [
        ("==2.5.3", Loc("environment.yml", 4, 3, 4, 13)), ("==2.4.5", Loc("environment.yml", 6, 5, 6, 23))]


@pytest.mark.parametrize("text", [
    "name: app\nvariables:\n  - huey=2.5.3\n",  # not under dependencies
    "dependencies:\n  - django-huey=1.2\n  - pip:\n    - django-huey==1.3.1\n",  # another distribution
    "dependencies:\n  - pip:\n    - git+https://github.com/coleifer/huey\n",  # a URL: not a version
])
def test_no_pin_outside_dependencies_or_for_other_packages(text):
    assert huey_pins(env_file(text)) == []


def test_conda_spec_refuses_what_is_no_match_spec():
    assert conda_spec("./local-package") is None and conda_spec("huey@2") is None


@pytest.mark.parametrize("rel", ["environment.yml", "deploy/environment.yaml"])
def test_environment_files_are_dependency_files(rel):
    assert is_dependency_file(rel)


@pytest.mark.parametrize(("pin", "expected"), [
    ("huey=2.5.3", [("HL002", "deploy/huey.service", 3)]),  # `-g`/`-t` are huey 3.4+: refused by 2.5.3
    ("huey>=3.4", []),
    ("huey=2.4|2.5", [("HL002", "deploy/huey.service", 3)]),  # either 2.4.* or 2.5.*: both refuse `-g`
    ("huey >=2.4, <3", [("HL002", "deploy/huey.service", 3)]),  # the upper bound after the space counts
    ("huey[version='<3']", [("HL002", "deploy/huey.service", 3)]),
])
def test_the_conda_pin_decides_the_version_a_launch_is_judged_with(tmp_path, pin, expected):
    write_tree(tmp_path, {
        "environment.yml": f"dependencies:\n  - python=3.11\n  - {pin}\n",
        "app.py": "from huey import SqliteHuey\nhuey = SqliteHuey(filename='/var/lib/app/huey.db')\n",
        "deploy/huey.service": ("[Service]\nUser=app\nExecStart=/opt/conda/bin/huey_consumer app.huey -g TERM -t 50\n"
                                "Restart=always\nKillSignal=SIGTERM\nTimeoutStopSec=60\n"
                                "ExecReload=/bin/kill -HUP $MAINPID\n"),
    })
    assert [t for t in triples(lint(tmp_path)) if t[0] == "HL002"] == expected


def test_a_long_spec_line_is_read_in_linear_time():
    """A hostile environment.yml item of thousands of spaced words ending in a character no build holds: conda's
    version-plus-build pattern, run as a regular expression, read the rest again from every space (seconds for
    8 KB, minutes for 50 KB); the split is now one scan, the same as the pattern's on every short spec."""
    import time

    started = time.perf_counter()
    req = conda_spec("huey " + "1 " * 20000 + "-")
    assert time.perf_counter() - started < 0.5
    assert req is not None and req.spec == "==" + "1" * 20000 + "-.*"  # no build: spaces dropped, as conda
    assert conda_spec("huey 2.5.3 pyhd8ed1ab_0").spec == "==2.5.3"  # type: ignore[union-attr]
