"""Inception module: branch outputs concatenated along channels; shapes and weight counts."""

from __future__ import annotations

from ..core.registry import Family, Solution, family
from ..kit.solver import number_part, shape_part


def weights(c_in, b) -> int:
    """Conv weights (no biases) of the module with 1×1 reductions."""
    return c_in * b["c1"] + c_in * b["r3"] + 9 * b["r3"] * b["c3"] + c_in * b["r5"] + 25 * b["r5"] * b["c5"] + c_in * b["pool"]


@family
class InceptionConcat(Family):
    id = "inception-concat"
    section = "vision"
    topic = "architectures"
    title = "Inception module channels and shapes"

    def generate(self, draw, difficulty, convention):
        c_in = draw.choice((192, 256, 480, 512))
        r3 = draw.choice((64, 96, 112, 128))
        r5 = draw.choice((16, 24, 32))
        branches = {
            "c1": draw.choice((64, 112, 128, 160, 192)),
            "r3": r3,
            "c3": draw.choice([c for c in (128, 192, 208, 224, 256) if c > r3]),
            "r5": r5,
            "c5": draw.choice([c for c in (32, 48, 64, 96) if c > r5]),
            "pool": draw.choice((32, 64, 128)),
        }
        size = draw.choice((7, 14, 28))
        params = {"c_in": c_in, "h": size, "w": size, "branches": branches}
        if difficulty == "hard":
            params["n"] = draw.choice((8, 16, 32))
        params["ask_weights"] = difficulty != "easy"  # easy asks only for channels and shape
        return params

    def solve(self, params):
        c_in, b, h, w = params["c_in"], params["branches"], params["h"], params["w"]
        channels = b["c1"] + b["c3"] + b["c5"] + b["pool"]
        lead = [params["n"]] if "n" in params else []
        parts = [
            number_part("a", channels, 2, tolerance=0, mistakes={
                "added the reduction layers' channels too": channels + b["r3"] + b["r5"],
                "passed the pooled input through without its 1×1 projection": channels - b["pool"] + c_in,
                "left out the pooling branch": channels - b["pool"],
            }),
            shape_part("b", lead + [channels, h, w], 1, mistakes={
                "kept the input channel count": lead + [c_in, h, w],
                "let the 3×3 and 5×5 branches shrink the size (no padding)": lead + [channels, h - 4, w - 4],
            }),
        ]
        work = {"channels": channels}
        if params["ask_weights"]:
            total = weights(c_in, b)
            terms = [c_in * b["c1"], c_in * b["r3"], 9 * b["r3"] * b["c3"], c_in * b["r5"], 25 * b["r5"] * b["c5"],
                     c_in * b["pool"]]
            no_reduction = c_in * b["c1"] + 9 * c_in * b["c3"] + 25 * c_in * b["c5"] + c_in * b["pool"]
            parts.append(number_part("c", total, 3, tolerance=0, mistakes={
                "forgot the 1×1 reduction layers": total - c_in * (b["r3"] + b["r5"]),
                "applied the 3×3 and 5×5 convs to all input channels": no_reduction + c_in * (b["r3"] + b["r5"]),
                "used K instead of K² for the 3×3 and 5×5 kernels": total - 6 * b["r3"] * b["c3"] - 20 * b["r5"] * b["c5"],
                "added biases": total + sum(b.values()),
            }))
            work["terms"] = terms
        if "n" in params:
            naive_channels = b["c1"] + b["c3"] + b["c5"] + c_in
            naive = c_in * b["c1"] + 9 * c_in * b["c3"] + 25 * c_in * b["c5"]
            parts.append(number_part("d", naive_channels, 2, tolerance=0, mistakes={
                "left out the pooled input channels": naive_channels - c_in,
                "kept the pooling branch's projection": channels,
            }))
            parts.append(number_part("e", naive, 2, tolerance=0, mistakes={
                "counted the pooling branch's 1×1 projection": naive + c_in * b["pool"],
                "kept the 1×1 reductions": weights(c_in, b) - c_in * b["pool"],
            }))
            work.update(naive_channels=naive_channels, naive=naive,
                        naive_terms=[c_in * b["c1"], 9 * c_in * b["c3"], 25 * c_in * b["c5"]])
        return Solution(parts=parts, work=work)
