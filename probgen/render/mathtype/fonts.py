"""Fonts: the DejaVu and STIX TrueType faces, their metrics, and the reportlab registration
that writes them into PDFs.

The faces ship with probgen (probgen/render/fonts: the same files as matplotlib's, with their
licenses), each with a table of FreeType's metrics of its glyphs and a snapshot of what
reportlab's TrueType parser extracts from it (tools/font_metrics.py writes both), so typesetting
needs neither matplotlib nor FreeType, and registering a face costs a quarter of a parse. Only a
face that mathtext picks and probgen does not ship is read from matplotlib's folder, with
FreeType; matplotlib is loaded by then anyway.

Every other part of the typesetter asks this module for a face by file name; nothing here knows
about formulas."""

from __future__ import annotations

import gc
import io
import sys
from array import array
from functools import lru_cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"

FACES = {
    "rm": "DejaVuSans.ttf",
    "it": "DejaVuSans-Oblique.ttf",
    "bf": "DejaVuSans-Bold.ttf",
    "bfit": "DejaVuSans-BoldOblique.ttf",
    "tt": "DejaVuSansMono.ttf",
    "stix": "STIXGeneral.ttf",
}
FALLBACK = ("DejaVuSans.ttf", "STIXGeneral.ttf")

# Problems found while typesetting (unknown commands handed to mathtext, glyphs missing from
# every font, formulas printed as plain text); tests assert these stay empty.
ISSUES: list[str] = []


def _unicode_hex(code: int) -> str:
    """A code point as the UTF-16BE hex a ToUnicode CMap wants (a surrogate pair above U+FFFF)."""
    if code <= 0xFFFF:
        return "%04X" % code
    code -= 0x10000
    return "%04X%04X" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))


def _to_unicode_cmap(fontname, subset):
    """reportlab 5.1's makeToUnicodeCMap with astral code points written as surrogate pairs: it
    wrote 𝒩 (U+1D4A9) and 𝔼 (U+1D53C) as 5 hex digits, an invalid CMap, so text extraction,
    search and screen readers lost them."""
    return _cmap_text(fontname, tuple(subset))


@lru_cache(maxsize=256)
def _cmap_text(fontname: str, subset: tuple) -> str:
    # kept: each PDF of a class set writes the same few subsets' maps again
    cmap = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
            "<< /Registry (%s)" % fontname, "/Ordering (%s)" % fontname, "/Supplement 0", ">> def",
            "/CMapName /%s def" % fontname, "/CMapType 2 def", "1 begincodespacerange",
            "<00> <%02X>" % (len(subset) - 1), "endcodespacerange", "%d beginbfchar" % len(subset)]
    cmap += ["<%02X> <%s>" % (i, _unicode_hex(v)) for i, v in enumerate(subset)]
    cmap += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(cmap)


def _patch_reportlab_cmap() -> None:
    from reportlab.pdfbase import ttfonts

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # looked up as a module global when a font is written


def _font_path(filename: str) -> Path:
    """A face by file name (or path): the shipped copy if probgen has one, else matplotlib's."""
    path = Path(filename)
    shipped = FONT_DIR / path.name
    if shipped.exists():
        return shipped
    if path.is_absolute():
        return path
    import matplotlib  # only for a face mathtext chose that probgen does not ship

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / path.name


def _read_metrics(path: Path) -> tuple[dict[int, int], array, array, array]:
    """The table tools/font_metrics.py wrote: code point -> index, and FreeType's raw advance,
    ymin and ymax per index."""
    data = array("i")
    data.frombytes(path.read_bytes())
    if sys.byteorder != "little":
        data.byteswap()
    n = data[0]
    codes = data[1:1 + n]
    return (dict(zip(codes, range(n))), data[1 + n:1 + 2 * n], data[1 + 2 * n:1 + 3 * n],
            data[1 + 3 * n:1 + 4 * n])


