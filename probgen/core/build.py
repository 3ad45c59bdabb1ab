"""bank/CLI -> generate -> solve -> Problem: the one place a problem instance is assembled."""

from __future__ import annotations

import math

from ..errors import BadKnob
from .markup import render_template, split
from .numfmt import decimal_givens, exact_array_latex, exact_shown, is_short_exact
from .model import Problem
from .registry import get_family
from .rng import Draw
from .work import count_ops, minutes, points_for
from .propagate import propagate_rounding
from .tolerance import mistake_scores, ranges_for

# Draws tried before giving up on an instance whose named mistakes all stay outside the
# accepted range (the sweep test measures how many a family needs; a few at most).
MAX_REDRAWS = 200


def build_problem(family_id: str, seed: int, difficulty: str = "medium", convention: str | None = None) -> Problem:
    fam = get_family(family_id)
    fam.check_difficulty(difficulty)
    convention = fam.check_convention(convention)
    if not isinstance(seed, int) or seed < 0:
        raise BadKnob(f"seed must be a whole number >= 0, got {seed!r}")
    draw = Draw("probgen", fam.id, fam.version, seed, difficulty, convention)
    params, solution = _draw_instance(fam, draw, difficulty, convention)
    parts = solution.parts
    text = render_template(
        fam.template_name,
        params=params,
        parts={p.key: p for p in parts},
        work=solution.work,
        difficulty=difficulty,
        convention=convention,
        show_solution=True,
    )
    statement, prompts, steps = split(text)
    keys = [p.key for p in parts]
    if sorted(prompts) != sorted(keys):
        raise ValueError(f"{fam.id}: template parts {sorted(prompts)} != solver parts {sorted(keys)}")
    for p in parts:
        p.prompt = prompts[p.key]
        p.misconceptions = _distinct_misconceptions(p)
    show_exact(parts, params)
    estimate_work(parts, steps)
    return Problem(
        family=fam.id,
        version=fam.version,
        seed=seed,
        difficulty=difficulty,
        convention=convention,
        title=fam.title,
        section=fam.section,
        topic=fam.topic,
        params=params,
        statement=statement,
        parts=parts,
        steps=steps,
        figure=solution.figure,
    )


def show_exact(parts, params) -> None:
    """The exact-form policy (numfmt.natural_exact, issue 10 §3): a number part keeps its display
    form only when it is short and says something the decimal does not, and a vector or matrix
    part gets one (Part.latex) only then; otherwise the key prints the decimals alone."""
    decimals = decimal_givens(params)
    for p in parts:
        if p.kind == "number" and p.latex:
            if not is_short_exact(p.latex) or not exact_shown(p.exact, decimals):
                p.latex = None
        elif p.kind in ("vector", "matrix") and p.latex is None and p.exact is not None:
            p.latex = exact_array_latex(p.exact, decimals)


def estimate_work(parts, steps) -> None:
    """The work model (probgen.core.work): each part's operation counts, minutes, and points that
    follow the minutes. Counts a family states override those read off the worked solution."""
    for p in parts:
        if p.explanations is not None or p.rubric:
            # a conceptual part: its points are the ideas it asks for (the rubric's, or the
            # item's own), so they stay; its minutes follow those ideas
            p.ops = {"idea": p.points}
            p.minutes = minutes(p.ops)
            continue
        counted = count_ops([s.text for s in steps if s.part == p.key])
        # writing down each entry of a vector or matrix answer is work too
        counted["arith"] = max(counted["arith"], len(_flat(p.answer)) if p.kind in ("vector", "matrix") else 0)
        if p.kind == "shape":  # each axis of a shape is worked out on its own
            counted["int"] = len(p.answer)
        p.ops = {**counted, **(p.ops or {})}
        p.minutes = minutes(p.ops)
    computed = [p for p in parts if p.explanations is None and not p.rubric]
    for p, pts in zip(computed, points_for([p.minutes for p in computed])):
        p.points = pts


def _draw_instance(fam, draw, difficulty: str, convention: str | None):
    """(params, solution) of the first draw in which no named mistake scores: a wrong method
    whose value (or its value rounded to 3 significant figures) falls inside a part's accepted
    range makes the generator draw again, deterministically, from the same Draw."""
    for _ in range(MAX_REDRAWS):
        params = fam.generate(draw, difficulty, convention)
        solution = fam.solve(params)
        propagate_rounding(fam, params, solution.parts)
        for p in solution.parts:
            complete_accepted(p)
        if not any(mistake_scores(m.value, p.answer, p.tolerance, p.accepted)
                   for p in solution.parts if p.accepted is not None for m in p.misconceptions):
            return params, solution
    raise ValueError(f"{fam.id} ({difficulty}): no instance in {MAX_REDRAWS} draws keeps every named "
                     "mistake outside the accepted range")


def complete_accepted(part) -> None:
    """A numeric part's accepted ranges: the tolerance rule, widened by the rounding range the
    family propagated through its computation (left in `part.accepted`), if any."""
    if part.kind in ("number", "vector", "matrix"):
        part.accepted = ranges_for(part.answer, part.tolerance, part.accepted)
    else:
        part.accepted = None


def _flat(value):
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _flat(v)]
    return [value]


def same_value(a, b, rel: float) -> bool:
    """Whether two answers of the same kind are indistinguishable at a relative tolerance."""
    fa, fb = _flat(a), _flat(b)
    if len(fa) != len(fb):
        return False
    for x, y in zip(fa, fb):
        if isinstance(x, (int, float)) and isinstance(y, (int, float)):
            if not math.isclose(x, y, rel_tol=max(rel, 1e-12), abs_tol=1e-12):
                return False
        elif x != y:
            return False
    return True


def _distinct_misconceptions(part):
    """Every named mistake except those that give exactly the right value in this instance (at
    step 1 "ignored momentum" is the right method). Mistakes with equal or indistinguishable
    values all keep their names: the grader names every one the answer matches. A mistake
    inside the accepted range without being exact never gets here: the instance was redrawn."""
    if part.kind in ("expression", "choice", "shape"):
        return [m for m in part.misconceptions if m.value != part.answer]
    return [m for m in part.misconceptions if not same_value(m.value, part.answer, 1e-9)]
