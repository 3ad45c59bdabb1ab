"""Worksheets, exams and answer keys as PDF (reportlab, invariant mode: same sheet, same bytes).

The student sheet and the key are laid out from the same problems and markup; `show_solution`
adds each part's answer and the worked solution and drops the room to work. Renderers format,
they never compute: answers come from Part.latex / Part.answer / Part.exact, solutions from
problem.steps."""

from __future__ import annotations

import io
import zlib
from contextlib import contextmanager
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from .platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame, PageBreak,
                                PageTemplate, Spacer, Table, TableStyle)

from .. import __version__
from . import concepts
from ..core.tolerance import accepted_text
from . import mathtype as M
from .answer_markup import answer_markup
from .pdf_flowables import (Block, NameFields, ProblemHeader, Rule, Shaded, WorkSpace, blocks, fit_text,
                            font)
from .pdf_paragraphs import RichText
from ..core.markup import literal
from .pdf_continued import Continued, KeepWithLast

PAGE_W, PAGE_H = A4
MARGIN = 2.0 * cm
FRAME_H = PAGE_H - 2 * MARGIN
GUTTER = 34.0  # left column for part labels (1a) and their points
NEXT_PROBLEM_ROOM = 0.4  # share of a page a worksheet's next problem needs to start on it
CONVENTION_NOTES = {
    "course": "the course deck's formulas",
    "pytorch": "PyTorch's (torch.optim / torch.nn) semantics",
}


# ---------------------------------------------------------------- problems


def _work_height(points: int, kind: str, answer=None, minutes: float = 0.0) -> float:
    """Room to work: by the part's estimated minutes (the work model; by points for a key
    without them), plus a line per row of a matrix answer (a 5×5 gradient by hand does not
    fit the room of a short number)."""
    rows = len(answer) if isinstance(answer, list) and answer and isinstance(answer[0], list) else 0
    extra = 8.0 * min(rows, 6)
    if minutes:
        return min((56.0 if kind == "exam" else 44.0) + 24.0 * minutes, 240.0) + extra
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


def problem_flowables(problem, number: int, *, show_solution: bool, kind: str,
                      room_after: float | None = None) -> list[Flowable]:
    """The problem's flowables. `room_after`: the room the next content needs under the last part
    to share its page (None: something always follows, as the worked solution in a key); where
    the last part would stand alone on a page, the part before it goes over with it."""
    note = ""
    if show_solution:
        conv = problem.convention
        conv_text = (f"convention: {conv} ({CONVENTION_NOTES.get(conv, conv)})" if conv
                     else "no convention choice")
        note = f"{problem.family} · seed {problem.seed} · {problem.difficulty} · {conv_text}"
    opening: list[Flowable] = [ProblemHeader(number, problem.title, problem.points, note)]
    opening += blocks(problem.statement, problem.figure)
    prompts: list[list[Flowable]] = []
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
        if concepts.instruction(part):
            prompt.append(RichText(concepts.instruction(part), size=9.5, indent=GUTTER, space_after=3))
        if show_solution:
            answer = blocks(concepts.key_markup(part) if part.kind in concepts.KINDS else answer_markup(part))
            exact = part.tolerance == 0 and part.kind not in concepts.KINDS
            head = RichText("**Answer**" + (" (exact)" if exact else ""), size=9.5,
                            space_after=2.0)
            accepted = accepted_text(part)
            if accepted:  # the accepted range of every numeric entry (probgen.core.tolerance)
                answer.append(RichText(accepted.replace("-", "−"), size=8.5, space_before=1.5))
            prompt.append(Shaded([head] + answer, indent=GUTTER))
        else:
            prompt.append(WorkSpace(_work_height(part.points, kind, part.answer, part.minutes), GUTTER,
                                    part.points))
        prompts.append(prompt)
    # the statement (its matrices too) stays on the page of the first part
    parts = [Block(opening + prompt if i == 0 else prompt, FRAME_H) for i, prompt in enumerate(prompts)]
    out: list[Flowable] = []
    for i, block in enumerate(parts):
        # the next-to-last part keeps the last one company
        last = parts[-1] if i == len(parts) - 2 and room_after is not None else None
        if i:
            out.append(Continued(number, problem.title, block, font("rm"), last=last, room_after=room_after or 0.0))
        elif last is not None:
            out.append(KeepWithLast(block, last, room_after))
        out.append(block)
    if not problem.parts:
        out.append(Block(opening, FRAME_H))
    if show_solution and problem.steps:
        out.append(CondPageBreak(60))
        heading = RichText("**Worked solution**", size=11, space_before=4, space_after=4)
        heading.keepWithNext = True
        out.append(heading)
        for step in problem.steps:
            flows = blocks(step.text, problem.figure, size=10, indent=GUTTER)
            if step.part and flows and isinstance(flows[0], RichText):
                flows[0].label = f"{number}{step.part}"
            elif step.part:  # a step that opens with a display formula: its label on a line of its own,
                # bold at the left margin where a gutter label stands
                flows.insert(0, RichText(f"**{number}{step.part}**", size=10, space_after=0))
            out.append(Block(flows, FRAME_H))
    return out


