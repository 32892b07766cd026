"""Unit tests for hueylint.versions: the huey version a project pins."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from hueylint.locations import Loc
from hueylint.model import Project
from hueylint.sources import SourceFile
from hueylint.versions import (
    HUEY_RELEASES,
    Pin,
    folder_versions,
    huey_pins,
    includes,
    install_file_words,
    is_dependency_file,
    normalize_name,
    owner_folder,
    parse_error,
    parse_version,
    project_version,
)


def src(rel: str, text: str) -> SourceFile:
    return SourceFile(Path(rel), rel, textwrap.dedent(text).lstrip("\n"))


def only(pins: list[Pin]) -> Pin:
    assert len(pins) == 1, pins
    return pins[0]


# ---------------------------------------------------------------------------
# parse_version / names / file kinds
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.4", (3, 4, 0)),
        ("3.4.0", (3, 4, 0)),
        ("v3.4", (3, 4, 0)),
        ("V3.4.1", (3, 4, 1)),
        ("3.5.4.post1", (3, 5, 4)),
        ("3.5.0rc1", (3, 5, 0)),
        ("2.5.3+local.1", (2, 5, 3)),
        ("1!2.0", (2, 0, 0)),
        ("3", (3, 0, 0)),
        ("1.2.3.4", (1, 2, 3, 4)),
        (" 3.3.0 ", (3, 3, 0)),
        ("", None),
        ("latest", None),
        ("*", None),
        (None, None),
        (3.4, None),
    ],
)
def test_parse_version(text, expected):
    assert parse_version(text) == expected


def test_normalize_name():
    assert normalize_name("Huey") == "huey"
    assert normalize_name("Django_Huey") == "django-huey"
    assert normalize_name("django.huey") == "django-huey"


@pytest.mark.parametrize(
    "rel",
    [
        "requirements.txt",
        "requirements-dev.txt",
        "requirements_prod.txt",
        "Requirements.txt",
        "services/worker/requirements.txt",
        "requirements/base.txt",
        "requirements/prod.in",
        "requirements.in",
        "app/requirements/production.txt",
        "constraints.txt",
        "constraints-py311.txt",
        # named for requirements elsewhere in the name (field test lidiasm/MPII-TFM: the image installs
        # `docker_requirements.txt`); discovery reads them as dependency files, so the version readers do too
        "docker_requirements.txt",
        "dev-requirements.txt",
        "deploy/prod.requirements.in",
        "requirements/py3/base.txt",
        "pyproject.toml",
        "backend/pyproject.toml",
        "setup.cfg",
        "setup.py",  # install_requires, read without running it (a literal list only)
        "Pipfile",
        "Pipfile.lock",
        "poetry.lock",
        "uv.lock",
    ],
)
def test_is_dependency_file(rel):
    assert is_dependency_file(rel)


@pytest.mark.parametrize(
    "rel",
    [
        "README.md",
        "docs/requirements.md",
        "requirements.yaml",
        "requirements_check.py",
        "constraints.in",
        "package.json",
        "config.in",
        "src/thing.txt",
        "tox.ini",
        ".venv/lib/python3.11/site-packages/x/requirements.txt",
        "venv/requirements.txt",
        "node_modules/a/requirements.txt",
        "",
    ],
)
def test_not_dependency_file(rel):
    assert not is_dependency_file(rel)


def test_other_files_give_no_pins():
    assert huey_pins(src("README.md", "huey==2.5.0\n")) == []


# ---------------------------------------------------------------------------
# requirements files
# ---------------------------------------------------------------------------


def test_requirements_exact_pin_with_comment_and_loc():
    pin = only(
        huey_pins(
            src(
                "requirements.txt",
                """
                # production
                Django==5.0.6
                huey==2.5.0  # pinned: see ticket 42
                redis>=5
                """,
            )
        )
    )
    assert pin.spec == "==2.5.0"
    assert pin.version == (2, 5, 0)
    assert not pin.minimum and not pin.locked and pin.exact
    assert pin.loc == Loc("requirements.txt", 3, 1, 3, len("huey==2.5.0") + 1)


def test_requirements_indented_extras_marker():
    text = '  huey[redis] >= 2.4.5, <3 ; python_version >= "3.8"\n'
    pin = only(huey_pins(SourceFile(Path("requirements.txt"), "requirements.txt", text)))
    assert pin.name == "huey"
    assert pin.extras == ("redis",)
    assert pin.spec == ">= 2.4.5, <3"
    assert pin.version == (2, 6, 0)  # the newest release below 3
    assert pin.allowed == (">=2.4.5,<3",)
    assert pin.minimum
    assert pin.marker == 'python_version >= "3.8"'
    assert pin.loc.line == 1 and pin.loc.col == 3


@pytest.mark.parametrize(
    ("line", "spec", "version", "minimum"),
    [
        ("huey", "", (3, 5, 4), True),  # unconstrained: pip installs the newest release
        ("Huey==3.3.0", "==3.3.0", (3, 3, 0), False),
        ("huey===3.3.0", "===3.3.0", (3, 3, 0), False),
        ("huey>=2.5", ">=2.5", (3, 5, 4), True),  # a lower bound is no pin: the newest release it allows
        ("huey>2.5", ">2.5", (3, 5, 4), True),
        ("huey~=2.5", "~=2.5", (2, 6, 0), True),
        ("huey~=2.4.0", "~=2.4.0", (2, 4, 5), True),
        ("huey==2.5.*", "==2.5.*", (2, 5, 5), True),
        ("huey<3", "<3", (2, 6, 0), True),
        ("huey<=3.3", "<=3.3", (3, 3, 0), True),
        ("huey!=3.5.4", "!=3.5.4", (3, 5, 3), True),
        ("huey>=2.4,<3.5,!=3.4.0", ">=2.4,<3.5,!=3.4.0", (3, 3, 4), True),
        ("huey>=4.0", ">=4.0", (4, 0, 0), True),  # beyond the releases hueylint knows: the bound itself
        ("huey==3.6.0", "==3.6.0", (3, 6, 0), False),  # an exact pin is taken as written
        ("huey===abc", "===abc", None, False),  # not a version: unknown, not "anything"
        ("huey (==2.6.0)", "==2.6.0", (2, 6, 0), False),
        ("huey[redis,backends]==3.5.4", "==3.5.4", (3, 5, 4), False),
        ("huey==${HUEY_VERSION}", "==${HUEY_VERSION}", None, False),
    ],
)
def test_requirement_specifiers(line, spec, version, minimum):
    pin = only(huey_pins(src("requirements.txt", line + "\n")))
    assert (pin.spec, pin.version, pin.minimum) == (spec, version, minimum)


def test_requirements_other_distributions_do_not_count():
    text = """
    django-huey==1.2.1
    huey-monitor>=0.9
    hueyx==1.0
    huey_consumer_tools==1.0
    # huey==1.0 commented out
    """
    assert huey_pins(src("requirements.txt", text)) == []


def test_requirements_continuations_and_hashes():
    text = """
    huey==2.5.2 \\
        --hash=sha256:aaaa \\
        --hash=sha256:bbbb
        # via -r requirements.in
    redis==5.0.1 \\
        --hash=sha256:cccc
    """
    pin = only(huey_pins(src("requirements.txt", text)))
    assert pin.spec == "==2.5.2"
    assert pin.version == (2, 5, 2)
    assert (pin.loc.line, pin.loc.col, pin.loc.end_line) == (1, 1, 1)


def test_requirements_name_and_include_split_over_lines():
    """pip joins continued lines before it reads a name or an option: the quick checks that skip a file
    without ``huey`` (or without an include) look at the joined text too."""
    pin = only(huey_pins(src("requirements.txt", "redis==5.0.1\nHu\\\ney==2.5.2\n")))
    assert (pin.spec, pin.loc.line, pin.loc.end_line) == ("==2.5.2", 2, 3)
    assert includes(src("requirements.txt", "  \\\n-r base.txt\nredis\n")) == ["base.txt"]
    assert includes(src("requirements.txt", "redis \\\n  -r base.txt\n")) == []  # an option of redis's line


def test_requirements_include_option_split_by_a_continuation_or_after_a_lone_cr():
    """pip joins ``-\\`` and ``r base.txt`` into ``-r base.txt`` (the option itself split over lines), and a
    lone CR ends a line (old Mac line ends): the quick check for include lines finds both."""
    assert includes(src("requirements.txt", "redis\n-\\\nr base.txt\n")) == ["base.txt"]
    assert includes(src("requirements.txt", "--require\\\nment=base.txt\n")) == ["base.txt"]
    assert includes(src("requirements.txt", "# note\\\n--\\\r\nconstraint pins.txt\n")) == ["pins.txt"]
    assert includes(src("requirements.txt", "redis\r-r base.txt\r")) == ["base.txt"]
    assert includes(src("requirements.txt", "redis\n-e \\\nr base.txt\n")) == []


def test_requirements_of_many_blank_lines_have_no_include():
    """The quick include check reads each line once (from every line start the blanks of all the lines below
    were read again: 200,000 blank lines took about 30 s, which the suite's own time would show) and finds
    no include among blank lines."""
    text = "redis\n" + "\n" * 200_000 + "huey==2.5.0\n"
    assert includes(SourceFile(Path("requirements.txt"), "requirements.txt", text)) == []


def test_requirements_specifier_split_over_lines():
    text = "huey>=2.5,\\\n  <3\n"
    pin = only(huey_pins(src("requirements.txt", text)))
    assert pin.spec == ">=2.5,  <3"
    assert pin.version == (2, 6, 0)
    assert (pin.loc.line, pin.loc.end_line) == (1, 2)


def test_requirements_options_editable_vcs_and_urls_are_skipped():
    text = """
    --index-url https://pypi.example.com/simple
    --extra-index-url=https://mirror.example.com
    -e git+https://github.com/coleifer/huey.git@2.5.0#egg=huey
    --editable ./vendor/huey
    git+https://github.com/coleifer/huey.git#egg=huey
    https://files.example.com/huey-2.5.0.tar.gz
    huey @ https://files.example.com/huey-2.5.0.tar.gz
    ./vendor/huey
    -i https://pypi.org/simple
    --only-binary :all:
    """
    assert huey_pins(src("requirements.txt", text)) == []


def test_requirements_trailing_per_requirement_option():
    pin = only(huey_pins(src("requirements.txt", "huey==3.0.1 --no-binary huey\n")))
    assert pin.spec == "==3.0.1"


def test_requirements_hash_inside_word_is_not_a_comment():
    # pip only treats '#' as a comment at line start or after whitespace
    pins = huey_pins(src("requirements.txt", "huey==2.5.0#x\n"))
    assert only(pins).spec == "==2.5.0#x"
    assert only(pins).version == (2, 5, 0)


def test_requirements_folder_and_in_files():
    assert only(huey_pins(src("requirements/base.in", "huey>=3.0,<3.1\n"))).version == (3, 0, 3)
    assert only(huey_pins(src("constraints.txt", "huey==3.1.1\n"))).version == (3, 1, 1)


def test_requirements_crlf():
    pin = only(huey_pins(src("requirements.txt", "django\r\nhuey==2.5.1\r\n")))
    assert pin.loc.line == 2 and pin.loc.end_col == len("huey==2.5.1") + 1


def test_includes_requirements():
    text = """
    -r base.txt
    -rcommon.txt
    --requirement=../requirements.txt
    --requirement extra/more.txt  # comment
    -c ../constraints.txt
    --constraint pins.txt
    -r https://example.com/reqs.txt
    -r /abs/path.txt
    -r ${ROOT}/x.txt
    -r ../../../outside.txt
    -e .
    huey==2.5.0
    """
    assert includes(src("requirements/prod.txt", text)) == [
        "requirements/base.txt",
        "requirements/common.txt",
        "requirements.txt",
        "requirements/extra/more.txt",
        "constraints.txt",
        "requirements/pins.txt",
    ]


def test_includes_top_level():
    assert includes(src("requirements-dev.txt", "-r requirements.txt\n")) == ["requirements.txt"]
    assert includes(src("README.md", "-r requirements.txt\n")) == []


def test_includes_setup_cfg_and_pyproject_dynamic():
    cfg = """
    [options]
    install_requires = file: requirements/base.txt
    """
    assert includes(src("pkg/setup.cfg", cfg)) == ["pkg/requirements/base.txt"]
    pyproject = """
    [project]
    name = "app"
    dynamic = ["dependencies"]

    [tool.setuptools.dynamic]
    dependencies = {file = ["requirements.txt"]}
    """
    assert includes(src("pyproject.toml", pyproject)) == ["requirements.txt"]


# ---------------------------------------------------------------------------
# pyproject.toml
# ---------------------------------------------------------------------------


def test_pep621_dependencies_and_optional():
    text = """
    [project]
    name = "shop"
    version = "1.0"
    dependencies = [
        "django>=5.0",
        "huey[redis]==3.3.0",
        'django-huey>=1.2',
    ]

    [project.optional-dependencies]
    worker = ["Huey>=2.5; python_version >= '3.9'"]
    """
    pins = huey_pins(src("pyproject.toml", text))
    assert [p.spec for p in pins] == ["==3.3.0", ">=2.5"]
    first, second = pins
    assert first.version == (3, 3, 0) and not first.minimum and first.extras == ("redis",)
    line = "    \"huey[redis]==3.3.0\","
    assert first.loc == Loc("pyproject.toml", 6, line.index("huey") + 1, 6, line.index("huey") + 1 + len("huey[redis]==3.3.0"))
    assert second.version == (3, 5, 4) and second.minimum
    assert second.marker == "python_version >= '3.9'"
    assert second.loc.line == 11


def test_pep735_dependency_groups_and_tool_uv():
    text = """
    [project]
    name = "x"
    dependencies = []

    [dependency-groups]
    worker = ["huey>=3.0", {include-group = "base"}]
    base = []

    [tool.uv]
    constraint-dependencies = ["huey<3.5"]
    """
    pins = huey_pins(src("pyproject.toml", text))
    assert [(p.spec, p.version) for p in pins] == [(">=3.0", (3, 5, 4)), ("<3.5", (3, 4, 0))]
    # one install: the constraint narrows the dependency
    assert project_version([src("pyproject.toml", text)], None).value == (3, 4, 0)
    assert pins[0].loc.line == 6


def test_same_string_twice_gets_both_locations():
    text = """
    [project.optional-dependencies]
    a = ["huey==2.5.0"]
    b = ["huey==2.5.0"]
    """
    pins = huey_pins(src("pyproject.toml", text))
    assert [p.loc.line for p in pins] == [2, 3]


@pytest.mark.parametrize(
    ("value", "spec", "version", "minimum"),
    [
        ('"^2.5"', "^2.5", (2, 6, 0), True),
        ('"^0.4"', "^0.4", (0, 4, 9), True),
        ('"~2.5.1"', "~2.5.1", (2, 5, 5), True),
        ('"~2"', "~2", (2, 6, 0), True),
        ('"2.5.0"', "2.5.0", (2, 5, 0), False),
        ('"=2.5.0"', "=2.5.0", (2, 5, 0), False),
        ('"==3.3.0"', "==3.3.0", (3, 3, 0), False),
        ('">=2.5,<3.0"', ">=2.5,<3.0", (2, 6, 0), True),
        ('">= 2.5 < 3.0"', ">= 2.5 < 3.0", (2, 6, 0), True),
        ('"2.5.*"', "2.5.*", (2, 5, 5), True),
        ('"^2.5 || ^3.1"', "^2.5 || ^3.1", (3, 5, 4), True),
        ('"^2.5 || <1.5"', "^2.5 || <1.5", (2, 6, 0), True),
        ('"2.5 - 3.0"', "2.5 - 3.0", (3, 0, 0), True),  # both ends inclusive
        ('"2.5.x"', "2.5.x", (2, 5, 5), True),
        ('"*"', "*", (3, 5, 4), True),
        ('{version = "^3.0", extras = ["redis"]}', "^3.0", (3, 5, 4), True),
    ],
)
def test_poetry_dependencies(value, spec, version, minimum):
    text = f"""
    [tool.poetry]
    name = "shop"

    [tool.poetry.dependencies]
    python = "^3.11"
    Huey = {value}  # the task queue
    django-huey = "^1.2"
    """
    pin = only(huey_pins(src("pyproject.toml", text)))
    assert (pin.spec, pin.version, pin.minimum) == (spec, version, minimum)
    assert pin.loc.line == 6 and pin.loc.col == 1
    assert pin.loc.end_col == len(f"Huey = {value}") + 1


def test_poetry_table_extras_markers_groups_and_subtable():
    text = """
    [tool.poetry.dependencies]
    python = "^3.10"
    huey = {version = "^2.5", extras = ["redis"], python = ">=3.10"}

    [tool.poetry.group.worker.dependencies]
    "huey" = [
        {version = "2.5.0", python = "<3.9"},
        {version = "3.0.0", python = ">=3.9"},
    ]

    [tool.poetry.dev-dependencies.huey]
    version = "==3.3.0"

    [tool.poetry.group.git.dependencies]
    huey = {git = "https://github.com/coleifer/huey.git", tag = "3.3.0"}
    """
    pins = huey_pins(src("pyproject.toml", text))
    assert [(p.spec, p.version, p.loc.line) for p in pins] == [
        ("^2.5", (2, 6, 0), 3),
        ("2.5.0", (2, 5, 0), 6),
        ("3.0.0", (3, 0, 0), 6),
        ("==3.3.0", (3, 3, 0), 11),
    ]
    assert pins[0].extras == ("redis",) and pins[0].marker == "python >=3.10"
    assert pins[1].marker == "python <3.9"


def test_pyproject_without_huey():
    text = """
    [project]
    dependencies = ["django"]
    [build-system]
    requires = ["huey==1.0"]  # build requirements are not the runtime
    """
    assert huey_pins(src("pyproject.toml", text)) == []


# ---------------------------------------------------------------------------
# setup.cfg
# ---------------------------------------------------------------------------


def test_setup_cfg_install_requires_and_extras():
    text = """
    [metadata]
    name = shop

    [options]
    packages = find:
    install_requires =
        django>=4.2
        # the queue
        huey[redis]>=2.5.1,<3
    python_requires = >=3.9

    [options.extras_require]
    worker =
        huey==2.5.3; sys_platform != "win32"
    """
    pins = huey_pins(src("setup.cfg", text))
    assert [(p.spec, p.version, p.minimum) for p in pins] == [
        (">=2.5.1,<3", (2, 6, 0), True),
        ("==2.5.3", (2, 5, 3), False),
    ]
    assert pins[0].loc == Loc("setup.cfg", 9, 5, 9, 5 + len("huey[redis]>=2.5.1,<3"))
    assert pins[1].marker == 'sys_platform != "win32"'
    assert pins[1].loc.line == 14


def test_setup_py_install_requires_extras_and_names():
    """Field test (the setup.py console-script fix): a setup.py is read without running it; huey in
    ``install_requires`` (a list, or a module-level name holding one) and ``extras_require`` is a pin on its
    string; requirements built by code are not guessed."""
    text = """
    from setuptools import setup

    REQUIRES = [
        "django>=4.2",
        "huey[redis]>=2.5.1,<3",
    ]

    setup(
        name="shop",
        install_requires=REQUIRES,
        extras_require={"worker": ['huey==2.5.3; sys_platform != "win32"']},
    )
    """
    pins = huey_pins(src("setup.py", text))
    assert [(p.spec, p.version, p.minimum) for p in pins] == [
        (">=2.5.1,<3", (2, 6, 0), True),
        ("==2.5.3", (2, 5, 3), False),
    ]
    assert pins[0].loc == Loc("setup.py", 5, 5, 5, 5 + len('"huey[redis]>=2.5.1,<3"'))
    assert pins[1].marker == 'sys_platform != "win32"'
    computed = "from setuptools import setup\n\nsetup(name='x', install_requires=open('req.txt').read().split())  # huey\n"
    assert huey_pins(src("setup.py", computed)) == []
    assert huey_pins(src("setup.py", "setup(install_requires=['huey==2.5.0'\n")) == []  # broken: no pins, no error


def test_setup_py_install_requires_joined_with_plus():
    """Field test (DOAJ/doaj): Python joins ``install_requires`` lists with ``+``; a pin in any literal
    operand, in either branch of a conditional expression, or in a module-level name used as an operand is
    read; a name that refers to itself (``REQS = REQS + [...]``) is read once; computed operands are not
    guessed."""
    text = """
    import sys
    from setuptools import setup

    BASE = ["flask==3.1.0"]
    setup(
        install_requires=BASE + [
            "huey~=2.5.2",
        ] + (["setproctitle"] if "linux" in sys.platform else []),
    )
    """
    pin = only(huey_pins(src("setup.py", text)))
    assert (pin.spec, pin.version, pin.minimum) == ("~=2.5.2", (2, 5, 5), True)
    assert pin.loc == Loc("setup.py", 7, 9, 7, 9 + len('"huey~=2.5.2"'))
    branch = 'from setuptools import setup\nsetup(install_requires=["x"] + (["huey==2.4.0"] if OLD else ["huey==2.5.1"]))\n'
    assert [p.spec for p in huey_pins(src("setup.py", branch))] == ["==2.4.0", "==2.5.1"]
    extras = 'from setuptools import setup\nsetup(extras_require={"worker": ["redis"] + ["huey==2.5.0"]})\n'
    assert [p.spec for p in huey_pins(src("setup.py", extras))] == ["==2.5.0"]
    looped = 'from setuptools import setup\nREQS = ["huey==2.5.0"]\nREQS = REQS + ["redis"]\nsetup(install_requires=REQS)\n'
    assert huey_pins(src("setup.py", looped)) == []  # only the last assignment is kept: REQS itself is unknown
    computed = 'from setuptools import setup\nsetup(install_requires=["redis"] + open("r.txt").read().split())  # huey\n'
    assert huey_pins(src("setup.py", computed)) == []
    # `a + b + c` nests to the left: past 100 nested operands the first ones are unknown, never a RecursionError
    deep = "from setuptools import setup\nsetup(install_requires=" + " + ".join(['["huey==2.5.0"]'] + ['["x"]'] * 400) + ")\n"
    assert huey_pins(src("setup.py", deep)) == []


def test_setup_cfg_single_line_semicolon_list():
    text = """
    [options]
    install_requires = django; huey==3.0.3
    """
    pin = only(huey_pins(src("setup.cfg", text)))
    assert pin.version == (3, 0, 3)
    assert pin.loc.line == 2 and pin.loc.col == len("install_requires = django; ") + 1


def test_setup_cfg_other_sections_ignored():
    text = """
    [options]
    tests_require = huey==1.0
    [tool:pytest]
    addopts = huey==1.0
    """
    assert huey_pins(src("setup.cfg", text)) == []


# ---------------------------------------------------------------------------
# Pipfile
# ---------------------------------------------------------------------------


def test_pipfile_string_and_table():
    text = """
    [[source]]
    url = "https://pypi.org/simple"
    verify_ssl = true
    name = "pypi"

    [packages]
    django = "*"
    huey = "==2.5.0"

    [dev-packages]
    Huey = {version = ">=2.4", extras = ["redis"], markers = "os_name == 'posix'"}

    [requires]
    python_version = "3.11"
    """
    pins = huey_pins(src("Pipfile", text))
    assert [(p.spec, p.version, p.minimum, p.loc.line) for p in pins] == [
        ("==2.5.0", (2, 5, 0), False, 8),
        (">=2.4", (3, 5, 4), True, 11),
    ]
    assert pins[1].extras == ("redis",)
    assert pins[1].marker == "os_name == 'posix'"


def test_pipfile_star_and_vcs():
    text = """
    [packages]
    huey = "*"
    [worker]
    huey = {git = "https://github.com/coleifer/huey.git", ref = "master"}
    """
    pin = only(huey_pins(src("Pipfile", text)))
    assert pin.spec == "*" and pin.version == (3, 5, 4) and pin.minimum


# ---------------------------------------------------------------------------
# lock files
# ---------------------------------------------------------------------------

POETRY_LOCK = """
# This file is automatically @generated by Poetry 1.8.2 and should not be changed by hand.

[[package]]
name = "django-huey"
version = "1.2.1"
description = "An extension for django and huey that supports multi queue management"
optional = false
python-versions = ">=3.8"

[package.dependencies]
huey = ">=2.0"

[[package]]
name = "huey"
version = "2.5.0"
description = "huey, a little task queue"
optional = false
python-versions = "*"
files = [
    {file = "huey-2.5.0.tar.gz", hash = "sha256:2ffb52fb5c46a1b0d53c79d59df3622312b27e2ab68d81a580985a8ea4ca3480"},
]

[package.extras]
backends = ["redis (>=3.0.0)"]
redis = ["redis (>=3.0.0)"]

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "abc"
"""

UV_LOCK = """
version = 1
requires-python = ">=3.11"

[[package]]
name = "huey"
version = "3.3.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/packages/huey-3.3.0.tar.gz", hash = "sha256:00" }

