"""What `probgen lms` exports: SOURCE -> categories, each holding N variants of one problem slot.

SOURCE is looked up in this order (write `bank:NAME`, `section:NAME` or `family:ID` to choose):
  - a family id: one category, variants at seeds SEED, SEED+1, ... (as `probgen export --count`);
  - a bank (a name from banks/ or a .toml file): one category per slot; variant i of slot n is
    problem n of `probgen exam --bank NAME --seed SEED+i` (the slot's difficulty, convention,
    parts and points);
  - a section or topic: one category per family in it that has the difficulty (a name that is
    both a bank and a section or topic means the section when --difficulty or --convention is given).
Variants that repeat an earlier one (same family and givens) are replaced by further seeds.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..core.build import build_problem
from ..core.model import Problem
from ..core.registry import families_in, get_family, load_all, sort_families, unknown_message
from ..core.sections import SECTIONS, TOPIC_SECTION
from ..errors import BadKnob, ProbgenError
from ..sheets.banks import bank_names, load_bank
from ..sheets.assemble import exam_sheet

MAX_VARIANTS = 500
TRIES_PER_VARIANT = 5


@dataclass
class Category:
    name: str  # e.g. "03 dropout"
    title: str
    points: int
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Export:
    source: str
    title: str
    categories: list[Category]


def resolve(source: str, variants: int, seed: int, difficulty: str | None, convention: str | None) -> Export:
    if not 1 <= variants <= MAX_VARIANTS:
        raise BadKnob(f"--variants must be from 1 to {MAX_VARIANTS}, got {variants}")
    kind, _, name = source.partition(":") if source.split(":", 1)[0] in ("bank", "section", "family") else ("", "", source)
    if kind == "family" or (not kind and name in load_all()):
        return _family(name, variants, seed, difficulty or "medium", convention)
    is_bank = name.endswith(".toml") or Path(name).is_file() or name in bank_names()
    is_section = name in SECTIONS or name in TOPIC_SECTION
    if not kind and is_bank and is_section and (difficulty is not None or convention is not None):
        kind = "section"  # optimization --difficulty hard: the topic's families, not the bank's fixed slots
    if kind == "bank" or (not kind and is_bank):
        if difficulty is not None or convention is not None:
            raise BadKnob(f"bank '{name}' sets each slot's difficulty and convention; drop --difficulty/--convention "
                          f"(or export section:{name} for a section's families at one difficulty)")
        return _bank(name, variants, seed)
    if kind == "section" or (not kind and is_section):
        return _section(name, variants, seed, difficulty or "medium", convention)
    choices = sorted(load_all()) + bank_names() + list(SECTIONS) + list(TOPIC_SECTION)
    raise ProbgenError(unknown_message("source (family, bank, section or topic)", source,
                                       sorted(dict.fromkeys(choices))))


def _distinct(make, variants: int, where: str) -> list[Problem]:
    """`variants` problems from make(0), make(1), ..., skipping repeats of the same givens."""
    seen, out = set(), []
    for i in range(variants * TRIES_PER_VARIANT):
        problem = make(i)
        key = json.dumps([problem.family, problem.params, [p.key for p in problem.parts]], sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            out.append(problem)
            if len(out) == variants:
                return out
    raise BadKnob(f"{where}: only {len(out)} different problems found in {variants * TRIES_PER_VARIANT} seeds; "
                  f"ask for fewer --variants")


def _family(fid: str, variants: int, seed: int, difficulty: str, convention: str | None) -> Export:
    fam = get_family(fid)
    fam.check_difficulty(difficulty)
    convention = fam.check_convention(convention, strict=True)
    problems = _distinct(lambda i: build_problem(fid, seed + i, difficulty, convention), variants, fid)
    cat = Category(f"{fid}", f"{fam.title} ({difficulty})", problems[0].points, problems)
    return Export(fid, fam.title, [cat])


def _section(selector: str, variants: int, seed: int, difficulty: str, convention: str | None) -> Export:
    fams = [f for f in sort_families(families_in(selector)) if difficulty in f.difficulties]
    if not fams:
        raise BadKnob(f"no family in '{selector}' has difficulty '{difficulty}'")
    cats = []
    for n, fam in enumerate(fams, start=1):
        conv = convention if convention in fam.conventions else None
        problems = _distinct(lambda i, f=fam, c=conv: build_problem(f.id, seed + i, difficulty, c), variants, fam.id)
        cats.append(Category(f"{n:02d} {fam.id}", f"{fam.title} ({difficulty})", problems[0].points, problems))
    return Export(selector, f"{selector} ({difficulty})", cats)


def _bank(name: str, variants: int, seed: int) -> Export:
    bank = load_bank(name)
    # variant i of slot n is problem n of `probgen exam --bank NAME --seed SEED+i` (the exam's
    # own draw, which balances the versions' work)
    sheet = functools.lru_cache(maxsize=None)(lambda s: exam_sheet(bank, s))
    cats = []
    for n, slot in enumerate(bank.slots, start=1):
        problems = _distinct(lambda i, k=n: sheet(seed + i).problems[k - 1], variants,
                             slot.where or f"{bank.name}: slot {n}")
        # points follow each variant's work (docs/work-model.md), so variants may differ: the
        # category carries the largest, and the LMS scales each drawn question to its quiz slot
        points = {max(p.points for p in problems)}
        label = slot.families[0] if len(slot.families) == 1 else "+".join(slot.families)
        cats.append(Category(f"{n:02d} {label}", f"Problem {n}: {label} ({slot.difficulty})", points.pop(), problems))
    return Export(bank.name, bank.title, cats)
