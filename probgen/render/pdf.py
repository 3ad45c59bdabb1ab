"""Worksheets, exams and answer keys as PDF (reportlab, invariant mode: same sheet, same bytes).

The student sheet and the key are laid out from the same problems and markup; `show_solution`
adds each part's answer and the worked solution and drops the room to work. Renderers format,
they never compute: answers come from Part.latex / Part.answer / Part.exact, solutions from
problem.steps."""

from __future__ import annotations

import io
import re
import zlib
from contextlib import contextmanager

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame, PageBreak,
                                PageTemplate, Spacer, Table, TableStyle)

from .. import __version__
from ..core.numfmt import num, short_exact, tnum
from ..core.tolerance import accepted_text
from . import mathtype as M
from .pdf_layout import Block, RichText, blocks

PAGE_W, PAGE_H = A4
MARGIN = 2.0 * cm
FRAME_H = PAGE_H - 2 * MARGIN
GUTTER = 34.0  # left column for part labels (1a) and their points
CONVENTION_NOTES = {
    "course": "the course deck's formulas",
    "pytorch": "PyTorch's (torch.optim / torch.nn) semantics",
}


def _font(face: str = "rm") -> str:
    return M.face(M.FACES[face]).name


# ---------------------------------------------------------------- small flowables


class Rule(Flowable):
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
        c.setFont(_font("bf"), 13)
        head = f"Problem {self.number}"
        c.drawString(0, y, head)
        x = M.text_width(head, M.FACES["bf"], 13) + 10
        pts = f"{self.points} point{'s' * (self.points != 1)}"
        room = self.width - x - M.text_width(pts, M.FACES["rm"], 11) - 12
        title, size = self.title, 12.0
        while M.text_width(title, M.FACES["rm"], size) > room and size > 9:
            size -= 0.5
        while M.text_width(title, M.FACES["rm"], size) > room and len(title) > 4:
            title = title[:-2].rstrip() + "…"
        c.setFont(_font("rm"), size)
        c.drawString(x, y, title)
        c.setFont(_font("rm"), 11)
        c.drawRightString(self.width, y, pts)
        c.setLineWidth(0.8)
        c.line(0, y - 6, self.width, y - 6)
        if self.note:
            c.setFont(_font("rm"), 8.5)
            c.setFillGray(0.35)
            c.drawString(0, y - 18, self.note)
            c.setFillGray(0)


class Shaded(Flowable):
    """Flowables on a light background (the key's answer boxes)."""

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
        c.setFillColor(colors.HexColor(self.fill))
        c.setStrokeColor(colors.HexColor(self.border))
        c.setLineWidth(0.6)
        c.roundRect(self.indent, 0, self.width - self.indent, self.height, 3, stroke=1, fill=1)
        c.setFillColor(colors.black)
        c.setStrokeColor(colors.black)
        y = self.height - self.pad
        for f, (fh, gap) in zip(self.content, self.sizes):
            y -= fh
            f.drawOn(c, self.indent + self.pad, y)
            y -= gap


class WorkSpace(Spacer):
    """Room to work under a part: blank, with a faint frame so it reads as an answer area."""

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


# ---------------------------------------------------------------- answers


_SIMPLE = re.compile(r"^-?\d{1,6}(/\d{1,6})?$")


def _exact_tex(s: str) -> str | None:
    """LaTeX for a simple exact value ('-5/4', '3'); None for anything else (a long decimal
    says no more than the rounded one beside it)."""
    s = str(s).strip()
    if not _SIMPLE.match(s):
        return None
    if "/" in s:
        p, q = s.split("/")
        sign = "-" if p.startswith("-") else ""
        return rf"{sign}\frac{{{p.lstrip('-')}}}{{{q}}}"
    return s


def _close(a: str, b: str) -> bool:
    return a.replace(" ", "") == b.replace(" ", "")


