"""Paragraphs of markup with inline math as reportlab flowables: the words of a paragraph as
typeset boxes, line breaking, `RichText` (a paragraph) and `DisplayMath` (a $$...$$ block).
Layout only; nothing is computed."""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.lib.rl_accel import fp_str

from .platypus import Flowable

from . import mathtype as M
from .mathtype import FACES, Box, glyphs, hbox, typeset
from .plain_math import prose_subscripts  # noqa: F401  (also imported from here)

BODY_SIZE = 10.5
SPACE = 0.31787109375  # between words, in ems: DejaVu Sans's own space, so a line's words can be one text run
_INLINE = re.compile(r"(\$[^$]+\$|\*\*|`[^`]*`)")


_WORD_GAP = re.compile("([^\\S\u00a0\u202f]+)")
_MATH_COMMA_GROUP = re.compile(r"(?<=\d)\{,\}(?=\d{3}(?!\d))")


def math_groups(latex: str) -> str:
    """LaTeX's `10{,}000` digit groups with a thin space, `10\\,000`: the one convention of the
    sheets (core.numfmt.group; prose uses a narrow no-break space), never a comma."""
    return _MATH_COMMA_GROUP.sub(r"\\,", latex) if "{,}" in latex else latex


@lru_cache(maxsize=4096)
def words(markup: str, size: float, face: str = "rm") -> tuple[Box, ...]:
    """A paragraph's words as boxes; a line may break only between words. Text glued to a formula
    (punctuation after `$x$`) stays in the same word."""
    markup = prose_subscripts(markup)
    out: list[Box] = []
    current: list[Box] = []
    bold = face == "bf"

    def flush():
        if len(current) == 1:
            out.append(current[0])
        elif current:
            out.append(hbox([(b, 0.0) for b in current]))
        current.clear()

    for piece in _INLINE.split(" ".join(markup.split("\n"))):
        if not piece:
            continue
        if piece == "**":
            bold = not bold
            continue
        if piece.startswith("$") and len(piece) > 2:
            chunks = split_inline(math_groups(piece[1:-1].strip()))
            for i, chunk in enumerate(chunks):
                if i:
                    flush()
                current.append(typeset(chunk, size))
            continue
        if piece.startswith("`") and piece.endswith("`") and len(piece) >= 2:
            code = piece[1:-1]
            chunks = code.split(" ")
            for i, chunk in enumerate(chunks):
                if i:
                    flush()
                if chunk:
                    current.append(glyphs(chunk, FACES["tt"], size * 0.95))
            continue
        text_face = FACES["bf"] if bold else FACES[face]
        chunks = _WORD_GAP.split(piece)  # a digit group's narrow no-break space never breaks a line
        for chunk in chunks:
            if not chunk:
                continue
            if chunk.isspace():
                flush()
            else:
                current.append(glyphs(chunk, text_face, size))
    flush()
    return tuple(out)


_BREAK_AFTER = {"=", "<", ">", ",", r"\approx", r"\le", r"\leq", r"\ge", r"\geq", r"\ne", r"\neq",
                r"\leftarrow", r"\gets", r"\to", r"\rightarrow", r"\Rightarrow", r"\equiv", r"\quad",
                r"\qquad", r"\;"}
_LATEX_TOKEN = re.compile(r"\\(?:[A-Za-z]+|.)|.", re.S)


@lru_cache(maxsize=8192)
def split_inline(latex: str) -> list[str]:
    """Cut inline math after its top-level relations, commas and quads, where TeX prefers a
    line break, so a long formula in a sentence wraps instead of shrinking. (Not after binary
    operators: a piece ending in '−' would lose the operator's spacing.)"""
    chunks, cur, depth = [], [], 0
    for tok in _LATEX_TOKEN.findall(latex):
        if tok in ("{", r"\left", r"\begin", "(", "["):
            depth += 1
        elif tok in ("}", r"\right", r"\end", ")", "]"):
            depth -= 1
        cur.append(tok)
        if depth == 0 and tok in _BREAK_AFTER:
            if tok in (r"\quad", r"\qquad", r"\;"):
                cur.pop()  # the break replaces the space
            text = "".join(cur).strip()
            if text:
                chunks.append(text)
            cur = []
    text = "".join(cur).strip()
    if text:
        chunks.append(text)
    # a chunk that is only a relation (e.g. a formula ending in '=') stays with its neighbour
    return chunks if all(_has_body(c) for c in chunks) and depth == 0 else [latex]


