"""Discovery's verdict cache (hueylint.discovery_cache): unchanged files whose content decided they cannot
matter are not opened again, changed ones are, output stays the same, bad entries and --no-cache are safe.
And the walk's shortcuts (name globs asked per folder and name, venvs and repositories seen in listings)."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pathspec
import pytest

from hueylint import discovery, discovery_cache
from hueylint.cli import main
from hueylint.config import DEFAULT_EXCLUDE
from hueylint.ignores import Level, Rules
from tests.helpers import write_tree

K8S = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n"
       "      containers:\n      - name: w\n        image: app\n        command: [huey_consumer, app.huey, -w, '2']\n")
TREE = {
    "app/tasks.py": "from huey import RedisHuey\nhuey = RedisHuey('a')\n",  # relevant: read every run
    "app/util.py": "def add(a, b):\n    return a + b\n",  # no huey marker: not relevant
    "deploy/worker.yaml": K8S,  # sniffed as Kubernetes
    "data/fixtures.yaml": "- model: shop.item\n  pk: 1\n",  # sniffs as nothing
    "ci/nomad.yaml": "job:\n  task: {command: huey_consumer app.huey}\n",  # nothing, with a notice
    "README.md": "hello\n",  # no format: never read by discovery
}


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The repo paths discovery opens (its read_regular), in any order; every file stamp is trusted at once
    (the racily-clean margin is tested on its own)."""
    calls: list[str] = []
    real = discovery.read_regular

    def counting(path, limit, follow=True):
        calls.append(Path(path).name)
        return real(path, limit, follow)

    monkeypatch.setattr(discovery, "read_regular", counting)
    monkeypatch.setattr(discovery_cache, "RACY_NS", -10**12)
    return calls


def _discover(root: Path, cache_dir: Path, cache: bool = True) -> discovery.Discovery:
    return discovery.discover([root], root, [], cache=cache, cache_dir=str(cache_dir))


def _seen(found: discovery.Discovery) -> tuple:
    return (sorted((src.rel, src.format, src.text) for src in found.sources),
            [(n.rel, n.reason) for n in found.notices], sorted(found.unreadable))


def _entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.rglob("discovery-*/*.json"))


def test_unchanged_irrelevant_files_are_not_opened_again(tmp_path, opened):
    root, cache = tmp_path / "repo", tmp_path / "cache"
    write_tree(root, TREE)
    cold = _discover(root, cache)
    assert sorted(opened) == ["fixtures.yaml", "nomad.yaml", "tasks.py", "util.py", "worker.yaml"]
    assert [(n.rel, n.reason) for n in cold.notices] == [(
        "ci/nomad.yaml", "mentions `huey_consumer` but is not a compose file, Kubernetes manifest, Helm template "
                         "or ECS task definition hueylint recognises: not checked")]
    assert sorted((src.rel, src.format) for src in cold.sources) == [("app/tasks.py", "python"),
                                                                      ("deploy/worker.yaml", "kubernetes")]
    (entry,) = _entries(cache)
    written = entry.stat().st_mtime_ns
    opened.clear()
    warm = _discover(root, cache)
    assert sorted(opened) == ["tasks.py", "worker.yaml"]  # relevant files are read (their text is needed)
    assert _seen(warm) == _seen(cold)  # same sources, same notice, nothing unreadable
    assert entry.stat().st_mtime_ns == written  # nothing changed: the entry is not rewritten


def test_a_changed_file_is_read_and_classified_again(tmp_path, opened):
    root, cache = tmp_path / "repo", tmp_path / "cache"
    write_tree(root, TREE)
    _discover(root, cache)
    util = root / "app" / "util.py"
    before = os.stat(util)
    util.write_text("huey = 1\n" + "#" * (before.st_size - 9), encoding="utf-8")  # same size, now relevant
    os.utime(util, ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))  # a later tick (ctime moves too)
    assert os.stat(util).st_size == before.st_size
    opened.clear()
    found = _discover(root, cache)
    assert sorted(opened) == ["tasks.py", "util.py", "worker.yaml"]
    assert "app/util.py" in {src.rel for src in found.sources}
    opened.clear()
    again = _discover(root, cache)  # the new verdict is kept: relevant, read without sniffing
    assert sorted(opened) == ["tasks.py", "util.py", "worker.yaml"] and _seen(again) == _seen(found)


