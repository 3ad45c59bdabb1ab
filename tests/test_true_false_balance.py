"""True/false keys are about half True in every conceptual family (a TA found 57% True overall and
transformers-concepts asking 5 True statements to 1 False: 'mark it True' paid). Over the
reviewer's sweep, seeds 1-40 at each difficulty, each family's T share lies within 40-60%."""

from __future__ import annotations

from collections import Counter

import pytest

from probgen.core.build import build_problem
from probgen.core.model import DIFFICULTIES
from probgen.core.registry import load_all

NOT_YET: set[str] = set()  # (backprop-concepts was 69% True until tf-one-pass was stated false)
CONCEPT = sorted(fid for fid, fam in load_all().items() if getattr(fam, "style", None) == "concept")


@pytest.mark.parametrize("family", [f for f in CONCEPT if f not in NOT_YET])
def test_true_false_keys_about_half_true(family):
    keys = Counter(part.answer for d in DIFFICULTIES for seed in range(1, 41)
                   for part in build_problem(family, seed, d, None).parts if part.kind == "truefalse")
    n = keys["T"] + keys["F"]
    assert n >= 60, keys
    assert 0.40 <= keys["T"] / n <= 0.60, (family, keys)
