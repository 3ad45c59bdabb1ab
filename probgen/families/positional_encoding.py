"""Sinusoidal positional encoding (Vaswani et al.):

    PE(pos, 2i) = sin(pos / 10000^(2i/d_model)),   PE(pos, 2i+1) = cos(pos / 10000^(2i/d_model)).

Dimensions are chosen at 2i/d_model in {0, 1/4, 1/2}, so the divisor 10000^(2i/d_model) is 1, 10
or 100 and every angle pos / divisor is a short decimal number of radians."""

from __future__ import annotations

import math

from ..core.lazy import sympy as sp
from ..core.numfmt import tnum
from ..core.registry import Family, Solution, family
from ..kit.solver import exact, number_part, vector_part

D_MODELS = {"easy": (8, 16, 32), "medium": (64, 128, 256), "hard": (128, 256, 512)}
# Positions and the divisors (powers of ten) that keep pos / divisor in [0.2, 6] radians.
POSITIONS = {2: (1, 10), 3: (1, 10), 4: (1, 10), 5: (1, 10), 6: (1, 10),
             20: (10, 100), 25: (10, 100), 30: (10, 100), 35: (10, 100), 40: (10, 100), 45: (10, 100),
             50: (10, 100), 55: (10, 100), 60: (10, 100)}
TOY_POSITIONS = (1, 2, 3, 4, 5, 6)


def angle(pos: int, dim: int, d_model: int):
    """pos / 10000^(2i/d_model) for column `dim` (2i = dim rounded down to even), exactly."""
    return sp.Rational(pos) / sp.Integer(10000) ** sp.Rational(dim - dim % 2, d_model)


def degrees(x: float) -> float:
    """What a calculator in degree mode does to an angle meant in radians (mistakes are plain
    floats: evaluating them symbolically would cost more than the whole problem)."""
    return math.radians(float(x))


def dot_rounding_range(p: int, q: int) -> list[float]:
    """[low, high]: every value of PE(p)·PE(q) (d_model = 4) a student reaches with each sine,
    cosine, product and sum written to 3 significant figures, either as the sum of the eight
    products or as cos(p − q) + cos((p − q)/100). The sum can cancel (p − q = ±3 gives 0.00956,
    and 3 figures at each step give 0.01): this range is the tolerance's absolute floor."""
    from ..kit.rounding import Rounded

    def term(value: float) -> Rounded:  # a value the student works out and may round
        return Rounded(value) + 0

    pe_p = [term(f(p)) for f in (math.sin, math.cos)] + [term(f(p / 100)) for f in (math.sin, math.cos)]
    pe_q = [term(f(q)) for f in (math.sin, math.cos)] + [term(f(q / 100)) for f in (math.sin, math.cos)]
    products = sum((a * b for a, b in zip(pe_p, pe_q)), Rounded(0.0))
    identity = term(math.cos(p - q)) + term(math.cos((p - q) / 100))
    return [min(products.lo, identity.lo), max(products.hi, identity.hi)]


@family
class PositionalEncoding(Family):
    id = "positional-encoding"
    section = "nlp"
    topic = "transformers"
    title = "Sinusoidal positional encoding"

    def generate(self, draw, difficulty, convention):
        d_model = draw.choice(D_MODELS[difficulty])
        pos = draw.choice(sorted(POSITIONS))
        divisors = list(POSITIONS[pos])
        draw.shuffle(divisors)  # which of the two frequencies gets the sine column
        quarter = {1: 0, 10: 1, 100: 2}  # divisor 10^k sits at 2i = k * d_model / 4
        dim_sin = quarter[divisors[0]] * d_model // 4
        dim_cos = quarter[divisors[1]] * d_model // 4 + 1
        params = {"d_model": d_model, "pos": pos, "dim_sin": dim_sin, "dim_cos": dim_cos}
        if difficulty == "hard":
            p, q = draw.sample(TOY_POSITIONS, 2)
            params["toy_p"], params["toy_q"] = p, q
        return params

    def solve(self, params):
        d, pos = params["d_model"], params["pos"]
        js, jc = params["dim_sin"], params["dim_cos"]
        a_sin, a_cos = angle(pos, js, d), angle(pos, jc, d)
        fs, fc = float(a_sin), float(a_cos)
        # The column index mistaken for i: exponent 2j/d instead of 2i/d (j itself for both columns).
        wrong_sin = pos / 10000 ** (2 * js / d)
        wrong_cos = pos / 10000 ** (2 * jc / d)
        parts = [
            number_part("a", sp.sin(a_sin), 2, mistakes={
                "calculator in degrees, not radians": math.sin(degrees(fs)),
                "used cosine for an even column": math.cos(fs),
                "used the column index j as i in the exponent (10000^(2j/d))": math.sin(wrong_sin),
            }),
            number_part("b", sp.cos(a_cos), 2, mistakes={
                "calculator in degrees, not radians": math.cos(degrees(fc)),
                "used sine for an odd column": math.sin(fc),
                "used the column index j as i in the exponent (10000^(2j/d))": math.cos(wrong_cos),
                "used 2i = j for the odd column (exponent j/d, not (j−1)/d)": math.cos(pos / 10000 ** (jc / d)),
            }),
        ]
        # the closed form with the angle as the decimal a student reads (sin(5.5), not sin(11/2));
        # the exact value stays sin(11/2) (core.build shows it only where it says something)
        parts[0].latex = rf"\sin({tnum(fs)})"
        parts[1].latex = rf"\cos({tnum(fc)})"
        work = {"a_sin": a_sin, "a_cos": a_cos, "div_sin": pos / a_sin, "div_cos": pos / a_cos,
                "i_sin": js // 2, "i_cos": (jc - 1) // 2}
        if d < 64:  # easy problems (d_model 8, 16 or 32): the two values only
            return Solution(parts=parts, work=work)
        wavelength = 2 * sp.pi * work["div_sin"]
        parts.append(number_part("c", wavelength, 1, mistakes={
            "gave the angular frequency 1/10000^(2i/d) instead of the wavelength": 1 / work["div_sin"],
            "forgot the factor 2π": work["div_sin"],
        }))
        if "toy_p" in params:
            p, q = params["toy_p"], params["toy_q"]
            toy = [sp.sin(exact(p)), sp.cos(exact(p)), sp.sin(sp.Rational(p, 100)), sp.cos(sp.Rational(p, 100))]
            x, y = degrees(p), degrees(p / 100)
            parts.append(vector_part("d", toy, 2, mistakes={
                "calculator in degrees, not radians": [math.sin(x), math.cos(x), math.sin(y), math.cos(y)],
                "put sin and cos in the wrong columns": [toy[1], toy[0], toy[3], toy[2]],
            }))
            delta = p - q
            dot = sp.cos(exact(delta)) + sp.cos(sp.Rational(delta, 100))
            parts.append(number_part("e", dot, 2, mistakes={
                "calculator in degrees, not radians": math.cos(degrees(delta)) + math.cos(degrees(delta / 100)),
                "added the positions' angles instead of subtracting": math.cos(p + q) + math.cos((p + q) / 100),
            }))
            parts[-1].accepted = dot_rounding_range(p, q)
            work.update(toy=toy, delta=delta)
        return Solution(parts=parts, work=work)