def answer_markup(part) -> str:
    """The final answer of a part as markup: exact form and decimal."""
    if part.kind == "number":
        dec = tnum(part.answer, 6)
        exact = part.latex if short_exact(part.exact) else None
        if exact and not _close(exact, dec) and not _close(exact, num(part.answer, 15)):
            rel = "=" if num(part.answer, 15) == num(part.answer, 6) else r"\approx"
            return f"${exact} {rel} {dec}$"
        return f"${dec}$"
    if part.kind in ("vector", "matrix"):
        rows = part.answer if part.kind == "matrix" else [part.answer]
        exact_rows = part.exact if part.kind == "matrix" else [part.exact]
        dec = [[tnum(v, 6) for v in row] for row in rows]
        ex = None
        if exact_rows and all(isinstance(r, list) for r in exact_rows):
            ex = [[_exact_tex(v) for v in row] for row in exact_rows]
            if any(v is None for row in ex for v in row) or ex == dec:
                ex = None
            elif all(_close(e, d) for er, dr in zip(ex, dec) for e, d in zip(er, dr)):
                ex = None
        if part.kind == "vector":
            fmt = lambda row: r"\left[" + r",\ ".join(row[0]) + r"\right]"  # noqa: E731
            same = ex is not None and all(num(v, 15) == num(v, 6) for v in part.answer)
        else:
            fmt = lambda m: r"\begin{bmatrix} " + r" \\ ".join(" & ".join(r) for r in m) + r" \end{bmatrix}"  # noqa: E731
            same = ex is not None and all(num(v, 15) == num(v, 6) for row in part.answer for v in row)
        rel = "=" if same else r"\approx"
        body = fmt(dec) if ex is None else f"{fmt(ex)} {rel} {fmt(dec)}"
        return f"$${body}$$" if part.kind == "matrix" else f"${body}$"
    if part.kind == "shape":
        return "$" + r" \times ".join(_dim(d) for d in part.answer) + "$"
    if part.kind == "expression":
        return f"${part.latex}$" if part.latex else f"`{part.answer}`"
    if part.kind == "choice":
        text = (part.choices or {}).get(part.answer, "")
        return f"**({part.answer})** {text}".strip()
    return f"`{part.answer}`"


def _dim(d: str) -> str:
    d = str(d)
    if re.fullmatch(r"\d+|[A-Za-z]", d):
        return d
    if re.fullmatch(r"[A-Za-z]+_[A-Za-z0-9]+", d):
        base, sub = d.split("_", 1)
        return rf"{base}_{{\mathrm{{{sub}}}}}"
    return rf"\mathrm{{{d}}}"


# ---------------------------------------------------------------- problems


def _work_height(points: int, kind: str, answer=None) -> float:
    """Room to work: by points, plus a line per row of a matrix answer (a 5×5 gradient by hand
    does not fit the room of a 2-point number)."""
    rows = len(answer) if isinstance(answer, list) and answer and isinstance(answer[0], list) else 0
    extra = 8.0 * min(rows, 6)
    if kind == "exam":
        return min(50.0 + 18.0 * points, 170.0) + extra
    return min(34.0 + 14.0 * points, 110.0) + extra


def _flat(flows):
    for f in flows:
        if isinstance(f, Block):
            yield from _flat(f.content)
        else:
            yield f


