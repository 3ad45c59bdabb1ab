"""bank or section -> the list of problems a worksheet or exam prints.

Seeds are derived with `probgen.core.rng.derive_seed` from (kind, bank or section, sheet seed, slot,
family), so a sheet's seed reproduces every problem on it. A bank slot's `parts` keeps only those
parts (their letters unchanged, so a key still matches the regenerated problem) and its `points`
is the problem's total, shared out over the parts in proportion to their own points.

An exam's slot alternatives are drawn together so that its estimated work (the work model,
docs/work-model.md) lies within BALANCE of the bank's expected work: every version of a class set
then lies within ±10% of the set's mean. Its time allowed is that work plus reading time."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from .banks import Bank, Slot
from ..core.build import build_problem
from ..errors import BadKnob, BankError
from ..core.model import Problem
from ..core.registry import families_in
from ..core.rng import Draw, derive_seed
from ..core.work import time_allowed

SEED_MODULUS = 1_000_000_000  # derived seeds stay short enough to print and retype
# An exam's estimated minutes stay within ±BALANCE of the bank's expected minutes, so any two
# versions differ by at most 2·BALANCE/(1 − BALANCE) < 10% of their mean (issue 10, §1).
BALANCE = 0.045
MAX_DRAWS = 200  # draws of the slot alternatives tried before the bank is called unbalanced
TYPICAL_SEEDS = 9  # seeds whose median gives a family's typical minutes in a slot


@dataclass
class Sheet:
    """Everything a worksheet or exam prints, and its key."""

    kind: str  # "worksheet" | "exam"
    title: str
    seed: int
    problems: list[Problem]
    course: str = "Deep Learning"
    instructions: str = ""
    time_minutes: int | None = None
    source: str = ""  # bank name or section/topic id
    version: int | None = None  # class-set version number
    student: dict[str, str] | None = None  # {"name", "id"} for a roster copy
    seed_public: bool = True  # False for a class-set version: its student copy must not print the seed
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def points(self) -> int:
        return sum(p.points for p in self.problems)

    def signature(self) -> str:
        """What makes two versions the same exam: the families and their givens."""
        return json.dumps([[p.family, p.difficulty, p.convention, p.params] for p in self.problems],
                          sort_keys=True)


# statistics.fmean and median, to the bit: that module costs 5 ms of a cold exam's start (issue 14)
def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values)


def _median(values: list[float]) -> float:
    ordered, mid = sorted(values), len(values) // 2
    return ordered[mid] if len(values) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def sub_seed(*parts: object) -> int:
    return derive_seed(*parts) % SEED_MODULUS


# ---------------------------------------------------------------- exams from banks


def exam_sheet(bank: Bank, seed: int, version: int | None = None,
               student: dict[str, str] | None = None) -> Sheet:
    if not isinstance(seed, int) or seed < 0:
        raise BadKnob(f"seed must be a whole number >= 0, got {seed!r}")
    problems = balanced_problems(bank, seed)
    minutes = sum(p.minutes for p in problems)
    # A class set's versions differ in work by up to ±BALANCE; a room needs one time limit, so
    # each version prints the time of the heaviest version the bank can draw.
    work = minutes if version is None else expected_minutes(bank) * (1 + BALANCE)
    return Sheet(kind="exam", title=bank.title, seed=seed, problems=problems, course=bank.course,
                 instructions=bank.instructions,
                 time_minutes=bank.time_minutes or time_allowed(work, len(problems)),
                 source=bank.name, version=version, student=student,
                 meta={"estimated_minutes": round(minutes, 1)})


def balanced_problems(bank: Bank, seed: int) -> list[Problem]:
    """One problem per slot, the alternatives and the problems drawn (reproducibly from the seed;
    the first draw is the one an unbalanced bank would give) until the exam's estimated minutes
    lie within ±BALANCE of the bank's expected minutes."""
    target = expected_minutes(bank)
    refuse_undrawable(bank, target)
    best = None
    for attempt in range(MAX_DRAWS):
        picks = [_pick(bank, n, s, seed, attempt) for n, s in enumerate(bank.slots, start=1)]
        guess = sum(typical_minutes(bank, n - 1, f) for n, f in enumerate(picks, start=1))
        if abs(guess - target) > BALANCE * target * 1.5 and attempt < MAX_DRAWS - 1:
            continue  # far off already by the families' typical work: do not build it
        problems = [slot_problem(bank, n, s, seed, f, attempt)
                    for n, (s, f) in enumerate(zip(bank.slots, picks), start=1)]
        off = abs(sum(p.minutes for p in problems) - target) / target
        if off <= BALANCE:
            return problems
        if best is None or off < best[0]:
            best = (off, problems)
    raise BankError(f"bank '{bank.name}' cannot be balanced: its slot alternatives differ too much in work "
                    f"(the closest draw for seed {seed} is {100 * best[0]:.0f}% from the expected "
                    f"{target:.0f} minutes; allowed ±{100 * BALANCE:.1f}%). Give alternatives of similar work "
                    f"(bench/work.py lists each family's minutes).")


