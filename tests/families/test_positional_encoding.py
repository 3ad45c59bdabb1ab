"""Positional encoding against the usual NumPy construction of the whole PE table
(div_term = exp(-log(10000) * 2i / d_model), as in the PyTorch transformer tutorial)."""

import math

import numpy as np
import pytest

from sweep import sweep

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
        for part in problem.parts:
            np.testing.assert_allclose(part.answer, expected[part.key], rtol=1e-9, atol=1e-12,
                                       err_msg=f"seed {problem.seed} part {part.key}")


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
    for _, problem in sweep(FAMILY, difficulties=["hard"]):
        p = problem.params
        d, pos = p["d_model"], p["pos"]
        angle_sin = pos / 10000 ** (p["dim_sin"] / d)
        angle_cos = pos / 10000 ** ((p["dim_cos"] - 1) / d)
        expected = {
            ("a", "calculator in degrees, not radians"): math.sin(math.pi * angle_sin / 180),
            ("a", "used cosine for an even column"): math.cos(angle_sin),
            ("b", "calculator in degrees, not radians"): math.cos(math.pi * angle_cos / 180),
            ("b", "used sine for an odd column"): math.sin(angle_cos),
            ("c", "forgot the factor 2π"): 10000 ** (p["dim_sin"] / d),
            ("e", "calculator in degrees, not radians"):
                math.cos(math.pi * (p["toy_p"] - p["toy_q"]) / 180)
                + math.cos(math.pi * (p["toy_p"] - p["toy_q"]) / 18000),
        }
        for part in problem.parts:
            for m in part.misconceptions:
                if (part.key, m.name) in expected:
                    np.testing.assert_allclose(m.value, expected[part.key, m.name], rtol=1e-9)
                    seen.add((part.key, m.name))
    assert seen == set(expected)
