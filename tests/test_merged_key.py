"""The merged key is the index, then every version's key PDF as it was rendered (issue 9), copied
one version at a time (issue 14): every page's content stream, fonts and resources are the
version's own bytes, in order, and pypdf's own merge (what was used before) shows the same pages."""

import io
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from probgen.sheets.merged_key import concatenate

ROOT = Path(__file__).resolve().parent.parent


def _resolved(obj, seen=()):
    """A page's objects as plain Python (references followed), to compare two files' pages."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    if isinstance(obj, IndirectObject):
        return _resolved(obj.get_object(), seen)
    if isinstance(obj, StreamObject):
        return ("stream", obj._data, _resolved(DictionaryObject({k: v for k, v in obj.items() if k != "/Length"}), seen))
    if isinstance(obj, DictionaryObject):
        return {k: _resolved(v, seen) for k, v in obj.items() if k not in ("/Parent",)}
    if isinstance(obj, ArrayObject):
        return [_resolved(v, seen) for v in obj]
    return obj


def test_a_small_class_sets_merged_key_holds_each_versions_pages_as_rendered(tmp_path):
    out = tmp_path / "cs"
    proc = subprocess.run([sys.executable, "-m", "probgen", "exam", "--bank", "core", "--versions", "3", "--seed", "9",
                           "--jobs", "1", "-o", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    merged = PdfReader(str(out / "core-class-set-keys.pdf"))
    keys = [PdfReader(str(p)) for p in sorted(out.glob("core-v*-key.pdf"))]
    assert len(keys) == 3
    pages = [p for k in keys for p in k.pages]
    at = len(merged.pages) - len(pages)
    assert at >= 1 and "Answer keys" in merged.pages[0].extract_text()
    for mine, theirs in zip(merged.pages[at:], pages):
        assert _resolved(mine) == _resolved(theirs)  # same content stream bytes, fonts, resources, boxes
        assert mine.extract_text() == theirs.extract_text()
    assert merged.metadata.title.startswith("Answer keys: ")


def test_the_copy_shows_what_pypdfs_own_merge_shows(tmp_path):
    from probgen.render.pdf import render_sheet
    from probgen.sheets.assemble import exam_sheet
    from probgen.sheets.banks import load_bank

    sources = [render_sheet(exam_sheet(load_bank("optimization"), s), show_solution=True) for s in (1, 2)]
    ours = io.BytesIO()
    concatenate([io.BytesIO(b) for b in sources], ours, "t")
    writer = PdfWriter()
    for b in sources:
        writer.append(PdfReader(io.BytesIO(b)))
    theirs = io.BytesIO()
    writer.write(theirs)
    a, b = PdfReader(io.BytesIO(ours.getvalue())), PdfReader(io.BytesIO(theirs.getvalue()))
    assert len(a.pages) == len(b.pages) == sum(len(PdfReader(io.BytesIO(s)).pages) for s in sources)
    for p, q in zip(a.pages, b.pages):
        assert _resolved(p) == _resolved(q)
    # ours is a well-formed file: pdftotext reads it, every page
    text = subprocess.run(["pdftotext", "-", "-"], input=ours.getvalue(), capture_output=True, check=True).stdout
    assert text.count(b"\x0c") == len(a.pages)


def test_kept_object_templates_write_the_same_bytes_as_reading_each_object(monkeypatch):
    """Objects whose source bytes were seen before are written from a kept template (issue 14):
    the file must be byte for byte what reading every object with pypdf writes."""
    from probgen.render.pdf import render_sheet
    from probgen.sheets import merged_key
    from probgen.sheets.assemble import exam_sheet
    from probgen.sheets.banks import load_bank

    sources = [render_sheet(exam_sheet(load_bank("core"), s), show_solution=True) for s in (3, 4, 3)]
    made = []

    class Counted(merged_key._Recorder):
        def __init__(self):
            super().__init__()
            made.append(1)

    monkeypatch.setattr(merged_key, "_Recorder", Counted)

    def merged() -> tuple[bytes, int]:
        made.clear()
        out = io.BytesIO()
        concatenate([io.BytesIO(b) for b in sources], out, "t")
        return out.getvalue(), len(made)

    merged_key._TEMPLATES.clear()
    with monkeypatch.context() as m:
        m.setattr(merged_key, "_spans", lambda reader, data: {})  # nothing kept: every object read
        read, read_count = merged()
    assert not merged_key._TEMPLATES
    cold, cold_count = merged()
    warm, warm_count = merged()  # now every object whose bytes were seen comes from its template
    assert cold == read and warm == read
    assert warm_count < cold_count < read_count  # (the third source repeats the first)
