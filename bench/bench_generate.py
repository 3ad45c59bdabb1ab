"""Speed of generation: 1,000 instances of every family, and CLI start-up.

    python bench/bench_generate.py            # all families
    python bench/bench_generate.py dropout    # some families

Targets (issue 2): generate + solve 1,000 instances of any family in <= 2 s;
`probgen --help` and `probgen list` start in < 0.3 s.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from probgen.core.build import build_problem
from probgen.core.registry import load_all
from probgen.core.rng import Draw

N = 1000


def time_family(fid: str) -> tuple[float, float]:
    fam = load_all()[fid]
    conv = fam.check_convention(None)
    build_problem(fid, 0, "medium", conv)  # warm: imports, template compilation
    diffs = fam.difficulties
    t0 = time.perf_counter()
    for i in range(N):
        d = diffs[i % len(diffs)]
        fam.solve(fam.generate(Draw("bench", fid, i, d), d, conv))
    solve_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(N):
        build_problem(fid, i, diffs[i % len(diffs)], conv)
    build_s = time.perf_counter() - t0
    return solve_s, build_s


def startup(args: list[str]) -> float:
    runs = []
    for _ in range(7):
        t0 = time.perf_counter()
        subprocess.run(["probgen", *args], capture_output=True, check=True)
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> None:
    fids = sys.argv[1:] or sorted(load_all())
    print(f"| family | generate+solve x{N} (s) | full build with template x{N} (s) |")
    print("|---|---:|---:|")
    worst = 0.0
    for fid in fids:
        solve_s, build_s = time_family(fid)
        worst = max(worst, solve_s)
        print(f"| {fid} | {solve_s:.2f} | {build_s:.2f} |", flush=True)
    print(f"\nslowest generate+solve: {worst:.2f} s per {N} (target <= 2 s)")
    print(f"`probgen --help`: {startup(['--help']):.3f} s median of 7 (target < 0.3 s)")
    print(f"`probgen list`:   {startup(['list']):.3f} s median of 7 (target < 0.3 s)")


if __name__ == "__main__":
    main()
