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
    """The command on ``sys.argv``: its exit code (see :func:`hueylint.cli.main`) ends the process at once
    (:func:`exit_now`); ``--help`` and usage errors end it through ``SystemExit`` as usual."""
    if sys.argv[1:] == ["--version"]:
        try:
            print(VERSION_LINE, flush=True)
        except BrokenPipeError:  # `hueylint --version | head -c0`: the reader left, as the commands take it
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # (no second error at exit)
        return 0
    try:
        from hueylint.cli import main

        code = main()
    except KeyboardInterrupt:  # Ctrl-C: one line, never the traceback of wherever the run was; 128 + SIGINT, as
        # a shell reports a command SIGINT ended (the workers ignore SIGINT: they follow this process out)
        try:
            print("hueylint: interrupted", file=sys.stderr, flush=True)
        except (OSError, ValueError):
            pass
        code = 130
    exit_now(code)
    return 0  # (not reached)


def exit_now(code: int) -> None:
    """End the process with ``code`` once standard output and error are flushed, without the interpreter's
    clean-up, as mypy ends its command (``mypy.util.hard_exit``): a run's files, caches and reports are all
    written and closed by then, and what is left is freeing every object the run made and joining the parse
    pool's threads, which cost 40-60 ms on tubesync and les-emplois and 0.1-0.3 s on ciso-assistant-community
    and the Django tree (time from the report's last byte to the process's end, 2-core VM under load).  The
    parse workers end on their own when this process is gone (:func:`hueylint.workers.follow_parent`).  A
    reader that left (``| head``) is no error, as for the report itself.  Under a profiler or a tracer
    (``python -m cProfile``, coverage) the process ends as usual, so that it can write what it gathered."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader left; a stream closed by the caller
            pass
    os._exit(code)


if __name__ == "__main__":
    sys.exit(run())