def refuse_undrawable(bank: Bank, target: float) -> None:
    """Refuse a bank with a slot alternative that no draw can take: even with the other slots'
    lightest or heaviest alternatives its exam is too far from the expected work, so the balanced
    draw never builds it and the bank would silently never ask it (the core bank's Adam trace,
    three times SGD's work at the same difficulty, was never drawn)."""
    typical = [[typical_minutes(bank, i, f) for f in s.families] for i, s in enumerate(bank.slots)]
    lightest, heaviest = sum(map(min, typical)), sum(map(max, typical))
    reach = 1.5 * BALANCE * target  # what balanced_problems still builds
    for n, (slot, minutes) in enumerate(zip(bank.slots, typical), start=1):
        for fid, m in zip(slot.families, minutes):
            low, high = lightest - min(minutes) + m, heaviest - max(minutes) + m
            if high < target - reach or low > target + reach:
                at = slot.where or f"{bank.path}: slot {n}"
                raise BankError(
                    f"{at}: '{fid}' ({m:.0f} min at {slot.difficulty_for(fid)}) is never drawn: exams with it "
                    f"take {low:.0f}-{high:.0f} min, and every exam must be within {100 * BALANCE:.1f}% of the "
                    f"bank's expected {target:.0f} min; give it a difficulty (difficulty_by_family) or parts "
                    f"near its alternatives' work ({', '.join(f'{m2:.0f}' for m2 in minutes)} min)")


def _pick(bank: Bank, number: int, slot: Slot, seed: int, attempt: int) -> str:
    if len(slot.families) == 1:
        return slot.families[0]
    draw = Draw("exam-slot", bank.name, seed, number) if attempt == 0 else \
        Draw("exam-slot", bank.name, seed, number, attempt)
    return draw.choice(slot.families)


def typical_minutes(bank: Bank, index: int, family_id: str) -> float:
    slot = bank.slots[index]
    return _typical(family_id, slot.difficulty_for(family_id), slot.convention, tuple(slot.parts or ()))


@lru_cache(maxsize=None)
def _typical(family_id: str, difficulty: str, convention: str | None, parts: tuple) -> float:
    """The median minutes of a family in a slot, over fixed seeds: from the shipped table of the
    built-in banks' slots when it has this one (sheets/typical.py), else computed."""
    from .typical import lookup

    shipped = lookup(family_id, difficulty, convention, parts)
    return compute_typical(family_id, difficulty, convention, parts) if shipped is None else shipped


def compute_typical(family_id: str, difficulty: str, convention: str | None, parts: tuple) -> float:
    values = []
    for seed in range(TYPICAL_SEEDS):
        p = build_problem(family_id, seed, difficulty, convention)
        values.append(sum(q.minutes for q in p.parts if not parts or q.key in parts))
    return _median(values)


def expected_minutes(bank: Bank) -> float:
    """The bank's expected work: each slot's alternatives' typical minutes, averaged."""
    return sum(_mean([typical_minutes(bank, i, f) for f in s.families]) for i, s in enumerate(bank.slots))


def check_balance(sheets: list[Sheet], tolerance: float = 0.10) -> None:
    """Refuse a set of versions whose estimated minutes are not all within ±tolerance of their
    mean, saying which version is how far off."""
    if len(sheets) < 2:
        return
    minutes = [sum(p.minutes for p in s.problems) for s in sheets]
    mean = _mean(minutes)
    worst = max(range(len(sheets)), key=lambda i: abs(minutes[i] - mean))
    off = (minutes[worst] - mean) / mean
    if abs(off) > tolerance:
        name = sheets[worst].version or worst + 1
        raise BankError(f"unbalanced versions: version {name} is {100 * off:+.0f}% from the mean work "
                        f"({minutes[worst]:.0f} vs {mean:.0f} minutes; allowed ±{100 * tolerance:.0f}%)")


def check_key_balance(keys: list[dict[str, Any]], tolerance: float = 0.10) -> None:
    """check_balance on written JSON keys (what a class set has in hand after its workers ran)."""
    minutes = [sum(part.get("minutes", 0) for p in k["problems"] for part in p["parts"]) for k in keys]
    sheets = [Sheet(kind="exam", title="", seed=0, version=n,
                    problems=[Problem.from_dict({**_stub(), "parts": [{"key": "a", "kind": "number", "answer": 0,
                                                                       "minutes": m}]})])
              for n, m in enumerate(minutes, start=1)]
    check_balance(sheets, tolerance)


def _stub() -> dict[str, Any]:
    return {"family": "", "version": 1, "seed": 0, "difficulty": "medium", "convention": None, "title": "",
            "section": "", "topic": "", "params": {}, "statement": ""}


def minutes_spread(sheets: list[Sheet]) -> tuple[float, float, float]:
    """(smallest, mean, largest) estimated minutes over a set of versions."""
    minutes = [sum(p.minutes for p in s.problems) for s in sheets]
    return min(minutes), _mean(minutes), max(minutes)


