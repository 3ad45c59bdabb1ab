"""1×1 convolutions as channel mixing: the same small dense layer applied at every pixel."""

from __future__ import annotations

from ..core.registry import Family, Solution, family
from ..kit.solver import exact, number_part, shape_part, vector_part

SIZES = {"easy": (3, 2), "medium": (3, 2), "hard": (4, 3)}
WEIGHTS = (-1, -0.5, 0.5, 1, 1.5, 2)


@family
class Conv1x1(Family):
    id = "conv1x1"
    section = "cnn"
    topic = "convolution"
    title = "1×1 convolution as channel mixing"
    version = 2  # 2: never all biases 0

    def generate(self, draw, difficulty, convention):
        c_in, c_out = SIZES[difficulty]
        x = [draw.integer(-2, 4) for _ in range(c_in)]
        if all(v == 0 for v in x):
            x[0] = 1
        w = [[draw.choice(WEIGHTS) if difficulty != "easy" else draw.integer(-2, 2) for _ in range(c_in)]
             for _ in range(c_out)]
        bias = [draw.choice((-1, -0.5, 0.5, 1)) if difficulty != "easy" else draw.integer(-2, 2) for _ in range(c_out)]
        if not any(bias):  # a layer whose biases are all 0 makes "+ b" (and forgetting it) moot
            bias[-1] = 1
        z = [sum(wi * xi for wi, xi in zip(row, x)) + b for row, b in zip(w, bias)]
        if not any(z):  # something to compute: a nonzero output
            bias[0] += 1
            z[0] += 1
        size = draw.choice((8, 14, 16, 28, 32))
        params = {"x": x, "w": w, "bias": bias, "h": size, "w_size": size}
        if difficulty != "easy":
            big = draw.choice((128, 192, 256, 512))
            params["big_in"] = big
            params["big_out"] = big // draw.choice((2, 4, 8))
        if difficulty == "hard":
            params["n"] = draw.choice((4, 8, 16, 32))
            params["relu"] = True
            # The ReLU should zero one output and keep another: flip a row's sign (weights and
            # bias) or shift a zero output's bias, so one output is positive and one negative.
            if not (any(v > 0 for v in z) and any(v < 0 for v in z)):
                nonzero = [i for i, v in enumerate(z) if v != 0]
                if len(nonzero) >= 2:
                    i = nonzero[-1]
                    w[i] = [-v for v in w[i]]
                    bias[i] = -bias[i]
                else:
                    i = next(i for i, v in enumerate(z) if v == 0)
                    bias[i] += -0.5 if z[nonzero[0]] > 0 else 0.5
            channels = draw.choice((128, 256))
            params["bottleneck"] = {"c": channels, "r": channels // draw.choice((4, 8))}
        return params

    def solve(self, params):
        x = [exact(v) for v in params["x"]]
        w = [[exact(v) for v in row] for row in params["w"]]
        bias = [exact(v) for v in params["bias"]]
        mixed = [sum(wi * xi for wi, xi in zip(row, x)) for row in w]
        z = [m + b for m, b in zip(mixed, bias)]
        y = [max(v, 0) for v in z] if params.get("relu") else z
        c_in, c_out = len(x), len(w)
        a_mistakes = {"forgot the bias": [max(v, 0) for v in mixed] if params.get("relu") else mixed}
        if params.get("relu"):
            a_mistakes["forgot the ReLU"] = z
        parts = [vector_part("a", y, 3, mistakes=a_mistakes)]
        h, ws = params["h"], params["w_size"]
        lead = [params["n"]] if "n" in params else []
        parts.append(shape_part("b", lead + [c_out, h, ws], 1, mistakes={
            "kept the input channel count": lead + [c_in, h, ws],
        }))
        work = {"mixed": mixed, "z": z, "y": y}
        if "big_in" in params:
            ci, co = params["big_in"], params["big_out"]
            parts.append(number_part("c", ci * co + co, 2, tolerance=0, mistakes={
                "forgot the bias": ci * co,
                "counted a 3×3 kernel": 9 * ci * co + co,
                "one bias per input channel": ci * co + ci,
            }))
            work.update(big_weights=ci * co)
        if "bottleneck" in params:
            c, r = params["bottleneck"]["c"], params["bottleneck"]["r"]
            reduced = c * r + 9 * r * c
            direct = 9 * c * c
            parts.append(number_part("d", reduced, 2, tolerance=0, mistakes={
                "left out the 1×1 layer's weights": 9 * r * c,
                "let the 3×3 layer output r channels": c * r + 9 * r * r,
            }))
            parts.append(number_part("e", direct, 1, tolerance=0, mistakes={
                "counted one 3×3 kernel per output channel (forgot the input channels)": 9 * c,
            }))
            work.update(reduce_weights=c * r, conv_weights=9 * r * c, reduced=reduced, direct=direct)
        return Solution(parts=parts, work=work)
