"""What `probgen lms` exports: SOURCE -> categories, each holding N variants of one problem slot.

SOURCE is looked up in this order (write `bank:NAME`, `section:NAME` or `family:ID` to choose):
  - a family id: one category of variants of that family;
  - a bank (a name from banks/ or a .toml file): one category per slot; variant i of slot n is
    problem n of `probgen exam --bank NAME --seed S_i` (the slot's difficulty, convention,
    parts and points);
  - a section or topic: one category per family in it that has the difficulty (a name that is
    both a bank and a section or topic means the section when --difficulty or --convention is given).
Variants that repeat an earlier one (same family and givens) are replaced by further seeds.

The problems' seeds are derived from (a secret, SEED, the category, the variant): the secret is
random unless staff give it, so `probgen lms ... --seed 1` is not `probgen exam --seed 1`, and
nothing a student sees lets them regenerate a problem's answers. The seeds, the secret and the
command that reproduces the export go only into the staff file (`staff_manifest`); an export
names a variant by `variant_tag`, a hash keyed by the secret.
"""

from __future__ import annotations

import functools
import hashlib
import json
import secrets as secrets_module
from dataclasses import dataclass, field
from pathlib import Path

from ..core.build import build_problem
from ..core.model import Problem
from ..core.registry import families_in, get_family, load_all, sort_families, unknown_message
from ..core.sections import SECTIONS, TOPIC_SECTION
from ..errors import BadKnob, ProbgenError
from ..sheets.banks import bank_names, load_bank
from ..sheets.assemble import exam_sheet, sub_seed
from ..sheets.classset import check_secret

MAX_VARIANTS = 500
TRIES_PER_VARIANT = 5


@dataclass
class Category:
    name: str  # e.g. "03 dropout"
    title: str
    points: int
    problems: list[Problem] = field(default_factory=list)
    exam_seeds: list[int] | None = None  # a bank's slot: variant i is problem n of `exam --seed exam_seeds[i]`


@dataclass
class Export:
    source: str
    title: str
    categories: list[Category]
    secret: str = ""
    seed: int = 0
    variants: int = 0
    difficulty: str | None = None
    convention: str | None = None


def variant_seed(secret: str, seed: int, where: str, i: int) -> int:
    """The seed of try `i` of category `where`: from the secret, so no student can work it out."""
    return sub_seed("lms", secret, seed, where, i)


def variant_tag(export: Export, problem: Problem) -> str:
    """What an export calls a variant (question names, ids, image files): keyed by the secret, so
    it tells staff which variant it is (the staff file) and tells a student nothing."""
    text = "\x1f".join(map(str, ("probgen-lms-variant", export.secret, problem.family, problem.seed,
                                  problem.difficulty, problem.convention)))
    return "v" + hashlib.sha256(text.encode()).hexdigest()[:10]


def resolve(source: str, variants: int, seed: int, difficulty: str | None, convention: str | None,
            secret: str | None = None) -> Export:
    """The export of SOURCE; `secret` (hex, as a class set's) makes it reproducible, None draws a new one."""
    if secret is not None:
        try:
            secret = check_secret(secret)
        except ProbgenError:
            raise BadKnob("--secret must be 16 to 64 hexadecimal digits (the 'secret' of the export's "
                          "staff file)") from None
    secret = secret or secrets_module.token_hex(16)
    export = _resolve(source, variants, seed, difficulty, convention, secret)
    export.secret, export.seed, export.variants = secret, seed, variants
    export.difficulty, export.convention = difficulty, convention
    return export


def _resolve(source: str, variants: int, seed: int, difficulty: str | None, convention: str | None,
             secret: str) -> Export:
    if not 1 <= variants <= MAX_VARIANTS:
        raise BadKnob(f"--variants must be from 1 to {MAX_VARIANTS}, got {variants}")
    kind, _, name = source.partition(":") if source.split(":", 1)[0] in ("bank", "section", "family") else ("", "", source)
    if kind == "family" or (not kind and name in load_all()):
        return _family(name, variants, seed, difficulty or "medium", convention, secret)
    is_bank = name.endswith(".toml") or Path(name).is_file() or name in bank_names()
    is_section = name in SECTIONS or name in TOPIC_SECTION
    if not kind and is_bank and is_section and (difficulty is not None or convention is not None):
        kind = "section"  # optimization --difficulty hard: the topic's families, not the bank's fixed slots
    if kind == "bank" or (not kind and is_bank):
        if difficulty is not None or convention is not None:
            raise BadKnob(f"bank '{name}' sets each slot's difficulty and convention; drop --difficulty/--convention "
                          f"(or export section:{name} for a section's families at one difficulty)")
        return _bank(name, variants, seed, secret)
    if kind == "section" or (not kind and is_section):
        return _section(name, variants, seed, difficulty or "medium", convention, secret)
    choices = sorted(load_all()) + bank_names() + list(SECTIONS) + list(TOPIC_SECTION)
    raise ProbgenError(unknown_message("source (family, bank, section or topic)", source,
                                       sorted(dict.fromkeys(choices))))


