"""bank/CLI -> generate -> solve -> Problem: the one place a problem instance is assembled."""

from __future__ import annotations

import math

from ..errors import BadKnob
from .markup import render_template, split
from .model import Problem
from .registry import get_family
from .rng import Draw
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


def _draw_instance(fam, draw, difficulty: str, convention: str | None):
    """(params, solution) of the first draw in which no named mistake scores: a wrong method
    whose value (or its value rounded to 3 significant figures) falls inside a part's accepted
    range makes the generator draw again, deterministically, from the same Draw."""
    for _ in range(MAX_REDRAWS):
        params = fam.generate(draw, difficulty, convention)
        solution = fam.solve(params)
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
