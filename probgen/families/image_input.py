"""An image as direct pixel values: flattened length, a pixel's flat index in HWC or CHW order,
the first dense layer's parameter count, and pixel normalisation."""

from __future__ import annotations

from fractions import Fraction

from ..core.registry import Family, Solution, family
from ..kit.solver import exact, number_part, vector_part

SQUARE = (28, 32, 64, 96, 128, 224)
NON_SQUARE = ((32, 48), (48, 64), (60, 80), (64, 96), (120, 160))  # (height, width)
HIDDEN = (100, 128, 256, 512, 1000)
PIXEL_VALUES = (51, 102, 153, 204)  # / 255 = 0.2, 0.4, 0.6, 0.8
MEANS = (0.4, 0.45, 0.5)
STDS = (0.2, 0.25, 0.5)
ORDERS = ("HWC", "CHW")


def flat_index(order, H, W, C, r, c, k):
    """Row-major flattening of an H x W x C (HWC) or C x H x W (CHW) array."""
    return (r * W + c) * C + k if order == "HWC" else (k * H + r) * W + c


def unflatten(order, H, W, C, i):
    if order == "HWC":
        pixel, k = divmod(i, C)
        r, c = divmod(pixel, W)
    else:
        k, rest = divmod(i, H * W)
        r, c = divmod(rest, W)
    return [r, c, k]


@family
class ImageInput(Family):
    id = "image-input"
    section = "fundamentals"
    topic = "input-encoding"
    title = "Images as pixel inputs"

    def generate(self, draw, difficulty, convention):
        if difficulty == "easy":
            side = draw.choice(SQUARE)
            H, W, C = side, side, draw.choice((1, 3))
        else:
            H, W = draw.choice(NON_SQUARE) if draw.coin() else (draw.choice(SQUARE),) * 2
            C = 3
        order = draw.choice(ORDERS) if C > 1 else "HWC"
        pixel = [draw.integer(1, H - 1), draw.integer(1, W - 1), draw.integer(0, C - 1)]
        # a pixel at the same position in both orders (the last one, seed 1267 hard) would ask
        # the same question twice: drawn again
        while C > 1 and flat_index("HWC", H, W, C, *pixel) == flat_index("CHW", H, W, C, *pixel):
            pixel = [draw.integer(1, H - 1), draw.integer(1, W - 1), draw.integer(0, C - 1)]
        params = {"height": H, "width": W, "channels": C, "order": order, "pixel": pixel,
                  "hidden": draw.choice(HIDDEN)}
        if difficulty == "hard":
            # a flat index to decode: the position of a random pixel with a nonzero row and column
            other = [draw.integer(1, H - 1), draw.integer(1, W - 1), draw.integer(0, C - 1)]
            params["flat"] = flat_index(order, H, W, C, *other)
        if difficulty != "easy":
            v = draw.choice(PIXEL_VALUES)
            mean = draw.choice([m for m in MEANS if Fraction(v, 255) != Fraction(str(m))])
            params.update(value=v, mean=mean, std=draw.choice(STDS))
        return params

    def solve(self, params):
        H, W, C = params["height"], params["width"], params["channels"]
        order, h = params["order"], params["hidden"]
        other = "CHW" if order == "HWC" else "HWC"
        r, c, k = params["pixel"]
        n = H * W * C
        idx = flat_index(order, H, W, C, r, c, k)
        with_bias = "value" in params  # medium and hard count biases too
        wrong_idx = {
            "counted positions from 1 instead of 0": idx + 1,
            "swapped the row and the column": flat_index(order, W, H, C, c, r, k),
        }
        if C > 1:
            wrong_idx[f"used the {other} order"] = flat_index(other, H, W, C, r, c, k)
            wrong_idx["forgot the channel dimension"] = r * W + c
        parts = [
            number_part("a", n, 1, tolerance=0, mistakes={
                "forgot the channels (H·W)": H * W, "added H + W + C": H + W + C,
            } if C > 1 else {"added H + W": H + W}),
            number_part("b", idx, 2, tolerance=0, mistakes=wrong_idx),
        ]
        work = {"n": n, "idx": idx, "other": other}
        if "flat" in params:
            parts.append(number_part("c", flat_index(other, H, W, C, r, c, k), 2, tolerance=0, mistakes={
                f"gave the {order} position again (the layout changed)": idx,
                "counted positions from 1 instead of 0": flat_index(other, H, W, C, r, c, k) + 1,
            }))
            i = params["flat"]
            decoded = unflatten(order, H, W, C, i)
            parts.append(vector_part("d", decoded, 2, tolerance=0, mistakes={
                f"decoded with the {other} order": unflatten(other, H, W, C, i),
                "counted positions from 1 instead of 0": [v + 1 for v in decoded],
            }))
            work["decoded"] = decoded
        weights = n * h
        if with_bias:
            parts.append(number_part("e" if "flat" in params else "c", weights + h, 2, tolerance=0, mistakes={
                "forgot the biases": weights, "one bias per input instead of per unit": weights + n,
                "forgot the channels": H * W * h + h,
            }))
            v, mean, std = params["value"], exact(params["mean"]), exact(params["std"])
            scaled = exact(v) / 255
            parts.append(number_part("f" if "flat" in params else "d", (scaled - mean) / std, 2, mistakes={
                "skipped the scaling to [0, 1]": (v - mean) / std,
                "multiplied by σ instead of dividing": (scaled - mean) * std,
                "forgot to subtract the mean": scaled / std,
                "divided by 256 instead of 255": (exact(v) / 256 - mean) / std,
            }))
            work["scaled"] = scaled
        else:
            parts.append(number_part("c", weights, 2, tolerance=0, mistakes={
                "forgot the channels": H * W * h,
                "counted the biases too (the question asks for weights)": weights + h,
            } if C > 1 else {"counted the biases too (the question asks for weights)": weights + h}))
        return Solution(parts=parts, work=work)