def fill_page(flows: list[Flowable], width: float, height: float) -> None:
    """If a problem fits on one page with at least the minimum room to work, share the page's
    spare height out as room to work, in proportion to the parts' points; a longer problem
    keeps the standard room and flows on to the next page."""
    spaces = [f for f in _flat(flows) if isinstance(f, WorkSpace)]
    if not spaces:
        return
    content = sum(f.wrap(width, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                  for f in _flat(flows) if not isinstance(f, WorkSpace))
    minimum = [36.0 + 6.0 * w.points for w in spaces]
    spare = height - 30.0 - content - sum(minimum)
    if spare < 0:
        return
    total = sum(w.points for w in spaces)
    for w, low in zip(spaces, minimum):
        w.height = min(low + spare * w.points / total, 330.0)


def problem_flowables(problem, number: int, *, show_solution: bool, kind: str) -> list[Flowable]:
    note = ""
    if show_solution:
        conv = problem.convention
        conv_text = (f"convention: {conv} ({CONVENTION_NOTES.get(conv, conv)})" if conv
                     else "no convention choice")
        note = f"{problem.family} · seed {problem.seed} · {problem.difficulty} · {conv_text}"
    out: list[Flowable] = [ProblemHeader(number, problem.title, problem.points, note)]
    out += blocks(problem.statement, problem.figure)
    for part in problem.parts:
        label = f"{number}{part.key}"
        pts = f"{part.points} pt{'s' * (part.points != 1)}"
        prompt = blocks(part.prompt, problem.figure, indent=GUTTER)
        if prompt and isinstance(prompt[0], RichText):
            prompt[0].label, prompt[0].sublabel = label, pts
        else:
            prompt.insert(0, RichText("", indent=GUTTER, label=label, sublabel=pts))
        for letter, text in (part.choices or {}).items():
            prompt.append(RichText(f"**({letter})** {text}", indent=GUTTER + 14, space_after=2.5))
        if show_solution:
            answer = blocks(answer_markup(part))
            head = RichText("**Answer**" + (" (exact)" if part.tolerance == 0 else ""), size=9.5,
                            space_after=2.0)
            accepted = accepted_text(part)
            if accepted:  # the accepted range of every numeric entry (probgen.core.tolerance)
                answer.append(RichText(accepted.replace("-", "−"), size=8.5, space_before=1.5))
            prompt.append(Shaded([head] + answer, indent=GUTTER))
        else:
            prompt.append(WorkSpace(_work_height(part.points, kind, part.answer), GUTTER, part.points))
        out.append(Block(prompt, FRAME_H))
    if show_solution and problem.steps:
        out.append(CondPageBreak(60))
        heading = RichText("**Worked solution**", size=11, space_before=4, space_after=4)
        heading.keepWithNext = True
        out.append(heading)
        for step in problem.steps:
            flows = blocks(step.text, problem.figure, size=10, indent=GUTTER)
            if step.part and flows and isinstance(flows[0], RichText):
                flows[0].label = f"{number}{step.part}"
            out.append(Block(flows, FRAME_H))
    return out


# ---------------------------------------------------------------- covers


class NameFields(Flowable):
    def __init__(self, student: dict[str, str] | None):
        super().__init__()
        self.student = student
        self.spaceBefore, self.spaceAfter = 10.0, 14.0

    def wrap(self, aw, ah):
        self.width, self.height = aw, 24.0
        return aw, self.height

    def draw(self):
        c = self.canv
        c.setFont(_font("rm"), 11)
        half = self.width * 0.58
        for x, label, value, end in ((0, "Name", "name", half - 12), (half, "Student ID", "id", self.width)):
            c.drawString(x, 6, label + ":")
            start = x + M.text_width(label + ":", M.FACES["rm"], 11) + 6
            c.setLineWidth(0.6)
            c.line(start, 3, end, 3)
            if self.student and self.student.get(value):
                text, size = fit_text(M.printable(self.student[value], M.FACES["bf"]), "bf", 11, end - start - 6)
                c.setFont(_font("bf"), size)
                c.drawString(start + 4, 6, text)
                c.setFont(_font("rm"), 11)


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


def _points_table(sheet, key: bool) -> Table:
    head = ["Problem", "Topic", "Points"] + ([] if key else ["Score"])
    rows = [head]
    for i, p in enumerate(sheet.problems, start=1):
        rows.append([str(i), RichText(p.title, size=10, space_after=0), str(p.points)] + ([] if key else [""]))
    rows.append(["", "Total", str(sheet.points)] + ([] if key else [""]))
    widths = [55, 270, 50] + ([] if key else [60])
    t = Table(rows, colWidths=widths, hAlign="CENTER")
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), _font("rm")),
        ("FONTNAME", (0, 0), (-1, 0), _font("bf")),
        ("FONTNAME", (0, -1), (-1, -1), _font("bf")),
        ("FONTSIZE", (0, 0), (-1, -1), 10),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#808080")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("ALIGN", (2, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 1), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
    ]))
    return t


def _version_line(sheet) -> str:
    bits = [f"{sheet.source} · seed {sheet.seed}"]
    if sheet.version is not None:
        bits.insert(0, f"version {sheet.version}")
    return " · ".join(bits)


def cover(sheet, show_solution: bool) -> list[Flowable]:
    out: list[Flowable] = [Spacer(1, 30 if sheet.kind == "exam" else 0)]
    title = ("Answer key: " if show_solution else "") + sheet.title
    out.append(RichText(f"**{title}**", size=19 if sheet.kind == "exam" else 16, align="center",
                        space_after=6))
    sub = sheet.course + (f" — version {sheet.version}" if sheet.version is not None else "")
    out.append(RichText(sub, size=12, align="center", space_after=4))
    if show_solution:
        conventions = sorted({p.convention for p in sheet.problems if p.convention})
        text = ("Conventions used: " + "; ".join(f"{c} ({CONVENTION_NOTES.get(c, c)})" for c in conventions)
                if conventions else "No problem on this sheet depends on a formula convention.")
        student = ""
        if sheet.student:
            student = f" · student {sheet.student.get('name', '')} ({sheet.student.get('id', '')})"
        out.append(RichText(f"{_version_line(sheet)}{student} · {sheet.points} points", size=9.5,
                            align="center", space_after=3))
        out.append(RichText(text, size=9.5, align="center", space_after=10))
        out.append(Rule())
        return out
    out.append(NameFields(sheet.student))
    if sheet.kind == "exam":
        facts = []
        if sheet.time_minutes:
            facts.append(f"**Time allowed:** {sheet.time_minutes} minutes")
        facts.append(f"**Total:** {sheet.points} points in {len(sheet.problems)} problems")
        out.append(RichText(" · ".join(facts), size=11, space_after=8))
        if sheet.instructions:
            out.append(RichText("**Instructions**", size=11, space_after=3))
            out += blocks(sheet.instructions, size=10.5)
        out.append(Spacer(1, 14))
        out.append(_points_table(sheet, key=False))
    else:
        if sheet.instructions:
            out += blocks(sheet.instructions, size=10)
        out.append(Rule())
    return out


