"""The cheap byte check that decides whether a Python file is worth parsing.

Parsing is slow next to a byte search, and most Python files in a repository
have nothing to do with huey: only files that mention one of these markers,
and settings or entry modules, are parsed.  This module is the single
implementation (discovery uses it without importing the extractor;
:func:`hueylint.pyapp.extract.might_matter` re-exports it).

The check is plain substring tests on the bytes (``huey`` on the lower-cased
bytes), several times faster than one case-insensitive alternation regex on a
large tree; only a file that mentions both ``tasks`` and ``import`` is searched
with a regex.
"""

from __future__ import annotations

import re

from hueylint.regexes import lazy_pattern

# exact-case markers; "huey" is searched case-insensitively (HUEY, RedisHuey, django_huey).  No
# ``call_command``: the extractor reads only ``call_command("run_huey")`` / ``"djangohuey"`` with the command
# written in the module (:func:`hueylint.pyapp.consumers.call_command`), which says "huey" itself; the Django
# tree's 43 modules calling ``call_command("migrate")`` were parsed for nothing
_MARKERS = (b"lock_task", b"gevent", b"SIGNAL_INTERRUPTED", b"create_consumer")
# ``DJANGO_SETTINGS_MODULE`` is a fact only where it is set (:mod:`hueylint.pyapp.settings`):
# ``os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)``, ``os.environ["DJANGO_SETTINGS_MODULE"] = ...``, or
# through a name bound to the key (``KEY = "DJANGO_SETTINGS_MODULE"``); a module that only reads it
# (``os.environ.get(...)``: a 714 KB views module) holds no fact.  Between the tokens, whatever Python's
# tokenizer skips (spaces, newlines inside brackets, comments, backslash continuations) and parentheses; the
# key in any str literal (prefixes ``r``/``u``/``f``, triple quotes); an annotation before an assignment's ``=``
_SETTINGS_KEY = "DJANGO_SETTINGS_MODULE"
_GAP = r"""(?:\s|\\\r?\n|#[^\n]*\n)*"""  # a comment ends at its newline: one way to read each gap
_OPEN = rf"""(?:\({_GAP})*"""
_KEY_STR = rf"""[rRuUfF]{{0,2}}(?:\"\"\"|'''|"|'){_SETTINGS_KEY}"""
_SETS_KEY = (rf"""setdefault{_GAP}\({_GAP}{_OPEN}{_KEY_STR}"""  # os.environ.setdefault("DJANGO_SETTINGS_MODULE", x)
             rf"""|{_SETTINGS_KEY}["']{_GAP}(?:\){_GAP})*\]{_GAP}(?::[^=\n]*)?=(?!=)"""  # os.environ[...] = x
             rf"""|={_GAP}{_OPEN}{_KEY_STR}""")  # KEY = "DJANGO_SETTINGS_MODULE"
_SETS_KEY_BYTES, _SETS_KEY_TEXT = lazy_pattern(_SETS_KEY.encode()), lazy_pattern(_SETS_KEY)
# modules that import a ``tasks`` module call tasks (HL404 reads whether they use the Result)
_TASKS_IMPORT = lazy_pattern(rb"from\s+[\w.]*tasks\s+import|import\s+[\w.]*tasks\b")


def might_matter(data: bytes, rel: str) -> bool:
    """True when the file can hold app facts: a marker anywhere (even a comment), or a settings/entry module,
    or a setup.py declaring console scripts (:mod:`hueylint.pyapp.entry` reads them).

    False negatives cost findings, false positives only parse time, so this
    errs on the side of parsing.
    """
    parts = rel.split("/")
    base = parts[-1]
    if base == "manage.py" or (base.startswith("settings") and base.endswith(".py")) or "settings" in parts[:-1]:
        return True
    if base == "setup.py" and b"console_scripts" in data:  # the commands pip installs (a consumer entry point)
        return True
    if b"huey" in data.lower() or any(marker in data for marker in _MARKERS) or _sets_settings_module(data):
        return True
    if b"Consumer(" in data and "/management/commands/" in f"/{rel}":  # a command building a subclass of huey's
        return True  # Consumer imported from the project (:func:`hueylint.pyapp.consumers.consumer_subclass`)
    return b"tasks" in data and b"import" in data and _TASKS_IMPORT.search(data) is not None


def caller_only(text: str, rel: str) -> bool:
    """True when a kept file can hold no fact but task call sites (HL404): it passed the gate only by
    importing a ``tasks`` module, and mentions no huey name, no method only huey objects have (``db_task``,
    ``on_commit_task``...: the extractor accepts those on a receiver of any name), no ``INSTALLED_APPS`` /
    ``*_APPS`` list and no other marker.  The app layer parses such files only when a rule needs call sites."""
    parts = rel.split("/")
    base = parts[-1]
    if base == "manage.py" or (base.startswith("settings") and base.endswith(".py")) or "settings" in parts[:-1]:
        return False
    if "huey" in text.lower() or any(marker.decode() in text for marker in _MARKERS) or _sets_settings_module(text):
        return False
    if ("task(" in text or "task\n" in text) and _RECEIVER_TASK.search(text):
        return False  # ``@run.task()`` on an imported receiver: a task when the linker finds a Huey instance there
    return not names_a_fact(text)


# a module-level function decorated by a task method of some receiver (``@run.task()``, ``@q.periodic_task(...)``):
# the extractor records it as a candidate (pyapp.tasks' _imported_receiver_candidate)
_RECEIVER_TASK = lazy_pattern(r"^@[ \t]*[A-Za-z_][\w.]*\.(?:periodic_)?task\b", re.M)


