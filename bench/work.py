"""Median estimated minutes per family and difficulty (the work model), and each tier's spread.

    python bench/work.py [SEEDS] [FAMILY ...]     (default 40 seeds)
"""
import statistics
import sys

from probgen.core.build import build_problem
from probgen.core.registry import load_all, sort_families

n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
only = sys.argv[2:] or None
for f in sort_families(load_all().values()):
    if only and f.id not in only:
        continue
    row = []
    for d in f.difficulties:
        ms = [build_problem(f.id, s, d).minutes for s in range(n)]
        row.append(f"{d}:{statistics.median(ms):5.1f} ({min(ms):.1f}-{max(ms):.1f})")
    print(f"{f.id:22s}", "  ".join(row), flush=True)