# ---------------------------------------------------------------- documents


def _on_page(label: str):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(_font("rm"), 8)
        canvas.setFillGray(0.4)
        room = PAGE_W - 2 * MARGIN - 50
        text = label
        while M.text_width(text, M.FACES["rm"], 8) > room and len(text) > 10:
            text = text[:-2].rstrip() + "…"
        canvas.drawString(MARGIN, MARGIN * 0.5, text)
        canvas.drawRightString(PAGE_W - MARGIN, MARGIN * 0.5, f"page {doc.page}")
        canvas.restoreState()

    return draw


def sheet_story(sheet, show_solution: bool) -> list[Flowable]:
    story = cover(sheet, show_solution)
    for i, problem in enumerate(sheet.problems, start=1):
        flows = problem_flowables(problem, i, show_solution=show_solution, kind=sheet.kind)
        if sheet.kind == "exam" and not show_solution:
            story.append(PageBreak())  # each problem from a new page, with room to work
            fill_page(flows, PAGE_W - 2 * MARGIN, FRAME_H)
            story += flows
        elif not show_solution:
            story.append(CondPageBreak(0.4 * FRAME_H))  # a long problem starts high on a page
            story.append(Block(flows, FRAME_H))  # a worksheet problem moves whole to the next page
            story.append(Spacer(1, 10))
        else:
            story.append(CondPageBreak(140))
            story += flows
            story.append(Spacer(1, 10))
    if story and isinstance(story[-1], Spacer):
        story.pop()  # a gap after the last problem could spill onto a page of its own
    return story


def _footer(sheet, show_solution: bool) -> str:
    what = "ANSWER KEY — " if show_solution else ""
    who = f" · {sheet.student['name']}" if sheet.student and sheet.student.get("name") else ""
    return M.printable(f"{what}{sheet.title} · {_version_line(sheet)}{who} · probgen {__version__}")


@contextmanager
def _fast_deflate():
    """reportlab deflates every stream at zlib's default level 6; level 1 makes a sheet ~25%
    faster for ~7% more bytes. Scoped to one build, and still deterministic."""
    from reportlab.pdfbase import pdfdoc

    flate = pdfdoc.PDFZCompress

    def encode(text):
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 1)

    flate.encode = encode  # instance attribute: shadows the class's method for this object
    try:
        yield
    finally:
        del flate.encode


def build_pdf(story: list[Flowable], footer: str, title: str) -> bytes:
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN, title=title, author="probgen", creator=f"probgen {__version__}",
                          subject=title, invariant=1)
    frame = Frame(MARGIN, MARGIN, PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_on_page(footer))])
    with _fast_deflate():
        doc.build(story)
    return buf.getvalue()


def render_sheet(sheet, show_solution: bool = False) -> bytes:
    """The student sheet (show_solution=False) or its answer key, as PDF bytes."""
    title = ("Answer key: " if show_solution else "") + sheet.title
    return build_pdf(sheet_story(sheet, show_solution), _footer(sheet, show_solution), title)


def render_merged_key(sheets, title: str) -> bytes:
    """One PDF with every version's key, for the grader: an index, then each key from a new page."""
    story: list[Flowable] = [RichText(f"**Answer keys: {title}**", size=17, align="center", space_after=4),
                             RichText(f"{len(sheets)} versions", size=11, align="center", space_after=12)]
    rows = [["Version", "Student", "ID", "Seed", "Problems"]]
    for s in sheets:
        who = s.student or {}
        families = RichText(", ".join(p.family for p in s.problems), size=8, space_after=0)
        name = fit_text(M.printable(who.get("name", "")), "rm", 9, 110 - 12, smallest=9)[0]
        sid = fit_text(M.printable(who.get("id", "")), "rm", 9, 60 - 12, smallest=9)[0]
        rows.append([str(s.version), name, sid, str(s.seed), families])
    t = Table(rows, colWidths=[52, 110, 60, 65, 194], repeatRows=1, hAlign="CENTER")
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), _font("rm")),
        ("FONTNAME", (0, 0), (-1, 0), _font("bf")),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
    ]))
    story.append(t)
    for s in sheets:
        story.append(PageBreak())
        story += sheet_story(s, show_solution=True)
    return build_pdf(story, f"ANSWER KEYS — {title} · probgen {__version__}", f"Answer keys: {title}")
