"""Multi-head shapes and counts against a real torch.nn.MultiheadAttention: its parameters and the
shapes its forward pass produces."""

from functools import lru_cache

import pytest
import torch
from torch import nn

from sweep import sweep

FAMILY = "multihead-shapes"
torch.set_num_threads(1)


@lru_cache(maxsize=None)
def layer(d_model, heads, kdim, bias=True):
    # On the meta device: real parameter tensors and shapes, no memory or arithmetic.
    return nn.MultiheadAttention(d_model, heads, kdim=kdim, vdim=kdim, bias=bias, batch_first=True, device="meta")


@lru_cache(maxsize=None)
def observed(d_model, heads, kdim, batch, T, S):
    """(query split into heads, attention weights, output) shapes from an actual forward pass."""
    mha = layer(d_model, heads, kdim)
    lead = (batch,) if batch else ()
    q = torch.zeros(*lead, T, d_model, device="meta")
    kv = torch.zeros(*lead, S, kdim, device="meta")
    with torch.no_grad():
        out, weights = mha(q, kv, kv, need_weights=True, average_attn_weights=False)
        # The per-head queries: project with W_Q (the module's own weights), split, move heads forward.
        w_q = mha.q_proj_weight if mha.q_proj_weight is not None else mha.in_proj_weight[:d_model]
        proj = q @ w_q.T
        split = proj.reshape(*lead, T, heads, d_model // heads).transpose(-3, -2)
    return tuple(split.shape), tuple(weights.shape), tuple(out.shape), weights.numel()


def count(module):
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_answers_match_independent_torch_module(difficulty):
    for _, problem in sweep(FAMILY, difficulties=[difficulty]):
        p = problem.params
        d, h = p["d_model"], p["heads"]
        kdim = p.get("d_enc", d)
        S = p.get("src_len", p["seq_len"])
        split, weights, out, n_weights = observed(d, h, kdim, p.get("batch"), p["seq_len"], S)
        where = f"seed {problem.seed}"
        assert problem.part("a").answer == d / h and (d / h).is_integer(), where
        assert problem.part("b").answer == [str(n) for n in split], where
        assert problem.part("c").answer == count(layer(d, h, kdim)), where
        assert problem.part("d").answer == [str(n) for n in weights], where
        assert problem.part("e").answer == [str(n) for n in out], where
        if difficulty == "hard":
            assert problem.part("f").answer == n_weights, where
            assert S != p["seq_len"] and kdim != d, where  # cross-attention really differs
        assert all(part.tolerance == 0 for part in problem.parts)


def shape(*axes):
    return [str(n) for n in axes]


def test_misconceptions_are_the_named_mistakes():
    seen = set()
    for _, problem in sweep(FAMILY):
        p = problem.params
        d, h, T = p["d_model"], p["heads"], p["seq_len"]
        kdim = p.get("d_enc", d)
        S = p.get("src_len", T)
        lead = (p["batch"],) if "batch" in p else ()
        full = layer(d, h, kdim)
        per_head = nn.MultiheadAttention(d, 1, batch_first=True, device="meta")  # one head's full-width Q, K, V
        expected = {
            ("a", "multiplied d_model by h instead of dividing"): d * h,
            ("b", "kept the head axis after the sequence axis (forgot the transpose)"): shape(*lead, T, h, d // h),
            ("b", "gave each head the full d_model width"): shape(*lead, h, T, d),
            ("c", "left out the biases"): count(layer(d, h, kdim, bias=False)),
            ("d", "gave the scores the head size as last axis"): shape(*lead, h, T, d // h),
            ("d", "left out the head axis"): shape(*lead, T, S),
            ("e", "kept the heads separate (forgot to concatenate)"): shape(*lead, h, T, d // h),
        }
        if kdim == d:
            expected[("c", "left out the output projection")] = count(full) - count(full.out_proj)
            expected[("c", "gave every head its own d_model × d_model projections")] = (
                h * (count(per_head) - count(per_head.out_proj)) + count(full.out_proj))
        else:
            expected[("c", "used d_model as the key/value input width")] = count(layer(d, h, d))
            expected[("c", "projected K and V to the encoder width")] = (
                count(full) - 2 * (kdim * d + d) + 2 * count(nn.Linear(kdim, kdim, device="meta")))
        if S != T:
            expected[("d", "used the query length for the keys as well")] = shape(*lead, h, T, T)
            expected[("e", "gave the output the length of the keys")] = shape(*lead, S, d)
            B = p["batch"]
            expected[("f", "left out the heads")] = B * T * S
            expected[("f", "used T × T scores")] = B * h * T * T
        listed = {(part.key, m.name): m.value for part in problem.parts for m in part.misconceptions}
        # a mistake that gives the same value as another (or the answer) is listed once
        assert set(listed) <= set(expected), (problem.seed, set(listed) - set(expected))
        assert len(listed) >= len(expected) - 1, (problem.seed, set(expected) - set(listed))
        for key, value in listed.items():
            assert value == expected[key], (problem.seed, key)
        seen |= set(listed)
    assert len(seen) == 15  # every named mistake occurs somewhere in the sweep and was checked


def test_sizes_are_realistic_and_varied():
    configs = set()
    for _, problem in sweep(FAMILY):
        p = problem.params
        assert p["d_model"] % p["heads"] == 0 and p["d_model"] // p["heads"] >= 8
        axes = [p["heads"], p["d_model"] // p["heads"], p["d_model"], p["seq_len"]]
        axes += [p[k] for k in ("batch", "src_len") if k in p]
        assert len(set(axes)) == len(axes), (problem.seed, axes)  # shapes are unambiguous
        configs.add((p["d_model"], p["heads"]))
    assert len(configs) >= 10


def test_shapes_are_written_one_way():
    """TA re-rating: the statement asked for "tuples" while the key printed 32 × 4 × 7 × 64. The
    course writes shapes with × (C × H × W): statement, worked solution and key all do."""
    import re

    from probgen.render.answer_markup import answer_markup

    for difficulty, problem in sweep(FAMILY):
        text = problem.statement + " ".join(s.text for s in problem.steps)
        assert "tuple" not in text and "\\times" in problem.statement, (difficulty, problem.seed)
        assert not re.search(r"\(\d+, \d+", text), (difficulty, problem.seed, text)
        for part in problem.parts:
            if part.kind == "shape":
                assert answer_markup(part) == "$" + " \\times ".join(part.answer) + "$"
