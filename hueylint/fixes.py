"""Applying fixes: ``hueylint check --fix``, ``--diff`` and ``--unsafe-fixes``.

As ruff does, fixing is a loop of at most :data:`MAX_PASSES` passes, each one a full lint: the fixes of a
pass that do not overlap are applied together (edits sorted per file, applied from the end), a fix that
overlaps one already taken waits for the next pass, which re-lints the changed files so it is computed
again from the new text.  A fix with edits in several files is applied whole or not at all.

A file is rewritten only when a fix changes it, atomically (:func:`hueylint.safeio.atomic_write`), with its
permissions, byte order mark, line endings (CRLF kept) and missing final newline preserved.  A file that
would no longer parse (YAML through ruamel.yaml, Python through libcst) is not written: the fixes are
dropped and reported.  Symbolic links, files outside the run root or the checked paths, read-only files
and files that are not UTF-8 are never written.  ``--diff`` runs the same loop on a temporary copy of the run root and prints the unified diff.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import shutil
import stat
import tempfile
from dataclasses import field
from pathlib import Path
from typing import Any, Callable, Iterator

from hueylint.findings import Edit, Finding
from hueylint.records import dataclass
from hueylint.safeio import below, inside, read_fixable, unfixable

MAX_PASSES = 10
SKIPPED_IN_COPY = ("node_modules", ".venv", "venv", "__pycache__", ".tox", ".nox", ".mypy_cache", ".ruff_cache",
                   ".pytest_cache")


class FixError(ValueError):
    """An edit that does not fit the text it is applied to (a stale position)."""


def _offset(lines: list[str], line: int, col: int) -> int:
    """Offset of the 1-based (line, col) in the text ``lines`` (kept ends) make up; line ``len+1`` col 1 is
    the end of the text."""
    if line == len(lines) + 1 and col == 1:
        return sum(len(part) for part in lines)
    if not 1 <= line <= len(lines):
        raise FixError(f"line {line} is outside the file")
    content = lines[line - 1].rstrip("\r\n")
    if not 1 <= col <= len(content) + 1:
        raise FixError(f"column {col} is outside line {line}")
    return sum(len(part) for part in lines[: line - 1]) + col - 1


def apply_edits(text: str, edits: list[Edit]) -> str:
    """``text`` with ``edits`` (of one file, not overlapping) applied; CRLF files get CRLF in new lines.
    Raises :class:`FixError` for an edit outside the text or edits that overlap."""
    lines = text.splitlines(keepends=True)
    crlf = "\r\n" in text
    spans = sorted(((_offset(lines, e.line, e.col), _offset(lines, e.end_line, e.end_col), e) for e in edits),
                   key=lambda item: (item[0], item[1]))
    for (_, end, _), (start, _, _) in zip(spans, spans[1:]):
        if start < end:
            raise FixError("overlapping edits")
    for start, end, edit in reversed(spans):
        if end < start:
            raise FixError("an edit ends before it starts")
        replacement = edit.replacement.replace("\r\n", "\n").replace("\n", "\r\n") if crlf else edit.replacement
        text = text[:start] + replacement + text[end:]
    return text


def parse_problem(rel: str, text: str) -> str | None:
    """Why ``text`` no longer parses as the file ``rel`` is (YAML, JSON, Python), None when it does."""
    lower = rel.lower()
    if lower.endswith(".py"):
        import libcst

        try:
            libcst.parse_module(text)
        except libcst.ParserSyntaxError as exc:
            return f"Python syntax error at line {exc.raw_line}"
        return None
    if lower.endswith((".yml", ".yaml", ".json")) and "{{" not in text and "{%" not in text:
        from hueylint.parsers.yamldocs import load_all_quietly

        try:
            load_all_quietly(text)
        except Exception as exc:  # noqa: BLE001 - any YAML error
            return f"YAML error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
    return None


@dataclass
class FixOutcome:
    """What a fix run did: ``fixed`` counts the fixes applied per rule, ``before``/``after`` the texts of every
    changed file (repo-relative path), ``dropped`` the fixes left out (``rule path:line: why``), ``resolved`` the
    findings of the first pass (what a check shows, ``[*] N fixable``) that the fixes removed.

    The two counts differ when a fix makes a finding of its own that a later pass fixes (``-t 5`` added for a
    10 s deadline another fix raised to 25 s: HL102 then raises ``-t``): ``count`` is the fixes applied,
    ``resolved`` the findings users saw fixed, the number the summaries give (as ruff's ``8 fixed``)."""

    fixed: dict[str, int] = field(default_factory=dict)
    fixed_in: dict[str, dict[str, int]] = field(default_factory=dict)  # changed file -> rule -> fixes applied
    before: dict[str, str] = field(default_factory=dict)
    after: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    result: object = None  # the engine Result after the last pass
    resolved: int = 0
    passes: int = 0  # passes that applied a fix
    hidden: int = 0  # findings of the first pass only --unsafe-fixes would fix (0 with it)

    @property
    def count(self) -> int:
        return sum(self.fixed.values())

    def summary(self, names: dict[str, str]) -> str:
        """What ``--show-fixes`` prints, as ruff's fix summary: each changed file (path order) with the fixes
        applied in it per rule, ``    2 × HL101 (stop-signal-not-graceful)``; ``names`` maps ids to names."""
        extra = f" ({plural(self.count, 'fix')} applied in {plural(self.passes, 'pass')})" if self.count != self.resolved else ""
        lines = [f"Fixed {plural(self.resolved, 'finding')}{extra}:"]
        for rel in sorted(self.fixed_in):
            lines.append(f"- {rel}:")
            lines += [f"    {count} × {rule} ({names.get(rule, '')})" for rule, count in sorted(self.fixed_in[rel].items())]
        return "\n".join(lines) + "\n"

    def diff(self) -> str:
        """The unified diff of every changed file (``a/path`` -> ``b/path``), files in path order."""
        out: list[str] = []
        for rel in sorted(self.after):
            old, new = self.before[rel], self.after[rel]
            for line in difflib.unified_diff(_diff_lines(old), _diff_lines(new), diff_name("a/", rel),
                                             diff_name("b/", rel)):
                out.append(line if line.endswith("\n") else line + "\n")
        return "".join(out)


_C_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def diff_name(prefix: str, rel: str) -> str:
    """``prefix + rel`` as a unified diff header names it for ``patch -p1`` and ``git apply`` (as git writes
    it): C-quoted (``"a/x\\ty"``) when it holds a control character, ``"``, ``\\`` or a byte that is not UTF-8;
    followed by a tab when it holds a space (GNU patch ends a name at whitespace unless a tab ends it); else as
    is."""
    name = prefix + rel
    if any(ord(char) < 0x20 or char in '"\\\x7f' or _undecoded(char) for char in name):
        return '"' + "".join(_C_ESCAPES.get(char) or (f"\\{ord(char):03o}" if ord(char) < 0x20 or char == "\x7f"
                                                       else f"\\{ord(char) - 0xDC00:03o}" if _undecoded(char)
                                                       else char) for char in name) + '"'
    return name + "\t" if " " in name else name


def _undecoded(char: str) -> bool:
    """A byte of a file name that is not UTF-8, as ``os.fsdecode`` keeps it (``\\udce9`` for 0xe9): git writes it
    C-quoted in octal (``"a/bad\\351.service"``), the name ``git apply`` and ``patch`` then find on disk (the
    surrogate was printed as the text ``\\udce9``, a file nobody has)."""
    return "\udc80" <= char <= "\udcff"


def _diff_lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


def plural(count: int, word: str) -> str:
    """``1 finding``, ``2 findings``; ``fix`` -> ``fixes``, ``pass`` -> ``passes``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}{'es' if word.endswith(('x', 's')) else 's'}"


def resolved(before: list[Finding], after: list[Finding]) -> int:
    """How many findings of ``before`` (the fixable ones a check showed) are gone from ``after``, counted per rule
    and file (a finding a fix removed by the way, not fixable itself, is not counted): the fixes move lines
    and rewrite the lines findings sit on (their fingerprints change), and a finding may move to another line
    of its file, never to another rule; one a fix made and a later pass fixed is not in ``before``."""
    from collections import Counter

    left = Counter((f.rule, f.loc.path) for f in after)
    return sum(max(0, count - left[key]) for key, count in Counter((f.rule, f.loc.path) for f in before).items())


def _choose(findings: list[Finding], skip: set[tuple]) -> list[Finding]:
    """Fixes of one pass whose edits overlap no edit already taken (a later one waits for the next pass)."""
    taken: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    chosen: list[Finding] = []
    for finding in findings:
        if _key(finding) in skip:
            continue
        spans = [(e.path, (e.line, e.col), (e.end_line, e.end_col)) for e in finding.fix.edits]  # type: ignore[union-attr]
        # ranges that overlap or touch (an insertion at the edge of a replaced range) wait for the next pass
        clash = any(start <= other_end and other_start <= end
                    for path, start, end in spans for other_start, other_end in taken.get(path, []))
        if clash:
            continue
        for path, start, end in spans:
            taken.setdefault(path, []).append((start, end))
        chosen.append(finding)
    return chosen


def _key(finding: Finding) -> tuple:
    return (finding.rule, finding.loc.path, finding.loc.line, finding.message)


def fix_loop(paths: list[Path], settings, options, *, unsafe: bool = False, write: bool = True,
             fixing: Callable[[list[Finding]], list[Finding]] | None = None) -> FixOutcome:
    """Lint and fix until nothing is left to fix (at most :data:`MAX_PASSES` passes).  ``write=False`` (the
    ``--diff`` mode) works on a temporary copy of the run root; the real files are never touched.
    ``fixing``: the findings of a pass whose fixes may be applied (``--baseline``: those the baseline does not
    hide, so the legacy code it records is left as it is, as ruff never fixes a suppressed finding); None: all.

    ``paths``, ``settings`` and ``options`` are :func:`hueylint.engine.run`'s.  Each pass applies the fixes of
    the findings (safe ones; unsafe ones too with ``unsafe``), at most one fix per finding, refusing a whole
    fix when one of its edits cannot be applied (overlapping edits, a file outside the checked folder, a
    file that is not UTF-8, a result its parser refuses), and writes each changed file atomically, keeping
    its BOM, line endings and mode.  Returns a :class:`FixOutcome` (``diff()`` is the ``--diff`` output);
    refusals are in ``dropped``, not raised.
    """
    from hueylint.discovery import run_root

    root = run_root(paths)
    if write:
        return _loop(paths, root, settings, options, unsafe, fixing)
    with tempfile.TemporaryDirectory(prefix="hueylint-diff-") as scratch:
        copy = Path(scratch) / (root.name or "root")
        # what discovery never reads is not copied (virtualenvs, node_modules, caches)
        try:
            shutil.copytree(root, copy, symlinks=True, ignore=shutil.ignore_patterns(*SKIPPED_IN_COPY),
                            copy_function=_copy_readable)
        except shutil.Error:
            pass  # an unreadable file or folder is left out (copytree copies the rest): nothing in it is fixed
        moved = [copy / Path(os.path.relpath(path.resolve(), root.resolve())) for path in paths]
        settings = _rooted(settings, root, copy)
        with _inside(copy / os.path.relpath(Path.cwd().resolve(), root.resolve())
                     if below(str(Path.cwd().resolve()), str(root.resolve())) else None):
            outcome = _loop(moved, copy, settings, options, unsafe, fixing)
        # the result names the files of the tree, not of the copy (`-o` never replaces a file the run read)
        result: Any = outcome.result
        if result is not None:
            result.inputs = [str(root / os.path.relpath(path, copy)) if below(path, str(copy)) else path
                             for path in result.inputs]
            result.root = root
        return outcome


@contextlib.contextmanager
def _inside(folder: Path | None) -> Iterator[None]:
    """The current folder moved to ``folder`` (the copy's counterpart of it) for the block, so the copy's run
    finds the same run root, relative to the copy, as the real run (outside a git checkout the run root is
    the current folder: the copy's findings were relative to the checked folder, the fixes to the copy)."""
    if folder is None or not folder.is_dir():
        yield
        return
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def _copy_readable(source: str, target: str) -> str:
    """copytree's copy of one file for ``--diff``: only regular files discovery would read (a FIFO, socket
    or device is never opened: copying one failed the whole copy, or could block on it; a file above
    discovery's size limit is never read, so nothing in it is fixed)."""
    from hueylint.discovery import MAX_BYTES

    info = os.lstat(source)
    if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_BYTES:
        shutil.copy2(source, target)
    return target


def _rooted(settings, old: Path, new: Path):
    """The settings with their root moved to the copy (configuration paths resolve against it)."""
    import copy as copying

    moved = copying.copy(settings)
    if getattr(moved, "root", None) is not None:
        try:
            moved.root = new / Path(os.path.relpath(Path(moved.root).resolve(), old.resolve()))
        except ValueError:
            pass
    return moved


def _loop(paths: list[Path], root: Path, settings, options, unsafe: bool,
          fixing: Callable[[list[Finding]], list[Finding]] | None) -> FixOutcome:
    from hueylint.engine import run

    outcome = FixOutcome()
    checked = [os.path.realpath(path) for path in paths]
    skip: set[tuple] = set()
    result = run(paths, settings, options)
    shown = list(result.findings) if fixing is None else fixing(list(result.findings))
    first = [f for f in shown if f.fixable(unsafe)]  # what the check showed fixable (`[*] N fixable`)
    if not unsafe:
        outcome.hidden = sum(1 for f in shown if f.fixable(unsafe=True) and not f.fixable())
    for _ in range(MAX_PASSES):
        candidates = result.findings if fixing is None else fixing(result.findings)
        chosen = _choose([f for f in candidates if f.fixable(unsafe)], skip)
        if not chosen:
            break
        applied, new_texts = _apply_pass(root, chosen, outcome, checked)
        skip |= {_key(f) for f in chosen if f not in applied}
        if not applied or not new_texts:
            break
        from hueylint.safeio import atomic_write

        for rel, (old, text, bom, mode) in new_texts.items():
            try:
                atomic_write(root / rel, ("\ufeff" if bom else "") + text, mode)
            except OSError as exc:  # a full disk, a folder made read-only meanwhile: the fixes are dropped
                failed = [f for f in applied if any(e.path == rel for e in f.fix.edits)]  # type: ignore[union-attr]
                outcome.dropped += [f"{f.rule} {f.loc}: fix not applied (cannot write {rel}: "
                                    f"{exc.strerror or exc})" for f in failed]
                skip |= {_key(f) for f in failed}
                applied = [f for f in applied if f not in failed]
                continue
            outcome.before.setdefault(rel, old)
            outcome.after[rel] = text
        for finding in applied:
            outcome.fixed[finding.rule] = outcome.fixed.get(finding.rule, 0) + 1
            for rel in dict.fromkeys(edit.path for edit in finding.fix.edits):  # type: ignore[union-attr]
                counts = outcome.fixed_in.setdefault(rel, {})  # a fix editing two files is listed under both
                counts[finding.rule] = counts.get(finding.rule, 0) + 1
        outcome.passes += 1 if applied else 0
        result = run(paths, settings, options)
    outcome.after = {rel: text for rel, text in outcome.after.items() if text != outcome.before.get(rel)}
    outcome.dropped = list(dict.fromkeys(outcome.dropped))  # a fix refused again in a later pass: said once
    outcome.result = result
    outcome.resolved = resolved(first, result.findings) if outcome.count else 0
    return outcome


def _apply_pass(root: Path, chosen: list[Finding], outcome: FixOutcome, checked: list[str]
                ) -> tuple[list[Finding], dict[str, tuple[str, str, bool, int]]]:
    """The fixes of ``chosen`` that apply (a fix refused in one of its files is refused in all), and the old
    and new text of each file they change; refusals are recorded in ``outcome.dropped``.  ``checked``: the
    real paths the user named; a file outside them is never written (as ruff fixes only what it checks)."""
    applied = list(chosen)
    while True:
        by_file: dict[str, list[Finding]] = {}
        for finding in applied:
            for rel in dict.fromkeys(edit.path for edit in finding.fix.edits):  # type: ignore[union-attr]
                by_file.setdefault(rel, []).append(finding)
        texts: dict[str, tuple[str, str, bool, int]] = {}
        refused: list[Finding] = []
        for rel, findings in by_file.items():
            reason, fixed = _fixed_text(root, rel, findings, checked)
            if reason is not None:
                for finding in findings:
                    refused.append(finding)
                    outcome.dropped.append(f"{finding.rule} {finding.loc}: fix not applied ({reason})")
            elif fixed is not None:
                texts[rel] = fixed
        if not refused:
            return applied, texts
        applied = [f for f in applied if f not in refused]


def _fixed_text(root: Path, rel: str, findings: list[Finding], checked: list[str] | None = None
                ) -> tuple[str | None, tuple[str, str, bool, int] | None]:
    """(why the fixes cannot be applied to ``rel``, None), (None, None) when they leave it unchanged, or
    (None, (old text, new text, BOM, mode)); ``checked``: the real paths named by the user (None: any)."""
    refused = unfixable(root, rel)  # `..`, a symlinked folder, a symlink, not UTF-8, read-only
    if refused is None and checked is not None and not inside(root / rel, checked):
        refused = "the file is outside the checked paths: name it on the command line to fix it"
    read = read_fixable(root / rel) if refused is None else None
    if read is None:  # (read again: the file may have changed since)
        return refused or "not a regular UTF-8 file", None
    text, bom, mode = read
    edits = [edit for finding in findings for edit in finding.fix.edits if edit.path == rel]  # type: ignore[union-attr]
    try:
        new = apply_edits(text, edits)
    except FixError as exc:
        return str(exc), None
    if new == text:
        return None, None
    problem = parse_problem(rel, new)
    if problem is not None:
        return f"the fixed file would not parse: {problem}", None
    return None, (text, new, bom, mode)
