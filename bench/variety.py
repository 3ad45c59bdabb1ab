"""Print distinct instances, constant parts (over the first 500 seeds at most, as issue 10
measures them) and the top keyed-letter share for every family.

    python bench/variety.py [SEEDS]      (default 1000)
"""
import sys

from probgen.core.registry import load_all, sort_families
from probgen.core.variety import measure

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
only = sys.argv[2:] or None
for fam in sort_families(load_all().values()):
    if only and fam.id not in only:
        continue
    row = [fam.id]
    for d in fam.difficulties:
        v = measure(fam.id, d, range(n), constant_seeds=min(n, 500))
        extra = ""
        if v.constant_parts:
            extra += " const=" + ",".join(v.constant_parts)
        if v.letters:
            extra += f" top={v.top_letter_share():.2f}"
        row.append(f"{d}:{v.distinct}{extra}")
    print(" | ".join(row), flush=True)
