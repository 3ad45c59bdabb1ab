"""One problem as LMS content: the question HTML with its blanks, the worked solution, the figure.

Both exports lay a problem out the same way: the statement (with the figure), then each part's
prompt followed by its blanks; a vector's entries in a bracketed row, a matrix's in a table, an
expression's values one line per stated point. The exporter says how one blank is written
(Moodle: Cloze text; Canvas: a [blank] placeholder).
"""

from __future__ import annotations

import html as htmlmod
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from ..core.model import Problem
from .blanks import Blank, PartBlanks, flat, part_blanks
from .html import blocks, inline

FIGURE_NAME = "figure.png"
MULTI_NOTE = ("Select all that apply: each right option you mark earns an equal share of the points, "
              "each wrong option you mark takes one share away, never below 0.")
TF_NOTE = "Choose True or False here; the justification is asked as a separate written question."


@dataclass
class Variant:
    problem: Problem
    parts: list[PartBlanks]
    figure_png: bytes | None
    weights: dict[int, int]  # id(blank) -> whole-number weight (Cloze weights are integers)
    tag: str = ""  # what the export calls this variant (source.variant_tag): never its seed

    @property
    def blanks(self) -> list[Blank]:
        return [b for pb in self.parts for b in pb.blanks]


def make_variant(problem: Problem, tag: str = "") -> Variant:
    parts = [part_blanks(problem, p) for p in problem.parts]
    figure = None
    if problem.figure and "[[figure]]" in problem.statement:
        from ..render.graph_image import graph_png
        from ..render.plot_image import curves_png, heatmap_png

        figure = graph_png(problem.figure) or curves_png(problem.figure) or heatmap_png(problem.figure)
    return Variant(problem, parts, figure, integer_weights(parts), tag)


def integer_weights(parts: list[PartBlanks]) -> dict[int, int]:
    """Each blank's share of its part's points, scaled by one factor to whole numbers, so the
    parts keep their points' proportions (a 2-point vector of 5 entries: 5 blanks of weight 2
    beside a 1-point number of weight 5)."""
    shares = {id(b): pb.auto_points * b.weight for pb in parts for b in pb.blanks}
    scale = math.lcm(*(Fraction(s).denominator for s in shares.values())) if shares else 1
    return {k: int(s * scale) for k, s in shares.items()}


def figure_html(src: str, figure: dict | None = None) -> str:
    what = ("the plot described above" if (figure or {}).get("type") in ("curves", "heatmap")
            else "the computational graph described above")
    return (f'<p class="probgen-figure"><img src="{htmlmod.escape(src)}" '
            f'alt="{what}" style="max-width:100%"></p>')


def source_line(v: Variant, part: str = "") -> str:
    """The line students see naming the variant (to quote when they ask about it): its tag, no
    seed and nothing else that regenerates the answers (the staff file maps tags to seeds)."""
    where = f", part ({part})" if part else ""
    return f'<p class="probgen-source"><small>probgen variant {v.tag}{where}</small></p>'


def question_html(v: Variant, blank_text: Callable[[Blank, int], str], figure_src: str,
                  list_choices: bool = False) -> str:
    """`list_choices`: print a choice part's options in the text (its blank is a text box that
    takes the letter) instead of leaving them to a multiple-choice widget."""
    p = v.problem
    out = [f'<div class="probgen-question" data-family="{p.family}">',
           blocks(p.statement, figure_html(figure_src, p.figure) if v.figure_png else ""),
           source_line(v)]
    for pb in v.parts:
        part = pb.part
        if not pb.blanks:  # a short answer: graded by hand, a separate essay question (concept_items)
            continue
        pts = f"{pb.auto_points} pt{'s' * (pb.auto_points != 1)}"
        prompt = blocks(part.prompt) if part.prompt else ""
        out.append(f'<div class="probgen-part"><p><b>({part.key})</b> [{pts}]</p>{prompt}')
        cells = [blank_text(b, v.weights[id(b)]) for b in pb.blanks]
        if pb.note:
            out.append(f"<p><i>{inline(pb.note)}</i></p>")
        if pb.layout == "vector":
            out.append('<p class="probgen-answer">Answer: [ ' + " , ".join(cells) + " ]</p>")
        elif pb.layout == "matrix":
            rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in cells[r * pb.cols:(r + 1) * pb.cols]) + "</tr>"
                           for r in range(pb.rows))
            out.append(f'<table class="probgen-matrix"><tbody>{rows}</tbody></table>')
        elif pb.layout == "points":
            out += [f'<p class="probgen-answer">Value {htmlmod.escape(b.label)}: {c}</p>' for b, c in zip(pb.blanks, cells)]
        elif part.kind == "shape":
            out.append(f'<p class="probgen-answer">Shape (e.g. (N, C, H, W)): {cells[0]}</p>')
        elif part.kind == "choice" and list_choices:
            options = "".join(f"<li>({k}) {inline(t)}</li>" for k, t in sorted((part.choices or {}).items()))
            out.append(f'<ul class="probgen-choices" style="list-style:none">{options}</ul>'
                       f'<p class="probgen-answer">Letter: {cells[0]}</p>')
        elif part.kind == "choice":
            out.append(f'<div class="probgen-answer">{cells[0]}</div>')
        elif part.kind == "multi":
            out.append(f"<p><i>{htmlmod.escape(MULTI_NOTE)}</i></p><div class=\"probgen-answer\">{cells[0]}</div>")
        elif part.kind == "truefalse":
            out.append(f"<p><i>{htmlmod.escape(TF_NOTE)}</i></p><div class=\"probgen-answer\">{cells[0]}</div>")
        else:
            out.append(f'<p class="probgen-answer">Answer: {cells[0]}</p>')
        out.append("</div>")
    out.append("</div>")
    return "\n".join(out)


