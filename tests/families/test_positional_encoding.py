"""Positional encoding against the usual NumPy construction of the whole PE table
(div_term = exp(-log(10000) * 2i / d_model), as in the PyTorch transformer tutorial)."""

import math
import re

import numpy as np
import pytest

from sweep import assert_parts_match, sweep

FAMILY = "positional-encoding"


def pe_table(max_len, d_model):
    position = np.arange(max_len)[:, None]
    div_term = np.exp(np.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
    pe = np.zeros((max_len, d_model))
    pe[:, 0::2] = np.sin(position * div_term)
    pe[:, 1::2] = np.cos(position * div_term)
    return pe, div_term


def independent(params):
    d, pos = params["d_model"], params["pos"]
    pe, div = pe_table(pos + 1, d)
    out = {"a": pe[pos, params["dim_sin"]], "b": pe[pos, params["dim_cos"]]}
    if d >= 64:
        out["c"] = 2 * math.pi / div[params["dim_sin"] // 2]
    if "toy_p" in params:
        toy, _ = pe_table(10, 4)
        out["d"] = toy[params["toy_p"]]
        out["e"] = toy[params["toy_p"]] @ toy[params["toy_q"]]
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_numpy(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        assert sorted(expected) == [p.key for p in problem.parts]
        assert_parts_match(problem, expected)


def test_angles_are_friendly():
    for _, problem in sweep(FAMILY):
        p = problem.params
        for dim in (p["dim_sin"], p["dim_cos"]):
            divisor = 10000 ** ((dim - dim % 2) / p["d_model"])
            assert min(abs(divisor - k) for k in (1, 10, 100)) < 1e-9  # a power of ten
            angle = p["pos"] / divisor
            assert 0.2 - 1e-12 <= angle <= 6 + 1e-12  # radians, neither ~0 nor many turns
        assert p["dim_sin"] % 2 == 0 and p["dim_cos"] % 2 == 1
        assert p["dim_sin"] != p["dim_cos"] - 1  # two different frequencies
        assert not math.isclose(abs(problem.part("a").answer), 1, abs_tol=1e-3)


def test_misconceptions_are_the_named_mistakes():
    seen = set()
    deg = math.pi / 180  # a calculator in degree mode multiplies the angle by this
    for _, problem in sweep(FAMILY):
        p = problem.params
        d, pos, js, jc = p["d_model"], p["pos"], p["dim_sin"], p["dim_cos"]
        angle_sin = pos / 10000 ** (js / d)
        angle_cos = pos / 10000 ** ((jc - 1) / d)
        expected = {
            ("a", "calculator in degrees, not radians"): math.sin(deg * angle_sin),
            ("a", "used cosine for an even column"): math.cos(angle_sin),
            ("a", "used the column index j as i in the exponent (10000^(2j/d))"): math.sin(pos / 10000 ** (2 * js / d)),
            ("b", "calculator in degrees, not radians"): math.cos(deg * angle_cos),
            ("b", "used sine for an odd column"): math.sin(angle_cos),
            ("b", "used the column index j as i in the exponent (10000^(2j/d))"): math.cos(pos / 10000 ** (2 * jc / d)),
            ("b", "used 2i = j for the odd column (exponent j/d, not (j−1)/d)"): math.cos(pos / 10000 ** (jc / d)),
            ("c", "forgot the factor 2π"): 10000 ** (js / d),
            ("c", "gave the angular frequency 1/10000^(2i/d) instead of the wavelength"): 10000 ** (-js / d),
        }
        if "toy_p" in p:
            a, b = p["toy_p"], p["toy_q"]
            expected.update({
                ("d", "calculator in degrees, not radians"):
                    [math.sin(deg * a), math.cos(deg * a), math.sin(deg * a / 100), math.cos(deg * a / 100)],
                ("d", "put sin and cos in the wrong columns"):
                    [math.cos(a), math.sin(a), math.cos(a / 100), math.sin(a / 100)],
                ("e", "calculator in degrees, not radians"):
                    math.cos(deg * (a - b)) + math.cos(deg * (a - b) / 100),
                ("e", "added the positions' angles instead of subtracting"): math.cos(a + b) + math.cos((a + b) / 100),
            })
        listed = {(part.key, m.name): m.value for part in problem.parts for m in part.misconceptions}
        assert set(listed) <= set(expected), (problem.seed, set(listed) - set(expected))
        for key, value in listed.items():
            np.testing.assert_allclose(value, expected[key], rtol=1e-9, err_msg=f"{problem.seed} {key}")
            seen.add(key)
    assert len(seen) == 13  # every named mistake occurs somewhere in the sweep and was checked


ARGUMENT = re.compile(r"\\(sin|cos)\(([^()]*)\)")


def test_angles_print_as_decimals():
    """TA re-rating: sin(11/2) and cos(11/20) were printed for the angles 5.5 and 0.55 rad. The
    key's closed forms and worked steps give the angle pos/10^k as a decimal, never a fraction."""
    for difficulty, problem in sweep(FAMILY):
        p = problem.params
        angles = {j: p["pos"] / 10 ** ((j - j % 2) * 4 // p["d_model"]) for j in (p["dim_sin"], p["dim_cos"])}
        for part, j, fn in ((problem.part("a"), p["dim_sin"], "sin"), (problem.part("b"), p["dim_cos"], "cos")):
            if part.latex:
                found = ARGUMENT.findall(part.latex)
                assert found and found[0][0] == fn and float(found[0][1]) == angles[j], (problem.seed, part.latex)
        steps = " ".join(s.text for s in problem.steps)
        assert "\\frac" not in steps, (problem.seed, steps)
        for fn, arg in ARGUMENT.findall(steps):
            assert "/" not in arg and "frac" not in arg, (problem.seed, fn, arg)
