"""bank/CLI -> generate -> solve -> Problem: the one place a problem instance is assembled."""

from __future__ import annotations

import math

from ..errors import BadKnob
from .markup import render_template, split
from .numfmt import is_short_exact
from .model import HAND_GRADED_KINDS, Problem
from .registry import get_family
from .rng import Draw
from .work import count_ops, minutes, points_for


def build_problem(family_id: str, seed: int, difficulty: str = "medium", convention: str | None = None) -> Problem:
    fam = get_family(family_id)
    fam.check_difficulty(difficulty)
    convention = fam.check_convention(convention)
    if not isinstance(seed, int) or seed < 0:
        raise BadKnob(f"seed must be a whole number >= 0, got {seed!r}")
    draw = Draw("probgen", fam.id, fam.version, seed, difficulty, convention)
    params = fam.generate(draw, difficulty, convention)
    solution = fam.solve(params)
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
        if p.kind == "number" and p.latex and not is_short_exact(p.latex):
            p.latex = None  # a long exact form says nothing the decimal does not: the decimal alone
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


def estimate_work(parts, steps) -> None:
    """The work model (probgen.core.work): each part's operation counts, minutes, and points that
    follow the minutes. Counts a family states override those read off the worked solution."""
    for p in parts:
        counted = count_ops([s.text for s in steps if s.part == p.key])
        # writing down each entry of a vector or matrix answer is work too
        counted["arith"] = max(counted["arith"], len(_flat(p.answer)) if p.kind in ("vector", "matrix") else 0)
        if p.kind == "shape":  # each axis of a shape is worked out on its own
            counted["int"] = len(p.answer)
        p.ops = {**counted, **(p.ops or {})}
        p.minutes = minutes(p.ops)
    for p, pts in zip(parts, points_for([p.minutes for p in parts])):
        if p.kind not in HAND_GRADED_KINDS:  # a rubric's points are the part's (a T/F adds its verdict's)
            p.points = pts


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
    """Keep only mistakes whose value a grader can tell apart from the answer and each other
    (a mistake that happens to give the right number here teaches nothing)."""
    kept = []
    # Exact parts (tolerance 0: counts) are told apart exactly: "forgot the bias" is 1 in 10^4 off.
    tol = 0 if part.tolerance == 0 else max(part.tolerance, 0.01)
    for m in part.misconceptions:
        if part.kind in ("expression", "choice", "shape"):
            clash = m.value == part.answer
        else:
            clash = same_value(m.value, part.answer, tol)
        if not clash and not any(same_value(m.value, k.value, tol) for k in kept):
            kept.append(m)
    return kept
