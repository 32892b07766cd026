"""Time hueylint against ruff on public repositories that deploy huey, with public tools only.

The repositories are fetched at fixed commits (``git clone`` + ``git checkout``), plus the Django 5.1.4
sdist (``pip download --no-binary``) with hueylint's own fixture projects copied in as ``services/NAME``
(a large Python tree with many small deployments). ``--source DIR`` takes checkouts already present as
``DIR/NAME`` instead (a missing one is skipped; nothing is fetched then).

Each repository is timed in alternation, ``--runs`` rounds (default 3) of: hueylint cold (``--no-cache``,
as the issue defines it), hueylint's first run (an empty ``--cache-dir``: cold plus writing the cache),
ruff cold (``--no-cache``), hueylint warm (the cache filled by a first run), ruff warm (its ``--cache-dir``
filled). Alternating keeps the ratios fair on a machine whose load changes. Then pre-commit-style runs:
one Python file's content changed, the whole repository checked with the warm cache (the hook has
``pass_filenames: false``), the file restored afterwards; in each round a comment appended (which the run
cache's early cutoff replays when the module is not opaque: ``hueylint/python_edits.py``), then a line put
first (every fact of the module moves: replayed with the positions moved), then an import appended
(``import hueylint_bench_change_N``: a module no source root holds and no fact names, replayed by the early
cutoff for such imports since the run records what it read of each module's imports; an import the app's
closure follows would rebuild the model from the cached parts). Wall time is
``time.perf_counter`` around the process; peak memory is the largest ``ru_maxrss`` of the timed process
or any child it waited for (``os.wait4``). ``hueylint --version`` is timed over 10 runs.

When hyperfine is installed, ``--hyperfine`` times each command with it instead (no alternation).

``--reference`` also times pyflakes cold in each round (``pip install pyflakes``): a linter written in Python
that only parses every ``.py`` file and walks its tree, no configuration, no cache. It is printed beside
ruff as the floor of the cold target: what CPython itself costs on the tree, whatever the linter does.

The targets of the issue "Fast on real repositories" are printed beside the figures: cold at most 2x
ruff's cold time, warm at most 2x ruff's warm time (ruff's warm time counted as at least 0.1 s), a
pre-commit run after a one-file change under 0.5 s, peak memory under 150 MiB, ``--version`` under 60 ms.

    python bench/real_repos.py                       # clone into /tmp/hueylint-bench, then time
    python bench/real_repos.py --source /tmp/bench   # checkouts already there
    python bench/real_repos.py --only tubesync --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# name, clone URL, commit (the commits the README's figures were measured on)
REPOS: list[tuple[str, str, str]] = [
    ("tubesync", "https://github.com/meeb/tubesync", "bec410617ae763fbff9679113db888c3c1bd8ce7"),
    ("SecObserve", "https://github.com/SecObserve/SecObserve", "999c5d6ce8530792e2c0978381f6d4128eedfa8c"),
    ("les-emplois", "https://github.com/gip-inclusion/les-emplois", "543eae8d2d547947d3e3ead6dbb2e9668c16db44"),
    ("OneSilaHeadless", "https://github.com/OneSila/OneSilaHeadless", "8aeef459fefc5cb68bab421c4554628596be973a"),
    ("ciso-assistant-community", "https://github.com/intuitem/ciso-assistant-community",
     "f990d7b1b9a9f56e391acbc247c9076262a11412"),
]
DJANGO = "django-5.1.4"
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"

COLD_RATIO, WARM_RATIO, RUFF_WARM_FLOOR = 2.0, 2.0, 0.1  # the targets
PRECOMMIT_LIMIT, MEMORY_LIMIT_MIB, VERSION_LIMIT = 0.5, 150.0, 0.060


@dataclass
class Sample:
    seconds: float
    rss_mib: float


@dataclass
class Figures:
    name: str
    files: int
    runs: dict[str, list[Sample]] = field(default_factory=dict)

    def median(self, what: str) -> float:
        return statistics.median(s.seconds for s in self.runs[what])

    def peak(self, what: str) -> float:
        return max(s.rss_mib for s in self.runs[what])


def timed(command: list[str], cwd: Path | None = None) -> Sample:
    """Run ``command`` with its output discarded; wall seconds and peak RSS (MiB) of it and its children."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = 0  # reaped by wait4; keep Popen from waiting again
    return Sample(elapsed, usage.ru_maxrss / 1024)  # Linux reports KiB


def fetch(work: Path) -> None:
    """Clone each repository at its commit and download the Django sdist into ``work`` (skips present ones)."""
    work.mkdir(parents=True, exist_ok=True)
    for name, url, commit in REPOS:
        target = work / name
        if not target.exists():
            subprocess.run(["git", "clone", "--quiet", url, str(target)], check=True)
            subprocess.run(["git", "-C", str(target), "checkout", "--quiet", commit], check=True)
    django = work / DJANGO
    if not django.exists():
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                            "django==5.1.4", "-d", tmp], check=True)
            archive = next(Path(tmp).glob("*.tar.gz"))
            with tarfile.open(archive) as tar:
                tar.extractall(work, filter="data")
            (work / archive.name.removesuffix(".tar.gz")).rename(django)
    services = django / "services"
    if not services.exists() and FIXTURES.is_dir():
        for fixture in sorted(FIXTURES.iterdir()):
            if fixture.is_dir():
                shutil.copytree(fixture, services / fixture.name, symlinks=True)


