"""Receptive field of a stack of conv and pooling layers: r ← r + d(K − 1)·j, j ← j·S."""

from __future__ import annotations

from ..core.registry import Family, Solution, family
from ..kit.solver import number_part, vector_part

LAYERS = {"easy": 3, "medium": 4, "hard": 5}


def _layer(draw, difficulty, strided: bool, pool_allowed: bool) -> dict:
    if pool_allowed and draw.coin(0.3):
        k = draw.choice((2, 3))
        return {"type": "max pool", "k": k, "s": 2, "p": 0, "d": 1}
    k = draw.choice((3, 5, 7) if difficulty == "easy" else (1, 3, 3, 5, 7))
    d = draw.choice((1, 2)) if difficulty == "hard" and k > 1 else 1
    s = 2 if strided else 1
    return {"type": "conv", "k": k, "s": s, "p": d * (k - 1) // 2, "d": d}


def grow(layers, own_stride: bool = False, dilation: bool = True):
    """Receptive field and jump after each layer. The flags reproduce two common mistakes."""
    r, j = 1, 1
    fields, jumps = [], []
    for layer in layers:
        d = layer["d"] if dilation else 1
        step = j * layer["s"] if own_stride else j
        r += d * (layer["k"] - 1) * step
        j *= layer["s"]
        fields.append(r)
        jumps.append(j)
    return fields, jumps


@family
class ReceptiveField(Family):
    id = "receptive-field"
    section = "cnn"
    topic = "convolution"
    title = "Receptive field of a stack of layers"

    def generate(self, draw, difficulty, convention):
        n = LAYERS[difficulty]
        # One or two downsampling layers before the last, so later kernels see a larger jump.
        strided = draw.sample(range(n - 1), 1 if difficulty == "easy" else 2)
        layers = []
        for i in range(n):  # a conv first, and never two pools in a row
            pool_allowed = 0 < i < n - 1 and layers[-1]["type"] == "conv"
            layers.append(_layer(draw, difficulty, i in strided, pool_allowed))
        for i in sorted({0, *strided}):  # a 1 × 1 first layer would open the table with a blank row
            if layers[i]["type"] == "conv" and layers[i]["k"] == 1:
                layers[i]["k"] = 3
                layers[i]["p"] = layers[i]["d"]
        if layers[-1]["k"] == 1 or layers[-1]["type"] != "conv":  # the last layer is a conv that grows r
            layers[-1] = {"type": "conv", "k": 3, "s": 1, "p": 1, "d": 1}
        if difficulty == "hard" and all(layer["d"] == 1 for layer in layers):
            last = layers[-1]
            last["d"], last["p"] = 2, last["k"] - 1
        return {"layers": layers}

    def solve(self, params):
        layers = params["layers"]
        fields, jumps = grow(layers)
        plain = [1 + sum(layer["d"] * (layer["k"] - 1) for layer in layers[: i + 1]) for i in range(len(layers))]
        own, _ = grow(layers, own_stride=True)
        no_dil, _ = grow(layers, dilation=False)
        work = {"fields": fields, "jumps": [1] + jumps}
        if len(layers) == 3:  # easy: the final receptive field only
            parts = [number_part("a", fields[-1], 3, tolerance=0, mistakes={
                "ignored the strides (added K − 1 per layer)": plain[-1],
                "scaled by the jump after the layer instead of before it": own[-1],
            })]
        else:
            vector_mistakes = {
                "ignored the strides (added K − 1 per layer)": plain,
                "scaled by the jump after the layer instead of before it": own,
            }
            if any(layer["d"] > 1 for layer in layers):
                vector_mistakes["ignored the dilation"] = no_dil
            parts = [vector_part("a", fields, 4, tolerance=0, mistakes=vector_mistakes)]
        parts.append(number_part("b", jumps[-1], 1, tolerance=0, mistakes={
            "added the strides instead of multiplying them": sum(layer["s"] for layer in layers),
        }))
        if len(layers) == 5:
            parts.append(number_part("c", 2 * jumps[-1], 2, tolerance=0, depends_on=["b"], mistakes={
                "added K − 1 = 2 without the jump": 2,
                "multiplied by the kernel size instead of K − 1": 3 * jumps[-1],
            }))
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """Part c from the student's jump (part b)."""
        if len(params["layers"]) == 5 and "b" in given:
            return {"c": 2 * given["b"]}
        return {}
