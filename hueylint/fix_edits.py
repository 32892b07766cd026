"""Per-format text edits for fixes, computed from the parsed file and the model's :class:`Loc`.

Every helper takes the file's text as hueylint read it (``SourceFile.text``: lines as
:meth:`str.splitlines` numbers them, columns 1-based code points) and returns an :class:`Edit`, or None
when the file's shape does not allow a precise edit (the finding then carries no fix).  Nothing here is a
regex over the whole file: INI-like formats (systemd, supervisord, circus, logrotate) get line-precise
insertions, YAML is located through ruamel.yaml's round-trip node positions, command lines get a word
inserted right after the consumer's program word.
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, Sequence

from hueylint.findings import Edit
from hueylint.locations import Loc
from hueylint.parsers.yamlscalar import Spots
from hueylint.records import dataclass


@functools.lru_cache(maxsize=8)
def text_lines(text: str) -> tuple[str, ...]:
    """``text.splitlines()``, kept for the last few texts: one file's many fixes (3,000 compose services, a
    fix each) index the same lines instead of splitting the whole file again for each."""
    return tuple(text.splitlines())


def indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def insert_line_before(path: str, text: str, line: int, content: str, indent: str | None = None) -> Edit | None:
    """A new line ``content`` above line ``line`` (1-based), indented like that line unless ``indent``."""
    lines = text_lines(text)
    if not 1 <= line <= len(lines):
        return None
    prefix = indent_of(lines[line - 1]) if indent is None else indent
    return Edit(path, line, 1, line, 1, f"{prefix}{content}\n")


def insert_line_after(path: str, text: str, line: int, content: str, indent: str = "") -> Edit | None:
    """A new line ``content`` below line ``line``; at the end of a file without a final newline, the new line
    goes after a newline added to ``line`` (the file still ends without one)."""
    lines = text_lines(text)
    if not 1 <= line <= len(lines):
        return None
    if line == len(lines) and not text.endswith(("\n", "\r")):
        end = len(lines[-1]) + 1
        return Edit(path, line, end, line, end, f"\n{indent}{content}")
    return Edit(path, line + 1, 1, line + 1, 1, f"{indent}{content}\n")


def replace_at(loc: Loc, replacement: str) -> Edit | None:
    """Replace exactly the text ``loc`` spans (a value the parser located)."""
    if not loc.path or not loc.line or not loc.col or not loc.end_col:
        return None
    return Edit(loc.path, loc.line, loc.col, loc.end_line or loc.line, loc.end_col, replacement)


def ini_section_end(text: str, header_line: int) -> int:
    """The last non-blank, non-comment line of the INI section whose ``[header]`` is ``header_line``."""
    lines = text_lines(text)
    last = header_line
    for number in range(header_line + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        if stripped.startswith("["):
            break
        if stripped and not stripped.startswith(("#", ";")):
            last = number
    return last


def ini_header_above(text: str, line: int) -> int | None:
    """The ``[section]`` header line that holds ``line`` (INI: systemd, supervisord, circus)."""
    lines = text_lines(text)
    for number in range(min(line, len(lines)), 0, -1):
        if lines[number - 1].lstrip().startswith("["):
            return number
    return None


def ini_set(path: str, text: str, inside_line: int, key: str, value: str, sep: str = "=") -> Edit | None:
    """``key=value`` appended to the INI section holding ``inside_line`` (after its last setting)."""
    header = ini_header_above(text, inside_line)
    if header is None:
        return None
    end = ini_section_end(text, header)
    lines = text_lines(text)
    written = re.compile(rf"\s*{re.escape(key)}\s*[=:]\s*\S", re.IGNORECASE)
    if any(written.match(lines[n - 1]) for n in range(header + 1, end + 1)):
        # the section sets it already, so what applies comes from elsewhere (a drop-in's `KillSignal=` after it):
        # a second line would change nothing (--fix appended it once a pass)
        return None
    # indented like the section's first setting (tabs too): never deeper than a key line, which would make it
    # a continuation of the value above it for supervisord (configparser)
    first = next((lines[n - 1] for n in range(header + 1, end + 1)
                  if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith(("#", ";"))), "")
    return insert_line_after(path, text, end, f"{key}{sep}{value}", indent_of(first))


def insert_args(text: str, program: Loc, words: list[str]) -> Edit | None:
    """``words`` inserted right after the consumer's program word ``program`` (``huey_consumer -t 55 app``).

    Shell-like command lines (systemd ``ExecStart=``, supervisord ``command=``, Procfile, scripts, a
    Dockerfile shell form, a compose string, a ``sh -c`` string) get `` -t 55``; an exec-form JSON/flow array
    (``["huey_consumer", "app"]``) gets ``, "-t", "55"`` after the quoted word.  A YAML block sequence item
    (``- huey_consumer``) gives None: a new item would need its own line."""
    lines = text_lines(text)
    if not program.path or not 1 <= program.line <= len(lines) or program.end_line not in (0, program.line):
        return None
    line = lines[program.line - 1]
    start, end = program.col - 1, program.end_col - 1
    if not 0 <= start < end <= len(line):
        return None
    before, after = line[start - 1] if start else "", line[end] if end < len(line) else ""
    if before in "\"'" and before and after == before:
        if _item_head(lines, program.line, start - 1).endswith(("[", ",")):
            quoted = ", ".join(f"{before}{word}{before}" for word in words)
            return Edit(program.path, program.line, end + 2, program.line, end + 2, f", {quoted}")
    elif program.path.lower().endswith(_YAML_NAMES) and _item_head(lines, program.line, start).endswith(("[", ",")):
        # a plain item of a YAML flow sequence (`[huey_consumer, app.huey]`): new items after it, never words
        # glued into its string (`app.huey -t 25` is one argument)
        if after and after not in " \t,]":
            return None
        quoted = ", ".join(f'"{word}"' for word in words)
        return Edit(program.path, program.line, end + 1, program.line, end + 1, f", {quoted}")
    if line.lstrip().startswith("- ") and line[:start].strip() == "-":
        return None
    if before and before in "\"'" and after == before:  # a word quoted on its own: after its closing quote
        end += 1
        after = line[end] if end < len(line) else ""
    if after and not after.isspace() and after not in "\"'":
        return None  # the program word is glued to something hueylint did not split
    return Edit(program.path, program.line, end + 1, program.line, end + 1, " " + " ".join(words))


def _item_head(lines: Sequence[str], number: int, col0: int) -> str:
    """What is written before column ``col0`` (0-based) of line ``number``, back to the last line with text
    when nothing is before it there: an item of an array or flow sequence written over several lines (a YAML
    flow sequence, a Dockerfile exec form continued with ``\\``) follows its ``[`` or ``,`` on a line above.
    Blank lines and a line's trailing ``\\`` are passed over."""
    head = lines[number - 1][:col0].rstrip()
    while not head and number > 1:
        number -= 1
        head = lines[number - 1].rstrip().removesuffix("\\").rstrip()
    return head


def yaml_cached(ws: Any) -> AbstractContextManager[None]:  # ws: a Workspace (a layer above: not imported)
    """The checks' context: the YAML texts their fixes read again (a Helm template the builders did not load
    as YAML, an edited compose file) are looked up in the run's YAML cache and stored there
    (:func:`hueylint.parsers.yamldocs.documents_cached_in`).  A run that loaded no YAML has none to fix and
    does not import the YAML layer for it."""
    yamldocs = sys.modules.get("hueylint.parsers.yamldocs")
    if yamldocs is None:
        return nullcontext()
    return yamldocs.documents_cached_in(yamldocs.yaml_store(ws))


@functools.lru_cache(maxsize=64)
def _yaml_documents(path: str, text: str) -> tuple[Any, ...] | None:
    """The documents of ``text`` as the builders read them (:func:`~hueylint.parsers.yamldocs.all_documents`:
    mappings and sequences with ruamel's positions), None when not YAML: loaded once per text, because a
    compose file of N services gets a fix per service and rule (N loads each would make fixes quadratic),
    and the rules ask for the files in turn (ciso-assistant-community: 16 files, loaded 32 times with room
    for 8, 16 times now; a load is a decode of the entry the builders' load left, not a parse).
    The documents are only read, never changed, so callers may share them."""
    from hueylint.parsers.yamldocs import all_documents

    docs = all_documents(path, text)
    return tuple(docs) if docs is not None else None


def yaml_node(path: str, text: str, keys: list[str | int]) -> Any:
    """The node reached by ``keys`` from the root of ``text``'s only YAML document (a mapping or sequence
    with ruamel's positions in ``lc``, or a scalar), None when the path is missing, the text holds several
    documents or is not YAML.  Shared, never to be changed."""
    docs = _yaml_documents(path, text)
    if docs is None or len(docs) != 1:
        return None
    return _reached(docs[0], keys)


def _reached(node: Any, keys: Sequence[str | int]) -> Any:
    """The node ``keys`` reach from ``node`` through mappings and sequences; None when a step is missing."""
    for step in keys:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return None
    return node


#: the names of files read as YAML (also as Jinja templates of YAML)
_YAML_NAMES = (".yml", ".yaml", ".yml.j2", ".yaml.j2", ".yml.jinja", ".yaml.jinja", ".yml.jinja2", ".yaml.jinja2")


@dataclass(frozen=True)
class YamlString:
    """A string scalar of a YAML file written otherwise than as its value on one line (``- |`` and its lines,
    ``>-``, a plain or quoted scalar continued on the next lines, escapes): ``keys`` reach it from the root (the
    document's index first), ``value`` is its content, ``spots`` where each character of it is written."""

    keys: tuple[str | int, ...]
    value: str
    spots: Spots


def yaml_string_at(path: str, text: str, line: int, col: int) -> tuple[YamlString, int] | None:
    """The string scalar of the YAML file ``path`` (by its name) with ``text`` whose character written at
    ``line``:``col`` (1-based) is one of its own, and that character's offset in its value, when the value is
    not the text as written on one line (a scalar over several lines, or with escapes such as ``\\n`` or
    ``''``); None otherwise (a scalar written as its value on one line, another file, text that is not YAML).
    A Jinja template of YAML (``compose.yml.j2``) is read as the builders read it, its placeholders values."""
    strings = _yaml_strings(path, text)
    # scalars never overlap: the one holding the place starts on its line or is the last to start above it
    index = bisect.bisect_left(strings, (line - 1,), key=lambda item: (item[0],))
    for line0, col0, doc, keys, value in strings[max(index - 1, 0):index + 1] + [
            item for item in strings[index + 1:] if item[0] == line - 1]:
        spots = doc.spots_at(line0, col0, value)
        at = spots.offset(line, col) if spots is not None else None
        if spots is None or at is None:
            continue
        if line0 < line - 1 or "\n" in value or not all(map(spots.written, range(len(value)))) \
                or len({spot[0] for spot in spots.spots if spot is not None}) > 1:
            return YamlString(keys, value, spots), at
        return None
    return None


@functools.lru_cache(maxsize=8)
def _yaml_strings(path: str, text: str) -> list[tuple[int, int, Any, tuple[str | int, ...], str]]:
    """Every string scalar of the YAML file ``path`` with ``text``, as ``(line0, col0, document, keys, value)``
    in the order they start (0-based, in the text the document was parsed from), found once per text."""
    if not path.lower().endswith(_YAML_NAMES):
        return []
    found: list[tuple[int, int, Any, tuple[str | int, ...], str]] = []
    for doc in _yaml_docs(path, text):
        todo: list[tuple[Any, tuple[str | int, ...]]] = [(doc.data, (doc.index,))]
        while todo:
            node, keys = todo.pop()
            steps = list(node) if isinstance(node, dict) else range(len(node)) if isinstance(node, list) else []
            where: Any = getattr(node, "lc", None)  # ruamel's (or yamlfast's) positions
            for step in steps:
                child = node[step]
                if not isinstance(child, str):
                    todo.append((child, (*keys, step)))
                    continue
                try:
                    line0, col0 = where.value(step) if isinstance(node, dict) else where.item(step)
                except (AttributeError, KeyError, IndexError, TypeError):
                    continue
                found.append((line0, col0, doc, (*keys, step), child))
    found.sort(key=lambda item: (item[0], item[1]))
    return found


def _yaml_docs(path: str, text: str) -> list[Any]:
    """The documents of the YAML file ``path`` with ``text`` as :class:`~hueylint.parsers.yamldocs.Doc`\\ s, as the
    builders read them (a Jinja template that is no YAML read with its placeholders as values); [] when not YAML."""
    from hueylint.parsers.yamldocs import Doc, all_documents, jinja_rendered
    from hueylint.sources import SourceFile

    src = SourceFile(Path(path), path, text)
    docs = _yaml_documents(path, text)
    if docs is not None:
        return [Doc(src, data, index) for index, data in enumerate(docs) if data is not None]
    if "{{" not in text and "{%" not in text:
        return []
    rendered, placeholders = jinja_rendered(text)  # what the builders parsed: decoded again, not parsed
    found: list[Any] = (all_documents(path, rendered) or []) if rendered != text else []
    return [Doc(src, data, index, placeholders=placeholders, template="Jinja", parsed_text=rendered)
            for index, data in enumerate(found) if data is not None]


def yaml_unreadable(path: str, text: str) -> bool:
    """``path`` is named as YAML (or a Jinja template of it) but its text reads neither as YAML nor as a Jinja
    template of YAML (a Helm template): where its strings start and end is not known."""
    return path.lower().endswith(_YAML_NAMES) and not _yaml_strings(path, text) and not _yaml_docs(path, text)


def yaml_string_edit(path: str, text: str, found: YamlString, offset: int, insert: str) -> Edit | None:
    """``insert`` written into the string ``found`` at its value's ``offset``: before the character there, or
    after the one before it (at the value's end, or before a character that is not written as itself, such as
    a folded line break); that character must be written as itself.  None unless the edited file still reads as
    YAML with that string's value exactly ``value[:offset] + insert + value[offset:]`` (what a shell then runs)."""
    if any(char in insert for char in "\n\r\"'\\#:"):
        return None
    spots = found.spots
    if spots.written(offset):
        line, col, _end = spots.spots[offset] or (0, 0, 0)
    elif spots.written(offset - 1):
        line, _col, col = spots.spots[offset - 1] or (0, 0, 0)
    else:
        return None
    lines = list(text_lines(text))
    lines[line - 1] = lines[line - 1][:col - 1] + insert + lines[line - 1][col - 1:]
    edited = "\n".join(lines) + ("\n" if text.endswith(("\n", "\r")) else "")
    node = _reached({doc.index: doc.data for doc in _yaml_docs(path, edited)}, found.keys)
    if node is None or node != found.value[:offset] + insert + found.value[offset:]:
        return None
    return Edit(path, line, col, line, col, insert)


def yaml_string_insertion_ok(path: str, text: str, edit: Edit) -> bool:
    """An insertion ``edit`` (a word added to a command) does what it says when it lands in a YAML string
    :func:`yaml_string_at` finds: right after one of its characters, and the file then reads as YAML with
    the text inserted in that string's value there.  True when it lands in no such string."""
    if edit.line != edit.end_line or edit.col != edit.end_col or edit.col < 2:
        return True
    found = yaml_string_at(path, text, edit.line, edit.col - 1)
    if found is None:
        return True
    string, before = found
    made = yaml_string_edit(path, text, string, before + 1, edit.replacement)
    return made is not None and (made.line, made.col) == (edit.line, edit.col)


def yaml_mapping_set(path: str, text: str, keys: list[str | int], key: str, value: str,
                     override_merged: bool = False) -> Edit | None:
    """``key: value`` added to the block mapping reached by ``keys`` from the document root (one YAML
    document), as a new line above the mapping's first key with its indentation; when the key exists,
    its scalar value is replaced.  None for a flow mapping, a missing path or text ruamel cannot load, a
    mapping with no key of its own to write next to, and for a key a ``<<: *anchor`` merge brought (it is
    written in the anchor, which every mapping merging it shares) unless ``override_merged``: then the key
    is added to the mapping's own keys, which YAML's merge lets override the merged ones."""
    node = yaml_node(path, text, keys)
    if not isinstance(node, dict) or not node:
        return None
    mapping: Any = node  # YamlMap or ruamel's CommentedMap: positions in lc, style in fa
    if mapping.fa.flow_style():
        return None
    lines = text_lines(text)
    positions = getattr(mapping.lc, "data", None) or {}
    own = [name for name in mapping if name in positions]  # not the keys a `<<: *anchor` merge brought
    if key in mapping and (key in positions or not override_merged):
        if key not in positions:
            return None  # set in the merged anchor: an edit there changes every mapping that merges it
        line0, col0 = mapping.lc.value(key)
        raw = lines[line0] if line0 < len(lines) else ""
        current = mapping[key]
        if isinstance(current, (dict, list)):
            return None
        written = str(current)
        at = raw.find(written, col0)
        if at != col0 and raw[col0:col0 + 1] in "\"'":
            at = col0
            written = raw[col0:].split("#")[0].rstrip()
        if at != col0:
            return None
        return Edit(path, line0 + 1, col0 + 1, line0 + 1, col0 + 1 + len(written), value)
    if not own:
        return None  # only merged keys (`service: {<<: *anchor}`): no line of the mapping's own to write next to
    first = own[0]
    line0, col0 = mapping.lc.key(first)
    if line0 < len(lines) and lines[line0][:col0].strip() == "":
        while line0 > 0 and lines[line0 - 1].startswith(" " * col0 + "#"):
            line0 -= 1  # above the comment lines that introduce the first key, at its indentation
        return insert_line_before(path, text, line0 + 1, f"{key}: {value}", indent=" " * col0)
    # the first key shares its line with a sequence dash (`- name: worker`): below the last scalar key
    last = max(own, key=lambda k: mapping.lc.key(k)[0])
    if isinstance(mapping[last], (dict, list)):
        return None
    return insert_line_after(path, text, mapping.lc.value(last)[0] + 1, f"{key}: {value}", indent=" " * col0)


def logrotate_add(path: str, text: str, stanza_line: int, directive: str, replaces: str = "") -> Edit | None:
    """``directive`` in the logrotate stanza that starts at ``stanza_line``: the line ``replaces``
    (``nocopytruncate``) rewritten when the stanza has it, else a new line below the ``{`` line, indented like
    the stanza's first directive.  None for a one-line stanza (``/x { daily }``) or no ``{``."""
    lines = text_lines(text)
    opening = next((n for n in range(stanza_line, min(len(lines), stanza_line + 50) + 1)
                    if "{" in lines[n - 1].split("#")[0]), None)
    if opening is None or lines[opening - 1].split("#")[0].rstrip()[-1:] != "{":
        return None
    number = opening + 1
    while number <= len(lines) and "}" not in lines[number - 1].split("#")[0]:
        words = lines[number - 1].split()
        if replaces and words == [replaces]:
            col = lines[number - 1].index(replaces) + 1
            return Edit(path, number, col, number, col + len(replaces), directive)
        number += 1
    if number > len(lines):
        return None
    following = lines[opening] if opening < len(lines) else ""
    indent = indent_of(following) if following.strip() and "}" not in following else "    "
    return insert_line_after(path, text, opening, directive, indent)