# ---------------------------------------------------------------- covers


def _points_table(sheet, key: bool) -> Table:
    head = ["Problem", "Topic", "Points"] + ([] if key else ["Score"])
    rows = [head]
    for i, p in enumerate(sheet.problems, start=1):
        rows.append([str(i), RichText(p.title, size=10, space_after=0), str(p.points)] + ([] if key else [""]))
    rows.append(["", "Total", str(sheet.points)] + ([] if key else [""]))
    widths = [55, 270, 50] + ([] if key else [60])
    t = Table(rows, colWidths=widths, hAlign="CENTER")
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font("rm")),
        ("FONTNAME", (0, 0), (-1, 0), font("bf")),
        ("FONTNAME", (0, -1), (-1, -1), font("bf")),
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


def _version_line(sheet, show_solution: bool = True) -> str:
    # a class-set student copy shows no seed: the seed would regenerate its key
    bits = [f"{sheet.source} · seed {sheet.seed}" if show_solution or sheet.seed_public else sheet.source]
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
            student = f" · student {literal(sheet.student.get('name', ''))} ({literal(sheet.student.get('id', ''))})"
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
        canvas.setFont(font("rm"), 8)
        canvas.setFillGray(0.4)
        room = PAGE_W - 2 * MARGIN - 50
        text = label
        while M.text_width(text, M.FACES["rm"], 8) > room and len(text) > 10:
            text = text[:-2].rstrip() + "…"
        M.draw_string(canvas, MARGIN, MARGIN * 0.5, text, M.FACES["rm"])  # (drawString, kept per document)
        M.draw_right_string(canvas, PAGE_W - MARGIN, MARGIN * 0.5, f"page {doc.page}", M.FACES["rm"])
        canvas.restoreState()

    return draw


def sheet_story(sheet, show_solution: bool) -> list[Flowable]:
    story = cover(sheet, show_solution)
    for i, problem in enumerate(sheet.problems, start=1):
        # what may share the page under a problem's last part: nothing on an exam (each problem
        # from a new page) or after the last problem; the next problem where 40% of a page is left
        alone = sheet.kind == "exam" or i == len(sheet.problems)
        room_after = None if show_solution else FRAME_H if alone else NEXT_PROBLEM_ROOM * FRAME_H + 10
        flows = problem_flowables(problem, i, show_solution=show_solution, kind=sheet.kind, room_after=room_after)
        if sheet.kind == "exam" and not show_solution:
            story.append(PageBreak())  # each problem from a new page, with room to work
            fill_page(flows, PAGE_W - 2 * MARGIN, FRAME_H)
            story += flows
        elif not show_solution:
            story.append(CondPageBreak(NEXT_PROBLEM_ROOM * FRAME_H))  # a problem starts where 40% of a page is left
            # and flows on part by part (each part whole, "continued" over it): moving a whole
            # problem left a first page with only the header and pages holding one part
            story += flows
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
    return M.printable(f"{what}{sheet.title} · {_version_line(sheet, show_solution)}{who} · probgen {__version__}")