def _has_body(chunk: str) -> bool:
    return chunk not in _BREAK_AFTER and chunk.strip(",") != ""


def draw_on(flowable, canvas, x: float, y: float, sW: float = 0) -> None:
    """What Flowable.drawOn writes (q, the translation, the drawing, Q) for a flowable whose
    drawing leaves the canvas' settings as it found them, without saving and restoring all of
    them: a sheet draws hundreds of paragraphs, and that bookkeeping was a tenth of drawing."""
    if getattr(flowable, "_showBoundary", 0):
        return Flowable.drawOn(flowable, canvas, x, y, sW)
    x = flowable._hAlignAdjust(x, sW)
    code = canvas._code
    code.append("q")
    code.append("1 0 0 1 %s cm" % fp_str(x, y))
    matrix = a, b, c, d, e, f = canvas._currentMatrix  # tracked as canvas.translate does
    canvas._currentMatrix = (a, b, c, d, a * x + c * y + e, b * x + d * y + f)
    flowable.canv = canvas
    flowable.draw()
    del flowable.canv
    canvas._currentMatrix = matrix
    code.append("Q")


def draw_saved(flowable, canvas, x: float, y: float, _sW: float = 0) -> None:
    """Flowable.drawOn itself (q, the translation, the drawing, Q, and the canvas' settings put
    back as restoreState puts them back), for a flowable whose drawing changes settings; the
    settings kept with one C-level getter instead of saveState's Python loop over ~22 of them
    (a sheet draws a few hundred such flowables)."""
    if getattr(flowable, "_showBoundary", 0):
        return Flowable.drawOn(flowable, canvas, x, y, _sW)
    d = canvas.__dict__
    saved = _SETTINGS(d)
    canvas._extgstate = canvas._extgstate.pushCopy()  # (as saveState: the values, not the states)
    draw_on(flowable, canvas, x, y, _sW)
    d.update(zip(_SETTING_NAMES, saved))


def _canvas_settings():
    from operator import itemgetter

    from reportlab.pdfgen.canvas import Canvas

    return tuple(Canvas.STATE_ATTRIBUTES), itemgetter(*Canvas.STATE_ATTRIBUTES)


_SETTING_NAMES, _SETTINGS = _canvas_settings()


class Line:
    __slots__ = ("words", "width", "asc", "desc", "_plain")

    def __init__(self, items, width, asc, desc):
        self.words, self.width, self.asc, self.desc = items, width, asc, desc
        self._plain = None

    @property
    def plain(self) -> bool:
        """Whether drawing the line leaves the canvas' settings alone (no scaled word, no path)."""
        if self._plain is None:
            self._plain = not any(scale != 1.0 or M.sets_state(box) for _, box, scale in self.words)
        return self._plain

    @property
    def height(self):
        return self.asc + self.desc


def break_lines(ws: list[Box], width: float, size: float) -> list[Line]:
    space = SPACE * size
    lines: list[Line] = []
    cur: list[tuple[float, Box, float]] = []  # (x, box, scale)
    x = 0.0
    for w in ws:
        ww = w.w
        if ww > width:  # a word wider than the line is scaled to fit (as min(1.0, width / w) would)
            scale = width / ww
            ww *= scale
        else:
            scale = 1.0
        if cur and x + space + ww > width:
            lines.append(_line(cur, x, size))
            cur, x = [], 0.0
        if cur:
            x += space
        cur.append((x, w, scale))
        x += ww
    if cur:
        lines.append(_line(cur, x, size))
    return lines


