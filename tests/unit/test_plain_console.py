"""terminal.PlainConsole: what rich writes without colour, without importing rich (a report to a pipe)."""

from __future__ import annotations

import io
import random
import subprocess
import sys

from rich.console import Console
from rich.markup import escape

from hueylint import terminal
from tests.helpers import write_tree

PIECES = ["[", "]", "\\", "a", "/", "#", "@", "=", " ", "\x07", "\r", "é", "世", "[bold]", "[/]", "\\[", "[a]", "[/x]",
          "\t", ":smile:", "\x1b", "\u202e", "[link=x]"]


def _rich(marked: str) -> str:
    out = io.StringIO()
    Console(file=out, color_system=None, force_terminal=False, no_color=True, highlight=False, emoji=False,
            soft_wrap=True).print(marked)
    return out.getvalue()


def test_markup_escapes_as_rich_and_plain_prints_as_rich():
    rng = random.Random(11)
    for _ in range(4000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 10)))
        assert terminal.markup(text) == escape(terminal.printable(text))
        line = f"[bold]{terminal.markup(text)}:1:[/] [yellow]HL101[/] [dim]\\[warning][/] {terminal.markup(text)}"
        for marked in (line, terminal.markup(text), text):
            try:
                expected = _rich(marked)
            except Exception:  # noqa: BLE001 - markup rich refuses (a closing tag without its opening one)
                continue
            out = io.StringIO()
            console = terminal.make_console(out, "auto", soft_wrap=True)
            assert isinstance(console, terminal.PlainConsole)
            console.print(marked)
            assert out.getvalue() == expected, repr(marked)


def test_rich_decides_when_colour_may_be_wanted(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert not isinstance(terminal.make_console(Tty(), "auto", soft_wrap=True), terminal.PlainConsole)
    assert not isinstance(terminal.make_console(io.StringIO(), "always", soft_wrap=True), terminal.PlainConsole)
    assert isinstance(terminal.make_console(Tty(), "never", soft_wrap=True), terminal.PlainConsole)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not isinstance(terminal.make_console(io.StringIO(), "auto", soft_wrap=True), terminal.PlainConsole)


def test_a_check_to_a_pipe_imports_no_rich(tmp_path):
    write_tree(tmp_path, {"huey.service": "[Service]\nExecStart=/srv/bin/huey_consumer app.huey\n"})
    code = ("import sys\nfrom hueylint.cli import main\ncode = main(['check', '--no-cache', sys.argv[1]])\n"
            "print(sorted(name for name in sys.modules if name.split('.')[0] in ('rich', 'concurrent')), code)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[] 1"
    assert "huey.service:2:" in done.stdout