def _distinct(make, variants: int, where: str, tries: list[int] | None = None) -> list[Problem]:
    """`variants` problems from make(0), make(1), ..., skipping repeats of the same givens
    (`tries`, if given, gets the i of each problem kept)."""
    seen, out = set(), []
    for i in range(variants * TRIES_PER_VARIANT):
        problem = make(i)
        key = json.dumps([problem.family, problem.params, [p.key for p in problem.parts]], sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            out.append(problem)
            if tries is not None:
                tries.append(i)
            if len(out) == variants:
                return out
    raise BadKnob(f"{where}: only {len(out)} different problems found in {variants * TRIES_PER_VARIANT} seeds; "
                  f"ask for fewer --variants")


def _family(fid: str, variants: int, seed: int, difficulty: str, convention: str | None, secret: str) -> Export:
    fam = get_family(fid)
    fam.check_difficulty(difficulty)
    convention = fam.check_convention(convention, strict=True)
    problems = _distinct(lambda i: build_problem(fid, variant_seed(secret, seed, fid, i), difficulty, convention),
                         variants, fid)
    cat = Category(f"{fid}", f"{fam.title} ({difficulty})", problems[0].points, problems)
    return Export(fid, fam.title, [cat])


def _section(selector: str, variants: int, seed: int, difficulty: str, convention: str | None,
             secret: str) -> Export:
    fams = [f for f in sort_families(families_in(selector)) if difficulty in f.difficulties]
    if not fams:
        raise BadKnob(f"no family in '{selector}' has difficulty '{difficulty}'")
    cats = []
    for n, fam in enumerate(fams, start=1):
        conv = convention if convention in fam.conventions else None
        problems = _distinct(lambda i, f=fam, c=conv: build_problem(f.id, variant_seed(secret, seed, f.id, i),
                                                                    difficulty, c), variants, fam.id)
        cats.append(Category(f"{n:02d} {fam.id}", f"{fam.title} ({difficulty})", problems[0].points, problems))
    return Export(selector, f"{selector} ({difficulty})", cats)


def _bank(name: str, variants: int, seed: int, secret: str) -> Export:
    bank = load_bank(name)
    # variant i of slot n is problem n of `probgen exam --bank NAME --seed S_i` (the exam's own
    # draw, which balances the versions' work), S_i derived from the secret
    sheet = functools.lru_cache(maxsize=None)(lambda s: exam_sheet(bank, s))
    exam_seed = functools.partial(variant_seed, secret, seed, f"bank:{bank.name}")
    cats = []
    for n, slot in enumerate(bank.slots, start=1):
        tries: list[int] = []
        problems = _distinct(lambda i, k=n: sheet(exam_seed(i)).problems[k - 1], variants,
                             slot.where or f"{bank.name}: slot {n}", tries)
        # points follow each variant's work (docs/work-model.md), so variants may differ: the
        # category carries the largest, and the LMS scales each drawn question to its quiz slot
        points = {max(p.points for p in problems)}
        label = slot.families[0] if len(slot.families) == 1 else "+".join(slot.families)
        cats.append(Category(f"{n:02d} {label}", f"Problem {n}: {label} ({slot.difficulty_label()})", points.pop(), problems,
                             [exam_seed(i) for i in tries]))
    return Export(bank.name, bank.title, cats)


def staff_manifest(export: Export, fmt: str, export_name: str) -> dict:
    """What staff keep and students never see: the secret, the command that makes the same
    export again, and for each variant its tag (as the export names it), family and seed."""
    import shlex

    knobs = ["--variants", str(export.variants), "--seed", str(export.seed)]
    knobs += ["--difficulty", export.difficulty] if export.difficulty else []
    knobs += ["--convention", export.convention] if export.convention else []
    command = shlex.join(["probgen", "lms", fmt, export.source, *knobs, "--secret", export.secret, "-o", export_name])
    cats = []
    for cat in export.categories:
        rows = []
        for i, p in enumerate(cat.problems):
            row = {"tag": variant_tag(export, p), "family": p.family, "seed": p.seed, "difficulty": p.difficulty,
                   "convention": p.convention}
            if cat.exam_seeds is not None:
                row["exam_seed"] = cat.exam_seeds[i]
            rows.append(row)
        cats.append({"name": cat.name, "title": cat.title, "variants": rows})
    return {"format": "probgen-lms-export", "staff_only": "keep this file from students: its seeds and "
            "secret regenerate every answer", "export": export_name, "lms": fmt, "source": export.source,
            "seed": export.seed, "secret": export.secret, "command": command,
            "each_variant": "probgen generate FAMILY --seed SEED --difficulty DIFFICULTY [--convention C] "
                            "--answers" + ("; a bank's slot n: problem n of probgen exam --bank " + export.source +
                                           " --seed EXAM_SEED" if any(c.exam_seeds for c in export.categories) else ""),
            "categories": cats}
