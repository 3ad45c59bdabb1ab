"""The tolerance model: which numbers count as a right answer to a numeric part.

One rule, used by the generator (a named mistake must fall outside it, or the instance is
redrawn), by the keys (each numeric entry's accepted range) and by the grader:

- exact: within a relative 1e-9 of the reference (or 1e-12 absolute): verdict "correct";
- the part's relative tolerance around the reference (1% unless the part says otherwise);
- the reference rounded or truncated to 3 significant figures (half a unit in the 3rd figure);
- every result reachable by rounding intermediate values to 3 significant figures, propagated
  through the family's own computation (interval arithmetic, see `probgen.kit.rounding`),
  where the family provides it: this is the absolute floor a cancellation needs (θ − α·g/√v
  near 0 accepts 0) and is scaled to the magnitude of the terms combined.

Parts with tolerance 0 (counts, masks) need the exact value. The union is stored per entry as
the part's `accepted` range ([low, high], nested like the answer) so a key shows it.
"""

from __future__ import annotations

import math
from typing import Any

FIGURES = 3  # significant figures the sheets ask for
EXACT_REL = 1e-9
EXACT_ABS = 1e-12


def half_unit(x: float, figures: int = FIGURES) -> float:
    """Half a unit in the `figures`-th significant figure of x (0 for 0)."""
    if x == 0 or not math.isfinite(x):
        return 0.0
    return 0.5 * 10 ** (math.floor(math.log10(abs(x))) - figures + 1)


def round_figures(x: float, figures: int = FIGURES) -> float:
    """x rounded to `figures` significant figures, as a student writes it."""
    if x == 0 or not math.isfinite(x):
        return x
    return float(f"{x:.{figures}g}")


def is_exact(value: float, ref: float) -> bool:
    diff = abs(value - ref)
    return diff <= EXACT_REL * abs(ref) or diff <= EXACT_ABS


def rule_range(ref: float, tol: float) -> tuple[float, float]:
    """The range the rule accepts around `ref` without a propagated one: the relative tolerance
    and the reference rounded or truncated to 3 significant figures."""
    if tol == 0:
        slack = max(EXACT_REL * abs(ref), EXACT_ABS)
    else:
        slack = max(tol * abs(ref), half_unit(ref) * (1 + 1e-9), EXACT_ABS)
    return ref - slack, ref + slack


def accepted_range(ref: float, tol: float, propagated: tuple[float, float] | None = None) -> list[float]:
    """[low, high]: the rule's range, widened to the propagated rounding range when given
    (never for an exact part)."""
    lo, hi = rule_range(ref, tol)
    if tol > 0 and propagated is not None:
        plo, phi = propagated
        if math.isfinite(plo) and math.isfinite(phi) and plo <= ref <= phi:
            lo, hi = min(lo, plo), max(hi, phi)
    return [lo, hi]


def accepts(value: float, ref: float, tol: float, accepted: list[float] | None = None) -> str | None:
    """'exact', 'rounded' or None: whether `value` counts as `ref` (see the module docstring).
    `accepted`: the part's stored range for this entry, if any. Never accepts inf or nan."""
    if not (math.isfinite(value) and math.isfinite(ref)):
        return None
    if is_exact(value, ref):
        return "exact"
    if tol == 0:
        return None
    lo, hi = accepted if accepted is not None else rule_range(ref, tol)
    return "rounded" if lo <= value <= hi else None


def ranges_for(answer: Any, tol: float, propagated: Any = None) -> Any:
    """The accepted range of every entry of a numeric answer, nested like the answer."""
    if isinstance(answer, (list, tuple)):
        props = propagated if isinstance(propagated, (list, tuple)) and len(propagated) == len(answer) \
            else [None] * len(answer)
        return [ranges_for(a, tol, p) for a, p in zip(answer, props)]
    prop = tuple(propagated) if isinstance(propagated, (list, tuple)) and len(propagated) == 2 \
        and all(isinstance(x, (int, float)) for x in propagated) else None
    return accepted_range(float(answer), tol, prop)


def mistake_scores(value: Any, answer: Any, tol: float, accepted: Any) -> bool:
    """Whether a named mistake's value, as computed or as a student rounds it to 3 significant
    figures (not for an exact part), would earn full credit without being the right value: a
    wrong method that scores. (A mistake giving exactly the right value is no mistake there.)"""
    fv, fa = _flat(value), _flat(answer)
    fr = flat_ranges(accepted) if accepted is not None else [None] * len(fa)
    if len(fr) != len(fa):
        fr = [None] * len(fa)
    if len(fv) != len(fa) or not all(isinstance(x, (int, float)) for x in fv):
        return False
    if all(is_exact(v, a) for v, a in zip(fv, fa)):
        return False
    # an exact part (a count) asks for the exact value: nobody rounds it to 3 figures
    candidates = (fv, [round_figures(v) for v in fv]) if tol > 0 else (fv,)
    for candidate in candidates:
        if all(accepts(v, a, tol, r) for v, a, r in zip(candidate, fa, fr)):
            return True
    return False


def _flat(value) -> list:
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _flat(v)]
    return [value]


def flat_ranges(ranges) -> list:
    if isinstance(ranges, (list, tuple)) and len(ranges) == 2 and all(isinstance(x, (int, float)) for x in ranges):
        return [list(ranges)]
    if isinstance(ranges, (list, tuple)):
        return [r for v in ranges for r in flat_ranges(v)]
    return [None]


def _inward(x: float, up: bool, figures: int = 4) -> float:
    """x to `figures` significant figures, rounded towards the inside of a range (up for its
    low end, down for its high end), so every number between the shown ends is accepted."""
    if x == 0 or not math.isfinite(x):
        return x
    r = float(f"{x:.{figures}g}")
    unit = 10 ** (math.floor(math.log10(abs(x))) - figures + 1)
    if up and r < x:
        r = float(f"{r + unit:.{figures}g}")
    elif not up and r > x:
        r = float(f"{r - unit:.{figures}g}")
    return r


def range_text(rng: list[float]) -> str:
    """One accepted range as text: '-0.03903 to -0.03790' (ends rounded inwards)."""
    from .numfmt import num

    if rng[1] - rng[0] <= 2.01 * max(EXACT_REL * max(abs(rng[0]), abs(rng[1])), EXACT_ABS):
        return f"exactly {num((rng[0] + rng[1]) / 2, 6)}"  # an entry only its exact value earns
    lo, hi = _inward(rng[0], True), _inward(rng[1], False)
    if lo > hi:  # narrower than 4 figures can show: show the ends as they are
        lo, hi = rng
    return f"{num(lo, 6)} to {num(hi, 6)}"


def accepted_text(part) -> str | None:
    """What a key prints under a numeric answer: each entry's accepted range. None for an
    exact part (its value is the only answer) and for the other kinds."""
    if part.accepted is None or part.tolerance == 0:
        return None
    ranges = flat_ranges(part.accepted)
    if part.kind == "number" and len(ranges) == 1:
        return f"accepted: {range_text(ranges[0])}"
    return "accepted per entry: " + "; ".join(f"({i + 1}) {range_text(r)}" for i, r in enumerate(ranges))
