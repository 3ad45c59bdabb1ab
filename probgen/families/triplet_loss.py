"""Triplet loss max(0, d(a,p) − d(a,n) + margin) with squared or plain Euclidean distance."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from itertools import product

from ..core.lazy import sympy as sp
from ..core.registry import Family, Solution, family
from ..kit.solver import exact, number_part, vector_part

DIMS = {"easy": 2, "medium": 2, "hard": 3}
MARGINS = {"squared": (1, 2, 3, 5), "euclidean": (0.5, 1, 2)}
# Offsets from the anchor whose plain length is a whole or half number (Pythagorean triples).
EUCLIDEAN_LENGTHS = {2: (1, 2, 2.5, 3, 4, 5), 3: (1, 2, 3, 5, 6, 7)}


@lru_cache(maxsize=None)
def _offsets(dim: int, distance: str) -> dict[Fraction, tuple[tuple[float, ...], ...]]:
    """Offset vectors grouped by their distance from the origin (squared or plain).

    Squared: integer entries in [-3, 3]. Plain: integer (2D also half-integer) entries in [-7, 7]
    whose length is in EUCLIDEAN_LENGTHS; axis-aligned offsets only where no other exists."""
    groups: dict[Fraction, list[tuple[float, ...]]] = {}
    if distance == "squared":
        for v in product(range(-3, 4), repeat=dim):
            if any(v):
                groups.setdefault(Fraction(sum(c * c for c in v)), []).append(tuple(float(c) for c in v))
    else:
        halves = [Fraction(k, 2) for k in range(-14, 15)] if dim == 2 else [Fraction(k) for k in range(-7, 8)]
        wanted = {Fraction(str(d)) ** 2: Fraction(str(d)) for d in EUCLIDEAN_LENGTHS[dim]}
        for v in product(halves, repeat=dim):
            length = wanted.get(sum(c * c for c in v))
            if length is not None:
                groups.setdefault(length, []).append(tuple(float(c) for c in v))
        for length, vs in groups.items():
            diagonal = [v for v in vs if sum(1 for c in v if c) > 1]
            groups[length] = diagonal or vs
    return {k: tuple(v) for k, v in sorted(groups.items())}


def _same_direction(u, v) -> bool:
    dot = sum(a * b for a, b in zip(u, v))
    return dot > 0 and dot * dot == sum(a * a for a in u) * sum(b * b for b in v)


def _hinge(x):
    """max(0, x) for a real SymPy number (sp.Max is slow to construct)."""
    return x if x > 0 else sp.Integer(0)


def _distance(u, v, distance):
    sq = sum((a - b) ** 2 for a, b in zip(u, v))
    return sq if distance == "squared" else sp.sqrt(sq)


@family
class TripletLoss(Family):
    id = "triplet-loss"
    section = "fundamentals"
    topic = "losses"
    title = "Triplet loss"

    def generate(self, draw, difficulty, convention):
        dim = DIMS[difficulty]
        distance = draw.choice(("squared", "euclidean"))
        groups = _offsets(dim, distance)
        lengths = list(groups)
        margin = draw.choice(MARGINS[distance])
        m = Fraction(str(margin))
        # Distances first: d(a,n) < d(a,p) + m (loss > 0), d(a,n) != d(a,p) (loss != margin),
        # and a second negative with d(a,n2) > d(a,p) + m (loss exactly zero, not on the edge).
        d_ap = draw.choice([d for d in lengths if any(e > d + m for e in lengths)
                            and any(e < d + m and e != d for e in lengths)])
        d_an = draw.choice([d for d in lengths if d < d_ap + m and d != d_ap])
        # the second negative: an easy one (loss exactly 0) or a semi-hard one (farther than the
        # positive but inside the margin, loss > 0), half the time each where both exist
        easy_n2 = [d for d in lengths if d > d_ap + m]
        semi_hard_n2 = [d for d in lengths if d_ap < d < d_ap + m]
        d_an2 = draw.choice(semi_hard_n2 if semi_hard_n2 and draw.integer(0, 1) else easy_n2)
        anchor = [float(draw.integer(-2, 2)) for _ in range(dim)]

        def point(offset):
            return [a + o for a, o in zip(anchor, offset)]

        off_p = draw.choice(groups[d_ap])
        # n not in p's direction from a: for the plain distance that would cancel dL/da to zero.
        off_n = draw.choice([o for o in groups[d_an] if not _same_direction(o, off_p)])
        params = {"distance": distance, "margin": margin, "anchor": anchor,
                  "positive": point(off_p), "negative": point(off_n)}
        if difficulty != "easy":
            params["negative2"] = point(draw.choice(groups[d_an2]))
        return params

    def solve(self, params):
        kind = params["distance"]
        other = "euclidean" if kind == "squared" else "squared"
        m = exact(params["margin"])
        a, p, n = ([exact(v) for v in params[k]] for k in ("anchor", "positive", "negative"))
        d_ap, d_an = _distance(a, p, kind), _distance(a, n, kind)
        o_ap, o_an = _distance(a, p, other), _distance(a, n, other)
        manhattan = lambda u, v: sum(abs(x - y) for x, y in zip(u, v))  # noqa: E731
        other_name = ("used the plain Euclidean distance (no square)" if kind == "squared"
                      else "used the squared distance")
        dist_mistakes = lambda o, u, v: {other_name: o, "used the Manhattan (L1) distance": manhattan(u, v)}  # noqa: E731
        loss = _hinge(d_ap - d_an + m)
        parts = [
            number_part("a", d_ap, 1, mistakes=dist_mistakes(o_ap, a, p)),
            number_part("b", d_an, 1, mistakes=dist_mistakes(o_an, a, n)),
            number_part("c", loss, 2, depends_on=["a", "b"], mistakes={
                "swapped the positive and the negative": _hinge(d_an - d_ap + m),
                "forgot the margin": _hinge(d_ap - d_an),
                other_name: _hinge(o_ap - o_an + m),
            }),
        ]
        work = {"diff_p": [x - y for x, y in zip(a, p)], "diff_n": [x - y for x, y in zip(a, n)], "d_ap": d_ap, "d_an": d_an, "inside": d_ap - d_an + m, "loss": loss,
                "semi_hard": d_an > d_ap}
        if "negative2" in params:
            n2 = [exact(v) for v in params["negative2"]]
            d_an2 = _distance(a, n2, kind)
            inside2 = d_ap - d_an2 + m
            parts.append(number_part("d", _hinge(inside2), 2, mistakes={
                "forgot the max(0, ·): reported the negative value": inside2,
                "swapped the positive and the negative": _hinge(d_an2 - d_ap + m),
            }))
            parts.append(number_part("e", d_an2 - d_ap, 2, mistakes={
                "gave the slack d(a,n₂) − d(a,p) − m instead of the threshold": d_an2 - d_ap - m,
                "subtracted the wrong way round: d(a,p) − d(a,n₂)": d_ap - d_an2,
            }))
            work.update(d_an2=d_an2, inside2=inside2)
        if len(a) == 3:
            if kind == "squared":
                grad = [2 * (ni - pi) for ni, pi in zip(n, p)]
                wrong = {"forgot the factor 2 of the squared distance": [ni - pi for ni, pi in zip(n, p)]}
            else:
                grad = [(ai - pi) / d_ap - (ai - ni) / d_an for ai, pi, ni in zip(a, p, n)]
                wrong = {"differentiated the squared distance instead": [2 * (ni - pi) for ni, pi in zip(n, p)]}
            wrong["flipped the sign of the whole gradient"] = [-g for g in grad]
            parts.append(vector_part("f", grad, 2, mistakes=wrong))
            work["grad"] = grad
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """The loss from the student's own distances."""
        if "a" in given and "b" in given:
            return {"c": max(0.0, given["a"] - given["b"] + params["margin"])}
        return {}
