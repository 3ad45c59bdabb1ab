"""A conceptual family from its pool: `concept_family(id, title, pool)` makes the `Family`
subclass every `*_concepts` module would otherwise write out (generate = draw items from the
pool, solve = rebuild them), and registers it.

    POOL = Pool("normalization", ITEMS)
    NormalizationConcepts = concept_family("normalization-concepts", "Normalization: the ideas", POOL)

The family's topic is the pool's (its misconception catalogue) and its section the topic's.
"""

from __future__ import annotations

import sys
from typing import Any, Sequence

from ..core.registry import Family, Solution, family
from ..core.sections import TOPIC_SECTION
from .concepts import Item, Pool

ITEMS_PER_PROBLEM = {"easy": 3, "medium": 4, "hard": 5}


class ConceptFamily(Family):
    """Problems drawn from `pool`: `items_per_problem[difficulty]` items, the `first` ones (e.g. a
    figure item) always included."""

    style = "concept"
    pool: Pool
    items_per_problem: dict[str, int] = ITEMS_PER_PROBLEM
    first: Sequence[Item] = ()

    def generate(self, draw, difficulty, convention) -> dict[str, Any]:
        return self.pool.generate(draw, difficulty, self.items_per_problem[difficulty], first=self.first)

    def solve(self, params) -> Solution:
        parts, work, figure = self.pool.solve(params)
        return Solution(parts=parts, work=work, figure=figure)


def concept_family(family_id: str, title: str, pool: Pool, *, first: Sequence[Item] = (),
                   module: str | None = None) -> type[ConceptFamily]:
    """Register the conceptual family `family_id` over `pool` and return its class, named after the
    id ('input-encoding-concepts' -> InputEncodingConcepts) and belonging to the calling module
    (as `collections.namedtuple` does), or to `module`."""
    if pool.topic not in TOPIC_SECTION:
        raise ValueError(f"{family_id}: topic {pool.topic!r} is in no section")
    name = "".join(word.capitalize() for word in family_id.split("-"))
    attrs = {"id": family_id, "title": title, "topic": pool.topic, "section": TOPIC_SECTION[pool.topic],
             "pool": pool, "first": tuple(first), "__module__": module or sys._getframe(1).f_globals["__name__"]}
    return family(type(name, (ConceptFamily,), attrs))