_BROKEN: dict = {}  # (id of a words tuple, width, size) -> (the tuple, its lines); the last 256


def _broken(ws: tuple[Box, ...], width: float, size: float) -> list[Line]:
    """break_lines, kept: a paragraph is measured at the same width for the page fill, the layout
    and again in the key, and `words` hands out the same tuple for the same markup (the tuple is
    kept with its lines, so its id is not reused while the entry lives). Lines are never changed."""
    key = (id(ws), width, size)
    hit = _BROKEN.get(key)
    if hit is None:
        if len(_BROKEN) >= 256:
            del _BROKEN[next(iter(_BROKEN))]
        hit = _BROKEN[key] = (ws, break_lines(ws, width, size))
    return list(hit[1])


def _line(items, width, size) -> Line:
    asc = max([0.93 * size] + [b.h * s + 0.08 * size for _, b, s in items])
    desc = max([0.33 * size] + [b.d * s + 0.08 * size for _, b, s in items])
    return Line(items, width, asc, desc)


class RichText(Flowable):
    """A paragraph of markup text with inline math, optionally with a bullet or a hanging label."""

    def __init__(self, markup: str, size: float = BODY_SIZE, face: str = "rm", indent: float = 0.0,
                 bullet: str | None = None, align: str = "left", space_before: float = 0.0,
                 space_after: float | None = None, lines: list[Line] | None = None,
                 label: str | None = None, sublabel: str | None = None):
        super().__init__()
        self.markup, self.size, self.face, self.indent = markup, size, face, indent
        self.bullet, self.align = bullet, align
        self.label, self.sublabel = label, sublabel  # drawn in the left gutter of the first line
        self.spaceBefore = space_before
        self.spaceAfter = 0.45 * size if space_after is None else space_after
        self._words = None
        self._lines = lines
        self._width = None
        self._wrapped = None

    def _layout(self, avail: float) -> list[Line]:
        if self._lines is not None and (self._width is None or self._width == avail):
            return self._lines
        if self._words is None:
            self._words = words(self.markup, self.size, self.face)
        self._lines = _broken(self._words, max(avail - self.indent, 20.0), self.size)
        self._width = avail
        return self._lines

    def wrap(self, aw, ah):
        known = self._wrapped  # a paragraph is wrapped again and again at the same width
        if known is not None and known[0] == aw and known[1] is self._lines and known[2] == self.sublabel:
            self.width = aw
            self.height = known[3]
            return aw, self.height
        lines = self._layout(aw)
        self.width = aw
        self.height = sum(l.height for l in lines)
        if self.sublabel and len(lines) == 1:  # room for the gutter's second line
            self.height = max(self.height, lines[0].asc + 1.5 * self.size)
        self._wrapped = (aw, lines, self.sublabel, self.height)
        return aw, self.height

    def natural_width(self) -> float:
        if self._words is None:
            self._words = words(self.markup, self.size, self.face)
        return sum(w.w for w in self._words) + SPACE * self.size * max(len(self._words) - 1, 0) + self.indent

    def split(self, aw, ah):
        lines = self._layout(aw)
        used, k = 0.0, 0
        for line in lines:
            if used + line.height > ah:
                break
            used += line.height
            k += 1
        if k == 0 or k == len(lines):
            return []
        first = RichText(self.markup, self.size, self.face, self.indent, self.bullet, self.align,
                         self.spaceBefore, 0.0, lines[:k], self.label, self.sublabel)
        rest = RichText(self.markup, self.size, self.face, self.indent, None, self.align,
                        0.0, self.spaceAfter, lines[k:])
        first._width = rest._width = aw
        return [first, rest]

    def drawOn(self, canvas, x, y, _sW=0):
        if not all(line.plain for line in self._lines):
            return draw_saved(self, canvas, x, y, _sW)  # it sets line settings
        if self.bullet or self.label:
            # a label sets the font and the grey: put back just those, as restoreState would
            kept = canvas._fontname, canvas._fontsize, canvas._leading, canvas._fillColorObj
            draw_on(self, canvas, x, y, _sW)
            canvas._fontname, canvas._fontsize, canvas._leading, canvas._fillColorObj = kept
            return
        draw_on(self, canvas, x, y, _sW)

    def draw(self):
        y = self.height
        canvas = self.canv
        key = (tuple(map(id, self._lines)), y, self.width, self.indent, self.align)
        planned = _PLANNED.get(key)
        if planned is not None and not (planned[2] or self.bullet or self.label):
            return M.draw_planned(canvas, planned[0])  # nothing drawn line by line
        placed = [] if planned is None else None
        for n, line in enumerate(self._lines):
            y -= line.asc
            x0 = self.indent
            if self.align == "center":
                x0 += (self.width - self.indent - line.width) / 2
            elif self.align == "right":
                x0 += self.width - self.indent - line.width
            if n == 0 and self.bullet:
                canvas.setFont(M.face(FACES["rm"]).name, self.size)
                M.draw_string(canvas, self.indent - 0.9 * self.size, y, self.bullet, FACES["rm"])
            if n == 0 and self.label:
                canvas.setFont(M.face(FACES["bf"]).name, self.size)
                M.draw_string(canvas, 0, y, self.label, FACES["bf"])
                if self.sublabel:
                    canvas.setFont(M.face(FACES["rm"]).name, self.size * 0.78)
                    canvas.setFillGray(0.35)
                    M.draw_string(canvas, 0, y - 1.15 * self.size, self.sublabel, FACES["rm"])
                    canvas.setFillGray(0)
            for x, box, scale in line.words:
                if scale != 1.0:
                    M.draw(canvas, box, x0 + x, y, scale)
                elif placed is not None:
                    placed.append((box, x0 + x, y))
            y -= line.desc
        if planned is None:
            if len(_PLANNED) >= 512:
                del _PLANNED[next(iter(_PLANNED))]
            scaled = any(scale != 1.0 for line in self._lines for _, _, scale in line.words)
            planned = _PLANNED[key] = (M.plan_many(placed), tuple(self._lines), scaled)
        M.draw_planned(canvas, planned[0])


