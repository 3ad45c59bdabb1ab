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


def test_misconceptions_are_the_named_mistakes():
    seen = set()
    for _, problem in sweep(FAMILY):
        p = problem.params
        d, h = p["d_model"], p["heads"]
        kdim = p.get("d_enc", d)
        c = {m.name: m.value for m in problem.part("c").misconceptions}
        full = layer(d, h, kdim)
        assert c["left out the biases"] == count(layer(d, h, kdim, bias=False))
        seen.add("left out the biases")
        if "left out the output projection" in c:
            assert c["left out the output projection"] == count(full) - count(full.out_proj)
            seen.add("left out the output projection")
        if "used d_model as the key/value input width" in c:
            assert c["used d_model as the key/value input width"] == count(layer(d, h, d))
            seen.add("used d_model as the key/value input width")
        b = {m.name: m.value for m in problem.part("b").misconceptions}
        lead = [str(p["batch"])] if "batch" in p else []
        assert b["kept the head axis after the sequence axis (forgot the transpose)"] == lead + [
            str(p["seq_len"]), str(h), str(d // h)]
    assert len(seen) == 3


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
