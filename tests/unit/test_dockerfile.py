"""Dockerfile parsing: escape directive, heredocs, ARG/ENV substitution, stage inheritance, COPY mapping."""

from __future__ import annotations

from pathlib import Path

from hueylint.parsers.dockerfile import blank_heredocs, parse
from hueylint.sources import SourceFile
from tests.helpers import lint, triples, write_tree


def _parse(text: str):
    return parse(SourceFile(Path("Dockerfile"), "Dockerfile", text))


def test_escape_directive_and_continuation():
    df = _parse("# escape=`\nFROM python:3.12\nCMD [\"huey_consumer\", `\n  \"app.huey\"]\n")
    assert df.stages[-1].cmd.words == ("huey_consumer", "app.huey")


def test_heredoc_body_is_not_read_as_instructions():
    text = "FROM python:3.12\nRUN <<EOF\nCMD [\"bad\"]\nEOF\nCMD [\"huey_consumer\", \"app.huey\"]\n"
    assert blank_heredocs(text).split("\n")[2] == ""
    df = _parse(text)
    assert df.stages[-1].cmd.words == ("huey_consumer", "app.huey")
    assert df.stages[-1].cmd.loc.line == 5


def test_global_arg_needs_redeclaration_and_env_substitutes():
    df = _parse("ARG DIR=/srv\nFROM python:3.12 AS base\nARG DIR\nENV APP=$DIR/app\nWORKDIR $APP\n"
                "FROM base\nUSER ${UNKNOWN}\n")
    final = df.stages[-1]
    assert final.workdir == "/srv/app"
    assert final.env["APP"].value == "/srv/app"
    assert final.parent is df.stages[0]


def test_copy_chmod_and_folder_map_entrypoint_script(tmp_path):
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12\nWORKDIR /app\nCOPY --chmod=755 --chown=app:app docker/ /usr/local/bin/\n"
                      "ENTRYPOINT [\"/usr/local/bin/entrypoint.sh\"]\nCMD [\"huey_consumer\", \"app.huey\"]\n",
        "docker/entrypoint.sh": "#!/bin/sh\nhuey_consumer app.huey\n",
    })
    result = lint(tmp_path)
    assert ("HL201", "Dockerfile", 4) in triples(result, "HL201")


def test_multistage_consumer_in_later_stage_inherits_stopsignal(tmp_path):
    write_tree(tmp_path, {
        "Dockerfile": "FROM python:3.12 AS base\nSTOPSIGNAL SIGINT\nFROM base AS worker\n"
                      "CMD [\"huey_consumer\", \"app.huey\"]\n",
    })
    assert triples(lint(tmp_path), "HL101") == []


def test_broken_heredoc_never_crashes(tmp_path):
    write_tree(tmp_path, {"Dockerfile": "FROM python:3.12\nRUN <<EOF\necho never closed\n"})
    lint(tmp_path)


def test_hl201_names_the_script_branch_once(tmp_path):
    """Field test (PdfDing shape): the chain's message already says which branch; the check adds no copy."""
    write_tree(tmp_path, {
        "Dockerfile": 'FROM python:3.12\nCOPY entrypoint.sh ./\nCMD ["./entrypoint.sh"]\n',
        "entrypoint.sh": '#!/bin/sh\nif [ "$TASKS" = "1" ]; then\n  python manage.py run_huey &\nfi\n'
                         'exec gunicorn app.wsgi\n',
    })
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL201"]
    assert finding.message.count('[ "$TASKS" = "1" ]') == 1


def test_hl201_fix_names_the_supervisor_a_script_runs_without_exec(tmp_path):
    """Field test (fermentrack shape): `nodaemon=true` supervisord run by a script without exec."""
    write_tree(tmp_path, {
        "Dockerfile": 'FROM python:3.12\nCOPY start.sh /start.sh\nCOPY sv.conf /etc/sv.conf\nCMD ["/start.sh"]\n',
        "start.sh": "#!/bin/sh\npython migrate.py\nsupervisord -c /etc/sv.conf\n",
        "sv.conf": "[supervisord]\nnodaemon=true\n\n[program:q]\ncommand=huey_consumer app.huey\n",
    })
    [finding] = [f for f in lint(tmp_path).findings if f.rule == "HL201"]
    assert "Fix: `exec` `supervisord` as the last command" in finding.message
