"""The floor of a cold run in CPython: what a Python program pays on a tree before any deployment file is read.

Run as its own process (``python bench/interpreter_floor.py TREE``), it imports the standard modules hueylint's
cold run needs (``argparse``, ``re``, ``dataclasses``, ``pathlib``, ``ast``, ``json``, ``hashlib``, ``tomllib``,
``shlex`` ...), reads every file of the tree (``.git`` and ``node_modules`` skipped) and parses with ``ast`` each
``.py`` file whose bytes mention huey, as hueylint must; nothing else (no YAML, no Dockerfile, no shell script,
no model, no rule). The process's wall time, measured from outside by ``--runs`` repetitions (median), is the
least any cold run of a Python linter can take there: compare it with twice ruff's cold time (the target of the
issue "Fast on real repositories").

    python bench/interpreter_floor.py /tmp/bench/tubesync --runs 7
"""

from __future__ import annotations

import importlib
import os
import statistics
import subprocess
import sys
import time

#: the standard modules a cold hueylint run imports before it reads a file
MODULES = ("argparse", "ast", "dataclasses", "enum", "fnmatch", "functools", "hashlib", "itertools", "json", "pathlib",
           "re", "shlex", "tomllib", "typing")


def floor(tree: str) -> tuple[int, int]:
    """Read every file of ``tree`` and parse its ``.py`` files that mention huey: (files read, files parsed)."""
    import ast

    read = parsed = 0
    for root, dirs, files in os.walk(tree):
        dirs[:] = [d for d in dirs if d not in (".git", "node_modules")]
        for name in files:
            try:
                with open(os.path.join(root, name), "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            read += 1
            if name.endswith(".py") and b"huey" in data.lower():
                parsed += 1
                try:
                    ast.parse(data)
                except (SyntaxError, ValueError):
                    pass  # (a newer syntax: hueylint then tries its fallback, which costs more)
    return read, parsed


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "--child":
        for module in MODULES:  # the imports are part of the floor: timed with the process
            importlib.import_module(module)
        read, parsed = floor(argv[1])
        print(f"{read} files read, {parsed} parsed")
        return 0
    runs = 7
    if "--runs" in argv:
        runs = int(argv[argv.index("--runs") + 1])
        argv = [a for i, a in enumerate(argv) if a != "--runs" and (i == 0 or argv[i - 1] != "--runs")]
    if len(argv) != 1:
        print(__doc__.split("\n\n")[-1].strip(), file=sys.stderr)
        return 2
    times, said = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        said = subprocess.run([sys.executable, __file__, "--child", argv[0]], capture_output=True, text=True,
                              check=True).stdout.strip()
        times.append(time.perf_counter() - start)
    print(f"{argv[0]}: {said}; whole process {statistics.median(times):.3f} s (median of {runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
