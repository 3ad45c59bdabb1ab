"""Max and average pooling on a small matrix, and where max pooling sends the gradient."""

from __future__ import annotations

from fractions import Fraction

from ..core.registry import Family, Solution, family
from ..kit.solver import matrix_part, shape_part

# (input size, window, stride)
SETUPS = {
    "easy": ((4, 2, 2), (6, 2, 2), (6, 3, 3)),
    "medium": ((4, 2, 2), (4, 2, 1)),
    "hard": ((5, 2, 2), (4, 2, 1), (5, 2, 1)),
}
MAX_DRAWS = 500  # of the input, until every window has a unique maximum


def windows(n: int, k: int, s: int):
    """Top-left corners of the pooling windows, row by row."""
    size = (n - k) // s + 1
    return [[(r * s, c * s) for c in range(size)] for r in range(size)]


def pool(x, k, s, reduce):
    return [[reduce([x[r + a][c + b] for a in range(k) for b in range(k)]) for r, c in row]
            for row in windows(len(x), k, s)]


def unique_maxima(x, k, s) -> bool:
    """Every pooling window's largest entry occurs once in it."""
    for row in windows(len(x), k, s):
        for r, c in row:
            entries = [x[r + a][c + b] for a in range(k) for b in range(k)]
            if entries.count(max(entries)) > 1:
                return False
    return True


def mean(values):
    return Fraction(sum(values), len(values))


def exact_rows(rows):
    """The pooled values as they are (ints and Fractions): the answer helpers print and convert
    Fractions exactly as SymPy Rationals, without importing SymPy."""
    return [list(row) for row in rows]


@family
class Pooling(Family):
    id = "pooling"
    section = "cnn"
    topic = "pooling"
    title = "Max and average pooling"

    def generate(self, draw, difficulty, convention):
        n, k, s = draw.choice(SETUPS[difficulty])
        if difficulty == "hard":  # distinct values: every window has one maximum to route the gradient to
            values = draw.sample(range(-12, 13), n * n)
            x = [values[i * n:(i + 1) * n] for i in range(n)]
        else:  # digits, drawn again until every window has one maximum (a tie leaves the arg-max
            # the worked table names ambiguous: TA re-rating)
            for _ in range(MAX_DRAWS):
                x = [[draw.integer(0, 9) for _ in range(n)] for _ in range(n)]
                if unique_maxima(x, k, s):
                    break
        params = {"x": x, "k": k, "s": s, "pools": ["max"] if difficulty == "easy" else ["max", "average"]}
        if difficulty == "hard":
            size = (n - k) // s + 1
            params["grad"] = [[draw.choice((-2, -1, 1, 2, 3)) for _ in range(size)] for _ in range(size)]
        return params

    def solve(self, params):
        x, k, s = params["x"], params["k"], params["s"]
        n = len(x)
        size = (n - k) // s + 1
        maxed = pool(x, k, s, max)
        averaged = pool(x, k, s, mean)
        shape_mistakes = {
            "kept the partial window at the edge (rounded up)": [-(-(n - k) // s) + 1] * 2,
            "ignored the stride": [n - k + 1] * 2,
            "forgot the + 1": [(n - k) // s] * 2,
            "divided the input size by the window size (n/k)": [n // k] * 2,
        }
        parts = [
            shape_part("a", [size, size], 1, mistakes=shape_mistakes),
            matrix_part("b", maxed, 2, tolerance=0, ops={"int": size * size * (k * k - 1)}, mistakes={
                "took the average instead of the maximum": exact_rows(averaged),
                "took the minimum": pool(x, k, s, min),
                "took the largest absolute value": pool(x, k, s, lambda v: max(v, key=abs)),
            }),
        ]
        # each window: its entries, where its maximum sits (row, column of X, from 1) and its mean
        table = []
        for i, row in enumerate(windows(n, k, s)):
            for j, (r, c) in enumerate(row):
                cells = [(r + a, c + b) for a in range(k) for b in range(k)]
                top = max(cells, key=lambda rc: x[rc[0]][rc[1]])
                table.append({"out": (i + 1, j + 1), "entries": [x[a][b] for a, b in cells],
                              "max": x[top[0]][top[1]], "at": (top[0] + 1, top[1] + 1),
                              "avg": averaged[i][j]})
        work = {"max": maxed, "avg": averaged, "size": size, "windows": windows(n, k, s), "table": table}
        if "average" in params["pools"]:
            parts.append(matrix_part("c", exact_rows(averaged), 2, ops={"int": size * size * k * k}, mistakes={
                "took the maximum instead of the average": maxed,
                "divided by the window width instead of its area": exact_rows(pool(x, k, s, lambda v: Fraction(sum(v), k))),
            }))
        if "grad" in params:
            g = params["grad"]
            routed = [[0] * n for _ in range(n)]
            spread = [[Fraction(0)] * n for _ in range(n)]
            everywhere = [[0] * n for _ in range(n)]
            for i, row in enumerate(windows(n, k, s)):
                for j, (r, c) in enumerate(row):
                    cells = [(r + a, c + b) for a in range(k) for b in range(k)]
                    top = max(cells, key=lambda rc: x[rc[0]][rc[1]])
                    routed[top[0]][top[1]] += g[i][j]
                    for a, b in cells:
                        spread[a][b] += Fraction(g[i][j], k * k)
                        everywhere[a][b] += g[i][j]
            # find each window's maximum again, route its gradient there, add where windows overlap
            parts.append(matrix_part("d", routed, 3, tolerance=0, ops={"int": size * size * (k * k + 1) + n * n}, mistakes={
                "spread the gradient evenly over the window (average pooling's rule)": exact_rows(spread),
                "sent the full gradient to every element of the window": everywhere,
            }))
            work["routed"] = routed
        return Solution(parts=parts, work=work)