[package.optional-dependencies]
redis = [
    { name = "redis" },
]

[[package]]
name = "shop"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "huey", extra = ["redis"] },
]

[package.metadata]
requires-dist = [{ name = "huey", extras = ["redis"], specifier = ">=2.5" }]
"""


def test_poetry_lock():
    pin = only(huey_pins(src("poetry.lock", POETRY_LOCK)))
    assert pin.locked and not pin.minimum
    assert pin.version == (2, 5, 0)
    assert pin.spec == "==2.5.0"
    assert pin.loc.line == 15  # the version line of the huey package
    assert POETRY_LOCK.lstrip("\n").splitlines()[14] == 'version = "2.5.0"'


def test_uv_lock():
    pin = only(huey_pins(src("uv.lock", UV_LOCK)))
    assert pin.locked and pin.version == (3, 3, 0)
    assert pin.loc.line == 6


def test_pipfile_lock():
    data = {
        "_meta": {"hash": {"sha256": "x"}, "pipfile-spec": 6, "requires": {"python_version": "3.11"}},
        "default": {
            "django-huey": {"hashes": ["sha256:1"], "version": "==1.2.1"},
            "huey": {
                "hashes": ["sha256:2ffb"],
                "index": "pypi",
                "markers": "python_version >= '3.8'",
                "version": "==2.5.2",
            },
        },
        "develop": {"huey": {"git": "https://github.com/coleifer/huey.git", "ref": "abc"}},
    }
    data = {"_meta": data["_meta"], "develop": data["develop"], "default": data["default"]}
    text = json.dumps(data, indent=4) + "\n"
    pin = only(huey_pins(src("Pipfile.lock", text)))
    assert pin.locked and pin.version == (2, 5, 2) and pin.spec == "==2.5.2"
    line = text.splitlines()[pin.loc.line - 1]
    assert line.strip() == '"version": "==2.5.2"'
    assert pin.loc.col == line.index('"version"') + 1
    assert pin.marker == "python_version >= '3.8'"


# ---------------------------------------------------------------------------
# broken files
# ---------------------------------------------------------------------------


def test_broken_pyproject():
    text = '[project]\nname = "x"\ndependencies = ["huey==2.5.0",\n[tool.x]\n'
    bad = src("pyproject.toml", text)
    assert huey_pins(bad) == []
    error = parse_error(bad)
    assert error is not None
    line, col, message = error
    assert line == 4 and col >= 1
    assert message.startswith("invalid TOML: ") and "at line" not in message


def test_broken_toml_at_end_of_document():
    bad = src("uv.lock", 'version = 1\n[[package]]\nname = "huey"\nversion = \n')
    assert huey_pins(bad) == []
    line, col, message = parse_error(bad)
    assert line >= 4 and col >= 1
    assert "end of document" not in message


def test_duplicate_table_position():
    bad = src("Pipfile", '[packages]\nhuey = "*"\n[packages]\n')
    line, col, message = parse_error(bad)
    assert line == 3 and col >= 1
    assert "twice" in message


def test_broken_pipfile_lock():
    bad = src("Pipfile.lock", '{\n  "default": {\n    "huey": {"version": "==2.5.0",}\n  }\n}\n')
    assert huey_pins(bad) == []
    line, col, message = parse_error(bad)
    assert line == 3 and col > 1
    assert message.startswith("invalid JSON: ")


def test_parse_error_none_for_good_or_untyped_files():
    assert parse_error(src("pyproject.toml", '[project]\nname = "x"\n')) is None
    assert parse_error(src("Pipfile.lock", "{}")) is None
    assert parse_error(src("requirements.txt", "this is [not valid\n")) is None
    assert parse_error(src("README.md", "[[[")) is None


def test_wrong_shapes_do_not_raise():
    assert huey_pins(src("pyproject.toml", 'project = "x"\n')) == []
    assert huey_pins(src("pyproject.toml", "[project]\ndependencies = 3\n")) == []
    assert huey_pins(src("pyproject.toml", "[tool.poetry]\ndependencies = [1]\n")) == []
    assert huey_pins(src("Pipfile.lock", "[1, 2]")) == []
    assert huey_pins(src("Pipfile.lock", '{"default": {"huey": "==1"}}')) == []
    assert huey_pins(src("poetry.lock", "package = 3\n")) == []
    assert huey_pins(src("Pipfile", "packages = 3\n")) == []
    assert huey_pins(src("setup.cfg", "no section = here\n[options]\ninstall_requires =\n")) == []
    assert huey_pins(src("requirements.txt", "\\")) == []
    assert huey_pins(src("requirements.txt", "")) == []


# ---------------------------------------------------------------------------
# project_version
# ---------------------------------------------------------------------------


def test_configured_version_wins():
    files = [src("requirements.txt", "huey==2.5.0\n")]
    val = project_version(files, "3.4")
    assert val.value == (3, 4, 0)
    assert val.loc == Loc.platform_default("configuration")
    assert val.describe() == "huey 3.4 (configured `huey-version`)"  # named as configured, not as a pin


def test_unparseable_configuration_falls_back_to_files():
    val = project_version([src("requirements.txt", "huey==2.5.0\n")], "newest")
    assert val.value == (2, 5, 0)


def test_unknown_version():
    val = project_version([src("requirements.txt", "huey==${HUEY}\n"), src("README.md", "huey==1.0")], None)
    assert val.value is None
    assert val.describe() == "huey version unknown, newest assumed"
    assert val.known  # an assumption, not an unknowable value
    assert project_version([], None).loc == Loc.platform_default("unknown huey version: newest assumed")


def test_unconstrained_requirement_is_the_newest_release():
    val = project_version([src("requirements.txt", "huey\n")], None)
    assert (val.value, val.basis) == ((3, 5, 4), "range")
    assert val.describe() == "huey 3.5.4 (the newest release `huey` allows, requirements.txt:1)"


def test_lower_bound_is_not_a_pin():
    val = project_version([src("requirements.txt", "django\nhuey[redis]>=2.0.0\n")], None)
    assert val.value == parse_version(HUEY_RELEASES[-1]) == (3, 5, 4)  # pip installs the newest
    assert val.describe() == "huey 3.5.4 (the newest release `huey[redis]>=2.0.0` allows, requirements.txt:2)"
    exact = project_version([src("requirements.txt", "huey==2.5.0\n")], None)
    assert exact.describe() == "huey 2.5.0 (pinned in requirements.txt:1)"


def test_constraints_file_narrows_a_lower_bound():
    files = [src("requirements.txt", "-c constraints.txt\nhuey>=2.0\n"), src("constraints.txt", "huey<3\n")]
    val = project_version(files, None)
    assert val.value == (2, 6, 0)
    assert (val.loc.path, val.spec) == ("constraints.txt", "huey<3")  # the constraint that binds


def test_each_folder_has_its_own_version():
    files = [
        src("a/requirements.txt", "huey==2.5.0\n"),
        src("b/requirements/base.txt", "huey~=3.4\n"),
        src("b/requirements/prod.txt", "-r base.txt\n"),
        src("c/pyproject.toml", '[project]\ndependencies = ["huey>=2.0"]\n'),
        src("c/uv.lock", UV_LOCK),
    ]
    table, repo = folder_versions(files, None)
    assert {folder: (v.value, v.basis) for folder, v in table.items()} == {
        "a": ((2, 5, 0), "pin"), "b": ((3, 5, 4), "range"), "c": ((3, 3, 0), "lock")}
    assert table["b"].loc.path == "b/requirements/base.txt"
    # nothing at the root and the folders disagree: which huey a launch outside them runs is not known
    assert (repo.value, repo.basis) == (None, "assumed")
    assert str(repo.loc) == "service folders pin different huey versions, none on this launch's path: newest assumed"
    _, same = folder_versions(files[:1] + [src("d/requirements.txt", "huey==2.5.0\n")], None)
    assert (same.value, same.loc.path) == ((2, 5, 0), "a/requirements.txt")  # folders that agree: their huey
    assert owner_folder("b/requirements/base.txt") == "b" and owner_folder("requirements.txt") == ""


def test_version_for_walks_up_to_the_nearest_folder():
    files = [src("requirements.txt", "huey==3.3.0\n"), src("services/b/requirements.txt", "huey==3.5.4\n")]
    project = Project(root="/r")
    project.folder_versions, project.huey_version = folder_versions(files, None)
    assert project.version_for("services/b/deploy/huey.service").value == (3, 5, 4)
    assert project.version_for("services/a/huey.service").value == (3, 3, 0)  # the root's
    assert project.version_for("/app/manage.py", "services/b/Dockerfile").value == (3, 5, 4)
    assert project.version_for("services/b/").value == (3, 5, 4)
    project.huey_version = folder_versions(files, "2.5")[1]
    assert project.version_for("services/b/huey.service").describe() == "huey 2.5 (configured `huey-version`)"


def test_lock_beats_minimum():
    files = [
        src("pyproject.toml", '[project]\ndependencies = ["huey>=2.5"]\n'),
        src("uv.lock", UV_LOCK),
    ]
    val = project_version(files, None)
    assert val.value == (3, 3, 0)
    assert val.loc.path == "uv.lock"


def test_lock_beats_exact_pin():
    files = [src("requirements.txt", "huey==2.4.0\n"), src("poetry.lock", POETRY_LOCK)]
    assert project_version(files, None).value == (2, 5, 0)


def test_exact_beats_minimum():
    files = [
        src("requirements/base.txt", "huey>=2.0\n"),
        src("requirements/prod.txt", "-r base.txt\nhuey==3.0.2\n"),
    ]
    val = project_version(files, None)
    assert val.value == (3, 0, 2)
    assert (val.loc.path, val.loc.line) == ("requirements/prod.txt", 2)


def test_conflicting_pins_across_services_are_not_guessed():
    files = [
        src("services/api/requirements.txt", "huey==3.5.4\n"),
        src("services/worker/requirements.txt", "huey==2.5.1\n"),
        src("Pipfile", '[packages]\nhuey = "==3.3.0"\n'),
    ]
    val = project_version(files, None)
    assert (val.value, val.loc.path) == ((3, 3, 0), "Pipfile")  # the root's: on every launch's path
    val = project_version(files[:2], None)  # no root: the services disagree, newest assumed
    assert (val.value, val.basis) == (None, "assumed")


def test_conflicting_minimums_take_the_lowest():
    files = [
        src("pyproject.toml", '[tool.poetry.dependencies]\nhuey = "^3.0"\n'),
        src("setup.cfg", "[options]\ninstall_requires =\n    huey>=2.5\n"),
    ]
    val = project_version(files, None)
    assert val.value == (3, 5, 4)  # ^3.0 allows up to 3.x, >=2.5 anything: both give the newest
    files[0] = src("pyproject.toml", '[tool.poetry.dependencies]\nhuey = "^2.4"\n')
    val = project_version(files, None)
    assert (val.value, val.loc.path) == ((2, 6, 0), "pyproject.toml")


def test_unconditional_pins_preferred_over_marked_ones():
    text = 'huey==1.11.0; python_version < "3"\nhuey==3.3.0; python_version >= "3"\nhuey==3.0.0\n'
    assert project_version([src("requirements.txt", text)], None).value == (3, 0, 0)
    marked_only = 'huey==1.11.0; python_version < "3"\nhuey==3.3.0; python_version >= "3"\n'
    assert project_version([src("requirements.txt", marked_only)], None).value == (1, 11, 0)


def test_broken_file_is_ignored_by_project_version():
    files = [src("pyproject.toml", "[project\n"), src("requirements.txt", "huey==3.1.0\n")]
    assert project_version(files, None).value == (3, 1, 0)


def test_dockerfile_pip_install_pins():
    text = ('FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt \\\n'
            '    && pip install "huey[redis]>=2.5,<3" gunicorn\n'
            'RUN python -m pip install huey>=3.4\n')
    pins = huey_pins(src("services/w/Dockerfile", text))
    assert [(p.spec, p.version, p.loc.line, p.loc.col) for p in pins] == [
        (">=2.5,<3", (2, 6, 0), 3, 21),
        ("", (3, 5, 4), 4, 27),  # unquoted: the shell redirects `>=3.4`, pip gets plain `huey`
    ]
    assert is_dependency_file("Dockerfile.worker") and owner_folder("services/w/Dockerfile") == "services/w"
    assert project_version([src("Dockerfile", "FROM x\nRUN pip install huey==2.5.0 redis\n")], None).describe() \
        == "huey 2.5.0 (pinned in Dockerfile:2)"


def test_a_dependency_file_is_parsed_once_for_its_hl001_and_its_pins(monkeypatch: pytest.MonkeyPatch) -> None:
    import tomli

    from hueylint.versions import errors, tomltext

    calls: list[str] = []
    real = tomli.loads
    monkeypatch.setattr(tomli, "loads", lambda text: calls.append(text) or real(text))
    lock = SourceFile(Path("uv.lock"), "uv.lock", '[[package]]\nname = "huey"\nversion = "2.5.2"\n# once\n')
    bad = SourceFile(Path("b/uv.lock"), "b/uv.lock", '[[package]]\nname = "huey\n# once\n')
    assert errors.parse_error(lock) is None
    assert tomltext.load_toml(lock)["package"][0]["version"] == "2.5.2"
    assert errors.parse_error(bad) == (2, 13, "invalid TOML: Illegal character '\\n'") == errors.parse_error(bad)
    assert tomltext.load_toml(bad) == {}
    assert calls == [lock.text, bad.text]


@pytest.mark.parametrize("text", [
    "huey==2.5.0 \\\n    --hash=sha256:abc \\\n    --hash=sha256:def\nredis==5\n",
    "a\\\n\\\nb==1  # pinned\r\n# note \\\nc>=2\\",
    "\\\n\\\n",
    "x==1\r\ny==2\rz==3",
])
def test_logical_lines_map_every_character_to_its_file_offset(text: str) -> None:
    """pip's logical lines keep where each character was written: checked against joining the physical lines
    character by character."""
    from hueylint.versions.text import logical_lines, strip_comment

    expected: list[tuple[str, list[int]]] = []
    chars: list[tuple[str, int]] = []
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        if match.start() == len(text) and not match.group():
            break
        raw = match.group().rstrip("\r\n")
        if raw.endswith("\\") and not raw.lstrip().startswith("#"):
            chars += [(char, match.start() + i) for i, char in enumerate(raw[:-1])]
            continue
        chars += [(char, match.start() + i) for i, char in enumerate(raw)]
        expected.append(("".join(c for c, _ in chars), [o for _, o in chars]))
        chars = []
    if chars:
        expected.append(("".join(c for c, _ in chars), [o for _, o in chars]))
    found = list(logical_lines(src("requirements.txt", text)))
    assert [line.text for line in found] == [strip_comment(joined) for joined, _ in expected]
    for line, (_joined, offsets) in zip(found, expected):
        assert [line.offsets[i] for i in range(len(line.text))] == offsets[:len(line.text)]
        assert all(text[line.offsets[i]] == line.text[i] for i in range(len(line.text)))


def test_a_lock_file_that_never_names_huey_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    import tomli


    calls: list[str] = []
    real = tomli.loads
    monkeypatch.setattr(tomli, "loads", lambda text: calls.append(text) or real(text))
    other = '[[package]]\nname = "redis\nversion = "5.0.1"\n'  # broken, but pins no huey
    for name in ("uv.lock", "poetry.lock", "Pipfile.lock"):
        assert parse_error(src(name, other)) is None
        assert huey_pins(src(name, other)) == []
    assert calls == []
    named = '[[package]]\nname = "Huey"\nversion = "2.5.2"\n'  # any case: package names are normalised
    assert [pin.spec for pin in huey_pins(src("poetry.lock", named))] == ["==2.5.2"]
    assert parse_error(src("uv.lock", named.replace('"Huey"', '"Huey'))) is not None
    assert parse_error(src("pyproject.toml", "[project\n")) is not None  # manifests are always read


NAMING_TEXTS = [
    "huey==2.5.0\n",
    "redis==5.0\nhuey==2.5.0",  # no final line end
    "HUEY[redis]>=2.5 \\\n    --hash=sha256:abc \\\n    --hash=sha256:def\nredis==5 \\\n    --hash=sha256:1\n",
    "a==1 \\\r\n  --hash=x\r\nHuey==2.5 \\\r\n  --hash=y\r\nb==2\r\n",  # CRLF
    "a==1 \\\r  --hash=x\rhuey==2.5 \\\r  --hash=y\r",  # lone CR
    "# huey is pinned below \\\nhuey==2.5.0\n",  # a comment line ending in \ joins nothing
    "django==5 \\\n  # via huey\nhuey==2.5\n",
    "hu\\\ney==2.5.0\n",  # a continuation splits the name
    "# huey\nhu\\\ney==2.5.0\n",  # a mention, and a split name elsewhere
    "x==1 \\\n",  # a continuation at the end
    "huey==2.5 \\\n",
    "huey==2.4 ; python_version < '3.8' huey==2.5\nhuey>=2\n",
    "\\\nhuey\n\\\n\\\n",
    "",
    "# İİİİİİİİİİİİİİİİ\nhuey==2.5\nredis==5.0.1\n",  # İ lowered is two characters
    "\ufeffhuey==2.5\f\x85\u2028\nhuey>=2\n",
]


@pytest.mark.parametrize("text", NAMING_TEXTS)
def test_logical_lines_naming_reads_what_a_whole_walk_reads(text: str) -> None:
    from hueylint.versions.text import logical_lines, logical_lines_naming

    source = src("requirements.txt", text)
    assert list(logical_lines_naming(source, "huey")) == \
        [logical for logical in logical_lines(source) if "huey" in logical.text.lower()]


def test_logical_lines_naming_on_generated_texts() -> None:
    """Lines of names, hashes, comments and continuations in every line-end style, compared with the
    whole walk (a fixed seed: the same texts every run)."""
    import random

    from hueylint.versions.text import logical_lines, logical_lines_naming

    pieces = ["huey==2.5.0", "HuEy", "hu", "ey", "redis==5", "--hash=sha256:ab", "# via huey", "#", "", " ", "\\",
              "# İİİİİİİİ", "\ufeff", "\f", "\x85"]
    ends = ["\n", "\r\n", "\r", "\\\n", "\\\r\n", "\\\r"]
    rng = random.Random(14)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(ends) for _ in range(rng.randrange(1, 9)))
        text = text[:-rng.randrange(1, 3)] if rng.random() < 0.3 else text  # no line end, half of one
        source = src("requirements.txt", text)
        assert list(logical_lines_naming(source, "huey")) == \
            [logical for logical in logical_lines(source) if "huey" in logical.text.lower()], repr(text)


def test_includes_reads_what_a_whole_walk_reads() -> None:
    """Only the logical lines around a possible include option are read; generated texts of options split
    by continuations, comments, blanks and hashes give what reading every logical line gives."""
    import random

    from hueylint.versions import requirements
    from hueylint.versions.text import logical_lines

    def whole_walk(source: SourceFile) -> list[str]:
        found = [match.group("path") for logical in logical_lines(source)
                 if (match := requirements._INCLUDE_RE.match(logical.text))]
        resolved = [requirements._resolve(source, target) for target in found]
        return list(dict.fromkeys(path for path in resolved if path))

    pieces = ["-r base.txt", "-c c.txt", "--requirement=d.txt", "--constraint e.txt", "-", "r f.txt", "--requi",
              "rement g.txt", "  ", "", "# -r h.txt", "huey==2.5", "--hash=sha256:ab", "\t-r i.txt", "\\"]
    ends = ["\n", "\r\n", "\r", "\\\n", "\\\r\n", "\\\r"]
    rng = random.Random(758)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(ends) for _ in range(rng.randrange(1, 9)))
        source = src("requirements/dev.txt", text)
        assert requirements.includes(source) == whole_walk(source), repr(text)


def test_a_pin_after_a_line_lower_case_lengthens_is_found() -> None:
    """``İ`` lowers to two characters: the mentions found in the lowered text are not at the text's offsets,
    and the huey line must still be read (it was missed: the offset fell on the next line)."""
    text = "# İZMİR İSTANBUL İZMİT İNEGÖL İNDEX MİRROR (İ İ İ İ İ)\nhuey==2.5\nredis==5.0.1\n"
    from hueylint.versions.requirements import requirements_pins

    (pin,) = requirements_pins(src("requirements.txt", text))
    assert (pin.spec, pin.loc) == ("==2.5", Loc("requirements.txt", 2, 1, 2, 10))


@pytest.mark.parametrize(("rel", "text"), [
    ("poetry.lock", '[[package]]\nname = "\\u0068uey"\nversion = "1.11.0"\n'),
    ("uv.lock", '[[package]]\nname = "\\U00000048\\u0055\\u0045\\u0059"\nversion = "1.11.0"\n'),
    ("uv.lock", '[[package]]\nname = """hu\\\r\n   ey"""\nversion = "1.11.0"\n'),  # a line-ending backslash
    ("Pipfile.lock", '{"default": {"\\u0068\\u0075\\u0065\\u0079": {"version": "==1.11.0"}}}'),
])
def test_a_lock_file_naming_huey_through_escapes_is_parsed(rel: str, text: str) -> None:
    """TOML and JSON strings may spell a package's name with escapes: the lock names huey (its parser reads
    ``huey``), so it is read as if the name were written out (it was skipped as never naming huey)."""
    assert [pin.spec for pin in huey_pins(src(rel, text))] == ["==1.11.0"]
    assert parse_error(src(rel, text[:-3])) is not None  # and it is checked for HL001 as such a lock is


def test_reading_around_each_mention_is_linear_in_the_text() -> None:
    """The logical lines around each of many mentions are found by searching back only to their own line's
    start: a search to the file's start for the line end a file never uses (``\\r`` in a ``\\n`` file) made a
    file of one mention per line quadratic (a 2 MB requirements file of comments naming huey took 7 s)."""
    from collections.abc import Callable

    from hueylint.versions.requirements import includes, requirements_pins

    scanned = [0]

    class Counted(str):
        def rfind(self, sub: str, *bounds: int | None) -> int:  # type: ignore[override]
            start, end = (list(bounds) + [0, len(self)])[:2] if len(bounds) < 2 else bounds
            scanned[0] += (len(self) if end is None else end) - (start or 0)
            return super().rfind(sub, *bounds)

    def scanning(text: str, read: Callable[[SourceFile], object]) -> int:
        scanned[0] = 0
        read(SourceFile(Path("requirements.txt"), "requirements.txt", Counted(text)))
        return scanned[0]

    # one mention in nine lines: read around each (from one in DENSE lines on, the whole text is walked)
    for body, read in (("# huey\n" + "x==1\n" * 8, requirements_pins), ("-r a.txt\n" + "x==1\n" * 8, includes),
                       ("# huey\r" + "x==1\r" * 8, requirements_pins)):
        once, twice = scanning(body * 2000, read), scanning(body * 4000, read)
        assert 0 < twice <= 2.2 * once, (body, once, twice)  # twice the lines: twice the search, not four times


def test_line_starts_follow_every_line_end() -> None:
    """Each line's start offset whichever line ends a text uses (``\\n``, ``\\r\\n``, a lone ``\\r``, none at
    the end), as a search for each line end finds them."""
    import random
    import re

    from hueylint.versions.text import line_starts

    rng = random.Random(14)
    for _ in range(2000):
        text = "".join(rng.choice(["", "a", "huey==2.5", " "]) + rng.choice(["\n", "\r\n", "\r", ""])
                       for _ in range(rng.randrange(0, 8)))
        assert line_starts(text) == [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))], repr(text)


def test_a_dockerfile_s_own_pin_decides_for_its_image_not_its_folder():
    """Field test (two Dockerfiles in one folder): each image runs its own `pip install huey`, while the folder
    keeps the lowest of its files and the repository-wide version is unchanged."""
    files = [SourceFile(Path(rel), rel, text, format="dockerfile") for rel, text in (
        ("svc/Dockerfile", "FROM python:3.12\nRUN pip install huey==2.5.0\n"),
        ("svc/Dockerfile.worker", "FROM python:3.12\nRUN pip install 'huey>=3.4,<3.5'\n"),
        ("svc/Dockerfile.plain", "FROM python:3.12\nRUN pip install redis\n"),
        ("svc/Dockerfile-beat", "FROM python:3.12\nRUN pip3 install huey==3.5.4\n"))]  # named so: found by content
    table, repository = folder_versions(files, None)
    project = Project(root=".", folder_versions=table, huey_version=repository)
    assert project.version_for("svc/Dockerfile.worker").value[:2] == (3, 4)
    assert project.version_for("svc/Dockerfile").value == (2, 5, 0)
    assert project.version_for("svc/Dockerfile.plain").value == (2, 5, 0)  # no pin of its own: the folder's
    assert project.version_for("svc/Dockerfile-beat").value == (3, 5, 4)
    assert project.version_for("svc/").value == (2, 5, 0) and repository.value == (2, 5, 0)


@pytest.mark.parametrize(("text", "files"), [
    ("pip install -r requirements.txt", ["requirements.txt"]),
    ("pip --default-timeout=240 install -r requirements.txt", ["requirements.txt"]),  # pip's general options first
    ("pip -q --timeout 60 install --no-cache-dir -rreq/base.txt", ["req/base.txt"]),
    ("python3 -m pip install --requirement=/tmp/r.txt --constraint /tmp/c.txt", ["/tmp/r.txt", "/tmp/c.txt"]),
    ("uv pip install --system -r requirements.txt && pip install -c constraints.txt huey", ["requirements.txt",
                                                                                            "constraints.txt"]),
    ("pip install 'huey==2.5.0' && echo -r notes.txt", []),  # another command's `-r`
    ("pip install -r $REQUIREMENTS", []),  # a variable left unexpanded: not known
    ("pip install --upgrade pip", []),
    ("pip show install -r x.txt", []),  # not pip's install command
    # a project folder: its manifest (not an option's value, a wheel or an index URL)
    ("pip install --no-cache-dir --prefix /install .", ["pyproject.toml", "setup.cfg", "setup.py"]),
    ("pip install -e ./worker -i https://pypi.example/simple dist/app.whl ./x.whl",
     ["worker/pyproject.toml", "worker/setup.cfg", "worker/setup.py"]),
    ("pip install --editable=/src/app", ["/src/app/pyproject.toml", "/src/app/setup.cfg", "/src/app/setup.py"]),
    ("poetry config virtualenvs.create false && poetry install --no-root --only main", ["pyproject.toml", "poetry.lock"]),
    ("poetry -C backend install", ["backend/pyproject.toml", "backend/poetry.lock"]),
    ("uv sync --frozen --no-dev --project svc", ["svc/pyproject.toml", "svc/uv.lock"]),
    ("pipenv install --system --deploy", ["Pipfile", "Pipfile.lock"]),
    ("poetry export -f requirements.txt -o r.txt && pip install -r r.txt", ["r.txt"]),  # poetry's other commands
])
def test_install_file_words(text, files):
    assert install_file_words(text) == files


def test_a_dockerfile_s_image_reads_the_requirement_files_its_pip_install_r_reads():
    """Field test (Tracardi/tracardi): `COPY tracardi/worker/requirements.txt .` then `RUN pip install -r
    requirements.txt`: the image runs that file's huey (with the files it includes), not the root's setup.py's;
    the folder and the repository keep theirs."""
    files = [
        SourceFile(Path("setup.py"), "setup.py", "from setuptools import setup\nsetup(install_requires=['huey'])\n",
                   format="python"),
        SourceFile(Path("worker/requirements.txt"), "worker/requirements.txt", "-r requirements-base.txt\nredis\n"),
        SourceFile(Path("worker/requirements-base.txt"), "worker/requirements-base.txt", "huey>=2.4,<2.5\n"),
        SourceFile(Path("worker.Dockerfile"), "worker.Dockerfile",
                   "FROM python:3.10\nCOPY worker/requirements.txt .\nRUN pip install -r requirements.txt\n",
                   format="dockerfile"),
        SourceFile(Path("api.Dockerfile"), "api.Dockerfile",
                   "FROM python:3.10\nRUN pip install 'huey==2.5.0'\n", format="dockerfile"),
    ]
    table, repository = folder_versions(files, None, image_reads={"worker.Dockerfile": ["worker/requirements.txt"],
                                                                  "api.Dockerfile": ["missing.txt"]})
    project = Project(root=".", folder_versions=table, huey_version=repository)
    assert project.version_for("worker.Dockerfile").describe() == "huey 2.4.5 (the newest release `huey>=2.4,<2.5` " \
                                                                 "allows, worker/requirements-base.txt:1)"
    assert project.version_for("api.Dockerfile").value == (2, 5, 0)  # a file not in the repository adds nothing
    assert project.version_for("setup.py").value == (2, 5, 0)  # the root folder: its lowest install, as before
    assert folder_versions(files, None)[0].get("worker.Dockerfile") is None  # without the reads: no version its own
