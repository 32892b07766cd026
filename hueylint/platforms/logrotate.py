"""logrotate files: fill ``project.logrotate`` with one :class:`LogrotateStanza` per stanza.

The logging rules (HL502/HL503) match these patterns against a consumer's
``-l`` file; a broken file is reported as HL001 and contributes nothing.
"""

from __future__ import annotations

from hueylint.locations import Loc
from hueylint.model import LogrotateStanza, Project
from hueylint.parsers.logrotate import Config, parse
from hueylint.platforms import Built
from hueylint.sources import SourceFile
from hueylint.workspace import Workspace


def load(ws: Workspace, src: SourceFile) -> Config | None:
    return ws.parsed("logrotate", src, parse)


def build(ws: Workspace, project: Project) -> Built:
    """Logrotate stanzas go to ``project.logrotate`` (they launch nothing)."""
    for src in ws.of_format("logrotate"):
        config = load(ws, src)
        if config is None:
            continue
        for stanza in config.stanzas:
            text = src.line(stanza.line)
            loc = Loc(src.rel, stanza.line, stanza.col, stanza.line, len(text) + 1)
            project.logrotate.append(LogrotateStanza(tuple(stanza.patterns), stanza.effective(), loc))
    return Built()
