"""Issue 11: "the right option is often longer than the distractors". Over every choice part of
every conceptual family (all difficulties, 30 seeds each), the keyed option is the strictly
longest about as often as chance would make it, and not the strictly shortest either (the
opposite tell). Length is measured on the text a student reads (math as plain text)."""

from __future__ import annotations

from probgen.core.build import build_problem
from probgen.core.model import DIFFICULTIES
from probgen.core.registry import load_all
from probgen.render.plain_math import markup_to_text

MARGIN = 0.05


def _choice_parts():
    for fid, fam in sorted(load_all().items()):
        if getattr(fam, "style", "") != "concept":
            continue
        for difficulty in DIFFICULTIES:
            for seed in range(30):
                for part in build_problem(fid, seed, difficulty).parts:
                    if part.kind == "choice":
                        yield fid, part


def test_the_keyed_option_is_not_given_away_by_its_length():
    n = longest = shortest = 0
    chance = 0.0
    by_family: dict[str, list[int]] = {}
    for fid, part in _choice_parts():
        sizes = {k: len(markup_to_text(text)) for k, text in part.choices.items()}
        others = [v for k, v in sizes.items() if k != part.answer]
        is_longest = sizes[part.answer] > max(others)
        n += 1
        longest += is_longest
        shortest += sizes[part.answer] < min(others)
        chance += 1 / len(sizes)
        by_family.setdefault(fid, [0, 0])
        by_family[fid][0] += is_longest
        by_family[fid][1] += 1
    chance /= n
    assert n > 2000 and len(by_family) >= 15
    assert longest / n <= chance + MARGIN, f"keyed option strictly longest in {longest / n:.0%} (chance {chance:.0%})"
    assert shortest / n <= chance + MARGIN, f"keyed option strictly shortest in {shortest / n:.0%} (chance {chance:.0%})"
    worst = {f: a / b for f, (a, b) in by_family.items() if a / b > 0.40}
    assert not worst, f"families where the keyed option is the longest in over 40% of choice parts: {worst}"
