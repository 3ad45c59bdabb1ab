"""An LMS marks a typed number right exactly when probgen's judge does.

For every numeric blank of every family (all difficulties and conventions, two seeds), the
values a student could type near the edges: the reference rounded to 1-6 significant figures,
the ends of the judge's accepted range rounded to 3-5 figures (the key prints them to 4), and
points just inside and just outside each end. Each is typed into probgen's grader (the part's
own reference, as `probgen check` and `practice` grade it) and checked against

- Moodle's rule for the exported Cloze NUMERICAL subquestion, as Moodle documents it: an answer
  with tolerance t (nominal, the Cloze and numerical default) accepts the interval
  [answer - t, answer + t] (question/type/numerical/question.php, get_tolerance_interval, adds
  10^-14 of the larger of t and |answer| to t); the alternatives are tried in order and the
  first that accepts the response decides (right ones come first);
- Canvas's numeric range for a problem whose only answer is that number (vargte <= x <= varlte).

The Cloze text is read back with the tests' own parser."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import pytest

from cloze_parser import parse
from probgen.core.build import build_problem
from probgen.core.registry import get_family, load_all
from probgen.core.tolerance import flat_ranges
from probgen.grading.judge import ProblemGrader
from probgen.lms.blanks import part_blanks
from probgen.lms.cloze import subquestion

PHP_EPSILON = 1e-14  # 10^-precision, PHP's default precision 14


def moodle_accepts(sub, x: float) -> bool:
    for alt in sub.alternatives:
        t = abs(alt.margin or 0.0)
        t += PHP_EPSILON * max(t, abs(alt.value), PHP_EPSILON)
        if alt.value - t <= x <= alt.value + t:
            return alt.fraction == 1.0
    return False


def judge_accepts(problem, part, index: int | None, text: str) -> bool:
    if index is None:
        typed = text
    else:
        values = [repr(float(v)) for v in _entries(part.answer)]
        values[index] = text
        if part.kind == "matrix":
            cols = len(part.answer[0])
            typed = "[" + ", ".join("[" + ", ".join(values[r * cols:(r + 1) * cols]) + "]"
                                    for r in range(len(part.answer))) + "]"
        else:
            typed = "[" + ", ".join(values) + "]"
    result = ProblemGrader(problem, 1, get_family(problem.family)).grade(part, typed)
    return result.max_points > 0 and result.points >= result.max_points - 1e-9


def _entries(value) -> list:
    return [x for row in value for x in row] if isinstance(value[0], list) else list(value)


def _rounded(x: float, figures: int) -> list[Decimal]:
    if x == 0:
        return [Decimal(0)]
    d = Decimal(repr(x))
    step = Decimal(1).scaleb(d.adjusted() - figures + 1)
    return [d.quantize(step, rounding=r) for r in (ROUND_FLOOR, ROUND_CEILING)]


def candidates(ref: float, lo: float, hi: float) -> set[str]:
    """Typed texts near the reference and the accepted range's ends."""
    out = {str(d) for f in range(1, 7) for d in _rounded(ref, f)}
    for end in (lo, hi):
        out |= {str(d) for f in (3, 4, 5) for d in _rounded(end, f)}
    nudge = max(1e-7 * (hi - lo), 1e-6 * max(abs(ref), 1))  # beyond float noise and the exact match
    for end in (lo, hi):
        out |= {repr(end - nudge), repr(end + nudge)}
    return out


def numeric_cases():
    for fid, fam in sorted(load_all().items()):
        for difficulty in fam.difficulties:
            for convention in fam.conventions or (None,):
                for seed in (1, 2):
                    problem = build_problem(fid, seed, difficulty, convention)
                    for part in problem.parts:
                        if part.kind in ("number", "vector", "matrix"):
                            yield problem, part


FAMILIES = sorted({p.family for p, _ in numeric_cases()})


@pytest.mark.parametrize("family", FAMILIES)
def test_moodle_and_canvas_accept_what_the_judge_accepts(family):
    checked = disagreements = 0
    report = []
    for problem, part in (c for c in numeric_cases() if c[0].family == family):
        blanks = part_blanks(problem, part).blanks
        judged = flat_ranges(part.accepted) if part.accepted is not None and part.tolerance > 0 else [None] * len(blanks)
        for i, blank in enumerate(blanks):
            index = None if part.kind == "number" else i
            [sub] = parse(subquestion(blank, 1))
            ref = float(blank.value)
            lo, hi = judged[i] or (ref, ref)  # what the judge accepts, as the key stores it
            edges = [lo, hi] + [e for a in sub.right for e in (a.value - a.margin, a.value + a.margin)]
            texts = candidates(ref, lo, hi) | {t for a in sub.right for t in candidates(a.value, a.value - a.margin,
                                                                                         a.value + a.margin)}
            c_lo, c_hi = blank.right_range  # Canvas's range (canvas.py writes it as vargte / varlte)
            for text in sorted(texts):
                x = float(text)
                if min(abs(x - e) for e in edges + [c_lo, c_hi]) < 1e-9 * max(hi - lo, abs(ref) * 1e-3, 1e-12):
                    continue  # closer to an edge than any student types: float noise decides
                judge = judge_accepts(problem, part, index, text)
                moodle = moodle_accepts(sub, x)
                canvas = c_lo <= x <= c_hi or x == ref
                checked += 1
                if not (judge == moodle == canvas):
                    disagreements += 1
                    report.append(f"{problem.family} {problem.difficulty} {problem.convention} seed {problem.seed} "
                                  f"({part.key}{'' if index is None else f' entry {i + 1}'}): typed {text}: "
                                  f"judge {judge}, Moodle {moodle}, Canvas {canvas} (ref {ref}, range {lo}..{hi})")
    assert checked > 0
    assert not disagreements, f"{disagreements} of {checked}:\n" + "\n".join(report[:8])


def test_a_propagated_range_reaches_moodle_and_canvas():
    """momentum-trace hard, seed 2, part e, entry 1: the judge accepts -0.013 (a student who
    rounded the velocity first gets there); the reference ± 1% alone stops at -0.012625."""
    problem = build_problem("momentum-trace", 2, "hard")
    part = problem.part("e")
    assert part.answer[0] == -0.0125
    assert judge_accepts(problem, part, 0, "-0.013")
    blank = part_blanks(problem, part).blanks[0]
    [sub] = parse(subquestion(blank, 1))
    assert moodle_accepts(sub, -0.013) and blank.right_range[0] <= -0.013
    assert sub.right[0].value == -0.0125  # Moodle shows the reference as the right answer
    assert not moodle_accepts(sub, -0.0132) and not judge_accepts(problem, part, 0, "-0.0132")
