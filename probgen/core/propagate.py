"""Rounding carried through a family's own computation: the absolute floor of the tolerance model.

A student works a multi-step problem part by part and writes every intermediate result to 3
significant figures (the precision the sheets ask for), then computes the next part from those
rounded values. Every family that can recompute a later part from earlier ones (`follow_on`, the
same function error carried forward uses) gets, for each numeric part that depends on earlier
ones, the range of values such a student reaches:

- a part's *reachable range*, per entry, holds every value within half a unit in the 3rd
  significant figure of its exact value (what a student writes down: the value rounded to 3
  figures, or one a rounding inside the part moved by as much; a value that already has at
  most 3 figures, 6.75 or −3, is written exactly), and, for a part computed from
  earlier parts, every value the family's `follow_on` gives when those earlier entries move
  within their own reachable ranges (that range, in turn, give or take half a unit);
- the effect of each earlier entry is measured on its own (`follow_on` at each end of the
  entry's range, every other entry exact) and the effects are added, negative and positive
  separately (first-order interval arithmetic: the worst case of every rounding at once).

The range scales with the magnitudes of the intermediates a result combines, so a cancellation
(c = f·c_prev + i·g near 0, θ − α·g/√v near 0) accepts what the rounded work gives, and a result
of well-conditioned steps is not widened beyond the relative rule. Exact parts (counts, masks)
are not rounded. Families whose steps are not parts (one number from a chain) rely on the
relative rule and the rounded reference; the optimizer traces also propagate rounding through
every arithmetic step (`probgen.kit.rounding`), and the two ranges are joined.
"""

from __future__ import annotations

import math
from typing import Any

from .tolerance import flat_ranges, half_unit, round_figures

NUMERIC = ("number", "vector", "matrix")


def propagate_rounding(fam, params: dict, parts: list) -> None:
    """Set `part.accepted` (the propagated range, completed by the build) of every numeric part
    that follows from earlier ones to the values a student who rounds every earlier result to 3
    significant figures reaches; joined with a range the family set itself."""
    if not _has_follow_on(fam):
        return
    given: dict[str, Any] = {}
    reach: dict[str, list[list[float]]] = {}
    outs: dict = {}  # what follow_on gave for each set of givens, shared by the parts that ask again
    for part in parts:
        if part.kind in NUMERIC:
            ref = [float(x) for x in _flat(part.answer)]
            prior = flat_ranges(part.accepted) if part.accepted is not None else None
            if prior is not None and len(prior) != len(ref):
                prior = None
            own = _through(fam, params, part, given, reach, outs) if part.tolerance > 0 and part.depends_on else None
            ranges = []
            for i, x in enumerate(ref):
                lo, hi = own[i] if own else (x, x)
                moved = hi - lo > 1e-9 * max(abs(lo), abs(hi)) + 1e-12  # more than float noise
                if part.tolerance > 0 and (moved or round_figures(x) != x):
                    # the student writes it to 3 figures (a value already that short is exact)
                    lo, hi = lo - half_unit(lo), hi + half_unit(hi)
                    slack = 1e-9 * max(abs(lo), abs(hi))  # float noise in a student's own sums
                    lo, hi = lo - slack, hi + slack
                if prior and prior[i]:  # the family's own propagation (optimizer traces)
                    lo, hi = (min(lo, prior[i][0]), max(hi, prior[i][1])) if own else prior[i]
                ranges.append([lo, hi])
            reach[part.key] = ranges
            if own is not None or prior is not None:
                part.accepted = ranges[0] if part.kind == "number" else _nest(ranges, part.answer)
        value = _given(part)
        if value is not None:
            given[part.key] = value


def _has_follow_on(fam) -> bool:
    from .registry import Family

    return type(fam).follow_on is not Family.follow_on


def _through(fam, params, part, given, reach, outs: dict | None = None) -> list[list[float]] | None:
    """Each entry's range through `follow_on`, or None when follow_on does not recompute this
    part from the exact earlier values (then it is not this part's computation). Only the
    part's own dependencies are handed over (the others keep their reference values).

    `outs` keeps follow_on's results within one problem: parts with the same dependencies (a
    network's gradients all follow from its forward pass) ask for the same givens, moved the
    same way; a given's exact value never changes once set, so (which givens, which entry moved
    to which end) names the values handed over."""
    given = {k: v for k, v in given.items() if k in part.depends_on}
    names = tuple(sorted(given))
    outs = {} if outs is None else outs
    base = _recompute(fam, params, given, part.key, outs, (names, None, None, None))
    ref = [float(x) for x in _flat(part.answer)]
    if base is None or len(base) != len(ref) or not all(
            math.isclose(b, r, rel_tol=1e-9, abs_tol=1e-12) for b, r in zip(base, ref)):
        return None
    low, high = [0.0] * len(ref), [0.0] * len(ref)
    for dep in part.depends_on:
        if dep not in reach or dep not in given:
            continue
        exact = [float(x) for x in _flat(given[dep])]
        for j, ends in enumerate(reach[dep]):
            for end in ends:
                if end == exact[j]:
                    continue
                moved = dict(given)
                moved[dep] = _replaced(given[dep], j, end)
                out = _recompute(fam, params, moved, part.key, outs, (names, dep, j, end))
                if out is None or len(out) != len(ref):
                    return None  # the computation breaks inside the range: no bound from it
                for i, (o, b) in enumerate(zip(out, base)):
                    low[i] += min(0.0, o - b)
                    high[i] += max(0.0, o - b)
    return [[r + lo, r + hi] for r, lo, hi in zip(ref, low, high)]


def _recompute(fam, params, given, key, outs: dict | None = None, name=None) -> list[float] | None:
    out = outs.get(name) if outs is not None else None
    if out is None:
        try:
            out = fam.follow_on(params, dict(given))
        except Exception:  # noqa: BLE001 - a follow_on that cannot take these values gives no range
            out = {}
        if outs is not None:
            outs[name] = out
    if key not in out:
        return None
    value = out[key]
    if hasattr(value, "tolist"):
        value = value.tolist()
    try:
        flat = [float(x) for x in _flat(value)]
    except (TypeError, ValueError):
        return None
    return flat if all(math.isfinite(x) for x in flat) else None


def _given(part) -> Any:
    """The part's reference as the grader hands a student's parsed answer to `follow_on`."""
    if part.kind == "number":
        return float(part.answer)
    if part.kind == "vector":
        return [float(x) for x in part.answer]
    if part.kind == "matrix":
        return [[float(x) for x in row] for row in part.answer]
    if part.kind == "shape":
        return [str(d) for d in part.answer]
    if part.kind in ("expression", "choice"):
        return str(part.answer)
    return None


def _flat(value) -> list:
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _flat(v)]
    return [value]


def _replaced(value, index: int, new: float):
    """`value` (a number, a list, a list of lists) with its `index`-th entry (flat) replaced."""
    if not isinstance(value, list):
        return new
    if value and isinstance(value[0], list):
        width = len(value[0])
        rows = [list(r) for r in value]
        rows[index // width][index % width] = new
        return rows
    out = list(value)
    out[index] = new
    return out


def _nest(ranges: list, like) -> list:
    """Flat per-entry ranges nested like the answer (a vector or a matrix)."""
    if like and isinstance(like[0], (list, tuple)):
        width = len(like[0])
        return [ranges[r * width:(r + 1) * width] for r in range(len(like))]
    return ranges