def test_a_file_changed_just_before_the_run_is_not_trusted(tmp_path, monkeypatch):
    """Racily clean (git's term): a write in the same clock tick as the last run's read may not change the
    stamp, so a file whose ctime is within RACY_NS of that run's start is classified again."""
    root, cache = tmp_path / "repo", tmp_path / "cache"
    write_tree(root, TREE)
    _discover(root, cache)
    calls: list[str] = []
    real = discovery.read_regular
    monkeypatch.setattr(discovery, "read_regular", lambda path, limit, follow=True: calls.append(
        Path(path).name) or real(path, limit, follow))
    _discover(root, cache)  # the files were written less than a second before the first run
    assert "util.py" in calls and "fixtures.yaml" in calls


def test_a_file_written_in_the_last_two_seconds_of_a_coarse_clock_is_not_trusted(tmp_path, monkeypatch):
    """A FAT file system keeps times in 2-second ticks (HFS+ in 1-second ones), as the run cache assumes
    (runcache.RACY_NS): a file written 1.5 s before the indexing run started can be written again after
    that run read it, in the same tick and with the same size, and keep its whole stamp. Its verdict is not
    trusted (here the tick is simulated by moving the index's start 1.5 s after the file's ctime)."""
    root, cache = tmp_path / "repo", tmp_path / "cache"
    write_tree(root, TREE)
    _discover(root, cache)
    [entry] = _entries(cache)
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["since"] = os.stat(root / "app/util.py").st_ctime_ns + 1_500_000_000
    entry.write_text(json.dumps(data), encoding="utf-8")
    calls: list[str] = []
    real = discovery.read_regular
    monkeypatch.setattr(discovery, "read_regular", lambda path, limit, follow=True: calls.append(
        Path(path).name) or real(path, limit, follow))
    _discover(root, cache)
    assert "util.py" in calls


