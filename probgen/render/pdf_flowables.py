"""The pieces a sheet is made of, as reportlab flowables: markup blocks (paragraphs, display
math, lists, tables, the figure), problem headers, rules, the key's shaded answer boxes, the room
to work, the name fields, and `Block` (flowables kept on one page). Each draws itself; none
knows about the document around it."""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.lib import colors
from .platypus import Flowable, Spacer, Table, TableStyle

from . import mathtype as M
from .pdf_paragraphs import BODY_SIZE, DisplayMath, RichText, draw_on, draw_saved


def font(face: str = "rm") -> str:
    """The registered reportlab name of one of the typesetter's faces ("rm", "bf", ...)."""
    return M.face(M.FACES[face]).name


class Rule(Flowable):
    drawOn = draw_saved  # (Flowable.drawOn's output, settings put back without its loop)

    def __init__(self, thickness: float = 0.7, gray: float = 0.0, space: float = 4.0):
        super().__init__()
        self.thickness, self.gray = thickness, gray
        self.spaceBefore, self.spaceAfter = 0.0, space

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.thickness + 1

    def draw(self):
        self.canv.setLineWidth(self.thickness)
        self.canv.setStrokeGray(self.gray)
        self.canv.line(0, 0.5, self.width, 0.5)


class ProblemHeader(Flowable):
    """'Problem 3   Title ........ (12 points)' with a rule under it, and an optional grey line."""

    drawOn = draw_saved  # (Flowable.drawOn's output, settings put back without its loop)

    def __init__(self, number: int, title: str, points: int, note: str = ""):
        super().__init__()
        self.number, self.title, self.points, self.note = number, title, points, note
        self.spaceBefore, self.spaceAfter = 6.0, 8.0
        self.keepWithNext = True

    def wrap(self, aw, ah):
        self.width = aw
        self.height = 22.0 + (13.0 if self.note else 0.0)
        return aw, self.height

    def draw(self):
        c = self.canv
        y = self.height - 14
        c.setFont(font("bf"), 13)
        head = f"Problem {self.number}"
        M.draw_string(c, 0, y, head, M.FACES["bf"])
        x = M.text_width(head, M.FACES["bf"], 13) + 10
        pts = f"{self.points} point{'s' * (self.points != 1)}"
        room = self.width - x - M.text_width(pts, M.FACES["rm"], 11) - 12
        title, size = self.title, 12.0
        while M.text_width(title, M.FACES["rm"], size) > room and size > 9:
            size -= 0.5
        while M.text_width(title, M.FACES["rm"], size) > room and len(title) > 4:
            title = title[:-2].rstrip() + "…"
        c.setFont(font("rm"), size)
        M.draw_string(c, x, y, title, M.FACES["rm"])
        c.setFont(font("rm"), 11)
        M.draw_right_string(c, self.width, y, pts, M.FACES["rm"])
        c.setLineWidth(0.8)
        c.line(0, y - 6, self.width, y - 6)
        if self.note:
            c.setFont(font("rm"), 8.5)
            c.setFillGray(0.35)
            M.draw_string(c, 0, y - 18, self.note, M.FACES["rm"])
            c.setFillGray(0)


class Shaded(Flowable):
    """Flowables on a light background (the key's answer boxes)."""

    drawOn = draw_saved  # (Flowable.drawOn's output, settings put back without its loop)

    def __init__(self, content: list[Flowable], indent: float = 0.0, pad: float = 5.0,
                 fill: str = "#eef3fa", border: str = "#9db3d6"):
        super().__init__()
        self.content, self.indent, self.pad = content, indent, pad
        self.fill, self.border = fill, border
        self.spaceBefore, self.spaceAfter = 2.0, 8.0

    def wrap(self, aw, ah):
        inner_w = aw - self.indent - 2 * self.pad
        self.sizes = []
        h = 0.0
        for i, f in enumerate(self.content):
            w, fh = f.wrap(inner_w, 10_000)
            gap = f.getSpaceAfter() if i < len(self.content) - 1 else 0.0
            self.sizes.append((fh, gap))
            h += fh + gap
        self.width, self.height = aw, h + 2 * self.pad
        return aw, self.height

    def draw(self):
        c = self.canv
        c.setFillColor(_color(self.fill))
        c.setStrokeColor(_color(self.border))
        c.setLineWidth(0.6)
        c.roundRect(self.indent, 0, self.width - self.indent, self.height, 3, stroke=1, fill=1)
        c.setFillColor(colors.black)
        c.setStrokeColor(colors.black)
        y = self.height - self.pad
        for f, (fh, gap) in zip(self.content, self.sizes):
            y -= fh
            f.drawOn(c, self.indent + self.pad, y)
            y -= gap


