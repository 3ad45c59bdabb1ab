"""A numeric 2-D convolution (cross-correlation, as in deep-learning libraries) by hand."""

from __future__ import annotations

from ..core.registry import Family, Solution, family
from ..kit.solver import matrix_part, shape_part

# (input size, kernel size, stride, padding). Easy and medium: 36 products (4 windows of 3 × 3 or
# 9 of 2 × 2), at most 9 outputs; hard: 81 (9 windows of 3 × 3) or 64 (16 windows of 2 × 2, so
# the output shape is not always 3 × 3) and a ReLU, so every hard instance is more work than
# every medium one (a 2 × 2 hard output next to a 3 × 3 medium one read as an inverted
# difficulty, TA defect 14).
SETUPS = {
    "easy": ((4, 2, 1, 0), (4, 3, 1, 0), (5, 3, 2, 0)),
    "medium": ((5, 3, 2, 0), (4, 3, 1, 0), (4, 2, 2, 1), (5, 2, 2, 1)),
    "hard": ((5, 3, 2, 1), (5, 3, 1, 0), (6, 3, 2, 1), (5, 2, 1, 0), (6, 2, 2, 1)),
}
MAX_OUTPUT = 40
MAX_DRAWS = 20


def correlate(x, kernel, stride: int, pad: int, bias: int = 0):
    """Cross-correlation with zero padding, in plain integers."""
    n, k = len(x), len(kernel)
    padded = [[0] * (n + 2 * pad) for _ in range(n + 2 * pad)]
    for i, row in enumerate(x):
        padded[i + pad][pad:pad + n] = row
    size = (n + 2 * pad - k) // stride + 1
    return [[bias + sum(padded[r * stride + a][c * stride + b] * kernel[a][b] for a in range(k) for b in range(k))
             for c in range(size)] for r in range(size)]


def flip(kernel):
    return [row[::-1] for row in kernel[::-1]]


@family
class Conv2dNumeric(Family):
    id = "conv2d-numeric"
    section = "cnn"
    topic = "convolution"
    title = "A 2-D convolution by hand"
    version = 2  # 2: hard always has 9 windows of 3 × 3, medium 36 products

    def generate(self, draw, difficulty, convention):
        n, k, s, p = draw.choice(SETUPS[difficulty])
        lo, hi = (0, 4) if difficulty == "easy" else (-2, 3)
        for _ in range(MAX_DRAWS):  # outputs of at most MAX_OUTPUT in size: sums a person adds in their head
            x = [[draw.integer(lo, hi) for _ in range(n)] for _ in range(n)]
            kernel = [[draw.integer(-1, 2) for _ in range(k)] for _ in range(k)]
            if kernel == flip(kernel):  # make true convolution differ from cross-correlation
                kernel[0][0] = 1 if kernel[0][0] != 1 else -1
            if all(v >= 0 for row in kernel for v in row):  # at least one negative weight
                kernel[k - 1][0] = -1
            if max(abs(v) for row in correlate(x, kernel, s, p) for v in row) <= MAX_OUTPUT:
                break
        params = {"x": x, "kernel": kernel, "s": s, "p": p}
        if difficulty == "medium":
            params["bias"] = draw.choice((-3, -2, -1, 1, 2, 3))
        elif difficulty == "hard":
            # A bias in the middle of the pre-activations, so the ReLU zeroes some outputs and keeps others.
            z = sorted({v for row in correlate(x, kernel, s, p) for v in row})
            params["bias"] = -z[(len(z) - 1) // 2] if len(z) > 1 else draw.choice((-1, 1))
            params["relu"] = True
        return params

    def solve(self, params):
        x, kernel, s, p = params["x"], params["kernel"], params["s"], params["p"]
        bias = params.get("bias", 0)
        out = correlate(x, kernel, s, p, bias)
        size = len(out)
        unpadded_size = (len(x) - len(kernel)) // s + 1
        mistakes = {
            "flipped the kernel (true convolution, not the cross-correlation the layer computes)":
                correlate(x, flip(kernel), s, p, bias),
        }
        if bias:
            mistakes["forgot the bias"] = correlate(x, kernel, s, p)
        if s > 1:
            mistakes["ignored the stride"] = correlate(x, kernel, 1, p, bias)
        if p > 0:
            mistakes["ignored the padding"] = correlate(x, kernel, s, 0, bias)
        shape_mistakes = {"forgot the + 1": [size - 1, size - 1]}
        if p:
            shape_mistakes["ignored the padding"] = [unpadded_size, unpadded_size]
        if s > 1:
            shape_mistakes["ignored the stride"] = [len(x) + 2 * p - len(kernel) + 1] * 2
        parts = [
            shape_part("a", [size, size], 1, mistakes=shape_mistakes),
            # each output: k² products and k² − 1 sums (+ the bias)
            matrix_part("b", out, 4, tolerance=0, mistakes=mistakes,
                        ops={"int": size * size * (2 * len(kernel) ** 2 - 1 + (1 if bias else 0))}),
        ]
        n_pad = len(x) + 2 * p
        padded = [[0] * n_pad for _ in range(n_pad)]
        for i, row in enumerate(x):
            padded[i + p][p:p + len(x)] = row
        k = len(kernel)
        first = [(padded[a][b], kernel[a][b]) for a in range(k) for b in range(k)]
        # every output's window: its nonzero products (a student with one wrong entry finds it here)
        windows = []
        for r in range(size):
            for c in range(size):
                terms = [(padded[r * s + a][c * s + b], kernel[a][b]) for a in range(k) for b in range(k)
                         if padded[r * s + a][c * s + b] and kernel[a][b]]
                windows.append({"row": r + 1, "col": c + 1, "terms": terms, "value": out[r][c]})
        work = {"padded": padded, "out": out, "first_terms": first, "size": size, "windows": windows}
        if params.get("relu"):
            relu = [[max(v, 0) for v in row] for row in out]
            parts.append(matrix_part("c", relu, 2, tolerance=0, depends_on=["b"], ops={"int": size * size}, mistakes={
                "applied the ReLU before adding the bias": [[max(v - bias, 0) + bias for v in row] for row in out],
                "zeroed the positive values instead of the negative ones": [[min(v, 0) for v in row] for row in out],
            }))
            work["relu"] = relu
        return Solution(parts=parts, work=work)

    def follow_on(self, params, given):
        """The ReLU (part c, hard) of the student's own output matrix (part b)."""
        if params.get("relu") and "b" in given:
            return {"c": [[max(v, 0) for v in row] for row in given["b"]]}
        return {}