def count_files(tree: Path) -> int:
    return sum(len(files) for _, dirs, files in os.walk(tree) if not dirs.__setitem__(
        slice(None), [d for d in dirs if d != ".git"]))


def touch_target(tree: Path) -> Path | None:
    """The Python file a pre-commit run changes: the first (sorted) that mentions huey, else the first one."""
    first: Path | None = None
    for path in sorted(tree.rglob("*.py")):
        if ".git" in path.parts or not path.is_file() or path.is_symlink():
            continue
        first = first or path
        try:
            if b"huey" in path.read_bytes():
                return path
        except OSError:
            continue
    return first


def bench_repo(name: str, tree: Path, runs: int, hueylint: list[str], ruff: list[str],
               reference: list[str] | None = None) -> Figures:
    figures = Figures(name, count_files(tree))
    scratch = Path(tempfile.mkdtemp(prefix="hueylint-bench-"))
    hl_warm_cache, ruff_warm_cache = scratch / "hl-warm", scratch / "ruff-warm"
    hl_args = ["check", str(tree), "--exit-zero", "-q"]
    ruff_args = ["check", str(tree), "--exit-zero", "-q"]
    subprocess.run([*hueylint, *hl_args, "--cache-dir", str(hl_warm_cache)], capture_output=True, check=False)
    subprocess.run([*ruff, *ruff_args, "--cache-dir", str(ruff_warm_cache)], capture_output=True, check=False)
    for round_ in range(runs):
        cold_cache = scratch / f"hl-cold-{round_}"
        steps = {
            "hueylint cold": [*hueylint, *hl_args, "--no-cache"],
            "hueylint first": [*hueylint, *hl_args, "--cache-dir", str(cold_cache)],
            "ruff cold": [*ruff, *ruff_args, "--no-cache"],
            "hueylint warm": [*hueylint, *hl_args, "--cache-dir", str(hl_warm_cache)],
            "ruff warm": [*ruff, *ruff_args, "--cache-dir", str(ruff_warm_cache)],
        }
        if reference is not None:
            steps["pyflakes cold"] = [*reference, str(tree)]
        for what, command in steps.items():
            figures.runs.setdefault(what, []).append(timed(command))
        shutil.rmtree(cold_cache, ignore_errors=True)
    target = touch_target(tree)
    if target is not None:
        original = target.read_bytes()
        try:
            for round_ in range(runs):
                target.write_bytes(original + f"\n# hueylint bench change {round_}\n".encode())
                figures.runs.setdefault("pre-commit", []).append(
                    timed([*hueylint, *hl_args, "--cache-dir", str(hl_warm_cache)]))
                # every line moves down: replayed with the facts' positions moved
                target.write_bytes(f"# hueylint bench change {round_}\n".encode() + original)
                figures.runs.setdefault("pre-commit moved", []).append(
                    timed([*hueylint, *hl_args, "--cache-dir", str(hl_warm_cache)]))
                # an import of no module of the tree, no fact names it: replayed by the early cutoff
                target.write_bytes(original + f"\nimport hueylint_bench_change_{round_}\n".encode())
                figures.runs.setdefault("pre-commit import", []).append(
                    timed([*hueylint, *hl_args, "--cache-dir", str(hl_warm_cache)]))
        finally:
            target.write_bytes(original)
    shutil.rmtree(scratch, ignore_errors=True)
    return figures


