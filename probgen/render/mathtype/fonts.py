"""Fonts: the DejaVu and STIX TrueType faces, their metrics (read with FreeType), and the
reportlab registration that writes them into PDFs.

Every other part of the typesetter asks this module for a face by file name; nothing here knows
about formulas."""

from __future__ import annotations

import importlib.util
import io
from functools import lru_cache
from pathlib import Path

FONT_DIR = Path(importlib.util.find_spec("matplotlib").origin).parent / "mpl-data" / "fonts" / "ttf"

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


class Face:
    """One TrueType file: registered with reportlab under `name`, metrics read with FreeType."""

    def __init__(self, filename: str):
        from matplotlib import ft2font
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        _patch_reportlab_cmap()
        path = Path(filename) if Path(filename).is_absolute() else FONT_DIR / filename
        self.file = path.name
        self.name = "PG-" + path.stem
        if self.name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(self.name, str(path)))
        # FreeType reads glyphs lazily from its stream: give it the bytes in memory, so class-set
        # workers forked from this process never share a file offset
        self._ft = ft2font.FT2Font(io.BytesIO(path.read_bytes()))
        self._ft.set_size(100, 72)
        self._flags = ft2font.LoadFlags.NO_HINTING
        self.charmap = self._ft.get_charmap()
        self._metrics: dict[str, tuple[float, float, float]] = {}

    def has(self, ch: str) -> bool:
        return ord(ch) in self.charmap

    def metrics(self, ch: str) -> tuple[float, float, float]:
        """(advance, ymin, ymax) of one character, in ems."""
        m = self._metrics.get(ch)
        if m is None:
            g = self._ft.load_char(ord(ch), flags=self._flags)
            xmin, ymin, xmax, ymax = (v / 6400 for v in g.bbox)
            m = self._metrics[ch] = (g.linearHoriAdvance / 6553600, ymin, ymax)
        return m


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
