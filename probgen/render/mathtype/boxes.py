"""Boxes: a width, a height above and a depth below the baseline, and items placed relative
to the baseline's left end (glyph runs, filled rules, stroked paths, dots). Runs of characters
become boxes here; everything else combines boxes."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .fonts import MISSING_GLYPH, Face, face, face_for


@dataclass
class Box:
    w: float = 0.0
    h: float = 0.0
    d: float = 0.0
    # ("g", x, y, facefile, size, text, yscale) | ("r", x, y, w, h) | ("p", lw, [ops]) | ("dot", x, y, r)
    items: list = field(default_factory=list)

    def place(self, other: "Box", dx: float, dy: float) -> None:
        """Copy `other`'s items into this box, shifted by (dx, dy)."""
        append = self.items.append
        for it in other.items:
            kind = it[0]
            if kind == "g":
                append(("g", it[1] + dx, it[2] + dy, it[3], it[4], it[5], it[6]))
            elif kind == "r":
                append(("r", it[1] + dx, it[2] + dy, it[3], it[4]))
            elif kind == "p":
                append(("p", it[1], [(op, *_shift(pts, dx, dy)) for op, *pts in it[2]]))
            else:
                append(("dot", it[1] + dx, it[2] + dy, it[3]))


def _shift(pts, dx, dy):
    return [v + (dx if i % 2 == 0 else dy) for i, v in enumerate(pts)]


@lru_cache(maxsize=65536)
def glyphs(text: str, filename: str, size: float) -> Box:
    """A run of characters in one face (falling back per character for missing glyphs).
    Cached: callers never change a returned box, they place copies of its items."""
    box = Box()
    run, run_face = "", None
    for ch in text:
        f = face_for(ch, filename)
        if not f.has(ch) and not ch.isspace():  # no font has it (ISSUES says so): never a crash
            ch = MISSING_GLYPH
            f = face(filename)
        if run_face is not None and f is not run_face:
            _append_run(box, run, run_face, size)
            run = ""
        run, run_face = run + ch, f
    if run:
        _append_run(box, run, run_face, size)
    return box


def _append_run(box: Box, text: str, f: Face, size: float) -> None:
    adv = 0.0
    for ch in text:
        a, lo, hi = f.metrics(ch)
        adv += a
        box.h = max(box.h, hi * size)
        box.d = max(box.d, -lo * size)
    box.items.append(("g", box.w, 0.0, f.file, size, text, 1.0))
    box.w += adv * size


def hbox(parts: list[tuple[Box, float]]) -> Box:
    """Boxes side by side, each raised by its dy."""
    out = Box()
    w = h = d = 0.0
    for b, dy in parts:
        out.place(b, w, dy)
        w += b.w
        h = max(h, b.h + dy)
        d = max(d, b.d - dy)
    out.w, out.h, out.d = w, h, d
    return out


def kern(w: float) -> Box:
    return Box(w=w)
