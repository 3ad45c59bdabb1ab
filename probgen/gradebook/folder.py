"""Where `probgen grade` writes: RESULTS_DIR, checked before any grading and written so that no
file grade did not write is ever deleted.

- RESULTS_DIR must be apart from the answer sheets: it may not be the sheets folder, inside it, or
  hold it (checked on resolved paths), --force or not; a symbolic link or a file is refused.
- A new or empty folder, or one holding only what an earlier `probgen grade` wrote (its marker
  file and the result names below): the results are built beside it and swapped in whole, so a
  rerun never leaves half old, half new results.
- A folder holding anything else: refused without --force; with --force the results are written
  into it file by file, replacing only files of the same names, and everything else is kept.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from ..fileio import write_atomic
from .collect import GradeError

MARKER = ".probgen-grade-results"
OURS = re.compile(r"(gradebook(-canvas)?\.csv|hand-grading\.(csv|txt)|item-analysis\.(csv|txt|png)|not-graded\.txt"
                  r"|feedback|feedback/[^/]+-feedback\.(txt|pdf)|" + re.escape(MARKER) + ")")


def check_target(out: Path, sheets_dir: str, force: bool) -> None:
    results, sheets = out.resolve(), Path(sheets_dir).resolve()
    if results == sheets:
        raise GradeError(f"{out}: is the folder of answer sheets; write the results into a folder of their own "
                         "(e.g. results/)")
    if sheets in results.parents:
        raise GradeError(f"{out}: is inside the folder of answer sheets {sheets_dir}; write the results into a "
                         "folder outside it (e.g. results/)")
    if results in sheets.parents:
        raise GradeError(f"{out}: holds the folder of answer sheets {sheets_dir}; write the results into a "
                         "folder of their own (e.g. results/)")
    if out.is_symlink():
        raise GradeError(f"{out}: is a symbolic link; give a folder for the results")
    if out.exists() and not out.is_dir():
        raise GradeError(f"{out}: is a file; give a folder for the results")
    others = _others(out)
    if others and not force:
        raise GradeError(f"{out}: holds files that are not probgen grade results ({', '.join(others[:3])}"
                         f"{', ...' if len(others) > 3 else ''}); choose an empty or new folder, or add --force "
                         "to write the results into it (its other files are kept)")


def _others(out: Path) -> list[str]:
    """What `out` holds that grade did not write (all of it, if it has no grade marker)."""
    if not out.is_dir():
        return []
    names = sorted(str(p.relative_to(out)).replace(os.sep, "/") for p in out.rglob("*"))
    try:
        marker = (out / MARKER).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return names
    listed = {line[2:] for line in marker if line.startswith("- ")}  # the files that run wrote
    if listed:
        ours = listed | {MARKER, "feedback"}
        return [n for n in names if n not in ours or (out / n).is_symlink()]
    return [n for n in names if not OURS.fullmatch(n) or (out / n).is_symlink()]  # (a marker without its list)


def write_folder(out: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Write `files` (names relative to `out`); see the module notes."""
    if _others(out):
        return _write_into(out, files)
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
    old = None
    try:
        (tmp / "feedback").mkdir()
        for name, data in files.items():
            write_atomic(tmp / name, data)
        write_atomic(tmp / MARKER, "written by probgen grade; a rerun replaces this folder whole. Its files:\n"
                     + "".join(f"- {name}\n" for name in files))
        os.chmod(tmp, 0o777 & ~_umask())
        if out.exists():
            old = parent / f".{out.name}.old-{os.getpid()}"
            os.rename(out, old)
        os.rename(tmp, out)
    except BaseException:
        if old is not None and not out.exists():
            os.rename(old, out)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:  # (only what an earlier grade wrote: _others found nothing else)
        shutil.rmtree(old, ignore_errors=True)
    return [out / name for name in files]


def _write_into(out: Path, files: dict[str, str | bytes]) -> list[Path]:
    """--force into a folder with other files: replace same-named files one by one, delete nothing."""
    try:
        before = [line[2:] for line in (out / MARKER).read_text("utf-8").splitlines() if line.startswith("- ")]
    except (OSError, UnicodeDecodeError):
        before = []
    for name, data in files.items():
        write_atomic(out / name, data)
    mine = sorted(set(before) | set(files))  # what grade wrote here, this run and earlier ones
    write_atomic(out / MARKER, "written by probgen grade, beside other files (kept). Its files:\n"
                 + "".join(f"- {name}\n" for name in mine))
    return [out / name for name in files]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
