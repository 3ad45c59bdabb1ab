"""Golden hashes: the bytes every family's JSON key and PDFs had when they were last recorded.

A refactor (a move, a split, a faster path) must leave them unchanged. A change that is meant to
alter what a family prints records new hashes with `python -m tests.golden.golden --update`
and says so in its commit message."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HASHES = Path(__file__).with_name("hashes.json")
SEEDS = (3,)


def _sheet(problem):
    from probgen.sheets.assemble import Sheet

    return Sheet(kind="worksheet", title=f"Golden {problem.family}", seed=problem.seed,
                 problems=[problem], source=problem.family)


def cases():
    from probgen.core.registry import load_all

    for fid, fam in sorted(load_all().items()):
        for conv in fam.conventions or (None,):
            for diff in fam.difficulties:
                for seed in SEEDS:
                    yield fid, conv, diff, seed


def digest(fid, conv, diff, seed) -> dict[str, str]:
    from probgen.core.build import build_problem
    from probgen.render.pdf import render_sheet
    from probgen.sheets.answer_key import dumps
    from probgen.sheets.publish import sheet_key

    sheet = _sheet(build_problem(fid, seed, diff, conv))
    blobs = {"json": dumps(sheet_key(sheet)).encode(),
             "pdf": render_sheet(sheet, show_solution=False),
             "key.pdf": render_sheet(sheet, show_solution=True)}
    return {name: hashlib.sha256(blob).hexdigest() for name, blob in blobs.items()}


def exam_digest() -> dict[str, str]:
    from probgen.render.pdf import render_sheet
    from probgen.sheets.answer_key import dumps
    from probgen.sheets.assemble import exam_sheet
    from probgen.sheets.banks import load_bank
    from probgen.sheets.publish import sheet_key

    sheet = exam_sheet(load_bank("midterm"), 5)
    blobs = {"json": dumps(sheet_key(sheet)).encode(),
             "pdf": render_sheet(sheet, show_solution=False),
             "key.pdf": render_sheet(sheet, show_solution=True)}
    return {name: hashlib.sha256(blob).hexdigest() for name, blob in blobs.items()}


def compute() -> dict[str, dict[str, str]]:
    out = {f"{fid}/{conv or '-'}/{diff}/{seed}": digest(fid, conv, diff, seed)
           for fid, conv, diff, seed in cases()}
    out["exam:midterm/5"] = exam_digest()
    return out


if __name__ == "__main__":
    if "--update" in sys.argv:
        from probgen.sheets import typical  # exams balance on it: write it first (issue 14)

        print(f"wrote {typical.write()}")
        HASHES.write_text(json.dumps(compute(), indent=1, sort_keys=True) + "\n")
        print(f"wrote {HASHES}")
    else:
        recorded = json.loads(HASHES.read_text())
        now = compute()
        bad = sorted(k for k in recorded.keys() | now.keys() if recorded.get(k) != now.get(k))
        print("\n".join(bad) or "all golden hashes match")