def hyperfine_repo(name: str, tree: Path, runs: int, hueylint: list[str], ruff: list[str]) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="hueylint-bench-"))
    hl = f"{' '.join(hueylint)} check {tree} --exit-zero -q"
    rf = f"{' '.join(ruff)} check {tree} --exit-zero -q"
    print(f"## {name}")
    subprocess.run(["hyperfine", "--runs", str(runs), "--warmup", "1", "--prepare", f"rm -rf {scratch}/cold",
                    f"{hl} --no-cache", f"{hl} --cache-dir {scratch}/cold", f"{rf} --no-cache",
                    f"{hl} --cache-dir {scratch}/warm", f"{rf} --cache-dir {scratch}/ruff"], check=False)
    shutil.rmtree(scratch, ignore_errors=True)


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(all_figures: list[Figures], version: float) -> None:
    """Print the Markdown table of the README (and, when pyflakes was timed, the reference table)."""
    print("| repository | files | hueylint cold | ruff cold | cold ratio (target <= 2) | hueylint first run"
          " (empty cache) | hueylint warm | ruff warm"
          " | warm ratio (target <= 2, ruff >= 0.1 s) | pre-commit, one file changed (target < 0.5 s)"
          " | pre-commit, its lines moved | pre-commit, an import of no module added"
          " | hueylint peak RSS (target < 150 MiB) | ruff peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for f in all_figures:
        cold, ruff_cold = f.median("hueylint cold"), f.median("ruff cold")
        warm, ruff_warm = f.median("hueylint warm"), f.median("ruff warm")
        cold_ratio, warm_ratio = cold / ruff_cold, warm / max(ruff_warm, RUFF_WARM_FLOOR)
        first = f.median("hueylint first")
        peak = max(f.peak("hueylint cold"), f.peak("hueylint first"), f.peak("hueylint warm"))
        ruff_peak = max(f.peak("ruff cold"), f.peak("ruff warm"))
        pre = f.median("pre-commit") if "pre-commit" in f.runs else float("nan")
        moved = f.median("pre-commit moved") if "pre-commit moved" in f.runs else float("nan")
        imported = f.median("pre-commit import") if "pre-commit import" in f.runs else float("nan")
        print(f"| {f.name} | {f.files:,} | {cold:.2f} s | {ruff_cold:.2f} s | {cold_ratio:.1f}x"
              f" ({verdict(cold_ratio <= COLD_RATIO)}) | {first:.2f} s | {warm:.2f} s | {ruff_warm:.2f} s | {warm_ratio:.1f}x"
              f" ({verdict(warm_ratio <= WARM_RATIO)}) | {pre:.2f} s ({verdict(pre < PRECOMMIT_LIMIT)})"
              f" | {moved:.2f} s ({verdict(moved < PRECOMMIT_LIMIT)})"
              f" | {imported:.2f} s ({verdict(imported < PRECOMMIT_LIMIT)})"
              f" | {peak:.0f} MiB ({verdict(peak < MEMORY_LIMIT_MIB)}) | {ruff_peak:.0f} MiB |")
    print(f"\n`hueylint --version`: {version * 1000:.0f} ms median of 10 (target < 60 ms:"
          f" {verdict(version < VERSION_LIMIT)})")
    timed_reference = [f for f in all_figures if "pyflakes cold" in f.runs]
    if timed_reference:
        print("\n| repository | ruff cold | pyflakes cold | pyflakes / ruff | hueylint cold | hueylint / pyflakes |")
        print("|---|---:|---:|---:|---:|---:|")
        for f in timed_reference:
            ruff_cold, flakes, cold = f.median("ruff cold"), f.median("pyflakes cold"), f.median("hueylint cold")
            print(f"| {f.name} | {ruff_cold:.2f} s | {flakes:.2f} s | {flakes / ruff_cold:.1f}x | {cold:.2f} s"
                  f" | {cold / flakes:.2f}x |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="folder holding the checkouts as NAME/ (nothing is fetched)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "hueylint-bench",
                        help="where to clone when --source is not given (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="rounds per repository (default: 3)")
    parser.add_argument("--only", action="append", help="time only this repository (repeatable)")
    parser.add_argument("--hyperfine", action="store_true", help="time with hyperfine (must be installed)")
    parser.add_argument("--json", type=Path, help="also write the raw samples to this file")
    parser.add_argument("--reference", action="store_true",
                        help="also time pyflakes cold, the floor of a linter written in Python (must be installed)")
    args = parser.parse_args(argv)
    # An installed package runs from compiled bytecode; with PYTHONDONTWRITEBYTECODE set (some CI images and
    # sandboxes) every run would recompile hueylint's modules (0.2-0.3 s), which users never pay. Bytecode
    # goes to a scratch prefix; the cache-filling run of each repository compiles them before any timing.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "hueylint-bench-pycache"))
    script = Path(sys.executable).parent / "hueylint"  # the console script users run
    hueylint = [str(script)] if script.is_file() else [sys.executable, "-m", "hueylint"]
    ruff = [shutil.which("ruff") or "ruff"]
    if shutil.which(ruff[0]) is None:
        parser.error("ruff is not installed (pip install ruff)")
    reference = None
    if args.reference:
        flakes = Path(sys.executable).parent / "pyflakes"
        if not flakes.is_file() and shutil.which("pyflakes") is None:
            parser.error("pyflakes is not installed (pip install pyflakes)")
        reference = [str(flakes) if flakes.is_file() else "pyflakes"]
    root = args.source
    if root is None:
        root = args.work
        fetch(root)
    names = [name for name, _, _ in REPOS] + [DJANGO]
    chosen = [n for n in names if (not args.only or n in args.only) and (root / n).is_dir()]
    if args.hyperfine:
        if shutil.which("hyperfine") is None:
            parser.error("hyperfine is not installed")
        for name in chosen:
            hyperfine_repo(name, root / name, args.runs, hueylint, ruff)
        return 0
    all_figures = []
    for name in chosen:
        print(f"timing {name}...", file=sys.stderr, flush=True)
        all_figures.append(bench_repo(name, root / name, args.runs, hueylint, ruff, reference))
    version = statistics.median(timed([*hueylint, "--version"]).seconds for _ in range(10))
    report(all_figures, version)
    if args.json:
        args.json.write_text(json.dumps({f.name: {k: [vars(s) for s in v] for k, v in f.runs.items()}
                                         for f in all_figures}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
