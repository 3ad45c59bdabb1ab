"""How much a family's instances vary: distinct instances, constant parts, keyed choice letters.

`measure(family_id, difficulty, seeds)` builds one instance per seed and reports what issue 10 (§4)
asks of every family: how many distinct instances (by their givens), which parts have the same
answer in every instance, and how often each choice letter is the key."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from .build import build_problem


@dataclass
class Variety:
    family: str
    difficulty: str
    seeds: int
    distinct: int
    constant_parts: list[str] = field(default_factory=list)
    letters: dict[str, Counter] = field(default_factory=dict)  # choice part -> keyed-letter counts

    def top_letter_share(self) -> float:
        """The largest share of instances any one letter is keyed in, over all choice parts together."""
        total = Counter()
        for c in self.letters.values():
            total.update(c)
        n = sum(total.values())
        return max(total.values()) / n if n else 0.0


def _answer_key(part) -> str:
    return json.dumps(part.answer, sort_keys=True)


def measure(family_id: str, difficulty: str, seeds: range, convention: str | None = None,
            constant_seeds: int | None = None) -> Variety:
    """`constant_seeds`: judge constant parts over the first this many seeds only (issue 10
    measures distinct instances and letters over 1,000 seeds, constant parts over 500)."""
    seen = set()
    answers: dict[str, set] = {}
    letters: dict[str, Counter] = {}
    n = 0
    for seed in seeds:
        p = build_problem(family_id, seed, difficulty, convention)
        n += 1
        seen.add(json.dumps(p.params, sort_keys=True))
        for part in p.parts:
            if constant_seeds is None or n <= constant_seeds:
                answers.setdefault(part.key, set()).add(_answer_key(part))
            if part.kind == "choice":
                letters.setdefault(part.key, Counter())[part.answer] += 1
    constant = sorted(k for k, v in answers.items() if len(v) == 1)
    return Variety(family_id, difficulty, n, len(seen), constant, letters)
