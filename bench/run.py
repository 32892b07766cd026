"""Time `hueylint check` on a generated tree with public tools.

Uses hyperfine when installed (`apt-get install hyperfine`), else repeated
runs timed with `time.perf_counter`. Prints median wall times for: a cold
run (no cache), a warm run (cache filled), and `hueylint --version`.

    python bench/make_tree.py /tmp/bench-tree
    python bench/run.py /tmp/bench-tree
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(command: list[str], runs: int = 5, prepare: list[str] | None = None) -> float:
    samples = []
    for _ in range(runs + 1):
        if prepare:
            subprocess.run(prepare, check=False)
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples[1:])


def main() -> None:
    tree = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-tree")
    cache = Path(tempfile.mkdtemp(prefix="hueylint-bench-")) / "cache"
    hueylint = [sys.executable, "-m", "hueylint"]
    os.environ["HUEYLINT_CACHE_DIR"] = str(cache)  # a cold run starts from an empty cache
    if shutil.which("hyperfine"):
        subprocess.run(["hyperfine", "--warmup", "1",
                        "--prepare", f"rm -rf {cache}", f"{' '.join(hueylint)} check {tree} --exit-zero -q",
                        f"{' '.join(hueylint)} check {tree} --exit-zero -q",
                        f"{' '.join(hueylint)} --version"], check=False)
        return
    cold = timed([*hueylint, "check", str(tree), "--exit-zero", "-s"], prepare=["rm", "-rf", str(cache)])
    warm = timed([*hueylint, "check", str(tree), "--exit-zero", "-s"])
    version = timed([*hueylint, "--version"])
    print(f"cold check: {cold:.2f}s  warm check: {warm:.2f}s  --version: {version * 1000:.0f}ms")


if __name__ == "__main__":
    main()