def solution_html(v: Variant) -> str:
    """The worked solution and every final answer (the key's content), for general feedback."""
    from ..render.pdf import answer_markup

    p = v.problem
    out = ['<div class="probgen-solution">']
    general = [s for s in p.steps if s.part is None]
    for s in general:
        out.append(blocks(s.text))
    for pb in v.parts:  # every part (a Canvas item of one conceptual part: that part)
        part = pb.part
        out.append(f"<p><b>({part.key})</b></p>")
        for s in p.steps:
            if s.part == part.key:
                out.append(blocks(s.text))
        for m in pb.unplaced:  # a mistake of another size than the answer: said here, not graded
            out.append(f"<p>Known mistake: <i>{inline(m.name)}</i> (gives "
                       f"{len(flat(m.value))} entries instead of {len(flat(part.answer))})</p>")
        if part.kind in ("multi", "truefalse", "short"):
            out.append(_concept_answer(part))
            continue
        final = answer_markup(part)
        out.append(f"<p>Answer:</p>{blocks(final)}" if final.startswith("$$") else f"<p>Answer: {inline(final)}</p>")
    out.append("</div>")
    return "\n".join(out)


def _concept_answer(part) -> str:
    if part.kind == "multi":
        return "<p>Answer: " + ", ".join(f"<b>({k})</b>" for k in part.answer) + "</p>"
    if part.kind == "truefalse":
        return f"<p>Answer: <b>{'True' if part.answer == 'T' else 'False'}</b></p>"
    return ""  # a short answer: its worked solution above is the model answer


# ---------------------------------------------------------------- written answers (hand-graded)

def written_parts(v: Variant) -> list[PartBlanks]:
    """The parts with a written answer (a truefalse justification, a short answer)."""
    return [pb for pb in v.parts if pb.written]


def written_html(v: Variant, pb: PartBlanks, figure_src: str) -> str:
    """A written answer as a question of its own: the problem's statement (with its figure), the
    part's prompt, and what to write. Self-contained, so any variant's can be drawn."""
    p, part = v.problem, pb.part
    ask = ("Say whether the statement is true or false, and justify it in one or two sentences."
           if part.kind == "truefalse" else "Answer in one or two sentences (or a short derivation).")
    return "\n".join([
        f'<div class="probgen-question probgen-written" data-family="{p.family}" data-part="{part.key}">',
        blocks(p.statement, figure_html(figure_src, p.figure) if v.figure_png else ""),
        source_line(v, part.key),
        f"<div class=\"probgen-part\"><p><b>({part.key})</b> [{pb.written} pt{'s' * (pb.written != 1)}]</p>"
        f"{blocks(part.prompt) if part.prompt else ''}<p><i>{htmlmod.escape(ask)}</i></p></div>",
        "</div>"])


def grader_html(pb: PartBlanks) -> str:
    """For the person grading: the model answer and the rubric (one line per key idea)."""
    part = pb.part
    rubric = "".join(f"<li>[{int(r['points'])} pt{'s' * (int(r['points']) != 1)}] {inline(str(r['idea']))}</li>"
                     for r in part.rubric or ())
    right = ""
    if part.kind == "truefalse":
        right = f"<p>The statement is <b>{'true' if part.answer == 'T' else 'false'}</b>.</p>"
    return (f'<div class="probgen-grading">{right}<p><b>Model answer:</b></p>{blocks(part.model_answer or "")}'
            f'<p><b>Rubric</b> ({pb.written} pts; award each idea the answer states):</p>'
            f'<ul class="probgen-rubric">{rubric}</ul></div>')
