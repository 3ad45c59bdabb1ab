"""ResNet basic vs bottleneck blocks: parameter counts, with batch norm, and a downsampling block."""

from __future__ import annotations

from ..core.registry import Family, Solution, family
from ..kit.solver import number_part, shape_part

# Inner widths m (the block's width is C = 4m, as in ResNet-50's bottlenecks): multiples of 4 up
# to 60, then of 8 up to 256 (C = 1024; every count stays within 8 digits).
INNER_WIDTHS = tuple(range(8, 64, 4)) + tuple(range(64, 257, 8))
SIZES = (7, 14, 28, 56)  # feature-map sides; H and W are drawn apart (non-square inputs too)


def basic(c: int, bn: bool) -> int:
    """Two 3×3 convs C → C (no conv biases: batch norm follows), each followed by BN (γ, β)."""
    return 2 * 9 * c * c + (2 * 2 * c if bn else 0)


def bottleneck(c: int, m: int, bn: bool) -> int:
    """1×1 C → m, 3×3 m → m, 1×1 m → C, each followed by BN."""
    return c * m + 9 * m * m + m * c + (2 * (m + m + c) if bn else 0)


def downsampling(c: int) -> int:
    """3×3 stride-2 conv C → 2C, 3×3 conv 2C → 2C, 1×1 stride-2 projection C → 2C, each with BN."""
    return 9 * c * 2 * c + 9 * (2 * c) ** 2 + c * 2 * c + 3 * 2 * (2 * c)


@family
class ResnetBlocks(Family):
    id = "resnet-blocks"
    section = "vision"
    topic = "architectures"
    title = "ResNet basic and bottleneck blocks"
    version = 2  # 2: 39 inner widths, H and W apart (issue 10: 300+ distinct per 1,000 seeds)

    def generate(self, draw, difficulty, convention):
        m = draw.choice(INNER_WIDTHS)
        params = {"c": 4 * m, "m": m, "batch_norm": difficulty != "easy"}
        params["h"], params["w"] = draw.choice(SIZES), draw.choice(SIZES)
        if difficulty == "hard":
            params["c_down"] = params["c"]  # the downsampling block takes this stage's channels
            params["h_down"] = draw.choice((16, 28, 32, 56, 64, 112))
        return params

    def solve(self, params):
        c, m, bn = params["c"], params["m"], params["batch_norm"]
        a = basic(c, bn)
        b = bottleneck(c, m, bn)
        a_mistakes = {
            "counted one 3×3 conv (and its batch norm) only": a // 2,
            "gave the convolutions biases": a + 2 * c,
            "counted the 3×3 kernels as 3 weights": 2 * 3 * c * c + (4 * c if bn else 0),
        }
        b_mistakes = {
            "made the last 1×1 conv output m channels": c * m + 9 * m * m + m * m + (2 * 3 * m if bn else 0),
            "used 3×3 kernels for the 1×1 convs too": 9 * (c * m + m * m + m * c) + (2 * (2 * m + c) if bn else 0),
            "gave the convolutions biases": b + 2 * m + c,
        }
        if bn:
            a_mistakes["forgot the batch-norm parameters"] = basic(c, False)
            a_mistakes["counted the running mean and variance as parameters"] = basic(c, False) + 8 * c
            b_mistakes["forgot the batch-norm parameters"] = bottleneck(c, m, False)
        parts = [
            number_part("a", a, 2, tolerance=0, mistakes=a_mistakes),
            number_part("b", b, 2, tolerance=0, mistakes=b_mistakes),
        ]
        work = {"a_conv": 18 * c * c, "b_conv": [c * m, 9 * m * m, m * c], "ratio": a / b}
        if "h" in params:
            parts.append(shape_part("c", [m, params["h"], params["w"]], 1, mistakes={
                "kept the block's width: the 1×1 conv reduces the channels": [c, params["h"], params["w"]],
            }))
        if "c_down" in params:
            cd, hd = params["c_down"], params["h_down"]
            down = downsampling(cd)
            parts.append(number_part("d", down, 3, tolerance=0, mistakes={
                "forgot the projection shortcut": down - cd * 2 * cd - 2 * 2 * cd,
                "gave the projection shortcut a 3×3 kernel": down + 8 * cd * 2 * cd,
                "forgot the batch-norm parameters": down - 3 * 2 * 2 * cd,
                "kept C channels in the first conv": 9 * cd * cd + 9 * cd * 2 * cd + cd * 2 * cd + 2 * cd + 2 * 2 * 2 * cd,
            }))
            parts.append(shape_part("e", [2 * cd, hd // 2, hd // 2], 1, mistakes={
                "forgot that stride 2 halves the size": [2 * cd, hd, hd],
                "kept the channel count": [cd, hd // 2, hd // 2],
            }))
            work.update(d_terms=[9 * cd * 2 * cd, 9 * (2 * cd) ** 2, cd * 2 * cd, 12 * cd])
        return Solution(parts=parts, work=work)
