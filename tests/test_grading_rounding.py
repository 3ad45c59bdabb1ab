"""Issue 15: a student who rounds every intermediate result to 3 significant figures scores.

The tolerance model's absolute floor comes from carrying that rounding through the family's own
computation (probgen.core.propagate, and probgen.kit.rounding for the optimizer traces). Here a
simulated student works every computation family part by part: each part that follows from
earlier ones is computed from the student's own rounded earlier answers, and every answer is
written to 3 significant figures. Graded against the key alone (no error carried forward), every
part must earn full credit. Cases worked by hand (with every step rounded, computed here from
the problem's params) check the same for cancellations.
"""

from __future__ import annotations

import math
import os

import pytest

from probgen.core.build import build_problem
from probgen.core.registry import get_family, load_all
from probgen.grading.judge import ProblemGrader, grade_problem
from rounding_student import r3, rounding_student, typed  # noqa: F401  (shared with test_grading_tolerance)

COMPUTED = sorted(f for f in load_all() if get_family(f).style != "concept")
CI_SEEDS = 4


def seeds():
    asked = os.environ.get("PROBGEN_SWEEP_ASKED") == "1"
    return range(int(os.environ["PROBGEN_SWEEP_SEEDS"]) if asked else CI_SEEDS)


@pytest.mark.sweep
@pytest.mark.parametrize("fid", COMPUTED)
def test_a_student_who_rounds_every_step_scores(fid):
    fam = get_family(fid)
    bad = []
    for difficulty in fam.difficulties:
        for convention in fam.conventions or (None,):
            for seed in seeds():
                problem = build_problem(fid, seed, difficulty, convention)
                answers = rounding_student(problem, fam)
                grader = ProblemGrader(problem, 1, None)  # against the key alone: no carried credit
                for part in problem.parts:
                    if part.key in answers:
                        result = grader.grade(part, answers[part.key])
                        if not result.full:
                            bad.append(f"{fid} {difficulty} {convention} seed {seed} {part.key}: "
                                       f"{answers[part.key][:60]} is {result.verdict} {result.message}")
    assert not bad, f"{len(bad)} parts, e.g.:\n" + "\n".join(bad[:10])


def test_attention_output_that_cancels_accepts_the_rounded_work():
    # attention seed 0 easy: row 2 of S = QKᵀ/√4 is [0.5, 1]; V = [[3, 2], [-2, 2]]. Worked to 3
    # figures: e^0.5 = 1.65, e^1 = 2.72, sum 4.37, α = [0.378, 0.622], and the first output entry
    # 3·0.378 − 2·0.622 = −0.110 cancels: the exact −0.1123 is 2% away.
    problem = build_problem("attention", 0, "easy")
    p = problem.params
    q, k, v = p["Q"][1], p["K"], p["V"]
    assert p["token"] == 2 and not p["causal"]
    scores = [sum(a * b for a, b in zip(q, key)) / math.sqrt(len(q)) for key in k]
    assert scores == [0.5, 1.0]
    exps = [r3(math.exp(s)) for s in scores]
    total = r3(sum(exps))
    alpha = [r3(e / total) for e in exps]
    out = [r3(sum(a * row[j] for a, row in zip(alpha, v))) for j in range(len(v[0]))]
    exact_alpha = [math.exp(s) / sum(math.exp(t) for t in scores) for s in scores]
    exact_out = [sum(a * row[j] for a, row in zip(exact_alpha, v)) for j in range(len(v[0]))]
    assert out[0] == -0.11 and abs(out[0] - exact_out[0]) > 0.01 * abs(exact_out[0])
    parts = {r.key: r for r in grade_problem(problem, 1, {"b": typed(alpha), "c": typed(out)}).parts}
    assert parts["b"].full and parts["c"].full, (parts["b"].message, parts["c"].message)
    # each product rounded too (attention's own range, kit/rounding): a weight written 0.623
    # (2.72/4.367) gives 2·0.623 = 1.246 -> 1.25 and 3·0.377 = 1.13: -0.12, 7% off, accepted
    assert (r3(math.exp(0.5) / 4.37), r3(2.72 / 4.367)) == (0.377, 0.623)
    assert r3(r3(3 * 0.377) - r3(2 * 0.623)) == -0.12
    parts = {r.key: r for r in grade_problem(problem, 1, {"c": typed([-0.12, out[1]])}).parts}
    assert parts["c"].full
    # the range is the rounding's, not a blanket one: 10% off is still wrong
    wrong = grade_problem(problem, 1, {"c": typed([exact_out[0] * 1.10, exact_out[1]])}).parts
    assert next(r for r in wrong if r.key == "c").verdict == "partly correct"


def test_a_short_exact_intermediate_is_not_widened():
    # backprop-chain seed 3 easy: local derivatives [-3, 6.75, 1, 1] are exact at 3 figures, so
    # dz/du = -3 + 6.75 = 3.75 keeps the 1% rule: 3.70 (1.3% off) is wrong
    problem = build_problem("backprop-chain", 3, "easy")
    assert problem.part("b").answer == [-3, 6.75, 1, 1] and problem.part("c").answer == 3.75
    lo, hi = problem.part("c").accepted
    assert lo == pytest.approx(3.75 * 0.99) and hi == pytest.approx(3.75 * 1.01)
    assert not next(r for r in grade_problem(problem, 1, {"c": "3.70"}).parts if r.key == "c").full


def test_positional_encoding_asks_what_the_grader_accepts():
    # positional-encoding seed 0 hard: toy positions 3 and 6, so PE(3)·PE(6) = cos(−3) + cos(−0.03)
    # = 0.009558, a cancellation. The statement asks 3 figures, as every sheet's header does;
    # worked that way: cos 3 = −0.990, cos 0.03 = 1.00, sum 0.01 (4.6% off), or the eight
    # products of the rounded encodings summed. Both score; 0.02 does not.
    problem = build_problem("positional-encoding", 0, "hard")
    p, q = problem.params["toy_p"], problem.params["toy_q"]
    assert (p, q) == (3, 6)
    assert "at least 3 significant figures" in problem.statement and "4 significant" not in problem.statement
    identity = r3(r3(math.cos(p - q)) + r3(math.cos((p - q) / 100)))
    pe = [[r3(f(x)) for f in (math.sin, math.cos) for x in (t,)] + [r3(f(t / 100)) for f in (math.sin, math.cos)]
          for t in (p, q)]
    products = r3(sum(r3(a * b) for a, b in zip(*pe)))
    exact = math.cos(p - q) + math.cos((p - q) / 100)
    assert identity == 0.01 and abs(identity - exact) > 0.04 * exact
    for text in (str(identity), str(products), repr(exact)):
        result = next(r for r in grade_problem(problem, 1, {"e": text}).parts if r.key == "e")
        assert result.full, (text, result.verdict)
    assert not next(r for r in grade_problem(problem, 1, {"e": "0.02"}).parts if r.key == "e").full
