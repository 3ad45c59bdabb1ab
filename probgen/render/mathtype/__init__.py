"""Typesetting the markup's LaTeX subset into boxes of positioned glyphs, drawn with reportlab.

A small TeX-like layout (atoms with TeX's spacing classes, scripts, fractions, radicals, accents,
stretchy delimiters, matrices) over the DejaVu and STIX TrueType fonts. It is ~100x faster than
matplotlib's mathtext parser (pyparsing), which matters for class sets of hundreds of pages; any
construct it does not know is handed to mathtext (same fonts), and only if that fails too is the
formula printed as plain Unicode text (never as LaTeX source).

The parts, each used only by the ones after it:

- `fonts`: the TrueType faces, their metrics, their registration with reportlab;
- `boxes`: a `Box` (width, height, depth, placed items) and runs of glyphs;
- `symbols`: the vocabulary of the subset (commands, characters, TeX classes, constants);
- `layout`: how atoms are spaced and how each construct is built from boxes;
- `read`: tokens and the recursive descent that turns LaTeX into atoms;
- `formula`: one formula to a box, with the mathtext and plain-text fallbacks;
- `draw`: boxes onto a reportlab canvas.

Renderers place boxes; this package never computes anything but positions.
"""

from .boxes import Box, glyphs, hbox, kern
from .draw import draw, draw_many, draw_planned, draw_right_string, draw_string, plan_many, sets_state
from .fonts import FACES, ISSUES, MISSING_GLYPH, face, printable, text_width
from .formula import _mathtext_box, typeset
from .read import MathError

__all__ = ["Box", "glyphs", "hbox", "kern", "draw", "draw_many", "draw_planned", "plan_many",
           "draw_right_string", "draw_string", "sets_state", "FACES", "ISSUES", "MISSING_GLYPH",
           "face", "printable", "text_width", "typeset", "_mathtext_box", "MathError"]
