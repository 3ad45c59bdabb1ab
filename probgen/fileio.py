"""Writing files the user named, safely: the project's one writer of output files.

- The target is looked at with lstat (never following a link) before anything is opened:
  - missing: written;
  - a regular file: replaced, atomically (a temporary file in the same folder, then a rename,
    so an interrupted run never leaves a half-written PDF or key behind);
  - a symbolic link: never written through. With `force` the link itself is replaced by a
    regular file (the file it pointed to is left alone); without, refused in one line;
  - anything else (a folder, a FIFO, a device, a socket): refused in one line ("not a regular
    file"); nothing is opened, so a FIFO with no reader cannot hang the command.
- `write_output` / `refuse_overwrite` also refuse to replace an existing regular file holding
  something else unless `force` (a filled-in answer sheet, a key handed out earlier).
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
    """'missing', 'regular', 'link', 'folder' or 'other' (lstat: a link is not followed)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "missing"  # (any other OSError, "Not a directory" for one, goes to the caller's handler)
    if stat.S_ISREG(mode):
        return "regular"
    if stat.S_ISLNK(mode):
        return "link"
    return "folder" if stat.S_ISDIR(mode) else "other"


def check_target(path: str | os.PathLike, force: bool = False) -> str:
    """Refuse (OutputError, one line) a target that must not be replaced; return its kind."""
    kind = _kind(Path(path))
    if kind == "folder":
        raise OutputError(f"{path}: is a folder, not a file to write")
    if kind == "other":
        raise OutputError(f"{path}: not a regular file (a FIFO, device or socket); refusing to write it")
    if kind == "link" and not force:
        raise OutputError(f"{path}: is a symbolic link; probgen does not write through links: choose another "
                          "file, or add --force to replace the link itself with a file")
    return kind


def write_atomic(path: str | os.PathLike, data: bytes | str, force: bool = False) -> Path:
    """Write `data` to `path` atomically (see the module notes); return `path`. `force` only
    allows replacing a symbolic link itself; use `write_output` to guard a different file."""
    given = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    check_target(given, force)
    try:
        given.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{given.name}.", suffix=".tmp", dir=given.parent)
    except OSError as exc:
        raise OutputError(f"{given}: cannot write it ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _FILE_MODE)
        check_target(given, force)  # (again, just before the rename: something may have appeared there)
        os.replace(tmp, given)  # a rename replaces the name itself: a link there is replaced, never followed
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
    """True if `path` is an existing regular file (not a link) whose bytes are not `data`."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if _kind(Path(path)) != "regular":
        return False
    try:
        return Path(path).read_bytes() != payload
    except OSError:
        return True


def refuse_overwrite(path: str | os.PathLike, data: bytes | str, force: bool) -> None:
    """Refuse, before anything is written, a target `write_atomic(path, data, force)` must not
    replace: a folder, FIFO, device or socket; a link without `force`; a different file without `force`."""
    check_target(path, force)
    if not force and differs(path, data):
        raise OutputError(f"{path} already exists and holds something else; choose another file or add --force "
                          "to replace it")


def write_output(path: str | os.PathLike, data: bytes | str, force: bool = False) -> Path:
    """`write_atomic`, refusing to overwrite an existing, different file unless `force`."""
    refuse_overwrite(path, data, force)
    return write_atomic(path, data, force)


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
