"""Start scripts an install script writes with a here-document (:func:`hueylint.parsers.embedded.scripts`)."""

from __future__ import annotations

from pathlib import Path

from hueylint.parsers import embedded
from hueylint.sources import SourceFile


def source(text: str, rel: str = "deploy/install.sh") -> SourceFile:
    return SourceFile(Path("/r") / rel, rel, text, "script")


INSTALL = """#!/bin/bash
APP=/opt/app
cat > "${APP}/run-worker.sh" << 'WORKER'
#!/bin/bash
exec python manage.py run_huey
WORKER
cat <<END | tee /opt/app/stamp.sh
#!/bin/sh
echo built at $(date)
END
cat > /opt/app/tool.py <<'PY'
#!/usr/bin/env python3
print("not a shell script")
PY
cat > /opt/app/static.sh <<END
#!/bin/sh
exec huey_consumer app.huey
END
"""


def test_shell_scripts_written_with_a_here_document() -> None:
    found = embedded.scripts(source(INSTALL))
    # the quoted delimiter's text is read as written; an unquoted one only when it holds nothing the shell
    # expands while writing it (`$(date)` does); a Python program is no shell script
    assert [(block.dest, block.first, block.last) for block in found] == [
        ("${APP}/run-worker.sh", 4, 5), ("/opt/app/static.sh", 16, 17)]


def test_the_view_keeps_the_script_at_its_own_lines() -> None:
    src = source(INSTALL)
    first = embedded.scripts(src)[0]
    lines = embedded.script_text(src, first).split("\n")
    assert lines[3:5] == ["#!/bin/bash", "exec python manage.py run_huey"]
    assert not any(lines[:3]) and not any(lines[5:])


def test_units_are_still_only_the_units() -> None:
    text = INSTALL + "cat > /etc/systemd/system/w.service <<END\n[Service]\nExecStart=/opt/app/run-worker.sh\nEND\n"
    assert [block.dest for block in embedded.units(source(text))] == ["/etc/systemd/system/w.service"]


def test_yaml_files_write_no_scripts_here() -> None:
    assert embedded.scripts(source(INSTALL, "deploy/site.yml")) == []
