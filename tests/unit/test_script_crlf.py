"""A script a launch runs, saved with Windows line endings (CRLF), is HL001: its `#!/bin/sh\\r` names an interpreter
that does not exist (the container or unit fails with "no such file or directory"), and a shell running it
anyway reads each `\\r` as part of the line (shellcheck SC1017).  Before, hueylint read the script as if it had
LF endings and passed it ("All checks passed!").  A CRLF script that no launch runs is not judged."""

from __future__ import annotations

import pytest

from hueylint.script_lookup import carriage_return
from tests.helpers import write_tree
from tests.test_cli import run_cli

FIX = ("Fix: save the file with LF line endings (`dos2unix`, or `*.sh text eol=lf` in .gitattributes so that "
       "checkouts keep them)")
DOCKERFILE = ("FROM python:3.12\nRUN pip install huey==3.5.0\nUSER app\nCOPY start.sh /start.sh\n"
              'ENTRYPOINT [{entrypoint}]\n')
COMPOSE = "services:\n  worker:\n    build: .\n    stop_grace_period: 30s\n    restart: unless-stopped\n"
SCRIPT = "set -e\ncd /srv\nexec huey_consumer app.huey -w 2 -g TERM -t 20\n"


def _check(capsys) -> tuple[int, str]:
    code, out, _ = run_cli(capsys, "check", "--no-cache", "--output-format", "concise")
    return code, out


SHEBANG = ("start.sh:1:10: HL001 [warning] `#!/bin/sh` ends in a carriage return (Windows line endings, CRLF): the "
           "kernel looks for the interpreter `/bin/sh\\r`, which does not exist, so the script fails to start (`no "
           "such file or directory`).")
LINE = ("start.sh:2:7: HL001 [warning] line 2 ends in a carriage return (Windows line endings, CRLF): the shell reads "
        "the `\\r` as part of each line's last word (`set -e\\r`: an illegal option; `cd /srv\\r`: no such folder).")


@pytest.mark.parametrize(("script", "entrypoint", "finding"), [
    (("#!/bin/sh\n" + SCRIPT).replace("\n", "\r\n"), '"/start.sh"', SHEBANG),  # every line CRLF, run directly
    (("# worker\n" + SCRIPT).replace("set -e\n", "set -e\r\n"), '"sh", "/start.sh"', LINE),  # one line, by sh
])
def test_crlf_script_run_by_a_launch(git_repo, capsys, script, entrypoint, finding):
    (git_repo / "start.sh").write_bytes(script.encode())
    write_tree(git_repo, {"Dockerfile": DOCKERFILE.format(entrypoint=entrypoint), "compose.yaml": COMPOSE})
    assert _check(capsys) == (1, f"{finding} {FIX}\nFound 1 finding (1 warning) in 3 files checked.\n")


def test_a_byte_order_mark_before_the_shebang_of_a_script_a_launch_runs(git_repo, capsys):
    """"UTF-8 with BOM" (a Windows editor's default): execve finds no `#!` as the first two bytes and refuses the
    script (Docker: "exec format error"); hueylint decoded the mark away and passed it.  A BOM on a script
    nothing runs (tools/helper.sh) is not judged."""
    (git_repo / "start.sh").write_bytes(b"\xef\xbb\xbf#!/bin/sh\n" + SCRIPT.encode())
    (git_repo / "tools").mkdir()
    (git_repo / "tools/helper.sh").write_bytes(b"\xef\xbb\xbf#!/bin/sh\necho hi\n")
    write_tree(git_repo, {"Dockerfile": DOCKERFILE.format(entrypoint='"/start.sh"'), "compose.yaml": COMPOSE})
    assert _check(capsys) == (1, "start.sh:1:1: HL001 [warning] a UTF-8 byte order mark stands before `#!/bin/sh`: "
                                 "the kernel finds no `#!` line, so a platform that runs the script itself (an "
                                 "exec-form ENTRYPOINT, ExecStart=, command=) fails to start it (`exec format "
                                 "error`), and a shell that runs it takes the mark for part of its first command. "
                                 "Fix: save the file as UTF-8 without BOM\n"
                                 "Found 1 finding (1 warning) in 4 files checked.\n")


def test_lf_scripts_and_scripts_nothing_runs_are_not_judged(git_repo, capsys):
    write_tree(git_repo, {"start.sh": "#!/bin/sh\n" + SCRIPT, "Dockerfile": DOCKERFILE.format(entrypoint='"/start.sh"'),
                          "compose.yaml": COMPOSE})
    (git_repo / "tools").mkdir()
    (git_repo / "tools/windows-helper.sh").write_bytes(b"#!/bin/sh\r\necho hi\r\n")
    assert _check(capsys) == (0, "All checks passed! (4 files checked)\n")  # the helper is read, not judged


@pytest.mark.parametrize(("script", "finding"), [
    (b"#!/bin/sh\n# notes from a Windows editor\r\n\t# indented\r\nexec huey_consumer app.huey -g TERM -t 20\n", None),
    (b"# worker\r\nset -e\r\nexec huey_consumer app.huey -g TERM -t 20\n", (2, 7)),  # the first line that runs
])
def test_a_comment_lines_carriage_return_is_part_of_the_comment(script: bytes, finding) -> None:
    found = carriage_return(script.decode())
    assert (found[:2] if found else None) == finding
