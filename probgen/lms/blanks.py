"""A part's answer as the blanks an LMS can grade: numeric entries with an absolute tolerance,
short answers with accepted spellings, and multiple choice; every named mistake an extra
wrong answer whose feedback names it.

- number: one numeric blank; vector / matrix: one numeric blank per entry;
- shape: one short answer accepting the usual spellings (`(1, C, 1, 1)`, `1 x C x 1 x 1`, ...);
- choice: one multiple choice over the part's options;
- multi (select all that apply): one multiple response over the options (Moodle's Cloze
  MULTIRESPONSE grades it with probgen's own rule, docs/lms.md);
- truefalse: the T/F as a two-option multiple choice holding the automatic points; the
  justification, and a `short` part whole, are written answers an LMS cannot grade: they are
  listed (`PartBlanks.written`) for a separate essay question with the model answer and rubric.
- expression: an LMS cannot compare expressions symbolically, so the student evaluates the
  expression at stated points (not the problem's own) and each value is a numeric blank.

Tolerances: probgen's judge accepts a number within the part's relative tolerance of the
reference or, for a non-zero reference, within half a unit of its third significant figure
(`probgen.grading.judge.match_number`); an LMS takes one absolute margin, so the margin written is
the larger of the two. An exact part (tolerance 0) gets margin 0, and so does a reference of 0.
Where the family propagates the rounding of intermediate results, the judge accepts the part's
stored range (`Part.accepted`, probgen.core.tolerance), which can be wider and lopsided: the
blank then carries that range too (`low`, `high`), written as a second right answer covering it
(Moodle) or as the numeric range itself (Canvas), so an LMS accepts what the judge accepts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..core.model import DEFAULT_TOLERANCE, Part, Problem

ROUNDING_FIGURES = 3  # the judge also accepts the reference rounded to 3 significant figures
POINT_CANDIDATES = (0.5, 2.0, 1.5, -1.0, 3.0, 0.25, -0.5, 2.5)
POINTS_PER_EXPRESSION = 2


def absolute_tolerance(ref: float, rel: float) -> float:
    """The absolute margin around `ref` that accepts what the judge accepts at relative `rel`."""
    if rel == 0 or ref == 0:
        return 0.0
    half_unit = 0.5 * 10 ** (math.floor(math.log10(abs(ref))) - ROUNDING_FIGURES + 1)
    return float(f"{max(rel * abs(ref), half_unit):.12g}")


def _up(x: float, figures: int = 12) -> float:
    """x > 0 rounded up to `figures` significant figures (a margin that must not shrink)."""
    from decimal import ROUND_CEILING, Decimal

    if x <= 0:
        return 0.0
    d = Decimal(repr(x))
    return float(d.quantize(Decimal(1).scaleb(d.adjusted() - figures + 1), rounding=ROUND_CEILING))


def number_text(x: float) -> str:
    """A float as the shortest text that reads back as the same float (Moodle and Canvas take
    plain decimals and e-notation)."""
    x = float(x)
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


@dataclass
class Wrong:
    """A wrong answer that a named mistake gives: a number, a spelling or a choice letter."""

    value: Any
    names: list[str]
    explanations: list[str]
    tolerance: float = 0.0  # numeric blanks: the margin the judge would use around this value

    def feedback_html(self, shown: str = "") -> str:
        """"Known mistake: <name> — <explanation>" per mistake, as HTML (markup and math as
        everywhere else in the export); an explanation equal to `shown` (the option's own,
        already in the same feedback) is left out, so no student reads it twice."""
        from .html import inline

        rows = []
        for name, why in zip(self.names, self.explanations):
            text = f"<i>{inline(name)}</i>"
            if why and _same_words(why) != _same_words(shown):
                text += f" — {inline(why)}"
            rows.append(f"Known mistake: {text}")
        return "<br>".join(rows)


def _same_words(markup: str) -> str:
    """Text compared for "the same explanation": the catalogue's and the option's (typeset, with
    − for - and grouped digits) differ in nothing else."""
    return re.sub(r"[\s\u202f\u2009,\-\u2212]", "", markup)


@dataclass
class Blank:
    kind: str  # "numerical" | "shortanswer" | "multichoice" | "multiresponse"
    label: str  # what the blank asks for, e.g. "entry 2" or "at u = 0.5" ("" for a single blank)
    weight: Fraction  # its share of the part's points
    # numerical: the reference float; shortanswer: the canonical spelling; multichoice: the letter;
    # multiresponse: the sorted right letters
    value: Any = None
    tolerance: float = 0.0
    # numerical: the judge's accepted range when wider than value ± tolerance (None: that margin)
    low: float | None = None
    high: float | None = None
    accepted: list[str] = field(default_factory=list)  # shortanswer spellings
    options: list[tuple[str, str]] = field(default_factory=list)  # multichoice (letter, markup)
    wrong: list[Wrong] = field(default_factory=list)
    explanations: dict[str, str] = field(default_factory=dict)  # option letter -> why right or wrong (markup)

    @property
    def right_range(self) -> tuple[float, float]:
        """numerical: every value the judge accepts, [low, high]."""
        if self.low is not None and self.high is not None:
            return self.low, self.high
        return self.value - self.tolerance, self.value + self.tolerance

    @property
    def right_answers(self) -> list[tuple[float, float]]:
        """numerical: the right answers as (value, absolute margin), the reference first; a wider
        lopsided range as a second one centred on it."""
        out = [(float(self.value), self.tolerance)]
        if self.low is not None and self.high is not None:
            middle = float(f"{(self.low + self.high) / 2:.12g}")  # short texts; the half-width rounded
            half = max(middle - self.low, self.high - middle)  # up, so the range is never cut
            out.append((middle, _up(half)))
        return out


@dataclass
class PartBlanks:
    part: Part
    layout: str  # "single" | "vector" | "matrix" | "points"
    blanks: list[Blank]
    rows: int = 1
    cols: int = 1
    note: str = ""  # markup said before the blanks (the stated points of an expression part)
    # mistakes no blank can hold: a vector or matrix of another size than the answer's
    unplaced: list = field(default_factory=list)
    written: int = 0  # points of a written answer (truefalse justification, short) for hand grading

    @property
    def auto_points(self) -> int:
        """The points the blanks grade (the part's points less its written answer's)."""
        return self.part.points - self.written


def part_blanks(problem: Problem, part: Part) -> PartBlanks:
    if part.kind == "number":
        return PartBlanks(part, "single", [_numeric(part, float(part.answer), "", Fraction(1), None,
                                                    part.misconceptions, _ranges(part, 1)[0])])
    if part.kind in ("vector", "matrix"):
        rows = part.answer if part.kind == "matrix" else [part.answer]
        entries = [float(v) for row in rows for v in row]
        cols = len(rows[0])
        fits = [m for m in part.misconceptions if len(flat(m.value)) == len(entries)]
        blanks = []
        ranges = _ranges(part, len(entries))
        for i, ref in enumerate(entries):
            label = (f"row {i // cols + 1}, column {i % cols + 1}" if part.kind == "matrix"
                     else f"entry {i + 1}")
            blanks.append(_numeric(part, ref, label, Fraction(1, len(entries)), i, fits, ranges[i]))
        return PartBlanks(part, part.kind, blanks, rows=len(rows), cols=cols,
                          unplaced=[m for m in part.misconceptions if m not in fits])
    if part.kind == "shape":
        blank = Blank("shortanswer", "", Fraction(1), value=shape_spellings(part.answer)[0],
                      accepted=shape_spellings(part.answer))
        taken = set(s.lower() for s in blank.accepted)
        for m in part.misconceptions:
            spelling = shape_spellings(m.value)[0]
            if spelling.lower() in taken:
                continue
            _add_wrong(blank.wrong, spelling, m, exact=True)
        return PartBlanks(part, "single", [blank])
    if part.kind == "choice":
        blank = Blank("multichoice", "", Fraction(1), value=part.answer,
                      options=sorted((part.choices or {}).items()), explanations=dict(part.explanations or {}))
        for m in part.misconceptions:
            if m.value != part.answer:
                _add_wrong(blank.wrong, m.value, m, exact=True)
        return PartBlanks(part, "single", [blank])
    if part.kind in ("multi", "truefalse", "short"):
        return _concept(part)
    if part.kind == "expression":
        return _expression(problem, part)
    raise ValueError(f"unknown answer kind {part.kind!r}")


TF_OPTIONS = [("T", "True"), ("F", "False")]


def _concept(part: Part) -> PartBlanks:
    why = dict(part.explanations or {})
    if part.kind == "short":
        return PartBlanks(part, "written", [], written=part.points)
    if part.kind == "truefalse":
        auto = part.points - part.hand_points
        blank = Blank("multichoice", "", Fraction(1), value=part.answer, options=TF_OPTIONS, explanations=why)
        for m in part.misconceptions:
            if m.value != part.answer:
                _add_wrong(blank.wrong, m.value, m, exact=True)
        return PartBlanks(part, "single", [blank] if auto else [], written=part.hand_points)
    right = sorted(part.answer)
    blank = Blank("multiresponse", "", Fraction(1), value=right, options=sorted((part.choices or {}).items()),
                  explanations=why)
    unplaced = []
    for m in part.misconceptions:  # the belief marks a wrong option (its feedback names it) or skips a right one
        extra = sorted(set(m.value) - set(right))
        for letter in extra:
            _add_wrong(blank.wrong, letter, m, exact=True)
        if not extra:
            unplaced.append(m)
    return PartBlanks(part, "single", [blank], unplaced=unplaced)


def _ranges(part: Part, n: int) -> list:
    """The judge's accepted [low, high] of each of the part's n entries (None where unknown)."""
    from ..core.tolerance import flat_ranges

    ranges = flat_ranges(part.accepted) if part.accepted is not None and part.tolerance > 0 else []
    return ranges if len(ranges) == n else [None] * n


def _numeric(part: Part, ref: float, label: str, weight: Fraction, index: int | None, mistakes,
             judged: list[float] | None = None) -> Blank:
    tol = absolute_tolerance(ref, part.tolerance)
    blank = Blank("numerical", label, weight, value=ref, tolerance=tol)
    slack = 1e-6 * tol + 1e-15  # the rule's own range (it pads half a unit by 1e-9) is not wider
    if judged is not None and (judged[0] < ref - tol - slack or judged[1] > ref + tol + slack):
        blank.low, blank.high = float(judged[0]), float(judged[1])  # rounding propagated: a wider range
    lo, hi = blank.right_range
    for m in mistakes:
        value = float(m.value if index is None else flat(m.value)[index])
        if lo <= value <= hi or (tol == 0 and value == ref):
            continue  # the right answer's margin takes it: an LMS would never reach this feedback
        _add_wrong(blank.wrong, value, m, tolerance=absolute_tolerance(value, part.tolerance))
    return blank


def _add_wrong(wrong: list[Wrong], value, m, tolerance: float = 0.0, exact: bool = False) -> None:
    for w in wrong:
        if w.value == value:  # two mistakes give the same answer here: one answer names both
            w.names.append(m.name)
            w.explanations.append(m.explanation)
            return
    wrong.append(Wrong(value, [m.name], [m.explanation], tolerance))


def option_label(blank: Blank, letter: str, text: str) -> str:
    """An option as the student sees it (HTML): "(b) text", or True / False."""
    from .html import inline

    return text if blank.options == TF_OPTIONS else f"({letter}) {inline(text)}"


def option_feedback(blank: Blank, letter: str) -> str:
    """The feedback (HTML) shown for an option: why it is right or wrong, then the named
    mistakes whose belief picks it."""
    from .html import inline

    own = blank.explanations.get(letter) or ""
    rows = [inline(own)] if own else []
    rows += [w.feedback_html(shown=own) for w in blank.wrong if w.value == letter]
    return "<br>".join(rows)


def flat(value) -> list:
    return [x for row in value for x in row] if value and isinstance(value[0], list) else list(value)


# ---------------------------------------------------------------- shapes


def shape_spellings(dims: list[str]) -> list[str]:
    """The usual ways to write a shape, the first the canonical one; each is one probgen reads."""
    d = [str(x) for x in dims]
    if len(d) == 1:
        return [f"({d[0]},)", d[0], f"[{d[0]}]", f"({d[0]})"]
    out = []
    for joined in (", ".join(d), ",".join(d)):
        out += [f"({joined})", f"[{joined}]", joined]
    if "x" not in [x.lower() for x in d]:  # a dimension named x would read as a separator
        out += [" x ".join(d), "x".join(d)]
    out += [" × ".join(d), "×".join(d)]
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------- expressions


def _expression(problem: Problem, part: Part) -> PartBlanks:
    from ..core.lazy import sympy as sp

    variables = part.variables or {}
    symbols = {name: sp.Symbol(name) for name in variables}
    free = [name for name, definition in variables.items() if definition is None]
    definitions = {symbols[n]: sp.sympify(d, locals=symbols) for n, d in variables.items() if d is not None}

    def as_function(text: str):
        # probgen's own strings (part.answer and mistake values come from build_problem), never student text
        e = sp.sympify(text, locals=symbols)
        for _ in range(len(definitions) + 1):  # definitions may refer to each other
            e = e.xreplace(definitions)
        return e

    ref = as_function(str(part.answer))
    mistakes = [(m, as_function(str(m.value))) for m in part.misconceptions]
    own = {n: problem.params.get(n) for n in free}
    points = []
    for k in range(len(POINT_CANDIDATES)):
        point = {n: POINT_CANDIDATES[(k + j) % len(POINT_CANDIDATES)] for j, n in enumerate(free)}
        if all(own.get(n) == v for n, v in point.items()):
            continue  # the problem's own point: its value is an earlier part's answer
        values = [_evaluate(ref, point, symbols)] + [_evaluate(e, point, symbols) for _, e in mistakes]
        if all(v is not None and v != 0 for v in values[:1]) and all(v is not None for v in values):
            points.append(point)
        if len(points) == POINTS_PER_EXPRESSION:
            break
    blanks = []
    for point in points:
        label = "at " + ", ".join(f"{n} = {number_text(v)}" for n, v in point.items())
        value = _evaluate(ref, point, symbols)
        tol = absolute_tolerance(value, DEFAULT_TOLERANCE)
        blank = Blank("numerical", label, Fraction(1, len(points)), value=value, tolerance=tol)
        for m, e in mistakes:
            v = _evaluate(e, point, symbols)
            if abs(v - value) > tol:
                _add_wrong(blank.wrong, v, m, tolerance=absolute_tolerance(v, DEFAULT_TOLERANCE))
        blanks.append(blank)
    where = " and ".join("$" + ", ".join(f"{n} = {number_text(v)}" for n, v in p.items()) + "$" for p in points)
    note = (f"Type your expression's value (to 3 significant figures or better) {where}; "
            "the LMS checks the expression through these values.")
    return PartBlanks(part, "points", blanks, note=note)


def _evaluate(e, point: dict[str, float], symbols) -> float | None:
    try:
        value = complex(e.evalf(30, subs={symbols[n]: v for n, v in point.items()}))
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if abs(value.imag) > 1e-12 or not math.isfinite(value.real):
        return None
    return float(f"{value.real:.15g}")
