"""logrotate configuration: stanzas (paths + ``{ directives }``), global directives, scripts.

Only what the logging rules need is kept: each stanza's path patterns, its
effective directives (global directives written before it in the same file
apply, ``noX`` cancels ``X``) and where it starts.  Scripts
(``postrotate ... endscript`` and friends) are opaque text, except that a
script restarting or HUP-ing a service is recorded as the pseudo directive
``postrotate:restarts`` (huey re-opens its log file when it re-executes on
SIGHUP, so such a stanza does rotate correctly).

Malformed input (unbalanced braces, a script without ``endscript``, paths
without a block) raises :class:`ParseError` with the exact position.
Template placeholders (``{{ log_dir }}``) are kept in the patterns, whose
matching then stays unknown, and never count as braces.
"""

from __future__ import annotations

import re
from dataclasses import field

from hueylint.model import LOGROTATE_REOPENS_SUPERVISORD as REOPENS_SUPERVISORD
from hueylint.model import LOGROTATE_RESTARTS as RESTARTS
from hueylint.parsers import ParseError
from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile
from hueylint.words import Jinja, split

SCRIPTS = frozenset({"postrotate", "prerotate", "firstaction", "lastaction", "preremove"})
_RESTART = lazy_pattern(
    r"\bkill\b[^\n;|&]*(?:-HUP\b|-SIGHUP\b|-s\s+(?:SIG)?HUP\b|-1\b)|\b(?:systemctl|service)\b[^\n;|&]*"
    r"\b(?:reload|restart|try-restart|reload-or-restart)\b|\bsupervisorctl\b[^\n;|&]*\brestart\b",
    re.IGNORECASE)
#: a script sending SIGUSR2 (:data:`REOPENS_SUPERVISORD`): ``kill -USR2 $(cat /var/run/supervisord.pid)``
_USR2 = lazy_pattern(r"\bkill\b[^\n;|&]*(?:-USR2\b|-SIGUSR2\b|-s\s+(?:SIG)?USR2\b|-12\b)", re.IGNORECASE)


@dataclass
class Stanza:
    """One stanza of a logrotate configuration: its path patterns, where they start (1-based), the
    directives in order (global ones first) and its scripts (``postrotate``...: kind, line, text)."""

    patterns: list[str]
    line: int  # line of the first path
    col: int
    directives: list[str] = field(default_factory=list)  # in order, globals first
    scripts: list[tuple[str, int, str]] = field(default_factory=list)  # (kind, line, text)

    def effective(self) -> frozenset[str]:
        """Directive names after ``noX``/``X`` cancellations, plus :data:`RESTARTS` when a script restarts."""
        active: list[str] = []
        for name in self.directives:
            opposite = name[2:] if name.startswith("no") else "no" + name
            if opposite in active:
                active.remove(opposite)
            if name not in active:
                active.append(name)
        result = set(active)
        if any(kind in ("postrotate", "lastaction") and _RESTART.search(text) for kind, _line, text in self.scripts):
            result.add(RESTARTS)
        if any(kind in ("postrotate", "lastaction") and _USR2.search(text) for kind, _line, text in self.scripts):
            result.add(REOPENS_SUPERVISORD)
        return frozenset(result)


@dataclass
class Config:
    """A logrotate configuration: its stanzas and the ``include`` lines (path, 1-based line)."""

    stanzas: list[Stanza] = field(default_factory=list)
    includes: list[tuple[str, int]] = field(default_factory=list)


def _placeholders(text: str) -> Jinja:
    """A template's placeholders, tags and comments in a line (a linear scan: :class:`~hueylint.words.Jinja`)."""
    return Jinja(text, blocks=False, variables=True)


def _mask(text: str) -> str:
    """Hide template placeholders from brace counting, keeping columns."""
    return _placeholders(text).sub(lambda span, *_: "x" * len(span))


def _words(text: str) -> list[str]:
    """Split like the shell, keeping each template placeholder inside one word."""
    return split(text, whole=_placeholders)


