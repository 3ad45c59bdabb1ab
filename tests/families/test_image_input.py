"""Images as pixel inputs: indices against NumPy's ravel_multi_index / unravel_index and real
reshapes, parameter counts against torch.nn.Linear (on the meta device: no memory)."""

import numpy as np
import pytest
import torch

from sweep import assert_parts_match, sweep

FAMILY = "image-input"


def shape(order, H, W, C):
    return (H, W, C) if order == "HWC" else (C, H, W)


def position(order, H, W, C, r, c, k):
    coords = (r, c, k) if order == "HWC" else (k, r, c)
    return int(np.ravel_multi_index(coords, shape(order, H, W, C)))


def linear_params(n_in, n_out, bias):
    layer = torch.nn.Linear(n_in, n_out, bias=bias, device="meta")
    return sum(p.numel() for p in layer.parameters())


def independent(params):
    H, W, C, order = params["height"], params["width"], params["channels"], params["order"]
    other = "CHW" if order == "HWC" else "HWC"
    r, c, k = params["pixel"]
    n = int(np.prod(shape(order, H, W, C)))
    with_bias = "value" in params
    out = {"a": n, "b": position(order, H, W, C, r, c, k)}
    count = linear_params(n, params["hidden"], bias=with_bias)
    if "flat" in params:
        out["c"] = position(other, H, W, C, r, c, k)
        decoded = np.unravel_index(params["flat"], shape(order, H, W, C))
        out["d"] = [int(v) for v in (decoded if order == "HWC" else (decoded[1], decoded[2], decoded[0]))]
        out["e"] = count
        out["f"] = (params["value"] / 255 - params["mean"]) / params["std"]
    elif with_bias:
        out["c"] = count
        out["d"] = (params["value"] / 255 - params["mean"]) / params["std"]
    else:
        out["c"] = count
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_numpy(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        expected = independent(problem.params)
        assert_parts_match(problem, expected, rtol=1e-12, atol=0)


def test_positions_point_at_the_pixel_in_a_real_flattened_image():
    """Flatten an image whose values encode (row, col, channel) and read the answer's position."""
    for _, problem in sweep(FAMILY, difficulties=["hard"]):
        p = problem.params
        H, W, C = p["height"], p["width"], p["channels"]
        rows, cols, chans = np.meshgrid(np.arange(H), np.arange(W), np.arange(C), indexing="ij")
        code = rows * 10**6 + cols * 10**3 + chans  # HWC array
        flat = {"HWC": code.reshape(-1), "CHW": torch.from_numpy(code).permute(2, 0, 1).reshape(-1).numpy()}
        r, c, k = p["pixel"]
        other = "CHW" if p["order"] == "HWC" else "HWC"
        assert flat[p["order"]][int(problem.part("b").answer)] == r * 10**6 + c * 10**3 + k
        assert flat[other][int(problem.part("c").answer)] == r * 10**6 + c * 10**3 + k
        rr, cc, kk = (int(v) for v in problem.part("d").answer)
        assert flat[p["order"]][p["flat"]] == rr * 10**6 + cc * 10**3 + kk


def test_instances_are_not_degenerate():
    for difficulty, problem in sweep(FAMILY):
        p = problem.params
        r, c, k = p["pixel"]
        assert r >= 1 and c >= 1
        counts = problem.parts[:-1] if "value" in p else problem.parts  # the normalised value comes last
        assert all(part.tolerance == 0 for part in counts), "counts and indices must be exact"
        if difficulty == "hard":
            assert problem.part("b").answer != problem.part("c").answer
            assert problem.part("f").answer != 0
        if difficulty == "medium":
            assert problem.part("d").answer != 0
            assert p["channels"] == 3


def test_misconceptions_are_the_named_mistakes():
    seen = set()
    for _, problem in sweep(FAMILY):
        p = problem.params
        H, W, C, order, h = p["height"], p["width"], p["channels"], p["order"], p["hidden"]
        other = "CHW" if order == "HWC" else "HWC"
        r, c, k = p["pixel"]
        n = H * W * C
        idx = position(order, H, W, C, r, c, k)
        expected = {
            "forgot the channels (H·W)": H * W, "added H + W + C": H + W + C, "added H + W": H + W,
            "counted positions from 1 instead of 0": idx + 1,
            "swapped the row and the column": position(order, W, H, C, c, r, k),
            f"used the {other} order": position(other, H, W, C, r, c, k),
            "forgot the channel dimension": r * W + c,
        }
        by_part = {"a": expected, "b": expected}
        if "value" in p:
            v, m, s = p["value"], p["mean"], p["std"]
            norm = {"skipped the scaling to [0, 1]": (v - m) / s, "multiplied by σ instead of dividing": (v / 255 - m) * s,
                    "forgot to subtract the mean": v / 255 / s, "divided by 256 instead of 255": (v / 256 - m) / s}
            count = {"forgot the biases": n * h, "one bias per input instead of per unit": n * h + n,
                     "forgot the channels": H * W * h + h}
            if "flat" in p:
                j = position(other, H, W, C, r, c, k)
                dec = [int(x) for x in np.unravel_index(p["flat"], shape(order, H, W, C))]
                dec = dec if order == "HWC" else [dec[1], dec[2], dec[0]]
                odec = [int(x) for x in np.unravel_index(p["flat"], shape(other, H, W, C))]
                odec = odec if other == "HWC" else [odec[1], odec[2], odec[0]]
                by_part.update(c={f"gave the {order} position again (the layout changed)": idx, "counted positions from 1 instead of 0": j + 1},
                               d={f"decoded with the {other} order": odec,
                                  "counted positions from 1 instead of 0": [x + 1 for x in dec]},
                               e=count, f=norm)
            else:
                by_part.update(c=count, d=norm)
        else:
            by_part["c"] = {"forgot the channels": H * W * h,
                            "counted the biases too (the question asks for weights)": n * h + h}
        for part in problem.parts:
            for mis in part.misconceptions:
                np.testing.assert_allclose(mis.value, by_part[part.key][mis.name], rtol=1e-12,
                                           err_msg=f"seed {problem.seed} {part.key}: {mis.name}")
                seen.add((part.key, mis.name))
    assert len(seen) >= 20
