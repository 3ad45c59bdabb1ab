"""Issue 14's cold commands, before and after a change, in the same run: each command from this
tree and from another checkout (BEFORE), interleaved with `python -c "import sympy"`.

    git worktree add /tmp/before <commit>        # or: git archive <commit> | tar -x -C /tmp/before
    python bench/bench_cold_ab.py /tmp/before --runs 9

Same accounting as bench_speed.py --only cold: CPU (user + system) of the whole process tree,
bytecode caching on, one warm-up round, then --runs rounds of baseline, A before, A after,
B before, ...; medians, minimums and ratios to the baseline's median. Both trees check the same
10-problem numeric sheet (made by this tree; the family versions must agree)."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_speed import PY, ROOT, cpu_run, numeric_sheet  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path, help="the other checkout (its root, holding probgen/)")
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    before = args.before.resolve()
    if not (before / "probgen" / "__main__.py").exists():
        raise SystemExit(f"{before} does not hold probgen/")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        key, answers = numeric_sheet(tmp)
        def commands(out: Path) -> dict[str, list[str]]:  # each tree writes into its own folder
            return {
                "probgen --help": ["--help"],
                "probgen list": ["list"],
                "probgen exam --bank optimization": ["exam", "--bank", "optimization", "-o", str(out / "o")],
                "probgen exam --bank core": ["exam", "--bank", "core", "-o", str(out / "c")],
                "probgen check, 10-problem numeric sheet": ["check", str(key), str(answers)],
            }

        plan = [("import sympy", None, ROOT, [PY, "-c", "import sympy"])]
        for (name, old), new in zip(commands(tmp / "before").items(), commands(tmp / "after").values()):
            plan += [(name, "before", before, [PY, "-m", "probgen", *old]),
                     (name, "after", ROOT, [PY, "-m", "probgen", *new])]
        times: dict[tuple, list[float]] = {(name, side): [] for name, side, _, _ in plan}
        for round_ in range(args.runs + 1):  # round 0 warms the disk cache and writes bytecode
            for name, side, cwd, cmd in plan:
                t = cpu_run(cmd, cwd)
                if round_:
                    times[(name, side)].append(t)
    base = statistics.median(times[("import sympy", None)])
    print(f"cold commands, CPU of the process tree, {args.runs} interleaved runs; before = {before}, after = {ROOT}")
    print(f"{'command':42} {'before s':>9} {'ratio':>6} {'after s':>9} {'ratio':>6}   (median; min)")
    label = 'python -c "import sympy" (baseline)'
    print(f"{label:42} {base:9.3f} {1:6.2f}")
    for name in commands(Path()):
        b, a = times[(name, "before")], times[(name, "after")]
        mb, ma = statistics.median(b), statistics.median(a)
        print(f"{name:42} {mb:9.3f} {mb / base:6.2f} {ma:9.3f} {ma / base:6.2f}   "
              f"({min(b):.3f}; {min(a):.3f})")


if __name__ == "__main__":
    main()
