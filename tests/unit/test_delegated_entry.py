"""A Python entry module that hands its command line to another repository module (``python -m pkg`` whose
``__main__.py`` calls ``main()`` imported from ``pkg.cli``): the launch runs the consumer when the code the
arguments select there starts one (a click/typer command or argparse sub-parser named by the first word, a
branch testing it); a command-line group given no sub-command runs none of its commands."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import lint, write_tree

DOCKERFILE = "FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nUSER nobody\nENTRYPOINT [\"python\", \"-m\", \"pkg\"]\n"
JOBS = "from huey import RedisHuey\nhuey = RedisHuey('pkg')\n\n\n@huey.task()\ndef job():\n    pass\n"
MAIN = "from pkg.cli import main\n\nif __name__ == '__main__':\n    main()\n"
CLICK = ("import click\nfrom pkg.jobs import huey\n\n\n@click.group()\ndef main():\n    pass\n\n\n"
         "@main.command()\ndef work():\n    huey.create_consumer(workers=2).run()\n\n\n"
         "@main.command(\"serve-api\")\ndef serve():\n    pass\n")
ARGPARSE = ("import argparse\nfrom pkg.jobs import huey\n\n\ndef work(args):\n    huey.create_consumer().run()\n\n\n"
            "def main():\n    parser = argparse.ArgumentParser()\n    sub = parser.add_subparsers()\n"
            "    p = sub.add_parser('work')\n    p.set_defaults(func=work)\n    args = parser.parse_args()\n"
            "    args.func(args)\n")
BRANCH = ("import sys\nfrom pkg.jobs import huey\n\n\ndef main():\n    if sys.argv[1] == 'work':\n"
          "        huey.create_consumer().run()\n")
PLAIN = "from pkg.jobs import huey\n\n\ndef main():\n    huey.create_consumer().run()\n"


def launches(root: Path, cli: str, command: str | None, main: str = MAIN) -> list[str]:
    service = "services:\n  w:\n    build: .\n    restart: always\n"
    if command is not None:
        service += f"    command: {command}\n"
    write_tree(root, {"Dockerfile": DOCKERFILE, "docker-compose.yml": service, "requirements.txt": "huey==3.0.0\n",
                      "pkg/__init__.py": "", "pkg/__main__.py": main, "pkg/cli.py": cli, "pkg/jobs.py": JOBS})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return sorted({f.rule for f in lint(root).findings if f.rule == "HL101"})


@pytest.mark.parametrize(("cli", "command"), [
    (CLICK, "work"), (CLICK, "[\"--verbose\", \"work\"]"), (ARGPARSE, "work"), (BRANCH, "work"),
    (PLAIN, None), (PLAIN, "--threads"),
], ids=["click", "click-after-an-option", "argparse", "branch", "no-subcommand", "only-options"])
def test_the_selected_code_starts_the_consumer(tmp_path: Path, cli: str, command: str | None) -> None:
    assert launches(tmp_path, cli, command) == ["HL101"]


@pytest.mark.parametrize(("cli", "command", "main"), [
    (CLICK, "serve-api", MAIN), (CLICK, None, MAIN), (ARGPARSE, None, MAIN), (ARGPARSE, "other", MAIN),
    (BRANCH, "other", MAIN),
    # the entry imports the CLI module's function but never calls it
    (PLAIN, None, "from pkg.cli import main\n\nprint(main)\n"),
], ids=["other-command", "click-group-alone", "argparse-alone", "argparse-other", "branch-other", "not-called"])
def test_other_command_lines_start_no_consumer(tmp_path: Path, cli: str, command: str | None, main: str) -> None:
    assert launches(tmp_path, cli, command, main) == []


def test_an_entry_module_whose_import_does_not_parse_is_no_internal_error(tmp_path: Path) -> None:
    """An entry module whose import statement Python refuses (its imports unknown) delegates to nothing: the
    run reports what it found and no internal error (it read None's `error` and stopped the docker platform)."""
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE.replace('"-m", "pkg"', '"worker.py"'),
                          "requirements.txt": "huey==3.0.0\n", "worker.py": "import os\nfrom pkg.cli import (\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = lint(tmp_path)
    assert result.internal_errors == [] and [f.rule for f in result.findings] == []
