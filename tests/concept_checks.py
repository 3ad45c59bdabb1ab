"""Checks shared by the conceptual families' tests (tests/families/test_*_concepts.py): every option
explained and distinct, variety over seeds, no letter keyed too often."""

from __future__ import annotations

from collections import Counter

from probgen.core.model import DIFFICULTIES
from sweep import built


def sweep300(family: str):
    """Every (difficulty, problem) of the 300-seed sweep, at every difficulty."""
    for difficulty in DIFFICULTIES:
        for seed in range(300):
            yield difficulty, built(family, difficulty, seed)


# Figure-reading items give several parts each (checked in tests/test_figure_items.py).
FIGURE_ITEM_PARTS = {"activation-plot": 3, "lr-curves": 3, "attention-heatmap": 3}


def item_parts(problem) -> list:
    """(item instance, part) per one-part item of a problem; figure items are left out here."""
    parts, out = iter(problem.parts), []
    for inst in problem.params["items"]:
        mine = [next(parts) for _ in range(FIGURE_ITEM_PARTS.get(inst["id"], 1))]
        if inst["id"] not in FIGURE_ITEM_PARTS:
            out.append((inst, mine[0]))
    assert next(parts, None) is None
    return out


def assert_explained_and_distinct(problems) -> None:
    """For every (difficulty, problem): each choice part's options are distinct and each has an
    explanation of more than 20 characters; T/F and short parts have a model answer, a rubric and at
    least 2 hand-graded points."""
    for difficulty, problem in problems:
        for part in problem.parts:
            if part.choices:
                assert set(part.explanations) == set(part.choices)
                assert len(set(part.choices.values())) == len(part.choices), (problem.seed, part.choices)
                assert all(len(why) > 20 for why in part.explanations.values())
            if part.kind in ("truefalse", "short"):
                assert part.model_answer and part.rubric and part.hand_points >= 2


def assert_variety(family: str, seeds: int = 300) -> None:
    """Over `seeds` hard problems: at least 15 distinct items, no two problems with the same items
    in the same option orders, and no letter keyed in more than 40% of choice and select-all answers."""
    items, problems, letters = Counter(), set(), Counter()
    for seed in range(seeds):
        p = built(family, "hard", seed)
        items.update(inst["id"] for inst in p.params["items"])
        problems.add(tuple((inst["id"], tuple(inst.get("order", ()))) for inst in p.params["items"]))
        letters.update(part.answer for part in p.parts if part.kind == "choice")
        letters.update(k for part in p.parts if part.kind == "multi" for k in part.answer)
    assert len(items) >= 15, sorted(items)
    assert len(problems) == seeds
    assert max(letters.values()) / sum(letters.values()) <= 0.40, letters
