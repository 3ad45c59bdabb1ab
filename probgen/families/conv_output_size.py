"""Output size of a convolution: floor((W + 2P − d(K − 1) − 1)/S) + 1, with padding, stride, dilation."""

from __future__ import annotations

from ..core.registry import Family, Solution, family
from ..kit.solver import number_part, shape_part

IN_CHANNELS = (1, 3, 16, 32, 64)
OUT_CHANNELS = (8, 16, 32, 64, 128)


def out_size(n: int, k: int, s: int, p: int, d: int = 1) -> int:
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def _input_for(out: int, k_eff: int, s: int, p: int, remainder: int) -> int:
    """The input size that gives `out` outputs with `remainder` rows left over (0: divides evenly)."""
    return s * (out - 1) + k_eff - 2 * p + remainder


@family
class ConvOutputSize(Family):
    id = "conv-output-size"
    section = "cnn"
    topic = "convolution"
    title = "Convolution output size"

    def generate(self, draw, difficulty, convention):
        c_in = draw.choice(IN_CHANNELS)
        c_out = draw.choice([c for c in OUT_CHANNELS if c != c_in])
        if difficulty == "easy":
            k = draw.choice((3, 5, 7))
            s = draw.choice((1, 2))
            d = 1
            # Stride 1 with "same" padding would leave the size unchanged: pad less than that.
            p = draw.integer(0, (k - 1) // 2 - (1 if s == 1 else 0))
            h = _input_for(draw.integer(4, 28 if s == 1 else 20), k, s, p, 0)
            return {"c_in": c_in, "c_out": c_out, "h": h, "w": h, "k": k, "s": s, "p": p, "d": d}
        if difficulty == "medium":
            k = draw.choice((3, 5))
            s = draw.choice((1, 2))
            d = 2
            p = draw.integer(0 if s == 2 else 1, d * (k - 1) // 2 - (1 if s == 1 else 0))
            h = _input_for(draw.integer(4, 28 if s == 1 else 20), d * (k - 1) + 1, s, p, 0)
            return {"c_in": c_in, "c_out": c_out, "h": h, "w": h, "k": k, "s": s, "p": p, "d": d}
        k = draw.choice((3, 5))
        s = draw.choice((2, 3))
        d = draw.choice((2, 3))
        p = draw.integer(1, d * (k - 1) // 2)
        k_eff = d * (k - 1) + 1
        h_out = draw.integer(4, 20)
        w_out = draw.choice([v for v in range(4, 21) if v != h_out])  # a non-square input
        h = _input_for(h_out, k_eff, s, p, draw.integer(1, s - 1))  # the floor matters in height
        w = _input_for(w_out, k_eff, s, p, draw.integer(0, s - 1))
        return {"n": draw.choice((8, 16, 32)), "c_in": c_in, "c_out": c_out, "h": h, "w": w,
                "k": k, "s": s, "p": p, "d": d}

    def solve(self, params):
        c_in, c_out, k, s, p, d = (params[x] for x in ("c_in", "c_out", "k", "s", "p", "d"))
        h, w = params["h"], params["w"]
        k_eff = d * (k - 1) + 1
        h_out, w_out = out_size(h, k, s, p, d), out_size(w, k, s, p, d)

        def size_mistakes(n):
            # "forgot the + 1" before the kernel-extent slips: with d = 2 and an exact division,
            # d·K gives the same number, and a wrong K_eff is already credited forward from part a.
            wrong = {
                "rounded up instead of down": -(-(n + 2 * p - k_eff) // s) + 1,
                "forgot the + 1": (n + 2 * p - k_eff) // s,
                "padded one side only (P instead of 2P)": (n + p - k_eff) // s + 1,
                "forgot to divide by the stride": n + 2 * p - k_eff + 1,
                "ignored the dilation (used K as the kernel extent)": out_size(n, k, s, p),
                "took the dilated kernel extent as d·K": (n + 2 * p - d * k) // s + 1,
            }
            if d == 1:
                del wrong["ignored the dilation (used K as the kernel extent)"]
                del wrong["took the dilated kernel extent as d·K"]
            return wrong

        shape_mistakes = {"kept the input channel count": [c_in, h_out, w_out] if "n" not in params
                          else [params["n"], c_in, h_out, w_out]}
        work = {"k_eff": k_eff, "h_num": h + 2 * p - k_eff, "w_num": w + 2 * p - k_eff,
                "h_out": h_out, "w_out": w_out, "same_p": (k_eff - 1) // 2}
        same = number_part("x", (k_eff - 1) // 2, 2, tolerance=0, mistakes={
            "ignored the dilation: (K − 1)/2": (k - 1) // 2,
            "put the whole K_eff − 1 on each side": k_eff - 1,
        })
        k_part = number_part("a", k_eff, 1, tolerance=0, mistakes={
            "took the dilated kernel extent as d·K": d * k,
            "took the dilated kernel extent as d·(K − 1)": d * (k - 1),
        })
        if d == 1:  # easy
            parts = [
                number_part("a", h_out, 2, tolerance=0, mistakes=size_mistakes(h)),
                shape_part("b", [c_out, h_out, w_out], 1, mistakes=shape_mistakes),
            ]
        elif "n" not in params:  # medium
            same.key = "d"
            parts = [
                k_part,
                number_part("b", h_out, 2, tolerance=0, mistakes=size_mistakes(h), depends_on=["a"]),
                shape_part("c", [c_out, h_out, w_out], 1, mistakes=shape_mistakes),
                same,
            ]
        else:
            same.key = "e"
            parts = [
                k_part,
                number_part("b", h_out, 2, tolerance=0, mistakes=size_mistakes(h), depends_on=["a"]),
                number_part("c", w_out, 2, tolerance=0, mistakes=size_mistakes(w), depends_on=["a"]),
                shape_part("d", [params["n"], c_out, h_out, w_out], 1, mistakes=shape_mistakes),
                same,
            ]
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """Output sizes from the student's effective kernel extent (part a, medium and hard)."""
        if params["d"] == 1 or "a" not in given:
            return {}
        k_eff = given["a"]
        s, p = params["s"], params["p"]
        out = {"b": (params["h"] + 2 * p - k_eff) // s + 1}
        if "n" in params:
            out["c"] = (params["w"] + 2 * p - k_eff) // s + 1
        return out