@lru_cache(maxsize=64)
def _color(hex_text: str):
    """colors.HexColor, parsed once per colour (every answer box draws with the same two)."""
    return colors.HexColor(hex_text)


class WorkSpace(Spacer):
    """Room to work under a part: blank, with a faint frame so it reads as an answer area."""

    drawOn = draw_saved  # (Flowable.drawOn's output, settings put back without its loop)

    def __init__(self, height: float, indent: float, points: int = 1):
        super().__init__(1, height)
        self.indent, self.points = indent, max(points, 1)

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.height

    def draw(self):
        c = self.canv
        c.setStrokeGray(0.82)
        c.setLineWidth(0.5)
        c.setDash(2, 3)
        c.rect(self.indent, 4, self.width - self.indent, self.height - 10, stroke=1, fill=0)
        c.setDash()
        c.setStrokeGray(0)


class NameFields(Flowable):
    drawOn = draw_saved  # (Flowable.drawOn's output, settings put back without its loop)

    def __init__(self, student: dict[str, str] | None):
        super().__init__()
        self.student = student
        self.spaceBefore, self.spaceAfter = 10.0, 14.0

    def wrap(self, aw, ah):
        self.width, self.height = aw, 24.0
        return aw, self.height

    def draw(self):
        c = self.canv
        c.setFont(font("rm"), 11)
        half = self.width * 0.58
        for x, label, value, end in ((0, "Name", "name", half - 12), (half, "Student ID", "id", self.width)):
            c.drawString(x, 6, label + ":")
            start = x + M.text_width(label + ":", M.FACES["rm"], 11) + 6
            c.setLineWidth(0.6)
            c.line(start, 3, end, 3)
            if self.student and self.student.get(value):
                text, size = fit_text(M.printable(self.student[value], M.FACES["bf"]), "bf", 11, end - start - 6)
                c.setFont(font("bf"), size)
                c.drawString(start + 4, 6, text)
                c.setFont(font("rm"), 11)


def fit_text(text: str, face: str, size: float, width: float, smallest: float = 7.5) -> tuple[str, float]:
    """(text, size) that fit `width`: the size shrunk down to `smallest`, then the text cut with
    '…' (a long name must not run over the Student ID field or out of a table cell)."""
    filename = M.FACES[face]
    while M.text_width(text, filename, size) > width and size > smallest:
        size = max(smallest, size - 0.5)
    if M.text_width(text, filename, size) <= width:
        return text, size
    while text and M.text_width(text + "…", filename, size) > width:
        text = text[:-1]
    return text.rstrip() + "…", size


class Block(Flowable):
    """Flowables kept on one page when they fit on one (like platypus' KeepTogether, which
    deep-copies the frame on every wrap and was a tenth of a sheet's time); a block taller
    than a page gives its pieces back to flow on."""

    def __init__(self, content: list[Flowable], page_height: float):
        super().__init__()
        self.content = [f for f in content if f is not None]
        self.page_height = page_height
        self.spaceBefore = self.content[0].getSpaceBefore() if self.content else 0.0
        self.spaceAfter = self.content[-1].getSpaceAfter() if self.content else 0.0

    def wrap(self, aw, ah):
        if self.__dict__.get("_wrapped_at") == aw:
            # wrapped again at the same width (the frame, a continuation line and the widow
            # rule each ask): the pieces measure what they measured, whatever room is left
            return aw, self.height
        self.width = aw
        self._sizes = []
        h = 0.0
        for i, f in enumerate(self.content):
            _, fh = f.wrap(aw, 1e6)
            before = f.getSpaceBefore() if i else 0.0
            after = f.getSpaceAfter() if i < len(self.content) - 1 else 0.0
            self._sizes.append((before, fh, after))
            h += before + fh + after
        self.height = h
        self._wrapped_at = aw
        return aw, h

    def split(self, aw, ah):
        if not hasattr(self, "_sizes") or self.width != aw:
            self.wrap(aw, ah)
        return list(self.content) if self.height > self.page_height else []

    def drawOn(self, canvas, x, y, _sW=0):
        draw_on(self, canvas, x, y, _sW)  # each piece saves and restores what it sets itself

    def draw(self):
        y = self.height
        for f, (before, fh, after) in zip(self.content, self._sizes):
            y -= before + fh
            f.drawOn(self.canv, 0, y)
            y -= after


