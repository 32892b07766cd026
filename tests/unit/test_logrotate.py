"""logrotate: the stanza parser, glob matching as logrotate does it, and HL502/HL503."""

from __future__ import annotations

from pathlib import Path

import pytest

from hueylint.checks._logfile import glob_match
from hueylint.parsers.logrotate import RESTARTS, ParseError, parse
from hueylint.sources import SourceFile
from tests.helpers import lint, triples, write_tree

GUIDE = """\
# /etc/logrotate.d/huey
/var/log/huey.log {
    weekly
    rotate 8
    compress
    copytruncate
    missingok
}
"""
SUPERVISOR = """\
[program:huey]
command=/srv/app/venv/bin/huey_consumer my_app.huey -l {log} -g TERM -t 55
stopwaitsecs=60
user=app
"""
UNIT = """\
[Service]
Type=exec
User=app
WorkingDirectory=/srv/app
ExecStart=/srv/app/venv/bin/huey_consumer my_app.huey -l {log} -g TERM -t 55
TimeoutStopSec=60
Restart=on-failure
ExecReload=/bin/kill -HUP $MAINPID
"""


def stanzas(text: str):
    return [(s.patterns, s.line, s.col, s.effective()) for s in parse(SourceFile(Path("x"), "x", text)).stanzas]


# -- parser ---------------------------------------------------------------------------------------

def test_the_guides_stanza():
    ((patterns, line, col, directives),) = stanzas(GUIDE)
    assert (patterns, line, col) == (["/var/log/huey.log"], 2, 1)
    assert {"weekly", "rotate", "compress", "copytruncate", "missingok"} <= directives


def test_one_line_block():
    ((patterns, _, _, directives),) = stanzas("/var/log/huey.log { weekly rotate 8 compress copytruncate missingok }\n")
    assert patterns == ["/var/log/huey.log"] and "copytruncate" in directives


def test_several_paths_over_lines_quotes_globals_and_negation():
    text = ('copytruncate\ncompress\n\n/var/log/a.log /var/log/b/*.log\n"/var/log/with space.log"\n{\n'
            '    nocompress\n}\n\n/var/log/c.log {\n    nocopytruncate\n}\n')
    first, second = stanzas(text)
    assert first[0] == ["/var/log/a.log", "/var/log/b/*.log", "/var/log/with space.log"]
    assert first[1] == 4 and "copytruncate" in first[3] and "compress" not in first[3]
    assert "copytruncate" not in second[3]


def test_scripts_are_opaque_but_restarts_are_recorded():
    text = ("/var/log/huey.log {\n  daily\n  postrotate\n    systemctl reload huey.service > /dev/null\n"
            "    echo '}' {\n  endscript\n}\n/var/log/x.log {\n  prerotate\n    kill -HUP 1\n  endscript\n}\n")
    first, second = stanzas(text)
    assert RESTARTS in first[3]
    assert RESTARTS not in second[3]  # a prerotate HUP happens before the rename


def test_template_placeholders_are_not_braces():
    ((patterns, _, _, directives),) = stanzas("{{ log_dir }}/huey.log {\n  copytruncate\n}\n{% if x %}\n{% endif %}\n")
    assert patterns == ["{{ log_dir }}/huey.log"] and "copytruncate" in directives


def test_include_is_recorded():
    config = parse(SourceFile(Path("x"), "x", "include /etc/logrotate.d\nweekly\n"))
    assert config.includes == [("/etc/logrotate.d", 1)] and config.stanzas == []


@pytest.mark.parametrize("text, line, col, message", [
    ("/var/log/huey.log {\n    weekly\n", 1, 19, "never closed"),
    ("weekly\n}\n", 2, 1, "without a matching"),
    ("/var/log/a.log {\n  weekly\n/var/log/b.log {\n}\n", 3, 16, "inside a stanza"),
    ("/var/log/a.log {\n  postrotate\n    true\n}\n", 2, 3, "no `endscript`"),
    ("/var/log/a.log\nweekly\n", 1, 1, "not followed by"),
    ("  {\n}\n", 1, 3, "without a log file path"),
])
def test_malformed_input_is_located(text, line, col, message):
    with pytest.raises(ParseError, match=message) as info:
        parse(SourceFile(Path("x"), "x", text))
    assert (info.value.line, info.value.col) == (line, col)


