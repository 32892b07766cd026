"""Worker processes of a run: forked from hueylint, stopped with it.

Parsing is CPU work under the GIL, so what a run does in parallel it does in forked processes
(:class:`concurrent.futures.ProcessPoolExecutor` with the ``fork`` start method: the children share the
modules already imported, nothing is pickled but the work and its results): the app layer's parse pool
(:mod:`hueylint.pyapp.cache`).  Discovery's byte gate was tried in a second process too and did not pay: a
forked worker gating half of ciso-assistant-community's 1,500 candidates saved 30 ms of 0.87 s (3 %), the
Django tree and les-emplois none, for 1-8 % more CPU (idle 2-core VM, 10 alternating pairs).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor


def fork_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` forked processes that exit with the run (:func:`follow_parent`), or None where
    processes cannot be forked (no ``fork`` start method on the platform, no process left): the caller then
    does the work in-process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform
        return None
    try:
        return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=follow_parent)
    except (OSError, RuntimeError):
        return None


def follow_parent() -> None:
    """Worker-process start: exit when the hueylint process that forked it is gone (killed, or stopped by a
    signal that ran no clean-up).  A worker may wait for work a while (from the platform builders' start to
    the app layer); left alone it would wait forever, holding the run's output pipes open.  Ctrl-C (SIGINT
    to the terminal's whole process group) is the parent's to handle: it stops the workers, which would
    otherwise each die with a traceback of their own."""
    import multiprocessing
    import signal
    import threading
    from multiprocessing.connection import wait

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch(sentinel: int) -> None:
        wait([sentinel])  # readable once the parent's end of the pipe is closed: it has exited
        os._exit(1)

    threading.Thread(target=watch, args=(parent.sentinel,), daemon=True).start()


def busy(cores: int) -> bool:
    """Whether the machine's processors are all taken by other work, so that a worker process would only take
    turns with the run instead of working beside it: the 1-minute load average (:func:`os.getloadavg`: the
    processes running or waiting for a processor) is at least ``cores``, the rule ``make -l`` and ``ninja -l``
    apply before starting another job.  False where the system gives no load average (Windows, which has no
    ``fork`` either).  Measured cold on the 2-core VM at a load average of 6-9, whole process, 8 alternating
    pairs: tubesync and OneSilaHeadless without their shared worker took 0.88x and 0.90x the CPU time and
    0.84x and 0.90x the wall time; ciso-assistant-community without its pool 0.96x the CPU time, the same
    wall time."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return False
    return load >= cores
