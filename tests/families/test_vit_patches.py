"""ViT input stage: patch count, sequence length and parameters against a torch patch embedding."""

import pytest
import torch
from torch import nn

from family_checks import assert_exact_answers
from sweep import sweep

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
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        assert_exact_answers(problem, independent(problem.params))


def test_misconceptions_are_the_named_mistakes():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        n = (q["h"] // q["p"]) * (q["w"] // q["p"])
        assert {m.name: m.value for m in problem.part("b").misconceptions} == {"forgot the [CLS] token": n}
        a = {m.name: m.value for m in problem.part("a").misconceptions}
        assert a["divided the area by P instead of P²"] == q["h"] * q["w"] / q["p"]
        if "d" in q:
            c = {m.name: m.value for m in problem.part("c").misconceptions}
            assert c["forgot the bias"] == q["p"] ** 2 * q["c"] * q["d"]
        if "batch" in q:
            f = {m.name: m.value for m in problem.part("f").misconceptions}
            assert f["forgot the [CLS] token"] == n * n


def test_images_are_sensible():
    for difficulty, problem in sweep(FAMILY):
        q = problem.params
        assert q["h"] % q["p"] == 0 and q["w"] % q["p"] == 0 and max(q["h"], q["w"]) <= 384
        assert (q["h"] != q["w"]) == (difficulty == "hard")
        assert problem.part("a").answer >= 4


def test_follow_on():
    from probgen.registry import get_family

    problem = next(p for _, p in sweep(FAMILY, difficulties=["hard"]))
    q = problem.params
    follow = get_family(FAMILY).follow_on(q, {"a": 10, "b": 10})
    assert follow["b"] == 11 and follow["f"] == 100
    assert follow["d"] == problem.part("c").answer + q["d"] + 10 * q["d"]