def test_malformed_file_is_hl001(tmp_path):
    write_tree(tmp_path, {"logrotate.d/huey": "/var/log/huey.log {\n    weekly\n"})
    result = lint(tmp_path)
    assert triples(result) == [("HL001", "logrotate.d/huey", 1)]
    assert result.findings[0].loc.col == 19


def test_content_sniffed_outside_logrotate_d(tmp_path):
    write_tree(tmp_path, {"deploy/huey.logrotate.conf": GUIDE.replace("copytruncate", "create"),
                          "deploy/supervisord.conf": SUPERVISOR.format(log="/var/log/huey.log")})
    assert triples(lint(tmp_path), "HL502") == [("HL502", "deploy/huey.logrotate.conf", 2)]


# -- matching ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, pattern, expected", [
    ("/var/log/huey.log", "/var/log/huey.log", True),
    ("/var/log/huey/worker.log", "/var/log/huey/*.log", True),
    ("/var/log/huey/worker.log", "/var/log/*.log", False),  # `*` never crosses `/`
    ("/var/log/huey/worker.log", "/var/log/*/*.log", True),
    ("/var/log/huey-1.log", "/var/log/huey-?.log", True),
    ("/var/log/huey.log", "/var/log/huey.log.*", False),
    ("/var/log/./huey.log", "/var/log/huey.log", True),
])
def test_glob_match(path, pattern, expected):
    assert glob_match(path, pattern) is expected


# -- HL502 / HL503 -------------------------------------------------------------------------------------

def test_the_guides_setup_is_silent(tmp_path):
    write_tree(tmp_path, {"logrotate.d/huey": GUIDE, "supervisord.conf": SUPERVISOR.format(log="/var/log/huey.log")})
    assert [r for r in triples(lint(tmp_path)) if r[0].startswith("HL5")] == []


def test_missing_copytruncate_points_at_the_stanza_with_the_logfile_related(tmp_path):
    write_tree(tmp_path, {"logrotate.d/huey": GUIDE.replace("    copytruncate\n", ""),
                          "supervisord.conf": SUPERVISOR.format(log="/var/log/huey.log")})
    result = lint(tmp_path)
    assert triples(result, "HL502") == [("HL502", "logrotate.d/huey", 2)]
    (finding,) = [f for f in result.findings if f.rule == "HL502"]
    assert finding.related[0].loc.path == "supervisord.conf" and "Fix: add `copytruncate`" in finding.message


def test_postrotate_restart_is_accepted(tmp_path):
    stanza = GUIDE.replace("    copytruncate\n", "    postrotate\n        supervisorctl restart huey\n    endscript\n")
    write_tree(tmp_path, {"logrotate.d/huey": stanza, "supervisord.conf": SUPERVISOR.format(log="/var/log/huey.log")})
    assert triples(lint(tmp_path), "HL502") == []


def test_relative_logfile_resolved_against_working_directory(tmp_path):
    write_tree(tmp_path, {"logrotate.d/app": "/srv/app/logs/*.log {\n  daily\n}\n",
                          "huey.service": UNIT.format(log="logs/huey.log")})
    result = lint(tmp_path)
    assert triples(result, "HL502") == [("HL502", "logrotate.d/app", 1)]
    assert triples(result, "HL501") == [("HL501", "huey.service", 5)]


def test_unrotated_logfile_is_a_note(tmp_path):
    write_tree(tmp_path, {"supervisord.conf": SUPERVISOR.format(log="/var/log/huey.log")})
    result = lint(tmp_path)
    assert triples(result, "HL503") == [("HL503", "supervisord.conf", 2)]
    assert [f.severity.label for f in result.findings if f.rule == "HL503"] == ["note"]


@pytest.mark.parametrize("stanza", [
    "/var/log/*.log {\n  copytruncate\n}\n",
    "{{ huey_log }} {\n  copytruncate\n}\n",  # a template: maybe it covers the file
])
def test_covered_or_unknown_coverage_is_silent(tmp_path, stanza):
    write_tree(tmp_path, {"logrotate.d/x": stanza, "supervisord.conf": SUPERVISOR.format(log="/var/log/huey.log")})
    assert triples(lint(tmp_path), "HL503") == []


@pytest.mark.parametrize("log", ["/dev/stdout", "$HUEY_LOG", "/proc/1/fd/1"])
def test_streams_and_unknown_paths_are_silent(tmp_path, log):
    write_tree(tmp_path, {"supervisord.conf": SUPERVISOR.format(log=log), "huey.service": UNIT.format(log=log)})
    assert [r for r in triples(lint(tmp_path)) if r[0].startswith("HL5")] == []
