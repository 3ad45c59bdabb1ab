"""Writing files the user named, safely.

- A missing or regular file is written atomically: a temporary file in the same folder, then a
  rename, so an interrupted run never leaves a half-written PDF or key behind.
- A symlink is followed: its target is written, the link stays.
- A FIFO or character device (/dev/stdout, /dev/null, a named pipe) is written into, never
  replaced; any other kind of file (a folder, a socket, a block device) is refused in one line.
- `write_output` also refuses to overwrite an existing file holding something else unless
  `force` (a filled-in answer sheet, a key handed out earlier).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import ProbgenError


class OutputError(ProbgenError):
    """An output path that cannot or must not be written."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()  # what open() would give; mkstemp's own 0600 would hide keys from graders


def _kind(path: Path) -> str:
    """'missing', 'regular', 'stream' (FIFO or character device), 'folder' or 'other' (after symlinks)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "missing"
    if stat.S_ISREG(mode):
        return "regular"
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return "stream"
    return "folder" if stat.S_ISDIR(mode) else "other"


def write_atomic(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write `data` to `path` (see the module notes); return `path`."""
    given = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    kind = _kind(given)  # (os.stat follows symlinks: /dev/stdout is whatever fd 1 is)
    path = Path(os.path.realpath(given)) if kind != "stream" and given.is_symlink() else given
    if kind == "stream":
        try:
            with open(path, "wb") as handle:
                handle.write(payload)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"{given}: cannot write it ({exc.strerror or exc})") from None
        return given
    if kind == "folder":
        raise OutputError(f"{given}: is a folder, not a file to write")
    if kind == "other":
        raise OutputError(f"{given}: is not a regular file, a FIFO or a terminal; refusing to replace it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{given}: cannot write it ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):  # a full disk, a vanished folder: one line naming the file
            raise OutputError(f"{given}: cannot write it ({exc.strerror or exc})") from None
        raise
    return given


def differs(path: str | os.PathLike, data: bytes | str) -> bool:
    """True if `path` is an existing regular file (after symlinks) whose bytes are not `data`."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if _kind(Path(path)) != "regular":
        return False
    try:
        return Path(path).read_bytes() != payload
    except OSError:
        return True


def refuse_overwrite(path: str | os.PathLike, data: bytes | str, force: bool) -> None:
    if not force and differs(path, data):
        raise OutputError(f"{path} already exists and holds something else; choose another file or add --force "
                          "to replace it")


def write_output(path: str | os.PathLike, data: bytes | str, force: bool = False) -> Path:
    """`write_atomic`, refusing to overwrite an existing, different file unless `force`."""
    refuse_overwrite(path, data, force)
    return write_atomic(path, data)


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
