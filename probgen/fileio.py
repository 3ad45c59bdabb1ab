"""Atomic file writes: a temporary file in the same folder, then a rename, so an interrupted
run never leaves a half-written PDF or key behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()  # what open() would give; mkstemp's own 0600 would hide keys from graders


def write_atomic(path: str | os.PathLike, data: bytes | str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def read_user_file(path: str, what: str, limit: int, error: type[Exception]) -> bytes:
    """The bytes of a file the user named (`what`: "an answer key"), or `error` with one line
    that names the file: a folder, too large, missing or unreadable."""
    p = Path(path)
    try:
        if p.is_dir():
            raise error(f"{path}: is a folder, not {what} file")
        if p.stat().st_size > limit:
            raise error(f"{path}: too large to be {what}")
        return p.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except OSError as exc:
        raise error(f"{path}: cannot read it ({exc.strerror or exc})") from None
