"""Numeric 2-D convolution: answers against torch.nn.functional.conv2d (float64)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from sweep import mistakes, sweep

torch.set_num_threads(1)  # tiny ops: threads only contend on the shared CPUs

FAMILY = "conv2d-numeric"


def torch_conv(x, kernel, stride, pad, bias):
    out = F.conv2d(torch.tensor(x, dtype=torch.float64)[None, None],
                   torch.tensor(kernel, dtype=torch.float64)[None, None],
                   bias=torch.tensor([float(bias)], dtype=torch.float64), stride=stride, padding=pad)
    return out[0, 0].numpy()


def independent(q):
    out = torch_conv(q["x"], q["kernel"], q["s"], q["p"], q.get("bias", 0))
    expected = {"a": [str(out.shape[0]), str(out.shape[1])], "b": out}
    if q.get("relu"):
        expected["c"] = torch.relu(torch.from_numpy(out)).numpy()
    return expected


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        assert [p.key for p in problem.parts] == sorted(expected)
        assert problem.part("a").answer == expected["a"], problem.seed
        for key in expected.keys() - {"a"}:
            np.testing.assert_array_equal(problem.part(key).answer, expected[key], err_msg=f"seed {problem.seed} {key}")


def test_misconceptions_are_the_named_mistakes():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        bias = q.get("bias", 0)
        b = problem.part("b")
        by_torch = {
            # true convolution flips the kernel: np.flip over both axes, computed by torch again
            "flipped the kernel (true convolution, not the cross-correlation the layer computes)":
                torch_conv(q["x"], np.flip(np.array(q["kernel"])).tolist(), q["s"], q["p"], bias),
            "forgot the bias": torch_conv(q["x"], q["kernel"], q["s"], q["p"], 0),
            "ignored the stride": torch_conv(q["x"], q["kernel"], 1, q["p"], bias),
            "ignored the padding": torch_conv(q["x"], q["kernel"], q["s"], 0, bias),
        }
        listed = mistakes(b)
        assert "flipped the kernel (true convolution, not the cross-correlation the layer computes)" in listed
        for name, value in listed.items():
            np.testing.assert_array_equal(value, by_torch[name], err_msg=f"seed {problem.seed} {name}")
        if bias:
            assert "forgot the bias" in listed
        if q.get("relu"):
            c = mistakes(problem.part("c"))
            pre = np.array(b.answer)
            assert set(c) <= {"applied the ReLU before adding the bias",
                              "zeroed the positive values instead of the negative ones"}, problem.seed
            if "applied the ReLU before adding the bias" in c:
                np.testing.assert_array_equal(c["applied the ReLU before adding the bias"],
                                              np.maximum(pre - bias, 0) + bias)
            np.testing.assert_array_equal(c["zeroed the positive values instead of the negative ones"],
                                          np.minimum(pre, 0))


def test_hand_workable_and_not_degenerate():
    relu_mixed = 0
    hard = 0
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        out = np.array(problem.part("b").answer)
        # at most 9 outputs; hard also 16 of 2 × 2 windows (64 products: more than medium's 36)
        assert out.size <= (16 if difficulty == "hard" else 9) and len(q["x"]) in (4, 5, 6) and len(q["kernel"]) in (2, 3)
        assert np.any(out != 0)
        assert np.abs(out).max() <= 40 and abs(q.get("bias", 0)) <= 20
        kernel = np.array(q["kernel"])
        assert not np.array_equal(kernel, np.flip(kernel)) and kernel.min() < 0
        if q.get("relu"):
            hard += 1
            relu = np.array(problem.part("c").answer)
            assert np.any(relu > 0)
            relu_mixed += bool(np.any(out < 0))
    assert relu_mixed >= 0.9 * hard  # the ReLU nearly always has something to zero


def test_shape_misconceptions():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        n, k = len(q["x"]), len(q["kernel"])
        listed = mistakes(problem.part("a"))
        assert set(listed) <= {"forgot the + 1", "ignored the padding", "ignored the stride"}, problem.seed
        size = (n + 2 * q["p"] - k) // q["s"] + 1
        assert listed["forgot the + 1"] == [str(size - 1)] * 2
        if q["p"]:
            size = (n - k) // q["s"] + 1
            assert listed.get("ignored the padding", [str(size)] * 2) == [str(size)] * 2
        if q["s"] > 1:
            assert listed["ignored the stride"] == [str(n + 2 * q["p"] - k + 1)] * 2


def test_hard_is_more_work_than_medium():
    """Every hard instance takes more products than every medium one (TA defect 14: hard was a
    4 × 4 input with 4 windows next to a medium 5 × 5 with 9). Products counted from the params:
    one per window entry, windows from the output size (n + 2p − k)/s + 1."""
    products = {"medium": [], "hard": []}
    for difficulty, problem in sweep(FAMILY, difficulties=["medium", "hard"]):
        q = problem.params
        n, k = len(q["x"]), len(q["kernel"])
        side = (n + 2 * q["p"] - k) // q["s"] + 1
        products[difficulty].append(side * side * k * k)
    assert min(products["hard"]) > max(products["medium"]), (min(products["hard"]), max(products["medium"]))
