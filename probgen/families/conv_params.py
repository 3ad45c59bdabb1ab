"""Parameters and multiply-accumulates of a convolutional layer (with and without bias)."""

from __future__ import annotations

from ..core.registry import Family, Solution, family
from ..kit.solver import number_part

IN_CHANNELS = (1, 3, 4, 8, 12, 16, 24, 32, 64)
OUT_CHANNELS = (8, 10, 12, 16, 20, 24, 32, 48, 64, 96, 128)


@family
class ConvParams(Family):
    id = "conv-params"
    section = "cnn"
    topic = "convolution"
    title = "Parameters and multiply-accumulates of a convolution"

    def generate(self, draw, difficulty, convention):
        c_in = draw.choice(IN_CHANNELS)
        c_out = draw.choice([c for c in OUT_CHANNELS if c != c_in])
        k = draw.choice((1, 3, 5, 7) if difficulty == "easy" else (1, 3, 5) if difficulty == "medium" else (3, 5, 7))
        params = {"c_in": c_in, "c_out": c_out, "k": k}
        if difficulty == "easy":
            return params
        if difficulty == "medium":  # stride 1, "same" padding: the output keeps the input's size
            # sizes whose MAC count stays under 10^8: every printed count has at most 8 digits
            size = draw.choice([n for n in (7, 8, 14, 16, 28, 32) if n * n * c_in * c_out * k * k < 10 ** 8])
            return {**params, "h": size, "w": size, "s": 1, "p": (k - 1) // 2}
        # Hard: stride 2 with "same"-style padding on an even input, so the size halves exactly.
        params["c_in"] = draw.choice((1, 2, 3, 4))
        params["c_out"] = draw.choice([c for c in (4, 6, 8, 10, 12, 16) if c != params["c_in"]])
        size = draw.choice((8, 10, 12, 14, 16, 20, 24, 28, 32))
        return {**params, "h": size, "w": size, "s": 2, "p": (k - 1) // 2}

    def solve(self, params):
        c_in, c_out, k = params["c_in"], params["c_out"], params["k"]
        weights = c_out * c_in * k * k
        parts = [
            number_part("a", weights, 2, tolerance=0, mistakes={
                "forgot the input channels (C_out·K²)": c_out * k * k,
                "counted one filter only (C_in·K²)": c_in * k * k,
                "used K instead of K² (a 1-D kernel)": c_out * c_in * k,
            }),
            number_part("b", weights + c_out, 1, tolerance=0, mistakes={
                "forgot the bias": weights,
                "one bias per input channel": weights + c_in,
                "one bias per weight": 2 * weights,
            }),
        ]
        work = {"weights": weights, "with_bias": weights + c_out}
        if "h" in params:
            h, w, s, p = params["h"], params["w"], params["s"], params["p"]
            h_out = (h + 2 * p - k) // s + 1
            w_out = (w + 2 * p - k) // s + 1
            per_output = c_in * k * k
            macs = h_out * w_out * c_out * per_output
            work.update(h_out=h_out, w_out=w_out, per_output=per_output, outputs=h_out * w_out * c_out, macs=macs)
            parts.append(number_part("c", macs, 3, tolerance=0, mistakes={
                "used the input size instead of the output size": h * w * c_out * per_output,
                "forgot the input channels": h_out * w_out * c_out * k * k,
                "counted FLOPs (a multiply and an add per MAC)": 2 * macs,
                "counted the weights, not the operations": weights,
                "added one per output for the bias": macs + h_out * w_out * c_out,
            }))
            if s > 1:
                fc = (c_in * h * w) * (c_out * h_out * w_out)
                work.update(fc_in=c_in * h * w, fc_out=c_out * h_out * w_out, fc=fc)
                parts.append(number_part("d", fc, 2, tolerance=0, mistakes={
                    "counted the conv layer's weights": weights,
                    "used the output size for the input as well": (c_in * h_out * w_out) * (c_out * h_out * w_out),
                }))
        return Solution(parts=parts, work=work)