@contextmanager
def _fast_deflate():
    """reportlab deflates every stream at zlib's default level 6; level 1 makes a sheet ~25%
    faster for ~7% more bytes. Scoped to one build, and still deterministic."""
    from reportlab.pdfbase import pdfdoc

    flate = pdfdoc.PDFZCompress

    def encode(text):
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 1)

    flate.encode = encode  # instance attribute: shadows the class's method for this object
    pdfdoc.pdfdocEnc = _ascii_enc  # (format() reads the module's global at each call)
    pdfdoc.PDFName = _pdf_name  # (as do the dictionaries' format())
    try:
        yield
    finally:
        del flate.encode
        pdfdoc.pdfdocEnc = _PDFDOC_ENC
        pdfdoc.PDFName = _PDF_NAME


def _pdfdoc_enc():
    from reportlab.pdfbase import pdfdoc

    return pdfdoc.pdfdocEnc


_PDFDOC_ENC = _pdfdoc_enc()


def _pdf_name_function():
    from reportlab.pdfbase import pdfdoc

    return pdfdoc.PDFName


_PDF_NAME = _pdf_name_function()
# reportlab's PDFName escapes its string character by character each time a dictionary is
# written (~500 keys a class-set version, the same few dozen names): kept per string
_pdf_name = lru_cache(maxsize=4096)(_PDF_NAME)


def _ascii_enc(x):
    """reportlab's pdfdocEnc (its 'extpdfdoc' codec, a Python dict per character) for text it
    would leave byte for byte as ASCII: the pages' ASCII85 streams, ~64 KB a class-set version.
    The only ASCII that codec changes is \\x18-\\x1f, looked for with one memchr a byte value (a
    pattern's character class cost ~10 instructions a character)."""
    if isinstance(x, str) and x.isascii():
        b = x.encode("ascii")
        if (24 not in b and 25 not in b and 26 not in b and 27 not in b and 28 not in b and 29 not in b
                and 30 not in b and 31 not in b):
            return b
    return _PDFDOC_ENC(x)


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


def render_merged_key(sheets, title: str, index_only: bool = False, note: str = "") -> bytes:
    """One PDF with every version's key, for the grader: an index, then each key from a new page
    (`index_only`: the index alone; `note`: a line under the count)."""
    story: list[Flowable] = [RichText(f"**Answer keys: {title}**", size=17, align="center", space_after=4),
                             RichText(f"{len(sheets)} versions", size=11, align="center", space_after=12)]
    if note:
        story.insert(2, RichText(note, size=9, align="center", space_after=12))
    rows = [["Version", "Student", "ID", "Seed", "Problems"]]
    for s in sheets:
        who = s.student or {}
        families = RichText(", ".join(p.family for p in s.problems), size=8, space_after=0)
        name = fit_text(M.printable(who.get("name", "")), "rm", 9, 110 - 12, smallest=9)[0]
        sid = fit_text(M.printable(who.get("id", "")), "rm", 9, 60 - 12, smallest=9)[0]
        rows.append([str(s.version), name, sid, str(s.seed), families])
    t = Table(rows, colWidths=[52, 110, 60, 65, 194], repeatRows=1, hAlign="CENTER")
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font("rm")),
        ("FONTNAME", (0, 0), (-1, 0), font("bf")),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
    ]))
    story.append(t)
    for s in sheets if not index_only else []:
        story.append(PageBreak())
        story += sheet_story(s, show_solution=True)
    return build_pdf(story, f"ANSWER KEYS — {title} · probgen {__version__}", f"Answer keys: {title}")
