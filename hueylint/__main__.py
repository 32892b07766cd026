"""``python -m hueylint`` and the ``hueylint`` command (``[project.scripts]``): :func:`run`.

``hueylint --version`` is answered here, before :mod:`hueylint.cli` imports argparse, pathlib and typing
(two thirds of its start-up time: 61 ms before, 22 ms after, on the 2-core VM where CPython's own start-up
takes 20 ms); argparse's ``--version`` action prints the same line for any other spelling
(``hueylint check --version`` is a usage error there, as before).
"""

import os
import sys

from hueylint import VERSION_LINE


def run() -> int:
    """The command on ``sys.argv``; returns its exit code (see :func:`hueylint.cli.main`)."""
    if sys.argv[1:] == ["--version"]:
        try:
            print(VERSION_LINE, flush=True)
        except BrokenPipeError:  # `hueylint --version | head -c0`: the reader left, as the commands take it
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # (no second error at exit)
        return 0
    from hueylint.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