# (line ids, height, width, indent, align) -> (what draw_many writes, the lines, whether a word is
# scaled): a key draws its student copy's paragraphs again (about half of a version's
# paragraphs); the lines are kept with it so their ids are not reused while the entry lives,
# and lines are never changed
_PLANNED: dict = {}


class DisplayMath(Flowable):
    """A $$...$$ block, centred (indented by `indent`), shrunk to fit if it is too wide."""

    def __init__(self, latex: str, size: float = BODY_SIZE, indent: float = 0.0):
        super().__init__()
        self.box = typeset(math_groups(latex), size, display=True)
        self.size, self.indent = size, indent
        self.spaceBefore = 0.15 * size
        self.spaceAfter = 0.6 * size

    def wrap(self, aw, ah):
        avail = aw - self.indent
        self.scale = min(1.0, avail / self.box.w) if self.box.w else 1.0
        self.width = aw
        self.height = (self.box.h + self.box.d) * self.scale + 0.3 * self.size
        return aw, self.height

    def drawOn(self, canvas, x, y, _sW=0):
        if self.scale == 1.0 and M.sets_state(self.box):
            return draw_saved(self, canvas, x, y, _sW)  # its paths set line settings
        draw_on(self, canvas, x, y, _sW)  # (a scaled box is drawn inside its own q ... Q)

    def draw(self):
        avail = self.width - self.indent
        x = self.indent + max(0.0, (avail - self.box.w * self.scale) / 2)
        y = self.box.d * self.scale + 0.15 * self.size
        M.draw(self.canv, self.box, x, y, self.scale)
