"""Issue 14: a corpus of typed expression answers, graded, one line each, to compare two code trees.

Every expression part of every family (backprop-chain at each difficulty, depthwise-separable
hard) for a range of seeds, answered with the texts of tests/expr_texts.py (other spellings of
the reference, the named mistakes, wrong variants, unreadable and undefined texts).

    python bench/expr_corpus.py --seeds 200 > new.txt            # this tree
    python /path/to/other/tree/bench/expr_corpus.py --seeds 200 > old.txt
    diff old.txt new.txt

(To grade with an older tree that lacks this file, pass it: `--code /path/to/tree`.)
Each line: family, difficulty, seed, part, the text, then verdict | mistake (+ also) | message.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FAMILIES = (("backprop-chain", ("easy", "medium", "hard")), ("depthwise-separable", ("hard",)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=60)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--code", default=str(Path(__file__).resolve().parent.parent))
    args = ap.parse_args()
    sys.path.insert(0, args.code)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the texts: this tree's
    from probgen.core.build import build_problem
    from probgen.core.registry import get_family
    from expr_texts import corpus
    from probgen.grading.judge import ProblemGrader

    print(f"grading with {Path(sys.modules['probgen'].__file__).parent}", file=sys.stderr)

    for fid, difficulties in FAMILIES:
        family = get_family(fid)
        for difficulty in difficulties:
            for seed in range(args.start, args.start + args.seeds):
                problem = build_problem(fid, seed, difficulty)
                for part in problem.parts:
                    if part.kind != "expression":
                        continue
                    for text in corpus(part):
                        r = ProblemGrader(problem, 1, family).grade(part, text)
                        named = "+".join(([r.mistake] if r.mistake else []) + r.also_mistakes)
                        print(f"{fid} {difficulty} {seed} {part.key} {text!r} -> {r.verdict} | {named} | {r.message}")


if __name__ == "__main__":
    main()
