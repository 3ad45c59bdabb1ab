"""Issue 15: the tolerance model, named mistakes and ε = 10⁻⁸, reproduced as fixed.

Expected values are computed here by hand from the problem's params (not read from the key)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from probgen.core.build import build_problem
from probgen.core.registry import get_family
from probgen.core.tolerance import accepted_range, accepts, mistake_scores, range_text
from probgen.grading.judge import CORRECT, PARTLY, ROUNDED, WRONG, grade_problem
from probgen.kit.rounding import Rounded
from rounding_student import rounding_student


def grade(family, seed, difficulty, answers, convention=None):
    problem = build_problem(family, seed, difficulty, convention)
    return {r.key: r for r in grade_problem(problem, 1, answers, get_family(family)).parts}


# ------------------------------------------------------------------ rounding at every step

def test_rounding_every_step_to_3_figures_scores():
    # adaptive-trace seed 64 medium (course RMSProp, ε left out): w0 = [-1, 0.5], α = 0.5, β = 0.84,
    # g1 = [1.75, 0.75], g2 = [-3.5, -0.5]. Exactly: v1 = [0.49, 0.09], w1 = [-2.25, -0.75],
    # v2 = [2.3716, 0.1156], w2[1] = -0.75 + 0.25/0.34 = -1/68 = -0.0147. The rounding student of
    # test_grading_rounding writes v2[1] = 0.116 and from it w2[1] = -0.75 + 0.25/√0.116
    # = -0.75 + 0.734 = -0.016 (w2[0] = -2.25 + 1.75/√2.37 = -1.11): 9% off (a cancellation)
    problem = build_problem("adaptive-trace", 64, "medium", "course")
    p = problem.params
    assert (p["method"], p["lr"], p["beta"], p["w0"]) == ("rmsprop", 0.5, 0.84, [-1.0, 0.5])
    assert p["grads"] == [[1.75, 0.75], [-3.5, -0.5]]
    answers = rounding_student(problem, get_family("adaptive-trace"))
    assert answers == {"a": "[0.49, 0.09]", "b": "[-2.25, -0.75]", "c": "[2.37, 0.116]", "d": "[-1.11, -0.016]"}
    assert abs(-0.016 - (-1 / 68)) > 0.05 / 68  # over 5% off: outside the 1% rule, inside the propagated rounding range
    results = grade("adaptive-trace", 64, "medium", answers, "course")
    assert [results[k].verdict for k in "cd"] == [ROUNDED] * 2, [results[k].message for k in "abcd"]
    assert all(results[k].verdict in (CORRECT, ROUNDED) for k in "ab")
    # ... but a value off by more than any rounding of the work is still wrong
    assert grade("adaptive-trace", 64, "medium", {"d": "[-1.11, -0.012]"}, "course")["d"].verdict == PARTLY


def test_a_cancellation_near_zero_accepts_zero():
    # θ = 0.5 − 0.5·g/√(v + ε) with g = 1, v = 1, ε = 10⁻⁸: exactly 2.5e-9, a cancellation
    theta = Rounded(0.5) - Rounded(0.5) * Rounded(1.0) / (Rounded(1.0) + Rounded(1e-8)).sqrt()
    ref = 0.5 - 0.5 / math.sqrt(1 + 1e-8)
    rng = accepted_range(ref, 0.01, (theta.lo, theta.hi))
    assert accepts(0.0, ref, 0.01, rng) and accepts(ref, ref, 0.01, rng) == "exact"
    assert not accepts(0.01, ref, 0.01, rng) and not accepts(-0.01, ref, 0.01, rng)
    assert not accepts(0.0, ref, 0.01)  # the relative rule alone would refuse it


def test_an_already_short_intermediate_is_not_widened():
    assert (1 - Rounded(0.99)).lo == pytest.approx(0.01) and (1 - Rounded(0.99)).hi == pytest.approx(0.01)
    third = Rounded(1.0) / Rounded(3.0)  # 0.3333… may be written 0.333
    assert third.lo == pytest.approx(0.333) and third.hi == pytest.approx(1 / 3)


def test_keys_carry_each_entrys_accepted_range():
    # adaptive-trace seed 64 medium: w2[1] = -1/68 (see the test above); 3-figure work gives -0.017
    problem = build_problem("adaptive-trace", 64, "medium", "course")
    d = problem.part("d")
    lo, hi = d.accepted[1]
    assert lo <= -1 / 68 <= hi and lo <= -0.017 <= hi
    assert not lo <= -0.012 <= hi and not lo <= -0.02 <= hi
    assert range_text([lo, hi]).startswith("-0.017")
    exact = build_problem("image-input", 1, "hard").part("a")
    assert exact.tolerance == 0 and exact.accepted[1] - exact.accepted[0] <= 2.01e-9 * exact.answer


# ------------------------------------------------------------------ ε = 10⁻⁸

def test_negligible_epsilon_is_left_out_of_key_and_grader():
    problem = build_problem("adam-trace", 7, "easy")
    assert problem.params["eps"] == 1e-8 and "leave it out" in problem.statement
    e = problem.part("e")
    # AdamW, course: θ1 = θ0 − η(α·m̂/√v̂ + λθ0), with √v̂ = |g| so α·m̂/√v̂ = α·sign(g)
    p = problem.params
    g = p["grads"][0][0]
    expected = p["w0"][0] - p["eta"] * (p["lr"] * math.copysign(1, g) + p["weight_decay"] * p["w0"][0])
    assert e.answer == pytest.approx(expected, rel=1e-12) and Fraction(e.exact) == Fraction(str(expected))
    assert grade("adam-trace", 7, "easy", {"e": f"{expected:.3g}"})["e"].verdict == CORRECT
    assert not any("ε inside the root" in m.name for m in e.misconceptions)  # no difference here


# ------------------------------------------------------------------ every named mistake kept

def test_equal_mistakes_keep_both_names():
    # backprop-chain seed 0 easy: x = 2u + 1, y = u², z = x + y at u = 0.5, so dz/du = 2 + 2u = 3.
    # Forgetting ∂x/∂u (using 1) gives 1 + 2u = 2; dropping the path u → y → z gives 2 too.
    problem = build_problem("backprop-chain", 0, "easy")
    assert all(line in problem.statement for line in ("$x = 2u + 1$", "$y = u^{2}$", "$z = x + y$",
                                                   "$u = 0.5$"))
    u = 0.5
    assert problem.part("c").answer == 2 + 2 * u
    r = grade("backprop-chain", 0, "easy", {"c": str(1 + 2 * u)})["c"]
    assert r.verdict == WRONG and 1 + 2 * u == 2
    names = {r.mistake, *r.also_mistakes}
    assert "forgot the local derivative ∂x/∂u (used 1)" in names
    assert "missed the path u → y → z" in names


def test_a_mistake_just_over_one_percent_away_is_named():
    # adaptive-trace seed 32 easy (PyTorch Adagrad): w0 = -0.5, v0 = 0.5625, g = 0.4, α = 0.2, ε = 0.2,
    # so v1 = 0.7225 and w1 = -0.5 - 0.08/(0.85 + 0.2) = -0.57619; ε inside the root gives
    # -0.5 - 0.08/√0.9225 = -0.58329, 1.2% away. (The course's ε is now 10⁻⁸: no placement mistake.)
    p = build_problem("adaptive-trace", 32, "easy", "pytorch").params
    assert (p["method"], p["w0"], p["v0"], p["grads"], p["lr"], p["eps"]) == ("adagrad", [-0.5], [0.5625], [[0.4]], 0.2, 0.2)
    r = grade("adaptive-trace", 32, "easy", {"b": "-0.5833"}, "pytorch")["b"]
    assert r.verdict == WRONG and r.mistake.startswith("ε inside the root")


def test_the_closest_mistake_is_named_first_and_every_match_is_named():
    # adam-trace seed 1553 easy (course AdamW): θ0 = -1, g1 = -3.1, α = 0.2, β1 = 0.8, β2 = 0.9,
    # λ = 0.1, η = 1, ε = 10⁻⁸ left out. Right: θ1 = -1 - (α·sign(g) + λθ0) = -0.7. Decay multiplied
    # by α: -1 - (α·sign(g) + αλθ0) = -0.78. Adam without bias correction: m = 0.2·g, v = 0.1·g²,
    # -1 - (α·m/√v + λθ0) = -0.7735, within 1% of -0.78: both are named, the exact one first
    problem = build_problem("adam-trace", 1553, "easy", "course")
    p = problem.params
    assert (p["method"], p["lr"], p["beta1"], p["beta2"], p["weight_decay"], p["eta"], p["eps"], p["w0"],
            p["grads"]) == ("adamw", 0.2, 0.8, 0.9, 0.1, 1, 1e-8, [-1.0], [[-3.1]])
    g, t0 = -3.1, -1.0
    decay_times_lr = t0 - (0.2 * -1 + 0.2 * 0.1 * t0)
    no_bias = t0 - (0.2 * (0.2 * g) / math.sqrt(0.1 * g * g) + 0.1 * t0)
    assert decay_times_lr == pytest.approx(-0.78) and abs(no_bias - decay_times_lr) < 0.01 * 0.78
    r = grade("adam-trace", 1553, "easy", {"e": "-0.78"}, "course")["e"]
    assert r.mistake.startswith("weight decay multiplied by the learning rate")
    assert any(n.startswith("Adam without bias correction") for n in r.also_mistakes)


def test_layer_norm_names_the_count_it_divides_by():
    names = set()
    for seed, difficulty in [(s, d) for s in range(30) for d in ("easy", "hard")]:
        problem = build_problem("normalization", seed, difficulty)
        for part in problem.parts:
            names |= {(problem.params["numeric"], m.name) for m in part.misconceptions if "unbiased" in m.name}
    assert ("batch", "unbiased variance (divided by N − 1)") in names
    assert ("layer", "unbiased variance (divided by D − 1)") in names
    assert not any(kind == "layer" and "N − 1" in name for kind, name in names)


# ------------------------------------------------------------------ a wrong method never scores

def test_a_mistake_inside_the_range_is_caught():
    assert mistake_scores(1.004, 1.0, 0.01, [0.99, 1.01])  # inside: a wrong method that scores
    assert mistake_scores(0.99049, 1.0, 0.01, [0.99, 1.01])  # typed as 0.990 it scores
    assert not mistake_scores(1.0, 1.0, 0.01, [0.99, 1.01])  # exactly right: no mistake here
    assert not mistake_scores(1.02, 1.0, 0.01, [0.99, 1.01])
    assert not mistake_scores(1000.4, 1000.0, 0, [1000.0, 1000.0])  # exact part: nobody rounds it


def test_image_input_256_never_scores():
    # "divided by 256 instead of 255" landed inside the tolerance in ~7% of medium/hard instances
    for seed in range(60):
        for difficulty in ("medium", "hard"):
            problem = build_problem("image-input", seed, difficulty)
            for part in problem.parts:
                for m in part.misconceptions:
                    if "256" in m.name:
                        text = f"{float(m.value):.3g}" if part.kind == "number" else str(m.value)
                        r = grade_problem(problem, 1, {part.key: text}).parts
                        assert not next(x for x in r if x.key == part.key).full, (seed, difficulty)
