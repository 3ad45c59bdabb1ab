"""Convolution output size: answers against torch.nn.Conv2d on the meta device and plain Python."""

import math

import pytest
import torch

from family_checks import assert_exact_answers
from sweep import mistakes, sweep

torch.set_num_threads(1)  # tiny ops: threads only contend on the shared CPUs

FAMILY = "conv-output-size"


def torch_output_shape(params):
    conv = torch.nn.Conv2d(params["c_in"], params["c_out"], params["k"], stride=params["s"],
                           padding=params["p"], dilation=params["d"], device="meta")
    n = params.get("n", 1)
    out = conv(torch.empty(n, params["c_in"], params["h"], params["w"], device="meta"))
    return list(out.shape)


def independent(params):
    n, c, h_out, w_out = torch_output_shape(params)
    k, d, s, p = params["k"], params["d"], params["s"], params["p"]
    taps = [i * d for i in range(k)]  # positions the kernel's taps touch, relative to its start
    k_eff = taps[-1] - taps[0] + 1
    # "same" padding by search: the P that makes a stride-1 output as big as the input
    same = next(q for q in range(20) if params["h"] + 2 * q - k_eff + 1 == params["h"])
    if d == 1:
        return {"a": h_out, "b": [str(c), str(h_out), str(w_out)]}
    if "n" not in params:
        return {"a": k_eff, "b": h_out, "c": [str(c), str(h_out), str(w_out)], "d": same}
    return {"a": k_eff, "b": h_out, "c": w_out, "d": [str(n), str(c), str(h_out), str(w_out)], "e": same}


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        assert_exact_answers(problem, independent(problem.params))


def test_sizes_divide_evenly_in_easy_and_medium_and_need_the_floor_in_hard():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        k_eff = q["d"] * (q["k"] - 1) + 1
        rem_h = (q["h"] + 2 * q["p"] - k_eff) % q["s"]
        if difficulty == "hard":
            assert rem_h != 0 and q["h"] != q["w"] and q["d"] > 1
        else:
            assert rem_h == 0 and q["h"] == q["w"]
        assert 4 <= math.floor((q["h"] + 2 * q["p"] - k_eff) / q["s"]) + 1 <= 32
        assert q["h"] <= 128 and q["w"] <= 128 and q["c_in"] != q["c_out"]
        if q["s"] == 1:  # not a size-preserving layer: the answer is not just the input size
            assert problem.parts[0 if difficulty == "easy" else 1].answer != q["h"]


def independent_size_mistakes(q, n):
    """What each named mistake gives for an input of size n, computed directly."""
    k, d, s, p = q["k"], q["d"], q["s"], q["p"]
    k_eff = d * (k - 1) + 1
    out = {
        "padded one side only (P instead of 2P)": math.floor((n + p - k_eff) / s) + 1,
        "forgot the + 1": math.floor((n + 2 * p - k_eff) / s),
        "rounded up instead of down": math.ceil((n + 2 * p - k_eff) / s) + 1,
        "forgot to divide by the stride": n + 2 * p - k_eff + 1,
    }
    if d > 1:
        out["ignored the dilation (used K as the kernel extent)"] = math.floor((n + 2 * p - k) / s) + 1
        out["took the dilated kernel extent as d·K"] = math.floor((n + 2 * p - d * k) / s) + 1
    return out


def test_misconceptions_are_the_named_mistakes():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        part = problem.part("a" if difficulty == "easy" else "b")
        expected = independent_size_mistakes(q, q["h"])
        listed = mistakes(part)
        for name, value in listed.items():
            assert value == expected[name], (problem.seed, name)
        # every mistake that gives a different number is recognised (possibly under another name)
        assert {v for v in expected.values() if v != part.answer} == set(listed.values())
        if difficulty == "hard":
            assert "rounded up instead of down" in listed  # the floor matters in every hard instance
            assert listed["rounded up instead of down"] == part.answer + 1
        shape = problem.part({"easy": "b", "medium": "c", "hard": "d"}[difficulty])
        wrong = mistakes(shape)["kept the input channel count"]
        assert wrong[-3] == str(q["c_in"]) and wrong[-2:] == shape.answer[-2:]
        if difficulty != "easy":
            k, d = q["k"], q["d"]
            k_part = mistakes(problem.part("a"))
            assert k_part == {"took the dilated kernel extent as d·K": d * k,
                              "took the dilated kernel extent as d·(K − 1)": d * (k - 1)}
            same = mistakes(problem.parts[-1])
            expected = {"ignored the dilation: (K − 1)/2": (k - 1) // 2,
                        "put the whole K_eff − 1 on each side": d * (k - 1)}
            assert same == {n: v for n, v in expected.items() if v != problem.parts[-1].answer}, problem.seed


def test_follow_on_from_students_effective_kernel():
    from probgen.core.registry import get_family

    problem = next(p for _, p in sweep(FAMILY, difficulties=["hard"]))
    q = problem.params
    follow = get_family(FAMILY).follow_on(q, {"a": q["k"]})  # the student ignored the dilation
    assert follow["b"] == (q["h"] + 2 * q["p"] - q["k"]) // q["s"] + 1
    assert follow["c"] == (q["w"] + 2 * q["p"] - q["k"]) // q["s"] + 1


def test_padding_prompt_names_the_stride_only_when_it_changes():
    """TA re-rating: "With stride 1 ..." was asked of a layer that already had stride 1, under a
    statement saying "As in every deep-learning library"."""
    seen = set()
    for difficulty, problem in sweep(FAMILY):
        p = problem.params
        assert "every deep-learning library" not in problem.statement
        if p["d"] == 1:
            continue
        prompt = problem.parts[-1].prompt
        assert "padding" in prompt
        assert ("With stride 1" in prompt) == (p["s"] != 1), (difficulty, problem.seed, p["s"], prompt)
        seen.add(p["s"] == 1)
    assert seen == {True, False}
