"""Variety of backprop-chain and tiny-network (issue 10): at least 300 distinct instances per
1,000 seeds and difficulty, and no part whose answer is the same (or nearly always the same)
over 500 seeds."""

import collections
import json

import pytest

from probgen.core.registry import get_family
from probgen.core.rng import Draw


def _params(fam, seed, difficulty):
    return fam.generate(Draw("probgen", fam.id, fam.version, seed, difficulty, None), difficulty, None)


@pytest.mark.parametrize("family", ["backprop-chain", "tiny-network"])
@pytest.mark.parametrize("difficulty", ["easy", "medium", "hard"])
def test_instances_vary(family, difficulty):
    fam = get_family(family)
    params = [_params(fam, seed, difficulty) for seed in range(1000)]
    distinct = {json.dumps(p, sort_keys=True) for p in params}
    assert len(distinct) >= 300, len(distinct)
    answers = collections.defaultdict(collections.Counter)
    for p in params[:500]:
        for part in fam.solve(p).parts:
            answers[part.key][json.dumps(part.answer)] += 1
    for key, counts in answers.items():
        value, most = counts.most_common(1)[0]
        assert len(counts) > 1, (key, value)
        assert most <= 250, (key, value, most)  # no answer in half the instances
