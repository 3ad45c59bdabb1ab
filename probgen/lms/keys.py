"""Which parts of an export's variants ask the same question, and how to deal questions to
"pick 1" groups (Canvas question groups, Moodle random-question categories) so that no group
shares a question with another: an LMS draws each group on its own, so a question in two groups
could be asked twice in one quiz (docs/lms.md, "Canvas groups").
"""

from __future__ import annotations

import re


def question_keys(problem) -> list[tuple]:
    """What each part asks, as a key: (family, the pool item's idea group, or its id). Two parts
    with one key are the same question (the same item drawn by two variants, its options
    shuffled) or ask about the same idea (the pool draws at most one item per group into a
    problem). A pool item that gives several parts (a figure and its questions, two or three as
    the drawn figure has it): each is a question of its own, keyed by its prompt with the
    numbers left out. A family without a pool: the part letter."""
    from ..core.registry import get_family
    from ..kit.concepts import LETTERS, catalogue

    pool = getattr(get_family(problem.family), "pool", None)
    if pool is None:
        return [(problem.family, "part", p.key) for p in problem.parts]
    mistakes, keys = catalogue(pool.topic), []
    for inst in problem.params["items"]:
        item = pool.by_id[inst["id"]]
        made = item.build(LETTERS[len(keys)], inst, mistakes)
        idea = getattr(item, "group", None) or item.id
        if isinstance(made, list) and len(made) > 1:
            keys += [(problem.family, idea, re.sub(r"\d+(\.\d+)?", "#", b.prompt)) for b in made]
        else:
            keys.append((problem.family, idea))
    if len(keys) != len(problem.parts):
        raise AssertionError(f"{problem.family}: {len(keys)} item parts for {len(problem.parts)} parts")
    return keys


def partition(where: dict[tuple, list[int]], found: dict[tuple, list], count: int) -> list[list[tuple]]:
    """The keys of `found` (key -> its items) in at most `count` classes, each key in exactly one:
    a class is one "pick 1" group, so no student is asked one question twice. `count` is the most
    such parts a variant has, so a student answers as many as in the largest paper problem. Keys
    with the most items go first, each to the class with the fewest keys so far (then the fewest
    items), so the groups hold as many different questions as they can; the classes are then
    ordered by where their questions stand in the problems (a figure's questions first)."""
    classes: list[list[tuple]] = [[] for _ in range(count)]
    load = [0] * count
    for key in sorted(found, key=lambda k: (-len(found[k]), sum(where[k]) / len(where[k]), k)):
        n = min(range(count), key=lambda c: (len(classes[c]), load[c], c))
        classes[n].append(key)
        load[n] += len(found[key])
    position = lambda keys: sum(sum(where[k]) for k in keys) / sum(len(where[k]) for k in keys)  # noqa: E731
    return sorted((c for c in classes if c), key=position)
