"""The grader's merged key: an index page, then every version's key PDF as it was rendered.

Assembled last, from the finished versions' key PDFs (pages reused by pypdf, not typeset
again), so it holds exactly the versions that exist and costs seconds, not minutes."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

from ..fileio import write_atomic


def merge_keys(keys: list[dict], key_pdfs: list[Path], title: str, secret: str, path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    from ..render.pdf import render_merged_key

    index = [SimpleNamespace(version=k["meta"].get("version"), student=k["meta"].get("student"), seed=k["seed"],
                             problems=[SimpleNamespace(family=p["family"]) for p in k["problems"]])
             for k in keys]
    note = f"Staff only. Class-set secret: {secret} (it regenerates every version; never hand it out)"
    writer = PdfWriter()
    for source in [io.BytesIO(render_merged_key(index, title, index_only=True, note=note)), *key_pdfs]:
        writer.append(PdfReader(source))
    writer.add_metadata({"/Title": f"Answer keys: {title}", "/Producer": "probgen"})
    buf = io.BytesIO()
    writer.write(buf)
    return write_atomic(path, buf.getvalue())
