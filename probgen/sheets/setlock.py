"""One writer per class set: a lock file, created with O_EXCL, in DIR/<bank>-class-set.incomplete/.

A second `probgen exam --versions/--roster` into the same folder stops at once with one line
("another probgen is writing this class set") instead of deleting the first run's folder under it.
The lock holds the writer's process id: a lock left by a process that no longer runs (killed with
SIGKILL) is taken over."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..errors import ProbgenError

LOCK_NAME = ".probgen-writing.lock"


def take(work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    lock = work / LOCK_NAME
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            try:
                holder = _holder(lock)
            except FileNotFoundError:  # released in between: try again
                continue
            if holder is not None and _alive(holder):
                raise ProbgenError(f"another probgen is writing this class set (process {holder}, in {work}/); "
                                   "wait for it to finish, or write into another folder") from None
            try:  # a lock left by a process that is gone
                lock.unlink()
            except FileNotFoundError:
                pass
            continue
        with os.fdopen(fd, "w") as handle:
            handle.write(f"{os.getpid()}\n")
        return lock
    raise ProbgenError(f"another probgen is writing this class set (in {work}/); wait for it to finish")


def release(lock: Path) -> None:
    try:
        if _holder(lock) == os.getpid():
            lock.unlink()
    except FileNotFoundError:
        pass


def empty(work: Path) -> None:
    """Remove everything in `work` but the lock (a fresh start of the set)."""
    for child in work.iterdir():
        if child.name == LOCK_NAME:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _holder(lock: Path) -> int | None:
    try:
        return int(lock.read_text().strip())
    except FileNotFoundError:
        raise
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
