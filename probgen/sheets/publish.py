"""A sheet's three files: the student PDF, the answer-key PDF and the JSON key, written atomically."""

from __future__ import annotations

import re
from pathlib import Path

from .answer_key import dumps, make_key
from .assemble import Sheet
from ..fileio import refuse_overwrite, write_atomic


def sheet_key(sheet: Sheet, kind: str | None = None) -> dict:
    """The JSON key of exactly what the sheet prints (selected parts, scaled points)."""
    meta = {"source": sheet.source, "points": sheet.points, **sheet.meta}
    if sheet.version is not None:
        meta["version"] = sheet.version
    if sheet.student:
        meta["student"] = dict(sheet.student)
    return make_key(sheet.problems, kind=kind or sheet.kind, title=sheet.title, seed=sheet.seed, **meta)


def safe_name(text: str) -> str:
    """A file-name stem from free text (a student id, a section id)."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-")
    return stem[:80] or "sheet"


def write_sheet(sheet: Sheet, directory: str | Path, name: str, kind: str | None = None,
                force: bool = True, key: dict | None = None) -> list[Path]:
    """Write DIR/name.pdf, DIR/name-key.pdf, DIR/name-key.json; return the paths. Unless `force`,
    nothing is written if one of them exists with other content. `key`: the sheet's
    `sheet_key(sheet, kind)` when the caller has made it already (a class-set version needs it too)."""
    from ..render.pdf import render_sheet

    directory = Path(directory)
    paths = [directory / f"{name}.pdf", directory / f"{name}-key.pdf", directory / f"{name}-key.json"]
    data = [render_sheet(sheet, show_solution=False), render_sheet(sheet, show_solution=True),
            dumps(sheet_key(sheet, kind) if key is None else key)]
    for path, payload in zip(paths, data):
        refuse_overwrite(path, payload, force)
    for path, payload in zip(paths, data):
        write_atomic(path, payload, force)
    return paths