def _snapshot_state(path: Path) -> dict | None:
    """What reportlab's parser extracted from this face, if tools/font_metrics.py stored it for
    the reportlab version installed (else None: the file is parsed)."""
    import marshal

    import reportlab

    snap = path.with_suffix(".rlface")
    if snap.parent != FONT_DIR or not snap.exists():
        return None
    raw = snap.read_bytes()
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of new tuples and dicts: the collector would run many times for nothing
    try:
        data = marshal.loads(raw)
    finally:
        if collecting:
            gc.enable()
    return data["face"] if data.get("reportlab") == reportlab.Version else None


def _register(name: str, path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics, ttfonts

    if name in pdfmetrics.getRegisteredFontNames():
        return
    state = _snapshot_state(path)
    if state is None:
        font = ttfonts.TTFont(name, str(path))
        _reuse_subsets(font.face)
        _reuse_objects(font)
        pdfmetrics.registerFont(font)
        return
    parser = ttfonts.TTFontFace

    class SnapshotFace(parser):
        """The face as reportlab's parser leaves it, from the snapshot instead of a parse."""

        def __init__(self, filename, validate=0, subfontIndex=0):
            for key, value in state.items():
                if isinstance(value, tuple) and len(value) == 3 and value[0] == "TTFNameBytes":
                    value = ttfonts.TTFNameBytes(value[1])
                setattr(self, key, value)
            self.filename = filename
            self._ttf_data = Path(filename).read_bytes()
            if self.unitsPerEm == 1000:  # as TTFontFile.extractInfo makes it
                self._pdfScale = lambda x: x
            else:
                mult = 1000 / self.unitsPerEm
                self._pdfScale = lambda x: x * mult

    ttfonts.TTFontFace = SnapshotFace  # TTFont() builds its face through this module global
    try:
        font = ttfonts.TTFont(name, str(path))
    finally:
        ttfonts.TTFontFace = parser
    _reuse_subsets(font.face)
    _reuse_objects(font)
    pdfmetrics.registerFont(font)


def _reuse_subsets(face) -> None:
    """Keep the font subsets a face has written: reportlab cuts a new TrueType subset for every
    PDF, and the versions of a class set ask for the same subsets again and again (about 4 in 5
    are repeats). The bytes depend only on the face and the glyphs, so a kept subset is the
    subset reportlab would cut. The last 256 are kept."""
    from collections import OrderedDict

    make = face.makeSubset
    kept: OrderedDict = OrderedDict()

    def make_subset(subset):
        key = tuple(subset)
        data = kept.get(key)
        if data is None:
            data = kept[key] = make(subset)
            if len(kept) > 256:
                kept.popitem(last=False)
        else:
            kept.move_to_end(key)
        return data

    face.makeSubset = make_subset  # an instance attribute: shadows the method for this face


def _reuse_objects(font, keep: int = 96) -> None:
    """Keep the PDF bytes of the objects a font subset is written as (its widths, its ToUnicode
    map, its deflated TrueType subset): formatting 256 widths one number at a time and deflating
    the subset again cost more than the rest of saving a sheet. The bytes depend only on the
    subset's number and glyphs and on the document's stream compression (and its level, which
    `render.pdf` lowers for a sheet), all in the key; a document with encryption is left alone.
    The objects themselves are still made and numbered by reportlab, so the file is the same."""
    from collections import OrderedDict

    from reportlab.pdfbase import pdfdoc

    add = font.addObjects
    kept: OrderedDict = OrderedDict()

    def formatted(key, obj, doc):
        data = kept.get(key)
        if data is None:
            data = kept[key] = obj.format(doc)
            if len(kept) > keep:
                kept.popitem(last=False)
        else:
            kept.move_to_end(key)
        obj.format = lambda document: data  # an instance attribute, as above

    def add_objects(doc):
        state = font.state.get(doc)
        add(doc)
        if state is None or not isinstance(doc.encrypt, pdfdoc.NoEncryption):
            return
        mode = (doc.compression, "encode" in pdfdoc.PDFZCompress.__dict__)  # level lowered or not
        fonts, objects = doc.idToObject["BasicFonts"].dict, doc.idToObject
        for n, subset in enumerate(state.subsets):
            pdf_font = fonts["%s+%d" % (state.internalName, n)]
            glyphs = tuple(subset)
            formatted(("widths", glyphs), pdf_font.Widths, doc)
            formatted(("cmap", n, glyphs, mode), objects[pdf_font.ToUnicode.name], doc)
            descriptor = objects[pdf_font.FontDescriptor.name]
            formatted(("file", glyphs, mode), objects[descriptor.dict["FontFile2"].name], doc)

    font.addObjects = add_objects


class Face:
    """One TrueType file: registered with reportlab under `name`, metrics from its stored
    FreeType table."""

    def __init__(self, filename: str):
        _patch_reportlab_cmap()
        self.path = _font_path(filename)
        self.file = self.path.name
        self.name = "PG-" + self.path.stem
        _register(self.name, self.path)
        self._metrics: dict[str, tuple[float, float, float]] = {}
        table = self.path.with_suffix(".metrics")
        if table.parent == FONT_DIR and table.exists():
            self.charmap, self._adv, self._ymin, self._ymax = _read_metrics(table)
            self._ft = None
        else:
            from matplotlib import ft2font

            # FreeType reads glyphs lazily from its stream: give it the bytes in memory, so
            # class-set workers forked from this process never share a file offset
            self._ft = ft2font.FT2Font(io.BytesIO(self.path.read_bytes()))
            self._ft.set_size(100, 72)
            self.charmap = self._ft.get_charmap()

    def has(self, ch: str) -> bool:
        return ord(ch) in self.charmap

    def metrics(self, ch: str) -> tuple[float, float, float]:
        """(advance, ymin, ymax) of one character, in ems."""
        m = self._metrics.get(ch)
        if m is None:
            if self._ft is None:
                i = self.charmap.get(ord(ch))
                if i is None:  # no glyph: FreeType loads glyph 0 (.notdef)
                    return self._notdef(ch)
                adv, ymin, ymax = self._adv[i], self._ymin[i], self._ymax[i]
            else:
                from matplotlib import ft2font

                g = self._ft.load_char(ord(ch), flags=ft2font.LoadFlags.NO_HINTING)
                adv, ymin, ymax = g.linearHoriAdvance, g.bbox[1], g.bbox[3]
            m = self._metrics[ch] = (adv / 6553600, ymin / 6400, ymax / 6400)
        return m

    def _notdef(self, ch: str) -> tuple[float, float, float]:
        from matplotlib import ft2font

        self._ft = ft2font.FT2Font(io.BytesIO(self.path.read_bytes()))
        self._ft.set_size(100, 72)
        return self.metrics(ch)


@lru_cache(maxsize=None)
def face(filename: str) -> Face:
    return Face(filename)


def face_for(ch: str, filename: str) -> Face:
    """The face to draw `ch` in: the wanted one, else the first fallback that has it."""
    f = face(filename)
    if f.has(ch):
        return f
    for other in FALLBACK:
        g = face(other)
        if g.has(ch):
            return g
    ISSUES.append(f"no font has the glyph {ch!r} (U+{ord(ch):04X})")
    return f


MISSING_GLYPH = "?"  # drawn for a character no bundled font has (a CJK name on a roster)


def printable(text: str, filename: str = FACES["rm"]) -> str:
    """`text` with each character `filename` cannot draw replaced by MISSING_GLYPH, for strings
    drawn straight onto the canvas (names in the name field, the footer, the merged key's index),
    where reportlab would draw an empty box."""
    f = face(filename)
    return "".join(ch if f.has(ch) or ch.isspace() else MISSING_GLYPH for ch in text)


@lru_cache(maxsize=65536)
def text_width(text: str, filename: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, face(filename).name, size)