def parse(src: SourceFile) -> Config:
    config = Config()
    globals_: list[str] = []
    pending: list[tuple[str, int, int]] = []  # paths written before their `{`
    stanza: Stanza | None = None
    open_at = (0, 0)
    script: tuple[str, int, int, list[str]] | None = None
    lines = src.text.splitlines()
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if script is not None:
            if stripped.split()[:1] == ["endscript"]:
                kind, start, _col, body = script
                assert stanza is not None
                stanza.scripts.append((kind, start, "\n".join(body)))
                script = None
            else:
                script[3].append(raw)
            continue
        if not stripped or stripped.startswith("#") or stripped.startswith("{%"):
            continue
        masked = _mask(raw)
        indent = len(raw) - len(raw.lstrip())
        if stanza is not None:
            brace = masked.find("{")
            if brace >= 0:
                raise ParseError("`{` inside a stanza: the previous block is missing its `}`", number, brace + 1)
            close = masked.find("}")
            before_close = raw[:close] if close >= 0 else raw
            words = before_close.split()
            if words and words[0] in SCRIPTS:
                script = (words[0], number, indent + 1, [])
                if close >= 0:
                    raise ParseError(f"`}}` before `endscript` of `{words[0]}`", number, close + 1)
                continue
            stanza.directives += [w.lower() for w in words if not w[:1].isdigit()][:1] if len(words) else []
            if close >= 0:
                rest = masked[close + 1:].strip()
                if rest:
                    raise ParseError(f"unexpected text after `}}`: {rest[:30]!r}", number, close + 2)
                config.stanzas.append(stanza)
                stanza = None
            continue
        close = masked.find("}")
        brace = masked.find("{")
        if close >= 0 and (brace < 0 or close < brace):
            raise ParseError("`}` without a matching `{`", number, close + 1)
        if brace >= 0:
            head = raw[:brace]
            for word in _words(head):
                pending.append((word, number, raw.find(word) + 1 if raw.find(word) >= 0 else indent + 1))
            if not pending:
                raise ParseError("`{` without a log file path before it", number, brace + 1)
            first = pending[0]
            stanza = Stanza([p for p, _l, _c in pending], first[1], first[2], directives=list(globals_))
            pending = []
            open_at = (number, brace + 1)
            inner = masked[brace + 1:]
            if "{" in inner:
                raise ParseError("`{` inside a stanza", number, brace + 2 + inner.find("{"))
            end = inner.find("}")
            content = raw[brace + 1: brace + 1 + end] if end >= 0 else raw[brace + 1:]
            words = content.split()
            stanza.directives += [w.lower() for w in words if re.fullmatch(r"[a-z]+", w)]
            if end >= 0:
                config.stanzas.append(stanza)
                stanza = None
            continue
        words = _words(stripped)
        first_word = words[0] if words else ""
        if first_word.startswith(("/", "~", "*", "$", "{{")) or raw.lstrip().startswith(('"', "'")):
            for word in words:
                pending.append((word, number, raw.find(word) + 1 if raw.find(word) >= 0 else indent + 1))
            continue
        if pending:
            path, line, col = pending[0]
            raise ParseError(f"log file path {path!r} is not followed by a `{{ ... }}` block", line, col)
        if first_word == "include" and len(words) > 1:
            config.includes.append((words[1], number))
            continue
        if first_word in SCRIPTS:
            raise ParseError(f"`{first_word}` outside of a stanza", number, indent + 1)
        globals_.append(first_word.lower())
    if script is not None:
        raise ParseError(f"`{script[0]}` has no `endscript`", script[1], script[2])
    if stanza is not None:
        raise ParseError(f"`{{` opened here is never closed with `}}` (stanza for {stanza.patterns[0]})",
                         open_at[0], open_at[1])
    if pending:
        path, line, col = pending[0]
        raise ParseError(f"log file path {path!r} is not followed by a `{{ ... }}` block", line, col)
    return config
