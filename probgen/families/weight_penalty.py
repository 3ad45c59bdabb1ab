"""L1 and L2 weight penalties: their values, their gradients, and one SGD step with each."""

from __future__ import annotations

from ..core.lazy import sympy as sp
from ..core.registry import Family, Solution, family
from ..kit.solver import exact, number_part, vector_part

SIZES = {"easy": 3, "medium": 3, "hard": 4}
EASY_LAMBDAS = (0.01, 0.05, 0.1, 0.5)
# (λ, α) with α·λ (plain form: 2αλ) between 0.05 and 0.2, so the decay visibly changes the step:
# forgetting it is not within the grader's 1% tolerance.
STEP_PAIRS = ((0.1, 0.5), (0.5, 0.1), (0.2, 0.5), (0.5, 0.2), (0.2, 0.25), (0.25, 0.2))
FORMS = ("half", "plain")  # L2 term (λ/2)||w||² or λ||w||²


def _sign(x):
    return 1 if x > 0 else -1


@family
class WeightPenalty(Family):
    id = "weight-penalty"
    section = "fundamentals"
    topic = "regularization"
    title = "L1 and L2 weight penalties"
    version = 2  # 2: no λ = 0.5 with the plain L2 form (its gradient 2λw = w repeated the given w)

    def generate(self, draw, difficulty, convention):
        n = SIZES[difficulty]
        w = [draw.decimal(-3, 3, 0.5, nonzero=True) for _ in range(n)]
        params = {"w": w, "l2_form": draw.choice(FORMS)}
        # The L2 gradient's coefficient (λ, or 2λ for the plain form) is never 1: with 2λ = 1
        # the gradient 2λw would just be w, an answer copied from the statement.
        unit = (lambda lam: 2 * lam == 1) if params["l2_form"] == "plain" else (lambda lam: lam == 1)  # noqa: E731
        if difficulty == "easy":
            params["lam"] = draw.choice([lam for lam in EASY_LAMBDAS if not unit(lam)])
        else:
            lam, lr = draw.choice([pair for pair in STEP_PAIRS if not unit(pair[0])])
            params.update(lam=lam, lr=lr, grad=[draw.decimal(-1, 1, 0.1, nonzero=True) for _ in range(n)])
        return params

    def solve(self, params):
        w = [exact(v) for v in params["w"]]
        lam = exact(params["lam"])
        half = params["l2_form"] == "half"
        c2 = lam / 2 if half else lam  # coefficient of ||w||^2
        sq = sum(v**2 for v in w)
        l1 = lam * sum(abs(v) for v in w)
        l2 = c2 * sq
        g1 = [lam * _sign(v) for v in w]
        g2 = [2 * c2 * v for v in w]
        l2_wrong = ({"forgot the ½": lam * sq} if half else {"added a ½": lam / 2 * sq})
        l2_wrong["used the norm ‖w‖ instead of its square"] = c2 * sp.sqrt(sq)
        parts = [
            number_part("a", l1, 2, mistakes={
                "forgot the absolute values": lam * sum(w),
                "forgot λ": sum(abs(v) for v in w),
            }),
            number_part("b", l2, 2, mistakes=l2_wrong),
        ]
        g2_wrong = ({"differentiated as if there were no ½ (2λw)": [2 * lam * v for v in w]} if half
                    else {"forgot the factor 2 from the square (λw)": [lam * v for v in w]})
        g2_wrong["used the L1 gradient λ·sign(w)"] = g1
        work = {"sq": sq, "abs_sum": sum(abs(v) for v in w), "g1": g1, "g2": g2, "c2": c2}
        if "grad" not in params:
            parts.append(vector_part("c", g2, 2, mistakes=g2_wrong))
            return Solution(parts=parts, work=work)
        parts.append(vector_part("c", g1, 2, mistakes={
            "used the L2 gradient": g2,
            "forgot λ (wrote sign(w))": [_sign(v) for v in w],
        }))
        parts.append(vector_part("d", g2, 2, mistakes=g2_wrong))
        g = [exact(v) for v in params["grad"]]
        lr = exact(params["lr"])
        step2 = [wi - lr * (gi + di) for wi, gi, di in zip(w, g, g2)]
        parts.append(vector_part("e", step2, 3, depends_on=["d"], mistakes={
            "left out the penalty's gradient (no weight decay)": [wi - lr * gi for wi, gi in zip(w, g)],
            "stepped uphill (w + α·gradient)": [wi + lr * (gi + di) for wi, gi, di in zip(w, g, g2)],
            "subtracted the decay term without the learning rate": [wi - lr * gi - di for wi, gi, di in zip(w, g, g2)],
        }))
        work.update(step2=step2, total2=[gi + di for gi, di in zip(g, g2)], shrink=1 - lr * 2 * c2)
        if len(w) == 4:
            step1 = [wi - lr * (gi + si) for wi, gi, si in zip(w, g, g1)]
            parts.append(vector_part("f", step1, 3, depends_on=["c"], mistakes={
                "used the L2 (weight-decay) step instead": step2,
                "left out the penalty's gradient": [wi - lr * gi for wi, gi in zip(w, g)],
                "stepped uphill (w + α·gradient)": [wi + lr * (gi + si) for wi, gi, si in zip(w, g, g1)],
            }))
            work.update(step1=step1, total1=[gi + si for gi, si in zip(g, g1)])
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """The steps from the student's own penalty gradients (c for L1, d for L2)."""
        if "grad" not in params:
            return {}
        w, g, lr, n = params["w"], params["grad"], params["lr"], len(params["w"])
        out = {}
        if len(given.get("d", [])) == n:
            out["e"] = [wi - lr * (gi + di) for wi, gi, di in zip(w, g, given["d"])]
        if n == 4 and len(given.get("c", [])) == n:
            out["f"] = [wi - lr * (gi + ci) for wi, gi, ci in zip(w, g, given["c"])]
        return out
