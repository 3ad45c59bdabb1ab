"""A line plot drawn as vector graphics in the PDF: figure `{"type": "curves", "x": [...],
"series": [{"name", "y", "dash"?, "markers"?}], "xlabel", "ylabel", "title"?, "markers"?}` (loss
curves over epochs; `"markers": false` for a smooth function sampled densely; a series' own
`"markers": true` puts hollow squares at its whole-number x, also in the legend, so that it stays
visible where it runs along another curve), and a heatmap `{"type":
"heatmap", "rows": [...], "cols": [...], "values": [[...]], "xlabel", "ylabel"}` (attention
weights: gray cells with their values printed). Layout only: the family computed every value it
draws."""

from __future__ import annotations

import math

from reportlab.lib import colors

from ..core.numfmt import minus_sign
from .platypus import Flowable

from . import mathtype as M
from .mathtype import FACES
from .pdf_paragraphs import draw_saved

WIDTH, HEIGHT = 330.0, 170.0  # the plotting area, points
LEFT, BOTTOM, TOP = 44.0, 30.0, 14.0
GRAYS = (0.0, 0.45, 0.25, 0.6)
DASHES = (None, (4, 2.5), (1.2, 2), (6, 2, 1.5, 2))


def nice_step(span: float, target: int = 5) -> float:
    """A 1, 2 or 5 times a power of ten that cuts `span` into about `target` pieces."""
    raw = span / target
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def ticks(lo: float, hi: float, target: int = 5) -> list[float]:
    step = nice_step(hi - lo, target)
    first = math.floor(lo / step) * step
    out, t = [], first
    while t <= hi + 1e-9 * step:
        if t >= lo - 1e-9 * step:
            out.append(round(t, 10))
        t += step
    return out


def _label(x: float) -> str:
    return minus_sign(f"{x:g}")


class CurvesFigure(Flowable):
    drawOn = draw_saved  # (Flowable.drawOn's output, settings put back without its loop)

    def __init__(self, figure: dict, indent: float = 0.0):
        super().__init__()
        self.fig, self.indent = figure, indent
        self.spaceBefore, self.spaceAfter = 4.0, 10.0
        xs = figure["x"]
        ys = [y for s in figure["series"] for y in s["y"]]
        self.x0, self.x1 = min(xs), max(xs)
        ystep = nice_step(max(ys) - min(0.0, min(ys)) or 1.0)
        self.y0 = min(0.0, math.floor(min(ys) / ystep) * ystep)
        self.y1 = math.ceil(max(ys) / ystep) * ystep
        self.width = indent + LEFT + WIDTH + 130.0
        self.height = BOTTOM + HEIGHT + TOP

    def wrap(self, aw, ah):
        return self.width, self.height

    def _xy(self, x: float, y: float) -> tuple[float, float]:
        px = self.indent + LEFT + (x - self.x0) / (self.x1 - self.x0) * WIDTH
        py = BOTTOM + (y - self.y0) / (self.y1 - self.y0) * HEIGHT
        return px, py

    def draw(self):
        c = self.canv
        font = M.face(FACES["rm"]).name
        left, right = self.indent + LEFT, self.indent + LEFT + WIDTH
        c.setLineWidth(0.3)
        c.setStrokeColor(colors.Color(0.82, 0.82, 0.82))
        xt = [t for t in ticks(self.x0, self.x1, 10) if float(t).is_integer()] or [self.x0, self.x1]
        yt = ticks(self.y0, self.y1, 5)
        for t in xt:  # light grid: a reader can find an epoch's value
            px, _ = self._xy(t, 0)
            c.line(px, BOTTOM, px, BOTTOM + HEIGHT)
        for t in yt:
            _, py = self._xy(self.x0, t)
            c.line(left, py, right, py)
        c.setStrokeColor(colors.black)
        c.setLineWidth(0.7)
        c.rect(left, BOTTOM, WIDTH, HEIGHT, stroke=1, fill=0)
        c.setFont(font, 7.5)
        for t in xt:
            px, _ = self._xy(t, 0)
            c.line(px, BOTTOM, px, BOTTOM - 2.5)
            c.drawCentredString(px, BOTTOM - 10, _label(t))
        for t in yt:
            _, py = self._xy(self.x0, t)
            c.line(left, py, left - 2.5, py)
            c.drawRightString(left - 4, py - 2.5, _label(t))
        c.setFont(font, 8.5)
        c.drawCentredString(left + WIDTH / 2, BOTTOM - 22, self.fig.get("xlabel", "x"))
        c.saveState()
        c.translate(self.indent + 10, BOTTOM + HEIGHT / 2)
        c.rotate(90)
        c.drawCentredString(0, 0, self.fig.get("ylabel", "y"))
        c.restoreState()
        for i, s in enumerate(self.fig["series"]):
            self._series(c, s, i, font, right)

    def _series(self, c, s, i, font, right):
        gray = GRAYS[i % len(GRAYS)]
        c.setStrokeColor(colors.Color(gray, gray, gray))
        c.setFillColor(colors.Color(gray, gray, gray))
        c.setLineWidth(1.3)
        dash = DASHES[i % len(DASHES)]
        c.setDash(*(dash,) if dash else ())
        pts = [self._xy(x, y) for x, y in zip(self.fig["x"], s["y"])]
        path = c.beginPath()
        path.moveTo(*pts[0])
        for p in pts[1:]:
            path.lineTo(*p)
        c.drawPath(path, stroke=1, fill=0)
        c.setDash()
        for px, py in pts if self.fig.get("markers", True) and "markers" not in s else ():  # a marker per epoch: values read at whole epochs
            if i % 2:
                c.rect(px - 1.6, py - 1.6, 3.2, 3.2, stroke=0, fill=1)
            else:
                c.circle(px, py, 1.6, stroke=0, fill=1)
        own = s.get("markers") and sorted({p for x, p in zip(self.fig["x"], pts) if float(x).is_integer()})
        y = BOTTOM + HEIGHT - 8 - 14 * i  # legend, right of the plot
        c.setLineWidth(1.3)
        c.setDash(*(dash,) if dash else ())
        c.line(right + 10, y + 2.5, right + 30, y + 2.5)
        c.setDash()
        if own:  # hollow squares, on the curve and in the legend
            c.setFillColor(colors.white)
            c.setLineWidth(0.9)
            for px, py in own + [(right + 20, y + 2.5)]:
                c.rect(px - 2.0, py - 2.0, 4.0, 4.0, stroke=1, fill=1)
        c.setFillColor(colors.black)
        c.setFont(font, 8.5)
        c.drawString(right + 34, y, s["name"])