# names the extractor reads facts from without "huey" in the file (pyapp.extract's _HUEY_ONLY, _APPS_NAME): one
# of these words, or a word of capitals, digits and underscores that starts with a capital and ends in ``_APPS``
# (INSTALLED_APPS, LOCAL_APPS)
_TASK_NAMES = ("db_task", "db_periodic_task", "on_commit_task", "context_task", "lock_task")
_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_CAPITALS_DIGITS_UNDERSCORE = _CAPITALS | frozenset("0123456789_")


def names_a_fact(text: str) -> bool:
    """Whether ``text`` holds, as a whole word (Python's ``\\b``: letters, digits and ``_`` of any script make
    words), one of the task decorators huey objects alone have (``db_task`` ... ``lock_task``) or a capitals
    name ending in ``_APPS`` (``[A-Z][A-Z0-9_]*_APPS``).  Each ends in ``_task`` or ``_APPS``: only those
    occurrences are looked at (the alternation regex tried its capitals branch at every capital letter of the
    text: ciso-assistant-community's kept modules, 1.5 M characters, took 0.12 s of every run)."""
    size = len(text)
    for tail, whole in (("_task", _whole_task_name), ("_APPS", _whole_apps_name)):
        at = text.find(tail)
        while at >= 0:
            end = at + len(tail)
            if (end == size or not _word_char(text[end])) and whole(text, at):
                return True
            at = text.find(tail, at + 1)
    return False


def _word_char(char: str) -> bool:
    """A character ``\\w`` matches in a str pattern (Unicode letters and digits, ``_``)."""
    return char.isalnum() or char == "_"


def _starts_word(text: str, at: int) -> bool:
    return at == 0 or not _word_char(text[at - 1])


def _whole_task_name(text: str, at: int) -> bool:
    """One of :data:`_TASK_NAMES` starts a word and ends where ``_task`` does at ``at``."""
    for name in _TASK_NAMES:
        start = at + 5 - len(name)
        if start >= 0 and text.startswith(name, start) and _starts_word(text, start):
            return True
    return False


def _whole_apps_name(text: str, at: int) -> bool:
    """The ``_APPS`` at ``at`` ends a word of capitals, digits and ``_`` that starts with a capital before it."""
    start = at
    while start > 0 and text[start - 1] in _CAPITALS_DIGITS_UNDERSCORE:
        start -= 1
    return start < at and text[start] in _CAPITALS and _starts_word(text, start)


def _sets_settings_module(data: bytes | str) -> bool:
    """Whether a module may set ``DJANGO_SETTINGS_MODULE`` (:data:`_SETS_KEY`)."""
    if isinstance(data, bytes):
        return _SETTINGS_KEY.encode() in data and _SETS_KEY_BYTES.search(data) is not None
    return _SETTINGS_KEY in data and _SETS_KEY_TEXT.search(data) is not None


def may_call(data: bytes, needles: list[tuple[str, str]]) -> bool:
    """Whether a module's bytes may call a task ``name`` of a module whose last name is ``stem`` (``needles``:
    ``(stem, name)`` pairs): they hold the name as a word and an import naming the module (``from app.jobs
    import send``, ``from . import jobs``, ``import app.jobs``), as a call of a task of another module needs.
    Plain substring tests first, so most modules cost two searches; a module importing it under another name
    (``import app.jobs as j``) still names it."""
    for stem, name in needles:
        stem_bytes, name_bytes = stem.encode(), name.encode()
        if name_bytes not in data or stem_bytes not in data:
            continue
        word, module = re.escape(name_bytes), re.escape(stem_bytes)
        if re.search(rb"(?<![\w])" + word + rb"(?![\w])", data) and (
                re.search(rb"(?:from|import)[ \t]+[\w.]*\b" + module + rb"\b(?![\w])", data)
                or _imported_from(data, stem_bytes)):
            return True
    return False


def _imported_from(data: bytes, module: bytes) -> bool:
    """Whether ``module`` (UTF-8) is a name a ``from X import`` statement imports (``from app import models,
    jobs``): after the statement's ``import``, before the line (or ``;``) ends, or inside its parenthesized list
    over lines (``from app import (\n    models,\n    jobs,\n)``, as black writes a long one) or past a backslash
    continuation.  One pass over the bytes (a regex ``from ... import[^;\n]*jobs`` searched from every ``from`` of
    a line to its end was quadratic: a 280 kB line of ``from a import`` took a minute)."""
    state = ""  # "" outside a from-import's names, "line" in them on its line, "(" in its parenthesized list
    for match in _FROM_IMPORT_SCAN.finditer(data):
        kind = match.lastgroup
        if kind == "statement":
            state = "(" if match.group("paren") else "line"
        elif kind == "close" or (kind == "end" and state == "line"):
            state = ""
        elif kind == "name" and match.group() == module and state:
            return True
    return False


#: the tokens :func:`_imported_from` reads: a ``from X import`` (with its opening parenthesis), an end of the
#: statement (a newline or ``;``; a backslash continuation is none), a closing parenthesis, a name
_FROM_IMPORT_SCAN = lazy_pattern(rb"(?P<statement>\bfrom[ \t]++[\w.]++[ \t]++import\b(?P<paren>[ \t]*+\()?)"
                                 rb"|\\\r?\n|(?P<end>[;\n])|(?P<close>\))|(?P<name>[\w\x80-\xff]+)")
