"""No part of a conceptual problem gives away another's answer (a TA's review: regularization seed 9
easy asked 'With early stopping (keep the weights of the epoch with the lowest validation loss)…'
beside the true/false 'Early stopping keeps the weights of the epoch with the lowest training
loss', 20 of 120 problems; diffusion showed x₃ = √ᾱ₃ x₀ + … or 'form x_t in closed form' beside
'you must first run the 500 forward steps', 15 of 120; transformers asked 'Which weights add up
to 1?' beside 'weights that … sum to 1', 2 of 120). Pools declare such pairs (`Pool.reveals`) and
never draw them together; the checks below read the text a student sees, not the declarations."""

from __future__ import annotations

import pytest

from probgen.core.build import build_problem
from probgen.core.model import DIFFICULTIES
from probgen.core.registry import load_all

SEEDS = range(1, 41)
CONCEPT = sorted(fid for fid, fam in load_all().items() if getattr(fam, "style", None) == "concept")


def _problems(family):
    for difficulty in DIFFICULTIES:
        for seed in SEEDS:
            yield build_problem(family, seed, difficulty, None)


def _shown(part) -> str:
    """What a student reads of a part: its prompt and its options."""
    return part.prompt + " " + " ".join((part.choices or {}).values())


def _tf_part(problem, statement: str):
    return next((p for p in problem.parts if p.kind == "truefalse" and statement in p.prompt), None)


# (family, words of the true/false statement, text that answers it when shown in another part)
GIVEAWAYS = [
    ("regularization-concepts", "keeps the weights of the epoch with the lowest training loss",
     ("lowest validation loss", "best validation epoch")),
    ("diffusion-concepts", "you must first run the 500 forward noising steps",
     ("in closed form", "\\sqrt{\\bar\\alpha_3}\\,\\mathbf{x}_0", "\\sqrt{\\bar\\alpha_t}\\,\\mathbf{x}_0")),
    ("transformers-concepts", "is a weighted average of the value vectors", ("add up to 1",)),
    ("rnn-concepts", "then $c_t = c_{t-1}$", ("c_t = f_t \\odot c_{t-1}",)),
]


@pytest.mark.parametrize("family, statement, giveaways", GIVEAWAYS, ids=[g[0] for g in GIVEAWAYS])
def test_no_part_states_a_true_false_answer(family, statement, giveaways):
    drawn = 0
    for problem in _problems(family):
        tf = _tf_part(problem, statement)
        if tf is None:
            continue
        drawn += 1
        for part in problem.parts:
            if part is not tf:
                shown = _shown(part)
                assert not any(g in shown for g in giveaways), (problem.seed, problem.difficulty, part.key, shown)
    assert drawn >= 6, drawn  # the statement is still asked


@pytest.mark.parametrize("family", CONCEPT)
def test_declared_reveals_are_never_drawn_together(family):
    fam = load_all()[family]
    pairs = {frozenset(p) for p in fam.pool.reveals}
    for problem in _problems(family):
        ids = [inst["id"] for inst in problem.params["items"]]
        assert not [p for p in pairs if p <= set(ids)], (problem.seed, problem.difficulty, ids)
