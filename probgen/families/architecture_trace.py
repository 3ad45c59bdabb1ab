"""Trace a small named CNN layer by layer: feature-map sizes, receptive fields, parameters."""

from __future__ import annotations

from ..core.registry import Family, Solution, family
from ..kit.solver import number_part, shape_part, vector_part

ARCHITECTURES = {"easy": ("LeNet-style", "VGG-style"),
                 "medium": ("LeNet-style", "VGG-style", "ResNet stem"),
                 "hard": ("ResNet stem", "AlexNet-style")}


def conv(name, k, s, p, c):
    return {"name": name, "type": "conv", "k": k, "s": s, "p": p, "c": c}


def pool(name, k, s, p=0):
    return {"name": name, "type": "max pool", "k": k, "s": s, "p": p}


def _build(draw, arch, difficulty):
    """(input channels, input side, layers); sides chosen so every size is a whole number
    (built backwards from the final size), except AlexNet-style, where the floor matters.
    Grey-scale (1 channel) or colour (3) inputs throughout."""
    c_in = draw.choice((1, 3))
    if arch == "LeNet-style":
        c1, c2 = draw.choice((4, 6, 8, 10)), draw.choice((12, 16, 20, 24))
        k1, k2 = draw.choice((3, 5)), draw.choice((3, 5))
        final = draw.integer(3, 7)
        side = 2 * (2 * final + k2 - 1) + k1 - 1
        return c_in, side, [conv("conv1", k1, 1, 0, c1), pool("pool1", 2, 2), conv("conv2", k2, 1, 0, c2),
                            pool("pool2", 2, 2)]
    if arch == "VGG-style":
        blocks = 2 if difficulty == "easy" else draw.choice((2, 3))
        width = draw.choice((8, 16, 32, 64))
        layers, n = [], 0
        for b in range(blocks):
            for _ in range(draw.choice((1, 2))):  # one or two 3×3 convs per block
                n += 1
                layers.append(conv(f"conv{n}", 3, 1, 1, width * 2 ** b))
            layers.append(pool(f"pool{b + 1}", 2, 2))
        return c_in, draw.choice((32, 48, 64, 80, 96, 112, 128, 160, 224)), layers
    if arch == "ResNet stem":
        c1, k = draw.choice((16, 32, 48, 64)), draw.choice((3, 5, 7))
        layers = [conv("conv1", k, 2, k // 2, c1), pool("pool1", 3, 2, 1)]
        layers += [conv(f"conv{i}", 3, 1, 1, c1) for i in range(2, 2 + draw.choice((1, 2, 3)))]
        return c_in, draw.choice((64, 80, 96, 112, 128, 160, 192, 224)), layers
    c1, k, k2 = draw.choice((32, 48, 64, 96)), draw.choice((7, 9, 11)), draw.choice((3, 5))
    return c_in, draw.choice((96, 100, 112, 120, 128, 150, 160, 192, 200, 224, 227)), [
        conv("conv1", k, 4, 2, c1), pool("pool1", 3, 2), conv("conv2", k2, 1, k2 // 2, 2 * c1), pool("pool2", 3, 2),
        conv("conv3", 3, 1, 1, 4 * c1)]


def trace(side, layers, pad=True, stride=True, round_up=False):
    """Side after each layer. The flags reproduce the mistakes: no padding, no strides, ceil."""
    sides = []
    for layer in layers:
        p = layer["p"] if pad else 0
        s = layer["s"] if stride else 1
        span = side + 2 * p - layer["k"]
        side = (-(-span // s) if round_up else span // s) + 1
        sides.append(side)
    return sides


def receptive(layers, own_stride=False):
    r, j, out = 1, 1, []
    for layer in layers:
        r += (layer["k"] - 1) * (j * layer["s"] if own_stride else j)
        j *= layer["s"]
        out.append(r)
    return out


@family
class ArchitectureTrace(Family):
    id = "architecture-trace"
    section = "vision"
    topic = "architectures"
    title = "Tracing a small CNN architecture"
    version = 2  # 2: a wider space of instances (issue 10: at least 300 distinct per 1,000 seeds)

    def generate(self, draw, difficulty, convention):
        arch = draw.choice(ARCHITECTURES[difficulty])
        c_in, side, layers = _build(draw, arch, difficulty)
        return {"architecture": arch, "c_in": c_in, "side": side, "layers": layers, "level": difficulty}

    def solve(self, params):
        layers, side, c_in = params["layers"], params["side"], params["c_in"]
        level = params["level"]  # how much is asked: easy, medium or hard
        sides = trace(side, layers)
        channels = [layer["c"] for layer in layers if layer["type"] == "conv"][-1]
        fields = receptive(layers)
        size_mistakes = {"ignored the strides": trace(side, layers, stride=False)}
        no_pad = trace(side, layers, pad=False)
        if all(v > 0 for v in no_pad):
            size_mistakes["forgot the padding"] = no_pad
        size_mistakes["rounded up instead of down"] = trace(side, layers, round_up=True)
        parts = [
            vector_part("a", sides, 3, tolerance=0, mistakes=size_mistakes),
            shape_part("b", [channels, sides[-1], sides[-1]], 1, mistakes={
                "kept the input channel count": [c_in, sides[-1], sides[-1]],
                "used the first conv's channel count": [layers[0]["c"], sides[-1], sides[-1]],
            }),
        ]
        plain = [1 + sum(layer["k"] - 1 for layer in layers[: i + 1]) for i in range(len(layers))]
        # two recurrences per layer, r ← r + (K − 1) j and j ← j S (3 operations), each its own rule
        field_ops = {"arith": 3 * len(layers), "step": 2}
        if level == "easy":
            parts.append(number_part("c", fields[-1], 2, tolerance=0, mistakes={
                "ignored the strides (added K − 1 per layer)": plain[-1],
                "scaled by the jump after the layer instead of before it": receptive(layers, own_stride=True)[-1],
            }, ops=field_ops))
        else:
            parts.append(vector_part("c", fields, 3, tolerance=0, mistakes={
                "ignored the strides (added K − 1 per layer)": plain,
                "scaled by the jump after the layer instead of before it": receptive(layers, own_stride=True),
            }, ops=field_ops))
        work = {"sides": [side] + sides, "fields": [1] + fields, "jumps": _jumps(layers), "channels": channels}
        flat = channels * sides[-1] ** 2
        if level == "hard":
            weights, biases, ins = 0, 0, c_in
            rows = []
            for layer in layers:
                if layer["type"] == "conv":
                    w = layer["k"] ** 2 * ins * layer["c"]
                    rows.append((layer["name"], layer["k"], ins, layer["c"], w, w + layer["c"]))
                    weights += w
                    biases += layer["c"]
                    ins = layer["c"]
            work["param_rows"] = rows
            parts.append(number_part("d", weights + biases, 3, tolerance=0, mistakes={
                "forgot the biases": weights,
                "forgot the input channels": sum(r[1] ** 2 * r[3] + r[3] for r in rows),
            }))
        if level != "easy":
            parts.append(number_part("e" if level == "hard" else "d", flat, 1, tolerance=0, mistakes={
                "forgot the channels": sides[-1] ** 2,
                "used one side instead of H·W": channels * sides[-1],
            }))
        work["flat"] = flat
        return Solution(parts=parts, work=work)


def _jumps(layers):
    j, out = 1, [1]
    for layer in layers:
        j *= layer["s"]
        out.append(j)
    return out