# ---------------------------------------------------------------- blocks

_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)


def blocks(markup: str, figure=None, size: float = BODY_SIZE, indent: float = 0.0) -> list[Flowable]:
    """Flowables for a piece of markup (statement, prompt or solution step)."""
    out: list[Flowable] = []
    for block in re.split(r"\n\s*\n", markup.strip()):
        block = block.strip()
        if not block:
            continue
        if block == "[[figure]]":
            if figure is not None:
                from .pdf_graph import figure_flowable

                drawing = figure_flowable(figure, indent)
                if drawing is not None:
                    out.append(drawing)
            continue
        lines = block.splitlines()
        if all(l.lstrip().startswith("|") for l in lines):
            out.append(table(lines, size * 0.95, indent))
            continue
        if all(l.startswith("- ") or l.startswith("  ") for l in lines) and lines[0].startswith("- "):
            items: list[str] = []
            for l in lines:
                if l.startswith("- "):
                    items.append(l[2:])
                else:
                    items[-1] += " " + l.strip()
            for item in items:
                out.append(RichText(item, size, indent=indent + 1.3 * size, bullet="•",
                                    space_after=0.25 * size))
            out[-1].spaceAfter = 0.5 * size
            continue
        pos = 0
        for m in _DISPLAY.finditer(block):
            text = block[pos:m.start()].strip()
            if text:
                out.append(RichText(text, size, indent=indent, space_after=0.2 * size))
            out.append(DisplayMath(" ".join(m.group(1).split()), size, indent))
            pos = m.end()
        text = block[pos:].strip()
        if text:
            out.append(RichText(text, size, indent=indent))
    return out


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


class _FittedTable(Flowable):
    """A markup table, indented, its columns at their natural widths or, if that is too wide
    for the page, narrowed in proportion (the cells then wrap)."""

    drawOn = draw_saved  # (Flowable.drawOn's output, settings put back without its loop)

    def __init__(self, data: list[list[Flowable]], widths: list[float], style: TableStyle, indent: float):
        super().__init__()
        self.data, self.widths, self.style, self.indent = data, widths, style, indent
        self.spaceBefore, self.spaceAfter = 2.0, 8.0
        self.table = None

    def wrap(self, aw, ah):
        avail = aw - self.indent
        widths = self.widths
        if sum(widths) > avail:
            widths = [w * avail / sum(widths) for w in widths]
        if self.table is None or self._avail != avail:
            self.table = Table(self.data, colWidths=widths, hAlign="LEFT")
            self.table.setStyle(self.style)
            self._avail = avail
        _, h = self.table.wrap(avail, ah)
        self.width, self.height = aw, h
        return aw, h

    def draw(self):
        draw_saved(self.table, self.canv, self.indent, 0)


def table(lines: list[str], size: float, indent: float = 0.0) -> Flowable:
    rows = [_cells(l) for l in lines if not set(l.replace("|", "").strip()) <= set("-: ")]
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    data = [[RichText(c, size, face="bf" if i == 0 else "rm", align="center", space_after=0.0)
             for c in row] for i, row in enumerate(rows)]
    pad = 0.55 * size
    widths = [max(data[i][j].natural_width() for i in range(len(rows))) + 2 * pad + 1 for j in range(ncols)]
    style = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#808080")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), 0.2 * size),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.2 * size),
    ])
    return _FittedTable(data, widths, style, indent)
