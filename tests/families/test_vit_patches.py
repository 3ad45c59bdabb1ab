"""ViT input stage: patch count, sequence length and parameters against a torch patch embedding."""

import pytest
import torch
from torch import nn

from family_checks import assert_sweep_exact
from sweep import mistakes, sweep

torch.set_num_threads(1)  # tiny ops: threads only contend on the shared CPUs

FAMILY = "vit-patches"


class PatchEmbedding(nn.Module):
    """The usual ViT implementation: a P×P conv with stride P is the shared linear projection."""

    def __init__(self, c, p, d, n):
        super().__init__()
        self.proj = nn.Conv2d(c, d, p, stride=p, device="meta")
        self.cls = nn.Parameter(torch.zeros(1, 1, d, device="meta"))
        self.pos = nn.Parameter(torch.zeros(1, n + 1, d, device="meta"))

    def forward(self, x):
        tokens = self.proj(x).flatten(2).transpose(1, 2)  # B × N × D
        tokens = torch.cat([self.cls.expand(x.shape[0], -1, -1), tokens], dim=1)
        return tokens + self.pos


def independent(q):
    c, p, h, w = q["c"], q["p"], q["h"], q["w"]
    batch = q.get("batch", 2)
    x = torch.zeros(batch, c, h, w, device="meta")  # shapes only: the sizes reach 64 × 3 × 384 × 384
    # patches by unfolding the image: one column per patch, P·P·C numbers each
    patches = nn.functional.unfold(x, kernel_size=p, stride=p)
    n, patch_len = patches.shape[2], patches.shape[1]
    out = {"a": n, "b": n + 1}
    if "d" not in q:
        out["c"] = patch_len
        return out
    d = q["d"]
    stage = PatchEmbedding(c, p, d, n)
    y = stage(x)
    assert y.shape[1] == n + 1
    out["c"] = sum(t.numel() for t in stage.proj.parameters())
    if "batch" in q:
        out["d"] = sum(t.numel() for t in stage.parameters())
        out["e"] = [str(s) for s in y.shape]
        scores = y[0] @ y[0].T  # one head's L × L score matrix for one image
        out["f"] = scores.numel()
    else:
        out["d"] = stage.pos.numel()
        out["e"] = [str(s) for s in y.shape[1:]]
    return out


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch(difficulty):
    assert_sweep_exact(FAMILY, difficulty, independent)


def test_misconceptions_are_the_named_mistakes():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        h, w, c, p = q["h"], q["w"], q["c"], q["p"]
        n = (h // p) * (w // p)
        L = n + 1
        expected = {
            "a": {"divided the area by P instead of P²": h * w / p, "counted the patches along one side only": h / p},
            "b": {"forgot the [CLS] token": n},
        }
        if "d" not in q:
            expected["c"] = {"forgot the colour channels": p * p, "used P·C instead of P²·C": p * c}
        else:
            d = q["d"]
            linear = sum(t.numel() for t in nn.Linear(p * p * c, d, device="meta").parameters())
            expected["c"] = {"forgot the bias": linear - d, "forgot the colour channels": p * p * d + d,
                             "a separate projection per patch": n * linear}
            if "batch" not in q:
                expected["d"] = {"forgot the [CLS] position": n * d}
                expected["e"] = {"forgot the [CLS] token": [str(n), str(d)],
                                 "kept the flattened patch length": [str(L), str(p * p * c)]}
            else:
                B = str(q["batch"])
                one_short = "one D-vector short: left out the [CLS] embedding, its position or the projection's bias"
                expected["d"] = {one_short: linear + L * d,  # = linear + d + n·d (positions for the N patches only)
                                 "forgot the positional embeddings": linear + d}
                expected["e"] = {"forgot the [CLS] token": [B, str(n), str(d)],
                                 "kept the flattened patch length": [B, str(L), str(p * p * c)]}
                expected["f"] = {"forgot the [CLS] token": n * n, "took (N + 1)·D instead of (N + 1)²": L * d}
        for part in problem.parts:
            listed = mistakes(part)
            # a mistake giving the reference answer, or the value of a mistake listed before it, is not listed
            assert set(listed) <= set(expected.get(part.key, {})), (problem.seed, part.key, listed)
            for name, value in listed.items():
                assert value == expected[part.key][name], (problem.seed, part.key, name)
            for name, value in expected.get(part.key, {}).items():
                assert value == part.answer or value in listed.values(), (problem.seed, part.key, name)


def test_images_are_sensible():
    easy_shapes = set()
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        assert q["h"] % q["p"] == 0 and q["w"] % q["p"] == 0 and max(q["h"], q["w"]) <= 384
        if difficulty != "easy":  # hard images are never square, medium ones always (easy: either)
            assert (q["h"] != q["w"]) == (difficulty == "hard")
        else:
            easy_shapes.add((q["h"] == q["w"], q["c"]))
        assert problem.part("a").answer >= 4
    assert easy_shapes == {(True, 1), (True, 3), (False, 1), (False, 3)}


def test_follow_on():
    from probgen.core.registry import get_family

    problem = next(p for _, p in sweep(FAMILY, difficulties=["hard"]))
    q = problem.params
    follow = get_family(FAMILY).follow_on(q, {"a": 10, "b": 10})
    assert follow["b"] == 11 and follow["f"] == 100
    assert follow["d"] == problem.part("c").answer + q["d"] + 10 * q["d"]