CELL_W, CELL_H = 46.0, 20.0  # a heatmap cell, points


class HeatmapFigure(Flowable):
    """A matrix of weights in [0, 1]: each cell shaded from white (0) to dark gray (1), its value
    printed on it (white on dark cells), row labels on the left, column labels above."""

    drawOn = draw_saved  # (Flowable.drawOn's output, settings put back without its loop)

    def __init__(self, figure: dict, indent: float = 0.0):
        super().__init__()
        self.fig, self.indent = figure, indent
        self.spaceBefore, self.spaceAfter = 4.0, 10.0
        font = M.face(FACES["rm"]).name
        from reportlab.pdfbase.pdfmetrics import stringWidth

        self.font = font
        self.label_w = max(stringWidth(r, font, 8.5) for r in figure["rows"]) + 8
        self.col_label_h = 14.0
        n_rows, n_cols = len(figure["rows"]), len(figure["cols"])
        self.left = indent + 18 + self.label_w
        self.width = self.left + n_cols * CELL_W + 10
        self.height = 16 + self.col_label_h + n_rows * CELL_H + 16

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        c, fig = self.canv, self.fig
        rows, cols, values = fig["rows"], fig["cols"], fig["values"]
        top = self.height - 16 - self.col_label_h
        c.setFont(self.font, 8.5)
        c.setFillColor(colors.black)
        for j, name in enumerate(cols):  # key labels above the columns
            c.drawCentredString(self.left + (j + 0.5) * CELL_W, top + 4, name)
        c.drawCentredString(self.left + len(cols) * CELL_W / 2, self.height - 10, fig.get("xlabel", ""))
        for i, name in enumerate(rows):
            y = top - (i + 1) * CELL_H
            c.setFillColor(colors.black)
            c.setFont(self.font, 8.5)
            c.drawRightString(self.left - 4, y + CELL_H / 2 - 3, name)
            for j, v in enumerate(values[i]):
                shade = 1 - 0.8 * max(0.0, min(1.0, v))
                c.setFillColor(colors.Color(shade, shade, shade))
                c.setStrokeColor(colors.Color(0.6, 0.6, 0.6))
                c.setLineWidth(0.4)
                c.rect(self.left + j * CELL_W, y, CELL_W, CELL_H, stroke=1, fill=1)
                c.setFillColor(colors.white if shade < 0.55 else colors.black)
                c.setFont(self.font, 8)
                c.drawCentredString(self.left + (j + 0.5) * CELL_W, y + CELL_H / 2 - 3, f"{v:.2f}")
        c.saveState()
        c.setFillColor(colors.black)
        c.setFont(self.font, 8.5)
        c.translate(self.indent + 8, top - len(rows) * CELL_H / 2)
        c.rotate(90)
        c.drawCentredString(0, 0, fig.get("ylabel", ""))
        c.restoreState()