def slot_problem(bank: Bank, number: int, slot: Slot, seed: int, family_id: str | None = None,
                 attempt: int = 0) -> Problem:
    where = slot.where or f"{bank.path}: slot {number}"
    if family_id is None:
        family_id = _pick(bank, number, slot, seed, 0)
    key = ("exam", bank.name, seed, number, family_id) + ((attempt,) if attempt else ())
    problem = build_problem(family_id, sub_seed(*key),
                            slot.difficulty_for(family_id), slot.convention)
    if slot.parts is not None:
        problem = select_parts(problem, slot.parts, where)
    if slot.points is not None:
        problem = scale_points(problem, slot.points, where)
    return problem


def select_parts(problem: Problem, keys: list[str], where: str = "") -> Problem:
    have = [p.key for p in problem.parts]
    missing = [k for k in keys if k not in have]
    if missing:
        raise BankError(f"{where}: family '{problem.family}' at difficulty {problem.difficulty} has no "
                        f"part(s) {', '.join(missing)} (it has {', '.join(have)})")
    chosen = set(keys)
    parts = [p for p in problem.parts if p.key in chosen]
    steps = [s for s in problem.steps if s.part is None or s.part in chosen]
    return replace(problem, parts=parts, steps=steps)


def scale_points(problem: Problem, total: int, where: str = "") -> Problem:
    """Share `total` over the parts in proportion to their points (largest remainder), each >= 1.
    A part graded by hand against a rubric (a true/false with its justification, a short answer)
    keeps its points: the rubric's ideas fix them; the other parts share the rest."""
    fixed = sum(p.points for p in problem.parts if p.hand_points)
    scaled = [i for i, p in enumerate(problem.parts) if not p.hand_points]
    if not scaled:
        if total != fixed:
            raise BankError(f"{where}: points = {total}, but the parts of '{problem.family}' are graded by hand "
                            f"against rubrics worth {fixed} points; drop points = or set it to {fixed}")
        return problem
    if fixed:
        shared = scale_points(replace(problem, parts=[problem.parts[i] for i in scaled]), total - fixed, where) \
            if total - fixed >= len(scaled) else None
        if shared is None:
            raise BankError(f"{where}: points = {total} leaves {total - fixed} for the {len(scaled)} automatically "
                            f"graded parts of '{problem.family}' (its hand-graded parts keep their {fixed} points "
                            f"and each other part needs at least 1)")
        new = dict(zip(scaled, shared.parts))
        return replace(problem, parts=[new.get(i, p) for i, p in enumerate(problem.parts)])
    n = len(problem.parts)
    if total < n:
        raise BankError(f"{where}: points = {total} is less than the {n} parts of '{problem.family}' "
                        f"(each part needs at least 1 point)")
    weights = [p.points for p in problem.parts]
    spare = total - n  # every part gets 1, the rest is shared by weight
    quotas = [spare * w / sum(weights) for w in weights]
    extra = [int(q) for q in quotas]
    order = sorted(range(n), key=lambda i: (-(quotas[i] - extra[i]), i))
    for i in order[: spare - sum(extra)]:
        extra[i] += 1
    parts = [replace(p, points=1 + e) for p, e in zip(problem.parts, extra)]
    return replace(problem, parts=parts)


# ---------------------------------------------------------------- worksheets from sections


def worksheet_sheet(selector: str, count: int, seed: int, difficulty: str = "medium",
                    convention: str | None = None) -> Sheet:
    """`count` problems from a section or topic, cycling through its families in an order drawn
    from the seed, so a worksheet covers the families evenly."""
    fams = [f for f in families_in(selector) if difficulty in f.difficulties]
    if not fams:
        raise BadKnob(f"no family in '{selector}' has difficulty '{difficulty}'")
    if convention is not None and not any(convention in f.conventions for f in fams):
        offered = sorted({c for f in fams for c in f.conventions})
        raise BadKnob(f"no family in '{selector}' has the convention '{convention}'"
                      + (f" (choose from: {', '.join(offered)})" if offered else " (they have no conventions)"))
    order = list(fams)
    Draw("worksheet-order", selector, seed).shuffle(order)
    problems = []
    for i in range(count):
        fam = order[i % len(order)]
        conv = convention if convention in fam.conventions else None
        problems.append(build_problem(fam.id, sub_seed("worksheet", selector, seed, i + 1, fam.id),
                                      difficulty, conv))
    from ..core.sections import SECTION_TITLES, TOPIC_SECTION

    if selector in SECTION_TITLES:
        name = SECTION_TITLES[selector]
    else:
        name = f"{SECTION_TITLES[TOPIC_SECTION[selector]]}: {selector.replace('-', ' ')}"
    return Sheet(kind="worksheet", title=f"Worksheet — {name}", seed=seed, problems=problems,
                 instructions="Show your work. A scientific calculator is allowed. Give decimals to at "
                              "least 3 significant figures.",
                 source=selector, meta={"difficulty": difficulty, "convention": convention})