def test_warm_output_is_byte_identical(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(discovery_cache, "RACY_NS", -10**12)
    root, cache = tmp_path / "repo", tmp_path / "cache"
    write_tree(root, {**TREE, "bad.yaml": "kind: Pod\napiVersion: v1\nx: \x00\n",  # HL001 (NUL) every run
                      "huey.service": "[Service]\nExecStart=/srv/bin/huey_consumer app.tasks.huey\n"})
    monkeypatch.chdir(root)
    outputs = []
    for _ in range(2):
        for form in ("text", "json", "sarif"):
            code = main(["check", "--no-color", "--output-format", form, "--cache-dir", str(cache)])
            outputs.append((code, *capsys.readouterr()))
    assert outputs[:3] == outputs[3:]
    assert "bad.yaml" in outputs[0][1] and "ci/nomad.yaml" in outputs[0][1]
    assert len(_entries(cache)) == 1


@pytest.mark.parametrize("content", [
    '{"schema": 1, "since": 0, "files": {',  # truncated
    '[1, 2, 3]',  # another shape
    '{"schema": 99, "since": 0, "files": {}}',  # another schema
    '{"schema": 1, "since": 0, "files": {"app/util.py": [1, 2, 3, 4, "5", "", null]}}',  # a bad stamp
    '{"schema": 1, "since": 0, "files": {"app/util.py": [1, 2, 3, 4, 5, 6, null]}}',  # a bad verdict
])
def test_a_malformed_entry_counts_as_empty(tmp_path, opened, content):
    root, cache = tmp_path / "repo", tmp_path / "cache"
    write_tree(root, TREE)
    cold = _discover(root, cache)
    (entry,) = _entries(cache)
    stamps = json.loads(entry.read_text())["files"]
    assert stamps["app/util.py"][5:] == ["", None] and stamps["deploy/worker.yaml"][5:] == ["kubernetes", None]
    entry.write_text(content.replace('"since": 0', f'"since": {2**62}'), encoding="utf-8")
    opened.clear()
    assert _seen(_discover(root, cache)) == _seen(cold)
    assert sorted(opened) == ["fixtures.yaml", "nomad.yaml", "tasks.py", "util.py", "worker.yaml"]
    assert json.loads(entry.read_text())["files"] == stamps  # rewritten whole


def test_no_cache_writes_and_reads_nothing(tmp_path, opened, capsys, monkeypatch):
    root, cache = tmp_path / "repo", tmp_path / "cache"
    write_tree(root, TREE)
    _discover(root, cache, cache=False)
    monkeypatch.chdir(root)
    assert main(["check", "--no-cache", "--cache-dir", str(cache)]) in (0, 1)
    assert not cache.exists()
    _discover(root, cache)
    opened.clear()
    _discover(root, cache, cache=False)
    assert len(opened) == 5


def test_unreadable_and_too_large_files_get_the_same_notices_every_run(tmp_path, opened, monkeypatch):
    monkeypatch.setattr(discovery, "MAX_BYTES", 64)
    root, cache = tmp_path / "repo", tmp_path / "cache"
    write_tree(root, {"big.py": "huey = 1\n" * 20, "big.yaml": "services:\n  huey:\n" + "a: 1\n" * 20,
                      "Procfile": "worker: x\n" * 10, "nul.py": "huey = 1\n\x00\n",
                      # too large, but their content says they cannot matter (no huey marker, no clue of a format)
                      "schema.py": "x = 1\n" * 20, "fixture.json": '{"a": 1}\n' * 20})
    first = _discover(root, cache)
    assert [(n.rel, n.reason) for n in first.notices] == [("big.py", "larger than 64 bytes: skipped"),
                                                          ("big.yaml", "larger than 64 bytes: skipped")]
    assert first.unreadable == [("Procfile", 1, 1, "cannot read: larger than 64 bytes, so this file is not checked"),
                                ("nul.py", 2, 1, "cannot parse: a NUL byte (binary content), so this file is not checked")]
    opened.clear()
    assert _seen(_discover(root, cache)) == _seen(first)
    assert sorted(opened) == ["Procfile", "big.py", "big.yaml", "nul.py"]  # the verdict on the other two is kept


# -- the walk's shortcuts --------------------------------------------------------------------------------


def test_name_globs_decide_as_the_whole_path_regexes():
    """Level's per-name answer (patterns without a slash, asked once per folder and once per name) equals
    pathspec's regex on the whole path, inherited matches (a name under a matched folder) included."""
    sets = [list(DEFAULT_EXCLUDE), ["build", "!build", "*.py[co]", ".venv/", "!keep/", "a*", "x?y", "*.log",
                                    "!important.log", "[ab]c", "\\#x"], [".*"], ["docs/", "!docs"], ["a**b", "!a?"]]
    names = ["build", "keep", "a", "ab", "x1y", ".venv", "f.log", "important.log", "bc", "#x", "m.pyc", "docs",
             "q", "dist", "foo.egg-info", "axb", "a."]
    rng = random.Random(7)
    for patterns in sets:
        for base, scoped in ((".", True), ("sub", True), ("sub", False)):
            fast = Level(base, pathspec.GitIgnoreSpec.from_lines(patterns), scoped=scoped)
            slow = Level(base, pathspec.GitIgnoreSpec.from_lines(patterns), scoped=scoped)
            assert fast._names is not None
            slow._names = None
            for _ in range(1500):
                rel = "/".join(rng.choice(names) for _ in range(rng.randint(1, 4)))
                rel = f"sub/{rel}" if base != "." and rng.random() < 0.7 else rel
                for is_dir in (True, False):
                    assert fast.decide(rel, is_dir) == slow.decide(rel, is_dir), (patterns, base, rel, is_dir)
    for anchored in ("a/b", "/x", "[!a]b", "*"):  # these are asked of the whole path
        assert Level(".", pathspec.GitIgnoreSpec.from_lines([anchored]))._names is None


def test_plain_names_are_read_as_pathspec_reads_them():
    """A list of plain name globs (the default ``exclude``) is read without pathspec: the same regex and
    ``include`` for each pattern, and the same decisions, inside and outside the base; any other list is
    pathspec's."""
    from hueylint.ignores import _NameSpec, _spec

    plain = [*DEFAULT_EXCLUDE, "a*b*c", "x-y_z.1", "a**b", "*.py", "**x", "-", "_"]
    ours, theirs = _spec(plain), pathspec.GitIgnoreSpec.from_lines(plain)
    assert isinstance(ours, _NameSpec)
    assert [(p.regex.pattern, p.include) for p in ours.patterns] == \
        [(p.regex.pattern, p.include) for p in theirs.patterns]
    names = ["build", ".git", "venv", "a1b2c", "x-y_z.1", "axxb", "m.py", ".hidden", "xx", "-", "_", "dist",
             "foo.egg-info", "..", "sub", "site-packages"]
    rng = random.Random(11)
    for patterns in (list(DEFAULT_EXCLUDE), plain):
        for base, scoped in ((".", False), ("sub", False), ("sub", True)):
            fast = Level(base, _spec(patterns), scoped=scoped)
            slow = Level(base, pathspec.GitIgnoreSpec.from_lines(patterns), scoped=scoped)
            for _ in range(1500):
                rel = "/".join(rng.choice(names) for _ in range(rng.randint(1, 4)))
                rel = f"sub/{rel}" if rng.random() < 0.5 else rel
                for is_dir in (True, False):
                    assert fast.decide(rel, is_dir) == slow.decide(rel, is_dir), (patterns, base, rel, is_dir)
    for other in (["*"], ["**"], ["."], [".*"], ["a/b"], ["!a"], ["a?"], ["[ab]"], ["a\\b"], ["a "], ["#a"], ["a/"],
                  [".venv", "docs/"]):
        assert not isinstance(_spec(other), _NameSpec), other


def test_a_named_excluded_folder_is_walked_and_inherited_matches_do_not_count(tmp_path):
    write_tree(tmp_path, {"build/build": "1\n", "build/x.py": "1\n", "build/sub/build/y.py": "1\n"})
    found, _ = discovery.walk([tmp_path / "build"], tmp_path, Rules.of(list(DEFAULT_EXCLUDE)))
    # below the named build/, `build` matches every path through that folder: only inherited matches
    assert sorted(rel for _, rel in found) == ["build/build", "build/sub/build/y.py", "build/x.py"]


def test_virtualenvs_are_told_from_the_folder_listing(tmp_path):
    write_tree(tmp_path, {"env/pyvenv.cfg": "home = /usr\n", "env/lib/a.py": "1\n",
                          "linked/cfg": "home = /usr\n", "linked/a.py": "1\n",
                          "notenv/pyvenv.cfg/x": "1\n", "notenv/a.py": "1\n", "ok/a.py": "1\n"})
    os.symlink("cfg", tmp_path / "linked" / "pyvenv.cfg")  # a link to a file counts, as os.path.isfile says
    found, notices = discovery.walk([tmp_path], tmp_path, Rules())
    assert sorted(rel for _, rel in found) == ["notenv/a.py", "notenv/pyvenv.cfg/x", "ok/a.py"]
    assert notices == []
    named, _ = discovery.walk([tmp_path / "env"], tmp_path, Rules())  # a venv named on the command line is read
    assert sorted(rel for _, rel in named) == ["env/lib/a.py", "env/pyvenv.cfg"]


@pytest.mark.parametrize(("kind", "data"), [
    ("?yaml", b"\xef\xbb\xbfapiVersion: v1\nkind: Pod\n"),  # a BOM before the first key
    ("?json", b'{"apiVersion":"v1","kind":"Pod"}'),
    ("?yaml", b"apiVersion: v1\n# kind: Pod\n"),  # both words, no kind key
    ("?yaml", b"x: \xff\xfe\nservices:\xc2\xa0\n"),  # bad bytes; a no-break space is whitespace to \s
    ("?yaml", b"#" * (8192 - 12) + b"\nservices:\n"),  # just inside the head
    ("?yaml", b"#" * 8192 + b"\nservices:\n"),  # just past it
    ("?yaml", "é".encode() * 4095 + b"\nservices:\n"),  # the head counted in characters, not bytes
    ("?yaml", b"command: run_huey_x\n"),  # no word boundary: no notice
    ("?json", b'{"cmd": "python manage.py run_huey"}'),
    ("?yaml", b"image: {{ .Values.image }}\n"),
    ("?yaml", b"{% if x %}{{ .Values.image }}{% endif %}\n"),  # Jinja, not Helm
    ("?ini", b"[program:worker]\ncommand=huey_consumer a.huey\n"),
    ("?ini", "é".encode() * 8190 + b"\n[Service]\n"),  # past the head
    ("?dockerfile", b"# syntax=docker/dockerfile:1\nFROM python\n"),
    ("?logrotate", b"/var/log/huey.log {\n  daily\n}\n"),
])
def test_sniffing_bytes_answers_as_sniffing_the_decoded_text(kind, data):
    from hueylint import formats

    text = data.decode("utf-8-sig", errors="replace")
    sniffed = formats.sniff(kind, text, "deploy/x")
    expected = (sniffed, None) if sniffed else ("", formats.unrecognised(kind, text))
    assert formats.sniff_bytes(kind, data, "deploy/x") == expected


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("named", [".", "app"])
def test_a_walk_ahead_of_git_drops_what_git_ignores(tmp_path, monkeypatch, named):
    """git answers while the tree is walked: what the walk found before the answer, inside a folder git
    ignores or ignored itself, is dropped with its stamp and notices, exactly as if it had been skipped."""
    import subprocess

    from hueylint.ignores import GitIgnores

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_tree(tmp_path, {".gitignore": "media/\n*.log\nout/*\n!out/keep\n", "app/a.py": "1\n", "app/x.log": "1\n",
                          "app/media/m.py": "1\n", "media/b.py": "1\n", "out/keep": "1\n", "out/drop": "1\n",
                          "app/ok/c.py": "1\n"})
    os.mkfifo(tmp_path / "app" / "media" / "pipe.yaml")
    os.symlink("/etc/passwd", tmp_path / "media" / "link.py")
    os.mkfifo(tmp_path / "app" / "ok" / "pipe.yaml")
    start = tmp_path / named if named != "." else tmp_path

    def run(gitignore: GitIgnores) -> tuple:
        stamps: dict = {}
        found, notices = discovery.walk([start], tmp_path, Rules(), gitignore, None, stamps)
        return sorted(rel for _, rel in found), [(n.rel, n.reason) for n in notices], sorted(stamps)

    settled = run(GitIgnores(tmp_path))
    monkeypatch.setattr(GitIgnores, "poll", lambda self: None)  # git answers only after the walk
    ahead = GitIgnores(tmp_path, wait=False)
    assert ahead.pending
    assert run(ahead) == settled
    files = ["app/a.py", "app/ok/c.py"] + ([".gitignore", "out/keep"] if named == "." else [])
    assert settled == (sorted(files), [("app/ok/pipe.yaml", "not a regular file: skipped")], sorted(files))


def test_a_run_on_a_subfolder_keeps_the_other_verdicts_and_forgets_deleted_files(tmp_path, opened):
    root, cache = tmp_path / "repo", tmp_path / "cache"
    write_tree(root, TREE)
    _discover(root, cache)
    (root / "app" / "util.py").unlink()
    discovery.discover([root / "app"], root, [], cache=True, cache_dir=str(cache))  # only app/ is walked
    (entry,) = _entries(cache)
    assert sorted(json.loads(entry.read_text())["files"]) == [
        "app/tasks.py", "ci/nomad.yaml", "data/fixtures.yaml", "deploy/worker.yaml"]
    opened.clear()
    _discover(root, cache)
    assert sorted(opened) == ["tasks.py", "worker.yaml"]


def test_a_racily_clean_verdict_outside_the_walked_folder_is_not_kept(tmp_path):
    """Run 1 reads deploy/ files written in its own second; run 2 walks only app/: it must not carry those
    untrusted verdicts over under its own, later start (they would be trusted then)."""
    root, cache = tmp_path / "repo", tmp_path / "cache"
    write_tree(root, TREE)
    _discover(root, cache)
    discovery.discover([root / "app"], root, [], cache=True, cache_dir=str(cache))
    (entry,) = _entries(cache)
    assert sorted(json.loads(entry.read_text())["files"]) == ["app/tasks.py", "app/util.py"]


class _Clock:
    """Fake ``time.perf_counter``/``thread_time``: each read file costs 1 s of wall time and ``cpu`` s of
    this thread's CPU (what the rest was spent on: waiting for the disk)."""

    def __init__(self, cpu: float) -> None:
        self.wall = self.used = 0.0
        self.cpu = cpu

    def tick(self) -> None:
        self.wall += 1.0
        self.used += self.cpu


@pytest.mark.parametrize("cpu, threaded", [(1.0, False), (0.8, False), (0.5, True)])
def test_files_are_read_in_threads_only_once_reading_waits_on_the_disk(tmp_path, monkeypatch, cpu, threaded):
    """In the page cache, reading is CPU work under the GIL: one thread reads faster than eight. A chunk
    that waited on the disk for over WAITING_SHARE of its time sends the rest to threads; the result and
    its order are the same either way."""
    import concurrent.futures

    write_tree(tmp_path, {f"deploy/s{i:03}.service": f"[Service]\nExecStart=/bin/true {i}\n" for i in range(300)})
    root = tmp_path.resolve()
    expected = [src.rel for src in discovery.discover([root], root, []).sources]
    clock, pools = _Clock(cpu), []
    real_read = discovery._read_candidate

    def read(*item):
        clock.tick()
        return real_read(*item)

    class Pool(concurrent.futures.ThreadPoolExecutor):
        def __init__(self, max_workers: int) -> None:
            pools.append(max_workers)
            super().__init__(max_workers=max_workers)

    monkeypatch.setattr(discovery, "_read_candidate", read)
    monkeypatch.setattr(discovery.time, "perf_counter", lambda: clock.wall)
    monkeypatch.setattr(discovery.time, "thread_time", lambda: clock.used)
    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", Pool)
    found = discovery.discover([root], root, [])
    assert [src.rel for src in found.sources] == expected and len(expected) == 300
    assert bool(pools) is threaded
    assert clock.wall == 300  # every file read once

