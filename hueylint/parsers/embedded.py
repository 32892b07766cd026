"""systemd units written inline by provisioning code, located in the file that writes them.

Host deployments often keep no ``.service`` file: an install script writes it with a here-document
(``cat <<EOF > /etc/systemd/system/app-worker.service``, ``cat <<EOF | sudo tee .../app-worker.service``),
an Ansible task with ``copy:`` and a ``content: |`` block (``dest: /etc/systemd/system/app-worker.service``),
a Salt ``file.managed`` state with ``contents: |``, a cloud-init ``write_files`` item (``path:``, ``content: |``),
a Butane ``systemd.units`` item (``name:``, ``contents: |``).  Each such block is the unit systemd will read.

A block is returned as the lines it spans in its file; :func:`view` gives the unit as a
:class:`~hueylint.sources.SourceFile` of the *same* path whose other lines are blank, so every
line and column the systemd parser reports is the one in the file (systemd strips the whitespace
around each line, and so does :func:`hueylint.parsers.systemd.parse_entries`: a YAML block's
indentation stays).  How the text is cut follows the tools: a here-document ends at the line that
is exactly its delimiter (``<<-`` strips leading tabs first, as bash does); a YAML literal block
(``|``, ``|-``, ``|+``) holds the lines indented deeper than its key, its indentation set by its
first non-blank line (YAML 1.2, 8.1.1).  Folded blocks (``>``) are not units and are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hueylint.records import dataclass
from hueylint.regexes import lazy_pattern
from hueylint.sources import SourceFile

#: a here-document operator and its delimiter word (quoted or not); ``<<<`` is bash's here-string (one word
#: on stdin, nothing read from the next lines), never a here-document
HEREDOC = lazy_pattern(r"(?<!<)<<(?!<)(-?)[ \t]*(?:'([^'\n]+)'|\"([^\"\n]+)\"|\\?([A-Za-z_][\w.-]*))")
#: where the here-document's text goes: ``> path``, ``>> path``, ``tee [-a] path``
TARGET = lazy_pattern(r"(?:>>?|\btee\b(?:[ \t]+-[a-z-]+)*)[ \t]*([\"']?)([^\s\"';|&<>)]+)\1")
#: a YAML literal block holding a file's content: ``content: |`` (Ansible copy), ``- contents: |`` (Salt)
_CONTENT = lazy_pattern(r"^([ \t]*(?:-[ \t]+)?)(content|contents)[ \t]*:[ \t]*\|[-+0-9]*[ \t]*(?:#.*)?$")
#: a YAML key and its value on one line (``dest: /etc/...``, ``- name: ...``, ``/etc/x.service:``)
_KEY = lazy_pattern(r"^([ \t]*(?:-[ \t]+)?)([^\s:#](?:[^:# \t]|[ \t]++(?=[^:# \t]))*+|\"[^\"]*\"|'[^']*')[ \t]*+:"
                    r"(?:[ \t]++((?:[^ \t]|[ \t]++(?=[^ \t]))*+))?[ \t]*+$")
_DEST_KEYS = ("dest", "path", "name")


@dataclass(frozen=True)
class Embedded:
    """A unit written inline: where it is installed (``dest``, as written), the lines of its text in the
    file (1-based, inclusive) and how it is written (``how``, for messages and ``inspect``)."""

    dest: str
    first: int
    last: int
    how: str
    expands: bool = False  # an unquoted here-document delimiter: the shell expands ``$X`` in the text first


def is_unit_path(dest: str) -> bool:
    """A path systemd reads as a service unit (``.service``, also behind a template suffix)."""
    name = dest.strip("\"'").rsplit("/", 1)[-1]
    return name.endswith(".service") or name.endswith(".service.j2")


def may_embed_unit(text: str) -> bool:
    """A cheap first test: the text has a ``[Service]`` line and a way to write one inline."""
    return "[Service]" in text and ("<<" in text or "content" in text)


#: what a shell script's destination word holds where its here-document is written: ``(word, line) -> value``, None
#: when not known (the caller evaluates the script's own variables, :func:`hueylint.platforms.systemd.script_values`)
Resolve = Callable[[str, int], "str | None"]


def units(src: SourceFile, resolve: Resolve | None = None) -> list[Embedded]:
    """Every service unit ``src`` writes inline: here-documents in a shell script, literal blocks in YAML.  A
    here-document written to a path held in the script's variables (``UNIT_PATH=/etc/systemd/system/x.service``,
    then ``sudo tee "${UNIT_PATH}" <<EOF`` or ``cat > "$DIR/$NAME" <<EOF``) is a unit when ``resolve`` gives that
    path at the line that writes it; its ``dest`` is then the path the shell writes."""
    if not may_embed_unit(src.text):
        return []
    if src.rel.endswith((".yml", ".yaml", ".sls")):
        return _yaml_blocks(src.lines)
    return _heredocs(src.lines, resolve)


#: a line that is only a shell expansion (``$EXTRA``, ``${EXTRA_LINES}``, ``$(cat drop-in.conf)``): its text is
#: not known before the script runs
_EXPANSION_LINE = lazy_pattern(r"^\s*\$(?:\w+|\{[^}]*\}|\([^)]*\))\s*$")


def view(src: SourceFile, block: Embedded) -> SourceFile:
    """The unit ``block`` as a source of ``src``'s path: its lines where they are, every other line blank (and
    in a here-document the shell expands, a line that is only an expansion: what it holds is not known)."""
    lines = src.lines
    text = "\n".join(line if block.first <= number <= block.last and not (
        block.expands and _EXPANSION_LINE.match(line)) else "" for number, line in enumerate(lines, start=1))
    return SourceFile(src.path, src.rel, text + "\n", "systemd")


def _heredocs(lines: list[str], resolve: Resolve | None = None) -> list[Embedded]:
    return [block for block in _service_heredocs(lines, resolve) if is_unit_path(block.dest)]


def _service_heredocs(lines: list[str], resolve: Resolve | None) -> list[Embedded]:
    """The here-documents holding a ``[Service]`` line, their ``dest`` the path the shell writes when ``resolve``
    tells it (``"${UNIT_PATH}"`` -> ``/etc/systemd/system/x.service``), else as written."""
    found = []
    for block in _written(lines):
        if not any(text.strip() == "[Service]" for text in lines[block.first - 1:block.last]):
            continue
        if "$" in block.dest and resolve is not None:
            value = resolve(block.dest, block.first - 1)  # the line of the command writing it (`<<` is on it)
            if value is not None:
                block = Embedded(value, block.first, block.last, block.how, block.expands)
        found.append(block)
    return found


def unknown_paths(src: SourceFile, resolve: Resolve | None) -> list[Embedded]:
    """The here-documents of the shell script ``src`` that hold a ``[Service]`` section but are written to a path
    whose value is not known before the script runs (``cat > "$UNIT" <<EOF`` with ``UNIT`` set from an argument
    or a command's output): a unit, maybe, whose name and even type hueylint cannot tell."""
    if not may_embed_unit(src.text) or src.rel.endswith((".yml", ".yaml", ".sls")):
        return []
    return [block for block in _service_heredocs(src.lines, resolve) if "$" in block.dest and not is_unit_path(block.dest)]


def _written(lines: list[str]) -> list[Embedded]:
    """Every file a here-document of the shell script ``lines`` writes (``cat > PATH <<EOF``, ``tee PATH``),
    its destination as written (quotes removed), its text's lines."""
    found: list[Embedded] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        match = HEREDOC.search(line)
        if match is None or line.lstrip().startswith("#"):
            continue
        delimiter = match.group(2) or match.group(3) or match.group(4)
        strip_tabs = match.group(1) == "-"
        start = index
        while index < len(lines) and (lines[index].lstrip("\t") if strip_tabs else lines[index]) != delimiter:
            index += 1
        end = index  # the delimiter's index (or the end of the file: bash warns and takes the rest)
        index += 1
        target = TARGET.search(line[:match.start()] + " " + line[match.end():])
        if target is None or end <= start:
            continue
        found.append(Embedded(target.group(2), start + 1, end, "a shell here-document",
                              expands=match.group(4) is not None))
    return found


def scripts(src: SourceFile) -> list[Embedded]:
    """The shell scripts an install script writes with a here-document (``cat > "${APP_DIR}/run-worker.sh"
    <<'EOF'``, a text starting with ``#!`` and a shell): the start script a unit it writes too may run.  A text
    the shell expands as it writes it (an unquoted delimiter, a ``$`` or a backquote in the text) is not read:
    what it holds is not known before the script runs."""
    if "<<" not in src.text or src.rel.endswith((".yml", ".yaml", ".sls")):
        return []
    lines = src.lines
    found = []
    for block in _written(lines):
        body = lines[block.first - 1:block.last]
        first = next((text for text in body if text.strip()), "")
        if not first.startswith("#!") or not _SHELL_SHEBANG.search(first):
            continue
        if block.expands and any("$" in text or "`" in text for text in body):
            continue
        found.append(block)
    return found


#: a shebang naming a POSIX shell (``#!/bin/bash``, ``#!/usr/bin/env sh``)
_SHELL_SHEBANG = lazy_pattern(r"^#!\s*\S*?(?:/env\s+)?\b(?:ba|da|k|z|a)?sh\b")


def script_text(src: SourceFile, block: Embedded) -> str:
    """The script ``block`` as the text of ``src``'s path: its lines where they are, every other line blank."""
    return "\n".join(line if block.first <= number <= block.last else ""
                     for number, line in enumerate(src.lines, start=1)) + "\n"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _yaml_blocks(lines: list[str]) -> list[Embedded]:
    found: list[Embedded] = []
    for index, line in enumerate(lines):
        match = _CONTENT.match(line)
        if match is None:
            continue
        key_col = len(match.group(1))
        body: list[int] = []
        block_indent = None
        for number in range(index + 1, len(lines)):
            text = lines[number]
            if not text.strip():
                body.append(number)
                continue
            if block_indent is None:
                if _indent(text) <= key_col:
                    break
                block_indent = _indent(text)
            elif _indent(text) < block_indent:
                break
            body.append(number)
        while body and not lines[body[-1]].strip():
            body.pop()
        if not body or not any(lines[number].strip() == "[Service]" for number in body):
            continue
        dest = _dest(lines, index, key_col, body[-1])
        if dest is not None and is_unit_path(dest):
            how = f"a YAML `{match.group(2)}: |` block"  # Ansible copy, Salt file.managed, cloud-init, Butane
            found.append(Embedded(dest, body[0] + 1, body[-1] + 1, how))
    return found


def _key_col(match: re.Match[str]) -> int:
    return len(match.group(1))


def _dest(lines: list[str], index: int, key_col: int, last: int) -> str | None:
    """Where the block at line ``index`` is written: a sibling key of its mapping (``dest:``, ``path:``,
    ``name:``), else an enclosing key that is itself a path (a Salt state ID)."""
    siblings: list[tuple[str, str]] = []
    # a key of a mapping (Ansible: ``copy:``'s ``dest:``), or of a one-key mapping in a sequence whose other
    # items are its siblings (Salt: ``- name:``, ``- contents:``)
    item = lines[index].lstrip(" \t").startswith("-")
    for numbers in (range(index - 1, -1, -1), range(last + 1, len(lines))):
        for number in numbers:
            text = lines[number]
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            match = _KEY.match(text)
            if match is None:
                if _indent(text) <= key_col - (2 if item else 0):
                    break
                continue  # a deeper value (another block's text)
            col, starts_item = _key_col(match), text.lstrip(" \t").startswith("-")
            if col < key_col or (col == key_col and starts_item != item and numbers.step == 1):
                break
            if col == key_col:
                siblings.append((match.group(2), match.group(3) or ""))
                if starts_item and not item:
                    break  # the first key of this mapping, written after its item's dash
    for key, value in siblings:
        if key in _DEST_KEYS and value:
            return value.strip("\"'")
    for number in range(index - 1, -1, -1):  # a Salt state ID: ``/etc/systemd/system/x.service:``
        match = _KEY.match(lines[number])
        if match is not None and _key_col(match) < key_col and not match.group(3) and "/" in match.group(2):
            return match.group(2).strip("\"'")
    return None


#: a task's template or file source: ``src: consumer.j2`` (Ansible ``template``/``copy``), ``- source:
#: salt://huey/files/consumer.jinja`` (Salt ``file.managed``)
_SOURCE = lazy_pattern(r"^([ \t]*(?:-[ \t]+)?)(?:src|source)[ \t]*:[ \t]++(.(?:[^# \t]|[ \t]++(?=[^# \t]))*+)"
                       r"[ \t]*+(?:#.*)?$")
#: Ansible's one-line ``key=value`` form: ``template: src=consumer.j2 dest=/etc/systemd/system/x.service``
#: a task's source key with its values in a list below it (Salt: ``- source:`` then ``- salt://a``, ``- salt://b``)
_SOURCE_KEY = lazy_pattern(r"^([ \t]*(?:-[ \t]+)?)(?:src|source)[ \t]*:[ \t]*(?:#.*)?$")
_LIST_ITEM = lazy_pattern(r"^([ \t]*)-[ \t]++(.(?:[^# \t]|[ \t]++(?=[^# \t]))*+)[ \t]*+(?:#.*)?$")
#: a ``key=value`` word's ``=value``: double- or single-quoted, or bare up to a space (a ``{{ ... }}`` whole)
_INLINE_VALUE = r"=(?:\"([^\"]*)\"|'([^']*)'|((?:\{\{[^}]*\}\}|[^\s{]|\{(?!\{))+))(?=\s|$)"
_INLINE_SOURCE = lazy_pattern(r"(?:^|\s)src" + _INLINE_VALUE)
_INLINE_DEST = lazy_pattern(r"(?:^|\s)dest" + _INLINE_VALUE)


def _into_folder(source: str, dest: str) -> str:
    """A destination ending with ``/`` is a folder: Ansible's ``template``/``copy`` write the file there under the
    source's own file name, as it is (ansible/plugins/action/template.py: ``os.path.join(dest,
    os.path.basename(source))``; a ``.j2`` suffix is kept)."""
    return dest + source.rstrip("/").rsplit("/", 1)[-1] if dest.endswith("/") else dest


def install_sites(lines: list[str]) -> list[tuple[int, str, str]]:
    """Every (line index, source, destination) a provisioning file's tasks install, as written: the ``src:``
    (Ansible ``template``/``copy``, also in the one-line ``src=... dest=...`` form) or ``source:`` (Salt
    ``file.managed``, ``salt://`` kept) of a task, and its sibling ``dest:`` or ``name:`` (or the Salt state ID that
    is a path); a source without a destination is left out.  One pass over the lines, one scan of each task's
    keys.  A loop is not read here: an Ansible task's ``loop:``/``with_items:`` items are read from the parsed
    task (:func:`hueylint.platforms.ansible_vars.task_installs`, the one reader of an Ansible loop's items); a
    Salt state has no loop key (Salt loops with Jinja's ``{% for %}`` around its states, not read)."""
    found: list[tuple[int, str, str]] = []
    for index, line in enumerate(lines):
        match = _SOURCE.match(line)
        if match is not None:
            dest = _dest(lines, index, len(match.group(1)), index)
            if dest:
                found.append((index, match.group(2).strip("\"'"), dest))
        listed = _SOURCE_KEY.match(line) if match is None else None
        if listed is not None:  # Salt's `- source:` list: the first of its items that exists is installed
            items = _list_items(lines, index, len(listed.group(1)))
            dest = _dest(lines, index, len(listed.group(1)), items[-1][0]) if items else None
            if dest:
                found += [(index, item, dest) for _, item in items]
        inline = _INLINE_SOURCE.search(line) if "src=" in line else None
        dest_match = _INLINE_DEST.search(line) if inline is not None else None
        if inline is not None and dest_match is not None:
            source = next(group for group in inline.groups() if group is not None)
            dest = next(group for group in dest_match.groups() if group is not None)
            found.append((index, source, dest))
    return found


def installs(lines: list[str],
             looped: Callable[[int, str, str], list[tuple[str, str]]] | None = None) -> list[tuple[str, str]]:
    """Every (source, destination) a provisioning file's tasks install (:func:`install_sites`), a destination
    ending with ``/`` a folder where the file keeps the source's own name; ``looped`` gives the pairs of each item
    of the loop of the task at a line index (as written when None)."""
    found = [pair for index, source, dest in install_sites(lines)
             for pair in (looped(index, source, dest) if looped is not None else [(source, dest)])]
    return [(source, _into_folder(source, dest)) for source, dest in found]


def _list_items(lines: list[str], index: int, key_col: int) -> list[tuple[int, str]]:
    """The scalar items of the YAML list under the key at line ``index`` (indented deeper than ``key_col``, or at
    it, as YAML allows a mapping's list), with their line indexes; quotes dropped."""
    items: list[tuple[int, str]] = []
    for number in range(index + 1, len(lines)):
        text = lines[number]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        item = _LIST_ITEM.match(text)
        if item is None or len(item.group(1)) < key_col or _KEY.match(text) is not None:
            break
        items.append((number, item.group(2).strip("\"'")))
    return items


def names_file(source: str, names: tuple[str, ...]) -> bool:
    """Whether a task's ``source`` (as :func:`installs` gives it) is one of ``names`` or ends with ``/`` and one."""
    return any(source == name or source.endswith(f"/{name}") for name in names)
