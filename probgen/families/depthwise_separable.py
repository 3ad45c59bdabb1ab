"""Depthwise-separable vs standard convolution (MobileNet): costs and the ratio 1/C_out + 1/K²."""

from __future__ import annotations

from fractions import Fraction

from ..core.lazy import sympy as sp
from ..core.registry import Family, Solution, family
from ..kit.solver import expression_part, number_part

IN_CHANNELS = (8, 16, 24, 32, 40, 48, 64, 80, 96, 128, 160)
OUT_CHANNELS = (16, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256, 320)
# (C_in, C_out) with C_out ≥ C_in, as in MobileNet's blocks
CHANNELS = tuple((i, o) for i in IN_CHANNELS for o in OUT_CHANNELS if o >= i)
WIDE = ((256, 256), (256, 512), (512, 512))  # weight counts only
MAX_COUNT = 10 ** 8  # every printed count has at most 8 digits


@family
class DepthwiseSeparable(Family):
    id = "depthwise-separable"
    section = "vision"
    topic = "architectures"
    title = "Depthwise-separable convolution cost"
    version = 2  # 2: MobileNet-like channel counts 8–320 (issue 10: 300+ distinct per 1,000 seeds)

    def generate(self, draw, difficulty, convention):
        k = draw.choice((3, 5, 7))  # 7 × 7 depthwise kernels as in ConvNeXt
        if difficulty == "easy":
            c_in, c_out = draw.choice(CHANNELS + WIDE)
            return {"c_in": c_in, "c_out": c_out, "k": k, "count": "parameters"}
        stride = 1 if difficulty == "medium" else 2
        size = draw.choice((7, 14, 28) if difficulty == "medium" else (14, 28, 56))
        positions = (size // stride) ** 2
        c_in, c_out = draw.choice([(i, o) for i, o in CHANNELS if k * k * i * o * positions < MAX_COUNT])
        return {"c_in": c_in, "c_out": c_out, "k": k, "count": "MACs", "h": size, "w": size, "s": stride}

    def solve(self, params):
        c_in, c_out, k = params["c_in"], params["c_out"], params["k"]
        if params["count"] == "parameters":
            positions = 1
        else:  # stride S with padding (K − 1)/2 on an even size: H/S × W/S output positions
            positions = (params["h"] // params["s"]) * (params["w"] // params["s"])
        standard = k * k * c_in * c_out * positions
        depthwise = k * k * c_in * positions
        pointwise = c_in * c_out * positions
        separable = depthwise + pointwise
        ratio = Fraction(separable, standard)
        hard = params.get("s") == 2
        std_mistakes = {"forgot the input channels": k * k * c_out * positions}
        if params["count"] != "parameters":
            std_mistakes["used the input size, not the output size"] = k * k * c_in * c_out * params["h"] * params["w"]
        parts = [number_part("a", standard, 2, tolerance=0, mistakes=std_mistakes)]
        if hard:
            parts.append(number_part("b", depthwise, 2, tolerance=0, mistakes={
                "gave each depthwise filter all input channels (a standard conv's cost)": standard,
                "one depthwise filter per output channel": k * k * c_out * positions,
            }))
            parts.append(number_part("c", pointwise, 2, tolerance=0, mistakes={
                "counted a 3×3 pointwise kernel": 9 * pointwise,
            }))
        else:
            parts.append(number_part("b", separable, 2, tolerance=0, mistakes={
                "counted multiplications of a standard conv": standard,
                "forgot the pointwise 1×1 step": depthwise,
                "forgot the depthwise step": pointwise,
                "one depthwise filter per output channel": k * k * c_out * positions + pointwise,
            }))
        ratio_key = "d" if hard else "c"
        parts.append(number_part(ratio_key, sp.Rational(ratio.numerator, ratio.denominator), 2, mistakes={
            "inverted the ratio (standard / separable)": sp.Rational(ratio.denominator, ratio.numerator),
            "used 1/K instead of 1/K²": sp.Rational(1, c_out) + sp.Rational(1, k),
            # depthwise / standard = 1/C_out and pointwise / standard = 1/K²
            "forgot the pointwise term (took 1/C_out alone)": sp.Rational(1, c_out),
            "forgot the depthwise term (took 1/K² alone)": sp.Rational(1, k * k),
        }, depends_on=["a", "b"] if not hard else ["a", "b", "c"]))
        if hard:
            kk, n = sp.symbols("K N", positive=True)
            parts.append(expression_part("e", 1 / n + 1 / kk**2, {"K": None, "N": None}, 2, mistakes={
                "the inverse ratio": kk**2 * n / (kk**2 + n),
                "1/K instead of 1/K²": 1 / n + 1 / kk,
            }))
        work = {"positions": positions, "standard": standard, "depthwise": depthwise, "pointwise": pointwise,
                "separable": separable, "ratio": sp.Rational(ratio.numerator, ratio.denominator),
                "speedup": float(1 / ratio)}
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """The ratio from the student's own cost counts."""
        hard = params.get("s") == 2
        try:
            if hard and {"a", "b", "c"} <= given.keys():
                return {"d": (given["b"] + given["c"]) / given["a"]}
            if not hard and {"a", "b"} <= given.keys():
                return {"c": given["b"] / given["a"]}
        except ZeroDivisionError:
            return {}
        return {}
