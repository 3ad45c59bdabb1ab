"""Worker processes for class sets that stop with their parent.

A worker ignores SIGINT (the parent decides what an interrupt means), turns SIGTERM into a clean
exit (a file it was writing is removed by `fileio.write_atomic`), and asks the kernel for SIGTERM
when its parent dies (Linux prctl; elsewhere a watchdog thread notices the new parent), so
`kill -9` of the parent leaves no worker running and no temporary file behind."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor

_IN_JOB = False


class _Cancelled(BaseException):
    """Raised inside a worker's job by SIGTERM, so `finally`/cleanup blocks run."""


def _on_term(signum, frame):
    if _IN_JOB:
        raise _Cancelled()
    os._exit(128 + signum)


def _die_with_parent(parent: int) -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass

    def watch():
        while True:
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGTERM)
                return
            time.sleep(0.5)

    threading.Thread(target=watch, daemon=True).start()  # also covers a parent dead before prctl


def _init(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_term)
    _die_with_parent(parent)


def run_job(fn, job):
    """Call fn(job) in a worker; a SIGTERM during it ends the worker after cleanup."""
    global _IN_JOB
    _IN_JOB = True
    try:
        return fn(job)
    except _Cancelled:
        os._exit(128 + signal.SIGTERM)
    finally:
        _IN_JOB = False


class Pool:
    """A fork-based process pool whose workers stop with it (None when one process is asked for)."""

    def __init__(self, jobs: int, count: int):
        self.jobs, self.count, self.pool = jobs, count, None

    def __enter__(self):
        if self.jobs > 1 and self.count > 1:
            import multiprocessing

            ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
            self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx, initializer=_init,
                                            initargs=(os.getpid(),))
        return self.pool

    def __exit__(self, exc_type, exc, tb):
        if self.pool is None:
            return False
        if exc_type is None:
            self.pool.shutdown(wait=True)
            return False
        # interrupted or failed: drop pending work and stop the workers now (they clean up on SIGTERM)
        procs = list((self.pool._processes or {}).values())
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(10)
            if p.is_alive():
                p.kill()
                p.join()
        self.pool.shutdown(wait=False, cancel_futures=True)
        return False
