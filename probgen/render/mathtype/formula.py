"""One formula to a box: our typesetter; what it does not know goes to matplotlib's mathtext
(same fonts, imported only then); if that fails too, the formula is printed as plain Unicode
text, never as LaTeX source. Each fallback is recorded in ISSUES."""

from __future__ import annotations

from functools import lru_cache

from .boxes import Box, glyphs
from .fonts import FACES, ISSUES, face
from .layout import Style
from .read import MathError, Typesetter


def _mathtext_box(latex: str, size: float) -> Box:
    """matplotlib's mathtext layout of a formula, as a Box (same fonts, slower parser)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    prop = FontProperties(size=size, math_fontfamily="dejavusans")
    parsed = MathTextParser("path").parse(f"${latex}$", dpi=72, prop=prop)
    box = Box(w=parsed.width, h=parsed.height - parsed.depth, d=parsed.depth)
    # mathtext's glyph and rule positions are already measured up from the baseline
    for font, fontsize, num, _index, ox, oy in parsed.glyphs:
        f = face(font.fname)
        box.items.append(("g", ox, oy, f.file, fontsize, chr(num), 1.0))
    for x, y, w, h in parsed.rects:
        box.items.append(("r", x, y, w, max(h, 0.4)))
    return box


@lru_cache(maxsize=8192)
def typeset(latex: str, size: float, display: bool = False) -> Box:
    """The box of one formula. Never raises: falls back to mathtext, then to plain text."""
    try:
        return Typesetter(latex, Style(size, 0, display)).run()
    except MathError as exc:
        first = str(exc)
    try:
        box = _mathtext_box(latex, size)
        ISSUES.append(f"handed to mathtext ({first}): {latex}")
        return box
    except Exception as exc:  # mathtext raises ValueError with a multi-line message
        from ..plain_math import latex_to_text

        ISSUES.append(f"printed as plain text ({first}; mathtext: {str(exc).splitlines()[0]}): {latex}")
        return glyphs(latex_to_text(latex), FACES["rm"], size)
